/* pcapng.c — the pcapng block parser: sections in either byte order, interfaces, packet and statistics blocks, the rest passed over. */
/*
 * Format: draft-ietf-opsawg-pcapng (the pcapng specification). A file is a run of blocks, each
 * "type, total length, body, total length again", the length a multiple of 4 and at least 12. A section
 * header block (SHB) starts a section and gives its byte order; interface description blocks (IDB)
 * describe the section's interfaces, numbered from 0 in the section; enhanced, simple and (obsolete)
 * packet blocks carry packets of those interfaces; interface statistics blocks (ISB) carry counters.
 * Every other block is passed over by its length without being held in memory whole.
 *
 * Blocks read whole are taken where they lie in the reader's buffer (capbuf.c) and every field and
 * option is read through a cursor bounded by the block. The first block that breaks the format, or
 * that the file cuts, ends the read: the reason names the block and its offset.
 */
#include "source/pcapng.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "cursor.h"

#define BT_SHB 0x0a0d0d0au /* section header block (pcapng §4.1) */
#define BT_IDB 1u          /* interface description block (§4.2) */
#define BT_PB 2u           /* packet block (obsolete, appendix) */
#define BT_SPB 3u          /* simple packet block (§4.4) */
#define BT_ISB 5u          /* interface statistics block (§4.6) */
#define BT_EPB 6u          /* enhanced packet block (§4.3) */
#define BT_CB_COPY 0x00000badu   /* custom block an editor may copy (§4.8) */
#define BT_CB_NOCOPY 0x40000badu /* custom block an editor should not copy */
#define BT_UNREAD 0xffffffffu /* (reserved) named "block": one whose type could not be read */
#define BOM 0x1a2b3c4du    /* the SHB's byte-order magic */

#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define IF_NAME 2
#define IF_TSRESOL 9
#define IF_TSOFFSET 14
#define ISB_STARTTIME 2
#define ISB_IFRECV 4       /* ISB_IFRECV..ISB_USRDELIV: 4 to 8, 64-bit counters */
#define ISB_USRDELIV 8

#define NAME_MAX_BYTES 1024 /* an if_name longer than this is shortened */

struct pcapng {
	struct capbuf b;
	bool be;                  /* the current section's byte order is big-endian */
	uint32_t sections;        /* sections begun so far */
	size_t sec_first;         /* ifs index of the current section's first interface */
	struct pcapng_iface **ifs; /* every interface described, over all sections (each allocated once) */
	size_t nifs, capifs;
	/* A block being passed over (every type not read whole), possibly across calls: */
	bool skipping;
	uint32_t skip_type, skip_len;
	uint64_t skip_off, skip_left; /* its offset, and body bytes still to pass before its trailing length */
	size_t max_block;         /* the longest block read whole: PCAPNG_MAX_BLOCK, or less in a smaller buffer */
	bool failed;              /* error holds why; every call returns PCAPNG_BAD */
	enum pcapng_fault fault;
	char error[384];
	/* synwatch's custom blocks waiting to be taken: records "u32 length, u64 offset, data" in kept[head, len) */
	bool custom_off;          /* nobody takes them: none is kept */
	uint8_t *kept;
	size_t kept_head, kept_len, kept_cap;
	uint64_t custom_dropped;  /* left out: PCAPNG_CUSTOM_HELD bytes were waiting */
};

#define KEPT_HDR 12 /* a kept block's length and offset */

/* A block read whole: where it lies and in which byte order. */
struct ngblk {
	uint32_t type, len;
	uint64_t off;             /* its file offset */
	const uint8_t *p;         /* its len bytes */
	bool be;
};

/* One option of a block. */
struct ngopt {
	uint16_t code, len;
	const uint8_t *v;         /* len bytes */
};

static const char *block_name(uint32_t type, char *buf, size_t n)
{
	switch (type) {
	case BT_SHB: return "section header block";
	case BT_IDB: return "interface description block";
	case BT_PB: return "packet block";
	case BT_SPB: return "simple packet block";
	case 4: return "name resolution block";
	case BT_ISB: return "interface statistics block";
	case BT_EPB: return "enhanced packet block";
	case 9: return "systemd journal export block";
	case 10: return "decryption secrets block";
	case BT_CB_COPY:
	case BT_CB_NOCOPY: return "custom block";
	case BT_UNREAD: return "block";
	}
	snprintf(buf, n, "block of type 0x%08x", type);
	return buf;
}

