/* store.h — the packet store: a capture file (or the spool) plus a compact index of its rows, read back on demand. */
#ifndef SYNWATCH_STORE_H
#define SYNWATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "packet.h"
#include "source/filter.h"
#include "store/spool.h"
#include "track/flow.h"
#include "track/summary.h"

/*
 * The panel's rows are the packets of a capture (and, with a classroom session, the socket calls between
 * them) in the order shown. A row costs 16 bytes of index (struct store_row and its flow id); what a list
 * row, the details, the hex dump, the ladder or the follow view need is decoded again from the packet's
 * bytes, read with pread() at the row's offset: in the capture file itself (a classic pcap file read by
 * synwatch's own reader) or in the spool (live capture, pipes, pcapng; spool.h). Kept per row is only
 * what the bytes alone cannot give back, because it needs the flow's history:
 *
 * - where the bytes are: the record's offset (48 bits: files up to 256 TiB; a call: its slot);
 * - the flow tracking put it in (32-bit flow id; 0: none) and its direction in that flow;
 * - both ends' TCP states before and after it (4 bits each);
 * - its analysis events (EV_* bits 0-15; EV_STATE_CHANGE is "before differs from after");
 * - a duplicate ACK's number (inline below 255, else in a side table);
 * - the window's scale shift, when tracking knew it (it depends on which SYNs were seen before);
 * - whether tracking gave relative numbers: they are the raw numbers less the flow's initial sequence
 *   number each way (struct flow's isn[], which is set once, at or before the packet, and never changes),
 *   so the flow directory's isn[] gives them back exactly.
 *
 * Times are not kept per row (the record has them); every 64 rows keep the latest time so far, so a
 * time is found by a binary search and at most 64 record reads. Every flow the tracker made keeps an
 * entry in the flow directory: the tracker's own record while it is in the table, a 128-byte copy
 * once the table lets it go (idle timeout, eviction), so the flow table and a flow's ladder cover the
 * whole capture.
 *
 * Not thread-safe: the panel holds its one lock around every call.
 */

#define STORE_NONE UINT64_MAX      /* "no row" */
#define STORE_OFF_MAX ((1ull << 48) - 1)

/* Bits of a row's `bits`. */
enum {
	ROW_S2C = 1u << 0,   /* sent by the flow's server */
	ROW_REL = 1u << 1,   /* tracking gave relative numbers */
	ROW_CALL = 1u << 2,  /* a socket call (the classroom): off is its slot */
	ROW_LOST = 1u << 3,  /* the spool fell behind: its bytes were not kept */
	ROW_WIN_SHIFT = 4,   /* bits 4-7: the window's scale shift + 1 (0: not known; RFC 7323 caps it at 14) */
};

/* One row of the index (12 bytes; its flow id is kept beside it, for fast scans of one flow). */
struct store_row {
	uint32_t off_lo;          /* the record's offset (or a call's slot), low 32 bits */
	uint16_t off_hi;          /* and bits 32-47 */
	uint16_t events;          /* EV_* bits 0-15 */
	uint8_t before, after;    /* enum tcp_state: client's in the low nibble, server's in the high one */
	uint8_t bits;             /* ROW_* */
	uint8_t dup;              /* EV_DUP_ACK's number; 255: 255 or more (the side table has it) */
};

/* A socket call kept as a row: the event and where it stands. */
struct store_call {
	struct sock_event ev;
	int64_t at_ns;            /* its place on the timeline */
	uint64_t flow_id;         /* the flow it matched, 0 for none */
	uint8_t side;             /* the calling end in that flow (DIR_C2S client) */
	uint8_t states[2];        /* both ends' states when it was made */
};

/* What tracking said of one packet, as a row keeps it. */
struct store_facts {
	uint64_t flow_id;
	uint8_t dir;
	uint8_t before[2], after[2];
	uint32_t events;
	uint32_t dup_ack_n;
	bool have_rel;
	bool have_win_scale;
	uint8_t win_shift;
};
void store_facts_from(struct store_facts *f, const struct track_result *tr);

/* Where a store's bytes are. */
enum store_kind {
	STORE_FILE,   /* a classic pcap file, read in place */
	STORE_SPOOL,  /* the spool (spool.h) */
};

/* A classic pcap file's record format, for reading its records in place. */
struct store_pcapfmt {
	bool swapped;             /* the file's byte order is not ours */
	bool nano;                /* nanosecond magic */
	uint32_t snaplen;         /* libpcap's snapshot: a longer record is cut to it, as libpcap does */
	int linktype;             /* DLT_* of every record */
};

struct store;

/* A store of rows whose bytes are in the pcap file at path (read in place), or in spool sp (not owned). */
struct store *store_open_file(const char *path, const struct store_pcapfmt *fmt, char *err, size_t errlen);
struct store *store_open_spool(struct spool *sp);
void store_close(struct store *st);
enum store_kind store_kind(const struct store *st);

/* ---- rows ---- */

/* A packet's row: its record at off (STORE_OFF_MAX with lost: the spool did not keep it), what tracking
   said, its time (for finding times). False when out of memory (the row is not added). */
bool store_add_packet(struct store *st, uint64_t off, bool lost, const struct store_facts *f, int64_t ts_ns);
/* A socket call's row (a copy of *c is kept; the oldest calls' copies go when more than STORE_CALLS_KEPT). */
#define STORE_CALLS_KEPT 65536
bool store_add_call(struct store *st, const struct store_call *c);

uint64_t store_first(const struct store *st); /* the oldest row held (rows before it were dropped) */
uint64_t store_end(const struct store *st);   /* one past the newest */
/* Drop the rows before `row` (the live spool's budget, `c`); their memory goes too. */
void store_drop_before(struct store *st, uint64_t row);
/* Drop the rows whose records lie before spool offset `off` (the spool let them go). */
void store_drop_offsets_before(struct store *st, uint64_t off);

