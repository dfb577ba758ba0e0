/* scenario.c — classroom scenarios: a server and client process each, so the wire shows one textbook exchange. */
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/count.h"
#include "format.h"
#include "narrate.h"
#include "relay.h"
#include "scenario_kit.h"
#include "scenario_lossy.h"
#include "support.h"

#define CHILD_TIMEOUT 30  /* seconds before a stuck scenario process is killed (SIGALRM) */
#define SIMUL_SECONDS 10  /* simultaneous-close: attempts go on for this long before giving up */

bool gate_make(struct gate *g)
{
	int p[2];
	if (pipe(p) < 0)
		return false;
	/* High numbers, so the scenario's sockets get 3, 4, ... like in the textbooks. */
	for (int i = 0; i < 2; i++) {
		g->fd[i] = fcntl(p[i], F_DUPFD_CLOEXEC, 80);
		close(p[i]);
		if (g->fd[i] < 0)
			return false;
	}
	return true;
}

void gate_free(struct gate *g)
{
	close(g->fd[0]);
	close(g->fd[1]);
}

void gate_open(struct gate *g)
{
	char b = 1;
	while (write(g->fd[1], &b, 1) < 0 && errno == EINTR)
		;
}

bool gate_wait(struct gate *g, int ms)
{
	struct pollfd p = { .fd = g->fd[0], .events = POLLIN };
	int r;
	while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	char b;
	return r == 1 && read(g->fd[0], &b, 1) == 1;
}

static void addr_make(struct sockaddr_storage *ss, socklen_t *len, int family, uint16_t port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		*len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof *a;
	}
}

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					      : ((struct sockaddr_in *)&ss)->sin_port);
}

int unexpected(const struct scen_ctx *x, int code, const char *what)
{
	fprintf(stderr, "sockdemo: scenario %s: %s\n", x->name, what);
	return code;
}

static void pin_cpu(int cpu)
{
	if (cpu < 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

pid_t child_start(const char *role, child_fn fn, struct scen_ctx *x, void *arg, int cpu)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sockdemo: cannot start the %s process: %s\n", role, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* If the scenario is interrupted (Ctrl-C, kill), its processes go with it and free the port. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(SD_EXIT_RUNTIME);
		narrate_role(role);
		signal(SIGALRM, SIG_DFL);
		alarm(CHILD_TIMEOUT);
		pin_cpu(cpu);
		int rc = fn(x, arg);
		fflush(NULL);
		_exit(rc);
	}
	return pid;
}

int child_wait(const struct scen_ctx *x, pid_t pid, const char *role)
{
	int st;
	if (pid < 0)
		return SD_EXIT_RUNTIME;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return SD_EXIT_RUNTIME;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "sockdemo: scenario %s: the %s process was killed by signal %d%s\n", x->name, role,
		WTERMSIG(st), WTERMSIG(st) == SIGALRM ? " (stuck for 30 s); fix: check that nothing else uses the port" : "");
	return SD_EXIT_RUNTIME;
}

int worst(int a, int b)
{
	return a ? a : b;
}

/* ---- building blocks the processes use (all narrated) ---- */

int tcp_listener(struct scen_ctx *x, int backlog, int *code)
{
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0) {
		*code = unexpected(x, SD_EXIT_RUNTIME, "cannot make a TCP socket");
		return -1;
	}
	narrate_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (narrate_bind(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0 ||
	    narrate_listen(fd, backlog) < 0) {
		*code = sd_explain_failure("bind", (struct sockaddr *)&x->srv, errno, x->port);
		narrate_close(fd);
		return -1;
	}
	return fd;
}

int tcp_accepted(struct scen_ctx *x, struct gate *ready, int *lfd, int *code)
{
	*lfd = tcp_listener(x, 1, code);
	if (*lfd < 0)
		return -1;
	gate_open(ready);
	struct sockaddr_storage peer;
	socklen_t pl = sizeof peer;
	int cfd = narrate_accept(*lfd, (struct sockaddr *)&peer, &pl, 0);
	if (cfd < 0)
		*code = unexpected(x, SD_EXIT_RUNTIME, "accept failed");
	return cfd;
}

int tcp_connected(struct scen_ctx *x, int *code)
{
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0) {
		*code = unexpected(x, SD_EXIT_RUNTIME, "cannot make a TCP socket");
		return -1;
	}
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0) {
		*code = sd_explain_failure("connect to", (struct sockaddr *)&x->srv, errno, x->port);
		narrate_close(fd);
		return -1;
	}
	return fd;
}

static bool send_text(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t w = narrate_send(fd, s, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		s += w;
		len -= (size_t)w;
	}
	return true;
}

