/* test_pcapng.c — the pcapng reader over crafted blocks: sections, byte orders, interfaces, clocks, packets, statistics, and every malformed length. */
#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ngbuild.h"
#include "source/capfile.h"
#include "source/pcapng.h"
#include "source/pipeline.h"

/* A descriptor holding p[0..n): a memory file (read with pread), or a pipe with the writer gone (read()). */
static int fd_of(const struct ngb *b, bool pipe_fd)
{
	if (pipe_fd) {
		int fds[2];
		CU_ASSERT_FATAL(pipe(fds) == 0 && b->len <= 65536);
		CU_ASSERT_FATAL(write(fds[1], b->p, b->len) == (ssize_t)b->len);
		close(fds[1]);
		return fds[0];
	}
	int fd = memfd_create("pcapng-test", MFD_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0 && write(fd, b->p, b->len) == (ssize_t)b->len);
	return fd;
}

/* The reader over b (a buffer of bufsize bytes): NULL with the reason in err when the header is refused. */
static struct pcapng *ng_over(const struct ngb *b, bool pipe_fd, size_t bufsize, int *fd, char *err, size_t errlen)
{
	*fd = fd_of(b, pipe_fd);
	struct capbuf cb;
	CU_ASSERT_FATAL(capbuf_init(&cb, *fd, bufsize));
	return pcapng_attach(&cb, err, errlen);
}

/* Copies of the first bytes of each record read_all() read, and of its comment (the reader's are gone). */
#define KEEP 64
static uint8_t kept_data[8][KEEP];
static char kept_note[8][KEEP];

/* Every record of b, into r[] (at most max <= 8; data and comment pointing at copies of their first KEEP
   bytes); returns how many, and the last outcome in *end. */
static size_t read_all(const struct ngb *b, bool pipe_fd, struct caprec *r, size_t max, int *end, char *err, size_t errlen)
{
	int fd;
	struct pcapng *ng = ng_over(b, pipe_fd, CAPBUF_BYTES, &fd, err, errlen);
	size_t n = 0;
	*end = PCAPNG_BAD;
	if (ng) {
		int rc;
		while ((rc = pcapng_next(ng, &r[n < max ? n : max - 1])) == 1) {
			struct caprec *x = &r[n < max ? n : max - 1];
			uint8_t *d = kept_data[n < max ? n : max - 1];
			memcpy(d, x->data, x->caplen < KEEP ? x->caplen : KEEP);
			x->data = d;
			if (x->comment) {
				char *c = kept_note[n < max ? n : max - 1];
				memcpy(c, x->comment, x->comment_len < KEEP ? x->comment_len : KEEP);
				x->comment = c;
			}
			n++;
		}
		*end = rc;
		snprintf(err, errlen, "%s", rc == PCAPNG_BAD ? pcapng_error(ng) : "");
		/* after a failure every call says so again */
		if (rc == PCAPNG_BAD)
			CU_ASSERT_EQUAL(pcapng_next(ng, &r[0]), PCAPNG_BAD);
		pcapng_close(ng);
	}
	close(fd);
	return n;
}

static uint8_t frame[2048];

/* Two sections, the second big-endian, each with interfaces of its own: every packet has its own link type,
   its section-local interface number and the interface's name. */
