/* classroom.h — the classroom mode: packets, socket calls (--events, --trace, --classroom's sockdemo) and socket-table changes merged by time. */
#ifndef SYNWATCH_CLASSROOM_H
#define SYNWATCH_CLASSROOM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cli.h"
#include "app/handout.h"
#include "calls/lesson.h"
#include "calls/progtty.h"
#include "calls/recorder.h"
#include "calls/session.h"
#include "calls/trace.h"
#include "source/pipeline.h"
#include "view/ladder.h"
#include "view/obuf.h"

#define CLASSROOM_PENDING_CALLS 64 /* ladder calls waiting for their flow's first packet row (connect before SYN) */

/* A call waiting for its flow's first packet in the ladder. */
struct pending_call {
	uint64_t flow_id;
	struct ladder_call call;
};

/* One run's call sources, their session and the text/JSON view over it; large: keep it static. */
struct classroom {
	const struct config *o;
	struct obuf *out;
	bool json, nano, per_packet, live;
	struct ladder_book *book;
	struct handout *handout;       /* --svg/--html: packets and matched calls go here too; NULL when none */
	struct pending_call pend[CLASSROOM_PENDING_CALLS];
	size_t npend;
	struct obuf scratch;           /* a packet's line is rendered here, then kept with it in the session */
	struct session s;              /* the merge: packets, calls, socket-table changes */
	bool have_session;
	struct events_source events;   /* --events, or --classroom's sockdemo's file */
	bool have_events;
	struct trace_source trace;
	struct tracer *tracer;
	struct progtty tty;            /* --trace: the command's terminal (valid when prog is not NULL) */
	struct progtty *prog;          /* &tty once opened, else NULL */
	bool fwd_stdin;                /* text/JSON: synwatch's stdin goes on to the command's terminal */
	uint64_t calls_shown;
	int demo_fd;                   /* --classroom: sockdemo's binary, opened before privileges go; -1 none */
	char demo_path[PATH_MAX];      /* its path, for messages */
	char trace_user[256];          /* --trace: the user the command runs as, whom synwatch then becomes */
	/* A lesson: recorded into a pcapng -w (the session's tap), or replayed from -r. */
	struct recorder rec;
	bool recording;
	uint8_t *body;                 /* text mode, recording: a packet's bytes, then its line (kept with it) */
	size_t body_cap;
	struct lesson_source lesson;
	bool have_lesson;
	uint16_t lesson_ports[LESSON_PORTS_MAX]; /* the replayed socket table's ports */
	double pace;                   /* --classroom: sockdemo's wait before each socket call (seconds) */
	bool pace_on;                  /* ... and that sockdemo runs, so the panel's keys may change it */
};

/*
 * The set-up, in the order main() calls it; each returns EXIT_OK or an exit code with one line in err:
 * - classroom_open: before the capture opens, while synwatch may still read anywhere: finds sockdemo
 *   (--classroom; EXIT_USAGE when there is none) and opens the events file (--events; EXIT_USAGE).
 * - classroom_start_tracer: after the capture opened, before privileges are dropped (a tracer keeps its
 *   tracee): marks every descriptor close-on-exec (no child inherits the capture or -w), then starts
 *   --trace's command as the user who ran sudo (or -Z's, or root), which c->user becomes (127 on failure),
 *   on a pseudo-terminal of its own (m->prog; EXIT_FAILURE_RUNTIME when none can be had).
 * - classroom_start_demo: after privileges are dropped, so synwatch can stop it: starts --classroom's
 *   sockdemo (one round for text, a loop for the panel or --keep) and follows its events (EXIT_FAILURE_RUNTIME).
 */
int classroom_open(struct classroom *m, const struct config *c, char *err, size_t errlen);
/* --classroom, before classroom_open: the port must be free on lo (another program's server there would
   answer the scenarios' clients). Taken and given with -p: EXIT_USAGE with the fix in err; taken and the
   default: the next free one is chosen (c->port and the filter change) and note says so. */
int classroom_pick_port(struct config *c, char *note, size_t notelen, char *err, size_t errlen);
int classroom_start_tracer(struct classroom *m, struct config *c, char *err, size_t errlen);
int classroom_start_demo(struct classroom *m, const struct config *c, char *err, size_t errlen);

/*
 * Lessons, after the capture opened:
 * - classroom_replay: -r of a pcapng file whose first synwatch block is a lesson's header: its calls and
 *   socket-table changes become a call source (the classroom mode starts for it when no other did; with
 *   --events the events file's calls are merged instead and the file's are left aside); otherwise the
 *   reader keeps no custom block. EXIT_FAILURE_RUNTIME when out of memory.
 * - classroom_record: in the classroom mode with a pcapng -w, the session's items are recorded into it
 *   (recorder.h) rather than the pipeline writing the packets as they come. EXIT_FAILURE_RUNTIME when out
 *   of memory.
 * - classroom_record_end: every item the session still holds is handed to the recording, and what the
 *   recording holds goes to the file (before the closing lines count what was written).
 */
int classroom_replay(struct classroom *m, struct config *c, struct pipeline *pl, char *err, size_t errlen);
int classroom_record(struct classroom *m, const struct config *c, struct pipeline *pl, char *err, size_t errlen);
void classroom_record_end(struct classroom *m);

/* --trace: the command's terminal, which the panel shows and types into; NULL without --trace. */
struct progtty *classroom_program(struct classroom *m);

/* The session the panel shows (its socket table read as often as the panel's pane shows it). */
struct session *classroom_session(struct classroom *m);

/* The text/JSON loop with calls and socket changes merged in by time; --trace's command's output goes to
   stderr as lines "NAME PID| TEXT", and synwatch's stdin (a terminal in the foreground, a pipe, a file)
   to the command's terminal, its end as the terminal's end-of-file. *cmd_status gets the traced command's
   (or sockdemo's) exit status when it ended. Returns an exit code. */
int classroom_run(struct classroom *m, struct pipeline *pl, const struct config *c, struct obuf *out, int *cmd_status);

/* The closing lines (calls shown, a failed sockdemo) and the exit code (--trace: the command's unless
   --keep), then classroom_close(). */
int classroom_finish(struct classroom *m, const struct config *c, int code, int cmd_status);

/* Stop and free every source (the tracer, the events file, sockdemo) and the session. */
void classroom_close(struct classroom *m);

#endif
