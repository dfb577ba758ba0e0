/* flow.c — the flow table: canonical keys, preallocated node pool, LRU lists per timeout class, tracking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "track/flow_priv.h"
#include "track/tcp_state.h"

#define NS_PER_S 1000000000LL
#define STALE_US (1u << 30) /* stored 32-bit microsecond times are clamped to at most this old */

/*
 * Default idle timeout of a SYN-only flow, in seconds: longer than the whole SYN retry schedule of the
 * common stacks, so that a client's retries stay one flow. Linux (tcp_syn_retries 6) retries after 1, 2,
 * 4, 8, 16 and 32 s and gives up 64 s after the last retry, 127 s after the first SYN; Windows retries
 * after 3 and 6 s and gives up after 21 s.
 */
#define SYN_TIMEOUT_S 130


/* ---- keys ---------------------------------------------------------------------------------------- */

static void endpoint_from(struct endpoint *e, const struct ip_layer *ip, bool src, uint16_t port)
{
	const uint8_t *a = src ? ip->src : ip->dst;
	memset(e, 0, sizeof *e);
	/* Two fixed-size copies rather than one of a variable size (a library call on every packet). */
	if (ip->version == 6) {
		e->af = 6;
		memcpy(e->addr, a, 16);
	} else {
		e->af = 4;
		memcpy(e->addr, a, 4);
	}
	e->port = port;
}

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

/* memcmp's order of (address, port), from two big-endian 8-byte words each (no library call). */
static int endpoint_cmp(const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
	uint64_t a0 = load_be64(a), b0 = load_be64(b);
	if (a0 != b0)
		return a0 < b0 ? -1 : 1;
	uint64_t a1 = load_be64(a + 8), b1 = load_be64(b + 8);
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return (int)ap - (int)bp;
}

/* Canonical key: lower (address, port) first. Returns true when the packet's source is side 1. */
static bool key_make(struct flow_key *k, uint8_t af, uint8_t proto, const struct endpoint *src,
		     const struct endpoint *dst)
{
	memset(k, 0, sizeof *k);
	k->af = af;
	k->proto = proto;
	bool swap = endpoint_cmp(src->addr, src->port, dst->addr, dst->port) > 0;
	const struct endpoint *lo = swap ? dst : src, *hi = swap ? src : dst;
	memcpy(k->addr[0], lo->addr, 16);
	memcpy(k->addr[1], hi->addr, 16);
	k->port[0] = lo->port;
	k->port[1] = hi->port;
	return swap;
}

static uint32_t key_hash(const struct flow_key *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)k->af | (uint64_t)k->proto << 8 |
					      (uint64_t)k->port[0] << 16 | (uint64_t)k->port[1] << 32);
	for (int i = 0; i < 4; i++) {
		uint64_t w;
		memcpy(&w, &k->addr[i / 2][(i % 2) * 8], 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h >> 32);
}

/* Equal keys: five 8-byte words (the last two overlap), no library call. */
static bool key_equal(const struct flow_key *a, const struct flow_key *b)
{
	_Static_assert(sizeof(struct flow_key) > 32 && sizeof(struct flow_key) <= 40, "key_equal reads 5 words");
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	uint64_t d = 0;
	for (size_t off = 0; off < 32; off += 8) {
		uint64_t u, v;
		memcpy(&u, x + off, 8);
		memcpy(&v, y + off, 8);
		d |= u ^ v;
	}
	uint64_t u, v;
	memcpy(&u, x + sizeof *a - 8, 8);
	memcpy(&v, y + sizeof *a - 8, 8);
	return (d | (u ^ v)) == 0;
}

/* The memory budget (FLOW_DEFAULT_MAX_FLOWS, README "Flow table memory") depends on these sizes. */
_Static_assert(sizeof(struct flow) == 192, "struct flow has grown or gained padding");
_Static_assert(sizeof(struct flow_node) == 248, "struct flow_node has grown or gained padding");
_Static_assert(sizeof(struct zeek_conn) == 16, "struct zeek_conn has grown or gained padding");

/* ---- table --------------------------------------------------------------------------------------- */

/*
 * Ask for transparent huge pages over the pool's whole pages: flows are reached at random, and with
 * 4 KiB pages nearly every lookup of a large table also misses the TLB. Only advice: pages are still
 * taken (2 MiB at a time) as flows first use them, and nothing changes if the kernel declines.
 */
static void pool_advise(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	long pg = sysconf(_SC_PAGESIZE);
	if (pg <= 0)
		return;
	uintptr_t a = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1), e = (uintptr_t)p + len;
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

