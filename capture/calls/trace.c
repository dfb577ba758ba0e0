/* trace.c — ptrace back-end of `synwatch --trace`: follows a command and its children, decodes socket calls like strace. */
#include "calls/trace.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)

#include <arpa/inet.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calls/progtty.h"
#include "common/clock.h"
#include "common/endpoint_fmt.h"
#include "common/errnames.h"
#include "common/strace.h"

#define STR_SHOW 32   /* bytes of a data buffer shown, as strace's default -s 32 */
#define ARRAY_SHOW 32 /* elements of an array (pollfds, iovecs) shown before "..." */

/* The calls decoded, by x86-64 syscall number. */
static const struct tok calls[] = {
	{ SYS_read, "read" }, { SYS_write, "write" }, { SYS_close, "close" }, { SYS_poll, "poll" },
	{ SYS_socket, "socket" }, { SYS_connect, "connect" }, { SYS_accept, "accept" },
	{ SYS_sendto, "sendto" }, { SYS_recvfrom, "recvfrom" }, { SYS_sendmsg, "sendmsg" },
	{ SYS_recvmsg, "recvmsg" }, { SYS_shutdown, "shutdown" }, { SYS_bind, "bind" },
	{ SYS_listen, "listen" }, { SYS_setsockopt, "setsockopt" }, { SYS_getsockopt, "getsockopt" },
	{ SYS_accept4, "accept4" },
	{ 0, NULL },
};

/* The name of a call we decode, NULL for the others. */
static const char *call_name(uint64_t nr)
{
	return nr <= UINT32_MAX ? tok2str(calls, NULL, (unsigned)nr) : NULL;
}

/* ---- the traced processes ---- */

/* One traced thread (a process is its thread-group leader). */
struct tthread {
	pid_t tid;           /* 0: free slot */
	pid_t tgid;          /* its process */
	int pidfd;           /* pidfd of tgid for pidfd_getfd; -1 not yet opened, -2 unavailable */
	bool expect_stop;    /* a new tracee: its first SIGSTOP is ours to swallow */
	bool in_call;        /* a decoded call has entered and not yet returned */
	uint64_t nr;         /* that call */
	uint64_t a[6];       /* its arguments */
	int64_t t0;          /* CLOCK_REALTIME µs at entry */
	uint32_t len_in;     /* the socklen the call may change (addrlen, optlen, msg_namelen), read at entry */
	bool len_ok;         /* len_in was readable */
	struct endpoint el, er; /* close(): the socket's endpoints read at entry */
};

struct tracer {
	pid_t child;           /* the command */
	int sfd;               /* signalfd for SIGCHLD */
	sigset_t oldmask;      /* the caller's mask, restored by trace_free */
	bool child_gone;
	int exit_status;       /* shell-style status of the command */
	struct tthread *th;
	size_t nth;            /* slots in th */
	size_t live;           /* traced threads still running */
	size_t next;           /* round-robin start for fairness */
	char err[256];
};

static pid_t read_tgid(pid_t tid)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	pid_t tgid = tid;
	if (!f)
		return tid;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Tgid:", 5) == 0) {
			tgid = (pid_t)atoi(line + 5);
			break;
		}
	fclose(f);
	return tgid;
}

static struct tthread *th_find(struct tracer *t, pid_t tid)
{
	for (size_t i = 0; i < t->nth; i++)
		if (t->th[i].tid == tid)
			return &t->th[i];
	return NULL;
}

static struct tthread *th_add(struct tracer *t, pid_t tid, bool expect_stop)
{
	struct tthread *h = th_find(t, tid);
	if (h)
		return h;
	for (size_t i = 0; i < t->nth && !h; i++)
		if (t->th[i].tid == 0)
			h = &t->th[i];
	if (!h) {
		size_t n = t->nth ? t->nth * 2 : 8;
		struct tthread *p = realloc(t->th, n * sizeof *p);
		if (!p)
			return NULL;
		memset(p + t->nth, 0, (n - t->nth) * sizeof *p);
		h = &p[t->nth];
		t->th = p;
		t->nth = n;
	}
	memset(h, 0, sizeof *h);
	h->tid = tid;
	h->tgid = read_tgid(tid);
	h->pidfd = -1;
	h->expect_stop = expect_stop;
	t->live++;
	return h;
}

static void th_remove(struct tracer *t, struct tthread *h)
{
	if (h->pidfd >= 0)
		close(h->pidfd);
	memset(h, 0, sizeof *h);
	t->live--;
}

