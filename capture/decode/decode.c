/* decode.c — decode_packet(): resets the packet, dispatches on link type, ethertype and IP protocol. */
#include <string.h>

#include <pcap/dlt.h>

#include "decode/decode_priv.h"

/*
 * Which fields of struct packet are valid after decode_packet():
 * - always: caplen, len, linktype, data, link_supported, link (zeroed, then filled as read), status,
 *   trunc_layer, bad_layer, bad_field, has_ip, has_inner, and ip's fields up to and including l4, plus
 *   ip.payload_wire/payload_cap/payload/status/trunc_layer/bad_layer/bad_field (zero/NULL when unset).
 * - ip.u.tcp / u.udp / u.icmp: only the member named by ip.l4, and in it only what ip.have says was read
 *   (HAVE_PORTS, HAVE_SEQ...). For L4_TCP, opt_have/nsack/nopt/mss/wscale/tsval/tsecr are always zeroed
 *   first, so they are defined even when HAVE_TCPOPTS is not set. For L4_ICMP/L4_ICMP6 the whole
 *   icmp_hdr is zeroed first.
 * - payload_wire/payload_cap/payload: meaningful when ip.have has HAVE_PAYLOAD.
 * - inner: only when has_inner (it is reset when an ICMP error starts decoding it).
 * - app: always app.kind; app.u only its member named by app.kind (set for the outer packet only).
 * pkt->n, ts_sec and ts_nsec are the caller's and are not touched.
 */

void decode_ip_reset(struct ip_layer *ip)
{
	memset(ip, 0, offsetof(struct ip_layer, u));
	ip->payload_wire = 0;
	ip->payload_cap = 0;
	ip->payload = NULL;
	ip->status = DEC_OK;
	ip->trunc_layer = LAYER_NONE;
	ip->bad_layer = LAYER_NONE;
	ip->bad_field = NULL;
}

enum dec_status decode_link_truncated(struct decode_ctx *ctx, enum layer_id layer)
{
	struct packet *pkt = ctx->pkt;
	if (pkt->status == DEC_OK) {
		pkt->status = DEC_TRUNCATED;
		pkt->trunc_layer = layer;
	}
	return DEC_TRUNCATED;
}

enum dec_status decode_link_invalid(struct decode_ctx *ctx, enum layer_id layer, const char *field)
{
	struct packet *pkt = ctx->pkt;
	if (pkt->status == DEC_OK) {
		pkt->status = DEC_INVALID;
		pkt->bad_layer = layer;
		pkt->bad_field = field;
	}
	return DEC_INVALID;
}

enum dec_status decode_ip_truncated(struct decode_ctx *ctx, enum layer_id layer)
{
	struct ip_layer *ip = ctx->ip;
	if (ip->status == DEC_OK) {
		ip->status = DEC_TRUNCATED;
		ip->trunc_layer = layer;
	}
	if (!ctx->quoted)
		decode_link_truncated(ctx, layer);
	return DEC_TRUNCATED;
}

enum dec_status decode_ip_invalid(struct decode_ctx *ctx, enum layer_id layer, const char *field)
{
	struct ip_layer *ip = ctx->ip;
	if (ip->status == DEC_OK) {
		ip->status = DEC_INVALID;
		ip->bad_layer = layer;
		ip->bad_field = field;
	}
	if (!ctx->quoted)
		decode_link_invalid(ctx, layer, field);
	return DEC_INVALID;
}

enum dec_status decode_icmp_head(struct decode_ctx *ctx, struct cursor *c, enum l4_kind kind, struct cursor *rest,
				 uint32_t *wire, bool *cut)
{
	const bool v6 = kind == L4_ICMP6;
	const enum layer_id layer = v6 ? LAYER_ICMP6 : LAYER_ICMP;
	const char *short_hdr = v6 ? "IP payload shorter than ICMPv6 header" : "IP payload shorter than ICMP header";
	struct ip_layer *ip = ctx->ip;
	struct icmp_hdr *h = &ip->u.icmp;
	ip->l4 = kind;
	memset(h, 0, sizeof *h);
	*wire = decode_l4_wire(ctx, c);
	bool short_capture = cursor_left(c) < *wire;
	if (cut)
		*cut = short_capture;
	if (!cursor_u8(c, &h->type) || !cursor_u8(c, &h->code))
		return decode_ip_short(ctx, layer, short_capture, short_hdr);
	ip->have |= HAVE_ICMP; /* type and code, shown even when the capture cut the checksum */
	if (!cursor_be16(c, &h->sum) || !cursor_has(c, 4))
		return decode_ip_short(ctx, layer, short_capture, short_hdr);
	*rest = cursor_sub(c, 4);
	cursor_skip(c, 4);
	ip->have |= HAVE_ICMP_REST;
	return DEC_OK;
}

