/* test_timeline.c — calls are placed by entry or return time, matched to flows, and merged with packets in time order. */
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

/* Keys of the items released at now, in order, into keys[]; returns how many. */
static size_t drain(struct timeline *tl, int64_t now, int64_t *keys, size_t max)
{
	size_t n = 0;
	const struct tl_item *it;
	while ((it = timeline_peek(tl, now)) != NULL) {
		if (n < max)
			keys[n] = it->key_ns;
		n++;
		timeline_pop(tl);
	}
	return n;
}

static void test_items_wait_for_the_grace_period_then_come_out_in_time_order(void)
{
	static struct timeline tl;
	timeline_init(&tl, 100);
	timeline_push_packet(&tl, 10, 1, "SYN\n", 4, NULL, NULL);
	timeline_push_packet(&tl, 20, 2, "SYN-ACK\n", 8, NULL, NULL);
	struct sock_event c = mkev("connect", 0, 0, 0, NULL, NULL);
	c.ts_us = 0; /* key 0: before both packets, but it arrives last */
	timeline_push_call(&tl, &c);
	int64_t keys[8];
	CU_ASSERT_PTR_NULL(timeline_peek(&tl, 50)); /* nothing is 100 old yet, calls may still come */
	CU_ASSERT_EQUAL(timeline_wait_ns(&tl, 50), 50);
	CU_ASSERT_EQUAL(drain(&tl, 115, keys, 8), 2);
	CU_ASSERT_EQUAL(keys[0], 0);
	CU_ASSERT_EQUAL(keys[1], 10);
	CU_ASSERT_EQUAL(timeline_count(&tl), 1);
	tl.call_done = true; /* no more calls: the packet need not wait */
	CU_ASSERT_EQUAL(drain(&tl, INT64_MIN, keys, 8), 1);
	CU_ASSERT_EQUAL(keys[0], 20);
	timeline_free(&tl);
}

static void test_replay_releases_a_packet_only_once_calls_are_past_it(void)
{
	static struct timeline tl;
	timeline_init(&tl, 100);
	tl.calls_ordered = true;
	timeline_push_packet(&tl, 1000, 1, "p\n", 2, NULL, NULL);
	int64_t keys[8];
	CU_ASSERT_EQUAL(drain(&tl, INT64_MIN, keys, 8), 0);
	struct sock_event s = mkev("send", 2, 1, 5, NULL, NULL); /* key 1000 ns, returned at 2000 */
	timeline_push_call(&tl, &s);
	/* call_wm 2000 and pkt_wm 1000: both items at 1000, the packet arrived first */
	const struct tl_item *it = timeline_peek(&tl, INT64_MIN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it);
	CU_ASSERT_EQUAL(it->kind, TL_PACKET);
	CU_ASSERT_STRING_EQUAL(it->text, "p\n");
	timeline_pop(&tl);
	it = timeline_peek(&tl, INT64_MIN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it);
	CU_ASSERT_EQUAL(it->kind, TL_CALL);
	timeline_pop(&tl);
	CU_ASSERT_EQUAL(timeline_count(&tl), 0);
	timeline_free(&tl);
}

static void test_notes_keep_their_text_through_inserts_and_pops(void)
{
	static struct timeline tl;
	timeline_init(&tl, 0);
	tl.pkt_done = tl.call_done = true;
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int round = 0; round < 3; round++) {
		timeline_push_note(&tl, 30, "third", 5);
		timeline_push_note(&tl, 10, big, strlen(big));
		timeline_push_note(&tl, 20, "second", 6);
		const struct tl_item *it = timeline_peek(&tl, INT64_MIN);
		CU_ASSERT_EQUAL_FATAL(it->len, strlen(big));
		CU_ASSERT_STRING_EQUAL(it->text, big);
		timeline_pop(&tl);
		it = timeline_peek(&tl, INT64_MIN);
		CU_ASSERT_STRING_EQUAL(it->text, "second");
		timeline_pop(&tl);
		it = timeline_peek(&tl, INT64_MIN);
		CU_ASSERT_STRING_EQUAL(it->text, "third");
		timeline_pop(&tl);
		CU_ASSERT_PTR_NULL(timeline_peek(&tl, INT64_MIN));
	}
	timeline_free(&tl);
}

static void test_a_connect_finds_its_flow_among_held_packets_and_recent_flows(void)
{
	static struct timeline tl;
	timeline_init(&tl, 100);
	struct flow f = mkflow(7, "127.0.0.1:40000", "127.0.0.1:8888");
	struct ladder_row row;
	memset(&row, 0, sizeof row);
	row.before[0] = TCPS_CLOSED;
	timeline_push_packet(&tl, 10, 1, "", 0, &row, &f);
	struct sock_event c = mkev("connect", 1, 0, 0, "127.0.0.1:40000", "127.0.0.1:8888");
	enum flow_dir side = DIR_S2C;
	const struct tl_item *ahead = timeline_match_ahead(&tl, &c, &side);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ahead);
	CU_ASSERT_EQUAL(ahead->snap.id, 7);
	CU_ASSERT_EQUAL(ahead->row.before[0], TCPS_CLOSED);
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
	CU_add_test(s, "items wait for the grace period then come out in time order",
		    test_items_wait_for_the_grace_period_then_come_out_in_time_order);
	CU_add_test(s, "replay releases a packet only once calls are past it",
		    test_replay_releases_a_packet_only_once_calls_are_past_it);
	CU_add_test(s, "notes keep their text through inserts and pops", test_notes_keep_their_text_through_inserts_and_pops);
	CU_add_test(s, "a connect finds its flow among held packets and recent flows",
		    test_a_connect_finds_its_flow_among_held_packets_and_recent_flows);
	return 0;
}
