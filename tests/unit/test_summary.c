/* test_summary.c — a packet summed up once: what the list, the ladder and the explanations read, from real decoded bytes and a tracked flow. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"
#include "track/flow.h"
#include "track/summary.h"

/* A SYN 127.0.0.1:40000 > 127.0.0.2:8888 with mss 65495, sackOK, TS and wscale 7, and 5 payload bytes. */
static size_t build_syn(struct pb *p)
{
	static const uint8_t opts[] = { 2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };
	memset(p, 0, sizeof *p);
	size_t ip = pb_ipv4(p, 6, LO4, LO4B, 0);
	pb_tcp(p, 40000, 8888, 1000, 0, TCP_SYN, 65495, opts, sizeof opts);
	pb_bytes(p, "hello", 5);
	pb_ipv4_end(p, ip);
	return p->n;
}

static void test_a_tracked_syn_keeps_ports_options_payload_and_states(void)
{
	struct pb b;
	size_t n = build_syn(&b);
	struct packet pkt;
	uint8_t *buf = decode_copy(&pkt, LT_RAW_LINKTYPE, b.b, n, n);
	pkt.n = 7;
	pkt.ts_sec = 1700000000;
	pkt.ts_nsec = 5000;
	struct flow_table *t = flowtab_new(8);
	struct track_result tr;
	flow_track(t, &pkt, &tr);
	struct pkt_summary s;
	summary_from(&s, &pkt, &tr);
	CU_ASSERT_EQUAL(s.n, 7);
	CU_ASSERT_EQUAL(s.ts_ns, 1700000000000005000LL);
	CU_ASSERT_EQUAL(s.flow_id, tr.flow->id);
	CU_ASSERT_EQUAL(s.af, 4);
	CU_ASSERT_EQUAL(s.l4, L4_TCP);
	CU_ASSERT_TRUE(s.has_ports);
	CU_ASSERT_EQUAL(s.sport, 40000);
	CU_ASSERT_EQUAL(s.dport, 8888);
	CU_ASSERT_EQUAL(s.tcpflags, TCP_SYN);
	CU_ASSERT_EQUAL(s.win, 65495);
	CU_ASSERT_EQUAL(s.synopt, TCPOPT_HAVE_MSS | TCPOPT_HAVE_SACK_OK | TCPOPT_HAVE_TS | TCPOPT_HAVE_WSCALE);
	CU_ASSERT_EQUAL(s.mss, 65495);
	CU_ASSERT_EQUAL(s.wscale, 7);
	CU_ASSERT_EQUAL(s.payload, 5);
	CU_ASSERT_EQUAL(s.pl_cap, 5);
	CU_ASSERT_EQUAL(memcmp(buf + s.pl_off, "hello", 5), 0);
	CU_ASSERT_EQUAL(s.after[DIR_C2S], TCPS_SYN_SENT);
	CU_ASSERT_TRUE(s.events & EV_NEW_FLOW);
	CU_ASSERT_EQUAL(memcmp(s.src, LO4, 4), 0);
	CU_ASSERT_PTR_NULL(summary_proto_name(&s));
	CU_ASSERT_STRING_EQUAL(summary_problem_layer(&s), "");
	flowtab_free(t);
	free(buf);
}

static void test_fields_not_captured_are_zero_whatever_an_earlier_packet_held(void)
{
	struct pb b;
	size_t n = build_syn(&b);
	struct packet pkt;
	uint8_t *buf = decode_copy(&pkt, LT_RAW_LINKTYPE, b.b, n, n);
	free(buf);
	/* the same struct decoded again from bytes cut inside the TCP header (after the ports and seq) */
	buf = decode_copy(&pkt, LT_RAW_LINKTYPE, b.b, 20 + 10, n);
	struct pkt_summary s;
	summary_from(&s, &pkt, NULL);
	CU_ASSERT_EQUAL(s.status, DEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(summary_problem_layer(&s), "tcp");
	CU_ASSERT_EQUAL(s.seq, 1000);
	CU_ASSERT_EQUAL(s.tcpflags, 0);
	CU_ASSERT_EQUAL(s.win, 0);
	CU_ASSERT_EQUAL(s.synopt, 0);
	CU_ASSERT_EQUAL(s.flow_id, 0);
	free(buf);
}

static void test_icmp_names_come_from_the_type_and_code_kept(void)
{
	struct pb b;
	memset(&b, 0, sizeof b);
	size_t ip = pb_ipv4(&b, 1, LO4, LO4B, 0);
	pb_u8(&b, 8); /* echo request */
	pb_u8(&b, 0);
	pb_be16(&b, 0);
	pb_be16(&b, 77); /* id */
	pb_be16(&b, 3);  /* seq */
	pb_ipv4_end(&b, ip);
	struct packet pkt;
	uint8_t *buf = decode_copy(&pkt, LT_RAW_LINKTYPE, b.b, b.n, b.n);
	struct pkt_summary s;
	summary_from(&s, &pkt, NULL);
	CU_ASSERT_TRUE(s.has_icmp);
	CU_ASSERT_FALSE(s.icmp_err);
	CU_ASSERT_EQUAL(s.sport, 77);
	CU_ASSERT_EQUAL(s.dport, 3);
	CU_ASSERT_STRING_EQUAL(summary_icmp_name(&s), "echo request");
	CU_ASSERT_PTR_NULL(summary_icmp_code_name(&s));
	free(buf);
	/* a link type not decoded: named from the link type kept */
	uint8_t junk[4] = { 1, 2, 3, 4 };
	buf = decode_copy(&pkt, LT_PPP, junk, sizeof junk, sizeof junk);
	summary_from(&s, &pkt, NULL);
	CU_ASSERT_TRUE(s.link_unsupported);
	CU_ASSERT_PTR_NOT_NULL(summary_l3_name(&s));
	free(buf);
}

int register_test_summary(void)
{
	CU_pSuite s = CU_add_suite("summary", NULL, NULL);
	if (!s)
		return -1;
	CU_add_test(s, "a tracked SYN keeps ports, options, payload and states",
		    test_a_tracked_syn_keeps_ports_options_payload_and_states);
	CU_add_test(s, "fields not captured are zero whatever an earlier packet held",
		    test_fields_not_captured_are_zero_whatever_an_earlier_packet_held);
	CU_add_test(s, "ICMP names come from the type and code kept", test_icmp_names_come_from_the_type_and_code_kept);
	return 0;
}
