/* pktbuild.h — test helpers: build packets byte by byte, decode copies, check every truncation. */
#ifndef SYNWATCH_PKTBUILD_H
#define SYNWATCH_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"

/* DLT values used by the tests (as pcap_datalink() returns them on Linux). */
enum {
	LT_NULL = 0,
	LT_EN10MB = 1,
	LT_RAW = 12,
	LT_RAW_OPENBSD = 14,
	LT_RAW_LINKTYPE = 101,
	LT_LOOP = 108,
	LT_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_SLL2 = 276,
	LT_PPP = 9, /* not supported by the decoder */
};

/* A packet being built. */
struct pb {
	uint8_t b[2048];
	size_t n;
};

void pb_u8(struct pb *p, uint8_t v);
void pb_be16(struct pb *p, uint16_t v);
void pb_be32(struct pb *p, uint32_t v);
void pb_le32(struct pb *p, uint32_t v);
void pb_bytes(struct pb *p, const void *v, size_t n);
void pb_fill(struct pb *p, uint8_t v, size_t n);
void pb_set16(struct pb *p, size_t off, uint16_t v);

/* Link headers. */
void pb_eth(struct pb *p, uint16_t ethertype);
/* The TCI and next type of a VLAN tag (the tag's TPID is the ethertype written before it). */
void pb_vlan(struct pb *p, uint8_t pcp, uint16_t vid, uint16_t next);

/* IPv4 header (IHL 5 + optlen/4, options filled with NOPs); total length fixed later by pb_ipv4_end().
 * Returns the header's offset. */
size_t pb_ipv4(struct pb *p, uint8_t proto, const uint8_t src[4], const uint8_t dst[4], size_t optlen);
void pb_ipv4_end(struct pb *p, size_t ipoff); /* total length = bytes from ipoff to the end */
/* IPv6 fixed header; payload length fixed later by pb_ipv6_end(). */
size_t pb_ipv6(struct pb *p, uint8_t next, const uint8_t src[16], const uint8_t dst[16]);
void pb_ipv6_end(struct pb *p, size_t ipoff);
/* TCP header with the given options (optlen a multiple of 4). */
void pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint16_t flags,
	    uint16_t win, const uint8_t *opts, size_t optlen);
/* UDP header whose length field says 8 + payload_len. */
void pb_udp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t payload_len);

/* Loopback addresses used throughout. */
extern const uint8_t LO4[4], LO4B[4], LO6[16];

/*
 * Decode a copy of b[0..caplen) held in a malloc'd buffer of exactly caplen bytes (so AddressSanitizer
 * sees any over-read), with wire length len. Returns the buffer (pkt->data), for the caller to free().
 */
uint8_t *decode_copy(struct packet *pkt, int linktype, const uint8_t *b, size_t caplen, size_t len);

/* Expected outcome for prefixes shorter than `end` (cut entries in increasing order of end). */
enum cut_kind {
	CUT_OUTER, /* packet DEC_TRUNCATED at `layer` */
	CUT_OK,    /* packet DEC_OK, no quoted packet (e.g. an ICMP error cut right after its header) */
	CUT_INNER, /* packet DEC_OK, quoted packet DEC_TRUNCATED at `layer` */
	CUT_INNER_OK, /* packet DEC_OK, quoted packet DEC_OK (only its payload was cut) */
};
struct cut {
	size_t end;
	enum layer_id layer;
	enum cut_kind kind;
};

/*
 * Decode every prefix 0..len-1 of b (wire length len) and compare with cuts; prints each mismatch
 * naming the test and prefix. Returns the number of mismatches.
 */
int check_prefixes(const char *name, int linktype, const uint8_t *b, size_t len, const struct cut *cuts,
		   size_t ncuts);

/*
 * The text and JSON lines the views write for p (no flow), each in a buffer of size bytes; the text
 * without its local clock part ("HH:MM:SS.ffffff ").
 */
void pb_view_lines(const struct packet *p, char *text, char *json, size_t size);
/* The panel's details of p (its summary without a flow), one line per '\n', in all[0..size). */
void pb_details(const struct packet *p, char *all, size_t size);

#endif
