/* tui.c — the live ncurses observer: a poll loop over keyboard and capture (live: a reader thread), panes, keys, replay. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "decode/decode.h"
#include "calls/events.h"
#include "calls/explain.h"
#include "track/flow.h"
#include "view/ladder.h"
#include "source/filter.h"
#include "source/pipeline.h"
#include "calls/sockdiag.h"
#include "calls/timeline.h"
#include "tui/tui.h"
#include "tui/tui_core.h"

#define TUI_BATCH 4096                 /* packets pulled per loop turn before looking at the keyboard */
#define TUI_SLICE_NS (8 * 1000000LL)   /* ... or this much time */
#define TUI_FFWD_SLICE_NS (60 * 1000000LL) /* longer slices while fast-forwarding to the end */
#define TUI_FRAME_NS (33 * 1000000LL)  /* at most ~30 redraws a second */
#define TUI_FLOWS_NS (250 * 1000000LL) /* the flows pane follows new packets at most 4 times a second */
#define TUI_MSG_NS (6 * 1000000000LL)  /* how long a message replaces the key hints */
#define TUI_PEND_MAX 262144u           /* bytes kept of the one packet read ahead during timed replay */
#define TUI_PEND_NOTE 65535u           /* and of its comment, after them */
#define TUI_LADDER_ROWS 256            /* ladder rows rendered at once (more than any screen shows) */
#define TUI_LINE 1024                  /* longest line drawn */
#define TUI_SNAPLEN 262144             /* for the view filter and saved files */
#define TUI_FOLLOW_ROWS 512            /* follow view lines drawn at most (taller screens show that many) */
#define TUI_CALLS_MAX 1024             /* socket calls waiting for their place on the timeline */
#define TUI_HOLD_MAX 8192              /* live packets waiting (at most TUI_CALL_GRACE_MS) for the calls */
#define TUI_SOCK_ROWS 512              /* sockets the socket pane keeps */
#define TUI_READER_BATCH 1024          /* live: packets the reader thread takes per hold of the lock ... */
#define TUI_READER_SLICE_NS (2 * 1000000LL) /* ... or this much time */
#define TUI_READER_POLL_MS 250         /* the reader's poll wakes at least this often (stop has a pipe) */

/* Colour pairs. */
enum {
	CP_STATUS = 1, CP_HEADER, CP_SEL, CP_SYN, CP_FIN, CP_RST, CP_RETRANS, CP_ICMPERR, CP_UDP, CP_ICMP, CP_BAD,
	CP_CLIENT, CP_SERVER, CP_KEY, CP_ERROR, CP_TITLE,
};

enum lower_mode { LOWER_DETAILS, LOWER_LADDER };
enum overlay { OV_NONE, OV_HELP, OV_FOLLOW };
enum prompt { PR_NONE, PR_FILTER, PR_SAVE };

/* What to redraw. D_FLOWDATA: packets changed the flows pane; that redraw waits up to TUI_FLOWS_NS (the
   pane walks and sorts the whole flow table, which a flood of many flows makes costly). */
enum { D_STATUS = 1, D_LIST = 2, D_FLOWS = 4, D_LOWER = 8, D_FOOTER = 16, D_CLEAR = 32, D_ALL = 63, D_FLOWDATA = 64 };

static volatile sig_atomic_t tui_stop_sig; /* the signal that asked us to stop, 0 while running */
static bool tui_curses_active;             /* endwin() is owed */

/* One line of the follow view. */
struct follow_line {
	bool client;             /* sent by the client ('>') or the server ('<') */
	char text[TUI_LINE];
};

/*
 * Live capture is read by a thread of its own, so that neither drawing nor a terminal that stops reading
 * (a stalled tmux pane, a slow ssh link) keeps packets in the kernel's ring, which is what drops them.
 * The thread pulls packets through the pipeline (decode, track, -w) into the history and the views; the
 * main thread keeps curses, the keyboard and the classroom feed. Both touch struct tui and the pipeline
 * only while holding `lock`; the main thread lets go of it for every terminal write (doupdate) and read
 * (getch) and while it sleeps, so a blocked write never holds up capture.
 */
struct tui_reader {
	pthread_t thread;
	bool started;            /* the thread runs: the lock is in use, and it is joined at the end */
	pthread_mutex_t lock;    /* guards struct tui and the pipeline while the thread runs */
	atomic_bool stop;        /* main -> reader: finish now */
	atomic_bool want;        /* main waits for the lock: the reader lets go within TUI_READER_BATCH packets */
	atomic_bool armed;       /* main sleeps with nothing to draw: the reader wakes it when that changes */
	int wake[2];             /* pipe (non-blocking) through which the reader wakes the main thread's poll */
	int quit[2];             /* pipe through which the main thread wakes the reader's poll to stop it */
};

struct tui {
	struct pipeline *pl;
	const struct tui_opts *o;
	bool live, color;
	int linktype;
	struct tui_hist hist;
	struct seqring shown;    /* history seqs passing the view filter, in order */
	struct seqring flowpk;   /* history seqs of flow flowpk_id (ladder, follow) */
	uint64_t flowpk_id;      /* 0: flowpk not built */
	struct listview lv;      /* packet list over the visible part of shown */
	struct listview fv;      /* flow pane */
	uint64_t flow_sel_id;    /* flow pane selection, kept by id while flows come and go */
	struct listview ladv;    /* ladder over flowpk */
	uint64_t ladder_id;      /* the flow the ladder and follow view show */
	bool ladder_driven;      /* the current packet was chosen in the ladder, not the list */
	int ladder_headers;      /* header lines the ladder renderer drew last time */
	size_t lower_top;        /* details pane: first line shown */
	size_t follow_up;        /* follow view: lines scrolled up from the live end */
	int focus, zoom;
	enum lower_mode lower;
	enum overlay ov;
	enum prompt prompt;
	char input[512];         /* prompt text being edited */
	char rejected[512];      /* last filter libpcap refused, offered again by `/` */
	char msg[320];           /* message in the footer */
	bool msg_err;
	int64_t msg_until;
	struct filter *vf;       /* display filter, NULL for all */
	int vf_warned;           /* the link type the filter was last said to be invalid for (-1: none) */
	char vf_text[512];
	bool paused, ended, fastfwd, capture_error, more;
	bool pl_failed;          /* capture_error came from the pipeline (pipeline_failure words it) */
	char errtext[256];
	uint64_t frozen_next;    /* live pause: the list shows shown seqs below this */
	struct replay_clock clk;
	bool have_pending;       /* timed replay: the packet read ahead, not shown until due */
	struct tui_pkt pending;
	uint8_t *pend_buf;
	uint32_t pend_len;
	bool have_last;          /* a packet was released: last_ts is its time */
	int64_t last_ts;
	bool have_t0;            /* t0: first packet's time, base of the Time column */
	int64_t t0;
	bool cleared;            /* `c` was used: flows idle since clear_ns are hidden */
	int64_t clear_ns;
	uint64_t released;       /* packets put into the history */
	int64_t rate_wall;       /* rate: window start and count then */
	uint64_t rate_count;
	double rate;
	unsigned dirty;
	int64_t last_draw;
	int64_t flows_drawn;     /* when the flows pane was last drawn (for D_FLOWDATA) */
	struct tui_layout lay;
	struct packet scratch;   /* re-decoding stored bytes for details/ladder */
	struct ladder_row *lrows;
	struct follow_line *fol; /* TUI_FOLLOW_ROWS lines */
	char line[TUI_LINE];
	/* Classroom view (o->feed): calls on the timeline, the socket table, explanations. */
	const struct tui_feed *feed;
	bool hold_live;          /* live packets wait in hold for the calls */
	struct tui_hist hold;    /* those packets, oldest first */
	struct sock_event *calls; /* calls not yet placed, sorted by timeline_call_key */
	size_t ncalls;
	struct tl_flows *recent; /* flows of the packets placed, for matching calls */
	struct sockdiag_row *sock; /* the socket table as last read */
	size_t nsock;
	int64_t sock_next;       /* when to read it again (tui_now) */
	char sock_err[160];      /* why it cannot be read, "" when it can */
	bool show_sockets;       /* the flows pane shows the socket table (k toggles) */
	bool explain;            /* the footer explains the current packet (e toggles) */
	bool feed_ended_shown;   /* the feed's status line was put in the footer */
	struct tui_reader rd;    /* live capture's reader thread */
};

static int64_t tui_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void tui_opts_default(struct tui_opts *o)
{
	o->speed = 1.0;
	o->step = false;
	o->history = TUI_DEFAULT_HISTORY;
	o->history_bytes = TUI_DEFAULT_HISTORY_BYTES;
	o->no_color = false;
}

/* ---------------------------------------------------------------- terminal ownership ---- */

static void tui_on_signal(int sig)
{
	tui_stop_sig = sig;
}

static void tui_atexit(void)
{
	if (tui_curses_active) {
		endwin();
		tui_curses_active = false;
	}
}

struct tui_sigsave {
	struct sigaction act[3];
};
static const int tui_sigs[3] = { SIGINT, SIGTERM, SIGHUP };

static void tui_signals_install(struct tui_sigsave *save)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(tui_sigs[i], &sa, &save->act[i]);
}

static void tui_signals_restore(const struct tui_sigsave *save)
{
	for (int i = 0; i < 3; i++)
		sigaction(tui_sigs[i], &save->act[i], NULL);
}

static bool tui_terminal_usable(void)
{
	const char *term = getenv("TERM");
	return term && *term && strcmp(term, "dumb") != 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void tui_colors_init(struct tui *t)
{
	const char *nc = getenv("NO_COLOR");
	t->color = !t->o->no_color && !(nc && *nc) && has_colors();
	if (!t->color)
		return;
	start_color();
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	init_pair(CP_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_HEADER, COLOR_BLACK, COLOR_GREEN);
	init_pair(CP_SEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_SYN, COLOR_GREEN, bg);
	init_pair(CP_FIN, COLOR_YELLOW, bg);
	init_pair(CP_RST, COLOR_WHITE, COLOR_RED);
	init_pair(CP_RETRANS, COLOR_RED, bg);
	init_pair(CP_ICMPERR, COLOR_BLACK, COLOR_YELLOW);
	init_pair(CP_UDP, COLOR_CYAN, bg);
	init_pair(CP_ICMP, COLOR_MAGENTA, bg);
	init_pair(CP_BAD, COLOR_RED, bg);
	init_pair(CP_CLIENT, COLOR_RED, bg);
	init_pair(CP_SERVER, COLOR_BLUE, bg);
	init_pair(CP_KEY, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(CP_TITLE, COLOR_BLACK, COLOR_WHITE);
}

/* An attribute with colour when we have it, the plain fallback otherwise. */
static attr_t tui_attr(const struct tui *t, int pair, attr_t extra, attr_t plain)
{
	return t->color ? (attr_t)COLOR_PAIR(pair) | extra : plain;
}

static attr_t tui_class_attr(const struct tui *t, enum row_class c)
{
	switch (c) {
	case RC_SYN:
		return tui_attr(t, CP_SYN, 0, A_BOLD);
	case RC_FIN:
		return tui_attr(t, CP_FIN, 0, A_BOLD);
	case RC_RST:
		return tui_attr(t, CP_RST, A_BOLD, A_BOLD | A_UNDERLINE);
	case RC_RETRANS:
		return tui_attr(t, CP_RETRANS, A_BOLD, A_UNDERLINE);
	case RC_ICMP_ERR:
		return tui_attr(t, CP_ICMPERR, 0, A_BOLD | A_UNDERLINE);
	case RC_UDP:
		return tui_attr(t, CP_UDP, 0, A_NORMAL);
	case RC_ICMP:
		return tui_attr(t, CP_ICMP, 0, A_NORMAL);
	case RC_BAD:
		return tui_attr(t, CP_BAD, 0, A_DIM);
	default:
		return A_NORMAL;
	}
}

/* ---------------------------------------------------------------- drawing helpers ---- */

/* Draw text at (y, x) in at most w columns (multibyte aware, never wrapping); pad with spaces if asked. */
static void tui_put(int y, int x, int w, const char *s, attr_t attr, bool pad)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset(attr);
	move(y, x);
	int col = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	const char *p = s;
	size_t left = strlen(s);
	while (left && col < w) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) { /* not valid here: show one byte as '?' */
			memset(&st, 0, sizeof st);
			addch('?');
			col++;
			p++;
			left--;
			continue;
		}
		if (n == 0)
			break;
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (col + cw > w)
			break;
		addnstr(p, (int)n);
		col += cw;
		p += n;
		left -= n;
	}
	if (pad)
		for (; col < w; col++)
			addch(' ');
	attr_set(old_attr, old_pair, NULL);
}

