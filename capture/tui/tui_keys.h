/* tui_keys.h — the panel's one key table: dispatch, the footer's function keys, the help and README's table. */
#ifndef SYNWATCH_TUI_KEYS_H
#define SYNWATCH_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/pane.h"

/* What a key asks for. Panes and the panel's actions (tui_actions.c) say what each does where. */
enum tui_action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, /* moving in a list: kept together (ACT_MOVES) */
	ACT_NEXT_PANE, ACT_PREV_PANE,
	ACT_OPEN,        /* Enter */
	ACT_DETAILS, ACT_ZOOM,
	ACT_BACK,        /* Esc */
	ACT_FILTER, ACT_PAUSE, ACT_STEP, ACT_FASTER, ACT_SLOWER, ACT_SAVE, ACT_FOLLOW, ACT_CLEAR,
	ACT_SOCKETS, ACT_EXPLAIN, ACT_HELP, ACT_REDRAW, ACT_QUIT,
	ACT_GRAPH,       /* the graph of the selected TCP flow; in the graph: its next kind */
	ACT_GRAPH_DIR,   /* the graph: the other end's data */
	ACT_LEFT, ACT_RIGHT,           /* the graph: the time cursor one column */
	ACT_PAN_LEFT, ACT_PAN_RIGHT,   /* the graph: the time shown a quarter earlier / later */
	ACT_TIME_IN, ACT_TIME_OUT,     /* the graph: half / twice the time shown, around the cursor */
	ACT_GOTO,        /* go to a packet number or a time */
	ACT_NEXT_MATCH, ACT_PREV_MATCH, ACT_NEXT_IN_FLOW, ACT_PREV_IN_FLOW,
	ACT_PROGRAM,     /* the traced program's terminal in the lower slot */
	ACT_TYPE,        /* a line typed to the traced program */
	ACT_MOUSE,       /* a click or the wheel (the key TK_MOUSE) */
	ACT_COUNT
};

#define ACT_MOVES(a) ((a) >= ACT_UP && (a) <= ACT_END)

/* The action a key is bound to, ACT_NONE when none. */
enum tui_action keys_action(int key);
/* The keys bound to an action, the first being the one hints name; returns how many (at most max). */
size_t keys_of(enum tui_action a, int *out, size_t max);

/* A key's name as the help and hints write it ("Up", "PgDn", "Tab", "Esc", "space", "Ctrl-L", "F4",
   "mouse", or the character itself) into buf; returns buf. */
char *keys_name(int key, char *buf, size_t size);
/* The name of an action's first key ("Enter" for ACT_OPEN): what hints in pane titles and messages show. */
char *keys_first(enum tui_action a, char *buf, size_t size);

/* The rows of the help screen and README's table, in order: the keys of a row ("Home / End") and what
   the row does. */
size_t keys_rows(void);
char *keys_row_label(size_t row, char *buf, size_t size);
const char *keys_row_help(size_t row);

/* The footer's hints: function keys in order with their word ("F2" "Save"). */
struct key_hint {
	char key[8];
	const char *word;
};
size_t keys_footer(struct key_hint *out, size_t max);

/* README's key table (Markdown, header included, one line per row) into buf; returns its length (as
   snprintf: the size needed). */
size_t keys_markdown(char *buf, size_t size);

#endif