/* Stop reading: "BLOCK at offset N: what". Returns PCAPNG_BAD. */
__attribute__((format(printf, 5, 6))) static int ng_fail(struct pcapng *ng, enum pcapng_fault fault, uint32_t type,
							 uint64_t off, const char *fmt, ...)
{
	char nb[40];
	int k = snprintf(ng->error, sizeof ng->error, "%s at offset %llu: ", block_name(type, nb, sizeof nb),
			 (unsigned long long)off);
	if (k < 0 || (size_t)k >= sizeof ng->error)
		k = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ng->error + k, sizeof ng->error - (size_t)k, fmt, ap);
	va_end(ap);
	ng->failed = true;
	ng->fault = fault;
	return PCAPNG_BAD;
}

/* A buffer outcome other than OK as the parser's: a read error ends the read; FULL and AGAIN pass. */
static int ng_io(struct pcapng *ng, int rc, uint32_t type, uint64_t off)
{
	if (rc == CAPBUF_ERROR)
		return ng_fail(ng, PCAPNG_UNREADABLE, type, off, "read error: %s", strerror(ng->b.err));
	return rc;
}

static uint32_t get32(const uint8_t *p, bool be)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return be == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) ? v : __builtin_bswap32(v);
}

static bool ng_u16(struct cursor *c, bool be, uint16_t *v)
{
	return be ? cursor_be16(c, v) : cursor_le16(c, v);
}

static bool ng_u32(struct cursor *c, bool be, uint32_t *v)
{
	return be ? cursor_be32(c, v) : cursor_le32(c, v);
}

/* A 64-bit value in the section's order (option values). */
static bool ng_u64(struct cursor *c, bool be, uint64_t *v)
{
	uint32_t a, b;
	if (!cursor_has(c, 8))
		return false;
	ng_u32(c, be, &a);
	ng_u32(c, be, &b);
	*v = be ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	return true;
}

/*
 * The next option in *c (the block's options area): 1 with *o, 0 after the last (opt_endofopt or the
 * area's end), PCAPNG_BAD when one runs past the area.
 */
static int ng_opt_next(struct pcapng *ng, const struct ngblk *k, struct cursor *c, struct ngopt *o)
{
	size_t left = cursor_left(c);
	if (left == 0)
		return 0;
	uint64_t at = k->off + (uint64_t)(c->p - k->p);
	if (left < 4) /* (blocks and options are 4-aligned, so only a bug here could leave 1 to 3) */
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off,
			       "%zu bytes at offset %llu after its options, too few for an option header", left,
			       (unsigned long long)at);
	ng_u16(c, k->be, &o->code);
	ng_u16(c, k->be, &o->len);
	if (o->code == OPT_ENDOFOPT)
		return 0;
	size_t padded = ((size_t)o->len + 3u) & ~(size_t)3u;
	if (!cursor_has(c, padded))
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off,
			       "option %u at offset %llu has %u bytes, past the block's end", o->code,
			       (unsigned long long)at, o->len);
	o->v = c->p;
	cursor_skip(c, padded);
	return 1;
}

/* An option whose value must be `want` bytes long. */
static int ng_opt_len(struct pcapng *ng, const struct ngblk *k, const struct ngopt *o, const char *name, uint16_t want)
{
	if (o->len == want)
		return 1;
	return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "%s option of %u bytes, not %u", name, o->len, want);
}

/* Walk the options of a block whose options nothing here uses: each must still lie inside it. */
static int ng_opts_check(struct pcapng *ng, const struct ngblk *k, struct cursor c)
{
	struct ngopt o;
	int rc;
	while ((rc = ng_opt_next(ng, k, &c, &o)) == 1)
		;
	return rc;
}

/* if_name as a printable string: up to its first NUL, control bytes and invalid UTF-8 as '?'; NULL when
   empty or out of memory (the interface is then shown by its number). */
