/* tcp_state.c — per-end TCP state transitions (RFC 9293 §3.3.2, §3.10.7) as data: a send table and a receive table. */
#include "track/tcp_state.h"

#include <stddef.h>

#include "packet.h" /* TCP_* flag bits */

/*
 * The states are inferred from the wire, so each table answers "what must this end be in now?":
 *  - send table: the sender's state before a segment of this kind left it → its state after;
 *  - receive table: the receiver's state when a segment of this kind reaches it → its state after.
 * Conventions beyond RFC 9293's diagram (README "TCP states"):
 *  - TCPS_NONE is "not seen yet". A SYN arriving there (or at a CLOSED end) makes it UNANSWERED: a SYN
 *    says nothing about the end it reaches. Its answer does: SYN-ACK (or a bare SYN: simultaneous open)
 *    makes it SYN-RECEIVED, something listened; RST makes it CLOSED, nothing listens. Until then it stays
 *    UNANSWERED, whatever else reaches it (retransmitted SYNs, the asker's RST); the flow module turns it
 *    into NO-ANSWER when the flow times out. LISTEN is only ever shown for an end known to listen.
 *  - A FIN sent from CLOSE-WAIT that does not acknowledge the peer's FIN shows the sender had not yet
 *    received that FIN: both FINs crossed (simultaneous close), so the sender goes to CLOSING, not LAST-ACK.
 *  - Segments that make no sense in a state (data from LAST-ACK, a SYN in TIME-WAIT...) leave it unchanged.
 *  - RST: the sender is CLOSED in every state; the receiver too, except LISTEN, which ignores it
 *    (§3.10.7.2), SYN-RECEIVED, which returns to LISTEN (§3.10.7.4, passive open), and an end that has
 *    not answered, which stays as it was.
 */
#define NO TCPS_NONE
#define CL TCPS_CLOSED
#define LI TCPS_LISTEN
#define UN TCPS_UNANSWERED
#define NA TCPS_NO_ANSWER
#define SS TCPS_SYN_SENT
#define SR TCPS_SYN_RECEIVED
#define ES TCPS_ESTABLISHED
#define F1 TCPS_FIN_WAIT_1
#define F2 TCPS_FIN_WAIT_2
#define CW TCPS_CLOSE_WAIT
#define CG TCPS_CLOSING
#define LA TCPS_LAST_ACK
#define TW TCPS_TIME_WAIT

/* Columns: SYN, SYN-ACK, ACK, ACK-of-FIN, FIN, FIN+ACK-of-FIN, RST, ICMP-unreachable. */
static const uint8_t send_table[TCPS_COUNT][SEG_COUNT] = {
	/* NONE: first seen sending (capture began mid-connection or missed the SYN) */
	[TCPS_NONE] = { SS, SR, ES, CW, F1, LA, CL, NO },
	[TCPS_CLOSED] = { SS, SR, CL, CL, CL, CL, CL, CL },
	/* LISTEN: SYN-ACK or a crossing SYN → SYN-RECEIVED; RST refuses */
	[TCPS_LISTEN] = { SR, SR, LI, LI, LI, LI, CL, LI },
	/* UNANSWERED (and NO-ANSWER, a late answer): SYN-ACK or a crossing SYN → SYN-RECEIVED, it listened;
	   RST → CLOSED, nothing listens; anything else answers nothing */
	[TCPS_UNANSWERED] = { SR, SR, UN, UN, UN, UN, CL, UN },
	[TCPS_NO_ANSWER] = { SR, SR, NA, NA, NA, NA, CL, NA },
	/* SYN-SENT sending ACK/data: the SYN-ACK it answered was not captured */
	[TCPS_SYN_SENT] = { SS, SR, ES, CW, F1, LA, CL, SS },
	[TCPS_SYN_RECEIVED] = { SR, SR, ES, CW, F1, LA, CL, SR },
	[TCPS_ESTABLISHED] = { ES, ES, ES, CW, F1, LA, CL, ES },
	[TCPS_FIN_WAIT_1] = { F1, F1, F1, CG, F1, CG, CL, F1 },
	[TCPS_FIN_WAIT_2] = { F2, F2, F2, TW, F2, TW, CL, F2 },
	[TCPS_CLOSE_WAIT] = { CW, CW, CW, CW, CG, LA, CL, CW },
	[TCPS_CLOSING] = { CG, CG, CG, CG, CG, CG, CL, CG },
	[TCPS_LAST_ACK] = { LA, LA, LA, LA, LA, LA, CL, LA },
	[TCPS_TIME_WAIT] = { TW, TW, TW, TW, TW, TW, CL, TW },
};