/* recv until the peer's FIN (0); true if it came, false on an error. */
static bool recv_to_eof(int fd)
{
	char buf[4096];
	for (;;) {
		ssize_t n = narrate_recv(fd, buf, sizeof buf, 0);
		if (n == 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
}

/* ---- handshake, reset, halfclose: one connection ---- */

/* The variant of the one-connection exchange. */
enum conn_kind { KIND_HANDSHAKE, KIND_RESET, KIND_HALFCLOSE };

struct one_conn {
	enum conn_kind kind;
	struct gate ready; /* server → parent: listening */
};

static int one_server(struct scen_ctx *x, void *arg)
{
	struct one_conn *oc = arg;
	int code = 0, lfd;
	int cfd = tcp_accepted(x, &oc->ready, &lfd, &code);
	if (cfd < 0)
		return code;
	char buf[4096];
	ssize_t n = narrate_recv(cfd, buf, sizeof buf, 0);
	if (n <= 0)
		return unexpected(x, SD_EXIT_RUNTIME, "the client's message did not arrive");
	switch (oc->kind) {
	case KIND_HANDSHAKE:
		if (!send_text(cfd, "hello from server\n") || !recv_to_eof(cfd))
			return unexpected(x, SD_EXIT_RUNTIME, "the client did not close with FIN");
		break;
	case KIND_RESET:
		if (!send_text(cfd, "hello from server\n"))
			return unexpected(x, SD_EXIT_RUNTIME, "the reply could not be sent");
		n = narrate_recv(cfd, buf, sizeof buf, 0);
		if (!(n < 0 && errno == ECONNRESET))
			return unexpected(x, SD_EXIT_RUNTIME, "expected ECONNRESET after the client's RST");
		break;
	case KIND_HALFCLOSE:
		if (!recv_to_eof(cfd))
			return unexpected(x, SD_EXIT_RUNTIME, "the client's FIN (shutdown) did not arrive");
		if (!send_text(cfd, "reply 1 after your FIN\n") || !send_text(cfd, "reply 2\n") ||
		    !send_text(cfd, "reply 3, then my FIN\n"))
			return unexpected(x, SD_EXIT_RUNTIME, "could not send after the client's half-close");
		break;
	}
	narrate_close(cfd);
	narrate_close(lfd);
	return SD_EXIT_OK;
}

static int one_client(struct scen_ctx *x, void *arg)
{
	struct one_conn *oc = arg;
	int code = 0;
	int fd = tcp_connected(x, &code);
	if (fd < 0)
		return code;
	char buf[4096];
	switch (oc->kind) {
	case KIND_HANDSHAKE:
	case KIND_RESET:
		if (!send_text(fd, "hello from client\n") || narrate_recv(fd, buf, sizeof buf, 0) <= 0)
			return unexpected(x, SD_EXIT_RUNTIME, "the server's reply did not arrive");
		if (oc->kind == KIND_RESET)
			narrate_setsockopt_linger(fd, 1, 0);
		break;
	case KIND_HALFCLOSE:
		if (!send_text(fd, "request, then my FIN\n") || narrate_shutdown(fd, SHUT_WR) < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "could not send the request and half-close");
		if (!recv_to_eof(fd))
			return unexpected(x, SD_EXIT_RUNTIME, "the server's replies and FIN did not arrive");
		break;
	}
	narrate_close(fd);
	return SD_EXIT_OK;
}

static int run_one_conn(struct scen_ctx *x, enum conn_kind kind)
{
	struct one_conn oc = { .kind = kind };
	if (!gate_make(&oc.ready))
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a pipe");
	pid_t s = child_start("server", one_server, x, &oc, -1);
	int rc = 0;
	if (gate_wait(&oc.ready, GATE_TIMEOUT)) {
		pid_t c = child_start("client", one_client, x, &oc, -1);
		rc = child_wait(x, c, "client");
	}
	if (rc)
		kill(s, SIGTERM);
	rc = worst(child_wait(x, s, "server"), rc);
	gate_free(&oc.ready);
	return rc;
}

static int scen_handshake(struct scen_ctx *x)
{
	return run_one_conn(x, KIND_HANDSHAKE);
}

static int scen_reset(struct scen_ctx *x)
{
	return run_one_conn(x, KIND_RESET);
}

static int scen_halfclose(struct scen_ctx *x)
{
	return run_one_conn(x, KIND_HALFCLOSE);
}

/* ---- refused: nobody listens ---- */

static int refused_client(struct scen_ctx *x, void *arg)
{
	(void)arg;
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a TCP socket");
	int r = narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen);
	int e = errno;
	narrate_close(fd);
	if (r == 0)
		return unexpected(x, SD_EXIT_ADDRESS, "something listens on the port, so there was no refusal; fix: "
						      "choose a free port with -p");
	if (e != ECONNREFUSED)
		return unexpected(x, SD_EXIT_RUNTIME, "connect failed, but not with ECONNREFUSED");
	return SD_EXIT_OK;
}

static int scen_refused(struct scen_ctx *x)
{
	narrate_say("== nobody listens on port %u: only a client process runs", x->port);
	return child_wait(x, child_start("client", refused_client, x, NULL, -1), "client");
}

/* ---- udp and unreachable ---- */

struct udp_arg {
	struct gate ready; /* server → parent: bound */
};

static int udp_server(struct scen_ctx *x, void *arg)
{
	struct udp_arg *ua = arg;
	int fd = narrate_socket(x->family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a UDP socket");
	if (narrate_bind(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0)
		return sd_explain_failure("bind", (struct sockaddr *)&x->srv, errno, x->port);
	gate_open(&ua->ready);
	for (int i = 0; i < 2; i++) {
		char buf[2048];
		struct sockaddr_storage peer;
		socklen_t pl = sizeof peer;
		ssize_t n = narrate_recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl);
		if (n < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "recvfrom failed");
		if (narrate_sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, pl) < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "sendto failed");
	}
	narrate_close(fd);
	return SD_EXIT_OK;
}

static int udp_client(struct scen_ctx *x, void *arg)
{
	(void)arg;
	int fd = narrate_socket(x->family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a UDP socket");
	static const char *const msgs[2] = { "ping 1\n", "ping 2\n" };
	for (int i = 0; i < 2; i++) {
		char buf[2048];
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		if (narrate_sendto(fd, msgs[i], strlen(msgs[i]), 0, (struct sockaddr *)&x->srv, x->srvlen) < 0 ||
		    narrate_recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "the datagram exchange failed");
	}
	narrate_close(fd);
	return SD_EXIT_OK;
}

static int scen_udp(struct scen_ctx *x)
{
	struct udp_arg ua;
	if (!gate_make(&ua.ready))
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a pipe");
	pid_t s = child_start("server", udp_server, x, &ua, -1);
	int rc = 0;
	if (gate_wait(&ua.ready, GATE_TIMEOUT))
		rc = child_wait(x, child_start("client", udp_client, x, NULL, -1), "client");
	if (rc)
		kill(s, SIGTERM);
	rc = worst(child_wait(x, s, "server"), rc);
	gate_free(&ua.ready);
	return rc;
}

static int unreachable_client(struct scen_ctx *x, void *arg)
{
	(void)arg;
	int fd = narrate_socket(x->family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a UDP socket");
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "connect on the UDP socket failed");
	if (narrate_send(fd, "anyone there?\n", 14, 0) < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "send failed");
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (narrate_poll(&p, 1, 3000) == 0)
		return unexpected(x, SD_EXIT_ADDRESS, "no ICMP error and no answer came back: something is bound to "
						      "that UDP port, or ICMP is filtered; fix: choose a free port with -p");
	char buf[2048];
	ssize_t n = narrate_recv(fd, buf, sizeof buf, 0);
	int e = errno;
	narrate_close(fd);
	if (n >= 0)
		return unexpected(x, SD_EXIT_ADDRESS, "something answered on that UDP port; fix: choose a free port "
						      "with -p");
	if (e != ECONNREFUSED)
		return unexpected(x, SD_EXIT_RUNTIME, "recv failed, but not with ECONNREFUSED");
	return SD_EXIT_OK;
}

static int scen_unreachable(struct scen_ctx *x)
{
	narrate_say("== nothing is bound to UDP port %u: only a client process runs", x->port);
	return child_wait(x, child_start("client", unreachable_client, x, NULL, -1), "client");
}

/* ---- simultaneous-close ---- */

/* Shared (MAP_SHARED) between the two processes and the parent. */
struct simul {
	atomic_int arrived;     /* processes waiting at the starting line */
	atomic_int go;          /* set by the parent: both call shutdown() now */
	atomic_int client_port; /* the client's port, to find the TIME_WAIT entries */
	struct gate ready;      /* server → parent: listening */
};

/* Waits at the starting line: spinning, so both processes leave it within a microsecond. */
static void simul_line_up(struct simul *sm)
{
	atomic_fetch_add(&sm->arrived, 1);
	while (!atomic_load(&sm->go))
		;
}

static int simul_server(struct scen_ctx *x, void *arg)
{
	struct simul *sm = arg;
	int code = 0, lfd;
	int cfd = tcp_accepted(x, &sm->ready, &lfd, &code);
	if (cfd < 0)
		return code;
	simul_line_up(sm);
	narrate_shutdown(cfd, SHUT_WR);
	if (!recv_to_eof(cfd))
		return unexpected(x, SD_EXIT_RUNTIME, "the client's FIN did not arrive");
	narrate_close(cfd);
	narrate_close(lfd);
	return SD_EXIT_OK;
}

static int simul_client(struct scen_ctx *x, void *arg)
{
	struct simul *sm = arg;
	int code = 0;
	int fd = tcp_connected(x, &code);
	if (fd < 0)
		return code;
	atomic_store(&sm->client_port, local_port(fd));
	simul_line_up(sm);
	narrate_shutdown(fd, SHUT_WR);
	if (!recv_to_eof(fd))
		return unexpected(x, SD_EXIT_RUNTIME, "the server's FIN did not arrive");
	narrate_close(fd);
	return SD_EXIT_OK;
}

/* Counts TIME_WAIT entries (state 06 in /proc/net/tcp, tcp6) between ports a and b, either direction. */
static int timewait_count(int family, unsigned a, unsigned b)
{
	FILE *f = fopen(family == AF_INET6 ? "/proc/net/tcp6" : "/proc/net/tcp", "r");
	if (!f)
		return -1;
	char line[512];
	int count = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned lp, rp, state;
		if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%x %x", &lp, &rp, &state) == 3 && state == 6 &&
		    ((lp == a && rp == b) || (lp == b && rp == a)))
			count++;
	}
	fclose(f);
	return count;
}

