/* store.c — the packet store's index: rows in chunks, socket calls, the flow directory, one flow's rows, reading a row back. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/grow.h"
#include "common/hugemem.h"
#include "decode/decode.h"
#include "source/capbuf.h"
#include "source/pcapfile.h"

#define CHUNK_BITS 17
#define CHUNK_ROWS (1u << CHUNK_BITS)   /* rows per chunk: 2 MiB of index, one huge page (hugemem.h) */
#define TBLOCK 64                       /* rows per latest-time entry */
#define FCHUNK_BITS 17
#define FCHUNK (1u << FCHUNK_BITS)      /* flow directory entries per chunk (2 MiB, one huge page) */
#define PCAP_REC_HDR 16
#define WIN_RAND (512u << 10)           /* reads for rows shown: at least the largest record */
#define WIN_SEQ (4u << 20)              /* reads for a pass over every row */
#define CHECK_NS (100 * 1000000LL)      /* the file's size and inode are looked at this often at most */

_Static_assert(TCPS_COUNT <= 16, "a row keeps each end's TCP state in 4 bits");

struct chunk {
	struct store_row *rows;   /* CHUNK_ROWS rows, then their flow ids: one huge page (CHUNK_MEM) */
	uint32_t *flow;
	int64_t tmax[CHUNK_ROWS / TBLOCK]; /* the latest time of the rows up to the end of each block of 64 */
};
#define CHUNK_MEM ((size_t)CHUNK_ROWS * (sizeof(struct store_row) + sizeof(uint32_t)))
_Static_assert(CHUNK_MEM == HUGEMEM_PAGE, "a chunk's rows and flow ids fill one huge page");

/* A flow the tracker let go, as the directory keeps it (128 bytes). */
struct flowrec {
	struct flow_key key;
	uint8_t state[2];
	int8_t closed_first;
	uint8_t end;
	uint8_t client_side;      /* key side (0 or 1) of the client */
	uint8_t bits;             /* 1 client_guessed, 2 state_inferred, 12 isn_known << 2 */
	uint32_t icmp_errors;
	uint32_t isn[2];
	uint64_t pkts[2], bytes[2];
	int64_t first_ns, last_ns;
	struct zeek_conn zeek;
};

struct fdir {
	const struct flow *live;  /* the tracker's record while it has the flow */
	struct flowrec *rec;      /* the copy once it let it go, else NULL */
};
_Static_assert(FCHUNK * sizeof(struct fdir) == HUGEMEM_PAGE, "a flow directory chunk fills one huge page");

/* Bytes of the file read ahead: [off, off + len) at buf. */
struct win {
	uint8_t *buf;
	size_t cap, len;
	uint64_t off;
};

struct dupn {
	uint64_t row;
	uint32_t n;
};

struct store {
	enum store_kind kind;
	/* rows */
	struct chunk **ch;        /* chunk k holds rows [k << CHUNK_BITS, ...); NULL before `first`'s */
	struct chunk *spare;      /* a chunk let go, for the next one: a live session's rows come and go at the
				     spool's pace, and a fresh huge page is a fault that zeroes 2 MiB */
	size_t nch, capch;
	uint64_t first, end;
	int64_t tmax_run;         /* the latest time so far (for tmax) */
	/* socket calls: slots [calls_next - kept, calls_next) are held, slot s in calls[s % KEPT] */
	struct store_call *calls;
	uint64_t calls_next;
	uint64_t *call_rows;      /* every call's row, ascending (packet numbers count the rows between) */
	size_t ncall_rows, capcall_rows;
	struct dupn *dups;        /* duplicate ACK numbers of 255 and more */
	size_t ndups, capdups;
	/* flows */
	struct fdir **fd;         /* id i at fd[(i - 1) >> FCHUNK_BITS][(i - 1) & (FCHUNK - 1)] */
	size_t nfd;
	uint64_t nflows;
	/* the bytes */
	struct spool *sp;
	int fdesc;                /* STORE_FILE */
	char path[512];
	struct store_pcapfmt fmt;
	dev_t dev;
	ino_t ino;
	uint64_t size_seen;       /* the file was at least this long when last looked at */
	int64_t checked;          /* when the file was last looked at (monotonic ns) */
	char problem[1024];
	struct win rand, seq;     /* reads for rows shown, reads for a pass over every row */
};

/* ---------------------------------------------------------------- set-up ---- */

static void chunk_free(struct chunk *c)
{
	if (!c)
		return;
	hugemem_free(c->rows, CHUNK_MEM);
	free(c);
}

static struct chunk *chunk_new(void)
{
	struct chunk *c = malloc(sizeof *c);
	uint8_t *mem = hugemem_alloc(CHUNK_MEM);
	if (!c || !mem) {
		free(c);
		hugemem_free(mem, CHUNK_MEM);
		return NULL;
	}
	c->rows = (struct store_row *)mem;
	c->flow = (uint32_t *)(mem + CHUNK_ROWS * sizeof *c->rows);
	return c;
}

