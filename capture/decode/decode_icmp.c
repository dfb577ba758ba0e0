/* decode_icmp.c — ICMP for IPv4 (RFC 792, RFC 1191 next-hop MTU) with the quoted packet of errors. */
#include "decode/decode_priv.h"

enum dec_status decode_icmp(struct decode_ctx *ctx, struct cursor *c)
{
	struct icmp_hdr *h = &ctx->ip->u.icmp;
	struct cursor r;
	uint32_t wire;
	enum dec_status st = decode_icmp_head(ctx, c, L4_ICMP, &r, &wire, NULL);
	if (st != DEC_OK)
		return st;
	/* The 4 bytes after the checksum, by type. */
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
			uint16_t unused = 0, mtu = 0; /* r holds 4 bytes: both reads succeed */
			cursor_be16(&r, &unused);
			cursor_be16(&r, &mtu);
			h->mtu = mtu;
		}
		break;
	case 5: /* redirect: gateway address */
		cursor_bytes(&r, h->gateway, 4);
		break;
	case 12: { /* parameter problem: pointer in the first byte */
		uint8_t ptr = 0;
		cursor_u8(&r, &ptr);
		h->pointer = ptr;
		break;
	}
	default:
		break;
	}
	/* An error quotes the offending IP header + 8 bytes (RFC 792). */
	decode_icmp_body(ctx, c, wire, icmp_is_error(h->type), decode_ipv4);
	return DEC_OK;
}
