/* test_tui_hist.c — the TUI history ring keeps flat memory: bounded slots and bytes, oldest evicted first. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_core.h"

static struct tui_pkt pkt_numbered(uint64_t n)
{
	struct tui_pkt p;
	memset(&p, 0, sizeof p);
	p.s.n = n;
	return p;
}

/* Bytes whose content says which packet they belong to, to catch one packet overwriting another. */
static void fill(uint8_t *b, size_t len, uint64_t n)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(n * 31 + i);
}

static bool bytes_intact(const struct tui_hist *h, const struct tui_pkt *p)
{
	uint8_t want[512];
	fill(want, p->stored, p->s.n);
	return memcmp(hist_bytes(h, p), want, p->stored) == 0;
}

static void test_count_limit_evicts_oldest(void)
{
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 4, 4096));
	uint8_t b[10];
	for (uint64_t n = 1; n <= 10; n++) {
		struct tui_pkt p = pkt_numbered(n);
		uint64_t seq;
		fill(b, sizeof b, n);
		hist_push(&h, &p.s, b, sizeof b, NULL, 0, &seq);
		CU_ASSERT_EQUAL(seq, n - 1);
	}
	CU_ASSERT_EQUAL(hist_count(&h), 4);
	CU_ASSERT_EQUAL(h.first, 6);
	CU_ASSERT_EQUAL(h.evicted, 6);
	CU_ASSERT_PTR_NULL(hist_get(&h, 5));
	for (uint64_t s = 6; s < 10; s++) {
		struct tui_pkt *p = hist_get(&h, s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(p->s.n, s + 1);
		CU_ASSERT_TRUE(bytes_intact(&h, p));
	}
	hist_free(&h);
}

static void test_byte_budget_evicts_and_never_overlaps(void)
{
	/* 1000 packets of varying sizes through a 1000-byte arena: every held packet keeps its own bytes. */
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 100, 1000));
	uint8_t b[300];
	for (uint64_t n = 1; n <= 1000; n++) {
		struct tui_pkt p = pkt_numbered(n);
		uint32_t len = (uint32_t)((n * 37) % 300);
		uint64_t seq;
		fill(b, len, n);
		struct tui_pkt *slot = hist_push(&h, &p.s, b, len, NULL, 0, &seq);
		CU_ASSERT_EQUAL(slot->stored, len);
		CU_ASSERT_TRUE(slot->off + (len ? len : 1) <= 1000);
		CU_ASSERT_TRUE(hist_bytes_used(&h) <= 1000);
		for (uint64_t s = h.first; s < h.next; s++)
			CU_ASSERT_TRUE(bytes_intact(&h, hist_get(&h, s)));
	}
	CU_ASSERT_TRUE(hist_count(&h) >= 3); /* a 1000-byte arena holds several sub-300-byte packets */
	CU_ASSERT_EQUAL(h.next, 1000);
	hist_free(&h);
}

static void test_packet_bigger_than_budget_is_cut(void)
{
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 8, 64));
	uint8_t b[200];
	fill(b, sizeof b, 7);
	struct tui_pkt p = pkt_numbered(7);
	p.s.caplen = 200;
	p.s.pl_off = 54;
	p.s.pl_cap = 146;
	uint64_t seq;
	struct tui_pkt *slot = hist_push(&h, &p.s, b, 200, NULL, 0, &seq);
	CU_ASSERT_EQUAL(slot->stored, 64);
	CU_ASSERT_EQUAL(slot->s.caplen, 200); /* the original length is remembered */
	CU_ASSERT_EQUAL(slot->s.pl_off, 54);
	CU_ASSERT_EQUAL(slot->s.pl_cap, 10); /* payload clipped to the stored bytes */
	CU_ASSERT_TRUE(bytes_intact(&h, slot));
	hist_free(&h);
}

static void test_clear_keeps_seqs_increasing(void)
{
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 8, 64));
	struct tui_pkt p = pkt_numbered(1);
	uint8_t b[4] = { 0 };
	uint64_t seq;
	hist_push(&h, &p.s, b, 4, NULL, 0, &seq);
	hist_push(&h, &p.s, b, 4, NULL, 0, &seq);
	hist_clear(&h);
	CU_ASSERT_EQUAL(hist_count(&h), 0);
	CU_ASSERT_PTR_NULL(hist_get(&h, 1));
	hist_push(&h, &p.s, b, 0, NULL, 0, &seq);
	CU_ASSERT_EQUAL(seq, 2);
	CU_ASSERT_EQUAL(hist_count(&h), 1);
	hist_free(&h);
}

static void test_seqring_trim_and_search(void)
{
	struct seqring r;
	CU_ASSERT_FATAL(seqring_init(&r, 5));
	for (uint64_t s = 10; s < 30; s += 2)
		seqring_push(&r, s); /* keeps the last five: 20 22 24 26 28 */
	CU_ASSERT_EQUAL(r.count, 5);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 20);
	CU_ASSERT_EQUAL(seqring_lower_bound(&r, 23), 2);
	size_t i = 99;
	CU_ASSERT_TRUE(seqring_find(&r, 26, &i));
	CU_ASSERT_EQUAL(i, 3);
	CU_ASSERT_FALSE(seqring_find(&r, 25, &i));
	CU_ASSERT_EQUAL(seqring_trim(&r, 25), 3);
	CU_ASSERT_EQUAL(r.count, 2);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 26);
	CU_ASSERT_EQUAL(seqring_trim(&r, 100), 2);
	CU_ASSERT_EQUAL(r.count, 0);
	seqring_push(&r, 200);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 200);
	seqring_free(&r);
}

