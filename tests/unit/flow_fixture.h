/* flow_fixture.h — hand-built decoded packets (loopback only) for the flow, analysis and ladder tests. */
#ifndef SYNWATCH_FLOW_FIXTURE_H
#define SYNWATCH_FLOW_FIXTURE_H

#include <string.h>

#include "track/flow.h"
#include "packet.h"

/* One TCP/UDP conversation between 127.0.0.<chost>:cport and 127.0.0.<shost>:sport (or ::1 / ::2 for v6). */
struct conn {
	struct flow_table *t;
	int v6;               /* 0: IPv4, 1: IPv6 */
	uint8_t chost, shost; /* last address byte of client and server */
	uint16_t cport, sport;
	uint32_t ciss, siss;  /* initial sequence numbers, so tests can speak in relative numbers */
	int64_t t_us;         /* clock: microseconds since 1_700_000_000 s */
	uint64_t n;           /* packet number */
	struct packet p;      /* last packet built */
	struct track_result r; /* its result */
};

/* A suite's flow table, made by its CUnit set-up and freed by its clean-up; fixture_table() reads it. */
static inline struct flow_table **fixture_table_slot(void)
{
	static struct flow_table *t;
	return &t;
}
static inline struct flow_table *fixture_table(void)
{
	return *fixture_table_slot();
}
static inline int fixture_table_setup(void)
{
	*fixture_table_slot() = flowtab_new(64);
	return fixture_table() ? 0 : 1;
}
static inline int fixture_table_teardown(void)
{
	flowtab_free(fixture_table());
	*fixture_table_slot() = NULL;
	return 0;
}

static inline void conn_init(struct conn *c, struct flow_table *t, int v6, uint16_t cport, uint16_t sport)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	c->v6 = v6;
	c->chost = 1;
	c->shost = v6 ? 2 : 1;
	c->cport = cport;
	c->sport = sport;
	c->ciss = 1000000;
	c->siss = 4000000000u; /* wraps past 2^32 during tests with data */
}

static inline void fixture_addr(uint8_t *a, int v6, uint8_t last)
{
	memset(a, 0, 16);
	if (v6) {
		a[15] = last; /* ::1, ::2 */
	} else {
		a[0] = 127;
		a[3] = last;
	}
}

/* The IP part of a packet from the client (from_client) or the server, dt_us after the previous one. */
static inline struct packet *conn_ip(struct conn *c, int from_client, int64_t dt_us, enum l4_kind l4)
{
	struct packet *p = &c->p;
	memset(p, 0, sizeof *p);
	c->t_us += dt_us;
	p->n = ++c->n;
	p->ts_sec = 1700000000 + c->t_us / 1000000;
	p->ts_nsec = (uint32_t)(c->t_us % 1000000) * 1000;
	p->link_supported = true;
	p->has_ip = true;
	p->ip.have = HAVE_IP;
	p->ip.version = c->v6 ? 6 : 4;
	fixture_addr(p->ip.src, c->v6, from_client ? c->chost : c->shost);
	fixture_addr(p->ip.dst, c->v6, from_client ? c->shost : c->chost);
	p->ip.l4 = l4;
	p->ip.proto = l4 == L4_TCP ? 6 : l4 == L4_UDP ? 17 : l4 == L4_ICMP ? 1 : 58;
	return p;
}

/* A TCP segment in relative numbers (rseq/rack from each side's ISN, as Wireshark numbers a SYN 0). */
static inline const struct track_result *seg(struct conn *c, int from_client, uint16_t flags, uint32_t rseq,
					     uint32_t rack, uint32_t len, uint16_t win, int64_t dt_us)
{
	struct packet *p = conn_ip(c, from_client, dt_us, L4_TCP);
	struct tcp_hdr *th = &p->ip.u.tcp;
	p->ip.have |= HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN | HAVE_TCPOPTS | HAVE_PAYLOAD;
	th->sport = from_client ? c->cport : c->sport;
	th->dport = from_client ? c->sport : c->cport;
	th->seq = (from_client ? c->ciss : c->siss) + rseq;
	th->ack = (flags & TCP_ACK) ? (from_client ? c->siss : c->ciss) + rack : 0;
	th->flags = flags;
	th->hdr_len = 20;
	th->win = win;
	p->ip.payload_wire = len;
	flow_track(c->t, p, &c->r);
	return &c->r;
}

