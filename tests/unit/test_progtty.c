/* test_progtty.c — the traced program's terminal: its output split into lines (\r\n, unfinished lines, the ring), lines typed to it without echo, end-of-file, and a traced command really running on it. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "calls/progtty.h"
#include "calls/trace.h"
#include "common/clock.h"

static struct progtty pt;

/* Pump until the ring holds want lines in all (the pty hands bytes over asynchronously), 2 s at most. */
static void pump_until(struct progtty *p, uint64_t want, int64_t now)
{
	for (int i = 0; i < 200 && p->total < want && !p->ended; i++) {
		struct pollfd pfd = { p->fd, POLLIN, 0 };
		poll(&pfd, 1, 10);
		progtty_pump(p, now, NULL, NULL);
	}
}

static int open_slave(void)
{
	char err[256];
	CU_ASSERT_TRUE_FATAL(progtty_open(&pt, err, sizeof err));
	int s = open(pt.slave, O_RDWR | O_NOCTTY);
	CU_ASSERT_TRUE_FATAL(s >= 0);
	return s;
}

static void test_output_lines_lose_cr_and_keep_order(void)
{
	int s = open_slave();
	CU_ASSERT_EQUAL(write(s, "hello\nwor", 9), 9);
	CU_ASSERT_EQUAL(write(s, "ld\n\x07x\n", 6), 6);
	pump_until(&pt, 3, 0);
	CU_ASSERT_EQUAL(pt.total, 3);
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 0), "hello"); /* the terminal wrote "hello\r\n" */
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 1), "world");
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 2), "?x"); /* a control character is not sent to our terminal */
	CU_ASSERT_PTR_NULL(progtty_line(&pt, 3));
	close(s);
	progtty_close(&pt);
}

static void test_the_program_is_told_its_terminal_size(void)
{
	int s = open_slave();
	struct winsize ws;
	CU_ASSERT_EQUAL_FATAL(ioctl(s, TIOCGWINSZ, &ws), 0);
	CU_ASSERT_EQUAL(ws.ws_row, 24); /* until told otherwise */
	CU_ASSERT_EQUAL(ws.ws_col, 80);
	progtty_name(&pt, "/usr/bin/nc", 4242);
	CU_ASSERT_EQUAL(progtty_text_cols(&pt, 120), 120 - (int)strlen("nc 4242| "));
	progtty_resize(&pt, 17, progtty_text_cols(&pt, 120));
	CU_ASSERT_EQUAL_FATAL(ioctl(s, TIOCGWINSZ, &ws), 0);
	CU_ASSERT_EQUAL(ws.ws_row, 17);
	CU_ASSERT_EQUAL(ws.ws_col, 111);
	progtty_resize(&pt, 0, 3); /* a pane too small to be drawn: the smallest size a program can use */
	CU_ASSERT_EQUAL_FATAL(ioctl(s, TIOCGWINSZ, &ws), 0);
	CU_ASSERT_EQUAL(ws.ws_row, 2);
	CU_ASSERT_EQUAL(ws.ws_col, 20);
	close(s);
	progtty_close(&pt);
}

static void test_unfinished_line_shows_after_the_hold(void)
{
	int s = open_slave();
	CU_ASSERT_EQUAL(write(s, "Password: ", 10), 10);
	for (int i = 0; i < 200 && pt.npart < 10; i++) {
		struct pollfd pfd = { pt.fd, POLLIN, 0 };
		poll(&pfd, 1, 10);
		progtty_pump(&pt, 1000, NULL, NULL);
	}
	CU_ASSERT_EQUAL(pt.total, 0); /* still waiting for the rest of the line */
	CU_ASSERT_EQUAL(progtty_pump(&pt, 1000 + PROGTTY_HOLD_NS, NULL, NULL), 1);
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 0), "Password: ");
	close(s);
	progtty_close(&pt);
}

