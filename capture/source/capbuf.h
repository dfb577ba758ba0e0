/* capbuf.h — the capture-file readers' buffer: large reads of a file (pread) or pipe (read), records handed out where they lie. */
#ifndef SYNWATCH_CAPBUF_H
#define SYNWATCH_CAPBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pkt_iface;

/*
 * One record as a capture-file reader hands it out: the bytes stay in the reader's buffer until the
 * caller releases the offset before them. Both readers (pcapfile.c, pcapng.c) fill every field.
 */
struct caprec {
	int64_t ts_sec;          /* seconds since the epoch (classic pcap: as libpcap 1.10 reads the 32-bit field) */
	uint32_t ts_frac;        /* microseconds or nanoseconds: see the reader (pcapng: always nanoseconds) */
	uint32_t caplen, len;
	const uint8_t *data;     /* caplen bytes in the reader's buffer */
	uint64_t offset;         /* of the record's header (pcapng: its block) in the file */
	int linktype;            /* DLT_* value */
	const struct pkt_iface *iface; /* pcapng: the interface that captured it; NULL for classic pcap */
	bool iface_several;      /* pcapng: the file has described more than one interface so far */
	const char *comment;     /* pcapng: the first opt_comment, comment_len bytes (not terminated), or NULL */
	uint16_t comment_len;
};

/* A record's time as seconds and nanoseconds: frac is microseconds, or nanoseconds with nano; a damaged
   record can hold a second or more in it, carried into the seconds. */
static inline void caprec_time(int64_t sec, uint32_t frac, bool nano, int64_t *ts_sec, uint32_t *ts_nsec)
{
	uint64_t nsec = nano ? frac : (uint64_t)frac * 1000;
	int64_t carry = (int64_t)(nsec / 1000000000u);
	*ts_sec = sec <= INT64_MAX - carry ? sec + carry : INT64_MAX;
	*ts_nsec = (uint32_t)(nsec % 1000000000u);
}

/*
 * The buffer. A record stays where it was read until the caller releases it (capbuf_release). When the
 * next record would run past the buffer's end, the part of it already read moves to the start and
 * reading goes on from there (a new segment); a read never lands on bytes still held. A regular file
 * is read with pread() (its file position is left alone: libpcap may own it); anything else (a pipe,
 * stdin) with read(), in order, and only when poll() says there is something to read once the reader is
 * open (capbuf.wait false), so that a quiet pipe never blocks the caller.
 */
struct capbuf {
	int fd;
	bool seq;             /* read() in order; else pread() at base + end */
	bool wait;            /* seq: block until bytes come (while opening); else return CAPBUF_AGAIN */
	uint8_t *buf;         /* cap bytes (allocated in 2 MiB units, for huge pages) */
	size_t cap;
	size_t pos;           /* buf index of the next unread byte */
	size_t end;           /* buf bytes filled in this segment */
	uint64_t base;        /* file offset of buf[0] in this segment */
	uint64_t old_base;    /* file offset of buf[0] in the segment before (held records may lie there) */
	uint64_t released;    /* file offset before which the caller holds no record */
	bool eof;             /* the file ended at base + end */
	bool follow;          /* a regular file that may grow: its end is CAPBUF_AGAIN, read again later */
	int err;              /* errno of the read that failed (CAPBUF_ERROR), else 0 */
};

enum {
	CAPBUF_OK = 1,     /* the bytes asked for are at capbuf_at() */
	CAPBUF_EOF = 0,    /* the file ends first: capbuf_have() bytes are all there is */
	CAPBUF_FULL = -1,  /* no room without reading over held records: release some (or the record is too big) */
	CAPBUF_ERROR = -2, /* a read failed: err */
	CAPBUF_AGAIN = -3, /* a pipe has nothing to read now (or a signal came): ask again later */
};

#define CAPBUF_BYTES (8u << 20)    /* the readers' buffer: room for the pipeline's 17 held records of 256 KiB */
#define CAPBUF_READ (256u << 10)   /* one read: small enough that the block is still in cache when used */

/* A buffer of bufsize bytes over fd, reading from offset 0 (regular files) or the pipe's next byte. */
bool capbuf_init(struct capbuf *b, int fd, size_t bufsize);
void capbuf_free(struct capbuf *b);

/* Make n bytes available at capbuf_at(): CAPBUF_OK, or one of the others above. */
int capbuf_fill(struct capbuf *b, size_t n);
static inline int capbuf_need(struct capbuf *b, size_t n)
{
	return b->end - b->pos >= n ? CAPBUF_OK : capbuf_fill(b, n);
}

/* Pass over *left bytes (reading through them); *left counts down. CAPBUF_OK when all are passed. */
int capbuf_skip(struct capbuf *b, uint64_t *left);

static inline const uint8_t *capbuf_at(const struct capbuf *b) { return b->buf + b->pos; }
static inline size_t capbuf_have(const struct capbuf *b) { return b->end - b->pos; }
static inline void capbuf_take(struct capbuf *b, size_t n) { b->pos += n; } /* n <= capbuf_have() */
static inline uint64_t capbuf_offset(const struct capbuf *b) { return b->base + b->pos; }

/* Records before file offset upto will not be used again: their bytes may be read over. */
static inline void capbuf_release(struct capbuf *b, uint64_t upto)
{
	if (upto > b->released)
		b->released = upto;
}

#endif
