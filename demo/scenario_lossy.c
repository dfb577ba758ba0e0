/* scenario_lossy.c — the lossy scenario: a bulk transfer on loopback through a socket filter that drops 1% of the data segments, so the wire shows slow start, losses, retransmissions and the congestion window's cuts. */
#include "scenario_lossy.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/sockloss.h"
#include "narrate.h"
#include "role.h"
#include "scenario_kit.h"

#define LOSSY_CHUNK (1u << 20) /* bytes per send() and per recv(MSG_WAITALL) */
#define LOSSY_CHUNKS 16        /* send() calls */
#define LOSSY_EVERY 64         /* IPv4: the server's filter drops one data segment in this many */
#define LOSSY_PERMILLE 16      /* IPv6 (no identification to count by): per thousand, at random */
#define LOSSY_GAP_MS 150       /* the client's pause after each send(): a few seconds in all, so the kernel's
				  numbers can be watched (synwatch reads them every 150 ms) */
#define LOSSY_CC "reno"        /* the textbook congestion control: slow start, halve on a loss, +1 segment
				  per round trip (any user may choose it; the system's default may be bbr) */

/* The byte at offset i of the stream: a pattern the server checks. */
static uint8_t lossy_byte(uint64_t i)
{
	return (uint8_t)('a' + (i * 7 + i / 251) % 26);
}

struct lossy_arg {
	struct gate ready; /* server → parent: listening */
};

static int lossy_server(struct scen_ctx *x, void *arg)
{
	struct lossy_arg *la = arg;
	int code = 0, lfd;
	int cfd = tcp_accepted(x, &la->ready, &lfd, &code);
	if (cfd < 0)
		return code;
	struct sock_filter code_[SOCKLOSS_LEN];
	struct sock_fprog prog = { .len = SOCKLOSS_LEN, .filter = code_ };
	char what[200];
	if (x->family == AF_INET) {
		sockloss_every(code_, LOSSY_EVERY);
		snprintf(what, sizeof what, "it drops one segment carrying data in %d (those whose IP identification "
			 "is a multiple of %d), as a lossy network would", LOSSY_EVERY, LOSSY_EVERY);
	} else {
		sockloss_random(code_, LOSSY_PERMILLE);
		snprintf(what, sizeof what, "it drops about %d in 1000 segments carrying data, at random, as a lossy "
			 "network would", LOSSY_PERMILLE);
	}
	if (narrate_setsockopt_filter(cfd, &prog, what) < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "the kernel refused the socket filter (SO_ATTACH_FILTER)");
	uint8_t *buf = malloc(LOSSY_CHUNK);
	if (!buf)
		return unexpected(x, SD_EXIT_RUNTIME, "out of memory for the receive buffer");
	uint64_t got = 0;
	for (;;) {
		ssize_t n = narrate_recv(cfd, buf, LOSSY_CHUNK, MSG_WAITALL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return unexpected(x, SD_EXIT_RUNTIME, "recv failed during the transfer");
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != lossy_byte(got + (uint64_t)i)) {
				free(buf);
				return unexpected(x, SD_EXIT_RUNTIME, "a byte arrived different from what was sent");
			}
		got += (uint64_t)n;
	}
	free(buf);
	if (got != (uint64_t)LOSSY_CHUNK * LOSSY_CHUNKS)
		return unexpected(x, SD_EXIT_RUNTIME, "the client's FIN came before all its data");
	narrate_say("== the server received all %llu bytes, in order and intact: the filter dropped segments, and "
		    "TCP sent each of them again", (unsigned long long)got);
	narrate_close(cfd);
	narrate_close(lfd);
	return SD_EXIT_OK;
}

/* The kernel's numbers for fd (TCP_INFO); false when it cannot say. */
static bool lossy_info(int fd, struct tcp_info *ti)
{
	socklen_t l = sizeof *ti;
	memset(ti, 0, sizeof *ti);
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &l) == 0;
}

static void lossy_say_info(const struct tcp_info *ti, unsigned mib)
{
	char ssth[32];
	if (ti->tcpi_snd_ssthresh >= 0x7fffffffu)
		snprintf(ssth, sizeof ssth, "none yet (still in slow start)");
	else
		snprintf(ssth, sizeof ssth, "%u", ti->tcpi_snd_ssthresh);
	narrate_say("== after %u MiB, the client's kernel (tcp_info): cwnd %u segments of %u bytes, ssthresh %s, "
		    "%u segments sent again so far, smoothed rtt %.3f ms", mib, ti->tcpi_snd_cwnd, ti->tcpi_snd_mss,
		    ssth, ti->tcpi_total_retrans, ti->tcpi_rtt / 1000.0);
}

