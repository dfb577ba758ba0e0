/* tui_model.c — the panel's model: packets indexed into the store as they come (through the classroom session when there is one), the rows shown (a replay's cursor), the view filter's pass. */
#include "tui/tui_model.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/grow.h"
#include "decode/decode.h"
#include "source/filter.h"
#include "source/pcapwrite.h"
#include "tui/pane.h"

#define TUI_BATCH 4096                 /* packets indexed per turn without a reader thread ... */
#define TUI_SLICE_NS (8 * 1000000LL)   /* ... or this much time */
#define TUI_READER_BATCH 1024          /* the reader thread: packets per hold of the lock ... */
#define TUI_READER_SLICE_NS (2 * 1000000LL) /* ... or this much time */
#define TUI_FILTER_BATCH 8192          /* rows the view filter's pass looks at per turn */
#define TUI_SNAPLEN 262144             /* for the view filter and saved files */
#define SNAP_CHUNK 4096                /* flows per chunk of replay snapshots */

/* A packet held by the classroom session: where its row's bytes are and what tracking said. */
struct held_row {
	uint64_t off;
	bool lost;
	struct store_facts f;
	int64_t ts_ns;
};

static void model_flow_gone(const struct flow *f, bool evicted, void *arg)
{
	(void)evicted;
	struct tui_model *m = arg;
	store_flow_gone(m->st, f);
}

static const struct pkt_iface *model_iface(void *arg, unsigned i)
{
	const struct pcapng_iface *f = pipeline_interface(arg, i);
	return f ? &f->pub : NULL;
}

bool model_init(struct tui_model *m, struct pipeline *pl, const struct tui_opts *o, const struct model_hooks *hooks,
		void *arg, const char **what)
{
	memset(m, 0, sizeof *m);
	m->pl = pl;
	m->o = o;
	m->hooks = hooks;
	m->arg = arg;
	m->live = pipeline_live(pl);
	m->linktype = pipeline_linktype(pl);
	m->vf_warned = m->vf_invalid = -1;
	m->paused = o->step;
	m->session = o->session;
	clock_init(&m->clk, m->live ? 1.0 : o->speed);
	*what = "out of memory for the packet index";
	struct store_pcapfmt fmt;
	if (pipeline_pcap_inplace(pl, &fmt.swapped, &fmt.nano, &fmt.snaplen, &fmt.linktype)) {
		char err[600];
		m->st = store_open_file(pipeline_source_name(pl), &fmt, err, sizeof err);
		m->inplace = m->st != NULL;
		m->file_size = pipeline_file_size(pl);
	}
	if (!m->st) {
		struct spool_opts so = { .max_bytes = o->spool_max, .wait = !m->live };
		m->sp = spool_open(&so);
		if (!m->sp)
			return false;
		m->st = store_open_spool(m->sp);
		if (!m->st)
			return false;
	}
	m->match = store_match_new();
	m->cache = calloc(MODEL_CACHE, sizeof *m->cache);
	m->cached = calloc(MODEL_CACHE, sizeof *m->cached);
	if (!m->match || !m->cache || !m->cached)
		return false;
	flowtab_set_remove_hook(pipeline_flows(pl), model_flow_gone, m);
	return true;
}

void model_free(struct tui_model *m)
{
	if (m->pl)
		flowtab_set_remove_hook(pipeline_flows(m->pl), NULL, NULL);
	store_match_free(m->match);
	store_close(m->st);
	spool_close(m->sp);
	store_flowrows_free(&m->flowpk);
	for (size_t i = 0; i < m->nsnap; i++)
		free(m->snap[i]);
	free(m->snap);
	free(m->cache);
	free(m->cached);
	free(m->tapbuf);
	if (m->vf)
		filter_free(m->vf);
}

/* ---------------------------------------------------------------- rows shown ---- */

