/* zeek.h — a flow as Zeek's conn.log sums it up: conn_state and the history letters (base/protocols/conn/main.zeek). */
#ifndef SYNWATCH_ZEEK_H
#define SYNWATCH_ZEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "track/tcp_analysis.h"
#include "track/track.h"

/*
 * Zeek's originator is the flow's client and its responder the server (struct flow's DIR_C2S end is
 * Zeek's "orig"): the SYN's sender, the SYN-ACK's receiver, or without either the end synwatch guesses
 * from the ports, which is Zeek's rule with synwatch's guess standing in for its likely_server_ports.
 * When the flow's first packet came from the server Zeek has flipped the roles, and the history starts
 * with '^'.
 */

/* Zeek's TCP endpoint states (its TCP_ENDPOINT_*), one per end. */
enum zeek_ep {
	ZE_INACTIVE = 0, /* nothing sent yet */
	ZE_SYN_SENT,     /* sent a SYN (originator) */
	ZE_SYN_ACK_SENT, /* the originator's first segment was a SYN-ACK */
	ZE_PARTIAL,      /* sent something, but no SYN was seen from it */
	ZE_ESTABLISHED,
	ZE_CLOSED,       /* sent a FIN */
	ZE_RESET,        /* sent a RST */
};

/* The longest history kept, in letters (each costs 4 bits, a rare one 8; see zeek.c). */
#define ZEEK_HISTORY_MAX 16

/* zeek_conn.seen: the letters Zeek records at most once per end (its CheckHistory masks). */
enum {
	ZS_SYN = 1u << 0,    /* S or H: the first SYN (a later one only with a new sequence number) */
	ZS_FIN = 1u << 1,    /* F: the first FIN (likewise) */
	ZS_RST = 1u << 2,    /* R: the first RST (likewise) */
	ZS_ACK = 1u << 3,    /* A: a pure ACK */
	ZS_DATA = 1u << 4,   /* D: a segment or datagram with payload */
	ZS_FINRST = 1u << 5, /* I: FIN and RST together */
	ZS_MULTI = 1u << 6,  /* Q: SYN with FIN or RST */
	ZS_SHIFT = 7,        /* the responder's bits are the originator's shifted by this */
	ZS_LOST = 1u << 14,  /* a letter did not fit in the 16 kept: it and every later one are not kept */
};

/*
 * Per flow, 16 bytes (kept in struct flow; README "Flow tracking" counts it). Index [0] of the per-end
 * arrays is the originator, [1] the responder.
 */
struct zeek_conn {
	uint64_t hist;     /* history letters, 4-bit codes from bit 0 up (zeek.c), 0 past the last */
	uint16_t seen;     /* ZS_* bits */
	uint8_t ep;        /* both ends' enum zeek_ep (bits 0-2 originator, 3-5 responder); bit 6 + end: the
			      end's state before the current one was CLOSED */
	uint8_t rst;       /* 4-bit digest of the last RST's sequence number, per end (low nibble: originator) */
	uint8_t rxmt[2];   /* retransmissions counted for the t/T letters, saturating at 255 */
	uint8_t win0_gap[2]; /* zero windows (low nibble) and content gaps (high) counted, saturating at 15 */
};

struct flow;
/*
 * One TCP segment of flow f sent in direction dir (DIR_C2S: by the originator), ip its IP layer: its
 * history letters (flags, zero window, retransmission; a content gap it reveals is the peer's letter) and
 * both ends' states, in the order Zeek takes them. an: the flow's TCP analysis state as it was before
 * this segment; its highest sequence number and last ACK each way stand in for Zeek's own per-end
 * sequence bookkeeping (README "Zeek's conn_state and history" says where that differs).
 */
void zeek_tcp_segment(struct flow *f, struct zeek_conn *z, enum flow_dir dir, const struct ip_layer *ip,
		      const struct tcp_anstate *an);

/*
 * zeek_tcp_segment() for flow f (z is its zeek), after a test that passes over what most segments are once
 * both ends have spoken: data that advances its sender's sequence numbers or a pure ACK, whose letter is
 * already recorded, without a zero window, acknowledging nothing unseen. Such a segment changes nothing.
 */
static inline void zeek_tcp(struct flow *f, struct zeek_conn *z, enum flow_dir dir, const struct ip_layer *ip,
			    const struct tcp_anstate *an)
{
	const struct tcp_hdr *th = &ip->u.tcp;
	const uint32_t have = ip->have;
	const unsigned e = dir == DIR_C2S ? 0 : 1;
	const uint32_t len = (have & HAVE_PAYLOAD) ? ip->payload_wire : 0;
	if (!(th->flags & (TCP_SYN | TCP_FIN | TCP_RST)) && (th->flags & TCP_ACK) && (have & HAVE_ACK) &&
	    (z->ep >> (3 * e) & 7) != ZE_INACTIVE && (z->seen & (len ? ZS_DATA : ZS_ACK) << (e * ZS_SHIFT)) &&
	    (th->win || !(have & HAVE_WIN)) && (an->dflags[!dir] & DS_NEXTSEQ) &&
	    !GT_SEQ(th->ack, an->d[!dir].nextseq) &&
	    (!len || ((an->dflags[dir] & DS_NEXTSEQ) && GT_SEQ(th->seq + len, an->d[dir].nextseq))))
		return;
	zeek_tcp_segment(f, z, dir, ip, an);
}

/* The first datagram sent in direction dir: its D or d. */
void zeek_udp_first(struct zeek_conn *z, enum flow_dir dir);
/* One UDP datagram sent in direction dir (Zeek records only the first each way). */
static inline void zeek_udp(struct zeek_conn *z, enum flow_dir dir)
{
	if (!(z->seen & ZS_DATA << (dir == DIR_C2S ? 0 : ZS_SHIFT)))
		zeek_udp_first(z, dir);
}

/* The flow's first packet came from the responder: Zeek flipped the roles ('^'). */
void zeek_flipped(struct zeek_conn *z);

/* Zeek's conn_state of the flow: "S0", "SF", ... ("OTH" for ICMP). */
const char *zeek_conn_state(const struct flow *f);
/*
 * The history letters into buf (ZEEK_HISTORY_MAX + 1 bytes), NUL-terminated; returns their count (0 when
 * Zeek would log none, as for ICMP). *lost (when not NULL): letters came after the kept ones and were not
 * kept.
 */
size_t zeek_history(const struct zeek_conn *z, char *buf, bool *lost);

#endif
