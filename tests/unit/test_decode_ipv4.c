/* test_decode_ipv4.c — IPv4 header fields, options, fragments, padding, TSO and invalid headers. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;

static void test_header_fields(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 0);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_IP);
	CU_ASSERT_EQUAL(pkt.ip.version, 4);
	CU_ASSERT_EQUAL(pkt.ip.tos, 0x10);
	CU_ASSERT_EQUAL(pkt.ip.ttl, 64);
	CU_ASSERT_EQUAL(pkt.ip.ip_id, 0x1234);
	CU_ASSERT_TRUE(pkt.ip.dont_frag);
	CU_ASSERT_FALSE(pkt.ip.is_frag);
	CU_ASSERT_EQUAL(pkt.ip.proto, 17);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 20);
	CU_ASSERT_EQUAL(pkt.ip.total_len, 28);
	CU_ASSERT_EQUAL(pkt.ip.ip_opts_len, 0);
	free(buf);
}

static void test_options_are_skipped_and_counted(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 6, LO4, LO4B, 8);
	pb_tcp(&p, 1111, 2222, 7, 0, TCP_SYN, 100, NULL, 0);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 28);
	CU_ASSERT_EQUAL(pkt.ip.ip_opts_len, 8);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.sport, 1111);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.seq, 7);
	free(buf);
	const struct cut cuts[] = { { 28, LAYER_IPV4, CUT_OUTER }, { 48, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("ipv4 options/tcp", LT_RAW, p.b, p.n, cuts, 2), 0);
}

static void test_ethernet_padding_is_not_payload(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	size_t ip = pb_ipv4(&p, 6, LO4, LO4B, 0);
	pb_tcp(&p, 1, 2, 3, 4, TCP_ACK, 5, NULL, 0);
	pb_ipv4_end(&p, ip);
	pb_fill(&p, 0, 6); /* minimum Ethernet frame: 60 bytes */
	CU_ASSERT_EQUAL(p.n, 60);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_PAYLOAD);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 0);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 0);
	free(buf);
}

static void test_snaplen_cut_payload_keeps_wire_length(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 6, LO4, LO4B, 0);
	pb_tcp(&p, 1, 2, 3, 4, TCP_PSH | TCP_ACK, 5, NULL, 0);
	pb_fill(&p, 'x', 100);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, 50, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK); /* headers complete: only payload was cut */
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 100);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 10);
	CU_ASSERT_PTR_EQUAL(pkt.ip.payload, buf + 40);
	free(buf);
}

static void test_first_fragment_decoded_through_udp(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_set16(&p, ip + 6, 0x2000); /* MF, offset 0 */
	pb_udp(&p, 5000, 6000, 2000); /* the whole datagram: 2008 bytes */
	pb_fill(&p, 'y', 472);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.is_frag);
	CU_ASSERT_TRUE(pkt.ip.more_frags);
	CU_ASSERT_EQUAL(pkt.ip.frag_off, 0);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.dport, 6000);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 2000);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 472);
	free(buf);
}

static void test_later_fragment_has_no_transport(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_set16(&p, ip + 4, 0xabcd);
	pb_set16(&p, ip + 6, 185); /* offset 1480, last fragment */
	pb_fill(&p, 'z', 100);     /* looks like nothing in particular */
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.is_frag);
	CU_ASSERT_FALSE(pkt.ip.more_frags);
	CU_ASSERT_EQUAL(pkt.ip.frag_off, 1480);
	CU_ASSERT_EQUAL(pkt.ip.ip_id, 0xabcd);
	CU_ASSERT_EQUAL(pkt.ip.proto, 17);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_NONE);
	CU_ASSERT_FALSE(pkt.ip.have & HAVE_PORTS);
	free(buf);
}

static void test_ihl_below_5_is_invalid(void)
{
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		struct pb p = { .n = 0 };
		size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
		pb_udp(&p, 1, 2, 0);
		pb_ipv4_end(&p, ip);
		p.b[0] = (uint8_t)(0x40 | ihl);
		uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
		CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
		CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV4);
		CU_ASSERT_PTR_NOT_NULL(pkt.bad_field);
		CU_ASSERT_EQUAL(pkt.ip.status, DEC_INVALID);
		CU_ASSERT_EQUAL(pkt.ip.l4, L4_NONE);
		free(buf);
	}
}

static void test_version_mismatch_on_ethertype_ipv4(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 0);
	pb_ipv4_end(&p, ip);
	p.b[ip] = 0x65;
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV4);
	CU_ASSERT_STRING_EQUAL(pkt.bad_field, "version not 4");
	CU_ASSERT_TRUE(pkt.has_ip);
	free(buf);
}

static void test_total_length_below_header_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 0);
	pb_set16(&p, ip + 2, 19);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_IPV4);
	free(buf);
}

static void test_total_length_too_short_for_tcp_is_invalid_not_truncated(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 6, LO4, LO4B, 0);
	pb_tcp(&p, 1, 2, 3, 4, TCP_ACK, 5, NULL, 0);
	pb_set16(&p, ip + 2, 30); /* only 10 bytes of TCP by the IP length, though 20 were captured */
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_TCP);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_SEQ);
	CU_ASSERT_FALSE(pkt.ip.have & HAVE_FLAGS);
	free(buf);
}

static void test_tso_zero_total_length_uses_frame_length(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, 6, LO4, LO4B, 0);
	pb_tcp(&p, 1, 2, 3, 4, TCP_PSH | TCP_ACK, 5, NULL, 0);
	pb_fill(&p, 'd', 1900); /* larger than any MTU, as a TSO super-packet is */
	/* total length stays 0 */
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 200, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.total_len, 1940);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 1900);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 200 - 54);
	free(buf);
}

int register_test_decode_ipv4(void)
{
	CU_pSuite s = CU_add_suite("decode_ipv4", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "header fields", test_header_fields) ||
	    !CU_add_test(s, "options skipped and counted, truncations", test_options_are_skipped_and_counted) ||
	    !CU_add_test(s, "Ethernet padding is not payload", test_ethernet_padding_is_not_payload) ||
	    !CU_add_test(s, "snaplen-cut payload keeps wire length", test_snaplen_cut_payload_keeps_wire_length) ||
	    !CU_add_test(s, "first fragment decoded through UDP", test_first_fragment_decoded_through_udp) ||
	    !CU_add_test(s, "later fragment has no transport", test_later_fragment_has_no_transport) ||
	    !CU_add_test(s, "IHL below 5 is invalid", test_ihl_below_5_is_invalid) ||
	    !CU_add_test(s, "version 6 under ethertype IPv4 is invalid", test_version_mismatch_on_ethertype_ipv4) ||
	    !CU_add_test(s, "total length below header length is invalid", test_total_length_below_header_is_invalid) ||
	    !CU_add_test(s, "total length too short for TCP is invalid", test_total_length_too_short_for_tcp_is_invalid_not_truncated) ||
	    !CU_add_test(s, "TSO zero total length uses the frame", test_tso_zero_total_length_uses_frame_length))
		return -1;
	return 0;
}
