/* track.h — the words of tracking: a packet's direction within its flow and the events tracking reports. */
#ifndef SYNWATCH_TRACK_H
#define SYNWATCH_TRACK_H

/* Per-packet analysis events (bits of track_result.events); names from flow_event_name(). */
enum {
	EV_RETRANSMISSION = 1u << 0,      /* "retransmission" */
	EV_FAST_RETRANSMISSION = 1u << 1, /* "fast-retransmission" */
	EV_SPURIOUS_RETRANSMISSION = 1u << 2, /* "spurious-retransmission" */
	EV_OUT_OF_ORDER = 1u << 3,        /* "out-of-order" */
	EV_DUP_ACK = 1u << 4,             /* "dup-ack" (track_result.dup_ack_n says which) */
	EV_PREV_NOT_CAPTURED = 1u << 5,   /* "previous-segment-not-captured" */
	EV_ZERO_WINDOW = 1u << 6,         /* "zero-window" */
	EV_ZERO_WINDOW_PROBE = 1u << 7,   /* "zero-window-probe" */
	EV_WINDOW_UPDATE = 1u << 8,       /* "window-update" */
	EV_WINDOW_FULL = 1u << 9,         /* "window-full" */
	EV_KEEP_ALIVE = 1u << 10,         /* "keep-alive" */
	EV_RST = 1u << 11,                /* "rst" (by the end in track_result.dir) */
	EV_REFUSED = 1u << 12,            /* "connection-refused" (RST answering a SYN, or ICMP unreachable) */
	EV_NEW_FLOW = 1u << 13,           /* "new-flow": this packet created the flow */
	EV_PORT_REUSE = 1u << 14,         /* "port-reuse": a SYN on a closed flow's key started a new flow */
	EV_ICMP_ERROR = 1u << 15,         /* "icmp-error": an ICMP error quoting this flow's packet */
	EV_STATE_CHANGE = 1u << 16,       /* "state-change": state[] differs from before the packet */
	EV_COUNT_BITS = 17
};

enum flow_dir {
	DIR_C2S = 0, /* client to server */
	DIR_S2C = 1, /* server to client */
};

#endif