/* Rows before this are shown: the cursor, or the freeze of a live pause. */
static uint64_t model_limit(const struct tui_model *m)
{
	return m->live && m->paused ? m->frozen : m->avail;
}

size_t model_visible(const struct tui_model *m)
{
	uint64_t lim = model_limit(m), first = store_first(m->st);
	if (lim <= first)
		return 0;
	if (!store_match_active(m->match))
		return (size_t)(lim - first);
	uint64_t done = store_match_done(m->match);
	return (size_t)store_match_rank(m->match, m->st, lim < done ? lim : done);
}

size_t model_visible_calls(const struct tui_model *m)
{
	uint64_t lim = model_limit(m), first = store_first(m->st);
	if (store_match_active(m->match) && store_match_done(m->match) < lim)
		lim = store_match_done(m->match);
	return (size_t)store_calls_between(m->st, first, lim);
}

struct tui_pkt *model_shown(struct tui_model *m, size_t i, uint64_t *row)
{
	if (i >= model_visible(m))
		return NULL;
	uint64_t r = store_match_at(m->match, m->st, i);
	if (r == STORE_NONE)
		return NULL;
	if (row)
		*row = r;
	return model_row(m, r);
}

size_t model_shown_lower_bound(struct tui_model *m, uint64_t row)
{
	size_t vis = model_visible(m);
	uint64_t k = store_match_rank(m->match, m->st, row);
	return k < vis ? (size_t)k : vis;
}

bool model_shown_find(struct tui_model *m, uint64_t row, size_t *index)
{
	if (row < store_first(m->st) || row >= model_limit(m) || !store_match_has(m->match, row))
		return false;
	size_t i = model_shown_lower_bound(m, row);
	if (i >= model_visible(m))
		return false;
	*index = i;
	return true;
}

struct tui_pkt *model_row(struct tui_model *m, uint64_t row)
{
	const struct store_row *x = store_row(m->st, row);
	if (!x)
		return NULL;
	size_t slot = (size_t)(row % MODEL_CACHE);
	struct tui_pkt *p = &m->cache[slot];
	if (m->cached[slot] && p->row == row && !p->gone)
		return p;
	memset(p, 0, sizeof *p);
	p->row = row;
	m->cached[slot] = true;
	if (x->bits & ROW_CALL) {
		const struct store_call *c = store_call_of(m->st, x);
		p->is_call = true;
		if (c) {
			p->s.ts_ns = c->at_ns;
			p->s.dir = c->side;
			if (c->flow_id) {
				p->s.flow_id = c->flow_id;
				for (int i = 0; i < 2; i++)
					p->s.before[i] = p->s.after[i] = c->states[i];
			}
			p->stored = sizeof c->ev;
		}
		return p;
	}
	int rc = store_read(m->st, row, &m->scratch, &m->sp_pkt, model_iface, m->pl);
	if (rc == 1) {
		p->s = m->sp_pkt.s;
		p->stored = m->sp_pkt.caplen;
		p->iface = m->sp_pkt.iface;
		return p;
	}
	p->gone = rc == STORE_DAMAGED ? GONE_DAMAGED : GONE_NOT_KEPT;
	p->s.n = store_packet_number(m->st, row);
	p->s.flow_id = store_row_flow(m->st, row);
	return p;
}

const uint8_t *model_bytes(struct tui_model *m, const struct tui_pkt *p)
{
	if (p->is_call || store_read(m->st, p->row, &m->scratch, &m->sp_pkt, model_iface, m->pl) != 1)
		return NULL;
	return m->sp_pkt.data;
}

bool model_redecode(struct tui_model *m, const struct tui_pkt *p, struct packet *out)
{
	return !p->is_call && store_read(m->st, p->row, out, &m->sp_pkt, model_iface, m->pl) == 1;
}