static void tui_fill(int y, int x, int w, attr_t attr)
{
	tui_put(y, x, w, "", attr, true);
}

__attribute__((format(printf, 3, 4))) static void tui_message(struct tui *t, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_err = err;
	t->msg_until = tui_now() + TUI_MSG_NS;
	t->dirty |= D_FOOTER;
}

/* Rows of a pane available for list rows (its title line excluded). */
static int tui_pane_rows(const struct tui *t, int pane)
{
	int h = t->lay.h[pane] - 1;
	if (pane == PANE_LOWER && t->lower == LOWER_LADDER)
		h -= t->ladder_headers;
	return h > 1 ? h : 1;
}

/* ---------------------------------------------------------------- history and views ---- */

/* Shown packets the list may display: all of them, or those before the freeze of a live pause. */
static size_t tui_visible(const struct tui *t)
{
	if (t->live && t->paused)
		return seqring_lower_bound(&t->shown, t->frozen_next);
	return t->shown.count;
}

static struct tui_pkt *tui_list_pkt(const struct tui *t, size_t i, uint64_t *seq)
{
	if (i >= t->lv.count)
		return NULL;
	uint64_t s = seqring_at(&t->shown, i);
	if (seq)
		*seq = s;
	return hist_get(&t->hist, s);
}

/* The packet the details pane and the ladder highlight. */
static struct tui_pkt *tui_current(const struct tui *t, uint64_t *seq)
{
	if (t->ladder_driven && t->ladv.count && t->flowpk_id == t->ladder_id) {
		uint64_t s = seqring_at(&t->flowpk, t->ladv.sel);
		if (seq)
			*seq = s;
		return hist_get(&t->hist, s);
	}
	if (!t->lv.count)
		return NULL;
	return tui_list_pkt(t, t->lv.sel, seq);
}

/* Make flowpk hold flow id's packets (one pass over the history when the flow changes). */
static void tui_flowpk_build(struct tui *t, uint64_t id)
{
	if (t->flowpk_id == id)
		return;
	seqring_clear(&t->flowpk);
	t->flowpk_id = id;
	for (uint64_t s = t->hist.first; id && s < t->hist.next; s++)
		if (hist_get(&t->hist, s)->flow_id == id)
			seqring_push(&t->flowpk, s);
	lv_init(&t->ladv);
	lv_set_count(&t->ladv, t->flowpk.count, tui_pane_rows(t, PANE_LOWER));
}

/* After the list selection moved: the ladder follows the selected packet's flow. */
static void tui_list_moved(struct tui *t)
{
	t->ladder_driven = false;
	uint64_t seq;
	struct tui_pkt *p = tui_current(t, &seq);
	t->lower_top = 0;
	if (p && p->flow_id) {
		t->ladder_id = p->flow_id;
		t->flow_sel_id = p->flow_id;
	}
	t->dirty |= D_LIST | D_LOWER | D_FLOWS;
}

/* Select the ladder row of seq (building the flow's index if needed). */
static void tui_ladder_select_seq(struct tui *t, uint64_t seq)
{
	tui_flowpk_build(t, t->ladder_id);
	size_t i;
	if (seqring_find(&t->flowpk, seq, &i))
		lv_select(&t->ladv, i, tui_pane_rows(t, PANE_LOWER));
}

/* After the ladder selection moved: the list selects the same packet when it shows it. */
static void tui_ladder_moved(struct tui *t)
{
	t->ladder_driven = true;
	t->lower_top = 0;
	if (t->ladv.count) {
		uint64_t seq = seqring_at(&t->flowpk, t->ladv.sel);
		size_t i;
		if (seqring_find(&t->shown, seq, &i) && i < t->lv.count)
			lv_select(&t->lv, i, tui_pane_rows(t, PANE_LIST));
	}
	t->dirty |= D_LIST | D_LOWER;
}

static void tui_after_evict(struct tui *t)
{
	size_t k = seqring_trim(&t->shown, t->hist.first);
	if (k) {
		lv_drop_front(&t->lv, k, tui_pane_rows(t, PANE_LIST));
		t->dirty |= D_LIST | D_LOWER;
	}
	size_t kf = seqring_trim(&t->flowpk, t->hist.first);
	if (kf) {
		lv_drop_front(&t->ladv, kf, tui_pane_rows(t, PANE_LOWER));
		t->dirty |= D_LOWER;
	}
}

/* Does p pass the display filter? A link type the expression is invalid for hides its packets (said once). */
static bool tui_filter_pkt(struct tui *t, const struct tui_pkt *p)
{
	if (p->is_call || !t->vf)
		return true;
	int m = filter_run(t->vf, p->linktype, hist_bytes(&t->hist, p), p->stored, p->len);
	if (m < 0 && t->vf_warned != p->linktype) {
		t->vf_warned = p->linktype;
		const char *lt = linktype_name(p->linktype);
		tui_message(t, true, "view filter is invalid for link type %s (%s): its packets are hidden", lt ? lt : "?",
			    filter_why(t->vf, p->linktype));
	}
	return m > 0;
}

/* Put one packet into the history and the views. */
static void tui_ingest(struct tui *t, const struct tui_pkt *e, const uint8_t *data, uint32_t caplen)
{
	uint64_t first = t->hist.first, seq;
	struct tui_pkt *p = hist_push(&t->hist, e, data, caplen, &seq);
	if (t->hist.first != first)
		tui_after_evict(t);
	p->match = tui_filter_pkt(t, p);
	if (t->recent && !p->is_call && p->flow_id) {
		const struct flow *f = flowtab_find(pipeline_flows(t->pl), p->flow_id);
		if (f)
			tl_flows_note(t->recent, f);
	}
	if (!t->have_t0) {
		t->have_t0 = true;
		t->t0 = p->ts_ns;
	}
	t->have_last = true;
	t->last_ts = p->ts_ns;
	t->released++;
	t->dirty |= D_STATUS | D_FLOWDATA;
	if (p->match) {
		seqring_push(&t->shown, seq);
		size_t vis = tui_visible(t);
		if (vis != t->lv.count) {
			bool moved = t->lv.follow;
			lv_set_count(&t->lv, vis, tui_pane_rows(t, PANE_LIST));
			t->dirty |= D_LIST;
			if (moved && !t->ladder_driven) {
				unsigned flows = t->dirty & D_FLOWS;
				tui_list_moved(t);
				/* the flow selection following new packets: a packet-driven change too */
				t->dirty = (t->dirty & ~D_FLOWS) | flows | D_FLOWDATA;
			}
		}
	}
	if (p->flow_id && p->flow_id == t->flowpk_id) {
		seqring_push(&t->flowpk, seq);
		lv_set_count(&t->ladv, t->flowpk.count, tui_pane_rows(t, PANE_LOWER));
		t->dirty |= D_LOWER;
	}
}

/* The event of a call row, copied out of the history (NULL when its bytes were not kept). */
static const struct sock_event *tui_call_event(const struct tui *t, const struct tui_pkt *p, struct sock_event *ev)
{
	if (!p->is_call || p->stored != sizeof *ev)
		return NULL;
	memcpy(ev, hist_bytes(&t->hist, p), sizeof *ev);
	return ev;
}

/* The end that made a call: the flow's (client 0, server 1), else what the event says. */
static int tui_call_side(const struct tui_pkt *p, const struct sock_event *ev)
{
	if (p->flow_id)
		return p->dir ? 1 : 0;
	if (strcmp(ev->role, "server") == 0)
		return 1;
	return strcmp(ev->role, "client") == 0 ? 0 : -1;
}

/* Put a call on the timeline: matched to the flow of a packet still waiting (a connect before its SYN),
   else to the most recent flow placed. */
static void tui_place_call(struct tui *t, const struct sock_event *ev)
{
	struct tui_pkt e;
	memset(&e, 0, sizeof e);
	e.is_call = true;
	e.ts_ns = timeline_call_key(ev);
	enum flow_dir side = DIR_C2S;
	bool before = e.ts_ns < ev->ts_us * 1000;
	bool found = false;
	for (uint64_t s = t->hold.first; before && t->hold_live && s < t->hold.next && !found; s++) {
		const struct tui_pkt *h = hist_get(&t->hold, s);
		const struct flow *f = h->flow_id ? flowtab_find(pipeline_flows(t->pl), h->flow_id) : NULL;
		if (f && timeline_event_side(ev, f, &side)) {
			e.flow_id = f->id;
			e.before[0] = e.after[0] = h->before[0];
			e.before[1] = e.after[1] = h->before[1];
			found = true;
		}
	}
	const struct flow *f = found || !t->recent ? NULL : tl_flows_match(t->recent, ev, &side);
	if (f) {
		const struct flow *live = flowtab_find(pipeline_flows(t->pl), f->id);
		e.flow_id = f->id;
		for (int i = 0; i < 2; i++)
			e.before[i] = e.after[i] = (uint8_t)(live ? live->state[i] : f->state[i]);
		found = true;
	}
	e.dir = (uint8_t)side;
	e.proto = f ? f->proto : 0;
	tui_ingest(t, &e, (const uint8_t *)ev, sizeof *ev);
}

/* Place the waiting calls that stand before ts_ns (all with INT64_MAX). */
static void tui_calls_until(struct tui *t, int64_t ts_ns)
{
	size_t k = 0;
	while (k < t->ncalls && timeline_call_key(&t->calls[k]) <= ts_ns)
		tui_place_call(t, &t->calls[k++]);
	if (k) {
		memmove(t->calls, t->calls + k, (t->ncalls - k) * sizeof *t->calls);
		t->ncalls -= k;
	}
}

/* A packet the pipeline gave: straight into the history (after the calls before it), or into hold. */
static void tui_take(struct tui *t, const struct tui_pkt *e, const uint8_t *data, uint32_t caplen)
{
	if (t->hold_live) {
		while (hist_count(&t->hold) && !hist_room(&t->hold, caplen)) {
			/* full: the oldest goes now (hist_push would drop it unseen) */
			struct tui_pkt *h = hist_get(&t->hold, t->hold.first);
			tui_calls_until(t, h->ts_ns);
			tui_ingest(t, h, hist_bytes(&t->hold, h), h->stored);
			t->hold.first++;
		}
		uint64_t seq;
		hist_push(&t->hold, e, data, caplen, &seq);
		return;
	}
	if (t->feed)
		tui_calls_until(t, e->ts_ns);
	tui_ingest(t, e, data, caplen);
}

