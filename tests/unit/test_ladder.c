/* test_ladder.c — the ladder diagram of a handshake, data, loss and close, against golden text; the recorder's bounds. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fixture.h"
#include "track/summary.h"
#include "view/ladder.h"

static const char golden_tcp[] =
	"flow 1 tcp: client 127.0.0.1:43210 -> server 127.0.0.1:8080\n"
	"    #       time           client                               server\n"
	"                127.0.0.1:43210                                   127.0.0.1:8080\n"
	"        0.000000              * connect()                         |\n"
	"    1   0.000000     SYN-SENT |---S seq 0 win 65495 mss 65495---->| UNANSWERED\n"
	"    2   0.000052  ESTABLISHED |<-------S. seq 0 ack 1 win 65495---| SYN-RECEIVED\n"
	"    3   0.000083              |---. seq 1 ack 1 win 65536-------->| ESTABLISHED\n"
	"    4   0.001083              |---P. seq 1 ack 1 len 6----------->|\n"
	"    5   0.201083              |---P. seq 1 ack 1 len 6----------->|\n"
	"                              |  [retransmission]                 |\n"
	"    6   0.201123              |<--------. seq 1 ack 7 win 65536---|\n"
	"    7   0.201163              |<--------. seq 1 ack 7 win 65536---|\n"
	"                              |  [dup-ack #1]                     |\n"
	"    8   0.202163   FIN-WAIT-1 |---F. seq 7 ack 1 win 65536------->| CLOSE-WAIT\n"
	"    9   0.202213    TIME-WAIT |<-------F. seq 1 ack 8 win 65536---| LAST-ACK\n"
	"   10   0.202243              |---. seq 8 ack 2 win 65536-------->| CLOSED\n"
	"end: fin, closed first by the client; 6 packets c>s, 4 s>c\n";

static const char golden_udp[] =
	"flow 2 udp: client 127.0.0.1:5353 -> server 127.0.0.1:9999\n"
	"    #       time           client                               server\n"
	"                 127.0.0.1:5353                                   127.0.0.1:9999\n"
	"    1   0.000000              |---UDP len 5---------------------->|\n"
	"    2   0.000010              |<~~~~~~~~~~ICMP port unreachable~~~|\n"
	"                              |  [connection-refused]             |\n"
	"end: refused, closed first by the server; 1 packets c>s, 0 s>c\n";

static char *book_text(const struct ladder_book *b, const struct flow_table *t, uint64_t id, int width, int *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	*n = ladder_book_print(b, t, id, m, width);
	fclose(m);
	return buf;
}

static void show_diff(const char *want, const char *got)
{
	if (strcmp(want, got) != 0)
		fprintf(stderr, "\n--- expected\n%s--- got\n%s", want, got);
}

static struct flow_table *T;
static struct ladder_book *B;

static void build_conversations(size_t max_rows)
{
	T = flowtab_new(8);
	B = ladder_book_new(max_rows);
	struct conn c;
	conn_init(&c, T, 0, 43210, 8080);
#define ADD() ladder_book_add(B, &c.p, &c.r)
	syn(&c, 1, 0, 7, 0);
	ADD();
	syn(&c, 0, 1, 7, 52);
	ADD();
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 31);
	ADD();
	seg(&c, 1, TCP_ACK | TCP_PSH, 1, 1, 6, 512, 1000);
	ADD();
	seg(&c, 1, TCP_ACK | TCP_PSH, 1, 1, 6, 512, 200000);
	ADD();
	seg(&c, 0, TCP_ACK, 1, 7, 0, 512, 40);
	ADD();
	seg(&c, 0, TCP_ACK, 1, 7, 0, 512, 40);
	ADD();
	seg(&c, 1, TCP_FIN | TCP_ACK, 7, 1, 0, 512, 1000);
	ADD();
	seg(&c, 0, TCP_FIN | TCP_ACK, 1, 8, 0, 512, 50);
	ADD();
	seg(&c, 1, TCP_ACK, 8, 2, 0, 512, 30);
	ADD();
	struct conn u;
	conn_init(&u, T, 0, 5353, 9999);
	udp(&u, 1, 5, 0);
	ladder_book_add(B, &u.p, &u.r);
	icmp_err(&u, 0, 3, 3, 10);
	ladder_book_add(B, &u.p, &u.r);
	seg(&u, 1, TCP_SYN, 0, 0, 0, 1, 10); /* a third flow: TCP on the UDP flow's ports */
	ladder_book_add(B, &u.p, &u.r);
}

