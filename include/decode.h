/* decode.h — packet decoder entry point, per-protocol decoders and {value, "name"} tables. */
#ifndef SYNWATCH_DECODE_H
#define SYNWATCH_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "packet.h"

/*
 * Decode one captured packet of link type `linktype` (a DLT_* value as pcap_datalink() returns it) into
 * *pkt, overwriting it. Never reads outside data[0..caplen), never allocates, never fails: problems are
 * reported in pkt->status / trunc_layer / bad_layer / bad_field. pkt->n and timestamps are the caller's.
 */
void decode_packet(struct packet *pkt, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);

/* True when decode_packet() understands this link type (others are shown as "unsupported link type"). */
bool decode_linktype_supported(int linktype);

/*
 * Uniform per-protocol decoder signature: read one layer from *c into the packet / IP layer, then hand
 * the rest to the next decoder. Link decoders fill pkt->link and call decode_ethertype(); IP decoders fill
 * an ip_layer and dispatch on the protocol number. Each returns the status of what it decoded.
 */
struct decode_ctx {
	struct packet *pkt;    /* the packet being filled */
	struct ip_layer *ip;   /* the IP layer being filled (pkt->ip, or pkt->inner for a quoted packet) */
	bool quoted;           /* decoding a packet quoted in an ICMP error: no further inner, lengths lie */
};
typedef enum dec_status (*decoder_fn)(struct decode_ctx *ctx, struct cursor *c);

/* Dispatch on an ethertype (after link headers and VLAN tags). */
enum dec_status decode_ethertype(struct decode_ctx *ctx, struct cursor *c, uint16_t ethertype);
/* Dispatch on an IP protocol number (after the IP header and extension headers). */
enum dec_status decode_ipproto(struct decode_ctx *ctx, struct cursor *c, uint8_t proto);

/* {value, "name"} tables and lookups. */
struct name_entry {
	int value;
	const char *name;
};
/* The name for value in a table ending with {0, NULL}, or NULL when absent. */
const char *name_lookup(const struct name_entry *table, int value);

const char *layer_name(enum layer_id layer);  /* "tcp", "ip6"... ; "" for LAYER_NONE */
const char *linktype_name(int linktype);       /* "EN10MB", "LINUX_SLL2"...; "DLT_<n>" style via buf-less table, NULL if unknown */
const char *ipproto_name(int proto);           /* "tcp", "udp", "icmp", "icmp6", "gre", "sctp"...; NULL if unknown */
const char *ether_type_name(int ethertype);    /* "ipv4", "ipv6", "arp", "vlan"...; NULL if unknown */
const char *icmp_type_name(int type);          /* "echo request", "destination unreachable"... */
const char *icmp_code_name(int type, int code); /* "port unreachable"...; NULL when the type has no code names */
const char *icmp6_type_name(int type);
const char *icmp6_code_name(int type, int code);

/* tcpdump's flag notation ("S", "S.", "P.", "F.", "R", "SEW"...) into buf (at least 12 bytes); returns buf. */
char *tcp_flags_str(uint16_t flags, char *buf);

/* True for ICMP/ICMPv6 types that quote the offending packet (unreachable, time exceeded...). */
bool icmp_is_error(int type);
bool icmp6_is_error(int type);

#endif
