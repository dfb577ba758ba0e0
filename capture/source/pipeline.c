/* pipeline.c — opens the capture source and -w file, then reads, numbers, writes, decodes and tracks. */
#include "source/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/decode.h"
#include "source/capfile.h"
#include "common/clock.h"
#include "source/filter.h"
#include "source/pcapngwrite.h"
#include "source/pcapwrite.h"

#define DEFAULT_SNAPLEN 262144
#define LIVE_BUFFER_BYTES (32 * 1024 * 1024) /* kernel ring: large enough to ride out a redraw */
#define LIVE_TIMEOUT_MS 10 /* live: a partly filled kernel block is handed over after this long */

/*
 * Packets read from the fast file reader are decoded AHEAD places before they are tracked and shown,
 * so that the flow table's memory for each can be fetched while the packets before it are worked on.
 */
#define AHEAD 16
/* Of those, the PREFETCH_AT-th (the one PREFETCH_AT - 1 places after the packet being tracked) has its flow fetched (see flow.h). */
#define PREFETCH_AT 8

/* One packet read ahead: where its bytes are, decoded. */
struct slot {
	struct pcap_pkthdr h;     /* as libpcap would give it (for -w) */
	const uint8_t *data;      /* in the fast reader's buffer */
	uint64_t offset;          /* of its record in the file (bytes before it may be read over once it is out) */
	struct packet pkt;
	struct flow_hint hint;    /* its flow key and hash, taken when decoded (flowtab_hint) */
};

/* Why reading stopped with -2 (pipeline_failure words it). */
enum pipeline_fail {
	FAIL_NONE = 0,
	FAIL_CAPTURE,   /* libpcap's error (a cut classic pcap says "truncated") */
	FAIL_FILE,      /* our pcapng reader: the file is damaged, cut short or unreadable (fault) */
	FAIL_FILTER,    /* the filter is invalid for a link type met in the file */
	FAIL_WRITE,     /* -w met a packet of a second link type */
};

struct pipeline {
	pcap_t *pcap;              /* live: the capture; file: capfile_pcap() (the file's; libpcap's reader once
				      it has taken over) */
	struct capfile *file;      /* -r, or NULL */
	struct pcapw *dumper;      /* -w as classic pcap, or NULL */
	int dump_linktype;         /* the one link type -w holds */
	bool dump_nano;            /* -w writes nanoseconds */
	struct pcapngw *ngw;       /* -w as pcapng, or NULL */
	bool ngw_held;             /* ... whose packets the caller writes (pipeline_write_packet) */
	int ngw_iface0;            /* its interface for the capture's own link type (live, classic pcap), or -1 */
	uint32_t snaplen;          /* for the interfaces it describes */
	int64_t read_ns;           /* the latest packet record's time read by our reader (INT64_MIN: none) */
	bool read_end;             /* our reader has stopped for good */
	struct flow_table *flows;
	bool live;
	bool nano;                 /* timestamps have nanosecond precision (file, --nano live; a pcapng file's
				      first packet of a finer interface turns it on) */
	bool frac_ns;              /* our reader's ts_frac are nanoseconds (else microseconds) */
	bool stopped;
	int linktype;              /* the capture's (a pcapng file's first interface's) */
	uint64_t count;            /* -c limit, 0 = none */
	uint64_t last_off;         /* the record offset of the packet handed out last (UINT64_MAX: none) */
	bool inplace;              /* a classic pcap in a regular file: records can be read again at their offsets */
	bool follow;               /* --follow */
	uint64_t packets, written;
	char name[256];            /* interface or file name */
	char dump_name[256];       /* the -w file */
	char filter_text[1024];    /* the expression as given */
	enum pipeline_fail fail;   /* set with -2 */
	enum pipeline_fail fail_ahead; /* met while reading ahead: becomes fail once the packets before are out */
	enum pcapng_fault fault;   /* with FAIL_FILE */
	char error[PCAP_ERRBUF_SIZE + 512];
	/* Reading files with our readers (capfile.c), decoding ahead: */
	bool fast;                 /* our reader reads; false: libpcap does (live, or a file after the handover) */
	bool fast_ended;           /* it stopped: end_rc says why (the ring may still hold packets) */
	int end_rc;                /* capfile_next's outcome that stopped the read-ahead (or CAPFILE_BAD for a filter failure) */
	struct filter *filter;     /* a file's filter, compiled for each link type met */
	struct bpf_program prog;   /* the live capture's filter, set in libpcap */
	bool have_prog;
	uint64_t passed_ahead;     /* packets read ahead that passed the filter (stops at -c) */
	unsigned head, fill;       /* ring[head] is the oldest packet read ahead; fill are held */
	struct slot ring[AHEAD];
};

