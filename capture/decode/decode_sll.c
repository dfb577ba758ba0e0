/* decode_sll.c — Linux cooked capture: LINUX_SLL (16-byte header) and LINUX_SLL2 (20-byte header). */
#include "decode/decode_priv.h"

/* The link-layer address: kept as src_mac when it is an Ethernet address (6 bytes); 8 bytes on the wire. */
static void sll_addr(struct link_info *l, const uint8_t addr[8], uint8_t halen)
{
	if (halen == 6)
		for (int i = 0; i < 6; i++)
			l->src_mac[i] = addr[i];
}

/* https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: packet type(2) ARPHRD(2) address length(2)
 * address(8) protocol(2). */
enum dec_status decode_sll(struct decode_ctx *ctx, struct cursor *c)
{
	struct link_info *l = &ctx->pkt->link;
	uint16_t pkttype, hatype, halen, proto;
	uint8_t addr[8];
	if (!cursor_be16(c, &pkttype) || !cursor_be16(c, &hatype) || !cursor_be16(c, &halen) ||
	    !cursor_bytes(c, addr, sizeof addr) || !cursor_be16(c, &proto))
		return decode_link_truncated(ctx, LAYER_SLL);
	l->sll_pkttype = pkttype;
	sll_addr(l, addr, (uint8_t)(halen > 8 ? 8 : halen));
	return decode_ethertype(ctx, c, proto);
}

/* https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html: protocol(2) reserved(2) ifindex(4)
 * ARPHRD(2) packet type(1) address length(1) address(8). */
enum dec_status decode_sll2(struct decode_ctx *ctx, struct cursor *c)
{
	struct link_info *l = &ctx->pkt->link;
	uint16_t proto, reserved, hatype;
	uint32_t ifindex;
	uint8_t pkttype, halen;
	uint8_t addr[8];
	if (!cursor_be16(c, &proto) || !cursor_be16(c, &reserved) || !cursor_be32(c, &ifindex) ||
	    !cursor_be16(c, &hatype) || !cursor_u8(c, &pkttype) || !cursor_u8(c, &halen) ||
	    !cursor_bytes(c, addr, sizeof addr))
		return decode_link_truncated(ctx, LAYER_SLL2);
	l->sll_pkttype = pkttype;
	l->sll_ifindex = ifindex;
	sll_addr(l, addr, halen);
	return decode_ethertype(ctx, c, proto);
}
