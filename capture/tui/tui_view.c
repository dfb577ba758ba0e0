/* tui_view.c — the TUI's scrolling and selection math, replay clock, speed steps, flow view and layout. */
#include <stdio.h>

#include "tui/tui_core.h"

/* ---- listview ---- */

void lv_init(struct listview *lv)
{
	lv->count = 0;
	lv->sel = 0;
	lv->top = 0;
	lv->follow = true;
}

/* Keep the selection on screen and the window inside the list (no empty rows below a full list). */
static void lv_fix(struct listview *lv, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	if (lv->count == 0) {
		lv->sel = 0;
		lv->top = 0;
		return;
	}
	if (lv->sel >= lv->count)
		lv->sel = lv->count - 1;
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + h)
		lv->top = lv->sel - h + 1;
	size_t max_top = lv->count > h ? lv->count - h : 0;
	if (lv->top > max_top)
		lv->top = max_top;
}

void lv_set_count(struct listview *lv, size_t count, int height)
{
	lv->count = count;
	if (lv->follow && count)
		lv->sel = count - 1;
	lv_fix(lv, height);
}

void lv_drop_front(struct listview *lv, size_t k, int height)
{
	if (k >= lv->count) {
		lv->count = 0;
		lv->sel = 0;
		lv->top = 0;
		return;
	}
	lv->count -= k;
	lv->sel = lv->sel >= k ? lv->sel - k : 0;
	lv->top = lv->top >= k ? lv->top - k : 0;
	lv_fix(lv, height);
}

void lv_move(struct listview *lv, long delta, int height)
{
	if (lv->count == 0)
		return;
	long s = (long)lv->sel + delta;
	if (s < 0)
		s = 0;
	if ((size_t)s >= lv->count)
		s = (long)lv->count - 1;
	lv->sel = (size_t)s;
	lv->follow = lv->sel == lv->count - 1;
	lv_fix(lv, height);
}

void lv_home(struct listview *lv, int height)
{
	lv->sel = 0;
	lv->top = 0;
	lv->follow = false;
	lv_fix(lv, height);
}

void lv_end(struct listview *lv, int height)
{
	lv->follow = true;
	lv->sel = lv->count ? lv->count - 1 : 0;
	lv_fix(lv, height);
}

void lv_select(struct listview *lv, size_t row, int height)
{
	if (lv->count == 0)
		return;
	lv->sel = row < lv->count ? row : lv->count - 1;
	lv->follow = lv->sel == lv->count - 1;
	lv_fix(lv, height);
}

void lv_scroll(struct listview *lv, long delta, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	if (lv->count == 0)
		return;
	size_t max_top = lv->count > h ? lv->count - h : 0;
	long t = (long)lv->top + delta;
	if (t < 0)
		t = 0;
	if ((size_t)t > max_top)
		t = (long)max_top;
	lv->top = (size_t)t;
	if (lv->sel < lv->top)
		lv->sel = lv->top;
	if (lv->sel >= lv->top + h)
		lv->sel = lv->top + h - 1;
	if (lv->sel >= lv->count)
		lv->sel = lv->count - 1;
	lv->follow = lv->sel == lv->count - 1;
}

/* ---- replay clock ---- */

#define CLOCK_FAR ((int64_t)4e18) /* "never" for waits that overflow */

void clock_init(struct replay_clock *c, double speed)
{
	c->speed = speed > 0 ? speed : 0;
	c->anchored = false;
	c->wall0 = 0;
	c->cap0 = 0;
}

void clock_anchor(struct replay_clock *c, int64_t wall_ns, int64_t cap_ns)
{
	c->anchored = true;
	c->wall0 = wall_ns;
	c->cap0 = cap_ns;
}

int64_t clock_virtual(const struct replay_clock *c, int64_t wall_ns)
{
	if (!c->anchored)
		return 0;
	if (c->speed <= 0)
		return CLOCK_FAR;
	double v = (double)c->cap0 + (double)(wall_ns - c->wall0) * c->speed;
	return v >= (double)CLOCK_FAR ? CLOCK_FAR : (int64_t)v;
}

