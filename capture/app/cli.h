/* cli.h — synwatch's command line: one table row per option, parsed into a struct config without printing or exiting. */
#ifndef SYNWATCH_CLI_H
#define SYNWATCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/graph.h"
#include "source/pipeline.h"
#include "tui/tui.h"

#define SYNWATCH_VERSION "0.1.0"
#define CLI_FILTER_MAX 4096      /* the expression words joined, with their terminating NUL */
#define CLI_PORTS_MAX 32         /* --ports LIST, or the ports the filter names */
#define CLI_CLASSROOM_PORT 8888  /* --classroom's port when -p is not given */
#define CLI_CLASSROOM_FILTER "(tcp or udp) and port %u or icmp or icmp6"
#define CLI_TRACE_FILTER "tcp or udp or icmp or icmp6" /* --trace with no expression */
#define CLI_DEFAULT_WIDTH 100    /* --ladder's columns when neither --width nor $COLUMNS gives them */

enum view_mode { VIEW_AUTO, VIEW_TEXT, VIEW_JSON, VIEW_TUI };

/* --graph KIND[:FLOW[:DIR]]: which picture of which flow and direction. */
struct cli_graph {
	enum graph_kind kind;
	uint64_t flow;          /* 0: the TCP flow that carried the most payload */
	int dir;                /* DIR_C2S or DIR_S2C; -1: the direction that sent more */
};

/* Everything the command line decides. It holds pointers into itself (p.filter) and into argv: fill it
   in place with cli_parse() and do not copy it. */
struct config {
	struct pipeline_opts p; /* the capture: -i -r -w -c -s -p -B --nano --max-flows; p.filter is filter[] */
	enum view_mode view;    /* --text, --json, --tui; VIEW_AUTO until cli_settle() picks one */
	bool explicit_view;     /* --text or --json was given: per-packet lines even with --ladder */
	bool stats;             /* --stats: counters and flow summary only */
	bool flows;             /* --flows: flow table at the end */
	const char *user;       /* -Z: the user to become after opening the capture (NULL: sudo's user, or nobody) */
	struct tui_opts tui;    /* --speed, --step, --spool-max, --no-color */
	bool ladder;            /* --ladder [FLOW]: sequence diagram(s) at the end */
	uint64_t ladder_flow;   /* the flow to draw; 0 = every flow */
	int width;              /* --width: columns of the ladder; 0 until cli_settle() (then $COLUMNS or 100) */
	char filter[CLI_FILTER_MAX]; /* the expression words joined by spaces */
	const char *events;     /* --events FILE: sockdemo's socket-call events, merged by time */
	bool trace;             /* --trace -- COMMAND: run COMMAND traced, its calls merged by time */
	char **trace_argv;      /* the words after "--" (the rest of argv, NULL-terminated) */
	bool keep;              /* --keep: go on watching after the traced command (or one classroom round) ended */
	bool sockets;           /* --sockets: socket-table changes (sock_diag) on the timeline */
	uint16_t ports[CLI_PORTS_MAX]; /* --ports LIST, or the ports named in the filter; none = every socket */
	size_t nports;
	bool classroom;         /* --classroom: sockdemo's scenarios on lo, calls, packets and sockets */
	unsigned port;          /* --classroom's port (-p PORT / --port PORT); 0 until cli_check() */
	bool port_given;        /* ... given on the command line (else the default, which may move if busy) */
	double pace;            /* --classroom --pace SECONDS: sockdemo's wait before each socket call */
	bool pace_given;        /* ... given (else 1 s in the panel, 0 in text and JSON) */
	bool merged;            /* calls or socket changes stand between the packets (--events, --trace,
	                           --sockets, --classroom): the classroom mode rather than the batch mode */
	bool graph;             /* --graph SPEC: a graph into the --svg file */
	struct cli_graph graph_spec; /* ... which one */
	const char *svg;        /* --svg FILE: the picture of --ladder FLOW or --graph */
	const char *html;       /* --html FILE: the page of the whole capture */
};

/* How an option takes its value. */
enum cli_arg {
	CLI_ARG_NONE = 0,  /* a flag */
	CLI_ARG_REQUIRED,  /* -c 5, -c5, --width 80, --width=80 */
	CLI_ARG_OPTIONAL,  /* --ladder, --ladder=3, or --ladder 3 when the next word is a valid value */
	CLI_ARG_COMMAND,   /* --trace: the words after "--" are a command (and no longer options or filter) */
};

/* What an option does with its value, and the type of the config field it goes to. */
enum cli_store {
	CLI_SET_TRUE = 0, /* bool = true */
	CLI_SET_FALSE,    /* bool = false (-p: no promiscuous mode) */
	CLI_STRING,       /* const char * = the word itself */
	CLI_U64,          /* uint64_t, a decimal number in [min, max] */
	CLI_INT,          /* int, in [min, max] */
	CLI_SIZE,         /* size_t, in [min, max] */
	CLI_UINT,         /* unsigned, in [min, max] */
	CLI_KIB,          /* int bytes, from KiB in [min, max] (capped at INT_MAX) */
	CLI_DOUBLE,       /* double, a decimal fraction in [min, max] */
	CLI_BYTES,        /* uint64_t bytes: a number with an optional K, M, G or T (1024s), in [min, max] */
	CLI_PORTS,        /* ports[]/nports: a comma-separated list of ports */
	CLI_GRAPH,        /* struct cli_graph: KIND[:FLOW[:DIR]] */
	CLI_VIEW,         /* enum view_mode = the row's view (--text and --json also set explicit_view) */
	CLI_COMMAND,      /* char ** = the words after "--" */
	CLI_HELP,         /* stop: cli_parse() returns CLI_SHOW_HELP */
	CLI_VERSION,      /* stop: cli_parse() returns CLI_SHOW_VERSION */
};

