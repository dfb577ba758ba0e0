/* main.c — synwatch: parses the command line, opens the pipeline and runs the chosen view's loop. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "sockdiag.h"
#include "timeline.h"
#include "trace.h"
#include "flow.h"
#include "obuf.h"
#include "pipeline.h"
#include "ladder.h"
#include "privs.h"
#include "tui.h"
#include "view.h"

#define SYNWATCH_VERSION "0.1.0"
#define LADDER_ROWS_PER_FLOW 10000 /* --ladder keeps the first rows of each flow */
#define MERGE_GRACE_NS (100 * 1000000LL) /* live: an item waits at most this long for the other source */
#define LINGER_MS 1000                   /* after the traced command / the scenarios: last packets */
#define SOCKETS_EVERY_MS 100             /* --sockets: socket table read this often */
#define CLASSROOM_FILTER "(tcp or udp) and port %u or icmp or icmp6"

enum view_mode { VIEW_AUTO, VIEW_TEXT, VIEW_JSON, VIEW_TUI };

struct options {
	struct pipeline_opts p;
	enum view_mode view;
	bool stats;        /* --stats: counters and flow summary only */
	bool explicit_view; /* --text or --json was given (not only implied) */
	bool flows;        /* --flows: flow table at the end */
	const char *user;  /* -Z: the user to become after opening the capture (NULL: sudo's user, or nobody) */
	bool user_set;     /* -Z was given */
	struct tui_opts tui; /* --speed, --step, --history, --no-color */
	bool ladder;       /* --ladder [FLOW]: sequence diagram(s) at the end */
	uint64_t ladder_flow; /* the flow to draw; 0 = every flow */
	int width;         /* --width: columns of the ladder (default $COLUMNS or 100) */
	char filter[4096]; /* the expression words joined */
	const char *events; /* --events FILE: sockdemo's socket-call events, merged by time */
	bool trace;         /* --trace -- COMMAND: run COMMAND traced, its calls merged by time */
	char **trace_argv;  /* the words after "--" */
	bool keep;          /* --keep: go on watching after the traced command (or one classroom round) ended */
	bool sockets;       /* --sockets: socket-table changes (sock_diag) on the timeline */
	uint16_t ports[32]; /* --ports LIST, or the ports named in the filter; none = every socket */
	size_t nports;
	bool classroom;     /* --classroom: sockdemo's scenarios on lo, calls, packets and sockets */
	unsigned port;      /* --classroom's port (-p PORT / --port PORT), default 8888 */
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
	      "                [--events FILE] [--sockets [--ports LIST]] [--trace [--keep] -- COMMAND [ARGS...]]\n"
	      "       synwatch --classroom [-p PORT] [--keep]\n"
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
	      "  --events FILE   merge sockdemo's socket-call events (--events FILE of sockdemo) with the\n"
	      "                  packets by time; FILE is followed as it grows\n"
	      "  --trace -- CMD  run CMD traced (ptrace), merge its socket calls; capture on lo meanwhile;\n"
	      "                  exit with CMD's exit status (--keep: go on watching)\n"
	      "  --sockets       the kernel's socket table (ss -tuan) for the filter's ports: changes in text\n"
	      "                  mode, a pane in the panel\n"
	      "  --ports LIST    the ports --sockets shows (comma-separated; default: those in the filter)\n"
	      "  --classroom     run sockdemo's scenarios on lo and show calls, packets and sockets;\n"
	      "                  -p PORT (or --port PORT) picks the port (default 8888)\n"
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
	OPT_EVENTS,
	OPT_TRACE,
	OPT_KEEP,
	OPT_SOCKETS,
	OPT_PORTS,
	OPT_CLASSROOM,
	OPT_PORT,
};

/* "8888,9000": ports from 1 to 65535; false on anything else. */
static bool parse_ports(const char *s, uint16_t *ports, size_t max, size_t *n)
{
	char buf[512];
	if (snprintf(buf, sizeof buf, "%s", s) >= (int)sizeof buf)
		return false;
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long long v;
		if (*n == max || !parse_number(tok, 1, 65535, &v))
			return false;
		ports[(*n)++] = (uint16_t)v;
	}
	return *n > 0;
}

