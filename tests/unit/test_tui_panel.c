/* test_tui_panel.c — the panel without a terminal: a replay, keys, the screen in a sink that keeps the text. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "pktbuild.h"
#include "tui/tui_panel.h"
#include "tui_screen.h"

/* A panel over pcaps/handshake.pcap read to its end (speed 0), drawn once. */
static bool rig_open(struct rig *r, int cols, int rows, bool step)
{
	return rig_open_file(r, "pcaps/handshake.pcap", cols, rows, step);
}

static void type(struct rig *r, const char *text)
{
	for (const char *p = text; *p; p++)
		press(r, (unsigned char)*p);
}

static void test_replay_fills_status_list_flows_and_footer(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	struct screen *sc = &r.sc;
	CU_ASSERT_STRING_EQUAL(screen_row(sc, 0), " pcaps/handshake.pcap  capture: (all)  view: (all)");
	SEE(sc, "shown 10  captured 10");
	SEE(sc, "REPLAY END");
	CU_ASSERT_EQUAL(screen_find(sc, "No.     Time Source"), 2);
	SEE(sc, "TIME-WAIT  CLOSED"); /* the flow table: both ends' last states */
	CU_ASSERT_STRING_EQUAL(screen_row(sc, 23),
			       "F1Help F2Save F4Filter F5Pause F6Follow F7Slower F8Faster F9Clear F10Quit");
	/* The newest packet is selected in the focused list, and the details pane shows it. */
	int last = screen_find(sc, "  10 0.000562");
	CU_ASSERT(last > 2);
	if (last > 2)
		CU_ASSERT_EQUAL(sc->style[last][0], ROLE_SEL);
	SEE(sc, " Details: packet 10   Enter: ladder of its flow");
	rig_close(&r);
}

static void test_keys_return_flags_and_leave_drawing_to_the_loop(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	struct tui_mouse none = { .what = MOUSE_NONE };
	unsigned before = r.sc.puts;
	CU_ASSERT_EQUAL(tui_key(r.t, 'z', &none), D_ALL);
	CU_ASSERT_EQUAL(tui_key(r.t, TK_ESC, &none), D_ALL);
	CU_ASSERT_EQUAL(tui_key(r.t, TK_ESC, &none), 0); /* not zoomed: nothing to undo */
	CU_ASSERT_EQUAL(tui_key(r.t, 'q', &none), K_QUIT);
	CU_ASSERT_EQUAL(tui_key(r.t, TK_CTRL('l'), &none), D_ALL | K_REPAINT);
	CU_ASSERT_EQUAL(tui_key(r.t, 'x', &none), 0); /* unbound */
	CU_ASSERT_EQUAL(r.sc.puts, before); /* no key drew anything */
	rig_close(&r);
}

static void test_enter_on_a_flow_opens_its_ladder_and_enter_there_its_details(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	press(&r, '\t');
	CU_ASSERT_EQUAL(r.t->focus, PANE_FLOWS);
	press(&r, TK_HOME);
	unsigned f = press(&r, '\r');
	CU_ASSERT(f & D_ALL);
	CU_ASSERT_EQUAL(r.t->lower, LOWER_LADDER);
	CU_ASSERT_EQUAL(r.t->focus, PANE_LOWER);
	SEE(&r.sc, " Ladder: flow 1 (10 rows)   Enter: details  f: follow");
	SEE(&r.sc, "SYN-SENT");
	press(&r, '?'); /* the help names the focused pane's own keys too, below the table */
	press(&r, TK_END);
	SEE(&r.sc, "this pane:    Enter: details  f: follow");
	press(&r, 'x');
	press(&r, TK_DOWN); /* the ladder's second row: the SYN-ACK, selected in the list too */
	CU_ASSERT_EQUAL(r.t->list.lv.sel, 1);
	press(&r, TK_ENTER);
	CU_ASSERT_EQUAL(r.t->lower, LOWER_DETAILS);
	SEE(&r.sc, " Details: packet 2   Enter: ladder of its flow");
	SEE(&r.sc, "Frame 2:");
	rig_close(&r);
}

