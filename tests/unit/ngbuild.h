/* ngbuild.h — builds pcapng blocks in memory, in either byte order, for the pcapng unit tests and tests/tools/mkpcapng. */
#ifndef SYNWATCH_NGBUILD_H
#define SYNWATCH_NGBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A growing byte string; values are written in the current section's byte order (be). */
struct ngb {
	uint8_t *p;
	size_t len, cap;
	bool be;                  /* big-endian values */
};

static inline void ngb_bytes(struct ngb *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p)
			abort();
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static inline void ngb_u8(struct ngb *b, uint8_t v)
{
	ngb_bytes(b, &v, 1);
}

static inline void ngb_u16(struct ngb *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(b->be ? v >> 8 : v), (uint8_t)(b->be ? v : v >> 8) };
	ngb_bytes(b, x, 2);
}

static inline void ngb_u32(struct ngb *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[b->be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
	ngb_bytes(b, x, 4);
}

/* A 64-bit option value: the whole number in the section's order. */
static inline void ngb_u64(struct ngb *b, uint64_t v)
{
	if (b->be) {
		ngb_u32(b, (uint32_t)(v >> 32));
		ngb_u32(b, (uint32_t)v);
	} else {
		ngb_u32(b, (uint32_t)v);
		ngb_u32(b, (uint32_t)(v >> 32));
	}
}

static inline void ngb_pad(struct ngb *b)
{
	static const uint8_t zero[4];
	ngb_bytes(b, zero, (4 - b->len % 4) % 4);
}

/* A block's start: its type and a length written by ngb_end. Returns where it starts. */
static inline size_t ngb_begin(struct ngb *b, uint32_t type)
{
	size_t at = b->len;
	ngb_u32(b, type);
	ngb_u32(b, 0);
	return at;
}

/* The block's end: padding, then its total length at both ends. */
static inline void ngb_end(struct ngb *b, size_t at)
{
	ngb_pad(b);
	uint32_t total = (uint32_t)(b->len - at + 4);
	size_t keep = b->len;
	b->len = at + 4;
	ngb_u32(b, total);
	b->len = keep;
	ngb_u32(b, total);
}

static inline void ngb_opt(struct ngb *b, uint16_t code, const void *v, uint16_t n)
{
	ngb_u16(b, code);
	ngb_u16(b, n);
	ngb_bytes(b, v, n);
	ngb_pad(b);
}

static inline void ngb_opt_end(struct ngb *b)
{
	ngb_u16(b, 0);
	ngb_u16(b, 0);
}

/* A section header (version 1.0 unless asked otherwise), in byte order be from here on. */
static inline void ngb_shb_v(struct ngb *b, bool be, uint16_t major, uint16_t minor)
{
	b->be = be;
	size_t at = ngb_begin(b, 0x0a0d0d0au);
	ngb_u32(b, 0x1a2b3c4du);
	ngb_u16(b, major);
	ngb_u16(b, minor);
	ngb_u64(b, UINT64_MAX); /* section length unknown */
	ngb_end(b, at);
}

static inline void ngb_shb(struct ngb *b, bool be)
{
	ngb_shb_v(b, be, 1, 0);
}

/* An interface: name (NULL: none), if_tsresol (< 0: none), if_tsoffset (0: none). */
static inline void ngb_idb(struct ngb *b, uint16_t linktype, uint32_t snaplen, const char *name, int tsresol,
			   int64_t tsoffset)
{
	size_t at = ngb_begin(b, 1);
	ngb_u16(b, linktype);
	ngb_u16(b, 0);
	ngb_u32(b, snaplen);
	if (name)
		ngb_opt(b, 2, name, (uint16_t)strlen(name));
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;
		ngb_opt(b, 9, &r, 1);
	}
	if (tsoffset) {
		ngb_u16(b, 14);
		ngb_u16(b, 8);
		ngb_u64(b, (uint64_t)tsoffset);
	}
	if (name || tsresol >= 0 || tsoffset)
		ngb_opt_end(b);
	ngb_end(b, at);
}

/* What follows a packet block's interface field: the time, the lengths, the data, a comment (NULL: none). */
static inline void ngb_packet_rest(struct ngb *b, uint64_t ts, const void *data, uint32_t caplen, uint32_t len,
				   const char *comment)
{
	ngb_u32(b, (uint32_t)(ts >> 32));
	ngb_u32(b, (uint32_t)ts);
	ngb_u32(b, caplen);
	ngb_u32(b, len);
	ngb_bytes(b, data, caplen);
	ngb_pad(b);
	if (comment) {
		ngb_opt(b, 1, comment, (uint16_t)strlen(comment));
		ngb_opt_end(b);
	}
}

