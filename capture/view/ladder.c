/* ladder.c — draws a flow as an ASCII sequence diagram, and records rows per flow for text mode. */
#include "view/ladder.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/count.h"
#include "common/tok.h"
#include "common/wrap.h"
#include "decode/decode.h"
#include "track/summary.h"

/* ---- rows ---------------------------------------------------------------------------------------- */

/* ICMP destination-unreachable codes (RFC 792, RFC 1812 §5.2.7.1). */
static const struct tok icmp4_unreach[] = {
	{ 0, "net unreachable" }, { 1, "host unreachable" }, { 2, "protocol unreachable" },
	{ 3, "port unreachable" }, { 4, "fragmentation needed" }, { 5, "source route failed" },
	{ 9, "net prohibited" }, { 10, "host prohibited" }, { 13, "administratively prohibited" },
	{ 0, NULL },
};
/* ICMPv6 destination-unreachable codes (RFC 4443 §3.1). */
static const struct tok icmp6_unreach[] = {
	{ 0, "no route" }, { 1, "administratively prohibited" }, { 2, "beyond scope" },
	{ 3, "address unreachable" }, { 4, "port unreachable" }, { 5, "source policy failed" },
	{ 6, "reject route" }, { 0, NULL },
};
static const struct tok icmp4_types[] = {
	{ 3, "unreachable" }, { 4, "source quench" }, { 5, "redirect" }, { 11, "time exceeded" },
	{ 12, "parameter problem" }, { 0, "echo reply" }, { 8, "echo request" }, { 0, NULL },
};
static const struct tok icmp6_types[] = {
	{ 1, "unreachable" }, { 2, "packet too big" }, { 3, "time exceeded" }, { 4, "parameter problem" },
	{ 128, "echo request" }, { 129, "echo reply" }, { 0, NULL },
};

/* An ICMP packet's arrow text: the unreachable code's name, an echo's id and sequence, or the type. */
static void icmp_label(char *buf, size_t n, const struct pkt_summary *p)
{
	bool v6 = p->l4 == L4_ICMP6;
	uint8_t type = p->icmp_type, code = p->icmp_code;
	const char *tn = tok2str(v6 ? icmp6_types : icmp4_types, NULL, type);
	const char *cn = NULL;
	if ((!v6 && type == 3) || (v6 && type == 1))
		cn = tok2str(v6 ? icmp6_unreach : icmp4_unreach, NULL, code);
	if (cn)
		snprintf(buf, n, "%s", cn);
	else if (tn && (type == 0 || type == 8 || type == 128 || type == 129))
		snprintf(buf, n, "%s id %u seq %u", tn, (unsigned)p->sport, (unsigned)p->dport);
	else if (tn)
		snprintf(buf, n, "%s code %u", tn, (unsigned)code);
	else
		snprintf(buf, n, "%s type %u code %u", v6 ? "icmp6" : "icmp", (unsigned)type, (unsigned)code);
}

