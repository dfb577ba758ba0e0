/* explain.h — one teaching sentence about a packet, from the flow tracker's states and the call that caused it. */
#ifndef SYNWATCH_EXPLAIN_H
#define SYNWATCH_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the sentence is built from (all plain values: fill it from a packet summary, a packet or a test). */
struct explain_in {
	uint8_t proto;          /* 6 TCP, 17 UDP, 1/58 ICMP */
	uint8_t dir;            /* enum flow_dir: 0 client to server, 1 server to client */
	uint16_t tcpflags;      /* TCP_* bits */
	uint32_t payload;       /* payload bytes */
	bool icmp_err;          /* an ICMP error about the flow (dir: who sent the error) */
	const char *icmp_what;  /* its code name ("port unreachable"), or NULL */
	uint8_t before[2];      /* enum tcp_state of [client, server] before the packet */
	uint8_t after[2];       /* ... and after it */
	uint32_t events;        /* EV_* bits from tracking */
	const char *call;       /* the system call of the sending end that caused the packet ("connect"), or NULL */
};

/*
 * Writes one sentence (or two) into buf, e.g.
 *   "Client → server: SYN. The client called connect(); it is now SYN-SENT."
 *   "Server → client: SYN-ACK. The server's kernel answers for the listening socket; the client is now
 *    ESTABLISHED, the server SYN-RECEIVED."
 * Returns the length snprintf would have written.
 */
int explain_packet(char *buf, size_t n, const struct explain_in *in);

/*
 * Which call caused a packet: the nearest earlier call of its flow by its sending end that sends such a
 * packet (explain_call_sends), unless an earlier packet of the same kind (explain_same_kind) stands
 * between them and took that call. Both the panel's footer and a lesson's packet comments go by it.
 */
/* Does call `call` send a packet like this one (SYN: connect; FIN or RST: close, shutdown; data: send,
   sendto, write, sendmsg, and a UDP socket's connect-then-send)? */
bool explain_call_sends(const char *call, uint8_t proto, uint16_t tcpflags, uint32_t payload);
/* Are two packets of one end of a flow of the same kind (a SYN, FIN or RST flag in common, or both data
   without those flags)? */
bool explain_same_kind(uint16_t flags_a, uint32_t payload_a, uint16_t flags_b, uint32_t payload_b);

/* The call's effect in a sentence ("The client calls connect(): its kernel sends SYN and waits for
   SYN-ACK."), for a call row; side 0 client, 1 server, -1 a traced process of unknown role. */
int explain_call(char *buf, size_t n, const char *call, int side, bool failed, const char *errname);

#endif
