/* session.h — one classroom session: the call sources, the packets and the socket table merged by time into items for a view. */
#ifndef SYNWATCH_SESSION_H
#define SYNWATCH_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "calls/procwatch.h"
#include "calls/sockdiag.h"
#include "calls/timeline.h"
#include "calls/trace.h"
#include "track/flow.h"
#include "track/summary.h"

/*
 * A source of socket calls: sockdemo's events file (followed live, or read whole beside a capture file),
 * the ptrace tracer, or a program synwatch started that writes an events file (--classroom's sockdemo).
 * Each is a struct whose first member is a struct call_source; its class says how to read it.
 */
struct call_source;
struct call_source_class {
	/* Before read(): look at what writes the calls (the live events file's processes). May be NULL. */
	void (*look)(struct call_source *s, int64_t now_ns, int64_t below_ns);
	/* The calls that came in, at most max, without blocking; returns how many. A line for the user (a
	   malformed events line, the tracer's error) is put into msg, "" otherwise; the caller shows it and
	   reads again. Fewer than max and no message: nothing more for now. */
	size_t (*read)(struct call_source *s, struct sock_event *out, size_t max, char *msg, size_t msglen);
	/* In place of read(), for a source of calls and socket-table changes both (a lesson): push at most max
	   of them onto tl in the source's own order, as read() otherwise. May be NULL. */
	size_t (*read_items)(struct call_source *s, struct timeline *tl, size_t max, char *msg, size_t msglen);
	/* After read() ran dry (it began at read_ns): the time up to which every call still to come from the
	   source stands later (INT64_MAX: it has ended). */
	int64_t (*horizon)(struct call_source *s, int64_t read_ns, int64_t now_ns);
	int (*poll_fd)(struct call_source *s); /* readable when calls may be ready, or -1. May be NULL. */
	/* True once the program behind the calls ended, with its exit status and a line saying so ("the
	   traced command exited with status 0"). May be NULL (a followed file never ends). */
	bool (*ended)(struct call_source *s, int *status, char *line, size_t n);
	void (*close)(struct call_source *s);
};
struct call_source {
	const struct call_source_class *cls;
};

/* --events FILE: the file followed as it grows (live: per-process horizons from /proc), or read whole
   (replay: each process's last line found first). */
struct events_source {
	struct call_source base;
	struct events_reader er;
	bool live;
	struct procwatch pw;          /* live */
	struct replay_pids *replay;   /* replay: every process's first place and last line (allocated) */
	/* The program writing the file, when synwatch started it (--classroom's sockdemo): true once it
	   ended, with its status and a line saying so. NULL for a file someone else writes. */
	bool (*program_ended)(int *status, char *line, size_t n);
};
/* Open PATH (false with a one-line message in err, naming the file and the fix). */
bool events_source_open(struct events_source *e, const char *path, bool live, int64_t grace_ns, char *err,
			size_t errlen);

/* --trace: the tracer's calls, read as it reports them. */
struct trace_source {
	struct call_source base;
	struct tracer *t;
	int64_t grace_ns;
};
void trace_source_init(struct trace_source *s, struct tracer *t, int64_t grace_ns);

/* What a lesson source reads through: the capture reader's custom blocks of synwatch's, and how far it has
   read (the source is in calls/, the reader in source/: the caller joins them). */
struct lesson_feed {
	/* The next block's custom data, in file order, with its offset (valid until the next call or the next
	   packet read); false when none waits. */
	bool (*next)(void *arg, const uint8_t **data, size_t *len, uint64_t *offset);
	/* The latest packet time read (INT64_MIN: none; INT64_MAX: the file has ended). */
	int64_t (*upto)(void *arg);
	void *arg;
};

#define LESSON_WARNINGS 5 /* malformed blocks worded one by one; the rest are counted */

/* -r LESSON.pcapng: the calls and socket-table changes a lesson stores (calls/lesson.h), read as the file
   is read. Its horizon: every block after the latest item read stands at or after it. */
struct lesson_source {
	struct call_source base;
	struct lesson_feed feed;
	char name[256];           /* the file, for messages */
	int64_t seen;             /* the latest place of a call or change read (INT64_MIN: none) */
	uint64_t calls, changes;  /* read */
	uint64_t bad;             /* malformed blocks left out */
	uint64_t foreign;         /* blocks of the PEN without the lesson tag (another program's), passed over */
};
void lesson_source_init(struct lesson_source *s, const struct lesson_feed *feed, const char *name);

#define SESSION_SOURCES 4
#define SESSION_SOCK_ROWS 1024 /* sockets of the table kept */

struct session_item;

/* A second consumer of every item handed out (a lesson being recorded): item() as session_pop() removes
   it, tick() at each session_pump(). With a tap, a packet's body begins with its captured bytes
   (pkt->caplen of them), before anything else the consumer keeps. */
struct session_tap {
	void (*item)(void *arg, const struct session_item *it);
	void (*tick)(void *arg, int64_t now_ns);
	void *arg;
};

