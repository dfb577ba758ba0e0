/* gencap.c — deterministic benchmark capture: a seeded mix of TCP, DNS-like UDP and ICMP errors on loopback addresses. */
/*
 * Usage: gencap [-s SEED] [-n PACKETS] [-c CONNECTIONS] [-a CLIENT_HOSTS] [-F FLOWS] -o FILE
 *
 * Writes a classic pcap (microsecond timestamps, LINKTYPE_EN10MB) with its own writer. Same seed and
 * options give the same bytes on every machine: the PRNG is xoshiro256** seeded by splitmix64, the
 * clock advances by integer steps (no floating point), all multi-byte fields are written explicitly.
 *
 * Default mode (-n, -c): CONNECTIONS TCP connections are open at any time; each packet slot either
 * delivers a delayed answer (DNS response, ICMP error), starts a DNS-like query or a UDP datagram to a
 * closed port, or advances one randomly chosen TCP connection by one segment (handshake with MSS,
 * SACK-permitted, timestamps and window scale; request/response rounds with ACKs every two segments;
 * a few retransmissions and duplicate ACKs; FIN from either side, RST, or a refused SYN). A finished
 * connection is replaced by a new one. About 10% of everything is IPv6.
 *
 * Clients: CLIENT_HOSTS IPv4 hosts (default 2048) and a quarter as many IPv6 hosts, each opening many
 * connections from ports 49152-54151 (never two open connections on the same address and port). Not
 * one new address per connection: tcpdump caches address strings in a 4096-bucket table indexed by
 * the address's first bytes in memory order, so on little-endian machines every 127.x.y.z lands in
 * one of 16 buckets; with hundreds of thousands of distinct loopback addresses (2M packets of a
 * new-client-per-connection mix) a tcpdump run took 14 minutes instead of ~20 s. That is an artefact of
 * all-loopback addressing, not of real traffic, so the default keeps the host count realistic.
 * Packet mix: ~78% TCP, ~20% UDP, ~2% ICMP port unreachable quoting the UDP datagram.
 *
 * Flow mode (-F FLOWS): FLOWS SYNs from distinct 127.a.b.c client addresses that never close, for
 * measuring the flow table's memory with that many concurrent flows.
 *
 * Addresses are data in a file, never sent: IPv4 only in 127.0.0.0/8, IPv6 only in fd00::/8 (ULA).
 * Exit codes: 0 written, 1 write failure, 2 bad command line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNAPLEN 262144u
#define START_SEC 1700000000u /* 2023-11-14 22:13:20 UTC: the capture's first second */
#define MAX_FRAME 1600
#define PENDING_MAX 4096      /* delayed answers waiting at once (typically a few dozen) */

/* ---------- PRNG: xoshiro256** seeded through splitmix64 ---------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) (n ≤ 2^32), by multiply-shift. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability per_mille / 1000. */
static bool rng_chance(struct rng *r, uint32_t per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* ---------- byte writers ---------- */

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Internet checksum partial sum (RFC 1071) over n bytes, big-endian 16-bit words. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---------- addresses ---------- */

/* An IPv4 (first 4 bytes of b) or IPv6 address. */
struct addr {
	bool v6;
	uint8_t b[16];
};

static struct addr addr4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct addr x = { .v6 = false, .b = { a, b, c, d } };
	return x;
}

/* fd00::/8 unique local: fd00:0:0:NET::HOST (NET 0 for servers, 1 for clients). */
static struct addr addr6(uint16_t net, uint64_t host)
{
	struct addr x = { .v6 = true, .b = { 0xfd, 0x00 } };
	put16(x.b + 6, net);
	put32(x.b + 8, (uint32_t)(host >> 32));
	put32(x.b + 12, (uint32_t)host);
	return x;
}

/*
 * Client host k of a pool (k < 65536): 127.A.B.C with A random in 1-254 and B.C a bijective scramble
 * of k, or fd00:0:0:1:R:R:R:k with R random — distinct by construction.
 */
static struct addr addr_client(struct rng *r, bool v6, uint32_t k)
{
	if (v6)
		return addr6(1, (rng_next(r) & ~0xffffull) | k);
	uint32_t x = (k * 40503u) & 0xffffu;
	return addr4(127, (uint8_t)(1 + rng_below(r, 254)), (uint8_t)(x >> 8), (uint8_t)x);
}

#define N_SERVERS 16
static struct addr addr_server(struct rng *r, bool v6)
{
	uint32_t i = rng_below(r, N_SERVERS);
	return v6 ? addr6(0, 0x10 + i) : addr4(127, 0, 0, (uint8_t)(10 + i));
}

/*
 * A client's ephemeral port: 49152-54151 (the start of IANA's dynamic range), where Wireshark 4.0
 * registers no TCP/UDP dissector, so tshark dissects the traffic by the server's port or as data.
 */
#define CLIENT_PORTS 5000u
static uint16_t port_client(struct rng *r)
{
	return (uint16_t)(49152 + rng_below(r, CLIENT_PORTS));
}