static void test_ring_keeps_the_last_lines(void)
{
	int s = open_slave();
	for (int i = 0; i < PROGTTY_LINES + 5; i++) {
		char b[32];
		int n = snprintf(b, sizeof b, "line %d\n", i);
		CU_ASSERT_EQUAL(write(s, b, (size_t)n), n);
		pump_until(&pt, (uint64_t)i + 1, 0); /* the pty's buffer is small: read as we go */
	}
	CU_ASSERT_EQUAL(pt.total, PROGTTY_LINES + 5);
	CU_ASSERT_PTR_NULL(progtty_line(&pt, 4));
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 5), "line 5");
	char want[32];
	snprintf(want, sizeof want, "line %d", PROGTTY_LINES + 4);
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, PROGTTY_LINES + 4), want);
	close(s);
	progtty_close(&pt);
}

static void test_typed_line_reaches_the_program_without_echo(void)
{
	int s = open_slave();
	CU_ASSERT_TRUE(progtty_send_line(&pt, "typed"));
	char b[64] = "";
	struct pollfd pfd = { s, POLLIN, 0 };
	CU_ASSERT_EQUAL(poll(&pfd, 1, 2000), 1);
	CU_ASSERT_EQUAL(read(s, b, sizeof b - 1), 6);
	CU_ASSERT_STRING_EQUAL(b, "typed\n");
	CU_ASSERT_TRUE(progtty_send_eof(&pt));
	CU_ASSERT_EQUAL(poll(&pfd, 1, 2000), 1);
	CU_ASSERT_EQUAL(read(s, b, sizeof b), 0); /* end-of-file, as Ctrl-D at a line's start */
	struct pollfd m = { pt.fd, POLLIN, 0 };
	CU_ASSERT_EQUAL(poll(&m, 1, 100), 0); /* nothing came back: echo is off */
	progtty_pump(&pt, 0, NULL, NULL);
	CU_ASSERT_EQUAL(pt.total, 0);
	close(s);
	progtty_close(&pt);
}

static void test_closed_slave_ends_and_flushes_the_last_piece(void)
{
	int s = open_slave();
	CU_ASSERT_EQUAL(write(s, "bye", 3), 3);
	close(s);
	pump_until(&pt, 1, 0);
	CU_ASSERT_TRUE(pt.ended);
	CU_ASSERT_EQUAL(pt.total, 1);
	CU_ASSERT_STRING_EQUAL(progtty_line(&pt, 0), "bye");
	progtty_close(&pt);
}

static void say(void *arg, const char *text)
{
	int *n = arg;
	if (strcmp(text, "out") == 0 || strcmp(text, "err") == 0 || strcmp(text, "tty") == 0 || strcmp(text, "got hi") == 0)
		(*n)++;
}

static void test_traced_command_runs_on_the_terminal(void)
{
	if (!trace_supported())
		return;
	char err[256];
	CU_ASSERT_TRUE_FATAL(progtty_open(&pt, err, sizeof err));
	char *argv[] = { "sh", "-c", "echo out; echo err >&2; test -t 0 && test -t 1 && echo tty; read x; echo got $x", NULL };
	struct tracer *t = trace_start_as(argv, (uid_t)-1, (gid_t)-1, pt.slave, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_TRUE(progtty_send_line(&pt, "hi"));
	int seen = 0, status = -1;
	for (int i = 0; i < 500 && !(trace_done(t, &status) && pt.ended); i++) {
		struct sock_event ev[4];
		trace_poll(t, ev, 4, 10);
		progtty_pump(&pt, clock_mono_ns(), say, &seen);
	}
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT_EQUAL(seen, 4);
	trace_free(t);
	progtty_close(&pt);
}

int register_test_progtty(void)
{
	CU_pSuite s = CU_add_suite("progtty", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "output lines lose \\r and keep their order", test_output_lines_lose_cr_and_keep_order) ||
	    !CU_add_test(s, "the program is told its terminal size", test_the_program_is_told_its_terminal_size) ||
	    !CU_add_test(s, "an unfinished line shows after the hold", test_unfinished_line_shows_after_the_hold) ||
	    !CU_add_test(s, "the ring keeps the last lines", test_ring_keeps_the_last_lines) ||
	    !CU_add_test(s, "a typed line reaches the program without echo", test_typed_line_reaches_the_program_without_echo) ||
	    !CU_add_test(s, "a closed slave ends it and flushes the last piece", test_closed_slave_ends_and_flushes_the_last_piece) ||
	    !CU_add_test(s, "a traced command runs on the terminal", test_traced_command_runs_on_the_terminal))
		return -1;
	return 0;
}