static void test_filter_prompt_refuses_an_invalid_filter_and_offers_it_again(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	press(&r, '/');
	CU_ASSERT_EQUAL(r.t->prompt.kind, PR_FILTER);
	CU_ASSERT_STRING_EQUAL(screen_row(&r.sc, 23), "Filter (BPF, empty: all, Esc cancels):");
	type(&r, "tcp and and q"); /* q is typed, not quitting */
	CU_ASSERT_EQUAL(r.sc.cy, 23);
	CU_ASSERT_EQUAL(r.sc.cx, (int)strlen("Filter (BPF, empty: all, Esc cancels): tcp and and q"));
	press(&r, TK_BACKSPACE);
	press(&r, TK_BACKSPACE);
	press(&r, '\r');
	CU_ASSERT_EQUAL(r.t->prompt.kind, PR_NONE);
	/* The message is longer than 80 columns: the footer grows to hold it, wrapped at a space. */
	CU_ASSERT_EQUAL(screen_find(&r.sc, "invalid filter: can't parse filter expression"), 22);
	CU_ASSERT_EQUAL(r.t->lay.footer_h, 2);
	CU_ASSERT_EQUAL(screen_find(&r.sc, "edits it again)"), 23);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.t->footer.msg, "; kept no filter (/ edits it again)"));
	CU_ASSERT_TRUE(r.t->footer.msg_err);
	CU_ASSERT_EQUAL(r.t->list.lv.count, 10);
	press(&r, TK_F(4));
	CU_ASSERT_STRING_EQUAL(r.t->prompt.input, "tcp and and");
	press(&r, TK_CTRL('w'));
	CU_ASSERT_STRING_EQUAL(r.t->prompt.input, "tcp and ");
	press(&r, TK_CTRL('u'));
	type(&r, "tcp[13] & 2 != 0\r");
	SEE(&r.sc, "view filter \"tcp[13] & 2 != 0\": looking at every packet...");
	int64_t wait;
	model_pump(&r.t->m, &wait); /* the pass (the reader thread's, in the loop) */
	r.t->dirty |= D_ALL;
	tui_draw(r.t, &r.sc.s);
	SEE(&r.sc, "view filter \"tcp[13] & 2 != 0\": 2 of 10 packets");
	SEE(&r.sc, "view: tcp[13] & 2 != 0");
	CU_ASSERT_EQUAL(r.t->list.lv.count, 2);
	press(&r, '/');
	press(&r, TK_ESC); /* cancelled: the filter stays */
	CU_ASSERT_EQUAL(r.t->prompt.kind, PR_NONE);
	CU_ASSERT_EQUAL(r.t->list.lv.count, 2);
	rig_close(&r);
}

static void test_help_lists_every_key_row_and_any_key_closes_it(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 120, 50, false));
	press(&r, '?');
	CU_ASSERT_EQUAL(r.t->ov, OV_HELP);
	SEE(&r.sc, "synwatch keys");
	SEE(&r.sc, "(any key closes this help)");
	for (size_t i = 0; i < keys_rows(); i++) {
		char label[64], want[128];
		keys_row_label(i, label, sizeof label);
		snprintf(want, sizeof want, "%-13s %.30s", label, keys_row_help(i));
		SEE(&r.sc, want);
	}
	SEE(&r.sc, "Colours: SYN green");
	CU_ASSERT_EQUAL(press(&r, TK_DOWN), D_ALL); /* it all fits: even a moving key closes it */
	CU_ASSERT_EQUAL(r.t->ov, OV_NONE);
	CU_ASSERT_EQUAL(screen_find(&r.sc, "synwatch keys"), -1);
	rig_close(&r);
}