struct flow_table *flowtab_new(size_t max_flows)
{
	if (max_flows == 0 || max_flows >= FLOW_NIL)
		return NULL;
	struct flow_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cap = (uint32_t)max_flows;
	/* Chains average up to 2 nodes when full: half as many buckets as flows, rounded up to a power of 2. */
	uint32_t nb = 16;
	while (nb < max_flows / 2)
		nb <<= 1;
	t->nbuckets = nb;
	t->nodes = calloc(max_flows, sizeof *t->nodes);
	t->buckets = malloc((size_t)nb * sizeof *t->buckets);
	if (!t->nodes || !t->buckets) {
		flowtab_free(t);
		return NULL;
	}
	memset(t->buckets, 0xff, (size_t)nb * sizeof *t->buckets);
	pool_advise(t->nodes, max_flows * sizeof *t->nodes);
	/* Nodes are taken from [0, fresh) and the free list; untouched pages of the pool cost no memory. */
	t->free_head = FLOW_NIL;
	t->fresh = 0;
	for (int c = 0; c < FC_COUNT; c++)
		t->lru_head[c] = t->lru_tail[c] = FLOW_NIL;
	struct flow_timeouts to = { SYN_TIMEOUT_S, 300, 60, 60 };
	flowtab_set_timeouts(t, &to);
	t->conn_history = true;
	t->st.capacity = max_flows;
	t->st.bytes_reserved = sizeof *t + max_flows * sizeof *t->nodes +
			       (size_t)nb * sizeof *t->buckets;
	t->st.bytes_per_flow = (t->st.bytes_reserved + max_flows - 1) / max_flows;
	return t;
}

void flowtab_free(struct flow_table *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->buckets);
	free(t);
}

void flowtab_set_conn_history(struct flow_table *t, bool on)
{
	t->conn_history = on;
}

void flowtab_set_timeouts(struct flow_table *t, const struct flow_timeouts *to)
{
	t->timeout_ns[FC_SYN] = (int64_t)to->syn * NS_PER_S;
	t->timeout_ns[FC_EST] = (int64_t)to->established * NS_PER_S;
	t->timeout_ns[FC_CLOSED] = (int64_t)to->closed * NS_PER_S;
	t->timeout_ns[FC_DGRAM] = (int64_t)to->datagram * NS_PER_S;
	t->expire_ns = INT64_MIN; /* the next table_expire() looks at every list again */
}

/* How long an expired SYN-only flow is remembered: until idle twice the SYN-only timeout. */
static int64_t gone_timeout(const struct flow_table *t)
{
	return 2 * t->timeout_ns[FC_SYN];
}

void flowtab_set_remove_hook(struct flow_table *t, void (*fn)(const struct flow *f, bool evicted, void *arg),
			     void *arg)
{
	t->on_remove = fn;
	t->on_remove_arg = arg;
}

void flowtab_stats(const struct flow_table *t, struct flowtab_stats *s)
{
	*s = t->st;
}

/* Flow i heads class cls's list: the table's expire_ns may not be later than when i expires. */
static void expiry_bound(struct flow_table *t, uint32_t i, int cls)
{
	int64_t to = cls == FC_GONE ? gone_timeout(t) : t->timeout_ns[cls];
	int64_t last = t->nodes[i].f.last_ns;
	int64_t at = last > INT64_MAX - to ? INT64_MAX : last + to;
	if (at < t->expire_ns)
		t->expire_ns = at;
}

static void lru_unlink(struct flow_table *t, uint32_t i)
{
	struct flow_priv *p = &t->nodes[i].p;
	if (p->cls >= FC_COUNT)
		return; /* not on a list yet */
	if (p->lprev != FLOW_NIL)
		t->nodes[p->lprev].p.lnext = p->lnext;
	else if ((t->lru_head[p->cls] = p->lnext) != FLOW_NIL)
		expiry_bound(t, p->lnext, p->cls); /* the next one heads the list now */
	if (p->lnext != FLOW_NIL)
		t->nodes[p->lnext].p.lprev = p->lprev;
	else
		t->lru_tail[p->cls] = p->lprev;
	p->lprev = p->lnext = FLOW_NIL;
	p->cls = FC_COUNT;
}

static void lru_append(struct flow_table *t, uint32_t i, uint8_t cls)
{
	struct flow_priv *p = &t->nodes[i].p;
	p->cls = cls;
	p->lnext = FLOW_NIL;
	p->lprev = t->lru_tail[cls];
	if (p->lprev != FLOW_NIL) {
		t->nodes[p->lprev].p.lnext = i;
	} else {
		t->lru_head[cls] = i;
		expiry_bound(t, i, cls);
	}
	t->lru_tail[cls] = i;
}

static void hash_unlink(struct flow_table *t, uint32_t i)
{
	uint32_t *pp = &t->buckets[key_hash(&t->nodes[i].f.key) & (t->nbuckets - 1)];
	while (*pp != FLOW_NIL && *pp != i)
		pp = &t->nodes[*pp].p.hnext;
	if (*pp == i)
		*pp = t->nodes[i].p.hnext;
	t->nodes[i].p.hnext = FLOW_NIL;
}

/*
 * Flow i leaves the table's listing: it ends "timeout" if still open, an end that never answered the SYN
 * it received is NO-ANSWER from now on, the hook sees it, it is counted.
 */
