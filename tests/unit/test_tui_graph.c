/* test_tui_graph.c — the panel's graph pane over pcaps/lossy.pcap: keys give flags and never draw, the glyphs stand at the columns of their packets, the cursor selects packets, the flow stays, new packets fed at once and drawn in their turn; the kernel's numbers beside the wire. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "tui/tui_panel.h"
#include "tui_screen.h"

#define LOSSY "pcaps/lossy.pcap"

/* A panel over lossy.pcap at cols × rows, the graph of its one flow open (the last packet selected). */
static bool graph_rig(struct rig *r, int cols, int rows, bool utf8)
{
	if (!rig_open_file(r, LOSSY, cols, rows, false))
		return false;
	r->t->utf8 = utf8;
	press(r, 'g');
	return r->t->lower == LOWER_GRAPH && r->t->graph.id == 1 && r->t->graph.drawn;
}

/* The screen rows of the plot: those whose margin ends in '+' or '|' just before the plot's first column. */
static bool plot_row(struct rig *r, int y)
{
	int x = r->t->graph.plot_x - 1;
	return y > r->t->lay.y[PANE_LOWER] && x >= 0 &&
	       (!strcmp(r->sc.cell[y][x], "+") || !strcmp(r->sc.cell[y][x], "|"));
}

/* Whether column x of the plot holds text (a glyph) in any plot row. */
static bool column_has(struct rig *r, int x, const char *glyph)
{
	for (int y = 0; y < r->sc.s.rows; y++)
		if (plot_row(r, y) && !strcmp(r->sc.cell[y][x], glyph))
			return true;
	return false;
}

static void test_graph_keys_return_flags_and_never_draw(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(graph_rig(&r, 120, 40, true));
	struct tui *t = r.t;
	struct tui_mouse none = { .what = MOUSE_NONE };
	unsigned before = r.sc.puts;
	CU_ASSERT_EQUAL(t->focus, PANE_LOWER);
	CU_ASSERT_EQUAL(t->graph.kind, GRAPH_TSG);
	CU_ASSERT_EQUAL(tui_key(t, 'g', &none), D_LOWER); /* the same flow again: the next kind */
	CU_ASSERT_EQUAL(t->graph.kind, GRAPH_THROUGHPUT);
	tui_key(t, 'g', &none);
	tui_key(t, 'g', &none);
	CU_ASSERT_EQUAL(t->graph.kind, GRAPH_INFLIGHT);
	tui_key(t, 'g', &none);
	CU_ASSERT_EQUAL(t->graph.kind, GRAPH_TSG); /* round again */
	CU_ASSERT_EQUAL(t->graph.dir, DIR_C2S);    /* the client sent the data */
	CU_ASSERT_EQUAL(tui_key(t, 'r', &none), D_LOWER);
	CU_ASSERT_EQUAL(t->graph.dir, DIR_S2C);
	CU_ASSERT_TRUE(t->graph.dir_chosen);
	tui_key(t, 'r', &none);
	/* Pan before a zoom: a message, the view unchanged. */
	CU_ASSERT_EQUAL(tui_key(t, '<', &none), D_FOOTER);
	CU_ASSERT_EQUAL(t->graph.t_from, 0);
	CU_ASSERT_EQUAL(tui_key(t, 'i', &none), D_LOWER);
	int64_t span = t->graph.t_to - t->graph.t_from, whole = t->graph.g->t_last - t->graph.g->t_first;
	CU_ASSERT(span > 0 && span <= whole / 2 + 1);
	int64_t from = t->graph.t_from;
	CU_ASSERT_EQUAL(tui_key(t, '<', &none), D_LOWER);
	CU_ASSERT(t->graph.t_from < from || from == t->graph.g->t_first);
	CU_ASSERT(t->graph.t_from >= t->graph.g->t_first);
	CU_ASSERT_EQUAL(t->graph.t_to - t->graph.t_from, span); /* panning keeps the span */
	CU_ASSERT_EQUAL(tui_key(t, 'u', &none), D_LOWER);        /* out: the whole flow again */
	CU_ASSERT_EQUAL(t->graph.t_from, 0);
	CU_ASSERT_EQUAL(t->graph.t_to, 0);
	unsigned f = tui_key(t, TK_RIGHT, &none);
	CU_ASSERT(f & D_LOWER);
	CU_ASSERT(f & D_LIST); /* the list follows the cursor */
	CU_ASSERT_EQUAL(r.sc.puts, before); /* no key drew anything */
	CU_ASSERT_EQUAL(tui_key(t, '\r', &none), D_ALL); /* the ladder, at the packet under the cursor */
	CU_ASSERT_EQUAL(t->lower, LOWER_LADDER);
	CU_ASSERT_EQUAL(r.sc.puts, before);
	rig_close(&r);
}

