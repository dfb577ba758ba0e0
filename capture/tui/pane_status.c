/* pane_status.c — the two status rows: source, filters; counts, rate, flows, mode (live, paused, speed). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_panel.h"

unsigned status_tick(struct tui *t, int64_t now)
{
	struct status_pane *st = &t->status;
	if (now - st->rate_wall < 1000000000LL)
		return 0;
	st->rate = (double)(t->m.released - st->rate_count) * 1e9 / (double)(now - st->rate_wall);
	st->rate_wall = now;
	st->rate_count = t->m.released;
	return D_STATUS | D_FLOWDATA; /* kernel counters, flows expiring */
}

/* "1.2 GiB", "340 MiB", "12 KiB". */
static char *status_bytes(char *buf, size_t n, uint64_t b)
{
	if (b >= (1ull << 30))
		snprintf(buf, n, "%.1f GiB", (double)b / (double)(1ull << 30));
	else if (b >= (1ull << 20))
		snprintf(buf, n, "%.0f MiB", (double)b / (double)(1ull << 20));
	else
		snprintf(buf, n, "%.0f KiB", (double)b / 1024.0);
	return buf;
}

/* What the store is doing and holds: indexing, the filter's pass, the spool. */
static void status_store(struct tui *t, char *buf, size_t n)
{
	struct tui_model *m = &t->m;
	size_t used = 0;
	buf[0] = '\0';
	double share;
	uint64_t idx = model_indexed(m, &share);
	char c1[16], c2[16], c3[16];
	if (!m->ended && !m->live) {
		if (share >= 0)
			used += (size_t)snprintf(buf + used, n - used, "  indexing %.0f%% %s packets", 100 * share,
						 fmt_count(c1, sizeof c1, idx));
		else
			used += (size_t)snprintf(buf + used, n - used, "  indexing %s packets", fmt_count(c1, sizeof c1, idx));
	}
	double pass = model_filter_progress(m);
	if (pass < 1 && used < n)
		used += (size_t)snprintf(buf + used, n - used, "  filtering %.0f%%", 100 * pass);
	if (m->sp && used < n) {
		struct spool_stats ss;
		spool_stats(m->sp, &ss);
		if (ss.memory_only)
			used += (size_t)snprintf(buf + used, n - used, "  spool: memory only");
		else
			used += (size_t)snprintf(buf + used, n - used, "  spool %s of %s", status_bytes(c2, sizeof c2, ss.disk_bytes),
						 status_bytes(c3, sizeof c3, ss.max_bytes));
		if (ss.not_kept && used < n)
			used += (size_t)snprintf(buf + used, n - used, ", %s not kept (disk behind)", fmt_count(c1, sizeof c1, ss.not_kept));
		if (store_first(m->st) > 0 && used < n)
			snprintf(buf + used, n - used, ", holds packets %" PRIu64 "-", store_packet_number(m->st, store_first(m->st)));
	}
	if (store_problem(m->st)[0] && used < n)
		snprintf(buf + used, n - used, "  FILE CHANGED");
}

static void status_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)y;
	(void)h;
	struct tui_model *m = &t->m;
	struct pipeline_stats st;
	pipeline_stats(m->pl, &st);
	const char *filter = pipeline_filter(m->pl);
	snprintf(t->line, sizeof t->line, " %s%s  capture: %s  view: %s", pipeline_source_name(m->pl),
		 m->live ? " (live)" : "", filter && *filter ? filter : "(all)", *m->vf_text ? m->vf_text : "(all)");
	sink_line(s, 0, t->line, ROLE_STATUS);
	char mode[64], sp[16], more[200];
	speed_str(m->clk.speed, sp, sizeof sp);
	if (m->capture_error)
		snprintf(mode, sizeof mode, "%s", m->live ? "CAPTURE ERROR" : "READ ERROR");
	else if (m->live)
		snprintf(mode, sizeof mode, "%s", m->paused ? "PAUSED (capturing)" : "LIVE");
	else if (m->fastfwd)
		snprintf(mode, sizeof mode, "FAST-FORWARD");
	else if (model_done(m))
		snprintf(mode, sizeof mode, "REPLAY END");
	else
		snprintf(mode, sizeof mode, "REPLAY %s%s", sp, m->paused ? " PAUSED" : "");
	double rate = t->status.rate;
	status_store(t, more, sizeof more);
	/* The list's rows are packets and, in a classroom, calls: "shown" counts the packets alone. */
	size_t calls = model_visible_calls(m), rows = t->list.lv.count;
	char ncalls[40] = "";
	if (m->session || calls)
		snprintf(ncalls, sizeof ncalls, "  calls %zu", calls);
	snprintf(t->line, sizeof t->line, " shown %zu%s  captured %" PRIu64 "  dropped %" PRIu64 "  %.*f pkt/s  flows %" PRIu64 "%s",
		 rows > calls ? rows - calls : 0, ncalls, st.packets, st.kernel_drop + st.iface_drop, rate < 100 ? 1 : 0, rate,
		 model_flows(m), more);
	size_t ml = strlen(mode);
	int w = s->cols - (int)ml - 3;
	sink_put(s, 1, 0, w, t->line, ROLE_STATUS, true);
	sink_put(s, 1, w, 1, " ", ROLE_STATUS, true);
	sink_put(s, 1, w + 1, (int)ml + 2, mode, (m->capture_error ? ROLE_ERROR : ROLE_HEADER) | SM_BOLD, true);
}

const struct pane_class pane_status = { .draw = status_draw };