static void lossy_pause(void)
{
	struct timespec ts = { LOSSY_GAP_MS / 1000, (LOSSY_GAP_MS % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int lossy_client(struct scen_ctx *x, void *arg)
{
	(void)arg;
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a TCP socket");
	if (narrate_setsockopt_str(fd, IPPROTO_TCP, TCP_CONGESTION, LOSSY_CC) < 0)
		narrate_say("== %s is not available here (%s): the system's default congestion control is used",
			    LOSSY_CC, strerror(errno));
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0) {
		int e = errno;
		narrate_close(fd);
		char why[160];
		snprintf(why, sizeof why, "connect failed (%s); fix: check that nothing else uses the port", strerror(e));
		return unexpected(x, SD_EXIT_RUNTIME, why);
	}
	uint8_t *buf = malloc(LOSSY_CHUNK);
	if (!buf)
		return unexpected(x, SD_EXIT_RUNTIME, "out of memory for the send buffer");
	struct tcp_info ti;
	unsigned peak = 0, ss_peak = 0, cuts = 0, prev = 0;
	uint64_t sent = 0;
	for (unsigned c = 0; c < LOSSY_CHUNKS; c++) {
		for (uint32_t i = 0; i < LOSSY_CHUNK; i++)
			buf[i] = lossy_byte(sent + i);
		size_t off = 0;
		while (off < LOSSY_CHUNK) {
			ssize_t w = narrate_send(fd, buf + off, LOSSY_CHUNK - off, MSG_NOSIGNAL);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				free(buf);
				return unexpected(x, SD_EXIT_RUNTIME, "send failed during the transfer");
			}
			off += (size_t)w;
		}
		sent += LOSSY_CHUNK;
		if (lossy_info(fd, &ti)) {
			lossy_say_info(&ti, c + 1);
			unsigned cw = ti.tcpi_snd_cwnd;
			peak = cw > peak ? cw : peak;
			if (ti.tcpi_snd_ssthresh >= 0x7fffffffu && cw > ss_peak)
				ss_peak = cw;
			cuts += prev && cw < prev;
			prev = cw;
		}
		lossy_pause();
	}
	free(buf);
	narrate_shutdown(fd, SHUT_WR);
	char tail[256];
	ssize_t n;
	while ((n = narrate_recv(fd, tail, sizeof tail, 0)) != 0)
		if (n < 0 && errno != EINTR)
			return unexpected(x, SD_EXIT_RUNTIME, "the server's FIN did not arrive");
	bool have_last = lossy_info(fd, &ti);
	narrate_close(fd);
	if (!have_last)
		return SD_EXIT_OK;
	if (!ti.tcpi_total_retrans) {
		narrate_say("== what happened: no segment was dropped this time, so nothing was sent again");
		return SD_EXIT_OK;
	}
	char start[160] = "";
	if (ss_peak)
		snprintf(start, sizeof start, " in slow start its cwnd grew to %u segments (doubling each round trip);",
			 ss_peak);
	narrate_say("== what happened:%s the filter dropped segments, the server's ACKs (duplicate ones, with SACK "
		    "blocks) told the client, and its kernel sent %u segments again; %s cut the cwnd to half at each loss "
		    "(lower than before in %u of these reports; at most %u segments) and grew it again by one "
		    "segment per round trip; the slow-start threshold ended at %u segments",
		    start, ti.tcpi_total_retrans, LOSSY_CC, cuts, peak, ti.tcpi_snd_ssthresh);
	return SD_EXIT_OK;
}

/* Whether this process may attach a socket filter (some kernels allow it to root only); errno when not. */
static bool lossy_may_filter(int family)
{
	struct sock_filter code[SOCKLOSS_LEN];
	sockloss_random(code, 0);
	struct sock_fprog prog = { .len = SOCKLOSS_LEN, .filter = code };
	int fd = socket(family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return false;
	int r = setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
	int e = errno;
	close(fd);
	errno = e;
	return r == 0;
}

int scenario_lossy(struct scen_ctx *x)
{
	if (!lossy_may_filter(x->family)) {
		char why[320];
		snprintf(why, sizeof why, "cannot attach the socket filter that drops the segments (SO_ATTACH_FILTER: %s)%s",
			 strerror(errno),
			 errno == EPERM || errno == EACCES
				 ? "; this kernel lets only root do that (kernel.unprivileged_bpf_disabled); fix: run it as "
				   "root, e.g. sudo sockdemo scenario lossy"
				 : "");
		return unexpected(x, SD_EXIT_RUNTIME, why);
	}
	struct lossy_arg la;
	if (!gate_make(&la.ready))
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a pipe");
	narrate_say("== %u MiB from the client to the server in %u send() calls of 1 MiB, %d ms apart, with %s; the "
		    "server's socket filter drops %s one data segment in %d", LOSSY_CHUNKS, LOSSY_CHUNKS, LOSSY_GAP_MS,
		    LOSSY_CC, x->family == AF_INET ? "regularly" : "at random about",
		    x->family == AF_INET ? LOSSY_EVERY : 1000 / LOSSY_PERMILLE);
	pid_t s = child_start("server", lossy_server, x, &la, -1);
	int rc = 0;
	if (gate_wait(&la.ready, GATE_TIMEOUT))
		rc = child_wait(x, child_start("client", lossy_client, x, NULL, -1), "client");
	if (rc)
		kill(s, SIGTERM);
	rc = worst(child_wait(x, s, "server"), rc);
	gate_free(&la.ready);
	return rc;
}
