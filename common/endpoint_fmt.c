/* endpoint_fmt.c — an endpoint as text and from a socket address. */
#include "common/endpoint_fmt.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int endpoint_format(const struct endpoint *ep, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	if (ep->af == 4) {
		inet_ntop(AF_INET, ep->addr, a, sizeof a);
		return snprintf(buf, n, "%s:%u", a, ep->port);
	}
	if (ep->af == 6) {
		inet_ntop(AF_INET6, ep->addr, a, sizeof a);
		return snprintf(buf, n, "[%s]:%u", a, ep->port);
	}
	return snprintf(buf, n, "-");
}

bool endpoint_from_sockaddr(const void *sa, size_t len, struct endpoint *ep)
{
	sa_family_t family;
	memset(ep, 0, sizeof *ep);
	if (len < sizeof family)
		return false;
	memcpy(&family, sa, sizeof family);
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof in);
		ep->af = 4;
		memcpy(ep->addr, &in.sin_addr, 4);
		ep->port = ntohs(in.sin_port);
		return true;
	}
	if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof in6);
		ep->af = 6;
		memcpy(ep->addr, &in6.sin6_addr, 16);
		ep->port = ntohs(in6.sin6_port);
		return true;
	}
	return false;
}
