/* pane_flows.c — the flow table: both ends' states, packets and bytes each way, how each flow ended. */
#include <inttypes.h>
#include <stdio.h>

#include "tui/tui_panel.h"

/* A flow as the user should see it; false when it is hidden (idle since `c`) or unknown. */
static const struct flow *flows_visible(struct tui *t, uint64_t id, struct flow *scratch, struct flow_view *v)
{
	const struct flow *f = model_flow(&t->m, id, scratch);
	if (!f || (t->m.cleared && f->last_ns <= t->m.clear_ns))
		return NULL;
	model_flow_view(&t->m, f, v);
	return f;
}

/* The id of the flow at row `index` (0: none): ids are dense from 1, unless `c` hid some. */
uint64_t flows_at(struct tui *t, size_t index)
{
	uint64_t n = model_flows(&t->m);
	if (!t->m.cleared)
		return index < n ? index + 1 : 0;
	struct flow scratch;
	struct flow_view v;
	for (uint64_t id = 1, k = 0; id <= n; id++)
		if (flows_visible(t, id, &scratch, &v) && k++ == index)
			return id;
	return 0;
}

/* Rows of the table, and the row of flow sel_id (SIZE_MAX: not listed). */
static size_t flows_count(struct tui *t, size_t *sel)
{
	uint64_t n = model_flows(&t->m);
	*sel = t->flows.sel_id && t->flows.sel_id <= n ? (size_t)(t->flows.sel_id - 1) : SIZE_MAX;
	if (!t->m.cleared)
		return (size_t)n;
	struct flow scratch;
	struct flow_view v;
	size_t k = 0;
	*sel = SIZE_MAX;
	for (uint64_t id = 1; id <= n; id++) {
		if (!flows_visible(t, id, &scratch, &v))
			continue;
		if (id == t->flows.sel_id)
			*sel = k;
		k++;
	}
	return k;
}

static void flows_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	struct listview *lv = &t->flows.lv;
	int rows = tui_pane_rows(t, PANE_FLOWS);
	size_t sel;
	size_t n = flows_count(t, &sel);
	if (sel != SIZE_MAX)
		lv->sel = sel;
	lv_set_count(lv, n, rows);
	lv->follow = false;
	if (h <= 0)
		return;
	fmt_flow_header(t->line, sizeof t->line, s->cols);
	tui_frame_pane(t, s, PANE_FLOWS, rows, t->line);
	for (int r = 0; r < rows && lv->top + (size_t)r < n; r++) {
		size_t i = lv->top + (size_t)r;
		uint64_t id = flows_at(t, i);
		struct flow scratch;
		struct flow_view v;
		const struct flow *f = id ? flows_visible(t, id, &scratch, &v) : NULL;
		if (!f)
			continue;
		fmt_flow_row(t->line, sizeof t->line, f, &v, tcp_state_name(v.state[0]), tcp_state_name(v.state[1]),
			     flow_end_name(v.end), s->cols);
		unsigned style = v.end == END_RST || v.end == END_REFUSED ? STYLE_ROW(RC_RST)
				 : v.end == END_FIN                      ? STYLE_ROW(RC_FIN)
									  : ROLE_NORMAL;
		if (i == lv->sel)
			style = tui_sel_style(t, PANE_FLOWS, style);
		sink_line(s, y + 1 + r, t->line, style);
	}
	if (!n)
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
		return tui_message(t, false, "flow %" PRIu64 " has no packets left in the panel", id);
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
