/* pipeline.h — source (live or file) → decode → track, one packet at a time, for every view. */
#ifndef SYNWATCH_PIPELINE_H
#define SYNWATCH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_codes.h"
#include "track/flow.h"
#include "packet.h"

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
};

struct pipeline;

/*
 * Open the source (and -w file), compile and set the filter, create the flow table. On failure returns
 * NULL with a one-line message (naming the input and the fix) in err and the exit code in *code.
 */
struct pipeline *pipeline_open(const struct pipeline_opts *o, char *err, size_t errlen, int *code);

/*
 * Next packet that passed the filter: read, number, write to -w, decode into *pkt, track into *tr.
 * Returns 1 for a packet, 0 when none is ready yet (live capture; poll pipeline_fd()), -1 at the end
 * (end of file, -c reached, pipeline_stop() called), -2 on a capture error (pipeline_error()).
 * pkt->data is valid until the next call.
 */
int pipeline_next(struct pipeline *pl, struct packet *pkt, struct track_result *tr);
/* The same without copying the decoded packet: *pkt points at the pipeline's, valid until the next call. */
int pipeline_next_ref(struct pipeline *pl, const struct packet **pkt, struct track_result *tr);

int pipeline_fd(const struct pipeline *pl);          /* selectable fd for live capture, -1 for files */
bool pipeline_live(const struct pipeline *pl);
bool pipeline_nanosecond(const struct pipeline *pl);  /* timestamps have nanosecond precision */
int pipeline_linktype(const struct pipeline *pl);
const char *pipeline_source_name(const struct pipeline *pl); /* "lo" or the file name */
const char *pipeline_filter(const struct pipeline *pl);      /* "" when none */
const char *pipeline_error(const struct pipeline *pl);       /* last capture error */
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

/*
 * A BPF expression checked without a capture handle (for view-side filters such as the TUI's `/`):
 * returns a compiled program usable with filter_match(), or NULL with libpcap's error in err.
 */
struct view_filter;
struct view_filter *filter_compile(const char *expr, int linktype, int snaplen, char *err, size_t errlen);
bool filter_match(const struct view_filter *f, const uint8_t *data, uint32_t caplen, uint32_t len);
void filter_free(struct view_filter *f);

#endif