static void test_two_sections_of_both_byte_orders_keep_their_own_interfaces(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 65535, "eth0", -1, 0);
	uint32_t n = ngb_udp_frame(frame, 1, 1000, 10);
	ngb_epb(&b, 0, 1700000000000000ull, frame, n, n, NULL);
	ngb_idb(&b, 276, 0, "any", -1, 0); /* described after the first packet */
	n = ngb_udp_frame(frame, 276, 1001, 10);
	ngb_epb(&b, 1, 1700000001000000ull, frame, n, n, NULL);
	ngb_shb(&b, true);
	ngb_idb(&b, 0, 0, "lo0", -1, 0);
	n = ngb_udp_frame(frame, 0, 1002, 10);
	ngb_epb(&b, 0, 1700000002000000ull, frame, n, n, NULL);
	for (int pipe_fd = 0; pipe_fd < 2; pipe_fd++) {
		struct caprec r[4];
		int end;
		char err[400];
		CU_ASSERT_EQUAL(read_all(&b, pipe_fd, r, 4, &end, err, sizeof err), 3);
		CU_ASSERT_EQUAL(end, 0);
		CU_ASSERT_EQUAL(r[0].linktype, 1);
		CU_ASSERT_EQUAL(r[1].linktype, 276);
		CU_ASSERT_EQUAL(r[2].linktype, 0);
		CU_ASSERT_EQUAL(r[0].ts_sec, 1700000000);
		CU_ASSERT_EQUAL(r[2].ts_sec, 1700000002);
		CU_ASSERT_FALSE(r[0].iface_several); /* the second interface is not described yet... */
		CU_ASSERT_TRUE(r[1].iface_several);  /* ...now it is */
		CU_ASSERT_TRUE(r[2].iface_several);  /* the file has three by now */
		CU_ASSERT_EQUAL(r[2].caplen, 4 + 28 + 10);
		CU_ASSERT_EQUAL(r[2].data[4], 0x45); /* after the family word: the IPv4 header */
	}
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, CAPBUF_BYTES, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r;
	while (pcapng_next(ng, &r) == 1)
		;
	CU_ASSERT_EQUAL(pcapng_sections(ng), 2);
	CU_ASSERT_EQUAL(pcapng_ifaces(ng), 3);
	const struct pcapng_iface *lo0 = pcapng_iface(ng, 2);
	CU_ASSERT_EQUAL(lo0->pub.index, 0);
	CU_ASSERT_EQUAL(lo0->section, 1);
	CU_ASSERT_STRING_EQUAL(lo0->pub.name, "lo0");
	CU_ASSERT_EQUAL(pcapng_iface(ng, 1)->packets, 1);
	pcapng_close(ng);
	close(fd);
	free(b.p);
}

/* The same file in either byte order gives the same records. */
static void test_a_big_endian_file_reads_as_its_little_endian_twin(void)
{
	struct caprec r[2][8];
	int end[2];
	size_t n[2];
	for (int be = 0; be < 2; be++) {
		struct ngb b = { 0 };
		ngb_shb(&b, be);
		ngb_idb(&b, 1, 262144, "eth0", 9, 100);
		for (int i = 0; i < 5; i++) {
			uint32_t k = ngb_udp_frame(frame, 1, (uint16_t)(2000 + i), (uint16_t)i);
			ngb_epb(&b, 0, 123456789012345ull + (uint64_t)i, frame, k, k + 3, i == 2 ? "two" : NULL);
		}
		ngb_isb(&b, 0, 40, 1, 2);
		char err[400];
		n[be] = read_all(&b, false, r[be], 8, &end[be], err, sizeof err);
		free(b.p);
	}
	CU_ASSERT_EQUAL(n[0], 5);
	CU_ASSERT_EQUAL(n[1], 5);
	CU_ASSERT_EQUAL(end[0], 0);
	CU_ASSERT_EQUAL(end[1], 0);
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(r[0][i].ts_sec, r[1][i].ts_sec);
		CU_ASSERT_EQUAL(r[0][i].ts_frac, r[1][i].ts_frac);
		CU_ASSERT_EQUAL(r[0][i].len, r[1][i].len);
		CU_ASSERT_EQUAL(r[1][i].len, r[1][i].caplen + 3);
		CU_ASSERT_EQUAL(r[0][i].comment_len, r[1][i].comment_len);
	}
	CU_ASSERT_EQUAL(r[1][0].ts_sec, 123456 + 100);
	CU_ASSERT_EQUAL(r[1][0].ts_frac, 789012345);
}

/* Blocks not read (custom, name resolution, an unknown type) are passed over by their length, even one
   bigger than the reader's whole buffer, and their trailing length is still checked. */
static void test_custom_and_unknown_blocks_are_passed_over_by_length(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_custom(&b, 32473, "hello", 5);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	static uint8_t big[300000];
	memset(big, 0xab, sizeof big);
	ngb_custom(&b, 32473, big, sizeof big);
	size_t at = ngb_begin(&b, 0x12345678u); /* a type nobody knows */
	ngb_u32(&b, 7);
	ngb_end(&b, at);
	uint32_t k = ngb_udp_frame(frame, 1, 3000, 4);
	ngb_epb(&b, 0, 5, frame, k, k, NULL);
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, 64 << 10, &fd, err, sizeof err); /* a 64 KiB buffer */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r;
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 1);
	CU_ASSERT_EQUAL(r.caplen, k);
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 0);
	pcapng_close(ng);
	close(fd);
	/* Its trailing length damaged: the read stops there, naming it. */
	ngb_poke32(&b, at + 12, 99);
	struct caprec rr[2];
	int end;
	CU_ASSERT_EQUAL(read_all(&b, false, rr, 2, &end, err, sizeof err), 0);
	CU_ASSERT_EQUAL(end, PCAPNG_BAD);
	char want[120];
	snprintf(want, sizeof want, "block of type 0x12345678 at offset %zu: its trailing length 99 differs from its length 16", at);
	CU_ASSERT_STRING_EQUAL(err, want);
	free(b.p);
}

