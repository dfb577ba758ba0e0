/* decode_arp.c — ARP and RARP (RFC 826, RFC 903): the fixed header, then the sender's and target's addresses. */
#include "decode/decode_priv.h"

enum dec_status decode_arp(struct decode_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;
	struct arp_pkt *a = &pkt->app.u.arp;
	uint8_t h[8];
	/* The frame on the wire is never shorter than what was captured; a frame cut short by the capture
	   is truncated, a whole one too short for the packet invalid. */
	bool cut = pkt->caplen < pkt->len;
	if (!cursor_bytes(c, h, sizeof h))
		return cut ? decode_link_truncated(ctx, LAYER_ARP) : decode_link_invalid(ctx, LAYER_ARP, "shorter than its header");
	pkt->app.kind = APP_ARP;
	a->htype = bytes_be16(h);
	a->ptype = bytes_be16(h + 2);
	a->hlen = h[4];
	a->plen = h[5];
	a->op = bytes_be16(h + 6);
	a->addrs = NULL;
	size_t need = 2u * ((size_t)a->hlen + a->plen);
	if (!cursor_has(c, need))
		return cut ? decode_link_truncated(ctx, LAYER_ARP)
			   : decode_link_invalid(ctx, LAYER_ARP, "shorter than its addresses");
	a->addrs = c->p;
	cursor_skip(c, need);
	return DEC_OK;
}