/* Every retransmission mark of the model's client data stands in its column, and every 'R' on the plot
   is one of them (braille or ASCII). */
static void check_retransmissions(struct rig *r)
{
	const struct graph_pane *gp = &r->t->graph;
	const struct graph_series *seg = &gp->g->d[DIR_C2S].s[GS_SEG];
	bool want[SCOLS] = { false };
	int marks = 0;
	for (uint32_t i = 0; i < seg->n; i++)
		if (seg->pt[i].marks & GM_RETRANS) {
			int x = gp->plot_x + canvas_col(&gp->cv, graph_frame_x(&gp->frame, seg->pt[i].t0));
			want[x] = true;
			marks++;
			if (!column_has(r, x, "R"))
				screen_dump(&r->sc);
			CU_ASSERT(column_has(r, x, "R"));
		}
	CU_ASSERT(marks >= 2); /* lossy.pcap has resent segments */
	for (int x = 0; x < r->sc.s.cols; x++)
		if (column_has(r, x, "R") && !want[x]) {
			printf("\nan R at column %d with no retransmission there\n", x);
			CU_FAIL("R without a retransmission");
		}
}

static void test_retransmission_marks_stand_in_their_packets_columns(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(graph_rig(&r, 160, 50, true));
	SEE(&r.sc, " Graph: flow 1, Time-sequence, client's data");
	SEE(&r.sc, "y: relative sequence number (MB)");
	SEE(&r.sc, "x: time since the flow's first packet (ms)");
	SEE(&r.sc, "\xe2\xa1\x87 segment  R retransmission"); /* the legend: sample, then words */
	check_retransmissions(&r);
	/* Braille: the segments' bars are braille characters. */
	bool braille = false;
	for (int y = 0; y < r.sc.s.rows; y++)
		braille = braille || (plot_row(&r, y) && strstr(screen_row(&r.sc, y), "\xe2\xa0") != NULL);
	CU_ASSERT_TRUE(braille);
	/* The x axis: a '+' at each labelled tick, its label starting under it; the first is 0. */
	int axis = -1;
	for (int y = 0; y < r.sc.s.rows && axis < 0; y++)
		if (!strcmp(r.sc.cell[y][r.t->graph.plot_x], "+"))
			axis = y;
	CU_ASSERT_FATAL(axis > 0);
	CU_ASSERT_STRING_EQUAL(r.sc.cell[axis + 1][r.t->graph.plot_x], "0");
	rig_close(&r);
}

static void test_ascii_fallback_draws_glyphs_in_the_same_columns(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(graph_rig(&r, 160, 50, false));
	check_retransmissions(&r);
	SEE(&r.sc, "| segment  R retransmission  ___ ACK  === receive window");
	for (int y = r.t->lay.y[PANE_LOWER]; y < r.sc.s.rows; y++)
		for (const char *p = screen_row(&r.sc, y); *p; p++)
			if ((unsigned char)*p >= 0x80) {
				printf("\nnot ASCII in row %d: %s\n", y, screen_row(&r.sc, y));
				CU_FAIL("a non-ASCII byte in the ASCII graph");
				break;
			}
	/* A resize redraws at the new width: the marks move with the axis. */
	screen_init(&r.sc, 100, 40);
	r.t->dirty |= D_ALL;
	tui_draw(r.t, &r.sc.s);
	CU_ASSERT_EQUAL(r.t->graph.cv.cols, 100 - r.t->graph.plot_x - 1);
	check_retransmissions(&r);
	rig_close(&r);
}

