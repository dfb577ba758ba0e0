/* classroom.c — the classroom mode: call sources set up and stopped, the text/JSON merge of packets, calls and socket changes, the panel's feed. */
#include "app/classroom.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo_child.h"
#include "app/report.h"
#include "app/signals.h"
#include "common/clock.h"
#include "track/flow.h"
#include "view/view.h"

#define MERGE_GRACE_NS (100 * 1000000LL) /* live: an item waits at most this long for the other source */
#define LINGER_MS 1000                   /* after the traced command / the scenarios: last packets */
#define SOCKETS_EVERY_MS 100             /* --sockets: socket table read this often */

/* ---- Set-up and tear-down of the call sources ---- */

int classroom_open(struct classroom *m, const struct config *c, char *err, size_t errlen)
{
	m->demo_fd = -1;
	if (c->classroom) {
		m->demo_fd = demo_find(m->demo_path, sizeof m->demo_path);
		if (m->demo_fd < 0) {
			snprintf(err, errlen, "--classroom needs sockdemo, found neither next to synwatch nor in PATH; fix: run make (it builds build/sockdemo)");
			return EXIT_USAGE;
		}
	}
	if (c->events) {
		if (!events_reader_open(&m->er, c->events, err, errlen))
			return EXIT_USAGE;
		m->have_events = true;
	}
	return EXIT_OK;
}

/* Mark every descriptor above stderr close-on-exec: the traced command and sockdemo must not inherit the
   capture socket or the -w file (libpcap does not set FD_CLOEXEC). */
static void fds_cloexec(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end || e->d_name[0] == '.' || fd <= 2 || fd == self)
			continue;
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0)
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	closedir(d);
}

/* The user who ran us through sudo (SUDO_UID/SUDO_GID), when we are root; false otherwise. */
static bool invoking_user(uid_t *uid, gid_t *gid)
{
	unsigned long long u, g;
	if (geteuid() != 0 || !cli_number(getenv("SUDO_UID"), 0, UINT32_MAX, &u) ||
	    !cli_number(getenv("SUDO_GID"), 0, UINT32_MAX, &g) || u == 0)
		return false;
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return true;
}

int classroom_start_tracer(struct classroom *m, struct config *c, char *err, size_t errlen)
{
	fds_cloexec();
	if (!c->trace)
		return EXIT_OK;
	/* synwatch and the command share a user: the tracer tells sockets by reading the command's
	   /proc/PID/fd, which only the same user (or root) may. */
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	struct passwd *pw = NULL;
	if (c->user) {
		if (geteuid() == 0 && (pw = getpwnam(c->user)) != NULL) {
			uid = pw->pw_uid;
			gid = pw->pw_gid;
		}
	} else if (invoking_user(&uid, &gid) && (pw = getpwuid(uid)) != NULL) {
		snprintf(m->trace_user, sizeof m->trace_user, "%s", pw->pw_name);
		c->user = m->trace_user;
	} else {
		uid = (uid_t)-1;
		c->user = "root"; /* started by root itself: the command runs as root, and so do we */
	}
	/* The panel owns the terminal: there the command reads and writes /dev/null. */
	int saved[3] = { -1, -1, -1 };
	int nul = c->view == VIEW_TUI ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
	for (int i = 0; nul >= 0 && i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
		dup2(nul, i);
	}
	m->tracer = trace_start_as(c->trace_argv, uid, gid, err, errlen);
	for (int i = 0; i < 3; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		}
	}
	if (nul >= 0)
		close(nul);
	return m->tracer ? EXIT_OK : 127;
}

int classroom_start_demo(struct classroom *m, const struct config *c, char *err, size_t errlen)
{
	if (!c->classroom)
		return EXIT_OK;
	/* As the user we now are, so we can stop it; one round for text, a loop for the panel. */
	atexit(demo_cleanup);
	bool loop = c->view == VIEW_TUI || c->keep;
	bool ok = demo_start(m->demo_fd, m->demo_path, c->port, loop, err, errlen) &&
		  events_reader_open(&m->er, demo_events(), err, errlen);
	close(m->demo_fd);
	m->demo_fd = -1;
	if (!ok)
		return EXIT_FAILURE_RUNTIME;
	m->have_events = true;
	return EXIT_OK;
}

