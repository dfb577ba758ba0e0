/* svg.c — a TCP flow's graph as SVG: title, axes with ticks and units, the plot through graph_plot's sink, a legend of shapes and words, and how to read it. */
#include "view/svg.h"

#include <inttypes.h>
#include <string.h>

#include "graph/graph_plot.h"

#define W 960.0       /* drawing width, px */
#define ML 86.0       /* left margin: tick labels and the y title */
#define MR 28.0       /* right margin */
#define MT 78.0       /* top: title and subtitle */
#define PH 380.0      /* plot height */
#define PW (W - ML - MR)
#define LEGEND_ROW 19.0
#define READING_CHARS 150 /* characters per line of the reading text */

/* Colours from the Okabe-Ito set (told apart by most colour-blind readers); every style also has its own
   shape, dash or letter, and its name in the legend. */
static const char css[] =
	".sw-bg{fill:#fff}.sw-frame{fill:none;stroke:#444;stroke-width:1}"
	".sw-grid{stroke:#ddd;stroke-width:1;stroke-dasharray:2 3}"
	".sw-title{font:bold 17px 'DejaVu Sans',Arial,sans-serif;fill:#111}"
	".sw-sub{font:12.5px 'DejaVu Sans',Arial,sans-serif;fill:#444}"
	".sw-tick{font:11px 'DejaVu Sans',Arial,sans-serif;fill:#333}"
	".sw-axis{font:12px 'DejaVu Sans',Arial,sans-serif;fill:#222}"
	".sw-leg{font:11.5px 'DejaVu Sans',Arial,sans-serif;fill:#222}.sw-leg tspan.n{font-weight:bold}"
	".sw-read{font:12px 'DejaVu Sans',Arial,sans-serif;fill:#333}"
	".sw-empty{font:italic 14px 'DejaVu Sans',Arial,sans-serif;fill:#777}"
	".sw-glyph{font:bold 9px 'DejaVu Sans',Arial,sans-serif;text-anchor:middle;dominant-baseline:central}"
	".s-seg{stroke:#0072B2;stroke-width:1.6}"
	".s-retx{stroke:#D55E00;stroke-width:3}"
	".s-ack{fill:none;stroke:#009E73;stroke-width:1.6}"
	".s-rwnd{fill:none;stroke:#E69F00;stroke-width:1.6;stroke-dasharray:6 3}"
	".s-cwnd{fill:none;stroke:#CC79A7;stroke-width:2;stroke-dasharray:8 3 2 3}"
	".s-sack{stroke:#CC79A7;stroke-width:4;stroke-opacity:.75}"
	".s-bytes{fill:#56B4E9;stroke:#0072B2;stroke-width:.8}"
	".s-mark{stroke:#111;stroke-width:1.1}";

void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void svg_flow_name(const struct flow *f, char *buf, size_t n)
{
	char c[FLOW_EP_STRLEN], s[FLOW_EP_STRLEN];
	bool ports = f->proto == 6 || f->proto == 17;
	flow_endpoint_str(&f->client, ports, c);
	flow_endpoint_str(&f->server, ports, s);
	const char *pn = f->proto == 6 ? "tcp" : f->proto == 17 ? "udp" : f->proto == 1 ? "icmp" : "icmp6";
	snprintf(buf, n, "flow %" PRIu64 " %s %s \xe2\x86\x92 %s", f->id, pn, c, s);
}

