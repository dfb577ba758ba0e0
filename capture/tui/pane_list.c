/* pane_list.c — the packet list: one row per shown packet (or classroom call), coloured by what it is. */
#include <inttypes.h>
#include <stdio.h>

#include "tui/tui_panel.h"
#include "view/view.h"

static void list_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	if (h <= 0)
		return;
	struct listview *lv = &t->list.lv;
	int rows = tui_pane_rows(t, PANE_LIST);
	lv_set_count(lv, model_visible(&t->m), rows);
	const struct tui_pkt *last = list_pkt(t, lv->top + (size_t)rows - 1 < lv->count ? lv->top + (size_t)rows - 1
											: lv->count - 1, NULL);
	int numw = fmt_num_width(last ? last->s.n : 0);
	fmt_row_header(t->line, sizeof t->line, s->cols, numw);
	tui_title(t, s, PANE_LIST, t->line);
	for (int r = 0; r < rows; r++) {
		size_t i = lv->top + (size_t)r;
		struct tui_pkt *p = list_pkt(t, i, NULL);
		if (!p) {
			sink_fill(s, y + 1 + r, 0, s->cols, ROLE_NORMAL);
			continue;
		}
		unsigned style;
		if (p->gone) {
			snprintf(t->line, sizeof t->line, "%*" PRIu64 "  (%s)", numw, p->s.n,
				 p->gone == GONE_DAMAGED ? "cannot be read: the file changed while open"
							 : "not kept: the spool fell behind or let it go");
			style = SM_DIM;
		} else if (p->is_call) {
			struct sock_event ev;
			const struct sock_event *e = model_call_event(&t->m, p, &ev);
			fmt_call_row(t->line, sizeof t->line, p->s.ts_ns, e, t->m.t0, s->cols, numw);
			style = (e && model_call_side(p, e) == 1 ? ROLE_SERVER : ROLE_CLIENT) | SM_BOLD;
		} else {
			/* A DNS, HTTP or ARP row: its summary as --text writes it, read from its bytes again. */
			const char *app = NULL;
			char line[VIEW_APP_LINE_MAX];
			if (p->s.app != APP_NONE && model_redecode(&t->m, p, &t->list.scratch) &&
			    view_app_line(line, sizeof line, &t->list.scratch))
				app = line;
			fmt_row(t->line, sizeof t->line, &p->s, app, t->m.t0, s->cols, numw);
			style = STYLE_ROW(fmt_class(&p->s));
		}
		if (i == lv->sel)
			style = tui_sel_style(t, PANE_LIST, style);
		sink_line(s, y + 1 + r, t->line, style);
	}
	if (!lv->count) {
		char k1[16], k2[16];
		const struct tui_model *m = &t->m;
		double pass = model_filter_progress(m);
		if (!m->live && m->paused && !m->released)
			snprintf(t->line, sizeof t->line, "paused before the first packet: %s steps, %s plays",
				 keys_first(ACT_STEP, k1, sizeof k1), keys_first(ACT_PAUSE, k2, sizeof k2));
		else if (model_done(m) && m->cleared)
			snprintf(t->line, sizeof t->line, "list cleared (%s); the %s has ended: no more packets will come",
				 keys_first(ACT_CLEAR, k1, sizeof k1), m->live ? "capture" : "replay");
		else if (model_done(m) && !store_end(m->st))
			snprintf(t->line, sizeof t->line, "the %s has ended without a packet", m->live ? "capture" : "replay");
		else if (!store_match_active(m->match) || m->avail <= store_first(m->st))
			snprintf(t->line, sizeof t->line, "waiting for packets...");
		else if (pass < 1)
			snprintf(t->line, sizeof t->line, "filtering: %.0f%% of the packets looked at, none matches yet", 100 * pass);
		else
			snprintf(t->line, sizeof t->line, "no packet matches the view filter (%s changes it)",
				 keys_first(ACT_FILTER, k1, sizeof k1));
		sink_put(s, y + 1, 2, s->cols - 2, t->line, SM_DIM, false);
	}
}

static unsigned list_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	if (act == ACT_END) /* the last row, and a replay runs to its end */
		return tui_end(t);
	if (act == ACT_OPEN)
		return tui_open_current(t);
	if (!tui_lv_key(&t->list.lv, act, tui_pane_rows(t, PANE_LIST)))
		return K_PASS;
	return tui_list_moved(t);
}

static unsigned list_mouse(struct tui *t, int row, int wheel)
{
	struct listview *lv = &t->list.lv;
	int h = tui_pane_rows(t, PANE_LIST);
	if (wheel) {
		lv_scroll(lv, 3L * wheel, h);
		return tui_list_moved(t);
	}
	if (row < 0 || lv->top + (size_t)row >= lv->count)
		return 0;
	lv_select(lv, lv->top + (size_t)row, h);
	return tui_list_moved(t);
}

const struct pane_class pane_list = { .draw = list_draw, .key = list_key, .mouse = list_mouse };
