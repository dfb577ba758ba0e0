/* cursor.h — bounds-checked reader over captured packet bytes; every read checks what remains. */
#ifndef SYNWATCH_CURSOR_H
#define SYNWATCH_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A window onto captured bytes: [p, end). Reads advance p; a failed read leaves it unchanged. */
struct cursor {
	const uint8_t *p;   /* next unread byte */
	const uint8_t *end; /* one past the last captured byte */
};

/*
 * Big-endian reads at the start of b. The cursor reads below use them after their check; a decoder
 * also uses them on a fixed-size header that cursor_bytes copied out whole into a local array (one
 * check and one copy instead of a check per field).
 */
static inline uint16_t bytes_be16(const uint8_t *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

static inline uint32_t bytes_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline struct cursor cursor_make(const uint8_t *p, size_t len)
{
	struct cursor c = { p, p + len };
	return c;
}

static inline size_t cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline bool cursor_has(const struct cursor *c, size_t n)
{
	return cursor_left(c) >= n;
}

static inline bool cursor_skip(struct cursor *c, size_t n)
{
	if (!cursor_has(c, n))
		return false;
	c->p += n;
	return true;
}

static inline bool cursor_u8(struct cursor *c, uint8_t *v)
{
	if (!cursor_has(c, 1))
		return false;
	*v = c->p[0];
	c->p += 1;
	return true;
}

/* Network (big-endian) order. */
static inline bool cursor_be16(struct cursor *c, uint16_t *v)
{
	if (!cursor_has(c, 2))
		return false;
	*v = bytes_be16(c->p);
	c->p += 2;
	return true;
}

static inline bool cursor_be32(struct cursor *c, uint32_t *v)
{
	if (!cursor_has(c, 4))
		return false;
	*v = bytes_be32(c->p);
	c->p += 4;
	return true;
}

/* Host-independent little-endian reads, for link headers and capture-file blocks written in the
   capturing host's order. */
static inline bool cursor_le16(struct cursor *c, uint16_t *v)
{
	if (!cursor_has(c, 2))
		return false;
	*v = (uint16_t)((unsigned)c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return true;
}

static inline bool cursor_le32(struct cursor *c, uint32_t *v)
{
	if (!cursor_has(c, 4))
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return true;
}

static inline bool cursor_bytes(struct cursor *c, void *dst, size_t n)
{
	if (!cursor_has(c, n))
		return false;
	memcpy(dst, c->p, n); /* a constant n (MACs, addresses) becomes one or two moves */
	c->p += n;
	return true;
}

/* A narrowed cursor over the next n bytes (or fewer if fewer were captured); the parent is not moved. */
static inline struct cursor cursor_sub(const struct cursor *c, size_t n)
{
	struct cursor s = { c->p, cursor_has(c, n) ? c->p + n : c->end };
	return s;
}

#endif
