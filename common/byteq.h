/* byteq.h — where the next span goes in a fixed buffer used as a FIFO of byte spans (the panel's history, the classroom timeline's held packets). */
#ifndef SYNWATCH_BYTEQ_H
#define SYNWATCH_BYTEQ_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Spans are taken at the newest end and given back from the oldest, in order. With the spans held
 * starting at oldest_off (the oldest's offset) and ending at newest_end (the newest's offset plus its
 * length; newest_off its offset), in a buffer of `size` bytes: true with *pos where `len` more bytes fit
 * without touching a held span (after the newest, else wrapped to the start), false when the oldest must
 * go first. held false: nothing is held (*pos 0). Spans of 0 bytes must be counted as 1 by the caller, so
 * that the held extent is never empty while spans are held.
 */
bool byteq_fit(size_t size, bool held, size_t oldest_off, size_t newest_off, size_t newest_end, size_t len,
	       size_t *pos);

#endif
