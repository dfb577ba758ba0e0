/* tui_fmt.c — text of the TUI's packet rows, flag and event labels, hex dump lines and follow-view lines. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_core.h"
#include "calls/events.h"

/* A bounded string being appended to; output past size is dropped, the text stays NUL-terminated. */
struct sbuf {
	char *b;
	size_t size, len;
};

static void sb_init(struct sbuf *s, char *b, size_t size)
{
	s->b = b;
	s->size = size;
	s->len = 0;
	if (size)
		b[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *s, const char *fmt, ...)
{
	if (s->len + 1 >= s->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->b + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	s->len += (size_t)n;
	if (s->len >= s->size)
		s->len = s->size - 1;
}

/* `text` in a column of exactly w characters: padded, or cut keeping its tail behind a '~'. */
static void sb_column(struct sbuf *s, const char *text, int w, bool keep_tail)
{
	size_t n = strlen(text);
	if (n <= (size_t)w) {
		sb_printf(s, "%-*s", w, text);
	} else if (keep_tail) {
		sb_printf(s, "~%s", text + n - (size_t)(w - 1));
	} else {
		sb_printf(s, "%.*s~", w - 1, text);
	}
}

static bool fmt_is_echo(const struct pkt_summary *p)
{
	if (p->l4 == L4_ICMP)
		return p->icmp_type == 0 || p->icmp_type == 8;
	return p->icmp_type == 128 || p->icmp_type == 129;
}

enum row_class fmt_class(const struct pkt_summary *p)
{
	const uint32_t analysis = EV_RETRANSMISSION | EV_FAST_RETRANSMISSION | EV_SPURIOUS_RETRANSMISSION |
				  EV_OUT_OF_ORDER | EV_DUP_ACK | EV_PREV_NOT_CAPTURED | EV_ZERO_WINDOW |
				  EV_WINDOW_FULL;
	if (p->l4 == L4_TCP && (p->tcpflags & TCP_RST))
		return RC_RST;
	if (p->has_icmp && p->icmp_err)
		return RC_ICMP_ERR;
	if (p->status != DEC_OK || p->link_unsupported)
		return RC_BAD;
	if (p->events & analysis)
		return RC_RETRANS;
	if (p->l4 == L4_TCP && (p->tcpflags & TCP_SYN))
		return RC_SYN;
	if (p->l4 == L4_TCP && (p->tcpflags & TCP_FIN))
		return RC_FIN;
	switch (p->l4) {
	case L4_TCP:
		return RC_TCP;
	case L4_UDP:
		return RC_UDP;
	case L4_ICMP:
	case L4_ICMP6:
		return RC_ICMP;
	default:
		return RC_OTHER;
	}
}

char *fmt_flags_words(uint16_t flags, char *buf, size_t size)
{
	/* Wireshark's order: the bits from FIN upwards. */
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {
		{ TCP_FIN, "FIN" }, { TCP_SYN, "SYN" }, { TCP_RST, "RST" }, { TCP_PSH, "PSH" }, { TCP_ACK, "ACK" },
		{ TCP_URG, "URG" }, { TCP_ECE, "ECE" }, { TCP_CWR, "CWR" }, { TCP_NS, "NS" },
	};
	struct sbuf s;
	sb_init(&s, buf, size);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit)
			sb_printf(&s, "%s%s", s.len ? ", " : "", names[i].name);
	if (!s.len)
		sb_printf(&s, "none");
	return buf;
}

size_t fmt_events(char *buf, size_t size, uint32_t events, uint32_t dup_ack_n)
{
	/* Short labels for the list; flow_event_name() gives the long ones in the details pane. */
	static const struct {
		uint32_t bit;
		const char *label;
	} labels[] = {
		{ EV_REFUSED, "Refused" },
		{ EV_PORT_REUSE, "Port reuse" },
		{ EV_RETRANSMISSION, "Retransmission" },
		{ EV_FAST_RETRANSMISSION, "Fast retransmission" },
		{ EV_SPURIOUS_RETRANSMISSION, "Spurious retransmission" },
		{ EV_OUT_OF_ORDER, "Out-of-order" },
		{ EV_PREV_NOT_CAPTURED, "Previous segment not captured" },
		{ EV_ZERO_WINDOW_PROBE, "Zero window probe" },
		{ EV_ZERO_WINDOW, "Zero window" },
		{ EV_WINDOW_FULL, "Window full" },
		{ EV_WINDOW_UPDATE, "Window update" },
		{ EV_KEEP_ALIVE, "Keep-alive" },
	};
	struct sbuf s;
	sb_init(&s, buf, size);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (events & labels[i].bit)
			sb_printf(&s, "[%s] ", labels[i].label);
	if (events & EV_DUP_ACK)
		sb_printf(&s, "[Dup ACK #%" PRIu32 "] ", dup_ack_n);
	return s.len;
}

char *fmt_endpoint(char *buf, size_t size, uint8_t af, const uint8_t *addr, bool port, uint16_t p)
{
	char a[INET6_ADDRSTRLEN];
	if (af == 4)
		inet_ntop(AF_INET, addr, a, sizeof a);
	else if (af == 6)
		inet_ntop(AF_INET6, addr, a, sizeof a);
	else
		a[0] = '\0';
	if (!port || !af)
		snprintf(buf, size, "%s", a);
	else if (af == 6)
		snprintf(buf, size, "[%s]:%u", a, p);
	else
		snprintf(buf, size, "%s:%u", a, p);
	return buf;
}

/* Seconds since t0 in w (8 or 9) columns, with as many decimals as fit. */
static char *fmt_time_col(char *buf, size_t size, int64_t ts_ns, int64_t t0_ns, int w)
{
	double rel = (double)(ts_ns - t0_ns) / 1e9;
	int lim = w == 8 ? 10 : 100;
	if (rel > -1 && rel < lim)
		snprintf(buf, size, "%*.6f", w, rel);
	else if (rel > -1000 && rel < 10000)
		snprintf(buf, size, "%*.3f", w, rel);
	else
		snprintf(buf, size, "%*.0f", w, rel);
	return buf;
}

char *fmt_reltime(char *buf, size_t size, int64_t ts_ns, int64_t t0_ns)
{
	return fmt_time_col(buf, size, ts_ns, t0_ns, 9);
}

/* The Time column is 8 wide on narrow screens (one more character for Info), 9 otherwise. */
static int fmt_time_width(int width)
{
	return width < 100 ? 8 : 9;
}

/* Endpoint column width for a screen width: IPv4 with port at 80 columns, full IPv6 when wide. */
static int fmt_ep_width(int width)
{
	return width < 100 ? 15 : width < 140 ? 21 : 30;
}

int fmt_num_width(uint64_t max_n)
{
	int w = 1;
	for (; max_n >= 10; max_n /= 10)
		w++;
	return w < 4 ? 4 : w;
}

size_t fmt_row_header(char *buf, size_t size, int width, int numw)
{
	int ep = fmt_ep_width(width);
	struct sbuf s;
	sb_init(&s, buf, size);
	sb_printf(&s, "%*s %*s %-*s %-*s %-5s %s", numw, "No.", fmt_time_width(width), "Time", ep, "Source", ep, "Destination", "Proto", "Info");
	if (width >= 0 && s.len > (size_t)width)
		buf[s.len = (size_t)width] = '\0';
	return s.len;
}

/* Upper-case copy of a short name into the protocol column. */
static void fmt_upper(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? (char)(src[i] - 'a' + 'A') : src[i];
	dst[i] = '\0';
}

static void fmt_proto(char *buf, size_t size, const struct pkt_summary *p)
{
	switch (p->l4) {
	case L4_TCP:
		snprintf(buf, size, "TCP");
		return;
	case L4_UDP:
		snprintf(buf, size, "UDP");
		return;
	case L4_ICMP:
		snprintf(buf, size, "ICMP");
		return;
	case L4_ICMP6:
		snprintf(buf, size, "ICMP6");
		return;
	default:
		break;
	}
	if (p->link_unsupported)
		snprintf(buf, size, "LINK");
	else if (p->af && summary_proto_name(p))
		fmt_upper(buf, size, summary_proto_name(p));
	else if (p->af)
		snprintf(buf, size, "IP%u", p->proto);
	else if (summary_l3_name(p))
		fmt_upper(buf, size, summary_l3_name(p));
	else
		snprintf(buf, size, "0x%04x", p->ethertype);
}

size_t fmt_info(char *buf, size_t size, const struct pkt_summary *p)
{
	const char *l3 = summary_l3_name(p), *icmp = summary_icmp_name(p), *code = summary_icmp_code_name(p);
	const char *layer = summary_problem_layer(p);
	struct sbuf s;
	sb_init(&s, buf, size);
	char tmp[96];
	if (p->link_unsupported) {
		sb_printf(&s, "unsupported link type %s, %" PRIu32 " bytes", l3 ? l3 : "?", p->len);
		return s.len;
	}
	switch (p->l4) {
	case L4_TCP:
		s.len += fmt_events(s.b + s.len, s.size - s.len, p->events, p->dup_ack_n);
		sb_printf(&s, "[%s] Seq=%" PRIu32, fmt_flags_words(p->tcpflags, tmp, sizeof tmp),
			  p->have_rel ? p->rseq : p->seq);
		if (p->tcpflags & TCP_ACK)
			sb_printf(&s, " Ack=%" PRIu32, p->have_rel ? p->rack : p->ack);
		/* The window in bytes once the handshake gave its scale, as Wireshark's Info column shows it. */
		sb_printf(&s, " Len=%" PRIu32 " Win=%" PRIu64, p->payload, summary_win_bytes(p));
		break;
	case L4_UDP:
		s.len += fmt_events(s.b + s.len, s.size - s.len, p->events, p->dup_ack_n);
		sb_printf(&s, "Len=%" PRIu32, p->payload);
		break;
	case L4_ICMP:
	case L4_ICMP6:
		if (!p->has_icmp) {
			sb_printf(&s, "(no ICMP header)");
			break;
		}
		if (icmp)
			sb_printf(&s, "%c%s", icmp[0] >= 'a' && icmp[0] <= 'z' ? icmp[0] - 'a' + 'A' : icmp[0], icmp + 1);
		else
			sb_printf(&s, "Type %u", p->icmp_type);
		if (code)
			sb_printf(&s, " (%s)", code);
		else if (p->icmp_code)
			sb_printf(&s, " code %u", p->icmp_code);
		if (fmt_is_echo(p))
			sb_printf(&s, " id=%u seq=%u", p->sport, p->dport);
		break;
	default:
		if (p->af && p->is_frag)
			sb_printf(&s, "Fragment offset=%u%s", p->frag_off, p->more_frags ? " MF" : "");
		else if (p->af)
			sb_printf(&s, "IP protocol %u, %" PRIu32 " bytes", p->proto, p->len);
		else
			sb_printf(&s, "Ethertype 0x%04x, %" PRIu32 " bytes", p->ethertype, p->len);
		break;
	}
	if (p->status == DEC_TRUNCATED)
		sb_printf(&s, " [truncated in %s]", *layer ? layer : "link");
	else if (p->status == DEC_INVALID)
		sb_printf(&s, " [invalid %s: %s]", *layer ? layer : "link",
			  p->bad_field ? p->bad_field : "?");
	return s.len;
}

/*
 * A call as strace writes it ("connect(3, {AF_INET, 127.0.0.1:9}, 16) = -1 ECONNREFUSED (Connection
 * refused)") in at most room columns: the arguments' middle gives way first ("connect(3, {AF_I...) = -1
 * ECONNREFUSED (Connection refused)"), then the errno's words; the call's name and its result stay.
 */
static void call_fit(char *st, size_t room)
{
	size_t len = strlen(st);
	if (len <= room)
		return;
	char *res = strstr(st, ") = ");
	char *open = strchr(st, '(');
	if (!res || !open || open > res) {
		st[room] = '\0';
		return;
	}
	char *words = strstr(res, " (");
	size_t tail = strlen(res), head = (size_t)(open - st) + 1;
	if (head + 3 + tail > room && words) { /* without "(Connection refused)" */
		*words = '\0';
		tail = strlen(res);
		len = strlen(st);
		if (len <= room)
			return;
	}
	if (head + 3 + tail > room) { /* not even that: the end is what goes */
		st[room] = '\0';
		return;
	}
	size_t keep = room - 3 - tail; /* of the head and arguments */
	memmove(st + keep + 3, res, tail + 1);
	memcpy(st + keep, "...", 3);
}

size_t fmt_call_row(char *buf, size_t size, int64_t at_ns, const struct sock_event *ev, int64_t t0_ns, int width,
		    int numw)
{
	char t[32], st[512];
	struct sbuf s;
	sb_init(&s, buf, size);
	if (ev)
		events_format_strace(ev, st, sizeof st);
	else
		snprintf(st, sizeof st, "(call no longer kept)");
	sb_printf(&s, "%*s %s  call  %s %d: ", numw, "", fmt_time_col(t, sizeof t, at_ns, t0_ns, fmt_time_width(width)),
		  ev ? ev->role : "?", ev ? (int)ev->pid : 0);
	if (width >= 0 && s.len < (size_t)width)
		call_fit(st, (size_t)width - s.len);
	sb_printf(&s, "%s", st);
	if (width >= 0 && s.len > (size_t)width)
		buf[s.len = (size_t)width] = '\0';
	return s.len;
}

size_t fmt_row(char *buf, size_t size, const struct pkt_summary *p, const char *app, int64_t t0_ns, int width,
	       int numw)
{
	int ep = fmt_ep_width(width);
	char a[64], b[64], t[32], proto[16];
	struct sbuf s;
	sb_init(&s, buf, size);
	bool ports = p->has_ports && (p->l4 == L4_TCP || p->l4 == L4_UDP);
	fmt_endpoint(a, sizeof a, p->af, p->src, ports, p->sport);
	fmt_endpoint(b, sizeof b, p->af, p->dst, ports, p->dport);
	fmt_proto(proto, sizeof proto, p);
	sb_printf(&s, "%*" PRIu64 " %s ", numw, p->n, fmt_time_col(t, sizeof t, p->ts_ns, t0_ns, fmt_time_width(width)));
	sb_column(&s, a, ep, true);
	sb_printf(&s, " ");
	sb_column(&s, b, ep, true);
	sb_printf(&s, " %-5s ", proto);
	/* The application's line first (what a student looks for), then the transport's; ARP's says it all. */
	bool app_only = app && *app && p->l4 != L4_TCP && p->l4 != L4_UDP;
	if (app && *app)
		sb_printf(&s, app_only ? "%s" : "%s  ", app);
	if (!app_only && s.len + 1 < s.size)
		s.len += fmt_info(s.b + s.len, s.size - s.len, p);
	if (width >= 0 && s.len > (size_t)width)
		buf[s.len = (size_t)width] = '\0';
	return s.len;
}

size_t fmt_hexline(char *buf, size_t size, const uint8_t *data, size_t len, size_t off)
{
	struct sbuf s;
	sb_init(&s, buf, size);
	sb_printf(&s, "%04zx  ", off);
	for (size_t i = 0; i < 16; i++) {
		if (off + i < len)
			sb_printf(&s, "%02x ", data[off + i]);
		else
			sb_printf(&s, "   ");
		if (i == 7)
			sb_printf(&s, " ");
	}
	sb_printf(&s, " |");
	for (size_t i = 0; i < 16 && off + i < len; i++) {
		uint8_t c = data[off + i];
		sb_printf(&s, "%c", c >= 0x20 && c < 0x7f ? c : '.');
	}
	sb_printf(&s, "|");
	return s.len;
}

/* One byte as the follow view shows it; 0 for bytes that are dropped ('\r'). */
static char follow_char(uint8_t c)
{
	if (c == '\r')
		return 0;
	if (c == '\t')
		return ' ';
	return c >= 0x20 && c < 0x7f ? (char)c : '.';
}

/*
 * Walk the split of data into lines, from column col0 of a line already begun (0: none); copies line
 * `want`'s characters into out (or only counts when want is SIZE_MAX). Returns the lines it touched.
 */
static size_t follow_walk(const uint8_t *data, size_t len, int width, size_t col0, size_t want, char *out, size_t size,
			  size_t *col_end)
{
	size_t w = width > 0 ? (size_t)width : 1, lines = 0, col = col0 < w ? col0 : w, o = 0;
	bool open = col0 > 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			lines++;
			col = 0;
			open = false;
			continue;
		}
		char c = follow_char(data[i]);
		if (!c)
			continue;
		if (col == w) {
			lines++;
			col = 0;
		}
		if (lines == want && out && o + 1 < size)
			out[o++] = c;
		col++;
		open = true;
	}
	if (open)
		lines++;
	if (out && size)
		out[o] = '\0';
	if (col_end)
		*col_end = open ? col : 0;
	return lines;
}