static int scen_simultaneous_close(struct scen_ctx *x)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return unexpected(x, SD_EXIT_RUNTIME, "needs 2 CPUs: on one CPU the first FIN is always delivered "
						      "before the second shutdown() runs");
	struct simul *sm = mmap(NULL, sizeof *sm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sm == MAP_FAILED)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot map shared memory");
	int rc = 0;
	/* The FINs cross only when both shutdown() calls run within microseconds; on a busy machine (a
	   virtual CPU held up by its host) most attempts miss, so they go on for a time, not a count. */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int attempt = 0;
	for (;;) {
		struct timespec now_ts;
		clock_gettime(CLOCK_MONOTONIC, &now_ts);
		if (attempt > 0 && now_ts.tv_sec - start.tv_sec >= SIMUL_SECONDS)
			break;
		attempt++;
		atomic_store(&sm->arrived, 0);
		atomic_store(&sm->go, 0);
		atomic_store(&sm->client_port, 0);
		if (!gate_make(&sm->ready)) {
			rc = unexpected(x, SD_EXIT_RUNTIME, "cannot make a pipe");
			break;
		}
		narrate_say("== attempt %d: server on CPU 1, client on CPU 0; both call shutdown() when released "
			    "together", attempt);
		pid_t s = child_start("server", simul_server, x, sm, 1), c = -1;
		if (gate_wait(&sm->ready, GATE_TIMEOUT)) {
			c = child_start("client", simul_client, x, sm, 0);
			struct timespec t0, now;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			while (atomic_load(&sm->arrived) < 2) {
				clock_gettime(CLOCK_MONOTONIC, &now);
				if (now.tv_sec - t0.tv_sec > GATE_TIMEOUT / 1000)
					break;
				struct timespec ms = { 0, 1000000 };
				nanosleep(&ms, NULL);
			}
			atomic_store(&sm->go, 1);
		}
		rc = c >= 0 ? child_wait(x, c, "client") : 0;
		if (rc)
			kill(s, SIGTERM);
		rc = worst(child_wait(x, s, "server"), rc);
		gate_free(&sm->ready);
		if (rc || c < 0)
			break;
		int tw = timewait_count(x->family, x->port, (unsigned)atomic_load(&sm->client_port));
		if (tw == 2) {
			narrate_say("== the FINs crossed: each side got the other's FIN before the ACK of its own (CLOSING), "
				    "so both ends are now in TIME_WAIT (see: ss -tan state time-wait)");
			munmap(sm, sizeof *sm);
			return SD_EXIT_OK;
		}
		narrate_say("== attempt %d: one FIN arrived before the other side's shutdown() ran (a normal close, "
			    "TIME_WAIT on one side only); trying again", attempt);
	}
	munmap(sm, sizeof *sm);
	if (rc)
		return rc;
	char why[200];
	snprintf(why, sizeof why, "the FINs never crossed in %d attempts over %d s (the machine is busy, or has one "
				  "usable CPU); fix: run it again on an idle machine", attempt, SIMUL_SECONDS);
	return unexpected(x, SD_EXIT_RUNTIME, why);
}

