/* tui_model.c — the panel's model: packets into the history (timed for replay, through the classroom session when there is one), view filter. */
#include "tui/tui_model.h"

#include <poll.h>
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
	m->session = o->session;
	clock_init(&m->clk, m->live ? 1.0 : o->speed);
	size_t cap = o->history ? o->history : TUI_DEFAULT_HISTORY;
	size_t budget = o->history_bytes ? o->history_bytes : TUI_DEFAULT_HISTORY_BYTES;
	if (!hist_init(&m->hist, cap, budget))
		return false;
	if (!seqring_init(&m->shown, cap) || !seqring_init(&m->flowpk, cap))
		return false;
	m->pend_buf = malloc(TUI_PEND_MAX + TUI_PEND_NOTE);
	return m->pend_buf != NULL;
}

void model_free(struct tui_model *m)
{
	if (m->hist.pkt)
		hist_free(&m->hist);
	seqring_free(&m->shown);
	seqring_free(&m->flowpk);
	free(m->pend_buf);
	if (m->vf)
		filter_free(m->vf);
}

void model_prefault(struct tui_model *m)
{
	hist_prefault(&m->hist);
	seqring_prefault(&m->shown);
	seqring_prefault(&m->flowpk);
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
		if (hist_get(&m->hist, s)->s.flow_id == id)
			seqring_push(&m->flowpk, s);
	return true;
}

/* Does p pass the display filter? A link type the expression is invalid for hides its packets (said once). */
static bool model_matches(struct tui_model *m, const struct tui_pkt *p)
{
	if (p->is_call || !m->vf)
		return true;
	int r = filter_run(m->vf, p->s.linktype, hist_bytes(&m->hist, p), p->stored, p->s.len);
	if (r < 0 && m->vf_warned != p->s.linktype) {
		m->vf_warned = p->s.linktype;
		const char *lt = linktype_name(p->s.linktype);
		char text[320];
		snprintf(text, sizeof text, "view filter is invalid for link type %s (%s): its packets are hidden",
			 lt ? lt : "?", filter_why(m->vf, p->s.linktype));
		m->hooks->note(m->arg, NOTE_FILTER_LINKTYPE, text);
	}
	return r > 0;
}

/* What a pcapng file tells of a packet beside its bytes: its interface and comment. */
struct row_extra {
	const struct pkt_iface *iface; /* NULL: none (classic pcap, live capture) */
	const char *comment;           /* comment_len bytes, or NULL */
	uint16_t comment_len;
};

/* Put one row into the history and its indexes; the panel hears of it through the hooks. */
static void model_ingest(struct tui_model *m, const struct pkt_summary *sum, bool is_call, const uint8_t *data,
			 uint32_t caplen, const struct row_extra *x)
{
	uint64_t first = m->hist.first, seq;
	struct tui_pkt *p = hist_push(&m->hist, sum, data, caplen, x ? x->comment : NULL, x ? x->comment_len : 0, &seq);
	p->is_call = is_call;
	p->iface = x ? x->iface : NULL;
	if (m->hist.first != first) {
		size_t k = seqring_trim(&m->shown, m->hist.first);
		size_t kf = seqring_trim(&m->flowpk, m->hist.first);
		if (k || kf)
			m->hooks->evicted(m->arg, k, kf);
	}
	p->match = model_matches(m, p);
	if (!m->have_t0) {
		m->have_t0 = true;
		m->t0 = p->s.ts_ns;
	}
	m->have_last = true;
	m->last_ts = p->s.ts_ns;
	m->released++;
	m->hooks->changed(m->arg, D_STATUS | D_FLOWDATA);
	if (p->match)
		seqring_push(&m->shown, seq);
	bool in_flow = p->s.flow_id && p->s.flow_id == m->flowpk_id;
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
	if (p->s.flow_id)
		return p->s.dir ? 1 : 0;
	if (strcmp(ev->role, "server") == 0)
		return 1;
	return strcmp(ev->role, "client") == 0 ? 0 : -1;
}

/* What the session hands out into the history: a packet, or a call row among them (its struct sock_event
   as its bytes; the flow it matched, its end and both ends' states then). */
