/* session.c — one classroom session: sources read, horizons kept, the socket table diffed, calls matched to flows as items go out. */
#include "calls/session.h"

#include <stdio.h>
#include <string.h>

#include "common/clock.h"

#define SESSION_READ_ROOM 64 /* calls and notes the timeline keeps room for while a source is read */

bool session_init(struct session *s, const struct session_opts *o)
{
	memset(s, 0, sizeof *s);
	s->o = *o;
	s->pkt_h = INT64_MIN;
	s->sock_h = o->sockets ? INT64_MIN : INT64_MAX;
	return timeline_init(&s->tl, o->body_budget);
}

void session_add(struct session *s, struct call_source *src)
{
	if (s->nsrc < SESSION_SOURCES) {
		s->src_h[s->nsrc] = INT64_MIN;
		s->src[s->nsrc++] = src;
	}
}

void session_close(struct session *s)
{
	for (size_t i = 0; i < s->nsrc; i++)
		s->src[i]->cls->close(s->src[i]);
	s->nsrc = 0;
	timeline_free(&s->tl);
}

bool session_merges(const struct session *s)
{
	return s->nsrc > 0 || s->o.notes;
}

bool session_room(const struct session *s, size_t len)
{
	return timeline_room(&s->tl, len);
}

void session_push_packet(struct session *s, const struct pkt_summary *pkt, const struct flow *flow, const void *body,
			 size_t len)
{
	timeline_push_packet(&s->tl, pkt, flow, body, len);
	if (pkt->ts_ns > s->pkt_h)
		s->pkt_h = pkt->ts_ns;
}

void session_packets_upto(struct session *s, int64_t h)
{
	if (h > s->pkt_h)
		s->pkt_h = h;
}

static void session_say(struct session *s, const char *line)
{
	if (s->o.message)
		s->o.message(s->o.arg, line);
}

/* Read one source dry (or until the timeline's room runs out: false). */
static bool session_read(struct session *s, size_t i, int64_t now_ns)
{
	struct call_source *src = s->src[i];
	char msg[512];
	int64_t began = clock_real_ns();
	if (src->cls->look)
		src->cls->look(src, now_ns, session_held(s) ? INT64_MAX : INT64_MIN);
	for (;;) {
		size_t room = timeline_others_free(&s->tl);
		if (room <= SESSION_READ_ROOM)
			return false;
		room -= SESSION_READ_ROOM;
		size_t max = room < 64 ? room : 64;
		msg[0] = '\0';
		size_t n;
		if (src->cls->read_items) {
			n = src->cls->read_items(src, &s->tl, max, msg, sizeof msg);
		} else {
			n = src->cls->read(src, s->buf, max, msg, sizeof msg);
			for (size_t k = 0; k < n; k++)
				timeline_push_call(&s->tl, &s->buf[k]);
		}
		if (msg[0])
			session_say(s, msg);
		else if (n < max)
			break;
	}
	s->src_h[i] = src->cls->horizon(src, began, now_ns);
	return true;
}

static void session_note(enum sockdiag_change what, const struct sockdiag_row *before, const struct sockdiag_row *after,
			 void *arg)
{
	struct session *s = arg;
	struct tl_note *n = &s->note;
	memset(n, 0, sizeof *n);
	n->what = (uint8_t)what;
	n->has_before = before != NULL;
	n->has_after = after != NULL;
	if (before)
		n->before = *before;
	if (after)
		n->after = *after;
	timeline_push_note(&s->tl, s->sock_at, n);
}

/* The kernel's socket table read again; with notes, its changes go on the timeline, stamped now. */
static void session_sockets_read(struct session *s, int64_t now_ns)
{
	char err[sizeof s->sock_err];
	int nxt = 1 - s->cur;
	int n = sockdiag_snapshot(s->rows[nxt], SESSION_SOCK_ROWS, s->o.ports, s->o.nports, err, sizeof err);
	if (n < 0) {
		if (strcmp(err, s->sock_err) != 0) {
			char line[sizeof err + 32];
			snprintf(line, sizeof line, "--sockets: %s", err);
			session_say(s, line);
		}
		snprintf(s->sock_err, sizeof s->sock_err, "%s", err);
		return;
	}
	s->sock_err[0] = '\0';
	s->nrows[nxt] = (size_t)n > SESSION_SOCK_ROWS ? SESSION_SOCK_ROWS : (size_t)n;
	s->sock_at = now_ns;
	if (s->o.notes)
		sockdiag_diff(s->rows[s->cur], s->sock_read ? s->nrows[s->cur] : 0, s->rows[nxt], s->nrows[nxt], 0,
			      session_note, s);
	s->sock_read = true;
	s->cur = nxt;
}

bool session_pump(struct session *s, int64_t now_ns)
{
	bool more = false;
	for (size_t i = 0; i < s->nsrc; i++)
		if (!session_read(s, i, now_ns))
			more = true;
	if (s->o.sockets && clock_mono_ns() >= s->sock_next) {
		s->sock_next = clock_mono_ns() + s->o.sockets_every_ns;
		session_sockets_read(s, now_ns);
	}
	if (s->o.sockets)
		s->sock_h = now_ns; /* the next changes are read later, stamped then */
	if (s->o.tap.tick)
		s->o.tap.tick(s->o.tap.arg, now_ns);
	return more;
}

