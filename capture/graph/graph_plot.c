/* graph_plot.c — turns a graph's series into a picture: nice axes with units, device coordinates, and the bars, step lines and marks of each kind. */
#include "graph/graph_plot.h"

#include <stdio.h>
#include <string.h>

#include "common/count.h"

static const struct graph_style_info styles[GST_COUNT] = {
	[GST_SEG] = { "segment", "a segment sent: a bar from its first sequence number to past its last", '|', false },
	[GST_SEG_RETX] = { "retransmission", "a segment sent again (bar, marked R)", 'R', true },
	[GST_ACK] = { "ACK", "the receiver's acknowledgement: everything below the line arrived", '_', false },
	[GST_RWND] = { "receive window", "what the receiver allows: ACK + advertised window (scaled)", '=', false },
	[GST_SACK] = { "SACK block", "data the receiver holds above a gap (selective ACK)", 's', false },
	[GST_DUPACK] = { "duplicate ACK", "the same ACK again: the receiver got something after a gap (triangle)", 'D', true },
	[GST_ZEROWIN] = { "zero window", "the receiver's buffer is full: the sender must wait (square, Z)", 'Z', true },
	[GST_SYN] = { "SYN", "the connection opens (circled S)", 'S', true },
	[GST_FIN] = { "FIN", "the sender closes its side (circled F)", 'F', true },
	[GST_RST] = { "RST", "the connection is reset (circled X)", 'X', true },
	[GST_RTT_SEQ] = { "RTT (ACK)", "time from a segment, sent once, to the ACK that ends at it (Karn's rule)", '*', true },
	[GST_RTT_TS] = { "RTT (timestamp)", "time from a segment to the ACK echoing its timestamp (TSecr)", '+', true },
	[GST_BYTES] = { "bytes sent", "payload bytes sent in the interval, retransmissions included", '#', false },
	[GST_BYTES_RETX] = { "retransmitted", "the part of them sent again (hatched)", 'r', false },
	[GST_INFLIGHT] = { "bytes in flight", "sent but not yet acknowledged (less what SACK holds)", 'o', true },
	[GST_CWND] = { "congestion window", "the sender's cwnd from its kernel (tcp_info, cwnd x MSS)", 'c', false },
};

const struct graph_style_info *graph_style_info(enum graph_style s)
{
	return s < GST_COUNT ? &styles[s] : &styles[GST_SEG];
}

/* ---- Axes ---- */

struct unit_step {
	double div;
	const char *unit;
};
static const struct unit_step time_units[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "\xc2\xb5s" }, { 1, "ns" } };
static const struct unit_step byte_units[] = { { 1e9, "GB" }, { 1e6, "MB" }, { 1e3, "kB" }, { 1, "B" } };