/* Reads tracee memory: process_vm_readv, falling back to PTRACE_PEEKDATA word by word. */
static bool mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return true;
	if (addr == 0)
		return false;
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };
	if (process_vm_readv(tid, &l, 1, &r, 1, 0) == (ssize_t)len)
		return true;
	uint8_t *out = buf;
	for (size_t done = 0; done < len;) {
		uint64_t at = addr + done;
		uint64_t base = at & ~(uint64_t)7;
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)base, NULL);
		if (errno)
			return false;
		size_t off = (size_t)(at - base), k = sizeof w - off;
		if (k > len - done)
			k = len - done;
		memcpy(out + done, (uint8_t *)&w + off, k);
		done += k;
	}
	return true;
}

static bool read_u32(pid_t tid, uint64_t addr, uint32_t *v)
{
	return mem_read(tid, addr, v, sizeof *v);
}

/* Is fd of thread tid a socket? /proc/TID/fd/N links to "socket:[INODE]". */
static bool fd_is_socket(pid_t tid, int64_t fd)
{
	char path[64], link[64];
	if (fd < 0 || fd > INT32_MAX)
		return false;
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, (int)fd);
	ssize_t k = readlink(path, link, sizeof link - 1);
	if (k < 0)
		return false;
	link[k] = '\0';
	return strncmp(link, "socket:", 7) == 0;
}

/* The endpoint of a socket address; af 0 for an unbound or unconnected one (port and address both 0). */
static void sa_to_endpoint(const struct sockaddr_storage *ss, socklen_t len, struct endpoint *ep)
{
	static const uint8_t zero[16];
	if (endpoint_from_sockaddr(ss, len, ep) && ep->port == 0 && memcmp(ep->addr, zero, sizeof zero) == 0)
		memset(ep, 0, sizeof *ep);
}

/* The socket's own endpoints through a copy of its descriptor (pidfd_getfd); false if unavailable. */
static bool sock_endpoints(struct tthread *h, int64_t fd, struct endpoint *local, struct endpoint *remote)
{
	memset(local, 0, sizeof *local);
	memset(remote, 0, sizeof *remote);
	if (fd < 0 || fd > INT32_MAX || h->pidfd == -2)
		return false;
	if (h->pidfd == -1) {
		long p = syscall(SYS_pidfd_open, h->tgid, 0);
		h->pidfd = p >= 0 ? (int)p : -2;
		if (h->pidfd < 0)
			return false;
	}
	long d = syscall(SYS_pidfd_getfd, h->pidfd, (int)fd, 0);
	if (d < 0)
		return false;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getsockname((int)d, (struct sockaddr *)&ss, &len) == 0)
		sa_to_endpoint(&ss, len, local);
	len = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getpeername((int)d, (struct sockaddr *)&ss, &len) == 0)
		sa_to_endpoint(&ss, len, remote);
	close((int)d);
	return true;
}

/* A datagram call's endpoints: the socket's own, with the address the call names (sendto's destination,
   recvfrom's and recvmsg's source) as the remote end when it names one. */
static void call_endpoints(struct tthread *h, int64_t fd, const struct endpoint *named, struct sock_event *ev)
{
	sock_endpoints(h, fd, &ev->local, &ev->remote);
	if (named->af)
		ev->remote = *named;
}

/* ---- argument printers ---- */

static void arg_ptr(struct strbuf *b, uint64_t p)
{
	if (p)
		strbuf_printf(b, "%#" PRIx64, p);
	else
		strbuf_printf(b, "NULL");
}

/* A data buffer of len bytes at addr (at most STR_SHOW shown). */
static void arg_data(struct strbuf *b, pid_t tid, uint64_t addr, uint64_t len)
{
	uint8_t buf[STR_SHOW];
	size_t k = len < STR_SHOW ? (size_t)len : STR_SHOW;
	if (!mem_read(tid, addr, buf, k)) {
		arg_ptr(b, addr);
		return;
	}
	strace_quote(b, buf, k, len > STR_SHOW, STRACE_OCTAL);
}

