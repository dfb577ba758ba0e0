/* pane_graph.c — one TCP flow's graphs in the lower slot: fed from the packet store by the drawing side, drawn by graph_plot in braille or ASCII cells, with a time cursor that selects packets. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"
#include "tui/tui_panel.h"

#define GRAPH_TICK_COLS 10   /* columns per x tick at least (the widest label and a gap) */
#define GRAPH_MIN_SPAN 1000  /* ns: the time axis is zoomed in no further */
#define GRAPH_LEGEND_ROWS 3  /* legend rows at most */

/* The order the legend lists what is drawn. */
static const enum graph_style legend_order[] = {
	GST_SEG, GST_SEG_RETX, GST_ACK, GST_RWND, GST_SACK, GST_DUPACK, GST_ZEROWIN, GST_SYN, GST_FIN, GST_RST,
	GST_BYTES, GST_BYTES_RETX, GST_RTT_SEQ, GST_RTT_TS, GST_INFLIGHT, GST_CWND,
};

/* How a drawn thing looks on the terminal, beside its shape or letter. */
static unsigned style_of(int gs)
{
	switch (gs) {
	case GST_SEG_RETX:
	case GST_BYTES_RETX:
		return STYLE_ROW(RC_RETRANS);
	case GST_RST:
		return STYLE_ROW(RC_RST);
	case GST_SYN:
	case GST_ACK:
		return STYLE_ROW(RC_SYN);
	case GST_FIN:
		return STYLE_ROW(RC_FIN);
	case GST_DUPACK:
		return STYLE_ROW(RC_ICMP);
	case GST_ZEROWIN:
		return STYLE_ROW(RC_ICMP_ERR);
	case GST_SACK:
	case GST_RTT_TS:
		return STYLE_ROW(RC_UDP);
	case GST_RWND:
		return ROLE_NORMAL | SM_DIM;
	case GST_CWND:
		return ROLE_SERVER;
	default:
		return ROLE_NORMAL;
	}
}

static void graph_help(struct tui *t, char *buf, size_t size)
{
	char g[16], r[16], l[16], rt[16], pl[16], pr[16], zi[16], zo[16], o[16];
	snprintf(buf, size, "%s: kind  %s: direction  %s/%s: cursor  %s %s: pan  %s/%s: zoom  %s: ladder",
		 keys_first(ACT_GRAPH, g, sizeof g), keys_first(ACT_GRAPH_DIR, r, sizeof r),
		 keys_first(ACT_LEFT, l, sizeof l), keys_first(ACT_RIGHT, rt, sizeof rt),
		 keys_first(ACT_PAN_LEFT, pl, sizeof pl), keys_first(ACT_PAN_RIGHT, pr, sizeof pr),
		 keys_first(ACT_TIME_IN, zi, sizeof zi), keys_first(ACT_TIME_OUT, zo, sizeof zo),
		 keys_first(ACT_OPEN, o, sizeof o));
	(void)t;
}

/* ---------------------------------------------------------------- feeding ---- */

/* A row of the store as the graph's packet: its summary, and its bytes decoded again for what the summary does
   not keep (TCP options: the window scale, timestamps, SACK blocks). false for a row that is no TCP
   segment of a flow (a call, an ICMP error quoting one, a header cut before its flags). */
static bool graph_pkt_of(struct tui *t, const struct tui_pkt *p, struct graph_pkt *gp)
{
	if (p->is_call || p->s.l4 != L4_TCP || !p->s.flow_id || (p->s.events & EV_ICMP_ERROR))
		return false;
	struct packet *d = &t->graph.scratch;
	if (!model_redecode(&t->m, p, d))
		return false;
	if (!d->has_ip || d->ip.l4 != L4_TCP || (d->ip.have & (HAVE_SEQ | HAVE_FLAGS)) != (HAVE_SEQ | HAVE_FLAGS))
		return false;
	struct track_result tr = { .flow = NULL, .dir = (enum flow_dir)p->s.dir, .events = p->s.events };
	graph_pkt_from(gp, d, &tr);
	gp->flow_id = p->s.flow_id;
	return true;
}

/* Feed the flow's rows that came into the store since the last time (the flow index is the ladder's,
   which is the graph's flow while the graph is shown). */
