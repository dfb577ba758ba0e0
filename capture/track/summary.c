/* summary.c — a packet's summary from its decode and tracking, and the names looked up from its numbers. */
#include "track/summary.h"

#include <string.h>

#include "decode/decode.h"

/* The SYN options the ladder names ("mss 65495 sackOK TS ws 7"), and whether the capture cut them. */
#define SYNOPT_SHOWN (TCPOPT_HAVE_MSS | TCPOPT_HAVE_SACK_OK | TCPOPT_HAVE_TS | TCPOPT_HAVE_WSCALE | TCPOPT_CUT)

static void summary_tcp(struct pkt_summary *s, const struct ip_layer *ip)
{
	const struct tcp_hdr *t = &ip->u.tcp;
	if (ip->have & HAVE_SEQ)
		s->seq = t->seq;
	if (ip->have & HAVE_ACK)
		s->ack = t->ack;
	if (ip->have & HAVE_FLAGS)
		s->tcpflags = t->flags;
	if (ip->have & HAVE_WIN)
		s->win = t->win;
	if ((ip->have & HAVE_TCPOPTS) && (s->tcpflags & TCP_SYN)) {
		s->synopt = t->opt_have & SYNOPT_SHOWN;
		s->mss = t->mss;
		s->wscale = t->wscale;
	}
}

static void summary_icmp(struct pkt_summary *s, const struct ip_layer *ip)
{
	const struct icmp_hdr *ic = &ip->u.icmp; /* zeroed by the decoder when not captured */
	bool v6 = ip->l4 == L4_ICMP6;
	s->icmp_type = ic->type;
	s->icmp_code = ic->code;
	s->sport = ic->id;
	s->dport = ic->seq;
	if (ip->have & HAVE_ICMP) {
		s->has_icmp = true;
		s->icmp_err = v6 ? icmp6_is_error(ic->type) : icmp_is_error(ic->type);
	}
}

void summary_from(struct pkt_summary *s, const struct packet *p, const struct track_result *tr)
{
	memset(s, 0, sizeof *s);
	s->n = p->n;
	s->ts_ns = packet_time_ns(p);
	s->caplen = p->caplen;
	s->len = p->len;
	s->linktype = (uint16_t)p->linktype;
	s->status = (uint8_t)p->status;
	if (p->status == DEC_TRUNCATED)
		s->problem_layer = (uint8_t)p->trunc_layer;
	else if (p->status == DEC_INVALID) {
		s->problem_layer = (uint8_t)p->bad_layer;
		s->bad_field = p->bad_field;
	}
	s->ethertype = p->link.ethertype;
	s->app = (uint8_t)p->app.kind;
	if (tr && tr->flow) {
		s->flow_id = tr->flow->id;
		s->dir = (uint8_t)tr->dir;
		s->events = tr->events;
		s->dup_ack_n = tr->dup_ack_n;
		s->have_rel = tr->have_rel;
		s->rseq = tr->rseq;
		s->rack = tr->rack;
		s->have_win_scale = tr->have_win_scale;
		s->win_shift = tr->win_shift;
		for (int i = 0; i < 2; i++) {
			s->before[i] = (uint8_t)tr->before[i];
			s->after[i] = (uint8_t)tr->after[i];
		}
	}
	if (!p->link_supported) {
		s->link_unsupported = true;
		return;
	}
	if (!p->has_ip)
		return;
	const struct ip_layer *ip = &p->ip;
	s->af = ip->version == 6 ? 6 : 4;
	s->proto = ip->proto;
	s->l4 = (uint8_t)ip->l4;
	memcpy(s->src, ip->src, 16);
	memcpy(s->dst, ip->dst, 16);
	s->is_frag = ip->is_frag;
	s->more_frags = ip->more_frags;
	s->frag_off = ip->frag_off;
	if (ip->have & HAVE_PAYLOAD) {
		s->payload = ip->payload_wire;
		if (ip->payload && ip->payload >= p->data && ip->payload <= p->data + p->caplen) {
			s->pl_off = (uint32_t)(ip->payload - p->data);
			s->pl_cap = ip->payload_cap;
		}
	}
	if (ip->have & HAVE_PORTS) {
		s->has_ports = true;
		s->sport = ip->l4 == L4_UDP ? ip->u.udp.sport : ip->u.tcp.sport;
		s->dport = ip->l4 == L4_UDP ? ip->u.udp.dport : ip->u.tcp.dport;
	}
	if (ip->l4 == L4_TCP)
		summary_tcp(s, ip);
	else if (ip->l4 == L4_ICMP || ip->l4 == L4_ICMP6)
		summary_icmp(s, ip);
}

const char *summary_icmp_name(const struct pkt_summary *s)
{
	if (!s->has_icmp)
		return NULL;
	return s->l4 == L4_ICMP6 ? icmp6_type_name(s->icmp_type) : icmp_type_name(s->icmp_type);
}

const char *summary_icmp_code_name(const struct pkt_summary *s)
{
	if (!s->has_icmp)
		return NULL;
	return s->l4 == L4_ICMP6 ? icmp6_code_name(s->icmp_type, s->icmp_code) : icmp_code_name(s->icmp_type, s->icmp_code);
}

const char *summary_l3_name(const struct pkt_summary *s)
{
	if (s->link_unsupported)
		return linktype_name(s->linktype);
	return s->af ? NULL : ether_type_name(s->ethertype);
}

const char *summary_proto_name(const struct pkt_summary *s)
{
	return s->af && s->l4 == L4_NONE ? ipproto_name(s->proto) : NULL;
}

const char *summary_problem_layer(const struct pkt_summary *s)
{
	return layer_name((enum layer_id)s->problem_layer);
}

uint64_t summary_win_bytes(const struct pkt_summary *s)
{
	return s->have_win_scale ? (uint64_t)s->win << s->win_shift : s->win;
}
