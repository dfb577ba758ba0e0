/* strace.c — socket calls written as strace writes them: names, flag sets, quoted data, the call line. */
#include "common/strace.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const struct tok strace_families[] = {
	{ AF_UNSPEC, "AF_UNSPEC" }, { AF_UNIX, "AF_UNIX" }, { AF_INET, "AF_INET" }, { AF_INET6, "AF_INET6" },
	{ AF_NETLINK, "AF_NETLINK" }, { AF_PACKET, "AF_PACKET" }, { AF_ALG, "AF_ALG" },
	{ AF_VSOCK, "AF_VSOCK" }, { AF_BLUETOOTH, "AF_BLUETOOTH" },
	{ 0, NULL },
};

/* socket()'s type without its flags (the low four bits). */
static const struct tok socktypes[] = {
	{ SOCK_STREAM, "SOCK_STREAM" }, { SOCK_DGRAM, "SOCK_DGRAM" }, { SOCK_RAW, "SOCK_RAW" },
	{ SOCK_RDM, "SOCK_RDM" }, { SOCK_SEQPACKET, "SOCK_SEQPACKET" }, { SOCK_DCCP, "SOCK_DCCP" },
	{ SOCK_PACKET, "SOCK_PACKET" },
	{ 0, NULL },
};

const struct tok strace_sock_flags[] = {
	{ SOCK_CLOEXEC, "SOCK_CLOEXEC" }, { SOCK_NONBLOCK, "SOCK_NONBLOCK" },
	{ 0, NULL },
};

static const struct tok ipprotos[] = {
	{ IPPROTO_IP, "IPPROTO_IP" }, { IPPROTO_ICMP, "IPPROTO_ICMP" }, { IPPROTO_TCP, "IPPROTO_TCP" },
	{ IPPROTO_UDP, "IPPROTO_UDP" }, { IPPROTO_IPV6, "IPPROTO_IPV6" }, { IPPROTO_ICMPV6, "IPPROTO_ICMPV6" },
	{ IPPROTO_SCTP, "IPPROTO_SCTP" }, { IPPROTO_UDPLITE, "IPPROTO_UDPLITE" }, { IPPROTO_RAW, "IPPROTO_RAW" },
	{ 262, "IPPROTO_MPTCP" },
	{ 0, NULL },
};

static const struct tok netlink_protos[] = {
	{ 0, "NETLINK_ROUTE" }, { 4, "NETLINK_SOCK_DIAG" }, { 9, "NETLINK_AUDIT" },
	{ 15, "NETLINK_KOBJECT_UEVENT" }, { 16, "NETLINK_GENERIC" },
	{ 0, NULL },
};

/* Socket option levels as strace names them. */
static const struct tok levels[] = {
	{ SOL_SOCKET, "SOL_SOCKET" }, { IPPROTO_IP, "SOL_IP" }, { IPPROTO_TCP, "SOL_TCP" },
	{ IPPROTO_UDP, "SOL_UDP" }, { IPPROTO_IPV6, "SOL_IPV6" },
	{ 0, NULL },
};

