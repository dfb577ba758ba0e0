/* decode_dns.c — DNS messages (RFC 1035 §4.1, over TCP §4.2.2): header, questions and records, names with compression (§4.1.4), EDNS's RCODE bits (RFC 6891). */
#include "decode/decode_priv.h"

#define DNS_HEADER_LEN 12
#define DNS_NAME_MAX 255     /* RFC 1035 §3.1: octets of a name on the wire, length octets included */
#define DNS_MAX_POINTERS 63  /* compression pointers followed in one name: more is a loop or an attack */

/* RR types whose data the views show (RFC 1035 §3.2.2, RFC 3596 AAAA, RFC 2782 SRV, RFC 6672 DNAME). */
enum {
	T_A = 1,
	T_NS = 2,
	T_CNAME = 5,
	T_SOA = 6,
	T_PTR = 12,
	T_MX = 15,
	T_TXT = 16,
	T_AAAA = 28,
	T_SRV = 33,
	T_DNAME = 39,
};

/* A cursor over the captured bytes of the message from off on (empty when off is past them). */
static struct cursor dns_at(const struct dns_msg *d, size_t off)
{
	struct cursor c = cursor_make(d->msg, d->cap);
	if (!cursor_skip(&c, off))
		c.p = c.end;
	return c;
}

struct cursor dns_cursor(const struct dns_msg *d, size_t off, size_t len)
{
	struct cursor c = dns_at(d, off);
	return cursor_sub(&c, len);
}

/* Reading `need` bytes from the message's start ran past what was captured: the capture ended first
   (truncated), or the message itself did (invalid, `why`). */
static enum dec_status dns_short(const struct dns_msg *d, size_t need, const char **why, const char *what)
{
	if (need > d->wire) {
		*why = what;
		return DEC_INVALID;
	}
	return DEC_TRUNCATED;
}

/* One label's bytes as RFC 1035 §5.1 master-file text: \. and \\ for a dot or backslash in it, \DDD for a
   byte that is not printable ASCII or is a space. */
static size_t dns_label_text(char *t, const uint8_t *b, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = b[i];
		if (ch == '.' || ch == '\\') {
			t[k++] = '\\';
			t[k++] = (char)ch;
		} else if (ch > 0x20 && ch < 0x7f) {
			t[k++] = (char)ch;
		} else {
			t[k++] = '\\';
			t[k++] = (char)('0' + ch / 100);
			t[k++] = (char)('0' + ch / 10 % 10);
			t[k++] = (char)('0' + ch % 10);
		}
	}
	return k;
}

enum dec_status dns_name_read(const struct dns_msg *d, size_t off, size_t *end, char *text, const char **why)
{
	size_t pos = off, lowest = off, octets = 0, t = 0; /* octets: of the labels read, length bytes included */
	int pointers = 0;
	bool jumped = false;
	for (;;) {
		struct cursor c = dns_at(d, pos);
		uint8_t len;
		if (!cursor_u8(&c, &len))
			return dns_short(d, pos + 1, why, "name runs past the message");
		if ((len & 0xc0) == 0xc0) {
			uint8_t lo;
			if (!cursor_u8(&c, &lo))
				return dns_short(d, pos + 2, why, "name runs past the message");
			size_t target = (size_t)(len & 0x3f) << 8 | lo;
			if (!jumped)
				*end = pos + 2;
			jumped = true;
			/* §4.1.4: a pointer names a prior occurrence. Before everything this name has read so far,
			   so that every walk ends. */
			if (target >= lowest) {
				*why = "compression pointer does not point back";
				return DEC_INVALID;
			}
			if (++pointers > DNS_MAX_POINTERS) {
				*why = "too many compression pointers";
				return DEC_INVALID;
			}
			pos = lowest = target;
			continue;
		}
		if (len & 0xc0) { /* 01 and 10: extended label types (RFC 6891 §5), not in use */
			*why = "label type";
			return DEC_INVALID;
		}
		octets += 1u + len;
		if (octets > DNS_NAME_MAX) {
			*why = "name longer than 255 octets";
			return DEC_INVALID;
		}
		if (len == 0)
			break;
		struct cursor label = cursor_sub(&c, len);
		if (!cursor_skip(&c, len))
			return dns_short(d, pos + 1 + len, why, "name runs past the message");
		if (text) {
			t += dns_label_text(text + t, label.p, len);
			text[t++] = '.';
		}
		pos += 1u + len;
	}
	if (!jumped)
		*end = pos + 1;
	if (text) {
		if (!t)
			text[t++] = '.'; /* the root */
		text[t] = '\0';
	}
	return DEC_OK;
}

