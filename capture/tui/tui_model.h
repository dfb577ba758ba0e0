/* tui_model.h — what the panel shows: packet history, view filter, replay, the classroom's calls and sockets. */
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
#include "tui/tui.h"
#include "tui/tui_core.h"

/* What the model reports to the panel, which keeps its lists in step and words the messages. */
enum model_note {
	NOTE_CAPTURE_FAILED, /* the capture stopped on an error (text: the error) */
	NOTE_FILTER_LINKTYPE, /* the view filter is invalid for a link type met later: its packets are hidden
				 (text: which link type and libpcap's reason) */
	NOTE_PROGRAM_ENDED,     /* the classroom's program ended (text: its status line) */
};
struct model_hooks {
	/* The oldest rows left the shown list (shown of them) and the flow index (flow of them). */
	void (*evicted)(void *arg, size_t shown, size_t flow);
	/* A row went into the history; shown: it passes the view filter; in_flow: it joined the flow index. */
	void (*added)(void *arg, const struct tui_pkt *p, bool shown, bool in_flow);
	void (*changed)(void *arg, unsigned flags); /* redraw flags (pane.h) */
	void (*note)(void *arg, enum model_note what, const char *text);
};

struct tui_model {
	struct pipeline *pl;
	const struct tui_opts *o;
	bool live;                /* live capture */
	int linktype;             /* the capture's (a pcapng file's first interface's); rows keep their own */
	struct tui_hist hist;     /* every row kept: packets and (classroom) calls */
	struct seqring shown;     /* history seqs passing the view filter, in order */
	struct seqring flowpk;    /* history seqs of flow flowpk_id (ladder, follow) */
	uint64_t flowpk_id;       /* 0: flowpk not built */
	struct filter *vf;        /* display filter (compiled per link type), NULL for all */
	int vf_warned;            /* the link type last reported as one vf cannot read (-1: none) */
	char vf_text[512];        /* its expression, "" for none */

	/* The source and replay. */
	bool paused;              /* replay: no packet comes in; live: the list is frozen at frozen_next */
	bool ended;               /* the source has nothing more (end of file, capture error) */
	bool fastfwd;             /* End: reading to the end of the file as fast as possible */
	bool capture_error;       /* the capture stopped on an error (errtext) */
	bool pl_failed;           /* ...an error of the pipeline's (pipeline_failure() words it) */
	bool more;                /* the last pump left packets ready */
	char errtext[256];
	uint64_t frozen_next;     /* live pause: the list shows shown seqs below this */
	struct replay_clock clk;
	bool have_pending;        /* timed replay: the packet read ahead, not shown until due */
	struct pkt_summary pending;
	struct flow pending_flow; /* its flow right after it (with a session) */
	const struct pkt_iface *pending_iface; /* its pcapng interface, or NULL */
	uint16_t pending_note_len; /* its comment's length (0: none), kept in pend_buf after its bytes */
	uint8_t *pend_buf;        /* its bytes (at most TUI_PEND_MAX), then its comment (a copy: the reader's
				     goes with the next packet) */
	uint32_t pend_len;
	bool have_last;           /* a packet was released: last_ts is its time */
	int64_t last_ts;
	bool have_t0;             /* t0: the first row's time, base of the Time column */
	int64_t t0;
	bool cleared;             /* `c` was used: flows idle since clear_ns are hidden */
	int64_t clear_ns;
	uint64_t released;        /* rows put into the history */
	const atomic_bool *yield; /* the reader thread's "the main thread wants the lock", or NULL */

	/* The classroom (o->session): packets go in there and come out merged with the calls, in time order. */
	struct session *session;
	bool program_end_shown;   /* the session's program ending was reported */

	const struct model_hooks *hooks;
	void *arg;                /* the hooks' argument */
};

/* Set up over an open pipeline and reserve the history; false when out of memory (model_free anyway). */
bool model_init(struct tui_model *m, struct pipeline *pl, const struct tui_opts *o, const struct model_hooks *hooks,
		void *arg);
void model_free(struct tui_model *m);
void model_prefault(struct tui_model *m); /* make the reserved memory resident (live capture) */

/* Shown rows the list may display: all of them, or those before the freeze of a live pause. */
size_t model_visible(const struct tui_model *m);
struct tui_pkt *model_shown(const struct tui_model *m, size_t i, uint64_t *seq); /* i-th shown row */
/* Make the flow index hold flow id's rows (one pass over the history); true when it was rebuilt. */
bool model_flow_index(struct tui_model *m, uint64_t id);

/*
 * Pull packets for one turn. Live: everything ready (also while paused). Replay: as their scaled time
 * comes (one packet read ahead), or all at once at speed 0 and when fast-forwarding. Sets m->more when
 * work is left and *wait_ns to the time until the next replay packet is due (-1: none).
 */
void model_pump(struct tui_model *m, int64_t *wait_ns);
/* The classroom's turn: the session's sources read, what is due out of it into the history. */
void model_session_pump(struct tui_model *m);
void model_release_pending(struct tui_model *m); /* the packet read ahead goes in now */
/* Pause or resume: live freezes the list where it is; replay stops and re-anchors the clock. */
void model_set_paused(struct tui_model *m, bool paused);
/* Live pause: let the next shown packet in; false when none has come yet. */
bool model_step_live(struct tui_model *m);
/* Replay: one packet in (the one read ahead, or the next from the file). */
void model_step_file(struct tui_model *m);
/* Replay speed one step faster or slower; returns the new speed. */
double model_speed(struct tui_model *m, bool faster);

/* The display filter: "" shows everything; model_refilter() applies it. It is compiled for the capture's
   link type and every pcapng interface's described so far: false (the old filter stays) with libpcap's
   error (and the link type) in err. */
bool model_set_filter(struct tui_model *m, const char *expr, char *err, size_t errlen);
void model_refilter(struct tui_model *m); /* the filter again over the whole history */
size_t model_clear(struct tui_model *m); /* drop the history; returns how many rows it held */

/* Write the first `count` shown packets (calls skipped) to path, as a pcap file of the first one's link
   type (*linktype): those of other link types are left out (*other counts them). 0 and *written, or -1
   when the file cannot be written (why), or -2 when writing failed part way (the file is incomplete). */
int model_save(struct tui_model *m, const char *path, size_t count, size_t *written, size_t *other, int *linktype,
	       char *why, size_t whylen);

/* A call row's event, copied out of the history (NULL when its bytes were not kept). */
const struct sock_event *model_call_event(const struct tui_model *m, const struct tui_pkt *p, struct sock_event *ev);
/* The end that made a call: the flow's (client 0, server 1), else what the event says, -1 unknown. */
int model_call_side(const struct tui_pkt *p, const struct sock_event *ev);
/* Decode a history row's stored bytes again, into out. */
void model_redecode(const struct tui_model *m, const struct tui_pkt *p, struct packet *out);

#endif
