/* test_cli.c — the command line: every option of the table, every rule between options, every error message, --help from the table. */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"

#define ARGS_MAX 64

/* argv of the last parse: "synwatch", the words, NULL (trace_argv points into it). */
static char *args[ARGS_MAX + 2];
static int nargs;
static char err[1024];

/* Parse synwatch WORDS... (a NULL-terminated list) into *c. */
static enum cli_status parse_v(struct config *c, const char *first, va_list ap)
{
	nargs = 0;
	args[nargs++] = (char *)"synwatch";
	for (const char *w = first; w && nargs <= ARGS_MAX; w = va_arg(ap, const char *))
		args[nargs++] = (char *)w;
	args[nargs] = NULL;
	err[0] = '\0';
	return cli_parse(nargs, args, c, err, sizeof err);
}

static enum cli_status parse(struct config *c, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	enum cli_status st = parse_v(c, first, ap);
	va_end(ap);
	return st;
}

/* The words parse into a config; fails the test (naming the message) otherwise. */
static struct config cfg;
#define PARSE_OK(...)                                                                     \
	do {                                                                              \
		enum cli_status st_ = parse(&cfg, __VA_ARGS__, (const char *)NULL);        \
		if (st_ != CLI_OK)                                                        \
			fprintf(stderr, "\n  %s: status %d: %s\n", #__VA_ARGS__, st_, err); \
		CU_ASSERT_EQUAL_FATAL(st_, CLI_OK);                                        \
	} while (0)

/* The words are refused with exactly this message. */
static void expect_error(const char *want, const char *first, ...)
{
	struct config c;
	va_list ap;
	va_start(ap, first);
	enum cli_status st = parse_v(&c, first, ap);
	va_end(ap);
	if (st != CLI_ERROR || strcmp(err, want) != 0)
		fprintf(stderr, "\n  %s ...: status %d, message '%s', want '%s'\n", first, st, err, want);
	CU_ASSERT_EQUAL(st, CLI_ERROR);
	CU_ASSERT_STRING_EQUAL(err, want);
}
#define EXPECT_ERROR(want, ...) expect_error(want, __VA_ARGS__, (const char *)NULL)

static const struct cli_option *row_named(const char *long_name, char short_name)
{
	for (size_t i = 0; i < cli_noptions; i++) {
		const struct cli_option *o = &cli_options[i];
		if (long_name ? o->long_name && strcmp(o->long_name, long_name) == 0 : o->short_name == short_name)
			return o;
	}
	return NULL;
}

/* ---- Defaults and every option's effect ---- */

static void test_no_options_gives_the_defaults(void)
{
	PARSE_OK((const char *)NULL);
	CU_ASSERT_TRUE(cfg.p.promisc);
	CU_ASSERT_PTR_NULL(cfg.p.iface);
	CU_ASSERT_PTR_NULL(cfg.p.file);
	CU_ASSERT_PTR_EQUAL(cfg.p.filter, cfg.filter);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "");
	CU_ASSERT_EQUAL(cfg.view, VIEW_AUTO);
	CU_ASSERT_EQUAL(cfg.tui.speed, 1.0);
	CU_ASSERT_EQUAL(cfg.tui.spool_max, 0);
	CU_ASSERT_FALSE(cfg.p.follow);
	CU_ASSERT_EQUAL(cfg.width, 0);
	CU_ASSERT_FALSE(cfg.merged);
	CU_ASSERT_FALSE(cfg.ladder);
}

static void test_capture_options_fill_the_pipeline_options(void)
{
	PARSE_OK("-i", "eth0", "-w", "out.pcap", "-c", "5", "-s", "96", "-p", "-B", "1024", "--nano", "--max-flows", "77");
	CU_ASSERT_STRING_EQUAL(cfg.p.iface, "eth0");
	CU_ASSERT_STRING_EQUAL(cfg.p.write, "out.pcap");
	CU_ASSERT_EQUAL(cfg.p.count, 5);
	CU_ASSERT_EQUAL(cfg.p.snaplen, 96);
	CU_ASSERT_FALSE(cfg.p.promisc);
	CU_ASSERT_EQUAL(cfg.p.buffer_bytes, 1024 * 1024);
	CU_ASSERT_TRUE(cfg.p.nano);
	CU_ASSERT_EQUAL(cfg.p.max_flows, 77);
	PARSE_OK("-r", "in.pcap", "-Z", "alice");
	CU_ASSERT_STRING_EQUAL(cfg.p.file, "in.pcap");
	CU_ASSERT_STRING_EQUAL(cfg.user, "alice");
	/* The largest -B is more bytes than an int holds: capped. */
	PARSE_OK("-B", "4194304");
	CU_ASSERT_EQUAL(cfg.p.buffer_bytes, INT_MAX);
}

/* -w's format: pcapng by the name's extension (any case) or --pcapng, classic pcap otherwise. */
static void test_w_writes_pcapng_by_extension_or_pcapng_flag(void)
{
	PARSE_OK("-w", "out.pcap");
	CU_ASSERT_FALSE(cfg.p.pcapng);
	PARSE_OK("-w", "lesson.pcapng");
	CU_ASSERT_TRUE(cfg.p.pcapng);
	PARSE_OK("-w", "LESSON.PcapNG");
	CU_ASSERT_TRUE(cfg.p.pcapng);
	PARSE_OK("-w", ".pcapng"); /* a hidden file named so, not an extension */
	CU_ASSERT_FALSE(cfg.p.pcapng);
	PARSE_OK("-w", "pcapng.out");
	CU_ASSERT_FALSE(cfg.p.pcapng);
	PARSE_OK("-w", "-", "--pcapng");
	CU_ASSERT_TRUE(cfg.p.pcapng);
	CU_ASSERT_STRING_EQUAL(cfg.p.write, "-");
	PARSE_OK("--pcapng", "-w", "out.cap", "--text");
	CU_ASSERT_TRUE(cfg.p.pcapng);
	PARSE_OK("--classroom", "-w", "l.pcapng");
	CU_ASSERT_TRUE(cfg.p.pcapng);
	CU_ASSERT_TRUE(cfg.merged);
	PARSE_OK("--pcap", "-w", "x"); /* an unambiguous prefix */
	CU_ASSERT_TRUE(cfg.p.pcapng);
	EXPECT_ERROR("--pcapng is the format of -w FILE: add -w FILE", "--pcapng");
	EXPECT_ERROR("--pcapng is the format of -w FILE: add -w FILE", "-r", "in.pcap", "--pcapng", "--text");
	EXPECT_ERROR("option --pcapng takes no value, got: 1; see synwatch --help", "--pcapng=1", "-w", "x");
}