/* Rounded to the nearest whole number (halves away from zero). */
static int64_t round_i64(double v)
{
	return (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
}

/* The smallest step 1, 2 or 5 × 10^k that is at least raw (and at least 1: ns and bytes are whole). */
static double nice_step(double raw)
{
	if (!(raw > 1))
		return 1;
	double mag = 1;
	while (mag * 10 <= raw)
		mag *= 10;
	static const double f[] = { 1, 2, 5, 10 };
	for (size_t i = 0; i < COUNT(f); i++)
		if (f[i] * mag >= raw * (1 - 1e-12))
			return f[i] * mag;
	return 10 * mag;
}

/* The next nice step above s. */
static double nice_next(double s)
{
	return nice_step(s * 1.0000001 + 1e-9);
}

/* lo rounded down and hi rounded up to multiples of step (both at least 0). */
static double floor_to(double v, double step)
{
	return v <= 0 ? 0 : (double)(uint64_t)(v / step) * step;
}

static double ceil_to(double v, double step)
{
	double f = floor_to(v, step);
	return f < v ? f + step : f;
}

void graph_axis_make(struct graph_axis *a, double lo, double hi, int max_ticks, enum graph_unit unit, const char *title)
{
	memset(a, 0, sizeof *a);
	if (max_ticks < 2)
		max_ticks = 2;
	if (lo < 0)
		lo = 0;
	if (!(hi > lo))
		hi = lo + 1;
	double step = nice_step((hi - lo) / (max_ticks - 1));
	for (;;) {
		a->lo = floor_to(lo, step);
		a->hi = ceil_to(hi, step);
		a->nticks = (int)round_i64((a->hi - a->lo) / step) + 1;
		if (a->nticks <= max_ticks)
			break;
		step = nice_next(step);
	}
	a->step = step;
	const struct unit_step *u = unit == GU_TIME ? time_units : byte_units;
	size_t i = 0;
	while (i + 1 < COUNT(time_units) && a->hi < u[i].div)
		i++;
	a->div = u[i].div;
	snprintf(a->unit, sizeof a->unit, "%s", u[i].unit);
	double s = step / a->div;
	while (s < 1 - 1e-9 && a->decimals < 9) {
		s *= 10;
		a->decimals++;
	}
	snprintf(a->title, sizeof a->title, "%s (%s)", title, a->unit);
}

double graph_axis_tick(const struct graph_axis *a, int i)
{
	return a->lo + a->step * i;
}

void graph_axis_label(const struct graph_axis *a, int i, char *buf, size_t n)
{
	double v = graph_axis_tick(a, i) / a->div;
	if (v < 1e-12 && v > -1e-12)
		v = 0; /* no "-0" */
	snprintf(buf, n, "%.*f", a->decimals, v);
}

/* ---- Coordinates ---- */

double graph_frame_x(const struct graph_frame *f, int64_t t_ns)
{
	double span = f->x.hi - f->x.lo;
	return ((double)(t_ns - f->t0) - f->x.lo) / span * f->v.w;
}

double graph_frame_y(const struct graph_frame *f, double v)
{
	double span = f->y.hi - f->y.lo;
	return f->v.h - (v - f->y.lo) / span * f->v.h;
}

int64_t graph_frame_time(const struct graph_frame *f, double x)
{
	return f->t0 + round_i64(f->x.lo + x / f->v.w * (f->x.hi - f->x.lo));
}

uint32_t graph_series_find(const struct graph_series *s, int64_t t_ns)
{
	uint32_t lo = 0, hi = s->n; /* first index with t0 > t_ns */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->pt[mid].t0 <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/* ---- Drawing ---- */

struct plot {
	const struct graph *g;
	const struct graph_dir *d;
	const struct graph_sink *sink;
	struct graph_frame *f;
	int64_t vis_from, vis_to; /* the time the x axis spans */
};

static bool visible(const struct plot *p, int64_t t)
{
	return t >= p->vis_from && t <= p->vis_to;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void use(struct plot *p, enum graph_style s)
{
	p->f->styles |= 1u << s;
	p->f->drawn++;
}

static void put_box(struct plot *p, enum graph_style s, double x0, double y0, double x1, double y1)
{
	use(p, s);
	if (p->sink->box)
		p->sink->box(p->sink->arg, s, x0, y0, x1, y1);
}

static void put_line(struct plot *p, enum graph_style s, double x0, double y0, double x1, double y1)
{
	double w = p->f->v.w, h = p->f->v.h;
	if ((x0 < 0 && x1 < 0) || (x0 > w && x1 > w) || (y0 < 0 && y1 < 0) || (y0 > h && y1 > h))
		return; /* wholly outside the plot */
	use(p, s);
	if (p->sink->line)
		p->sink->line(p->sink->arg, s, clampd(x0, 0, w), clampd(y0, 0, h), clampd(x1, 0, w), clampd(y1, 0, h));
}

static void put_mark(struct plot *p, enum graph_style s, double x, double y)
{
	use(p, s);
	if (p->sink->mark)
		p->sink->mark(p->sink->arg, s, x, y);
}

/* A step line through the points of s, each holding its value (lo, hi or bytes) until the next; the last
   holds until the flow's last packet. */
enum step_of { STEP_LO, STEP_HI, STEP_BYTES };

static double step_value(const struct graph_point *pt, enum step_of which)
{
	return which == STEP_LO ? (double)pt->lo : which == STEP_HI ? (double)pt->hi : (double)pt->bytes;
}

static void put_steps(struct plot *p, const struct graph_series *s, enum step_of which, enum graph_style st)
{
	const struct graph_frame *f = p->f;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct graph_point *a = &s->pt[i];
		int64_t t_end = i + 1 < s->n ? s->pt[i + 1].t0 : p->g->t_last;
		if (t_end < p->vis_from || a->t0 > p->vis_to)
			continue;
		double y = graph_frame_y(f, step_value(a, which));
		double x0 = graph_frame_x(f, a->t0), x1 = graph_frame_x(f, t_end);
		put_line(p, st, x0, y, x1, y);
		if (i + 1 < s->n && s->pt[i + 1].t0 <= p->vis_to)
			put_line(p, st, x1, y, x1, graph_frame_y(f, step_value(&s->pt[i + 1], which)));
	}
}

/* Extremes of the visible points' values. */
struct range {
	bool any;
	double lo, hi;
};

static void range_add(struct range *r, double lo, double hi)
{
	if (!r->any || lo < r->lo)
		r->lo = lo;
	if (!r->any || hi > r->hi)
		r->hi = hi;
	r->any = true;
}

static void range_series(const struct plot *p, struct range *r, const struct graph_series *s, enum step_of lo_of,
			 enum step_of hi_of)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (visible(p, s->pt[i].t0))
			range_add(r, step_value(&s->pt[i], lo_of), step_value(&s->pt[i], hi_of));
}

static void y_axis(struct plot *p, struct range r, bool from_zero, enum graph_unit unit, const char *title)
{
	if (from_zero)
		r.lo = 0;
	if (!r.any) {
		r.lo = 0;
		r.hi = 1;
	}
	graph_axis_make(&p->f->y, r.lo, r.hi, p->f->v.yticks, unit, title);
}

static void frame_done(struct plot *p)
{
	if (p->sink->frame)
		p->sink->frame(p->sink->arg, p->f);
}

/* Which mark a point's GM_* bit puts where: at its first value (lo) or past its last (hi). */
struct mark_rule {
	uint16_t bit;
	enum graph_style style;
	bool at_hi;
};
static const struct mark_rule seg_marks[] = {
	{ GM_RETRANS, GST_SEG_RETX, true }, { GM_SYN, GST_SYN, false }, { GM_FIN, GST_FIN, true },
	{ GM_RST, GST_RST, false }, { 0, GST_COUNT, false },
};
static const struct mark_rule ack_marks[] = {
	{ GM_DUPACK, GST_DUPACK, false }, { GM_ZEROWIN, GST_ZEROWIN, false }, { GM_RST, GST_RST, false },
	{ 0, GST_COUNT, false },
};

static void put_marks(struct plot *p, const struct graph_series *s, const struct mark_rule *rules)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct graph_point *pt = &s->pt[i];
		if (!visible(p, pt->t0))
			continue;
		for (const struct mark_rule *r = rules; r->bit; r++)
			if (pt->marks & r->bit)
				put_mark(p, r->style, graph_frame_x(p->f, pt->t0),
					 graph_frame_y(p->f, (double)(r->at_hi ? pt->hi : pt->lo)));
	}
}

