/* tui_model.c — the panel's model: packets into the history (timed for replay), view filter, calls merged by time. */
#include "tui/tui_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "decode/decode.h"
#include "source/filter.h"
#include "source/pcapwrite.h"
#include "tui/pane.h"

#define TUI_BATCH 4096                 /* packets pulled per turn before the keyboard is looked at ... */
#define TUI_SLICE_NS (8 * 1000000LL)   /* ... or this much time */
#define TUI_FFWD_SLICE_NS (60 * 1000000LL) /* longer turns while fast-forwarding to the end */
#define TUI_READER_BATCH 1024          /* live: packets the reader thread takes per hold of the lock ... */
#define TUI_READER_SLICE_NS (2 * 1000000LL) /* ... or this much time */
#define TUI_PEND_MAX 262144u           /* bytes kept of the one packet read ahead during timed replay */
#define TUI_PEND_NOTE 65535u           /* and of its comment, after them */
#define TUI_SNAPLEN 262144             /* for the view filter and saved files */
#define TUI_CALLS_MAX 1024             /* socket calls waiting for their place on the timeline */
#define TUI_HOLD_MAX 8192              /* live packets waiting (at most TUI_CALL_GRACE_MS) for the calls */

bool model_init(struct tui_model *m, struct pipeline *pl, const struct tui_opts *o, const struct model_hooks *hooks,
		void *arg)
{
	memset(m, 0, sizeof *m);
	m->pl = pl;
	m->o = o;
	m->hooks = hooks;
	m->arg = arg;
	m->live = pipeline_live(pl);
	m->linktype = pipeline_linktype(pl);
	m->vf_warned = -1;
	m->paused = o->step;
	m->feed = o->feed;
	m->hold_live = m->feed && m->feed->live_calls && m->live;
	clock_init(&m->clk, m->live ? 1.0 : o->speed);
	size_t cap = o->history ? o->history : TUI_DEFAULT_HISTORY;
	size_t budget = o->history_bytes ? o->history_bytes : TUI_DEFAULT_HISTORY_BYTES;
	if (!hist_init(&m->hist, cap, budget))
		return false;
	if (!seqring_init(&m->shown, cap) || !seqring_init(&m->flowpk, cap))
		return false;
	m->pend_buf = malloc(TUI_PEND_MAX + TUI_PEND_NOTE);
	if (m->feed) {
		if (m->hold_live && !hist_init(&m->hold, TUI_HOLD_MAX, 16u << 20))
			return false;
		m->calls = calloc(TUI_CALLS_MAX, sizeof *m->calls);
		m->recent = calloc(1, sizeof *m->recent);
		m->sock = calloc(TUI_SOCK_ROWS, sizeof *m->sock);
		if (!m->calls || !m->recent || !m->sock)
			return false;
	}
	return m->pend_buf != NULL;
}

void model_free(struct tui_model *m)
{
	if (m->hist.pkt)
		hist_free(&m->hist);
	seqring_free(&m->shown);
	seqring_free(&m->flowpk);
	free(m->pend_buf);
	if (m->hold.pkt)
		hist_free(&m->hold);
	free(m->calls);
	free(m->recent);
	free(m->sock);
	if (m->vf)
		filter_free(m->vf);
}

void model_prefault(struct tui_model *m)
{
	hist_prefault(&m->hist);
	seqring_prefault(&m->shown);
	seqring_prefault(&m->flowpk);
	if (m->hold.pkt)
		hist_prefault(&m->hold);
}

size_t model_visible(const struct tui_model *m)
{
	if (m->live && m->paused)
		return seqring_lower_bound(&m->shown, m->frozen_next);
	return m->shown.count;
}

struct tui_pkt *model_shown(const struct tui_model *m, size_t i, uint64_t *seq)
{
	if (i >= m->shown.count)
		return NULL;
	uint64_t s = seqring_at(&m->shown, i);
	if (seq)
		*seq = s;
	return hist_get(&m->hist, s);
}

bool model_flow_index(struct tui_model *m, uint64_t id)
{
	if (m->flowpk_id == id)
		return false;
	seqring_clear(&m->flowpk);
	m->flowpk_id = id;
	for (uint64_t s = m->hist.first; id && s < m->hist.next; s++)
		if (hist_get(&m->hist, s)->flow_id == id)
			seqring_push(&m->flowpk, s);
	return true;
}

