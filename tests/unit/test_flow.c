/* test_flow.c — flow table: canonical keys, UDP/ICMP flows, ICMP errors, LRU eviction, idle timeouts, SYN retries across them, output. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fixture.h"

static void test_both_directions_share_one_canonical_key_ipv4_and_ipv6(void)
{
	struct flow_table *t = flowtab_new(16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (int v6 = 0; v6 < 2; v6++) {
		struct conn c;
		conn_init(&c, t, v6, 50000, 53);
		c.chost = 9; /* client address above the server's: the key's side 0 is the server */
		c.shost = 2;
		const struct flow *f = udp(&c, 1, 30, 0)->flow;
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_TRUE(c.r.events & EV_NEW_FLOW);
		CU_ASSERT_EQUAL(c.r.dir, DIR_C2S);
		CU_ASSERT_EQUAL(f->key.af, v6 ? 6 : 4);
		CU_ASSERT_EQUAL(f->key.proto, 17);
		CU_ASSERT_EQUAL(f->key.port[0], 53); /* lower address first */
		CU_ASSERT_EQUAL(f->key.addr[0][v6 ? 15 : 3], 2);
		udp(&c, 0, 90, 1000);
		CU_ASSERT_PTR_EQUAL(c.r.flow, f);
		CU_ASSERT_FALSE(c.r.events & EV_NEW_FLOW);
		CU_ASSERT_EQUAL(c.r.dir, DIR_S2C);
		CU_ASSERT_EQUAL(f->pkts[0], 1);
		CU_ASSERT_EQUAL(f->pkts[1], 1);
		CU_ASSERT_EQUAL(f->bytes[0], 30);
		CU_ASSERT_EQUAL(f->bytes[1], 90);
		CU_ASSERT_EQUAL(f->client.port, 50000);
		CU_ASSERT_FALSE(f->client_guessed);
		CU_ASSERT_EQUAL(f->state[0], TCPS_NONE);
	}
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.flows_created, 2); /* the same numbers over IPv4 and IPv6 are two flows */
	CU_ASSERT_EQUAL(st.packets_tracked, 4);
	flowtab_free(t);
}

static void test_same_address_pair_different_ports_or_proto_are_different_flows(void)
{
	struct flow_table *t = flowtab_new(16);
	struct conn a, b;
	conn_init(&a, t, 0, 50000, 53);
	conn_init(&b, t, 0, 50001, 53);
	const struct flow *fa = udp(&a, 1, 1, 0)->flow;
	const struct flow *fb = udp(&b, 1, 1, 0)->flow;
	CU_ASSERT_PTR_NOT_EQUAL(fa, fb);
	const struct flow *ft = seg(&a, 1, TCP_ACK, 1, 1, 0, 1, 0)->flow; /* TCP on UDP's ports */
	CU_ASSERT_PTR_NOT_EQUAL(ft, fa);
	CU_ASSERT_EQUAL(ft->proto, 6);
	flowtab_free(t);
}

static void test_packets_without_flow_are_untracked(void)
{
	struct flow_table *t = flowtab_new(4);
	struct packet p;
	struct track_result r;
	memset(&p, 0, sizeof p);
	flow_track(t, &p, &r); /* no IP layer (ARP, unsupported link) */
	CU_ASSERT_PTR_NULL(r.flow);
	struct conn c;
	conn_init(&c, t, 0, 1, 2);
	struct packet *q = conn_ip(&c, 1, 0, L4_NONE); /* a non-first fragment: no transport header */
	q->ip.is_frag = true;
	flow_track(t, q, &r);
	CU_ASSERT_PTR_NULL(r.flow);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.packets_untracked, 2);
	CU_ASSERT_EQUAL(st.flows_created, 0);
	flowtab_free(t);
}

