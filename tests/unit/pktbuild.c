/* pktbuild.c — test helpers: build packets byte by byte, decode copies, check every truncation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"
#include "tui/tui_core.h"
#include "view/obuf.h"
#include "view/view.h"

const uint8_t LO4[4] = { 127, 0, 0, 1 };
const uint8_t LO4B[4] = { 127, 0, 0, 2 };
const uint8_t LO6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

void pb_u8(struct pb *p, uint8_t v)
{
	if (p->n >= sizeof p->b) {
		fprintf(stderr, "pktbuild: test packet larger than %zu bytes\n", sizeof p->b);
		abort();
	}
	p->b[p->n++] = v;
}

void pb_be16(struct pb *p, uint16_t v)
{
	pb_u8(p, (uint8_t)(v >> 8));
	pb_u8(p, (uint8_t)v);
}

void pb_be32(struct pb *p, uint32_t v)
{
	pb_be16(p, (uint16_t)(v >> 16));
	pb_be16(p, (uint16_t)v);
}

void pb_le32(struct pb *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		pb_u8(p, (uint8_t)(v >> (8 * i)));
}

void pb_bytes(struct pb *p, const void *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pb_u8(p, ((const uint8_t *)v)[i]);
}

void pb_fill(struct pb *p, uint8_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pb_u8(p, v);
}

void pb_set16(struct pb *p, size_t off, uint16_t v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

void pb_eth(struct pb *p, uint16_t ethertype)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 }, src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	pb_bytes(p, dst, 6);
	pb_bytes(p, src, 6);
	pb_be16(p, ethertype);
}

void pb_vlan(struct pb *p, uint8_t pcp, uint16_t vid, uint16_t next)
{
	pb_be16(p, (uint16_t)(pcp << 13 | (vid & 0x0fff)));
	pb_be16(p, next);
}

size_t pb_ipv4(struct pb *p, uint8_t proto, const uint8_t src[4], const uint8_t dst[4], size_t optlen)
{
	size_t off = p->n;
	pb_u8(p, (uint8_t)(0x40 | (5 + optlen / 4)));
	pb_u8(p, 0x10);       /* TOS */
	pb_be16(p, 0);        /* total length, set by pb_ipv4_end */
	pb_be16(p, 0x1234);   /* id */
	pb_be16(p, 0x4000);   /* DF */
	pb_u8(p, 64);         /* TTL */
	pb_u8(p, proto);
	pb_be16(p, 0);        /* checksum (not verified) */
	pb_bytes(p, src, 4);
	pb_bytes(p, dst, 4);
	pb_fill(p, 1, optlen); /* NOP options */
	return off;
}

void pb_ipv4_end(struct pb *p, size_t ipoff)
{
	pb_set16(p, ipoff + 2, (uint16_t)(p->n - ipoff));
}

size_t pb_ipv6(struct pb *p, uint8_t next, const uint8_t src[16], const uint8_t dst[16])
{
	size_t off = p->n;
	pb_be32(p, 0x6a012345); /* version 6, traffic class 0xa0, flow label 0x12345 */
	pb_be16(p, 0);          /* payload length, set by pb_ipv6_end */
	pb_u8(p, next);
	pb_u8(p, 63);           /* hop limit */
	pb_bytes(p, src, 16);
	pb_bytes(p, dst, 16);
	return off;
}

void pb_ipv6_end(struct pb *p, size_t ipoff)
{
	pb_set16(p, ipoff + 4, (uint16_t)(p->n - ipoff - 40));
}

void pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint16_t flags,
	    uint16_t win, const uint8_t *opts, size_t optlen)
{
	pb_be16(p, sport);
	pb_be16(p, dport);
	pb_be32(p, seq);
	pb_be32(p, ack);
	pb_u8(p, (uint8_t)(((20 + optlen) / 4) << 4 | (flags >> 8 & 1)));
	pb_u8(p, (uint8_t)flags);
	pb_be16(p, win);
	pb_be16(p, 0xbeef); /* checksum */
	pb_be16(p, 0);      /* urgent pointer */
	pb_bytes(p, opts, optlen);
}

