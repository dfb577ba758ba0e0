/* test_decode_tcp.c — TCP header, all nine flags, every option kind we name, and bad option lengths. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;

/* Ethernet + IPv4 + TCP with the given options and payload bytes; returns the TCP offset (34). */
static size_t build(struct pb *p, uint16_t flags, const uint8_t *opts, size_t optlen, size_t payload)
{
	pb_eth(p, 0x0800);
	size_t ip = pb_ipv4(p, 6, LO4, LO4B, 0);
	pb_tcp(p, 40000, 8080, 0x01020304u, 0xa0b0c0d0u, flags, 43690, opts, optlen);
	pb_fill(p, 'q', payload);
	pb_ipv4_end(p, ip);
	return ip + 20;
}

static void test_syn_options_mss_wscale_sackok_ts(void)
{
	/* As Linux sends them: mss 65495, sackOK, TS val 1 ecr 0, nop, wscale 7. */
	static const uint8_t opts[20] = { 2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };
	struct pb p = { .n = 0 };
	build(&p, TCP_SYN, opts, sizeof opts, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	const struct tcp_hdr *t = &pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.l4, L4_TCP);
	CU_ASSERT_EQUAL(t->sport, 40000);
	CU_ASSERT_EQUAL(t->dport, 8080);
	CU_ASSERT_EQUAL(t->seq, 0x01020304u);
	CU_ASSERT_EQUAL(t->ack, 0xa0b0c0d0u);
	CU_ASSERT_EQUAL(t->flags, TCP_SYN);
	CU_ASSERT_EQUAL(t->hdr_len, 40);
	CU_ASSERT_EQUAL(t->win, 43690);
	CU_ASSERT_EQUAL(t->sum, 0xbeef);
	CU_ASSERT_EQUAL(t->opt_have, TCPOPT_HAVE_MSS | TCPOPT_HAVE_WSCALE | TCPOPT_HAVE_SACK_OK | TCPOPT_HAVE_TS);
	CU_ASSERT_EQUAL(t->mss, 65495);
	CU_ASSERT_EQUAL(t->wscale, 7);
	CU_ASSERT_EQUAL(t->tsval, 1);
	CU_ASSERT_EQUAL(t->tsecr, 0);
	CU_ASSERT_EQUAL(t->nopt, 5);
	CU_ASSERT_EQUAL(t->opt[0].kind, 2);
	CU_ASSERT_EQUAL(t->opt[0].len, 4);
	CU_ASSERT_EQUAL(t->opt[1].kind, 4);
	CU_ASSERT_EQUAL(t->opt[2].kind, 8);
	CU_ASSERT_EQUAL(t->opt[2].len, 10);
	CU_ASSERT_EQUAL(t->opt[3].kind, 1);
	CU_ASSERT_EQUAL(t->opt[3].len, 1);
	CU_ASSERT_EQUAL(t->opt[4].kind, 3);
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN | HAVE_TCPOPTS |
				       HAVE_PAYLOAD),
			HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN | HAVE_TCPOPTS | HAVE_PAYLOAD);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 0);
	free(buf);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 74, LAYER_TCP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("tcp syn options", LT_EN10MB, p.b, p.n, cuts, 3), 0);
}

static void test_sack_blocks_and_timestamps(void)
{
	/* nop nop TS(10) nop nop SACK with 2 blocks (18) = 32 bytes. */
	static const uint8_t opts[32] = {
		1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		1, 1, 5, 18, 0, 0, 0x10, 0, 0, 0, 0x20, 0, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10,
	};
	struct pb p = { .n = 0 };
	build(&p, TCP_ACK, opts, sizeof opts, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	const struct tcp_hdr *t = &pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(t->opt_have & TCPOPT_HAVE_TS);
	CU_ASSERT_EQUAL(t->tsval, 0x11223344u);
	CU_ASSERT_EQUAL(t->tsecr, 0x55667788u);
	CU_ASSERT_TRUE(t->opt_have & TCPOPT_HAVE_SACK);
	CU_ASSERT_EQUAL(t->nsack, 2);
	CU_ASSERT_EQUAL(t->sack[0].left, 0x1000);
	CU_ASSERT_EQUAL(t->sack[0].right, 0x2000);
	CU_ASSERT_EQUAL(t->sack[1].left, 0xfffffff0u);
	CU_ASSERT_EQUAL(t->sack[1].right, 0x10);
	CU_ASSERT_EQUAL(t->nopt, 6);
	free(buf);
}

static void test_four_sack_blocks_fill_the_area(void)
{
	uint8_t opts[40] = { 1, 1, 5, 34 };
	for (int i = 0; i < 8; i++)
		opts[4 + 4 * i + 3] = (uint8_t)(i + 1);
	struct pb p = { .n = 0 };
	build(&p, TCP_ACK, opts, sizeof opts, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.hdr_len, 60);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.nsack, 4);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.sack[3].left, 7);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.sack[3].right, 8);
	free(buf);
}

