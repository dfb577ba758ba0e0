/* tcp_state.h — the per-end TCP state machine (RFC 9293 §3.3.2) as two transition tables, and segment kinds. */
#ifndef SYNWATCH_TCP_STATE_H
#define SYNWATCH_TCP_STATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * RFC 9293 §3.3.2 connection states, as each end is inferred to be from what crosses the wire, and two of
 * our own for an end whose state the wire has not shown yet (UNANSWERED, NO-ANSWER: README "TCP states").
 * The states before TCPS_ESTABLISHED are those of an end with no connection established yet.
 */
enum tcp_state {
	TCPS_NONE = 0,     /* not TCP, or nothing known yet */
	TCPS_CLOSED,
	TCPS_LISTEN,       /* known to listen: it answered a SYN with SYN-ACK, and went back (RST in SYN-RECEIVED)
			      or the capture began with its SYN-ACK */
	TCPS_UNANSWERED,   /* a SYN reached it and it has not answered: nothing is known yet (SYN-ACK would
			      show something listens, RST that nothing does) */
	TCPS_NO_ANSWER,    /* still UNANSWERED when its flow timed out (left the table): it never answered */
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_FIN_WAIT_1,
	TCPS_FIN_WAIT_2,
	TCPS_CLOSE_WAIT,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_TIME_WAIT,
	TCPS_COUNT
};

/*
 * What a segment means to the state machine, classified from its flags and from whether it acknowledges
 * a FIN the receiving end sent earlier. Names from tcp_seg_name().
 */
enum tcp_seg {
	SEG_SYN = 0,     /* "SYN": SYN without ACK */
	SEG_SYNACK,      /* "SYN-ACK" */
	SEG_ACK,         /* "ACK": no SYN/FIN/RST (data or not), not acknowledging the receiver's FIN */
	SEG_ACKFIN,      /* "ACK-of-FIN": no SYN/FIN/RST, acknowledges the FIN the receiver sent */
	SEG_FIN,         /* "FIN": FIN that does not acknowledge a FIN of the receiver */
	SEG_FINACKFIN,   /* "FIN+ACK-of-FIN": FIN that also acknowledges the receiver's FIN */
	SEG_RST,         /* "RST" (whatever else is set) */
	SEG_ICMP_UNREACH, /* "ICMP-unreachable": an ICMP port/protocol unreachable quoting this end's packet;
	                     only ever received (its send row leaves every state unchanged) */
	SEG_COUNT
};

/*
 * Classify a TCP segment. flags: TCP_* bits. acks_peer_fin: the ACK flag is set, the receiver has sent a
 * FIN, and this segment's ack number covers it.
 */
enum tcp_seg tcp_seg_classify(uint16_t flags, bool acks_peer_fin);

/* The sender's state after sending a segment of kind k in state s (the send table, one row per state). */
enum tcp_state tcp_state_after_send(enum tcp_state s, enum tcp_seg k);

/* The receiver's state after a segment of kind k crosses the wire toward it in state s (the receive table). */
enum tcp_state tcp_state_after_recv(enum tcp_state s, enum tcp_seg k);

const char *tcp_seg_name(enum tcp_seg k); /* "SYN", "ACK-of-FIN"... */

#endif
