/* tui_canvas.c — graph_plot's dots as terminal cells: braille characters (Unicode U+2800..U+28FF) or ASCII glyphs, patterns per style, marks as letters. */
#include "tui/tui_canvas.h"

#include <stdlib.h>
#include <string.h>

#include "common/count.h"

/* Braille dot bits by position in the cell (Unicode's numbering: dots 1-3 and 7 down the left column,
   4-6 and 8 down the right). */
static const uint8_t braille_bit[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };

/* Marks over each other in one cell: the first of these wins. */
static const enum graph_style mark_order[] = {
	GST_RST, GST_SEG_RETX, GST_ZEROWIN, GST_DUPACK, GST_SYN, GST_FIN, GST_RTT_SEQ, GST_RTT_TS, GST_INFLIGHT,
};
/* Dots of several styles in one ASCII cell: the glyph of the first of these. */
static const enum graph_style dot_order[] = {
	GST_SEG_RETX, GST_SEG, GST_SACK, GST_ACK, GST_CWND, GST_RWND, GST_BYTES_RETX, GST_BYTES,
	GST_INFLIGHT, GST_RTT_SEQ, GST_RTT_TS, GST_DUPACK, GST_ZEROWIN, GST_SYN, GST_FIN, GST_RST,
};

static int rank(const enum graph_style *order, size_t n, int s)
{
	for (size_t i = 0; i < n; i++)
		if ((int)order[i] == s)
			return (int)i;
	return (int)n;
}

bool canvas_resize(struct canvas *c, int cols, int rows, bool braille)
{
	if (cols < 0)
		cols = 0;
	if (rows < 0)
		rows = 0;
	size_t need = (size_t)cols * (size_t)rows;
	if (need > c->cap) {
		struct canvas_cell *n = realloc(c->cell, need * sizeof *n);
		if (!n) {
			c->cols = c->rows = 0;
			return false;
		}
		c->cell = n;
		c->cap = need;
	}
	c->braille = braille;
	c->cols = cols;
	c->rows = rows;
	c->sx = braille ? 2 : 1;
	c->sy = braille ? 4 : 1;
	canvas_clear(c);
	return true;
}

void canvas_free(struct canvas *c)
{
	free(c->cell);
	memset(c, 0, sizeof *c);
}

void canvas_clear(struct canvas *c)
{
	for (size_t i = 0; i < (size_t)c->cols * (size_t)c->rows; i++)
		c->cell[i] = (struct canvas_cell){ 0, 0, -1 };
}

int canvas_dots_wide(const struct canvas *c)
{
	return c->cols * c->sx;
}

int canvas_dots_high(const struct canvas *c)
{
	return c->rows * c->sy;
}

/* Whether style s shows a dot at (x, y): its pattern (braille only; ASCII cells carry glyphs instead). */
static bool pattern_on(const struct canvas *c, enum graph_style s, int x, int y)
{
	if (!c->braille)
		return true;
	switch (s) {
	case GST_RWND: /* dotted */
	case GST_SACK:
	case GST_BYTES_RETX: /* hatched */
		return (x + y) % 2 == 0;
	case GST_CWND: /* dashed: three on, one off */
		return (x + y) % 4 != 3;
	default:
		return true;
	}
}

void canvas_dot(struct canvas *c, int x, int y, enum graph_style s)
{
	if (x < 0 || y < 0 || x >= canvas_dots_wide(c) || y >= canvas_dots_high(c) || !pattern_on(c, s, x, y))
		return;
	struct canvas_cell *cell = &c->cell[(size_t)(y / c->sy) * (size_t)c->cols + (size_t)(x / c->sx)];
	cell->dots |= c->braille ? braille_bit[y % c->sy][x % c->sx] : 1;
	cell->styles |= (uint16_t)(1u << s);
}

/* The largest whole number at most v, for v in a plot's range (a few thousand dots). */
static int ifloor(double v)
{
	int i = (int)v;
	return v < (double)i ? i - 1 : i;
}

static int iceil(double v)
{
	return -ifloor(-v);
}

/* A device coordinate as a dot index, clamped into [0, n - 1] (the far edge, x == w, is the last dot). */
static int dot_of(double v, int n)
{
	if (!(v > 0))
		return 0;
	if (v >= n)
		return n - 1;
	return ifloor(v);
}

int canvas_col(const struct canvas *c, double x)
{
	return c->cols ? dot_of(x, canvas_dots_wide(c)) / c->sx : 0;
}

int canvas_row(const struct canvas *c, double y)
{
	return c->rows ? dot_of(y, canvas_dots_high(c)) / c->sy : 0;
}

