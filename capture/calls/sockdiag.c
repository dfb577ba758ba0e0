/* sockdiag.c — TCP/UDP socket table from NETLINK_SOCK_DIAG (inet_diag_req_v2 dumps), ss-style rows and snapshot diffs. */
#include "calls/sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/count.h"
#include "common/tok.h"

/* ss's state names (iproute2 misc/ss.c sstate_name), by kernel state number. */
static const struct tok state_names[] = {
	{ 1, "ESTAB" }, { 2, "SYN-SENT" }, { 3, "SYN-RECV" }, { 4, "FIN-WAIT-1" }, { 5, "FIN-WAIT-2" },
	{ 6, "TIME-WAIT" }, { 7, "UNCONN" }, { 8, "CLOSE-WAIT" }, { 9, "LAST-ACK" }, { 10, "LISTEN" },
	{ 11, "CLOSING" }, { 12, "SYN-RECV" }, /* 12 TCP_NEW_SYN_RECV: a request socket */
	{ 0, NULL },
};

const char *sockdiag_state_name(uint8_t state)
{
	return tok2str(state_names, "UNKNOWN", state);
}

const char *sockdiag_proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "?";
}

/* TCP_CA_* of <linux/tcp.h>: the sender's congestion-control state. */
static const struct tok ca_names[] = {
	{ TCP_CA_Open, "open" }, { TCP_CA_Disorder, "disorder" }, { TCP_CA_CWR, "cwr" },
	{ TCP_CA_Recovery, "recovery" }, { TCP_CA_Loss, "loss" }, { 0, NULL },
};

const char *sockdiag_ca_state_name(uint8_t ca_state)
{
	return tok2str(ca_names, "unknown", ca_state);
}

/* struct tcp_info as the kernel sent it (len bytes, maybe shorter than ours: older kernels). */
static void parse_tcpinfo(const uint8_t *p, size_t len, struct sockdiag_tcpinfo *ti)
{
	struct tcp_info t;
	memset(&t, 0, sizeof t);
	memcpy(&t, p, len < sizeof t ? len : sizeof t);
	ti->valid = true;
	ti->ca_state = t.tcpi_ca_state;
	ti->retransmits = t.tcpi_retransmits;
	ti->mss = t.tcpi_snd_mss;
	ti->cwnd = t.tcpi_snd_cwnd;
	ti->ssthresh = t.tcpi_snd_ssthresh;
	ti->srtt_us = t.tcpi_rtt;
	ti->rttvar_us = t.tcpi_rttvar;
	ti->unacked = t.tcpi_unacked;
	ti->total_retrans = t.tcpi_total_retrans;
	ti->delivery_rate = t.tcpi_delivery_rate;
	ti->pacing_rate = t.tcpi_pacing_rate;
}

/* ---- ordering and diff ---- */

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	if (a->af != b->af)
		return cmp_u64(a->af, b->af);
	int c = memcmp(a->addr, b->addr, sizeof a->addr);
	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(a->port, b->port);
}

int sockdiag_cmp(const struct sockdiag_row *a, const struct sockdiag_row *b)
{
	if (a->proto != b->proto)
		return cmp_u64(a->proto, b->proto);
	if (a->cookie != b->cookie)
		return cmp_u64(a->cookie, b->cookie);
	if (a->cookie)
		return 0;
	int c = cmp_endpoint(&a->local, &b->local);
	return c ? c : cmp_endpoint(&a->remote, &b->remote);
}

static int qsort_cmp(const void *a, const void *b)
{
	return sockdiag_cmp(a, b);
}

void sockdiag_sort(struct sockdiag_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof *rows, qsort_cmp);
}

static bool strictly_sorted(const struct sockdiag_row *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (sockdiag_cmp(&r[i - 1], &r[i]) >= 0)
			return false;
	return true;
}

const char *sockdiag_change_mark(enum sockdiag_change what)
{
	switch (what) {
	case SOCKDIAG_APPEARED: return "+";
	case SOCKDIAG_GONE: return "-";
	case SOCKDIAG_STATE: return "~";
	case SOCKDIAG_QUEUES: return "q";
	}
	return "?";
}

