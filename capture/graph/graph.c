/* graph.c — feeds a TCP flow's packets into per-direction series: segments, ACKs and window (RFC 7323 scaling), SACK (RFC 2018), RTT (RFC 6298 Karn, RFC 7323 timestamps), bytes in flight. */
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>

#include "common/tok.h"

/* The kinds as --graph names them, and as a title does. */
static const struct tok kind_names[] = {
	{ GRAPH_TSG, "tsg" }, { GRAPH_THROUGHPUT, "throughput" }, { GRAPH_RTT, "rtt" }, { GRAPH_INFLIGHT, "inflight" },
	{ 0, NULL },
};
static const struct tok kind_titles[] = {
	{ GRAPH_TSG, "Time-sequence" }, { GRAPH_THROUGHPUT, "Throughput" }, { GRAPH_RTT, "Round-trip time" },
	{ GRAPH_INFLIGHT, "Bytes in flight" }, { 0, NULL },
};

const char *graph_kind_name(enum graph_kind k)
{
	return tok2str(kind_names, "?", k);
}

const char *graph_kind_title(enum graph_kind k)
{
	return tok2str(kind_titles, "?", k);
}

bool graph_kind_parse(const char *s, size_t len, enum graph_kind *k)
{
	for (const struct tok *t = kind_names; t->s; t++)
		if (strlen(t->s) == len && memcmp(t->s, s, len) == 0) {
			*k = (enum graph_kind)t->v;
			return true;
		}
	return false;
}

/* ---- Memory ---- */

size_t graph_bytes(uint32_t points, uint32_t out)
{
	if (points < GRAPH_POINTS_MIN)
		points = GRAPH_POINTS_MIN;
	return sizeof(struct graph) + 2 * (size_t)GS_SERIES_COUNT * points * sizeof(struct graph_point) +
	       2 * (size_t)out * sizeof(struct graph_out);
}

/* Point every series and ring into the one block after struct graph, and clear what was fed. */
static void graph_layout(struct graph *g, uint32_t points, uint32_t out)
{
	void *mem = g->mem;
	memset(g, 0, sizeof *g);
	g->mem = mem;
	struct graph_point *pt = (struct graph_point *)(g + 1);
	for (int d = 0; d < 2; d++)
		for (int k = 0; k < GS_SERIES_COUNT; k++) {
			struct graph_series *s = &g->d[d].s[k];
			s->pt = pt;
			s->cap = points;
			s->stride = 1;
			s->kind = (uint8_t)k;
			pt += points;
		}
	struct graph_out *o = (struct graph_out *)pt;
	for (int d = 0; d < 2; d++) {
		g->d[d].bif_valid = true;
		g->d[d].out = out ? o : NULL;
		g->d[d].out_cap = out;
		o += out;
	}
}

struct graph *graph_new(uint32_t points, uint32_t out)
{
	if (!points)
		points = GRAPH_POINTS_DEFAULT;
	if (points < GRAPH_POINTS_MIN)
		points = GRAPH_POINTS_MIN;
	points += points & 1; /* halving merges pairs */
	if (!out)
		out = GRAPH_OUT_DEFAULT;
	struct graph *g = malloc(graph_bytes(points, out));
	if (!g)
		return NULL;
	g->mem = g;
	graph_layout(g, points, out);
	return g;
}

void graph_reset(struct graph *g)
{
	graph_layout(g, g->d[0].s[0].cap, g->d[0].out_cap);
}

void graph_free(struct graph *g)
{
	if (g)
		free(g->mem);
}

