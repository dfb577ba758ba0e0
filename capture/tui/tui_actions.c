/* tui_actions.c — a key's way through the panel (prompt, overlays, focused pane, actions); the shared selection. */
#include <stdio.h>
#include <string.h>

#include "tui/tui_panel.h"

/* ---------------------------------------------------------------- the panel's actions ---- */

const struct pane_class *tui_slot_pane(const struct tui *t, int slot)
{
	if (slot == PANE_FLOWS)
		return t->show_sockets ? &pane_sockets : &pane_flows;
	if (slot == PANE_LOWER)
		return t->lower == LOWER_LADDER ? &pane_ladder : t->lower == LOWER_GRAPH ? &pane_graph
		       : t->lower == LOWER_PROGRAM ? &pane_program : &pane_details;
	return &pane_list;
}

static unsigned act_next_pane(struct tui *t)
{
	return tui_focus_pane(t, (t->focus + 1) % PANE_COUNT);
}

static unsigned act_prev_pane(struct tui *t)
{
	return tui_focus_pane(t, (t->focus + PANE_COUNT - 1) % PANE_COUNT);
}

static unsigned act_details(struct tui *t)
{
	t->lower = LOWER_DETAILS;
	t->details.top = 0;
	return D_ALL;
}

static unsigned act_zoom(struct tui *t)
{
	t->zoom = t->zoom >= 0 ? -1 : t->focus;
	return D_ALL;
}

static unsigned act_back(struct tui *t)
{
	if (t->zoom < 0)
		return 0;
	t->zoom = -1;
	return D_ALL;
}

static unsigned act_filter(struct tui *t)
{
	return prompt_start(t, PR_FILTER);
}

static unsigned act_save(struct tui *t)
{
	return prompt_start(t, PR_SAVE);
}

static unsigned act_pause(struct tui *t)
{
	struct tui_model *m = &t->m;
	unsigned f = D_STATUS | D_LIST;
	model_set_paused(m, !m->paused);
	if (m->live && !m->paused) {
		lv_set_count(&t->list.lv, model_visible(m), tui_pane_rows(t, PANE_LIST));
		if (t->list.lv.follow)
			f |= tui_list_moved(t);
	}
	if (!m->live && m->ended && !m->paused)
		f |= tui_message(t, false, "end of the capture: nothing more to play");
	return f;
}

static unsigned act_step(struct tui *t)
{
	struct tui_model *m = &t->m;
	unsigned f = 0;
	if (!m->paused) {
		f |= act_pause(t);
		if (m->live)
			return f; /* the first step freezes the list */
	}
	if (t->footer.explain && t->footer.msg[0] && !t->footer.msg_err) { /* a hint gives way to the explanation */
		t->footer.msg[0] = '\0';
		f |= D_FOOTER;
	}
	t->list.lv.follow = true;
	t->ladder.driven = false;
	if (m->live) {
		char k[16];
		if (!model_step_live(m))
			f |= tui_message(t, false, "no new packet yet (capture continues; %s resumes)",
					 keys_first(ACT_PAUSE, k, sizeof k));
		lv_set_count(&t->list.lv, model_visible(m), tui_pane_rows(t, PANE_LIST));
		return f | tui_list_moved(t);
	}
	if (!model_step_file(m))
		f |= tui_message(t, false, m->ended ? "end of the capture" : "no packet indexed yet: step again");
	lv_set_count(&t->list.lv, model_visible(m), tui_pane_rows(t, PANE_LIST));
	lv_end(&t->list.lv, tui_pane_rows(t, PANE_LIST));
	return f | tui_list_moved(t) | D_STATUS;
}

static unsigned act_goto(struct tui *t)
{
	return prompt_start(t, PR_GOTO);
}

/* The row the selection stands on (the list's, or the ladder's when it leads), STORE_NONE for none. */
static uint64_t act_current_row(struct tui *t)
{
	uint64_t row;
	return tui_current(t, &row) ? row : STORE_NONE;
}

