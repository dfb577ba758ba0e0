/* pane_prompt.c — the footer's line editor: the view filter (BPF), the file the shown packets are saved to, go-to, a line for the traced program. */
#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode/decode.h"
#include "tui/tui_panel.h"

unsigned prompt_start(struct tui *t, enum prompt kind)
{
	struct prompt_pane *pr = &t->prompt;
	pr->kind = kind;
	if (kind == PR_FILTER) {
		snprintf(pr->input, sizeof pr->input, "%s", *pr->rejected ? pr->rejected : t->m.vf_text);
	} else if (kind == PR_GOTO || kind == PR_PROGRAM) {
		pr->input[0] = '\0';
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(pr->input, sizeof pr->input, "synwatch-%Y%m%d-%H%M%S.pcap", &tm);
	}
	t->footer.msg[0] = '\0';
	return D_FOOTER;
}

/* The view filter from the prompt: an invalid one is refused (and offered again), the old one stays. */
static unsigned prompt_filter(struct tui *t, const char *expr)
{
	struct tui_model *m = &t->m;
	char err[512], k[16];
	if (!model_set_filter(m, expr, err, sizeof err)) {
		snprintf(t->prompt.rejected, sizeof t->prompt.rejected, "%s", expr);
		return tui_message(t, true, "invalid filter: %s; kept %s%s%s (%s edits it again)", err,
				   *m->vf_text ? "\"" : "no filter", m->vf_text, *m->vf_text ? "\"" : "",
				   keys_first(ACT_FILTER, k, sizeof k));
	}
	t->prompt.rejected[0] = '\0';
	reader_kick(&t->rd); /* its pass runs on the reader's thread */
	unsigned f = list_refilter(t);
	if (!*expr)
		return f | tui_message(t, false, "view filter cleared: all %zu packets shown", model_visible(m));
	t->prompt.report = true; /* the count when its pass is done */
	return f | tui_message(t, false, "view filter \"%s\": looking at every packet...", expr);
}

/*
 * When path's directory refuses the user synwatch now runs as (it drops root after opening the capture,
 * -Z): that user's name in *user and a place it can write in *alt; false otherwise.
 */
static bool save_denied(const char *path, char *user, size_t ulen, char *alt, size_t alen)
{
	char dir[512], base[512];
	snprintf(dir, sizeof dir, "%s", path);
	snprintf(base, sizeof base, "%s", path);
	if (access(dirname(dir), W_OK) == 0 || errno != EACCES)
		return false;
	const struct passwd *pw = getpwuid(geteuid());
	if (pw)
		snprintf(user, ulen, "%s", pw->pw_name);
	else
		snprintf(user, ulen, "uid %u", (unsigned)geteuid());
	const char *tmp = getenv("TMPDIR");
	snprintf(alt, alen, "%s/%s", tmp && *tmp && access(tmp, W_OK) == 0 ? tmp : "/tmp", basename(base));
	return true;
}

/* The packets the list shows, to a pcap file. */
static unsigned prompt_save(struct tui *t, const char *path)
{
	if (!*path)
		return tui_message(t, true, "save: no file name given; nothing written");
	char why[320];
	size_t n, other;
	int linktype;
	switch (model_save(&t->m, path, t->list.lv.count, &n, &other, &linktype, why, sizeof why)) {
	case -1: {
		char user[64], alt[600];
		if (save_denied(path, user, sizeof user, alt, sizeof alt))
			return tui_message(t, true, "save: %s: synwatch runs as %s now (it gave up root after opening the capture), "
						    "which may not write there; save as %s, or start with -Z USER",
					   path, user, alt);
		return tui_message(t, true, "save: cannot write %s: %s; choose another name", path, why);
	}
	case -2:
		return tui_message(t, true, "save: writing %s failed (disk full?); the file is incomplete", path);
	default:
		if (other) {
			const char *lt = linktype_name(linktype);
			return tui_message(t, false, "saved %zu %s packets to %s; %zu of other link types left out (a pcap file holds one)",
					   n, lt ? lt : "", path, other);
		}
		return tui_message(t, false, "saved %zu packets to %s", n, path);
	}
}

/* A time typed at the go-to prompt: "+2.5" seconds after the first packet, or a time of day "12:00:03.5" on
   the first packet's day (local time). False when it is neither. */
static bool prompt_time(struct tui *t, const char *in, int64_t *ns)
{
	char *end;
	if (in[0] == '+') {
		double sec = strtod(in + 1, &end);
		if (end == in + 1 || *end || sec < 0 || !t->m.have_t0)
			return false;
		*ns = t->m.t0 + (int64_t)(sec * 1e9);
		return true;
	}
	unsigned hh, mm;
	double ss;
	int used = 0;
	if (sscanf(in, "%u:%u:%lf%n", &hh, &mm, &ss, &used) != 3 || in[used] || hh > 23 || mm > 59 || ss < 0 ||
	    ss >= 61 || !t->m.have_t0)
		return false;
	time_t day = (time_t)(t->m.t0 / 1000000000LL);
	struct tm tm;
	localtime_r(&day, &tm);
	tm.tm_hour = (int)hh;
	tm.tm_min = (int)mm;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t base = mktime(&tm);
	*ns = (int64_t)base * 1000000000LL + (int64_t)(ss * 1e9);
	return true;
}

