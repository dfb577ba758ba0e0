/* test_decode_udp.c — UDP ports and length, payload from the UDP length, bad lengths. */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "pktbuild.h"

static struct packet pkt;

static void test_ports_length_payload(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 17, LO6, LO6);
	pb_udp(&p, 33333, 7, 11);
	pb_fill(&p, 'u', 11);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.sport, 33333);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.dport, 7);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.len, 19);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_UDPLEN);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 11);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 11);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 54, LAYER_IPV6, CUT_OUTER },
				    { 62, LAYER_UDP, CUT_OUTER }, { 73, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("eth/ipv6/udp", LT_EN10MB, p.b, p.n, cuts, 4), 0);
}

static void test_udp_length_shorter_than_ip_payload_wins(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 2);
	pb_fill(&p, 0, 10); /* 8 bytes more than the UDP length covers */
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 2);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 2);
	free(buf);
}

static void test_length_below_8_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 0);
	pb_set16(&p, ip + 24, 7);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_UDP);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_PORTS);
	free(buf);
}

static void test_length_beyond_ip_payload_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 100);
	pb_fill(&p, 0, 10);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_UDP);
	CU_ASSERT_STRING_EQUAL(pkt.bad_field, "length > IP payload length");
	free(buf);
}

static void test_ip_length_too_short_for_udp_header_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_udp(&p, 1, 2, 0);
	pb_set16(&p, ip + 2, 24);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_UDP);
	free(buf);
}

int register_test_decode_udp(void)
{
	CU_pSuite s = CU_add_suite("decode_udp", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "ports, length, payload; truncations", test_ports_length_payload) ||
	    !CU_add_test(s, "UDP length shorter than IP payload wins", test_udp_length_shorter_than_ip_payload_wins) ||
	    !CU_add_test(s, "length below 8 is invalid", test_length_below_8_is_invalid) ||
	    !CU_add_test(s, "length beyond IP payload is invalid", test_length_beyond_ip_payload_is_invalid) ||
	    !CU_add_test(s, "IP length too short for UDP header is invalid", test_ip_length_too_short_for_udp_header_is_invalid))
		return -1;
	return 0;
}
