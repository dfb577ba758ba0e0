/* tui_panel.h — the panel inside: struct tui (model, panes, loop state), the pane class, what panes share. */
#ifndef SYNWATCH_TUI_PANEL_H
#define SYNWATCH_TUI_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls/progtty.h"
#include "graph/graph.h"
#include "graph/graph_plot.h"
#include "tui/pane.h"
#include "tui/tui.h"
#include "tui/tui_canvas.h"
#include "tui/tui_core.h"
#include "tui/tui_keys.h"
#include "tui/tui_model.h"
#include "tui/tui_reader.h"
#include "view/ladder.h"

#define TUI_LINE 1024        /* longest line drawn */
#define TUI_LADDER_ROWS 256  /* ladder rows rendered at once (more than any screen shows) */

struct tui;

/*
 * A pane: a part of the screen with its own state (in struct tui) and these functions. draw() writes
 * rows [y, y + h) of the sink, the first being its title where it has one; key() gets a key with its
 * action from the key table and returns redraw flags, or K_PASS when the key is not the pane's; mouse()
 * gets a click on the row-th line under the title, or the wheel (-1 up, 1 down); help() writes the
 * pane's own keys as its title shows them ("Enter: details  f: follow"), "" when it has none. A function
 * a pane does not need is NULL.
 */
struct pane_class {
	void (*draw)(struct tui *t, struct tui_sink *s, int y, int h);
	unsigned (*key)(struct tui *t, enum tui_action act, int key);
	unsigned (*mouse)(struct tui *t, int row, int wheel);
	void (*help)(struct tui *t, char *buf, size_t size);
};

/* The panes (pane_NAME.c each). The three slots of the layout hold: PANE_LIST the packet list; PANE_FLOWS
   the flow table or the socket table; PANE_LOWER a packet's details, a flow's ladder or graph, or the traced
   program's terminal. The follow view
   and the help are drawn over everything; the status bar and the footer (with the prompt) frame it. */
extern const struct pane_class pane_list, pane_flows, pane_sockets, pane_details, pane_ladder, pane_graph,
	pane_follow, pane_help, pane_prompt, pane_status, pane_footer, pane_program;

/* pane_list.c: the packet list over the shown rows. */
struct list_pane {
	struct listview lv;
	uint64_t keep_row;        /* a filter pass in flight: select this row once it is listed (STORE_NONE: none) */
	struct packet scratch;    /* a row decoded again for its application summary */
};
/* pane_flows.c: the flow table. */
struct flows_pane {
	struct listview lv;
	uint64_t sel_id;          /* the selected flow, kept by id while flows come and go */
};
/* pane_ladder.c: the ladder of one flow, over the model's flow index. */
struct ladder_pane {
	struct listview lv;
	uint64_t id;              /* the flow the ladder and the follow view show, 0 for none */
	bool driven;              /* the current packet was chosen in the ladder, not the list */
	int headers;              /* header lines the ladder renderer drew last time */
	struct ladder_row *rows;  /* TUI_LADDER_ROWS rendered at once */
};
/* pane_graph.c: the graphs of one TCP flow (graph/), fed from the history by the drawing side. While the
   lower slot shows it, the ladder's flow stays the graph's (moving in the list does not change it). */
struct graph_pane {
	struct graph *g;          /* the model of flow id (made when a graph is first opened), or NULL */
	uint64_t id;              /* the flow graphed, 0 for none */
	uint64_t fed_next;        /* the flow's history rows before this seq have been fed */
	uint64_t pkts_wire;       /* the flow's packets on the wire when last drawn (the flow table's count) */
	enum graph_kind kind;
	enum flow_dir dir;        /* whose data is drawn */
	bool dir_chosen;          /* the direction key was used: dir stays; else the end that sent more */
	int64_t t_from, t_to;     /* the time shown, ns; both 0: the whole flow (growing while it lasts) */
	int64_t cursor_t;         /* the time cursor, ns; 0 for none */
	bool drawn;               /* frame, plot_x and the canvas are those of the last drawing */
	struct graph_frame frame; /* the last drawing's axes (keys turn columns into times with it) */
	int plot_x;               /* screen column of the plot area's first cell */
	char ends[2][FLOW_EP_STRLEN]; /* the flow's client and server endpoints, for the title */
	struct canvas cv;         /* the plot area in cells */
	struct packet scratch;    /* a history row decoded again (options, SACK blocks, timestamps) */
};

