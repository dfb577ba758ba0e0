/* decode_udp.c — UDP header (RFC 768); payload length from the UDP length field, or the IP length when the capture cut the header; DNS on port 53 handed on. */
#include "decode/decode_priv.h"

/*
 * The UDP header ended early: truncation when the capture cut it (the payload length then comes from the
 * IP length, as on the wire; a first fragment's IP length covers only part of the datagram, so it says
 * nothing there), else the IP length was too short for it (invalid).
 */
static enum dec_status udp_header_cut(struct decode_ctx *ctx, uint32_t wire, bool cut)
{
	struct ip_layer *ip = ctx->ip;
	if (cut && wire >= 8 && !ip->is_frag) {
		ip->payload_wire = wire - 8;
		ip->payload_cap = 0;
		ip->payload = NULL;
		ip->have |= HAVE_PAYLOAD;
	}
	return decode_ip_short(ctx, LAYER_UDP, cut, "IP payload shorter than UDP header");
}

enum dec_status decode_udp(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	struct udp_hdr *u = &ip->u.udp;
	ip->l4 = L4_UDP;
	uint32_t wire = decode_l4_wire(ctx, c);
	bool cut = cursor_left(c) < wire;

	if (!cursor_be16(c, &u->sport) || !cursor_be16(c, &u->dport))
		return udp_header_cut(ctx, wire, cut);
	ip->have |= HAVE_PORTS;
	if (!cursor_be16(c, &u->len) || !cursor_be16(c, &u->sum))
		return udp_header_cut(ctx, wire, cut);
	ip->have |= HAVE_UDPLEN;
	uint32_t ulen = u->len;
	if (ulen == 0 && ip->version == 6)
		ulen = wire; /* RFC 2675 §4: a jumbogram's UDP length is 0; the IP length counts */
	else if (ulen < 8)
		return decode_ip_invalid(ctx, LAYER_UDP, "length < 8");
	/* A first fragment carries only part of the datagram; a quoted packet's lengths are the original's. */
	if (ulen > wire && !ip->is_frag && !ctx->quoted)
		return decode_ip_invalid(ctx, LAYER_UDP, "length > IP payload length");
	ip->payload_wire = ulen - 8;
	ip->payload_cap = (uint32_t)cursor_left(c);
	if (ip->payload_cap > ip->payload_wire)
		ip->payload_cap = ip->payload_wire; /* bytes after the datagram (padding) are not payload */
	ip->payload = c->p;
	ip->have |= HAVE_PAYLOAD;
	/* DNS on port 53 (a first fragment holds only part of the datagram; a quoted one is not decoded). */
	if ((u->sport == 53 || u->dport == 53) && !ctx->quoted && !ip->is_frag) {
		struct cursor m = cursor_sub(c, ip->payload_cap);
		return decode_dns(ctx, &m, ip->payload_wire, false);
	}
	return DEC_OK;
}
