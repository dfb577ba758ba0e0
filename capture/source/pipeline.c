/* pipeline.c — opens the capture source and -w file, then reads, numbers, writes, decodes and tracks. */
#include "source/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "decode/decode.h"
#include "source/pcapfile.h"
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
	size_t offset;            /* of its record in the file (bytes before it may be read over once it is out) */
	struct packet pkt;
	struct flow_hint hint;    /* its flow key and hash, taken when decoded (flowtab_hint) */
};

struct pipeline {
	pcap_t *pcap;
	struct pcapw *dumper;      /* -w, or NULL */
	struct flow_table *flows;
	bool live;
	bool nano;                 /* timestamps are nanoseconds (file precision, or --nano live) */
	bool stopped;
	int linktype;
	uint64_t count;            /* -c limit, 0 = none */
	uint64_t packets, written;
	char name[256];            /* interface or file name */
	char filter[1024];         /* the expression as given */
	char error[PCAP_ERRBUF_SIZE + 256];
	/* Reading classic pcap files without libpcap's copies (pcapfile.c), decoding ahead: */
	struct pcapfile *fast;     /* the fast reader while it lasts; NULL: libpcap reads */
	bool fast_ended;           /* it returned its last record (the ring may still hold some) */
	struct bpf_program prog;   /* the filter, which the fast reader's records go through by hand */
	bool have_prog;
	uint64_t passed_ahead;     /* packets read ahead that passed the filter (stops at -c) */
	unsigned head, fill;       /* ring[head] is the oldest packet read ahead; fill are held */
	struct slot ring[AHEAD];
};

struct view_filter {
	struct bpf_program prog;
};

/* Copy the text of s into dst (size n), always terminated. */
static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/*
 * Does the capture file keep nanosecond timestamps? pcap: magic a1b23c4d (either order). pcapng: the
 * first interface description block's if_tsresol option (code 9) is 9 (10^-9 s). Any read problem: no.
 */
static bool file_is_nanosecond(const char *path)
{
	uint8_t buf[4096];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct cursor c = cursor_make(buf, n);
	uint32_t magic;
	if (!cursor_be32(&c, &magic))
		return false;
	if (magic == 0xa1b23c4du || magic == 0x4d3cb2a1u)
		return true;
	if (magic != 0x0a0d0d0au)
		return false;
	/* pcapng: byte order from the section header's byte-order magic. */
	c = cursor_make(buf, n);
	bool le = n >= 12 && buf[8] == 0x4d && buf[9] == 0x3c;
	for (int blocks = 0; blocks < 16; blocks++) {
		struct cursor blk = c;
		uint32_t type, len;
		bool ok = le ? cursor_le32(&blk, &type) && cursor_le32(&blk, &len)
			     : cursor_be32(&blk, &type) && cursor_be32(&blk, &len);
		if (!ok || len < 12 || len % 4)
			return false;
		if (type == 1) { /* IDB: linktype(2) reserved(2) snaplen(4), then options */
			struct cursor opt = cursor_sub(&blk, len - 12);
			if (!cursor_skip(&opt, 8))
				return false;
			for (;;) {
				uint8_t h[4];
				if (!cursor_bytes(&opt, h, 4))
					return false;
				unsigned code = le ? (unsigned)(h[0] | h[1] << 8) : (unsigned)(h[0] << 8 | h[1]);
				unsigned olen = le ? (unsigned)(h[2] | h[3] << 8) : (unsigned)(h[2] << 8 | h[3]);
				if (code == 0)
					return false;
				uint8_t v;
				if (code == 9 && olen == 1 && cursor_u8(&opt, &v))
					return v == 9;
				if (!cursor_skip(&opt, (olen + 3u) & ~3u))
					return false;
			}
		}
		if (!cursor_skip(&c, len))
			return false;
	}
	return false;
}

/* A readable explanation of why a capture file cannot be opened. */
static int explain_file_error(const char *path, const char *pcap_err, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "cannot read capture '%s': %s; check the path", path, strerror(errno));
		return EXIT_INPUT;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is a directory, not a capture file; give a .pcap or .pcapng file", path);
		return EXIT_INPUT;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "cannot read capture '%s': %s; check its permissions", path, strerror(errno));
		return EXIT_INPUT;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "'%s' is empty, not a capture; record one with synwatch -w or tcpdump -w", path);
		return EXIT_INPUT;
	}
	if (strstr(pcap_err, "truncated")) {
		snprintf(err, errlen, "'%s' is cut short inside its file header (%s); the file is not a usable capture",
			 path, pcap_err);
		return EXIT_INPUT;
	}
	snprintf(err, errlen, "'%s' is not a pcap or pcapng capture (%s); give a file written by synwatch -w or tcpdump -w",
		 path, pcap_err);
	return EXIT_INPUT;
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
	live_ring_prefault(pcap_get_selectable_fd(pl->pcap));
	pl->live = true;
	return EXIT_OK;
}

