/* capbuf.c — the capture-file readers' buffer: pread() of a file or read() of a pipe in large blocks, records kept in place. */
/*
 * libpcap reads a savefile through stdio, two fread() calls per record, each copying the bytes once
 * more. The readers here read 256 KiB blocks into one buffer and hand out the records where they lie.
 * A read-only mapping of the file was the first design; on the benchmark's virtual machine its page
 * faults and TLB misses cost five times what the kernel's copy into a buffer that stays in cache does.
 */
#include "source/capbuf.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool capbuf_init(struct capbuf *b, int fd, size_t bufsize)
{
	memset(b, 0, sizeof *b);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || bufsize < 64)
		return false;
	/* Huge pages where the kernel has them: one TLB entry for 2 MiB of the buffer (a smaller buffer, as
	   tests and the fuzz harness use, is not rounded up to one). */
	size_t align = bufsize >= (2u << 20) ? 2u << 20 : 64;
	size_t cap = (bufsize + align - 1) / align * align;
	b->buf = aligned_alloc(align, cap);
	if (!b->buf)
		return false;
	(void)madvise(b->buf, cap, MADV_HUGEPAGE);
	b->cap = bufsize;
	b->fd = fd;
	b->seq = !S_ISREG(st.st_mode);
	b->wait = true;
	return true;
}

void capbuf_free(struct capbuf *b)
{
	free(b->buf);
	b->buf = NULL;
}

/*
 * Read at least one byte (up to CAPBUF_READ, or want if more) into the buffer after end, never over
 * bytes of the segment before that the caller still holds.
 */
static int capbuf_read(struct capbuf *b, size_t want)
{
	size_t len = want > CAPBUF_READ ? want : CAPBUF_READ;
	if (len > b->cap - b->end)
		len = b->cap - b->end;
	if (b->released < b->base) { /* records of the segment before are held from buf[released - old_base] */
		size_t held_from = b->released >= b->old_base ? (size_t)(b->released - b->old_base) : 0;
		size_t room = held_from > b->end ? held_from - b->end : 0;
		if (len > room)
			len = room;
	}
	if (len == 0)
		return CAPBUF_FULL;
	ssize_t r;
	if (b->seq) {
		if (!b->wait) {
			struct pollfd pfd = { .fd = b->fd, .events = POLLIN };
			int n = poll(&pfd, 1, 0);
			if (n == 0 || (n < 0 && errno == EINTR))
				return CAPBUF_AGAIN;
		}
		r = read(b->fd, b->buf + b->end, len);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			return CAPBUF_AGAIN; /* a signal: the caller's loop looks at its flags, then asks again */
	} else {
		do
			r = pread(b->fd, b->buf + b->end, len, (off_t)(b->base + b->end));
		while (r < 0 && errno == EINTR);
	}
	if (r < 0) {
		b->err = errno;
		return CAPBUF_ERROR;
	}
	if (r == 0) {
		if (b->follow && !b->seq)
			return CAPBUF_AGAIN; /* --follow: more may be written; look again later */
		b->eof = true;
		return CAPBUF_EOF;
	}
	b->end += (size_t)r;
	return CAPBUF_OK;
}

/* Start a new segment: the unread bytes move to buf[0]. false: bytes still held are in the way (in
   the segment before, or in this one's [released - base, pos) where the move would land). */
static bool capbuf_wrap(struct capbuf *b)
{
	size_t tail = b->end - b->pos;
	if (b->released < b->base)
		return false;
	uint64_t free_to = b->released - b->base; /* this segment's bytes before it are free */
	if (free_to < b->pos && tail > free_to)
		return false;
	memmove(b->buf, b->buf + b->pos, tail);
	b->old_base = b->base;
	b->base += b->pos;
	b->pos = 0;
	b->end = tail;
	return true;
}

int capbuf_fill(struct capbuf *b, size_t n)
{
	while (b->end - b->pos < n) {
		if (b->eof)
			return CAPBUF_EOF;
		if (n > b->cap || (b->cap - b->pos < n && !capbuf_wrap(b)))
			return CAPBUF_FULL;
		int rc = capbuf_read(b, n - (b->end - b->pos));
		if (rc != CAPBUF_OK && rc != CAPBUF_EOF)
			return rc;
	}
	return CAPBUF_OK;
}

int capbuf_skip(struct capbuf *b, uint64_t *left)
{
	while (*left > 0) {
		if (b->pos == b->end) {
			int rc = capbuf_need(b, 1);
			if (rc != CAPBUF_OK)
				return rc;
		}
		size_t k = b->end - b->pos;
		if (k > *left)
			k = (size_t)*left;
		b->pos += k;
		*left -= k;
	}
	return CAPBUF_OK;
}
