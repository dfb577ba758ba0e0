/* recorder.c — a lesson being recorded: the session's items as blocks, packets with the comment naming their cause, a SYN held for the failed call that sent it. */
#include "calls/recorder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls/explain.h"
#include "common/byteq.h"

static const char *const who[2] = { "client", "server" };

/* Appends with snprintf semantics; *len counts what would have been written. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	size_t at = *len < n ? *len : n;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + at, n - at, fmt, ap);
	va_end(ap);
	if (w > 0)
		*len += (size_t)w;
}

size_t recorder_comment(char *buf, size_t n, const struct pkt_summary *p, const struct sock_event *cause)
{
	size_t len = 0;
	if (n)
		buf[0] = '\0';
	const char *side = who[p->dir ? 1 : 0];
	if (cause) {
		put(buf, n, &len, "%s() by %s%spid %d", cause->call, cause->role, cause->role[0] ? " " : "", cause->pid);
		if (cause->ret < 0)
			put(buf, n, &len, " (failed: %s)", cause->errname[0] ? cause->errname : "error");
	} else if (p->flow_id) {
		put(buf, n, &len, "no call: sent by the %s's kernel", side);
	} else {
		put(buf, n, &len, "no call");
	}
	if (p->proto != 6 || !p->flow_id)
		return len;
	bool any = false;
	for (int i = 0; i < 2; i++) {
		uint8_t b = p->before[i], a = p->after[i];
		/* at a new flow's first packet only the sender's state is its doing: what the tracker assumes of
		   the other end (UNANSWERED after a SYN, SYN-SENT or LISTEN when a SYN-ACK starts the capture)
		   is not a change the packet made */
		if (a == b || a == TCPS_NONE ||
		    (b == TCPS_NONE && (i != (p->dir ? 1 : 0) || a == TCPS_LISTEN || a == TCPS_UNANSWERED)))
			continue;
		put(buf, n, &len, "%s %s %s\u2192%s", any ? "," : ";", who[i],
		    b == TCPS_NONE ? "CLOSED" : tcp_state_name((enum tcp_state)b), tcp_state_name((enum tcp_state)a));
		any = true;
	}
	if (!any)
		put(buf, n, &len, "; no state change");
	return len;
}

bool recorder_init(struct recorder *r, const struct recorder_opts *o, const struct recorder_out *out)
{
	memset(r, 0, sizeof *r);
	r->out = *out;
	r->o = *o;
	r->now_key = INT64_MIN;
	r->held = calloc(RECORDER_HELD, sizeof *r->held);
	r->bytes = malloc(RECORDER_HELD_BYTES);
	if (!r->held || !r->bytes) {
		recorder_free(r);
		return false;
	}
	size_t n = lesson_encode_header(r->blk, o->flags, o->ports, o->nports);
	r->out.block(r->out.arg, r->blk, n);
	r->out.flush(r->out.arg);
	return true;
}

void recorder_free(struct recorder *r)
{
	free(r->held);
	free(r->bytes);
	r->held = NULL;
	r->bytes = NULL;
}

static void rec_item_tap(void *arg, const struct session_item *it)
{
	recorder_item(arg, it);
}

static void rec_tick_tap(void *arg, int64_t now_ns)
{
	recorder_tick(arg, now_ns);
}

struct session_tap recorder_tap(struct recorder *r)
{
	struct session_tap t = { rec_item_tap, rec_tick_tap, r };
	return t;
}

static void rec_write(struct recorder *r, const struct pkt_summary *p, const uint8_t *data, uint32_t caplen,
		      const struct sock_event *cause)
{
	char comment[RECORDER_COMMENT_MAX];
	size_t clen = 0;
	if (r->o.comments) {
		clen = recorder_comment(comment, sizeof comment, p, cause);
		if (clen >= sizeof comment)
			clen = sizeof comment - 1;
	}
	r->out.packet(r->out.arg, p, data, caplen, r->o.comments ? comment : NULL, clen);
	r->packets++;
	r->dirty = true;
}

static struct rec_held *held_at(struct recorder *r, size_t i)
{
	return &r->held[(r->held_head + i) % RECORDER_HELD];
}

/* The oldest held packet goes out, with what is known of its cause. */
static void rec_pop(struct recorder *r)
{
	struct rec_held *h = held_at(r, 0);
	rec_write(r, &h->s, r->bytes + h->off, (uint32_t)h->len, h->has_cause ? &h->cause : NULL);
	r->held_head = (r->held_head + 1) % RECORDER_HELD;
	r->held_n--;
}

/* Held packets whose cause is known, or that waited long enough by the item places (key) or the wall clock
   (wall), go out in order. */
static void rec_release(struct recorder *r, int64_t key, int64_t wall)
{
	while (r->held_n) {
		const struct rec_held *h = held_at(r, 0);
		int64_t due = h->s.ts_ns > INT64_MAX - RECORDER_WAIT_NS ? INT64_MAX : h->s.ts_ns + RECORDER_WAIT_NS;
		if (!h->resolved && key < due && wall < due)
			break;
		rec_pop(r);
	}
}

static void rec_look_push(struct recorder *r, const struct rec_look *l)
{
	r->look[r->look_next] = *l;
	r->look_next = (r->look_next + 1) % RECORDER_LOOK;
	if (r->look_n < RECORDER_LOOK)
		r->look_n++;
}