static void test_icmp_echo_flow_keyed_by_identifier(void)
{
	struct flow_table *t = flowtab_new(8);
	struct conn c;
	conn_init(&c, t, 0, 0, 0);
	const struct flow *f = echo(&c, 1, 77, 1, 0)->flow;
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->proto, 1);
	CU_ASSERT_EQUAL(f->key.port[0], 77);
	CU_ASSERT_EQUAL(c.r.dir, DIR_C2S);
	echo(&c, 0, 77, 1, 50); /* 127.0.0.1 pings itself: direction from the type */
	CU_ASSERT_PTR_EQUAL(c.r.flow, f);
	CU_ASSERT_EQUAL(c.r.dir, DIR_S2C);
	CU_ASSERT_PTR_NOT_EQUAL(echo(&c, 1, 78, 1, 50)->flow, f);
	conn_init(&c, t, 1, 0, 0);
	f = echo(&c, 0, 5, 1, 0)->flow; /* a reply first: its receiver is the client */
	CU_ASSERT_EQUAL(f->proto, 58);
	CU_ASSERT_EQUAL(c.r.dir, DIR_S2C);
	CU_ASSERT_EQUAL(f->client.addr[15], 1);
	flowtab_free(t);
}

static void test_icmp_port_unreachable_attached_to_udp_flow(void)
{
	struct flow_table *t = flowtab_new(8);
	for (int v6 = 0; v6 < 2; v6++) {
		struct conn c;
		conn_init(&c, t, v6, 45000, 9999);
		const struct flow *f = udp(&c, 1, 5, 0)->flow;
		icmp_err(&c, 0, v6 ? 1 : 3, v6 ? 4 : 3, 100);
		CU_ASSERT_PTR_EQUAL(c.r.flow, f);
		CU_ASSERT_EQUAL(c.r.dir, DIR_S2C); /* toward the quoted datagram's source */
		CU_ASSERT_TRUE(c.r.events & EV_ICMP_ERROR);
		CU_ASSERT_TRUE(c.r.events & EV_REFUSED);
		CU_ASSERT_EQUAL(f->icmp_errors, 1);
		CU_ASSERT_EQUAL(f->end, END_REFUSED);
		CU_ASSERT_EQUAL(f->pkts[DIR_S2C], 0); /* the error is not one of the flow's datagrams */
		icmp_err(&c, 0, v6 ? 3 : 11, 0, 100); /* time exceeded: an error, not a refusal */
		CU_ASSERT_TRUE(c.r.events & EV_ICMP_ERROR);
		CU_ASSERT_FALSE(c.r.events & EV_REFUSED);
		CU_ASSERT_EQUAL(f->icmp_errors, 2);
	}
	struct conn c;
	conn_init(&c, t, 0, 45001, 9999);
	icmp_err(&c, 0, 3, 3, 0); /* quotes a datagram of no known flow */
	CU_ASSERT_PTR_NULL(c.r.flow);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.icmp_unmatched, 1);
	flowtab_free(t);
}

static int removed_evicted, removed_expired;
static uint64_t removed_ids[8];

static void on_remove(const struct flow *f, bool evicted, void *arg)
{
	(void)arg;
	if (evicted)
		removed_evicted++;
	else
		removed_expired++;
	removed_ids[(removed_evicted + removed_expired - 1) % 8] = f->id;
	CU_ASSERT_EQUAL(f->end, END_TIMEOUT);
}

/* A table of cap flows whose removals on_remove() counts (from 0). */
static struct flow_table *watched_table(size_t cap)
{
	struct flow_table *t = flowtab_new(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	removed_evicted = removed_expired = 0;
	flowtab_set_remove_hook(t, on_remove, NULL);
	return t;
}

static void test_full_table_evicts_least_recently_used(void)
{
	struct flow_table *t = watched_table(2);
	struct conn a, b, c;
	conn_init(&a, t, 0, 40001, 80);
	conn_init(&b, t, 0, 40002, 80);
	conn_init(&c, t, 0, 40003, 80);
	uint64_t ida = udp(&a, 1, 1, 0)->flow->id;
	b.t_us = 1000;
	uint64_t idb = udp(&b, 1, 1, 0)->flow->id;
	a.t_us = 2000;
	udp(&a, 0, 1, 0); /* a used again: b is now the least recently used */
	c.t_us = 3000;
	udp(&c, 1, 1, 0);
	CU_ASSERT_EQUAL(removed_evicted, 1);
	CU_ASSERT_EQUAL(removed_ids[0], idb);
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(t, ida));
	CU_ASSERT_PTR_NULL(flowtab_find(t, idb));
	b.t_us = 4000;
	udp(&b, 1, 1, 0); /* b comes back as a new flow, evicting a */
	CU_ASSERT_TRUE(b.r.events & EV_NEW_FLOW);
	CU_ASSERT_EQUAL(removed_ids[1], ida);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.evicted, 2);
	CU_ASSERT_EQUAL(st.expired, 0);
	CU_ASSERT_EQUAL(st.flows_created, 4);
	CU_ASSERT_EQUAL(st.flows_active, 2);
	flowtab_free(t);
}

