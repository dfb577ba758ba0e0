/* pane_help.c — the help box over the panes: every row of the key table, the focused pane's keys, the colours. */
#include <stdio.h>
#include <string.h>

#include "common/count.h"
#include "common/wrap.h"
#include "tui/tui_panel.h"

#define HELP_LINES 96   /* lines the help may take, wrapped */
#define HELP_WIDTH 160  /* widest line (the box is at most 82 columns) */
#define HELP_LABEL 14   /* the keys' column */
#define HELP_RIGHT 77   /* the title's right end */

static const char *const help_colours[] = {
	"Colours: SYN green, FIN yellow, RST red, analysis (retransmission...) red,",
	"ICMP error yellow, UDP cyan, ICMP magenta; NO_COLOR: bold/underline instead",
};

unsigned help_open(struct tui *t)
{
	t->ov = OV_HELP;
	t->help.top = 0;
	return D_ALL;
}

/* Append text to lines[*n], wrapped at width on spaces, continuation lines indented by HELP_LABEL. */
static void help_wrap(char (*lines)[HELP_WIDTH], size_t *n, const char *label, const char *text, int width)
{
	int room = width - HELP_LABEL;
	if (room < 20)
		room = 20;
	bool first = true;
	while (*n < HELP_LINES) {
		size_t take = wrap_take(text, room);
		snprintf(lines[(*n)++], HELP_WIDTH, "%-*s %.*s", HELP_LABEL - 1, first ? label : "", (int)take, text);
		first = false;
		text += take;
		while (*text == ' ')
			text++;
		if (!*text)
			return;
	}
}

/* The help's lines for text `width` columns wide; line 0 is left for the title. After the key table, the
   focused pane's own keys (its help()), then the colours. */
static size_t help_lines(struct tui *t, char (*lines)[HELP_WIDTH], int width)
{
	size_t n = 1;
	for (size_t r = 0; r < keys_rows(); r++) {
		char label[64];
		keys_row_label(r, label, sizeof label);
		help_wrap(lines, &n, label, keys_row_help(r), width);
	}
	const struct pane_class *focused = tui_slot_pane(t, t->focus);
	char here[160] = "";
	if (focused->help)
		focused->help(t, here, sizeof here);
	if (*here)
		help_wrap(lines, &n, "this pane:", here, width);
	for (size_t i = 0; i < COUNT(help_colours) && n < HELP_LINES; i++)
		snprintf(lines[n++], HELP_WIDTH, "%s", help_colours[i]);
	return n;
}

static void help_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)y;
	struct help_pane *hp = &t->help;
	static char lines[HELP_LINES][HELP_WIDTH];
	int w = 82 < s->cols ? 82 : s->cols;
	size_t n = help_lines(t, lines, w - 2);
	int bh = (int)n + 2 < h - 2 ? (int)n + 2 : h - 2;
	int y0 = (h - bh) / 2, x0 = (s->cols - w) / 2;
	int body = bh - 2;             /* the title and the lines under it */
	hp->page = body > 2 ? body - 1 : 1;
	hp->max_top = n > (size_t)body && body > 1 ? n - (size_t)body : 0;
	if (hp->top > hp->max_top)
		hp->top = hp->max_top;
	char right[64], k1[16], k2[16];
	if (hp->max_top)
		snprintf(right, sizeof right, "(%s/%s scroll, any other key closes)", keys_first(ACT_UP, k1, sizeof k1),
			 keys_first(ACT_DOWN, k2, sizeof k2));
	else
		snprintf(right, sizeof right, "(any key closes this help)");
	int pad = HELP_RIGHT - (int)strlen(right);
	snprintf(lines[0], HELP_WIDTH, "%-*s%s", pad > 14 ? pad : 14, "synwatch keys", right);
	for (int r = 0; r < bh; r++)
		sink_fill(s, y0 + r, x0, w, ROLE_STATUS);
	for (int r = 0; r < body && (size_t)r < n; r++) {
		size_t i = r == 0 ? 0 : hp->top + (size_t)r;
		if (i >= n)
			break;
		sink_put(s, y0 + 1 + r, x0 + 1, w - 2, lines[i], r == 0 ? ROLE_STATUS | SM_BOLD : ROLE_STATUS, false);
	}
}

/* Any key closes the help; while it is longer than the screen, the moving keys scroll it. */
static unsigned help_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	struct help_pane *hp = &t->help;
	if (hp->max_top) {
		size_t page = (size_t)hp->page;
		switch (act) {
		case ACT_UP:
			hp->top = hp->top ? hp->top - 1 : 0;
			return D_ALL;
		case ACT_DOWN:
			hp->top = hp->top < hp->max_top ? hp->top + 1 : hp->max_top;
			return D_ALL;
		case ACT_PGUP:
			hp->top = hp->top > page ? hp->top - page : 0;
			return D_ALL;
		case ACT_PGDN:
			hp->top = hp->top + page < hp->max_top ? hp->top + page : hp->max_top;
			return D_ALL;
		case ACT_HOME:
			hp->top = 0;
			return D_ALL;
		case ACT_END:
			hp->top = hp->max_top;
			return D_ALL;
		default:
			break;
		}
	}
	t->ov = OV_NONE;
	return D_ALL;
}

const struct pane_class pane_help = { .draw = help_draw, .key = help_key };