static void test_help_taller_than_the_terminal_scrolls(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	press(&r, TK_F(1));
	SEE(&r.sc, "(Up/Down scroll, any other key closes)");
	CU_ASSERT_EQUAL(screen_find(&r.sc, "NO_COLOR: bold"), -1); /* the last line is below */
	press(&r, TK_END);
	CU_ASSERT_EQUAL(r.t->ov, OV_HELP);
	SEE(&r.sc, "NO_COLOR: bold");
	SEE(&r.sc, "synwatch keys"); /* the title stays */
	press(&r, TK_HOME);
	SEE(&r.sc, "Up k / Down j");
	press(&r, 'x');
	CU_ASSERT_EQUAL(r.t->ov, OV_NONE);
	rig_close(&r);
}

static void test_follow_view_pages_through_a_whole_flow(void)
{
	struct rig r;
	/* A flow of about 1 MB one way: far more lines than a screen (22 lines of text at 80x24). */
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, "pcaps/lossy.pcap", 80, 24, false));
	press(&r, 'f');
	CU_ASSERT_EQUAL(r.t->ov, OV_FOLLOW);
	SEE(&r.sc, " Follow TCP flow 1: 127.0.0.1:38242 > 127.0.0.1:8888");
	/* The replay is over: nothing more comes, and the bar does not say it follows anything. */
	CU_ASSERT_STRING_EQUAL(screen_row(&r.sc, 23), "Esc/f close  Up/Down/PgUp/PgDn/Home scroll  (end of the replay)");
	size_t total = r.t->follow.total;
	CU_ASSERT_FATAL(total > 100);
	CU_ASSERT_EQUAL(r.t->follow.top, total - 22);
	press(&r, TK_HOME);
	CU_ASSERT_EQUAL(r.t->follow.top, 0);
	CU_ASSERT_FALSE(r.t->follow.at_end);
	CU_ASSERT_EQUAL(screen_row(&r.sc, 1)[0], '>'); /* the client spoke first */
	char bar[120];
	snprintf(bar, sizeof bar, "End: the end  lines 1-22 of %zu", total);
	SEE(&r.sc, bar);
	press(&r, TK_UP); /* at the top already */
	CU_ASSERT_EQUAL(r.t->follow.top, 0);
	press(&r, TK_DOWN);
	CU_ASSERT_EQUAL(r.t->follow.top, 1);
	press(&r, TK_NPAGE);
	CU_ASSERT_EQUAL(r.t->follow.top, 23);
	CU_ASSERT_NOT_EQUAL(screen_row(&r.sc, 22)[0], '\0'); /* every row holds text */
	press(&r, TK_PPAGE);
	CU_ASSERT_EQUAL(r.t->follow.top, 1);
	for (size_t i = 0; i < total / 22 + 5; i++) /* past the end: the last page, not blank screens */
		press(&r, TK_NPAGE);
	CU_ASSERT_TRUE(r.t->follow.at_end);
	CU_ASSERT_EQUAL(r.t->follow.top, total - 22);
	CU_ASSERT_NOT_EQUAL(screen_row(&r.sc, 22)[0], '\0');
	press(&r, TK_PPAGE); /* one page up from the end, not from beyond it */
	CU_ASSERT_EQUAL(r.t->follow.top, total - 44);
	CU_ASSERT_NOT_EQUAL(screen_row(&r.sc, 1)[0], '\0');
	press(&r, TK_END);
	CU_ASSERT_TRUE(r.t->follow.at_end);
	press(&r, ' '); /* keys that are not the view's reach the panel under it */
	CU_ASSERT_TRUE(r.t->m.paused);
	CU_ASSERT_EQUAL(r.t->ov, OV_FOLLOW);
	press(&r, TK_F(6));
	CU_ASSERT_EQUAL(r.t->ov, OV_NONE);
	rig_close(&r);
}

