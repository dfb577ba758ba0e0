/* fuzz_pcapng.c — libFuzzer harness: the pcapng reader on a whole file per input, from a file, a pipe and a small buffer, then decode and views. */
/*
 * Each input is a capture file. It is read three ways, which must hand out the same records:
 *   1. from a memory file (pread) with a buffer larger than any input, nothing held back;
 *   2. from a pipe (read), as `synwatch -r -` does;
 *   3. from the memory file with a 4 KiB buffer while the last HELD records are kept, as the pipeline's
 *      ring keeps them (so the buffer restarts, waits for releases and refuses blocks that cannot fit).
 * Every record of the first read is decoded with its interface's link type, tracked and written by the
 * text and JSON views (to /dev/null), as pipeline_next() and run_batch() do, and synwatch's custom blocks
 * kept beside them are read as a lesson's (calls/lesson.h), as `-r LESSON.pcapng` does. Any difference
 * between the reads, a record whose bytes changed while held, or a refused lesson block with no reason,
 * aborts.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "calls/lesson.h"
#include "decode/decode.h"
#include "source/capbuf.h"
#include "source/pcapng.h"
#include "track/flow.h"
#include "view/obuf.h"
#include "view/view.h"

#define MAX_RECS 4096 /* records compared per input (an 8 KiB input holds far fewer) */
#define HELD 8        /* records the third read keeps, as the pipeline's ring does */
#define SMALL_BUF 4096
#define LARGE_BUF (256u << 10) /* more than any input; the reader's own 8 MiB would cost ASan more than the reads */

/* A record as the comparison needs it: no pointers into a buffer that moves on. */
struct rec_sum {
	int64_t ts_sec;
	uint32_t ts_frac, caplen, len, comment_len;
	uint64_t offset, data_hash;
	int linktype;
	uint32_t ifindex;
};

static struct {
	bool ready;
	struct flow_table *flows;
	struct obuf out;
	struct packet pkt;
	uint64_t n;
	struct rec_sum a[MAX_RECS], b[MAX_RECS], c[MAX_RECS];
} fz;

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static void summarize(struct rec_sum *s, const struct caprec *r)
{
	s->ts_sec = r->ts_sec;
	s->ts_frac = r->ts_frac;
	s->caplen = r->caplen;
	s->len = r->len;
	s->comment_len = r->comment ? r->comment_len : 0;
	s->offset = r->offset;
	s->data_hash = hash(r->data, r->caplen) ^ (r->comment ? hash((const uint8_t *)r->comment, r->comment_len) : 0);
	s->linktype = r->linktype;
	s->ifindex = r->iface ? r->iface->index : UINT32_MAX;
	if (!r->iface || r->iface->linktype != r->linktype || r->ts_frac >= 1000000000u)
		abort();
}

/* One record as the pipeline handles it: decode with its link type, track, both views. */
static void use(const struct caprec *r)
{
	struct packet *p = &fz.pkt;
	struct track_result tr;
	decode_packet(p, r->linktype, r->data, r->caplen, r->len);
	p->iface = r->iface;
	p->iface_several = r->iface_several;
	p->comment = r->comment;
	p->comment_len = r->comment_len;
	p->n = ++fz.n;
	p->ts_sec = r->ts_sec;
	p->ts_nsec = r->ts_frac;
	flow_track(fz.flows, p, &tr);
	view_text_packet(&fz.out, p, &tr, r->iface->nano);
	view_json_packet(&fz.out, p, &tr, true);
	obuf_maybe_flush(&fz.out);
}

/* The lesson blocks kept so far, read as the lesson source reads them. */
static void lessons(struct pcapng *ng)
{
	const uint8_t *d;
	size_t len;
	uint64_t off;
	struct lesson_block lb;
	char err[256];
	while (pcapng_custom_next(ng, &d, &len, &off))
		if (lesson_decode(d, len, &lb, err, sizeof err) < 0 && !err[0])
			abort(); /* a refusal says why */
}

/*
 * Read fd through a buffer of bufsize bytes into sum[]; held: keep the last HELD records (releasing only
 * what is older) and check that their bytes stay put. Returns the number of records; *end the outcome
 * that stopped it (0 the end, PCAPNG_BAD, or -100 when the header was refused).
 */