void classroom_close(struct classroom *m)
{
	trace_free(m->tracer);
	m->tracer = NULL;
	if (m->have_events)
		events_reader_close(&m->er);
	m->have_events = false;
	demo_cleanup();
}

int classroom_finish(struct classroom *m, const struct config *c, int code, int cmd_status)
{
	if (m->calls_shown)
		fprintf(stderr, "%llu socket calls shown\n", (unsigned long long)m->calls_shown);
	int st;
	if (c->classroom && demo_done(&st) && st != 0 && !signals_stop) {
		char last[1024];
		demo_last_error(last, sizeof last);
		fprintf(stderr, "synwatch: sockdemo exited with status %d%s%s\n", st, last[0] ? ": " : "", last);
		if (code == EXIT_OK)
			code = EXIT_FAILURE_RUNTIME;
	}
	if (c->trace) {
		if (!trace_done(m->tracer, &cmd_status))
			cmd_status = -1;
		if (code == EXIT_OK && !c->keep && cmd_status >= 0)
			code = cmd_status;
	}
	classroom_close(m);
	return code;
}

/* ---- The merged timeline: packets, socket calls (--events, --trace) and socket-table changes ---- */

/* A call as the ladder labels it: "connect()", "accept() = 4", "connect() = -1 ECONNREFUSED". */
static void call_label(const struct sock_event *ev, char *buf, size_t n)
{
	if (ev->ret < 0)
		snprintf(buf, n, "%s() = -1 %s", ev->call, ev->errname[0] ? ev->errname : "error");
	else if (strcmp(ev->call, "socket") && strcmp(ev->call, "close") && strcmp(ev->call, "connect") &&
		 strcmp(ev->call, "shutdown") && strcmp(ev->call, "listen") && strcmp(ev->call, "bind") &&
		 strcmp(ev->call, "setsockopt"))
		snprintf(buf, n, "%s() = %lld", ev->call, (long long)ev->ret);
	else
		snprintf(buf, n, "%s()", ev->call);
}

static void merge_call(struct classroom *m, const struct sock_event *ev)
{
	enum flow_dir side = DIR_C2S;
	const struct flow *f = NULL;
	enum tcp_state states[2] = { TCPS_NONE, TCPS_NONE };
	/* A call placed before its packets (connect, send, close) belongs to the flow they are in. */
	bool before = timeline_call_key(ev) < ev->ts_us * 1000;
	const struct tl_item *ahead = before ? timeline_match_ahead(&m->tl, ev, &side) : NULL;
	if (ahead) {
		f = &ahead->snap;
		states[0] = (enum tcp_state)ahead->row.before[0];
		states[1] = (enum tcp_state)ahead->row.before[1];
	} else if ((f = tl_flows_match(&m->flows, ev, &side)) != NULL) {
		states[0] = f->state[0];
		states[1] = f->state[1];
	} else if ((ahead = timeline_match_ahead(&m->tl, ev, &side)) != NULL) {
		f = &ahead->snap;
		states[0] = (enum tcp_state)ahead->row.before[0];
		states[1] = (enum tcp_state)ahead->row.before[1];
	}
	int64_t key = timeline_call_key(ev);
	m->calls_shown++;
	if (m->per_packet) {
		if (m->json)
			view_json_call(m->out, ev, key, f, side);
		else
			view_text_call(m->out, ev, key, m->nano, f, side);
		obuf_maybe_flush(m->out);
	}
	handout_call(m->handout, f, side, key, ev);
	if (m->book && f) {
		char label[LADDER_LABEL_MAX];
		call_label(ev, label, sizeof label);
		struct ladder_row row;
		ladder_row_call(&row, key, side, label, states);
		if (!ladder_book_add_call(m->book, f->id, &row)) {
			if (m->npend == CLASSROOM_PENDING_CALLS) {
				memmove(&m->pend[0], &m->pend[1], (CLASSROOM_PENDING_CALLS - 1) * sizeof m->pend[0]);
				m->npend--;
			}
			m->pend[m->npend].flow_id = f->id;
			m->pend[m->npend].row = row;
			m->npend++;
		}
	}
}

