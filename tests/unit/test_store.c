/* test_store.c — the packet store: rows read back equal the tracked packets, numbers and times found, the filter's pass (and its restart), growth under a pass, a file cut or replaced under it, the spool's budget. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/filter.h"
#include "source/pipeline.h"
#include "store/spool.h"
#include "store/store.h"
#include "track/summary.h"

#define MAXROWS 4096

/* A capture indexed as the panel does it (in place), with every packet's summary as tracking gave it. */
struct idx {
	struct pipeline *pl;
	struct store *st;
	struct pkt_summary *want; /* [rows] */
	size_t n;
};

static void idx_gone(const struct flow *f, bool evicted, void *arg)
{
	(void)evicted;
	store_flow_gone(arg, f);
}

/* Index up to `limit` packets of path (0: all). */
static bool idx_open(struct idx *x, const char *path, size_t limit)
{
	memset(x, 0, sizeof *x);
	struct pipeline_opts po = { .file = path };
	char err[512];
	int code;
	x->pl = pipeline_open(&po, err, sizeof err, &code);
	if (!x->pl)
		return false;
	struct store_pcapfmt fmt;
	if (!pipeline_pcap_inplace(x->pl, &fmt.swapped, &fmt.nano, &fmt.snaplen, &fmt.linktype))
		return false;
	x->st = store_open_file(path, &fmt, err, sizeof err);
	x->want = calloc(MAXROWS, sizeof *x->want);
	if (!x->st || !x->want)
		return false;
	flowtab_set_remove_hook(pipeline_flows(x->pl), idx_gone, x->st);
	const struct packet *d;
	struct track_result tr;
	while (x->n < MAXROWS && (!limit || x->n < limit) && pipeline_next_ref(x->pl, &d, &tr) == 1) {
		struct store_facts f;
		store_facts_from(&f, &tr);
		if (tr.flow)
			store_flow_live(x->st, tr.flow);
		summary_from(&x->want[x->n++], d, &tr);
		if (!store_add_packet(x->st, pipeline_record_offset(x->pl), false, &f, packet_time_ns(d)))
			return false;
	}
	return true;
}

static void idx_close(struct idx *x)
{
	store_close(x->st);
	pipeline_close(x->pl);
	free(x->want);
}

/* Row r read back must be exactly what tracking summed up when it was indexed. */
static bool row_is(struct idx *x, uint64_t r)
{
	struct packet dec;
	struct store_pkt p;
	if (store_read(x->st, r, &dec, &p, NULL, NULL) != 1)
		return false;
	return memcmp(&p.s, &x->want[r], sizeof p.s) == 0;
}

static void test_rows_read_back_are_the_packets_as_tracking_summed_them_up(void)
{
	/* lossy.pcap: retransmissions, duplicate ACKs (numbered), SACK, a zero window, state changes. */
	const char *caps[] = { "pcaps/lossy.pcap", "pcaps/handshake.pcap", "pcaps/halfclose.pcap", "pcaps/ipopts.pcap" };
	for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		struct idx x;
		CU_ASSERT_TRUE_FATAL(idx_open(&x, caps[c], 0));
		CU_ASSERT(x.n > 0);
		size_t bad = 0, dups = 0;
		for (uint64_t r = 0; r < x.n; r++) {
			if (!row_is(&x, r))
				bad++;
			dups += (x.want[r].events & EV_DUP_ACK) != 0;
		}
		if (bad)
			printf("\n%s: %zu of %zu rows differ\n", caps[c], bad, x.n);
		CU_ASSERT_EQUAL(bad, 0);
		if (c == 0)
			CU_ASSERT(dups > 0); /* the duplicate ACK numbers came back too */
		idx_close(&x);
	}
}

