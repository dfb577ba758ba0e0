/* server.c — sockdemo server: a non-blocking TCP poll loop for many clients, or a UDP echo; narrated. */
#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "narrate.h"
#include "support.h"

#define IO_MAX 65536 /* bytes read per recv() */

static volatile sig_atomic_t stop_signal; /* the signal that asked us to stop, 0 while serving */

static void server_on_signal(int sig)
{
	stop_signal = sig;
}

static void server_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = server_on_signal; /* no SA_RESTART: poll()/recvfrom() return EINTR and we look */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static const char *mode_name(enum sd_mode m)
{
	return m == SD_ECHO ? "echo" : m == SD_PRINT ? "print" : "discard";
}

/* Writes all of buf to stdout (--print); false if stdout is gone. */
static bool server_print(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDOUT_FILENO, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "sockdemo: cannot write what arrived to standard output: %s; fix: keep the "
					"reader of the server's output running\n", w < 0 ? strerror(errno) : "closed");
			return false;
		}
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

/* Binds (after SO_REUSEADDR for TCP); on failure prints the cause and fix and returns the exit code. */
static int server_bind(int fd, const struct sd_opts *o, const struct sockaddr_storage *ss, socklen_t len)
{
	if (o->type == SOCK_STREAM && narrate_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0) {
		fprintf(stderr, "sockdemo: setsockopt(SO_REUSEADDR) failed: %s\n", strerror(errno));
		return SD_EXIT_RUNTIME;
	}
	if (narrate_bind(fd, (const struct sockaddr *)ss, len) < 0)
		return sd_explain_failure("bind", (const struct sockaddr *)ss, errno, o->port);
	return SD_EXIT_OK;
}

/* One TCP client of the poll loop. */
struct conn {
	int fd;         /* -1 once closed (removed at the end of the round) */
	char *out;      /* echo bytes the kernel did not take yet (heap), or NULL */
	size_t out_len; /* bytes in out */
	size_t out_off; /* bytes of out already sent */
	bool eof;       /* the client's FIN arrived: close once out is sent */
};

