/* svg.h — handouts as SVG: a TCP flow's graphs and a flow's ladder, self-contained (text as text, a legend, flow and capture named in the title), as a file or inline in a page. */
#ifndef SYNWATCH_SVG_H
#define SYNWATCH_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/graph.h"
#include "track/flow.h"
#include "view/ladder.h"

/* Where a drawing goes and what it is of. */
struct svg_out {
	FILE *f;
	bool standalone;     /* an .svg file (XML declaration) rather than <svg> inside an HTML page */
	const char *id;      /* unique within the page: prefixes the ids the drawing defines ("g3") */
	const char *capture; /* the capture's name for the title ("lossy.pcap", "lo") */
};

/* Graph `kind` of direction dir's data of flow f (g fed with f's packets). */
void svg_graph(const struct svg_out *o, const struct graph *g, enum graph_kind kind, enum flow_dir dir,
	       const struct flow *f);

/* The ladder of flow f: rows in order (packets and socket calls), `more` rows left out after them. */
void svg_ladder(const struct svg_out *o, const struct flow *f, const struct ladder_row *rows, size_t n, uint64_t more);

/* How to read graph `kind`: a few sentences for a handout. */
const char *svg_graph_reading(enum graph_kind kind);

/* The opening of a drawing w×h px: the XML declaration when standalone, <svg> with its <title> (for screen
   readers) and <style>, and a white background (CSS class sw-bg in style). */
void svg_begin(const struct svg_out *o, double w, double h, const char *title, const char *style);

/* s as XML/HTML text or a double-quoted attribute (& < > " escaped). */
void svg_escape(FILE *f, const char *s);

/* "flow 3 tcp 127.0.0.1:51234 → 127.0.0.1:8888" (UTF-8 arrow) into buf. */
void svg_flow_name(const struct flow *f, char *buf, size_t n);

#endif