static void test_ladder_title_counts_the_rows_of_the_flow_it_draws(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, "pcaps/timewait.pcap", 80, 24, false));
	press(&r, '\r'); /* the last packet's flow: 2 */
	SEE(&r.sc, " Ladder: flow 2 (10 rows)");
	while (r.t->focus != PANE_LIST)
		press(&r, '\t');
	press(&r, TK_HOME); /* packet 1: the ladder turns to flow 1, whose rows were not indexed yet */
	CU_ASSERT_EQUAL(r.t->ladder.id, 1);
	SEE(&r.sc, " Ladder: flow 1 (10 rows)");
	rig_close(&r);
}

static void test_clear_after_the_replay_counts_packets_and_says_the_replay_has_ended(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	press(&r, 'c');
	SEE(&r.sc, "cleared 10 packets; flows idle since are hidden");
	SEE(&r.sc, "shown 0  captured 10");
	SEE(&r.sc, "list cleared (c); the replay has ended: no more packets will come");
	CU_ASSERT_EQUAL(screen_find(&r.sc, "waiting for packets"), -1);
	rig_close(&r);
}

/* A capture of an ARP request, a DNS query over UDP and an HTTP request over TCP (Ethernet, loopback
   addresses), written to path. */
static bool write_app_capture(const char *path)
{
	pcap_t *dead = pcap_open_dead(LT_EN10MB, 65535);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;
	if (!d) {
		if (dead)
			pcap_close(dead);
		return false;
	}
	struct pb pk[3];
	memset(pk, 0, sizeof pk);
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, zero[6] = { 0 };
	pb_eth(&pk[0], 0x0806); /* ARP: Ethernet/IPv4, request */
	pb_be16(&pk[0], 1);
	pb_be16(&pk[0], 0x0800);
	pb_u8(&pk[0], 6);
	pb_u8(&pk[0], 4);
	pb_be16(&pk[0], 1);
	pb_bytes(&pk[0], mac, 6);
	pb_bytes(&pk[0], LO4, 4);
	pb_bytes(&pk[0], zero, 6);
	pb_bytes(&pk[0], LO4B, 4);
	static const uint8_t q[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l',
				     'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };
	pb_eth(&pk[1], 0x0800);
	size_t ip = pb_ipv4(&pk[1], 17, LO4, LO4B, 0);
	pb_udp(&pk[1], 40000, 53, sizeof q);
	pb_bytes(&pk[1], q, sizeof q);
	pb_ipv4_end(&pk[1], ip);
	static const char get[] = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
	pb_eth(&pk[2], 0x0800);
	ip = pb_ipv4(&pk[2], 6, LO4, LO4B, 0);
	pb_tcp(&pk[2], 40001, 80, 1000, 2000, TCP_PSH | TCP_ACK, 512, NULL, 0);
	pb_bytes(&pk[2], get, sizeof get - 1);
	pb_ipv4_end(&pk[2], ip);
	for (int i = 0; i < 3; i++) {
		struct pcap_pkthdr h = { .ts = { .tv_sec = 1000 + i }, .caplen = (bpf_u_int32)pk[i].n,
					 .len = (bpf_u_int32)pk[i].n };
		pcap_dump((u_char *)d, &h, pk[i].b);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return true;
}

static void test_list_info_shows_the_dns_http_and_arp_summaries_of_the_text_view(void)
{
	char path[] = "/tmp/synwatch-test-app-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(write_app_capture(path));
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open_file(&r, path, 160, 24, false));
	/* The Info column: the application's line first (view_app.c's, as --text writes it after ": "),
	   then the transport's; ARP's sentence alone. */
	int arp = screen_find(&r.sc, "ARP   Request who-has 127.0.0.2 tell 127.0.0.1");
	int dns = screen_find(&r.sc, "UDP   4660+ A? example.com.  Len=29");
	int http = screen_find(&r.sc, "TCP   HTTP: GET /x HTTP/1.1  [PSH, ACK] Seq=1 Ack=1 Len=28 Win=512");
	if (arp < 0 || dns < 0 || http < 0)
		screen_dump(&r.sc);
	CU_ASSERT(arp > 0 && dns == arp + 1 && http == dns + 1);
	rig_close(&r);
	unlink(path);
}

static void test_click_selects_the_row_under_it_and_focuses_its_pane(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	press(&r, '\t'); /* focus the flows */
	struct tui_mouse m = { .what = MOUSE_CLICK, .y = r.t->lay.y[PANE_LIST] + 1 + 2, .x = 5 };
	size_t top = r.t->list.lv.top;
	unsigned f = tui_key(r.t, TK_MOUSE, &m);
	CU_ASSERT(f & D_LIST);
	CU_ASSERT_EQUAL(r.t->focus, PANE_LIST);
	CU_ASSERT_EQUAL(r.t->list.lv.sel, top + 2);
	rig_close(&r);
}

static void test_save_writes_the_shown_packets_through_the_one_writer(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, false));
	char dir[] = "/tmp/synwatch-unit-XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/saved.pcap", dir);
	press(&r, 'w');
	CU_ASSERT_EQUAL(strncmp(r.t->prompt.input, "synwatch-", 9), 0); /* a dated name is offered */
	press(&r, TK_CTRL('u'));
	type(&r, path);
	press(&r, '\r');
	SEE(&r.sc, "saved 10 packets to");
	/* The file holds the same records as the capture. */
	struct pipeline_opts a = { .file = "pcaps/handshake.pcap" }, b = { .file = path };
	char err[512];
	int code;
	struct pipeline *pa = pipeline_open(&a, err, sizeof err, &code), *pb = pipeline_open(&b, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pa);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	struct packet x, y;
	struct track_result tx, ty;
	int n = 0, ra, rb;
	while ((ra = pipeline_next(pa, &x, &tx)) == 1 && (rb = pipeline_next(pb, &y, &ty)) == 1) {
		CU_ASSERT_EQUAL(x.caplen, y.caplen);
		CU_ASSERT_EQUAL(x.ts_sec, y.ts_sec);
		CU_ASSERT_EQUAL(x.ts_nsec, y.ts_nsec);
		CU_ASSERT_EQUAL(memcmp(x.data, y.data, x.caplen), 0);
		n++;
	}
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_EQUAL(pipeline_next(pb, &y, &ty), -1);
	pipeline_close(pa);
	pipeline_close(pb);
	/* Where nothing can be written: the reason, nothing left behind. */
	press(&r, 'w');
	press(&r, TK_CTRL('u'));
	type(&r, "/nonexistent-dir/x.pcap\r");
	CU_ASSERT_EQUAL(screen_find(&r.sc, "save: cannot write /nonexistent-dir/x.pcap: No such file or directory"), 22);
	CU_ASSERT_EQUAL(screen_find(&r.sc, "another name"), 23);
	CU_ASSERT_STRING_EQUAL(r.t->footer.msg,
			       "save: cannot write /nonexistent-dir/x.pcap: No such file or directory; choose another name");
	CU_ASSERT_EQUAL(access("/nonexistent-dir", F_OK), -1);
	unlink(path);
	rmdir(dir);
	rig_close(&r);
}

