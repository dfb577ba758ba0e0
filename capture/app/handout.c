/* handout.c — collects what --svg and --html draw (graphs per TCP flow, socket calls) and writes the SVG and the page at the end, through temp files. */
#include "app/handout.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/html.h"
#include "view/svg.h"

int handout_open(struct handout *h, const struct config *c, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	h->c = c;
	/* One flow asked for: only its graph, at full resolution. Otherwise the first TCP flows'. */
	bool one = c->graph && c->graph_spec.flow && !c->html;
	h->points = one ? GRAPH_POINTS_DEFAULT : HANDOUT_GRAPH_POINTS;
	h->max_graphs = c->graph || c->html ? (one ? 1 : HANDOUT_GRAPH_FLOWS) : 0;
	int code;
	if (c->svg) {
		if ((code = outfile_open(&h->svg, c->svg, err, errlen)) != EXIT_OK)
			return code;
		h->svg_open = true;
	}
	if (c->html) {
		if ((code = outfile_open(&h->html, c->html, err, errlen)) != EXIT_OK) {
			handout_free(h);
			return code;
		}
		h->html_open = true;
	}
	return EXIT_OK;
}

bool handout_wanted(const struct handout *h)
{
	return h && (h->svg_open || h->html_open);
}

static struct handout_graph *graph_of(struct handout *h, uint64_t id)
{
	if (h->last < h->ngraphs && h->graphs[h->last].flow_id == id)
		return &h->graphs[h->last];
	for (size_t i = 0; i < h->ngraphs; i++)
		if (h->graphs[i].flow_id == id) {
			h->last = i;
			return &h->graphs[i];
		}
	return NULL;
}

void handout_packet(struct handout *h, const struct packet *p, const struct track_result *tr)
{
	if (!handout_wanted(h) || !h->max_graphs || !graph_pkt_usable(p, tr))
		return;
	uint64_t id = tr->flow->id;
	const struct cli_graph *spec = &h->c->graph_spec;
	if (h->max_graphs == 1 && id != spec->flow)
		return;
	struct handout_graph *hg = graph_of(h, id);
	if (!hg) {
		struct graph *g = h->ngraphs < h->max_graphs ? graph_new(h->points, 0) : NULL;
		if (!g) {
			if (h->last_missed != id)
				h->graphs_missed++;
			h->last_missed = id;
			return;
		}
		hg = &h->graphs[h->ngraphs];
		h->last = h->ngraphs++;
		hg->flow_id = id;
		hg->g = g;
	}
	hg->snap = *tr->flow;
	struct graph_pkt gp;
	graph_pkt_from(&gp, p, tr);
	graph_feed(hg->g, &gp, NULL);
}

void handout_call(struct handout *h, const struct flow *f, enum flow_dir side, int64_t at_ns, const struct sock_event *ev)
{
	if (!h || !h->html_open || !f)
		return;
	if (!h->calls && !(h->calls = malloc(HANDOUT_CALLS * sizeof *h->calls))) {
		h->calls_missed++;
		return;
	}
	if (h->ncalls == HANDOUT_CALLS) {
		h->calls_missed++;
		return;
	}
	struct handout_call *c = &h->calls[h->ncalls++];
	c->flow_id = f->id;
	c->at_ns = at_ns;
	c->side = (uint8_t)side;
	int k = snprintf(c->text, sizeof c->text, "pid %d: ", (int)ev->pid);
	if (k > 0 && (size_t)k < sizeof c->text)
		events_format_strace(ev, c->text + k, sizeof c->text - (size_t)k);
}

/* The capture as titles name it: a file's base name, or the interface. */
static void capture_name(struct pipeline *pl, char *buf, size_t n)
{
	const char *s = pipeline_source_name(pl);
	if (pipeline_live(pl)) {
		snprintf(buf, n, "live on %s", s);
		return;
	}
	const char *slash = strrchr(s, '/');
	snprintf(buf, n, "%s", slash && slash[1] ? slash + 1 : s);
}

/* The flow's figures at the end: from the table when it is still there, else as last seen. */
static const struct flow *final_flow(struct pipeline *pl, uint64_t id, const struct flow *snap)
{
	const struct flow *live = flowtab_find(pipeline_flows(pl), id);
	return live ? live : snap;
}

