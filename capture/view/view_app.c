/* view_app.c — one-line application summaries as tcpdump writes them (DNS "22839+ A? www.example.com.", HTTP's first line, ARP "Request who-has ..."): the text view's and the panel details' pieces. */
#include "view/view.h"

/* ---- DNS (tcpdump's print-domain.c, without -v) ---- */

/* A type as tcpdump names it: "A", "AAAA"..., "Type65" for one without a name. */
static char *dns_type(char *p, unsigned type)
{
	const char *n = dns_type_name((int)type);
	if (n)
		return fmt_mem(p, n, strlen(n));
	p = fmt_lit(p, "Type");
	return fmt_u32(p, type);
}

/* " CH", " (Class 7)": a class other than IN. */
static char *dns_class(char *p, unsigned cls)
{
	if (cls == 1)
		return p;
	const char *n = dns_class_name((int)cls);
	*p++ = ' ';
	if (n)
		return fmt_mem(p, n, strlen(n));
	p = fmt_lit(p, "(Class ");
	p = fmt_u32(p, cls);
	*p++ = ')';
	return p;
}

/* " [3an]": a count tcpdump shows in brackets. */
static char *dns_count(char *p, unsigned n, const char *what, size_t wlen)
{
	p = fmt_lit(p, " [");
	p = fmt_u32(p, n);
	return fmt_mem(p, what, wlen);
}

/* The name at off, written in place (at most DNS_NAME_TEXT_MAX bytes), or nothing when it cannot be read
   (the packet's status says why). */
static char *dns_name(char *p, const struct dns_msg *d, size_t off)
{
	size_t end;
	const char *why;
	if (dns_name_read(d, off, &end, p, &why) != DEC_OK)
		return p;
	return p + strlen(p);
}

char *view_dns_head(char *p, const struct dns_msg *d)
{
	const char *op = dns_opcode_name((int)dns_opcode(d));
	p = fmt_u32(p, d->id);
	if (op) {
		*p++ = ' ';
		p = fmt_mem(p, op, strlen(op));
	} else if (dns_opcode(d)) {
		p = fmt_lit(p, " op");
		p = fmt_u32(p, dns_opcode(d));
	}
	if (dns_is_response(d)) {
		unsigned rc = dns_rcode(d);
		const char *rn = dns_rcode_name((int)rc);
		if (rn) {
			*p++ = ' ';
			p = fmt_mem(p, rn, strlen(rn));
		} else if (rc) {
			p = fmt_lit(p, " Resp");
			p = fmt_u32(p, rc);
		}
		if (d->flags & DNS_AA)
			*p++ = '*';
		if (!(d->flags & DNS_RA))
			*p++ = '-';
		if (d->flags & DNS_TC)
			*p++ = '|';
		if (d->flags & DNS_AD)
			*p++ = '$';
		if (d->qdcount != 1)
			p = dns_count(p, d->qdcount, "q]", 2);
		*p++ = ' ';
		p = fmt_u32(p, d->ancount);
		*p++ = '/';
		p = fmt_u32(p, d->nscount);
		*p++ = '/';
		return fmt_u32(p, d->arcount);
	}
	if (d->flags & DNS_RD)
		*p++ = '+';
	if (d->flags & DNS_CD)
		*p++ = '%';
	if (d->ancount)
		p = dns_count(p, d->ancount, "an]", 3);
	if (d->nscount)
		p = dns_count(p, d->nscount, "n]", 2);
	if (d->arcount)
		p = dns_count(p, d->arcount, "au]", 3);
	if (d->qdcount != 1)
		p = dns_count(p, d->qdcount, "q]", 2);
	if (!(d->have & DNS_HAVE_QUESTION))
		return p;
	*p++ = ' ';
	p = dns_type(p, d->qtype);
	p = dns_class(p, d->qclass);
	p = fmt_lit(p, "? ");
	return dns_name(p, d, d->qname);
}

/* A TXT record's strings, each quoted ("\"" and "\\" escaped, other bytes outside printable ASCII as
   \DDD): at most DNS_TXT_STRINGS strings and DNS_TXT_SHOW bytes of them in all, then "...". */
#define DNS_TXT_SHOW 256
#define DNS_TXT_STRINGS 64 /* strings shown, at most (empty ones cost 3 characters each) */
static char *dns_txt(char *p, const struct dns_msg *d, const struct dns_rr *rr)
{
	size_t pos = 0, shown = 0;
	unsigned strings = 0;
	struct cursor s;
	while (dns_txt_next(d, rr, &pos, &s)) {
		if (++strings > DNS_TXT_STRINGS)
			return fmt_lit(p, " ...");
		p = fmt_lit(p, " \"");
		uint8_t ch;
		while (shown < DNS_TXT_SHOW && cursor_u8(&s, &ch)) {
			shown++;
			if (ch == '"' || ch == '\\') {
				*p++ = '\\';
				*p++ = (char)ch;
			} else if (ch >= 0x20 && ch < 0x7f) {
				*p++ = (char)ch;
			} else {
				*p++ = '\\';
				*p++ = (char)('0' + ch / 100);
				*p++ = (char)('0' + ch / 10 % 10);
				*p++ = (char)('0' + ch % 10);
			}
		}
		*p++ = '"';
		if (shown == DNS_TXT_SHOW && (cursor_left(&s) || pos < rr->rdlen))
			return fmt_lit(p, "...");
	}
	return p;
}

