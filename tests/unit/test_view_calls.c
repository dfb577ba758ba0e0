/* test_view_calls.c — the text and JSON views' lines for socket calls and socket-table changes, byte for byte. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "calls/events.h"
#include "calls/sockdiag.h"
#include "track/flow.h"
#include "view/obuf.h"
#include "view/view.h"

/* What o holds, as a string (o is not flushed: fd -1). */
static const char *held(struct obuf *o)
{
	obuf_putc(o, '\0');
	o->len--;
	return o->buf;
}

static struct obuf out; /* 256 KiB: not on the stack */
static struct flow flow;

/* An empty buffer (not flushed: fd -1), and the flow a call matched, numbered id. */
static struct obuf *fresh(uint64_t flow_id)
{
	obuf_init(&out, -1);
	memset(&flow, 0, sizeof flow);
	flow.id = flow_id;
	return &out;
}

static struct sock_event event(const char *line)
{
	struct sock_event ev;
	char err[256];
	bool ok = events_parse_line(line, &ev, err, sizeof err);
	if (!ok)
		fprintf(stderr, "\n  %s: %s\n", line, err);
	CU_ASSERT_TRUE_FATAL(ok);
	return ev;
}

/* Lines of sockdemo's events file and what synwatch wrote for them beside the packets (-r ... --events). */
static const char connect_line[] =
	"{\"ts\":1796570416878264,\"dur\":131,\"pid\":7611,\"role\":\"client\",\"call\":\"connect\",\"fd\":3,"
	"\"args\":\"3, {AF_INET, 127.0.0.1:18931}, 16\",\"ret\":0,\"errno\":null,\"local\":\"127.0.0.1:58326\","
	"\"remote\":\"127.0.0.1:18931\"}";
static const char refused_line[] =
	"{\"ts\":1796570416884828,\"dur\":102,\"pid\":7613,\"role\":\"client\",\"call\":\"connect\",\"fd\":3,"
	"\"args\":\"3, {AF_INET, 127.0.0.1:18931}, 16\",\"ret\":-1,\"errno\":\"ECONNREFUSED\","
	"\"local\":\"0.0.0.0:58338\",\"remote\":\"127.0.0.1:18931\"}";
static const char socket_line[] =
	"{\"ts\":1796570416875553,\"dur\":19,\"pid\":7610,\"role\":\"server\",\"call\":\"socket\",\"fd\":3,"
	"\"args\":\"AF_INET, SOCK_STREAM, IPPROTO_TCP\",\"ret\":3,\"errno\":null,\"local\":null,\"remote\":null}";