static void test_idle_timeouts_depend_on_state_and_packet_time(void)
{
	struct flow_table *t = watched_table(8);
	struct conn s, e, u, x;
	conn_init(&s, t, 0, 40010, 80); /* SYN only: 130 s */
	conn_init(&e, t, 0, 40011, 80); /* established: 300 s */
	conn_init(&u, t, 0, 40012, 53); /* UDP: 60 s */
	conn_init(&x, t, 0, 40013, 80); /* a packet of another flow moves the clock */
	uint64_t ids = syn(&s, 1, 0, -1, 0)->flow->id;
	syn(&e, 1, 0, -1, 0);
	syn(&e, 0, 1, -1, 10);
	uint64_t ide = seg(&e, 1, TCP_ACK, 1, 1, 0, 512, 10)->flow->id;
	uint64_t idu = udp(&u, 1, 1, 0)->flow->id;
	x.t_us = 60000000;
	udp(&x, 1, 1, 0); /* exactly 60 s: not yet idle *past* the timeout */
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(t, idu));
	x.t_us = 61000000;
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, idu));
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(t, ids));
	x.t_us = 100000000; /* x's own flow stays within its 60 s until 131 s */
	udp(&x, 1, 1, 0);
	x.t_us = 130000000;
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(t, ids));
	x.t_us = 131000000;
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, ids));
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(t, ide));
	x.t_us = 301000000;
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, ide));
	/* s, u, e, and x's own UDP flow (idle from 131 s to 301 s, re-created by that last datagram) */
	CU_ASSERT_EQUAL(removed_expired, 4);
	CU_ASSERT_EQUAL(removed_evicted, 0);
	CU_ASSERT_TRUE(x.r.events & EV_NEW_FLOW);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.expired, 4);
	flowtab_free(t);
}

/* A bare SYN from c's client repeating (isn_delta 0) or changing its ISN, dt_us after the previous packet. */
static const struct track_result *syn_again(struct conn *c, uint32_t isn_delta, int64_t dt_us)
{
	uint32_t isn = c->ciss;
	c->ciss += isn_delta;
	const struct track_result *r = syn(c, 1, 0, 7, dt_us);
	c->ciss = isn;
	return r;
}

static void test_syn_retried_after_64_s_stays_one_flow(void)
{
	struct flow_table *t = watched_table(8);
	struct conn c;
	conn_init(&c, t, 0, 40040, 443);
	uint64_t id = syn(&c, 1, 0, 7, 0)->flow->id;
	/* Linux with tcp_syn_retries 7: the waits double from 1 s; the last one is 64 s. */
	for (int64_t wait_s = 1; wait_s <= 64; wait_s *= 2) {
		const struct track_result *r = syn_again(&c, 0, wait_s * 1000000);
		CU_ASSERT_EQUAL(r->flow->id, id);
		CU_ASSERT_TRUE(r->events & EV_RETRANSMISSION);
		CU_ASSERT_FALSE(r->events & EV_NEW_FLOW);
	}
	CU_ASSERT_EQUAL(c.r.flow->pkts[DIR_C2S], 8);
	CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_SYN_SENT);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.flows_created, 1);
	CU_ASSERT_EQUAL(st.expired, 0);
	CU_ASSERT_EQUAL(removed_expired, 0);
	flowtab_free(t);
}

static void test_syn_with_another_isn_after_expiry_is_a_new_flow(void)
{
	struct flow_table *t = flowtab_new(8);
	struct conn c;
	conn_init(&c, t, 0, 40041, 443);
	uint64_t id = syn(&c, 1, 0, 7, 0)->flow->id;
	const struct track_result *r = syn_again(&c, 12345, 140 * 1000000LL); /* past the 130 s SYN timeout */
	CU_ASSERT_NOT_EQUAL(r->flow->id, id);
	CU_ASSERT_TRUE(r->events & EV_NEW_FLOW);
	CU_ASSERT_FALSE(r->events & (EV_RETRANSMISSION | EV_PORT_REUSE));
	CU_ASSERT_EQUAL(r->rseq, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, id));
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.flows_created, 2);
	CU_ASSERT_EQUAL(st.expired, 1);
	CU_ASSERT_EQUAL(st.flows_active, 1);
	flowtab_free(t);
}

