/* test_cut_headers.c — snaplen-cut headers: length from the IP header, fields and options up to the cut, views, analysis. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "track/flow.h"
#include "view/ladder.h"
#include "view/obuf.h"
#include "pktbuild.h"
#include "tui/tui_core.h"
#include "view/view.h"

static struct packet pkt;

/* Linux's SYN options: mss 65495, sackOK, TS val 1 ecr 0, nop, wscale 7 (20 bytes). */
static const uint8_t syn_opts[20] = { 2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };

/* Ethernet + IPv4 (127.0.0.1 > 127.0.0.2) + TCP 40000 > 8080 with opts and `payload` bytes; TCP at 34. */
static void build4(struct pb *p, uint32_t seq, uint32_t ack, uint16_t flags, const uint8_t *opts, size_t optlen,
		   size_t payload, int from_server)
{
	p->n = 0;
	pb_eth(p, 0x0800);
	size_t ip = pb_ipv4(p, 6, from_server ? LO4B : LO4, from_server ? LO4 : LO4B, 0);
	pb_tcp(p, from_server ? 8080 : 40000, from_server ? 40000 : 8080, seq, ack, flags, 512, opts, optlen);
	pb_fill(p, 'd', payload);
	pb_ipv4_end(p, ip);
}

/* The ladder's lines, appended to the buffer in arg. */
static void ladder_line(const char *line, long row, void *arg)
{
	(void)row;
	char *all = arg;
	size_t n = strlen(all);
	snprintf(all + n, 2048 - n, "%s\n", line);
}

static void test_syn_cut_inside_options_lists_those_before_the_cut(void)
{
	struct pb p;
	build4(&p, 1000, 0, TCP_SYN, syn_opts, sizeof syn_opts, 0, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 60, p.n); /* tcpdump -s 60 */
	const struct tcp_hdr *t = &pkt.ip.u.tcp;
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_EQUAL(pkt.trunc_layer, LAYER_TCP);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_TCPOPTS);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_WIN);
	CU_ASSERT_EQUAL(t->opt_have, TCPOPT_HAVE_MSS | TCPOPT_HAVE_SACK_OK | TCPOPT_CUT);
	CU_ASSERT_EQUAL(t->nopt, 2);
	CU_ASSERT_EQUAL(t->mss, 65495);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_PAYLOAD);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 0);
	CU_ASSERT_EQUAL(pkt.ip.payload_cap, 0);

	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	/* tcpdump -s 60 prints "options [mss 65495,sackOK, [|tcp]"; the line goes on with the length. */
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: Flags [S], seq 1000, win 512, "
				     "options [mss 65495,sackOK, [|tcp]], length 0\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"mss\":65495,\"sack_ok\":true,\"payload\":0,\"truncated\":\"tcp\"}"));
	CU_ASSERT_PTR_NULL(strstr(json, "tsval"));
	CU_ASSERT_PTR_NULL(strstr(json, "wscale"));

	/* The ladder's SYN label and the TUI details say the same. */
	struct flow_table *ft = flowtab_new(4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ft);
	struct track_result tr;
	flow_track(ft, &pkt, &tr);
	struct ladder_row row;
	row.is_call = false;
	summary_from(&row.pkt, &pkt, &tr);
	char lines[2048] = "";
	ladder_render(tr.flow, &row, 1, 120, ladder_line, lines);
	CU_ASSERT_PTR_NOT_NULL(strstr(lines, "|---S seq 0 win 512 mss 65495 sackOK [|tcp]---"));
	flowtab_free(ft);
	free(buf);

	/* Cut right after the fixed header: no option captured, the cut still marked. */
	buf = decode_copy(&pkt, LT_EN10MB, p.b, 54, p.n);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.nopt, 0);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.opt_have, TCPOPT_CUT);
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: Flags [S], seq 1000, win 512, "
				     "options [ [|tcp]], length 0\n");
	free(buf);
}

static void test_details_pane_marks_the_cut_options(void)
{
	struct pb p;
	build4(&p, 1000, 0, TCP_SYN, syn_opts, sizeof syn_opts, 0, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 60, p.n);
	char all[4096];
	pb_details(&pkt, all, sizeof all);
	CU_ASSERT_PTR_NOT_NULL(strstr(all, "  Options: MSS 65495, SACK-permitted, [|tcp] (the capture ends inside the options"));
	CU_ASSERT_PTR_NOT_NULL(strstr(all, "  payload 0 bytes on the wire, 0 captured\n"));
	free(buf);
}

/* Whole options in syn_opts that end within its first `area` bytes. */
static unsigned whole_options(size_t area)
{
	static const size_t ends[] = { 4, 6, 16, 17, 20 }; /* mss, sackOK, TS, nop, wscale */
	unsigned k = 0;
	while (k < 5 && ends[k] <= area)
		k++;
	return k;
}

