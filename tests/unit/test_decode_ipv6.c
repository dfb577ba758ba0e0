/* test_decode_ipv6.c — IPv6 header, extension-header chains, fragments, AH, and invalid chains. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;

/* An options-style extension header (hop-by-hop, routing, destination options) of 8*(len8+1) bytes. */
static void add_ext(struct pb *p, uint8_t next, uint8_t len8)
{
	pb_u8(p, next);
	pb_u8(p, len8);
	pb_fill(p, 0, 8u * (len8 + 1u) - 2);
}

static void add_frag(struct pb *p, uint8_t next, uint16_t off_bytes, bool more, uint32_t id)
{
	pb_u8(p, next);
	pb_u8(p, 0);
	pb_be16(p, (uint16_t)(off_bytes | (more ? 1 : 0)));
	pb_be32(p, id);
}

static void test_header_fields(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 17, LO6, LO6);
	pb_udp(&p, 7, 9, 3);
	pb_fill(&p, 'a', 3);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.version, 6);
	CU_ASSERT_EQUAL(pkt.ip.tos, 0xa0);
	CU_ASSERT_EQUAL(pkt.ip.flowlabel, 0x12345);
	CU_ASSERT_EQUAL(pkt.ip.ttl, 63);
	CU_ASSERT_EQUAL(pkt.ip.next_hdr, 17);
	CU_ASSERT_EQUAL(pkt.ip.proto, 17);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 40);
	CU_ASSERT_EQUAL(pkt.ip.total_len, 51);
	CU_ASSERT_EQUAL(memcmp(pkt.ip.src, LO6, 16), 0);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 3);
	free(buf);
}

static void test_ext_chain_hop_routing_dstopts_to_tcp(void)
{
	static const uint8_t mss[4] = { 2, 4, 0x3f, 0xd8 };
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 0, LO6, LO6);
	add_ext(&p, 43, 0); /* hop-by-hop, 8 bytes */
	add_ext(&p, 60, 2); /* routing, 24 bytes */
	add_ext(&p, 6, 0);  /* destination options, 8 bytes */
	pb_tcp(&p, 443, 50000, 1, 2, TCP_SYN | TCP_ACK, 1000, mss, 4);
	pb_fill(&p, 'p', 5);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.n_ext, 3);
	CU_ASSERT_EQUAL(pkt.ip.ext[0], 0);
	CU_ASSERT_EQUAL(pkt.ip.ext[1], 43);
	CU_ASSERT_EQUAL(pkt.ip.ext[2], 60);
	CU_ASSERT_EQUAL(pkt.ip.next_hdr, 0);
	CU_ASSERT_EQUAL(pkt.ip.proto, 6);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 80);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.mss, 16344);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 5);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 54, LAYER_IPV6, CUT_OUTER },
				    { 94, LAYER_IPV6EXT, CUT_OUTER }, { 118, LAYER_TCP, CUT_OUTER },
				    { 123, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("ipv6 ext chain/tcp", LT_EN10MB, p.b, p.n, cuts, 5), 0);
}

static void test_first_fragment_decoded_later_not(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 44, LO6, LO6);
	add_frag(&p, 17, 0, true, 0xcafe);
	pb_udp(&p, 5353, 5354, 3000);
	pb_fill(&p, 'f', 1000);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_IPV6, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.is_frag);
	CU_ASSERT_TRUE(pkt.ip.more_frags);
	CU_ASSERT_EQUAL(pkt.ip.frag_off, 0);
	CU_ASSERT_EQUAL(pkt.ip.ip_id, 0xcafe);
	CU_ASSERT_EQUAL(pkt.ip.n_ext, 1);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 48);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.sport, 5353);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 3000);
	free(buf);
	const struct cut cuts[] = { { 40, LAYER_IPV6, CUT_OUTER }, { 48, LAYER_IPV6EXT, CUT_OUTER },
				    { 56, LAYER_UDP, CUT_OUTER }, { 1056, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("ipv6 first fragment/udp", LT_IPV6, p.b, p.n, cuts, 4), 0);

	struct pb q = { .n = 0 };
	ip = pb_ipv6(&q, 44, LO6, LO6);
	add_frag(&q, 17, 1008, false, 0xcafe);
	pb_fill(&q, 'g', 200);
	pb_ipv6_end(&q, ip);
	buf = decode_copy(&pkt, LT_IPV6, q.b, q.n, q.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.is_frag);
	CU_ASSERT_FALSE(pkt.ip.more_frags);
	CU_ASSERT_EQUAL(pkt.ip.frag_off, 1008);
	CU_ASSERT_EQUAL(pkt.ip.proto, 17);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_NONE);
	free(buf);
}