size_t follow_count_lines(const uint8_t *data, size_t len, int width, size_t col0, size_t *col_end)
{
	return follow_walk(data, len, width, col0, SIZE_MAX, NULL, 0, col_end);
}

bool follow_line(const uint8_t *data, size_t len, int width, size_t col0, size_t index, char *buf, size_t size)
{
	size_t n = follow_walk(data, len, width, col0, index, buf, size, NULL);
	return index < n;
}

char *fmt_count(char *buf, size_t size, uint64_t n)
{
	if (n < 10000)
		snprintf(buf, size, "%" PRIu64, n);
	else if (n < 10000000)
		snprintf(buf, size, "%.1fK", (double)n / 1e3);
	else if (n < 10000000000ULL)
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
	else
		snprintf(buf, size, "%.1fG", (double)n / 1e9);
	return buf;
}

/* A state name shortened the way ss(8) does when the column is narrow. */
static const char *fmt_state_short(const char *name, int w)
{
	static const struct {
		const char *full, *brief;
	} brief[] = { { "ESTABLISHED", "ESTAB" }, { "SYN-RECEIVED", "SYN-RCVD" } };
	if ((int)strlen(name) <= w)
		return name;
	for (size_t i = 0; i < sizeof brief / sizeof brief[0]; i++)
		if (strcmp(name, brief[i].full) == 0)
			return brief[i].brief;
	return name;
}

