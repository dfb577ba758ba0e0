/* test_tui_view.c — TUI scrolling/selection, replay timing, speed steps, flow pane view, layout. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "calls/events.h"
#include "common/wrap.h"
#include "tui/tui_core.h"

static void test_list_follows_newest_until_scrolled_up(void)
{
	struct listview lv;
	lv_init(&lv);
	lv_set_count(&lv, 30, 10);
	CU_ASSERT_EQUAL(lv.sel, 29);
	CU_ASSERT_EQUAL(lv.top, 20); /* newest at the bottom */
	lv_move(&lv, -1, 10);
	CU_ASSERT_FALSE(lv.follow);
	lv_set_count(&lv, 40, 10);
	CU_ASSERT_EQUAL(lv.sel, 28); /* stays where the user put it */
	CU_ASSERT_EQUAL(lv.top, 20);
	lv_move(&lv, 100, 10);
	CU_ASSERT_TRUE(lv.follow); /* back at the bottom: following again */
	lv_set_count(&lv, 41, 10);
	CU_ASSERT_EQUAL(lv.sel, 40);
	CU_ASSERT_EQUAL(lv.top, 31);
}

static void test_list_paging_and_home_end_clamp(void)
{
	struct listview lv;
	lv_init(&lv);
	lv_set_count(&lv, 25, 10);
	lv_home(&lv, 10);
	CU_ASSERT_EQUAL(lv.sel, 0);
	CU_ASSERT_EQUAL(lv.top, 0);
	lv_move(&lv, 10, 10); /* PgDn */
	CU_ASSERT_EQUAL(lv.sel, 10);
	CU_ASSERT_EQUAL(lv.top, 1);
	lv_move(&lv, -100, 10);
	CU_ASSERT_EQUAL(lv.sel, 0);
	lv_end(&lv, 10);
	CU_ASSERT_EQUAL(lv.sel, 24);
	CU_ASSERT_EQUAL(lv.top, 15);
	lv_select(&lv, 99, 10); /* a click below the last row */
	CU_ASSERT_EQUAL(lv.sel, 24);
	struct listview empty;
	lv_init(&empty);
	lv_move(&empty, 5, 10);
	lv_set_count(&empty, 0, 10);
	CU_ASSERT_EQUAL(empty.sel, 0);
	CU_ASSERT_EQUAL(empty.top, 0);
}

static void test_list_eviction_keeps_the_same_rows_selected(void)
{
	struct listview lv;
	lv_init(&lv);
	lv_set_count(&lv, 100, 10);
	lv_select(&lv, 50, 10);
	size_t top = lv.top;
	lv_drop_front(&lv, 20, 10);
	CU_ASSERT_EQUAL(lv.count, 80);
	CU_ASSERT_EQUAL(lv.sel, 30); /* the same packet */
	CU_ASSERT_EQUAL(lv.top, top - 20);
	lv_drop_front(&lv, 35, 10); /* the selected packet itself went away */
	CU_ASSERT_EQUAL(lv.sel, 0);
	lv_drop_front(&lv, 1000, 10);
	CU_ASSERT_EQUAL(lv.count, 0);
}

static void test_wheel_scroll_drags_selection_inside(void)
{
	struct listview lv;
	lv_init(&lv);
	lv_set_count(&lv, 50, 10);
	lv_home(&lv, 10);
	lv_scroll(&lv, 3, 10);
	CU_ASSERT_EQUAL(lv.top, 3);
	CU_ASSERT_EQUAL(lv.sel, 3);
	lv_scroll(&lv, 1000, 10);
	CU_ASSERT_EQUAL(lv.top, 40);
	lv_scroll(&lv, -1000, 10);
	CU_ASSERT_EQUAL(lv.top, 0);
	CU_ASSERT_EQUAL(lv.sel, 9);
}

#define MS 1000000LL
#define SEC 1000000000LL

static void test_replay_timing_scales_gaps(void)
{
	struct replay_clock c;
	clock_init(&c, 1.0);
	CU_ASSERT_EQUAL(clock_due_in(&c, 5 * SEC, 1000 * SEC), 0); /* not anchored: the first is due now */
	clock_anchor(&c, 5 * SEC, 1000 * SEC);
	CU_ASSERT_EQUAL(clock_due_in(&c, 5 * SEC, 1000 * SEC + 300 * MS), 300 * MS);
	CU_ASSERT_EQUAL(clock_due_in(&c, 5 * SEC + 300 * MS, 1000 * SEC + 300 * MS), 0);
	CU_ASSERT_EQUAL(clock_due_in(&c, 5 * SEC, 999 * SEC), 0); /* a timestamp going back is due now */
	clock_init(&c, 2.0);
	clock_anchor(&c, 0, 1000 * SEC);
	CU_ASSERT_EQUAL(clock_due_in(&c, 0, 1001 * SEC), 500 * MS);
	clock_init(&c, 0.5);
	clock_anchor(&c, 0, 1000 * SEC);
	CU_ASSERT_EQUAL(clock_due_in(&c, 0, 1001 * SEC), 2 * SEC);
	clock_init(&c, 0);
	clock_anchor(&c, 0, 1000 * SEC);
	CU_ASSERT_EQUAL(clock_due_in(&c, 0, 5000 * SEC), 0); /* speed 0: everything at once */
}