/* ---- backlog ---- */

struct backlog_arg {
	struct gate ready;     /* server → parent: listening */
	struct gate accept_go; /* parent → server: start accepting */
	struct gate connected; /* a client → parent: connect() returned */
	struct gate starting;  /* the third client → parent: about to connect() */
};

static int backlog_server(struct scen_ctx *x, void *arg)
{
	struct backlog_arg *ba = arg;
	int code = 0;
	int lfd = tcp_listener(x, 1, &code);
	if (lfd < 0)
		return code;
	gate_open(&ba->ready);
	if (!gate_wait(&ba->accept_go, 20000))
		return unexpected(x, SD_EXIT_RUNTIME, "never told to accept");
	int cfd[3];
	for (int i = 0; i < 3; i++) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof peer;
		cfd[i] = narrate_accept(lfd, (struct sockaddr *)&peer, &pl, 0);
		if (cfd[i] < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "accept failed");
	}
	for (int i = 0; i < 3; i++)
		narrate_close(cfd[i]);
	narrate_close(lfd);
	return SD_EXIT_OK;
}

static int backlog_client(struct scen_ctx *x, void *arg)
{
	struct backlog_arg *ba = arg;
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make a TCP socket");
	gate_open(&ba->starting);
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0)
		return sd_explain_failure("connect to", (struct sockaddr *)&x->srv, errno, x->port);
	gate_open(&ba->connected);
	if (!recv_to_eof(fd)) /* the server closes first */
		return unexpected(x, SD_EXIT_RUNTIME, "the server's FIN did not arrive");
	narrate_close(fd);
	return SD_EXIT_OK;
}