/* The ports a BPF expression names ("port 8888", "tcp dst port 80"): the words after "port". */
static size_t filter_ports(const char *expr, uint16_t *ports, size_t max)
{
	char buf[4096];
	size_t n = 0;
	snprintf(buf, sizeof buf, "%s", expr);
	for (char *q = buf; *q; q++)
		if (*q == '(' || *q == ')')
			*q = ' ';
	bool after_port = false;
	for (char *save = NULL, *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		unsigned long long v;
		if (after_port && n < max && parse_number(tok, 1, 65535, &v))
			ports[n++] = (uint16_t)v;
		after_port = strcmp(tok, "port") == 0;
	}
	return n;
}

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
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "trace", no_argument, NULL, OPT_TRACE },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "sockets", no_argument, NULL, OPT_SOCKETS },
		{ "ports", required_argument, NULL, OPT_PORTS },
		{ "classroom", no_argument, NULL, OPT_CLASSROOM },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;
	/* `--trace ... -- COMMAND ARGS`: the words after "--" are the command, not the filter. */
	bool tracing = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			tracing = true;
		if (strcmp(argv[i], "--") == 0) {
			if (tracing) {
				o->trace_argv = &argv[i + 1];
				argv[i] = NULL;
				argc = i;
			}
			break;
		}
	}
	/* `--classroom -p 9000`: there -p names the port (promiscuous mode means nothing on lo). */
	bool classroom = false;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--classroom") == 0)
			classroom = true;
	for (int i = 1; classroom && i + 1 < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-p") == 0) {
			if (!parse_number(argv[i + 1], 1, 65535, &v))
				return fail_usage("--classroom -p takes a port from 1 to 65535, got", argv[i + 1]);
			o->port = (unsigned)v;
			memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 1) * sizeof argv[0]);
			argc -= 2;
			i--;
		}
	}
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
			o->user_set = true;
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
		case OPT_EVENTS:
			o->events = optarg;
			break;
		case OPT_TRACE:
			o->trace = true;
			break;
		case OPT_KEEP:
			o->keep = true;
			break;
		case OPT_SOCKETS:
			o->sockets = true;
			break;
		case OPT_PORTS:
			if (!parse_ports(optarg, o->ports, sizeof o->ports / sizeof o->ports[0], &o->nports))
				return fail_usage("--ports takes up to 32 comma-separated ports from 1 to 65535, got", optarg);
			break;
		case OPT_CLASSROOM:
			o->classroom = true;
			break;
		case OPT_PORT:
			if (!parse_number(optarg, 1, 65535, &v))
				return fail_usage("--port takes a port from 1 to 65535, got", optarg);
			o->port = (unsigned)v;
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
	if (o->port && !o->classroom)
		return fail_usage("--port is the port of --classroom; for other captures write it in the filter", NULL);
	if (o->classroom) {
		if (o->p.file || o->trace || o->events)
			return fail_usage("--classroom runs its own capture and scenarios: leave out -r, --trace and --events", NULL);
		if (used)
			return fail_usage("--classroom sets its own filter; pick the port with -p PORT instead of", o->filter);
		if (!o->port)
			o->port = 8888;
		snprintf(o->filter, sizeof o->filter, CLASSROOM_FILTER, o->port);
		o->sockets = true;
		o->p.iface = "lo";
	}
	if (o->trace) {
		if (!o->trace_argv || !o->trace_argv[0])
			return fail_usage("--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", NULL);
		if (o->p.file)
			return fail_usage("--trace captures live: leave out -r", NULL);
		if (o->events)
			return fail_usage("--trace and --events exclude each other: the tracer supplies the calls", NULL);
		if (!used)
			snprintf(o->filter, sizeof o->filter, "tcp or udp or icmp or icmp6");
	}
	if (o->keep && !o->trace && !o->classroom)
		return fail_usage("--keep goes with --trace or --classroom", NULL);
	if (o->sockets && o->p.file)
		return fail_usage("--sockets reads the kernel's sockets now: it cannot go with -r", NULL);
	if (o->sockets && !o->nports)
		o->nports = filter_ports(o->filter, o->ports, sizeof o->ports / sizeof o->ports[0]);
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

