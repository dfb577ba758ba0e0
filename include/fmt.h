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

/* Decimal digits of v (1..10). */
static inline unsigned fmt_ndigits32(uint32_t v)
{
	if (v < 100000) {
		if (v < 100)
			return v < 10 ? 1 : 2;
		return v < 1000 ? 3 : v < 10000 ? 4 : 5;
	}
	if (v < 10000000)
		return v < 1000000 ? 6 : 7;
	return v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/* The last n digits of v (n >= 1 and v < 10^n), written right to left, two at a time. */
static inline void fmt_digits_back(char *end, uint32_t v, unsigned n)
{
	char *q = end;
	while (n >= 2) {
		q -= 2;
		memcpy(q, fmt_digits2 + 2 * (v % 100), 2);
		v /= 100;
		n -= 2;
	}
	if (n)
		q[-1] = (char)('0' + v);
}

static inline char *fmt_u32(char *p, uint32_t v)
{
	unsigned n = fmt_ndigits32(v);
	fmt_digits_back(p + n, v, n);
	return p + n;
}

/* Exactly 8 digits, zero-padded (v < 10^8). */
static inline char *fmt_pad8(char *p, uint32_t v)
{
	fmt_digits_back(p + 8, v, 8);
	return p + 8;
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
	fmt_digits_back(p + 6, v % 1000000, 6);
	return p + 6;
}

/* The last 9 digits of v, zero-padded (nanoseconds). */
static inline char *fmt_pad9(char *p, uint32_t v)
{
	fmt_digits_back(p + 9, v % 1000000000, 9);
	return p + 9;
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

/* s[0..n) as a JSON string literal, quotes included; needs 6 * n + 2 bytes of room. */
static inline char *fmt_json(char *p, const char *s, size_t n)
{
	*p++ = '"';
	p = fmt_json_body(p, s, n);
	*p++ = '"';
	return p;
}

#endif