/* Copy the text of s into dst (size n), always terminated. */
static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* List capture interfaces into buf, comma-separated. */
static void list_interfaces(char *buf, size_t n)
{
	pcap_if_t *all = NULL;
	char e[PCAP_ERRBUF_SIZE];
	buf[0] = '\0';
	if (pcap_findalldevs(&all, e) != 0)
		return;
	size_t used = 0;
	for (pcap_if_t *d = all; d && used + 2 < n; d = d->next) {
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", d->name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	pcap_freealldevs(all);
}

/*
 * Live capture on Linux: make the kernel's capture ring (libpcap maps it from the packet socket, 32 MiB by
 * default) resident in our page tables now, by reading one byte of every page. Otherwise the first pass
 * over it faults page by page while a flood's first packets arrive; at ~30 us a fault in a VM that is a
 * quarter of a second in which the ring fills. The mapping is the one /proc/self/maps names after the
 * socket's inode ("socket:[INODE]"); nothing happens when there is none. Only reads: libpcap owns it.
 */
static volatile unsigned char ring_sink; /* live_ring_prefault's reads go here (volatile: each happens) */

static void live_ring_prefault(int fd)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return;
	char want[64];
	snprintf(want, sizeof want, "socket:[%llu]", (unsigned long long)st.st_ino);
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return;
	char line[512];
	long page = sysconf(_SC_PAGESIZE);
	size_t pg = page > 0 ? (size_t)page : 4096;
	while (fgets(line, sizeof line, f)) {
		unsigned long long lo, hi;
		char *name = strchr(line, '/') ? NULL : strstr(line, want);
		if (!name || sscanf(line, "%llx-%llx", &lo, &hi) != 2 || hi <= lo)
			continue;
		volatile const unsigned char *p = (volatile const unsigned char *)(uintptr_t)lo;
		for (size_t off = 0; off < (size_t)(hi - lo); off += pg)
			ring_sink = p[off];
	}
	fclose(f);
}

/*
 * On the loopback device the kernel hands a packet socket every packet twice, as it goes out and as it
 * comes back in; libpcap throws the outgoing copy away. PACKET_IGNORE_OUTGOING (Linux 4.20) has the
 * kernel not make that copy: half the copying into the capture ring, which then holds twice the packets.
 * What synwatch sees is the same. Only for the loopback device itself: on others, and on "any", the
 * outgoing packets are the other half of the traffic.
 */
static void live_ignore_loop_copies(pcap_t *p, const char *iface)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	if (strlen(iface) >= sizeof ifr.ifr_name)
		return;
	memcpy(ifr.ifr_name, iface, strlen(iface));
	int fd = pcap_fileno(p);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_LOOPBACK))
		return;
#ifdef PACKET_IGNORE_OUTGOING
	int one = 1;
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one); /* older kernels: libpcap drops them */
#endif
}