/* ---- Series: append, merging when full ---- */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Fold b (later) into a. */
static void point_merge(struct graph_point *a, const struct graph_point *b, enum graph_series_kind kind)
{
	a->t1 = b->t1;
	a->n = (uint16_t)(a->n + b->n < a->n || a->n + b->n > UINT16_MAX ? UINT16_MAX : a->n + b->n);
	a->marks |= b->marks;
	switch (kind) {
	case GS_SEG:
	case GS_SACK:
		a->lo = min64(a->lo, b->lo);
		a->hi = max64(a->hi, b->hi);
		a->bytes += b->bytes;
		a->bytes_retx = (uint32_t)min64((uint64_t)a->bytes_retx + b->bytes_retx, UINT32_MAX);
		break;
	case GS_ACK:
		a->lo = b->lo;
		a->hi = b->hi;
		a->bytes = b->bytes;
		break;
	case GS_INFLIGHT:
	case GS_CWND:
		a->lo = min64(a->lo, b->lo);
		a->hi = max64(a->hi, b->hi);
		a->bytes = b->bytes;
		break;
	case GS_RTT_SEQ:
	case GS_RTT_TS:
	case GS_SERIES_COUNT:
		a->lo = min64(a->lo, b->lo);
		a->hi = max64(a->hi, b->hi);
		break;
	}
}

/* Full: merge neighbours pairwise; from now on a point stands for twice as many packets. */
static void series_halve(struct graph_series *s)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i + 1 < s->n; i += 2) {
		s->pt[k] = s->pt[i];
		point_merge(&s->pt[k], &s->pt[i + 1], (enum graph_series_kind)s->kind);
		k++;
	}
	if (s->n & 1)
		s->pt[k++] = s->pt[s->n - 1];
	s->n = k;
	s->stride *= 2;
}

static void series_add(struct graph_series *s, const struct graph_point *p)
{
	if (s->n && s->pending < s->stride) {
		point_merge(&s->pt[s->n - 1], p, (enum graph_series_kind)s->kind);
		s->pending++;
		return;
	}
	if (s->n == s->cap)
		series_halve(s);
	s->pt[s->n++] = *p;
	s->pending = 1;
}

static struct graph_point point_at(const struct graph_pkt *p, uint64_t lo, uint64_t hi, uint64_t bytes, uint16_t marks)
{
	struct graph_point pt = { .t0 = p->ts_ns, .t1 = p->ts_ns, .lo = lo, .hi = hi, .bytes = bytes, .pkt = p->n,
				  .n = 1, .marks = marks };
	return pt;
}

/* ---- Sequence numbers ---- */

/* The 64-bit relative number whose low 32 bits are rel and which lies nearest ref. */
static uint64_t unwrap(uint32_t rel, uint64_t ref)
{
	const uint64_t lap = (uint64_t)1 << 32, half = (uint64_t)1 << 31;
	uint64_t v = (ref & ~(lap - 1)) | rel;
	if (v + half < ref) /* far below: the next lap */
		v += lap;
	else if (v > ref + half && v >= lap) /* far above: the lap before */
		v -= lap;
	return v;
}

/* A relative sequence number of direction d's data, unwrapped near what d has sent. */
static uint64_t rel_seq(const struct graph_dir *d, uint32_t raw)
{
	return unwrap(raw - d->base, max64(d->snd_max, d->snd_una));
}

/* ---- Unacknowledged segments ---- */

static struct graph_out *out_at(struct graph_dir *d, uint32_t i)
{
	return &d->out[(d->out_head + i) % d->out_cap];
}

static void out_push(struct graph_dir *d, const struct graph_pkt *p, uint64_t lo, uint64_t hi)
{
	if (!d->out_cap)
		return;
	if (d->out_n == d->out_cap) { /* not acknowledged for that long: forget the oldest */
		d->out_head = (d->out_head + 1) % d->out_cap;
		d->out_n--;
		d->out_dropped++;
	}
	struct graph_out *o = out_at(d, d->out_n++);
	o->lo = lo;
	o->hi = hi;
	o->t_first = o->t_last = p->ts_ns;
	o->tsval = p->tsval;
	o->has_ts = p->has_ts;
	o->sends = 1;
}

/* A transmission of [lo, hi) below what was sent before: every segment it covers was sent once more.
   True when it covers bytes seen before (unacknowledged ones, or acknowledged already). */
static bool out_resent(struct graph_dir *d, const struct graph_pkt *p, uint64_t lo, uint64_t hi)
{
	bool seen = d->acked_any && lo < d->snd_una;
	for (uint32_t i = 0; i < d->out_n; i++) {
		struct graph_out *o = out_at(d, i);
		if (o->hi <= lo || o->lo >= hi)
			continue;
		if (o->sends < UINT8_MAX)
			o->sends++;
		o->t_last = p->ts_ns;
		o->tsval = p->tsval;
		o->has_ts = p->has_ts;
		seen = true;
	}
	return seen;
}

