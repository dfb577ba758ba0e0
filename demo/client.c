/* client.c — sockdemo client: sends stdin (or -m TEXT) line by line over TCP or UDP, prints the replies. */
#include "client.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"
#include "support.h"

#define IN_MAX 65536     /* stdin bytes held before they are sent */
#define REPLY_MAX 65536  /* bytes per recv() */
#define IDLE_MS 1000     /* at end of input: how long to wait for more replies when not all came back */

/* The client's state between poll() rounds. */
struct client {
	int fd;
	int type;             /* SOCK_STREAM or SOCK_DGRAM */
	char in[IN_MAX];      /* input read but not yet sent */
	size_t in_len;        /* bytes in `in` */
	bool input_done;      /* end of stdin (or -m sent) */
	bool shut;            /* shutdown(SHUT_WR) done (--shutdown) */
	unsigned long long sent, received; /* bytes */
	const struct sockaddr *peer; /* for messages */
	uint16_t port;
};

static bool client_write_out(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDOUT_FILENO, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "sockdemo: cannot write the reply to standard output: %s\n",
				w < 0 ? strerror(errno) : "closed");
			return false;
		}
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

/*
 * Sends complete lines from `in`, one send() each (a UDP datagram each). A last line without newline
 * goes at end of input. Returns 0 when all that can go went, 1 when the socket is full, else an exit code + 1.
 */
static int client_send_lines(struct client *c)
{
	while (c->in_len > 0) {
		char *nl = memchr(c->in, '\n', c->in_len);
		size_t len = nl ? (size_t)(nl - c->in) + 1 : c->in_len;
		if (!nl && !c->input_done && c->in_len < sizeof c->in)
			return 0; /* wait for the rest of the line */
		ssize_t w = narrate_send(c->fd, c->in, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 1;
		if (w < 0)
			return sd_explain_failure("send to", c->peer, errno, c->port) + 1;
		c->sent += (unsigned long long)w;
		memmove(c->in, c->in + w, c->in_len - (size_t)w);
		c->in_len -= (size_t)w;
	}
	return 0;
}

static int client_loop(struct client *c, bool half_close)
{
	static char reply[REPLY_MAX];
	for (;;) {
		int full = client_send_lines(c);
		if (full > 1)
			return full - 1;
		if (c->input_done && c->in_len == 0) {
			if (half_close && !c->shut) {
				if (narrate_shutdown(c->fd, SHUT_WR) < 0)
					return sd_explain_failure("shut down the connection to", c->peer, errno, c->port);
				c->shut = true;
			}
			/* Without --shutdown: done once everything came back (an echo server) or after a quiet second. */
			if (!half_close && c->received >= c->sent)
				return SD_EXIT_OK;
		}
		struct pollfd p[2] = {
			{ .fd = c->fd, .events = (short)(POLLIN | (full ? POLLOUT : 0)) },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};
		bool want_input = !c->input_done && !full && c->in_len < sizeof c->in;
		int timeout = c->input_done && c->in_len == 0 && !half_close ? IDLE_MS : -1;
		int r = narrate_poll(p, want_input ? 2 : 1, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "sockdemo: poll failed: %s\n", strerror(errno));
			return SD_EXIT_RUNTIME;
		}
		if (r == 0)
			return SD_EXIT_OK; /* quiet: the server does not echo (--print, --discard) */
		if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t n = narrate_recv(c->fd, reply, sizeof reply, MSG_DONTWAIT);
			if (n > 0) {
				c->received += (unsigned long long)n;
				if (!client_write_out(reply, (size_t)n))
					return SD_EXIT_RUNTIME;
			} else if (n == 0 && c->type == SOCK_STREAM) {
				if (!c->input_done || c->in_len) {
					fprintf(stderr, "sockdemo: the server closed the connection before the end of our "
							"input (its FIN came first); fix: check the server\n");
					return SD_EXIT_RUNTIME;
				}
				return SD_EXIT_OK;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				return sd_explain_failure(c->type == SOCK_STREAM ? "receive from" : "reach", c->peer, errno,
							  c->port);
			}
		}
		if (want_input && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = read(STDIN_FILENO, c->in + c->in_len, sizeof c->in - c->in_len);
			if (n < 0 && errno != EINTR && errno != EAGAIN) {
				fprintf(stderr, "sockdemo: cannot read standard input: %s\n", strerror(errno));
				return SD_EXIT_RUNTIME;
			}
			if (n == 0)
				c->input_done = true;
			if (n > 0)
				c->in_len += (size_t)n;
		}
	}
}

int client_run(const struct sd_opts *o)
{
	if (o->half_close && o->type != SOCK_STREAM) {
		fprintf(stderr, "sockdemo: --shutdown half-closes a TCP connection; UDP has none; fix: drop "
				"--shutdown or use --tcp\n");
		return SD_EXIT_USAGE;
	}
	struct sockaddr_storage ss;
	socklen_t len;
	if (!sd_resolve(o, false, &ss, &len))
		return SD_EXIT_ADDRESS;
	static struct client c;
	c.type = o->type;
	c.peer = (const struct sockaddr *)&ss;
	c.port = o->port;
	c.fd = narrate_socket(ss.ss_family, o->type, o->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
	if (c.fd < 0) {
		fprintf(stderr, "sockdemo: cannot make a socket: %s\n", strerror(errno));
		return SD_EXIT_RUNTIME;
	}
	/* UDP too: connect() fixes the peer, so the kernel reports its ICMP port unreachable to us. */
	if (narrate_connect(c.fd, (struct sockaddr *)&ss, len) < 0) {
		int rc = sd_explain_failure("connect to", (struct sockaddr *)&ss, errno, o->port);
		narrate_close(c.fd);
		return rc;
	}
	if (o->message) {
		size_t ml = strlen(o->message);
		if (ml + 1 > sizeof c.in) {
			fprintf(stderr, "sockdemo: -m TEXT is longer than %zu bytes; fix: send it on standard input\n",
				sizeof c.in - 1);
			narrate_close(c.fd);
			return SD_EXIT_USAGE;
		}
		memcpy(c.in, o->message, ml);
		c.in[ml] = '\n';
		c.in_len = ml + 1;
		c.input_done = true;
	}
	int rc = client_loop(&c, o->half_close);
	narrate_close(c.fd);
	return rc;
}