static void test_ah_skipped_by_its_length(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 51, LO6, LO6);
	pb_u8(&p, 17); /* next header */
	pb_u8(&p, 4);  /* (4 + 2) * 4 = 24 bytes */
	pb_fill(&p, 0xa5, 22);
	pb_udp(&p, 500, 4500, 0);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.n_ext, 1);
	CU_ASSERT_EQUAL(pkt.ip.ext[0], 51);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 64);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.dport, 4500);
	free(buf);
}

static void test_no_next_header(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 60, LO6, LO6);
	add_ext(&p, 59, 0);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.proto, 59);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_NONE);
	CU_ASSERT_STRING_EQUAL(ipproto_name(pkt.ip.proto), "ipv6-nonxt");
	free(buf);
}

static void test_ext_header_loop_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 60, LO6, LO6);
	for (int i = 0; i < 12; i++)
		add_ext(&p, 60, 0); /* destination options pointing at destination options... */
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV6EXT);
	CU_ASSERT_EQUAL(pkt.ip.n_ext, PKT_MAX_IP6EXT);
	free(buf);
	/* Exactly PKT_MAX_IP6EXT headers are fine. */
	struct pb q = { .n = 0 };
	ip = pb_ipv6(&q, 60, LO6, LO6);
	for (int i = 0; i < PKT_MAX_IP6EXT; i++)
		add_ext(&q, i == PKT_MAX_IP6EXT - 1 ? 59 : 60, 0);
	pb_ipv6_end(&q, ip);
	buf = decode_copy(&pkt, LT_RAW, q.b, q.n, q.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.n_ext, PKT_MAX_IP6EXT);
	free(buf);
}

static void test_ext_header_longer_than_payload_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 60, LO6, LO6);
	add_ext(&p, 17, 3); /* 32 bytes */
	pb_set16(&p, ip + 4, 8); /* but the payload length says 8 */
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV6EXT);
	free(buf);
}

static void test_version_mismatch_is_invalid(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 59, LO6, LO6);
	pb_ipv6_end(&p, ip);
	p.b[ip] = 0x45;
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV6);
	free(buf);
}

static void test_zero_payload_length_uses_frame(void)
{
	struct pb p = { .n = 0 };
	pb_ipv6(&p, 6, LO6, LO6); /* payload length stays 0: segmentation offload */
	pb_tcp(&p, 1, 2, 3, 4, TCP_ACK, 5, NULL, 0);
	pb_fill(&p, 'j', 100);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 100);
	CU_ASSERT_EQUAL(pkt.ip.total_len, 160);
	free(buf);
}

int register_test_decode_ipv6(void)
{
	CU_pSuite s = CU_add_suite("decode_ipv6", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "header fields", test_header_fields) ||
	    !CU_add_test(s, "hop-by-hop, routing, dstopts chain to TCP; truncations", test_ext_chain_hop_routing_dstopts_to_tcp) ||
	    !CU_add_test(s, "first fragment decoded, later not", test_first_fragment_decoded_later_not) ||
	    !CU_add_test(s, "AH skipped by its length", test_ah_skipped_by_its_length) ||
	    !CU_add_test(s, "no next header", test_no_next_header) ||
	    !CU_add_test(s, "extension header loop is invalid", test_ext_header_loop_is_invalid) ||
	    !CU_add_test(s, "extension header longer than payload is invalid", test_ext_header_longer_than_payload_is_invalid) ||
	    !CU_add_test(s, "version 4 under ethertype IPv6 is invalid", test_version_mismatch_is_invalid) ||
	    !CU_add_test(s, "zero payload length uses the frame", test_zero_payload_length_uses_frame))
		return -1;
	return 0;
}