static void test_every_cut_from_the_data_offset_on_keeps_the_wire_length(void)
{
	struct pb p;
	build4(&p, 1000, 2000, TCP_ACK | TCP_PSH, syn_opts, sizeof syn_opts, 100, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, p.n, p.n);
	struct tcp_hdr full = pkt.ip.u.tcp;
	free(buf);
	int bad = 0;
	for (size_t cap = 34; cap <= p.n; cap++) {
		buf = decode_copy(&pkt, LT_EN10MB, p.b, cap, p.n);
		const struct ip_layer *ip = &pkt.ip;
		const struct tcp_hdr *t = &ip->u.tcp;
		bool offset = cap >= 34 + 13, opts = cap >= 54, whole = cap >= 74;
		size_t area = cap >= 54 ? cap - 54 : 0;
		bool ok = ((ip->have & HAVE_PAYLOAD) != 0) == offset && ((ip->have & HAVE_TCPOPTS) != 0) == opts &&
			  (pkt.status == DEC_OK) == whole;
		if (offset)
			ok = ok && ip->payload_wire == 100 && ip->payload_cap == (whole ? cap - 74 : 0);
		if (opts && !whole) {
			unsigned k = whole_options(area);
			ok = ok && (t->opt_have & TCPOPT_CUT) && t->nopt == k &&
			     memcmp(t->opt, full.opt, k * sizeof t->opt[0]) == 0;
			ok = ok && (t->opt_have & TCPOPT_HAVE_MSS) == (k >= 1 ? TCPOPT_HAVE_MSS : 0) &&
			     (t->opt_have & TCPOPT_HAVE_TS) == (k >= 3 ? TCPOPT_HAVE_TS : 0) &&
			     (k < 3 || (t->tsval == full.tsval && t->tsecr == full.tsecr));
		}
		if (whole)
			ok = ok && !(t->opt_have & TCPOPT_CUT) && t->nopt == 5;
		if (!ok) {
			fprintf(stderr, "\ncut headers: caplen %zu: have 0x%x status %d payload %u/%u nopt %u opt_have 0x%x\n",
				cap, ip->have, pkt.status, ip->payload_wire, ip->payload_cap, t->nopt, t->opt_have);
			bad++;
		}
		free(buf);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_window_cut_keeps_the_length_and_shows_it(void)
{
	struct pb p;
	build4(&p, 1000, 2000, TCP_ACK | TCP_PSH, NULL, 0, 18, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 34 + 14, p.n); /* through the flags byte */
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_FLAGS | HAVE_WIN | HAVE_PAYLOAD), HAVE_FLAGS | HAVE_PAYLOAD);
	CU_ASSERT_EQUAL(pkt.ip.payload_wire, 18);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: Flags [P.], seq 1000, ack 2000, length 18 [|tcp]\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"payload\":18,\"truncated\":\"tcp\"}"));
	free(buf);
}

static void test_window_captured_without_urgent_pointer_is_shown(void)
{
	struct pb p;
	build4(&p, 1000, 2000, TCP_ACK | TCP_PSH | TCP_URG, NULL, 0, 18, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 34 + 18, p.n); /* through the checksum */
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_WIN | HAVE_URP | HAVE_PAYLOAD), HAVE_WIN | HAVE_PAYLOAD);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.win, 512);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	/* URG is set, but its pointer was not captured: no "urg". */
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: Flags [P.U], seq 1000, ack 2000, win 512, length 18 [|tcp]\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"win\":512,\"payload\":18,"));
	CU_ASSERT_PTR_NULL(strstr(json, "urg"));
	free(buf);
}

static void test_icmp_type_and_code_shown_when_checksum_cut(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 58, LO6, LO6);
	pb_u8(&p, 128); /* echo request */
	pb_u8(&p, 0);
	pb_be16(&p, 0x1234);
	pb_be16(&p, 7);
	pb_be16(&p, 1);
	pb_ipv6_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 54 + 2, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_ICMP | HAVE_ICMP_REST), HAVE_ICMP);
	CU_ASSERT_EQUAL(pkt.ip.u.icmp.type, 128);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP6 ::1 > ::1: ICMP6 echo request [|icmp6]\n");
	free(buf);
}

static void test_missing_data_offset_leaves_the_length_unknown(void)
{
	struct pb p;
	build4(&p, 1000, 2000, TCP_ACK | TCP_PSH, NULL, 0, 18, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 34 + 12, p.n); /* ports, seq, ack */
	CU_ASSERT_EQUAL(pkt.ip.have & (HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_PAYLOAD),
			HAVE_PORTS | HAVE_SEQ | HAVE_ACK);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: TCP, seq 1000, ack 2000 [|tcp]\n");
	CU_ASSERT_PTR_NULL(strstr(json, "payload"));
	free(buf);
}

