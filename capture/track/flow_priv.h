/* flow_priv.h — the flow table's private layout: per-flow node, LRU classes, table header (flow.c and its tests). */
#ifndef SYNWATCH_FLOW_PRIV_H
#define SYNWATCH_FLOW_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "track/flow.h"
#include "track/tcp_analysis.h"

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
	struct tcp_anstate an; /* the TCP analysis' state (tcp_analysis.h) */
	uint8_t cls;         /* enum flow_class of the list it is on; FC_COUNT while on none */
	uint8_t last_dir;    /* direction of the last packet (its time is flow.last_ns) */
	uint8_t in_use;      /* NODE_FREE, NODE_HASHED, NODE_DETACHED (superseded by port reuse: listed, not
				findable), or NODE_GONE (expired SYN-only flow: findable, not listed) */
	uint8_t synack_seen; /* a SYN-ACK was seen (for ack_ns) */
};

/*
 * One pool entry: 248 bytes. The public part comes first so that a lookup's key comparison reads the
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
	bool conn_history;        /* keep flow.zeek up to date (flowtab_set_conn_history) */
	int64_t timeout_ns[FC_GONE]; /* idle timeout of each class of flows (FC_GONE's: twice FC_SYN's) */
	struct flowtab_stats st;
	void (*on_remove)(const struct flow *f, bool evicted, void *arg); /* see flowtab_set_remove_hook() */
	void *on_remove_arg;
};

/* Time of the last packet in direction dir, in the low 32 bits of microseconds. */
static inline uint32_t flow_priv_lasttime_us(const struct flow *f, const struct flow_priv *p, enum flow_dir dir)
{
	if (p->last_dir == dir)
		return (uint32_t)(f->last_ns / 1000);
	return p->other_us;
}

#endif
