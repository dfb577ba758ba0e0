/* sockdemo.h — sockdemo's shared declarations: options, exit codes, formatting, narrated socket calls. */
#ifndef SOCKDEMO_H
#define SOCKDEMO_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Exit codes (documented in sockdemo.1 and demo/README.md). */
enum {
	SD_EXIT_OK = 0,      /* finished as intended (a scenario: the textbook exchange happened) */
	SD_EXIT_RUNTIME = 1, /* runtime or peer failure: timeout, unexpected reply, write error */
	SD_EXIT_USAGE = 2,   /* bad command line: unknown option, bad number, unknown scenario, bad events file */
	SD_EXIT_ADDRESS = 3, /* address/port problem: in use, not available, permission (low port), unresolvable */
	SD_EXIT_REFUSED = 4, /* connection refused (RST or ICMP port unreachable) or reset by the peer */
};

enum sd_mode { SD_ECHO, SD_PRINT, SD_DISCARD }; /* what the server does with what arrives */

struct sd_opts {
	int type;            /* SOCK_STREAM (TCP, default) or SOCK_DGRAM (UDP) */
	int family;          /* AF_INET (default) or AF_INET6 */
	bool family_set;     /* -4 or -6 given: resolve HOST in that family only */
	const char *host;    /* server: -b ADDR; client: HOST; NULL means 127.0.0.1 / ::1 */
	uint16_t port;       /* default 8888 */
	enum sd_mode mode;   /* server only */
	const char *message; /* client -m TEXT (sent with a newline appended), NULL to read stdin */
	bool half_close;     /* client --shutdown: shutdown(SHUT_WR) at end of input, then read to EOF */
	bool loop;           /* scenario --loop */
	double pause;        /* scenario --pause SECONDS between runs */
};

#define SD_DEFAULT_PORT 8888

/* ---- format.c: pure helpers (no system calls), unit-tested ---- */

/* "ECONNREFUSED" for a known errno, else "E<number>" in a static buffer; NULL for 0. */
const char *fmt_errno_name(int err);
/* "127.0.0.1:8888" or "[::1]:8888"; "" for NULL or a family other than AF_INET/AF_INET6. */
size_t demo_fmt_endpoint(char *buf, size_t n, const struct sockaddr *sa);
/* strace-like "{AF_INET, 127.0.0.1:8888}" as in the narration. */
size_t fmt_sockaddr(char *buf, size_t n, const struct sockaddr *sa);
/* A C string literal of data as strace shows it: at most `show` bytes, then `...` when longer. */
size_t fmt_data(char *buf, size_t n, const void *data, size_t len, size_t show);
/* Names of constants, "?" (or a number) when unknown. */
const char *fmt_family(int family);
const char *fmt_socktype(int type);
const char *fmt_shut_how(int how);
size_t fmt_poll_events(char *buf, size_t n, short ev); /* "POLLIN|POLLOUT", "0" for none */
size_t fmt_msg_flags(char *buf, size_t n, int flags);   /* "MSG_NOSIGNAL|MSG_DONTWAIT", "0" */

/* One socket call as an event (one JSON line, schema in demo/EVENTS.md). */
struct sd_event {
	int64_t ts;         /* CLOCK_REALTIME microseconds when the call returned */
	int64_t dur;        /* microseconds the call took */
	long pid;
	const char *role;   /* "server" or "client" */
	const char *call;   /* "connect", "accept4", ... */
	int fd;             /* the socket acted on; -1 writes null (poll, failed socket) */
	const char *args;   /* the arguments as narrated, without the parentheses */
	long ret;
	int err;            /* errno of a failed call; written only when ret is -1, else null */
	const char *local;  /* endpoint or NULL/"" (null) */
	const char *remote; /* endpoint or NULL/"" (null) */
};
/* Writes the event as one JSON object ending in '\n'; returns its length, 0 if it did not fit. */
size_t fmt_event_line(char *buf, size_t n, const struct sd_event *ev);
/* Appends s to buf as a JSON string (with quotes); returns the new length, or n when it did not fit. */
size_t fmt_json_string(char *buf, size_t n, size_t at, const char *s);

/* ---- events.c: the --events file ---- */

/* Opens FILE for appending (O_APPEND|O_CREAT) or "-" for stdout; -1 with a message on failure. */
int events_open(const char *path);
/* Writes one complete line with a single write(); false (after a message) if it could not. */
bool events_write(int fd, const char *line, size_t len);

/* ---- narrate.c: each socket call, performed, narrated to stderr and recorded as an event ---- */

void narrate_init(const char *role, bool narrate, int events_fd);
void narrate_role(const char *role); /* after fork(): new role and pid */
bool narrate_on(void);
/* A plain narration line (headings, explanations) when narrating; nothing otherwise. */
void narrate_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int narrate_socket(int family, int type, int protocol);
int narrate_setsockopt_int(int fd, int level, int name, int value);
int narrate_setsockopt_linger(int fd, int onoff, int seconds);
int narrate_bind(int fd, const struct sockaddr *sa, socklen_t len);
int narrate_listen(int fd, int backlog);
int narrate_accept(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int narrate_connect(int fd, const struct sockaddr *sa, socklen_t len);
ssize_t narrate_send(int fd, const void *buf, size_t len, int flags);
ssize_t narrate_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *sa,
		       socklen_t salen);
ssize_t narrate_recv(int fd, void *buf, size_t len, int flags);
ssize_t narrate_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *sa, socklen_t *salen);
int narrate_poll(struct pollfd *fds, nfds_t n, int timeout);
int narrate_shutdown(int fd, int how);
int narrate_close(int fd);

/* ---- sockdemo.c: shared helpers ---- */

/* Resolves host (NULL: loopback of the family) and port into *ss; false with a message on failure. */
bool sd_resolve(const struct sd_opts *o, bool passive, struct sockaddr_storage *ss, socklen_t *len);
/* One line naming the cause and the fix for a failed bind()/connect(); returns the exit code. */
int sd_explain_failure(const char *what, const struct sockaddr *sa, int err, uint16_t port);
void sd_ignore_sigpipe(void);
void sd_raise_nofile(void);
int64_t sd_now_us(void);

int server_run(const struct sd_opts *o);
int client_run(const struct sd_opts *o);
int scenario_run(const char *name, const struct sd_opts *o);
void scenario_list(void);

#endif
