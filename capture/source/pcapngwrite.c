/* pcapngwrite.c — the pcapng writer: blocks built in a buffer that goes to the file between whole blocks. */
/*
 * Format: draft-ietf-opsawg-pcapng (pcapng.c reads what this writes). Every block is "type, total length,
 * body, total length", padded to 4 bytes; options are "code, length, value padded to 4", ended by
 * opt_endofopt. One section, in this host's byte order.
 */
#include "source/pcapngwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "source/pcapng.h"

#define NGW_BUF (1u << 20) /* the buffer: holds the largest block (a 256 KiB packet with a 64 KiB comment) */

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 1u
#define BT_ISB 5u
#define BT_EPB 6u
#define BT_CB_COPY 0x00000badu /* custom block that may be copied to a new file */
#define BOM 0x1a2b3c4du

#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_HARDWARE 2
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_TSRESOL 9
#define IF_FILTER 11
#define ISB_STARTTIME 2
#define ISB_ENDTIME 3
#define ISB_IFRECV 4
#define ISB_IFDROP 5
#define ISB_OSDROP 7
#define ISB_USRDELIV 8

#define OPT_MAX 65535u /* an option's value is at most this long */

/* An interface described in the file. */
struct ngw_iface {
	int dlt;
	bool nano;
	char *name;               /* NULL: none */
	uint64_t packets;         /* packet blocks written on it */
	int64_t first_ns, last_ns; /* the first and last of them */
};

struct pcapngw {
	int fd;
	bool std;                 /* standard output: not closed here */
	uint8_t *buf;             /* NGW_BUF bytes */
	size_t len;               /* bytes in it not yet written */
	int err;                  /* errno of the first failed write, 0 when none */
	uint64_t ondisk;          /* bytes of whole blocks in the file */
	struct ngw_iface *ifs;
	size_t nifs, capifs;
	uint64_t packets;
};

static size_t pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

/* After a failed write that left `done` bytes of the buffer in the file: cut the file back to the end of
   the last whole block among them, so that it holds whole blocks only (a pipe cannot be cut). */
static void ngw_cut(struct pcapngw *w, size_t done)
{
	size_t whole = 0;
	while (whole + 8 <= w->len) {
		uint32_t n;
		memcpy(&n, w->buf + whole + 4, 4);
		if (whole + n > done)
			break;
		whole += n;
	}
	if (!w->std && ftruncate(w->fd, (off_t)(w->ondisk + whole)) == 0)
		w->ondisk += whole;
}

