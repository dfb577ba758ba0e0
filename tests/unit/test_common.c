/* test_common.c — common/: value-name tables both ways, the errno table, bounded text, strace-style formatting, endpoints. */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/count.h"
#include "common/endpoint_fmt.h"
#include "common/errnames.h"
#include "common/grow.h"
#include "common/strace.h"
#include "common/strbuf.h"
#include "common/tok.h"

static const struct tok colours[] = {
	{ 0, "black" }, { 2, "green" }, { 7, "white" },
	{ 0, NULL },
};

static void test_tok_maps_values_to_names_and_back(void)
{
	CU_ASSERT_STRING_EQUAL(tok2str(colours, NULL, 0), "black"); /* a value 0 row is not the end */
	CU_ASSERT_STRING_EQUAL(tok2str(colours, NULL, 7), "white");
	CU_ASSERT_PTR_NULL(tok2str(colours, NULL, 3));
	CU_ASSERT_STRING_EQUAL(tok2str(colours, "?", 3), "?");
	CU_ASSERT_EQUAL(str2tok(colours, "green", 99), 2);
	CU_ASSERT_EQUAL(str2tok(colours, "black", 99), 0);
	CU_ASSERT_EQUAL(str2tok(colours, "blue", 99), 99);
	CU_ASSERT_EQUAL(COUNT(colours), 4);
}

static void test_errno_names_round_trip_with_aliases_and_numbers(void)
{
	char num[ERRNO_NAME_MAX];
	CU_ASSERT_STRING_EQUAL(errno_name(ECONNREFUSED), "ECONNREFUSED");
	CU_ASSERT_STRING_EQUAL(errno_name(EINPROGRESS), "EINPROGRESS");
	CU_ASSERT_STRING_EQUAL(errno_name(EAGAIN), "EAGAIN");
	CU_ASSERT_STRING_EQUAL(errno_name(512), "ERESTARTSYS");
	CU_ASSERT_STRING_EQUAL(errno_name(516), "ERESTART_RESTARTBLOCK");
	CU_ASSERT_PTR_NULL(errno_name(4000));
	CU_ASSERT_PTR_NULL(errno_name(0));
	CU_ASSERT_PTR_NULL(errno_name(-1));
	CU_ASSERT_EQUAL(errno_value("ECONNRESET"), ECONNRESET);
	CU_ASSERT_EQUAL(errno_value("EWOULDBLOCK"), EAGAIN);
	CU_ASSERT_EQUAL(errno_value("EDEADLOCK"), EDEADLK);
	CU_ASSERT_EQUAL(errno_value("ENOTSUP"), EOPNOTSUPP);
	CU_ASSERT_EQUAL(errno_value("ENOPE"), 0);
	int named = 0;
	for (int e = 1; e < 134; e++) {
		const char *n = errno_name(e);
		if (n) {
			CU_ASSERT_EQUAL(errno_value(n), e);
			named++;
		}
	}
	CU_ASSERT_TRUE(named > 120); /* every Linux errno below 134, bar the few numbers Linux leaves unused */
	CU_ASSERT_STRING_EQUAL(errno_name_or_number(EPIPE, num), "EPIPE");
	CU_ASSERT_STRING_EQUAL(errno_name_or_number(4000, num), "E4000");
	CU_ASSERT_STRING_EQUAL(errno_name_or_number(-2147483647 - 1, num), "E-2147483648");
}

static void test_strbuf_cuts_silently_or_with_dots_and_takes_no_more(void)
{
	char b[8];
	struct strbuf s;
	memset(b, 'x', sizeof b);
	strbuf_init(&s, b, 6, STRBUF_CUT);
	strbuf_printf(&s, "%s", "abc");
	CU_ASSERT_FALSE(s.full);
	strbuf_printf(&s, "%d", 12345);
	CU_ASSERT_TRUE(s.full);
	CU_ASSERT_STRING_EQUAL(b, "abc12");
	CU_ASSERT_EQUAL(s.len, 5);
	CU_ASSERT_EQUAL(b[6], 'x'); /* nothing written past n */
	strbuf_printf(&s, "z");
	CU_ASSERT_STRING_EQUAL(b, "abc12");
	strbuf_init(&s, b, 6, STRBUF_DOTS);
	strbuf_printf(&s, "abcdefgh");
	CU_ASSERT_STRING_EQUAL(b, "ab...");
	strbuf_init(&s, b, 6, STRBUF_DOTS);
	strbuf_printf(&s, "abcde"); /* exactly fits: not cut */
	CU_ASSERT_FALSE(s.full);
	CU_ASSERT_STRING_EQUAL(b, "abcde");
	strbuf_init(&s, NULL, 0, STRBUF_CUT);
	CU_ASSERT_TRUE(s.full);
	strbuf_printf(&s, "nothing"); /* no room at all: writes nothing */
	CU_ASSERT_EQUAL(s.len, 0);
}

