/* sockls.c — test driver for sockdiag.c: prints the kernel's TCP/UDP sockets on given ports like `ss -Htuan`, or their changes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls/sockdiag.h"

#define MAX_ROWS 4096

static struct sockdiag_row snap[2][MAX_ROWS];

static void usage(FILE *f)
{
	fprintf(f, "usage: sockls [-t] [-u] [-w MS] [-n COUNT] PORT...\n"
		   "  prints the TCP/UDP sockets whose local or remote port is one of PORT (all with PORT 0)\n"
		   "  -t, -u     only TCP / only UDP (default both)\n"
		   "  -w MS      watch: snapshot every MS milliseconds and print changes (+ appeared, - gone,\n"
		   "             ~ state changed), COUNT times (-n, default 100)\n"
		   "exit status: 0 ok; 2 bad usage; 3 the socket table cannot be read\n");
}

static bool want_tcp = true, want_udp = true;

static bool wanted(const struct sockdiag_row *r)
{
	return r->proto == 6 ? want_tcp : want_udp;
}

static void print_change(enum sockdiag_change what, const struct sockdiag_row *before,
			 const struct sockdiag_row *after, void *arg)
{
	(void)arg;
	const struct sockdiag_row *r = after ? after : before;
	if (!wanted(r))
		return;
	char line[256];
	sockdiag_format(r, line, sizeof line);
	if (what == SOCKDIAG_STATE)
		printf("%s %s (was %s)\n", sockdiag_change_mark(what), line, sockdiag_state_name(before->state));
	else
		printf("%s %s\n", sockdiag_change_mark(what), line);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int c, watch_ms = 0, count = 100;
	bool only_t = false, only_u = false;
	while ((c = getopt(argc, argv, "tuw:n:h")) != -1) {
		switch (c) {
		case 't': only_t = true; break;
		case 'u': only_u = true; break;
		case 'w': watch_ms = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (only_t || only_u) {
		want_tcp = only_t;
		want_udp = only_u;
	}
	uint16_t ports[64];
	size_t nports = 0;
	for (int i = optind; i < argc; i++) {
		char *end;
		long p = strtol(argv[i], &end, 10);
		if (*end || p < 0 || p > 65535 || nports == 64) {
			fprintf(stderr, "sockls: bad port '%s'; fix: give up to 64 ports 0..65535\n", argv[i]);
			return 2;
		}
		if (p)
			ports[nports++] = (uint16_t)p;
	}
	if (optind >= argc || watch_ms < 0 || count < 1) {
		usage(stderr);
		return 2;
	}
	char err[256], line[256];
	int n = sockdiag_snapshot(snap[0], MAX_ROWS, ports, nports, err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "sockls: %s\n", err);
		return 3;
	}
	size_t have = (size_t)n < MAX_ROWS ? (size_t)n : MAX_ROWS;
	if (!watch_ms) {
		for (size_t i = 0; i < have; i++)
			if (wanted(&snap[0][i])) {
				sockdiag_format(&snap[0][i], line, sizeof line);
				puts(line);
			}
		return 0;
	}
	printf("watching\n");
	fflush(stdout);
	int cur = 0;
	for (int k = 0; k < count; k++) {
		struct timespec ts = { watch_ms / 1000, (long)(watch_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		int m = sockdiag_snapshot(snap[!cur], MAX_ROWS, ports, nports, err, sizeof err);
		if (m < 0) {
			fprintf(stderr, "sockls: %s\n", err);
			return 3;
		}
		size_t hm = (size_t)m < MAX_ROWS ? (size_t)m : MAX_ROWS;
		sockdiag_diff(snap[cur], have, snap[!cur], hm, 0, print_change, NULL);
		cur = !cur;
		have = hm;
	}
	return 0;
}
