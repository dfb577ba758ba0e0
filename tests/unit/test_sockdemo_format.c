/* test_sockdemo_format.c — sockdemo's narration and event formatting: endpoints, data, names (common/strace.h), JSON lines. */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include "../../demo/format.h"
#include "common/strace.h"

static struct sockaddr_in v4(const char *a, uint16_t port)
{
	struct sockaddr_in s;
	memset(&s, 0, sizeof s);
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static void test_endpoints_ipv4_and_bracketed_ipv6(void)
{
	char b[64];
	struct sockaddr_in a = v4("127.0.0.1", 8888);
	CU_ASSERT_EQUAL(demo_fmt_endpoint(b, sizeof b, (struct sockaddr *)&a), strlen("127.0.0.1:8888"));
	CU_ASSERT_STRING_EQUAL(b, "127.0.0.1:8888");
	struct sockaddr_in6 s6;
	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(65535);
	s6.sin6_addr = in6addr_loopback;
	demo_fmt_endpoint(b, sizeof b, (struct sockaddr *)&s6);
	CU_ASSERT_STRING_EQUAL(b, "[::1]:65535");
	fmt_sockaddr(b, sizeof b, (struct sockaddr *)&s6);
	CU_ASSERT_STRING_EQUAL(b, "{AF_INET6, [::1]:65535}");
	fmt_sockaddr(b, sizeof b, (struct sockaddr *)&a);
	CU_ASSERT_STRING_EQUAL(b, "{AF_INET, 127.0.0.1:8888}");
	struct sockaddr un = { .sa_family = AF_UNIX };
	CU_ASSERT_EQUAL(demo_fmt_endpoint(b, sizeof b, &un), 0);
	CU_ASSERT_STRING_EQUAL(b, "");
	CU_ASSERT_EQUAL(demo_fmt_endpoint(b, sizeof b, NULL), 0);
}

static void test_endpoint_truncates_without_overflow(void)
{
	char b[8];
	memset(b, 'x', sizeof b);
	struct sockaddr_in a = v4("127.0.0.1", 8888);
	size_t n = demo_fmt_endpoint(b, 6, (struct sockaddr *)&a);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_STRING_EQUAL(b, "127.0");
	CU_ASSERT_EQUAL(b[6], 'x'); /* nothing written past n */
}

/* Data as the narration quotes it: at most `show` of its len bytes, other bytes in hex. */
static const char *narrated_data(char *b, size_t n, const char *data, size_t len, size_t show)
{
	struct strbuf s;
	strbuf_init(&s, b, n, STRBUF_CUT);
	strace_quote(&s, data, len < show ? len : show, len > show, STRACE_HEX);
	return b;
}

static void test_data_is_escaped_and_cut_like_strace(void)
{
	char b[128];
	CU_ASSERT_STRING_EQUAL(narrated_data(b, sizeof b, "hi\n\t\"\\\x01", 7, 32), "\"hi\\n\\t\\\"\\\\\\x01\"");
	CU_ASSERT_STRING_EQUAL(narrated_data(b, sizeof b, "abcdef", 6, 3), "\"abc\"...");
	CU_ASSERT_STRING_EQUAL(narrated_data(b, sizeof b, "", 0, 32), "\"\"");
}

static void test_errno_names_known_unknown_and_none(void)
{
	CU_ASSERT_STRING_EQUAL(fmt_errno_name(ECONNREFUSED), "ECONNREFUSED");
	CU_ASSERT_STRING_EQUAL(fmt_errno_name(ECONNRESET), "ECONNRESET");
	CU_ASSERT_STRING_EQUAL(fmt_errno_name(EADDRINUSE), "EADDRINUSE");
	CU_ASSERT_STRING_EQUAL(fmt_errno_name(EPIPE), "EPIPE");
	CU_ASSERT_STRING_EQUAL(fmt_errno_name(9999), "E9999");
	CU_ASSERT_PTR_NULL(fmt_errno_name(0));
}

/* A flag set as the narration writes it. */
static const char *flags(char *b, size_t n, const struct tok *t, unsigned v)
{
	struct strbuf s;
	strbuf_init(&s, b, n, STRBUF_CUT);
	strace_flags(&s, t, v);
	return b;
}

static const char *socket_args(char *b, size_t n, int family, int type, int protocol)
{
	struct strbuf s;
	strbuf_init(&s, b, n, STRBUF_CUT);
	strace_socket_args(&s, (unsigned)family, (unsigned)type, (unsigned)protocol);
	return b;
}

static void test_flag_names_join_with_bar(void)
{
	char b[64];
	CU_ASSERT_STRING_EQUAL(flags(b, sizeof b, strace_poll_bits, POLLIN | POLLOUT), "POLLIN|POLLOUT");
	CU_ASSERT_STRING_EQUAL(flags(b, sizeof b, strace_poll_bits, 0), "0");
	CU_ASSERT_STRING_EQUAL(flags(b, sizeof b, strace_msg_flags, MSG_NOSIGNAL | MSG_DONTWAIT), "MSG_DONTWAIT|MSG_NOSIGNAL");
	CU_ASSERT_STRING_EQUAL(flags(b, sizeof b, strace_msg_flags, MSG_NOSIGNAL | 0x10000000), "MSG_NOSIGNAL|0x10000000");
	CU_ASSERT_STRING_EQUAL(tok2str(strace_shut_hows, NULL, SHUT_WR), "SHUT_WR");
	CU_ASSERT_STRING_EQUAL(socket_args(b, sizeof b, AF_INET6, SOCK_DGRAM, IPPROTO_UDP),
			       "AF_INET6, SOCK_DGRAM, IPPROTO_UDP");
	CU_ASSERT_STRING_EQUAL(socket_args(b, sizeof b, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP),
			       "AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP");
}

static void test_json_string_escapes_quotes_backslash_controls(void)
{
	char b[256];
	struct sd_event ev = { .ts = 1, .pid = 2, .role = "client", .call = "send", .fd = 3,
			       .args = "a\"b\\c\nd\x1f\x7f", .ret = 9 };
	size_t n = fmt_event_line(b, sizeof b, &ev);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, ",\"args\":\"a\\\"b\\\\c\\u000ad\\u001f\\u007f\","));
	CU_ASSERT_EQUAL(n, strlen(b));
}