static void merge_release(struct classroom *m, const struct tl_item *it)
{
	switch (it->kind) {
	case TL_PACKET:
		if (m->per_packet && it->len)
			obuf_write(m->out, it->text, it->len);
		if (it->has_flow) {
			tl_flows_note(&m->flows, &it->snap);
			if (m->book) {
				size_t k = 0;
				for (size_t i = 0; i < m->npend; i++) {
					if (m->pend[i].flow_id == it->snap.id)
						ladder_book_add_row(m->book, &it->snap, &m->pend[i].row);
					else
						m->pend[k++] = m->pend[i];
				}
				m->npend = k;
				ladder_book_add_row(m->book, &it->snap, &it->row);
			}
		}
		break;
	case TL_CALL:
		merge_call(m, &it->ev);
		break;
	case TL_NOTE:
		if (it->len)
			obuf_write(m->out, it->text, it->len);
		break;
	}
	obuf_maybe_flush(m->out);
}

/* Release what is due (everything when all is true). */
static void merge_drain(struct classroom *m, bool all)
{
	if (all)
		m->tl.pkt_done = m->tl.call_done = true;
	int64_t now = m->live ? clock_real_ns() : INT64_MIN;
	const struct tl_item *it;
	while (!m->out->closed && (it = timeline_peek(&m->tl, now)) != NULL) {
		merge_release(m, it);
		timeline_pop(&m->tl);
	}
}

static void sock_change(enum sockdiag_change what, const struct sockdiag_row *before, const struct sockdiag_row *after,
			void *arg)
{
	struct classroom *m = arg;
	struct obuf *o = &m->scratch;
	int64_t now = clock_real_ns();
	o->len = 0;
	if (m->json)
		view_json_socket(o, what, before, after, now);
	else
		view_text_socket(o, what, before, after, now, m->nano);
	timeline_push_note(&m->tl, now, o->buf, o->len);
	o->len = 0;
}

/* --sockets: read the table and put its changes on the timeline. */
static void merge_sockets(struct classroom *m)
{
	char err[256];
	int nxt = 1 - m->cur;
	int n = sockdiag_snapshot(m->rows[nxt], CLASSROOM_SOCK_ROWS, m->o->ports, m->o->nports, err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "synwatch: --sockets: %s\n", err);
		return;
	}
	m->nrows[nxt] = (size_t)n > CLASSROOM_SOCK_ROWS ? CLASSROOM_SOCK_ROWS : (size_t)n;
	sockdiag_diff(m->rows[m->cur], m->sock_first ? 0 : m->nrows[m->cur], m->rows[nxt], m->nrows[nxt], 0,
		      sock_change, m);
	m->sock_first = false;
	m->cur = nxt;
}

/* Read what the events file and the tracer have now, leaving room in the timeline (the rest stays in the
   file for the next turn). True when the events file has nothing more now. */
static bool merge_calls(struct classroom *m)
{
	struct sock_event ev;
	char err[512];
	bool drained = true;
	if (m->have_events) {
		for (;;) {
			if (m->tl.ocount >= TL_OTHERS_MAX - 64) {
				drained = false;
				break;
			}
			enum events_status st = events_reader_next(&m->er, &ev, err, sizeof err);
			if (st == EVENTS_EVENT)
				timeline_push_call(&m->tl, &ev);
			else if (st == EVENTS_NONE)
				break;
			else
				fprintf(stderr, "synwatch: %s\n", err);
		}
	}
	if (m->tracer) {
		struct sock_event evs[64];
		int n;
		while ((n = trace_poll(m->tracer, evs, 64, 0)) > 0)
			for (int i = 0; i < n; i++)
				timeline_push_call(&m->tl, &evs[i]);
		if (n < 0)
			fprintf(stderr, "synwatch: --trace: %s\n", trace_error(m->tracer));
	}
	return drained;
}

