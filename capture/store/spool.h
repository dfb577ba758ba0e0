/* spool.h — where a live capture's (or a pipe's) packets are kept for the panel: a memory ring drained to files in $TMPDIR by a thread of its own. */
#ifndef SYNWATCH_SPOOL_H
#define SYNWATCH_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Records go into a ring in memory (SPOOL_RING bytes) at once; a writer thread appends the ring's bytes
 * to the spool's files, so a slow disk never holds up whoever puts records in. A record's place is its
 * offset in the stream of everything put in (it never changes); it is read back from the ring while it is
 * there, else from the files. The files are unnamed (O_TMPFILE, or created and unlinked at once) in the
 * spool directory: nothing is left behind on any exit, a crash included. Their total stays within the
 * budget: the stream is cut into segments of an eighth of it, one file each, and once eight are in use the
 * oldest is written over by the next (its records go). When the disk (or the CPU, for the writer runs
 * at the lowest priority) cannot keep up, a live source's new records are not kept (counted: "the spool
 * fell behind"); a file's source waits instead. When the directory cannot be written (full, read-only,
 * missing), the spool says why and keeps going in memory only: the ring then drops its oldest records.
 *
 * Record: 24 bytes of header (time in ns, captured and wire lengths, link type, interface number or
 * 0xffff, comment length), the captured bytes, the comment.
 */

#define SPOOL_RING (64u << 20)            /* the ring's bytes */
#define SPOOL_HDR 24                      /* a record's header */
#define SPOOL_DEFAULT_MAX (2ull << 30)    /* --spool-max's default: 2 GiB */
#define SPOOL_NO_IFACE 0xffffu

struct spool_opts {
	const char *dir;          /* where the files go ($TMPDIR, else /tmp, when NULL) */
	uint64_t max_bytes;       /* the files' budget (0: SPOOL_DEFAULT_MAX) */
	bool wait;                /* the source can wait (a file, a pipe): never drop a record, wait for room */
	size_t ring_bytes;        /* 0: SPOOL_RING (tests use less) */
	bool buffered;            /* write through the page cache, as where the file system refuses O_DIRECT (tests) */
};

/* A record as spool_get hands it back. */
struct spool_rec {
	int64_t ts_ns;
	uint32_t caplen, len;
	int linktype;
	unsigned iface;           /* SPOOL_NO_IFACE: none */
	const uint8_t *data;      /* caplen bytes, valid until the next spool_get */
	const char *comment;      /* comment_len bytes, or NULL */
	uint16_t comment_len;
};

/* What the spool holds, for the status bar. */
struct spool_stats {
	uint64_t put;             /* records put in */
	uint64_t not_kept;        /* records not kept: the disk fell behind (or a record bigger than the ring) */
	uint64_t disk_bytes;      /* bytes in the files now */
	uint64_t max_bytes;       /* the budget */
	uint64_t dropped_bytes;   /* bytes let go (oldest segments, or the ring's oldest in memory-only mode) */
	bool memory_only;         /* the files cannot be written: problem says why */
};

struct spool;

/* A spool over opts; NULL only when out of memory (a directory that cannot be written is reported by
   spool_problem(), and the spool runs in memory). Starts its writer thread. */
struct spool *spool_open(const struct spool_opts *o);
void spool_close(struct spool *sp); /* stops the thread; the files go with their descriptors */

/* Put one record in; true with its offset in *off, false when it was not kept (the disk is behind). */
bool spool_put(struct spool *sp, int64_t ts_ns, uint32_t caplen, uint32_t len, int linktype, unsigned iface,
	       const uint8_t *data, const char *comment, uint16_t comment_len, uint64_t *off);
/* The record at off (as spool_put gave it): true with *r, false when it is no longer held or cannot be read. */
bool spool_get(struct spool *sp, uint64_t off, struct spool_rec *r);
/* Records before this offset can no longer be read. */
uint64_t spool_oldest(struct spool *sp);
void spool_stats(struct spool *sp, struct spool_stats *s);
/* Why the files cannot be written ("cannot write the spool in /tmp/x: No space left on device"), "" when they can. */
const char *spool_problem(struct spool *sp);
/* Wait until everything put in is on disk (or the disk failed); for tests. */
void spool_sync(struct spool *sp);

#endif
