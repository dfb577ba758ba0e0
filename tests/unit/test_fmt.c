/* test_fmt.c — the fast formatters and obuf against printf, inet_ntop and the old escaping, byte for byte. */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/utf8.h"
#include "decode/decode.h"
#include "view/fmt.h"
#include "view/obuf.h"
#include "view/view.h"

/* Deterministic pseudo-random numbers (xorshift64*), so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Formats with f into a buffer and compares with want; reports the first mismatch. */
#define CHECK_FMT(call, want)                                                                   \
	do {                                                                                    \
		char buf_[128];                                                                 \
		memset(buf_, 'X', sizeof buf_);                                                 \
		char *p_ = buf_;                                                                \
		char *e_ = call;                                                                \
		size_t n_ = (size_t)(e_ - buf_);                                                \
		int ok_ = n_ == strlen(want) && memcmp(buf_, want, n_) == 0;                     \
		if (!ok_)                                                                       \
			fprintf(stderr, "\n  %s: got '%.*s', want '%s'\n", #call, (int)n_, buf_, want); \
		CU_ASSERT_TRUE(ok_);                                                            \
		(void)p_;                                                                       \
	} while (0)

static void check_u64(uint64_t v)
{
	char want[32];
	snprintf(want, sizeof want, "%" PRIu64, v);
	CHECK_FMT(fmt_u64(p_, v), want);
	if (v <= UINT32_MAX)
		CHECK_FMT(fmt_u32(p_, (uint32_t)v), want);
}

static void test_integers_at_boundaries(void)
{
	static const uint64_t edges[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 99999, 100000,
					  999999, 1000000, 9999999, 10000000, 99999999, 100000000, 999999999,
					  1000000000, UINT32_MAX - 1, UINT32_MAX, (uint64_t)UINT32_MAX + 1,
					  9999999999ULL, 10000000000ULL, 99999999999999999ULL, 100000000000000000ULL,
					  9999999999999999999ULL, 10000000000000000000ULL, UINT64_MAX - 1, UINT64_MAX };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		check_u64(edges[i]);
	/* Every power of ten and its neighbours. */
	for (uint64_t t = 1; t <= 1000000000000000000ULL; t *= 10) {
		check_u64(t - 1);
		check_u64(t);
		check_u64(t + 1);
	}
	for (int i = 0; i < 100000; i++) {
		uint64_t v = rng();
		check_u64(v >> (rng() % 64));
	}
	for (uint32_t v = 0; v < 20000; v++)
		check_u64(v);
}

static void test_signed_integers(void)
{
	static const int64_t vals[] = { 0, -1, 1, -9, -10, INT32_MIN, INT32_MAX, INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%" PRId64, vals[i]);
		CHECK_FMT(fmt_i64(p_, vals[i]), want);
	}
}

static void test_padded_fractions(void)
{
	/* As the old writer did: the last n digits, zero-padded, also when v has more. */
	static const uint32_t vals[] = { 0, 1, 9, 10, 999, 1000, 999999, 1000000, 1234567, 999999999, 1000000000,
					 UINT32_MAX };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%06" PRIu32, vals[i] % 1000000);
		CHECK_FMT(fmt_pad6(p_, vals[i]), want);
		snprintf(want, sizeof want, "%09" PRIu32, vals[i] % 1000000000);
		CHECK_FMT(fmt_pad9(p_, vals[i]), want);
		snprintf(want, sizeof want, "%08" PRIu32, vals[i] % 100000000);
		CHECK_FMT(fmt_pad8(p_, vals[i] % 100000000), want);
		snprintf(want, sizeof want, "%03" PRIu32, vals[i] % 1000);
		CHECK_FMT(fmt_pad(p_, vals[i], 3), want);
	}
	CHECK_FMT(fmt_pad(p_, UINT64_MAX, 20), "18446744073709551615");
	CHECK_FMT(fmt_pad(p_, 5, 25), "00000000000000000005");
	CHECK_FMT(fmt_pad(p_, 5, 0), "");
	for (int i = 0; i < 20000; i++) {
		uint32_t v = (uint32_t)rng();
		char want[32];
		snprintf(want, sizeof want, "%06" PRIu32, v % 1000000);
		CHECK_FMT(fmt_pad6(p_, v), want);
		snprintf(want, sizeof want, "%09" PRIu32, v % 1000000000);
		CHECK_FMT(fmt_pad9(p_, v), want);
	}
}

