/* test_tui_fmt.c — TUI row text, flag and event labels, hex dump and follow-view line splitting. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "tui/tui_core.h"

static struct pkt_summary tcp_pkt(void)
{
	struct pkt_summary p;
	memset(&p, 0, sizeof p);
	p.n = 2;
	p.ts_ns = 1000000000LL * 1700000000 + 1500000;
	p.af = 4;
	p.l4 = L4_TCP;
	p.proto = 6;
	p.has_ports = true;
	p.src[0] = 127, p.src[3] = 1;
	p.dst[0] = 127, p.dst[3] = 1;
	p.sport = 45678;
	p.dport = 8080;
	p.tcpflags = TCP_SYN | TCP_ACK;
	p.have_rel = true;
	p.seq = 123456789;
	p.rseq = 0;
	p.rack = 1;
	p.win = 65483;
	return p;
}

static void test_row_fits_80_columns_with_relative_numbers(void)
{
	struct pkt_summary p = tcp_pkt();
	char row[256];
	size_t n = fmt_row(row, sizeof row, &p, NULL, p.ts_ns - 1500000, 80, fmt_num_width(2));
	CU_ASSERT_TRUE(n <= 80);
	CU_ASSERT_EQUAL(strlen(row), n);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "   2 0.001500 127.0.0.1:45678 127.0.0.1:8080  TCP   [SYN, ACK] Seq=0 Ack=1 Len=0"));
	p.have_rel = false;
	fmt_row(row, sizeof row, &p, NULL, p.ts_ns, 200, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "    2  0.000000 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "Seq=123456789 Ack=0 Len=0 Win=65483"));
	/* Once the handshake gave the scale, Win is the window in bytes, as Wireshark's Info shows it. */
	p.tcpflags = TCP_ACK;
	p.win = 64;
	p.have_win_scale = true;
	p.win_shift = 10;
	fmt_row(row, sizeof row, &p, NULL, p.ts_ns, 200, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, " Win=65536"));
}

static void test_number_column_grows_with_numbers(void)
{
	CU_ASSERT_EQUAL(fmt_num_width(0), 4);
	CU_ASSERT_EQUAL(fmt_num_width(9999), 4);
	CU_ASSERT_EQUAL(fmt_num_width(99999), 5);
	CU_ASSERT_EQUAL(fmt_num_width(100000), 6);
	CU_ASSERT_EQUAL(fmt_num_width(1000000), 7);
}

static void test_row_header_matches_columns(void)
{
	char h[256], row[256];
	struct pkt_summary p = tcp_pkt();
	for (int w = 80; w <= 200; w += 60) {
		int numw = fmt_num_width(w == 80 ? 99 : 1234567);
		p.n = w == 80 ? 99 : 1234567;
		fmt_row_header(h, sizeof h, w, numw);
		fmt_row(row, sizeof row, &p, NULL, p.ts_ns, w, numw);
		const char *info_h = strstr(h, "Info"), *proto_h = strstr(h, "Proto");
		CU_ASSERT_PTR_NOT_NULL_FATAL(info_h);
		CU_ASSERT_PTR_NOT_NULL_FATAL(proto_h);
		CU_ASSERT_EQUAL(strncmp(row + (proto_h - h), "TCP", 3), 0);
		CU_ASSERT_EQUAL(row[info_h - h], '[');
	}
}

static void test_long_ipv6_endpoint_keeps_port(void)
{
	struct pkt_summary p = tcp_pkt();
	p.af = 6;
	memset(p.src, 0, 16);
	p.src[0] = 0xfd, p.src[15] = 0x42, p.src[7] = 9;
	char row[256];
	fmt_row(row, sizeof row, &p, NULL, p.ts_ns, 80, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "~"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "::42]:45678 "));
}

static void test_events_and_classes(void)
{
	struct pkt_summary p = tcp_pkt();
	char info[256];
	p.tcpflags = TCP_ACK;
	p.events = EV_DUP_ACK | EV_RETRANSMISSION;
	p.dup_ack_n = 2;
	fmt_info(info, sizeof info, &p);
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "[Retransmission] [Dup ACK #2] [ACK]"));
	CU_ASSERT_EQUAL(fmt_class(&p), RC_RETRANS);
	p.events = 0;
	CU_ASSERT_EQUAL(fmt_class(&p), RC_TCP);
	p.tcpflags = TCP_SYN;
	CU_ASSERT_EQUAL(fmt_class(&p), RC_SYN);
	p.tcpflags = TCP_FIN | TCP_ACK;
	CU_ASSERT_EQUAL(fmt_class(&p), RC_FIN);
	p.tcpflags = TCP_RST | TCP_ACK;
	p.events = EV_RETRANSMISSION;
	CU_ASSERT_EQUAL(fmt_class(&p), RC_RST); /* RST wins */
	struct pkt_summary ic;
	memset(&ic, 0, sizeof ic);
	ic.af = 4;
	ic.l4 = L4_ICMP;
	ic.has_icmp = true;
	ic.icmp_type = 3;
	ic.icmp_code = 3;
	ic.icmp_err = true;
	fmt_info(info, sizeof info, &ic);
	CU_ASSERT_STRING_EQUAL(info, "Destination unreachable (port unreachable)");
	CU_ASSERT_EQUAL(fmt_class(&ic), RC_ICMP_ERR);
	ic.icmp_err = false;
	ic.icmp_type = 8;
	ic.icmp_code = 0;
	ic.sport = 7;
	ic.dport = 1;
	fmt_info(info, sizeof info, &ic);
	CU_ASSERT_STRING_EQUAL(info, "Echo request id=7 seq=1");
	CU_ASSERT_EQUAL(fmt_class(&ic), RC_ICMP);
}

