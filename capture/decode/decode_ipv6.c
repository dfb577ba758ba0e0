/* decode_ipv6.c — IPv6 header and extension-header chain (RFC 8200, AH from RFC 4302). */
#include "decode/decode_priv.h"

/* Extension headers followed to reach the upper-layer protocol. */
enum {
	IP6_HOPOPTS = 0,  /* RFC 8200 §4.3 */
	IP6_ROUTING = 43, /* §4.4 */
	IP6_FRAGMENT = 44, /* §4.5 */
	IP6_AH = 51,      /* RFC 4302 §2: length in 4-byte units minus 2 */
	IP6_DSTOPTS = 60, /* §4.6 */
};

static bool ipv6_is_ext(uint8_t proto)
{
	return proto == IP6_HOPOPTS || proto == IP6_ROUTING || proto == IP6_FRAGMENT || proto == IP6_AH ||
	       proto == IP6_DSTOPTS;
}

enum dec_status decode_ipv6(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	if (!ctx->quoted)
		ctx->pkt->has_ip = true;
	ip->version = 6;
	uint32_t avail = decode_wire_left(ctx, c);
	/* A short read is truncation when the capture ended before the frame did; a quoted packet is cut
	 * by design (RFC 792 quotes the IP header + 8 bytes), so it is always truncation there. */
	bool cut = ctx->quoted || cursor_left(c) < avail;

	if (cursor_has(c, 1) && c->p[0] >> 4 != 6)
		return decode_ip_invalid(ctx, LAYER_IPV6, "version not 6");
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh, hlim;
	if (!cursor_be32(c, &vtf) || !cursor_be16(c, &plen) || !cursor_u8(c, &nh) || !cursor_u8(c, &hlim) ||
	    !cursor_bytes(c, ip->src, 16) || !cursor_bytes(c, ip->dst, 16))
		return decode_ip_short(ctx, LAYER_IPV6, cut, "header beyond the end of the frame");
	ip->tos = (uint8_t)(vtf >> 20);
	ip->flowlabel = vtf & 0xfffffu;
	ip->next_hdr = nh;
	ip->ttl = hlim;
	ip->hdr_len = 40;
	/* Payload length 0: a jumbogram (RFC 2675) or segmentation offload; use what follows on the wire. */
	ip->total_len = 40u + (plen ? plen : (avail > 40 ? avail - 40 : 0));
	ip->have |= HAVE_IP;

	uint32_t pwire = decode_l4_wire(ctx, c);
	struct cursor p = cursor_sub(c, pwire);
	cut = cursor_left(&p) < pwire;
	uint8_t proto = nh;
	while (ipv6_is_ext(proto)) {
		if (ip->n_ext >= PKT_MAX_IP6EXT)
			return decode_ip_invalid(ctx, LAYER_IPV6EXT, "more than 8 extension headers");
		ip->ext[ip->n_ext++] = proto;
		uint8_t next, len8;
		if (!cursor_u8(&p, &next) || !cursor_u8(&p, &len8))
			return decode_ip_short(ctx, LAYER_IPV6EXT, cut, "extension header beyond payload length");
		if (proto == IP6_FRAGMENT) {
			/* RFC 8200 §4.5: next(1) reserved(1) offset(13 bits) res(2) M(1) identification(4). */
			uint16_t offw;
			uint32_t id;
			if (!cursor_be16(&p, &offw) || !cursor_be32(&p, &id))
				return decode_ip_short(ctx, LAYER_IPV6EXT, cut,
						       "extension header beyond payload length");
			ip->frag_off = offw & 0xfff8;
			ip->more_frags = (offw & 1) != 0;
			ip->is_frag = ip->more_frags || ip->frag_off > 0;
			ip->ip_id = id;
			ip->hdr_len = (uint16_t)(ip->hdr_len + 8);
			proto = next;
			if (ip->frag_off > 0)
				break; /* a later fragment: what follows is not a header */
			continue;
		}
		uint32_t elen = proto == IP6_AH ? (len8 + 2u) * 4 : (len8 + 1u) * 8;
		if (!cursor_skip(&p, elen - 2))
			return decode_ip_short(ctx, LAYER_IPV6EXT, cut, "extension header beyond payload length");
		ip->hdr_len = (uint16_t)(ip->hdr_len + elen);
		proto = next;
	}
	ip->proto = proto;
	if (ip->frag_off > 0)
		return DEC_OK;
	return decode_ipproto(ctx, &p, proto);
}