/* A packet's first opt_comment comes with it (a writer's terminating NUL left out); the obsolete packet
   block's too; a packet without one has none. */
static void test_packet_comments_are_read(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, true);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	uint32_t k = ngb_udp_frame(frame, 1, 4000, 3);
	size_t at = ngb_begin(&b, 6);
	ngb_u32(&b, 0);
	ngb_u32(&b, 0);
	ngb_u32(&b, 1);
	ngb_u32(&b, k);
	ngb_u32(&b, k);
	ngb_bytes(&b, frame, k);
	ngb_pad(&b);
	ngb_opt(&b, 2, "\0\0\0\1", 4);      /* epb_flags first */
	ngb_opt(&b, 1, "first\0", 6);       /* the comment, NUL-terminated */
	ngb_opt(&b, 1, "second", 6);
	ngb_opt_end(&b);
	ngb_end(&b, at);
	ngb_pb(&b, 0, 2, frame, k, k, "obsolete block, UTF-8 caf\xc3\xa9");
	ngb_epb(&b, 0, 3, frame, k, k, NULL);
	struct caprec r[4];
	int end;
	char err[400];
	CU_ASSERT_EQUAL_FATAL(read_all(&b, false, r, 4, &end, err, sizeof err), 3);
	CU_ASSERT_EQUAL(r[0].comment_len, 5);
	CU_ASSERT(r[0].comment && memcmp(r[0].comment, "first", 5) == 0);
	CU_ASSERT_EQUAL(r[1].comment_len, strlen("obsolete block, UTF-8 caf\xc3\xa9"));
	CU_ASSERT_EQUAL(r[1].ts_frac, 2000);
	CU_ASSERT_PTR_NULL(r[2].comment);
	free(b.p);
}

/* if_tsresol (10^-n and 2^-n) and if_tsoffset give each interface's packets their own clock. */
static void test_each_interface_keeps_its_own_clock(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, "us", -1, 0);                 /* default: microseconds */
	ngb_idb(&b, 1, 0, "ns", 9, 0);
	ngb_idb(&b, 1, 0, "ms+off", 3, 1000000000);     /* milliseconds, a billion seconds later */
	ngb_idb(&b, 1, 0, "2^-20", 0x80 | 20, 0);
	ngb_idb(&b, 1, 0, "ps", 12, -100);              /* picoseconds, 100 s earlier */
	ngb_idb(&b, 1, 0, "2^-70", 0x80 | 70, 0);       /* a second is beyond 64 bits of units */
	uint32_t k = ngb_udp_frame(frame, 1, 5000, 1);
	ngb_epb(&b, 0, 1500000001234567ull, frame, k, k, NULL);
	ngb_epb(&b, 1, 1500000001234567891ull, frame, k, k, NULL);
	ngb_epb(&b, 2, 1500000001234ull, frame, k, k, NULL);
	ngb_epb(&b, 3, (5ull << 20) | (1ull << 19), frame, k, k, NULL); /* 5.5 s */
	ngb_epb(&b, 4, 1500000001234567891ull, frame, k, k, NULL);     /* 1500000.001234567891 s */
	ngb_epb(&b, 5, 1ull << 63, frame, k, k, NULL);                 /* 2^63 / 2^70 s = 1/128 s */
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, CAPBUF_BYTES, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r[6];
	for (int i = 0; i < 6; i++)
		CU_ASSERT_EQUAL_FATAL(pcapng_next(ng, &r[i]), 1);
	CU_ASSERT(r[0].ts_sec == 1500000001 && r[0].ts_frac == 234567000);
	CU_ASSERT(r[1].ts_sec == 1500000001 && r[1].ts_frac == 234567891);
	CU_ASSERT(r[2].ts_sec == 1500000001LL + 1000000000 && r[2].ts_frac == 234000000);
	CU_ASSERT(r[3].ts_sec == 5 && r[3].ts_frac == 500000000);
	CU_ASSERT(r[4].ts_sec == 1500000 - 100 && r[4].ts_frac == 1234567);
	CU_ASSERT(r[5].ts_sec == 0 && r[5].ts_frac == 7812500);
	bool nano[6] = { false, true, false, true, true, true };
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(pcapng_iface(ng, i)->pub.nano, nano[i]);
	pcapng_close(ng);
	close(fd);
	free(b.p);
}

