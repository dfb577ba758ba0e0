/* sockdiag.h — the kernel's TCP/UDP socket table through NETLINK_SOCK_DIAG (like `ss -tuan`), and its changes. */
#ifndef SYNWATCH_SOCKDIAG_H
#define SYNWATCH_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"

/* A TCP socket's own numbers (struct tcp_info of <linux/tcp.h>, INET_DIAG_INFO), as the kernel reported
   them at the snapshot. Only connections have them: not listeners, TIME-WAIT or request (SYN-RECV) sockets. */
struct sockdiag_tcpinfo {
	bool valid;             /* the kernel sent tcp_info for this socket */
	uint8_t ca_state;       /* congestion state: 0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss (TCP_CA_*) */
	uint8_t retransmits;    /* retransmissions of the oldest unacknowledged segment (timeouts in a row) */
	uint32_t mss;           /* sender's MSS (tcpi_snd_mss), bytes */
	uint32_t cwnd;          /* congestion window, segments (tcpi_snd_cwnd) */
	uint32_t ssthresh;      /* slow-start threshold, segments; TCP_INFINITE_SSTHRESH (0x7fffffff) = none yet */
	uint32_t srtt_us;       /* smoothed round-trip time, µs (tcpi_rtt) */
	uint32_t rttvar_us;     /* its variation, µs (tcpi_rttvar) */
	uint32_t unacked;       /* segments sent and not acknowledged (tcpi_unacked) */
	uint32_t total_retrans; /* segments retransmitted over the connection's life */
	uint64_t delivery_rate; /* bytes per second the last round trip delivered (0 until measured) */
	uint64_t pacing_rate;   /* bytes per second the kernel paces at; UINT64_MAX: no pacing limit */
};

#define SOCKDIAG_SSTHRESH_NONE 0x7fffffffu /* the kernel's TCP_INFINITE_SSTHRESH: slow start not left yet */

/* One socket as the kernel reports it (inet_diag_msg, Linux include/uapi/linux/inet_diag.h). */
struct sockdiag_row {
	uint8_t proto;          /* 6 TCP or 17 UDP */
	uint8_t state;          /* kernel state number: 1 ESTABLISHED .. 10 LISTEN, 11 CLOSING (TCP_* of
	                           include/net/tcp_states.h); UDP: 7 (unconnected) or 1 (connected) */
	bool v6only;            /* IPv6 socket with IPV6_V6ONLY: ss prints its any-address as [::], else * */
	struct endpoint local;  /* af 4 or 6, always set; port 0 = none */
	struct endpoint remote; /* af as local; all-zero address and port 0 for listeners/unconnected */
	uint32_t rqueue;        /* Recv-Q: bytes not yet read; LISTEN: connections waiting for accept() */
	uint32_t wqueue;        /* Send-Q: bytes not yet acknowledged; LISTEN: the backlog */
	uint32_t inode;         /* socket inode (as /proc/PID/fd shows "socket:[INODE]"); 0 in TIME-WAIT */
	uint32_t uid;           /* owner */
	uint32_t ifindex;       /* bound interface, 0 none */
	uint64_t cookie;        /* the kernel's socket id: the same from SYN-SENT/ESTAB through TIME-WAIT */
	struct sockdiag_tcpinfo info; /* TCP: the kernel's own numbers (INET_DIAG_INFO) */
};

/*
 * Reads the kernel's table of TCP and UDP sockets, IPv4 and IPv6, in every state, keeping those whose
 * local or remote port is one of ports[0..nports) (all when nports is 0); TCP sockets with their tcp_info. Stores at most max rows,
 * sorted by sockdiag_cmp. Returns how many rows matched (more than max means some were left out), or
 * -1 with a one-line message in err when the netlink socket cannot be used.
 */
int sockdiag_snapshot(struct sockdiag_row *rows, size_t max, const uint16_t *ports, size_t nports, char *err,
		      size_t errlen);

/* Identity order: protocol, then cookie (then family and endpoints when a cookie is 0). */
int sockdiag_cmp(const struct sockdiag_row *a, const struct sockdiag_row *b);
void sockdiag_sort(struct sockdiag_row *rows, size_t n);

/* ss's name for a state: LISTEN, SYN-SENT, SYN-RECV, ESTAB, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
   LAST-ACK, TIME-WAIT, UNCONN (closed / unconnected UDP); "UNKNOWN" otherwise. */
const char *sockdiag_state_name(uint8_t state);

/* "tcp" or "udp". */
const char *sockdiag_proto_name(uint8_t proto);

/* The congestion state's name: "open", "disorder", "cwr", "recovery", "loss"; "unknown" otherwise. */
const char *sockdiag_ca_state_name(uint8_t ca_state);

/* An address as ss prints it: "127.0.0.1:8888", "[::1]:8888", "0.0.0.0:*", "*:8888" (dual-stack any),
   "[::]:*" (v6only any), "[fe80::1]%lo:8888". Returns the length snprintf would. */
int sockdiag_format_addr(const struct sockdiag_row *r, const struct endpoint *ep, char *buf, size_t n);

/* A row as `ss -tuan` prints it (without Process): "tcp   ESTAB  0  0  127.0.0.1:8888  127.0.0.1:40000",
   columns padded as SOCKDIAG_HEADER. Returns the length snprintf would. */
int sockdiag_format(const struct sockdiag_row *r, char *buf, size_t n);
#define SOCKDIAG_HEADER "Netid State      Recv-Q Send-Q Local Address:Port         Peer Address:Port"

/* What happened to one socket between two snapshots. */
enum sockdiag_change {
	SOCKDIAG_APPEARED = 0, /* only in the new snapshot: before is NULL */
	SOCKDIAG_GONE = 1,     /* only in the old snapshot: after is NULL */
	SOCKDIAG_STATE = 2,    /* in both, state or endpoints differ */
	SOCKDIAG_QUEUES = 3,   /* in both, same state, Recv-Q/Send-Q differ (only with SOCKDIAG_DIFF_QUEUES) */
};

#define SOCKDIAG_DIFF_QUEUES 1u /* flag: also report queue-size changes */

typedef void (*sockdiag_change_fn)(enum sockdiag_change what, const struct sockdiag_row *before,
				   const struct sockdiag_row *after, void *arg);

/*
 * Compares two snapshots, both sorted by sockdiag_cmp (as sockdiag_snapshot returns them), calling fn
 * once per changed socket in sockdiag_cmp order. Returns the number of changes reported, or -1 (and
 * calls nothing) when either array is not sorted or holds the same socket twice.
 */
int sockdiag_diff(const struct sockdiag_row *old, size_t nold, const struct sockdiag_row *new_rows,
		  size_t nnew, unsigned flags, sockdiag_change_fn fn, void *arg);

/* "+", "-", "~" or "q" for printing changes ("+ tcp ESTAB ..."). */
const char *sockdiag_change_mark(enum sockdiag_change what);

#endif
