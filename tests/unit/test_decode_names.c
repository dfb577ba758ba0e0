/* test_decode_names.c — name tables: layers, link types, protocols, ethertypes, ICMP, TCP flag notation. */
#include <CUnit/CUnit.h>

#include "pktbuild.h"

static void test_tcp_flags_in_tcpdump_notation(void)
{
	char b[12];
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_SYN, b), "S");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_SYN | TCP_ACK, b), "S.");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_ACK, b), ".");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_PSH | TCP_ACK, b), "P.");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_FIN | TCP_ACK, b), "F.");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_RST, b), "R");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_RST | TCP_ACK, b), "R.");
	/* As tcpdump 4.99 prints an ECN handshake: "[SEW]", "[S.E]", "[.W]", "[P.E]". */
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_SYN | TCP_ECE | TCP_CWR, b), "SEW");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_SYN | TCP_ACK | TCP_ECE, b), "S.E");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_ACK | TCP_CWR, b), ".W");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_ACK | TCP_URG, b), ".U");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_NS | TCP_ACK, b), ".e");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(0, b), "none");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(0x1ff, b), "FSRP.UEWe");
}

static void test_layer_names(void)
{
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_NONE), "");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_IPV4), "ip");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_IPV6), "ip6");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_IPV6EXT), "ip6-ext");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_TCP), "tcp");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_ICMP6), "icmp6");
	CU_ASSERT_STRING_EQUAL(layer_name(LAYER_SLL2), "sll2");
	for (int l = LAYER_ETH; l < LAYER_COUNT; l++)
		CU_ASSERT_NOT_EQUAL(layer_name((enum layer_id)l)[0], '\0');
}

static void test_linktype_names(void)
{
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_EN10MB), "EN10MB");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_NULL), "NULL");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_LOOP), "LOOP");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_RAW), "RAW");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_SLL), "LINUX_SLL");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_SLL2), "LINUX_SLL2");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_IPV4), "IPV4");
	CU_ASSERT_STRING_EQUAL(linktype_name(LT_IPV6), "IPV6");
	CU_ASSERT_STRING_EQUAL(linktype_name(127), "IEEE802_11_RADIO"); /* from libpcap's table */
	CU_ASSERT_PTR_NULL(linktype_name(65000));
}

static void test_protocol_and_ethertype_names(void)
{
	CU_ASSERT_STRING_EQUAL(ipproto_name(6), "tcp");
	CU_ASSERT_STRING_EQUAL(ipproto_name(17), "udp");
	CU_ASSERT_STRING_EQUAL(ipproto_name(1), "icmp");
	CU_ASSERT_STRING_EQUAL(ipproto_name(58), "icmp6");
	CU_ASSERT_STRING_EQUAL(ipproto_name(47), "gre");
	CU_ASSERT_STRING_EQUAL(ipproto_name(132), "sctp");
	CU_ASSERT_PTR_NULL(ipproto_name(253));
	CU_ASSERT_STRING_EQUAL(ether_type_name(0x0800), "ipv4");
	CU_ASSERT_STRING_EQUAL(ether_type_name(0x86dd), "ipv6");
	CU_ASSERT_STRING_EQUAL(ether_type_name(0x8100), "vlan");
	CU_ASSERT_PTR_NULL(ether_type_name(0x1234));
}

static void test_icmp_names(void)
{
	CU_ASSERT_STRING_EQUAL(icmp_type_name(0), "echo reply");
	CU_ASSERT_STRING_EQUAL(icmp_type_name(3), "destination unreachable");
	CU_ASSERT_STRING_EQUAL(icmp_type_name(4), "source quench");
	CU_ASSERT_STRING_EQUAL(icmp_type_name(13), "timestamp request");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(3, 0), "net unreachable");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(3, 4), "fragmentation needed");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(3, 13), "communication administratively prohibited");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(12, 1), "missing a required option");
	CU_ASSERT_PTR_NULL(icmp_code_name(8, 0));
	CU_ASSERT_PTR_NULL(icmp_code_name(3, 200));
	CU_ASSERT_PTR_NULL(icmp_type_name(99));
	CU_ASSERT_TRUE(icmp_is_error(3));
	CU_ASSERT_TRUE(icmp_is_error(11));
	CU_ASSERT_FALSE(icmp_is_error(0));
	CU_ASSERT_FALSE(icmp_is_error(8));
}

int register_test_decode_names(void)
{
	CU_pSuite s = CU_add_suite("decode_names", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "TCP flags in tcpdump notation", test_tcp_flags_in_tcpdump_notation) ||
	    !CU_add_test(s, "layer names", test_layer_names) ||
	    !CU_add_test(s, "link type names", test_linktype_names) ||
	    !CU_add_test(s, "IP protocol and ethertype names", test_protocol_and_ethertype_names) ||
	    !CU_add_test(s, "ICMP type and code names", test_icmp_names))
		return -1;
	return 0;
}