static void test_eol_before_the_cut_ends_the_list_whole(void)
{
	static const uint8_t opts[8] = { 2, 4, 5, 0xb4, 0, 0, 0, 0 }; /* mss 1460, eol, padding */
	struct pb p;
	build4(&p, 1000, 0, TCP_SYN, opts, sizeof opts, 0, 0);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 54 + 6, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_EQUAL(pkt.ip.u.tcp.nopt, 2);
	CU_ASSERT_FALSE(pkt.ip.u.tcp.opt_have & TCPOPT_CUT);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:8080: Flags [S], seq 1000, win 512, "
				     "options [mss 1460,eol], length 0 [|tcp]\n");
	free(buf);
}

static void test_bad_option_before_the_cut_is_still_invalid(void)
{
	static const uint8_t len1[8] = { 2, 4, 5, 0xb4, 3, 1, 0, 0 };   /* wscale with length 1 */
	static const uint8_t beyond[8] = { 1, 1, 8, 10, 0, 0, 0, 0 };   /* TS of 10 in the 6 bytes left */
	const uint8_t *cases[] = { len1, beyond };
	for (int i = 0; i < 2; i++) {
		struct pb p;
		build4(&p, 1000, 0, TCP_SYN, cases[i], 8, 0, 0);
		uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 54 + 6, p.n);
		CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
		CU_ASSERT_EQUAL(pkt.bad_layer, LAYER_TCP);
		CU_ASSERT_FALSE(pkt.ip.have & HAVE_TCPOPTS);
		free(buf);
	}
}

static void test_udp_header_cut_takes_the_length_from_ip(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x86dd);
	size_t ip = pb_ipv6(&p, 17, LO6, LO6);
	pb_udp(&p, 5353, 9999, 50);
	pb_fill(&p, 'u', 50);
	pb_ipv6_end(&p, ip);
	for (size_t cap = 54; cap < 62; cap++) { /* no UDP byte .. the checksum cut */
		uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, cap, p.n);
		CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
		CU_ASSERT_EQUAL(pkt.trunc_layer, LAYER_UDP);
		CU_ASSERT_TRUE(pkt.ip.have & HAVE_PAYLOAD);
		CU_ASSERT_EQUAL(pkt.ip.payload_wire, 50);
		CU_ASSERT_EQUAL(pkt.ip.payload_cap, 0);
		CU_ASSERT_EQUAL((pkt.ip.have & HAVE_PORTS) != 0, cap >= 58);
		free(buf);
	}
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 58, p.n);
	char text[1024], json[1024];
	pb_view_lines(&pkt, text, json, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "IP6 [::1]:5353 > [::1]:9999: UDP, length 50 [|udp]\n");
	free(buf);
}

static void test_udp_first_fragment_cut_has_no_length(void)
{
	struct pb p = { .n = 0 };
	pb_eth(&p, 0x0800);
	size_t ip = pb_ipv4(&p, 17, LO4, LO4B, 0);
	pb_set16(&p, ip + 6, 0x2000); /* MF: the datagram goes on in later fragments */
	pb_udp(&p, 5353, 9999, 3000);
	pb_fill(&p, 'u', 1472);
	pb_ipv4_end(&p, ip);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, 34 + 4, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_TRUE(pkt.ip.have & HAVE_PORTS);
	CU_ASSERT_FALSE(pkt.ip.have & HAVE_PAYLOAD);
	free(buf);
}

/* ---- analysis on cut segments ---------------------------------------------------------------------- */

static struct flow_table *FT;
static struct track_result TR;
static int64_t clock_us;
static uint64_t npkt;

/* A segment (NOP NOP TS options, `len` payload bytes) cut at caplen, tracked dt_us after the last one. */
static uint32_t cut_seg(int from_server, uint32_t seq, uint32_t ack, uint16_t flags, size_t len, size_t caplen,
			int64_t dt_us)
{
	static const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8 };
	struct pb p;
	build4(&p, seq, ack, flags, ts, sizeof ts, len, from_server);
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p.b, caplen < p.n ? caplen : p.n, p.n);
	clock_us += dt_us;
	pkt.n = ++npkt;
	pkt.ts_sec = 1700000000 + clock_us / 1000000;
	pkt.ts_nsec = (uint32_t)(clock_us % 1000000) * 1000;
	flow_track(FT, &pkt, &TR);
	free(buf);
	return TR.events & ~(uint32_t)(EV_STATE_CHANGE | EV_NEW_FLOW);
}

/* The client's and the server's ISN in the analysis tests. */
enum { CISN = 1000, SISN = 5000 };