/* Calls in (kept sorted), and what waited long enough out, in time order. */
static void tui_feed_pump(struct tui *t)
{
	if (!t->feed)
		return;
	if (t->feed->calls) {
		struct sock_event ev;
		while (t->ncalls < TUI_CALLS_MAX && t->feed->calls(t->feed->arg, &ev, 1) == 1) {
			int64_t key = timeline_call_key(&ev);
			size_t pos = t->ncalls;
			while (pos > 0 && timeline_call_key(&t->calls[pos - 1]) > key)
				pos--;
			memmove(t->calls + pos + 1, t->calls + pos, (t->ncalls - pos) * sizeof *t->calls);
			t->calls[pos] = ev;
			t->ncalls++;
		}
	}
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	int64_t limit = (int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec - (int64_t)TUI_CALL_GRACE_MS * 1000000;
	bool full = t->ncalls == TUI_CALLS_MAX;
	if (t->hold_live) {
		while (hist_count(&t->hold)) {
			struct tui_pkt *h = hist_get(&t->hold, t->hold.first);
			if (h->ts_ns > limit && !full)
				break;
			tui_calls_until(t, h->ts_ns);
			tui_ingest(t, h, hist_bytes(&t->hold, h), h->stored);
			t->hold.first++;
			full = false;
		}
	}
	if (t->live || t->ended)
		tui_calls_until(t, t->ended ? INT64_MAX : full ? timeline_call_key(&t->calls[0]) : limit);
	if (t->feed->sockets && tui_now() >= t->sock_next) {
		t->sock_next = tui_now() + (int64_t)TUI_SOCKETS_EVERY_MS * 1000000;
		int n = sockdiag_snapshot(t->sock, TUI_SOCK_ROWS, t->feed->ports, t->feed->nports, t->sock_err,
					  sizeof t->sock_err);
		if (n >= 0) {
			t->nsock = (size_t)n < TUI_SOCK_ROWS ? (size_t)n : TUI_SOCK_ROWS;
			t->sock_err[0] = '\0';
		}
		t->dirty |= D_FLOWS;
	}
	if (t->feed->status && !t->feed_ended_shown && !t->ncalls && !(t->hold_live && hist_count(&t->hold))) {
		const char *st = t->feed->status(t->feed->arg);
		if (st) {
			t->feed_ended_shown = true;
			tui_message(t, false, "%s", st);
		}
	}
}

static void tui_release_pending(struct tui *t)
{
	if (!t->have_pending)
		return;
	t->have_pending = false;
	tui_take(t, &t->pending, t->pend_buf, t->pend_len);
}

/* Re-evaluate the display filter over the whole history, keeping the selected packet if still shown. */
static void tui_refilter(struct tui *t)
{
	uint64_t cur = 0;
	bool had = tui_list_pkt(t, t->lv.sel, &cur) != NULL;
	bool follow = t->lv.follow;
	seqring_clear(&t->shown);
	for (uint64_t s = t->hist.first; s < t->hist.next; s++) {
		struct tui_pkt *p = hist_get(&t->hist, s);
		p->match = tui_filter_pkt(t, p);
		if (p->match)
			seqring_push(&t->shown, s);
	}
	lv_init(&t->lv);
	t->lv.follow = follow;
	lv_set_count(&t->lv, tui_visible(t), tui_pane_rows(t, PANE_LIST));
	if (had && !follow && t->lv.count) {
		size_t i = seqring_lower_bound(&t->shown, cur);
		lv_select(&t->lv, i < t->lv.count ? i : t->lv.count - 1, tui_pane_rows(t, PANE_LIST));
	}
	tui_list_moved(t);
	t->dirty |= D_ALL;
}

static void tui_clear(struct tui *t)
{
	size_t n = hist_count(&t->hist);
	hist_clear(&t->hist);
	seqring_clear(&t->shown);
	seqring_clear(&t->flowpk);
	t->flowpk_id = 0;
	t->ladder_id = 0;
	t->ladder_driven = false;
	lv_init(&t->lv);
	lv_init(&t->ladv);
	t->frozen_next = t->hist.next;
	t->cleared = true;
	t->clear_ns = t->have_last ? t->last_ts : 0;
	t->dirty |= D_ALL;
	tui_message(t, false, "cleared %zu packets; flows idle since are hidden", n);
}

/* ---------------------------------------------------------------- capture ---- */

static void tui_capture_failed(struct tui *t)
{
	const char *e = pipeline_error(t->pl);
	snprintf(t->errtext, sizeof t->errtext, "%s", e && *e ? e : "capture error");
	t->capture_error = true;
	t->pl_failed = true;
	t->ended = true;
	tui_message(t, true, "capture stopped: %s (q quits)", t->errtext);
	t->dirty |= D_STATUS;
}

/*
 * Pull packets for one loop turn. Live: everything ready (also while paused). Replay: as their scaled
 * time comes (one packet read ahead), or all at once at speed 0 and when fast-forwarding. Sets t->more
 * when work is left and *wait_ns to the time until the next replay packet is due (-1: none).
 */
static void tui_pump(struct tui *t, int64_t *wait_ns)
{
	*wait_ns = -1;
	t->more = false;
	if (t->ended)
		return;
	int64_t start = tui_now();
	int64_t slice = t->fastfwd ? TUI_FFWD_SLICE_NS : t->rd.started ? TUI_READER_SLICE_NS : TUI_SLICE_NS;
	int batch = t->fastfwd ? TUI_BATCH * 64 : t->rd.started ? TUI_READER_BATCH : TUI_BATCH;
	for (int i = 0;; i++) {
		if (i >= batch ||
		    ((i & 255) == 255 && (tui_now() - start > slice || (t->rd.started && atomic_load(&t->rd.want))))) {
			t->more = true;
			return;
		}
		bool timed = !t->live && t->clk.speed > 0 && !t->fastfwd;
		if (!t->live && t->paused && !t->fastfwd)
			return;
		if (t->have_pending) {
			if (timed) {
				int64_t now = tui_now();
				if (!t->clk.anchored)
					clock_anchor(&t->clk, now, t->have_last ? t->last_ts : t->pending.ts_ns);
				int64_t due = clock_due_in(&t->clk, now, t->pending.ts_ns);
				if (due > 0) {
					*wait_ns = due;
					return;
				}
			}
			tui_release_pending(t);
			continue;
		}
		struct track_result tr;
		const struct packet *d;
		int r = pipeline_next_ref(t->pl, &d, &tr); /* *d is the pipeline's, valid until the next call */
		if (r == 0)
			return;
		if (r == -1) {
			t->ended = true;
			t->fastfwd = false;
			t->dirty |= D_STATUS;
			return;
		}
		if (r < 0) {
			tui_capture_failed(t);
			return;
		}
		struct tui_pkt e;
		tui_pkt_from(&e, d, &tr);
		if (timed) {
			t->pend_len = d->caplen < TUI_PEND_MAX ? d->caplen : TUI_PEND_MAX;
			memcpy(t->pend_buf, d->data, t->pend_len);
			if (e.comment) { /* kept beside the bytes: the reader's copy goes with the next packet */
				memcpy(t->pend_buf + t->pend_len, e.comment, e.comment_len);
				e.comment = (const char *)t->pend_buf + t->pend_len;
			}
			t->pending = e;
			t->have_pending = true;
			continue;
		}
		tui_take(t, &e, d->data, d->caplen);
	}
}

/* ---------------------------------------------------------------- replay control ---- */

static void tui_pause_toggle(struct tui *t)
{
	t->paused = !t->paused;
	if (t->live) {
		if (t->paused) {
			t->frozen_next = t->hist.next;
		} else {
			lv_set_count(&t->lv, tui_visible(t), tui_pane_rows(t, PANE_LIST));
			if (t->lv.follow)
				tui_list_moved(t);
		}
	} else if (!t->paused) {
		if (t->have_last && t->clk.speed > 0)
			clock_anchor(&t->clk, tui_now(), t->last_ts);
		else
			t->clk.anchored = false;
	}
	if (!t->live && t->ended && !t->paused)
		tui_message(t, false, "end of the capture: nothing more to play");
	t->dirty |= D_STATUS | D_LIST;
}

static void tui_step(struct tui *t)
{
	if (!t->paused) {
		tui_pause_toggle(t);
		if (t->live)
			return; /* the first `s` freezes the list */
	}
	if (t->explain && t->msg[0] && !t->msg_err) { /* a hint gives way to the explanation of the step */
		t->msg[0] = '\0';
		t->dirty |= D_FOOTER;
	}
	t->lv.follow = true;
	t->ladder_driven = false;
	if (t->live) {
		size_t i = seqring_lower_bound(&t->shown, t->frozen_next);
		if (i < t->shown.count)
			t->frozen_next = seqring_at(&t->shown, i) + 1;
		else
			tui_message(t, false, "no new packet yet (capture continues; space resumes)");
		lv_set_count(&t->lv, tui_visible(t), tui_pane_rows(t, PANE_LIST));
		tui_list_moved(t);
		return;
	}
	if (t->have_pending) {
		tui_release_pending(t);
	} else if (!t->ended) {
		struct track_result tr;
		const struct packet *d;
		int r;
		r = pipeline_next_ref(t->pl, &d, &tr); /* a live source is not stepped here */
		if (r == 0) {
			tui_message(t, false, "no packet in the pipe yet; s steps again");
		} else if (r == 1) {
			struct tui_pkt e;
			tui_pkt_from(&e, d, &tr);
			tui_ingest(t, &e, d->data, d->caplen);
		} else if (r == -1) {
			t->ended = true;
		} else {
			tui_capture_failed(t);
		}
	}
	if (t->ended && !t->have_pending)
		tui_message(t, false, "end of the capture");
	tui_list_moved(t);
	t->dirty |= D_STATUS;
}

static void tui_speed(struct tui *t, bool faster)
{
	if (t->live) {
		tui_message(t, false, "speed applies to replaying a file (-r)");
		return;
	}
	double s = faster ? speed_faster(t->clk.speed) : speed_slower(t->clk.speed);
	if (t->clk.speed > 0 && s > 0)
		clock_set_speed(&t->clk, tui_now(), s);
	else {
		clock_set_speed(&t->clk, tui_now(), s);
		if (s > 0 && t->have_last)
			clock_anchor(&t->clk, tui_now(), t->last_ts);
	}
	char b[16];
	tui_message(t, false, "replay speed %s", speed_str(s, b, sizeof b));
	t->dirty |= D_STATUS;
}

static void tui_end(struct tui *t)
{
	if (!t->live && !t->ended) {
		t->fastfwd = true;
		tui_release_pending(t);
	}
	lv_end(&t->lv, tui_pane_rows(t, PANE_LIST));
	tui_list_moved(t);
}

/* ---------------------------------------------------------------- filter and save ---- */

static void tui_apply_filter(struct tui *t, const char *expr)
{
	if (!*expr) {
		if (t->vf)
			filter_free(t->vf);
		t->vf = NULL;
		t->vf_text[0] = '\0';
		t->rejected[0] = '\0';
		tui_refilter(t);
		tui_message(t, false, "view filter cleared: all %zu packets shown", t->shown.count);
		return;
	}
	char err[PCAP_ERRBUF_SIZE + 64], why[PCAP_ERRBUF_SIZE];
	struct filter *f = filter_compile(expr, t->linktype, TUI_SNAPLEN, err, sizeof err);
	/* and for every other link type the capture has described (a pcapng file's interfaces) */
	for (size_t i = 0; f && i < pipeline_interfaces(t->pl); i++) {
		int lt = pipeline_interface(t->pl, i)->pub.linktype;
		if (!filter_prepare(f, lt, why, sizeof why)) {
			const char *name = linktype_name(lt);
			snprintf(err, sizeof err, "for link type %s: %s", name ? name : "?", why);
			filter_free(f);
			f = NULL;
		}
	}
	if (!f) {
		snprintf(t->rejected, sizeof t->rejected, "%s", expr);
		tui_message(t, true, "invalid filter: %s; kept %s%s%s (/ edits it again)", err,
			    *t->vf_text ? "\"" : "no filter", t->vf_text, *t->vf_text ? "\"" : "");
		return;
	}
	t->vf_warned = -1;
	if (t->vf)
		filter_free(t->vf);
	t->vf = f;
	snprintf(t->vf_text, sizeof t->vf_text, "%s", expr);
	t->rejected[0] = '\0';
	tui_refilter(t);
	tui_message(t, false, "view filter \"%s\": %zu of %zu packets", expr, t->shown.count, hist_count(&t->hist));
}

static void tui_save(struct tui *t, const char *path)
{
	if (!*path) {
		tui_message(t, true, "save: no file name given; nothing written");
		return;
	}
	/* A pcap file holds one link type: the first listed packet's. */
	int linktype = t->linktype;
	for (size_t i = 0; i < t->lv.count; i++) {
		struct tui_pkt *p = tui_list_pkt(t, i, NULL);
		if (!p->is_call) {
			linktype = p->linktype;
			break;
		}
	}
	bool nano = pipeline_nanosecond(t->pl);
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(linktype, TUI_SNAPLEN,
							    nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (!dead) {
		tui_message(t, true, "save: out of memory; nothing written");
		return;
	}
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	if (!d) {
		tui_message(t, true, "save: cannot write %s: %s; choose another name", path, pcap_geterr(dead));
		pcap_close(dead);
		return;
	}
	size_t n = 0, other = 0;
	for (size_t i = 0; i < t->lv.count; i++) {
		struct tui_pkt *p = tui_list_pkt(t, i, NULL);
		if (p->is_call)
			continue;
		if (p->linktype != linktype) {
			other++;
			continue;
		}
		struct pcap_pkthdr h;
		memset(&h, 0, sizeof h);
		int64_t sec = p->ts_ns / 1000000000LL, ns = p->ts_ns % 1000000000LL;
		if (ns < 0) {
			ns += 1000000000LL;
			sec--;
		}
		h.ts.tv_sec = (time_t)sec;
		h.ts.tv_usec = (suseconds_t)(nano ? ns : ns / 1000);
		h.caplen = p->stored;
		h.len = p->len;
		pcap_dump((u_char *)d, &h, hist_bytes(&t->hist, p));
		n++;
	}
	bool bad = pcap_dump_flush(d) != 0 || ferror(pcap_dump_file(d));
	pcap_dump_close(d);
	pcap_close(dead);
	const char *lt = linktype_name(linktype);
	if (bad)
		tui_message(t, true, "save: writing %s failed (disk full?); the file is incomplete", path);
	else if (other)
		tui_message(t, false, "saved %zu %s packets to %s; %zu of other link types left out (a pcap file holds one)",
			    n, lt ? lt : "", path, other);
	else
		tui_message(t, false, "saved %zu packets to %s", n, path);
}

/* ---------------------------------------------------------------- panes ---- */

static void tui_title(struct tui *t, int pane, const char *text)
{
	int y = t->lay.y[pane];
	attr_t a = t->focus == pane ? tui_attr(t, CP_HEADER, 0, A_REVERSE) : tui_attr(t, CP_TITLE, 0, A_REVERSE | A_DIM);
	tui_put(y, 0, COLS, text, a, true);
}

static void tui_draw_status(struct tui *t)
{
	struct pipeline_stats st;
	pipeline_stats(t->pl, &st);
	struct flowtab_stats fs;
	flowtab_stats(pipeline_flows(t->pl), &fs);
	uint64_t captured = st.packets - (t->have_pending ? 1 : 0);
	uint64_t flows = fs.flows_created - (t->have_pending && (t->pending.events & EV_NEW_FLOW) ? 1 : 0);
	const char *filter = pipeline_filter(t->pl);
	snprintf(t->line, sizeof t->line, " %s%s  capture: %s  view: %s", pipeline_source_name(t->pl),
		 t->live ? " (live)" : "", filter && *filter ? filter : "(all)", *t->vf_text ? t->vf_text : "(all)");
	attr_t bar = tui_attr(t, CP_STATUS, 0, A_REVERSE);
	tui_put(0, 0, COLS, t->line, bar, true);
	char mode[64], sp[16];
	speed_str(t->clk.speed, sp, sizeof sp);
	if (t->capture_error)
		snprintf(mode, sizeof mode, "CAPTURE ERROR");
	else if (t->live)
		snprintf(mode, sizeof mode, "%s", t->paused ? "PAUSED (capturing)" : "LIVE");
	else if (t->fastfwd)
		snprintf(mode, sizeof mode, "FAST-FORWARD");
	else if (t->ended && !t->have_pending)
		snprintf(mode, sizeof mode, "REPLAY END");
	else
		snprintf(mode, sizeof mode, "REPLAY %s%s", sp, t->paused ? " PAUSED" : "");
	int n = snprintf(t->line, sizeof t->line, " shown %zu  captured %" PRIu64 "  dropped %" PRIu64 "  %.*f pkt/s  flows %" PRIu64,
			 t->lv.count, captured, st.kernel_drop + st.iface_drop, t->rate < 100 ? 1 : 0, t->rate, flows);
	if (COLS >= 100 && n > 0 && (size_t)n < sizeof t->line)
		snprintf(t->line + n, sizeof t->line - (size_t)n, "  history %zu of %zu", hist_count(&t->hist), t->hist.cap);
	size_t ml = strlen(mode);
	int w = COLS - (int)ml - 3;
	tui_put(1, 0, w, t->line, bar, true);
	attr_t ma = tui_attr(t, t->capture_error ? CP_ERROR : CP_HEADER, A_BOLD, A_REVERSE | A_BOLD);
	tui_put(1, w, 1, " ", bar, true);
	tui_put(1, w + 1, (int)ml + 2, mode, ma, true);
}

static void tui_draw_list(struct tui *t)
{
	int y = t->lay.y[PANE_LIST], h = tui_pane_rows(t, PANE_LIST);
	if (t->lay.h[PANE_LIST] <= 0)
		return;
	lv_set_count(&t->lv, tui_visible(t), h);
	const struct tui_pkt *last = tui_list_pkt(t, t->lv.top + (size_t)h - 1 < t->lv.count ? t->lv.top + (size_t)h - 1
											   : t->lv.count - 1, NULL);
	int numw = fmt_num_width(last ? last->n : 0);
	fmt_row_header(t->line, sizeof t->line, COLS, numw);
	tui_title(t, PANE_LIST, t->line);
	for (int r = 0; r < h; r++) {
		size_t i = t->lv.top + (size_t)r;
		struct tui_pkt *p = tui_list_pkt(t, i, NULL);
		if (!p) {
			tui_fill(y + 1 + r, 0, COLS, A_NORMAL);
			continue;
		}
		attr_t a;
		if (p->is_call) {
			struct sock_event ev;
			const struct sock_event *e = tui_call_event(t, p, &ev);
			fmt_call_row(t->line, sizeof t->line, p, e, t->t0, COLS, numw);
			a = tui_attr(t, e && tui_call_side(p, e) == 1 ? CP_SERVER : CP_CLIENT, A_BOLD, A_BOLD);
		} else {
			fmt_row(t->line, sizeof t->line, p, t->t0, COLS, numw);
			a = tui_class_attr(t, fmt_class(p));
		}
		if (i == t->lv.sel)
			a = t->focus == PANE_LIST ? tui_attr(t, CP_SEL, 0, A_REVERSE) : a | A_BOLD | A_UNDERLINE;
		tui_put(y + 1 + r, 0, COLS, t->line, a, true);
	}
	if (!t->lv.count) {
		const char *m = !t->live && t->paused && !t->released ? "paused before the first packet: s steps, space plays"
				: t->shown.count || !hist_count(&t->hist) ? "waiting for packets..."
									: "no packet matches the view filter (/ changes it)";
		tui_put(y + 1, 2, COLS - 2, m, A_DIM, false);
	}
}

/* Flow pane: two passes over the table, one to place the selection, one to draw the visible window. */
struct flows_walk {
	struct tui *t;
	size_t n;            /* flows visible so far */
	size_t sel_index;    /* index of flow_sel_id, or SIZE_MAX */
	size_t top, rows;    /* the window being drawn (second pass) */
	int y;
	bool draw;
	uint64_t first_id, last_id; /* flows at index 0 and the last, for selection fallback */
	uint64_t want_index; /* pass 1b: find the id at this index */
	uint64_t found_id;
};

static bool tui_flow_visible(const struct tui *t, const struct flow *f, struct flow_view *v)
{
	flowview_from(v, f, t->have_pending ? &t->pending : NULL);
	if (v->hidden)
		return false;
	if (t->cleared && f->last_ns <= t->clear_ns)
		return false;
	return true;
}

static void tui_flows_visit(const struct flow *f, void *arg)
{
	struct flows_walk *w = arg;
	struct flow_view v;
	if (!tui_flow_visible(w->t, f, &v))
		return;
	size_t i = w->n++;
	if (f->id == w->t->flow_sel_id)
		w->sel_index = i;
	if (i == w->want_index)
		w->found_id = f->id;
	if (!w->draw || i < w->top || i >= w->top + w->rows)
		return;
	struct tui *t = w->t;
	fmt_flow_row(t->line, sizeof t->line, f, &v, tcp_state_name(v.state[0]), tcp_state_name(v.state[1]),
		     flow_end_name(v.end), COLS);
	attr_t a = v.end == END_RST || v.end == END_REFUSED ? tui_class_attr(t, RC_RST)
		   : v.end == END_FIN                      ? tui_class_attr(t, RC_FIN)
							   : A_NORMAL;
	if (i == t->fv.sel)
		a = t->focus == PANE_FLOWS ? tui_attr(t, CP_SEL, 0, A_REVERSE) : a | A_BOLD | A_UNDERLINE;
	tui_put(w->y + 1 + (int)(i - w->top), 0, COLS, t->line, a, true);
}

static void tui_draw_flows(struct tui *t)
{
	int y = t->lay.y[PANE_FLOWS], h = tui_pane_rows(t, PANE_FLOWS);
	struct flow_table *ft = pipeline_flows(t->pl);
	struct flows_walk w = { .t = t, .sel_index = SIZE_MAX, .want_index = UINT64_MAX };
	flowtab_foreach(ft, tui_flows_visit, &w);
	t->fv.count = w.n;
	if (w.sel_index != SIZE_MAX)
		t->fv.sel = w.sel_index;
	lv_set_count(&t->fv, w.n, h);
	t->fv.follow = false;
	if (t->lay.h[PANE_FLOWS] <= 0)
		return;
	fmt_flow_header(t->line, sizeof t->line, COLS);
	tui_title(t, PANE_FLOWS, t->line);
	for (int r = 0; r < h; r++)
		tui_fill(y + 1 + r, 0, COLS, A_NORMAL);
	struct flows_walk d = { .t = t, .sel_index = SIZE_MAX, .want_index = UINT64_MAX, .top = t->fv.top,
				.rows = (size_t)h, .y = y, .draw = true };
	flowtab_foreach(ft, tui_flows_visit, &d);
	if (!w.n)
		tui_put(y + 1, 2, COLS - 2, "no flows yet", A_DIM, false);
}

/* The flow id at a row of the flow pane. */
static uint64_t tui_flow_at(struct tui *t, size_t index)
{
	struct flows_walk w = { .t = t, .sel_index = SIZE_MAX, .want_index = index };
	flowtab_foreach(pipeline_flows(t->pl), tui_flows_visit, &w);
	return w.found_id;
}

/* Decode a history packet's stored bytes again (for the details pane and the ladder). */
static void tui_redecode(struct tui *t, const struct tui_pkt *p)
{
	decode_packet(&t->scratch, p->linktype, hist_bytes(&t->hist, p), p->stored, p->len);
	t->scratch.n = p->n;
	t->scratch.ts_sec = p->ts_ns / 1000000000LL;
	t->scratch.ts_nsec = (uint32_t)(p->ts_ns % 1000000000LL);
	t->scratch.caplen = p->stored;
	t->scratch.len = p->len;
	t->scratch.iface = p->iface;
	t->scratch.comment = p->comment;
	t->scratch.comment_len = p->comment_len;
}

struct text_out {
	struct tui *t;
	int y, rows;          /* pane area */
	size_t skip;          /* lines to skip (scroll) */
	size_t n;             /* lines produced so far */
	long hilite;          /* ladder row index to highlight, or -1 */
	int headers;          /* ladder header lines seen */
	bool hilite_drawn;
};

static void tui_text_line(struct text_out *o, const char *line, attr_t a)
{
	size_t i = o->n++;
	if (i < o->skip || i - o->skip >= (size_t)o->rows)
		return;
	tui_put(o->y + (int)(i - o->skip), 0, COLS, line, a, true);
}

static void tui_details_emit(const char *line, bool title, void *arg)
{
	struct text_out *o = arg;
	tui_text_line(o, line, title ? A_BOLD : A_NORMAL);
}

static void tui_ladder_emit(const char *line, long row_index, void *arg)
{
	struct text_out *o = arg;
	struct tui *t = o->t;
	attr_t a = A_NORMAL;
	if (row_index < 0) {
		o->headers++;
		a = A_BOLD;
	} else if (row_index == o->hilite) {
		a = t->focus == PANE_LOWER ? tui_attr(t, CP_SEL, 0, A_REVERSE) : A_BOLD | A_UNDERLINE;
		o->hilite_drawn = o->n < (size_t)o->rows;
	}
	tui_text_line(o, line, a);
}

/* A track_result rebuilt from what the history kept, for ladder_row_from(). */
static void tui_track_of(const struct tui *t, const struct tui_pkt *p, struct track_result *tr)
{
	memset(tr, 0, sizeof *tr);
	tr->flow = flowtab_find(pipeline_flows(t->pl), p->flow_id);
	tr->dir = p->dir ? DIR_S2C : DIR_C2S;
	tr->rseq = p->rseq;
	tr->rack = p->rack;
	tr->have_rel = p->have_rel;
	for (int i = 0; i < 2; i++) {
		tr->before[i] = (enum tcp_state)p->before[i];
		tr->after[i] = (enum tcp_state)p->after[i];
	}
	tr->events = p->events;
	tr->dup_ack_n = p->dup_ack_n;
}

static void tui_draw_ladder(struct tui *t, int y, int rows)
{
	const struct flow *f = t->ladder_id ? flowtab_find(pipeline_flows(t->pl), t->ladder_id) : NULL;
	tui_flowpk_build(t, t->ladder_id);
	if (!t->ladder_id || !t->flowpk.count) {
		tui_put(y, 2, COLS - 2, "no flow selected: select a TCP/UDP packet or a flow and press Enter", A_DIM, false);
		return;
	}
	if (!f) {
		snprintf(t->line, sizeof t->line, "flow %" PRIu64 " is no longer in the flow table (expired)", t->ladder_id);
		tui_put(y, 2, COLS - 2, t->line, A_DIM, false);
		return;
	}
	uint64_t cur;
	bool have_cur = tui_current(t, &cur) != NULL;
	size_t sel_i;
	if (!t->ladder_driven && have_cur && seqring_find(&t->flowpk, cur, &sel_i))
		lv_select(&t->ladv, sel_i, rows - t->ladder_headers);
	lv_set_count(&t->ladv, t->flowpk.count, rows - t->ladder_headers);
	for (int attempt = 0; attempt < 4; attempt++) {
		size_t top = t->ladv.top, n = 0;
		for (; n < TUI_LADDER_ROWS && n < (size_t)rows && top + n < t->flowpk.count; n++) {
			const struct tui_pkt *p = hist_get(&t->hist, seqring_at(&t->flowpk, top + n));
			struct track_result tr;
			if (p->is_call) {
				struct sock_event ev;
				char label[LADDER_LABEL_MAX];
				enum tcp_state st[2] = { (enum tcp_state)p->before[0], (enum tcp_state)p->before[1] };
				if (tui_call_event(t, p, &ev) && ev.ret < 0)
					snprintf(label, sizeof label, "%s() = -1 %s", ev.call, ev.errname);
				else if (tui_call_event(t, p, &ev))
					snprintf(label, sizeof label, "%s()", ev.call);
				else
					snprintf(label, sizeof label, "call");
				ladder_row_call(&t->lrows[n], p->ts_ns, p->dir ? DIR_S2C : DIR_C2S, label, st);
				continue;
			}
			tui_redecode(t, p);
			tui_track_of(t, p, &tr);
			ladder_row_from(&t->lrows[n], &t->scratch, &tr);
		}
		for (int r = 0; r < rows; r++)
			tui_fill(y + r, 0, COLS, A_NORMAL);
		struct text_out o = { .t = t, .y = y, .rows = rows, .hilite = (long)(t->ladv.sel - top) };
		ladder_render(f, t->lrows, n, COLS, tui_ladder_emit, &o);
		bool headers_changed = o.headers != t->ladder_headers;
		t->ladder_headers = o.headers < rows - 1 ? o.headers : rows - 1;
		if (o.hilite_drawn || !t->ladv.count)
			return;
		if (headers_changed) {
			lv_set_count(&t->ladv, t->flowpk.count, rows - t->ladder_headers);
			continue;
		}
		if (t->ladv.top >= t->ladv.sel)
			return;
		t->ladv.top++; /* the renderer used more than a line per row: scroll on */
	}
}

static void tui_draw_details(struct tui *t, int y, int rows)
{
	const struct tui_pkt *p = tui_current(t, NULL);
	if (!p) {
		tui_put(y, 2, COLS - 2, "no packet selected", A_DIM, false);
		return;
	}
	if (p->is_call) {
		struct sock_event ev;
		struct text_out o = { .t = t, .y = y, .rows = rows, .skip = t->lower_top, .hilite = -1 };
		if (!tui_call_event(t, p, &ev)) {
			tui_text_line(&o, "(this call's details are no longer kept)", A_DIM);
			return;
		}
		char st[1024], a[64], b[64];
		snprintf(t->line, sizeof t->line, "Socket call by the %s, pid %d",
			 strcmp(ev.role, "traced") == 0 ? "traced process" : ev.role, (int)ev.pid);
		tui_text_line(&o, t->line, A_BOLD);
		events_format_strace(&ev, st, sizeof st);
		tui_text_line(&o, st, A_NORMAL);
		snprintf(t->line, sizeof t->line, "took %lld us; shown when it %s", (long long)ev.dur_us,
			 p->ts_ns < ev.ts_us * 1000 ? "was entered (it causes packets)" : "returned (it waited, or failed)");
		tui_text_line(&o, t->line, A_NORMAL);
		events_format_endpoint(&ev.local, a, sizeof a);
		events_format_endpoint(&ev.remote, b, sizeof b);
		snprintf(t->line, sizeof t->line, "local %s  remote %s", a, b);
		tui_text_line(&o, t->line, A_NORMAL);
		if (p->flow_id)
			snprintf(t->line, sizeof t->line, "flow %" PRIu64 ", the %s's end", p->flow_id, p->dir ? "server" : "client");
		else
			snprintf(t->line, sizeof t->line, "no flow (no packet of this socket seen yet)");
		tui_text_line(&o, t->line, A_NORMAL);
		explain_call(t->line, sizeof t->line, ev.call, tui_call_side(p, &ev), ev.ret < 0, ev.errname);
		tui_text_line(&o, t->line, A_NORMAL);
		return;
	}
	tui_redecode(t, p);
	struct text_out o = { .t = t, .y = y, .rows = rows, .skip = t->lower_top, .hilite = -1 };
	details_render(&t->scratch, p, t->t0, tui_details_emit, &o);
	tui_text_line(&o, "", A_NORMAL);
	const uint8_t *b = hist_bytes(&t->hist, p);
	for (size_t off = 0; off < p->stored; off += 16) {
		fmt_hexline(t->line, sizeof t->line, b, p->stored, off);
		tui_text_line(&o, t->line, A_NORMAL);
	}
	if (o.n && t->lower_top >= o.n) { /* scrolled past the end (a shorter packet now): clamp */
		t->lower_top = o.n - 1;
		t->dirty |= D_LOWER;
	}
}

static void tui_draw_lower(struct tui *t)
{
	int y = t->lay.y[PANE_LOWER], rows = t->lay.h[PANE_LOWER] - 1;
	if (rows <= 0)
		return;
	uint64_t n = 0;
	const struct tui_pkt *p = tui_current(t, NULL);
	if (p)
		n = p->n;
	if (t->lower == LOWER_LADDER)
		snprintf(t->line, sizeof t->line, " Ladder: flow %" PRIu64 " (%zu packets in history)   Enter: details  f: follow",
			 t->ladder_id, t->flowpk_id == t->ladder_id ? t->flowpk.count : 0);
	else if (p && p->is_call)
		snprintf(t->line, sizeof t->line, " Details: socket call   Enter: ladder of its flow");
	else if (p)
		snprintf(t->line, sizeof t->line, " Details: packet %" PRIu64 "   Enter: ladder of its flow", n);
	else
		snprintf(t->line, sizeof t->line, " Details");
	tui_title(t, PANE_LOWER, t->line);
	for (int r = 0; r < rows; r++)
		tui_fill(y + 1 + r, 0, COLS, A_NORMAL);
	if (t->lower == LOWER_LADDER)
		tui_draw_ladder(t, y + 1, rows);
	else
		tui_draw_details(t, y + 1, rows);
}

/* Does call `c` send what packet p carries (SYN: connect; data: send...; FIN/RST: close, shutdown)? */
static bool tui_call_sends(const char *c, const struct tui_pkt *p)
{
	if (p->tcpflags & TCP_SYN)
		return strcmp(c, "connect") == 0;
	if (p->tcpflags & (TCP_FIN | TCP_RST))
		return strcmp(c, "close") == 0 || strcmp(c, "shutdown") == 0;
	if (p->payload)
		return strcmp(c, "send") == 0 || strcmp(c, "sendto") == 0 || strcmp(c, "write") == 0 ||
		       strcmp(c, "sendmsg") == 0 || (p->proto == 17 && strcmp(c, "connect") == 0);
	return false;
}

/* The sentence about the current row (see explain.h); false when nothing is selected. */
static bool tui_explain(struct tui *t, char *buf, size_t n)
{
	uint64_t seq;
	const struct tui_pkt *p = tui_current(t, &seq);
	if (!p)
		return false;
	struct sock_event ev;
	if (p->is_call) {
		if (!tui_call_event(t, p, &ev))
			return false;
		explain_call(buf, n, ev.call, tui_call_side(p, &ev), ev.ret < 0, ev.errname);
		return true;
	}
	if (!p->flow_id)
		return false;
	struct explain_in in;
	memset(&in, 0, sizeof in);
	in.proto = p->proto;
	in.dir = p->dir;
	in.tcpflags = p->tcpflags;
	in.payload = p->payload;
	in.icmp_err = p->icmp_err;
	in.icmp_what = p->icmp_code_name;
	in.events = p->events;
	for (int i = 0; i < 2; i++) {
		in.before[i] = p->before[i];
		in.after[i] = p->after[i];
	}
	/* The causing call: the nearest earlier call of this flow by the sending end that sends such a packet. */
	static char call[SOCKEV_CALL_MAX];
	for (uint64_t s = seq, k = 0; s > t->hist.first && k < 64; k++) {
		const struct tui_pkt *c = hist_get(&t->hist, --s);
		if (c->flow_id != p->flow_id || c->dir != p->dir)
			continue;
		if (!c->is_call) {
			if ((c->tcpflags & p->tcpflags & (TCP_SYN | TCP_FIN | TCP_RST)) || (c->payload && p->payload && !(p->tcpflags & (TCP_SYN | TCP_FIN | TCP_RST))))
				break; /* an earlier packet of the same kind took that call */
			continue;
		}
		if (tui_call_event(t, c, &ev) && ev.ret >= 0 && tui_call_sends(ev.call, p)) {
			snprintf(call, sizeof call, "%s", ev.call);
			in.call = call;
			break;
		}
	}
	explain_packet(buf, n, &in);
	return true;
}

/* The socket pane: the kernel's table for the filter's ports, the selected flow's sockets highlighted. */
static void tui_draw_sockets(struct tui *t)
{
	int y = t->lay.y[PANE_FLOWS], h = tui_pane_rows(t, PANE_FLOWS);
	if (t->lay.h[PANE_FLOWS] <= 0)
		return;
	char ports[160] = "";
	size_t used = 0;
	for (size_t i = 0; t->feed && i < t->feed->nports && used < sizeof ports - 8; i++)
		used += (size_t)snprintf(ports + used, sizeof ports - used, "%s%u", i ? "," : " ", t->feed->ports[i]);
	snprintf(t->line, sizeof t->line, " Sockets (kernel, as ss -tuan) port%s%s: %zu   o: flows", t->feed && t->feed->nports > 1 ? "s" : "",
		 t->feed && t->feed->nports ? ports : "s (all)", t->nsock);
	tui_title(t, PANE_FLOWS, t->line);
	for (int r = 0; r < h; r++)
		tui_fill(y + 1 + r, 0, COLS, A_NORMAL);
	if (t->sock_err[0]) {
		tui_put(y + 1, 2, COLS - 2, t->sock_err, tui_attr(t, CP_ERROR, 0, A_BOLD), false);
		return;
	}
	tui_put(y + 1, 0, COLS, SOCKDIAG_HEADER, A_BOLD, true);
	const struct tui_pkt *cur = tui_current(t, NULL);
	const struct flow *f = cur && cur->flow_id ? flowtab_find(pipeline_flows(t->pl), cur->flow_id) : NULL;
	for (int r = 0; r + 1 < h && (size_t)r < t->nsock; r++) {
		const struct sockdiag_row *row = &t->sock[r];
		sockdiag_format(row, t->line, sizeof t->line);
		bool mine = f && row->proto == f->proto &&
			    ((row->local.port == f->client.port && row->remote.port == f->server.port) ||
			     (row->local.port == f->server.port && row->remote.port == f->client.port));
		tui_put(y + 2 + r, 0, COLS, t->line, mine ? tui_attr(t, CP_SEL, 0, A_REVERSE) : A_NORMAL, true);
	}
	if (!t->nsock)
		tui_put(y + 2, 2, COLS - 2, "no socket on these ports right now", A_DIM, false);
}

static const struct {
	const char *key, *label;
} tui_fkeys[] = {
	{ "F1", "Help" }, { "F2", "Save" }, { "F4", "Filter" }, { "F5", "Pause" }, { "F6", "Follow" },
	{ "F7", "Slower" }, { "F8", "Faster" }, { "F9", "Clear" }, { "F10", "Quit" },
};

static void tui_draw_footer(struct tui *t)
{
	int y = t->lay.footer_y;
	if (t->prompt != PR_NONE) {
		const char *label = t->prompt == PR_FILTER ? "Filter (BPF, empty: all, Esc cancels): "
							   : "Save shown packets to (Esc cancels): ";
		snprintf(t->line, sizeof t->line, "%s%s", label, t->input);
		int len = (int)strlen(t->line);
		int x0 = len >= COLS ? COLS - 1 - len : 0; /* keep the cursor end visible */
		tui_put(y, 0, COLS, x0 < 0 ? t->line - x0 : t->line, A_BOLD, true);
		move(y, len + x0 < COLS ? len + x0 : COLS - 1);
		return;
	}
	if (t->msg[0] && tui_now() < t->msg_until) {
		tui_put(y, 0, COLS, t->msg, t->msg_err ? tui_attr(t, CP_ERROR, A_BOLD, A_REVERSE | A_BOLD) : A_BOLD, true);
		return;
	}
	t->msg[0] = '\0';
	if (t->explain && tui_explain(t, t->line, sizeof t->line)) {
		tui_put(y, 0, COLS, t->line, A_BOLD, true);
		return;
	}
	int x = 0;
	for (size_t i = 0; i < sizeof tui_fkeys / sizeof tui_fkeys[0] && x < COLS; i++) {
		int kw = (int)strlen(tui_fkeys[i].key), lw = (int)strlen(tui_fkeys[i].label) + 1;
		tui_put(y, x, kw, tui_fkeys[i].key, A_NORMAL, false);
		x += kw;
		tui_put(y, x, lw, tui_fkeys[i].label, tui_attr(t, CP_KEY, 0, A_REVERSE), true);
		x += lw;
	}
	tui_fill(y, x, COLS - x, A_NORMAL);
}

static const char *const tui_help_lines[] = {
	"synwatch keys                                      (any key closes this help)",
	"Up/Down j/k   move in the focused pane        PgUp/PgDn  a page",
	"Home/End      first/last; End also fast-forwards a replay to the end",
	"Tab/S-Tab     next/previous pane (packets, flows, ladder/details)",
	"Enter         ladder of the selected packet's or flow's connection;",
	"              in the ladder: back to that packet's details",
	"d             details of the selected packet (layers and hex dump)",
	"z  Esc        zoom the focused pane to the whole screen / back",
	"/  F4         view filter (BPF): an invalid one is refused, the old stays",
	"space F5      pause/resume (live: capture continues, counts rise)",
	"s             step one packet (pauses first)",
	"+ -  F8 F7    replay faster/slower (x1/64 .. x64, then max)",
	"w  F2         save the packets shown to a pcap file",
	"f  F6         follow the flow's payload both ways (Esc closes)",
	"c  F9         clear the history (flows idle since then are hidden)",
	"o             flows pane: the kernel's socket table (as ss -tuan) / flows",
	"e             explain the selected packet in the footer / key hints",
	"?  h  F1      this help                Ctrl-L  redraw the screen",
	"q  F10        quit (also Ctrl-C)       mouse   click selects, wheel scrolls",
	"Colours: SYN green, FIN yellow, RST red, analysis (retransmission...) red,",
	"ICMP error yellow, UDP cyan, ICMP magenta; NO_COLOR: bold/underline instead",
};

static void tui_draw_help(struct tui *t)
{
	size_t n = sizeof tui_help_lines / sizeof tui_help_lines[0];
	int w = 82 < COLS ? 82 : COLS, h = (int)n + 2 < LINES - 2 ? (int)n + 2 : LINES - 2;
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	attr_t box = tui_attr(t, CP_STATUS, 0, A_REVERSE);
	for (int r = 0; r < h; r++)
		tui_fill(y0 + r, x0, w, box);
	for (int r = 0; r < h - 2 && (size_t)r < n; r++)
		tui_put(y0 + 1 + r, x0 + 1, w - 2, tui_help_lines[r], r == 0 ? box | A_BOLD : box, false);
}

/* Follow view: the flow's payload both ways, newest at the bottom, '>' client to server, '<' back. */
static void tui_draw_follow(struct tui *t)
{
	const struct flow *f = t->ladder_id ? flowtab_find(pipeline_flows(t->pl), t->ladder_id) : NULL;
	tui_flowpk_build(t, t->ladder_id);
	erase();
	char a[64], b[64], n1[16], n2[16];
	if (f) {
		bool ports = f->proto == 6 || f->proto == 17;
		snprintf(t->line, sizeof t->line, " Follow %s flow %" PRIu64 ": %s > %s  (%s B >, %s B <)",
			 f->proto == 6 ? "TCP" : f->proto == 17 ? "UDP" : "ICMP", f->id,
			 fmt_endpoint(a, sizeof a, f->client.af, f->client.addr, ports, f->client.port),
			 fmt_endpoint(b, sizeof b, f->server.af, f->server.addr, ports, f->server.port),
			 fmt_count(n1, sizeof n1, f->bytes[0]), fmt_count(n2, sizeof n2, f->bytes[1]));
	} else {
		snprintf(t->line, sizeof t->line, " Follow: no flow selected (select a TCP or UDP packet first)");
	}
	tui_put(0, 0, COLS, t->line, tui_attr(t, CP_STATUS, 0, A_REVERSE), true);
	tui_put(LINES - 1, 0, COLS,
		t->follow_up ? "Esc/f close  Up/Down/PgUp/PgDn scroll  End: back to live (scrolled up)"
			     : "Esc/f close  Up/Down/PgUp/PgDn scroll  (following live)",
		tui_attr(t, CP_STATUS, 0, A_REVERSE), true);
	int rows = LINES - 2, width = COLS - 2;
	if (!f || rows <= 0)
		return;
	/* Walk packets from the newest back, collecting lines bottom-up after skipping follow_up lines. */
	size_t skip = t->follow_up, placed = 0, cap = (size_t)rows < TUI_FOLLOW_ROWS ? (size_t)rows : TUI_FOLLOW_ROWS;
	const uint32_t dup = EV_RETRANSMISSION | EV_FAST_RETRANSMISSION | EV_SPURIOUS_RETRANSMISSION;
	size_t total_lines = 0;
	for (size_t k = t->flowpk.count; k-- > 0 && placed < cap;) {
		const struct tui_pkt *p = hist_get(&t->hist, seqring_at(&t->flowpk, k));
		if (!p->pl_cap || (p->events & dup))
			continue;
		const uint8_t *d = hist_bytes(&t->hist, p) + p->pl_off;
		size_t nl = follow_count_lines(d, p->pl_cap, width);
		bool cut = p->payload > p->pl_cap;
		size_t lines = nl + (cut ? 1 : 0);
		total_lines += lines;
		for (size_t li = lines; li-- > 0 && placed < cap;) {
			if (skip) {
				skip--;
				continue;
			}
			struct follow_line *fl = &t->fol[placed++];
			fl->client = p->dir == DIR_C2S;
			if (li == nl)
				snprintf(fl->text, sizeof fl->text, "[%" PRIu32 " bytes not captured]", p->payload - p->pl_cap);
			else
				follow_line(d, p->pl_cap, width, li, fl->text, sizeof fl->text);
		}
	}
	for (size_t i = 0; i < placed; i++) { /* oldest at the top */
		const struct follow_line *fl = &t->fol[placed - 1 - i];
		attr_t at = fl->client ? tui_attr(t, CP_CLIENT, 0, A_NORMAL) : tui_attr(t, CP_SERVER, 0, A_BOLD);
		tui_put(1 + (int)i, 0, 2, fl->client ? "> " : "< ", at, false);
		tui_put(1 + (int)i, 2, width, fl->text, at, false);
	}
	if (!placed && !total_lines)
		tui_put(1, 2, COLS - 2, "no payload in this flow yet", A_DIM, false);
	if (t->follow_up && !placed) { /* scrolled beyond the start: come back */
		t->follow_up = t->follow_up > (size_t)rows ? t->follow_up - (size_t)rows : 0;
		t->dirty |= D_ALL;
	}
}

static void tui_draw(struct tui *t)
{
	int64_t now = tui_now();
	bool flows_due = (t->dirty & (D_FLOWS | D_CLEAR)) || ((t->dirty & D_FLOWDATA) && now - t->flows_drawn >= TUI_FLOWS_NS);
	if (flows_due) {
		t->dirty |= D_FLOWS;
		t->flows_drawn = now;
	}
	layout_compute(&t->lay, LINES, COLS, t->zoom);
	if (t->dirty & D_CLEAR)
		erase();
	if (t->lay.too_small) {
		erase();
		snprintf(t->line, sizeof t->line, "synwatch needs %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS);
		tui_put(LINES / 2 - 1, 0, COLS, t->line, A_BOLD, false);
		snprintf(t->line, sizeof t->line, "this terminal is %dx%d", COLS, LINES);
		tui_put(LINES / 2, 0, COLS, t->line, A_NORMAL, false);
		tui_put(LINES / 2 + 1, 0, COLS, "enlarge it, or q quits", A_NORMAL, false);
	} else if (t->ov == OV_FOLLOW) {
		tui_draw_follow(t);
	} else {
		if (t->dirty & (D_STATUS | D_LIST | D_CLEAR))
			tui_draw_status(t);
		if (t->lay.h[PANE_LIST] > 0 && (t->dirty & (D_LIST | D_CLEAR)))
			tui_draw_list(t);
		if (t->dirty & (D_FLOWS | D_CLEAR)) {
			if (t->show_sockets && t->lay.h[PANE_FLOWS] > 0)
				tui_draw_sockets(t);
			else
				tui_draw_flows(t); /* also keeps the flow selection in step when the pane is zoomed away */
		}
		if (t->lay.h[PANE_LOWER] > 0 && (t->dirty & (D_LOWER | D_CLEAR)))
			tui_draw_lower(t);
		if (t->ov == OV_HELP)
			tui_draw_help(t);
		tui_draw_footer(t);
	}
	curs_set(t->prompt != PR_NONE ? 1 : 0);
	wnoutrefresh(stdscr); /* the caller sends it to the terminal (doupdate), without the reader's lock */
	t->dirty = flows_due ? 0 : t->dirty & D_FLOWDATA;
	t->last_draw = tui_now();
}

/* ---------------------------------------------------------------- input ---- */

static void tui_focus_pane(struct tui *t, int pane)
{
	t->focus = pane;
	if (t->zoom >= 0)
		t->zoom = pane;
	t->dirty |= D_ALL;
}

static void tui_open_ladder(struct tui *t)
{
	if (t->focus == PANE_FLOWS) {
		uint64_t id = tui_flow_at(t, t->fv.sel);
		if (!id)
			return;
		t->ladder_id = id;
		tui_flowpk_build(t, id);
		if (!t->flowpk.count) {
			tui_message(t, false, "flow %" PRIu64 " has no packets left in the history", id);
			return;
		}
		lv_home(&t->ladv, tui_pane_rows(t, PANE_LOWER));
		t->lower = LOWER_LADDER;
		tui_ladder_moved(t);
	} else if (t->focus == PANE_LOWER && t->lower == LOWER_LADDER) {
		t->lower = LOWER_DETAILS; /* Enter in the ladder: that packet's details */
		t->lower_top = 0;
		t->dirty |= D_ALL;
		return;
	} else {
		uint64_t seq;
		struct tui_pkt *p = tui_current(t, &seq);
		if (!p || !p->flow_id) {
			tui_message(t, false, "this packet belongs to no flow");
			return;
		}
		t->ladder_id = p->flow_id;
		t->lower = LOWER_LADDER;
		tui_ladder_select_seq(t, seq);
	}
	tui_focus_pane(t, PANE_LOWER);
}

/* Up/Down/Page/Home/End in the focused pane (or the follow view). */
static void tui_nav(struct tui *t, int key)
{
	if (t->ov == OV_FOLLOW) {
		long page = LINES - 3;
		size_t up = t->follow_up;
		if (key == KEY_UP || key == 'k')
			up++;
		else if ((key == KEY_DOWN || key == 'j') && up)
			up--;
		else if (key == KEY_PPAGE)
			up += (size_t)page;
		else if (key == KEY_NPAGE)
			up = up > (size_t)page ? up - (size_t)page : 0;
		else if (key == KEY_END)
			up = 0;
		else if (key == KEY_HOME)
			up = SIZE_MAX / 2;
		t->follow_up = up;
		t->dirty |= D_ALL;
		return;
	}
	int pane = t->focus;
	int h = tui_pane_rows(t, pane);
	struct listview *lv = pane == PANE_LIST ? &t->lv : pane == PANE_FLOWS ? &t->fv : &t->ladv;
	if (pane == PANE_LOWER && t->lower == LOWER_DETAILS) {
		if (key == KEY_UP || key == 'k')
			t->lower_top = t->lower_top ? t->lower_top - 1 : 0;
		else if (key == KEY_DOWN || key == 'j')
			t->lower_top++;
		else if (key == KEY_PPAGE)
			t->lower_top = t->lower_top > (size_t)h ? t->lower_top - (size_t)h : 0;
		else if (key == KEY_NPAGE)
			t->lower_top += (size_t)h;
		else if (key == KEY_HOME)
			t->lower_top = 0;
		t->dirty |= D_LOWER;
		if (key != KEY_END)
			return;
	}
	if (pane == PANE_LOWER && t->lower == LOWER_LADDER)
		tui_flowpk_build(t, t->ladder_id);
	switch (key) {
	case KEY_UP:
	case 'k':
		lv_move(lv, -1, h);
		break;
	case KEY_DOWN:
	case 'j':
		lv_move(lv, 1, h);
		break;
	case KEY_PPAGE:
		lv_move(lv, -h, h);
		break;
	case KEY_NPAGE:
		lv_move(lv, h, h);
		break;
	case KEY_HOME:
		lv_home(lv, h);
		break;
	case KEY_END:
		if (pane == PANE_LIST || (pane == PANE_LOWER && t->lower == LOWER_DETAILS)) {
			tui_end(t);
			return;
		}
		lv_end(lv, h);
		break;
	}
	if (pane == PANE_LIST) {
		tui_list_moved(t);
	} else if (pane == PANE_FLOWS) {
		t->flow_sel_id = tui_flow_at(t, t->fv.sel);
		t->dirty |= D_FLOWS;
	} else {
		tui_ladder_moved(t);
	}
}

static void tui_mouse(struct tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || t->ov != OV_NONE || t->lay.too_small)
		return;
	int pane = -1;
	for (int i = 0; i < PANE_COUNT; i++)
		if (t->lay.h[i] > 0 && ev.y >= t->lay.y[i] && ev.y < t->lay.y[i] + t->lay.h[i])
			pane = i;
	if (pane < 0)
		return;
	int h = tui_pane_rows(t, pane);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		long d = (ev.bstate & BUTTON4_PRESSED) ? -3 : 3;
		if (pane == PANE_LIST) {
			lv_scroll(&t->lv, d, h);
			tui_list_moved(t);
		} else if (pane == PANE_FLOWS) {
			lv_scroll(&t->fv, d, h);
			t->flow_sel_id = tui_flow_at(t, t->fv.sel);
			t->dirty |= D_FLOWS;
		}
		return;
	}
#endif
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return;
	if (t->focus != pane)
		tui_focus_pane(t, pane);
	int row = ev.y - t->lay.y[pane] - 1 - (pane == PANE_LOWER && t->lower == LOWER_LADDER ? t->ladder_headers : 0);
	if (row < 0)
		return;
	if (pane == PANE_LIST) {
		if (t->lv.top + (size_t)row < t->lv.count) {
			lv_select(&t->lv, t->lv.top + (size_t)row, h);
			tui_list_moved(t);
		}
	} else if (pane == PANE_FLOWS) {
		if (t->fv.top + (size_t)row < t->fv.count) {
			lv_select(&t->fv, t->fv.top + (size_t)row, h);
			t->flow_sel_id = tui_flow_at(t, t->fv.sel);
			t->dirty |= D_FLOWS;
		}
	} else if (t->lower == LOWER_LADDER && t->ladv.top + (size_t)row < t->ladv.count) {
		lv_select(&t->ladv, t->ladv.top + (size_t)row, h);
		tui_ladder_moved(t);
	}
}

static void tui_prompt_start(struct tui *t, enum prompt pr)
{
	t->prompt = pr;
	if (pr == PR_FILTER) {
		snprintf(t->input, sizeof t->input, "%s", *t->rejected ? t->rejected : t->vf_text);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(t->input, sizeof t->input, "synwatch-%Y%m%d-%H%M%S.pcap", &tm);
	}
	t->msg[0] = '\0';
	t->dirty |= D_FOOTER;
}

static void tui_prompt_key(struct tui *t, int key)
{
	size_t len = strlen(t->input);
	if (key == 27) {
		t->prompt = PR_NONE;
	} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		enum prompt pr = t->prompt;
		t->prompt = PR_NONE;
		char text[sizeof t->input];
		snprintf(text, sizeof text, "%s", t->input);
		if (pr == PR_FILTER)
			tui_apply_filter(t, text);
		else
			tui_save(t, text);
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len)
			t->input[len - 1] = '\0';
	} else if (key == 21) { /* Ctrl-U */
		t->input[0] = '\0';
	} else if (key == 23) { /* Ctrl-W: the last word */
		while (len && t->input[len - 1] == ' ')
			t->input[--len] = '\0';
		while (len && t->input[len - 1] != ' ')
			t->input[--len] = '\0';
	} else if (key >= 32 && key < 127 && len + 1 < sizeof t->input) {
		t->input[len] = (char)key;
		t->input[len + 1] = '\0';
	}
	t->dirty |= D_FOOTER;
}

