/* relay.c — one narration from a scenario's processes, printed in the order the calls happened, not the order the processes got to write. */
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"

/* What a record is. */
enum { REC_TEXT = 1, REC_MARK = 2 };

/* A record's header in the pipe; the text follows. One write() of at most PIPE_BUF bytes, so that the
   records of several processes never interleave. */
struct rec_hdr {
	int64_t key;  /* CLOCK_REALTIME microseconds: the call's entry or return */
	int32_t pid;  /* the writer */
	uint16_t len; /* bytes of text after the header */
	uint8_t kind; /* REC_* */
	uint8_t pad;
};
#define REC_TEXT_MAX (PIPE_BUF - sizeof(struct rec_hdr))

static struct {
	int rec_fd;   /* write end of the records' pipe, or -1 (no relay) */
	int saved_fd; /* the stderr this process had before the relay took it */
	pid_t pid;    /* the relay process */
} rl = { -1, -1, -1 };

bool relay_on(void)
{
	return rl.rec_fd >= 0;
}

static void rec_write(int kind, int64_t key, const char *text, size_t len)
{
	char buf[PIPE_BUF];
	bool cut = len > REC_TEXT_MAX; /* a narration record is far shorter; cut, it still ends its line */
	if (cut)
		len = REC_TEXT_MAX;
	struct rec_hdr h = { key, (int32_t)getpid(), (uint16_t)len, (uint8_t)kind, 0 };
	memcpy(buf, &h, sizeof h);
	if (len) {
		memcpy(buf + sizeof h, text, len);
		if (cut)
			buf[sizeof h + len - 1] = '\n';
	}
	while (write(rl.rec_fd, buf, sizeof h + len) < 0 && errno == EINTR)
		;
}

void relay_text(int64_t key_us, const char *text, size_t len)
{
	rec_write(REC_TEXT, key_us, text, len);
}

void relay_mark(int64_t key_us)
{
	rec_write(REC_MARK, key_us, NULL, 0);
}

/* ---- the relay process ---- */

struct held {
	int64_t key;
	uint64_t seq; /* arrival order, among equal keys */
	pid_t pid;
	char *text;
	size_t len;
};

struct mark {
	pid_t pid;
	int64_t key;  /* when its call was entered */
	int64_t seen; /* when the relay read it (microseconds), for RELAY_PATIENCE_MS */
};

static struct {
	struct held *h;
	size_t n, cap;
	uint64_t seq;
	struct mark *m;
	size_t nm, capm;
	int out; /* where the narration goes */
} R;

static void out_write(const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(R.out, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(0); /* nobody reads the narration any more */
		s += w;
		len -= (size_t)w;
	}
}

static void held_add(int64_t key, pid_t pid, const char *text, size_t len)
{
	if (R.n == R.cap) {
		size_t nc = R.cap ? 2 * R.cap : 64;
		struct held *nh = realloc(R.h, nc * sizeof *nh);
		if (!nh) { /* no memory to hold it: print it now rather than lose it */
			out_write(text, len);
			return;
		}
		R.h = nh;
		R.cap = nc;
	}
	char *t = malloc(len ? len : 1);
	if (!t) {
		out_write(text, len);
		return;
	}
	memcpy(t, text, len);
	/* Insert in (key, seq) order: records mostly arrive in order, so from the end. */
	size_t i = R.n;
	while (i > 0 && R.h[i - 1].key > key) {
		R.h[i] = R.h[i - 1];
		i--;
	}
	R.h[i] = (struct held){ key, R.seq++, pid, t, len };
	R.n++;
}

static void mark_end(pid_t pid)
{
	for (size_t i = 0; i < R.nm; i++)
		if (R.m[i].pid == pid) {
			R.m[i] = R.m[--R.nm];
			return;
		}
}

static void mark_add(pid_t pid, int64_t key, int64_t now)
{
	mark_end(pid); /* one call at a time per process */
	if (R.nm == R.capm) {
		size_t nc = R.capm ? 2 * R.capm : 8;
		struct mark *nm = realloc(R.m, nc * sizeof *nm);
		if (!nm)
			return; /* without the mark, only the hold keeps the order */
		R.m = nm;
		R.capm = nc;
	}
	R.m[R.nm++] = (struct mark){ pid, key, now };
}

/*
 * Prints the held records that may go: the earliest, once it has been held RELAY_HOLD_MS and no other
 * process is still inside a call it entered before the record's time (a mark given up after
 * RELAY_PATIENCE_MS); everything when `all`. Returns the milliseconds until something may change (-1:
 * nothing held).
 */