static void test_problems_are_named(void)
{
	struct pkt_summary p = tcp_pkt();
	char info[256];
	p.status = DEC_TRUNCATED;
	p.problem_layer = LAYER_TCP;
	fmt_info(info, sizeof info, &p);
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "[truncated in tcp]"));
	CU_ASSERT_EQUAL(fmt_class(&p), RC_BAD);
	p.status = DEC_INVALID;
	p.l4 = L4_NONE;
	p.problem_layer = LAYER_IPV4;
	p.bad_field = "header length 3";
	fmt_info(info, sizeof info, &p);
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "[invalid ip: header length 3]"));
}

static void test_flag_words(void)
{
	char b[64];
	CU_ASSERT_STRING_EQUAL(fmt_flags_words(TCP_FIN | TCP_PSH | TCP_ACK, b, sizeof b), "FIN, PSH, ACK");
	CU_ASSERT_STRING_EQUAL(fmt_flags_words(0, b, sizeof b), "none");
	CU_ASSERT_STRING_EQUAL(fmt_flags_words(TCP_SYN | TCP_ECE | TCP_CWR, b, sizeof b), "SYN, ECE, CWR");
}

static void test_hexline(void)
{
	const uint8_t d[20] = { 0x45, 0, 0, 0x3c, 'h', 'i', 0x7f, 0x20 };
	char b[128];
	fmt_hexline(b, sizeof b, d, 8, 0);
	CU_ASSERT_STRING_EQUAL(b, "0000  45 00 00 3c 68 69 7f 20                           |E..<hi. |");
	fmt_hexline(b, sizeof b, d, 20, 16);
	CU_ASSERT_EQUAL(strncmp(b, "0010  00 00 00 00 ", 18), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "|....|"));
}

static void test_follow_splits_lines(void)
{
	const char *text = "GET / HTTP/1.0\r\nHost: x\r\n\r\nabcdefghij";
	const uint8_t *d = (const uint8_t *)text;
	size_t len = strlen(text), col;
	char b[64];
	CU_ASSERT_EQUAL(follow_count_lines(d, len, 80, 0, &col), 4);
	CU_ASSERT_EQUAL(col, 10); /* "abcdefghij" is left open */
	CU_ASSERT_TRUE(follow_line(d, len, 80, 0, 0, b, sizeof b));
	CU_ASSERT_STRING_EQUAL(b, "GET / HTTP/1.0");
	CU_ASSERT_TRUE(follow_line(d, len, 80, 0, 2, b, sizeof b));
	CU_ASSERT_STRING_EQUAL(b, "");
	CU_ASSERT_FALSE(follow_line(d, len, 80, 0, 4, b, sizeof b));
	/* width 4 wraps "abcdefghij" into abcd / efgh / ij */
	CU_ASSERT_EQUAL(follow_count_lines(d + 27, 10, 4, 0, NULL), 3);
	CU_ASSERT_TRUE(follow_line(d + 27, 10, 4, 0, 2, b, sizeof b));
	CU_ASSERT_STRING_EQUAL(b, "ij");
	const uint8_t bin[3] = { 0, 'a', 0xff };
	CU_ASSERT_TRUE(follow_line(bin, 3, 80, 0, 0, b, sizeof b));
	CU_ASSERT_STRING_EQUAL(b, ".a.");
	CU_ASSERT_EQUAL(follow_count_lines(bin, 0, 80, 0, &col), 0);
	CU_ASSERT_EQUAL(col, 0);
}