/* A sockaddr of len bytes at addr, as strace prints it; into *ep (if not NULL) its endpoint when it is IPv4/IPv6. */
static void arg_sockaddr(struct strbuf *b, pid_t tid, uint64_t addr, uint64_t len, struct endpoint *ep)
{
	struct sockaddr_storage ss;
	struct endpoint none;
	if (!ep)
		ep = &none;
	memset(ep, 0, sizeof *ep);
	if (!addr) {
		strbuf_printf(b, "NULL");
		return;
	}
	size_t k = len < sizeof ss ? (size_t)len : sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (k < sizeof(sa_family_t) || !mem_read(tid, addr, &ss, k)) {
		arg_ptr(b, addr);
		return;
	}
	endpoint_from_sockaddr(&ss, k, ep);
	strbuf_printf(b, "{sa_family=");
	strace_const(b, strace_families, ss.ss_family, "AF_???");
	char a[INET6_ADDRSTRLEN];
	if (ss.ss_family == AF_INET && k >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, &ss, sizeof in);
		inet_ntop(AF_INET, &in.sin_addr, a, sizeof a);
		strbuf_printf(b, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}", ntohs(in.sin_port), a);
	} else if (ss.ss_family == AF_INET6 && k >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, &ss, sizeof in6);
		inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof a);
		strbuf_printf(b, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", &sin6_addr), "
			  "sin6_scope_id=%u}", ntohs(in6.sin6_port), ntohl(in6.sin6_flowinfo), a, in6.sin6_scope_id);
	} else if (ss.ss_family == AF_UNIX) {
		struct sockaddr_un un;
		memset(&un, 0, sizeof un);
		memcpy(&un, &ss, k < sizeof un ? k : sizeof un);
		size_t plen = k > offsetof(struct sockaddr_un, sun_path) ? k - offsetof(struct sockaddr_un, sun_path) : 0;
		if (plen == 0) {
			strbuf_printf(b, "}");
		} else if (un.sun_path[0] == '\0') { /* abstract: a leading NUL, then plen - 1 bytes */
			strbuf_printf(b, ", sun_path=@");
			strace_quote(b, (const uint8_t *)un.sun_path + 1, plen - 1, false, STRACE_OCTAL);
			strbuf_printf(b, "}");
		} else {
			strbuf_printf(b, ", sun_path=");
			strace_quote(b, (const uint8_t *)un.sun_path, strnlen(un.sun_path, plen), false, STRACE_OCTAL);
			strbuf_printf(b, "}");
		}
	} else if (ss.ss_family == AF_NETLINK && k >= 12) {
		uint32_t pid, groups;
		memcpy(&pid, (const uint8_t *)&ss + 4, 4);
		memcpy(&groups, (const uint8_t *)&ss + 8, 4);
		strbuf_printf(b, ", nl_pid=%u, nl_groups=%08x}", pid, groups);
	} else {
		strbuf_printf(b, ", sa_data=");
		strace_quote(b, (const uint8_t *)&ss + sizeof(sa_family_t), k - sizeof(sa_family_t), false, STRACE_OCTAL);
		strbuf_printf(b, "}");
	}
}

/* The length of an address the call wrote: the smaller of the buffer's size and the returned length. */
static uint32_t out_len(struct tthread *h, uint64_t lenp)
{
	uint32_t out;
	if (!h->len_ok)
		return 0;
	if (lenp && read_u32(h->tid, lenp, &out) && out < h->len_in)
		return out;
	return h->len_in;
}

/* "[16]" or "[128 => 16]": a socklen that the call may have changed. */
static void arg_socklen_io(struct strbuf *b, struct tthread *h, uint64_t addr, bool ok_call)
{
	uint32_t out;
	if (!addr) {
		strbuf_printf(b, "NULL");
		return;
	}
	if (!h->len_ok) {
		arg_ptr(b, addr);
		return;
	}
	if (ok_call && read_u32(h->tid, addr, &out) && out != h->len_in)
		strbuf_printf(b, "[%u => %u]", h->len_in, out);
	else
		strbuf_printf(b, "[%u]", h->len_in);
}

/* An option value of len bytes: [int], SO_LINGER's struct, SO_ERROR as an errno name, else bytes. */
static void arg_sockopt_value(struct strbuf *b, pid_t tid, uint64_t level, uint64_t name, uint64_t addr, uint64_t len)
{
	if (level == SOL_SOCKET && name == SO_LINGER && len >= sizeof(struct linger)) {
		struct linger l;
		if (mem_read(tid, addr, &l, sizeof l)) {
			strbuf_printf(b, "{l_onoff=%d, l_linger=%d}", l.l_onoff, l.l_linger);
			return;
		}
	} else if (len == sizeof(int32_t)) {
		int32_t v;
		if (mem_read(tid, addr, &v, sizeof v)) {
			const char *e = level == SOL_SOCKET && name == SO_ERROR && v ? errno_name(v) : NULL;
			if (e)
				strbuf_printf(b, "[%s]", e);
			else
				strbuf_printf(b, "[%" PRId32 "]", v);
			return;
		}
	} else if (len == 0 && addr) {
		strbuf_printf(b, "\"\"");
		return;
	}
	arg_data(b, tid, addr, len);
}

/* Up to ARRAY_SHOW iovecs; bytes shown in all of them together are capped by total (strace's way). */
static void arg_iov(struct strbuf *b, pid_t tid, uint64_t addr, uint64_t n, uint64_t total)
{
	if (!addr) {
		strbuf_printf(b, "NULL");
		return;
	}
	strbuf_printf(b, "[");
	for (uint64_t i = 0; i < n; i++) {
		if (i == ARRAY_SHOW) {
			strbuf_printf(b, ", ...");
			break;
		}
		struct iovec v;
		if (!mem_read(tid, addr + i * sizeof v, &v, sizeof v)) {
			strbuf_printf(b, "%s...", i ? ", " : "");
			break;
		}
		uint64_t len = v.iov_len;
		uint64_t show = len < total ? len : total;
		strbuf_printf(b, "%s{iov_base=", i ? ", " : "");
		arg_data(b, tid, (uint64_t)(uintptr_t)v.iov_base, show);
		strbuf_printf(b, ", iov_len=%" PRIu64 "}", len);
		total -= show;
	}
	strbuf_printf(b, "]");
}

