/* mkpcapng.c — writes the crafted pcapng files of tests/data/pcapng (sound and damaged), byte for byte the same each run. */
/*
 * Usage: mkpcapng DIR     writes every file into DIR (tests/data/pcapng is made with it; pcapng_crafted.sh
 *                         makes them again and compares). Exit 0, or 1 when a file cannot be written.
 * Packets are UDP datagrams between 127.0.0.1 ports (ngb_udp_frame), so that every tool decodes them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/ngbuild.h"

static const char *outdir;
static int failures;

static void save(const char *name, struct ngb *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "mkpcapng: cannot write '%s': %s\n", path, strerror(errno));
		failures++;
	}
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* One UDP datagram from port sport on the link type's framing, as an EPB of interface ifid. */
static void udp(struct ngb *b, uint32_t ifid, int linktype, uint16_t sport, uint64_t ts, const char *comment)
{
	uint8_t f[256];
	uint32_t n = ngb_udp_frame(f, linktype, sport, (uint16_t)(sport % 17));
	ngb_epb(b, ifid, ts, f, n, n, comment);
}

/* The start of each damaged file: a section, Ethernet interface 0, two good datagrams. */
static void good_two(struct ngb *b)
{
	ngb_shb(b, false);
	ngb_idb(b, 1, 262144, "eth0", -1, 0);
	udp(b, 0, 1, 40001, 1700000000000000ull, NULL);
	udp(b, 0, 1, 40002, 1700000000500000ull, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkpcapng DIR (writes the crafted pcapng files there)\n");
		return 2;
	}
	outdir = argv[1];
	struct ngb b = { 0 };
	uint8_t f[256];
	uint32_t n;

	/* Two sections: little-endian with Ethernet and LINUX_SLL2 (nanoseconds), then big-endian with NULL. */
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 262144, "eth0", -1, 0);
	ngb_idb(&b, 276, 262144, "any", 9, 0);
	udp(&b, 0, 1, 41001, 1700000000000001ull, NULL);
	udp(&b, 1, 276, 41002, 1700000000000002003ull, NULL);
	udp(&b, 0, 1, 41003, 1700000000000004ull, NULL);
	ngb_shb(&b, true);
	ngb_idb(&b, 0, 262144, "lo0", -1, 0);
	udp(&b, 0, 0, 41004, 1700000001000000ull, NULL);
	udp(&b, 0, 0, 41005, 1700000001000001ull, NULL);
	save("two-sections.pcapng", &b);

	/* Big-endian throughout: named interface, nanoseconds with an offset, a comment, statistics. */
	ngb_shb(&b, true);
	ngb_idb(&b, 1, 65535, "en0", 9, 1000);
	udp(&b, 0, 1, 42001, 1699999000000000001ull, NULL);
	udp(&b, 0, 1, 42002, 1699999000000000002ull, "big-endian comment");
	udp(&b, 0, 1, 42003, 1699999000000000003ull, NULL);
	ngb_isb(&b, 0, 3, 0, 1);
	save("big-endian.pcapng", &b);

	/* Blocks to pass over: custom (copiable and not), a name resolution block, an unknown type. */
	ngb_shb(&b, false);
	ngb_custom(&b, 32473, "before any interface", 20);
	ngb_idb(&b, 1, 262144, NULL, -1, 0);
	udp(&b, 0, 1, 43001, 1700000000000000ull, NULL);
	size_t at = ngb_begin(&b, 0x40000badu);
	ngb_u32(&b, 32473);
	ngb_bytes(&b, "not to be copied", 16);
	ngb_end(&b, at);
	at = ngb_begin(&b, 4); /* name resolution: one IPv4 record 127.0.0.1 "localhost", then the end */
	ngb_u16(&b, 1);
	ngb_u16(&b, 14);
	ngb_bytes(&b, "\x7f\x00\x00\x01localhost", 14);
	ngb_pad(&b);
	ngb_u16(&b, 0);
	ngb_u16(&b, 0);
	ngb_end(&b, at);
	udp(&b, 0, 1, 43002, 1700000000000001ull, NULL);
	at = ngb_begin(&b, 0x12345678u);
	ngb_bytes(&b, "an unknown block type", 21);
	ngb_end(&b, at);
	udp(&b, 0, 1, 43003, 1700000000000002ull, NULL);
	save("custom-block.pcapng", &b);

	/* Comments: plain, UTF-8, with a line break and quotes, invalid UTF-8, and one on an obsolete packet block. */
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 262144, "eth0", -1, 0);
	udp(&b, 0, 1, 44001, 1700000000000000ull, "first packet");
	udp(&b, 0, 1, 44002, 1700000000000001ull, "caf\xc3\xa9 \xe2\x82\xac");
	udp(&b, 0, 1, 44003, 1700000000000002ull, "two\nlines \"quoted\"");
	udp(&b, 0, 1, 44004, 1700000000000003ull, "bad \xff byte");
	udp(&b, 0, 1, 44005, 1700000000000004ull, NULL);
	n = ngb_udp_frame(f, 1, 44006, 3);
	ngb_pb(&b, 0, 1700000000000005ull, f, n, n, "obsolete packet block");
	save("comments.pcapng", &b);

	/* Interface clocks: microseconds, milliseconds with an offset, nanoseconds, 2^-20 s. */
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 262144, "usec", -1, 0);
	ngb_idb(&b, 1, 262144, "msec+1e9", 3, 1000000000);
	ngb_idb(&b, 1, 262144, "nsec", 9, 0);
	ngb_idb(&b, 1, 262144, "pow2", 0x80 | 20, 0);
	udp(&b, 0, 1, 45001, 700000000123456ull, NULL);
	udp(&b, 1, 1, 45002, 700000000123ull, NULL);
	udp(&b, 2, 1, 45003, 1700000000123456789ull, NULL);
	udp(&b, 3, 1, 45004, (1700000000ull << 20) | (1ull << 19), NULL);
	save("tsresol.pcapng", &b);

	/* Simple packet blocks (interface 0, snapshot 64), an EPB, and interface statistics. */
	ngb_shb(&b, false);
	ngb_idb(&b, 1, 64, "eth0", -1, 0);
	n = ngb_udp_frame(f, 1, 46001, 100);
	ngb_spb(&b, n, f, 64);
	n = ngb_udp_frame(f, 1, 46002, 4);
	ngb_spb(&b, n, f, n);
	udp(&b, 0, 1, 46003, 1700000000000000ull, NULL);
	ngb_isb(&b, 0, 10, 2, 5);
	save("spb-isb.pcapng", &b);

	/* Damaged: each after two good packets (offsets from 48 + 2 * 92 = 232 on). */
	good_two(&b);
	ngb_u32(&b, 6);
	ngb_u32(&b, 8);
	ngb_u32(&b, 8);
	save("bad-short-block.pcapng", &b);

	good_two(&b);
	at = b.len;
	udp(&b, 0, 1, 40003, 1700000001000000ull, NULL);
	ngb_poke32(&b, at + 4, 66);
	save("bad-unaligned-length.pcapng", &b);

	good_two(&b);
	udp(&b, 0, 1, 40003, 1700000001000000ull, NULL);
	ngb_poke32(&b, b.len - 4, 12);
	save("bad-trailer.pcapng", &b);

	good_two(&b);
	udp(&b, 0, 1, 40003, 1700000001000000ull, "x");
	ngb_poke32(&b, b.len - 16, 1u | 200u << 16); /* the comment claims 200 bytes */
	save("bad-option-overrun.pcapng", &b);

	good_two(&b);
	at = b.len;
	udp(&b, 0, 1, 40003, 1700000001000000ull, NULL);
	ngb_poke32(&b, at + 20, 1000); /* captured length */
	save("bad-caplen.pcapng", &b);

	good_two(&b);
	udp(&b, 5, 1, 40003, 1700000001000000ull, NULL);
	save("bad-interface.pcapng", &b);

	good_two(&b);
	ngb_shb(&b, false);
	udp(&b, 0, 1, 40003, 1700000001000000ull, NULL);
	save("bad-no-idb.pcapng", &b);

	good_two(&b);
	udp(&b, 0, 1, 40003, 1700000001000000ull, NULL);
	b.len -= 9;
	save("bad-cut-block.pcapng", &b);

	good_two(&b);
	ngb_u32(&b, 6);
	ngb_u16(&b, 80);
	save("bad-cut-header.pcapng", &b);

	good_two(&b);
	at = b.len;
	ngb_shb(&b, false);
	ngb_poke32(&b, at + 8, 0x01020304);
	save("bad-bom.pcapng", &b);

	good_two(&b);
	at = b.len;
	ngb_u32(&b, 1); /* an IDB with if_tsresol of two bytes */
	ngb_u32(&b, 32);
	ngb_u16(&b, 1);
	ngb_u16(&b, 0);
	ngb_u32(&b, 0);
	ngb_opt(&b, 9, "\x06\x06", 2);
	ngb_opt_end(&b);
	ngb_u32(&b, 32);
	save("bad-tsresol-length.pcapng", &b);

	ngb_shb_v(&b, false, 2, 0);
	ngb_idb(&b, 1, 262144, NULL, -1, 0);
	udp(&b, 0, 1, 40001, 1700000000000000ull, NULL);
	save("bad-version.pcapng", &b);
	return failures ? 1 : 0;
}
