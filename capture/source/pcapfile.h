/* pcapfile.h — the classic pcap record parser over the capture-file buffer (capbuf.h): records handed out in place. */
#ifndef SYNWATCH_PCAPFILE_H
#define SYNWATCH_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/capbuf.h"

struct pcapfile;

/*
 * Read the file or pipe on fd when it is a version 2.4 pcap (microsecond or nanosecond magic, either
 * byte order; the header at offset 0 of a file, or the next bytes of a pipe); snaplen is the file's
 * snapshot length as libpcap takes it (pcap_snapshot), linktype its DLT_* value (pcap_datalink), both
 * given to every record. NULL: not for this reader (an old version, a variant libpcap knows better, no
 * memory); keep reading with libpcap. A regular file is read with pread (its position is left alone).
 */
struct pcapfile *pcapfile_open(int fd, uint32_t snaplen, int linktype);

/* The same with a buffer of bufsize bytes (pcapfile_open's is CAPBUF_BYTES): for tests of its edges. */
struct pcapfile *pcapfile_open_sized(int fd, uint32_t snaplen, int linktype, size_t bufsize);

/* The n bytes at h begin a file this reader takes (a version 2.4 pcap header). */
bool pcapfile_takes(const uint8_t *h, size_t n);

/* The same over a buffer that already holds the file's first bytes (from offset 0); *b is taken over
   (also when NULL comes back: then it is freed). */
struct pcapfile *pcapfile_attach(struct capbuf *b, uint32_t snaplen, int linktype);

/*
 * The next record (ts_frac in the file's own unit: microseconds, or nanoseconds in a nanosecond file):
 * 1 with *r filled, 0 at the clean end of the file, -1 when the record at pcapfile_offset() is one for
 * libpcap (damaged, truncated, oversized, a read error, no room): continue there with libpcap; -3
 * (CAPBUF_AGAIN) when a pipe has no bytes yet.
 */
int pcapfile_next(struct pcapfile *pf, struct caprec *r);

uint64_t pcapfile_offset(const struct pcapfile *pf); /* offset of the next record */

/* A record's 16-byte header h (in the file's byte order: swapped) into r's ts_sec, ts_frac, caplen and len,
   as libpcap 1.10 reads them. */
void pcapfile_header_fields(const uint8_t *h, bool swapped, struct caprec *r);
bool pcapfile_nanosecond(const struct pcapfile *pf); /* the nanosecond magic */

/* The 24-byte file header, and the bytes read but not handed out (from pcapfile_offset() on): what a
   pipe's reader hands to libpcap with the rest of the pipe. */
const uint8_t *pcapfile_header(const struct pcapfile *pf);
const uint8_t *pcapfile_unread(const struct pcapfile *pf, size_t *len);

/* Records before file offset upto will not be used again: their bytes may be read over. Every record
   handed out at or after upto stays where it is. */
void pcapfile_release(struct pcapfile *pf, uint64_t upto);

/* At the end of the file, wait for more (CAPBUF_AGAIN) instead of ending: the file is still being written. */
void pcapfile_follow(struct pcapfile *pf);

void pcapfile_close(struct pcapfile *pf);

#endif