int sockdiag_diff(const struct sockdiag_row *old, size_t nold, const struct sockdiag_row *new_rows,
		  size_t nnew, unsigned flags, sockdiag_change_fn fn, void *arg)
{
	if (!strictly_sorted(old, nold) || !strictly_sorted(new_rows, nnew))
		return -1;
	size_t i = 0, j = 0;
	int changes = 0;
	while (i < nold || j < nnew) {
		int c = i == nold ? 1 : j == nnew ? -1 : sockdiag_cmp(&old[i], &new_rows[j]);
		if (c < 0) {
			fn(SOCKDIAG_GONE, &old[i++], NULL, arg);
			changes++;
		} else if (c > 0) {
			fn(SOCKDIAG_APPEARED, NULL, &new_rows[j++], arg);
			changes++;
		} else {
			const struct sockdiag_row *a = &old[i++], *b = &new_rows[j++];
			if (a->state != b->state || cmp_endpoint(&a->local, &b->local) ||
			    cmp_endpoint(&a->remote, &b->remote)) {
				fn(SOCKDIAG_STATE, a, b, arg);
				changes++;
			} else if ((flags & SOCKDIAG_DIFF_QUEUES) &&
				   (a->rqueue != b->rqueue || a->wqueue != b->wqueue)) {
				fn(SOCKDIAG_QUEUES, a, b, arg);
				changes++;
			}
		}
	}
	return changes;
}

/* ---- formatting like ss ---- */

static bool addr_is_any(const struct endpoint *ep)
{
	static const uint8_t zero[16];
	return memcmp(ep->addr, zero, ep->af == 4 ? 4 : 16) == 0;
}

int sockdiag_format_addr(const struct sockdiag_row *r, const struct endpoint *ep, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN + 2], ifname[IF_NAMESIZE + 1], port[8];
	if (ep->af == 4) {
		inet_ntop(AF_INET, ep->addr, a, sizeof a);
	} else if (!r->v6only && addr_is_any(ep)) {
		snprintf(a, sizeof a, "*");
	} else {
		char t[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, ep->addr, t, sizeof t);
		snprintf(a, sizeof a, "[%s]", t);
	}
	ifname[0] = '\0';
	if (ep == &r->local && r->ifindex) {
		char nm[IF_NAMESIZE];
		if (if_indextoname(r->ifindex, nm))
			snprintf(ifname, sizeof ifname, "%%%s", nm);
		else
			snprintf(ifname, sizeof ifname, "%%%u", r->ifindex);
	}
	if (ep->port)
		snprintf(port, sizeof port, "%u", ep->port);
	else
		snprintf(port, sizeof port, "*");
	return snprintf(buf, n, "%s%s:%s", a, ifname, port);
}