/* One key; returns false to quit. */
static bool tui_key(struct tui *t, int key)
{
	if (key == KEY_RESIZE) {
		t->dirty |= D_ALL;
		return true;
	}
	if (key == KEY_MOUSE) {
		tui_mouse(t);
		return true;
	}
	if (t->prompt != PR_NONE) {
		tui_prompt_key(t, key);
		return true;
	}
	if (key == 'q' || key == 'Q' || key == KEY_F(10))
		return false;
	if (key == 12) { /* Ctrl-L */
		clearok(curscr, TRUE);
		t->dirty |= D_ALL;
		return true;
	}
	if (t->lay.too_small)
		return true;
	if (t->ov == OV_HELP) {
		t->ov = OV_NONE;
		t->dirty |= D_ALL;
		return true;
	}
	if (t->ov == OV_FOLLOW && (key == 27 || key == 'f' || key == KEY_F(6))) {
		t->ov = OV_NONE;
		t->dirty |= D_ALL;
		return true;
	}
	switch (key) {
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
	case 'j':
	case 'k':
		tui_nav(t, key);
		break;
	case '\t':
		tui_focus_pane(t, (t->focus + 1) % PANE_COUNT);
		break;
	case KEY_BTAB:
		tui_focus_pane(t, (t->focus + PANE_COUNT - 1) % PANE_COUNT);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		tui_open_ladder(t);
		break;
	case 'd':
		t->lower = LOWER_DETAILS;
		t->lower_top = 0;
		t->dirty |= D_ALL;
		break;
	case 'z':
		t->zoom = t->zoom >= 0 ? -1 : t->focus;
		t->dirty |= D_ALL;
		break;
	case 27:
		if (t->zoom >= 0) {
			t->zoom = -1;
			t->dirty |= D_ALL;
		}
		break;
	case '/':
	case KEY_F(4):
		tui_prompt_start(t, PR_FILTER);
		break;
	case 'w':
	case KEY_F(2):
		tui_prompt_start(t, PR_SAVE);
		break;
	case ' ':
	case KEY_F(5):
		tui_pause_toggle(t);
		break;
	case 's':
		tui_step(t);
		break;
	case '+':
	case '=':
	case KEY_F(8):
		tui_speed(t, true);
		break;
	case '-':
	case KEY_F(7):
		tui_speed(t, false);
		break;
	case 'f':
	case KEY_F(6): {
		const struct tui_pkt *p = tui_current(t, NULL);
		if (p && p->flow_id && !t->ladder_driven)
			t->ladder_id = p->flow_id;
		if (!t->ladder_id) {
			tui_message(t, false, "follow: select a packet of a TCP or UDP flow first");
			break;
		}
		t->ov = OV_FOLLOW;
		t->follow_up = 0;
		t->dirty |= D_ALL;
		break;
	}
	case 'c':
	case KEY_F(9):
		tui_clear(t);
		break;
	case 'o':
		if (t->feed && t->feed->sockets) {
			t->show_sockets = !t->show_sockets;
			t->dirty |= D_FLOWS | D_CLEAR;
		} else {
			tui_message(t, false, "the socket table needs --sockets (or --classroom)");
		}
		break;
	case 'e':
		t->explain = !t->explain;
		t->dirty |= D_FOOTER;
		break;
	case '?':
	case 'h':
	case KEY_F(1):
		t->ov = OV_HELP;
		t->dirty |= D_ALL;
		break;
	default:
		break;
	}
	return true;
}