/* Column widths of the flow pane: narrow (80 columns) folds the protocol into the state columns; wide
   (120 and more) gives each its column and the endpoints what is left, so that End always fits (8
   columns: "refused", "timeout"). */
#define FLOW_END_W 8
struct flow_cols {
	bool wide;
	int id, ep, st, pk, by;
};

static struct flow_cols fmt_flow_cols(int width)
{
	struct flow_cols c = { width >= 120, 3, 15, 10, 6, 8 };
	if (c.wide) {
		c.id = 5;
		c.st = 12;
		c.pk = 8;
		c.by = 9;
		/* id, proto, two states, four counts, their spaces and End: 86 columns */
		int fixed = c.id + 1 + 5 + 1 + 2 * (c.st + 1) + 2 * (c.pk + 1) + 2 * (c.by + 1) + 1 + FLOW_END_W;
		c.ep = (width - fixed) / 2;
		if (c.ep > 30)
			c.ep = 30;
	}
	return c;
}

size_t fmt_flow_header(char *buf, size_t size, int width)
{
	struct flow_cols c = fmt_flow_cols(width);
	struct sbuf s;
	sb_init(&s, buf, size);
	if (c.wide)
		sb_printf(&s, "%*s %-5s %-*s %-*s %-*s %-*s %*s %*s %*s %*s %s", c.id, "Flow", "Proto", c.ep, "Client", c.ep,
			  "Server", c.st, "Client state", c.st, "Server state", c.pk, "C>S pkts", c.by, "C>S bytes", c.pk,
			  "S>C pkts", c.by, "S>C bytes", "End");
	else
		sb_printf(&s, "%*s %-*s %-*s %-*s %-*s %*s %*s %s", c.id, "#", c.ep, "Client", c.ep, "Server", c.st, "Client",
			  c.st, "Server", c.pk, "Pkts", c.by, "Bytes", "End");
	if (width >= 0 && s.len > (size_t)width)
		buf[s.len = (size_t)width] = '\0';
	return s.len;
}

