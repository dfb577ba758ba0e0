/* view_text.c — one readable line per packet: time, endpoints, protocol, flags, numbers, application summary, events, states. */
#include "view/view.h"

#include <time.h>

#include "decode/decode.h"

/* HH:MM:SS.ffffff (ffffffff when nano) of local time, the clock part made again only when the second
   changes; needs 19 bytes. */
static char *text_time(char *p, int64_t sec, uint32_t nsec, bool nano)
{
	static int64_t cached_sec = -1;
	static char hms[8];
	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		if (!localtime_r(&t, &tm))
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		hms[0] = (char)('0' + tm.tm_hour / 10);
		hms[1] = (char)('0' + tm.tm_hour % 10);
		hms[2] = ':';
		hms[3] = (char)('0' + tm.tm_min / 10);
		hms[4] = (char)('0' + tm.tm_min % 10);
		hms[5] = ':';
		hms[6] = (char)('0' + tm.tm_sec / 10);
		hms[7] = (char)('0' + tm.tm_sec % 10);
		cached_sec = sec;
	}
	p = fmt_mem(p, hms, sizeof hms);
	*p++ = '.';
	return nano ? fmt_pad9(p, nsec) : fmt_pad6(p, nsec / 1000);
}

void view_time(struct obuf *o, int64_t sec, uint32_t nsec, bool nano)
{
	obuf_commit(o, text_time(obuf_reserve(o, 32), sec, nsec, nano));
}

/* The numbers printed with fmt_u32 fit it. */
_Static_assert(sizeof(((struct tcp_hdr *)0)->seq) == 4 && sizeof(((struct tcp_hdr *)0)->tsval) == 4 &&
		       sizeof(((struct tcp_hdr *)0)->sack[0].left) == 4 && sizeof(((struct icmp_hdr *)0)->mtu) == 4 &&
		       sizeof(((struct ip_layer *)0)->ip_id) == 4 && sizeof(((struct ip_layer *)0)->total_len) == 4 &&
		       sizeof(((struct ip_layer *)0)->payload_wire) == 4 && sizeof(((struct packet *)0)->len) == 4,
	       "a field printed with fmt_u32 grew beyond 32 bits");

/* Every run of fixed-size text between two room checks (obuf_room) stays below this many bytes. */
#define TEXT_SLACK 512

/* A string of any length, with TEXT_SLACK bytes of room after it. */
static char *text_str(struct obuf *o, char *p, const char *s)
{
	size_t n = strlen(s);
	if (n > OBUF_SIZE / 4) { /* longer than the buffer can hold with room to spare: through obuf_write */
		obuf_commit(o, p);
		obuf_write(o, s, n);
		return obuf_reserve(o, TEXT_SLACK);
	}
	p = obuf_room(o, p, n + TEXT_SLACK);
	return fmt_mem(p, s, n);
}

const char *view_tcp_flags(uint16_t flags, uint8_t *len)
{
	static char str[512][16]; /* tcp_flags_str() of each 9-bit value */
	static uint8_t slen[512]; /* strlen of str[i]; 0 until made */
	if (flags >= 512) {
		static char f[16];
		tcp_flags_str(flags, f);
		*len = (uint8_t)strlen(f);
		return f;
	}
	if (!slen[flags]) {
		tcp_flags_str(flags, str[flags]);
		slen[flags] = (uint8_t)strlen(str[flags]);
	}
	*len = slen[flags];
	return str[flags];
}

/* "127.0.0.1:8888" or "[::1]:8888"; without a port when has_port is false. Needs 56 bytes. */
static char *text_endpoint(char *p, const struct ip_layer *ip, const uint8_t *addr, uint16_t port, bool has_port)
{
	if (ip->version == 6) {
		if (has_port)
			*p++ = '[';
		p = fmt_ipv6(p, addr);
		if (has_port)
			*p++ = ']';
	} else {
		p = fmt_ipv4(p, addr);
	}
	if (has_port) {
		*p++ = ':';
		p = fmt_u32(p, port);
	}
	return p;
}

/* sack_base: subtracted from SACK edges, which number the peer's bytes (the ACK's base, as tcpdump does when
   it prints relative numbers), or 0 for absolute ones. */
