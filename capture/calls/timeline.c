/* timeline.c — the merge engine: held packets (a FIFO with their bodies in one arena) and calls and notes (sorted), handed out by time. */
#include "calls/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "common/byteq.h"
#include "common/count.h"

bool timeline_call_waits(const char *call)
{
	static const char *const waits[] = { "accept", "accept4", "recv", "recvfrom", "recvmsg", "read", "poll" };
	for (size_t i = 0; i < COUNT(waits); i++)
		if (strcmp(call, waits[i]) == 0)
			return true;
	return false;
}

/* A call placed where it returned (it waited for packets, or failed), not where it was entered. */
static bool call_at_return(const struct sock_event *ev)
{
	/* A non-blocking connect() sends its SYN before it returns EINPROGRESS: not a failure that waited. */
	bool in_progress = strcmp(ev->errname, "EINPROGRESS") == 0;
	return ((ev->ret < 0 || ev->err) && !in_progress) || timeline_call_waits(ev->call);
}

int64_t timeline_call_key(const struct sock_event *ev)
{
	if (call_at_return(ev))
		return ev->ts_us * 1000;
	return (ev->ts_us - (ev->dur_us > 0 ? ev->dur_us : 0)) * 1000;
}

static bool addr_any(const struct endpoint *e)
{
	size_t n = e->af == 6 ? 16 : 4;
	for (size_t i = 0; i < n; i++)
		if (e->addr[i])
			return false;
	return true;
}

/* e (from an event) names flow endpoint f: same port and address, or an unspecified address. */
static bool ep_match(const struct endpoint *e, const struct endpoint *f)
{
	if (e->af == 0 || e->port != f->port)
		return false;
	if (addr_any(e))
		return true;
	return e->af == f->af && memcmp(e->addr, f->addr, e->af == 6 ? 16 : 4) == 0;
}

bool timeline_event_side(const struct sock_event *ev, const struct flow *f, enum flow_dir *side)
{
	if (f->proto != 6 && f->proto != 17)
		return false;
	if (ep_match(&ev->local, &f->client) && ep_match(&ev->remote, &f->server)) {
		*side = DIR_C2S;
		return true;
	}
	if (ep_match(&ev->local, &f->server) && ep_match(&ev->remote, &f->client)) {
		*side = DIR_S2C;
		return true;
	}
	return false;
}

bool timeline_init(struct timeline *tl, size_t body_budget)
{
	memset(tl, 0, sizeof *tl);
	if (body_budget) {
		tl->arena = malloc(body_budget);
		if (!tl->arena)
			return false;
		tl->budget = body_budget;
	}
	return true;
}

void timeline_free(struct timeline *tl)
{
	free(tl->arena);
	tl->arena = NULL;
	tl->budget = 0;
	tl->pcount = tl->ocount = 0;
}

static struct tl_packet *pkt_at(const struct timeline *tl, size_t i)
{
	return (struct tl_packet *)&tl->pkts[(tl->phead + i) % TL_PACKETS_MAX];
}

/* Arena bytes a body takes: at least one, so that the held bodies' extent is always known. */
static size_t body_alloc(size_t len)
{
	return len ? len : 1;
}

/* Where `alloc` bytes fit in the arena after the newest body without overlapping the oldest, or false. */
static bool arena_fit(const struct timeline *tl, size_t alloc, size_t *pos)
{
	bool held = tl->pcount != 0;
	const struct tl_packet *oldest = held ? pkt_at(tl, 0) : NULL, *newest = held ? pkt_at(tl, tl->pcount - 1) : NULL;
	return byteq_fit(tl->budget, held, held ? oldest->off : 0, held ? newest->off : 0,
			 held ? newest->off + body_alloc(newest->len) : 0, alloc, pos);
}

/* A body longer than the whole arena keeps its first `budget` bytes. */
static size_t body_kept(const struct timeline *tl, size_t len)
{
	return len < tl->budget ? len : tl->budget;
}

bool timeline_room(const struct timeline *tl, size_t len)
{
	size_t pos;
	if (tl->pcount == TL_PACKETS_MAX)
		return false;
	return !tl->budget || arena_fit(tl, body_alloc(body_kept(tl, len)), &pos);
}

void timeline_push_packet(struct timeline *tl, const struct pkt_summary *pkt, const struct flow *snap,
			  const void *body, size_t len)
{
	size_t keep = tl->budget ? body_kept(tl, len) : 0, pos = 0;
	while (tl->pcount == TL_PACKETS_MAX || (tl->budget && !arena_fit(tl, body_alloc(keep), &pos))) {
		/* the caller did not make room: the oldest packet goes unseen */
		tl->phead = (tl->phead + 1) % TL_PACKETS_MAX;
		tl->pcount--;
		tl->forced++;
	}
	struct tl_packet *p = pkt_at(tl, tl->pcount);
	tl->pcount++;
	p->pkt = *pkt;
	p->has_flow = snap != NULL;
	if (snap)
		p->snap = *snap;
	p->seq = tl->seq++;
	p->off = pos;
	p->len = (uint32_t)keep;
	if (keep)
		memcpy(tl->arena + pos, body, keep);
}

/* Items at the same place: a call placed at its entry before the packets (it made them), the packets,
   then what is placed where it returned or was read (it followed them); in arrival order within each. */
enum { RANK_ENTRY = 0, RANK_PACKET = 1, RANK_AFTER = 2 };

