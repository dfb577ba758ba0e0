/* tui_screen.c — the tests' screen (what the panes put, character by character: a UTF-8 sequence takes one column) and a panel over a capture drawn into it. */
#include "tui_screen.h"

#include <stdio.h>
#include <string.h>

/* Bytes of the UTF-8 sequence starting with byte c (1 for ASCII and for a stray byte). */
static int utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static void screen_put(struct tui_sink *s, int y, int x, int w, const char *text, unsigned style, bool pad)
{
	struct screen *sc = s->arg;
	sc->puts++;
	int col = x;
	for (const char *p = text; *p && col < x + w && col < s->cols; col++) {
		int n = utf8_len((unsigned char)*p);
		if ((int)strnlen(p, (size_t)n) < n)
			n = 1;
		memcpy(sc->cell[y][col], p, (size_t)n);
		sc->cell[y][col][n] = '\0';
		sc->style[y][col] = style;
		p += n;
	}
	for (; pad && col < x + w && col < s->cols; col++) {
		strcpy(sc->cell[y][col], " ");
		sc->style[y][col] = style;
	}
}

static void screen_clear(struct tui_sink *s)
{
	struct screen *sc = s->arg;
	for (int y = 0; y < SROWS; y++)
		for (int x = 0; x < SCOLS; x++)
			strcpy(sc->cell[y][x], " ");
}

static void screen_cursor(struct tui_sink *s, int y, int x)
{
	struct screen *sc = s->arg;
	sc->cy = y;
	sc->cx = x;
}

void screen_init(struct screen *sc, int cols, int rows)
{
	memset(sc, 0, sizeof *sc);
	sc->s = (struct tui_sink){ .rows = rows, .cols = cols, .put = screen_put, .clear = screen_clear,
				   .cursor = screen_cursor, .arg = sc };
	screen_clear(&sc->s);
}

const char *screen_row(struct screen *sc, int y)
{
	static char row[SCOLS * 4 + 1];
	size_t used = 0, keep = 0;
	for (int x = 0; x < sc->s.cols && y >= 0 && y < SROWS; x++) {
		size_t n = strlen(sc->cell[y][x]);
		memcpy(row + used, sc->cell[y][x], n);
		used += n;
		if (strcmp(sc->cell[y][x], " ") != 0)
			keep = used;
	}
	row[keep] = '\0';
	return row;
}

int screen_find(struct screen *sc, const char *text)
{
	for (int y = 0; y < sc->s.rows; y++)
		if (strstr(screen_row(sc, y), text))
			return y;
	return -1;
}

void screen_dump(struct screen *sc)
{
	printf("\n---- screen ----\n");
	for (int y = 0; y < sc->s.rows; y++)
		printf("%s\n", screen_row(sc, y));
}

bool rig_open_file(struct rig *r, const char *file, int cols, int rows, bool step)
{
	memset(r, 0, sizeof *r);
	struct pipeline_opts po = { .file = file };
	char err[512];
	int code;
	r->pl = pipeline_open(&po, err, sizeof err, &code);
	if (!r->pl) {
		printf("\npipeline: %s\n", err);
		return false;
	}
	tui_opts_default(&r->o);
	r->o.speed = 0;
	r->o.step = step;
	const char *what = "";
	r->t = tui_new(r->pl, &r->o, &what);
	if (!r->t)
		return false;
	screen_init(&r->sc, cols, rows);
	tui_draw(r->t, &r->sc.s); /* the layout, as the loop's first frame */
	for (int i = 0; i < 100 && !r->t->m.ended; i++) { /* indexed (also with --step: shown one by one) */
		int64_t wait;
		model_pump(&r->t->m, &wait);
	}
	r->t->dirty |= D_ALL;
	tui_draw(r->t, &r->sc.s);
	return true;
}

void rig_close(struct rig *r)
{
	tui_free(r->t);
	pipeline_close(r->pl);
}

unsigned press(struct rig *r, int key)
{
	struct tui_mouse none = { .what = MOUSE_NONE };
	unsigned f = tui_key(r->t, key, &none);
	r->t->dirty |= f & (D_ALL | D_FLOWDATA);
	tui_draw(r->t, &r->sc.s);
	return f;
}
