/* view_json.c — one JSON object per packet per line; every key present only when the packet has it. */
#include "view/view.h"

#include "common/count.h"
#include "decode/decode.h"

/* Every run of fixed-size text between two room checks (obuf_room) stays below this many bytes. */
#define JSON_SLACK 1024

/* ,"key": — k must be a string literal. */
#define KEY(p, k) fmt_lit((p), ",\"" k "\":")

/* A JSON string of any length, with JSON_SLACK bytes of room after it. */
static char *json_str(struct obuf *o, char *p, const char *s)
{
	size_t n = strlen(s);
	if (n > OBUF_SIZE / 24) { /* too long to escape in place with room to spare: obuf_json_str slices it */
		obuf_commit(o, p);
		obuf_json_str(o, s);
		return obuf_reserve(o, JSON_SLACK);
	}
	p = obuf_room(o, p, 6 * n + 2 + JSON_SLACK);
	return fmt_json(p, s, n);
}

/* A name from a fixed table (states, events, flags, link types) as a JSON literal, made once. */
struct json_name {
	char s[64];
	uint8_t n; /* bytes of s; 0: not made yet, or too long to keep (written each time instead) */
};

/* name as a JSON string, from *cache when it fits there (filled on first use); copies 64 bytes. */
static char *json_name(struct obuf *o, char *p, struct json_name *cache, const char *name)
{
	if (!cache->n) {
		size_t n = strlen(name);
		size_t k = fmt_json_len(name, n);
		if (k > sizeof cache->s)
			return json_str(o, p, name);
		fmt_json(cache->s, name, n);
		cache->n = (uint8_t)k;
	}
	memcpy(p, cache->s, sizeof cache->s); /* one fixed-size move; only n bytes are counted */
	return p + cache->n;
}

static char *json_state(struct obuf *o, char *p, enum tcp_state st)
{
	static struct json_name names[TCPS_COUNT];
	if ((unsigned)st >= TCPS_COUNT)
		return json_str(o, p, tcp_state_name(st));
	return json_name(o, p, &names[st], tcp_state_name(st));
}

static char *json_addr(char *p, int af, const uint8_t *a)
{
	*p++ = '"';
	p = af == 4 ? fmt_ipv4(p, a) : fmt_ipv6(p, a);
	*p++ = '"';
	return p;
}

static char *json_status(struct obuf *o, char *p, enum dec_status st, enum layer_id trunc, enum layer_id bad,
			 const char *field)
{
	if (st == DEC_TRUNCATED) {
		p = KEY(p, "truncated");
		p = json_str(o, p, layer_name(trunc));
	} else if (st == DEC_INVALID) {
		p = KEY(p, "invalid");
		p = json_str(o, p, layer_name(bad));
		if (field) {
			p = KEY(p, "invalid_field");
			p = json_str(o, p, field);
		}
	}
	return p;
}

