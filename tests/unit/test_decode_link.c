/* test_decode_link.c — every supported link type from hand-built bytes, and a cut at every header byte. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;

/* IPv4 + UDP 40000 → 7777 with 4 payload bytes, after whatever link header p holds. */
static void add_udp4(struct pb *p)
{
	size_t ip = pb_ipv4(p, 17, LO4, LO4B, 0);
	pb_udp(p, 40000, 7777, 4);
	pb_be32(p, 0xdeadbeef);
	pb_ipv4_end(p, ip);
}

/* IPv6 + TCP 40001 → 80 SYN, no options. */
static void add_tcp6(struct pb *p)
{
	size_t ip = pb_ipv6(p, 6, LO6, LO6);
	pb_tcp(p, 40001, 80, 1000, 0, TCP_SYN, 65535, NULL, 0);
	pb_ipv6_end(p, ip);
}

static void assert_udp4(void)
{
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.link_supported);
	CU_ASSERT_TRUE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.ip.version, 4);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.sport, 40000);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.dport, 7777);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 4);
}

static void assert_tcp6(void)
{
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.ip.version, 6);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.sport, 40001);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.flags, TCP_SYN);
}

static void test_eth_ipv4_udp_fields(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	add_udp4(&p);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	assert_udp4();
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x0800);
	CU_ASSERT_EQUAL(pkt.link.nvlan, 0);
	CU_ASSERT_EQUAL(pkt.link.dst_mac[5], 0x02);
	CU_ASSERT_EQUAL(pkt.link.src_mac[5], 0x01);
	CU_ASSERT_EQUAL(memcmp(pkt.ip.src, LO4, 4), 0);
	CU_ASSERT_EQUAL(memcmp(pkt.ip.dst, LO4B, 4), 0);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 42, LAYER_UDP, CUT_OUTER }, { 46, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("eth/ipv4/udp", LT_EN10MB, p.b, p.n, cuts, 4), 0);
}

static void test_eth_8021q_tag_vid_and_pcp(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x8100);
	pb_vlan(&p, 5, 100, 0x0800);
	add_udp4(&p);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	assert_udp4();
	CU_ASSERT_EQUAL(pkt.link.nvlan, 1);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].tpid, 0x8100);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].vid, 100);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].pcp, 5);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x0800);
	free(buf);
}

static void test_eth_8021ad_stacked_tags(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x88a8);
	pb_vlan(&p, 3, 10, 0x8100);
	pb_vlan(&p, 0, 4094, 0x86dd);
	add_tcp6(&p);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	assert_tcp6();
	CU_ASSERT_EQUAL(pkt.link.nvlan, 2);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].tpid, 0x88a8);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].vid, 10);
	CU_ASSERT_EQUAL(pkt.link.vlan[0].pcp, 3);
	CU_ASSERT_EQUAL(pkt.link.vlan[1].tpid, 0x8100);
	CU_ASSERT_EQUAL(pkt.link.vlan[1].vid, 4094);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x86dd);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 22, LAYER_VLAN, CUT_OUTER },
				    { 62, LAYER_IPV6, CUT_OUTER }, { 82, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("eth/qinq/ipv6/tcp", LT_EN10MB, p.b, p.n, cuts, 4), 0);
}

static void test_eth_arp_is_not_ip(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0806);
	pb_fill(&p, 0, 28);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.link_supported);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x0806);
	CU_ASSERT_STRING_EQUAL(ether_type_name(pkt.link.ethertype), "arp");
	free(buf);
}

static void test_eth_8023_length_field_is_not_ethertype(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 46); /* 802.3 length, LLC follows */
	pb_fill(&p, 0x42, 46);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0);
	free(buf);
}

static void test_null_af_inet_both_byte_orders(void)
{
	for (int be = 0; be < 2; be++) {
		struct pb p = { .n = 0 };
		if (be)
			pb_be32(&p, 2);
		else
			pb_le32(&p, 2);
		add_udp4(&p);
		uint8_t *buf = decode_copy(&pkt, LT_NULL, p.b, p.n, p.n);
		assert_udp4();
		CU_ASSERT_EQUAL(pkt.link.null_family, 2);
		free(buf);
		const struct cut cuts[] = { { 4, LAYER_NULL, CUT_OUTER }, { 24, LAYER_IPV4, CUT_OUTER },
					    { 32, LAYER_UDP, CUT_OUTER }, { 36, LAYER_NONE, CUT_OK } };
		CU_ASSERT_EQUAL(check_prefixes(be ? "null-be/ipv4" : "null-le/ipv4", LT_NULL, p.b, p.n, cuts, 4), 0);
	}
}

static void test_null_af_inet6_every_bsd_value_both_orders(void)
{
	static const uint32_t fams[] = { 10, 24, 28, 30 };
	for (size_t i = 0; i < 4; i++)
		for (int be = 0; be < 2; be++) {
			struct pb p = { .n = 0 };
			if (be)
				pb_be32(&p, fams[i]);
			else
				pb_le32(&p, fams[i]);
			add_tcp6(&p);
			uint8_t *buf = decode_copy(&pkt, LT_NULL, p.b, p.n, p.n);
			assert_tcp6();
			CU_ASSERT_EQUAL(pkt.link.null_family, fams[i]);
			CU_ASSERT_EQUAL(pkt.link.ethertype, 0x86dd);
			free(buf);
		}
}

