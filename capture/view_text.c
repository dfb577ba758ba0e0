/* view_text.c — one readable line per packet: time, endpoints, protocol, flags, numbers, events, states. */
#include "view.h"

#include <time.h>

#include "decode.h"

void view_time(struct obuf *o, int64_t sec, uint32_t nsec, bool nano)
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
	obuf_write(o, hms, sizeof hms);
	obuf_putc(o, '.');
	if (nano)
		obuf_u64_pad(o, nsec, 9);
	else
		obuf_u64_pad(o, nsec / 1000, 6);
}

/* "127.0.0.1:8888" or "[::1]:8888"; without a port when has_port is false. */
static void text_endpoint(struct obuf *o, const struct ip_layer *ip, const uint8_t *addr, uint16_t port, bool has_port)
{
	if (ip->version == 6 && has_port)
		obuf_putc(o, '[');
	obuf_addr(o, ip->version, addr);
	if (has_port) {
		if (ip->version == 6)
			obuf_putc(o, ']');
		obuf_putc(o, ':');
		obuf_u64(o, port);
	}
}

static void text_tcp_options(struct obuf *o, const struct tcp_hdr *t)
{
	unsigned nsack = 0;
	obuf_puts(o, ", options [");
	for (unsigned i = 0; i < t->nopt; i++) {
		if (i)
			obuf_putc(o, ',');
		switch (t->opt[i].kind) {
		case 0:
			obuf_puts(o, "eol");
			break;
		case 1:
			obuf_puts(o, "nop");
			break;
		case 2:
			obuf_puts(o, "mss ");
			obuf_u64(o, t->mss);
			break;
		case 3:
			obuf_puts(o, "wscale ");
			obuf_u64(o, t->wscale);
			break;
		case 4:
			obuf_puts(o, "sackOK");
			break;
		case 5:
			obuf_puts(o, "sack ");
			obuf_u64(o, t->nsack);
			for (; nsack < t->nsack; nsack++) {
				obuf_puts(o, " {");
				obuf_u64(o, t->sack[nsack].left);
				obuf_putc(o, ':');
				obuf_u64(o, t->sack[nsack].right);
				obuf_putc(o, '}');
			}
			break;
		case 8:
			obuf_puts(o, "TS val ");
			obuf_u64(o, t->tsval);
			obuf_puts(o, " ecr ");
			obuf_u64(o, t->tsecr);
			break;
		default:
			obuf_puts(o, "opt-");
			obuf_u64(o, t->opt[i].kind);
			obuf_putc(o, ':');
			obuf_u64(o, t->opt[i].len);
			break;
		}
	}
	obuf_putc(o, ']');
}

static void text_tcp(struct obuf *o, const struct ip_layer *ip, const struct track_result *tr)
{
	const struct tcp_hdr *t = &ip->u.tcp;
	bool rel = tr && tr->have_rel;
	if (ip->have & HAVE_FLAGS) {
		char f[16];
		obuf_puts(o, "Flags [");
		obuf_puts(o, tcp_flags_str(t->flags, f));
		obuf_puts(o, "]");
	} else {
		obuf_puts(o, "TCP");
	}
	if (ip->have & HAVE_SEQ) {
		obuf_puts(o, ", seq ");
		obuf_u64(o, rel ? tr->rseq : t->seq);
	}
	if ((ip->have & HAVE_ACK) && (!(ip->have & HAVE_FLAGS) || (t->flags & TCP_ACK))) {
		obuf_puts(o, ", ack ");
		obuf_u64(o, rel ? tr->rack : t->ack);
	}
	if (ip->have & HAVE_WIN) {
		obuf_puts(o, ", win ");
		obuf_u64(o, t->win);
		if (t->flags & TCP_URG) {
			obuf_puts(o, ", urg ");
			obuf_u64(o, t->urp);
		}
	}
	if ((ip->have & HAVE_TCPOPTS) && t->nopt)
		text_tcp_options(o, t);
}

