/* pane_sockets.c — the kernel's socket table (as ss -tuan), the current flow's sockets highlighted. */
#include <stdio.h>

#include "tui/tui_panel.h"

static void sockets_help(struct tui *t, char *buf, size_t size)
{
	(void)t;
	char k[16];
	snprintf(buf, size, "%s: flows", keys_first(ACT_SOCKETS, k, sizeof k));
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
	for (int r = 0; r + 1 < rows && (size_t)r < nsock; r++) {
		const struct sockdiag_row *row = &table[r];
		sockdiag_format(row, t->line, sizeof t->line);
		bool mine = f && row->proto == f->proto &&
			    ((row->local.port == f->client.port && row->remote.port == f->server.port) ||
			     (row->local.port == f->server.port && row->remote.port == f->client.port));
		sink_line(s, y + 2 + r, t->line, mine ? ROLE_SEL : ROLE_NORMAL);
	}
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
