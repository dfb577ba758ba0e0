/* classroom.c — the classroom mode: call sources set up and stopped, the session that merges them, its text/JSON view. */
#include "app/classroom.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "app/demo_child.h"
#include "app/report.h"
#include "app/signals.h"
#include "common/clock.h"
#include "track/flow.h"
#include "track/summary.h"
#include "tui/tui.h"
#include "view/view.h"

#define MERGE_GRACE_NS (100 * 1000000LL) /* live: every item waits this long for a source that cannot say more */
#define BODY_BUDGET (16u << 20)          /* bytes kept with the packets the session holds (text, or bytes) */
#define LINGER_MS 1000                   /* after the traced command / the scenarios: last packets */
#define SOCKETS_EVERY_MS 100             /* --sockets: socket table read this often (text) */
#define CLASSROOM_PANEL_PACE 1.0         /* --classroom in the panel: sockdemo's wait before each call (s) */

/* ---- Set-up and tear-down of the call sources ---- */

int classroom_pick_port(struct config *c, char *note, size_t notelen, char *err, size_t errlen)
{
	note[0] = '\0';
	if (!c->classroom || demo_port_free(c->port))
		return EXIT_OK;
	if (c->port_given) {
		snprintf(err, errlen, "--classroom -p %u: another program has a socket on port %u of lo (ss -tuanp "
				      "'sport = :%u' names it); fix: stop it, or pick a free port with -p PORT",
			 c->port, c->port, c->port);
		return EXIT_USAGE;
	}
	for (unsigned p = c->port + 2; p < c->port + 100 && p < 65535; p += 2) {
		if (demo_port_free(p) && demo_port_free(p + 1)) {
			snprintf(note, notelen, "port %u is taken by another program (ss -tuanp 'sport = :%u' names it): "
						"the classroom uses port %u", c->port, c->port, p);
			c->port = p;
			snprintf(c->filter, sizeof c->filter, CLI_CLASSROOM_FILTER, c->port);
			return EXIT_OK;
		}
	}
	snprintf(err, errlen, "--classroom: port %u and the next 100 ports of lo are taken; fix: pick a free port with -p PORT", c->port);
	return EXIT_USAGE;
}

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
	struct session_opts so = {
		.grace_ns = MERGE_GRACE_NS, .sockets = c->sockets, .ports = c->ports, .nports = c->nports,
		.sockets_every_ns = SOCKETS_EVERY_MS * 1000000LL, .body_budget = BODY_BUDGET,
	};
	if (!session_init(&m->s, &so)) {
		snprintf(err, errlen, "out of memory for the classroom timeline");
		return EXIT_FAILURE_RUNTIME;
	}
	m->have_session = true;
	if (c->events) {
		if (!events_source_open(&m->events, c->events, !c->p.file, MERGE_GRACE_NS, err, errlen))
			return EXIT_USAGE;
		m->have_events = true;
		session_add(&m->s, &m->events.base);
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
	/* The command's own terminal: the panel owns synwatch's, and text keeps its output apart. */
	if (!progtty_open(&m->tty, err, errlen))
		return EXIT_FAILURE_RUNTIME;
	m->prog = &m->tty;
	m->tracer = trace_start_as(c->trace_argv, uid, gid, m->tty.slave, err, errlen);
	if (m->tracer) {
		progtty_name(&m->tty, c->trace_argv[0], trace_pid(m->tracer));
		/* Text and JSON: its lines go to synwatch's stderr, prefixed; the panel sizes it to its pane. */
		struct winsize ws;
		if (c->view != VIEW_TUI && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			progtty_resize(&m->tty, ws.ws_row, progtty_text_cols(&m->tty, ws.ws_col));
		trace_source_init(&m->trace, m->tracer, MERGE_GRACE_NS);
		session_add(&m->s, &m->trace.base);
	}
	return m->tracer ? EXIT_OK : 127;
}

/* --classroom's sockdemo ended: its status and what it said last. */
static bool classroom_demo_ended(int *status, char *line, size_t n)
{
	if (!demo_reap(status))
		return false;
	char last[1024];
	demo_last_error(last, sizeof last);
	snprintf(line, n, "sockdemo exited with status %d%s%s", *status, last[0] ? ": " : "", last);
	return true;
}

int classroom_start_demo(struct classroom *m, const struct config *c, char *err, size_t errlen)
{
	if (!c->classroom)
		return EXIT_OK;
	/* As the user we now are, so we can stop it; one round for text, a loop for the panel. */
	atexit(demo_cleanup);
	bool loop = c->view == VIEW_TUI || c->keep;
	m->pace = c->pace_given ? c->pace : c->view == VIEW_TUI ? CLASSROOM_PANEL_PACE : 0;
	bool ok = demo_start(m->demo_fd, m->demo_path, c->port, loop, m->pace, err, errlen) &&
		  events_source_open(&m->events, demo_events(), true, MERGE_GRACE_NS, err, errlen);
	close(m->demo_fd);
	m->demo_fd = -1;
	if (!ok)
		return EXIT_FAILURE_RUNTIME;
	m->events.program_ended = classroom_demo_ended;
	m->pace_on = true;
	m->have_events = true;
	session_add(&m->s, &m->events.base);
	return EXIT_OK;
}

/* ---- Lessons: replayed from -r, recorded into a pcapng -w ---- */

static bool feed_next(void *arg, const uint8_t **data, size_t *len, uint64_t *offset)
{
	return pipeline_custom_next(arg, data, len, offset);
}

static int64_t feed_upto(void *arg)
{
	return pipeline_read_upto(arg);
}

int classroom_replay(struct classroom *m, struct config *c, struct pipeline *pl, char *err, size_t errlen)
{
	const uint8_t *data;
	size_t len;
	uint64_t off;
	struct lesson_block head;
	char why[256];
	if (!pipeline_custom_next(pl, &data, &len, &off) || lesson_decode(data, len, &head, why, sizeof why) != 1 ||
	    head.kind != LESSON_HEADER || c->events) {
		pipeline_custom_off(pl); /* not a lesson, or --events brings the calls */
		return EXIT_OK;
	}
	if (!c->merged) {
		c->merged = true;
		int code = classroom_open(m, c, err, errlen);
		if (code != EXIT_OK)
			return code;
	}
	struct lesson_feed feed = { feed_next, feed_upto, pl };
	lesson_source_init(&m->lesson, &feed, c->p.file);
	m->have_lesson = true;
	session_add(&m->s, &m->lesson.base);
	if (head.flags & LESSON_HAS_SOCKETS) {
		memcpy(m->lesson_ports, head.ports, head.nports * sizeof head.ports[0]);
		m->s.o.sockets_replayed = true;
		m->s.o.ports = m->lesson_ports;
		m->s.o.nports = head.nports;
	}
	return EXIT_OK;
}

static void rec_packet(void *arg, const struct pkt_summary *p, const uint8_t *data, uint32_t caplen, const char *comment,
		       size_t comment_len)
{
	pipeline_write_packet(arg, p->linktype, p->ts_ns, caplen, p->len, data, comment, comment_len);
}

static void rec_block(void *arg, const uint8_t *data, size_t len)
{
	pipeline_write_custom(arg, data, len);
}

static void rec_flush(void *arg)
{
	pipeline_flush(arg);
}

int classroom_record(struct classroom *m, const struct config *c, struct pipeline *pl, char *err, size_t errlen)
{
	if (!pipeline_writes_pcapng(pl))
		return EXIT_OK;
	pipeline_hold_writes(pl);
	/* the calls are known: from the events file, the tracer, sockdemo, or the lesson replayed */
	bool calls = c->events || c->trace || c->classroom || m->have_lesson;
	bool sockets = c->sockets || m->s.o.sockets_replayed;
	struct recorder_opts ro = {
		.comments = calls, .live = pipeline_live(pl),
		.flags = (calls ? LESSON_HAS_CALLS : 0u) | (sockets ? LESSON_HAS_SOCKETS : 0u),
		.ports = m->s.o.ports, .nports = m->s.o.nports,
	};
	struct recorder_out out = { rec_packet, rec_block, rec_flush, pl };
	m->body_cap = PCAPNG_MAX_CAPLEN + OBUF_SIZE;
	m->body = malloc(m->body_cap);
	if (!m->body || !recorder_init(&m->rec, &ro, &out)) {
		snprintf(err, errlen, "out of memory for recording the lesson into '%s'", c->p.write);
		return EXIT_FAILURE_RUNTIME;
	}
	m->recording = true;
	m->s.o.tap = recorder_tap(&m->rec);
	return EXIT_OK;
}

void classroom_record_end(struct classroom *m)
{
	if (!m->recording)
		return;
	session_packets_upto(&m->s, INT64_MAX);
	struct session_item it;
	while (session_peek(&m->s, true, &it))
		session_pop(&m->s);
	recorder_flush(&m->rec);
}

void classroom_close(struct classroom *m)
{
	classroom_record_end(m);
	if (m->recording) {
		m->s.o.tap.item = NULL;
		m->s.o.tap.tick = NULL;
		recorder_free(&m->rec);
		m->recording = false;
	}
	free(m->body);
	m->body = NULL;
	if (m->have_session)
		session_close(&m->s);
	m->have_session = m->have_events = m->have_lesson = false;
	trace_free(m->tracer);
	m->tracer = NULL;
	if (m->prog)
		progtty_close(m->prog);
	m->prog = NULL;
	demo_cleanup();
}

int classroom_finish(struct classroom *m, const struct config *c, int code, int cmd_status)
{
	if (m->calls_shown)
		fprintf(stderr, "%llu socket calls shown\n", (unsigned long long)m->calls_shown);
	/* the text view worded the first malformed lesson blocks; the panel (which owns the terminal) none */
	uint64_t worded = c->view == VIEW_TUI ? 0 : LESSON_WARNINGS;
	if (m->have_lesson && m->lesson.bad > worded)
		fprintf(stderr, "synwatch: '%s': %llu malformed lesson blocks left out%s\n", m->lesson.name,
			(unsigned long long)m->lesson.bad, worded ? " in all" : "");
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

/* ---- The text/JSON view of the session: packets, socket calls (--events, --trace) and socket-table changes ---- */

static void classroom_say(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "synwatch: %s\n", line);
}

static void view_call(struct classroom *m, const struct session_item *it)
{
	const struct flow *f = it->call_flow;
	m->calls_shown++;
	if (m->per_packet) {
		if (m->json)
			view_json_call(m->out, it->ev, it->at_ns, f, it->side);
		else
			view_text_call(m->out, it->ev, it->at_ns, m->nano, f, it->side);
		obuf_maybe_flush(m->out);
	}
	handout_call(m->handout, f, it->side, it->at_ns, it->ev);
	if (m->book && f) {
		struct ladder_call call;
		ladder_call_from(&call, it->ev, it->at_ns, it->side);
		if (!ladder_book_add_call(m->book, f, &call, false)) { /* a connect before its flow's first packet */
			if (m->npend == CLASSROOM_PENDING_CALLS) {
				memmove(&m->pend[0], &m->pend[1], (CLASSROOM_PENDING_CALLS - 1) * sizeof m->pend[0]);
				m->npend--;
			}
			m->pend[m->npend].flow_id = f->id;
			m->pend[m->npend].call = call;
			m->npend++;
		}
	}
}

static void view_packet(struct classroom *m, const struct session_item *it)
{
	size_t skip = m->recording ? (it->pkt->caplen < it->len ? it->pkt->caplen : it->len) : 0; /* the bytes first */
	if (m->per_packet && it->len > skip)
		obuf_write(m->out, it->body + skip, it->len - skip);
	if (!m->book || !it->flow)
		return;
	size_t k = 0;
	for (size_t i = 0; i < m->npend; i++) {
		if (m->pend[i].flow_id == it->flow->id)
			ladder_book_add_call(m->book, it->flow, &m->pend[i].call, true);
		else
			m->pend[k++] = m->pend[i];
	}
	m->npend = k;
	ladder_book_add_summary(m->book, it->flow, it->pkt);
}

static void view_note(struct classroom *m, const struct session_item *it)
{
	const struct tl_note *n = it->note;
	const struct sockdiag_row *before = n->has_before ? &n->before : NULL, *after = n->has_after ? &n->after : NULL;
	if (m->json)
		view_json_socket(m->out, (enum sockdiag_change)n->what, before, after, it->at_ns);
	else
		view_text_socket(m->out, (enum sockdiag_change)n->what, before, after, it->at_ns, m->nano);
}

/* ---- --trace's command's terminal in text/JSON: its lines on stderr, our stdin on to it ---- */

static void prog_say(void *arg, const char *text)
{
	const struct progtty *p = arg;
	fprintf(stderr, "%s| %s\n", p->name, text);
}

/* Whether synwatch's stdin is passed on: anything it can read, but not a terminal it shares as a background
   job (reading it would stop synwatch). */
static bool stdin_forwardable(void)
{
	if (fcntl(STDIN_FILENO, F_GETFL) < 0)
		return false;
	return !isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/* The command's output so far to stderr; what stdin has ready to the command (its end as end-of-file). */
static void prog_turn(struct classroom *m)
{
	if (!m->prog)
		return;
	progtty_pump(m->prog, clock_mono_ns(), prog_say, m->prog);
	struct pollfd in = { STDIN_FILENO, POLLIN, 0 };
	if (!m->fwd_stdin || poll(&in, 1, 0) <= 0)
		return;
	char buf[4096];
	ssize_t k = read(STDIN_FILENO, buf, sizeof buf);
	if (k > 0) {
		progtty_send(m->prog, buf, (size_t)k);
	} else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
		progtty_send_eof(m->prog);
		m->fwd_stdin = false;
	}
}

/* Hand out one item. */
static void merge_release(struct classroom *m, const struct session_item *it)
{
	if (it->kind == TL_PACKET)
		view_packet(m, it);
	else if (it->kind == TL_CALL)
		view_call(m, it);
	else
		view_note(m, it);
	obuf_maybe_flush(m->out);
	session_pop(&m->s);
}

/* Hand out what is due (everything held with force). */
static void merge_drain(struct classroom *m, bool force)
{
	struct session_item it;
	while (!m->out->closed && session_peek(&m->s, force, &it))
		merge_release(m, &it);
}

/* Read the sources; when one has more than the timeline holds, what is due goes out, and the earliest too
   when only the call sources hold it back (one lags further than the timeline's bound). */
static void merge_pump(struct classroom *m)
{
	struct session_item it;
	while (!m->out->closed && session_pump(&m->s, clock_real_ns())) {
		merge_drain(m, false);
		if (!session_stuck(&m->s) || !session_peek(&m->s, true, &it))
			break;
		merge_release(m, &it);
	}
}

/* Room for a packet keeping len bytes: what is due goes out, then (a source lags too far) the earliest. */
static void merge_room(struct classroom *m, size_t len)
{
	struct session_item it;
	merge_drain(m, false);
	while (!session_room(&m->s, len) && session_peek(&m->s, true, &it))
		merge_release(m, &it);
}

int classroom_run(struct classroom *m, struct pipeline *pl, const struct config *o, struct obuf *out, int *cmd_status)
{
	static struct packet pkt;
	struct track_result tr;
	struct pkt_summary sum;
	struct counters cnt = { 0 };
	m->o = o;
	m->out = out;
	m->json = o->view == VIEW_JSON;
	m->nano = pipeline_nanosecond(pl);
	m->live = pipeline_live(pl);
	m->per_packet = cli_per_packet(o);
	m->s.o.notes = o->sockets;
	m->s.o.sockets_every_ns = SOCKETS_EVERY_MS * 1000000LL;
	m->s.o.message = classroom_say;
	if (report_ladder_new(o, &m->book) != EXIT_OK)
		return EXIT_FAILURE_RUNTIME;
	obuf_init(&m->scratch, -1);
	int fd = pipeline_fd(pl);
	int64_t linger_from = -1;
	m->fwd_stdin = m->prog && stdin_forwardable();
	int code = EXIT_OK;
	while (!signals_stop && !out->closed) {
		/* Replay: the events file as it is now, read before the packets it may precede. */
		if (!m->live)
			merge_pump(m);
		int rc = 0, k = 0;
		int64_t asked = 0; /* when the capture was last asked for a packet */
		while (k < 256 && (asked = clock_real_ns(), rc = pipeline_next(pl, &pkt, &tr)) == 1) {
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
			summary_from(&sum, &pkt, &tr);
			const void *body = m->scratch.buf;
			size_t blen = m->scratch.len;
			if (m->recording) { /* the recording takes the bytes (those a pcapng block holds): they go first */
				if (sum.caplen > PCAPNG_MAX_CAPLEN)
					sum.caplen = PCAPNG_MAX_CAPLEN;
				memcpy(m->body, pkt.data, sum.caplen);
				memcpy(m->body + sum.caplen, m->scratch.buf, m->scratch.len);
				body = m->body;
				blen = sum.caplen + m->scratch.len;
			}
			if (!session_room(&m->s, blen))
				merge_room(m, blen);
			session_push_packet(&m->s, &sum, tr.flow, body, blen);
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
		/* Live: every packet captured before the capture ran dry has been read, but the kernel hands
		   packets over in blocks: what is older than the grace is certainly in. */
		if (m->live && rc == 0)
			session_packets_upto(&m->s, asked - MERGE_GRACE_NS);
		if (m->live)
			merge_pump(m);
		merge_drain(m, false);
		if (signals_usr1) {
			signals_usr1 = 0;
			report_flows(out, pl, m->json);
		}
		prog_turn(m);
		/* The traced command or the one round of scenarios ended: wait for the last packets. */
		int st;
		char line[1200];
		if (linger_from < 0 && session_ended(&m->s, &st, line, sizeof line)) {
			*cmd_status = st;
			linger_from = clock_ms();
			merge_pump(m); /* its last lines */
		}
		if (linger_from >= 0 && !o->keep) {
			int64_t waited = clock_ms() - linger_from;
			if (waited >= LINGER_MS || (waited >= 150 && session_flows_ended(&m->s)))
				break;
		}
		if (rc == 0 && k == 0) {
			obuf_flush(out);
			pipeline_flush(pl);
			struct pollfd pfd[4] = { { .fd = fd, .events = POLLIN }, { .fd = -1, .events = POLLIN },
						 { .fd = -1, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
			if (linger_from < 0)
				pfd[1].fd = session_poll_fd(&m->s);
			if (m->prog && !m->prog->ended)
				pfd[2].fd = m->prog->fd;
			if (m->fwd_stdin)
				pfd[3].fd = STDIN_FILENO;
			int timeout = m->have_events || o->sockets || linger_from >= 0 || session_held(&m->s) ? 20 : 250;
			if (m->prog && m->prog->npart && timeout > PROGTTY_HOLD_NS / 1000000)
				timeout = (int)(PROGTTY_HOLD_NS / 1000000);
			poll(pfd, 4, timeout);
		}
	}
	prog_turn(m);
	/* The rest: what came in last (live), or what the replay has not reached. */
	session_packets_upto(&m->s, INT64_MAX);
	for (int i = 0; i < 1000000 && !out->closed; i++) {
		bool more = session_pump(&m->s, clock_real_ns());
		merge_drain(m, true);
		if (!more)
			break;
	}
	merge_drain(m, true);
	classroom_record_end(m);
	code = report_end(out, pl, o, &cnt, m->book, m->handout, code);
	m->book = NULL;
	obuf_flush(out);
	return code;
}

/* ---- The panel's session ---- */

/* The panel's - and + keys: sockdemo's wait between socket calls, halved or doubled (0 below 0.1 s, at
   most 8 s; from 0, slower starts at 0.25 s). */
static bool classroom_pace(void *arg, bool faster, double *seconds)
{
	struct classroom *m = arg;
	if (!m->have_events || !m->pace_on)
		return false;
	double p = faster ? m->pace / 2 : m->pace > 0 ? m->pace * 2 : 0.25;
	if (p < 0.1)
		p = 0;
	if (p > 8)
		p = 8;
	if (!demo_set_pace(p))
		return false;
	m->pace = *seconds = p;
	return true;
}

struct progtty *classroom_program(struct classroom *m)
{
	return m->prog;
}

struct session *classroom_session(struct classroom *m)
{
	m->s.o.pace = classroom_pace;
	m->s.o.arg = m;
	m->s.o.notes = m->recording && m->s.o.sockets; /* the panel shows the table itself; a recording keeps its changes */
	m->s.o.sockets_every_ns = (int64_t)TUI_SOCKETS_EVERY_MS * 1000000;
	return &m->s;
}