/* An if_tsoffset past the 64-bit seconds saturates instead of wrapping. */
static void test_a_huge_tsoffset_saturates(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, NULL, 0, INT64_MAX - 5); /* seconds */
	uint32_t k = ngb_udp_frame(frame, 1, 5000, 1);
	ngb_epb(&b, 0, 100, frame, k, k, NULL);
	struct caprec r[1];
	int end;
	char err[400];
	CU_ASSERT_EQUAL(read_all(&b, false, r, 1, &end, err, sizeof err), 1);
	CU_ASSERT_EQUAL(r[0].ts_sec, INT64_MAX);
	free(b.p);
}

/* A simple packet block is interface 0's, cut to its snapshot length, with no time of its own. */
static void test_simple_packet_blocks_use_interface_0_and_its_snaplen(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 40, NULL, -1, 77);
	uint32_t k = ngb_udp_frame(frame, 1, 6000, 30);
	ngb_spb(&b, k, frame, 40);          /* 72 bytes on the wire, 40 kept */
	ngb_spb(&b, 20, frame, 20);         /* shorter than the snapshot: all of it */
	struct caprec r[3];
	int end;
	char err[400];
	CU_ASSERT_EQUAL_FATAL(read_all(&b, false, r, 3, &end, err, sizeof err), 2);
	CU_ASSERT_EQUAL(end, 0);
	CU_ASSERT(r[0].caplen == 40 && r[0].len == k);
	CU_ASSERT(r[1].caplen == 20 && r[1].len == 20);
	CU_ASSERT(r[0].ts_sec == 77 && r[0].ts_frac == 0);
	CU_ASSERT_EQUAL(r[0].linktype, 1);
	free(b.p);
}

/* Interface statistics blocks: the last one's counters are kept, with which were given. */
static void test_interface_statistics_are_kept(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	ngb_isb(&b, 1, 10, 1, 0);
	ngb_isb(&b, 1, 25, 3, 4);
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, CAPBUF_BYTES, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r;
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 0);
	const struct pcapng_stats *st = &pcapng_iface(ng, 1)->stats;
	CU_ASSERT_EQUAL(st->blocks, 2);
	CU_ASSERT_EQUAL(st->have, PCAPNG_ISB_IFRECV | PCAPNG_ISB_IFDROP | PCAPNG_ISB_OSDROP);
	CU_ASSERT(st->ifrecv == 25 && st->ifdrop == 3 && st->osdrop == 4);
	CU_ASSERT_EQUAL(pcapng_iface(ng, 0)->stats.blocks, 0);
	pcapng_close(ng);
	close(fd);
	free(b.p);
}

/* if_name as printable text: control bytes and invalid UTF-8 as '?', valid UTF-8 kept, up to a NUL. */
static void test_interface_names_are_made_printable(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, "e\tth\xff" "0-\xc3\xa9", -1, 0);
	size_t at = ngb_begin(&b, 1);
	ngb_u16(&b, 1);
	ngb_u16(&b, 0);
	ngb_u32(&b, 0);
	ngb_opt(&b, 2, "wlan0\0junk", 10);
	ngb_opt_end(&b);
	ngb_end(&b, at);
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, CAPBUF_BYTES, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	CU_ASSERT_STRING_EQUAL(pcapng_iface(ng, 0)->pub.name, "e?th?0-\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(pcapng_iface(ng, 1)->pub.name, "wlan0");
	pcapng_close(ng);
	close(fd);
	free(b.p);
}

/* A file that is good up to one damaged block: the records before it, then PCAPNG_BAD with exactly this
   reason; the same from a pipe. */
static void expect_bad(const struct ngb *b, size_t want_records, enum pcapng_fault fault, const char *want)
{
	for (int pipe_fd = 0; pipe_fd < 2; pipe_fd++) {
		struct caprec r[8];
		int end;
		char err[400];
		size_t n = read_all(b, pipe_fd, r, 8, &end, err, sizeof err);
		CU_ASSERT_EQUAL(n, want_records);
		CU_ASSERT_EQUAL(end, PCAPNG_BAD);
		if (strcmp(err, want) != 0)
			fprintf(stderr, "\n  reason: \"%s\"\n  want:   \"%s\"\n", err, want);
		CU_ASSERT_STRING_EQUAL(err, want);
	}
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(b, false, CAPBUF_BYTES, &fd, err, sizeof err);
	if (ng) {
		struct caprec r;
		while (pcapng_next(ng, &r) == 1)
			;
		CU_ASSERT_EQUAL(pcapng_fault(ng), fault);
		pcapng_close(ng);
	}
	close(fd);
}