/* struct msghdr for sendmsg (at entry values) and recvmsg (after the call: total = bytes received). */
static void arg_msghdr(struct strbuf *b, struct tthread *h, uint64_t addr, bool in, int64_t total,
		      struct endpoint *ep)
{
	struct msghdr m;
	if (!mem_read(h->tid, addr, &m, sizeof m)) {
		arg_ptr(b, addr);
		return;
	}
	strbuf_printf(b, "{msg_name=");
	if (m.msg_name)
		arg_sockaddr(b, h->tid, (uint64_t)(uintptr_t)m.msg_name, m.msg_namelen, ep);
	else
		strbuf_printf(b, "NULL");
	if (!in && h->len_ok && h->len_in != m.msg_namelen)
		strbuf_printf(b, ", msg_namelen=%u => %u", h->len_in, m.msg_namelen);
	else
		strbuf_printf(b, ", msg_namelen=%u", m.msg_namelen);
	strbuf_printf(b, ", msg_iov=");
	arg_iov(b, h->tid, (uint64_t)(uintptr_t)m.msg_iov, m.msg_iovlen, total < 0 ? 0 : (uint64_t)total);
	strbuf_printf(b, ", msg_iovlen=%zu", (size_t)m.msg_iovlen);
	if (m.msg_controllen)
		strbuf_printf(b, ", msg_control=%p", m.msg_control);
	strbuf_printf(b, ", msg_controllen=%zu, msg_flags=", (size_t)m.msg_controllen);
	strace_flags(b, strace_msg_flags, (uint32_t)m.msg_flags);
	strbuf_printf(b, "}");
}

/* pollfds: "[{fd=3, events=POLLIN}, {fd=-1}]" (entry view) or the revents list (exit view). */
static bool arg_pollfds(struct strbuf *b, pid_t tid, uint64_t addr, uint64_t n, bool revents)
{
	bool any = false;
	strbuf_printf(b, "[");
	for (uint64_t i = 0, shown = 0; i < n; i++) {
		struct pollfd p;
		if (!mem_read(tid, addr + i * sizeof p, &p, sizeof p))
			break;
		if (revents && !p.revents)
			continue;
		if (shown == ARRAY_SHOW) {
			strbuf_printf(b, ", ...");
			break;
		}
		strbuf_printf(b, "%s", shown ? ", " : "");
		strace_pollfd(b, p.fd, revents ? p.revents : p.events, revents);
		shown++;
		any = true;
	}
	strbuf_printf(b, "]");
	return any;
}

static bool poll_has_socket(pid_t tid, uint64_t addr, uint64_t n)
{
	for (uint64_t i = 0; i < n && i < 1024; i++) {
		struct pollfd p;
		if (!mem_read(tid, addr + i * sizeof p, &p, sizeof p))
			return false;
		if (p.fd >= 0 && fd_is_socket(tid, p.fd))
			return true;
	}
	return false;
}

/* ---- entry and exit ---- */

/* At entry: decide whether the call is one we report, and read what the call will overwrite. */
static void on_entry(struct tthread *h, uint64_t nr, const uint64_t *args)
{
	h->in_call = false;
	if (!call_name(nr))
		return;
	switch (nr) {
	case SYS_read:
	case SYS_write:
		if (!fd_is_socket(h->tid, (int64_t)args[0]))
			return;
		break;
	case SYS_close:
		if (!fd_is_socket(h->tid, (int64_t)args[0]))
			return;
		sock_endpoints(h, (int64_t)args[0], &h->el, &h->er);
		break;
	case SYS_poll:
		if (!poll_has_socket(h->tid, args[0], args[1]))
			return;
		break;
	}
	h->in_call = true;
	h->nr = nr;
	memcpy(h->a, args, sizeof h->a);
	h->t0 = clock_real_us();
	h->len_ok = false;
	switch (nr) {
	case SYS_accept:
	case SYS_accept4:
		h->len_ok = args[2] && read_u32(h->tid, args[2], &h->len_in);
		break;
	case SYS_recvfrom:
		h->len_ok = args[5] && read_u32(h->tid, args[5], &h->len_in);
		break;
	case SYS_getsockopt:
		h->len_ok = args[4] && read_u32(h->tid, args[4], &h->len_in);
		break;
	case SYS_recvmsg: {
		struct msghdr m;
		if (mem_read(h->tid, args[1], &m, sizeof m)) {
			h->len_in = m.msg_namelen;
			h->len_ok = true;
		}
		break;
	}
	}
}

