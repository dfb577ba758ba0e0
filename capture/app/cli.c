/* cli.c — the option table, its tcpdump-like parser (no argv rewriting), the rules between options and --help. */
#include "app/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view/ladder.h"

#define F CLI_FIELD
#define CLASSROOM_ONLY .modes = CLI_MODE_CLASSROOM
#define CAPTURE_ONLY .modes = CLI_MODE_CAPTURE

/* Every option, in the order --help lists them. A row's `takes` completes "NAME takes ..., got: VALUE". */
const struct cli_option cli_options[] = {
	{ 'i', NULL, CLI_ARG_REQUIRED, "IFACE", CLI_STRING, F(p.iface), .help = "capture live on IFACE (default lo)" },
	{ 'r', NULL, CLI_ARG_REQUIRED, "FILE", CLI_STRING, F(p.file), .help = "read a pcap or pcapng file ('-' for stdin)" },
	{ 'w', NULL, CLI_ARG_REQUIRED, "FILE", CLI_STRING, F(p.write),
	  .help = "also write the packets that passed the filter to FILE: pcap, or pcapng when\n"
		  "FILE ends in .pcapng (with socket calls known, a lesson: calls, sockets, comments)" },
	{ 0, "pcapng", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(p.pcapng), .help = "-w writes pcapng whatever FILE's name" },
	{ 'c', NULL, CLI_ARG_REQUIRED, "COUNT", CLI_U64, F(p.count), .min = 1, .max = UINT64_MAX,
	  .takes = "a packet count of 1 or more", .help = "stop after COUNT packets" },
	{ 's', NULL, CLI_ARG_REQUIRED, "SNAPLEN", CLI_INT, F(p.snaplen), .min = 0, .max = 262144,
	  .takes = "a snap length from 0 (= 262144) to 262144 bytes",
	  .help = "bytes to capture per packet (default and 0: 262144)" },
	{ 'p', NULL, CLI_ARG_NONE, NULL, CLI_SET_FALSE, F(p.promisc), CAPTURE_ONLY,
	  .help = "do not put the interface in promiscuous mode" },
	{ 'B', NULL, CLI_ARG_REQUIRED, "KIB", CLI_KIB, F(p.buffer_bytes), .min = 1, .max = 4 * 1024 * 1024,
	  .takes = "a buffer size in KiB from 1 to 4194304", .help = "kernel capture buffer in KiB (default 32768)" },
	{ 0, "nano", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(p.nano), .help = "nanosecond timestamps for live capture" },
	{ 'Z', NULL, CLI_ARG_REQUIRED, "USER", CLI_STRING, F(user),
	  .help = "after opening the capture, run as USER (default: the sudo user, else nobody)" },
	{ 0, "text", CLI_ARG_NONE, NULL, CLI_VIEW, F(view), F(explicit_view), .view = VIEW_TEXT,
	  .help = "one line per packet (default when stdout is not a terminal)" },
	{ 0, "json", CLI_ARG_NONE, NULL, CLI_VIEW, F(view), F(explicit_view), .view = VIEW_JSON,
	  .help = "one JSON object per packet per line" },
	{ 0, "tui", CLI_ARG_NONE, NULL, CLI_VIEW, F(view), .view = VIEW_TUI,
	  .help = "the interactive panel (default when stdout is a terminal)" },
	{ 0, "speed", CLI_ARG_REQUIRED, "X", CLI_DOUBLE, F(tui.speed), .min = 0, .max = 1000,
	  .takes = "a factor from 0 (as fast as possible) to 1000",
	  .help = "replay -r at X times the original speed (0: as fast as possible)" },
	{ 0, "step", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(tui.step), .help = "start the replay paused; s steps one packet" },
	{ 0, "spool-max", CLI_ARG_REQUIRED, "N", CLI_BYTES, F(tui.spool_max), .min = 1u << 20, .max = 1ull << 48,
	  .takes = "a size from 1M to 256T (a number of bytes, or with K, M, G or T: 512M, 4G)",
	  .help = "disk the panel's spool (live capture, pipes, pcapng) may use: N bytes, or 512M,\n"
		  "4G... (default 2G; the oldest part goes first)" },
	{ 0, "follow", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(p.follow),
	  .help = "with -r FILE: at its end wait for more (a file being written), as tail -f" },
	{ 0, "no-color", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(tui.no_color),
	  .help = "no colours in the panel (also when NO_COLOR is set)" },
	{ 0, "stats", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(stats),
	  .help = "only counters and the flow summary, no per-packet output" },
	{ 0, "flows", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(flows), .help = "the flow table at the end (and on SIGUSR1)" },
	{ 0, "max-flows", CLI_ARG_REQUIRED, "N", CLI_SIZE, F(p.max_flows), .min = 1, .max = 1ull << 32,
	  .takes = "a number of flows from 1 to 4294967296",
	  .help = "flows tracked at once (default 1000000; least recently used evicted)" },
	{ 0, "ladder", CLI_ARG_OPTIONAL, "FLOW", CLI_U64, F(ladder_flow), F(ladder), .min = 1, .max = UINT64_MAX,
	  .takes = "a flow number of 1 or more", .help = "sequence diagram of FLOW (default: of every flow) at the end" },
	{ 0, "width", CLI_ARG_REQUIRED, "N", CLI_INT, F(width), .min = LADDER_MIN_WIDTH, .max = LADDER_MAX_WIDTH,
	  .takes = "a number of columns from 64 to 400", .help = "columns of the ladder (default $COLUMNS or 100)" },
	{ 0, "graph", CLI_ARG_REQUIRED, "SPEC", CLI_GRAPH, F(graph_spec), F(graph),
	  .takes = "KIND[:FLOW[:DIR]]: a kind (tsg, throughput, rtt, inflight), a flow number, c2s or s2c",
	  .help = "a graph of a TCP flow into --svg: SPEC is KIND[:FLOW[:DIR]], KIND tsg,\n"
		  "throughput, rtt or inflight (default: the flow and direction with most data)" },
	{ 0, "svg", CLI_ARG_REQUIRED, "FILE", CLI_STRING, F(svg),
	  .help = "write the picture of --ladder FLOW or --graph SPEC to FILE (SVG)" },
	{ 0, "html", CLI_ARG_REQUIRED, "FILE", CLI_STRING, F(html),
	  .help = "write a page for the whole capture to FILE: flow table, each flow's ladder,\n"
		  "graphs and socket calls; opens offline, prints on A4" },
	{ 0, "events", CLI_ARG_REQUIRED, "FILE", CLI_STRING, F(events),
	  .help = "merge sockdemo's socket-call events (--events FILE of sockdemo) with the\n"
		  "packets by time; FILE is followed as it grows" },
	{ 0, "trace", CLI_ARG_COMMAND, "CMD", CLI_COMMAND, F(trace_argv), F(trace),
	  .help = "run CMD traced (ptrace), merge its socket calls; capture on lo meanwhile;\n"
		  "exit with CMD's exit status (--keep: go on watching)" },
	{ 0, "keep", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(keep), .help = NULL /* named in --trace's text */ },
	{ 0, "sockets", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(sockets),
	  .help = "the kernel's socket table (ss -tuan) for the filter's ports: changes in text\n"
		  "mode, a pane in the panel" },
	{ 0, "ports", CLI_ARG_REQUIRED, "LIST", CLI_PORTS, F(ports), .min = 1, .max = 65535,
	  .takes = "up to 32 comma-separated ports from 1 to 65535",
	  .help = "the ports --sockets shows (comma-separated; default: those in the filter)" },
	{ 0, "classroom", CLI_ARG_NONE, NULL, CLI_SET_TRUE, F(classroom), .enters = CLI_MODE_CLASSROOM,
	  .help = "run sockdemo's scenarios on lo and show calls, packets and sockets;\n"
		  "-p PORT (or --port PORT) picks the port (default 8888, or the next free one);\n"
		  "--pace SECONDS: sockdemo waits that long before each socket call (default 1\n"
		  "in the panel, where - and + change it; 0 in text and JSON)" },
	{ 'p', "port", CLI_ARG_REQUIRED, "PORT", CLI_UINT, F(port), F(port_given), .min = 1, .max = 65535, CLASSROOM_ONLY,
	  .takes = "a port from 1 to 65535", .help = NULL /* named in --classroom's text */ },
	{ 0, "pace", CLI_ARG_REQUIRED, "SECONDS", CLI_DOUBLE, F(pace), F(pace_given), .min = 0, .max = 60, CLASSROOM_ONLY,
	  .takes = "a number of seconds from 0 to 60", .help = NULL /* named in --classroom's text */ },
	{ 'h', "help", CLI_ARG_NONE, NULL, CLI_HELP, .help = "this text" },
	{ 'V', "version", CLI_ARG_NONE, NULL, CLI_VERSION, .help = "the version" },
};
const size_t cli_noptions = sizeof cli_options / sizeof cli_options[0];

