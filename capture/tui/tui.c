/* tui.c — the panel's main loop: packets in, keys, drawing the panes, sleeping until something happens. */
#include "tui/tui.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/tui_panel.h"
#include "tui/tui_term.h"

#define TUI_FRAME_NS (33 * 1000000LL)  /* at most ~30 redraws a second */
#define TUI_FLOWS_NS (250 * 1000000LL) /* the flows pane follows new packets at most 4 times a second */
#define TUI_GRAPH_NS (250 * 1000000LL) /* ... and so does the graph (a whole plot changes as its axis grows) */

void tui_opts_default(struct tui_opts *o)
{
	o->speed = 1.0;
	o->step = false;
	o->spool_max = 0;
	o->no_color = false;
}

/* ---------------------------------------------------------------- the model's news ---- */

static void tui_on_changed(void *arg, unsigned flags)
{
	struct tui *t = arg;
	if (t->lower == LOWER_GRAPH && (flags & D_LOWER)) /* new rows: the graph waits for its D_GRAPHDATA turn */
		flags = (flags & ~(unsigned)D_LOWER) | D_GRAPHDATA;
	t->dirty |= flags;
}

static void tui_on_note(void *arg, enum model_note what, const char *text)
{
	struct tui *t = arg;
	char q[16];
	if (what == NOTE_CAPTURE_FAILED && t->m.live)
		t->dirty |= tui_message(t, true, "capture stopped: %s (%s quits)", text, keys_first(ACT_QUIT, q, sizeof q));
	else if (what == NOTE_CAPTURE_FAILED) { /* a file cut short or damaged: what came before it stays */
		struct pipeline_stats ps;
		pipeline_stats(t->m.pl, &ps);
		t->dirty |= tui_message(t, true, "reading stopped after packet %" PRIu64 ": %s; the packets before it are indexed",
					ps.packets, text);
	}
	else if (what == NOTE_PROGRAM_FAILED)
		t->dirty |= tui_message(t, true, "%s; %s quits", text, keys_first(ACT_QUIT, q, sizeof q));
	else if (what == NOTE_FILTER_LINKTYPE || what == NOTE_STORE)
		t->dirty |= tui_message(t, true, "%s", text);
	else
		t->dirty |= tui_message(t, false, "%s; %s quits", text, keys_first(ACT_QUIT, q, sizeof q));
}

static const struct model_hooks tui_hooks = { tui_on_changed, tui_on_note };

/* The list's rows came or went: keep its count, and the selection on the newest while it follows. */
static void tui_sync_list(struct tui *t)
{
	size_t vis = model_visible(&t->m);
	struct listview *lv = &t->list.lv;
	bool passed = model_filter_progress(&t->m) >= 1;
	if (t->list.keep_row != STORE_NONE && (passed || store_match_done(t->m.match) > t->list.keep_row)) {
		uint64_t row = t->list.keep_row;
		t->list.keep_row = STORE_NONE;
		t->dirty |= list_select_row(t, row);
	}
	if (t->prompt.report && passed) {
		t->prompt.report = false;
		t->dirty |= tui_message(t, false, "view filter \"%s\": %zu of %" PRIu64 " packets", t->m.vf_text, vis,
					store_packets(t->m.st));
	}
	if (vis == lv->count)
		return;
	bool moved = lv->follow || vis < lv->count;
	lv_set_count(lv, vis, tui_pane_rows(t, PANE_LIST));
	t->dirty |= D_LIST;
	/* The selection following new packets: the flows pane waits for its D_FLOWDATA turn. */
	if (moved && !t->ladder.driven)
		t->dirty |= (tui_list_moved(t) & ~(unsigned)D_FLOWS) | D_FLOWDATA;
}

/* ---------------------------------------------------------------- the panel ---- */