/* Go to packet N or to a time: the list selects it (or the first shown after it). */
static unsigned prompt_goto(struct tui *t, const char *in)
{
	struct tui_model *m = &t->m;
	char *end;
	unsigned long long n = strtoull(in, &end, 10);
	uint64_t row;
	char what[600];
	if (*in && in[0] != '+' && in[0] != '-' && !*end) {
		row = model_packet_row(m, n);
		snprintf(what, sizeof what, "packet %llu", n);
		if (row == STORE_NONE) {
			if (n >= 1 && n < store_packet_number(m->st, store_first(m->st)))
				return tui_message(t, true, "packet %llu is no longer held (the spool let it go); the oldest is %llu", n,
						   (unsigned long long)store_packet_number(m->st, store_first(m->st)));
			return tui_message(t, true, "no packet %llu shown%s: %zu rows so far", n,
					   m->ended ? "" : " yet", model_visible(m));
		}
	} else {
		int64_t ns;
		if (!prompt_time(t, in, &ns))
			return tui_message(t, true, "go to: \"%s\" is neither a packet number, a time of day (12:00:03.5) nor +SECONDS", in);
		row = model_time_row(m, ns);
		snprintf(what, sizeof what, "time %s", in);
		if (row == STORE_NONE)
			return tui_message(t, true, "no packet at or after %s shown%s", in, m->ended ? "" : " yet");
	}
	t->ladder.driven = false;
	unsigned f = list_select_row(t, row) | tui_focus_pane(t, PANE_LIST);
	size_t i;
	if (!model_shown_find(m, row, &i))
		f |= tui_message(t, false, "%s is hidden by the view filter: the next one shown is selected", what);
	return f;
}

static void prompt_help(struct tui *t, char *buf, size_t size)
{
	char k[16];
	keys_first(ACT_BACK, k, sizeof k);
	if (t->prompt.kind == PR_PROGRAM)
		snprintf(buf, size, "Type to %s (Enter sends the line, %s cancels): ", t->o->program ? t->o->program->name : "",
			 k);
	else if (t->prompt.kind == PR_GOTO)
		snprintf(buf, size, "Go to packet N, or HH:MM:SS[.frac], or +SECONDS (%s cancels): ", k);
	else if (t->prompt.kind == PR_FILTER)
		snprintf(buf, size, "Filter (BPF, empty: all, %s cancels): ", k);
	else
		snprintf(buf, size, "Save shown packets to (%s cancels): ", k);
}

static void prompt_draw(struct tui *t, struct tui_sink *s, int y, int h)
{
	(void)h;
	char label[128];
	prompt_help(t, label, sizeof label);
	snprintf(t->line, sizeof t->line, "%s%s", label, t->prompt.input);
	int len = (int)strlen(t->line);
	int x0 = len >= s->cols ? s->cols - 1 - len : 0; /* keep the cursor end visible */
	sink_line(s, y, x0 < 0 ? t->line - x0 : t->line, SM_BOLD);
	s->cursor(s, y, len + x0 < s->cols ? len + x0 : s->cols - 1);
}

/* Editing: Enter takes the text, Esc drops it; Backspace, Ctrl-U (all), Ctrl-W (the last word). */
static unsigned prompt_key(struct tui *t, enum tui_action act, int key)
{
	struct prompt_pane *pr = &t->prompt;
	size_t len = strlen(pr->input);
	if (act == ACT_BACK) {
		pr->kind = PR_NONE;
	} else if (act == ACT_OPEN) {
		enum prompt kind = pr->kind;
		char text[sizeof pr->input];
		pr->kind = PR_NONE;
		snprintf(text, sizeof text, "%s", pr->input);
		return D_FOOTER | (kind == PR_FILTER ? prompt_filter(t, text)
				   : kind == PR_GOTO ? prompt_goto(t, text)
				   : kind == PR_PROGRAM ? program_send(t, text)
							: prompt_save(t, text));
	} else if (key == TK_BACKSPACE || key == 127 || key == 8) {
		if (len)
			pr->input[len - 1] = '\0';
	} else if (key == TK_CTRL('u')) {
		pr->input[0] = '\0';
	} else if (key == TK_CTRL('w')) {
		while (len && pr->input[len - 1] == ' ')
			pr->input[--len] = '\0';
		while (len && pr->input[len - 1] != ' ')
			pr->input[--len] = '\0';
	} else if (key >= 32 && key < 127 && len + 1 < sizeof pr->input) {
		pr->input[len] = (char)key;
		pr->input[len + 1] = '\0';
	}
	return D_FOOTER;
}

const struct pane_class pane_prompt = { .draw = prompt_draw, .key = prompt_key, .help = prompt_help };
