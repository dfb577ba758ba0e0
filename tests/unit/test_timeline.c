/* test_timeline.c — the merge engine: calls placed by entry or return time, items out in time order once the sources are past them, bodies kept, flows matched. */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "calls/timeline.h"

static struct sock_event mkev(const char *call, int64_t ts_us, int64_t dur_us, int64_t ret, const char *local,
			      const char *remote)
{
	struct sock_event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.call, sizeof ev.call, "%s", call);
	snprintf(ev.role, sizeof ev.role, "client");
	ev.ts_us = ts_us;
	ev.dur_us = dur_us;
	ev.ret = ret;
	if (ret < 0) {
		ev.err = 111;
		snprintf(ev.errname, sizeof ev.errname, "ECONNREFUSED");
	}
	if (local)
		CU_ASSERT_TRUE_FATAL(events_parse_endpoint(local, &ev.local));
	if (remote)
		CU_ASSERT_TRUE_FATAL(events_parse_endpoint(remote, &ev.remote));
	return ev;
}

static struct flow mkflow(uint64_t id, const char *client, const char *server)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.proto = 6;
	events_parse_endpoint(client, &f.client);
	events_parse_endpoint(server, &f.server);
	return f;
}

static void test_calls_that_cause_packets_stand_at_entry_waiting_and_failed_ones_at_return(void)
{
	struct sock_event c = mkev("connect", 1000, 300, 0, NULL, NULL);
	CU_ASSERT_EQUAL(timeline_call_key(&c), 700 * 1000);
	struct sock_event cl = mkev("close", 1000, 50, 0, NULL, NULL);
	CU_ASSERT_EQUAL(timeline_call_key(&cl), 950 * 1000);
	struct sock_event a = mkev("accept", 1000, 300, 4, NULL, NULL);
	CU_ASSERT_EQUAL(timeline_call_key(&a), 1000 * 1000);
	struct sock_event r = mkev("recv", 1000, 300, 18, NULL, NULL);
	CU_ASSERT_EQUAL(timeline_call_key(&r), 1000 * 1000);
	struct sock_event bad = mkev("connect", 1000, 300, -1, NULL, NULL);
	CU_ASSERT_EQUAL(timeline_call_key(&bad), 1000 * 1000); /* beside the RST that ended it */
	struct sock_event nb = mkev("connect", 1000, 300, -1, NULL, NULL);
	snprintf(nb.errname, sizeof nb.errname, "EINPROGRESS");
	nb.err = 115;
	CU_ASSERT_EQUAL(timeline_call_key(&nb), 700 * 1000); /* its SYN left inside the call */
	CU_ASSERT_TRUE(timeline_call_waits("accept4"));
	CU_ASSERT_FALSE(timeline_call_waits("send"));
}

static void test_event_side_matches_client_server_and_unspecified_local_address(void)
{
	struct flow f = mkflow(1, "127.0.0.1:40000", "127.0.0.1:8888");
	enum flow_dir side = DIR_S2C;
	struct sock_event c = mkev("connect", 1, 0, 0, "127.0.0.1:40000", "127.0.0.1:8888");
	CU_ASSERT_TRUE(timeline_event_side(&c, &f, &side));
	CU_ASSERT_EQUAL(side, DIR_C2S);
	struct sock_event a = mkev("accept", 1, 0, 4, "127.0.0.1:8888", "127.0.0.1:40000");
	CU_ASSERT_TRUE(timeline_event_side(&a, &f, &side));
	CU_ASSERT_EQUAL(side, DIR_S2C);
	struct sock_event refused = mkev("connect", 1, 0, -1, "0.0.0.0:40000", "127.0.0.1:8888");
	CU_ASSERT_TRUE(timeline_event_side(&refused, &f, &side));
	CU_ASSERT_EQUAL(side, DIR_C2S);
	struct sock_event other = mkev("connect", 1, 0, 0, "127.0.0.1:40001", "127.0.0.1:8888");
	CU_ASSERT_FALSE(timeline_event_side(&other, &f, &side));
	struct sock_event none = mkev("listen", 1, 0, 0, "127.0.0.1:8888", NULL);
	CU_ASSERT_FALSE(timeline_event_side(&none, &f, &side));
}

/* A packet summary at ts_ns. */
static struct pkt_summary mkpkt(int64_t ts_ns, uint64_t n)
{
	struct pkt_summary p;
	memset(&p, 0, sizeof p);
	p.ts_ns = ts_ns;
	p.n = n;
	return p;
}

/* Keys of the items that may go up to limit, in order, into keys[]; returns how many. */
static size_t drain(struct timeline *tl, int64_t limit, bool force, int64_t *keys, size_t max)
{
	size_t n = 0;
	struct tl_item it;
	while (timeline_peek(tl, limit, force, &it)) {
		if (n < max)
			keys[n] = it.key_ns;
		n++;
		timeline_pop(tl);
	}
	return n;
}