static struct store *store_new(enum store_kind kind)
{
	struct store *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->kind = kind;
	st->fdesc = -1;
	st->tmax_run = INT64_MIN;
	return st;
}

struct store *store_open_file(const char *path, const struct store_pcapfmt *fmt, char *err, size_t errlen)
{
	struct store *st = store_new(STORE_FILE);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct stat sb;
	st->fdesc = open(path, O_RDONLY | O_CLOEXEC);
	if (st->fdesc < 0 || fstat(st->fdesc, &sb) != 0) {
		snprintf(err, errlen, "cannot open '%s' again for reading: %s", path, strerror(errno));
		store_close(st);
		return NULL;
	}
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	st->size_seen = (uint64_t)sb.st_size;
	st->fmt = *fmt;
	snprintf(st->path, sizeof st->path, "%s", path);
	st->rand.cap = WIN_RAND;
	st->seq.cap = WIN_SEQ;
	st->rand.buf = malloc(WIN_RAND);
	st->seq.buf = malloc(WIN_SEQ);
	if (!st->rand.buf || !st->seq.buf) {
		snprintf(err, errlen, "out of memory");
		store_close(st);
		return NULL;
	}
	st->checked = clock_mono_ns();
	return st;
}

struct store *store_open_spool(struct spool *sp)
{
	struct store *st = store_new(STORE_SPOOL);
	if (st)
		st->sp = sp;
	return st;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nch; i++)
		chunk_free(st->ch[i]);
	free(st->ch);
	chunk_free(st->spare);
	free(st->calls);
	free(st->call_rows);
	free(st->dups);
	for (size_t i = 0; i < st->nfd; i++) {
		if (!st->fd[i])
			continue;
		for (size_t j = 0; j < FCHUNK; j++)
			free(st->fd[i][j].rec);
		hugemem_free(st->fd[i], FCHUNK * sizeof **st->fd);
	}
	free(st->fd);
	if (st->fdesc >= 0)
		close(st->fdesc);
	free(st->rand.buf);
	free(st->seq.buf);
	free(st);
}

enum store_kind store_kind(const struct store *st)
{
	return st->kind;
}

/* ---------------------------------------------------------------- rows ---- */

void store_facts_from(struct store_facts *f, const struct track_result *tr)
{
	memset(f, 0, sizeof *f);
	if (!tr || !tr->flow)
		return;
	f->flow_id = tr->flow->id;
	f->dir = (uint8_t)tr->dir;
	for (int i = 0; i < 2; i++) {
		f->before[i] = (uint8_t)tr->before[i];
		f->after[i] = (uint8_t)tr->after[i];
	}
	f->events = tr->events;
	f->dup_ack_n = tr->dup_ack_n;
	f->have_rel = tr->have_rel;
	f->have_win_scale = tr->have_win_scale;
	f->win_shift = tr->win_shift;
}

/* The slot for the next row (a new chunk when it begins one); NULL when out of memory. */
static struct chunk *store_grow(struct store *st)
{
	size_t k = (size_t)(st->end >> CHUNK_BITS);
	struct chunk **n = grow_zeroed(st->ch, &st->capch, k, 64, sizeof *n);
	if (!n)
		return NULL;
	st->ch = n;
	if (!st->ch[k]) {
		st->ch[k] = st->spare ? st->spare : chunk_new();
		st->spare = NULL;
		if (!st->ch[k])
			return NULL;
		if (k + 1 > st->nch)
			st->nch = k + 1;
	}
	return st->ch[k];
}

static struct store_row *store_slot(const struct store *st, uint64_t row, uint32_t **flow)
{
	struct chunk *c = st->ch[row >> CHUNK_BITS];
	size_t i = (size_t)(row & (CHUNK_ROWS - 1));
	if (flow)
		*flow = &c->flow[i];
	return &c->rows[i];
}

static void store_settime(struct store *st, int64_t ts_ns)
{
	if (ts_ns > st->tmax_run)
		st->tmax_run = ts_ns;
	struct chunk *c = st->ch[st->end >> CHUNK_BITS];
	c->tmax[(st->end & (CHUNK_ROWS - 1)) / TBLOCK] = st->tmax_run;
}