static void graph_sync(struct tui *t)
{
	struct graph_pane *gp = &t->graph;
	if (!gp->g || !gp->id || t->ladder.id != gp->id)
		return;
	ladder_build(t, gp->id);
	const struct store_flowrows *r = &t->m.flowpk;
	for (size_t i = store_flowrows_lower_bound(r, gp->fed_next); i < r->count; i++) {
		uint64_t row = r->row[i];
		const struct tui_pkt *p = model_row(&t->m, row);
		struct graph_pkt pkt;
		if (p && graph_pkt_of(t, p, &pkt))
			graph_feed(gp->g, &pkt, NULL);
		gp->fed_next = row + 1;
	}
}

void graph_catch_up(struct tui *t)
{
	if (t->lower == LOWER_GRAPH)
		graph_sync(t);
}

void graph_forget(struct tui *t)
{
	t->graph.id = 0;
	t->graph.drawn = false;
}

void graph_free_pane(struct graph_pane *gp)
{
	graph_free(gp->g);
	gp->g = NULL;
	canvas_free(&gp->cv);
}

/* The flow the graph key means: the flow table's selection when it has the focus, else the current row's.
   *tcp: it is a TCP flow. */
static uint64_t graph_wanted(struct tui *t, bool *tcp, const struct flow **flow, struct flow *scratch)
{
	uint64_t id = 0;
	*tcp = false;
	*flow = NULL;
	if (t->focus == PANE_FLOWS && !t->show_sockets) {
		id = flows_at(t, t->flows.lv.sel);
	} else {
		const struct tui_pkt *p = tui_current(t, NULL);
		id = p ? p->s.flow_id : 0;
		*tcp = p && p->s.proto == 6;
	}
	if (id && (*flow = model_flow(&t->m, id, scratch)) != NULL)
		*tcp = (*flow)->proto == 6;
	return id;
}

unsigned graph_open(struct tui *t)
{
	struct graph_pane *gp = &t->graph;
	bool tcp;
	const struct flow *f;
	struct flow scratch;
	uint64_t id = graph_wanted(t, &tcp, &f, &scratch);
	if (!id)
		return tui_message(t, false, "select a packet of a TCP flow (or a flow) first");
	if (!tcp)
		return tui_message(t, false, "flow %" PRIu64 " is not TCP: the graphs are of TCP flows", id);
	if (t->lower == LOWER_GRAPH && gp->id == id) { /* the same flow again: its next picture */
		gp->kind = (enum graph_kind)((gp->kind + 1) % GRAPH_KIND_COUNT);
		return D_LOWER;
	}
	if (!gp->g && !(gp->g = graph_new(GRAPH_POINTS_DEFAULT, 0)))
		return tui_message(t, true, "out of memory for the graph (%zu bytes)",
				   graph_bytes(GRAPH_POINTS_DEFAULT, GRAPH_OUT_DEFAULT));
	if (gp->id != id) {
		graph_reset(gp->g);
		gp->id = id;
		gp->fed_next = 0;
		gp->dir_chosen = false;
		gp->t_from = gp->t_to = 0;
		gp->cursor_t = 0;
		gp->drawn = false;
		gp->ends[0][0] = gp->ends[1][0] = '\0';
		if (f) {
			flow_endpoint_str(&f->client, true, gp->ends[0]);
			flow_endpoint_str(&f->server, true, gp->ends[1]);
		}
	}
	t->ladder.id = id;
	ladder_build(t, id);
	t->lower = LOWER_GRAPH;
	return tui_focus_pane(t, PANE_LOWER);
}

/* ---------------------------------------------------------------- the cursor and the packets ---- */