static void text_icmp(struct obuf *o, const struct ip_layer *ip)
{
	const struct icmp_hdr *ic = &ip->u.icmp;
	bool v6 = ip->l4 == L4_ICMP6;
	obuf_puts(o, v6 ? "ICMP6 " : "ICMP ");
	if (!(ip->have & HAVE_ICMP))
		return;
	const char *tn = v6 ? icmp6_type_name(ic->type) : icmp_type_name(ic->type);
	const char *cn = v6 ? icmp6_code_name(ic->type, ic->code) : icmp_code_name(ic->type, ic->code);
	if (tn) {
		obuf_puts(o, tn);
	} else {
		obuf_puts(o, "type ");
		obuf_u64(o, ic->type);
	}
	if (cn) {
		obuf_puts(o, ", ");
		obuf_puts(o, cn);
	} else if (ic->code) {
		obuf_puts(o, ", code ");
		obuf_u64(o, ic->code);
	}
	if (!(ip->have & HAVE_ICMP_REST))
		return;
	bool echo = v6 ? (ic->type == 128 || ic->type == 129) : (ic->type == 0 || ic->type == 8);
	if (echo) {
		obuf_puts(o, ", id ");
		obuf_u64(o, ic->id);
		obuf_puts(o, ", seq ");
		obuf_u64(o, ic->seq);
	} else if ((v6 && ic->type == 2) || (!v6 && ic->type == 3 && ic->code == 4)) {
		obuf_puts(o, ", mtu ");
		obuf_u64(o, ic->mtu);
	} else if (!v6 && ic->type == 5) {
		obuf_puts(o, ", to ");
		obuf_addr(o, 4, ic->gateway);
	}
	if (ip->have & HAVE_ND_TARGET) {
		obuf_puts(o, ic->type == 135 ? ", who has " : ", target ");
		obuf_addr(o, 6, ic->nd_target);
	}
}

static void text_status(struct obuf *o, enum dec_status st, enum layer_id trunc, enum layer_id bad, const char *field)
{
	if (st == DEC_TRUNCATED) {
		obuf_puts(o, " [|");
		obuf_puts(o, layer_name(trunc));
		obuf_putc(o, ']');
	} else if (st == DEC_INVALID) {
		obuf_puts(o, " [invalid ");
		obuf_puts(o, layer_name(bad));
		if (field) {
			obuf_puts(o, ": ");
			obuf_puts(o, field);
		}
		obuf_putc(o, ']');
	}
}

