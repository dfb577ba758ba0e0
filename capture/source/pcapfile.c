/* pcapfile.c — a fast reader for classic pcap files: records read in large blocks and handed out in place. */
/*
 * libpcap reads a savefile through stdio, two fread() calls per record, each copying the bytes once
 * more. This reader reads the file that libpcap already opened and validated with pread() in 256 KiB
 * blocks into one buffer and hands out the records where they lie (format: pcap-savefile(5)). A
 * read-only mapping of the file was the first design; on the benchmark's virtual machine its page
 * faults and TLB misses cost five times what the kernel's copy into a buffer that stays in cache does.
 *
 * It only takes what it is sure libpcap would hand over unchanged: version 2.4, the microsecond or
 * nanosecond magic in either byte order, records whose captured length fits both the file's snapshot
 * length and libpcap's 262144-byte limit and which the file holds whole. At the first record that is
 * anything else (damaged, truncated, bigger than the snapshot, cut by the end of the file) it stops and
 * returns its offset: the caller hands libpcap the rest of the file from there, so errors and odd records
 * get exactly libpcap's treatment and wording.
 *
 * The buffer: a record stays where it was read until the caller releases it (pcapfile_release). When
 * the next record would run past the buffer's end, the part of it already read moves to the start and
 * reading goes on from there (a new segment); a block is never read over bytes still held. Should the
 * caller hold so much that no room is left, the reader hands over to libpcap as for an odd record.
 */
#include "source/pcapfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_HDR_LEN 24             /* the file header */
#define REC_HDR_LEN 16              /* each record's header */
#define LIBPCAP_MAX_CAPLEN 262144u  /* libpcap's MAXIMUM_SNAPLEN for ordinary link types */
#define BUF_BYTES (8u << 20)        /* the buffer: room for the pipeline's 17 held records of 256 KiB */
#define READ_BYTES (256u << 10)     /* one pread(): small enough that the block is still in cache when read */

struct pcapfile {
	int fd;               /* libpcap's descriptor (pread only: its file position is left alone) */
	uint8_t *buf;         /* cap bytes */
	size_t cap;
	size_t pos;           /* buf index of the next record's header */
	size_t end;           /* buf bytes filled in this segment */
	uint64_t base;        /* file offset of buf[0] in this segment */
	uint64_t old_base;    /* file offset of buf[0] in the segment before (held records may lie there) */
	uint64_t released;    /* file offset before which the caller holds no record */
	uint32_t snaplen;     /* the file's snapshot length as libpcap took it (pcap_snapshot) */
	bool swapped;         /* the file's byte order is not ours */
	bool eof;             /* pread met the end of the file at base + end */
};

static uint32_t rd32(const uint8_t *p, bool swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

/*
 * Read at least one byte (up to READ_BYTES, or want if more) into the buffer after end, never over
 * bytes of the segment before that the caller still holds. 1: read; 0: end of file; -1: no room or
 * a read error (libpcap reads on and reports it).
 */
static int pcapfile_read(struct pcapfile *pf, size_t want)
{
	size_t len = want > READ_BYTES ? want : READ_BYTES;
	if (len > pf->cap - pf->end)
		len = pf->cap - pf->end;
	if (pf->released < pf->base) { /* records of the segment before are held from buf[released - old_base] */
		size_t held_from = pf->released >= pf->old_base ? (size_t)(pf->released - pf->old_base) : 0;
		size_t room = held_from > pf->end ? held_from - pf->end : 0;
		if (len > room)
			len = room;
	}
	if (len == 0)
		return -1;
	ssize_t r;
	do
		r = pread(pf->fd, pf->buf + pf->end, len, (off_t)(pf->base + pf->end));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0) {
		pf->eof = true;
		return 0;
	}
	pf->end += (size_t)r;
	return 1;
}

