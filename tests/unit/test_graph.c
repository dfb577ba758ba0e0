/* test_graph.c — the graph model and its plot against hand-computed values: axes, window scaling, RTT samples under Karn's rule, bytes in flight, merging, glyph places (pcaps/handshake.pcap, pcaps/lossy.pcap, built packets). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fixture.h"
#include "graph/graph.h"
#include "graph/graph_plot.h"
#include "source/pipeline.h"

/* What each packet of a capture gave, by packet number (1-based). */
struct fed {
	struct graph *g;
	struct graph_sample s[2048];
	int64_t ts[2048];
	size_t n;
};

/* Feed every TCP packet of flow 1 of pcaps/NAME into a new graph. */
static bool feed_file(const char *name, struct fed *f, uint32_t points)
{
	char path[256], err[512];
	snprintf(path, sizeof path, "pcaps/%s", name);
	struct pipeline_opts o = { .file = path };
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	if (!pl) {
		fprintf(stderr, "\n%s\n", err);
		return false;
	}
	memset(f, 0, sizeof *f);
	f->g = graph_new(points, 0);
	const struct packet *p;
	struct track_result tr;
	while (f->g && pipeline_next_ref(pl, &p, &tr) == 1) {
		if (p->n >= 2048 || !graph_pkt_usable(p, &tr) || tr.flow->id != 1)
			continue;
		struct graph_pkt gp;
		graph_pkt_from(&gp, p, &tr);
		graph_feed(f->g, &gp, &f->s[p->n]);
		f->ts[p->n] = gp.ts_ns;
		f->n = p->n;
	}
	pipeline_close(pl);
	return f->g != NULL;
}

/* ---- Axes ---- */