bool store_add_packet(struct store *st, uint64_t off, bool lost, const struct store_facts *f, int64_t ts_ns)
{
	size_t i = (size_t)(st->end & (CHUNK_ROWS - 1));
	/* Past a chunk's first row its chunk is there (store_drop_before lets go of those before end's only). */
	struct chunk *c = i ? st->ch[st->end >> CHUNK_BITS] : store_grow(st);
	if (!c)
		return false;
	struct store_row *r = &c->rows[i];
	if (lost)
		off = STORE_OFF_MAX;
	r->off_lo = (uint32_t)off;
	r->off_hi = (uint16_t)(off >> 32);
	r->events = (uint16_t)f->events;
	r->before = (uint8_t)(f->before[0] | f->before[1] << 4);
	r->after = (uint8_t)(f->after[0] | f->after[1] << 4);
	r->bits = (uint8_t)((f->dir ? ROW_S2C : 0) | (f->have_rel ? ROW_REL : 0) | (lost ? ROW_LOST : 0) |
			    (f->have_win_scale && f->win_shift <= 14 ? (f->win_shift + 1) << ROW_WIN_SHIFT : 0));
	r->dup = (uint8_t)(f->dup_ack_n < 255 ? f->dup_ack_n : 255);
	c->flow[i] = (uint32_t)f->flow_id;
	if (f->dup_ack_n >= 255) {
		if (st->ndups == st->capdups) {
			size_t cap = st->capdups ? st->capdups * 2 : 64;
			struct dupn *d = realloc(st->dups, cap * sizeof *d);
			if (d) {
				st->dups = d;
				st->capdups = cap;
			}
		}
		if (st->ndups < st->capdups)
			st->dups[st->ndups++] = (struct dupn){ st->end, f->dup_ack_n };
	}
	store_settime(st, ts_ns);
	st->end++;
	return true;
}

bool store_add_call(struct store *st, const struct store_call *c)
{
	if (!st->calls) {
		st->calls = malloc(STORE_CALLS_KEPT * sizeof *st->calls);
		if (!st->calls)
			return false;
	}
	if (st->ncall_rows == st->capcall_rows) {
		size_t cap = st->capcall_rows ? st->capcall_rows * 2 : 256;
		uint64_t *n = realloc(st->call_rows, cap * sizeof *n);
		if (!n)
			return false;
		st->call_rows = n;
		st->capcall_rows = cap;
	}
	if (!store_grow(st))
		return false;
	uint64_t slot = st->calls_next++;
	st->calls[slot % STORE_CALLS_KEPT] = *c;
	uint32_t *fl;
	struct store_row *r = store_slot(st, st->end, &fl);
	memset(r, 0, sizeof *r);
	r->off_lo = (uint32_t)slot;
	r->off_hi = (uint16_t)(slot >> 32);
	r->bits = (uint8_t)(ROW_CALL | (c->side ? ROW_S2C : 0));
	r->before = r->after = (uint8_t)(c->states[0] | c->states[1] << 4);
	*fl = (uint32_t)c->flow_id;
	st->call_rows[st->ncall_rows++] = st->end;
	store_settime(st, c->at_ns);
	st->end++;
	return true;
}

uint64_t store_first(const struct store *st) { return st->first; }
uint64_t store_end(const struct store *st) { return st->end; }

void store_drop_before(struct store *st, uint64_t row)
{
	if (row > st->end)
		row = st->end;
	if (row <= st->first)
		return;
	for (uint64_t k = st->first >> CHUNK_BITS; k < row >> CHUNK_BITS; k++) {
		if (!st->spare)
			st->spare = st->ch[k];
		else
			chunk_free(st->ch[k]);
		st->ch[k] = NULL;
	}
	st->first = row;
}

void store_drop_offsets_before(struct store *st, uint64_t off)
{
	/* Records are in stream order: the rows to drop are the first ones, up to the last packet whose record
	   went (calls and lost packets among them go too; those after it stay: nothing of theirs went). */
	uint64_t cut = st->first;
	for (uint64_t r = st->first; r < st->end; r++) {
		const struct store_row *x = store_slot(st, r, NULL);
		if (x->bits & (ROW_CALL | ROW_LOST))
			continue;
		if (store_row_off(x) >= off)
			break;
		cut = r + 1;
	}
	store_drop_before(st, cut);
}

const struct store_row *store_row(const struct store *st, uint64_t row)
{
	if (row < st->first || row >= st->end)
		return NULL;
	return store_slot(st, row, NULL);
}

uint64_t store_row_flow(const struct store *st, uint64_t row)
{
	if (row < st->first || row >= st->end)
		return 0;
	uint32_t *f;
	store_slot(st, row, &f);
	return *f;
}

uint64_t store_row_off(const struct store_row *r)
{
	return (uint64_t)r->off_hi << 32 | r->off_lo;
}

static int dupn_cmp(const void *a, const void *b)
{
	const struct dupn *x = a, *y = b;
	return x->row < y->row ? -1 : x->row > y->row;
}

uint32_t store_row_dup(const struct store *st, uint64_t row, const struct store_row *r)
{
	if (r->dup < 255)
		return r->dup;
	struct dupn key = { .row = row };
	const struct dupn *d = bsearch(&key, st->dups, st->ndups, sizeof *st->dups, dupn_cmp);
	return d ? d->n : 255;
}