/* n / N: the next or previous packet passing the view filter, from the current one, into the list. */
static unsigned act_match(struct tui *t, bool next)
{
	struct tui_model *m = &t->m;
	uint64_t cur = act_current_row(t);
	if (cur == STORE_NONE)
		return tui_message(t, false, "no packet selected");
	size_t vis = model_visible(m), i = model_shown_lower_bound(m, cur);
	size_t at;
	bool on = model_shown_find(m, cur, &at);
	if (next)
		i = on ? at + 1 : i;
	else if (i == 0)
		i = vis;
	else
		i--;
	if (i >= vis)
		return tui_message(t, false, "no %s packet passes the view filter%s", next ? "later" : "earlier",
				   model_filter_progress(m) < 1 ? " yet (its pass goes on)" : "");
	t->ladder.driven = false;
	lv_select(&t->list.lv, i, tui_pane_rows(t, PANE_LIST));
	return tui_focus_pane(t, PANE_LIST) | tui_list_moved(t);
}

static unsigned act_next_match(struct tui *t)
{
	return act_match(t, true);
}

static unsigned act_prev_match(struct tui *t)
{
	return act_match(t, false);
}

/* ] / [: the next or previous packet of the selected packet's flow, in the list. */
static unsigned act_flow_step(struct tui *t, bool next)
{
	struct tui_model *m = &t->m;
	uint64_t cur;
	struct tui_pkt *p = tui_current(t, &cur);
	if (!p || !p->s.flow_id)
		return tui_message(t, false, "select a packet of a flow first");
	uint64_t id = p->s.flow_id;
	model_flow_index(m, id);
	const struct store_flowrows *fr = &m->flowpk;
	size_t k = store_flowrows_lower_bound(fr, cur);
	for (;;) {
		if (next)
			k = k < fr->count && fr->row[k] == cur ? k + 1 : k;
		else if (k == 0)
			return tui_message(t, false, "the first packet of flow %llu is selected", (unsigned long long)id);
		else
			k--;
		if (k >= fr->count)
			return tui_message(t, false, "the last packet of flow %llu shown so far is selected", (unsigned long long)id);
		size_t i;
		if (model_shown_find(m, fr->row[k], &i)) {
			t->ladder.driven = false;
			lv_select(&t->list.lv, i, tui_pane_rows(t, PANE_LIST));
			unsigned f = tui_list_moved(t);
			ladder_select_seq(t, fr->row[k]);
			return f;
		}
		cur = fr->row[k]; /* hidden by the view filter: on to the one after */
	}
}

static unsigned act_next_in_flow(struct tui *t)
{
	return act_flow_step(t, true);
}

static unsigned act_prev_in_flow(struct tui *t)
{
	return act_flow_step(t, false);
}

static unsigned act_speed(struct tui *t, bool faster)
{
	if (t->m.live) {
		struct session *s = t->m.session;
		double p;
		if (s && s->o.pace && s->o.pace(s->o.arg, faster, &p))
			return p > 0 ? tui_message(t, false, "classroom pace: sockdemo waits %.2f s before each socket call", p)
				     : tui_message(t, false, "classroom pace: sockdemo no longer waits between socket calls");
		return tui_message(t, false, "speed applies to replaying a file (-r), and to --classroom's scenarios");
	}
	char b[16];
	double s = model_speed(&t->m, faster);
	return tui_message(t, false, "replay speed %s", speed_str(s, b, sizeof b)) | D_STATUS;
}

static unsigned act_faster(struct tui *t)
{
	return act_speed(t, true);
}

static unsigned act_slower(struct tui *t)
{
	return act_speed(t, false);
}

static unsigned act_clear(struct tui *t)
{
	size_t calls, n = model_clear(&t->m, &calls);
	t->ladder.id = 0;
	graph_forget(t);
	t->ladder.driven = false;
	lv_init(&t->list.lv);
	lv_init(&t->ladder.lv);
	if (calls)
		return D_ALL | tui_message(t, false, "cleared %zu packets and %zu calls; flows idle since are hidden", n, calls);
	return D_ALL | tui_message(t, false, "cleared %zu packets; flows idle since are hidden", n);
}

static unsigned act_sockets(struct tui *t)
{
	if (!t->m.session || !session_shows_sockets(t->m.session))
		return tui_message(t, false, "the socket table needs --sockets (or --classroom, or a lesson that has it)");
	t->show_sockets = !t->show_sockets;
	return D_FLOWS | D_CLEAR;
}

static unsigned act_explain(struct tui *t)
{
	t->footer.explain = !t->footer.explain;
	return D_FOOTER;
}