static void model_session_out(struct tui_model *m, const struct session_item *it)
{
	if (it->kind == TL_PACKET) {
		model_ingest(m, it->pkt, false, it->body, (uint32_t)it->len, NULL);
		return;
	}
	if (it->kind != TL_CALL)
		return; /* socket-table changes: the panel shows the table itself */
	struct pkt_summary c;
	memset(&c, 0, sizeof c);
	c.ts_ns = it->at_ns;
	c.dir = (uint8_t)it->side;
	if (it->call_flow) {
		c.flow_id = it->call_flow->id;
		c.proto = it->call_flow->proto;
		for (int i = 0; i < 2; i++)
			c.before[i] = c.after[i] = it->states[i];
	}
	model_ingest(m, &c, true, (const uint8_t *)it->ev, sizeof *it->ev, NULL);
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

/* A packet the pipeline gave: into the session (it comes out in time order with the calls), or straight
   into the history. */
static void model_take(struct tui_model *m, const struct pkt_summary *sum, const struct flow *flow, const uint8_t *data,
		       uint32_t caplen, const struct row_extra *x)
{
	if (!m->session || !session_merges(m->session)) { /* no calls to merge (--sockets alone) */
		model_ingest(m, sum, false, data, caplen, x);
		return;
	}
	/* Merged with calls, a packet keeps its summary and bytes only: the session holds no interface or
	   comment, so a pcapng file's are not shown with --events. */
	if (!session_room(m->session, caplen))
		model_session_release(m, false);
	while (!session_room(m->session, caplen) && session_held(m->session))
		model_session_release(m, true); /* a source lags too far: the earliest goes now */
	session_push_packet(m->session, sum, flow, data, caplen);
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
	} else if (!m->live && m->have_pending && !m->paused && m->clk.anchored && m->clk.speed > 0) {
		/* Timed replay: every packet before the one read ahead is in; the calls go as their time comes. */
		int64_t v = clock_virtual(&m->clk, clock_mono_ns());
		session_packets_upto(s, v < m->pending.ts_ns ? v : m->pending.ts_ns - 1);
	}
	int64_t read_at = s->sock_at;
	while (session_pump(s, clock_real_ns())) { /* a source had more than the timeline holds */
		model_session_release(m, false);
		if (!session_stuck(s))
			break;
		model_session_release(m, true);
	}
	model_session_release(m, false);
	if (s->sock_at != read_at)
		m->hooks->changed(m->arg, D_FLOWS);
	int st;
	char line[1200];
	if (!m->program_end_shown && !session_held(s) && session_ended(s, &st, line, sizeof line)) {
		m->program_end_shown = true;
		m->hooks->note(m->arg, NOTE_PROGRAM_ENDED, line);
	}
}

/* ---------------------------------------------------------------- the source and replay ---- */

void model_release_pending(struct tui_model *m)
{
	if (!m->have_pending)
		return;
	m->have_pending = false;
	struct row_extra x = { m->pending_iface, m->pending_note_len ? (const char *)m->pend_buf + m->pend_len : NULL,
			       m->pending_note_len };
	model_take(m, &m->pending, m->pending.flow_id && m->session ? &m->pending_flow : NULL, m->pend_buf, m->pend_len,
		   &x);
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
		int64_t asked = m->session && m->live ? clock_real_ns() : 0;
		int r = pipeline_next_ref(m->pl, &d, &tr); /* *d is the pipeline's, valid until the next call */
		if (r == 0) {
			/* Live: every packet captured before the capture ran dry is in, but the kernel hands
			   packets over in blocks: what is older than the session's grace is certainly in. */
			if (m->session)
				session_packets_upto(m->session, asked - m->session->o.grace_ns);
			return;
		}
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
		struct pkt_summary sum;
		summary_from(&sum, d, &tr);
		struct row_extra x = { d->iface, d->comment, d->comment_len };
		if (timed) {
			m->pend_len = d->caplen < TUI_PEND_MAX ? d->caplen : TUI_PEND_MAX;
			memcpy(m->pend_buf, d->data, m->pend_len);
			m->pending_iface = d->iface;
			m->pending_note_len = d->comment ? d->comment_len : 0; /* the reader's goes with the next packet */
			if (m->pending_note_len)
				memcpy(m->pend_buf + m->pend_len, d->comment, m->pending_note_len);
			m->pending = sum;
			if (m->session && tr.flow)
				m->pending_flow = *tr.flow;
			m->have_pending = true;
			continue;
		}
		model_take(m, &sum, tr.flow, d->data, d->caplen, &x);
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
	} else if (!m->ended) {
		struct track_result tr;
		const struct packet *d;
		int r = pipeline_next_ref(m->pl, &d, &tr); /* a live source is not stepped here; a quiet pipe says 0 */
		if (r == 1) {
			struct pkt_summary sum;
			summary_from(&sum, d, &tr);
			struct row_extra x = { d->iface, d->comment, d->comment_len };
			model_take(m, &sum, tr.flow, d->data, d->caplen, &x);
		} else if (r == -1) {
			m->ended = true;
		} else if (r < 0) {
			model_capture_failed(m);
		}
	}
	model_session_pump(m); /* the stepped packet comes out with the calls before it */
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
		if (!p || p->is_call)
			continue;
		if (p->s.linktype != *linktype) {
			(*other)++;
			continue;
		}
		int64_t sec = p->s.ts_ns / 1000000000LL, ns = p->s.ts_ns % 1000000000LL;
		if (ns < 0) {
			ns += 1000000000LL;
			sec--;
		}
		pcapw_write(w, sec, nano ? ns : ns / 1000, p->stored, p->s.len, hist_bytes(&m->hist, p));
		(*written)++;
	}
	return pcapw_close(w) ? 0 : -2;
}

/* ---------------------------------------------------------------- rows for the panes ---- */

void model_redecode(const struct tui_model *m, const struct tui_pkt *p, struct packet *out)
{
	decode_packet(out, p->s.linktype, hist_bytes(&m->hist, p), p->stored, p->s.len);
	out->n = p->s.n;
	out->ts_sec = p->s.ts_ns / 1000000000LL;
	out->ts_nsec = (uint32_t)(p->s.ts_ns % 1000000000LL);
	out->caplen = p->stored;
	out->len = p->s.len;
	out->iface = p->iface;
	out->comment = p->comment;
	out->comment_len = p->comment_len;
}