static char *json_tcp(struct obuf *o, char *p, const struct ip_layer *ip)
{
	const struct tcp_hdr *t = &ip->u.tcp;
	p = obuf_room(o, p, JSON_SLACK);
	if (ip->have & HAVE_SEQ) {
		p = KEY(p, "seq");
		p = fmt_u32(p, t->seq);
	}
	if (ip->have & HAVE_ACK) {
		p = KEY(p, "ack");
		p = fmt_u32(p, t->ack);
	}
	if (ip->have & HAVE_FLAGS) {
		static struct json_name flag_names[512];
		p = KEY(p, "tcp_flags");
		p = fmt_u32(p, t->flags);
		p = KEY(p, "flags");
		if (t->flags < 512) {
			uint8_t n;
			p = json_name(o, p, &flag_names[t->flags], view_tcp_flags(t->flags, &n));
		} else {
			char f[16];
			p = json_str(o, p, tcp_flags_str(t->flags, f));
		}
	}
	if (ip->have & HAVE_WIN) {
		p = KEY(p, "win");
		p = fmt_u32(p, t->win);
		if ((t->flags & TCP_URG) && (ip->have & HAVE_URP)) {
			p = KEY(p, "urg");
			p = fmt_u32(p, t->urp);
		}
	}
	if (!(ip->have & HAVE_TCPOPTS))
		return p;
	if (t->opt_have & TCPOPT_HAVE_MSS) {
		p = KEY(p, "mss");
		p = fmt_u32(p, t->mss);
	}
	if (t->opt_have & TCPOPT_HAVE_WSCALE) {
		p = KEY(p, "wscale");
		p = fmt_u32(p, t->wscale);
	}
	if (t->opt_have & TCPOPT_HAVE_SACK_OK)
		p = fmt_lit(p, ",\"sack_ok\":true");
	if (t->opt_have & TCPOPT_HAVE_SACK) {
		p = KEY(p, "sack");
		*p++ = '[';
		for (unsigned i = 0; i < t->nsack && i < PKT_MAX_SACK; i++) {
			p = i ? fmt_lit(p, ",[") : fmt_lit(p, "[");
			p = fmt_u32(p, t->sack[i].left);
			*p++ = ',';
			p = fmt_u32(p, t->sack[i].right);
			*p++ = ']';
		}
		*p++ = ']';
	}
	if (t->opt_have & TCPOPT_HAVE_TS) {
		p = KEY(p, "tsval");
		p = fmt_u32(p, t->tsval);
		p = KEY(p, "tsecr");
		p = fmt_u32(p, t->tsecr);
	}
	return p;
}

static char *json_icmp(char *p, const struct ip_layer *ip)
{
	const struct icmp_hdr *ic = &ip->u.icmp;
	bool v6 = ip->l4 == L4_ICMP6;
	if (!(ip->have & HAVE_ICMP))
		return p;
	p = KEY(p, "icmp_type");
	p = fmt_u32(p, ic->type);
	p = KEY(p, "icmp_code");
	p = fmt_u32(p, ic->code);
	if (!(ip->have & HAVE_ICMP_REST))
		return p;
	if (v6 ? (ic->type == 128 || ic->type == 129) : (ic->type == 0 || ic->type == 8)) {
		p = KEY(p, "icmp_id");
		p = fmt_u32(p, ic->id);
		p = KEY(p, "icmp_seq");
		p = fmt_u32(p, ic->seq);
	} else if ((v6 && ic->type == 2) || (!v6 && ic->type == 3 && ic->code == 4)) {
		p = KEY(p, "mtu");
		p = fmt_u32(p, ic->mtu);
	} else if (!v6 && ic->type == 5) {
		p = KEY(p, "gateway");
		p = json_addr(p, 4, ic->gateway);
	}
	if (ip->have & HAVE_ND_TARGET) {
		p = KEY(p, "nd_target");
		p = json_addr(p, 6, ic->nd_target);
	}
	return p;
}

/* One IPv4 option as an object: type, name, len; ptr/used/addrs/ts for route and timestamp options
   (every slot, "used" saying how many were filled or passed); value for RA; bad when malformed. */
