/* flow.h — bidirectional flow table with per-end TCP state (RFC 9293) and per-packet TCP analysis. */
#ifndef SYNWATCH_FLOW_H
#define SYNWATCH_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "endpoint.h"
#include "packet.h"
#include "track/tcp_state.h"
#include "track/track.h"
#include "track/zeek.h"

/* How a flow ended (or not yet). */
enum flow_end {
	END_OPEN = 0, /* "open" */
	END_FIN,      /* "fin" */
	END_RST,      /* "rst" */
	END_REFUSED,  /* "refused" */
	END_TIMEOUT,  /* "timeout" (idle timeout or eviction) */
};

/* Canonical key: the same for both directions (lower endpoint first) and both address families. */
struct flow_key {
	uint8_t af;    /* 4 or 6 */
	uint8_t proto; /* 6 TCP, 17 UDP, 1/58 ICMP echo (port = echo id) */
	uint16_t port[2];
	uint8_t addr[2][16];
};

/*
 * Public view of one flow; the table owns it. Index [DIR_C2S] is the client's side. Small fields are
 * narrow (flags are bit-fields) and grouped so that nothing is padding (192 bytes): a million flows
 * must fit in well under 256 MiB.
 */
struct flow {
	uint64_t id;                  /* 1-based, in order of creation, never reused */
	struct flow_key key;
	struct endpoint client, server;
	uint8_t proto;                /* 6, 17, 1, 58 */
	uint8_t state[2];             /* enum tcp_state: [0] client's state, [1] server's */
	int8_t closed_first;          /* -1 nobody yet, else the dir (DIR_C2S/DIR_S2C) that sent FIN/RST first */
	uint8_t end;                  /* enum flow_end */
	bool client_guessed : 1;      /* no SYN seen: client guessed from ports (higher port = client) */
	bool state_inferred : 1;      /* capture began mid-connection: states inferred, not observed */
	uint8_t isn_known : 2;        /* bit 1 << dir: isn[dir] is known */
	uint32_t icmp_errors;         /* ICMP errors quoting this flow */
	uint32_t isn[2];              /* initial sequence number each way (base for relative numbers) */
	uint64_t pkts[2], bytes[2];   /* per direction: packets and payload bytes (wire lengths) */
	int64_t first_ns, last_ns;    /* first and last packet, ns since the epoch */
	int64_t syn_ns, synack_ns, ack_ns; /* handshake timestamps (0 when not seen) */
	struct zeek_conn zeek;        /* Zeek's view of it: conn_state and history (track/zeek.h) */
};

/* What tracking one packet produced. flow is NULL for packets outside any flow (ARP, non-first frags). */
struct track_result {
	const struct flow *flow;
	enum flow_dir dir;            /* direction of this packet within the flow */
	uint32_t rseq, rack;          /* relative seq/ack (valid for TCP when have_rel) */
	bool have_rel;
	enum tcp_state before[2], after[2]; /* both ends' states before and after this packet */
	uint32_t events;              /* EV_* bits */
	uint32_t dup_ack_n;           /* with EV_DUP_ACK: the n of "dup ack #n" */
	bool have_win_scale;          /* TCP, not a SYN, both SYNs seen: the window field's scale is known */
	uint8_t win_shift;            /* with have_win_scale: window bytes = field << win_shift (0: not scaled) */
};

struct flow_table;

/* The default for --max-flows (about 250 bytes each: 239 MiB reserved, touched only as used). */
#define FLOW_DEFAULT_MAX_FLOWS 1000000

/* A table for at most max_flows flows (memory reserved up front); NULL on allocation failure. */
struct flow_table *flowtab_new(size_t max_flows);
void flowtab_free(struct flow_table *t);

/* Track one decoded packet (timestamps from pkt); fills *r. Never allocates. */
void flow_track(struct flow_table *t, const struct packet *pkt, struct track_result *r);

/*
 * Tracking in a pipeline, so that the table's memory for a packet is fetched while earlier packets are
 * worked on: flowtab_hint() when the packet is decoded (computes its key and hash, starts fetching its
 * hash bucket), flowtab_prefetch() a few packets later (reads the bucket, starts fetching the flow it
 * leads to), and flow_track_hinted() when its turn comes, which does exactly what flow_track() does but
 * takes the key and hash from the hint. A hint depends only on the packet, never on the table's
 * contents: flows created, expired or evicted between hint and track change nothing (the hash chain is
 * walked again at track time). A hint is for the packet and table it was made with.
 */