/* A fresh table and a handshake whose three segments are cut at caplen. */
static void cut_handshake(size_t caplen)
{
	FT = flowtab_new(8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(FT);
	clock_us = 0;
	npkt = 0;
	cut_seg(0, CISN, 0, TCP_SYN, 0, caplen, 0);
	cut_seg(1, SISN, CISN + 1, TCP_SYN | TCP_ACK, 0, caplen, 1000);
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 1, SISN + 1, TCP_ACK, 0, caplen, 1000), 0);
}

static void test_data_cut_at_54_is_analysed_on_its_wire_length(void)
{
	cut_handshake(54);
	/* Data after the handshake: not a duplicate ACK (its length is 100, not 0). */
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 1, SISN + 1, TCP_ACK | TCP_PSH, 100, 54, 1000), 0);
	CU_ASSERT_EQUAL(TR.rseq, 1);
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 101, SISN + 1, TCP_ACK | TCP_PSH, 100, 54, 1000), 0);
	CU_ASSERT_EQUAL(cut_seg(1, SISN + 1, CISN + 201, TCP_ACK, 0, 54, 1000), 0);
	CU_ASSERT_EQUAL(TR.rack, 201);
	/* The same data again, long after: a retransmission. */
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 101, SISN + 1, TCP_ACK | TCP_PSH, 100, 54, 200000), EV_SPURIOUS_RETRANSMISSION);
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 201, SISN + 1, TCP_ACK | TCP_PSH, 50, 54, 1000), 0);
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 201, SISN + 1, TCP_ACK | TCP_PSH, 50, 54, 200000), EV_RETRANSMISSION);
	/* Two real duplicate ACKs are still found. */
	CU_ASSERT_EQUAL(cut_seg(1, SISN + 1, CISN + 201, TCP_ACK, 0, 54, 1000), EV_DUP_ACK);
	CU_ASSERT_EQUAL(cut_seg(1, SISN + 1, CISN + 201, TCP_ACK, 0, 54, 1000), EV_DUP_ACK);
	CU_ASSERT_EQUAL(TR.dup_ack_n, 2);
	CU_ASSERT_EQUAL(TR.flow->bytes[DIR_C2S], 400);
	flowtab_free(FT);
}

static void test_segments_without_data_offset_are_not_analysed(void)
{
	cut_handshake(200); /* whole */
	/* Ports, seq and ack captured, the data offset not: no length, no analysis, nothing invented. */
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(cut_seg(0, CISN + 1 + 100 * (uint32_t)i, SISN + 1, TCP_ACK | TCP_PSH, 100, 34 + 12, 1000), 0);
		CU_ASSERT_PTR_NOT_NULL(TR.flow);
	}
	CU_ASSERT_EQUAL(TR.flow->pkts[DIR_C2S], 5);
	CU_ASSERT_EQUAL(TR.flow->bytes[DIR_C2S], 0);
	/* The next whole segment is judged against what was known: a hole before it, not a retransmission. */
	CU_ASSERT_EQUAL(cut_seg(0, CISN + 301, SISN + 1, TCP_ACK | TCP_PSH, 100, 200, 1000), EV_PREV_NOT_CAPTURED);
	flowtab_free(FT);
}

int register_test_cut_headers(void)
{
	CU_pSuite s = CU_add_suite("cut_headers", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "SYN cut inside its options: those before the cut, text/JSON/ladder",
			 test_syn_cut_inside_options_lists_those_before_the_cut) ||
	    !CU_add_test(s, "details pane marks the cut options", test_details_pane_marks_the_cut_options) ||
	    !CU_add_test(s, "every cut from the data offset on keeps the wire length",
			 test_every_cut_from_the_data_offset_on_keeps_the_wire_length) ||
	    !CU_add_test(s, "window cut: length kept and shown", test_window_cut_keeps_the_length_and_shows_it) ||
	    !CU_add_test(s, "window captured, urgent pointer cut", test_window_captured_without_urgent_pointer_is_shown) ||
	    !CU_add_test(s, "data offset cut: length unknown", test_missing_data_offset_leaves_the_length_unknown) ||
	    !CU_add_test(s, "ICMP type and code shown when the checksum is cut",
			 test_icmp_type_and_code_shown_when_checksum_cut) ||
	    !CU_add_test(s, "EOL before the cut ends the list whole", test_eol_before_the_cut_ends_the_list_whole) ||
	    !CU_add_test(s, "bad option before the cut is invalid", test_bad_option_before_the_cut_is_still_invalid) ||
	    !CU_add_test(s, "UDP header cut: length from IP", test_udp_header_cut_takes_the_length_from_ip) ||
	    !CU_add_test(s, "UDP first fragment cut: no length", test_udp_first_fragment_cut_has_no_length) ||
	    !CU_add_test(s, "data cut at 54 analysed on its wire length", test_data_cut_at_54_is_analysed_on_its_wire_length) ||
	    !CU_add_test(s, "no data offset: not analysed", test_segments_without_data_offset_are_not_analysed))
		return 1;
	return 0;
}