struct session_opts {
	int64_t grace_ns;           /* live: how long every item waits for a source that cannot say more */
	bool sockets;               /* read the kernel's socket table (NETLINK_SOCK_DIAG) */
	bool notes;                 /* ... and hand out its changes as items (the text view's --sockets) */
	bool sockets_replayed;      /* the table is rebuilt from the changes a source hands out (a lesson's):
	                               each applied as it goes out */
	const uint16_t *ports;      /* the ports whose sockets are read (none: all) */
	size_t nports;
	int64_t sockets_every_ns;   /* read it this often */
	size_t body_budget;         /* bytes the consumer may keep with the packets held */
	void (*message)(void *arg, const char *line); /* a source's line for the user (or NULL: dropped) */
	/* The program producing the calls waits between them (sockdemo --pace): faster halves the wait,
	   else doubles it; the new wait in *seconds. NULL, or false, when it cannot be paced. */
	bool (*pace)(void *arg, bool faster, double *seconds);
	void *arg;
	struct session_tap tap;     /* no item(): none */
};

/* What the session hands out, in time order. Pointers stay valid until session_pop(); a packet's until
   the next session_push_packet(). */
struct session_item {
	uint8_t kind;                 /* enum tl_kind */
	int64_t at_ns;                /* where it stands on the timeline */
	/* TL_PACKET */
	const struct pkt_summary *pkt;
	const struct flow *flow;      /* the flow right after the packet; NULL: in no flow */
	const uint8_t *body;          /* what the consumer kept with it */
	size_t len;
	/* TL_CALL */
	const struct sock_event *ev;
	const struct flow *call_flow; /* the flow the call belongs to (its packets' or the latest one of its
	                                 endpoints), NULL when none */
	enum flow_dir side;           /* the calling end in call_flow */
	uint8_t states[2];            /* both ends' enum tcp_state when the call was made */
	/* TL_NOTE */
	const struct tl_note *note;
};

/* One session; large (the timeline, two socket tables): keep it static or allocate it once. */
struct session {
	struct session_opts o;
	struct call_source *src[SESSION_SOURCES];
	size_t nsrc;
	int64_t src_h[SESSION_SOURCES]; /* each source's horizon after its last read */
	struct timeline tl;
	struct tl_flows recent;        /* flows of the packets handed out, for matching calls */
	int64_t pkt_h;                 /* every packet up to here has been pushed */
	int64_t sock_h;                /* every socket-table change up to here has been pushed */
	int64_t sock_at;               /* when the table was last read (its changes are stamped so) */
	struct sockdiag_row rows[2][SESSION_SOCK_ROWS];
	size_t nrows[2];
	int cur;                       /* rows[cur] is the latest table */
	bool sock_read;                /* it has been read once */
	int64_t sock_next;             /* when to read it again (monotonic ns) */
	char sock_err[160];            /* why it cannot be read, "" when it can */
	struct sock_event buf[64];     /* calls being read */
	struct tl_note note;           /* a socket-table change being pushed */
	struct tl_item it;             /* the timeline's view of the item handed out */
	struct session_item item;      /* ... as session_peek() handed it out (for the tap) */
	bool have_it;                  /* session_peek() handed it out: session_pop() removes it */
};

/* Set up (false when the packets' body arena cannot be had); sources are added after. */
bool session_init(struct session *s, const struct session_opts *o);
void session_add(struct session *s, struct call_source *src);
/* Close every source and free the session's memory. */
void session_close(struct session *s);

/* Whether packets need to go through the session: it has call sources, or hands out the socket table's
   changes. Without, a view shows packets as they come and reads only the socket table from it. */
bool session_merges(const struct session *s);
/* Room for a packet with len bytes of body (false: hand out items first, session_peek with force). */
bool session_room(const struct session *s, size_t len);
/* A packet in: its summary, its flow right after it (NULL: none), what to keep with it. */
void session_push_packet(struct session *s, const struct pkt_summary *pkt, const struct flow *flow, const void *body,
			 size_t len);
/* Every packet up to h has been pushed (INT64_MAX: the packets have ended). */
void session_packets_upto(struct session *s, int64_t h);

/*
 * One turn: read the sources (each looked at, then read dry, then asked for its horizon) and, when due,
 * the socket table. now_ns: the wall clock. Returns true when a source still had calls it could not
 * hand over (the timeline's room ran out): call again after handing items out.
 */
bool session_pump(struct session *s, int64_t now_ns);

/*
 * The next item, if it is due: every source (the packets too) is past its time, or force is true, or a
 * queue is full. The call in it is matched to a flow here. Then session_pop().
 */
bool session_peek(struct session *s, bool force, struct session_item *item);
void session_pop(struct session *s);

size_t session_held(const struct session *s);     /* items held */
/* The calls held fill the timeline's room and the earliest item waits for nothing but the call sources
   (a source lags further than the timeline holds): hand it out with force, or nothing moves again. */
bool session_stuck(const struct session *s);
uint64_t session_forced(const struct session *s); /* items handed out before their time (a queue was full) */
/* Every flow a call was matched to has ended (FIN both ways, RST, refused) and nothing is held. */
bool session_flows_ended(const struct session *s);
/* A source's program ended: its status and line (the first source that did). */
bool session_ended(struct session *s, int *status, char *line, size_t n);
int session_poll_fd(struct session *s);           /* a source's descriptor to wake for, or -1 */
/* The socket table is shown: read from the kernel, or rebuilt from a lesson's changes. */
bool session_shows_sockets(const struct session *s);
/* The socket table as last read (sorted as sockdiag_snapshot sorts it); *err: why it cannot be read, or "". */
size_t session_sockets(const struct session *s, const struct sockdiag_row **rows, const char **err);

#endif
