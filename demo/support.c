/* support.c — helpers sockdemo's roles share: resolving the address, one-line failure messages, the fd limit. */
#include "support.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "format.h"

void sd_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static bool resolve_family(const char *host, int family, int type, uint16_t port, bool passive,
			   struct sockaddr_storage *ss, socklen_t *len, int *gai)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = type;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	char service[8];
	snprintf(service, sizeof service, "%u", port);
	*gai = getaddrinfo(host, service, &hints, &res);
	if (*gai != 0 || !res)
		return false;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return true;
}

bool sd_resolve(const struct sd_opts *o, bool passive, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *host = o->host ? o->host : (o->family == AF_INET6 ? "::1" : "127.0.0.1");
	int gai = 0;
	memset(ss, 0, sizeof *ss);
	if (resolve_family(host, o->family, o->type, o->port, passive, ss, len, &gai))
		return true;
	/* Without -4/-6 a name or address of the other family is still accepted (e.g. "::1"). */
	if (!o->family_set && resolve_family(host, AF_INET6, o->type, o->port, passive, ss, len, &gai))
		return true;
	fprintf(stderr, "sockdemo: cannot resolve host '%s'%s: %s; fix: check the spelling, or give an address "
			"such as 127.0.0.1 or ::1\n", host, o->family_set ? (o->family == AF_INET6 ? " as IPv6 (-6)" :
			" as IPv4 (-4)") : "", gai_strerror(gai));
	return false;
}

int sd_explain_failure(const char *what, const struct sockaddr *sa, int err, uint16_t port)
{
	char ep[80];
	demo_fmt_endpoint(ep, sizeof ep, sa);
	switch (err) {
	case EADDRINUSE:
		fprintf(stderr, "sockdemo: cannot %s %s: address already in use (another program listens there, or a "
				"connection on that port is in TIME_WAIT); fix: stop that program or choose another port "
				"with -p\n", what, ep);
		return SD_EXIT_ADDRESS;
	case EADDRNOTAVAIL:
		if (strcmp(what, "bind") == 0)
			fprintf(stderr, "sockdemo: cannot bind %s: address not available (no interface of this machine has "
					"it); fix: use 127.0.0.1, ::1 or an address listed by 'ip -br address'\n", ep);
		else
			fprintf(stderr, "sockdemo: cannot %s %s: address not available (no free local port for it, or the "
					"same connection is still in TIME_WAIT); fix: wait a minute or use another port\n",
				what, ep);
		return SD_EXIT_ADDRESS;
	case EACCES:
	case EPERM:
		fprintf(stderr, "sockdemo: cannot %s %s: permission denied (ports below 1024 need root or "
				"CAP_NET_BIND_SERVICE); fix: use a port of 1024 or above, e.g. -p 8888\n", what, ep);
		return SD_EXIT_ADDRESS;
	case ECONNREFUSED:
		fprintf(stderr, "sockdemo: cannot %s %s: connection refused (nothing listens on that port: the answer "
				"was RST or ICMP port unreachable); fix: start the server first (sockdemo server -p %u) or "
				"check the port\n", what, ep, port);
		return SD_EXIT_REFUSED;
	case ECONNRESET:
	case EPIPE:
		fprintf(stderr, "sockdemo: %s %s: connection reset by the peer (it sent RST: it closed abortively or "
				"vanished); fix: check the other side\n", what, ep);
		return SD_EXIT_REFUSED;
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
		fprintf(stderr, "sockdemo: cannot %s %s: %s; fix: check the address, and that the other side runs\n",
			what, ep, strerror(err));
		return SD_EXIT_RUNTIME;
	default:
		fprintf(stderr, "sockdemo: cannot %s %s: %s\n", what, ep, strerror(err));
		return SD_EXIT_RUNTIME;
	}
}
