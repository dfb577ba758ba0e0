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

/* A socket call, as the panel explains it (plain values, filled from the event and the flow it matched). */
struct explain_call_in {
	const char *call;       /* "connect", "close"... */
	int side;               /* the calling end: 0 client, 1 server, -1 unknown (a traced process) */
	bool failed;            /* it returned -1 ... */
	const char *errname;    /* ... with this errno name ("ECONNREFUSED"), or NULL */
	bool peer;              /* the socket had a peer when called (its remote endpoint is known) */
	uint8_t proto;          /* the flow it matched: 6, 17; 0 when it matched none */
	uint8_t state;          /* ... and the calling end's TCP state when the call was made (enum tcp_state) */
};

/*
 * One sentence about what the call does on the wire, as sockdemo's narration tells it: "The client calls
 * connect(): its kernel sends SYN and waits for SYN-ACK.", "The server calls close() on a socket with no
 * connection (a listener, or one never connected): nothing is sent...", "The client's connect() failed
 * with ECONNREFUSED: its SYN was answered by RST, nothing listens on that port." Returns the length
 * snprintf would have written.
 */
int explain_call(char *buf, size_t n, const struct explain_call_in *in);

#endif