const struct store_call *store_call_of(const struct store *st, const struct store_row *r)
{
	uint64_t slot = store_row_off(r);
	if (!(r->bits & ROW_CALL) || !st->calls || slot >= st->calls_next ||
	    st->calls_next - slot > STORE_CALLS_KEPT)
		return NULL;
	return &st->calls[slot % STORE_CALLS_KEPT];
}

/* How many of the n ascending row numbers a[] are below row. */
static size_t rows_below(const uint64_t *a, size_t n, uint64_t row)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Calls at rows before `row`. */
static uint64_t calls_before(const struct store *st, uint64_t row)
{
	return rows_below(st->call_rows, st->ncall_rows, row);
}

uint64_t store_packet_number(const struct store *st, uint64_t row)
{
	const struct store_row *r = store_row(st, row);
	if (!r || (r->bits & ROW_CALL))
		return 0;
	return row - calls_before(st, row) + 1;
}

uint64_t store_packet_row(const struct store *st, uint64_t n)
{
	if (n == 0)
		return STORE_NONE;
	/* row - calls_before(row) = n - 1: each call before the row moves it one on. */
	uint64_t row = n - 1, k = 0;
	for (;;) {
		uint64_t c = calls_before(st, row + 1);
		if (c == k)
			break;
		k = c;
		row = n - 1 + k;
	}
	const struct store_row *r = store_row(st, row);
	return r && !(r->bits & ROW_CALL) ? row : STORE_NONE;
}

uint64_t store_packets(const struct store *st)
{
	return st->end - st->first - store_calls_between(st, st->first, st->end);
}

uint64_t store_calls_between(const struct store *st, uint64_t from, uint64_t to)
{
	return to > from ? calls_before(st, to) - calls_before(st, from) : 0;
}

uint64_t store_find_time(struct store *st, int64_t t, uint64_t from)
{
	if (from < st->first)
		from = st->first;
	/* The latest time so far never decreases: the first block whose latest reaches t holds the row. */
	uint64_t lo = from / TBLOCK, hi = (st->end + TBLOCK - 1) / TBLOCK;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		uint64_t last = (mid + 1) * TBLOCK - 1 < st->end ? (mid + 1) * TBLOCK - 1 : st->end - 1;
		struct chunk *c = st->ch[last >> CHUNK_BITS];
		if (c->tmax[(last & (CHUNK_ROWS - 1)) / TBLOCK] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t r = lo * TBLOCK > from ? lo * TBLOCK : from; r < st->end; r++) {
		int64_t ts;
		if (store_time(st, r, &ts) && ts >= t)
			return r;
	}
	return STORE_NONE;
}

/* ---------------------------------------------------------------- reading a row back ---- */

bool store_check(struct store *st, uint64_t need)
{
	if (st->kind != STORE_FILE)
		return true;
	if (st->problem[0])
		return false;
	int64_t now = clock_mono_ns();
	if (need <= st->size_seen && now - st->checked < CHECK_NS)
		return true;
	st->checked = now;
	struct stat a, b;
	if (fstat(st->fdesc, &a) != 0) {
		snprintf(st->problem, sizeof st->problem, "cannot read '%s' any more: %s", st->path, strerror(errno));
		return false;
	}
	if (stat(st->path, &b) != 0 || b.st_ino != st->ino || b.st_dev != st->dev) {
		snprintf(st->problem, sizeof st->problem,
			 "'%s' was replaced or removed while open: the rows still shown are from the file as it was opened", st->path);
		return false;
	}
	if ((uint64_t)a.st_size < need) {
		snprintf(st->problem, sizeof st->problem,
			 "'%s' was truncated to %lld bytes while open: rows past it cannot be read", st->path,
			 (long long)a.st_size);
		return false;
	}
	st->size_seen = (uint64_t)a.st_size;
	return true;
}

const char *store_problem(const struct store *st)
{
	return st->problem;
}

/* n bytes of the file at off, through window w (read ahead when they are not in it); NULL when the file
   has fewer (said in problem). */
static const uint8_t *win_get(struct store *st, struct win *w, uint64_t off, size_t n)
{
	if (w->len && off >= w->off && off + n <= w->off + w->len)
		return w->buf + (off - w->off);
	if (n > w->cap || !store_check(st, off + n))
		return NULL;
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(st->fdesc, w->buf + got, w->cap - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->len = 0;
			st->size_seen = 0; /* look at the file again: was it cut? */
			if (store_check(st, off + n) && !st->problem[0])
				snprintf(st->problem, sizeof st->problem, "cannot read '%s' at offset %llu: %s", st->path,
					 (unsigned long long)(off + got), r < 0 ? strerror(errno) : "the file ends before it");
			return NULL;
		}
		got += (size_t)r;
	}
	w->off = off;
	w->len = got;
	return w->buf;
}

