/* sha1.h — SHA-1 (FIPS 180-4 §6.1), for the Community ID of a flow. */
#ifndef SYNWATCH_SHA1_H
#define SYNWATCH_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20 /* digest bytes */

struct sha1 {
	uint32_t h[5];     /* the hash value so far */
	uint64_t bytes;    /* message bytes taken */
	uint8_t block[64]; /* the block being filled */
	size_t fill;       /* bytes in block */
};

void sha1_init(struct sha1 *c);
void sha1_update(struct sha1 *c, const void *data, size_t n);
void sha1_final(struct sha1 *c, uint8_t out[SHA1_LEN]);

/* The digest of one buffer. */
void sha1(const void *data, size_t n, uint8_t out[SHA1_LEN]);

#endif