/* Does p pass the display filter? A link type the expression is invalid for hides its packets (said once). */
static bool model_matches(struct tui_model *m, const struct tui_pkt *p)
{
	if (p->is_call || !m->vf)
		return true;
	int r = filter_run(m->vf, p->linktype, hist_bytes(&m->hist, p), p->stored, p->len);
	if (r < 0 && m->vf_warned != p->linktype) {
		m->vf_warned = p->linktype;
		const char *lt = linktype_name(p->linktype);
		char text[320];
		snprintf(text, sizeof text, "view filter is invalid for link type %s (%s): its packets are hidden",
			 lt ? lt : "?", filter_why(m->vf, p->linktype));
		m->hooks->note(m->arg, NOTE_FILTER_LINKTYPE, text);
	}
	return r > 0;
}

/* Put one row into the history and its indexes; the panel hears of it through the hooks. */
static void model_ingest(struct tui_model *m, const struct tui_pkt *e, const uint8_t *data, uint32_t caplen)
{
	uint64_t first = m->hist.first, seq;
	struct tui_pkt *p = hist_push(&m->hist, e, data, caplen, &seq);
	if (m->hist.first != first) {
		size_t k = seqring_trim(&m->shown, m->hist.first);
		size_t kf = seqring_trim(&m->flowpk, m->hist.first);
		if (k || kf)
			m->hooks->evicted(m->arg, k, kf);
	}
	p->match = model_matches(m, p);
	if (m->recent && !p->is_call && p->flow_id) {
		const struct flow *f = flowtab_find(pipeline_flows(m->pl), p->flow_id);
		if (f)
			tl_flows_note(m->recent, f);
	}
	if (!m->have_t0) {
		m->have_t0 = true;
		m->t0 = p->ts_ns;
	}
	m->have_last = true;
	m->last_ts = p->ts_ns;
	m->released++;
	m->hooks->changed(m->arg, D_STATUS | D_FLOWDATA);
	if (p->match)
		seqring_push(&m->shown, seq);
	bool in_flow = p->flow_id && p->flow_id == m->flowpk_id;
	if (in_flow)
		seqring_push(&m->flowpk, seq);
	m->hooks->added(m->arg, p, p->match, in_flow);
}

/* ---------------------------------------------------------------- the classroom's calls ---- */

const struct sock_event *model_call_event(const struct tui_model *m, const struct tui_pkt *p, struct sock_event *ev)
{
	if (!p->is_call || p->stored != sizeof *ev)
		return NULL;
	memcpy(ev, hist_bytes(&m->hist, p), sizeof *ev);
	return ev;
}

int model_call_side(const struct tui_pkt *p, const struct sock_event *ev)
{
	if (p->flow_id)
		return p->dir ? 1 : 0;
	if (strcmp(ev->role, "server") == 0)
		return 1;
	return strcmp(ev->role, "client") == 0 ? 0 : -1;
}

/* Put a call on the timeline: matched to the flow of a packet still waiting (a connect before its SYN),
   else to the most recent flow placed. */
static void model_place_call(struct tui_model *m, const struct sock_event *ev)
{
	struct tui_pkt e;
	memset(&e, 0, sizeof e);
	e.is_call = true;
	e.ts_ns = timeline_call_key(ev);
	enum flow_dir side = DIR_C2S;
	bool before = e.ts_ns < ev->ts_us * 1000;
	bool found = false;
	for (uint64_t s = m->hold.first; before && m->hold_live && s < m->hold.next && !found; s++) {
		const struct tui_pkt *h = hist_get(&m->hold, s);
		const struct flow *f = h->flow_id ? flowtab_find(pipeline_flows(m->pl), h->flow_id) : NULL;
		if (f && timeline_event_side(ev, f, &side)) {
			e.flow_id = f->id;
			e.before[0] = e.after[0] = h->before[0];
			e.before[1] = e.after[1] = h->before[1];
			found = true;
		}
	}
	const struct flow *f = found || !m->recent ? NULL : tl_flows_match(m->recent, ev, &side);
	if (f) {
		const struct flow *live = flowtab_find(pipeline_flows(m->pl), f->id);
		e.flow_id = f->id;
		for (int i = 0; i < 2; i++)
			e.before[i] = e.after[i] = (uint8_t)(live ? live->state[i] : f->state[i]);
		found = true;
	}
	e.dir = (uint8_t)side;
	e.proto = f ? f->proto : 0;
	model_ingest(m, &e, (const uint8_t *)ev, sizeof *ev);
}