const char *svg_graph_reading(enum graph_kind kind)
{
	switch (kind) {
	case GRAPH_TSG:
		return "Time runs to the right, sequence numbers (bytes of the stream) upwards. Each vertical bar is "
		       "a segment: from its first byte to past its last. The ACK line below the bars is what the "
		       "receiver has acknowledged; it trails the bars by about one round trip. The window line above "
		       "is how far the receiver allows the sender to go: bars touching it mean the sender waits for "
		       "the receiver. A bar below the highest one already sent is a retransmission (R); duplicate "
		       "ACKs (triangles) and SACK blocks above the ACK line show the receiver reporting a hole.";
	case GRAPH_THROUGHPUT:
		return "Each bar is the payload sent in one interval of the time axis (the interval is in the axis "
		       "title, chosen from the flow's duration). Taller bars mean faster sending; a hatched top is the "
		       "part that was sent again. Gaps are times the sender sent nothing: waiting for ACKs, for the "
		       "receiver's window, or for the application.";
	case GRAPH_RTT:
		return "Each dot is one round-trip time measured from the capture: from a segment to the ACK that "
		       "acknowledges exactly up to its end. ACKs that acknowledge anything sent twice give no dot "
		       "(Karn's rule: one cannot tell which copy they answer). Crosses come from the timestamp "
		       "option instead: the ACK echoes the sending time of the segment it answers, so they exist even "
		       "after a retransmission. Delayed ACKs and a busy receiver make samples larger.";
	case GRAPH_INFLIGHT:
	case GRAPH_KIND_COUNT:
		return "Each dot is the number of bytes sent but not yet acknowledged right after a data segment (less "
		       "what the receiver reported holding with SACK). The dashed line is the receiver's window: the "
		       "sender may not have more in flight. Dots touching it mean the receiver limits the transfer; "
		       "dots well below it mean the sender (its congestion window or the application) does. After a "
		       "loss the dots drop: the sender slows down and recovers.";
	}
	return "";
}

/* ---- Marks: one shape per style, shared by the plot and the legend ---- */

static void glyph_letter(FILE *f, double x, double y, const char *letter, const char *shape)
{
	fprintf(f, "%s<text class=\"sw-glyph\" x=\"%.1f\" y=\"%.1f\">%s</text>", shape, x, y + 0.5, letter);
}

static void draw_mark(FILE *f, enum graph_style s, double x, double y)
{
	char shape[256];
	switch (s) {
	case GST_SEG_RETX: /* a red R above the bar's top */
		fprintf(f, "<text class=\"sw-glyph\" x=\"%.1f\" y=\"%.1f\" style=\"fill:#D55E00;font-size:11px\">R</text>", x,
			y - 7);
		return;
	case GST_DUPACK: /* a triangle on the ACK line */
		fprintf(f, "<path class=\"s-mark\" style=\"fill:#fff\" d=\"M%.1f %.1fl4.5 7.5h-9z\"/>", x, y - 5);
		return;
	case GST_ZEROWIN:
		snprintf(shape, sizeof shape,
			 "<rect class=\"s-mark\" style=\"fill:#fff;stroke:#D55E00\" x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\"/>",
			 x - 5.5, y - 5.5);
		glyph_letter(f, x, y, "Z", shape);
		return;
	case GST_SYN:
	case GST_FIN:
	case GST_RST:
		snprintf(shape, sizeof shape, "<circle class=\"s-mark\" style=\"fill:#fff\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>", x, y);
		glyph_letter(f, x, y, s == GST_SYN ? "S" : s == GST_FIN ? "F" : "X", shape);
		return;
	case GST_RTT_SEQ:
		fprintf(f, "<circle style=\"fill:#0072B2\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.4\"/>", x, y);
		return;
	case GST_RTT_TS:
		fprintf(f, "<path style=\"stroke:#009E73;stroke-width:1.4\" d=\"M%.1f %.1fh7M%.1f %.1fv7\"/>", x - 3.5, y, x,
			y - 3.5);
		return;
	case GST_INFLIGHT:
		fprintf(f, "<path style=\"fill:#0072B2\" d=\"M%.1f %.1fl3 3l-3 3l-3-3z\"/>", x, y - 3);
		return;
	default:
		return;
	}
}

/* ---- The sink: graph_plot's primitives as SVG elements ---- */

struct svg_sink {
	FILE *f;
	const char *id;
	int path_style;      /* the style of the open <path>, or -1 */
	double px, py;       /* where it ended */
};

static const char *line_class(enum graph_style s)
{
	switch (s) {
	case GST_ACK: return "s-ack";
	case GST_RWND: return "s-rwnd";
	case GST_CWND: return "s-cwnd";
	default: return "s-ack";
	}
}

