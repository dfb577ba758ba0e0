/* test_session.c — the classroom session: a writer that has not written its line yet holds the packets after its call, one asleep or gone does not; replay knows each process's last line; a connect finds the flow of the SYN it sent. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calls/session.h"
#include "common/clock.h"

static char path[64];

static void file_start(void)
{
	snprintf(path, sizeof path, "/tmp/synwatch-unit-session.XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
}

/* One events line, as sockdemo writes it, appended to the file. */
static void line(int64_t ts_us, int64_t dur_us, int pid, const char *call, int64_t ret, const char *local,
		 const char *remote)
{
	FILE *f = fopen(path, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "{\"ts\":%lld,\"dur\":%lld,\"pid\":%d,\"role\":\"server\",\"call\":\"%s\",\"fd\":3,\"args\":\"\","
		   "\"ret\":%lld,\"errno\":null,\"local\":%s%s%s,\"remote\":%s%s%s}\n",
		(long long)ts_us, (long long)dur_us, pid, call, (long long)ret, local ? "\"" : "", local ? local : "null",
		local ? "\"" : "", remote ? "\"" : "", remote ? remote : "null", remote ? "\"" : "");
	fclose(f);
}

static void sleep_ms(int ms)
{
	struct timespec d = { 0, ms * 1000000L };
	nanosleep(&d, NULL);
}