static int open_live(struct pipeline *pl, const struct pipeline_opts *o, char *err, size_t errlen)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	const char *iface = o->iface ? o->iface : "lo";
	copy_str(pl->name, sizeof pl->name, iface);
	pl->pcap = pcap_create(iface, e);
	if (!pl->pcap) {
		snprintf(err, errlen, "cannot capture on '%s': %s", iface, e);
		return EXIT_INTERFACE;
	}
	pcap_set_snaplen(pl->pcap, o->snaplen > 0 ? o->snaplen : DEFAULT_SNAPLEN);
	pcap_set_promisc(pl->pcap, o->promisc ? 1 : 0);
	/* Not immediate mode: on Linux that means TPACKET_V2, one fixed slot per packet sized for the largest
	   (256 KiB on lo), so 32 MiB hold only ~250 packets. TPACKET_V3 packs packets densely into blocks; a
	   block is handed over when full or after LIVE_TIMEOUT_MS, which bounds the latency. */
	pcap_set_immediate_mode(pl->pcap, 0);
	pcap_set_timeout(pl->pcap, LIVE_TIMEOUT_MS);
	pcap_set_buffer_size(pl->pcap, o->buffer_bytes > 0 ? o->buffer_bytes : LIVE_BUFFER_BYTES);
	pl->nano = o->nano && pcap_set_tstamp_precision(pl->pcap, PCAP_TSTAMP_PRECISION_NANO) == 0;
	int rc = pcap_activate(pl->pcap);
	if (rc < 0) {
		const char *why = pcap_geterr(pl->pcap);
		char list[1024];
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			list_interfaces(list, sizeof list);
			snprintf(err, errlen, "no interface '%s'; available: %s", iface, list[0] ? list : "(none found)");
			return EXIT_INTERFACE;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(err, errlen, "interface '%s' is down; bring it up with: ip link set %s up", iface, iface);
			return EXIT_INTERFACE;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(err, errlen,
				 "no permission to capture on '%s'; run as root (sudo), or once: sudo make setcap", iface);
			return EXIT_PERMISSION;
		default:
			snprintf(err, errlen, "cannot capture on '%s': %s", iface, why && *why ? why : pcap_statustostr(rc));
			return rc == PCAP_ERROR_PERM_DENIED ? EXIT_PERMISSION : EXIT_INTERFACE;
		}
	}
	if (pcap_setnonblock(pl->pcap, 1, e) != 0) {
		snprintf(err, errlen, "cannot capture on '%s': %s", iface, e);
		return EXIT_FAILURE_RUNTIME;
	}
	live_ignore_loop_copies(pl->pcap, iface);
	live_ring_prefault(pcap_get_selectable_fd(pl->pcap));
	pl->live = true;
	return EXIT_OK;
}

static int open_file(struct pipeline *pl, const struct pipeline_opts *o, char *err, size_t errlen)
{
	copy_str(pl->name, sizeof pl->name, o->file);
	pl->file = capfile_open(o->file, err, errlen);
	if (!pl->file)
		return EXIT_INPUT;
	pl->pcap = capfile_pcap(pl->file);
	pl->nano = capfile_nanosecond(pl->file);
	pl->frac_ns = capfile_frac_ns(pl->file);
	pl->fast = true;
	bool swapped;
	pl->inplace = capfile_pcap_inplace(pl->file, &swapped);
	if (o->follow)
		capfile_follow(pl->file);
	pl->follow = o->follow;
	return EXIT_OK;
}

/* "LINUX_SLL2" or "DLT 999". */
static const char *lt_text(int linktype, char *buf, size_t n)
{
	const char *name = linktype_name(linktype);
	if (name)
		return name;
	snprintf(buf, n, "DLT %d", linktype);
	return buf;
}

/* The filter for a file: compiled for the link type of every interface described so far (pcapng), or
   the file's one. false with the message in err. */
static bool open_file_filter(struct pipeline *pl, const char *expr, char *err, size_t errlen)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	pl->filter = filter_compile(expr, pl->linktype, 0, e, sizeof e);
	if (!pl->filter) {
		snprintf(err, errlen, "invalid filter expression '%s': %s; see pcap-filter(7)", expr, e);
		return false;
	}
	const struct pcapng *ng = capfile_pcapng(pl->file);
	for (size_t i = 0; ng && i < pcapng_ifaces(ng); i++) {
		const struct pcapng_iface *f = pcapng_iface(ng, i);
		if (!filter_prepare(pl->filter, f->pub.linktype, e, sizeof e)) {
			char lt[32];
			snprintf(err, errlen,
				 "invalid filter expression '%s' for link type %s (interface %u of '%s'): %s; give one that every link type of the file accepts (see pcap-filter(7))",
				 expr, lt_text(f->pub.linktype, lt, sizeof lt), f->pub.index, pl->name, e);
			return false;
		}
	}
	return true;
}

struct pipeline *pipeline_open(const struct pipeline_opts *o, char *err, size_t errlen, int *code)
{
	struct pipeline *pl = calloc(1, sizeof *pl);
	if (!pl) {
		snprintf(err, errlen, "out of memory");
		*code = EXIT_FAILURE_RUNTIME;
		return NULL;
	}
	pl->count = o->count;
	pl->ngw_iface0 = -1;
	pl->read_ns = INT64_MIN;
	pl->last_off = UINT64_MAX;
	copy_str(pl->filter_text, sizeof pl->filter_text, o->filter);
	*code = o->file ? open_file(pl, o, err, errlen) : open_live(pl, o, err, errlen);
	if (*code != EXIT_OK)
		goto fail;
	pl->linktype = pcap_datalink(pl->pcap);

