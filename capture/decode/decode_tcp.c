/* decode_tcp.c — TCP header (RFC 9293 §3.1) and options (RFC 9293 §3.2, RFC 7323, RFC 2018); hands DNS and HTTP payloads on. */
#include "decode/decode_priv.h"

enum {
	TCPOPT_EOL = 0,     /* end of option list */
	TCPOPT_NOP = 1,     /* no-operation */
	TCPOPT_MSS = 2,     /* maximum segment size, length 4 */
	TCPOPT_WSCALE = 3,  /* RFC 7323 §2: window scale, length 3 */
	TCPOPT_SACK_OK = 4, /* RFC 2018 §2: SACK permitted, length 2 */
	TCPOPT_SACK = 5,    /* RFC 2018 §3: SACK, length 2 + 8n */
	TCPOPT_TS = 8,      /* RFC 7323 §3: timestamps, length 10 */
};

/*
 * The options area of nearly every segment after the handshake (RFC 7323 Appendix A's layout): NOP, NOP,
 * timestamps, read in three words. false when the whole area o is anything else (nothing is changed).
 */
static inline bool tcp_options_nop_nop_ts(struct tcp_hdr *t, struct cursor *o)
{
	struct cursor fast = *o;
	uint32_t head;
	if (cursor_left(o) == 12 && cursor_be32(&fast, &head) && head == 0x0101080au &&
	    cursor_be32(&fast, &t->tsval) && cursor_be32(&fast, &t->tsecr)) {
		t->opt[0] = (struct tcp_opt){ TCPOPT_NOP, 1 };
		t->opt[1] = (struct tcp_opt){ TCPOPT_NOP, 1 };
		t->opt[2] = (struct tcp_opt){ TCPOPT_TS, 10 };
		t->nopt = 3;
		t->opt_have |= TCPOPT_HAVE_TS;
		*o = fast;
		return true;
	}
	return false;
}

/*
 * Walk the options area option by option, in wire order: o holds its captured bytes, and `missing` more
 * bytes of it were not captured (0 unless the capture ended inside the header). DEC_TRUNCATED when the
 * capture ended before the area (or an EOL) did: opt[] then lists the options captured whole, not the
 * one the cut went through.
 */
static enum dec_status tcp_options(struct decode_ctx *ctx, struct tcp_hdr *t, struct cursor *o, size_t missing)
{
	uint8_t kind, len;
	while (cursor_u8(o, &kind)) {
		if (kind == TCPOPT_EOL || kind == TCPOPT_NOP) {
			if (t->nopt < PKT_MAX_TCPOPT)
				t->opt[t->nopt++] = (struct tcp_opt){ kind, 1 };
			if (kind == TCPOPT_EOL)
				return DEC_OK; /* the rest of the area is padding, captured or not */
			continue;
		}
		if (!cursor_u8(o, &len))
			return missing ? DEC_TRUNCATED : decode_ip_invalid(ctx, LAYER_TCP, "option length missing");
		if (len < 2 || len - 2u > cursor_left(o) + missing)
			return decode_ip_invalid(ctx, LAYER_TCP, "option length");
		if (len - 2u > cursor_left(o))
			return DEC_TRUNCATED; /* the option is in the area, the capture ended inside it */
		if (t->nopt < PKT_MAX_TCPOPT)
			t->opt[t->nopt++] = (struct tcp_opt){ kind, len };
		struct cursor v = cursor_sub(o, len - 2u);
		cursor_skip(o, len - 2u);
		switch (kind) {
		case TCPOPT_MSS:
			if (len != 4)
				return decode_ip_invalid(ctx, LAYER_TCP, "MSS option length");
			cursor_be16(&v, &t->mss);
			t->opt_have |= TCPOPT_HAVE_MSS;
			break;
		case TCPOPT_WSCALE:
			if (len != 3)
				return decode_ip_invalid(ctx, LAYER_TCP, "window scale option length");
			cursor_u8(&v, &t->wscale);
			t->opt_have |= TCPOPT_HAVE_WSCALE;
			break;
		case TCPOPT_SACK_OK:
			if (len != 2)
				return decode_ip_invalid(ctx, LAYER_TCP, "SACK-permitted option length");
			t->opt_have |= TCPOPT_HAVE_SACK_OK;
			break;
		case TCPOPT_SACK:
			if (len < 10 || (len - 2u) % 8 != 0)
				return decode_ip_invalid(ctx, LAYER_TCP, "SACK option length");
			/* At most (40 - 2) / 8 = 4 blocks fit in the options area. */
			t->nsack = 0;
			while (t->nsack < PKT_MAX_SACK && cursor_be32(&v, &t->sack[t->nsack].left) &&
			       cursor_be32(&v, &t->sack[t->nsack].right))
				t->nsack++;
			t->opt_have |= TCPOPT_HAVE_SACK;
			break;
		case TCPOPT_TS:
			if (len != 10)
				return decode_ip_invalid(ctx, LAYER_TCP, "timestamp option length");
			cursor_be32(&v, &t->tsval);
			cursor_be32(&v, &t->tsecr);
			t->opt_have |= TCPOPT_HAVE_TS;
			break;
		default:
			break; /* recorded by kind and length only */
		}
	}
	return missing ? DEC_TRUNCATED : DEC_OK;
}