/* Runs one strace_* writer into a fresh buffer. */
#define WRITE(b, call)                                                                                             \
	do {                                                                                                       \
		struct strbuf s_;                                                                                  \
		strbuf_init(&s_, (b), sizeof(b), STRBUF_DOTS);                                                     \
		struct strbuf *sb = &s_;                                                                           \
		call;                                                                                              \
	} while (0)

static void test_strace_names_flags_and_unknown_constants(void)
{
	char b[128];
	WRITE(b, strace_flags(sb, strace_msg_flags, MSG_PEEK | MSG_NOSIGNAL | 0x10000000));
	CU_ASSERT_STRING_EQUAL(b, "MSG_PEEK|MSG_NOSIGNAL|0x10000000");
	WRITE(b, strace_flags(sb, strace_poll_bits, 0x8000));
	CU_ASSERT_STRING_EQUAL(b, "0x8000");
	WRITE(b, strace_const(sb, strace_families, AF_INET6, "AF_???"));
	CU_ASSERT_STRING_EQUAL(b, "AF_INET6");
	WRITE(b, strace_const(sb, strace_families, 42, "AF_???"));
	CU_ASSERT_STRING_EQUAL(b, "0x2a /* AF_??? */");
	WRITE(b, strace_socket_args(sb, AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP));
	CU_ASSERT_STRING_EQUAL(b, "AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP");
	WRITE(b, strace_socket_args(sb, AF_NETLINK, SOCK_RAW, 4));
	CU_ASSERT_STRING_EQUAL(b, "AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG");
	WRITE(b, strace_socket_args(sb, AF_UNIX, 9, 0));
	CU_ASSERT_STRING_EQUAL(b, "AF_UNIX, 0x9 /* SOCK_??? */, 0");
	WRITE(b, strace_sockopt(sb, SOL_SOCKET, SO_REUSEADDR));
	CU_ASSERT_STRING_EQUAL(b, "SOL_SOCKET, SO_REUSEADDR");
	WRITE(b, strace_sockopt(sb, IPPROTO_TCP, 1));
	CU_ASSERT_STRING_EQUAL(b, "SOL_TCP, TCP_NODELAY");
	WRITE(b, strace_sockopt(sb, SOL_SOCKET, 999));
	CU_ASSERT_STRING_EQUAL(b, "SOL_SOCKET, 0x3e7 /* SO_??? */");
	WRITE(b, strace_sockopt(sb, 99, 7));
	CU_ASSERT_STRING_EQUAL(b, "0x63 /* SOL_??? */, 7");
	CU_ASSERT_STRING_EQUAL(strace_sockopt_name(IPPROTO_IPV6, 26), "IPV6_V6ONLY");
	CU_ASSERT_PTR_NULL(strace_sockopt_name(SOL_SOCKET, 999));
	CU_ASSERT_PTR_NULL(strace_sockopt_name(99, 7));
}

static void test_strace_quote_octal_like_strace_or_hex_for_the_narration(void)
{
	char b[128];
	WRITE(b, strace_quote(sb, "a\1b\0017\0019\v\f\"\\\r", 12, false, STRACE_OCTAL));
	/* three digits only before an octal digit, where fewer would change the byte */
	CU_ASSERT_STRING_EQUAL(b, "\"a\\1b\\0017\\19\\v\\f\\\"\\\\\\r\"");
	WRITE(b, strace_quote(sb, "\377", 1, true, STRACE_OCTAL));
	CU_ASSERT_STRING_EQUAL(b, "\"\\377\"...");
	WRITE(b, strace_quote(sb, "\v\1" "1\n", 4, false, STRACE_HEX));
	CU_ASSERT_STRING_EQUAL(b, "\"\\x0b\\x011\\n\"");
}

static void test_strace_pollfds_entry_and_revents(void)
{
	char b[128];
	WRITE(b, strace_pollfd(sb, 3, POLLIN | POLLOUT, false));
	CU_ASSERT_STRING_EQUAL(b, "{fd=3, events=POLLIN|POLLOUT}");
	WRITE(b, strace_pollfd(sb, -1, POLLIN, false));
	CU_ASSERT_STRING_EQUAL(b, "{fd=-1}"); /* poll ignores the entry: strace shows no events */
	WRITE(b, strace_pollfd(sb, 4, POLLIN | POLLRDHUP, true));
	CU_ASSERT_STRING_EQUAL(b, "{fd=4, revents=POLLIN|POLLRDHUP}");
}

