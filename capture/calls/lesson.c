/* lesson.c — a lesson's custom blocks (lesson.h): calls, socket-table changes and the header, written and read through the bounds-checked cursor. */
#include "calls/lesson.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"

#define HDR_LEN 12  /* tag, kind, zeros, length */
#define EP_LEN 20   /* an endpoint: af, 0, port, address */

/* ---- writing: big-endian values at *p ---- */

struct put {
	uint8_t *p;
};

static void put8(struct put *w, uint8_t v)
{
	*w->p++ = v;
}

static void put16(struct put *w, uint16_t v)
{
	put8(w, (uint8_t)(v >> 8));
	put8(w, (uint8_t)v);
}

static void put32(struct put *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}

static void put64(struct put *w, uint64_t v)
{
	put32(w, (uint32_t)(v >> 32));
	put32(w, (uint32_t)v);
}

static void put_ep(struct put *w, const struct endpoint *e)
{
	put8(w, e->af);
	put8(w, 0);
	put16(w, e->port);
	memcpy(w->p, e->addr, 16);
	w->p += 16;
}

/* A string field of a fixed-size array (always terminated within it). */
static void put_str(struct put *w, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap - 1);
	put16(w, (uint16_t)n);
	memcpy(w->p, s, n);
	w->p += n;
}

/* The common head; the length is set by put_end. */
static struct put put_begin(uint8_t *buf, enum lesson_kind kind)
{
	struct put w = { buf };
	memcpy(w.p, LESSON_TAG, 4);
	w.p += 4;
	put8(&w, (uint8_t)kind);
	put8(&w, 0);
	put16(&w, 0);
	put32(&w, 0);
	return w;
}

static size_t put_end(uint8_t *buf, struct put *w)
{
	size_t len = (size_t)(w->p - buf);
	struct put at = { buf + 8 };
	put32(&at, (uint32_t)len);
	return len;
}

size_t lesson_encode_header(uint8_t *buf, uint32_t flags, const uint16_t *ports, size_t nports)
{
	struct put w = put_begin(buf, LESSON_HEADER);
	if (nports > LESSON_PORTS_MAX)
		nports = LESSON_PORTS_MAX;
	put32(&w, flags);
	put16(&w, (uint16_t)nports);
	for (size_t i = 0; i < nports; i++)
		put16(&w, ports[i]);
	return put_end(buf, &w);
}

size_t lesson_encode_call(uint8_t *buf, const struct sock_event *ev)
{
	struct put w = put_begin(buf, LESSON_CALL);
	put64(&w, (uint64_t)ev->ts_us);
	put64(&w, (uint64_t)ev->dur_us);
	put32(&w, (uint32_t)ev->pid);
	put32(&w, (uint32_t)ev->fd);
	put64(&w, (uint64_t)ev->ret);
	put32(&w, (uint32_t)ev->err);
	put_ep(&w, &ev->local);
	put_ep(&w, &ev->remote);
	put_str(&w, ev->role, sizeof ev->role);
	put_str(&w, ev->call, sizeof ev->call);
	put_str(&w, ev->args, sizeof ev->args);
	put_str(&w, ev->errname, sizeof ev->errname);
	put_str(&w, ev->retnote, sizeof ev->retnote);
	return put_end(buf, &w);
}

static void put_row(struct put *w, const struct sockdiag_row *r)
{
	put8(w, r->proto);
	put8(w, r->state);
	put8(w, r->v6only);
	put8(w, 0);
	put_ep(w, &r->local);
	put_ep(w, &r->remote);
	put32(w, r->rqueue);
	put32(w, r->wqueue);
	put32(w, r->inode);
	put32(w, r->uid);
	put32(w, r->ifindex);
	put64(w, r->cookie);
	const struct sockdiag_tcpinfo *t = &r->info;
	put8(w, t->valid);
	put8(w, t->ca_state);
	put8(w, t->retransmits);
	put8(w, 0);
	put32(w, t->mss);
	put32(w, t->cwnd);
	put32(w, t->ssthresh);
	put32(w, t->srtt_us);
	put32(w, t->rttvar_us);
	put32(w, t->unacked);
	put32(w, t->total_retrans);
	put64(w, t->delivery_rate);
	put64(w, t->pacing_rate);
}

size_t lesson_encode_socket(uint8_t *buf, int64_t at_ns, const struct tl_note *note)
{
	struct put w = put_begin(buf, LESSON_SOCKET);
	put64(&w, (uint64_t)at_ns);
	put8(&w, note->what);
	put8(&w, note->has_before);
	put8(&w, note->has_after);
	put8(&w, 0);
	if (note->has_before)
		put_row(&w, &note->before);
	if (note->has_after)
		put_row(&w, &note->after);
	return put_end(buf, &w);
}