/* ---------------------------------------------------------------- main loop ---- */

static bool tui_alloc(struct tui *t)
{
	size_t cap = t->o->history ? t->o->history : TUI_DEFAULT_HISTORY;
	size_t budget = t->o->history_bytes ? t->o->history_bytes : TUI_DEFAULT_HISTORY_BYTES;
	if (!hist_init(&t->hist, cap, budget))
		return false;
	if (!seqring_init(&t->shown, cap) || !seqring_init(&t->flowpk, cap))
		return false;
	t->pend_buf = malloc(TUI_PEND_MAX + TUI_PEND_NOTE);
	t->lrows = calloc(TUI_LADDER_ROWS, sizeof *t->lrows);
	t->fol = calloc(TUI_FOLLOW_ROWS, sizeof *t->fol);
	if (t->feed) {
		if (t->hold_live && !hist_init(&t->hold, TUI_HOLD_MAX, 16u << 20))
			return false;
		t->calls = calloc(TUI_CALLS_MAX, sizeof *t->calls);
		t->recent = calloc(1, sizeof *t->recent);
		t->sock = calloc(TUI_SOCK_ROWS, sizeof *t->sock);
		if (!t->calls || !t->recent || !t->sock)
			return false;
	}
	return t->pend_buf && t->lrows && t->fol;
}

