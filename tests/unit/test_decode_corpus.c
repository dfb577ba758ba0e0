/* test_decode_corpus.c — every capture in the shared corpus decodes to the end; well-formed ones stay valid. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pktbuild.h"

/*
 * The corpus lives beside the repository (../shared/corpus from the repo root, where the runner runs);
 * a git worktree one level deeper finds it at ../../shared/corpus. SYNWATCH_CORPUS overrides both.
 */
static const char *corpus_dir(void)
{
	static const char *const candidates[] = { "../shared/corpus", "../../shared/corpus" };
	const char *env = getenv("SYNWATCH_CORPUS");
	struct stat st;
	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
		if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
			return candidates[i];
	return NULL;
}

struct corpus_stats {
	unsigned files, packets, invalid_ip; /* invalid_ip: packets invalid at IP/TCP/UDP/ICMP, ARP/DNS/HTTP */
	unsigned broken_invariants;          /* payload pointers/lengths outside the captured bytes */
};

static bool layer_is_ip_or_above(enum layer_id l)
{
	return l == LAYER_IPV4 || l == LAYER_IPV6 || l == LAYER_IPV6EXT || l == LAYER_TCP || l == LAYER_UDP ||
	       l == LAYER_ICMP || l == LAYER_ICMP6 || l == LAYER_ARP || l == LAYER_DNS || l == LAYER_HTTP;
}

/* Payload facts must stay inside the captured bytes, whatever the input. */
static bool payload_sane(const struct ip_layer *ip, const uint8_t *buf, uint32_t caplen)
{
	if (!(ip->have & HAVE_PAYLOAD))
		return true;
	if (ip->payload_cap > ip->payload_wire || ip->payload_cap > caplen)
		return false;
	if (!ip->payload) /* the capture cut the transport header: no payload byte was captured */
		return ip->payload_cap == 0;
	return ip->payload >= buf && ip->payload + ip->payload_cap <= buf + caplen;
}

/* Decode every packet of one file, each from a malloc'd copy of exactly caplen bytes. */
static void corpus_file(const char *dir, const char *name, bool well_formed, struct corpus_stats *s)
{
	char path[4096 + 512], err[PCAP_ERRBUF_SIZE];
	int w = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (w < 0 || (size_t)w >= sizeof path) {
		fprintf(stderr, "\ncorpus: path too long: %s/%s\n", dir, name);
		CU_FAIL("corpus path too long");
		return;
	}
	pcap_t *p = pcap_open_offline(path, err);
	if (!p) {
		if (well_formed) {
			fprintf(stderr, "\ncorpus: cannot open well-formed %s: %s\n", path, err);
			CU_FAIL("well-formed capture does not open");
		}
		return; /* libpcap refusing a malformed file is fine */
	}
	s->files++;
	int lt = pcap_datalink(p);
	struct pcap_pkthdr *h;
	const u_char *d;
	static struct packet pkt;
	unsigned n = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		uint8_t *buf = malloc(h->caplen ? h->caplen : 1);
		if (!buf)
			abort();
		memcpy(buf, d, h->caplen);
		decode_packet(&pkt, lt, buf, h->caplen, h->len);
		s->packets++;
		if (!payload_sane(&pkt.ip, buf, h->caplen) || (pkt.has_inner && !payload_sane(&pkt.inner, buf, h->caplen))) {
			fprintf(stderr, "\ncorpus: %s packet %u: payload outside the captured bytes\n", path, n);
			s->broken_invariants++;
		}
		if (well_formed && pkt.link_supported && pkt.status == DEC_INVALID &&
		    layer_is_ip_or_above(pkt.bad_layer)) {
			fprintf(stderr, "\ncorpus: well-formed %s packet %u invalid in %s: %s\n", path, n,
				layer_name(pkt.bad_layer), pkt.bad_field);
			s->invalid_ip++;
		}
		free(buf);
	}
	pcap_close(p);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every regular file of corpus/<sub>, in name order. */
static void corpus_folder(const char *sub, bool well_formed, struct corpus_stats *s)
{
	const char *root = corpus_dir();
	char dir[4096];
	int w = snprintf(dir, sizeof dir, "%s/%s", root, sub);
	if (w < 0 || (size_t)w >= sizeof dir) {
		CU_FAIL("corpus path too long");
		return;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "\ncorpus: %s missing\n", dir);
		CU_FAIL("corpus folder missing");
		return;
	}
	char *names[1024];
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) && nn < sizeof names / sizeof names[0])
		if (e->d_name[0] != '.')
			names[nn++] = strdup(e->d_name);
	closedir(d);
	qsort(names, nn, sizeof names[0], name_cmp);
	for (size_t i = 0; i < nn; i++) {
		corpus_file(dir, names[i], well_formed, s);
		free(names[i]);
	}
}

static void test_well_formed_corpus_is_valid_at_ip_and_above(void)
{
	if (!corpus_dir()) {
		fprintf(stderr, "\nnote: ../shared/corpus not found; corpus tests skipped (CI has it)\n");
		return;
	}
	/* Wireshark reports no malformed IP/TCP/UDP/ICMP, ARP, DNS or HTTP layer in any of these files (the two
	 * malformed AFS frames in afs.pcap are another application's), so nothing needs excluding. */
	struct corpus_stats s = { 0 };
	corpus_folder("well-formed", true, &s);
	fprintf(stderr, "\ncorpus: well-formed: %u files, %u packets\n", s.files, s.packets);
	CU_ASSERT(s.files > 0);
	CU_ASSERT(s.packets > 0);
	CU_ASSERT_EQUAL(s.invalid_ip, 0);
	CU_ASSERT_EQUAL(s.broken_invariants, 0);
}

static void test_malformed_corpus_decodes_to_the_end(void)
{
	if (!corpus_dir()) {
		fprintf(stderr, "\nnote: ../shared/corpus not found; corpus tests skipped (CI has it)\n");
		return;
	}
	/* Under AddressSanitizer (build/asan/unit_tests) any read past a packet's caplen aborts the run. */
	struct corpus_stats s = { 0 };
	corpus_folder("malformed", false, &s);
	fprintf(stderr, "\ncorpus: malformed: %u files, %u packets\n", s.files, s.packets);
	CU_ASSERT(s.files > 0);
	CU_ASSERT(s.packets > 0);
	CU_ASSERT_EQUAL(s.broken_invariants, 0);
}

int register_test_decode_corpus(void)
{
	CU_pSuite s = CU_add_suite("decode_corpus", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "well-formed corpus is valid at IP and above", test_well_formed_corpus_is_valid_at_ip_and_above) ||
	    !CU_add_test(s, "malformed corpus decodes to the end", test_malformed_corpus_decodes_to_the_end))
		return -1;
	return 0;
}
