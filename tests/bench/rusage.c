/* rusage.c — run a command and report its wall time, CPU time, peak RSS (ru_maxrss from wait4) and bytes written. */
/*
 * Usage: rusage [-o REPORT] [-i STDIN] [-1 STDOUT] [-2 STDERR] [-t SECONDS] -- COMMAND [ARG...]
 *
 * Runs COMMAND (PATH search) with the given redirections and writes one line to REPORT (default:
 * standard error):
 *   wall=SECONDS user=SECONDS sys=SECONDS maxrss_kib=KIB wchar=BYTES status=N
 * maxrss_kib is the kernel's accounting of the child's peak resident set (getrusage(2)); wchar is the
 * child's bytes passed to write(2)-family calls (/proc/PID/io, read while the child is a zombie: -1
 * when unavailable), which lets a caller check that a run writing to /dev/null wrote as much as a run
 * writing to a file. SIGINT and SIGTERM sent to rusage are passed on to the child (so `kill -INT`
 * stops a live capture cleanly and the report still comes out). status is the child's exit status,
 * or 128+signal. With -t, a child still running after SECONDS gets SIGTERM (SIGKILL 5 s later if it
 * is still there) and status is 124, as with timeout(1).
 * rusage exits with that status; 125 when it cannot run at all (bad command line,
 * cannot open a redirection, fork/exec failure: a one-line reason on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal; /* last SIGINT/SIGTERM received, to pass on */
static volatile sig_atomic_t got_alarm;  /* the -t limit (or the grace period after it) ran out */

static void rusage_on_signal(int sig)
{
	got_signal = sig;
}

static void rusage_on_alarm(int sig)
{
	(void)sig;
	got_alarm = 1;
}

static double rusage_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Bytes the (zombie) child wrote, from /proc/PID/io, or -1. */
static long long rusage_wchar(pid_t pid)
{
	char path[64], line[128];
	long long v = -1;
	snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "wchar: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Open path onto fd in the child; on failure report and exit 125. */
static void rusage_redirect(const char *path, int fd, int flags)
{
	int o = open(path, flags, 0644);
	if (o < 0) {
		fprintf(stderr, "rusage: cannot open '%s': %s; check the path\n", path, strerror(errno));
		_exit(125);
	}
	if (o != fd) {
		dup2(o, fd);
		close(o);
	}
}

int main(int argc, char **argv)
{
	const char *report = NULL, *in = NULL, *out = NULL, *errf = NULL;
	long limit = 0;
	int ch;
	char *end;
	while ((ch = getopt(argc, argv, "+o:i:1:2:t:")) != -1) {
		switch (ch) {
		case 'o': report = optarg; break;
		case 'i': in = optarg; break;
		case '1': out = optarg; break;
		case '2': errf = optarg; break;
		case 't':
			limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || limit < 1 || limit > 86400) {
				fprintf(stderr, "rusage: -t takes a time limit from 1 to 86400 seconds, got %s\n", optarg);
				return 125;
			}
			break;
		default:
			fprintf(stderr, "usage: rusage [-o REPORT] [-i STDIN] [-1 STDOUT] [-2 STDERR] [-t SECONDS] -- COMMAND [ARG...]\n");
			return 125;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "rusage: no command given; usage: rusage [-o REPORT] -- COMMAND [ARG...]\n");
		return 125;
	}
	FILE *rep = stderr;
	if (report && !(rep = fopen(report, "w"))) {
		fprintf(stderr, "rusage: cannot create report '%s': %s; check the path\n", report, strerror(errno));
		return 125;
	}

	struct sigaction sa = { .sa_handler = rusage_on_signal }; /* no SA_RESTART: wait is interrupted */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = rusage_on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage: fork failed: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		if (in)
			rusage_redirect(in, 0, O_RDONLY);
		if (out)
			rusage_redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		if (errf)
			rusage_redirect(errf, 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rusage: cannot run '%s': %s; is it built/installed?\n", argv[optind], strerror(errno));
		_exit(125);
	}

	/* Wait for the exit without reaping, so /proc/PID/io is still there; pass signals on meanwhile. */
	siginfo_t si;
	int timed_out = 0;
	if (limit)
		alarm((unsigned)limit);
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0)
			break;
		if (errno != EINTR) {
			fprintf(stderr, "rusage: waitid failed: %s\n", strerror(errno));
			return 125;
		}
		if (got_signal) {
			kill(pid, got_signal);
			got_signal = 0;
		}
		if (got_alarm) {
			got_alarm = 0;
			kill(pid, timed_out ? SIGKILL : SIGTERM);
			if (!timed_out)
				alarm(5);
			timed_out = 1;
		}
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long wchar = rusage_wchar(pid);

	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait4 failed: %s\n", strerror(errno));
			return 125;
		}
	}
	int status = timed_out ? 124 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(rep, "wall=%.6f user=%.6f sys=%.6f maxrss_kib=%ld wchar=%lld status=%d\n", wall,
		rusage_seconds(ru.ru_utime), rusage_seconds(ru.ru_stime), ru.ru_maxrss, wchar, status);
	if (rep != stderr && fclose(rep) != 0) {
		fprintf(stderr, "rusage: writing the report '%s' failed: %s\n", report, strerror(errno));
		return 125;
	}
	return status;
}
