/* test_flow_hint.c — flow_track_hinted() in a look-ahead pipeline gives exactly flow_track()'s results, through evictions, expiries and hash chains; the earliest-expiry shortcut misses nothing. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "track/flow.h"

#define MAX_REMOVED 4096

/* The removal hook's calls, in order: (id, evicted, end) of each flow leaving the table. */
struct removals {
	size_t n;
	uint64_t id[MAX_REMOVED];
	bool evicted[MAX_REMOVED];
	uint8_t end[MAX_REMOVED];
};

static void on_remove(const struct flow *f, bool evicted, void *arg)
{
	struct removals *rm = arg;
	if (rm->n < MAX_REMOVED) {
		rm->id[rm->n] = f->id;
		rm->evicted[rm->n] = evicted;
		rm->end[rm->n] = f->end;
	}
	rm->n++;
}

/* Small deterministic generator (xorshift64*). */
static uint64_t rnd_state;
static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static void addr_of(uint8_t *a, int v6, uint8_t host)
{
	memset(a, 0, 16);
	if (v6) {
		a[0] = 0xfd;
		a[15] = host;
	} else {
		a[0] = 10;
		a[3] = host;
	}
}

/*
 * A random packet among few hosts and ports (so that flows recur, collide in small tables and get
 * reused after removal): TCP with assorted flags, UDP, ICMP echo, ICMP errors quoting TCP/UDP, non-IP.
 */
static void random_packet(struct packet *p, uint64_t n, int64_t *t_us, bool jumps)
{
	memset(p, 0, sizeof *p);
	uint32_t jump = jumps ? rnd(1000) : 1000;
	*t_us += jump < 3 ? 400000000 : jump < 10 ? 70000000 : jump < 20 ? 31000000 : rnd(jumps ? 5000 : 500);
	p->n = n;
	p->ts_sec = 1700000000 + *t_us / 1000000;
	p->ts_nsec = (uint32_t)(*t_us % 1000000) * 1000;
	p->link_supported = true;
	uint32_t kind = rnd(100);
	if (kind < 3)
		return; /* not IP */
	int v6 = rnd(4) == 0;
	uint8_t a = (uint8_t)(1 + rnd(4)), b = (uint8_t)(1 + rnd(4));
	uint16_t pa = (uint16_t)(1000 + rnd(3)), pb = rnd(2) ? 80 : (uint16_t)(40000 + rnd(3));
	p->has_ip = true;
	struct ip_layer *ip = &p->ip;
	ip->have = HAVE_IP;
	ip->version = v6 ? 6 : 4;
	addr_of(ip->src, v6, a);
	addr_of(ip->dst, v6, b);
	if (kind < 70) {
		ip->l4 = L4_TCP;
		ip->proto = 6;
		ip->have |= HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN | HAVE_PAYLOAD;
		if (rnd(20) == 0)
			ip->have &= ~(uint32_t)(HAVE_SEQ | HAVE_FLAGS); /* a truncated header */
		struct tcp_hdr *th = &ip->u.tcp;
		th->sport = pa;
		th->dport = pb;
		static const uint16_t flags[] = { TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK, TCP_ACK, TCP_ACK | TCP_PSH,
						  TCP_FIN | TCP_ACK, TCP_RST, TCP_RST | TCP_ACK };
		th->flags = flags[rnd(sizeof flags / sizeof flags[0])];
		th->seq = 1000 * rnd(4) + rnd(3);
		th->ack = (th->flags & TCP_ACK) ? 1000 * rnd(4) + rnd(3) : 0;
		th->win = (uint16_t)(rnd(4) * 1000);
		ip->payload_wire = rnd(3) ? 0 : rnd(1500);
		if (th->flags & TCP_SYN && rnd(2)) {
			ip->have |= HAVE_TCPOPTS;
			th->opt_have = TCPOPT_HAVE_WSCALE;
			th->wscale = (uint8_t)rnd(16);
		}
	} else if (kind < 85) {
		ip->l4 = L4_UDP;
		ip->proto = 17;
		ip->have |= HAVE_PORTS | HAVE_UDPLEN | HAVE_PAYLOAD;
		ip->u.udp.sport = pa;
		ip->u.udp.dport = pb;
		ip->payload_wire = rnd(500);
	} else if (kind < 93) {
		ip->l4 = v6 ? L4_ICMP6 : L4_ICMP;
		ip->proto = v6 ? 58 : 1;
		ip->have |= HAVE_ICMP | HAVE_ICMP_REST | HAVE_PAYLOAD;
		bool req = rnd(2);
		ip->u.icmp.type = v6 ? (req ? 128 : 129) : (req ? 8 : 0);
		ip->u.icmp.id = (uint16_t)rnd(3);
		ip->payload_wire = 56;
	} else {
		/* An error quoting a TCP or UDP packet between the same hosts (often one of a known flow). */
		ip->l4 = v6 ? L4_ICMP6 : L4_ICMP;
		ip->proto = v6 ? 58 : 1;
		ip->have |= HAVE_ICMP | HAVE_ICMP_REST;
		ip->u.icmp.type = v6 ? 1 : 3;
		ip->u.icmp.code = v6 ? 4 : 3;
		p->has_inner = rnd(8) != 0;
		struct ip_layer *in = &p->inner;
		in->have = HAVE_IP | HAVE_PORTS;
		in->version = ip->version;
		addr_of(in->src, v6, b);
		addr_of(in->dst, v6, a);
		bool tcp = rnd(2);
		in->l4 = tcp ? L4_TCP : L4_UDP;
		in->proto = tcp ? 6 : 17;
		in->u.tcp.sport = in->u.udp.sport = pb;
		in->u.tcp.dport = in->u.udp.dport = pa;
	}
}