/* TcpExt ListenOverflows from /proc/net/netstat: SYNs dropped because an accept queue was full. */
static long listen_overflows(void)
{
	FILE *f = fopen("/proc/net/netstat", "r");
	if (!f)
		return -1;
	char names[4096], values[4096];
	long result = -1;
	while (fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
		if (strncmp(names, "TcpExt:", 7) != 0)
			continue;
		char *sn, *sv;
		char *n = strtok_r(names, " \n", &sn), *v = strtok_r(values, " \n", &sv);
		while (n && v) {
			if (strcmp(n, "ListenOverflows") == 0) {
				result = strtol(v, NULL, 10);
				break;
			}
			n = strtok_r(NULL, " \n", &sn);
			v = strtok_r(NULL, " \n", &sv);
		}
		break;
	}
	fclose(f);
	return result;
}

static int scen_backlog(struct scen_ctx *x)
{
	struct backlog_arg ba;
	if (!gate_make(&ba.ready) || !gate_make(&ba.accept_go) || !gate_make(&ba.connected) ||
	    !gate_make(&ba.starting))
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make pipes");
	pid_t s = child_start("server", backlog_server, x, &ba, -1), c[3] = { -1, -1, -1 };
	int rc = 0;
	if (!gate_wait(&ba.ready, GATE_TIMEOUT)) {
		rc = child_wait(x, s, "server");
		return rc ? rc : SD_EXIT_RUNTIME;
	}
	narrate_say("== listen(fd, 1): Linux queues backlog+1 = 2 finished handshakes; the server does not accept yet");
	for (int i = 0; i < 2 && !rc; i++) {
		c[i] = child_start("client", backlog_client, x, &ba, -1);
		if (!gate_wait(&ba.starting, GATE_TIMEOUT) || !gate_wait(&ba.connected, GATE_TIMEOUT))
			rc = unexpected(x, SD_EXIT_RUNTIME, "a client could not connect while the queue had room");
	}
	if (!rc) {
		long before = listen_overflows();
		c[2] = child_start("client", backlog_client, x, &ba, -1);
		gate_wait(&ba.starting, GATE_TIMEOUT);
		/* Wait for the kernel to count the dropped SYN (or 3 s, if the counter is not readable). */
		long after = before;
		for (int i = 0; i < 300 && after == before; i++) {
			struct timespec ms = { 0, 10000000 };
			nanosleep(&ms, NULL);
			after = listen_overflows();
		}
		if (after > before)
			narrate_say("== the accept queue is full: the kernel dropped the third client's SYN without an "
				    "answer (TcpExt ListenOverflows %ld -> %ld); its connect() waits and the SYN is "
				    "retransmitted after 1 s", before, after);
		narrate_say("== now the server accepts: the queue drains and the retransmitted SYN gets its SYN-ACK");
		gate_open(&ba.accept_go);
	}
	for (int i = 0; i < 3; i++)
		if (c[i] >= 0)
			rc = worst(rc, child_wait(x, c[i], "client"));
	if (rc)
		kill(s, SIGTERM);
	rc = worst(child_wait(x, s, "server"), rc);
	gate_free(&ba.ready);
	gate_free(&ba.accept_go);
	gate_free(&ba.connected);
	gate_free(&ba.starting);
	return rc;
}

