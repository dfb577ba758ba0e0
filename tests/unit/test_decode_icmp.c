/* test_decode_icmp.c — ICMP and ICMPv6 headers and the quoted packet of errors, decoded one level deep. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;

/* ICMP header: type, code, checksum, then the 4 "rest" bytes. */
static void add_icmp(struct pb *p, uint8_t type, uint8_t code, uint32_t rest)
{
	pb_u8(p, type);
	pb_u8(p, code);
	pb_be16(p, 0);
	pb_be32(p, rest);
}

static void test_echo_request_id_seq(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 1, LO4, LO4, 0);
	add_icmp(&p, 8, 0, 0x1234000a);
	pb_fill(&p, 'e', 56);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_ICMP);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.type, 8);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.id, 0x1234);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.seq, 10);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 56);
	CU_ASSERT_FALSE(pkt.has_inner);
	CU_ASSERT_STRING_EQUAL(icmp_type_name(8), "echo request");
	free(buf);
	const struct cut cuts[] = { { 20, LAYER_IPV4, CUT_OUTER }, { 28, LAYER_ICMP, CUT_OUTER },
				    { 84, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("icmp echo", LT_RAW, p.b, p.n, cuts, 3), 0);
}

/* Port unreachable from 127.0.0.1 quoting UDP 127.0.0.2:40000 → 127.0.0.1:9999 (IP header + 8 bytes). */
static void build_port_unreachable_udp(struct pb *p)
{
	pb_eth(p, 0x0800);
	size_t ip = pb_ipv4(p, 1, LO4, LO4B, 0);
	add_icmp(p, 3, 3, 0);
	size_t q = pb_ipv4(p, 17, LO4B, LO4, 0);
	pb_udp(p, 40000, 9999, 5);
	pb_set16(p, q + 2, 20 + 8 + 5); /* the original datagram's length; its 5 payload bytes not quoted */
	pb_ipv4_end(p, ip);
}

static void test_port_unreachable_quotes_udp(void)
{
	struct pb p = { .n = 0 };
	build_port_unreachable_udp(&p);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.type, 3);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.code, 3);
	CU_ASSERT_STRING_EQUAL(icmp_code_name(3, 3), "port unreachable");
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.inner.version, 4);
	CU_ASSERT_EQUAL(memcmp(pkt.inner.src, LO4B, 4), 0);
	CU_ASSERT_EQUAL(memcmp(pkt.inner.dst, LO4, 4), 0);
	CU_ASSERT_EQUAL(pkt.inner.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.inner.u.udp.sport, 40000);
	CU_ASSERT_EQUAL(pkt.inner.u.udp.dport, 9999);
	CU_ASSERT_EQUAL(pkt.inner.payload_wire, 5);
	CU_ASSERT_EQUAL(pkt.inner.payload_cap, 0);
	/* The outer packet is still the ICMP one. */
	CU_ASSERT_EQUAL(memcmp(pkt.ip.src, LO4, 4), 0);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_ICMP);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 42, LAYER_ICMP, CUT_OUTER }, { 43, LAYER_NONE, CUT_OK },
				    { 62, LAYER_IPV4, CUT_INNER }, { 70, LAYER_UDP, CUT_INNER } };
	CU_ASSERT_EQUAL(check_prefixes("icmp port unreachable/udp", LT_EN10MB, p.b, p.n, cuts, 6), 0);
}

static void test_quoted_tcp_has_ports_and_seq_only(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 1, LO4, LO4B, 0);
	add_icmp(&p, 3, 4, 1400); /* fragmentation needed, next-hop MTU 1400 */
	size_t q = pb_ipv4(&p, 6, LO4B, LO4, 0);
	pb_be16(&p, 5555);
	pb_be16(&p, 80);
	pb_be32(&p, 0x77777777);
	pb_set16(&p, q + 2, 1500);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK); /* a quoted packet is cut by design */
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.mtu, 1400);
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.inner.have & (HAVE_IP | HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS),
			HAVE_IP | HAVE_PORTS | HAVE_SEQ);
	CU_ASSERT_EQUAL(pkt.inner.u.tcp.sport, 5555);
	CU_ASSERT_EQUAL(pkt.inner.u.tcp.seq, 0x77777777u);
	CU_ASSERT_EQUAL(pkt.inner.status, DEC_TRUNCATED);
	CU_ASSERT_EQUAL(pkt.inner.trunc_layer, LAYER_TCP);
	free(buf);
}

