/* outfile.h — output files written whole or not at all: a temp file beside the target, renamed over it once complete (by a small root helper when synwatch has given up root by then). */
#ifndef SYNWATCH_OUTFILE_H
#define SYNWATCH_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	const char *path;       /* the file asked for */
	char tmp[PATH_MAX];     /* the temp file beside it; "" when none is open */
	FILE *f;                /* open on tmp: write the content here */
	int helper;             /* socket to the helper that renames as root, or -1 */
	pid_t helper_pid;       /* its pid, or 0 */
};

/*
 * Create the temp file beside path (in its directory, named .NAME.XXXXXX), while synwatch may still write
 * anywhere it may: call it before privileges are dropped, as -w's file is opened. When running as root, a
 * helper process is forked that keeps root, ignores the terminal's signals and does nothing but rename
 * (or remove) the temp file when told, or remove it if synwatch goes away without telling. Returns
 * EXIT_OK, or EXIT_OUTPUT with one line in err ("cannot write 'F': ...; check that its directory exists
 * and is writable").
 */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);

/* Flush the content to the disk, close it and rename it over path (it has the permissions a new file gets,
   0666 less the umask). false with one line in err (the temp file is removed). */
bool outfile_commit(struct outfile *o, char *err, size_t errlen);

/* Close and remove the temp file: path is left as it was. Safe to call twice, or after a commit. */
void outfile_abort(struct outfile *o);

#endif
