/* exit_codes.h — synwatch's exit statuses (documented in README and synwatch.1), shared by the source that detects a problem and the program that exits with it. */
#ifndef SYNWATCH_EXIT_CODES_H
#define SYNWATCH_EXIT_CODES_H

/* Exit codes (documented in README and synwatch.1). */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_RUNTIME = 1, /* a runtime failure: capture error, write error, out of memory */
	EXIT_USAGE = 2,           /* bad command line: unknown option, invalid BPF expression, bad number */
	EXIT_INPUT = 3,           /* -r: missing, unreadable, not a capture, truncated or damaged capture */
	EXIT_INTERFACE = 4,       /* -i: unknown interface, interface down */
	EXIT_PERMISSION = 5,      /* no permission to capture */
	EXIT_OUTPUT = 6,          /* -w: cannot create/write the file, or a packet of a second link type */
};

#endif
