/* decode_eth.c — Ethernet II / IEEE 802.3 (DLT_EN10MB) with stacked 802.1Q and 802.1ad tags. */
#include "decode/decode_priv.h"

/* TPIDs of VLAN tags: 802.1Q, 802.1ad (S-tag), and the pre-standard QinQ value. */
static bool eth_is_vlan_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/* IEEE 802.3 clause 3.2.6: values up to 1500 are a length (LLC follows), 0x0600 and up an ethertype. */
#define ETH_MAX_LENGTH_FIELD 1500

enum dec_status decode_eth(struct decode_ctx *ctx, struct cursor *c)
{
	struct link_info *l = &ctx->pkt->link;
	uint16_t type;
	if (!cursor_bytes(c, l->dst_mac, 6) || !cursor_bytes(c, l->src_mac, 6) || !cursor_be16(c, &type))
		return decode_link_truncated(ctx, LAYER_ETH);
	/* IEEE 802.1Q-2018 §9.6: TCI = PCP(3) DEI(1) VID(12), then the next TPID/ethertype. Each tag
	 * consumes 4 captured bytes, so the loop ends with the capture; tags past PKT_MAX_VLAN are skipped. */
	while (eth_is_vlan_tpid(type)) {
		uint16_t tci, next;
		if (!cursor_be16(c, &tci) || !cursor_be16(c, &next))
			return decode_link_truncated(ctx, LAYER_VLAN);
		if (l->nvlan < PKT_MAX_VLAN) {
			struct vlan_tag *t = &l->vlan[l->nvlan++];
			t->tpid = type;
			t->vid = tci & 0x0fff;
			t->pcp = (uint8_t)(tci >> 13);
		}
		type = next;
	}
	if (type <= ETH_MAX_LENGTH_FIELD)
		return DEC_OK; /* 802.3 length + LLC: not IP, ethertype stays 0 */
	return decode_ethertype(ctx, c, type);
}