/* ---- timewait ---- */

struct tw_arg {
	struct gate ready;        /* server → parent: listening */
	struct gate second;       /* client → server: a second connection is coming (byte) or not (EOF) */
	uint16_t client_port;     /* the client's fixed port */
	struct sockaddr_storage cli; /* loopback:client_port */
	socklen_t clilen;
};

static int tw_server(struct scen_ctx *x, void *arg)
{
	struct tw_arg *ta = arg;
	int code = 0;
	close(ta->second.fd[1]); /* so the gate reads end of file when the client gives up on a second connection */
	int lfd = tcp_listener(x, 1, &code);
	if (lfd < 0)
		return code;
	gate_open(&ta->ready);
	for (int round = 0; round < 2; round++) {
		if (round == 1 && !gate_wait(&ta->second, GATE_TIMEOUT))
			break;
		struct sockaddr_storage peer;
		socklen_t pl = sizeof peer;
		char buf[1024];
		int cfd = narrate_accept(lfd, (struct sockaddr *)&peer, &pl, 0);
		if (cfd < 0)
			return unexpected(x, SD_EXIT_RUNTIME, "accept failed");
		if (narrate_recv(cfd, buf, sizeof buf, 0) <= 0 || !send_text(cfd, "hello from server\n") ||
		    !recv_to_eof(cfd))
			return unexpected(x, SD_EXIT_RUNTIME, "the exchange with the client failed");
		narrate_close(cfd);
	}
	narrate_close(lfd);
	return SD_EXIT_OK;
}

