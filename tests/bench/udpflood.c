/* udpflood.c — a UDP flood on 127.0.0.1 only: one sender, sendmmsg batches, into a bound socket that never reads. */
/*
 * Usage: udpflood -p PORT [-s PAYLOAD_BYTES] [-d SECONDS] [-b BATCH] [-r PPS] [-a 127.0.0.1]
 *        udpflood -p PORT -w FILE -m TEXT [-d SECONDS]
 *
 * The receiving side is a socket bound to 127.0.0.1:PORT by udpflood itself that is never read: every
 * datagram is delivered to it (so a capture on lo sees each one exactly once, as a normal UDP packet),
 * its receive queue fills, and the kernel then drops the rest at the socket (UdpRcvbufErrors), which
 * costs almost nothing. Sending to a port with no socket instead would make the kernel answer every
 * datagram with an ICMP port unreachable (loopback is exempt from ICMP rate limiting), doubling the
 * packets the capture sees and failing the sender's next send with ECONNREFUSED; a reading receiver
 * would compete with the capture for the machine's CPU. The bound-but-idle socket floods only the
 * path being measured: the kernel's packet tap and the capture program.
 *
 * The sender is a connected UDP socket calling sendmmsg(2) with BATCH datagrams per call (default 64),
 * as fast as it can for SECONDS (default 5), or paced to PPS datagrams per second with -r. At the end it
 * prints one line on standard output:
 *   sent=N seconds=S pps=R mbps=M payload=B
 * (mbps counts UDP payload bits). Only 127.0.0.1 is accepted as the destination.
 *
 * Latency mode (-w FILE -m TEXT): send one datagram, then read FILE every millisecond until it holds TEXT
 * (for instance a terminal's output stream saved by tmux pipe-pane, and the packet's row); prints
 *   latency_ms=L
 * measured from just before the send, or latency_ms=never after SECONDS (default 5), exit 1.
 * Exit codes: 0 done, 1 socket or send failure, 2 bad command line or a non-loopback address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX 1024
#define PAYLOAD_MAX 65507

static volatile sig_atomic_t got_stop; /* SIGINT/SIGTERM: stop early and still report */

static void flood_on_signal(int sig)
{
	(void)sig;
	got_stop = 1;
}