static const char synopsis[] =
	"usage: synwatch [-i IFACE] [-r FILE] [-w FILE [--pcapng]] [-c COUNT] [-s SNAPLEN] [-p] [-B KIB] [-Z USER] [--nano]\n"
	"                [--text | --json | --tui [--speed X] [--step] [--spool-max N] [--no-color]] [--follow]\n"
	"                [--stats] [--flows] [--ladder [FLOW]] [--width N] [--max-flows N] [BPF EXPRESSION...]\n"
	"                [--ladder FLOW --svg FILE | --graph KIND[:FLOW[:DIR]] --svg FILE] [--html FILE]\n"
	"                [--events FILE] [--sockets [--ports LIST]] [--trace [--keep] -- COMMAND [ARGS...]]\n"
	"       synwatch --classroom [-p PORT] [--pace SECONDS] [--keep] [-w LESSON.pcapng] [--text | --json | --tui] [--html FILE]\n";

static const char exit_statuses[] =
	"Exit status: 0 ok, 1 runtime error, 2 bad usage or filter, 3 bad capture file,\n"
	"4 interface problem, 5 no permission to capture, 6 cannot write the -w, --svg or --html file.\n";

#define HELP_NAME_WIDTH 15 /* the left column of --help's option list */

bool cli_number(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
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

/* "8888,9000": ports within [min, max]; false on anything else. */
static bool parse_ports(const char *s, unsigned long long min, unsigned long long max, uint16_t *ports, size_t *n)
{
	char buf[512];
	if (snprintf(buf, sizeof buf, "%s", s) >= (int)sizeof buf)
		return false;
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long long v;
		if (*n == CLI_PORTS_MAX || !cli_number(tok, min, max, &v))
			return false;
		ports[(*n)++] = (uint16_t)v;
	}
	return *n > 0;
}