/* Axis a has this step, range, tick count and unit, and tick i's label is `label`. */
static void expect_axis(const struct graph_axis *a, double step, double lo, double hi, int nticks, const char *unit,
			int i, const char *label)
{
	char buf[16];
	CU_ASSERT_DOUBLE_EQUAL(a->step, step, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(a->lo, lo, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(a->hi, hi, 1e-9);
	CU_ASSERT_EQUAL(a->nticks, nticks);
	CU_ASSERT_STRING_EQUAL(a->unit, unit);
	graph_axis_label(a, i, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, label);
}

static void test_axis_time_ticks_are_nice_and_labelled_in_ms(void)
{
	struct graph_axis a;
	graph_axis_make(&a, 0, 1.234e6, 6, GU_TIME, "time");
	/* raw step 1.234 ms / 5 = 246.8 us -> 500 us; 0 .. 1.5 ms in 4 ticks */
	expect_axis(&a, 5e5, 0, 1.5e6, 4, "ms", 3, "1.5");
	CU_ASSERT_STRING_EQUAL(a.title, "time (ms)");
	char buf[16];
	graph_axis_label(&a, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "0.0");
}

static void test_axis_bytes_widen_to_a_coarser_step_when_ticks_overflow(void)
{
	struct graph_axis a;
	/* 150..950 with 5 ticks: step 200 would need 0..1000 = 6 ticks, so the next nice step, 500 */
	graph_axis_make(&a, 150, 950, 5, GU_BYTES, "bytes");
	expect_axis(&a, 500, 0, 1000, 3, "kB", 1, "0.5");
	graph_axis_make(&a, 0, 1000000, 6, GU_BYTES, "bytes");
	expect_axis(&a, 200000, 0, 1000000, 6, "MB", 2, "0.4");
	/* an empty range still gets an axis */
	graph_axis_make(&a, 0, 0, 4, GU_BYTES, "bytes");
	CU_ASSERT_TRUE(a.hi > a.lo);
	CU_ASSERT_STRING_EQUAL(a.unit, "B");
	CU_ASSERT_EQUAL(a.decimals, 0);
}

static void test_kind_names_parse_exactly(void)
{
	enum graph_kind k;
	CU_ASSERT_TRUE(graph_kind_parse("rtt", 3, &k) && k == GRAPH_RTT);
	CU_ASSERT_TRUE(graph_kind_parse("inflight:3", 8, &k) && k == GRAPH_INFLIGHT);
	CU_ASSERT_FALSE(graph_kind_parse("rt", 2, &k));
	CU_ASSERT_FALSE(graph_kind_parse("tsgx", 4, &k));
	CU_ASSERT_STRING_EQUAL(graph_kind_name(GRAPH_THROUGHPUT), "throughput");
}

/* ---- A real handshake (pcaps/handshake.pcap): window scale 10 both ways, one message each way ---- */

static void test_handshake_rtt_window_and_inflight_by_hand(void)
{
	struct fed f;
	CU_ASSERT_FATAL(feed_file("handshake.pcap", &f, 0));
	struct graph *g = f.g;
	CU_ASSERT_EQUAL(f.n, 10);
	CU_ASSERT_TRUE(g->scale_known);
	/* SYN .597967, SYN-ACK .597985: 18 us; ACK .598005 of the SYN-ACK: 20 us; data .598247, ACK .598259: 12 us;
	   the client's FIN .598329, the server's FIN-ACK .598513: 184 us. */
	CU_ASSERT_TRUE(f.s[2].rtt_seq_valid && f.s[2].rtt_seq_ns == 18000);
	CU_ASSERT_TRUE(f.s[3].rtt_seq_valid && f.s[3].rtt_seq_ns == 20000);
	CU_ASSERT_TRUE(f.s[5].rtt_seq_valid && f.s[5].rtt_seq_ns == 12000);
	CU_ASSERT_TRUE(f.s[9].rtt_seq_valid && f.s[9].rtt_seq_ns == 184000);
	CU_ASSERT_FALSE(f.s[4].rtt_seq_valid); /* data, no new ACK */
	/* The SYN-ACK's window is never scaled (65483); later ones are 64 << 10. */
	CU_ASSERT_TRUE(f.s[2].rwnd_valid && f.s[2].rwnd == 65483);
	CU_ASSERT_TRUE(f.s[3].rwnd_valid && f.s[3].rwnd == 65536);
	CU_ASSERT_EQUAL(g->d[DIR_C2S].rwnd, 65536);
	/* 18 bytes each way, one segment in flight at a time */
	CU_ASSERT_TRUE(f.s[4].bif_valid && f.s[4].bif == 18);
	CU_ASSERT_TRUE(f.s[6].bif_valid && f.s[6].bif == 18);
	CU_ASSERT_FALSE(f.s[8].bif_valid); /* a bare FIN carries no data */
	/* The client's segments: SYN 0..1, data 1..19, FIN 19..20 */
	const struct graph_series *seg = &g->d[DIR_C2S].s[GS_SEG];
	CU_ASSERT_EQUAL_FATAL(seg->n, 3);
	CU_ASSERT_TRUE(seg->pt[0].lo == 0 && seg->pt[0].hi == 1 && (seg->pt[0].marks & GM_SYN));
	CU_ASSERT_TRUE(seg->pt[1].lo == 1 && seg->pt[1].hi == 19 && seg->pt[1].bytes == 18);
	CU_ASSERT_TRUE(seg->pt[2].lo == 19 && seg->pt[2].hi == 20 && (seg->pt[2].marks & GM_FIN));
	/* The server's ACKs of them, with the right window edge ack + 65536 */
	const struct graph_series *ack = &g->d[DIR_C2S].s[GS_ACK];
	CU_ASSERT_TRUE_FATAL(ack->n >= 2);
	CU_ASSERT_EQUAL(ack->pt[0].lo, 1); /* the SYN-ACK */
	CU_ASSERT_EQUAL(ack->pt[ack->n - 1].lo, 20);
	CU_ASSERT_EQUAL(ack->pt[ack->n - 1].hi, 20 + 65536);
	CU_ASSERT_EQUAL(graph_main_dir(g), DIR_C2S); /* 18 bytes each way: the client's on a tie */
	graph_free(g);
}

/* ---- Loss (pcaps/lossy.pcap): packets 676..682, counted by hand from tcpdump -tt ---- */

static void test_lossy_karn_rule_and_timestamp_echo(void)
{
	struct fed f;
	CU_ASSERT_FATAL(feed_file("lossy.pcap", &f, 0));
	/* 676 sends 486529:487977 (lost), 677 sends 487977:489425 at .180720, 678 the dup ACK 486529 with SACK
	   487977-489425, 679 resends 486529:487977 at .180734, 680 ACKs 489425 at .180737: it acknowledges a
	   resent segment, so no sample (Karn; tshark says 17 us, from 677); its TSecr names the resend: 3 us. */
	CU_ASSERT_FALSE(f.s[680].rtt_seq_valid);
	CU_ASSERT_TRUE(f.s[680].rtt_karn);
	CU_ASSERT_TRUE(f.s[680].rtt_ts_valid);
	CU_ASSERT_EQUAL(f.s[680].rtt_ts_ns, 3000);
	/* 681 at .180990, its ACK 682 at .180993: an ordinary sample */
	CU_ASSERT_TRUE(f.s[682].rtt_seq_valid && f.s[682].rtt_seq_ns == 3000);
	CU_ASSERT_FALSE(f.s[682].rtt_karn);
	/* The dup ACK gives nothing; bytes in flight at the resend: 486529..489425 less the SACKed 1448 */
	CU_ASSERT_FALSE(f.s[678].rtt_seq_valid || f.s[678].rtt_ts_valid);
	CU_ASSERT_TRUE(f.s[677].bif_valid && f.s[677].bif == 2896);
	CU_ASSERT_TRUE(f.s[679].bif_valid && f.s[679].bif == 1448);
	/* The client offered shift 10, the server 0: the server's windows are taken as they are */
	CU_ASSERT_TRUE(f.g->scale_known);
	CU_ASSERT_TRUE(f.s[678].rwnd_valid && f.s[678].rwnd == 38772);
	const struct graph_dir *c = &f.g->d[DIR_C2S];
	bool resend = false, dup = false, sack = false, zero = false, dsack = false;
	for (uint32_t i = 0; i < c->s[GS_SEG].n; i++) {
		const struct graph_point *p = &c->s[GS_SEG].pt[i];
		if (p->pkt == 679)
			resend = p->lo == 486529 && p->hi == 487977 && (p->marks & GM_RETRANS) && p->bytes_retx == 1448;
	}
	for (uint32_t i = 0; i < c->s[GS_ACK].n; i++) {
		const struct graph_point *p = &c->s[GS_ACK].pt[i];
		if (p->pkt == 678)
			dup = p->lo == 486529 && (p->marks & GM_DUPACK);
		if (p->marks & GM_ZEROWIN)
			zero = p->lo == p->hi; /* the window edge sits on the ACK */
	}
	for (uint32_t i = 0; i < c->s[GS_SACK].n; i++) {
		const struct graph_point *p = &c->s[GS_SACK].pt[i];
		if (p->pkt == 678)
			sack = p->lo == 487977 && p->hi == 489425 && !(p->marks & GM_DSACK);
		if (p->marks & GM_DSACK)
			dsack = true;
	}
	CU_ASSERT_TRUE(resend);
	CU_ASSERT_TRUE(dup);
	CU_ASSERT_TRUE(sack);
	CU_ASSERT_TRUE(zero);
	CU_ASSERT_TRUE(dsack);
	CU_ASSERT_EQUAL(graph_main_dir(f.g), DIR_C2S);
	CU_ASSERT_EQUAL(c->bytes, 1500000 + c->bytes_retx);
	graph_free(f.g);
}

/* A sink that keeps the marks it is given. */
struct marks {
	struct graph_frame f;
	int n;
	struct {
		enum graph_style s;
		double x, y;
	} m[4096];
	int boxes, lines;
	double box_sum_bytes_px; /* throughput: sum of box heights */
};

static void rec_frame(void *arg, const struct graph_frame *f)
{
	((struct marks *)arg)->f = *f;
}

static void rec_mark(void *arg, enum graph_style s, double x, double y)
{
	struct marks *r = arg;
	if (r->n < 4096) {
		r->m[r->n].s = s;
		r->m[r->n].x = x;
		r->m[r->n].y = y;
		r->n++;
	}
}

static void rec_box(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	struct marks *r = arg;
	(void)x0;
	(void)x1;
	r->boxes++;
	if (s == GST_BYTES)
		r->box_sum_bytes_px += y1 - y0;
}

static void rec_line(void *arg, enum graph_style s, double x0, double y0, double x1, double y1)
{
	(void)s;
	(void)x0;
	(void)y0;
	(void)x1;
	(void)y1;
	((struct marks *)arg)->lines++;
}

/* Plot `kind` of the client's data of graph g into the recording sink r (cleared first), w×h with 6 ticks
   per axis at most; *fr gets the frame. */
static struct marks r;
static void plot_into(const struct graph *g, enum graph_kind kind, double w, double h, struct graph_frame *fr)
{
	memset(&r, 0, sizeof r);
	struct graph_sink sink = { &r, rec_frame, rec_box, rec_line, rec_mark };
	struct graph_view v = { .kind = kind, .dir = DIR_C2S, .w = w, .h = h, .xticks = 6, .yticks = 6 };
	graph_plot(g, &v, &sink, fr);
}

/* feed_file() then plot_into(). */
static bool plot_file(const char *name, struct fed *f, enum graph_kind kind, double w, double h, struct graph_frame *fr)
{
	if (!feed_file(name, f, 0))
		return false;
	plot_into(f->g, kind, w, h, fr);
	return true;
}

static void test_tsg_glyphs_at_hand_computed_places(void)
{
	struct fed f;
	struct graph_frame fr;
	CU_ASSERT_FATAL(plot_file("lossy.pcap", &f, GRAPH_TSG, 1000, 500, &fr));
	/* The flow lasts 0.343 s: 5 ticks of 100 ms (0 .. 0.4 s); sequence numbers reach 1.5 MB plus a 40 kB
	   window: 5 ticks of 0.5 MB (0 .. 2 MB). */
	CU_ASSERT_DOUBLE_EQUAL(fr.x.step, 1e8, 1e-3);
	CU_ASSERT_DOUBLE_EQUAL(fr.x.hi, 4e8, 1e-3);
	CU_ASSERT_STRING_EQUAL(fr.x.unit, "ms"); /* labels 0 .. 400 */
	CU_ASSERT_DOUBLE_EQUAL(fr.y.step, 5e5, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(fr.y.hi, 2e6, 1e-6);
	CU_ASSERT_STRING_EQUAL(fr.y.unit, "MB");
	CU_ASSERT_FALSE(fr.empty);
	/* The resend 679, 0.089386 s after the SYN, of 486529:487977: R at x = 0.089386 / 0.4 * 1000, at the
	   top of its bar, y = 500 - 487977 / 2e6 * 500. The SYN at the origin (0, 500). */
	bool resend = false, syn = false, fin = false, dup = false;
	for (int i = 0; i < r.n; i++) {
		if (r.m[i].s == GST_SEG_RETX && r.m[i].x > 223.4 && r.m[i].x < 223.5)
			resend = r.m[i].x - 223.465 < 1e-6 && 223.465 - r.m[i].x < 1e-6 &&
				 r.m[i].y - 378.00575 < 1e-6 && 378.00575 - r.m[i].y < 1e-6;
		if (r.m[i].s == GST_SYN)
			syn = r.m[i].x == 0 && r.m[i].y == 500;
		if (r.m[i].s == GST_FIN) /* the FIN 0.342768 s: seq 1485465 + 14536 + 1 */
			fin = r.m[i].x - 856.92 < 1e-6 && 856.92 - r.m[i].x < 1e-6 &&
			      r.m[i].y - (500 - 1500002 / 2e6 * 500) < 1e-6 && (500 - 1500002 / 2e6 * 500) - r.m[i].y < 1e-6;
		if (r.m[i].s == GST_DUPACK && r.m[i].x > 223.4 && r.m[i].x < 223.5) /* 678 at 0.089376 */
			dup = r.m[i].x - 223.44 < 1e-6 && 223.44 - r.m[i].x < 1e-6;
	}
	CU_ASSERT_TRUE(resend);
	CU_ASSERT_TRUE(syn);
	CU_ASSERT_TRUE(fin);
	CU_ASSERT_TRUE(dup);
	uint32_t want = (1u << GST_SEG) | (1u << GST_SEG_RETX) | (1u << GST_ACK) | (1u << GST_RWND) | (1u << GST_SACK) |
			(1u << GST_DUPACK) | (1u << GST_ZEROWIN) | (1u << GST_SYN) | (1u << GST_FIN);
	CU_ASSERT_EQUAL(fr.styles & want, want);
	CU_ASSERT_FALSE(fr.styles & (1u << GST_RST));
	/* Marks never leave the plot area */
	for (int i = 0; i < r.n; i++)
		CU_ASSERT_TRUE(r.m[i].x >= 0 && r.m[i].x <= 1000 && r.m[i].y >= 0 && r.m[i].y <= 500);
	/* The cursor's time maps back: x of the resend -> the resend's packet */
	int64_t t = graph_frame_time(&fr, 223.465);
	const struct graph_series *seg = &f.g->d[DIR_C2S].s[GS_SEG];
	CU_ASSERT_EQUAL(seg->pt[graph_series_find(seg, t)].pkt, 679);
	graph_free(f.g);
}

static void test_throughput_interval_from_duration_and_bytes_kept(void)
{
	struct fed f;
	struct graph_frame fr;
	CU_ASSERT_FATAL(plot_file("lossy.pcap", &f, GRAPH_THROUGHPUT, 1000, 500, &fr));
	/* 0.4 s shown / 60 bars = 6.67 ms -> the next nice interval, 10 ms */
	CU_ASSERT_EQUAL(fr.interval_ns, 10000000);
	CU_ASSERT_TRUE(strstr(fr.y.title, "bytes sent per 10 ms") == fr.y.title);
	/* every payload byte is in some bar: sum of heights * (axis span / h) = bytes sent */
	double bytes = r.box_sum_bytes_px * (fr.y.hi - fr.y.lo) / 500;
	const struct graph_dir *c = &f.g->d[DIR_C2S];
	CU_ASSERT_DOUBLE_EQUAL(bytes, (double)c->bytes, 1);
	CU_ASSERT_TRUE(fr.styles & (1u << GST_BYTES_RETX));
	graph_free(f.g);
}

static void test_rtt_and_inflight_plots_hold_every_sample(void)
{
	struct fed f;
	struct graph_frame fr;
	CU_ASSERT_FATAL(plot_file("lossy.pcap", &f, GRAPH_RTT, 800, 400, &fr));
	int seq = 0, ts = 0, want_seq = 0, want_ts = 0;
	for (size_t i = 1; i <= f.n; i++) {
		/* the client's data is acked by the server: samples on server packets */
		want_seq += f.s[i].rtt_seq_valid;
		want_ts += f.s[i].rtt_ts_valid;
	}
	for (int i = 0; i < r.n; i++) {
		seq += r.m[i].s == GST_RTT_SEQ;
		ts += r.m[i].s == GST_RTT_TS;
	}
	/* every sample of the client's data is drawn; the others (the client's ACKs of the server's SYN and
	   FIN) are on the other direction's graph */
	const struct graph_dir *c = &f.g->d[DIR_C2S], *s = &f.g->d[DIR_S2C];
	CU_ASSERT_EQUAL(seq, (int)c->s[GS_RTT_SEQ].n);
	CU_ASSERT_EQUAL(ts, (int)c->s[GS_RTT_TS].n);
	CU_ASSERT_EQUAL(want_seq, (int)(c->s[GS_RTT_SEQ].n + s->s[GS_RTT_SEQ].n));
	CU_ASSERT_EQUAL(want_ts, (int)(c->s[GS_RTT_TS].n + s->s[GS_RTT_TS].n));
	CU_ASSERT_EQUAL(s->s[GS_RTT_SEQ].n, 2);
	/* the slowest sample, 40.133 ms (packet 1078's timestamp echo, while the window was closing), with 6
	   ticks: 40.133 / 5 = 8.03 ms -> 10 ms steps, 0 .. 50 ms */
	CU_ASSERT_STRING_EQUAL(fr.y.title, "round-trip time (ms)");
	CU_ASSERT_DOUBLE_EQUAL(fr.y.step, 1e7, 1);
	CU_ASSERT_DOUBLE_EQUAL(fr.y.hi, 5e7, 1);
	CU_ASSERT_EQUAL(fr.y.nticks, 6);
	plot_into(f.g, GRAPH_INFLIGHT, 800, 400, &fr);
	int bif = 0, want_bif = 0;
	for (size_t i = 1; i <= f.n; i++)
		want_bif += f.s[i].bif_valid;
	for (int i = 0; i < r.n; i++)
		bif += r.m[i].s == GST_INFLIGHT;
	CU_ASSERT_EQUAL(bif, want_bif);
	CU_ASSERT_TRUE(fr.styles & (1u << GST_RWND));
	CU_ASSERT_FALSE(fr.styles & (1u << GST_CWND));
	graph_free(f.g);
}

/* ---- Built packets: scaling without a handshake, merging, long flows ---- */

static void feed_conn(struct graph *g, const struct conn *c)
{
	struct graph_pkt gp;
	graph_pkt_from(&gp, &c->p, &c->r);
	graph_feed(g, &gp, NULL);
}

static void test_window_scale_only_when_both_ends_offered_it(void)
{
	struct flow_table *t = flowtab_new(8);
	struct graph *g = graph_new(0, 0);
	struct conn c;
	conn_init(&c, t, 0, 40000, 80);
	syn(&c, 1, 0, 7, 0);
	feed_conn(g, &c);
	syn(&c, 0, 1, -1, 10); /* the server offers no scaling: nobody scales */
	feed_conn(g, &c);
	seg(&c, 1, TCP_ACK, 1, 1, 0, 512, 10);
	feed_conn(g, &c);
	CU_ASSERT_TRUE(g->scale_known);
	CU_ASSERT_EQUAL(g->d[DIR_S2C].rwnd, 512);
	graph_free(g);
	/* Mid-connection (no SYN seen): the shift is unknown, windows are drawn raw */
	g = graph_new(0, 0);
	struct conn m;
	conn_init(&m, t, 0, 40001, 80);
	seg(&m, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 300, 0);
	feed_conn(g, &m);
	seg(&m, 0, TCP_ACK, 1, 101, 0, 200, 50);
	feed_conn(g, &m);
	CU_ASSERT_FALSE(g->scale_known);
	CU_ASSERT_EQUAL(g->d[DIR_C2S].rwnd, 200);
	/* relative numbers start at 1 mid-connection: the data is 1..101, acked to 101 after 50 us */
	CU_ASSERT_EQUAL(g->d[DIR_C2S].s[GS_SEG].pt[0].lo, 1);
	CU_ASSERT_EQUAL(g->d[DIR_C2S].s[GS_ACK].pt[0].lo, 101);
	CU_ASSERT_EQUAL(g->d[DIR_C2S].s[GS_RTT_SEQ].n, 1);
	CU_ASSERT_EQUAL(g->d[DIR_C2S].s[GS_RTT_SEQ].pt[0].lo, 50000);
	graph_free(g);
	flowtab_free(t);
}

static void test_full_series_halve_and_keep_marks_and_bytes(void)
{
	struct flow_table *t = flowtab_new(8);
	struct graph *g = graph_new(16, 0);
	struct conn c;
	conn_init(&c, t, 0, 40002, 80);
	syn(&c, 1, 0, 0, 0);
	feed_conn(g, &c);
	syn(&c, 0, 1, 0, 10);
	feed_conn(g, &c);
	uint32_t at = 1;
	for (int i = 0; i < 40; i++) {
		/* segment 20 is sent twice */
		seg(&c, 1, TCP_ACK, i == 21 ? at - 100 : at, 1, 100, 1000, 10);
		feed_conn(g, &c);
		if (i != 21)
			at += 100;
	}
	const struct graph_series *s = &g->d[DIR_C2S].s[GS_SEG];
	CU_ASSERT_TRUE(s->n <= 16);
	CU_ASSERT_EQUAL(s->stride, 4); /* 41 segments: 16 at stride 1, 8+8 at 2, then 4 */
	uint64_t bytes = 0;
	uint32_t n = 0;
	bool retx = false;
	for (uint32_t i = 0; i < s->n; i++) {
		bytes += s->pt[i].bytes;
		n += s->pt[i].n;
		retx |= (s->pt[i].marks & GM_RETRANS) != 0;
		if (i)
			CU_ASSERT_TRUE(s->pt[i].t0 > s->pt[i - 1].t1);
	}
	CU_ASSERT_EQUAL(n, 41);
	CU_ASSERT_EQUAL(bytes, 4000);
	CU_ASSERT_TRUE(retx);
	CU_ASSERT_TRUE(s->pt[0].marks & GM_SYN);
	graph_free(g);
	flowtab_free(t);
}

static void test_sequence_numbers_unwrap_past_4_GiB(void)
{
	struct graph *g = graph_new(0, 0);
	struct graph_pkt p = { .n = 1, .ts_ns = 1000, .flow_id = 7, .dir = DIR_C2S, .flags = TCP_SYN, .seq = 4000000000u };
	graph_feed(g, &p, NULL);
	uint32_t seq = 4000000001u;
	for (int i = 0; i < 5; i++) {
		struct graph_pkt d = { .n = (uint64_t)i + 2, .ts_ns = 2000 + i, .flow_id = 7, .dir = DIR_C2S,
				       .flags = TCP_ACK, .seq = seq, .len = 1000000000u };
		graph_feed(g, &d, NULL);
		seq += 1000000000u;
	}
	const struct graph_series *s = &g->d[DIR_C2S].s[GS_SEG];
	CU_ASSERT_EQUAL_FATAL(s->n, 6);
	CU_ASSERT_EQUAL(s->pt[5].lo, 4000000001ull);
	CU_ASSERT_EQUAL(s->pt[5].hi, 5000000001ull);
	CU_ASSERT_FALSE(s->pt[5].marks & GM_RETRANS);
	/* a packet of another flow is not fed */
	struct graph_pkt other = { .n = 9, .ts_ns = 9000, .flow_id = 8, .dir = DIR_C2S, .flags = TCP_SYN };
	graph_feed(g, &other, NULL);
	CU_ASSERT_EQUAL(g->pkts, 6);
	graph_free(g);
}

static void test_cwnd_fed_by_a_view_is_drawn_over_inflight(void)
{
	struct fed f;
	CU_ASSERT_FATAL(feed_file("handshake.pcap", &f, 0));
	graph_feed_cwnd(f.g, DIR_C2S, f.g->t_first, 10 * 65483);
	graph_feed_cwnd(f.g, DIR_C2S, f.g->t_last, 20 * 65483);
	struct graph_frame fr;
	plot_into(f.g, GRAPH_INFLIGHT, 600, 300, &fr);
	CU_ASSERT_TRUE(fr.styles & (1u << GST_CWND));
	CU_ASSERT_TRUE(fr.y.hi >= 20.0 * 65483); /* the axis makes room for the window */
	CU_ASSERT_EQUAL(f.g->d[DIR_C2S].s[GS_CWND].n, 2);
	graph_free(f.g);
}

int register_test_graph(void)
{
	CU_pSuite s = CU_add_suite("graph", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "axis: time ticks nice, labelled in ms", test_axis_time_ticks_are_nice_and_labelled_in_ms) ||
	    !CU_add_test(s, "axis: bytes widen to a coarser step", test_axis_bytes_widen_to_a_coarser_step_when_ticks_overflow) ||
	    !CU_add_test(s, "kind names parse exactly", test_kind_names_parse_exactly) ||
	    !CU_add_test(s, "handshake.pcap: RTT, window, in flight by hand", test_handshake_rtt_window_and_inflight_by_hand) ||
	    !CU_add_test(s, "lossy.pcap: Karn's rule and timestamp echo", test_lossy_karn_rule_and_timestamp_echo) ||
	    !CU_add_test(s, "lossy.pcap: tsg glyphs at hand-computed places", test_tsg_glyphs_at_hand_computed_places) ||
	    !CU_add_test(s, "lossy.pcap: throughput interval, bytes kept", test_throughput_interval_from_duration_and_bytes_kept) ||
	    !CU_add_test(s, "lossy.pcap: rtt and inflight plots hold every sample", test_rtt_and_inflight_plots_hold_every_sample) ||
	    !CU_add_test(s, "window scale only when both ends offered it", test_window_scale_only_when_both_ends_offered_it) ||
	    !CU_add_test(s, "full series halve, keep marks and bytes", test_full_series_halve_and_keep_marks_and_bytes) ||
	    !CU_add_test(s, "sequence numbers unwrap past 4 GiB", test_sequence_numbers_unwrap_past_4_GiB) ||
	    !CU_add_test(s, "cwnd fed by a view is drawn over inflight", test_cwnd_fed_by_a_view_is_drawn_over_inflight))
		return 1;
	return 0;
}
