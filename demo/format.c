/* format.c — sockdemo's pure formatting: endpoints, strace-style arguments, names, JSON event lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockdemo.h"

struct name {
	int value;
	const char *name;
};

/* The errno values a socket program meets; the narration explains most of them. */
static const struct name errno_names[] = {
	{ EPERM, "EPERM" },           { EINTR, "EINTR" },
	{ EBADF, "EBADF" },           { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },         { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },         { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" },         { EMFILE, "EMFILE" },
	{ EPIPE, "EPIPE" },           { ENOTSOCK, "ENOTSOCK" },
	{ EDESTADDRREQ, "EDESTADDRREQ" }, { EMSGSIZE, "EMSGSIZE" },
	{ EPROTOTYPE, "EPROTOTYPE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ENETDOWN, "ENETDOWN" },
	{ ENETUNREACH, "ENETUNREACH" }, { ECONNABORTED, "ECONNABORTED" },
	{ ECONNRESET, "ECONNRESET" }, { ENOBUFS, "ENOBUFS" },
	{ EISCONN, "EISCONN" },       { ENOTCONN, "ENOTCONN" },
	{ ETIMEDOUT, "ETIMEDOUT" },   { ECONNREFUSED, "ECONNREFUSED" },
	{ EHOSTDOWN, "EHOSTDOWN" },   { EHOSTUNREACH, "EHOSTUNREACH" },
	{ EALREADY, "EALREADY" },     { EINPROGRESS, "EINPROGRESS" },
};

static const struct name family_names[] = {
	{ AF_UNSPEC, "AF_UNSPEC" }, { AF_INET, "AF_INET" }, { AF_INET6, "AF_INET6" }, { AF_UNIX, "AF_UNIX" },
};

static const struct name socktype_names[] = {
	{ SOCK_STREAM, "SOCK_STREAM" }, { SOCK_DGRAM, "SOCK_DGRAM" }, { SOCK_RAW, "SOCK_RAW" },
};

static const struct name shut_names[] = {
	{ SHUT_RD, "SHUT_RD" }, { SHUT_WR, "SHUT_WR" }, { SHUT_RDWR, "SHUT_RDWR" },
};

static const struct name poll_names[] = {
	{ POLLIN, "POLLIN" },   { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" },
	{ POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" },
	{ POLLRDHUP, "POLLRDHUP" },
};

static const struct name msg_names[] = {
	{ MSG_OOB, "MSG_OOB" },         { MSG_PEEK, "MSG_PEEK" },         { MSG_DONTWAIT, "MSG_DONTWAIT" },
	{ MSG_WAITALL, "MSG_WAITALL" }, { MSG_NOSIGNAL, "MSG_NOSIGNAL" }, { MSG_MORE, "MSG_MORE" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_find(const struct name *t, size_t count, int value)
{
	for (size_t i = 0; i < count; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

const char *fmt_errno_name(int err)
{
	static char other[24];
	if (err == 0)
		return NULL;
	const char *s = name_find(errno_names, COUNT(errno_names), err);
	if (s)
		return s;
	snprintf(other, sizeof other, "E%d", err);
	return other;
}

const char *fmt_family(int family)
{
	const char *s = name_find(family_names, COUNT(family_names), family);
	return s ? s : "AF_?";
}

const char *fmt_socktype(int type)
{
	const char *s = name_find(socktype_names, COUNT(socktype_names), type);
	return s ? s : "SOCK_?";
}

const char *fmt_shut_how(int how)
{
	const char *s = name_find(shut_names, COUNT(shut_names), how);
	return s ? s : "SHUT_?";
}

/* snprintf that reports the length actually held (never more than n - 1). */
static size_t put(char *buf, size_t n, size_t at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t n, size_t at, const char *fmt, ...)
{
	if (at >= n)
		return at;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + at, n - at, fmt, ap);
	va_end(ap);
	if (w < 0)
		return at;
	return (size_t)w >= n - at ? n - 1 : at + (size_t)w;
}

static size_t flags_format(char *buf, size_t n, const struct name *t, size_t count, unsigned v)
{
	size_t at = 0;
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (v & (unsigned)t[i].value) {
			at = put(buf, n, at, "%s%s", at ? "|" : "", t[i].name);
			v &= ~(unsigned)t[i].value;
		}
	}
	if (v)
		at = put(buf, n, at, "%s%#x", at ? "|" : "", v);
	if (at == 0)
		at = put(buf, n, 0, "0");
	return at;
}

size_t fmt_poll_events(char *buf, size_t n, short ev)
{
	return flags_format(buf, n, poll_names, COUNT(poll_names), (unsigned short)ev);
}

size_t fmt_msg_flags(char *buf, size_t n, int flags)
{
	return flags_format(buf, n, msg_names, COUNT(msg_names), (unsigned)flags);
}

size_t demo_fmt_endpoint(char *buf, size_t n, const struct sockaddr *sa)
{
	char a[INET6_ADDRSTRLEN];
	if (n)
		buf[0] = '\0';
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof in);
		inet_ntop(AF_INET, &in.sin_addr, a, sizeof a);
		return put(buf, n, 0, "%s:%u", a, ntohs(in.sin_port));
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof in6);
		inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof a);
		return put(buf, n, 0, "[%s]:%u", a, ntohs(in6.sin6_port));
	}
	return 0;
}

size_t fmt_sockaddr(char *buf, size_t n, const struct sockaddr *sa)
{
	char ep[INET6_ADDRSTRLEN + 10];
	if (!sa)
		return put(buf, n, 0, "NULL");
	if (demo_fmt_endpoint(ep, sizeof ep, sa) == 0)
		return put(buf, n, 0, "{%s}", fmt_family(sa->sa_family));
	return put(buf, n, 0, "{%s, %s}", fmt_family(sa->sa_family), ep);
}

size_t fmt_data(char *buf, size_t n, const void *data, size_t len, size_t show)
{
	const unsigned char *p = data;
	size_t at = put(buf, n, 0, "\"");
	size_t shown = len < show ? len : show;
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '\n': at = put(buf, n, at, "\\n"); break;
		case '\r': at = put(buf, n, at, "\\r"); break;
		case '\t': at = put(buf, n, at, "\\t"); break;
		case '"': at = put(buf, n, at, "\\\""); break;
		case '\\': at = put(buf, n, at, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				at = put(buf, n, at, "%c", c);
			else
				at = put(buf, n, at, "\\x%02x", c);
		}
	}
	at = put(buf, n, at, "\"");
	if (len > shown)
		at = put(buf, n, at, "...");
	return at;
}

size_t fmt_json_string(char *buf, size_t n, size_t at, const char *s)
{
	at = put(buf, n, at, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			at = put(buf, n, at, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			at = put(buf, n, at, "\\u%04x", *p);
		else
			at = put(buf, n, at, "%c", *p);
	}
	at = put(buf, n, at, "\"");
	return at >= n - 1 ? n : at;
}

/* A JSON string or null for an empty/absent one. */
static size_t json_opt(char *buf, size_t n, size_t at, const char *s)
{
	if (!s || !*s)
		return put(buf, n, at, "null");
	return fmt_json_string(buf, n, at, s);
}

size_t fmt_event_line(char *buf, size_t n, const struct sd_event *ev)
{
	if (n < 2)
		return 0;
	size_t at = put(buf, n, 0, "{\"ts\":%" PRId64 ",\"dur\":%" PRId64 ",\"pid\":%ld,\"role\":", ev->ts,
			ev->dur, ev->pid);
	at = json_opt(buf, n, at, ev->role);
	at = put(buf, n, at, ",\"call\":");
	at = json_opt(buf, n, at, ev->call);
	if (ev->fd >= 0)
		at = put(buf, n, at, ",\"fd\":%d", ev->fd);
	else
		at = put(buf, n, at, ",\"fd\":null");
	at = put(buf, n, at, ",\"args\":");
	at = fmt_json_string(buf, n, at, ev->args ? ev->args : "");
	at = put(buf, n, at, ",\"ret\":%ld,\"errno\":", ev->ret);
	at = json_opt(buf, n, at, ev->ret == -1 && ev->err ? fmt_errno_name(ev->err) : NULL);
	at = put(buf, n, at, ",\"local\":");
	at = json_opt(buf, n, at, ev->local);
	at = put(buf, n, at, ",\"remote\":");
	at = json_opt(buf, n, at, ev->remote);
	at = put(buf, n, at, "}\n");
	if (at >= n - 1)
		return 0; /* truncated: a partial JSON line is never written */
	return at;
}