static void test_unknown_kinds_recorded_and_eol_ends_list(void)
{
	/* TFO cookie (34, len 10), experimental 254 len 4, EOL, then padding that must be ignored. */
	static const uint8_t opts[20] = { 34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 254, 4, 0xf9, 0x89, 0, 2, 9, 9, 9, 9 };
	struct pb p = { .n = 0 };
	build(&p, TCP_SYN, opts, sizeof opts, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	const struct tcp_hdr *t = &pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(t->nopt, 3);
	CU_ASSERT_EQUAL(t->opt[0].kind, 34);
	CU_ASSERT_EQUAL(t->opt[0].len, 10);
	CU_ASSERT_EQUAL(t->opt[1].kind, 254);
	CU_ASSERT_EQUAL(t->opt[1].len, 4);
	CU_ASSERT_EQUAL(t->opt[2].kind, 0);
	CU_ASSERT_EQUAL(t->opt_have, 0); /* the bytes "2 9" after EOL are not an MSS option */
	free(buf);
}

/* The common area NOP, NOP, TS (read as three words) gives what the option-by-option walk gives for the
   same options in another order, and areas that only resemble it take the walk. */
static void test_nop_nop_timestamps_area_matches_the_general_walk(void)
{
	static const uint8_t common[12] = { 1, 1, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0x30, 0x39 };
	static const uint8_t reordered[12] = { 8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0x30, 0x39, 1, 1 };
	static const uint8_t bad_len[12] = { 1, 1, 8, 11, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0x30, 0x39 };
	struct pb p = { .n = 0 };
	build(&p, TCP_ACK, common, sizeof common, 7);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	struct tcp_hdr a = pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 7);
	CU_ASSERT_EQUAL(a.opt_have, TCPOPT_HAVE_TS);
	CU_ASSERT_EQUAL(a.tsval, 0xdeadbeefu);
	CU_ASSERT_EQUAL(a.tsecr, 12345u);
	CU_ASSERT_EQUAL(a.nopt, 3);
	CU_ASSERT_TRUE(a.opt[0].kind == 1 && a.opt[0].len == 1 && a.opt[1].kind == 1 && a.opt[1].len == 1);
	CU_ASSERT_TRUE(a.opt[2].kind == 8 && a.opt[2].len == 10);
	free(buf);
	p.n = 0;
	build(&p, TCP_ACK, reordered, sizeof reordered, 7);
	buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	const struct tcp_hdr *b = &pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(b->opt_have, a.opt_have);
	CU_ASSERT_EQUAL(b->tsval, a.tsval);
	CU_ASSERT_EQUAL(b->tsecr, a.tsecr);
	CU_ASSERT_EQUAL(b->nopt, a.nopt);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 7);
	free(buf);
	p.n = 0;
	build(&p, TCP_ACK, bad_len, sizeof bad_len, 0); /* TS of length 11: the walk calls it invalid */
	buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.opt_have & TCPOPT_HAVE_TS, 0);
	free(buf);
}

static void test_all_nine_flags(void)
{
	struct pb p = { .n = 0 };
	build(&p, 0x1ff, NULL, 0, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	char s[12];
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.flags, 0x1ff);
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(pkt.ip.u.tcp.flags, s), "FSRP.UEWe");
	free(buf);
	struct pb q = { .n = 0 };
	build(&q, TCP_NS | TCP_ACK, NULL, 0, 0);
	buf = decode_copy(&pkt, LT_EN10MB, q.b, q.n, q.n);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.flags, TCP_NS | TCP_ACK);
	free(buf);
}

static void test_payload_length_from_ip_length(void)
{
	static const uint8_t opts[12] = { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 };
	struct pb p = { .n = 0 };
	size_t tcp = build(&p, TCP_PSH | TCP_ACK, opts, sizeof opts, 123);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 123);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 123);
	CU_ASSERT_PTR_EQUAL(pkt.ip.payload, buf + tcp + 32);
	CU_ASSERT_EQUAL(pkt.ip.payload[0], 'q');
	free(buf);
}

