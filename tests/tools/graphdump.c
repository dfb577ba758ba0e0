/* graphdump.c — test driver for the graph model: per TCP packet of a capture, the RTT samples and bytes in flight it gives, for the comparison with tshark. */
/*
 * graphdump FILE
 *   Reads FILE through the pipeline (decode, track), feeds each TCP packet to its flow's graph and
 *   prints one line per packet that passed: "N RTT_SEQ RTT_TS BIF KARN DSACK FED", the packet number, the
 *   RTT sample from the ACK number (seconds, 9 decimals; Karn's rule), the one from the timestamp echo, the
 *   bytes in flight after the packet; "-" where the packet gives none; KARN is "karn" when the ACK gave no
 *   sample because it acknowledged something sent twice, DSACK the bytes of D-SACK blocks the bytes in
 *   flight left out ("-" otherwise); FED is "tcp" for a packet fed to a graph, "-" for one synwatch does
 *   not decode as TCP of a flow (another link type, a tunnel): the reasons tshark may differ.
 *   Exit 0, 2 on bad usage, 3 when the capture cannot be read, 1 when out of memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "graph/graph.h"
#include "source/pipeline.h"

static void seconds(int64_t ns, char *buf, size_t n)
{
	snprintf(buf, n, "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: graphdump FILE\n");
		return 2;
	}
	struct pipeline_opts o = { .file = argv[1] };
	char err[512];
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	if (!pl) {
		fprintf(stderr, "graphdump: %s\n", err);
		return 3;
	}
	struct graph **graphs = NULL; /* by flow id */
	size_t ngraphs = 0;
	const struct packet *pkt;
	struct track_result tr;
	int rc;
	while ((rc = pipeline_next_ref(pl, &pkt, &tr)) == 1) {
		char a[32] = "-", b[32] = "-", c[32] = "-", e[32] = "-";
		const char *karn = "-", *fed = "-";
		if (graph_pkt_usable(pkt, &tr)) {
			uint64_t id = tr.flow->id;
			if (id >= ngraphs) {
				size_t nn = (size_t)id * 2 + 8;
				struct graph **ng = realloc(graphs, nn * sizeof *ng);
				if (!ng)
					return 1;
				for (size_t i = ngraphs; i < nn; i++)
					ng[i] = NULL;
				graphs = ng;
				ngraphs = nn;
			}
			if (!graphs[id] && !(graphs[id] = graph_new(0, 0)))
				return 1;
			struct graph_pkt gp;
			struct graph_sample s;
			graph_pkt_from(&gp, pkt, &tr);
			graph_feed(graphs[id], &gp, &s);
			fed = "tcp";
			if (s.rtt_seq_valid)
				seconds(s.rtt_seq_ns, a, sizeof a);
			if (s.rtt_ts_valid)
				seconds(s.rtt_ts_ns, b, sizeof b);
			if (s.bif_valid)
				snprintf(c, sizeof c, "%" PRIu64, s.bif);
			if (s.rtt_karn)
				karn = "karn";
			if (s.bif_valid && s.dsack)
				snprintf(e, sizeof e, "%" PRIu64, s.dsack);
		}
		printf("%" PRIu64 " %s %s %s %s %s %s\n", pkt->n, a, b, c, karn, e, fed);
	}
	for (size_t i = 0; i < ngraphs; i++)
		graph_free(graphs[i]);
	free(graphs);
	if (rc == -2)
		fprintf(stderr, "graphdump: %s\n", pipeline_error(pl));
	pipeline_close(pl);
	return rc == -2 ? 3 : 0;
}