static void plot_tsg(struct plot *p)
{
	const struct graph_dir *d = p->d;
	const struct graph_series *seg = &d->s[GS_SEG], *ack = &d->s[GS_ACK], *sack = &d->s[GS_SACK];
	struct range r = { 0 }, win = { 0 };
	range_series(p, &r, seg, STEP_LO, STEP_HI);
	range_series(p, &r, ack, STEP_LO, STEP_LO);
	range_series(p, &r, sack, STEP_LO, STEP_HI);
	range_series(p, &win, ack, STEP_HI, STEP_HI);
	p->f->empty = !r.any;
	if (win.any && r.any && win.hi - r.lo > GRAPH_TSG_WINDOW_SQUASH * (r.hi - r.lo + 1)) {
		for (uint32_t i = 0; i < ack->n; i++)
			if (visible(p, ack->pt[i].t0) && ack->pt[i].bytes > p->f->rwnd_above)
				p->f->rwnd_above = ack->pt[i].bytes;
	} else if (win.any) {
		range_add(&r, win.lo, win.hi);
	}
	y_axis(p, r, false, GU_BYTES, "relative sequence number");
	frame_done(p);
	const struct graph_frame *f = p->f;
	put_steps(p, ack, STEP_HI, GST_RWND);
	put_steps(p, ack, STEP_LO, GST_ACK);
	for (uint32_t i = 0; i < sack->n; i++) {
		const struct graph_point *pt = &sack->pt[i];
		if (visible(p, pt->t0)) {
			double x = graph_frame_x(f, pt->t0);
			put_box(p, GST_SACK, x, graph_frame_y(f, (double)pt->hi), x, graph_frame_y(f, (double)pt->lo));
		}
	}
	for (uint32_t i = 0; i < seg->n; i++) {
		const struct graph_point *pt = &seg->pt[i];
		if (visible(p, pt->t0) && pt->hi > pt->lo) {
			double x = graph_frame_x(f, pt->t0);
			put_box(p, (pt->marks & GM_RETRANS) ? GST_SEG_RETX : GST_SEG, x, graph_frame_y(f, (double)pt->hi), x,
				graph_frame_y(f, (double)pt->lo));
		}
	}
	put_marks(p, seg, seg_marks);
	put_marks(p, ack, ack_marks);
}