static char *ng_name(const uint8_t *v, size_t n)
{
	const uint8_t *nul = memchr(v, 0, n);
	if (nul)
		n = (size_t)(nul - v);
	if (n > NAME_MAX_BYTES)
		n = NAME_MAX_BYTES;
	char *s = n ? malloc(n + 1) : NULL;
	if (!s)
		return NULL;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(v + i, n - i);
		if (k == 0 || (k == 1 && (v[i] < 0x20 || v[i] == 0x7f))) {
			s[w++] = '?';
			i++;
			continue;
		}
		memcpy(s + w, v + i, k);
		w += k;
		i += k;
	}
	s[w] = '\0';
	return s;
}

/* The interface's clock from if_tsresol (v: high bit 2^-exp, else 10^-exp seconds). */
static void ng_clock(struct pcapng_iface *f, uint8_t v)
{
	f->pow2 = v & 0x80;
	f->exp = v & 0x7f;
	f->div = f->ndiv = 0;
	f->mul = 0;
	if (f->pow2) {
		f->pub.nano = f->exp >= 20; /* 2^-20 s is below a microsecond */
		return;
	}
	uint64_t p10[20];
	p10[0] = 1;
	for (int i = 1; i < 20; i++)
		p10[i] = p10[i - 1] * 10;
	unsigned e = f->exp;
	f->pub.nano = e > 6;
	if (e <= 9) {
		f->div = p10[e];
		f->mul = (uint32_t)p10[9 - e];
	} else if (e <= 19) {
		f->div = p10[e];
		f->ndiv = p10[e - 9];
	} else if (e - 9 <= 19) {
		f->ndiv = p10[e - 9]; /* a second is beyond 64 bits of units: every timestamp is under one */
	}
}

/* A timestamp of the interface's units as seconds (saturating) and nanoseconds, if_tsoffset added. */
static void ng_time(const struct pcapng_iface *f, uint64_t t, int64_t *sec, uint32_t *nsec)
{
	uint64_t s, ns;
	if (f->div == 1000000) {
		s = t / 1000000;
		ns = t % 1000000 * 1000;
	} else if (f->div == 1000000000) {
		s = t / 1000000000;
		ns = t % 1000000000;
	} else if (!f->pow2) {
		if (f->div) {
			s = t / f->div;
			ns = f->mul ? t % f->div * f->mul : t % f->div / f->ndiv;
		} else {
			s = 0;
			ns = f->ndiv ? t / f->ndiv : 0;
		}
	} else if (f->exp < 64) {
		s = t >> f->exp;
		uint64_t rest = t & ((1ull << f->exp) - 1);
		ns = (uint64_t)(((unsigned __int128)rest * 1000000000u) >> f->exp);
	} else {
		s = 0;
		ns = (uint64_t)(((unsigned __int128)t * 1000000000u) >> f->exp);
	}
	int64_t si = s > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)s;
	if (f->tsoffset > 0 && si > INT64_MAX - f->tsoffset)
		si = INT64_MAX;
	else
		si += f->tsoffset; /* si >= 0: a negative offset cannot overflow */
	*sec = si;
	*nsec = (uint32_t)ns;
}

/* Below LINKTYPE_MATCHING_MIN (104) the values are the DLT_ ones, except these four (pcap-common.c). */
static const struct {
	int linktype, dlt;
} linktype_dlt[] = {
	{ 100, 11 }, /* LINKTYPE_ATM_RFC1483 */
	{ 101, 12 }, /* LINKTYPE_RAW */
	{ 102, 15 }, /* LINKTYPE_SLIP_BSDOS */
	{ 103, 16 }, /* LINKTYPE_PPP_BSDOS */
};

int pcapng_linktype_to_dlt(int linktype)
{
	for (size_t i = 0; i < sizeof linktype_dlt / sizeof linktype_dlt[0]; i++)
		if (linktype_dlt[i].linktype == linktype)
			return linktype_dlt[i].dlt;
	return linktype;
}

int pcapng_dlt_to_linktype(int dlt)
{
	for (size_t i = 0; i < sizeof linktype_dlt / sizeof linktype_dlt[0]; i++)
		if (linktype_dlt[i].dlt == dlt)
			return linktype_dlt[i].linktype;
	return dlt;
}

