/* ladder.h — ASCII sequence ("ladder") diagram of one flow: rows built from packets or calls, one renderer. */
#ifndef SYNWATCH_LADDER_H
#define SYNWATCH_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "track/flow.h"
#include "packet.h"

/* What a row draws. */
enum ladder_kind {
	LADDER_PACKET = 0, /* a TCP/UDP/ICMP-echo packet of the flow: an arrow ---...---> */
	LADDER_ICMP,       /* an ICMP error quoting the flow's packet: an arrow drawn with ~ */
	LADDER_CALL,       /* a system call made by one end (connect(), accept()...): a * on its column */
};

#define LADDER_LABEL_MAX 48

/* One row's summary; small and self-contained so views can keep many (the TUI keeps its own array). */
struct ladder_row {
	uint64_t pkt_no;       /* packet number (packet.n); 0 for call rows */
	int64_t ts_ns;         /* timestamp, ns since the epoch */
	uint8_t kind;          /* enum ladder_kind */
	uint8_t dir;           /* packet/ICMP: direction of travel (enum flow_dir); call: the calling end
	                          (DIR_C2S = the client's column, DIR_S2C = the server's) */
	uint8_t proto;         /* flow protocol: 6, 17, 1, 58 */
	bool have_rel;         /* rseq/rack valid (TCP) */
	uint16_t flags;        /* TCP flags (TCP_*) */
	uint16_t win;          /* TCP raw window field */
	uint32_t rseq, rack;   /* relative seq/ack (rack meaningful with TCP_ACK) */
	uint32_t len;          /* payload bytes on the wire */
	uint8_t before[2];     /* enum tcp_state of [client, server] before the row */
	uint8_t after[2];      /* ... and after it */
	uint32_t events;       /* EV_* bits */
	uint32_t dup_ack_n;    /* with EV_DUP_ACK */
	char label[LADDER_LABEL_MAX]; /* TCP: SYN options ("mss 65495 sackOK TS ws 7"); UDP: ""; ICMP echo:
	                                 "echo request id 1 seq 2"; ICMP error: "port unreachable"; call: "connect()" */
};

/* Fill a row from a tracked packet (tr->flow must be non-NULL). */
void ladder_row_from(struct ladder_row *row, const struct packet *p, const struct track_result *r);

/* Fill a call row: `side` made the call `label` at ts_ns; states are shown unchanged (both = states). */
void ladder_row_call(struct ladder_row *row, int64_t ts_ns, enum flow_dir side, const char *label,
		     const enum tcp_state states[2]);

/* The text on a row's arrow ("S seq 0 win 65495 mss 65495 sackOK TS ws 7", "UDP len 5", "ICMP port
   unreachable", a call's label) and its event notes ("[retransmission, dup-ack #2]", "" when none). */
void ladder_row_text(const struct ladder_row *r, char *buf, size_t n);
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
/* Record a row made earlier (ladder_row_from) with snap, the flow as of that row: what ladder_book_add
   does, for views that hold packets back before drawing them (the classroom timeline). */
void ladder_book_add_row(struct ladder_book *b, const struct flow *snap, const struct ladder_row *row);
/* Add a call row to a recorded flow; false when the flow is not recorded. */
bool ladder_book_add_call(struct ladder_book *b, uint64_t flow_id, const struct ladder_row *row);
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
