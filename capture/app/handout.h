/* handout.h — --svg and --html: the TCP flows' graphs fed as packets come, the socket calls kept, and at the end the pictures written whole (or not at all). */
#ifndef SYNWATCH_HANDOUT_H
#define SYNWATCH_HANDOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cli.h"
#include "app/outfile.h"
#include "calls/events.h"
#include "graph/graph.h"
#include "source/pipeline.h"
#include "view/ladder.h"
#include "packet.h"

#define HANDOUT_GRAPH_FLOWS 32     /* TCP flows given graphs (--html, --graph without a flow): the first ones */
#define HANDOUT_GRAPH_POINTS 1024  /* points per series of each (a graph on the page is 852 px wide) */
#define HANDOUT_LADDER_ROWS 300    /* rows of each flow's ladder on the page (--ladder keeps more for itself) */
#define HANDOUT_PAGE_FLOWS 200     /* flows given a section on the page; the table lists them all */
#define HANDOUT_CALLS 4096         /* socket calls kept for the page */
#define HANDOUT_CALL_TEXT 320      /* one call's "pid N: strace line" */

/* One TCP flow's graphs. */
struct handout_graph {
	uint64_t flow_id;
	struct flow snap;          /* the flow as of its last packet (it may leave the table before the end) */
	struct graph *g;
};

/* One socket call matched to a flow, for the page. */
struct handout_call {
	uint64_t flow_id;
	int64_t at_ns;             /* its place on the timeline */
	uint8_t side;              /* the calling end: DIR_C2S client, DIR_S2C server */
	char text[HANDOUT_CALL_TEXT];
};

struct handout {
	const struct config *c;
	struct outfile svg, html;  /* the files, open from handout_open() */
	bool svg_open, html_open;
	uint32_t points;           /* per series of each graph */
	size_t max_graphs;         /* graphs made at most */
	struct handout_graph graphs[HANDOUT_GRAPH_FLOWS];
	size_t ngraphs, last;      /* graphs made; the one used last (packets come in runs) */
	uint64_t graphs_missed;    /* TCP flows past max_graphs, or without memory: no graphs */
	uint64_t last_missed;      /* the last flow counted there (a flow is counted once) */
	struct handout_call *calls; /* HANDOUT_CALLS, made on the first call */
	size_t ncalls;
	uint64_t calls_missed;     /* calls past HANDOUT_CALLS */
};

/*
 * Open --svg's and --html's files (temp files beside them) when the config asks for them: after the
 * capture opened, before privileges are dropped (as -w). EXIT_OK, or EXIT_OUTPUT with one line in err.
 * Nothing to do (and EXIT_OK) without --svg and --html.
 */
int handout_open(struct handout *h, const struct config *c, char *err, size_t errlen);
/* True when a handout was asked for. */
bool handout_wanted(const struct handout *h);

/* A tracked packet (any; TCP ones feed their flow's graph). Allocates only for a flow's first packet. */
void handout_packet(struct handout *h, const struct packet *p, const struct track_result *tr);
/* A socket call matched to flow f, made by end side, placed at at_ns. */
void handout_call(struct handout *h, const struct flow *f, enum flow_dir side, int64_t at_ns, const struct sock_event *ev);

/*
 * Write the pictures: --svg's (--ladder FLOW from book, or --graph) and --html's page (flows from book),
 * each into its temp file, renamed over the name asked for only when complete. Messages go to stderr.
 * Returns code, or (when code was EXIT_OK) EXIT_USAGE when the flow asked for does not exist or is not
 * TCP, EXIT_OUTPUT when a file cannot be written. Frees everything.
 */
int handout_finish(struct handout *h, struct pipeline *pl, const struct ladder_book *book, int code);

/* Free everything; files not committed are removed. */
void handout_free(struct handout *h);

#endif