/* socket, [SO_REUSEADDR], bind to the client port; the fd, or -1 with errno from bind. */
static int tw_bound(struct scen_ctx *x, struct tw_arg *ta, bool reuse)
{
	int fd = narrate_socket(x->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return -1;
	if (reuse)
		narrate_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (narrate_bind(fd, (struct sockaddr *)&ta->cli, ta->clilen) < 0) {
		int e = errno;
		narrate_close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int tw_exchange(struct scen_ctx *x, int fd)
{
	char buf[1024];
	if (!send_text(fd, "hello from client\n") || narrate_recv(fd, buf, sizeof buf, 0) <= 0)
		return unexpected(x, SD_EXIT_RUNTIME, "the server's reply did not arrive");
	narrate_close(fd); /* the client closes first: its side goes to TIME_WAIT */
	return SD_EXIT_OK;
}

static int tw_client(struct scen_ctx *x, void *arg)
{
	struct tw_arg *ta = arg;
	int fd = tw_bound(x, ta, true);
	if (fd < 0)
		return sd_explain_failure("bind", (struct sockaddr *)&ta->cli, errno, ta->client_port);
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0)
		return sd_explain_failure("connect to", (struct sockaddr *)&x->srv, errno, x->port);
	int rc = tw_exchange(x, fd);
	if (rc)
		return rc;
	/* Wait for the exchange to finish on the wire: our side enters TIME_WAIT when the server's FIN comes. */
	for (int i = 0; i < 300 && timewait_count(x->family, ta->client_port, x->port) < 1; i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);
	}
	narrate_say("== the first connection is closed; our end (port %u) is in TIME_WAIT for 60 s", ta->client_port);
	narrate_say("== bind to port %u again, without SO_REUSEADDR:", ta->client_port);
	fd = tw_bound(x, ta, false);
	if (fd >= 0)
		return unexpected(x, SD_EXIT_RUNTIME, "bind without SO_REUSEADDR succeeded: the TIME_WAIT was gone");
	if (errno != EADDRINUSE)
		return unexpected(x, SD_EXIT_RUNTIME, "bind failed, but not with EADDRINUSE");
	narrate_say("== and with SO_REUSEADDR, then connect to the same server from the same port:");
	fd = tw_bound(x, ta, true);
	if (fd < 0)
		return sd_explain_failure("bind", (struct sockaddr *)&ta->cli, errno, ta->client_port);
	if (narrate_connect(fd, (struct sockaddr *)&x->srv, x->srvlen) < 0) {
		int e = errno;
		narrate_close(fd);
		if (e != EADDRNOTAVAIL)
			return sd_explain_failure("connect to", (struct sockaddr *)&x->srv, e, x->port);
		narrate_say("== this kernel keeps the four-tuple blocked while it is in TIME_WAIT (tcp_tw_reuse off, "
			    "or no TCP timestamps): a new connection from port %u must wait out the 60 s",
			    ta->client_port);
		return SD_EXIT_OK; /* the server's second accept gives up when the gate closes */
	}
	narrate_say("== Linux reused the TIME_WAIT four-tuple: TCP timestamps (PAWS, RFC 7323) keep old segments out "
		    "of the new connection, so a socket bound with SO_REUSEADDR may reconnect at once");
	gate_open(&ta->second);
	return tw_exchange(x, fd);
}

static int scen_timewait(struct scen_ctx *x)
{
	struct tw_arg ta;
	ta.client_port = x->port < 65535 ? (uint16_t)(x->port + 1) : (uint16_t)(x->port - 1);
	addr_make(&ta.cli, &ta.clilen, x->family, ta.client_port);
	if (!gate_make(&ta.ready) || !gate_make(&ta.second))
		return unexpected(x, SD_EXIT_RUNTIME, "cannot make pipes");
	narrate_say("== the client binds port %u itself, so it can try to come back from the same port",
		    ta.client_port);
	pid_t s = child_start("server", tw_server, x, &ta, -1);
	int rc = 0;
	if (gate_wait(&ta.ready, GATE_TIMEOUT)) {
		pid_t c = child_start("client", tw_client, x, &ta, -1);
		rc = child_wait(x, c, "client");
	}
	close(ta.second.fd[1]); /* the server stops waiting for a second connection */
	if (rc)
		kill(s, SIGTERM);
	rc = worst(child_wait(x, s, "server"), rc);
	close(ta.second.fd[0]);
	gate_free(&ta.ready);
	return rc;
}

/* ---- the table ---- */

struct scenario {
	const char *name;
	int (*run)(struct scen_ctx *x);
	const char *shows; /* for --list */
};

static const struct scenario scenarios[] = {
	{ "handshake", scen_handshake,
	  "connect, one message each way, graceful close from the client: SYN, SYN-ACK, ACK; data with PSH\n"
	  "both ways; FIN from the client, FIN from the server, last ACK; the client ends in TIME_WAIT.\n"
	  "On loopback an ACK often rides on the reply, so the number of bare ACKs varies." },
	{ "refused", scen_refused,
	  "connect to a port nobody listens on (no server process): SYN answered by RST-ACK;\n"
	  "connect() fails with ECONNREFUSED." },
	{ "reset", scen_reset,
	  "one message each way, then the client sets SO_LINGER {on, 0 s} and closes: RST instead of FIN;\n"
	  "the server's next recv() fails with ECONNRESET. No TIME_WAIT." },
	{ "halfclose", scen_halfclose,
	  "the client sends a request and shutdown(SHUT_WR): its FIN; the server reads to end of file, keeps\n"
	  "sending three replies (Nagle may merge them into fewer segments), then closes: its FIN." },
	{ "udp", scen_udp,
	  "two datagrams each way with sendto()/recvfrom(): no handshake, no ACKs, no FIN." },
	{ "unreachable", scen_unreachable,
	  "UDP to a port nothing is bound to (no server process): the datagram is answered by ICMP\n"
	  "destination unreachable / port unreachable (ICMPv6 type 1 code 4 with -6); the connected socket's\n"
	  "next recv() fails with ECONNREFUSED." },
	{ "simultaneous-close", scen_simultaneous_close,
	  "both ends call shutdown(SHUT_WR) at the same moment: the FINs cross (each FIN's ACK number does not\n"
	  "yet cover the other's FIN), both sides pass through CLOSING and both end in TIME_WAIT.\n"
	  "Linux on loopback hands a FIN to the peer inside the sender's system call, so the FINs cross only\n"
	  "when both calls run within microseconds: the processes are pinned to two CPUs, released together\n"
	  "from shared memory, and the run is repeated (for up to 10 s) until both ends are in TIME_WAIT.\n"
	  "Needs 2 CPUs; each failed attempt is a normal close on the wire." },
	{ "backlog", scen_backlog,
	  "listen(fd, 1) and no accept() yet: Linux queues backlog+1 = 2 handshakes; the third client's SYN is\n"
	  "dropped without an answer (no RST unless net.ipv4.tcp_abort_on_overflow=1), and its connect() waits;\n"
	  "once the server accepts, the SYN retransmitted after 1 s gets its SYN-ACK. The server then closes\n"
	  "all three (server FIN first)." },
	{ "timewait", scen_timewait,
	  "the client binds port PORT+1, connects, closes first (TIME_WAIT on its side); bind() to that port\n"
	  "again fails with EADDRINUSE; with SO_REUSEADDR, bind works and Linux lets connect() reuse the\n"
	  "TIME_WAIT four-tuple at once (TCP timestamps protect the new connection): a second handshake from\n"
	  "the same port. Kernels without that reuse fail with EADDRNOTAVAIL (the scenario says so)." },
};

/* Scenarios run only by their name, never by "all" (the classroom's loop): long or bulky ones. */
static const struct scenario solo[] = {
	{ "lossy", scenario_lossy,
	  "a bulk transfer through loss: the client sends 16 MiB in 1 MiB send() calls, 150 ms apart, with the\n"
	  "reno congestion control; the server's socket filter (classic BPF, SO_ATTACH_FILTER) drops segments\n"
	  "carrying data after they crossed lo, so the capture holds them, then the duplicate ACKs with SACK\n"
	  "blocks, the fast retransmissions and the congestion window's cuts; after each send() the client says\n"
	  "what its kernel reports (cwnd, ssthresh, segments sent again). Segments are up to 64 KiB (lo's MTU).\n"
	  "With IPv4 the filter drops one in 64 by IP identification (regular losses; a resent copy has a new\n"
	  "identification), with -6 about 1 in 60 at random. Needs no netem and no nft rule, only the right to\n"
	  "attach a socket filter: root where the kernel keeps BPF to root (kernel.unprivileged_bpf_disabled; the\n"
	  "scenario then refuses with a message), any user elsewhere. Not part of \"all\" (about 3 s and 16 MiB):\n"
	  "run it by its name and watch it with synwatch --sockets 'tcp port PORT' and the graph (g)." },
};

static void list_table(const struct scenario *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("\n%s\n", t[i].name);
		const char *p = t[i].shows;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			printf("    %.*s\n", (int)len, p);
			p += len + (nl ? 1 : 0);
		}
	}
}

