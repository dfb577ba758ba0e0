/* tcp_analysis.c — per-segment TCP analysis in the order of Wireshark's tcp_analyze_sequence_number(). */
#include <stddef.h>

#include "track/tcp_analysis.h"

#include "packet.h" /* TCP_* flag bits */

#define FAST_RETRANS_US 20000u   /* a retransmission within 20 ms of the 2nd dup ACK is "fast" */
#define OOO_DEFAULT_NS 3000000   /* out-of-order threshold without a measured handshake RTT: 3 ms */

/* Scaling is active when both SYNs were seen and both carried the option (RFC 7323 §2.2). */
static bool scaling_active(const struct tcp_anstate *p)
{
	return (p->dflags[0] & p->dflags[1] & DS_WS_OFFERED) != 0;
}

/* Scaling is known (Wireshark's win_scale != -1) once both ends' SYNs were seen. */
static bool scaling_known(const struct tcp_anstate *p)
{
	return (p->dflags[0] & p->dflags[1] & DS_SYN_SEEN) != 0;
}

int tcp_win_shift(const struct tcp_anstate *a, enum flow_dir dir)
{
	const uint8_t me = a->dflags[dir], peer = a->dflags[!dir];
	if ((peer & DS_SYN_SEEN) && !(peer & DS_WS_OFFERED))
		return 0; /* the peer's SYN went without the option: neither end scales */
	if (!(me & DS_SYN_SEEN))
		return -1;
	return (me & DS_WS_OFFERED) ? a->wscale[dir] : 0;
}

/* A window field as bytes: SYN windows are never scaled (RFC 7323 §2.2). */
static uint64_t window_bytes(const struct tcp_anstate *p, int dir, uint16_t win, bool from_syn)
{
	if (from_syn || !scaling_active(p))
		return win;
	return (uint64_t)win << p->wscale[dir];
}

/*
 * Wireshark's rules (tcp.analysis.*), checked in its order. "fwd" is this segment's direction, "rev" the
 * other. Differences: ACKed-unseen-segment and keep-alive-ACK / zero-window-probe-ACK are evaluated (the
 * latter two stop the duplicate-ACK check, as in Wireshark) but not reported; nothing is "unacked-segment"
 * tracked, so bytes-in-flight is not computed.
 */
