/* format.h — sockdemo's pure formatting (no system calls, unit-tested): endpoints, errno names, JSON event lines. */
#ifndef SOCKDEMO_FORMAT_H
#define SOCKDEMO_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* "ECONNREFUSED" for a known errno, else "E<number>" in a static buffer; NULL for 0. */
const char *fmt_errno_name(int err);
/* "127.0.0.1:8888" or "[::1]:8888"; "" for NULL or a family other than AF_INET/AF_INET6. */
size_t demo_fmt_endpoint(char *buf, size_t n, const struct sockaddr *sa);
/* The narration's short form of an address: "{AF_INET, 127.0.0.1:8888}" ("NULL" for none). */
size_t fmt_sockaddr(char *buf, size_t n, const struct sockaddr *sa);

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

#endif