/* Place the waiting calls that stand before ts_ns (all with INT64_MAX). */
static void model_calls_until(struct tui_model *m, int64_t ts_ns)
{
	size_t k = 0;
	while (k < m->ncalls && timeline_call_key(&m->calls[k]) <= ts_ns)
		model_place_call(m, &m->calls[k++]);
	if (k) {
		memmove(m->calls, m->calls + k, (m->ncalls - k) * sizeof *m->calls);
		m->ncalls -= k;
	}
}

/* A packet the pipeline gave: straight into the history (after the calls before it), or into hold. */
static void model_take(struct tui_model *m, const struct tui_pkt *e, const uint8_t *data, uint32_t caplen)
{
	if (m->hold_live) {
		while (hist_count(&m->hold) && !hist_room(&m->hold, caplen)) {
			/* full: the oldest goes now (hist_push would drop it unseen) */
			struct tui_pkt *h = hist_get(&m->hold, m->hold.first);
			model_calls_until(m, h->ts_ns);
			model_ingest(m, h, hist_bytes(&m->hold, h), h->stored);
			m->hold.first++;
		}
		uint64_t seq;
		hist_push(&m->hold, e, data, caplen, &seq);
		return;
	}
	if (m->feed)
		model_calls_until(m, e->ts_ns);
	model_ingest(m, e, data, caplen);
}

void model_feed_pump(struct tui_model *m)
{
	if (!m->feed)
		return;
	if (m->feed->calls) {
		struct sock_event ev;
		while (m->ncalls < TUI_CALLS_MAX && m->feed->calls(m->feed->arg, &ev, 1) == 1) {
			int64_t key = timeline_call_key(&ev);
			size_t pos = m->ncalls;
			while (pos > 0 && timeline_call_key(&m->calls[pos - 1]) > key)
				pos--;
			memmove(m->calls + pos + 1, m->calls + pos, (m->ncalls - pos) * sizeof *m->calls);
			m->calls[pos] = ev;
			m->ncalls++;
		}
	}
	int64_t limit = clock_real_ns() - (int64_t)TUI_CALL_GRACE_MS * 1000000;
	bool full = m->ncalls == TUI_CALLS_MAX;
	if (m->hold_live) {
		while (hist_count(&m->hold)) {
			struct tui_pkt *h = hist_get(&m->hold, m->hold.first);
			if (h->ts_ns > limit && !full)
				break;
			model_calls_until(m, h->ts_ns);
			model_ingest(m, h, hist_bytes(&m->hold, h), h->stored);
			m->hold.first++;
			full = false;
		}
	}
	if (m->live || m->ended)
		model_calls_until(m, m->ended ? INT64_MAX : full ? timeline_call_key(&m->calls[0]) : limit);
	if (m->feed->sockets && clock_mono_ns() >= m->sock_next) {
		m->sock_next = clock_mono_ns() + (int64_t)TUI_SOCKETS_EVERY_MS * 1000000;
		int n = sockdiag_snapshot(m->sock, TUI_SOCK_ROWS, m->feed->ports, m->feed->nports, m->sock_err,
					  sizeof m->sock_err);
		if (n >= 0) {
			m->nsock = (size_t)n < TUI_SOCK_ROWS ? (size_t)n : TUI_SOCK_ROWS;
			m->sock_err[0] = '\0';
		}
		m->hooks->changed(m->arg, D_FLOWS);
	}
	if (m->feed->status && !m->feed_ended_shown && !m->ncalls && !(m->hold_live && hist_count(&m->hold))) {
		const char *st = m->feed->status(m->feed->arg);
		if (st) {
			m->feed_ended_shown = true;
			m->hooks->note(m->arg, NOTE_FEED_ENDED, st);
		}
	}
}

/* ---------------------------------------------------------------- the source and replay ---- */

void model_release_pending(struct tui_model *m)
{
	if (!m->have_pending)
		return;
	m->have_pending = false;
	model_take(m, &m->pending, m->pend_buf, m->pend_len);
}

