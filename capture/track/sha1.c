/* sha1.c — SHA-1 (FIPS 180-4 §6.1): 64-byte blocks, 80 rounds, big-endian words. */
#include <string.h>

#include "track/sha1.h"

static uint32_t rol(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

/* One 512-bit block (§6.1.2). */
static void sha1_block(uint32_t h[5], const uint8_t *b)
{
	uint32_t w[80];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)b[4 * t] << 24 | (uint32_t)b[4 * t + 1] << 16 | (uint32_t)b[4 * t + 2] << 8 | b[4 * t + 3];
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
	for (int t = 0; t < 80; t++) {
		uint32_t f, k;
		if (t < 20) {
			f = (bb & c) | (~bb & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = bb ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (bb & c) | (bb & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = bb ^ c ^ d;
			k = 0xca62c1d6;
		}
		uint32_t tmp = rol(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rol(bb, 30);
		bb = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1 *c)
{
	static const uint32_t h0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 }; /* §5.3.1 */
	memcpy(c->h, h0, sizeof h0);
	c->bytes = 0;
	c->fill = 0;
}

void sha1_update(struct sha1 *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	c->bytes += n;
	while (n) {
		size_t k = sizeof c->block - c->fill;
		if (k > n)
			k = n;
		memcpy(c->block + c->fill, p, k);
		c->fill += k;
		p += k;
		n -= k;
		if (c->fill == sizeof c->block) {
			sha1_block(c->h, c->block);
			c->fill = 0;
		}
	}
}

/* Padding (§5.1.1): a 1 bit, zeros, and the message length in bits as a 64-bit big-endian number. */
void sha1_final(struct sha1 *c, uint8_t out[SHA1_LEN])
{
	uint64_t bits = c->bytes * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (c->fill < 56 ? 56 : 120) - c->fill;
	for (int i = 0; i < 8; i++)
		pad[padlen + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(c, pad, padlen + 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void sha1(const void *data, size_t n, uint8_t out[SHA1_LEN])
{
	struct sha1 c;
	sha1_init(&c);
	sha1_update(&c, data, n);
	sha1_final(&c, out);
}