const struct store_row *store_row(const struct store *st, uint64_t row); /* NULL when not held */
uint64_t store_row_flow(const struct store *st, uint64_t row);
uint64_t store_row_off(const struct store_row *r);
uint32_t store_row_dup(const struct store *st, uint64_t row, const struct store_row *r);
const struct store_call *store_call_of(const struct store *st, const struct store_row *r); /* NULL: gone */

/* Packet numbers (1-based, as the pipeline counts them; rows of calls have none). */
uint64_t store_packet_number(const struct store *st, uint64_t row); /* 0 for a call */
uint64_t store_packet_row(const struct store *st, uint64_t n);      /* STORE_NONE when not held */
uint64_t store_packets(const struct store *st);                     /* packets in rows held */
uint64_t store_calls_between(const struct store *st, uint64_t from, uint64_t to); /* call rows in [from, to) */

/* The first row at or after `from` whose time is at or after t (STORE_NONE: none); reads at most 64
   records. */
uint64_t store_find_time(struct store *st, int64_t t, uint64_t from);

/* ---- reading a row back ---- */

/* A packet row read back: its record's bytes (valid until the next read), decoded and summed up. */
struct store_pkt {
	struct pkt_summary s;     /* as summary_from() made it when the packet was tracked */
	const uint8_t *data;      /* caplen bytes */
	uint32_t caplen;
	const struct pkt_iface *iface; /* pcapng through the spool: its interface; else NULL */
	const char *comment;      /* pcapng: its comment (comment_len bytes), or NULL */
	uint16_t comment_len;
};
/* Outcomes of store_read besides 1 (read). */
enum {
	STORE_GONE = 0,       /* the row is no longer held, or its bytes were not kept */
	STORE_DAMAGED = -1,   /* the file changed under us: store_problem() says how */
};
/* Read row `row` back (a packet row), decoded into *pkt (scratch *dec) and summed up into p->s. ifaces
   maps a spool record's interface number to the pipeline's (may be NULL). */
int store_read(struct store *st, uint64_t row, struct packet *dec, struct store_pkt *p,
	       const struct pkt_iface *(*ifaces)(void *arg, unsigned i), void *arg);
/* Only its time (the replay clock); false when it cannot be read. */
bool store_time(struct store *st, uint64_t row, int64_t *ts_ns);
/* Why the file can no longer be read ("'f.pcap' was truncated to 1200 bytes while open"), "" when fine. */
const char *store_problem(const struct store *st);
/* Look at the file again (size and inode): true when it still is the one opened, at least `need` long. */
bool store_check(struct store *st, uint64_t need);

/* ---- flows ---- */

/* A flow was seen (its packet just tracked): the directory points at the tracker's record. */
void store_flow_live(struct store *st, const struct flow *f);
/* The tracker lets it go (the flow table's remove hook): the directory keeps a copy. */
void store_flow_gone(struct store *st, const struct flow *f);
uint64_t store_flows(const struct store *st);   /* flows seen (ids 1..this) */
/* Flow id as the tracker had it last: its own record while it is in the table, else *scratch filled
   from the directory's copy. NULL: never seen. */
const struct flow *store_flow(const struct store *st, uint64_t id, struct flow *scratch);

/* The rows of one flow, in order (built by scanning the index, extended as rows come). */
struct store_flowrows {
	uint64_t id;              /* 0: none */
	uint64_t *row;            /* count row numbers */
	size_t count, cap;
	uint64_t scanned;         /* rows before this were looked at */
};
void store_flowrows_free(struct store_flowrows *fr);
/* Make fr hold flow id's rows up to the store's end; true when it was rebuilt (another flow, or rows
   before it were dropped). False also when out of memory (fr then ends early). */
bool store_flowrows_update(struct store *st, struct store_flowrows *fr, uint64_t id);
size_t store_flowrows_lower_bound(const struct store_flowrows *fr, uint64_t row);

/* ---- the view filter's verdicts ---- */

/*
 * Which rows pass the view filter: a bit per row, with running counts per 512 rows so that the i-th
 * passing row is found by a binary search. A pass goes over the rows in order (store_match_run), and
 * starts again from the first row when the filter changes.
 */
struct store_match;
struct store_match *store_match_new(void);
void store_match_free(struct store_match *m);
/* Start over with filter f (not owned; NULL: every row passes, no pass needed). */
void store_match_reset(struct store_match *m, const struct store *st, struct filter *f);
/* Go on with the pass: at most `budget` rows (or until deadline_ns on the monotonic clock); true while
   rows remain that the pass has not looked at. Rows that cannot be read (gone, damaged) do not pass.
   invalid_lt is set to a link type the filter cannot read, when one is met (else left alone). */
bool store_match_run(struct store_match *m, struct store *st, size_t budget, int64_t deadline_ns, int *invalid_lt);
uint64_t store_match_done(const struct store_match *m);  /* the pass has looked at rows up to here */
bool store_match_active(const struct store_match *m);   /* a filter is set */
/* Rows passing among the held ones the pass has looked at (calls always pass). */
uint64_t store_match_count(const struct store_match *m, const struct store *st);
/* The i-th passing row (0-based among held rows), STORE_NONE past the end. */
uint64_t store_match_at(const struct store_match *m, const struct store *st, uint64_t i);
/* How many passing rows come before `row` (its index in the list when it passes). */
uint64_t store_match_rank(const struct store_match *m, const struct store *st, uint64_t row);
bool store_match_has(const struct store_match *m, uint64_t row);

#endif