static double flood_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int flood_usage(const char *what, const char *arg)
{
	if (what)
		fprintf(stderr, "udpflood: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
	else
		fprintf(stderr, "usage: udpflood -p PORT [-s PAYLOAD_BYTES] [-d SECONDS] [-b BATCH] [-r PPS] [-a 127.0.0.1]\n");
	return 2;
}

/* Does the file at path hold text (n bytes)? Read whole each time: the files watched are small. */
static bool flood_file_has(const char *path, const char *text)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t len = 0;
	ssize_t r;
	while (len < sizeof buf && (r = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)r;
	close(fd);
	return memmem(buf, len, text, strlen(text)) != NULL;
}

/* -w/-m: one datagram, then the time until `path` holds `text`. */
static int flood_latency(int snd, const uint8_t *payload, size_t size, const char *path, const char *text, long secs)
{
	double t0 = flood_now();
	if (send(snd, payload, size, 0) < 0) {
		fprintf(stderr, "udpflood: send failed: %s\n", strerror(errno));
		return 1;
	}
	while (flood_now() - t0 < (double)secs) {
		if (flood_file_has(path, text)) {
			printf("latency_ms=%.1f\n", (flood_now() - t0) * 1e3);
			return 0;
		}
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
	printf("latency_ms=never\n");
	return 1;
}

static bool flood_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	long port = -1, size = 64, secs = 5, batch = 64, pps = 0;
	const char *watch = NULL, *text = NULL;
	int ch;
	while ((ch = getopt(argc, argv, "p:s:d:b:r:a:w:m:h")) != -1) {
		switch (ch) {
		case 'w':
			watch = optarg;
			break;
		case 'm':
			text = optarg;
			break;
		case 'p':
			if (!flood_number(optarg, 1, 65535, &port))
				return flood_usage("-p takes a UDP port from 1 to 65535, got", optarg);
			break;
		case 's':
			if (!flood_number(optarg, 0, 1472, &size))
				return flood_usage("-s takes a payload size from 0 to 1472 bytes, got", optarg);
			break;
		case 'd':
			if (!flood_number(optarg, 1, 3600, &secs))
				return flood_usage("-d takes a duration from 1 to 3600 seconds, got", optarg);
			break;
		case 'b':
			if (!flood_number(optarg, 1, BATCH_MAX, &batch))
				return flood_usage("-b takes a batch size from 1 to 1024 datagrams, got", optarg);
			break;
		case 'r':
			if (!flood_number(optarg, 0, 100000000, &pps))
				return flood_usage("-r takes a rate in datagrams per second (0 = unlimited), got", optarg);
			break;
		case 'a':
			if (strcmp(optarg, "127.0.0.1") != 0)
				return flood_usage("refusing to flood anything but 127.0.0.1 (loopback only); got", optarg);
			break;
		default:
			return flood_usage(NULL, NULL);
		}
	}
	if (optind != argc)
		return flood_usage("unexpected argument:", argv[optind]);
	if (port < 0)
		return flood_usage("no port given: -p PORT (a free UDP port on 127.0.0.1)", NULL);
	if ((watch == NULL) != (text == NULL) || (text && !*text))
		return flood_usage("-w FILE and -m TEXT go together (TEXT not empty)", NULL);

	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	/* The sink: bound, never read. */
	int sink = socket(AF_INET, SOCK_DGRAM, 0);
	if (sink < 0 || bind(sink, (struct sockaddr *)&dst, sizeof dst) < 0) {
		fprintf(stderr, "udpflood: cannot bind 127.0.0.1:%ld: %s; choose a free port\n", port, strerror(errno));
		return 1;
	}
	int snd = socket(AF_INET, SOCK_DGRAM, 0);
	if (snd < 0 || connect(snd, (struct sockaddr *)&dst, sizeof dst) < 0) {
		fprintf(stderr, "udpflood: cannot connect to 127.0.0.1:%ld: %s\n", port, strerror(errno));
		return 1;
	}

	static uint8_t payload[PAYLOAD_MAX];
	for (long i = 0; i < size; i++)
		payload[i] = (uint8_t)('a' + i % 26);
	static struct mmsghdr msgs[BATCH_MAX];
	static struct iovec iov[BATCH_MAX];
	for (long i = 0; i < batch; i++) {
		iov[i].iov_base = payload;
		iov[i].iov_len = (size_t)size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	if (watch) {
		int rc = flood_latency(snd, payload, (size_t)size, watch, text, secs);
		close(snd);
		close(sink);
		return rc;
	}

	struct sigaction sa = { .sa_handler = flood_on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	uint64_t sent = 0;
	double t0 = flood_now(), end = t0 + (double)secs, t = t0;
	while (!got_stop && t < end) {
		int n = sendmmsg(snd, msgs, (unsigned)batch, 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			fprintf(stderr, "udpflood: sendmmsg to 127.0.0.1:%ld failed after %llu datagrams: %s\n", port,
				(unsigned long long)sent, strerror(errno));
			return 1;
		}
		sent += (uint64_t)n;
		t = flood_now();
		if (pps > 0) {
			/* Paced: sleep until the schedule catches up with what was sent. */
			double due = t0 + (double)sent / (double)pps;
			if (due > t) {
				double d = due < end ? due - t : end - t;
				struct timespec ts = { .tv_sec = (time_t)d, .tv_nsec = (long)((d - (double)(time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
				t = flood_now();
			}
		}
	}
	double dur = t - t0;
	printf("sent=%llu seconds=%.3f pps=%.0f mbps=%.1f payload=%ld\n", (unsigned long long)sent, dur,
	       dur > 0 ? (double)sent / dur : 0.0, dur > 0 ? (double)sent * (double)size * 8 / dur / 1e6 : 0.0, size);
	close(snd);
	close(sink);
	return 0;
}
