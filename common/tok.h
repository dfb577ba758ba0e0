/* tok.h — the tree's one value-to-name idiom (tcpdump's struct tok): {value, "name"} tables ending in {0, NULL}. */
#ifndef SYNWATCH_TOK_H
#define SYNWATCH_TOK_H

#include <stddef.h>
#include <string.h>

/* One row of a table; a table ends with { 0, NULL }. */
struct tok {
	unsigned int v; /* the value: a protocol number, a constant, one bit of a flag set */
	const char *s;  /* its name */
};

/*
 * The name of v in t, or `unknown` (a fixed text, not a format; may be NULL) when no row has that value.
 * Inline: some tables are read per packet.
 */
static inline const char *tok2str(const struct tok *t, const char *unknown, unsigned int v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return unknown;
}

/* The value named s in t, or `unknown` when no row has that name. */
static inline unsigned int str2tok(const struct tok *t, const char *s, unsigned int unknown)
{
	for (; t->s; t++)
		if (strcmp(t->s, s) == 0)
			return t->v;
	return unknown;
}

#endif