static void test_step_replay_starts_empty_and_steps_one_packet(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 80, 24, true));
	SEE(&r.sc, "paused before the first packet: s steps, space plays");
	SEE(&r.sc, "REPLAY max PAUSED");
	press(&r, 's');
	CU_ASSERT_EQUAL(r.t->list.lv.count, 1);
	SEE(&r.sc, "[SYN]");
	SEE(&r.sc, "Client → server: SYN."); /* --step explains each packet in the footer */
	press(&r, 'e');
	CU_ASSERT_STRING_EQUAL(screen_row(&r.sc, 23),
			       "F1Help F2Save F4Filter F5Pause F6Follow F7Slower F8Faster F9Clear F10Quit");
	rig_close(&r);
}

/* ---- The panel over a classroom session: pcaps/handshake.pcap with calls written for its flow ---- */

/* The events of the handshake's two processes (times in us, the capture's): the server listens before
   the SYN, the client's connect() is entered 6 us before it, accept() returns after the last ACK. */
static const char *const handshake_events[] = {
	"{\"ts\":1795321634597000,\"dur\":5,\"pid\":10,\"role\":\"server\",\"call\":\"listen\",\"fd\":3,\"args\":\"3, 1\","
	"\"ret\":0,\"errno\":null,\"local\":\"127.0.0.1:8888\",\"remote\":null}",
	"{\"ts\":1795321634598001,\"dur\":40,\"pid\":11,\"role\":\"client\",\"call\":\"connect\",\"fd\":3,"
	"\"args\":\"3, {AF_INET, 127.0.0.1:8888}, 16\",\"ret\":0,\"errno\":null,\"local\":\"127.0.0.1:50544\","
	"\"remote\":\"127.0.0.1:8888\"}",
	"{\"ts\":1795321634598010,\"dur\":900,\"pid\":10,\"role\":\"server\",\"call\":\"accept\",\"fd\":3,\"args\":\"3, NULL, NULL\","
	"\"ret\":4,\"errno\":null,\"local\":\"127.0.0.1:8888\",\"remote\":\"127.0.0.1:50544\"}",
};

