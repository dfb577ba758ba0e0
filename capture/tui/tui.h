/* tui.h — the live ncurses observer: packet list, flows, ladder, details, follow, replay control. */
#ifndef SYNWATCH_TUI_H
#define SYNWATCH_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/pipeline.h"

/*
 * tui_run() returns this (never a process exit status: it is negative) when it cannot take the terminal:
 * TERM unset, empty or "dumb", stdin or stdout not a terminal, or curses cannot set the terminal up.
 * Nothing has been read from the pipeline and the terminal is untouched; the caller falls back to the
 * text view on the same pipeline.
 */
#define TUI_FALLBACK_TEXT (-1)


/* How the TUI runs; fill with tui_opts_default() and override what the command line set. */
struct tui_opts {
	double speed;         /* replay (-r) speed factor: 1.0 original timing (default), 2.0 twice as fast,
				 0.5 half, 0 as fast as possible; ignored for live capture */
	bool step;            /* start paused (--step): replay shows nothing until `s` or space; live
				 capture keeps counting while the list stays frozen */
	uint64_t spool_max;   /* --spool-max: the spool's disk budget in bytes (0: 2 GiB); the oldest part
				 goes first */
	bool no_color;        /* --no-color: attributes only (NO_COLOR in the environment does the same) */
	struct session *session; /* the classroom: packets merged with socket calls, the socket table; or NULL */
	bool explain;         /* the footer explains the selected packet in a sentence (also with --step) */
	const char *notice;   /* a line the footer shows at start ("" or NULL: none) */
	struct progtty *program; /* --trace: the command's terminal (calls/progtty.h), shown in the lower slot
				    and typed to from a prompt; NULL: none */
};

struct progtty; /* calls/progtty.h: opened by the caller, read and typed to by the panel's loop */
struct session; /* calls/session.h: set up by the caller, read and merged by the panel's loop */
#define TUI_SOCKETS_EVERY_MS 150

void tui_opts_default(struct tui_opts *o);

/*
 * Run the interactive view over an open pipeline until the user quits (q, F10), a signal asks to stop
 * (SIGINT, SIGTERM, SIGHUP) or a fatal error. The source, capture filter and link type come from
 * pipeline_*(). The terminal is restored on every return. The pipeline stays open: the caller closes it.
 * Returns EXIT_OK, EXIT_FAILURE_RUNTIME (capture error or out of memory; one line on stderr after the
 * terminal is restored), or TUI_FALLBACK_TEXT (see above).
 */
int tui_run(struct pipeline *pl, const struct tui_opts *o);

#endif