/* Everything public about a flow, compared field by field (the pointers differ between tables). */
static bool flows_equal(const struct flow *a, const struct flow *b)
{
	if (!a || !b)
		return a == b;
	return a->id == b->id && memcmp(&a->key, &b->key, sizeof a->key) == 0 &&
	       memcmp(&a->client, &b->client, sizeof a->client) == 0 &&
	       memcmp(&a->server, &b->server, sizeof a->server) == 0 && a->proto == b->proto &&
	       a->client_guessed == b->client_guessed && a->state_inferred == b->state_inferred &&
	       a->state[0] == b->state[0] && a->state[1] == b->state[1] && a->closed_first == b->closed_first &&
	       a->end == b->end && a->isn_known == b->isn_known &&
	       a->icmp_errors == b->icmp_errors && a->isn[0] == b->isn[0] && a->isn[1] == b->isn[1] &&
	       a->pkts[0] == b->pkts[0] && a->pkts[1] == b->pkts[1] && a->bytes[0] == b->bytes[0] &&
	       a->bytes[1] == b->bytes[1] && a->first_ns == b->first_ns && a->last_ns == b->last_ns &&
	       a->syn_ns == b->syn_ns && a->synack_ns == b->synack_ns && a->ack_ns == b->ack_ns;
}

static bool results_equal(const struct track_result *a, const struct track_result *b)
{
	return flows_equal(a->flow, b->flow) && (!a->flow || a->dir == b->dir) && a->rseq == b->rseq &&
	       a->rack == b->rack && a->have_rel == b->have_rel && a->before[0] == b->before[0] &&
	       a->before[1] == b->before[1] && a->after[0] == b->after[0] && a->after[1] == b->after[1] &&
	       a->events == b->events && a->dup_ack_n == b->dup_ack_n;
}

#define RING 16

/* How the reference table of run_differential() is driven. */
enum ref_mode {
	REF_PLAIN,  /* flow_track() */
	REF_RESCAN, /* flow_track() after flowtab_set_timeouts() (the defaults), which makes the table look at
		       every class list for idle flows again instead of trusting its earliest expiry time */
};

/*
 * n random packets through two tables of capacity cap: a reference one (see ref_mode), and one as the
 * pipeline does it (hint when a packet enters a RING-deep ring, prefetch `pf` places ahead, hinted
 * track at the head). Every result, every removal (in order) and the counters must agree; returns the
 * number of packets whose results differed. jumps: now and then the clock leaps past idle timeouts;
 * back: now and then a packet is stamped up to 200 s before the one ahead of it.
 */
