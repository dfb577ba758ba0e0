/* test_events.c — the --events line parser accepts sockdemo's schema and rejects bad JSON by column; the reader follows a growing file; strace lines. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls/events.h"

static const char *full_line =
	"{\"ts\":1700000000123456,\"dur\":250,\"pid\":4242,\"role\":\"client\",\"call\":\"connect\",\"fd\":3,"
	"\"args\":\"3, {AF_INET, 127.0.0.1:8888}, 16\",\"ret\":-1,\"errno\":\"ECONNREFUSED\","
	"\"local\":\"127.0.0.1:40000\",\"remote\":\"[::1]:8888\"}";

static void test_parses_every_field_of_a_sockdemo_line(void)
{
	struct sock_event ev;
	char err[160];
	CU_ASSERT_TRUE_FATAL(events_parse_line(full_line, &ev, err, sizeof err));
	CU_ASSERT_EQUAL(ev.ts_us, 1700000000123456LL);
	CU_ASSERT_EQUAL(ev.dur_us, 250);
	CU_ASSERT_EQUAL(ev.pid, 4242);
	CU_ASSERT_STRING_EQUAL(ev.role, "client");
	CU_ASSERT_STRING_EQUAL(ev.call, "connect");
	CU_ASSERT_EQUAL(ev.fd, 3);
	CU_ASSERT_STRING_EQUAL(ev.args, "3, {AF_INET, 127.0.0.1:8888}, 16");
	CU_ASSERT_EQUAL(ev.ret, -1);
	CU_ASSERT_EQUAL(ev.err, ECONNREFUSED);
	CU_ASSERT_STRING_EQUAL(ev.errname, "ECONNREFUSED");
	CU_ASSERT_EQUAL(ev.local.af, 4);
	CU_ASSERT_EQUAL(memcmp(ev.local.addr, "\x7f\0\0\x01", 4), 0);
	CU_ASSERT_EQUAL(ev.local.port, 40000);
	CU_ASSERT_EQUAL(ev.remote.af, 6);
	CU_ASSERT_EQUAL(ev.remote.addr[15], 1);
	CU_ASSERT_EQUAL(ev.remote.addr[0], 0);
	CU_ASSERT_EQUAL(ev.remote.port, 8888);
}

static void test_nulls_defaults_and_unknown_keys(void)
{
	struct sock_event ev;
	char err[160];
	const char *line = " { \"extra\" : [1] } ";
	CU_ASSERT_FALSE(events_parse_line(line, &ev, err, sizeof err)); /* nested values are refused */
	line = "{\"ts\":5,\"pid\":1,\"call\":\"poll\",\"ret\":0,\"fd\":null,\"errno\":null,\"local\":null,"
	       "\"remote\":\"\",\"version\":1.5e3,\"ok\":true,\"no\":false,\"x\":null,\"role\":null}";
	CU_ASSERT_TRUE_FATAL(events_parse_line(line, &ev, err, sizeof err));
	CU_ASSERT_EQUAL(ev.fd, -1);
	CU_ASSERT_EQUAL(ev.err, 0);
	CU_ASSERT_STRING_EQUAL(ev.errname, "");
	CU_ASSERT_EQUAL(ev.local.af, 0);
	CU_ASSERT_EQUAL(ev.remote.af, 0);
	CU_ASSERT_STRING_EQUAL(ev.role, "");
	CU_ASSERT_STRING_EQUAL(ev.args, "");
	CU_ASSERT_EQUAL(ev.dur_us, 0);
}

static void test_string_escapes_are_decoded(void)
{
	struct sock_event ev;
	char err[160];
	const char *line = "{\"ts\":1,\"pid\":1,\"call\":\"write\",\"ret\":3,"
			   "\"args\":\"4, \\\"hi\\\\n\\\", \\/ \\t\\u00e9\\ud83d\\ude00 3\"}";
	CU_ASSERT_TRUE_FATAL(events_parse_line(line, &ev, err, sizeof err));
	CU_ASSERT_STRING_EQUAL(ev.args, "4, \"hi\\n\", / \t\xc3\xa9\xf0\x9f\x98\x80 3");
}