static void test_the_cursor_selects_the_last_packet_at_or_before_its_column(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(graph_rig(&r, 160, 50, true));
	struct tui *t = r.t;
	press(&r, TK_HOME); /* the flow's first packet: the cursor goes there */
	CU_ASSERT_EQUAL(t->graph.cursor_t, t->graph.g->t_first);
	const struct tui_pkt *cur = tui_current(t, NULL);
	CU_ASSERT_FATAL(cur != NULL);
	CU_ASSERT_EQUAL(cur->s.n, 1);
	for (int step = 1; step <= 40; step++) {
		press(&r, TK_RIGHT);
		int col = canvas_col(&t->graph.cv, graph_frame_x(&t->graph.frame, t->graph.cursor_t));
		CU_ASSERT_EQUAL(col, step); /* one column a key */
		int64_t end = graph_frame_time(&t->graph.frame, (double)(col + 1) * t->graph.cv.sx);
		uint64_t seq;
		cur = tui_current(t, &seq);
		CU_ASSERT_FATAL(cur != NULL);
		CU_ASSERT(cur->s.ts_ns < end);
		/* ... and it is the last such packet: the flow's next one is later. */
		const struct tui_pkt *next = model_row(&t->m, seq + 1);
		if (next)
			CU_ASSERT(next->s.ts_ns >= end);
		/* The list selects that packet too. */
		const struct tui_pkt *row = list_pkt(t, t->list.lv.sel, NULL);
		CU_ASSERT_PTR_EQUAL(row, cur);
	}
	/* The status line names the packet under the cursor. */
	char want[32];
	snprintf(want, sizeof want, "#%llu ", (unsigned long long)cur->s.n);
	SEE(&r.sc, want);
	rig_close(&r);
}

static void test_moving_in_the_list_moves_the_cursor(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(graph_rig(&r, 160, 50, true));
	struct tui *t = r.t;
	press(&r, '\t'); /* focus: the packet list */
	CU_ASSERT_EQUAL(t->focus, PANE_LIST);
	press(&r, TK_HOME);
	for (int i = 0; i < 5; i++)
		press(&r, TK_DOWN);
	const struct tui_pkt *cur = tui_current(t, NULL);
	CU_ASSERT_FATAL(cur != NULL);
	CU_ASSERT_EQUAL(cur->s.n, 6);
	CU_ASSERT_EQUAL(t->graph.cursor_t, cur->s.ts_ns);
	/* The graph's keys work with the list focused, while the graph is shown. */
	CU_ASSERT_EQUAL(press(&r, 'r'), D_LOWER);
	CU_ASSERT_EQUAL(t->graph.dir, DIR_S2C);
	rig_close(&r);
}

static void test_the_graph_keeps_its_flow_until_g_is_pressed_on_another(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, "pcaps/timewait.pcap", 160, 50, false));
	struct tui *t = r.t;
	press(&r, TK_HOME); /* a packet of flow 1 */
	press(&r, 'g');
	CU_ASSERT_EQUAL(t->graph.id, 1);
	press(&r, '\t'); /* the list */
	press(&r, TK_END); /* the last packet: flow 2's */
	CU_ASSERT_EQUAL(tui_current(t, NULL)->s.flow_id, 2);
	CU_ASSERT_EQUAL(t->graph.id, 1); /* the graph stays */
	CU_ASSERT_EQUAL(t->ladder.id, 1);
	SEE(&r.sc, " Graph: flow 1,");
	press(&r, 'g'); /* now on flow 2's packet: its graph */
	CU_ASSERT_EQUAL(t->graph.id, 2);
	CU_ASSERT_EQUAL(t->graph.kind, GRAPH_TSG);
	SEE(&r.sc, " Graph: flow 2,");
	/* The graph's own keys say where they work when the graph is not shown. */
	press(&r, '\r'); /* the ladder */
	CU_ASSERT_EQUAL(t->lower, LOWER_LADDER);
	press(&r, 'i');
	SEE(&r.sc, "that key works in the graph");
	rig_close(&r);
}

