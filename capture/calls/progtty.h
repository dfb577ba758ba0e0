/* progtty.h — the traced program's pseudo-terminal: opened for the child, its output split into lines, lines typed to it. */
#ifndef SYNWATCH_PROGTTY_H
#define SYNWATCH_PROGTTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROGTTY_LINE 256   /* longest line kept; a longer one is cut into pieces this long */
#define PROGTTY_LINES 128  /* lines the panel can show (the oldest go first) */
#define PROGTTY_HOLD_NS (200 * 1000000LL) /* an unfinished line ("Password: ") is shown after this long */

/*
 * The master side of a pty (posix_openpt, grantpt, unlockpt) whose slave becomes the traced command's
 * stdin, stdout, stderr and controlling terminal (progtty_child, in the child before exec). Echo is off:
 * a line sent to the program is not read back as its output. Output lines lose their "\r\n".
 */
struct progtty {
	int fd;                          /* the master, non-blocking and close-on-exec; -1 when closed */
	char slave[64];                  /* the slave's path (/dev/pts/N) */
	char name[64];                   /* the program's name and pid as lines are prefixed ("nc 1234") */
	char part[PROGTTY_LINE];         /* the unfinished line so far */
	size_t npart;
	int64_t part_since;              /* when its first byte came (monotonic ns) */
	char lines[PROGTTY_LINES][PROGTTY_LINE]; /* the last lines, a ring: line number k is lines[k % N] */
	uint64_t total;                  /* lines ever completed */
	bool ended;                      /* every process holding the slave closed it (EIO) */
	unsigned short rows, cols;       /* the terminal's size as the program is told it */
};

/* Open the master and its slave's path; false with one line in err. */
bool progtty_open(struct progtty *p, char *err, size_t errlen);
/* The child's part, before exec: a new session with the slave as controlling terminal and fds 0, 1, 2.
   Only async-signal-safe calls; false (errno set) when the slave cannot be had. */
bool progtty_child(const char *slave);
/* Name the program in the lines' prefix: its command's base name and its pid. */
void progtty_name(struct progtty *p, const char *argv0, int pid);
/* Tell the program its terminal is rows x cols (80x24 until then): where its lines are shown, less the
   "name| " prefix. The kernel sends the program SIGWINCH when the size changes. */
void progtty_resize(struct progtty *p, int rows, int cols);
/* The columns left for the program's text on a line `width` columns wide, after the "name| " prefix. */
int progtty_text_cols(const struct progtty *p, int width);

/*
 * Read what the program wrote (without blocking) into lines: each completed line goes into the ring and
 * to line(arg, text) when line is not NULL; an unfinished one too once it waited PROGTTY_HOLD_NS (now_ns,
 * monotonic) or the program ended. Returns the lines completed.
 */
size_t progtty_pump(struct progtty *p, int64_t now_ns, void (*line)(void *arg, const char *text), void *arg);
/* Line number k (0 the first ever) when the ring still holds it, else NULL. */
const char *progtty_line(const struct progtty *p, uint64_t k);

/* Type text to the program (as if typed and Enter pressed: a newline is added). False on a write error. */
bool progtty_send_line(struct progtty *p, const char *text);
/* Pass bytes on as they are (synwatch's stdin, a pipe or a terminal); false on a write error. */
bool progtty_send(struct progtty *p, const void *buf, size_t len);
/* The end of input: the program's next read returns 0 (the terminal's end-of-file character). */
bool progtty_send_eof(struct progtty *p);

void progtty_close(struct progtty *p);

#endif
