/* seeds.c — fuzz seeds from captures (one file per packet), and a fuzz input back into a capture file. */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_decode.h"

#define SEEDS_PER_FILE 64 /* packets taken from each capture: enough for its handshakes and oddities */

static int usage(void)
{
	fprintf(stderr, "usage: seeds OUTDIR CAPTURE...    one seed file per packet (supported link types)\n"
			"       seeds --pcap INPUT OUT.pcap   a fuzz input as a one-packet capture\n");
	return 2;
}

/* The selector byte for a DLT value, or -1 when the harness does not feed that link type. */
static int selector_of(int dlt)
{
	for (size_t i = 0; i < FUZZ_NLINKTYPES; i++)
		if (fuzz_linktypes[i] == dlt)
			return (int)i;
	return -1;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int write_seed(const char *dir, const char *capture, unsigned n, int sel, const struct pcap_pkthdr *h,
		      const uint8_t *data)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s-%u", dir, base_name(capture), n);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "seeds: cannot write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t hdr[FZ_HDR_LEN] = { (uint8_t)sel, 0, 0, 0 };
	uint32_t d = h->len >= h->caplen ? h->len - h->caplen : h->caplen - h->len;
	if (h->len < h->caplen)
		hdr[1] |= FZ_LEN_BELOW;
	if (d > 65535)
		d = 65535;
	hdr[2] = (uint8_t)(d >> 8);
	hdr[3] = (uint8_t)d;
	int ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr && fwrite(data, 1, h->caplen, f) == h->caplen;
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "seeds: cannot write '%s'\n", path);
		return -1;
	}
	return 0;
}

#define MULTI_MAX 8000 /* bytes of a multi-packet seed (the fuzz runs cut inputs at 8192) */

static int write_multi(const char *dir, const char *capture, int sel, const uint8_t *pkts, size_t n)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s-multi", dir, base_name(capture));
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "seeds: cannot write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t hdr[FZ_HDR_LEN] = { (uint8_t)sel, FZ_MULTI, 0, 0 };
	int ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr && fwrite(pkts, 1, n, f) == n;
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "seeds: cannot write '%s'\n", path);
		return -1;
	}
	return 0;
}

/* Seeds from one capture; unreadable captures (the malformed corpus has several) are skipped quietly. */
static int seeds_from(const char *dir, const char *capture, unsigned *total)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(capture, err);
	if (!p)
		return 0;
	int sel = selector_of(pcap_datalink(p));
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0;
	int rc = 0;
	/* Besides one seed per packet, the first packets together as one FZ_MULTI seed (a whole handshake). */
	static uint8_t multi[MULTI_MAX];
	size_t mlen = 0;
	while (sel >= 0 && n < SEEDS_PER_FILE && pcap_next_ex(p, &h, &data) == 1) {
		if (write_seed(dir, capture, ++n, sel, h, data) != 0) {
			rc = -1;
			break;
		}
		if (h->caplen <= 65535 && mlen + 2 + h->caplen <= MULTI_MAX) {
			multi[mlen++] = (uint8_t)(h->caplen >> 8);
			multi[mlen++] = (uint8_t)h->caplen;
			memcpy(multi + mlen, data, h->caplen);
			mlen += h->caplen;
		}
	}
	if (rc == 0 && n > 1 && write_multi(dir, capture, sel, multi, mlen) != 0)
		rc = -1;
	*total += n;
	pcap_close(p);
	return rc;
}

static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }
static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }

/* One packet of a fuzz input, as the harness feeds it. */
struct fz_pkt {
	const uint8_t *data;
	uint32_t caplen, len;
	int64_t sec;
	uint32_t nsec;
};
#define FZ_MAX_PKTS FZ_MULTI_MAX

/*
 * A pcapng in the host's byte order from which libpcap hands over exactly each packet's ts_sec: one
 * interface per packet, with nanosecond if_tsresol and its seconds in if_tsoffset (a signed 64-bit count
 * of seconds) — the only way a capture file gives a reader seconds outside a classic pcap's 32 bits.
 */