/* Every flow a call was matched to has ended (FIN both ways, RST, refused): the last packets are in. */
static bool merge_flows_ended(const struct classroom *m)
{
	for (size_t i = 0; i < m->flows.n; i++) {
		const struct flow *f = &m->flows.f[i];
		if (f->proto == 6 && f->end == END_OPEN && !(f->state[0] == TCPS_TIME_WAIT || f->state[1] == TCPS_TIME_WAIT ||
							      (f->state[0] == TCPS_CLOSED && f->state[1] == TCPS_CLOSED)))
			return false;
	}
	return timeline_count(&m->tl) == 0;
}

int classroom_run(struct classroom *m, struct pipeline *pl, const struct config *o, struct obuf *out, int *cmd_status)
{
	static struct packet pkt;
	struct track_result tr;
	struct counters cnt = { 0 };
	m->o = o;
	m->out = out;
	m->json = o->view == VIEW_JSON;
	m->nano = pipeline_nanosecond(pl);
	m->live = pipeline_live(pl);
	m->per_packet = cli_per_packet(o);
	m->sock_first = true;
	if (report_ladder_new(o, &m->book) != EXIT_OK)
		return EXIT_FAILURE_RUNTIME;
	timeline_init(&m->tl, MERGE_GRACE_NS);
	obuf_init(&m->scratch, -1);
	if (!m->have_events && !m->tracer)
		m->tl.call_done = true;
	/* Replay: the events file as it is now, read as the packets go (a line of one process is rarely
	   written after a later line of another: calls count as ordered). */
	if (!m->live && m->have_events)
		m->tl.calls_ordered = true;
	int fd = pipeline_fd(pl);
	int64_t linger_from = -1;
	int64_t next_sock = 0;
	int code = EXIT_OK;
	while (!signals_stop && !out->closed) {
		if (!m->live && m->have_events && !m->tl.call_done && merge_calls(m))
			m->tl.call_done = true;
		int rc = 0, k = 0;
		while (k < 256 && (rc = pipeline_next(pl, &pkt, &tr)) == 1) {
			k++;
			report_count(&cnt, &pkt);
			handout_packet(m->handout, &pkt, &tr);
			m->scratch.len = 0;
			m->nano = pipeline_nanosecond(pl);
			if (m->per_packet) {
				if (m->json)
					view_json_packet(&m->scratch, &pkt, &tr, m->nano);
				else
					view_text_packet(&m->scratch, &pkt, &tr, m->nano);
			}
			struct ladder_row row;
			if (tr.flow)
				ladder_row_from(&row, &pkt, &tr);
			timeline_push_packet(&m->tl, (int64_t)pkt.ts_sec * 1000000000 + pkt.ts_nsec, pkt.n, m->scratch.buf,
					     m->scratch.len, tr.flow ? &row : NULL, tr.flow);
			m->scratch.len = 0;
		}
		if (rc == -1)
			break;
		if (rc == -2) {
			merge_drain(m, true);
			obuf_flush(out);
			code = report_failure(pl);
			break;
		}
		if (m->live)
			merge_calls(m);
		if (o->sockets && clock_ms() >= next_sock) {
			merge_sockets(m);
			next_sock = clock_ms() + SOCKETS_EVERY_MS;
		}
		merge_drain(m, false);
		if (signals_usr1) {
			signals_usr1 = 0;
			report_flows(out, pl, m->json);
		}
		/* The traced command or the one round of scenarios ended: wait for the last packets. */
		int st;
		if (linger_from < 0 && m->tracer && trace_done(m->tracer, &st)) {
			*cmd_status = st;
			linger_from = clock_ms();
		}
		if (linger_from < 0 && demo_reap(&st)) {
			*cmd_status = st;
			linger_from = clock_ms();
			merge_calls(m); /* its last lines */
		}
		if (linger_from >= 0 && !o->keep) {
			int64_t waited = clock_ms() - linger_from;
			if (waited >= LINGER_MS || (waited >= 150 && merge_flows_ended(m)))
				break;
		}
		if (rc == 0 && k == 0) {
			obuf_flush(out);
			pipeline_flush(pl);
			struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
			if (m->tracer && linger_from < 0)
				pfd[1].fd = trace_fd(m->tracer);
			int64_t w = timeline_wait_ns(&m->tl, clock_real_ns());
			int timeout = m->have_events || o->sockets || linger_from >= 0 ? 20 : 250;
			if (w >= 0 && w / 1000000 + 1 < timeout)
				timeout = (int)(w / 1000000) + 1;
			poll(pfd, 2, timeout);
		}
	}
	/* The rest: what came in last (live), or what the replay has not reached. */
	for (int i = 0; i < 1000000 && !out->closed; i++) {
		bool drained = merge_calls(m);
		if (drained)
			break;
		merge_drain(m, true);
		m->tl.pkt_done = m->tl.call_done = false;
	}
	merge_drain(m, true);
	code = report_end(out, pl, o, &cnt, m->book, m->handout, code);
	m->book = NULL;
	timeline_free(&m->tl);
	obuf_flush(out);
	return code;
}