/* A classic pcap record at off: its header and bytes (libpcap's cut to the snapshot). */
static bool store_pcap_record(struct store *st, struct win *w, uint64_t off, struct caprec *r)
{
	const uint8_t *h = win_get(st, w, off, PCAP_REC_HDR);
	if (!h)
		return false;
	pcapfile_header_fields(h, st->fmt.swapped, r);
	if (r->caplen > 262144u) {
		snprintf(st->problem, sizeof st->problem,
			 "'%s' changed while open: the record at offset %llu claims %u captured bytes", st->path,
			 (unsigned long long)off, r->caplen);
		return false;
	}
	if (r->caplen > st->fmt.snaplen)
		r->caplen = st->fmt.snaplen;
	h = win_get(st, w, off, PCAP_REC_HDR + (size_t)r->caplen);
	if (!h)
		return false;
	r->data = h + PCAP_REC_HDR;
	r->linktype = st->fmt.linktype;
	r->offset = off;
	r->iface = NULL;
	r->comment = NULL;
	r->comment_len = 0;
	return true;
}

/* The record of a packet row, and its time in ns. */
static int store_record(struct store *st, struct win *w, const struct store_row *x, struct caprec *r, int64_t *ts_ns,
			unsigned *iface)
{
	if (x->bits & (ROW_CALL | ROW_LOST))
		return STORE_GONE;
	uint64_t off = store_row_off(x);
	*iface = SPOOL_NO_IFACE;
	if (st->kind == STORE_FILE) {
		if (!store_pcap_record(st, w, off, r))
			return STORE_DAMAGED;
		int64_t sec;
		uint32_t nsec;
		caprec_time(r->ts_sec, r->ts_frac, st->fmt.nano, &sec, &nsec);
		struct packet t = { .ts_sec = sec, .ts_nsec = nsec };
		*ts_ns = packet_time_ns(&t);
		r->ts_sec = sec;
		r->ts_frac = nsec;
		return 1;
	}
	struct spool_rec sr;
	if (!spool_get(st->sp, off, &sr))
		return STORE_GONE;
	r->ts_sec = sr.ts_ns / 1000000000LL;
	r->ts_frac = (uint32_t)(sr.ts_ns % 1000000000LL);
	if (sr.ts_ns < 0 && r->ts_frac) {
		r->ts_sec--;
		r->ts_frac = (uint32_t)(sr.ts_ns - r->ts_sec * 1000000000LL);
	}
	*ts_ns = sr.ts_ns;
	r->caplen = sr.caplen;
	r->len = sr.len;
	r->data = sr.data;
	r->linktype = sr.linktype;
	r->offset = off;
	r->comment = sr.comment;
	r->comment_len = sr.comment_len;
	*iface = sr.iface;
	return 1;
}

bool store_time(struct store *st, uint64_t row, int64_t *ts_ns)
{
	const struct store_row *x = store_row(st, row);
	if (!x)
		return false;
	if (x->bits & ROW_CALL) {
		const struct store_call *c = store_call_of(st, x);
		if (!c)
			return false;
		*ts_ns = c->at_ns;
		return true;
	}
	struct caprec r;
	unsigned iface;
	return store_record(st, &st->rand, x, &r, ts_ns, &iface) == 1;
}

int store_read(struct store *st, uint64_t row, struct packet *dec, struct store_pkt *p,
	       const struct pkt_iface *(*ifaces)(void *arg, unsigned i), void *arg)
{
	const struct store_row *x = store_row(st, row);
	if (!x)
		return STORE_GONE;
	struct caprec r;
	int64_t ts;
	unsigned iface;
	int rc = store_record(st, &st->rand, x, &r, &ts, &iface);
	if (rc != 1)
		return rc;
	decode_packet(dec, r.linktype, r.data, r.caplen, r.len);
	dec->n = store_packet_number(st, row);
	dec->ts_sec = r.ts_sec;
	dec->ts_nsec = r.ts_frac;
	dec->iface = iface != SPOOL_NO_IFACE && ifaces ? ifaces(arg, iface) : NULL;
	dec->comment = r.comment;
	dec->comment_len = r.comment_len;
	/* What tracking said, as the index kept it; relative numbers from the flow's initial numbers. */
	struct track_result tr;
	memset(&tr, 0, sizeof tr);
	uint64_t id = store_row_flow(st, row);
	struct flow scratch;
	const struct flow *f = id ? store_flow(st, id, &scratch) : NULL;
	if (f) {
		tr.flow = f;
		tr.dir = (x->bits & ROW_S2C) ? DIR_S2C : DIR_C2S;
		tr.before[0] = (enum tcp_state)(x->before & 15);
		tr.before[1] = (enum tcp_state)(x->before >> 4);
		tr.after[0] = (enum tcp_state)(x->after & 15);
		tr.after[1] = (enum tcp_state)(x->after >> 4);
		tr.events = x->events | (x->before != x->after ? EV_STATE_CHANGE : 0);
		tr.dup_ack_n = (tr.events & EV_DUP_ACK) ? store_row_dup(st, row, x) : 0;
		if (x->bits >> ROW_WIN_SHIFT) {
			tr.have_win_scale = true;
			tr.win_shift = (uint8_t)((x->bits >> ROW_WIN_SHIFT) - 1);
		}
		if ((x->bits & ROW_REL) && dec->has_ip) {
			const struct tcp_hdr *th = &dec->ip.u.tcp;
			int d = tr.dir, rev = 1 - d;
			tr.have_rel = true;
			tr.rseq = th->seq - f->isn[d];
			tr.rack = (dec->ip.have & HAVE_ACK) && (th->flags & TCP_ACK) ? th->ack - f->isn[rev] : 0;
		}
	}
	summary_from(&p->s, dec, &tr);
	p->data = r.data;
	p->caplen = r.caplen;
	p->iface = dec->iface;
	p->comment = r.comment;
	p->comment_len = r.comment_len;
	return 1;
}

