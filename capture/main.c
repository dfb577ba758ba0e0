/* main.c — synwatch: parses the command line, opens the pipeline and runs the chosen view's loop. */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "flow.h"
#include "obuf.h"
#include "pipeline.h"
#include "ladder.h"
#include "privs.h"
#include "tui.h"
#include "view.h"

#define SYNWATCH_VERSION "0.1.0"
#define LADDER_ROWS_PER_FLOW 10000 /* --ladder keeps the first rows of each flow */

enum view_mode { VIEW_AUTO, VIEW_TEXT, VIEW_JSON, VIEW_TUI };

struct options {
	struct pipeline_opts p;
	enum view_mode view;
	bool stats;        /* --stats: counters and flow summary only */
	bool explicit_view; /* --text or --json was given (not only implied) */
	bool flows;        /* --flows: flow table at the end */
	const char *user;  /* -Z: the user to become after opening the capture (NULL: sudo's user, or nobody) */
	struct tui_opts tui; /* --speed, --step, --history, --no-color */
	bool ladder;       /* --ladder [FLOW]: sequence diagram(s) at the end */
	uint64_t ladder_flow; /* the flow to draw; 0 = every flow */
	int width;         /* --width: columns of the ladder (default $COLUMNS or 100) */
	char filter[4096]; /* the expression words joined */
};

/* Set by signal handlers, read by the loop. */
static volatile sig_atomic_t got_stop;   /* SIGINT, SIGTERM, SIGHUP */
static volatile sig_atomic_t got_usr1;   /* SIGUSR1: print the flow table now */

static void on_stop(int sig)
{
	got_stop = sig;
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns EINTR and the loop sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* a closed stdout shows up as EPIPE from write() */
	sigaction(SIGPIPE, &sa, NULL);
}

static void usage(FILE *f)
{
	fputs("usage: synwatch [-i IFACE] [-r FILE] [-w FILE] [-c COUNT] [-s SNAPLEN] [-p] [-B KIB] [-Z USER] [--nano]\n"
	      "                [--text | --json | --tui [--speed X] [--step] [--history N] [--no-color]]\n"
	      "                [--stats] [--flows] [--ladder [FLOW]] [--max-flows N] [BPF EXPRESSION...]\n"
	      "\n"
	      "  -i IFACE        capture live on IFACE (default lo)\n"
	      "  -r FILE         read a pcap or pcapng file ('-' for stdin)\n"
	      "  -w FILE         also write the packets that passed the filter to FILE (pcap)\n"
	      "  -c COUNT        stop after COUNT packets\n"
	      "  -s SNAPLEN      bytes to capture per packet (default and 0: 262144)\n"
	      "  -p              do not put the interface in promiscuous mode\n"
	      "  -B KIB          kernel capture buffer in KiB (default 32768)\n"
	      "  --nano          nanosecond timestamps for live capture\n"
	      "  -Z USER         after opening the capture, run as USER (default: the sudo user, else nobody)\n"
	      "  --text          one line per packet (default when stdout is not a terminal)\n"
	      "  --json          one JSON object per packet per line\n"
	      "  --tui           the interactive panel (default when stdout is a terminal)\n"
	      "  --speed X       replay -r at X times the original speed (0: as fast as possible)\n"
	      "  --step          start the replay paused; s steps one packet\n"
	      "  --history N     packets the panel keeps (default 100000)\n"
	      "  --no-color      no colours in the panel (also when NO_COLOR is set)\n"
	      "  --stats         only counters and the flow summary, no per-packet output\n"
	      "  --flows         the flow table at the end (and on SIGUSR1)\n"
	      "  --max-flows N   flows tracked at once (default 1000000; least recently used evicted)\n"
	      "  --ladder [FLOW] sequence diagram of FLOW (default: of every flow) at the end\n"
	      "  --width N       columns of the ladder (default $COLUMNS or 100)\n"
	      "  -h, --help      this text;  -V, --version  the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 runtime error, 2 bad usage or filter, 3 bad capture file,\n"
	      "4 interface problem, 5 no permission to capture, 6 cannot write -w file.\n",
	      f);
}

/* Parse a whole non-negative decimal number within [min, max]; false otherwise. */
static bool parse_number(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int fail_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "synwatch: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	return EXIT_USAGE;
}

enum {
	OPT_TEXT = 256,
	OPT_JSON,
	OPT_TUI,
	OPT_STATS,
	OPT_FLOWS,
	OPT_MAX_FLOWS,
	OPT_NANO,
	OPT_SPEED,
	OPT_STEP,
	OPT_HISTORY,
	OPT_NO_COLOR,
	OPT_LADDER,
	OPT_WIDTH,
};

