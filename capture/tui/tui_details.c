/* tui_details.c — the details pane's text: a packet layer by layer, from its decode and its summary. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"
#include "track/flow.h"
#include "tui/tui_core.h"
#include "view/view.h"

/* ---- details text ---- */

struct dout {
	void (*emit)(const char *line, bool title, void *arg);
	void *arg;
};

__attribute__((format(printf, 3, 4))) static void dline(struct dout *o, bool title, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	o->emit(line, title, o->arg);
}

static const char *details_addr(char *buf, size_t size, int version, const uint8_t *a)
{
	if (!inet_ntop(version == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

static void details_mac(char *buf, size_t size, const uint8_t *m)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void details_link(struct dout *o, const struct packet *p)
{
	const struct link_info *l = &p->link;
	const char *lt = linktype_name(p->linktype);
	char a[32], b[32];
	if (!p->link_supported) {
		dline(o, true, "Link: unsupported link type %s (%d)", lt ? lt : "?", p->linktype);
		return;
	}
	const char *et = ether_type_name(l->ethertype);
	switch (p->linktype) {
	case 1: /* DLT_EN10MB */
		details_mac(a, sizeof a, l->src_mac);
		details_mac(b, sizeof b, l->dst_mac);
		dline(o, true, "Ethernet: %s -> %s, type %s (0x%04x)", a, b, et ? et : "?", l->ethertype);
		break;
	case 0:   /* DLT_NULL */
	case 108: /* DLT_LOOP */
		dline(o, true, "Loopback (%s): address family %" PRIu32, lt ? lt : "NULL", l->null_family);
		break;
	default:
		if (l->sll_ifindex)
			dline(o, true, "Link %s: packet type %u, interface index %" PRIu32 ", protocol %s (0x%04x)",
			      lt ? lt : "?", l->sll_pkttype, l->sll_ifindex, et ? et : "?", l->ethertype);
		else
			dline(o, true, "Link %s: packet type %u, protocol %s (0x%04x)", lt ? lt : "?", l->sll_pkttype,
			      et ? et : "?", l->ethertype);
		break;
	}
	for (unsigned i = 0; i < l->nvlan && i < PKT_MAX_VLAN; i++)
		dline(o, false, "  VLAN %s tag: id %u, priority %u", l->vlan[i].tpid == 0x88a8 ? "802.1ad" : "802.1Q",
		      l->vlan[i].vid, l->vlan[i].pcp);
}

/* rel: the relative ack's base is known (ack_base = ack - relative ack), so SACK edges, which number the
   peer's bytes as the ack does, are shown relative to it as Wireshark does, with the raw ones beside. */
static void details_tcp_options(struct dout *o, const struct tcp_hdr *t, bool rel, uint32_t ack_base)
{
	char line[400];
	size_t n = 0;
	line[0] = '\0';
	for (unsigned i = 0; i < t->nopt && i < PKT_MAX_TCPOPT && n < sizeof line - 64; i++) {
		const char *sep = i ? ", " : "";
		int w;
		switch (t->opt[i].kind) {
		case 0:
			w = snprintf(line + n, sizeof line - n, "%sEOL", sep);
			break;
		case 1:
			w = snprintf(line + n, sizeof line - n, "%sNOP", sep);
			break;
		case 2:
			w = snprintf(line + n, sizeof line - n, "%sMSS %u", sep, t->mss);
			break;
		case 3:
			w = snprintf(line + n, sizeof line - n, "%sWS %u (x%u)", sep, t->wscale,
				     1u << (t->wscale < 15 ? t->wscale : 14));
			break;
		case 4:
			w = snprintf(line + n, sizeof line - n, "%sSACK-permitted", sep);
			break;
		case 5:
			w = snprintf(line + n, sizeof line - n, "%sSACK (%u blocks)", sep, t->nsack);
			break;
		case 8:
			w = snprintf(line + n, sizeof line - n, "%sTS val %" PRIu32 " ecr %" PRIu32, sep, t->tsval, t->tsecr);
			break;
		default:
			w = snprintf(line + n, sizeof line - n, "%skind %u len %u", sep, t->opt[i].kind, t->opt[i].len);
			break;
		}
		if (w > 0)
			n += (size_t)w;
	}
	if (t->opt_have & TCPOPT_CUT)
		dline(o, false, "  Options: %s%s[|tcp] (the capture ends inside the options; those before the cut shown)",
		      line, t->nopt ? ", " : "");
	else if (t->nopt)
		dline(o, false, "  Options: %s", line);
	for (unsigned i = 0; i < t->nsack && i < PKT_MAX_SACK; i++) {
		uint32_t l = t->sack[i].left, r = t->sack[i].right;
		if (rel)
			dline(o, false, "  SACK block %u: %" PRIu32 "-%" PRIu32 " (relative; raw %" PRIu32 "-%" PRIu32 "), %" PRIu32 " bytes",
			      i + 1, l - ack_base, r - ack_base, l, r, r - l);
		else
			dline(o, false, "  SACK block %u: %" PRIu32 "-%" PRIu32 ", %" PRIu32 " bytes", i + 1, l, r, r - l);
	}
}

static void details_ip(struct dout *o, const struct ip_layer *ip, bool quoted, const struct track_result *tr)
{
	char a[64], b[64];
	const char *pn = ipproto_name(ip->proto);
	const char *q = quoted ? "Quoted " : "";
	if (!(ip->have & HAVE_IP)) {
		dline(o, true, "%sIP: header not captured", q);
		return;
	}
	details_addr(a, sizeof a, ip->version, ip->src);
	details_addr(b, sizeof b, ip->version, ip->dst);
	if (ip->version == 6) {
		dline(o, true, "%sIPv6: %s -> %s", q, a, b);
		dline(o, false, "  hop limit %u, traffic class 0x%02x, flow label 0x%05" PRIx32 ", length %" PRIu32
			      ", next header %s (%u)", ip->ttl, ip->tos, ip->flowlabel, ip->total_len, pn ? pn : "?",
		      ip->proto);
		if (ip->n_ext) {
			char ext[64] = "";
			size_t n = 0;
			for (unsigned i = 0; i < ip->n_ext && i < PKT_MAX_IP6EXT; i++) {
				int w = snprintf(ext + n, sizeof ext - n, "%s%u", i ? " " : "", ip->ext[i]);
				if (w > 0 && (size_t)w < sizeof ext - n)
					n += (size_t)w;
			}
			dline(o, false, "  extension headers: %s", ext);
		}
	} else {
		dline(o, true, "%sIPv4: %s -> %s", q, a, b);
		dline(o, false, "  ttl %u, tos 0x%02x, id %" PRIu32 "%s, length %" PRIu32 ", header %u%s, protocol %s (%u)",
		      ip->ttl, ip->tos, ip->ip_id, ip->dont_frag ? ", DF" : "", ip->total_len, ip->hdr_len,
		      ip->ip_opts_len ? " (with options)" : "", pn ? pn : "?", ip->proto);
		if (ip->ip_opts) {
			struct cursor c = cursor_make(ip->ip_opts, ip->ip_opts_len);
			struct ipv4_opt opt;
			char text[VIEW_IPV4_OPT_MAX + 1];
			while (ipv4_opt_next(&c, &opt)) {
				*view_ipv4_opt(text, &opt) = '\0';
				dline(o, false, "  option %s", text);
			}
		} else if (ip->ip_opts_len) {
			dline(o, false, "  options: %u bytes, not all captured", ip->ip_opts_len);
		}
	}
	if (ip->is_frag)
		dline(o, false, "  fragment: offset %u%s, id %" PRIu32, ip->frag_off, ip->more_frags ? ", more follow" : "",
		      ip->ip_id);
	char fl[64];
	switch (ip->l4) {
	case L4_TCP: {
		const struct tcp_hdr *t = &ip->u.tcp;
		if (!(ip->have & HAVE_PORTS)) {
			dline(o, true, "%sTCP: header not captured", q);
			break;
		}
		dline(o, true, "%sTCP: port %u -> %u", q, t->sport, t->dport);
		if (ip->have & HAVE_FLAGS) {
			char tf[16];
			dline(o, false, "  flags [%s] (%s), header %u bytes", fmt_flags_words(t->flags, fl, sizeof fl),
			      tcp_flags_str(t->flags, tf), t->hdr_len);
		}
		if (ip->have & HAVE_SEQ) {
			if (tr && tr->have_rel && !quoted)
				dline(o, false, "  seq %" PRIu32 " (relative %" PRIu32 "), ack %" PRIu32 " (relative %" PRIu32 ")",
				      t->seq, tr->rseq, t->ack, tr->rack);
			else
				dline(o, false, "  seq %" PRIu32 ", ack %" PRIu32, t->seq, t->ack);
		}
		if (ip->have & HAVE_WIN) {
			/* Wireshark's "calculated window size": the field scaled by the shift the SYNs agreed on. */
			char win[96];
			if (tr && tr->have_win_scale && tr->win_shift)
				snprintf(win, sizeof win, "window %" PRIu64 " bytes (field %u x %u, scale from the handshake)",
					 (uint64_t)t->win << tr->win_shift, t->win, 1u << tr->win_shift);
			else if (tr && tr->have_win_scale)
				snprintf(win, sizeof win, "window %u bytes (not scaled)", t->win);
			else if (!tr) /* a quoted header: its flow's handshake is not this packet's */
				snprintf(win, sizeof win, "window field %u", t->win);
			else if (t->flags & TCP_SYN)
				snprintf(win, sizeof win, "window %u bytes (a SYN's window is never scaled)", t->win);
			else
				snprintf(win, sizeof win, "window field %u (scale unknown: the handshake was not seen)", t->win);
			if (ip->have & HAVE_URP)
				dline(o, false, "  %s, urgent %u, checksum 0x%04x", win, t->urp, t->sum);
			else
				dline(o, false, "  %s (checksum and urgent pointer not captured)", win);
		}
		if (ip->have & HAVE_TCPOPTS) {
			bool rel = tr && tr->have_rel && !quoted && (ip->have & HAVE_ACK) && (t->flags & TCP_ACK);
			details_tcp_options(o, t, rel, rel ? t->ack - tr->rack : 0);
		}
		break;
	}
	case L4_UDP:
		if (!(ip->have & HAVE_PORTS)) {
			dline(o, true, "%sUDP: header not captured", q);
			break;
		}
		dline(o, true, "%sUDP: port %u -> %u", q, ip->u.udp.sport, ip->u.udp.dport);
		if (ip->have & HAVE_UDPLEN)
			dline(o, false, "  length %u, checksum 0x%04x", ip->u.udp.len, ip->u.udp.sum);
		break;
	case L4_ICMP:
	case L4_ICMP6: {
		const struct icmp_hdr *ic = &ip->u.icmp;
		bool v6 = ip->l4 == L4_ICMP6;
		if (!(ip->have & HAVE_ICMP)) {
			dline(o, true, "%s%s: header not captured", q, v6 ? "ICMPv6" : "ICMP");
			break;
		}
		const char *tn = v6 ? icmp6_type_name(ic->type) : icmp_type_name(ic->type);
		const char *cn = v6 ? icmp6_code_name(ic->type, ic->code) : icmp_code_name(ic->type, ic->code);
		dline(o, true, "%s%s: type %u %s, code %u%s%s", q, v6 ? "ICMPv6" : "ICMP", ic->type, tn ? tn : "",
		      ic->code, cn ? " " : "", cn ? cn : "");
		if (ip->have & HAVE_ICMP_REST) {
			bool echo = v6 ? (ic->type == 128 || ic->type == 129) : (ic->type == 0 || ic->type == 8);
			if (echo)
				dline(o, false, "  id %u, seq %u, checksum 0x%04x", ic->id, ic->seq, ic->sum);
			else if (ic->mtu)
				dline(o, false, "  next-hop MTU %" PRIu32, ic->mtu);
			else if (!v6 && ic->type == 5)
				dline(o, false, "  gateway %u.%u.%u.%u", ic->gateway[0], ic->gateway[1], ic->gateway[2],
				      ic->gateway[3]);
			else if (ic->pointer)
				dline(o, false, "  pointer %" PRIu32, ic->pointer);
		}
		if (ip->have & HAVE_ND_TARGET)
			dline(o, false, "  target %s%s", details_addr(a, sizeof a, 6, ic->nd_target),
			      ic->nd_flags ? (ic->nd_flags & 0x40 ? " (solicited)" : "") : "");
		break;
	}
	default:
		break;
	}
	if ((ip->have & HAVE_PAYLOAD) && ip->l4 != L4_NONE)
		dline(o, false, "  payload %" PRIu32 " bytes on the wire, %" PRIu32 " captured", ip->payload_wire,
		      ip->payload_cap);
	if (ip->status == DEC_TRUNCATED)
		dline(o, false, "  ! capture ends inside %s", layer_name(ip->trunc_layer));
	else if (ip->status == DEC_INVALID)
		dline(o, false, "  ! invalid %s: %s", layer_name(ip->bad_layer), ip->bad_field ? ip->bad_field : "?");
}

/* The DNS message: the summary as a title, then its header, question and answers field by field. */
static void details_dns(struct dout *o, const struct dns_msg *d)
{
	char line[VIEW_DNS_HEAD_MAX + 1], name[DNS_NAME_TEXT_MAX];
	const char *why;
	size_t end;
	if (!(d->have & DNS_HAVE_HEADER)) {
		dline(o, true, "DNS: header not captured");
		return;
	}
	*view_dns_head(line, d) = '\0';
	dline(o, true, "DNS: %s", line);
	const char *op = dns_opcode_name((int)dns_opcode(d)), *rc = dns_rcode_name((int)dns_rcode(d));
	dline(o, false, "  %s, id %u, opcode %u%s%s, flags 0x%04x%s%s%s%s%s%s%s", dns_is_response(d) ? "response" : "query",
	      d->id, dns_opcode(d), op ? " " : "", op ? op : "", d->flags, d->flags & DNS_AA ? " AA" : "",
	      d->flags & DNS_TC ? " TC" : "", d->flags & DNS_RD ? " RD" : "", d->flags & DNS_RA ? " RA" : "",
	      d->flags & DNS_AD ? " AD" : "", d->flags & DNS_CD ? " CD" : "", d->tcp ? ", over TCP" : "");
	if (dns_is_response(d))
		dline(o, false, "  rcode %u%s%s%s", dns_rcode(d), rc ? " " : "", rc ? rc : dns_rcode(d) ? "" : " (no error)",
		      d->rcode_hi ? " (extended by EDNS)" : "");
	dline(o, false, "  %u question%s, %u answer%s, %u authority, %u additional", d->qdcount, d->qdcount == 1 ? "" : "s",
	      d->ancount, d->ancount == 1 ? "" : "s", d->nscount, d->arcount);
	if (d->have & DNS_HAVE_QUESTION && dns_name_read(d, d->qname, &end, name, &why) == DEC_OK) {
		const char *t = dns_type_name(d->qtype), *c = dns_class_name(d->qclass);
		dline(o, false, "  question: %s type %u%s%s, class %u%s%s", name, d->qtype, t ? " " : "", t ? t : "",
		      d->qclass, c ? " " : "", c ? c : "");
	}
	size_t off = d->answers;
	for (unsigned i = 0; i < d->nan; i++) {
		struct dns_rr rr;
		if (dns_rr_read(d, &off, &rr, &why) != DEC_OK || dns_name_read(d, rr.name, &end, name, &why) != DEC_OK)
			break;
		char data[VIEW_DNS_RR_MAX + 1];
		*view_dns_rr(data, d, &rr) = '\0';
		dline(o, false, "  answer: %s%s (ttl %" PRIu32 ")", name, data, rr.ttl);
	}
}

static void details_http(struct dout *o, const struct http_line *h)
{
	char line[4 * 400 + 1];
	size_t n = h->len < 400 ? h->len : 400; /* the pane's line is narrower than this anyway */
	*view_http_bytes(line, h->line, n) = '\0';
	dline(o, true, "HTTP: %s%s", line, h->complete ? "" : "...");
	if (h->response)
		dline(o, false, "  status line: version %.8s, status %u, reason %u bytes", h->have_version ? (const char *)h->line : "?",
		      h->status, h->reason_len);
	else
		dline(o, false, "  request line: method %.*s, target %u bytes, version %.8s", (int)h->method_len,
		      (const char *)h->line, h->target_len, h->have_version ? (const char *)h->line + h->version_off : "?");
	if (!h->complete)
		dline(o, false, "  the line goes on past what this packet holds");
}

static void details_arp(struct dout *o, const struct arp_pkt *a)
{
	char line[VIEW_ARP_MAX + 1], sha[VIEW_ARP_ADDR_MAX + 1], spa[VIEW_ARP_ADDR_MAX + 1], tha[VIEW_ARP_ADDR_MAX + 1],
		tpa[VIEW_ARP_ADDR_MAX + 1];
	*view_arp(line, a) = '\0';
	dline(o, true, "ARP: %s", line);
	dline(o, false, "  hardware type %u (address length %u), protocol 0x%04x (address length %u), operation %u",
	      a->htype, a->hlen, a->ptype, a->plen, a->op);
	if (!a->addrs)
		return;
	*view_arp_addr(sha, a, ARP_SHA) = '\0';
	*view_arp_addr(spa, a, ARP_SPA) = '\0';
	*view_arp_addr(tha, a, ARP_THA) = '\0';
	*view_arp_addr(tpa, a, ARP_TPA) = '\0';
	dline(o, false, "  sender %s %s", sha, spa);
	dline(o, false, "  target %s %s", tha, tpa);
}

void details_render(const struct packet *p, const struct tui_pkt *e, int64_t t0_ns,
		    void (*emit)(const char *line, bool title, void *arg), void *arg)
{
	struct dout o = { emit, arg };
	char t[32];
	const char *ts = fmt_reltime(t, sizeof t, e->s.ts_ns, t0_ns);
	while (*ts == ' ')
		ts++;
	dline(&o, true, "Frame %" PRIu64 ": %" PRIu32 " bytes on the wire, %" PRIu32 " captured, at %s s", e->s.n,
	      e->s.len, e->s.caplen, ts);
	if (p->iface && p->iface->name)
		dline(&o, false, "  interface %" PRIu32 " (%s)", p->iface->index, p->iface->name);
	else if (p->iface)
		dline(&o, false, "  interface %" PRIu32, p->iface->index);
	if (p->comment) {
		/* One line: the comment's line breaks and other control bytes as spaces (the terminal shows invalid
		   UTF-8 as '?'). */
		char c[400];
		size_t n = p->comment_len < sizeof c - 1 ? p->comment_len : sizeof c - 1;
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)p->comment[i];
			c[i] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
		}
		c[n] = '\0';
		dline(&o, false, "  comment: %s", c);
	}
	if (e->s.flow_id) {
		dline(&o, false, "  flow #%" PRIu64 ", %s", e->s.flow_id, e->s.dir == DIR_C2S ? "client -> server" : "server -> client");
		if (e->s.before[0] || e->s.after[0])
			dline(&o, false, "  client %s -> %s, server %s -> %s", tcp_state_name(e->s.before[0]),
			      tcp_state_name(e->s.after[0]), tcp_state_name(e->s.before[1]), tcp_state_name(e->s.after[1]));
		char ev[256] = "";
		size_t n = 0;
		for (int b = 0; b < EV_COUNT_BITS; b++) {
			uint32_t bit = 1u << b;
			if (!(e->s.events & bit))
				continue;
			const char *name = flow_event_name(bit);
			int w = snprintf(ev + n, sizeof ev - n, "%s%s", n ? ", " : "", name ? name : "?");
			if (w > 0 && (size_t)w < sizeof ev - n)
				n += (size_t)w;
			if (bit == EV_DUP_ACK) {
				w = snprintf(ev + n, sizeof ev - n, " #%" PRIu32, e->s.dup_ack_n);
				if (w > 0 && (size_t)w < sizeof ev - n)
					n += (size_t)w;
			}
		}
		if (n)
			dline(&o, false, "  events: %s", ev);
	}
	details_link(&o, p);
	if (p->has_ip) {
		struct track_result tr;
		memset(&tr, 0, sizeof tr);
		tr.have_rel = e->s.have_rel;
		tr.rseq = e->s.rseq;
		tr.rack = e->s.rack;
		tr.have_win_scale = e->s.have_win_scale;
		tr.win_shift = e->s.win_shift;
		details_ip(&o, &p->ip, false, &tr);
	}
	if (p->app.kind == APP_DNS)
		details_dns(&o, &p->app.u.dns);
	else if (p->app.kind == APP_HTTP)
		details_http(&o, &p->app.u.http);
	else if (p->app.kind == APP_ARP)
		details_arp(&o, &p->app.u.arp);
	if (p->has_inner)
		details_ip(&o, &p->inner, true, NULL);
	if (p->status == DEC_TRUNCATED && !p->has_ip)
		dline(&o, false, "! capture ends inside %s", layer_name(p->trunc_layer));
	else if (p->status == DEC_INVALID && !p->has_ip)
		dline(&o, false, "! invalid %s: %s", layer_name(p->bad_layer), p->bad_field ? p->bad_field : "?");
}
