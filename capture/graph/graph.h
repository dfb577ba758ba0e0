/* graph.h — the TCP graphs' model: one flow's packets become RTT samples (Karn's rule, timestamp echo), bytes in flight and bounded series per direction. */
#ifndef SYNWATCH_GRAPH_H
#define SYNWATCH_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "track/flow.h"
#include "packet.h"

/*
 * A graph is about one TCP flow. Each direction d (DIR_C2S, DIR_S2C) has its own set of series: the
 * segments d sent (its data, SYN, FIN, RST) and what the other end said about them (its ACKs, receive
 * window and SACK blocks), the RTT samples and bytes in flight of d's data. Sequence numbers are relative
 * to d's first (0 at a SYN, 1 mid-connection, as the text view's) and unwrapped to 64 bits.
 *
 * Memory is fixed when the graph is made (graph_new); graph_feed() never allocates. A series that fills
 * up halves its resolution: neighbouring points are merged pairwise and from then on each stored point
 * stands for twice as many packets (its marks are kept: a retransmission is never lost by merging). The
 * model is fed by a view (the text modes, the panel's drawing side), never by the capture thread.
 */

/* What a point carries beyond its numbers (bits of graph_point.marks). */
enum {
	GM_RETRANS = 1u << 0,   /* segments: sent again (the tracker's retransmissions, or bytes seen before) */
	GM_DUPACK = 1u << 1,    /* ACKs: a duplicate ACK */
	GM_ZEROWIN = 1u << 2,   /* ACKs: the receiver's window is zero */
	GM_SYN = 1u << 3,       /* segments: SYN (ACKs: the SYN-ACK answering it) */
	GM_FIN = 1u << 4,       /* segments: FIN */
	GM_RST = 1u << 5,       /* segments: RST from this end; ACKs: RST from the other end */
	GM_OUT_OF_ORDER = 1u << 6, /* segments: the tracker's out-of-order, bytes not seen before (late) */
	GM_WIN_UPDATE = 1u << 7,   /* ACKs: a window update (the window opened without new data acked) */
	GM_DSACK = 1u << 8,        /* SACK blocks: at or below the ACK, a duplicate report (RFC 2883 D-SACK):
	                              the receiver got these bytes twice */
	GM_MARK_BITS = 9
};

/*
 * One point of a series: one packet, or after merging several neighbouring ones (n). Fields by series:
 *   seg:      lo..hi relative sequence range (SYN and FIN count one), bytes = payload, bytes_retx = payload
 *             of retransmissions
 *   ack:      lo = acknowledgement (relative to the data's sequence numbers), hi = right edge of the
 *             receive window (ack + scaled window); bytes = the scaled window
 *   sack:     lo..hi one SACK block (merged: the span of the blocks)
 *   rtt_seq,
 *   rtt_ts:   lo..hi the smallest and largest sample, ns
 *   inflight: lo..hi the smallest and largest bytes in flight; bytes = the receive window then
 *   cwnd:     lo..hi the smallest and largest congestion window (bytes); bytes = the latest one
 * Merged points keep the first packet's time and number (t0, pkt) and the last one's time (t1); for ack
 * and inflight the last packet's values of ack, edge and window, the extremes for the rest.
 */
struct graph_point {
	int64_t t0, t1;        /* first and last packet merged in, ns since the epoch */
	uint64_t lo, hi;       /* see above */
	uint64_t bytes;        /* see above */
	uint64_t pkt;          /* packet number (packet.n) of the first packet merged in */
	uint32_t bytes_retx;   /* seg: payload bytes of retransmissions (saturates) */
	uint16_t n;            /* packets merged into this point (saturates at 65535) */
	uint16_t marks;        /* GM_* bits of every packet merged in */
};

/* A bounded, time-ordered list of points; fills at stride 1, then halves its resolution when full. */
struct graph_series {
	struct graph_point *pt; /* cap points (inside the graph's one allocation) */
	uint32_t cap, n;        /* room and points used */
	uint32_t stride;        /* packets per stored point now: 1, 2, 4... */
	uint32_t pending;       /* packets already merged into pt[n - 1] at this stride */
	uint8_t kind;           /* enum graph_series_kind: how points merge */
};

