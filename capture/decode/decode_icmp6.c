/* decode_icmp6.c — ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861) with the quoted packet of errors. */
#include <string.h>

#include "decode/decode_priv.h"

enum dec_status decode_icmp6(struct decode_ctx *ctx, struct cursor *c)
{
	static const char short_hdr[] = "IP payload shorter than ICMPv6 header";
	struct ip_layer *ip = ctx->ip;
	struct icmp_hdr *h = &ip->u.icmp;
	ip->l4 = L4_ICMP6;
	memset(h, 0, sizeof *h);
	uint32_t wire = decode_l4_wire(ctx, c);
	bool cut = cursor_left(c) < wire;

	if (!cursor_u8(c, &h->type) || !cursor_u8(c, &h->code))
		return decode_ip_short(ctx, LAYER_ICMP6, cut, short_hdr);
	ip->have |= HAVE_ICMP; /* type and code, shown even when the capture cut the checksum */
	if (!cursor_be16(c, &h->sum) || !cursor_has(c, 4))
		return decode_ip_short(ctx, LAYER_ICMP6, cut, short_hdr);
	struct cursor r = cursor_sub(c, 4);
	cursor_skip(c, 4);
	switch (h->type) {
	case 128: case 129: /* echo request / reply (RFC 4443 §4) */
		cursor_be16(&r, &h->id);
		cursor_be16(&r, &h->seq);
		break;
	case 2: /* packet too big (§3.2) */
		cursor_be32(&r, &h->mtu);
		break;
	case 4: /* parameter problem (§3.4) */
		cursor_be32(&r, &h->pointer);
		break;
	case 136: /* neighbor advertisement (RFC 4861 §4.4): R S O flags */
		cursor_u8(&r, &h->nd_flags);
		break;
	default:
		break;
	}
	ip->have |= HAVE_ICMP_REST;
	ip->payload_wire = wire > 8 ? wire - 8 : 0;
	ip->payload_cap = (uint32_t)cursor_left(c);
	ip->payload = c->p;
	ip->have |= HAVE_PAYLOAD;

	/* RFC 4861 §4.3-4.5: NS, NA and redirect carry a 16-byte target address next. */
	if (h->type == 135 || h->type == 136 || h->type == 137) {
		if (!cursor_bytes(c, h->nd_target, 16))
			return decode_ip_short(ctx, LAYER_ICMP6, cut, "IP payload shorter than ND target");
		ip->have |= HAVE_ND_TARGET;
	}

	if (icmp6_is_error(h->type) && !ctx->quoted && cursor_has(c, 1)) {
		struct packet *pkt = ctx->pkt;
		decode_ip_reset(&pkt->inner);
		pkt->has_inner = true;
		struct decode_ctx inner = { pkt, &pkt->inner, true };
		struct cursor q = *c;
		decode_ipv6(&inner, &q);
	}
	return DEC_OK;
}
