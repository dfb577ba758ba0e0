/* endpoint_fmt.h — an endpoint as text ("127.0.0.1:8888", "[::1]:8888") and from a socket address. */
#ifndef SYNWATCH_ENDPOINT_FMT_H
#define SYNWATCH_ENDPOINT_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "endpoint.h"

/* Writes "127.0.0.1:8888" / "[::1]:8888" (or "-" for af 0) into buf; returns the length snprintf would. */
int endpoint_format(const struct endpoint *ep, char *buf, size_t n);

/*
 * Fills *ep from the first len bytes of a socket address (struct sockaddr_in or sockaddr_in6); false, with
 * *ep zeroed, for another family or an address shorter than its family's struct.
 */
bool endpoint_from_sockaddr(const void *sa, size_t len, struct endpoint *ep);

#endif
