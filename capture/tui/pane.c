/* pane.c — the line sink panes draw into (clipped to the screen), and a pane's scrolled text lines. */
#include "tui/tui_panel.h"

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

void pane_text_line(struct pane_text *o, const char *line, unsigned style)
{
	size_t i = o->n++;
	if (i < o->skip || i - o->skip >= (size_t)o->rows)
		return;
	sink_line(o->s, o->y + (int)(i - o->skip), line, style);
}
