/* decode_priv.h — decoders and status helpers shared by the capture/decode_*.c files only. */
#ifndef SYNWATCH_DECODE_PRIV_H
#define SYNWATCH_DECODE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"

/* Link-layer decoders (fill pkt->link, then decode_ethertype()). */
enum dec_status decode_eth(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_null(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_loop(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_sll(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_sll2(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_raw(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_ipv4_link(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_ipv6_link(struct decode_ctx *ctx, struct cursor *c);

/* IP decoders (fill ctx->ip, then decode_ipproto()). */
enum dec_status decode_ipv4(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_ipv6(struct decode_ctx *ctx, struct cursor *c);

/* Transport decoders (fill ctx->ip->u). */
enum dec_status decode_tcp(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_udp(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_icmp(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_icmp6(struct decode_ctx *ctx, struct cursor *c);

/* Application decoders (fill pkt->app). ARP is dispatched by ethertype (0x0806, 0x8035). DNS gets the
   transport payload's cursor and length on the wire; over TCP (tcp) it starts with the 2-byte message
   length, and only a segment holding a whole message from its start is decoded. decode_http() decodes an
   HTTP/1.x request or status line when the TCP payload starts with one. */
enum dec_status decode_arp(struct decode_ctx *ctx, struct cursor *c);
enum dec_status decode_dns(struct decode_ctx *ctx, struct cursor *c, uint32_t wire, bool tcp);
enum dec_status decode_http(struct decode_ctx *ctx, const struct cursor *c, uint32_t wire);
/* The first two bytes of a request method (GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH) or of
   "HTTP/": one look on most segments' way, inline; decode_http() looks at the rest. */
static inline bool decode_http_starts(const struct cursor *c)
{
	if (!cursor_has(c, 4))
		return false;
	switch (bytes_be16(c->p)) {
	case 0x434f: /* "CO"NNECT */
	case 0x4445: /* "DE"LETE */
	case 0x4745: /* "GE"T */
	case 0x4845: /* "HE"AD */
	case 0x4854: /* "HT"TP/ */
	case 0x4f50: /* "OP"TIONS */
	case 0x5041: /* "PA"TCH */
	case 0x504f: /* "PO"ST */
	case 0x5055: /* "PU"T */
	case 0x5452: /* "TR"ACE */
		return true;
	default:
		return false;
	}
}

/* Reset an ip_layer's header fields (everything before the union) and its payload/status fields. */
void decode_ip_reset(struct ip_layer *ip);

/* The link layer ran out of captured bytes / held an impossible value: recorded on the packet. */
enum dec_status decode_link_truncated(struct decode_ctx *ctx, enum layer_id layer);
enum dec_status decode_link_invalid(struct decode_ctx *ctx, enum layer_id layer, const char *field);

/*
 * An IP-or-above layer ran out of bytes / held an impossible value: recorded on ctx->ip and, unless the
 * packet is a quoted one (whose status stays in pkt->inner), on the packet too.
 */
enum dec_status decode_ip_truncated(struct decode_ctx *ctx, enum layer_id layer);
enum dec_status decode_ip_invalid(struct decode_ctx *ctx, enum layer_id layer, const char *field);

/*
 * A header read failed in a layer whose bytes are bounded both by the capture and by an IP length
 * field: when the capture ended first (cut) it is truncation, otherwise the length field was too small
 * for the header and the packet is invalid with `field`.
 */
static inline enum dec_status decode_ip_short(struct decode_ctx *ctx, enum layer_id layer, bool cut,
					      const char *field)
{
	return cut ? decode_ip_truncated(ctx, layer) : decode_ip_invalid(ctx, layer, field);
}

/*
 * Bytes of the frame on the wire from the cursor on (the most an IP length field can claim); for a
 * packet quoted in an ICMP error, what the error holds.
 */
static inline uint32_t decode_wire_left(const struct decode_ctx *ctx, const struct cursor *c)
{
	if (ctx->quoted)
		return (uint32_t)cursor_left(c);
	const struct packet *pkt = ctx->pkt;
	uint32_t frame = pkt->len > pkt->caplen ? pkt->len : pkt->caplen;
	size_t off = (size_t)(c->p - pkt->data);
	return frame > off ? (uint32_t)(frame - off) : 0;
}

/*
 * Bytes of the current IP packet's payload (after IP and extension headers) on the wire: from the IP
 * length fields, and for the outer packet never more than the frame holds from the cursor on.
 * `c` must be positioned at the start of that payload.
 */
uint32_t decode_l4_wire(const struct decode_ctx *ctx, const struct cursor *c);

/*
 * The first 8 bytes ICMP (RFC 792) and ICMPv6 (RFC 4443 §2.1) share: type, code, checksum, then 4 bytes
 * whose meaning depends on the type. Fills ip->u.icmp's type, code and sum; DEC_OK with *rest narrowed
 * to the 4 type-dependent bytes (for the caller's switch) and *c after them. *wire is the ICMP message's
 * length on the wire, *cut (when not NULL) whether the capture ended inside it.
 */
enum dec_status decode_icmp_head(struct decode_ctx *ctx, struct cursor *c, enum l4_kind kind, struct cursor *rest,
				 uint32_t *wire, bool *cut);

/*
 * After those 8 bytes: the message body as the payload, and for an error (is_error) the offending IP packet
 * it quotes, decoded once through a narrowed cursor with `quoted` decoder (never deeper).
 */
void decode_icmp_body(struct decode_ctx *ctx, const struct cursor *c, uint32_t wire, bool is_error, decoder_fn quoted);

#endif
