/* obuf.h — a large buffered writer to a file descriptor with fast number formatting; notices a closed pipe. */
#ifndef SYNWATCH_OBUF_H
#define SYNWATCH_OBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "view/fmt.h"

#define OBUF_SIZE (256 * 1024)

struct obuf {
	int fd;
	size_t len;          /* bytes waiting in buf */
	bool closed;         /* the reader went away (EPIPE): further output is dropped */
	int error;           /* errno of a write failure other than EPIPE, else 0 */
	char buf[OBUF_SIZE];
};

void obuf_init(struct obuf *o, int fd);
/* Write out what is buffered; false when the output is closed or failed. */
bool obuf_flush(struct obuf *o);
void obuf_write_slow(struct obuf *o, const void *p, size_t n);

static inline void obuf_write(struct obuf *o, const void *p, size_t n)
{
	if (o->len + n <= OBUF_SIZE) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		obuf_write_slow(o, p, n);
	}
}

static inline void obuf_putc(struct obuf *o, char ch)
{
	if (o->len == OBUF_SIZE)
		obuf_flush(o);
	o->buf[o->len++] = ch;
}

static inline void obuf_puts(struct obuf *o, const char *s)
{
	obuf_write(o, s, strlen(s));
}

/* Flush when more than half full (call once per record so a record is never split across writes). */
static inline void obuf_maybe_flush(struct obuf *o)
{
	if (o->len > OBUF_SIZE / 2)
		obuf_flush(o);
}

/* A pointer to at least n (<= OBUF_SIZE) free bytes at the end of the buffer, flushing first when there
   are fewer; write there with fmt_* and hand the new end to obuf_commit(). */
static inline char *obuf_reserve(struct obuf *o, size_t n)
{
	if (OBUF_SIZE - o->len < n)
		obuf_flush(o);
	return o->buf + o->len;
}

static inline void obuf_commit(struct obuf *o, char *end)
{
	o->len = (size_t)(end - o->buf);
}

/* p (a pointer into o->buf) with at least n free bytes after it: when there are fewer, what is written
   so far up to p goes out first (as a full buffer always did) and the new position comes back. */
static inline char *obuf_room(struct obuf *o, char *p, size_t n)
{
	if ((size_t)(o->buf + OBUF_SIZE - p) >= n)
		return p;
	obuf_commit(o, p);
	return obuf_reserve(o, n);
}

static inline void obuf_u64(struct obuf *o, uint64_t v)
{
	obuf_commit(o, fmt_u64(obuf_reserve(o, FMT_U64_MAX), v));
}

static inline void obuf_i64(struct obuf *o, int64_t v)
{
	obuf_commit(o, fmt_i64(obuf_reserve(o, FMT_U64_MAX + 1), v));
}

/* v with exactly `digits` digits, zero-padded (for fractions of a second, clock fields). */
static inline void obuf_u64_pad(struct obuf *o, uint64_t v, int digits)
{
	obuf_commit(o, fmt_pad(obuf_reserve(o, FMT_U64_MAX), v, digits));
}

/* A JSON string literal with escapes. */
void obuf_json_str(struct obuf *o, const char *s);
/* An address as inet_ntop writes it (af 4, else 6). */
void obuf_addr(struct obuf *o, int af, const uint8_t *addr);

#endif