/* The start of a file for the malformed cases: a section, an interface and one good packet (offset 48). */
static void good_start(struct ngb *b)
{
	memset(b, 0, sizeof *b);
	ngb_shb(b, false);            /* 28 bytes */
	ngb_idb(b, 1, 0, NULL, -1, 0); /* 20 */
	uint32_t k = ngb_udp_frame(frame, 1, 7000, 2);
	ngb_epb(b, 0, 1, frame, k, k, NULL);
}

static void test_every_malformed_length_ends_the_read_after_the_good_packets(void)
{
	struct ngb b;
	char want[300];
	uint32_t k = ngb_udp_frame(frame, 1, 7001, 2);
	size_t at;

	good_start(&b); /* block length below 12 */
	at = b.len;
	ngb_u32(&b, 6);
	ngb_u32(&b, 8);
	ngb_u32(&b, 8);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: block length 8 is below 12", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* not a multiple of 4 */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	ngb_poke32(&b, at + 4, 66);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: block length 66 is not a multiple of 4", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* trailing length differs */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	ngb_poke32(&b, b.len - 4, 0);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: its trailing length 0 differs from its length %zu", at,
		 b.len - at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* an option running past the block */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, "x");
	ngb_poke32(&b, b.len - 16, 1u | 200u << 16); /* the comment's code 1, length 200 (little-endian) */
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: option 1 at offset %zu has 200 bytes, past the block's end",
		 at, b.len - 16);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* captured length beyond the block */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	ngb_poke32(&b, at + 20, k + 40);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: captured length %u runs past the block's end (block length %zu)",
		 at, k + 40, b.len - at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* captured length over the packet limit */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	ngb_poke32(&b, at + 20, 300000);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: captured length 300000 is over 262144 bytes, the most a packet block holds", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* an interface the section does not describe */
	at = b.len;
	ngb_epb(&b, 3, 2, frame, k, k, NULL);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: interface 3 is not described: the section describes 1", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* a packet of a new section before its first interface */
	ngb_shb(&b, true);
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	snprintf(want, sizeof want,
		 "enhanced packet block at offset %zu: interface 0 is not described: the section has no interface description block before it", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* a simple packet block in a section without interfaces */
	ngb_shb(&b, false);
	at = b.len;
	ngb_spb(&b, 10, frame, 10);
	snprintf(want, sizeof want,
		 "simple packet block at offset %zu: interface 0 is not described: the section has no interface description block before it", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* simple packet block whose data runs past it */
	at = b.len;
	ngb_spb(&b, 10, frame, 10);
	ngb_poke32(&b, at + 8, 500);
	snprintf(want, sizeof want, "simple packet block at offset %zu: packet data of 500 runs past the block's end (block length 28)", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* interface description block shorter than its fixed fields */
	at = b.len;
	{
		size_t s = ngb_begin(&b, 1);
		ngb_u32(&b, 1);
		ngb_end(&b, s);
	}
	snprintf(want, sizeof want, "interface description block at offset %zu: block length 16 is below its 20 bytes of fixed fields", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* if_tsresol of the wrong size */
	at = b.len;
	{
		size_t s = ngb_begin(&b, 1);
		ngb_u16(&b, 1);
		ngb_u16(&b, 0);
		ngb_u32(&b, 0);
		ngb_opt(&b, 9, "\x06\x06", 2);
		ngb_opt_end(&b);
		ngb_end(&b, s);
	}
	snprintf(want, sizeof want, "interface description block at offset %zu: if_tsresol option of 2 bytes, not 1", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* an isb counter of the wrong size */
	at = b.len;
	{
		size_t s = ngb_begin(&b, 5);
		ngb_u32(&b, 0);
		ngb_u32(&b, 0);
		ngb_u32(&b, 0);
		ngb_opt(&b, 5, "1234", 4);
		ngb_opt_end(&b);
		ngb_end(&b, s);
	}
	snprintf(want, sizeof want, "interface statistics block at offset %zu: isb_ifdrop option of 4 bytes, not 8", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* a second section header with a bad byte-order magic */
	at = b.len;
	ngb_shb(&b, false);
	ngb_poke32(&b, at + 8, 0x11223344);
	snprintf(want, sizeof want, "section header block at offset %zu: byte-order magic 0x44332211 is neither 1a2b3c4d nor 4d3c2b1a", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* a section of a version we do not read */
	at = b.len;
	ngb_shb_v(&b, false, 2, 0);
	snprintf(want, sizeof want, "section header block at offset %zu: version 2.0; synwatch reads pcapng 1.0", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* a block longer than the reader takes whole */
	at = b.len;
	ngb_u32(&b, 6);
	ngb_u32(&b, 4u << 20);
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: block length 4194304 is over the 2097152 bytes synwatch reads of one block", at);
	expect_bad(&b, 1, PCAPNG_DAMAGED, want);
	free(b.p);

	good_start(&b); /* the file ends inside a packet block */
	at = b.len;
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	size_t whole = b.len - at;
	b.len -= 10;
	snprintf(want, sizeof want, "enhanced packet block at offset %zu: the file ends after %zu of its %zu bytes", at, whole - 10, whole);
	expect_bad(&b, 1, PCAPNG_CUT, want);
	free(b.p);

	good_start(&b); /* ... inside a block header */
	at = b.len;
	ngb_u32(&b, 6);
	ngb_u16(&b, 9);
	snprintf(want, sizeof want, "block at offset %zu: the file ends 6 bytes into its header", at);
	expect_bad(&b, 1, PCAPNG_CUT, want);
	free(b.p);

	good_start(&b); /* ... inside a block passed over */
	at = b.len;
	ngb_custom(&b, 1, "0123456789", 10);
	b.len -= 8;
	snprintf(want, sizeof want, "custom block at offset %zu: the file ends after 20 of its 28 bytes", at);
	expect_bad(&b, 1, PCAPNG_CUT, want);
	free(b.p);
}

/* A section header that is not sound refuses the file at once, with the reason. */
static void test_a_bad_first_section_header_refuses_the_file(void)
{
	struct ngb b = { 0 };
	ngb_shb_v(&b, false, 1, 9);
	int fd;
	char err[400];
	CU_ASSERT_PTR_NULL(ng_over(&b, false, CAPBUF_BYTES, &fd, err, sizeof err));
	CU_ASSERT_STRING_EQUAL(err, "section header block at offset 0: version 1.9; synwatch reads pcapng 1.0");
	close(fd);
	b.len = 20; /* cut */
	CU_ASSERT_PTR_NULL(ng_over(&b, true, CAPBUF_BYTES, &fd, err, sizeof err));
	CU_ASSERT_STRING_EQUAL(err, "section header block at offset 0: the file ends after 20 of its 28 bytes");
	close(fd);
	free(b.p);
}

/* Records held by the caller (as the pipeline holds its ring) stay intact while the reader moves on in a
   small buffer; when they fill it the reader says FULL, and goes on once some are released. */
static void test_held_records_stay_intact_and_a_full_buffer_waits_for_release(void)
{
	enum { N = 600, HELD = 8 };
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	static uint8_t data[6000];
	for (uint32_t i = 0; i < N; i++) {
		uint32_t len = 60 + (i * 397) % 5000;
		for (uint32_t j = 0; j < len; j++)
			data[j] = (uint8_t)(i * 7 + j);
		ngb_epb(&b, 0, i, data, len, len, i % 5 == 0 ? "note" : NULL);
		if (i % 50 == 0)
			ngb_custom(&b, 1, data, 3000);
	}
	int fd;
	char err[400];
	struct pcapng *ng = ng_over(&b, false, 64 << 10, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec held[HELD];
	uint32_t i = 0, full = 0;
	bool intact = true;
	int rc;
	while ((rc = pcapng_next(ng, &held[i % HELD])) == 1 || rc == PCAPNG_FULL) {
		if (rc == PCAPNG_FULL) { /* release the oldest half */
			full++;
			pcapng_release(ng, held[(i - HELD / 2) % HELD].offset);
			continue;
		}
		if (i + 1 >= HELD)
			pcapng_release(ng, held[(i + 1) % HELD].offset);
		for (uint32_t j = i + 1 >= HELD ? i + 1 - HELD : 0; j <= i; j++) {
			const struct caprec *r = &held[j % HELD];
			uint32_t len = 60 + (j * 397) % 5000;
			intact = intact && r->caplen == len && r->data[0] == (uint8_t)(j * 7) &&
				 r->data[len - 1] == (uint8_t)(j * 7 + len - 1) &&
				 (j % 5 != 0 || (r->comment_len == 4 && memcmp(r->comment, "note", 4) == 0));
		}
		i++;
	}
	CU_ASSERT_TRUE(intact);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(i, N);
	pcapng_close(ng);
	close(fd);
	/* Nothing released at all: FULL, not a record read over. */
	ng = ng_over(&b, false, 64 << 10, &fd, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r0, r;
	CU_ASSERT_EQUAL(pcapng_next(ng, &r0), 1);
	while ((rc = pcapng_next(ng, &r)) == 1)
		;
	CU_ASSERT_EQUAL(rc, PCAPNG_FULL);
	CU_ASSERT_EQUAL(r0.data[0], 0);
	CU_ASSERT_EQUAL(r0.data[59], 59);
	pcapng_close(ng);
	close(fd);
	free(b.p);
}

/* A pipe with the writer still there and nothing more to say: AGAIN, not a block. */
static void test_a_quiet_pipe_says_again(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, NULL, -1, 0);
	uint32_t k = ngb_udp_frame(frame, 1, 8000, 5);
	ngb_epb(&b, 0, 1, frame, k, k, NULL);
	int fds[2];
	CU_ASSERT_FATAL(pipe(fds) == 0);
	CU_ASSERT_FATAL(write(fds[1], b.p, b.len - 7) == (ssize_t)(b.len - 7)); /* the packet block but 7 bytes */
	struct capbuf cb;
	CU_ASSERT_FATAL(capbuf_init(&cb, fds[0], CAPBUF_BYTES));
	char err[200];
	struct pcapng *ng = pcapng_attach(&cb, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	struct caprec r;
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), PCAPNG_AGAIN);
	CU_ASSERT_FATAL(write(fds[1], b.p + b.len - 7, 7) == 7);
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 1);
	CU_ASSERT_EQUAL(r.caplen, k);
	close(fds[1]);
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 0);
	pcapng_close(ng);
	close(fds[0]);
	free(b.p);
}

static char dir[] = "/tmp/synwatch-pcapng-XXXXXX";

static void write_file(const char *path, const struct ngb *b)
{
	FILE *f = fopen(path, "wb");
	CU_ASSERT_FATAL(f && fwrite(b->p, 1, b->len, f) == b->len);
	fclose(f);
}

/* Through the pipeline: each packet decoded with its interface's link type, the filter compiled for each
   link type (and an expression invalid for one of them refused), -w stopping at a second link type. */
static void test_pipeline_decodes_each_packet_with_its_interfaces_link_type(void)
{
	struct ngb b = { 0 };
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 0, "eth0", -1, 0);
	ngb_idb(&b, 276, 0, "any", 9, 0);
	for (int i = 0; i < 6; i++) {
		uint32_t k = ngb_udp_frame(frame, i % 2 ? 276 : 1, (uint16_t)(9000 + i), 4);
		ngb_epb(&b, (uint32_t)(i % 2), i % 2 ? 1000000000ull * (uint64_t)i : 1000000ull * (uint64_t)i, frame, k, k,
			i == 3 ? "three" : NULL);
	}
	char path[64], out[64];
	snprintf(path, sizeof path, "%s/two.pcapng", dir);
	snprintf(out, sizeof out, "%s/out.pcap", dir);
	write_file(path, &b);
	struct pipeline_opts o = { .file = path, .filter = "udp" };
	char err[600];
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	CU_ASSERT_TRUE(pipeline_nanosecond(pl)); /* "any" is described before the first packet */
	CU_ASSERT_EQUAL(pipeline_interfaces(pl), 2);
	struct packet pkt;
	struct track_result tr;
	int n = 0;
	while (pipeline_next(pl, &pkt, &tr) == 1) {
		CU_ASSERT_EQUAL(pkt.linktype, n % 2 ? 276 : 1);
		CU_ASSERT_TRUE(pkt.has_ip && pkt.ip.l4 == L4_UDP && pkt.ip.u.udp.sport == 9000 + n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkt.iface);
		CU_ASSERT_EQUAL(pkt.iface->index, (uint32_t)(n % 2));
		CU_ASSERT_TRUE(pkt.iface_several);
		CU_ASSERT_EQUAL(pkt.ts_sec, n);
		CU_ASSERT_EQUAL(pkt.comment != NULL, n == 3);
		n++;
	}
	CU_ASSERT_EQUAL(n, 6);
	pipeline_close(pl);

	/* An expression valid for Ethernet only. */
	o.filter = "ether host 00:00:00:00:00:00";
	CU_ASSERT_PTR_NULL(pipeline_open(&o, err, sizeof err, &code));
	CU_ASSERT_EQUAL(code, EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "invalid filter expression 'ether host 00:00:00:00:00:00' for link type LINUX_SLL2 (interface 1 of"));

	/* -w: the first packet of the second link type stops it; the file holds those before. */
	o.filter = NULL;
	o.write = out;
	pl = pipeline_open(&o, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	n = 0;
	int rc;
	while ((rc = pipeline_next(pl, &pkt, &tr)) == 1)
		n++;
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(rc, -2);
	char msg[600];
	CU_ASSERT_EQUAL(pipeline_failure(pl, msg, sizeof msg), EXIT_OUTPUT);
	char want[300];
	snprintf(want, sizeof want,
		 "-w '%s' is a pcap file of one link type, EN10MB: packet 2 is LINUX_SLL2 of interface 1; the file holds the 1 packets before it", out);
	CU_ASSERT_STRING_EQUAL(msg, want);
	pipeline_close(pl);
	char e[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(out, e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct pcap_pkthdr *h;
	const u_char *d;
	CU_ASSERT_EQUAL(pcap_next_ex(p, &h, &d), 1);
	CU_ASSERT_EQUAL(pcap_next_ex(p, &h, &d), PCAP_ERROR_BREAK);
	pcap_close(p);
	FILE *f = fopen(out, "rb");
	uint32_t magic = 0;
	CU_ASSERT_FATAL(f && fread(&magic, 4, 1, f) == 1);
	fclose(f);
	CU_ASSERT_EQUAL(magic, 0xa1b23c4du); /* nanoseconds, as the file's "any" interface */
	unlink(out);
	unlink(path);
	free(b.p);
}

/* A damaged block through the pipeline: the packets before it, then exit 3 with the file, the count and
   the reason in one line. */
static void test_pipeline_reports_a_damaged_block_after_the_packets_before_it(void)
{
	struct ngb b;
	good_start(&b);
	uint32_t k = ngb_udp_frame(frame, 1, 7002, 2);
	ngb_epb(&b, 0, 2, frame, k, k, NULL);
	size_t at = b.len;
	ngb_epb(&b, 7, 3, frame, k, k, NULL);
	char path[64];
	snprintf(path, sizeof path, "%s/bad.pcapng", dir);
	write_file(path, &b);
	struct pipeline_opts o = { .file = path };
	char err[600];
	int code;
	struct pipeline *pl = pipeline_open(&o, err, sizeof err, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	struct packet pkt;
	struct track_result tr;
	int n = 0, rc;
	while ((rc = pipeline_next(pl, &pkt, &tr)) == 1)
		n++;
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(rc, -2);
	char msg[600], want[400];
	CU_ASSERT_EQUAL(pipeline_failure(pl, msg, sizeof msg), EXIT_INPUT);
	snprintf(want, sizeof want,
		 "'%s' is damaged after packet 2 (enhanced packet block at offset %zu: interface 7 is not described: the section describes 1); the packets before it were decoded",
		 path, at);
	CU_ASSERT_STRING_EQUAL(msg, want);
	pipeline_close(pl);
	unlink(path);
	free(b.p);
}

static int suite_init(void)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
	return rmdir(dir);
}

int register_test_pcapng(void)
{
	CU_pSuite s = CU_add_suite("pcapng", suite_init, suite_clean);
	if (!s)
		return -1;
	CU_add_test(s, "two sections of both byte orders keep their own interfaces",
		    test_two_sections_of_both_byte_orders_keep_their_own_interfaces);
	CU_add_test(s, "a big-endian file reads as its little-endian twin", test_a_big_endian_file_reads_as_its_little_endian_twin);
	CU_add_test(s, "custom and unknown blocks are passed over by length", test_custom_and_unknown_blocks_are_passed_over_by_length);
	CU_add_test(s, "packet comments are read", test_packet_comments_are_read);
	CU_add_test(s, "each interface keeps its own clock", test_each_interface_keeps_its_own_clock);
	CU_add_test(s, "a huge tsoffset saturates", test_a_huge_tsoffset_saturates);
	CU_add_test(s, "simple packet blocks use interface 0 and its snaplen", test_simple_packet_blocks_use_interface_0_and_its_snaplen);
	CU_add_test(s, "interface statistics are kept", test_interface_statistics_are_kept);
	CU_add_test(s, "interface names are made printable", test_interface_names_are_made_printable);
	CU_add_test(s, "every malformed length ends the read after the good packets",
		    test_every_malformed_length_ends_the_read_after_the_good_packets);
	CU_add_test(s, "a bad first section header refuses the file", test_a_bad_first_section_header_refuses_the_file);
	CU_add_test(s, "held records stay intact and a full buffer waits for release",
		    test_held_records_stay_intact_and_a_full_buffer_waits_for_release);
	CU_add_test(s, "a quiet pipe says again", test_a_quiet_pipe_says_again);
	CU_add_test(s, "pipeline decodes each packet with its interface's link type",
		    test_pipeline_decodes_each_packet_with_its_interfaces_link_type);
	CU_add_test(s, "pipeline reports a damaged block after the packets before it",
		    test_pipeline_reports_a_damaged_block_after_the_packets_before_it);
	return 0;
}
