/* pcapfile.h — a fast, copy-free reader for classic pcap files (libpcap stays the reader of everything else). */
#ifndef SYNWATCH_PCAPFILE_H
#define SYNWATCH_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One record, as libpcap would hand it over (no timestamp scaling: the file's own precision). */
struct pcapfile_rec {
	int64_t ts_sec;          /* as libpcap 1.10 reads it: signed in a file of our byte order, unsigned in a swapped one */
	uint32_t ts_frac;        /* microseconds, or nanoseconds in a nanosecond file */
	uint32_t caplen, len;
	const uint8_t *data;     /* caplen bytes inside the mapping: valid until pcapfile_release passes them */
	size_t offset;           /* of the record's header in the file */
};

struct pcapfile;

/*
 * Map the regular file open on fd (libpcap's descriptor, the file header already checked by libpcap)
 * when it is a version 2.4 pcap; snaplen is pcap_snapshot()'s value. NULL: not for this reader (pcapng,
 * a pipe, an old version, no memory); keep reading with libpcap.
 */
struct pcapfile *pcapfile_open(int fd, uint32_t snaplen);

/*
 * The next record: 1 with *r filled, 0 at the clean end of the file, -1 when the record at
 * pcapfile_offset() is one for libpcap (damaged, truncated, oversized): continue there with libpcap.
 */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_rec *r);

size_t pcapfile_offset(const struct pcapfile *pf); /* offset of the next record */

/* Records before file offset upto will not be used again: their pages may leave the mapping. */
void pcapfile_release(struct pcapfile *pf, size_t upto);

void pcapfile_close(struct pcapfile *pf);

#endif