static unsigned run_differential(uint64_t seed, size_t cap, unsigned n, unsigned pf, bool jumps, bool back,
				 enum ref_mode ref, struct flowtab_stats *out)
{
	static const struct flow_timeouts defaults = { 130, 300, 60, 60 };
	struct flow_table *plain = flowtab_new(cap), *hinted = flowtab_new(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hinted);
	struct removals *rp = calloc(1, sizeof *rp), *rh = calloc(1, sizeof *rh);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rh);
	flowtab_set_remove_hook(plain, on_remove, rp);
	flowtab_set_remove_hook(hinted, on_remove, rh);
	static struct packet ring[RING];
	static struct flow_hint hints[RING];
	unsigned differ = 0, filled = 0, head = 0;
	int64_t t_us = 0;
	rnd_state = seed;
	for (unsigned i = 0; i < n + RING; i++) {
		if (i < n) {
			/* Enter the ring: hinted now, tracked RING packets later. */
			struct packet *p = &ring[(head + filled) % RING];
			random_packet(p, i + 1, &t_us, jumps);
			if (back && rnd(20) == 0)
				p->ts_sec -= 1 + rnd(200);
			flowtab_hint(hinted, p, &hints[(head + filled) % RING]);
			filled++;
		}
		if (filled < RING && i < n)
			continue;
		if (!filled)
			break;
		if (filled > pf)
			flowtab_prefetch(hinted, &hints[(head + pf) % RING]);
		struct track_result a, b;
		if (ref == REF_RESCAN)
			flowtab_set_timeouts(plain, &defaults);
		flow_track(plain, &ring[head], &a);
		flow_track_hinted(hinted, &ring[head], &hints[head], &b);
		if (!results_equal(&a, &b))
			differ++;
		head = (head + 1) % RING;
		filled--;
	}
	struct flowtab_stats sp, sh;
	flowtab_stats(plain, &sp);
	flowtab_stats(hinted, &sh);
	CU_ASSERT_EQUAL(memcmp(&sp, &sh, sizeof sp), 0);
	CU_ASSERT_EQUAL(rp->n, rh->n);
	size_t m = rp->n < MAX_REMOVED ? rp->n : MAX_REMOVED;
	CU_ASSERT_EQUAL(memcmp(rp->id, rh->id, m * sizeof rp->id[0]), 0);
	CU_ASSERT_EQUAL(memcmp(rp->evicted, rh->evicted, m * sizeof rp->evicted[0]), 0);
	CU_ASSERT_EQUAL(memcmp(rp->end, rh->end, m * sizeof rp->end[0]), 0);
	/* Both tables still hold the same flows. */
	for (uint64_t id = 1; id < sp.flows_created + 1; id++)
		CU_ASSERT_TRUE(flows_equal(flowtab_find(plain, id), flowtab_find(hinted, id)));
	*out = sp;
	flowtab_free(plain);
	flowtab_free(hinted);
	free(rp);
	free(rh);
	return differ;
}

static void test_hinted_equals_plain_through_evictions_and_expiries(void)
{
	/* Capacity 6 for up to ~200 keys: most new flows evict; time jumps expire whole classes. */
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct flowtab_stats st;
		CU_ASSERT_EQUAL(run_differential(seed * 0x9e3779b97f4a7c15ull, 6, 20000, 8, true, false, REF_PLAIN, &st), 0);
		CU_ASSERT_TRUE(st.evicted > 100);
		CU_ASSERT_TRUE(st.expired > 10);
		CU_ASSERT_TRUE(st.port_reuses > 0);
		CU_ASSERT_TRUE(st.packets_untracked > 0);
	}
}

static void test_hinted_equals_plain_with_long_chains(void)
{
	/* Capacity 200 (128 buckets): every flow fits, chains hold several flows; prefetch at every distance. */
	for (unsigned pf = 0; pf < RING; pf += 5) {
		struct flowtab_stats st;
		CU_ASSERT_EQUAL(run_differential(77 + pf, 200, 20000, pf, false, false, REF_PLAIN, &st), 0);
		CU_ASSERT_TRUE(st.flows_active > 100);
	}
}