/* Byte 12 (data offset(4) reserved(3) NS/AE(1)) and byte 13 (CWR ECE URG ACK PSH RST SYN FIN). false:
   a data offset below 5 words (invalid). */
static bool tcp_offset_flags(struct ip_layer *ip, uint8_t off, uint8_t fl)
{
	struct tcp_hdr *t = &ip->u.tcp;
	t->hdr_len = (uint8_t)((off >> 4) * 4);
	t->flags = (uint16_t)((off & 1u) << 8 | fl);
	ip->have |= HAVE_FLAGS;
	return t->hdr_len >= 20;
}

/*
 * A segment whose header the capture cut after its data offset: its payload length still comes from the
 * IP length (tshark's tcp.len, tcpdump's "seq 1:501"), though none of the payload was captured.
 */
static void tcp_payload_uncaptured(struct ip_layer *ip, uint32_t wire)
{
	ip->payload_wire = wire - ip->u.tcp.hdr_len;
	ip->payload_cap = 0;
	ip->payload = NULL;
	ip->have |= HAVE_PAYLOAD;
}

/*
 * A TCP header cut before its 20 fixed bytes: read field by field, so the ones captured are shown. Without
 * the data offset the payload length is unknown (tshark then gives no tcp.len either), and nothing is
 * guessed for it.
 */
static enum dec_status tcp_header_cut(struct decode_ctx *ctx, struct cursor *c, uint32_t wire, bool cut)
{
	static const char short_hdr[] = "IP payload shorter than TCP header";
	struct ip_layer *ip = ctx->ip;
	struct tcp_hdr *t = &ip->u.tcp;
	if (!cursor_be16(c, &t->sport) || !cursor_be16(c, &t->dport))
		return decode_ip_short(ctx, LAYER_TCP, cut, short_hdr);
	ip->have |= HAVE_PORTS;
	if (!cursor_be32(c, &t->seq))
		return decode_ip_short(ctx, LAYER_TCP, cut, short_hdr);
	ip->have |= HAVE_SEQ;
	if (!cursor_be32(c, &t->ack))
		return decode_ip_short(ctx, LAYER_TCP, cut, short_hdr);
	ip->have |= HAVE_ACK;
	uint8_t off, fl;
	if (!cursor_u8(c, &off))
		return decode_ip_short(ctx, LAYER_TCP, cut, short_hdr);
	bool have_fl = cursor_u8(c, &fl);
	if (!tcp_offset_flags(ip, off, have_fl ? fl : 0))
		return decode_ip_invalid(ctx, LAYER_TCP, "data offset < 5");
	if (!have_fl)
		ip->have &= ~(uint32_t)HAVE_FLAGS; /* the data offset alone: hdr_len, not the flags */
	if (cut && wire >= t->hdr_len)
		tcp_payload_uncaptured(ip, wire);
	if (have_fl && cursor_be16(c, &t->win))
		ip->have |= HAVE_WIN;
	return decode_ip_short(ctx, LAYER_TCP, cut, short_hdr); /* the checksum or urgent pointer at least is cut */
}