enum graph_series_kind {
	GS_SEG = 0,  /* the segments this direction sent */
	GS_ACK,      /* the other end's ACKs of them, with its receive window */
	GS_SACK,     /* the other end's SACK blocks */
	GS_RTT_SEQ,  /* RTT samples from ACKs of segments sent once */
	GS_RTT_TS,   /* RTT samples from the timestamp echo */
	GS_INFLIGHT, /* bytes in flight after each data segment */
	GS_CWND,     /* the sender's congestion window as its kernel reported it (graph_feed_cwnd) */
	GS_SERIES_COUNT
};

/* One sent segment not yet acknowledged (for RTT samples). */
struct graph_out {
	uint64_t lo, hi;       /* relative sequence range still unacknowledged */
	int64_t t_first;       /* its first transmission */
	int64_t t_last;        /* its latest transmission (a retransmission covering it) */
	uint32_t tsval;        /* TSval of that latest transmission (valid with has_ts) */
	uint8_t sends;         /* transmissions seen, saturating: 1 = sent once (Karn's rule may sample it) */
	bool has_ts;           /* the latest transmission carried a timestamp option */
};

/* One direction: the series of the data it sends and the analysis state behind them. */
struct graph_dir {
	struct graph_series s[GS_SERIES_COUNT];
	/* Sequence space of this direction's data. */
	bool base_known;        /* base is set (from a SYN, a first segment or the other end's first ACK) */
	uint32_t base;          /* raw sequence number of relative 0 */
	uint64_t snd_max;       /* highest relative sequence sent + 1 (the FIN counted) */
	uint64_t snd_una;       /* highest acknowledgement the other end sent */
	bool sent_any;          /* a segment went this way: snd_max is meaningful */
	bool acked_any;         /* the other end acknowledged: snd_una is meaningful */
	bool bif_valid;         /* bytes in flight can be given (no gap, or an ACK came back since the last one) */
	/* Window: this direction's data is limited by the other end's advertised window. */
	bool ws_offered;        /* this end's SYN carried the window-scale option */
	uint8_t ws_shift;       /* its shift (the other end scales this end's windows by it) */
	bool syn_seen;          /* this end's SYN (or SYN-ACK) was seen */
	uint64_t rwnd;          /* the other end's last advertised window, scaled, bytes */
	bool rwnd_known;        /* rwnd is set */
	/* The SACK blocks of the other end's latest packet. */
	uint64_t sacked;        /* bytes they cover above snd_una at that time (the receiver holds them) */
	uint64_t dsacked;       /* bytes of its D-SACK blocks (at or below snd_una): not in flight, not subtracted */
	/* Unacknowledged segments, oldest first (a ring). */
	struct graph_out *out;  /* out_cap entries (inside the graph's allocation) */
	uint32_t out_cap, out_head, out_n;
	uint64_t out_dropped;   /* segments not kept because the ring was full (their ACKs give no sample) */
	/* Totals. */
	uint64_t pkts, bytes, bytes_retx; /* segments sent, payload, payload of retransmissions */
};

/* One TCP flow's graphs: both directions' series, fed packet by packet. */
struct graph {
	uint64_t flow_id;       /* the flow fed (0 until the first packet) */
	int64_t t_first, t_last; /* first and last packet fed, ns since the epoch */
	uint64_t pkts;          /* packets fed */
	bool scale_known;       /* both SYNs were seen, so windows are scaled as negotiated (else raw) */
	struct graph_dir d[2];  /* [DIR_C2S] the client's data, [DIR_S2C] the server's */
	void *mem;              /* the one allocation behind every series and ring */
};

/* The facts of one packet a graph needs; made by graph_pkt_from() from a decoded, tracked packet, or by
   a view from what it keeps (all fields plain values: a copy is self-contained). */