/* The modes an option's short letter belongs to: -p is "no promiscuous mode" in a capture and the port
   with --classroom. An option whose row has `enters` switches the whole command line to that mode, from
   wherever it stands. Long names mean the same row in every mode. */
enum cli_mode {
	CLI_MODE_CAPTURE = 1,
	CLI_MODE_CLASSROOM = 2,
	CLI_MODE_ANY = CLI_MODE_CAPTURE | CLI_MODE_CLASSROOM,
};

/* Fields are named by CLI_FIELD(member): offsetof + 1, so that 0 (left out) means "none". */
#define CLI_FIELD(member) (offsetof(struct config, member) + 1)

/* One option. The table cli_options[] holds every one, in the order --help lists them. */
struct cli_option {
	char short_name;       /* 'c' for -c, or 0 */
	const char *long_name; /* "max-flows" for --max-flows, or NULL */
	enum cli_arg arg;
	const char *metavar;   /* the value's name in --help: "COUNT", "FLOW", "CMD"; NULL for flags */
	enum cli_store store;
	size_t field;          /* CLI_FIELD() the value goes to */
	size_t seen;           /* CLI_FIELD() of a bool set whenever the option is given (--ladder), or 0 */
	unsigned long long min, max; /* a number's range (CLI_U64 ... CLI_DOUBLE, CLI_PORTS' ports) */
	int view;              /* CLI_VIEW: the enum view_mode */
	const char *takes;     /* what a valid value is: "-c takes a packet count of 1 or more, got: 0" */
	const char *help;      /* --help's description; '\n' starts an indented line; NULL: not listed on its
	                          own (another row's text names it: --keep, --port) */
	unsigned modes;        /* enum cli_mode bits: where the short letter means this row; 0 = CLI_MODE_ANY */
	unsigned enters;       /* the mode this option switches to (--classroom), or 0 */
};

extern const struct cli_option cli_options[];
extern const size_t cli_noptions;

enum cli_status {
	CLI_OK = 0,        /* *c is filled and checked: run */
	CLI_SHOW_HELP,     /* -h/--help: print cli_usage() and exit 0 */
	CLI_SHOW_VERSION,  /* -V/--version: print the version and exit 0 */
	CLI_ERROR,         /* err holds one line (without "synwatch: "): exit EXIT_USAGE */
};

/*
 * Parse argv[1..argc) (argv[argc] must be NULL, as main's is: trace_argv points into it) into *c, which
 * it clears first. As tcpdump: options may stand before, between or after the expression words; short
 * options cluster (-pc 5, -c5); long ones take --name VALUE or --name=VALUE and may be shortened to any
 * unambiguous prefix; "--" ends the options (after --trace, the rest is the command). Prints nothing,
 * exits never, reads no environment; ends with cli_check().
 */
enum cli_status cli_parse(int argc, char **argv, struct config *c, char *err, size_t errlen);

/*
 * The rules between options, applied to a parsed config: conflicts (-i with -r, --classroom with -r,
 * --trace with --events, --keep without --trace or --classroom...) are errors (false, one line in err);
 * implications fill in what they decide (--classroom sets its filter, port, -i lo and --sockets; --trace
 * its default filter; --sockets the ports the filter names; merged). Touches nothing but *c and err.
 */
bool cli_check(struct config *c, char *err, size_t errlen);

/* The choices that depend on where synwatch runs: the view when none was given (the panel on a terminal,
   unless --stats, --flows, --ladder, --svg or --html ask for text) and the ladder's width ($COLUMNS when --width was not
   given and it is a valid width, else CLI_DEFAULT_WIDTH). columns may be NULL. */
void cli_settle(struct config *c, bool stdout_is_tty, const char *columns);

/* The --help text: the synopsis, one line (or more) per listed row of the table, the exit statuses. */
void cli_usage(FILE *f);

/* The left column of a row in --help: "-c COUNT", "--ladder [FLOW]", "--trace -- CMD", "-h, --help". */
void cli_option_name(const struct cli_option *o, char *buf, size_t n);

/* --graph's value: "tsg", "rtt:3", "inflight:3:s2c"; false when it is not one. */
bool cli_graph_parse(const char *s, struct cli_graph *g);

/* The text and JSON views print per-packet lines: unless --stats, or a picture (--ladder, --svg, --html)
   replaces them and neither --text nor --json asked for them too. */
bool cli_per_packet(const struct config *c);

/* A whole non-negative decimal number within [min, max] (no sign, no spaces); false otherwise. */
bool cli_number(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out);

#endif