bool model_flow_index(struct tui_model *m, uint64_t id)
{
	bool rebuilt = store_flowrows_update(m->st, &m->flowpk, id);
	/* Only the rows shown belong to the ladder: a replay's index runs ahead of them. */
	uint64_t lim = model_limit(m);
	while (m->flowpk.count && m->flowpk.row[m->flowpk.count - 1] >= lim) {
		m->flowpk.count--;
		m->flowpk.scanned = m->flowpk.row[m->flowpk.count];
	}
	return rebuilt;
}

const struct flow *model_flow(struct tui_model *m, uint64_t id, struct flow *scratch)
{
	return store_flow(m->st, id, scratch);
}

uint64_t model_flows(const struct tui_model *m)
{
	return m->flows_shown;
}

static struct flow_snap *model_snap(struct tui_model *m, uint64_t id, bool make)
{
	if (!id)
		return NULL;
	size_t k = (size_t)((id - 1) / SNAP_CHUNK);
	if (k >= m->nsnap) {
		if (!make)
			return NULL;
		struct flow_snap **t = grow_zeroed(m->snap, &m->nsnap, k, 16, sizeof *t);
		if (!t)
			return NULL;
		m->snap = t;
	}
	if (!m->snap[k]) {
		if (!make)
			return NULL;
		m->snap[k] = calloc(SNAP_CHUNK, sizeof **m->snap);
		if (!m->snap[k])
			return NULL;
	}
	return &m->snap[k][(id - 1) % SNAP_CHUNK];
}

void model_flow_view(struct tui_model *m, const struct flow *f, struct flow_view *v)
{
	flowview_from(v, f, m->snapping ? model_snap(m, f->id, false) : NULL);
}

/* ---------------------------------------------------------------- showing rows ---- */

/* The first shown row's time, for the Time column. */
static void model_t0(struct tui_model *m)
{
	if (m->have_t0 || m->avail <= store_first(m->st))
		return;
	m->have_t0 = store_time(m->st, store_first(m->st), &m->t0);
}

/* Show every row up to `to` at once (the tracker's flows are then as of the last). */
static void model_show_to(struct tui_model *m, uint64_t to)
{
	if (to <= m->avail)
		return;
	if (m->avail < store_first(m->st))
		m->avail = store_first(m->st);
	m->released += to - m->avail;
	m->avail = to;
	m->snapping = false;
	m->flows_shown = store_flows(m->st);
	model_t0(m);
	int64_t ts;
	if (store_time(m->st, to - 1, &ts)) {
		m->have_last = true;
		m->last_ts = ts;
	}
	m->hooks->changed(m->arg, D_LIST | D_STATUS | D_FLOWDATA | D_LOWER);
}

/* Show one row (a replay behind the index): its flow's snapshot moves on with it. */
static void model_show_one(struct tui_model *m, int64_t ts)
{
	uint64_t row = m->avail < store_first(m->st) ? store_first(m->st) : m->avail;
	if (row == store_first(m->st) && m->released == 0)
		m->snapping = true; /* snapshots are right only when kept from the first row on */
	m->avail = row + 1;
	m->released++;
	m->have_last = true;
	m->last_ts = ts;
	model_t0(m);
	uint64_t id = store_row_flow(m->st, row);
	if (id > m->flows_shown)
		m->flows_shown = id;
	if (m->snapping && id) {
		struct tui_pkt *p = model_row(m, row);
		struct flow_snap *s = model_snap(m, id, true);
		if (s && p && !p->is_call) {
			int d = p->s.dir ? 1 : 0;
			s->state[0] = p->s.after[0];
			s->state[1] = p->s.after[1];
			s->pkts[d]++;
			s->bytes[d] += p->s.payload;
		}
	}
	m->hooks->changed(m->arg, D_LIST | D_STATUS | D_FLOWDATA | D_LOWER);
}