static void test_view_and_panel_options(void)
{
	PARSE_OK("--text");
	CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	CU_ASSERT_TRUE(cfg.explicit_view);
	PARSE_OK("--json");
	CU_ASSERT_EQUAL(cfg.view, VIEW_JSON);
	CU_ASSERT_TRUE(cfg.explicit_view);
	PARSE_OK("--tui", "--speed", "2.5", "--step", "--spool-max", "512M", "--no-color");
	CU_ASSERT_EQUAL(cfg.view, VIEW_TUI);
	CU_ASSERT_FALSE(cfg.explicit_view);
	CU_ASSERT_EQUAL(cfg.tui.speed, 2.5);
	CU_ASSERT_TRUE(cfg.tui.step);
	CU_ASSERT_EQUAL(cfg.tui.spool_max, 512ull << 20);
	CU_ASSERT_TRUE(cfg.tui.no_color);
	/* The last view given wins; --text given once still asks for per-packet lines. */
	PARSE_OK("--text", "--tui");
	CU_ASSERT_EQUAL(cfg.view, VIEW_TUI);
	CU_ASSERT_TRUE(cfg.explicit_view);
	PARSE_OK("--stats", "--flows");
	CU_ASSERT_TRUE(cfg.stats);
	CU_ASSERT_TRUE(cfg.flows);
}

static void test_ladder_takes_a_flow_only_when_the_next_word_is_one(void)
{
	PARSE_OK("--ladder");
	CU_ASSERT_TRUE(cfg.ladder);
	CU_ASSERT_EQUAL(cfg.ladder_flow, 0);
	PARSE_OK("--ladder", "3");
	CU_ASSERT_TRUE(cfg.ladder);
	CU_ASSERT_EQUAL(cfg.ladder_flow, 3);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "");
	PARSE_OK("--ladder=18446744073709551615");
	CU_ASSERT_EQUAL(cfg.ladder_flow, UINT64_MAX);
	/* Not a flow number: the expression goes on. */
	PARSE_OK("--ladder", "tcp", "port", "80");
	CU_ASSERT_EQUAL(cfg.ladder_flow, 0);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "tcp port 80");
	PARSE_OK("--ladder", "0");
	CU_ASSERT_EQUAL(cfg.ladder_flow, 0);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "0");
	PARSE_OK("--ladder", "--", "3");
	CU_ASSERT_EQUAL(cfg.ladder_flow, 0);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "3");
	PARSE_OK("--ladder", "2", "--width", "120");
	CU_ASSERT_EQUAL(cfg.ladder_flow, 2);
	CU_ASSERT_EQUAL(cfg.width, 120);
	EXPECT_ERROR("--ladder takes a flow number of 1 or more, got: 0", "--ladder=0");
	EXPECT_ERROR("--ladder takes a flow number of 1 or more, got: x", "--ladder=x");
}

static void test_calls_options_and_the_merged_mode(void)
{
	PARSE_OK("-r", "cap.pcap", "--events", "ev.jsonl");
	CU_ASSERT_STRING_EQUAL(cfg.events, "ev.jsonl");
	CU_ASSERT_TRUE(cfg.merged);
	PARSE_OK("--sockets", "--ports", "8888,9000");
	CU_ASSERT_TRUE(cfg.sockets);
	CU_ASSERT_TRUE(cfg.merged);
	CU_ASSERT_EQUAL(cfg.nports, 2);
	CU_ASSERT_EQUAL(cfg.ports[0], 8888);
	CU_ASSERT_EQUAL(cfg.ports[1], 9000);
	PARSE_OK("-r", "cap.pcap", "--stats", "--ladder");
	CU_ASSERT_FALSE(cfg.merged);
}

/* ---- --trace -- COMMAND: no argv rewriting ---- */

static void test_trace_takes_the_words_after_the_double_dash(void)
{
	PARSE_OK("--trace", "--keep", "tcp", "port", "80", "--", "curl", "-s", "--", "http://127.0.0.1/");
	CU_ASSERT_TRUE(cfg.trace);
	CU_ASSERT_TRUE(cfg.keep);
	CU_ASSERT_TRUE(cfg.merged);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "tcp port 80");
	CU_ASSERT_PTR_EQUAL(cfg.trace_argv, &args[7]); /* the word after "--", in argv itself */
	CU_ASSERT_STRING_EQUAL(cfg.trace_argv[0], "curl");
	CU_ASSERT_STRING_EQUAL(cfg.trace_argv[1], "-s");
	CU_ASSERT_STRING_EQUAL(cfg.trace_argv[2], "--");
	CU_ASSERT_STRING_EQUAL(cfg.trace_argv[3], "http://127.0.0.1/");
	CU_ASSERT_PTR_NULL(cfg.trace_argv[4]);
	/* With no expression: every TCP, UDP and ICMP packet. */
	PARSE_OK("--trace", "--", "ls");
	CU_ASSERT_STRING_EQUAL(cfg.filter, CLI_TRACE_FILTER);
	/* "--" before --trace: what follows is the expression, --trace included. */
	PARSE_OK("tcp", "--", "--trace", "--", "ls");
	CU_ASSERT_FALSE(cfg.trace);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "tcp --trace -- ls");
	/* Options after --trace and before "--" are still options. */
	PARSE_OK("--trace", "-c", "3", "--", "ls", "-c", "9");
	CU_ASSERT_EQUAL(cfg.p.count, 3);
	CU_ASSERT_STRING_EQUAL(cfg.trace_argv[1], "-c");
}