/* Each malformed line fails with the column of the problem and a word about it. */
static void test_malformed_lines_name_the_column(void)
{
	static const struct {
		const char *line;
		const char *want; /* substring of the message */
	} bad[] = {
		{ "", "column 1: expected '{'" },
		{ "{\"ts\" 1}", "column 7: expected ':'" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0} x", "column 37: text after" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\"}", "missing key \"ret\"" },
		{ "{\"ts\":1,\"ts\":2,\"pid\":1,\"call\":\"x\",\"ret\":0}", "column 9: duplicate key \"ts\"" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"local\":\"1.2.3:80\"}", "\"local\" is not ADDR:PORT" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"remote\":\"127.0.0.1:70000\"}", "\"remote\" is not" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"args\":\"abc", "column 43: string not terminated" },
		{ "{\"ts\":01,\"pid\":1,\"call\":\"x\",\"ret\":0}", "column 7: leading zero" },
		{ "{\"ts\":1.5,\"pid\":1,\"call\":\"x\",\"ret\":0}", "\"ts\" must be an integer" },
		{ "{\"ts\":-1,\"pid\":1,\"call\":\"x\",\"ret\":0}", "\"ts\" is out of range" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"args\":\"a\tb\"}", "control character 0x09" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"args\":\"\\q\"}", "unknown escape \\q" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"args\":\"\\ud800x\"}", "without its low half" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,}", "expected a key" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0", "missing '}'" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"averyveryverylongcallname\",\"ret\":0}", "\"call\" is longer" },
		{ "{\"ts\":1,\"pid\":1,\"call\":7,\"ret\":0}", "\"call\" must be a string" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":99999999999999999999}", "\"ret\" must be an integer" },
		{ "{\"ts\":1,\"pid\":1,\"call\":\"x\",\"ret\":0,\"fd\":nul}", "expected a value" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sock_event ev;
		char err[160] = "";
		bool ok = events_parse_line(bad[i].line, &ev, err, sizeof err);
		CU_ASSERT_FALSE(ok);
		if (ok || !strstr(err, bad[i].want))
			fprintf(stderr, "\n  line %zu: got '%s', want '%s'\n", i, err, bad[i].want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].want));
	}
}

static void test_long_args_are_cut_with_dots(void)
{
	char line[2048], err[160];
	int k = snprintf(line, sizeof line, "{\"ts\":1,\"pid\":1,\"call\":\"write\",\"ret\":0,\"args\":\"");
	for (int i = 0; i < 600; i++)
		line[k++] = (char)('a' + i % 26);
	snprintf(line + k, sizeof line - (size_t)k, "\"}");
	struct sock_event ev;
	CU_ASSERT_TRUE_FATAL(events_parse_line(line, &ev, err, sizeof err));
	CU_ASSERT_EQUAL(strlen(ev.args), SOCKEV_ARGS_MAX - 1);
	CU_ASSERT_STRING_EQUAL(ev.args + SOCKEV_ARGS_MAX - 4, "...");
	CU_ASSERT_EQUAL(ev.args[0], 'a');
}

