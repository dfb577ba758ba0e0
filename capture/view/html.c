/* html.c — the handout page: inline CSS with A4 print rules, the capture's summary, the flow table, and per flow its ladder, graphs and socket calls as inline SVG and tables. */
#include "view/html.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "view/svg.h"

#define HTML_LADDER_FIRST 60 /* a flow's ladder of at most this many rows comes before its graphs */

static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,sans-serif;color:#1a1a1a;margin:2em auto;max-width:1000px;padding:0 1em;"
	"line-height:1.45}\n"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin:1.6em 0 .4em;border-bottom:2px solid #0072B2;"
	"padding-bottom:.15em}h3{font-size:1.05em;margin:1.2em 0 .3em}\n"
	"p.summary,p.note{margin:.3em 0}p.note{color:#555;font-style:italic}\n"
	"table{border-collapse:collapse;font-size:.85em;margin:.5em 0}th,td{text-align:left;padding:.25em .6em;"
	"border-bottom:1px solid #ccc;vertical-align:top}th{background:#eef4fa}td.n{text-align:right;"
	"font-variant-numeric:tabular-nums}\n"
	"td code,td.call{font-family:'DejaVu Sans Mono',monospace;font-size:.95em}\n"
	"figure{margin:1em 0}figure svg{width:100%;height:auto;display:block;border:1px solid #e2e2e2}\n"
	"figcaption{font-size:.85em;color:#444;margin-top:.3em}\n"
	"nav ol{columns:3;font-size:.9em}a{color:#0060a0}\n"
	"footer{margin-top:2em;font-size:.8em;color:#666;border-top:1px solid #ccc;padding-top:.5em}\n"
	"@page{size:A4;margin:14mm 12mm}\n"
	"@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}nav{display:none}a{color:inherit;"
	"text-decoration:none}section.flow{break-before:page}figure,table,tr{break-inside:avoid}"
	"h2,h3{break-after:avoid}figure svg{border:none}}\n";

static void esc(FILE *f, const char *s)
{
	svg_escape(f, s);
}

static void when(int64_t ns, char *buf, size_t n)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, n, "%" PRId64 " s", ns / 1000000000);
}

void html_begin(FILE *f, const struct html_page *p)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>synwatch: ", f);
	esc(f, p->capture);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>TCP/UDP handout: ", css);
	esc(f, p->capture);
	fputs("</h1>\n<p class=\"summary\">", f);
	fprintf(f, "%" PRIu64 " packet%s, %zu flow%s", p->packets, p->packets == 1 ? "" : "s", p->nflows,
		p->nflows == 1 ? "" : "s");
	if (p->first_ns) {
		char a[64], b[64];
		when(p->first_ns, a, sizeof a);
		when(p->last_ns, b, sizeof b);
		fprintf(f, ", from %s to %s (%.6f s)", a, b, (double)(p->last_ns - p->first_ns) / 1e9);
	}
	if (p->filter && p->filter[0]) {
		fputs("; filter <code>", f);
		esc(f, p->filter);
		fputs("</code>", f);
	}
	fputs(".</p>\n<p class=\"note\">Sequence and acknowledgement numbers are relative to each end's first "
	      "(0 at a SYN). Times are seconds since each flow's first packet.</p>\n", f);
	if (p->note) {
		fputs("<p class=\"note\">", f);
		esc(f, p->note);
		fputs("</p>\n", f);
	}
	fputs("</header>\n", f);
}

static const char *proto_name(const struct flow *fl)
{
	return fl->proto == 6 ? "tcp" : fl->proto == 17 ? "udp" : fl->proto == 1 ? "icmp" : "icmp6";
}