/* A SYN or SYN-ACK with options mss 65495, sackOK, TS, ws `ws` (ws < 0: no window-scale option). */
static inline const struct track_result *syn(struct conn *c, int from_client, int ack, int ws, int64_t dt_us)
{
	struct packet *p = conn_ip(c, from_client, dt_us, L4_TCP);
	struct tcp_hdr *th = &p->ip.u.tcp;
	p->ip.have |= HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN | HAVE_TCPOPTS | HAVE_PAYLOAD;
	th->sport = from_client ? c->cport : c->sport;
	th->dport = from_client ? c->sport : c->cport;
	th->seq = from_client ? c->ciss : c->siss;
	th->flags = TCP_SYN | (ack ? TCP_ACK : 0);
	th->ack = ack ? (from_client ? c->siss : c->ciss) + 1 : 0;
	th->hdr_len = 40;
	th->win = 65495;
	th->opt_have = TCPOPT_HAVE_MSS | TCPOPT_HAVE_SACK_OK | TCPOPT_HAVE_TS;
	th->mss = 65495;
	if (ws >= 0) {
		th->opt_have |= TCPOPT_HAVE_WSCALE;
		th->wscale = (uint8_t)ws;
	}
	flow_track(c->t, p, &c->r);
	return &c->r;
}

/* A UDP datagram with len payload bytes. */
static inline const struct track_result *udp(struct conn *c, int from_client, uint32_t len, int64_t dt_us)
{
	struct packet *p = conn_ip(c, from_client, dt_us, L4_UDP);
	p->ip.have |= HAVE_PORTS | HAVE_UDPLEN | HAVE_PAYLOAD;
	p->ip.u.udp.sport = from_client ? c->cport : c->sport;
	p->ip.u.udp.dport = from_client ? c->sport : c->cport;
	p->ip.u.udp.len = (uint16_t)(8 + len);
	p->ip.payload_wire = len;
	flow_track(c->t, p, &c->r);
	return &c->r;
}

/*
 * An ICMP (v4) or ICMPv6 error sent by the server host to the client, quoting the client's last
 * datagram/segment: type/code as given (3/3 and 1/4 are port unreachable).
 */
static inline const struct track_result *icmp_err(struct conn *c, int tcp, uint8_t type, uint8_t code,
						  int64_t dt_us)
{
	struct packet *p = conn_ip(c, 0, dt_us, c->v6 ? L4_ICMP6 : L4_ICMP);
	p->ip.have |= HAVE_ICMP | HAVE_ICMP_REST;
	p->ip.u.icmp.type = type;
	p->ip.u.icmp.code = code;
	p->has_inner = true;
	struct ip_layer *in = &p->inner;
	in->have = HAVE_IP | HAVE_PORTS;
	in->version = c->v6 ? 6 : 4;
	fixture_addr(in->src, c->v6, c->chost);
	fixture_addr(in->dst, c->v6, c->shost);
	in->l4 = tcp ? L4_TCP : L4_UDP;
	in->proto = tcp ? 6 : 17;
	if (tcp) {
		in->u.tcp.sport = c->cport;
		in->u.tcp.dport = c->sport;
	} else {
		in->u.udp.sport = c->cport;
		in->u.udp.dport = c->sport;
	}
	flow_track(c->t, p, &c->r);
	return &c->r;
}

/* An ICMP echo request (client) or reply (server) with identifier id. */
static inline const struct track_result *echo(struct conn *c, int from_client, uint16_t id, uint16_t sq,
					      int64_t dt_us)
{
	struct packet *p = conn_ip(c, from_client, dt_us, c->v6 ? L4_ICMP6 : L4_ICMP);
	p->ip.have |= HAVE_ICMP | HAVE_ICMP_REST | HAVE_PAYLOAD;
	p->ip.u.icmp.type = c->v6 ? (from_client ? 128 : 129) : (from_client ? 8 : 0);
	p->ip.u.icmp.id = id;
	p->ip.u.icmp.seq = sq;
	p->ip.payload_wire = 56;
	flow_track(c->t, p, &c->r);
	return &c->r;
}

#endif
