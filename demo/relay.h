/* relay.h — one narration from a scenario's processes, printed in the order the calls happened, not the order the processes got to write. */
#ifndef SOCKDEMO_RELAY_H
#define SOCKDEMO_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Starts the relay: a process that prints, on what is now stderr, every narration record of this process
 * and of the children it forks from now on, ordered by the record's time (when its call was entered or
 * returned, CLOCK_REALTIME microseconds). Anything else written to stderr (error messages) goes through
 * it too, stamped with the time it arrives. A record is held RELAY_HOLD_MS (so that a record of another
 * process written a moment later but stamped earlier can go before it), and while another process is
 * inside a call that may cause it: relay_mark() announces such a call, the process's next record ends it
 * (after at most RELAY_PATIENCE_MS the relay stops waiting). false, after a message, when it cannot
 * start: narration then goes straight to stderr, as without the relay.
 */
#define RELAY_HOLD_MS 20
#define RELAY_PATIENCE_MS 1000
bool relay_start(void);
bool relay_on(void);
/* One narration record of this process: len bytes of text (whole lines), stamped key_us. */
void relay_text(int64_t key_us, const char *text, size_t len);
/* This process enters, at key_us, a call whose effects another process may see before its record comes. */
void relay_mark(int64_t key_us);
/* Ends the relay (every process that could write to it has ended): it prints what it holds and exits;
   stderr is this process's own again. */
void relay_stop(void);

#endif