static char *json_ipv4_opt(char *p, const struct ipv4_opt *o)
{
	const char *name = ipv4_opt_name(o->type);
	p = fmt_lit(p, "{\"type\":");
	p = fmt_u32(p, o->type);
	if (name) { /* table names are plain ASCII letters: no escaping needed */
		p = fmt_lit(p, ",\"name\":\"");
		p = fmt_mem(p, name, strlen(name));
		*p++ = '"';
	}
	if (o->len > 1) {
		p = KEY(p, "len");
		p = fmt_u32(p, o->len);
	}
	if (o->slots) {
		bool ts = o->type == IPOPT_TS, addr = !ts || o->slot_size == 8;
		p = KEY(p, "ptr");
		p = fmt_u32(p, o->ptr);
		if (o->ptr_bad)
			p = fmt_lit(p, ",\"ptr_bad\":true");
		if (ts) {
			p = KEY(p, "flag");
			p = fmt_u32(p, o->ts_flag);
			p = KEY(p, "overflow");
			p = fmt_u32(p, o->ts_overflow);
		}
		p = KEY(p, "used");
		p = fmt_u32(p, o->nused);
		if (addr) {
			p = fmt_lit(p, ",\"addrs\":[");
			for (unsigned i = 0; i < o->nslot; i++) {
				if (i)
					*p++ = ',';
				p = json_addr(p, 4, o->slots + (size_t)i * o->slot_size);
			}
			*p++ = ']';
		}
		if (ts) {
			p = fmt_lit(p, ",\"ts\":[");
			for (unsigned i = 0; i < o->nslot; i++) {
				if (i)
					*p++ = ',';
				p = fmt_u32(p, bytes_be32(o->slots + (size_t)i * o->slot_size + (addr ? 4 : 0)));
			}
			*p++ = ']';
		}
	} else if (o->type == IPOPT_RA && !o->bad) {
		p = KEY(p, "value");
		p = fmt_u32(p, o->ra_value);
	}
	if (o->bad) { /* static ASCII texts from the decoder */
		p = fmt_lit(p, ",\"bad\":\"");
		p = fmt_mem(p, o->bad, strlen(o->bad));
		*p++ = '"';
	}
	*p++ = '}';
	return p;
}