int sockdiag_format(const struct sockdiag_row *r, char *buf, size_t n)
{
	char l[INET6_ADDRSTRLEN + IF_NAMESIZE + 16], p[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
	sockdiag_format_addr(r, &r->local, l, sizeof l);
	sockdiag_format_addr(r, &r->remote, p, sizeof p);
	return snprintf(buf, n, "%-5s %-10s %-6u %-6u %-26s %s", sockdiag_proto_name(r->proto),
			sockdiag_state_name(r->state), r->rqueue, r->wqueue, l, p);
}

/* ---- the netlink dump ---- */

static bool port_wanted(uint16_t port, const uint16_t *ports, size_t nports)
{
	for (size_t i = 0; i < nports; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* Reads one inet_diag_msg (and its attributes) of len bytes into *r; false if it is too short. */
static bool parse_msg(const uint8_t *p, size_t len, uint8_t proto, struct sockdiag_row *r)
{
	struct inet_diag_msg m;
	if (len < sizeof m)
		return false;
	memcpy(&m, p, sizeof m);
	memset(r, 0, sizeof *r);
	r->proto = proto;
	r->state = m.idiag_state;
	uint8_t af = m.idiag_family == AF_INET6 ? 6 : 4;
	size_t alen = af == 6 ? 16 : 4;
	r->local.af = r->remote.af = af;
	memcpy(r->local.addr, m.id.idiag_src, alen);
	memcpy(r->remote.addr, m.id.idiag_dst, alen);
	r->local.port = ntohs(m.id.idiag_sport);
	r->remote.port = ntohs(m.id.idiag_dport);
	r->rqueue = m.idiag_rqueue;
	r->wqueue = m.idiag_wqueue;
	r->inode = m.idiag_inode;
	r->uid = m.idiag_uid;
	r->ifindex = m.id.idiag_if;
	r->cookie = (uint64_t)m.id.idiag_cookie[1] << 32 | m.id.idiag_cookie[0];
	/* Attributes (struct rtattr: u16 len, u16 type, data, padded to 4): INET_DIAG_SKV6ONLY, INET_DIAG_INFO. */
	size_t at = NLMSG_ALIGN(sizeof m);
	while (at + 4 <= len) {
		uint16_t alen16, type;
		memcpy(&alen16, p + at, 2);
		memcpy(&type, p + at + 2, 2);
		if (alen16 < 4 || at + alen16 > len)
			break;
		if (type == INET_DIAG_SKV6ONLY && alen16 >= 5)
			r->v6only = p[at + 4] != 0;
		/* A listener's tcp_info holds no connection's numbers (ss prints none of them either). */
		if (type == INET_DIAG_INFO && proto == IPPROTO_TCP && alen16 > 4 && r->state != 10)
			parse_tcpinfo(p + at + 4, alen16 - 4u, &r->info);
		at += NLMSG_ALIGN(alen16);
	}
	return true;
}

struct collect {
	struct sockdiag_row *rows;
	size_t max;
	size_t stored;
	int matched;
	const uint16_t *ports;
	size_t nports;
};

/* One SOCK_DIAG_BY_FAMILY dump for family/proto, all states. 0, or -1 with err set. */
static int dump(int fd, uint8_t family, uint8_t proto, uint32_t seq, struct collect *c, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} q;
	memset(&q, 0, sizeof q);
	q.nlh.nlmsg_len = sizeof q;
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.nlh.nlmsg_seq = seq;
	q.req.sdiag_family = family;
	q.req.sdiag_protocol = proto;
	q.req.idiag_states = ~0u; /* every state */
	if (proto == IPPROTO_TCP)
		q.req.idiag_ext = 1u << (INET_DIAG_INFO - 1); /* and each socket's tcp_info */
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(fd, &q, sizeof q, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
		snprintf(err, errlen, "sock_diag: cannot send the dump request: %s", strerror(errno));
		return -1;
	}
	uint8_t buf[32768]; /* a dump message never exceeds this (the kernel sizes them to the page) */
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof buf, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "sock_diag: cannot read the kernel's answer: %s", strerror(errno));
			return -1;
		}
		size_t at = 0, n = (size_t)got;
		while (at + sizeof(struct nlmsghdr) <= n) {
			struct nlmsghdr h;
			memcpy(&h, buf + at, sizeof h);
			if (h.nlmsg_len < sizeof h || at + h.nlmsg_len > n)
				break;
			const uint8_t *payload = buf + at + NLMSG_HDRLEN;
			size_t plen = h.nlmsg_len - NLMSG_HDRLEN;
			if (h.nlmsg_seq == seq) {
				if (h.nlmsg_type == NLMSG_DONE)
					return 0;
				if (h.nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr e;
					int code = 0;
					if (plen >= sizeof e) {
						memcpy(&e, payload, sizeof e);
						code = -e.error;
					}
					if (code == ENOENT) /* no such protocol (module not loaded): nothing to list */
						return 0;
					snprintf(err, errlen, "sock_diag: the kernel refused the %s%s dump: %s",
						 proto == IPPROTO_TCP ? "tcp" : "udp", family == AF_INET6 ? "6" : "",
						 strerror(code));
					return -1;
				}
				struct sockdiag_row r;
				if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY && parse_msg(payload, plen, proto, &r) &&
				    (c->nports == 0 || port_wanted(r.local.port, c->ports, c->nports) ||
				     port_wanted(r.remote.port, c->ports, c->nports))) {
					if (c->stored < c->max)
						c->rows[c->stored++] = r;
					c->matched++;
				}
			}
			at += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
}

int sockdiag_snapshot(struct sockdiag_row *rows, size_t max, const uint16_t *ports, size_t nports, char *err,
		      size_t errlen)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		snprintf(err, errlen, "sock_diag: cannot open a NETLINK_SOCK_DIAG socket: %s; fix: a Linux kernel "
			 "with CONFIG_INET_DIAG (ss needs it too)", strerror(errno));
		return -1;
	}
	struct collect c = { rows, max, 0, 0, ports, nports };
	static const struct {
		uint8_t family, proto;
	} dumps[] = {
		{ AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP }, { AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP },
	};
	for (size_t i = 0; i < COUNT(dumps); i++) {
		if (dump(fd, dumps[i].family, dumps[i].proto, (uint32_t)i + 1, &c, err, errlen) < 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	sockdiag_sort(rows, c.stored);
	return c.matched;
}
