/* lossy.c — a bulk TCP transfer on loopback that loses segments (a socket filter drops them), for the graph tests and make pcaps' lossy.pcap. */
/*
 * lossy -p PORT [-n BYTES] [-l PERMILLE] [-r RATE] [-m MSS] [-w USEC] [-b RCVBUF] [-z MS] [-6]
 *   One process: a server on 127.0.0.1:PORT (::1 with -6) and a client (a child) that connects, sends
 *   BYTES (default 2000000) and closes its sending side; the server reads everything, then closes.
 *   Loss: right after accept() the server attaches a classic BPF socket filter to its connection that
 *   drops each incoming segment carrying data with probability PERMILLE/1000 (default 10, SKF_AD_RANDOM).
 *   The kernel runs a TCP socket's filter after the segment crossed lo, so a capture on lo holds the
 *   segment, the duplicate ACKs (with SACK blocks) that follow and the retransmission.
 *   Shape: the client asks for MSS bytes per segment (TCP_MAXSEG, default 1448) and paces at RATE bytes
 *   per second (SO_MAX_PACING_RATE, 0 = no limit, the default). On lo the kernel still sends up to 64 KiB
 *   per packet (GSO sizes by RTT, tiny there); -w USEC makes the client write one MSS every USEC
 *   microseconds with TCP_NODELAY, so each write leaves as one segment, as on a real network. -b sets the
 *   server's SO_RCVBUF; -z MS makes the server stop reading for MS milliseconds once half the data
 *   arrived (its window closes: zero window, probes, window update).
 *   Exit 0 when every byte arrived in order, 1 with what went wrong. Loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/sockloss.h"

static void die(const char *what)
{
	fprintf(stderr, "lossy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long number(const char *opt, const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "lossy: %s takes a number from %ld to %ld, got: %s\n", opt, min, max, s);
		exit(2);
	}
	return v;
}

static socklen_t lo_addr(struct sockaddr_storage *ss, int v6, int port)
{
	memset(ss, 0, sizeof *ss);
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		a->sin6_addr = in6addr_loopback;
		return sizeof *a;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof *a;
}

/* Drop a data segment with probability permille/1000 (common/sockloss.c); accept everything else. */
static void attach_loss(int fd, unsigned permille)
{
	struct sock_filter code[SOCKLOSS_LEN];
	sockloss_random(code, permille);
	struct sock_fprog prog = { .len = SOCKLOSS_LEN, .filter = code };
	if (permille && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
		die("setsockopt(SO_ATTACH_FILTER)");
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The byte at offset i of the stream: a pattern the server checks, so reordering would be seen. */
static uint8_t pattern(uint64_t i)
{
	return (uint8_t)('a' + (i * 7 + i / 251) % 26);
}

static int client(const struct sockaddr_storage *sa, socklen_t salen, long bytes, long rate, int mss, long gap_us)
{
	int fd = socket(sa->ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("client socket");
	if (setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss) < 0)
		die("setsockopt(TCP_MAXSEG)");
	unsigned r = (unsigned)rate;
	if (rate && setsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE, &r, sizeof r) < 0)
		die("setsockopt(SO_MAX_PACING_RATE)");
	int one = 1;
	if (gap_us && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
		die("setsockopt(TCP_NODELAY)");
	if (connect(fd, (const struct sockaddr *)sa, salen) < 0)
		die("connect");
	uint8_t buf[16384];
	uint64_t sent = 0;
	while (sent < (uint64_t)bytes) {
		size_t n = gap_us ? (size_t)mss : sizeof buf;
		if ((uint64_t)bytes - sent < n)
			n = (size_t)((uint64_t)bytes - sent);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("client write");
		}
		sent += (uint64_t)w;
		if (gap_us) {
			struct timespec ts = { 0, gap_us * 1000L };
			nanosleep(&ts, NULL);
		}
	}
	if (shutdown(fd, SHUT_WR) < 0)
		die("client shutdown");
	while (read(fd, buf, sizeof buf) > 0) /* the server's FIN */
		;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int port = 0, v6 = 0, c;
	long bytes = 2000000, permille = 10, rate = 0, mss = 1448, rcvbuf = 0, zero_ms = 0, gap_us = 0;
	while ((c = getopt(argc, argv, "p:n:l:r:m:w:b:z:6")) != -1) {
		switch (c) {
		case 'p': port = (int)number("-p", optarg, 1, 65535); break;
		case 'n': bytes = number("-n", optarg, 1, 1L << 30); break;
		case 'l': permille = number("-l", optarg, 0, 500); break;
		case 'r': rate = number("-r", optarg, 0, 1L << 31); break;
		case 'm': mss = number("-m", optarg, 88, 65000); break;
		case 'w': gap_us = number("-w", optarg, 0, 999999); break;
		case 'b': rcvbuf = number("-b", optarg, 0, 1L << 26); break;
		case 'z': zero_ms = number("-z", optarg, 0, 60000); break;
		case '6': v6 = 1; break;
		default:
			fprintf(stderr, "usage: lossy -p PORT [-n BYTES] [-l PERMILLE] [-r RATE] [-m MSS] [-w USEC] [-b RCVBUF] [-z MS] [-6]\n");
			return 2;
		}
	}
	if (!port) {
		fprintf(stderr, "lossy: -p PORT is required\n");
		return 2;
	}
	struct sockaddr_storage sa;
	socklen_t salen = lo_addr(&sa, v6, port);
	int ls = socket(sa.ss_family, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	int rb = (int)rcvbuf;
	if (rcvbuf && setsockopt(ls, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb) < 0) /* inherited by the connection */
		die("setsockopt(SO_RCVBUF)");
	if (bind(ls, (struct sockaddr *)&sa, salen) < 0)
		die("bind");
	if (listen(ls, 1) < 0)
		die("listen");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ls);
		_exit(client(&sa, salen, bytes, rate, (int)mss, gap_us));
	}
	struct pollfd pfd = { .fd = ls, .events = POLLIN };
	if (poll(&pfd, 1, 5000) != 1) {
		kill(pid, SIGTERM);
		fprintf(stderr, "lossy: the client did not connect within 5 s\n");
		return 1;
	}
	int fd = accept(ls, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(ls);
	attach_loss(fd, (unsigned)permille);
	uint8_t buf[65536];
	uint64_t got = 0;
	int paused = zero_ms == 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("server read");
		}
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != pattern(got + (uint64_t)i)) {
				fprintf(stderr, "lossy: byte %llu differs from what was sent\n", (unsigned long long)(got + (uint64_t)i));
				return 1;
			}
		got += (uint64_t)r;
		if (!paused && got >= (uint64_t)bytes / 2) {
			paused = 1;
			pause_ms(zero_ms);
		}
	}
	close(fd);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "lossy: the client failed\n");
		return 1;
	}
	if (got != (uint64_t)bytes) {
		fprintf(stderr, "lossy: %llu bytes arrived, %ld were sent\n", (unsigned long long)got, bytes);
		return 1;
	}
	return 0;
}
