/* svg_ladder.c — a flow's ladder as SVG: the two ends as lifelines, each packet an arrow down the page with its flags and numbers, calls on their end's line, TCP states beside them. */
#include <inttypes.h>
#include <string.h>

#include "view/svg.h"

#define W 960.0
#define CX 262.0        /* the client's lifeline */
#define SX 790.0        /* the server's */
#define TOP 128.0       /* first row */
#define ROW 26.0        /* a row; notes add NOTE each */
#define NOTE 14.0
#define SLOPE 12.0      /* an arrow falls this much from one end to the other: time runs down */

static const char css[] =
	".sw-bg{fill:#fff}.sw-title{font:bold 17px 'DejaVu Sans',Arial,sans-serif;fill:#111}"
	".sw-sub{font:12.5px 'DejaVu Sans',Arial,sans-serif;fill:#444}"
	".sw-head{font:bold 13px 'DejaVu Sans',Arial,sans-serif;fill:#111;text-anchor:middle}"
	".sw-ep{font:12px 'DejaVu Sans Mono',monospace;fill:#333;text-anchor:middle}"
	".sw-life{stroke:#555;stroke-width:1.5}"
	".sw-num{font:11px 'DejaVu Sans Mono',monospace;fill:#666;text-anchor:end}"
	".sw-lab{font:11px 'DejaVu Sans Mono',monospace;fill:#111;text-anchor:middle}"
	".sw-call{font:italic 11px 'DejaVu Sans Mono',monospace;fill:#6a3d9a}"
	".sw-state{font:bold 11px 'DejaVu Sans',Arial,sans-serif;fill:#006d4f}"
	".sw-note{font:italic 11px 'DejaVu Sans',Arial,sans-serif;fill:#b34700;text-anchor:middle}"
	".sw-leg{font:11.5px 'DejaVu Sans',Arial,sans-serif;fill:#333}"
	".a-pkt{stroke:#0072B2;stroke-width:1.4;fill:none}.h-pkt{fill:#0072B2}"
	".a-rst{stroke:#D55E00;stroke-width:1.8;fill:none}.h-rst{fill:#D55E00}"
	".a-icmp{stroke:#CC79A7;stroke-width:1.4;stroke-dasharray:5 3;fill:none}.h-icmp{fill:#CC79A7}"
	".c-dot{fill:#6a3d9a}";

static void text_at(FILE *f, const char *cls, double x, double y, const char *s)
{
	fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", cls, x, y);
	svg_escape(f, s);
	fputs("</text>\n", f);
}

static double row_height(const struct ladder_row *r)
{
	char notes[256];
	ladder_row_notes(r, notes, sizeof notes);
	return ROW + (notes[0] ? NOTE : 0);
}

static void arrow(FILE *f, const struct ladder_row *r, const struct flow *flow, double y)
{
	const struct pkt_summary *p = &r->pkt;
	bool c2s = p->dir == DIR_C2S;
	double x0 = c2s ? CX : SX, x1 = c2s ? SX : CX, y1 = y + SLOPE;
	const char *kind = (p->events & EV_ICMP_ERROR) ? "icmp" : (p->tcpflags & TCP_RST) ? "rst" : "pkt";
	double dx = c2s ? -9 : 9; /* the head points at x1 */
	fprintf(f, "<path class=\"a-%s\" d=\"M%.1f %.1fL%.1f %.1f\"/>", kind, x0, y, x1 + dx * 0.6, y1 - SLOPE / (SX - CX) * 5);
	fprintf(f, "<path class=\"h-%s\" d=\"M%.1f %.1fl%.1f -4.5v9z\"/>\n", kind, x1, y1, dx);
	char text[192];
	ladder_row_text(r, flow, text, sizeof text);
	text_at(f, "sw-lab", (CX + SX) / 2, y + SLOPE / 2 - 5, text);
}