static int ng_shb(struct pcapng *ng, const struct ngblk *k)
{
	if (k->len < 28)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "block length %u is below its 28 bytes of fixed fields", k->len);
	struct cursor c = cursor_make(k->p + 12, k->len - 16);
	uint16_t major, minor;
	ng_u16(&c, k->be, &major);
	ng_u16(&c, k->be, &minor);
	cursor_skip(&c, 8); /* section length: -1 or a hint */
	if (major != 1 || (minor != 0 && minor != 2))
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "version %u.%u; synwatch reads pcapng 1.0", major, minor);
	if (ng_opts_check(ng, k, c) == PCAPNG_BAD)
		return PCAPNG_BAD;
	ng->be = k->be;
	ng->sections++;
	ng->sec_first = ng->nifs;
	return 0;
}

static int ng_idb(struct pcapng *ng, const struct ngblk *k)
{
	if (k->len < 20)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "block length %u is below its 20 bytes of fixed fields", k->len);
	if (ng->nifs >= PCAPNG_MAX_IFACES)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "the file describes more than %u interfaces", PCAPNG_MAX_IFACES);
	if (ng->nifs == ng->capifs) {
		size_t cap = ng->capifs ? ng->capifs * 2 : 8;
		struct pcapng_iface **ifs = realloc(ng->ifs, cap * sizeof *ifs);
		if (!ifs)
			return ng_fail(ng, PCAPNG_UNREADABLE, k->type, k->off, "out of memory for the interface");
		ng->ifs = ifs;
		ng->capifs = cap;
	}
	struct pcapng_iface *f = calloc(1, sizeof *f);
	if (!f)
		return ng_fail(ng, PCAPNG_UNREADABLE, k->type, k->off, "out of memory for the interface");
	struct cursor c = cursor_make(k->p + 8, k->len - 12);
	uint16_t linktype, reserved;
	ng_u16(&c, k->be, &linktype);
	ng_u16(&c, k->be, &reserved);
	ng_u32(&c, k->be, &f->snaplen);
	ng_clock(f, 6); /* microseconds unless if_tsresol says otherwise */
	bool have_resol = false, have_offset = false;
	struct ngopt o;
	int rc;
	while ((rc = ng_opt_next(ng, k, &c, &o)) == 1) {
		if (o.code == IF_NAME && !f->name) {
			f->name = ng_name(o.v, o.len);
			f->pub.name = f->name;
		} else if (o.code == IF_TSRESOL && !have_resol) {
			if ((rc = ng_opt_len(ng, k, &o, "if_tsresol", 1)) != 1)
				break;
			ng_clock(f, o.v[0]);
			have_resol = true;
		} else if (o.code == IF_TSOFFSET && !have_offset) {
			if ((rc = ng_opt_len(ng, k, &o, "if_tsoffset", 8)) != 1)
				break;
			struct cursor v = cursor_make(o.v, 8);
			uint64_t off;
			ng_u64(&v, k->be, &off);
			f->tsoffset = (int64_t)off;
			have_offset = true;
		}
	}
	if (rc == PCAPNG_BAD) {
		free(f->name);
		free(f);
		return PCAPNG_BAD;
	}
	f->pub.index = (uint32_t)(ng->nifs - ng->sec_first);
	f->pub.linktype = pcapng_linktype_to_dlt(linktype);
	f->section = ng->sections - 1;
	ng->ifs[ng->nifs++] = f;
	return 0;
}

/* The current section's interface id, or NULL after saying what is wrong. */
static struct pcapng_iface *ng_iface_of(struct pcapng *ng, const struct ngblk *k, uint32_t id)
{
	size_t have = ng->nifs - ng->sec_first;
	if (id < have)
		return ng->ifs[ng->sec_first + id];
	if (have == 0)
		ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "interface %u is not described: the section has no interface description block before it", id);
	else
		ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "interface %u is not described: the section describes %zu", id, have);
	return NULL;
}

