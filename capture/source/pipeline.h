/* pipeline.h — source (live or file) → decode → track, one packet at a time, for every view. */
#ifndef SYNWATCH_PIPELINE_H
#define SYNWATCH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_codes.h"
#include "track/flow.h"
#include "packet.h"
#include "source/pcapng.h"

struct pipeline_opts {
	const char *iface;     /* live capture interface (default "lo") when file is NULL */
	const char *file;      /* -r FILE, or NULL for live */
	const char *write;     /* -w FILE, or NULL */
	const char *filter;    /* BPF expression, or NULL/"" for all */
	int snaplen;           /* -s; 0 means the default 262144 */
	uint64_t count;        /* -c; 0 means no limit */
	size_t max_flows;      /* --max-flows; 0 means FLOW_DEFAULT_MAX_FLOWS */
	bool promisc;          /* put the interface in promiscuous mode (tcpdump's default; -p turns off) */
	bool nano;             /* live: ask for nanosecond timestamps (--nano) */
	int buffer_bytes;      /* live: kernel buffer size (-B KiB); 0 means 32 MiB */
	bool pcapng;           /* -w writes pcapng (-w FILE.pcapng, --pcapng) rather than classic pcap */
	const char *write_appl;    /* pcapng -w: the section header's shb_userappl ("synwatch 0.1.0") */
	const char *write_comment; /* pcapng -w: the section header's comment, or NULL */
	bool follow;           /* -r FILE --follow: at the file's end, wait for more (as tail -f) instead of ending */
};

struct pipeline;

/*
 * Open the source (and -w file), compile and set the filter, create the flow table. On failure returns
 * NULL with a one-line message (naming the input and the fix) in err and the exit code in *code.
 */
struct pipeline *pipeline_open(const struct pipeline_opts *o, char *err, size_t errlen, int *code);

/*
 * Next packet that passed the filter: read, number, write to -w, decode into *pkt, track into *tr.
 * Returns 1 for a packet, 0 when none is ready yet (live capture, a quiet pipe; poll pipeline_fd()), -1
 * at the end (end of file, -c reached, pipeline_stop() called), -2 when reading stopped on an error
 * (pipeline_failure()).
 * pkt->data is valid until the next call.
 */
int pipeline_next(struct pipeline *pl, struct packet *pkt, struct track_result *tr);
/* The same without copying the decoded packet: *pkt points at the pipeline's, valid until the next call. */
int pipeline_next_ref(struct pipeline *pl, const struct packet **pkt, struct track_result *tr);

/* The file offset of the record of the packet pipeline_next returned last, for reading it again in place;
   UINT64_MAX when it has none (live capture, a pipe, a pcapng file). */
uint64_t pipeline_record_offset(const struct pipeline *pl);
/* The source is a classic pcap in a regular file, whose records can be read again in place: true with its
   byte order (swapped: not ours), nanosecond magic, libpcap's snapshot length and its link type. */
bool pipeline_pcap_inplace(const struct pipeline *pl, bool *swapped, bool *nano, uint32_t *snaplen, int *linktype);
/* The file's size now (0: not a regular file), for how much of it has been read. */
uint64_t pipeline_file_size(const struct pipeline *pl);

int pipeline_fd(const struct pipeline *pl);          /* selectable fd: live capture, or a pipe (-r -); else -1 */
bool pipeline_live(const struct pipeline *pl);
/* Timestamps have nanosecond precision: a nanosecond file, --nano live; for pcapng, an interface described
   before the first packet is finer than 1 us, or a packet of such an interface has been handed out (it
   never turns back). Ask for each packet. */
bool pipeline_nanosecond(const struct pipeline *pl);
int pipeline_linktype(const struct pipeline *pl);    /* a pcapng file's first interface's; each packet has its own */
/* pcapng input: the interfaces described so far, in file order (0 and NULL for other sources); valid until
   pipeline_close. */
size_t pipeline_interfaces(const struct pipeline *pl);
const struct pcapng_iface *pipeline_interface(const struct pipeline *pl, size_t i);
const char *pipeline_source_name(const struct pipeline *pl); /* "lo" or the file name */
const char *pipeline_filter(const struct pipeline *pl);      /* "" when none */
const char *pipeline_error(const struct pipeline *pl);       /* why the last call returned -2 */
/* After -2: the one-line message for the user (without "synwatch: ") in msg, and the exit code (a cut or
   damaged file 3, a filter invalid for a link type met 2, -w met a second link type 6, else 1). */
int pipeline_failure(const struct pipeline *pl, char *msg, size_t n);
struct flow_table *pipeline_flows(struct pipeline *pl);
void pipeline_stop(struct pipeline *pl);                     /* break out; next call returns -1 */

/* Counters: packets passed the filter, and the kernel's received/dropped counts for live capture. */
struct pipeline_stats {
	uint64_t packets;       /* passed the filter and were decoded */
	uint64_t written;       /* written to -w */
	uint64_t kernel_recv, kernel_drop, iface_drop; /* pcap_stats(); zero for files */
};
void pipeline_stats(struct pipeline *pl, struct pipeline_stats *s);

/* Push what -w holds buffered to the disk (a kill after this loses nothing written so far). */
bool pipeline_flush(struct pipeline *pl);
/* pcapng -w: the errno of the write that failed (the file was cut back to whole blocks), 0 when none or
   classic pcap. */
int pipeline_write_error(const struct pipeline *pl);

/* pcapng -w: from now on (before the first packet is read) the caller writes the packets, in the order
   and with the comments it chooses (pipeline_write_packet); the pipeline still writes the file's head, its
   interfaces and, at the close, their statistics. */
void pipeline_hold_writes(struct pipeline *pl);
/* ... one packet of link type linktype (on the interface the file describes for
   it), with an opt_comment of comment_len bytes when comment is not NULL. */
void pipeline_write_packet(struct pipeline *pl, int linktype, int64_t ts_ns, uint32_t caplen, uint32_t len,
			   const uint8_t *data, const char *comment, size_t comment_len);
/* pcapng -w: a custom block of synwatch's (pcapng.h) holding data[0..len). */
void pipeline_write_custom(struct pipeline *pl, const uint8_t *data, size_t len);
bool pipeline_writes_pcapng(const struct pipeline *pl); /* -w is a pcapng file */

/* pcapng input: synwatch's custom blocks read so far, oldest first (data valid until the next
   pipeline_next or pipeline_custom_next), and "nobody takes them" (then none is kept). */
bool pipeline_custom_next(struct pipeline *pl, const uint8_t **data, size_t *len, uint64_t *offset);
void pipeline_custom_off(struct pipeline *pl);
/* How far the file has been read: the time (ns) of the latest packet record read, also ahead of what was
   handed out (INT64_MIN: none yet); INT64_MAX once reading has ended (the file's end, or a failure). */
int64_t pipeline_read_upto(const struct pipeline *pl);

/* Flush and close everything (the -w file is complete after this). */
void pipeline_close(struct pipeline *pl);

#endif