size_t fmt_flow_row(char *buf, size_t size, const struct flow *f, const struct flow_view *v,
		    const char *client_state, const char *server_state, const char *end, int width)
{
	struct flow_cols c = fmt_flow_cols(width);
	char a[64], b[64], id[24], n1[16], n2[16], n3[16], n4[16], x[40];
	const char *proto = f->proto == 6 ? "TCP" : f->proto == 17 ? "UDP" : f->proto == 58 ? "ICMP6" : "ICMP";
	bool ports = f->proto == 6 || f->proto == 17;
	struct sbuf s;
	sb_init(&s, buf, size);
	fmt_endpoint(a, sizeof a, f->client.af, f->client.addr, ports, f->client.port);
	fmt_endpoint(b, sizeof b, f->server.af, f->server.addr, ports, f->server.port);
	snprintf(id, sizeof id, "%" PRIu64, v->id);
	sb_printf(&s, "%*s ", c.id, id);
	if (c.wide)
		sb_printf(&s, "%-5s ", proto);
	sb_column(&s, a, c.ep, true);
	sb_printf(&s, " ");
	sb_column(&s, b, c.ep, true);
	sb_printf(&s, " ");
	if (f->proto == 6) {
		sb_column(&s, fmt_state_short(client_state, c.st), c.st, false);
		sb_printf(&s, " ");
		sb_column(&s, fmt_state_short(server_state, c.st), c.st, false);
	} else {
		sb_column(&s, c.wide ? "-" : proto, c.st, false);
		sb_printf(&s, " ");
		sb_column(&s, "-", c.st, false);
	}
	if (c.wide) {
		sb_printf(&s, " %*s %*s %*s %*s", c.pk, fmt_count(n1, sizeof n1, v->pkts[0]), c.by,
			  fmt_count(n2, sizeof n2, v->bytes[0]), c.pk, fmt_count(n3, sizeof n3, v->pkts[1]), c.by,
			  fmt_count(n4, sizeof n4, v->bytes[1]));
	} else {
		snprintf(x, sizeof x, "%s/%s", fmt_count(n1, sizeof n1, v->pkts[0]), fmt_count(n2, sizeof n2, v->pkts[1]));
		sb_printf(&s, " %*s", c.pk, x);
		snprintf(x, sizeof x, "%s/%s", fmt_count(n1, sizeof n1, v->bytes[0]), fmt_count(n2, sizeof n2, v->bytes[1]));
		sb_printf(&s, " %*s", c.by, x);
	}
	sb_printf(&s, " %s", end);
	if (width >= 0 && s.len > (size_t)width)
		buf[s.len = (size_t)width] = '\0';
	return s.len;
}
