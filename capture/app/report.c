/* report.c — the --stats counters, the --flows table and the tcpdump-style closing lines of the text and JSON modes. */
#include "app/report.h"

#include <stdio.h>

#include "decode/decode.h"
#include "track/flow.h"

#define LADDER_ROWS_PER_FLOW 10000 /* --ladder keeps the first rows of each flow */

/* --stats of a pcapng file: each interface, its packets read and its last statistics block's counters. */
static void report_interfaces(struct obuf *o, struct pipeline *pl, bool json)
{
	size_t n = pipeline_interfaces(pl);
	if (json && n)
		obuf_puts(o, ",\"interfaces\":[");
	for (size_t i = 0; i < n; i++) {
		const struct pcapng_iface *f = pipeline_interface(pl, i);
		const char *lt = linktype_name(f->pub.linktype);
		if (json) {
			obuf_puts(o, i ? ",{\"if\":" : "{\"if\":");
			obuf_u64(o, f->pub.index);
			obuf_puts(o, ",\"section\":");
			obuf_u64(o, f->section);
			if (f->pub.name) {
				obuf_puts(o, ",\"ifname\":");
				obuf_json_str(o, f->pub.name);
			}
			obuf_puts(o, ",\"link\":");
			if (lt)
				obuf_json_str(o, lt);
			else
				obuf_u64(o, (uint64_t)f->pub.linktype);
			obuf_puts(o, ",\"read\":");
			obuf_u64(o, f->packets);
		} else {
			obuf_puts(o, "interface ");
			obuf_u64(o, f->pub.index);
			if (f->section) {
				obuf_puts(o, " of section ");
				obuf_u64(o, f->section);
			}
			if (f->pub.name) {
				obuf_puts(o, " (");
				obuf_puts(o, f->pub.name);
				obuf_putc(o, ')');
			}
			obuf_puts(o, ": ");
			if (lt)
				obuf_puts(o, lt);
			else
				obuf_u64(o, (uint64_t)f->pub.linktype);
			obuf_puts(o, ", ");
			obuf_u64(o, f->packets);
			obuf_puts(o, " packets read");
		}
		static const char *const isb[] = { "ifrecv", "ifdrop", "filteraccept", "osdrop", "usrdeliv" };
		const uint64_t v[] = { f->stats.ifrecv, f->stats.ifdrop, f->stats.filteraccept, f->stats.osdrop,
				       f->stats.usrdeliv };
		bool first = true;
		for (unsigned k = 0; k < sizeof isb / sizeof isb[0]; k++) {
			if (!(f->stats.have & (1u << k)))
				continue;
			if (json) {
				obuf_puts(o, ",\"");
				obuf_puts(o, isb[k]);
				obuf_puts(o, "\":");
			} else {
				obuf_puts(o, first ? "; statistics: " : ", ");
				obuf_puts(o, isb[k]);
				obuf_putc(o, ' ');
			}
			obuf_u64(o, v[k]);
			first = false;
		}
		obuf_puts(o, json ? "}" : "\n");
	}
	if (json && n)
		obuf_putc(o, ']');
}

void report_counters(struct obuf *o, const struct counters *c, struct pipeline *pl, bool json)
{
	struct pipeline_stats ps;
	struct flowtab_stats fs;
	pipeline_stats(pl, &ps);
	flowtab_stats(pipeline_flows(pl), &fs);
	const struct {
		const char *name;
		uint64_t v;
	} rows[] = {
		{ "packets", ps.packets },     { "bytes", c->bytes },
		{ "tcp", c->tcp },             { "udp", c->udp },
		{ "icmp", c->icmp },           { "other_ip", c->other_ip },
		{ "non_ip", c->non_ip },       { "unsupported_link", c->unsupported },
		{ "truncated", c->truncated }, { "invalid", c->invalid },
		{ "flows", fs.flows_created }, { "flows_active", fs.flows_active },
		{ "flows_evicted", fs.evicted }, { "flows_expired", fs.expired },
		{ "kernel_drops", ps.kernel_drop },
	};
	if (json)
		obuf_puts(o, "{\"stats\":{");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (json) {
			if (i)
				obuf_putc(o, ',');
			obuf_json_str(o, rows[i].name);
			obuf_putc(o, ':');
		} else {
			obuf_puts(o, rows[i].name);
			obuf_puts(o, ": ");
		}
		obuf_u64(o, rows[i].v);
		if (!json)
			obuf_putc(o, '\n');
	}
	report_interfaces(o, pl, json);
	if (json)
		obuf_puts(o, "}}\n");
}