/* The time up to which every source has handed over all it will place there. */
static int64_t session_limit(const struct session *s)
{
	int64_t h = s->pkt_h < s->sock_h ? s->pkt_h : s->sock_h;
	for (size_t i = 0; i < s->nsrc; i++)
		if (s->src_h[i] < h)
			h = s->src_h[i];
	return h;
}

/* The flow a call belongs to: a call placed before its packets (connect, send, close) that of the packets
   still held; else the latest flow of its endpoints handed out; else any held packet's. */
static void session_match(struct session *s, const struct sock_event *ev, int64_t key, struct session_item *item)
{
	enum flow_dir side = DIR_C2S;
	const struct flow *f = NULL;
	const struct tl_packet *ahead = key < ev->ts_us * 1000 ? timeline_match_ahead(&s->tl, ev, &side) : NULL;
	if (!ahead && (f = tl_flows_match(&s->recent, ev, &side)) != NULL) {
		item->states[0] = f->state[0];
		item->states[1] = f->state[1];
	} else if (ahead || (ahead = timeline_match_ahead(&s->tl, ev, &side)) != NULL) {
		f = &ahead->snap;
		item->states[0] = ahead->pkt.before[0];
		item->states[1] = ahead->pkt.before[1];
	}
	item->call_flow = f;
	item->side = side;
}

bool session_peek(struct session *s, bool force, struct session_item *item)
{
	if (!timeline_peek(&s->tl, session_limit(s), force, &s->it))
		return false;
	s->have_it = true;
	memset(item, 0, sizeof *item);
	item->kind = s->it.kind;
	item->at_ns = s->it.key_ns;
	switch (s->it.kind) {
	case TL_PACKET:
		item->pkt = &s->it.pkt->pkt;
		item->flow = s->it.pkt->has_flow ? &s->it.pkt->snap : NULL;
		item->body = s->it.body;
		item->len = s->it.pkt->len;
		break;
	case TL_CALL:
		item->ev = s->it.ev;
		session_match(s, s->it.ev, s->it.key_ns, item);
		break;
	case TL_NOTE:
		item->note = s->it.note;
		break;
	}
	s->item = *item;
	return true;
}

/* A lesson's change applied to the table rebuilt from them (sorted by sockdiag_cmp, as read ones are). */
static void session_apply_note(struct session *s, const struct tl_note *n)
{
	struct sockdiag_row *rows = s->rows[s->cur];
	size_t cnt = s->nrows[s->cur];
	const struct sockdiag_row *key = n->has_before ? &n->before : &n->after;
	size_t lo = 0, hi = cnt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sockdiag_cmp(&rows[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool found = lo < cnt && sockdiag_cmp(&rows[lo], key) == 0;
	if (!n->has_after) { /* gone */
		if (found) {
			memmove(&rows[lo], &rows[lo + 1], (cnt - lo - 1) * sizeof *rows);
			s->nrows[s->cur]--;
		}
	} else if (found) {
		rows[lo] = n->after;
	} else if (cnt < SESSION_SOCK_ROWS) {
		memmove(&rows[lo + 1], &rows[lo], (cnt - lo) * sizeof *rows);
		rows[lo] = n->after;
		s->nrows[s->cur]++;
	}
	s->sock_read = true;
	s->sock_at = s->it.key_ns;
}

void session_pop(struct session *s)
{
	if (!s->have_it)
		return;
	s->have_it = false;
	if (s->o.tap.item)
		s->o.tap.item(s->o.tap.arg, &s->item);
	if (s->it.kind == TL_PACKET && s->it.pkt->has_flow)
		tl_flows_note(&s->recent, &s->it.pkt->snap);
	if (s->it.kind == TL_NOTE && s->o.sockets_replayed)
		session_apply_note(s, s->it.note);
	timeline_pop(&s->tl);
}

size_t session_held(const struct session *s)
{
	return timeline_count(&s->tl);
}

bool session_stuck(const struct session *s)
{
	int64_t others = s->pkt_h < s->sock_h ? s->pkt_h : s->sock_h;
	return timeline_others_free(&s->tl) <= SESSION_READ_ROOM && timeline_first_key(&s->tl) <= others;
}

uint64_t session_forced(const struct session *s)
{
	return s->tl.forced;
}

bool session_flows_ended(const struct session *s)
{
	for (size_t i = 0; i < s->recent.n; i++) {
		const struct flow *f = &s->recent.f[i];
		if (f->proto == 6 && f->end == END_OPEN && !(f->state[0] == TCPS_TIME_WAIT || f->state[1] == TCPS_TIME_WAIT ||
							      (f->state[0] == TCPS_CLOSED && f->state[1] == TCPS_CLOSED)))
			return false;
	}
	return session_held(s) == 0;
}

bool session_ended(struct session *s, int *status, char *line, size_t n)
{
	for (size_t i = 0; i < s->nsrc; i++)
		if (s->src[i]->cls->ended && s->src[i]->cls->ended(s->src[i], status, line, n))
			return true;
	return false;
}

int session_poll_fd(struct session *s)
{
	for (size_t i = 0; i < s->nsrc; i++) {
		int fd = s->src[i]->cls->poll_fd ? s->src[i]->cls->poll_fd(s->src[i]) : -1;
		if (fd >= 0)
			return fd;
	}
	return -1;
}

bool session_shows_sockets(const struct session *s)
{
	return s->o.sockets || s->o.sockets_replayed;
}

size_t session_sockets(const struct session *s, const struct sockdiag_row **rows, const char **err)
{
	*rows = s->rows[s->cur];
	*err = s->sock_err;
	return s->sock_read ? s->nrows[s->cur] : 0;
}
