/* spool.c — the spool: records into a memory ring at once, a writer thread drains the ring to unnamed files within a budget. */
#include "store/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SPOOL_CHUNK (1u << 20)   /* the writer's largest write */
#define SPOOL_SEGS 16            /* segments held at most (the budget is cut into 8; one more is being written) */
#define SPOOL_MIN_SEG (64u << 10)

/* One file of the stream: bytes [start, end) of it. */
struct seg {
	int fd;
	uint64_t start, end;
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
	uint64_t tail;                /* producer: the ring's oldest byte still held */
	pthread_mutex_t mu;           /* the segments, disk_first, problem, stats */
	struct seg segs[SPOOL_SEGS];  /* oldest first */
	int nsegs;
	uint64_t disk_first;
	bool dead;                    /* the files cannot be written: memory only */
	char problem[700];
	struct spool_stats st;
	pthread_t thread;
	bool started;
	_Atomic bool stop;
	uint8_t *rec;                 /* a record copied out of the ring or the files (SPOOL_HDR + 256 KiB + comment) */
	size_t rec_cap;
};

static int spool_newfile(struct spool *sp, int *err)
{
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(sp->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		char path[300];
		snprintf(path, sizeof path, "%s/.synwatch-spool-XXXXXX", sp->dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	*err = fd < 0 ? errno : 0;
	return fd;
}

/* The files cannot be written: say why, and keep going in memory (under mu). */
static void spool_die(struct spool *sp, int err)
{
	if (sp->dead)
		return;
	sp->dead = true;
	sp->st.memory_only = true;
	snprintf(sp->problem, sizeof sp->problem,
		 "cannot write the spool in %s (%s): only the newest packets are kept, in memory; give TMPDIR a directory with room",
		 sp->dir, strerror(err));
}

/* Append n bytes of the stream from the ring (from stream offset `from`) to the newest file. */
static bool spool_write(struct spool *sp, uint64_t from, size_t n)
{
	pthread_mutex_lock(&sp->mu);
	struct seg *s = sp->nsegs ? &sp->segs[sp->nsegs - 1] : NULL;
	bool rotate = !s || s->end - s->start >= sp->seg_bytes;
	pthread_mutex_unlock(&sp->mu);
	if (rotate) {
		int e;
		int fd = spool_newfile(sp, &e);
		pthread_mutex_lock(&sp->mu);
		if (fd < 0) {
			spool_die(sp, e);
			pthread_mutex_unlock(&sp->mu);
			return false;
		}
		if (sp->nsegs == SPOOL_SEGS) { /* cannot happen within the budget's eight; keep the newest anyway */
			close(sp->segs[0].fd);
			sp->st.dropped_bytes += sp->segs[0].end - sp->segs[0].start;
			memmove(sp->segs, sp->segs + 1, (SPOOL_SEGS - 1) * sizeof *sp->segs);
			sp->nsegs--;
			sp->disk_first = sp->segs[0].start;
		}
		if (sp->nsegs == 0)
			sp->disk_first = from;
		sp->segs[sp->nsegs++] = (struct seg){ fd, from, from };
		pthread_mutex_unlock(&sp->mu);
	}
	pthread_mutex_lock(&sp->mu);
	int fd = sp->segs[sp->nsegs - 1].fd;
	uint64_t at = sp->segs[sp->nsegs - 1].end - sp->segs[sp->nsegs - 1].start;
	pthread_mutex_unlock(&sp->mu);
	size_t done = 0;
	while (done < n) {
		size_t pos = (size_t)((from + done) % sp->ring_size);
		size_t k = n - done < sp->ring_size - pos ? n - done : sp->ring_size - pos;
		ssize_t w = pwrite(fd, sp->ring + pos, k, (off_t)(at + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;
			pthread_mutex_lock(&sp->mu);
			sp->segs[sp->nsegs - 1].end += done;
			spool_die(sp, e);
			pthread_mutex_unlock(&sp->mu);
			atomic_store(&sp->written, from + done);
			return false;
		}
		done += (size_t)w;
	}
	pthread_mutex_lock(&sp->mu);
	sp->segs[sp->nsegs - 1].end += n;
	sp->st.disk_bytes += n;
	/* Within the budget: the oldest segments go (the newest, being written, stays). */
	while (sp->nsegs > 1 && sp->st.disk_bytes > sp->max_bytes) {
		uint64_t len = sp->segs[0].end - sp->segs[0].start;
		close(sp->segs[0].fd);
		memmove(sp->segs, sp->segs + 1, (size_t)(sp->nsegs - 1) * sizeof *sp->segs);
		sp->nsegs--;
		sp->st.disk_bytes -= len;
		sp->st.dropped_bytes += len;
		sp->disk_first = sp->segs[0].start;
	}
	pthread_mutex_unlock(&sp->mu);
	atomic_store_explicit(&sp->written, from + n, memory_order_release);
	return true;
}

static void *spool_main(void *arg)
{
	struct spool *sp = arg;
	for (;;) {
		uint64_t w = atomic_load(&sp->written);
		uint64_t h = atomic_load_explicit(&sp->head, memory_order_acquire);
		if (h > w && !sp->dead) {
			size_t n = h - w < SPOOL_CHUNK ? (size_t)(h - w) : SPOOL_CHUNK;
			spool_write(sp, w, n);
			continue;
		}
		if (atomic_load(&sp->stop))
			break;
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
	sp->ring_size = o->ring_bytes ? o->ring_bytes : SPOOL_RING;
	sp->ring = malloc(sp->ring_size);
	sp->rec_cap = SPOOL_HDR + 262144u + 65536u;
	sp->rec = malloc(sp->rec_cap);
	if (!sp->ring || !sp->rec || pthread_mutex_init(&sp->mu, NULL) != 0) {
		free(sp->ring);
		free(sp->rec);
		free(sp);
		return NULL;
	}
	sp->wait = o->wait;
	sp->max_bytes = o->max_bytes ? o->max_bytes : SPOOL_DEFAULT_MAX;
	sp->seg_bytes = sp->max_bytes / 8 > SPOOL_MIN_SEG ? sp->max_bytes / 8 : SPOOL_MIN_SEG;
	sp->st.max_bytes = sp->max_bytes;
	const char *dir = o->dir ? o->dir : getenv("TMPDIR");
	snprintf(sp->dir, sizeof sp->dir, "%s", dir && *dir ? dir : "/tmp");
	/* A directory that cannot be written is said at once, not at the first record. */
	int e;
	int fd = spool_newfile(sp, &e);
	if (fd < 0)
		spool_die(sp, e);
	else
		sp->segs[sp->nsegs++] = (struct seg){ fd, 0, 0 };
	atomic_init(&sp->head, 0);
	atomic_init(&sp->written, 0);
	atomic_init(&sp->stop, false);
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
	free(sp->ring);
	free(sp->rec);
	free(sp);
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

bool spool_put(struct spool *sp, int64_t ts_ns, uint32_t caplen, uint32_t len, int linktype, unsigned iface,
	       const uint8_t *data, const char *comment, uint16_t comment_len, uint64_t *off)
{
	size_t n = SPOOL_HDR + (size_t)caplen + (comment ? comment_len : 0);
	uint64_t head = atomic_load(&sp->head);
	if (n > sp->ring_size || n > sp->rec_cap) {
		pthread_mutex_lock(&sp->mu);
		sp->st.put++;
		sp->st.not_kept++;
		pthread_mutex_unlock(&sp->mu);
		return false;
	}
	while (head + n - sp->tail > sp->ring_size) {
		uint64_t w = atomic_load_explicit(&sp->written, memory_order_acquire);
		if (w > sp->tail) { /* what is in the files need not stay in the ring */
			sp->tail = w;
			continue;
		}
		pthread_mutex_lock(&sp->mu);
		bool dead = sp->dead;
		if (dead) { /* memory only: the oldest records go */
			uint64_t t = head + n - sp->ring_size;
			sp->st.dropped_bytes += t - sp->tail;
			sp->tail = t;
		} else if (!sp->wait) {
			sp->st.put++;
			sp->st.not_kept++;
		}
		pthread_mutex_unlock(&sp->mu);
		if (dead)
			break;
		if (!sp->wait)
			return false;
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
	pthread_mutex_lock(&sp->mu);
	sp->st.put++;
	pthread_mutex_unlock(&sp->mu);
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
			ssize_t r = pread(s->fd, (uint8_t *)dst + done, k, (off_t)(p - s->start));
			if (r != (ssize_t)k)
				ok = false;
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
	while (atomic_load(&sp->written) < atomic_load(&sp->head)) {
		pthread_mutex_lock(&sp->mu);
		bool dead = sp->dead;
		pthread_mutex_unlock(&sp->mu);
		if (dead)
			return;
		struct timespec ts = { 0, 1000000L };
		nanosleep(&ts, NULL);
	}
}
