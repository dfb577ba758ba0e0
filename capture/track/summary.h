/* summary.h — one packet summed up once from its decode and its tracking: what a list row, a ladder arrow, the timeline and the explanations show. */
#ifndef SYNWATCH_SUMMARY_H
#define SYNWATCH_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "track/flow.h"

/*
 * The summary of one packet (144 bytes, no pointer into the packet's bytes): the panel keeps one per packet
 * of its history, the classroom timeline one per packet it holds, the ladder one per arrow. Names (ICMP
 * types, protocols, layers) are not stored but looked up from the numbers kept (summary_*_name below).
 * Fields that were not captured are 0 (a TCP header cut before its flags: tcpflags 0).
 */
struct pkt_summary {
	uint64_t n;               /* packet number from the pipeline (packet.n) */
	int64_t ts_ns;            /* capture time, ns since the epoch (packet_time_ns) */
	uint64_t flow_id;         /* the flow tracking put it in (track_result.flow->id), 0 for none */
	uint32_t caplen, len;     /* captured and on-the-wire lengths */
	uint32_t pl_off, pl_cap;  /* transport payload: offset in the captured bytes, and bytes captured */
	uint32_t payload;         /* transport payload bytes on the wire (HAVE_PAYLOAD), else 0 */
	uint32_t events;          /* EV_* bits from tracking */
	uint32_t dup_ack_n;       /* with EV_DUP_ACK: the n of "dup ack #n" */
	uint32_t seq, ack;        /* raw TCP sequence / acknowledgement numbers */
	uint32_t rseq, rack;      /* relative ones (have_rel) */
	uint16_t sport, dport;    /* ports (has_ports); an ICMP echo's id and sequence (has_icmp) */
	uint16_t tcpflags;        /* TCP_* bits */
	uint16_t win;             /* raw TCP window field */
	uint16_t mss;             /* a SYN's MSS option (synopt & TCPOPT_HAVE_MSS) */
	uint16_t ethertype;       /* the link's ethertype (names non-IP packets) */
	uint16_t linktype;        /* DLT_* of the capture */
	uint16_t frag_off;        /* fragment offset in bytes (is_frag) */
	uint8_t synopt;           /* a SYN's negotiated options: TCPOPT_HAVE_MSS, _SACK_OK, _TS, _WSCALE; and
				     TCPOPT_CUT when the capture ended inside its options */
	uint8_t wscale;           /* a SYN's window-scale shift (synopt & TCPOPT_HAVE_WSCALE) */
	uint8_t af;               /* 4, 6, or 0 without IP */
	uint8_t proto;            /* IP protocol number after extension headers */
	uint8_t l4;               /* enum l4_kind */
	uint8_t dir;              /* enum flow_dir within its flow */
	uint8_t status;           /* enum dec_status of the whole packet */
	uint8_t problem_layer;    /* enum layer_id where the capture was cut (DEC_TRUNCATED) or went wrong */
	uint8_t icmp_type, icmp_code; /* has_icmp */
	uint8_t app;              /* enum app_kind: the payload has an application summary (view_app.c) */
	uint8_t before[2], after[2]; /* enum tcp_state of [client, server] around this packet */
	bool have_rel : 1;        /* rseq/rack valid */
	bool has_ports : 1;       /* sport/dport are TCP/UDP ports */
	bool has_icmp : 1;        /* icmp_type/code valid; an echo's id/seq are in sport/dport */
	bool icmp_err : 1;        /* an ICMP/ICMPv6 error type (it quotes the offending packet) */
	bool link_unsupported : 1; /* the link type is not decoded */
	bool is_frag : 1;         /* an IP fragment */
	bool more_frags : 1;      /* its MF bit */
	bool have_win_scale : 1;  /* win_shift valid (track_result.have_win_scale) */
	uint8_t src[16], dst[16]; /* addresses, IPv4 in the first 4 bytes */
	uint8_t win_shift;        /* the window's scale shift (have_win_scale): bytes = win << win_shift */
	const char *bad_field;    /* DEC_INVALID: the decoder's static text naming the field, else NULL */
};

/* Sum up a decoded packet and what tracking it produced (tr may be NULL, or tr->flow NULL: no flow). */
void summary_from(struct pkt_summary *s, const struct packet *p, const struct track_result *tr);

/* The TCP window in bytes: the field shifted by the scale the handshake gave (have_win_scale), as
   Wireshark shows it; the raw field while the scale is unknown. */
uint64_t summary_win_bytes(const struct pkt_summary *s);

/* The packet's own names, from its numbers (static strings, NULL when there is none). */
const char *summary_icmp_name(const struct pkt_summary *s);      /* "echo request", "destination unreachable" */
const char *summary_icmp_code_name(const struct pkt_summary *s); /* "port unreachable" */
const char *summary_l3_name(const struct pkt_summary *s);   /* link_unsupported: the link type's; else the ethertype's */
const char *summary_proto_name(const struct pkt_summary *s); /* an IP protocol not decoded ("gre"), else NULL */
const char *summary_problem_layer(const struct pkt_summary *s); /* "tcp", "ip"...; "" when none */

#endif
