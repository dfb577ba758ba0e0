/* endpoint.h — one end of a conversation (address family, address, port), shared by tracking and the socket-call sources. */
#ifndef SYNWATCH_ENDPOINT_H
#define SYNWATCH_ENDPOINT_H

#include <stdint.h>

/* One endpoint: address family 4 or 6, address, port (0 for ICMP). */
struct endpoint {
	uint8_t af;       /* 4 or 6 */
	uint8_t addr[16]; /* IPv4 in the first 4 bytes */
	uint16_t port;
};

#endif