struct flow_hint {
	struct flow_key key;      /* canonical key of the packet's flow (for an ICMP error: of the quoted packet) */
	struct endpoint src, dst; /* that packet's source and destination endpoints (port 0 for ICMP echo) */
	uint32_t hash;            /* of key; the bucket is hash & (buckets - 1) */
	uint8_t kind;             /* what tracking does with the packet: a private FH_* value of flow.c */
};
void flowtab_hint(const struct flow_table *t, const struct packet *pkt, struct flow_hint *h);
void flowtab_prefetch(const struct flow_table *t, const struct flow_hint *h);
void flow_track_hinted(struct flow_table *t, const struct packet *pkt, const struct flow_hint *h,
		       struct track_result *r);

/* Counters. */
struct flowtab_stats {
	uint64_t flows_created, flows_active, evicted, expired, packets_tracked, packets_untracked;
	size_t capacity, bytes_reserved; /* memory reserved for the table */
	uint64_t port_reuses;  /* flows started by a new SYN on an existing flow's addresses and ports */
	uint64_t icmp_unmatched; /* ICMP errors quoting a packet of no flow in the table (untracked) */
	size_t bytes_per_flow; /* bytes_reserved / capacity, rounded up: the documented cost of one flow */
};
void flowtab_stats(const struct flow_table *t, struct flowtab_stats *s);

/* Visit every flow still in the table, in id order. */
void flowtab_foreach(const struct flow_table *t, void (*fn)(const struct flow *f, void *arg), void *arg);
const struct flow *flowtab_find(const struct flow_table *t, uint64_t id);
/* The flow of protocol proto (6, 17) between endpoints a and b, in either direction (a hash lookup, as a
   packet's); NULL when the table has none. Both endpoints of one family, addresses zero past their length. */
const struct flow *flowtab_lookup(const struct flow_table *t, uint8_t proto, const struct endpoint *a,
				  const struct endpoint *b);

/* The --flows table (text or one JSON object per flow line) and the counters. */
void flowtab_print(const struct flow_table *t, FILE *out, bool json);

/*
 * A flow leaves the table when idle past its state's timeout (evicted=false) or to make room for a new
 * one when the table is full (evicted=true, least recently used first); fn sees it just before (its end
 * is already "timeout" if it was open, and an end still UNANSWERED is NO-ANSWER). Pointers to it are
 * invalid afterwards. A SYN-only flow that expired comes back (same id, end open again, a NO-ANSWER end
 * UNANSWERED again, no longer counted as expired) if a SYN repeating its ISN arrives before it has been
 * idle twice the SYN timeout: the hook has then seen a flow that returns.
 */
void flowtab_set_remove_hook(struct flow_table *t, void (*fn)(const struct flow *f, bool evicted, void *arg),
			     void *arg);
/* One flow as a line of the --flows table (json=false, no header) or as its JSON object line. */
void flowtab_print_flow(const struct flow *f, FILE *out, bool json);
/* Idle timeouts per state class, in seconds (defaults: SYN-only 130, established 300, closed 60,
   UDP/ICMP 60). An expired SYN-only flow is remembered until idle twice `syn` (see the remove hook). */
struct flow_timeouts {
	uint32_t syn, established, closed, datagram;
};
void flowtab_set_timeouts(struct flow_table *t, const struct flow_timeouts *to);
/* Whether each flow's Zeek conn_state and history (track/zeek.h) are kept up to date: on by default. A
   run that never shows them (no --flows, no panel, no page) turns them off: they cost ~9% of the
   tracking's instructions on short connections. Off, flow.zeek stays as it was. */
void flowtab_set_conn_history(struct flow_table *t, bool on);
/* Text like "127.0.0.1:80", "[::1]:80", or "127.0.0.1" for ICMP; buf of FLOW_EP_STRLEN bytes. */
#define FLOW_EP_STRLEN 56
char *flow_endpoint_str(const struct endpoint *e, bool with_port, char *buf);

/* Names. */
const char *tcp_state_name(enum tcp_state s);   /* "ESTABLISHED", "SYN-SENT"... */
const char *flow_event_name(uint32_t ev_bit);    /* "retransmission"... */
const char *flow_end_name(enum flow_end e);      /* "fin", "rst"... */

#endif
