/* pane_details.c — the current packet layer by layer with its hex dump, or a socket call's details. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "calls/explain.h"
#include "track/community_id.h"
#include "track/zeek.h"
#include "tui/tui_panel.h"

static void details_help(struct tui *t, char *buf, size_t size)
{
	(void)t;
	char k[16];
	snprintf(buf, size, "%s: ladder of its flow", keys_first(ACT_OPEN, k, sizeof k));
}

static void details_emit(const char *line, bool title, void *arg)
{
	pane_text_line(arg, line, title ? SM_BOLD : ROLE_NORMAL);
}

/* A socket call: who made it, the strace line, its timing, its endpoints and flow, what it does. */
static void details_call(struct tui *t, const struct tui_pkt *p, struct pane_text *o)
{
	struct sock_event ev;
	if (!model_call_event(&t->m, p, &ev)) {
		pane_text_line(o, "(this call's details are no longer kept)", SM_DIM);
		return;
	}
	char st[1024], a[64], b[64];
	snprintf(t->line, sizeof t->line, "Socket call by the %s, pid %d",
		 strcmp(ev.role, "traced") == 0 ? "traced process" : ev.role, (int)ev.pid);
	pane_text_line(o, t->line, SM_BOLD);
	events_format_strace(&ev, st, sizeof st);
	pane_text_line(o, st, ROLE_NORMAL);
	snprintf(t->line, sizeof t->line, "took %lld us; shown when it %s", (long long)ev.dur_us,
		 p->s.ts_ns < ev.ts_us * 1000 ? "was entered (it causes packets)" : "returned (it waited, or failed)");
	pane_text_line(o, t->line, ROLE_NORMAL);
	events_format_endpoint(&ev.local, a, sizeof a);
	events_format_endpoint(&ev.remote, b, sizeof b);
	snprintf(t->line, sizeof t->line, "local %s  remote %s", a, b);
	pane_text_line(o, t->line, ROLE_NORMAL);
	if (p->s.flow_id)
		snprintf(t->line, sizeof t->line, "flow %" PRIu64 ", the %s's end", p->s.flow_id, p->s.dir ? "server" : "client");
	else if (ev.remote.af)
		snprintf(t->line, sizeof t->line, "no flow: no packet between these endpoints seen (yet)");
	else
		snprintf(t->line, sizeof t->line, "no flow: the socket has no peer (a listener, or one never connected or refused)");
	pane_text_line(o, t->line, ROLE_NORMAL);
	footer_explain_call(p, &ev, t->line, sizeof t->line);
	pane_text_wrapped(o, t->line, o->s->cols, 2, ROLE_NORMAL);
}

/* The packet's flow as it is now: Zeek's conn_state and history of it, and its Community ID. */
static void details_flow(struct tui *t, const struct tui_pkt *p, struct pane_text *o)
{
	struct flow scratch;
	const struct flow *f = p->s.flow_id ? model_flow(&t->m, p->s.flow_id, &scratch) : NULL;
	if (!f)
		return;
	char h[ZEEK_HISTORY_MAX + 1], cid[COMMUNITY_ID_LEN + 1];
	bool lost;
	if (!zeek_history(&f->zeek, h, &lost))
		strcpy(h, "-");
	flow_community_id(f, cid);
	snprintf(t->line, sizeof t->line, "Flow #%" PRIu64 " now: Zeek conn_state %s, history %s%s; Community ID %s",
		 f->id, zeek_conn_state(f), h, lost ? "+" : "", cid);
	pane_text_line(o, t->line, ROLE_NORMAL);
}

static void details_body(struct tui *t, struct tui_sink *s, int y, int rows)
{
	const struct tui_pkt *p = tui_current(t, NULL);
	if (!p) {
		sink_put(s, y, 2, s->cols - 2, "no packet selected", SM_DIM, false);
		return;
	}
	struct pane_text o = { .s = s, .y = y, .rows = rows, .skip = t->details.top };
	if (p->is_call) {
		details_call(t, p, &o);
		return;
	}
	struct tui_pkt row = *p; /* the cache slot may be read over meanwhile */
	if (!model_redecode(&t->m, &row, &t->details.scratch)) {
		pane_text_line(&o, row.gone == GONE_DAMAGED || store_problem(t->m.st)[0] ? "(this packet cannot be read: the file changed while open)"
										      : "(this packet's bytes were not kept: the spool fell behind or let them go)",
			       SM_DIM);
		return;
	}
	const uint8_t *b = t->m.sp_pkt.data;
	uint32_t n = t->m.sp_pkt.caplen;
	details_render(&t->details.scratch, &row, t->m.t0, details_emit, &o);
	details_flow(t, &row, &o);
	pane_text_line(&o, "", ROLE_NORMAL);
	for (size_t off = 0; off < n; off += 16) {
		fmt_hexline(t->line, sizeof t->line, b, n, off);
		pane_text_line(&o, t->line, ROLE_NORMAL);
	}
	if (o.n && t->details.top >= o.n) /* scrolled past the end (a shorter packet now): clamp */
		t->details.top = o.n - 1;
}

static void details_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	int rows = h - 1;
	if (rows <= 0)
		return;
	const struct tui_pkt *p = tui_current(t, NULL);
	char help[64];
	details_help(t, help, sizeof help);
	if (p && p->is_call)
		snprintf(t->line, sizeof t->line, " Details: socket call   %s", help);
	else if (p)
		snprintf(t->line, sizeof t->line, " Details: packet %" PRIu64 "   %s", p->s.n, help);
	else
		snprintf(t->line, sizeof t->line, " Details");
	tui_frame_pane(t, s, PANE_LOWER, rows, t->line);
	details_body(t, s, y + 1, rows);
}

static unsigned details_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	if (tui_scroll_key(&t->details.top, act, (size_t)tui_pane_rows(t, PANE_LOWER), false))
		return D_LOWER;
	switch (act) {
	case ACT_HOME:
		t->details.top = 0;
		return D_LOWER;
	case ACT_END:
		return D_LOWER | tui_end(t);
	case ACT_OPEN:
		return tui_open_current(t);
	default:
		return K_PASS;
	}
}

const struct pane_class pane_details = { .draw = details_draw, .key = details_key, .help = details_help };
