/* events.c — parses sockdemo's --events JSON lines (strict flat-object parser), follows the file, formats strace lines. */
#include "calls/events.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/endpoint_fmt.h"
#include "common/errnames.h"
#include "common/strace.h"
#include "common/tok.h"

/* ---- endpoints ---- */

bool events_parse_endpoint(const char *s, struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN];
	const char *colon;
	struct endpoint e;
	memset(&e, 0, sizeof e);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (inet_pton(AF_INET6, host, e.addr) != 1)
			return false;
		e.af = 6;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof host)
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		if (inet_pton(AF_INET, host, e.addr) != 1)
			return false;
		e.af = 4;
	}
	const char *p = colon + 1;
	if (*p < '0' || *p > '9')
		return false;
	unsigned long port = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		port = port * 10 + (unsigned long)(*p - '0');
		if (port > 65535)
			return false;
	}
	e.port = (uint16_t)port;
	*ep = e;
	return true;
}

int events_format_endpoint(const struct endpoint *ep, char *buf, size_t n)
{
	return endpoint_format(ep, buf, n);
}

/* ---- a strict parser for one flat JSON object (RFC 8259 grammar, values without nesting) ---- */

struct jp {
	const char *s;  /* the line */
	size_t i;       /* next byte */
	char *err;
	size_t errlen;
};

enum jtype { J_STRING, J_INT, J_NULL, J_BOOL, J_NUMBER };

/* One parsed value; strings are decoded into str (cut to fit, with cut set). */
struct jvalue {
	enum jtype type;
	int64_t i;      /* J_INT */
	bool b;         /* J_BOOL */
	char str[SOCKEV_ARGS_MAX];
	size_t len;     /* bytes in str (without the terminator) */
	bool cut;       /* the string was longer than str */
	size_t col;     /* 1-based column where the value starts */
};

