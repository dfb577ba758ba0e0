/* decode_null.c — BSD loopback DLT_NULL (family in the capturing host's order) and OpenBSD DLT_LOOP. */
#include "decode/decode_priv.h"

/* Address-family values that mean IPv4 / IPv6 in a NULL or LOOP header (as tcpdump and Wireshark). */
#define NULL_AF_INET 2
static bool null_is_inet6(uint32_t family)
{
	return family == 10    /* Linux */
	    || family == 24    /* NetBSD, OpenBSD, BSD/OS */
	    || family == 28    /* FreeBSD, DragonFly BSD */
	    || family == 30;   /* Darwin */
}

static uint32_t null_bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

static enum dec_status null_dispatch(struct decode_ctx *ctx, struct cursor *c, uint32_t family)
{
	ctx->pkt->link.null_family = family;
	if (family == NULL_AF_INET)
		return decode_ethertype(ctx, c, 0x0800);
	if (null_is_inet6(family))
		return decode_ethertype(ctx, c, 0x86dd);
	return DEC_OK; /* another family: not IP */
}

/* DLT_NULL: a 4-byte family in the byte order of the host that captured. Every family value is far below
 * 65536, so a value that reads as 65536 or more little-endian was written big-endian. */
enum dec_status decode_null(struct decode_ctx *ctx, struct cursor *c)
{
	uint32_t family;
	if (!cursor_le32(c, &family))
		return decode_link_truncated(ctx, LAYER_NULL);
	if (family >= 65536)
		family = null_bswap32(family);
	return null_dispatch(ctx, c, family);
}

/* DLT_LOOP: the same family word, always in network byte order. */
enum dec_status decode_loop(struct decode_ctx *ctx, struct cursor *c)
{
	uint32_t family;
	if (!cursor_be32(c, &family))
		return decode_link_truncated(ctx, LAYER_NULL);
	return null_dispatch(ctx, c, family);
}
