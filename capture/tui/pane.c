/* pane.c — the line sink panes draw into (clipped to the screen), and a pane's scrolled text lines. */
#include "tui/tui_panel.h"

#include <stdio.h>

#include "common/wrap.h"

void sink_put(struct tui_sink *s, int y, int x, int w, const char *text, unsigned style, bool pad)
{
	if (w <= 0 || y < 0 || y >= s->rows)
		return;
	s->put(s, y, x, w, text, style, pad);
}

void sink_line(struct tui_sink *s, int y, const char *text, unsigned style)
{
	sink_put(s, y, 0, s->cols, text, style, true);
}

void sink_fill(struct tui_sink *s, int y, int x, int w, unsigned style)
{
	sink_put(s, y, x, w, "", style, true);
}

void pane_text_wrapped(struct pane_text *o, const char *text, int width, int indent, unsigned style)
{
	char line[TUI_LINE];
	const char *p = text;
	for (bool first = true; *p; first = false) {
		int lead = first ? 0 : indent;
		int room = width - lead;
		if (room < 16)
			room = 16;
		size_t take = wrap_take(p, room);
		snprintf(line, sizeof line, "%*s%.*s", lead, "", (int)take, p);
		pane_text_line(o, line, style);
		p += take;
		while (*p == ' ')
			p++;
	}
}

void pane_text_line(struct pane_text *o, const char *line, unsigned style)
{
	size_t i = o->n++;
	if (i < o->skip || i - o->skip >= (size_t)o->rows)
		return;
	sink_line(o->s, o->y + (int)(i - o->skip), line, style);
}
