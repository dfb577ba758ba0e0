/* test_tcp_analysis.c — each TCP analysis event (Wireshark's tcp.analysis.* rules) on a minimal packet sequence. */
#include <CUnit/CUnit.h>

#include "flow_fixture.h"

static struct flow_table *T;
static struct conn C;
static uint16_t next_port = 42000;

static int setup(void)
{
	T = flowtab_new(256);
	return T ? 0 : 1;
}

static int teardown(void)
{
	flowtab_free(T);
	return 0;
}

/* A fresh connection and its handshake: SYN, SYN-ACK after 1 ms, ACK after 1 ms (initial RTT 2 ms). */
static void open_conn(int ws)
{
	conn_init(&C, T, 0, next_port++, 5000);
	syn(&C, 1, 0, ws, 0);
	syn(&C, 0, 1, ws, 1000);
	seg(&C, 1, TCP_ACK, 1, 1, 0, 512, 1000);
	CU_ASSERT_EQUAL(C.r.events & ~(uint32_t)EV_STATE_CHANGE, 0);
}

/* Only the interesting bits: the bookkeeping ones are checked elsewhere. */
static uint32_t ev(void)
{
	return C.r.events & ~(uint32_t)(EV_STATE_CHANGE | EV_NEW_FLOW);
}

static void test_relative_numbers_start_at_zero_and_wrap(void)
{
	conn_init(&C, T, 0, next_port++, 5000);
	syn(&C, 1, 0, -1, 0);
	CU_ASSERT_TRUE(C.r.have_rel);
	CU_ASSERT_EQUAL(C.r.rseq, 0);
	syn(&C, 0, 1, -1, 1000);
	CU_ASSERT_EQUAL(C.r.rseq, 0);
	CU_ASSERT_EQUAL(C.r.rack, 1);
	seg(&C, 0, TCP_ACK | TCP_PSH, 1, 1, 400000000, 512, 1000); /* server seq wraps past 2^32 */
	seg(&C, 0, TCP_ACK | TCP_PSH, 400000001, 1, 10, 512, 1000);
	CU_ASSERT_EQUAL(C.r.rseq, 400000001);
	CU_ASSERT_EQUAL(C.p.ip.u.tcp.seq, C.siss + 400000001u); /* the raw value did wrap */
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 1, TCP_ACK, 1, 400000011, 0, 512, 1000);
	CU_ASSERT_EQUAL(C.r.rack, 400000011);
}

static void test_retransmission_resends_unacknowledged_data(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 200000); /* 200 ms later: past the 2 ms initial RTT */
	CU_ASSERT_EQUAL(ev(), EV_RETRANSMISSION);
}

static void test_spurious_retransmission_resends_acknowledged_data(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 1000);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 200000);
	CU_ASSERT_EQUAL(ev(), EV_SPURIOUS_RETRANSMISSION);
}

static void test_dup_acks_counted_then_fast_retransmission(void)
{
	open_conn(-1);
	for (uint32_t s = 1; s <= 301; s += 100)
		seg(&C, 1, TCP_ACK | TCP_PSH, s, 1, 100, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 1000);
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 100);
	CU_ASSERT_EQUAL(ev(), EV_DUP_ACK);
	CU_ASSERT_EQUAL(C.r.dup_ack_n, 1);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 100);
	CU_ASSERT_EQUAL(ev(), EV_DUP_ACK);
	CU_ASSERT_EQUAL(C.r.dup_ack_n, 2);
	seg(&C, 1, TCP_ACK | TCP_PSH, 101, 1, 100, 512, 1000); /* within 20 ms of the 2nd duplicate */
	CU_ASSERT_EQUAL(ev(), EV_FAST_RETRANSMISSION);
	seg(&C, 0, TCP_ACK, 1, 401, 0, 512, 1000); /* a new ack resets the count */
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 0, TCP_ACK, 1, 401, 0, 512, 1000);
	CU_ASSERT_EQUAL(C.r.dup_ack_n, 1);
}

static void test_retransmission_long_after_dup_acks_is_not_fast(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 1, TCP_ACK | TCP_PSH, 101, 1, 100, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 512, 100);
	CU_ASSERT_EQUAL(C.r.dup_ack_n, 2);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 30000); /* 30 ms: too late to be "fast" */
	CU_ASSERT_EQUAL(ev(), EV_RETRANSMISSION);
}

