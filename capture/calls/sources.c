/* sources.c — the call sources of a session: an events file (followed live, or read whole beside a capture), the tracer, and a lesson's blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls/lesson.h"
#include "calls/session.h"

/* ---- the events file ---- */

/* Replay: every process's first call's place and last line, from a first pass over the file. */
struct replay_pid {
	int32_t pid;
	bool started;        /* a line of it has been read */
	bool done;           /* its last line has been read */
	int64_t first_key;   /* where its first call stands */
	int64_t wm_ns;       /* return time of its latest line read */
	uint64_t last_line;  /* the file line number of its last line */
};
struct replay_pids {
	struct replay_pid *p; /* sorted by pid */
	size_t n, cap;
};

static struct replay_pid *replay_find(struct replay_pids *r, int32_t pid)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->p[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->p[lo].pid == pid ? &r->p[lo] : NULL;
}

/* The pid's entry, inserted in order when new; NULL when out of memory. */
static struct replay_pid *replay_add(struct replay_pids *r, int32_t pid)
{
	struct replay_pid *e = replay_find(r, pid);
	if (e)
		return e;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		struct replay_pid *np = realloc(r->p, nc * sizeof *np);
		if (!np)
			return NULL;
		r->p = np;
		r->cap = nc;
	}
	size_t pos = r->n;
	while (pos > 0 && r->p[pos - 1].pid > pid)
		pos--;
	memmove(&r->p[pos + 1], &r->p[pos], (r->n - pos) * sizeof *r->p);
	r->n++;
	e = &r->p[pos];
	memset(e, 0, sizeof *e);
	e->pid = pid;
	e->first_key = INT64_MAX;
	return e;
}

/* The first pass: which processes write the file, where each begins and which line is its last. */
static bool replay_scan(struct replay_pids *r, const char *path, char *err, size_t errlen)
{
	struct events_reader er;
	if (!events_reader_open(&er, path, err, errlen))
		return false;
	struct sock_event ev;
	char why[512];
	enum events_status st;
	while ((st = events_reader_next(&er, &ev, why, sizeof why)) != EVENTS_NONE) {
		if (st == EVENTS_ERROR)
			break;
		if (st != EVENTS_EVENT)
			continue;
		struct replay_pid *e = replay_add(r, ev.pid);
		if (!e)
			break; /* out of memory: processes not listed do not hold the replay back */
		int64_t key = timeline_call_key(&ev);
		if (key < e->first_key)
			e->first_key = key;
		e->last_line = er.lineno;
	}
	events_reader_close(&er);
	return true;
}

/* Replay: every call still to come stands after the latest line of each process with lines left, and
   after the first call of each process not begun. */
static int64_t replay_horizon(const struct replay_pids *r)
{
	int64_t h = INT64_MAX;
	for (size_t i = 0; i < r->n; i++) {
		const struct replay_pid *e = &r->p[i];
		int64_t ph = e->done ? INT64_MAX : e->started ? e->wm_ns : e->first_key;
		if (ph < h)
			h = ph;
	}
	return h;
}

static void events_look(struct call_source *s, int64_t now_ns, int64_t below_ns)
{
	struct events_source *e = (struct events_source *)s;
	if (e->live)
		procwatch_look(&e->pw, now_ns, below_ns);
}

static size_t events_read(struct call_source *s, struct sock_event *out, size_t max, char *msg, size_t msglen)
{
	struct events_source *e = (struct events_source *)s;
	size_t n = 0;
	while (n < max) {
		enum events_status st = events_reader_next(&e->er, &out[n], msg, msglen);
		if (st == EVENTS_NONE)
			break;
		if (st != EVENTS_EVENT)
			return n; /* msg says what was wrong */
		const struct sock_event *ev = &out[n++];
		if (e->live) {
			procwatch_line(&e->pw, ev);
			continue;
		}
		struct replay_pid *p = e->replay ? replay_find(e->replay, ev->pid) : NULL;
		if (p) {
			p->started = true;
			if (ev->ts_us * 1000 > p->wm_ns)
				p->wm_ns = ev->ts_us * 1000;
			if (e->er.lineno >= p->last_line)
				p->done = true;
		}
	}
	msg[0] = '\0';
	return n;
}

static int64_t events_horizon(struct call_source *s, int64_t read_ns, int64_t now_ns)
{
	struct events_source *e = (struct events_source *)s;
	if (e->live) {
		procwatch_read_done(&e->pw, read_ns);
		return procwatch_horizon(&e->pw, now_ns);
	}
	return e->replay ? replay_horizon(e->replay) : INT64_MAX;
}

static bool events_ended(struct call_source *s, int *status, char *line, size_t n)
{
	struct events_source *e = (struct events_source *)s;
	return e->program_ended && e->program_ended(status, line, n);
}

static void events_close(struct call_source *s)
{
	struct events_source *e = (struct events_source *)s;
	events_reader_close(&e->er);
	if (e->replay)
		free(e->replay->p);
	free(e->replay);
	e->replay = NULL;
}

static const struct call_source_class events_class = {
	.look = events_look, .read = events_read, .horizon = events_horizon, .ended = events_ended,
	.close = events_close,
};

