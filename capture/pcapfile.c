/* pcapfile.c — a fast reader for classic pcap files: records straight from a read-only mapping, no copies. */
/*
 * libpcap reads a savefile with fread() into its own buffer: every byte is copied by the kernel and
 * again by stdio, which is most of libpcap's time on a large file. This reader maps the file that
 * libpcap already opened and validated, and walks the records in place (format: pcap-savefile(5)).
 *
 * It only takes what it is sure libpcap would hand over unchanged: version 2.4, the microsecond or
 * nanosecond magic in either byte order, records whose captured length fits both the file's snapshot
 * length and libpcap's 262144-byte limit and which lie wholly inside the mapped file. At the first record
 * that is anything else (damaged, truncated, bigger than the snapshot, or past the end the file had when
 * it was mapped) it stops and returns its offset: the caller hands libpcap the rest of the file from
 * there, so errors and odd records get exactly libpcap's treatment and wording.
 *
 * Pages already read are dropped from the mapping every few MiB (pcapfile_release), so the process's
 * resident memory stays small even on a file of many GiB; the data stays in the page cache.
 */
#include "pcapfile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_HDR_LEN 24             /* the file header */
#define REC_HDR_LEN 16              /* each record's header */
#define LIBPCAP_MAX_CAPLEN 262144u  /* libpcap's MAXIMUM_SNAPLEN for ordinary link types */
#define WINDOW (4u << 20)           /* map pages in ahead and drop them behind in steps of this many bytes */

struct pcapfile {
	uint8_t *map;         /* the whole file as it was when opened (mapped read-only) */
	size_t size;          /* bytes mapped */
	size_t off;           /* offset of the next record header */
	size_t released;      /* bytes at the start of the mapping already dropped (page multiple) */
	size_t populated;     /* bytes from the start whose page-table entries were made ahead of use */
	uint32_t snaplen;     /* the file's snapshot length as libpcap took it (pcap_snapshot) */
	bool swapped;         /* the file's byte order is not ours */
};

static uint32_t rd32(const uint8_t *p, bool swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

struct pcapfile *pcapfile_open(int fd, uint32_t snaplen)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < PCAP_HDR_LEN)
		return NULL;
	size_t size = (size_t)st.st_size;
	void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	uint8_t *map = m;
	uint32_t magic;
	memcpy(&magic, map, 4);
	bool swapped;
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swapped = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swapped = true;
	else
		goto no; /* pcapng, or a variant libpcap knows better (e.g. Kuznetzov's) */
	uint16_t major, minor;
	memcpy(&major, map + 4, 2);
	memcpy(&minor, map + 6, 2);
	if (swapped) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	if (major != 2 || minor != 4)
		goto no; /* older versions may have caplen and len swapped: libpcap sorts that out */
	struct pcapfile *pf = calloc(1, sizeof *pf);
	if (!pf)
		goto no;
	pf->map = map;
	pf->size = size;
	pf->off = PCAP_HDR_LEN;
	pf->snaplen = snaplen;
	pf->swapped = swapped;
	(void)madvise(m, size, MADV_SEQUENTIAL);
	return pf;
no:
	munmap(m, size);
	return NULL;
}

/*
 * Map the next window of the file in one call rather than fault on every 64 KiB of it (Linux 5.14's
 * MADV_POPULATE_READ; an older kernel says EINVAL and the pages fault in as they are read).
 */
static void pcapfile_populate(struct pcapfile *pf)
{
	size_t len = pf->size - pf->populated < WINDOW ? pf->size - pf->populated : WINDOW;
#ifdef MADV_POPULATE_READ
	if (madvise(pf->map + pf->populated, len, MADV_POPULATE_READ) != 0)
		len = pf->size - pf->populated; /* not supported (or an I/O error the reads will meet): stop trying */
#endif
	pf->populated += len;
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_rec *r)
{
	size_t off = pf->off;
	if (off + WINDOW / 2 > pf->populated && pf->populated < pf->size)
		pcapfile_populate(pf);
	if (off == pf->size)
		return 0;
	if (pf->size - off < REC_HDR_LEN)
		return -1;
	const uint8_t *h = pf->map + off;
	uint32_t caplen = rd32(h + 8, pf->swapped);
	if (caplen > pf->snaplen || caplen > LIBPCAP_MAX_CAPLEN || pf->size - off - REC_HDR_LEN < caplen)
		return -1;
	uint32_t sec = rd32(h, pf->swapped);
	r->ts_sec = pf->swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
	r->ts_frac = rd32(h + 4, pf->swapped);
	r->caplen = caplen;
	r->len = rd32(h + 12, pf->swapped);
	r->data = h + REC_HDR_LEN;
	r->offset = off;
	pf->off = off + REC_HDR_LEN + caplen;
	/* A page on (about ten records): the record and packet headers there, ahead of the hardware
	   prefetcher, which stops at every page boundary. 2048 bytes on was measurably slower. */
	const uint8_t *ahead = pf->map + pf->off + 4096;
	__builtin_prefetch(ahead);
	__builtin_prefetch(ahead + 64);
	__builtin_prefetch(ahead + 128);
	return 1;
}

size_t pcapfile_offset(const struct pcapfile *pf)
{
	return pf->off;
}

void pcapfile_release(struct pcapfile *pf, size_t upto)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t ps = page > 0 ? (size_t)page : 4096;
	if (upto > pf->size)
		upto = pf->size;
	upto -= upto % ps;
	if (upto < pf->released + WINDOW)
		return;
	/* Read-only private file pages: dropping them only unmaps them (the page cache keeps the data). */
	(void)madvise(pf->map + pf->released, upto - pf->released, MADV_DONTNEED);
	pf->released = upto;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	munmap(pf->map, pf->size);
	free(pf);
}
