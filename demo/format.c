/* format.c — sockdemo's pure formatting: endpoints, errno names, JSON event lines (strace-style text: common/strace.h). */
#include "format.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/endpoint_fmt.h"
#include "common/errnames.h"
#include "common/strace.h"
#include "common/strbuf.h"

const char *fmt_errno_name(int err)
{
	static char other[ERRNO_NAME_MAX];
	return err ? errno_name_or_number(err, other) : NULL;
}

size_t demo_fmt_endpoint(char *buf, size_t n, const struct sockaddr *sa)
{
	struct endpoint ep;
	if (n)
		buf[0] = '\0';
	/* The callers hand a whole address of its family (a sockaddr_storage, or the family's own struct). */
	if (!sa || !endpoint_from_sockaddr(sa, sizeof(struct sockaddr_storage), &ep))
		return 0;
	int w = endpoint_format(&ep, buf, n);
	if (w < 0 || n == 0)
		return 0;
	return (size_t)w >= n ? n - 1 : (size_t)w;
}

size_t fmt_sockaddr(char *buf, size_t n, const struct sockaddr *sa)
{
	char ep[INET6_ADDRSTRLEN + 10];
	struct strbuf b;
	strbuf_init(&b, buf, n, STRBUF_CUT);
	if (!sa) {
		strbuf_printf(&b, "NULL");
		return b.len;
	}
	const char *family = tok2str(strace_families, "AF_?", sa->sa_family);
	if (demo_fmt_endpoint(ep, sizeof ep, sa) == 0)
		strbuf_printf(&b, "{%s}", family);
	else
		strbuf_printf(&b, "{%s, %s}", family, ep);
	return b.len;
}

/* s as a JSON string, with its quotes. */
static void json_string(struct strbuf *b, const char *s)
{
	strbuf_printf(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_printf(b, "\\u%04x", *p);
		else
			strbuf_printf(b, "%c", *p);
	}
	strbuf_printf(b, "\"");
}

/* A JSON string, or null for an empty/absent one. */
static void json_opt(struct strbuf *b, const char *s)
{
	if (!s || !*s)
		strbuf_printf(b, "null");
	else
		json_string(b, s);
}

size_t fmt_event_line(char *buf, size_t n, const struct sd_event *ev)
{
	struct strbuf b;
	if (n < 2)
		return 0;
	strbuf_init(&b, buf, n, STRBUF_CUT);
	strbuf_printf(&b, "{\"ts\":%" PRId64 ",\"dur\":%" PRId64 ",\"pid\":%ld,\"role\":", ev->ts, ev->dur, ev->pid);
	json_opt(&b, ev->role);
	strbuf_printf(&b, ",\"call\":");
	json_opt(&b, ev->call);
	if (ev->fd >= 0)
		strbuf_printf(&b, ",\"fd\":%d", ev->fd);
	else
		strbuf_printf(&b, ",\"fd\":null");
	strbuf_printf(&b, ",\"args\":");
	json_string(&b, ev->args ? ev->args : "");
	strbuf_printf(&b, ",\"ret\":%ld,\"errno\":", ev->ret);
	json_opt(&b, ev->ret == -1 && ev->err ? fmt_errno_name(ev->err) : NULL);
	strbuf_printf(&b, ",\"local\":");
	json_opt(&b, ev->local);
	strbuf_printf(&b, ",\"remote\":");
	json_opt(&b, ev->remote);
	strbuf_printf(&b, "}\n");
	if (b.full || b.len >= n - 1)
		return 0; /* truncated: a partial JSON line is never written */
	return b.len;
}