/* A packet's captured bytes at data (caplen of them, padded to 4) must end before end. */
static int ng_caplen_check(struct pcapng *ng, const struct ngblk *k, uint32_t caplen, const uint8_t *data, const char *what)
{
	if (caplen > PCAPNG_MAX_CAPLEN)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "%s %u is over %u bytes, the most a packet block holds",
			       what, caplen, PCAPNG_MAX_CAPLEN);
	size_t room = (size_t)(k->p + k->len - 4 - data);
	if (((size_t)caplen + 3u) / 4u * 4u > room)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "%s %u runs past the block's end (block length %u)", what,
			       caplen, k->len);
	return 1;
}

/* The options of a packet block: the first opt_comment goes into the record. */
static int ng_packet_opts(struct pcapng *ng, const struct ngblk *k, struct cursor c, struct caprec *r)
{
	r->comment = NULL;
	r->comment_len = 0;
	struct ngopt o;
	int rc;
	while ((rc = ng_opt_next(ng, k, &c, &o)) == 1) {
		if (o.code == OPT_COMMENT && !r->comment) {
			uint16_t n = o.len;
			while (n && o.v[n - 1] == 0) /* a terminating NUL some writers add */
				n--;
			r->comment = (const char *)o.v;
			r->comment_len = n;
		}
	}
	return rc;
}

/* The rest of a packet's record (its data and comment are set): time t in f's units, lengths, interface. */
static int ng_record(struct pcapng_iface *f, struct caprec *r, uint64_t t, uint32_t caplen, uint32_t len)
{
	ng_time(f, t, &r->ts_sec, &r->ts_frac);
	r->caplen = caplen;
	r->len = len;
	r->linktype = f->pub.linktype;
	r->iface = &f->pub;
	f->packets++;
	return 1;
}

/* EPB (and the obsolete PB, whose interface id and drop count are 16-bit each). */
static int ng_epb(struct pcapng *ng, const struct ngblk *k, struct caprec *r)
{
	if (k->len < 32)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "block length %u is below its 32 bytes of fixed fields", k->len);
	struct cursor c = cursor_make(k->p + 8, k->len - 12);
	uint8_t h[20]; /* the fixed fields, copied out in one check */
	cursor_bytes(&c, h, sizeof h);
	uint32_t id = get32(h, k->be);
	if (k->type == BT_PB) /* a 16-bit interface id, then a 16-bit drop count */
		id = k->be ? id >> 16 : id & 0xffff;
	uint32_t hi = get32(h + 4, k->be), lo = get32(h + 8, k->be);
	uint32_t caplen = get32(h + 12, k->be), len = get32(h + 16, k->be);
	struct pcapng_iface *f = ng_iface_of(ng, k, id);
	if (!f || ng_caplen_check(ng, k, caplen, c.p, "captured length") != 1)
		return PCAPNG_BAD;
	r->data = c.p;
	cursor_skip(&c, (caplen + 3u) & ~3u);
	if (ng_packet_opts(ng, k, c, r) == PCAPNG_BAD)
		return PCAPNG_BAD;
	return ng_record(f, r, (uint64_t)hi << 32 | lo, caplen, len);
}

static int ng_spb(struct pcapng *ng, const struct ngblk *k, struct caprec *r)
{
	if (k->len < 16)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "block length %u is below its 16 bytes of fixed fields", k->len);
	struct cursor c = cursor_make(k->p + 8, k->len - 12);
	uint32_t len;
	ng_u32(&c, k->be, &len);
	struct pcapng_iface *f = ng_iface_of(ng, k, 0);
	if (!f)
		return PCAPNG_BAD;
	uint32_t caplen = f->snaplen && len > f->snaplen ? f->snaplen : len; /* the spec's captured length */
	if (ng_caplen_check(ng, k, caplen, c.p, "packet data of") != 1)
		return PCAPNG_BAD;
	r->data = c.p;
	r->comment = NULL;
	r->comment_len = 0;
	return ng_record(f, r, 0, caplen, len); /* no timestamp: the epoch, moved by if_tsoffset */
}

