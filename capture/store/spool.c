/* spool.c — the spool: records into a memory ring at once, a writer thread drains the ring to unnamed files within a budget. */
#include "store/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/hugemem.h"

#define SPOOL_CHUNK (4u << 20)   /* the writer's largest write */
#define SPOOL_FILES 8            /* the budget is cut into this many files, written in turn */
#define SPOOL_MIN_SEG (64u << 10)
#define SPOOL_BLK 4096u          /* direct I/O's unit: offsets, lengths and buffers are multiples of it */
#define SPOOL_READ_MIN 8192u     /* a direct read takes at least this much (the next record is often in it) */

/*
 * The files are written with O_DIRECT where the file system takes it: the ring's bytes go to the disk
 * without a copy into the page cache. A buffered write costs the CPU about a second per GB in the kernel
 * (copying, dirty-page accounting, writeback), which on a small machine is taken from the capture; a
 * direct write costs a tenth of that and the writer waits for the disk instead. Direct I/O writes whole
 * blocks at block-aligned offsets, so a segment starts at an aligned stream offset, the writer writes the
 * whole blocks it has, and writes the last part block (padded) only once no more bytes have come for a
 * turn; the next write starts again at that block. The ring keeps the bytes of a block until the block
 * is written whole. Reads from a direct file go through an aligned buffer of their own, which also serves
 * the next read when it falls in the bytes read.
 *
 * What else keeps the writer's cost to the capture low, measured under a 1 GB/s flood on lo (README,
 * Performance): the ring is in huge pages (a direct write pins the pages it writes from: 512 times fewer
 * of them), which more than halved the writer's CPU time; the writer runs as SCHED_IDLE, so when the CPU
 * is short it is the spool that falls behind (records not kept, counted), not the thread that empties
 * the kernel's capture ring; and the files are never closed while the spool runs: once all of the
 * budget's files are in use, the oldest is written over from its start (closing it would free its blocks,
 * which a file system mounted with `discard` trims on the spot, for hundreds of milliseconds).
 */

/* One file of the stream: bytes [start, end) of it. */
struct seg {
	int fd;
	uint64_t start, end;
	bool direct;              /* opened with O_DIRECT */
};

struct spool {
	uint8_t *ring;
	size_t ring_size;
	bool wait;
	uint64_t max_bytes, seg_bytes;
	char dir[256];
	/* The stream: [tail, head) is in the ring; [disk_first, written) in the files. */
	_Atomic uint64_t head;        /* producer: one past the newest record */
	_Atomic uint64_t written;     /* writer: the files hold the stream up to here */
	_Atomic uint64_t freed;       /* writer: the ring's bytes before this may be reused (written, less a part block) */
	_Atomic uint64_t put, not_kept; /* the stats' counts, kept apart from the lock: spool_put runs per packet */
	uint64_t tail;                /* producer: the ring's oldest byte still held */
	bool direct;                  /* new files are opened with O_DIRECT (false once the file system refused it) */
	uint8_t *part;                /* writer: a part block, padded (SPOOL_BLK, aligned) */
	uint8_t *rbuf;                /* readers: a direct read's aligned buffer ... */
	size_t rbuf_cap;
	uint64_t rb_start, rb_end;    /* ... holding the stream's bytes [rb_start, rb_end) */
	pthread_mutex_t mu;           /* the segments, disk_first, problem, stats */
	struct seg segs[SPOOL_FILES]; /* oldest first */
	int nsegs, nfiles;            /* files in use; at most (the budget over seg_bytes) */
	uint64_t disk_first;
	_Atomic bool dead;            /* the files cannot be written: memory only */
	char problem[700];
	struct spool_stats st;
	pthread_t thread;
	bool started;
	_Atomic bool stop;
	uint8_t *rec;                 /* a record copied out of the ring or the files (SPOOL_HDR + 256 KiB + comment) */
	size_t rec_cap;
};