static void test_expiry_time_skips_nothing_a_scan_of_every_list_would_find(void)
{
	/* The earliest-expiry shortcut against looking at every class list on every packet, with time jumps,
	   packets stamped out of order, SYN-only flows expiring and coming back, full tables. */
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct flowtab_stats st;
		size_t cap = seed % 2 ? 6 : 64;
		CU_ASSERT_EQUAL(run_differential(seed * 0x2545f4914f6cdd1dull, cap, 20000, 8, true, seed > 2, REF_RESCAN, &st), 0);
		CU_ASSERT_TRUE(st.expired > 10);
	}
}

/* A TCP packet from 10.0.0.<host>:port to 10.0.0.1:80 with the given flags, at second s. */
static void tcp_packet(struct packet *p, uint8_t host, uint16_t port, uint16_t flags, uint32_t seq, int64_t s)
{
	memset(p, 0, sizeof *p);
	p->ts_sec = 1700000000 + s;
	p->has_ip = true;
	p->ip.have = HAVE_IP | HAVE_PORTS | HAVE_SEQ | HAVE_ACK | HAVE_FLAGS | HAVE_WIN;
	p->ip.version = 4;
	p->ip.l4 = L4_TCP;
	p->ip.proto = 6;
	addr_of(p->ip.src, 0, host);
	addr_of(p->ip.dst, 0, 1);
	p->ip.u.tcp.sport = port;
	p->ip.u.tcp.dport = 80;
	p->ip.u.tcp.flags = flags;
	p->ip.u.tcp.seq = seq;
	p->ip.u.tcp.win = 1000;
}

static void test_hint_made_before_its_flow_was_evicted(void)
{
	struct flow_table *t = flowtab_new(2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct packet a1, b, c, a2;
	struct flow_hint ha2;
	struct track_result r;
	tcp_packet(&a1, 2, 1000, TCP_SYN, 1, 0);
	tcp_packet(&b, 3, 1000, TCP_SYN, 1, 1);
	tcp_packet(&c, 4, 1000, TCP_SYN, 1, 2);
	tcp_packet(&a2, 2, 1000, TCP_ACK, 2, 3);
	flow_track(t, &a1, &r);
	CU_ASSERT_EQUAL(r.flow->id, 1);
	flowtab_hint(t, &a2, &ha2); /* flow 1 is in the table, and its bucket's first */
	flowtab_prefetch(t, &ha2);
	flow_track(t, &b, &r);
	flow_track(t, &c, &r); /* evicts flow 1 */
	CU_ASSERT_PTR_NULL(flowtab_find(t, 1));
	flow_track_hinted(t, &a2, &ha2, &r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.flow);
	CU_ASSERT_EQUAL(r.flow->id, 4); /* a new flow, not the evicted one's node taken for it */
	CU_ASSERT_TRUE(r.events & EV_NEW_FLOW);
	CU_ASSERT_TRUE(r.flow->client_guessed);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.evicted, 2);
	flowtab_free(t);
}

static void test_hint_made_before_its_flow_was_created_and_expired(void)
{
	struct flow_table *t = flowtab_new(16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct packet syn, ack, late;
	struct flow_hint hsyn, hack, hlate;
	struct track_result r;
	tcp_packet(&syn, 2, 1000, TCP_SYN, 1, 0);
	tcp_packet(&ack, 2, 1000, TCP_ACK, 2, 1);
	tcp_packet(&late, 2, 1000, TCP_ACK, 2, 1000); /* past every idle timeout */
	flowtab_hint(t, &syn, &hsyn);
	flowtab_hint(t, &ack, &hack);
	flowtab_hint(t, &late, &hlate); /* all three hinted while the table is empty */
	flow_track_hinted(t, &syn, &hsyn, &r);
	CU_ASSERT_TRUE(r.events & EV_NEW_FLOW);
	flowtab_prefetch(t, &hack);
	flow_track_hinted(t, &ack, &hack, &r);
	CU_ASSERT_FALSE(r.events & EV_NEW_FLOW); /* found: the hint holds no "not found" */
	CU_ASSERT_EQUAL(r.flow->id, 1);
	CU_ASSERT_EQUAL(r.flow->pkts[DIR_C2S], 2);
	flowtab_prefetch(t, &hlate);
	flow_track_hinted(t, &late, &hlate, &r); /* flow 1 expires first, then a new flow starts */
	CU_ASSERT_TRUE(r.events & EV_NEW_FLOW);
	CU_ASSERT_EQUAL(r.flow->id, 2);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.expired, 1);
	CU_ASSERT_EQUAL(st.flows_active, 1);
	flowtab_free(t);
}