/* While the graph is shown, a new packet of its flow is fed to it at the next frame, but the slot is redrawn
   only once its turn comes (D_GRAPHDATA, at most every 250 ms), not at every packet. */
static void test_new_packets_feed_the_graph_at_once_and_redraw_it_in_its_turn(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, LOSSY, 120, 40, true));
	struct tui *t = r.t;
	for (int i = 0; i < 20; i++)
		model_step_file(&t->m);
	press(&r, TK_HOME); /* a packet of the one flow (End would fast-forward the replay) */
	press(&r, 'g');
	CU_ASSERT_EQUAL_FATAL(t->lower, LOWER_GRAPH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->graph.g);
	uint64_t fed = t->graph.g->pkts;
	CU_ASSERT_EQUAL(fed, 20); /* the 20 packets stepped in, all of the one flow */
	t->lower_drawn = clock_mono_ns(); /* the slot has just been drawn */
	model_step_file(&t->m);
	CU_ASSERT(t->dirty & D_GRAPHDATA);
	CU_ASSERT_FALSE(t->dirty & D_LOWER);
	tui_draw(t, &r.sc.s);
	CU_ASSERT_EQUAL(t->graph.g->pkts, fed + 1); /* fed ... */
	CU_ASSERT(t->dirty & D_GRAPHDATA);          /* ... but not drawn yet: still due */
	t->lower_drawn = 0;                         /* its turn has come */
	tui_draw(t, &r.sc.s);
	CU_ASSERT_FALSE(t->dirty & D_GRAPHDATA);
	CU_ASSERT(t->lower_drawn > 0);
	CU_ASSERT_EQUAL(t->graph.g->pkts, fed + 1); /* fed once */
	/* With the ladder in the slot, a packet of its flow redraws it at the next frame, as before. */
	press(&r, '\r');
	CU_ASSERT_EQUAL_FATAL(t->lower, LOWER_LADDER);
	model_step_file(&t->m);
	CU_ASSERT(t->dirty & D_LOWER);
	CU_ASSERT_FALSE(t->dirty & D_GRAPHDATA);
	rig_close(&r);
}

static void test_a_flow_that_is_not_tcp_gets_a_message_not_a_graph(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, "pcaps/udp.pcap", 120, 40, false));
	press(&r, 'g');
	CU_ASSERT_NOT_EQUAL(r.t->lower, LOWER_GRAPH);
	SEE(&r.sc, "flow 1 is not TCP: the graphs are of TCP flows");
	rig_close(&r);
}

