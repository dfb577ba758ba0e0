/* tcp_analysis.h — per-segment TCP analysis in the order of Wireshark's tcp_analyze_sequence_number(): its per-flow state and entry point. */
#ifndef SYNWATCH_TCP_ANALYSIS_H
#define SYNWATCH_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "track/track.h"

/* Sequence-space comparisons modulo 2^32 (RFC 9293 §3.4). */
#define LT_SEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define GT_SEQ(a, b) LT_SEQ(b, a)
#define LE_SEQ(a, b) (!GT_SEQ(a, b))
#define GE_SEQ(a, b) (!LT_SEQ(a, b))

/* Bits of tcp_anstate.dflags[dir] (one direction's analysis facts). */
enum {
	DS_SEEN = 1u << 0,         /* a segment went this way: lastack/window/lastseg are meaningful */
	DS_NEXTSEQ = 1u << 1,      /* nextseq is known */
	DS_WIN_SYN = 1u << 2,      /* the stored window came from a SYN: never scaled */
	DS_LAST_KA = 1u << 3,      /* the last segment this way was a keep-alive */
	DS_LAST_ZWP = 1u << 4,     /* the last segment this way was a zero-window probe */
	DS_FIN = 1u << 5,          /* this end sent a FIN; nextseq is then one past it */
	DS_WS_OFFERED = 1u << 6,   /* this end's SYN carried a window-scale option (shift in wscale) */
	DS_SYN_SEEN = 1u << 7,     /* this end's SYN (or SYN-ACK) was seen */
};

/*
 * One direction's TCP analysis state (Wireshark's tcp_analyze_seq_info plus window), 16 bytes; its
 * flags and window-scale shift live beside it in struct tcp_anstate so that nothing is padding.
 * Times are the low 32 bits of microseconds since the epoch; the flow table keeps every stored time within
 * 2^30 us of the newest packet (older ones are clamped to exactly 2^30 us ago), so differences taken
 * modulo 2^32 are exact up to ~17.9 minutes, far beyond any threshold compared against.
 */
struct flow_dirstate {
	uint32_t nextseq;     /* highest seq + len (+1 for SYN/FIN) sent this way */
	uint32_t lastack;     /* ack field of the last segment this way */
	uint32_t nextseq_us;  /* when nextseq last advanced */
	uint16_t dupacks;     /* duplicate ACKs in a row this way (saturates at 65535) */
	uint16_t win;         /* raw window field of the last segment this way */
};

/* One flow's analysis state, both directions (36 bytes); the flow table keeps it in each flow's node. */
struct tcp_anstate {
	struct flow_dirstate d[2]; /* [DIR_C2S], [DIR_S2C] */
	uint8_t wscale[2];   /* shift each end announced in its SYN (valid with DS_WS_OFFERED) */
	uint8_t dflags[2];   /* DS_* per direction */
};

/* One TCP segment as the analysis sees it. */
struct tcp_seginfo {
	uint32_t seq, ack;
	uint32_t seglen;   /* payload bytes on the wire */
	uint16_t flags;    /* TCP_* */
	uint16_t win;      /* raw window field */
	uint32_t now_us;   /* low 32 bits of the packet's microseconds */
	int64_t now_ns;
	bool have_ack;     /* the ACK field was captured */
	bool have_win;     /* the window field was captured */
	bool win_scale_offered; /* a SYN carrying the window-scale option */
	uint8_t win_scale; /* its shift count */
	uint32_t rev_last_us; /* low 32 bits of the microseconds of the last packet the other way (when seen) */
	int64_t hs_rtt_ns;  /* the handshake's SYN to ACK time as the client's side saw it; 0 when not measured */
};

/* The shift that scales the window field of a non-SYN segment sent in direction dir (RFC 7323 §2.3), as
   Wireshark shows it: the shift this end's SYN announced, also while the peer's SYN is unseen; 0 when
   either SYN went without the option; -1 while it is unknown (this end's SYN unseen: Wireshark's -1). The
   analysis itself scales only once both SYNs carried it (RFC 7323 §2.2). */
int tcp_win_shift(const struct tcp_anstate *a, enum flow_dir dir);

/* Analyse one segment sent in direction dir: returns its EV_* bits (and the n of a duplicate ACK in
   *dup_ack_n), and updates both directions' state. */
uint32_t tcp_analyze(struct tcp_anstate *a, enum flow_dir dir, const struct tcp_seginfo *s, uint32_t *dup_ack_n);

#endif