void model_advance(struct tui_model *m, int64_t *wait_ns)
{
	*wait_ns = -1;
	uint64_t end = store_end(m->st);
	if (m->avail < store_first(m->st))
		m->avail = store_first(m->st);
	if (m->live || m->fastfwd || (m->clk.speed <= 0 && !m->paused)) {
		model_show_to(m, end);
		if (m->fastfwd && m->ended && (!m->session || !session_held(m->session)))
			m->hooks->changed(m->arg, D_STATUS);
		return;
	}
	if (m->paused)
		return;
	int64_t start = clock_mono_ns();
	while (m->avail < end) {
		int64_t ts = 0, now = clock_mono_ns();
		if (!store_time(m->st, m->avail, &ts)) { /* a row whose time cannot be read goes now */
			model_show_one(m, m->have_last ? m->last_ts : 0);
			continue;
		}
		if (!m->clk.anchored)
			clock_anchor(&m->clk, now, m->have_last ? m->last_ts : ts);
		int64_t due = clock_due_in(&m->clk, now, ts);
		if (due > 0) {
			*wait_ns = due;
			return;
		}
		model_show_one(m, ts);
		if (now - start > TUI_SLICE_NS) { /* a fast replay: the keys and the screen get their turn */
			*wait_ns = 0;
			return;
		}
	}
}

/* ---------------------------------------------------------------- indexing ---- */

/* Which pipeline interface a pcapng packet came from (its number in the spool), SPOOL_NO_IFACE for none. */
static unsigned model_iface_index(const struct tui_model *m, const struct pkt_iface *f)
{
	if (!f)
		return SPOOL_NO_IFACE;
	size_t n = pipeline_interfaces(m->pl);
	for (size_t i = n; i-- > 0;)
		if (&pipeline_interface(m->pl, i)->pub == f)
			return (unsigned)i;
	return SPOOL_NO_IFACE;
}

/* What the session hands out into the store: a packet's row, or a call's. */
static void model_session_out(struct tui_model *m, const struct session_item *it)
{
	if (it->kind == TL_PACKET) {
		struct held_row h; /* the body's end (a recording's tap keeps the bytes before it) */
		memcpy(&h, it->body + it->len - sizeof h, sizeof h);
		store_add_packet(m->st, h.off, h.lost, &h.f, h.ts_ns);
		return;
	}
	if (it->kind != TL_CALL)
		return; /* socket-table changes: the panel shows the table itself */
	struct store_call c;
	memset(&c, 0, sizeof c);
	c.ev = *it->ev;
	c.at_ns = it->at_ns;
	c.side = (uint8_t)it->side;
	if (it->call_flow) {
		c.flow_id = it->call_flow->id;
		c.states[0] = it->states[0];
		c.states[1] = it->states[1];
	}
	store_add_call(m->st, &c);
}

/* Hand out of the session what is due (force: the earliest item whatever its time). */
static void model_session_release(struct tui_model *m, bool force)
{
	struct session_item it;
	while (session_peek(m->session, force, &it)) {
		model_session_out(m, &it);
		session_pop(m->session);
		if (force)
			return;
	}
}

/* One packet from the pipeline into the store: its bytes where they stay (in place, or the spool), its row
   now or, through the classroom session, when its turn among the calls comes. */