static int ng_isb(struct pcapng *ng, const struct ngblk *k)
{
	if (k->len < 24)
		return ng_fail(ng, PCAPNG_DAMAGED, k->type, k->off, "block length %u is below its 24 bytes of fixed fields", k->len);
	struct cursor c = cursor_make(k->p + 8, k->len - 12);
	uint32_t id;
	ng_u32(&c, k->be, &id);
	cursor_skip(&c, 8); /* when the counters were taken */
	struct pcapng_iface *f = ng_iface_of(ng, k, id);
	if (!f)
		return PCAPNG_BAD;
	struct pcapng_stats st = f->stats;
	struct ngopt o;
	int rc;
	while ((rc = ng_opt_next(ng, k, &c, &o)) == 1) {
		if (o.code < ISB_STARTTIME || o.code > ISB_USRDELIV)
			continue;
		static const char *const names[] = { "isb_starttime", "isb_endtime", "isb_ifrecv", "isb_ifdrop",
						     "isb_filteraccept", "isb_osdrop", "isb_usrdeliv" };
		if ((rc = ng_opt_len(ng, k, &o, names[o.code - ISB_STARTTIME], 8)) != 1)
			break;
		if (o.code < ISB_IFRECV)
			continue;
		struct cursor v = cursor_make(o.v, 8);
		uint64_t x;
		ng_u64(&v, k->be, &x);
		uint64_t *slot[] = { &st.ifrecv, &st.ifdrop, &st.filteraccept, &st.osdrop, &st.usrdeliv };
		*slot[o.code - ISB_IFRECV] = x;
		st.have |= 1u << (o.code - ISB_IFRECV);
	}
	if (rc == PCAPNG_BAD)
		return PCAPNG_BAD;
	st.blocks++;
	f->stats = st;
	return 0;
}

/* A custom block: synwatch's data is kept for pcapng_custom_next (others are read and passed over). */
static int ng_cb(struct pcapng *ng, const struct ngblk *k)
{
	if (get32(k->p + 8, k->be) != PCAPNG_PEN_SYNWATCH)
		return 0;
	size_t dlen = k->len - 16, need = KEPT_HDR + dlen;
	if (ng->kept_head == ng->kept_len)
		ng->kept_head = ng->kept_len = 0;
	if (ng->kept_len - ng->kept_head + need > PCAPNG_CUSTOM_HELD) {
		ng->custom_dropped++;
		return 0;
	}
	if (ng->kept_cap - ng->kept_len < need && ng->kept_head) { /* move what waits to the start */
		memmove(ng->kept, ng->kept + ng->kept_head, ng->kept_len - ng->kept_head);
		ng->kept_len -= ng->kept_head;
		ng->kept_head = 0;
	}
	if (ng->kept_cap - ng->kept_len < need) {
		size_t cap = ng->kept_cap ? ng->kept_cap : 4096;
		while (cap - ng->kept_len < need)
			cap *= 2;
		uint8_t *p = realloc(ng->kept, cap);
		if (!p) {
			ng->custom_dropped++;
			return 0;
		}
		ng->kept = p;
		ng->kept_cap = cap;
	}
	uint32_t n32 = (uint32_t)dlen;
	memcpy(ng->kept + ng->kept_len, &n32, 4);
	memcpy(ng->kept + ng->kept_len + 4, &k->off, 8);
	memcpy(ng->kept + ng->kept_len + KEPT_HDR, k->p + 12, dlen);
	ng->kept_len += need;
	return 0;
}

/* A block of this type is read whole (else passed over). */
static bool ng_reads(uint32_t type)
{
	return type == BT_EPB || type == BT_SHB || type == BT_IDB || type == BT_SPB || type == BT_PB || type == BT_ISB;
}

static bool ng_is_packet(uint32_t type)
{
	return type == BT_EPB || type == BT_SPB || type == BT_PB;
}

