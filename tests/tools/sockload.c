/* sockload.c — load generator for sockdemo's echo server: many TCP clients, vanishing clients, paced UDP. */
/*
 * sockload tcp PORT [-c CLIENTS] [-m MESSAGES] [-k VANISHING] [-t SECONDS]
 *   Forks VANISHING processes that connect and stream (half never read, half stop mid-line), opens
 *   CLIENTS non-blocking connections from this process, each sending MESSAGES messages of 20..2000 bytes
 *   one after another and checking every echoed byte; kills the vanishing processes with SIGKILL when
 *   half the messages are done. Exit 0 when every message of every client came back intact within
 *   SECONDS (default 60), else 1 with what went wrong.
 * sockload udp PORT [-n DATAGRAMS] [-w WINDOW] [-t SECONDS]
 *   Sends DATAGRAMS numbered datagrams with at most WINDOW unanswered at a time (so loopback buffers do
 *   not overflow) and checks each echo arrives once, intact. Exit 0 when all came back, 1 otherwise.
 * Always 127.0.0.1 (tests use loopback only).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG_MAX 2100

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct sockaddr_in server_addr(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* Message j of client i: a header naming both, a deterministic body of 20..2000 bytes in all, newline. */
static size_t load_message(char *buf, int i, int j)
{
	unsigned len = 20 + (unsigned)((i * 7919u + j * 104729u) % 1981u);
	int h = snprintf(buf, MSG_MAX, "c%04d m%02d ", i, j);
	for (unsigned k = (unsigned)h; k < len - 1; k++)
		buf[k] = (char)('a' + (i * 31 + j * 7 + (int)k) % 26);
	buf[len - 1] = '\n';
	return len;
}

/* A vanishing client: connects and streams until killed. Odd ones stop mid-line, even ones never read. */
static void vanisher(int port, int idx, int ready_fd)
{
	struct sockaddr_in a = server_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		_exit(1);
	char buf[16384];
	memset(buf, 'v', sizeof buf);
	if (idx % 2) {
		char r[64];
		if (send(fd, "half a line then gone", 21, MSG_NOSIGNAL) != 21 || recv(fd, r, sizeof r, 0) <= 0)
			_exit(1);
		if (write(ready_fd, "v", 1) != 1)
			_exit(1);
		pause();
	}
	if (write(ready_fd, "v", 1) != 1)
		_exit(1);
	for (;;) /* never reads: the echo fills our receive buffer, the server's sends block */
		if (send(fd, buf, sizeof buf, MSG_NOSIGNAL) < 0)
			_exit(0);
}

/* One well-behaved client of the TCP load. */
struct lclient {
	int fd;
	int msg;          /* message being exchanged (0..messages-1); messages when done */
	size_t sent;      /* bytes of it sent */
	size_t got;       /* bytes of its echo received */
	size_t len;       /* its length */
	char text[MSG_MAX];
	bool connected;
};