static void model_index(struct tui_model *m, const struct packet *d, const struct track_result *tr)
{
	struct held_row h;
	store_facts_from(&h.f, tr);
	if (tr->flow && tr->flow->pkts[0] + tr->flow->pkts[1] == 1) /* a new flow: the directory points at it */
		store_flow_live(m->st, tr->flow);
	h.ts_ns = packet_time_ns(d);
	h.lost = false;
	if (m->inplace) {
		h.off = pipeline_record_offset(m->pl);
		h.lost = h.off == UINT64_MAX;
		if (!h.lost)
			m->indexed_off = h.off;
	} else {
		h.lost = !spool_put(m->sp, h.ts_ns, d->caplen, d->len, d->linktype, model_iface_index(m, d->iface), d->data,
				    d->comment, d->comment_len, &h.off);
	}
	if (!m->session || !session_merges(m->session)) {
		store_add_packet(m->st, h.off, h.lost, &h.f, h.ts_ns);
		return;
	}
	struct pkt_summary sum;
	summary_from(&sum, d, tr);
	/* A lesson being recorded (the session's tap) takes the packet's bytes: they go first (session.h). */
	const void *body = &h;
	size_t blen = sizeof h;
	if (m->session->o.tap.item) {
		if (m->tapcap < d->caplen + sizeof h) {
			uint8_t *b = realloc(m->tapbuf, d->caplen + sizeof h);
			if (b) {
				m->tapbuf = b;
				m->tapcap = d->caplen + sizeof h;
			}
		}
		if (m->tapcap >= d->caplen + sizeof h) {
			memcpy(m->tapbuf, d->data, d->caplen);
			memcpy(m->tapbuf + d->caplen, &h, sizeof h);
			body = m->tapbuf;
			blen = d->caplen + sizeof h;
		} else {
			sum.caplen = 0; /* out of memory: the recording gets the packet without its bytes */
		}
	}
	if (!session_room(m->session, blen))
		model_session_release(m, false);
	while (!session_room(m->session, blen) && session_held(m->session))
		model_session_release(m, true); /* a source lags too far: the earliest goes now */
	session_push_packet(m->session, &sum, tr->flow, body, blen);
	if (!m->live)
		session_packets_upto(m->session, h.ts_ns - 1); /* a file's packets come in time order */
}

void model_session_pump(struct tui_model *m)
{
	struct session *s = m->session;
	if (!s)
		return;
	int fd = pipeline_fd(m->pl);
	if (m->ended) {
		session_packets_upto(s, INT64_MAX);
	} else if (m->live && !m->more && fd >= 0) {
		/* The reader's last turn read the capture dry and nothing has come since: what is older than
		   the grace is in (also while no packet comes, which leaves the reader asleep). */
		int64_t t = clock_real_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 0) == 0)
			session_packets_upto(s, t - s->o.grace_ns);
	}
	int64_t read_at = s->sock_at;
	while (session_pump(s, clock_real_ns())) { /* a source had more than the timeline holds */
		model_session_release(m, false);
		if (!session_stuck(s))
			break;
		model_session_release(m, true);
	}
	model_session_release(m, false);
	int64_t wait;
	model_advance(m, &wait); /* rows it handed out are shown as the replay's cursor allows */
	if (s->sock_at != read_at)
		m->hooks->changed(m->arg, D_FLOWS);
	int st;
	char line[1200];
	if (!m->program_end_shown && !session_held(s) && session_ended(s, &st, line, sizeof line)) {
		m->program_end_shown = true;
		m->hooks->note(m->arg, st ? NOTE_PROGRAM_FAILED : NOTE_PROGRAM_ENDED, line);
	}
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

/* The store's or the spool's trouble, said once. */
static void model_problems(struct tui_model *m)
{
	const char *p = store_problem(m->st);
	if (!*p && m->sp)
		p = spool_problem(m->sp);
	if (*p && strcmp(p, m->problem) != 0) {
		snprintf(m->problem, sizeof m->problem, "%s", p);
		m->hooks->note(m->arg, NOTE_STORE, m->problem);
		m->hooks->changed(m->arg, D_STATUS);
	}
	if (m->vf_invalid >= 0 && m->vf_invalid != m->vf_warned && m->vf) {
		m->vf_warned = m->vf_invalid;
		const char *lt = linktype_name(m->vf_invalid);
		char text[320];
		snprintf(text, sizeof text, "view filter is invalid for link type %s (%s): its packets are hidden",
			 lt ? lt : "?", filter_why(m->vf, m->vf_invalid));
		m->hooks->note(m->arg, NOTE_FILTER_LINKTYPE, text);
	}
}

