/* tui_keys.c — the panel's one key table: every key's action, its names, the footer's words and the help text. */
#include "tui/tui_keys.h"

#include <stdio.h>
#include <string.h>

#include "common/count.h"
#include "common/tok.h"

#define KEYS_PER 4 /* keys bound to one action at most */

/* One action and its keys; the first key is the one hints name. */
struct binding {
	enum tui_action act;
	int keys[KEYS_PER];       /* 0 ends the list */
	const char *word;         /* the footer's word beside its function key, or NULL when not in the footer */
};

/* One row of the help screen: an action, or two opposite ones ("Home / End"), and what the row does. */
static const struct keyrow {
	struct binding b[2];      /* b[1].act is ACT_NONE for a single action */
	const char *help;
} rows[] = {
	{ { { ACT_UP, { TK_UP, 'k' }, NULL }, { ACT_DOWN, { TK_DOWN, 'j' }, NULL } }, "move in the focused pane" },
	{ { { ACT_PGUP, { TK_PPAGE }, NULL }, { ACT_PGDN, { TK_NPAGE }, NULL } }, "a page up / down" },
	{ { { ACT_HOME, { TK_HOME }, NULL }, { ACT_END, { TK_END }, NULL } },
	  "first / last; Home is packet 1 of the file or session; End also fast-forwards a replay to the end" },
	{ { { ACT_GOTO, { ':', 7 }, NULL } },
	  "go to packet N, or to a time: 12:00:03.5 (time of day) or +2.5 (seconds after the first packet)" },
	{ { { ACT_NEXT_MATCH, { 'n' }, NULL }, { ACT_PREV_MATCH, { 'N' }, NULL } },
	  "next / previous packet passing the view filter (from the ladder's selection too)" },
	{ { { ACT_NEXT_IN_FLOW, { ']' }, NULL }, { ACT_PREV_IN_FLOW, { '[' }, NULL } },
	  "next / previous packet of the selected packet's flow" },
	{ { { ACT_NEXT_PANE, { '\t' }, NULL }, { ACT_PREV_PANE, { TK_BTAB }, NULL } },
	  "next / previous pane (packets, flows, ladder/details/graph)" },
	{ { { ACT_OPEN, { '\r', '\n', TK_ENTER }, NULL } },
	  "ladder of the selected packet or flow (in the ladder: details; in the graph: the ladder)" },
	{ { { ACT_DETAILS, { 'd' }, NULL } }, "details of the selected packet (layers and hex dump)" },
	{ { { ACT_GRAPH, { 'g' }, NULL } },
	  "graph of the selected TCP flow (in the graph: the next kind: time-sequence, throughput, RTT, in flight)" },
	{ { { ACT_GRAPH_DIR, { 'r' }, NULL } }, "graph: the other end's data (client's / server's)" },
	{ { { ACT_LEFT, { TK_LEFT }, NULL }, { ACT_RIGHT, { TK_RIGHT }, NULL } },
	  "graph: move the time cursor; the list and the ladder select the packet under it" },
	{ { { ACT_PAN_LEFT, { '<', ',' }, NULL }, { ACT_PAN_RIGHT, { '>', '.' }, NULL } },
	  "graph: show earlier / later time (a quarter of the view)" },
	{ { { ACT_TIME_IN, { 'i' }, NULL }, { ACT_TIME_OUT, { 'u' }, NULL } },
	  "graph: zoom the time axis in around the cursor / out" },
	{ { { ACT_ZOOM, { 'z' }, NULL }, { ACT_BACK, { TK_ESC }, NULL } },
	  "zoom the focused pane to the whole screen / back" },
	{ { { ACT_FILTER, { '/', TK_F(4) }, "Filter" } },
	  "view filter (BPF) over every packet, in the background; an invalid one is refused, the old one stays" },
	{ { { ACT_PAUSE, { ' ', TK_F(5) }, "Pause" } }, "pause / resume (live: capture continues, counts keep rising)" },
	{ { { ACT_STEP, { 's' }, NULL } }, "step one packet (pauses first)" },
	{ { { ACT_FASTER, { '+', '=', TK_F(8) }, "Faster" }, { ACT_SLOWER, { '-', TK_F(7) }, "Slower" } },
	  "replay faster / slower (x1/64 .. x64, then as fast as possible)" },
	{ { { ACT_SAVE, { 'w', TK_F(2) }, "Save" } }, "save the packets shown to a pcap file" },
	{ { { ACT_FOLLOW, { 'f', TK_F(6) }, "Follow" } }, "follow the flow's payload both ways (Esc closes)" },
	{ { { ACT_CLEAR, { 'c', TK_F(9) }, "Clear" } }, "clear the packets shown so far (flows idle since then are hidden)" },
	{ { { ACT_SOCKETS, { 'o' }, NULL } },
	  "the kernel's socket table as ss -tuan (--sockets) / the flows" },
	{ { { ACT_PROGRAM, { 'p' }, NULL } },
	  "--trace: the traced program's terminal (what it wrote, newest last) in the lower pane" },
	{ { { ACT_TYPE, { 't' }, NULL } }, "--trace: type a line to the traced program (Enter sends it, Esc cancels)" },
	{ { { ACT_EXPLAIN, { 'e' }, NULL } },
	  "the footer explains the selected packet or call / the key hints" },
	{ { { ACT_HELP, { '?', 'h', TK_F(1) }, "Help" } }, "this help" },
	{ { { ACT_REDRAW, { TK_CTRL('l') }, NULL } }, "redraw the screen" },
	{ { { ACT_QUIT, { 'q', 'Q', TK_F(10) }, "Quit" } },
	  "quit (also Ctrl-C, SIGTERM, SIGHUP; the terminal is restored)" },
	{ { { ACT_MOUSE, { TK_MOUSE }, NULL } }, "a click selects a row, the wheel scrolls" },
};
#define NROWS COUNT(rows)

