/* pane_follow.c — the follow view: a flow's payload both ways over the whole screen, from its first byte to its last. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui/tui_panel.h"

unsigned follow_open(struct tui *t)
{
	const struct tui_pkt *p = tui_current(t, NULL);
	if (p && p->s.flow_id && !t->ladder.driven)
		t->ladder.id = p->s.flow_id;
	if (!t->ladder.id)
		return tui_message(t, false, "follow: select a packet of a TCP or UDP flow first");
	t->ov = OV_FOLLOW;
	t->follow.at_end = true;
	t->follow.top = 0;
	return D_ALL;
}

/* What the bottom bar says at the end: whether more may come. */
static const char *follow_end_word(const struct tui *t)
{
	if (model_done(&t->m))
		return t->m.live ? "(end of the capture)" : "(end of the replay)";
	return t->m.live ? "(following live)" : "(following the replay)";
}

static void follow_help(struct tui *t, char *buf, size_t size)
{
	char esc[16], f[16], up[16], down[16], pgup[16], pgdn[16], home[16], end[16];
	keys_first(ACT_BACK, esc, sizeof esc);
	keys_first(ACT_FOLLOW, f, sizeof f);
	keys_first(ACT_UP, up, sizeof up);
	keys_first(ACT_DOWN, down, sizeof down);
	keys_first(ACT_PGUP, pgup, sizeof pgup);
	keys_first(ACT_PGDN, pgdn, sizeof pgdn);
	keys_first(ACT_HOME, home, sizeof home);
	keys_first(ACT_END, end, sizeof end);
	const struct follow_pane *fp = &t->follow;
	if (!fp->at_end) {
		size_t last = fp->top + fp->page < fp->total ? fp->top + fp->page : fp->total;
		snprintf(buf, size, "%s/%s close  %s/%s/%s/%s/%s scroll  %s: the end  lines %zu-%zu of %zu", esc, f, up,
			 down, pgup, pgdn, home, end, fp->top + 1, last, fp->total);
	} else {
		snprintf(buf, size, "%s/%s close  %s/%s/%s/%s/%s scroll  %s", esc, f, up, down, pgup, pgdn, home,
			 follow_end_word(t));
	}
}

/* A payload row's bytes; false when the row shows nothing (not payload, a retransmission, bytes that
   cannot be read). */
static bool follow_payload(struct tui *t, uint64_t row, const uint8_t **data, const struct tui_pkt **pkt)
{
	const uint32_t dup = EV_RETRANSMISSION | EV_FAST_RETRANSMISSION | EV_SPURIOUS_RETRANSMISSION;
	const struct tui_pkt *p = model_row(&t->m, row);
	if (!p || p->is_call || !p->s.pl_cap || (p->s.events & dup))
		return false;
	const uint8_t *b = model_bytes(&t->m, p);
	if (!b)
		return false;
	*data = b + p->s.pl_off;
	*pkt = p;
	return true;
}

/* The column row k's payload (direction dir) starts at: where the line of the payload before it stopped,
   when that one went the same way; 0 (a line of its own) after the other way or a cut payload's note. */
static size_t follow_col0(const struct follow_pane *fp, size_t k, int dir)
{
	return k && fp->mark[k - 1].dir == dir ? fp->mark[k - 1].col_end : 0;
}

/* Count the lines of the flow index's rows not counted yet (all of them for another flow, width or index);
   false when out of memory. */
static bool follow_count(struct tui *t, int width)
{
	struct follow_pane *fp = &t->follow;
	const struct store_flowrows *fr = &t->m.flowpk;
	if (fp->id != fr->id || fp->width != width || fp->counted > fr->count ||
	    (fp->counted && (fr->row[0] != fp->first || fr->row[fp->counted - 1] != fp->last)))
		fp->counted = 0;
	fp->id = fr->id;
	fp->width = width;
	if (fr->count > fp->cap) {
		size_t cap = fr->count + fr->count / 2 + 64;
		struct follow_mark *m = realloc(fp->mark, cap * sizeof *m);
		if (!m)
			return false;
		fp->mark = m;
		fp->cap = cap;
	}
	for (size_t k = fp->counted; k < fr->count; k++) {
		struct follow_mark *m = &fp->mark[k];
		*m = k ? fp->mark[k - 1] : (struct follow_mark){ 0, 0, FOLLOW_NO_DIR };
		const uint8_t *d;
		const struct tui_pkt *p;
		if (!follow_payload(t, fr->row[k], &d, &p))
			continue;
		size_t col0 = follow_col0(fp, k, p->s.dir), col_end;
		size_t touched = follow_count_lines(d, p->s.pl_cap, width, col0, &col_end);
		m->cum += touched - (col0 ? 1 : 0); /* a line it goes on with was counted where it began */
		if (p->s.payload > p->s.pl_cap) { /* "[N bytes not captured]": a line of its own, and the text after starts anew */
			m->cum++;
			col_end = 0;
		}
		m->col_end = (uint16_t)col_end;
		m->dir = (uint8_t)p->s.dir;
	}
	fp->counted = fr->count;
	if (fp->counted) {
		fp->first = fr->row[0];
		fp->last = fr->row[fp->counted - 1];
	}
	fp->total = fp->counted ? fp->mark[fp->counted - 1].cum : 0;
	return true;
}