/* An unnamed file in the spool's directory, direct when the file system takes it (*direct says). */
static int spool_newfile(struct spool *sp, int *err, bool *direct)
{
	int fd = -1;
	for (int pass = sp->direct ? 0 : 1; pass < 2 && fd < 0; pass++) {
		int dflag = pass == 0 ? O_DIRECT : 0;
#ifdef O_TMPFILE
		fd = open(sp->dir, O_TMPFILE | O_RDWR | O_CLOEXEC | dflag, 0600);
#endif
		if (fd < 0) {
			char path[300];
			snprintf(path, sizeof path, "%s/.synwatch-spool-XXXXXX", sp->dir);
			fd = mkostemp(path, O_CLOEXEC | dflag);
			if (fd >= 0)
				unlink(path);
		}
		*err = fd < 0 ? errno : 0;
		*direct = fd >= 0 && dflag;
		if (fd < 0 && *err != EINVAL)
			break; /* EINVAL: no direct I/O here; anything else is the directory's trouble */
	}
	if (fd >= 0 && !*direct)
		sp->direct = false;
	return fd;
}

/* The file system refused a direct write: this file, and those after it, are written through the page cache. */
static void spool_undirect(struct spool *sp, struct seg *s)
{
	int fl = fcntl(s->fd, F_GETFL);
	if (fl >= 0)
		fcntl(s->fd, F_SETFL, fl & ~O_DIRECT);
	s->direct = false;
	sp->direct = false;
}

/* The files cannot be written: say why, and keep going in memory (under mu). */
static void spool_die(struct spool *sp, int err)
{
	if (atomic_load(&sp->dead))
		return;
	atomic_store(&sp->dead, true);
	sp->st.memory_only = true;
	snprintf(sp->problem, sizeof sp->problem,
		 "cannot write the spool in %s (%s): only the newest packets are kept, in memory; give TMPDIR a directory with room",
		 sp->dir, strerror(err));
}

/* A new newest segment from stream offset `from`: the oldest file again once the budget's files are all in
   use (its records go), else a new file. False when no file can be made (the spool is then dead). Files
   are reused rather than closed: closing one frees its blocks, which the file system may discard on the
   spot, and reusing one writes over blocks it already has. */
static bool spool_rotate(struct spool *sp, uint64_t from)
{
	pthread_mutex_lock(&sp->mu);
	if (sp->nsegs >= sp->nfiles) {
		struct seg old = sp->segs[0];
		memmove(sp->segs, sp->segs + 1, (size_t)(sp->nsegs - 1) * sizeof *sp->segs);
		sp->nsegs--;
		sp->st.disk_bytes -= old.end - old.start;
		sp->st.dropped_bytes += old.end - old.start;
		if (old.direct && !sp->direct)
			spool_undirect(sp, &old);
		sp->segs[sp->nsegs++] = (struct seg){ old.fd, from, from, old.direct };
		sp->disk_first = sp->segs[0].start;
		pthread_mutex_unlock(&sp->mu);
		return true;
	}
	pthread_mutex_unlock(&sp->mu);
	int e;
	bool direct;
	int fd = spool_newfile(sp, &e, &direct);
	pthread_mutex_lock(&sp->mu);
	if (fd < 0) {
		spool_die(sp, e);
		pthread_mutex_unlock(&sp->mu);
		return false;
	}
	sp->segs[sp->nsegs++] = (struct seg){ fd, from, from, direct };
	if (sp->nsegs == 1)
		sp->disk_first = from;
	pthread_mutex_unlock(&sp->mu);
	return true;
}

/* Copy n bytes of the ring from stream offset `at` into dst, and the other way (two pieces across the end). */
static void ring_copy_out(const struct spool *sp, uint64_t at, void *dst, size_t n)
{
	size_t pos = (size_t)(at % sp->ring_size), k = n < sp->ring_size - pos ? n : sp->ring_size - pos;
	memcpy(dst, sp->ring + pos, k);
	memcpy((uint8_t *)dst + k, sp->ring, n - k);
}