/* The keys of one IP packet (outer or inner), each after a comma. */
static char *json_ip(struct obuf *o, char *p, const struct ip_layer *ip)
{
	p = obuf_room(o, p, JSON_SLACK);
	if (!(ip->have & HAVE_IP))
		return json_status(o, p, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
	p = ip->version == 6 ? fmt_lit(p, ",\"l3\":\"ipv6\"") : fmt_lit(p, ",\"l3\":\"ipv4\"");
	p = KEY(p, "src");
	p = json_addr(p, ip->version, ip->src);
	p = KEY(p, "dst");
	p = json_addr(p, ip->version, ip->dst);
	if (ip->ip_opts) {
		p = fmt_lit(p, ",\"ip_options\":[");
		p = view_ipv4_opt_list(o, p, ip, JSON_SLACK, json_ipv4_opt);
		*p++ = ']';
	}
	switch (ip->l4) {
	case L4_TCP:
		p = fmt_lit(p, ",\"proto\":\"tcp\"");
		break;
	case L4_UDP:
		p = fmt_lit(p, ",\"proto\":\"udp\"");
		break;
	case L4_ICMP:
		p = fmt_lit(p, ",\"proto\":\"icmp\"");
		break;
	case L4_ICMP6:
		p = fmt_lit(p, ",\"proto\":\"icmp6\"");
		break;
	case L4_NONE:
		if (ip->proto == 6)
			p = fmt_lit(p, ",\"proto\":\"tcp\"");
		else if (ip->proto == 17)
			p = fmt_lit(p, ",\"proto\":\"udp\"");
		else if (ip->proto == 1)
			p = fmt_lit(p, ",\"proto\":\"icmp\"");
		else if (ip->proto == 58)
			p = fmt_lit(p, ",\"proto\":\"icmp6\"");
		else {
			p = KEY(p, "proto");
			p = fmt_u32(p, ip->proto);
		}
		break;
	}
	if (ip->have & HAVE_PORTS) {
		uint16_t sp = ip->l4 == L4_TCP ? ip->u.tcp.sport : ip->u.udp.sport;
		uint16_t dp = ip->l4 == L4_TCP ? ip->u.tcp.dport : ip->u.udp.dport;
		p = KEY(p, "sport");
		p = fmt_u32(p, sp);
		p = KEY(p, "dport");
		p = fmt_u32(p, dp);
	}
	if (ip->l4 == L4_TCP)
		p = json_tcp(o, p, ip);
	else if (ip->l4 == L4_ICMP || ip->l4 == L4_ICMP6)
		p = json_icmp(p, ip);
	if (ip->have & HAVE_PAYLOAD) {
		p = KEY(p, "payload");
		p = fmt_u32(p, ip->payload_wire);
	}
	if (ip->is_frag) {
		p = KEY(p, "frag");
		p = fmt_lit(p, "{\"id\":");
		p = fmt_u32(p, ip->ip_id);
		p = fmt_lit(p, ",\"offset\":");
		p = fmt_u32(p, ip->frag_off);
		p = ip->more_frags ? fmt_lit(p, ",\"mf\":true}") : fmt_lit(p, ",\"mf\":false}");
	}
	return json_status(o, p, ip->status, ip->trunc_layer, ip->bad_layer, ip->bad_field);
}

/* n bytes as a JSON string: '"', '\\' and control bytes escaped, and bytes above 0x7f as \u00XX (HTTP's
   obs-text is ISO-8859-1, RFC 9110 §5.5), so the output stays valid UTF-8; in slices of JSON_BYTES_CHUNK. */
#define JSON_BYTES_CHUNK 1024
static char *json_bytes(struct obuf *o, char *p, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	p = obuf_room(o, p, JSON_SLACK);
	*p++ = '"';
	for (size_t at = 0; at < n; at += JSON_BYTES_CHUNK) {
		size_t end = n - at < JSON_BYTES_CHUNK ? n : at + JSON_BYTES_CHUNK;
		p = obuf_room(o, p, 6 * JSON_BYTES_CHUNK + JSON_SLACK);
		for (size_t i = at; i < end; i++) {
			uint8_t c = s[i];
			if (c == '"' || c == '\\') {
				*p++ = '\\';
				*p++ = (char)c;
			} else if (c >= 0x20 && c < 0x7f) {
				*p++ = (char)c;
			} else {
				p = fmt_lit(p, "\\u00");
				*p++ = hex[c >> 4];
				*p++ = hex[c & 15];
			}
		}
	}
	*p++ = '"';
	return p;
}

/* A DNS name at off of the message as a JSON string ("" when it cannot be read: the status says why). */
static char *json_dns_name(struct obuf *o, char *p, const struct dns_msg *d, size_t off)
{
	char text[DNS_NAME_TEXT_MAX];
	size_t end;
	const char *why;
	if (dns_name_read(d, off, &end, text, &why) != DEC_OK)
		text[0] = '\0';
	return json_str(o, p, text);
}

/* The answers the decoder read: name, type, class, ttl, and the data of the types it reads (addresses;
   target names; MX's and SRV's numbers). */
static char *json_dns_answers(struct obuf *o, char *p, const struct dns_msg *d)
{
	size_t off = d->answers;
	p = fmt_lit(p, ",\"dns_answers\":[");
	for (unsigned i = 0; i < d->nan; i++) {
		struct dns_rr rr;
		const char *why;
		if (dns_rr_read(d, &off, &rr, &why) != DEC_OK)
			break;
		p = obuf_room(o, p, JSON_SLACK);
		p = i ? fmt_lit(p, ",{\"name\":") : fmt_lit(p, "{\"name\":");
		p = json_dns_name(o, p, d, rr.name);
		p = KEY(p, "type");
		p = fmt_u32(p, rr.type);
		p = KEY(p, "class");
		p = fmt_u32(p, rr.cls);
		p = KEY(p, "ttl");
		p = fmt_u32(p, rr.ttl);
		if (rr.type == 1 || rr.type == 28) {
			p = KEY(p, "data");
			p = json_addr(p, rr.type == 1 ? 4 : 6, rr.addr);
		} else if (rr.have_target) {
			p = KEY(p, "data");
			p = json_dns_name(o, p, d, rr.target);
		}
		if (rr.type == 15 || rr.type == 33) {
			p = KEY(p, "pref");
			p = fmt_u32(p, rr.pref);
		}
		if (rr.type == 33) {
			p = KEY(p, "weight");
			p = fmt_u32(p, rr.weight);
			p = KEY(p, "port");
			p = fmt_u32(p, rr.port);
		}
		*p++ = '}';
	}
	*p++ = ']';
	return p;
}

static char *json_dns(struct obuf *o, char *p, const struct dns_msg *d)
{
	if (!(d->have & DNS_HAVE_HEADER))
		return p;
	p = obuf_room(o, p, JSON_SLACK);
	p = fmt_lit(p, ",\"app\":\"dns\"");
	p = KEY(p, "dns_id");
	p = fmt_u32(p, d->id);
	p = dns_is_response(d) ? fmt_lit(p, ",\"dns_response\":true") : fmt_lit(p, ",\"dns_response\":false");
	p = KEY(p, "dns_flags");
	p = fmt_u32(p, d->flags);
	p = KEY(p, "dns_opcode");
	p = fmt_u32(p, dns_opcode(d));
	if (dns_is_response(d)) {
		p = KEY(p, "dns_rcode");
		p = fmt_u32(p, dns_rcode(d));
	}
	p = KEY(p, "dns_qd");
	p = fmt_u32(p, d->qdcount);
	p = KEY(p, "dns_an");
	p = fmt_u32(p, d->ancount);
	p = KEY(p, "dns_ns");
	p = fmt_u32(p, d->nscount);
	p = KEY(p, "dns_ar");
	p = fmt_u32(p, d->arcount);
	if (d->have & DNS_HAVE_QUESTION) {
		p = KEY(p, "dns_qname");
		p = json_dns_name(o, p, d, d->qname);
		p = KEY(p, "dns_qtype");
		p = fmt_u32(p, d->qtype);
		p = KEY(p, "dns_qclass");
		p = fmt_u32(p, d->qclass);
	}
	if (d->nan)
		p = json_dns_answers(o, p, d);
	return p;
}

static char *json_http(struct obuf *o, char *p, const struct http_line *h)
{
	p = obuf_room(o, p, JSON_SLACK);
	p = fmt_lit(p, ",\"app\":\"http\"");
	if (h->response) {
		if (h->status) {
			p = KEY(p, "http_status");
			p = fmt_u32(p, h->status);
			p = KEY(p, "http_reason");
			p = json_bytes(o, p, h->line + h->reason_off, h->reason_len);
		}
	} else {
		p = KEY(p, "http_method");
		p = json_bytes(o, p, h->line, h->method_len);
		if (h->target_len) {
			p = KEY(p, "http_uri");
			p = json_bytes(o, p, h->line + h->target_off, h->target_len);
		}
	}
	if (h->have_version) {
		p = KEY(p, "http_version");
		p = json_bytes(o, p, h->line + h->version_off, 8);
	}
	if (!h->complete)
		p = fmt_lit(p, ",\"http_partial\":true");
	return p;
}

static char *json_arp(struct obuf *o, char *p, const struct arp_pkt *a)
{
	static const struct {
		char key[12];
		enum arp_which which;
	} addrs[] = { { "arp_sha", ARP_SHA }, { "arp_spa", ARP_SPA }, { "arp_tha", ARP_THA }, { "arp_tpa", ARP_TPA } };
	p = obuf_room(o, p, JSON_SLACK + 4 * VIEW_ARP_ADDR_MAX);
	p = fmt_lit(p, ",\"app\":\"arp\"");
	p = KEY(p, "arp_op");
	p = fmt_u32(p, a->op);
	p = KEY(p, "arp_htype");
	p = fmt_u32(p, a->htype);
	p = KEY(p, "arp_ptype");
	p = fmt_u32(p, a->ptype);
	if (!a->addrs)
		return p;
	for (size_t i = 0; i < COUNT(addrs); i++) { /* hex and address text: nothing to escape */
		p = fmt_lit(p, ",\"");
		p = fmt_mem(p, addrs[i].key, strlen(addrs[i].key));
		p = fmt_lit(p, "\":\"");
		p = view_arp_addr(p, a, addrs[i].which);
		*p++ = '"';
	}
	return p;
}

/* The application message's keys (README "JSON output"). */
static char *json_app(struct obuf *o, char *p, const struct packet *pkt)
{
	switch (pkt->app.kind) {
	case APP_DNS:
		return json_dns(o, p, &pkt->app.u.dns);
	case APP_HTTP:
		return json_http(o, p, &pkt->app.u.http);
	case APP_ARP:
		return json_arp(o, p, &pkt->app.u.arp);
	default:
		return p;
	}
}

static char *json_track(struct obuf *o, char *p, const struct ip_layer *ip, const struct track_result *tr)
{
	if (!tr || !tr->flow)
		return p;
	p = obuf_room(o, p, JSON_SLACK);
	p = KEY(p, "flow");
	p = fmt_u64(p, tr->flow->id);
	p = tr->dir == DIR_C2S ? fmt_lit(p, ",\"dir\":\"c2s\"") : fmt_lit(p, ",\"dir\":\"s2c\"");
	if (tr->have_rel) {
		p = KEY(p, "rseq");
		p = fmt_u64(p, tr->rseq);
		p = KEY(p, "rack");
		p = fmt_u64(p, tr->rack);
	}
	if (tr->have_win_scale && (ip->have & HAVE_WIN)) { /* tshark's tcp.window_size */
		p = KEY(p, "win_scaled");
		p = fmt_u64(p, (uint64_t)ip->u.tcp.win << tr->win_shift);
	}
	if (tr->flow->proto == 6) {
		p = KEY(p, "state");
		p = fmt_lit(p, "{\"client\":");
		p = json_state(o, p, tr->after[0]);
		p = fmt_lit(p, ",\"server\":");
		p = json_state(o, p, tr->after[1]);
		*p++ = '}';
	}
	static struct json_name event_names[EV_COUNT_BITS];
	p = KEY(p, "events");
	*p++ = '[';
	/* The set bits below EV_COUNT_BITS, lowest first. */
	uint32_t ev = tr->events & (uint32_t)((1ull << EV_COUNT_BITS) - 1);
	bool first = true;
	for (; ev; ev &= ev - 1) {
		unsigned b = (unsigned)__builtin_ctz(ev);
		if (!first)
			*p++ = ',';
		first = false;
		p = obuf_room(o, p, JSON_SLACK + sizeof event_names[0].s);
		p = json_name(o, p, &event_names[b], flow_event_name(1u << b));
	}
	*p++ = ']';
	if (tr->events & EV_DUP_ACK) {
		p = KEY(p, "dup_ack");
		p = fmt_u64(p, tr->dup_ack_n);
	}
	return p;
}

/* pcapng: ,"if":N and ,"ifname":"..." when the file names the interface. */
static char *json_iface(struct obuf *o, char *p, const struct packet *pkt)
{
	p = KEY(p, "if");
	p = fmt_u32(p, pkt->iface->index);
	if (pkt->iface->name) {
		p = KEY(p, "ifname");
		p = json_str(o, p, pkt->iface->name);
	}
	return p;
}

/* pcapng: ,"comment":"..." (invalid UTF-8 as U+FFFD), with JSON_SLACK bytes of room after it. */
static char *json_comment(struct obuf *o, char *p, const struct packet *pkt)
{
	p = KEY(p, "comment");
	const char *s = pkt->comment;
	size_t n = pkt->comment_len;
	/* A slice at a time, cut only between characters, so that each escapes into the room reserved. */
	const size_t slice = OBUF_SIZE / 24;
	*p++ = '"';
	while (n > 0) {
		size_t k = n < slice ? n : slice;
		while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--; /* not inside a UTF-8 sequence */
		if (k == 0)
			k = n < slice ? n : slice;
		p = obuf_room(o, p, 6 * k + 2 + JSON_SLACK);
		p = fmt_json_text_body(p, s, k);
		s += k;
		n -= k;
	}
	*p++ = '"';
	return p;
}

void view_json_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano)
{
	char *w = obuf_reserve(o, JSON_SLACK);
	w = fmt_lit(w, "{\"n\":");
	w = fmt_u64(w, p->n);
	w = KEY(w, "ts");
	w = fmt_i64(w, p->ts_sec);
	*w++ = '.';
	w = nano ? fmt_pad9(w, p->ts_nsec) : fmt_pad6(w, p->ts_nsec / 1000);
	w = KEY(w, "caplen");
	w = fmt_u32(w, p->caplen);
	w = KEY(w, "len");
	w = fmt_u32(w, p->len);
	static int link_cached = -1;        /* the link type link_name holds */
	static struct json_name link_name; /* its name as JSON */
	const char *ln = linktype_name(p->linktype);
	w = KEY(w, "link");
	if (ln) {
		if (p->linktype != link_cached) {
			link_name.n = 0;
			link_cached = p->linktype;
		}
		w = json_name(o, w, &link_name, ln);
	} else {
		w = fmt_u64(w, (uint64_t)p->linktype);
	}
	if (p->iface)
		w = json_iface(o, w, p);
	if (!p->link_supported) {
		w = fmt_lit(w, ",\"unsupported\":true");
		if (p->comment)
			w = json_comment(o, w, p);
		w = fmt_lit(w, "}\n");
		obuf_commit(o, w);
		obuf_maybe_flush(o);
		return;
	}
	if (p->link.nvlan) {
		w = KEY(w, "vlan");
		*w++ = '[';
		for (unsigned i = 0; i < p->link.nvlan && i < PKT_MAX_VLAN; i++) {
			if (i)
				*w++ = ',';
			w = fmt_u32(w, p->link.vlan[i].vid);
		}
		*w++ = ']';
	}
	if (p->has_ip) {
		w = json_ip(o, w, &p->ip);
		if (p->app.kind != APP_NONE)
			w = json_app(o, w, p);
		if (p->has_inner) {
			w = obuf_room(o, w, JSON_SLACK);
			w = KEY(w, "inner");
			/* json_ip writes ,"key":value pairs, so the object opens with a key of its own. */
			w = fmt_lit(w, "{\"quoted\":true");
			w = json_ip(o, w, &p->inner);
			*w++ = '}';
		}
		w = json_track(o, w, &p->ip, tr);
		if (p->status != DEC_OK && p->ip.status == DEC_OK)
			w = json_status(o, w, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	} else {
		if (p->link.ethertype) {
			w = KEY(w, "ethertype");
			w = fmt_u32(w, p->link.ethertype);
		}
		if (p->app.kind != APP_NONE)
			w = json_app(o, w, p);
		w = json_status(o, w, p->status, p->trunc_layer, p->bad_layer, p->bad_field);
	}
	if (p->comment)
		w = json_comment(o, w, p);
	*w++ = '}';
	*w++ = '\n';
	obuf_commit(o, w);
	obuf_maybe_flush(o);
}

/* ---- The classroom's lines beside the packets: socket calls and socket-table changes ---- */

/* "127.0.0.1:8888" / "[::1]:8888", or null when not known. */
static void json_endpoint(struct obuf *o, const struct endpoint *e)
{
	char ep[64];
	if (!e->af) {
		obuf_puts(o, "null");
		return;
	}
	events_format_endpoint(e, ep, sizeof ep);
	obuf_json_str(o, ep);
}

void view_json_call(struct obuf *o, const struct sock_event *ev, int64_t at_ns, const struct flow *f, enum flow_dir side)
{
	char strace[1024];
	events_format_strace(ev, strace, sizeof strace);
	obuf_puts(o, "{\"call\":");
	obuf_json_str(o, ev->call);
	obuf_puts(o, ",\"ts\":");
	obuf_i64(o, ev->ts_us / 1000000);
	obuf_putc(o, '.');
	obuf_u64_pad(o, (uint64_t)(ev->ts_us % 1000000), 6);
	obuf_puts(o, ",\"at\":");
	obuf_i64(o, at_ns / 1000000000);
	obuf_putc(o, '.');
	obuf_u64_pad(o, (uint64_t)(at_ns % 1000000000) / 1000, 6);
	obuf_puts(o, ",\"dur_us\":");
	obuf_i64(o, ev->dur_us);
	obuf_puts(o, ",\"pid\":");
	obuf_i64(o, ev->pid);
	obuf_puts(o, ",\"role\":");
	obuf_json_str(o, ev->role);
	obuf_puts(o, ",\"fd\":");
	if (ev->fd >= 0)
		obuf_i64(o, ev->fd);
	else
		obuf_puts(o, "null");
	obuf_puts(o, ",\"args\":");
	obuf_json_str(o, ev->args);
	obuf_puts(o, ",\"ret\":");
	obuf_i64(o, ev->ret);
	obuf_puts(o, ",\"errno\":");
	if (ev->errname[0])
		obuf_json_str(o, ev->errname);
	else
		obuf_puts(o, "null");
	obuf_puts(o, ",\"local\":");
	json_endpoint(o, &ev->local);
	obuf_puts(o, ",\"remote\":");
	json_endpoint(o, &ev->remote);
	if (f) {
		obuf_puts(o, ",\"flow\":");
		obuf_u64(o, f->id);
		obuf_puts(o, ",\"side\":");
		obuf_json_str(o, side == DIR_C2S ? "client" : "server");
	}
	obuf_puts(o, ",\"strace\":");
	obuf_json_str(o, strace);
	obuf_puts(o, "}\n");
}

void view_json_socket(struct obuf *o, enum sockdiag_change what, const struct sockdiag_row *before,
		      const struct sockdiag_row *after, int64_t now_ns)
{
	const struct sockdiag_row *r = after ? after : before;
	char a[96];
	obuf_puts(o, "{\"socket\":");
	obuf_json_str(o, what == SOCKDIAG_APPEARED ? "appeared" : what == SOCKDIAG_GONE ? "gone" :
			 what == SOCKDIAG_STATE ? "state" : "queues");
	obuf_puts(o, ",\"ts\":");
	obuf_i64(o, now_ns / 1000000000);
	obuf_putc(o, '.');
	obuf_u64_pad(o, (uint64_t)(now_ns % 1000000000) / 1000, 6);
	obuf_puts(o, ",\"proto\":");
	obuf_json_str(o, sockdiag_proto_name(r->proto));
	if (before && what != SOCKDIAG_APPEARED) {
		obuf_puts(o, ",\"was\":");
		obuf_json_str(o, sockdiag_state_name(before->state));
	}
	obuf_puts(o, ",\"state\":");
	obuf_json_str(o, what == SOCKDIAG_GONE ? "gone" : sockdiag_state_name(r->state));
	obuf_puts(o, ",\"recv_q\":");
	obuf_u64(o, r->rqueue);
	obuf_puts(o, ",\"send_q\":");
	obuf_u64(o, r->wqueue);
	sockdiag_format_addr(r, &r->local, a, sizeof a);
	obuf_puts(o, ",\"local\":");
	obuf_json_str(o, a);
	sockdiag_format_addr(r, &r->remote, a, sizeof a);
	obuf_puts(o, ",\"remote\":");
	obuf_json_str(o, a);
	const struct sockdiag_tcpinfo *ti = &r->info;
	if (ti->valid) {
		const struct {
			const char *key;
			uint64_t v;
		} nums[] = {
			{ ",\"cwnd\":", ti->cwnd },           { ",\"mss\":", ti->mss },
			{ ",\"srtt_us\":", ti->srtt_us },     { ",\"rttvar_us\":", ti->rttvar_us },
			{ ",\"unacked\":", ti->unacked },     { ",\"retransmits\":", ti->retransmits },
			{ ",\"total_retrans\":", ti->total_retrans }, { ",\"delivery_rate\":", ti->delivery_rate },
		};
		obuf_puts(o, ",\"ca_state\":");
		obuf_json_str(o, sockdiag_ca_state_name(ti->ca_state));
		for (size_t i = 0; i < COUNT(nums); i++) {
			obuf_puts(o, nums[i].key);
			obuf_u64(o, nums[i].v);
		}
		obuf_puts(o, ",\"pacing_rate\":");
		if (ti->pacing_rate == UINT64_MAX) /* the kernel's ~0: no limit */
			obuf_puts(o, "null");
		else
			obuf_u64(o, ti->pacing_rate);
		obuf_puts(o, ",\"ssthresh\":");
		if (ti->ssthresh >= SOCKDIAG_SSTHRESH_NONE)
			obuf_puts(o, "null");
		else
			obuf_u64(o, ti->ssthresh);
	}
	obuf_puts(o, "}\n");
}
