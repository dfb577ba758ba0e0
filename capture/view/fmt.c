/* fmt.c — fast decimal, address and JSON-string formatting for the per-packet views (no printf, no inet_ntop). */
#include "view/fmt.h"

#include "common/utf8.h"

#include <stdbool.h>

const char fmt_digits2[200] =
	"00010203040506070809"
	"10111213141516171819"
	"20212223242526272829"
	"30313233343536373839"
	"40414243444546474849"
	"50515253545556575859"
	"60616263646566676869"
	"70717273747576777879"
	"80818283848586878889"
	"90919293949596979899";

char *fmt_pad(char *p, uint64_t v, int digits)
{
	if (digits > 20)
		digits = 20;
	for (int i = digits - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return digits > 0 ? p + digits : p;
}

/* Each octet's digits followed by '.', padded to 4 bytes (copied whole, then the end moved back). */
static const struct {
	char s[4];
} octets[256] = {
	{ "0.\0\0" }, { "1.\0\0" }, { "2.\0\0" }, { "3.\0\0" }, { "4.\0\0" }, { "5.\0\0" }, { "6.\0\0" }, { "7.\0\0" },
	{ "8.\0\0" }, { "9.\0\0" }, { "10.\0" }, { "11.\0" }, { "12.\0" }, { "13.\0" }, { "14.\0" }, { "15.\0" },
	{ "16.\0" }, { "17.\0" }, { "18.\0" }, { "19.\0" }, { "20.\0" }, { "21.\0" }, { "22.\0" }, { "23.\0" },
	{ "24.\0" }, { "25.\0" }, { "26.\0" }, { "27.\0" }, { "28.\0" }, { "29.\0" }, { "30.\0" }, { "31.\0" },
	{ "32.\0" }, { "33.\0" }, { "34.\0" }, { "35.\0" }, { "36.\0" }, { "37.\0" }, { "38.\0" }, { "39.\0" },
	{ "40.\0" }, { "41.\0" }, { "42.\0" }, { "43.\0" }, { "44.\0" }, { "45.\0" }, { "46.\0" }, { "47.\0" },
	{ "48.\0" }, { "49.\0" }, { "50.\0" }, { "51.\0" }, { "52.\0" }, { "53.\0" }, { "54.\0" }, { "55.\0" },
	{ "56.\0" }, { "57.\0" }, { "58.\0" }, { "59.\0" }, { "60.\0" }, { "61.\0" }, { "62.\0" }, { "63.\0" },
	{ "64.\0" }, { "65.\0" }, { "66.\0" }, { "67.\0" }, { "68.\0" }, { "69.\0" }, { "70.\0" }, { "71.\0" },
	{ "72.\0" }, { "73.\0" }, { "74.\0" }, { "75.\0" }, { "76.\0" }, { "77.\0" }, { "78.\0" }, { "79.\0" },
	{ "80.\0" }, { "81.\0" }, { "82.\0" }, { "83.\0" }, { "84.\0" }, { "85.\0" }, { "86.\0" }, { "87.\0" },
	{ "88.\0" }, { "89.\0" }, { "90.\0" }, { "91.\0" }, { "92.\0" }, { "93.\0" }, { "94.\0" }, { "95.\0" },
	{ "96.\0" }, { "97.\0" }, { "98.\0" }, { "99.\0" }, { "100." }, { "101." }, { "102." }, { "103." },
	{ "104." }, { "105." }, { "106." }, { "107." }, { "108." }, { "109." }, { "110." }, { "111." },
	{ "112." }, { "113." }, { "114." }, { "115." }, { "116." }, { "117." }, { "118." }, { "119." },
	{ "120." }, { "121." }, { "122." }, { "123." }, { "124." }, { "125." }, { "126." }, { "127." },
	{ "128." }, { "129." }, { "130." }, { "131." }, { "132." }, { "133." }, { "134." }, { "135." },
	{ "136." }, { "137." }, { "138." }, { "139." }, { "140." }, { "141." }, { "142." }, { "143." },
	{ "144." }, { "145." }, { "146." }, { "147." }, { "148." }, { "149." }, { "150." }, { "151." },
	{ "152." }, { "153." }, { "154." }, { "155." }, { "156." }, { "157." }, { "158." }, { "159." },
	{ "160." }, { "161." }, { "162." }, { "163." }, { "164." }, { "165." }, { "166." }, { "167." },
	{ "168." }, { "169." }, { "170." }, { "171." }, { "172." }, { "173." }, { "174." }, { "175." },
	{ "176." }, { "177." }, { "178." }, { "179." }, { "180." }, { "181." }, { "182." }, { "183." },
	{ "184." }, { "185." }, { "186." }, { "187." }, { "188." }, { "189." }, { "190." }, { "191." },
	{ "192." }, { "193." }, { "194." }, { "195." }, { "196." }, { "197." }, { "198." }, { "199." },
	{ "200." }, { "201." }, { "202." }, { "203." }, { "204." }, { "205." }, { "206." }, { "207." },
	{ "208." }, { "209." }, { "210." }, { "211." }, { "212." }, { "213." }, { "214." }, { "215." },
	{ "216." }, { "217." }, { "218." }, { "219." }, { "220." }, { "221." }, { "222." }, { "223." },
	{ "224." }, { "225." }, { "226." }, { "227." }, { "228." }, { "229." }, { "230." }, { "231." },
	{ "232." }, { "233." }, { "234." }, { "235." }, { "236." }, { "237." }, { "238." }, { "239." },
	{ "240." }, { "241." }, { "242." }, { "243." }, { "244." }, { "245." }, { "246." }, { "247." },
	{ "248." }, { "249." }, { "250." }, { "251." }, { "252." }, { "253." }, { "254." }, { "255." },
};

/* The decimal octet and a dot; returns the end after the dot. */
static inline char *octet_dot(char *p, uint8_t v)
{
	memcpy(p, octets[v].s, 4);
	return p + 2 + (v >= 10) + (v >= 100);
}

char *fmt_ipv4(char *p, const uint8_t a[4])
{
	p = octet_dot(p, a[0]);
	p = octet_dot(p, a[1]);
	p = octet_dot(p, a[2]);
	return octet_dot(p, a[3]) - 1;
}

/* A 16-bit group in lowercase hex without leading zeros ("%x"). */
static inline char *hex16(char *p, unsigned w)
{
	static const char hex[] = "0123456789abcdef";
	if (w >= 0x1000)
		*p++ = hex[w >> 12];
	if (w >= 0x100)
		*p++ = hex[(w >> 8) & 15];
	if (w >= 0x10)
		*p++ = hex[(w >> 4) & 15];
	*p++ = hex[w & 15];
	return p;
}

/* The algorithm of glibc's inet_ntop6 (resolv/inet_ntop.c), so the text is the same byte for byte:
   the longest run of two or more zero groups (the first of equal ones) becomes "::", and an address
   whose first six groups are zero (::a.b.c.d) or five zero then ffff (::ffff:a.b.c.d) ends in IPv4. */
char *fmt_ipv6(char *p, const uint8_t a[16])
{
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0) {
				cur = i;
				cur_len = 1;
			} else {
				cur_len++;
			}
		} else if (cur >= 0) {
			if (best < 0 || cur_len > best_len) {
				best = cur;
				best_len = cur_len;
			}
			cur = -1;
		}
	}
	if (cur >= 0 && (best < 0 || cur_len > best_len)) {
		best = cur;
		best_len = cur_len;
	}
	if (best >= 0 && best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i != 0)
			*p++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return fmt_ipv4(p, a + 12);
		p = hex16(p, w[i]);
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	return p;
}