/* ---- The panel's feed (struct tui_feed) ---- */

/* The panel's source of calls: the events file, then the tracer. */
static size_t feed_calls(void *arg, struct sock_event *out, size_t max)
{
	struct classroom *m = arg;
	size_t n = 0;
	char err[512];
	while (n < max) {
		if (m->have_events) {
			enum events_status st = events_reader_next(&m->er, &out[n], err, sizeof err);
			if (st == EVENTS_EVENT) {
				n++;
				continue;
			}
			if (st == EVENTS_BAD)
				continue; /* counted by the reader; a terminal cannot take a message mid-screen */
		}
		if (m->tracer) {
			if (m->tbuf_i < m->tbuf_n) {
				out[n++] = m->tbuf[m->tbuf_i++];
				continue;
			}
			int k = trace_poll(m->tracer, m->tbuf, sizeof m->tbuf / sizeof m->tbuf[0], 0);
			if (k > 0) {
				m->tbuf_n = (size_t)k;
				m->tbuf_i = 0;
				continue;
			}
		}
		break;
	}
	return n;
}

/* The panel's status line once the traced command or sockdemo ended, else NULL. */
static const char *feed_status(void *arg)
{
	struct classroom *m = arg;
	int st;
	if (m->tracer && trace_done(m->tracer, &st)) {
		snprintf(m->status, sizeof m->status, "the traced command exited with status %d; q quits", st);
		return m->status;
	}
	if (demo_reap(&st)) {
		char last[1024];
		demo_last_error(last, sizeof last);
		snprintf(m->status, sizeof m->status, "sockdemo exited with status %d%s%s", st, last[0] ? ": " : "", last);
		return m->status;
	}
	return NULL;
}

void classroom_feed(struct classroom *m, const struct config *c, struct pipeline *pl, struct tui_feed *feed)
{
	feed->calls = m->have_events || m->tracer ? feed_calls : NULL;
	feed->arg = m;
	feed->live_calls = (m->have_events || m->tracer) && pipeline_live(pl);
	feed->sockets = c->sockets;
	feed->ports = c->ports;
	feed->nports = c->nports;
	feed->status = feed_status;
	feed->poll_fd = m->tracer ? trace_fd(m->tracer) : -1;
}