void model_pump(struct tui_model *m, int64_t *wait_ns)
{
	m->more = false;
	int64_t start = clock_mono_ns();
	bool reader = m->yield != NULL;
	int64_t slice = reader ? TUI_READER_SLICE_NS : TUI_SLICE_NS;
	int batch = reader ? TUI_READER_BATCH : TUI_BATCH;
	for (int i = 0; !m->ended; i++) {
		if (i >= batch || ((i & 255) == 255 && (clock_mono_ns() - start > slice || (reader && atomic_load(m->yield))))) {
			m->more = true;
			break;
		}
		struct track_result tr;
		const struct packet *d;
		int64_t asked = m->session && m->live ? clock_real_ns() : 0;
		int r = pipeline_next_ref(m->pl, &d, &tr); /* *d is the pipeline's, valid until the next call */
		if (r == 0) {
			/* Live: every packet captured before the capture ran dry is in, but the kernel hands
			   packets over in blocks: what is older than the session's grace is certainly in. */
			if (m->session && m->live)
				session_packets_upto(m->session, asked - m->session->o.grace_ns);
			break;
		}
		if (r == -1) {
			m->ended = true;
			m->hooks->changed(m->arg, D_STATUS);
			break;
		}
		if (r < 0) {
			model_capture_failed(m);
			break;
		}
		model_index(m, d, &tr);
	}
	if (m->sp) /* the spool let its oldest records go: their rows go too */
		store_drop_offsets_before(m->st, spool_oldest(m->sp));
	if (store_match_active(m->match) && store_match_done(m->match) < store_end(m->st)) {
		int64_t deadline = reader ? clock_mono_ns() + TUI_READER_SLICE_NS : 0;
		if (store_match_run(m->match, m->st, TUI_FILTER_BATCH, deadline, &m->vf_invalid))
			m->more = true;
		m->hooks->changed(m->arg, D_LIST | D_STATUS);
	}
	model_problems(m);
	model_advance(m, wait_ns);
}

/* ---------------------------------------------------------------- keys on the source ---- */

void model_set_paused(struct tui_model *m, bool paused)
{
	m->paused = paused;
	if (m->live) {
		if (paused)
			m->frozen = m->avail;
	} else if (!paused) {
		if (m->have_last && m->clk.speed > 0)
			clock_anchor(&m->clk, clock_mono_ns(), m->last_ts);
		else
			m->clk.anchored = false;
	}
}

bool model_step_live(struct tui_model *m)
{
	uint64_t r = m->frozen;
	while (r < m->avail && !store_match_has(m->match, r))
		r++;
	if (r >= m->avail)
		return false;
	m->frozen = r + 1;
	return true;
}

bool model_step_file(struct tui_model *m)
{
	model_session_pump(m);
	uint64_t end = store_end(m->st);
	if (m->avail < store_first(m->st))
		m->avail = store_first(m->st);
	/* The calls before the next packet come with it. */
	while (m->avail < end) {
		const struct store_row *x = store_row(m->st, m->avail);
		int64_t ts = m->have_last ? m->last_ts : 0;
		store_time(m->st, m->avail, &ts);
		bool packet = x && !(x->bits & ROW_CALL);
		model_show_one(m, ts);
		if (packet)
			return true;
	}
	return false;
}

void model_fast_forward(struct tui_model *m)
{
	if (m->live)
		return;
	m->fastfwd = !model_done(m);
	model_show_to(m, store_end(m->st));
}

