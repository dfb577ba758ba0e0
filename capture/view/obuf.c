/* obuf.c — buffered output with hand-rolled number formatting (printf is the hot spot of text output). */
#include "view/obuf.h"

#include <errno.h>
#include <unistd.h>

void obuf_init(struct obuf *o, int fd)
{
	o->fd = fd;
	o->len = 0;
	o->closed = false;
	o->error = 0;
}

bool obuf_flush(struct obuf *o)
{
	size_t off = 0;
	while (off < o->len && !o->closed) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				o->error = errno;
			o->closed = true;
			break;
		}
		off += (size_t)w;
	}
	o->len = 0;
	return !o->closed;
}

void obuf_write_slow(struct obuf *o, const void *p, size_t n)
{
	const char *s = p;
	while (n > 0) {
		if (o->len == OBUF_SIZE)
			obuf_flush(o);
		size_t room = OBUF_SIZE - o->len;
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

void obuf_json_str(struct obuf *o, const char *s)
{
	size_t n = strlen(s);
	if (n <= (OBUF_SIZE / 2 - 2) / 6) {
		obuf_commit(o, fmt_json(obuf_reserve(o, 6 * n + 2), s, n));
		return;
	}
	/* Too long to escape in one piece: a slice at a time (an escape never spans two slices). */
	const size_t slice = (OBUF_SIZE / 2) / 6;
	obuf_putc(o, '"');
	for (size_t i = 0; i < n; i += slice) {
		size_t k = n - i < slice ? n - i : slice;
		obuf_commit(o, fmt_json_body(obuf_reserve(o, 6 * k), s + i, k));
	}
	obuf_putc(o, '"');
}

void obuf_addr(struct obuf *o, int af, const uint8_t *addr)
{
	char *p = obuf_reserve(o, FMT_IPV6_MAX);
	obuf_commit(o, af == 4 ? fmt_ipv4(p, addr) : fmt_ipv6(p, addr));
}