/* Counts flows visited by flowtab_foreach. */
static void count_flow(const struct flow *f, void *arg)
{
	(void)f;
	(*(int *)arg)++;
}

static void test_syn_repeating_the_isn_of_a_just_expired_flow_brings_it_back(void)
{
	struct flow_table *t = watched_table(8);
	struct conn c, x;
	conn_init(&c, t, 0, 40042, 443);
	conn_init(&x, t, 0, 40043, 53);
	uint64_t id = syn(&c, 1, 0, 7, 0)->flow->id;
	x.t_us = 131000000;
	udp(&x, 1, 1, 0); /* the SYN-only flow expires: counted, not listed, not found */
	CU_ASSERT_EQUAL(removed_expired, 1);
	CU_ASSERT_PTR_NULL(flowtab_find(t, id));
	int listed = 0;
	flowtab_foreach(t, count_flow, &listed);
	CU_ASSERT_EQUAL(listed, 1);
	icmp_err(&c, 1, 3, 3, 132000000); /* an ICMP error quoting it finds no flow */
	CU_ASSERT_PTR_NULL(c.r.flow);
	/* 200 s after its first SYN (70 s after it expired), the client sends that SYN once more. */
	const struct track_result *r = syn_again(&c, 0, 68000000);
	CU_ASSERT_EQUAL(r->flow->id, id);
	CU_ASSERT_TRUE(r->events & EV_RETRANSMISSION);
	CU_ASSERT_FALSE(r->events & EV_NEW_FLOW);
	CU_ASSERT_EQUAL(r->flow->pkts[DIR_C2S], 2);
	CU_ASSERT_EQUAL(r->flow->end, END_OPEN);
	CU_ASSERT_PTR_EQUAL(flowtab_find(t, id), r->flow);
	/* and the server answers: the same connection goes on. */
	syn(&c, 0, 1, 7, 1000);
	CU_ASSERT_EQUAL(c.r.flow->id, id);
	CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_ESTABLISHED);
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.flows_created, 2);
	CU_ASSERT_EQUAL(st.flows_active, 1);
	CU_ASSERT_EQUAL(st.expired, 1); /* x's flow, idle since 131 s; c's no longer counts */
	CU_ASSERT_EQUAL(removed_expired, 2);
	flowtab_free(t);
}

/* The server's state as the remove hook saw the flow leave the table (TCPS_COUNT: not seen). */
static enum tcp_state gone_server_state = TCPS_COUNT;

static void on_remove_state(const struct flow *f, bool evicted, void *arg)
{
	(void)evicted;
	(void)arg;
	gone_server_state = (enum tcp_state)f->state[DIR_S2C];
	CU_ASSERT_EQUAL(f->end, END_TIMEOUT);
}

static void test_unanswered_syn_never_shows_listen_and_times_out_as_no_answer(void)
{
	struct flow_table *t = flowtab_new(8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	flowtab_set_remove_hook(t, on_remove_state, NULL);
	gone_server_state = TCPS_COUNT;
	struct conn c, x;
	conn_init(&c, t, 0, 40050, 443);
	conn_init(&x, t, 0, 40051, 53);
	uint64_t id = syn(&c, 1, 0, 7, 0)->flow->id;
	CU_ASSERT_EQUAL(c.r.before[DIR_S2C], TCPS_NONE);
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
	for (int64_t wait_s = 1; wait_s <= 8; wait_s *= 2) { /* the client retries; nobody answers */
		syn_again(&c, 0, wait_s * 1000000);
		CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_SYN_SENT);
		CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
		CU_ASSERT_EQUAL(c.r.before[DIR_S2C], TCPS_UNANSWERED);
	}
	CU_ASSERT_EQUAL(flowtab_find(t, id)->state[DIR_S2C], TCPS_UNANSWERED);
	CU_ASSERT_EQUAL(flowtab_find(t, id)->end, END_OPEN);
	x.t_us = 200000000; /* another flow's packet past the SYN timeout: the flow leaves the table */
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, id));
	CU_ASSERT_EQUAL(gone_server_state, TCPS_NO_ANSWER);
	/* The same SYN once more (within twice the SYN timeout): the flow is back, the question open again. */
	c.t_us = x.t_us;
	syn_again(&c, 0, 1000);
	CU_ASSERT_EQUAL(c.r.flow->id, id);
	CU_ASSERT_EQUAL(c.r.before[DIR_S2C], TCPS_UNANSWERED);
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
	CU_ASSERT_FALSE(c.r.events & EV_STATE_CHANGE);
	/* Its SYN-ACK shows it was listening. */
	syn(&c, 0, 1, 7, 1000);
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_ESTABLISHED);
	flowtab_free(t);
}