static void test_argv_is_left_as_it_was(void)
{
	char *words[] = { (char *)"synwatch", (char *)"--classroom", (char *)"-p", (char *)"9000", (char *)"--ladder",
			  (char *)"3", (char *)"--trace", (char *)"--", (char *)"ls", NULL };
	char *copy[sizeof words / sizeof words[0]];
	memcpy(copy, words, sizeof words);
	struct config c;
	cli_parse(9, words, &c, err, sizeof err);
	CU_ASSERT_EQUAL(memcmp(copy, words, sizeof words), 0);
	char *words2[] = { (char *)"synwatch", (char *)"--ladder", (char *)"3", (char *)"-pc5", (char *)"tcp", NULL };
	char *copy2[sizeof words2 / sizeof words2[0]];
	memcpy(copy2, words2, sizeof words2);
	CU_ASSERT_EQUAL(cli_parse(5, words2, &c, err, sizeof err), CLI_OK);
	CU_ASSERT_EQUAL(memcmp(copy2, words2, sizeof words2), 0);
	CU_ASSERT_STRING_EQUAL(words2[3], "-pc5");
}

/* ---- tcpdump-like words ---- */

static void test_options_may_follow_the_expression_words(void)
{
	PARSE_OK("tcp", "and", "-c", "2", "port", "8888", "--json");
	CU_ASSERT_STRING_EQUAL(cfg.filter, "tcp and port 8888");
	CU_ASSERT_EQUAL(cfg.p.count, 2);
	CU_ASSERT_EQUAL(cfg.view, VIEW_JSON);
	/* "--" ends the options: the rest is the expression, even words that look like options. */
	PARSE_OK("tcp", "--", "-c", "1");
	CU_ASSERT_STRING_EQUAL(cfg.filter, "tcp -c 1");
	CU_ASSERT_EQUAL(cfg.p.count, 0);
	/* "-" alone is a word (stdin for -r, else part of the expression). */
	PARSE_OK("-r", "-", "-");
	CU_ASSERT_STRING_EQUAL(cfg.p.file, "-");
	CU_ASSERT_STRING_EQUAL(cfg.filter, "-");
	/* Words join with one space, as tcpdump joins them. */
	PARSE_OK("(", "tcp", ")", "or", "icmp");
	CU_ASSERT_STRING_EQUAL(cfg.filter, "( tcp ) or icmp");
}

static void test_short_options_cluster_as_getopt_allows(void)
{
	PARSE_OK("-pc", "5");
	CU_ASSERT_FALSE(cfg.p.promisc);
	CU_ASSERT_EQUAL(cfg.p.count, 5);
	PARSE_OK("-c5");
	CU_ASSERT_EQUAL(cfg.p.count, 5);
	PARSE_OK("-pc5", "-rfile.pcap");
	CU_ASSERT_FALSE(cfg.p.promisc);
	CU_ASSERT_EQUAL(cfg.p.count, 5);
	CU_ASSERT_STRING_EQUAL(cfg.p.file, "file.pcap");
	/* A value that looks like an option is still the value. */
	EXPECT_ERROR("-c takes a packet count of 1 or more, got: -5", "-c", "-5");
	PARSE_OK("-w", "-p");
	CU_ASSERT_STRING_EQUAL(cfg.p.write, "-p");
	CU_ASSERT_TRUE(cfg.p.promisc);
}

static void test_long_options_take_values_both_ways_and_shorten(void)
{
	PARSE_OK("--width=80", "--max-flows", "9");
	CU_ASSERT_EQUAL(cfg.width, 80);
	CU_ASSERT_EQUAL(cfg.p.max_flows, 9);
	/* A unique prefix names the option (getopt_long's abbreviations); an exact name beats a longer one. */
	PARSE_OK("--tex", "--spool", "3G", "--max=5");
	CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	CU_ASSERT_EQUAL(cfg.tui.spool_max, 3ull << 30);
	CU_ASSERT_EQUAL(cfg.p.max_flows, 5);
	PARSE_OK("--classroom", "--port", "9000");
	CU_ASSERT_EQUAL(cfg.port, 9000);
	PARSE_OK("--sockets", "--ports", "9000");
	CU_ASSERT_EQUAL(cfg.port, 0);
	CU_ASSERT_EQUAL(cfg.nports, 1);
}

/* ---- --classroom and what -p means there ---- */

static void test_classroom_sets_its_capture_and_takes_p_as_the_port(void)
{
	PARSE_OK("--classroom");
	CU_ASSERT_TRUE(cfg.classroom);
	CU_ASSERT_TRUE(cfg.merged);
	CU_ASSERT_TRUE(cfg.sockets);
	CU_ASSERT_EQUAL(cfg.port, CLI_CLASSROOM_PORT);
	CU_ASSERT_STRING_EQUAL(cfg.p.iface, "lo");
	CU_ASSERT_STRING_EQUAL(cfg.filter, "(tcp or udp) and port 8888 or icmp or icmp6");
	CU_ASSERT_EQUAL(cfg.nports, 1);
	CU_ASSERT_EQUAL(cfg.ports[0], 8888);
	/* -p PORT, before or after --classroom; promiscuous mode is left as it was. */
	PARSE_OK("-p", "9000", "--classroom", "--keep");
	CU_ASSERT_EQUAL(cfg.port, 9000);
	CU_ASSERT_TRUE(cfg.p.promisc);
	CU_ASSERT_TRUE(cfg.keep);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "(tcp or udp) and port 9000 or icmp or icmp6");
	CU_ASSERT_EQUAL(cfg.ports[0], 9000);
	PARSE_OK("--classroom", "-p9001");
	CU_ASSERT_EQUAL(cfg.port, 9001);
	PARSE_OK("--class", "-p", "9002");
	CU_ASSERT_EQUAL(cfg.port, 9002);
	/* Outside --classroom -p is a flag and the next word is the expression's. */
	PARSE_OK("-p", "9000");
	CU_ASSERT_FALSE(cfg.p.promisc);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "9000");
	EXPECT_ERROR("--classroom -p takes a port from 1 to 65535, got: 0", "--classroom", "-p", "0");
	EXPECT_ERROR("--classroom -p takes a port from 1 to 65535, got: 65536", "-p", "65536", "--classroom");
	EXPECT_ERROR("--port takes a port from 1 to 65535, got: 0", "--classroom", "--port", "0");
	EXPECT_ERROR("option --classroom -p needs a value; see synwatch --help", "--classroom", "-p");
}