static void ring_copy_in(struct spool *sp, uint64_t at, const void *src, size_t n)
{
	size_t pos = (size_t)(at % sp->ring_size), k = n < sp->ring_size - pos ? n : sp->ring_size - pos;
	memcpy(sp->ring + pos, src, k);
	memcpy(sp->ring, (const uint8_t *)src + k, n - k);
}

/* Write n bytes from buf at the file's offset at, all of them (EINTR, short writes); 0 or an errno. */
static int spool_pwrite(int fd, const uint8_t *buf, size_t n, uint64_t at)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(fd, buf + done, n - done, (off_t)(at + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : ENOSPC;
		done += (size_t)w;
	}
	return 0;
}

/* Write the stream's bytes [from, to) to the newest file: from the ring, or (a direct file's last part
   block) through the padded part block. The files then hold the stream up to `to`; the ring's bytes are
   freed up to the last whole block written. */
static bool spool_write(struct spool *sp, uint64_t from, uint64_t to)
{
	pthread_mutex_lock(&sp->mu);
	struct seg *s = &sp->segs[sp->nsegs - 1];
	int fd = s->fd;
	uint64_t base = s->start;
	bool direct = s->direct;
	pthread_mutex_unlock(&sp->mu);
	int e = 0;
	if (direct && (to - from) % SPOOL_BLK) { /* a part block: from is a block's start, to is within it */
		memset(sp->part, 0, SPOOL_BLK);
		ring_copy_out(sp, from, sp->part, (size_t)(to - from));
		e = spool_pwrite(fd, sp->part, SPOOL_BLK, from - base);
	} else {
		for (uint64_t at = from; at < to && !e;) {
			size_t pos = (size_t)(at % sp->ring_size);
			size_t k = (size_t)(to - at < sp->ring_size - pos ? to - at : sp->ring_size - pos);
			e = spool_pwrite(fd, sp->ring + pos, k, at - base);
			if (e == EINVAL && direct) { /* the file system took O_DIRECT at open but not these writes */
				pthread_mutex_lock(&sp->mu);
				spool_undirect(sp, &sp->segs[sp->nsegs - 1]);
				pthread_mutex_unlock(&sp->mu);
				direct = false;
				e = 0;
				continue;
			}
			at += k;
		}
	}
	pthread_mutex_lock(&sp->mu);
	if (e) {
		spool_die(sp, e);
		pthread_mutex_unlock(&sp->mu);
		return false;
	}
	s = &sp->segs[sp->nsegs - 1];
	if (to > s->end) {
		sp->st.disk_bytes += to - s->end;
		s->end = to;
	}
	pthread_mutex_unlock(&sp->mu);
	atomic_store_explicit(&sp->written, to, memory_order_release);
	atomic_store_explicit(&sp->freed, direct ? to - to % SPOOL_BLK : to, memory_order_release);
	return true;
}

/* One turn of the writer over the stream's unwritten bytes [w, h): true when it wrote, false when it
   has nothing it may write now (a part block waits a turn: *seen is head as it was then). */
static bool spool_turn(struct spool *sp, uint64_t w, uint64_t h, uint64_t *seen)
{
	pthread_mutex_lock(&sp->mu);
	struct seg cur = sp->segs[sp->nsegs - 1];
	pthread_mutex_unlock(&sp->mu);
	/* A direct file is written in whole blocks: the block w is in is written again, whole or padded. */
	uint64_t from = cur.direct ? w - w % SPOOL_BLK : w;
	if (cur.end - cur.start >= sp->seg_bytes && from == cur.end) {
		if (!spool_rotate(sp, from))
			return false;
		pthread_mutex_lock(&sp->mu);
		cur = sp->segs[sp->nsegs - 1];
		pthread_mutex_unlock(&sp->mu);
	}
	uint64_t to = h - from < SPOOL_CHUNK ? h : from + SPOOL_CHUNK;
	if (to - from > cur.start + sp->seg_bytes - from)
		to = cur.start + sp->seg_bytes; /* a file holds seg_bytes at most: the budget holds */
	if (cur.direct && to - from >= SPOOL_BLK) {
		to -= (to - from) % SPOOL_BLK;
	} else if (cur.direct && h != *seen) {
		*seen = h; /* a part block: more may come to fill it */
		return false;
	}
	return spool_write(sp, from, to);
}