static struct session room;
static struct events_source room_events;

/* The rig with a session over those events (step: start paused); the replay run to its end otherwise. */
static bool rig_open_classroom(struct rig *r, int cols, int rows, bool step, char *path, size_t n)
{
	snprintf(path, n, "/tmp/synwatch-unit-panel.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	for (size_t i = 0; i < sizeof handshake_events / sizeof handshake_events[0]; i++)
		if (write(fd, handshake_events[i], strlen(handshake_events[i])) < 0 || write(fd, "\n", 1) != 1)
			return false;
	close(fd);
	struct session_opts so = { .grace_ns = 100000000, .body_budget = 1u << 20 };
	char err[256];
	if (!session_init(&room, &so) || !events_source_open(&room_events, path, false, so.grace_ns, err, sizeof err))
		return false;
	session_add(&room, &room_events.base);
	memset(r, 0, sizeof *r);
	struct pipeline_opts po = { .file = "pcaps/handshake.pcap" };
	int code;
	r->pl = pipeline_open(&po, err, sizeof err, &code);
	if (!r->pl)
		return false;
	tui_opts_default(&r->o);
	r->o.speed = 0;
	r->o.step = step;
	r->o.session = &room;
	const char *what = "";
	r->t = tui_new(r->pl, &r->o, &what);
	if (!r->t)
		return false;
	screen_init(&r->sc, cols, rows);
	tui_draw(r->t, &r->sc.s);
	for (int i = 0; i < 100 && !(r->t->m.ended && !session_held(&room)); i++) {
		int64_t wait;
		model_pump(&r->t->m, &wait);
		model_session_pump(&r->t->m);
	}
	r->t->dirty |= D_ALL;
	tui_draw(r->t, &r->sc.s);
	return true;
}

static void rig_close_classroom(struct rig *r, const char *path)
{
	rig_close(r);
	session_close(&room);
	unlink(path);
}

static void test_a_replay_with_its_events_lists_and_draws_the_calls_in_time_order(void)
{
	struct rig r;
	char path[64];
	CU_ASSERT_TRUE_FATAL(rig_open_classroom(&r, 200, 64, false, path, sizeof path));
	struct screen *sc = &r.sc;
	press(&r, 'z'); /* the list alone: every row on the screen */
	SEE(sc, "REPLAY END");
	SEE(sc, "shown 10  calls 3  captured 10"); /* the calls are rows of the list, not packets shown */
	int listen = screen_find(sc, "call  server 10: listen(3, 1)");
	int connect = screen_find(sc, "call  client 11: connect(3,");
	int syn = screen_find(sc, "[SYN] Seq=0");
	int ack = screen_find(sc, "[ACK] Seq=1 Ack=1 Len=0");
	int accept = screen_find(sc, "call  server 10: accept(3,");
	if (!(listen > 0 && listen < connect && connect < syn && syn < ack && ack < accept))
		screen_dump(sc);
	CU_ASSERT(listen > 0 && listen < connect && connect < syn && syn < ack && ack < accept);
	/* The ladder of the flow: connect() on the client's column above the SYN, accept() on the server's. */
	press(&r, 'z');
	press(&r, TK_HOME);
	press(&r, '\r'); /* the listen row: no flow */
	press(&r, TK_DOWN);
	press(&r, '\r'); /* the connect row: its flow */
	press(&r, 'z');
	int mark = screen_find(sc, "* connect()");
	int arrow = screen_find(sc, "|---S seq 0");
	int amark = screen_find(sc, "accept() = 4 *");
	if (!(mark > 0 && mark < arrow && amark > arrow))
		screen_dump(sc);
	CU_ASSERT(mark > 0 && mark < arrow && amark > arrow);
	rig_close_classroom(&r, path);
}

static void test_clear_in_a_classroom_replay_counts_packets_and_calls_apart(void)
{
	struct rig r;
	char path[64];
	CU_ASSERT_TRUE_FATAL(rig_open_classroom(&r, 200, 64, false, path, sizeof path));
	press(&r, 'c');
	SEE(&r.sc, "cleared 10 packets and 3 calls; flows idle since are hidden");
	SEE(&r.sc, "shown 0  calls 0  captured 10");
	SEE(&r.sc, "the replay has ended: no more packets will come");
	rig_close_classroom(&r, path);
}

static void test_a_step_with_events_brings_the_calls_made_before_the_packet(void)
{
	struct rig r;
	char path[64];
	CU_ASSERT_TRUE_FATAL(rig_open_classroom(&r, 200, 64, true, path, sizeof path));
	press(&r, 's');
	CU_ASSERT_EQUAL(r.t->list.lv.count, 3); /* listen, connect, the SYN */
	SEE(&r.sc, "connect(3,");
	SEE(&r.sc, "[SYN] Seq=0");
	press(&r, 's');
	press(&r, 's');
	CU_ASSERT_EQUAL(r.t->list.lv.count, 5); /* the SYN-ACK, the ACK: accept() returned after it */
	press(&r, 's');
	CU_ASSERT_EQUAL(r.t->list.lv.count, 7); /* accept(), then the data */
	SEE(&r.sc, "accept(3,");
	rig_close_classroom(&r, path);
}

/* The traced program's terminal: p shows what it wrote, t's prompt types a line to it; without --trace the
   keys say what they are for. */
static void test_program_pane_shows_its_lines_and_the_prompt_types_to_it(void)
{
	struct rig r;
	CU_ASSERT_TRUE_FATAL(rig_open(&r, 100, 30, false));
	press(&r, 'p');
	SEE(&r.sc, "no traced program: p shows the terminal");
	CU_ASSERT_EQUAL(r.t->lower, LOWER_DETAILS);
	static struct progtty pt;
	char err[256];
	CU_ASSERT_TRUE_FATAL(progtty_open(&pt, err, sizeof err));
	progtty_name(&pt, "/usr/bin/nc", 4242);
	int slave = open(pt.slave, O_RDWR | O_NOCTTY);
	CU_ASSERT_TRUE_FATAL(slave >= 0);
	r.o.program = &pt;
	press(&r, 'p');
	CU_ASSERT_EQUAL(r.t->lower, LOWER_PROGRAM);
	SEE(&r.sc, " Program nc 4242: its terminal   t: type a line to it   d: details");
	SEE(&r.sc, "it has written nothing yet");
	CU_ASSERT_EQUAL(write(slave, "hello\n", 6), 6);
	for (int i = 0; i < 200 && pt.total == 0; i++) {
		struct pollfd m = { pt.fd, POLLIN, 0 };
		poll(&m, 1, 10);
		r.t->dirty |= program_pump(r.t);
	}
	tui_draw(r.t, &r.sc.s);
	SEE(&r.sc, "nc 4242| hello");
	press(&r, 't');
	SEE(&r.sc, "Type to nc 4242 (Enter sends the line, Esc cancels):");
	type(&r, "back");
	press(&r, '\r');
	SEE(&r.sc, "typed to nc 4242: back");
	char got[16] = "";
	struct pollfd sp = { slave, POLLIN, 0 };
	CU_ASSERT_EQUAL(poll(&sp, 1, 2000), 1);
	CU_ASSERT_EQUAL(read(slave, got, sizeof got - 1), 5);
	CU_ASSERT_STRING_EQUAL(got, "back\n");
	press(&r, 'd');
	CU_ASSERT_EQUAL(r.t->lower, LOWER_DETAILS);
	close(slave);
	progtty_close(&pt);
	r.o.program = NULL;
	rig_close(&r);
}

int register_test_tui_panel(void)
{
	CU_pSuite s = CU_add_suite("tui_panel", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "replay fills status, list, flows and footer", test_replay_fills_status_list_flows_and_footer) ||
	    !CU_add_test(s, "keys return flags and leave drawing to the loop",
			 test_keys_return_flags_and_leave_drawing_to_the_loop) ||
	    !CU_add_test(s, "Enter on a flow opens its ladder, Enter there its details",
			 test_enter_on_a_flow_opens_its_ladder_and_enter_there_its_details) ||
	    !CU_add_test(s, "filter prompt refuses an invalid filter and offers it again",
			 test_filter_prompt_refuses_an_invalid_filter_and_offers_it_again) ||
	    !CU_add_test(s, "help lists every key row and any key closes it",
			 test_help_lists_every_key_row_and_any_key_closes_it) ||
	    !CU_add_test(s, "help taller than the terminal scrolls", test_help_taller_than_the_terminal_scrolls) ||
	    !CU_add_test(s, "follow view pages through a whole flow, from Home to the end",
			 test_follow_view_pages_through_a_whole_flow) ||
	    !CU_add_test(s, "ladder title counts the rows of the flow it draws",
			 test_ladder_title_counts_the_rows_of_the_flow_it_draws) ||
	    !CU_add_test(s, "clear after the replay counts packets and says the replay has ended",
			 test_clear_after_the_replay_counts_packets_and_says_the_replay_has_ended) ||
	    !CU_add_test(s, "list Info shows the DNS, HTTP and ARP summaries of the text view",
			 test_list_info_shows_the_dns_http_and_arp_summaries_of_the_text_view) ||
	    !CU_add_test(s, "click selects the row under it and focuses its pane",
			 test_click_selects_the_row_under_it_and_focuses_its_pane) ||
	    !CU_add_test(s, "save writes the shown packets through the one writer",
			 test_save_writes_the_shown_packets_through_the_one_writer) ||
	    !CU_add_test(s, "step replay starts empty and steps one packet",
			 test_step_replay_starts_empty_and_steps_one_packet) ||
	    !CU_add_test(s, "a replay with its events lists and draws the calls in time order",
			 test_a_replay_with_its_events_lists_and_draws_the_calls_in_time_order) ||
	    !CU_add_test(s, "the program pane shows its lines and the prompt types to it",
			 test_program_pane_shows_its_lines_and_the_prompt_types_to_it) ||
	    !CU_add_test(s, "clear in a classroom replay counts packets and calls apart",
			 test_clear_in_a_classroom_replay_counts_packets_and_calls_apart) ||
	    !CU_add_test(s, "a step with events brings the calls made before the packet",
			 test_a_step_with_events_brings_the_calls_made_before_the_packet))
		return -1;
	return 0;
}