void scenario_list(void)
{
	printf("sockdemo scenarios (sockdemo scenario NAME [-p PORT] [-6] [--loop] [--pause SECONDS]; NAME all runs "
	       "each in turn):\n");
	list_table(scenarios, COUNT(scenarios));
	printf("\nrun only by name (not part of all):\n");
	list_table(solo, COUNT(solo));
}

static void scenario_pause(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int scenario_one(const struct scenario *s, const struct sd_opts *o)
{
	struct scen_ctx x = { .name = s->name, .family = o->family, .port = o->port };
	addr_make(&x.srv, &x.srvlen, x.family, x.port);
	char ep[80];
	demo_fmt_endpoint(ep, sizeof ep, (struct sockaddr *)&x.srv);
	narrate_say("== scenario %s on %s", s->name, ep);
	int rc = s->run(&x);
	if (rc == 0)
		narrate_say("== scenario %s: done", s->name);
	/* Otherwise the process that met the surprise has said what happened and what to do. */
	return rc;
}

/* Runs `only` (NULL: every scenario in turn), once or --loop. */
static int scenario_loop(const struct scenario *only, const struct sd_opts *o)
{
	int rc = 0;
	bool first = true;
	do {
		for (size_t i = 0; i < COUNT(scenarios); i++) {
			const struct scenario *s = only ? only : &scenarios[i];
			if (!first)
				scenario_pause(o->pause);
			first = false;
			rc = scenario_one(s, o);
			/* A port another program holds does not free itself, and a client would talk to that
			   program: --loop stops too. */
			if (rc && (!o->loop || rc == SD_EXIT_ADDRESS))
				return rc;
			if (only)
				break;
		}
	} while (o->loop);
	return rc;
}

int scenario_run(const char *name, const struct sd_opts *o)
{
	const struct scenario *only = NULL;
	if (strcmp(name, "all") != 0) {
		for (size_t i = 0; i < COUNT(scenarios); i++)
			if (strcmp(name, scenarios[i].name) == 0)
				only = &scenarios[i];
		for (size_t i = 0; i < COUNT(solo); i++)
			if (strcmp(name, solo[i].name) == 0)
				only = &solo[i];
		if (!only) {
			fprintf(stderr, "sockdemo: unknown scenario '%s'; fix: one of", name);
			for (size_t i = 0; i < COUNT(scenarios); i++)
				fprintf(stderr, " %s", scenarios[i].name);
			for (size_t i = 0; i < COUNT(solo); i++)
				fprintf(stderr, " %s", solo[i].name);
			fprintf(stderr, ", or all (sockdemo scenario --list describes them)\n");
			return SD_EXIT_USAGE;
		}
	}
	/* The server and client processes narrate at the same time: one relay prints their lines in the order
	   their calls happened. */
	bool relayed = narrate_on() && relay_start();
	int rc = scenario_loop(only, o);
	if (relayed)
		relay_stop();
	return rc;
}
