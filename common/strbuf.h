/* strbuf.h — a bounded text being appended to: never written past its size, always terminated, a cut is noted. */
#ifndef SYNWATCH_STRBUF_H
#define SYNWATCH_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* What happens to a text that does not fit. */
enum strbuf_cut {
	STRBUF_CUT,  /* cut at the size, silently (callers check `full` when it matters) */
	STRBUF_DOTS, /* cut, and the last three bytes become "..." (strace's way for arguments) */
};

struct strbuf {
	char *p;             /* the text, NUL-terminated whenever n > 0 */
	size_t n;            /* size of p */
	size_t len;          /* bytes of text, without the terminator (at most n - 1) */
	bool full;           /* an append did not fit: the text is cut and takes no more */
	enum strbuf_cut cut; /* how a cut shows */
};

/* Starts an empty text in p[0..n); n may be 0 (then nothing is ever written and the text is full). */
void strbuf_init(struct strbuf *b, char *p, size_t n, enum strbuf_cut cut);

/* Appends printf-style; once something did not fit, appends nothing more. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