static char *text_tcp_options(struct obuf *o, char *p, const struct tcp_hdr *t, uint32_t sack_base)
{
	unsigned nsack = 0;
	p = fmt_lit(p, ", options [");
	for (unsigned i = 0; i < t->nopt; i++) {
		p = obuf_room(o, p, TEXT_SLACK);
		if (i)
			*p++ = ',';
		switch (t->opt[i].kind) {
		case 0:
			p = fmt_lit(p, "eol");
			break;
		case 1:
			p = fmt_lit(p, "nop");
			break;
		case 2:
			p = fmt_lit(p, "mss ");
			p = fmt_u32(p, t->mss);
			break;
		case 3:
			p = fmt_lit(p, "wscale ");
			p = fmt_u32(p, t->wscale);
			break;
		case 4:
			p = fmt_lit(p, "sackOK");
			break;
		case 5:
			p = fmt_lit(p, "sack ");
			p = fmt_u32(p, t->nsack);
			for (; nsack < t->nsack; nsack++) {
				p = obuf_room(o, p, TEXT_SLACK);
				p = fmt_lit(p, " {");
				p = fmt_u32(p, t->sack[nsack].left - sack_base);
				*p++ = ':';
				p = fmt_u32(p, t->sack[nsack].right - sack_base);
				*p++ = '}';
			}
			break;
		case 8:
			p = fmt_lit(p, "TS val ");
			p = fmt_u32(p, t->tsval);
			p = fmt_lit(p, " ecr ");
			p = fmt_u32(p, t->tsecr);
			break;
		default:
			p = fmt_lit(p, "opt-");
			p = fmt_u32(p, t->opt[i].kind);
			*p++ = ':';
			p = fmt_u32(p, t->opt[i].len);
			break;
		}
	}
	if (t->opt_have & TCPOPT_CUT) /* as tcpdump marks it: "options [mss 65495,sackOK, [|tcp]" */
		p = t->nopt ? fmt_lit(p, ", [|tcp]") : fmt_lit(p, " [|tcp]");
	*p++ = ']';
	return p;
}

static char *text_tcp(struct obuf *o, char *p, const struct ip_layer *ip, const struct track_result *tr)
{
	const struct tcp_hdr *t = &ip->u.tcp;
	bool rel = tr && tr->have_rel;
	if (ip->have & HAVE_FLAGS) {
		uint8_t n;
		const char *f = view_tcp_flags(t->flags, &n);
		p = fmt_lit(p, "Flags [");
		memcpy(p, f, 16); /* all 16 bytes (one move), then only the string's length counted */
		p += n;
		*p++ = ']';
	} else {
		p = fmt_lit(p, "TCP");
	}
	if (ip->have & HAVE_SEQ) {
		p = fmt_lit(p, ", seq ");
		p = fmt_u64(p, rel ? tr->rseq : t->seq);
	}
	uint32_t sack_base = 0;
	if ((ip->have & HAVE_ACK) && (!(ip->have & HAVE_FLAGS) || (t->flags & TCP_ACK))) {
		p = fmt_lit(p, ", ack ");
		p = fmt_u64(p, rel ? tr->rack : t->ack);
		if (rel && (t->flags & TCP_ACK))
			sack_base = t->ack - tr->rack;
	}
	if (ip->have & HAVE_WIN) {
		p = fmt_lit(p, ", win ");
		p = fmt_u32(p, t->win);
		if ((t->flags & TCP_URG) && (ip->have & HAVE_URP)) {
			p = fmt_lit(p, ", urg ");
			p = fmt_u32(p, t->urp);
		}
	}
	if ((ip->have & HAVE_TCPOPTS) && (t->nopt || (t->opt_have & TCPOPT_CUT)))
		p = text_tcp_options(o, p, t, sack_base);
	return p;
}

/* The options list of a TCP header the capture cut inside its options already marks the cut. */
static bool text_cut_shown(const struct ip_layer *ip)
{
	return ip->status == DEC_TRUNCATED && ip->l4 == L4_TCP && (ip->have & HAVE_TCPOPTS) &&
	       (ip->u.tcp.opt_have & TCPOPT_CUT);
}