static void node_retire(struct flow_table *t, uint32_t i, bool evicted)
{
	struct flow *f = &t->nodes[i].f;
	if (f->end == END_OPEN)
		f->end = END_TIMEOUT;
	for (int d = 0; d < 2; d++)
		if (f->state[d] == TCPS_UNANSWERED)
			f->state[d] = TCPS_NO_ANSWER;
	if (t->on_remove)
		t->on_remove(f, evicted, t->on_remove_arg);
	if (evicted)
		t->st.evicted++;
	else
		t->st.expired++;
	t->st.flows_active--;
}

/* Node i goes back to the free list, out of its hash chain and LRU list. */
static void node_free(struct flow_table *t, uint32_t i)
{
	struct flow_priv *p = &t->nodes[i].p;
	if (p->in_use == NODE_HASHED || p->in_use == NODE_GONE)
		hash_unlink(t, i);
	lru_unlink(t, i);
	p->in_use = NODE_FREE;
	p->hnext = t->free_head;
	t->free_head = i;
}

static void node_remove(struct flow_table *t, uint32_t i, bool evicted)
{
	node_retire(t, i, evicted);
	node_free(t, i);
}

/*
 * A SYN-only flow idle past its timeout expires like any other, but its node keeps it, hashed under its
 * key, on the FC_GONE list: a SYN repeating its ISN within as long again is its retransmission and brings
 * it back (ghost_meet). Without a known ISN there is nothing to recognise it by.
 */
static void node_expire(struct flow_table *t, uint32_t i, int cls)
{
	struct flow_priv *p = &t->nodes[i].p;
	if (cls == FC_GONE) {
		node_free(t, i); /* remembered long enough; it was counted when it expired */
	} else if (cls == FC_SYN && p->in_use == NODE_HASHED && t->nodes[i].f.isn_known) {
		node_retire(t, i, false);
		lru_unlink(t, i);
		lru_append(t, i, FC_GONE);
		p->in_use = NODE_GONE;
	} else {
		node_remove(t, i, false);
	}
}

/*
 * Remove flows idle past their class's timeout; each class list is ordered by last use, so only its
 * head is looked at. Nothing is, while the clock has not passed expire_ns (the case of nearly every packet).
 */
static void table_expire(struct flow_table *t)
{
	if (t->now_ns <= t->expire_ns)
		return;
	uint32_t i;
	for (int c = 0; c < FC_GONE; c++)
		while ((i = t->lru_head[c]) != FLOW_NIL && t->now_ns - t->nodes[i].f.last_ns > t->timeout_ns[c])
			node_expire(t, i, c);
	while ((i = t->lru_head[FC_GONE]) != FLOW_NIL && t->now_ns - t->nodes[i].f.last_ns > gone_timeout(t))
		node_expire(t, i, FC_GONE);
	t->expire_ns = INT64_MAX;
	for (int c = 0; c < FC_COUNT; c++)
		if (t->lru_head[c] != FLOW_NIL)
			expiry_bound(t, t->lru_head[c], c);
}

/* The least recently used flow: the oldest of the class heads (expired SYN-only flows are not flows). */
static void table_evict_one(struct flow_table *t)
{
	uint32_t victim = FLOW_NIL;
	for (int c = 0; c < FC_GONE; c++) {
		uint32_t i = t->lru_head[c];
		if (i != FLOW_NIL && (victim == FLOW_NIL || t->nodes[i].f.last_ns < t->nodes[victim].f.last_ns))
			victim = i;
	}
	if (victim != FLOW_NIL)
		node_remove(t, victim, true);
}

/* Start fetching every cache line of node i, for writing. */
static void node_prefetch(const struct flow_table *t, uint32_t i)
{
	const char *n = (const char *)&t->nodes[i];
	for (size_t off = 0; off < sizeof t->nodes[i]; off += 64)
		__builtin_prefetch(n + off, 1, 3);
	__builtin_prefetch(n + sizeof t->nodes[i] - 1, 1, 3);
}

static uint32_t table_lookup(const struct flow_table *t, const struct flow_key *k, uint32_t h)
{
	for (uint32_t i = t->buckets[h & (t->nbuckets - 1)]; i != FLOW_NIL; i = t->nodes[i].p.hnext)
		if (key_equal(&t->nodes[i].f.key, k))
			return i;
	return FLOW_NIL;
}

/*
 * A fresh node, hashed under k: from the free list, else one never used, else the oldest expired SYN-only
 * flow's, else evicting the least recently used flow.
 */
