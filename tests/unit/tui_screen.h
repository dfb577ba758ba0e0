/* tui_screen.h — a panel's screen for tests: a line sink that keeps each cell's character (UTF-8 aware: one column per character) and style. */
#ifndef SYNWATCH_TEST_TUI_SCREEN_H
#define SYNWATCH_TEST_TUI_SCREEN_H

#include <stdbool.h>

#include "tui/tui_panel.h"

#define SROWS 64
#define SCOLS 200

struct screen {
	struct tui_sink s;
	char cell[SROWS][SCOLS][5];  /* each column's character, UTF-8, NUL-terminated */
	unsigned style[SROWS][SCOLS];
	unsigned puts;               /* calls to put() so far */
	int cy, cx;                  /* where the cursor was put */
};

void screen_init(struct screen *sc, int cols, int rows);
/* Row y as text without its trailing blanks (a static buffer, valid until the next call). */
const char *screen_row(struct screen *sc, int y);
/* The first row holding text, or -1. */
int screen_find(struct screen *sc, const char *text);
void screen_dump(struct screen *sc);

/* A panel over a capture file read to its end (speed 0) unless step, drawn once into its screen. */
struct rig {
	struct pipeline *pl;
	struct tui_opts o;
	struct tui *t;
	struct screen sc;
};
bool rig_open_file(struct rig *r, const char *file, int cols, int rows, bool step);
void rig_close(struct rig *r);
/* A key as the loop handles it: its flags, the screen drawn after. */
unsigned press(struct rig *r, int key);

#define SEE(sc, text)                                  \
	do {                                           \
		if (screen_find(sc, text) < 0)         \
			screen_dump(sc);               \
		CU_ASSERT(screen_find(sc, text) >= 0); \
	} while (0)

#endif
