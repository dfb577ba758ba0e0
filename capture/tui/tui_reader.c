/* tui_reader.c — live capture's reader thread and the lock it shares with the panel's main loop. */
#include "tui/tui_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#define TUI_READER_POLL_MS 100 /* the reader's poll wakes at least this often (a followed file grows; stop and
				   kicks have a pipe) */

/* Wake the main thread's poll (the pipe is non-blocking: when it is full a wake-up is pending anyway). */
static void reader_wake_main(struct tui_reader *rd)
{
	while (write(rd->wake[1], "w", 1) < 0 && errno == EINTR)
		continue;
}

static void *reader_main(void *arg)
{
	struct tui_reader *rd = arg;
	while (!atomic_load(&rd->stop)) {
		pthread_mutex_lock(&rd->lock);
		unsigned r = rd->turn(rd->arg);
		bool wake = (r & READER_NEWS) && atomic_load(&rd->armed);
		pthread_mutex_unlock(&rd->lock);
		if (wake && atomic_exchange(&rd->armed, false))
			reader_wake_main(rd);
		if (r & READER_MORE) {
			while (atomic_load(&rd->want) && !atomic_load(&rd->stop))
				sched_yield(); /* the main thread is about to take the lock: let it */
			continue;
		}
		/* Nothing to do: sleep until the source has more (not once it has ended), a kick, or stop. */
		struct pollfd pfd[2] = { { .fd = (r & READER_ENDED) ? -1 : rd->fd, .events = POLLIN },
					 { .fd = rd->quit[0], .events = POLLIN } };
		poll(pfd, 2, TUI_READER_POLL_MS);
		char buf[64];
		while (!atomic_load(&rd->stop) && read(rd->quit[0], buf, sizeof buf) > 0)
			continue;
	}
	return NULL;
}

static void reader_pipes_close(struct tui_reader *rd)
{
	close(rd->wake[0]);
	close(rd->wake[1]);
	close(rd->quit[0]);
	close(rd->quit[1]);
}

bool reader_start(struct tui_reader *rd, int fd, unsigned (*turn)(void *arg), void *arg)
{
	rd->fd = fd;
	rd->turn = turn;
	rd->arg = arg;
	if (pipe2(rd->wake, O_NONBLOCK | O_CLOEXEC) != 0)
		return false;
	if (pipe2(rd->quit, O_NONBLOCK | O_CLOEXEC) != 0) {
		close(rd->wake[0]);
		close(rd->wake[1]);
		return false;
	}
	if (pthread_mutex_init(&rd->lock, NULL) != 0) {
		reader_pipes_close(rd);
		return false;
	}
	atomic_init(&rd->stop, false);
	atomic_init(&rd->want, false);
	atomic_init(&rd->armed, false);
	/* Signals go to the main thread (its poll returns EINTR and the loop sees the flag). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rd->started = pthread_create(&rd->thread, NULL, reader_main, rd) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!rd->started) {
		pthread_mutex_destroy(&rd->lock);
		reader_pipes_close(rd);
	}
	return rd->started;
}

void reader_stop(struct tui_reader *rd)
{
	if (!rd->started)
		return;
	atomic_store(&rd->stop, true);
	while (write(rd->quit[1], "q", 1) < 0 && errno == EINTR)
		continue;
	pthread_join(rd->thread, NULL);
	rd->started = false;
	pthread_mutex_destroy(&rd->lock);
	reader_pipes_close(rd);
}

void reader_kick(struct tui_reader *rd)
{
	if (!rd->started)
		return;
	while (write(rd->quit[1], "k", 1) < 0 && errno == EINTR)
		continue;
}

void reader_lock(struct tui_reader *rd)
{
	if (!rd->started)
		return;
	atomic_store(&rd->want, true);
	pthread_mutex_lock(&rd->lock);
	atomic_store(&rd->want, false);
}

void reader_unlock(struct tui_reader *rd)
{
	if (rd->started)
		pthread_mutex_unlock(&rd->lock);
}

void reader_arm(struct tui_reader *rd)
{
	if (rd->started)
		atomic_store(&rd->armed, true);
}

void reader_disarm(struct tui_reader *rd)
{
	if (!rd->started)
		return;
	atomic_store(&rd->armed, false);
	char buf[64];
	while (read(rd->wake[0], buf, sizeof buf) > 0)
		continue;
}

int reader_wake_fd(const struct tui_reader *rd)
{
	return rd->started ? rd->wake[0] : -1;
}