/* tui_kernel.c: each TCP socket of the kernel's table matched to the flow of its endpoints and compared
   with the state the wire showed, at each read of the table. */
struct kernel_sock {
	uint8_t proto;            /* the row's protocol and cookie: which socket this is */
	uint64_t cookie;
	uint64_t flow_id;         /* the flow of its endpoints, 0 for none */
	uint8_t end;              /* which end of that flow the socket is: DIR_C2S client, DIR_S2C server */
	uint8_t wire;             /* enum tcp_state the wire showed for that end at the read */
	bool inferred;            /* the flow's states were inferred (the capture began mid-connection) */
	uint16_t apart;           /* reads in a row with the kernel's state and the wire's apart */
	int64_t apart_since;      /* the read that first found them apart (real time, ns) */
};
struct kernel_view {
	int64_t read_at;          /* the table read last compared (the session's sock_at), 0 before any */
	struct kernel_sock *k[2]; /* SESSION_SOCK_ROWS each: k[cur][i] is about row i of the table */
	size_t n[2];
	int cur;
};

/* pane_details.c: the current packet layer by layer, then its bytes. */
struct details_pane {
	size_t top;               /* first line shown */
	struct packet scratch;
};
/* pane_follow.c: a flow's payload both ways, over the whole screen. The lines of each payload packet are
   counted once (cum), so that any line of the flow is found by a binary search, however long the flow. */
/* The follow view's text after one row of a flow: a same-direction segment goes on where the one before
   it left off (follow_count_lines in tui_core.h). */
struct follow_mark {
	size_t cum;               /* lines begun by rows 0..k */
	uint16_t col_end;         /* the column the last line reached (0: the line was ended) */
	uint8_t dir;              /* the direction of the last payload (DIR_C2S, DIR_S2C), FOLLOW_NO_DIR before one */
};
#define FOLLOW_NO_DIR 2

struct follow_pane {
	bool at_end;              /* the last lines are shown, and new ones as they come */
	size_t top;               /* else: the first line shown (0: the flow's first) */
	size_t total, page;       /* the flow's lines and the lines a screen shows, as last drawn */
	uint64_t id;              /* the flow cum counts (0: none) */
	int width;                /* ... split at this width */
	size_t counted;           /* ... over the flow index's first `counted` rows */
	uint64_t first, last;     /* ... the first and last of those rows (a rebuilt index differs) */
	struct follow_mark *mark; /* mark[k]: where the text stands after the flow index's row k */
	size_t cap;
};
/* pane_help.c: the key table and the colours, over the panes. */
struct help_pane {
	size_t top;               /* first line shown */
	size_t max_top;           /* the last top that still fills the box (0: it all fits, any key closes) */
	int page;                 /* lines the box showed */
};
/* pane_program.c: the traced program's terminal (tui_opts.program). */
struct program_pane {
	size_t up;                /* lines scrolled up from its last line */
};
/* pane_prompt.c: the footer's line editor: the view filter, the save file, go-to, a line for the program. */
enum prompt { PR_NONE, PR_FILTER, PR_SAVE, PR_GOTO, PR_PROGRAM };
struct prompt_pane {
	enum prompt kind;         /* PR_NONE: no prompt open */
	char input[512];          /* the text being edited */
	char rejected[512];       /* the last filter libpcap refused, offered again by the filter key */
	bool report;              /* a new view filter's pass runs: say its count when it is done */
};
/* pane_footer.c: messages, the explanation of the current row, or the function keys. */
struct footer_pane {
	char msg[320];            /* the message replacing the hints, "" for none */
	bool msg_err;
	int64_t msg_until;        /* when it goes (tui_now) */
	bool explain;             /* the explanation of the current row instead of the hints */
	char text[640];           /* what the footer shows this frame: the message or the explanation ("": the
				     key hints), wrapped onto its rows (footer_prepare) */
	unsigned text_style;      /* its style */
};
/* pane_status.c: the two status rows. */
struct status_pane {
	int64_t rate_wall;        /* the rate's window start (tui_now) and the rows released then */
	uint64_t rate_count;
	double rate;              /* rows per second over the last window */
};