static void test_event_line_has_every_field_in_order(void)
{
	char b[512];
	struct sd_event ev = {
		.ts = 1700000000123456, .dur = 42, .pid = 4711, .role = "client", .call = "connect", .fd = 3,
		.args = "3, {AF_INET, 127.0.0.1:9}, 16", .ret = -1, .err = ECONNREFUSED,
		.local = "127.0.0.1:40000", .remote = "127.0.0.1:9",
	};
	size_t n = fmt_event_line(b, sizeof b, &ev);
	const char *want = "{\"ts\":1700000000123456,\"dur\":42,\"pid\":4711,\"role\":\"client\",\"call\":\"connect\","
			   "\"fd\":3,\"args\":\"3, {AF_INET, 127.0.0.1:9}, 16\",\"ret\":-1,\"errno\":\"ECONNREFUSED\","
			   "\"local\":\"127.0.0.1:40000\",\"remote\":\"127.0.0.1:9\"}\n";
	CU_ASSERT_STRING_EQUAL(b, want);
	CU_ASSERT_EQUAL(n, strlen(want));
}

static void test_event_line_writes_null_for_absent_values(void)
{
	char b[512];
	struct sd_event ev = { .ts = 1, .pid = 2, .role = "server", .call = "poll", .fd = -1,
			       .args = "[{fd=3, events=POLLIN}], 1, -1", .ret = 1, .err = 0, .local = "", .remote = NULL };
	fmt_event_line(b, sizeof b, &ev);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "\"fd\":null,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "\"errno\":null,\"local\":null,\"remote\":null}\n"));
	ev.ret = 5;
	ev.err = EAGAIN; /* errno is only reported for a failed call */
	fmt_event_line(b, sizeof b, &ev);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "\"ret\":5,\"errno\":null"));
}

static void test_event_line_never_written_truncated(void)
{
	char b[40];
	struct sd_event ev = { .ts = 1, .pid = 2, .role = "server", .call = "close", .fd = 3, .args = "3" };
	CU_ASSERT_EQUAL(fmt_event_line(b, sizeof b, &ev), 0);
}

int register_test_sockdemo_format(void)
{
	CU_pSuite s = CU_add_suite("sockdemo_format", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "endpoints: IPv4 and bracketed IPv6", test_endpoints_ipv4_and_bracketed_ipv6) ||
	    !CU_add_test(s, "endpoint truncates without overflow", test_endpoint_truncates_without_overflow) ||
	    !CU_add_test(s, "data escaped and cut like strace", test_data_is_escaped_and_cut_like_strace) ||
	    !CU_add_test(s, "errno names: known, unknown, none", test_errno_names_known_unknown_and_none) ||
	    !CU_add_test(s, "flag names joined with |", test_flag_names_join_with_bar) ||
	    !CU_add_test(s, "JSON strings escape quotes, backslash, controls",
			 test_json_string_escapes_quotes_backslash_controls) ||
	    !CU_add_test(s, "event line has every field in order", test_event_line_has_every_field_in_order) ||
	    !CU_add_test(s, "event line writes null for absent values", test_event_line_writes_null_for_absent_values) ||
	    !CU_add_test(s, "event line never written truncated", test_event_line_never_written_truncated))
		return -1;
	return 0;
}