uint32_t tcp_analyze(struct tcp_anstate *p, enum flow_dir dir, const struct tcp_seginfo *s, uint32_t *dup_ack_n)
{
	struct flow_dirstate *fwd = &p->d[dir], *rev = &p->d[!dir];
	uint8_t ff = p->dflags[dir], rf = p->dflags[!dir];
	const uint16_t flags = s->flags;
	const bool sfr = (flags & (TCP_SYN | TCP_FIN | TCP_RST)) != 0;
	const uint32_t seq = s->seq, seglen = s->seglen;
	const uint32_t ack = (s->have_ack && (flags & TCP_ACK)) ? s->ack : 0;
	const bool fwd_seen = ff & DS_SEEN, rev_seen = rf & DS_SEEN;
	const bool have_next = ff & DS_NEXTSEQ;
	const uint32_t nextseq = fwd->nextseq;
	uint32_t ev = 0;

	*dup_ack_n = 0;
	if (flags & TCP_SYN) {
		ff |= DS_SYN_SEEN;
		if (s->win_scale_offered) {
			ff |= DS_WS_OFFERED;
			p->wscale[dir] = s->win_scale > 14 ? 14 : s->win_scale; /* RFC 7323 §2.3: at most 14 */
		}
		p->dflags[dir] = ff;
	}
	/* A window the capture cut off is unknown: 0 here, and every check below that compares windows
	   (window update, keep-alive ACK, duplicate ACK) needs a non-zero one, the zero-window ones have_win. */
	const uint64_t window = s->have_win ? window_bytes(p, dir, s->win, flags & TCP_SYN) : 0;
	const uint64_t fwd_window = window_bytes(p, dir, fwd->win, ff & DS_WIN_SYN);
	const uint64_t rev_window = window_bytes(p, !dir, rev->win, rf & DS_WIN_SYN);

	/* Zero-window probe: exactly one byte at the next expected seq while the peer's window is 0. */
	if (seglen == 1 && have_next && seq == nextseq && rev_seen && rev_window == 0) {
		ev |= EV_ZERO_WINDOW_PROBE;
		goto finished_fwd;
	}
	/* Zero window: this end advertises no room (not on SYN/FIN/RST). */
	if (s->have_win && window == 0 && !sfr)
		ev |= EV_ZERO_WINDOW;
	/* Previous segment not captured: a hole before this segment. */
	if (have_next && GT_SEQ(seq, nextseq) && !(flags & TCP_RST))
		ev |= EV_PREV_NOT_CAPTURED;
	/* Keep-alive: 0 or 1 byte at one below the next expected seq. */
	if (seglen <= 1 && !sfr && have_next && nextseq - 1 == seq)
		ev |= EV_KEEP_ALIVE;
	/* Window update: no data, same seq/ack as before, a different non-zero window. */
	if (seglen == 0 && window && fwd_seen && window != fwd_window && have_next && seq == nextseq &&
	    ack == fwd->lastack && !sfr)
		ev |= EV_WINDOW_UPDATE;
	/* Window full: the data reaches exactly the right edge of the peer's advertised window. */
	if (seglen > 0 && scaling_known(p) && rev_seen && !sfr &&
	    (uint32_t)(seq + seglen) == (uint32_t)(rev->lastack + rev_window))
		ev |= EV_WINDOW_FULL;
	/* Keep-alive ACK (not reported): repeats our last ACK answering the peer's keep-alive. */
	if (seglen == 0 && window && fwd_seen && window == fwd_window && have_next && seq == nextseq &&
	    ack == fwd->lastack && (rf & DS_LAST_KA) && !sfr)
		goto finished_fwd;
	/* Zero-window-probe ACK (not reported): answers the peer's probe with the window still 0. */
	if (seglen == 0 && s->have_win && window == 0 && fwd_seen && fwd_window == 0 && have_next &&
	    seq == nextseq && (ack == fwd->lastack || ack == fwd->lastack + 1) && (rf & DS_LAST_ZWP) && !sfr)
		goto finished_fwd;
	/* Duplicate ACK: no data, same seq/ack/window as the last segment this way. */
	if (seglen == 0 && window && fwd_seen && window == fwd_window && have_next && seq == nextseq &&
	    ack == fwd->lastack && !sfr) {
		if (fwd->dupacks < UINT16_MAX)
			fwd->dupacks++;
		ev |= EV_DUP_ACK;
		*dup_ack_n = fwd->dupacks;
	}
finished_fwd:
	if (!(ev & EV_DUP_ACK))
		fwd->dupacks = 0;

	/* Retransmission family: data, SYN or FIN that does not advance the sequence space. */
	if ((seglen > 0 || (flags & (TCP_SYN | TCP_FIN))) && !(ev & EV_KEEP_ALIVE)) {
		bool not_adv = have_next && LT_SEQ(seq, nextseq);
		if (seglen > 1 && have_next && nextseq - 1 == seq)
			not_adv = false; /* new data after a possible zero-window probe */
		uint32_t t_ack = rev_seen ? s->now_us - s->rev_last_us : UINT32_MAX;
		if (not_adv && rev->dupacks >= 2 && rev->lastack == seq && t_ack < FAST_RETRANS_US) {
			ev |= EV_FAST_RETRANSMISSION;
			goto finished_retrans;
		}
		int64_t thres_ns = OOO_DEFAULT_NS;
		if (s->hs_rtt_ns > 0)
			thres_ns = s->hs_rtt_ns; /* Wireshark: the handshake's initial RTT */
		uint64_t t_next = (uint64_t)(uint32_t)(s->now_us - fwd->nextseq_us) * 1000u;
		const uint32_t synfin = (flags & (TCP_SYN | TCP_FIN)) ? 1 : 0; /* a resent SYN/FIN is not out of order */
		if (not_adv && (int64_t)t_next < thres_ns && nextseq != seq + seglen + synfin) {
			ev |= EV_OUT_OF_ORDER;
			goto finished_retrans;
		}
		if (seglen > 0 && rev_seen && rev->lastack && LE_SEQ(seq + seglen, rev->lastack)) {
			ev |= EV_SPURIOUS_RETRANSMISSION;
			goto finished_retrans;
		}
		if (not_adv)
			ev |= EV_RETRANSMISSION;
	}
finished_retrans:;
	/* Highest sequence number sent; zero-window probes do not advance it. */
	uint32_t nxt = seq + seglen + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if ((!have_next || GT_SEQ(nxt, nextseq)) && !(ev & EV_ZERO_WINDOW_PROBE)) {
		fwd->nextseq = nxt;
		fwd->nextseq_us = s->now_us;
		ff |= DS_NEXTSEQ;
	}
	if (s->have_win) {
		fwd->win = s->win;
		ff = (flags & TCP_SYN) ? (ff | DS_WIN_SYN) : (ff & ~DS_WIN_SYN);
	}
	fwd->lastack = ack;
	ff &= ~(DS_LAST_KA | DS_LAST_ZWP);
	if (ev & EV_KEEP_ALIVE)
		ff |= DS_LAST_KA;
	if (ev & EV_ZERO_WINDOW_PROBE)
		ff |= DS_LAST_ZWP;
	if (flags & TCP_FIN)
		ff |= DS_FIN;
	p->dflags[dir] = ff | DS_SEEN;
	return ev;
}
