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
	while (sel >= 0 && n < SEEDS_PER_FILE && pcap_next_ex(p, &h, &data) == 1) {
		if (write_seed(dir, capture, ++n, sel, h, data) != 0) {
			rc = -1;
			break;
		}
	}
	*total += n;
	pcap_close(p);
	return rc;
}

static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }
static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }

/*
 * A one-packet pcapng in the host's byte order whose timestamp libpcap turns into ts_sec = sec exactly
 * (nanosecond if_tsresol; if_tsoffset, a signed 64-bit count of seconds, carries sec): the only way a
 * capture file hands a reader seconds outside the 32 bits of a classic pcap record.
 */
static int write_pcapng(const char *out, int dlt, int64_t sec, uint32_t nsec, const uint8_t *data, uint32_t caplen,
			uint32_t len)
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
	/* Interface description block (§4.2): if_tsresol 9 (ns), if_tsoffset sec, end of options. */
	put32(f, 1); put32(f, 44); put16(f, (uint16_t)linktype); put16(f, 0); put32(f, 262144);
	put16(f, 9); put16(f, 1); put32(f, 9);
	put16(f, 14); put16(f, 8); put32(f, (uint32_t)(uint64_t)sec); put32(f, (uint32_t)((uint64_t)sec >> 32));
	put32(f, 0); put32(f, 44);
	/* Enhanced packet block (§4.3): interface 0, timestamp nsec (in ns units), the bytes padded to 4. */
	uint32_t padded = (caplen + 3u) & ~3u, blen = 32 + padded;
	uint64_t ts = nsec % 1000000000u;
	put32(f, 6); put32(f, blen); put32(f, 0); put32(f, (uint32_t)(ts >> 32)); put32(f, (uint32_t)ts);
	put32(f, caplen); put32(f, len);
	fwrite(data, 1, caplen, f);
	for (uint32_t i = caplen; i < padded; i++)
		fputc(0, f);
	put32(f, blen);
	if (fclose(f) != 0) {
		fprintf(stderr, "seeds: cannot write '%s'\n", out);
		return 1;
	}
	return 0;
}

/*
 * A fuzz input as a capture of one packet: its link type, lengths and (when set) its wild timestamp; a
 * classic pcap when the seconds fit its 32 bits (any fraction, even >= 10^9, is kept), else a pcapng.
 */
static int to_pcap(const char *in, const char *out)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen(in, "rb");
	if (!f) {
		fprintf(stderr, "seeds: cannot read '%s': %s\n", in, strerror(errno));
		return 1;
	}
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	uint8_t hdr[FZ_HDR_LEN] = { 0 };
	memcpy(hdr, buf, n < FZ_HDR_LEN ? n : FZ_HDR_LEN);
	size_t off = n < FZ_HDR_LEN ? n : FZ_HDR_LEN;
	struct pcap_pkthdr h = { .ts = { 1700000000, 0 } };
	int dlt = fuzz_linktypes[hdr[0] % FUZZ_NLINKTYPES];
	bool wild = (hdr[1] & FZ_WILD_TIME) && n - off >= FZ_WILD_LEN;
	int64_t sec = 0;
	uint32_t nsec = 0;
	if (wild) {
		const uint8_t *w = buf + off;
		sec = (int64_t)((uint64_t)((uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3]) << 32 |
				(uint32_t)w[4] << 24 | (uint32_t)w[5] << 16 | (uint32_t)w[6] << 8 | w[7]);
		nsec = (uint32_t)w[8] << 24 | (uint32_t)w[9] << 16 | (uint32_t)w[10] << 8 | w[11];
		off += FZ_WILD_LEN;
		h.ts.tv_sec = (time_t)sec;
		h.ts.tv_usec = (suseconds_t)nsec;
	}
	h.caplen = (uint32_t)(n - off);
	uint32_t d = (uint32_t)hdr[2] << 8 | hdr[3];
	h.len = (hdr[1] & FZ_LEN_BELOW) ? (h.caplen > d ? h.caplen - d : 0) : h.caplen + d;
	if (wild && (sec < 0 || sec > (int64_t)UINT32_MAX))
		return write_pcapng(out, dlt, sec, nsec, buf + off, h.caplen, h.len);
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, 262144, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *dump = dead ? pcap_dump_open(dead, out) : NULL;
	if (!dump) {
		fprintf(stderr, "seeds: cannot write '%s': %s\n", out, dead ? pcap_geterr(dead) : "out of memory");
		if (dead)
			pcap_close(dead);
		return 1;
	}
	pcap_dump((u_char *)dump, &h, buf + off);
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