static uint32_t table_insert(struct flow_table *t, const struct flow_key *k, uint32_t h, int64_t now_ns)
{
	uint32_t i;
	if (t->free_head == FLOW_NIL && t->fresh < t->cap) {
		i = t->fresh++;
	} else {
		if (t->free_head == FLOW_NIL && t->lru_head[FC_GONE] != FLOW_NIL)
			node_free(t, t->lru_head[FC_GONE]);
		else if (t->free_head == FLOW_NIL)
			table_evict_one(t);
		i = t->free_head;
		t->free_head = t->nodes[i].p.hnext;
	}
	struct flow *f = &t->nodes[i].f;
	struct flow_priv *p = &t->nodes[i].p;
	memset(f, 0, sizeof *f);
	memset(p, 0, sizeof *p);
	f->id = ++t->st.flows_created; /* ids count the flows created, from 1 */
	f->key = *k;
	f->closed_first = -1;
	f->first_ns = f->last_ns = now_ns;
	p->in_use = NODE_HASHED;
	p->cls = FC_COUNT; /* listed by the table_touch() that ends flow_track() */
	uint32_t *b = &t->buckets[h & (t->nbuckets - 1)];
	p->hnext = *b;
	*b = i;
	p->lprev = p->lnext = FLOW_NIL;
	t->st.flows_active++;
	/* The node the next new flow will take is usually cold (never used, or freed long ago): fetch it now. */
	uint32_t next = t->free_head != FLOW_NIL ? t->free_head : t->fresh < t->cap ? t->fresh : FLOW_NIL;
	if (next != FLOW_NIL)
		node_prefetch(t, next);
	return i;
}

static bool tcp_closed(enum tcp_state s)
{
	return s == TCPS_CLOSED || s == TCPS_TIME_WAIT;
}

static uint8_t flow_class(const struct flow *f)
{
	if (f->proto != 6)
		return FC_DGRAM;
	if (f->end == END_RST || f->end == END_REFUSED || (tcp_closed(f->state[0]) && tcp_closed(f->state[1])))
		return FC_CLOSED;
	if (f->state[0] >= TCPS_ESTABLISHED || f->state[1] >= TCPS_ESTABLISHED)
		return FC_EST;
	return FC_SYN;
}

/* Mark node i most recently used (moving it to its current class's list). */
static void table_touch(struct flow_table *t, uint32_t i)
{
	uint8_t cls = flow_class(&t->nodes[i].f);
	if (t->nodes[i].p.cls == cls && t->lru_tail[cls] == i) {
		if (t->lru_head[cls] == i)
			expiry_bound(t, i, cls); /* alone on its list, and its last use moved */
		return; /* already the most recent of its class */
	}
	lru_unlink(t, i);
	lru_append(t, i, cls);
}

/* ---- visiting ------------------------------------------------------------------------------------ */

/* The node holds a flow in the table (not a free node, not an expired SYN-only flow remembered). */
static bool node_listed(const struct flow_priv *p)
{
	return p->in_use == NODE_HASHED || p->in_use == NODE_DETACHED;
}

static int cmp_id(const void *a, const void *b, void *arg)
{
	const struct flow_node *nd = arg;
	uint64_t x = nd[*(const uint32_t *)a].f.id, y = nd[*(const uint32_t *)b].f.id;
	return x < y ? -1 : x > y;
}

/*
 * In id order: the live nodes' indices are sorted in a temporary array (4 bytes per live flow, freed
 * before returning); if that allocation fails the flows are visited in pool order instead.
 */
void flowtab_foreach(const struct flow_table *t, void (*fn)(const struct flow *f, void *arg), void *arg)
{
	size_t n = t->st.flows_active, k = 0;
	uint32_t *idx = n ? malloc(n * sizeof *idx) : NULL;
	for (size_t i = 0; i < t->fresh && k < n; i++) {
		if (!node_listed(&t->nodes[i].p))
			continue;
		if (idx)
			idx[k] = (uint32_t)i;
		else
			fn(&t->nodes[i].f, arg);
		k++;
	}
	if (!idx)
		return;
	qsort_r(idx, k, sizeof *idx, cmp_id, t->nodes);
	for (size_t j = 0; j < k; j++)
		fn(&t->nodes[idx[j]].f, arg);
	free(idx);
}

const struct flow *flowtab_find(const struct flow_table *t, uint64_t id)
{
	for (size_t i = 0; i < t->fresh; i++)
		if (node_listed(&t->nodes[i].p) && t->nodes[i].f.id == id)
			return &t->nodes[i].f;
	return NULL;
}

const struct flow *flowtab_lookup(const struct flow_table *t, uint8_t proto, const struct endpoint *a,
				  const struct endpoint *b)
{
	if (a->af != b->af || (a->af != 4 && a->af != 6))
		return NULL;
	struct flow_key k;
	key_make(&k, a->af, proto, a, b);
	uint32_t i = table_lookup(t, &k, key_hash(&k));
	return i == FLOW_NIL ? NULL : &t->nodes[i].f;
}

/* ---- tracking ------------------------------------------------------------------------------------ */

static bool endpoint_same(const struct endpoint *a, const struct endpoint *b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a->addr, 8);
	memcpy(&a1, a->addr + 8, 8);
	memcpy(&b0, b->addr, 8);
	memcpy(&b1, b->addr + 8, 8);
	return a->port == b->port && ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* Without a SYN: the end on a well-known port (<1024), else the one not in the ephemeral range, else the lower port, is the server. */
static bool guess_src_is_client(uint16_t sport, uint16_t dport)
{
	if ((sport < 1024) != (dport < 1024))
		return dport < 1024;
	if ((sport >= 32768) != (dport >= 32768))
		return sport >= 32768;
	return sport >= dport;
}

