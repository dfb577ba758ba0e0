/* narrate.c — performs each socket call, then tells it in strace's form plus one sentence about the wire. */
#include "narrate.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/strace.h"
#include "common/strbuf.h"
#include "events.h"
#include "format.h"
#include "relay.h"
#include "role.h"

#define ARGS_MAX 1024     /* the narrated arguments of one call */
#define SENTENCE_MAX 1024 /* the plain sentence after it */
#define EP_MAX 64         /* "[ffff:...]:65535" */
#define DATA_SHOW 32      /* bytes of data shown, as strace does by default */
#define POLL_SHOW 8       /* pollfd entries shown before "..." */

static struct {
	const char *role; /* "server", "client" */
	long pid;
	bool narrate;     /* narration lines to stderr */
	int events_fd;    /* --events file, or -1 */
	bool announced;   /* the call under way was announced "<unfinished ...>": its line stands at its return */
} st = { "sockdemo", 0, false, -1, false };

void narrate_init(const char *role, bool narrate, int events_fd)
{
	st.role = role;
	st.pid = (long)getpid();
	st.narrate = narrate;
	st.events_fd = events_fd;
}

void narrate_role(const char *role)
{
	st.role = role;
	st.pid = (long)getpid();
}

bool narrate_on(void)
{
	return st.narrate;
}

/* --pace: the wait before each call that changes a socket's state or sends (socket, bind, listen, accept,
   connect, send, sendto, shutdown, close), so that each state stands long enough to be seen. */
static struct {
	double seconds;   /* the wait, 0 for none */
	const char *file; /* --pace-file: the wait is read again from it (a number of seconds), or NULL */
} pace;

void narrate_pace(double seconds, const char *file)
{
	pace.seconds = seconds;
	pace.file = file;
}

/* The wait now: the pace file's number when it holds one from 0 to 3600, else the last one known. */
static double pace_seconds(void)
{
	if (!pace.file)
		return pace.seconds;
	int fd = open(pace.file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pace.seconds;
	char buf[32];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		char *end;
		double v = strtod(buf, &end);
		if (end != buf && v >= 0 && v <= 3600)
			pace.seconds = v;
	}
	return pace.seconds;
}

/* Wait the pace, in slices of at most 50 ms so that a change to the pace file applies at once. */
static void pace_wait(void)
{
	if (!pace.file && pace.seconds <= 0)
		return;
	const int64_t start = clock_mono_ns();
	for (;;) {
		int64_t left = start + (int64_t)(pace_seconds() * 1e9) - clock_mono_ns();
		if (left <= 0)
			return;
		if (left > 50000000)
			left = 50000000;
		struct timespec ts = { 0, (long)left };
		nanosleep(&ts, NULL);
	}
}

static bool active(void)
{
	return st.narrate || st.events_fd >= 0;
}

/* Writes a whole buffer to stderr in one write(), so lines of two processes never interleave mid-line. */
static void err_write(const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

/*
 * Narration text stamped key_us (CLOCK_REALTIME microseconds): through the relay when a scenario's
 * processes share one (so that it is printed in time order), else straight to stderr.
 */
static void narrate_out(int64_t key_us, const char *s, size_t len)
{
	if (relay_on())
		relay_text(key_us, s, len);
	else
		err_write(s, len);
}

/*
 * The entry time of a call about to be made. A call not announced as "<unfinished ...>" tells the relay
 * it is under way, so that what another process does because of it (a recvfrom() its sendto() ends, the
 * end of file its close() causes) is not printed before it.
 */
static int64_t call_enter(void)
{
	int64_t t0 = clock_real_us();
	if (st.narrate && !st.announced && relay_on())
		relay_mark(t0);
	return t0;
}

void narrate_say(const char *fmt, ...)
{
	if (!st.narrate)
		return;
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof buf - 1 ? (size_t)n : sizeof buf - 2;
	buf[len++] = '\n';
	narrate_out(clock_real_us(), buf, len);
}

/* ---- introspection used only to tell the story (never narrated itself) ---- */

static int sock_type(int fd)
{
	int t = 0;
	socklen_t l = sizeof t;
	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &l) == 0 ? t : -1;
}

static bool sock_listening(int fd)
{
	int v = 0;
	socklen_t l = sizeof v;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &l) == 0 && v;
}

static int sock_tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t l = sizeof ti;
	memset(&ti, 0, sizeof ti);
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l) == 0 ? ti.tcpi_state : -1;
}

static bool sock_blocking(int fd, int msg_flags)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && !(fl & O_NONBLOCK) && !(msg_flags & MSG_DONTWAIT);
}

/* An endpoint, or "" when the socket has none yet (unbound: port 0). */
static void endpoint_of(char *buf, const struct sockaddr_storage *ss)
{
	const struct sockaddr *sa = (const struct sockaddr *)ss;
	buf[0] = '\0';
	if (ss->ss_family == AF_INET && ((const struct sockaddr_in *)ss)->sin_port == 0)
		return;
	if (ss->ss_family == AF_INET6 && ((const struct sockaddr_in6 *)ss)->sin6_port == 0)
		return;
	demo_fmt_endpoint(buf, EP_MAX, sa);
}