/* An IP packet: the outer one, or (quoted) the one an ICMP error carries. */
static void text_ip(struct obuf *o, const struct ip_layer *ip, const struct track_result *tr)
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
	obuf_puts(o, ip->version == 6 ? "IP6 " : "IP ");
	if (!(ip->have & HAVE_IP)) {
		text_status(o, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
		return;
	}
	text_endpoint(o, ip, ip->src, sp, ports);
	obuf_puts(o, " > ");
	text_endpoint(o, ip, ip->dst, dp, ports);
	obuf_puts(o, ": ");
	if (ip->is_frag && ip->frag_off > 0) {
		const char *pn = ipproto_name(ip->proto);
		obuf_puts(o, "fragment id ");
		obuf_u64(o, ip->ip_id);
		obuf_puts(o, " offset ");
		obuf_u64(o, ip->frag_off);
		if (ip->more_frags)
			obuf_puts(o, " MF");
		obuf_puts(o, ", proto ");
		obuf_puts(o, pn ? pn : "?");
		obuf_puts(o, ", length ");
		obuf_u64(o, ip->total_len > ip->hdr_len ? ip->total_len - ip->hdr_len : 0);
		text_status(o, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
		return;
	}
	switch (ip->l4) {
	case L4_TCP:
		text_tcp(o, ip, tr);
		break;
	case L4_UDP:
		obuf_puts(o, "UDP");
		break;
	case L4_ICMP:
	case L4_ICMP6:
		text_icmp(o, ip);
		break;
	case L4_NONE: {
		const char *pn = ipproto_name(ip->proto);
		obuf_puts(o, "proto ");
		if (pn) {
			obuf_puts(o, pn);
			obuf_puts(o, " (");
			obuf_u64(o, ip->proto);
			obuf_putc(o, ')');
		} else {
			obuf_u64(o, ip->proto);
		}
		break;
	}
	}
	if (ip->have & HAVE_PAYLOAD) {
		obuf_puts(o, ", length ");
		obuf_u64(o, ip->payload_wire);
	}
	if (ip->is_frag) {
		obuf_puts(o, " (first fragment, id ");
		obuf_u64(o, ip->ip_id);
		obuf_putc(o, ')');
	}
	text_status(o, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
}

/* "| flow 3 c2s | retransmission, dup-ack #2 | client CLOSED->SYN-SENT" */
static void text_track(struct obuf *o, const struct track_result *tr)
{
	if (!tr || !tr->flow)
		return;
	obuf_puts(o, " | flow ");
	obuf_u64(o, tr->flow->id);
	obuf_puts(o, tr->dir == DIR_C2S ? " c2s" : " s2c");
	uint32_t ev = tr->events & ~(uint32_t)(EV_STATE_CHANGE | EV_NEW_FLOW);
	if (ev) {
		obuf_puts(o, " |");
		bool first = true;
		for (unsigned b = 0; b < EV_COUNT_BITS; b++) {
			uint32_t bit = 1u << b;
			if (!(ev & bit))
				continue;
			obuf_puts(o, first ? " " : ", ");
			first = false;
			obuf_puts(o, flow_event_name(bit));
			if (bit == EV_DUP_ACK) {
				obuf_puts(o, " #");
				obuf_u64(o, tr->dup_ack_n);
			}
		}
	}
	if (tr->flow->proto == 6) {
		static const char *const who[2] = { "client ", "server " };
		bool any = false;
		for (int i = 0; i < 2; i++) {
			if (tr->before[i] == tr->after[i])
				continue;
			obuf_puts(o, any ? ", " : " | ");
			any = true;
			obuf_puts(o, who[i]);
			/* A new flow's ends had no state before: name only the one they reached. */
			if (tr->before[i] != TCPS_NONE) {
				obuf_puts(o, tcp_state_name(tr->before[i]));
				obuf_puts(o, "->");
			}
			obuf_puts(o, tcp_state_name(tr->after[i]));
		}
	}
}

void view_text_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano)
{
	view_time(o, p->ts_sec, p->ts_nsec, nano);
	obuf_putc(o, ' ');
	if (!p->link_supported) {
		const char *ln = linktype_name(p->linktype);
		obuf_puts(o, "unsupported link type ");
		if (ln) {
			obuf_puts(o, ln);
		} else {
			obuf_puts(o, "DLT ");
			obuf_u64(o, (uint64_t)p->linktype);
		}
		obuf_puts(o, ", length ");
		obuf_u64(o, p->len);
		obuf_putc(o, '\n');
		obuf_maybe_flush(o);
		return;
	}
	for (unsigned i = 0; i < p->link.nvlan && i < PKT_MAX_VLAN; i++) {
		obuf_puts(o, "vlan ");
		obuf_u64(o, p->link.vlan[i].vid);
		obuf_putc(o, ' ');
	}
	if (p->has_ip) {
		text_ip(o, &p->ip, tr);
		if (p->has_inner) {
			obuf_puts(o, " {quoting ");
			text_ip(o, &p->inner, NULL);
			obuf_putc(o, '}');
		}
		text_track(o, tr);
		if (p->status != DEC_OK && p->ip.status == DEC_OK)
			text_status(o, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	} else {
		const char *en = p->link.ethertype ? ether_type_name(p->link.ethertype) : NULL;
		if (p->link.ethertype) {
			static const char hex[] = "0123456789abcdef";
			char x[6] = { '0', 'x', hex[p->link.ethertype >> 12], hex[(p->link.ethertype >> 8) & 15],
				      hex[(p->link.ethertype >> 4) & 15], hex[p->link.ethertype & 15] };
			obuf_puts(o, "ethertype ");
			if (en) {
				obuf_puts(o, en);
				obuf_puts(o, " (");
				obuf_write(o, x, sizeof x);
				obuf_putc(o, ')');
			} else {
				obuf_write(o, x, sizeof x);
			}
			obuf_puts(o, ", ");
		}
		obuf_puts(o, "length ");
		obuf_u64(o, p->len);
		text_status(o, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	}
	obuf_putc(o, '\n');
	obuf_maybe_flush(o);
}