/* ---------------------------------------------------------------- flows ---- */

static struct fdir *store_fdir(const struct store *st, uint64_t id, bool make)
{
	if (id == 0)
		return NULL;
	size_t k = (size_t)((id - 1) >> FCHUNK_BITS);
	if (k >= st->nfd || !st->fd[k]) {
		if (!make)
			return NULL;
		struct store *w = (struct store *)st;
		struct fdir **t = grow_zeroed(w->fd, &w->nfd, k, 16, sizeof *t);
		if (!t)
			return NULL;
		w->fd = t;
		w->fd[k] = hugemem_alloc(FCHUNK * sizeof **w->fd);
		if (!w->fd[k])
			return NULL;
	}
	return &st->fd[k][(id - 1) & (FCHUNK - 1)];
}

void store_flow_live(struct store *st, const struct flow *f)
{
	struct fdir *d = store_fdir(st, f->id, true);
	if (!d)
		return;
	d->live = f;
	if (f->id > st->nflows)
		st->nflows = f->id;
}

void store_flow_gone(struct store *st, const struct flow *f)
{
	struct fdir *d = store_fdir(st, f->id, true);
	if (!d)
		return;
	d->live = NULL;
	if (!d->rec)
		d->rec = malloc(sizeof *d->rec);
	if (!d->rec)
		return;
	struct flowrec *r = d->rec;
	r->key = f->key;
	r->state[0] = f->state[0];
	r->state[1] = f->state[1];
	r->closed_first = f->closed_first;
	r->end = f->end;
	r->client_side = f->key.port[0] == f->client.port && memcmp(f->key.addr[0], f->client.addr, 16) == 0 ? 0 : 1;
	r->bits = (uint8_t)((f->client_guessed ? 1 : 0) | (f->state_inferred ? 2 : 0) | f->isn_known << 2);
	r->icmp_errors = f->icmp_errors;
	memcpy(r->isn, f->isn, sizeof r->isn);
	memcpy(r->pkts, f->pkts, sizeof r->pkts);
	memcpy(r->bytes, f->bytes, sizeof r->bytes);
	r->first_ns = f->first_ns;
	r->last_ns = f->last_ns;
	r->zeek = f->zeek;
	if (f->id > st->nflows)
		st->nflows = f->id;
}

uint64_t store_flows(const struct store *st)
{
	return st->nflows;
}

const struct flow *store_flow(const struct store *st, uint64_t id, struct flow *s)
{
	const struct fdir *d = store_fdir(st, id, false);
	if (!d)
		return NULL;
	if (d->live)
		return d->live;
	const struct flowrec *r = d->rec;
	if (!r)
		return NULL;
	memset(s, 0, sizeof *s);
	s->id = id;
	s->key = r->key;
	s->proto = r->key.proto;
	int c = r->client_side, v = 1 - c;
	s->client.af = s->server.af = r->key.af;
	memcpy(s->client.addr, r->key.addr[c], 16);
	memcpy(s->server.addr, r->key.addr[v], 16);
	s->client.port = r->key.port[c];
	s->server.port = r->key.port[v];
	s->state[0] = r->state[0];
	s->state[1] = r->state[1];
	s->closed_first = r->closed_first;
	s->end = r->end;
	s->client_guessed = r->bits & 1;
	s->state_inferred = (r->bits & 2) != 0;
	s->isn_known = (uint8_t)(r->bits >> 2 & 3);
	s->icmp_errors = r->icmp_errors;
	memcpy(s->isn, r->isn, sizeof s->isn);
	memcpy(s->pkts, r->pkts, sizeof s->pkts);
	memcpy(s->bytes, r->bytes, sizeof s->bytes);
	s->first_ns = r->first_ns;
	s->last_ns = r->last_ns;
	s->zeek = r->zeek;
	return s;
}

