/* decode_raw.c — link types with no link header: RAW (version nibble decides), IPV4 and IPV6. */
#include "decode/decode_priv.h"

/* DLT_RAW / LINKTYPE_RAW: an IPv4 or IPv6 packet; the first nibble says which. A packet with no bytes
 * is reported as cut in the IP layer ("ip"). */
enum dec_status decode_raw(struct decode_ctx *ctx, struct cursor *c)
{
	if (!cursor_has(c, 1))
		return decode_link_truncated(ctx, LAYER_IPV4);
	switch (c->p[0] >> 4) {
	case 4:
		return decode_ethertype(ctx, c, 0x0800);
	case 6:
		return decode_ethertype(ctx, c, 0x86dd);
	default:
		return decode_link_invalid(ctx, LAYER_IPV4, "IP version not 4 or 6");
	}
}

/* LINKTYPE_IPV4: always IPv4 (a version other than 4 is invalid in decode_ipv4). */
enum dec_status decode_ipv4_link(struct decode_ctx *ctx, struct cursor *c)
{
	return decode_ethertype(ctx, c, 0x0800);
}

/* LINKTYPE_IPV6: always IPv6. */
enum dec_status decode_ipv6_link(struct decode_ctx *ctx, struct cursor *c)
{
	return decode_ethertype(ctx, c, 0x86dd);
}