bool pcapngw_flush(struct pcapngw *w)
{
	size_t done = 0;
	while (!w->err && done < w->len) {
		ssize_t k = write(w->fd, w->buf + done, w->len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			w->err = k < 0 ? errno : EIO;
		else
			done += (size_t)k;
	}
	if (w->err && done < w->len)
		ngw_cut(w, done);
	else
		w->ondisk += done;
	w->len = 0;
	return !w->err;
}

int pcapngw_error(const struct pcapngw *w)
{
	return w->err;
}

/* Room for a block of n bytes at the buffer's end (flushing what is there first when it does not fit):
   where to build it, or NULL when it never fits (larger than the buffer) or writing has failed. */
static uint8_t *ngw_room(struct pcapngw *w, size_t n)
{
	if (n > NGW_BUF || w->err)
		return NULL;
	if (w->len + n > NGW_BUF)
		pcapngw_flush(w);
	return w->err ? NULL : w->buf + w->len;
}

/* A block being built in place. */
struct ngw_blk {
	uint8_t *start, *p;
};

static void put16(struct ngw_blk *b, uint16_t v)
{
	memcpy(b->p, &v, 2);
	b->p += 2;
}

static void put32(struct ngw_blk *b, uint32_t v)
{
	memcpy(b->p, &v, 4);
	b->p += 4;
}

/* A 64-bit option value: the whole number in the section's (this host's) order. */
static void put64(struct ngw_blk *b, uint64_t v)
{
	memcpy(b->p, &v, 8);
	b->p += 8;
}

static void put_bytes(struct ngw_blk *b, const void *v, size_t n)
{
	if (n)
		memcpy(b->p, v, n);
	memset(b->p + n, 0, pad4(n) - n);
	b->p += pad4(n);
}

static void put_opt(struct ngw_blk *b, uint16_t code, const void *v, size_t n)
{
	put16(b, code);
	put16(b, (uint16_t)n);
	put_bytes(b, v, n);
}

static void put_opt_str(struct ngw_blk *b, uint16_t code, const char *s)
{
	if (s && *s) {
		size_t n = strlen(s);
		put_opt(b, code, s, n < OPT_MAX ? n : OPT_MAX);
	}
}

/* Bytes an option of a string takes (0 for none). */
static size_t opt_str_len(const char *s)
{
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	return 4 + pad4(n < OPT_MAX ? n : OPT_MAX);
}

/* Start a block of type `type` in a room of at most `max` bytes; NULL: no room (writing failed). */
static bool ngw_begin(struct pcapngw *w, struct ngw_blk *b, uint32_t type, size_t max)
{
	b->start = b->p = ngw_room(w, max);
	if (!b->p)
		return false;
	put32(b, type);
	put32(b, 0); /* the length, set by ngw_end */
	return true;
}

/* End the options (when with_opts), then the block: its length at both ends; it is now in the buffer. */
static void ngw_end(struct pcapngw *w, struct ngw_blk *b, bool with_opts)
{
	if (with_opts) {
		put16(b, OPT_END);
		put16(b, 0);
	}
	uint32_t total = (uint32_t)(b->p - b->start + 4);
	memcpy(b->start + 4, &total, 4);
	put32(b, total);
	w->len += total;
}

static void ngw_shb(struct pcapngw *w, const struct pcapngw_section *sec)
{
	struct utsname u;
	char os[2 * sizeof u.release + 2] = "", hw[sizeof u.machine] = "";
	if (uname(&u) == 0) {
		snprintf(os, sizeof os, "%s %s", u.sysname, u.release);
		snprintf(hw, sizeof hw, "%s", u.machine);
	}
	size_t max = 28 + opt_str_len(hw) + opt_str_len(os) + opt_str_len(sec->userappl) + opt_str_len(sec->comment) + 4;
	struct ngw_blk b;
	if (!ngw_begin(w, &b, BT_SHB, max))
		return;
	put32(&b, BOM);
	put16(&b, 1); /* version 1.0 */
	put16(&b, 0);
	put64(&b, UINT64_MAX); /* section length: not given */
	put_opt_str(&b, SHB_HARDWARE, hw);
	put_opt_str(&b, SHB_OS, os);
	put_opt_str(&b, SHB_USERAPPL, sec->userappl);
	put_opt_str(&b, OPT_COMMENT, sec->comment);
	ngw_end(w, &b, true);
}

struct pcapngw *pcapngw_open(const char *path, const struct pcapngw_section *sec, char *why, size_t whylen)
{
	struct pcapngw *w = calloc(1, sizeof *w);
	if (w)
		w->buf = malloc(NGW_BUF);
	if (!w || !w->buf) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		if (w)
			free(w);
		return NULL;
	}
	w->std = strcmp(path, "-") == 0;
	w->fd = w->std ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (w->fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		free(w->buf);
		free(w);
		return NULL;
	}
	ngw_shb(w, sec);
	if (!pcapngw_flush(w)) {
		snprintf(why, whylen, "%s", strerror(w->err));
		if (!w->std) {
			close(w->fd);
			unlink(path);
		}
		free(w->buf);
		free(w);
		return NULL;
	}
	return w;
}

int pcapngw_iface(struct pcapngw *w, int dlt, const char *name, bool nano, uint32_t snaplen, const char *filter)
{
	for (size_t i = 0; i < w->nifs; i++) {
		const struct ngw_iface *f = &w->ifs[i];
		if (f->dlt == dlt && f->nano == nano &&
		    (f->name == name || (f->name && name && strcmp(f->name, name) == 0)))
			return (int)i;
	}
	if (w->nifs == PCAPNGW_MAX_IFACES)
		return -1;
	if (w->nifs == w->capifs) {
		size_t cap = w->capifs ? w->capifs * 2 : 4;
		struct ngw_iface *ifs = realloc(w->ifs, cap * sizeof *ifs);
		if (!ifs)
			return -1;
		w->ifs = ifs;
		w->capifs = cap;
	}
	struct ngw_iface *f = &w->ifs[w->nifs];
	memset(f, 0, sizeof *f);
	f->dlt = dlt;
	f->nano = nano;
	if (name && !(f->name = strdup(name)))
		return -1;
	/* if_filter: a first byte 0 says "a libpcap filter string" follows. */
	size_t flen = filter && *filter ? strlen(filter) : 0;
	if (flen > OPT_MAX - 1)
		flen = OPT_MAX - 1;
	size_t max = 20 + opt_str_len(name) + 8 + (flen ? 4 + pad4(flen + 1) : 0) + 4;
	struct ngw_blk b;
	if (ngw_begin(w, &b, BT_IDB, max)) {
		put16(&b, (uint16_t)pcapng_dlt_to_linktype(dlt));
		put16(&b, 0);
		put32(&b, snaplen);
		put_opt_str(&b, IF_NAME, name);
		uint8_t resol = nano ? 9 : 6;
		put_opt(&b, IF_TSRESOL, &resol, 1);
		if (flen) {
			put16(&b, IF_FILTER);
			put16(&b, (uint16_t)(flen + 1));
			*b.p = 0;
			memcpy(b.p + 1, filter, flen);
			memset(b.p + 1 + flen, 0, pad4(flen + 1) - flen - 1);
			b.p += pad4(flen + 1);
		}
		ngw_end(w, &b, true);
	}
	return (int)w->nifs++;
}