/* The ports a BPF expression names ("port 8888", "tcp dst port 80"): the words after "port". */
static size_t filter_ports(const char *expr, uint16_t *ports, size_t max)
{
	char buf[CLI_FILTER_MAX];
	size_t n = 0;
	snprintf(buf, sizeof buf, "%s", expr);
	for (char *q = buf; *q; q++)
		if (*q == '(' || *q == ')')
			*q = ' ';
	bool after_port = false;
	for (char *save = NULL, *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		unsigned long long v;
		if (after_port && n < max && cli_number(tok, 1, 65535, &v))
			ports[n++] = (uint16_t)v;
		after_port = strcmp(tok, "port") == 0;
	}
	return n;
}

bool cli_graph_parse(const char *s, struct cli_graph *g)
{
	const char *c1 = strchr(s, ':');
	size_t klen = c1 ? (size_t)(c1 - s) : strlen(s);
	struct cli_graph out = { .dir = -1 };
	if (!graph_kind_parse(s, klen, &out.kind))
		return false;
	if (c1) {
		char num[24];
		const char *c2 = strchr(c1 + 1, ':');
		size_t nlen = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
		unsigned long long v;
		if (nlen >= sizeof num)
			return false;
		memcpy(num, c1 + 1, nlen);
		num[nlen] = '\0';
		if (!cli_number(num, 1, UINT64_MAX, &v))
			return false;
		out.flow = v;
		if (c2) {
			if (strcmp(c2 + 1, "c2s") == 0)
				out.dir = DIR_C2S;
			else if (strcmp(c2 + 1, "s2c") == 0)
				out.dir = DIR_S2C;
			else
				return false;
		}
	}
	*g = out;
	return true;
}