static void tui_release(struct tui *t)
{
	hist_free(&t->hist);
	seqring_free(&t->shown);
	seqring_free(&t->flowpk);
	free(t->pend_buf);
	free(t->lrows);
	free(t->fol);
	if (t->hold.pkt)
		hist_free(&t->hold);
	free(t->calls);
	free(t->recent);
	free(t->sock);
	if (t->vf)
		filter_free(t->vf);
}

/* ---------------------------------------------------------------- the live reader ---- */

/* The main thread takes the lock (no-ops without a reader). Setting `want` first makes the reader let go
   within a few hundred packets even while packets keep it busy. */
static void tui_lock(struct tui *t)
{
	if (!t->rd.started)
		return;
	atomic_store(&t->rd.want, true);
	pthread_mutex_lock(&t->rd.lock);
	atomic_store(&t->rd.want, false);
}

static void tui_unlock(struct tui *t)
{
	if (t->rd.started)
		pthread_mutex_unlock(&t->rd.lock);
}

/* Wake the main thread's poll (the pipe is non-blocking: when it is full a wake-up is pending anyway). */
static void tui_wake_main(struct tui_reader *rd)
{
	while (write(rd->wake[1], "w", 1) < 0 && errno == EINTR)
		continue;
}

static void *tui_reader_main(void *arg)
{
	struct tui *t = arg;
	struct tui_reader *rd = &t->rd;
	int fd = pipeline_fd(t->pl);
	while (!atomic_load(&rd->stop)) {
		int64_t wait_ns;
		pthread_mutex_lock(&rd->lock);
		tui_pump(t, &wait_ns);
		bool more = t->more, ended = t->ended;
		bool wake = t->dirty && atomic_load(&rd->armed);
		pthread_mutex_unlock(&rd->lock);
		if (wake && atomic_exchange(&rd->armed, false))
			tui_wake_main(rd);
		if (ended)
			break;
		if (more) {
			while (atomic_load(&rd->want) && !atomic_load(&rd->stop))
				sched_yield(); /* the main thread is about to take the lock: let it */
			continue;
		}
		struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = rd->quit[0], .events = POLLIN } };
		poll(pfd, 2, TUI_READER_POLL_MS);
	}
	return NULL;
}

