/* tui_kernel.c — the kernel's numbers beside the wire: each TCP socket of the table matched to its flow, its state compared with the wire's at each read, the senders' cwnd for the graph, and the socket pane's text of them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/count.h"
#include "tui/tui_panel.h"

#define KSTATE_LISTEN 10 /* the kernel's TCP_LISTEN */

/* The kernel's state numbers (include/net/tcp_states.h) as the states the tracker infers from the wire. */
static const uint8_t kstate_wire[] = {
	[1] = TCPS_ESTABLISHED, [2] = TCPS_SYN_SENT,   [3] = TCPS_SYN_RECEIVED, [4] = TCPS_FIN_WAIT_1,
	[5] = TCPS_FIN_WAIT_2,  [6] = TCPS_TIME_WAIT,  [7] = TCPS_CLOSED,       [8] = TCPS_CLOSE_WAIT,
	[9] = TCPS_LAST_ACK,    [10] = TCPS_LISTEN,    [11] = TCPS_CLOSING,
};

bool kernel_state_agrees(uint8_t kstate, enum tcp_state wire)
{
	return kstate < COUNT(kstate_wire) && kstate_wire[kstate] != TCPS_NONE && kstate_wire[kstate] == wire;
}

/* An endpoint as the wire shows it: an IPv4-mapped IPv6 address (a dual-stack socket) is IPv4 there. */
static struct endpoint endpoint_plain(const struct endpoint *e)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct endpoint r = *e;
	if (e->af == 6 && memcmp(e->addr, mapped, sizeof mapped) == 0) {
		r.af = 4;
		memmove(r.addr, e->addr + 12, 4);
		memset(r.addr + 4, 0, 12);
	}
	return r;
}

static bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	return a->af == b->af && a->port == b->port && memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

/* The previous read's record of the socket (proto, cookie), NULL when it was not there. The table is in
   sockdiag_cmp order: protocol, then cookie. */
static const struct kernel_sock *kernel_find(const struct kernel_sock *k, size_t n, uint8_t proto, uint64_t cookie)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid].proto < proto || (k[mid].proto == proto && k[mid].cookie < cookie))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && cookie && k[lo].proto == proto && k[lo].cookie == cookie ? &k[lo] : NULL;
}

void kernel_sample(struct tui *t)
{
	struct session *s = t->m.session;
	struct kernel_view *kv = &t->kernel;
	if (!s || !s->o.sockets || !t->m.live || s->sock_at == kv->read_at)
		return;
	const struct sockdiag_row *rows;
	const char *err;
	size_t n = session_sockets(s, &rows, &err);
	if (!kv->k[0]) {
		kv->k[0] = calloc(SESSION_SOCK_ROWS, sizeof *kv->k[0]);
		kv->k[1] = calloc(SESSION_SOCK_ROWS, sizeof *kv->k[1]);
		if (!kv->k[0] || !kv->k[1]) {
			free(kv->k[0]);
			free(kv->k[1]);
			kv->k[0] = kv->k[1] = NULL;
			return; /* the pane shows the table without the comparison */
		}
	}
	kv->read_at = s->sock_at;
	int prev = kv->cur, cur = 1 - kv->cur;
	const struct flow_table *ft = pipeline_flows(t->m.pl);
	struct graph_pane *gp = &t->graph;
	if (n > SESSION_SOCK_ROWS)
		n = SESSION_SOCK_ROWS;
	for (size_t i = 0; i < n; i++) {
		const struct sockdiag_row *r = &rows[i];
		struct kernel_sock *k = &kv->k[cur][i];
		memset(k, 0, sizeof *k);
		k->proto = r->proto;
		k->cookie = r->cookie;
		if (r->proto != 6 || r->state == KSTATE_LISTEN)
			continue;
		struct endpoint local = endpoint_plain(&r->local), remote = endpoint_plain(&r->remote);
		const struct flow *f = flowtab_lookup(ft, 6, &local, &remote);
		if (!f)
			continue;
		k->flow_id = f->id;
		k->end = endpoint_equal(&local, &f->client) ? DIR_C2S : DIR_S2C;
		k->wire = f->state[k->end];
		k->inferred = f->state_inferred;
		if (!kernel_state_agrees(r->state, (enum tcp_state)k->wire)) {
			const struct kernel_sock *old = kernel_find(kv->k[prev], kv->n[prev], r->proto, r->cookie);
			bool before = old && old->flow_id == k->flow_id && old->apart;
			k->apart = before ? (uint16_t)(old->apart < UINT16_MAX ? old->apart + 1 : old->apart) : 1;
			k->apart_since = before ? old->apart_since : s->sock_at;
		}
		/* The sender of each direction's data is the socket at that end: its cwnd, in bytes. */
		if (r->info.valid && gp->g && gp->id == f->id && gp->g->flow_id == f->id) {
			graph_feed_cwnd(gp->g, (enum flow_dir)k->end, s->sock_at, (uint64_t)r->info.cwnd * r->info.mss);
			if (t->lower == LOWER_GRAPH)
				t->dirty |= D_GRAPHDATA;
		}
	}
	kv->n[cur] = n;
	kv->cur = cur;
}