static void test_refused_syn_never_shows_listen(void)
{
	struct flow_table *t = flowtab_new(8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (int v6 = 0; v6 < 2; v6++) {
		struct conn c;
		conn_init(&c, t, v6, 40060, 9);
		syn(&c, 1, 0, 7, 0);
		CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
		seg(&c, 0, TCP_RST | TCP_ACK, 0, 1, 0, 0, 20);
		CU_ASSERT_EQUAL(c.r.before[DIR_S2C], TCPS_UNANSWERED);
		CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_CLOSED);
		CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_CLOSED);
		CU_ASSERT_EQUAL(c.r.flow->end, END_REFUSED);
		/* The client tries again with a new ISN: a new flow, asked again, refused again. */
		c.ciss += 5555;
		syn(&c, 1, 0, 7, 1000000);
		CU_ASSERT_TRUE(c.r.events & EV_PORT_REUSE);
		CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
		seg(&c, 0, TCP_RST | TCP_ACK, 0, 1, 0, 0, 20);
		CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_CLOSED);
	}
	flowtab_free(t);
}

static void test_half_open_scan_shows_listen_only_after_the_syn_ack(void)
{
	struct flow_table *t = flowtab_new(8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct conn c;
	conn_init(&c, t, 0, 40070, 22);
	syn(&c, 1, 0, -1, 0);
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_UNANSWERED);
	syn(&c, 0, 1, -1, 30);
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_SYN_RECEIVED);
	seg(&c, 1, TCP_RST, 1, 0, 0, 0, 30); /* the scanner resets instead of completing the handshake */
	CU_ASSERT_EQUAL(c.r.after[DIR_S2C], TCPS_LISTEN); /* RFC 9293 §3.10.7.4: back to LISTEN, port open */
	CU_ASSERT_EQUAL(c.r.after[DIR_C2S], TCPS_CLOSED);
	flowtab_free(t);
}

static void test_expired_syn_flow_is_remembered_for_one_more_syn_timeout_only(void)
{
	struct flow_table *t = flowtab_new(8);
	struct conn c, d;
	conn_init(&c, t, 0, 40044, 443);
	uint64_t id = syn(&c, 1, 0, 7, 0)->flow->id;
	const struct track_result *r = syn_again(&c, 0, 261000000); /* past twice the 130 s SYN timeout */
	CU_ASSERT_NOT_EQUAL(r->flow->id, id);
	CU_ASSERT_TRUE(r->events & EV_NEW_FLOW);
	CU_ASSERT_FALSE(r->events & EV_RETRANSMISSION);
	/* Within the memory, a segment that is no SYN of that ISN finds no flow either. */
	conn_init(&d, t, 0, 40045, 443);
	d.t_us = c.t_us;
	id = syn(&d, 1, 0, 7, 1000)->flow->id;
	d.t_us += 140000000;
	r = seg(&d, 1, TCP_ACK, 1, 1, 0, 512, 0);
	CU_ASSERT_NOT_EQUAL(r->flow->id, id);
	CU_ASSERT_TRUE(r->events & EV_NEW_FLOW);
	CU_ASSERT_TRUE(r->flow->state_inferred);
	r = syn_again(&d, 0, 1000); /* the expired flow was let go when its key was taken */
	CU_ASSERT_NOT_EQUAL(r->flow->id, id);
	flowtab_free(t);
}

