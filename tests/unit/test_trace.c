/* test_trace.c — the tracer runs a command to its end, returns its exit status and socket calls, and refuses what it cannot run. */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "calls/trace.h"

/* Traces argv to its end; returns the exit status and keeps up to max events. */
static int run(char *const argv[], struct sock_event *evs, int max, int *nev, int *pid)
{
	char err[256];
	struct tracer *t = trace_start(argv, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	int status = -1;
	*nev = 0;
	*pid = trace_pid(t);
	for (int rounds = 0; !trace_done(t, &status) && rounds < 10000; rounds++) {
		struct sock_event ev[4];
		int n = trace_poll(t, ev, 4, 5000);
		CU_ASSERT_TRUE(n >= 0);
		for (int i = 0; i < n; i++)
			if (*nev < max)
				evs[(*nev)++] = ev[i];
	}
	trace_free(t);
	return status;
}

static void test_exit_status_is_the_commands(void)
{
	if (!trace_supported())
		return;
	struct sock_event ev[4];
	int nev, pid;
	char *argv[] = { "sh", "-c", "exit 7", NULL };
	CU_ASSERT_EQUAL(run(argv, ev, 4, &nev, &pid), 7);
	CU_ASSERT_EQUAL(nev, 0); /* no socket calls */
	char *killed[] = { "sh", "-c", "kill -9 $$", NULL };
	CU_ASSERT_EQUAL(run(killed, ev, 4, &nev, &pid), 128 + 9);
}

/* bash's /dev/udp in a forked subshell: the child's socket, connect and write are reported. */
static void test_a_child_process_socket_calls_are_seen(void)
{
	if (!trace_supported())
		return;
	struct sock_event ev[16];
	int nev, pid;
	char *argv[] = { "bash", "-c", "( exec 3<>/dev/udp/127.0.0.1/9; echo x >&3 ); exit 4", NULL };
	CU_ASSERT_EQUAL(run(argv, ev, 16, &nev, &pid), 4);
	/* Without HOME in its environment (as under CI) bash first looks itself up in the password
	   database, and glibc tries nscd's AF_UNIX socket: those calls are reported too, so the UDP
	   socket is found, not assumed to be the first event. */
	int first = -1;
	for (int i = 0; i < nev && first < 0; i++)
		if (strcmp(ev[i].call, "socket") == 0 && strncmp(ev[i].args, "AF_INET,", 8) == 0)
			first = i;
	CU_ASSERT_TRUE_FATAL(first >= 0);
	CU_ASSERT_TRUE_FATAL(nev - first >= 3);
	CU_ASSERT_STRING_EQUAL(ev[first].args, "AF_INET, SOCK_DGRAM, IPPROTO_UDP");
	CU_ASSERT_STRING_EQUAL(ev[first].role, "traced");
	CU_ASSERT_NOT_EQUAL(ev[first].pid, pid); /* made by the subshell, not the command itself */
	int fd = (int)ev[first].ret;
	bool connected = false, wrote = false;
	for (int i = first + 1; i < nev; i++) {
		if (strcmp(ev[i].call, "connect") == 0 && ev[i].ret == 0) {
			connected = true;
			CU_ASSERT_EQUAL(ev[i].remote.af, 4);
			CU_ASSERT_EQUAL(ev[i].remote.port, 9);
			CU_ASSERT_EQUAL(ev[i].local.af, 4); /* the kernel bound it on connect */
			CU_ASSERT_NOT_EQUAL(ev[i].local.port, 0);
		}
		if (strcmp(ev[i].call, "write") == 0 && ev[i].fd == 1) { /* after dup2 to fd 1 for echo */
			wrote = true;
			CU_ASSERT_STRING_EQUAL(ev[i].args, "1, \"x\\n\", 2");
			CU_ASSERT_EQUAL(ev[i].ret, 2);
		}
	}
	CU_ASSERT_TRUE(connected);
	CU_ASSERT_TRUE(wrote);
	CU_ASSERT_TRUE(fd >= 3);
	CU_ASSERT_TRUE(ev[nev - 1].ts_us >= ev[first].ts_us);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A tracee busy with calls that are not reported (cat's read/write on files) cannot hold trace_poll
   past its timeout; trace_free ends it. */
static void test_poll_returns_in_time_while_the_tracee_is_busy(void)
{
	if (!trace_supported())
		return;
	char err[256];
	char *argv[] = { "sh", "-c", "exec cat /dev/zero > /dev/null", NULL };
	struct tracer *t = trace_start(argv, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct sock_event ev[4];
	int64_t t0 = mono_ms();
	CU_ASSERT_EQUAL(trace_poll(t, ev, 4, 0), 0);
	CU_ASSERT_EQUAL(trace_poll(t, ev, 4, 50), 0);
	CU_ASSERT_TRUE(mono_ms() - t0 < 10000); /* two polls of 0 and 50 ms: a hang, not a slow machine, fails this */
	CU_ASSERT_FALSE(trace_done(t, NULL));
	trace_free(t); /* kills cat */
}

static void test_missing_command_is_refused_with_a_fix(void)
{
	char err[256] = "";
	char *argv[] = { "/nonexistent/synwatch-no-such-command", NULL };
	struct tracer *t = trace_start(argv, err, sizeof err);
	CU_ASSERT_PTR_NULL(t);
	if (trace_supported()) {
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot run '/nonexistent/synwatch-no-such-command': No such file"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "fix:"));
	} else {
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "x86-64 only"));
	}
	char *empty[] = { NULL };
	CU_ASSERT_PTR_NULL(trace_start(empty, err, sizeof err));
	trace_free(NULL);
}

int register_test_trace(void)
{
	CU_pSuite s = CU_add_suite("trace", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "exit status is the command's", test_exit_status_is_the_commands) ||
	    !CU_add_test(s, "a child process's socket calls are seen", test_a_child_process_socket_calls_are_seen) ||
	    !CU_add_test(s, "poll returns in time while the tracee is busy", test_poll_returns_in_time_while_the_tracee_is_busy) ||
	    !CU_add_test(s, "missing command is refused with a fix", test_missing_command_is_refused_with_a_fix))
		return -1;
	return 0;
}
