/* pane_follow.c — the follow view: a flow's payload both ways over the whole screen, newest at the bottom. */
#include <inttypes.h>
#include <stdio.h>

#include "tui/tui_panel.h"

unsigned follow_open(struct tui *t)
{
	const struct tui_pkt *p = tui_current(t, NULL);
	if (p && p->s.flow_id && !t->ladder.driven)
		t->ladder.id = p->s.flow_id;
	if (!t->ladder.id)
		return tui_message(t, false, "follow: select a packet of a TCP or UDP flow first");
	t->ov = OV_FOLLOW;
	t->follow.up = 0;
	return D_ALL;
}

static void follow_help(struct tui *t, char *buf, size_t size)
{
	char esc[16], f[16], up[16], down[16], pgup[16], pgdn[16], end[16];
	keys_first(ACT_BACK, esc, sizeof esc);
	keys_first(ACT_FOLLOW, f, sizeof f);
	keys_first(ACT_UP, up, sizeof up);
	keys_first(ACT_DOWN, down, sizeof down);
	keys_first(ACT_PGUP, pgup, sizeof pgup);
	keys_first(ACT_PGDN, pgdn, sizeof pgdn);
	keys_first(ACT_END, end, sizeof end);
	if (t->follow.up)
		snprintf(buf, size, "%s/%s close  %s/%s/%s/%s scroll  %s: back to live (scrolled up)", esc, f, up, down,
			 pgup, pgdn, end);
	else
		snprintf(buf, size, "%s/%s close  %s/%s/%s/%s scroll  (following live)", esc, f, up, down, pgup, pgdn);
}

/* '>' client to server, '<' back. */
static void follow_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)y;
	struct flow scratch;
	const struct flow *f = t->ladder.id ? model_flow(&t->m, t->ladder.id, &scratch) : NULL;
	ladder_build(t, t->ladder.id);
	s->clear(s);
	char a[64], b[64], n1[16], n2[16], help[160];
	if (f) {
		bool ports = f->proto == 6 || f->proto == 17;
		snprintf(t->line, sizeof t->line, " Follow %s flow %" PRIu64 ": %s > %s  (%s B >, %s B <)",
			 f->proto == 6 ? "TCP" : f->proto == 17 ? "UDP" : "ICMP", f->id,
			 fmt_endpoint(a, sizeof a, f->client.af, f->client.addr, ports, f->client.port),
			 fmt_endpoint(b, sizeof b, f->server.af, f->server.addr, ports, f->server.port),
			 fmt_count(n1, sizeof n1, f->bytes[0]), fmt_count(n2, sizeof n2, f->bytes[1]));
	} else {
		snprintf(t->line, sizeof t->line, " Follow: no flow selected (select a TCP or UDP packet first)");
	}
	sink_line(s, 0, t->line, ROLE_STATUS);
	follow_help(t, help, sizeof help);
	sink_line(s, h - 1, help, ROLE_STATUS);
	int rows = h - 2, width = s->cols - 2;
	if (!f || rows <= 0)
		return;
	/* Walk packets from the newest back, collecting lines bottom-up after skipping `up` lines. */
	size_t skip = t->follow.up, placed = 0, cap = (size_t)rows < TUI_FOLLOW_ROWS ? (size_t)rows : TUI_FOLLOW_ROWS;
	const uint32_t dup = EV_RETRANSMISSION | EV_FAST_RETRANSMISSION | EV_SPURIOUS_RETRANSMISSION;
	size_t total_lines = 0;
	const struct store_flowrows *fp = &t->m.flowpk;
	for (size_t k = fp->count; k-- > 0 && placed < cap;) {
		const struct tui_pkt *p = model_row(&t->m, fp->row[k]);
		if (!p || p->is_call || !p->s.pl_cap || (p->s.events & dup))
			continue;
		const uint8_t *b = model_bytes(&t->m, p);
		if (!b)
			continue;
		const uint8_t *d = b + p->s.pl_off;
		size_t nl = follow_count_lines(d, p->s.pl_cap, width);
		bool cut = p->s.payload > p->s.pl_cap;
		size_t lines = nl + (cut ? 1 : 0);
		total_lines += lines;
		for (size_t li = lines; li-- > 0 && placed < cap;) {
			if (skip) {
				skip--;
				continue;
			}
			struct follow_text *fl = &t->follow.lines[placed++];
			fl->client = p->s.dir == DIR_C2S;
			if (li == nl)
				snprintf(fl->text, sizeof fl->text, "[%" PRIu32 " bytes not captured]", p->s.payload - p->s.pl_cap);
			else
				follow_line(d, p->s.pl_cap, width, li, fl->text, sizeof fl->text);
		}
	}
	for (size_t i = 0; i < placed; i++) { /* oldest at the top */
		const struct follow_text *fl = &t->follow.lines[placed - 1 - i];
		unsigned style = fl->client ? ROLE_CLIENT : ROLE_SERVER;
		sink_put(s, 1 + (int)i, 0, 2, fl->client ? "> " : "< ", style, false);
		sink_put(s, 1 + (int)i, 2, width, fl->text, style, false);
	}
	if (!placed && !total_lines)
		sink_put(s, 1, 2, s->cols - 2, "no payload in this flow yet", SM_DIM, false);
	if (t->follow.up && !placed) /* scrolled beyond the start: come back */
		t->follow.up = t->follow.up > (size_t)rows ? t->follow.up - (size_t)rows : 0;
}

static unsigned follow_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	size_t page = t->rows > 3 ? (size_t)t->rows - 3 : 1; /* the screen's rows less the two bars */
	size_t *up = &t->follow.up;
	switch (act) {
	case ACT_BACK:
	case ACT_FOLLOW:
		t->ov = OV_NONE;
		return D_ALL;
	case ACT_UP:
		(*up)++;
		return D_ALL;
	case ACT_DOWN:
		if (*up)
			(*up)--;
		return D_ALL;
	case ACT_PGUP:
		*up += page;
		return D_ALL;
	case ACT_PGDN:
		*up = *up > page ? *up - page : 0;
		return D_ALL;
	case ACT_END:
		*up = 0;
		return D_ALL;
	case ACT_HOME:
		*up = SIZE_MAX / 2;
		return D_ALL;
	default:
		return K_PASS;
	}
}

const struct pane_class pane_follow = { .draw = follow_draw, .key = follow_key, .help = follow_help };