static void test_full_table_reuses_expired_syn_flows_before_evicting(void)
{
	struct flow_table *t = watched_table(2);
	struct conn a, b, c;
	conn_init(&a, t, 0, 40046, 443);
	conn_init(&b, t, 0, 40047, 53);
	conn_init(&c, t, 0, 40048, 53);
	uint64_t ida = syn(&a, 1, 0, 7, 0)->flow->id;
	b.t_us = 131000000;
	udp(&b, 1, 1, 0); /* a expires; its node is remembered; b takes the second node */
	c.t_us = 132000000;
	udp(&c, 1, 1, 0); /* the table is full of flows: c takes a's node, nothing is evicted */
	CU_ASSERT_EQUAL(removed_evicted, 0);
	CU_ASSERT_EQUAL(removed_expired, 1);
	a.t_us = 133000000;
	const struct track_result *r = syn_again(&a, 0, 0); /* a's memory is gone: a new flow, evicting b */
	CU_ASSERT_NOT_EQUAL(r->flow->id, ida);
	CU_ASSERT_TRUE(r->events & EV_NEW_FLOW);
	CU_ASSERT_EQUAL(removed_evicted, 1);
	flowtab_free(t);
}

static void test_closed_flow_expires_after_closed_timeout(void)
{
	struct flow_table *t = flowtab_new(8);
	struct flow_timeouts to = { 30, 300, 5, 60 };
	flowtab_set_timeouts(t, &to);
	struct conn c, x;
	conn_init(&c, t, 0, 40020, 80);
	conn_init(&x, t, 0, 40021, 53);
	syn(&c, 1, 0, -1, 0);
	syn(&c, 0, 1, -1, 10);
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 10);
	uint64_t id = seg(&c, 1, TCP_RST, 1, 0, 0, 0, 10)->flow->id;
	x.t_us = 6000000;
	udp(&x, 1, 1, 0);
	CU_ASSERT_PTR_NULL(flowtab_find(t, id));
	flowtab_free(t);
}

static void test_stale_microsecond_times_do_not_alias_after_71_minutes(void)
{
	struct flow_table *t = flowtab_new(8);
	struct flow_timeouts to = { 30, 100000, 60, 60 }; /* keep the idle flow in the table */
	flowtab_set_timeouts(t, &to);
	struct conn c;
	conn_init(&c, t, 0, 40030, 80);
	syn(&c, 1, 0, -1, 0);
	syn(&c, 0, 1, -1, 1000);
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 1000);
	seg(&c, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&c, 1, TCP_ACK | TCP_PSH, 201, 1, 100, 512, 1000);
	/* 2^32 us (71.6 min) + 0.5 ms later: a 32-bit clock would see 0.5 ms and call it out-of-order */
	seg(&c, 1, TCP_ACK | TCP_PSH, 101, 1, 100, 512, 4294967296LL + 500);
	CU_ASSERT_TRUE(c.r.events & EV_RETRANSMISSION);
	CU_ASSERT_FALSE(c.r.events & EV_OUT_OF_ORDER);
	flowtab_free(t);
}

static char *print_to_string(const struct flow_table *t, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	flowtab_print(t, m, json);
	fclose(m);
	return buf;
}

static void test_json_flow_lines_carry_documented_keys(void)
{
	struct flow_table *t = flowtab_new(8);
	struct conn c;
	conn_init(&c, t, 1, 40040, 80);
	syn(&c, 1, 0, -1, 0);
	syn(&c, 0, 1, -1, 250);
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 500);
	char *s = print_to_string(t, true);
	static const char *const keys[] = {
		"\"flow\":1,", "\"proto\":\"tcp\"", "\"client\":\"[::1]:40040\"", "\"server\":\"[::2]:80\"",
		"\"client_guessed\":false", "\"state_client\":\"ESTABLISHED\"", "\"state_server\":\"ESTABLISHED\"",
		"\"pkts_c2s\":2", "\"pkts_s2c\":1", "\"bytes_c2s\":0", "\"bytes_s2c\":0", "\"first\":1700000000.000000000",
		"\"last\":1700000000.000750000", "\"duration\":0.000750000", "\"rtt_syn_synack\":0.000250000",
		"\"rtt_synack_ack\":0.000500000", "\"closed_first\":null", "\"end\":\"open\"", "\"icmp_errors\":0",
		"\n{\"summary\":{\"flows_created\":1,", "\"evicted\":0", "\"bytes_reserved\":",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!strstr(s, keys[i]))
			fprintf(stderr, "\nmissing %s in %s\n", keys[i], s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, keys[i]));
	}
	free(s);
	s = print_to_string(t, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "[::1]:40040"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "ESTABLISHED"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "0.250")); /* SYN to SYN-ACK in ms */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "flows: 1 created"));
	free(s);
	flowtab_free(t);
}

