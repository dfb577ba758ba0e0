/* decode_ipv4.c — IPv4 header (RFC 791): options skipped, fragments, TSO zero total length. */
#include "decode_priv.h"

#define IPV4_DF 0x4000     /* RFC 791 §3.1 flags: don't fragment */
#define IPV4_MF 0x2000     /* more fragments */
#define IPV4_OFFMASK 0x1fff /* fragment offset in 8-byte units */

/* Bytes of the frame on the wire from the cursor on; for a quoted packet, what the ICMP error holds. */
static uint32_t ipv4_wire_avail(const struct decode_ctx *ctx, const struct cursor *c)
{
	if (ctx->quoted)
		return (uint32_t)cursor_left(c);
	const struct packet *pkt = ctx->pkt;
	uint32_t frame = pkt->len > pkt->caplen ? pkt->len : pkt->caplen;
	size_t off = (size_t)(c->p - pkt->data);
	return frame > off ? (uint32_t)(frame - off) : 0;
}

enum dec_status decode_ipv4(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	if (!ctx->quoted)
		ctx->pkt->has_ip = true;
	ip->version = 4;
	uint32_t avail = ipv4_wire_avail(ctx, c);
	/* A short read is truncation when the capture ended before the frame did; a quoted packet is cut
	 * by design (RFC 792 quotes the IP header + 8 bytes), so it is always truncation there. */
	bool cut = ctx->quoted || cursor_left(c) < avail;

	uint8_t vihl;
	if (!cursor_u8(c, &vihl))
		return decode_ip_truncated(ctx, LAYER_IPV4);
	if (vihl >> 4 != 4)
		return decode_ip_invalid(ctx, LAYER_IPV4, "version not 4");
	uint32_t hlen = (vihl & 0x0fu) * 4;
	if (hlen < 20)
		return decode_ip_invalid(ctx, LAYER_IPV4, "header length < 20 (IHL < 5)");
	/* The rest of the fixed header in one read: tos(1) total length(2) id(2) flags+offset(2) ttl(1)
	   protocol(1) checksum(2) source(4) destination(4). */
	uint8_t h[19];
	if (!cursor_bytes(c, h, sizeof h))
		return decode_ip_short(ctx, LAYER_IPV4, cut, "header beyond the end of the frame");
	uint8_t proto = h[8];
	uint16_t tlen = bytes_be16(h + 1), id = bytes_be16(h + 3), fragw = bytes_be16(h + 5);
	memcpy(ip->src, h + 11, 4);
	memcpy(ip->dst, h + 15, 4);
	ip->tos = h[0];
	ip->ttl = h[7];
	ip->proto = proto;
	ip->hdr_len = (uint16_t)hlen;
	ip->ip_opts_len = (uint8_t)(hlen - 20);
	ip->ip_id = id;
	ip->dont_frag = (fragw & IPV4_DF) != 0;
	ip->more_frags = (fragw & IPV4_MF) != 0;
	ip->frag_off = (uint16_t)((fragw & IPV4_OFFMASK) * 8u);
	ip->is_frag = ip->more_frags || ip->frag_off > 0;
	/* Total length 0 comes from TCP segmentation offload on the capturing host; like Wireshark's
	 * "presumed to be because of TSO", take the length of what follows on the wire instead. */
	ip->total_len = tlen ? tlen : avail;
	ip->have |= HAVE_IP;
	if (ip->total_len < hlen)
		return decode_ip_invalid(ctx, LAYER_IPV4, "total length < header length");
	/* Options (RFC 791 §3.1) are skipped; their byte count is kept. */
	if (!cursor_skip(c, hlen - 20))
		return decode_ip_short(ctx, LAYER_IPV4, cut, "header beyond the end of the frame");
	if (ip->frag_off > 0)
		return DEC_OK; /* a later fragment: no transport header here */
	struct cursor l4 = cursor_sub(c, decode_l4_wire(ctx, c));
	return decode_ipproto(ctx, &l4, proto);
}
