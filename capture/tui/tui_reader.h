/* tui_reader.h — live capture's reader thread: packets keep coming in while the terminal is drawn or stalls. */
#ifndef SYNWATCH_TUI_READER_H
#define SYNWATCH_TUI_READER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/*
 * Live capture is read by a thread of its own, so that neither drawing nor a terminal that stops reading
 * (a stalled tmux pane, a slow ssh link) keeps packets in the kernel's ring, which is what drops them; a
 * file is indexed, and the view filter's pass runs, on the same thread while the panel stays usable.
 * The thread runs turn() (the pipeline into the model) while holding `lock`; the main thread holds it
 * for everything else and lets go of it for every terminal write and read and while it sleeps, so a
 * blocked write never holds up capture.
 */
enum {
	READER_MORE = 1,   /* turn(): packets are left ready */
	READER_ENDED = 2,  /* the source has ended: the thread no longer waits on it (a kick still wakes it) */
	READER_NEWS = 4,   /* something is to be drawn: wake the main thread if it sleeps */
};

struct tui_reader {
	pthread_t thread;
	bool started;            /* the thread runs: the lock is in use, and it is joined at the end */
	pthread_mutex_t lock;    /* guards the model and the pipeline while the thread runs */
	atomic_bool stop;        /* main -> reader: finish now */
	atomic_bool want;        /* main waits for the lock: turn() returns within a few hundred packets */
	atomic_bool armed;       /* main sleeps with nothing to draw: the reader wakes it when that changes */
	int wake[2];             /* pipe (non-blocking) through which the reader wakes the main thread's poll */
	int quit[2];             /* pipe through which the main thread wakes the reader's poll to stop it */
	int fd;                  /* the capture's selectable descriptor */
	unsigned (*turn)(void *arg); /* one turn, under the lock: READER_* flags */
	void *arg;
};

/* Start the thread reading fd through turn(); false (the main loop reads, as for files) when it cannot. */
bool reader_start(struct tui_reader *rd, int fd, unsigned (*turn)(void *arg), void *arg);
void reader_stop(struct tui_reader *rd);    /* stop and join it (called without the lock) */
/* Wake the thread from its sleep: there is work for it (a new view filter). */
void reader_kick(struct tui_reader *rd);
/* The main thread takes and leaves the lock (no-ops without a thread). Taking it first sets `want`, so
   the reader lets go within a few hundred packets even while packets keep it busy. */
void reader_lock(struct tui_reader *rd);
void reader_unlock(struct tui_reader *rd);
/* Around the main thread's sleep: armed, the reader wakes it through wake_fd when there is news. */
void reader_arm(struct tui_reader *rd);
void reader_disarm(struct tui_reader *rd);  /* and empty the wake-up pipe */
int reader_wake_fd(const struct tui_reader *rd);

#endif