const struct kernel_sock *kernel_of(const struct tui *t, size_t i)
{
	const struct kernel_view *kv = &t->kernel;
	if (!kv->k[0] || i >= kv->n[kv->cur] || !kv->k[kv->cur][i].flow_id)
		return NULL;
	return &kv->k[kv->cur][i];
}

/* A rate in bytes per second as bits per second with three significant digits ("2.98 Gbit/s"). */
static void rate_text(uint64_t bytes_per_s, char *buf, size_t n)
{
	static const char *const unit[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s" };
	double v = (double)bytes_per_s * 8;
	size_t u = 0;
	while (v >= 999.5 && u + 1 < COUNT(unit)) {
		v /= 1000;
		u++;
	}
	snprintf(buf, n, "%.*f %s", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, unit[u]);
}

size_t kernel_info_text(const struct sockdiag_tcpinfo *ti, char *buf, size_t n)
{
	char ssth[16], del[32], pace[32];
	if (ti->ssthresh >= SOCKDIAG_SSTHRESH_NONE)
		snprintf(ssth, sizeof ssth, "-");
	else
		snprintf(ssth, sizeof ssth, "%" PRIu32, ti->ssthresh);
	if (ti->delivery_rate)
		rate_text(ti->delivery_rate, del, sizeof del);
	else
		snprintf(del, sizeof del, "-");
	if (ti->pacing_rate == UINT64_MAX)
		snprintf(pace, sizeof pace, "none");
	else
		rate_text(ti->pacing_rate, pace, sizeof pace);
	int w = snprintf(buf, n,
			 "kernel: %s  cwnd %" PRIu32 "  mss %" PRIu32 "  ssthresh %s  rtt %g/%g ms  unacked %" PRIu32
			 "  retransmits %u  total_retrans %" PRIu32 "  delivery %s  pacing %s",
			 sockdiag_ca_state_name(ti->ca_state), ti->cwnd, ti->mss, ssth, ti->srtt_us / 1000.0,
			 ti->rttvar_us / 1000.0, ti->unacked, (unsigned)ti->retransmits, ti->total_retrans, del, pace);
	return w > 0 ? (size_t)w : 0;
}

size_t kernel_apart_text(const struct kernel_sock *k, const struct sockdiag_row *row, int64_t now_ns, char *buf,
			 size_t n)
{
	if (!k || k->apart < KERNEL_APART_READS) {
		if (n)
			buf[0] = '\0';
		return 0;
	}
	const char *why = k->inferred ? "the capture began mid-connection, so the wire's states are guessed"
				      : "packets the capture did not show (its filter, drops), or a state the kernel "
					"keeps without sending a packet";
	int w = snprintf(buf, n,
			 "! the kernel and the wire disagree: the kernel has this %s end in %s, the packets say %s "
			 "(for %u reads, %.2f s): %s",
			 k->end == DIR_C2S ? "client" : "server", sockdiag_state_name(row->state),
			 tcp_state_name((enum tcp_state)k->wire), (unsigned)k->apart,
			 (double)(now_ns - k->apart_since) / 1e9, why);
	return w > 0 ? (size_t)w : 0;
}