/* Bytes a JSON string cannot hold as they are: '"', '\\' and the controls below 0x20. */
static const bool json_special[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
	[0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	['"'] = 1, ['\\'] = 1,
};

size_t fmt_json_len(const char *s, size_t n)
{
	size_t k = n + 2;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (json_special[c])
			k += c < 0x20 ? 5 : 1;
	}
	return k;
}

char *fmt_json_body(char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && !json_special[u[j]])
			j++;
		p = fmt_mem(p, u + i, j - i);
		if (j == n)
			break;
		unsigned char c = u[j];
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else {
			p = fmt_lit(p, "\\u00");
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
		i = j + 1;
	}
	return p;
}

char *fmt_json_text_body(char *p, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0;
	while (i < n) {
		size_t j = i; /* a run of ASCII and valid UTF-8 that needs no escape */
		for (;;) {
			if (j < n && u[j] < 0x80 && !json_special[u[j]]) {
				j++;
				continue;
			}
			size_t k = j < n && u[j] >= 0x80 ? utf8_len(u + j, n - j) : 0;
			if (!k)
				break;
			j += k;
		}
		p = fmt_mem(p, u + i, j - i);
		if (j == n)
			break;
		if (u[j] >= 0x80)
			p = fmt_lit(p, "\\ufffd");
		else
			p = fmt_json_body(p, s + j, 1);
		i = j + 1;
	}
	return p;
}
