/* fmt.h — unchecked fast formatters writing into a char buffer the caller has made room in; each returns the new end. */
#ifndef SYNWATCH_FMT_H
#define SYNWATCH_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Room a formatter may need, in bytes (some store a few bytes past the end they return). */
#define FMT_U64_MAX 20   /* UINT64_MAX has 20 digits */
#define FMT_IPV4_MAX 16  /* "255.255.255.255" plus one scratch byte */
#define FMT_IPV6_MAX 48  /* INET6_ADDRSTRLEN (46) plus scratch */

/* "00".."99": the two digits of n at fmt_digits2[2 * n]. */
extern const char fmt_digits2[200];

static inline char *fmt_mem(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A string literal: its length is a constant, so the copy compiles to a few moves. */
#define fmt_lit(p, lit) fmt_mem((p), (lit), sizeof(lit) - 1)

/* Two digits of v < 100. */
static inline char *fmt_2(char *p, uint32_t v)
{
	memcpy(p, fmt_digits2 + 2 * v, 2);
	return p + 2;
}

/* One or two digits of v < 100. */
static inline char *fmt_1_2(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return fmt_2(p, v);
}

/* Exactly 4 digits, zero-padded (v < 10^4). */
static inline char *fmt_pad4(char *p, uint32_t v)
{
	fmt_2(p, v / 100);
	fmt_2(p + 2, v % 100);
	return p + 4;
}

/* Exactly 8 digits, zero-padded (v < 10^8): two independent halves of four. */
static inline char *fmt_pad8(char *p, uint32_t v)
{
	fmt_pad4(p, v / 10000);
	fmt_pad4(p + 4, v % 10000);
	return p + 8;
}

/* One to four digits of v < 10^4. */
static inline char *fmt_1_4(char *p, uint32_t v)
{
	if (v < 100)
		return fmt_1_2(p, v);
	p = fmt_1_2(p, v / 100);
	return fmt_2(p, v % 100);
}

/* Decimal, split into groups of four and two digits so the divisions do not form one long chain. */
static inline char *fmt_u32(char *p, uint32_t v)
{
	if (v < 10000)
		return fmt_1_4(p, v);
	if (v < 100000000) {
		p = fmt_1_4(p, v / 10000);
		return fmt_pad4(p, v % 10000);
	}
	p = fmt_1_2(p, v / 100000000);
	return fmt_pad8(p, v % 100000000);
}

static inline char *fmt_u64(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return fmt_u32(p, (uint32_t)v);
	uint64_t hi = v / 100000000;
	uint32_t lo = (uint32_t)(v % 100000000);
	if (hi <= UINT32_MAX) {
		p = fmt_u32(p, (uint32_t)hi);
	} else {
		p = fmt_u32(p, (uint32_t)(hi / 100000000));
		p = fmt_pad8(p, (uint32_t)(hi % 100000000));
	}
	return fmt_pad8(p, lo);
}

static inline char *fmt_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return fmt_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return fmt_u64(p, (uint64_t)v);
}

/* The last 6 digits of v, zero-padded (microseconds). */
static inline char *fmt_pad6(char *p, uint32_t v)
{
	v %= 1000000;
	fmt_2(p, v / 10000);
	return fmt_pad4(p + 2, v % 10000);
}

/* The last 9 digits of v, zero-padded (nanoseconds). */
static inline char *fmt_pad9(char *p, uint32_t v)
{
	v %= 1000000000;
	*p = (char)('0' + v / 100000000);
	return fmt_pad8(p + 1, v % 100000000);
}

/* The last `digits` digits of v, zero-padded (0 <= digits <= 20). */
char *fmt_pad(char *p, uint64_t v, int digits);

/* Dotted quad; stores up to FMT_IPV4_MAX bytes. */
char *fmt_ipv4(char *p, const uint8_t a[4]);
/* As glibc's inet_ntop(AF_INET6) writes it (RFC 5952 compression, "::ffff:1.2.3.4"); up to FMT_IPV6_MAX bytes. */
char *fmt_ipv6(char *p, const uint8_t a[16]);
/* s[0..n) escaped for the inside of a JSON string: '"' and '\\' after a backslash, bytes below 0x20
   as \u00xx, everything else as is; needs 6 * n bytes of room. */
char *fmt_json_body(char *p, const char *s, size_t n);

/* The same for text from a file (a pcapng comment): besides those escapes, a byte that does not start a
   valid UTF-8 sequence becomes \ufffd; needs 6 * n bytes of room. */
char *fmt_json_text_body(char *p, const char *s, size_t n);

/* The length of fmt_json(s, n)'s output. */
size_t fmt_json_len(const char *s, size_t n);

/* s[0..n) as a JSON string literal, quotes included; needs 6 * n + 2 bytes of room. */
static inline char *fmt_json(char *p, const char *s, size_t n)
{
	*p++ = '"';
	p = fmt_json_body(p, s, n);
	*p++ = '"';
	return p;
}

#endif