static void test_items_wait_for_the_limit_then_come_out_in_time_order(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 0));
	struct pkt_summary p1 = mkpkt(10, 1), p2 = mkpkt(20, 2);
	timeline_push_packet(&tl, &p1, NULL, NULL, 0);
	timeline_push_packet(&tl, &p2, NULL, NULL, 0);
	struct sock_event c = mkev("connect", 0, 0, 0, NULL, NULL); /* key 0: before both, arrived last */
	timeline_push_call(&tl, &c);
	CU_ASSERT_EQUAL(timeline_first_key(&tl), 0);
	int64_t keys[8];
	CU_ASSERT_EQUAL(drain(&tl, -1, false, keys, 8), 0); /* no source is past the call yet */
	CU_ASSERT_EQUAL(drain(&tl, 15, false, keys, 8), 2);
	CU_ASSERT_EQUAL(keys[0], 0);
	CU_ASSERT_EQUAL(keys[1], 10);
	CU_ASSERT_EQUAL(timeline_count(&tl), 1);
	CU_ASSERT_EQUAL(drain(&tl, INT64_MIN, true, keys, 8), 1); /* force: everything goes */
	CU_ASSERT_EQUAL(keys[0], 20);
	CU_ASSERT_EQUAL(tl.forced, 0);
	timeline_free(&tl);
}

static void test_at_the_same_time_a_call_made_there_goes_first_one_that_returned_there_after(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 64));
	/* arrival order: recv (returned at 1000 ns), the packet at 1000 ns, send (entered at 1000 ns) */
	struct sock_event r = mkev("recv", 1, 0, 5, NULL, NULL);
	timeline_push_call(&tl, &r);
	struct pkt_summary p = mkpkt(1000, 1);
	timeline_push_packet(&tl, &p, NULL, "p\n", 2);
	struct sock_event s = mkev("send", 2, 1, 5, NULL, NULL);
	timeline_push_call(&tl, &s);
	struct tl_item it;
	CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, 1000, false, &it));
	CU_ASSERT_EQUAL(it.kind, TL_CALL);
	CU_ASSERT_STRING_EQUAL(it.ev->call, "send"); /* it made the packet */
	timeline_pop(&tl);
	CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, 1000, false, &it));
	CU_ASSERT_EQUAL(it.kind, TL_PACKET);
	CU_ASSERT_EQUAL(it.pkt->len, 2);
	CU_ASSERT_EQUAL(memcmp(it.body, "p\n", 2), 0);
	timeline_pop(&tl);
	CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, 1000, false, &it));
	CU_ASSERT_EQUAL(it.kind, TL_CALL);
	CU_ASSERT_STRING_EQUAL(it.ev->call, "recv"); /* it returned with the packet */
	timeline_pop(&tl);
	CU_ASSERT_EQUAL(timeline_count(&tl), 0);
	timeline_free(&tl);
}

static void test_bodies_keep_their_bytes_while_the_arena_wraps(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 100));
	char body[40];
	uint64_t next_out = 0, next_in = 0;
	for (int round = 0; round < 50; round++) {
		/* push while there is room (40 bytes each: two fit, a third only after one went) */
		while (timeline_room(&tl, sizeof body)) {
			memset(body, 'a' + (int)(next_in % 26), sizeof body);
			struct pkt_summary p = mkpkt((int64_t)next_in, next_in);
			timeline_push_packet(&tl, &p, NULL, body, sizeof body);
			next_in++;
		}
		CU_ASSERT_TRUE(timeline_count(&tl) >= 2 && timeline_count(&tl) <= 2);
		struct tl_item it;
		CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, INT64_MAX, false, &it));
		CU_ASSERT_EQUAL(it.pkt->pkt.n, next_out);
		for (size_t k = 0; k < sizeof body; k++)
			CU_ASSERT_EQUAL_FATAL(it.body[k], 'a' + (int)(next_out % 26));
		timeline_pop(&tl);
		next_out++;
	}
	CU_ASSERT_EQUAL(tl.forced, 0);
	/* a body longer than the arena keeps its first 100 bytes */
	char big[300];
	memset(big, 'z', sizeof big);
	int64_t keys[4];
	drain(&tl, INT64_MAX, true, keys, 4);
	struct pkt_summary p = mkpkt(1, 1);
	CU_ASSERT_TRUE(timeline_room(&tl, sizeof big));
	timeline_push_packet(&tl, &p, NULL, big, sizeof big);
	struct tl_item it;
	CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, INT64_MAX, false, &it));
	CU_ASSERT_EQUAL(it.pkt->len, 100);
	timeline_free(&tl);
}