/* Go on passing over the block being skipped, then check its trailing length. 1 when done. */
static int ng_skip_on(struct pcapng *ng)
{
	struct capbuf *b = &ng->b;
	int rc = capbuf_skip(b, &ng->skip_left);
	if (rc == CAPBUF_OK)
		rc = capbuf_need(b, 4);
	if (rc == CAPBUF_OK) {
		uint32_t trail = get32(capbuf_at(b), ng->be);
		if (trail != ng->skip_len)
			return ng_fail(ng, PCAPNG_DAMAGED, ng->skip_type, ng->skip_off,
				       "its trailing length %u differs from its length %u", trail, ng->skip_len);
		capbuf_take(b, 4);
		ng->skipping = false;
		return 1;
	}
	if (rc == CAPBUF_EOF)
		return ng_fail(ng, PCAPNG_CUT, ng->skip_type, ng->skip_off, "the file ends after %llu of its %u bytes",
			       (unsigned long long)(capbuf_offset(b) + capbuf_have(b) - ng->skip_off), ng->skip_len);
	return ng_io(ng, rc, ng->skip_type, ng->skip_off);
}

/* Read blocks until a packet (1, *r filled), the end (0) or a problem. peek: return 2 before a packet
   block, leaving it unread. */
static int ng_read(struct pcapng *ng, struct caprec *r, bool peek)
{
	struct capbuf *b = &ng->b;
	for (;;) {
		if (ng->failed)
			return PCAPNG_BAD;
		if (ng->skipping) {
			int rc = ng_skip_on(ng);
			if (rc != 1)
				return rc;
			continue;
		}
		uint64_t off = capbuf_offset(b);
		int rc = capbuf_need(b, 8);
		if (rc == CAPBUF_EOF) {
			if (capbuf_have(b) == 0)
				return 0;
			return ng_fail(ng, PCAPNG_CUT, BT_UNREAD, off, "the file ends %zu bytes into its header", capbuf_have(b));
		}
		if (rc != CAPBUF_OK)
			return ng_io(ng, rc, BT_UNREAD, off);
		const uint8_t *h = capbuf_at(b);
		bool be = ng->be;
		uint32_t type = get32(h, be);
		if (type == BT_SHB) { /* its own byte order, from its byte-order magic */
			rc = capbuf_need(b, 12);
			if (rc == CAPBUF_EOF)
				return ng_fail(ng, PCAPNG_CUT, type, off, "the file ends after %zu of its bytes", capbuf_have(b));
			if (rc != CAPBUF_OK)
				return ng_io(ng, rc, type, off);
			h = capbuf_at(b);
			uint32_t bom = get32(h + 8, true);
			if (bom != BOM && bom != __builtin_bswap32(BOM))
				return ng_fail(ng, PCAPNG_DAMAGED, type, off, "byte-order magic 0x%08x is neither 1a2b3c4d nor 4d3c2b1a", bom);
			be = bom == BOM;
		}
		uint32_t len = get32(h + 4, be);
		if (len < 12)
			return ng_fail(ng, PCAPNG_DAMAGED, type, off, "block length %u is below 12", len);
		if (len % 4)
			return ng_fail(ng, PCAPNG_DAMAGED, type, off, "block length %u is not a multiple of 4", len);
		/* synwatch's custom blocks are read whole while they are wanted (the PEN is inside). */
		bool custom = (type == BT_CB_COPY || type == BT_CB_NOCOPY) && !ng->custom_off && len >= 16 &&
			      len - 16 <= PCAPNG_CUSTOM_MAX && len <= ng->max_block;
		if (!custom && !ng_reads(type)) {
			capbuf_take(b, 8);
			ng->skipping = true;
			ng->skip_type = type;
			ng->skip_len = len;
			ng->skip_off = off;
			ng->skip_left = len - 12;
			continue;
		}
		if (peek && ng_is_packet(type))
			return 2;
		if (len > ng->max_block)
			return ng_fail(ng, PCAPNG_DAMAGED, type, off, "block length %u is over the %zu bytes synwatch reads of one block",
				       len, ng->max_block);
		rc = capbuf_need(b, len);
		if (rc == CAPBUF_EOF)
			return ng_fail(ng, PCAPNG_CUT, type, off, "the file ends after %zu of its %u bytes", capbuf_have(b), len);
		if (rc != CAPBUF_OK)
			return ng_io(ng, rc, type, off);
		struct ngblk k = { type, len, off, capbuf_at(b), be };
		uint32_t trail = get32(k.p + len - 4, be);
		if (trail != len)
			return ng_fail(ng, PCAPNG_DAMAGED, type, off, "its trailing length %u differs from its length %u", trail, len);
		int pr;
		switch (type) {
		case BT_SHB: pr = ng_shb(ng, &k); break;
		case BT_IDB: pr = ng_idb(ng, &k); break;
		case BT_ISB: pr = ng_isb(ng, &k); break;
		case BT_SPB: pr = ng_spb(ng, &k, r); break;
		case BT_CB_COPY:
		case BT_CB_NOCOPY: pr = ng_cb(ng, &k); break;
		default: pr = ng_epb(ng, &k, r); break; /* EPB, and the obsolete packet block */
		}
		if (pr == PCAPNG_BAD)
			return pr;
		capbuf_take(b, len);
		if (pr == 1) {
			r->offset = off;
			r->iface_several = ng->nifs > 1;
			return 1;
		}
	}
}