static int write_pcapng(const char *out, int dlt, const struct fz_pkt *pk, size_t n)
{
	FILE *f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "seeds: cannot write '%s': %s\n", out, strerror(errno));
		return 1;
	}
	int linktype = dlt == 12 || dlt == 14 ? 101 : dlt; /* DLT_RAW is LINKTYPE_RAW in files */
	/* Section header block (pcapng §4.1): byte-order magic, version 1.0, section length unknown. */
	put32(f, 0x0a0d0d0a); put32(f, 28); put32(f, 0x1a2b3c4d); put16(f, 1); put16(f, 0);
	put32(f, 0xffffffff); put32(f, 0xffffffff); put32(f, 28);
	for (size_t i = 0; i < n; i++) {
		/* Interface description block (§4.2): if_tsresol 9 (ns), if_tsoffset sec, end of options. */
		uint64_t sec = (uint64_t)pk[i].sec;
		put32(f, 1); put32(f, 44); put16(f, (uint16_t)linktype); put16(f, 0); put32(f, 262144);
		put16(f, 9); put16(f, 1); put32(f, 9);
		put16(f, 14); put16(f, 8); put32(f, (uint32_t)sec); put32(f, (uint32_t)(sec >> 32));
		put32(f, 0); put32(f, 44);
	}
	for (size_t i = 0; i < n; i++) {
		/* Enhanced packet block (§4.3): its own interface, the fraction in ns, the bytes padded to 4. */
		uint32_t padded = (pk[i].caplen + 3u) & ~3u, blen = 32 + padded;
		uint32_t ts = pk[i].nsec % 1000000000u;
		put32(f, 6); put32(f, blen); put32(f, (uint32_t)i); put32(f, 0); put32(f, ts);
		put32(f, pk[i].caplen); put32(f, pk[i].len);
		fwrite(pk[i].data, 1, pk[i].caplen, f);
		for (uint32_t k = pk[i].caplen; k < padded; k++)
			fputc(0, f);
		put32(f, blen);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "seeds: cannot write '%s'\n", out);
		return 1;
	}
	return 0;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * A fuzz input as the capture it stands for, read from a fresh harness (clock at FZ_CLOCK_START): its
 * link type, lengths and timestamps. A classic pcap (nanosecond) when every second fits its 32 bits
 * (any 32-bit fraction, even >= 10^9, is kept as the harness had it), else a pcapng.
 */
static int to_pcap(const char *in, const char *out)
{
	static uint8_t buf[1 << 20];
	static struct fz_pkt pk[FZ_MAX_PKTS];
	FILE *f = fopen(in, "rb");
	if (!f) {
		fprintf(stderr, "seeds: cannot read '%s': %s\n", in, strerror(errno));
		return 1;
	}
	size_t size = fread(buf, 1, sizeof buf, f);
	fclose(f);
	const uint8_t *p = buf;
	uint8_t hdr[FZ_HDR_LEN] = { 0 };
	size_t h = size < FZ_HDR_LEN ? size : FZ_HDR_LEN;
	memcpy(hdr, p, h);
	p += h;
	size -= h;
	int dlt = fuzz_linktypes[hdr[0] % FUZZ_NLINKTYPES];
	unsigned flags = hdr[1], step = (flags & FZ_STEP_MASK) >> FZ_STEP_SHIFT;
	uint32_t d = (uint32_t)hdr[2] << 8 | hdr[3];
	int64_t sec = FZ_CLOCK_START;
	uint32_t nsec = 0;
	if ((flags & FZ_WILD_TIME) && size >= FZ_WILD_LEN) {
		sec = (int64_t)((uint64_t)rd32(p) << 32 | rd32(p + 4));
		nsec = rd32(p + 8);
		p += FZ_WILD_LEN;
		size -= FZ_WILD_LEN;
	} else {
		fz_clock_step(&sec, &nsec, step, flags & FZ_BACKWARDS);
	}
	size_t n = 0;
	bool classic = true;
	for (bool first = true; n < FZ_MAX_PKTS && (first || size > 0); first = false) {
		size_t c = size;
		if (flags & FZ_MULTI) {
			c = size >= 2 ? (size_t)(p[0] << 8 | p[1]) : 0;
			size_t skip = size >= 2 ? 2 : size;
			p += skip;
			size -= skip;
			if (c > size)
				c = size;
			if (!first)
				fz_clock_step(&sec, &nsec, step, flags & FZ_BACKWARDS);
		}
		pk[n] = (struct fz_pkt){ p, (uint32_t)c, 0, sec, nsec };
		pk[n].len = (flags & FZ_LEN_BELOW) ? (pk[n].caplen > d ? pk[n].caplen - d : 0) : pk[n].caplen + d;
		classic = classic && sec >= 0 && sec <= (int64_t)UINT32_MAX;
		n++;
		p += c;
		size -= c;
		if (!(flags & FZ_MULTI))
			break;
	}
	if (!classic)
		return write_pcapng(out, dlt, pk, n);
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, 262144, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *dump = dead ? pcap_dump_open(dead, out) : NULL;
	if (!dump) {
		fprintf(stderr, "seeds: cannot write '%s': %s\n", out, dead ? pcap_geterr(dead) : "out of memory");
		if (dead)
			pcap_close(dead);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr ph = { .ts = { (time_t)pk[i].sec, (suseconds_t)pk[i].nsec }, .caplen = pk[i].caplen,
					  .len = pk[i].len };
		pcap_dump((u_char *)dump, &ph, pk[i].data);
	}
	pcap_dump_close(dump);
	pcap_close(dead);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--pcap") == 0)
		return to_pcap(argv[2], argv[3]);
	if (argc < 2 || argv[1][0] == '-')
		return usage();
	unsigned total = 0;
	for (int i = 2; i < argc; i++)
		if (seeds_from(argv[1], argv[i], &total) != 0)
			return 1;
	printf("seeds: %u packets from %d captures into %s\n", total, argc - 2, argv[1]);
	return 0;
}