static void test_full_queues_let_the_earliest_go_and_count_it(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 0));
	for (int i = 0; i < TL_PACKETS_MAX; i++) {
		struct pkt_summary p = mkpkt(i, (uint64_t)i + 1);
		CU_ASSERT_TRUE_FATAL(timeline_room(&tl, 0));
		timeline_push_packet(&tl, &p, NULL, NULL, 0);
	}
	CU_ASSERT_FALSE(timeline_room(&tl, 0));
	struct tl_item it;
	CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, INT64_MIN, false, &it)); /* full: no source can be waited for */
	CU_ASSERT_EQUAL(it.key_ns, 0);
	CU_ASSERT_EQUAL(tl.forced, 1);
	timeline_pop(&tl);
	CU_ASSERT_FALSE(timeline_peek(&tl, INT64_MIN, false, &it));
	timeline_free(&tl);
}

static void test_notes_keep_their_rows_through_inserts_and_pops(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 0));
	struct tl_note n[3];
	memset(n, 0, sizeof n);
	for (int i = 0; i < 3; i++) {
		n[i].what = SOCKDIAG_APPEARED;
		n[i].has_after = true;
		n[i].after.proto = 6;
		n[i].after.local.port = (uint16_t)(8000 + i);
	}
	for (int round = 0; round < 3; round++) {
		timeline_push_note(&tl, 30, &n[2]);
		timeline_push_note(&tl, 10, &n[0]);
		timeline_push_note(&tl, 20, &n[1]);
		for (int i = 0; i < 3; i++) {
			struct tl_item it;
			CU_ASSERT_TRUE_FATAL(timeline_peek(&tl, INT64_MAX, false, &it));
			CU_ASSERT_EQUAL(it.kind, TL_NOTE);
			CU_ASSERT_EQUAL(it.note->after.local.port, 8000 + i);
			timeline_pop(&tl);
		}
		CU_ASSERT_EQUAL(timeline_count(&tl), 0);
	}
	timeline_free(&tl);
}

static void test_a_connect_finds_its_flow_among_held_packets_and_recent_flows(void)
{
	static struct timeline tl;
	CU_ASSERT_TRUE_FATAL(timeline_init(&tl, 0));
	struct flow f = mkflow(7, "127.0.0.1:40000", "127.0.0.1:8888");
	struct pkt_summary p = mkpkt(10, 1);
	p.before[0] = TCPS_CLOSED;
	timeline_push_packet(&tl, &p, &f, NULL, 0);
	struct sock_event c = mkev("connect", 1, 0, 0, "127.0.0.1:40000", "127.0.0.1:8888");
	enum flow_dir side = DIR_S2C;
	const struct tl_packet *ahead = timeline_match_ahead(&tl, &c, &side);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ahead);
	CU_ASSERT_EQUAL(ahead->snap.id, 7);
	CU_ASSERT_EQUAL(ahead->pkt.before[0], TCPS_CLOSED);
	CU_ASSERT_EQUAL(side, DIR_C2S);

	static struct tl_flows recent;
	memset(&recent, 0, sizeof recent);
	struct flow old = mkflow(3, "127.0.0.1:40000", "127.0.0.1:8888");
	tl_flows_note(&recent, &old);
	tl_flows_note(&recent, &f); /* same four-tuple reused later: the newer flow wins */
	const struct flow *m = tl_flows_match(&recent, &c, &side);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->id, 7);
	for (uint64_t id = 100; id < 100 + TL_RECENT_FLOWS; id++) {
		struct flow g = mkflow(id, "127.0.0.2:1", "127.0.0.2:2");
		tl_flows_note(&recent, &g);
	}
	CU_ASSERT_PTR_NULL(tl_flows_match(&recent, &c, &side)); /* pushed out by newer flows */
	timeline_free(&tl);
}

int register_test_timeline(void)
{
	CU_pSuite s = CU_add_suite("timeline", NULL, NULL);
	if (!s)
		return -1;
	CU_add_test(s, "calls that cause packets stand at entry, waiting and failed ones at return",
		    test_calls_that_cause_packets_stand_at_entry_waiting_and_failed_ones_at_return);
	CU_add_test(s, "event side matches client, server and an unspecified local address",
		    test_event_side_matches_client_server_and_unspecified_local_address);
	CU_add_test(s, "items wait for the limit then come out in time order",
		    test_items_wait_for_the_limit_then_come_out_in_time_order);
	CU_add_test(s, "at the same time, a call made there goes first, one that returned there after",
		    test_at_the_same_time_a_call_made_there_goes_first_one_that_returned_there_after);
	CU_add_test(s, "bodies keep their bytes while the arena wraps", test_bodies_keep_their_bytes_while_the_arena_wraps);
	CU_add_test(s, "full queues let the earliest go and count it", test_full_queues_let_the_earliest_go_and_count_it);
	CU_add_test(s, "notes keep their rows through inserts and pops", test_notes_keep_their_rows_through_inserts_and_pops);
	CU_add_test(s, "a connect finds its flow among held packets and recent flows",
		    test_a_connect_finds_its_flow_among_held_packets_and_recent_flows);
	return 0;
}