void decode_icmp_body(struct decode_ctx *ctx, const struct cursor *c, uint32_t wire, bool is_error, decoder_fn quoted)
{
	struct ip_layer *ip = ctx->ip;
	ip->payload_wire = wire > 8 ? wire - 8 : 0;
	ip->payload_cap = (uint32_t)cursor_left(c);
	ip->payload = c->p;
	ip->have |= HAVE_PAYLOAD;
	/* The quoted packet is usually cut short by design, so its status stays in pkt->inner. */
	if (is_error && !ctx->quoted && cursor_has(c, 1)) {
		struct packet *pkt = ctx->pkt;
		decode_ip_reset(&pkt->inner);
		pkt->has_inner = true;
		struct decode_ctx inner = { pkt, &pkt->inner, true };
		struct cursor q = *c;
		quoted(&inner, &q);
	}
}

uint32_t decode_l4_wire(const struct decode_ctx *ctx, const struct cursor *c)
{
	const struct ip_layer *ip = ctx->ip;
	uint32_t plen = ip->total_len > ip->hdr_len ? ip->total_len - ip->hdr_len : 0;
	if (!ctx->quoted) {
		uint32_t left = decode_wire_left(ctx, c);
		if (left < plen)
			plen = left;
	}
	return plen;
}

/* Link-type dispatch table: DLT_* value as pcap_datalink() returns it → decoder. */
static const struct {
	int linktype;
	decoder_fn fn;
} link_table[] = {
	{ DLT_EN10MB, decode_eth },
	{ DLT_NULL, decode_null },
	{ 108, decode_loop },        /* DLT_LOOP (OpenBSD loopback, family in network order) */
	{ DLT_LINUX_SLL, decode_sll },
	{ DLT_LINUX_SLL2, decode_sll2 },
	{ 12, decode_raw },          /* DLT_RAW on most systems */
	{ 14, decode_raw },          /* DLT_RAW on OpenBSD */
	{ 101, decode_raw },         /* LINKTYPE_RAW, if a caller passes the file's value */
	{ DLT_IPV4, decode_ipv4_link },
	{ DLT_IPV6, decode_ipv6_link },
};

static decoder_fn link_decoder(int linktype)
{
	for (size_t i = 0; i < sizeof link_table / sizeof link_table[0]; i++)
		if (link_table[i].linktype == linktype)
			return link_table[i].fn;
	return NULL;
}

bool decode_linktype_supported(int linktype)
{
	return link_decoder(linktype) != NULL;
}

void decode_packet(struct packet *pkt, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = linktype;
	pkt->data = data;
	pkt->iface = NULL;
	pkt->comment = NULL;
	memset(&pkt->link, 0, sizeof pkt->link);
	pkt->status = DEC_OK;
	pkt->trunc_layer = LAYER_NONE;
	pkt->bad_layer = LAYER_NONE;
	pkt->bad_field = NULL;
	pkt->has_ip = false;
	pkt->has_inner = false;
	pkt->app.kind = APP_NONE;
	decode_ip_reset(&pkt->ip);

	decoder_fn fn = link_decoder(linktype);
	pkt->link_supported = fn != NULL;
	if (!fn)
		return;
	struct decode_ctx ctx = { pkt, &pkt->ip, false };
	struct cursor c = cursor_make(data, caplen);
	fn(&ctx, &c);
}

/* Ethertype dispatch table. */
static const struct {
	uint16_t ethertype;
	decoder_fn fn;
} ethertype_table[] = {
	{ 0x0800, decode_ipv4 },
	{ 0x86dd, decode_ipv6 },
	{ 0x0806, decode_arp },
	{ 0x8035, decode_arp }, /* RARP (RFC 903): ARP's format */
};

enum dec_status decode_ethertype(struct decode_ctx *ctx, struct cursor *c, uint16_t ethertype)
{
	ctx->pkt->link.ethertype = ethertype;
	for (size_t i = 0; i < sizeof ethertype_table / sizeof ethertype_table[0]; i++)
		if (ethertype_table[i].ethertype == ethertype)
			return ethertype_table[i].fn(ctx, c);
	return DEC_OK; /* not IP: has_ip stays false, the ethertype is recorded */
}

/* IP protocol dispatch table, indexed by protocol number. */
static const decoder_fn ipproto_table[256] = {
	[1] = decode_icmp,
	[6] = decode_tcp,
	[17] = decode_udp,
	[58] = decode_icmp6,
};

enum dec_status decode_ipproto(struct decode_ctx *ctx, struct cursor *c, uint8_t proto)
{
	ctx->ip->l4 = L4_NONE;
	decoder_fn fn = ipproto_table[proto];
	return fn ? fn(ctx, c) : DEC_OK;
}