static void model_capture_failed(struct tui_model *m)
{
	const char *e = pipeline_error(m->pl);
	snprintf(m->errtext, sizeof m->errtext, "%s", e && *e ? e : "capture error");
	m->capture_error = true;
	m->pl_failed = true;
	m->ended = true;
	m->hooks->note(m->arg, NOTE_CAPTURE_FAILED, m->errtext);
	m->hooks->changed(m->arg, D_STATUS);
}

void model_pump(struct tui_model *m, int64_t *wait_ns)
{
	*wait_ns = -1;
	m->more = false;
	if (m->ended)
		return;
	int64_t start = clock_mono_ns();
	bool reader = m->yield != NULL;
	int64_t slice = m->fastfwd ? TUI_FFWD_SLICE_NS : reader ? TUI_READER_SLICE_NS : TUI_SLICE_NS;
	int batch = m->fastfwd ? TUI_BATCH * 64 : reader ? TUI_READER_BATCH : TUI_BATCH;
	for (int i = 0;; i++) {
		if (i >= batch || ((i & 255) == 255 && (clock_mono_ns() - start > slice || (reader && atomic_load(m->yield))))) {
			m->more = true;
			return;
		}
		bool timed = !m->live && m->clk.speed > 0 && !m->fastfwd;
		if (!m->live && m->paused && !m->fastfwd)
			return;
		if (m->have_pending) {
			if (timed) {
				int64_t now = clock_mono_ns();
				if (!m->clk.anchored)
					clock_anchor(&m->clk, now, m->have_last ? m->last_ts : m->pending.ts_ns);
				int64_t due = clock_due_in(&m->clk, now, m->pending.ts_ns);
				if (due > 0) {
					*wait_ns = due;
					return;
				}
			}
			model_release_pending(m);
			continue;
		}
		struct track_result tr;
		const struct packet *d;
		int r = pipeline_next_ref(m->pl, &d, &tr); /* *d is the pipeline's, valid until the next call */
		if (r == 0)
			return;
		if (r == -1) {
			m->ended = true;
			m->fastfwd = false;
			m->hooks->changed(m->arg, D_STATUS);
			return;
		}
		if (r < 0) {
			model_capture_failed(m);
			return;
		}
		struct tui_pkt e;
		tui_pkt_from(&e, d, &tr);
		if (timed) {
			m->pend_len = d->caplen < TUI_PEND_MAX ? d->caplen : TUI_PEND_MAX;
			memcpy(m->pend_buf, d->data, m->pend_len);
			if (e.comment) {
				memcpy(m->pend_buf + m->pend_len, e.comment, e.comment_len);
				e.comment = (const char *)m->pend_buf + m->pend_len;
			}
			m->pending = e;
			m->have_pending = true;
			continue;
		}
		model_take(m, &e, d->data, d->caplen);
	}
}

void model_set_paused(struct tui_model *m, bool paused)
{
	m->paused = paused;
	if (m->live) {
		if (paused)
			m->frozen_next = m->hist.next;
	} else if (!paused) {
		if (m->have_last && m->clk.speed > 0)
			clock_anchor(&m->clk, clock_mono_ns(), m->last_ts);
		else
			m->clk.anchored = false;
	}
}

bool model_step_live(struct tui_model *m)
{
	size_t i = seqring_lower_bound(&m->shown, m->frozen_next);
	if (i >= m->shown.count)
		return false;
	m->frozen_next = seqring_at(&m->shown, i) + 1;
	return true;
}

void model_step_file(struct tui_model *m)
{
	if (m->have_pending) {
		model_release_pending(m);
		return;
	}
	if (m->ended)
		return;
	struct track_result tr;
	const struct packet *d;
	int r = pipeline_next_ref(m->pl, &d, &tr); /* a live source is not stepped here; a quiet pipe says 0 */
	if (r == 1) {
		struct tui_pkt e;
		tui_pkt_from(&e, d, &tr);
		model_ingest(m, &e, d->data, d->caplen);
	} else if (r == -1) {
		m->ended = true;
	} else if (r < 0) {
		model_capture_failed(m);
	}
}

