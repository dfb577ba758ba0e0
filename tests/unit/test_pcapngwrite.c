/* test_pcapngwrite.c — the pcapng writer read back by our own reader: section, interfaces, packets with comments, custom blocks, statistics, and a write that fails part-way. */
#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/capbuf.h"
#include "source/pcapng.h"
#include "source/pcapngwrite.h"

static char dir[] = "/tmp/synwatch-ngw-XXXXXX";
static char path[64];

/* Our reader over the file at path (the caller closes both). */
static struct pcapng *open_back(int *fd)
{
	*fd = open(path, O_RDONLY);
	CU_ASSERT_FATAL(*fd >= 0);
	struct capbuf cb;
	CU_ASSERT_FATAL(capbuf_init(&cb, *fd, CAPBUF_BYTES));
	char err[400];
	struct pcapng *ng = pcapng_attach(&cb, err, sizeof err);
	if (!ng)
		fprintf(stderr, "\n%s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ng);
	return ng;
}

/* Two interfaces of their own link type, name and resolution; packets with and without comments at both
   resolutions; custom blocks between them; statistics at the end: all read back as written, in order. */
static void test_a_written_file_reads_back_whole_through_our_reader(void)
{
	snprintf(path, sizeof path, "%s/rt.pcapng", dir);
	struct pcapngw_section sec = { "synwatch test", "a section comment" };
	char why[256];
	struct pcapngw *w = pcapngw_open(path, &sec, why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	int lo = pcapngw_iface(w, DLT_EN10MB, "lo", true, 262144, "tcp port 80");
	int raw = pcapngw_iface(w, DLT_RAW, NULL, false, 100, NULL);
	CU_ASSERT_EQUAL(lo, 0);
	CU_ASSERT_EQUAL(raw, 1);
	/* the same link type, name and resolution: the same interface */
	CU_ASSERT_EQUAL(pcapngw_iface(w, DLT_EN10MB, "lo", true, 262144, "tcp port 80"), 0);
	CU_ASSERT_EQUAL(pcapngw_iface(w, DLT_RAW, NULL, false, 100, NULL), 1);
	CU_ASSERT_EQUAL(pcapngw_ifaces(w), 2);

	uint8_t a[61], b[20];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (uint8_t)(i * 7 + 1);
	memset(b, 0x45, sizeof b);
	static const char note[] = "connect() by client pid 4712; client CLOSED\u2192SYN-SENT";
	const uint8_t cdata[] = "SWL1 custom data, 27 bytes";
	pcapngw_custom(w, cdata, 27);
	pcapngw_packet(w, lo, 1700000000123456789LL, sizeof a, 1500, a, note, strlen(note));
	pcapngw_packet(w, raw, 1700000001987654321LL, sizeof b, sizeof b, b, NULL, 0);
	pcapngw_custom(w, cdata, 5);
	pcapngw_packet(w, lo, 1700000002000000001LL, sizeof b, sizeof b, b, "", 0); /* an empty comment */
	struct pcapngw_stats st = { PCAPNG_ISB_IFRECV | PCAPNG_ISB_OSDROP, 10, 0, 3 };
	pcapngw_stats(w, lo, 1700000003000000000LL, &st);
	struct pcapngw_stats none = { 0 };
	pcapngw_stats(w, raw, 1700000003000000000LL, &none);
	CU_ASSERT_EQUAL(pcapngw_packets(w), 3);
	CU_ASSERT_TRUE(pcapngw_close(w));

	int fd;
	struct pcapng *ng = open_back(&fd);
	struct caprec r;
	const uint8_t *d;
	size_t len;
	uint64_t off;
	CU_ASSERT_EQUAL_FATAL(pcapng_next(ng, &r), 1);
	CU_ASSERT_EQUAL(r.ts_sec, 1700000000);
	CU_ASSERT_EQUAL(r.ts_frac, 123456789u); /* nanoseconds kept */
	CU_ASSERT(r.caplen == sizeof a && r.len == 1500 && memcmp(r.data, a, sizeof a) == 0);
	CU_ASSERT_EQUAL(r.linktype, DLT_EN10MB);
	CU_ASSERT_STRING_EQUAL(r.iface->name, "lo");
	CU_ASSERT_TRUE(r.iface->nano);
	CU_ASSERT(r.comment && r.comment_len == strlen(note) && memcmp(r.comment, note, r.comment_len) == 0);
	/* the custom block before it waits to be taken, with its data as written */
	CU_ASSERT_TRUE_FATAL(pcapng_custom_next(ng, &d, &len, &off));
	CU_ASSERT(len == 28 && memcmp(d, cdata, 27) == 0 && d[27] == 0); /* padded to 4 bytes with a zero */
	CU_ASSERT_FALSE(pcapng_custom_next(ng, &d, &len, &off));
	CU_ASSERT_EQUAL_FATAL(pcapng_next(ng, &r), 1);
	CU_ASSERT(r.ts_sec == 1700000001 && r.ts_frac == 987654000u); /* microseconds: the rest is cut */
	CU_ASSERT(r.linktype == DLT_RAW && r.iface->name == NULL && !r.iface->nano && r.comment == NULL);
	CU_ASSERT(r.caplen == sizeof b && memcmp(r.data, b, sizeof b) == 0);
	CU_ASSERT_EQUAL_FATAL(pcapng_next(ng, &r), 1);
	CU_ASSERT(r.comment != NULL && r.comment_len == 0);
	CU_ASSERT_TRUE_FATAL(pcapng_custom_next(ng, &d, &len, &off));
	CU_ASSERT(len == 8 && memcmp(d, cdata, 5) == 0);
	CU_ASSERT_EQUAL(pcapng_next(ng, &r), 0); /* the clean end, after the statistics */
	CU_ASSERT_EQUAL(pcapng_ifaces(ng), 2);
	const struct pcapng_iface *f = pcapng_iface(ng, 0);
	CU_ASSERT_EQUAL(f->snaplen, 262144);
	CU_ASSERT_EQUAL(f->stats.blocks, 1);
	CU_ASSERT_EQUAL(f->stats.have, PCAPNG_ISB_IFRECV | PCAPNG_ISB_OSDROP | PCAPNG_ISB_USRDELIV);
	CU_ASSERT(f->stats.ifrecv == 10 && f->stats.osdrop == 3 && f->stats.usrdeliv == 2);
	CU_ASSERT_EQUAL(pcapng_iface(ng, 1)->stats.usrdeliv, 1);
	CU_ASSERT_EQUAL(pcapng_sections(ng), 1);
	pcapng_close(ng);
	close(fd);
	unlink(path);
}

/* A write that fails part-way (here the file size limit, as a full disk would) leaves the file cut back to
   whole blocks: our reader reads every packet before the failure and ends cleanly; nothing follows. */
static void test_a_failed_write_leaves_whole_blocks(void)
{
	snprintf(path, sizeof path, "%s/cut.pcapng", dir);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 5000, 5000 };
		setrlimit(RLIMIT_FSIZE, &rl);
		struct pcapngw_section sec = { "synwatch test", NULL };
		char why[256];
		struct pcapngw *w = pcapngw_open(path, &sec, why, sizeof why);
		if (!w)
			_exit(2);
		int id = pcapngw_iface(w, DLT_EN10MB, "lo", false, 65535, NULL);
		uint8_t p[300] = { 0 };
		for (int i = 0; i < 40; i++) { /* 40 blocks of 332 bytes: 13 KB, more than the limit */
			p[0] = (uint8_t)i;
			pcapngw_packet(w, id, 1000000000LL * (i + 1), sizeof p, sizeof p, p, NULL, 0);
		}
		bool ok = pcapngw_close(w);
		_exit(ok ? 3 : 0);
	}
	int st;
	CU_ASSERT_FATAL(waitpid(pid, &st, 0) == pid);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* the close said the writing failed */
	struct stat sb;
	CU_ASSERT_FATAL(stat(path, &sb) == 0);
	CU_ASSERT(sb.st_size > 0 && sb.st_size <= 5000);
	int fd;
	struct pcapng *ng = open_back(&fd);
	struct caprec r;
	int n = 0, rc;
	while ((rc = pcapng_next(ng, &r)) == 1) {
		CU_ASSERT_EQUAL(r.data[0], n);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(n >= 10 && n < 40);
	pcapng_close(ng);
	close(fd);
	unlink(path);
}

/* A path that cannot be created: NULL with the reason, and no file left. */
static void test_an_unwritable_path_is_refused_with_its_reason(void)
{
	char bad[96];
	snprintf(bad, sizeof bad, "%s/no/such/dir.pcapng", dir);
	struct pcapngw_section sec = { "synwatch test", NULL };
	char why[256];
	CU_ASSERT_PTR_NULL(pcapngw_open(bad, &sec, why, sizeof why));
	CU_ASSERT_STRING_EQUAL(why, "No such file or directory");
	CU_ASSERT_EQUAL(access(bad, F_OK), -1);
}

static int suite_init(void)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
	return rmdir(dir);
}

int register_test_pcapngwrite(void)
{
	CU_pSuite s = CU_add_suite("pcapngwrite", suite_init, suite_clean);
	if (!s)
		return -1;
	if (!CU_add_test(s, "a written file reads back whole through our reader",
			 test_a_written_file_reads_back_whole_through_our_reader) ||
	    !CU_add_test(s, "a failed write leaves whole blocks", test_a_failed_write_leaves_whole_blocks) ||
	    !CU_add_test(s, "an unwritable path is refused with its reason", test_an_unwritable_path_is_refused_with_its_reason))
		return -1;
	return 0;
}
