/* html.h — the handout page of a whole capture: one self-contained HTML document (flow table, each flow's ladder, graphs and socket calls) that opens offline and prints on A4. */
#ifndef SYNWATCH_HTML_H
#define SYNWATCH_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/graph.h"
#include "track/flow.h"
#include "view/ladder.h"

/* A socket call matched to a flow. */
struct html_call {
	int64_t at_ns;         /* where it stands on the timeline */
	uint8_t side;          /* the calling end: DIR_C2S client, DIR_S2C server */
	const char *text;      /* "pid 4712: connect(3, {AF_INET, 127.0.0.1:8888}, 16) = 0" */
};

/* One flow's section. */
struct html_flow {
	const struct flow *f;              /* its figures at the end */
	const struct ladder_row *rows;     /* its ladder's rows (packets and calls) */
	size_t nrows;
	uint64_t more_rows;                /* rows left out after them */
	const struct graph *g;             /* its graphs' model; NULL: no graphs */
	const char *no_graph;              /* for a TCP flow without graphs: why */
	const struct html_call *calls;     /* its socket calls, in order */
	size_t ncalls;
};

/* The page's heading and closing words. */
struct html_page {
	const char *capture;     /* "lossy.pcap", "lo" */
	const char *filter;      /* the BPF expression, "" for none */
	const char *version;     /* synwatch's */
	uint64_t packets;        /* read or captured */
	size_t nflows;           /* in the table */
	int64_t first_ns, last_ns; /* the first and last packet (0 when none) */
	const char *note;        /* what was left out, or NULL */
};

void html_begin(FILE *f, const struct html_page *p);
/* The flow table, linking each row to its section; flows without a section (has_section false) are listed
   without a link. */
void html_flow_table(FILE *f, const struct flow *const *flows, const bool *has_section, size_t n);
void html_flow(FILE *f, const struct html_flow *hf, const char *capture);
void html_end(FILE *f, const struct html_page *p);

#endif
