/* sockloss.h — loss without netem or root: classic BPF socket filters that drop a share of the data segments a TCP socket receives. */
#ifndef SYNWATCH_SOCKLOSS_H
#define SYNWATCH_SOCKLOSS_H

#include <linux/filter.h>

/*
 * Programs for SO_ATTACH_FILTER on a connected TCP socket. A packet longer than 100 bytes (the TCP header is
 * at most 60: it carries data) may be dropped, everything else is kept. The kernel runs a socket's filter
 * after the packet crossed the interface, so a capture on it still holds the segment, then the duplicate
 * ACKs (with SACK blocks) and the retransmission that follow. Attaching a filter to one's own socket needs
 * no privilege.
 */
#define SOCKLOSS_LEN 7

/* Each data segment dropped with probability permille/1000 (SKF_AD_RANDOM). */
void sockloss_random(struct sock_filter code[SOCKLOSS_LEN], unsigned permille);

/* IPv4 only: each data segment whose IP identification is a multiple of n (a power of two, 2 to 32768)
   dropped. Linux numbers a connection's packets one after another (from a random start), and a
   retransmission gets a number of its own, so this drops one segment in n, at regular intervals, and lets
   the retransmission through (unless its number is a multiple of n too: then the next one). */
void sockloss_every(struct sock_filter code[SOCKLOSS_LEN], unsigned n);

#endif