/* At exit: fill the event. ret is the raw return value (-errno on error). */
static void on_exit_call(struct tthread *h, int64_t ret, bool is_error, struct sock_event *ev)
{
	const uint64_t *a = h->a;
	pid_t tid = h->tid;
	bool ok = !is_error;
	struct strbuf b;
	struct endpoint arg_ep;
	memset(ev, 0, sizeof *ev);
	memset(&arg_ep, 0, sizeof arg_ep);
	ev->ts_us = clock_real_us();
	ev->dur_us = ev->ts_us - h->t0;
	ev->pid = tid;
	snprintf(ev->role, sizeof ev->role, "traced");
	snprintf(ev->call, sizeof ev->call, "%s", call_name(h->nr));
	ev->fd = (int32_t)a[0];
	if (is_error) {
		int e = (int)-ret;
		char num[ERRNO_NAME_MAX];
		ev->ret = -1;
		ev->err = e;
		snprintf(ev->errname, sizeof ev->errname, "%s", errno_name_or_number(e, num));
	} else {
		ev->ret = ret;
	}
	strbuf_init(&b, ev->args, sizeof ev->args, STRBUF_DOTS);
	int fd = (int)a[0];
	switch (h->nr) {
	case SYS_socket: {
		strace_socket_args(&b, a[0] & 0xffffffffu, a[1] & 0xffffffffu, a[2] & 0xffffffffu);
		ev->fd = ok ? (int32_t)ret : -1;
		if (ok)
			sock_endpoints(h, ret, &ev->local, &ev->remote);
		break;
	}
	case SYS_bind:
	case SYS_connect:
		strbuf_printf(&b, "%d, ", fd);
		arg_sockaddr(&b, tid, a[1], a[2] & 0xffffffffu, &arg_ep);
		strbuf_printf(&b, ", %" PRIu64, a[2] & 0xffffffffu);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		if (h->nr == SYS_bind && ev->local.af == 0)
			ev->local = arg_ep;
		if (h->nr == SYS_connect && ev->remote.af == 0)
			ev->remote = arg_ep;
		break;
	case SYS_listen:
		strbuf_printf(&b, "%d, %d", fd, (int)a[1]);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	case SYS_accept:
	case SYS_accept4:
		strbuf_printf(&b, "%d, ", fd);
		if (ok)
			arg_sockaddr(&b, tid, a[1], out_len(h, a[2]), &arg_ep);
		else
			arg_ptr(&b, a[1]);
		strbuf_printf(&b, ", ");
		arg_socklen_io(&b, h, a[2], ok);
		if (h->nr == SYS_accept4) {
			strbuf_printf(&b, ", ");
			strace_flags(&b, strace_sock_flags, a[3] & 0xffffffffu);
		}
		if (ok) {
			sock_endpoints(h, ret, &ev->local, &ev->remote);
			if (ev->remote.af == 0)
				ev->remote = arg_ep;
		}
		break;
	case SYS_sendto:
		strbuf_printf(&b, "%d, ", fd);
		arg_data(&b, tid, a[1], a[2]);
		strbuf_printf(&b, ", %" PRIu64 ", ", a[2]);
		strace_flags(&b, strace_msg_flags, a[3] & 0xffffffffu);
		strbuf_printf(&b, ", ");
		arg_sockaddr(&b, tid, a[4], a[5] & 0xffffffffu, &arg_ep);
		strbuf_printf(&b, ", %" PRIu64, a[5] & 0xffffffffu);
		call_endpoints(h, fd, &arg_ep, ev);
		break;
	case SYS_recvfrom:
		strbuf_printf(&b, "%d, ", fd);
		if (ok)
			arg_data(&b, tid, a[1], (uint64_t)ret);
		else
			arg_ptr(&b, a[1]);
		strbuf_printf(&b, ", %" PRIu64 ", ", a[2]);
		strace_flags(&b, strace_msg_flags, a[3] & 0xffffffffu);
		strbuf_printf(&b, ", ");
		if (ok && a[4])
			arg_sockaddr(&b, tid, a[4], out_len(h, a[5]), &arg_ep);
		else
			arg_ptr(&b, a[4]);
		strbuf_printf(&b, ", ");
		arg_socklen_io(&b, h, a[5], ok);
		call_endpoints(h, fd, &arg_ep, ev);
		break;
	case SYS_sendmsg:
		strbuf_printf(&b, "%d, ", fd);
		arg_msghdr(&b, h, a[1], true, INT64_MAX, &arg_ep);
		strbuf_printf(&b, ", ");
		strace_flags(&b, strace_msg_flags, a[2] & 0xffffffffu);
		call_endpoints(h, fd, &arg_ep, ev);
		break;
	case SYS_recvmsg:
		strbuf_printf(&b, "%d, ", fd);
		if (ok)
			arg_msghdr(&b, h, a[1], false, ret, &arg_ep);
		else
			arg_ptr(&b, a[1]);
		strbuf_printf(&b, ", ");
		strace_flags(&b, strace_msg_flags, a[2] & 0xffffffffu);
		call_endpoints(h, fd, &arg_ep, ev);
		break;
	case SYS_shutdown:
		strbuf_printf(&b, "%d, ", fd);
		strace_const(&b, strace_shut_hows, a[1] & 0xffffffffu, "SHUT_???");
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	case SYS_setsockopt:
		strbuf_printf(&b, "%d, ", fd);
		strace_sockopt(&b, a[1] & 0xffffffffu, a[2] & 0xffffffffu);
		strbuf_printf(&b, ", ");
		arg_sockopt_value(&b, tid, a[1] & 0xffffffffu, a[2] & 0xffffffffu, a[3], a[4] & 0xffffffffu);
		strbuf_printf(&b, ", %" PRIu64, a[4] & 0xffffffffu);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	case SYS_getsockopt: {
		strbuf_printf(&b, "%d, ", fd);
		strace_sockopt(&b, a[1] & 0xffffffffu, a[2] & 0xffffffffu);
		strbuf_printf(&b, ", ");
		uint32_t out = 0;
		if (ok && h->len_ok && read_u32(tid, a[4], &out))
			arg_sockopt_value(&b, tid, a[1] & 0xffffffffu, a[2] & 0xffffffffu, a[3], out);
		else
			arg_ptr(&b, a[3]);
		strbuf_printf(&b, ", ");
		arg_socklen_io(&b, h, a[4], ok);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	}
	case SYS_read:
		strbuf_printf(&b, "%d, ", fd);
		if (ok)
			arg_data(&b, tid, a[1], (uint64_t)ret);
		else
			arg_ptr(&b, a[1]);
		strbuf_printf(&b, ", %" PRIu64, a[2]);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	case SYS_write:
		strbuf_printf(&b, "%d, ", fd);
		arg_data(&b, tid, a[1], a[2]);
		strbuf_printf(&b, ", %" PRIu64, a[2]);
		sock_endpoints(h, fd, &ev->local, &ev->remote);
		break;
	case SYS_close:
		strbuf_printf(&b, "%d", fd);
		ev->local = h->el;
		ev->remote = h->er;
		break;
	case SYS_poll: {
		arg_pollfds(&b, tid, a[0], a[1], false);
		strbuf_printf(&b, ", %" PRIu64 ", %d", a[1] & 0xffffffffu, (int)a[2]);
		ev->fd = -1;
		if (ok && ret == 0) {
			snprintf(ev->retnote, sizeof ev->retnote, " (Timeout)");
		} else if (ok && ret > 0) {
			struct strbuf r;
			char list[SOCKEV_RETNOTE_MAX - 4]; /* room for " (" and ")" around it */
			strbuf_init(&r, list, sizeof list, STRBUF_DOTS);
			arg_pollfds(&r, tid, a[0], a[1], true);
			snprintf(ev->retnote, sizeof ev->retnote, " (%s)", list);
		}
		break;
	}
	}
}

