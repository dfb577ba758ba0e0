/* ladder.h — ASCII sequence ("ladder") diagram of one flow: rows are packet summaries or calls, one renderer. */
#ifndef SYNWATCH_LADDER_H
#define SYNWATCH_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calls/events.h"
#include "track/flow.h"
#include "track/summary.h"

#define LADDER_LABEL_MAX 48

/* A socket call drawn as a * on the column of the end that made it. */
struct ladder_call {
	int64_t ts_ns;         /* where it stands on the timeline, ns since the epoch */
	uint8_t side;          /* the calling end: DIR_C2S the client's column, DIR_S2C the server's */
	char label[LADDER_LABEL_MAX]; /* "connect()", "accept() = 4", "connect() = -1 ECONNREFUSED" */
};

/* One row of a ladder: a packet of the flow (an arrow; ---> or, for an ICMP error quoting the flow's
   packet, ~~~>), or a call. */
struct ladder_row {
	bool is_call;
	union {
		struct pkt_summary pkt; /* !is_call */
		struct ladder_call call; /* is_call */
	};
};

/* A call as the ladder labels it, at_ns being where it stands on the timeline. */
void ladder_call_from(struct ladder_call *c, const struct sock_event *ev, int64_t at_ns, enum flow_dir side);

/* The text on a row's arrow ("S seq 0 win 65495 mss 65495 sackOK TS ws 7", "UDP len 5", "ICMP port
   unreachable", a call's label; f is the row's flow, or NULL: an ICMP error names its sender when that is not the end
   its arrow leaves from, "ICMP time exceeded from 10.0.0.1") and its event notes ("[retransmission,
   dup-ack #2]", "" when none). */
void ladder_row_text(const struct ladder_row *r, const struct flow *f, char *buf, size_t n);
void ladder_row_notes(const struct ladder_row *r, char *buf, size_t n);

/* Smallest width ladder_render() fits into; narrower widths are drawn at this width. */
#define LADDER_MIN_WIDTH 64
#define LADDER_MAX_WIDTH 400

/*
 * Draw rows (in order) of flow f as lines of at most `width` columns (no trailing spaces, no newline),
 * handing each to emit with the row's index, or -1 for header and footer lines. A row takes one line,
 * plus one or more lines of event notes ("[retransmission]") between the columns, with the same index.
 */
void ladder_render(const struct flow *f, const struct ladder_row *rows, size_t n, int width,
		   void (*emit)(const char *line, long row_index, void *arg), void *arg);

/*
 * Text mode's recorder: the first max_rows_per_flow rows of each flow (at most LADDER_BOOK_MAX_FLOWS
 * flows; later ones are counted, not kept). Memory grows per recorded flow, never per packet beyond
 * that bound.
 */
#define LADDER_BOOK_MAX_FLOWS 65536
struct ladder_book;
struct ladder_book *ladder_book_new(size_t max_rows_per_flow);
/* Record only flow `flow_id` (0: every flow); call before adding. */
void ladder_book_only(struct ladder_book *b, uint64_t flow_id);
/* Record one tracked packet (packets outside any flow are ignored). */
void ladder_book_add(struct ladder_book *b, const struct packet *pkt, const struct track_result *tr);
/* Record a packet summed up earlier with snap, the flow as of that packet: what ladder_book_add does, for
   views that hold packets back before drawing them (the classroom timeline). */
void ladder_book_add_summary(struct ladder_book *b, const struct flow *snap, const struct pkt_summary *pkt);
/* The flow as it leaves the table (flowtab_set_remove_hook): a recorded flow's snapshot takes its final
   figures (end "timeout", a NO-ANSWER end), which its ladder then shows. */
void ladder_book_update(struct ladder_book *b, const struct flow *f);
/* Add a call to flow snap: to a recorded flow, or (create) recording the flow from snap, as of its first
   packet; false when the flow is not recorded (and not created). */
bool ladder_book_add_call(struct ladder_book *b, const struct flow *snap, const struct ladder_call *call, bool create);
/*
 * Print the ladder of flow_id (0: every recorded flow, in id order, separated by blank lines) to out.
 * flows (may be NULL) supplies the flow's final figures when it is still in the table; otherwise the
 * flow as of its last recorded packet is drawn. Returns the number of flows printed (0: none matched).
 */
int ladder_book_print(const struct ladder_book *b, const struct flow_table *flows, uint64_t flow_id, FILE *out,
		      int width);
void ladder_book_free(struct ladder_book *b);
/* The rows recorded for flow_id (NULL, *n = 0 when it is not recorded), the flow as of its last recorded
   packet (*snap, may be NULL) and the rows left out past the book's bound (*dropped, may be NULL). */
const struct ladder_row *ladder_book_rows(const struct ladder_book *b, uint64_t flow_id, size_t *n,
					  const struct flow **snap, uint64_t *dropped);
/* The ids of the recorded flows, in id order: at most max into ids; returns how many there are. */
size_t ladder_book_flows(const struct ladder_book *b, uint64_t *ids, size_t max);
/* Packets of flows the book could not record (past LADDER_BOOK_MAX_FLOWS, or no memory). */
uint64_t ladder_book_unrecorded(const struct ladder_book *b);

#endif