static void conn_close(struct conn *c)
{
	narrate_close(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
}

/* Sends data (after anything pending); keeps what does not fit. False when the connection failed. */
static bool conn_send(struct conn *c, const char *data, size_t len)
{
	if (c->out) { /* never reorder: append behind what is still pending */
		char *n = realloc(c->out, c->out_len + len);
		if (!n)
			return false;
		memcpy(n + c->out_len, data, len);
		c->out = n;
		c->out_len += len;
		return true;
	}
	while (len > 0) {
		ssize_t w = narrate_send(c->fd, data, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break;
		if (w < 0)
			return false; /* EPIPE, ECONNRESET: the client vanished */
		data += w;
		len -= (size_t)w;
	}
	if (len > 0) {
		c->out = malloc(len);
		if (!c->out)
			return false;
		memcpy(c->out, data, len);
		c->out_len = len;
		c->out_off = 0;
	}
	return true;
}

/* Sends pending echo bytes when the socket has room. False when the connection failed. */
static bool conn_flush(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = narrate_send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return true;
		if (w < 0)
			return false;
		c->out_off += (size_t)w;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return true;
}

/* Handles one ready client; returns false when stdout (--print) failed. */
static bool conn_ready(struct conn *c, short revents, enum sd_mode mode, char *buf)
{
	if (c->out) {
		if (revents & (POLLOUT | POLLERR | POLLHUP)) {
			if (!conn_flush(c)) {
				conn_close(c);
				return true;
			}
		}
	} else if (revents & (POLLIN | POLLERR | POLLHUP)) {
		ssize_t n = narrate_recv(c->fd, buf, IO_MAX, 0);
		if (n > 0) {
			if (mode == SD_ECHO && !conn_send(c, buf, (size_t)n)) {
				conn_close(c);
				return true;
			}
			if (mode == SD_PRINT && !server_print(buf, (size_t)n))
				return false;
		} else if (n == 0) {
			c->eof = true;
		} else if (errno != EAGAIN && errno != EINTR) {
			conn_close(c); /* ECONNRESET: the client vanished (killed, or closed abortively) */
			return true;
		}
	}
	if (c->fd >= 0 && c->eof && !c->out)
		conn_close(c);
	return true;
}

static int server_tcp(const struct sd_opts *o, const struct sockaddr_storage *ss, socklen_t sslen)
{
	int lfd = narrate_socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP);
	if (lfd < 0) {
		fprintf(stderr, "sockdemo: cannot make a TCP socket: %s\n", strerror(errno));
		return SD_EXIT_RUNTIME;
	}
	int rc = server_bind(lfd, o, ss, sslen);
	if (rc != SD_EXIT_OK)
		return rc;
	if (narrate_listen(lfd, SOMAXCONN) < 0)
		return sd_explain_failure("listen on", (const struct sockaddr *)ss, errno, o->port);
	char ep[80];
	demo_fmt_endpoint(ep, sizeof ep, (const struct sockaddr *)ss);
	fprintf(stderr, "sockdemo: serving TCP on %s (%s); Ctrl-C stops\n", ep, mode_name(o->mode));

	char *buf = malloc(IO_MAX);
	struct conn *conns = NULL;
	struct pollfd *pfd = malloc(sizeof *pfd);
	size_t n = 0, cap = 0;
	unsigned long served = 0;
	bool accepting = true, ok = true;
	if (!buf || !pfd) {
		fprintf(stderr, "sockdemo: out of memory\n");
		return SD_EXIT_RUNTIME;
	}
	while (!stop_signal && ok) {
		pfd[0].fd = lfd;
		pfd[0].events = accepting ? POLLIN : 0;
		for (size_t i = 0; i < n; i++) {
			pfd[i + 1].fd = conns[i].fd;
			pfd[i + 1].events = conns[i].out ? POLLOUT : POLLIN;
			pfd[i + 1].revents = 0;
		}
		pfd[0].revents = 0;
		size_t polled = n;
		if (narrate_poll(pfd, (nfds_t)(n + 1), -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sockdemo: poll failed: %s\n", strerror(errno));
			ok = false;
			break;
		}
		for (size_t i = 0; i < polled; i++)
			if (pfd[i + 1].revents && conns[i].fd >= 0 && !conn_ready(&conns[i], pfd[i + 1].revents, o->mode, buf))
				ok = false;
		if (pfd[0].revents & POLLIN) {
			for (int k = 0; k < 64; k++) { /* take what is queued, but keep serving the others */
				struct sockaddr_storage peer;
				socklen_t pl = sizeof peer;
				int cfd = narrate_accept(lfd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK);
				if (cfd < 0) {
					if (errno == EMFILE || errno == ENFILE) {
						fprintf(stderr, "sockdemo: out of file descriptors with %zu clients; new "
								"connections wait in the queue until one leaves (fix: raise "
								"ulimit -n)\n", n);
						accepting = false;
					}
					if (errno == ECONNABORTED || errno == EINTR)
						continue;
					break;
				}
				if (n == cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct conn *c2 = realloc(conns, nc * sizeof *c2);
					struct pollfd *p2 = c2 ? realloc(pfd, (nc + 1) * sizeof *p2) : NULL;
					if (c2)
						conns = c2;
					if (p2)
						pfd = p2;
					if (!c2 || !p2) {
						fprintf(stderr, "sockdemo: out of memory for client %zu\n", n + 1);
						narrate_close(cfd);
						break;
					}
					cap = nc;
				}
				conns[n++] = (struct conn){ .fd = cfd };
				served++;
			}
		}
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (conns[i].fd >= 0)
				conns[kept++] = conns[i];
		if (kept < n)
			accepting = true; /* a descriptor came free */
		n = kept;
	}
	for (size_t i = 0; i < n; i++)
		conn_close(&conns[i]);
	narrate_close(lfd);
	free(conns);
	free(pfd);
	free(buf);
	if (!ok)
		return SD_EXIT_RUNTIME;
	fprintf(stderr, "sockdemo: server stopped by %s after %lu connection%s\n",
		stop_signal == SIGINT ? "SIGINT" : "SIGTERM", served, served == 1 ? "" : "s");
	return SD_EXIT_OK;
}

static int server_udp(const struct sd_opts *o, const struct sockaddr_storage *ss, socklen_t sslen)
{
	int fd = narrate_socket(ss->ss_family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0) {
		fprintf(stderr, "sockdemo: cannot make a UDP socket: %s\n", strerror(errno));
		return SD_EXIT_RUNTIME;
	}
	int rc = server_bind(fd, o, ss, sslen);
	if (rc != SD_EXIT_OK)
		return rc;
	char ep[80];
	demo_fmt_endpoint(ep, sizeof ep, (const struct sockaddr *)ss);
	fprintf(stderr, "sockdemo: serving UDP on %s (%s); Ctrl-C stops\n", ep, mode_name(o->mode));
	static char buf[IO_MAX];
	unsigned long datagrams = 0;
	while (!stop_signal) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof peer;
		ssize_t n = narrate_recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl);
		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			fprintf(stderr, "sockdemo: recvfrom failed: %s\n", strerror(errno));
			narrate_close(fd);
			return SD_EXIT_RUNTIME;
		}
		datagrams++;
		if (o->mode == SD_ECHO)
			narrate_sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, pl); /* a lost echo is UDP */
		else if (o->mode == SD_PRINT && !server_print(buf, (size_t)n)) {
			narrate_close(fd);
			return SD_EXIT_RUNTIME;
		}
	}
	narrate_close(fd);
	fprintf(stderr, "sockdemo: server stopped by %s after %lu datagram%s\n",
		stop_signal == SIGINT ? "SIGINT" : "SIGTERM", datagrams, datagrams == 1 ? "" : "s");
	return SD_EXIT_OK;
}

int server_run(const struct sd_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (!sd_resolve(o, true, &ss, &len))
		return SD_EXIT_ADDRESS;
	sd_raise_nofile();
	server_signals();
	return o->type == SOCK_STREAM ? server_tcp(o, &ss, len) : server_udp(o, &ss, len);
}
