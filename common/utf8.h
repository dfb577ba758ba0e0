/* utf8.h — telling valid UTF-8 (RFC 3629) from other bytes in text that comes from a file. */
#ifndef SYNWATCH_UTF8_H
#define SYNWATCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s[0..n), or 0 when there is none: no overlong
   forms, no surrogates, nothing past U+10FFFF. */
size_t utf8_len(const uint8_t *s, size_t n);

#endif