static void test_strace_call_lines_for_success_error_unknown_name_and_restart(void)
{
	char b[256];
	strace_call(b, sizeof b, "listen", "3, 4096", 0, 0, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(b, "listen(3, 4096) = 0");
	strace_call(b, sizeof b, "connect", "3, {AF_INET, 127.0.0.1:9}, 16", -1, ECONNREFUSED, "ECONNREFUSED", "");
	CU_ASSERT_STRING_EQUAL(b, "connect(3, {AF_INET, 127.0.0.1:9}, 16) = -1 ECONNREFUSED (Connection refused)");
	strace_call(b, sizeof b, "recv", "3, ..., 10, 0", -1, 0, "EFUTURE", NULL);
	CU_ASSERT_STRING_EQUAL(b, "recv(3, ..., 10, 0) = -1 EFUTURE");
	strace_call(b, sizeof b, "poll", "[{fd=3, events=POLLIN}], 1, 10", 0, 0, "", " (Timeout)");
	CU_ASSERT_STRING_EQUAL(b, "poll([{fd=3, events=POLLIN}], 1, 10) = 0 (Timeout)");
	strace_call(b, sizeof b, "accept", "3, NULL, NULL", -1, 513, "ERESTARTNOINTR", NULL);
	CU_ASSERT_STRING_EQUAL(b, "accept(3, NULL, NULL) = ? ERESTARTNOINTR (To be restarted)");
}

static void test_endpoints_from_socket_addresses(void)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	struct endpoint ep;
	char b[64];
	memset(&in4, 0, sizeof in4);
	in4.sin_family = AF_INET;
	in4.sin_port = htons(8888);
	inet_pton(AF_INET, "127.0.0.1", &in4.sin_addr);
	CU_ASSERT_TRUE(endpoint_from_sockaddr(&in4, sizeof in4, &ep));
	endpoint_format(&ep, b, sizeof b);
	CU_ASSERT_STRING_EQUAL(b, "127.0.0.1:8888");
	CU_ASSERT_FALSE(endpoint_from_sockaddr(&in4, sizeof in4 - 1, &ep)); /* shorter than its family's struct */
	CU_ASSERT_EQUAL(ep.af, 0);
	memset(&in6, 0, sizeof in6);
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(443);
	in6.sin6_addr = in6addr_loopback;
	CU_ASSERT_TRUE(endpoint_from_sockaddr(&in6, sizeof in6, &ep));
	CU_ASSERT_EQUAL(endpoint_format(&ep, b, sizeof b), (int)strlen("[::1]:443"));
	CU_ASSERT_STRING_EQUAL(b, "[::1]:443");
	struct sockaddr un = { .sa_family = AF_UNIX };
	CU_ASSERT_FALSE(endpoint_from_sockaddr(&un, sizeof un, &ep));
	endpoint_format(&ep, b, sizeof b);
	CU_ASSERT_STRING_EQUAL(b, "-");
}

static void test_grow_zeroed_fits_the_index_keeps_old_and_zeroes_new(void)
{
	size_t cap = 0;
	int *a = grow_zeroed(NULL, &cap, 0, 4, sizeof *a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(cap, 4);
	for (size_t i = 0; i < cap; i++)
		CU_ASSERT_EQUAL(a[i], 0);
	a[3] = 7;
	CU_ASSERT_PTR_EQUAL(grow_zeroed(a, &cap, 3, 4, sizeof *a), a); /* fits: nothing moves */
	int *b = grow_zeroed(a, &cap, 17, 4, sizeof *b); /* 4 -> 8 -> 16 -> 32 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(cap, 32);
	CU_ASSERT_EQUAL(b[3], 7);
	for (size_t i = 4; i < cap; i++)
		CU_ASSERT_EQUAL(b[i], 0);
	size_t huge = 1;
	CU_ASSERT_PTR_NULL(grow_zeroed(b, &huge, SIZE_MAX / 2, 4, 16)); /* too big: b and huge untouched */
	CU_ASSERT_EQUAL(huge, 1);
	free(b);
}

int register_test_common(void)
{
	CU_pSuite s = CU_add_suite("common", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "tok maps values to names and back", test_tok_maps_values_to_names_and_back) ||
	    !CU_add_test(s, "errno names round trip, aliases, numbers",
			 test_errno_names_round_trip_with_aliases_and_numbers) ||
	    !CU_add_test(s, "strbuf cuts silently or with dots, then takes no more",
			 test_strbuf_cuts_silently_or_with_dots_and_takes_no_more) ||
	    !CU_add_test(s, "strace names, flags and unknown constants", test_strace_names_flags_and_unknown_constants) ||
	    !CU_add_test(s, "strace quote: octal like strace, hex for the narration",
			 test_strace_quote_octal_like_strace_or_hex_for_the_narration) ||
	    !CU_add_test(s, "strace pollfds: entry and revents", test_strace_pollfds_entry_and_revents) ||
	    !CU_add_test(s, "strace call lines: success, error, unknown name, restart",
			 test_strace_call_lines_for_success_error_unknown_name_and_restart) ||
	    !CU_add_test(s, "endpoints from socket addresses", test_endpoints_from_socket_addresses) ||
	    !CU_add_test(s, "grow_zeroed fits the index, keeps the old and zeroes the new",
			 test_grow_zeroed_fits_the_index_keeps_old_and_zeroes_new))
		return -1;
	return 0;
}