static void test_follow_goes_on_with_the_line_a_segment_left_open(void)
{
	/* "hel" then "lo\nwor" then "ld\n": the second and third segments go on where the one before stopped. */
	const uint8_t *a = (const uint8_t *)"hel", *b2 = (const uint8_t *)"lo\nwor", *c = (const uint8_t *)"ld\n";
	size_t col_a, col_b, col_c;
	char buf[64];
	CU_ASSERT_EQUAL(follow_count_lines(a, 3, 80, 0, &col_a), 1);
	CU_ASSERT_EQUAL(col_a, 3);
	/* Line 0 of the second is the rest of "hello"; its line 1 begins "world". */
	CU_ASSERT_EQUAL(follow_count_lines(b2, 6, 80, col_a, &col_b), 2);
	CU_ASSERT_EQUAL(col_b, 3);
	CU_ASSERT_TRUE(follow_line(b2, 6, 80, col_a, 0, buf, sizeof buf));
	CU_ASSERT_STRING_EQUAL(buf, "lo");
	CU_ASSERT_TRUE(follow_line(b2, 6, 80, col_a, 1, buf, sizeof buf));
	CU_ASSERT_STRING_EQUAL(buf, "wor");
	CU_ASSERT_EQUAL(follow_count_lines(c, 3, 80, col_b, &col_c), 1);
	CU_ASSERT_EQUAL(col_c, 0); /* the newline ended "world" */
	/* At width 4 the line begun at column 3 wraps after one more character. */
	CU_ASSERT_EQUAL(follow_count_lines(b2, 6, 4, col_a, &col_b), 3);
	CU_ASSERT_TRUE(follow_line(b2, 6, 4, col_a, 0, buf, sizeof buf));
	CU_ASSERT_STRING_EQUAL(buf, "l");
	CU_ASSERT_TRUE(follow_line(b2, 6, 4, col_a, 1, buf, sizeof buf));
	CU_ASSERT_STRING_EQUAL(buf, "o");
}

static void test_flow_row_fits_80_and_names_both_ends(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	f.id = 1;
	f.proto = 6;
	f.client.af = f.server.af = 4;
	f.client.addr[0] = f.server.addr[0] = 127;
	f.client.addr[3] = f.server.addr[3] = 1;
	f.client.port = 45678;
	f.server.port = 8080;
	struct flow_view v;
	memset(&v, 0, sizeof v);
	v.id = 1;
	v.pkts[0] = 5;
	v.pkts[1] = 4;
	v.bytes[0] = 320;
	v.bytes[1] = 123456;
	char row[256], hdr[256];
	size_t n = fmt_flow_row(row, sizeof row, &f, &v, "ESTABLISHED", "SYN-RECEIVED", "open", 80);
	CU_ASSERT_TRUE(n <= 80);
	CU_ASSERT_STRING_EQUAL(row, "  1 127.0.0.1:45678 127.0.0.1:8080  ESTAB      SYN-RCVD      5/4 320/123.5K open");
	v.bytes[1] = 1234; /* fits the column: the end lines up with its header */
	fmt_flow_row(row, sizeof row, &f, &v, "ESTABLISHED", "SYN-RECEIVED", "open", 80);
	fmt_flow_header(hdr, sizeof hdr, 80);
	CU_ASSERT_EQUAL(strstr(hdr, "End") - hdr, strstr(row, "open") - row);
	fmt_flow_row(row, sizeof row, &f, &v, "ESTABLISHED", "SYN-RECEIVED", "open", 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "TCP   127.0.0.1:45678"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "ESTABLISHED  SYN-RECEIVED"));
	fmt_flow_header(hdr, sizeof hdr, 200);
	CU_ASSERT_EQUAL(strstr(hdr, "End") - hdr, strstr(row, "open") - row);
	/* Every width from 120 on shows every column, End included, whole ("refused" the longest). */
	for (int w = 120; w <= 200; w += 5) {
		size_t rn = fmt_flow_row(row, sizeof row, &f, &v, "ESTABLISHED", "SYN-RECEIVED", "refused", w);
		CU_ASSERT_TRUE(rn <= (size_t)w);
		CU_ASSERT_PTR_NOT_NULL(strstr(row, " refused"));
		CU_ASSERT_PTR_NOT_NULL(strstr(row, "127.0.0.1:45678"));
		fmt_flow_header(hdr, sizeof hdr, w);
		CU_ASSERT_PTR_NOT_NULL(strstr(hdr, "S>C bytes End"));
		CU_ASSERT_EQUAL(strstr(hdr, "End") - hdr, strstr(row, "refused") - row);
	}
	f.proto = 17;
	fmt_flow_row(row, sizeof row, &f, &v, "", "", "timeout", 80);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "UDP        -"));
}


int register_test_tui_fmt(void)
{
	CU_pSuite s = CU_add_suite("tui_fmt", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "row fits 80 columns with relative numbers", test_row_fits_80_columns_with_relative_numbers) ||
	    !CU_add_test(s, "row header matches the columns", test_row_header_matches_columns) ||
	    !CU_add_test(s, "number column grows with the numbers", test_number_column_grows_with_numbers) ||
	    !CU_add_test(s, "long IPv6 endpoint keeps its port", test_long_ipv6_endpoint_keeps_port) ||
	    !CU_add_test(s, "events and colour classes", test_events_and_classes) ||
	    !CU_add_test(s, "decode problems are named", test_problems_are_named) ||
	    !CU_add_test(s, "flag words", test_flag_words) ||
	    !CU_add_test(s, "hex dump line", test_hexline) ||
	    !CU_add_test(s, "follow view splits lines", test_follow_splits_lines) ||
	    !CU_add_test(s, "follow view goes on with the line a segment left open",
			 test_follow_goes_on_with_the_line_a_segment_left_open) ||
	    !CU_add_test(s, "flow row fits 80 columns and names both ends", test_flow_row_fits_80_and_names_both_ends))
		return -1;
	return 0;
}
