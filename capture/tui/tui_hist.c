/* tui_hist.c — the TUI's packet history: a preallocated ring of packets plus a FIFO arena of their bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/byteq.h"
#include "tui/tui_core.h"

bool hist_init(struct tui_hist *h, size_t cap, size_t budget)
{
	memset(h, 0, sizeof *h);
	if (cap == 0 || budget == 0)
		return false;
	h->pkt = calloc(cap, sizeof *h->pkt);
	h->bytes = malloc(budget);
	if (!h->pkt || !h->bytes) {
		hist_free(h);
		return false;
	}
	h->cap = cap;
	h->budget = budget;
	return true;
}

/*
 * Back n bytes at p with memory now: ask for huge pages where the kernel gives them on request (fewer
 * faults, fewer TLB misses), then write one byte per page. Under a VM a page fault can cost ~30 us, so
 * faulting a 64 MiB history in while the first packets of a flood arrive takes long enough (0.6 s) for
 * the kernel's capture ring to overflow. Writing zeros is harmless: nothing is read before it is stored.
 */
static void prefault(void *p, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pg = page > 0 ? (size_t)page : 4096;
	uintptr_t start = ((uintptr_t)p + pg - 1) / pg * pg, end = ((uintptr_t)p + n) / pg * pg;
#ifdef MADV_HUGEPAGE
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE); /* a hint: no huge pages is fine too */
#endif
	volatile uint8_t *b = p;
	for (size_t i = 0; i < n; i += pg)
		b[i] = 0;
	if (n)
		b[n - 1] = 0;
}

void hist_prefault(struct tui_hist *h)
{
	if (h->pkt)
		prefault(h->pkt, h->cap * sizeof *h->pkt);
	if (h->bytes)
		prefault(h->bytes, h->budget);
}

void seqring_prefault(struct seqring *r)
{
	if (r->v)
		prefault(r->v, r->cap * sizeof *r->v);
}

void hist_free(struct tui_hist *h)
{
	free(h->pkt);
	free(h->bytes);
	memset(h, 0, sizeof *h);
}

static struct tui_pkt *hist_slot(const struct tui_hist *h, uint64_t seq)
{
	return &h->pkt[seq % h->cap];
}

/* Arena bytes a packet occupies: at least one, so packets never share an offset. */
/* Arena bytes a packet occupies (its bytes, then its comment): at least one, so packets never share an offset. */
static size_t hist_alloc_len(const struct tui_pkt *p)
{
	size_t n = (size_t)p->stored + (p->comment ? p->comment_len : 0);
	return n ? n : 1;
}

size_t hist_count(const struct tui_hist *h)
{
	return (size_t)(h->next - h->first);
}

/* Where `alloc` bytes fit without overlapping a held packet, or false when the oldest must go. */
static bool hist_fit(const struct tui_hist *h, size_t alloc, size_t *pos)
{
	bool held = h->next != h->first;
	const struct tui_pkt *oldest = held ? hist_slot(h, h->first) : NULL;
	const struct tui_pkt *newest = held ? hist_slot(h, h->next - 1) : NULL;
	return byteq_fit(h->budget, held, held ? oldest->off : 0, held ? newest->off : 0,
			 held ? newest->off + hist_alloc_len(newest) : 0, alloc, pos);
}

bool hist_room(const struct tui_hist *h, uint32_t caplen)
{
	size_t keep = caplen < h->budget ? caplen : h->budget;
	size_t pos;
	return hist_count(h) < h->cap && hist_fit(h, keep ? keep : 1, &pos);
}

struct tui_pkt *hist_push(struct tui_hist *h, const struct pkt_summary *sum, const uint8_t *data, uint32_t caplen,
			  const char *comment, uint16_t comment_len, uint64_t *seq)
{
	size_t keep = caplen < h->budget ? caplen : h->budget;
	size_t note = comment && keep + comment_len <= h->budget ? comment_len : 0;
	size_t alloc = keep + note ? keep + note : 1;
	if (hist_count(h) == h->cap) {
		h->first++;
		h->evicted++;
	}
	size_t pos = 0;
	while (!hist_fit(h, alloc, &pos)) {
		h->first++;
		h->evicted++;
	}
	struct tui_pkt *p = hist_slot(h, h->next);
	p->s = *sum;
	p->match = false;
	p->is_call = false;
	p->iface = NULL;
	p->off = pos;
	p->stored = (uint32_t)keep;
	if (keep)
		memcpy(h->bytes + pos, data, keep);
	if (note)
		memcpy(h->bytes + pos + keep, comment, note);
	p->comment = note ? (const char *)h->bytes + pos + keep : NULL;
	p->comment_len = (uint16_t)note;
	if (p->s.pl_off > p->stored)
		p->s.pl_off = p->stored;
	if (p->s.pl_cap > p->stored - p->s.pl_off)
		p->s.pl_cap = p->stored - p->s.pl_off;
	*seq = h->next++;
	return p;
}

struct tui_pkt *hist_get(const struct tui_hist *h, uint64_t seq)
{
	if (seq < h->first || seq >= h->next)
		return NULL;
	return hist_slot(h, seq);
}

const uint8_t *hist_bytes(const struct tui_hist *h, const struct tui_pkt *p)
{
	return h->bytes + p->off;
}

size_t hist_bytes_used(const struct tui_hist *h)
{
	size_t sum = 0;
	for (uint64_t s = h->first; s < h->next; s++)
		sum += hist_alloc_len(hist_slot(h, s));
	return sum;
}

void hist_clear(struct tui_hist *h)
{
	h->first = h->next;
}

/* ---- seqring ---- */

bool seqring_init(struct seqring *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	if (cap == 0)
		return false;
	r->v = malloc(cap * sizeof *r->v);
	if (!r->v)
		return false;
	r->cap = cap;
	return true;
}

void seqring_free(struct seqring *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

void seqring_clear(struct seqring *r)
{
	r->head = 0;
	r->count = 0;
}

void seqring_push(struct seqring *r, uint64_t seq)
{
	if (r->count == r->cap) {
		r->head = (r->head + 1) % r->cap;
		r->count--;
	}
	r->v[(r->head + r->count) % r->cap] = seq;
	r->count++;
}

uint64_t seqring_at(const struct seqring *r, size_t i)
{
	return r->v[(r->head + i) % r->cap];
}

size_t seqring_trim(struct seqring *r, uint64_t min_seq)
{
	/* Usually called for every packet the history evicted: a few from the front, found by looking. */
	size_t k = 0;
	while (k < 8 && k < r->count && seqring_at(r, k) < min_seq)
		k++;
	if (k == 8)
		k = seqring_lower_bound(r, min_seq);
	r->head = r->count ? (r->head + k) % r->cap : 0;
	r->count -= k;
	return k;
}

size_t seqring_lower_bound(const struct seqring *r, uint64_t seq)
{
	size_t lo = 0, hi = r->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (seqring_at(r, mid) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool seqring_find(const struct seqring *r, uint64_t seq, size_t *index)
{
	size_t i = seqring_lower_bound(r, seq);
	if (i < r->count && seqring_at(r, i) == seq) {
		*index = i;
		return true;
	}
	return false;
}
