/* capfile.c — opens a capture file or pipe by its first bytes: pcapng and classic pcap by our readers, libpcap where it must. */
/*
 * pcapng is read by pcapng.c alone (libpcap 1.10 refuses a file whose interfaces have different link
 * types). A classic pcap is read by pcapfile.c as long as its records are ones libpcap would hand over
 * unchanged; at the first other one libpcap reads on from there, so odd and damaged records get exactly
 * its treatment and wording. A regular file gives libpcap its own stdio stream on the descriptor (placed
 * with fseeko); a pipe cannot go back, so libpcap gets a stream that yields the file header and the bytes
 * read but not handed out, then the rest of the pipe. Anything else goes to libpcap from the start.
 */
#include "source/capfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/pcapfile.h"

#define PCAP_HDR_LEN 24
#define DEFAULT_SNAPLEN 262144

struct capfile {
	int fd;                   /* the descriptor read; -1 once a libpcap stream owns it */
	bool std;                 /* standard input (never closed here) */
	bool pipe;                /* not a regular file: read in order */
	struct pcapfile *pf;      /* classic pcap: our reader while it lasts */
	struct pcapng *ng;        /* pcapng: our reader */
	pcap_t *pcap;             /* see capfile_pcap() */
	bool libpcap_all;         /* our readers do not take this file: libpcap reads it from the start */
	bool swapped;             /* classic pcap: the file's byte order is not ours */
	int statfd;               /* a regular file's descriptor for its size (a dup: libpcap may own fd) */
	bool frac_ns, nano;
};

/* A stream for libpcap: len bytes kept from the pipe, then the rest of the pipe (fd; -1: nothing more). */
struct replay {
	uint8_t *pre;
	size_t len, pos;
	int fd;
};