struct tui *tui_new(struct pipeline *pl, const struct tui_opts *o, const char **what)
{
	struct tui *t = calloc(1, sizeof *t);
	if (!t) {
		*what = "out of memory starting the terminal view";
		return NULL;
	}
	t->o = o;
	t->zoom = -1;
	t->ladder.headers = 2;
	t->show_sockets = o->session && session_shows_sockets(o->session);
	t->footer.explain = o->explain || o->step || o->session;
	if (o->program)
		t->lower = LOWER_PROGRAM; /* --trace: what the command says is the first thing to read */
	lv_init(&t->list.lv);
	lv_init(&t->flows.lv);
	lv_init(&t->ladder.lv);
	bool ok = model_init(&t->m, pl, o, &tui_hooks, t, what);
	t->ladder.rows = calloc(TUI_LADDER_ROWS, sizeof *t->ladder.rows);
	if (!ok || !t->ladder.rows) {
		tui_free(t);
		return NULL;
	}
	t->list.keep_row = STORE_NONE;
	t->dirty = D_ALL;
	if (o->notice && o->notice[0])
		tui_message(t, true, "%s", o->notice);
	t->status.rate_wall = clock_mono_ns();
	return t;
}

void tui_free(struct tui *t)
{
	if (!t)
		return;
	model_free(&t->m);
	graph_free_pane(&t->graph);
	free(t->kernel.k[0]);
	free(t->kernel.k[1]);
	free(t->ladder.rows);
	free(t->follow.mark);
	free(t);
}

/* ---------------------------------------------------------------- drawing ---- */