static void test_flows_let_go_by_the_tracker_keep_what_rows_need(void)
{
	struct idx x;
	CU_ASSERT_TRUE_FATAL(idx_open(&x, "pcaps/lossy.pcap", 0));
	struct flow live = *store_flow(x.st, 1, &(struct flow){ 0 });
	store_flow_gone(x.st, &live); /* as the remove hook does */
	struct flow s;
	const struct flow *f = store_flow(x.st, 1, &s);
	CU_ASSERT_PTR_EQUAL(f, &s);
	CU_ASSERT_EQUAL(f->id, 1);
	CU_ASSERT_EQUAL(memcmp(&f->client, &live.client, sizeof f->client), 0);
	CU_ASSERT_EQUAL(memcmp(&f->server, &live.server, sizeof f->server), 0);
	CU_ASSERT_EQUAL(f->isn[0], live.isn[0]);
	CU_ASSERT_EQUAL(f->isn[1], live.isn[1]);
	CU_ASSERT_EQUAL(f->pkts[0] + f->pkts[1], live.pkts[0] + live.pkts[1]);
	CU_ASSERT_EQUAL(f->bytes[0], live.bytes[0]);
	CU_ASSERT_EQUAL(f->state[1], live.state[1]);
	CU_ASSERT_EQUAL(f->end, live.end);
	/* Relative numbers come from the copy's initial numbers: every row still reads back the same. */
	for (uint64_t r = 0; r < x.n; r++)
		CU_ASSERT_TRUE(row_is(&x, r));
	CU_ASSERT_PTR_NULL(store_flow(x.st, 99999, &s));
	idx_close(&x);
}

static void test_packet_numbers_and_times_are_found_among_calls(void)
{
	struct idx x;
	CU_ASSERT_TRUE_FATAL(idx_open(&x, "pcaps/handshake.pcap", 4));
	/* A call between packets 2 and 3, and one after packet 4. */
	struct store_call c;
	memset(&c, 0, sizeof c);
	snprintf(c.ev.call, sizeof c.ev.call, "accept");
	c.at_ns = x.want[3].ts_ns;
	CU_ASSERT_TRUE(store_add_call(x.st, &c)); /* row 4 */
	CU_ASSERT_EQUAL(store_packet_number(x.st, 4), 0);
	CU_ASSERT_EQUAL(store_packet_number(x.st, 3), 4);
	CU_ASSERT_EQUAL(store_packet_row(x.st, 4), 3);
	CU_ASSERT_EQUAL(store_packet_row(x.st, 5), STORE_NONE);
	CU_ASSERT_EQUAL(store_packets(x.st), 4);
	CU_ASSERT_PTR_NOT_NULL(store_call_of(x.st, store_row(x.st, 4)));
	CU_ASSERT_STRING_EQUAL(store_call_of(x.st, store_row(x.st, 4))->ev.call, "accept");
	/* Times: the first row at or after each packet's time, and nothing after the last. */
	for (uint64_t r = 0; r < 4; r++) {
		uint64_t f = store_find_time(x.st, x.want[r].ts_ns, 0);
		CU_ASSERT(f <= r);
		int64_t ts;
		CU_ASSERT_TRUE(store_time(x.st, f, &ts));
		CU_ASSERT(ts >= x.want[r].ts_ns);
	}
	CU_ASSERT_EQUAL(store_find_time(x.st, x.want[3].ts_ns + 1, 0), STORE_NONE);
	idx_close(&x);
}

/* The i-th passing row by the store must be the i-th row the filter passes, counted directly. */
static void check_pass(struct idx *x, struct store_match *m, struct filter *f, uint64_t upto)
{
	uint64_t k = 0;
	for (uint64_t r = 0; r < upto; r++) {
		struct packet dec;
		struct store_pkt p;
		CU_ASSERT_EQUAL_FATAL(store_read(x->st, r, &dec, &p, NULL, NULL), 1);
		bool pass = filter_match(f, p.s.linktype, p.data, p.caplen, p.s.len);
		CU_ASSERT_EQUAL(store_match_has(m, r), pass);
		if (pass) {
			CU_ASSERT_EQUAL(store_match_at(m, x->st, k), r);
			CU_ASSERT_EQUAL(store_match_rank(m, x->st, r), k);
			k++;
		}
	}
	CU_ASSERT_EQUAL(store_match_count(m, x->st), k);
	CU_ASSERT_EQUAL(store_match_at(m, x->st, k), STORE_NONE);
}