/* ---- process control ---- */

static void set_terr(struct tracer *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_terr(struct tracer *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->err, sizeof t->err, fmt, ap);
	va_end(ap);
}

static void resume(pid_t tid, int sig)
{
	ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(intptr_t)sig);
}

static void note_exit(struct tracer *t, struct tthread *h, int status)
{
	if (h->tid == t->child) {
		t->child_gone = true;
		t->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	th_remove(t, h);
}

/* Handles one wait status of thread h; returns true when it completed a reported call into *ev. */
static bool handle_stop(struct tracer *t, struct tthread *h, int status, struct sock_event *ev)
{
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		note_exit(t, h, status);
		return false;
	}
	if (!WIFSTOPPED(status))
		return false;
	pid_t tid = h->tid;
	int sig = WSTOPSIG(status);
	unsigned event = (unsigned)status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		struct __ptrace_syscall_info info;
		bool got = false;
		memset(&info, 0, sizeof info);
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof info, &info) > 0) {
			if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
				if (info.arch == AUDIT_ARCH_X86_64 && !(info.entry.nr & __X32_SYSCALL_BIT))
					on_entry(h, info.entry.nr, info.entry.args);
				else
					h->in_call = false;
			} else if (info.op == PTRACE_SYSCALL_INFO_EXIT && h->in_call) {
				h->in_call = false;
				on_exit_call(h, info.exit.rval, info.exit.is_error, ev);
				got = true;
			}
		}
		resume(tid, 0);
		return got;
	}
	if (sig == SIGTRAP && event) {
		unsigned long msg = 0;
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &msg) == 0 && msg)
				th_add(t, (pid_t)msg, true);
			break;
		case PTRACE_EVENT_EXEC:
			/* A non-leader thread that exec'd now has the leader's id; forget its old id. */
			if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &msg) == 0 && (pid_t)msg != tid) {
				struct tthread *old = th_find(t, (pid_t)msg);
				if (old)
					th_remove(t, old);
			}
			if (h) {
				h->in_call = false;
				h->tgid = read_tgid(tid);
				if (h->pidfd >= 0)
					close(h->pidfd);
				h->pidfd = -1;
			}
			break;
		}
		resume(tid, 0);
		return false;
	}
	if (sig == SIGSTOP && h->expect_stop) {
		h->expect_stop = false;
		resume(tid, 0);
		return false;
	}
	/* A signal for the tracee: pass it on. A group-stop (no siginfo) is resumed without a signal. */
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) < 0)
		sig = 0;
	resume(tid, sig);
	return false;
}