static void test_the_kernels_states_are_compared_with_the_wires(void)
{
	CU_ASSERT_TRUE(kernel_state_agrees(1, TCPS_ESTABLISHED));
	CU_ASSERT_TRUE(kernel_state_agrees(2, TCPS_SYN_SENT));
	CU_ASSERT_TRUE(kernel_state_agrees(3, TCPS_SYN_RECEIVED));
	CU_ASSERT_TRUE(kernel_state_agrees(4, TCPS_FIN_WAIT_1));
	CU_ASSERT_TRUE(kernel_state_agrees(5, TCPS_FIN_WAIT_2));
	CU_ASSERT_TRUE(kernel_state_agrees(6, TCPS_TIME_WAIT));
	CU_ASSERT_TRUE(kernel_state_agrees(8, TCPS_CLOSE_WAIT));
	CU_ASSERT_TRUE(kernel_state_agrees(9, TCPS_LAST_ACK));
	CU_ASSERT_TRUE(kernel_state_agrees(11, TCPS_CLOSING));
	CU_ASSERT_FALSE(kernel_state_agrees(5, TCPS_ESTABLISHED));
	CU_ASSERT_FALSE(kernel_state_agrees(1, TCPS_NONE));
	CU_ASSERT_FALSE(kernel_state_agrees(0, TCPS_NONE));   /* no kernel state 0 */
	CU_ASSERT_FALSE(kernel_state_agrees(200, TCPS_NONE)); /* nor anything past CLOSING */
	/* One read apart is the moment of a transition: nothing said. KERNEL_APART_READS in a row: said. */
	struct sockdiag_row row = { .proto = 6, .state = 5 };
	struct kernel_sock k = { .proto = 6, .flow_id = 1, .end = DIR_S2C, .wire = TCPS_ESTABLISHED, .apart = 1,
				 .apart_since = 1000000000 };
	char buf[512];
	CU_ASSERT_EQUAL(kernel_apart_text(&k, &row, 1150000000, buf, sizeof buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	k.apart = KERNEL_APART_READS;
	CU_ASSERT(kernel_apart_text(&k, &row, 1300000000, buf, sizeof buf) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "the kernel has this server end in FIN-WAIT-2, the packets say ESTABLISHED"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "for 2 reads, 0.30 s"));
	CU_ASSERT_EQUAL(kernel_apart_text(NULL, &row, 0, buf, sizeof buf), 0);
}

static void test_tcp_info_is_written_as_ss_tin_reads_it(void)
{
	struct sockdiag_tcpinfo ti = { .valid = true, .ca_state = 3, .retransmits = 1, .mss = 65483, .cwnd = 22,
				       .ssthresh = 21, .srtt_us = 965, .rttvar_us = 1557, .unacked = 4,
				       .total_retrans = 7, .delivery_rate = 372500000, .pacing_rate = UINT64_MAX };
	char buf[512];
	kernel_info_text(&ti, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "kernel: recovery  cwnd 22  mss 65483  ssthresh 21  rtt 0.965/1.557 ms  unacked 4  "
				    "retransmits 1  total_retrans 7  delivery 2.98 Gbit/s  pacing none");
	ti.ssthresh = SOCKDIAG_SSTHRESH_NONE;
	ti.delivery_rate = 0;
	ti.pacing_rate = 1250; /* 10 kbit/s */
	kernel_info_text(&ti, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "ssthresh -  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "delivery -  pacing 10.0 kbit/s"));
}

int register_test_tui_graph(void)
{
	CU_pSuite s = CU_add_suite("tui_graph", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "graph keys return flags and never draw", test_graph_keys_return_flags_and_never_draw) ||
	    !CU_add_test(s, "retransmission marks stand in their packets' columns",
			 test_retransmission_marks_stand_in_their_packets_columns) ||
	    !CU_add_test(s, "ASCII fallback draws glyphs in the same columns",
			 test_ascii_fallback_draws_glyphs_in_the_same_columns) ||
	    !CU_add_test(s, "the cursor selects the last packet at or before its column",
			 test_the_cursor_selects_the_last_packet_at_or_before_its_column) ||
	    !CU_add_test(s, "moving in the list moves the cursor", test_moving_in_the_list_moves_the_cursor) ||
	    !CU_add_test(s, "the graph keeps its flow until g is pressed on another",
			 test_the_graph_keeps_its_flow_until_g_is_pressed_on_another) ||
	    !CU_add_test(s, "new packets feed the graph at once and redraw it in its turn",
			 test_new_packets_feed_the_graph_at_once_and_redraw_it_in_its_turn) ||
	    !CU_add_test(s, "a flow that is not TCP gets a message, not a graph",
			 test_a_flow_that_is_not_tcp_gets_a_message_not_a_graph) ||
	    !CU_add_test(s, "the kernel's states are compared with the wire's",
			 test_the_kernels_states_are_compared_with_the_wires) ||
	    !CU_add_test(s, "tcp_info is written as ss -tin reads it", test_tcp_info_is_written_as_ss_tin_reads_it))
		return -1;
	return 0;
}