/* Trimming many at once (the search) and a few (the scan from the front) agree, also wrapped. */
static void test_seqring_trim_many_and_few(void)
{
	struct seqring r;
	CU_ASSERT_FATAL(seqring_init(&r, 64));
	for (uint64_t s = 0; s < 100; s++)
		seqring_push(&r, s * 2); /* wrapped: holds 72..198 */
	CU_ASSERT_EQUAL(r.count, 64);
	CU_ASSERT_EQUAL(seqring_trim(&r, 73), 1);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 74);
	CU_ASSERT_EQUAL(seqring_trim(&r, 74), 0);
	CU_ASSERT_EQUAL(seqring_trim(&r, 100), 13);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 100);
	CU_ASSERT_EQUAL(seqring_trim(&r, 115), 8);
	CU_ASSERT_EQUAL(seqring_at(&r, 0), 116);
	CU_ASSERT_EQUAL(seqring_trim(&r, 1000), 42);
	CU_ASSERT_EQUAL(r.count, 0);
	seqring_free(&r);
}

/* hist_room says exactly when a push would evict: by count, and by bytes including a wrapped arena. */
static void test_room_predicts_eviction(void)
{
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 50, 1000));
	uint8_t b[300];
	for (uint64_t n = 1; n <= 2000; n++) {
		struct tui_pkt p = pkt_numbered(n);
		uint32_t len = (uint32_t)((n * 53) % 300);
		uint64_t seq, before = h.evicted;
		bool room = hist_room(&h, len);
		fill(b, len, n);
		hist_push(&h, &p.s, b, len, NULL, 0, &seq);
		CU_ASSERT_EQUAL(room, h.evicted == before);
	}
	hist_free(&h);
	CU_ASSERT_FATAL(hist_init(&h, 3, 4096));
	for (uint64_t n = 1; n <= 3; n++) {
		struct tui_pkt p = pkt_numbered(n);
		uint64_t seq;
		CU_ASSERT_TRUE(hist_room(&h, 10));
		hist_push(&h, &p.s, b, 10, NULL, 0, &seq);
	}
	CU_ASSERT_FALSE(hist_room(&h, 10)); /* all slots taken */
	CU_ASSERT_FALSE(hist_room(&h, 0));
	hist_free(&h);
}

/* A pcapng comment is copied after the packet's bytes and takes arena room like them: a later packet never
   writes over it, and a comment that does not fit the budget beside its bytes is left out. */
static void test_comment_kept_beside_bytes(void)
{
	struct tui_hist h;
	CU_ASSERT_FATAL(hist_init(&h, 100, 200));
	uint8_t b[60];
	char note[40];
	uint64_t seq;
	for (uint64_t n = 1; n <= 50; n++) {
		struct tui_pkt p = pkt_numbered(n);
		fill(b, sizeof b, n);
		int len = snprintf(note, sizeof note, "comment of packet %llu", (unsigned long long)n);
		hist_push(&h, &p.s, b, sizeof b, note, (uint16_t)len, &seq);
		for (uint64_t s = h.first; s < h.next; s++) {
			const struct tui_pkt *q = hist_get(&h, s);
			char want[40];
			int wl = snprintf(want, sizeof want, "comment of packet %llu", (unsigned long long)q->s.n);
			CU_ASSERT_TRUE(bytes_intact(&h, q));
			CU_ASSERT_PTR_NOT_NULL_FATAL(q->comment);
			CU_ASSERT_EQUAL(q->comment_len, wl);
			CU_ASSERT_EQUAL(memcmp(q->comment, want, (size_t)wl), 0);
		}
	}
	CU_ASSERT(hist_count(&h) <= 2); /* 60 + ~22 bytes each in a 200-byte arena */
	struct tui_pkt p = pkt_numbered(51);
	char big[180];
	memset(big, 'x', sizeof big);
	struct tui_pkt *slot = hist_push(&h, &p.s, b, sizeof b, big, sizeof big, &seq);
	CU_ASSERT_PTR_NULL(slot->comment);
	CU_ASSERT_EQUAL(slot->comment_len, 0);
	CU_ASSERT_EQUAL(slot->stored, sizeof b);
	hist_free(&h);
}

int register_test_tui_hist(void)
{
	CU_pSuite s = CU_add_suite("tui_hist", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "count limit evicts the oldest packets", test_count_limit_evicts_oldest) ||
	    !CU_add_test(s, "byte budget evicts, held bytes never overlap", test_byte_budget_evicts_and_never_overlaps) ||
	    !CU_add_test(s, "a packet bigger than the budget is cut", test_packet_bigger_than_budget_is_cut) ||
	    !CU_add_test(s, "clear keeps seqs increasing", test_clear_keeps_seqs_increasing) ||
	    !CU_add_test(s, "seq ring trims and searches", test_seqring_trim_and_search) ||
	    !CU_add_test(s, "seq ring trims many and few alike", test_seqring_trim_many_and_few) ||
	    !CU_add_test(s, "room predicts exactly when a push evicts", test_room_predicts_eviction) ||
	    !CU_add_test(s, "a pcapng comment is kept beside its packet's bytes", test_comment_kept_beside_bytes))
		return -1;
	return 0;
}