static int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "flows", no_argument, NULL, OPT_FLOWS },
		{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
		{ "nano", no_argument, NULL, OPT_NANO },
		{ "tui", no_argument, NULL, OPT_TUI },
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "step", no_argument, NULL, OPT_STEP },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "ladder", optional_argument, NULL, OPT_LADDER },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;
	/* `--ladder 3`: a number right after --ladder is the flow, not the start of the expression. */
	for (int i = 1; i + 1 < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--ladder") == 0 && parse_number(argv[i + 1], 1, UINT64_MAX, &v)) {
			o->ladder_flow = v;
			memmove(&argv[i + 1], &argv[i + 2], (size_t)(argc - i - 1) * sizeof argv[0]);
			argc--;
		}
	}
	o->p.promisc = true;
	tui_opts_default(&o->tui);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:r:w:c:s:B:Z:phV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->p.iface = optarg;
			break;
		case 'r':
			o->p.file = optarg;
			break;
		case 'w':
			o->p.write = optarg;
			break;
		case 'c':
			if (!parse_number(optarg, 1, UINT64_MAX, &v))
				return fail_usage("-c takes a packet count of 1 or more, got", optarg);
			o->p.count = v;
			break;
		case 's':
			if (!parse_number(optarg, 0, 262144, &v))
				return fail_usage("-s takes a snap length from 0 (= 262144) to 262144 bytes, got", optarg);
			o->p.snaplen = (int)v;
			break;
		case 'B':
			if (!parse_number(optarg, 1, 4 * 1024 * 1024, &v))
				return fail_usage("-B takes a buffer size in KiB from 1 to 4194304, got", optarg);
			o->p.buffer_bytes = (int)(v * 1024 > INT_MAX ? INT_MAX : v * 1024);
			break;
		case 'p':
			o->p.promisc = false;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_TEXT:
			o->view = VIEW_TEXT;
			o->explicit_view = true;
			break;
		case OPT_JSON:
			o->view = VIEW_JSON;
			o->explicit_view = true;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_FLOWS:
			o->flows = true;
			break;
		case OPT_MAX_FLOWS:
			if (!parse_number(optarg, 1, 1ull << 32, &v))
				return fail_usage("--max-flows takes a number of flows from 1 to 4294967296, got", optarg);
			o->p.max_flows = (size_t)v;
			break;
		case OPT_NANO:
			o->p.nano = true;
			break;
		case OPT_TUI:
			o->view = VIEW_TUI;
			break;
		case OPT_SPEED: {
			char *end;
			errno = 0;
			double sp = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(sp >= 0 && sp <= 1000))
				return fail_usage("--speed takes a factor from 0 (as fast as possible) to 1000, got", optarg);
			o->tui.speed = sp;
			break;
		}
		case OPT_STEP:
			o->tui.step = true;
			break;
		case OPT_HISTORY:
			if (!parse_number(optarg, 100, 100000000, &v))
				return fail_usage("--history takes a number of packets from 100 to 100000000, got", optarg);
			o->tui.history = (size_t)v;
			break;
		case OPT_NO_COLOR:
			o->tui.no_color = true;
			break;
		case OPT_LADDER:
			o->ladder = true;
			if (optarg) {
				if (!parse_number(optarg, 1, UINT64_MAX, &v))
					return fail_usage("--ladder takes a flow number of 1 or more, got", optarg);
				o->ladder_flow = v;
			}
			break;
		case OPT_WIDTH:
			if (!parse_number(optarg, LADDER_MIN_WIDTH, LADDER_MAX_WIDTH, &v))
				return fail_usage("--width takes a number of columns from 64 to 400, got", optarg);
			o->width = (int)v;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("synwatch %s (%s)\n", SYNWATCH_VERSION, pcap_lib_version());
			exit(EXIT_OK);
		case ':':
			fprintf(stderr, "synwatch: option %s needs a value; see synwatch --help\n", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "synwatch: unknown option '%s'; see synwatch --help\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (!o->width) {
		const char *cols = getenv("COLUMNS");
		o->width = cols && parse_number(cols, LADDER_MIN_WIDTH, LADDER_MAX_WIDTH, &v) ? (int)v : 100;
	}
	/* The expression is the remaining words, as in tcpdump. */
	size_t used = 0;
	for (int i = optind; i < argc; i++) {
		int w = snprintf(o->filter + used, sizeof o->filter - used, "%s%s", used ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof o->filter - used)
			return fail_usage("the filter expression is longer than 4095 characters", NULL);
		used += (size_t)w;
	}
	o->p.filter = o->filter;
	if (o->p.file && o->p.iface)
		return fail_usage("-i and -r exclude each other: capture live or read a file", NULL);
	return -1;
}