static const uint8_t recv_table[TCPS_COUNT][SEG_COUNT] = {
	/* NONE: a SYN asks a question this end has not answered yet */
	[TCPS_NONE] = { UN, ES, ES, F2, CW, TW, CL, CL },
	/* CLOSED: a new SYN asks again; everything else is answered by RST (not a change) */
	[TCPS_CLOSED] = { UN, CL, CL, CL, CL, CL, CL, CL },
	[TCPS_LISTEN] = { LI, LI, LI, LI, LI, LI, LI, LI },
	/* UNANSWERED: only its own answer tells (send table) */
	[TCPS_UNANSWERED] = { UN, UN, UN, UN, UN, UN, UN, UN },
	/* NO-ANSWER: a SYN after the flow timed out asks again */
	[TCPS_NO_ANSWER] = { UN, NA, NA, NA, NA, NA, NA, NA },
	/* SYN-SENT: crossing SYN → SYN-RECEIVED (simultaneous open); SYN-ACK → ESTABLISHED; RST/ICMP → CLOSED */
	[TCPS_SYN_SENT] = { SR, ES, SS, SS, SS, SS, CL, CL },
	[TCPS_SYN_RECEIVED] = { SR, ES, ES, ES, CW, CW, LI, SR },
	[TCPS_ESTABLISHED] = { ES, ES, ES, ES, CW, CW, CL, ES },
	/* FIN-WAIT-1: its FIN acknowledged → FIN-WAIT-2; the peer's FIN first → CLOSING; both → TIME-WAIT */
	[TCPS_FIN_WAIT_1] = { F1, F1, F1, F2, CG, TW, CL, F1 },
	[TCPS_FIN_WAIT_2] = { F2, F2, F2, F2, TW, TW, CL, F2 },
	[TCPS_CLOSE_WAIT] = { CW, CW, CW, CW, CW, CW, CL, CW },
	[TCPS_CLOSING] = { CG, CG, CG, TW, CG, TW, CL, CG },
	[TCPS_LAST_ACK] = { LA, LA, LA, CL, LA, CL, CL, LA },
	[TCPS_TIME_WAIT] = { TW, TW, TW, TW, TW, TW, CL, TW },
};

enum tcp_seg tcp_seg_classify(uint16_t flags, bool acks_peer_fin)
{
	if (flags & TCP_RST)
		return SEG_RST;
	if (flags & TCP_SYN)
		return (flags & TCP_ACK) ? SEG_SYNACK : SEG_SYN;
	if (flags & TCP_FIN)
		return acks_peer_fin ? SEG_FINACKFIN : SEG_FIN;
	return acks_peer_fin ? SEG_ACKFIN : SEG_ACK;
}

enum tcp_state tcp_state_after_send(enum tcp_state s, enum tcp_seg k)
{
	if ((unsigned)s >= TCPS_COUNT || (unsigned)k >= SEG_COUNT)
		return s;
	return (enum tcp_state)send_table[s][k];
}

enum tcp_state tcp_state_after_recv(enum tcp_state s, enum tcp_seg k)
{
	if ((unsigned)s >= TCPS_COUNT || (unsigned)k >= SEG_COUNT)
		return s;
	return (enum tcp_state)recv_table[s][k];
}

const char *tcp_seg_name(enum tcp_seg k)
{
	static const char *const names[SEG_COUNT] = {
		[SEG_SYN] = "SYN",
		[SEG_SYNACK] = "SYN-ACK",
		[SEG_ACK] = "ACK",
		[SEG_ACKFIN] = "ACK-of-FIN",
		[SEG_FIN] = "FIN",
		[SEG_FINACKFIN] = "FIN+ACK-of-FIN",
		[SEG_RST] = "RST",
		[SEG_ICMP_UNREACH] = "ICMP-unreachable",
	};
	return (unsigned)k < SEG_COUNT ? names[k] : "?";
}

const char *tcp_state_name(enum tcp_state s)
{
	static const char *const names[TCPS_COUNT] = {
		[TCPS_NONE] = "-",
		[TCPS_CLOSED] = "CLOSED",
		[TCPS_LISTEN] = "LISTEN",
		[TCPS_UNANSWERED] = "UNANSWERED",
		[TCPS_NO_ANSWER] = "NO-ANSWER",
		[TCPS_SYN_SENT] = "SYN-SENT",
		[TCPS_SYN_RECEIVED] = "SYN-RECEIVED",
		[TCPS_ESTABLISHED] = "ESTABLISHED",
		[TCPS_FIN_WAIT_1] = "FIN-WAIT-1",
		[TCPS_FIN_WAIT_2] = "FIN-WAIT-2",
		[TCPS_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCPS_CLOSING] = "CLOSING",
		[TCPS_LAST_ACK] = "LAST-ACK",
		[TCPS_TIME_WAIT] = "TIME-WAIT",
	};
	return (unsigned)s < TCPS_COUNT ? names[s] : "?";
}