/* Start a new segment: the part of the next record already read moves to buf[0]. false: still held. */
static bool pcapfile_wrap(struct pcapfile *pf)
{
	size_t tail = pf->end - pf->pos;
	if (pf->released < pf->base || tail > pf->released - pf->base)
		return false; /* the segment before, or this one's start, is still held */
	memmove(pf->buf, pf->buf + pf->pos, tail);
	pf->old_base = pf->base;
	pf->base += pf->pos;
	pf->pos = 0;
	pf->end = tail;
	return true;
}

struct pcapfile *pcapfile_open_sized(int fd, uint32_t snaplen, size_t bufsize)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < PCAP_HDR_LEN ||
	    bufsize < PCAP_HDR_LEN + REC_HDR_LEN)
		return NULL;
	struct pcapfile *pf = calloc(1, sizeof *pf);
	if (!pf)
		return NULL;
	/* Huge pages where the kernel has them: one TLB entry for 2 MiB of the buffer. */
	size_t align = 2u << 20;
	size_t cap = (bufsize + align - 1) / align * align;
	pf->buf = aligned_alloc(align, cap);
	if (!pf->buf)
		goto no;
	(void)madvise(pf->buf, cap, MADV_HUGEPAGE);
	pf->cap = bufsize;
	pf->fd = fd;
	pf->snaplen = snaplen;
	while (pf->end < PCAP_HDR_LEN && !pf->eof)
		if (pcapfile_read(pf, PCAP_HDR_LEN - pf->end) < 0)
			goto no;
	if (pf->end < PCAP_HDR_LEN)
		goto no;
	uint32_t magic;
	memcpy(&magic, pf->buf, 4);
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		pf->swapped = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		pf->swapped = true;
	else
		goto no; /* pcapng, or a variant libpcap knows better (e.g. Kuznetzov's) */
	uint16_t major, minor;
	memcpy(&major, pf->buf + 4, 2);
	memcpy(&minor, pf->buf + 6, 2);
	if (pf->swapped) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	if (major != 2 || minor != 4)
		goto no; /* older versions may have caplen and len swapped: libpcap sorts that out */
	pf->pos = PCAP_HDR_LEN;
	pf->released = PCAP_HDR_LEN;
	return pf;
no:
	free(pf->buf);
	free(pf);
	return NULL;
}

struct pcapfile *pcapfile_open(int fd, uint32_t snaplen)
{
	return pcapfile_open_sized(fd, snaplen, BUF_BYTES);
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_rec *r)
{
	for (;;) {
		size_t have = pf->end - pf->pos;
		size_t need = REC_HDR_LEN;
		if (have >= REC_HDR_LEN) {
			const uint8_t *h = pf->buf + pf->pos;
			uint32_t caplen = rd32(h + 8, pf->swapped);
			if (caplen > pf->snaplen || caplen > LIBPCAP_MAX_CAPLEN || caplen > pf->cap - REC_HDR_LEN)
				return -1;
			need = REC_HDR_LEN + caplen;
			if (have >= need) {
				uint32_t sec = rd32(h, pf->swapped);
				r->ts_sec = pf->swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
				r->ts_frac = rd32(h + 4, pf->swapped);
				r->caplen = caplen;
				r->len = rd32(h + 12, pf->swapped);
				r->data = h + REC_HDR_LEN;
				r->offset = (size_t)(pf->base + pf->pos);
				pf->pos += need;
				return 1;
			}
		}
		if (pf->eof)
			return have == 0 ? 0 : -1; /* a record cut by the end of the file: libpcap says so */
		if (pf->cap - pf->pos < need && !pcapfile_wrap(pf))
			return -1;
		if (pcapfile_read(pf, need - (pf->end - pf->pos)) < 0)
			return -1;
	}
}

size_t pcapfile_offset(const struct pcapfile *pf)
{
	return (size_t)(pf->base + pf->pos);
}

void pcapfile_release(struct pcapfile *pf, size_t upto)
{
	if (pf && upto > pf->released)
		pf->released = upto;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	free(pf->buf);
	free(pf);
}