/* --stats of a pcapng file: each interface, its packets read and its last statistics block's counters. */
static void interfaces_print(struct obuf *o, struct pipeline *pl, bool json)
{
	size_t n = pipeline_interfaces(pl);
	if (json && n)
		obuf_puts(o, ",\"interfaces\":[");
	for (size_t i = 0; i < n; i++) {
		const struct pcapng_iface *f = pipeline_interface(pl, i);
		const char *lt = linktype_name(f->pub.linktype);
		if (json) {
			obuf_puts(o, i ? ",{\"if\":" : "{\"if\":");
			obuf_u64(o, f->pub.index);
			obuf_puts(o, ",\"section\":");
			obuf_u64(o, f->section);
			if (f->pub.name) {
				obuf_puts(o, ",\"ifname\":");
				obuf_json_str(o, f->pub.name);
			}
			obuf_puts(o, ",\"link\":");
			if (lt)
				obuf_json_str(o, lt);
			else
				obuf_u64(o, (uint64_t)f->pub.linktype);
			obuf_puts(o, ",\"read\":");
			obuf_u64(o, f->packets);
		} else {
			obuf_puts(o, "interface ");
			obuf_u64(o, f->pub.index);
			if (f->section) {
				obuf_puts(o, " of section ");
				obuf_u64(o, f->section);
			}
			if (f->pub.name) {
				obuf_puts(o, " (");
				obuf_puts(o, f->pub.name);
				obuf_putc(o, ')');
			}
			obuf_puts(o, ": ");
			if (lt)
				obuf_puts(o, lt);
			else
				obuf_u64(o, (uint64_t)f->pub.linktype);
			obuf_puts(o, ", ");
			obuf_u64(o, f->packets);
			obuf_puts(o, " packets read");
		}
		static const char *const isb[] = { "ifrecv", "ifdrop", "filteraccept", "osdrop", "usrdeliv" };
		const uint64_t v[] = { f->stats.ifrecv, f->stats.ifdrop, f->stats.filteraccept, f->stats.osdrop,
				       f->stats.usrdeliv };
		bool first = true;
		for (unsigned k = 0; k < sizeof isb / sizeof isb[0]; k++) {
			if (!(f->stats.have & (1u << k)))
				continue;
			if (json) {
				obuf_puts(o, ",\"");
				obuf_puts(o, isb[k]);
				obuf_puts(o, "\":");
			} else {
				obuf_puts(o, first ? "; statistics: " : ", ");
				obuf_puts(o, isb[k]);
				obuf_putc(o, ' ');
			}
			obuf_u64(o, v[k]);
			first = false;
		}
		obuf_puts(o, json ? "}" : "\n");
	}
	if (json && n)
		obuf_putc(o, ']');
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
	interfaces_print(o, pl, json);
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

/* Why the pipeline stopped (it returned -2), on stderr; returns the exit code. */
static int failure_print(const struct pipeline *pl)
{
	char msg[PCAP_ERRBUF_SIZE + 1024];
	int code = pipeline_failure(pl, msg, sizeof msg);
	fprintf(stderr, "synwatch: %s\n", msg);
	return code;
}

/* The non-interactive loop: text, JSON or counters only. Returns an exit code. */
static int run_batch(struct pipeline *pl, const struct options *o, struct obuf *out)
{
	const struct packet *pkt = NULL;
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
	int fd = pipeline_fd(pl);
	int64_t last_flush = now_ms();
	int code = EXIT_OK;

	while (!got_stop && !out->closed) {
		int rc = pipeline_next_ref(pl, &pkt, &tr);
		if (rc == 1) {
			counters_add(&cnt, pkt);
			if (book)
				ladder_book_add(book, pkt, &tr);
			if (per_packet) {
				bool nano = pipeline_nanosecond(pl); /* a pcapng file's finer interface can turn it on */
				if (json)
					view_json_packet(out, pkt, &tr, nano);
				else
					view_text_packet(out, pkt, &tr, nano);
			}
			if (fd >= 0 && (pkt->n & 1023) == 0 && now_ms() - last_flush > 200) {
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
			obuf_flush(out);
			code = failure_print(pl);
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

/* ---- The merged timeline: packets, socket calls (--events, --trace) and socket-table changes ---- */

#define SOCK_ROWS_MAX 1024 /* sockets shown at most by --sockets */
#define PENDING_CALLS 64   /* call rows waiting for their flow's first packet row (connect before SYN) */

/* sockdemo run by --classroom. Global so every exit path can clean up (atexit). */
static struct demo {
	pid_t pid;          /* the sockdemo process, 0 when none */
	bool done;          /* reaped; status valid */
	int status;         /* its exit status as a shell reports it */
	char dir[128];      /* private temporary directory holding the two files below */
	char events[192];   /* events file sockdemo writes */
	char errs[192];     /* sockdemo's stderr */
} demo;

static int64_t now_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int wait_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

/* Reap sockdemo if it ended; true when it has. */
static bool demo_reap(void)
{
	if (demo.pid <= 0 || demo.done)
		return demo.done;
	int st;
	if (waitpid(demo.pid, &st, WNOHANG) == demo.pid) {
		demo.done = true;
		demo.status = wait_status(st);
	}
	return demo.done;
}

/* Stop sockdemo (SIGTERM, then SIGKILL after a second) and remove its files. */
static void demo_cleanup(void)
{
	if (demo.pid > 0 && !demo_reap()) {
		kill(demo.pid, SIGTERM);
		for (int i = 0; i < 100 && !demo_reap(); i++) {
			struct timespec d = { 0, 10 * 1000000 };
			nanosleep(&d, NULL);
		}
		if (!demo.done) {
			kill(demo.pid, SIGKILL);
			int st;
			waitpid(demo.pid, &st, 0);
			demo.done = true;
		}
	}
	if (demo.dir[0]) {
		unlink(demo.events);
		unlink(demo.errs);
		rmdir(demo.dir);
		demo.dir[0] = '\0';
	}
}

/* The sockdemo binary: next to this program (/proc/self/exe), else in PATH. Returns an open fd or -1. */
static int demo_find(char path[PATH_MAX], size_t n)
{
	char self[PATH_MAX - 16];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	if (k > 0) {
		self[k] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, n, "%s/sockdemo", self);
			if (access(path, X_OK) == 0)
				return open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	const char *env = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s", env ? env : "/usr/local/bin:/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, n, "%s/sockdemo", *d ? d : ".");
		if (access(path, X_OK) == 0)
			return open(path, O_RDONLY | O_CLOEXEC);
	}
	snprintf(path, n, "sockdemo");
	return -1;
}

/* Start `sockdemo scenario all [--loop] -p PORT --events FILE` from the open binary exe_fd. */
static bool demo_start(int exe_fd, const char *exe_path, unsigned port, bool loop, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(demo.dir, sizeof demo.dir, "%s/synwatch-classroom.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(demo.dir)) {
		snprintf(err, errlen, "cannot create a directory for the events file in %s: %s; fix: set TMPDIR to a writable directory",
			 tmp && *tmp ? tmp : "/tmp", strerror(errno));
		demo.dir[0] = '\0';
		return false;
	}
	snprintf(demo.events, sizeof demo.events, "%s/events.jsonl", demo.dir);
	snprintf(demo.errs, sizeof demo.errs, "%s/sockdemo.err", demo.dir);
	int efd = open(demo.events, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int errfd = open(demo.errs, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (efd < 0 || errfd < 0) {
		snprintf(err, errlen, "cannot create files in %s: %s", demo.dir, strerror(errno));
		if (efd >= 0)
			close(efd);
		if (errfd >= 0)
			close(errfd);
		return false;
	}
	close(efd);
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%u", port);
	char *argv[12];
	int a = 0;
	argv[a++] = (char *)"sockdemo";
	argv[a++] = (char *)"scenario";
	argv[a++] = (char *)"all";
	if (loop)
		argv[a++] = (char *)"--loop";
	argv[a++] = (char *)"-p";
	argv[a++] = portbuf;
	argv[a++] = (char *)"--events";
	argv[a++] = demo.events;
	argv[a++] = (char *)"--no-narrate";
	argv[a] = NULL;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start sockdemo: %s", strerror(errno));
		close(errfd);
		return false;
	}
	if (pid == 0) {
		/* Ends with us whatever way we end; its own group so a terminal's ^C reaches only us. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, STDIN_FILENO);
			dup2(nul, STDOUT_FILENO);
		}
		dup2(errfd, STDERR_FILENO);
		extern char **environ;
		fexecve(exe_fd, argv, environ);
		dprintf(STDERR_FILENO, "sockdemo: cannot run %s: %s\n", exe_path, strerror(errno));
		_exit(127);
	}
	close(errfd);
	demo.pid = pid;
	return true;
}

/* The last line sockdemo wrote to its stderr, for our own message. */
static void demo_last_error(char *buf, size_t n)
{
	buf[0] = '\0';
	FILE *f = fopen(demo.errs, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(buf, n, "%s", line);
	}
	fclose(f);
}

/* A call row waiting for its flow's first packet row in the ladder. */
struct pending_call {
	uint64_t flow_id;
	struct ladder_row row;
};

struct merge {
	const struct options *o;
	struct obuf *out;
	bool json, nano, per_packet, live;
	struct ladder_book *book;
	struct timeline tl;
	struct tl_flows flows;         /* flows of the packets released so far, for matching calls */
	struct pending_call pend[PENDING_CALLS];
	size_t npend;
	struct obuf scratch;           /* a packet's line is rendered here, then copied into the timeline */
	struct events_reader er;
	bool have_events;
	struct tracer *tracer;
	struct sockdiag_row rows[2][SOCK_ROWS_MAX];
	size_t nrows[2];
	int cur;                       /* rows[cur] is the latest snapshot */
	struct sock_event tbuf[64];    /* panel: calls from the tracer not yet handed over */
	size_t tbuf_i, tbuf_n;
	char status[1200];             /* panel: the line shown once the command or sockdemo ended */
	bool sock_first;               /* no snapshot taken yet */
	int64_t next_sock_ms;
	uint64_t calls_shown;
};

/* A call as the ladder labels it: "connect()", "accept() = 4", "connect() = -1 ECONNREFUSED". */
static void call_label(const struct sock_event *ev, char *buf, size_t n)
{
	if (ev->ret < 0)
		snprintf(buf, n, "%s() = -1 %s", ev->call, ev->errname[0] ? ev->errname : "error");
	else if (strcmp(ev->call, "socket") && strcmp(ev->call, "close") && strcmp(ev->call, "connect") &&
		 strcmp(ev->call, "shutdown") && strcmp(ev->call, "listen") && strcmp(ev->call, "bind") &&
		 strcmp(ev->call, "setsockopt"))
		snprintf(buf, n, "%s() = %lld", ev->call, (long long)ev->ret);
	else
		snprintf(buf, n, "%s()", ev->call);
}

static void merge_call(struct merge *m, const struct sock_event *ev)
{
	enum flow_dir side = DIR_C2S;
	const struct flow *f = NULL;
	enum tcp_state states[2] = { TCPS_NONE, TCPS_NONE };
	/* A call placed before its packets (connect, send, close) belongs to the flow they are in. */
	bool before = timeline_call_key(ev) < ev->ts_us * 1000;
	const struct tl_item *ahead = before ? timeline_match_ahead(&m->tl, ev, &side) : NULL;
	if (ahead) {
		f = &ahead->snap;
		states[0] = (enum tcp_state)ahead->row.before[0];
		states[1] = (enum tcp_state)ahead->row.before[1];
	} else if ((f = tl_flows_match(&m->flows, ev, &side)) != NULL) {
		states[0] = f->state[0];
		states[1] = f->state[1];
	} else if ((ahead = timeline_match_ahead(&m->tl, ev, &side)) != NULL) {
		f = &ahead->snap;
		states[0] = (enum tcp_state)ahead->row.before[0];
		states[1] = (enum tcp_state)ahead->row.before[1];
	}
	char strace[1024];
	events_format_strace(ev, strace, sizeof strace);
	int64_t key = timeline_call_key(ev);
	m->calls_shown++;
	if (m->per_packet) {
		struct obuf *o = m->out;
		if (m->json) {
			char ep[64];
			obuf_puts(o, "{\"call\":");
			obuf_json_str(o, ev->call);
			obuf_puts(o, ",\"ts\":");
			obuf_i64(o, ev->ts_us / 1000000);
			obuf_putc(o, '.');
			obuf_u64_pad(o, (uint64_t)(ev->ts_us % 1000000), 6);
			obuf_puts(o, ",\"at\":");
			obuf_i64(o, key / 1000000000);
			obuf_putc(o, '.');
			obuf_u64_pad(o, (uint64_t)(key % 1000000000) / 1000, 6);
			obuf_puts(o, ",\"dur_us\":");
			obuf_i64(o, ev->dur_us);
			obuf_puts(o, ",\"pid\":");
			obuf_i64(o, ev->pid);
			obuf_puts(o, ",\"role\":");
			obuf_json_str(o, ev->role);
			obuf_puts(o, ",\"fd\":");
			if (ev->fd >= 0)
				obuf_i64(o, ev->fd);
			else
				obuf_puts(o, "null");
			obuf_puts(o, ",\"args\":");
			obuf_json_str(o, ev->args);
			obuf_puts(o, ",\"ret\":");
			obuf_i64(o, ev->ret);
			obuf_puts(o, ",\"errno\":");
			if (ev->errname[0])
				obuf_json_str(o, ev->errname);
			else
				obuf_puts(o, "null");
			obuf_puts(o, ",\"local\":");
			if (ev->local.af) {
				events_format_endpoint(&ev->local, ep, sizeof ep);
				obuf_json_str(o, ep);
			} else {
				obuf_puts(o, "null");
			}
			obuf_puts(o, ",\"remote\":");
			if (ev->remote.af) {
				events_format_endpoint(&ev->remote, ep, sizeof ep);
				obuf_json_str(o, ep);
			} else {
				obuf_puts(o, "null");
			}
			if (f) {
				obuf_puts(o, ",\"flow\":");
				obuf_u64(o, f->id);
				obuf_puts(o, ",\"side\":");
				obuf_json_str(o, side == DIR_C2S ? "client" : "server");
			}
			obuf_puts(o, ",\"strace\":");
			obuf_json_str(o, strace);
			obuf_puts(o, "}\n");
		} else {
			view_time(o, key / 1000000000, (uint32_t)(key % 1000000000), m->nano);
			obuf_puts(o, " call  ");
			obuf_puts(o, ev->role);
			obuf_puts(o, " pid ");
			obuf_i64(o, ev->pid);
			obuf_puts(o, ": ");
			obuf_puts(o, strace);
			if (f) {
				obuf_puts(o, " | flow ");
				obuf_u64(o, f->id);
				obuf_puts(o, side == DIR_C2S ? " client" : " server");
			}
			obuf_putc(o, '\n');
		}
		obuf_maybe_flush(o);
	}
	if (m->book && f) {
		char label[LADDER_LABEL_MAX];
		call_label(ev, label, sizeof label);
		struct ladder_row row;
		ladder_row_call(&row, key, side, label, states);
		if (!ladder_book_add_call(m->book, f->id, &row)) {
			if (m->npend == PENDING_CALLS) {
				memmove(&m->pend[0], &m->pend[1], (PENDING_CALLS - 1) * sizeof m->pend[0]);
				m->npend--;
			}
			m->pend[m->npend].flow_id = f->id;
			m->pend[m->npend].row = row;
			m->npend++;
		}
	}
}

static void merge_release(struct merge *m, const struct tl_item *it)
{
	switch (it->kind) {
	case TL_PACKET:
		if (m->per_packet && it->len)
			obuf_write(m->out, it->text, it->len);
		if (it->has_flow) {
			tl_flows_note(&m->flows, &it->snap);
			if (m->book) {
				size_t k = 0;
				for (size_t i = 0; i < m->npend; i++) {
					if (m->pend[i].flow_id == it->snap.id)
						ladder_book_add_row(m->book, &it->snap, &m->pend[i].row);
					else
						m->pend[k++] = m->pend[i];
				}
				m->npend = k;
				ladder_book_add_row(m->book, &it->snap, &it->row);
			}
		}
		break;
	case TL_CALL:
		merge_call(m, &it->ev);
		break;
	case TL_NOTE:
		if (it->len)
			obuf_write(m->out, it->text, it->len);
		break;
	}
	obuf_maybe_flush(m->out);
}

/* Release what is due (everything when all is true). */
static void merge_drain(struct merge *m, bool all)
{
	if (all)
		m->tl.pkt_done = m->tl.call_done = true;
	int64_t now = m->live ? now_real_ns() : INT64_MIN;
	const struct tl_item *it;
	while (!m->out->closed && (it = timeline_peek(&m->tl, now)) != NULL) {
		merge_release(m, it);
		timeline_pop(&m->tl);
	}
}

static void sock_change(enum sockdiag_change what, const struct sockdiag_row *before, const struct sockdiag_row *after,
			void *arg)
{
	struct merge *m = arg;
	const struct sockdiag_row *r = after ? after : before;
	struct obuf *o = &m->scratch;
	int64_t now = now_real_ns();
	o->len = 0;
	if (m->json) {
		char a[96];
		obuf_puts(o, "{\"socket\":");
		obuf_json_str(o, what == SOCKDIAG_APPEARED ? "appeared" : what == SOCKDIAG_GONE ? "gone" :
				 what == SOCKDIAG_STATE ? "state" : "queues");
		obuf_puts(o, ",\"ts\":");
		obuf_i64(o, now / 1000000000);
		obuf_putc(o, '.');
		obuf_u64_pad(o, (uint64_t)(now % 1000000000) / 1000, 6);
		obuf_puts(o, ",\"proto\":");
		obuf_json_str(o, sockdiag_proto_name(r->proto));
		if (before && what != SOCKDIAG_APPEARED) {
			obuf_puts(o, ",\"was\":");
			obuf_json_str(o, sockdiag_state_name(before->state));
		}
		obuf_puts(o, ",\"state\":");
		obuf_json_str(o, what == SOCKDIAG_GONE ? "gone" : sockdiag_state_name(r->state));
		obuf_puts(o, ",\"recv_q\":");
		obuf_u64(o, r->rqueue);
		obuf_puts(o, ",\"send_q\":");
		obuf_u64(o, r->wqueue);
		sockdiag_format_addr(r, &r->local, a, sizeof a);
		obuf_puts(o, ",\"local\":");
		obuf_json_str(o, a);
		sockdiag_format_addr(r, &r->remote, a, sizeof a);
		obuf_puts(o, ",\"remote\":");
		obuf_json_str(o, a);
		obuf_puts(o, "}\n");
	} else {
		char line[256];
		sockdiag_format(r, line, sizeof line);
		view_time(o, now / 1000000000, (uint32_t)(now % 1000000000), m->nano);
		obuf_puts(o, " socket ");
		obuf_puts(o, sockdiag_change_mark(what));
		obuf_putc(o, ' ');
		obuf_puts(o, line);
		if (what == SOCKDIAG_STATE && before) {
			obuf_puts(o, " (was ");
			obuf_puts(o, sockdiag_state_name(before->state));
			obuf_putc(o, ')');
		}
		obuf_putc(o, '\n');
	}
	timeline_push_note(&m->tl, now, o->buf, o->len);
	o->len = 0;
}

/* --sockets: read the table and put its changes on the timeline. */
static void merge_sockets(struct merge *m)
{
	char err[256];
	int nxt = 1 - m->cur;
	int n = sockdiag_snapshot(m->rows[nxt], SOCK_ROWS_MAX, m->o->ports, m->o->nports, err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "synwatch: --sockets: %s\n", err);
		return;
	}
	m->nrows[nxt] = (size_t)n > SOCK_ROWS_MAX ? SOCK_ROWS_MAX : (size_t)n;
	sockdiag_diff(m->rows[m->cur], m->sock_first ? 0 : m->nrows[m->cur], m->rows[nxt], m->nrows[nxt], 0,
		      sock_change, m);
	m->sock_first = false;
	m->cur = nxt;
}

/* Read what the events file and the tracer have now, leaving room in the timeline (the rest stays in the
   file for the next turn). True when the events file has nothing more now. */
static bool merge_calls(struct merge *m)
{
	struct sock_event ev;
	char err[512];
	bool drained = true;
	if (m->have_events) {
		for (;;) {
			if (m->tl.ocount >= TL_OTHERS_MAX - 64) {
				drained = false;
				break;
			}
			enum events_status st = events_reader_next(&m->er, &ev, err, sizeof err);
			if (st == EVENTS_EVENT)
				timeline_push_call(&m->tl, &ev);
			else if (st == EVENTS_NONE)
				break;
			else
				fprintf(stderr, "synwatch: %s\n", err);
		}
	}
	if (m->tracer) {
		struct sock_event evs[64];
		int n;
		while ((n = trace_poll(m->tracer, evs, 64, 0)) > 0)
			for (int i = 0; i < n; i++)
				timeline_push_call(&m->tl, &evs[i]);
		if (n < 0)
			fprintf(stderr, "synwatch: --trace: %s\n", trace_error(m->tracer));
	}
	return drained;
}

/* Every flow a call was matched to has ended (FIN both ways, RST, refused): the last packets are in. */
static bool merge_flows_ended(const struct merge *m)
{
	for (size_t i = 0; i < m->flows.n; i++) {
		const struct flow *f = &m->flows.f[i];
		if (f->proto == 6 && f->end == END_OPEN && !(f->state[0] == TCPS_TIME_WAIT || f->state[1] == TCPS_TIME_WAIT ||
							      (f->state[0] == TCPS_CLOSED && f->state[1] == TCPS_CLOSED)))
			return false;
	}
	return timeline_count(&m->tl) == 0;
}

/* The text/JSON loop with calls and socket changes merged in by time. *cmd_status gets the traced command's
   (or sockdemo's) exit status when it ended. Returns an exit code. */
static int run_merged(struct pipeline *pl, const struct options *o, struct obuf *out, struct merge *m, int *cmd_status)
{
	static struct packet pkt;
	struct track_result tr;
	struct counters cnt = { 0 };
	m->o = o;
	m->out = out;
	m->json = o->view == VIEW_JSON;
	m->nano = pipeline_nanosecond(pl);
	m->live = pipeline_live(pl);
	m->per_packet = !o->stats && (!o->ladder || o->explicit_view);
	m->sock_first = true;
	if (o->ladder) {
		m->book = ladder_book_new(LADDER_ROWS_PER_FLOW);
		if (!m->book) {
			fprintf(stderr, "synwatch: out of memory for --ladder\n");
			return EXIT_FAILURE_RUNTIME;
		}
		if (o->ladder_flow)
			ladder_book_only(m->book, o->ladder_flow);
	}
	timeline_init(&m->tl, MERGE_GRACE_NS);
	obuf_init(&m->scratch, -1);
	if (!m->have_events && !m->tracer)
		m->tl.call_done = true;
	/* Replay: the events file as it is now, read as the packets go (a line of one process is rarely
	   written after a later line of another: calls count as ordered). */
	if (!m->live && m->have_events)
		m->tl.calls_ordered = true;
	int fd = pipeline_fd(pl);
	int64_t linger_from = -1;
	int64_t next_sock = 0;
	int code = EXIT_OK;
	while (!got_stop && !out->closed) {
		if (!m->live && m->have_events && !m->tl.call_done && merge_calls(m))
			m->tl.call_done = true;
		int rc = 0, k = 0;
		while (k < 256 && (rc = pipeline_next(pl, &pkt, &tr)) == 1) {
			k++;
			counters_add(&cnt, &pkt);
			m->scratch.len = 0;
			m->nano = pipeline_nanosecond(pl);
			if (m->per_packet) {
				if (m->json)
					view_json_packet(&m->scratch, &pkt, &tr, m->nano);
				else
					view_text_packet(&m->scratch, &pkt, &tr, m->nano);
			}
			struct ladder_row row;
			if (tr.flow)
				ladder_row_from(&row, &pkt, &tr);
			timeline_push_packet(&m->tl, (int64_t)pkt.ts_sec * 1000000000 + pkt.ts_nsec, pkt.n, m->scratch.buf,
					     m->scratch.len, tr.flow ? &row : NULL, tr.flow);
			m->scratch.len = 0;
		}
		if (rc == -1)
			break;
		if (rc == -2) {
			merge_drain(m, true);
			obuf_flush(out);
			code = failure_print(pl);
			break;
		}
		if (m->live)
			merge_calls(m);
		if (o->sockets && now_ms() >= next_sock) {
			merge_sockets(m);
			next_sock = now_ms() + SOCKETS_EVERY_MS;
		}
		merge_drain(m, false);
		if (got_usr1) {
			got_usr1 = 0;
			flows_print(out, pl, m->json);
		}
		/* The traced command or the one round of scenarios ended: wait for the last packets. */
		int st;
		if (linger_from < 0 && m->tracer && trace_done(m->tracer, &st)) {
			*cmd_status = st;
			linger_from = now_ms();
		}
		if (linger_from < 0 && demo.pid > 0 && demo_reap()) {
			*cmd_status = demo.status;
			linger_from = now_ms();
			merge_calls(m); /* its last lines */
		}
		if (linger_from >= 0 && !o->keep) {
			int64_t waited = now_ms() - linger_from;
			if (waited >= LINGER_MS || (waited >= 150 && merge_flows_ended(m)))
				break;
		}
		if (rc == 0 && k == 0) {
			obuf_flush(out);
			pipeline_flush(pl);
			struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
			if (m->tracer && linger_from < 0)
				pfd[1].fd = trace_fd(m->tracer);
			int64_t w = timeline_wait_ns(&m->tl, now_real_ns());
			int timeout = m->have_events || o->sockets || linger_from >= 0 ? 20 : 250;
			if (w >= 0 && w / 1000000 + 1 < timeout)
				timeout = (int)(w / 1000000) + 1;
			poll(pfd, 2, timeout);
		}
	}
	/* The rest: what came in last (live), or what the replay has not reached. */
	for (int i = 0; i < 1000000 && !out->closed; i++) {
		bool drained = merge_calls(m);
		if (drained)
			break;
		merge_drain(m, true);
		m->tl.pkt_done = m->tl.call_done = false;
	}
	merge_drain(m, true);
	if (!out->closed) {
		if (o->stats)
			counters_print(out, &cnt, pl, m->json);
		if (o->flows)
			flows_print(out, pl, m->json);
		if (m->book) {
			obuf_flush(out);
			if (ladder_book_print(m->book, pipeline_flows(pl), o->ladder_flow, stdout, o->width) == 0 &&
			    o->ladder_flow) {
				fprintf(stderr, "synwatch: no flow %llu to draw; list them with --flows\n",
					(unsigned long long)o->ladder_flow);
				if (code == EXIT_OK)
					code = EXIT_USAGE;
			}
			fflush(stdout);
		}
	}
	ladder_book_free(m->book);
	m->book = NULL;
	timeline_free(&m->tl);
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

/* Mark every descriptor above stderr close-on-exec: the traced command and sockdemo must not inherit the
   capture socket or the -w file (libpcap does not set FD_CLOEXEC). */
static void fds_cloexec(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end || e->d_name[0] == '.' || fd <= 2 || fd == self)
			continue;
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0)
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	closedir(d);
}

/* The panel's source of calls (struct tui_feed.calls): the events file, then the tracer. */
static size_t feed_calls(void *arg, struct sock_event *out, size_t max)
{
	struct merge *m = arg;
	size_t n = 0;
	char err[512];
	while (n < max) {
		if (m->have_events) {
			enum events_status st = events_reader_next(&m->er, &out[n], err, sizeof err);
			if (st == EVENTS_EVENT) {
				n++;
				continue;
			}
			if (st == EVENTS_BAD)
				continue; /* counted by the reader; a terminal cannot take a message mid-screen */
		}
		if (m->tracer) {
			if (m->tbuf_i < m->tbuf_n) {
				out[n++] = m->tbuf[m->tbuf_i++];
				continue;
			}
			int k = trace_poll(m->tracer, m->tbuf, sizeof m->tbuf / sizeof m->tbuf[0], 0);
			if (k > 0) {
				m->tbuf_n = (size_t)k;
				m->tbuf_i = 0;
				continue;
			}
		}
		break;
	}
	return n;
}

/* The panel's status line once the traced command or sockdemo ended, else NULL. */
static const char *feed_status(void *arg)
{
	struct merge *m = arg;
	int st;
	if (m->tracer && trace_done(m->tracer, &st)) {
		snprintf(m->status, sizeof m->status, "the traced command exited with status %d; q quits", st);
		return m->status;
	}
	if (demo.pid > 0 && demo_reap()) {
		char last[1024];
		demo_last_error(last, sizeof last);
		snprintf(m->status, sizeof m->status, "sockdemo exited with status %d%s%s", demo.status, last[0] ? ": " : "",
			 last);
		return m->status;
	}
	return NULL;
}

/* The user who ran us through sudo (SUDO_UID/SUDO_GID), when we are root; false otherwise. */
static bool invoking_user(uid_t *uid, gid_t *gid)
{
	unsigned long long u, g;
	if (geteuid() != 0 || !parse_number(getenv("SUDO_UID"), 0, UINT32_MAX, &u) ||
	    !parse_number(getenv("SUDO_GID"), 0, UINT32_MAX, &g) || u == 0)
		return false;
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return true;
}

int main(int argc, char **argv)
{
	static struct options opt;
	static struct obuf out;
	static struct merge merge;
	int code = options_parse(argc, argv, &opt);
	if (code >= 0)
		return code;
	bool merged = opt.events || opt.trace || opt.sockets || opt.classroom;
	/* The panel when a person is watching; text for pipes, files and the counters-only modes. */
	if (opt.view == VIEW_AUTO)
		opt.view = isatty(STDOUT_FILENO) && !opt.stats && !opt.flows && !opt.ladder ? VIEW_TUI : VIEW_TEXT;

	signals_install();
	char err[2048];
	/* --classroom: the sockdemo binary, found and opened while we may still read anywhere. */
	char demo_path[PATH_MAX];
	int demo_fd = -1;
	if (opt.classroom) {
		demo_fd = demo_find(demo_path, sizeof demo_path);
		if (demo_fd < 0) {
			fprintf(stderr, "synwatch: --classroom needs sockdemo, found neither next to synwatch nor in PATH; fix: run make (it builds build/sockdemo)\n");
			return EXIT_USAGE;
		}
	}
	if (opt.events) {
		if (!events_reader_open(&merge.er, opt.events, err, sizeof err)) {
			fprintf(stderr, "synwatch: %s\n", err);
			return EXIT_USAGE;
		}
		merge.have_events = true;
	}
	struct pipeline *pl = pipeline_open(&opt.p, err, sizeof err, &code);
	if (!pl) {
		fprintf(stderr, "synwatch: %s\n", err);
		return code;
	}
	/* --trace: the command starts before we give up root (a tracer keeps its tracee), with the rights of
	   the user who ran sudo, else with ours. */
	fds_cloexec();
	static char trace_user[256];
	if (opt.trace) {
		/* synwatch and the command share a user: the tracer tells sockets by reading the command's
		   /proc/PID/fd, which only the same user (or root) may. */
		uid_t uid = (uid_t)-1;
		gid_t gid = (gid_t)-1;
		struct passwd *pw = NULL;
		if (opt.user_set) {
			if (geteuid() == 0 && (pw = getpwnam(opt.user)) != NULL) {
				uid = pw->pw_uid;
				gid = pw->pw_gid;
			}
		} else if (invoking_user(&uid, &gid) && (pw = getpwuid(uid)) != NULL) {
			snprintf(trace_user, sizeof trace_user, "%s", pw->pw_name);
			opt.user = trace_user;
		} else {
			uid = (uid_t)-1;
			opt.user = "root"; /* started by root itself: the command runs as root, and so do we */
		}
		/* The panel owns the terminal: there the command reads and writes /dev/null. */
		int saved[3] = { -1, -1, -1 };
		int nul = opt.view == VIEW_TUI ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
		for (int i = 0; nul >= 0 && i < 3; i++) {
			saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
			dup2(nul, i);
		}
		merge.tracer = trace_start_as(opt.trace_argv, uid, gid, err, sizeof err);
		for (int i = 0; i < 3; i++) {
			if (saved[i] >= 0) {
				dup2(saved[i], i);
				close(saved[i]);
			}
		}
		if (nul >= 0)
			close(nul);
		if (!merge.tracer) {
			fprintf(stderr, "synwatch: %s\n", err);
			pipeline_close(pl);
			return 127;
		}
	}
	/* Everything that needs privileges is open: give them up (tcpdump's -Z). */
	if (!privs_drop(opt.user, err, sizeof err)) {
		fprintf(stderr, "synwatch: %s\n", err);
		trace_free(merge.tracer);
		pipeline_close(pl);
		return EXIT_FAILURE_RUNTIME;
	}
	if (pipeline_live(pl))
		fprintf(stderr, "synwatch: listening on %s, link type %s, filter '%s'\n", pipeline_source_name(pl),
			linktype_name(pipeline_linktype(pl)) ? linktype_name(pipeline_linktype(pl)) : "?",
			pipeline_filter(pl));
	if (opt.classroom) {
		/* As the user we now are, so we can stop it; one round for text, a loop for the panel. */
		atexit(demo_cleanup);
		bool loop = opt.view == VIEW_TUI || opt.keep;
		if (!demo_start(demo_fd, demo_path, opt.port, loop, err, sizeof err) ||
		    !events_reader_open(&merge.er, demo.events, err, sizeof err)) {
			fprintf(stderr, "synwatch: %s\n", err);
			demo_cleanup();
			pipeline_close(pl);
			return EXIT_FAILURE_RUNTIME;
		}
		close(demo_fd);
		merge.have_events = true;
	}

	obuf_init(&out, STDOUT_FILENO);
	int cmd_status = -1;
	code = TUI_FALLBACK_TEXT;
	static struct tui_feed feed;
	if (merged) {
		feed.calls = merge.have_events || merge.tracer ? feed_calls : NULL;
		feed.arg = &merge;
		feed.live_calls = (merge.have_events || merge.tracer) && pipeline_live(pl);
		feed.sockets = opt.sockets;
		feed.ports = opt.ports;
		feed.nports = opt.nports;
		feed.status = feed_status;
		feed.poll_fd = merge.tracer ? trace_fd(merge.tracer) : -1;
		opt.tui.feed = &feed;
	}
	if (opt.view == VIEW_TUI) {
		code = tui_run(pl, &opt.tui);
		if (code == TUI_FALLBACK_TEXT) {
			fprintf(stderr, "synwatch: this terminal cannot show the panel (TERM=%s); showing text instead\n",
				getenv("TERM") ? getenv("TERM") : "unset");
			opt.view = VIEW_TEXT;
		}
	}
	if (code == TUI_FALLBACK_TEXT)
		code = merged ? run_merged(pl, &opt, &out, &merge, &cmd_status) : run_batch(pl, &opt, &out);
	if (out.error) {
		fprintf(stderr, "synwatch: cannot write output: %s\n", strerror(out.error));
		code = EXIT_FAILURE_RUNTIME;
	}
	if (!out.closed || got_stop)
		summary_print(pl, &opt);
	if (merged && merge.calls_shown)
		fprintf(stderr, "%llu socket calls shown\n", (unsigned long long)merge.calls_shown);
	if (opt.classroom && demo.done && demo.status != 0 && !got_stop) {
		char last[1024];
		demo_last_error(last, sizeof last);
		fprintf(stderr, "synwatch: sockdemo exited with status %d%s%s\n", demo.status, last[0] ? ": " : "", last);
		if (code == EXIT_OK)
			code = EXIT_FAILURE_RUNTIME;
	}
	if (opt.trace) {
		if (!trace_done(merge.tracer, &cmd_status))
			cmd_status = -1;
		trace_free(merge.tracer);
		if (code == EXIT_OK && !opt.keep && cmd_status >= 0)
			code = cmd_status;
	}
	if (merge.have_events)
		events_reader_close(&merge.er);
	demo_cleanup();
	pipeline_close(pl);
	return code;
}
