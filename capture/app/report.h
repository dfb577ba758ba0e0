/* report.h — what the text and JSON modes print besides the packets: --stats counters, the --flows table, --ladder, the closing lines. */
#ifndef SYNWATCH_REPORT_H
#define SYNWATCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/cli.h"
#include "app/handout.h"
#include "source/pipeline.h"
#include "view/ladder.h"
#include "view/obuf.h"
#include "packet.h"

/* Counters for --stats. */
struct counters {
	uint64_t tcp, udp, icmp, other_ip, non_ip, unsupported, truncated, invalid, bytes;
};

/* Count one packet (inline: it runs for every packet). */
static inline void report_count(struct counters *c, const struct packet *p)
{
	c->bytes += p->len;
	if (!p->link_supported)
		c->unsupported++;
	else if (!p->has_ip)
		c->non_ip++;
	else if (p->ip.l4 == L4_TCP)
		c->tcp++;
	else if (p->ip.l4 == L4_UDP)
		c->udp++;
	else if (p->ip.l4 == L4_ICMP || p->ip.l4 == L4_ICMP6)
		c->icmp++;
	else
		c->other_ip++;
	if (p->status == DEC_TRUNCATED)
		c->truncated++;
	else if (p->status == DEC_INVALID)
		c->invalid++;
}
/* "packets: N" lines (or one {"stats":{...}} object): these counters, the pipeline's and the flow table's;
   for a pcapng file one line per interface (a list "interfaces" in JSON). */
void report_counters(struct obuf *o, const struct counters *c, struct pipeline *pl, bool json);
/* The flow table through stdio after what o holds, keeping the order of output. */
void report_flows(struct obuf *o, struct pipeline *pl, bool json);
/* The book of ladder rows for --ladder and --html (*book stays NULL without them). EXIT_OK, or
   EXIT_FAILURE_RUNTIME with a line on stderr when there is no memory for it. */
int report_ladder_new(const struct config *c, struct ladder_book **book);
/* The book (may be NULL) learns how each flow of pl's table ends when it leaves the table (an expired flow's
   ladder and page then say "timeout", and NO-ANSWER for an end that never answered its SYN). */
void report_ladder_watch(struct pipeline *pl, struct ladder_book *book);
/* The end of a text or JSON run: unless stdout went away, the counters (--stats), the flow table (--flows),
   the ladder (--ladder, unless it goes to --svg); then the handout files (h may be NULL; see
   handout_finish). The book is freed. Returns code, or EXIT_USAGE (with a line on stderr) when the flow
   --ladder FLOW names does not exist and code was EXIT_OK, or what handout_finish() returns. */
int report_end(struct obuf *out, struct pipeline *pl, const struct config *c, const struct counters *cnt,
	       struct ladder_book *book, struct handout *h, int code);
/* Why the pipeline stopped (it returned -2), one line on stderr; returns the exit code. */
int report_failure(const struct pipeline *pl);
/* tcpdump-style closing lines on stderr: packets captured/received/dropped (or read), written to -w. */
void report_summary(struct pipeline *pl, const char *write_file);

#endif