/* ---- Values ---- */

/* An option's value, parsed and not yet stored. */
union cli_value {
	const char *s;
	unsigned long long u;
	double d;
	struct {
		uint16_t v[CLI_PORTS_MAX];
		size_t n;
	} ports;
	struct cli_graph graph;
};

static bool value_parse(const struct cli_option *o, const char *s, union cli_value *v)
{
	switch (o->store) {
	case CLI_STRING:
		v->s = s;
		return true;
	case CLI_U64:
	case CLI_INT:
	case CLI_SIZE:
	case CLI_UINT:
	case CLI_KIB:
		return cli_number(s, o->min, o->max, &v->u);
	case CLI_BYTES: {
		/* A number, then K, M, G or T (powers of 1024; "KiB"-style suffixes and a trailing B too). */
		char num[32];
		size_t k = 0;
		while (s[k] >= '0' && s[k] <= '9' && k < sizeof num - 1) {
			num[k] = s[k];
			k++;
		}
		num[k] = '\0';
		unsigned long long n;
		if (!cli_number(num, 0, 1ull << 50, &n))
			return false;
		const char *u = s + k;
		int shift = 0;
		switch (*u) {
		case 'K': case 'k': shift = 10; u++; break;
		case 'M': case 'm': shift = 20; u++; break;
		case 'G': case 'g': shift = 30; u++; break;
		case 'T': case 't': shift = 40; u++; break;
		default: break;
		}
		if (shift && *u == 'i')
			u++;
		if (*u == 'B')
			u++;
		if (*u || n > (o->max >> shift) || (n << shift) < o->min)
			return false;
		v->u = n << shift;
		return true;
	}
	case CLI_DOUBLE: {
		char *end;
		errno = 0;
		double d = strtod(s, &end);
		if (errno || end == s || *end || !(d >= (double)o->min && d <= (double)o->max))
			return false;
		v->d = d;
		return true;
	}
	case CLI_PORTS:
		return parse_ports(s, o->min, o->max, v->ports.v, &v->ports.n);
	case CLI_GRAPH:
		return cli_graph_parse(s, &v->graph);
	default:
		return false; /* flags, views, the command, help and version take no value */
	}
}

static void *field_at(struct config *c, size_t field)
{
	return (char *)c + field - 1;
}

/* Store what option o decides: its value v (NULL when it was given none) and its `seen` flag. */
static void value_store(struct config *c, const struct cli_option *o, const union cli_value *v)
{
	if (o->seen)
		*(bool *)field_at(c, o->seen) = true;
	switch (o->store) {
	case CLI_SET_TRUE:
	case CLI_SET_FALSE:
		*(bool *)field_at(c, o->field) = o->store == CLI_SET_TRUE;
		return;
	case CLI_VIEW:
		*(enum view_mode *)field_at(c, o->field) = (enum view_mode)o->view;
		return;
	default:
		break;
	}
	if (!v)
		return;
	switch (o->store) {
	case CLI_STRING:
		*(const char **)field_at(c, o->field) = v->s;
		break;
	case CLI_U64:
		*(uint64_t *)field_at(c, o->field) = v->u;
		break;
	case CLI_INT:
		*(int *)field_at(c, o->field) = (int)v->u;
		break;
	case CLI_SIZE:
		*(size_t *)field_at(c, o->field) = (size_t)v->u;
		break;
	case CLI_UINT:
		*(unsigned *)field_at(c, o->field) = (unsigned)v->u;
		break;
	case CLI_KIB:
		*(int *)field_at(c, o->field) = (int)(v->u * 1024 > INT_MAX ? INT_MAX : v->u * 1024);
		break;
	case CLI_BYTES:
		*(uint64_t *)field_at(c, o->field) = v->u;
		break;
	case CLI_DOUBLE:
		*(double *)field_at(c, o->field) = v->d;
		break;
	case CLI_PORTS:
		memcpy(c->ports, v->ports.v, v->ports.n * sizeof c->ports[0]);
		c->nports = v->ports.n;
		break;
	case CLI_GRAPH:
		*(struct cli_graph *)field_at(c, o->field) = v->graph;
		break;
	default:
		break;
	}
}

