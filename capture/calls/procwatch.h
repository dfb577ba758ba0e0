/* procwatch.h — the processes writing a followed events file, watched through /proc: up to when each one's calls are certainly all read. */
#ifndef SYNWATCH_PROCWATCH_H
#define SYNWATCH_PROCWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"

/*
 * Each process writes its own lines in the order its calls return, one line right after each return,
 * before anything that may sleep (sockdemo does; demo/EVENTS.md asks it of any writer), and enters its
 * next call only after that. So for one process P, from its lines and its state in /proc/P/stat:
 * - its latest line returned at wm: every call still to come from P is entered after wm, so it stands
 *   (timeline_call_key) after wm too;
 * - seen asleep at time c (state S: inside a system call), every call P returned before c has its line
 *   in the file by c; so has every call it returned before c when P then used PROCWATCH_CPU_NS of CPU
 *   (a process that keeps running does not stay between a return and its line that long). Calls still
 *   inside the kernel then (a connect() waiting for its SYN-ACK) stand at their entry, which may be
 *   before c: items wait grace_ns past their time for those;
 * - a process that is gone (or a zombie, or its pid now names a later process) writes nothing more.
 * A process runnable but not running (descheduled), stopped or in uninterruptible sleep holds back
 * everything after wm for as long as it stays so. Whatever the processes, an item waits grace_ns (a
 * writer's first line may still be on its way); a pid never found in /proc (another pid namespace, /proc
 * mounted with hidepid) is ruled by that grace alone.
 */
#define PROCWATCH_MAX 512                   /* processes watched; the oldest gone ones make room */
#define PROCWATCH_CPU_NS (100 * 1000000LL)  /* CPU a running process uses before it counts as past a return */

enum procwatch_seen {
	PW_UNKNOWN = 0, /* not found in /proc yet */
	PW_ALIVE,       /* found, and still there at the last look */
	PW_GONE,        /* exited (or its pid was reused): it writes no more lines */
};

struct procwatch_proc {
	int32_t pid;
	uint8_t seen;            /* enum procwatch_seen */
	int64_t first_ns;        /* return time of its first line (a process started later is another one) */
	int64_t wm_ns;           /* return time of its latest line */
	int64_t safe_ns;         /* every call it returned before this has been read (after the next read) */
	int64_t base_wall_ns;    /* the look its CPU use is counted from, and that use (ns) */
	int64_t base_cpu_ns;
};

struct procwatch {
	struct procwatch_proc p[PROCWATCH_MAX];
	size_t n;
	int64_t grace_ns;
	int64_t read_ns;         /* when the file was last read to its end (the read began) */
	int64_t boot_real_ns;    /* the wall clock at boot (CLOCK_REALTIME - CLOCK_BOOTTIME) at the last look */
	long ticks;              /* clock ticks per second (/proc/PID/stat's unit) */
};

void procwatch_init(struct procwatch *w, int64_t grace_ns);
/* A line of process ev->pid was read. */
void procwatch_line(struct procwatch *w, const struct sock_event *ev);
/* Look at every process still constraining (wm below `below`) in /proc, at wall time now_ns: call it
   before reading the file to its end, then procwatch_read_done(). */
void procwatch_look(struct procwatch *w, int64_t now_ns, int64_t below);
void procwatch_read_done(struct procwatch *w, int64_t read_began_ns);
/* The time up to which items may go: every call still to come from the watched processes stands later
   (INT64_MAX when none constrains). now_ns: the wall clock now. */
int64_t procwatch_horizon(const struct procwatch *w, int64_t now_ns);

/* What /proc/PID/stat says (parsed from its text): state letter, CPU used (ns) and start (ns after boot). */
struct procwatch_stat {
	char state;
	int64_t cpu_ns;
	int64_t start_ns;
};
bool procwatch_parse_stat(const char *text, long ticks, struct procwatch_stat *st);

#endif
