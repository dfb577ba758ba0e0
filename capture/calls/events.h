/* events.h — socket-call events: sockdemo's --events JSON lines, a tail -f reader, strace-style lines. */
#ifndef SYNWATCH_EVENTS_H
#define SYNWATCH_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"

#define SOCKEV_ROLE_MAX 16     /* role[] size: "server", "client", "traced" */
#define SOCKEV_CALL_MAX 16     /* call[] size: "accept4", "setsockopt"... */
#define SOCKEV_ARGS_MAX 256    /* args[] size; longer text is cut and ends in "..." */
#define SOCKEV_ERRNAME_MAX 24  /* errname[] size: "ECONNREFUSED", "ERESTART_RESTARTBLOCK" */
#define SOCKEV_RETNOTE_MAX 96  /* retnote[] size */

/*
 * One socket call, complete (entered and returned). Fixed size and self-contained: copy it freely.
 * Filled from sockdemo's --events stream (events_parse_line) or by the ptrace tracer (trace.h).
 * Endpoints use include/endpoint.h's struct endpoint; af 0 means "none / not known".
 */
struct sock_event {
	int64_t ts_us;                    /* CLOCK_REALTIME microseconds when the call returned */
	int64_t dur_us;                   /* microseconds the call took; 0 when not known */
	int32_t pid;                      /* process (tracer: thread id) that made the call */
	char role[SOCKEV_ROLE_MAX];       /* "server", "client" (sockdemo) or "traced" (tracer) */
	char call[SOCKEV_CALL_MAX];       /* system call name: socket, connect, accept4, read... */
	int32_t fd;                       /* the socket acted on (socket(): the new one); -1 none */
	char args[SOCKEV_ARGS_MAX];       /* arguments as strace prints them, without the parentheses */
	int64_t ret;                      /* return value (-1 on error) */
	int32_t err;                      /* errno value when the call failed, else 0 */
	char errname[SOCKEV_ERRNAME_MAX]; /* "ECONNREFUSED", "" when none */
	char retnote[SOCKEV_RETNOTE_MAX]; /* strace's text after the return value, e.g. poll's
	                                     " ([{fd=3, revents=POLLIN}])" or " (Timeout)"; often "" */
	struct endpoint local;            /* this end of the socket, af 0 if unknown */
	struct endpoint remote;           /* the peer (connect/accept/sendto/recvfrom), af 0 if unknown */
};

/*
 * Parses one line of sockdemo's --events stream: a flat JSON object (no trailing newline needed) with
 * the keys ts (integer µs), dur (integer µs, optional), pid, role, call, fd (integer or null), args
 * (string), ret, errno (string name or null), local, remote ("127.0.0.1:8888", "[::1]:8888" or null).
 * ts, pid, call and ret are required; unknown keys are ignored; string escapes including \uXXXX are
 * decoded; args longer than SOCKEV_ARGS_MAX-1 bytes are cut and end in "...".
 * Returns true with *ev filled; false with a one-line message in err naming the 1-based column and the
 * problem ("column 17: expected ':' after key"). No allocation.
 */
bool events_parse_line(const char *line, struct sock_event *ev, char *err, size_t errlen);

/* Parses "127.0.0.1:8888" or "[::1]:8888" into *ep (af 4 or 6); false when it is neither. */
bool events_parse_endpoint(const char *s, struct endpoint *ep);

/* common/endpoint_fmt.h's endpoint_format(): "127.0.0.1:8888" / "[::1]:8888" (or "-" for af 0) into buf;
   returns the length snprintf would. */
int events_format_endpoint(const struct endpoint *ep, char *buf, size_t n);

/*
 * Formats the event as strace prints it (common/strace.h's strace_call), without pid or newline:
 *   connect(3, {AF_INET, 127.0.0.1:8888}, 16) = -1 ECONNREFUSED (Connection refused)
 *   accept4(3, {sa_family=AF_INET, ...}, [128 => 16], SOCK_NONBLOCK) = 4
 *   poll([{fd=4, events=POLLIN}], 1, -1) = 1 ([{fd=4, revents=POLLIN}])
 * Calls interrupted for a restart (ERESTARTSYS...) print "= ? ERESTARTSYS (...)" as strace does.
 * Returns the length snprintf would have written (output is cut to fit n, always terminated if n > 0).
 */
int events_format_strace(const struct sock_event *ev, char *buf, size_t n);

/* ---- Following a growing events file (like tail -f) ---- */

#define EVENTS_LINE_MAX 8192 /* longest line accepted; longer ones are reported as malformed */

/* State of one followed file. The caller owns it (no allocation); open with events_reader_open. */
struct events_reader {
	int fd;                      /* the open file, -1 when closed */
	char path[256];              /* for messages */
	char buf[EVENTS_LINE_MAX];   /* bytes read but not yet returned: [0, len) */
	size_t len;
	size_t start;                /* first byte of buf not yet consumed */
	bool discarding;             /* inside an over-long line: drop bytes up to its newline */
	bool eof;                    /* the last read() returned 0: nothing more until the file grows */
	uint64_t lineno;             /* number of the last line returned or reported (1-based) */
	uint64_t events;             /* lines parsed into events */
	uint64_t malformed;          /* lines reported as malformed */
	int64_t offset;              /* bytes of the file consumed; a shorter file means it was truncated */
};

enum events_status {
	EVENTS_EVENT = 0,   /* *ev holds the next event */
	EVENTS_NONE = 1,    /* no complete line available now; call again when the file may have grown */
	EVENTS_BAD = 2,     /* one malformed line was skipped; err says "FILE:LINE: column C: problem" */
	EVENTS_ERROR = 3,   /* reading failed; err says why; the reader stays usable */
};

/*
 * Opens PATH for following from its beginning. A missing or unreadable file fails with a one-line
 * message in err ("cannot open events file 'F': No such file or directory; fix: ...").
 */
bool events_reader_open(struct events_reader *r, const char *path, char *err, size_t errlen);

/*
 * Returns the next complete line's event without blocking (reads whatever the file holds now; a
 * partial last line is kept for the next call). Loop until EVENTS_NONE, then wait (poll a timer) and
 * call again. If the file was truncated (shorter than what was read), reading restarts at its start.
 */
enum events_status events_reader_next(struct events_reader *r, struct sock_event *ev, char *err,
				      size_t errlen);

void events_reader_close(struct events_reader *r);

#endif
