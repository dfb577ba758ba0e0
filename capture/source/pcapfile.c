/* pcapfile.c — the classic pcap record parser: records read through the capture-file buffer and handed out in place. */
/*
 * It only takes what it is sure libpcap would hand over unchanged: version 2.4, the microsecond or
 * nanosecond magic in either byte order, records whose captured length fits both the file's snapshot
 * length and libpcap's 262144-byte limit and which the file holds whole (format: pcap-savefile(5)). At
 * the first record that is anything else (damaged, truncated, bigger than the snapshot, cut by the end
 * of the file) it stops and returns its offset: the caller hands libpcap the rest of the file from
 * there, so errors and odd records get exactly libpcap's treatment and wording. Should the caller hold
 * so much that the buffer has no room left, the reader hands over to libpcap as for an odd record.
 */
#include "source/pcapfile.h"

#include <stdlib.h>
#include <string.h>

#define PCAP_HDR_LEN 24             /* the file header */
#define REC_HDR_LEN 16              /* each record's header */
#define LIBPCAP_MAX_CAPLEN 262144u  /* libpcap's MAXIMUM_SNAPLEN for ordinary link types */

struct pcapfile {
	struct capbuf b;
	uint32_t snaplen;     /* the file's snapshot length as libpcap took it (pcap_snapshot) */
	int linktype;         /* DLT_* value given to every record */
	bool swapped;         /* the file's byte order is not ours */
	bool nano;            /* nanosecond magic */
	uint8_t hdr[PCAP_HDR_LEN]; /* the file header, for a pipe's handover to libpcap */
};

static uint32_t rd32(const uint8_t *p, bool swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

bool pcapfile_takes(const uint8_t *h, size_t n)
{
	if (n < PCAP_HDR_LEN)
		return false;
	uint32_t magic;
	memcpy(&magic, h, 4);
	bool swapped;
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swapped = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swapped = true;
	else
		return false; /* pcapng, or a variant libpcap knows better (e.g. Kuznetzov's) */
	uint16_t major, minor;
	memcpy(&major, h + 4, 2);
	memcpy(&minor, h + 6, 2);
	if (swapped) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	return major == 2 && minor == 4; /* older versions may have caplen and len swapped: libpcap sorts that out */
}

struct pcapfile *pcapfile_attach(struct capbuf *b, uint32_t snaplen, int linktype)
{
	struct pcapfile *pf = calloc(1, sizeof *pf);
	if (!pf || b->cap < PCAP_HDR_LEN + REC_HDR_LEN || capbuf_need(b, PCAP_HDR_LEN) != CAPBUF_OK ||
	    !pcapfile_takes(capbuf_at(b), capbuf_have(b)))
		goto no;
	pf->b = *b;
	const uint8_t *h = capbuf_at(&pf->b);
	uint32_t magic;
	memcpy(&magic, h, 4);
	pf->swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	pf->nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	memcpy(pf->hdr, h, PCAP_HDR_LEN);
	capbuf_take(&pf->b, PCAP_HDR_LEN);
	capbuf_release(&pf->b, capbuf_offset(&pf->b));
	pf->b.wait = false;
	pf->snaplen = snaplen;
	pf->linktype = linktype;
	return pf;
no:
	capbuf_free(b);
	free(pf);
	return NULL;
}

struct pcapfile *pcapfile_open_sized(int fd, uint32_t snaplen, int linktype, size_t bufsize)
{
	struct capbuf b;
	if (!capbuf_init(&b, fd, bufsize))
		return NULL;
	return pcapfile_attach(&b, snaplen, linktype);
}

struct pcapfile *pcapfile_open(int fd, uint32_t snaplen, int linktype)
{
	return pcapfile_open_sized(fd, snaplen, linktype, CAPBUF_BYTES);
}

int pcapfile_next(struct pcapfile *pf, struct caprec *r)
{
	struct capbuf *b = &pf->b;
	int rc = capbuf_need(b, REC_HDR_LEN);
	if (rc == CAPBUF_OK) {
		const uint8_t *h = capbuf_at(b);
		uint32_t caplen = rd32(h + 8, pf->swapped);
		if (caplen > pf->snaplen || caplen > LIBPCAP_MAX_CAPLEN)
			return -1;
		rc = capbuf_need(b, REC_HDR_LEN + caplen);
		if (rc == CAPBUF_OK) {
			h = capbuf_at(b); /* the record may have moved to a new segment */
			pcapfile_header_fields(h, pf->swapped, r);
			r->data = h + REC_HDR_LEN;
			r->offset = capbuf_offset(b);
			r->linktype = pf->linktype;
			r->iface = NULL;
			r->iface_several = false;
			r->comment = NULL;
			r->comment_len = 0;
			capbuf_take(b, REC_HDR_LEN + caplen);
			return 1;
		}
	}
	if (rc == CAPBUF_AGAIN)
		return CAPBUF_AGAIN;
	if (rc == CAPBUF_EOF && capbuf_have(b) == 0)
		return 0;
	return -1; /* a record cut by the end of the file, a read error or no room: libpcap says what it is */
}

void pcapfile_header_fields(const uint8_t *h, bool swapped, struct caprec *r)
{
	uint32_t sec = rd32(h, swapped);
	r->ts_sec = swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
	r->ts_frac = rd32(h + 4, swapped);
	r->caplen = rd32(h + 8, swapped);
	r->len = rd32(h + 12, swapped);
}

uint64_t pcapfile_offset(const struct pcapfile *pf)
{
	return capbuf_offset(&pf->b);
}

bool pcapfile_nanosecond(const struct pcapfile *pf)
{
	return pf->nano;
}

const uint8_t *pcapfile_header(const struct pcapfile *pf)
{
	return pf->hdr;
}

const uint8_t *pcapfile_unread(const struct pcapfile *pf, size_t *len)
{
	*len = capbuf_have(&pf->b);
	return capbuf_at(&pf->b);
}

void pcapfile_release(struct pcapfile *pf, uint64_t upto)
{
	if (pf)
		capbuf_release(&pf->b, upto);
}

void pcapfile_follow(struct pcapfile *pf)
{
	pf->b.follow = true;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	capbuf_free(&pf->b);
	free(pf);
}