void pb_udp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t payload_len)
{
	pb_be16(p, sport);
	pb_be16(p, dport);
	pb_be16(p, (uint16_t)(8 + payload_len));
	pb_be16(p, 0);
}

uint8_t *decode_copy(struct packet *pkt, int linktype, const uint8_t *b, size_t caplen, size_t len)
{
	uint8_t *buf = malloc(caplen ? caplen : 1);
	if (!buf)
		abort();
	if (caplen)
		memcpy(buf, b, caplen);
	decode_packet(pkt, linktype, buf, (uint32_t)caplen, (uint32_t)len);
	return buf;
}

int check_prefixes(const char *name, int linktype, const uint8_t *b, size_t len, const struct cut *cuts,
		   size_t ncuts)
{
	static struct packet pkt;
	int bad = 0;
	for (size_t n = 0; n < len; n++) {
		size_t i = 0;
		while (i < ncuts && n >= cuts[i].end)
			i++;
		if (i == ncuts) {
			fprintf(stderr, "\n%s: prefix %zu not covered by the expected cuts\n", name, n);
			bad++;
			continue;
		}
		const struct cut *e = &cuts[i];
		uint8_t *buf = decode_copy(&pkt, linktype, b, n, len);
		bool ok;
		switch (e->kind) {
		case CUT_OUTER:
			ok = pkt.status == DEC_TRUNCATED && pkt.trunc_layer == e->layer;
			break;
		case CUT_OK:
			ok = pkt.status == DEC_OK && !pkt.has_inner;
			break;
		case CUT_INNER_OK:
			ok = pkt.status == DEC_OK && pkt.has_inner && pkt.inner.status == DEC_OK;
			break;
		default:
			ok = pkt.status == DEC_OK && pkt.has_inner && pkt.inner.status == DEC_TRUNCATED &&
			     pkt.inner.trunc_layer == e->layer;
			break;
		}
		if (!ok) {
			fprintf(stderr,
				"\n%s: prefix %zu of %zu: want %s %s; got status %d trunc '%s' bad '%s' (%s), "
				"inner %d status %d trunc '%s'\n",
				name, n, len, e->kind == CUT_OUTER ? "truncated" : e->kind == CUT_OK ? "ok" : e->kind == CUT_INNER ? "inner" : "inner ok",
				layer_name(e->layer), pkt.status, layer_name(pkt.trunc_layer),
				layer_name(pkt.bad_layer), pkt.bad_field ? pkt.bad_field : "", pkt.has_inner,
				pkt.inner.status, layer_name(pkt.inner.trunc_layer));
			bad++;
		}
		free(buf);
	}
	return bad;
}

void pb_view_lines(const struct packet *p, char *text, char *json, size_t size)
{
	for (int j = 0; j < 2; j++) {
		char *out = j ? json : text;
		out[0] = '\0';
		FILE *f = tmpfile();
		if (!f)
			return;
		struct obuf o;
		obuf_init(&o, fileno(f));
		if (j)
			view_json_packet(&o, p, NULL, false);
		else
			view_text_packet(&o, p, NULL, false);
		obuf_flush(&o);
		rewind(f);
		size_t n = fread(out, 1, size - 1, f);
		out[n] = '\0';
		fclose(f);
	}
	size_t n = strlen(text);
	memmove(text, text + (n < 16 ? n : 16), (n < 16 ? 0 : n - 16) + 1); /* "HH:MM:SS.ffffff " */
}

/* One line of the details text, appended to the buffer in arg. */
struct details_buf {
	char *all;
	size_t size;
};

static void details_line(const char *line, bool title, void *arg)
{
	(void)title;
	struct details_buf *d = arg;
	size_t n = strlen(d->all);
	if (n < d->size)
		snprintf(d->all + n, d->size - n, "%s\n", line);
}

void pb_details(const struct packet *p, char *all, size_t size)
{
	struct tui_pkt e;
	memset(&e, 0, sizeof e);
	summary_from(&e.s, p, NULL);
	e.stored = p->caplen;
	struct details_buf d = { all, size };
	all[0] = '\0';
	details_render(p, &e, 0, details_line, &d);
}