enum tui_action keys_action(int key)
{
	if (key == 0)
		return ACT_NONE;
	for (size_t r = 0; r < NROWS; r++)
		for (int b = 0; b < 2; b++)
			for (int k = 0; k < KEYS_PER && rows[r].b[b].keys[k]; k++)
				if (rows[r].b[b].keys[k] == key)
					return rows[r].b[b].act;
	return ACT_NONE;
}

char *keys_name(int key, char *buf, size_t size)
{
	static const struct tok named[] = {
		{ TK_UP, "Up" }, { TK_DOWN, "Down" }, { TK_PPAGE, "PgUp" }, { TK_NPAGE, "PgDn" },
		{ TK_HOME, "Home" }, { TK_END, "End" }, { TK_LEFT, "Left" }, { TK_RIGHT, "Right" }, { '\t', "Tab" },
		{ TK_BTAB, "S-Tab" },
		{ '\r', "Enter" }, { '\n', "Enter" }, { TK_ENTER, "Enter" }, { TK_ESC, "Esc" }, { ' ', "space" },
		{ TK_MOUSE, "mouse" }, { TK_BACKSPACE, "Backspace" }, { 0, NULL }
	};
	const char *name = key > 0 ? tok2str(named, NULL, (unsigned)key) : NULL;
	if (name)
		snprintf(buf, size, "%s", name);
	else if (key > TK_F0 && key <= TK_F(63))
		snprintf(buf, size, "F%d", key - TK_F0);
	else if (key > 0 && key < 32)
		snprintf(buf, size, "Ctrl-%c", '@' + key);
	else if (key > 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "key %d", key);
	return buf;
}

/* The row and binding of an action. */
static const struct binding *keys_binding(enum tui_action a)
{
	for (size_t r = 0; r < NROWS; r++)
		for (int b = 0; b < 2; b++)
			if (rows[r].b[b].act == a && a != ACT_NONE)
				return &rows[r].b[b];
	return NULL;
}

size_t keys_of(enum tui_action a, int *out, size_t max)
{
	const struct binding *b = keys_binding(a);
	size_t n = 0;
	for (int k = 0; b && k < KEYS_PER && b->keys[k] && n < max; k++)
		out[n++] = b->keys[k];
	return n;
}

char *keys_first(enum tui_action a, char *buf, size_t size)
{
	const struct binding *b = keys_binding(a);
	if (!b) {
		snprintf(buf, size, "?");
		return buf;
	}
	return keys_name(b->keys[0], buf, size);
}

size_t keys_rows(void)
{
	return NROWS;
}

/* Append the names of a binding's keys, each name once ("Enter" stands for three codes). */
static size_t keys_append_names(const struct binding *b, char *buf, size_t size, size_t used)
{
	char seen[KEYS_PER][16];
	int nseen = 0;
	for (int k = 0; k < KEYS_PER && b->keys[k]; k++) {
		char name[16];
		keys_name(b->keys[k], name, sizeof name);
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup = dup || strcmp(seen[i], name) == 0;
		if (dup)
			continue;
		snprintf(seen[nseen++], sizeof seen[0], "%s", name);
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", nseen > 1 ? " " : "", name);
	}
	return used;
}

char *keys_row_label(size_t row, char *buf, size_t size)
{
	buf[0] = '\0';
	if (row >= NROWS)
		return buf;
	size_t used = keys_append_names(&rows[row].b[0], buf, size, 0);
	if (rows[row].b[1].act != ACT_NONE) {
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, " / ");
		keys_append_names(&rows[row].b[1], buf, size, used);
	}
	return buf;
}

const char *keys_row_help(size_t row)
{
	return row < NROWS ? rows[row].help : "";
}

size_t keys_footer(struct key_hint *out, size_t max)
{
	size_t n = 0;
	for (int f = 1; f <= 12; f++)
		for (size_t r = 0; r < NROWS; r++)
			for (int b = 0; b < 2; b++)
				for (int k = 0; k < KEYS_PER && rows[r].b[b].keys[k]; k++)
					if (rows[r].b[b].keys[k] == TK_F(f) && rows[r].b[b].word && n < max) {
						keys_name(TK_F(f), out[n].key, sizeof out[n].key);
						out[n++].word = rows[r].b[b].word;
					}
	return n;
}

size_t keys_markdown(char *buf, size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "| key | action |\n| --- | --- |\n");
	for (size_t r = 0; r < NROWS; r++) {
		char label[64];
		keys_row_label(r, label, sizeof label);
		int w = snprintf(used < size ? buf + used : NULL, used < size ? size - used : 0, "| %s | %s |\n",
				 label, rows[r].help);
		used += w > 0 ? (size_t)w : 0;
	}
	return used;
}