static void test_null_unknown_family_is_not_ip(void)
{
	struct pb p = { .n = 0 };
	pb_le32(&p, 7);
	pb_fill(&p, 0x45, 20);
	uint8_t *buf = decode_copy(&pkt, LT_NULL, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.link.null_family, 7);
	free(buf);
}

static void test_loop_family_is_network_order(void)
{
	struct pb p = { .n = 0 };
	pb_be32(&p, 24);
	add_tcp6(&p);
	uint8_t *buf = decode_copy(&pkt, LT_LOOP, p.b, p.n, p.n);
	assert_tcp6();
	CU_ASSERT_EQUAL(pkt.link.null_family, 24);
	free(buf);
	/* The same bytes little-endian are family 0x02000000 on LOOP: not IP. */
	struct pb q = { .n = 0 };
	pb_le32(&q, 2);
	add_udp4(&q);
	buf = decode_copy(&pkt, LT_LOOP, q.b, q.n, q.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.link.null_family, 0x02000000u);
	free(buf);
	const struct cut cuts[] = { { 4, LAYER_NULL, CUT_OUTER }, { 44, LAYER_IPV6, CUT_OUTER },
				    { 64, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("loop/ipv6/tcp", LT_LOOP, p.b, p.n, cuts, 3), 0);
}

static void test_sll_header_fields(void)
{
	static const uint8_t mac[8] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0, 0 };
	struct pb p = { .n = 0 };
	pb_be16(&p, 4);   /* outgoing */
	pb_be16(&p, 772); /* ARPHRD_LOOPBACK */
	pb_be16(&p, 6);
	pb_bytes(&p, mac, 8);
	pb_be16(&p, 0x0800);
	add_udp4(&p);
	uint8_t *buf = decode_copy(&pkt, LT_SLL, p.b, p.n, p.n);
	assert_udp4();
	CU_ASSERT_EQUAL(pkt.link.sll_pkttype, 4);
	CU_ASSERT_EQUAL(memcmp(pkt.link.src_mac, mac, 6), 0);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x0800);
	free(buf);
	const struct cut cuts[] = { { 16, LAYER_SLL, CUT_OUTER }, { 36, LAYER_IPV4, CUT_OUTER },
				    { 44, LAYER_UDP, CUT_OUTER }, { 48, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("sll/ipv4/udp", LT_SLL, p.b, p.n, cuts, 4), 0);
}

static void test_sll2_ifindex_and_pkttype(void)
{
	static const uint8_t mac[8] = { 0x02, 1, 2, 3, 4, 5, 0, 0 };
	struct pb p = { .n = 0 };
	pb_be16(&p, 0x86dd);
	pb_be16(&p, 0);         /* reserved */
	pb_be32(&p, 7);         /* ifindex */
	pb_be16(&p, 772);       /* ARPHRD_LOOPBACK */
	pb_u8(&p, 0);           /* to us */
	pb_u8(&p, 6);
	pb_bytes(&p, mac, 8);
	add_tcp6(&p);
	uint8_t *buf = decode_copy(&pkt, LT_SLL2, p.b, p.n, p.n);
	assert_tcp6();
	CU_ASSERT_EQUAL(pkt.link.sll_ifindex, 7);
	CU_ASSERT_EQUAL(pkt.link.sll_pkttype, 0);
	CU_ASSERT_EQUAL(pkt.link.src_mac[5], 5);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x86dd);
	free(buf);
	const struct cut cuts[] = { { 20, LAYER_SLL2, CUT_OUTER }, { 60, LAYER_IPV6, CUT_OUTER },
				    { 80, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("sll2/ipv6/tcp", LT_SLL2, p.b, p.n, cuts, 3), 0);
}

static void test_raw_version_nibble_decides_for_every_raw_value(void)
{
	static const int lts[] = { LT_RAW, LT_RAW_OPENBSD, LT_RAW_LINKTYPE };
	for (size_t i = 0; i < 3; i++) {
		struct pb p4 = { .n = 0 }, p6 = { .n = 0 };
		add_udp4(&p4);
		add_tcp6(&p6);
		uint8_t *buf = decode_copy(&pkt, lts[i], p4.b, p4.n, p4.n);
		assert_udp4();
		free(buf);
		buf = decode_copy(&pkt, lts[i], p6.b, p6.n, p6.n);
		assert_tcp6();
		free(buf);
		const struct cut c4[] = { { 20, LAYER_IPV4, CUT_OUTER }, { 28, LAYER_UDP, CUT_OUTER },
					  { 32, LAYER_NONE, CUT_OK } };
		CU_ASSERT_EQUAL(check_prefixes("raw/ipv4/udp", lts[i], p4.b, p4.n, c4, 3), 0);
		/* An empty packet has no version nibble: reported as cut in "ip". */
		const struct cut c6[] = { { 1, LAYER_IPV4, CUT_OUTER }, { 40, LAYER_IPV6, CUT_OUTER },
					  { 60, LAYER_TCP, CUT_OUTER } };
		CU_ASSERT_EQUAL(check_prefixes("raw/ipv6/tcp", lts[i], p6.b, p6.n, c6, 3), 0);
	}
}

