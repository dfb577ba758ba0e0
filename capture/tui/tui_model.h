/* tui_model.h — what the panel shows: rows of the packet store (indexed as they come), view filter, replay, the classroom's calls and sockets. */
#ifndef SYNWATCH_TUI_MODEL_H
#define SYNWATCH_TUI_MODEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/events.h"
#include "calls/session.h"
#include "common/clock.h"
#include "source/pipeline.h"
#include "store/spool.h"
#include "store/store.h"
#include "tui/tui.h"
#include "tui/tui_core.h"

/* What the model reports to the panel, which keeps its lists in step and words the messages. */
enum model_note {
	NOTE_CAPTURE_FAILED, /* the capture stopped on an error (text: the error) */
	NOTE_FILTER_LINKTYPE, /* the view filter is invalid for a link type met: its packets are hidden
				 (text: which link type and libpcap's reason) */
	NOTE_PROGRAM_ENDED,  /* the classroom's program ended (text: its status line) */
	NOTE_PROGRAM_FAILED, /* ... with a status other than 0 (text: its status line and last error) */
	NOTE_STORE,          /* the file changed under the panel, or the spool cannot be written (text: how) */
};
struct model_hooks {
	void (*changed)(void *arg, unsigned flags); /* redraw flags (pane.h) */
	void (*note)(void *arg, enum model_note what, const char *text);
};

/* Why a row's bytes cannot be read (tui_pkt.gone). */
enum model_gone {
	GONE_NOT = 0,
	GONE_NOT_KEPT,       /* the spool fell behind and did not keep it, or let it go */
	GONE_DAMAGED,        /* the file was cut or replaced under the panel */
};

#define MODEL_CACHE 1024   /* rows kept decoded (a direct-mapped cache: a screen's rows, a ladder's) */

struct tui_model {
	struct pipeline *pl;
	const struct tui_opts *o;
	bool live;                /* live capture */
	int linktype;             /* the capture's (a pcapng file's first interface's); rows keep their own */
	struct store *st;         /* every row: packets (and calls) as they were indexed */
	struct spool *sp;         /* where the bytes are when they are not read in place, or NULL */
	bool inplace;             /* a classic pcap file read in place */
	uint64_t file_size;       /* its size when opened (for the indexing progress) */
	struct store_match *match; /* which rows pass the view filter */
	struct filter *vf;        /* the view filter (compiled per link type), NULL for all */
	int vf_warned;            /* the link type last reported as one vf cannot read (-1: none) */
	int vf_invalid;           /* a link type the pass met that vf cannot read (-1: none) */
	char vf_text[512];        /* its expression, "" for none */
	struct store_flowrows flowpk; /* the rows of one flow (ladder, follow) */
	uint8_t *tapbuf;          /* a lesson being recorded (the session's tap): a packet's bytes, then its row */
	size_t tapcap;

	/* The source and the rows shown. */
	bool paused;              /* replay: the cursor stands; live: the list is frozen at `frozen` */
	bool ended;               /* the source has nothing more (end of file, capture error) */
	bool fastfwd;             /* End: the cursor runs to the end of what is indexed, and stays there */
	bool capture_error;       /* the capture stopped on an error (errtext) */
	bool pl_failed;           /* ...an error of the pipeline's (pipeline_failure() words it) */
	bool more;                /* the last pump left work (packets ready, a filter pass) */
	char errtext[256];
	uint64_t avail;           /* rows before this are shown (the replay's cursor; live: every row) */
	uint64_t frozen;          /* live pause: the list shows rows below this */
	struct replay_clock clk;
	bool have_last;           /* a row was shown: last_ts is its time */
	int64_t last_ts;
	bool have_t0;             /* t0: the first row's time, base of the Time column */
	int64_t t0;
	bool cleared;             /* `c` was used: flows idle since clear_ns are hidden */
	int64_t clear_ns;
	uint64_t released;        /* rows shown so far (the rate) */
	uint64_t indexed_off;     /* the file offset indexing has reached (in place) */
	uint64_t flows_shown;     /* flows 1..this have a row shown */
	struct flow_snap **snap;  /* a timed replay behind the index: each flow as its rows shown left it */
	size_t nsnap;
	bool snapping;            /* rows are shown one by one behind the index (snap is kept) */
	const atomic_bool *yield; /* the reader thread's "the main thread wants the lock", or NULL */
	char problem[1100];       /* the store's or spool's problem, as reported ("" none) */

	/* The classroom (o->session): packets go in there and come out merged with the calls, in time order. */
	struct session *session;
	bool program_end_shown;   /* the session's program ending was reported */

	/* Rows decoded again, and the one read for bytes. */
	struct tui_pkt *cache;    /* MODEL_CACHE */
	bool *cached;
	struct packet scratch;    /* decode scratch */
	struct store_pkt sp_pkt;  /* the row read last: its bytes */

	const struct model_hooks *hooks;
	void *arg;                /* the hooks' argument */
};

/* Set up over an open pipeline (the store, a spool when the source cannot be read in place); false with
   *what when out of memory (model_free anyway). */