static void check_addr(int af, const uint8_t *a)
{
	char want[INET6_ADDRSTRLEN];
	CU_ASSERT_PTR_NOT_NULL_FATAL(inet_ntop(af == 4 ? AF_INET : AF_INET6, a, want, sizeof want));
	if (af == 4)
		CHECK_FMT(fmt_ipv4(p_, a), want);
	else
		CHECK_FMT(fmt_ipv6(p_, a), want);
}

static void test_ipv4_every_octet(void)
{
	for (int v = 0; v < 256; v++) {
		uint8_t a[4] = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v / 3), (uint8_t)v };
		check_addr(4, a);
	}
	uint8_t z[4] = { 0, 0, 0, 0 }, m[4] = { 255, 255, 255, 255 };
	check_addr(4, z);
	check_addr(4, m);
}

static void parse6(const char *s, uint8_t a[16])
{
	CU_ASSERT_EQUAL_FATAL(inet_pton(AF_INET6, s, a), 1);
}

static void test_ipv6_rfc5952_cases(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "::", "::" },
		{ "::1", "::1" },
		{ "1::", "1::" },
		{ "2001:db8::1", "2001:db8::1" },
		{ "2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1" },
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },   /* one zero group is not compressed */
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },     /* the first of equal runs */
		{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },           /* the longest run */
		{ "2001:DB8::ABCD", "2001:db8::abcd" },              /* lowercase */
		{ "fe80::1:2:3:4", "fe80::1:2:3:4" },
		{ "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
		{ "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
		{ "0:0:1:2:3:4:5:6", "::1:2:3:4:5:6" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1" },            /* IPv4-mapped, as glibc writes it */
		{ "::ffff:0.0.0.0", "::ffff:0.0.0.0" },
		{ "::192.0.2.1", "::192.0.2.1" },                      /* IPv4-compatible (glibc) */
		{ "::1:0:0", "::1:0:0" },
		{ "0:0:0:0:0:fffe:102:304", "::fffe:102:304" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ "fd00::1:7578:5a61:660a:4a", "fd00::1:7578:5a61:660a:4a" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t a[16];
		parse6(cases[i].in, a);
		CHECK_FMT(fmt_ipv6(p_, a), cases[i].want);
		check_addr(6, a);
	}
}

static void test_ipv6_random_against_inet_ntop(void)
{
	for (int i = 0; i < 200000; i++) {
		uint8_t a[16];
		/* Groups are zero, small, 0xffff or random, so runs of zeros and the IPv4 forms come up often. */
		for (int g = 0; g < 8; g++) {
			uint64_t r = rng();
			unsigned w;
			switch (r % 5) {
			case 0:
			case 1: w = 0; break;
			case 2: w = (unsigned)(r >> 8) % 16; break;
			case 3: w = (r >> 8) % 7 == 0 ? 0xffff : (unsigned)(r >> 16) % 0x1000; break;
			default: w = (unsigned)(r >> 16) & 0xffff; break;
			}
			a[2 * g] = (uint8_t)(w >> 8);
			a[2 * g + 1] = (uint8_t)w;
		}
		check_addr(6, a);
	}
	/* Every pattern of zero and non-zero groups, with each group's width varied. */
	for (unsigned mask = 0; mask < 256; mask++)
		for (unsigned wv = 0; wv < 4; wv++) {
			static const unsigned widths[4] = { 0x1, 0x12, 0x123, 0x1234 };
			uint8_t a[16];
			for (int g = 0; g < 8; g++) {
				unsigned w = (mask >> g) & 1 ? widths[(wv + (unsigned)g) % 4] : 0;
				a[2 * g] = (uint8_t)(w >> 8);
				a[2 * g + 1] = (uint8_t)w;
			}
			check_addr(6, a);
			a[10] = a[11] = 0xff; /* and with ffff in group 5 */
			check_addr(6, a);
		}
}

/* The escaping obuf_json_str did before (one byte at a time), as the reference. */
static size_t json_ref(char *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	out[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			out[k++] = '\\';
			out[k++] = (char)s[i];
		} else if (s[i] < 0x20) {
			out[k++] = '\\';
			out[k++] = 'u';
			out[k++] = '0';
			out[k++] = '0';
			out[k++] = hex[s[i] >> 4];
			out[k++] = hex[s[i] & 15];
		} else {
			out[k++] = (char)s[i];
		}
	}
	out[k++] = '"';
	return k;
}

static void test_json_escapes(void)
{
	char got[6 * 256 + 2], want[6 * 256 + 2];
	/* Every byte value alone and between plain text. */
	for (int c = 1; c < 256; c++) {
		unsigned char s[3] = { 'a', (unsigned char)c, 'b' };
		for (size_t off = 0; off < 3; off++) {
			size_t len = 3 - off;
			size_t wn = json_ref(want, s + off, len);
			size_t gn = (size_t)(fmt_json(got, (const char *)s + off, len) - got);
			CU_ASSERT_EQUAL(gn, wn);
			CU_ASSERT_EQUAL(memcmp(got, want, wn), 0);
		}
	}
	CHECK_FMT(fmt_json(p_, "", 0), "\"\"");
	CHECK_FMT(fmt_json(p_, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_FMT(fmt_json(p_, "\n\t\x1f\x7f\xc3\xa9", 6), "\"\\u000a\\u0009\\u001f\x7f\xc3\xa9\"");
	/* Random strings rich in specials. */
	for (int i = 0; i < 20000; i++) {
		unsigned char s[256];
		size_t len = rng() % 256;
		for (size_t j = 0; j < len; j++) {
			uint64_t r = rng();
			s[j] = r % 4 == 0 ? (unsigned char)"\"\\\n\x01"[(r >> 8) % 4] : (unsigned char)(1 + (r >> 16) % 255);
		}
		size_t wn = json_ref(want, s, len);
		size_t gn = (size_t)(fmt_json(got, (const char *)s, len) - got);
		CU_ASSERT_EQUAL(gn, wn);
		CU_ASSERT_EQUAL(memcmp(got, want, wn), 0);
		CU_ASSERT_EQUAL(fmt_json_len((const char *)s, len), wn);
	}
	CU_ASSERT_EQUAL(fmt_json_len("", 0), 2);
	CU_ASSERT_EQUAL(fmt_json_len("a\x01\"", 3), 2 + 1 + 6 + 2);
}

/* Everything an obuf writes to a temporary file, read back; returns its length. */
static size_t obuf_result(FILE *f, char *out, size_t cap)
{
	rewind(f);
	size_t n = fread(out, 1, cap, f);
	fclose(f);
	return n;
}

static void test_obuf_long_json_string_and_buffer_edges(void)
{
	/* A string longer than the one-piece limit, with escapes at every distance from the slice edges. */
	size_t len = OBUF_SIZE + 12345;
	char *s = malloc(len + 1);
	char *want = malloc(6 * len + 2 + 100);
	char *got = malloc(6 * len + 2 + 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	for (size_t i = 0; i < len; i++)
		s[i] = i % 7 == 3 ? '\n' : i % 11 == 5 ? '"' : (char)('a' + i % 26);
	s[len] = '\0';
	static struct obuf o;
	FILE *f = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	obuf_init(&o, fileno(f));
	obuf_puts(&o, "x");
	obuf_json_str(&o, s);
	obuf_flush(&o);
	size_t gn = obuf_result(f, got, 6 * len + 200);
	want[0] = 'x';
	size_t wn = 1 + json_ref(want + 1, (const unsigned char *)s, len);
	CU_ASSERT_EQUAL(gn, wn);
	CU_ASSERT_EQUAL(memcmp(got, want, wn), 0);

	/* Numbers and addresses across many buffer fills: the same bytes as printf. */
	f = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	obuf_init(&o, fileno(f));
	size_t wk = 0;
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t a4[4] = { 10, 0, 200, 7 };
	for (uint64_t i = 0; wk < 3 * (size_t)OBUF_SIZE; i++) {
		uint64_t v = i * 2654435761u;
		obuf_u64(&o, v);
		obuf_putc(&o, ' ');
		obuf_i64(&o, -(int64_t)i);
		obuf_putc(&o, ' ');
		obuf_u64_pad(&o, i, 6);
		obuf_putc(&o, ' ');
		obuf_addr(&o, 4, a4);
		obuf_putc(&o, ' ');
		obuf_addr(&o, 6, a6);
		obuf_putc(&o, '\n');
		wk += (size_t)snprintf(want + wk, 200, "%" PRIu64 " %" PRId64 " %06" PRIu64 " 10.0.200.7 2001:db8::1\n", v,
				       -(int64_t)i, i % 1000000);
	}
	obuf_flush(&o);
	gn = obuf_result(f, got, 6 * len + 200);
	CU_ASSERT_EQUAL(gn, wk);
	CU_ASSERT_EQUAL(memcmp(got, want, wk), 0);
	free(s);
	free(want);
	free(got);
}

static void test_obuf_room_keeps_written_bytes(void)
{
	static struct obuf o;
	FILE *f = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	obuf_init(&o, fileno(f));
	char *p = obuf_reserve(&o, 10);
	/* Fill to 5 bytes short of the end, then ask for room for 10: what is there goes out first. */
	memset(p, 'a', OBUF_SIZE - 5);
	p += OBUF_SIZE - 5;
	p = obuf_room(&o, p, 10);
	CU_ASSERT_EQUAL(o.len, 0);
	CU_ASSERT_PTR_EQUAL(p, o.buf);
	p = fmt_lit(p, "tail");
	obuf_commit(&o, p);
	obuf_flush(&o);
	static char got[OBUF_SIZE + 100];
	size_t n = obuf_result(f, got, sizeof got);
	CU_ASSERT_EQUAL(n, OBUF_SIZE - 5 + 4);
	CU_ASSERT_EQUAL(got[0], 'a');
	CU_ASSERT_EQUAL(got[OBUF_SIZE - 6], 'a');
	CU_ASSERT_EQUAL(memcmp(got + OBUF_SIZE - 5, "tail", 4), 0);
}

/* view_time of (sec, nsec) as a string. */
static void time_str(char *out, int64_t sec, uint32_t nsec, bool nano)
{
	static struct obuf o;
	obuf_init(&o, -1);
	view_time(&o, sec, nsec, nano);
	memcpy(out, o.buf, o.len);
	out[o.len] = '\0';
}

static void test_timestamp_cache_across_seconds(void)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", "UTC", 1);
	tzset();
	char s[64];
	time_str(s, 1700000000, 999999999, false);
	CU_ASSERT_STRING_EQUAL(s, "22:13:20.999999");
	time_str(s, 1700000001, 0, false);
	CU_ASSERT_STRING_EQUAL(s, "22:13:21.000000");
	time_str(s, 1700000001, 1000, true);
	CU_ASSERT_STRING_EQUAL(s, "22:13:21.000001000");
	time_str(s, 1700000000, 5000, false); /* back a second: made again, not the cached one */
	CU_ASSERT_STRING_EQUAL(s, "22:13:20.000005");
	time_str(s, 1700003599, 123456789, true);
	CU_ASSERT_STRING_EQUAL(s, "23:13:19.123456789");
	time_str(s, 0, 0, false);
	CU_ASSERT_STRING_EQUAL(s, "00:00:00.000000");
	time_str(s, -2, 500000000, false); /* before 1970 */
	CU_ASSERT_STRING_EQUAL(s, "23:59:58.500000");
	time_str(s, 86399, 4294967295u, false); /* nanoseconds past a second: the last digits, as before */
	CU_ASSERT_STRING_EQUAL(s, "23:59:59.294967");
	time_str(s, 86399, 4294967295u, true);
	CU_ASSERT_STRING_EQUAL(s, "23:59:59.294967295");
	/* A POSIX zone rule, not a zoneinfo name: it needs no tzdata (a fresh machine may have none). */
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	tzset();
	time_str(s, 1700000002, 0, false); /* a new second: local time of the zone now in force */
	CU_ASSERT_STRING_EQUAL(s, "17:13:22.000000");
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

static void test_flag_strings_match_tcp_flags_str(void)
{
	for (unsigned f = 0; f < 1024; f++) {
		char want[16];
		tcp_flags_str((uint16_t)f, want);
		uint8_t n = 0;
		const char *got = view_tcp_flags((uint16_t)f, &n);
		CU_ASSERT_EQUAL(n, strlen(want));
		CU_ASSERT_EQUAL(memcmp(got, want, n), 0);
	}
	uint8_t n = 0;
	const char *got = view_tcp_flags(TCP_SYN | TCP_ACK, &n);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(memcmp(got, "S.", 2), 0);
}

/* A decoder text longer than the views' in-place room goes out whole, by the long-string path. */
static void test_views_with_a_huge_field_text(void)
{
	size_t len = OBUF_SIZE + 777;
	char *field = malloc(len + 1);
	char *want = malloc(6 * len + 512);
	char *got = malloc(6 * len + 512);
	CU_ASSERT_PTR_NOT_NULL_FATAL(field);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	for (size_t i = 0; i < len; i++)
		field[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
	field[len] = '\0';
	static struct packet pkt;
	memset(&pkt, 0, sizeof pkt);
	pkt.n = 7;
	pkt.ts_sec = 1700000000;
	pkt.ts_nsec = 123456000;
	pkt.caplen = pkt.len = 60;
	pkt.linktype = 1;
	pkt.link_supported = true;
	pkt.status = DEC_INVALID;
	pkt.bad_layer = LAYER_ETH;
	pkt.bad_field = field;
	static struct obuf o;
	for (int json = 0; json < 2; json++) {
		FILE *f = tmpfile();
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		obuf_init(&o, fileno(f));
		if (json)
			view_json_packet(&o, &pkt, NULL, false);
		else
			view_text_packet(&o, &pkt, NULL, false);
		obuf_flush(&o);
		size_t gn = obuf_result(f, got, 6 * len + 512);
		size_t wn;
		if (json) {
			wn = (size_t)sprintf(want, "{\"n\":7,\"ts\":1700000000.123456,\"caplen\":60,\"len\":60,\"link\":\"%s\","
							 "\"invalid\":\"%s\",\"invalid_field\":",
					     linktype_name(1), layer_name(LAYER_ETH));
			wn += json_ref(want + wn, (const unsigned char *)field, len);
			wn += (size_t)sprintf(want + wn, "}\n");
		} else {
			/* The clock part is local time: only what follows it is checked. */
			wn = (size_t)sprintf(want, "XX:XX:XX.123456 length 60 [invalid %s: %s]\n", layer_name(LAYER_ETH), field);
			memcpy(want, got, gn >= 8 ? 8 : gn);
		}
		CU_ASSERT_EQUAL(gn, wn);
		CU_ASSERT_EQUAL(memcmp(got, want, wn < gn ? wn : gn), 0);
	}
	free(field);
	free(want);
	free(got);
}

/* UTF-8 sequences as RFC 3629 allows them: no overlong forms, no surrogates, nothing past U+10FFFF. */
static void test_utf8_sequences_as_rfc3629(void)
{
	static const struct {
		const char *s;
		size_t n, want;
	} cases[] = {
		{ "a", 1, 1 },          { "\x7f", 1, 1 },         { "\xc3\xa9", 2, 2 },        { "\xc3", 1, 0 },
		{ "\xc0\x80", 2, 0 },   { "\xc1\xbf", 2, 0 },    { "\xe2\x82\xac", 3, 3 },   { "\xe0\x80\x80", 3, 0 },
		{ "\xe0\xa0\x80", 3, 3 }, { "\xed\xa0\x80", 3, 0 }, { "\xed\x9f\xbf", 3, 3 }, { "\xe2\x82", 2, 0 },
		{ "\xf0\x9f\x98\x80", 4, 4 }, { "\xf0\x80\x80\x80", 4, 0 }, { "\xf4\x8f\xbf\xbf", 4, 4 },
		{ "\xf4\x90\x80\x80", 4, 0 }, { "\xf5\x80\x80\x80", 4, 0 }, { "\x80", 1, 0 }, { "\xff", 1, 0 },
		{ "\xe2\x28\xa1", 3, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t got = utf8_len((const uint8_t *)cases[i].s, cases[i].n);
		if (got != cases[i].want)
			fprintf(stderr, "\n  case %zu: %zu, want %zu\n", i, got, cases[i].want);
		CU_ASSERT_EQUAL(got, cases[i].want);
	}
	CU_ASSERT_EQUAL(utf8_len((const uint8_t *)"", 0), 0);
	/* Text from a file as JSON: valid UTF-8 kept, each other byte U+FFFD, the usual escapes. */
	CHECK_FMT(fmt_json_text_body(p_, "caf\xc3\xa9 \xff\"\n\xe2\x82", 11), "caf\xc3\xa9 \\ufffd\\\"\\u000a\\ufffd\\ufffd");
	CHECK_FMT(fmt_json_text_body(p_, "plain", 5), "plain");
}

/* A pcapng packet in the views: JSON "if", "ifname" and "comment" (a long one in slices, each character
   whole); text names the interface only when its section has several. */
static void test_views_show_a_pcapng_packets_interface_and_comment(void)
{
	static struct packet pkt;
	static const uint8_t frame[42] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0x45, 0, 0, 28, 0, 1, 0, 0,
					   64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, 0x30, 0x39, 0, 9, 0, 8, 0, 0 };
	decode_packet(&pkt, 1, frame, sizeof frame, sizeof frame);
	pkt.n = 1;
	pkt.ts_sec = 1700000000;
	struct pkt_iface ifc = { .index = 2, .linktype = 1, .name = "eth\"0" };
	pkt.iface = &ifc;
	pkt.iface_several = true;
	size_t len = 65535; /* the longest an option holds: more than one slice of the JSON writer */
	char *note = malloc(len);
	char *got = malloc(8 * len);
	CU_ASSERT_FATAL(note && got);
	for (size_t i = 0; i < len; i += 2) { /* "é" after "é", and where a slice ends too */
		note[i] = (char)0xc3;
		if (i + 1 < len)
			note[i + 1] = (char)0xa9;
	}
	pkt.comment = note;
	pkt.comment_len = (uint16_t)len;
	static struct obuf o;
	FILE *f = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	obuf_init(&o, fileno(f));
	view_json_packet(&o, &pkt, NULL, false);
	view_text_packet(&o, &pkt, NULL, false);
	pkt.iface_several = false;
	ifc.name = NULL;
	pkt.comment = NULL;
	view_json_packet(&o, &pkt, NULL, false);
	view_text_packet(&o, &pkt, NULL, false);
	obuf_flush(&o);
	size_t gn = obuf_result(f, got, 8 * len);
	got[gn] = '\0';
	char *line2 = strchr(got, '\n') + 1, *line3 = strchr(line2, '\n') + 1, *line4 = strchr(line3, '\n') + 1;
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "\"link\":\"EN10MB\",\"if\":2,\"ifname\":\"eth\\\"0\",\"l3\":\"ipv4\""));
	const char *c = strstr(got, "\"comment\":\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	c += strlen("\"comment\":\"");
	/* 32767 whole "é" and the last lone lead byte as U+FFFD */
	size_t pairs = 0;
	while (c[0] == (char)0xc3 && c[1] == (char)0xa9) {
		c += 2;
		pairs++;
	}
	CU_ASSERT_EQUAL(pairs, len / 2);
	CU_ASSERT_EQUAL(strncmp(c, "\\ufffd\"}\n", 9), 0);
	const char *w2 = " eth\"0 IP 127.0.0.1:12345 > 127.0.0.1:9: UDP, length 0\n";
	CU_ASSERT_EQUAL(strncmp(line2 + 15, w2, strlen(w2)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(line3, "\"if\":2,\"l3\""));
	CU_ASSERT_PTR_NULL(strstr(line3, "ifname"));
	CU_ASSERT_PTR_NULL(strstr(line3, "comment"));
	const char *w4 = " IP 127.0.0.1:12345 > 127.0.0.1:9: UDP, length 0\n";
	CU_ASSERT_EQUAL(strncmp(line4 + 15, w4, strlen(w4)), 0);
	free(note);
	free(got);
}

/* The text of every option in b[0..n), comma-separated, as the text view writes them. */
static void opts_text(const uint8_t *b, size_t n, char *out)
{
	struct cursor c = cursor_make(b, n);
	struct ipv4_opt o;
	char *p = out;
	for (bool first = true; ipv4_opt_next(&c, &o); first = false) {
		if (!first)
			*p++ = ',';
		char *start = p;
		p = view_ipv4_opt(p, &o);
		CU_ASSERT_TRUE(p - start <= VIEW_IPV4_OPT_MAX);
	}
	*p = '\0';
}

#define CHECK_OPTS(want, ...)                                                             \
	do {                                                                              \
		const uint8_t b_[] = { __VA_ARGS__ };                                     \
		char got_[4096];                                                          \
		opts_text(b_, sizeof b_, got_);                                           \
		if (strcmp(got_, want))                                                   \
			fprintf(stderr, "\n  options: got '%s', want '%s'\n", got_, want); \
		CU_ASSERT_STRING_EQUAL(got_, want);                                       \
	} while (0)

static void test_ipv4_option_texts(void)
{
	CHECK_OPTS("RR 127.0.0.1 (1 free)", 7, 11, 8, 127, 0, 0, 1, 0, 0, 0, 0);
	CHECK_OPTS("RR 127.0.0.1 127.0.0.2 (full)", 7, 11, 12, 127, 0, 0, 1, 127, 0, 0, 2);
	CHECK_OPTS("NOP,RR (2 free),EOL", 1, 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_OPTS("RR 127.0.0.1 (1 free) [bad pointer 9]", 7, 11, 9, 127, 0, 0, 1, 0, 0, 0, 0);
	CHECK_OPTS("LSRR 127.0.0.2 127.0.0.3 (next 127.0.0.3)", 131, 11, 8, 127, 0, 0, 2, 127, 0, 0, 3);
	CHECK_OPTS("SSRR 127.0.0.2 127.0.0.3 (done)", 137, 11, 12, 127, 0, 0, 2, 127, 0, 0, 3);
	CHECK_OPTS("TS 1000 (1 free)", 68, 12, 9, 0x00, 0, 0, 3, 232, 0, 0, 0, 0);
	CHECK_OPTS("TS 127.0.0.1@1000 (1 free) overflow 2", 68, 20, 13, 0x21, 127, 0, 0, 1, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0,
		   0, 0);
	CHECK_OPTS("TS prespec 127.0.0.1@1000 127.0.0.2 (next 127.0.0.2)", 68, 20, 13, 0x03, 127, 0, 0, 1, 0, 0, 3, 232,
		   127, 0, 0, 2, 0, 0, 0, 0);
	CHECK_OPTS("TS flag 2 1000 (1 free) [unknown timestamp flag]", 68, 12, 9, 0x02, 0, 0, 3, 232, 0, 0, 0, 0);
	CHECK_OPTS("RA 0,RA len 6 [length not 4],NOP,NOP", 148, 4, 0, 0, 148, 6, 0, 1, 0, 0, 1, 1);
	CHECK_OPTS("SEC len 11,opt-99 len 3,NOP", 130, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 3, 42, 1);
	CHECK_OPTS("RR len 2 [length below 3],NOP,NOP", 7, 2, 1, 1);
	CHECK_OPTS("opt-99 len 1 [length below 2]", 99, 1, 1, 1);
	CHECK_OPTS("NOP,SEC len 11 [length beyond the options]", 1, 130, 11, 0);
	CHECK_OPTS("NOP,NOP,NOP,TS [length byte missing]", 1, 1, 1, 68);
	/* Random 40-byte areas: every option's text stays within VIEW_IPV4_OPT_MAX (checked in opts_text). */
	for (int it = 0; it < 20000; it++) {
		uint8_t b[40];
		char got[40 * (VIEW_IPV4_OPT_MAX + 1) + 1];
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (uint8_t)rng();
		b[0] = (uint8_t)(it % 4 == 0 ? 7 : it % 4 == 1 ? 68 : it % 4 == 2 ? 131 : b[0]);
		b[1] = (uint8_t)(it % 4 == 3 ? b[1] : 40);
		opts_text(b, sizeof b, got);
	}
}

int register_test_fmt(void)
{
	CU_pSuite s = CU_add_suite("fmt", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "integers at boundaries and random, as printf", test_integers_at_boundaries) ||
	    !CU_add_test(s, "signed integers", test_signed_integers) ||
	    !CU_add_test(s, "zero-padded fractions keep the last digits", test_padded_fractions) ||
	    !CU_add_test(s, "IPv4 every octet, as inet_ntop", test_ipv4_every_octet) ||
	    !CU_add_test(s, "IPv6 RFC 5952 cases", test_ipv6_rfc5952_cases) ||
	    !CU_add_test(s, "IPv6 random addresses, as inet_ntop", test_ipv6_random_against_inet_ntop) ||
	    !CU_add_test(s, "JSON escapes, as the old escaping", test_json_escapes) ||
	    !CU_add_test(s, "obuf long JSON string and buffer edges", test_obuf_long_json_string_and_buffer_edges) ||
	    !CU_add_test(s, "obuf_room flushes what is written", test_obuf_room_keeps_written_bytes) ||
	    !CU_add_test(s, "timestamp cache across seconds and zones", test_timestamp_cache_across_seconds) ||
	    !CU_add_test(s, "flag strings as tcp_flags_str", test_flag_strings_match_tcp_flags_str) ||
	    !CU_add_test(s, "views with a huge field text", test_views_with_a_huge_field_text) ||
	    !CU_add_test(s, "IPv4 option texts, and their bound", test_ipv4_option_texts) ||
	    !CU_add_test(s, "UTF-8 sequences as RFC 3629", test_utf8_sequences_as_rfc3629) ||
	    !CU_add_test(s, "views show a pcapng packet's interface and comment", test_views_show_a_pcapng_packets_interface_and_comment))
		return -1;
	return 0;
}