void canvas_box(struct canvas *c, enum graph_style s, double x0, double y0, double x1, double y1)
{
	int w = canvas_dots_wide(c), h = canvas_dots_high(c);
	if (!w || !h)
		return;
	if (x1 < x0) {
		double t = x0;
		x0 = x1;
		x1 = t;
	}
	if (y1 < y0) {
		double t = y0;
		y0 = y1;
		y1 = t;
	}
	/* Dots from the first covered to the last one the box reaches into; a bar at least one dot. */
	int xa = dot_of(x0, w), xb = x1 > x0 ? dot_of(iceil(x1) - 1, w) : xa;
	int ya = dot_of(y0, h), yb = y1 > y0 ? dot_of(iceil(y1) - 1, h) : ya;
	if (xb < xa)
		xb = xa;
	if (yb < ya)
		yb = ya;
	for (int y = ya; y <= yb; y++)
		for (int x = xa; x <= xb; x++)
			canvas_dot(c, x, y, s);
}

void canvas_line(struct canvas *c, enum graph_style s, double x0, double y0, double x1, double y1)
{
	int w = canvas_dots_wide(c), h = canvas_dots_high(c);
	if (!w || !h)
		return;
	int xa = dot_of(x0, w), ya = dot_of(y0, h), xb = dot_of(x1, w), yb = dot_of(y1, h);
	int dx = abs(xb - xa), dy = abs(yb - ya), steps = dx > dy ? dx : dy;
	for (int i = 0; i <= steps; i++) {
		int x = steps ? xa + ifloor((double)(xb - xa) * i / steps + 0.5) : xa;
		int y = steps ? ya + ifloor((double)(yb - ya) * i / steps + 0.5) : ya;
		canvas_dot(c, x, y, s);
	}
}

void canvas_mark(struct canvas *c, enum graph_style s, double x, double y)
{
	if (!c->cols || !c->rows)
		return;
	struct canvas_cell *cell = &c->cell[(size_t)canvas_row(c, y) * (size_t)c->cols + (size_t)canvas_col(c, x)];
	if (cell->mark < 0 || rank(mark_order, COUNT(mark_order), s) < rank(mark_order, COUNT(mark_order), cell->mark))
		cell->mark = (int8_t)s;
}

static void sink_box(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	canvas_box(arg, s, x0, y0, x1, y1);
}

static void sink_line(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	canvas_line(arg, s, x0, y0, x1, y1);
}

static void sink_mark(void *arg, enum graph_style s, double x, double y)
{
	canvas_mark(arg, s, x, y);
}

struct graph_sink canvas_sink(struct canvas *c)
{
	struct graph_sink k = { .arg = c, .box = sink_box, .line = sink_line, .mark = sink_mark };
	return k;
}

/* U+2800 + dots in UTF-8. */
static void braille_utf8(uint8_t dots, char *out)
{
	out[0] = (char)0xe2;
	out[1] = (char)(0xa0 | (dots >> 6));
	out[2] = (char)(0x80 | (dots & 0x3f));
	out[3] = '\0';
}

int canvas_cell_text(const struct canvas *c, int col, int row, char out[CANVAS_TEXT])
{
	out[0] = ' ';
	out[1] = '\0';
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return -1;
	const struct canvas_cell *cell = &c->cell[(size_t)row * (size_t)c->cols + (size_t)col];
	if (cell->mark >= 0) {
		out[0] = graph_style_info((enum graph_style)cell->mark)->glyph;
		return cell->mark;
	}
	if (!cell->styles)
		return -1;
	int best = -1;
	for (size_t i = 0; i < COUNT(dot_order) && best < 0; i++)
		if (cell->styles & (1u << dot_order[i]))
			best = (int)dot_order[i];
	if (c->braille)
		braille_utf8(cell->dots, out);
	else
		out[0] = graph_style_info((enum graph_style)best)->glyph;
	return best;
}

void canvas_sample(bool braille, enum graph_style s, char out[CANVAS_TEXT])
{
	const struct graph_style_info *si = graph_style_info(s);
	struct canvas_cell cells[3];
	struct canvas c = { .cell = cells, .cap = COUNT(cells) };
	bool line = s == GST_ACK || s == GST_RWND || s == GST_CWND;
	canvas_resize(&c, line ? 3 : 1, 1, braille);
	if (si->mark && s != GST_SEG_RETX)
		canvas_mark(&c, s, 0, 0);
	else if (line)
		canvas_line(&c, s, 0, c.sy / 2, canvas_dots_wide(&c), c.sy / 2);
	else if (s == GST_BYTES || s == GST_BYTES_RETX)
		canvas_box(&c, s, 0, 0, canvas_dots_wide(&c), canvas_dots_high(&c));
	else /* a bar one dot wide */
		canvas_box(&c, s, 0, 0, 0, canvas_dots_high(&c));
	if (s == GST_SEG_RETX) /* a resent segment: its bar and its letter */
		canvas_mark(&c, s, 0, 0);
	size_t used = 0;
	for (int i = 0; i < c.cols; i++) {
		char t[CANVAS_TEXT];
		canvas_cell_text(&c, i, 0, t);
		size_t n = strlen(t);
		memcpy(out + used, t, n);
		used += n;
	}
	out[used] = '\0';
}