int report_failure(const struct pipeline *pl)
{
	char msg[2048];
	int code = pipeline_failure(pl, msg, sizeof msg);
	fprintf(stderr, "synwatch: %s\n", msg);
	return code;
}

void report_flows(struct obuf *o, struct pipeline *pl, bool json)
{
	obuf_flush(o);
	flowtab_print(pipeline_flows(pl), stdout, json);
	fflush(stdout);
}

int report_ladder_new(const struct config *c, struct ladder_book **book)
{
	*book = NULL;
	if (!c->ladder && !c->html)
		return EXIT_OK;
	/* The page shows the first rows of every flow; --ladder keeps more, of its flow only when it names one. */
	*book = ladder_book_new(c->ladder ? LADDER_ROWS_PER_FLOW : HANDOUT_LADDER_ROWS);
	if (!*book) {
		fprintf(stderr, "synwatch: out of memory for %s\n", c->ladder ? "--ladder" : "--html");
		return EXIT_FAILURE_RUNTIME;
	}
	if (c->ladder_flow && !c->html)
		ladder_book_only(*book, c->ladder_flow);
	return EXIT_OK;
}

static void report_flow_left(const struct flow *f, bool evicted, void *arg)
{
	(void)evicted;
	ladder_book_update(arg, f);
}

void report_ladder_watch(struct pipeline *pl, struct ladder_book *book)
{
	if (book)
		flowtab_set_remove_hook(pipeline_flows(pl), report_flow_left, book);
}

int report_end(struct obuf *out, struct pipeline *pl, const struct config *c, const struct counters *cnt,
	       struct ladder_book *book, struct handout *h, int code)
{
	bool json = c->view == VIEW_JSON;
	if (!out->closed) {
		if (c->stats)
			report_counters(out, cnt, pl, json);
		if (c->flows)
			report_flows(out, pl, json);
		if (book && c->ladder && !c->svg) {
			obuf_flush(out);
			/* A capture with no flow has no ladder to draw; only a flow asked for by number must exist. */
			if (ladder_book_print(book, pipeline_flows(pl), c->ladder_flow, stdout, c->width) == 0 &&
			    c->ladder_flow) {
				fprintf(stderr, "synwatch: no flow %llu to draw; list them with --flows\n",
					(unsigned long long)c->ladder_flow);
				if (code == EXIT_OK)
					code = EXIT_USAGE;
			}
			fflush(stdout);
		}
	}
	code = handout_finish(h, pl, book, code);
	ladder_book_free(book);
	return code;
}

void report_summary(struct pipeline *pl, const char *write_file)
{
	struct pipeline_stats s;
	pipeline_stats(pl, &s);
	if (pipeline_live(pl)) {
		fprintf(stderr, "%llu packets captured\n%llu packets received by filter\n%llu packets dropped by kernel\n",
			(unsigned long long)s.packets, (unsigned long long)s.kernel_recv,
			(unsigned long long)s.kernel_drop);
	} else {
		fprintf(stderr, "%llu packets read from %s\n", (unsigned long long)s.packets, pipeline_source_name(pl));
	}
	if (write_file)
		fprintf(stderr, "%llu packets written to %s\n", (unsigned long long)s.written, write_file);
}
