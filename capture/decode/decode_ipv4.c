/* decode_ipv4.c — IPv4 header (RFC 791): options (kept in place, walked on demand), fragments, TSO zero total length. */
#include "decode/decode_priv.h"

#define IPV4_DF 0x4000     /* RFC 791 §3.1 flags: don't fragment */
#define IPV4_MF 0x2000     /* more fragments */
#define IPV4_OFFMASK 0x1fff /* fragment offset in 8-byte units */

enum dec_status decode_ipv4(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	if (!ctx->quoted)
		ctx->pkt->has_ip = true;
	ip->version = 4;
	uint32_t avail = decode_wire_left(ctx, c);
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
	/* Options (RFC 791 §3.1) stay where they are: a view that shows them walks them with ipv4_opt_next(), so
	   the common packet without options costs nothing and one with options is not copied. */
	const uint8_t *opts = c->p;
	if (!cursor_skip(c, hlen - 20))
		return decode_ip_short(ctx, LAYER_IPV4, cut, "header beyond the end of the frame");
	if (hlen > 20)
		ip->ip_opts = opts;
	if (ip->frag_off > 0)
		return DEC_OK; /* a later fragment: no transport header here */
	struct cursor l4 = cursor_sub(c, decode_l4_wire(ctx, c));
	return decode_ipproto(ctx, &l4, proto);
}

/* Slots of a route or timestamp option: they start at byte `first` of the option (0-based), and the
   pointer byte names the first unused one 1-based, so it is first + 1 on an empty option. */
static void ipv4_opt_slots(struct ipv4_opt *o, unsigned first, unsigned size)
{
	o->slot_size = (uint8_t)size;
	o->slots = o->data + (first - 2);
	o->nslot = (uint8_t)((o->len - first) / size);
	unsigned base = first + 1;
	if (o->ptr < base) {
		o->ptr_bad = true;
		return;
	}
	unsigned used = (o->ptr - base) / size;
	o->nused = (uint8_t)(used < o->nslot ? used : o->nslot);
	o->ptr_bad = (o->ptr - base) % size != 0 || o->ptr > o->len + 1u;
}

bool ipv4_opt_next(struct cursor *c, struct ipv4_opt *o)
{
	memset(o, 0, sizeof *o);
	if (!cursor_u8(c, &o->type))
		return false;
	if (o->type == IPOPT_EOL || o->type == IPOPT_NOP) {
		o->len = 1;
		if (o->type == IPOPT_EOL)
			c->p = c->end; /* end of the option list: the rest is padding */
		return true;
	}
	if (!cursor_u8(c, &o->len)) {
		o->bad = "length byte missing";
		return true;
	}
	if (o->len < 2 || !cursor_has(c, o->len - 2u)) {
		o->bad = o->len < 2 ? "length below 2" : "length beyond the options";
		c->p = c->end;
		return true;
	}
	o->data = c->p;
	c->p += o->len - 2u;
	switch (o->type) {
	case IPOPT_RR:
	case IPOPT_LSRR:
	case IPOPT_SSRR: /* RFC 791: type, length, pointer, then 4-byte addresses; pointer 4 = empty */
		if (o->len < 3) {
			o->bad = "length below 3";
			break;
		}
		o->ptr = o->data[0];
		ipv4_opt_slots(o, 3, 4);
		break;
	case IPOPT_TS: /* RFC 791: type, length, pointer, overflow:4 flag:4, then entries; pointer 5 = empty */
		if (o->len < 4) {
			o->bad = "length below 4";
			break;
		}
		o->ptr = o->data[0];
		o->ts_overflow = o->data[1] >> 4;
		o->ts_flag = o->data[1] & 0x0f;
		if (o->ts_flag != IPOPT_TS_ONLY && o->ts_flag != IPOPT_TS_ADDR && o->ts_flag != IPOPT_TS_PRESPEC)
			o->bad = "unknown timestamp flag";
		/* Flags 1 and 3 carry an address with each timestamp; others are read as timestamps only. */
		ipv4_opt_slots(o, 4, o->ts_flag == IPOPT_TS_ADDR || o->ts_flag == IPOPT_TS_PRESPEC ? 8 : 4);
		break;
	case IPOPT_RA: /* RFC 2113: length 4, a 16-bit value */
		if (o->len != 4)
			o->bad = "length not 4";
		else
			o->ra_value = bytes_be16(o->data);
		break;
	default:
		break;
	}
	return true;
}