/* An enhanced packet block: ts in the interface's units; comment (NULL: none). */
static inline void ngb_epb(struct ngb *b, uint32_t ifid, uint64_t ts, const void *data, uint32_t caplen,
			   uint32_t len, const char *comment)
{
	size_t at = ngb_begin(b, 6);
	ngb_u32(b, ifid);
	ngb_packet_rest(b, ts, data, caplen, len, comment);
	ngb_end(b, at);
}

/* The obsolete packet block (16-bit interface id and drop count). */
static inline void ngb_pb(struct ngb *b, uint16_t ifid, uint64_t ts, const void *data, uint32_t caplen, uint32_t len,
			  const char *comment)
{
	size_t at = ngb_begin(b, 2);
	ngb_u16(b, ifid);
	ngb_u16(b, 0);
	ngb_packet_rest(b, ts, data, caplen, len, comment);
	ngb_end(b, at);
}

/* A simple packet block: the packet's length and the n bytes kept of it. */
static inline void ngb_spb(struct ngb *b, uint32_t len, const void *data, uint32_t n)
{
	size_t at = ngb_begin(b, 3);
	ngb_u32(b, len);
	ngb_bytes(b, data, n);
	ngb_end(b, at);
}

/* Interface statistics: the counters ifrecv, ifdrop, osdrop (filteraccept and usrdeliv left out). */
static inline void ngb_isb(struct ngb *b, uint32_t ifid, uint64_t ifrecv, uint64_t ifdrop, uint64_t osdrop)
{
	size_t at = ngb_begin(b, 5);
	ngb_u32(b, ifid);
	ngb_u32(b, 0);
	ngb_u32(b, 0);
	ngb_u16(b, 4);
	ngb_u16(b, 8);
	ngb_u64(b, ifrecv);
	ngb_u16(b, 5);
	ngb_u16(b, 8);
	ngb_u64(b, ifdrop);
	ngb_u16(b, 7);
	ngb_u16(b, 8);
	ngb_u64(b, osdrop);
	ngb_opt_end(b);
	ngb_end(b, at);
}

/* A custom block (pcapng §4.8, copiable type 0x00000bad): private enterprise number and n bytes. */
static inline void ngb_custom(struct ngb *b, uint32_t pen, const void *data, size_t n)
{
	size_t at = ngb_begin(b, 0x00000badu);
	ngb_u32(b, pen);
	ngb_bytes(b, data, n);
	ngb_end(b, at);
}

/* Overwrite the 32-bit value at offset off, in the current order (to damage a block afterwards). */
static inline void ngb_poke32(struct ngb *b, size_t off, uint32_t v)
{
	size_t keep = b->len;
	b->len = off;
	ngb_u32(b, v);
	b->len = keep;
}

/* IPv4/UDP 127.0.0.1:port -> 127.0.0.1:9 with an n-byte payload, on Ethernet, LINUX_SLL2 or NULL
   (the family word in the host's order, as BSD loopback captures are): the bytes into out. */
static inline uint32_t ngb_udp_frame(uint8_t *out, int linktype, uint16_t sport, uint16_t n)
{
	uint32_t k = 0;
	if (linktype == 1) { /* Ethernet: dst, src, type 0x0800 */
		static const uint8_t eth[14] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00 };
		memcpy(out, eth, sizeof eth);
		k = sizeof eth;
	} else if (linktype == 276) { /* LINUX_SLL2: protocol, reserved, ifindex, hatype, pkttype, addr len, addr */
		static const uint8_t sll2[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0 };
		memcpy(out, sll2, sizeof sll2);
		k = sizeof sll2;
	} else if (linktype == 0) { /* NULL: AF_INET (2) */
		uint32_t fam = 2;
		memcpy(out, &fam, 4);
		k = 4;
	}
	uint16_t tot = (uint16_t)(28 + n);
	const uint8_t ip[28] = { 0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1,
				 127, 0, 0, 1, (uint8_t)(sport >> 8), (uint8_t)sport, 0, 9,
				 (uint8_t)((8 + n) >> 8), (uint8_t)(8 + n), 0, 0 };
	memcpy(out + k, ip, sizeof ip);
	k += sizeof ip;
	for (uint16_t i = 0; i < n; i++)
		out[k++] = (uint8_t)('a' + i % 26);
	return k;
}

#endif