static void test_filter_pass_restarts_when_changed_and_follows_new_rows(void)
{
	struct idx x;
	CU_ASSERT_TRUE_FATAL(idx_open(&x, "pcaps/lossy.pcap", 600));
	char err[256];
	struct filter *syn = filter_compile("tcp[tcpflags] & tcp-syn != 0", 1, 0, err, sizeof err);
	struct filter *ack = filter_compile("tcp[tcpflags] & tcp-push != 0", 1, 0, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(syn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ack);
	struct store_match *m = store_match_new();
	store_match_reset(m, x.st, syn);
	CU_ASSERT_TRUE(store_match_active(m));
	/* A pass in flight (100 rows), then the filter changes: the pass starts over with the new one. */
	CU_ASSERT_TRUE(store_match_run(m, x.st, 100, 0, NULL));
	CU_ASSERT_EQUAL(store_match_done(m), 100);
	store_match_reset(m, x.st, ack);
	CU_ASSERT_EQUAL(store_match_done(m), 0);
	CU_ASSERT_FALSE(store_match_run(m, x.st, 1u << 20, 0, NULL));
	check_pass(&x, m, ack, 600);
	/* Rows indexed after the pass ended: it goes on over them alone. */
	const struct packet *d;
	struct track_result tr;
	while (x.n < MAXROWS && pipeline_next_ref(x.pl, &d, &tr) == 1) {
		struct store_facts f;
		store_facts_from(&f, &tr);
		summary_from(&x.want[x.n++], d, &tr);
		store_add_packet(x.st, pipeline_record_offset(x.pl), false, &f, packet_time_ns(d));
	}
	CU_ASSERT(x.n > 600);
	CU_ASSERT_TRUE(store_match_run(m, x.st, 10, 0, NULL));
	CU_ASSERT_EQUAL(store_match_done(m), 610);
	CU_ASSERT_FALSE(store_match_run(m, x.st, 1u << 20, 0, NULL));
	check_pass(&x, m, ack, x.n);
	/* Without a filter every row passes. */
	store_match_reset(m, x.st, NULL);
	CU_ASSERT_EQUAL(store_match_count(m, x.st), x.n);
	CU_ASSERT_EQUAL(store_match_at(m, x.st, 5), 5);
	store_match_free(m);
	filter_free(syn);
	filter_free(ack);
	idx_close(&x);
}

static void test_one_flows_rows_grow_as_rows_come(void)
{
	struct idx x;
	CU_ASSERT_TRUE_FATAL(idx_open(&x, "pcaps/handshake.pcap", 0));
	struct store_flowrows fr = { 0 };
	CU_ASSERT_TRUE(store_flowrows_update(x.st, &fr, 1));
	size_t all = fr.count;
	CU_ASSERT_EQUAL(all, x.n); /* one connection */
	CU_ASSERT_FALSE(store_flowrows_update(x.st, &fr, 1)); /* nothing new: kept */
	CU_ASSERT_EQUAL(store_flowrows_lower_bound(&fr, 3), 3);
	CU_ASSERT_TRUE(store_flowrows_update(x.st, &fr, 2));
	CU_ASSERT_EQUAL(fr.count, 0);
	store_flowrows_free(&fr);
	idx_close(&x);
}

/* A copy of a capture for tests that change it under the store. */
static void copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		fwrite(buf, 1, n, b);
	fclose(a);
	fclose(b);
}