static size_t read_fd(int fd, size_t bufsize, bool held, bool decode, struct rec_sum *sum, int *end)
{
	struct capbuf b;
	if (!capbuf_init(&b, fd, bufsize))
		abort();
	char err[512];
	struct pcapng *ng = pcapng_attach(&b, err, sizeof err);
	if (!ng) {
		if (!err[0])
			abort(); /* a refusal says why */
		*end = -100;
		return 0;
	}
	struct caprec ring[HELD];
	uint64_t kept_hash[HELD];
	size_t n = 0, lo = 0; /* records [lo, n) are held */
	int rc;
	for (;;) {
		struct caprec *r = &ring[n % HELD];
		rc = pcapng_next(ng, r);
		if (rc == PCAPNG_FULL && held && n > 0) {
			/* the pipeline emits what it holds: release all but the newest, then ask again */
			lo = n - 1;
			pcapng_release(ng, ring[lo % HELD].offset);
			rc = pcapng_next(ng, r);
		}
		if (decode)
			lessons(ng);
		if (rc != 1)
			break;
		if (n < MAX_RECS)
			summarize(&sum[n], r);
		kept_hash[n % HELD] = hash(r->data, r->caplen);
		if (decode)
			use(r);
		n++;
		if (held) {
			if (n >= HELD && lo < n - (HELD - 1)) { /* keep HELD - 1: the next read takes the oldest slot */
				lo = n - (HELD - 1);
				pcapng_release(ng, ring[lo % HELD].offset);
			}
			for (size_t k = lo; k < n; k++)
				if (hash(ring[k % HELD].data, ring[k % HELD].caplen) != kept_hash[k % HELD])
					abort(); /* a held record was read over */
		} else {
			pcapng_release(ng, pcapng_offset(ng));
		}
	}
	if (rc == PCAPNG_BAD && !pcapng_error(ng)[0])
		abort(); /* a failure says why */
	if (rc == PCAPNG_BAD && pcapng_next(ng, &ring[0]) != PCAPNG_BAD)
		abort(); /* and stays a failure */
	*end = rc;
	pcapng_close(ng);
	return n < MAX_RECS ? n : MAX_RECS;
}

static bool same(const struct rec_sum *x, const struct rec_sum *y, size_t n)
{
	return memcmp(x, y, n * sizeof *x) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz.ready) {
		fz.flows = flowtab_new(4096);
		int null = open("/dev/null", O_WRONLY);
		if (!fz.flows || null < 0)
			abort();
		obuf_init(&fz.out, null);
		fz.ready = true;
	}
	if (size < 4 || memcmp(data, "\x0a\x0d\x0d\x0a", 4) != 0 || size > 60000)
		return 0; /* not pcapng (synwatch gives other files to other readers); a pipe holds 64 KiB */
	int mem = memfd_create("fuzz", MFD_CLOEXEC);
	if (mem < 0 || write(mem, data, size) != (ssize_t)size)
		abort();
	int end_a, end_b, end_c;
	size_t na = read_fd(mem, LARGE_BUF, false, true, fz.a, &end_a);

	int fds[2];
	if (pipe(fds) != 0 || write(fds[1], data, size) != (ssize_t)size)
		abort();
	close(fds[1]);
	size_t nb = read_fd(fds[0], LARGE_BUF, false, false, fz.b, &end_b);
	close(fds[0]);
	if (na != nb || end_a != end_b || !same(fz.a, fz.b, na))
		abort(); /* a pipe reads as the file does */

	size_t nc = read_fd(mem, SMALL_BUF, true, false, fz.c, &end_c);
	close(mem);
	/* A small buffer may refuse a block the large one takes (PCAPNG_BAD), or find no room beside the
	   records held (PCAPNG_FULL); up to there, the same records; to the end, the same end. */
	if (nc > na || !same(fz.a, fz.c, nc) || (end_c == 0 && (nc != na || end_a != 0)) ||
	    ((end_c == -100) != (end_a == -100)))
		abort();
	return 0;
}