struct graph_pkt {
	uint64_t n;            /* packet number */
	int64_t ts_ns;         /* capture time */
	uint64_t flow_id;      /* the flow (track_result.flow->id) */
	uint8_t dir;           /* enum flow_dir of this packet */
	uint16_t flags;        /* TCP_* bits */
	uint32_t seq, ack;     /* raw fields */
	uint16_t win;          /* raw window field */
	uint32_t len;          /* payload bytes on the wire */
	uint32_t events;       /* EV_* from tracking */
	bool have_ack, have_win; /* the fields were captured */
	bool ws_offered;       /* a SYN carrying the window-scale option ... */
	uint8_t ws_shift;      /* ... with this shift */
	bool has_ts;           /* the timestamp option ... */
	uint32_t tsval, tsecr; /* ... and its values */
	uint8_t nsack;         /* SACK blocks, raw edges */
	struct {
		uint32_t left, right;
	} sack[PKT_MAX_SACK];
};

/* What feeding one packet gave (graph_feed's optional output): the per-packet values a table shows. */
struct graph_sample {
	bool rtt_seq_valid;    /* this ACK ended exactly at a segment and acked nothing sent twice (Karn) */
	int64_t rtt_seq_ns;    /* ... the time since that segment left */
	bool rtt_karn;         /* this ACK advanced over something sent more than once: no sample (Karn) */
	bool rtt_ts_valid;     /* this ACK advanced and echoed a timestamp the other end sent */
	int64_t rtt_ts_ns;     /* ... the time since the segment that carried it left */
	bool bif_valid;        /* a data segment, not after a gap (or with an ACK seen back since the gap) */
	uint64_t bif;          /* bytes in flight after it: unacknowledged, less what the peer SACKed */
	uint64_t dsack;        /* with bif: bytes of D-SACK blocks in the peer's latest packet (tshark
	                          subtracts them from its bytes in flight; they are not in flight at all) */
	bool rwnd_valid;       /* the packet's window (scaled) */
	uint64_t rwnd;
};

/* Points per series and unacknowledged segments per direction used when 0 is passed. */
#define GRAPH_POINTS_DEFAULT 4096
#define GRAPH_OUT_DEFAULT 4096
#define GRAPH_POINTS_MIN 16

/* A graph with room for `points` points per series (GRAPH_POINTS_MIN at least) and `out` unacknowledged
   segments per direction (0: the defaults); NULL when out of memory. One allocation, made here. */
struct graph *graph_new(uint32_t points, uint32_t out);
void graph_free(struct graph *g);
/* Forget everything fed (keeps the memory). */
void graph_reset(struct graph *g);
/* Bytes graph_new(points, out) allocates. */
size_t graph_bytes(uint32_t points, uint32_t out);

/* Fill *gp from a decoded packet and what tracking it gave (tr->flow non-NULL, a TCP packet). */
void graph_pkt_from(struct graph_pkt *gp, const struct packet *p, const struct track_result *tr);
/* True when the packet belongs in a graph: TCP with sequence, flags and a flow. */
bool graph_pkt_usable(const struct packet *p, const struct track_result *tr);

/* Feed one packet of the graph's flow, in capture order (the first one fed sets flow_id; packets of other
   flows are ignored). out may be NULL. Never allocates. */
void graph_feed(struct graph *g, const struct graph_pkt *p, struct graph_sample *out);

/* The sending socket's congestion window (tcp_info cwnd × MSS, bytes) at ts_ns, for the inflight graph of
   direction dir: a view that reads the kernel's numbers (sock_diag) adds them as it samples them. */
void graph_feed_cwnd(struct graph *g, enum flow_dir dir, int64_t ts_ns, uint64_t cwnd_bytes);

/* The direction that sent more payload bytes (the client's on a tie). */
enum flow_dir graph_main_dir(const struct graph *g);

/* The kinds of picture (graph_plot draws them). */
enum graph_kind {
	GRAPH_TSG = 0,     /* "tsg": time-sequence, tcptrace style */
	GRAPH_THROUGHPUT,  /* "throughput": bytes per interval */
	GRAPH_RTT,         /* "rtt": round-trip time samples */
	GRAPH_INFLIGHT,    /* "inflight": bytes in flight against the receive window */
	GRAPH_KIND_COUNT
};
const char *graph_kind_name(enum graph_kind k);   /* "tsg", "throughput", "rtt", "inflight" */
const char *graph_kind_title(enum graph_kind k);  /* "Time-sequence", "Throughput"... */
bool graph_kind_parse(const char *s, size_t len, enum graph_kind *k); /* exactly one of the names */

#endif