/* The flow asked for cannot be drawn: one line, and exit 2 unless something worse happened already. */
static int fail_usage(int code, const char *msg)
{
	fprintf(stderr, "synwatch: %s\n", msg);
	return code == EXIT_OK ? EXIT_USAGE : code;
}

static int commit(struct outfile *o, bool *open, int code)
{
	char err[512];
	*open = false;
	if (outfile_commit(o, err, sizeof err))
		return code;
	fprintf(stderr, "synwatch: %s\n", err);
	return code == EXIT_OK || code == EXIT_USAGE ? EXIT_OUTPUT : code;
}

static int write_ladder_svg(struct handout *h, struct pipeline *pl, const struct ladder_book *book, const char *cap,
			    int code)
{
	uint64_t id = h->c->ladder_flow, more;
	size_t n;
	const struct flow *snap;
	const struct ladder_row *rows = book ? ladder_book_rows(book, id, &n, &snap, &more) : NULL;
	if (!rows || !n) {
		outfile_abort(&h->svg);
		h->svg_open = false;
		char msg[128];
		snprintf(msg, sizeof msg, "no flow %" PRIu64 " to draw; list them with --flows", id);
		return fail_usage(code, msg);
	}
	struct svg_out o = { .f = h->svg.f, .standalone = true, .id = "ladder", .capture = cap };
	svg_ladder(&o, final_flow(pl, id, snap), rows, n, more);
	return commit(&h->svg, &h->svg_open, code);
}

static int write_graph_svg(struct handout *h, struct pipeline *pl, const char *cap, int code)
{
	const struct cli_graph *spec = &h->c->graph_spec;
	struct handout_graph *hg = NULL;
	if (spec->flow) {
		hg = graph_of(h, spec->flow);
	} else {
		for (size_t i = 0; i < h->ngraphs; i++) {
			const struct graph *g = h->graphs[i].g;
			uint64_t b = g->d[0].bytes + g->d[1].bytes;
			if (!hg || b > hg->g->d[0].bytes + hg->g->d[1].bytes)
				hg = &h->graphs[i];
		}
	}
	if (!hg) {
		outfile_abort(&h->svg);
		h->svg_open = false;
		char msg[160];
		const struct flow *f = spec->flow ? flowtab_find(pipeline_flows(pl), spec->flow) : NULL;
		if (!spec->flow)
			snprintf(msg, sizeof msg, "no TCP flow in the capture to draw; --graph draws TCP flows");
		else if (f && f->proto != 6)
			snprintf(msg, sizeof msg, "flow %" PRIu64 " is %s: --graph draws TCP flows; list them with --flows",
				 spec->flow, f->proto == 17 ? "udp" : "icmp");
		else
			snprintf(msg, sizeof msg, "no TCP flow %" PRIu64 " to draw; list them with --flows", spec->flow);
		return fail_usage(code, msg);
	}
	enum flow_dir dir = spec->dir >= 0 ? (enum flow_dir)spec->dir : graph_main_dir(hg->g);
	struct svg_out o = { .f = h->svg.f, .standalone = true, .id = "graph", .capture = cap };
	svg_graph(&o, hg->g, spec->kind, dir, final_flow(pl, hg->flow_id, &hg->snap));
	return commit(&h->svg, &h->svg_open, code);
}