static void test_sockets_take_the_filter_ports_unless_given(void)
{
	PARSE_OK("--sockets", "tcp", "port", "8888", "or", "(udp", "dst", "port", "53)");
	CU_ASSERT_EQUAL(cfg.nports, 2);
	CU_ASSERT_EQUAL(cfg.ports[0], 8888);
	CU_ASSERT_EQUAL(cfg.ports[1], 53);
	PARSE_OK("--sockets", "--ports", "7", "port", "8888");
	CU_ASSERT_EQUAL(cfg.nports, 1);
	CU_ASSERT_EQUAL(cfg.ports[0], 7);
	PARSE_OK("--sockets");
	CU_ASSERT_EQUAL(cfg.nports, 0);
	/* --ports alone records the list; without --sockets nothing uses it. */
	PARSE_OK("--ports", "1,65535");
	CU_ASSERT_EQUAL(cfg.nports, 2);
	CU_ASSERT_FALSE(cfg.merged);
}

/* ---- Every number's range, from the table's own bounds ---- */

static bool numeric(const struct cli_option *o)
{
	return o->store == CLI_U64 || o->store == CLI_INT || o->store == CLI_SIZE || o->store == CLI_UINT ||
	       o->store == CLI_KIB || o->store == CLI_DOUBLE || o->store == CLI_PORTS;
}

/* Parse the row's option with value: through its long name (or short letter), in the row's mode. */
static enum cli_status parse_value(const struct cli_option *o, const char *value, char *name, size_t n)
{
	char opt[64];
	if (o->long_name)
		snprintf(opt, sizeof opt, "--%s", o->long_name);
	else
		snprintf(opt, sizeof opt, "-%c", o->short_name);
	snprintf(name, n, "%s", opt);
	bool classroom = o->modes == CLI_MODE_CLASSROOM;
	if (o->arg == CLI_ARG_OPTIONAL) {
		/* --ladder 0 leaves 0 to the expression; --ladder=0 is the value. */
		char word[128];
		snprintf(word, sizeof word, "%s=%s", opt, value);
		return parse(&cfg, word, (const char *)NULL);
	}
	return classroom ? parse(&cfg, "--classroom", opt, value, (const char *)NULL)
			 : parse(&cfg, opt, value, (const char *)NULL);
}

static void test_every_number_is_checked_against_the_table_bounds(void)
{
	int rows = 0;
	for (size_t i = 0; i < cli_noptions; i++) {
		const struct cli_option *o = &cli_options[i];
		if (!numeric(o))
			continue;
		rows++;
		CU_ASSERT_PTR_NOT_NULL(o->takes);
		char v[64], name[64], want[256];
		snprintf(v, sizeof v, "%llu", o->min);
		enum cli_status st = parse_value(o, v, name, sizeof name);
		if (st != CLI_OK)
			fprintf(stderr, "\n  %s %s refused: %s\n", name, v, err);
		CU_ASSERT_EQUAL(st, CLI_OK);
		snprintf(v, sizeof v, "%llu", o->max);
		st = parse_value(o, v, name, sizeof name);
		if (st != CLI_OK)
			fprintf(stderr, "\n  %s %s refused: %s\n", name, v, err);
		CU_ASSERT_EQUAL(st, CLI_OK);
		if (o->max < ULLONG_MAX) {
			snprintf(v, sizeof v, "%llu", o->max + 1);
			CU_ASSERT_EQUAL(parse_value(o, v, name, sizeof name), CLI_ERROR);
			snprintf(want, sizeof want, "%s takes %s, got: %s", name, o->takes, v);
			CU_ASSERT_STRING_EQUAL(err, want);
		}
		if (o->min > 0) {
			snprintf(v, sizeof v, "%llu", o->min - 1);
			CU_ASSERT_EQUAL(parse_value(o, v, name, sizeof name), CLI_ERROR);
			snprintf(want, sizeof want, "%s takes %s, got: %s", name, o->takes, v);
			CU_ASSERT_STRING_EQUAL(err, want);
		}
		CU_ASSERT_EQUAL(parse_value(o, "abc", name, sizeof name), CLI_ERROR);
		CU_ASSERT_EQUAL(parse_value(o, "", name, sizeof name), CLI_ERROR);
		if (o->store != CLI_DOUBLE)
			CU_ASSERT_EQUAL(parse_value(o, "+5", name, sizeof name), CLI_ERROR);
	}
	CU_ASSERT_EQUAL(rows, 10); /* -c -s -B --speed --max-flows --ladder --width --ports --port --pace */
}

