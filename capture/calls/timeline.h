/* timeline.h — merges packets, socket calls and notes by time, holding each until the other source caught up. */
#ifndef SYNWATCH_TIMELINE_H
#define SYNWATCH_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "track/flow.h"
#include "view/ladder.h"

/*
 * Where a call stands on the timeline (its key, ns since the epoch). A call that makes packets is
 * placed when it was entered (ts - dur): connect before its SYN, send before its data, close and
 * shutdown before their FIN. A call that waits for packets is placed when it returned: accept after
 * the handshake's last ACK, recv/read/poll after the data or FIN they report. A failed call is placed
 * when it returned, so the errno stands beside the RST or ICMP error that caused it (but a non-blocking
 * connect's EINPROGRESS, returned after its SYN left, stands at entry).
 */
int64_t timeline_call_key(const struct sock_event *ev);
/* True for the calls placed at their return (accept, accept4, recv, recvfrom, recvmsg, read, poll). */
bool timeline_call_waits(const char *call);

/*
 * Which end of flow f made the call: true with *side = DIR_C2S (the client's column) or DIR_S2C when the
 * event's local and remote endpoints are the flow's client and server (or the reverse). A local address
 * of 0.0.0.0 / :: (Linux reports it after a refused connect) matches any address with the same port.
 */
bool timeline_event_side(const struct sock_event *ev, const struct flow *f, enum flow_dir *side);

enum tl_kind {
	TL_PACKET = 0, /* a packet: text to print, and a ladder row when the flow is known */
	TL_CALL,       /* a socket call */
	TL_NOTE,       /* another line placed by time (socket-table changes) */
};

/* One held item. The timeline owns text (grown as needed, reused between items: no allocation per
   packet once the slots have grown to the longest line). */
struct tl_item {
	int64_t key_ns;           /* place on the timeline */
	uint64_t seq;             /* arrival order, breaks ties */
	uint8_t kind;             /* enum tl_kind */
	char *text;               /* TL_PACKET/TL_NOTE: the rendered output (may be empty) */
	size_t len, cap;          /* text length and allocated size */
	bool has_flow;            /* TL_PACKET: snap and row are valid */
	struct flow snap;         /* TL_PACKET: the flow right after this packet */
	struct ladder_row row;    /* TL_PACKET: the ladder row of this packet */
	uint64_t pkt_no;          /* TL_PACKET: the packet number */
	struct sock_event ev;     /* TL_CALL */
};

#define TL_PACKETS_MAX 4096 /* packets held at most; beyond, the oldest is released at once */
#define TL_OTHERS_MAX 1024  /* calls and notes held at most */

struct timeline {
	struct tl_item pkts[TL_PACKETS_MAX];  /* FIFO ring of packets (arrive in time order) */
	size_t phead, pcount;
	struct tl_item others[TL_OTHERS_MAX]; /* calls and notes, sorted by (key, seq) */
	size_t ocount;
	uint64_t seq;
	int64_t pkt_wm;   /* newest packet time pushed: every packet up to it has arrived */
	int64_t call_wm;  /* newest call return time pushed */
	bool pkt_done;    /* no more packets will come (end of file, -c reached) */
	bool call_done;   /* no more calls will come (events file read whole, tracer ended) */
	bool calls_ordered; /* calls arrive in order of return time, so call_wm says all before it came
	                       (false for several processes writing one events file: each is in order, but
	                       a line of one may come after a later line of another) */
	int64_t grace_ns; /* release an item this long after its time even if a source lags */
	bool oom;         /* a text could not be stored (it was cut) */
};

/* An empty timeline (zeroes it). grace_ns: e.g. 100 ms for live capture. */
void timeline_init(struct timeline *tl, int64_t grace_ns);
void timeline_free(struct timeline *tl);

/* Add a packet; text[0..len) is copied. row/snap may be NULL (packet of no flow). Returns the slot
   (already holding the copies) so the caller may adjust it. */
struct tl_item *timeline_push_packet(struct timeline *tl, int64_t ts_ns, uint64_t pkt_no, const char *text,
				     size_t len, const struct ladder_row *row, const struct flow *snap);
void timeline_push_call(struct timeline *tl, const struct sock_event *ev);
void timeline_push_note(struct timeline *tl, int64_t ts_ns, const char *text, size_t len);

/*
 * The earliest held item if it may be released now, else NULL. It may when both sources have gone past
 * its time (a source that is done counts as past everything; the calls only with calls_ordered), when it is older than now_ns - grace
 * (now_ns = INT64_MIN disables this: replay waits for the data), or when a queue is full.
 * Call timeline_pop() after using it.
 */
const struct tl_item *timeline_peek(const struct timeline *tl, int64_t now_ns);
void timeline_pop(struct timeline *tl);
/* The earliest held packet (its snap is the flow) the call belongs to (a connect() is released before its SYN,
   so its flow is only known from the packets still held), with the calling end in *side; or NULL. */
const struct tl_item *timeline_match_ahead(const struct timeline *tl, const struct sock_event *ev, enum flow_dir *side);
/* Items held. */
size_t timeline_count(const struct timeline *tl);
/* ns from now_ns until the earliest item is released by the grace period; -1 when nothing is held. */
int64_t timeline_wait_ns(const struct timeline *tl, int64_t now_ns);

/* ---- Matching calls to flows: the flows of the packets released most recently. ---- */
#define TL_RECENT_FLOWS 256
struct tl_flows {
	struct flow f[TL_RECENT_FLOWS]; /* snapshots, as of each flow's latest released packet */
	size_t n;                       /* slots used */
	uint64_t stamp[TL_RECENT_FLOWS]; /* when each was last updated (a counter): the oldest is replaced */
	uint64_t clock;
};
/* Remember (or update) flow snap. */
void tl_flows_note(struct tl_flows *r, const struct flow *snap);
/* The most recently updated flow the call belongs to, with the calling end in *side; NULL if none. */
const struct flow *tl_flows_match(const struct tl_flows *r, const struct sock_event *ev, enum flow_dir *side);

#endif
