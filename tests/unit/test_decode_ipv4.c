/* test_decode_ipv4.c — IPv4 header fields, options and their walk, fragments, padding, TSO and invalid headers. */
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

static void test_options_are_kept_in_place_and_cut_headers_truncate(void)
{
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 6, LO4, LO4B, 8);
	pb_tcp(&p, 1111, 2222, 7, 0, TCP_SYN, 100, NULL, 0);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.hdr_len, 28);
	CU_ASSERT_EQUAL(pkt.ip.ip_opts_len, 8);
	CU_ASSERT_PTR_EQUAL(pkt.ip.ip_opts, buf + 20);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_TCP);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.sport, 1111);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.seq, 7);
	free(buf);
	/* Cut inside the options: the header is truncated and no options are handed out. */
	buf = decode_copy(&pkt, LT_RAW, p.b, 25, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_IP);
	CU_ASSERT_EQUAL(pkt.ip.ip_opts_len, 8);
	CU_ASSERT_PTR_NULL(pkt.ip.ip_opts);
	free(buf);
	/* Without options: none. */
	struct pb q = { .n = 0 };
	ip = pb_ipv4(&q, 17, LO4, LO4B, 0);
	pb_udp(&q, 1, 2, 0);
	pb_ipv4_end(&q, ip);
	buf = decode_copy(&pkt, LT_RAW, q.b, q.n, q.n);
	CU_ASSERT_PTR_NULL(pkt.ip.ip_opts);
	free(buf);
	const struct cut cuts[] = { { 28, LAYER_IPV4, CUT_OUTER }, { 48, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("ipv4 options/tcp", LT_RAW, p.b, p.n, cuts, 2), 0);
}

/* Walks n option bytes into o[] (at most max); returns how many options came out. */
static unsigned walk_opts(const uint8_t *b, size_t n, struct ipv4_opt *o, unsigned max)
{
	struct cursor c = cursor_make(b, n);
	unsigned k = 0;
	while (k < max && ipv4_opt_next(&c, &o[k]))
		k++;
	CU_ASSERT_TRUE(c.p <= c.end);
	return k;
}

static void test_route_options_slots_and_pointer(void)
{
	/* NOP, then record route with 2 slots, the first filled (pointer 8), as a packet's header holds it. */
	const uint8_t rr[] = { 1, 7, 11, 8, 127, 0, 0, 1, 0, 0, 0, 0 };
	struct pb p = { .n = 0 };
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, sizeof rr);
	memcpy(p.b + ip + 20, rr, sizeof rr);
	pb_udp(&p, 1, 2, 0);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_RAW, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.udp.dport, 2);
	struct ipv4_opt o[8];
	CU_ASSERT_EQUAL_FATAL(walk_opts(pkt.ip.ip_opts, pkt.ip.ip_opts_len, o, 8), 2);
	CU_ASSERT_EQUAL(o[0].type, IPOPT_NOP);
	CU_ASSERT_EQUAL(o[0].len, 1);
	CU_ASSERT_EQUAL(o[1].type, IPOPT_RR);
	CU_ASSERT_EQUAL(o[1].len, 11);
	CU_ASSERT_EQUAL(o[1].ptr, 8);
	CU_ASSERT_EQUAL(o[1].nslot, 2);
	CU_ASSERT_EQUAL(o[1].nused, 1);
	CU_ASSERT_EQUAL(o[1].slot_size, 4);
	CU_ASSERT_PTR_EQUAL(o[1].slots, buf + 20 + 4);
	CU_ASSERT_FALSE(o[1].ptr_bad);
	CU_ASSERT_PTR_NULL(o[1].bad);
	free(buf);

	/* Pointers: empty (4), full (12 = length + 1), beyond, inside a slot, before the first slot. */
	const struct {
		uint8_t ptr, nused;
		bool bad;
	} ptrs[] = { { 4, 0, false }, { 12, 2, false }, { 16, 2, true }, { 9, 1, true }, { 3, 0, true }, { 0, 0, true } };
	for (unsigned i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++) {
		uint8_t b[] = { IPOPT_LSRR, 11, ptrs[i].ptr, 127, 0, 0, 2, 127, 0, 0, 3, 0 };
		CU_ASSERT_EQUAL_FATAL(walk_opts(b, sizeof b, o, 8), 2); /* LSRR, then the trailing EOL */
		CU_ASSERT_EQUAL(o[0].nused, ptrs[i].nused);
		CU_ASSERT_EQUAL(o[0].ptr_bad, ptrs[i].bad);
		CU_ASSERT_EQUAL(o[1].type, IPOPT_EOL);
	}
	/* A route option too short for its pointer. */
	const uint8_t shortrr[] = { IPOPT_RR, 2, IPOPT_NOP, IPOPT_NOP };
	CU_ASSERT_EQUAL_FATAL(walk_opts(shortrr, sizeof shortrr, o, 8), 3);
	CU_ASSERT_STRING_EQUAL(o[0].bad, "length below 3");
	CU_ASSERT_PTR_NULL(o[0].slots);
	CU_ASSERT_EQUAL(o[2].type, IPOPT_NOP);
}