char *view_dns_rr(char *p, const struct dns_msg *d, const struct dns_rr *rr)
{
	if (rr->type != 41) /* OPT's class field is the sender's UDP payload size (RFC 6891 §6.1.2) */
		p = dns_class(p, rr->cls);
	*p++ = ' ';
	p = dns_type(p, rr->type);
	switch (rr->type) {
	case 1:
		*p++ = ' ';
		return fmt_ipv4(p, rr->addr);
	case 28:
		*p++ = ' ';
		return fmt_ipv6(p, rr->addr);
	case 16:
		return dns_txt(p, d, rr);
	case 15:
		*p++ = ' ';
		p = dns_name(p, d, rr->target);
		*p++ = ' ';
		return fmt_u32(p, rr->pref);
	case 33:
		*p++ = ' ';
		p = dns_name(p, d, rr->target);
		*p++ = ':';
		p = fmt_u32(p, rr->port);
		*p++ = ' ';
		p = fmt_u32(p, rr->pref);
		*p++ = ' ';
		return fmt_u32(p, rr->weight);
	case 6: /* SOA: tcpdump shows its fields only with -v */
		return p;
	default:
		if (rr->have_target) { /* NS, CNAME, PTR, DNAME */
			*p++ = ' ';
			p = dns_name(p, d, rr->target);
		}
		return p;
	}
}

/* ---- ARP (RFC 826; tcpdump's print-arp.c) ---- */

/* An address of n bytes: IPv4 or IPv6 text for a protocol address of those types and lengths, else its
   bytes in hex separated by ':' (at most ARP_ADDR_SHOW of them, then "..."). */
#define ARP_ADDR_SHOW 32
static char *arp_addr(char *p, const uint8_t *a, unsigned n, uint16_t ptype)
{
	static const char hex[] = "0123456789abcdef";
	if (ptype == 0x0800 && n == 4)
		return fmt_ipv4(p, a);
	if (ptype == 0x86dd && n == 16)
		return fmt_ipv6(p, a);
	for (unsigned i = 0; i < n && i < ARP_ADDR_SHOW; i++) {
		if (i)
			*p++ = ':';
		*p++ = hex[a[i] >> 4];
		*p++ = hex[a[i] & 15];
	}
	if (n > ARP_ADDR_SHOW)
		p = fmt_lit(p, "...");
	return p;
}

char *view_arp_addr(char *p, const struct arp_pkt *a, enum arp_which which)
{
	unsigned hl = a->hlen, pl = a->plen;
	const uint8_t *base = a->addrs;
	switch (which) {
	case ARP_SHA:
		return arp_addr(p, base, hl, 0);
	case ARP_SPA:
		return arp_addr(p, base + hl, pl, a->ptype);
	case ARP_THA:
		return arp_addr(p, base + hl + pl, hl, 0);
	case ARP_TPA:
		return arp_addr(p, base + 2 * hl + pl, pl, a->ptype);
	}
	return p;
}

/* The target hardware address is all zeros (a request not yet knowing it). */
static bool arp_tha_zero(const struct arp_pkt *a)
{
	const uint8_t *t = a->addrs + a->hlen + a->plen;
	for (unsigned i = 0; i < a->hlen; i++)
		if (t[i])
			return false;
	return true;
}

char *view_arp(char *p, const struct arp_pkt *a)
{
	const char *op = arp_op_name(a->op);
	if (op) {
		p = fmt_mem(p, op, strlen(op));
	} else {
		p = fmt_lit(p, "opcode ");
		p = fmt_u32(p, a->op);
	}
	if (!a->addrs)
		return p;
	if (!a->hlen || !a->plen) { /* no addresses to name */
		p = fmt_lit(p, " (hlen ");
		p = fmt_u32(p, a->hlen);
		p = fmt_lit(p, ", plen ");
		p = fmt_u32(p, a->plen);
		*p++ = ')';
		return p;
	}
	switch (a->op) {
	case 1: /* "Request who-has TPA [(THA)] tell SPA" */
		p = fmt_lit(p, " who-has ");
		p = view_arp_addr(p, a, ARP_TPA);
		if (!arp_tha_zero(a)) {
			p = fmt_lit(p, " (");
			p = view_arp_addr(p, a, ARP_THA);
			*p++ = ')';
		}
		p = fmt_lit(p, " tell ");
		return view_arp_addr(p, a, ARP_SPA);
	case 2: /* "Reply SPA is-at SHA" */
		*p++ = ' ';
		p = view_arp_addr(p, a, ARP_SPA);
		p = fmt_lit(p, " is-at ");
		return view_arp_addr(p, a, ARP_SHA);
	case 3: /* "Reverse Request who-is THA tell SHA" */
	case 8:
		p = fmt_lit(p, " who-is ");
		p = view_arp_addr(p, a, ARP_THA);
		p = fmt_lit(p, " tell ");
		return view_arp_addr(p, a, ARP_SHA);
	case 4: /* "Reverse Reply THA at TPA" */
	case 9:
		*p++ = ' ';
		p = view_arp_addr(p, a, ARP_THA);
		p = fmt_lit(p, " at ");
		return view_arp_addr(p, a, ARP_TPA);
	default:
		return p;
	}
}

