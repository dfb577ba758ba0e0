/* test_sockdiag.c — snapshot diffs report exactly the sockets that appeared, went or changed; rows print as ss prints them. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "calls/sockdiag.h"

static struct sockdiag_row row(uint8_t proto, uint64_t cookie, uint8_t state, uint16_t lport, uint16_t rport)
{
	struct sockdiag_row r;
	memset(&r, 0, sizeof r);
	r.proto = proto;
	r.cookie = cookie;
	r.state = state;
	r.local.af = r.remote.af = 4;
	memcpy(r.local.addr, "\x7f\0\0\x01", 4);
	if (rport)
		memcpy(r.remote.addr, "\x7f\0\0\x01", 4);
	r.local.port = lport;
	r.remote.port = rport;
	return r;
}

/* The callback writes one word per change: "+5", "-3", "~7:1>6", "q2". */
struct log {
	char text[512];
};

static void record(enum sockdiag_change what, const struct sockdiag_row *before, const struct sockdiag_row *after,
		   void *arg)
{
	struct log *l = arg;
	size_t k = strlen(l->text);
	const struct sockdiag_row *r = after ? after : before;
	if (what == SOCKDIAG_STATE)
		snprintf(l->text + k, sizeof l->text - k, "%s%llu:%u>%u ", sockdiag_change_mark(what),
			 (unsigned long long)r->cookie, before->state, after->state);
	else
		snprintf(l->text + k, sizeof l->text - k, "%s%llu ", sockdiag_change_mark(what),
			 (unsigned long long)r->cookie);
}

static void test_diff_reports_appeared_gone_and_state_changes(void)
{
	/* Before: a listener (10), a client in SYN-SENT (2), a UDP socket; after: the client ESTAB, the
	   accepted socket new, the UDP socket gone, the listener unchanged. */
	struct sockdiag_row a[] = { row(6, 1, 10, 8888, 0), row(6, 5, 2, 40000, 8888), row(17, 3, 7, 9999, 0) };
	struct sockdiag_row b[] = { row(6, 1, 10, 8888, 0), row(6, 5, 1, 40000, 8888), row(6, 9, 1, 8888, 40000) };
	sockdiag_sort(a, 3);
	sockdiag_sort(b, 3);
	struct log l = { "" };
	CU_ASSERT_EQUAL(sockdiag_diff(a, 3, b, 3, 0, record, &l), 3);
	CU_ASSERT_STRING_EQUAL(l.text, "~5:2>1 +9 -3 ");
	/* No change: nothing reported. */
	l.text[0] = '\0';
	CU_ASSERT_EQUAL(sockdiag_diff(b, 3, b, 3, 0, record, &l), 0);
	CU_ASSERT_STRING_EQUAL(l.text, "");
	/* From nothing, and to nothing. */
	CU_ASSERT_EQUAL(sockdiag_diff(NULL, 0, b, 3, 0, record, &l), 3);
	CU_ASSERT_STRING_EQUAL(l.text, "+1 +5 +9 ");
	l.text[0] = '\0';
	CU_ASSERT_EQUAL(sockdiag_diff(b, 3, NULL, 0, 0, record, &l), 3);
	CU_ASSERT_STRING_EQUAL(l.text, "-1 -5 -9 ");
}

static void test_queue_changes_only_when_asked(void)
{
	struct sockdiag_row a[] = { row(6, 4, 1, 8888, 40000) };
	struct sockdiag_row b[] = { row(6, 4, 1, 8888, 40000) };
	b[0].rqueue = 100;
	struct log l = { "" };
	CU_ASSERT_EQUAL(sockdiag_diff(a, 1, b, 1, 0, record, &l), 0);
	CU_ASSERT_EQUAL(sockdiag_diff(a, 1, b, 1, SOCKDIAG_DIFF_QUEUES, record, &l), 1);
	CU_ASSERT_STRING_EQUAL(l.text, "q4 ");
	/* A state change wins over a queue change: reported once, as a state change. */
	b[0].state = 8;
	l.text[0] = '\0';
	CU_ASSERT_EQUAL(sockdiag_diff(a, 1, b, 1, SOCKDIAG_DIFF_QUEUES, record, &l), 1);
	CU_ASSERT_STRING_EQUAL(l.text, "~4:1>8 ");
}