bool model_init(struct tui_model *m, struct pipeline *pl, const struct tui_opts *o, const struct model_hooks *hooks,
		void *arg, const char **what);
void model_free(struct tui_model *m);

/* Rows the list may show: those shown passing the view filter (before the freeze of a live pause). */
size_t model_visible(const struct tui_model *m);
/* How many of those are calls (they always pass the view filter); the rest are packets. */
size_t model_visible_calls(const struct tui_model *m);
struct tui_pkt *model_shown(struct tui_model *m, size_t i, uint64_t *row); /* i-th shown row, NULL past them */
/* Index in the list of the first shown row at or after `row` (model_visible() when none). */
size_t model_shown_lower_bound(struct tui_model *m, uint64_t row);
bool model_shown_find(struct tui_model *m, uint64_t row, size_t *index);
/* A row by its number (NULL when not held); decoded again unless cached. */
struct tui_pkt *model_row(struct tui_model *m, uint64_t row);
/* A row's captured bytes, read again (valid until the next read); NULL when they cannot be read. */
const uint8_t *model_bytes(struct tui_model *m, const struct tui_pkt *p);
/* Make the flow index hold flow id's rows (a scan of the index); true when it was rebuilt. */
bool model_flow_index(struct tui_model *m, uint64_t id);
/* Flow id: the tracker's record, or the store's copy in *scratch; NULL when unknown. */
const struct flow *model_flow(struct tui_model *m, uint64_t id, struct flow *scratch);
/* The flows pane's flows: ids 1..model_flows() (the ones a row shown so far belongs to), and how a flow
   looks as of the rows shown (v). */
uint64_t model_flows(const struct tui_model *m);
void model_flow_view(struct tui_model *m, const struct flow *f, struct flow_view *v);

/*
 * One turn of the background: index what the source has ready (live: everything; a file: a batch), go on
 * with the view filter's pass, and move the replay's cursor. Sets m->more when work is left and *wait_ns
 * to the time until the next replay row is due (-1: none).
 */
void model_pump(struct tui_model *m, int64_t *wait_ns);
/* The replay's cursor alone (the main loop's part when a thread indexes): rows due now are shown. */
void model_advance(struct tui_model *m, int64_t *wait_ns);
/* The classroom's turn: the session's sources read, what is due out of it into the store. */
void model_session_pump(struct tui_model *m);
/* Pause or resume: live freezes the list where it is; replay stops and re-anchors the clock. */
void model_set_paused(struct tui_model *m, bool paused);
/* Live pause: let the next shown packet in; false when none has come yet. */
bool model_step_live(struct tui_model *m);
/* Replay: one more packet shown (with the calls before it); false when none is indexed yet. */
bool model_step_file(struct tui_model *m);
/* End: every indexed row shown, and the cursor follows the index to the end. */
void model_fast_forward(struct tui_model *m);
/* Nothing more will come: the source has ended and every row (the classroom's held calls too) is shown. */
bool model_done(const struct tui_model *m);
/* Replay speed one step faster or slower; returns the new speed. */
double model_speed(struct tui_model *m, bool faster);
/* Where indexing is: packets indexed, and the share of the file read (0..1; -1: not a file). */
uint64_t model_indexed(const struct tui_model *m, double *share);
/* What the filter pass has covered (0..1; 1 when no pass is running). */
double model_filter_progress(const struct tui_model *m);

/* The display filter: "" shows everything. It is compiled for the capture's link type and every pcapng
   interface's described so far: false (the old filter stays) with libpcap's error in err. A new filter
   starts a pass over every row (the one in flight is dropped). */
bool model_set_filter(struct tui_model *m, const char *expr, char *err, size_t errlen);
/* Drop the rows shown so far; returns how many were packets, and *calls how many were calls. */
size_t model_clear(struct tui_model *m, size_t *calls);

/* Rows by number and time: the row of packet n (STORE_NONE when not held); the first row at or after
   time t among those shown. */
uint64_t model_packet_row(const struct tui_model *m, uint64_t n);
uint64_t model_time_row(struct tui_model *m, int64_t t);

/* Write the first `count` shown packets (calls skipped) to path, as a pcap file of the first one's link
   type (*linktype): those of other link types are left out (*other counts them). 0 and *written, or -1
   when the file cannot be written (why), or -2 when writing failed part way (the file is incomplete). */
int model_save(struct tui_model *m, const char *path, size_t count, size_t *written, size_t *other, int *linktype,
	       char *why, size_t whylen);

/* A call row's event, copied out of the store (NULL when its copy was let go). */
const struct sock_event *model_call_event(const struct tui_model *m, const struct tui_pkt *p, struct sock_event *ev);
/* The end that made a call: the flow's (client 0, server 1), else what the event says, -1 unknown. */
int model_call_side(const struct tui_pkt *p, const struct sock_event *ev);
/* Decode a row's bytes again, into out (false when they cannot be read). */
bool model_redecode(struct tui_model *m, const struct tui_pkt *p, struct packet *out);

#endif
