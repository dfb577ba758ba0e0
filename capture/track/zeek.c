/* zeek.c — Zeek's conn_state and history of a flow, segment by segment, in 16 bytes per flow. */
#include <string.h>

#include "track/flow.h"
#include "track/zeek.h"

/*
 * The history is kept as 4-bit codes, the first letter in the lowest nibble; code 0 marks the end. The
 * letters of nearly every flow have a code of their own; the rest are ESC followed by their index in
 * RARE (never 0, so a code is never a zero nibble and the length is where the top non-zero nibble is).
 */
static const char COMMON[16] = "\0ShADadFfRrTt^H"; /* codes 1..14 */
#define ESC 15
static const char RARE[16] = "\0sWwGgIiQq";     /* after ESC: codes 1..9 */

/* A letter's code: COMMON's index, or RARE's index << 4 | ESC (0: not a history letter). */
static const uint8_t CODE[128] = {
	['S'] = 1, ['h'] = 2, ['A'] = 3, ['D'] = 4, ['a'] = 5, ['d'] = 6, ['F'] = 7, ['f'] = 8, ['R'] = 9,
	['r'] = 10, ['T'] = 11, ['t'] = 12, ['^'] = 13, ['H'] = 14,
	['s'] = 1 << 4 | ESC, ['W'] = 2 << 4 | ESC, ['w'] = 3 << 4 | ESC, ['G'] = 4 << 4 | ESC,
	['g'] = 5 << 4 | ESC, ['I'] = 6 << 4 | ESC, ['i'] = 7 << 4 | ESC, ['Q'] = 8 << 4 | ESC,
	['q'] = 9 << 4 | ESC,
};

/* zeek_conn.ep: the state before the current one was CLOSED (Zeek's prev_state == TCP_ENDPOINT_CLOSED). */
#define ZE_PREV_CLOSED(end) (1u << (6 + (end)))

/* Letters of the logarithmic counts (c, g, t, w): at the 1st, 10th and 100th occurrence. */
static bool power_of_ten(unsigned n)
{
	return n == 1 || n == 10 || n == 100;
}

static unsigned hist_nibbles(uint64_t h)
{
	return h ? (unsigned)(64 - __builtin_clzll(h) + 3) / 4 : 0;
}

/* Zeek's AddHistory: append a letter, unless it (or an earlier one) did not fit. */
static void add(struct zeek_conn *z, char c)
{
	if (z->seen & ZS_LOST)
		return;
	unsigned code = CODE[c & 127], need = code > ESC ? 2 : 1, n = hist_nibbles(z->hist);
	if (!code)
		return; /* not a history letter */
	if (n + need > ZEEK_HISTORY_MAX) {
		z->seen |= ZS_LOST;
		return;
	}
	z->hist |= (uint64_t)code << (4 * n);
}

/* The originator's letters are upper case, the responder's lower case. */
static char letter(char upper, int end)
{
	return end ? (char)(upper - 'A' + 'a') : upper;
}

/* Zeek's CheckHistory: the first time, record the letter; returns whether it was recorded before (or
   bit is 0: nothing to record). */
static bool once(struct zeek_conn *z, int end, unsigned bit, char upper)
{
	uint16_t m = (uint16_t)(bit << (end * ZS_SHIFT));
	if (!m || (z->seen & m))
		return true;
	z->seen |= m;
	add(z, letter(upper, end));
	return false;
}

/* Zeek's ScaledHistoryEntry: count one more, and record the letter at 1, 10, 100 occurrences. */
static void scaled(struct zeek_conn *z, uint8_t *count, unsigned shift, unsigned max, int end, char upper)
{
	unsigned n = (*count >> shift) & max;
	if (n == max)
		return; /* saturated: no later letter is due before 1,000 (t) or 100 (w, g) */
	n++;
	*count = (uint8_t)((*count & ~(max << shift)) | n << shift);
	if (power_of_ten(n))
		add(z, letter(upper, end));
}

static enum zeek_ep ep_get(const struct zeek_conn *z, int end)
{
	return (enum zeek_ep)((z->ep >> (3 * end)) & 7);
}