static ssize_t replay_read(void *cookie, char *buf, size_t n)
{
	struct replay *r = cookie;
	if (r->pos < r->len) {
		size_t k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(buf, r->pre + r->pos, k);
		r->pos += k;
		return (ssize_t)k;
	}
	if (r->fd < 0)
		return 0;
	ssize_t got;
	do
		got = read(r->fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static int replay_close(void *cookie)
{
	struct replay *r = cookie;
	free(r->pre);
	free(r);
	return 0;
}

/* A stream of a[0..alen), b[0..blen), then fd (-1: the end). NULL: no memory. */
static FILE *replay_open(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, int fd)
{
	struct replay *r = calloc(1, sizeof *r);
	if (r)
		r->pre = malloc(alen + blen + 1);
	if (!r || !r->pre) {
		free(r);
		return NULL;
	}
	if (alen)
		memcpy(r->pre, a, alen);
	if (blen)
		memcpy(r->pre + alen, b, blen);
	r->len = alen + blen;
	r->fd = fd;
	cookie_io_functions_t io = { .read = replay_read, .close = replay_close };
	FILE *f = fopencookie(r, "r", io);
	if (!f)
		replay_close(r);
	return f;
}

/* libpcap on stream f (closed when libpcap cannot read it). */
static pcap_t *libpcap_on(FILE *f, bool nano, char *e)
{
	if (!f) {
		snprintf(e, PCAP_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
		f, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, e);
	if (!p)
		fclose(f);
	return p;
}

/* Why libpcap could not take the file, as one line with the fix. */
static void explain_libpcap(const struct capfile *cf, const char *who, const char *pcap_err, char *err, size_t errlen)
{
	if (strstr(pcap_err, "truncated"))
		snprintf(err, errlen, "%s is cut short inside its file header (%s); the file is not a usable capture", who,
			 pcap_err);
	else
		snprintf(err, errlen, "%s is not a pcap or pcapng capture (%s); %s a capture written by synwatch -w or tcpdump -w",
			 who, pcap_err, cf->std ? "pipe in" : "give");
}

/* Why path could not be opened (errno e), as one line with the fix. */
static void explain_open(const char *path, int e, char *err, size_t errlen)
{
	if (e == EACCES || e == EPERM)
		snprintf(err, errlen, "cannot read capture '%s': %s; check its permissions", path, strerror(e));
	else
		snprintf(err, errlen, "cannot read capture '%s': %s; check the path", path, strerror(e));
}

/* The libpcap handle standing for a pcapng file: its first interface's link type (Ethernet when it
   describes none before its first packet), the largest snapshot of that link type, the file's precision. */
static pcap_t *pcapng_handle(const struct pcapng *ng, bool nano)
{
	const struct pcapng_iface *first = pcapng_iface(ng, 0);
	int linktype = first ? first->pub.linktype : DLT_EN10MB;
	uint32_t snap = 0;
	for (size_t i = 0; i < pcapng_ifaces(ng); i++) {
		const struct pcapng_iface *f = pcapng_iface(ng, i);
		if (f->pub.linktype == linktype && (f->snaplen == 0 || f->snaplen > snap))
			snap = f->snaplen ? f->snaplen : DEFAULT_SNAPLEN;
	}
	if (snap == 0 || snap > DEFAULT_SNAPLEN)
		snap = DEFAULT_SNAPLEN;
	return pcap_open_dead_with_tstamp_precision(linktype, (int)snap,
						    nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
}

struct capfile *capfile_open(const char *path, char *err, size_t errlen)
{
	struct capfile *cf = calloc(1, sizeof *cf);
	if (!cf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cf->std = strcmp(path, "-") == 0;
	cf->statfd = -1;
	char who[300];
	if (cf->std)
		snprintf(who, sizeof who, "standard input");
	else
		snprintf(who, sizeof who, "'%s'", path);
	cf->fd = cf->std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (cf->fd < 0 || fstat(cf->fd, &st) != 0) {
		if (cf->std)
			snprintf(err, errlen, "cannot read standard input: %s", strerror(errno));
		else
			explain_open(path, errno, err, errlen);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is a directory, not a capture file; give a .pcap or .pcapng file", who);
		goto fail;
	}
	struct capbuf b;
	if (!capbuf_init(&b, cf->fd, CAPBUF_BYTES)) {
		snprintf(err, errlen, "out of memory for reading %s", who);
		goto fail;
	}
	cf->pipe = b.seq;
	if (!cf->pipe)
		cf->statfd = fcntl(cf->fd, F_DUPFD_CLOEXEC, 3);
	int rc = capbuf_need(&b, PCAP_HDR_LEN);
	if (rc == CAPBUF_ERROR || rc == CAPBUF_AGAIN) {
		snprintf(err, errlen, "cannot read %s: %s", who, strerror(rc == CAPBUF_ERROR ? b.err : EINTR));
		capbuf_free(&b);
		goto fail;
	}
	size_t have = capbuf_have(&b);
	if (have == 0) {
		if (cf->std)
			snprintf(err, errlen, "standard input is empty, not a capture; pipe in one written by synwatch -w or tcpdump -w");
		else
			snprintf(err, errlen, "%s is empty, not a capture; record one with synwatch -w or tcpdump -w", who);
		capbuf_free(&b);
		goto fail;
	}
	const uint8_t *h = capbuf_at(&b);
	char e[PCAP_ERRBUF_SIZE] = "";
	if (have >= 4 && memcmp(h, "\x0a\x0d\x0d\x0a", 4) == 0) {
		cf->ng = pcapng_attach(&b, e, sizeof e);
		if (!cf->ng) {
			snprintf(err, errlen, "%s is not a usable pcapng capture (%s); give a file written by synwatch -w, tcpdump -w or dumpcap",
				 who, e);
			goto fail;
		}
		cf->frac_ns = true;
		for (size_t i = 0; i < pcapng_ifaces(cf->ng); i++)
			cf->nano = cf->nano || pcapng_iface(cf->ng, i)->pub.nano;
		cf->pcap = pcapng_handle(cf->ng, cf->nano);
		if (!cf->pcap) {
			snprintf(err, errlen, "out of memory for reading %s", who);
			goto fail;
		}
		return cf;
	}
	uint32_t magic = 0;
	if (have >= 4)
		memcpy(&magic, h, 4);
	cf->nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	cf->swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	cf->frac_ns = cf->nano;
	if (!cf->pipe) {
		/* libpcap checks the header through a stream of its own on the descriptor (we only used pread:
		   its position is where the file starts), and reads whatever our reader leaves. */
		FILE *f = fdopen(cf->fd, "rb");
		if (f)
			cf->fd = -1; /* the stream owns it now, also when libpcap_on closes it */
		cf->pcap = libpcap_on(f, cf->nano, e);
		if (!cf->pcap) {
			capbuf_free(&b);
			explain_libpcap(cf, who, e, err, errlen);
			goto fail;
		}
		cf->pf = pcapfile_attach(&b, (uint32_t)pcap_snapshot(cf->pcap), pcap_datalink(cf->pcap));
		cf->libpcap_all = !cf->pf;
		return cf;
	}
	if (pcapfile_takes(h, have)) {
		/* libpcap checks the header alone; that handle then stands for the file until a handover. */
		cf->pcap = libpcap_on(replay_open(h, PCAP_HDR_LEN, NULL, 0, -1), cf->nano, e);
		if (cf->pcap)
			cf->pf = pcapfile_attach(&b, (uint32_t)pcap_snapshot(cf->pcap), pcap_datalink(cf->pcap));
		else
			capbuf_free(&b);
		if (!cf->pf) {
			explain_libpcap(cf, who, cf->pcap ? "out of memory" : e, err, errlen);
			goto fail;
		}
		return cf;
	}
	/* Not for our readers: libpcap reads the pipe from its first byte. */
	cf->pcap = libpcap_on(replay_open(h, have, NULL, 0, cf->fd), cf->nano, e);
	capbuf_free(&b);
	if (!cf->pcap) {
		explain_libpcap(cf, who, e, err, errlen);
		goto fail;
	}
	cf->libpcap_all = true;
	return cf;
fail:
	capfile_close(cf);
	return NULL;
}

int capfile_next(struct capfile *cf, struct caprec *r)
{
	if (cf->ng)
		return pcapng_next(cf->ng, r);
	if (!cf->pf)
		return CAPFILE_LIBPCAP;
	int rc = pcapfile_next(cf->pf, r);
	return rc == -1 ? CAPFILE_LIBPCAP : rc;
}

void capfile_release(struct capfile *cf, uint64_t upto)
{
	if (cf->ng)
		pcapng_release(cf->ng, upto);
	else if (cf->pf)
		pcapfile_release(cf->pf, upto);
}

uint64_t capfile_offset(const struct capfile *cf)
{
	return cf->ng ? pcapng_offset(cf->ng) : cf->pf ? pcapfile_offset(cf->pf) : 0;
}

pcap_t *capfile_pcap(const struct capfile *cf)
{
	return cf->pcap;
}

pcap_t *capfile_handover(struct capfile *cf, char *err, size_t errlen)
{
	if (cf->ng) {
		snprintf(err, errlen, "a pcapng file is read to its end by synwatch's own reader");
		return NULL;
	}
	if (!cf->pf)
		return cf->pcap; /* libpcap has read from the start */
	if (!cf->pipe) {
		if (fseeko(pcap_file(cf->pcap), (off_t)pcapfile_offset(cf->pf), SEEK_SET) != 0) {
			snprintf(err, errlen, "%s", strerror(errno));
			return NULL;
		}
	} else {
		size_t n;
		const uint8_t *rest = pcapfile_unread(cf->pf, &n);
		char e[PCAP_ERRBUF_SIZE] = "";
		pcap_t *p = libpcap_on(replay_open(pcapfile_header(cf->pf), PCAP_HDR_LEN, rest, n, cf->fd), cf->nano, e);
		if (!p) {
			snprintf(err, errlen, "%s", e);
			return NULL;
		}
		pcap_close(cf->pcap);
		cf->pcap = p;
	}
	pcapfile_close(cf->pf);
	cf->pf = NULL;
	return cf->pcap;
}

bool capfile_frac_ns(const struct capfile *cf)
{
	return cf->frac_ns;
}

bool capfile_nanosecond(const struct capfile *cf)
{
	return cf->nano;
}

int capfile_fd(const struct capfile *cf)
{
	return cf->pipe && (cf->ng || cf->pf) ? cf->fd : -1;
}

bool capfile_custom_next(struct capfile *cf, const uint8_t **data, size_t *len, uint64_t *offset)
{
	return cf->ng && pcapng_custom_next(cf->ng, data, len, offset);
}

void capfile_custom_off(struct capfile *cf)
{
	if (cf->ng)
		pcapng_custom_off(cf->ng);
}

const struct pcapng *capfile_pcapng(const struct capfile *cf)
{
	return cf->ng;
}

bool capfile_pcap_inplace(const struct capfile *cf, bool *swapped)
{
	*swapped = cf->swapped;
	return !cf->pipe && !cf->ng && !cf->libpcap_all;
}

void capfile_follow(struct capfile *cf)
{
	if (cf->pipe)
		return;
	if (cf->ng)
		pcapng_follow(cf->ng);
	else if (cf->pf)
		pcapfile_follow(cf->pf);
}

uint64_t capfile_size(const struct capfile *cf)
{
	struct stat st;
	return cf->statfd >= 0 && fstat(cf->statfd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

void capfile_close(struct capfile *cf)
{
	if (!cf)
		return;
	if (cf->statfd >= 0)
		close(cf->statfd);
	pcapng_close(cf->ng);
	pcapfile_close(cf->pf);
	if (cf->pcap)
		pcap_close(cf->pcap);
	if (cf->fd >= 0 && !cf->std)
		close(cf->fd);
	free(cf);
}