/* The ACK a (advancing) acknowledges segments of d; fills the RTT samples of *s. */
static void out_acked(struct graph_dir *d, const struct graph_pkt *p, uint64_t a, struct graph_sample *s)
{
	bool retx_acked = false, exact = false, ts_match = false;
	int64_t exact_t = 0, ts_t = 0;
	while (d->out_n) {
		struct graph_out *o = out_at(d, 0);
		if (o->hi > a) {
			if (o->lo < a) { /* part of it: what is left starts at the ACK */
				o->lo = a;
				if (o->sends > 1)
					retx_acked = true;
			}
			break;
		}
		if (o->sends > 1)
			retx_acked = true;
		if (o->hi == a) {
			exact = true;
			exact_t = o->t_first;
		}
		/* The echoed TSval names a transmission; a coarse timestamp clock (Linux: 1 ms) gives several
		   segments the same one: the latest sent of them is the one that made the receiver answer. */
		if (p->has_ts && o->has_ts && o->tsval == p->tsecr && (!ts_match || o->t_last > ts_t)) {
			ts_match = true;
			ts_t = o->t_last;
		}
		d->out_head = (d->out_head + 1) % d->out_cap;
		d->out_n--;
	}
	/* Karn's rule (RFC 6298 §3): no sample from an ACK of anything sent more than once; the timestamp
	   echo names the transmission it answers, so it may (RFC 7323 §4). */
	if (exact && !retx_acked) {
		s->rtt_seq_valid = true;
		s->rtt_seq_ns = p->ts_ns - exact_t;
	}
	s->rtt_karn = retx_acked;
	if (ts_match && p->tsecr) {
		s->rtt_ts_valid = true;
		s->rtt_ts_ns = p->ts_ns - ts_t;
	}
}

/* ---- Feeding ---- */

void graph_pkt_from(struct graph_pkt *gp, const struct packet *p, const struct track_result *tr)
{
	const struct ip_layer *ip = &p->ip;
	const struct tcp_hdr *th = &ip->u.tcp;
	memset(gp, 0, sizeof *gp);
	gp->n = p->n;
	gp->ts_ns = packet_time_ns(p);
	gp->flow_id = tr->flow ? tr->flow->id : 0;
	gp->dir = (uint8_t)tr->dir;
	gp->events = tr->events;
	if (ip->l4 != L4_TCP)
		return;
	gp->flags = (ip->have & HAVE_FLAGS) ? th->flags : 0;
	gp->seq = th->seq;
	gp->ack = th->ack;
	gp->have_ack = (ip->have & HAVE_ACK) != 0;
	gp->have_win = (ip->have & HAVE_WIN) != 0;
	gp->win = th->win;
	gp->len = (ip->have & HAVE_PAYLOAD) ? ip->payload_wire : 0;
	if (ip->have & HAVE_TCPOPTS) {
		gp->ws_offered = (th->opt_have & TCPOPT_HAVE_WSCALE) != 0;
		gp->ws_shift = th->wscale > 14 ? 14 : th->wscale; /* RFC 7323 §2.3: larger shifts mean 14 */
		gp->has_ts = (th->opt_have & TCPOPT_HAVE_TS) != 0;
		gp->tsval = th->tsval;
		gp->tsecr = th->tsecr;
		gp->nsack = (th->opt_have & TCPOPT_HAVE_SACK) ? th->nsack : 0;
		for (int i = 0; i < gp->nsack && i < PKT_MAX_SACK; i++) {
			gp->sack[i].left = th->sack[i].left;
			gp->sack[i].right = th->sack[i].right;
		}
	}
}

bool graph_pkt_usable(const struct packet *p, const struct track_result *tr)
{
	return tr->flow && tr->flow->proto == 6 && p->has_ip && p->ip.l4 == L4_TCP &&
	       (p->ip.have & (HAVE_SEQ | HAVE_FLAGS)) == (HAVE_SEQ | HAVE_FLAGS) && !(tr->events & EV_ICMP_ERROR);
}