struct pcapng *pcapng_attach(struct capbuf *b, char *err, size_t errlen)
{
	struct pcapng *ng = calloc(1, sizeof *ng);
	if (!ng) {
		capbuf_free(b);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ng->b = *b;
	ng->b.wait = true; /* a pipe: wait for the blocks before the first packet */
	ng->max_block = ng->b.cap < PCAPNG_MAX_BLOCK ? ng->b.cap : PCAPNG_MAX_BLOCK;
	int rc;
	while ((rc = ng_read(ng, NULL, true)) == PCAPNG_FULL) /* metadata fills the buffer: none of it is held */
		capbuf_release(&ng->b, capbuf_offset(&ng->b));
	if (ng->sections == 0) { /* the first block is no sound section header */
		snprintf(err, errlen, "%s", rc == PCAPNG_BAD ? ng->error : "no section header block");
		pcapng_close(ng);
		return NULL;
	}
	ng->b.wait = false;
	capbuf_release(&ng->b, capbuf_offset(&ng->b)); /* nothing handed out yet */
	return ng;
}

int pcapng_next(struct pcapng *ng, struct caprec *r)
{
	return ng_read(ng, r, false);
}

uint64_t pcapng_offset(const struct pcapng *ng)
{
	return capbuf_offset(&ng->b);
}

void pcapng_release(struct pcapng *ng, uint64_t upto)
{
	capbuf_release(&ng->b, upto);
}

size_t pcapng_ifaces(const struct pcapng *ng)
{
	return ng->nifs;
}

const struct pcapng_iface *pcapng_iface(const struct pcapng *ng, size_t i)
{
	return i < ng->nifs ? ng->ifs[i] : NULL;
}

uint32_t pcapng_sections(const struct pcapng *ng)
{
	return ng->sections;
}

bool pcapng_custom_next(struct pcapng *ng, const uint8_t **data, size_t *len, uint64_t *offset)
{
	if (ng->kept_head >= ng->kept_len)
		return false;
	uint32_t n32;
	memcpy(&n32, ng->kept + ng->kept_head, 4);
	memcpy(offset, ng->kept + ng->kept_head + 4, 8);
	*data = ng->kept + ng->kept_head + KEPT_HDR;
	*len = n32;
	ng->kept_head += KEPT_HDR + n32;
	return true;
}

void pcapng_custom_off(struct pcapng *ng)
{
	ng->custom_off = true;
	free(ng->kept);
	ng->kept = NULL;
	ng->kept_head = ng->kept_len = ng->kept_cap = 0;
}

uint64_t pcapng_custom_dropped(const struct pcapng *ng)
{
	return ng->custom_dropped;
}

const char *pcapng_error(const struct pcapng *ng)
{
	return ng->error;
}

enum pcapng_fault pcapng_fault(const struct pcapng *ng)
{
	return ng->fault;
}

void pcapng_follow(struct pcapng *ng)
{
	ng->b.follow = true;
}

void pcapng_close(struct pcapng *ng)
{
	if (!ng)
		return;
	for (size_t i = 0; i < ng->nifs; i++) {
		free(ng->ifs[i]->name);
		free(ng->ifs[i]);
	}
	free(ng->ifs);
	free(ng->kept);
	capbuf_free(&ng->b);
	free(ng);
}
