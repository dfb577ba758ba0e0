/* tui_canvas.h — a graph's plot area as terminal cells: Unicode braille (2×4 dots a cell) or ASCII glyphs, each style with its own dot pattern or letter. */
#ifndef SYNWATCH_TUI_CANVAS_H
#define SYNWATCH_TUI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph/graph_plot.h"

/*
 * graph_plot() draws in dots: a braille canvas has 2 dots across and 4 down per cell (U+2800 + the dots'
 * bits), an ASCII one a single dot per cell. Every drawn thing keeps its meaning without colour:
 *   - a mark (retransmission, duplicate ACK, zero window, SYN, FIN, RST, RTT samples, bytes in flight)
 *     is its letter from graph_style_info() in the cell, over anything else there;
 *   - bars and lines are dots; in braille each style has its own pattern: segments, the ACK line and
 *     throughput boxes solid, SACK blocks a dotted bar, the receive window a dotted line, the congestion
 *     window a dashed line, retransmitted throughput hatched; in ASCII a cell shows the glyph of the most
 *     important style that drew there (segment '|', ACK '_', window '=', SACK 's', cwnd 'c', bytes '#').
 * The legend shows each style as canvas_sample() draws it, so it matches the picture.
 */

/* One cell. */
struct canvas_cell {
	uint8_t dots;       /* braille dot bits set (ASCII: 1 when any dot) */
	uint16_t styles;    /* bit (1 << enum graph_style) of every style that set a dot here */
	int8_t mark;        /* the enum graph_style of the mark shown here, -1 for none */
};

struct canvas {
	bool braille;       /* 2×4 dots a cell, else 1×1 */
	int cols, rows;     /* cells */
	int sx, sy;         /* dots per cell across and down */
	struct canvas_cell *cell; /* rows × cols, row by row */
	size_t cap;         /* cells allocated */
};

/* Size the canvas (cells) and clear it; allocates only when it grows. false when out of memory (the
   canvas is then empty, 0×0). */
bool canvas_resize(struct canvas *c, int cols, int rows, bool braille);
void canvas_free(struct canvas *c);
void canvas_clear(struct canvas *c);

/* The plot area in dots: what graph_view.w and .h are for this canvas. */
int canvas_dots_wide(const struct canvas *c);
int canvas_dots_high(const struct canvas *c);

/* Set one dot for style s (its pattern decides whether it shows); outside the canvas: nothing. */
void canvas_dot(struct canvas *c, int x, int y, enum graph_style s);
/* graph_sink's primitives, in dots (doubles as graph_plot gives them). */
void canvas_box(struct canvas *c, enum graph_style s, double x0, double y0, double x1, double y1);
void canvas_line(struct canvas *c, enum graph_style s, double x0, double y0, double x1, double y1);
void canvas_mark(struct canvas *c, enum graph_style s, double x, double y);
/* A sink for graph_plot() drawing into c. */
struct graph_sink canvas_sink(struct canvas *c);

/* The column of device x (dots) and the row of device y, clamped into the canvas. */
int canvas_col(const struct canvas *c, double x);
int canvas_row(const struct canvas *c, double y);

#define CANVAS_TEXT 16 /* bytes canvas_cell_text() and canvas_sample() write at most, NUL included */
/* Cell (col, row) as UTF-8 text into out (a braille character, a glyph, or " "); returns the enum
   graph_style whose look it takes (the mark, else the most important style with dots), -1 when empty. */
int canvas_cell_text(const struct canvas *c, int col, int row, char out[CANVAS_TEXT]);
/* Style s as the legend shows it, drawn by the same rules: one cell for a bar, box or mark ("⡇" for a
   segment in braille, "|" in ASCII, "R" for a retransmission), three for a line ("⠤⠤⠤" the ACK line,
   "⠄⠄⠄" the receive window, "___" and "===" in ASCII). */
void canvas_sample(bool braille, enum graph_style s, char out[CANVAS_TEXT]);

#endif