/* "10 ms", "200 µs": an interval as a title says it. */
static void interval_text(int64_t ns, char *buf, size_t n)
{
	size_t i = 0;
	while (i + 1 < COUNT(time_units) && (double)ns < time_units[i].div)
		i++;
	snprintf(buf, n, "%g %s", (double)ns / time_units[i].div, time_units[i].unit);
}

static void plot_throughput(struct plot *p)
{
	const struct graph_series *seg = &p->d->s[GS_SEG];
	int64_t span = p->vis_to - p->vis_from;
	int64_t iv = (int64_t)nice_step((double)span / GRAPH_BINS_TARGET);
	while (span / iv + 1 > GRAPH_BINS_MAX)
		iv = (int64_t)nice_next((double)iv);
	p->f->interval_ns = iv;
	size_t nb = (size_t)(span / iv) + 1;
	uint64_t bytes[GRAPH_BINS_MAX], retx[GRAPH_BINS_MAX];
	memset(bytes, 0, sizeof bytes);
	memset(retx, 0, sizeof retx);
	struct range r = { 0 };
	for (uint32_t i = 0; i < seg->n; i++) {
		const struct graph_point *pt = &seg->pt[i];
		if (!visible(p, pt->t0) || !pt->bytes)
			continue;
		size_t b = (size_t)((pt->t0 - p->vis_from) / iv);
		if (b >= nb)
			b = nb - 1;
		bytes[b] += pt->bytes;
		retx[b] += pt->bytes_retx;
	}
	for (size_t b = 0; b < nb; b++)
		if (bytes[b])
			range_add(&r, 0, (double)bytes[b]);
	p->f->empty = !r.any;
	char title[64], ivs[24];
	interval_text(iv, ivs, sizeof ivs);
	snprintf(title, sizeof title, "bytes sent per %s", ivs);
	y_axis(p, r, true, GU_BYTES, title);
	frame_done(p);
	const struct graph_frame *f = p->f;
	for (size_t b = 0; b < nb; b++) {
		if (!bytes[b])
			continue;
		int64_t t = p->vis_from + (int64_t)b * iv;
		double x0 = graph_frame_x(f, t), x1 = graph_frame_x(f, t + iv), ytop = graph_frame_y(f, (double)bytes[b]);
		if (x1 > f->v.w)
			x1 = f->v.w;
		put_box(p, GST_BYTES, x0, ytop, x1, graph_frame_y(f, 0));
		if (retx[b])
			put_box(p, GST_BYTES_RETX, x0, ytop, x1, graph_frame_y(f, (double)(bytes[b] - retx[b])));
	}
}

