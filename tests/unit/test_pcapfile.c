/* test_pcapfile.c — the fast pcap reader hands over exactly libpcap's records, and libpcap takes over at anything odd. */
#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/pcapfile.h"
#include "source/pipeline.h"

static char dir[] = "/tmp/synwatch-pcapfile-XXXXXX";
static char path[sizeof dir + 32];

static void put32(FILE *f, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, f);
}

static void put16(FILE *f, uint16_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, f);
}

/* A pcap file header: magic (micro or nano), version, snaplen, link type RAW (101). */
static FILE *file_begin(const char *name, bool swap, bool nano, uint16_t minor, uint32_t snaplen)
{
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	put32(f, nano ? 0xa1b23c4du : 0xa1b2c3d4u, swap);
	put16(f, 2, swap);
	put16(f, minor, swap);
	put32(f, 0, swap);
	put32(f, 0, swap);
	put32(f, snaplen, swap);
	put32(f, 101, swap);
	return f;
}

/* One record of caplen bytes (an IPv4/UDP packet on 127.0.0.1 when caplen allows, then filler). */
static void file_record(FILE *f, bool swap, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len,
			uint32_t write_bytes)
{
	static const uint8_t ip[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
					0x30, 0x39, 0x22, 0xb8, 0, 8, 0, 0 };
	put32(f, sec, swap);
	put32(f, frac, swap);
	put32(f, caplen, swap);
	put32(f, len, swap);
	for (uint32_t i = 0; i < write_bytes; i++)
		fputc(i < sizeof ip ? ip[i] : (int)(i & 0xff), f);
}

