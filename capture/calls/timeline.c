/* timeline.c — merges packets, socket calls and notes by time, holding each until the other source caught up. */
#include "calls/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "common/count.h"

bool timeline_call_waits(const char *call)
{
	static const char *const waits[] = { "accept", "accept4", "recv", "recvfrom", "recvmsg", "read", "poll" };
	for (size_t i = 0; i < COUNT(waits); i++)
		if (strcmp(call, waits[i]) == 0)
			return true;
	return false;
}

int64_t timeline_call_key(const struct sock_event *ev)
{
	int64_t ret_ns = ev->ts_us * 1000;
	/* A non-blocking connect() sends its SYN before it returns EINPROGRESS: not a failure that waited. */
	bool in_progress = strcmp(ev->errname, "EINPROGRESS") == 0;
	if (((ev->ret < 0 || ev->err) && !in_progress) || timeline_call_waits(ev->call))
		return ret_ns;
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

void timeline_init(struct timeline *tl, int64_t grace_ns)
{
	memset(tl, 0, sizeof *tl);
	tl->pkt_wm = INT64_MIN;
	tl->call_wm = INT64_MIN;
	tl->grace_ns = grace_ns;
}

void timeline_free(struct timeline *tl)
{
	for (size_t i = 0; i < TL_PACKETS_MAX; i++)
		free(tl->pkts[i].text);
	for (size_t i = 0; i < TL_OTHERS_MAX; i++)
		free(tl->others[i].text);
	memset(tl->pkts, 0, sizeof tl->pkts);
	memset(tl->others, 0, sizeof tl->others);
	tl->pcount = tl->ocount = 0;
}

/* Copy text into the item's own buffer, growing it by doubling; cut (and flag) when memory runs out. */
static void item_text(struct timeline *tl, struct tl_item *it, const char *text, size_t len)
{
	if (len + 1 > it->cap) {
		size_t nc = it->cap ? it->cap : 256;
		while (nc < len + 1)
			nc *= 2;
		char *nt = realloc(it->text, nc);
		if (nt) {
			it->text = nt;
			it->cap = nc;
		} else {
			tl->oom = true;
			len = it->cap ? it->cap - 1 : 0;
		}
	}
	if (it->cap) {
		memcpy(it->text, text, len);
		it->text[len] = '\0';
	}
	it->len = len;
}

struct tl_item *timeline_push_packet(struct timeline *tl, int64_t ts_ns, uint64_t pkt_no, const char *text,
				     size_t len, const struct ladder_row *row, const struct flow *snap)
{
	if (tl->pcount == TL_PACKETS_MAX) /* the caller did not drain: the oldest goes unseen */
		timeline_pop(tl);
	struct tl_item *it = &tl->pkts[(tl->phead + tl->pcount) % TL_PACKETS_MAX];
	tl->pcount++;
	it->key_ns = ts_ns;
	it->seq = tl->seq++;
	it->kind = TL_PACKET;
	it->pkt_no = pkt_no;
	item_text(tl, it, text ? text : "", text ? len : 0);
	it->has_flow = row && snap;
	if (it->has_flow) {
		it->row = *row;
		it->snap = *snap;
	}
	if (ts_ns > tl->pkt_wm)
		tl->pkt_wm = ts_ns;
	return it;
}

static bool item_before(const struct tl_item *a, const struct tl_item *b)
{
	return a->key_ns < b->key_ns || (a->key_ns == b->key_ns && a->seq < b->seq);
}

/* A free slot placed in sorted position among the others; the text buffer of the slot is kept. */
static struct tl_item *others_insert(struct timeline *tl, int64_t key)
{
	if (tl->ocount == TL_OTHERS_MAX) { /* full: the earliest is dropped */
		char *t = tl->others[0].text;
		size_t c = tl->others[0].cap;
		memmove(&tl->others[0], &tl->others[1], (TL_OTHERS_MAX - 1) * sizeof tl->others[0]);
		tl->ocount--;
		tl->others[tl->ocount].text = t;
		tl->others[tl->ocount].cap = c;
	}
	struct tl_item probe = { .key_ns = key, .seq = tl->seq };
	size_t pos = tl->ocount;
	while (pos > 0 && item_before(&probe, &tl->others[pos - 1]))
		pos--;
	/* Keep the spare slot's buffer: it moves to pos. */
	struct tl_item spare = tl->others[tl->ocount];
	memmove(&tl->others[pos + 1], &tl->others[pos], (tl->ocount - pos) * sizeof tl->others[0]);
	tl->others[pos].text = spare.text;
	tl->others[pos].cap = spare.cap;
	tl->others[pos].len = 0;
	tl->ocount++;
	struct tl_item *it = &tl->others[pos];
	it->key_ns = key;
	it->seq = tl->seq++;
	return it;
}

void timeline_push_call(struct timeline *tl, const struct sock_event *ev)
{
	struct tl_item *it = others_insert(tl, timeline_call_key(ev));
	it->kind = TL_CALL;
	it->ev = *ev;
	it->has_flow = false;
	if (ev->ts_us * 1000 > tl->call_wm)
		tl->call_wm = ev->ts_us * 1000;
}

void timeline_push_note(struct timeline *tl, int64_t ts_ns, const char *text, size_t len)
{
	struct tl_item *it = others_insert(tl, ts_ns);
	it->kind = TL_NOTE;
	it->has_flow = false;
	item_text(tl, it, text, len);
}

static const struct tl_item *earliest(const struct timeline *tl)
{
	const struct tl_item *p = tl->pcount ? &tl->pkts[tl->phead] : NULL;
	const struct tl_item *o = tl->ocount ? &tl->others[0] : NULL;
	if (p && o)
		return item_before(o, p) ? o : p;
	return p ? p : o;
}

const struct tl_item *timeline_peek(const struct timeline *tl, int64_t now_ns)
{
	const struct tl_item *it = earliest(tl);
	if (!it)
		return NULL;
	int64_t pw = tl->pkt_done ? INT64_MAX : tl->pkt_wm;
	int64_t cw = tl->call_done ? INT64_MAX : tl->calls_ordered ? tl->call_wm : INT64_MIN;
	if (it->key_ns <= (pw < cw ? pw : cw))
		return it;
	if (now_ns != INT64_MIN && it->key_ns <= now_ns - tl->grace_ns)
		return it;
	if (tl->pcount == TL_PACKETS_MAX || tl->ocount == TL_OTHERS_MAX)
		return it;
	return NULL;
}

void timeline_pop(struct timeline *tl)
{
	const struct tl_item *it = earliest(tl);
	if (!it)
		return;
	if (tl->pcount && it == &tl->pkts[tl->phead]) {
		tl->phead = (tl->phead + 1) % TL_PACKETS_MAX;
		tl->pcount--;
		return;
	}
	/* The first of the others: rotate its buffer to the end so it is reused. */
	struct tl_item first = tl->others[0];
	memmove(&tl->others[0], &tl->others[1], (tl->ocount - 1) * sizeof tl->others[0]);
	tl->ocount--;
	struct tl_item *spare = &tl->others[tl->ocount];
	memset(spare, 0, sizeof *spare);
	spare->text = first.text;
	spare->cap = first.cap;
}

const struct tl_item *timeline_match_ahead(const struct timeline *tl, const struct sock_event *ev, enum flow_dir *side)
{
	for (size_t i = 0; i < tl->pcount; i++) {
		const struct tl_item *it = &tl->pkts[(tl->phead + i) % TL_PACKETS_MAX];
		if (it->has_flow && timeline_event_side(ev, &it->snap, side))
			return it;
	}
	return NULL;
}

size_t timeline_count(const struct timeline *tl)
{
	return tl->pcount + tl->ocount;
}

int64_t timeline_wait_ns(const struct timeline *tl, int64_t now_ns)
{
	const struct tl_item *it = earliest(tl);
	if (!it)
		return -1;
	int64_t w = it->key_ns + tl->grace_ns - now_ns;
	return w < 0 ? 0 : w;
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