/* Zeek's SetState: remember whether the state it leaves was CLOSED. */
static void ep_set(struct zeek_conn *z, int end, enum zeek_ep s)
{
	enum zeek_ep cur = ep_get(z, end);
	if (cur == s)
		return;
	unsigned v = z->ep & ~(7u << (3 * end)) & ~ZE_PREV_CLOSED(end);
	v |= (unsigned)s << (3 * end);
	if (cur == ZE_CLOSED)
		v |= ZE_PREV_CLOSED(end);
	z->ep = (uint8_t)v;
}

/* 4 bits standing for a RST's sequence number: a repeated RST is a new letter when they differ. */
static unsigned rst_digest(uint32_t seq)
{
	seq ^= seq >> 16;
	seq ^= seq >> 8;
	seq ^= seq >> 4;
	return seq & 15;
}

/* The sender's initial sequence number, or -1 when it is not known. */
static int64_t sender_isn(const struct flow *f, enum flow_dir dir)
{
	return (f->isn_known & 1u << dir) ? (int64_t)f->isn[dir] : -1;
}

/* The letters of a segment with SYN, FIN or RST (Zeek's update_history). */
static void history_flags(const struct flow *f, struct zeek_conn *z, int end, enum flow_dir dir,
			  const struct tcp_hdr *th, uint32_t len, const struct tcp_anstate *an)
{
	const uint16_t fl = th->flags;
	const bool syn = fl & TCP_SYN, fin = fl & TCP_FIN, rst = fl & TCP_RST;
	if (syn + fin + rst > 1) {
		if (fin && rst)
			once(z, end, ZS_FINRST, 'I');
		else
			once(z, end, ZS_MULTI, 'Q');
	} else if (syn) {
		/* A later SYN with another sequence number: Zeek measures it from the end's first SYN only once
		   the end has closed or reset; before that a SYN restarts the numbering and repeats nothing. */
		char c = (fl & TCP_ACK) ? 'H' : 'S';
		enum zeek_ep es = ep_get(z, end);
		if (once(z, end, ZS_SYN, c) && (es == ZE_CLOSED || es == ZE_RESET) && sender_isn(f, dir) >= 0 &&
		    th->seq != (uint32_t)sender_isn(f, dir))
			add(z, letter(c, end));
	} else if (fin) {
		/* A later FIN whose sequence number (after its data) differs from the last FIN's. */
		if (once(z, end, ZS_FIN, 'F') && (an->dflags[dir] & DS_FIN) && th->seq + len != an->d[dir].nextseq - 1)
			add(z, letter('F', end));
	} else {
		unsigned d = rst_digest(th->seq), shift = 4u * (unsigned)end;
		if (once(z, end, ZS_RST, 'R') && d != ((z->rst >> shift) & 15u))
			add(z, letter('R', end));
		z->rst = (uint8_t)((z->rst & ~(15u << shift)) | d << shift);
	}
}

/*
 * Data that does not advance the sender's highest sequence number is a retransmission (Zeek's
 * update_last_seq): a SYN or RST jumping more than 1 MiB is not trusted, a FIN after nothing but the SYN
 * is not judged, and nothing is once the sender has reset.
 */
static bool is_rxmit(const struct tcp_hdr *th, uint32_t len, const struct flow *f, enum flow_dir dir,
		     const struct tcp_anstate *an)
{
	const uint16_t fl = th->flags;
	const bool syn = fl & TCP_SYN, fin = fl & TCP_FIN, rst = fl & TCP_RST;
	const uint32_t seglen = rst ? 0 : len + syn + fin;
	const bool have_last = an->dflags[dir] & DS_NEXTSEQ;
	const uint32_t next = an->d[dir].nextseq;
	const uint32_t last = have_last ? next : syn ? th->seq + seglen : th->seq;
	const int32_t delta = (int32_t)(th->seq + seglen - last);
	if (delta > 0)
		return false;
	if ((syn || rst) && delta < -1048576)
		return false;
	if (fin && have_last && next == (uint32_t)sender_isn(f, dir) + 1 && sender_isn(f, dir) >= 0)
		return false;
	return true;
}