static void tui_reader_pipes_close(struct tui_reader *rd)
{
	close(rd->wake[0]);
	close(rd->wake[1]);
	close(rd->quit[0]);
	close(rd->quit[1]);
}

/* Start the reader for a live capture; false (the main loop reads, as for files) when it cannot run. */
static bool tui_reader_start(struct tui *t)
{
	struct tui_reader *rd = &t->rd;
	if (pipe2(rd->wake, O_NONBLOCK | O_CLOEXEC) != 0)
		return false;
	if (pipe2(rd->quit, O_NONBLOCK | O_CLOEXEC) != 0) {
		close(rd->wake[0]);
		close(rd->wake[1]);
		return false;
	}
	if (pthread_mutex_init(&rd->lock, NULL) != 0) {
		tui_reader_pipes_close(rd);
		return false;
	}
	atomic_init(&rd->stop, false);
	atomic_init(&rd->want, false);
	atomic_init(&rd->armed, false);
	/* Signals go to the main thread (its poll returns EINTR and the loop sees the flag). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rd->started = true; /* before the thread runs: tui_pump reads it */
	if (pthread_create(&rd->thread, NULL, tui_reader_main, t) != 0)
		rd->started = false;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!rd->started) {
		pthread_mutex_destroy(&rd->lock);
		tui_reader_pipes_close(rd);
	}
	return rd->started;
}