static void test_hole_then_out_of_order_fill(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 1, TCP_ACK | TCP_PSH, 201, 1, 100, 512, 1000);
	CU_ASSERT_EQUAL(ev(), EV_PREV_NOT_CAPTURED);
	seg(&C, 1, TCP_ACK | TCP_PSH, 101, 1, 100, 512, 500); /* 0.5 ms later: under the 2 ms initial RTT */
	CU_ASSERT_EQUAL(ev(), EV_OUT_OF_ORDER);
}

static void test_zero_window_probe_and_window_update(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 0, 1000);
	CU_ASSERT_EQUAL(ev(), EV_ZERO_WINDOW);
	seg(&C, 1, TCP_ACK, 101, 1, 1, 512, 200000);
	CU_ASSERT_EQUAL(ev(), EV_ZERO_WINDOW_PROBE);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 0, 1000); /* the probe's answer: still closed, not a dup ack */
	CU_ASSERT_EQUAL(ev(), EV_ZERO_WINDOW);
	seg(&C, 1, TCP_ACK, 101, 1, 1, 512, 400000); /* probes do not advance the sequence space */
	CU_ASSERT_EQUAL(ev(), EV_ZERO_WINDOW_PROBE);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 1000);
	CU_ASSERT_EQUAL(ev(), EV_WINDOW_UPDATE);
	seg(&C, 1, TCP_ACK | TCP_PSH, 101, 1, 100, 512, 1000); /* the real data: neither probe nor retransmission */
	CU_ASSERT_EQUAL(ev(), 0);
}

static void test_window_full_without_scaling(void)
{
	open_conn(-1);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 100, 1000); /* server offers 100 bytes: a window update too */
	CU_ASSERT_EQUAL(ev(), EV_WINDOW_UPDATE);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 99, 512, 1000);
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 1, TCP_ACK | TCP_PSH, 100, 1, 1, 512, 1000); /* byte 100 fills it */
	CU_ASSERT_EQUAL(ev(), EV_WINDOW_FULL);
}

static void test_window_full_uses_window_scale_from_both_syns(void)
{
	open_conn(7);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 2, 1000); /* 2 << 7 = 256 bytes */
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 2, 512, 1000);
	CU_ASSERT_EQUAL(ev(), 0); /* 2 bytes would fill an unscaled window; not this one */
	seg(&C, 1, TCP_ACK | TCP_PSH, 3, 1, 254, 512, 1000);
	CU_ASSERT_EQUAL(ev(), EV_WINDOW_FULL);
}

/* The window's scale as Wireshark shows it (tcp.window_size): from this end's SYN, 1 when a SYN went
   without the option, unknown before this end's SYN. */
static void test_window_scale_shown_as_wireshark_does(void)
{
	open_conn(7);
	CU_ASSERT_TRUE(C.r.have_win_scale);
	CU_ASSERT_EQUAL(C.r.win_shift, 7);
	open_conn(-1);
	CU_ASSERT_TRUE(C.r.have_win_scale);
	CU_ASSERT_EQUAL(C.r.win_shift, 0);

	conn_init(&C, T, 0, next_port++, 5000); /* the client's SYN only: its own scale applies */
	syn(&C, 1, 0, 5, 0);
	CU_ASSERT_FALSE(C.r.have_win_scale); /* a SYN's window is never scaled */
	seg(&C, 1, TCP_ACK, 1, 1, 0, 100, 1000);
	CU_ASSERT_TRUE(C.r.have_win_scale);
	CU_ASSERT_EQUAL(C.r.win_shift, 5);
	seg(&C, 0, TCP_ACK, 1, 1, 0, 100, 1000); /* the server's SYN was not seen */
	CU_ASSERT_FALSE(C.r.have_win_scale);

	conn_init(&C, T, 0, next_port++, 5000); /* the SYN-ACK refuses scaling: neither end scales */
	syn(&C, 1, 0, 5, 0);
	syn(&C, 0, 1, -1, 1000);
	seg(&C, 1, TCP_ACK, 1, 1, 0, 100, 1000);
	CU_ASSERT_TRUE(C.r.have_win_scale);
	CU_ASSERT_EQUAL(C.r.win_shift, 0);

	conn_init(&C, T, 0, next_port++, 5000); /* mid-connection: unknown both ways */
	seg(&C, 1, TCP_ACK, 1, 1, 10, 100, 0);
	CU_ASSERT_FALSE(C.r.have_win_scale);
}