void html_flow_table(FILE *f, const struct flow *const *flows, const bool *has_section, size_t n)
{
	fputs("<section id=\"flows\">\n<h2>Flows</h2>\n<table>\n<thead><tr><th>flow</th><th>proto</th><th>client</th>"
	      "<th>server</th><th>packets c\xe2\x86\x92s / s\xe2\x86\x92" "c</th><th>payload bytes c\xe2\x86\x92s / s\xe2\x86\x92" "c</th>"
	      "<th>duration (s)</th><th>states at the end</th><th>end</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct flow *fl = flows[i];
		char c[FLOW_EP_STRLEN], s[FLOW_EP_STRLEN];
		bool ports = fl->proto == 6 || fl->proto == 17;
		flow_endpoint_str(&fl->client, ports, c);
		flow_endpoint_str(&fl->server, ports, s);
		fputs("<tr><td>", f);
		if (has_section[i])
			fprintf(f, "<a href=\"#flow-%" PRIu64 "\">%" PRIu64 "</a>", fl->id, fl->id);
		else
			fprintf(f, "%" PRIu64, fl->id);
		fprintf(f, "</td><td>%s</td><td><code>", proto_name(fl));
		esc(f, c);
		fputs("</code></td><td><code>", f);
		esc(f, s);
		fprintf(f, "</code></td><td class=\"n\">%" PRIu64 " / %" PRIu64 "</td><td class=\"n\">%" PRIu64 " / %" PRIu64
			   "</td><td class=\"n\">%.6f</td><td>",
			fl->pkts[0], fl->pkts[1], fl->bytes[0], fl->bytes[1], (double)(fl->last_ns - fl->first_ns) / 1e9);
		if (fl->proto == 6)
			fprintf(f, "%s / %s%s", tcp_state_name((enum tcp_state)fl->state[0]),
				tcp_state_name((enum tcp_state)fl->state[1]), fl->state_inferred ? " (inferred)" : "");
		else
			fputs("\xe2\x80\x94", f);
		fprintf(f, "</td><td>%s</td></tr>\n", flow_end_name((enum flow_end)fl->end));
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void us(FILE *f, int64_t ns)
{
	if (ns >= 10000000)
		fprintf(f, "%.1f ms", (double)ns / 1e6);
	else
		fprintf(f, "%.0f \xc2\xb5s", (double)ns / 1e3);
}

static void flow_summary(FILE *f, const struct flow *fl)
{
	fputs("<p class=\"summary\">", f);
	fprintf(f, "%" PRIu64 " packets and %" PRIu64 " payload bytes from the client, %" PRIu64 " and %" PRIu64
		   " from the server, over %.6f s",
		fl->pkts[0], fl->bytes[0], fl->pkts[1], fl->bytes[1], (double)(fl->last_ns - fl->first_ns) / 1e9);
	if (fl->proto == 6) {
		if (fl->syn_ns && fl->synack_ns) {
			fputs("; handshake: SYN to SYN-ACK ", f);
			us(f, fl->synack_ns - fl->syn_ns);
			if (fl->ack_ns) {
				fputs(", SYN-ACK to ACK ", f);
				us(f, fl->ack_ns - fl->synack_ns);
			}
		}
		fprintf(f, "; at the end the client is %s and the server %s", tcp_state_name((enum tcp_state)fl->state[0]),
			tcp_state_name((enum tcp_state)fl->state[1]));
	}
	const char *who = fl->closed_first < 0 ? NULL : fl->closed_first == DIR_C2S ? "the client" : "the server";
	fprintf(f, "; end: %s%s%s%s.", flow_end_name((enum flow_end)fl->end), who ? ", closed first by " : "", who ? who : "",
		fl->client_guessed ? " The client was guessed from the ports (no SYN captured)" : "");
	fputs("</p>\n", f);
}

static void graphs(FILE *f, const struct html_flow *hf, const char *capture)
{
	const struct graph *g = hf->g;
	bool any = false;
	for (int d = 0; d < 2; d++) {
		const struct graph_dir *gd = &g->d[d];
		if (!gd->bytes)
			continue;
		any = true;
		fprintf(f, "<h3>%s data: %" PRIu64 " bytes in %" PRIu64 " segments, %" PRIu64 " bytes sent again</h3>\n",
			d == DIR_C2S ? "Client \xe2\x86\x92 server" : "Server \xe2\x86\x92 client", gd->bytes, gd->pkts,
			gd->bytes_retx);
		for (int k = 0; k < GRAPH_KIND_COUNT; k++) {
			char id[48];
			snprintf(id, sizeof id, "f%" PRIu64 "d%dk%d", hf->f->id, d, k);
			struct svg_out o = { .f = f, .standalone = false, .id = id, .capture = capture };
			fputs("<figure>\n", f);
			svg_graph(&o, g, (enum graph_kind)k, (enum flow_dir)d, hf->f);
			fputs("</figure>\n", f);
		}
	}
	if (!any)
		fputs("<p class=\"note\">No payload was sent either way: no graphs.</p>\n", f);
}

static void calls(FILE *f, const struct html_flow *hf)
{
	fputs("<h3>Socket calls</h3>\n<table>\n<thead><tr><th>time (s)</th><th>end</th><th>call, as strace prints it</th>"
	      "</tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < hf->ncalls; i++) {
		const struct html_call *c = &hf->calls[i];
		int64_t rel = c->at_ns - hf->f->first_ns;
		fprintf(f, "<tr><td class=\"n\">%.6f</td><td>%s</td><td class=\"call\">", (double)rel / 1e9,
			c->side == DIR_C2S ? "client" : "server");
		esc(f, c->text);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

static void ladder(FILE *f, const struct html_flow *hf, const char *capture)
{
	char id[32];
	snprintf(id, sizeof id, "f%" PRIu64 "l", hf->f->id);
	struct svg_out o = { .f = f, .standalone = false, .id = id, .capture = capture };
	fputs("<h3>Ladder</h3>\n<figure>\n", f);
	svg_ladder(&o, hf->f, hf->rows, hf->nrows, hf->more_rows);
	fputs("<figcaption>Time runs down the page; each arrow is a packet, each dot a socket call by that end."
	      "</figcaption>\n</figure>\n",
	      f);
}

void html_flow(FILE *f, const struct html_flow *hf, const char *capture)
{
	char name[160];
	svg_flow_name(hf->f, name, sizeof name);
	fprintf(f, "<section class=\"flow\" id=\"flow-%" PRIu64 "\">\n<h2>", hf->f->id);
	esc(f, name);
	fputs("</h2>\n", f);
	flow_summary(f, hf->f);
	/* A short exchange is told by its ladder, a transfer by its graphs: the longer ladder goes last. */
	bool ladder_first = !hf->g || hf->nrows <= HTML_LADDER_FIRST;
	if (ladder_first)
		ladder(f, hf, capture);
	if (hf->ncalls)
		calls(f, hf);
	if (hf->g) {
		graphs(f, hf, capture);
	} else if (hf->no_graph) {
		fputs("<p class=\"note\">", f);
		esc(f, hf->no_graph);
		fputs("</p>\n", f);
	}
	if (!ladder_first)
		ladder(f, hf, capture);
	fputs("</section>\n", f);
}

void html_end(FILE *f, const struct html_page *p)
{
	fputs("<footer>Made by synwatch ", f);
	esc(f, p->version);
	fputs(" from ", f);
	esc(f, p->capture);
	fputs(". Everything on this page is in this one file: it opens without a network and prints on A4."
	      "</footer>\n</body>\n</html>\n",
	      f);
}