static void path_close(struct svg_sink *k)
{
	if (k->path_style >= 0)
		fputs("\"/>\n", k->f);
	k->path_style = -1;
}

static void sink_line(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	struct svg_sink *k = arg;
	if (k->path_style != (int)s) {
		path_close(k);
		fprintf(k->f, "<path class=\"%s\" d=\"M%.1f %.1f", line_class(s), x0, y0);
		k->path_style = (int)s;
	} else if (x0 != k->px || y0 != k->py) {
		fprintf(k->f, "M%.1f %.1f", x0, y0);
	}
	fprintf(k->f, "L%.1f %.1f", x1, y1);
	k->px = x1;
	k->py = y1;
}

static void sink_box(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	struct svg_sink *k = arg;
	path_close(k);
	switch (s) {
	case GST_SEG:
	case GST_SEG_RETX:
	case GST_SACK:
		if (y1 - y0 < 1.5) { /* a one-byte segment still shows */
			double m = (y0 + y1) / 2;
			y0 = m - 0.75;
			y1 = m + 0.75;
		}
		fprintf(k->f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			s == GST_SEG ? "s-seg" : s == GST_SEG_RETX ? "s-retx" : "s-sack", x0 + (s == GST_SACK ? 3 : 0), y0,
			x1 + (s == GST_SACK ? 3 : 0), y1);
		return;
	case GST_BYTES:
		fprintf(k->f, "<rect class=\"s-bytes\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", x0, y0,
			x1 - x0 > 1 ? x1 - x0 - 0.5 : 0.8, y1 - y0);
		return;
	case GST_BYTES_RETX:
		fprintf(k->f,
			"<rect style=\"fill:url(#%s-hatch);stroke:#D55E00;stroke-width:.8\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
			k->id, x0, y0, x1 - x0 > 1 ? x1 - x0 - 0.5 : 0.8, y1 - y0);
		return;
	default: /* merged samples: a thin bar from the smallest to the largest */
		fprintf(k->f, "<line style=\"stroke:#0072B2;stroke-width:1;stroke-opacity:.6\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			x0, y0, x1, y1);
		return;
	}
}

static void sink_mark(void *arg, enum graph_style s, double x, double y)
{
	struct svg_sink *k = arg;
	path_close(k);
	draw_mark(k->f, s, x, y);
	fputc('\n', k->f);
}

/* ---- The document ---- */

void svg_begin(const struct svg_out *o, double w, double h, const char *title, const char *style)
{
	FILE *f = o->f;
	if (o->standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		   "role=\"img\" aria-labelledby=\"%s-title\">\n<title id=\"%s-title\">",
		w, h, w, h, o->id, o->id);
	svg_escape(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n<rect class=\"sw-bg\" width=\"%.0f\" height=\"%.0f\"/>\n", style, w, h);
}

static void doc_open(const struct svg_out *o, double h, const char *title)
{
	FILE *f = o->f;
	svg_begin(o, W, h, title, css);
	fprintf(f, "<defs><pattern id=\"%s-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
		   "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe3d6\"/>"
		   "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" style=\"stroke:#D55E00;stroke-width:2.5\"/></pattern></defs>\n",
		o->id);
}

/* Text cut into lines of at most `width` characters at spaces (UTF-8 continuation bytes not counted). */
static int wrap_lines(const char *s, int width, const char **starts, int *lens, int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		int cut = 0, chars = 0, i = 0;
		for (; s[i] && chars <= width; i++) {
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				chars++;
			if (s[i] == ' ' && chars <= width)
				cut = i;
		}
		if (!s[i] && chars <= width)
			cut = i;
		if (!cut)
			cut = i;
		starts[n] = s;
		lens[n] = cut;
		n++;
		s += cut;
	}
	return n;
}

static void text_lines(FILE *f, const char *cls, double x, double y, double dy, const char *s, int width)
{
	const char *st[16];
	int ln[16];
	int n = wrap_lines(s, width, st, ln, 16);
	for (int i = 0; i < n; i++) {
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", ln[i], st[i]);
		fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", cls, x, y + dy * i);
		svg_escape(f, buf);
		fputs("</text>\n", f);
	}
}