static void flow_set_ends(struct flow *f, const struct endpoint *src, const struct endpoint *dst, bool src_is_client)
{
	f->client = src_is_client ? *src : *dst;
	f->server = src_is_client ? *dst : *src;
}

/* Keep every stored 32-bit microsecond time within STALE_US of now (see flow_priv.h). */
static void priv_clamp_times(const struct flow *f, struct flow_priv *p, uint32_t now_us, int64_t now_ns)
{
	uint32_t floor_us = now_us - STALE_US;
	if (now_ns - f->last_ns > (int64_t)STALE_US * 1000) {
		p->an.d[0].nextseq_us = p->an.d[1].nextseq_us = p->other_us = floor_us;
		return;
	}
	if (now_us - p->an.d[0].nextseq_us > STALE_US)
		p->an.d[0].nextseq_us = floor_us;
	if (now_us - p->an.d[1].nextseq_us > STALE_US)
		p->an.d[1].nextseq_us = floor_us;
	if (now_us - p->other_us > STALE_US)
		p->other_us = floor_us;
}

static bool icmp_is_echo(int version, uint8_t type)
{
	return version == 6 ? (type == 128 || type == 129) : (type == 8 || type == 0);
}

static bool icmp_is_echo_request(int version, uint8_t type)
{
	return version == 6 ? type == 128 : type == 8;
}