enum lower_mode { LOWER_DETAILS, LOWER_LADDER, LOWER_GRAPH, LOWER_PROGRAM };
enum overlay { OV_NONE, OV_HELP, OV_FOLLOW };

struct tui {
	const struct tui_opts *o;
	struct tui_model m;
	struct list_pane list;
	struct flows_pane flows;
	struct ladder_pane ladder;
	struct graph_pane graph;
	struct kernel_view kernel;
	struct details_pane details;
	struct follow_pane follow;
	struct help_pane help;
	struct prompt_pane prompt;
	struct program_pane program;
	struct footer_pane footer;
	struct status_pane status;
	/* The loop's state. */
	int rows, cols;           /* the screen's size at the last draw */
	bool utf8;                /* the terminal shows UTF-8 (braille graphs), else ASCII only */
	struct tui_layout lay;    /* where the slots are on it */
	int focus;                /* the focused slot (PANE_LIST...) */
	int zoom;                 /* the slot taking the whole screen, or -1 */
	enum lower_mode lower;    /* what the lower slot shows */
	bool show_sockets;        /* the flows slot shows the socket table */
	enum overlay ov;
	unsigned dirty;           /* redraw flags (pane.h) not drawn yet */
	int64_t last_draw;        /* when the screen was last drawn (tui_now) */
	int64_t flows_drawn;      /* when the flows slot was last drawn (for D_FLOWDATA) */
	int64_t lower_drawn;      /* when the lower slot was last drawn (for D_GRAPHDATA) */
	char line[TUI_LINE];      /* the line being drawn */
	struct tui_reader rd;     /* live capture's reader thread */
};

/* tui.c: set up a panel over an open pipeline without a terminal (tests draw it into their own sink);
   NULL when out of memory, with *what naming what could not be had. */
struct tui *tui_new(struct pipeline *pl, const struct tui_opts *o, const char **what);
void tui_free(struct tui *t);
/* Draw what t->dirty asks for into s; the terminal's cursor shows while the prompt is open. */
void tui_draw(struct tui *t, struct tui_sink *s);
/* tui_actions.c: a key's way through the panel; which pane a slot shows. */
unsigned tui_key(struct tui *t, int key, const struct tui_mouse *mouse); /* one key: flags (K_QUIT...) */
const struct pane_class *tui_slot_pane(const struct tui *t, int slot);

/* tui_shared.c: what the panes share. */
/* A slot's title row, styled as focused or not. */
void tui_title(struct tui *t, struct tui_sink *s, int slot, const char *text);
/* A slot's title and its `rows` rows under it blanked: what a pane draws first. */
void tui_frame_pane(struct tui *t, struct tui_sink *s, int slot, int rows, const char *title);
/* A row's style when it is the selected one of slot (focused: the selection bar; else bold, underlined). */
unsigned tui_sel_style(const struct tui *t, int slot, unsigned style);
__attribute__((format(printf, 3, 4))) unsigned tui_message(struct tui *t, bool err, const char *fmt, ...);
int tui_pane_rows(const struct tui *t, int slot);          /* rows of a slot for list rows (title excluded) */
struct tui_pkt *tui_current(struct tui *t, uint64_t *seq); /* the packet details and ladder show */
unsigned tui_list_moved(struct tui *t);   /* the list selection moved: the ladder follows its flow */
unsigned tui_ladder_moved(struct tui *t); /* the ladder selection moved: the list selects the same row */
unsigned tui_focus_pane(struct tui *t, int slot);
unsigned tui_end(struct tui *t);          /* the last row; a replay fast-forwards to the end */
unsigned tui_open_current(struct tui *t); /* the ladder of the current packet's flow, focused */
/* Up/Down (a line) and PgUp/PgDn (page lines) on a text's scroll offset, counted down from its first line,
   or up from its last when from_end (Up adds one); never below 0. False for any other action. */