static void test_speed_change_keeps_replay_position(void)
{
	struct replay_clock c;
	clock_init(&c, 1.0);
	clock_anchor(&c, 0, 1000 * SEC);
	/* 400 ms in, a packet at +1 s is 600 ms away; at x2 the remaining 600 ms of capture take 300 ms. */
	clock_set_speed(&c, 400 * MS, 2.0);
	CU_ASSERT_EQUAL(clock_virtual(&c, 400 * MS), 1000 * SEC + 400 * MS);
	CU_ASSERT_EQUAL(clock_due_in(&c, 400 * MS, 1001 * SEC), 300 * MS);
	clock_set_speed(&c, 400 * MS, 0);
	CU_ASSERT_FALSE(c.anchored);
	CU_ASSERT_EQUAL(clock_due_in(&c, 400 * MS, 1001 * SEC), 0);
}

static void test_speed_steps(void)
{
	char b[16];
	CU_ASSERT_DOUBLE_EQUAL(speed_faster(1.0), 2.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_faster(1.5), 2.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_faster(64.0), 0.0, 1e-12); /* then as fast as possible */
	CU_ASSERT_DOUBLE_EQUAL(speed_faster(0.0), 0.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_slower(0.0), 64.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_slower(1.0), 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_slower(1.5), 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(speed_slower(1.0 / 64), 1.0 / 64, 1e-12);
	CU_ASSERT_STRING_EQUAL(speed_str(0.25, b, sizeof b), "x0.25");
	CU_ASSERT_STRING_EQUAL(speed_str(0, b, sizeof b), "max");
}

static void test_flow_view_is_the_replays_snapshot_until_every_packet_is_shown(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	f.id = 3;
	f.proto = 6;
	f.state[0] = TCPS_TIME_WAIT;
	f.state[1] = TCPS_CLOSED;
	f.pkts[0] = 5;
	f.pkts[1] = 4;
	f.bytes[0] = 100;
	f.end = END_FIN;
	/* The replay has shown 3 of the 9 packets: their states and counts, still open. */
	struct flow_snap snap = { .state = { TCPS_ESTABLISHED, TCPS_ESTABLISHED }, .pkts = { 2, 1 }, .bytes = { 10, 0 } };
	struct flow_view v;
	flowview_from(&v, &f, &snap);
	CU_ASSERT_EQUAL(v.id, 3);
	CU_ASSERT_EQUAL(v.state[0], TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(v.pkts[0], 2);
	CU_ASSERT_EQUAL(v.bytes[0], 10);
	CU_ASSERT_EQUAL(v.end, END_OPEN);
	/* Without a snapshot, and once every packet is shown: the tracker's flow, its end included. */
	flowview_from(&v, &f, NULL);
	CU_ASSERT_EQUAL(v.state[0], TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(v.end, END_FIN);
	snap.pkts[0] = 5;
	snap.pkts[1] = 4;
	flowview_from(&v, &f, &snap);
	CU_ASSERT_EQUAL(v.state[1], TCPS_CLOSED);
	CU_ASSERT_EQUAL(v.pkts[1], 4);
	CU_ASSERT_EQUAL(v.end, END_FIN);
}

static void test_layout_fills_80x24_and_zooms(void)
{
	struct tui_layout l;
	layout_compute(&l, 24, 80, -1, 1);
	CU_ASSERT_FALSE(l.too_small);
	CU_ASSERT_EQUAL(l.y[PANE_LIST], 2);
	CU_ASSERT_EQUAL(l.y[PANE_FLOWS], l.y[PANE_LIST] + l.h[PANE_LIST]);
	CU_ASSERT_EQUAL(l.y[PANE_LOWER], l.y[PANE_FLOWS] + l.h[PANE_FLOWS]);
	CU_ASSERT_EQUAL(l.y[PANE_LOWER] + l.h[PANE_LOWER], l.footer_y);
	CU_ASSERT_EQUAL(l.footer_y, 23);
	CU_ASSERT_TRUE(l.h[PANE_LIST] >= 6 && l.h[PANE_FLOWS] >= 4 && l.h[PANE_LOWER] >= 8);
	layout_compute(&l, 50, 200, PANE_LOWER, 1);
	CU_ASSERT_EQUAL(l.h[PANE_LOWER], 47);
	CU_ASSERT_EQUAL(l.h[PANE_LIST], 0);
	layout_compute(&l, 23, 80, -1, 1);
	CU_ASSERT_TRUE(l.too_small);
	layout_compute(&l, 24, 79, -1, 1);
	CU_ASSERT_TRUE(l.too_small);
}

/* A footer of 3 rows: the panes above end where it starts. */
static void test_layout_gives_the_footer_its_rows(void)
{
	struct tui_layout l;
	layout_compute(&l, 24, 80, -1, 3);
	CU_ASSERT_EQUAL(l.footer_y, 21);
	CU_ASSERT_EQUAL(l.footer_h, 3);
	CU_ASSERT_EQUAL(l.y[PANE_LOWER] + l.h[PANE_LOWER], 21);
	layout_compute(&l, 24, 80, -1, 9); /* at most TUI_FOOTER_MAX */
	CU_ASSERT_EQUAL(l.footer_h, TUI_FOOTER_MAX);
	CU_ASSERT_EQUAL(l.footer_y, 24 - TUI_FOOTER_MAX);
}

/* Wrapping at a space that fits, a hard break without one, UTF-8 as one column a character. */
static void test_wrap_breaks_at_spaces_and_counts_characters(void)
{
	CU_ASSERT_EQUAL(wrap_take("short", 10), 5);
	CU_ASSERT_EQUAL(wrap_take("the server is now CLOSED", 20), 17); /* "the server is now" */
	CU_ASSERT_EQUAL(wrap_take("abcdefghijkl", 5), 5);
	CU_ASSERT_EQUAL(wrap_take("exactly10! next", 10), 10); /* a space right at the edge */
	/* "Client → server: ACK": 20 characters, 22 bytes; at 20 columns it fits whole. */
	CU_ASSERT_EQUAL(wrap_take("Client \xe2\x86\x92 server: ACK", 20), 22);
	CU_ASSERT_EQUAL(wrap_take("Client \xe2\x86\x92 server: ACK", 19), 18); /* up to "server:" (18 bytes) */
}

/* A call row too wide for 80 columns keeps its result: the arguments' middle gives way. */
static void test_call_row_keeps_its_result_at_80_columns(void)
{
	struct sock_event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.role, sizeof ev.role, "client");
	snprintf(ev.call, sizeof ev.call, "connect");
	snprintf(ev.args, sizeof ev.args, "3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, 16");
	ev.pid = 4712;
	ev.fd = 3;
	ev.ret = -1;
	ev.err = 111;
	snprintf(ev.errname, sizeof ev.errname, "ECONNREFUSED");
	char row[256];
	size_t n = fmt_call_row(row, sizeof row, 1000, &ev, 0, 80, 4);
	CU_ASSERT(n <= 80);
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "call  client 4712: connect("));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "...) = -1 ECONNREFUSED"));
	n = fmt_call_row(row, sizeof row, 1000, &ev, 0, 200, 4); /* wide: whole */
	CU_ASSERT_PTR_NULL(strstr(row, "..."));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED"));
}

