/* view_json.c — one JSON object per packet per line; every key present only when the packet has it. */
#include "view.h"

#include "decode.h"

/* ,"key": */
static void key(struct obuf *o, const char *k)
{
	obuf_puts(o, ",\"");
	obuf_puts(o, k);
	obuf_puts(o, "\":");
}

static void key_u64(struct obuf *o, const char *k, uint64_t v)
{
	key(o, k);
	obuf_u64(o, v);
}

static void key_str(struct obuf *o, const char *k, const char *v)
{
	key(o, k);
	obuf_json_str(o, v);
}

static void key_addr(struct obuf *o, const char *k, int af, const uint8_t *a)
{
	key(o, k);
	obuf_putc(o, '"');
	obuf_addr(o, af, a);
	obuf_putc(o, '"');
}

static void json_status(struct obuf *o, enum dec_status st, enum layer_id trunc, enum layer_id bad, const char *field)
{
	if (st == DEC_TRUNCATED) {
		key_str(o, "truncated", layer_name(trunc));
	} else if (st == DEC_INVALID) {
		key_str(o, "invalid", layer_name(bad));
		if (field)
			key_str(o, "invalid_field", field);
	}
}

static void json_tcp(struct obuf *o, const struct ip_layer *ip)
{
	const struct tcp_hdr *t = &ip->u.tcp;
	if (ip->have & HAVE_SEQ)
		key_u64(o, "seq", t->seq);
	if (ip->have & HAVE_ACK)
		key_u64(o, "ack", t->ack);
	if (ip->have & HAVE_FLAGS) {
		char f[16];
		key_u64(o, "tcp_flags", t->flags);
		key_str(o, "flags", tcp_flags_str(t->flags, f));
	}
	if (ip->have & HAVE_WIN) {
		key_u64(o, "win", t->win);
		if (t->flags & TCP_URG)
			key_u64(o, "urg", t->urp);
	}
	if (!(ip->have & HAVE_TCPOPTS))
		return;
	if (t->opt_have & TCPOPT_HAVE_MSS)
		key_u64(o, "mss", t->mss);
	if (t->opt_have & TCPOPT_HAVE_WSCALE)
		key_u64(o, "wscale", t->wscale);
	if (t->opt_have & TCPOPT_HAVE_SACK_OK)
		obuf_puts(o, ",\"sack_ok\":true");
	if (t->opt_have & TCPOPT_HAVE_SACK) {
		key(o, "sack");
		obuf_putc(o, '[');
		for (unsigned i = 0; i < t->nsack && i < PKT_MAX_SACK; i++) {
			obuf_puts(o, i ? ",[" : "[");
			obuf_u64(o, t->sack[i].left);
			obuf_putc(o, ',');
			obuf_u64(o, t->sack[i].right);
			obuf_putc(o, ']');
		}
		obuf_putc(o, ']');
	}
	if (t->opt_have & TCPOPT_HAVE_TS) {
		key_u64(o, "tsval", t->tsval);
		key_u64(o, "tsecr", t->tsecr);
	}
}

static void json_icmp(struct obuf *o, const struct ip_layer *ip)
{
	const struct icmp_hdr *ic = &ip->u.icmp;
	bool v6 = ip->l4 == L4_ICMP6;
	if (!(ip->have & HAVE_ICMP))
		return;
	key_u64(o, "icmp_type", ic->type);
	key_u64(o, "icmp_code", ic->code);
	if (!(ip->have & HAVE_ICMP_REST))
		return;
	if (v6 ? (ic->type == 128 || ic->type == 129) : (ic->type == 0 || ic->type == 8)) {
		key_u64(o, "icmp_id", ic->id);
		key_u64(o, "icmp_seq", ic->seq);
	} else if ((v6 && ic->type == 2) || (!v6 && ic->type == 3 && ic->code == 4)) {
		key_u64(o, "mtu", ic->mtu);
	} else if (!v6 && ic->type == 5) {
		key_addr(o, "gateway", 4, ic->gateway);
	}
	if (ip->have & HAVE_ND_TARGET)
		key_addr(o, "nd_target", 6, ic->nd_target);
}

