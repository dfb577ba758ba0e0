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

/* Flush and close everything (the -w file is complete after this). */
void pipeline_close(struct pipeline *pl);

#endif