/* ICMP/ICMPv6 errors that quote a packet (RFC 792, RFC 4443 §3). */
static bool icmp_is_err(int version, uint8_t type)
{
	if (version == 6)
		return type >= 1 && type <= 4;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* Port or protocol unreachable: the destination refused (RFC 792 codes 2/3, RFC 4443 code 4). */
static bool icmp_is_refusal(int version, uint8_t type, uint8_t code)
{
	if (version == 6)
		return type == 1 && code == 4;
	return type == 3 && (code == 2 || code == 3);
}

/* Flow key and endpoints of an IP layer's transport; false when it belongs to no flow. */
static bool layer_key(const struct ip_layer *ip, struct flow_key *k, struct endpoint *src, struct endpoint *dst,
		      bool *swapped)
{
	if (!(ip->have & HAVE_IP) || (ip->version != 4 && ip->version != 6))
		return false;
	uint16_t sp, dp;
	uint8_t proto;
	switch (ip->l4) {
	case L4_TCP:
	case L4_UDP:
		if (!(ip->have & HAVE_PORTS))
			return false;
		proto = ip->l4 == L4_TCP ? 6 : 17;
		sp = ip->l4 == L4_TCP ? ip->u.tcp.sport : ip->u.udp.sport;
		dp = ip->l4 == L4_TCP ? ip->u.tcp.dport : ip->u.udp.dport;
		break;
	case L4_ICMP:
	case L4_ICMP6:
		if (!(ip->have & HAVE_ICMP) || !(ip->have & HAVE_ICMP_REST) ||
		    !icmp_is_echo(ip->version, ip->u.icmp.type))
			return false;
		proto = ip->l4 == L4_ICMP ? 1 : 58;
		sp = dp = ip->u.icmp.id;
		break;
	default:
		return false;
	}
	endpoint_from(src, ip, true, proto == 1 || proto == 58 ? 0 : sp);
	endpoint_from(dst, ip, false, proto == 1 || proto == 58 ? 0 : dp);
	struct endpoint ks = *src, kd = *dst;
	ks.port = sp;
	kd.port = dp;
	*swapped = key_make(k, src->af, proto, &ks, &kd);
	return true;
}

static int64_t pkt_ns(const struct packet *pkt)
{
	return packet_time_ns(pkt); /* clamped: time differences below cannot overflow */
}

static void result_untracked(struct flow_table *t, struct track_result *r)
{
	t->st.packets_untracked++;
	r->flow = NULL;
}

/* An ICMP error: attach it to the flow of the packet it quotes (h: its key, hash and endpoints). */
static void track_icmp_error(struct flow_table *t, const struct packet *pkt, const struct flow_hint *h,
			     struct track_result *r)
{
	const struct endpoint *qsrc = &h->src;
	uint32_t i = table_lookup(t, &h->key, h->hash);
	if (i == FLOW_NIL || t->nodes[i].p.in_use == NODE_GONE) {
		t->st.icmp_unmatched++;
		result_untracked(t, r);
		return;
	}
	struct flow *f = &t->nodes[i].f;
	/* The error travels toward the quoted packet's source. */
	enum flow_dir qdir = endpoint_same(qsrc, &f->client) ? DIR_C2S : DIR_S2C;
	if (f->proto == 1 || f->proto == 58)
		qdir = icmp_is_echo_request(pkt->inner.version, pkt->inner.u.icmp.type) ? DIR_C2S : DIR_S2C;
	r->flow = f;
	r->dir = qdir == DIR_C2S ? DIR_S2C : DIR_C2S;
	r->before[0] = f->state[0];
	r->before[1] = f->state[1];
	r->events = EV_ICMP_ERROR;
	f->icmp_errors++;
	const struct icmp_hdr *ic = &pkt->ip.u.icmp;
	if ((f->proto == 6 || f->proto == 17) && icmp_is_refusal(pkt->ip.version, ic->type, ic->code)) {
		r->events |= EV_REFUSED;
		if (f->end == END_OPEN)
			f->end = END_REFUSED;
		if (f->proto == 6)
			f->state[qdir] = tcp_state_after_recv(f->state[qdir], SEG_ICMP_UNREACH);
		if (f->closed_first < 0)
			f->closed_first = (int8_t)r->dir;
	}
	r->after[0] = f->state[0];
	r->after[1] = f->state[1];
	if (r->after[0] != r->before[0] || r->after[1] != r->before[1])
		r->events |= EV_STATE_CHANGE;
	if (flow_class(f) != t->nodes[i].p.cls)
		table_touch(t, i);
	t->st.packets_tracked++;
}

/*
 * A packet for the key of an expired SYN-only flow (NODE_GONE): a SYN (or SYN-ACK) repeating the ISN its
 * sender used is that flow's retransmission, and the flow comes back as it was (same id, no longer counted
 * as expired; the analysis marks the SYN a retransmission). Anything else finds no flow: the node is
 * released and FLOW_NIL returned.
 */
static uint32_t ghost_meet(struct flow_table *t, uint32_t i, const struct endpoint *src, const struct ip_layer *ip)
{
	struct flow *f = &t->nodes[i].f;
	const struct tcp_hdr *th = &ip->u.tcp;
	enum flow_dir d = endpoint_same(src, &f->client) ? DIR_C2S : DIR_S2C;
	const uint32_t need = HAVE_FLAGS | HAVE_SEQ;
	if ((ip->have & need) == need && (th->flags & (TCP_SYN | TCP_RST)) == TCP_SYN && (f->isn_known & 1u << d) &&
	    th->seq == f->isn[d]) {
		lru_unlink(t, i); /* table_touch() lists it in its class again */
		t->nodes[i].p.in_use = NODE_HASHED;
		if (f->end == END_TIMEOUT)
			f->end = END_OPEN;
		for (int e = 0; e < 2; e++) /* the question is open again: its SYN came back */
			if (f->state[e] == TCPS_NO_ANSWER)
				f->state[e] = TCPS_UNANSWERED;
		t->st.expired--;
		t->st.flows_active++;
		return i;
	}
	node_free(t, i);
	return FLOW_NIL;
}

/* A bare SYN from an end whose ISN is known, with another ISN: a new connection on the same ports. */
static bool is_port_reuse(const struct flow *f, const struct endpoint *src, const struct tcp_hdr *th, uint32_t have)
{
	if (f->proto != 6 || !(have & HAVE_FLAGS) || !(have & HAVE_SEQ) ||
	    (th->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return false;
	enum flow_dir d = endpoint_same(src, &f->client) ? DIR_C2S : DIR_S2C;
	return (f->isn_known & 1u << d) && th->seq != f->isn[d];
}

static void flow_init_tcp(struct flow *f, const struct endpoint *src, const struct endpoint *dst,
			  const struct ip_layer *ip)
{
	const struct tcp_hdr *th = &ip->u.tcp;
	uint16_t fl = (ip->have & HAVE_FLAGS) ? th->flags : 0;
	if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		flow_set_ends(f, src, dst, true);
		return; /* both TCPS_NONE: the tables take it from here */
	}
	if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		/* The SYN was missed: the SYN-ACK's receiver is the client, waiting in SYN-SENT. */
		flow_set_ends(f, src, dst, false);
		f->state[DIR_C2S] = TCPS_SYN_SENT;
		f->state[DIR_S2C] = TCPS_LISTEN;
		f->state_inferred = true;
		return;
	}
	flow_set_ends(f, src, dst, guess_src_is_client(th->sport, th->dport));
	f->client_guessed = true;
	f->state_inferred = true;
	f->state[0] = f->state[1] = TCPS_ESTABLISHED;
}

/* State machine, relative numbers, handshake times, analysis and end reason for one TCP segment. */
static void track_tcp(struct flow *f, struct flow_priv *p, bool conn_history, enum flow_dir dir, const struct ip_layer *ip,
		      int64_t now_ns, struct track_result *r)
{
	const struct tcp_hdr *th = &ip->u.tcp;
	const uint32_t need = HAVE_SEQ | HAVE_FLAGS;
	if ((ip->have & need) != need)
		return; /* counted, but too little of the header to say more */
	const enum flow_dir rev = dir == DIR_C2S ? DIR_S2C : DIR_C2S;
	const uint16_t fl = th->flags;
	const bool have_ack = (ip->have & HAVE_ACK) && (fl & TCP_ACK);

	/* Relative numbers (Wireshark's base_seq): a SYN's seq, else seq-1; the peer's from ack-1. */
	if (!(f->isn_known & 1u << dir)) {
		f->isn[dir] = (fl & TCP_SYN) ? th->seq : th->seq - 1;
		f->isn_known |= 1u << dir;
	}
	if (have_ack && !(f->isn_known & 1u << rev)) {
		f->isn[rev] = th->ack - 1;
		f->isn_known |= 1u << rev;
	}
	r->rseq = th->seq - f->isn[dir];
	r->rack = have_ack ? th->ack - f->isn[rev] : 0;
	r->have_rel = true;

	/* Handshake times: the latest SYN before the SYN-ACK, the first SYN-ACK, the client's first ACK after it. */
	if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && dir == DIR_C2S && !p->synack_seen)
		f->syn_ns = now_ns;
	if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK) && dir == DIR_S2C && !p->synack_seen) {
		f->synack_ns = now_ns;
		p->synack_seen = 1;
	}
	if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK && dir == DIR_C2S && p->synack_seen && !f->ack_ns)
		f->ack_ns = now_ns;

	/* Zeek's letters and states, from the analysis state as it was before this segment. */
	if (conn_history)
		zeek_tcp(f, &f->zeek, dir, ip, &p->an);

	bool acks_peer_fin = have_ack && (p->an.dflags[rev] & DS_FIN) && GE_SEQ(th->ack, p->an.d[rev].nextseq);
	enum tcp_seg kind = tcp_seg_classify(fl, acks_peer_fin);

	/* The analysis needs the segment's length (from the IP length and the data offset, however much of
	   the header was captured). Without it, as tshark, this segment is not analysed and leaves the
	   analysis state as it was: a length taken as 0 would make data look like duplicate ACKs. */
	if (ip->have & HAVE_PAYLOAD) {
		struct tcp_seginfo s = {
			.seq = th->seq,
			.ack = th->ack,
			.seglen = ip->payload_wire,
			.flags = fl,
			.win = th->win,
			.now_us = (uint32_t)(now_ns / 1000),
			.now_ns = now_ns,
			.have_ack = (ip->have & HAVE_ACK) != 0,
			.have_win = (ip->have & HAVE_WIN) != 0,
			.win_scale_offered = (ip->have & HAVE_TCPOPTS) && (th->opt_have & TCPOPT_HAVE_WSCALE),
			.win_scale = th->wscale,
			.rev_last_us = flow_priv_lasttime_us(f, p, rev),
			.hs_rtt_ns = f->syn_ns && f->ack_ns && f->ack_ns > f->syn_ns ? f->ack_ns - f->syn_ns : 0,
		};
		r->events |= tcp_analyze(&p->an, dir, &s, &r->dup_ack_n);
	}
	/* A SYN's window is never scaled (RFC 7323 §2.2); Wireshark shows it as it is. */
	int shift = (fl & TCP_SYN) ? -1 : tcp_win_shift(&p->an, dir);
	if (shift >= 0) {
		r->have_win_scale = true;
		r->win_shift = (uint8_t)shift;
	}

	enum tcp_state rcv_before = f->state[rev];
	f->state[dir] = tcp_state_after_send(f->state[dir], kind);
	f->state[rev] = tcp_state_after_recv(f->state[rev], kind);

	if (kind == SEG_RST) {
		r->events |= EV_RST;
		if (rcv_before == TCPS_SYN_SENT) {
			r->events |= EV_REFUSED;
			f->end = END_REFUSED;
		} else if (f->end == END_OPEN || f->end == END_FIN) {
			if (!(tcp_closed(r->before[0]) && tcp_closed(r->before[1])))
				f->end = END_RST;
		}
	}
	if ((fl & (TCP_FIN | TCP_RST)) && f->closed_first < 0)
		f->closed_first = (int8_t)dir;
	if ((fl & TCP_FIN) && (p->an.dflags[rev] & DS_FIN) && f->end == END_OPEN)
		f->end = END_FIN;
}

