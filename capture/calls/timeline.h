/* timeline.h — the merge engine: packets, socket calls and socket-table notes held and handed out in time order. */
#ifndef SYNWATCH_TIMELINE_H
#define SYNWATCH_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "calls/sockdiag.h"
#include "track/flow.h"
#include "track/summary.h"

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
	TL_PACKET = 0, /* a packet: its summary, the flow right after it, the bytes its consumer kept with it */
	TL_CALL,       /* a socket call */
	TL_NOTE,       /* a change of the kernel's socket table */
};

/* A socket-table change (sockdiag_diff's arguments). */
struct tl_note {
	uint8_t what;                 /* enum sockdiag_change */
	bool has_before, has_after;   /* which of the rows below are set */
	struct sockdiag_row before, after;
};

/* A held packet. */
struct tl_packet {
	struct pkt_summary pkt;
	bool has_flow;           /* snap is valid */
	struct flow snap;        /* the flow right after this packet */
	uint64_t seq;            /* arrival order among all items: breaks ties */
	size_t off;              /* its body in the arena */
	uint32_t len;
};

/* A held call or note, kept sorted by (key, rank, seq). */
struct tl_other {
	int64_t key_ns;
	uint64_t seq;
	uint8_t rank;            /* at the same key: 0 a call placed at its entry (before the packets there),
	                            2 one placed at its return and a note (after them); packets rank 1 */
	uint8_t kind;            /* TL_CALL or TL_NOTE */
	union {
		struct sock_event ev;  /* TL_CALL */
		struct tl_note note;   /* TL_NOTE */
	};
};

/* The earliest item, as timeline_peek() shows it (pointers valid until the next push or pop). */
struct tl_item {
	uint8_t kind;                 /* enum tl_kind */
	int64_t key_ns;               /* where it stands */
	const struct tl_packet *pkt;  /* TL_PACKET */
	const uint8_t *body;          /* TL_PACKET: what the consumer kept with it (its text, its bytes) */
	const struct sock_event *ev;  /* TL_CALL */
	const struct tl_note *note;   /* TL_NOTE */
};

#define TL_PACKETS_MAX 8192 /* packets held at most */
#define TL_OTHERS_MAX 1024  /* calls and notes held at most */

/* The engine's state; large (keep it static or allocated once). No allocation after timeline_init. */
struct timeline {
	struct tl_packet pkts[TL_PACKETS_MAX]; /* FIFO ring of packets (they arrive in time order) */
	size_t phead, pcount;
	struct tl_other others[TL_OTHERS_MAX]; /* calls and notes, sorted by (key, rank, seq) */
	size_t ocount;
	uint64_t seq;
	uint8_t *arena;          /* the packets' bodies, a FIFO ring of `budget` bytes */
	size_t budget;
	uint64_t forced;         /* items handed out before their time because a queue was full */
};

/* An empty timeline whose packets may keep up to body_budget bytes of body in all (0: none); false when
   that memory cannot be had. */
bool timeline_init(struct timeline *tl, size_t body_budget);
void timeline_free(struct timeline *tl);

/* Room for one more packet with a body of len bytes (false: hand out the earliest item first). */
bool timeline_room(const struct timeline *tl, size_t len);
/* Add a packet (with timeline_room() true): its summary, its flow right after it (NULL: none), and
   body[0..len) to keep with it. */
void timeline_push_packet(struct timeline *tl, const struct pkt_summary *pkt, const struct flow *snap,
			  const void *body, size_t len);
/* Add a call or a note; when the others are full, the earliest of them is dropped (counted in forced). */
void timeline_push_call(struct timeline *tl, const struct sock_event *ev);
void timeline_push_note(struct timeline *tl, int64_t ts_ns, const struct tl_note *note);

/*
 * The earliest held item into *it, if it may go: its key is at or before `limit` (the time up to which
 * every source has handed over all it will ever place there), or force is true (it goes anyway), or a
 * queue is full (counted in forced). False when nothing is held or the earliest must still wait.
 * timeline_pop() after using it.
 */
bool timeline_peek(struct timeline *tl, int64_t limit, bool force, struct tl_item *it);
void timeline_pop(struct timeline *tl);

/* The earliest held packet whose flow (as of that packet) the call belongs to, with the calling end in
   *side; or NULL. A connect() goes out before its SYN, so its flow is known only from packets held. */
const struct tl_packet *timeline_match_ahead(const struct timeline *tl, const struct sock_event *ev,
					     enum flow_dir *side);
size_t timeline_count(const struct timeline *tl);      /* items held */
int64_t timeline_first_key(const struct timeline *tl); /* the earliest item's key; INT64_MAX when none */
size_t timeline_others_free(const struct timeline *tl); /* calls and notes that fit before one is dropped */

/* ---- Matching calls to flows: the flows of the packets handed out most recently. ---- */
#define TL_RECENT_FLOWS 256
struct tl_flows {
	struct flow f[TL_RECENT_FLOWS]; /* snapshots, as of each flow's latest packet handed out */
	size_t n;                       /* slots used */
	uint64_t stamp[TL_RECENT_FLOWS]; /* when each was last updated (a counter): the oldest is replaced */
	uint64_t clock;
};
/* Remember (or update) flow snap. */
void tl_flows_note(struct tl_flows *r, const struct flow *snap);
/* The most recently updated flow the call belongs to, with the calling end in *side; NULL if none. */
const struct flow *tl_flows_match(const struct tl_flows *r, const struct sock_event *ev, enum flow_dir *side);

#endif
