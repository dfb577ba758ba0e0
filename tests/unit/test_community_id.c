/* test_community_id.c — SHA-1 on FIPS 180's test vectors, base64 on RFC 4648's, the Community ID on the spec's baseline and on flows. */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fixture.h"
#include "track/base64.h"
#include "track/community_id.h"
#include "track/sha1.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_sha1(const char *msg, size_t n, const char *want)
{
	uint8_t d[SHA1_LEN];
	char got[2 * SHA1_LEN + 1];
	sha1(msg, n, d);
	hex(d, sizeof d, got);
	if (strcmp(got, want) != 0)
		printf("\nsha1 of %zu bytes: %s, want %s\n", n, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* FIPS 180-2 appendix A (and the empty message): one block, two blocks, many blocks. */
static void test_sha1_matches_fips_180_test_vectors(void)
{
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check_sha1(two, strlen(two), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	const char *long896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
			      "klmnopqrlmnopqrsmnopqrstnopqrstu";
	check_sha1(long896, strlen(long896), "a49b2446a02c645bf419f995b67091253a04a259");
}

/* One million 'a', fed in pieces of 1,000 (the incremental interface across block boundaries). */
static void test_sha1_of_a_million_a_fed_in_pieces(void)
{
	char piece[1000];
	memset(piece, 'a', sizeof piece);
	struct sha1 c;
	sha1_init(&c);
	for (int i = 0; i < 1000; i++)
		sha1_update(&c, piece, sizeof piece);
	uint8_t d[SHA1_LEN];
	char got[2 * SHA1_LEN + 1];
	sha1_final(&c, d);
	hex(d, sizeof d, got);
	CU_ASSERT_STRING_EQUAL(got, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* Message lengths around the padding boundary (55, 56, 63, 64 bytes) equal the one-shot digest of the
   same bytes fed one at a time. */
static void test_sha1_padding_boundaries_agree_bytewise_and_whole(void)
{
	static const size_t lens[] = { 55, 56, 57, 63, 64, 65, 119, 120 };
	char m[128];
	for (size_t i = 0; i < sizeof m; i++)
		m[i] = (char)('A' + i % 26);
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		uint8_t a[SHA1_LEN], b[SHA1_LEN];
		sha1(m, lens[k], a);
		struct sha1 c;
		sha1_init(&c);
		for (size_t i = 0; i < lens[k]; i++)
			sha1_update(&c, m + i, 1);
		sha1_final(&c, b);
		CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
	}
	/* and 56 bytes is two blocks: its known digest (FIPS 180-2 A.2's message is 56 bytes) */
	check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		   "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

/* RFC 4648 §10. */
static void test_base64_matches_rfc_4648_vectors(void)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (size_t i = 0; i < 7; i++) {
		char b[16];
		size_t n = base64_encode((const uint8_t *)in[i], strlen(in[i]), b);
		CU_ASSERT_STRING_EQUAL(b, out[i]);
		CU_ASSERT_EQUAL(n, strlen(out[i]));
		CU_ASSERT_EQUAL(n, BASE64_LEN(strlen(in[i])));
	}
}

/*
 * The spec's baseline (community-id-spec baseline/baseline_deflt.json, seed 0, and two rows of
 * baseline_seed1.json): proto, addresses, "ports" (for ICMP the type and the counterpart type or code, as
 * the baseline lists them), expected ID. These are inputs to a hash, not traffic.
 */
struct vec {
	uint16_t seed;
	uint8_t proto;
	const char *saddr, *daddr;
	int sport, dport; /* -1: no ports (a protocol without them) */
	const char *want;
};
static const struct vec baseline[] = {
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=" },
	{ 0, 58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4,
	  "1:hLZd0XGWojozrvxqE0dWB1iM6R0=" },
	{ 0, 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00=" },
	{ 0, 1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=" },
	{ 0, 6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25,
	  "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
	  "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 46, "10.1.12.1", "10.1.12.2", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	{ 0, 46, "10.1.12.2", "10.1.12.1", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	{ 1, 6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 1, 1, "10.0.0.1", "10.0.0.2", 11, 0, "1:XjUibYHaafLQ3pxQeiMI8g25q20=" },
};

static void test_community_id_matches_the_spec_baseline(void)
{
	for (size_t i = 0; i < sizeof baseline / sizeof baseline[0]; i++) {
		const struct vec *v = &baseline[i];
		uint8_t sa[16], da[16];
		int af = strchr(v->saddr, ':') ? 6 : 4;
		CU_ASSERT_EQUAL_FATAL(inet_pton(af == 6 ? AF_INET6 : AF_INET, v->saddr, sa), 1);
		CU_ASSERT_EQUAL_FATAL(inet_pton(af == 6 ? AF_INET6 : AF_INET, v->daddr, da), 1);
		struct community_tuple t = { .seed = v->seed, .af = (uint8_t)af, .saddr = sa, .daddr = da,
					     .proto = v->proto, .has_ports = v->sport >= 0 };
		if (v->proto == 1 || v->proto == 58) {
			/* from the type (sport) and, for one-way types, the code (dport) */
			uint16_t p1, p2;
			t.one_way = community_id_icmp_ports(v->proto == 58, (uint8_t)v->sport, (uint8_t)v->dport, &p1, &p2);
			CU_ASSERT_EQUAL(p1, v->sport);
			CU_ASSERT_EQUAL(p2, v->dport); /* the counterpart the baseline lists, or the code */
			t.sport = p1;
			t.dport = p2;
		} else if (t.has_ports) {
			t.sport = (uint16_t)v->sport;
			t.dport = (uint16_t)v->dport;
		}
		char id[COMMUNITY_ID_LEN + 1];
		community_id_v1(&t, id);
		if (strcmp(id, v->want) != 0)
			printf("\nbaseline row %zu (%s -> %s proto %u): %s, want %s\n", i, v->saddr, v->daddr, v->proto, id,
			       v->want);
		CU_ASSERT_STRING_EQUAL(id, v->want);
		CU_ASSERT_EQUAL(strlen(id), COMMUNITY_ID_LEN);
	}
}

/* Echo request and reply answer each other; time exceeded (11) and unreachable (3, v6 1) are one-way. */
static void test_icmp_counterparts_follow_zeek(void)
{
	uint16_t a, b;
	CU_ASSERT_FALSE(community_id_icmp_ports(false, 8, 0, &a, &b));
	CU_ASSERT_EQUAL(b, 0);
	CU_ASSERT_FALSE(community_id_icmp_ports(false, 0, 0, &a, &b));
	CU_ASSERT_EQUAL(b, 8);
	CU_ASSERT_TRUE(community_id_icmp_ports(false, 3, 3, &a, &b));
	CU_ASSERT_EQUAL(a, 3);
	CU_ASSERT_EQUAL(b, 3);
	CU_ASSERT_TRUE(community_id_icmp_ports(false, 9, 0, &a, &b)); /* an advertisement answers nothing */
	CU_ASSERT_FALSE(community_id_icmp_ports(true, 128, 0, &a, &b));
	CU_ASSERT_EQUAL(b, 129);
	CU_ASSERT_TRUE(community_id_icmp_ports(true, 1, 4, &a, &b));
	CU_ASSERT_EQUAL(b, 4);
}

/* A flow's ID is the same whichever end is the client, and equals the tuple hashed directly. */
static void test_flow_community_id_is_the_tuple_of_its_ends(void)
{
	struct flow_table *t = flowtab_new(8);
	struct conn c;
	conn_init(&c, t, 0, 40000, 8888);
	const struct flow *f = syn(&c, 1, 0, 7, 0)->flow;
	char a[COMMUNITY_ID_LEN + 1], b[COMMUNITY_ID_LEN + 1];
	flow_community_id(f, a);
	struct community_tuple tu = { .af = 4, .saddr = f->server.addr, .daddr = f->client.addr, .proto = 6,
				      .has_ports = true, .sport = 8888, .dport = 40000 };
	community_id_v1(&tu, b);
	CU_ASSERT_STRING_EQUAL(a, b);
	/* an ICMP echo flow: the requests' type 8 and its counterpart 0, whatever the identifier */
	struct conn e;
	conn_init(&e, t, 0, 0, 0);
	const struct flow *fe = echo(&e, 1, 77, 1, 0)->flow;
	CU_ASSERT_PTR_NOT_NULL_FATAL(fe);
	flow_community_id(fe, a);
	struct community_tuple te = { .af = 4, .saddr = fe->client.addr, .daddr = fe->server.addr, .proto = 1,
				      .has_ports = true, .sport = 8, .dport = 0 };
	community_id_v1(&te, b);
	CU_ASSERT_STRING_EQUAL(a, b);
	flowtab_free(t);
}

int register_test_community_id(void)
{
	CU_pSuite s = CU_add_suite("community_id", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "SHA-1: FIPS 180 vectors", test_sha1_matches_fips_180_test_vectors) ||
	    !CU_add_test(s, "SHA-1: a million 'a' in pieces", test_sha1_of_a_million_a_fed_in_pieces) ||
	    !CU_add_test(s, "SHA-1: padding boundaries", test_sha1_padding_boundaries_agree_bytewise_and_whole) ||
	    !CU_add_test(s, "base64: RFC 4648 vectors", test_base64_matches_rfc_4648_vectors) ||
	    !CU_add_test(s, "Community ID: the spec's baseline", test_community_id_matches_the_spec_baseline) ||
	    !CU_add_test(s, "ICMP counterparts as Zeek's", test_icmp_counterparts_follow_zeek) ||
	    !CU_add_test(s, "a flow's ID is its tuple's", test_flow_community_id_is_the_tuple_of_its_ends))
		return 1;
	return 0;
}
