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
 * Bytes of the current IP packet's payload (after IP and extension headers) on the wire: from the IP
 * length fields, and for the outer packet never more than the frame holds from the cursor on.
 * `c` must be positioned at the start of that payload.
 */
uint32_t decode_l4_wire(const struct decode_ctx *ctx, const struct cursor *c);

#endif