/* ---- reading ---- */

/* The block being read: its cursor, and where a problem is worded. */
struct get {
	struct cursor c;
	const char *what;  /* "call", "socket change", "header" */
	size_t len;        /* the data's declared length */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int get_fail(struct get *g, const char *fmt, ...)
{
	int k = snprintf(g->err, g->errlen, "%s of %zu bytes: ", g->what, g->len);
	if (k < 0 || (size_t)k >= g->errlen)
		k = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err + k, g->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

static bool get8(struct get *g, uint8_t *v)
{
	return cursor_u8(&g->c, v);
}

static bool get16(struct get *g, uint16_t *v)
{
	return cursor_be16(&g->c, v);
}

static bool get32(struct get *g, uint32_t *v)
{
	return cursor_be32(&g->c, v);
}

static bool get64(struct get *g, uint64_t *v)
{
	uint32_t hi = 0, lo = 0;
	if (!cursor_has(&g->c, 8))
		return false;
	cursor_be32(&g->c, &hi);
	cursor_be32(&g->c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* An endpoint: false (with err) when cut or of another family than none, 4 and 6. */
static bool get_ep(struct get *g, struct endpoint *e, const char *name)
{
	uint8_t z;
	memset(e, 0, sizeof *e);
	if (!get8(g, &e->af) || !get8(g, &z) || !get16(g, &e->port) || !cursor_bytes(&g->c, e->addr, 16)) {
		get_fail(g, "the %s endpoint runs past its end", name);
		return false;
	}
	if (e->af != 0 && e->af != 4 && e->af != 6) {
		get_fail(g, "the %s endpoint's family is %u (not 0, 4 or 6)", name, e->af);
		return false;
	}
	return true;
}

/* A string into dst (cap bytes): it must fit with its NUL and hold no NUL or control byte. */
static bool get_str(struct get *g, char *dst, size_t cap, const char *name)
{
	uint16_t n;
	if (!get16(g, &n) || !cursor_has(&g->c, n)) {
		get_fail(g, "its %s field runs past its end", name);
		return false;
	}
	if (n >= cap) {
		get_fail(g, "its %s field is %u bytes, longer than %zu", name, n, cap - 1);
		return false;
	}
	for (uint16_t i = 0; i < n; i++) {
		if (g->c.p[i] < 0x20 || g->c.p[i] == 0x7f) {
			get_fail(g, "its %s field holds control byte 0x%02x", name, g->c.p[i]);
			return false;
		}
	}
	cursor_bytes(&g->c, dst, n);
	dst[n] = '\0';
	return true;
}

static int get_call(struct get *g, struct sock_event *ev)
{
	memset(ev, 0, sizeof *ev);
	uint64_t ts, dur, ret;
	uint32_t pid, fd, err;
	if (!get64(g, &ts) || !get64(g, &dur) || !get32(g, &pid) || !get32(g, &fd) || !get64(g, &ret) || !get32(g, &err))
		return get_fail(g, "its numbers run past its end");
	ev->ts_us = (int64_t)ts;
	ev->dur_us = (int64_t)dur;
	/* a place on the timeline, in ns, that does not overflow: ts - dur from 0 to 2^62 ns */
	if (ev->ts_us < 0 || ev->ts_us > (INT64_C(1) << 62) / 1000 || ev->dur_us < 0 || ev->dur_us > ev->ts_us)
		return get_fail(g, "its time %lld us and duration %lld us are not a call's", (long long)ev->ts_us,
				(long long)ev->dur_us);
	ev->pid = (int32_t)pid;
	ev->fd = (int32_t)fd;
	ev->ret = (int64_t)ret;
	ev->err = (int32_t)err;
	if (!get_ep(g, &ev->local, "local") || !get_ep(g, &ev->remote, "remote") ||
	    !get_str(g, ev->role, sizeof ev->role, "role") || !get_str(g, ev->call, sizeof ev->call, "call name") ||
	    !get_str(g, ev->args, sizeof ev->args, "args") || !get_str(g, ev->errname, sizeof ev->errname, "errno name") ||
	    !get_str(g, ev->retnote, sizeof ev->retnote, "return note"))
		return -1;
	if (!ev->call[0])
		return get_fail(g, "its call name is empty");
	return 1;
}

static bool get_row(struct get *g, struct sockdiag_row *r, const char *name)
{
	memset(r, 0, sizeof *r);
	uint8_t v6only, z, valid;
	if (!get8(g, &r->proto) || !get8(g, &r->state) || !get8(g, &v6only) || !get8(g, &z)) {
		get_fail(g, "the row %s runs past its end", name);
		return false;
	}
	if (r->proto != 6 && r->proto != 17) {
		get_fail(g, "the row %s has protocol %u (not 6 or 17)", name, r->proto);
		return false;
	}
	r->v6only = v6only != 0;
	if (!get_ep(g, &r->local, "local") || !get_ep(g, &r->remote, "remote"))
		return false;
	struct sockdiag_tcpinfo *t = &r->info;
	if (!get32(g, &r->rqueue) || !get32(g, &r->wqueue) || !get32(g, &r->inode) || !get32(g, &r->uid) ||
	    !get32(g, &r->ifindex) || !get64(g, &r->cookie) || !get8(g, &valid) || !get8(g, &t->ca_state) ||
	    !get8(g, &t->retransmits) || !get8(g, &z) || !get32(g, &t->mss) || !get32(g, &t->cwnd) ||
	    !get32(g, &t->ssthresh) || !get32(g, &t->srtt_us) || !get32(g, &t->rttvar_us) || !get32(g, &t->unacked) ||
	    !get32(g, &t->total_retrans) || !get64(g, &t->delivery_rate) || !get64(g, &t->pacing_rate)) {
		get_fail(g, "the row %s runs past its end", name);
		return false;
	}
	t->valid = valid != 0;
	return true;
}

static int get_socket(struct get *g, int64_t *at_ns, struct tl_note *n)
{
	memset(n, 0, sizeof *n);
	uint64_t at;
	uint8_t what, before, after, z;
	if (!get64(g, &at) || !get8(g, &what) || !get8(g, &before) || !get8(g, &after) || !get8(g, &z))
		return get_fail(g, "its head runs past its end");
	*at_ns = (int64_t)at;
	if (*at_ns < -(INT64_C(1) << 62) || *at_ns > (INT64_C(1) << 62))
		return get_fail(g, "its time %lld ns is out of range", (long long)*at_ns);
	/* which rows a change has: appeared an after, gone a before, the others both */
	static const bool want[4][2] = { { false, true }, { true, false }, { true, true }, { true, true } };
	if (what > SOCKDIAG_QUEUES || (before != 0) != want[what][0] || (after != 0) != want[what][1] || before > 1 ||
	    after > 1)
		return get_fail(g, "change %u with rows before %u and after %u is not one", what, before, after);
	n->what = what;
	n->has_before = before;
	n->has_after = after;
	if ((before && !get_row(g, &n->before, "before")) || (after && !get_row(g, &n->after, "after")))
		return -1;
	return 1;
}

static int get_header(struct get *g, struct lesson_block *b)
{
	uint16_t n;
	if (!get32(g, &b->flags) || !get16(g, &n))
		return get_fail(g, "it runs past its end");
	if (n > LESSON_PORTS_MAX)
		return get_fail(g, "it names %u ports, more than %d", n, LESSON_PORTS_MAX);
	for (uint16_t i = 0; i < n; i++)
		if (!get16(g, &b->ports[i]))
			return get_fail(g, "its ports run past its end");
	b->nports = n;
	return 1;
}

int lesson_decode(const uint8_t *data, size_t len, struct lesson_block *b, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (len < 4 || memcmp(data, LESSON_TAG, 4) != 0)
		return 0;
	struct get g = { cursor_make(data, len), "lesson block", len, err, errlen };
	if (len < HDR_LEN)
		return get_fail(&g, "shorter than its %d-byte head", HDR_LEN);
	uint8_t kind = data[4];
	struct cursor h = cursor_make(data + 8, 4);
	uint32_t declared;
	cursor_be32(&h, &declared);
	static const char *const names[] = { [LESSON_HEADER] = "lesson header", [LESSON_CALL] = "call",
					     [LESSON_SOCKET] = "socket change" };
	if (kind < LESSON_HEADER || kind > LESSON_SOCKET)
		return get_fail(&g, "kind %u is none of header (1), call (2), socket change (3)", kind);
	g.what = names[kind];
	/* the block pads the data to 4 bytes: up to 3 bytes may follow it */
	if (declared < HDR_LEN || declared > len || len - declared > 3)
		return get_fail(&g, "its length field says %u", declared);
	g.c = cursor_make(data + HDR_LEN, declared - HDR_LEN);
	memset(b, 0, sizeof *b);
	b->kind = kind;
	int rc = kind == LESSON_CALL ? get_call(&g, &b->ev) :
		 kind == LESSON_SOCKET ? get_socket(&g, &b->at_ns, &b->note) : get_header(&g, b);
	if (rc != 1)
		return rc;
	if (cursor_left(&g.c))
		return get_fail(&g, "%zu bytes are left after its fields", cursor_left(&g.c));
	return 1;
}