/* A child process that stops itself (stopped: true) or sleeps in pause(), waited for until it does. */
static pid_t child_start(bool stopped)
{
	pid_t pid = fork();
	CU_ASSERT_TRUE_FATAL(pid >= 0);
	if (pid == 0) {
		if (stopped)
			raise(SIGSTOP);
		for (;;)
			pause();
	}
	char p[64], buf[512];
	snprintf(p, sizeof p, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 400; i++) {
		FILE *f = fopen(p, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		const char *rp = strrchr(buf, ')');
		if (rp && rp[1] == ' ' && rp[2] == (stopped ? 'T' : 'S'))
			return pid;
		sleep_ms(5);
	}
	CU_FAIL("the child never reached its state");
	return pid;
}

static void child_end(pid_t pid)
{
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
}

static struct session S;
static struct events_source E;

/* A session over the events file, followed live with a 1 ms grace. */
static void live_start(void)
{
	struct session_opts o = { .grace_ns = 1000000 };
	CU_ASSERT_TRUE_FATAL(session_init(&S, &o));
	char err[256];
	CU_ASSERT_TRUE_FATAL(events_source_open(&E, path, true, o.grace_ns, err, sizeof err));
	session_add(&S, &E.base);
}

static void push_packet(int64_t ts_ns)
{
	struct pkt_summary p;
	memset(&p, 0, sizeof p);
	p.ts_ns = ts_ns;
	p.n = 1;
	session_push_packet(&S, &p, NULL, NULL, 0);
}

/* The kind of the next item due (after a pump), popping it; -1 when none is due. The packets are as a live
   capture read dry now has them: all up to the grace ago. */
static int next_kind(const char **call)
{
	struct session_item it;
	session_packets_upto(&S, clock_real_ns() - S.o.grace_ns);
	session_pump(&S, clock_real_ns());
	if (!session_peek(&S, false, &it))
		return -1;
	if (call)
		*call = it.kind == TL_CALL ? it.ev->call : "";
	int k = it.kind;
	session_pop(&S);
	return k;
}

static void test_a_writer_not_yet_past_its_call_holds_the_packets_after_it(void)
{
	file_start();
	pid_t child = child_start(true); /* runnable but not running: as descheduled after a return */
	int64_t t0 = clock_real_ns();
	line(t0 / 1000, 0, child, "listen", 0, "127.0.0.1:8888", NULL);
	live_start();
	sleep_ms(5);
	const char *call = "";
	CU_ASSERT_EQUAL(next_kind(&call), TL_CALL);
	CU_ASSERT_STRING_EQUAL(call, "listen");
	int64_t T = t0 + 2000000; /* a packet 2 ms later, while the writer has not written its next line */
	push_packet(T);
	sleep_ms(30); /* far past the grace */
	CU_ASSERT_EQUAL(next_kind(NULL), -1);
	sleep_ms(30);
	CU_ASSERT_EQUAL(next_kind(NULL), -1); /* still: the process may be between accept() and its line */
	/* Its line comes: accept returned 1 ms before the packet; then its next call, after the packet. */
	line((t0 + 1000000) / 1000, 500, child, "accept", 4, "127.0.0.1:8888", "127.0.0.1:40000");
	CU_ASSERT_EQUAL(next_kind(&call), TL_CALL);
	CU_ASSERT_STRING_EQUAL(call, "accept");
	CU_ASSERT_EQUAL(next_kind(NULL), -1); /* the writer is still before the packet */
	line((T + 1000000) / 1000, 10, child, "recv", 18, "127.0.0.1:8888", "127.0.0.1:40000");
	CU_ASSERT_EQUAL(next_kind(NULL), TL_PACKET);
	CU_ASSERT_EQUAL(next_kind(&call), TL_CALL);
	CU_ASSERT_STRING_EQUAL(call, "recv");
	child_end(child);
	session_close(&S);
	unlink(path);
}

static void test_a_writer_asleep_or_gone_lets_the_packets_go_after_the_grace(void)
{
	file_start();
	pid_t child = child_start(false); /* asleep in a system call: everything it returned is written */
	int64_t t0 = clock_real_ns();
	line(t0 / 1000, 0, child, "listen", 0, "127.0.0.1:8888", NULL);
	live_start();
	sleep_ms(5);
	CU_ASSERT_EQUAL(next_kind(NULL), TL_CALL);
	push_packet(clock_real_ns());
	CU_ASSERT_EQUAL(next_kind(NULL), -1); /* younger than the grace */
	sleep_ms(30);
	CU_ASSERT_EQUAL(next_kind(NULL), TL_PACKET);
	/* Stopped now, then gone: a stopped writer holds the next packet, a gone one does not. */
	kill(child, SIGSTOP);
	int st;
	waitpid(child, &st, WUNTRACED);
	int64_t t1 = clock_real_ns();
	line(t1 / 1000, 0, child, "close", 0, "127.0.0.1:8888", NULL);
	push_packet(t1 + 1000000);
	sleep_ms(30);
	CU_ASSERT_EQUAL(next_kind(NULL), TL_CALL); /* the close, before the packet */
	CU_ASSERT_EQUAL(next_kind(NULL), -1);
	child_end(child);
	CU_ASSERT_EQUAL(next_kind(NULL), TL_PACKET);
	session_close(&S);
	unlink(path);
}

static void test_replay_waits_for_each_process_s_last_line(void)
{
	file_start();
	line(10, 0, 101, "listen", 0, NULL, NULL);    /* A */
	line(300, 0, 202, "connect", 0, NULL, NULL);  /* B: written before A's late line */
	line(100, 0, 101, "accept", 4, NULL, NULL);   /* A's last line, returned before B's */
	line(400, 0, 202, "close", 0, NULL, NULL);    /* B's last line */
	struct events_source e;
	char err[256], msg[256];
	CU_ASSERT_TRUE_FATAL(events_source_open(&e, path, false, 0, err, sizeof err));
	struct call_source *s = &e.base;
	struct sock_event ev[4];
	CU_ASSERT_EQUAL(s->cls->horizon(s, 0, 0), 10 * 1000); /* A begins at 10 us */
	CU_ASSERT_EQUAL(s->cls->read(s, ev, 2, msg, sizeof msg), 2);
	CU_ASSERT_EQUAL(s->cls->horizon(s, 0, 0), 10 * 1000); /* A's accept is still to come */
	CU_ASSERT_EQUAL(s->cls->read(s, ev, 1, msg, sizeof msg), 1);
	CU_ASSERT_EQUAL(s->cls->horizon(s, 0, 0), 300 * 1000); /* A is done; B is at 300 */
	CU_ASSERT_EQUAL(s->cls->read(s, ev, 4, msg, sizeof msg), 1);
	CU_ASSERT_EQUAL(s->cls->horizon(s, 0, 0), INT64_MAX);
	s->cls->close(s);
	unlink(path);
}

static void test_a_connect_goes_before_its_syn_matched_to_its_flow(void)
{
	file_start();
	/* connect entered at 900 us, returned at 1000 us; its SYN left at 950 us */
	line(1000, 100, 300, "connect", 0, "127.0.0.1:40000", "127.0.0.1:8888");
	struct session_opts o = { .grace_ns = 0 };
	CU_ASSERT_TRUE_FATAL(session_init(&S, &o));
	char err[256];
	CU_ASSERT_TRUE_FATAL(events_source_open(&E, path, false, 0, err, sizeof err));
	session_add(&S, &E.base);
	struct flow f;
	memset(&f, 0, sizeof f);
	f.id = 5;
	f.proto = 6;
	events_parse_endpoint("127.0.0.1:40000", &f.client);
	events_parse_endpoint("127.0.0.1:8888", &f.server);
	struct pkt_summary syn;
	memset(&syn, 0, sizeof syn);
	syn.ts_ns = 950000;
	syn.flow_id = 5;
	syn.before[1] = TCPS_LISTEN;
	session_push_packet(&S, &syn, &f, NULL, 0);
	session_pump(&S, 0);
	struct session_item it;
	CU_ASSERT_TRUE_FATAL(session_peek(&S, false, &it));
	CU_ASSERT_EQUAL(it.kind, TL_CALL);
	CU_ASSERT_EQUAL(it.at_ns, 900000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it.call_flow);
	CU_ASSERT_EQUAL(it.call_flow->id, 5);
	CU_ASSERT_EQUAL(it.side, DIR_C2S);
	CU_ASSERT_EQUAL(it.states[1], TCPS_LISTEN);
	session_pop(&S);
	CU_ASSERT_TRUE_FATAL(session_peek(&S, false, &it));
	CU_ASSERT_EQUAL(it.kind, TL_PACKET);
	CU_ASSERT_EQUAL(it.flow->id, 5);
	session_pop(&S);
	CU_ASSERT_FALSE(session_peek(&S, false, &it));
	session_close(&S);
	unlink(path);
}

static void test_proc_stat_text_is_read_past_a_name_with_spaces_and_parentheses(void)
{
	const char *text = "4242 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 1234 0 0";
	struct procwatch_stat st;
	CU_ASSERT_TRUE_FATAL(procwatch_parse_stat(text, 100, &st));
	CU_ASSERT_EQUAL(st.state, 'S');
	CU_ASSERT_EQUAL(st.cpu_ns, 300 * 10000000LL); /* (250 + 50) ticks of 10 ms */
	CU_ASSERT_EQUAL(st.start_ns, 1234 * 10000000LL);
	CU_ASSERT_FALSE(procwatch_parse_stat("4242 (x) R 1 2", 100, &st));
	CU_ASSERT_FALSE(procwatch_parse_stat("no name here", 100, &st));
}

int register_test_session(void)
{
	CU_pSuite s = CU_add_suite("session", NULL, NULL);
	if (!s)
		return -1;
	CU_add_test(s, "a writer not yet past its call holds the packets after it",
		    test_a_writer_not_yet_past_its_call_holds_the_packets_after_it);
	CU_add_test(s, "a writer asleep or gone lets the packets go after the grace",
		    test_a_writer_asleep_or_gone_lets_the_packets_go_after_the_grace);
	CU_add_test(s, "replay waits for each process's last line", test_replay_waits_for_each_process_s_last_line);
	CU_add_test(s, "a connect goes before its SYN, matched to its flow",
		    test_a_connect_goes_before_its_syn_matched_to_its_flow);
	CU_add_test(s, "/proc stat text is read past a name with spaces and parentheses",
		    test_proc_stat_text_is_read_past_a_name_with_spaces_and_parentheses);
	return 0;
}