static void test_hint_depends_only_on_the_packet(void)
{
	struct flow_table *empty = flowtab_new(4), *full = flowtab_new(1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	struct packet p;
	struct track_result r;
	for (uint8_t h = 2; h < 200; h++) {
		tcp_packet(&p, h, 1000, TCP_SYN, 1, 0);
		flow_track(full, &p, &r);
	}
	struct flow_hint a, b;
	tcp_packet(&p, 7, 1000, TCP_ACK, 5, 1);
	flowtab_hint(empty, &p, &a);
	flowtab_hint(full, &p, &b);
	CU_ASSERT_EQUAL(memcmp(&a.key, &b.key, sizeof a.key), 0);
	CU_ASSERT_EQUAL(a.hash, b.hash);
	CU_ASSERT_EQUAL(a.kind, b.kind);
	/* Both directions share key and hash. */
	struct packet q = p;
	memcpy(q.ip.src, p.ip.dst, 16);
	memcpy(q.ip.dst, p.ip.src, 16);
	q.ip.u.tcp.sport = p.ip.u.tcp.dport;
	q.ip.u.tcp.dport = p.ip.u.tcp.sport;
	flowtab_hint(full, &q, &b);
	CU_ASSERT_EQUAL(memcmp(&a.key, &b.key, sizeof a.key), 0);
	CU_ASSERT_EQUAL(a.hash, b.hash);
	/* And the hinted packet finds the flow the plain one created. */
	flowtab_prefetch(full, &b);
	flow_track_hinted(full, &q, &b, &r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.flow);
	CU_ASSERT_EQUAL(r.flow->id, 6); /* host 7 was the sixth SYN */
	CU_ASSERT_EQUAL(r.dir, DIR_S2C);
	flowtab_free(empty);
	flowtab_free(full);
}

static void test_untracked_packets_hint_and_track_as_untracked(void)
{
	struct flow_table *t = flowtab_new(4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct packet p;
	memset(&p, 0, sizeof p); /* not IP */
	struct flow_hint h;
	struct track_result r;
	flowtab_hint(t, &p, &h);
	flowtab_prefetch(t, &h); /* nothing to fetch; must not read a bucket */
	flow_track_hinted(t, &p, &h, &r);
	CU_ASSERT_PTR_NULL(r.flow);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.packets_untracked, 1);
	CU_ASSERT_EQUAL(st.packets_tracked, 0);
	flowtab_free(t);
}

int register_test_flow_hint(void)
{
	CU_pSuite s = CU_add_suite("flow_hint", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "hinted = plain through evictions and expiries",
			 test_hinted_equals_plain_through_evictions_and_expiries) ||
	    !CU_add_test(s, "hinted = plain with long hash chains", test_hinted_equals_plain_with_long_chains) ||
	    !CU_add_test(s, "earliest expiry time skips nothing a scan of every list finds",
			 test_expiry_time_skips_nothing_a_scan_of_every_list_would_find) ||
	    !CU_add_test(s, "hint made before its flow was evicted", test_hint_made_before_its_flow_was_evicted) ||
	    !CU_add_test(s, "hint made before its flow was created and expired",
			 test_hint_made_before_its_flow_was_created_and_expired) ||
	    !CU_add_test(s, "hint depends only on the packet", test_hint_depends_only_on_the_packet) ||
	    !CU_add_test(s, "untracked packets", test_untracked_packets_hint_and_track_as_untracked))
		return 1;
	return 0;
}
