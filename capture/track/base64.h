/* base64.h — base64 encoding (RFC 4648 §4, with padding), for the Community ID of a flow. */
#ifndef SYNWATCH_BASE64_H
#define SYNWATCH_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Characters base64 makes of n bytes (without the terminating NUL). */
#define BASE64_LEN(n) (((n) + 2) / 3 * 4)

/* Encode n bytes into out (BASE64_LEN(n) + 1 bytes), NUL-terminated; returns the characters written. */
size_t base64_encode(const uint8_t *in, size_t n, char *out);

#endif