int64_t clock_due_in(const struct replay_clock *c, int64_t wall_ns, int64_t cap_ns)
{
	if (!c->anchored || c->speed <= 0)
		return 0;
	double due = (double)c->wall0 + (double)(cap_ns - c->cap0) / c->speed - (double)wall_ns;
	if (due >= (double)CLOCK_FAR)
		return CLOCK_FAR;
	if (due <= 0)
		return 0;
	int64_t whole = (int64_t)due;
	return (double)whole < due ? whole + 1 : whole; /* round up: never wake early */
}

void clock_set_speed(struct replay_clock *c, int64_t wall_ns, double speed)
{
	if (speed < 0)
		speed = 0;
	if (c->anchored && c->speed > 0 && speed > 0) {
		int64_t now = clock_virtual(c, wall_ns);
		c->cap0 = now;
		c->wall0 = wall_ns;
	} else {
		c->anchored = false; /* re-anchored at the next packet released */
	}
	c->speed = speed;
}

#define SPEED_MIN (1.0 / 64)
#define SPEED_MAX 64.0

double speed_faster(double speed)
{
	if (speed <= 0 || speed >= SPEED_MAX * (1 - 1e-9))
		return 0;
	double p = SPEED_MIN;
	while (p <= speed * (1 + 1e-9))
		p *= 2;
	return p;
}

double speed_slower(double speed)
{
	if (speed <= 0)
		return SPEED_MAX;
	double p = SPEED_MAX;
	while (p >= speed * (1 - 1e-9) && p > SPEED_MIN)
		p /= 2;
	return p;
}

char *speed_str(double speed, char *buf, size_t size)
{
	if (speed <= 0)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "x%g", speed);
	return buf;
}

/* ---- flow view ---- */

void flowview_from(struct flow_view *v, const struct flow *f, const struct flow_snap *snap)
{
	v->id = f->id;
	v->end = f->end;
	for (int d = 0; d < 2; d++) {
		v->state[d] = f->state[d];
		v->pkts[d] = f->pkts[d];
		v->bytes[d] = f->bytes[d];
	}
	if (!snap || snap->pkts[0] + snap->pkts[1] >= f->pkts[0] + f->pkts[1])
		return;
	v->end = END_OPEN;
	for (int d = 0; d < 2; d++) {
		v->state[d] = (enum tcp_state)snap->state[d];
		v->pkts[d] = snap->pkts[d];
		v->bytes[d] = snap->bytes[d];
	}
}

/* ---- layout ---- */

void layout_compute(struct tui_layout *l, int rows, int cols, int zoom, int footer_h)
{
	l->too_small = rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS;
	if (footer_h < 1 || l->too_small)
		footer_h = 1;
	if (footer_h > TUI_FOOTER_MAX)
		footer_h = TUI_FOOTER_MAX;
	l->footer_h = footer_h;
	l->footer_y = rows > footer_h ? rows - footer_h : 0;
	for (int i = 0; i < PANE_COUNT; i++) {
		l->y[i] = 2;
		l->h[i] = 0;
	}
	if (l->too_small)
		return;
	int avail = rows - 2 - footer_h; /* two status rows, the footer's */
	if (zoom >= 0 && zoom < PANE_COUNT) {
		l->h[zoom] = avail;
		return;
	}
	int list = avail * 36 / 100, flows = avail * 17 / 100;
	if (list < 6)
		list = 6;
	if (flows < 4)
		flows = 4;
	l->h[PANE_LIST] = list;
	l->y[PANE_FLOWS] = 2 + list;
	l->h[PANE_FLOWS] = flows;
	l->y[PANE_LOWER] = 2 + list + flows;
	l->h[PANE_LOWER] = avail - list - flows;
}