/* ---------------------------------------------------------------- one flow's rows ---- */

void store_flowrows_free(struct store_flowrows *fr)
{
	free(fr->row);
	memset(fr, 0, sizeof *fr);
}

bool store_flowrows_update(struct store *st, struct store_flowrows *fr, uint64_t id)
{
	bool rebuilt = false;
	if (fr->id != id || (fr->count && fr->row[0] < st->first) || fr->scanned < st->first) {
		fr->id = id;
		fr->count = 0;
		fr->scanned = st->first;
		rebuilt = true;
	}
	if (!id) {
		fr->scanned = st->end;
		return rebuilt;
	}
	uint32_t want = (uint32_t)id;
	for (uint64_t r = fr->scanned; r < st->end;) {
		struct chunk *c = st->ch[r >> CHUNK_BITS];
		size_t i = (size_t)(r & (CHUNK_ROWS - 1)), n = CHUNK_ROWS - i;
		if (n > st->end - r)
			n = (size_t)(st->end - r);
		const uint32_t *fl = c->flow + i;
		for (size_t j = 0; j < n; j++) {
			if (fl[j] != want)
				continue;
			if (fr->count == fr->cap) {
				size_t cap = fr->cap ? fr->cap * 2 : 256;
				uint64_t *nr = realloc(fr->row, cap * sizeof *nr);
				if (!nr) {
					fr->scanned = r + j;
					return rebuilt;
				}
				fr->row = nr;
				fr->cap = cap;
			}
			fr->row[fr->count++] = r + j;
		}
		r += n;
	}
	fr->scanned = st->end;
	return rebuilt;
}

size_t store_flowrows_lower_bound(const struct store_flowrows *fr, uint64_t row)
{
	return rows_below(fr->row, fr->count, row);
}

/* ---------------------------------------------------------------- the view filter's verdicts ---- */

#define MBLOCK 512 /* rows per running count */

struct mchunk {
	uint64_t bits[CHUNK_ROWS / 64];
	uint64_t cum;                  /* rows passing before this chunk (since the pass began) */
	uint32_t cnt[CHUNK_ROWS / MBLOCK]; /* rows passing in this chunk before each block */
};

struct store_match {
	struct filter *f;              /* NULL: everything passes */
	struct mchunk **ch;            /* as the store's chunks */
	size_t nch;
	uint64_t done;                 /* rows before this were looked at */
	uint64_t running;              /* rows passing before `done` */
};

struct store_match *store_match_new(void)
{
	return calloc(1, sizeof(struct store_match));
}

static void match_clear(struct store_match *m)
{
	for (size_t i = 0; i < m->nch; i++)
		free(m->ch[i]);
	free(m->ch);
	m->ch = NULL;
	m->nch = 0;
}

void store_match_free(struct store_match *m)
{
	if (!m)
		return;
	match_clear(m);
	free(m);
}

void store_match_reset(struct store_match *m, const struct store *st, struct filter *f)
{
	match_clear(m);
	m->f = f;
	m->done = st->first;
	m->running = 0;
}

bool store_match_active(const struct store_match *m)
{
	return m->f != NULL;
}

uint64_t store_match_done(const struct store_match *m)
{
	return m->done;
}

/* The chunk of row r, made when missing (NULL: out of memory). */
static struct mchunk *match_chunk(struct store_match *m, uint64_t r)
{
	size_t k = (size_t)(r >> CHUNK_BITS);
	struct mchunk **t = grow_zeroed(m->ch, &m->nch, k, 64, sizeof *t);
	if (!t)
		return NULL;
	m->ch = t;
	if (!m->ch[k]) {
		m->ch[k] = calloc(1, sizeof **m->ch);
		if (!m->ch[k])
			return NULL;
		m->ch[k]->cum = m->running;
	}
	return m->ch[k];
}