static struct addr addr_dns(bool v6)
{
	return v6 ? addr6(0, 0x53) : addr4(127, 0, 0, 53);
}

/* A locally administered MAC derived from an address, so each host keeps its MAC. */
static void mac_of(uint8_t *m, const struct addr *a)
{
	uint64_t h = 0x243f6a8885a308d3ull;
	for (int i = 0; i < 16; i++)
		h = (h ^ a->b[i]) * 0x100000001b3ull;
	m[0] = 0x02;
	m[1] = (uint8_t)(h >> 8);
	m[2] = (uint8_t)(h >> 16);
	m[3] = (uint8_t)(h >> 24);
	m[4] = (uint8_t)(h >> 32);
	m[5] = (uint8_t)(h >> 40);
}

/* ---------- frames ---------- */

enum { IPPROTO_ICMP_ = 1, IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17, IPPROTO_ICMPV6_ = 58 };

/* Ethernet + IP header for an l4len-byte payload of protocol proto; returns the offset of layer 4. */
static size_t frame_ip(uint8_t *f, const struct addr *src, const struct addr *dst, uint8_t proto, size_t l4len,
		       uint16_t ipid, bool df)
{
	mac_of(f, dst);
	mac_of(f + 6, src);
	if (!src->v6) {
		put16(f + 12, 0x0800);
		uint8_t *ip = f + 14;
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (uint32_t)(20 + l4len));
		put16(ip + 4, ipid);
		put16(ip + 6, df ? 0x4000 : 0);
		ip[8] = 64;
		ip[9] = proto;
		put16(ip + 10, 0);
		memcpy(ip + 12, src->b, 4);
		memcpy(ip + 16, dst->b, 4);
		put16(ip + 10, sum_fold(sum_bytes(0, ip, 20)));
		return 34;
	}
	put16(f + 12, 0x86dd);
	uint8_t *ip = f + 14;
	(void)ipid;
	uint8_t m[6];
	mac_of(m, src);
	uint32_t label = ((uint32_t)m[3] << 12 ^ (uint32_t)m[4] << 4 ^ m[5]) & 0xfffffu; /* constant per source host */
	put32(ip, 0x60000000u | label);
	put16(ip + 4, (uint32_t)l4len);
	ip[6] = proto;
	ip[7] = 64;
	memcpy(ip + 8, src->b, 16);
	memcpy(ip + 24, dst->b, 16);
	return 54;
}

