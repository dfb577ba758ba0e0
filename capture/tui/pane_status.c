/* pane_status.c — the two status rows: source, filters; counts, rate, flows, mode (live, paused, speed). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
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

/*
 * The counts row is a list of fields, each with a rank: when the row does not fit the terminal, whole
 * fields go, the highest rank first (the rightmost of equal rank first), so that nothing is shown cut
 * ("index" for "indexing 39%") and what a student needs most stays: what is shown and captured, kernel
 * drops, the index's and the filter's progress, a changed file.
 */
#define STATUS_FIELDS 16

enum status_join {
	SJ_FIELD,                 /* "  " before it */
	SJ_SPOOL,                 /* one of the spool's: ", " after another of them, else "  " */
	SJ_MORE,                  /* " ": more of the field before (ranked after it, so it never stays alone) */
};

struct status_field {
	char text[80];
	int rank;                 /* 0: kept longest */
	enum status_join join;
};

struct status_row {
	struct status_field f[STATUS_FIELDS];
	int n;
};

static void status_add(struct status_row *r, int rank, enum status_join join, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void status_add(struct status_row *r, int rank, enum status_join join, const char *fmt, ...)
{
	if (r->n == STATUS_FIELDS)
		return;
	struct status_field *f = &r->f[r->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	f->rank = rank;
	f->join = join;
}

/* The row's fields joined, into buf; its length. */
static size_t status_join(const struct status_row *r, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < r->n && used < n; i++) {
		enum status_join j = r->f[i].join;
		const char *sep = i == 0			    ? " "
				  : j == SJ_MORE		    ? " "
				  : j == SJ_SPOOL && r->f[i - 1].join == SJ_SPOOL ? ", "
								    : "  ";
		int w = snprintf(buf + used, n - used, "%s%s", sep, r->f[i].text);
		used += w > 0 ? (size_t)w : 0;
	}
	return used < n ? used : n - 1;
}

/* Drop fields, the highest rank first, until the joined row fits `cols` columns (it is ASCII). */
static void status_fit(struct status_row *r, int cols, char *buf, size_t n)
{
	while (r->n > 1 && status_join(r, buf, n) > (size_t)(cols > 0 ? cols : 0)) {
		int drop = -1;
		for (int i = 0; i < r->n; i++)
			if (drop < 0 || r->f[i].rank >= r->f[drop].rank)
				drop = i;
		if (r->f[drop].rank == 0)
			break; /* what is left is what matters most: the sink cuts it */
		memmove(&r->f[drop], &r->f[drop + 1], (size_t)(r->n - drop - 1) * sizeof r->f[0]);
		r->n--;
	}
	status_join(r, buf, n);
}

/* What the store is doing and holds: indexing, the filter's pass, the spool. */
static void status_store(struct tui *t, struct status_row *r)
{
	struct tui_model *m = &t->m;
	double share;
	uint64_t idx = model_indexed(m, &share);
	char c1[16], c2[16], c3[16];
	if (!m->ended && !m->live) {
		if (share >= 0) {
			status_add(r, 0, SJ_FIELD, "indexing %.0f%%", 100 * share);
			status_add(r, 4, SJ_MORE, "%s packets", fmt_count(c1, sizeof c1, idx));
		} else {
			status_add(r, 0, SJ_FIELD, "indexing %s packets", fmt_count(c1, sizeof c1, idx));
		}
	}
	double pass = model_filter_progress(m);
	if (pass < 1)
		status_add(r, 0, SJ_FIELD, "filtering %.0f%%", 100 * pass);
	if (m->sp) {
		struct spool_stats ss;
		spool_stats(m->sp, &ss);
		if (ss.memory_only)
			status_add(r, 1, SJ_SPOOL, "spool: memory only");
		else
			status_add(r, 3, SJ_SPOOL, "spool %s of %s", status_bytes(c2, sizeof c2, ss.disk_bytes),
				   status_bytes(c3, sizeof c3, ss.max_bytes));
		if (ss.not_kept)
			status_add(r, 1, SJ_SPOOL, "%s not kept (disk behind)", fmt_count(c1, sizeof c1, ss.not_kept));
		if (store_first(m->st) > 0)
			status_add(r, 3, SJ_SPOOL, "holds packets %" PRIu64 "-", store_packet_number(m->st, store_first(m->st)));
	}
	if (store_problem(m->st)[0])
		status_add(r, 0, SJ_FIELD, "FILE CHANGED");
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
	char mode[64], sp[16];
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
	/* The list's rows are packets and, in a classroom, calls: "shown" counts the packets alone. */
	size_t calls = model_visible_calls(m), rows = t->list.lv.count;
	struct status_row r = { .n = 0 };
	status_add(&r, 0, SJ_FIELD, "shown %zu", rows > calls ? rows - calls : 0);
	if (m->session || calls)
		status_add(&r, 1, SJ_FIELD, "calls %zu", calls);
	status_add(&r, 0, SJ_FIELD, "captured %" PRIu64, st.packets);
	status_add(&r, 0, SJ_FIELD, "dropped %" PRIu64, st.kernel_drop + st.iface_drop);
	status_add(&r, 3, SJ_FIELD, "%.*f pkt/s", rate < 100 ? 1 : 0, rate);
	status_add(&r, 2, SJ_FIELD, "flows %" PRIu64, model_flows(m));
	status_store(t, &r);
	size_t ml = strlen(mode);
	int w = s->cols - (int)ml - 3;
	status_fit(&r, w, t->line, sizeof t->line);
	sink_put(s, 1, 0, w, t->line, ROLE_STATUS, true);
	sink_put(s, 1, w, 1, " ", ROLE_STATUS, true);
	sink_put(s, 1, w + 1, (int)ml + 2, mode, (m->capture_error ? ROLE_ERROR : ROLE_HEADER) | SM_BOLD, true);
}

const struct pane_class pane_status = { .draw = status_draw };