#define STEP_BUDGET 512 /* stops handled per step() call, so a busy tracee cannot hold trace_poll */

/* Handles pending stops without blocking until max events, nothing pending, or STEP_BUDGET stops.
   Returns the events stored; *handled says how many stops were handled. */
static size_t step(struct tracer *t, struct sock_event *out, size_t max, size_t *handled)
{
	size_t n = 0;
	bool progress = true;
	*handled = 0;
	while (progress && n < max && *handled < STEP_BUDGET) {
		progress = false;
		for (size_t k = 0; k < t->nth && n < max; k++) {
			size_t i = (t->next + k) % t->nth;
			pid_t tid = t->th[i].tid;
			if (!tid)
				continue;
			int status;
			pid_t r = waitpid(tid, &status, __WALL | WNOHANG);
			if (r == 0)
				continue;
			struct tthread *h = th_find(t, tid); /* th_add in handle_stop may move the array */
			if (r < 0) {
				if (errno == ECHILD && h)
					th_remove(t, h); /* vanished (a thread replaced by exec) */
				continue;
			}
			progress = true;
			(*handled)++;
			if (h && handle_stop(t, h, status, &out[n]))
				n++;
		}
		if (t->nth)
			t->next = (t->next + 1) % t->nth;
	}
	return n;
}

bool trace_supported(void)
{
	return true;
}

struct tracer *trace_start_as(char *const argv[], uid_t uid, gid_t gid, const char *tty, char *err, size_t errlen)
{
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "--trace needs a command; fix: synwatch --trace -- COMMAND [ARGS]");
		return NULL;
	}
	struct tracer *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory starting the tracer");
		return NULL;
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, &t->oldmask);
	t->sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (t->sfd < 0) {
		snprintf(err, errlen, "cannot create a signalfd for the tracer: %s", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &t->oldmask, NULL);
		free(t);
		return NULL;
	}
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot create a pipe for the tracer: %s", strerror(errno));
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork to run '%s': %s", argv[0], strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		goto fail;
	}
	if (pid == 0) {
		/* Child: become traceable, let the parent set options, then exec. Reports errno on failure. */
		close(pfd[0]);
		pthread_sigmask(SIG_SETMASK, &t->oldmask, NULL);
		int e = 0;
		if (tty && !progtty_child(tty))
			e = errno;
		else if (uid != (uid_t)-1 && (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
			e = errno;
		else if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			e = errno;
		else {
			raise(SIGSTOP);
			execvp(argv[0], argv);
			e = errno;
		}
		ssize_t w = write(pfd[1], &e, sizeof e);
		(void)w;
		_exit(127);
	}
	close(pfd[1]);
	t->child = pid;
	int status;
	/* The child stops itself with SIGSTOP once it is traceable (or exits if ptrace was refused). */
	while (waitpid(pid, &status, __WALL) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot wait for '%s': %s", argv[0], strerror(errno));
			close(pfd[0]);
			goto fail_killed;
		}
	}
	if (WIFSTOPPED(status)) {
		long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
		if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)opts) < 0) {
			snprintf(err, errlen, "cannot set ptrace options: %s", strerror(errno));
			close(pfd[0]);
			goto fail_killed;
		}
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		/* Run to the exec (PTRACE_EVENT_EXEC) or to the child's exit when exec failed. */
		for (;;) {
			if (waitpid(pid, &status, __WALL) < 0) {
				if (errno == EINTR)
					continue;
				snprintf(err, errlen, "cannot wait for '%s': %s", argv[0], strerror(errno));
				close(pfd[0]);
				goto fail_killed;
			}
			if (!WIFSTOPPED(status))
				break;
			if (WSTOPSIG(status) == SIGTRAP && (unsigned)status >> 16 == PTRACE_EVENT_EXEC)
				break;
			int sig = WSTOPSIG(status);
			ptrace(PTRACE_CONT, pid, NULL, (void *)(intptr_t)(sig == SIGSTOP ? 0 : sig));
		}
	}
	int e = 0;
	ssize_t got = read(pfd[0], &e, sizeof e);
	close(pfd[0]);
	if (!WIFSTOPPED(status)) {
		if (got == (ssize_t)sizeof e && e) {
			if (e == EPERM)
				snprintf(err, errlen, "cannot trace '%s': ptrace is not permitted (%s); fix: run as root or "
					 "allow ptrace (kernel.yama.ptrace_scope, container seccomp)", argv[0], strerror(e));
			else
				snprintf(err, errlen, "cannot run '%s': %s; fix: give a command in PATH or its path",
					 argv[0], strerror(e));
		} else {
			snprintf(err, errlen, "'%s' exited before it could be traced", argv[0]);
		}
		goto fail;
	}
	if (!th_add(t, pid, false)) {
		snprintf(err, errlen, "out of memory starting the tracer");
		goto fail_killed;
	}
	t->th[0].tgid = pid;
	resume(pid, 0);
	return t;