/*
 * The endpoints last seen on each fd: once a connection has ended (FIN both ways, RST) the kernel no
 * longer reports the peer, but the events of its last recv() and close() should still name it.
 */
struct fd_endpoints {
	char local[EP_MAX];
	char remote[EP_MAX];
};
static struct fd_endpoints *memo; /* indexed by fd */
static size_t memo_cap;           /* entries in memo */

static struct fd_endpoints *memo_for(int fd)
{
	if (fd < 0)
		return NULL;
	if ((size_t)fd >= memo_cap) {
		size_t cap = memo_cap ? memo_cap : 64;
		while (cap <= (size_t)fd)
			cap *= 2;
		struct fd_endpoints *n = realloc(memo, cap * sizeof *n);
		if (!n)
			return NULL;
		memset(n + memo_cap, 0, (cap - memo_cap) * sizeof *n);
		memo = n;
		memo_cap = cap;
	}
	return &memo[fd];
}

static void memo_forget(int fd)
{
	struct fd_endpoints *n = memo_for(fd);
	if (n)
		memset(n, 0, sizeof *n);
}

/* This end's (peer false) or the other end's address of fd, remembered so it can still be named after the
 * socket lost it (a refused or reset connection, a closed fd). */
static void endpoint_name(int fd, char *buf, bool peer)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	struct fd_endpoints *n = memo_for(fd);
	char *last = n ? (peer ? n->remote : n->local) : NULL;
	memset(&ss, 0, sizeof ss);
	buf[0] = '\0';
	if ((peer ? getpeername(fd, (struct sockaddr *)&ss, &l) : getsockname(fd, (struct sockaddr *)&ss, &l)) == 0)
		endpoint_of(buf, &ss);
	if (last && buf[0])
		memcpy(last, buf, EP_MAX);
	else if (last)
		memcpy(buf, last, EP_MAX);
}

static void local_of(int fd, char *buf)
{
	endpoint_name(fd, buf, false);
}

static void remote_of(int fd, char *buf)
{
	endpoint_name(fd, buf, true);
}

static const char *or_peer(const char *ep)
{
	return ep && *ep ? ep : "the peer";
}

/* ---- output ---- */

struct told {
	const char *call;
	int fd;             /* -1: none (poll) */
	const char *args;
	long ret;
	int err;
	const char *suffix; /* after the return value (poll's revents), or NULL */
	const char *local, *remote;
	const char *sentence;
	int64_t t0, t1;     /* CLOCK_REALTIME microseconds: call entered, returned */
};

/* The events line first, right after the call returned and before anything that may sleep (a narration
   line to a terminal or pipe can block): synwatch counts on a process asleep having written every call it
   returned (demo/EVENTS.md). */