static void test_error_quoting_error_decodes_one_level(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 1, LO4, LO4B, 0);
	add_icmp(&p, 11, 0, 0); /* time exceeded */
	size_t q = pb_ipv4(&p, 1, LO4B, LO4, 0);
	add_icmp(&p, 3, 1, 0);  /* a host unreachable, itself quoting a packet... */
	pb_ipv4(&p, 17, LO4, LO4, 0);
	pb_udp(&p, 1, 2, 0);
	pb_set16(&p, q + 2, (uint16_t)(p.n - q));
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.type, 11);
	CU_ASSERT_STRING_EQUAL(icmp_code_name(11, 0), "TTL exceeded in transit");
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.l4, L4_ICMP);
	CU_ASSERT_EQUAL(pkt.inner.u.icmp.type, 3);
	CU_ASSERT_EQUAL(pkt.inner.u.icmp.code, 1);
	/* ...which is not decoded: inner still describes the first quoted packet. */
	CU_ASSERT_EQUAL(memcmp(pkt.inner.src, LO4B, 4), 0);
	CU_ASSERT_EQUAL(pkt.inner.proto, 1);
	free(buf);
}

static void test_redirect_gateway_and_param_problem_pointer(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 1, LO4, LO4B, 0);
	add_icmp(&p, 5, 1, 0x7f000009);
	size_t q = pb_ipv4(&p, 17, LO4B, LO4, 0);
	pb_udp(&p, 1, 2, 0);
	pb_ipv4_end(&p, q);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.gateway[0], 127);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.gateway[3], 9);
	CU_ASSERT_STRING_EQUAL(icmp_code_name(5, 1), "redirect for host");
	CU_ASSERT_TRUE(pkt.has_inner);
	free(buf);

	struct pb r = { .n = 0 };
	ip = pb_ipv4(&r, 1, LO4, LO4B, 0);
	add_icmp(&r, 12, 0, 0x09000000); /* pointer 9 */
	q = pb_ipv4(&r, 17, LO4B, LO4, 0);
	pb_udp(&r, 1, 2, 0);
	pb_ipv4_end(&r, q);
	pb_ipv4_end(&r, ip);
	buf = decode_copy(&pkt, LT_RAW, r.b, r.n, r.n);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.pointer, 9);
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.u.udp.dport, 2);
	free(buf);
}

static void test_quoted_bad_header_stays_in_inner(void)
{
	struct pb p = { .n = 0 };
	build_port_unreachable_udp(&p);
	p.b[42] = 0x43; /* quoted IHL 3 */
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.inner.bad_layer, LAYER_IPV4);
	free(buf);
}

/* ICMPv6 ------------------------------------------------------------------------------------------ */

static void test_icmp6_echo(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	add_icmp(&p, 128, 0, 0x00420007);
	pb_fill(&p, 0, 8);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_ICMP6);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.id, 0x42);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.seq, 7);
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(128), "echo request");
	free(buf);
}

static void test_icmp6_port_unreachable_quotes_udp(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	add_icmp(&p, 1, 4, 0);
	size_t q = pb_ipv6(&p, 17, LO6, LO6);
	pb_udp(&p, 41000, 9, 3);
	pb_fill(&p, 'x', 3);
	pb_ipv6_end(&p, q);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.type, 1);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.code, 4);
	CU_ASSERT_STRING_EQUAL(icmp6_code_name(1, 4), "port unreachable");
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.inner.version, 6);
	CU_ASSERT_EQUAL(pkt.inner.l4, L4_UDP);
	CU_ASSERT_EQUAL(pkt.inner.u.udp.sport, 41000);
	CU_ASSERT_EQUAL(pkt.inner.u.udp.dport, 9);
	CU_ASSERT_EQUAL(pkt.inner.payload_wire, 3);
	CU_ASSERT_EQUAL(pkt.inner.payload_cap, 3);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 54, LAYER_IPV6, CUT_OUTER },
				    { 62, LAYER_ICMP6, CUT_OUTER }, { 63, LAYER_NONE, CUT_OK },
				    { 102, LAYER_IPV6, CUT_INNER }, { 110, LAYER_UDP, CUT_INNER },
				    { 113, LAYER_NONE, CUT_INNER_OK } };
	CU_ASSERT_EQUAL(check_prefixes("icmp6 port unreachable/udp", LT_EN10MB, p.b, p.n, cuts, 7), 0);
}