static void test_a_file_cut_or_replaced_while_open_is_said_not_misread(void)
{
	char path[] = "/tmp/synwatch-store-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	copy_file("pcaps/lossy.pcap", path);
	struct idx x;
	CU_ASSERT_TRUE_FATAL(idx_open(&x, path, 0));
	uint64_t last = x.n - 1;
	struct stat sb;
	stat(path, &sb);
	CU_ASSERT_EQUAL(truncate(path, sb.st_size / 2), 0);
	struct packet dec;
	struct store_pkt p;
	CU_ASSERT_EQUAL(store_read(x.st, last, &dec, &p, NULL, NULL), STORE_DAMAGED);
	CU_ASSERT_PTR_NOT_NULL(strstr(store_problem(x.st), "was truncated to"));
	idx_close(&x);

	copy_file("pcaps/lossy.pcap", path);
	CU_ASSERT_TRUE_FATAL(idx_open(&x, path, 0));
	char other[sizeof path + 4];
	snprintf(other, sizeof other, "%s.new", path);
	copy_file("pcaps/handshake.pcap", other);
	CU_ASSERT_EQUAL(rename(other, path), 0);
	usleep(120 * 1000); /* the store looks at the name again after 100 ms */
	CU_ASSERT_EQUAL(store_read(x.st, 1, &dec, &p, NULL, NULL), STORE_DAMAGED);
	CU_ASSERT_PTR_NOT_NULL(strstr(store_problem(x.st), "was replaced or removed while open"));
	idx_close(&x);
	unlink(path);
}