	if (o->filter && *o->filter && pl->file) {
		if (!open_file_filter(pl, o->filter, err, errlen)) {
			*code = EXIT_USAGE;
			goto fail;
		}
	} else if (o->filter && *o->filter) {
		if (pcap_compile(pl->pcap, &pl->prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "invalid filter expression '%s': %s; see pcap-filter(7)", o->filter,
				 pcap_geterr(pl->pcap));
			*code = EXIT_USAGE;
			goto fail;
		}
		pl->have_prog = true;
		if (pcap_setfilter(pl->pcap, &pl->prog) != 0) {
			snprintf(err, errlen, "cannot apply filter '%s': %s", o->filter, pcap_geterr(pl->pcap));
			*code = EXIT_FAILURE_RUNTIME;
			goto fail;
		}
	}

	size_t max_flows = o->max_flows ? o->max_flows : FLOW_DEFAULT_MAX_FLOWS;
	pl->flows = flowtab_new(max_flows);
	if (!pl->flows) {
		snprintf(err, errlen, "cannot reserve memory for %zu flows; lower --max-flows", max_flows);
		*code = EXIT_FAILURE_RUNTIME;
		goto fail;
	}

	/* -w last, so that no error above leaves a file behind. */
	if (o->write && o->pcapng) {
		char why[256];
		struct pcapngw_section sec = { o->write_appl, o->write_comment };
		pl->ngw = pcapngw_open(o->write, &sec, why, sizeof why);
		if (!pl->ngw) {
			snprintf(err, errlen, "cannot write '%s': %s; check that its directory exists and is writable",
				 o->write, why);
			*code = EXIT_OUTPUT;
			goto fail;
		}
		pl->snaplen = (uint32_t)pcap_snapshot(pl->pcap);
		/* live and classic pcap: the one interface now (a pcapng file's as its packets come) */
		if (!pl->file || !capfile_pcapng(pl->file))
			pl->ngw_iface0 = pcapngw_iface(pl->ngw, pl->linktype, pl->live ? pl->name : NULL, pl->nano,
						       pl->snaplen, pl->filter_text);
		copy_str(pl->dump_name, sizeof pl->dump_name, o->write);
		pcapngw_flush(pl->ngw);
	} else if (o->write) {
		char why[PCAP_ERRBUF_SIZE + 64];
		pl->dumper = pcapw_open_like(pl->pcap, o->write, why, sizeof why);
		if (!pl->dumper) {
			snprintf(err, errlen, "cannot write '%s': %s; check that its directory exists and is writable",
				 o->write, why);
			*code = EXIT_OUTPUT;
			goto fail;
		}
		pl->dump_linktype = pl->linktype;
		pl->dump_nano = pcap_get_tstamp_precision(pl->pcap) == PCAP_TSTAMP_PRECISION_NANO;
		copy_str(pl->dump_name, sizeof pl->dump_name, o->write);
	}
	*code = EXIT_OK;
	return pl;
fail:
	pipeline_close(pl);
	return NULL;
}

/* One record to -w. */
static void pipeline_dump(struct pipeline *pl, const struct pcap_pkthdr *h, const uint8_t *data)
{
	pcapw_write(pl->dumper, h->ts.tv_sec, h->ts.tv_usec, h->caplen, h->len, data);
	pl->written++;
}

/* The pcapng -w interface for a packet of link type dlt from input interface in (NULL: live, classic
   pcap, or not known): the one described for it, or a new one with its name and resolution. */
static int pipeline_ng_iface(struct pipeline *pl, int dlt, const struct pkt_iface *in)
{
	if (!in && pl->ngw_iface0 >= 0 && dlt == pl->linktype)
		return pl->ngw_iface0;
	return pcapngw_iface(pl->ngw, dlt, in ? in->name : NULL, in ? in->nano : pl->nano, pl->snaplen, pl->filter_text);
}

/* One decoded packet to a pcapng -w, with its interface and its comment when the input has them. */
static void pipeline_dump_ng(struct pipeline *pl, const struct packet *p)
{
	int id = pipeline_ng_iface(pl, p->linktype, p->iface);
	pcapngw_packet(pl->ngw, id, packet_time_ns(p), p->caplen, p->len, p->data, p->comment, p->comment_len);
	pl->written++;
}