/* Zeek's UpdateStateMachine for the sending end e (0: the originator). */
static void update_states(struct zeek_conn *z, int e, const struct tcp_hdr *th, uint32_t len)
{
	const int p = !e;
	const uint16_t fl = th->flags;
	const bool syn = fl & TCP_SYN, fin = fl & TCP_FIN, rst = fl & TCP_RST, ack = fl & TCP_ACK;
	switch (ep_get(z, e)) {
	case ZE_INACTIVE:
		if (syn) {
			if (e == 0) {
				ep_set(z, e, ack ? ZE_SYN_ACK_SENT : ZE_SYN_SENT);
			} else {
				/* The responder answers (or opens simultaneously). A bare SYN answering an
				   originator's SYN-ACK would make Zeek swap the roles, but the originator chosen
				   here never opens with a SYN-ACK toward a silent responder. */
				if (ep_get(z, p) == ZE_SYN_SENT)
					ep_set(z, p, ZE_ESTABLISHED);
				ep_set(z, e, ZE_ESTABLISHED);
			}
		}
		if (fin)
			ep_set(z, e, ZE_CLOSED);
		if (rst)
			ep_set(z, e, ZE_RESET);
		if (ep_get(z, e) == ZE_INACTIVE) {
			if (e == 1 && len == 0 && ep_get(z, p) == ZE_SYN_SENT)
				; /* an ACK of the SYN before the SYN-ACK: not yet a partial connection */
			else if (ack && ep_get(z, p) == ZE_ESTABLISHED)
				ep_set(z, e, ZE_ESTABLISHED); /* the SYN was missed, the SYN-ACK was not */
			else
				ep_set(z, e, ZE_PARTIAL);
		}
		break;
	case ZE_SYN_SENT:
	case ZE_SYN_ACK_SENT:
		if (fin)
			ep_set(z, e, ZE_CLOSED);
		if (rst)
			ep_set(z, e, ZE_RESET);
		break;
	case ZE_ESTABLISHED:
	case ZE_PARTIAL:
		if (syn && ep_get(z, e) == ZE_PARTIAL && ep_get(z, p) == ZE_INACTIVE && !ack)
			ep_set(z, e, ZE_SYN_SENT);
		if (fin && !rst) {
			ep_set(z, e, ZE_CLOSED);
			/* the peer's FIN then RST was a normal close after all */
			if (ep_get(z, p) == ZE_RESET && (z->ep & ZE_PREV_CLOSED(p)))
				ep_set(z, p, ZE_CLOSED);
		}
		if (rst)
			ep_set(z, e, ZE_RESET);
		break;
	case ZE_CLOSED:
		if (rst && ep_get(z, p) != ZE_CLOSED)
			ep_set(z, e, ZE_RESET);
		break;
	case ZE_RESET:
		break;
	}
}

void zeek_tcp_segment(struct flow *f, struct zeek_conn *z, enum flow_dir dir, const struct ip_layer *ip,
		      const struct tcp_anstate *an)
{
	const struct tcp_hdr *th = &ip->u.tcp;
	const int e = dir == DIR_C2S ? 0 : 1;
	const uint16_t fl = th->flags;
	const uint32_t have = ip->have;
	const uint32_t len = (have & HAVE_PAYLOAD) ? ip->payload_wire : 0;
	const enum zeek_ep es = ep_get(z, e);
	const bool ctl = fl & (TCP_SYN | TCP_FIN | TCP_RST);

	if (ctl)
		history_flags(f, z, e, dir, th, len, an);
	else if (len || (fl & TCP_ACK))
		once(z, e, len ? ZS_DATA : ZS_ACK, len ? 'D' : 'A');
	/* A zero window, unless with or after this end's RST or after the peer's FIN (update_window). */
	if (th->win == 0 && (have & HAVE_WIN) && !(fl & TCP_RST) && ep_get(z, !e) != ZE_CLOSED && es != ZE_RESET)
		scaled(z, &z->win0_gap[e], 0, 15, e, 'W');
	if (len && es != ZE_RESET && is_rxmit(th, len, f, dir, an))
		scaled(z, &z->rxmt[e], 0, 255, e, 'T');
	/* Without SYN, FIN or RST only an end's first segment changes its state. */
	if (ctl || es == ZE_INACTIVE)
		update_states(z, e, th, len);
	/* A content gap (the reassembler's, on this ACK): it covers sequence space beyond anything the peer
	   was seen sending, and beyond this end's previous ACK; only while both ends are established. */
	if ((fl & TCP_ACK) && (z->ep & 0x3f) == (ZE_ESTABLISHED | ZE_ESTABLISHED << 3) && (have & HAVE_ACK) &&
	    (an->dflags[!dir] & DS_NEXTSEQ) && GT_SEQ(th->ack, an->d[!dir].nextseq) &&
	    (!(an->dflags[dir] & DS_SEEN) || GT_SEQ(th->ack, an->d[dir].lastack)))
		scaled(z, &z->win0_gap[!e], 4, 15, !e, 'G');
}