static bool other_before(const struct tl_other *a, int64_t key, uint8_t rank, uint64_t seq)
{
	return a->key_ns < key || (a->key_ns == key && (a->rank < rank || (a->rank == rank && a->seq < seq)));
}

/* A slot in sorted position among the others for an item at key (the earliest is dropped when full). */
static struct tl_other *others_insert(struct timeline *tl, int64_t key, uint8_t rank)
{
	if (tl->ocount == TL_OTHERS_MAX) {
		memmove(&tl->others[0], &tl->others[1], (TL_OTHERS_MAX - 1) * sizeof tl->others[0]);
		tl->ocount--;
		tl->forced++;
	}
	uint64_t seq = tl->seq++;
	size_t pos = tl->ocount;
	while (pos > 0 && !other_before(&tl->others[pos - 1], key, rank, seq))
		pos--;
	memmove(&tl->others[pos + 1], &tl->others[pos], (tl->ocount - pos) * sizeof tl->others[0]);
	tl->ocount++;
	struct tl_other *o = &tl->others[pos];
	o->key_ns = key;
	o->rank = rank;
	o->seq = seq;
	return o;
}

void timeline_push_call(struct timeline *tl, const struct sock_event *ev)
{
	struct tl_other *o = others_insert(tl, timeline_call_key(ev), call_at_return(ev) ? RANK_AFTER : RANK_ENTRY);
	o->kind = TL_CALL;
	o->ev = *ev;
}

void timeline_push_note(struct timeline *tl, int64_t ts_ns, const struct tl_note *note)
{
	struct tl_other *o = others_insert(tl, ts_ns, RANK_AFTER);
	o->kind = TL_NOTE;
	o->note = *note;
}

/* The earliest held item: true for the packet at the FIFO's head, false for others[0]. */
static bool earliest_is_packet(const struct timeline *tl)
{
	if (!tl->ocount)
		return true;
	if (!tl->pcount)
		return false;
	const struct tl_packet *p = pkt_at(tl, 0);
	return !other_before(&tl->others[0], p->pkt.ts_ns, RANK_PACKET, p->seq);
}

int64_t timeline_first_key(const struct timeline *tl)
{
	if (!tl->pcount && !tl->ocount)
		return INT64_MAX;
	return earliest_is_packet(tl) ? pkt_at(tl, 0)->pkt.ts_ns : tl->others[0].key_ns;
}

bool timeline_peek(struct timeline *tl, int64_t limit, bool force, struct tl_item *it)
{
	if (!tl->pcount && !tl->ocount)
		return false;
	memset(it, 0, sizeof *it);
	if (earliest_is_packet(tl)) {
		const struct tl_packet *p = pkt_at(tl, 0);
		it->kind = TL_PACKET;
		it->key_ns = p->pkt.ts_ns;
		it->pkt = p;
		it->body = tl->arena ? tl->arena + p->off : NULL;
	} else {
		const struct tl_other *o = &tl->others[0];
		it->kind = o->kind;
		it->key_ns = o->key_ns;
		if (o->kind == TL_CALL)
			it->ev = &o->ev;
		else
			it->note = &o->note;
	}
	if (it->key_ns <= limit || force)
		return true;
	if (tl->pcount == TL_PACKETS_MAX || tl->ocount == TL_OTHERS_MAX) {
		tl->forced++;
		return true;
	}
	return false;
}

void timeline_pop(struct timeline *tl)
{
	if (!tl->pcount && !tl->ocount)
		return;
	if (earliest_is_packet(tl)) {
		tl->phead = (tl->phead + 1) % TL_PACKETS_MAX;
		tl->pcount--;
		return;
	}
	memmove(&tl->others[0], &tl->others[1], (tl->ocount - 1) * sizeof tl->others[0]);
	tl->ocount--;
}

const struct tl_packet *timeline_match_ahead(const struct timeline *tl, const struct sock_event *ev,
					     enum flow_dir *side)
{
	for (size_t i = 0; i < tl->pcount; i++) {
		const struct tl_packet *p = pkt_at(tl, i);
		if (p->has_flow && timeline_event_side(ev, &p->snap, side))
			return p;
	}
	return NULL;
}

size_t timeline_count(const struct timeline *tl)
{
	return tl->pcount + tl->ocount;
}

size_t timeline_others_free(const struct timeline *tl)
{
	return TL_OTHERS_MAX - tl->ocount;
}

void tl_flows_note(struct tl_flows *r, const struct flow *snap)
{
	size_t slot = r->n, oldest = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->f[i].id == snap->id) {
			slot = i;
			break;
		}
		if (r->stamp[i] < r->stamp[oldest])
			oldest = i;
	}
	if (slot == r->n) {
		if (r->n < TL_RECENT_FLOWS)
			r->n++;
		else
			slot = oldest;
	}
	r->f[slot] = *snap;
	r->stamp[slot] = ++r->clock;
}

const struct flow *tl_flows_match(const struct tl_flows *r, const struct sock_event *ev, enum flow_dir *side)
{
	const struct flow *best = NULL;
	uint64_t best_stamp = 0;
	enum flow_dir s;
	for (size_t i = 0; i < r->n; i++) {
		if (r->stamp[i] > best_stamp && timeline_event_side(ev, &r->f[i], &s)) {
			best = &r->f[i];
			best_stamp = r->stamp[i];
			*side = s;
		}
	}
	return best;
}