static void test_call_json_as_the_classroom_writes_it(void)
{
	struct obuf *o = fresh(1);
	struct sock_event ev = event(connect_line);
	view_json_call(o, &ev, 1796570416878133000LL, &flow, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(held(o),
			       "{\"call\":\"connect\",\"ts\":1796570416.878264,\"at\":1796570416.878133,\"dur_us\":131,"
			       "\"pid\":7611,\"role\":\"client\",\"fd\":3,\"args\":\"3, {AF_INET, 127.0.0.1:18931}, 16\","
			       "\"ret\":0,\"errno\":null,\"local\":\"127.0.0.1:58326\",\"remote\":\"127.0.0.1:18931\","
			       "\"flow\":1,\"side\":\"client\",\"strace\":\"connect(3, {AF_INET, 127.0.0.1:18931}, 16) = 0\"}\n");
	o = fresh(2);
	ev = event(refused_line);
	view_json_call(o, &ev, 1796570416884828000LL, &flow, DIR_S2C);
	CU_ASSERT_STRING_EQUAL(held(o),
			       "{\"call\":\"connect\",\"ts\":1796570416.884828,\"at\":1796570416.884828,\"dur_us\":102,"
			       "\"pid\":7613,\"role\":\"client\",\"fd\":3,\"args\":\"3, {AF_INET, 127.0.0.1:18931}, 16\","
			       "\"ret\":-1,\"errno\":\"ECONNREFUSED\",\"local\":\"0.0.0.0:58338\",\"remote\":\"127.0.0.1:18931\","
			       "\"flow\":2,\"side\":\"server\",\"strace\":\"connect(3, {AF_INET, 127.0.0.1:18931}, 16) = -1 "
			       "ECONNREFUSED (Connection refused)\"}\n");
	/* No flow matched: no "flow"/"side"; no endpoints: null; no socket: "fd":null. */
	o = fresh(0);
	ev = event(socket_line);
	ev.fd = -1;
	view_json_call(o, &ev, 1796570416875534000LL, NULL, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(held(o),
			       "{\"call\":\"socket\",\"ts\":1796570416.875553,\"at\":1796570416.875534,\"dur_us\":19,"
			       "\"pid\":7610,\"role\":\"server\",\"fd\":null,\"args\":\"AF_INET, SOCK_STREAM, IPPROTO_TCP\","
			       "\"ret\":3,\"errno\":null,\"local\":null,\"remote\":null,"
			       "\"strace\":\"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\"}\n");
}

/* The line after its local time of day (which depends on TZ): the time is checked by its fraction only. */
static void expect_text_after_time(struct obuf *o, const char *fraction, const char *want)
{
	const char *s = held(o);
	CU_ASSERT_TRUE(strlen(s) > 15 && s[2] == ':' && s[5] == ':' && s[8] == '.');
	CU_ASSERT_EQUAL(strncmp(s + 8, fraction, strlen(fraction)), 0);
	CU_ASSERT_STRING_EQUAL(s + 15, want);
}

static void test_call_text_as_the_classroom_writes_it(void)
{
	struct obuf *o = fresh(1);
	struct sock_event ev = event(connect_line);
	view_text_call(o, &ev, 1796570416878133000LL, false, &flow, DIR_C2S);
	expect_text_after_time(o, ".878133",
			       " call  client pid 7611: connect(3, {AF_INET, 127.0.0.1:18931}, 16) = 0 | flow 1 client\n");
	o = fresh(0);
	ev = event(socket_line);
	view_text_call(o, &ev, 1796570416875534000LL, false, NULL, DIR_C2S);
	expect_text_after_time(o, ".875534", " call  server pid 7610: socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n");
	/* Nanosecond captures: the time has 9 decimals. */
	o = fresh(7);
	view_text_call(o, &ev, 1796570416875534123LL, true, &flow, DIR_S2C);
	const char *s = held(o);
	CU_ASSERT_EQUAL(strncmp(s + 8, ".875534123 call  server pid 7610: ", 34), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " = 3 | flow 7 server\n"));
}

static struct sockdiag_row row(uint8_t state, uint16_t lport, uint16_t rport)
{
	struct sockdiag_row r;
	memset(&r, 0, sizeof r);
	r.proto = 6;
	r.state = state;
	r.local.af = r.remote.af = 4;
	memcpy(r.local.addr, "\x7f\0\0\x01", 4);
	memcpy(r.remote.addr, "\x7f\0\0\x01", 4);
	r.local.port = lport;
	r.remote.port = rport;
	r.rqueue = 3;
	r.wqueue = 5;
	return r;
}

static void test_socket_changes_in_json(void)
{
	struct obuf *o = fresh(0);
	struct sockdiag_row before = row(2, 58326, 18931), after = row(1, 58326, 18931);
	view_json_socket(o, SOCKDIAG_STATE, &before, &after, 1796570416878264999LL);
	CU_ASSERT_STRING_EQUAL(held(o), "{\"socket\":\"state\",\"ts\":1796570416.878264,\"proto\":\"tcp\",\"was\":\"SYN-SENT\","
					 "\"state\":\"ESTAB\",\"recv_q\":3,\"send_q\":5,\"local\":\"127.0.0.1:58326\","
					 "\"remote\":\"127.0.0.1:18931\"}\n");
	o->len = 0;
	view_json_socket(o, SOCKDIAG_APPEARED, NULL, &after, 1796570416000001000LL);
	CU_ASSERT_STRING_EQUAL(held(o), "{\"socket\":\"appeared\",\"ts\":1796570416.000001,\"proto\":\"tcp\","
					 "\"state\":\"ESTAB\",\"recv_q\":3,\"send_q\":5,\"local\":\"127.0.0.1:58326\","
					 "\"remote\":\"127.0.0.1:18931\"}\n");
	o->len = 0;
	view_json_socket(o, SOCKDIAG_GONE, &before, NULL, 1796570416000001000LL);
	CU_ASSERT_STRING_EQUAL(held(o), "{\"socket\":\"gone\",\"ts\":1796570416.000001,\"proto\":\"tcp\",\"was\":\"SYN-SENT\","
					 "\"state\":\"gone\",\"recv_q\":3,\"send_q\":5,\"local\":\"127.0.0.1:58326\","
					 "\"remote\":\"127.0.0.1:18931\"}\n");
	o->len = 0;
	view_json_socket(o, SOCKDIAG_QUEUES, &after, &after, 1796570416000001000LL);
	CU_ASSERT_PTR_NOT_NULL(strstr(held(o), "{\"socket\":\"queues\","));
}

static void test_socket_tcp_info_in_json_not_in_text(void)
{
	struct obuf *o = fresh(0);
	struct sockdiag_row r = row(1, 58326, 18931);
	char plain[1024];
	view_text_socket(o, SOCKDIAG_APPEARED, NULL, &r, 1796570416000001000LL, false);
	CU_ASSERT_TRUE_FATAL(strlen(held(o)) < sizeof plain);
	memcpy(plain, held(o), strlen(held(o)) + 1);
	r.info = (struct sockdiag_tcpinfo){ .valid = true, .ca_state = 3, .retransmits = 1, .mss = 1448, .cwnd = 7,
					    .ssthresh = 5, .srtt_us = 1203, .rttvar_us = 400, .unacked = 4,
					    .total_retrans = 9, .delivery_rate = 1250000, .pacing_rate = 2500000 };
	o->len = 0;
	view_json_socket(o, SOCKDIAG_APPEARED, NULL, &r, 1796570416000001000LL);
	CU_ASSERT_STRING_EQUAL(held(o), "{\"socket\":\"appeared\",\"ts\":1796570416.000001,\"proto\":\"tcp\","
					 "\"state\":\"ESTAB\",\"recv_q\":3,\"send_q\":5,\"local\":\"127.0.0.1:58326\","
					 "\"remote\":\"127.0.0.1:18931\",\"ca_state\":\"recovery\",\"cwnd\":7,\"mss\":1448,"
					 "\"srtt_us\":1203,\"rttvar_us\":400,\"unacked\":4,\"retransmits\":1,"
					 "\"total_retrans\":9,\"delivery_rate\":1250000,\"pacing_rate\":2500000,\"ssthresh\":5}\n");
	/* still in slow start (no ssthresh yet), no pacing limit: null */
	r.info.ssthresh = SOCKDIAG_SSTHRESH_NONE;
	r.info.pacing_rate = UINT64_MAX;
	o->len = 0;
	view_json_socket(o, SOCKDIAG_APPEARED, NULL, &r, 1796570416000001000LL);
	CU_ASSERT_PTR_NOT_NULL(strstr(held(o), ",\"pacing_rate\":null,\"ssthresh\":null}\n"));
	/* the text line is the one ss prints, with or without the kernel's numbers */
	o->len = 0;
	view_text_socket(o, SOCKDIAG_APPEARED, NULL, &r, 1796570416000001000LL, false);
	CU_ASSERT_STRING_EQUAL(held(o), plain);
	CU_ASSERT_STRING_EQUAL(sockdiag_ca_state_name(0), "open");
	CU_ASSERT_STRING_EQUAL(sockdiag_ca_state_name(4), "loss");
	CU_ASSERT_STRING_EQUAL(sockdiag_ca_state_name(9), "unknown");
}

static void test_socket_changes_in_text(void)
{
	struct obuf *o = fresh(0);
	struct sockdiag_row before = row(2, 58326, 18931), after = row(1, 58326, 18931);
	char ss[256], want[300];
	sockdiag_format(&after, ss, sizeof ss);
	view_text_socket(o, SOCKDIAG_STATE, &before, &after, 1796570416878264999LL, false);
	snprintf(want, sizeof want, " socket ~ %s (was SYN-SENT)\n", ss);
	expect_text_after_time(o, ".878264", want);
	o->len = 0;
	view_text_socket(o, SOCKDIAG_APPEARED, NULL, &after, 1796570416000001000LL, false);
	snprintf(want, sizeof want, " socket + %s\n", ss);
	expect_text_after_time(o, ".000001", want);
	o->len = 0;
	sockdiag_format(&before, ss, sizeof ss);
	view_text_socket(o, SOCKDIAG_GONE, &before, NULL, 1796570416000001000LL, false);
	snprintf(want, sizeof want, " socket - %s\n", ss);
	expect_text_after_time(o, ".000001", want);
}

int register_test_view_calls(void)
{
	CU_pSuite s = CU_add_suite("view_calls", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "a call in JSON, as the classroom writes it", test_call_json_as_the_classroom_writes_it) ||
	    !CU_add_test(s, "a call in text, as the classroom writes it", test_call_text_as_the_classroom_writes_it) ||
	    !CU_add_test(s, "socket-table changes in JSON", test_socket_changes_in_json) ||
	    !CU_add_test(s, "socket-table changes in text", test_socket_changes_in_text) ||
	    !CU_add_test(s, "tcp_info in JSON, not in the text line", test_socket_tcp_info_in_json_not_in_text))
		return -1;
	return 0;
}