void svg_ladder(const struct svg_out *o, const struct flow *f, const struct ladder_row *rows, size_t n, uint64_t more)
{
	FILE *out = o->f;
	double h = TOP + 20;
	for (size_t i = 0; i < n; i++)
		h += row_height(&rows[i]);
	h += 40 + (more ? 18 : 0) + 3 * 17 + 10;

	char fname[160], title[240], sub[400];
	svg_flow_name(f, fname, sizeof fname);
	snprintf(title, sizeof title, "Ladder: %s", fname);
	const char *who = f->closed_first < 0 ? NULL : f->closed_first == DIR_C2S ? "the client" : "the server";
	double dur = (double)(f->last_ns - f->first_ns) / 1e9;
	snprintf(sub, sizeof sub, "capture %s \xc2\xb7 %" PRIu64 " packets client\xe2\x86\x92server, %" PRIu64
		 " server\xe2\x86\x92" "client \xc2\xb7 %.6f s \xc2\xb7 end: %s%s%s%s",
		 o->capture, f->pkts[0], f->pkts[1], dur, flow_end_name((enum flow_end)f->end), who ? " (closed first by " : "",
		 who ? who : "", who ? ")" : "");

	svg_begin(o, W, h, title, css);
	text_at(out, "sw-title", 24, 28, title);
	text_at(out, "sw-sub", 24, 50, sub);

	/* The two ends, and their lifelines down to the last row. */
	char c[FLOW_EP_STRLEN], s[FLOW_EP_STRLEN];
	bool ports = f->proto == 6 || f->proto == 17;
	flow_endpoint_str(&f->client, ports, c);
	flow_endpoint_str(&f->server, ports, s);
	text_at(out, "sw-head", CX, 84, f->client_guessed ? "client (guessed from ports)" : "client");
	text_at(out, "sw-ep", CX, 101, c);
	text_at(out, "sw-head", SX, 84, "server");
	text_at(out, "sw-ep", SX, 101, s);
	text_at(out, "sw-num", 52, 101, "#");
	text_at(out, "sw-num", 132, 101, "time (s)");
	double yend = h - 40 - (more ? 18 : 0) - 3 * 17 - 4;
	fprintf(out, "<line class=\"sw-life\" x1=\"%.1f\" y1=\"108\" x2=\"%.1f\" y2=\"%.1f\"/>"
		     "<line class=\"sw-life\" x1=\"%.1f\" y1=\"108\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		CX, CX, yend, SX, SX, yend);

	double y = TOP;
	for (size_t i = 0; i < n; i++) {
		const struct ladder_row *r = &rows[i];
		char num[32], t[48];
		int64_t rel = (r->is_call ? r->call.ts_ns : r->pkt.ts_ns) - f->first_ns;
		snprintf(t, sizeof t, "%s%" PRId64 ".%06" PRId64, rel < 0 ? "-" : "", (rel < 0 ? -rel : rel) / 1000000000,
			 ((rel < 0 ? -rel : rel) % 1000000000) / 1000);
		if (!r->is_call) {
			snprintf(num, sizeof num, "%" PRIu64, r->pkt.n);
			text_at(out, "sw-num", 52, y + 4, num);
		}
		text_at(out, "sw-num", 132, y + 4, t);
		if (r->is_call) {
			bool client = r->call.side == DIR_C2S;
			double x = client ? CX : SX;
			fprintf(out, "<circle class=\"c-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>", x, y);
			fprintf(out, "<text class=\"sw-call\" x=\"%.1f\" y=\"%.1f\"%s>", client ? x + 10 : x - 10, y + 4,
				client ? "" : " text-anchor=\"end\"");
			svg_escape(out, r->call.label);
			fputs("</text>\n", out);
		} else {
			arrow(out, r, f, y);
		}
		if (f->proto == 6 && !r->is_call) {
			const struct pkt_summary *p = &r->pkt;
			for (int e = 0; e < 2; e++)
				if (i == 0 || p->after[e] != p->before[e]) {
					const char *st = tcp_state_name((enum tcp_state)p->after[e]);
					double ys = y + (p->dir == (uint8_t)e ? 4 : 4 + SLOPE);
					fprintf(out, "<text class=\"sw-state\" x=\"%.1f\" y=\"%.1f\"%s>", e == 0 ? CX - 10 : SX + 10, ys,
						e == 0 ? " text-anchor=\"end\"" : "");
					svg_escape(out, st);
					fputs("</text>\n", out);
				}
		}
		char notes[256];
		ladder_row_notes(r, notes, sizeof notes);
		if (notes[0])
			text_at(out, "sw-note", (CX + SX) / 2, y + SLOPE + 14, notes);
		y += row_height(r);
	}
	y = yend + 22;
	char foot[200];
	snprintf(foot, sizeof foot, "end: %s%s%s%s; %" PRIu64 " packets client\xe2\x86\x92server, %" PRIu64 " server\xe2\x86\x92" "client",
		 flow_end_name((enum flow_end)f->end), who ? ", closed first by " : "", who ? who : "", "", f->pkts[0], f->pkts[1]);
	text_at(out, "sw-sub", 24, y, foot);
	if (more) {
		y += 18;
		snprintf(foot, sizeof foot, "(%" PRIu64 " more rows not drawn: this ladder shows the first %zu)", more, n);
		text_at(out, "sw-sub", 24, y, foot);
	}
	y += 22;
	fprintf(out, "<path class=\"a-pkt\" d=\"M24 %.1fh30\"/><path class=\"h-pkt\" d=\"M62 %.1fl-9 -4.5v9z\"/>", y - 4, y - 4);
	text_at(out, "sw-leg", 70, y, "a packet, in its direction: TCP flags (S SYN, F FIN, R RST, P push, . ACK), relative seq, ack, window, payload length");
	y += 17;
	fprintf(out, "<path class=\"a-rst\" d=\"M24 %.1fh30\"/><path class=\"a-icmp\" d=\"M24 %.1fh30\"/>", y - 8, y);
	text_at(out, "sw-leg", 70, y - 2, "thicker: a reset (RST); dashed: an ICMP error about the flow; notes in [brackets]: what the analysis saw");
	y += 17;
	fprintf(out, "<circle class=\"c-dot\" cx=\"39\" cy=\"%.1f\" r=\"4.5\"/>", y - 4);
	text_at(out, "sw-leg", 70, y, "a socket call by that end; beside the lines, green: each end's TCP state when it changes");
	fputs("</svg>\n", out);
}