bool events_source_open(struct events_source *e, const char *path, bool live, int64_t grace_ns, char *err,
			size_t errlen)
{
	memset(e, 0, sizeof *e);
	e->base.cls = &events_class;
	e->live = live;
	if (!events_reader_open(&e->er, path, err, errlen))
		return false;
	if (live) {
		procwatch_init(&e->pw, grace_ns);
		return true;
	}
	e->replay = calloc(1, sizeof *e->replay);
	if (e->replay && !replay_scan(e->replay, path, err, errlen)) {
		events_close(&e->base);
		return false;
	}
	return true;
}

/* ---- the tracer ---- */

static size_t trace_read(struct call_source *s, struct sock_event *out, size_t max, char *msg, size_t msglen)
{
	struct trace_source *t = (struct trace_source *)s;
	int n = trace_poll(t->t, out, max, 0);
	if (n < 0) {
		snprintf(msg, msglen, "--trace: %s", trace_error(t->t));
		return 0;
	}
	return (size_t)n;
}

/* The tracer reports a call when the traced process stops at the call's exit, which it does until the
   tracer has seen it: what returned before the read began is in. A call still inside the kernel stands at
   its entry, maybe before: the grace is for it. */
static int64_t trace_horizon(struct call_source *s, int64_t read_ns, int64_t now_ns)
{
	struct trace_source *t = (struct trace_source *)s;
	(void)now_ns;
	if (trace_done(t->t, NULL))
		return INT64_MAX;
	return read_ns - t->grace_ns;
}

static int trace_pollfd(struct call_source *s)
{
	struct trace_source *t = (struct trace_source *)s;
	return trace_done(t->t, NULL) ? -1 : trace_fd(t->t);
}

static bool trace_ended(struct call_source *s, int *status, char *line, size_t n)
{
	struct trace_source *t = (struct trace_source *)s;
	int st;
	if (!trace_done(t->t, &st))
		return false;
	*status = st;
	snprintf(line, n, "the traced command exited with status %d", st);
	return true;
}

static void trace_close(struct call_source *s)
{
	(void)s; /* the tracer is the classroom's to stop (it outlives the session in the closing lines) */
}

static const struct call_source_class trace_class = {
	.read = trace_read, .horizon = trace_horizon, .poll_fd = trace_pollfd, .ended = trace_ended,
	.close = trace_close,
};

void trace_source_init(struct trace_source *s, struct tracer *t, int64_t grace_ns)
{
	memset(s, 0, sizeof *s);
	s->base.cls = &trace_class;
	s->t = t;
	s->grace_ns = grace_ns;
}

/* ---- a lesson (-r LESSON.pcapng): its calls and socket-table changes ---- */

static size_t lesson_read_items(struct call_source *cs, struct timeline *tl, size_t max, char *msg, size_t msglen)
{
	struct lesson_source *s = (struct lesson_source *)cs;
	struct lesson_block b;
	char why[256];
	const uint8_t *data;
	size_t len, n = 0;
	uint64_t off;
	while (n < max && s->feed.next(s->feed.arg, &data, &len, &off)) {
		int rc = lesson_decode(data, len, &b, why, sizeof why);
		if (rc == 0) {
			s->foreign++;
			continue;
		}
		if (rc < 0) {
			if (++s->bad > LESSON_WARNINGS)
				continue;
			snprintf(msg, msglen, "'%s': custom block at offset %llu: %s; left out, the packets are read on%s",
				 s->name, (unsigned long long)off, why,
				 s->bad == LESSON_WARNINGS ? " (further malformed blocks are counted at the end)" : "");
			return n;
		}
		int64_t key;
		if (b.kind == LESSON_CALL) {
			timeline_push_call(tl, &b.ev);
			key = timeline_call_key(&b.ev);
			s->calls++;
		} else if (b.kind == LESSON_SOCKET) {
			timeline_push_note(tl, b.at_ns, &b.note);
			key = b.at_ns;
			s->changes++;
		} else {
			continue; /* a header: the caller read the first one */
		}
		if (key > s->seen)
			s->seen = key;
		n++;
	}
	return n;
}

/* Blocks stand in the order their items were handed out, each at or after the places of those before it
   (lesson.h): once the reader has nothing more waiting, every call still to come stands at or after the
   latest place read, of a block or a packet. */
static int64_t lesson_horizon(struct call_source *cs, int64_t read_ns, int64_t now_ns)
{
	struct lesson_source *s = (struct lesson_source *)cs;
	(void)read_ns;
	(void)now_ns;
	int64_t upto = s->feed.upto(s->feed.arg);
	if (upto == INT64_MAX)
		return INT64_MAX;
	int64_t h = upto > s->seen ? upto : s->seen;
	return h == INT64_MIN ? INT64_MIN : h - 1;
}

static void lesson_close(struct call_source *cs)
{
	(void)cs; /* the blocks are the capture reader's */
}

static const struct call_source_class lesson_class = {
	.read_items = lesson_read_items, .horizon = lesson_horizon, .close = lesson_close,
};

void lesson_source_init(struct lesson_source *s, const struct lesson_feed *feed, const char *name)
{
	memset(s, 0, sizeof *s);
	s->base.cls = &lesson_class;
	s->feed = *feed;
	s->seen = INT64_MIN;
	snprintf(s->name, sizeof s->name, "%s", name);
}