static int count_lines(const char *s, int width)
{
	const char *st[16];
	int ln[16];
	return wrap_lines(s, width, st, ln, 16);
}

/* One legend entry: a sample of the style and its words; id names the drawing's hatch pattern. */
static void legend_entry(FILE *f, const char *id, enum graph_style s, double x, double y)
{
	const struct graph_style_info *in = graph_style_info(s);
	double sx = x + 12, sy = y - 4;
	switch (s) {
	case GST_SEG:
	case GST_SEG_RETX:
	case GST_SACK:
		fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			s == GST_SEG ? "s-seg" : s == GST_SEG_RETX ? "s-retx" : "s-sack", sx, sy - 7, sx, sy + 7);
		if (s == GST_SEG_RETX)
			draw_mark(f, s, sx + 8, sy + 4);
		break;
	case GST_ACK:
	case GST_RWND:
	case GST_CWND:
		fprintf(f, "<path class=\"%s\" d=\"M%.1f %.1fh9v-6h9\"/>", line_class(s), sx - 9, sy + 3);
		break;
	case GST_BYTES:
		fprintf(f, "<rect class=\"s-bytes\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\"/>", sx - 7, sy - 6);
		break;
	case GST_BYTES_RETX:
		fprintf(f, "<rect style=\"fill:url(#%s-hatch);stroke:#D55E00\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\"/>",
			id, sx - 7, sy - 6);
		break;
	default:
		draw_mark(f, s, sx, sy);
		break;
	}
	fprintf(f, "<text class=\"sw-leg\" x=\"%.1f\" y=\"%.1f\"><tspan class=\"n\">", x + 34, y);
	svg_escape(f, in->name);
	fputs("</tspan>: ", f);
	svg_escape(f, in->legend);
	fputs("</text>\n", f);
}