static void test_every_value_error_message(void)
{
	EXPECT_ERROR("-c takes a packet count of 1 or more, got: 0", "-c", "0");
	EXPECT_ERROR("-c takes a packet count of 1 or more, got: 18446744073709551616", "-c", "18446744073709551616");
	EXPECT_ERROR("-s takes a snap length from 0 (= 262144) to 262144 bytes, got: 999999999", "-s", "999999999");
	EXPECT_ERROR("-B takes a buffer size in KiB from 1 to 4194304, got: 0", "-B", "0");
	EXPECT_ERROR("--max-flows takes a number of flows from 1 to 4294967296, got: 0", "--max-flows", "0");
	EXPECT_ERROR("--speed takes a factor from 0 (as fast as possible) to 1000, got: -1", "--speed", "-1");
	EXPECT_ERROR("--speed takes a factor from 0 (as fast as possible) to 1000, got: nan", "--speed", "nan");
	EXPECT_ERROR("--speed takes a factor from 0 (as fast as possible) to 1000, got: 2x", "--speed", "2x");
	EXPECT_ERROR("--spool-max takes a size from 1M to 256T (a number of bytes, or with K, M, G or T: 512M, 4G), got: 1023K",
		     "--spool-max", "1023K");
	EXPECT_ERROR("--spool-max takes a size from 1M to 256T (a number of bytes, or with K, M, G or T: 512M, 4G), got: 2X",
		     "--spool-max", "2X");
	EXPECT_ERROR("--follow waits for a file that is being written to grow: give it with -r FILE", "--follow");
	EXPECT_ERROR("--width takes a number of columns from 64 to 400, got: 63", "--width", "63");
	EXPECT_ERROR("--ports takes up to 32 comma-separated ports from 1 to 65535, got: 0", "--ports", "0");
	EXPECT_ERROR("--ports takes up to 32 comma-separated ports from 1 to 65535, got: ,", "--ports", ",");
	EXPECT_ERROR("--ports takes up to 32 comma-separated ports from 1 to 65535, got: "
		     "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33",
		     "--ports", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33");
	EXPECT_ERROR("--port takes a port from 1 to 65535, got: 65536", "--port", "65536");
	PARSE_OK("--speed", "0");
	CU_ASSERT_EQUAL(cfg.tui.speed, 0.0);
	PARSE_OK("--ports", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32");
	CU_ASSERT_EQUAL(cfg.nports, 32);
}

static void test_every_word_error_message(void)
{
	EXPECT_ERROR("unknown option '--bogus'; see synwatch --help", "--bogus");
	EXPECT_ERROR("unknown option '--bogus'; see synwatch --help", "--bogus=1");
	EXPECT_ERROR("unknown option '-x'; see synwatch --help", "-x");
	EXPECT_ERROR("unknown option '-X'; see synwatch --help", "-pX");
	EXPECT_ERROR("option -r needs a value; see synwatch --help", "-r");
	EXPECT_ERROR("option -c needs a value; see synwatch --help", "tcp", "-pc");
	EXPECT_ERROR("option --width needs a value; see synwatch --help", "--width");
	EXPECT_ERROR("option --text takes no value, got: 1; see synwatch --help", "--text=1");
	EXPECT_ERROR("option --trace takes no value, got: ls; see synwatch --help", "--trace=ls");
	EXPECT_ERROR("option '--st' is ambiguous: --step, --stats; see synwatch --help", "--st");
	EXPECT_ERROR("unknown option '--'; see synwatch --help", "--=5");
	EXPECT_ERROR("option '--por' is ambiguous: --ports, --port; see synwatch --help", "--por", "5");
	/* 4095 characters of expression fit; one more does not. */
	static char word[CLI_FILTER_MAX + 1];
	memset(word, 'a', CLI_FILTER_MAX - 1);
	word[CLI_FILTER_MAX - 1] = '\0';
	PARSE_OK(word);
	CU_ASSERT_EQUAL(strlen(cfg.filter), CLI_FILTER_MAX - 1);
	EXPECT_ERROR("the filter expression is longer than 4095 characters", word, "b");
	/* An option's error comes first when both are wrong; help wins over a later problem. */
	EXPECT_ERROR("-c takes a packet count of 1 or more, got: 0", word, "b", "-c", "0");
	CU_ASSERT_EQUAL(parse(&cfg, word, "b", "-h", (const char *)NULL), CLI_SHOW_HELP);
}

/* ---- Pictures: --graph, --svg, --html ---- */

static void test_graph_spec_takes_kind_flow_and_direction(void)
{
	PARSE_OK("-r", "x.pcap", "--graph", "tsg", "--svg", "t.svg");
	CU_ASSERT_TRUE(cfg.graph);
	CU_ASSERT_EQUAL(cfg.graph_spec.kind, GRAPH_TSG);
	CU_ASSERT_EQUAL(cfg.graph_spec.flow, 0);
	CU_ASSERT_EQUAL(cfg.graph_spec.dir, -1);
	CU_ASSERT_STRING_EQUAL(cfg.svg, "t.svg");
	CU_ASSERT_PTR_NULL(cfg.html);
	PARSE_OK("-r", "x.pcap", "--graph=rtt:3", "--svg=r.svg");
	CU_ASSERT_EQUAL(cfg.graph_spec.kind, GRAPH_RTT);
	CU_ASSERT_EQUAL(cfg.graph_spec.flow, 3);
	PARSE_OK("-r", "x.pcap", "--graph", "inflight:12:s2c", "--svg", "i.svg");
	CU_ASSERT_EQUAL(cfg.graph_spec.kind, GRAPH_INFLIGHT);
	CU_ASSERT_EQUAL(cfg.graph_spec.flow, 12);
	CU_ASSERT_EQUAL(cfg.graph_spec.dir, DIR_S2C);
	PARSE_OK("-r", "x.pcap", "--graph", "throughput:1:c2s", "--svg", "t.svg", "port", "80");
	CU_ASSERT_EQUAL(cfg.graph_spec.kind, GRAPH_THROUGHPUT);
	CU_ASSERT_EQUAL(cfg.graph_spec.dir, DIR_C2S);
	CU_ASSERT_STRING_EQUAL(cfg.filter, "port 80");
	/* a picture replaces the per-packet lines unless they are asked for */
	CU_ASSERT_FALSE(cli_per_packet(&cfg));
	PARSE_OK("-r", "x.pcap", "--html", "p.html", "--json");
	CU_ASSERT_STRING_EQUAL(cfg.html, "p.html");
	CU_ASSERT_TRUE(cli_per_packet(&cfg));
	PARSE_OK("-r", "x.pcap", "--ladder", "2", "--svg", "l.svg");
	CU_ASSERT_EQUAL(cfg.ladder_flow, 2);
	CU_ASSERT_FALSE(cli_per_packet(&cfg));
	PARSE_OK("-r", "x.pcap", "--ladder", "2", "--svg", "l.svg", "--html", "p.html");
	PARSE_OK("-r", "x.pcap");
	CU_ASSERT_TRUE(cli_per_packet(&cfg));
	struct cli_graph g;
	CU_ASSERT_FALSE(cli_graph_parse("tsg:", &g));
	CU_ASSERT_FALSE(cli_graph_parse("tsg:0", &g));
	CU_ASSERT_FALSE(cli_graph_parse("tsg:3:", &g));
	CU_ASSERT_FALSE(cli_graph_parse("tsg:3:up", &g));
	CU_ASSERT_FALSE(cli_graph_parse("tsg:x", &g));
	CU_ASSERT_FALSE(cli_graph_parse(":3", &g));
	CU_ASSERT_FALSE(cli_graph_parse("TSG", &g));
	CU_ASSERT_FALSE(cli_graph_parse("tsg:99999999999999999999999", &g));
}

static void test_every_picture_error_message(void)
{
	EXPECT_ERROR("--graph takes KIND[:FLOW[:DIR]]: a kind (tsg, throughput, rtt, inflight), a flow number, c2s or s2c, "
		     "got: bogus",
		     "-r", "x.pcap", "--graph", "bogus", "--svg", "x.svg");
	EXPECT_ERROR("--graph takes KIND[:FLOW[:DIR]]: a kind (tsg, throughput, rtt, inflight), a flow number, c2s or s2c, "
		     "got: rtt:3:sideways",
		     "-r", "x.pcap", "--graph=rtt:3:sideways", "--svg", "x.svg");
	EXPECT_ERROR("option --svg needs a value; see synwatch --help", "-r", "x.pcap", "--graph", "tsg", "--svg");
	EXPECT_ERROR("option --html needs a value; see synwatch --help", "-r", "x.pcap", "--html");
	EXPECT_ERROR("--svg FILE writes the picture of --ladder FLOW or --graph SPEC; give one of them", "-r", "x.pcap",
		     "--svg", "x.svg");
	EXPECT_ERROR("--graph draws into an SVG file: add --svg FILE", "-r", "x.pcap", "--graph", "tsg");
	EXPECT_ERROR("--svg holds one picture: give --ladder FLOW or --graph SPEC, not both", "-r", "x.pcap", "--ladder", "1",
		     "--graph", "rtt", "--svg", "x.svg");
	EXPECT_ERROR("--ladder --svg draws one flow: give its number (--ladder 3); list them with --flows", "-r", "x.pcap",
		     "--ladder", "--svg", "x.svg");
	EXPECT_ERROR("--svg and --html are written by the text modes at the end: leave out --tui", "-r", "x.pcap", "--tui",
		     "--html", "p.html");
	EXPECT_ERROR("--svg and --html are written by the text modes at the end: leave out --tui", "-r", "x.pcap", "--graph",
		     "tsg", "--svg", "x.svg", "--tui");
	EXPECT_ERROR("--svg and --html name the same file: same.out", "-r", "x.pcap", "--graph", "tsg", "--svg", "same.out",
		     "--html", "same.out");
}

/* ---- The rules between options: one message each ---- */

static void test_every_conflict_message(void)
{
	EXPECT_ERROR("-i and -r exclude each other: capture live or read a file", "-i", "lo", "-r", "x.pcap");
	EXPECT_ERROR("--port is the port of --classroom; for other captures write it in the filter", "--port", "9000");
	EXPECT_ERROR("--pace paces --classroom's scenarios; for your own programs use sockdemo --pace", "-r", "x.pcap",
		     "--pace", "1");
	EXPECT_ERROR("--classroom runs its own capture and scenarios: leave out -r, --trace and --events", "--classroom", "-r",
		     "x.pcap");
	EXPECT_ERROR("--classroom runs its own capture and scenarios: leave out -r, --trace and --events", "--classroom",
		     "--trace", "--", "ls");
	EXPECT_ERROR("--classroom runs its own capture and scenarios: leave out -r, --trace and --events", "--classroom",
		     "--events", "ev.jsonl");
	EXPECT_ERROR("--classroom sets its own filter; pick the port with -p PORT instead of: port 80", "--classroom", "port",
		     "80");
	EXPECT_ERROR("--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", "--trace");
	EXPECT_ERROR("--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", "--trace", "--");
	EXPECT_ERROR("--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", "--trace", "ls");
	EXPECT_ERROR("--trace captures live: leave out -r", "--trace", "-r", "x.pcap", "--", "ls");
	EXPECT_ERROR("--trace and --events exclude each other: the tracer supplies the calls", "--trace", "--events", "e",
		     "--", "ls");
	EXPECT_ERROR("--keep goes with --trace or --classroom", "--keep");
	EXPECT_ERROR("--keep goes with --trace or --classroom", "-r", "x.pcap", "--keep");
	EXPECT_ERROR("--sockets reads the kernel's sockets now: it cannot go with -r", "--sockets", "-r", "x.pcap");
	/* Without "--" the words are the expression, whatever else is wrong. */
	EXPECT_ERROR("--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", "--trace", "-r", "x",
		     "tcp");
}

static void test_check_alone_on_a_hand_made_config(void)
{
	struct config c;
	memset(&c, 0, sizeof c);
	c.p.filter = c.filter;
	c.classroom = true;
	c.port = 7000;
	CU_ASSERT_TRUE(cli_check(&c, err, sizeof err));
	CU_ASSERT_STRING_EQUAL(c.filter, "(tcp or udp) and port 7000 or icmp or icmp6");
	CU_ASSERT_TRUE(c.merged);
	memset(&c, 0, sizeof c);
	c.sockets = true;
	c.p.file = "x";
	CU_ASSERT_FALSE(cli_check(&c, err, sizeof err));
	CU_ASSERT_STRING_EQUAL(err, "--sockets reads the kernel's sockets now: it cannot go with -r");
}

/* ---- help, version, and where synwatch runs ---- */

static void test_help_and_version_stop_the_parse(void)
{
	CU_ASSERT_EQUAL(parse(&cfg, "-h", (const char *)NULL), CLI_SHOW_HELP);
	CU_ASSERT_EQUAL(parse(&cfg, "--help", (const char *)NULL), CLI_SHOW_HELP);
	CU_ASSERT_EQUAL(parse(&cfg, "-ph", (const char *)NULL), CLI_SHOW_HELP);
	CU_ASSERT_EQUAL(parse(&cfg, "-h", "-c", "0", (const char *)NULL), CLI_SHOW_HELP);
	CU_ASSERT_EQUAL(parse(&cfg, "-V", (const char *)NULL), CLI_SHOW_VERSION);
	CU_ASSERT_EQUAL(parse(&cfg, "--version", "--keep", (const char *)NULL), CLI_SHOW_VERSION);
	CU_ASSERT_EQUAL(parse(&cfg, "-c", "0", "-h", (const char *)NULL), CLI_ERROR);
	EXPECT_ERROR("option --help takes no value, got: x; see synwatch --help", "--help=x");
}

static void test_settle_picks_the_view_and_the_width(void)
{
	PARSE_OK((const char *)NULL);
	cli_settle(&cfg, true, NULL);
	CU_ASSERT_EQUAL(cfg.view, VIEW_TUI);
	CU_ASSERT_EQUAL(cfg.width, CLI_DEFAULT_WIDTH);
	PARSE_OK((const char *)NULL);
	cli_settle(&cfg, false, "120");
	CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	CU_ASSERT_EQUAL(cfg.width, 120);
	const char *text_on_a_terminal[] = { "--stats", "--flows", "--ladder" };
	for (size_t i = 0; i < 3; i++) {
		PARSE_OK(text_on_a_terminal[i]);
		cli_settle(&cfg, true, NULL);
		CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	}
	/* the pictures are written by the text modes, on a terminal too */
	PARSE_OK("--html", "p.html");
	cli_settle(&cfg, true, NULL);
	CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	PARSE_OK("--graph", "tsg", "--svg", "g.svg");
	cli_settle(&cfg, true, NULL);
	CU_ASSERT_EQUAL(cfg.view, VIEW_TEXT);
	PARSE_OK("--json");
	cli_settle(&cfg, true, "30");
	CU_ASSERT_EQUAL(cfg.view, VIEW_JSON);
	CU_ASSERT_EQUAL(cfg.width, CLI_DEFAULT_WIDTH); /* 30 columns is below the ladder's least */
	PARSE_OK("--width", "90");
	cli_settle(&cfg, false, "200");
	CU_ASSERT_EQUAL(cfg.width, 90);
	PARSE_OK((const char *)NULL);
	cli_settle(&cfg, false, "80x");
	CU_ASSERT_EQUAL(cfg.width, CLI_DEFAULT_WIDTH);
}

/* --help into a string (static: open_memstream keeps the buffer's address until fclose). */
static char *usage_buf;
static size_t usage_len;
static char *usage_text(void)
{
	FILE *f = open_memstream(&usage_buf, &usage_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	cli_usage(f);
	fclose(f);
	return usage_buf;
}

static void test_help_lists_the_table_rows_in_order(void)
{
	char *text = usage_text();
	CU_ASSERT_EQUAL(strncmp(text, "usage: synwatch [-i IFACE]", 26), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "       synwatch --classroom [-p PORT] [--pace SECONDS] [--keep] [-w LESSON.pcapng] [--text | --json | --tui] [--html FILE]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nExit status: 0 ok, 1 runtime error, 2 bad usage or filter, 3 bad capture file,\n"
					    "4 interface problem, 5 no permission to capture, 6 cannot write the -w, --svg or --html file.\n"));
	/* Read the option list back: each entry is "  NAME<padding> TEXT" and its indented continuation
	   lines; NAME must be the next listed row's name and TEXT its help, in the table's order. */
	const char *list = strstr(text, "\n\n  -");
	CU_ASSERT_PTR_NOT_NULL_FATAL(list);
	size_t at = (size_t)(list - text) + 2, row = 0, entries = 0;
	char name[16], help[512];
	while (strncmp(text + at, "  -", 3) == 0) {
		/* The name column: 15 characters after two spaces, then one space. */
		snprintf(name, sizeof name, "%.15s", text + at + 2);
		for (size_t k = strlen(name); k > 0 && name[k - 1] == ' '; k--)
			name[k - 1] = '\0';
		CU_ASSERT_EQUAL(text[at + 17], ' ');
		at += 18;
		size_t h = 0;
		for (;;) {
			size_t len = strcspn(text + at, "\n");
			h += (size_t)snprintf(help + h, sizeof help - h, "%s%.*s", h ? "\n" : "", (int)len, text + at);
			at += len + 1;
			if (strncmp(text + at, "                  ", 18) != 0)
				break;
			at += 18;
		}
		while (row < cli_noptions && !cli_options[row].help)
			row++;
		CU_ASSERT_TRUE_FATAL(row < cli_noptions);
		char want[64];
		cli_option_name(&cli_options[row], want, sizeof want);
		if (strcmp(name, want) != 0 || strcmp(help, cli_options[row].help) != 0)
			fprintf(stderr, "\n  --help entry %zu: '%s' '%s', want '%s' '%s'\n", entries, name, help, want,
				cli_options[row].help);
		CU_ASSERT_STRING_EQUAL(name, want);
		CU_ASSERT_STRING_EQUAL(help, cli_options[row].help);
		row++;
		entries++;
	}
	size_t listed = 0;
	for (size_t i = 0; i < cli_noptions; i++)
		listed += cli_options[i].help != NULL;
	CU_ASSERT_EQUAL(entries, listed);
	CU_ASSERT_EQUAL(strncmp(text + at, "\nExit status:", 13), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  -c COUNT        stop after COUNT packets\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --ladder [FLOW] sequence diagram of FLOW (default: of every flow) at the end\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  --trace -- CMD  run CMD traced (ptrace), merge its socket calls; capture on lo meanwhile;\n"
					    "                  exit with CMD's exit status (--keep: go on watching)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  -h, --help      this text\n  -V, --version   the version\n"));
	/* Every option is named somewhere: the unlisted ones in another option's text. */
	for (size_t i = 0; i < cli_noptions; i++) {
		const struct cli_option *o = &cli_options[i];
		char name[64];
		if (o->long_name)
			snprintf(name, sizeof name, "--%s", o->long_name);
		else
			snprintf(name, sizeof name, "-%c", o->short_name);
		if (!strstr(text, name))
			fprintf(stderr, "\n  --help does not name %s\n", name);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, name));
	}
	free(text);
}