/* ---- Reading argv word by word, as getopt_long does, without changing it ---- */

struct scan {
	int argc;
	char **argv;
	unsigned mode;      /* enum cli_mode: which rows the short letters mean */
	int i;              /* the next word */
	const char *rest;   /* the letters of a short-option cluster not read yet, or NULL */
	bool operands_only; /* after "--": every word is an operand */
};

enum tok_kind { TOK_END, TOK_OPTION, TOK_OPERAND, TOK_DASHDASH, TOK_ERROR };

struct tok {
	const struct cli_option *opt; /* TOK_OPTION */
	const char *value;            /* TOK_OPTION: its value or NULL; TOK_OPERAND: the word */
	char name[48];                /* TOK_OPTION: as messages name it: "-c", "--width", "--classroom -p" */
};

static unsigned row_modes(const struct cli_option *o)
{
	return o->modes ? o->modes : CLI_MODE_ANY;
}

static const struct cli_option *find_short(char ch, unsigned mode)
{
	for (size_t i = 0; i < cli_noptions; i++)
		if (cli_options[i].short_name == ch && (row_modes(&cli_options[i]) & mode))
			return &cli_options[i];
	return NULL;
}

/* The option that enters mode (--classroom), for naming -p as "--classroom -p". */
static const struct cli_option *mode_option(unsigned mode)
{
	for (size_t i = 0; i < cli_noptions; i++)
		if (cli_options[i].enters == mode)
			return &cli_options[i];
	return NULL;
}

/* The row whose long name is name[0..len), or the only one it is a prefix of (getopt_long's abbreviations).
   NULL with *ambiguous set when it is a prefix of several. */
static const struct cli_option *find_long(const char *name, size_t len, bool *ambiguous)
{
	const struct cli_option *found = NULL;
	*ambiguous = false;
	for (size_t i = 0; i < cli_noptions; i++) {
		const char *l = cli_options[i].long_name;
		if (!l || strncmp(l, name, len) != 0)
			continue;
		if (l[len] == '\0')
			return &cli_options[i];
		if (found && found != &cli_options[i])
			*ambiguous = true;
		found = &cli_options[i];
	}
	return *ambiguous ? NULL : found;
}

__attribute__((format(printf, 3, 4))) static enum tok_kind scan_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return TOK_ERROR;
}

static enum tok_kind scan_short(struct scan *s, struct tok *t, char *err, size_t errlen)
{
	char ch = *s->rest++;
	const struct cli_option *o = find_short(ch, s->mode);
	if (!o) {
		char word[3] = { '-', ch, '\0' };
		s->rest = NULL;
		return scan_error(err, errlen, "unknown option '%s'; see synwatch --help", word);
	}
	t->opt = o;
	t->value = NULL;
	const struct cli_option *m = row_modes(o) != CLI_MODE_ANY ? mode_option(s->mode) : NULL;
	snprintf(t->name, sizeof t->name, "%s%s%s-%c", m ? "--" : "", m ? m->long_name : "", m ? " " : "", ch);
	if (o->arg == CLI_ARG_REQUIRED || o->arg == CLI_ARG_OPTIONAL) {
		if (*s->rest) {
			t->value = s->rest;
		} else if (o->arg == CLI_ARG_REQUIRED) {
			if (s->i >= s->argc) {
				s->rest = NULL;
				return scan_error(err, errlen, "option %s needs a value; see synwatch --help", t->name);
			}
			t->value = s->argv[s->i++];
		}
		s->rest = NULL;
	}
	if (s->rest && !*s->rest)
		s->rest = NULL;
	return TOK_OPTION;
}