/* Counters for --stats. */
struct counters {
	uint64_t tcp, udp, icmp, other_ip, non_ip, unsupported, truncated, invalid, bytes;
};

static void counters_add(struct counters *c, const struct packet *p)
{
	c->bytes += p->len;
	if (!p->link_supported)
		c->unsupported++;
	else if (!p->has_ip)
		c->non_ip++;
	else if (p->ip.l4 == L4_TCP)
		c->tcp++;
	else if (p->ip.l4 == L4_UDP)
		c->udp++;
	else if (p->ip.l4 == L4_ICMP || p->ip.l4 == L4_ICMP6)
		c->icmp++;
	else
		c->other_ip++;
	if (p->status == DEC_TRUNCATED)
		c->truncated++;
	else if (p->status == DEC_INVALID)
		c->invalid++;
}

static void counters_print(struct obuf *o, const struct counters *c, struct pipeline *pl, bool json)
{
	struct pipeline_stats ps;
	struct flowtab_stats fs;
	pipeline_stats(pl, &ps);
	flowtab_stats(pipeline_flows(pl), &fs);
	const struct {
		const char *name;
		uint64_t v;
	} rows[] = {
		{ "packets", ps.packets },     { "bytes", c->bytes },
		{ "tcp", c->tcp },             { "udp", c->udp },
		{ "icmp", c->icmp },           { "other_ip", c->other_ip },
		{ "non_ip", c->non_ip },       { "unsupported_link", c->unsupported },
		{ "truncated", c->truncated }, { "invalid", c->invalid },
		{ "flows", fs.flows_created }, { "flows_active", fs.flows_active },
		{ "flows_evicted", fs.evicted }, { "flows_expired", fs.expired },
		{ "kernel_drops", ps.kernel_drop },
	};
	if (json)
		obuf_puts(o, "{\"stats\":{");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (json) {
			if (i)
				obuf_putc(o, ',');
			obuf_json_str(o, rows[i].name);
			obuf_putc(o, ':');
		} else {
			obuf_puts(o, rows[i].name);
			obuf_puts(o, ": ");
		}
		obuf_u64(o, rows[i].v);
		if (!json)
			obuf_putc(o, '\n');
	}
	if (json)
		obuf_puts(o, "}}\n");
}

