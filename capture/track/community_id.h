/* community_id.h — the Community ID v1 of a flow (Corelight's community-id-spec): SHA-1 of its ordered endpoints, in base64. */
#ifndef SYNWATCH_COMMUNITY_ID_H
#define SYNWATCH_COMMUNITY_ID_H

#include <stdbool.h>
#include <stdint.h>

/* "1:" and 28 base64 characters. */
#define COMMUNITY_ID_LEN 30

/* One flow's tuple as the spec hashes it. */
struct community_tuple {
	uint16_t seed;               /* 0 unless agreed otherwise */
	uint8_t af;                  /* 4 or 6 */
	const uint8_t *saddr, *daddr; /* 4 or 16 bytes, network order */
	uint8_t proto;               /* IP protocol number */
	bool has_ports;              /* TCP, UDP, SCTP, ICMP (ports from community_id_icmp_ports) */
	uint16_t sport, dport;
	bool one_way;                /* an ICMP type without a counterpart: the endpoints keep their order */
};

/* The Community ID into out (COMMUNITY_ID_LEN + 1 bytes), NUL-terminated. */
void community_id_v1(const struct community_tuple *t, char *out);

/*
 * The "ports" of an ICMP (v6 false) or ICMPv6 message, as Zeek maps them: its type, and the type of its
 * counterpart (echo request and reply, ...) or else its code. Returns true when the type has no
 * counterpart (one-way).
 */
bool community_id_icmp_ports(bool v6, uint8_t type, uint8_t code, uint16_t *sport, uint16_t *dport);

struct flow;
/* A flow's Community ID, seed 0: TCP/UDP from its ports, an ICMP echo flow as echo requests and replies. */
void flow_community_id(const struct flow *f, char *out);

#endif
