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

static void status_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)y;
	(void)h;
	const struct tui_model *m = &t->m;
	struct pipeline_stats st;
	pipeline_stats(m->pl, &st);
	struct flowtab_stats fs;
	flowtab_stats(pipeline_flows(m->pl), &fs);
	uint64_t captured = st.packets - (m->have_pending ? 1 : 0);
	uint64_t flows = fs.flows_created - (m->have_pending && (m->pending.events & EV_NEW_FLOW) ? 1 : 0);
	const char *filter = pipeline_filter(m->pl);
	snprintf(t->line, sizeof t->line, " %s%s  capture: %s  view: %s", pipeline_source_name(m->pl),
		 m->live ? " (live)" : "", filter && *filter ? filter : "(all)", *m->vf_text ? m->vf_text : "(all)");
	sink_line(s, 0, t->line, ROLE_STATUS);
	char mode[64], sp[16];
	speed_str(m->clk.speed, sp, sizeof sp);
	if (m->capture_error)
		snprintf(mode, sizeof mode, "CAPTURE ERROR");
	else if (m->live)
		snprintf(mode, sizeof mode, "%s", m->paused ? "PAUSED (capturing)" : "LIVE");
	else if (m->fastfwd)
		snprintf(mode, sizeof mode, "FAST-FORWARD");
	else if (m->ended && !m->have_pending && !(m->session && session_held(m->session)))
		snprintf(mode, sizeof mode, "REPLAY END");
	else
		snprintf(mode, sizeof mode, "REPLAY %s%s", sp, m->paused ? " PAUSED" : "");
	double rate = t->status.rate;
	int n = snprintf(t->line, sizeof t->line,
			 " shown %zu  captured %" PRIu64 "  dropped %" PRIu64 "  %.*f pkt/s  flows %" PRIu64,
			 t->list.lv.count, captured, st.kernel_drop + st.iface_drop, rate < 100 ? 1 : 0, rate, flows);
	if (s->cols >= 100 && n > 0 && (size_t)n < sizeof t->line)
		snprintf(t->line + n, sizeof t->line - (size_t)n, "  history %zu of %zu", hist_count(&m->hist), m->hist.cap);
	size_t ml = strlen(mode);
	int w = s->cols - (int)ml - 3;
	sink_put(s, 1, 0, w, t->line, ROLE_STATUS, true);
	sink_put(s, 1, w, 1, " ", ROLE_STATUS, true);
	sink_put(s, 1, w + 1, (int)ml + 2, mode, (m->capture_error ? ROLE_ERROR : ROLE_HEADER) | SM_BOLD, true);
}

const struct pane_class pane_status = { .draw = status_draw };