static enum tok_kind scan_long(struct scan *s, struct tok *t, const char *word, char *err, size_t errlen)
{
	const char *name = word + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	bool ambiguous = false;
	const struct cli_option *o = len ? find_long(name, len, &ambiguous) : NULL;
	if (!o) {
		char spelled[64];
		snprintf(spelled, sizeof spelled, "--%.*s", (int)(len < 60 ? len : 60), name);
		if (!ambiguous)
			return scan_error(err, errlen, "unknown option '%s'; see synwatch --help", spelled);
		char list[512] = "";
		size_t used = 0;
		for (size_t i = 0; i < cli_noptions; i++) {
			const char *l = cli_options[i].long_name;
			if (l && strncmp(l, name, len) == 0 && used < sizeof list)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s", used ? ", " : "", l);
		}
		return scan_error(err, errlen, "option '%s' is ambiguous: %s; see synwatch --help", spelled, list);
	}
	t->opt = o;
	t->value = NULL;
	snprintf(t->name, sizeof t->name, "--%s", o->long_name);
	switch (o->arg) {
	case CLI_ARG_NONE:
	case CLI_ARG_COMMAND:
		if (eq)
			return scan_error(err, errlen, "option %s takes no value, got: %s; see synwatch --help", t->name, eq + 1);
		break;
	case CLI_ARG_REQUIRED:
		if (eq)
			t->value = eq + 1;
		else if (s->i < s->argc)
			t->value = s->argv[s->i++];
		else
			return scan_error(err, errlen, "option %s needs a value; see synwatch --help", t->name);
		break;
	case CLI_ARG_OPTIONAL: {
		/* `--ladder 3`: the next word is the value when it is a valid one, else the expression goes on. */
		union cli_value v;
		if (eq)
			t->value = eq + 1;
		else if (s->i < s->argc && value_parse(o, s->argv[s->i], &v))
			t->value = s->argv[s->i++];
		break;
	}
	}
	return TOK_OPTION;
}

/* The next option, operand or "--"; TOK_ERROR with one line in err (the scan goes on after the word). */
static enum tok_kind scan_next(struct scan *s, struct tok *t, char *err, size_t errlen)
{
	if (s->rest)
		return scan_short(s, t, err, errlen);
	if (s->i >= s->argc)
		return TOK_END;
	const char *word = s->argv[s->i++];
	if (s->operands_only || word[0] != '-' || word[1] == '\0') {
		t->value = word;
		return TOK_OPERAND;
	}
	if (strcmp(word, "--") == 0) {
		s->operands_only = true;
		return TOK_DASHDASH;
	}
	if (word[1] == '-')
		return scan_long(s, t, word, err, errlen);
	s->rest = word + 1;
	return scan_short(s, t, err, errlen);
}

/* Which mode the command line is in: that of an option with `enters` (--classroom) wherever it stands
   before "--"; it decides what the short letters mean, so it is read before the options are. */
static unsigned scan_mode(int argc, char **argv)
{
	struct scan s = { .argc = argc, .argv = argv, .mode = CLI_MODE_CAPTURE, .i = 1 };
	unsigned mode = CLI_MODE_CAPTURE;
	struct tok t;
	char err[8];
	for (;;) {
		enum tok_kind k = scan_next(&s, &t, err, sizeof err);
		if (k == TOK_END || k == TOK_DASHDASH)
			return mode;
		if (k == TOK_OPTION && t.opt->enters)
			mode = t.opt->enters;
	}
}