static void test_icmp6_packet_too_big_mtu(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	add_icmp(&p, 2, 0, 1280);
	size_t q = pb_ipv6(&p, 6, LO6, LO6);
	pb_tcp(&p, 2000, 443, 99, 100, TCP_ACK, 512, NULL, 0);
	pb_fill(&p, 'b', 1300 - 60 - 20); /* as much of the original as fits */
	pb_set16(&p, q + 4, 4000);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.mtu, 1280);
	CU_ASSERT_TRUE(pkt.has_inner);
	CU_ASSERT_EQUAL(pkt.inner.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.inner.u.tcp.dport, 443);
	CU_ASSERT_EQUAL(pkt.inner.u.tcp.ack, 100);
	CU_ASSERT_EQUAL(pkt.inner.payload_wire, 4000 - 20);
	free(buf);
}

static void test_icmp6_neighbor_solicitation_target(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	add_icmp(&p, 135, 0, 0);
	pb_bytes(&p, LO6, 16);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_ND_TARGET);
	CU_ASSERT_EQUAL(memcmp(pkt.ip.u.icmp.nd_target, LO6, 16), 0);
	CU_ASSERT_FALSE(pkt.has_inner);
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(135), "neighbor solicitation");
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 54, LAYER_IPV6, CUT_OUTER },
				    { 78, LAYER_ICMP6, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("icmp6 neighbor solicitation", LT_EN10MB, p.b, p.n, cuts, 3), 0);
}

static void test_icmp6_neighbor_advertisement_flags(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	add_icmp(&p, 136, 0, 0x60000000); /* S and O */
	pb_bytes(&p, LO6, 16);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.nd_flags, 0x60);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_ND_TARGET);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.nd_target[15], 1);
	free(buf);
}

static void test_icmp6_ra_and_mld_named(void)
{
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(133), "router solicitation");
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(134), "router advertisement");
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(137), "redirect");
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(130), "multicast listener query");
	CU_ASSERT_STRING_EQUAL(icmp6_type_name(143), "multicast listener report v2");
	CU_ASSERT_STRING_EQUAL(icmp6_code_name(3, 0), "hop limit exceeded in transit");
	CU_ASSERT_PTR_NULL(icmp6_code_name(128, 0));
	CU_ASSERT_TRUE(icmp6_is_error(2));
	CU_ASSERT_FALSE(icmp6_is_error(135));
}

int register_test_decode_icmp(void)
{
	CU_pSuite s = CU_add_suite("decode_icmp", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "echo request id/seq; truncations", test_echo_request_id_seq) ||
	    !CU_add_test(s, "port unreachable quotes UDP; truncations", test_port_unreachable_quotes_udp) ||
	    !CU_add_test(s, "quoted TCP has ports and seq only; MTU", test_quoted_tcp_has_ports_and_seq_only) ||
	    !CU_add_test(s, "error quoting an error decodes one level", test_error_quoting_error_decodes_one_level) ||
	    !CU_add_test(s, "redirect gateway, parameter problem pointer", test_redirect_gateway_and_param_problem_pointer) ||
	    !CU_add_test(s, "bad quoted header stays in inner", test_quoted_bad_header_stays_in_inner) ||
	    !CU_add_test(s, "ICMPv6 echo", test_icmp6_echo) ||
	    !CU_add_test(s, "ICMPv6 port unreachable quotes UDP; truncations", test_icmp6_port_unreachable_quotes_udp) ||
	    !CU_add_test(s, "ICMPv6 packet too big MTU", test_icmp6_packet_too_big_mtu) ||
	    !CU_add_test(s, "ICMPv6 NS target; truncations", test_icmp6_neighbor_solicitation_target) ||
	    !CU_add_test(s, "ICMPv6 NA flags and target", test_icmp6_neighbor_advertisement_flags) ||
	    !CU_add_test(s, "ICMPv6 RS/RA/redirect/MLD names", test_icmp6_ra_and_mld_named))
		return -1;
	return 0;
}
