/* ladder.h — TEMPORARY minimal copy for the tui branch; the flow engineer's ladder.h replaces it at merge. */
#ifndef SYNWATCH_LADDER_H
#define SYNWATCH_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"

/* One arrow of the sequence diagram; the TUI treats it as opaque and only copies it by value. */
struct ladder_row {
	int64_t ts_ns;                  /* capture time */
	enum flow_dir dir;              /* which way the arrow points */
	char label[64];                 /* flags, seq/ack, length */
	enum tcp_state before[2], after[2]; /* both ends' states around this packet */
	uint32_t events;                /* EV_* bits */
};

/* Fill one row from a decoded packet and what tracking it produced. */
void ladder_row_from(struct ladder_row *row, const struct packet *p, const struct track_result *r);

/* Render rows[0..n) of flow f at `width` columns; emit() gets each line, with the rows index or -1. */
void ladder_render(const struct flow *f, const struct ladder_row *rows, size_t n, int width,
		   void (*emit)(const char *line, long row_index, void *arg), void *arg);

#endif
