/* recorder.h — a lesson being recorded: the classroom session's items as pcapng blocks, each packet with a comment naming the call that caused it. */
#ifndef SYNWATCH_RECORDER_H
#define SYNWATCH_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/lesson.h"
#include "calls/session.h"
#include "track/summary.h"

/*
 * The recorder is the session's tap (session.h): it sees every item as the session hands it out. Calls and
 * socket-table changes become lesson blocks (lesson.h) at once; a packet goes out with its comment:
 *
 *   connect() by client pid 4712; client CLOSED→SYN-SENT
 *   no call: sent by the server's kernel; client SYN-SENT→ESTABLISHED, server UNANSWERED→SYN-RECEIVED
 *   connect() by client pid 4713 (failed: ECONNREFUSED); client CLOSED→SYN-SENT
 *
 * The call that caused a packet is the one explain.h names (as the panel's footer does): the nearest earlier
 * call of its flow by its sending end that sends such a packet. A call that failed stands where it
 * returned, after the packets it caused (a refused connect() after its SYN and the RST), and live, a
 * connect() that blocked longer than the session waits comes after its SYN too: a SYN with no cause yet
 * waits for a connect() entered before it, and the packets after the SYN wait behind it, until the call
 * comes, or an item RECORDER_WAIT_NS later does (live: that much time passes), or RECORDER_HELD packets
 * wait. The call that came so names the first such SYN; the SYNs after it are its kernel's retransmissions.
 *
 * The state part names each end whose TCP state the packet changed (a new flow's client was CLOSED; the
 * other end's state assumed when the flow starts, UNANSWERED or LISTEN, is not named), "no state change"
 * when none did; UDP and ICMP have none. Without call sources (--sockets alone) packets carry no comment.
 */
#define RECORDER_WAIT_NS 3000000000LL /* how long a SYN waits for the call that sent it (a connect() that
                                         blocked through the first retransmission returns after ~1 s) */
#define RECORDER_HELD 1024            /* packets held at most */
#define RECORDER_HELD_BYTES (8u << 20) /* and their bytes */
#define RECORDER_LOOK 64              /* items the cause is looked for among, as the panel's footer does */
#define RECORDER_COMMENT_MAX 256      /* a comment's longest */

/* Where the recording goes (the caller writes the pcapng file). */
struct recorder_out {
	/* One packet: its summary (time, lengths, link type), captured bytes, and comment (NULL: none). */
	void (*packet)(void *arg, const struct pkt_summary *pkt, const uint8_t *data, uint32_t caplen,
		       const char *comment, size_t comment_len);
	void (*block)(void *arg, const uint8_t *data, size_t len); /* one lesson block's custom data */
	void (*flush)(void *arg);                                  /* to the disk */
	void *arg;
};

struct recorder_opts {
	bool comments;          /* calls are known: packets carry comments */
	bool live;              /* a packet waits at most RECORDER_WAIT_NS of wall-clock time too */
	uint32_t flags;         /* the header's LESSON_HAS_* */
	const uint16_t *ports;  /* the ports whose sockets are read (the header's) */
	size_t nports;
};

/* One item the cause is looked for among. */
struct rec_look {
	bool is_call;
	uint64_t flow_id;         /* 0: none */
	uint8_t dir;              /* a packet's direction, a call's end (enum flow_dir) */
	uint8_t proto;
	uint16_t tcpflags;
	uint32_t payload;
	bool usable;              /* a call that may have caused later packets (it did not fail, or stands at its entry) */
	struct sock_event ev;     /* a call's event */
};

/* A packet held back. */
struct rec_held {
	struct pkt_summary s;
	size_t off, len;          /* its bytes in the byte ring */
	bool resolved;            /* its cause is known (cause NULL: no call) */
	bool has_cause;
	struct sock_event cause;  /* the call that caused it */
};

struct recorder {
	struct recorder_out out;
	struct recorder_opts o;
	struct rec_look look[RECORDER_LOOK]; /* the latest items, a ring: look[look_next - 1] the newest */
	size_t look_n, look_next;
	struct rec_held *held;    /* RECORDER_HELD slots, a ring */
	size_t held_head, held_n;
	uint8_t *bytes;           /* RECORDER_HELD_BYTES: the held packets' bytes, a FIFO of spans */
	int64_t now_key;          /* the place of the latest item handed out */
	bool dirty;               /* written since the last flush */
	uint64_t packets, calls_written, changes; /* recorded */
	uint8_t blk[LESSON_BLOCK_MAX]; /* a block being encoded */
};

/* Set up (false when out of memory) and write the lesson's header block. */
bool recorder_init(struct recorder *r, const struct recorder_opts *o, const struct recorder_out *out);
/* The session tap that feeds it. */
struct session_tap recorder_tap(struct recorder *r);
/* One item handed out (the tap's item()): with a packet, its body begins with its bytes. */
void recorder_item(struct recorder *r, const struct session_item *it);
/* Live: packets waiting for longer than RECORDER_WAIT_NS of wall-clock time go out; then to the disk. */
void recorder_tick(struct recorder *r, int64_t now_ns);
/* Every packet held goes out (with what is known of its cause), then to the disk. */
void recorder_flush(struct recorder *r);
void recorder_free(struct recorder *r);

/* The comment for a packet: its cause (NULL: no call) and the state change it made. Returns its length. */
size_t recorder_comment(char *buf, size_t n, const struct pkt_summary *p, const struct sock_event *cause);

#endif