/* Both readers over path: the fast reader's records equal libpcap's, in order, until it hands over. */
static void compare_readers(size_t want_fast, bool want_handover, bool nano)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *ref = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	pcap_t *p = pcap_open_offline(path, err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct pcapfile *pf = pcapfile_open(fileno(pcap_file(p)), (uint32_t)pcap_snapshot(p), pcap_datalink(p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	size_t n = 0;
	struct caprec r;
	int rc;
	while ((rc = pcapfile_next(pf, &r)) == 1) {
		struct pcap_pkthdr *h;
		const u_char *d;
		CU_ASSERT_EQUAL_FATAL(pcap_next_ex(ref, &h, &d), 1);
		CU_ASSERT_EQUAL(r.caplen, h->caplen);
		CU_ASSERT_EQUAL(r.len, h->len);
		CU_ASSERT_EQUAL(r.ts_sec, (int64_t)h->ts.tv_sec);
		CU_ASSERT_EQUAL((uint64_t)r.ts_frac * (nano ? 1 : 1000), (uint64_t)h->ts.tv_usec);
		CU_ASSERT(memcmp(r.data, d, r.caplen) == 0);
		n++;
	}
	CU_ASSERT_EQUAL(n, want_fast);
	CU_ASSERT_EQUAL(rc, want_handover ? -1 : 0);
	pcapfile_close(pf);
	pcap_close(p);
	pcap_close(ref);
}

static void test_records_match_libpcap_in_every_byte_order_and_precision(void)
{
	for (int v = 0; v < 4; v++) {
		bool swap = v & 1, nano = v & 2;
		FILE *f = file_begin("plain.pcap", swap, nano, 4, 65535);
		for (uint32_t i = 0; i < 50; i++)
			file_record(f, swap, 1700000000 + i, nano ? 999999999 - i : 999999 - i, 28 + i, 28 + 2 * i, 28 + i);
		file_record(f, swap, 0xffff7f0du, 5, 28, 28, 28); /* damaged: signed or not as libpcap reads it */
		fclose(f);
		compare_readers(51, false, nano);
	}
}

static void test_odd_records_are_left_to_libpcap(void)
{
	/* Bigger than the file's snapshot length: libpcap shortens it; the fast reader stops before it. */
	FILE *f = file_begin("snap.pcap", false, false, 4, 100);
	file_record(f, false, 1, 0, 28, 28, 28);
	file_record(f, false, 2, 0, 200, 200, 200);
	fclose(f);
	compare_readers(1, true, false);
	/* Cut inside the last record's data, and inside a record header. */
	f = file_begin("cut.pcap", false, false, 4, 65535);
	file_record(f, false, 1, 0, 28, 28, 28);
	file_record(f, false, 2, 0, 60, 60, 30);
	fclose(f);
	compare_readers(1, true, false);
	f = file_begin("cuthdr.pcap", false, false, 4, 65535);
	file_record(f, false, 1, 0, 28, 28, 28);
	fwrite("\1\2\3\4\5\6", 6, 1, f);
	fclose(f);
	compare_readers(1, true, false);
}

static void test_files_for_libpcap_alone_are_refused(void)
{
	char err[PCAP_ERRBUF_SIZE];
	FILE *f = file_begin("v23.pcap", false, false, 3, 65535); /* 2.3: caplen and len may be swapped */
	file_record(f, false, 1, 0, 28, 28, 28);
	fclose(f);
	pcap_t *p = pcap_open_offline(path, err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NULL(pcapfile_open(fileno(pcap_file(p)), (uint32_t)pcap_snapshot(p), pcap_datalink(p)));
	pcap_close(p);
}

/* A pipe is read in order with read(): the same records as from the file, and a quiet pipe says "again"
   instead of blocking once the reader is open. */
static void test_a_pipe_is_read_in_order_and_never_blocks(void)
{
	int fds[2];
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	FILE *w = fdopen(fds[1], "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	put32(w, 0xa1b23c4du, false); /* nanosecond */
	put16(w, 2, false);
	put16(w, 4, false);
	put32(w, 0, false);
	put32(w, 0, false);
	put32(w, 65535, false);
	put32(w, 101, false);
	for (uint32_t i = 0; i < 20; i++)
		file_record(w, false, 500 + i, 999999999 - i, 28 + i, 28 + i, 28 + i);
	fflush(w);
	struct pcapfile *pf = pcapfile_open(fds[0], 65535, 12);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(pcapfile_nanosecond(pf));
	struct caprec r;
	uint32_t n = 0;
	int rc;
	while ((rc = pcapfile_next(pf, &r)) == 1) {
		CU_ASSERT_EQUAL(r.ts_sec, 500 + n);
		CU_ASSERT_EQUAL(r.ts_frac, 999999999 - n);
		CU_ASSERT_EQUAL(r.caplen, 28 + n);
		CU_ASSERT_EQUAL(r.linktype, 12);
		n++;
	}
	CU_ASSERT_EQUAL(n, 20);
	CU_ASSERT_EQUAL(rc, CAPBUF_AGAIN); /* the writer is still there */
	/* Half a record, then the writer goes: the rest of the file is libpcap's to judge. */
	put32(w, 1, false);
	fclose(w);
	CU_ASSERT_EQUAL(pcapfile_next(pf, &r), -1);
	size_t left;
	pcapfile_unread(pf, &left);
	CU_ASSERT_EQUAL(left, 4);
	CU_ASSERT_EQUAL(memcmp(pcapfile_header(pf), "\x4d\x3c\xb2\xa1", 4), 0);
	pcapfile_close(pf);
	close(fds[0]);
}

/* Record k of a file for the buffer tests: caplen bytes, each one a function of k and its place. */
static void file_record_k(FILE *f, uint32_t k, uint32_t caplen)
{
	put32(f, 1000 + k, false);
	put32(f, k, false);
	put32(f, caplen, false);
	put32(f, caplen, false);
	for (uint32_t i = 0; i < caplen; i++)
		fputc((int)((k * 7 + i) & 0xff), f);
}

static bool record_k_intact(const uint8_t *data, uint32_t k, uint32_t caplen)
{
	for (uint32_t i = 0; i < caplen; i++)
		if (data[i] != ((k * 7 + i) & 0xff))
			return false;
	return true;
}

static uint32_t size_k(uint32_t k)
{
	return k % 17 == 0 ? 40000 : 28 + (k * 131) % 3000; /* mostly small, now and then a big one */
}

/* libpcap and the fast reader (with a buffer of bufsize bytes) both open on path. */
static struct pcapfile *open_sized(pcap_t **p, size_t bufsize)
{
	char err[PCAP_ERRBUF_SIZE];
	*p = pcap_open_offline(path, err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*p);
	struct pcapfile *pf = pcapfile_open_sized(fileno(pcap_file(*p)), 65535, pcap_datalink(*p), bufsize);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	return pf;
}

/* A small buffer (256 KiB) over a 3 MiB file: it starts over many times, and the records the caller
   still holds (the last 8, as the pipeline holds its ring) are never read over. */
static void test_held_records_stay_intact_across_buffer_restarts(void)
{
	enum { N = 2000, HELD = 8 };
	FILE *f = file_begin("restart.pcap", false, false, 4, 65535);
	for (uint32_t k = 0; k < N; k++)
		file_record_k(f, k, size_k(k));
	fclose(f);
	pcap_t *p;
	struct pcapfile *pf = open_sized(&p, 256 << 10);
	struct caprec held[HELD];
	uint32_t k = 0;
	bool intact = true;
	struct caprec r;
	int rc;
	while ((rc = pcapfile_next(pf, &r)) == 1) {
		CU_ASSERT_EQUAL(r.ts_frac, k);
		CU_ASSERT_EQUAL(r.caplen, size_k(k));
		held[k % HELD] = r;
		if (k + 1 >= HELD) /* the oldest record still held: nothing before it is needed */
			pcapfile_release(pf, held[(k + 1) % HELD].offset);
		for (uint32_t j = k + 1 >= HELD ? k + 1 - HELD : 0; j <= k; j++)
			intact = intact && record_k_intact(held[j % HELD].data, j, held[j % HELD].caplen);
		k++;
	}
	CU_ASSERT_TRUE(intact);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k, N);
	pcapfile_close(pf);
	pcap_close(p);
}

/* A caller that releases nothing fills the buffer: the reader hands over to libpcap at the next record
   rather than read over a held one, and libpcap reads the rest from there. */
static void test_a_full_buffer_hands_over_instead_of_reading_over_held_records(void)
{
	enum { N = 40 };
	FILE *f = file_begin("full.pcap", false, false, 4, 65535);
	for (uint32_t k = 0; k < N; k++)
		file_record_k(f, k, 10000);
	fclose(f);
	pcap_t *p;
	struct pcapfile *pf = open_sized(&p, 64 << 10);
	struct caprec held[N];
	uint32_t k = 0;
	int rc;
	while (k < N && (rc = pcapfile_next(pf, &held[k])) == 1)
		k++;
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_TRUE(k >= 5 && k < 7); /* 64 KiB holds six records of 10016 bytes */
	for (uint32_t j = 0; j < k; j++)
		CU_ASSERT_TRUE(record_k_intact(held[j].data, j, 10000));
	CU_ASSERT_EQUAL(pcapfile_offset(pf), 24 + (size_t)k * 10016);
	CU_ASSERT_EQUAL_FATAL(fseeko(pcap_file(p), (off_t)pcapfile_offset(pf), SEEK_SET), 0);
	struct pcap_pkthdr *h;
	const u_char *d;
	while (pcap_next_ex(p, &h, &d) == 1) {
		CU_ASSERT_EQUAL(h->ts.tv_usec, (int)k);
		CU_ASSERT_TRUE(record_k_intact(d, k, h->caplen));
		k++;
	}
	CU_ASSERT_EQUAL(k, N);
	pcapfile_close(pf);
	/* A record bigger than the whole buffer: handed over at once. */
	f = file_begin("full.pcap", false, false, 4, 65535);
	file_record_k(f, 0, 100);
	file_record_k(f, 1, 60000);
	fclose(f);
	pcap_close(p);
	pf = open_sized(&p, 32 << 10);
	CU_ASSERT_EQUAL(pcapfile_next(pf, &held[0]), 1);
	CU_ASSERT_EQUAL(pcapfile_next(pf, &held[1]), -1);
	CU_ASSERT_EQUAL(pcapfile_offset(pf), 24 + 16 + 100);
	pcapfile_close(pf);
	pcap_close(p);
}

/* The pipeline over a file the fast reader hands over midway: every packet, then libpcap's error. */
static void test_pipeline_reads_on_with_libpcap_after_a_damaged_record(void)
{
	FILE *f = file_begin("mixed.pcap", true, false, 4, 100);
	for (uint32_t i = 0; i < 40; i++)
		file_record(f, true, 10 + i, i, i == 20 ? 150 : 28, 150, i == 20 ? 150 : 28);
	file_record(f, true, 99, 0, 60, 60, 10); /* truncated */
	fclose(f);
	struct pipeline_opts o = { .file = path };
	char err[512];
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	struct packet pkt;
	struct track_result tr;
	int rc, n = 0;
	while ((rc = pipeline_next(pl, &pkt, &tr)) == 1) {
		CU_ASSERT_EQUAL(pkt.n, (uint64_t)n + 1);
		CU_ASSERT_EQUAL(pkt.ts_sec, 10 + n);
		CU_ASSERT_EQUAL(pkt.ts_nsec, (uint32_t)n * 1000);
		CU_ASSERT_EQUAL(pkt.caplen, n == 20 ? 100u : 28u); /* libpcap cut record 20 to the snapshot */
		n++;
	}
	CU_ASSERT_EQUAL(n, 40);
	CU_ASSERT_EQUAL(rc, -2);
	CU_ASSERT_PTR_NOT_NULL(strstr(pipeline_error(pl), "truncated"));
	pipeline_close(pl);
}

/* -c and a filter with the fast reader: the count is of packets that passed, -w holds exactly those. */
static void test_pipeline_count_and_filter_with_the_fast_reader(void)
{
	FILE *f = file_begin("count.pcap", false, false, 4, 65535);
	for (uint32_t i = 0; i < 100; i++)
		file_record(f, false, 100 + i, 0, i % 2 ? 20 : 28, 28, i % 2 ? 20 : 28); /* odd: cut before UDP */
	fclose(f);
	char out[sizeof path];
	snprintf(out, sizeof out, "%s/out.pcap", dir);
	struct pipeline_opts o = { .file = path, .filter = "udp port 8888", .count = 7, .write = out };
	char err[512];
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	struct packet pkt;
	struct track_result tr;
	int n = 0;
	while (pipeline_next(pl, &pkt, &tr) == 1) {
		CU_ASSERT_EQUAL(pkt.ts_sec, 100 + 2 * n);
		n++;
	}
	CU_ASSERT_EQUAL(n, 7);
	pipeline_close(pl);
	pcap_t *p = pcap_open_offline(out, err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct pcap_pkthdr *h;
	const u_char *d;
	int w = 0;
	while (pcap_next_ex(p, &h, &d) == 1)
		w++;
	CU_ASSERT_EQUAL(w, 7);
	pcap_close(p);
}

static int suite_init(void)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
	const char *names[] = { "plain.pcap", "snap.pcap", "cut.pcap", "cuthdr.pcap", "v23.pcap", "mixed.pcap",
				"count.pcap", "out.pcap", "restart.pcap", "full.pcap" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

int register_test_pcapfile(void)
{
	CU_pSuite s = CU_add_suite("pcapfile", suite_init, suite_clean);
	if (!s)
		return -1;
	CU_add_test(s, "records match libpcap in every byte order and precision",
		    test_records_match_libpcap_in_every_byte_order_and_precision);
	CU_add_test(s, "odd records are left to libpcap", test_odd_records_are_left_to_libpcap);
	CU_add_test(s, "files for libpcap alone are refused", test_files_for_libpcap_alone_are_refused);
	CU_add_test(s, "a pipe is read in order and never blocks", test_a_pipe_is_read_in_order_and_never_blocks);
	CU_add_test(s, "held records stay intact across buffer restarts",
		    test_held_records_stay_intact_across_buffer_restarts);
	CU_add_test(s, "a full buffer hands over instead of reading over held records",
		    test_a_full_buffer_hands_over_instead_of_reading_over_held_records);
	CU_add_test(s, "pipeline reads on with libpcap after a damaged record",
		    test_pipeline_reads_on_with_libpcap_after_a_damaged_record);
	CU_add_test(s, "pipeline count and filter with the fast reader", test_pipeline_count_and_filter_with_the_fast_reader);
	return 0;
}