static const struct tok so_opts[] = {
	{ 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" }, { 4, "SO_ERROR" }, { 5, "SO_DONTROUTE" },
	{ 6, "SO_BROADCAST" }, { 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" }, { 9, "SO_KEEPALIVE" },
	{ 10, "SO_OOBINLINE" }, { 11, "SO_NO_CHECK" }, { 12, "SO_PRIORITY" }, { 13, "SO_LINGER" },
	{ 14, "SO_BSDCOMPAT" }, { 15, "SO_REUSEPORT" }, { 16, "SO_PASSCRED" }, { 17, "SO_PEERCRED" },
	{ 18, "SO_RCVLOWAT" }, { 19, "SO_SNDLOWAT" }, { 20, "SO_RCVTIMEO_OLD" }, { 21, "SO_SNDTIMEO_OLD" },
	{ 25, "SO_BINDTODEVICE" }, { 26, "SO_ATTACH_FILTER" }, { 30, "SO_ACCEPTCONN" }, { 32, "SO_SNDBUFFORCE" },
	{ 33, "SO_RCVBUFFORCE" }, { 36, "SO_MARK" }, { 38, "SO_PROTOCOL" }, { 39, "SO_DOMAIN" },
	{ 46, "SO_BUSY_POLL" }, { 47, "SO_MAX_PACING_RATE" }, { 49, "SO_INCOMING_CPU" }, { 60, "SO_ZEROCOPY" },
	{ 0, NULL },
};

static const struct tok tcp_opts[] = {
	{ 1, "TCP_NODELAY" }, { 2, "TCP_MAXSEG" }, { 3, "TCP_CORK" }, { 4, "TCP_KEEPIDLE" },
	{ 5, "TCP_KEEPINTVL" }, { 6, "TCP_KEEPCNT" }, { 7, "TCP_SYNCNT" }, { 8, "TCP_LINGER2" },
	{ 9, "TCP_DEFER_ACCEPT" }, { 10, "TCP_WINDOW_CLAMP" }, { 11, "TCP_INFO" }, { 12, "TCP_QUICKACK" },
	{ 13, "TCP_CONGESTION" }, { 18, "TCP_USER_TIMEOUT" }, { 23, "TCP_FASTOPEN" },
	{ 25, "TCP_NOTSENT_LOWAT" },
	{ 0, NULL },
};

static const struct tok ip_opts[] = {
	{ 1, "IP_TOS" }, { 2, "IP_TTL" }, { 3, "IP_HDRINCL" }, { 4, "IP_OPTIONS" }, { 10, "IP_MTU_DISCOVER" },
	{ 11, "IP_RECVERR" }, { 15, "IP_FREEBIND" }, { 24, "IP_BIND_ADDRESS_NO_PORT" },
	{ 33, "IP_MULTICAST_TTL" }, { 34, "IP_MULTICAST_LOOP" },
	{ 0, NULL },
};

static const struct tok ipv6_opts[] = {
	{ 16, "IPV6_UNICAST_HOPS" }, { 23, "IPV6_MTU_DISCOVER" }, { 25, "IPV6_RECVERR" },
	{ 26, "IPV6_V6ONLY" }, { 67, "IPV6_TCLASS" },
	{ 0, NULL },
};

const struct tok strace_msg_flags[] = {
	{ MSG_OOB, "MSG_OOB" }, { MSG_PEEK, "MSG_PEEK" }, { MSG_DONTROUTE, "MSG_DONTROUTE" },
	{ MSG_CTRUNC, "MSG_CTRUNC" }, { MSG_PROXY, "MSG_PROXY" }, { MSG_TRUNC, "MSG_TRUNC" },
	{ MSG_DONTWAIT, "MSG_DONTWAIT" }, { MSG_EOR, "MSG_EOR" }, { MSG_WAITALL, "MSG_WAITALL" },
	{ MSG_FIN, "MSG_FIN" }, { MSG_SYN, "MSG_SYN" }, { MSG_CONFIRM, "MSG_CONFIRM" }, { MSG_RST, "MSG_RST" },
	{ MSG_ERRQUEUE, "MSG_ERRQUEUE" }, { MSG_NOSIGNAL, "MSG_NOSIGNAL" }, { MSG_MORE, "MSG_MORE" },
	{ MSG_WAITFORONE, "MSG_WAITFORONE" }, { 0x40000, "MSG_BATCH" }, { 0x4000000, "MSG_ZEROCOPY" },
	{ MSG_FASTOPEN, "MSG_FASTOPEN" }, { MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC" },
	{ 0, NULL },
};

const struct tok strace_poll_bits[] = {
	{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
	{ POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" }, { 0x40, "POLLRDNORM" }, { 0x80, "POLLRDBAND" },
	{ 0x100, "POLLWRNORM" }, { 0x200, "POLLWRBAND" }, { 0x400, "POLLMSG" }, { 0x1000, "POLLREMOVE" },
	{ 0x2000, "POLLRDHUP" },
	{ 0, NULL },
};

const struct tok strace_shut_hows[] = {
	{ SHUT_RD, "SHUT_RD" }, { SHUT_WR, "SHUT_WR" }, { SHUT_RDWR, "SHUT_RDWR" },
	{ 0, NULL },
};

/* strace's explanations of the kernel-internal restart values (strerror knows none of them). */
static const struct tok restart_text[] = {
	{ 512, "To be restarted if SA_RESTART is set" },
	{ 513, "To be restarted" },
	{ 514, "To be restarted if no handler" },
	{ 515, "No ioctl command" },
	{ 516, "Interrupted by signal" },
	{ 0, NULL },
};

void strace_flags(struct strbuf *b, const struct tok *t, unsigned int v)
{
	bool any = false;
	for (; t->s && v; t++) {
		if ((v & t->v) == t->v) {
			strbuf_printf(b, "%s%s", any ? "|" : "", t->s);
			v &= ~t->v;
			any = true;
		}
	}
	if (v)
		strbuf_printf(b, "%s%#x", any ? "|" : "", v);
	else if (!any)
		strbuf_printf(b, "0");
}

void strace_const(struct strbuf *b, const struct tok *t, unsigned int v, const char *unknown)
{
	const char *s = tok2str(t, NULL, v);
	if (s)
		strbuf_printf(b, "%s", s);
	else
		strbuf_printf(b, "%#x /* %s */", v, unknown);
}

void strace_socket_args(struct strbuf *b, unsigned int domain, unsigned int type, unsigned int protocol)
{
	strace_const(b, strace_families, domain, "AF_???");
	strbuf_printf(b, ", ");
	strace_const(b, socktypes, type & 0xf, "SOCK_???");
	if (type & ~0xfu) {
		strbuf_printf(b, "|");
		strace_flags(b, strace_sock_flags, type & ~0xfu);
	}
	strbuf_printf(b, ", ");
	if (domain == AF_INET || domain == AF_INET6)
		strace_const(b, ipprotos, protocol, "IPPROTO_???");
	else if (domain == AF_NETLINK)
		strace_const(b, netlink_protos, protocol, "NETLINK_???");
	else
		strbuf_printf(b, "%u", protocol);
}

/* The options of a level, and how strace prints an unknown one there; NULL for a level without a table. */
static const struct tok *sockopt_table(unsigned int level, const char **unknown)
{
	switch (level) {
	case SOL_SOCKET: *unknown = "SO_???"; return so_opts;
	case IPPROTO_TCP: *unknown = "TCP_???"; return tcp_opts;
	case IPPROTO_IP: *unknown = "IP_???"; return ip_opts;
	case IPPROTO_IPV6: *unknown = "IPV6_???"; return ipv6_opts;
	default: *unknown = "???"; return NULL;
	}
}

void strace_sockopt(struct strbuf *b, unsigned int level, unsigned int name)
{
	const char *unknown;
	const struct tok *t = sockopt_table(level, &unknown);
	strace_const(b, levels, level, "SOL_???");
	strbuf_printf(b, ", ");
	if (t)
		strace_const(b, t, name, unknown);
	else
		strbuf_printf(b, "%u", name);
}

const char *strace_sockopt_name(unsigned int level, unsigned int name)
{
	const char *unknown;
	const struct tok *t = sockopt_table(level, &unknown);
	return t ? tok2str(t, NULL, name) : NULL;
}

void strace_quote(struct strbuf *b, const void *data, size_t len, bool more, enum strace_quote style)
{
	const uint8_t *s = data;
	strbuf_printf(b, "\"");
	for (size_t i = 0; i < len; i++) {
		uint8_t c = s[i];
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\v': esc = style == STRACE_OCTAL ? "\\v" : NULL; break;
		case '\f': esc = style == STRACE_OCTAL ? "\\f" : NULL; break;
		}
		if (esc)
			strbuf_printf(b, "%s", esc);
		else if (c >= ' ' && c < 0x7f)
			strbuf_printf(b, "%c", c);
		else if (style == STRACE_HEX)
			strbuf_printf(b, "\\x%02x", c);
		else if (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7')
			strbuf_printf(b, "\\%o%o%o", c >> 6, (c >> 3) & 7, c & 7); /* a digit follows: all three */
		else
			strbuf_printf(b, "\\%o", c);
	}
	strbuf_printf(b, "\"%s", more ? "..." : "");
}

void strace_pollfd(struct strbuf *b, int fd, short bits, bool revents)
{
	strbuf_printf(b, "{fd=%d", fd);
	if (revents) {
		strbuf_printf(b, ", revents=");
		strace_flags(b, strace_poll_bits, (unsigned short)bits);
	} else if (fd >= 0) {
		strbuf_printf(b, ", events=");
		strace_flags(b, strace_poll_bits, (unsigned short)bits);
	}
	strbuf_printf(b, "}");
}

int strace_call(char *buf, size_t n, const char *call, const char *args, int64_t ret, int err, const char *errname,
		const char *note)
{
	const char *restart = err > 0 ? tok2str(restart_text, NULL, (unsigned)err) : NULL;
	if (!errname)
		errname = "";
	if (!note)
		note = "";
	if (restart)
		return snprintf(buf, n, "%s(%s) = ? %s (%s)%s", call, args, errname, restart, note);
	if (errname[0] && err)
		return snprintf(buf, n, "%s(%s) = %" PRId64 " %s (%s)%s", call, args, ret, errname, strerror(err), note);
	if (errname[0])
		return snprintf(buf, n, "%s(%s) = %" PRId64 " %s%s", call, args, ret, errname, note);
	return snprintf(buf, n, "%s(%s) = %" PRId64 "%s", call, args, ret, note);
}
