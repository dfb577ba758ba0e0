/* obuf.c — buffered output with hand-rolled number formatting (printf is the hot spot of text output). */
#include "obuf.h"

#include <arpa/inet.h>
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

void obuf_u64(struct obuf *o, uint64_t v)
{
	char tmp[20];
	int i = 20;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	obuf_write(o, tmp + i, (size_t)(20 - i));
}

void obuf_i64(struct obuf *o, int64_t v)
{
	if (v < 0) {
		obuf_putc(o, '-');
		obuf_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		obuf_u64(o, (uint64_t)v);
	}
}

void obuf_u64_pad(struct obuf *o, uint64_t v, int digits)
{
	char tmp[20];
	if (digits > 20)
		digits = 20;
	for (int i = digits - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + v % 10);
		v /= 10;
	}
	obuf_write(o, tmp, (size_t)digits);
}

void obuf_json_str(struct obuf *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	obuf_putc(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			obuf_putc(o, '\\');
			obuf_putc(o, (char)*p);
		} else if (*p < 0x20) {
			char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			obuf_write(o, esc, sizeof esc);
		} else {
			obuf_putc(o, (char)*p);
		}
	}
	obuf_putc(o, '"');
}

void obuf_addr(struct obuf *o, int af, const uint8_t *addr)
{
	if (af == 4) {
		for (int i = 0; i < 4; i++) {
			if (i)
				obuf_putc(o, '.');
			obuf_u64(o, addr[i]);
		}
		return;
	}
	char tmp[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, addr, tmp, sizeof tmp))
		obuf_puts(o, tmp);
	else
		obuf_puts(o, "?");
}