/*
 * The application's first line or message at the start of a segment's payload (c): DNS on port 53, HTTP by
 * its first bytes. Kept out of line (and reached by a tail call) so that decode_tcp(), which every TCP
 * packet goes through, does not pay for it in registers saved and restored.
 */
__attribute__((noinline)) static enum dec_status tcp_payload_app(struct decode_ctx *ctx, struct cursor *c)
{
	const struct ip_layer *ip = ctx->ip;
	const struct tcp_hdr *t = &ip->u.tcp;
	if (ip->is_frag) /* a first fragment holds only part of the segment */
		return DEC_OK;
	if (t->sport == 53 || t->dport == 53)
		return decode_dns(ctx, c, ip->payload_wire, true);
	if (decode_http_starts(c))
		return decode_http(ctx, c, ip->payload_wire);
	return DEC_OK;
}

enum dec_status decode_tcp(struct decode_ctx *ctx, struct cursor *c)
{
	struct ip_layer *ip = ctx->ip;
	struct tcp_hdr *t = &ip->u.tcp;
	ip->l4 = L4_TCP;
	t->opt_have = 0;
	t->nsack = 0;
	t->nopt = 0;
	t->mss = 0;
	t->wscale = 0;
	t->tsval = 0;
	t->tsecr = 0;
	uint32_t wire = decode_l4_wire(ctx, c);
	bool cut = cursor_left(c) < wire;

	/* The fixed header in one read: ports, seq, ack, offset and flags, window, checksum, urgent pointer. */
	uint8_t h[20];
	if (!cursor_bytes(c, h, sizeof h))
		return tcp_header_cut(ctx, c, wire, cut);
	t->sport = bytes_be16(h);
	t->dport = bytes_be16(h + 2);
	t->seq = bytes_be32(h + 4);
	t->ack = bytes_be32(h + 8);
	ip->have |= HAVE_PORTS | HAVE_SEQ | HAVE_ACK;
	if (!tcp_offset_flags(ip, h[12], h[13]))
		return decode_ip_invalid(ctx, LAYER_TCP, "data offset < 5");
	t->win = bytes_be16(h + 14);
	t->sum = bytes_be16(h + 16);
	t->urp = bytes_be16(h + 18);
	ip->have |= HAVE_WIN | HAVE_URP;
	size_t optlen = t->hdr_len - 20u;
	/* Bytes of the options area past the cursor: none, unless the capture ended inside the header (the
	   options captured whole are then walked, and the payload length still comes from the IP length)
	   or the data offset points beyond the IP payload. */
	size_t missing = 0;
	if (!cursor_has(c, optlen)) {
		if (!cut || wire < t->hdr_len)
			return decode_ip_short(ctx, LAYER_TCP, cut, "data offset beyond IP payload");
		missing = optlen - cursor_left(c);
	}
	struct cursor o = cursor_sub(c, optlen);
	cursor_skip(c, optlen - missing);
	if (missing || !tcp_options_nop_nop_ts(t, &o)) {
		enum dec_status st = tcp_options(ctx, t, &o, missing);
		if (st == DEC_INVALID)
			return st;
		if (st == DEC_TRUNCATED)
			t->opt_have |= TCPOPT_CUT;
	}
	ip->have |= HAVE_TCPOPTS;
	if (missing) {
		tcp_payload_uncaptured(ip, wire);
		return decode_ip_truncated(ctx, LAYER_TCP);
	}
	/* The cursor was narrowed to min(captured, wire), and hdr_len bytes were read from it. */
	ip->payload_wire = wire > t->hdr_len ? wire - t->hdr_len : 0;
	ip->payload_cap = (uint32_t)cursor_left(c);
	ip->payload = c->p;
	ip->have |= HAVE_PAYLOAD;
	if (ip->payload_cap && !ctx->quoted)
		return tcp_payload_app(ctx, c);
	return DEC_OK;
}