static void test_every_row_is_reachable_and_consistent(void)
{
	for (size_t i = 0; i < cli_noptions; i++) {
		const struct cli_option *o = &cli_options[i];
		CU_ASSERT_TRUE(o->short_name || o->long_name);
		CU_ASSERT_TRUE(o->field <= sizeof(struct config) && o->seen <= sizeof(struct config));
		/* A value has a name in --help and a sentence for its errors. */
		if (o->arg == CLI_ARG_REQUIRED || o->arg == CLI_ARG_OPTIONAL || o->arg == CLI_ARG_COMMAND)
			CU_ASSERT_PTR_NOT_NULL(o->metavar);
		if (numeric(o))
			CU_ASSERT_PTR_NOT_NULL(o->takes);
		/* Each long name and each (letter, mode) pair means one row. */
		for (size_t j = i + 1; j < cli_noptions; j++) {
			const struct cli_option *q = &cli_options[j];
			if (o->long_name && q->long_name)
				CU_ASSERT_STRING_NOT_EQUAL(o->long_name, q->long_name);
			if (o->short_name && o->short_name == q->short_name)
				CU_ASSERT_EQUAL((o->modes ? o->modes : CLI_MODE_ANY) & (q->modes ? q->modes : CLI_MODE_ANY), 0);
		}
	}
	CU_ASSERT_PTR_NOT_NULL(row_named("keep", 0));
	CU_ASSERT_PTR_NULL(row_named("keep", 0)->help);
	CU_ASSERT_EQUAL(row_named(NULL, 'p')->store, CLI_SET_FALSE);
}