int register_test_tui_view(void)
{
	CU_pSuite s = CU_add_suite("tui_view", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "list follows the newest until scrolled up", test_list_follows_newest_until_scrolled_up) ||
	    !CU_add_test(s, "layout gives the footer its rows", test_layout_gives_the_footer_its_rows) ||
	    !CU_add_test(s, "a call row keeps its result at 80 columns", test_call_row_keeps_its_result_at_80_columns) ||
	    !CU_add_test(s, "wrap breaks at spaces, counts characters", test_wrap_breaks_at_spaces_and_counts_characters) ||
	    !CU_add_test(s, "paging and Home/End clamp", test_list_paging_and_home_end_clamp) ||
	    !CU_add_test(s, "eviction keeps the same rows selected", test_list_eviction_keeps_the_same_rows_selected) ||
	    !CU_add_test(s, "wheel scroll drags the selection inside", test_wheel_scroll_drags_selection_inside) ||
	    !CU_add_test(s, "replay timing scales the gaps", test_replay_timing_scales_gaps) ||
	    !CU_add_test(s, "speed change keeps the replay position", test_speed_change_keeps_replay_position) ||
	    !CU_add_test(s, "speed steps", test_speed_steps) ||
	    !CU_add_test(s, "flow view is the replay's snapshot until every packet is shown",
			 test_flow_view_is_the_replays_snapshot_until_every_packet_is_shown) ||
	    !CU_add_test(s, "layout fills 80x24 and zooms", test_layout_fills_80x24_and_zooms))
		return -1;
	return 0;
}