static void free_conversations(void)
{
	ladder_book_free(B);
	flowtab_free(T);
}

/* A call event as sockdemo's events file gives it. */
static struct sock_event mkcall(const char *call, int64_t ret, const char *errname)
{
	struct sock_event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.call, sizeof ev.call, "%s", call);
	ev.ret = ret;
	snprintf(ev.errname, sizeof ev.errname, "%s", errname);
	return ev;
}

static void test_call_labels_name_the_result_where_it_says_something(void)
{
	struct ladder_call c;
	struct sock_event ev = mkcall("accept", 4, "");
	ladder_call_from(&c, &ev, 123, DIR_S2C);
	CU_ASSERT_STRING_EQUAL(c.label, "accept() = 4");
	CU_ASSERT_EQUAL(c.side, DIR_S2C);
	CU_ASSERT_EQUAL(c.ts_ns, 123);
	ev = mkcall("connect", 0, "");
	ladder_call_from(&c, &ev, 0, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(c.label, "connect()");
	ev = mkcall("connect", -1, "ECONNREFUSED");
	ladder_call_from(&c, &ev, 0, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(c.label, "connect() = -1 ECONNREFUSED");
	ev = mkcall("close", -1, "");
	ladder_call_from(&c, &ev, 0, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(c.label, "close() = -1 error");
}

static void test_call_rows_attach_to_recorded_flows_only(void)
{
	build_conversations(100);
	const struct flow *f = flowtab_find(T, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	struct ladder_call call;
	struct sock_event ev = mkcall("recvfrom", -1, "ECONNREFUSED");
	ladder_call_from(&call, &ev, f->first_ns + 20000, DIR_S2C);
	CU_ASSERT_TRUE(ladder_book_add_call(B, f, &call, false));
	struct flow other = *f;
	other.id = 99;
	CU_ASSERT_FALSE(ladder_book_add_call(B, &other, &call, false));
	int np;
	char *txt = book_text(B, T, 2, 80, &np);
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "|      recvfrom() = -1 ECONNREFUSED *\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "        0.000020              |"));
	free(txt);
	free_conversations();
}

struct sink {
	char text[8192];
	long idx[128];
	int lines;
};

static void sink_emit(const char *line, long idx, void *arg)
{
	struct sink *s = arg;
	strcat(s->text, line);
	strcat(s->text, "\n");
	if (s->lines < 128)
		s->idx[s->lines] = idx;
	s->lines++;
}

static void test_render_golden_with_call_row_and_row_indices(void)
{
	build_conversations(100);
	const struct flow *f = flowtab_find(T, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	/* rows as a view keeps them: a connect() call row first, then the recorded packets */
	struct ladder_row rows[16];
	struct sock_event ev = mkcall("connect", 0, "");
	rows[0].is_call = true;
	ladder_call_from(&rows[0].call, &ev, f->first_ns, DIR_C2S);
	free_conversations();
	/* the same conversation again, its rows kept by the caller (as the TUI does) instead of a book */
	T = flowtab_new(8);
	struct conn c;
	conn_init(&c, T, 0, 43210, 8080);
	size_t n = 1;
#define ROW() (rows[n].is_call = false, summary_from(&rows[n++].pkt, &c.p, &c.r))
	syn(&c, 1, 0, 7, 0);
	ROW();
	syn(&c, 0, 1, 7, 52);
	ROW();
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 31);
	ROW();
	seg(&c, 1, TCP_ACK | TCP_PSH, 1, 1, 6, 512, 1000);
	ROW();
	seg(&c, 1, TCP_ACK | TCP_PSH, 1, 1, 6, 512, 200000);
	ROW();
	seg(&c, 0, TCP_ACK, 1, 7, 0, 512, 40);
	ROW();
	seg(&c, 0, TCP_ACK, 1, 7, 0, 512, 40);
	ROW();
	seg(&c, 1, TCP_FIN | TCP_ACK, 7, 1, 0, 512, 1000);
	ROW();
	seg(&c, 0, TCP_FIN | TCP_ACK, 1, 8, 0, 512, 50);
	ROW();
	seg(&c, 1, TCP_ACK, 8, 2, 0, 512, 30);
	ROW();
#undef ROW
	rows[0].call.ts_ns = c.r.flow->first_ns;
	CU_ASSERT_EQUAL(rows[1].pkt.rseq, 0);
	CU_ASSERT_EQUAL(rows[1].pkt.after[DIR_C2S], TCPS_SYN_SENT);
	CU_ASSERT_EQUAL(rows[1].pkt.mss, 65495);
	CU_ASSERT_EQUAL(rows[1].pkt.wscale, 7);
	static struct sink s;
	memset(&s, 0, sizeof s);
	ladder_render(c.r.flow, rows, n, 80, sink_emit, &s);
	show_diff(golden_tcp, s.text);
	CU_ASSERT_STRING_EQUAL(s.text, golden_tcp);
	/* header lines -1; each row's index on its arrow and on its notes; the footer -1 */
	CU_ASSERT_EQUAL(s.idx[0], -1);
	CU_ASSERT_EQUAL(s.idx[2], -1);
	CU_ASSERT_EQUAL(s.idx[3], 0);  /* the call row */
	CU_ASSERT_EQUAL(s.idx[4], 1);  /* SYN */
	CU_ASSERT_EQUAL(s.idx[8], 5);  /* the retransmission... */
	CU_ASSERT_EQUAL(s.idx[9], 5);  /* ...and its note */
	CU_ASSERT_EQUAL(s.idx[s.lines - 1], -1);
	for (char *l = s.text; *l; l = strchr(l, '\n') + 1)
		CU_ASSERT_TRUE(strchr(l, '\n') - l <= 80);
	flowtab_free(T);
}

static void test_a_call_before_the_first_packet_reads_like_a_packet_row(void)
{
	build_conversations(100);
	const struct flow *f = flowtab_find(T, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	struct ladder_call call;
	struct sock_event ev = mkcall("connect", 0, "");
	ladder_call_from(&call, &ev, f->first_ns - 46000, DIR_C2S); /* 46 us before the SYN */
	struct ladder_book *b = ladder_book_new(100);
	CU_ASSERT_TRUE(ladder_book_add_call(b, f, &call, true));
	int np;
	char *txt = book_text(b, T, 1, 80, &np);
	/* "#" column blank, the time right-aligned under the packets' times, the sign beside its digits */
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "\n       -0.000046              * connect()"));
	CU_ASSERT_PTR_NULL(strstr(txt, "-  0."));
	free(txt);
	ladder_book_free(b);
	free_conversations();
}

static void test_book_prints_icmp_error_flow_golden(void)
{
	build_conversations(100);
	int np;
	char *txt = book_text(B, T, 2, 80, &np);
	CU_ASSERT_EQUAL(np, 1);
	show_diff(golden_udp, txt);
	CU_ASSERT_STRING_EQUAL(txt, golden_udp);
	free(txt);
	txt = book_text(B, T, 0, 80, &np);
	CU_ASSERT_EQUAL(np, 3); /* every flow, in id order */
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "flow 3 tcp"));
	CU_ASSERT_TRUE(strstr(txt, "flow 1 tcp") < strstr(txt, "flow 2 udp"));
	free(txt);
	txt = book_text(B, T, 42, 80, &np);
	CU_ASSERT_EQUAL(np, 0);
	CU_ASSERT_STRING_EQUAL(txt, "");
	free(txt);
	free_conversations();
}

/* At the default width (100) a long server address stands whole at the line's end, and a long flow line
   wraps instead of being cut. */
static void test_header_keeps_addresses_and_wraps_the_flow_line(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	f.id = 1;
	f.proto = 6;
	f.client_guessed = f.state_inferred = true;
	f.client.af = f.server.af = 6;
	memcpy(f.client.addr, (const uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd }, 16);
	memcpy(f.server.addr, (const uint8_t[]){ 0x26, 0x20, 0, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0x09 }, 16);
	f.client.port = 55739;
	f.server.port = 8080;
	f.closed_first = -1;
	struct sink s;
	memset(&s, 0, sizeof s);
	ladder_render(&f, NULL, 0, 100, sink_emit, &s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "[2620:fe::1234:9]:8080\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "[2001:db8::abcd]:55739"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "\n    ")); /* a continuation line of the flow's sentence */
	CU_ASSERT_PTR_NOT_NULL(strstr(s.text, "(capture began mid-connection)"));
	for (const char *line = s.text; *line;) { /* no line wider than the ladder */
		const char *nl = strchr(line, '\n');
		CU_ASSERT_TRUE(nl - line <= 100);
		line = nl + 1;
	}
}

/* An ICMP error from a router on the way names the router; one from the flow's own end does not. */
static void test_icmp_error_from_a_router_names_it(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	f.proto = 17;
	f.client.af = f.server.af = 4;
	memcpy(f.client.addr, (const uint8_t[]){ 127, 0, 0, 1 }, 4);
	memcpy(f.server.addr, (const uint8_t[]){ 127, 0, 0, 2 }, 4);
	struct ladder_row r;
	memset(&r, 0, sizeof r);
	r.pkt.af = 4;
	r.pkt.l4 = L4_ICMP;
	r.pkt.has_icmp = true;
	r.pkt.icmp_err = true;
	r.pkt.icmp_type = 11;
	r.pkt.events = EV_ICMP_ERROR;
	r.pkt.dir = DIR_S2C;
	memcpy(r.pkt.src, (const uint8_t[]){ 127, 9, 9, 9 }, 4);
	char buf[160];
	ladder_row_text(&r, &f, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "ICMP time exceeded code 0 from 127.9.9.9");
	memcpy(r.pkt.src, f.server.addr, 4);
	ladder_row_text(&r, &f, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "ICMP time exceeded code 0");
}

static void test_book_keeps_first_rows_and_counts_the_rest(void)
{
	build_conversations(3);
	int np;
	char *txt = book_text(B, T, 1, 80, &np);
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "    3   0.000083"));
	CU_ASSERT_PTR_NULL(strstr(txt, "    4   0.001083"));
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "(7 more rows not drawn: the ladder keeps the first 3 of each flow)"));
	/* the footer still tells how the flow ended */
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "end: fin"));
	free(txt);
	free_conversations();
}