static char *text_icmp(struct obuf *o, char *p, const struct ip_layer *ip)
{
	const struct icmp_hdr *ic = &ip->u.icmp;
	bool v6 = ip->l4 == L4_ICMP6;
	p = v6 ? fmt_lit(p, "ICMP6 ") : fmt_lit(p, "ICMP ");
	if (!(ip->have & HAVE_ICMP))
		return p;
	const char *tn = v6 ? icmp6_type_name(ic->type) : icmp_type_name(ic->type);
	const char *cn = v6 ? icmp6_code_name(ic->type, ic->code) : icmp_code_name(ic->type, ic->code);
	if (tn) {
		p = text_str(o, p, tn);
	} else {
		p = fmt_lit(p, "type ");
		p = fmt_u32(p, ic->type);
	}
	if (cn) {
		p = fmt_lit(p, ", ");
		p = text_str(o, p, cn);
	} else if (ic->code) {
		p = fmt_lit(p, ", code ");
		p = fmt_u32(p, ic->code);
	}
	if (!(ip->have & HAVE_ICMP_REST))
		return p;
	bool echo = v6 ? (ic->type == 128 || ic->type == 129) : (ic->type == 0 || ic->type == 8);
	if (echo) {
		p = fmt_lit(p, ", id ");
		p = fmt_u32(p, ic->id);
		p = fmt_lit(p, ", seq ");
		p = fmt_u32(p, ic->seq);
	} else if ((v6 && ic->type == 2) || (!v6 && ic->type == 3 && ic->code == 4)) {
		p = fmt_lit(p, ", mtu ");
		p = fmt_u32(p, ic->mtu);
	} else if (!v6 && ic->type == 5) {
		p = fmt_lit(p, ", to ");
		p = fmt_ipv4(p, ic->gateway);
	}
	if (ip->have & HAVE_ND_TARGET) {
		p = ic->type == 135 ? fmt_lit(p, ", who has ") : fmt_lit(p, ", target ");
		p = fmt_ipv6(p, ic->nd_target);
	}
	return p;
}

static char *text_status(struct obuf *o, char *p, enum dec_status st, enum layer_id trunc, enum layer_id bad,
			 const char *field)
{
	if (st == DEC_TRUNCATED) {
		p = fmt_lit(p, " [|");
		p = text_str(o, p, layer_name(trunc));
		*p++ = ']';
	} else if (st == DEC_INVALID) {
		p = fmt_lit(p, " [invalid ");
		p = text_str(o, p, layer_name(bad));
		if (field) {
			p = fmt_lit(p, ": ");
			p = text_str(o, p, field);
		}
		*p++ = ']';
	}
	return p;
}

/* The slots of a route or timestamp option: addresses, timestamps, or address@timestamp. */
static char *text_opt_slots(char *p, const struct ipv4_opt *o)
{
	bool ts = o->type == IPOPT_TS, addr = !ts || o->slot_size == 8;
	/* RR and TS list what was recorded; source routes and prespecified TS list every slot. */
	unsigned shown = (ts && o->ts_flag != IPOPT_TS_PRESPEC) || o->type == IPOPT_RR ? o->nused : o->nslot;
	for (unsigned i = 0; i < shown; i++) {
		const uint8_t *s = o->slots + (size_t)i * o->slot_size;
		*p++ = ' ';
		if (addr)
			p = fmt_ipv4(p, s);
		if (ts && (!addr || i < o->nused)) {
			if (addr)
				*p++ = '@';
			p = fmt_u32(p, bytes_be32(s + (addr ? 4 : 0)));
		}
	}
	if (o->type == IPOPT_LSRR || o->type == IPOPT_SSRR || (ts && o->ts_flag == IPOPT_TS_PRESPEC)) {
		if (o->nused < o->nslot) {
			p = fmt_lit(p, " (next ");
			p = fmt_ipv4(p, o->slots + (size_t)o->nused * o->slot_size);
			*p++ = ')';
		} else {
			p = fmt_lit(p, " (done)");
		}
	} else if (o->nused < o->nslot) {
		p = fmt_lit(p, " (");
		p = fmt_u32(p, o->nslot - o->nused);
		p = fmt_lit(p, " free)");
	} else {
		p = fmt_lit(p, " (full)");
	}
	return p;
}

