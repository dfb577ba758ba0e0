/* tui_shared.c — what the panes share: the current packet, how moving in one pane moves the others, a slot's frame, the footer message. */
#include <stdarg.h>
#include <stdio.h>

#include "tui/tui_panel.h"

#define TUI_MSG_NS (6 * 1000000000LL) /* how long a message replaces the key hints */

/* ---------------------------------------------------------------- framing a slot ---- */

void tui_title(struct tui *t, struct tui_sink *s, int slot, const char *text)
{
	sink_line(s, t->lay.y[slot], text, t->focus == slot ? ROLE_HEADER : ROLE_TITLE);
}

void tui_frame_pane(struct tui *t, struct tui_sink *s, int slot, int rows, const char *title)
{
	tui_title(t, s, slot, title);
	for (int r = 0; r < rows; r++)
		sink_fill(s, t->lay.y[slot] + 1 + r, 0, s->cols, ROLE_NORMAL);
}

unsigned tui_sel_style(const struct tui *t, int slot, unsigned style)
{
	return t->focus == slot ? ROLE_SEL : style | SM_BOLD | SM_UNDERLINE;
}

/* ---------------------------------------------------------------- the footer message ---- */

unsigned tui_message(struct tui *t, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->footer.msg, sizeof t->footer.msg, fmt, ap);
	va_end(ap);
	t->footer.msg_err = err;
	t->footer.msg_until = clock_mono_ns() + TUI_MSG_NS;
	return D_FOOTER;
}

/* ---------------------------------------------------------------- slots and the selection ---- */

int tui_pane_rows(const struct tui *t, int slot)
{
	int h = t->lay.h[slot] - 1;
	if (slot == PANE_LOWER && t->lower == LOWER_LADDER)
		h -= t->ladder.headers;
	return h > 1 ? h : 1;
}

struct tui_pkt *tui_current(struct tui *t, uint64_t *seq)
{
	if (t->ladder.driven && t->ladder.lv.count && t->m.flowpk.id == t->ladder.id &&
	    t->ladder.lv.sel < t->m.flowpk.count) {
		uint64_t s = t->m.flowpk.row[t->ladder.lv.sel];
		if (seq)
			*seq = s;
		return model_row(&t->m, s);
	}
	if (!t->list.lv.count)
		return NULL;
	return list_pkt(t, t->list.lv.sel, seq);
}

unsigned tui_list_moved(struct tui *t)
{
	t->ladder.driven = false;
	uint64_t seq;
	struct tui_pkt *p = tui_current(t, &seq);
	t->details.top = 0;
	if (p && p->s.flow_id) {
		if (t->lower != LOWER_GRAPH) /* the graph keeps its flow */
			t->ladder.id = p->s.flow_id;
		t->flows.sel_id = p->s.flow_id;
	}
	return D_LIST | D_LOWER | D_FLOWS;
}

unsigned tui_ladder_moved(struct tui *t)
{
	t->ladder.driven = true;
	t->details.top = 0;
	if (t->ladder.lv.count && t->ladder.lv.sel < t->m.flowpk.count) {
		uint64_t seq = t->m.flowpk.row[t->ladder.lv.sel];
		size_t i;
		if (model_shown_find(&t->m, seq, &i) && i < t->list.lv.count)
			lv_select(&t->list.lv, i, tui_pane_rows(t, PANE_LIST));
	}
	return D_LIST | D_LOWER;
}

unsigned tui_focus_pane(struct tui *t, int slot)
{
	t->focus = slot;
	if (t->zoom >= 0)
		t->zoom = slot;
	return D_ALL;
}

unsigned tui_end(struct tui *t)
{
	model_fast_forward(&t->m);
	lv_set_count(&t->list.lv, model_visible(&t->m), tui_pane_rows(t, PANE_LIST));
	lv_end(&t->list.lv, tui_pane_rows(t, PANE_LIST));
	return tui_list_moved(t) | D_STATUS;
}

unsigned tui_open_current(struct tui *t)
{
	uint64_t seq;
	struct tui_pkt *p = tui_current(t, &seq);
	if (!p || !p->s.flow_id)
		return tui_message(t, false, p && p->is_call ? "this call matched no flow: its socket had no packet (yet)"
							     : "this packet belongs to no flow");
	t->ladder.id = p->s.flow_id;
	t->lower = LOWER_LADDER;
	ladder_select_seq(t, seq);
	return tui_focus_pane(t, PANE_LOWER);
}

bool tui_lv_key(struct listview *lv, enum tui_action act, int h)
{
	switch (act) {
	case ACT_UP:
		lv_move(lv, -1, h);
		return true;
	case ACT_DOWN:
		lv_move(lv, 1, h);
		return true;
	case ACT_PGUP:
		lv_move(lv, -h, h);
		return true;
	case ACT_PGDN:
		lv_move(lv, h, h);
		return true;
	case ACT_HOME:
		lv_home(lv, h);
		return true;
	case ACT_END:
		lv_end(lv, h);
		return true;
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- the list's rows and the ladder's flow ---- */

struct tui_pkt *list_pkt(struct tui *t, size_t i, uint64_t *seq)
{
	if (i >= t->list.lv.count)
		return NULL;
	return model_shown(&t->m, i, seq);
}

unsigned list_select_row(struct tui *t, uint64_t row)
{
	struct listview *lv = &t->list.lv;
	lv_set_count(lv, model_visible(&t->m), tui_pane_rows(t, PANE_LIST));
	size_t i = model_shown_lower_bound(&t->m, row);
	if (!lv->count)
		return tui_list_moved(t);
	lv_select(lv, i < lv->count ? i : lv->count - 1, tui_pane_rows(t, PANE_LIST));
	return tui_list_moved(t);
}

unsigned list_refilter(struct tui *t)
{
	struct listview *lv = &t->list.lv;
	uint64_t cur = 0;
	bool had = list_pkt(t, lv->sel, &cur) != NULL;
	bool follow = lv->follow;
	lv_init(lv);
	lv->follow = follow;
	lv_set_count(lv, model_visible(&t->m), tui_pane_rows(t, PANE_LIST));
	t->list.keep_row = had && !follow ? cur : STORE_NONE;
	return tui_list_moved(t) | D_ALL;
}

void ladder_build(struct tui *t, uint64_t id)
{
	size_t before = t->m.flowpk.count;
	bool rebuilt = model_flow_index(&t->m, id);
	if (rebuilt)
		lv_init(&t->ladder.lv);
	if (rebuilt || before != t->m.flowpk.count)
		lv_set_count(&t->ladder.lv, t->m.flowpk.count, tui_pane_rows(t, PANE_LOWER));
}

void ladder_select_seq(struct tui *t, uint64_t seq)
{
	ladder_build(t, t->ladder.id);
	size_t i = store_flowrows_lower_bound(&t->m.flowpk, seq);
	if (i < t->m.flowpk.count && t->m.flowpk.row[i] == seq)
		lv_select(&t->ladder.lv, i, tui_pane_rows(t, PANE_LOWER));
}

bool tui_scroll_key(size_t *off, enum tui_action act, size_t page, bool from_end)
{
	size_t step = act == ACT_UP || act == ACT_DOWN ? 1 : act == ACT_PGUP || act == ACT_PGDN ? page : 0;
	if (!step)
		return false;
	bool back = (act == ACT_UP || act == ACT_PGUP) != from_end; /* towards offset 0 */
	*off = back ? (*off > step ? *off - step : 0) : *off + step;
	return true;
}