static void test_book_only_records_the_chosen_flow(void)
{
	T = flowtab_new(8);
	B = ladder_book_new(10);
	ladder_book_only(B, 2);
	struct conn a, b;
	conn_init(&a, T, 0, 1111, 53);
	conn_init(&b, T, 0, 2222, 53);
	udp(&a, 1, 1, 0);
	ladder_book_add(B, &a.p, &a.r);
	udp(&b, 1, 1, 0);
	ladder_book_add(B, &b.p, &b.r);
	int np;
	char *txt = book_text(B, T, 0, 80, &np);
	CU_ASSERT_EQUAL(np, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "flow 2 udp"));
	free(txt);
	free_conversations();
}

int register_test_ladder(void)
{
	CU_pSuite s = CU_add_suite("ladder", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "call labels name the result where it says something",
			 test_call_labels_name_the_result_where_it_says_something) ||
	    !CU_add_test(s, "call rows attach to recorded flows only", test_call_rows_attach_to_recorded_flows_only) ||
	    !CU_add_test(s, "a call before the first packet: its time right-aligned with a sign",
			 test_a_call_before_the_first_packet_reads_like_a_packet_row) ||
	    !CU_add_test(s, "handshake to close: golden text, row indices",
			 test_render_golden_with_call_row_and_row_indices) ||
	    !CU_add_test(s, "ICMP error drawn on the UDP flow: golden text", test_book_prints_icmp_error_flow_golden) ||
	    !CU_add_test(s, "ICMP error from a router names it", test_icmp_error_from_a_router_names_it) ||
	    !CU_add_test(s, "header keeps addresses whole, wraps the flow line",
			 test_header_keeps_addresses_and_wraps_the_flow_line) ||
	    !CU_add_test(s, "recorder keeps the first rows, counts the rest", test_book_keeps_first_rows_and_counts_the_rest) ||
	    !CU_add_test(s, "recorder restricted to one flow", test_book_only_records_the_chosen_flow))
		return 1;
	return 0;
}
