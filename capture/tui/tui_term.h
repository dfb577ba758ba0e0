/* tui_term.h — the terminal: the one owner of curses (set-up, restore, colours, keys, the screen sink, signals). */
#ifndef SYNWATCH_TUI_TERM_H
#define SYNWATCH_TUI_TERM_H

#include <signal.h>
#include <stdbool.h>

#include "tui/pane.h"

struct tui_term {
	void *screen;             /* curses' SCREEN */
	bool color;               /* colour pairs are in use (else attributes only) */
	bool utf8;                /* the locale's character set is UTF-8 (LANG/LC_ALL/LC_CTYPE): wide characters
				     such as braille may be drawn; else ASCII only */
	struct sigaction saved[3]; /* SIGINT, SIGTERM, SIGHUP as they were before */
	struct tui_sink sink;     /* the screen as a line sink */
};

/* TERM set and not "dumb", stdin and stdout terminals: curses may be tried. */
bool term_usable(void);
/*
 * Take the terminal: curses in raw-ish mode (cbreak, no echo, keypad, mouse), colours unless no_color or
 * NO_COLOR, and SIGINT/SIGTERM/SIGHUP only noted (term_stop_signal). The terminal is restored by
 * term_close() and, should the program exit first, at exit. false when curses cannot set it up
 * (nothing changed).
 */
bool term_open(struct tui_term *tm, bool no_color);
void term_close(struct tui_term *tm);
int term_stop_signal(void);          /* the signal that asked to stop, 0 while none */

/* The next key (pane.h's codes), or -1 when none is waiting; a mouse event fills *mouse. */
int term_key(struct tui_term *tm, struct tui_mouse *mouse);
/* The screen as a sink, sized as the terminal is now. */
struct tui_sink *term_sink(struct tui_term *tm);
/* After drawing: the cursor shown or hidden, the frame staged (term_flush sends it). */
void term_stage(struct tui_term *tm, bool cursor);
void term_flush(struct tui_term *tm); /* the staged frame to the terminal (blocks while it does not read) */
void term_repaint(struct tui_term *tm); /* the next flush rewrites every cell (Ctrl-L) */

#endif