/* The data of a record whose type the views show: checked and read into rr. */
static enum dec_status dns_rdata(const struct dns_msg *d, struct dns_rr *rr, const char **why)
{
	size_t end;
	enum dec_status st;
	struct cursor c = dns_cursor(d, rr->rdata, rr->rdlen);
	switch (rr->type) {
	case T_A:
	case T_AAAA: {
		size_t n = rr->type == T_A ? 4 : 16;
		if (rr->rdlen != n) {
			*why = rr->type == T_A ? "A record length" : "AAAA record length";
			return DEC_INVALID;
		}
		cursor_bytes(&c, rr->addr, n);
		return DEC_OK;
	}
	case T_MX:
	case T_SRV: {
		size_t fixed = rr->type == T_MX ? 2 : 6;
		if (rr->rdlen < fixed + 1) {
			*why = rr->type == T_MX ? "MX record length" : "SRV record length";
			return DEC_INVALID;
		}
		cursor_be16(&c, &rr->pref);
		if (rr->type == T_SRV) {
			cursor_be16(&c, &rr->weight);
			cursor_be16(&c, &rr->port);
		}
		rr->target = (uint16_t)(rr->rdata + fixed);
		break;
	}
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case T_DNAME:
	case T_SOA:
		rr->target = rr->rdata;
		break;
	default:
		return DEC_OK;
	}
	st = dns_name_read(d, rr->target, &end, NULL, why);
	if (st != DEC_OK)
		return st;
	/* The name's own bytes (up to its first pointer) lie inside the data. */
	if (end > (size_t)rr->rdata + rr->rdlen) {
		*why = "name runs past the record's data";
		return DEC_INVALID;
	}
	rr->have_target = true;
	return DEC_OK;
}

enum dec_status dns_rr_read(const struct dns_msg *d, size_t *off, struct dns_rr *rr, const char **why)
{
	size_t end;
	memset(rr, 0, sizeof *rr);
	enum dec_status st = dns_name_read(d, *off, &end, NULL, why);
	if (st != DEC_OK)
		return st;
	/* §4.1.3: TYPE, CLASS, TTL, RDLENGTH, then RDLENGTH bytes of RDATA. */
	struct cursor c = dns_at(d, end);
	uint8_t f[10];
	if (!cursor_bytes(&c, f, sizeof f))
		return dns_short(d, end + sizeof f, why, "record runs past the message");
	rr->name = (uint16_t)*off;
	rr->type = bytes_be16(f);
	rr->cls = bytes_be16(f + 2);
	rr->ttl = bytes_be32(f + 4);
	rr->rdlen = bytes_be16(f + 8);
	size_t rdata = end + sizeof f;
	if (rdata + rr->rdlen > d->wire) {
		*why = "record data runs past the message";
		return DEC_INVALID;
	}
	if (rdata + rr->rdlen > d->cap)
		return DEC_TRUNCATED;
	rr->rdata = (uint16_t)rdata;
	st = dns_rdata(d, rr, why);
	if (st == DEC_OK)
		*off = rdata + rr->rdlen;
	return st;
}

bool dns_txt_next(const struct dns_msg *d, const struct dns_rr *rr, size_t *pos, struct cursor *s)
{
	/* RFC 1035 §3.3.14: one or more <character-string>s, each a length byte and that many bytes. */
	struct cursor c = dns_cursor(d, rr->rdata, rr->rdlen);
	uint8_t len;
	if (!cursor_skip(&c, *pos) || !cursor_u8(&c, &len) || !cursor_has(&c, len))
		return false;
	*s = cursor_sub(&c, len);
	*pos += 1u + len;
	return true;
}

