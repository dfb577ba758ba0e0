/* pane_program.c — the traced program's terminal (--trace): the lines it wrote, newest at the bottom, and the prompt's line typed to it. */
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "tui/tui_panel.h"

static void program_help(struct tui *t, char *buf, size_t size)
{
	char k[16], d[16];
	snprintf(buf, size, "%s: type a line to it   %s: details", keys_first(ACT_TYPE, k, sizeof k),
		 keys_first(ACT_DETAILS, d, sizeof d));
	(void)t;
}

static void program_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	int rows = h - 1;
	if (rows <= 0)
		return;
	const struct progtty *p = t->o->program;
	char help[96];
	program_help(t, help, sizeof help);
	snprintf(t->line, sizeof t->line, " Program %s: its terminal%s   %s", p ? p->name : "", p && p->ended ? " (closed)" : "",
		 help);
	tui_frame_pane(t, s, PANE_LOWER, rows, t->line);
	if (!p || p->total == 0) {
		sink_put(s, y + 1, 2, s->cols - 2, p && p->ended ? "it wrote nothing" : "it has written nothing yet", SM_DIM, false);
		return;
	}
	/* The last lines, scrolled up t->program.up lines; the ring holds PROGTTY_LINES. */
	uint64_t first = p->total > PROGTTY_LINES ? p->total - PROGTTY_LINES : 0;
	uint64_t shown = p->total - first;
	if (t->program.up > shown - 1)
		t->program.up = (size_t)(shown - 1);
	uint64_t end = p->total - t->program.up; /* one past the last line drawn */
	uint64_t from = end > (uint64_t)rows + first ? end - (uint64_t)rows : first;
	for (uint64_t k = from; k < end; k++) {
		const char *text = progtty_line(p, k);
		snprintf(t->line, sizeof t->line, "%s| %s", p->name, text ? text : "");
		sink_put(s, y + 1 + (int)(k - from), 0, s->cols, t->line, ROLE_SERVER, true);
	}
}

static unsigned program_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	if (tui_scroll_key(&t->program.up, act, (size_t)tui_pane_rows(t, PANE_LOWER), true))
		return D_LOWER;
	switch (act) {
	case ACT_HOME:
		t->program.up = PROGTTY_LINES;
		return D_LOWER;
	case ACT_END:
		t->program.up = 0;
		return D_LOWER;
	default:
		return K_PASS;
	}
}

/* A program key pressed without --trace: what it is for. */
static unsigned program_none(struct tui *t, enum tui_action act, const char *does)
{
	char k[16];
	return tui_message(t, false, "no traced program: %s %s synwatch --trace -- COMMAND", keys_first(act, k, sizeof k), does);
}

unsigned program_open(struct tui *t)
{
	if (!t->o->program)
		return program_none(t, ACT_PROGRAM, "shows the terminal of the command of");
	t->lower = LOWER_PROGRAM;
	t->program.up = 0;
	return D_ALL;
}

unsigned program_type(struct tui *t)
{
	if (!t->o->program)
		return program_none(t, ACT_TYPE, "types a line to the command of");
	if (t->o->program->ended)
		return tui_message(t, true, "%s has closed its terminal: nothing can be typed to it", t->o->program->name);
	return prompt_start(t, PR_PROGRAM);
}

unsigned program_send(struct tui *t, const char *text)
{
	struct progtty *p = t->o->program;
	if (!p || p->ended)
		return tui_message(t, true, "the program has closed its terminal: \"%s\" not sent", text);
	if (!progtty_send_line(p, text))
		return tui_message(t, true, "cannot type to %s: it does not read its terminal; \"%s\" not sent", p->name, text);
	unsigned f = t->lower == LOWER_PROGRAM ? 0 : program_open(t);
	return f | tui_message(t, false, "typed to %s: %s", p->name, text);
}

unsigned program_pump(struct tui *t)
{
	struct progtty *p = t->o->program;
	if (!p)
		return 0;
	bool was_ended = p->ended;
	size_t n = progtty_pump(p, clock_mono_ns(), NULL, NULL);
	if (!n && was_ended == p->ended)
		return 0;
	if (t->lower == LOWER_PROGRAM)
		return D_LOWER;
	/* Elsewhere the footer says what it wrote last. */
	char k[16];
	const char *last = p->total ? progtty_line(p, p->total - 1) : NULL;
	if (!n || !last)
		return 0;
	return tui_message(t, false, "%s| %s   (%s: its terminal)", p->name, last, keys_first(ACT_PROGRAM, k, sizeof k));
}

const struct pane_class pane_program = { .draw = program_draw, .key = program_key, .help = program_help };