static void test_rows_go_with_the_records_the_spool_let_go_and_calls_before_them(void)
{
	struct spool_opts o = { .dir = "/tmp", .max_bytes = 2u << 20, .wait = true, .ring_bytes = 1u << 20 };
	struct spool *sp = spool_open(&o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	struct store *st = store_open_spool(sp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	struct store_facts f;
	memset(&f, 0, sizeof f);
	struct store_call c;
	memset(&c, 0, sizeof c);
	uint8_t data[100] = { 0 };
	uint64_t off[3];
	/* Rows: call, call, packet 1, call, packet 2, packet 3. */
	CU_ASSERT_TRUE(store_add_call(st, &c));
	CU_ASSERT_TRUE(store_add_call(st, &c));
	CU_ASSERT_TRUE(spool_put(sp, 1, sizeof data, sizeof data, 1, SPOOL_NO_IFACE, data, NULL, 0, &off[0]));
	CU_ASSERT_TRUE(store_add_packet(st, off[0], false, &f, 1));
	CU_ASSERT_TRUE(store_add_call(st, &c));
	CU_ASSERT_TRUE(spool_put(sp, 2, sizeof data, sizeof data, 1, SPOOL_NO_IFACE, data, NULL, 0, &off[1]));
	CU_ASSERT_TRUE(store_add_packet(st, off[1], false, &f, 2));
	CU_ASSERT_TRUE(spool_put(sp, 3, sizeof data, sizeof data, 1, SPOOL_NO_IFACE, data, NULL, 0, &off[2]));
	CU_ASSERT_TRUE(store_add_packet(st, off[2], false, &f, 3));
	/* Nothing let go: the calls before the first packet stay. */
	store_drop_offsets_before(st, off[0]);
	CU_ASSERT_EQUAL(store_first(st), 0);
	CU_ASSERT_EQUAL(store_packet_number(st, 2), 1);
	/* Packet 1's record went: it goes with the calls before it; the call after it stays. */
	store_drop_offsets_before(st, off[1]);
	CU_ASSERT_EQUAL(store_first(st), 3);
	CU_ASSERT_PTR_NOT_NULL(store_call_of(st, store_row(st, 3)));
	CU_ASSERT_EQUAL(store_packet_row(st, 2), 4);
	CU_ASSERT_EQUAL(store_packets(st), 2);
	store_close(st);
	spool_close(sp);
}

static void test_duplicate_ack_numbers_of_255_and_more_are_kept_exactly(void)
{
	struct spool_opts o = { .dir = "/tmp", .max_bytes = 2u << 20, .ring_bytes = 1u << 20 };
	struct spool *sp = spool_open(&o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	struct store *st = store_open_spool(sp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	const uint32_t n[] = { 3, 254, 255, 300, 7, 100000 };
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		struct store_facts f;
		memset(&f, 0, sizeof f);
		f.events = EV_DUP_ACK;
		f.dup_ack_n = n[i];
		CU_ASSERT_TRUE(store_add_packet(st, i * 100, false, &f, (int64_t)i));
	}
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
		CU_ASSERT_EQUAL(store_row_dup(st, i, store_row(st, i)), n[i]);
	store_close(st);
	spool_close(sp);
}

/* A 1 MiB ring over a 2 MiB budget: records come back from the ring, then from the files; the oldest file
   is written over once the budget's files are in use, directly or (buffered) through the page cache. */
static void spool_budget(bool buffered)
{
	struct spool_opts o = { .dir = "/tmp", .max_bytes = 2u << 20, .wait = true, .ring_bytes = 1u << 20, .buffered = buffered };
	struct spool *sp = spool_open(&o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_STRING_EQUAL(spool_problem(sp), "");
	uint8_t data[1000];
	uint64_t offs[6000];
	for (int i = 0; i < 6000; i++) {
		memset(data, i & 0xff, sizeof data);
		CU_ASSERT_TRUE_FATAL(spool_put(sp, i, sizeof data, 1500, 1, SPOOL_NO_IFACE, data, NULL, 0, &offs[i]));
	}
	spool_sync(sp);
	struct spool_rec r;
	CU_ASSERT_TRUE(spool_get(sp, offs[5999], &r));
	CU_ASSERT_EQUAL(r.ts_ns, 5999);
	CU_ASSERT_EQUAL(r.caplen, 1000);
	CU_ASSERT_EQUAL(r.len, 1500);
	CU_ASSERT_EQUAL(r.data[999], 5999 & 0xff);
	struct spool_stats ss;
	spool_stats(sp, &ss);
	CU_ASSERT(ss.disk_bytes <= ss.max_bytes);
	CU_ASSERT(ss.dropped_bytes > 0);
	uint64_t oldest = spool_oldest(sp);
	CU_ASSERT(oldest > 0);
	CU_ASSERT_FALSE(spool_get(sp, offs[0], &r)); /* let go */
	int held = 0;
	for (int i = 0; i < 6000; i++) {
		if (offs[i] < oldest)
			continue;
		CU_ASSERT_TRUE_FATAL(spool_get(sp, offs[i], &r));
		CU_ASSERT_EQUAL(r.ts_ns, i);
		CU_ASSERT_EQUAL(r.data[0], i & 0xff);
		CU_ASSERT_EQUAL(r.data[999], i & 0xff);
		held++;
	}
	CU_ASSERT(held > 1000); /* the files hold about 2 MiB of the 6 MB put in */
	spool_close(sp);
}

static void test_spool_reads_back_keeps_its_budget_and_says_why_not(void)
{
	spool_budget(false);

	/* A directory that cannot be written: said at once, and the ring keeps the newest in memory. */
	struct spool_opts bad = { .dir = "/nonexistent/synwatch", .max_bytes = 2u << 20, .ring_bytes = 1u << 20 };
	struct spool *sp = spool_open(&bad);
	uint8_t data[1000];
	memset(data, 0, sizeof data);
	uint64_t offs[3000];
	struct spool_rec r;
	struct spool_stats ss;
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_PTR_NOT_NULL(strstr(spool_problem(sp), "cannot write the spool in /nonexistent/synwatch (No such file or directory)"));
	for (int i = 0; i < 3000; i++)
		CU_ASSERT_TRUE(spool_put(sp, i, sizeof data, sizeof data, 1, SPOOL_NO_IFACE, data, NULL, 0, &offs[i]));
	CU_ASSERT_TRUE(spool_get(sp, offs[2999], &r));
	CU_ASSERT_FALSE(spool_get(sp, offs[0], &r));
	spool_stats(sp, &ss);
	CU_ASSERT_TRUE(ss.memory_only);
	spool_close(sp);
}

static void spool_part_blocks(bool buffered)
{
	/* A 64 KiB ring: most records are read back from the files. A sync after every few records makes the
	   writer write a part block, which the next write starts again; each record must still read back whole. */
	struct spool_opts o = { .dir = "/tmp", .max_bytes = 4u << 20, .wait = true, .ring_bytes = 64u << 10, .buffered = buffered };
	struct spool *sp = spool_open(&o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	uint8_t data[400];
	uint64_t offs[1500];
	for (int i = 0; i < 1500; i++) {
		size_t len = 37 + (size_t)(i * 7) % 360;
		memset(data, (i * 13) & 0xff, len);
		char comment[8];
		int cl = i % 5 == 0 ? snprintf(comment, sizeof comment, "c%d", i) : 0;
		CU_ASSERT_TRUE_FATAL(spool_put(sp, i, (uint32_t)len, (uint32_t)len, 1, SPOOL_NO_IFACE, data,
					       cl ? comment : NULL, (uint16_t)cl, &offs[i]));
		if (i % 7 == 3)
			spool_sync(sp);
	}
	spool_sync(sp);
	CU_ASSERT(spool_oldest(sp) == 0);
	for (int i = 0; i < 1500; i++) {
		struct spool_rec r;
		CU_ASSERT_TRUE_FATAL(spool_get(sp, offs[i], &r));
		CU_ASSERT_EQUAL(r.ts_ns, i);
		CU_ASSERT_EQUAL(r.caplen, 37 + (uint32_t)(i * 7) % 360);
		CU_ASSERT_EQUAL(r.data[0], (i * 13) & 0xff);
		CU_ASSERT_EQUAL(r.data[r.caplen - 1], (i * 13) & 0xff);
		CU_ASSERT_EQUAL(r.comment_len, i % 5 == 0 ? strlen("c") + (size_t)snprintf(NULL, 0, "%d", i) : 0);
	}
	struct spool_stats ss;
	spool_stats(sp, &ss);
	CU_ASSERT_EQUAL(ss.put, 1500);
	CU_ASSERT_EQUAL(ss.not_kept, 0);
	CU_ASSERT_EQUAL(ss.disk_bytes, offs[1499] + SPOOL_HDR + 37 + (1499 * 7) % 360);
	spool_close(sp);
}

static void test_spool_reads_back_records_written_in_part_blocks_and_rewritten(void)
{
	spool_part_blocks(false);
}

static void test_spool_written_through_the_page_cache_reads_back_every_record(void)
{
	spool_part_blocks(true); /* the path where the file system refuses O_DIRECT */
}

static void test_spool_through_the_page_cache_keeps_its_budget(void)
{
	spool_budget(true);
}

int register_test_store(void)
{
	CU_pSuite s = CU_add_suite("store", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "rows read back are the packets as tracking summed them up",
			 test_rows_read_back_are_the_packets_as_tracking_summed_them_up) ||
	    !CU_add_test(s, "spool reads back records written in part blocks and rewritten",
			 test_spool_reads_back_records_written_in_part_blocks_and_rewritten) ||
	    !CU_add_test(s, "spool written through the page cache reads back every record",
			 test_spool_written_through_the_page_cache_reads_back_every_record) ||
	    !CU_add_test(s, "spool through the page cache keeps its budget", test_spool_through_the_page_cache_keeps_its_budget) ||
	    !CU_add_test(s, "flows let go by the tracker keep what rows need", test_flows_let_go_by_the_tracker_keep_what_rows_need) ||
	    !CU_add_test(s, "packet numbers and times are found among calls", test_packet_numbers_and_times_are_found_among_calls) ||
	    !CU_add_test(s, "filter pass restarts when changed and follows new rows",
			 test_filter_pass_restarts_when_changed_and_follows_new_rows) ||
	    !CU_add_test(s, "one flow's rows grow as rows come", test_one_flows_rows_grow_as_rows_come) ||
	    !CU_add_test(s, "a file cut or replaced while open is said, not misread",
			 test_a_file_cut_or_replaced_while_open_is_said_not_misread) ||
	    !CU_add_test(s, "rows go with the records the spool let go, and calls before them",
			 test_rows_go_with_the_records_the_spool_let_go_and_calls_before_them) ||
	    !CU_add_test(s, "duplicate ACK numbers of 255 and more are kept exactly",
			 test_duplicate_ack_numbers_of_255_and_more_are_kept_exactly) ||
	    !CU_add_test(s, "spool reads back, keeps its budget and says why not",
			 test_spool_reads_back_keeps_its_budget_and_says_why_not))
		return -1;
	return 0;
}