static int write_page(struct handout *h, struct pipeline *pl, const struct ladder_book *book, const char *cap, int code)
{
	FILE *f = h->html.f;
	size_t nflows = book ? ladder_book_flows(book, NULL, 0) : 0;
	uint64_t *ids = nflows ? calloc(nflows, sizeof *ids) : NULL;
	const struct flow **flows = nflows ? calloc(nflows, sizeof *flows) : NULL;
	bool *section = nflows ? calloc(nflows, sizeof *section) : NULL;
	struct html_call *calls = h->ncalls ? calloc(h->ncalls, sizeof *calls) : NULL;
	if (nflows && (!ids || !flows || !section)) {
		free(ids);
		free(flows);
		free(section);
		free(calls);
		outfile_abort(&h->html);
		h->html_open = false;
		fprintf(stderr, "synwatch: out of memory for --html; nothing was written to '%s'\n", h->c->html);
		return code == EXIT_OK ? EXIT_FAILURE_RUNTIME : code;
	}
	if (nflows)
		ladder_book_flows(book, ids, nflows);
	struct pipeline_stats ps;
	pipeline_stats(pl, &ps);
	struct html_page page = { .capture = cap, .filter = pipeline_filter(pl), .version = SYNWATCH_VERSION,
				  .packets = ps.packets, .nflows = nflows };
	for (size_t i = 0; i < nflows; i++) {
		size_t n;
		const struct flow *snap;
		ladder_book_rows(book, ids[i], &n, &snap, NULL);
		flows[i] = final_flow(pl, ids[i], snap);
		section[i] = i < HANDOUT_PAGE_FLOWS;
		if (!page.first_ns || flows[i]->first_ns < page.first_ns)
			page.first_ns = flows[i]->first_ns;
		if (flows[i]->last_ns > page.last_ns)
			page.last_ns = flows[i]->last_ns;
	}
	char note[400] = "";
	size_t k = 0;
	if (nflows > HANDOUT_PAGE_FLOWS)
		k += (size_t)snprintf(note + k, sizeof note - k, "The first %d flows have a section; narrow the capture with a "
				      "filter (port N) to see others. ", HANDOUT_PAGE_FLOWS);
	if (h->graphs_missed && k < sizeof note)
		k += (size_t)snprintf(note + k, sizeof note - k, "Graphs are drawn for the first %d TCP flows (%" PRIu64
				      " more have none). ", HANDOUT_GRAPH_FLOWS, h->graphs_missed);
	if (h->calls_missed && k < sizeof note)
		k += (size_t)snprintf(note + k, sizeof note - k, "The first %d socket calls are listed (%" PRIu64 " more). ",
				      HANDOUT_CALLS, h->calls_missed);
	if (book && ladder_book_unrecorded(book) && k < sizeof note)
		snprintf(note + k, sizeof note - k, "Packets of flows past the first %d are not drawn. ", LADDER_BOOK_MAX_FLOWS);
	page.note = note[0] ? note : NULL;
	html_begin(f, &page);
	html_flow_table(f, flows, section, nflows);
	if (!nflows)
		fputs("<p class=\"note\">The capture holds no flow.</p>\n", f);
	for (size_t i = 0; i < nflows && i < HANDOUT_PAGE_FLOWS; i++) {
		struct html_flow hf = { .f = flows[i] };
		hf.rows = ladder_book_rows(book, ids[i], &hf.nrows, NULL, &hf.more_rows);
		if (hf.nrows > HANDOUT_LADDER_ROWS) { /* --ladder kept more for itself */
			hf.more_rows += hf.nrows - HANDOUT_LADDER_ROWS;
			hf.nrows = HANDOUT_LADDER_ROWS;
		}
		struct handout_graph *hg = graph_of(h, ids[i]);
		hf.g = hg ? hg->g : NULL;
		if (!hg && flows[i]->proto == 6)
			hf.no_graph = "Graphs are drawn for the first TCP flows only; narrow the capture with a filter to "
				      "draw this one's.";
		size_t nc = 0;
		for (size_t j = 0; j < h->ncalls; j++)
			if (h->calls[j].flow_id == ids[i]) {
				calls[nc].at_ns = h->calls[j].at_ns;
				calls[nc].side = h->calls[j].side;
				calls[nc].text = h->calls[j].text;
				nc++;
			}
		hf.calls = calls;
		hf.ncalls = nc;
		html_flow(f, &hf, cap);
	}
	html_end(f, &page);
	free(ids);
	free(flows);
	free(section);
	free(calls);
	return commit(&h->html, &h->html_open, code);
}

int handout_finish(struct handout *h, struct pipeline *pl, const struct ladder_book *book, int code)
{
	if (!handout_wanted(h))
		return code;
	char cap[256];
	capture_name(pl, cap, sizeof cap);
	if (h->svg_open)
		code = h->c->ladder ? write_ladder_svg(h, pl, book, cap, code) : write_graph_svg(h, pl, cap, code);
	if (h->html_open)
		code = write_page(h, pl, book, cap, code);
	handout_free(h);
	return code;
}

void handout_free(struct handout *h)
{
	if (h->svg_open)
		outfile_abort(&h->svg);
	if (h->html_open)
		outfile_abort(&h->html);
	h->svg_open = h->html_open = false;
	for (size_t i = 0; i < h->ngraphs; i++)
		graph_free(h->graphs[i].g);
	h->ngraphs = 0;
	free(h->calls);
	h->calls = NULL;
	h->ncalls = 0;
}