static void test_timestamp_option_flags(void)
{
	struct ipv4_opt o[4];
	/* Timestamps only: two 4-byte slots, both used (pointer 13 = length + 1). */
	const uint8_t only[] = { IPOPT_TS, 12, 13, 0x00, 0, 0, 3, 232, 0, 0, 7, 208 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(only, sizeof only, o, 4), 1);
	CU_ASSERT_EQUAL(o[0].ts_flag, IPOPT_TS_ONLY);
	CU_ASSERT_EQUAL(o[0].slot_size, 4);
	CU_ASSERT_EQUAL(o[0].nslot, 2);
	CU_ASSERT_EQUAL(o[0].nused, 2);
	CU_ASSERT_FALSE(o[0].ptr_bad);
	CU_ASSERT_PTR_EQUAL(o[0].slots, only + 4);
	/* Address and timestamp, overflow 2: two 8-byte slots, one used. */
	const uint8_t addr[] = { IPOPT_TS, 20, 13, 0x21, 127, 0, 0, 1, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(addr, sizeof addr, o, 4), 1);
	CU_ASSERT_EQUAL(o[0].ts_flag, IPOPT_TS_ADDR);
	CU_ASSERT_EQUAL(o[0].ts_overflow, 2);
	CU_ASSERT_EQUAL(o[0].slot_size, 8);
	CU_ASSERT_EQUAL(o[0].nslot, 2);
	CU_ASSERT_EQUAL(o[0].nused, 1);
	CU_ASSERT_PTR_NULL(o[0].bad);
	/* Prespecified addresses: flag 3, 8-byte slots. */
	const uint8_t pre[] = { IPOPT_TS, 12, 5, 0x03, 127, 0, 0, 1, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(pre, sizeof pre, o, 4), 1);
	CU_ASSERT_EQUAL(o[0].ts_flag, IPOPT_TS_PRESPEC);
	CU_ASSERT_EQUAL(o[0].nslot, 1);
	CU_ASSERT_EQUAL(o[0].nused, 0);
	/* Flag 2 is not defined. */
	const uint8_t flag2[] = { IPOPT_TS, 8, 5, 0x02, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(flag2, sizeof flag2, o, 4), 1);
	CU_ASSERT_STRING_EQUAL(o[0].bad, "unknown timestamp flag");
	/* Too short to hold the pointer and flags. */
	const uint8_t tiny[] = { IPOPT_TS, 3, 5, IPOPT_EOL };
	CU_ASSERT_EQUAL_FATAL(walk_opts(tiny, sizeof tiny, o, 4), 2);
	CU_ASSERT_STRING_EQUAL(o[0].bad, "length below 4");
}