static void plot_points(struct plot *p, const struct graph_series *s, enum graph_style st)
{
	const struct graph_frame *f = p->f;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct graph_point *pt = &s->pt[i];
		if (!visible(p, pt->t0))
			continue;
		double x = graph_frame_x(f, pt->t0), ylo = graph_frame_y(f, (double)pt->lo);
		if (pt->hi > pt->lo)
			put_box(p, st, x, graph_frame_y(f, (double)pt->hi), x, ylo);
		put_mark(p, st, x, ylo);
	}
}

static void plot_rtt(struct plot *p)
{
	const struct graph_series *sq = &p->d->s[GS_RTT_SEQ], *ts = &p->d->s[GS_RTT_TS];
	struct range r = { 0 };
	range_series(p, &r, sq, STEP_LO, STEP_HI);
	range_series(p, &r, ts, STEP_LO, STEP_HI);
	p->f->empty = !r.any;
	y_axis(p, r, true, GU_TIME, "round-trip time");
	frame_done(p);
	plot_points(p, ts, GST_RTT_TS);
	plot_points(p, sq, GST_RTT_SEQ);
}

static void plot_inflight(struct plot *p)
{
	const struct graph_series *bif = &p->d->s[GS_INFLIGHT], *ack = &p->d->s[GS_ACK], *cw = &p->d->s[GS_CWND];
	struct range r = { 0 };
	range_series(p, &r, bif, STEP_LO, STEP_HI);
	p->f->empty = !r.any;
	range_series(p, &r, ack, STEP_BYTES, STEP_BYTES);
	range_series(p, &r, cw, STEP_LO, STEP_HI);
	y_axis(p, r, true, GU_BYTES, "bytes");
	frame_done(p);
	put_steps(p, ack, STEP_BYTES, GST_RWND);
	put_steps(p, cw, STEP_BYTES, GST_CWND);
	plot_points(p, bif, GST_INFLIGHT);
}

void graph_plot(const struct graph *g, const struct graph_view *v, const struct graph_sink *sink, struct graph_frame *f)
{
	struct graph_frame local;
	static const struct graph_sink none;
	if (!f)
		f = &local;
	memset(f, 0, sizeof *f);
	f->v = *v;
	if (f->v.w <= 0)
		f->v.w = 1;
	if (f->v.h <= 0)
		f->v.h = 1;
	if (!f->v.t_from && !f->v.t_to) {
		f->v.t_from = g->t_first;
		f->v.t_to = g->t_last;
	}
	if (f->v.t_to <= f->v.t_from)
		f->v.t_to = f->v.t_from + 1000;
	f->t0 = g->t_first;
	graph_axis_make(&f->x, (double)(f->v.t_from - f->t0), (double)(f->v.t_to - f->t0), f->v.xticks, GU_TIME,
			 "time since the flow's first packet");
	struct plot p = { .g = g, .d = &g->d[v->dir == DIR_S2C ? DIR_S2C : DIR_C2S], .sink = sink ? sink : &none, .f = f,
			  .vis_from = f->t0 + round_i64(f->x.lo), .vis_to = f->t0 + round_i64(f->x.hi) };
	switch (v->kind) {
	case GRAPH_TSG:
		plot_tsg(&p);
		break;
	case GRAPH_THROUGHPUT:
		plot_throughput(&p);
		break;
	case GRAPH_RTT:
		plot_rtt(&p);
		break;
	case GRAPH_INFLIGHT:
	case GRAPH_KIND_COUNT:
		plot_inflight(&p);
		break;
	}
}
