/* pcapfile.h — a fast reader for classic pcap files, records handed out in place (libpcap stays the reader of everything else). */
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
	const uint8_t *data;     /* caplen bytes in the reader's buffer: valid until pcapfile_release passes them */
	size_t offset;           /* of the record's header in the file */
};

struct pcapfile;

/*
 * Read the regular file open on fd (libpcap's descriptor, the file header already checked by libpcap;
 * read with pread, so its position is left alone) when it is a version 2.4 pcap; snaplen is
 * pcap_snapshot()'s value. NULL: not for this reader (pcapng, a pipe, an old version, no memory); keep
 * reading with libpcap.
 */
struct pcapfile *pcapfile_open(int fd, uint32_t snaplen);

/* The same with a buffer of bufsize bytes (pcapfile_open's is 8 MiB): for tests of its edges. */
struct pcapfile *pcapfile_open_sized(int fd, uint32_t snaplen, size_t bufsize);

/*
 * The next record: 1 with *r filled, 0 at the clean end of the file, -1 when the record at
 * pcapfile_offset() is one for libpcap (damaged, truncated, oversized): continue there with libpcap.
 */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_rec *r);

size_t pcapfile_offset(const struct pcapfile *pf); /* offset of the next record */

/* Records before file offset upto will not be used again: their bytes may be read over. Every record
   handed out at or after upto stays where it is. */
void pcapfile_release(struct pcapfile *pf, size_t upto);

void pcapfile_close(struct pcapfile *pf);

#endif