bool store_match_run(struct store_match *m, struct store *st, size_t budget, int64_t deadline_ns, int *invalid_lt)
{
	if (!m->f) {
		m->done = st->end;
		return false;
	}
	if (m->done < st->first) { /* rows dropped under the pass: go on from the first held */
		m->done = st->first;
	}
	for (size_t k = 0; k < (size_t)(st->first >> CHUNK_BITS) && k < m->nch; k++) {
		free(m->ch[k]);
		m->ch[k] = NULL;
	}
	for (size_t n = 0; m->done < st->end && n < budget; n++) {
		uint64_t r = m->done;
		if ((n & 1023) == 1023 && deadline_ns && clock_mono_ns() > deadline_ns)
			break;
		struct mchunk *c = match_chunk(m, r);
		if (!c)
			return false;
		size_t i = (size_t)(r & (CHUNK_ROWS - 1));
		if (i % MBLOCK == 0)
			c->cnt[i / MBLOCK] = (uint32_t)(m->running - c->cum);
		const struct store_row *x = store_slot(st, r, NULL);
		bool pass = false;
		if (x->bits & ROW_CALL) {
			pass = true;
		} else {
			struct caprec rec;
			int64_t ts;
			unsigned iface;
			if (store_record(st, &st->seq, x, &rec, &ts, &iface) == 1) {
				int v = filter_run(m->f, rec.linktype, rec.data, rec.caplen, rec.len);
				if (v < 0 && invalid_lt)
					*invalid_lt = rec.linktype;
				pass = v > 0;
			}
		}
		if (pass) {
			c->bits[i / 64] |= 1ull << (i % 64);
			m->running++;
		}
		m->done = r + 1;
	}
	return m->done < st->end;
}

bool store_match_has(const struct store_match *m, uint64_t row)
{
	if (!m->f)
		return true;
	size_t k = (size_t)(row >> CHUNK_BITS);
	if (row >= m->done || k >= m->nch || !m->ch[k])
		return false;
	size_t i = (size_t)(row & (CHUNK_ROWS - 1));
	return (m->ch[k]->bits[i / 64] >> (i % 64)) & 1;
}

/* Rows passing before `row` since the pass began (row <= done, its chunk held or row at a chunk's start). */
static uint64_t match_rank_abs(const struct store_match *m, uint64_t row)
{
	if (row >= m->done)
		return m->running;
	size_t k = (size_t)(row >> CHUNK_BITS);
	const struct mchunk *c = k < m->nch ? m->ch[k] : NULL;
	if (!c)
		return 0;
	size_t i = (size_t)(row & (CHUNK_ROWS - 1));
	uint64_t n = c->cum + c->cnt[i / MBLOCK];
	for (size_t w = i / MBLOCK * (MBLOCK / 64); w < i / 64; w++)
		n += (uint64_t)__builtin_popcountll(c->bits[w]);
	if (i % 64)
		n += (uint64_t)__builtin_popcountll(c->bits[i / 64] & ((1ull << (i % 64)) - 1));
	return n;
}

uint64_t store_match_count(const struct store_match *m, const struct store *st)
{
	if (!m->f)
		return st->end - st->first;
	uint64_t first = st->first < m->done ? st->first : m->done;
	return m->running - match_rank_abs(m, first);
}

uint64_t store_match_rank(const struct store_match *m, const struct store *st, uint64_t row)
{
	if (row < st->first)
		row = st->first;
	if (!m->f)
		return (row < st->end ? row : st->end) - st->first;
	uint64_t first = st->first < m->done ? st->first : m->done;
	return match_rank_abs(m, row) - match_rank_abs(m, first);
}

uint64_t store_match_at(const struct store_match *m, const struct store *st, uint64_t i)
{
	if (!m->f)
		return st->first + i < st->end ? st->first + i : STORE_NONE;
	uint64_t first = st->first < m->done ? st->first : m->done;
	uint64_t want = match_rank_abs(m, first) + i; /* the (want+1)-th passing row since the pass began */
	if (want >= m->running)
		return STORE_NONE;
	/* The last chunk whose count before it is at most want. */
	size_t lo = (size_t)(first >> CHUNK_BITS), hi = (size_t)((m->done - 1) >> CHUNK_BITS) + 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ch[mid] && m->ch[mid]->cum <= want)
			lo = mid;
		else
			hi = mid;
	}
	const struct mchunk *c = m->ch[lo];
	uint64_t left = want - c->cum;
	size_t nb = CHUNK_ROWS / MBLOCK, b = 0;
	size_t last_row = (size_t)((uint64_t)lo << CHUNK_BITS <= m->done - 1 && ((m->done - 1) >> CHUNK_BITS) == lo
					   ? (m->done - 1) & (CHUNK_ROWS - 1)
					   : CHUNK_ROWS - 1);
	nb = last_row / MBLOCK + 1;
	size_t blo = 0, bhi = nb;
	while (bhi - blo > 1) {
		size_t mid = blo + (bhi - blo) / 2;
		if (c->cnt[mid] <= left)
			blo = mid;
		else
			bhi = mid;
	}
	b = blo;
	left -= c->cnt[b];
	for (size_t w = b * (MBLOCK / 64); w < (b + 1) * (MBLOCK / 64); w++) {
		uint64_t bits = c->bits[w];
		uint64_t pc = (uint64_t)__builtin_popcountll(bits);
		if (left >= pc) {
			left -= pc;
			continue;
		}
		while (left--)
			bits &= bits - 1;
		return ((uint64_t)lo << CHUNK_BITS) + w * 64 + (uint64_t)__builtin_ctzll(bits);
	}
	return STORE_NONE;
}
