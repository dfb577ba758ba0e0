/* fuzz_decode.c — libFuzzer harness: decode, flow tracking, text/JSON views and the ladder on one packet per input. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "decode/decode.h"
#include "track/flow.h"
#include "track/summary.h"
#include "fuzz_decode.h"
#include "view/ladder.h"
#include "view/obuf.h"
#include "view/view.h"

#define FUZZ_MAX_FLOWS 4096   /* small, so that inputs soon fill the table and evict */
#define FUZZ_BOOK_ROWS 16     /* ladder rows kept per flow by the text-mode recorder */
#define FUZZ_BOOK_EVERY 2048  /* packets between printing (and starting afresh) the recorder and the table */

/* State kept across inputs, like one long capture. */
static struct {
	bool ready;
	struct flow_table *flows;
	struct ladder_book *book;
	struct obuf out;      /* per-packet views, written to /dev/null */
	FILE *devnull;        /* the FILE-based printers (--flows, --ladder) */
	struct packet pkt;
	uint64_t n;           /* inputs seen: packet numbers */
	int64_t sec;          /* the capture clock */
	uint32_t nsec;
	size_t emitted;       /* bytes of ladder lines seen (keeps the emit callback from being optimised away) */
} fz;

static uint32_t be_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Every ladder line is a terminated string no wider than asked: read it all (ASan checks the reads). */
static void sink_line(const char *line, long idx, void *arg)
{
	size_t n = strlen(line);
	int width = *(const int *)arg;
	if (n > (size_t)(width < LADDER_MIN_WIDTH ? LADDER_MIN_WIDTH : width > LADDER_MAX_WIDTH ? LADDER_MAX_WIDTH : width))
		abort();
	fz.emitted += n + (size_t)(idx & 1);
}

/* Flows leaving the table are printed as the TUI's and --flows' remove hooks would. */
static void on_remove(const struct flow *f, bool evicted, void *arg)
{
	(void)arg;
	flowtab_print_flow(f, fz.devnull, evicted);
}

static void visit_flow(const struct flow *f, void *arg)
{
	size_t *count = arg;
	char a[FLOW_EP_STRLEN], b[FLOW_EP_STRLEN];
	flow_endpoint_str(&f->client, f->proto == 6 || f->proto == 17, a);
	flow_endpoint_str(&f->server, f->proto == 6 || f->proto == 17, b);
	if (flowtab_find(fz.flows, f->id) != f)
		abort(); /* a listed flow must be found by its id */
	*count += strlen(a) + strlen(b) > 0;
}

static void fuzz_init(void)
{
	fz.flows = flowtab_new(FUZZ_MAX_FLOWS);
	fz.book = ladder_book_new(FUZZ_BOOK_ROWS);
	fz.devnull = fopen("/dev/null", "w");
	int fd = open("/dev/null", O_WRONLY);
	if (!fz.flows || !fz.book || !fz.devnull || fd < 0)
		abort();
	obuf_init(&fz.out, fd);
	flowtab_set_remove_hook(fz.flows, on_remove, NULL);
	fz.sec = FZ_CLOCK_START;
	fz.ready = true;
}

/* Every FUZZ_BOOK_EVERY inputs: print the table and the recorded ladders, walk the table, start a new recorder. */
static void fuzz_checkpoint(bool json, int width)
{
	flowtab_print(fz.flows, fz.devnull, json);
	size_t visited = 0;
	flowtab_foreach(fz.flows, visit_flow, &visited);
	struct flowtab_stats st;
	flowtab_stats(fz.flows, &st);
	if (visited != st.flows_active || st.flows_active > FUZZ_MAX_FLOWS)
		abort();
	ladder_book_print(fz.book, fz.flows, 0, fz.devnull, width);
	ladder_book_free(fz.book);
	fz.book = ladder_book_new(FUZZ_BOOK_ROWS);
	if (!fz.book)
		abort();
}

/* One packet through what pipeline_next() and run_batch() do with it, and the TUI's ladder pane. */
static void fuzz_packet(int linktype, const uint8_t *data, uint32_t caplen, unsigned flags, uint32_t d)
{
	bool nano = flags & FZ_NANO;
	uint32_t len = (flags & FZ_LEN_BELOW) ? (caplen > d ? caplen - d : 0) : caplen + d;

	/* As pipeline_next(): decode, number and time, track. */
	struct packet *pkt = &fz.pkt;
	struct track_result tr;
	decode_packet(pkt, linktype, data, caplen, len);
	pkt->n = ++fz.n;
	pkt->ts_sec = fz.sec;
	pkt->ts_nsec = fz.nsec;
	flow_track(fz.flows, pkt, &tr);

	/* As run_batch(): the per-packet views and the --ladder recorder. */
	view_text_packet(&fz.out, pkt, &tr, nano);
	view_json_packet(&fz.out, pkt, &tr, nano);
	obuf_maybe_flush(&fz.out);
	ladder_book_add(fz.book, pkt, &tr);

	/* As the TUI's ladder pane: this packet's summary drawn under its flow, at a width from the input. */
	int width = 40 + (int)((fz.n * 37 + d) % 400);
	if (tr.flow) {
		struct ladder_row row;
		row.is_call = false;
		summary_from(&row.pkt, pkt, &tr);
		ladder_render(tr.flow, &row, 1, width, sink_line, &width);
	}
	if (fz.n % FUZZ_BOOK_EVERY == 0)
		fuzz_checkpoint(nano, width);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz.ready)
		fuzz_init();
	uint8_t hdr[FZ_HDR_LEN] = { 0 };
	size_t h = size < FZ_HDR_LEN ? size : FZ_HDR_LEN;
	memcpy(hdr, data, h);
	data += h;
	size -= h;
	int linktype = fuzz_linktypes[hdr[0] % FUZZ_NLINKTYPES];
	unsigned flags = hdr[1];
	uint32_t d = (uint32_t)hdr[2] << 8 | hdr[3];
	unsigned step = (flags & FZ_STEP_MASK) >> FZ_STEP_SHIFT;
	if ((flags & FZ_WILD_TIME) && size >= FZ_WILD_LEN) {
		fz.sec = (int64_t)((uint64_t)be_u32(data) << 32 | be_u32(data + 4));
		fz.nsec = be_u32(data + 8);
		data += FZ_WILD_LEN;
		size -= FZ_WILD_LEN;
	} else {
		fz_clock_step(&fz.sec, &fz.nsec, step, flags & FZ_BACKWARDS);
	}
	if (size > UINT32_MAX - 65535u)
		return 0;
	if (!(flags & FZ_MULTI)) {
		fuzz_packet(linktype, data, (uint32_t)size, flags, d);
		return 0;
	}
	/* Several packets (at most FZ_MULTI_MAX, to keep inputs fast), each copied to a buffer of its own
	 * size so that reading past its end is caught. */
	for (int k = 0; size > 0 && k < FZ_MULTI_MAX; k++) {
		bool first = k == 0;
		size_t n = size >= 2 ? (size_t)(data[0] << 8 | data[1]) : 0;
		size_t skip = size >= 2 ? 2 : size;
		data += skip;
		size -= skip;
		if (n > size)
			n = size;
		uint8_t *copy = malloc(n ? n : 1);
		if (!copy)
			abort();
		memcpy(copy, data, n);
		if (!first)
			fz_clock_step(&fz.sec, &fz.nsec, step, flags & FZ_BACKWARDS);
		fuzz_packet(linktype, copy, (uint32_t)n, flags, d);
		free(copy);
		data += n;
		size -= n;
	}
	return 0;
}