void tui_draw(struct tui *t, struct tui_sink *s)
{
	int64_t now = clock_mono_ns();
	bool flows_due = (t->dirty & (D_FLOWS | D_CLEAR)) || ((t->dirty & D_FLOWDATA) && now - t->flows_drawn >= TUI_FLOWS_NS);
	if (flows_due) {
		t->dirty |= D_FLOWS;
		t->flows_drawn = now;
	}
	bool lower_due = (t->dirty & (D_LOWER | D_CLEAR)) || ((t->dirty & D_GRAPHDATA) && now - t->lower_drawn >= TUI_GRAPH_NS);
	if (t->dirty & D_GRAPHDATA)
		graph_catch_up(t);
	if (lower_due) {
		t->dirty |= D_LOWER;
		t->lower_drawn = now;
	}
	t->rows = s->rows;
	t->cols = s->cols;
	layout_compute(&t->lay, s->rows, s->cols, t->zoom, t->lay.footer_h);
	tui_sync_list(t);
	/* The footer's text (after the list's news, which may be a message) and the rows it needs. */
	int fh = t->prompt.kind != PR_NONE ? 1 : footer_prepare(t, s->cols);
	if (fh != t->lay.footer_h) { /* the panes above move: all of them again */
		layout_compute(&t->lay, s->rows, s->cols, t->zoom, fh);
		t->dirty |= D_ALL | D_CLEAR;
	}
	if (t->o->program) /* a traced program's terminal is the program pane, less its lines' prefix */
		progtty_resize(t->o->program, tui_pane_rows(t, PANE_LOWER), progtty_text_cols(t->o->program, s->cols));
	if (t->dirty & D_CLEAR)
		s->clear(s);
	if (t->lay.too_small) {
		char q[16];
		s->clear(s);
		snprintf(t->line, sizeof t->line, "synwatch needs %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS);
		sink_put(s, s->rows / 2 - 1, 0, s->cols, t->line, SM_BOLD, false);
		snprintf(t->line, sizeof t->line, "this terminal is %dx%d", s->cols, s->rows);
		sink_put(s, s->rows / 2, 0, s->cols, t->line, ROLE_NORMAL, false);
		snprintf(t->line, sizeof t->line, "enlarge it, or %s quits", keys_first(ACT_QUIT, q, sizeof q));
		sink_put(s, s->rows / 2 + 1, 0, s->cols, t->line, ROLE_NORMAL, false);
	} else if (t->ov == OV_FOLLOW) {
		pane_follow.draw(t, s, 0, s->rows);
	} else {
		if (t->dirty & (D_STATUS | D_LIST | D_CLEAR))
			pane_status.draw(t, s, 0, 2);
		if (t->lay.h[PANE_LIST] > 0 && (t->dirty & (D_LIST | D_CLEAR)))
			pane_list.draw(t, s, t->lay.y[PANE_LIST], t->lay.h[PANE_LIST]);
		/* The flow table is drawn (keeping its selection in step) even when zoomed away. */
		if (t->dirty & (D_FLOWS | D_CLEAR))
			(t->show_sockets && t->lay.h[PANE_FLOWS] > 0 ? &pane_sockets : &pane_flows)
				->draw(t, s, t->lay.y[PANE_FLOWS], t->lay.h[PANE_FLOWS]);
		if (t->lay.h[PANE_LOWER] > 0 && (t->dirty & (D_LOWER | D_CLEAR)))
			tui_slot_pane(t, PANE_LOWER)->draw(t, s, t->lay.y[PANE_LOWER], t->lay.h[PANE_LOWER]);
		if (t->ov == OV_HELP)
			pane_help.draw(t, s, 0, s->rows);
		(t->prompt.kind != PR_NONE ? &pane_prompt : &pane_footer)->draw(t, s, t->lay.footer_y, t->lay.footer_h);
	}
	t->dirty = (flows_due ? 0 : t->dirty & D_FLOWDATA) | (lower_due ? 0 : t->dirty & D_GRAPHDATA);
	t->last_draw = clock_mono_ns();
}

/* ---------------------------------------------------------------- the loop ---- */

/* The reader thread's turn (under the lock): packets indexed, the view filter's pass. */
static unsigned tui_reader_turn(void *arg)
{
	struct tui *t = arg;
	int64_t wait_ns;
	model_pump(&t->m, &wait_ns);
	return (t->m.more ? READER_MORE : 0) | (t->m.ended ? READER_ENDED : 0) | (t->dirty ? READER_NEWS : 0);
}

/* Draw what is due and stage it for the terminal. */
static void tui_frame(struct tui *t, struct tui_term *term)
{
	tui_draw(t, term_sink(term));
	term_stage(term, t->prompt.kind != PR_NONE);
}

int tui_run(struct pipeline *pl, const struct tui_opts *o)
{
	if (!term_usable())
		return TUI_FALLBACK_TEXT;
	struct tui_opts defaults;
	if (!o) {
		tui_opts_default(&defaults);
		o = &defaults;
	}
	const char *what = "";
	struct tui *t = tui_new(pl, o, &what);
	if (!t) {
		fprintf(stderr, "synwatch: %s\n", what);
		return EXIT_FAILURE_RUNTIME;
	}
	struct tui_term term;
	if (!term_open(&term, o->no_color)) {
		tui_free(t);
		return TUI_FALLBACK_TEXT;
	}
	t->status.rate_wall = clock_mono_ns();
	t->utf8 = term.utf8;
	if (t->m.paused && !t->m.live) {
		char s[16], sp[16], h[16];
		t->dirty |= tui_message(t, false, "paused before the first packet: %s steps one, %s plays, %s help",
					keys_first(ACT_STEP, s, sizeof s), keys_first(ACT_PAUSE, sp, sizeof sp),
					keys_first(ACT_HELP, h, sizeof h));
	}

	int code = EXIT_OK;
	int fd = pipeline_fd(pl);
	/* The first screen at once; then a thread indexes (a file) or captures (live) while the main thread
	   holds the lock except around terminal I/O and sleep. Without a thread the loop does it itself. */
	tui_frame(t, &term);
	term_flush(&term);
	t->m.yield = &t->rd.want;
	bool threaded = reader_start(&t->rd, fd, tui_reader_turn, t);
	if (!threaded)
		t->m.yield = NULL;
	reader_lock(&t->rd);
	for (;;) {
		if (term_stop_signal())
			break;
		int64_t wait_ns = -1;
		if (!threaded)
			model_pump(&t->m, &wait_ns);
		model_session_pump(&t->m);
		kernel_sample(t);
		t->dirty |= program_pump(t);
		if (threaded)
			model_advance(&t->m, &wait_ns);
		if (t->m.fastfwd && model_done(&t->m)) {
			t->m.fastfwd = false;
			tui_sync_list(t);
			lv_end(&t->list.lv, tui_pane_rows(t, PANE_LIST));
			t->dirty |= tui_list_moved(t);
		}

		/* keyboard and mouse (reading the terminal: without the lock) */
		bool quit = false;
		for (int i = 0; i < 64 && !quit; i++) {
			struct tui_mouse mouse;
			reader_unlock(&t->rd);
			int key = term_key(&term, &mouse);
			reader_lock(&t->rd);
			if (key < 0)
				break;
			unsigned f = tui_key(t, key, &mouse);
			if (f & K_REPAINT)
				term_repaint(&term);
			t->dirty |= f & (D_ALL | D_FLOWDATA);
			quit = f & K_QUIT;
		}
		if (quit)
			break;

		int64_t now = clock_mono_ns();
		t->dirty |= status_tick(t, now);
		if (t->footer.msg[0] && now >= t->footer.msg_until)
			t->dirty |= D_FOOTER;
		if (t->dirty && now - t->last_draw >= TUI_FRAME_NS) {
			tui_frame(t, &term);
			/* The terminal write, which blocks while the terminal does not read: the reader goes on. */
			reader_unlock(&t->rd);
			term_flush(&term);
			reader_lock(&t->rd);
		}

		/* sleep until input, packets, the next frame, or the next replay packet */
		int64_t timeout_ns = 1000000000LL;
		if (t->m.more && !threaded)
			timeout_ns = 0;
		if (wait_ns >= 0 && wait_ns < timeout_ns)
			timeout_ns = wait_ns;
		if (t->dirty) {
			int64_t frame = t->last_draw + TUI_FRAME_NS - now;
			if (frame < timeout_ns)
				timeout_ns = frame > 0 ? frame : 0;
		}
		if (t->m.session && timeout_ns > 20 * 1000000LL) /* calls, held packets and sockets come due */
			timeout_ns = 20 * 1000000LL;
		if (t->footer.msg[0] && t->footer.msg_until - now < timeout_ns)
			timeout_ns = t->footer.msg_until - now > 0 ? t->footer.msg_until - now : 0;
		struct pollfd pfd[4] = { { STDIN_FILENO, POLLIN, 0 }, { -1, POLLIN, 0 }, { -1, POLLIN, 0 }, { -1, POLLIN, 0 } };
		int nfd = 1;
		if (threaded)
			pfd[nfd++].fd = reader_wake_fd(&t->rd);
		else if (fd >= 0 && !t->m.ended) /* live, or a pipe */
			pfd[nfd++].fd = fd;
		int sfd = t->m.session && !t->m.program_end_shown ? session_poll_fd(t->m.session) : -1;
		if (sfd >= 0)
			pfd[nfd++].fd = sfd;
		if (o->program && !o->program->ended)
			pfd[nfd++].fd = o->program->fd;
		if (o->program && o->program->npart && timeout_ns > PROGTTY_HOLD_NS)
			timeout_ns = PROGTTY_HOLD_NS;
		int ms = (int)((timeout_ns + 999999) / 1000000);
		if (!t->dirty)
			reader_arm(&t->rd); /* nothing to draw: new packets wake us */
		reader_unlock(&t->rd);
		int prc = poll(pfd, (nfds_t)nfd, ms);
		int perr = errno;
		reader_lock(&t->rd);
		reader_disarm(&t->rd);
		if (prc < 0 && perr != EINTR) {
			snprintf(t->m.errtext, sizeof t->m.errtext, "poll: %s", strerror(perr));
			t->m.capture_error = true;
			break;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break; /* the terminal went away */
	}
	reader_unlock(&t->rd);
	reader_stop(&t->rd);

	term_close(&term);
	if (t->m.capture_error && t->m.pl_failed) {
		char msg[2048];
		code = pipeline_failure(t->m.pl, msg, sizeof msg);
		fprintf(stderr, "synwatch: %s\n", msg);
	} else if (t->m.capture_error) {
		fprintf(stderr, "synwatch: %s\n", t->m.errtext);
		code = EXIT_FAILURE_RUNTIME;
	}
	tui_free(t);
	return code;
}