/* The options a SYN negotiates, as tcpdump names them; those captured whole when the capture cut them. */
static void tcpopt_label(char *buf, size_t n, const struct pkt_summary *p)
{
	size_t k = 0;
	buf[0] = 0;
	if ((p->synopt & TCPOPT_HAVE_MSS) && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%smss %u", k ? " " : "", (unsigned)p->mss);
	if ((p->synopt & TCPOPT_HAVE_SACK_OK) && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%ssackOK", k ? " " : "");
	if ((p->synopt & TCPOPT_HAVE_TS) && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%sTS", k ? " " : "");
	if ((p->synopt & TCPOPT_HAVE_WSCALE) && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%sws %u", k ? " " : "", (unsigned)p->wscale);
	if ((p->synopt & TCPOPT_CUT) && k < n)
		snprintf(buf + k, n - k, "%s[|tcp]", k ? " " : ""); /* the capture ended inside the options */
}

/* Calls that return nothing worth showing beside their name (0 or a new descriptor said elsewhere). */
static bool call_ret_silent(const char *call)
{
	static const char *const silent[] = { "socket", "close", "connect", "shutdown", "listen", "bind", "setsockopt" };
	for (size_t i = 0; i < COUNT(silent); i++)
		if (strcmp(call, silent[i]) == 0)
			return true;
	return false;
}

void ladder_call_from(struct ladder_call *c, const struct sock_event *ev, int64_t at_ns, enum flow_dir side)
{
	memset(c, 0, sizeof *c);
	c->ts_ns = at_ns;
	c->side = (uint8_t)side;
	if (ev->ret < 0)
		snprintf(c->label, sizeof c->label, "%s() = -1 %s", ev->call, ev->errname[0] ? ev->errname : "error");
	else if (!call_ret_silent(ev->call))
		snprintf(c->label, sizeof c->label, "%s() = %lld", ev->call, (long long)ev->ret);
	else
		snprintf(c->label, sizeof c->label, "%s()", ev->call);
}

/* ---- rendering ----------------------------------------------------------------------------------- */

#define GUTTER 12  /* state column width: "SYN-RECEIVED" */
#define PREFIX 17  /* "%5" packet number, space, "%10.6f" seconds, space */

/* The sender of an ICMP error when it is not the end its arrow leaves from (a router on the way): its
   address, else "". */
static void icmp_sender(const struct pkt_summary *p, const struct flow *f, char *buf, size_t n)
{
	buf[0] = 0;
	if (!f || !p->af)
		return;
	const struct endpoint *from = p->dir == DIR_C2S ? &f->client : &f->server;
	size_t alen = p->af == 6 ? 16 : 4;
	if (from->af == p->af && memcmp(from->addr, p->src, alen) == 0)
		return;
	char a[INET6_ADDRSTRLEN];
	if (inet_ntop(p->af == 6 ? AF_INET6 : AF_INET, p->src, a, sizeof a))
		snprintf(buf, n, " from %s", a);
}

void ladder_row_text(const struct ladder_row *r, const struct flow *f, char *buf, size_t n)
{
	const uint8_t proto = f ? f->proto : r->pkt.proto;
	if (r->is_call) {
		snprintf(buf, n, "%s", r->call.label);
		return;
	}
	const struct pkt_summary *p = &r->pkt;
	char label[LADDER_LABEL_MAX];
	label[0] = 0;
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		icmp_label(label, sizeof label, p);
	else if (p->l4 == L4_TCP && (p->tcpflags & TCP_SYN))
		tcpopt_label(label, sizeof label, p);
	if (p->events & EV_ICMP_ERROR) {
		char from[8 + INET6_ADDRSTRLEN];
		icmp_sender(p, f, from, sizeof from);
		snprintf(buf, n, "ICMP %s%s", label, from);
		return;
	}
	if (proto == 17) {
		snprintf(buf, n, "UDP len %" PRIu32, p->payload);
		return;
	}
	if (proto != 6) {
		snprintf(buf, n, "%s", label);
		return;
	}
	char fl[12];
	tcp_flags_str(p->tcpflags & (uint16_t)~TCP_NS, fl); /* the ladder leaves out NS */
	size_t k = (size_t)snprintf(buf, n, "%s", fl);
	if (p->have_rel && k < n)
		k += (size_t)snprintf(buf + k, n - k, " seq %" PRIu32, p->rseq);
	if (p->have_rel && (p->tcpflags & TCP_ACK) && k < n)
		k += (size_t)snprintf(buf + k, n - k, " ack %" PRIu32, p->rack);
	if (p->payload && k < n)
		k += (size_t)snprintf(buf + k, n - k, " len %" PRIu32, p->payload);
	/* The window in bytes once its scale is known, as Wireshark shows it (--text keeps tcpdump's raw
	   field); after the length, so that a narrow ladder drops it first. */
	if (k < n)
		k += (size_t)snprintf(buf + k, n - k, " win %" PRIu64, summary_win_bytes(p));
	if (label[0] && k < n)
		snprintf(buf + k, n - k, " %s", label);
}

void ladder_row_notes(const struct ladder_row *r, char *buf, size_t n)
{
	const uint32_t shown = ~(uint32_t)(EV_NEW_FLOW | EV_STATE_CHANGE | EV_RST | EV_ICMP_ERROR);
	const struct pkt_summary *p = &r->pkt;
	size_t k = 0;
	buf[0] = 0;
	if (r->is_call)
		return;
	for (int b = 0; b < EV_COUNT_BITS && k < n; b++) {
		uint32_t bit = 1u << b;
		if (!(p->events & bit & shown))
			continue;
		if (bit == EV_DUP_ACK)
			k += (size_t)snprintf(buf + k, n - k, "%s%s #%" PRIu32, k ? ", " : "[", flow_event_name(bit),
					      p->dup_ack_n);
		else
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "[", flow_event_name(bit));
	}
	if (k && k + 1 < n)
		strcat(buf, "]");
}

/* A line under construction: width columns of spaces, then written into, then trimmed and emitted. */
struct line {
	char s[LADDER_MAX_WIDTH + 1];
	int w;
};

static void line_clear(struct line *l, int w)
{
	l->w = w;
	memset(l->s, ' ', (size_t)w);
	l->s[w] = 0;
}

/* Write text at column col, clipped to the line. */
static void line_put(struct line *l, int col, const char *text, int maxlen)
{
	for (int i = 0; text[i] && i < maxlen && col + i < l->w; i++)
		if (col + i >= 0)
			l->s[col + i] = text[i];
}

static void line_emit(struct line *l, long idx, void (*emit)(const char *, long, void *), void *arg)
{
	int e = l->w;
	while (e > 0 && l->s[e - 1] == ' ')
		e--;
	l->s[e] = 0;
	emit(l->s, idx, arg);
}

struct geom {
	int width, lcol, rcol; /* total width; columns of the client's and server's '|' */
	int area;              /* columns strictly between them */
};

static struct geom geom_of(int width)
{
	struct geom g;
	if (width < LADDER_MIN_WIDTH)
		width = LADDER_MIN_WIDTH;
	if (width > LADDER_MAX_WIDTH)
		width = LADDER_MAX_WIDTH;
	g.width = width;
	g.lcol = PREFIX + GUTTER + 1;
	g.rcol = width - GUTTER - 2;
	g.area = g.rcol - g.lcol - 1;
	return g;
}

static void draw_columns(struct line *l, const struct geom *g)
{
	l->s[g->lcol] = '|';
	l->s[g->rcol] = '|';
}

static void draw_arrow(struct line *l, const struct geom *g, const struct ladder_row *r, const struct flow *f)
{
	const struct pkt_summary *p = &r->pkt;
	char text[160];
	ladder_row_text(r, f, text, sizeof text);
	char c = (p->events & EV_ICMP_ERROR) ? '~' : '-';
	int a0 = g->lcol + 1, a1 = g->rcol - 1; /* inclusive span of the arrow */
	for (int x = a0; x <= a1; x++)
		l->s[x] = c;
	int room = (a1 - a0 + 1) - 6; /* three shaft characters on each side of the text */
	int tl = (int)strlen(text);
	if (tl > room) { /* cut at a word boundary when one is near, never between a name and its number */
		tl = room;
		for (int k = room; k > room / 2; k--)
			if (text[k] == ' ') {
				tl = k;
				break;
			}
		if (text[tl] == ' ' && text[tl + 1] >= '0' && text[tl + 1] <= '9') {
			int w = tl;
			while (w > 0 && text[w - 1] != ' ')
				w--;
			if (w > room / 2 && text[w] >= 'a' && text[w] <= 'z')
				tl = w - 1; /* "len 6 win" loses its "win" */
		}
	}
	if (p->dir == DIR_C2S) {
		line_put(l, a0 + 3, text, tl);
		l->s[a1] = '>';
	} else {
		line_put(l, a1 - 2 - tl, text, tl);
		l->s[a0] = '<';
	}
}

static void draw_states(struct line *l, const struct geom *g, const struct pkt_summary *p, bool first)
{
	char s[GUTTER + 2];
	if (first || p->after[0] != p->before[0]) {
		snprintf(s, sizeof s, "%s", tcp_state_name((enum tcp_state)p->after[0]));
		line_put(l, g->lcol - 1 - (int)strlen(s), s, GUTTER);
	}
	if (first || p->after[1] != p->before[1]) {
		snprintf(s, sizeof s, "%s", tcp_state_name((enum tcp_state)p->after[1]));
		line_put(l, g->rcol + 2, s, GUTTER);
	}
}

/* A call: a * on its end's column, its label beside it towards the other end. */
static void draw_call(struct line *l, const struct geom *g, const struct ladder_call *c)
{
	int tl = (int)strlen(c->label);
	if (tl > g->area - 2)
		tl = g->area - 2;
	if (c->side == DIR_C2S) {
		l->s[g->lcol] = '*';
		line_put(l, g->lcol + 2, c->label, tl);
	} else {
		l->s[g->rcol] = '*';
		line_put(l, g->rcol - 1 - tl, c->label, tl);
	}
}

/* The row's number (none for a call) and its time since the flow's first packet, right-aligned under
   "#" and "time" ("    3   0.000083", "       -0.000046" for a call made before the first packet). */
static void row_prefix(char *buf, size_t n, const struct flow *f, const struct ladder_row *r)
{
	int64_t ts = r->is_call ? r->call.ts_ns : r->pkt.ts_ns;
	int64_t rel = ts - (f ? f->first_ns : ts);
	int64_t mag = rel < 0 ? -rel : rel;
	char t[32], no[24] = "";
	snprintf(t, sizeof t, "%s%" PRId64 ".%06" PRId64, rel < 0 ? "-" : "", mag / 1000000000, (mag % 1000000000) / 1000);
	if (!r->is_call)
		snprintf(no, sizeof no, "%" PRIu64, r->pkt.n);
	snprintf(buf, n, "%5s %10s", no, t);
}

static void render_row(const struct flow *f, const struct geom *g, const struct ladder_row *r, long idx,
		       bool first, void (*emit)(const char *, long, void *), void *arg)
{
	struct line l;
	line_clear(&l, g->width);
	char pre[64];
	row_prefix(pre, sizeof pre, f, r);
	line_put(&l, 0, pre, PREFIX - 1);
	draw_columns(&l, g);
	if (r->is_call) {
		draw_call(&l, g, &r->call);
		line_emit(&l, idx, emit, arg);
		return;
	}
	uint8_t proto = f ? f->proto : r->pkt.proto;
	draw_arrow(&l, g, r, f);
	if (proto == 6)
		draw_states(&l, g, &r->pkt, first);
	line_emit(&l, idx, emit, arg);

	char notes[256];
	ladder_row_notes(r, notes, sizeof notes);
	int nl = (int)strlen(notes), room = g->area - 4, off = 0;
	while (off < nl && room > 0) {
		line_clear(&l, g->width);
		draw_columns(&l, g);
		int take = nl - off < room ? nl - off : room;
		if (nl - off > room) { /* break at the last ", " that fits */
			for (int k = take; k > 0; k--)
				if (notes[off + k - 1] == ' ') {
					take = k;
					break;
				}
		}
		line_put(&l, g->lcol + 3, notes + off, take);
		line_emit(&l, idx, emit, arg);
		off += take;
	}
}

/* A sentence as lines of the ladder's width, broken at spaces, lines after the first indented: never cut. */
static void emit_wrapped(const char *text, const struct geom *g, void (*emit)(const char *, long, void *), void *arg)
{
	struct line l;
	const char *p = text;
	for (bool first = true; *p; first = false) {
		int lead = first ? 0 : 4;
		size_t take = wrap_take(p, g->width - lead);
		line_clear(&l, g->width);
		line_put(&l, lead, p, (int)take);
		line_emit(&l, -1, emit, arg);
		p += take;
		while (*p == ' ')
			p++;
	}
}

void ladder_render(const struct flow *f, const struct ladder_row *rows, size_t n, int width,
		   void (*emit)(const char *line, long row_index, void *arg), void *arg)
{
	struct geom g = geom_of(width);
	struct line l;
	char c[FLOW_EP_STRLEN], s[FLOW_EP_STRLEN], buf[LADDER_MAX_WIDTH + 1];
	if (f) {
		bool ports = f->proto == 6 || f->proto == 17;
		flow_endpoint_str(&f->client, ports, c);
		flow_endpoint_str(&f->server, ports, s);
		const char *pn = f->proto == 6 ? "tcp" : f->proto == 17 ? "udp" : f->proto == 1 ? "icmp" : "icmp6";
		snprintf(buf, sizeof buf, "flow %" PRIu64 " %s: client %s%s -> server %s%s", f->id, pn, c,
			 f->client_guessed ? " (guessed from ports)" : "", s,
			 f->state_inferred ? ", states inferred (capture began mid-connection)" : "");
		emit_wrapped(buf, &g, emit, arg);
	} else {
		strcpy(c, "client");
		strcpy(s, "server");
	}
	line_clear(&l, g.width);
	line_put(&l, 0, "    #       time", PREFIX);
	line_put(&l, g.lcol - 3, "client", 6);
	line_put(&l, g.rcol - 2, "server", 6);
	line_emit(&l, -1, emit, arg);
	line_clear(&l, g.width);
	/* Endpoints over their columns: the client's ending at its column, the server's starting at its, or
	   ending at the line's end when it is too long for that (an address is never cut). */
	int cl = (int)strlen(c), sl = (int)strlen(s);
	line_put(&l, g.lcol + 1 - cl < 0 ? 0 : g.lcol + 1 - cl, c, cl);
	int sx = g.rcol + sl > g.width ? g.width - sl : g.rcol;
	line_put(&l, sx < cl + 1 ? cl + 1 : sx, s, sl);
	line_emit(&l, -1, emit, arg);
	for (size_t i = 0; i < n; i++)
		render_row(f, &g, &rows[i], (long)i, i == 0, emit, arg);
	if (f) {
		const char *who = f->closed_first < 0 ? NULL : f->closed_first == DIR_C2S ? "client" : "server";
		const char *silent = f->proto != 6                       ? NULL
				     : f->state[1] == TCPS_NO_ANSWER ? ", the server never answered"
				     : f->state[0] == TCPS_NO_ANSWER ? ", the client never answered"
								     : NULL;
		snprintf(buf, sizeof buf, "end: %s%s%s%s; %" PRIu64 " packets c>s, %" PRIu64 " s>c", flow_end_name(f->end),
			 who ? ", closed first by the " : "", who ? who : "", silent ? silent : "", f->pkts[0], f->pkts[1]);
		emit_wrapped(buf, &g, emit, arg);
	}
}

/* ---- the text-mode recorder ---------------------------------------------------------------------- */

struct book_flow {
	uint64_t id;
	struct flow snap;         /* the flow as of its last recorded packet */
	struct ladder_row *rows;  /* grows by doubling up to the book's max_rows */
	size_t n, cap;
	uint64_t dropped;         /* rows past max_rows */
};

struct ladder_book {
	size_t max_rows;
	uint64_t only;            /* record only this flow id; 0 = all */
	struct book_flow *flows;  /* sorted by id (flows are created, and so first seen, in id order) */
	size_t n, cap;
	uint64_t rows_unrecorded; /* packets of flows not recorded: LADDER_BOOK_MAX_FLOWS reached or out of memory */
};

struct ladder_book *ladder_book_new(size_t max_rows_per_flow)
{
	struct ladder_book *b = calloc(1, sizeof *b);
	if (b)
		b->max_rows = max_rows_per_flow ? max_rows_per_flow : 1;
	return b;
}

void ladder_book_only(struct ladder_book *b, uint64_t flow_id)
{
	b->only = flow_id;
}

static struct book_flow *book_find(const struct ladder_book *b, uint64_t id)
{
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->flows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->n && b->flows[lo].id == id ? &b->flows[lo] : NULL;
}

static struct book_flow *book_get(struct ladder_book *b, const struct flow *f)
{
	struct book_flow *bf = book_find(b, f->id);
	if (bf)
		return bf;
	if (b->n && b->flows[b->n - 1].id > f->id) {
		b->rows_unrecorded++; /* a flow first seen after a later one (only ICMP errors can do that) */
		return NULL;
	}
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 16;
		struct book_flow *nf = b->n >= LADDER_BOOK_MAX_FLOWS ? NULL : realloc(b->flows, nc * sizeof *nf);
		if (!nf) {
			b->rows_unrecorded++;
			return NULL;
		}
		b->flows = nf;
		b->cap = nc;
	}
	bf = &b->flows[b->n++];
	memset(bf, 0, sizeof *bf);
	bf->id = f->id;
	return bf;
}

static struct ladder_row *book_slot(struct book_flow *bf, size_t max_rows)
{
	if (bf->n >= max_rows) {
		bf->dropped++;
		return NULL;
	}
	if (bf->n == bf->cap) {
		size_t nc = bf->cap ? bf->cap * 2 : 8;
		if (nc > max_rows)
			nc = max_rows;
		struct ladder_row *nr = realloc(bf->rows, nc * sizeof *nr);
		if (!nr) {
			bf->dropped++;
			return NULL;
		}
		bf->rows = nr;
		bf->cap = nc;
	}
	return &bf->rows[bf->n++];
}

void ladder_book_add(struct ladder_book *b, const struct packet *pkt, const struct track_result *tr)
{
	if (!b || !tr->flow || (b->only && tr->flow->id != b->only))
		return;
	struct book_flow *bf = book_get(b, tr->flow);
	if (!bf)
		return;
	bf->snap = *tr->flow;
	struct ladder_row *row = book_slot(bf, b->max_rows);
	if (row) {
		row->is_call = false;
		summary_from(&row->pkt, pkt, tr);
	}
}

void ladder_book_add_summary(struct ladder_book *b, const struct flow *snap, const struct pkt_summary *pkt)
{
	if (!b || (b->only && snap->id != b->only))
		return;
	struct book_flow *bf = book_get(b, snap);
	if (!bf)
		return;
	bf->snap = *snap;
	struct ladder_row *slot = book_slot(bf, b->max_rows);
	if (slot) {
		slot->is_call = false;
		slot->pkt = *pkt;
	}
}

void ladder_book_update(struct ladder_book *b, const struct flow *f)
{
	struct book_flow *bf = b ? book_find(b, f->id) : NULL;
	if (bf)
		bf->snap = *f;
}

bool ladder_book_add_call(struct ladder_book *b, const struct flow *snap, const struct ladder_call *call, bool create)
{
	if (b->only && snap->id != b->only)
		return create; /* not drawn: nothing waits for it */
	struct book_flow *bf = create ? book_get(b, snap) : book_find(b, snap->id);
	if (!bf)
		return false;
	if (create)
		bf->snap = *snap;
	struct ladder_row *slot = book_slot(bf, b->max_rows);
	if (slot) {
		slot->is_call = true;
		slot->call = *call;
	}
	return true;
}

const struct ladder_row *ladder_book_rows(const struct ladder_book *b, uint64_t flow_id, size_t *n,
					  const struct flow **snap, uint64_t *dropped)
{
	const struct book_flow *bf = book_find(b, flow_id);
	*n = bf ? bf->n : 0;
	if (snap)
		*snap = bf ? &bf->snap : NULL;
	if (dropped)
		*dropped = bf ? bf->dropped : 0;
	return bf ? bf->rows : NULL;
}

size_t ladder_book_flows(const struct ladder_book *b, uint64_t *ids, size_t max)
{
	for (size_t i = 0; i < b->n && i < max; i++)
		ids[i] = b->flows[i].id;
	return b->n;
}

uint64_t ladder_book_unrecorded(const struct ladder_book *b)
{
	return b->rows_unrecorded;
}

static void emit_file(const char *line, long idx, void *arg)
{
	(void)idx;
	FILE *out = arg;
	fputs(line, out);
	fputc('\n', out);
}

int ladder_book_print(const struct ladder_book *b, const struct flow_table *flows, uint64_t flow_id, FILE *out,
		      int width)
{
	int printed = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct book_flow *bf = &b->flows[i];
		if (flow_id && bf->id != flow_id)
			continue;
		const struct flow *f = &bf->snap;
		if (flow_id && flows) {
			const struct flow *live = flowtab_find(flows, bf->id);
			if (live)
				f = live;
		}
		if (printed)
			fputc('\n', out);
		ladder_render(f, bf->rows, bf->n, width, emit_file, out);
		if (bf->dropped)
			fprintf(out, "(%" PRIu64 " more rows not drawn: the ladder keeps the first %zu of each flow)\n",
				bf->dropped, b->max_rows);
		printed++;
	}
	if (!flow_id && b->rows_unrecorded)
		fprintf(out, "(%" PRIu64 " packets of further flows not drawn: the ladder keeps at most %d flows)\n",
			b->rows_unrecorded,
			LADDER_BOOK_MAX_FLOWS);
	return printed;
}

void ladder_book_free(struct ladder_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->flows[i].rows);
	free(b->flows);
	free(b);
}