int register_test_cli(void)
{
	CU_pSuite s = CU_add_suite("cli", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "no options give the defaults", test_no_options_gives_the_defaults) ||
	    !CU_add_test(s, "capture options fill the pipeline options", test_capture_options_fill_the_pipeline_options) ||
	    !CU_add_test(s, "-w writes pcapng by extension or --pcapng", test_w_writes_pcapng_by_extension_or_pcapng_flag) ||
	    !CU_add_test(s, "view and panel options", test_view_and_panel_options) ||
	    !CU_add_test(s, "--ladder takes a flow only when the next word is one",
			 test_ladder_takes_a_flow_only_when_the_next_word_is_one) ||
	    !CU_add_test(s, "calls options and the merged mode", test_calls_options_and_the_merged_mode) ||
	    !CU_add_test(s, "--trace takes the words after --", test_trace_takes_the_words_after_the_double_dash) ||
	    !CU_add_test(s, "argv is left as it was", test_argv_is_left_as_it_was) ||
	    !CU_add_test(s, "options may follow the expression words", test_options_may_follow_the_expression_words) ||
	    !CU_add_test(s, "short options cluster as getopt allows", test_short_options_cluster_as_getopt_allows) ||
	    !CU_add_test(s, "long options take values both ways and shorten",
			 test_long_options_take_values_both_ways_and_shorten) ||
	    !CU_add_test(s, "--classroom sets its capture and takes -p as the port",
			 test_classroom_sets_its_capture_and_takes_p_as_the_port) ||
	    !CU_add_test(s, "--sockets take the filter's ports unless given", test_sockets_take_the_filter_ports_unless_given) ||
	    !CU_add_test(s, "every number is checked against the table's bounds",
			 test_every_number_is_checked_against_the_table_bounds) ||
	    !CU_add_test(s, "every value error message", test_every_value_error_message) ||
	    !CU_add_test(s, "every word error message", test_every_word_error_message) ||
	    !CU_add_test(s, "every conflict message", test_every_conflict_message) ||
	    !CU_add_test(s, "--graph takes kind, flow and direction", test_graph_spec_takes_kind_flow_and_direction) ||
	    !CU_add_test(s, "every picture error message", test_every_picture_error_message) ||
	    !CU_add_test(s, "cli_check alone on a hand-made config", test_check_alone_on_a_hand_made_config) ||
	    !CU_add_test(s, "help and version stop the parse", test_help_and_version_stop_the_parse) ||
	    !CU_add_test(s, "cli_settle picks the view and the width", test_settle_picks_the_view_and_the_width) ||
	    !CU_add_test(s, "--help lists the table's rows in order", test_help_lists_the_table_rows_in_order) ||
	    !CU_add_test(s, "every row is reachable and consistent", test_every_row_is_reachable_and_consistent))
		return -1;
	return 0;
}
