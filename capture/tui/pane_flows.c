/* pane_flows.c — the flow table: both ends' states, packets and bytes each way, how each flow ended. */
#include <inttypes.h>
#include <stdio.h>

#include "tui/tui_panel.h"

/* Two walks over the table: one places the selection (or finds the flow at an index), one draws the window. */
struct flows_walk {
	struct tui *t;
	struct tui_sink *s;       /* NULL: nothing is drawn */
	size_t n;                 /* flows visible so far */
	size_t sel_index;         /* index of the selected flow, or SIZE_MAX */
	size_t top, rows;         /* the window being drawn */
	int y;                    /* the pane's title row */
	uint64_t want_index;      /* find the id at this index ... */
	uint64_t found_id;        /* ... here */
};

/* A flow as the user should see it; false when it is hidden (read ahead only, or idle since `c`). */
static bool flows_visible(const struct tui *t, const struct flow *f, struct flow_view *v)
{
	flowview_from(v, f, t->m.have_pending ? &t->m.pending : NULL);
	if (v->hidden)
		return false;
	if (t->m.cleared && f->last_ns <= t->m.clear_ns)
		return false;
	return true;
}

static void flows_visit(const struct flow *f, void *arg)
{
	struct flows_walk *w = arg;
	struct flow_view v;
	if (!flows_visible(w->t, f, &v))
		return;
	size_t i = w->n++;
	if (f->id == w->t->flows.sel_id)
		w->sel_index = i;
	if (i == w->want_index)
		w->found_id = f->id;
	if (!w->s || i < w->top || i >= w->top + w->rows)
		return;
	struct tui *t = w->t;
	fmt_flow_row(t->line, sizeof t->line, f, &v, tcp_state_name(v.state[0]), tcp_state_name(v.state[1]),
		     flow_end_name(v.end), w->s->cols);
	unsigned style = v.end == END_RST || v.end == END_REFUSED ? STYLE_ROW(RC_RST)
			 : v.end == END_FIN                      ? STYLE_ROW(RC_FIN)
								  : ROLE_NORMAL;
	if (i == t->flows.lv.sel)
		style = tui_sel_style(t, PANE_FLOWS, style);
	sink_line(w->s, w->y + 1 + (int)(i - w->top), t->line, style);
}

uint64_t flows_at(struct tui *t, size_t index)
{
	struct flows_walk w = { .t = t, .sel_index = SIZE_MAX, .want_index = index };
	flowtab_foreach(pipeline_flows(t->m.pl), flows_visit, &w);
	return w.found_id;
}

static void flows_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	struct listview *lv = &t->flows.lv;
	int rows = tui_pane_rows(t, PANE_FLOWS);
	struct flow_table *ft = pipeline_flows(t->m.pl);
	struct flows_walk w = { .t = t, .sel_index = SIZE_MAX, .want_index = UINT64_MAX };
	flowtab_foreach(ft, flows_visit, &w);
	lv->count = w.n;
	if (w.sel_index != SIZE_MAX)
		lv->sel = w.sel_index;
	lv_set_count(lv, w.n, rows);
	lv->follow = false;
	if (h <= 0)
		return;
	fmt_flow_header(t->line, sizeof t->line, s->cols);
	tui_frame_pane(t, s, PANE_FLOWS, rows, t->line);
	struct flows_walk d = { .t = t, .s = s, .sel_index = SIZE_MAX, .want_index = UINT64_MAX, .top = lv->top,
				.rows = (size_t)rows, .y = y };
	flowtab_foreach(ft, flows_visit, &d);
	if (!w.n)
		sink_put(s, y + 1, 2, s->cols - 2, "no flows yet", SM_DIM, false);
}

/* Enter: the ladder of the selected flow, from its first packet. */
static unsigned flows_open(struct tui *t)
{
	uint64_t id = flows_at(t, t->flows.lv.sel);
	if (!id)
		return 0;
	t->ladder.id = id;
	ladder_build(t, id);
	if (!t->m.flowpk.count)
		return tui_message(t, false, "flow %" PRIu64 " has no packets left in the history", id);
	lv_home(&t->ladder.lv, tui_pane_rows(t, PANE_LOWER));
	t->lower = LOWER_LADDER;
	unsigned f = tui_ladder_moved(t);
	return f | tui_focus_pane(t, PANE_LOWER);
}

static unsigned flows_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	if (act == ACT_OPEN)
		return flows_open(t);
	if (!tui_lv_key(&t->flows.lv, act, tui_pane_rows(t, PANE_FLOWS)))
		return K_PASS;
	t->flows.sel_id = flows_at(t, t->flows.lv.sel);
	return D_FLOWS;
}

static unsigned flows_mouse(struct tui *t, int row, int wheel)
{
	struct listview *lv = &t->flows.lv;
	int h = tui_pane_rows(t, PANE_FLOWS);
	if (wheel) {
		lv_scroll(lv, 3L * wheel, h);
	} else {
		if (row < 0 || lv->top + (size_t)row >= lv->count)
			return 0;
		lv_select(lv, lv->top + (size_t)row, h);
	}
	t->flows.sel_id = flows_at(t, lv->sel);
	return D_FLOWS;
}

const struct pane_class pane_flows = { .draw = flows_draw, .key = flows_key, .mouse = flows_mouse };
