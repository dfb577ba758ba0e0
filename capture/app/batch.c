/* batch.c — the batch mode's loop: each packet to the text or JSON view, counters, the ladder's rows, flushes while live. */
#include "app/batch.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "app/signals.h"
#include "common/clock.h"
#include "view/ladder.h"
#include "view/view.h"

int batch_run(struct pipeline *pl, const struct config *c, struct obuf *out, struct handout *h)
{
	const struct packet *pkt = NULL;
	struct track_result tr;
	struct counters cnt = { 0 };
	bool json = c->view == VIEW_JSON;
	bool per_packet = cli_per_packet(c);
	bool handout = handout_wanted(h);
	struct ladder_book *book;
	if (report_ladder_new(c, &book) != EXIT_OK)
		return EXIT_FAILURE_RUNTIME;
	report_ladder_watch(pl, book);
	int fd = pipeline_fd(pl);
	int64_t last_flush = clock_ms();
	int code = EXIT_OK;

	while (!signals_stop && !out->closed) {
		int rc = pipeline_next_ref(pl, &pkt, &tr);
		if (rc == 1) {
			report_count(&cnt, pkt);
			if (book)
				ladder_book_add(book, pkt, &tr);
			if (handout)
				handout_packet(h, pkt, &tr);
			if (per_packet) {
				bool nano = pipeline_nanosecond(pl); /* a pcapng file's finer interface can turn it on */
				if (json)
					view_json_packet(out, pkt, &tr, nano);
				else
					view_text_packet(out, pkt, &tr, nano);
			}
			if (fd >= 0 && (pkt->n & 1023) == 0 && clock_ms() - last_flush > 200) {
				obuf_flush(out);
				pipeline_flush(pl);
				last_flush = clock_ms();
			}
		} else if (rc == 0) {
			/* Live or a quiet pipe: everything so far reaches the reader and the disk before we wait. */
			obuf_flush(out);
			pipeline_flush(pl);
			last_flush = clock_ms();
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			poll(&pfd, 1, 250);
		} else if (rc == -1) {
			break;
		} else {
			obuf_flush(out);
			code = report_failure(pl);
			break;
		}
		if (signals_usr1) {
			signals_usr1 = 0;
			report_flows(out, pl, json);
		}
	}
	code = report_end(out, pl, c, &cnt, book, h, code);
	obuf_flush(out);
	return code;
}