static int open_file(struct pipeline *pl, const struct pipeline_opts *o, char *err, size_t errlen)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	copy_str(pl->name, sizeof pl->name, o->file);
	pl->nano = file_is_nanosecond(o->file);
	FILE *f = strcmp(o->file, "-") == 0 ? stdin : NULL;
	if (f)
		pl->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, e);
	else
		pl->pcap = pcap_open_offline_with_tstamp_precision(
			o->file, pl->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, e);
	if (!pl->pcap)
		return explain_file_error(o->file, e, err, errlen);
	if (f)
		pl->nano = true;
	return EXIT_OK;
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
	copy_str(pl->filter, sizeof pl->filter, o->filter);
	*code = o->file ? open_file(pl, o, err, errlen) : open_live(pl, o, err, errlen);
	if (*code != EXIT_OK)
		goto fail;
	pl->linktype = pcap_datalink(pl->pcap);
	if (!pl->live && strcmp(o->file, "-") != 0) {
		FILE *f = pcap_file(pl->pcap);
		int snap = pcap_snapshot(pl->pcap);
		if (f && snap > 0)
			pl->fast = pcapfile_open(fileno(f), (uint32_t)snap);
	}

	if (o->filter && *o->filter) {
		struct bpf_program prog;
		if (pcap_compile(pl->pcap, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "invalid filter expression '%s': %s; see pcap-filter(7)", o->filter,
				 pcap_geterr(pl->pcap));
			*code = EXIT_USAGE;
			goto fail;
		}
		int rc = pcap_setfilter(pl->pcap, &prog);
		pl->prog = prog; /* kept for the fast reader, freed by pipeline_close */
		pl->have_prog = true;
		if (rc != 0) {
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
	if (o->write) {
		char why[PCAP_ERRBUF_SIZE + 64];
		pl->dumper = pcapw_open_like(pl->pcap, o->write, why, sizeof why);
		if (!pl->dumper) {
			snprintf(err, errlen, "cannot write '%s': %s; check that its directory exists and is writable",
				 o->write, why);
			*code = EXIT_OUTPUT;
			goto fail;
		}
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

/* The capture time; a damaged record can hold a fraction of a second or more: carry it into the seconds. */
static void pipeline_set_time(struct packet *pkt, int64_t sec, uint32_t frac, bool nano)
{
	uint64_t nsec = nano ? frac : (uint64_t)frac * 1000;
	int64_t carry = (int64_t)(nsec / 1000000000u);
	pkt->ts_sec = sec <= INT64_MAX - carry ? sec + carry : INT64_MAX;
	pkt->ts_nsec = (uint32_t)(nsec % 1000000000u);
}

/*
 * Fill the ring from the fast reader: read, filter and decode until AHEAD packets are held, -c packets
 * have been read, or the reader is done. When it is done libpcap's file position is set to where it
 * stopped, so that libpcap reads on from there (the rest of a damaged or growing file).
 */
static void pipeline_read_ahead(struct pipeline *pl)
{
	while (!pl->fast_ended && pl->fill < AHEAD && !(pl->count && pl->passed_ahead >= pl->count)) {
		struct pcapfile_rec r;
		int rc = pcapfile_next(pl->fast, &r);
		if (rc <= 0) {
			pl->fast_ended = true;
			if (fseeko(pcap_file(pl->pcap), (off_t)pcapfile_offset(pl->fast), SEEK_SET) != 0)
				copy_str(pl->error, sizeof pl->error, strerror(errno));
			break;
		}
		struct slot *s = &pl->ring[(pl->head + pl->fill) % AHEAD];
		s->h.ts.tv_sec = (time_t)r.ts_sec;
		s->h.ts.tv_usec = (int32_t)r.ts_frac; /* libpcap reads it as a signed 32-bit field */
		s->h.caplen = r.caplen;
		s->h.len = r.len;
		if (pl->have_prog && !pcap_offline_filter(&pl->prog, &s->h, r.data))
			continue;
		s->data = r.data;
		s->offset = r.offset;
		decode_packet(&s->pkt, pl->linktype, r.data, r.caplen, r.len);
		pipeline_set_time(&s->pkt, r.ts_sec, r.ts_frac, pl->nano);
		flowtab_hint(pl->flows, &s->pkt, &s->hint);
		pl->fill++;
		pl->passed_ahead++;
	}
}

/* The oldest packet read ahead: number, write, track, hand over (in place: *pkt points into the ring). */
static int pipeline_emit(struct pipeline *pl, const struct packet **pkt, struct track_result *tr)
{
	struct slot *s = &pl->ring[pl->head];
	pl->head = (pl->head + 1) % AHEAD;
	pl->fill--;
	pl->packets++;
	if (pl->dumper)
		pipeline_dump(pl, &s->h, s->data);
	s->pkt.n = pl->packets;
	if (pl->fill > PREFETCH_AT - 1)
		flowtab_prefetch(pl->flows, &pl->ring[(pl->head + PREFETCH_AT - 1) % AHEAD].hint);
	flow_track_hinted(pl->flows, &s->pkt, &s->hint, tr);
	*pkt = &s->pkt;
	/* Nothing before this packet's record is needed again. */
	pcapfile_release(pl->fast, s->offset);
	return 1;
}

int pipeline_next_ref(struct pipeline *pl, const struct packet **pkt, struct track_result *tr)
{
	if (pl->stopped || (pl->count && pl->packets >= pl->count))
		return -1;
	if (pl->fast) {
		pipeline_read_ahead(pl);
		if (pl->fill)
			return pipeline_emit(pl, pkt, tr);
		if (pl->error[0])
			return -2;
		/* Every record the fast reader took is out: libpcap reads the rest (or meets the end). */
		pcapfile_close(pl->fast);
		pl->fast = NULL;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(pl->pcap, &h, &data);
	if (rc == 0)
		return 0;
	if (rc == PCAP_ERROR_BREAK)
		return -1;
	if (rc < 0) {
		copy_str(pl->error, sizeof pl->error, pcap_geterr(pl->pcap));
		return -2;
	}
	pl->packets++;
	if (pl->dumper)
		pipeline_dump(pl, h, data);
	struct packet *p = &pl->ring[0].pkt; /* the ring is not in use once libpcap reads */
	decode_packet(p, pl->linktype, data, h->caplen, h->len);
	p->n = pl->packets;
	pipeline_set_time(p, h->ts.tv_sec, (uint32_t)h->ts.tv_usec, pl->nano);
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
	return pl->live ? pcap_get_selectable_fd(pl->pcap) : -1;
}

bool pipeline_live(const struct pipeline *pl) { return pl->live; }
bool pipeline_nanosecond(const struct pipeline *pl) { return pl->nano; }
int pipeline_linktype(const struct pipeline *pl) { return pl->linktype; }
const char *pipeline_source_name(const struct pipeline *pl) { return pl->name; }
const char *pipeline_filter(const struct pipeline *pl) { return pl->filter; }
const char *pipeline_error(const struct pipeline *pl) { return pl->error; }
struct flow_table *pipeline_flows(struct pipeline *pl) { return pl->flows; }

void pipeline_stop(struct pipeline *pl)
{
	pl->stopped = true;
}

bool pipeline_flush(struct pipeline *pl)
{
	if (!pl->dumper)
		return true;
	return pcapw_flush(pl->dumper);
}

void pipeline_stats(struct pipeline *pl, struct pipeline_stats *s)
{
	memset(s, 0, sizeof *s);
	s->packets = pl->packets;
	s->written = pl->written;
	struct pcap_stat ps;
	if (pl->live && pcap_stats(pl->pcap, &ps) == 0) {
		s->kernel_recv = ps.ps_recv;
		s->kernel_drop = ps.ps_drop;
		s->iface_drop = ps.ps_ifdrop;
	}
}

void pipeline_close(struct pipeline *pl)
{
	if (!pl)
		return;
	pcapw_close(pl->dumper);
	pcapfile_close(pl->fast);
	if (pl->have_prog)
		pcap_freecode(&pl->prog);
	if (pl->pcap)
		pcap_close(pl->pcap);
	if (pl->flows)
		flowtab_free(pl->flows);
	free(pl);
}

struct view_filter *filter_compile(const char *expr, int linktype, int snaplen, char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(linktype, snaplen > 0 ? snaplen : DEFAULT_SNAPLEN);
	struct view_filter *f = dead ? calloc(1, sizeof *f) : NULL;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		if (dead)
			pcap_close(dead);
		return NULL;
	}
	if (pcap_compile(dead, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
		pcap_close(dead);
		free(f);
		return NULL;
	}
	pcap_close(dead);
	return f;
}

bool filter_match(const struct view_filter *f, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	return bpf_filter(f->prog.bf_insns, data, len, caplen) != 0;
}

void filter_free(struct view_filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f);
}
