/* decode_http.c — the first line of an HTTP/1.x message at a TCP segment's start: request-line (RFC 9112 §3) or status-line (§4). */
#include "decode/decode_priv.h"

/* RFC 9110 §9 methods and RFC 5789 PATCH: a segment that starts with one and a space is taken for a request. */
static const struct {
	char name[8];
	uint8_t len;
} http_methods[] = {
	{ "GET", 3 },     { "HEAD", 4 },    { "POST", 4 },  { "PUT", 3 },   { "DELETE", 6 },
	{ "CONNECT", 7 }, { "OPTIONS", 7 }, { "TRACE", 5 }, { "PATCH", 5 },
};

/* The length of the method (and its space) that line starts with, or 0. */
static size_t http_method_len(const uint8_t *line, size_t n)
{
	for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++) {
		size_t k = http_methods[i].len;
		if (n > k && line[k] == ' ' && memcmp(line, http_methods[i].name, k) == 0)
			return k;
	}
	return 0;
}

/* "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3) in the n bytes at v; HTTP/1.x only. */
static bool http_version_ok(const uint8_t *v, size_t n)
{
	return n >= 8 && memcmp(v, "HTTP/1.", 7) == 0 && v[7] >= '0' && v[7] <= '9';
}

/* A visible character (VCHAR, RFC 5234 B.1): what a request-target is made of (RFC 9112 §3.2). */
static bool vchar(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

/* Parses a request line; false when it is not one (invalid). Fills method, target and version as far as
   the n bytes go (the whole line when complete). */
static bool http_request(struct http_line *h, const uint8_t *l, size_t n, size_t mlen)
{
	h->method_len = (uint16_t)mlen;
	size_t i = mlen + 1, t = i;
	while (i < n && vchar(l[i]))
		i++;
	h->target_off = (uint16_t)t;
	h->target_len = (uint16_t)(i - t);
	if (i == n)
		return !h->complete; /* no version: only fine when the line was cut */
	if (l[i] != ' ' || i == t)
		return false; /* a control character in the target, or an empty target */
	i++;
	h->version_off = (uint16_t)i;
	if (n - i < 8)
		return !h->complete && memcmp(l + i, "HTTP/1.", n - i < 7 ? n - i : 7) == 0;
	if (!http_version_ok(l + i, n - i) || (h->complete && n - i != 8))
		return false;
	h->have_version = true;
	return true;
}

/* Parses a status line ("HTTP/1.1 200 OK"); false when it is not one (invalid). */
static bool http_response(struct http_line *h, const uint8_t *l, size_t n)
{
	if (n < 8)
		return !h->complete;
	if (!http_version_ok(l, n))
		return false;
	h->have_version = true;
	if (n == 8)
		return !h->complete;
	if (l[8] != ' ')
		return false;
	/* §4: status-code = 3DIGIT, then SP and the reason phrase (which may be empty). */
	size_t i = 9;
	unsigned code = 0;
	for (; i < n && i < 12; i++) {
		if (l[i] < '0' || l[i] > '9')
			return false;
		code = code * 10 + (unsigned)(l[i] - '0');
	}
	if (i < 12)
		return !h->complete;
	h->status = (uint16_t)code;
	if (i < n && l[i] != ' ')
		return false;
	h->reason_off = (uint16_t)(i < n ? i + 1 : n);
	h->reason_len = (uint16_t)(n - h->reason_off);
	for (size_t k = h->reason_off; k < n; k++) /* reason-phrase: HTAB, SP, VCHAR, obs-text */
		if (l[k] != '\t' && l[k] != ' ' && !vchar(l[k]) && l[k] < 0x80)
			return false;
	return true;
}

/* The longest first line kept: line lengths and offsets are 16-bit. */
#define HTTP_LINE_MAX 0xffff

enum dec_status decode_http(struct decode_ctx *ctx, const struct cursor *c, uint32_t wire)
{
	const uint8_t *l = c->p;
	size_t n = cursor_left(c);
	if (n > HTTP_LINE_MAX) /* only the first 65535 bytes are looked at: a longer line is not complete */
		n = HTTP_LINE_MAX;
	size_t mlen = http_method_len(l, n);
	bool response = !mlen && n >= 7 && memcmp(l, "HTTP/1.", 7) == 0;
	if (!mlen && !response)
		return DEC_OK; /* "HEADER", "HTTP/2"...: not an HTTP/1.x first line */
	struct packet *pkt = ctx->pkt;
	struct http_line *h = &pkt->app.u.http;
	pkt->app.kind = APP_HTTP;
	memset(h, 0, sizeof *h);
	h->line = l;
	h->response = response;
	/* §2.2: lines end in CRLF; a recipient may take a bare LF for one. */
	const uint8_t *lf = memchr(l, '\n', n);
	size_t len = lf ? (size_t)(lf - l) : n;
	h->complete = lf != NULL;
	if (lf && len && l[len - 1] == '\r')
		len--;
	h->len = (uint16_t)len;
	bool ok = response ? http_response(h, l, len) : http_request(h, l, len, mlen);
	if (!ok)
		return decode_ip_invalid(ctx, LAYER_HTTP, response ? "status line" : "request line");
	if (!h->complete && cursor_left(c) < wire && n == cursor_left(c))
		return decode_ip_truncated(ctx, LAYER_HTTP); /* the capture ended inside the line */
	return DEC_OK; /* whole, or going on in the next segment */
}
