/* strbuf.c — a bounded text being appended to (strbuf.h). */
#include "common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void strbuf_init(struct strbuf *b, char *p, size_t n, enum strbuf_cut cut)
{
	b->p = p;
	b->n = n;
	b->len = 0;
	b->full = n == 0;
	b->cut = cut;
	if (n)
		p[0] = '\0';
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	if (b->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k >= b->n - b->len) {
		b->full = true;
		b->len = b->n - 1;
		if (b->cut == STRBUF_DOTS && b->n >= 4)
			memcpy(b->p + b->n - 4, "...", 4);
		return;
	}
	b->len += (size_t)k;
}
