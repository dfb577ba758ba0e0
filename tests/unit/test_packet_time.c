/* test_packet_time.c — timestamps a capture file can hold but ns arithmetic cannot: clamped, never overflowing (fuzz find). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "flow_fixture.h"
#include "view/ladder.h"

static void test_ordinary_times_convert_exactly(void)
{
	struct packet p;
	memset(&p, 0, sizeof p);
	p.ts_sec = 1700000000;
	p.ts_nsec = 123456789;
	CU_ASSERT_EQUAL(packet_time_ns(&p), 1700000000123456789LL);
	p.ts_sec = -5; /* before the epoch: still exact */
	p.ts_nsec = 0;
	CU_ASSERT_EQUAL(packet_time_ns(&p), -5000000000LL);
	p.ts_sec = 4294967295LL; /* the largest classic pcap second, with the largest 32-bit fraction */
	p.ts_nsec = UINT32_MAX;
	CU_ASSERT_EQUAL(packet_time_ns(&p), 4294967295LL * 1000000000LL + UINT32_MAX);
}

static void test_times_beyond_int64_nanoseconds_are_clamped(void)
{
	struct packet p;
	memset(&p, 0, sizeof p);
	const int64_t secs[] = { INT64_MAX, INT64_MIN, 9223372037LL, -9223372037LL, 71828896427814960LL,
				 -58493811630788560LL };
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
		p.ts_sec = secs[i];
		p.ts_nsec = UINT32_MAX;
		int64_t ns = packet_time_ns(&p);
		CU_ASSERT_EQUAL(ns, secs[i] > 0 ? PACKET_TS_NS_LIMIT : -PACKET_TS_NS_LIMIT);
	}
	/* The clamp leaves room for the difference of any two times. */
	CU_ASSERT(PACKET_TS_NS_LIMIT <= INT64_MAX / 2);
}

static void print_flow(const struct flow *f, void *arg)
{
	flowtab_print_flow(f, arg, true);
}

static void count_line(const char *line, long idx, void *arg)
{
	(void)idx;
	CU_ASSERT(strlen(line) <= 100);
	(*(size_t *)arg)++;
}

/*
 * One flow whose packets come from the far past and the far future, as a pcapng with a huge if_tsoffset
 * gives them: tracking, --flows and the ladder work out durations without overflow (the sanitizer build
 * of this test aborts on any signed overflow).
 */
static void test_flow_with_extreme_times_tracks_prints_and_draws(void)
{
	struct flow_table *t = flowtab_new(8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct conn c;
	conn_init(&c, t, 0, 40000, 80);
	const int64_t secs[] = { INT64_MIN, INT64_MAX, -58493811630788560LL, 0, INT64_MAX };
	struct ladder_row rows[5];
	const struct flow *f = NULL;
	for (int i = 0; i < 5; i++) {
		struct packet *p = conn_ip(&c, i % 2 == 0, 1, L4_UDP);
		p->ts_sec = secs[i];
		p->ts_nsec = 999999999;
		p->ip.have |= HAVE_PORTS | HAVE_UDPLEN | HAVE_PAYLOAD;
		p->ip.u.udp.sport = i % 2 == 0 ? c.cport : c.sport;
		p->ip.u.udp.dport = i % 2 == 0 ? c.sport : c.cport;
		p->ip.payload_wire = 10;
		flow_track(t, p, &c.r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c.r.flow);
		f = c.r.flow;
		rows[i].is_call = false;
		summary_from(&rows[i].pkt, p, &c.r);
		CU_ASSERT(rows[i].pkt.ts_ns >= -PACKET_TS_NS_LIMIT && rows[i].pkt.ts_ns <= PACKET_TS_NS_LIMIT);
	}
	/* Each jump across the idle timeout ends a flow and starts another; every packet is in one. */
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	CU_ASSERT_EQUAL(st.packets_tracked, 5);
	CU_ASSERT(st.flows_created >= 2);
	CU_ASSERT(f->last_ns == PACKET_TS_NS_LIMIT);
	FILE *out = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	flowtab_print(t, out, false);
	flowtab_print(t, out, true);
	flowtab_foreach(t, print_flow, out);
	fclose(out);
	size_t lines = 0;
	ladder_render(f, rows, 5, 100, count_line, &lines);
	CU_ASSERT(lines >= 5); /* a line per row, plus header and footer */
	flowtab_free(t);
}

int register_test_packet_time(void)
{
	CU_pSuite s = CU_add_suite("packet_time", NULL, NULL);
	if (!s)
		return -1;
	CU_add_test(s, "ordinary times convert exactly", test_ordinary_times_convert_exactly);
	CU_add_test(s, "times beyond int64 nanoseconds are clamped", test_times_beyond_int64_nanoseconds_are_clamped);
	CU_add_test(s, "a flow with extreme times tracks, prints and draws",
		    test_flow_with_extreme_times_tracks_prints_and_draws);
	return 0;
}
