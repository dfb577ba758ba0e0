/* decode_icmp6.c — ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861) with the quoted packet of errors. */
#include "decode/decode_priv.h"

enum dec_status decode_icmp6(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	struct icmp_hdr *h = &ip->u.icmp;
	struct cursor r;
	uint32_t wire;
	bool cut;
	enum dec_status st = decode_icmp_head(ctx, c, L4_ICMP6, &r, &wire, &cut);
	if (st != DEC_OK)
		return st;
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
	/* An error quotes as much of the offending packet as fits (RFC 4443 §3). */
	decode_icmp_body(ctx, c, wire, icmp6_is_error(h->type), decode_ipv6);
	/* RFC 4861 §4.3-4.5: NS, NA and redirect carry a 16-byte target address next (none is an error). */
	if (h->type == 135 || h->type == 136 || h->type == 137) {
		if (!cursor_bytes(c, h->nd_target, 16))
			return decode_ip_short(ctx, LAYER_ICMP6, cut, "IP payload shorter than ND target");
		ip->have |= HAVE_ND_TARGET;
	}
	return DEC_OK;
}
