/* community_id.c — the Community ID v1: seed, addresses, protocol, a zero byte and ports, smaller endpoint first, SHA-1, base64. */
#include <string.h>

#include "track/base64.h"
#include "track/community_id.h"
#include "track/flow.h"
#include "track/sha1.h"

/* (a, ap) < (b, bp): the addresses compared as bytes, then the ports as numbers. */
static bool tuple_lt(const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp, size_t alen)
{
	int c = memcmp(a, b, alen);
	return c < 0 || (c == 0 && ap < bp);
}

void community_id_v1(const struct community_tuple *t, char *out)
{
	const size_t alen = t->af == 6 ? 16 : 4;
	const uint8_t *sa = t->saddr, *da = t->daddr;
	uint16_t sp = t->sport, dp = t->dport;
	if (!t->one_way && !tuple_lt(sa, sp, da, dp, alen)) {
		sa = t->daddr;
		da = t->saddr;
		sp = t->dport;
		dp = t->sport;
	}
	uint8_t in[2 + 16 + 16 + 2 + 4], *p = in; /* 32-bit aligned: 16 bytes over IPv4, 40 over IPv6 */
	*p++ = (uint8_t)(t->seed >> 8);
	*p++ = (uint8_t)t->seed;
	memcpy(p, sa, alen);
	p += alen;
	memcpy(p, da, alen);
	p += alen;
	*p++ = t->proto;
	*p++ = 0;
	if (t->has_ports) {
		*p++ = (uint8_t)(sp >> 8);
		*p++ = (uint8_t)sp;
		*p++ = (uint8_t)(dp >> 8);
		*p++ = (uint8_t)dp;
	}
	uint8_t digest[SHA1_LEN];
	sha1(in, (size_t)(p - in), digest);
	out[0] = '1';
	out[1] = ':';
	base64_encode(digest, sizeof digest, out + 2);
}

bool community_id_icmp_ports(bool v6, uint8_t type, uint8_t code, uint16_t *sport, uint16_t *dport)
{
	/* Zeek's ICMP4_counterpart / ICMP6_counterpart: request and reply types answer each other. */
	static const uint8_t v4[][2] = {
		{ 8, 0 }, { 0, 8 },     /* echo */
		{ 13, 14 }, { 14, 13 }, /* timestamp */
		{ 15, 16 }, { 16, 15 }, /* information */
		{ 10, 9 },              /* router solicitation (an advertisement is one-way) */
		{ 17, 18 }, { 18, 17 }, /* address mask */
	};
	static const uint8_t v6t[][2] = {
		{ 128, 129 }, { 129, 128 }, /* echo */
		{ 133, 134 }, { 134, 133 }, /* router solicitation, advertisement */
		{ 135, 136 }, { 136, 135 }, /* neighbor solicitation, advertisement */
		{ 130, 131 }, { 131, 130 }, /* multicast listener query, report */
		{ 139, 140 }, { 140, 139 }, /* node information query, reply */
		{ 144, 145 }, { 145, 144 }, /* home agent address discovery request, reply */
	};
	const uint8_t(*m)[2] = v6 ? v6t : v4;
	size_t n = v6 ? sizeof v6t / sizeof v6t[0] : sizeof v4 / sizeof v4[0];
	*sport = type;
	for (size_t i = 0; i < n; i++) {
		if (m[i][0] == type) {
			*dport = m[i][1];
			return false;
		}
	}
	*dport = code;
	return true;
}

void flow_community_id(const struct flow *f, char *out)
{
	struct community_tuple t = {
		.af = f->client.af,
		.saddr = f->client.addr,
		.daddr = f->server.addr,
		.proto = f->proto,
		.has_ports = true,
		.sport = f->client.port,
		.dport = f->server.port,
	};
	if (f->proto == 1 || f->proto == 58) /* the client sent the echo requests (code 0) */
		t.one_way = community_id_icmp_ports(f->proto == 58, f->proto == 58 ? 128 : 8, 0, &t.sport, &t.dport);
	community_id_v1(&t, out);
}