void svg_graph(const struct svg_out *o, const struct graph *g, enum graph_kind kind, enum flow_dir dir,
	       const struct flow *f)
{
	FILE *out = o->f;
	struct graph_view v = { .kind = kind, .dir = dir, .w = PW, .h = PH, .xticks = 10, .yticks = 8 };
	struct graph_frame fr;
	graph_plot(g, &v, NULL, &fr); /* the frame first: the legend's size depends on what is drawn */
	int nstyles = 0;
	for (int s = 0; s < GST_COUNT; s++)
		nstyles += (fr.styles >> s) & 1;
	const char *reading = svg_graph_reading(kind);
	int legend_rows = nstyles;
	int reading_lines = count_lines(reading, READING_CHARS);
	double legend_y = MT + PH + 66;
	double h = legend_y + legend_rows * LEGEND_ROW + 12 + reading_lines * 16 + 10;

	char fname[160], title[320], sub[400];
	svg_flow_name(f, fname, sizeof fname);
	const char *who = dir == DIR_C2S ? "client" : "server";
	snprintf(title, sizeof title, "%s of the %s's data: %s", graph_kind_title(kind), who, fname);
	const struct graph_dir *d = &g->d[dir];
	const struct graph_dir *peer = &g->d[1 - dir];
	char scale[96];
	if (!g->scale_known)
		snprintf(scale, sizeof scale, "window scale not seen (handshake missing): windows drawn as sent");
	else if (d->ws_offered && peer->ws_offered && peer->ws_shift)
		snprintf(scale, sizeof scale, "receiver's windows \xc3\x97 %u (window scale %u)", 1u << peer->ws_shift,
			 (unsigned)peer->ws_shift);
	else if (d->ws_offered && peer->ws_offered)
		snprintf(scale, sizeof scale, "receiver's window scale 0: windows as sent");
	else
		snprintf(scale, sizeof scale, "no window scaling (not offered by both ends)");
	snprintf(sub, sizeof sub, "capture %s \xc2\xb7 %" PRIu64 " segments, %" PRIu64 " bytes sent, %" PRIu64
		 " of them again \xc2\xb7 %s",
		 o->capture, d->pkts, d->bytes, d->bytes_retx, scale);

	doc_open(o, h, title);
	fprintf(out, "<text class=\"sw-title\" x=\"%.1f\" y=\"28\">", ML - 60);
	svg_escape(out, title);
	fprintf(out, "</text>\n<text class=\"sw-sub\" x=\"%.1f\" y=\"50\">", ML - 60);
	svg_escape(out, sub);
	fputs("</text>\n", out);

	/* Grid, ticks and tick labels. */
	fprintf(out, "<g transform=\"translate(%.1f %.1f)\">\n", ML, MT);
	for (int i = 0; i < fr.x.nticks; i++) {
		double x = (graph_axis_tick(&fr.x, i) - fr.x.lo) / (fr.x.hi - fr.x.lo) * PW;
		char lab[32];
		graph_axis_label(&fr.x, i, lab, sizeof lab);
		fprintf(out, "<line class=\"sw-grid\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.1f\"/>"
			     "<line class=\"sw-frame\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			     "<text class=\"sw-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			x, x, PH, x, PH, x, PH + 5, x, PH + 19, lab);
	}
	for (int i = 0; i < fr.y.nticks; i++) {
		double y = PH - (graph_axis_tick(&fr.y, i) - fr.y.lo) / (fr.y.hi - fr.y.lo) * PH;
		char lab[32];
		graph_axis_label(&fr.y, i, lab, sizeof lab);
		fprintf(out, "<line class=\"sw-grid\" x1=\"0\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			     "<line class=\"sw-frame\" x1=\"-5\" y1=\"%.1f\" x2=\"0\" y2=\"%.1f\"/>"
			     "<text class=\"sw-tick\" x=\"-8\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"central\">%s</text>\n",
			y, PW, y, y, y, y, lab);
	}
	fprintf(out, "<rect class=\"sw-frame\" x=\"0\" y=\"0\" width=\"%.1f\" height=\"%.1f\"/>\n", PW, PH);
	fprintf(out, "<text class=\"sw-axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", PW / 2, PH + 40);
	svg_escape(out, fr.x.title);
	fprintf(out, "</text>\n<text class=\"sw-axis\" transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">",
		-ML + 20, PH / 2);
	svg_escape(out, fr.y.title);
	fputs("</text>\n", out);

	/* The plot, clipped to its frame. */
	fprintf(out, "<clipPath id=\"%s-clip\"><rect x=\"-8\" y=\"-14\" width=\"%.1f\" height=\"%.1f\"/></clipPath>\n"
		     "<g clip-path=\"url(#%s-clip)\">\n",
		o->id, PW + 16, PH + 22, o->id);
	struct svg_sink k = { .f = out, .id = o->id, .path_style = -1 };
	struct graph_sink sink = { &k, NULL, sink_box, sink_line, sink_mark };
	graph_plot(g, &v, &sink, &fr);
	path_close(&k);
	fputs("</g>\n", out);
	if (fr.rwnd_above) {
		char note[160];
		snprintf(note, sizeof note, "the receive window (up to %" PRIu64 " bytes past the ACK) reaches above the top", fr.rwnd_above);
		fputs("<text class=\"sw-tick\" x=\"8\" y=\"16\">", out);
		svg_escape(out, note);
		fputs("</text>\n", out);
	}
	if (fr.empty) {
		fprintf(out, "<text class=\"sw-empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", PW / 2, PH / 2);
		fputs(kind == GRAPH_RTT ? "no round-trip samples in this direction"
		      : kind == GRAPH_INFLIGHT ? "no data segments in this direction"
		      : "nothing sent in this direction", out);
		fputs("</text>\n", out);
	}
	fputs("</g>\n", out);

	/* Legend: every style drawn, one per line. */
	double y = legend_y;
	fprintf(out, "<g>\n");
	for (int s = 0; s < GST_COUNT; s++) {
		if (!((fr.styles >> s) & 1))
			continue;
		legend_entry(out, o->id, (enum graph_style)s, ML - 60, y);
		y += LEGEND_ROW;
	}
	fputs("</g>\n", out);
	text_lines(out, "sw-read", ML - 60, y + 14, 16, reading, READING_CHARS);
	fputs("</svg>\n", out);
}