static void test_raw_other_version_is_invalid(void)
{
	struct pb p = { .n = 0 };
	add_udp4(&p);
	p.b[0] = 0x55;
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV4);
	CU_ASSERT_PTR_NOT_NULL(pkt.bad_field);
	CU_ASSERT_FALSE(pkt.has_ip);
	free(buf);
}

static void test_linktype_ipv4_and_ipv6(void)
{
	struct pb p4 = { .n = 0 }, p6 = { .n = 0 };
	add_udp4(&p4);
	add_tcp6(&p6);
	uint8_t *buf = decode_copy(&pkt, LT_IPV4, p4.b, p4.n, p4.n);
	assert_udp4();
	free(buf);
	buf = decode_copy(&pkt, LT_IPV6, p6.b, p6.n, p6.n);
	assert_tcp6();
	free(buf);
	/* The wrong version for the link type is a version mismatch. */
	buf = decode_copy(&pkt, LT_IPV4, p6.b, p6.n, p6.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV4);
	free(buf);
	buf = decode_copy(&pkt, LT_IPV6, p4.b, p4.n, p4.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV6);
	free(buf);
	const struct cut c6[] = { { 40, LAYER_IPV6, CUT_OUTER }, { 60, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("ipv6-link/tcp", LT_IPV6, p6.b, p6.n, c6, 2), 0);
}

static void test_unsupported_link_type_decodes_nothing(void)
{
	struct pb p = { .n = 0 };
	pb_be16(&p, 0xff03);
	pb_be16(&p, 0x0021);
	add_udp4(&p);
	uint8_t *buf = decode_copy(&pkt, LT_PPP, p.b, p.n, p.n);
	CU_ASSERT_FALSE(pkt.link_supported);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.caplen, p.n);
	CU_ASSERT_EQUAL(pkt.linktype, LT_PPP);
	CU_ASSERT_FALSE(decode_linktype_supported(LT_PPP));
	CU_ASSERT_TRUE(decode_linktype_supported(LT_SLL2));
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_PPP), "PPP");
	free(buf);
}

static void test_decode_overwrites_previous_packet(void)
{
	struct pb p = { .n = 0 }, q = { .n = 0 };
	pb_eth(&p, 0x0800);
	add_udp4(&p);
	pb_eth(&q, 0x0806);
	pb_fill(&q, 0, 28);
	uint8_t *b1 = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	uint8_t *b2 = decode_copy(&pkt, LT_EN10MB, q.b, q.n, q.n);
	CU_ASSERT_FALSE(pkt.has_ip);
	CU_ASSERT_EQUAL(pkt.ip.have, 0);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_NONE);
	CU_ASSERT_EQUAL(pkt.link.ethertype, 0x0806);
	free(b1);
	free(b2);
}

int register_test_decode_link(void)
{
	CU_pSuite s = CU_add_suite("decode_link", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "eth/ipv4/udp fields and every truncation", test_eth_ipv4_udp_fields) ||
	    !CU_add_test(s, "802.1Q tag vid and pcp", test_eth_8021q_tag_vid_and_pcp) ||
	    !CU_add_test(s, "802.1ad + 802.1Q stacked tags, truncations", test_eth_8021ad_stacked_tags) ||
	    !CU_add_test(s, "ARP is not IP, ethertype kept", test_eth_arp_is_not_ip) ||
	    !CU_add_test(s, "802.3 length field is not an ethertype", test_eth_8023_length_field_is_not_ethertype) ||
	    !CU_add_test(s, "NULL AF_INET in both byte orders", test_null_af_inet_both_byte_orders) ||
	    !CU_add_test(s, "NULL AF_INET6 10/24/28/30 in both orders", test_null_af_inet6_every_bsd_value_both_orders) ||
	    !CU_add_test(s, "NULL unknown family is not IP", test_null_unknown_family_is_not_ip) ||
	    !CU_add_test(s, "LOOP family is network order", test_loop_family_is_network_order) ||
	    !CU_add_test(s, "SLL header fields and truncations", test_sll_header_fields) ||
	    !CU_add_test(s, "SLL2 ifindex, pkttype and truncations", test_sll2_ifindex_and_pkttype) ||
	    !CU_add_test(s, "RAW 12/14/101: version nibble decides", test_raw_version_nibble_decides_for_every_raw_value) ||
	    !CU_add_test(s, "RAW with version 5 is invalid", test_raw_other_version_is_invalid) ||
	    !CU_add_test(s, "IPV4/IPV6 link types and version mismatch", test_linktype_ipv4_and_ipv6) ||
	    !CU_add_test(s, "unsupported link type decodes nothing", test_unsupported_link_type_decodes_nothing) ||
	    !CU_add_test(s, "decode overwrites the previous packet", test_decode_overwrites_previous_packet))
		return -1;
	return 0;
}