/* Fill the layer-4 checksum at l4 + cksum_off over the pseudo-header (RFC 768/793/8200) and l4len bytes. */
static void frame_l4sum(uint8_t *f, size_t l4off, size_t l4len, uint8_t proto, size_t cksum_off, bool pseudo)
{
	uint8_t *l4 = f + l4off;
	uint32_t sum = 0;
	put16(l4 + cksum_off, 0);
	if (pseudo) {
		bool v6 = l4off == 54;
		const uint8_t *ip = f + 14;
		if (v6) {
			sum = sum_bytes(sum, ip + 8, 32);
			sum += (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
		} else {
			sum = sum_bytes(sum, ip + 12, 8);
			sum += (uint32_t)l4len;
		}
		sum += proto;
	}
	sum = sum_bytes(sum, l4, l4len);
	uint16_t c = sum_fold(sum);
	if (proto == IPPROTO_UDP_ && c == 0)
		c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	put16(l4 + cksum_off, c);
}

/*
 * Deterministic payload for (key, seq), so a retransmission regenerates the same bytes. Printable text
 * (64 symbols) rather than random binary: Wireshark's heuristic dissectors (Thrift, ...) claim some
 * random binary payloads and then report them malformed, which would hide real generator mistakes.
 */
static void fill_payload(uint8_t *p, size_t n, uint64_t key, uint32_t seq)
{
	static const char sym[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .";
	uint64_t x = key * 0x9e3779b97f4a7c15ull ^ seq;
	size_t i = 0;
	while (i < n) {
		uint64_t v = splitmix64(&x);
		for (int k = 0; k < 10 && i < n; k++, i++)
			p[i] = (uint8_t)sym[(v >> (6 * k)) & 63];
	}
}

/* ---------- pcap writer ---------- */

/* Packet classes counted for the summary. */
enum cls { CLS_TCP, CLS_UDP, CLS_ICMP, CLS_COUNT };

struct gen {
	struct rng rng;
	FILE *out;
	const char *out_name;
	uint64_t now_us;          /* capture clock, microseconds since the epoch */
	uint64_t slot;            /* packet slots elapsed (the delay queue's clock) */
	uint64_t written;         /* packets written */
	uint64_t bytes;           /* frame bytes written */
	uint64_t by_cls[CLS_COUNT];
	uint64_t v6;              /* IPv6 packets */
	uint64_t conns_started;   /* TCP connections begun (SYNs, not counting retransmissions) */
	uint64_t rexmits, dupacks, resets, refused;
	bool failed;
	/*
	 * Client hosts: every TCP connection, DNS query and UDP probe comes from one of pool_n IPv4 and
	 * pool_n/4 IPv6 addresses (distinct), from a port that no open connection of that host uses.
	 */
	struct addr *pool4, *pool6;
	uint32_t pool_n4, pool_n6;
	uint8_t *ports4, *ports6; /* bit per (host, port - 49152): in use by an open TCP connection */
};

static void pcap_header(struct gen *g)
{
	uint8_t h[24];
	put32le(h, 0xa1b2c3d4u);
	h[4] = 2; h[5] = 0;   /* version 2.4, little-endian */
	h[6] = 4; h[7] = 0;
	put32le(h + 8, 0);    /* thiszone */
	put32le(h + 12, 0);   /* sigfigs */
	put32le(h + 16, SNAPLEN);
	put32le(h + 20, 1);   /* LINKTYPE_EN10MB */
	if (fwrite(h, 1, sizeof h, g->out) != sizeof h)
		g->failed = true;
}

static void pcap_emit(struct gen *g, const uint8_t *f, size_t len, enum cls c, bool v6)
{
	uint8_t h[16];
	put32le(h, (uint32_t)(g->now_us / 1000000u));
	put32le(h + 4, (uint32_t)(g->now_us % 1000000u));
	put32le(h + 8, (uint32_t)len);
	put32le(h + 12, (uint32_t)len);
	if (fwrite(h, 1, sizeof h, g->out) != sizeof h || fwrite(f, 1, len, g->out) != len)
		g->failed = true;
	g->written++;
	g->bytes += len;
	g->by_cls[c]++;
	g->v6 += v6;
}

/* ---------- TCP ---------- */

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08, TH_ACK = 0x10 };
enum opts { OPT_NONE, OPT_SYN, OPT_TS };

/* One segment to build. */
struct seg {
	const struct addr *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	enum opts opts;
	uint32_t tsval, tsecr;    /* with OPT_SYN / OPT_TS */
	uint16_t paylen;
	uint64_t paykey;          /* fill_payload key (the connection and direction) */
	uint16_t ipid;
};

static size_t tcp_build(uint8_t *f, const struct seg *s)
{
	size_t optlen = s->opts == OPT_SYN ? 20 : s->opts == OPT_TS ? 12 : 0;
	size_t hl = 20 + optlen;
	size_t l4len = hl + s->paylen;
	size_t off = frame_ip(f, s->src, s->dst, IPPROTO_TCP_, l4len, s->ipid, !(s->flags & TH_RST));
	uint8_t *t = f + off;
	put16(t, s->sport);
	put16(t + 2, s->dport);
	put32(t + 4, s->seq);
	put32(t + 8, s->ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = s->flags;
	put16(t + 14, s->win);
	put16(t + 16, 0);
	put16(t + 18, 0);
	uint8_t *o = t + 20;
	if (s->opts == OPT_SYN) {
		/* Linux's SYN options: MSS, SACK permitted, timestamps, NOP, window scale (RFC 9293, 2018, 7323). */
		o[0] = 2; o[1] = 4; put16(o + 2, 1460);
		o[4] = 4; o[5] = 2;
		o[6] = 8; o[7] = 10; put32(o + 8, s->tsval); put32(o + 12, s->tsecr);
		o[16] = 1;
		o[17] = 3; o[18] = 3; o[19] = 7;
	} else if (s->opts == OPT_TS) {
		o[0] = 1; o[1] = 1;
		o[2] = 8; o[3] = 10; put32(o + 4, s->tsval); put32(o + 8, s->tsecr);
	}
	fill_payload(t + hl, s->paylen, s->paykey, s->seq);
	frame_l4sum(f, off, l4len, IPPROTO_TCP_, 16, true);
	return off + l4len;
}

enum phase {
	PH_SYN, PH_SYNACK, PH_REFUSE, PH_ACK3, PH_REQ, PH_RESP,
	PH_FIN_A, PH_FIN_B, PH_LAST_ACK, PH_RST, PH_DONE
};

/* A retransmission waiting to be sent (the segment is rebuilt from these fields). */
struct rexmit {
	bool pending;
	bool s2c;                 /* sent by the server */
	uint32_t seq, ack;
	uint16_t len;
	uint8_t flags;
};

/* One TCP connection in progress. */
struct conn {
	uint64_t id;              /* distinct per connection; keys payload bytes */
	struct addr cli, srv;
	uint16_t cport, sport;
	uint32_t host;            /* the client's index in its pool (its port is reserved there) */
	uint32_t cnxt, snxt;      /* next sequence number the client / server sends */
	uint32_t cts_base, sts_base; /* each end's timestamp clock offset (RFC 7323 TSval) */
	uint32_t cts_last, sts_last; /* last TSval each end sent; the other end echoes it */
	uint16_t cipid, sipid;    /* IPv4 identification counters */
	uint8_t phase;
	uint8_t rounds;           /* request/response rounds left, including the current one */
	uint8_t unacked;          /* server segments since the client's last ACK */
	uint8_t dupacks;          /* duplicate ACKs the client still sends */
	bool server_closes;       /* the server sends the first FIN */
	uint32_t resp_left;       /* response bytes the server still sends in this round */
	struct rexmit rx;
};

#define MSS_PAYLOAD 1448u     /* MSS 1460 minus 12 bytes of timestamp option */
#define CLIENT_WIN 502u       /* 64256 >> 7 */
#define SERVER_WIN 509u       /* 65152 >> 7 */

static const uint16_t server_ports[] = { 18000, 18001, 18002, 18003 }; /* no Wireshark dissector claims these */

/* The port-in-use bit of (host, port) in the pool of family v6. */
static bool pool_bit(struct gen *g, bool v6, uint32_t host, uint16_t port, int set)
{
	uint64_t i = (uint64_t)host * CLIENT_PORTS + (port - 49152u);
	uint8_t *map = v6 ? g->ports6 : g->ports4;
	bool was = map[i / 8] >> (i % 8) & 1;
	if (set > 0)
		map[i / 8] |= (uint8_t)(1u << (i % 8));
	else if (set < 0)
		map[i / 8] &= (uint8_t)~(1u << (i % 8));
	return was;
}

/* A client host from the pool (and for TCP, a port it has free, reserved until conn_release). */
static const struct addr *pool_pick(struct gen *g, bool v6, uint32_t *host)
{
	uint32_t n = v6 ? g->pool_n6 : g->pool_n4;
	*host = rng_below(&g->rng, n);
	return v6 ? &g->pool6[*host] : &g->pool4[*host];
}

static bool pool_init(struct gen *g, uint32_t hosts)
{
	g->pool_n4 = hosts;
	g->pool_n6 = hosts / 4 ? hosts / 4 : 1;
	g->pool4 = calloc(g->pool_n4, sizeof *g->pool4);
	g->pool6 = calloc(g->pool_n6, sizeof *g->pool6);
	g->ports4 = calloc(((uint64_t)g->pool_n4 * CLIENT_PORTS + 7) / 8, 1);
	g->ports6 = calloc(((uint64_t)g->pool_n6 * CLIENT_PORTS + 7) / 8, 1);
	if (!g->pool4 || !g->pool6 || !g->ports4 || !g->ports6)
		return false;
	for (uint32_t k = 0; k < g->pool_n4; k++)
		g->pool4[k] = addr_client(&g->rng, false, k);
	for (uint32_t k = 0; k < g->pool_n6; k++)
		g->pool6[k] = addr_client(&g->rng, true, k);
	return true;
}

static void pool_free(struct gen *g)
{
	free(g->pool4);
	free(g->pool6);
	free(g->ports4);
	free(g->ports6);
}

static void conn_release(struct gen *g, struct conn *c)
{
	pool_bit(g, c->cli.v6, c->host, c->cport, -1);
}

static void conn_init(struct gen *g, struct conn *c, uint64_t id)
{
	struct rng *r = &g->rng;
	bool v6 = rng_chance(r, 100);
	memset(c, 0, sizeof *c);
	c->id = id;
	c->cli = *pool_pick(g, v6, &c->host);
	c->srv = addr_server(r, v6);
	do /* no two open connections share a client address and port */
		c->cport = port_client(r);
	while (pool_bit(g, v6, c->host, c->cport, 1));
	c->sport = server_ports[rng_below(r, sizeof server_ports / sizeof server_ports[0])];
	c->cnxt = (uint32_t)rng_next(r);
	c->snxt = (uint32_t)rng_next(r);
	c->cts_base = (uint32_t)rng_next(r);
	c->sts_base = (uint32_t)rng_next(r);
	c->cipid = (uint16_t)rng_next(r);
	c->sipid = (uint16_t)rng_next(r);
	c->rounds = (uint8_t)(1 + rng_below(r, 3));
	c->server_closes = rng_chance(r, 300);
	c->phase = PH_SYN;
}

/* Response size: mostly one segment, sometimes a few, rarely dozens. */
static uint32_t resp_size(struct rng *r)
{
	uint32_t u = rng_below(r, 1000);
	if (u < 700)
		return 60 + rng_below(r, 1200);
	if (u < 970)
		return 1500 + rng_below(r, 8000);
	return 10000 + rng_below(r, 50000);
}

static void conn_send(struct gen *g, struct conn *c, bool s2c, uint8_t flags, uint32_t seq, uint32_t ack,
		      uint16_t len, enum opts opts)
{
	uint8_t f[MAX_FRAME];
	uint32_t ms = (uint32_t)(g->now_us / 1000u);
	struct seg s = {
		.src = s2c ? &c->srv : &c->cli, .dst = s2c ? &c->cli : &c->srv,
		.sport = s2c ? c->sport : c->cport, .dport = s2c ? c->cport : c->sport,
		.seq = seq, .ack = (flags & TH_ACK) ? ack : 0, .flags = flags,
		.win = s2c ? SERVER_WIN : CLIENT_WIN, .opts = opts,
		.paylen = len, .paykey = c->id * 2 + s2c,
		.ipid = s2c ? c->sipid++ : c->cipid++,
	};
	if (flags & TH_SYN)
		s.win = s2c ? 65160 : 64240; /* unscaled in SYNs (RFC 7323 §2.2) */
	if (flags & TH_RST)
		s.win = 0;
	if (s2c) {
		s.tsval = c->sts_last = c->sts_base + ms;
		s.tsecr = c->cts_last;
	} else {
		s.tsval = c->cts_last = c->cts_base + ms;
		s.tsecr = c->sts_last;
	}
	size_t n = tcp_build(f, &s);
	pcap_emit(g, f, n, CLS_TCP, c->cli.v6);
}

/* A data segment; now and then it is sent again on the connection's next turn (a retransmission). */
static void conn_data(struct gen *g, struct conn *c, bool s2c, uint8_t flags, uint16_t len)
{
	uint32_t seq = s2c ? c->snxt : c->cnxt;
	uint32_t ack = s2c ? c->cnxt : c->snxt;
	conn_send(g, c, s2c, flags, seq, ack, len, OPT_TS);
	if (s2c)
		c->snxt += len;
	else
		c->cnxt += len;
	if (rng_chance(&g->rng, 5))
		c->rx = (struct rexmit){ .pending = true, .s2c = s2c, .seq = seq, .ack = ack, .len = len, .flags = flags };
}

/* Advance connection c by one packet; returns false when it has finished. */
static bool conn_step(struct gen *g, struct conn *c)
{
	struct rng *r = &g->rng;
	if (c->rx.pending) {
		c->rx.pending = false;
		conn_send(g, c, c->rx.s2c, c->rx.flags, c->rx.seq, c->rx.ack, c->rx.len, OPT_TS);
		g->rexmits++;
		return true;
	}
	if (c->dupacks) {
		c->dupacks--;
		conn_send(g, c, false, TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
		g->dupacks++;
		return true;
	}
	switch (c->phase) {
	case PH_SYN:
		conn_send(g, c, false, TH_SYN, c->cnxt, 0, 0, OPT_SYN);
		c->cnxt++;
		g->conns_started++;
		c->phase = rng_chance(r, 10) ? PH_REFUSE : PH_SYNACK;
		return true;
	case PH_REFUSE: /* nothing listens: RST answering the SYN (RFC 9293 §3.10.7.1) */
		conn_send(g, c, true, TH_RST | TH_ACK, 0, c->cnxt, 0, OPT_NONE);
		g->refused++;
		return false;
	case PH_SYNACK:
		conn_send(g, c, true, TH_SYN | TH_ACK, c->snxt, c->cnxt, 0, OPT_SYN);
		c->snxt++;
		c->phase = PH_ACK3;
		return true;
	case PH_ACK3:
		conn_send(g, c, false, TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
		c->phase = PH_REQ;
		return true;
	case PH_REQ:
		conn_data(g, c, false, TH_PSH | TH_ACK, (uint16_t)(40 + rng_below(r, 660)));
		c->resp_left = resp_size(r);
		c->unacked = 0;
		c->phase = PH_RESP;
		return true;
	case PH_RESP:
		if (c->resp_left > 0 && c->unacked < 2) {
			uint16_t len = (uint16_t)(c->resp_left < MSS_PAYLOAD ? c->resp_left : MSS_PAYLOAD);
			c->resp_left -= len;
			conn_data(g, c, true, (uint8_t)(TH_ACK | (c->resp_left ? 0 : TH_PSH)), len);
			c->unacked++;
			return true;
		}
		conn_send(g, c, false, TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
		c->unacked = 0;
		if (rng_chance(r, 5))
			c->dupacks = 2;
		if (c->resp_left == 0) {
			if (--c->rounds > 0)
				c->phase = PH_REQ;
			else
				c->phase = rng_chance(r, 100) ? PH_RST : PH_FIN_A;
		}
		return true;
	case PH_FIN_A: /* the closing end's FIN */
		if (c->server_closes) {
			conn_send(g, c, true, TH_FIN | TH_ACK, c->snxt, c->cnxt, 0, OPT_TS);
			c->snxt++;
		} else {
			conn_send(g, c, false, TH_FIN | TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
			c->cnxt++;
		}
		c->phase = PH_FIN_B;
		return true;
	case PH_FIN_B: /* the other end's FIN, acknowledging the first */
		if (c->server_closes) {
			conn_send(g, c, false, TH_FIN | TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
			c->cnxt++;
		} else {
			conn_send(g, c, true, TH_FIN | TH_ACK, c->snxt, c->cnxt, 0, OPT_TS);
			c->snxt++;
		}
		c->phase = PH_LAST_ACK;
		return true;
	case PH_LAST_ACK:
		if (c->server_closes)
			conn_send(g, c, true, TH_ACK, c->snxt, c->cnxt, 0, OPT_TS);
		else
			conn_send(g, c, false, TH_ACK, c->cnxt, c->snxt, 0, OPT_TS);
		return false;
	case PH_RST:
		conn_send(g, c, false, TH_RST | TH_ACK, c->cnxt, c->snxt, 0, OPT_NONE);
		g->resets++;
		return false;
	default:
		return false;
	}
}

/* ---------- delayed answers (DNS responses, ICMP errors) ---------- */

/* A prebuilt frame to emit once the slot clock reaches due. */
struct pending {
	uint64_t due, order;      /* min-heap key: due slot, then creation order */
	enum cls cls;
	bool v6;
	uint16_t len;
	uint8_t frame[MAX_FRAME];
};

struct queue {
	struct pending *items;
	size_t n;
	uint64_t next_order;
};

static bool pend_less(const struct pending *a, const struct pending *b)
{
	return a->due < b->due || (a->due == b->due && a->order < b->order);
}

static void pend_swap(struct pending *a, struct pending *b)
{
	struct pending t = *a;
	*a = *b;
	*b = t;
}

/* A slot for a new entry (caller fills frame/len/cls/v6), or NULL when full. */
static struct pending *queue_add(struct queue *q, uint64_t due)
{
	if (q->n == PENDING_MAX)
		return NULL;
	struct pending *p = &q->items[q->n];
	p->due = due;
	p->order = q->next_order++;
	return p;
}

/* Sift the entry queue_add returned into place. */
static void queue_commit(struct queue *q)
{
	size_t i = q->n++;
	while (i > 0 && pend_less(&q->items[i], &q->items[(i - 1) / 2])) {
		pend_swap(&q->items[i], &q->items[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void queue_pop(struct queue *q)
{
	q->items[0] = q->items[--q->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < q->n && pend_less(&q->items[l], &q->items[m]))
			m = l;
		if (l + 1 < q->n && pend_less(&q->items[l + 1], &q->items[m]))
			m = l + 1;
		if (m == i)
			break;
		pend_swap(&q->items[i], &q->items[m]);
		i = m;
	}
}

/* UDP datagram frame with payload pay[0..paylen). */
static size_t udp_build(uint8_t *f, const struct addr *src, const struct addr *dst, uint16_t sport, uint16_t dport,
			const uint8_t *pay, size_t paylen, uint16_t ipid)
{
	size_t l4len = 8 + paylen;
	size_t off = frame_ip(f, src, dst, IPPROTO_UDP_, l4len, ipid, true);
	uint8_t *u = f + off;
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint32_t)l4len);
	memcpy(u + 8, pay, paylen);
	frame_l4sum(f, off, l4len, IPPROTO_UDP_, 6, true);
	return off + l4len;
}

static const char *const dns_labels[] = { "www", "api", "cdn", "mail", "img", "static", "login", "news" };

/* RFC 1035 query for <label><n>.example.test; returns the length, question section ends at *qend. */
static size_t dns_query(uint8_t *p, uint16_t id, uint16_t qtype, struct rng *r, size_t *qend)
{
	put16(p, id);
	put16(p + 2, 0x0100); /* standard query, recursion desired */
	put16(p + 4, 1);
	put16(p + 6, 0);
	put16(p + 8, 0);
	put16(p + 10, 0);
	size_t n = 12;
	char label[32];
	int ll = snprintf(label, sizeof label, "%s%u", dns_labels[rng_below(r, 8)], (unsigned)rng_below(r, 1000));
	p[n++] = (uint8_t)ll;
	memcpy(p + n, label, (size_t)ll);
	n += (size_t)ll;
	p[n++] = 7;
	memcpy(p + n, "example", 7);
	n += 7;
	p[n++] = 4;
	memcpy(p + n, "test", 4);
	n += 4;
	p[n++] = 0;
	put16(p + n, qtype);
	put16(p + n + 2, 1); /* class IN */
	n += 4;
	*qend = n;
	return n;
}

/* A DNS-like exchange: the query now, the response (or NXDOMAIN) queued a little later. */
static void gen_dns(struct gen *g, struct queue *q)
{
	struct rng *r = &g->rng;
	bool v6 = rng_chance(r, 100);
	uint32_t host;
	struct addr cli = *pool_pick(g, v6, &host), srv = addr_dns(v6);
	uint16_t cport = port_client(r);
	uint16_t id = (uint16_t)rng_next(r);
	uint16_t qtype = rng_chance(r, 700) ? 1 : 28; /* A or AAAA */
	uint8_t msg[512], f[MAX_FRAME];
	size_t qend;
	size_t qlen = dns_query(msg, id, qtype, r, &qend);
	size_t n = udp_build(f, &cli, &srv, cport, 53, msg, qlen, (uint16_t)rng_next(r));
	pcap_emit(g, f, n, CLS_UDP, v6);

	/* The response: same question, QR/RA set, one answer by compression pointer to the name. */
	bool nx = rng_chance(r, 50);
	put16(msg + 2, nx ? 0x8183 : 0x8180);
	size_t rlen = qend;
	if (!nx) {
		put16(msg + 6, 1);
		uint8_t *a = msg + qend;
		put16(a, 0xc00c);
		put16(a + 2, qtype);
		put16(a + 4, 1);
		put32(a + 6, 300);
		if (qtype == 1) {
			put16(a + 10, 4);
			struct addr x = addr4(127, 1, (uint8_t)rng_below(r, 256), (uint8_t)(1 + rng_below(r, 254)));
			memcpy(a + 12, x.b, 4);
			rlen += 16;
		} else {
			put16(a + 10, 16);
			struct addr x = addr6(2, 1 + rng_below(r, 65535));
			memcpy(a + 12, x.b, 16);
			rlen += 28;
		}
	}
	struct pending *p = queue_add(q, g->slot + 1 + rng_below(r, 100));
	n = udp_build(f, &srv, &cli, 53, cport, msg, rlen, (uint16_t)rng_next(r));
	if (!p) {
		pcap_emit(g, f, n, CLS_UDP, v6);
		return;
	}
	memcpy(p->frame, f, n);
	p->len = (uint16_t)n;
	p->cls = CLS_UDP;
	p->v6 = v6;
	queue_commit(q);
}

/* A UDP datagram to a closed port now, and the ICMP port unreachable quoting it right after (RFC 792, 4443). */
static void gen_unreach(struct gen *g, struct queue *q)
{
	struct rng *r = &g->rng;
	bool v6 = rng_chance(r, 100);
	uint32_t host;
	struct addr cli = *pool_pick(g, v6, &host), srv = addr_server(r, v6);
	uint16_t cport = port_client(r);
	uint16_t dport = (uint16_t)(33434 + rng_below(r, 64));
	uint8_t pay[32], f[MAX_FRAME], icmp[MAX_FRAME];
	for (size_t i = 0; i < sizeof pay; i++)
		pay[i] = (uint8_t)(0x40 + i);
	size_t n = udp_build(f, &cli, &srv, cport, dport, pay, sizeof pay, (uint16_t)rng_next(r));
	pcap_emit(g, f, n, CLS_UDP, v6);

	/* ICMP body: type, code, checksum, 4 unused bytes, then the whole offending IP datagram. */
	size_t quoted = n - 14;
	icmp[0] = v6 ? 1 : 3;  /* ICMPv6 destination unreachable / ICMP destination unreachable */
	icmp[1] = v6 ? 4 : 3;  /* port unreachable */
	put16(icmp + 2, 0);
	put32(icmp + 4, 0);
	memcpy(icmp + 8, f + 14, quoted);
	size_t l4len = 8 + quoted;
	uint8_t proto = v6 ? IPPROTO_ICMPV6_ : IPPROTO_ICMP_;
	uint8_t out[MAX_FRAME];
	size_t off = frame_ip(out, &srv, &cli, proto, l4len, (uint16_t)rng_next(r), false);
	memcpy(out + off, icmp, l4len);
	frame_l4sum(out, off, l4len, proto, 2, v6); /* ICMPv6 sums a pseudo-header, ICMPv4 does not */
	struct pending *p = queue_add(q, g->slot + 1 + rng_below(r, 4));
	if (!p) {
		pcap_emit(g, out, off + l4len, CLS_ICMP, v6);
		return;
	}
	memcpy(p->frame, out, off + l4len);
	p->len = (uint16_t)(off + l4len);
	p->cls = CLS_ICMP;
	p->v6 = v6;
	queue_commit(q);
}

/* ---------- the two modes ---------- */

static int gen_mix(struct gen *g, uint64_t packets, uint32_t nconns, uint32_t hosts)
{
	struct conn *conns = calloc(nconns, sizeof *conns);
	struct queue q = { .items = malloc(PENDING_MAX * sizeof(struct pending)) };
	if (!conns || !q.items || !pool_init(g, hosts)) {
		fprintf(stderr, "gencap: out of memory for %u connections; use a smaller -c\n", (unsigned)nconns);
		free(conns);
		free(q.items);
		pool_free(g);
		return 1;
	}
	uint64_t next_id = 1;
	for (uint32_t i = 0; i < nconns; i++)
		conn_init(g, &conns[i], next_id++);

	/*
	 * Per slot without a due answer: DNS query 10.1%, UDP to a closed port 2.25%, else TCP. Each of the
	 * first two adds one delayed packet, giving ~18% DNS + 2% probes = 20% UDP, 2% ICMP, 78% TCP.
	 */
	while (g->written < packets && !g->failed) {
		g->now_us += 1 + rng_below(&g->rng, 39); /* 50,000 packets/s on average */
		g->slot++;
		if (q.n && q.items[0].due <= g->slot) {
			pcap_emit(g, q.items[0].frame, q.items[0].len, q.items[0].cls, q.items[0].v6);
			queue_pop(&q);
			continue;
		}
		uint32_t u = rng_below(&g->rng, 100000);
		if (u < 10112) {
			gen_dns(g, &q);
		} else if (u < 10112 + 2247) {
			gen_unreach(g, &q);
		} else {
			struct conn *c = &conns[rng_below(&g->rng, nconns)];
			if (!conn_step(g, c)) {
				conn_release(g, c);
				conn_init(g, c, next_id++);
			}
		}
	}
	free(conns);
	free(q.items);
	pool_free(g);
	return 0;
}

/* One SYN each from FLOWS distinct client addresses (127.16.0.0 upward) to 127.0.0.1:18000; none closes. */
static int gen_flows(struct gen *g, uint64_t flows)
{
	struct addr srv = addr4(127, 0, 0, 1);
	for (uint64_t i = 0; i < flows && !g->failed; i++) {
		uint32_t a = 0x7f100000u + (uint32_t)i;
		struct conn c = { .id = i + 1, .cli = addr4(127, (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a),
				  .srv = srv, .sport = 18000 };
		c.cport = port_client(&g->rng);
		c.cnxt = (uint32_t)rng_next(&g->rng);
		c.cts_base = (uint32_t)rng_next(&g->rng);
		c.cipid = (uint16_t)rng_next(&g->rng);
		g->now_us += 1 + rng_below(&g->rng, 3);
		conn_send(g, &c, false, TH_SYN, c.cnxt, 0, 0, OPT_SYN);
		g->conns_started++;
	}
	return 0;
}

static int usage(const char *what, const char *arg)
{
	if (what)
		fprintf(stderr, "gencap: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
	else
		fprintf(stderr, "usage: gencap [-s SEED] [-n PACKETS] [-c CONNECTIONS] [-a CLIENT_HOSTS] [-F FLOWS] -o FILE\n");
	return 2;
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, packets = 2000000, conns = 10000, flows = 0, hosts = 2048;
	const char *out = NULL;
	int ch;
	while ((ch = getopt(argc, argv, "s:n:c:a:F:o:h")) != -1) {
		switch (ch) {
		case 's':
			if (!parse_u64(optarg, 0, UINT64_MAX, &seed))
				return usage("-s takes a seed from 0 to 2^64-1, got", optarg);
			break;
		case 'n':
			if (!parse_u64(optarg, 1, 100000000, &packets))
				return usage("-n takes a packet count from 1 to 100000000, got", optarg);
			break;
		case 'c':
			if (!parse_u64(optarg, 1, 10000000, &conns))
				return usage("-c takes a connection count from 1 to 10000000, got", optarg);
			break;
		case 'a':
			if (!parse_u64(optarg, 1, 65536, &hosts))
				return usage("-a takes a number of client hosts from 1 to 65536, got", optarg);
			break;
		case 'F':
			if (!parse_u64(optarg, 1, 16000000, &flows))
				return usage("-F takes a flow count from 1 to 16000000, got", optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return usage(NULL, NULL);
		}
	}
	if (optind != argc)
		return usage("unexpected argument (options only; see -h):", argv[optind]);
	if (!out)
		return usage("no output file: give -o FILE (or -o - for standard output)", NULL);

	if (!flows && (hosts / 4 ? hosts / 4 : 1) * (uint64_t)CLIENT_PORTS < 4 * conns)
		return usage("too few client hosts for that many connections (each has 5000 ports): raise -a or lower -c", NULL);

	static struct gen g;
	rng_seed(&g.rng, seed);
	g.now_us = (uint64_t)START_SEC * 1000000u;
	g.out_name = strcmp(out, "-") ? out : "standard output";
	g.out = strcmp(out, "-") ? fopen(out, "wb") : stdout;
	if (!g.out) {
		fprintf(stderr, "gencap: cannot create '%s': %s; choose a writable path\n", out, strerror(errno));
		return 1;
	}
	static char iobuf[1 << 20];
	setvbuf(g.out, iobuf, _IOFBF, sizeof iobuf);
	pcap_header(&g);
	int rc = flows ? gen_flows(&g, flows) : gen_mix(&g, packets, (uint32_t)conns, (uint32_t)hosts);
	if (fflush(g.out) != 0 || ferror(g.out))
		g.failed = true;
	if (g.out != stdout && fclose(g.out) != 0)
		g.failed = true;
	if (g.failed) {
		fprintf(stderr, "gencap: writing '%s' failed: %s; check free space\n", g.out_name, strerror(errno));
		return 1;
	}
	if (rc)
		return rc;
	double span = (double)(g.now_us - (uint64_t)START_SEC * 1000000u) / 1e6;
	fprintf(stderr,
		"gencap: %" PRIu64 " packets (%" PRIu64 " bytes, %.1f s) to %s: tcp %" PRIu64 " udp %" PRIu64
		" icmp %" PRIu64 " ipv6 %" PRIu64 "; %" PRIu64 " connections (%" PRIu64 " refused, %" PRIu64
		" reset), %" PRIu64 " retransmissions, %" PRIu64 " duplicate ACKs\n",
		g.written, g.bytes, span, g.out_name, g.by_cls[CLS_TCP], g.by_cls[CLS_UDP], g.by_cls[CLS_ICMP], g.v6,
		g.conns_started, g.refused, g.resets, g.rexmits, g.dupacks);
	return 0;
}
