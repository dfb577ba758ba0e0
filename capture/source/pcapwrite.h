/* pcapwrite.h — the one pcap file writer: -w's stream and the panel's save, whole records on disk. */
#ifndef SYNWATCH_PCAPWRITE_H
#define SYNWATCH_PCAPWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A file goes through a stdio buffer that the writer flushes itself, always between two records, before
 * it would fill: every write(2) ends on a record boundary, so even a SIGKILL leaves a file of whole
 * records. The header is on the disk when the open returns: the file is a valid capture from then on.
 * The path "-" is standard output (libpcap's own buffering; closing the writer closes it).
 */
struct pcapw;
struct pcap; /* libpcap's pcap_t */

/* -w: a file whose header (link type, snapshot length, timestamp precision) is that of the open capture
   `like`. NULL on failure, with the reason (strerror or libpcap's message) in why; nothing is left behind. */
struct pcapw *pcapw_open_like(struct pcap *like, const char *path, char *why, size_t whylen);
/* The panel's save: a file of link type `linktype` (a DLT), snapshot length snaplen, nanosecond or
   microsecond timestamps. NULL on failure with the reason in why. */
struct pcapw *pcapw_open(const char *path, int linktype, int snaplen, bool nano, char *why, size_t whylen);

/* One record: ts_frac is in the file's precision (microseconds, or nanoseconds with nano). */
void pcapw_write(struct pcapw *w, int64_t ts_sec, int64_t ts_frac, uint32_t caplen, uint32_t len,
		 const uint8_t *data);
/* Push what is buffered to the file; false when that write failed (disk full). */
bool pcapw_flush(struct pcapw *w);
/* Flush and close (NULL is a no-op); false when anything written since the open did not reach the file. */
bool pcapw_close(struct pcapw *w);

#endif