static void test_option_lengths_and_list_end(void)
{
	struct ipv4_opt o[8];
	/* Router alert, then NOP; an RA of length 6 is flagged and the walk goes on after it. */
	const uint8_t ra[] = { IPOPT_RA, 4, 0, 0, IPOPT_RA, 6, 0, 1, 0, 0, IPOPT_NOP, IPOPT_NOP };
	CU_ASSERT_EQUAL_FATAL(walk_opts(ra, sizeof ra, o, 8), 4);
	CU_ASSERT_EQUAL(o[0].ra_value, 0);
	CU_ASSERT_PTR_NULL(o[0].bad);
	CU_ASSERT_STRING_EQUAL(o[1].bad, "length not 4");
	CU_ASSERT_EQUAL(o[2].type, IPOPT_NOP);
	CU_ASSERT_EQUAL(o[3].type, IPOPT_NOP);
	/* EOL ends the list: what follows is padding, even when it looks like options. */
	const uint8_t eol[] = { IPOPT_NOP, IPOPT_EOL, IPOPT_RR, 7, 4, 0, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(eol, sizeof eol, o, 8), 2);
	CU_ASSERT_EQUAL(o[1].type, IPOPT_EOL);
	/* Lengths 0 and 1, a length beyond the area, a missing length byte: flagged, and the walk ends. */
	const uint8_t len1[] = { 99, 1, IPOPT_NOP, IPOPT_NOP };
	CU_ASSERT_EQUAL_FATAL(walk_opts(len1, sizeof len1, o, 8), 1);
	CU_ASSERT_STRING_EQUAL(o[0].bad, "length below 2");
	const uint8_t len0[] = { IPOPT_RR, 0, IPOPT_NOP, IPOPT_NOP };
	CU_ASSERT_EQUAL_FATAL(walk_opts(len0, sizeof len0, o, 8), 1);
	CU_ASSERT_STRING_EQUAL(o[0].bad, "length below 2");
	const uint8_t over[] = { IPOPT_NOP, 130, 11, 0 };
	CU_ASSERT_EQUAL_FATAL(walk_opts(over, sizeof over, o, 8), 2);
	CU_ASSERT_STRING_EQUAL(o[1].bad, "length beyond the options");
	CU_ASSERT_PTR_NULL(o[1].data);
	const uint8_t nolen[] = { IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, IPOPT_TS };
	CU_ASSERT_EQUAL_FATAL(walk_opts(nolen, sizeof nolen, o, 8), 4);
	CU_ASSERT_STRING_EQUAL(o[3].bad, "length byte missing");
	/* An unknown type is returned with its length and data, and the walk goes on. */
	const uint8_t unk[] = { 99, 3, 42, IPOPT_NOP };
	CU_ASSERT_EQUAL_FATAL(walk_opts(unk, sizeof unk, o, 8), 2);
	CU_ASSERT_EQUAL(o[0].len, 3);
	CU_ASSERT_EQUAL(o[0].data[0], 42);
	CU_ASSERT_PTR_NULL(o[0].bad);
	CU_ASSERT_EQUAL(o[1].type, IPOPT_NOP);
	/* Every 40-byte area from random bytes: the walk ends, each option inside the area. */
	uint32_t x = 12345;
	for (int it = 0; it < 20000; it++) {
		uint8_t b[40];
		for (size_t i = 0; i < sizeof b; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = (uint8_t)(x >> 16);
		}
		struct cursor c = cursor_make(b, sizeof b);
		struct ipv4_opt r;
		unsigned n = 0;
		while (ipv4_opt_next(&c, &r)) {
			n++;
			if (r.data)
				CU_ASSERT_TRUE(r.data >= b && r.data + (r.len - 2) <= b + sizeof b);
			if (r.slots)
				CU_ASSERT_TRUE(r.slots >= b && r.slots + (size_t)r.nslot * r.slot_size <= b + sizeof b);
			CU_ASSERT_TRUE(r.nused <= r.nslot);
		}
		CU_ASSERT_TRUE(n <= sizeof b);
	}
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
	    !CU_add_test(s, "options kept in place; a header cut in them truncates", test_options_are_kept_in_place_and_cut_headers_truncate) ||
	    !CU_add_test(s, "route options: slots and pointer", test_route_options_slots_and_pointer) ||
	    !CU_add_test(s, "timestamp option: each flag", test_timestamp_option_flags) ||
	    !CU_add_test(s, "option lengths, EOL and random areas", test_option_lengths_and_list_end) ||
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