enum cli_status cli_parse(int argc, char **argv, struct config *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->p.promisc = true;
	c->p.filter = c->filter;
	tui_opts_default(&c->tui);
	struct scan s = { .argc = argc, .argv = argv, .mode = scan_mode(argc, argv), .i = 1 };
	const struct cli_option *command = NULL; /* --trace was given: "--" starts its command */
	size_t used = 0;
	bool too_long = false;
	struct tok t;
	for (;;) {
		enum tok_kind k = scan_next(&s, &t, err, errlen);
		if (k == TOK_END)
			break;
		if (k == TOK_ERROR)
			return CLI_ERROR;
		if (k == TOK_DASHDASH) {
			if (!command)
				continue;
			*(char ***)field_at(c, command->field) = &argv[s.i];
			break;
		}
		if (k == TOK_OPERAND) {
			/* The expression is the words that are not options, as in tcpdump. */
			int w = too_long ? -1 : snprintf(c->filter + used, sizeof c->filter - used, "%s%s", used ? " " : "", t.value);
			if (w < 0 || (size_t)w >= sizeof c->filter - used)
				too_long = true;
			else
				used += (size_t)w;
			continue;
		}
		const struct cli_option *o = t.opt;
		if (o->store == CLI_HELP)
			return CLI_SHOW_HELP;
		if (o->store == CLI_VERSION)
			return CLI_SHOW_VERSION;
		union cli_value v;
		if (t.value && !value_parse(o, t.value, &v)) {
			snprintf(err, errlen, "%s takes %s, got: %s", t.name, o->takes, t.value);
			return CLI_ERROR;
		}
		value_store(c, o, t.value ? &v : NULL);
		if (o->arg == CLI_ARG_COMMAND)
			command = o;
	}
	if (too_long) {
		c->filter[used] = '\0';
		snprintf(err, errlen, "the filter expression is longer than %d characters", CLI_FILTER_MAX - 1);
		return CLI_ERROR;
	}
	return cli_check(c, err, errlen) ? CLI_OK : CLI_ERROR;
}