/* The keys of one IP packet (outer or inner), each after a comma. */
static void json_ip(struct obuf *o, const struct ip_layer *ip)
{
	if (!(ip->have & HAVE_IP)) {
		json_status(o, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
		return;
	}
	key_str(o, "l3", ip->version == 6 ? "ipv6" : "ipv4");
	key_addr(o, "src", ip->version, ip->src);
	key_addr(o, "dst", ip->version, ip->dst);
	switch (ip->l4) {
	case L4_TCP:
		key_str(o, "proto", "tcp");
		break;
	case L4_UDP:
		key_str(o, "proto", "udp");
		break;
	case L4_ICMP:
		key_str(o, "proto", "icmp");
		break;
	case L4_ICMP6:
		key_str(o, "proto", "icmp6");
		break;
	case L4_NONE:
		if (ip->proto == 6 || ip->proto == 17 || ip->proto == 1 || ip->proto == 58) {
			static const char *const nm[] = { [1] = "icmp", [6] = "tcp", [17] = "udp", [58] = "icmp6" };
			key_str(o, "proto", nm[ip->proto]);
		} else {
			key_u64(o, "proto", ip->proto);
		}
		break;
	}
	if (ip->have & HAVE_PORTS) {
		uint16_t sp = ip->l4 == L4_TCP ? ip->u.tcp.sport : ip->u.udp.sport;
		uint16_t dp = ip->l4 == L4_TCP ? ip->u.tcp.dport : ip->u.udp.dport;
		key_u64(o, "sport", sp);
		key_u64(o, "dport", dp);
	}
	if (ip->l4 == L4_TCP)
		json_tcp(o, ip);
	else if (ip->l4 == L4_ICMP || ip->l4 == L4_ICMP6)
		json_icmp(o, ip);
	if (ip->have & HAVE_PAYLOAD)
		key_u64(o, "payload", ip->payload_wire);
	if (ip->is_frag) {
		key(o, "frag");
		obuf_puts(o, "{\"id\":");
		obuf_u64(o, ip->ip_id);
		obuf_puts(o, ",\"offset\":");
		obuf_u64(o, ip->frag_off);
		obuf_puts(o, ip->more_frags ? ",\"mf\":true}" : ",\"mf\":false}");
	}
	json_status(o, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
}

static void json_track(struct obuf *o, const struct track_result *tr)
{
	if (!tr || !tr->flow)
		return;
	key_u64(o, "flow", tr->flow->id);
	key_str(o, "dir", tr->dir == DIR_C2S ? "c2s" : "s2c");
	if (tr->have_rel) {
		key_u64(o, "rseq", tr->rseq);
		key_u64(o, "rack", tr->rack);
	}
	if (tr->flow->proto == 6) {
		key(o, "state");
		obuf_puts(o, "{\"client\":");
		obuf_json_str(o, tcp_state_name(tr->after[0]));
		obuf_puts(o, ",\"server\":");
		obuf_json_str(o, tcp_state_name(tr->after[1]));
		obuf_putc(o, '}');
	}
	key(o, "events");
	obuf_putc(o, '[');
	bool first = true;
	for (unsigned b = 0; b < EV_COUNT_BITS; b++) {
		uint32_t bit = 1u << b;
		if (!(tr->events & bit))
			continue;
		if (!first)
			obuf_putc(o, ',');
		first = false;
		obuf_json_str(o, flow_event_name(bit));
	}
	obuf_putc(o, ']');
	if (tr->events & EV_DUP_ACK)
		key_u64(o, "dup_ack", tr->dup_ack_n);
}

void view_json_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano)
{
	obuf_puts(o, "{\"n\":");
	obuf_u64(o, p->n);
	key(o, "ts");
	obuf_i64(o, p->ts_sec);
	obuf_putc(o, '.');
	if (nano)
		obuf_u64_pad(o, p->ts_nsec, 9);
	else
		obuf_u64_pad(o, p->ts_nsec / 1000, 6);
	key_u64(o, "caplen", p->caplen);
	key_u64(o, "len", p->len);
	const char *ln = linktype_name(p->linktype);
	if (ln)
		key_str(o, "link", ln);
	else
		key_u64(o, "link", (uint64_t)p->linktype);
	if (!p->link_supported) {
		obuf_puts(o, ",\"unsupported\":true}\n");
		obuf_maybe_flush(o);
		return;
	}
	if (p->link.nvlan) {
		key(o, "vlan");
		obuf_putc(o, '[');
		for (unsigned i = 0; i < p->link.nvlan && i < PKT_MAX_VLAN; i++) {
			if (i)
				obuf_putc(o, ',');
			obuf_u64(o, p->link.vlan[i].vid);
		}
		obuf_putc(o, ']');
	}
	if (p->has_ip) {
		json_ip(o, &p->ip);
		if (p->has_inner) {
			key(o, "inner");
			/* json_ip writes ,"key":value pairs, so the object opens with a key of its own. */
			obuf_puts(o, "{\"quoted\":true");
			json_ip(o, &p->inner);
			obuf_putc(o, '}');
		}
		json_track(o, tr);
		if (p->status != DEC_OK && p->ip.status == DEC_OK)
			json_status(o, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	} else {
		if (p->link.ethertype)
			key_u64(o, "ethertype", p->link.ethertype);
		json_status(o, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	}
	obuf_puts(o, "}\n");
	obuf_maybe_flush(o);
}
