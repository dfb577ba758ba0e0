/* procwatch.c — per-process horizons for a followed events file: each writer's latest line, and its state and CPU use in /proc. */
#include "calls/procwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void procwatch_init(struct procwatch *w, int64_t grace_ns)
{
	memset(w, 0, sizeof *w);
	w->grace_ns = grace_ns;
	w->read_ns = INT64_MIN;
	w->ticks = sysconf(_SC_CLK_TCK);
	if (w->ticks <= 0)
		w->ticks = 100;
}

/* The wall clock at boot, as of now (the wall clock may have been set since). */
static int64_t boot_real_ns(void)
{
	struct timespec real, boot;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (real.tv_sec - boot.tv_sec) * 1000000000LL + (real.tv_nsec - boot.tv_nsec);
}

static struct procwatch_proc *proc_find(struct procwatch *w, int32_t pid)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->p[i].pid == pid)
			return &w->p[i];
	return NULL;
}

/* A slot for a new process: a free one, else the one whose latest line is oldest (it stops being watched). */
static struct procwatch_proc *proc_slot(struct procwatch *w)
{
	if (w->n < PROCWATCH_MAX)
		return &w->p[w->n++];
	size_t old = 0;
	for (size_t i = 1; i < w->n; i++)
		if (w->p[i].wm_ns < w->p[old].wm_ns)
			old = i;
	return &w->p[old];
}

void procwatch_line(struct procwatch *w, const struct sock_event *ev)
{
	int64_t ret_ns = ev->ts_us * 1000;
	struct procwatch_proc *p = proc_find(w, ev->pid);
	if (!p || p->seen == PW_GONE) { /* a new writer (a gone one's pid taken again) */
		if (!p)
			p = proc_slot(w);
		memset(p, 0, sizeof *p);
		p->pid = ev->pid;
		p->first_ns = ret_ns;
		p->wm_ns = INT64_MIN;
		p->safe_ns = INT64_MIN;
	}
	if (ret_ns > p->wm_ns)
		p->wm_ns = ret_ns;
}

bool procwatch_parse_stat(const char *text, long ticks, struct procwatch_stat *st)
{
	const char *rp = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	if (!rp || rp[1] != ' ' || !rp[2])
		return false;
	st->state = rp[2];
	/* Fields after the name, counted from 3 (the state): utime 14, stime 15, starttime 22. */
	const char *q = rp + 2;
	unsigned long long utime = 0, stime = 0, start = 0;
	for (int field = 3; field <= 22 && *q; field++) {
		char *end;
		if (field == 14 || field == 15 || field == 22) {
			errno = 0;
			unsigned long long v = strtoull(q, &end, 10);
			if (end == q || errno)
				return false;
			if (field == 14)
				utime = v;
			else if (field == 15)
				stime = v;
			else
				start = v;
			q = end;
		}
		while (*q && *q != ' ')
			q++;
		while (*q == ' ')
			q++;
		if (field < 22 && !*q)
			return false;
	}
	int64_t tick_ns = 1000000000LL / (ticks > 0 ? ticks : 100);
	st->cpu_ns = (int64_t)(utime + stime) * tick_ns;
	st->start_ns = (int64_t)start * tick_ns;
	return true;
}

/* /proc/PID/stat of pid into *st: 1 read, 0 no such process, -1 unreadable. */
static int stat_read(const struct procwatch *w, int32_t pid, struct procwatch_stat *st)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (n <= 0)
		return n == 0 || e == ESRCH ? 0 : -1;
	buf[n] = '\0';
	return procwatch_parse_stat(buf, w->ticks, st) ? 1 : -1;
}

/* What a look at the process says. It holds for the horizon once the file has been read to its end after
   the look (procwatch_horizon is asked only then); a gone process is forgotten then. */
static void proc_look(struct procwatch *w, struct procwatch_proc *p, int64_t now_ns)
{
	struct procwatch_stat st;
	int r = stat_read(w, p->pid, &st);
	if (r == 0 && p->seen == PW_ALIVE) {
		p->seen = PW_GONE;
		return;
	}
	if (r <= 0)
		return; /* never seen (or unreadable): the grace rules it */
	int64_t tick_ns = 1000000000LL / w->ticks;
	if (w->boot_real_ns + st.start_ns > p->first_ns + 2 * tick_ns || st.state == 'Z' || st.state == 'X' ||
	    st.state == 'x') {
		p->seen = PW_GONE; /* exited, or the pid belongs to a process started after this one's lines */
		return;
	}
	p->seen = PW_ALIVE;
	if (st.state == 'S') { /* asleep in a system call: everything it returned before now is written */
		p->safe_ns = now_ns > p->safe_ns ? now_ns : p->safe_ns;
		p->base_wall_ns = now_ns;
		p->base_cpu_ns = st.cpu_ns;
		return;
	}
	if (!p->base_wall_ns) {
		p->base_wall_ns = now_ns;
		p->base_cpu_ns = st.cpu_ns;
	} else if (st.cpu_ns - p->base_cpu_ns >= PROCWATCH_CPU_NS) {
		/* it kept running long enough to have written what it returned before the base look */
		if (p->base_wall_ns > p->safe_ns)
			p->safe_ns = p->base_wall_ns;
		p->base_wall_ns = now_ns;
		p->base_cpu_ns = st.cpu_ns;
	}
}

void procwatch_look(struct procwatch *w, int64_t now_ns, int64_t below)
{
	w->boot_real_ns = boot_real_ns();
	for (size_t i = 0; i < w->n; i++)
		if (w->p[i].seen != PW_GONE && w->p[i].wm_ns < below)
			proc_look(w, &w->p[i], now_ns);
}

void procwatch_read_done(struct procwatch *w, int64_t read_began_ns)
{
	w->read_ns = read_began_ns;
	size_t k = 0; /* gone processes' lines are all read now: forget them */
	for (size_t i = 0; i < w->n; i++)
		if (w->p[i].seen != PW_GONE)
			w->p[k++] = w->p[i];
	w->n = k;
}

int64_t procwatch_horizon(const struct procwatch *w, int64_t now_ns)
{
	/* Any writer, also one whose first line is still to come: what is older than the grace. */
	if (w->read_ns == INT64_MIN)
		return INT64_MIN;
	int64_t h = w->read_ns - w->grace_ns;
	for (size_t i = 0; i < w->n; i++) {
		const struct procwatch_proc *p = &w->p[i];
		if (p->seen != PW_ALIVE && p->seen != PW_GONE)
			continue; /* never found in /proc: the grace alone */
		int64_t past = p->seen == PW_GONE ? INT64_MIN : p->safe_ns < now_ns - w->grace_ns ? p->safe_ns
												   : now_ns - w->grace_ns;
		int64_t ph = p->wm_ns > past ? p->wm_ns : past;
		if (ph < h)
			h = ph;
	}
	return h;
}
