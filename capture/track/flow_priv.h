/* flow_priv.h — private per-flow analysis state and table layout shared by flow.c and tcp_analysis.c. */
#ifndef SYNWATCH_FLOW_PRIV_H
#define SYNWATCH_FLOW_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "track/flow.h"

/* Bits of flow_priv.dflags[dir] (one direction's analysis facts). */
enum {
	DS_SEEN = 1u << 0,         /* a segment went this way: lastack/window/lastseg are meaningful */
	DS_NEXTSEQ = 1u << 1,      /* nextseq is known */
	DS_WIN_SYN = 1u << 2,      /* the stored window came from a SYN: never scaled */
	DS_LAST_KA = 1u << 3,      /* the last segment this way was a keep-alive */
	DS_LAST_ZWP = 1u << 4,     /* the last segment this way was a zero-window probe */
	DS_FIN = 1u << 5,          /* this end sent a FIN; nextseq is then one past it */
	DS_WS_OFFERED = 1u << 6,   /* this end's SYN carried a window-scale option (shift in wscale) */
	DS_SYN_SEEN = 1u << 7,     /* this end's SYN (or SYN-ACK) was seen */
};

/*
 * One direction's TCP analysis state (Wireshark's tcp_analyze_seq_info plus window), 16 bytes; its
 * flags and window-scale shift live in flow_priv.dflags/wscale so that nothing is padding.
 * Times are the low 32 bits of microseconds since the epoch; flow.c keeps every stored time within
 * 2^30 us of the newest packet (older ones are clamped to exactly 2^30 us ago), so differences taken
 * modulo 2^32 are exact up to ~17.9 minutes, far beyond any threshold compared against.
 */
struct flow_dirstate {
	uint32_t nextseq;     /* highest seq + len (+1 for SYN/FIN) sent this way */
	uint32_t lastack;     /* ack field of the last segment this way */
	uint32_t nextseq_us;  /* when nextseq last advanced */
	uint16_t dupacks;     /* duplicate ACKs in a row this way (saturates at 65535) */
	uint16_t win;         /* raw window field of the last segment this way */
};

/* Timeout / LRU classes; each has its own list ordered by last use. */
enum flow_class {
	FC_SYN = 0,   /* TCP, handshake not complete: 130 s */
	FC_EST,       /* TCP, established or closing: 300 s */
	FC_CLOSED,    /* TCP, both ends CLOSED/TIME-WAIT or reset: 60 s */
	FC_DGRAM,     /* UDP and ICMP echo: 60 s */
	FC_GONE,      /* SYN-only flows that expired, remembered until idle twice the SYN timeout (NODE_GONE) */
	FC_COUNT
};

/*
 * flow_priv.in_use. A NODE_GONE node holds a SYN-only flow that expired (it was counted and handed to the
 * remove hook, and is not listed) but is still hashed under its key, so that a SYN repeating its ISN
 * finds it and brings it back; its node is the last one a new flow takes.
 */
enum { NODE_FREE = 0, NODE_HASHED, NODE_DETACHED, NODE_GONE };

#define FLOW_NIL UINT32_MAX /* "no node" in the uint32 links below */

/* Per-flow private state, kept beside the public struct flow in its node: 56 bytes, no padding. */
struct flow_priv {
	uint32_t hnext;      /* next node in the hash chain (or in the free list) */
	uint32_t lprev, lnext; /* neighbours in the class's LRU list */
	uint32_t other_us;   /* time of the last packet in the direction opposite to last_dir */
	struct flow_dirstate d[2]; /* [DIR_C2S], [DIR_S2C] */
	uint8_t wscale[2];   /* shift each end announced in its SYN (valid with DS_WS_OFFERED) */
	uint8_t dflags[2];   /* DS_* per direction */
	uint8_t cls;         /* enum flow_class of the list it is on; FC_COUNT while on none */
	uint8_t last_dir;    /* direction of the last packet (its time is flow.last_ns) */
	uint8_t in_use;      /* NODE_FREE, NODE_HASHED, NODE_DETACHED (superseded by port reuse: listed, not
				findable), or NODE_GONE (expired SYN-only flow: findable, not listed) */
	uint8_t synack_seen; /* a SYN-ACK was seen (for ack_ns) */
};

/*
 * One pool entry: 232 bytes. The public part comes first so that a lookup's key comparison reads the
 * node's first cache line; tracking touches the rest, which flowtab_prefetch() fetches ahead.
 */
struct flow_node {
	struct flow f;
	struct flow_priv p;
};

struct flow_table {
	struct flow_node *nodes;  /* [cap] the pool */
	uint32_t *buckets;        /* [nbuckets] head node of each hash chain */
	uint32_t cap;             /* max flows (below FLOW_NIL: nodes are numbered in 32 bits) */
	uint32_t nbuckets;        /* a power of two */
	uint32_t free_head;       /* free-node list through priv.hnext (nodes freed by expiry/eviction) */
	uint32_t fresh;           /* nodes [fresh, cap) were never used */
	uint32_t lru_head[FC_COUNT], lru_tail[FC_COUNT];
	int64_t expire_ns;        /* no flow expires at or before this time: at most the earliest head of a
				     class list's last use plus its timeout (exact after each table_expire()) */
	int64_t now_ns;           /* newest packet timestamp seen (expiry clock) */
	int64_t timeout_ns[FC_GONE]; /* idle timeout of each class of flows (FC_GONE's: twice FC_SYN's) */
	struct flowtab_stats st;
	void (*on_remove)(const struct flow *f, bool evicted, void *arg); /* see flowtab_set_remove_hook() */
	void *on_remove_arg;
};

/* Analysis of one TCP segment (tcp_analysis.c): fills events/dup_ack_n, updates both directions' state. */
struct tcp_seginfo {
	uint32_t seq, ack;
	uint32_t seglen;   /* payload bytes on the wire */
	uint16_t flags;    /* TCP_* */
	uint16_t win;      /* raw window field */
	uint32_t now_us;   /* low 32 bits of the packet's microseconds */
	int64_t now_ns;
	bool have_ack;     /* the ACK field was captured */
	bool have_win;     /* the window field was captured */
	bool win_scale_offered; /* a SYN carrying the window-scale option */
	uint8_t win_scale; /* its shift count */
};
uint32_t tcp_analyze(struct flow *f, struct flow_priv *p, enum flow_dir dir, const struct tcp_seginfo *s,
		     uint32_t *dup_ack_n);

/* Time of the last packet in direction dir, in the low 32 bits of microseconds. */
static inline uint32_t flow_priv_lasttime_us(const struct flow *f, const struct flow_priv *p, enum flow_dir dir)
{
	if (p->last_dir == dir)
		return (uint32_t)(f->last_ns / 1000);
	return p->other_us;
}

#endif