/* The capture time (caprec_time). */
static void pipeline_set_time(struct packet *pkt, int64_t sec, uint32_t frac, bool nano)
{
	caprec_time(sec, frac, nano, &pkt->ts_sec, &pkt->ts_nsec);
}

/* Stop reading ahead because the filter is invalid for a link type the file holds (reported with -2
   once the packets before it are out). */
static void pipeline_filter_failed(struct pipeline *pl, const struct caprec *r)
{
	char lt[32], where[48] = "";
	if (r->iface)
		snprintf(where, sizeof where, " (interface %u)", r->iface->index);
	snprintf(pl->error, sizeof pl->error, "filter '%s' is invalid for link type %s%s: %s", filter_expr(pl->filter),
		 lt_text(r->linktype, lt, sizeof lt), where, filter_why(pl->filter, r->linktype));
	pl->fail_ahead = FAIL_FILTER;
	pl->fast_ended = true;
	pl->end_rc = CAPFILE_BAD;
}

/*
 * Fill the ring from our reader: read, filter and decode until AHEAD packets are held, -c packets have
 * been read, the reader has nothing now (a pipe, or no room in its buffer: end_rc says) or is done.
 */
static void pipeline_read_ahead(struct pipeline *pl)
{
	pl->end_rc = 1;
	while (!pl->fast_ended && pl->fill < AHEAD && !(pl->count && pl->passed_ahead >= pl->count)) {
		struct caprec r;
		int rc = capfile_next(pl->file, &r);
		if (rc != 1) {
			pl->end_rc = rc;
			pl->fast_ended = rc != CAPFILE_AGAIN && rc != CAPFILE_FULL;
			pl->read_end = rc == 0 || rc == CAPFILE_BAD;
			break;
		}
		int64_t t = time_ns_clamped(r.ts_sec, (int64_t)(pl->frac_ns ? r.ts_frac : r.ts_frac * 1000ull));
		if (t > pl->read_ns)
			pl->read_ns = t;
		struct slot *s = &pl->ring[(pl->head + pl->fill) % AHEAD];
		s->h.ts.tv_sec = (time_t)r.ts_sec;
		s->h.ts.tv_usec = (int32_t)r.ts_frac; /* libpcap reads it as a signed 32-bit field */
		s->h.caplen = r.caplen;
		s->h.len = r.len;
		if (pl->filter) {
			int m = filter_run(pl->filter, r.linktype, r.data, r.caplen, r.len);
			if (m < 0) {
				pipeline_filter_failed(pl, &r);
				break;
			}
			if (!m)
				continue;
		}
		s->data = r.data;
		s->offset = r.offset;
		decode_packet(&s->pkt, r.linktype, r.data, r.caplen, r.len);
		pipeline_set_time(&s->pkt, r.ts_sec, r.ts_frac, pl->frac_ns);
		if (r.iface) { /* pcapng: what the file says of it, and -w's time in -w's precision */
			s->pkt.iface = r.iface;
			s->pkt.iface_several = r.iface_several;
			s->pkt.comment = r.comment;
			s->pkt.comment_len = r.comment_len;
			s->h.ts.tv_sec = (time_t)s->pkt.ts_sec;
			s->h.ts.tv_usec = (suseconds_t)(pl->dump_nano ? s->pkt.ts_nsec : s->pkt.ts_nsec / 1000);
		}
		flowtab_hint(pl->flows, &s->pkt, &s->hint);
		pl->fill++;
		pl->passed_ahead++;
	}
}

/* -w met a packet of a second link type: stop there (reported with -2, exit 6). */
static int pipeline_write_failed(struct pipeline *pl, const struct packet *p)
{
	char a[32], b[32], where[48] = "";
	if (p->iface)
		snprintf(where, sizeof where, " of interface %u", p->iface->index);
	snprintf(pl->error, sizeof pl->error,
		 "-w '%s' is a pcap file of one link type, %s: packet %llu is %s%s; the file holds the %llu packets before it",
		 pl->dump_name, lt_text(pl->dump_linktype, a, sizeof a), (unsigned long long)pl->packets + 1,
		 lt_text(p->linktype, b, sizeof b), where, (unsigned long long)pl->written);
	pl->fail = FAIL_WRITE;
	pl->fast_ended = true;
	pl->fill = 0;
	return -2;
}

