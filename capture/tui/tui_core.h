/* tui_core.h — the TUI's curses-free logic: a row as the panes see it, row text, scrolling, replay clock. */
#ifndef SYNWATCH_TUI_CORE_H
#define SYNWATCH_TUI_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "track/flow.h"
#include "track/summary.h"
#include "packet.h"

/* ---- One row as the panes see it: a packet's summary, read back from the store and decoded, or a call. ---- */
struct tui_pkt {
	struct pkt_summary s;     /* the packet. A call row (is_call): s.ts_ns is where the call stands on the
				     timeline; s.flow_id, s.dir (the calling end: DIR_C2S client, DIR_S2C server) and
				     s.before/after (both ends' states then) are set when it matched a flow */
	uint64_t row;             /* its row in the store */
	uint32_t stored;          /* captured bytes (model_bytes() reads them again) */
	const struct pkt_iface *iface; /* pcapng: its interface (the reader's, valid while the pipeline is open) */
	bool is_call;             /* a socket call kept as a row among the packets (the classroom view) */
	uint8_t gone;             /* 0; else why its bytes cannot be read (enum model_gone): shown as a note */
};

/* ---- A scrolling list with a selection (packet list, flow table, ladder, text panes). ---- */
struct listview {
	size_t count;             /* rows in the list */
	size_t sel;               /* selected row (meaningless when count == 0) */
	size_t top;               /* first row on screen */
	bool follow;              /* keep the newest (last) row selected as rows arrive */
};
void lv_init(struct listview *lv);                          /* empty, following */
void lv_set_count(struct listview *lv, size_t count, int height); /* rows added; follow or keep */
void lv_drop_front(struct listview *lv, size_t k, int height); /* the k oldest rows went away */
void lv_move(struct listview *lv, long delta, int height);  /* arrows (±1), pages (±height) */
void lv_home(struct listview *lv, int height);
void lv_end(struct listview *lv, int height);               /* last row, following again */
void lv_select(struct listview *lv, size_t row, int height); /* e.g. a mouse click, clamped */
void lv_scroll(struct listview *lv, long delta, int height); /* wheel: move the window, keep sel inside */

/* ---- Replay timing: a packet stamped t is due at wall0 + (t - cap0) / speed. ---- */
struct replay_clock {
	double speed;             /* 1.0 original timing, 0 as fast as possible */
	bool anchored;            /* wall0/cap0 are set */
	int64_t wall0, cap0;      /* a wall time (monotonic ns) and the capture time it stands for */
};
void clock_init(struct replay_clock *c, double speed);
void clock_anchor(struct replay_clock *c, int64_t wall_ns, int64_t cap_ns);
int64_t clock_virtual(const struct replay_clock *c, int64_t wall_ns); /* capture time "now" */
/* ns from wall_ns until the packet stamped cap_ns is due; <= 0 when due (always 0 at speed 0). */
int64_t clock_due_in(const struct replay_clock *c, int64_t wall_ns, int64_t cap_ns);
void clock_set_speed(struct replay_clock *c, int64_t wall_ns, double speed); /* keeps "now" in place */
double speed_faster(double speed); /* ×2 steps from 1/64 up to 64, then 0 (as fast as possible) */
double speed_slower(double speed); /* the reverse; 1/64 stays */
char *speed_str(double speed, char *buf, size_t size); /* "x1", "x0.25", "x16", "max" */

/* ---- Text of rows and panes. ---- */
enum row_class {
	RC_TCP, RC_UDP, RC_ICMP, RC_OTHER,
	RC_SYN, RC_FIN, RC_RST, RC_RETRANS, RC_ICMP_ERR, RC_BAD, RC_COUNT
};
enum row_class fmt_class(const struct pkt_summary *p); /* RST > ICMP error > bad > retransmission > SYN > FIN */
char *fmt_flags_words(uint16_t flags, char *buf, size_t size); /* "SYN, ACK"; "none" for 0 */
size_t fmt_events(char *buf, size_t size, uint32_t events, uint32_t dup_ack_n); /* "[Retransmission] " */
char *fmt_endpoint(char *buf, size_t size, uint8_t af, const uint8_t *addr, bool port, uint16_t p);
char *fmt_reltime(char *buf, size_t size, int64_t ts_ns, int64_t t0_ns); /* seconds since t0, 9 wide */
/* numw: width of the No. column (fmt_num_width() of the biggest number on screen), so columns stay put. */
int fmt_num_width(uint64_t max_n);
size_t fmt_row_header(char *buf, size_t size, int width, int numw);
/* A packet's row; app: its application summary (view_app_line()), put first in the Info column, or NULL. */
size_t fmt_row(char *buf, size_t size, const struct pkt_summary *p, const char *app, int64_t t0_ns, int width,
	       int numw);