static void test_data_offset_below_5_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t tcp = build(&p, TCP_ACK, NULL, 0, 0);
	p.b[tcp + 12] = 0x40;
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_TCP);
	CU_ASSERT_STRING_EQUAL(pkt.bad_field, "data offset < 5");
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_FLAGS);
	CU_ASSERT_FALSE(pkt.ip.have & HAVE_TCPOPTS);
	free(buf);
}

static void test_data_offset_beyond_ip_length_is_invalid(void)
{
	struct pb p = { .n = 0 };
	size_t tcp = build(&p, TCP_ACK, NULL, 0, 4);
	p.b[tcp + 12] = 0xf0; /* 60-byte header in a 24-byte segment */
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_TCP);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_WIN);
	free(buf);
}

/* Each options area must make the packet invalid in the TCP layer, not crash and not truncate. */
static void test_bad_option_lengths_are_invalid(void)
{
	static const uint8_t bad[][8] = {
		{ 2, 0, 0, 0, 0, 0, 0, 0 },  /* length 0 */
		{ 2, 1, 0, 0, 0, 0, 0, 0 },  /* length 1 */
		{ 1, 1, 1, 1, 1, 1, 2, 4 },  /* MSS running past the area */
		{ 1, 1, 1, 1, 1, 1, 1, 2 },  /* kind with no length byte left */
		{ 2, 5, 1, 2, 3, 1, 1, 1 },  /* MSS of length 5 */
		{ 3, 4, 7, 0, 1, 1, 1, 1 },  /* window scale of length 4 */
		{ 5, 6, 0, 0, 0, 0, 1, 1 },  /* SACK of length 6 */
		{ 8, 8, 0, 0, 0, 0, 0, 0 },  /* timestamps of length 8 */
		{ 4, 3, 0, 1, 1, 1, 1, 1 },  /* SACK-permitted of length 3 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pb p = { .n = 0 };
		build(&p, TCP_SYN, bad[i], 8, 0);
		uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
		CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
		CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_TCP);
		CU_ASSERT_PTR_NOT_NULL(pkt.bad_field);
		CU_ASSERT_EQUAL(pkt.ip.u.tcp.sport, 40000); /* the header is still there */
		free(buf);
	}
}

static void test_truncated_options_are_truncated_not_invalid(void)
{
	static const uint8_t opts[12] = { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 };
	struct pb p = { .n = 0 };
	build(&p, TCP_ACK, opts, sizeof opts, 10);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 66, LAYER_TCP, CUT_OUTER }, { 76, LAYER_NONE, CUT_OK } };
	CU_ASSERT_EQUAL(check_prefixes("tcp ts options + payload", LT_EN10MB, p.b, p.n, cuts, 4), 0);
	/* Have-bits follow exactly what was read: cut after the sequence number. */
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 34 + 8, p.n);
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS), HAVE_PORTS | HAVE_SEQ);
	free(buf);
}

int register_test_decode_tcp(void)
{
	CU_pSuite s = CU_add_suite("decode_tcp", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "SYN options MSS, wscale, SACK-permitted, TS; truncations", test_syn_options_mss_wscale_sackok_ts) ||
	    !CU_add_test(s, "SACK blocks and timestamps", test_sack_blocks_and_timestamps) ||
	    !CU_add_test(s, "four SACK blocks fill the options area", test_four_sack_blocks_fill_the_area) ||
	    !CU_add_test(s, "unknown kinds recorded, EOL ends the list", test_unknown_kinds_recorded_and_eol_ends_list) ||
	    !CU_add_test(s, "NOP NOP timestamps area matches the general walk",
			 test_nop_nop_timestamps_area_matches_the_general_walk) ||
	    !CU_add_test(s, "all nine flags", test_all_nine_flags) ||
	    !CU_add_test(s, "payload length from IP length", test_payload_length_from_ip_length) ||
	    !CU_add_test(s, "data offset below 5 is invalid", test_data_offset_below_5_is_invalid) ||
	    !CU_add_test(s, "data offset beyond IP length is invalid", test_data_offset_beyond_ip_length_is_invalid) ||
	    !CU_add_test(s, "bad option lengths are invalid", test_bad_option_lengths_are_invalid) ||
	    !CU_add_test(s, "cut options are truncated; have-bits as read", test_truncated_options_are_truncated_not_invalid))
		return -1;
	return 0;
}
