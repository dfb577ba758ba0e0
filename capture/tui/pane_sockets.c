/* pane_sockets.c — the kernel's socket table (as ss -tuan), each TCP connection's tcp_info under it (as ss -tin), where the kernel and the wire disagree, the current flow's sockets highlighted. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_panel.h"

static void sockets_help(struct tui *t, char *buf, size_t size)
{
	(void)t;
	char k[16];
	snprintf(buf, size, "%s: flows", keys_first(ACT_SOCKETS, k, sizeof k));
}

/* Socket i's lines: its row as ss prints it; for a TCP connection, the kernel's own numbers (tcp_info)
   and, when the kernel's state and the wire's have been apart for KERNEL_APART_READS reads, the
   sentence saying so. */
static void sockets_lines(struct tui *t, struct pane_text *o, const struct sockdiag_row *row, size_t i, bool mine,
			  int width)
{
	char text[TUI_LINE];
	sockdiag_format(row, text, sizeof text);
	pane_text_line(o, text, mine ? ROLE_SEL : ROLE_NORMAL);
	if (row->proto == 6 && row->info.valid) {
		memcpy(text, "    ", 4);
		kernel_info_text(&row->info, text + 4, sizeof text - 4);
		pane_text_wrapped(o, text, width, 6, SM_DIM);
	}
	if (kernel_apart_text(kernel_of(t, i), row, t->m.session->sock_at, text, sizeof text))
		pane_text_wrapped(o, text, width, 6, ROLE_ERROR_TEXT);
}

/* Whether a socket is one of the current flow's (its ports are the flow's, either way round). */
static bool sockets_mine(const struct flow *f, const struct sockdiag_row *row)
{
	return f && row->proto == f->proto &&
	       ((row->local.port == f->client.port && row->remote.port == f->server.port) ||
		(row->local.port == f->server.port && row->remote.port == f->client.port));
}

static void sockets_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	if (h <= 0)
		return;
	const struct tui_model *m = &t->m;
	const struct session_opts *so = m->session ? &m->session->o : NULL;
	const struct sockdiag_row *table = NULL;
	const char *err = "";
	size_t nsock = m->session ? session_sockets(m->session, &table, &err) : 0;
	int rows = tui_pane_rows(t, PANE_FLOWS);
	char ports[160] = "", help[64];
	size_t used = 0;
	for (size_t i = 0; so && i < so->nports && used < sizeof ports - 8; i++)
		used += (size_t)snprintf(ports + used, sizeof ports - used, "%s%u", i ? "," : " ", so->ports[i]);
	sockets_help(t, help, sizeof help);
	snprintf(t->line, sizeof t->line, " Sockets (%s, as ss -tuan) port%s%s: %zu   %s",
		 so && so->sockets_replayed ? "as the lesson recorded them" : "kernel", so && so->nports > 1 ? "s" : "", so && so->nports ? ports : "s (all)", nsock, help);
	tui_frame_pane(t, s, PANE_FLOWS, rows, t->line);
	if (err[0]) {
		sink_put(s, y + 1, 2, s->cols - 2, err, ROLE_ERROR_TEXT, false);
		return;
	}
	sink_line(s, y + 1, SOCKDIAG_HEADER, SM_BOLD);
	const struct tui_pkt *cur = tui_current(t, NULL);
	const struct flow *f = cur && cur->s.flow_id ? flowtab_find(pipeline_flows(m->pl), cur->s.flow_id) : NULL;
	/* The current flow's sockets are kept in view: when they would fall below the pane, the lines scroll
	   up to the first of them. */
	struct pane_text count = { .s = s, .y = y + 2, .rows = 0 };
	size_t mine_at = SIZE_MAX, mine_end = 0;
	for (size_t i = 0; i < nsock; i++) {
		size_t before = count.n;
		bool mine = sockets_mine(f, &table[i]);
		sockets_lines(t, &count, &table[i], i, mine, s->cols);
		if (mine && mine_at == SIZE_MAX)
			mine_at = before;
		if (mine)
			mine_end = count.n;
	}
	struct pane_text out = { .s = s, .y = y + 2, .rows = rows - 1 };
	if (mine_at != SIZE_MAX && mine_end > (size_t)out.rows)
		out.skip = mine_at;
	for (size_t i = 0; i < nsock && out.n < out.skip + (size_t)out.rows; i++)
		sockets_lines(t, &out, &table[i], i, sockets_mine(f, &table[i]), s->cols);
	if (!nsock)
		sink_put(s, y + 2, 2, s->cols - 2, "no socket on these ports right now", SM_DIM, false);
}

/* The socket table has no selection of its own: keys and the mouse move the flow table's beneath it. */
static unsigned sockets_key(struct tui *t, enum tui_action act, int key)
{
	return pane_flows.key(t, act, key);
}

static unsigned sockets_mouse(struct tui *t, int row, int wheel)
{
	return pane_flows.mouse(t, row, wheel);
}

const struct pane_class pane_sockets = {
	.draw = sockets_draw, .key = sockets_key, .mouse = sockets_mouse, .help = sockets_help
};