/* A time as the interface counts it: ns, or us. */
static uint64_t ngw_units(const struct ngw_iface *f, int64_t ts_ns)
{
	if (ts_ns < 0)
		return 0;
	return f->nano ? (uint64_t)ts_ns : (uint64_t)ts_ns / 1000;
}

void pcapngw_packet(struct pcapngw *w, int iface, int64_t ts_ns, uint32_t caplen, uint32_t len,
		    const uint8_t *data, const char *comment, size_t comment_len)
{
	if (iface < 0 || (size_t)iface >= w->nifs)
		return;
	struct ngw_iface *f = &w->ifs[iface];
	if (caplen > PCAPNG_MAX_CAPLEN)
		caplen = PCAPNG_MAX_CAPLEN;
	if (comment && comment_len > OPT_MAX)
		comment_len = OPT_MAX;
	size_t max = 32 + pad4(caplen) + (comment ? 4 + pad4(comment_len) : 0) + 4;
	struct ngw_blk b;
	if (!ngw_begin(w, &b, BT_EPB, max))
		return;
	uint64_t t = ngw_units(f, ts_ns);
	put32(&b, (uint32_t)iface);
	put32(&b, (uint32_t)(t >> 32));
	put32(&b, (uint32_t)t);
	put32(&b, caplen);
	put32(&b, len);
	put_bytes(&b, data, caplen);
	if (comment)
		put_opt(&b, OPT_COMMENT, comment, comment_len);
	ngw_end(w, &b, comment != NULL);
	if (!f->packets)
		f->first_ns = ts_ns;
	f->last_ns = ts_ns;
	f->packets++;
	w->packets++;
}

void pcapngw_custom(struct pcapngw *w, const uint8_t *data, size_t len)
{
	if (len > PCAPNG_CUSTOM_MAX)
		return;
	struct ngw_blk b;
	if (!ngw_begin(w, &b, BT_CB_COPY, 16 + pad4(len)))
		return;
	put32(&b, PCAPNG_PEN_SYNWATCH);
	put_bytes(&b, data, len);
	ngw_end(w, &b, false);
}

void pcapngw_stats(struct pcapngw *w, int iface, int64_t at_ns, const struct pcapngw_stats *st)
{
	if (iface < 0 || (size_t)iface >= w->nifs)
		return;
	const struct ngw_iface *f = &w->ifs[iface];
	struct ngw_blk b;
	if (!ngw_begin(w, &b, BT_ISB, 24 + 6 * 12 + 4))
		return;
	uint64_t t = ngw_units(f, at_ns);
	put32(&b, (uint32_t)iface);
	put32(&b, (uint32_t)(t >> 32));
	put32(&b, (uint32_t)t);
	if (f->packets) {
		uint64_t s = ngw_units(f, f->first_ns), e = ngw_units(f, f->last_ns);
		/* isb_starttime and isb_endtime: the timestamp's two 32-bit halves, high first, as in a packet block */
		uint32_t v[2] = { (uint32_t)(s >> 32), (uint32_t)s };
		put_opt(&b, ISB_STARTTIME, v, 8);
		v[0] = (uint32_t)(e >> 32);
		v[1] = (uint32_t)e;
		put_opt(&b, ISB_ENDTIME, v, 8);
	}
	static const struct {
		uint32_t bit;
		uint16_t code;
	} counters[] = { { PCAPNG_ISB_IFRECV, ISB_IFRECV }, { PCAPNG_ISB_IFDROP, ISB_IFDROP },
			 { PCAPNG_ISB_OSDROP, ISB_OSDROP }, { PCAPNG_ISB_USRDELIV, ISB_USRDELIV } };
	const uint64_t val[] = { st->ifrecv, st->ifdrop, st->osdrop, f->packets };
	for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
		if ((st->have | PCAPNG_ISB_USRDELIV) & counters[i].bit) {
			put16(&b, counters[i].code);
			put16(&b, 8);
			put64(&b, val[i]);
		}
	}
	ngw_end(w, &b, true);
}

size_t pcapngw_ifaces(const struct pcapngw *w)
{
	return w->nifs;
}

uint64_t pcapngw_packets(const struct pcapngw *w)
{
	return w->packets;
}

bool pcapngw_close(struct pcapngw *w)
{
	if (!w)
		return true;
	bool ok = pcapngw_flush(w);
	if (!w->std && close(w->fd) != 0)
		ok = false;
	for (size_t i = 0; i < w->nifs; i++)
		free(w->ifs[i].name);
	free(w->ifs);
	free(w->buf);
	free(w);
	return ok;
}