/* The index in the flow index of the last row at or before t_ns (the first row when none is). */
static size_t graph_row_at(struct tui *t, int64_t t_ns)
{
	const struct store_flowrows *r = &t->m.flowpk;
	size_t lo = 0, hi = r->count; /* first index after t_ns */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tui_pkt *p = model_row(&t->m, r->row[mid]);
		if (p && p->s.ts_ns <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/* The cursor's column in the last drawing, -1 when it is outside (or there is none). */
static int graph_cursor_col(const struct graph_pane *gp)
{
	if (!gp->drawn || !gp->cursor_t)
		return -1;
	double x = graph_frame_x(&gp->frame, gp->cursor_t);
	if (x < 0 || x > gp->frame.v.w)
		return -1;
	return canvas_col(&gp->cv, x);
}

/* The cursor to column col (clamped into the plot): the ladder and the list select the last packet of the
   flow at or before the column's end. */
static unsigned graph_cursor_to(struct tui *t, int col)
{
	struct graph_pane *gp = &t->graph;
	if (!gp->drawn || !gp->cv.cols)
		return 0;
	if (col < 0)
		col = 0;
	if (col >= gp->cv.cols)
		col = gp->cv.cols - 1;
	int sx = gp->cv.sx;
	gp->cursor_t = graph_frame_time(&gp->frame, (col + 0.5) * sx);
	int64_t end = graph_frame_time(&gp->frame, (double)(col + 1) * sx) - 1;
	ladder_build(t, gp->id);
	if (!t->m.flowpk.count)
		return D_LOWER;
	lv_select(&t->ladder.lv, graph_row_at(t, end), tui_pane_rows(t, PANE_LOWER));
	return tui_ladder_moved(t) | D_LOWER;
}

static unsigned graph_cursor_step(struct tui *t, int delta)
{
	struct graph_pane *gp = &t->graph;
	int col = graph_cursor_col(gp);
	if (col < 0)
		col = delta > 0 ? -1 : gp->cv.cols;
	return graph_cursor_to(t, col + delta);
}

/* The time shown now (the whole flow when not zoomed). */
static void graph_span(const struct graph_pane *gp, int64_t *from, int64_t *to)
{
	*from = gp->t_from;
	*to = gp->t_to;
	if (!*from && !*to) {
		*from = gp->g->t_first;
		*to = gp->g->t_last;
	}
}

/* Show [from, to] kept inside the flow's time; the whole flow again when it covers it. */
static void graph_set_span(struct graph_pane *gp, int64_t from, int64_t to)
{
	int64_t first = gp->g->t_first, last = gp->g->t_last, span = to - from;
	if (span >= last - first) {
		gp->t_from = gp->t_to = 0;
		return;
	}
	if (from < first) {
		from = first;
		to = first + span;
	}
	if (to > last) {
		to = last;
		from = last - span;
	}
	gp->t_from = from;
	gp->t_to = to;
}

static unsigned graph_pan(struct tui *t, int dir)
{
	struct graph_pane *gp = &t->graph;
	char k[16];
	if (!gp->g || (!gp->t_from && !gp->t_to))
		return tui_message(t, false, "the whole flow is shown: %s zooms in first",
				   keys_first(ACT_TIME_IN, k, sizeof k));
	int64_t q = (gp->t_to - gp->t_from) / 4;
	graph_set_span(gp, gp->t_from + dir * q, gp->t_to + dir * q);
	return D_LOWER;
}

static unsigned graph_time_zoom(struct tui *t, bool in)
{
	struct graph_pane *gp = &t->graph;
	if (!gp->g || !gp->g->pkts)
		return 0;
	int64_t from, to;
	graph_span(gp, &from, &to);
	int64_t span = to - from;
	int64_t mid = gp->cursor_t >= from && gp->cursor_t <= to ? gp->cursor_t : from + span / 2;
	if (in) {
		if (span / 2 < GRAPH_MIN_SPAN)
			return tui_message(t, false, "the time axis is zoomed in as far as it goes");
		span /= 2;
	} else {
		if (!gp->t_from && !gp->t_to)
			return 0;
		span *= 2;
	}
	graph_set_span(gp, mid - span / 2, mid - span / 2 + span);
	return D_LOWER;
}

/* ---------------------------------------------------------------- drawing ---- */

/* "µs" as "us" where the terminal shows ASCII only. */
static void ascii_units(char *s)
{
	char *p;
	while ((p = strstr(s, "\xc2\xb5")) != NULL) {
		*p = 'u';
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	}
}

/* A line of text that is written in pieces, each with its style, put on the screen as runs. */
struct runs {
	struct tui_sink *s;
	int y, x;                 /* where the next piece goes */
	char buf[TUI_LINE];
	size_t used;
	unsigned style;
	int start, width;         /* the run's first column and columns */
};

static void runs_flush(struct runs *r)
{
	if (!r->used)
		return;
	r->buf[r->used] = '\0';
	sink_put(r->s, r->y, r->start, r->width, r->buf, r->style, false);
	r->used = 0;
	r->start += r->width;
	r->width = 0;
}

static void runs_add(struct runs *r, const char *text, int cols, unsigned style)
{
	size_t n = strlen(text);
	if (r->used && (style != r->style || r->used + n + 1 >= sizeof r->buf))
		runs_flush(r);
	if (!r->used) {
		r->style = style;
		r->start = r->x;
	}
	memcpy(r->buf + r->used, text, n);
	r->used += n;
	r->width += cols;
	r->x += cols;
}

/* The legend: each style drawn, as its sample and its name; wrapped into lines of width columns.
   Returns the lines used (at most max); with s NULL only counts them. */
static int graph_legend(struct tui *t, struct tui_sink *s, int y, int width, int max)
{
	const struct graph_frame *f = &t->graph.frame;
	int line = 0, col = 0;
	struct runs r = { .s = s, .y = y, .x = 1 };
	for (size_t i = 0; i < sizeof legend_order / sizeof legend_order[0]; i++) {
		enum graph_style st = legend_order[i];
		if (!(f->styles & (1u << st)))
			continue;
		char sample[CANVAS_TEXT];
		canvas_sample(t->utf8, st, sample);
		int sw = st == GST_ACK || st == GST_RWND || st == GST_CWND ? 3 : 1;
		const char *name = graph_style_info(st)->name;
		int need = sw + 1 + (int)strlen(name) + 2;
		if (col && col + need > width) {
			if (s)
				runs_flush(&r);
			if (++line >= max)
				return max;
			col = 0;
			r.y = y + line;
			r.x = 1;
		}
		if (s) {
			runs_add(&r, sample, sw, style_of(st));
			char text[64];
			snprintf(text, sizeof text, " %s  ", name);
			runs_add(&r, text, (int)strlen(text), ROLE_NORMAL);
		}
		col += need;
	}
	if (s)
		runs_flush(&r);
	return col ? line + 1 : line;
}

/* Plot the graph into the canvas of cols × rows cells; the frame and the canvas are kept for the keys. */
static void graph_plot_into(struct tui *t, int cols, int rows)
{
	struct graph_pane *gp = &t->graph;
	struct graph_view v = { .kind = gp->kind, .dir = gp->dir, .t_from = gp->t_from, .t_to = gp->t_to };
	canvas_resize(&gp->cv, cols, rows, t->utf8);
	v.w = canvas_dots_wide(&gp->cv);
	v.h = canvas_dots_high(&gp->cv);
	v.xticks = cols / GRAPH_TICK_COLS + 1;
	v.yticks = rows / 2 + 1;
	struct graph_sink sink = canvas_sink(&gp->cv);
	graph_plot(gp->g, &v, &sink, &gp->frame);
}

/* The y label of each plot row that holds a tick ("" for the others). */
static void graph_ylabels(const struct graph_pane *gp, int rows, char labels[][16], int *width)
{
	const struct graph_axis *a = &gp->frame.y;
	*width = 1;
	for (int r = 0; r < rows; r++)
		labels[r][0] = '\0';
	for (int i = 0; i < a->nticks; i++) {
		int r = canvas_row(&gp->cv, graph_frame_y(&gp->frame, graph_axis_tick(a, i)));
		if (r < 0 || r >= rows || labels[r][0])
			continue;
		graph_axis_label(a, i, labels[r], sizeof labels[r]);
		int w = (int)strlen(labels[r]);
		if (w > *width)
			*width = w;
	}
}

/* The x axis (a tick '+' at each labelled column) and the row of labels under it. */
static void graph_xaxis(struct tui *t, struct tui_sink *s, int y, int x0)
{
	struct graph_pane *gp = &t->graph;
	const struct graph_axis *a = &gp->frame.x;
	int cols = gp->cv.cols;
	char axis[TUI_LINE], labels[TUI_LINE];
	if (cols >= (int)sizeof axis - 16)
		cols = (int)sizeof axis - 17;
	memset(axis, '-', (size_t)cols);
	memset(labels, ' ', (size_t)cols + 2);
	int next_free = 0;
	for (int i = 0; i < a->nticks; i++) {
		double x = ((graph_axis_tick(a, i) - a->lo) / (a->hi - a->lo)) * gp->frame.v.w;
		int c = canvas_col(&gp->cv, x);
		char lab[32];
		graph_axis_label(a, i, lab, sizeof lab);
		int w = (int)strlen(lab);
		if (c < next_free || c + w > cols + 1)
			continue; /* no room (the plot has one spare column on its right): no tick, no label */
		axis[c] = '+';
		memcpy(labels + c, lab, (size_t)w);
		next_free = c + w + 1;
	}
	axis[cols] = '\0';
	labels[cols + 1] = '\0';
	sink_put(s, y, x0, cols, axis, ROLE_NORMAL, false);
	sink_put(s, y + 1, x0, s->cols - x0, labels, ROLE_NORMAL, false);
	/* The unit in the margin before the labels ("ms 0   50   100"), so it shows however narrow the pane. */
	int uw = (int)strlen(a->unit) - (t->utf8 && !strncmp(a->unit, "\xc2\xb5", 2) ? 1 : 0);
	if (uw < x0)
		sink_put(s, y + 1, x0 - 1 - uw, uw, a->unit, ROLE_NORMAL, false);
}

/* The line under the legend: the packet at the cursor, then what the picture leaves out. */
static void graph_status(struct tui *t, struct tui_sink *s, int y)
{
	struct graph_pane *gp = &t->graph;
	char line[TUI_LINE];
	size_t used = 0;
	uint64_t seq;
	const struct tui_pkt *p = tui_current(t, &seq);
	if (gp->cursor_t && p && p->s.flow_id == gp->id) {
		const struct graph_axis *a = &gp->frame.x;
		used += (size_t)snprintf(line + used, sizeof line - used, "cursor %.*f %s: #%" PRIu64 " ",
					 a->decimals + 1, (double)(gp->cursor_t - gp->frame.t0) / a->div, a->unit,
					 p->s.n);
		if (p->is_call)
			used += (size_t)snprintf(line + used, sizeof line - used, "(a socket call)");
		else if (used < sizeof line)
			used += fmt_info(line + used, sizeof line - used, &p->s);
	}
	const struct graph *g = gp->g;
	const struct graph_dir *d = &g->d[gp->dir];
	const char *who = gp->dir == DIR_C2S ? "client" : "server";
	if (gp->frame.empty && used < sizeof line)
		used += (size_t)snprintf(line + used, sizeof line - used, "%snothing to draw yet for the %s's data",
					 used ? "; " : "", who);
	if (gp->frame.rwnd_above && used < sizeof line)
		used += (size_t)snprintf(line + used, sizeof line - used,
					 "%sthe window edge is above the top (up to %" PRIu64 " bytes)", used ? "; " : "",
					 gp->frame.rwnd_above);
	if (gp->pkts_wire > g->pkts && used < sizeof line)
		used += (size_t)snprintf(line + used, sizeof line - used,
					 "%s%" PRIu64 " of the flow's %" PRIu64 " packets (the spool let the others go)",
					 used ? "; " : "", g->pkts, gp->pkts_wire);
	if (gp->kind == GRAPH_INFLIGHT && t->m.live && !d->s[GS_CWND].n && used < sizeof line)
		used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", used ? "; " : "",
					 t->m.session && t->m.session->o.sockets
						 ? "no cwnd yet: the sender's socket is not in the kernel's table"
						 : "the kernel's cwnd needs --sockets");
	if (gp->t_from || gp->t_to) {
		char k[16];
		if (used < sizeof line)
			used += (size_t)snprintf(line + used, sizeof line - used, "%szoomed (%s: out)", used ? "; " : "",
						 keys_first(ACT_TIME_OUT, k, sizeof k));
	}
	line[used < sizeof line ? used : sizeof line - 1] = '\0';
	if (!t->utf8)
		ascii_units(line);
	sink_put(s, y, 1, s->cols - 1, line, SM_BOLD, false);
}

static void graph_body(struct tui *t, struct tui_sink *s, int y, int rows)
{
	struct graph_pane *gp = &t->graph;
	gp->drawn = false;
	char k[16];
	if (!gp->id || !gp->g) {
		snprintf(t->line, sizeof t->line, "no flow graphed: select a packet of a TCP flow and press %s",
			 keys_first(ACT_GRAPH, k, sizeof k));
		sink_put(s, y, 2, s->cols - 2, t->line, SM_DIM, false);
		return;
	}
	graph_sync(t);
	const struct flow *f = flowtab_find(pipeline_flows(t->m.pl), gp->id);
	if (f)
		gp->pkts_wire = f->pkts[0] + f->pkts[1];
	if (!gp->g->pkts) {
		snprintf(t->line, sizeof t->line, "flow %" PRIu64 " has no TCP segment left in the spool", gp->id);
		sink_put(s, y, 2, s->cols - 2, t->line, SM_DIM, false);
		return;
	}
	if (!gp->dir_chosen)
		gp->dir = graph_main_dir(gp->g);
	/* Rows: the axes' titles, the plot, the x axis and its labels, the legend, the status line. */
	int width = s->cols - 2;
	struct graph_frame probe;
	struct graph_view pv = { .kind = gp->kind, .dir = gp->dir, .t_from = gp->t_from, .t_to = gp->t_to, .w = 1, .h = 1 };
	graph_plot(gp->g, &pv, NULL, &probe);
	gp->frame.styles = probe.styles;
	int legend = graph_legend(t, NULL, 0, width, GRAPH_LEGEND_ROWS);
	int titles = rows >= 12 ? 1 : 0;
	int plot_rows = rows - titles - 2 - legend - 1;
	if (plot_rows < 2) {
		snprintf(t->line, sizeof t->line, "too few rows for the graph: %s zooms it to the whole screen",
			 keys_first(ACT_ZOOM, k, sizeof k));
		sink_put(s, y, 2, s->cols - 2, t->line, SM_DIM, false);
		return;
	}
	/* Plot once to learn the y labels' width, then at the width that leaves. */
	char ylab[TUI_LINE / 4][16]; /* plot rows at most */
	if (plot_rows > (int)(sizeof ylab / sizeof ylab[0]))
		plot_rows = (int)(sizeof ylab / sizeof ylab[0]);
	int lw;
	graph_plot_into(t, s->cols - 10, plot_rows);
	graph_ylabels(gp, plot_rows, ylab, &lw);
	if (lw < 2)
		lw = 2; /* room for the x unit under the y labels */
	gp->plot_x = lw + 1;
	int plot_cols = s->cols - gp->plot_x - 1;
	if (plot_cols > TUI_LINE / 2)
		plot_cols = TUI_LINE / 2;
	graph_plot_into(t, plot_cols, plot_rows);
	graph_ylabels(gp, plot_rows, ylab, &lw);
	if (lw < 2)
		lw = 2;
	if (!t->utf8) {
		ascii_units(gp->frame.x.unit);
		ascii_units(gp->frame.x.title);
		ascii_units(gp->frame.y.title);
	}
	gp->drawn = true;
	int row = y;
	if (titles) {
		/* The axes' titles; the flow's ends before them where the row has room. */
		const char *arrow = t->utf8 ? "\xe2\x86\x92" : "->";
		int n = snprintf(t->line, sizeof t->line, "y: %s    x: %s", gp->frame.y.title, gp->frame.x.title);
		int ends = (int)(strlen(gp->ends[0]) + strlen(gp->ends[1])) + 8;
		if (n + ends < s->cols - 1)
			snprintf(t->line, sizeof t->line, "%s %s %s    y: %s    x: %s", gp->ends[gp->dir], arrow,
				 gp->ends[1 - gp->dir], gp->frame.y.title, gp->frame.x.title);
		sink_put(s, row++, 1, s->cols - 1, t->line, SM_DIM, false);
	}
	if (!t->ladder.driven) { /* the cursor follows the list while the list is moved */
		const struct tui_pkt *cur = tui_current(t, NULL);
		if (cur && cur->s.flow_id == gp->id)
			gp->cursor_t = cur->s.ts_ns;
	}
	int ccol = graph_cursor_col(gp);
	for (int r = 0; r < plot_rows; r++, row++) {
		char margin[32];
		size_t ll = strlen(ylab[r]);
		memset(margin, ' ', (size_t)lw);
		memcpy(margin + lw - (int)ll, ylab[r], ll);
		margin[lw] = ylab[r][0] ? '+' : '|';
		margin[lw + 1] = '\0';
		sink_put(s, row, 0, gp->plot_x, margin, ROLE_NORMAL, false);
		struct runs out = { .s = s, .y = row, .x = gp->plot_x };
		for (int c = 0; c < gp->cv.cols; c++) {
			char cell[CANVAS_TEXT];
			int gs = canvas_cell_text(&gp->cv, c, r, cell);
			unsigned st = gs >= 0 ? style_of(gs) : ROLE_NORMAL;
			if (c == ccol) {
				st = ROLE_SEL;
				if (gs < 0)
					snprintf(cell, sizeof cell, "%s", t->utf8 ? "\xe2\x94\x82" : ":");
			}
			runs_add(&out, cell, 1, st);
		}
		runs_flush(&out);
	}
	graph_xaxis(t, s, row, gp->plot_x);
	row += 2;
	graph_legend(t, s, row, width, legend);
	row += legend;
	graph_status(t, s, row);
}

static void graph_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	int rows = h - 1;
	if (rows <= 0)
		return;
	struct graph_pane *gp = &t->graph;
	char help[160], title[TUI_LINE];
	graph_help(t, help, sizeof help);
	if (gp->id && gp->g) {
		int d = gp->dir_chosen || !gp->g->pkts ? gp->dir : graph_main_dir(gp->g);
		snprintf(title, sizeof title, " Graph: flow %" PRIu64 ", %s, %s's data   %s", gp->id,
			 graph_kind_title(gp->kind), d == DIR_C2S ? "client" : "server", help);
	} else {
		snprintf(title, sizeof title, " Graph   %s", help);
	}
	tui_frame_pane(t, s, PANE_LOWER, rows, title);
	graph_body(t, s, y + 1, rows);
}

