/* decode_icmp.c — ICMP for IPv4 (RFC 792, RFC 1191 next-hop MTU) with the quoted packet of errors. */
#include <string.h>

#include "decode/decode_priv.h"

enum dec_status decode_icmp(struct decode_ctx *ctx, struct cursor *c)
{
	static const char short_hdr[] = "IP payload shorter than ICMP header";
	struct ip_layer *ip = ctx->ip;
	struct icmp_hdr *h = &ip->u.icmp;
	ip->l4 = L4_ICMP;
	memset(h, 0, sizeof *h);
	uint32_t wire = decode_l4_wire(ctx, c);
	bool cut = cursor_left(c) < wire;

	if (!cursor_u8(c, &h->type) || !cursor_u8(c, &h->code))
		return decode_ip_short(ctx, LAYER_ICMP, cut, short_hdr);
	ip->have |= HAVE_ICMP; /* type and code, shown even when the capture cut the checksum */
	if (!cursor_be16(c, &h->sum) || !cursor_has(c, 4))
		return decode_ip_short(ctx, LAYER_ICMP, cut, short_hdr);
	/* The 4 bytes after the checksum, by type. */
	struct cursor r = cursor_sub(c, 4);
	cursor_skip(c, 4);
	switch (h->type) {
	case 0: case 8:   /* echo reply / request */
	case 13: case 14: /* timestamp request / reply */
	case 15: case 16: /* information request / reply */
	case 17: case 18: /* address mask request / reply (RFC 950) */
		cursor_be16(&r, &h->id);
		cursor_be16(&r, &h->seq);
		break;
	case 3: /* destination unreachable; code 4 carries the next-hop MTU in the low 16 bits (RFC 1191) */
		if (h->code == 4) {
			uint16_t unused, mtu;
			cursor_be16(&r, &unused);
			cursor_be16(&r, &mtu);
			h->mtu = mtu;
		}
		break;
	case 5: /* redirect: gateway address */
		cursor_bytes(&r, h->gateway, 4);
		break;
	case 12: { /* parameter problem: pointer in the first byte */
		uint8_t ptr;
		cursor_u8(&r, &ptr);
		h->pointer = ptr;
		break;
	}
	default:
		break;
	}
	ip->have |= HAVE_ICMP_REST;
	ip->payload_wire = wire > 8 ? wire - 8 : 0;
	ip->payload_cap = (uint32_t)cursor_left(c);
	ip->payload = c->p;
	ip->have |= HAVE_PAYLOAD;

	/* An error quotes the offending IP header + 8 bytes: decode it once, never deeper. The quoted
	 * packet is usually cut short by design, so its status stays in pkt->inner. */
	if (icmp_is_error(h->type) && !ctx->quoted && cursor_has(c, 1)) {
		struct packet *pkt = ctx->pkt;
		decode_ip_reset(&pkt->inner);
		pkt->has_inner = true;
		struct decode_ctx inner = { pkt, &pkt->inner, true };
		struct cursor q = *c;
		decode_ipv4(&inner, &q);
	}
	return DEC_OK;
}