/* What tracking does with a packet (flow_hint.kind). */
enum { FH_UNTRACKED = 0, FH_FLOW, FH_ICMP_ERROR };

/* The packet's key, endpoints and hash; nothing here depends on the table. */
static void hint_make(const struct packet *pkt, struct flow_hint *h)
{
	bool swapped;
	h->kind = FH_UNTRACKED;
	h->hash = 0;
	if (!pkt->has_ip)
		return;
	const struct ip_layer *ip = &pkt->ip;
	if ((ip->l4 == L4_ICMP || ip->l4 == L4_ICMP6) && (ip->have & HAVE_ICMP) &&
	    icmp_is_err(ip->version, ip->u.icmp.type)) {
		if (pkt->has_inner && layer_key(&pkt->inner, &h->key, &h->src, &h->dst, &swapped)) {
			h->kind = FH_ICMP_ERROR;
			h->hash = key_hash(&h->key);
		}
		return;
	}
	if (layer_key(ip, &h->key, &h->src, &h->dst, &swapped)) {
		h->kind = FH_FLOW;
		h->hash = key_hash(&h->key);
	}
}

void flowtab_hint(const struct flow_table *t, const struct packet *pkt, struct flow_hint *h)
{
	hint_make(pkt, h);
	if (h->kind != FH_UNTRACKED)
		__builtin_prefetch(&t->buckets[h->hash & (t->nbuckets - 1)], 0, 3);
}

