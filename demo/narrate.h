/* narrate.h — each socket call, performed, narrated to stderr in strace's form and recorded as an event. */
#ifndef SOCKDEMO_NARRATE_H
#define SOCKDEMO_NARRATE_H

#include <linux/filter.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Starts narrating as role (narrate: lines to stderr; events_fd: the --events file, or -1). */
void narrate_init(const char *role, bool narrate, int events_fd);
void narrate_role(const char *role); /* after fork(): new role and pid */
bool narrate_on(void);
/* --pace SECONDS, --pace-file FILE: wait before each call that changes a socket's state or sends; with a
   file, the wait is read from it again before and during each wait (file NULL: seconds only). */
void narrate_pace(double seconds, const char *file);
/* A plain narration line (headings, explanations) when narrating; nothing otherwise. */
void narrate_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The socket calls, each as its system call does (errno kept), told when narrating or recording. */
int narrate_socket(int family, int type, int protocol);
int narrate_setsockopt_int(int fd, int level, int name, int value);
int narrate_setsockopt_linger(int fd, int onoff, int seconds);
int narrate_setsockopt_str(int fd, int level, int name, const char *value); /* TCP_CONGESTION "reno" */
/* SO_ATTACH_FILTER: what says in words what the filter does ("drops 1% of the data segments"). */
int narrate_setsockopt_filter(int fd, const struct sock_fprog *prog, const char *what);
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

#endif