/* Packet p (sent by the other end) acknowledges d's data: the ACK line, window, SACK blocks, RTT. */
static void feed_ack(struct graph *g, struct graph_dir *d, const struct graph_dir *sender, const struct graph_pkt *p,
		     struct graph_sample *s)
{
	if (!d->base_known) { /* nothing of d seen yet: its relative 1 is this ACK (as tshark) */
		d->base = p->ack - 1;
		d->base_known = true;
	}
	uint64_t a = rel_seq(d, p->ack);
	if (p->have_win) {
		uint64_t w = p->win;
		/* RFC 7323 §2.2: windows in SYNs are never scaled; others by the shift the sender announced,
		   when both ends announced one. Without the handshake the shift is not known: raw windows. */
		if (!(p->flags & TCP_SYN) && g->scale_known && sender->ws_offered && d->ws_offered)
			w <<= sender->ws_shift;
		d->rwnd = w;
		d->rwnd_known = true;
		s->rwnd_valid = true;
		s->rwnd = w;
	}
	d->bif_valid = true;
	if (!d->acked_any || a > d->snd_una) {
		out_acked(d, p, a, s);
		d->snd_una = a;
		d->acked_any = true;
	}
	/* SACK blocks (RFC 2018): drawn all; those above the ACK are data the receiver holds. */
	d->sacked = d->dsacked = 0;
	for (int i = 0; i < p->nsack && i < PKT_MAX_SACK; i++) {
		uint64_t lo = rel_seq(d, p->sack[i].left), hi = rel_seq(d, p->sack[i].right);
		if (hi <= lo)
			continue;
		bool dup = hi <= d->snd_una; /* RFC 2883: a block the ACK already covers was received twice */
		struct graph_point sp = point_at(p, lo, hi, hi - lo, dup ? GM_DSACK : 0);
		series_add(&d->s[GS_SACK], &sp);
		if (dup)
			d->dsacked += hi - lo;
		else
			d->sacked += hi - max64(lo, d->snd_una);
	}
	uint16_t marks = 0;
	if (p->events & EV_DUP_ACK)
		marks |= GM_DUPACK;
	if (p->events & EV_ZERO_WINDOW)
		marks |= GM_ZEROWIN;
	if (p->events & EV_WINDOW_UPDATE)
		marks |= GM_WIN_UPDATE;
	if (p->flags & TCP_SYN)
		marks |= GM_SYN;
	if (p->flags & TCP_RST)
		marks |= GM_RST;
	struct graph_point ap = point_at(p, a, a + d->rwnd, d->rwnd, marks);
	series_add(&d->s[GS_ACK], &ap);
}