static void tell(const struct told *t)
{
	if (st.events_fd >= 0) {
		char line[ARGS_MAX * 2 + 512];
		struct sd_event ev = {
			.ts = t->t1, .dur = t->t1 - t->t0, .pid = st.pid, .role = st.role, .call = t->call,
			.fd = t->fd, .args = t->args, .ret = t->ret, .err = t->ret == -1 ? t->err : 0,
			.local = t->local, .remote = t->remote,
		};
		size_t len = fmt_event_line(line, sizeof line, &ev);
		if (len && !events_write(st.events_fd, line, len))
			exit(SD_EXIT_RUNTIME);
	}
	if (st.narrate) {
		char line[2 * ARGS_MAX + 256], buf[sizeof line + SENTENCE_MAX + 128];
		bool failed = t->ret == -1 && t->err;
		strace_call(line, sizeof line, t->call, t->args, t->ret, t->err, failed ? fmt_errno_name(t->err) : NULL,
			    t->suffix);
		int n = snprintf(buf, sizeof buf, "[%s %ld] %s\n[%s %ld]     %s\n", st.role, st.pid, line, st.role, st.pid,
				 t->sentence);
		/* A call stands where it was entered (it causes what follows), or where it returned when it
		   was announced at its entry (strace -f's "<... resumed>"). */
		if (n > 0)
			narrate_out(st.announced ? t->t1 : t->t0, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
	}
	st.announced = false;
}

/* strace -f's form for a call that is about to block: "accept(3, <unfinished ...>". */
static void tell_waiting(const char *call, const char *args_so_far)
{
	if (!st.narrate)
		return;
	char buf[ARGS_MAX + 128];
	int n = snprintf(buf, sizeof buf, "[%s %ld] %s(%s <unfinished ...>\n", st.role, st.pid, call, args_so_far);
	if (n > 0)
		narrate_out(clock_real_us(), buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
	st.announced = true;
}

/* ---- the calls ---- */

int narrate_socket(int family, int type, int protocol)
{
	pace_wait();
	if (!active())
		return socket(family, type, protocol);
	int64_t t0 = call_enter();
	int r = socket(family, type, protocol);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	memo_forget(r);
	char args[ARGS_MAX], s[SENTENCE_MAX];
	struct strbuf a;
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	strace_socket_args(&a, (unsigned)family, (unsigned)type, (unsigned)protocol);
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (r >= 0)
		snprintf(s, sizeof s, "socket: the kernel made a new %s endpoint, fd %d; nothing is sent on the wire.",
			 base == SOCK_STREAM ? "TCP" : "UDP", r);
	else if (e == EMFILE || e == ENFILE)
		snprintf(s, sizeof s, "socket failed: no file descriptor left for it (ulimit -n); nothing on the wire.");
	else
		snprintf(s, sizeof s, "socket failed: no endpoint was made; nothing on the wire.");
	struct told t = { "socket", r, args, r, e, NULL, NULL, NULL, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

/* A setsockopt() narrated: made and timed by sockopt_call, its arguments begun in args as strace writes them
   ("3, SOL_SOCKET, SO_REUSEADDR"); the caller writes the value on through a and tells it with sockopt_tell. */
struct sockopt_call {
	int fd;
	int r, e;          /* setsockopt's result and its errno (0 when it succeeded) */
	int64_t t0, t1;    /* when the call started and returned */
	char args[ARGS_MAX];
	struct strbuf a;   /* writes on at the end of args */
};

static void sockopt_call(struct sockopt_call *c, int fd, int level, int name, const void *val, socklen_t len)
{
	c->fd = fd;
	c->t0 = call_enter();
	c->r = setsockopt(fd, level, name, val, len);
	c->e = c->r < 0 ? errno : 0;
	c->t1 = clock_real_us();
	strbuf_init(&c->a, c->args, sizeof c->args, STRBUF_CUT);
	strbuf_printf(&c->a, "%d, ", fd);
	strace_sockopt(&c->a, (unsigned)level, (unsigned)name);
}

/* Tells the call with its sentence; its result, errno as the call left it. */
static int sockopt_tell(const struct sockopt_call *c, const char *sentence)
{
	char loc[EP_MAX], rem[EP_MAX];
	local_of(c->fd, loc);
	remote_of(c->fd, rem);
	struct told t = { "setsockopt", c->fd, c->args, c->r, c->e, NULL, loc, rem, sentence, c->t0, c->t1 };
	tell(&t);
	errno = c->e;
	return c->r;
}

int narrate_setsockopt_int(int fd, int level, int name, int value)
{
	if (!active())
		return setsockopt(fd, level, name, &value, sizeof value);
	struct sockopt_call c;
	sockopt_call(&c, fd, level, name, &value, sizeof value);
	strbuf_printf(&c.a, ", [%d], %zu", value, sizeof value);
	char s[SENTENCE_MAX];
	const char *opt = strace_sockopt_name((unsigned)level, (unsigned)name);
	if (c.r < 0)
		snprintf(s, sizeof s, "setsockopt failed: the option was not changed; nothing on the wire.");
	else if (level == SOL_SOCKET && name == SO_REUSEADDR)
		snprintf(s, sizeof s, "setsockopt: SO_REUSEADDR lets bind() take the port even while old connections on "
				      "it wait in TIME_WAIT; nothing on the wire.");
	else
		snprintf(s, sizeof s, "setsockopt: %s is now %d on fd %d; nothing on the wire.", opt ? opt : "?", value,
			 fd);
	return sockopt_tell(&c, s);
}

int narrate_setsockopt_linger(int fd, int onoff, int seconds)
{
	struct linger lg = { .l_onoff = onoff, .l_linger = seconds };
	if (!active())
		return setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	struct sockopt_call c;
	sockopt_call(&c, fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	strbuf_printf(&c.a, ", {l_onoff=%d, l_linger=%d}, %zu", onoff, seconds, sizeof lg);
	char s[SENTENCE_MAX];
	if (c.r < 0)
		snprintf(s, sizeof s, "setsockopt failed: linger unchanged; nothing on the wire.");
	else if (onoff && seconds == 0)
		snprintf(s, sizeof s, "setsockopt: linger on with a 0 s timeout: close() will now abort the connection "
				      "with RST instead of FIN, discarding unsent data; nothing on the wire yet.");
	else
		snprintf(s, sizeof s, "setsockopt: close() will %s; nothing on the wire.",
			 onoff ? "wait for unsent data to be acknowledged" : "return at once and send FIN");
	return sockopt_tell(&c, s);
}

int narrate_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	pace_wait();
	if (!active())
		return bind(fd, sa, len);
	int64_t t0 = call_enter();
	int r = bind(fd, sa, len);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	char args[ARGS_MAX], s[SENTENCE_MAX], addr[EP_MAX + 16], ep[EP_MAX], loc[EP_MAX];
	fmt_sockaddr(addr, sizeof addr, sa);
	demo_fmt_endpoint(ep, sizeof ep, sa);
	snprintf(args, sizeof args, "%d, %s, %u", fd, addr, (unsigned)len);
	switch (e) {
	case 0:
		snprintf(s, sizeof s, "bind: this socket now owns %s; nothing on the wire.", ep);
		break;
	case EADDRINUSE:
		snprintf(s, sizeof s, "bind failed: another socket already holds %s (a server, or a connection on that "
				      "port in TIME_WAIT); nothing on the wire.", ep);
		break;
	case EADDRNOTAVAIL:
		snprintf(s, sizeof s, "bind failed: no interface of this machine has the address of %s; nothing on "
				      "the wire.", ep);
		break;
	case EACCES:
		snprintf(s, sizeof s, "bind failed: ports below 1024 need root or CAP_NET_BIND_SERVICE; nothing on the "
				      "wire.");
		break;
	default:
		snprintf(s, sizeof s, "bind failed: the socket got no address; nothing on the wire.");
	}
	local_of(fd, loc);
	struct told t = { "bind", fd, args, r, e, NULL, loc, NULL, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

int narrate_listen(int fd, int backlog)
{
	pace_wait();
	if (!active())
		return listen(fd, backlog);
	int64_t t0 = call_enter();
	int r = listen(fd, backlog);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX];
	local_of(fd, loc);
	snprintf(args, sizeof args, "%d, %d", fd, backlog);
	if (r == 0)
		snprintf(s, sizeof s, "listen: from now on the kernel answers SYNs to %s with SYN-ACK by itself and "
				      "queues finished handshakes for accept() (Linux: up to backlog+1 = %d); nothing "
				      "is sent until a SYN arrives.", loc, backlog + 1);
	else if (e == EADDRINUSE)
		snprintf(s, sizeof s, "listen failed: another socket already listens on this port; nothing on the wire.");
	else
		snprintf(s, sizeof s, "listen failed: SYNs to this port will still be answered with RST.");
	struct told t = { "listen", fd, args, r, e, NULL, loc, NULL, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

int narrate_accept(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	const char *call = flags ? "accept4" : "accept";
	pace_wait();
	if (!active())
		return accept4(fd, sa, len, flags);
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX] = "", rem[EP_MAX] = "", addr[EP_MAX + 16];
	socklen_t inlen = *len;
	if (sock_blocking(fd, 0)) {
		snprintf(args, sizeof args, "%d,", fd);
		tell_waiting(call, args);
	}
	int64_t t0 = call_enter();
	int r = accept4(fd, sa, len, flags);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	char fl[64] = "";
	if (flags) {
		struct strbuf f;
		strbuf_init(&f, fl, sizeof fl, STRBUF_CUT);
		strbuf_printf(&f, ", ");
		strace_flags(&f, strace_sock_flags, (unsigned)flags);
	}
	if (r >= 0) {
		fmt_sockaddr(addr, sizeof addr, sa);
		snprintf(args, sizeof args, "%d, %s, [%u => %u]%s", fd, addr, (unsigned)inlen, (unsigned)*len, fl);
		memo_forget(r);
		local_of(r, loc);
		remote_of(r, rem);
		snprintf(s, sizeof s, "%s: took the connection from %s whose handshake (SYN, SYN-ACK, ACK) the kernel "
				      "had already completed; new fd %d; nothing on the wire.", call, rem, r);
	} else {
		snprintf(args, sizeof args, "%d, {?}, [%u]%s", fd, (unsigned)inlen, fl);
		local_of(fd, loc);
		if (e == EAGAIN)
			snprintf(s, sizeof s, "%s: no finished handshake was waiting (non-blocking socket); nothing on "
					      "the wire.", call);
		else if (e == EMFILE || e == ENFILE)
			snprintf(s, sizeof s, "%s failed: no file descriptor left (ulimit -n); the connection stays in "
					      "the accept queue.", call);
		else if (e == EINTR)
			snprintf(s, sizeof s, "%s: a signal interrupted the wait; nothing on the wire.", call);
		else
			snprintf(s, sizeof s, "%s failed: no connection was taken.", call);
	}
	struct told t = { call, fd, args, r, e, NULL, loc, rem, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

int narrate_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	pace_wait();
	if (!active())
		return connect(fd, sa, len);
	char args[ARGS_MAX], s[SENTENCE_MAX], addr[EP_MAX + 16], ep[EP_MAX], loc[EP_MAX];
	fmt_sockaddr(addr, sizeof addr, sa);
	demo_fmt_endpoint(ep, sizeof ep, sa);
	snprintf(args, sizeof args, "%d, %s, %u", fd, addr, (unsigned)len);
	int type = sock_type(fd);
	if (type == SOCK_STREAM && sock_blocking(fd, 0))
		tell_waiting("connect", args);
	int64_t t0 = call_enter();
	int r = connect(fd, sa, len);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	local_of(fd, loc);
	if (type == SOCK_DGRAM) {
		if (r == 0)
			snprintf(s, sizeof s, "connect on UDP sends nothing: it fixes the peer %s for send()/recv() and "
					      "lets ICMP errors about it reach this socket; local port chosen: %s.", ep, loc);
		else
			snprintf(s, sizeof s, "connect failed: no peer was set; nothing on the wire.");
	} else {
		switch (e) {
		case 0:
			if (t1 - t0 >= 900000)
				snprintf(s, sizeof s, "connect: the kernel sent SYN from %s to %s and returned when SYN-ACK "
						      "arrived and our ACK left; it took %.1f s because unanswered SYNs "
						      "were retransmitted (first after 1 s).", loc, ep, (double)(t1 - t0) / 1e6);
			else
				snprintf(s, sizeof s, "connect: the kernel sent SYN from %s to %s and returned when SYN-ACK "
						      "arrived and our ACK left: the connection is established.", loc, ep);
			break;
		case ECONNREFUSED:
			snprintf(s, sizeof s, "connect failed: our SYN to %s was answered by RST: nothing listens on that "
					      "port (connection refused).", ep);
			break;
		case ETIMEDOUT:
			snprintf(s, sizeof s, "connect failed: our SYN to %s and its retransmissions got no answer.", ep);
			break;
		case EADDRNOTAVAIL:
			snprintf(s, sizeof s, "connect failed: no usable local port for %s (the same four-tuple is still "
					      "in TIME_WAIT, or the ports ran out); nothing was sent.", ep);
			break;
		case EINPROGRESS:
			snprintf(s, sizeof s, "connect: SYN sent to %s; the handshake goes on without us (non-blocking).", ep);
			break;
		case ENETUNREACH:
		case EHOSTUNREACH:
			snprintf(s, sizeof s, "connect failed: no route to %s; nothing or only ICMP errors on the wire.", ep);
			break;
		default:
			snprintf(s, sizeof s, "connect failed: no connection to %s.", ep);
		}
	}
	struct told t = { "connect", fd, args, r, e, NULL, loc, ep, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

/* The sentence for a send on a TCP or UDP socket (also sendto). */
static void send_sentence(char *s, int type, ssize_t r, size_t len, int e, const char *to)
{
	if (type == SOCK_DGRAM) {
		if (r >= 0)
			snprintf(s, SENTENCE_MAX, "send: one UDP datagram of %zd bytes left for %s; no handshake, no "
						  "acknowledgement.", r, or_peer(to));
		else if (e == ECONNREFUSED)
			snprintf(s, SENTENCE_MAX, "send failed: an earlier datagram to %s was answered by ICMP port "
						  "unreachable; nothing sent this time.", or_peer(to));
		else
			snprintf(s, SENTENCE_MAX, "send failed: no datagram left.");
		return;
	}
	if (r >= 0 && (size_t)r == len)
		snprintf(s, SENTENCE_MAX, "send: %zd bytes copied into the kernel, which sends them to %s in a segment "
					  "with PSH set; the peer's ACK comes back without waking us.", r, or_peer(to));
	else if (r >= 0)
		snprintf(s, SENTENCE_MAX, "send: only %zd of %zu bytes fit in the send buffer (the peer reads slowly); "
					  "they go out as the peer's window allows.", r, len);
	else if (e == EAGAIN)
		snprintf(s, SENTENCE_MAX, "send: the send buffer is full (the peer is not reading); nothing new on the "
					  "wire.");
	else if (e == EPIPE)
		snprintf(s, SENTENCE_MAX, "send failed: this side can no longer send (we shut down writing, or an RST "
					  "ended the connection); MSG_NOSIGNAL made it an error instead of SIGPIPE; nothing "
					  "sent.");
	else if (e == ECONNRESET)
		snprintf(s, SENTENCE_MAX, "send failed: an RST from %s had already aborted the connection; nothing sent.",
			 or_peer(to));
	else
		snprintf(s, SENTENCE_MAX, "send failed: nothing sent.");
}

/* "FD, DATA, LEN, FLAGS": how send, sendto, recv and recvfrom start; data holds n bytes (NULL: "..." for none). */
static void data_args(struct strbuf *a, int fd, const void *data, size_t n, size_t len, int flags)
{
	strbuf_printf(a, "%d, ", fd);
	if (data)
		strace_quote(a, data, n < DATA_SHOW ? n : DATA_SHOW, n > DATA_SHOW, STRACE_HEX);
	else
		strbuf_printf(a, "...");
	strbuf_printf(a, ", %zu, ", len);
	strace_flags(a, strace_msg_flags, (unsigned)flags);
}

ssize_t narrate_send(int fd, const void *buf, size_t len, int flags)
{
	pace_wait();
	if (!active())
		return send(fd, buf, len, flags);
	int64_t t0 = call_enter();
	ssize_t r = send(fd, buf, len, flags);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], rem[EP_MAX];
	struct strbuf a;
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	data_args(&a, fd, buf, len, len, flags);
	local_of(fd, loc);
	remote_of(fd, rem);
	send_sentence(s, sock_type(fd), r, len, e, rem);
	struct told t = { "send", fd, args, (long)r, e, NULL, loc, rem, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

ssize_t narrate_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *sa, socklen_t salen)
{
	pace_wait();
	if (!active())
		return sendto(fd, buf, len, flags, sa, salen);
	int64_t t0 = call_enter();
	ssize_t r = sendto(fd, buf, len, flags, sa, salen);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], ep[EP_MAX], addr[EP_MAX + 16];
	struct strbuf a;
	fmt_sockaddr(addr, sizeof addr, sa);
	demo_fmt_endpoint(ep, sizeof ep, sa);
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	data_args(&a, fd, buf, len, len, flags);
	strbuf_printf(&a, ", %s, %u", addr, (unsigned)salen);
	local_of(fd, loc);
	send_sentence(s, sock_type(fd), r, len, e, ep);
	struct told t = { "sendto", fd, args, (long)r, e, NULL, loc, ep, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

static void recv_sentence(char *s, const char *call, int type, ssize_t r, int e, const char *from)
{
	if (type == SOCK_DGRAM) {
		if (r >= 0)
			snprintf(s, SENTENCE_MAX, "%s: one datagram of %zd bytes from %s, whole, with its sender's "
						  "address.", call, r, or_peer(from));
		else if (e == ECONNREFUSED)
			snprintf(s, SENTENCE_MAX, "%s failed: our datagram to %s was answered by an ICMP port unreachable: "
						  "nothing listens on that UDP port, and the kernel reported it on this "
						  "connected socket.", call, or_peer(from));
		else if (e == EAGAIN)
			snprintf(s, SENTENCE_MAX, "%s: no datagram waiting; nothing on the wire.", call);
		else
			snprintf(s, SENTENCE_MAX, "%s failed: no datagram.", call);
		return;
	}
	if (r > 0)
		snprintf(s, SENTENCE_MAX, "%s: %zd bytes from %s had arrived (our kernel ACKed them as they came).", call,
			 r, or_peer(from));
	else if (r == 0)
		snprintf(s, SENTENCE_MAX, "%s returned 0: the FIN from %s arrived: it will send no more, and our kernel "
					  "ACKed the FIN.", call, or_peer(from));
	else if (e == ECONNRESET)
		snprintf(s, SENTENCE_MAX, "%s failed: an RST arrived from %s: the connection was aborted and unread data "
					  "is lost.", call, or_peer(from));
	else if (e == EAGAIN)
		snprintf(s, SENTENCE_MAX, "%s: nothing waiting (non-blocking); nothing on the wire.", call);
	else if (e == ETIMEDOUT)
		snprintf(s, SENTENCE_MAX, "%s failed: our retransmissions to %s went unanswered.", call, or_peer(from));
	else if (e == ENOTCONN)
		snprintf(s, SENTENCE_MAX, "%s failed: the socket is not connected.", call);
	else
		snprintf(s, SENTENCE_MAX, "%s failed.", call);
}

ssize_t narrate_recv(int fd, void *buf, size_t len, int flags)
{
	if (!active())
		return recv(fd, buf, len, flags);
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], rem[EP_MAX];
	remote_of(fd, rem); /* before: an RST or FIN may leave it unconnected */
	if (sock_blocking(fd, flags)) {
		snprintf(args, sizeof args, "%d,", fd);
		tell_waiting("recv", args);
	}
	int64_t t0 = call_enter();
	ssize_t r = recv(fd, buf, len, flags);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	struct strbuf a;
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	data_args(&a, fd, r >= 0 ? buf : NULL, r >= 0 ? (size_t)r : 0, len, flags);
	local_of(fd, loc);
	recv_sentence(s, "recv", sock_type(fd), r, e, rem);
	struct told t = { "recv", fd, args, (long)r, e, NULL, loc, rem, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

ssize_t narrate_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *sa, socklen_t *salen)
{
	if (!active())
		return recvfrom(fd, buf, len, flags, sa, salen);
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], ep[EP_MAX] = "", addr[EP_MAX + 16];
	socklen_t inlen = *salen;
	if (sock_blocking(fd, flags)) {
		snprintf(args, sizeof args, "%d,", fd);
		tell_waiting("recvfrom", args);
	}
	int64_t t0 = call_enter();
	ssize_t r = recvfrom(fd, buf, len, flags, sa, salen);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	struct strbuf a;
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	if (r >= 0) {
		fmt_sockaddr(addr, sizeof addr, sa);
		demo_fmt_endpoint(ep, sizeof ep, sa);
		data_args(&a, fd, buf, (size_t)r, len, flags);
		strbuf_printf(&a, ", %s, [%u => %u]", addr, (unsigned)inlen, (unsigned)*salen);
	} else {
		data_args(&a, fd, NULL, 0, len, flags);
		strbuf_printf(&a, ", {?}, [%u]", (unsigned)inlen);
		remote_of(fd, ep);
	}
	local_of(fd, loc);
	recv_sentence(s, "recvfrom", sock_type(fd), r, e, ep);
	struct told t = { "recvfrom", fd, args, (long)r, e, NULL, loc, ep, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

/* What one ready pollfd means, for the sentence. */
static void poll_reason(struct strbuf *w, const struct pollfd *p)
{
	if (p->revents & POLLNVAL)
		strbuf_printf(w, "fd %d is not open", p->fd);
	else if (p->revents & POLLERR)
		strbuf_printf(w, "fd %d has an error waiting (an RST or an ICMP error arrived)", p->fd);
	else if ((p->revents & POLLIN) && sock_listening(p->fd))
		strbuf_printf(w, "fd %d has a finished handshake waiting for accept()", p->fd);
	else if (p->revents & POLLIN)
		strbuf_printf(w, "fd %d has something to read (data, a FIN or an RST)", p->fd);
	else if (p->revents & POLLHUP)
		strbuf_printf(w, "fd %d is hung up (both directions closed)", p->fd);
	else if (p->revents & POLLOUT)
		strbuf_printf(w, "fd %d has room to send", p->fd);
	else
		strbuf_printf(w, "fd %d is ready", p->fd);
}

int narrate_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (!active())
		return poll(fds, n, timeout);
	char args[ARGS_MAX], out[ARGS_MAX], s[SENTENCE_MAX];
	struct strbuf a, o, w; /* the arguments, the revents after the return value, the sentence */
	strbuf_init(&a, args, sizeof args, STRBUF_CUT);
	strbuf_printf(&a, "[");
	for (nfds_t i = 0; i < n && i < POLL_SHOW; i++) {
		strbuf_printf(&a, "%s", i ? ", " : "");
		strace_pollfd(&a, fds[i].fd, fds[i].events, false);
	}
	strbuf_printf(&a, "%s], %lu, %d", n > POLL_SHOW ? ", ..." : "", (unsigned long)n, timeout);
	if (timeout != 0)
		tell_waiting("poll", args);
	int64_t t0 = call_enter();
	int r = poll(fds, n, timeout);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	strbuf_init(&o, out, sizeof out, STRBUF_CUT);
	strbuf_init(&w, s, sizeof s, STRBUF_CUT);
	if (r > 0) {
		strbuf_printf(&o, " ([");
		strbuf_printf(&w, "poll: woke up because ");
		int shown = 0;
		for (nfds_t i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (shown == POLL_SHOW) {
				strbuf_printf(&o, ", ...");
				strbuf_printf(&w, ", and more");
				break;
			}
			strbuf_printf(&o, "%s", shown ? ", " : "");
			strace_pollfd(&o, fds[i].fd, fds[i].revents, true);
			if (shown < 3) {
				strbuf_printf(&w, "%s", shown ? "; " : "");
				poll_reason(&w, &fds[i]);
			}
			shown++;
			if (o.full || w.full)
				break;
		}
		strbuf_printf(&o, "])");
		strbuf_printf(&w, ".");
	} else if (r == 0) {
		strbuf_printf(&o, " (Timeout)");
		strbuf_printf(&w, "poll: %d ms passed and nothing arrived.", timeout);
	} else if (e == EINTR) {
		strbuf_printf(&w, "poll: a signal interrupted the wait.");
	} else {
		strbuf_printf(&w, "poll failed.");
	}
	struct told t = { "poll", -1, args, r, e, out, NULL, NULL, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

int narrate_shutdown(int fd, int how)
{
	pace_wait();
	if (!active())
		return shutdown(fd, how);
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], rem[EP_MAX];
	local_of(fd, loc);
	remote_of(fd, rem);
	int64_t t0 = call_enter();
	int r = shutdown(fd, how);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	const char *how_name = tok2str(strace_shut_hows, "SHUT_?", (unsigned)how);
	snprintf(args, sizeof args, "%d, %s", fd, how_name);
	if (r < 0 && e == ENOTCONN)
		snprintf(s, sizeof s, "shutdown failed: the socket is not connected (an RST may have closed it); nothing "
				      "on the wire.");
	else if (r < 0)
		snprintf(s, sizeof s, "shutdown failed; nothing on the wire.");
	else if (how == SHUT_RD)
		snprintf(s, sizeof s, "shutdown(SHUT_RD): nothing on the wire; we just stop reading.");
	else
		snprintf(s, sizeof s, "shutdown(%s): the kernel sent FIN to %s: we send no more data%s.",
			 how_name, or_peer(rem), how == SHUT_WR ? " but can still receive (half-close)" : "");
	struct told t = { "shutdown", fd, args, r, e, NULL, loc, rem, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

static void close_sentence(char *s, int fd, int type, int state, bool abort_linger, int unread, const char *rem,
			   const char *loc)
{
	if (type == SOCK_DGRAM) {
		snprintf(s, SENTENCE_MAX, "close: UDP has no connection to end: nothing on the wire; %s is free again.",
			 *loc ? loc : "the port");
		return;
	}
	switch (state) {
	case TCP_LISTEN:
		snprintf(s, SENTENCE_MAX, "close: the listening socket is gone: new SYNs to %s will be answered with "
					  "RST, queued connections never accepted are reset.", loc);
		return;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		if (abort_linger)
			snprintf(s, SENTENCE_MAX, "close: SO_LINGER 0 makes this an abortive close: the kernel sent RST to %s "
						  "instead of FIN; no TIME_WAIT on either side.", or_peer(rem));
		else if (unread > 0)
			snprintf(s, SENTENCE_MAX, "close: %d bytes we never read were still queued, so the kernel sent RST "
						  "to %s instead of FIN.", unread, or_peer(rem));
		else if (state == TCP_CLOSE_WAIT)
			snprintf(s, SENTENCE_MAX, "close: the peer had already sent its FIN; the kernel now sends ours to %s "
						  "(LAST_ACK) and forgets the connection when the peer ACKs it.", or_peer(rem));
		else
			snprintf(s, SENTENCE_MAX, "close: the kernel sent FIN to %s; this side waits for the peer's FIN "
						  "(FIN_WAIT) and then stays in TIME_WAIT for 60 s.", or_peer(rem));
		return;
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		snprintf(s, SENTENCE_MAX, "close: our FIN already went out with shutdown(); the kernel finishes the "
					  "close on its own (TIME_WAIT once the peer's FIN comes); fd %d is freed.", fd);
		return;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		snprintf(s, SENTENCE_MAX, "close: both FINs were already sent; the kernel waits for the last ACK on its "
					  "own; nothing new on the wire.");
		return;
	case TCP_CLOSE:
		snprintf(s, SENTENCE_MAX, "close: the connection had already ended (FINs exchanged, refused or reset); "
					  "nothing on the wire; fd %d is freed.", fd);
		return;
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		snprintf(s, SENTENCE_MAX, "close: the handshake was not finished; the kernel gives it up.");
		return;
	default:
		snprintf(s, SENTENCE_MAX, "close: fd %d is freed.", fd);
	}
}

int narrate_close(int fd)
{
	pace_wait();
	if (!active())
		return close(fd);
	char args[ARGS_MAX], s[SENTENCE_MAX], loc[EP_MAX], rem[EP_MAX];
	int type = sock_type(fd);
	int state = type == SOCK_STREAM ? sock_tcp_state(fd) : -1;
	struct linger lg = { 0, 0 };
	socklen_t ll = sizeof lg;
	bool abort_linger = getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &ll) == 0 && lg.l_onoff && lg.l_linger == 0;
	int unread = 0;
	if (type == SOCK_STREAM && state != TCP_LISTEN && ioctl(fd, FIONREAD, &unread) < 0)
		unread = 0;
	local_of(fd, loc);
	remote_of(fd, rem);
	int64_t t0 = call_enter();
	int r = close(fd);
	int e = r < 0 ? errno : 0;
	int64_t t1 = clock_real_us();
	memo_forget(fd);
	snprintf(args, sizeof args, "%d", fd);
	if (r < 0)
		snprintf(s, sizeof s, "close failed: fd %d was not open.", fd);
	else
		close_sentence(s, fd, type, state, abort_linger, unread, rem, loc);
	struct told t = { "close", fd, args, r, e, NULL, loc, rem, s, t0, t1 };
	tell(&t);
	errno = e;
	return r;
}

int narrate_setsockopt_str(int fd, int level, int name, const char *value)
{
	socklen_t len = (socklen_t)strlen(value);
	if (!active())
		return setsockopt(fd, level, name, value, len);
	struct sockopt_call c;
	sockopt_call(&c, fd, level, name, value, len);
	strbuf_printf(&c.a, ", \"%s\", %u", value, (unsigned)len);
	char s[SENTENCE_MAX];
	const char *opt = strace_sockopt_name((unsigned)level, (unsigned)name);
	if (c.r < 0)
		snprintf(s, sizeof s, "setsockopt failed: the option was not changed; nothing on the wire.");
	else if (level == IPPROTO_TCP && name == TCP_CONGESTION)
		snprintf(s, sizeof s, "setsockopt: fd %d now paces its sending by the %s congestion control, which decides "
				      "how much may be in flight (its cwnd); nothing on the wire.", fd, value);
	else
		snprintf(s, sizeof s, "setsockopt: %s is now \"%s\" on fd %d; nothing on the wire.", opt ? opt : "?", value,
			 fd);
	return sockopt_tell(&c, s);
}

int narrate_setsockopt_filter(int fd, const struct sock_fprog *prog, const char *what)
{
	if (!active())
		return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof *prog);
	struct sockopt_call c;
	sockopt_call(&c, fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof *prog);
	strbuf_printf(&c.a, ", {len=%u, filter=%p}, %zu", (unsigned)prog->len, (const void *)prog->filter, sizeof *prog);
	char s[SENTENCE_MAX];
	if (c.r < 0)
		snprintf(s, sizeof s, "setsockopt failed: no filter was attached; nothing on the wire.");
	else
		snprintf(s, sizeof s, "setsockopt: a socket filter (classic BPF) now sees each packet for fd %d after it "
				      "crossed the wire and before TCP does: %s; nothing on the wire.", fd, what);
	return sockopt_tell(&c, s);
}