/* The oldest packet read ahead: number, write, track, hand over (in place: *pkt points into the ring). */
static int pipeline_emit(struct pipeline *pl, const struct packet **pkt, struct track_result *tr)
{
	struct slot *s = &pl->ring[pl->head];
	if (pl->dumper && s->pkt.linktype != pl->dump_linktype)
		return pipeline_write_failed(pl, &s->pkt);
	pl->head = (pl->head + 1) % AHEAD;
	pl->fill--;
	pl->packets++;
	if (pl->dumper)
		pipeline_dump(pl, &s->h, s->data);
	else if (pl->ngw && !pl->ngw_held)
		pipeline_dump_ng(pl, &s->pkt);
	if (s->pkt.iface && s->pkt.iface->nano)
		pl->nano = true;
	s->pkt.n = pl->packets;
	pl->last_off = s->offset;
	if (pl->fill > PREFETCH_AT - 1)
		flowtab_prefetch(pl->flows, &pl->ring[(pl->head + PREFETCH_AT - 1) % AHEAD].hint);
	flow_track_hinted(pl->flows, &s->pkt, &s->hint, tr);
	*pkt = &s->pkt;
	return 1;
}

/* Our reader has stopped and the ring is empty: the end, a failure, or libpcap reads on. */
static int pipeline_fast_done(struct pipeline *pl)
{
	switch (pl->end_rc) {
	case 0:
		return -1;
	case CAPFILE_AGAIN:
		return 0;
	case CAPFILE_BAD:
		pl->fail = pl->fail_ahead;
		if (pl->fail == FAIL_NONE) {
			const struct pcapng *ng = capfile_pcapng(pl->file);
			pl->fail = FAIL_FILE;
			pl->fault = ng ? pcapng_fault(ng) : PCAPNG_DAMAGED;
			copy_str(pl->error, sizeof pl->error, ng ? pcapng_error(ng) : "unreadable");
		}
		return -2;
	case CAPFILE_LIBPCAP:
		break;
	default: /* CAPFILE_FULL with nothing held: a record bigger than the buffer can be */
		pl->fail = FAIL_FILE;
		pl->fault = PCAPNG_UNREADABLE;
		snprintf(pl->error, sizeof pl->error, "a record at offset %llu does not fit the reader's buffer",
			 (unsigned long long)capfile_offset(pl->file));
		return -2;
	}
	/* Every record our reader took is out: libpcap reads the rest (or meets the end). */
	char e[PCAP_ERRBUF_SIZE + 64] = "";
	pcap_t *p = capfile_handover(pl->file, e, sizeof e);
	struct bpf_program *prog = p && pl->filter ? filter_program(pl->filter, pl->linktype) : NULL;
	if (p && pl->filter && (!prog || pcap_setfilter(p, prog) != 0))
		snprintf(e, sizeof e, "cannot apply filter '%s': %s", filter_expr(pl->filter), prog ? pcap_geterr(p) : "?");
	if (!p || e[0]) {
		pl->fail = FAIL_CAPTURE;
		copy_str(pl->error, sizeof pl->error, e);
		return -2;
	}
	pl->pcap = p;
	pl->fast = false;
	return 1;
}