size_t fmt_info(char *buf, size_t size, const struct pkt_summary *p); /* the Info column alone */
/* A call row in the list, standing at at_ns: "   0.000123  call  client 4712: connect(3, ...) = 0". */
struct sock_event;
size_t fmt_call_row(char *buf, size_t size, int64_t at_ns, const struct sock_event *ev, int64_t t0_ns, int width,
		    int numw);
/* One hex dump line for data[off..off+16): "0010  45 00 ...  |E..<|". */
size_t fmt_hexline(char *buf, size_t size, const uint8_t *data, size_t len, size_t off);

/*
 * Follow view: a payload split into screen lines at '\n' or `width` characters, unprintables as '.'. A
 * segment goes on where the one before it in the same direction left off: col0 is the column its line
 * had reached (0: a line of its own), and its line 0 is then the rest of that line. Returns the lines it
 * has a part in, and in *col_end (when not NULL) the column its last line reached (0: it ended a line).
 */
size_t follow_count_lines(const uint8_t *data, size_t len, int width, size_t col0, size_t *col_end);
/* Line `index` of that split into buf (NUL-terminated, at most width chars); false when out of range. */
bool follow_line(const uint8_t *data, size_t len, int width, size_t col0, size_t index, char *buf, size_t size);

/* ---- The flow table pane's view of a flow: as the tracker has it, or as of the replay's cursor. ---- */
struct flow_view {
	uint64_t id;
	enum tcp_state state[2];  /* client's, server's */
	uint64_t pkts[2], bytes[2];
	enum flow_end end;
};
/* A flow as the rows a replay has shown so far left it (the tracker has read further ahead). */
struct flow_snap {
	uint8_t state[2];         /* after its latest row shown */
	uint64_t pkts[2], bytes[2];
};
/* f as the user should see it: snap NULL, as the tracker has it; else as the rows shown left it (the
   tracker's end once every packet of the flow is shown). */
void flowview_from(struct flow_view *v, const struct flow *f, const struct flow_snap *snap);

/* Flow pane: header and one flow (names from tcp_state_name()/flow_end_name(); narrow screens abbreviate). */
size_t fmt_flow_header(char *buf, size_t size, int width);
size_t fmt_flow_row(char *buf, size_t size, const struct flow *f, const struct flow_view *v,
		    const char *client_state, const char *server_state, const char *end, int width);
char *fmt_count(char *buf, size_t size, uint64_t n); /* 999, 12.3K, 4.5M, 6.7G */

/* ---- tui_details.c: from the decoder's and tracker's output (uses their name tables). ---- */
/* The details pane: the packet layer by layer; emit() gets each line, title set on a layer's first. */
void details_render(const struct packet *p, const struct tui_pkt *e, int64_t t0_ns,
		    void (*emit)(const char *line, bool title, void *arg), void *arg);

/* ---- Screen layout (rows), for any size >= TUI_MIN_COLS x TUI_MIN_ROWS. ---- */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24
enum { PANE_LIST, PANE_FLOWS, PANE_LOWER, PANE_COUNT };
struct tui_layout {
	bool too_small;           /* below the minimum: show a message instead */
	int y[PANE_COUNT], h[PANE_COUNT]; /* each pane's first row (its title line) and height with title */
	int footer_y, footer_h;   /* key hints / prompt / messages: its first row and rows */
};
/* Status bar on rows 0-1, the footer on the last footer_h rows (1 to TUI_FOOTER_MAX); zoom is a pane that
   takes all rows, or -1. */
#define TUI_FOOTER_MAX 4
void layout_compute(struct tui_layout *l, int rows, int cols, int zoom, int footer_h);

#endif
