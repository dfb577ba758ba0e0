/* graph_plot.h — draws a graph for any device: axes with nice ticks and units, then bars, lines and marks in a w×h plot area handed to a sink (SVG, the panel's cells). */
#ifndef SYNWATCH_GRAPH_PLOT_H
#define SYNWATCH_GRAPH_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph/graph.h"

/* What a drawn thing means; each has a name, a legend text and a glyph, so that meaning never rests on
   colour alone (graph_style_info). */
enum graph_style {
	GST_SEG = 0,     /* a segment: a vertical bar from its first to past its last sequence number */
	GST_SEG_RETX,    /* a retransmitted segment (bar and mark) */
	GST_ACK,         /* the ACK line: the highest byte the receiver acknowledged, a step line */
	GST_RWND,        /* the receive window: ACK + advertised window (tsg), the window itself (inflight) */
	GST_SACK,        /* a SACK block: data the receiver holds above the ACK (bar) */
	GST_DUPACK,      /* a duplicate ACK (mark on the ACK line) */
	GST_ZEROWIN,     /* the receiver's window is zero (mark on the ACK line) */
	GST_SYN,         /* SYN (mark) */
	GST_FIN,         /* FIN (mark) */
	GST_RST,         /* RST (mark) */
	GST_RTT_SEQ,     /* an RTT sample from an ACK of a segment sent once (mark) */
	GST_RTT_TS,      /* an RTT sample from the timestamp echo (mark) */
	GST_BYTES,       /* bytes sent in one interval (box) */
	GST_BYTES_RETX,  /* of those, bytes retransmitted (box on top) */
	GST_INFLIGHT,    /* bytes in flight after a data segment (mark) */
	GST_CWND,        /* the sender's congestion window from its kernel (step line) */
	GST_COUNT
};

struct graph_style_info {
	const char *name;   /* "retransmission" */
	const char *legend; /* one sentence for a legend: what it is and how it is drawn */
	char glyph;         /* ASCII glyph where the device draws marks as characters: 'R' */
	bool mark;          /* drawn as a mark (glyph) rather than a bar or line */
};
const struct graph_style_info *graph_style_info(enum graph_style s);

/* What an axis counts. */
enum graph_unit {
	GU_TIME = 0, /* ns: shown in s, ms, µs or ns */
	GU_BYTES,    /* bytes: shown in B, kB, MB or GB (powers of 1000) */
};

/* One axis: its range (in base units: ns, bytes), ticks at a nice step (1, 2 or 5 × 10^k), and how the
   tick labels are written (value / div, in unit). */
struct graph_axis {
	double lo, hi;       /* the range drawn (the ticks' first and last) */
	double step;         /* between ticks */
	int nticks;          /* ticks from lo to hi inclusive */
	double div;          /* a label is value / div ... */
	char unit[8];        /* ... in this unit: "ms", "kB" (UTF-8: "µs") */
	int decimals;        /* digits after the point the labels need */
	char title[96];      /* "time since the flow's first packet (ms)" */
};

/*
 * Fill *a for values lo..hi (hi >= lo) with at most max_ticks ticks (at least 2): the range widens to
 * multiples of a nice step (zero stays zero), the unit is the largest that keeps labels at least 1. title
 * names the quantity ("relative sequence number"); the unit is added in parentheses.
 */
void graph_axis_make(struct graph_axis *a, double lo, double hi, int max_ticks, enum graph_unit unit, const char *title);
/* The value of tick i (0 .. nticks - 1), and its label ("2.5"): without the unit. */
double graph_axis_tick(const struct graph_axis *a, int i);
void graph_axis_label(const struct graph_axis *a, int i, char *buf, size_t n);

/* What to draw: which picture of which direction, over which time, in what area. */
struct graph_view {
	enum graph_kind kind;
	enum flow_dir dir;       /* whose data */
	int64_t t_from, t_to;    /* the time shown, ns since the epoch; both 0: the whole flow */
	double w, h;             /* the plot area in device units (pixels, braille dots) */
	int xticks, yticks;      /* most ticks per axis the device has room for */
};

/* The frame of one drawing, handed to the sink first and returned to the caller. */
struct graph_frame {
	struct graph_view v;     /* as asked, t_from/t_to filled in */
	struct graph_axis x, y;  /* x: ns since the flow's first packet; y: bytes or ns */
	int64_t t0;              /* time of x = 0 (the flow's first packet) */
	int64_t interval_ns;     /* throughput: the width of one bar */
	uint32_t styles;         /* bit (1 << enum graph_style) of every style drawn: the legend's lines */
	uint64_t drawn;          /* primitives drawn */
	bool empty;              /* nothing of this kind to draw for that direction */
	uint64_t rwnd_above;     /* tsg: the window edge was left above the top (it would squash the data to a
	                            line): the largest window then, bytes; 0 when it is drawn */
};

/* Device coordinates: x grows right, y grows down (0 at the top of the plot area). */
double graph_frame_x(const struct graph_frame *f, int64_t t_ns);
double graph_frame_y(const struct graph_frame *f, double v);
/* The time at device x (the panel's cursor). */
int64_t graph_frame_time(const struct graph_frame *f, double x);

/* Where the drawing goes. Every callback may be NULL. */
struct graph_sink {
	void *arg;
	void (*frame)(void *arg, const struct graph_frame *f);
	/* A box from x0 to x1, y0 (top) to y1 (bottom); x0 == x1 is a vertical bar one unit wide. */
	void (*box)(void *arg, enum graph_style s, double x0, double y0, double x1, double y1);
	/* A straight line; consecutive calls of a step line share their ends. */
	void (*line)(void *arg, enum graph_style s, double x0, double y0, double x1, double y1);
	/* A mark centred at x, y. */
	void (*mark)(void *arg, enum graph_style s, double x, double y);
};

/* Throughput bars at most (the interval is chosen so that the flow's span needs no more). */
#define GRAPH_BINS_MAX 240
#define GRAPH_BINS_TARGET 60

/* The tsg leaves the window edge above its top when the edge reaches more than this many times the span of
   the data (a short exchange under a 64 KiB window would be a flat line at the bottom). */
#define GRAPH_TSG_WINDOW_SQUASH 4

/* Draw view v of g into sink; *f (may be NULL) gets the frame. Allocates nothing. */
void graph_plot(const struct graph *g, const struct graph_view *v, const struct graph_sink *sink, struct graph_frame *f);

/* The index of the last point of s whose time is at or before t_ns (0 when none is): the packet under the
   panel's cursor is s->pt[i].pkt. */
uint32_t graph_series_find(const struct graph_series *s, int64_t t_ns);

#endif