int pipeline_next_ref(struct pipeline *pl, const struct packet **pkt, struct track_result *tr)
{
	if (pl->stopped || (pl->count && pl->packets >= pl->count))
		return -1;
	if (pl->fail != FAIL_NONE)
		return -2;
	if (pl->fast) {
		/* The packet handed out last is done with: only those still in the ring are held. */
		capfile_release(pl->file, pl->fill ? pl->ring[pl->head].offset : capfile_offset(pl->file));
		if (!pl->fast_ended)
			pipeline_read_ahead(pl);
		if (pl->fill)
			return pipeline_emit(pl, pkt, tr);
		int rc = pipeline_fast_done(pl);
		if (rc != 1)
			return rc;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	/* libpcap reads a regular file through its stream: where the stream stands is the next record. */
	off_t at = pl->inplace && pcap_file(pl->pcap) ? ftello(pcap_file(pl->pcap)) : -1;
	int rc = pcap_next_ex(pl->pcap, &h, &data);
	if (rc == 0)
		return 0;
	if (rc == PCAP_ERROR_BREAK)
		return -1;
	if (rc < 0) {
		pl->fail = FAIL_CAPTURE;
		copy_str(pl->error, sizeof pl->error, pcap_geterr(pl->pcap));
		return -2;
	}
	pl->packets++;
	pl->last_off = at >= 0 ? (uint64_t)at : UINT64_MAX;
	if (pl->dumper)
		pipeline_dump(pl, h, data);
	struct packet *p = &pl->ring[0].pkt; /* the ring is not in use once libpcap reads */
	decode_packet(p, pl->linktype, data, h->caplen, h->len);
	p->n = pl->packets;
	pipeline_set_time(p, h->ts.tv_sec, (uint32_t)h->ts.tv_usec, pl->nano);
	if (pl->ngw && !pl->ngw_held)
		pipeline_dump_ng(pl, p);
	flow_track(pl->flows, p, tr);
	*pkt = p;
	return 1;
}

int pipeline_next(struct pipeline *pl, struct packet *pkt, struct track_result *tr)
{
	const struct packet *p;
	int rc = pipeline_next_ref(pl, &p, tr);
	if (rc == 1)
		*pkt = *p;
	return rc;
}

int pipeline_fd(const struct pipeline *pl)
{
	if (pl->live)
		return pcap_get_selectable_fd(pl->pcap);
	return pl->fast ? capfile_fd(pl->file) : -1;
}

bool pipeline_live(const struct pipeline *pl) { return pl->live; }
uint64_t pipeline_record_offset(const struct pipeline *pl) { return pl->inplace ? pl->last_off : UINT64_MAX; }
uint64_t pipeline_file_size(const struct pipeline *pl) { return pl->file ? capfile_size(pl->file) : 0; }

bool pipeline_pcap_inplace(const struct pipeline *pl, bool *swapped, bool *nano, uint32_t *snaplen, int *linktype)
{
	if (!pl->inplace || !capfile_pcap_inplace(pl->file, swapped))
		return false;
	*nano = pl->frac_ns;
	*snaplen = (uint32_t)pcap_snapshot(pl->pcap);
	*linktype = pl->linktype;
	return true;
}
bool pipeline_nanosecond(const struct pipeline *pl) { return pl->nano; }
int pipeline_linktype(const struct pipeline *pl) { return pl->linktype; }
const char *pipeline_source_name(const struct pipeline *pl) { return pl->name; }
const char *pipeline_filter(const struct pipeline *pl) { return pl->filter_text; }
const char *pipeline_error(const struct pipeline *pl) { return pl->error; }
struct flow_table *pipeline_flows(struct pipeline *pl) { return pl->flows; }

int pipeline_failure(const struct pipeline *pl, char *msg, size_t n)
{
	unsigned long long k = (unsigned long long)pl->packets;
	switch (pl->fail) {
	case FAIL_FILE:
		if (pl->fault == PCAPNG_UNREADABLE)
			snprintf(msg, n, "cannot read '%s' after packet %llu (%s); the packets before it were decoded", pl->name,
				 k, pl->error);
		else
			snprintf(msg, n, "'%s' is %s after packet %llu (%s); the packets before it were decoded", pl->name,
				 pl->fault == PCAPNG_CUT ? "cut short" : "damaged", k, pl->error);
		return EXIT_INPUT;
	case FAIL_FILTER:
		snprintf(msg, n, "%s, met after packet %llu; give an expression that every link type of '%s' accepts",
			 pl->error, k, pl->name);
		return EXIT_USAGE;
	case FAIL_WRITE:
		snprintf(msg, n, "%s", pl->error);
		return EXIT_OUTPUT;
	default:
		if (pl->file && strstr(pl->error, "truncated")) {
			snprintf(msg, n, "'%s' is cut short after packet %llu (%s); the packets before it were decoded",
				 pl->name, k, pl->error);
			return EXIT_INPUT;
		}
		snprintf(msg, n, "capture on '%s' failed: %s", pl->name, pl->error);
		return EXIT_FAILURE_RUNTIME;
	}
}

size_t pipeline_interfaces(const struct pipeline *pl)
{
	const struct pcapng *ng = pl->file ? capfile_pcapng(pl->file) : NULL;
	return ng ? pcapng_ifaces(ng) : 0;
}

const struct pcapng_iface *pipeline_interface(const struct pipeline *pl, size_t i)
{
	const struct pcapng *ng = pl->file ? capfile_pcapng(pl->file) : NULL;
	return ng ? pcapng_iface(ng, i) : NULL;
}

void pipeline_stop(struct pipeline *pl)
{
	pl->stopped = true;
}

bool pipeline_flush(struct pipeline *pl)
{
	if (pl->ngw)
		return pcapngw_flush(pl->ngw);
	if (!pl->dumper)
		return true;
	return pcapw_flush(pl->dumper);
}

int pipeline_write_error(const struct pipeline *pl)
{
	return pl->ngw ? pcapngw_error(pl->ngw) : 0;
}

void pipeline_hold_writes(struct pipeline *pl)
{
	pl->ngw_held = pl->ngw != NULL;
}

void pipeline_write_packet(struct pipeline *pl, int linktype, int64_t ts_ns, uint32_t caplen, uint32_t len,
			   const uint8_t *data, const char *comment, size_t comment_len)
{
	if (!pl->ngw)
		return;
	/* a pcapng input's first interface of that link type gives its name and resolution */
	const struct pkt_iface *in = NULL;
	for (size_t i = 0; !in && i < pipeline_interfaces(pl); i++)
		if (pipeline_interface(pl, i)->pub.linktype == linktype)
			in = &pipeline_interface(pl, i)->pub;
	pcapngw_packet(pl->ngw, pipeline_ng_iface(pl, linktype, in), ts_ns, caplen, len, data, comment, comment_len);
}

void pipeline_write_custom(struct pipeline *pl, const uint8_t *data, size_t len)
{
	if (pl->ngw)
		pcapngw_custom(pl->ngw, data, len);
}

bool pipeline_writes_pcapng(const struct pipeline *pl)
{
	return pl->ngw != NULL;
}

bool pipeline_custom_next(struct pipeline *pl, const uint8_t **data, size_t *len, uint64_t *offset)
{
	return pl->file && capfile_custom_next(pl->file, data, len, offset);
}

void pipeline_custom_off(struct pipeline *pl)
{
	if (pl->file)
		capfile_custom_off(pl->file);
}

int64_t pipeline_read_upto(const struct pipeline *pl)
{
	if (!pl->file)
		return INT64_MIN;
	return pl->read_end || !pl->fast ? INT64_MAX : pl->read_ns;
}

void pipeline_stats(struct pipeline *pl, struct pipeline_stats *s)
{
	memset(s, 0, sizeof *s);
	s->packets = pl->packets;
	s->written = pl->ngw_held && pl->ngw ? pcapngw_packets(pl->ngw) : pl->written;
	struct pcap_stat ps;
	if (pl->live && pcap_stats(pl->pcap, &ps) == 0) {
		s->kernel_recv = ps.ps_recv;
		s->kernel_drop = ps.ps_drop;
		s->iface_drop = ps.ps_ifdrop;
	}
}

/* The pcapng -w file's end: each interface's statistics (the kernel's counters for a live capture's), then
   the close. */
static void pipeline_close_ng(struct pipeline *pl)
{
	if (!pl->ngw)
		return;
	struct pipeline_stats st;
	pipeline_stats(pl, &st);
	int64_t at = pl->live ? clock_real_ns() : pl->read_ns;
	for (size_t i = 0; i < pcapngw_ifaces(pl->ngw); i++) {
		struct pcapngw_stats ks = { 0 };
		if (pl->live && (int)i == pl->ngw_iface0) {
			ks.have = PCAPNG_ISB_IFRECV | PCAPNG_ISB_IFDROP | PCAPNG_ISB_OSDROP;
			ks.ifrecv = st.kernel_recv;
			ks.ifdrop = st.iface_drop;
			ks.osdrop = st.kernel_drop;
		}
		pcapngw_stats(pl->ngw, (int)i, at, &ks);
	}
	pcapngw_close(pl->ngw);
	pl->ngw = NULL;
}

void pipeline_close(struct pipeline *pl)
{
	if (!pl)
		return;
	pcapw_close(pl->dumper);
	pipeline_close_ng(pl);
	if (pl->have_prog)
		pcap_freecode(&pl->prog);
	filter_free(pl->filter);
	if (pl->file)
		capfile_close(pl->file); /* and its libpcap handle */
	else if (pl->pcap)
		pcap_close(pl->pcap);
	if (pl->flows)
		flowtab_free(pl->flows);
	free(pl);
}