/* ---------------------------------------------------------------- keys ---- */

static unsigned graph_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	struct graph_pane *gp = &t->graph;
	switch (act) {
	case ACT_GRAPH:
		return graph_open(t);
	case ACT_GRAPH_DIR:
		gp->dir = gp->dir == DIR_C2S ? DIR_S2C : DIR_C2S;
		gp->dir_chosen = true;
		return D_LOWER;
	case ACT_LEFT:
		return graph_cursor_step(t, -1);
	case ACT_RIGHT:
		return graph_cursor_step(t, 1);
	case ACT_PAN_LEFT:
		return graph_pan(t, -1);
	case ACT_PAN_RIGHT:
		return graph_pan(t, 1);
	case ACT_TIME_IN:
		return graph_time_zoom(t, true);
	case ACT_TIME_OUT:
		return graph_time_zoom(t, false);
	case ACT_OPEN: /* the ladder of the flow, at the packet selected here */
		t->lower = LOWER_LADDER;
		return D_ALL;
	default:
		break;
	}
	if (!ACT_MOVES(act) || !gp->id)
		return K_PASS;
	/* Packet by packet through the flow, as in the ladder; the cursor goes to the packet. */
	ladder_build(t, gp->id);
	tui_lv_key(&t->ladder.lv, act, tui_pane_rows(t, PANE_LOWER));
	unsigned f = tui_ladder_moved(t);
	const struct tui_pkt *p = tui_current(t, NULL);
	if (p)
		gp->cursor_t = p->s.ts_ns;
	return f | D_LOWER;
}

static unsigned graph_mouse(struct tui *t, int row, int wheel)
{
	(void)row;
	if (!wheel)
		return 0;
	return graph_cursor_step(t, wheel);
}

const struct pane_class pane_graph = { .draw = graph_draw, .key = graph_key, .mouse = graph_mouse, .help = graph_help };