static void test_keep_alive_one_below_next_seq(void)
{
	open_conn(-1);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 1000);
	seg(&C, 1, TCP_ACK, 100, 1, 0, 512, 7000000);
	CU_ASSERT_EQUAL(ev(), EV_KEEP_ALIVE);
	seg(&C, 0, TCP_ACK, 1, 101, 0, 512, 1000); /* keep-alive ACK: not a duplicate ACK */
	CU_ASSERT_EQUAL(ev(), 0);
	seg(&C, 1, TCP_ACK, 100, 1, 1, 512, 7000000); /* with one garbage byte: still not a retransmission */
	CU_ASSERT_EQUAL(ev(), EV_KEEP_ALIVE);
}

static void test_resent_syn_ack_soon_after_is_retransmission_not_out_of_order(void)
{
	conn_init(&C, T, 0, next_port++, 5000);
	syn(&C, 1, 0, -1, 0);
	syn(&C, 0, 1, -1, 1000);
	syn(&C, 0, 1, -1, 500); /* 0.5 ms: under the 3 ms out-of-order threshold, but a SYN occupies its seq */
	CU_ASSERT_EQUAL(ev(), EV_RETRANSMISSION);
	CU_ASSERT_EQUAL(C.r.rseq, 0);
}

static void test_rst_reports_sender_direction(void)
{
	open_conn(-1);
	seg(&C, 0, TCP_RST, 1, 0, 0, 0, 1000);
	CU_ASSERT_EQUAL(ev(), EV_RST);
	CU_ASSERT_EQUAL(C.r.dir, DIR_S2C);
	CU_ASSERT_EQUAL(C.r.flow->end, END_RST);
	CU_ASSERT_EQUAL(C.r.flow->closed_first, DIR_S2C);
}

static void test_ipv6_connection_analysed_the_same(void)
{
	conn_init(&C, T, 1, next_port++, 5000);
	syn(&C, 1, 0, -1, 0);
	syn(&C, 0, 1, -1, 1000);
	seg(&C, 1, TCP_ACK, 1, 1, 0, 512, 1000);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 1000);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 200000);
	CU_ASSERT_EQUAL(ev(), EV_RETRANSMISSION);
	CU_ASSERT_EQUAL(C.r.flow->client.af, 6);
	CU_ASSERT_EQUAL(C.r.flow->pkts[DIR_C2S], 4);
}

int register_test_tcp_analysis(void)
{
	CU_pSuite s = CU_add_suite("tcp_analysis", setup, teardown);
	if (!s)
		return 1;
	if (!CU_add_test(s, "relative seq/ack from 0, across 2^32", test_relative_numbers_start_at_zero_and_wrap) ||
	    !CU_add_test(s, "retransmission", test_retransmission_resends_unacknowledged_data) ||
	    !CU_add_test(s, "spurious retransmission", test_spurious_retransmission_resends_acknowledged_data) ||
	    !CU_add_test(s, "dup ack #n then fast retransmission", test_dup_acks_counted_then_fast_retransmission) ||
	    !CU_add_test(s, "late retransmission is not fast", test_retransmission_long_after_dup_acks_is_not_fast) ||
	    !CU_add_test(s, "previous segment not captured, out-of-order", test_hole_then_out_of_order_fill) ||
	    !CU_add_test(s, "zero window, probe, window update", test_zero_window_probe_and_window_update) ||
	    !CU_add_test(s, "window full (no scaling)", test_window_full_without_scaling) ||
	    !CU_add_test(s, "window full (scaled)", test_window_full_uses_window_scale_from_both_syns) ||
	    !CU_add_test(s, "window scale shown as Wireshark does", test_window_scale_shown_as_wireshark_does) ||
	    !CU_add_test(s, "keep-alive", test_keep_alive_one_below_next_seq) ||
	    !CU_add_test(s, "resent SYN-ACK is a retransmission",
			 test_resent_syn_ack_soon_after_is_retransmission_not_out_of_order) ||
	    !CU_add_test(s, "rst by the server", test_rst_reports_sender_direction) ||
	    !CU_add_test(s, "IPv6", test_ipv6_connection_analysed_the_same))
		return 1;
	return 0;
}