char *view_ipv4_opt(char *p, const struct ipv4_opt *o)
{
	const char *name = ipv4_opt_name(o->type);
	if (name) {
		p = fmt_mem(p, name, strlen(name));
	} else {
		p = fmt_lit(p, "opt-");
		p = fmt_u32(p, o->type);
	}
	if (o->type == IPOPT_EOL || o->type == IPOPT_NOP)
		return p;
	bool parsed = o->data && !o->bad;
	if (parsed && o->type == IPOPT_RA) {
		*p++ = ' ';
		p = fmt_u32(p, o->ra_value);
		return p;
	}
	if (o->slots) {
		if (o->type == IPOPT_TS && o->ts_flag == IPOPT_TS_PRESPEC)
			p = fmt_lit(p, " prespec");
		else if (o->type == IPOPT_TS && o->ts_flag != IPOPT_TS_ONLY && o->ts_flag != IPOPT_TS_ADDR) {
			p = fmt_lit(p, " flag ");
			p = fmt_u32(p, o->ts_flag);
		}
		p = text_opt_slots(p, o);
		if (o->ts_overflow) {
			p = fmt_lit(p, " overflow ");
			p = fmt_u32(p, o->ts_overflow);
		}
		if (o->ptr_bad) {
			p = fmt_lit(p, " [bad pointer ");
			p = fmt_u32(p, o->ptr);
			*p++ = ']';
		}
	} else if (o->len) {
		p = fmt_lit(p, " len ");
		p = fmt_u32(p, o->len);
	}
	if (o->bad) {
		p = fmt_lit(p, " [");
		p = fmt_mem(p, o->bad, strlen(o->bad));
		*p++ = ']';
	}
	return p;
}

char *view_ipv4_opt_list(struct obuf *o, char *p, const struct ip_layer *ip, size_t room,
			 char *(*one)(char *p, const struct ipv4_opt *opt))
{
	struct cursor c = cursor_make(ip->ip_opts, ip->ip_opts_len);
	struct ipv4_opt opt;
	for (bool first = true; ipv4_opt_next(&c, &opt); first = false) {
		p = obuf_room(o, p, room);
		if (!first)
			*p++ = ',';
		p = one(p, &opt);
	}
	return p;
}

/* "options [RR 127.0.0.1 (8 free),EOL] ": the IPv4 options, when the header has them and they were captured. */
static char *text_ip_options(struct obuf *o, char *p, const struct ip_layer *ip)
{
	p = fmt_lit(p, "options [");
	p = view_ipv4_opt_list(o, p, ip, VIEW_IPV4_OPT_MAX + TEXT_SLACK, view_ipv4_opt);
	p = fmt_lit(p, "] ");
	return obuf_room(o, p, TEXT_SLACK); /* the rest of the line has the room it had before the options */
}

/* An IP packet: the outer one (pkt: the packet, for its application summary), or (quoted, pkt NULL) the one
   an ICMP error carries. */