void flowtab_prefetch(const struct flow_table *t, const struct flow_hint *h)
{
	if (h->kind == FH_UNTRACKED)
		return;
	uint32_t i = t->buckets[h->hash & (t->nbuckets - 1)];
	if (i == FLOW_NIL)
		return;
	node_prefetch(t, i); /* the chain's first node: most chains are that one node */
}

void flow_track(struct flow_table *t, const struct packet *pkt, struct track_result *r)
{
	struct flow_hint h;
	hint_make(pkt, &h);
	flow_track_hinted(t, pkt, &h, r);
}

void flow_track_hinted(struct flow_table *t, const struct packet *pkt, const struct flow_hint *h,
		       struct track_result *r)
{
	memset(r, 0, sizeof *r);
	const int64_t now_ns = pkt_ns(pkt);
	if (now_ns > t->now_ns)
		t->now_ns = now_ns;
	table_expire(t);

	if (h->kind == FH_ICMP_ERROR) {
		track_icmp_error(t, pkt, h, r);
		return;
	}
	if (h->kind != FH_FLOW) {
		result_untracked(t, r);
		return;
	}
	const struct ip_layer *ip = &pkt->ip;
	const struct flow_key *k = &h->key;
	const struct endpoint *src = &h->src, *dst = &h->dst;
	uint32_t i = table_lookup(t, k, h->hash);
	if (i != FLOW_NIL) {
		/* Its LRU neighbours are written at the end (table_touch): start fetching them now. */
		const struct flow_priv *lp = &t->nodes[i].p;
		if (lp->lprev != FLOW_NIL)
			__builtin_prefetch(&t->nodes[lp->lprev].p, 1, 3);
		if (lp->lnext != FLOW_NIL)
			__builtin_prefetch(&t->nodes[lp->lnext].p, 1, 3);
		if (lp->in_use == NODE_GONE)
			i = ghost_meet(t, i, src, ip);
	}
	if (i != FLOW_NIL && is_port_reuse(&t->nodes[i].f, src, &ip->u.tcp, ip->have)) {
		/* The old flow stays listed (and expires normally) but no longer answers to its key. */
		hash_unlink(t, i);
		t->nodes[i].p.in_use = NODE_DETACHED;
		t->st.port_reuses++;
		r->events |= EV_PORT_REUSE;
		i = FLOW_NIL;
	}
	struct flow *f;
	struct flow_priv *p;
	if (i == FLOW_NIL) {
		i = table_insert(t, k, h->hash, now_ns);
		f = &t->nodes[i].f;
		p = &t->nodes[i].p;
		f->proto = k->proto;
		r->events |= EV_NEW_FLOW;
		if (k->proto == 6)
			flow_init_tcp(f, src, dst, ip);
		else if (k->proto == 17)
			flow_set_ends(f, src, dst, true);
		else
			flow_set_ends(f, src, dst, icmp_is_echo_request(ip->version, ip->u.icmp.type));
		p->last_dir = endpoint_same(src, &f->client) ? DIR_C2S : DIR_S2C;
		if (k->proto == 6 && p->last_dir == DIR_S2C && t->conn_history)
			zeek_flipped(&f->zeek); /* its first packet came from the server */
	} else {
		f = &t->nodes[i].f;
		p = &t->nodes[i].p;
	}
	/* Direction by endpoint; ICMP echo by type (both ends have port 0, and may share an address). */
	enum flow_dir dir = endpoint_same(src, &f->client) ? DIR_C2S : DIR_S2C;
	if (k->proto == 1 || k->proto == 58)
		dir = icmp_is_echo_request(ip->version, ip->u.icmp.type) ? DIR_C2S : DIR_S2C;
	r->flow = f;
	r->dir = dir;
	r->before[0] = f->state[0];
	r->before[1] = f->state[1];
	f->pkts[dir]++;
	if (ip->have & HAVE_PAYLOAD)
		f->bytes[dir] += ip->payload_wire;

	const uint32_t now_us = (uint32_t)(now_ns / 1000);
	priv_clamp_times(f, p, now_us, now_ns);
	if (k->proto == 6)
		track_tcp(f, p, t->conn_history, dir, ip, now_ns, r);
	else if (k->proto == 17 && t->conn_history)
		zeek_udp(&f->zeek, dir);
	if (p->last_dir != dir) {
		p->other_us = (uint32_t)(f->last_ns / 1000);
		p->last_dir = (uint8_t)dir;
	}
	f->last_ns = now_ns;

	r->after[0] = f->state[0];
	r->after[1] = f->state[1];
	if (r->after[0] != r->before[0] || r->after[1] != r->before[1])
		r->events |= EV_STATE_CHANGE;
	table_touch(t, i);
	t->st.packets_tracked++;
}