static bool jp_fail(struct jp *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool jp_fail(struct jp *p, size_t at, const char *fmt, ...)
{
	if (p->errlen == 0)
		return false;
	int k = snprintf(p->err, p->errlen, "column %zu: ", at + 1);
	if (k >= 0 && (size_t)k < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return false;
}

static void jp_ws(struct jp *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' || p->s[p->i] == '\n')
		p->i++;
}

/* Appends one byte to the decoded string, noting when it no longer fits. */
static void jv_put(struct jvalue *v, char c)
{
	if (v->len + 1 < sizeof v->str)
		v->str[v->len++] = c;
	else
		v->cut = true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool jp_hex4(struct jp *p, unsigned *u)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(p->s[p->i + (size_t)k]);
		if (h < 0)
			return jp_fail(p, p->i + (size_t)k, "\\u needs four hex digits");
		v = v << 4 | (unsigned)h;
	}
	p->i += 4;
	*u = v;
	return true;
}

static void jv_put_utf8(struct jvalue *v, unsigned cp)
{
	if (cp < 0x80) {
		jv_put(v, (char)cp);
	} else if (cp < 0x800) {
		jv_put(v, (char)(0xc0 | cp >> 6));
		jv_put(v, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		jv_put(v, (char)(0xe0 | cp >> 12));
		jv_put(v, (char)(0x80 | (cp >> 6 & 0x3f)));
		jv_put(v, (char)(0x80 | (cp & 0x3f)));
	} else {
		jv_put(v, (char)(0xf0 | cp >> 18));
		jv_put(v, (char)(0x80 | (cp >> 12 & 0x3f)));
		jv_put(v, (char)(0x80 | (cp >> 6 & 0x3f)));
		jv_put(v, (char)(0x80 | (cp & 0x3f)));
	}
}

/* A string starting at the opening quote; decoded into v->str. */
static bool jp_string(struct jp *p, struct jvalue *v)
{
	size_t open = p->i;
	v->type = J_STRING;
	v->len = 0;
	v->cut = false;
	p->i++; /* the quote */
	for (;;) {
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '\0')
			return jp_fail(p, open, "string not terminated");
		if (c == '"') {
			p->i++;
			break;
		}
		if (c < 0x20)
			return jp_fail(p, p->i, "control character 0x%02x inside a string (must be escaped)", c);
		if (c != '\\') {
			jv_put(v, (char)c);
			p->i++;
			continue;
		}
		char e = p->s[p->i + 1];
		p->i += 2;
		switch (e) {
		case '"': jv_put(v, '"'); break;
		case '\\': jv_put(v, '\\'); break;
		case '/': jv_put(v, '/'); break;
		case 'b': jv_put(v, '\b'); break;
		case 'f': jv_put(v, '\f'); break;
		case 'n': jv_put(v, '\n'); break;
		case 'r': jv_put(v, '\r'); break;
		case 't': jv_put(v, '\t'); break;
		case 'u': {
			unsigned u;
			if (!jp_hex4(p, &u))
				return false;
			if (u >= 0xd800 && u < 0xdc00) { /* high surrogate: a low one must follow */
				unsigned lo;
				if (p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
					return jp_fail(p, p->i, "high surrogate \\u%04x without its low half", u);
				p->i += 2;
				if (!jp_hex4(p, &lo))
					return false;
				if (lo < 0xdc00 || lo > 0xdfff)
					return jp_fail(p, p->i - 6, "\\u%04x is not a low surrogate", lo);
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return jp_fail(p, p->i - 6, "lone low surrogate \\u%04x", u);
			}
			if (u == 0)
				return jp_fail(p, p->i - 6, "\\u0000 is not allowed in these strings");
			jv_put_utf8(v, u);
			break;
		}
		case '\0':
			return jp_fail(p, p->i - 2, "string not terminated");
		default:
			return jp_fail(p, p->i - 1, "unknown escape \\%c", e);
		}
	}
	v->str[v->len] = '\0';
	return true;
}

/* A JSON number; J_INT when it is an integer that fits int64, else J_NUMBER (only for ignored keys). */
static bool jp_number(struct jp *p, struct jvalue *v)
{
	size_t start = p->i;
	bool neg = false;
	uint64_t mag = 0;
	bool overflow = false;
	if (p->s[p->i] == '-') {
		neg = true;
		p->i++;
	}
	if (p->s[p->i] < '0' || p->s[p->i] > '9')
		return jp_fail(p, p->i, "expected a digit");
	if (p->s[p->i] == '0' && p->s[p->i + 1] >= '0' && p->s[p->i + 1] <= '9')
		return jp_fail(p, p->i, "leading zero in a number");
	while (p->s[p->i] >= '0' && p->s[p->i] <= '9') {
		unsigned d = (unsigned)(p->s[p->i] - '0');
		if (mag > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			mag = mag * 10 + d;
		p->i++;
	}
	bool integral = true;
	if (p->s[p->i] == '.') {
		integral = false;
		p->i++;
		if (p->s[p->i] < '0' || p->s[p->i] > '9')
			return jp_fail(p, p->i, "expected a digit after '.'");
		while (p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	if (p->s[p->i] == 'e' || p->s[p->i] == 'E') {
		integral = false;
		p->i++;
		if (p->s[p->i] == '+' || p->s[p->i] == '-')
			p->i++;
		if (p->s[p->i] < '0' || p->s[p->i] > '9')
			return jp_fail(p, p->i, "expected a digit in the exponent");
		while (p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	v->col = start + 1;
	if (!integral || overflow || mag > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) {
		v->type = J_NUMBER;
		return true;
	}
	v->type = J_INT;
	v->i = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
	return true;
}

static bool jp_literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(p->s + p->i, word, n) != 0)
		return false;
	p->i += n;
	return true;
}

static bool jp_value(struct jp *p, struct jvalue *v)
{
	v->col = p->i + 1;
	char c = p->s[p->i];
	if (c == '"')
		return jp_string(p, v);
	if (c == '-' || (c >= '0' && c <= '9'))
		return jp_number(p, v);
	if (jp_literal(p, "null")) {
		v->type = J_NULL;
		return true;
	}
	if (jp_literal(p, "true")) {
		v->type = J_BOOL;
		v->b = true;
		return true;
	}
	if (jp_literal(p, "false")) {
		v->type = J_BOOL;
		v->b = false;
		return true;
	}
	if (c == '{' || c == '[')
		return jp_fail(p, p->i, "nested objects and arrays are not part of the events schema");
	if (c == '\0')
		return jp_fail(p, p->i, "line ends where a value should be");
	return jp_fail(p, p->i, "expected a value (string, integer, null, true or false)");
}

/* Known keys, as bits so duplicates and missing required keys are caught. */
enum {
	K_TS = 1u << 0, K_DUR = 1u << 1, K_PID = 1u << 2, K_ROLE = 1u << 3, K_CALL = 1u << 4,
	K_FD = 1u << 5, K_ARGS = 1u << 6, K_RET = 1u << 7, K_ERRNO = 1u << 8, K_LOCAL = 1u << 9,
	K_REMOTE = 1u << 10,
};
static const struct tok key_table[] = {
	{ K_TS, "ts" }, { K_DUR, "dur" }, { K_PID, "pid" }, { K_ROLE, "role" }, { K_CALL, "call" },
	{ K_FD, "fd" }, { K_ARGS, "args" }, { K_RET, "ret" }, { K_ERRNO, "errno" }, { K_LOCAL, "local" },
	{ K_REMOTE, "remote" },
	{ 0, NULL },
};
#define K_REQUIRED (K_TS | K_PID | K_CALL | K_RET)

static bool want_int(struct jp *p, const struct jvalue *v, const char *key, int64_t lo, int64_t hi,
		     int64_t *out)
{
	if (v->type != J_INT)
		return jp_fail(p, v->col - 1, "\"%s\" must be an integer", key);
	if (v->i < lo || v->i > hi)
		return jp_fail(p, v->col - 1, "\"%s\" is out of range (%" PRId64 ")", key, v->i);
	*out = v->i;
	return true;
}

/* Copies a short identifier string (role, call, errno name) that must fit its field whole. */
static bool want_name(struct jp *p, const struct jvalue *v, const char *key, char *dst, size_t n)
{
	if (v->type != J_STRING)
		return jp_fail(p, v->col - 1, "\"%s\" must be a string", key);
	if (v->cut || v->len >= n)
		return jp_fail(p, v->col - 1, "\"%s\" is longer than %zu bytes", key, n - 1);
	memcpy(dst, v->str, v->len + 1);
	return true;
}

static bool want_endpoint(struct jp *p, const struct jvalue *v, const char *key, struct endpoint *ep)
{
	if (v->type == J_NULL) {
		memset(ep, 0, sizeof *ep);
		return true;
	}
	if (v->type != J_STRING)
		return jp_fail(p, v->col - 1, "\"%s\" must be an endpoint string or null", key);
	if (v->len == 0) {
		memset(ep, 0, sizeof *ep);
		return true;
	}
	if (v->cut || !events_parse_endpoint(v->str, ep))
		return jp_fail(p, v->col - 1, "\"%s\" is not ADDR:PORT or [ADDR6]:PORT: \"%.60s\"", key, v->str);
	return true;
}

static bool assign(struct jp *p, unsigned key, const struct jvalue *v, struct sock_event *ev)
{
	int64_t x;
	switch (key) {
	case K_TS:
		return want_int(p, v, "ts", 0, INT64_MAX, &ev->ts_us);
	case K_DUR:
		return want_int(p, v, "dur", 0, INT64_MAX, &ev->dur_us);
	case K_PID:
		if (!want_int(p, v, "pid", 0, INT32_MAX, &x))
			return false;
		ev->pid = (int32_t)x;
		return true;
	case K_ROLE:
		if (v->type == J_NULL) {
			ev->role[0] = '\0';
			return true;
		}
		return want_name(p, v, "role", ev->role, sizeof ev->role);
	case K_CALL:
		if (!want_name(p, v, "call", ev->call, sizeof ev->call))
			return false;
		if (ev->call[0] == '\0')
			return jp_fail(p, v->col - 1, "\"call\" is empty");
		return true;
	case K_FD:
		if (v->type == J_NULL) {
			ev->fd = -1;
			return true;
		}
		if (!want_int(p, v, "fd", -1, INT32_MAX, &x))
			return false;
		ev->fd = (int32_t)x;
		return true;
	case K_ARGS:
		if (v->type != J_STRING)
			return jp_fail(p, v->col - 1, "\"args\" must be a string");
		memcpy(ev->args, v->str, v->len + 1);
		if (v->cut) /* keep the start, mark the cut */
			memcpy(ev->args + sizeof ev->args - 4, "...", 4);
		return true;
	case K_RET:
		return want_int(p, v, "ret", INT64_MIN, INT64_MAX, &ev->ret);
	case K_ERRNO:
		if (v->type == J_NULL) {
			ev->err = 0;
			ev->errname[0] = '\0';
			return true;
		}
		if (!want_name(p, v, "errno", ev->errname, sizeof ev->errname))
			return false;
		ev->err = errno_value(ev->errname); /* 0 for a name this table does not know */
		return true;
	case K_LOCAL:
		return want_endpoint(p, v, "local", &ev->local);
	case K_REMOTE:
		return want_endpoint(p, v, "remote", &ev->remote);
	}
	return true;
}

bool events_parse_line(const char *line, struct sock_event *ev, char *err, size_t errlen)
{
	struct jp p = { line, 0, err, errlen };
	struct jvalue key, val;
	unsigned seen = 0;
	if (errlen)
		err[0] = '\0';
	memset(ev, 0, sizeof *ev);
	ev->fd = -1;
	jp_ws(&p);
	if (line[p.i] != '{')
		return jp_fail(&p, p.i, "expected '{' to start the object");
	p.i++;
	jp_ws(&p);
	if (line[p.i] == '}') {
		p.i++;
	} else {
		for (;;) {
			jp_ws(&p);
			if (line[p.i] != '"')
				return jp_fail(&p, p.i, "expected a key in double quotes");
			size_t keycol = p.i;
			if (!jp_string(&p, &key))
				return false;
			jp_ws(&p);
			if (line[p.i] != ':')
				return jp_fail(&p, p.i, "expected ':' after key \"%.40s\"", key.str);
			p.i++;
			jp_ws(&p);
			if (!jp_value(&p, &val))
				return false;
			unsigned bit = key.cut ? 0 : str2tok(key_table, key.str, 0);
			if (bit) {
				if (seen & bit)
					return jp_fail(&p, keycol, "duplicate key \"%s\"", key.str);
				seen |= bit;
				if (!assign(&p, bit, &val, ev))
					return false;
			}
			jp_ws(&p);
			if (line[p.i] == ',') {
				p.i++;
				continue;
			}
			if (line[p.i] == '}') {
				p.i++;
				break;
			}
			if (line[p.i] == '\0')
				return jp_fail(&p, p.i, "line ends inside the object (missing '}')");
			return jp_fail(&p, p.i, "expected ',' or '}' after a value");
		}
	}
	jp_ws(&p);
	if (line[p.i] != '\0')
		return jp_fail(&p, p.i, "text after the closing '}'");
	for (const struct tok *k = key_table; k->s; k++)
		if ((K_REQUIRED & k->v) && !(seen & k->v))
			return jp_fail(&p, p.i, "missing key \"%s\"", k->s);
	return true;
}

/* ---- strace-style line ---- */

int events_format_strace(const struct sock_event *ev, char *buf, size_t n)
{
	return strace_call(buf, n, ev->call, ev->args, ev->ret, ev->err, ev->errname, ev->retnote);
}

/* ---- the reader ---- */

static void set_err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t n, const char *fmt, ...)
{
	if (!n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

bool events_reader_open(struct events_reader *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	snprintf(r->path, sizeof r->path, "%s", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		set_err(err, errlen,
			"cannot open events file '%s': %s; fix: start sockdemo with --events %s first, or give "
			"the path it writes",
			path, strerror(errno), path);
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		set_err(err, errlen, "events file '%s' is a directory; fix: give the file sockdemo --events writes",
			path);
		return false;
	}
	r->fd = fd;
	return true;
}

void events_reader_close(struct events_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Moves the unconsumed bytes to the front and reads what the file holds now (never blocks). */
static enum events_status reader_fill(struct events_reader *r, char *err, size_t errlen)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	if (r->len == sizeof r->buf)
		return EVENTS_NONE; /* full of one line: the caller handles it */
	struct stat st;
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < r->offset) {
		/* Truncated (sockdemo restarted the file): start again from the top. */
		lseek(r->fd, 0, SEEK_SET);
		r->offset = 0;
		r->len = 0;
		r->lineno = 0;
		r->discarding = false;
	}
	ssize_t got;
	do
		got = read(r->fd, r->buf + r->len, sizeof r->buf - r->len);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		if (errno == EAGAIN)
			return EVENTS_NONE;
		set_err(err, errlen, "cannot read events file '%s': %s", r->path, strerror(errno));
		return EVENTS_ERROR;
	}
	r->eof = got == 0;
	r->len += (size_t)got;
	r->offset += got;
	return got ? EVENTS_EVENT : EVENTS_NONE;
}

enum events_status events_reader_next(struct events_reader *r, struct sock_event *ev, char *err,
				      size_t errlen)
{
	if (r->fd < 0) {
		set_err(err, errlen, "events file '%s' is not open", r->path);
		return EVENTS_ERROR;
	}
	for (;;) {
		char *line = r->buf + r->start;
		char *nl = memchr(line, '\n', r->len - r->start);
		if (nl) {
			*nl = '\0';
			r->start = (size_t)(nl - r->buf) + 1;
			r->lineno++;
			if (r->discarding) { /* the tail of an over-long line, already reported */
				r->discarding = false;
				continue;
			}
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			size_t k = 0;
			while (line[k] == ' ' || line[k] == '\t')
				k++;
			if (line[k] == '\0')
				continue; /* blank lines carry nothing */
			char why[160];
			if (events_parse_line(line, ev, why, sizeof why)) {
				r->events++;
				return EVENTS_EVENT;
			}
			r->malformed++;
			set_err(err, errlen, "%s:%" PRIu64 ": %s", r->path, r->lineno, why);
			return EVENTS_BAD;
		}
		if (r->start == 0 && r->len == sizeof r->buf) {
			/* A line longer than the buffer: report it once, drop bytes up to its newline. */
			bool was = r->discarding;
			r->len = 0;
			if (!was) {
				r->discarding = true;
				r->malformed++;
				set_err(err, errlen, "%s:%" PRIu64 ": line longer than %d bytes", r->path, r->lineno + 1,
					EVENTS_LINE_MAX);
				return EVENTS_BAD;
			}
		}
		enum events_status s = reader_fill(r, err, errlen);
		if (s != EVENTS_EVENT)
			return s;
	}
}