/* The message's status: ok, or the layer's truncation or invalid field recorded on the packet. */
static enum dec_status dns_end(struct decode_ctx *ctx, enum dec_status st, const char *why)
{
	if (st == DEC_TRUNCATED)
		return decode_ip_truncated(ctx, LAYER_DNS);
	if (st == DEC_INVALID)
		return decode_ip_invalid(ctx, LAYER_DNS, why);
	return DEC_OK;
}

enum dec_status decode_dns(struct decode_ctx *ctx, struct cursor *c, uint32_t wire, bool tcp)
{
	if (tcp) {
		/* §4.2.2: a 2-byte length, then the message. A segment that does not hold one whole message from
		   its start (a message continued from an earlier segment, or going on in later ones) is left
		   undecoded: without reassembly its bytes cannot be told apart from a message's start. */
		uint16_t mlen;
		if (wire < 2 || !cursor_be16(c, &mlen) || (uint32_t)mlen + 2 > wire)
			return DEC_OK;
		wire = mlen;
	}
	if (wire == 0)
		return DEC_OK;
	struct packet *pkt = ctx->pkt;
	struct dns_msg *d = &pkt->app.u.dns;
	pkt->app.kind = APP_DNS;
	memset(d, 0, sizeof *d);
	d->msg = c->p;
	d->wire = (uint16_t)(wire > 0xffff ? 0xffff : wire); /* a message is at most 65535 bytes */
	d->cap = (uint16_t)(cursor_left(c) < d->wire ? cursor_left(c) : d->wire);
	d->tcp = tcp;
	const char *why = NULL;
	uint8_t h[DNS_HEADER_LEN];
	struct cursor m = dns_at(d, 0);
	if (!cursor_bytes(&m, h, sizeof h)) {
		enum dec_status st = dns_short(d, sizeof h, &why, "message shorter than its header");
		return dns_end(ctx, st, why);
	}
	d->id = bytes_be16(h);
	d->flags = bytes_be16(h + 2);
	d->qdcount = bytes_be16(h + 4);
	d->ancount = bytes_be16(h + 6);
	d->nscount = bytes_be16(h + 8);
	d->arcount = bytes_be16(h + 10);
	d->have = DNS_HAVE_HEADER;

	/* §4.1.2: each question is a name, QTYPE and QCLASS. */
	size_t off = DNS_HEADER_LEN, end;
	for (unsigned i = 0; i < d->qdcount; i++) {
		enum dec_status st = dns_name_read(d, off, &end, NULL, &why);
		if (st != DEC_OK)
			return dns_end(ctx, st, why);
		struct cursor q = dns_at(d, end);
		uint8_t tc[4];
		if (!cursor_bytes(&q, tc, sizeof tc)) {
			st = dns_short(d, end + sizeof tc, &why, "question runs past the message");
			return dns_end(ctx, st, why);
		}
		if (i == 0) {
			d->qname = (uint16_t)off;
			d->qtype = bytes_be16(tc);
			d->qclass = bytes_be16(tc + 2);
			d->have |= DNS_HAVE_QUESTION;
		}
		off = end + sizeof tc;
	}
	/* §4.1.3: answer, authority and additional records; an OPT among the additional ones carries the upper
	   bits of the RCODE (RFC 6891 §6.1.3). */
	d->answers = (uint16_t)off;
	unsigned records = (unsigned)d->ancount + d->nscount + d->arcount;
	for (unsigned i = 0; i < records; i++) {
		struct dns_rr rr;
		enum dec_status st = dns_rr_read(d, &off, &rr, &why);
		if (st != DEC_OK)
			return dns_end(ctx, st, why);
		if (i < d->ancount)
			d->nan++;
		else if (i >= (unsigned)d->ancount + d->nscount && rr.type == 41 && !(d->have & DNS_HAVE_OPT)) {
			d->rcode_hi = (uint8_t)(rr.ttl >> 24);
			d->have |= DNS_HAVE_OPT;
		}
	}
	return DEC_OK;
}
