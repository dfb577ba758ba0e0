/* pcapngwrite.h — the pcapng file writer: section header, interfaces, packets with comments, synwatch's custom blocks, statistics; whole blocks on disk. */
#ifndef SYNWATCH_PCAPNGWRITE_H
#define SYNWATCH_PCAPNGWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Blocks are built in a buffer that the writer pushes to the file itself, always between two blocks and
 * before the next block would not fit: every write(2) ends on a block boundary, so a SIGKILL leaves a
 * file of whole blocks (like pcapwrite.h's records). The section header is on the disk when the open
 * returns. Values are written in this host's byte order, as the section header's byte-order magic says.
 * The path "-" is standard output.
 */
struct pcapngw;

/* The section header's words: shb_userappl (the program and its version) and an opt_comment (what the
   file holds and where it was made; NULL: none). shb_os and shb_hardware come from uname(2). */
struct pcapngw_section {
	const char *userappl;
	const char *comment;
};

/* An interface statistics block's kernel counters (pcapng §4.6); `have` says which are set (PCAPNG_ISB_IFRECV,
   _IFDROP, _OSDROP of pcapng.h). isb_usrdeliv, the packets written on the interface, is always written. */
struct pcapngw_stats {
	uint32_t have;
	uint64_t ifrecv;   /* packets the capture received (pcap_stats' ps_recv) */
	uint64_t ifdrop;   /* dropped by the interface (ps_ifdrop) */
	uint64_t osdrop;   /* dropped by the kernel for lack of room (ps_drop) */
};

/* Create path and write the section header. NULL on failure with the reason (strerror) in why; nothing
   is left behind. */
struct pcapngw *pcapngw_open(const char *path, const struct pcapngw_section *sec, char *why, size_t whylen);

/*
 * The interface of link type dlt (a DLT_* value, written as its LINKTYPE_*), if_name name (NULL: none),
 * if_tsresol 9 (nano) or 6, snapshot length snaplen and if_filter filter (a libpcap expression; NULL or
 * "": none): the id of the one already described with the same link type, name and resolution, else of a
 * new interface description block written now. -1 when the file already describes PCAPNGW_MAX_IFACES.
 */
#define PCAPNGW_MAX_IFACES 4096u
int pcapngw_iface(struct pcapngw *w, int dlt, const char *name, bool nano, uint32_t snaplen, const char *filter);

/* An enhanced packet block on interface iface at ts_ns (in the interface's resolution; before the epoch:
   0), with an opt_comment of comment_len bytes when comment is not NULL (cut at 65535 bytes). */
void pcapngw_packet(struct pcapngw *w, int iface, int64_t ts_ns, uint32_t caplen, uint32_t len,
		    const uint8_t *data, const char *comment, size_t comment_len);

/* A custom block (type 0x00000BAD: editors may copy it) of synwatch's Private Enterprise Number
   (PCAPNG_PEN_SYNWATCH of pcapng.h) holding data[0..len) (len at most PCAPNG_CUSTOM_MAX). */
void pcapngw_custom(struct pcapngw *w, const uint8_t *data, size_t len);

/* An interface statistics block for iface, taken at at_ns; its first and last packet's times (those
   written on it) go in isb_starttime and isb_endtime. */
void pcapngw_stats(struct pcapngw *w, int iface, int64_t at_ns, const struct pcapngw_stats *st);

size_t pcapngw_ifaces(const struct pcapngw *w);    /* interfaces described */
uint64_t pcapngw_packets(const struct pcapngw *w); /* packet blocks written (all interfaces) */

/* Push what is buffered to the file; false when a write failed (then and ever after). A write that fails
   part-way (the disk full, the file size limit) is cut back to the last whole block, so the file stays
   readable with every block before it; nothing is written after that. */
bool pcapngw_flush(struct pcapngw *w);
int pcapngw_error(const struct pcapngw *w); /* the errno of the failed write, 0 when none */
/* Flush and close (NULL is a no-op); false when anything written since the open did not reach the file. */
bool pcapngw_close(struct pcapngw *w);

#endif
