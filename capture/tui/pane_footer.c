/* pane_footer.c — the bottom rows: a message or the sentence explaining the current row, wrapped onto as many rows as it needs (up to TUI_FOOTER_MAX), or the function keys. */
#include <stdio.h>
#include <string.h>

#include "calls/explain.h"
#include "common/count.h"
#include "common/wrap.h"
#include "tui/tui_panel.h"

void footer_explain_call(const struct tui_pkt *p, const struct sock_event *ev, char *buf, size_t n)
{
	int side = model_call_side(p, ev);
	uint8_t state = p->s.flow_id && side >= 0 ? p->s.before[side] : TCPS_NONE;
	struct explain_call_in in = {
		.call = ev->call,
		.side = side,
		.failed = ev->ret < 0,
		.errname = ev->errname,
		.peer = ev->remote.af != 0,
		/* A call row keeps the states of the flow it matched: only a TCP flow has any. */
		.proto = !p->s.flow_id ? 0 : state != TCPS_NONE ? 6 : 17,
		.state = state,
	};
	explain_call(buf, n, &in);
}

bool footer_explain(struct tui *t, char *buf, size_t n)
{
	uint64_t seq;
	const struct tui_pkt *p = tui_current(t, &seq);
	if (!p)
		return false;
	struct sock_event ev;
	if (p->is_call) {
		if (!model_call_event(&t->m, p, &ev))
			return false;
		footer_explain_call(p, &ev, buf, n);
		return true;
	}
	if (!p->s.flow_id)
		return false;
	struct explain_in in;
	memset(&in, 0, sizeof in);
	in.proto = p->s.proto;
	in.dir = p->s.dir;
	in.tcpflags = p->s.tcpflags;
	in.payload = p->s.payload;
	in.icmp_err = p->s.icmp_err;
	in.icmp_what = summary_icmp_code_name(&p->s);
	in.events = p->s.events;
	for (int i = 0; i < 2; i++) {
		in.before[i] = p->s.before[i];
		in.after[i] = p->s.after[i];
	}
	/* The causing call: the nearest earlier call of this flow by the sending end that sends such a packet. */
	char call[SOCKEV_CALL_MAX];
	struct tui_pkt cur = *p; /* the cache slot may be read over by the rows read below */
	p = &cur;
	uint64_t first = store_first(t->m.st);
	for (uint64_t s = seq, k = 0; s > first && k < 64; k++) {
		--s;
		const struct store_row *x = store_row(t->m.st, s);
		if (!x || store_row_flow(t->m.st, s) != p->s.flow_id || (uint8_t)((x->bits & ROW_S2C) ? 1 : 0) != p->s.dir)
			continue;
		const struct tui_pkt *c = model_row(&t->m, s);
		if (!c)
			continue;
		if (!c->is_call) {
			if (explain_same_kind(c->s.tcpflags, c->s.payload, p->s.tcpflags, p->s.payload))
				break; /* an earlier packet of the same kind took that call */
			continue;
		}
		if (model_call_event(&t->m, c, &ev) && ev.ret >= 0 &&
		    explain_call_sends(ev.call, p->s.proto, p->s.tcpflags, p->s.payload)) {
			snprintf(call, sizeof call, "%s", ev.call);
			in.call = call;
			break;
		}
	}
	explain_packet(buf, n, &in);
	return true;
}

/* Rows text takes wrapped at cols. */
static int footer_rows(const char *text, int cols)
{
	int n = 0;
	for (const char *p = text; *p && n < 64; n++) {
		p += wrap_take(p, cols);
		while (*p == ' ')
			p++;
	}
	return n ? n : 1;
}

int footer_prepare(struct tui *t, int cols)
{
	struct footer_pane *fp = &t->footer;
	fp->text[0] = '\0';
	if (fp->msg[0] && clock_mono_ns() < fp->msg_until) {
		snprintf(fp->text, sizeof fp->text, "%s", fp->msg);
		fp->text_style = fp->msg_err ? ROLE_ERROR | SM_BOLD : SM_BOLD;
	} else {
		fp->msg[0] = '\0';
		if (!fp->explain || !footer_explain(t, fp->text, sizeof fp->text))
			fp->text[0] = '\0';
		fp->text_style = SM_BOLD;
	}
	if (!fp->text[0])
		return 1;
	int n = footer_rows(fp->text, cols);
	return n < TUI_FOOTER_MAX ? n : TUI_FOOTER_MAX;
}

static void footer_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	struct footer_pane *fp = &t->footer;
	if (fp->text[0]) {
		const char *p = fp->text;
		for (int r = 0; r < h; r++) {
			size_t take = wrap_take(p, s->cols);
			bool last = r == h - 1 && p[take];
			char line[TUI_LINE];
			if (last) /* more than the rows hold: the last one says so */
				snprintf(line, sizeof line, "%.*s...", (int)wrap_take(p, s->cols - 3), p);
			else
				snprintf(line, sizeof line, "%.*s", (int)take, p);
			sink_line(s, y + r, line, fp->text_style);
			p += take;
			while (*p == ' ')
				p++;
		}
		return;
	}
	struct key_hint hints[16];
	size_t n = keys_footer(hints, COUNT(hints));
	int x = 0;
	for (size_t i = 0; i < n && x < s->cols; i++) {
		int kw = (int)strlen(hints[i].key), lw = (int)strlen(hints[i].word) + 1;
		sink_put(s, y, x, kw, hints[i].key, ROLE_NORMAL, false);
		x += kw;
		sink_put(s, y, x, lw, hints[i].word, ROLE_KEY, true);
		x += lw;
	}
	sink_fill(s, y, x, s->cols - x, ROLE_NORMAL);
}

const struct pane_class pane_footer = { .draw = footer_draw };
