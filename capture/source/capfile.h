/* capfile.h — a capture file or pipe opened for reading: classic pcap and pcapng by our readers, libpcap where it must. */
#ifndef SYNWATCH_CAPFILE_H
#define SYNWATCH_CAPFILE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/capbuf.h"
#include "source/pcapng.h"

struct capfile;

/*
 * Open path ("-": standard input; a regular file, a FIFO or a pipe) and read what it is from its first
 * bytes: pcapng (our reader), classic pcap (our reader for the records libpcap would hand over unchanged;
 * libpcap for the rest), anything else through libpcap (which knows the rarer variants, and says what
 * is wrong). NULL with a one-line message naming the file and the fix in err.
 */
struct capfile *capfile_open(const char *path, char *err, size_t errlen);

/* Outcomes of capfile_next besides 1 (a record) and 0 (the clean end). */
enum {
	CAPFILE_FULL = CAPBUF_FULL,   /* the records held leave no room: release some, then ask again */
	CAPFILE_BAD = -2,             /* pcapng: damaged, cut short or unreadable (capfile_pcapng has why) */
	CAPFILE_AGAIN = CAPBUF_AGAIN, /* a pipe has no bytes yet: poll capfile_fd() */
	CAPFILE_LIBPCAP = -4,         /* libpcap reads on from here: capfile_handover() */
};

/* The next record; for a classic file ts_frac is in the file's unit (capfile_frac_ns()). */
int capfile_next(struct capfile *cf, struct caprec *r);
void capfile_release(struct capfile *cf, uint64_t upto); /* as capbuf_release */
uint64_t capfile_offset(const struct capfile *cf);       /* of the next record */

/*
 * A libpcap handle of the file's link type (its first interface's for pcapng), snapshot length and time
 * precision: for -w and filter compilation; after capfile_handover(), the reader of the rest.
 */
pcap_t *capfile_pcap(const struct capfile *cf);

/* After CAPFILE_LIBPCAP: libpcap's handle, placed at the record where our reader stopped (a pipe gets a
   stream of what was read and not handed out, then the rest of the pipe). NULL with err. */
pcap_t *capfile_handover(struct capfile *cf, char *err, size_t errlen);

bool capfile_frac_ns(const struct capfile *cf);     /* records' ts_frac are nanoseconds */
bool capfile_nanosecond(const struct capfile *cf);  /* the file's precision (pcapng: an interface described
                                                       before the first packet is finer than 1 us) */
int capfile_fd(const struct capfile *cf);           /* a pipe's descriptor to poll, else -1 */
const struct pcapng *capfile_pcapng(const struct capfile *cf); /* NULL: not pcapng */
/* pcapng: synwatch's custom blocks read so far, oldest first, and "nobody takes them" (pcapng.h). A classic
   pcap has none. */
bool capfile_custom_next(struct capfile *cf, const uint8_t **data, size_t *len, uint64_t *offset);
void capfile_custom_off(struct capfile *cf);
/* A classic pcap in a regular file that our reader took (its records can be read in place): true with its
   byte order (swapped: not ours). */
bool capfile_pcap_inplace(const struct capfile *cf, bool *swapped);
/* --follow: at the end of a regular file, wait for more (CAPFILE_AGAIN) instead of ending. */
void capfile_follow(struct capfile *cf);
uint64_t capfile_size(const struct capfile *cf); /* a regular file's size now, else 0 */

void capfile_close(struct capfile *cf);

#endif
