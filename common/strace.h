/*
 * strace.h — socket calls written as strace writes them: constants and flag sets by name, quoted data,
 * socket() and sockopt arguments, pollfds, and the "call(args) = ret ERRNO (text)" line. One formatter for
 * the tracer (capture/calls/trace.c), the events view (capture/calls/events.c) and sockdemo's narration.
 */
#ifndef SYNWATCH_STRACE_H
#define SYNWATCH_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"
#include "common/tok.h"

/* Tables of the names strace prints, in strace's order (flag sets are printed in table order). */
extern const struct tok strace_families[];  /* AF_INET, AF_INET6, AF_UNIX... */
extern const struct tok strace_sock_flags[]; /* SOCK_CLOEXEC, SOCK_NONBLOCK (socket()'s type, accept4()) */
extern const struct tok strace_msg_flags[]; /* MSG_OOB... (send, recv, msghdr's msg_flags) */
extern const struct tok strace_poll_bits[]; /* POLLIN... (pollfd events and revents) */
extern const struct tok strace_shut_hows[]; /* SHUT_RD, SHUT_WR, SHUT_RDWR */

/* A flag set: the names of its bits joined by '|', bits without a name as one hex number; "0" for none. */
void strace_flags(struct strbuf *b, const struct tok *t, unsigned int v);

/* A constant by name, or as strace prints an unknown one: its value in hex, then `unknown` in a C comment. */
void strace_const(struct strbuf *b, const struct tok *t, unsigned int v, const char *unknown);

/* socket()'s three arguments: "AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP". */
void strace_socket_args(struct strbuf *b, unsigned int domain, unsigned int type, unsigned int protocol);

/* setsockopt()/getsockopt()'s level and name: "SOL_SOCKET, SO_REUSEADDR", "SOL_TCP, TCP_NODELAY". */
void strace_sockopt(struct strbuf *b, unsigned int level, unsigned int name);
/* The option's name alone ("SO_REUSEADDR"), NULL when strace_sockopt() would print it as a number. */
const char *strace_sockopt_name(unsigned int level, unsigned int name);

/* How quote() writes bytes that have no C escape of their own. */
enum strace_quote {
	STRACE_OCTAL, /* strace's: \v \f named, others in octal ("\1", "\001" before a digit) */
	STRACE_HEX,   /* sockdemo's narration: "\x01" */
};

/*
 * len bytes of data as a C string literal: \t \n \r \" \\ escaped, printable ASCII as is, the rest as
 * `style` says; `more` adds "..." after the closing quote (the data went on beyond what is shown).
 */
void strace_quote(struct strbuf *b, const void *data, size_t len, bool more, enum strace_quote style);

/* One pollfd: "{fd=3, events=POLLIN}", "{fd=-1}" (an entry poll ignores) or, for revents, "{fd=3, revents=POLLIN}". */
void strace_pollfd(struct strbuf *b, int fd, short bits, bool revents);

/*
 * A completed call as strace prints it, without pid or newline, into buf[0..n):
 *   "call(args) = ret"                      errname NULL or ""
 *   "call(args) = -1 ECONNREFUSED (text)"   err != 0: text is strerror(err)
 *   "call(args) = -1 ENAME"                 errname given but err 0 (a name this tree does not know)
 *   "call(args) = ? ERESTARTSYS (text)"     err 512..516: interrupted for a restart, strace's text
 * followed by note (poll's " ([{fd=3, revents=POLLIN}])", " (Timeout)"; NULL for none). Returns the
 * length snprintf would have written.
 */
int strace_call(char *buf, size_t n, const char *call, const char *args, int64_t ret, int err, const char *errname,
		const char *note);

#endif