fail_killed:
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
fail:
	close(t->sfd);
	pthread_sigmask(SIG_SETMASK, &t->oldmask, NULL);
	free(t->th);
	free(t);
	return NULL;
}

int trace_fd(const struct tracer *t)
{
	return t->sfd;
}

int trace_pid(const struct tracer *t)
{
	return t->child;
}

const char *trace_error(const struct tracer *t)
{
	return t->err;
}

static void drain_signalfd(int sfd)
{
	struct signalfd_siginfo si;
	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
}

int trace_poll(struct tracer *t, struct sock_event *out, size_t max, int timeout_ms)
{
	if (max == 0) {
		set_terr(t, "trace_poll: no room for events");
		return -1;
	}
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : clock_ms() + timeout_ms;
	for (;;) {
		drain_signalfd(t->sfd);
		size_t handled;
		size_t n = step(t, out, max, &handled);
		if (n > 0 || t->live == 0)
			return (int)n;
		int64_t left = deadline == INT64_MAX ? INT64_MAX : deadline - clock_ms();
		if (left <= 0)
			return 0;
		if (handled) /* busy with calls we do not report: step on without sleeping */
			continue;
		/* SIGCHLD wakes us; the 100 ms cap covers a signal another thread consumed. */
		int wait_ms = left > 100 ? 100 : (int)left;
		struct pollfd p = { t->sfd, POLLIN, 0 };
		if (poll(&p, 1, wait_ms) < 0 && errno != EINTR) {
			set_terr(t, "trace_poll: poll: %s", strerror(errno));
			return -1;
		}
	}
}

bool trace_done(const struct tracer *t, int *exit_status)
{
	if (t->live > 0 || !t->child_gone)
		return false;
	if (exit_status)
		*exit_status = t->exit_status;
	return true;
}

void trace_free(struct tracer *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nth; i++)
		if (t->th[i].tid)
			kill(t->th[i].tid, SIGKILL);
	for (size_t i = 0; i < t->nth; i++) {
		pid_t tid = t->th[i].tid;
		if (!tid)
			continue;
		int status;
		while (waitpid(tid, &status, __WALL) < 0 && errno == EINTR)
			;
		if (t->th[i].pidfd >= 0)
			close(t->th[i].pidfd);
	}
	drain_signalfd(t->sfd);
	close(t->sfd);
	pthread_sigmask(SIG_SETMASK, &t->oldmask, NULL);
	free(t->th);
	free(t);
}

#else /* not x86-64 */

struct tracer {
	int unused;
};

bool trace_supported(void)
{
	return false;
}

struct tracer *trace_start_as(char *const argv[], uid_t uid, gid_t gid, const char *tty, char *err, size_t errlen)
{
	(void)argv;
	(void)tty;
	(void)uid;
	(void)gid;
	snprintf(err, errlen, "--trace: tracing system calls is supported on x86-64 only; fix: use sockdemo "
		 "--events on this architecture");
	return NULL;
}

int trace_fd(const struct tracer *t)
{
	(void)t;
	return -1;
}

int trace_pid(const struct tracer *t)
{
	(void)t;
	return -1;
}

const char *trace_error(const struct tracer *t)
{
	(void)t;
	return "tracing is supported on x86-64 only";
}

int trace_poll(struct tracer *t, struct sock_event *out, size_t max, int timeout_ms)
{
	(void)t;
	(void)out;
	(void)max;
	(void)timeout_ms;
	return -1;
}

bool trace_done(const struct tracer *t, int *exit_status)
{
	(void)t;
	if (exit_status)
		*exit_status = 1;
	return true;
}

void trace_free(struct tracer *t)
{
	(void)t;
}

#endif

struct tracer *trace_start(char *const argv[], char *err, size_t errlen)
{
	return trace_start_as(argv, (uid_t)-1, (gid_t)-1, NULL, err, errlen);
}