static int held_print(int64_t now, bool all)
{
	size_t done = 0;
	int wait = -1;
	while (done < R.n) {
		const struct held *h = &R.h[done];
		if (!all) {
			int64_t due = h->key + RELAY_HOLD_MS * 1000;
			bool blocked = false;
			for (size_t i = 0; i < R.nm; i++) {
				int64_t give_up = R.m[i].seen + RELAY_PATIENCE_MS * 1000;
				if (R.m[i].pid != h->pid && R.m[i].key <= h->key && now < give_up) {
					blocked = true;
					if (due < give_up)
						due = give_up;
				}
			}
			if (blocked || now < due) {
				int64_t ms = (due - now) / 1000 + 1;
				wait = ms > 1000 ? 1000 : (int)ms;
				break;
			}
		}
		out_write(h->text, h->len);
		free(h->text);
		done++;
	}
	if (done) {
		memmove(R.h, R.h + done, (R.n - done) * sizeof *R.h);
		R.n -= done;
	}
	return wait;
}

/* Takes every whole record out of buf[0..*n), keeping a partial one for the next read. */
static void records_take(char *buf, size_t *n, int64_t now)
{
	size_t at = 0;
	while (*n - at >= sizeof(struct rec_hdr)) {
		struct rec_hdr h;
		memcpy(&h, buf + at, sizeof h);
		if (*n - at < sizeof h + h.len)
			break;
		if (h.kind == REC_MARK) {
			mark_add(h.pid, h.key, now);
		} else {
			mark_end(h.pid); /* its call is over: its record is here */
			held_add(h.key, h.pid, buf + at + sizeof h, h.len);
		}
		at += sizeof h + h.len;
	}
	memmove(buf, buf + at, *n - at);
	*n -= at;
}

static void relay_main(int rec_rd, int raw_rd)
{
	static char recbuf[4 * PIPE_BUF];
	size_t recn = 0;
	R.out = STDERR_FILENO;
	struct pollfd p[2] = { { rec_rd, POLLIN, 0 }, { raw_rd, POLLIN, 0 } };
	int open_fds = 2, wait = -1;
	while (open_fds > 0) {
		if (poll(p, 2, wait) < 0 && errno != EINTR)
			break;
		int64_t now = clock_real_us();
		if (p[0].revents) {
			ssize_t r = read(rec_rd, recbuf + recn, sizeof recbuf - recn);
			if (r > 0) {
				recn += (size_t)r;
				records_take(recbuf, &recn, now);
			} else if (r == 0 || errno != EINTR) {
				p[0].fd = -1;
				open_fds--;
			}
		}
		if (p[1].revents) {
			char raw[PIPE_BUF];
			ssize_t r = read(raw_rd, raw, sizeof raw);
			if (r > 0) {
				held_add(now, 0, raw, (size_t)r); /* an error message: stamped when it came */
			} else if (r == 0 || errno != EINTR) {
				p[1].fd = -1;
				open_fds--;
			}
		}
		wait = held_print(clock_real_us(), false);
	}
	held_print(0, true);
	_exit(0);
}

bool relay_start(void)
{
	int rec[2], raw[2];
	if (pipe(rec) < 0) {
		fprintf(stderr, "sockdemo: cannot order the narration (pipe: %s); it is printed as each process writes it\n",
			strerror(errno));
		return false;
	}
	if (pipe(raw) < 0) {
		fprintf(stderr, "sockdemo: cannot order the narration (pipe: %s); it is printed as each process writes it\n",
			strerror(errno));
		close(rec[0]);
		close(rec[1]);
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sockdemo: cannot order the narration (fork: %s); it is printed as each process writes it\n",
			strerror(errno));
		close(rec[0]);
		close(rec[1]);
		close(raw[0]);
		close(raw[1]);
		return false;
	}
	if (pid == 0) {
		/* It ends when every writer has: Ctrl-C and kill stop the scenario's processes, whose ends of
		   the pipes close, and the relay prints what it holds. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		close(rec[1]);
		close(raw[1]);
		relay_main(rec[0], raw[0]);
	}
	close(rec[0]);
	close(raw[0]);
	rl.saved_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 90);
	rl.rec_fd = fcntl(rec[1], F_DUPFD, 90); /* inherited by the scenario's processes */
	close(rec[1]);
	rl.pid = pid;
	if (rl.saved_fd < 0 || rl.rec_fd < 0 || dup2(raw[1], STDERR_FILENO) < 0) {
		fprintf(stderr, "sockdemo: cannot order the narration (%s); it is printed as each process writes it\n",
			strerror(errno));
		close(raw[1]);
		relay_stop();
		return false;
	}
	close(raw[1]);
	return true;
}

void relay_stop(void)
{
	if (rl.pid < 0)
		return;
	if (rl.saved_fd >= 0) {
		dup2(rl.saved_fd, STDERR_FILENO);
		close(rl.saved_fd);
	}
	if (rl.rec_fd >= 0)
		close(rl.rec_fd);
	rl.rec_fd = rl.saved_fd = -1;
	while (waitpid(rl.pid, NULL, 0) < 0 && errno == EINTR)
		;
	rl.pid = -1;
}