void zeek_udp_first(struct zeek_conn *z, enum flow_dir dir)
{
	once(z, dir == DIR_C2S ? 0 : 1, ZS_DATA, 'D');
}

void zeek_flipped(struct zeek_conn *z)
{
	add(z, '^');
}

size_t zeek_history(const struct zeek_conn *z, char *buf, bool *lost)
{
	size_t n = 0;
	for (uint64_t h = z->hist; h; h >>= 4) {
		unsigned c = h & 15;
		if (c == ESC) {
			h >>= 4;
			buf[n++] = RARE[h & 15];
		} else {
			buf[n++] = COMMON[c];
		}
	}
	buf[n] = '\0';
	if (lost)
		*lost = (z->seen & ZS_LOST) != 0;
	return n;
}

/* Zeek's /^\^?S[^HAFGIQ]*R.*$/: the originator's SYN, then its RST before anything else it sent. */
static bool history_syn_then_rst(const struct zeek_conn *z)
{
	char h[ZEEK_HISTORY_MAX + 1];
	zeek_history(z, h, NULL);
	const char *s = h + (h[0] == '^');
	if (*s++ != 'S')
		return false;
	size_t k = strcspn(s, "HAFGIQR");
	return s[k] == 'R';
}

/* conn_state() of base/protocols/conn/main.zeek, from both ends' final states. */
const char *zeek_conn_state(const struct flow *f)
{
	if (f->proto == 17)
		return f->pkts[DIR_C2S] ? (f->pkts[DIR_S2C] ? "SF" : "S0") : (f->pkts[DIR_S2C] ? "SHR" : "OTH");
	if (f->proto != 6)
		return "OTH";
	const struct zeek_conn *z = &f->zeek;
	const enum zeek_ep os = ep_get(z, 0), rs = ep_get(z, 1);
	const bool o_inactive = os == ZE_INACTIVE || os == ZE_PARTIAL;
	const bool r_inactive = rs == ZE_INACTIVE || rs == ZE_PARTIAL;
	if (rs == ZE_RESET) {
		if (os == ZE_SYN_SENT || os == ZE_SYN_ACK_SENT ||
		    (os == ZE_RESET && !f->bytes[DIR_C2S] && !f->bytes[DIR_S2C]))
			return "REJ";
		return o_inactive ? "RSTRH" : "RSTR";
	}
	if (os == ZE_RESET) {
		if (!r_inactive)
			return "RSTO";
		return history_syn_then_rst(z) ? "RSTOS0" : "OTH";
	}
	if (rs == ZE_CLOSED && os == ZE_CLOSED)
		return "SF";
	if (os == ZE_CLOSED)
		return r_inactive ? "SH" : "S2";
	if (rs == ZE_CLOSED)
		return o_inactive ? "SHR" : "S3";
	if (os == ZE_SYN_SENT && rs == ZE_INACTIVE)
		return "S0";
	if (os == ZE_ESTABLISHED && rs == ZE_ESTABLISHED)
		return "S1";
	return "OTH";
}