static bool check_fail(char *err, size_t errlen, const char *msg, const char *arg)
{
	snprintf(err, errlen, "%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
	return false;
}

/* FILE ends in ".pcapng" (any case). */
static bool pcapng_name(const char *path)
{
	size_t n = strlen(path);
	return n > 7 && strcasecmp(path + n - 7, ".pcapng") == 0;
}

bool cli_check(struct config *c, char *err, size_t errlen)
{
	if (c->p.pcapng && !c->p.write)
		return check_fail(err, errlen, "--pcapng is the format of -w FILE: add -w FILE", NULL);
	if (c->p.write && pcapng_name(c->p.write))
		c->p.pcapng = true;
	if (c->p.file && c->p.iface)
		return check_fail(err, errlen, "-i and -r exclude each other: capture live or read a file", NULL);
	if (c->pace_given && !c->classroom)
		return check_fail(err, errlen, "--pace paces --classroom's scenarios; for your own programs use sockdemo --pace", NULL);
	if (c->p.follow && (!c->p.file || strcmp(c->p.file, "-") == 0))
		return check_fail(err, errlen, "--follow waits for a file that is being written to grow: give it with -r FILE", NULL);
	if (c->port && !c->classroom)
		return check_fail(err, errlen, "--port is the port of --classroom; for other captures write it in the filter", NULL);
	if (c->classroom) {
		if (c->p.file || c->trace || c->events)
			return check_fail(err, errlen, "--classroom runs its own capture and scenarios: leave out -r, --trace and --events", NULL);
		if (c->filter[0])
			return check_fail(err, errlen, "--classroom sets its own filter; pick the port with -p PORT instead of", c->filter);
		if (!c->port)
			c->port = CLI_CLASSROOM_PORT;
		snprintf(c->filter, sizeof c->filter, CLI_CLASSROOM_FILTER, c->port);
		c->sockets = true;
		c->p.iface = "lo";
	}
	if (c->trace) {
		if (!c->trace_argv || !c->trace_argv[0])
			return check_fail(err, errlen, "--trace needs a command after --; fix: synwatch --trace -- COMMAND [ARGS]", NULL);
		if (c->p.file)
			return check_fail(err, errlen, "--trace captures live: leave out -r", NULL);
		if (c->events)
			return check_fail(err, errlen, "--trace and --events exclude each other: the tracer supplies the calls", NULL);
		if (!c->filter[0])
			snprintf(c->filter, sizeof c->filter, "%s", CLI_TRACE_FILTER);
	}
	if (c->keep && !c->trace && !c->classroom)
		return check_fail(err, errlen, "--keep goes with --trace or --classroom", NULL);
	if (c->sockets && c->p.file)
		return check_fail(err, errlen, "--sockets reads the kernel's sockets now: it cannot go with -r", NULL);
	if (c->sockets && !c->nports)
		c->nports = filter_ports(c->filter, c->ports, CLI_PORTS_MAX);
	if (c->svg && !c->ladder && !c->graph)
		return check_fail(err, errlen, "--svg FILE writes the picture of --ladder FLOW or --graph SPEC; give one of them", NULL);
	if (c->graph && !c->svg)
		return check_fail(err, errlen, "--graph draws into an SVG file: add --svg FILE", NULL);
	if (c->svg && c->ladder && c->graph)
		return check_fail(err, errlen, "--svg holds one picture: give --ladder FLOW or --graph SPEC, not both", NULL);
	if (c->svg && c->ladder && !c->ladder_flow)
		return check_fail(err, errlen, "--ladder --svg draws one flow: give its number (--ladder 3); list them with --flows", NULL);
	if ((c->svg || c->html) && c->view == VIEW_TUI)
		return check_fail(err, errlen, "--svg and --html are written by the text modes at the end: leave out --tui", NULL);
	if (c->svg && c->html && strcmp(c->svg, c->html) == 0)
		return check_fail(err, errlen, "--svg and --html name the same file", c->svg);
	c->merged = c->events || c->trace || c->sockets || c->classroom;
	return true;
}

void cli_settle(struct config *c, bool stdout_is_tty, const char *columns)
{
	/* The panel when a person is watching; text for pipes, files and the counters-only modes. */
	if (c->view == VIEW_AUTO)
		c->view = stdout_is_tty && !c->stats && !c->flows && !c->ladder && !c->svg && !c->html ? VIEW_TUI : VIEW_TEXT;
	if (!c->width) {
		unsigned long long v;
		c->width = cli_number(columns, LADDER_MIN_WIDTH, LADDER_MAX_WIDTH, &v) ? (int)v : CLI_DEFAULT_WIDTH;
	}
}

bool cli_per_packet(const struct config *c)
{
	return !c->stats && (!(c->ladder || c->svg || c->html) || c->explicit_view);
}

void cli_option_name(const struct cli_option *o, char *buf, size_t n)
{
	char s[4] = "";
	if (o->short_name)
		snprintf(s, sizeof s, "-%c", o->short_name);
	const char *meta = o->metavar ? o->metavar : "";
	const char *open = !o->metavar ? "" : o->arg == CLI_ARG_OPTIONAL ? " [" : o->arg == CLI_ARG_COMMAND ? " -- " : " ";
	const char *close = o->metavar && o->arg == CLI_ARG_OPTIONAL ? "]" : "";
	snprintf(buf, n, "%s%s%s%s%s%s%s", s, o->short_name && o->long_name ? ", " : "", o->long_name ? "--" : "",
		 o->long_name ? o->long_name : "", open, meta, close);
}

void cli_usage(FILE *f)
{
	fputs(synopsis, f);
	fputc('\n', f);
	for (size_t i = 0; i < cli_noptions; i++) {
		const struct cli_option *o = &cli_options[i];
		if (!o->help)
			continue;
		char name[64];
		cli_option_name(o, name, sizeof name);
		const char *line = o->help;
		fprintf(f, "  %-*s ", HELP_NAME_WIDTH, name);
		for (;;) {
			const char *nl = strchr(line, '\n');
			fprintf(f, "%.*s\n", (int)(nl ? nl - line : (ptrdiff_t)strlen(line)), line);
			if (!nl)
				break;
			line = nl + 1;
			fprintf(f, "%*s", HELP_NAME_WIDTH + 3, "");
		}
	}
	fputc('\n', f);
	fputs(exit_statuses, f);
}