/* The panel's own actions; moving and Enter belong to the focused pane, quitting and redrawing to tui_key. */
static unsigned (*const actions[ACT_COUNT])(struct tui *t) = {
	[ACT_NEXT_PANE] = act_next_pane, [ACT_PREV_PANE] = act_prev_pane, [ACT_DETAILS] = act_details,
	[ACT_ZOOM] = act_zoom, [ACT_BACK] = act_back, [ACT_FILTER] = act_filter, [ACT_SAVE] = act_save,
	[ACT_PAUSE] = act_pause, [ACT_STEP] = act_step, [ACT_FASTER] = act_faster, [ACT_SLOWER] = act_slower,
	[ACT_FOLLOW] = follow_open, [ACT_CLEAR] = act_clear, [ACT_SOCKETS] = act_sockets,
	[ACT_EXPLAIN] = act_explain, [ACT_HELP] = help_open, [ACT_GRAPH] = graph_open, [ACT_GOTO] = act_goto,
	[ACT_NEXT_MATCH] = act_next_match, [ACT_PREV_MATCH] = act_prev_match,
	[ACT_NEXT_IN_FLOW] = act_next_in_flow, [ACT_PREV_IN_FLOW] = act_prev_in_flow,
	[ACT_PROGRAM] = program_open, [ACT_TYPE] = program_type,
};

/* The graph's own keys (direction, cursor, pan, time zoom) work while the lower slot shows it, whichever
   pane has the focus; elsewhere they say how to open it. */
static bool graph_only(enum tui_action act)
{
	return act == ACT_GRAPH_DIR || act == ACT_LEFT || act == ACT_RIGHT || act == ACT_PAN_LEFT ||
	       act == ACT_PAN_RIGHT || act == ACT_TIME_IN || act == ACT_TIME_OUT;
}

/* ---------------------------------------------------------------- keys ---- */

/* A click selects (and focuses) what is under it; the wheel scrolls the pane under it. */
static unsigned tui_mouse(struct tui *t, const struct tui_mouse *m)
{
	if (m->what == MOUSE_NONE || t->ov != OV_NONE || t->lay.too_small)
		return 0;
	int slot = -1;
	for (int i = 0; i < PANE_COUNT; i++)
		if (t->lay.h[i] > 0 && m->y >= t->lay.y[i] && m->y < t->lay.y[i] + t->lay.h[i])
			slot = i;
	if (slot < 0)
		return 0;
	const struct pane_class *p = tui_slot_pane(t, slot);
	if (m->what != MOUSE_CLICK)
		return p->mouse ? p->mouse(t, 0, m->what == MOUSE_WHEEL_UP ? -1 : 1) : 0;
	unsigned f = t->focus != slot ? tui_focus_pane(t, slot) : 0;
	return f | (p->mouse ? p->mouse(t, m->y - t->lay.y[slot] - 1, 0) : 0);
}

unsigned tui_key(struct tui *t, int key, const struct tui_mouse *mouse)
{
	if (key == TK_RESIZE)
		return D_ALL;
	if (key == TK_MOUSE)
		return tui_mouse(t, mouse);
	enum tui_action act = keys_action(key);
	if (t->prompt.kind != PR_NONE)
		return pane_prompt.key(t, act, key);
	if (act == ACT_QUIT)
		return K_QUIT;
	if (act == ACT_REDRAW)
		return D_ALL | K_REPAINT;
	if (t->lay.too_small)
		return 0;
	if (t->ov == OV_HELP)
		return pane_help.key(t, act, key);
	if (t->ov == OV_FOLLOW) {
		unsigned f = pane_follow.key(t, act, key);
		if (!(f & K_PASS))
			return f;
	}
	const struct pane_class *p = tui_slot_pane(t, t->focus);
	if (p->key) {
		unsigned f = p->key(t, act, key);
		if (!(f & K_PASS))
			return f;
	}
	if (graph_only(act)) {
		char k[16];
		if (t->lower == LOWER_GRAPH)
			return pane_graph.key(t, act, key);
		return tui_message(t, false, "that key works in the graph: %s opens the graph of the selected TCP flow",
				   keys_first(ACT_GRAPH, k, sizeof k));
	}
	return actions[act] ? actions[act](t) : 0;
}