static void count_cb(const struct flow *f, void *arg)
{
	uint64_t *last = arg;
	CU_ASSERT_TRUE(f->id > *last); /* in id order */
	*last = f->id;
}

static void test_foreach_visits_in_id_order_after_slot_reuse(void)
{
	struct flow_table *t = flowtab_new(3);
	struct conn c[5];
	for (int i = 0; i < 5; i++) {
		conn_init(&c[i], t, 0, (uint16_t)(41000 + i), 53);
		c[i].t_us = i * 1000;
		udp(&c[i], 1, 1, 0);
	}
	c[2].t_us = 9000;
	udp(&c[2], 1, 1, 0); /* ids 3, 4, 5 remain, in reused slots */
	uint64_t last = 0;
	flowtab_foreach(t, count_cb, &last);
	CU_ASSERT_EQUAL(last, 5);
	CU_ASSERT_PTR_NULL(flowtab_find(t, 1));
	flowtab_free(t);
}

static void test_zero_capacity_is_refused(void)
{
	CU_ASSERT_PTR_NULL(flowtab_new(0));
}

int register_test_flow(void)
{
	CU_pSuite s = CU_add_suite("flow", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "one canonical key both ways, IPv4 and IPv6",
			 test_both_directions_share_one_canonical_key_ipv4_and_ipv6) ||
	    !CU_add_test(s, "ports and protocol separate flows",
			 test_same_address_pair_different_ports_or_proto_are_different_flows) ||
	    !CU_add_test(s, "packets outside flows are untracked", test_packets_without_flow_are_untracked) ||
	    !CU_add_test(s, "ICMP echo keyed by id", test_icmp_echo_flow_keyed_by_identifier) ||
	    !CU_add_test(s, "ICMP port unreachable on the UDP flow", test_icmp_port_unreachable_attached_to_udp_flow) ||
	    !CU_add_test(s, "LRU eviction when full", test_full_table_evicts_least_recently_used) ||
	    !CU_add_test(s, "idle timeouts per state, packet time", test_idle_timeouts_depend_on_state_and_packet_time) ||
	    !CU_add_test(s, "closed flows use the closed timeout", test_closed_flow_expires_after_closed_timeout) ||
	    !CU_add_test(s, "SYN retried after 64 s stays one flow, marked retransmission",
			 test_syn_retried_after_64_s_stays_one_flow) ||
	    !CU_add_test(s, "SYN with another ISN after expiry is a new flow",
			 test_syn_with_another_isn_after_expiry_is_a_new_flow) ||
	    !CU_add_test(s, "SYN repeating a just-expired flow's ISN brings it back",
			 test_syn_repeating_the_isn_of_a_just_expired_flow_brings_it_back) ||
	    !CU_add_test(s, "unanswered SYN: UNANSWERED, never LISTEN; NO-ANSWER once timed out",
			 test_unanswered_syn_never_shows_listen_and_times_out_as_no_answer) ||
	    !CU_add_test(s, "refused SYN: UNANSWERED then CLOSED, never LISTEN", test_refused_syn_never_shows_listen) ||
	    !CU_add_test(s, "half-open scan: LISTEN only after the SYN-ACK",
			 test_half_open_scan_shows_listen_only_after_the_syn_ack) ||
	    !CU_add_test(s, "expired SYN flow remembered one more SYN timeout, by its SYN only",
			 test_expired_syn_flow_is_remembered_for_one_more_syn_timeout_only) ||
	    !CU_add_test(s, "full table reuses expired SYN flows before evicting",
			 test_full_table_reuses_expired_syn_flows_before_evicting) ||
	    !CU_add_test(s, "32-bit times never alias", test_stale_microsecond_times_do_not_alias_after_71_minutes) ||
	    !CU_add_test(s, "JSON flow keys", test_json_flow_lines_carry_documented_keys) ||
	    !CU_add_test(s, "foreach in id order", test_foreach_visits_in_id_order_after_slot_reuse) ||
	    !CU_add_test(s, "zero capacity refused", test_zero_capacity_is_refused))
		return 1;
	return 0;
}