static void test_endpoint_change_is_a_change(void)
{
	/* A UDP socket that connect()s keeps its cookie; its peer changes. */
	struct sockdiag_row a[] = { row(17, 6, 7, 9999, 0) };
	struct sockdiag_row b[] = { row(17, 6, 1, 9999, 8888) };
	b[0].state = 7;
	struct log l = { "" };
	CU_ASSERT_EQUAL(sockdiag_diff(a, 1, b, 1, 0, record, &l), 1);
	CU_ASSERT_STRING_EQUAL(l.text, "~6:7>7 ");
}

static void test_unsorted_or_duplicate_input_is_refused(void)
{
	struct sockdiag_row a[] = { row(6, 9, 1, 1, 2), row(6, 2, 1, 3, 4) };
	struct sockdiag_row d[] = { row(6, 2, 1, 1, 2), row(6, 2, 1, 3, 4) };
	struct log l = { "" };
	CU_ASSERT_EQUAL(sockdiag_diff(a, 2, a, 0, 0, record, &l), -1);
	CU_ASSERT_EQUAL(sockdiag_diff(NULL, 0, d, 2, 0, record, &l), -1);
	CU_ASSERT_STRING_EQUAL(l.text, ""); /* nothing reported before refusing */
	sockdiag_sort(a, 2);
	CU_ASSERT_EQUAL(sockdiag_diff(a, 2, a, 2, 0, record, &l), 0);
}

static void test_cookieless_rows_are_told_apart_by_endpoints(void)
{
	struct sockdiag_row a[] = { row(6, 0, 6, 8888, 40000), row(6, 0, 6, 8888, 40001) };
	struct sockdiag_row b[] = { row(6, 0, 6, 8888, 40001) };
	sockdiag_sort(a, 2);
	struct log l = { "" };
	CU_ASSERT_EQUAL(sockdiag_diff(a, 2, b, 1, 0, record, &l), 1);
	CU_ASSERT_STRING_EQUAL(l.text, "-0 ");
}

static void test_rows_format_like_ss(void)
{
	char buf[256];
	struct sockdiag_row r = row(6, 1, 10, 8888, 0);
	r.wqueue = 128;
	sockdiag_format(&r, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "tcp   LISTEN     0      128    127.0.0.1:8888             0.0.0.0:*");
	r = row(17, 2, 7, 5353, 0);
	memset(r.local.addr, 0, 4);
	sockdiag_format(&r, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "udp   UNCONN     0      0      0.0.0.0:5353               0.0.0.0:*");
	/* IPv6 any-address: "*" for a dual-stack socket, "[::]" for a v6only one (as ss 6.x). */
	memset(&r, 0, sizeof r);
	r.proto = 6;
	r.state = 10;
	r.local.af = r.remote.af = 6;
	r.local.port = 8888;
	sockdiag_format_addr(&r, &r.local, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "*:8888");
	r.v6only = true;
	sockdiag_format_addr(&r, &r.remote, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "[::]:*");
	r.local.addr[15] = 1;
	r.ifindex = 1; /* lo */
	sockdiag_format_addr(&r, &r.local, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "[::1]%lo:8888");
}

static void test_state_names_are_ss_names(void)
{
	static const char *want[] = { "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
				      "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
				      "SYN-RECV", "UNKNOWN" };
	for (uint8_t s = 0; s < sizeof want / sizeof want[0]; s++)
		CU_ASSERT_STRING_EQUAL(sockdiag_state_name(s), want[s]);
	CU_ASSERT_STRING_EQUAL(sockdiag_proto_name(6), "tcp");
	CU_ASSERT_STRING_EQUAL(sockdiag_proto_name(17), "udp");
}

int register_test_sockdiag(void)
{
	CU_pSuite s = CU_add_suite("sockdiag", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "diff reports appeared, gone and state changes",
			 test_diff_reports_appeared_gone_and_state_changes) ||
	    !CU_add_test(s, "queue changes only when asked", test_queue_changes_only_when_asked) ||
	    !CU_add_test(s, "endpoint change is a change", test_endpoint_change_is_a_change) ||
	    !CU_add_test(s, "unsorted or duplicate input is refused", test_unsorted_or_duplicate_input_is_refused) ||
	    !CU_add_test(s, "cookieless rows told apart by endpoints", test_cookieless_rows_are_told_apart_by_endpoints) ||
	    !CU_add_test(s, "rows format like ss", test_rows_format_like_ss) ||
	    !CU_add_test(s, "state names are ss's", test_state_names_are_ss_names))
		return -1;
	return 0;
}