/* The call that caused packet p: the nearest earlier usable call of its flow by its sending end that sends
   such a packet, unless an earlier packet of the same kind took it (explain.h). */
static const struct sock_event *rec_cause(const struct recorder *r, const struct pkt_summary *p)
{
	for (size_t k = 1; k <= r->look_n; k++) {
		const struct rec_look *l = &r->look[(r->look_next + RECORDER_LOOK - k) % RECORDER_LOOK];
		if (l->flow_id != p->flow_id || l->dir != p->dir)
			continue;
		if (!l->is_call) {
			if (explain_same_kind(l->tcpflags, l->payload, p->tcpflags, p->payload))
				return NULL;
			continue;
		}
		if (l->usable && explain_call_sends(l->ev.call, p->proto, p->tcpflags, p->payload))
			return &l->ev;
	}
	return NULL;
}

/* Room for one more held packet of len bytes: the oldest go out (what is known of their cause) until it fits. */
static size_t rec_make_room(struct recorder *r, size_t len)
{
	size_t pos = 0;
	for (;;) {
		bool any = r->held_n != 0;
		const struct rec_held *o = any ? held_at(r, 0) : NULL, *n = any ? held_at(r, r->held_n - 1) : NULL;
		if (r->held_n < RECORDER_HELD &&
		    byteq_fit(RECORDER_HELD_BYTES, any, any ? o->off : 0, any ? n->off : 0,
			      any ? n->off + (n->len ? n->len : 1) : 0, len ? len : 1, &pos))
			return pos;
		rec_pop(r);
	}
}

static void rec_packet(struct recorder *r, const struct session_item *it)
{
	const struct pkt_summary *p = it->pkt;
	uint32_t caplen = p->caplen < it->len ? p->caplen : (uint32_t)it->len;
	if (caplen > RECORDER_HELD_BYTES)
		caplen = RECORDER_HELD_BYTES;
	const struct sock_event *cause = r->o.comments && p->flow_id ? rec_cause(r, p) : NULL;
	/* a SYN sent by a connect() that failed: the call comes after it (it stands where it returned) */
	bool wait = r->o.comments && !cause && p->flow_id && p->proto == 6 && (p->tcpflags & TCP_SYN) &&
		    !(p->tcpflags & TCP_ACK);
	if (!wait && !r->held_n) {
		rec_write(r, p, it->body, caplen, cause);
	} else {
		size_t pos = rec_make_room(r, caplen);
		struct rec_held *h = held_at(r, r->held_n);
		r->held_n++;
		h->s = *p;
		h->off = pos;
		h->len = caplen;
		if (caplen)
			memcpy(r->bytes + pos, it->body, caplen);
		h->resolved = !wait;
		h->has_cause = cause != NULL;
		if (cause)
			h->cause = *cause;
	}
	struct rec_look l = { .flow_id = p->flow_id, .dir = p->dir, .proto = p->proto, .tcpflags = p->tcpflags,
			      .payload = p->payload };
	rec_look_push(r, &l);
}

static void rec_call(struct recorder *r, const struct session_item *it)
{
	const struct sock_event *ev = it->ev;
	size_t n = lesson_encode_call(r->blk, ev);
	r->out.block(r->out.arg, r->blk, n);
	r->calls_written++;
	r->dirty = true;
	uint64_t flow = it->call_flow ? it->call_flow->id : 0;
	bool at_entry = timeline_call_key(ev) < ev->ts_us * 1000;
	/* SYNs held for want of a cause: a connect() that comes after them, because it stands where it
	   returned (it failed) or came late (it blocked longer than the session waits), and was entered
	   before them, sent the first; the others are its kernel's retransmissions. */
	int64_t entry = (ev->ts_us - ev->dur_us) * 1000;
	bool taken = false;
	for (size_t i = 0; flow && i < r->held_n; i++) {
		struct rec_held *h = held_at(r, i);
		if (h->resolved || h->s.flow_id != flow || h->s.dir != (uint8_t)it->side || h->s.ts_ns < entry ||
		    !explain_call_sends(ev->call, h->s.proto, h->s.tcpflags, h->s.payload))
			continue;
		h->resolved = true;
		h->has_cause = !taken;
		if (!taken)
			h->cause = *ev;
		taken = true;
	}
	struct rec_look l = { .is_call = true, .flow_id = flow, .dir = (uint8_t)it->side,
			      .usable = !taken && (ev->ret >= 0 || at_entry), .ev = *ev };
	rec_look_push(r, &l);
}

void recorder_item(struct recorder *r, const struct session_item *it)
{
	if (it->at_ns > r->now_key)
		r->now_key = it->at_ns;
	switch (it->kind) {
	case TL_PACKET:
		rec_packet(r, it);
		break;
	case TL_CALL:
		rec_call(r, it);
		break;
	default: {
		size_t n = lesson_encode_socket(r->blk, it->at_ns, it->note);
		r->out.block(r->out.arg, r->blk, n);
		r->changes++;
		r->dirty = true;
		break;
	}
	}
	rec_release(r, r->now_key, INT64_MIN);
}

void recorder_tick(struct recorder *r, int64_t now_ns)
{
	rec_release(r, r->now_key, r->o.live ? now_ns : INT64_MIN);
	if (r->dirty) {
		r->out.flush(r->out.arg);
		r->dirty = false;
	}
}

void recorder_flush(struct recorder *r)
{
	while (r->held_n)
		rec_pop(r);
	r->out.flush(r->out.arg);
	r->dirty = false;
}