bool model_done(const struct tui_model *m)
{
	return m->ended && m->avail >= store_end(m->st) && !(m->session && session_held(m->session));
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

uint64_t model_indexed(const struct tui_model *m, double *share)
{
	*share = -1;
	if (m->inplace && m->file_size) {
		*share = m->ended ? 1.0 : (double)m->indexed_off / (double)m->file_size;
		if (*share > 1)
			*share = 1;
	}
	struct pipeline_stats st;
	pipeline_stats(m->pl, &st);
	return st.packets;
}

double model_filter_progress(const struct tui_model *m)
{
	uint64_t first = store_first(m->st), end = store_end(m->st), done = store_match_done(m->match);
	if (!store_match_active(m->match) || end <= first || done >= end)
		return 1.0;
	return done <= first ? 0.0 : (double)(done - first) / (double)(end - first);
}

/* ---------------------------------------------------------------- filter, clear, save ---- */

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
	m->vf_warned = m->vf_invalid = -1;
	store_match_reset(m->match, m->st, f);
	if (m->vf)
		filter_free(m->vf);
	m->vf = f;
	snprintf(m->vf_text, sizeof m->vf_text, "%s", expr);
	return true;
}

size_t model_clear(struct tui_model *m, size_t *calls)
{
	uint64_t first = store_first(m->st), to = model_limit(m);
	*calls = (size_t)store_calls_between(m->st, first, to);
	size_t n = to > first ? (size_t)(to - first) - *calls : 0;
	store_drop_before(m->st, to);
	store_flowrows_free(&m->flowpk);
	m->frozen = m->avail;
	m->cleared = true;
	m->clear_ns = m->have_last ? m->last_ts : 0;
	m->have_t0 = false;
	return n;
}

uint64_t model_packet_row(const struct tui_model *m, uint64_t n)
{
	uint64_t r = store_packet_row(m->st, n);
	return r != STORE_NONE && r < model_limit(m) ? r : STORE_NONE;
}

uint64_t model_time_row(struct tui_model *m, int64_t t)
{
	uint64_t r = store_find_time(m->st, t, store_first(m->st));
	return r != STORE_NONE && r < model_limit(m) ? r : STORE_NONE;
}

int model_save(struct tui_model *m, const char *path, size_t count, size_t *written, size_t *other, int *linktype,
	       char *why, size_t whylen)
{
	*written = *other = 0;
	*linktype = m->linktype;
	for (size_t i = 0; i < count; i++) { /* a pcap file holds one link type: the first listed packet's */
		const struct tui_pkt *p = model_shown(m, i, NULL);
		if (p && !p->is_call && !p->gone) {
			*linktype = p->s.linktype;
			break;
		}
	}
	bool nano = pipeline_nanosecond(m->pl);
	struct pcapw *w = pcapw_open(path, *linktype, TUI_SNAPLEN, nano, why, whylen);
	if (!w)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const struct tui_pkt *p = model_shown(m, i, NULL);
		if (!p || p->is_call || p->gone)
			continue;
		if (p->s.linktype != *linktype) {
			(*other)++;
			continue;
		}
		struct tui_pkt copy = *p; /* the cache slot may be read over by the read below */
		const uint8_t *b = model_bytes(m, &copy);
		if (!b)
			continue;
		int64_t sec = copy.s.ts_ns / 1000000000LL, ns = copy.s.ts_ns % 1000000000LL;
		if (ns < 0) {
			ns += 1000000000LL;
			sec--;
		}
		pcapw_write(w, sec, nano ? ns : ns / 1000, copy.stored, copy.s.len, b);
		(*written)++;
	}
	return pcapw_close(w) ? 0 : -2;
}

/* ---------------------------------------------------------------- the classroom's calls ---- */

const struct sock_event *model_call_event(const struct tui_model *m, const struct tui_pkt *p, struct sock_event *ev)
{
	const struct store_row *x = p->is_call ? store_row(m->st, p->row) : NULL;
	const struct store_call *c = x ? store_call_of(m->st, x) : NULL;
	if (!c)
		return NULL;
	*ev = c->ev;
	return ev;
}

int model_call_side(const struct tui_pkt *p, const struct sock_event *ev)
{
	if (p->s.flow_id)
		return p->s.dir ? 1 : 0;
	if (strcmp(ev->role, "server") == 0)
		return 1;
	return strcmp(ev->role, "client") == 0 ? 0 : -1;
}