/* ---- HTTP: the first line, bytes outside printable ASCII as \xHH ---- */

char *view_http_bytes(char *p, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = s[i];
		if (ch >= 0x20 && ch < 0x7f) {
			*p++ = (char)ch;
		} else {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	return p;
}

/* ---- the whole summary ---- */

/* Bytes of an HTTP line escaped per room check (4 characters each at most). */
#define HTTP_CHUNK 1024

/* Where the summary is written: room() gives p with at least n free bytes after it (the text view's
   buffer flushes to make them), or NULL when there are not (a bounded buffer: the summary stops there). */
struct app_room {
	char *(*room)(struct app_room *r, char *p, size_t n);
	struct obuf *o;           /* the text view's */
	size_t slack;             /* ... room kept after each piece */
	const char *end;          /* a bounded buffer's end */
};
#define APP_ROOM(r, p, n)                                    \
	do {                                                 \
		char *q_ = (r)->room((r), (p), (n));         \
		if (!q_)                                     \
			return (p);                          \
		(p) = q_;                                    \
	} while (0)

/* The summary of pkt at p, after `lead` (written only when there is a summary). */
static char *app_write(struct app_room *r, char *p, const struct packet *pkt, const char *lead)
{
	size_t ll = strlen(lead);
	switch (pkt->app.kind) {
	case APP_DNS: {
		const struct dns_msg *d = &pkt->app.u.dns;
		if (!(d->have & DNS_HAVE_HEADER))
			return p;
		APP_ROOM(r, p, ll + VIEW_DNS_HEAD_MAX);
		p = fmt_mem(p, lead, ll);
		p = view_dns_head(p, d);
		if (!dns_is_response(d))
			return p;
		size_t off = d->answers;
		for (unsigned i = 0; i < d->nan; i++) {
			struct dns_rr rr;
			const char *why;
			if (dns_rr_read(d, &off, &rr, &why) != DEC_OK)
				break;
			APP_ROOM(r, p, 1 + VIEW_DNS_RR_MAX);
			if (i)
				*p++ = ',';
			p = view_dns_rr(p, d, &rr);
		}
		return p;
	}
	case APP_HTTP: {
		const struct http_line *h = &pkt->app.u.http;
		APP_ROOM(r, p, ll + 6);
		p = fmt_mem(p, lead, ll);
		p = fmt_lit(p, "HTTP: ");
		for (size_t at = 0; at < h->len; at += HTTP_CHUNK) {
			size_t n = h->len - at < HTTP_CHUNK ? h->len - at : HTTP_CHUNK;
			APP_ROOM(r, p, 4 * n);
			p = view_http_bytes(p, h->line + at, n);
		}
		if (h->complete)
			return p;
		APP_ROOM(r, p, 3);
		return fmt_lit(p, "...");
	}
	case APP_ARP:
		APP_ROOM(r, p, ll + VIEW_ARP_MAX);
		p = fmt_mem(p, lead, ll);
		return view_arp(p, &pkt->app.u.arp);
	default:
		return p;
	}
}

static char *app_room_obuf(struct app_room *r, char *p, size_t n)
{
	return obuf_room(r->o, p, n + r->slack);
}

char *view_app_text(struct obuf *o, char *p, const struct packet *pkt, size_t slack)
{
	struct app_room r = { .room = app_room_obuf, .o = o, .slack = slack };
	return app_write(&r, p, pkt, ": ");
}

static char *app_room_bounded(struct app_room *r, char *p, size_t n)
{
	return (size_t)(r->end - p) > n ? p : NULL; /* one byte more: the NUL */
}

size_t view_app_line(char *buf, size_t size, const struct packet *pkt)
{
	if (!size)
		return 0;
	struct app_room r = { .room = app_room_bounded, .end = buf + size };
	char *p = app_write(&r, buf, pkt, "");
	*p = '\0';
	return (size_t)(p - buf);
}