/* The first flow index row whose lines reach past line `line` (mark[k].cum > line). */
static size_t follow_row_of(const struct follow_pane *fp, size_t line)
{
	size_t lo = 0, hi = fp->counted;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fp->mark[mid].cum > line)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* '>' client to server, '<' back. */
static void follow_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)y;
	struct follow_pane *fp = &t->follow;
	struct flow scratch;
	const struct flow *f = t->ladder.id ? model_flow(&t->m, t->ladder.id, &scratch) : NULL;
	ladder_build(t, t->ladder.id);
	s->clear(s);
	int rows = h - 2, width = s->cols - 2;
	bool counted = f && rows > 0 && follow_count(t, width);
	fp->page = rows > 0 ? (size_t)rows : 1;
	size_t max_top = fp->total > fp->page ? fp->total - fp->page : 0;
	if (fp->at_end || fp->top >= max_top) {
		fp->top = max_top;
		fp->at_end = true;
	}
	char a[64], b[64], n1[16], n2[16], help[200];
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
	if (!f || rows <= 0)
		return;
	if (!counted) {
		sink_put(s, 1, 2, s->cols - 2, "out of memory counting this flow's lines", ROLE_ERROR, false);
		return;
	}
	if (!fp->total) {
		sink_put(s, 1, 2, s->cols - 2, "no payload in this flow yet", SM_DIM, false);
		return;
	}
	/* From the row holding line `top`, its lines and the next rows' down to the screen's last row; a row
	   that goes on with the line above it writes the rest of that line where it stopped. */
	int placed = 0;
	size_t last_no = SIZE_MAX; /* the number of the line on the screen's last placed row */
	const struct store_flowrows *fr = &t->m.flowpk;
	for (size_t k = follow_row_of(fp, fp->top); k < fp->counted; k++) {
		const uint8_t *d;
		const struct tui_pkt *p;
		if (!follow_payload(t, fr->row[k], &d, &p))
			continue;
		size_t col0 = follow_col0(fp, k, p->s.dir);
		size_t first = (k ? fp->mark[k - 1].cum : 0) - (col0 ? 1 : 0); /* the number of its walk's line 0 */
		bool goes_on = col0 && placed && last_no == first; /* its line 0 ends the screen's last row */
		if (placed >= rows && !goes_on)
			break;
		bool note = p->s.payload > p->s.pl_cap;
		/* The lines its walk touches, as follow_count found them: those it begins, the one it goes on with,
		   less the note's. */
		size_t touched = fp->mark[k].cum - (k ? fp->mark[k - 1].cum : 0) + (col0 ? 1 : 0) - (note ? 1 : 0);
		unsigned style = p->s.dir == DIR_C2S ? ROLE_CLIENT : ROLE_SERVER;
		for (size_t li = 0; li < touched + (note ? 1 : 0); li++) {
			if (li == 0 && col0) {
				if (goes_on) {
					follow_line(d, p->s.pl_cap, width, col0, 0, t->line, sizeof t->line);
					sink_put(s, placed, 2 + (int)col0, width - (int)col0, t->line, style, false);
				}
				continue;
			}
			if (first + li < fp->top)
				continue;
			if (placed >= rows)
				break;
			if (li == touched)
				snprintf(t->line, sizeof t->line, "[%" PRIu32 " bytes not captured]", p->s.payload - p->s.pl_cap);
			else
				follow_line(d, p->s.pl_cap, width, col0, li, t->line, sizeof t->line);
			sink_put(s, 1 + placed, 0, 2, p->s.dir == DIR_C2S ? "> " : "< ", style, false);
			sink_put(s, 1 + placed, 2, width, t->line, style, false);
			placed++;
			last_no = first + li;
		}
	}
}

static unsigned follow_key(struct tui *t, enum tui_action act, int key)
{
	(void)key;
	struct follow_pane *fp = &t->follow;
	size_t page = fp->page ? fp->page : 1;
	size_t max_top = fp->total > page ? fp->total - page : 0;
	switch (act) {
	case ACT_BACK:
	case ACT_FOLLOW:
		t->ov = OV_NONE;
		return D_ALL;
	case ACT_UP:
		fp->top = fp->top ? fp->top - 1 : 0;
		break;
	case ACT_DOWN:
		fp->top++;
		break;
	case ACT_PGUP:
		fp->top = fp->top > page ? fp->top - page : 0;
		break;
	case ACT_PGDN:
		fp->top += page;
		break;
	case ACT_HOME:
		fp->top = 0;
		break;
	case ACT_END:
		fp->top = max_top;
		break;
	default:
		return K_PASS;
	}
	/* At the last page the view keeps to the end as lines come; scrolled up, it stays on its lines. */
	fp->at_end = fp->top >= max_top;
	if (fp->at_end)
		fp->top = max_top;
	return D_ALL;
}

const struct pane_class pane_follow = { .draw = follow_draw, .key = follow_key, .help = follow_help };