/* Stop and join the reader (called without the lock). */
static void tui_reader_stop(struct tui *t)
{
	struct tui_reader *rd = &t->rd;
	if (!rd->started)
		return;
	atomic_store(&rd->stop, true);
	while (write(rd->quit[1], "q", 1) < 0 && errno == EINTR)
		continue;
	pthread_join(rd->thread, NULL);
	rd->started = false;
	pthread_mutex_destroy(&rd->lock);
	tui_reader_pipes_close(rd);
}

/* Empty the wake-up pipe. */
static void tui_wake_drain(struct tui_reader *rd)
{
	char buf[64];
	while (read(rd->wake[0], buf, sizeof buf) > 0)
		continue;
}

int tui_run(struct pipeline *pl, const struct tui_opts *o)
{
	if (!tui_terminal_usable())
		return TUI_FALLBACK_TEXT;
	struct tui_opts defaults;
	if (!o) {
		tui_opts_default(&defaults);
		o = &defaults;
	}
	struct tui *t = calloc(1, sizeof *t);
	if (!t) {
		fprintf(stderr, "synwatch: out of memory starting the terminal view; try --history with fewer packets\n");
		return EXIT_FAILURE_RUNTIME;
	}
	t->pl = pl;
	t->o = o;
	t->live = pipeline_live(pl);
	t->linktype = pipeline_linktype(pl);
	t->zoom = -1;
	t->vf_warned = -1;
	t->ladder_headers = 2;
	t->paused = o->step;
	t->feed = o->feed;
	t->hold_live = t->feed && t->feed->live_calls && t->live;
	t->show_sockets = t->feed && t->feed->sockets;
	t->explain = o->explain || o->step || t->feed;
	clock_init(&t->clk, t->live ? 1.0 : o->speed);
	lv_init(&t->lv);
	lv_init(&t->fv);
	lv_init(&t->ladv);
	if (!tui_alloc(t)) {
		tui_release(t);
		free(t);
		fprintf(stderr, "synwatch: out of memory for the packet history; try a smaller --history\n");
		return EXIT_FAILURE_RUNTIME;
	}
	setlocale(LC_CTYPE, "");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		tui_release(t);
		free(t);
		return TUI_FALLBACK_TEXT;
	}
	static bool atexit_done;
	if (!atexit_done && atexit(tui_atexit) == 0)
		atexit_done = true;
	tui_curses_active = true;
	struct tui_sigsave sigsave;
	tui_stop_sig = 0;
	tui_signals_install(&sigsave);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	tui_colors_init(t);
	t->dirty = D_ALL;
	t->rate_wall = tui_now();
	if (t->paused && !t->live)
		tui_message(t, false, "paused before the first packet: s steps one, space plays, ? help");

	int code = EXIT_OK;
	int fd = pipeline_fd(pl);
	if (t->live) {
		/* The first screen, then the history made resident before the packets go in: no page faults in
		   a flood's first pass (the kernel's ring holds what comes meanwhile, a fraction of a second). */
		tui_draw(t);
		doupdate();
		hist_prefault(&t->hist);
		seqring_prefault(&t->shown);
		seqring_prefault(&t->flowpk);
		if (t->hold.pkt)
			hist_prefault(&t->hold);
	}
	/* Live: a reader thread pulls the packets; from here on the main thread holds the lock except around
	   terminal I/O and sleep. Without a thread (files, or none could start) the loop reads itself. */
	if (t->live) {
		/* What arrived while the history was made resident goes in before the reader starts: the main
		   loop's first tui_feed_pump would otherwise place calls from that time ahead of their packets. */
		int64_t w, until = tui_now() + 200 * 1000000LL; /* bounded: a flood never ends on its own */
		do
			tui_pump(t, &w);
		while (t->more && tui_now() < until);
	}
	bool threaded = t->live && fd >= 0 && tui_reader_start(t);
	tui_lock(t);
	for (;;) {
		if (tui_stop_sig)
			break;
		int64_t wait_ns = -1;
		if (!threaded)
			tui_pump(t, &wait_ns);
		tui_feed_pump(t);
		if (t->fastfwd && t->ended) {
			t->fastfwd = false;
			lv_end(&t->lv, tui_pane_rows(t, PANE_LIST));
			tui_list_moved(t);
		}

		/* keyboard and mouse (getch reads the terminal: without the lock) */
		bool quit = false;
		for (int i = 0; i < 64; i++) {
			tui_unlock(t);
			int key = getch();
			tui_lock(t);
			if (key == ERR)
				break;
			if (!tui_key(t, key)) {
				quit = true;
				break;
			}
		}
		if (quit)
			break;

		int64_t now = tui_now();
		if (now - t->rate_wall >= 1000000000LL) {
			t->rate = (double)(t->released - t->rate_count) * 1e9 / (double)(now - t->rate_wall);
			t->rate_wall = now;
			t->rate_count = t->released;
			t->dirty |= D_STATUS | D_FLOWDATA; /* kernel counters, flows expiring */
		}
		if (t->msg[0] && now >= t->msg_until)
			t->dirty |= D_FOOTER;
		if (t->dirty && now - t->last_draw >= TUI_FRAME_NS) {
			tui_draw(t);
			/* The terminal write, which blocks while the terminal does not read: the reader goes on. */
			tui_unlock(t);
			doupdate();
			tui_lock(t);
		}

		/* sleep until input, packets, the next frame, or the next replay packet */
		int64_t timeout_ns = 1000000000LL;
		if (t->more && !threaded)
			timeout_ns = 0;
		if (wait_ns >= 0 && wait_ns < timeout_ns)
			timeout_ns = wait_ns;
		if (t->dirty) {
			int64_t frame = t->last_draw + TUI_FRAME_NS - now;
			if (frame < timeout_ns)
				timeout_ns = frame > 0 ? frame : 0;
		}
		if (t->feed && timeout_ns > 20 * 1000000LL) /* calls, held packets and sockets come due */
			timeout_ns = 20 * 1000000LL;
		if (t->msg[0] && t->msg_until - now < timeout_ns)
			timeout_ns = t->msg_until - now > 0 ? t->msg_until - now : 0;
		struct pollfd pfd[3] = { { STDIN_FILENO, POLLIN, 0 }, { -1, POLLIN, 0 }, { -1, POLLIN, 0 } };
		int nfd = 1;
		if (threaded)
			pfd[nfd++].fd = t->rd.wake[0];
		else if (fd >= 0 && !t->ended && (t->live || !t->paused))
			pfd[nfd++].fd = fd; /* live, or a pipe being replayed */
		if (t->feed && t->feed->poll_fd >= 0 && !t->feed_ended_shown)
			pfd[nfd++].fd = t->feed->poll_fd;
		int ms = (int)((timeout_ns + 999999) / 1000000);
		if (threaded && !t->dirty)
			atomic_store(&t->rd.armed, true); /* nothing to draw: new packets wake us */
		tui_unlock(t);
		int prc = poll(pfd, (nfds_t)nfd, ms);
		int perr = errno;
		tui_lock(t);
		if (threaded) {
			atomic_store(&t->rd.armed, false);
			tui_wake_drain(&t->rd);
		}
		if (prc < 0 && perr != EINTR) {
			snprintf(t->errtext, sizeof t->errtext, "poll: %s", strerror(perr));
			t->capture_error = true;
			break;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break; /* the terminal went away */
	}
	tui_unlock(t);
	tui_reader_stop(t);

	endwin();
	delscreen(scr);
	tui_curses_active = false;
	tui_signals_restore(&sigsave);
	if (t->capture_error && t->pl_failed) {
		char msg[PCAP_ERRBUF_SIZE + 1024];
		code = pipeline_failure(t->pl, msg, sizeof msg);
		fprintf(stderr, "synwatch: %s\n", msg);
	} else if (t->capture_error) {
		fprintf(stderr, "synwatch: %s\n", t->errtext);
		code = EXIT_FAILURE_RUNTIME;
	}
	tui_release(t);
	free(t);
	return code;
}
