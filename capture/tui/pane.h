/* pane.h — what every part of the panel shares: the line sink panes draw into, styles, key codes, key flags. */
#ifndef SYNWATCH_PANE_H
#define SYNWATCH_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/tui_core.h"

/*
 * Styles: what a piece of text is, not how it looks. The terminal (tui_term.c) turns a role into a colour
 * pair, or into bold/reverse/underline without colour; the modifier bits are added in both cases.
 */
enum tui_role {
	ROLE_NORMAL,
	ROLE_STATUS,     /* status bar, help box, follow view's bars */
	ROLE_HEADER,     /* the focused pane's title, the mode in the status bar */
	ROLE_TITLE,      /* an unfocused pane's title */
	ROLE_SEL,        /* the selected row of the focused pane */
	ROLE_KEY,        /* a key's label in the footer */
	ROLE_ERROR,      /* an error message, the CAPTURE ERROR mode */
	ROLE_ERROR_TEXT, /* an error shown inside a pane */
	ROLE_CLIENT,     /* what the client sent (follow view), its calls */
	ROLE_SERVER,     /* the server's */
	ROLE_ROW,        /* + enum row_class: a packet row coloured by what it is */
	ROLE_COUNT = ROLE_ROW + RC_COUNT
};
#define STYLE_ROLE 0xffu    /* the role bits of a style */
#define SM_BOLD 0x100u      /* modifiers, in colour and without */
#define SM_UNDERLINE 0x200u
#define SM_DIM 0x400u
#define STYLE_ROW(rc) ((unsigned)ROLE_ROW + (unsigned)(rc))

/*
 * A line sink: where a pane's text goes. Rows and columns count from 0 at the top left. put() writes
 * text at (y, x) in at most w columns (multibyte aware, never wrapping), padding with spaces to w when
 * asked; rows outside the screen are ignored. The terminal's sink is curses; tests keep the text.
 */
struct tui_sink {
	int rows, cols;
	void (*put)(struct tui_sink *s, int y, int x, int w, const char *text, unsigned style, bool pad);
	void (*clear)(struct tui_sink *s);          /* blank the whole screen */
	void (*cursor)(struct tui_sink *s, int y, int x); /* where the visible cursor stands (prompt) */
	void *arg;                                  /* the sink's own data */
};
void sink_put(struct tui_sink *s, int y, int x, int w, const char *text, unsigned style, bool pad);
void sink_line(struct tui_sink *s, int y, const char *text, unsigned style); /* a whole row, padded */
void sink_fill(struct tui_sink *s, int y, int x, int w, unsigned style);     /* blanks */

/* Keys as the panel sees them: characters as themselves (Esc 27, Tab 9, Enter 13, Ctrl-L 12...), other
   keys from TK_BASE on. The terminal translates curses' codes into these. */
enum {
	TK_BASE = 0x1000,
	TK_UP, TK_DOWN, TK_PPAGE, TK_NPAGE, TK_HOME, TK_END, TK_BTAB, TK_ENTER, TK_BACKSPACE,
	TK_RESIZE,       /* the terminal changed size */
	TK_MOUSE,        /* a mouse event (struct tui_mouse) */
	TK_OTHER,        /* a key with no meaning here (it still closes the help) */
	TK_LEFT, TK_RIGHT,
	TK_F0 = 0x1100   /* TK_F(n): function key n */
};
#define TK_F(n) (TK_F0 + (n))
#define TK_ESC 27
#define TK_CTRL(c) ((c) & 0x1f)

/* A mouse event (TK_MOUSE): a click at (y, x), the wheel there, or nothing the panel uses. */
struct tui_mouse {
	enum { MOUSE_NONE, MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN } what;
	int y, x;
};

/*
 * What handling a key (or a packet, or any change) asks for: the parts of the screen to draw again, and
 * what the loop does next. Key handlers return these and never draw.
 */
enum {
	D_STATUS = 1, D_LIST = 2, D_FLOWS = 4, D_LOWER = 8, D_FOOTER = 16, D_CLEAR = 32, D_ALL = 63,
	D_FLOWDATA = 64,  /* packets changed the flows pane: redrawn at most every TUI_FLOWS_NS */
	K_QUIT = 128,     /* leave the panel */
	K_PASS = 256,     /* not this handler's key: the next one gets it */
	K_REPAINT = 512,  /* the terminal repaints every cell (Ctrl-L) */
	D_GRAPHDATA = 1024, /* packets (or the kernel's numbers) changed the graph in the lower slot: redrawn at
			       most every TUI_GRAPH_NS, so a busy flow's picture costs a few frames a second */
};

#endif