/* Packet p is a segment of d's data (payload, SYN, FIN or RST). */
static void feed_seg(struct graph_dir *d, const struct graph_pkt *p, struct graph_sample *s)
{
	uint32_t syn = (p->flags & TCP_SYN) ? 1 : 0, fin = (p->flags & TCP_FIN) ? 1 : 0;
	if (syn) {
		d->base = p->seq;
		d->base_known = true;
	} else if (!d->base_known) {
		d->base = p->seq - 1;
		d->base_known = true;
	}
	uint64_t lo = rel_seq(d, p->seq), hi = lo + p->len + syn + fin;
	/* Sent again: the tracker says so, or the segment carries bytes this capture saw go before (the
	   tracker calls a resend soon after the highest segment "out-of-order", as Wireshark does; from
	   the bytes a graph can tell it was sent twice). */
	bool retx = (p->events & (EV_RETRANSMISSION | EV_FAST_RETRANSMISSION | EV_SPURIOUS_RETRANSMISSION)) != 0;
	if (hi > lo) {
		if (!d->sent_any || lo >= d->snd_max) {
			if (d->sent_any && lo > d->snd_max)
				d->bif_valid = false; /* a gap: the segments before were not captured */
			out_push(d, p, lo, hi);
		} else {
			if (out_resent(d, p, lo, hi) && p->len)
				retx = true;
			if (hi > d->snd_max)
				out_push(d, p, d->snd_max, hi);
		}
		d->snd_max = d->sent_any ? max64(d->snd_max, hi) : hi;
		d->sent_any = true;
	}
	uint16_t marks = 0;
	if (retx)
		marks |= GM_RETRANS;
	else if (p->events & EV_OUT_OF_ORDER)
		marks |= GM_OUT_OF_ORDER;
	if (syn)
		marks |= GM_SYN;
	if (fin)
		marks |= GM_FIN;
	if (p->flags & TCP_RST)
		marks |= GM_RST;
	struct graph_point sp = point_at(p, lo, hi, p->len, marks);
	sp.bytes_retx = retx ? p->len : 0;
	series_add(&d->s[GS_SEG], &sp);
	d->pkts++;
	d->bytes += p->len;
	if (retx)
		d->bytes_retx += p->len;
	/* Bytes in flight (as tshark's tcp.analysis.bytes_in_flight): from the oldest unacknowledged byte
	   (or this segment, resent below it) to the highest sent, less what the peer's latest SACK holds;
	   a SYN or FIN is not a byte. Given for segments with data, except after a gap until an ACK came back. */
	if (p->len && d->bif_valid) {
		uint64_t first = d->out_n ? min64(out_at(d, 0)->lo, lo) : lo;
		uint64_t span = d->snd_max > first ? d->snd_max - first : 0;
		uint64_t bif = span > d->sacked ? span - d->sacked : 0;
		if (bif && (syn || fin))
			bif--;
		if (bif) {
			s->bif_valid = true;
			s->bif = bif;
			s->dsack = d->dsacked;
			struct graph_point ip = point_at(p, bif, bif, d->rwnd_known ? d->rwnd : 0, 0);
			series_add(&d->s[GS_INFLIGHT], &ip);
		}
	}
}

void graph_feed(struct graph *g, const struct graph_pkt *p, struct graph_sample *out)
{
	struct graph_sample local;
	struct graph_sample *s = out ? out : &local;
	memset(s, 0, sizeof *s);
	if (!g->flow_id) {
		g->flow_id = p->flow_id;
		g->t_first = p->ts_ns;
	} else if (p->flow_id != g->flow_id) {
		return;
	}
	g->t_last = p->ts_ns > g->t_last ? p->ts_ns : g->t_last;
	g->pkts++;
	int x = p->dir == DIR_S2C ? DIR_S2C : DIR_C2S;
	struct graph_dir *me = &g->d[x], *peer = &g->d[1 - x];
	if (p->flags & TCP_SYN) {
		me->syn_seen = true;
		me->ws_offered = p->ws_offered;
		me->ws_shift = p->ws_shift;
		if (peer->syn_seen)
			g->scale_known = true;
	}
	if (p->len || (p->flags & (TCP_SYN | TCP_FIN | TCP_RST)))
		feed_seg(me, p, s);
	if ((p->flags & TCP_ACK) && p->have_ack)
		feed_ack(g, peer, me, p, s);
	/* The samples belong to the other direction's data; keep them in its series. */
	if (s->rtt_seq_valid && s->rtt_seq_ns >= 0) {
		struct graph_point rp = point_at(p, (uint64_t)s->rtt_seq_ns, (uint64_t)s->rtt_seq_ns, 0, 0);
		series_add(&peer->s[GS_RTT_SEQ], &rp);
	}
	if (s->rtt_ts_valid && s->rtt_ts_ns >= 0) {
		struct graph_point rp = point_at(p, (uint64_t)s->rtt_ts_ns, (uint64_t)s->rtt_ts_ns, 0, 0);
		series_add(&peer->s[GS_RTT_TS], &rp);
	}
}

void graph_feed_cwnd(struct graph *g, enum flow_dir dir, int64_t ts_ns, uint64_t cwnd_bytes)
{
	struct graph_point p = { .t0 = ts_ns, .t1 = ts_ns, .lo = cwnd_bytes, .hi = cwnd_bytes, .bytes = cwnd_bytes, .n = 1 };
	series_add(&g->d[dir == DIR_S2C ? DIR_S2C : DIR_C2S].s[GS_CWND], &p);
}

enum flow_dir graph_main_dir(const struct graph *g)
{
	return g->d[DIR_S2C].bytes > g->d[DIR_C2S].bytes ? DIR_S2C : DIR_C2S;
}