static void *spool_main(void *arg)
{
	struct spool *sp = arg;
	struct sched_param idle = { 0 };
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle); /* only CPU time nobody else wants (see above) */
	uint64_t seen = 0;
	for (;;) {
		uint64_t w = atomic_load(&sp->written);
		uint64_t h = atomic_load_explicit(&sp->head, memory_order_acquire);
		if (h > w && !atomic_load(&sp->dead) && spool_turn(sp, w, h, &seen))
			continue;
		if (atomic_load(&sp->stop))
			break; /* the files go with the spool: nothing left to write matters */
		struct timespec ts = { 0, 2 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

struct spool *spool_open(const struct spool_opts *o)
{
	struct spool *sp = calloc(1, sizeof *sp);
	if (!sp)
		return NULL;
	size_t ring = o->ring_bytes ? o->ring_bytes : SPOOL_RING;
	sp->ring_size = (ring + SPOOL_BLK - 1) / SPOOL_BLK * SPOOL_BLK;
	sp->ring = hugemem_alloc(sp->ring_size); /* in huge pages (see above), touched now */
	if (sp->ring)
		memset(sp->ring, 0, sp->ring_size);
	sp->rec_cap = SPOOL_HDR + 262144u + 65536u;
	sp->rec = malloc(sp->rec_cap);
	sp->rbuf_cap = (sp->rec_cap + 2 * SPOOL_BLK + SPOOL_BLK - 1) / SPOOL_BLK * SPOOL_BLK;
	sp->rbuf = aligned_alloc(SPOOL_BLK, sp->rbuf_cap);
	sp->part = aligned_alloc(SPOOL_BLK, SPOOL_BLK);
	if (!sp->ring || !sp->rec || !sp->rbuf || !sp->part || pthread_mutex_init(&sp->mu, NULL) != 0) {
		hugemem_free(sp->ring, sp->ring_size);
		free(sp->rec);
		free(sp->rbuf);
		free(sp->part);
		free(sp);
		return NULL;
	}
	atomic_init(&sp->head, 0);
	atomic_init(&sp->written, 0);
	atomic_init(&sp->freed, 0);
	atomic_init(&sp->put, 0);
	atomic_init(&sp->not_kept, 0);
	atomic_init(&sp->stop, false);
	atomic_init(&sp->dead, false);
	sp->wait = o->wait;
	sp->direct = !o->buffered;
	sp->max_bytes = o->max_bytes ? o->max_bytes : SPOOL_DEFAULT_MAX;
	sp->seg_bytes = sp->max_bytes / SPOOL_FILES / SPOOL_BLK * SPOOL_BLK;
	if (sp->seg_bytes < SPOOL_MIN_SEG)
		sp->seg_bytes = SPOOL_MIN_SEG;
	sp->nfiles = sp->max_bytes / sp->seg_bytes < SPOOL_FILES ? (int)(sp->max_bytes / sp->seg_bytes) : SPOOL_FILES;
	if (sp->nfiles < 1)
		sp->nfiles = 1;
	sp->st.max_bytes = sp->max_bytes;
	const char *dir = o->dir ? o->dir : getenv("TMPDIR");
	snprintf(sp->dir, sizeof sp->dir, "%s", dir && *dir ? dir : "/tmp");
	/* A directory that cannot be written is said at once, not at the first record. */
	int e;
	bool direct;
	int fd = spool_newfile(sp, &e, &direct);
	if (fd < 0)
		spool_die(sp, e);
	else
		sp->segs[sp->nsegs++] = (struct seg){ fd, 0, 0, direct };
	sp->started = pthread_create(&sp->thread, NULL, spool_main, sp) == 0;
	if (!sp->started) {
		pthread_mutex_lock(&sp->mu);
		spool_die(sp, EAGAIN);
		pthread_mutex_unlock(&sp->mu);
	}
	return sp;
}

void spool_close(struct spool *sp)
{
	if (!sp)
		return;
	atomic_store(&sp->stop, true);
	if (sp->started)
		pthread_join(sp->thread, NULL);
	for (int i = 0; i < sp->nsegs; i++)
		close(sp->segs[i].fd);
	pthread_mutex_destroy(&sp->mu);
	hugemem_free(sp->ring, sp->ring_size);
	free(sp->rec);
	free(sp->rbuf);
	free(sp->part);
	free(sp);
}

bool spool_put(struct spool *sp, int64_t ts_ns, uint32_t caplen, uint32_t len, int linktype, unsigned iface,
	       const uint8_t *data, const char *comment, uint16_t comment_len, uint64_t *off)
{
	size_t n = SPOOL_HDR + (size_t)caplen + (comment ? comment_len : 0);
	uint64_t head = atomic_load(&sp->head);
	atomic_fetch_add_explicit(&sp->put, 1, memory_order_relaxed);
	if (n > sp->ring_size || n > sp->rec_cap) {
		atomic_fetch_add_explicit(&sp->not_kept, 1, memory_order_relaxed);
		return false;
	}
	while (head + n - sp->tail > sp->ring_size) {
		uint64_t f = atomic_load_explicit(&sp->freed, memory_order_acquire);
		if (f > sp->tail) { /* what is in the files need not stay in the ring */
			sp->tail = f;
			continue;
		}
		if (atomic_load(&sp->dead)) { /* memory only: the oldest records go */
			uint64_t t = head + n - sp->ring_size;
			pthread_mutex_lock(&sp->mu);
			sp->st.dropped_bytes += t - sp->tail;
			pthread_mutex_unlock(&sp->mu);
			sp->tail = t;
			break;
		}
		if (!sp->wait) { /* a live source: the record is not kept, the capture goes on */
			atomic_fetch_add_explicit(&sp->not_kept, 1, memory_order_relaxed);
			return false;
		}
		struct timespec ts = { 0, 1000000L };
		nanosleep(&ts, NULL);
	}
	uint8_t h[SPOOL_HDR];
	uint16_t lt = (uint16_t)linktype, ifc = (uint16_t)iface, cl = comment ? comment_len : 0, pad = 0;
	memcpy(h, &ts_ns, 8);
	memcpy(h + 8, &caplen, 4);
	memcpy(h + 12, &len, 4);
	memcpy(h + 16, &lt, 2);
	memcpy(h + 18, &ifc, 2);
	memcpy(h + 20, &cl, 2);
	memcpy(h + 22, &pad, 2);
	ring_copy_in(sp, head, h, SPOOL_HDR);
	ring_copy_in(sp, head + SPOOL_HDR, data, caplen);
	if (cl)
		ring_copy_in(sp, head + SPOOL_HDR + caplen, comment, cl);
	*off = head;
	atomic_store_explicit(&sp->head, head + n, memory_order_release);
	return true;
}

/* k bytes of the stream at p, in segment s, into dst (under mu; w: the files hold the stream up to it). */
static bool seg_read(struct spool *sp, const struct seg *s, uint64_t p, void *dst, size_t k, uint64_t w)
{
	if (!s->direct)
		return pread(s->fd, dst, k, (off_t)(p - s->start)) == (ssize_t)k;
	if (p < sp->rb_start || p + k > sp->rb_end) {
		uint64_t a = (p - s->start) - (p - s->start) % SPOOL_BLK; /* the file's aligned offset */
		uint64_t e = (p - s->start) + k;
		size_t want = (size_t)((e - a + SPOOL_BLK - 1) / SPOOL_BLK * SPOOL_BLK);
		if (want < SPOOL_READ_MIN)
			want = SPOOL_READ_MIN;
		if (want > sp->rbuf_cap)
			want = sp->rbuf_cap;
		ssize_t r = pread(s->fd, sp->rbuf, want, (off_t)a);
		if (r < 0 || (uint64_t)r < e - a)
			return false;
		uint64_t end = s->start + a + (uint64_t)r;
		if (end > s->end)
			end = s->end;
		if (end > w)
			end = w; /* a part block's padding is not the stream's */
		sp->rb_start = s->start + a;
		sp->rb_end = end;
		if (p + k > end)
			return false;
	}
	memcpy(dst, sp->rbuf + (p - sp->rb_start), k);
	return true;
}

/* n bytes of the stream at `at` into dst, from the ring or the files; false when they are held by neither. */
static bool spool_bytes(struct spool *sp, uint64_t at, void *dst, size_t n)
{
	uint64_t head = atomic_load(&sp->head);
	if (at + n > head)
		return false;
	if (at >= sp->tail) {
		ring_copy_out(sp, at, dst, n);
		return true;
	}
	bool ok = false;
	pthread_mutex_lock(&sp->mu);
	uint64_t w = atomic_load(&sp->written);
	if (at >= sp->disk_first && at + n <= w) {
		size_t done = 0;
		ok = true;
		for (int i = 0; i < sp->nsegs && done < n && ok; i++) {
			struct seg *s = &sp->segs[i];
			uint64_t p = at + done;
			if (p < s->start || p >= s->end)
				continue;
			size_t k = (size_t)(s->end - p < n - done ? s->end - p : n - done);
			ok = seg_read(sp, s, p, (uint8_t *)dst + done, k, w);
			done += k;
		}
		ok = ok && done == n;
	}
	pthread_mutex_unlock(&sp->mu);
	return ok;
}

bool spool_get(struct spool *sp, uint64_t off, struct spool_rec *r)
{
	uint8_t *h = sp->rec;
	if (!spool_bytes(sp, off, h, SPOOL_HDR))
		return false;
	uint16_t lt, ifc, cl;
	memcpy(&r->ts_ns, h, 8);
	memcpy(&r->caplen, h + 8, 4);
	memcpy(&r->len, h + 12, 4);
	memcpy(&lt, h + 16, 2);
	memcpy(&ifc, h + 18, 2);
	memcpy(&cl, h + 20, 2);
	if ((size_t)SPOOL_HDR + r->caplen + cl > sp->rec_cap ||
	    !spool_bytes(sp, off + SPOOL_HDR, h + SPOOL_HDR, (size_t)r->caplen + cl))
		return false;
	r->linktype = lt;
	r->iface = ifc;
	r->data = h + SPOOL_HDR;
	r->comment = cl ? (const char *)h + SPOOL_HDR + r->caplen : NULL;
	r->comment_len = cl;
	return true;
}

uint64_t spool_oldest(struct spool *sp)
{
	pthread_mutex_lock(&sp->mu);
	uint64_t d = sp->dead && sp->nsegs == 0 ? UINT64_MAX : sp->disk_first;
	uint64_t w = atomic_load(&sp->written);
	pthread_mutex_unlock(&sp->mu);
	/* On disk from disk_first to written; in the ring from tail: the older of the two starts. */
	if (d == UINT64_MAX || d > w)
		return sp->tail;
	return d < sp->tail ? d : sp->tail;
}

void spool_stats(struct spool *sp, struct spool_stats *s)
{
	pthread_mutex_lock(&sp->mu);
	*s = sp->st;
	pthread_mutex_unlock(&sp->mu);
	s->put = atomic_load_explicit(&sp->put, memory_order_relaxed);
	s->not_kept = atomic_load_explicit(&sp->not_kept, memory_order_relaxed);
}

const char *spool_problem(struct spool *sp)
{
	pthread_mutex_lock(&sp->mu);
	const char *p = sp->dead ? sp->problem : "";
	pthread_mutex_unlock(&sp->mu);
	return p;
}

void spool_sync(struct spool *sp)
{
	while (atomic_load(&sp->written) < atomic_load(&sp->head) && !atomic_load(&sp->dead)) {
		struct timespec ts = { 0, 1000000L };
		nanosleep(&ts, NULL);
	}
}