static char *text_ip(struct obuf *o, char *p, const struct ip_layer *ip, const struct track_result *tr,
		     const struct packet *pkt)
{
	bool ports = (ip->have & HAVE_PORTS) != 0;
	uint16_t sp = 0, dp = 0;
	if (ip->l4 == L4_TCP) {
		sp = ip->u.tcp.sport;
		dp = ip->u.tcp.dport;
	} else if (ip->l4 == L4_UDP) {
		sp = ip->u.udp.sport;
		dp = ip->u.udp.dport;
	} else {
		ports = false;
	}
	p = obuf_room(o, p, TEXT_SLACK);
	p = ip->version == 6 ? fmt_lit(p, "IP6 ") : fmt_lit(p, "IP ");
	if (!(ip->have & HAVE_IP))
		return text_status(o, p, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
	if (ip->ip_opts)
		p = text_ip_options(o, p, ip);
	p = text_endpoint(p, ip, ip->src, sp, ports);
	p = fmt_lit(p, " > ");
	p = text_endpoint(p, ip, ip->dst, dp, ports);
	p = fmt_lit(p, ": ");
	if (ip->is_frag && ip->frag_off > 0) {
		const char *pn = ipproto_name(ip->proto);
		p = fmt_lit(p, "fragment id ");
		p = fmt_u32(p, ip->ip_id);
		p = fmt_lit(p, " offset ");
		p = fmt_u32(p, ip->frag_off);
		if (ip->more_frags)
			p = fmt_lit(p, " MF");
		p = fmt_lit(p, ", proto ");
		p = text_str(o, p, pn ? pn : "?");
		p = fmt_lit(p, ", length ");
		p = fmt_u32(p, ip->total_len > ip->hdr_len ? ip->total_len - ip->hdr_len : 0);
		return text_status(o, p, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
	}
	switch (ip->l4) {
	case L4_TCP:
		p = text_tcp(o, p, ip, tr);
		break;
	case L4_UDP:
		p = fmt_lit(p, "UDP");
		break;
	case L4_ICMP:
	case L4_ICMP6:
		p = text_icmp(o, p, ip);
		break;
	case L4_NONE: {
		const char *pn = ipproto_name(ip->proto);
		p = fmt_lit(p, "proto ");
		if (pn) {
			p = text_str(o, p, pn);
			p = fmt_lit(p, " (");
			p = fmt_u32(p, ip->proto);
			*p++ = ')';
		} else {
			p = fmt_u32(p, ip->proto);
		}
		break;
	}
	}
	if (ip->have & HAVE_PAYLOAD) {
		p = fmt_lit(p, ", length ");
		p = fmt_u32(p, ip->payload_wire);
	}
	if (pkt && pkt->app.kind != APP_NONE)
		p = view_app_text(o, p, pkt, TEXT_SLACK);
	if (ip->is_frag) {
		p = fmt_lit(p, " (first fragment, id ");
		p = fmt_u32(p, ip->ip_id);
		*p++ = ')';
	}
	if (text_cut_shown(ip))
		return p;
	return text_status(o, p, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
}

/* "| flow 3 c2s | retransmission, dup-ack #2 | client CLOSED->SYN-SENT" */
static char *text_track(struct obuf *o, char *p, const struct track_result *tr)
{
	if (!tr || !tr->flow)
		return p;
	p = obuf_room(o, p, TEXT_SLACK);
	p = fmt_lit(p, " | flow ");
	p = fmt_u64(p, tr->flow->id);
	p = tr->dir == DIR_C2S ? fmt_lit(p, " c2s") : fmt_lit(p, " s2c");
	/* The set bits below EV_COUNT_BITS, lowest first. */
	uint32_t ev = tr->events & ~(uint32_t)(EV_STATE_CHANGE | EV_NEW_FLOW) & (uint32_t)((1ull << EV_COUNT_BITS) - 1);
	if (ev) {
		p = fmt_lit(p, " |");
		bool first = true;
		for (; ev; ev &= ev - 1) {
			uint32_t bit = 1u << __builtin_ctz(ev);
			p = first ? fmt_lit(p, " ") : fmt_lit(p, ", ");
			first = false;
			p = text_str(o, p, flow_event_name(bit));
			if (bit == EV_DUP_ACK) {
				p = fmt_lit(p, " #");
				p = fmt_u64(p, tr->dup_ack_n);
			}
		}
	}
	if (tr->flow->proto == 6) {
		bool any = false;
		for (int i = 0; i < 2; i++) {
			if (tr->before[i] == tr->after[i])
				continue;
			p = any ? fmt_lit(p, ", ") : fmt_lit(p, " | ");
			any = true;
			p = i == 0 ? fmt_lit(p, "client ") : fmt_lit(p, "server ");
			/* A new flow's ends had no state before: name only the one they reached. */
			if (tr->before[i] != TCPS_NONE) {
				p = text_str(o, p, tcp_state_name(tr->before[i]));
				p = fmt_lit(p, "->");
			}
			p = text_str(o, p, tcp_state_name(tr->after[i]));
		}
	}
	return p;
}

void view_text_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano)
{
	char *w = obuf_reserve(o, TEXT_SLACK);
	w = text_time(w, p->ts_sec, p->ts_nsec, nano);
	*w++ = ' ';
	if (p->iface && p->iface_several) { /* the interface, as tcpdump -i any names it: "eth0 " (or "if1 ") */
		if (p->iface->name) {
			w = text_str(o, w, p->iface->name);
		} else {
			w = fmt_lit(w, "if");
			w = fmt_u32(w, p->iface->index);
		}
		*w++ = ' ';
	}
	if (!p->link_supported) {
		const char *ln = linktype_name(p->linktype);
		w = fmt_lit(w, "unsupported link type ");
		if (ln) {
			w = text_str(o, w, ln);
		} else {
			w = fmt_lit(w, "DLT ");
			w = fmt_u64(w, (uint64_t)p->linktype);
		}
		w = fmt_lit(w, ", length ");
		w = fmt_u32(w, p->len);
		*w++ = '\n';
		obuf_commit(o, w);
		obuf_maybe_flush(o);
		return;
	}
	for (unsigned i = 0; i < p->link.nvlan && i < PKT_MAX_VLAN; i++) {
		w = fmt_lit(w, "vlan ");
		w = fmt_u32(w, p->link.vlan[i].vid);
		*w++ = ' ';
	}
	if (p->has_ip) {
		w = text_ip(o, w, &p->ip, tr, p);
		if (p->has_inner) {
			w = obuf_room(o, w, TEXT_SLACK);
			w = fmt_lit(w, " {quoting ");
			w = text_ip(o, w, &p->inner, NULL, NULL);
			*w++ = '}';
		}
		w = text_track(o, w, tr);
		if (p->status != DEC_OK && p->ip.status == DEC_OK)
			w = text_status(o, w, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	} else {
		const char *en = p->link.ethertype ? ether_type_name(p->link.ethertype) : NULL;
		if (p->link.ethertype) {
			static const char hex[] = "0123456789abcdef";
			char x[6] = { '0', 'x', hex[p->link.ethertype >> 12], hex[(p->link.ethertype >> 8) & 15],
				      hex[(p->link.ethertype >> 4) & 15], hex[p->link.ethertype & 15] };
			w = fmt_lit(w, "ethertype ");
			if (en) {
				w = text_str(o, w, en);
				w = fmt_lit(w, " (");
				w = fmt_mem(w, x, sizeof x);
				*w++ = ')';
			} else {
				w = fmt_mem(w, x, sizeof x);
			}
			w = fmt_lit(w, ", ");
		}
		w = fmt_lit(w, "length ");
		w = fmt_u32(w, p->len);
		if (p->app.kind != APP_NONE)
			w = view_app_text(o, w, p, TEXT_SLACK);
		w = text_status(o, w, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	}
	*w++ = '\n';
	obuf_commit(o, w);
	obuf_maybe_flush(o);
}

/* ---- The classroom's lines beside the packets: socket calls and socket-table changes ---- */

void view_text_call(struct obuf *o, const struct sock_event *ev, int64_t at_ns, bool nano, const struct flow *f,
		    enum flow_dir side)
{
	char strace[1024];
	events_format_strace(ev, strace, sizeof strace);
	view_time(o, at_ns / 1000000000, (uint32_t)(at_ns % 1000000000), nano);
	obuf_puts(o, " call  ");
	obuf_puts(o, ev->role);
	obuf_puts(o, " pid ");
	obuf_i64(o, ev->pid);
	obuf_puts(o, ": ");
	obuf_puts(o, strace);
	if (f) {
		obuf_puts(o, " | flow ");
		obuf_u64(o, f->id);
		obuf_puts(o, side == DIR_C2S ? " client" : " server");
	}
	obuf_putc(o, '\n');
}

void view_text_socket(struct obuf *o, enum sockdiag_change what, const struct sockdiag_row *before,
		      const struct sockdiag_row *after, int64_t now_ns, bool nano)
{
	const struct sockdiag_row *r = after ? after : before;
	char line[256];
	sockdiag_format(r, line, sizeof line);
	view_time(o, now_ns / 1000000000, (uint32_t)(now_ns % 1000000000), nano);
	obuf_puts(o, " socket ");
	obuf_puts(o, sockdiag_change_mark(what));
	obuf_putc(o, ' ');
	obuf_puts(o, line);
	if (what == SOCKDIAG_STATE && before) {
		obuf_puts(o, " (was ");
		obuf_puts(o, sockdiag_state_name(before->state));
		obuf_putc(o, ')');
	}
	obuf_putc(o, '\n');
}