bool tui_scroll_key(size_t *off, enum tui_action act, size_t page, bool from_end);
/* The moving keys (Up, Down, PgUp, PgDn, Home, End) on a list `h` rows high; false for any other action. */
bool tui_lv_key(struct listview *lv, enum tui_action act, int h);
struct tui_pkt *list_pkt(struct tui *t, size_t i, uint64_t *seq); /* the list's row i, NULL past the end */
unsigned list_select_row(struct tui *t, uint64_t row); /* select the first listed row at or after `row` */
unsigned list_refilter(struct tui *t);     /* a new view filter: its pass starts, the selection is kept */
void ladder_build(struct tui *t, uint64_t id); /* the flow index for flow id, the ladder reset */
void ladder_select_seq(struct tui *t, uint64_t seq); /* the ladder selects store row seq */

/* Panes' functions others use. */
uint64_t flows_at(struct tui *t, size_t index); /* pane_flows.c: the flow id at a row */
unsigned prompt_start(struct tui *t, enum prompt kind); /* pane_prompt.c */
unsigned help_open(struct tui *t);         /* pane_help.c */
unsigned follow_open(struct tui *t);       /* pane_follow.c: the current flow's payload, or a message */
/* pane_graph.c: the graph of the selected flow (the flows pane's, else the current packet's), or its next
   kind when the lower slot shows that flow's graph already; a message for a flow that is not TCP. */
unsigned graph_open(struct tui *t);
void graph_forget(struct tui *t);          /* pane_graph.c: no flow graphed (the history was cleared) */
/* pane_graph.c: feed the shown graph the rows its flow got since the last time, without drawing (each frame:
   the history may drop them before the graph's next drawing). */
void graph_catch_up(struct tui *t);
void graph_free_pane(struct graph_pane *gp);
/* tui_kernel.c: compare the socket table with the wire when it was read again since the last call, and
   give the graph of its flow the senders' congestion windows (tcp_info cwnd x MSS). */
void kernel_sample(struct tui *t);
/* The comparison of the table's row i (NULL when there is none, for a row that is not a TCP connection). */
const struct kernel_sock *kernel_of(const struct tui *t, size_t i);
/* Reads of the table in a row that must find the kernel and the wire apart before the pane says so: one
   read can fall between a packet leaving and the capture handing it over. */
#define KERNEL_APART_READS 2
/* Whether the kernel's state (sockdiag numbering) is the one the wire showed. */
bool kernel_state_agrees(uint8_t kstate, enum tcp_state wire);
/* A TCP socket's own numbers as the socket pane shows them ("cwnd 10  ssthresh -  rtt 0.03/0.015 ms ..."). */
size_t kernel_info_text(const struct sockdiag_tcpinfo *ti, char *buf, size_t n);
/* The sentence about row's socket when the kernel and the wire disagree (k->apart reads at least), "" else;
   now_ns: the time of the latest read. */
size_t kernel_apart_text(const struct kernel_sock *k, const struct sockdiag_row *row, int64_t now_ns, char *buf,
			 size_t n);
bool footer_explain(struct tui *t, char *buf, size_t n); /* pane_footer.c: the sentence about the current row */
/* pane_footer.c: the sentence about a call row (its event ev), as the footer and the details say it. */
void footer_explain_call(const struct tui_pkt *p, const struct sock_event *ev, char *buf, size_t n);
/* pane_footer.c: what the footer shows this frame (a message, the explanation, or the key hints) and the
   rows it needs at cols columns, wrapped at spaces (1 to TUI_FOOTER_MAX). */
int footer_prepare(struct tui *t, int cols);
unsigned status_tick(struct tui *t, int64_t now); /* pane_status.c: the rate, once a second */
/* pane_program.c: the traced program's terminal in the lower slot (a message without --trace); the prompt
   for a line to it; that line sent (opening the pane); its new output read (each frame; what to redraw). */
unsigned program_open(struct tui *t);
unsigned program_type(struct tui *t);
unsigned program_send(struct tui *t, const char *text);
unsigned program_pump(struct tui *t);

/* Lines written one after another into a pane's rows, the first `skip` of them scrolled away (pane.c). */
struct pane_text {
	struct tui_sink *s;
	int y, rows;              /* the rows written into */
	size_t skip;              /* lines scrolled away above */
	size_t n;                 /* lines written so far */
};
void pane_text_line(struct pane_text *o, const char *line, unsigned style);
/* text as lines of width columns broken at spaces, lines after the first indented by indent: never cut. */
void pane_text_wrapped(struct pane_text *o, const char *text, int width, int indent, unsigned style);

#endif
