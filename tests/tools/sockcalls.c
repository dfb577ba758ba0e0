/* sockcalls.c — test program: a fixed, deterministic sequence of socket calls on loopback for comparing tracers. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * Usage: sockcalls [-6] BASEPORT. Uses ports BASEPORT..BASEPORT+7 on 127.0.0.1 (and ::1 with -6), every
 * socket bound to a fixed port so two runs with different bases print the same calls after the base is
 * normalised. Exit 0 when every call behaved as expected, 1 (with a message) otherwise.
 */

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "sockcalls: unexpected result: %s (errno %d %s)\n", what, errno, strerror(errno));
		failures++;
	}
}

static struct sockaddr_in v4(unsigned port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static struct sockaddr_in6 v6(unsigned port)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)port);
	a.sin6_addr = in6addr_loopback;
	return a;
}

#define SA(x) ((struct sockaddr *)&(x))

static void tcp4(unsigned base)
{
	int one = 1;
	char buf[128];
	struct sockaddr_in l = v4(base), c = v4(base + 1), peer;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	expect(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "SO_REUSEADDR");
	expect(bind(ls, SA(l), sizeof l) == 0, "bind listener");
	expect(listen(ls, 4) == 0, "listen");
	int cs = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	expect(setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0, "TCP_NODELAY");
	expect(bind(cs, SA(c), sizeof c) == 0, "bind client");
	expect(connect(cs, SA(l), sizeof l) == 0, "connect");
	socklen_t len = 128;
	int as = accept4(ls, SA(peer), &len, SOCK_CLOEXEC);
	expect(as >= 0, "accept4");
	expect(send(cs, "hello\n", 6, MSG_NOSIGNAL) == 6, "send");
	expect(recv(as, buf, 64, 0) == 6, "recv");
	static const char bin[] = { 0, 1, 2, 'a', 'b', 'c', '\377', '\n', '7', '"', '\\', '\t' };
	expect(write(as, bin, sizeof bin) == (ssize_t)sizeof bin, "write binary");
	expect(read(cs, buf, 100) == (ssize_t)sizeof bin, "read binary");
	const char *longer = "0123456789abcdefghijklmnopqrstuvwxyzABCD"; /* 40 bytes: cut at 32 */
	expect(write(cs, longer, 40) == 40, "write long");
	expect(read(as, buf, 40) == 40, "read long");
	struct iovec out[2] = { { "ab", 2 }, { "cd", 2 } }, in[1] = { { buf, 64 } };
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_iov = out;
	m.msg_iovlen = 2;
	expect(sendmsg(cs, &m, 0) == 4, "sendmsg");
	memset(&m, 0, sizeof m);
	m.msg_iov = in;
	m.msg_iovlen = 1;
	expect(recvmsg(as, &m, 0) == 4, "recvmsg");
	expect(recv(as, buf, 10, MSG_DONTWAIT) == -1 && errno == EAGAIN, "recv EAGAIN");
	int soerr = -1;
	len = sizeof soerr;
	expect(getsockopt(cs, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0, "SO_ERROR 0");
	struct linger lg = { 1, 0 };
	expect(setsockopt(as, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0, "SO_LINGER");
	expect(close(as) == 0, "close (RST)");
	expect(read(cs, buf, 64) == -1 && errno == ECONNRESET, "read ECONNRESET");
	expect(close(cs) == 0, "close client");
	expect(close(ls) == 0, "close listener");
}

static void refused(unsigned base)
{
	struct sockaddr_in closed = v4(base + 2);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	expect(connect(s, SA(closed), sizeof closed) == -1 && errno == ECONNREFUSED, "connect ECONNREFUSED");
	close(s);
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	expect(connect(s, SA(closed), sizeof closed) == -1 && errno == EINPROGRESS, "connect EINPROGRESS");
	struct pollfd p = { s, POLLOUT, 0 };
	expect(poll(&p, 1, 5000) == 1, "poll");
	int soerr = 0;
	socklen_t len = sizeof soerr;
	expect(getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == ECONNREFUSED, "SO_ERROR refused");
	p.events = POLLIN;
	expect(poll(&p, 1, 0) == 1, "poll again");
	close(s);
}

static void udp4(unsigned base)
{
	char buf[64];
	struct sockaddr_in a = v4(base + 3), b = v4(base + 4), from, closed = v4(base + 7);
	int u1 = socket(AF_INET, SOCK_DGRAM, 0);
	int u2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	expect(bind(u1, SA(a), sizeof a) == 0, "bind u1");
	expect(bind(u2, SA(b), sizeof b) == 0, "bind u2");
	expect(sendto(u2, "ping", 4, 0, SA(a), sizeof a) == 4, "sendto");
	socklen_t len = 128;
	expect(recvfrom(u1, buf, sizeof buf, 0, SA(from), &len) == 4, "recvfrom");
	struct iovec out = { "pong!", 5 }, in = { buf, sizeof buf };
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_name = &b;
	m.msg_namelen = sizeof b;
	m.msg_iov = &out;
	m.msg_iovlen = 1;
	expect(sendmsg(u1, &m, 0) == 5, "sendmsg to");
	struct sockaddr_storage ss;
	memset(&m, 0, sizeof m);
	m.msg_name = &ss;
	m.msg_namelen = sizeof ss;
	m.msg_iov = &in;
	m.msg_iovlen = 1;
	expect(recvmsg(u2, &m, 0) == 5, "recvmsg from");
	/* A connected UDP socket to a closed port: the ICMP error fails the next receive. */
	expect(connect(u2, SA(closed), sizeof closed) == 0, "udp connect");
	expect(send(u2, "x", 1, 0) == 1, "udp send");
	expect(recv(u2, buf, sizeof buf, 0) == -1 && errno == ECONNREFUSED, "udp recv ECONNREFUSED");
	close(u1);
	close(u2);
}

static void tcp6(unsigned base)
{
	int one = 1;
	char buf[16];
	struct sockaddr_in6 l = v6(base + 5), c = v6(base + 6);
	int ls = socket(AF_INET6, SOCK_STREAM, 0);
	expect(setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) == 0, "IPV6_V6ONLY");
	expect(bind(ls, SA(l), sizeof l) == 0, "bind6");
	expect(listen(ls, 1) == 0, "listen6");
	int cs = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	expect(bind(cs, SA(c), sizeof c) == 0, "bind6 client");
	expect(connect(cs, SA(l), sizeof l) == 0, "connect6");
	int as = accept(ls, NULL, NULL);
	expect(as >= 0, "accept6");
	expect(shutdown(cs, SHUT_WR) == 0, "shutdown");
	expect(read(as, buf, sizeof buf) == 0, "read EOF");
	close(as);
	close(cs);
	close(ls);
}

int main(int argc, char **argv)
{
	int six = argc > 1 && strcmp(argv[1], "-6") == 0;
	if (argc != 2 + six || atoi(argv[1 + six]) < 1024 || atoi(argv[1 + six]) > 65000) {
		fprintf(stderr, "usage: sockcalls [-6] BASEPORT (1024..65000; uses BASEPORT..BASEPORT+7)\n");
		return 2;
	}
	unsigned base = (unsigned)atoi(argv[1 + six]);
	tcp4(base);
	refused(base);
	udp4(base);
	if (six)
		tcp6(base);
	return failures ? 1 : 0;
}
