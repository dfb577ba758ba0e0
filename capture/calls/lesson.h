/* lesson.h — a lesson's blocks: the socket calls and socket-table changes a pcapng file carries beside its packets, encoded and read back. */
#ifndef SYNWATCH_LESSON_H
#define SYNWATCH_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "calls/timeline.h"

/*
 * A lesson is a pcapng file synwatch wrote while it knew the socket calls (--classroom, --events, --trace):
 * its packets, each with a comment naming the call that caused it, and between them custom blocks of
 * synwatch's (capture/source/pcapng.h: PEN 32473) whose custom data is one of these, every number in
 * network byte order:
 *
 *   "SWL1"   4 bytes: the tag (synwatch lesson, format 1); data without it is someone else's
 *   kind     1 byte: LESSON_HEADER, LESSON_CALL or LESSON_SOCKET
 *   0        3 bytes
 *   length   4 bytes: of the whole data from the tag on (the block pads it to 4 bytes with zeros)
 *   body     by kind:
 *     LESSON_HEADER  flags (4 bytes: LESSON_HAS_*), nports (2), each port (2): the first block, before
 *                    any packet
 *     LESSON_CALL    ts_us, dur_us (8 each), pid, fd (4 each), ret (8), errno value (4), local and remote
 *                    endpoints (20 each: af, 0, port (2), address (16)), then role, call, args, errno
 *                    name, return note, each a length (2) and its bytes (no NUL, no control byte)
 *     LESSON_SOCKET  at_ns (8), what (1: enum sockdiag_change), has_before, has_after (1 each), 0, then
 *                    the rows before and after (those present): proto, state, v6only, 0, local and
 *                    remote endpoints, Recv-Q, Send-Q, inode, uid, ifindex (4 each), cookie (8), and
 *                    tcp_info: valid, ca_state, retransmits, 0, mss, cwnd, ssthresh, srtt_us, rttvar_us,
 *                    unacked, total_retrans (4 each), delivery_rate, pacing_rate (8 each)
 *
 * Blocks stand in the order the classroom session handed their items out (a packet waiting for the
 * call that caused it may follow calls placed after it), so every block after one stands at or after its
 * place: a reader knows every call placed before the latest item it has read.
 */
#define LESSON_TAG "SWL1"
#define LESSON_PORTS_MAX 32
#define LESSON_BLOCK_MAX 1024 /* the largest data a block of these kinds takes */

enum lesson_kind {
	LESSON_HEADER = 1,
	LESSON_CALL = 2,
	LESSON_SOCKET = 3,
};

enum {
	LESSON_HAS_CALLS = 1u << 0,   /* the session had call sources: packets carry comments */
	LESSON_HAS_SOCKETS = 1u << 1, /* the kernel's socket table was read: its changes are there */
};

/* One block read back. */
struct lesson_block {
	uint8_t kind;                 /* enum lesson_kind */
	/* LESSON_HEADER */
	uint32_t flags;               /* LESSON_HAS_* */
	uint16_t ports[LESSON_PORTS_MAX]; /* the ports the socket table was read for (none: all) */
	size_t nports;
	/* LESSON_CALL */
	struct sock_event ev;
	/* LESSON_SOCKET: the change and where it stands on the timeline */
	int64_t at_ns;
	struct tl_note note;
};

/* Each writes one block's data into buf (LESSON_BLOCK_MAX bytes) and returns its length. */
size_t lesson_encode_header(uint8_t *buf, uint32_t flags, const uint16_t *ports, size_t nports);
size_t lesson_encode_call(uint8_t *buf, const struct sock_event *ev);
size_t lesson_encode_socket(uint8_t *buf, int64_t at_ns, const struct tl_note *note);

/*
 * Read one custom block's data (what follows the PEN): 1 with *b filled, 0 when it is not a lesson block
 * (no tag: another program's data under the same PEN), -1 when it is malformed, with a line in err saying
 * what is wrong ("call of 96 bytes: the args run past its end").
 */
int lesson_decode(const uint8_t *data, size_t len, struct lesson_block *b, char *err, size_t errlen);

#endif
