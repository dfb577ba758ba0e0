/* pane_ladder.c — the ladder of one flow in the lower slot (view/ladder.c draws it), calls on their end's column. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_panel.h"

static void ladder_help(struct tui *t, char *buf, size_t size)
{
	(void)t;
	char k1[16], k2[16];
	snprintf(buf, size, "%s: details  %s: follow", keys_first(ACT_OPEN, k1, sizeof k1),
		 keys_first(ACT_FOLLOW, k2, sizeof k2));
}

/* The renderer's lines into the pane: headers bold, the selected row highlighted. */
struct ladder_out {
	struct pane_text text;
	struct tui *t;
	long hilite;              /* row index to highlight */
	int headers;              /* header lines seen */
	bool hilite_drawn;        /* the highlighted row was on screen */
};

static void ladder_emit(const char *line, long row_index, void *arg)
{
	struct ladder_out *o = arg;
	unsigned style = ROLE_NORMAL;
	if (row_index < 0) {
		o->headers++;
		style = SM_BOLD;
	} else if (row_index == o->hilite) {
		style = tui_sel_style(o->t, PANE_LOWER, ROLE_NORMAL);
		o->hilite_drawn = o->text.n < (size_t)o->text.rows;
	}
	pane_text_line(&o->text, line, style);
}

/* A store row as a ladder row: a packet's summary, or a call on its end's column. */
static void ladder_row_of(struct tui *t, const struct tui_pkt *p, struct ladder_row *row)
{
	struct sock_event ev;
	row->is_call = p->is_call;
	if (!p->is_call) {
		row->pkt = p->s;
		return;
	}
	if (model_call_event(&t->m, p, &ev)) {
		ladder_call_from(&row->call, &ev, p->s.ts_ns, p->s.dir ? DIR_S2C : DIR_C2S);
		return;
	}
	memset(&row->call, 0, sizeof row->call);
	row->call.ts_ns = p->s.ts_ns;
	row->call.side = p->s.dir;
	snprintf(row->call.label, sizeof row->call.label, "call");
}

static void ladder_body(struct tui *t, struct tui_sink *s, int y, int rows)
{
	struct ladder_pane *lp = &t->ladder;
	struct flow scratch;
	const struct flow *f = lp->id ? model_flow(&t->m, lp->id, &scratch) : NULL;
	char k[16];
	ladder_build(t, lp->id);
	if (!lp->id || !t->m.flowpk.count) {
		snprintf(t->line, sizeof t->line, "no flow selected: select a TCP/UDP packet or a flow and press %s",
			 keys_first(ACT_OPEN, k, sizeof k));
		sink_put(s, y, 2, s->cols - 2, t->line, SM_DIM, false);
		return;
	}
	if (!f) {
		snprintf(t->line, sizeof t->line, "flow %" PRIu64 " is not known", lp->id);
		sink_put(s, y, 2, s->cols - 2, t->line, SM_DIM, false);
		return;
	}
	uint64_t cur;
	bool have_cur = tui_current(t, &cur) != NULL;
	size_t sel_i = store_flowrows_lower_bound(&t->m.flowpk, cur);
	if (!lp->driven && have_cur && sel_i < t->m.flowpk.count && t->m.flowpk.row[sel_i] == cur)
		lv_select(&lp->lv, sel_i, rows - lp->headers);
	lv_set_count(&lp->lv, t->m.flowpk.count, rows - lp->headers);
	for (int attempt = 0; attempt < 4; attempt++) {
		size_t top = lp->lv.top, n = 0;
		for (; n < TUI_LADDER_ROWS && n < (size_t)rows && top + n < t->m.flowpk.count; n++) {
			const struct tui_pkt *p = model_row(&t->m, t->m.flowpk.row[top + n]);
			if (!p)
				break;
			ladder_row_of(t, p, &lp->rows[n]);
		}
		for (int r = 0; r < rows; r++)
			sink_fill(s, y + r, 0, s->cols, ROLE_NORMAL);
		struct ladder_out o = { .text = { .s = s, .y = y, .rows = rows }, .t = t, .hilite = (long)(lp->lv.sel - top) };
		ladder_render(f, lp->rows, n, s->cols, ladder_emit, &o);
		bool headers_changed = o.headers != lp->headers;
		lp->headers = o.headers < rows - 1 ? o.headers : rows - 1;
		if (o.hilite_drawn || !lp->lv.count)
			return;
		if (headers_changed) {
			lv_set_count(&lp->lv, t->m.flowpk.count, rows - lp->headers);
			continue;
		}
		if (lp->lv.top >= lp->lv.sel)
			return;
		lp->lv.top++; /* the renderer used more than a line per row: scroll on */
	}
}

static void ladder_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	int rows = h - 1;
	if (rows <= 0)
		return;
	char help[64];
	ladder_help(t, help, sizeof help);
	ladder_build(t, t->ladder.id); /* the count below is this flow's, not the last one built */
	snprintf(t->line, sizeof t->line, " Ladder: flow %" PRIu64 " (%zu rows)   %s", t->ladder.id,
		 t->m.flowpk.id == t->ladder.id ? t->m.flowpk.count : 0, help);
	tui_frame_pane(t, s, PANE_LOWER, rows, t->line);
	ladder_body(t, s, y + 1, rows);
}

static unsigned ladder_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	if (act == ACT_OPEN) { /* back to the details, of the packet selected here */
		t->lower = LOWER_DETAILS;
		t->details.top = 0;
		return D_ALL;
	}
	if (!ACT_MOVES(act))
		return K_PASS;
	int h = tui_pane_rows(t, PANE_LOWER);
	ladder_build(t, t->ladder.id); /* the index before moving in it (a no-op when it is built) */
	tui_lv_key(&t->ladder.lv, act, h);
	return tui_ladder_moved(t);
}

static unsigned ladder_mouse(struct tui *t, int row, int wheel)
{
	struct listview *lv = &t->ladder.lv;
	row -= t->ladder.headers;
	if (wheel || row < 0 || lv->top + (size_t)row >= lv->count)
		return 0;
	lv_select(lv, lv->top + (size_t)row, tui_pane_rows(t, PANE_LOWER));
	return tui_ladder_moved(t);
}

const struct pane_class pane_ladder = {
	.draw = ladder_draw, .key = ladder_key, .mouse = ladder_mouse, .help = ladder_help
};
