/* ipopts.c — sends loopback traffic that carries IPv4 options (RR, TS, RA), for make pcaps' ipopts.pcap. */
/*
 * ipopts PORT
 *   On 127.0.0.1, with IP_OPTIONS set on the sending socket so the kernel writes them into each header
 *   (and fills in the record-route and timestamp slots as it sends):
 *   1. a UDP datagram to PORT with record route (9 slots),
 *   2. a UDP datagram to PORT with a timestamp option, timestamps only (9 slots),
 *   3. a UDP datagram to PORT with a timestamp option, address and timestamp (4 slots),
 *   4. a UDP datagram to PORT with NOP, router alert (RFC 2113) and EOL padding,
 *   5. a UDP datagram with record route to PORT + 1, where nobody listens: the ICMP port unreachable
 *      quotes its header, options included,
 *   6. a TCP connection to PORT whose client sets record route: handshake, one message each way, close.
 *   Each datagram and message is awaited at the receiving socket before the next is sent, so the
 *   capture holds them in this order. Exit 0 when all arrived, 1 with what went wrong.
 * Loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WAIT_MS 5000

static int port;

static void die(const char *what)
{
	fprintf(stderr, "ipopts: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in lo_addr(int p)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int sock_opts(int type, const uint8_t *opts, socklen_t n)
{
	int fd = socket(AF_INET, type, 0);
	if (fd < 0)
		die("socket");
	if (n && setsockopt(fd, IPPROTO_IP, IP_OPTIONS, opts, n) < 0)
		die("setsockopt(IP_OPTIONS)");
	return fd;
}

/* Waits until fd is readable; fails after WAIT_MS. */
static void await(int fd, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, WAIT_MS);
	if (r < 0)
		die("poll");
	if (r == 0) {
		fprintf(stderr, "ipopts: %s did not arrive within %d ms\n", what, WAIT_MS);
		exit(1);
	}
}

/* Sends one datagram with the given options to dport; when rx >= 0, waits for it there. */
static void udp_send(int rx, int dport, const uint8_t *opts, socklen_t n, const char *msg)
{
	int fd = sock_opts(SOCK_DGRAM, opts, n), on = 1;
	struct sockaddr_in to = lo_addr(dport);
	/* A socket that is not connected learns of an ICMP error only through IP_RECVERR. */
	if (rx < 0 && setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) < 0)
		die("setsockopt(IP_RECVERR)");
	if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof to) < 0)
		die("sendto");
	if (rx >= 0) {
		char buf[256];
		await(rx, msg);
		if (recv(rx, buf, sizeof buf, 0) < 0)
			die("recv");
	} else {
		struct pollfd p = { .fd = fd, .events = POLLERR };
		if (poll(&p, 1, WAIT_MS) <= 0) {
			fprintf(stderr, "ipopts: no ICMP error for %s within %d ms\n", msg, WAIT_MS);
			exit(1);
		}
	}
	close(fd);
}

static void tcp_exchange(const uint8_t *opts, socklen_t n)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	struct sockaddr_in a = lo_addr(port);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0)
		die("listening socket");
	if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 1) < 0)
		die("bind/listen");
	int cfd = sock_opts(SOCK_STREAM, opts, n);
	if (connect(cfd, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	await(lfd, "the connection");
	int sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		die("accept");
	char buf[64];
	if (send(cfd, "hello\n", 6, 0) != 6)
		die("send");
	await(sfd, "the client's message");
	if (recv(sfd, buf, sizeof buf, 0) <= 0)
		die("recv");
	if (send(sfd, "hello\n", 6, 0) != 6)
		die("send");
	await(cfd, "the server's reply");
	if (recv(cfd, buf, sizeof buf, 0) <= 0)
		die("recv");
	close(cfd);
	await(sfd, "the client's FIN");
	if (recv(sfd, buf, sizeof buf, 0) != 0)
		die("recv (expected end of stream)");
	close(sfd);
	close(lfd);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (port = atoi(argv[1])) <= 0 || port >= 65535) {
		fprintf(stderr, "usage: ipopts PORT   (sends on 127.0.0.1 to PORT and PORT + 1)\n");
		return 2;
	}
	/* RFC 791 §3.1 record route: type 7, length 39 (9 addresses), pointer 4 (first slot). */
	uint8_t rr[40] = { IPOPT_RR, 39, 4 };
	/* Timestamp: type 68, length 40, pointer 5; flag 0 (timestamps only, 9) or 1 (address + timestamp, 4). */
	uint8_t ts_only[40] = { IPOPT_TS, 40, 5, IPOPT_TS_TSONLY };
	uint8_t ts_addr[36] = { IPOPT_TS, 36, 5, IPOPT_TS_TSANDADDR };
	/* NOP, router alert (RFC 2113: type 148, length 4, value 0), EOL and padding to a 4-byte boundary. */
	uint8_t ra[8] = { IPOPT_NOP, IPOPT_RA, 4, 0, 0, IPOPT_EOL };

	int rx = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = lo_addr(port);
	if (rx < 0 || bind(rx, (struct sockaddr *)&a, sizeof a) < 0)
		die("bind the UDP receiver");
	udp_send(rx, port, rr, sizeof rr, "record route\n");
	udp_send(rx, port, ts_only, sizeof ts_only, "timestamps\n");
	udp_send(rx, port, ts_addr, sizeof ts_addr, "address and timestamp\n");
	udp_send(rx, port, ra, sizeof ra, "router alert\n");
	udp_send(-1, port + 1, rr, sizeof rr, "to a closed port\n");
	close(rx);
	tcp_exchange(rr, sizeof rr);
	return 0;
}