static int load_tcp(int port, int clients, int messages, int vanishing, double limit)
{
	struct sockaddr_in a = server_addr(port);
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return 1;
	pid_t *kids = calloc((size_t)(vanishing > 0 ? vanishing : 1), sizeof *kids);
	for (int v = 0; v < vanishing; v++) {
		kids[v] = fork();
		if (kids[v] == 0) {
			close(pipefd[0]);
			vanisher(port, v, pipefd[1]);
		}
	}
	close(pipefd[1]);
	for (int v = 0; v < vanishing; v++) { /* all are connected and streaming before the load starts */
		char b;
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		if (poll(&p, 1, 10000) != 1 || read(pipefd[0], &b, 1) != 1) {
			fprintf(stderr, "sockload: vanishing client %d did not connect within 10 s\n", v);
			return 1;
		}
	}
	fprintf(stderr, "sockload: %d vanishing clients streaming\n", vanishing);

	struct lclient *c = calloc((size_t)clients, sizeof *c);
	struct pollfd *p = calloc((size_t)clients, sizeof *p);
	if (!c || !p)
		return 1;
	for (int i = 0; i < clients; i++) {
		c[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (c[i].fd < 0) {
			fprintf(stderr, "sockload: socket for client %d: %s (raise ulimit -n)\n", i, strerror(errno));
			return 1;
		}
		if (connect(c[i].fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
			fprintf(stderr, "sockload: connect for client %d: %s\n", i, strerror(errno));
			return 1;
		}
		c[i].len = load_message(c[i].text, i, 0);
	}
	long total = (long)clients * messages, done_msgs = 0;
	int done_clients = 0;
	bool killed = vanishing == 0;
	double start = now_s();
	char buf[MSG_MAX];
	while (done_clients < clients) {
		if (now_s() - start > limit) {
			int stuck = -1;
			for (int i = 0; i < clients && stuck < 0; i++)
				if (c[i].msg < messages)
					stuck = i;
			fprintf(stderr, "sockload: FAIL: after %.0f s, %d of %d clients unfinished (%ld of %ld messages "
					"echoed); e.g. client %d at message %d, %zu/%zu sent, %zu echoed\n", limit,
				clients - done_clients, clients, done_msgs, total, stuck, c[stuck].msg, c[stuck].sent,
				c[stuck].len, c[stuck].got);
			return 1;
		}
		for (int i = 0; i < clients; i++) {
			p[i].fd = c[i].msg < messages ? c[i].fd : -1;
			p[i].events = (short)(POLLIN | (!c[i].connected || c[i].sent < c[i].len ? POLLOUT : 0));
			p[i].revents = 0;
		}
		if (poll(p, (nfds_t)clients, 1000) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < clients; i++) {
			struct lclient *k = &c[i];
			if (!p[i].revents || k->msg >= messages)
				continue;
			if (!k->connected) {
				int err = 0;
				socklen_t el = sizeof err;
				getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err) {
					fprintf(stderr, "sockload: FAIL: client %d could not connect: %s\n", i, strerror(err));
					return 1;
				}
				if (!(p[i].revents & POLLOUT))
					continue;
				k->connected = true;
			}
			if ((p[i].revents & POLLOUT) && k->sent < k->len) {
				ssize_t w = send(k->fd, k->text + k->sent, k->len - k->sent, MSG_NOSIGNAL);
				if (w < 0 && errno != EAGAIN) {
					fprintf(stderr, "sockload: FAIL: client %d send: %s\n", i, strerror(errno));
					return 1;
				}
				if (w > 0)
					k->sent += (size_t)w;
			}
			if (p[i].revents & (POLLIN | POLLERR | POLLHUP)) {
				ssize_t n = recv(k->fd, buf, k->len - k->got, 0);
				if (n == 0 || (n < 0 && errno != EAGAIN)) {
					fprintf(stderr, "sockload: FAIL: client %d message %d: the server %s after %zu of %zu "
							"bytes echoed\n", i, k->msg, n == 0 ? "closed" : strerror(errno), k->got,
						k->len);
					return 1;
				}
				if (n > 0) {
					if (memcmp(buf, k->text + k->got, (size_t)n) != 0) {
						fprintf(stderr, "sockload: FAIL: client %d message %d: echo differs at byte %zu\n",
							i, k->msg, k->got);
						return 1;
					}
					k->got += (size_t)n;
				}
				if (k->got == k->len) {
					done_msgs++;
					if (++k->msg == messages) {
						close(k->fd);
						done_clients++;
					} else {
						k->len = load_message(k->text, i, k->msg);
						k->sent = k->got = 0;
					}
				}
			}
		}
		if (!killed && done_msgs >= total / 2) {
			for (int v = 0; v < vanishing; v++)
				kill(kids[v], SIGKILL);
			for (int v = 0; v < vanishing; v++)
				waitpid(kids[v], NULL, 0);
			killed = true;
			fprintf(stderr, "sockload: killed %d vanishing clients with SIGKILL at %ld of %ld messages\n",
				vanishing, done_msgs, total);
		}
	}
	printf("sockload: tcp ok: %d clients x %d messages echoed intact in %.2f s; %d clients killed mid-stream\n",
	       clients, messages, now_s() - start, vanishing);
	return 0;
}

static size_t udp_datagram(char *buf, long seq)
{
	unsigned len = 16 + (unsigned)((seq * 7919) % 1185);
	int h = snprintf(buf, MSG_MAX, "seq %06ld ", seq);
	for (unsigned k = (unsigned)h; k < len; k++)
		buf[k] = (char)('A' + (seq + (long)k) % 26);
	return len;
}

static int load_udp(int port, long count, int window, double limit)
{
	struct sockaddr_in a = server_addr(port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		fprintf(stderr, "sockload: udp socket: %s\n", strerror(errno));
		return 1;
	}
	unsigned char *seen = calloc((size_t)count, 1);
	long next = 0, received = 0;
	double start = now_s(), last_progress = start;
	char out[MSG_MAX], in[MSG_MAX + 1], want[MSG_MAX];
	while (received < count) {
		while (next < count && next - received < window) {
			size_t len = udp_datagram(out, next);
			if (send(fd, out, len, 0) != (ssize_t)len) {
				fprintf(stderr, "sockload: FAIL: send of datagram %ld: %s\n", next, strerror(errno));
				return 1;
			}
			next++;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 200);
		double now = now_s();
		if (r == 0 && (now - last_progress > 2 || now - start > limit)) {
			long missing = 0, first = -1;
			for (long s = 0; s < next; s++)
				if (!seen[s] && missing++ == 0)
					first = s;
			fprintf(stderr, "sockload: FAIL: %ld of %ld datagrams sent were not echoed (first: seq %ld)\n",
				missing, next, first);
			return 1;
		}
		if (r <= 0)
			continue;
		ssize_t n = recv(fd, in, sizeof in - 1, 0);
		if (n < 0) {
			fprintf(stderr, "sockload: FAIL: recv: %s\n", strerror(errno));
			return 1;
		}
		in[n] = '\0';
		long seq = -1;
		if (sscanf(in, "seq %ld ", &seq) != 1 || seq < 0 || seq >= next) {
			fprintf(stderr, "sockload: FAIL: an echo that is not one of ours (%zd bytes)\n", n);
			return 1;
		}
		size_t wl = udp_datagram(want, seq);
		if ((size_t)n != wl || memcmp(in, want, wl) != 0) {
			fprintf(stderr, "sockload: FAIL: echo of datagram %ld differs\n", seq);
			return 1;
		}
		if (seen[seq]) {
			fprintf(stderr, "sockload: FAIL: datagram %ld echoed twice\n", seq);
			return 1;
		}
		seen[seq] = 1;
		received++;
		last_progress = now;
	}
	printf("sockload: udp ok: %ld datagrams echoed, none lost, in %.2f s (window %d)\n", count, now_s() - start,
	       window);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
		fprintf(stderr, "usage: sockload tcp PORT [-c CLIENTS] [-m MESSAGES] [-k VANISHING] [-t SECONDS]\n"
				"       sockload udp PORT [-n DATAGRAMS] [-w WINDOW] [-t SECONDS]\n");
		return 2;
	}
	int port = atoi(argv[2]);
	long clients = 1000, messages = 10, vanishing = 100, datagrams = 10000, window = 32;
	double limit = 60;
	for (int i = 3; i + 1 < argc; i += 2) {
		long v = atol(argv[i + 1]);
		if (strcmp(argv[i], "-c") == 0) clients = v;
		else if (strcmp(argv[i], "-m") == 0) messages = v;
		else if (strcmp(argv[i], "-k") == 0) vanishing = v;
		else if (strcmp(argv[i], "-n") == 0) datagrams = v;
		else if (strcmp(argv[i], "-w") == 0) window = v;
		else if (strcmp(argv[i], "-t") == 0) limit = (double)v;
		else {
			fprintf(stderr, "sockload: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (port < 1 || port > 65535 || clients < 1 || messages < 1 || vanishing < 0 || datagrams < 1 || window < 1) {
		fprintf(stderr, "sockload: bad number\n");
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "tcp") == 0)
		return load_tcp(port, (int)clients, (int)messages, (int)vanishing, limit);
	return load_udp(port, datagrams, (int)window, limit);
}