/* Print the flow table through stdio after our own buffer, keeping the order of output. */
static void flows_print(struct obuf *o, struct pipeline *pl, bool json)
{
	obuf_flush(o);
	flowtab_print(pipeline_flows(pl), stdout, json);
	fflush(stdout);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The non-interactive loop: text, JSON or counters only. Returns an exit code. */
static int run_batch(struct pipeline *pl, const struct options *o, struct obuf *out)
{
	static struct packet pkt;
	struct track_result tr;
	struct counters cnt = { 0 };
	bool json = o->view == VIEW_JSON;
	/* --stats and --ladder replace the per-packet lines, unless --text/--json asked for them too. */
	bool per_packet = !o->stats && (!o->ladder || o->explicit_view);
	struct ladder_book *book = NULL;
	if (o->ladder) {
		book = ladder_book_new(LADDER_ROWS_PER_FLOW);
		if (!book) {
			fprintf(stderr, "synwatch: out of memory for --ladder\n");
			return EXIT_FAILURE_RUNTIME;
		}
		if (o->ladder_flow)
			ladder_book_only(book, o->ladder_flow);
	}
	bool nano = pipeline_nanosecond(pl);
	int fd = pipeline_fd(pl);
	int64_t last_flush = now_ms();
	int code = EXIT_OK;

	while (!got_stop && !out->closed) {
		int rc = pipeline_next(pl, &pkt, &tr);
		if (rc == 1) {
			counters_add(&cnt, &pkt);
			if (book)
				ladder_book_add(book, &pkt, &tr);
			if (per_packet) {
				if (json)
					view_json_packet(out, &pkt, &tr, nano);
				else
					view_text_packet(out, &pkt, &tr, nano);
			}
			if (fd >= 0 && (pkt.n & 1023) == 0 && now_ms() - last_flush > 200) {
				obuf_flush(out);
				pipeline_flush(pl);
				last_flush = now_ms();
			}
		} else if (rc == 0) {
			/* Live and idle: everything so far reaches the reader and the disk before we wait. */
			obuf_flush(out);
			pipeline_flush(pl);
			last_flush = now_ms();
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			poll(&pfd, 1, 250);
		} else if (rc == -1) {
			break;
		} else {
			const char *e = pipeline_error(pl);
			obuf_flush(out);
			if (strstr(e, "truncated")) {
				struct pipeline_stats ps;
				pipeline_stats(pl, &ps);
				fprintf(stderr, "synwatch: '%s' is cut short after packet %llu (%s); the packets before it were decoded\n",
					pipeline_source_name(pl), (unsigned long long)ps.packets, e);
				code = EXIT_INPUT;
			} else {
				fprintf(stderr, "synwatch: capture on '%s' failed: %s\n", pipeline_source_name(pl), e);
				code = EXIT_FAILURE_RUNTIME;
			}
			break;
		}
		if (got_usr1) {
			got_usr1 = 0;
			flows_print(out, pl, json);
		}
	}
	if (!out->closed) {
		if (o->stats)
			counters_print(out, &cnt, pl, json);
		if (o->flows)
			flows_print(out, pl, json);
		if (book) {
			obuf_flush(out);
			/* A capture with no flow has no ladder to draw; only a flow asked for by number must exist. */
			if (ladder_book_print(book, pipeline_flows(pl), o->ladder_flow, stdout, o->width) == 0 &&
			    o->ladder_flow) {
				fprintf(stderr, "synwatch: no flow %llu to draw; list them with --flows\n",
					(unsigned long long)o->ladder_flow);
				if (code == EXIT_OK)
					code = EXIT_USAGE;
			}
			fflush(stdout);
		}
	}
	ladder_book_free(book);
	obuf_flush(out);
	return code;
}

/* tcpdump-style closing lines on stderr. */
static void summary_print(struct pipeline *pl, const struct options *o)
{
	struct pipeline_stats s;
	pipeline_stats(pl, &s);
	if (pipeline_live(pl)) {
		fprintf(stderr, "%llu packets captured\n%llu packets received by filter\n%llu packets dropped by kernel\n",
			(unsigned long long)s.packets, (unsigned long long)s.kernel_recv,
			(unsigned long long)s.kernel_drop);
	} else {
		fprintf(stderr, "%llu packets read from %s\n", (unsigned long long)s.packets, pipeline_source_name(pl));
	}
	if (o->p.write)
		fprintf(stderr, "%llu packets written to %s\n", (unsigned long long)s.written, o->p.write);
}

int main(int argc, char **argv)
{
	static struct options opt;
	static struct obuf out;
	int code = options_parse(argc, argv, &opt);
	if (code >= 0)
		return code;
	/* The panel when a person is watching; text for pipes, files and the counters-only modes. */
	if (opt.view == VIEW_AUTO)
		opt.view = isatty(STDOUT_FILENO) && !opt.stats && !opt.flows && !opt.ladder ? VIEW_TUI : VIEW_TEXT;

	signals_install();
	char err[2048];
	struct pipeline *pl = pipeline_open(&opt.p, err, sizeof err, &code);
	if (!pl) {
		fprintf(stderr, "synwatch: %s\n", err);
		return code;
	}
	/* Everything that needs privileges is open: give them up (tcpdump's -Z). */
	if (!privs_drop(opt.user, err, sizeof err)) {
		fprintf(stderr, "synwatch: %s\n", err);
		pipeline_close(pl);
		return EXIT_FAILURE_RUNTIME;
	}
	if (pipeline_live(pl))
		fprintf(stderr, "synwatch: listening on %s, link type %s, filter '%s'\n", pipeline_source_name(pl),
			linktype_name(pipeline_linktype(pl)) ? linktype_name(pipeline_linktype(pl)) : "?",
			pipeline_filter(pl));

	obuf_init(&out, STDOUT_FILENO);
	code = TUI_FALLBACK_TEXT;
	if (opt.view == VIEW_TUI) {
		code = tui_run(pl, &opt.tui);
		if (code == TUI_FALLBACK_TEXT) {
			fprintf(stderr, "synwatch: this terminal cannot show the panel (TERM=%s); showing text instead\n",
				getenv("TERM") ? getenv("TERM") : "unset");
			opt.view = VIEW_TEXT;
		}
	}
	if (code == TUI_FALLBACK_TEXT)
		code = run_batch(pl, &opt, &out);
	if (out.error) {
		fprintf(stderr, "synwatch: cannot write output: %s\n", strerror(out.error));
		code = EXIT_FAILURE_RUNTIME;
	}
	if (!out.closed || got_stop)
		summary_print(pl, &opt);
	pipeline_close(pl);
	return code;
}
