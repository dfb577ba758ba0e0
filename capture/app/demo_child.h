/* demo_child.h — --classroom's sockdemo child: found, started with its own events file, reaped, stopped, its last error. */
#ifndef SYNWATCH_DEMO_CHILD_H
#define SYNWATCH_DEMO_CHILD_H

#include <stdbool.h>
#include <stddef.h>

/* One child at a time, held in this file's state so every exit path (atexit) can stop it. */

/* The sockdemo binary: next to this program (/proc/self/exe), else in PATH; its path in path[0..n).
   Returns a descriptor open on it (close-on-exec), or -1 when there is none. */
int demo_find(char *path, size_t n);

/*
 * Start `sockdemo scenario all [--loop] -p PORT --events FILE --no-narrate --pace-file FILE` (the pace file
 * holding pace seconds) from the open binary exe_fd,
 * in a private temporary directory (TMPDIR, else /tmp) that also holds its stderr. The child ends with
 * us (PR_SET_PDEATHSIG) and has its own process group (a terminal's ^C reaches only us). False with a
 * one-line message in err when it cannot be started.
 */
bool demo_start(int exe_fd, const char *exe_path, unsigned port, bool loop, double pace, char *err, size_t errlen);

/* Whether the scenarios can have port on loopback: no other program has a TCP or UDP socket bound to
   127.0.0.1 or ::1 there (their client side also uses port + 1, which they report themselves). */
bool demo_port_free(unsigned port);

/* The started child's pace: it waits this long before each call that changes a socket or sends (it reads
   the pace file again before and during each wait). False when no child was started or on a write error. */
bool demo_set_pace(double seconds);

/* The events file the child writes (valid after demo_start). */
const char *demo_events(void);

/* True once a started child has ended (reaping it now if it just did), with its exit status as a shell
   reports it (128 + signal when a signal ended it). False when none was started or it still runs. */
bool demo_reap(int *status);
/* The same without reaping: true when it was reaped already. */
bool demo_done(int *status);

/* The last line the child wrote to its stderr ("" when none), for our own message. */
void demo_last_error(char *buf, size_t n);

/* Stop the child (SIGTERM, then SIGKILL after a second) and remove its files. Safe to call again. */
void demo_cleanup(void);

#endif