static void test_endpoints_parse_and_format(void)
{
	struct endpoint ep;
	char buf[64];
	CU_ASSERT_TRUE(events_parse_endpoint("127.0.0.1:8888", &ep));
	events_format_endpoint(&ep, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.1:8888");
	CU_ASSERT_TRUE(events_parse_endpoint("[::1]:0", &ep));
	events_format_endpoint(&ep, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "[::1]:0");
	CU_ASSERT_FALSE(events_parse_endpoint("::1:80", &ep));
	CU_ASSERT_FALSE(events_parse_endpoint("[::1]80", &ep));
	CU_ASSERT_FALSE(events_parse_endpoint("127.0.0.1:", &ep));
	CU_ASSERT_FALSE(events_parse_endpoint("127.0.0.1:8x", &ep));
	CU_ASSERT_FALSE(events_parse_endpoint("localhost:80", &ep));
	memset(&ep, 0, sizeof ep);
	events_format_endpoint(&ep, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "-");
}

static void test_strace_lines(void)
{
	struct sock_event ev;
	char err[160], buf[512];
	CU_ASSERT_TRUE_FATAL(events_parse_line(full_line, &ev, err, sizeof err));
	events_format_strace(&ev, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "connect(3, {AF_INET, 127.0.0.1:8888}, 16) = -1 ECONNREFUSED (Connection refused)");
	memset(&ev, 0, sizeof ev);
	strcpy(ev.call, "poll");
	strcpy(ev.args, "[{fd=4, events=POLLIN}], 1, -1");
	ev.ret = 1;
	strcpy(ev.retnote, " ([{fd=4, revents=POLLIN}])");
	events_format_strace(&ev, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "poll([{fd=4, events=POLLIN}], 1, -1) = 1 ([{fd=4, revents=POLLIN}])");
	strcpy(ev.call, "accept");
	strcpy(ev.args, "3, NULL, NULL");
	ev.retnote[0] = '\0';
	ev.ret = -1;
	ev.err = 512;
	strcpy(ev.errname, "ERESTARTSYS");
	events_format_strace(&ev, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "accept(3, NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	/* Cut to fit, terminated, and the full length reported. */
	int want = events_format_strace(&ev, buf, 10);
	CU_ASSERT_EQUAL(strlen(buf), 9);
	CU_ASSERT_TRUE(want > 10);
}

/* ---- the reader ---- */

static void append(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

static const char *ev_line(int ts)
{
	static char line[256];
	snprintf(line, sizeof line, "{\"ts\":%d,\"pid\":9,\"role\":\"server\",\"call\":\"accept\",\"ret\":4}\n", ts);
	return line;
}

static void test_reader_follows_a_growing_file(void)
{
	char path[] = "/tmp/synwatch-events-XXXXXX", err[256];
	int fd = mkstemp(path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	struct events_reader *r = malloc(sizeof *r);
	struct sock_event ev;
	CU_ASSERT_TRUE_FATAL(events_reader_open(r, path, err, sizeof err));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_NONE); /* empty */
	append(path, ev_line(1));
	char partial[256];
	snprintf(partial, sizeof partial, "%s", ev_line(2));
	size_t half = strlen(partial) / 2;
	partial[half] = '\0';
	append(path, partial); /* half of line 2 */
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_EVENT);
	CU_ASSERT_EQUAL(ev.ts_us, 1);
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_NONE); /* partial kept */
	append(path, ev_line(2) + half);
	append(path, "\n{\"ts\":3,\"pid\":9,\"call\":\"x\"}\n"); /* blank line 3, malformed line 4 */
	append(path, ev_line(5));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_EVENT);
	CU_ASSERT_EQUAL(ev.ts_us, 2);
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_BAD);
	char want[300];
	snprintf(want, sizeof want, "%s:4: column", path);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing key \"ret\""));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_EVENT);
	CU_ASSERT_EQUAL(ev.ts_us, 5);
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_NONE);
	CU_ASSERT_EQUAL(r->events, 3);
	CU_ASSERT_EQUAL(r->malformed, 1);
	CU_ASSERT_EQUAL(r->lineno, 5);

	/* An over-long line is reported once with its number; the next line still parses. */
	char *big = malloc(EVENTS_LINE_MAX * 2 + 2);
	memset(big, 'x', EVENTS_LINE_MAX * 2);
	big[EVENTS_LINE_MAX * 2] = '\n';
	big[EVENTS_LINE_MAX * 2 + 1] = '\0';
	append(path, big);
	append(path, ev_line(7));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_BAD);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":6: line longer than"));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_EVENT);
	CU_ASSERT_EQUAL(ev.ts_us, 7);
	CU_ASSERT_EQUAL(r->lineno, 7);
	free(big);

	/* Truncated and rewritten (a new sockdemo run): reading starts over. */
	CU_ASSERT_EQUAL(truncate(path, 0), 0);
	append(path, ev_line(8));
	CU_ASSERT_EQUAL(events_reader_next(r, &ev, err, sizeof err), EVENTS_EVENT);
	CU_ASSERT_EQUAL(ev.ts_us, 8);
	CU_ASSERT_EQUAL(r->lineno, 1);
	events_reader_close(r);
	free(r);
	unlink(path);
}

static void test_reader_missing_file_is_a_clear_error(void)
{
	struct events_reader *r = malloc(sizeof *r);
	char err[256];
	CU_ASSERT_FALSE(events_reader_open(r, "/nonexistent/ev.jsonl", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open events file '/nonexistent/ev.jsonl': No such file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "fix:"));
	CU_ASSERT_FALSE(events_reader_open(r, "/tmp", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is a directory"));
	free(r);
}

int register_test_events(void)
{
	CU_pSuite s = CU_add_suite("events", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "parses every field of a sockdemo line", test_parses_every_field_of_a_sockdemo_line) ||
	    !CU_add_test(s, "nulls, defaults and unknown keys", test_nulls_defaults_and_unknown_keys) ||
	    !CU_add_test(s, "string escapes are decoded", test_string_escapes_are_decoded) ||
	    !CU_add_test(s, "malformed lines name the column", test_malformed_lines_name_the_column) ||
	    !CU_add_test(s, "long args are cut with dots", test_long_args_are_cut_with_dots) ||
	    !CU_add_test(s, "endpoints parse and format", test_endpoints_parse_and_format) ||
	    !CU_add_test(s, "strace lines", test_strace_lines) ||
	    !CU_add_test(s, "reader follows a growing file", test_reader_follows_a_growing_file) ||
	    !CU_add_test(s, "reader: missing file is a clear error", test_reader_missing_file_is_a_clear_error))
		return -1;
	return 0;
}
