/* role.h — what sockdemo's command line hands a role (server, client, scenario) and the exit codes a role returns. */
#ifndef SOCKDEMO_ROLE_H
#define SOCKDEMO_ROLE_H

#include <stdbool.h>
#include <stdint.h>

/* Exit codes (documented in sockdemo.1 and demo/README.md). */
enum {
	SD_EXIT_OK = 0,      /* finished as intended (a scenario: the textbook exchange happened) */
	SD_EXIT_RUNTIME = 1, /* runtime or peer failure: timeout, unexpected reply, write error */
	SD_EXIT_USAGE = 2,   /* bad command line: unknown option, bad number, unknown scenario, bad events file */
	SD_EXIT_ADDRESS = 3, /* address/port problem: in use, not available, permission (low port), unresolvable */
	SD_EXIT_REFUSED = 4, /* connection refused (RST or ICMP port unreachable) or reset by the peer */
};

enum sd_mode { SD_ECHO, SD_PRINT, SD_DISCARD }; /* what the server does with what arrives */

struct sd_opts {
	int type;            /* SOCK_STREAM (TCP, default) or SOCK_DGRAM (UDP) */
	int family;          /* AF_INET (default) or AF_INET6 */
	bool family_set;     /* -4 or -6 given: resolve HOST in that family only */
	const char *host;    /* server: -b ADDR; client: HOST; NULL means 127.0.0.1 / ::1 */
	uint16_t port;       /* default 8888 */
	enum sd_mode mode;   /* server only */
	const char *message; /* client -m TEXT (sent with a newline appended), NULL to read stdin */
	bool half_close;     /* client --shutdown: shutdown(SHUT_WR) at end of input, then read to EOF */
	bool loop;           /* scenario --loop */
	double pause;        /* scenario --pause SECONDS between runs */
};

#define SD_DEFAULT_PORT 8888

#endif