double model_speed(struct tui_model *m, bool faster)
{
	double s = faster ? speed_faster(m->clk.speed) : speed_slower(m->clk.speed);
	if (m->clk.speed > 0 && s > 0) {
		clock_set_speed(&m->clk, clock_mono_ns(), s);
	} else {
		clock_set_speed(&m->clk, clock_mono_ns(), s);
		if (s > 0 && m->have_last)
			clock_anchor(&m->clk, clock_mono_ns(), m->last_ts);
	}
	return s;
}

/* ---------------------------------------------------------------- filter, clear, save ---- */

void model_refilter(struct tui_model *m)
{
	seqring_clear(&m->shown);
	for (uint64_t s = m->hist.first; s < m->hist.next; s++) {
		struct tui_pkt *p = hist_get(&m->hist, s);
		p->match = model_matches(m, p);
		if (p->match)
			seqring_push(&m->shown, s);
	}
}

bool model_set_filter(struct tui_model *m, const char *expr, char *err, size_t errlen)
{
	struct filter *f = NULL;
	if (*expr) {
		f = filter_compile(expr, m->linktype, TUI_SNAPLEN, err, errlen);
		if (!f)
			return false;
		/* and for every other link type the capture has described (a pcapng file's interfaces) */
		char why[256];
		for (size_t i = 0; i < pipeline_interfaces(m->pl); i++) {
			int lt = pipeline_interface(m->pl, i)->pub.linktype;
			if (!filter_prepare(f, lt, why, sizeof why)) {
				const char *name = linktype_name(lt);
				snprintf(err, errlen, "for link type %s: %s", name ? name : "?", why);
				filter_free(f);
				return false;
			}
		}
	}
	m->vf_warned = -1;
	if (m->vf)
		filter_free(m->vf);
	m->vf = f;
	snprintf(m->vf_text, sizeof m->vf_text, "%s", expr);
	return true;
}

size_t model_clear(struct tui_model *m)
{
	size_t n = hist_count(&m->hist);
	hist_clear(&m->hist);
	seqring_clear(&m->shown);
	seqring_clear(&m->flowpk);
	m->flowpk_id = 0;
	m->frozen_next = m->hist.next;
	m->cleared = true;
	m->clear_ns = m->have_last ? m->last_ts : 0;
	return n;
}

int model_save(struct tui_model *m, const char *path, size_t count, size_t *written, size_t *other, int *linktype,
	       char *why, size_t whylen)
{
	*written = *other = 0;
	*linktype = m->linktype;
	for (size_t i = 0; i < count; i++) { /* a pcap file holds one link type: the first listed packet's */
		const struct tui_pkt *p = model_shown(m, i, NULL);
		if (p && !p->is_call) {
			*linktype = p->linktype;
			break;
		}
	}
	bool nano = pipeline_nanosecond(m->pl);
	struct pcapw *w = pcapw_open(path, *linktype, TUI_SNAPLEN, nano, why, whylen);
	if (!w)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const struct tui_pkt *p = model_shown(m, i, NULL);
		if (!p || p->is_call)
			continue;
		if (p->linktype != *linktype) {
			(*other)++;
			continue;
		}
		int64_t sec = p->ts_ns / 1000000000LL, ns = p->ts_ns % 1000000000LL;
		if (ns < 0) {
			ns += 1000000000LL;
			sec--;
		}
		pcapw_write(w, sec, nano ? ns : ns / 1000, p->stored, p->len, hist_bytes(&m->hist, p));
		(*written)++;
	}
	return pcapw_close(w) ? 0 : -2;
}

/* ---------------------------------------------------------------- rows for the panes ---- */

void model_redecode(const struct tui_model *m, const struct tui_pkt *p, struct packet *out)
{
	decode_packet(out, p->linktype, hist_bytes(&m->hist, p), p->stored, p->len);
	out->n = p->n;
	out->ts_sec = p->ts_ns / 1000000000LL;
	out->ts_nsec = (uint32_t)(p->ts_ns % 1000000000LL);
	out->caplen = p->stored;
	out->len = p->len;
	out->iface = p->iface;
	out->comment = p->comment;
	out->comment_len = p->comment_len;
}

void model_track_of(struct tui_model *m, const struct tui_pkt *p, struct track_result *tr)
{
	memset(tr, 0, sizeof *tr);
	tr->flow = flowtab_find(pipeline_flows(m->pl), p->flow_id);
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
