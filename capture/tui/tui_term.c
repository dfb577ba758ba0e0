/* tui_term.c — the terminal: curses set-up and restore (at exit, on signals too), colours, keys, the screen sink. */
#include "tui/tui_term.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* Colour pairs. */
enum {
	CP_STATUS = 1, CP_HEADER, CP_SEL, CP_SYN, CP_FIN, CP_RST, CP_RETRANS, CP_ICMPERR, CP_UDP, CP_ICMP, CP_BAD,
	CP_CLIENT, CP_SERVER, CP_KEY, CP_ERROR, CP_TITLE,
};

/* How each role looks: a colour pair with extra attributes, or attributes alone without colour. */
static const struct {
	short pair;               /* 0: the terminal's default colours */
	attr_t extra;             /* added to the pair */
	attr_t plain;             /* without colour */
} roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = { 0, A_NORMAL, A_NORMAL },
	[ROLE_STATUS] = { CP_STATUS, 0, A_REVERSE },
	[ROLE_HEADER] = { CP_HEADER, 0, A_REVERSE },
	[ROLE_TITLE] = { CP_TITLE, 0, A_REVERSE | A_DIM },
	[ROLE_SEL] = { CP_SEL, 0, A_REVERSE },
	[ROLE_KEY] = { CP_KEY, 0, A_REVERSE },
	[ROLE_ERROR] = { CP_ERROR, 0, A_REVERSE },
	[ROLE_ERROR_TEXT] = { CP_ERROR, 0, A_BOLD },
	[ROLE_CLIENT] = { CP_CLIENT, 0, A_NORMAL },
	[ROLE_SERVER] = { CP_SERVER, 0, A_BOLD },
	[ROLE_ROW + RC_TCP] = { 0, A_NORMAL, A_NORMAL },
	[ROLE_ROW + RC_UDP] = { CP_UDP, 0, A_NORMAL },
	[ROLE_ROW + RC_ICMP] = { CP_ICMP, 0, A_NORMAL },
	[ROLE_ROW + RC_OTHER] = { 0, A_NORMAL, A_NORMAL },
	[ROLE_ROW + RC_SYN] = { CP_SYN, 0, A_BOLD },
	[ROLE_ROW + RC_FIN] = { CP_FIN, 0, A_BOLD },
	[ROLE_ROW + RC_RST] = { CP_RST, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_ROW + RC_RETRANS] = { CP_RETRANS, A_BOLD, A_UNDERLINE },
	[ROLE_ROW + RC_ICMP_ERR] = { CP_ICMPERR, 0, A_BOLD | A_UNDERLINE },
	[ROLE_ROW + RC_BAD] = { CP_BAD, 0, A_DIM },
};

static volatile sig_atomic_t term_stop_sig; /* the signal that asked us to stop, 0 while running */
static bool term_active;                    /* endwin() is owed */
static const int term_sigs[3] = { SIGINT, SIGTERM, SIGHUP };

static void term_on_signal(int sig)
{
	term_stop_sig = sig;
}

static void term_atexit(void)
{
	if (term_active) {
		endwin();
		term_active = false;
	}
}

int term_stop_signal(void)
{
	return term_stop_sig;
}

bool term_usable(void)
{
	const char *term = getenv("TERM");
	return term && *term && strcmp(term, "dumb") != 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void term_colors_init(struct tui_term *tm, bool no_color)
{
	const char *nc = getenv("NO_COLOR");
	tm->color = !no_color && !(nc && *nc) && has_colors();
	if (!tm->color)
		return;
	start_color();
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	init_pair(CP_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_HEADER, COLOR_BLACK, COLOR_GREEN);
	init_pair(CP_SEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_SYN, COLOR_GREEN, bg);
	init_pair(CP_FIN, COLOR_YELLOW, bg);
	init_pair(CP_RST, COLOR_WHITE, COLOR_RED);
	init_pair(CP_RETRANS, COLOR_RED, bg);
	init_pair(CP_ICMPERR, COLOR_BLACK, COLOR_YELLOW);
	init_pair(CP_UDP, COLOR_CYAN, bg);
	init_pair(CP_ICMP, COLOR_MAGENTA, bg);
	init_pair(CP_BAD, COLOR_RED, bg);
	init_pair(CP_CLIENT, COLOR_RED, bg);
	init_pair(CP_SERVER, COLOR_BLUE, bg);
	init_pair(CP_KEY, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(CP_TITLE, COLOR_BLACK, COLOR_WHITE);
}

/* A style's curses attributes. */
static attr_t term_attr(const struct tui_term *tm, unsigned style)
{
	unsigned role = style & STYLE_ROLE;
	if (role >= ROLE_COUNT)
		role = ROLE_NORMAL;
	attr_t a = tm->color ? (attr_t)COLOR_PAIR(roles[role].pair) | roles[role].extra : roles[role].plain;
	if (style & SM_BOLD)
		a |= A_BOLD;
	if (style & SM_UNDERLINE)
		a |= A_UNDERLINE;
	if (style & SM_DIM)
		a |= A_DIM;
	return a;
}

/* The sink's put: text at (y, x) in at most w columns (multibyte aware, never wrapping). */
static void term_put(struct tui_sink *s, int y, int x, int w, const char *text, unsigned style, bool pad)
{
	const struct tui_term *tm = s->arg;
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset(term_attr(tm, style));
	move(y, x);
	int col = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	const char *p = text;
	size_t left = strlen(text);
	while (left && col < w) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) { /* not valid here: show one byte as '?' */
			memset(&st, 0, sizeof st);
			addch('?');
			col++;
			p++;
			left--;
			continue;
		}
		if (n == 0)
			break;
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (col + cw > w)
			break;
		addnstr(p, (int)n);
		col += cw;
		p += n;
		left -= n;
	}
	if (pad)
		for (; col < w; col++)
			addch(' ');
	attr_set(old_attr, old_pair, NULL);
}

static void term_clear(struct tui_sink *s)
{
	(void)s;
	erase();
}

static void term_cursor(struct tui_sink *s, int y, int x)
{
	(void)s;
	move(y, x);
}

bool term_open(struct tui_term *tm, bool no_color)
{
	memset(tm, 0, sizeof *tm);
	setlocale(LC_CTYPE, "");
	tm->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return false;
	tm->screen = scr;
	static bool atexit_done;
	if (!atexit_done && atexit(term_atexit) == 0)
		atexit_done = true;
	term_active = true;
	term_stop_sig = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(term_sigs[i], &sa, &tm->saved[i]);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	term_colors_init(tm, no_color);
	tm->sink.put = term_put;
	tm->sink.clear = term_clear;
	tm->sink.cursor = term_cursor;
	tm->sink.arg = tm;
	return true;
}

void term_close(struct tui_term *tm)
{
	endwin();
	delscreen(tm->screen);
	term_active = false;
	for (int i = 0; i < 3; i++)
		sigaction(term_sigs[i], &tm->saved[i], NULL);
}

/* A curses mouse event as the panel sees it. */
static void term_mouse(struct tui_mouse *m)
{
	MEVENT ev;
	m->what = MOUSE_NONE;
	if (getmouse(&ev) != OK)
		return;
	m->y = ev.y;
	m->x = ev.x;
#ifdef BUTTON5_PRESSED
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		m->what = (ev.bstate & BUTTON4_PRESSED) ? MOUSE_WHEEL_UP : MOUSE_WHEEL_DOWN;
		return;
	}
#endif
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED))
		m->what = MOUSE_CLICK;
}

int term_key(struct tui_term *tm, struct tui_mouse *mouse)
{
	(void)tm;
	int ch = getch();
	switch (ch) {
	case ERR:
		return -1;
	case KEY_UP:
		return TK_UP;
	case KEY_DOWN:
		return TK_DOWN;
	case KEY_PPAGE:
		return TK_PPAGE;
	case KEY_NPAGE:
		return TK_NPAGE;
	case KEY_HOME:
		return TK_HOME;
	case KEY_LEFT:
		return TK_LEFT;
	case KEY_RIGHT:
		return TK_RIGHT;
	case KEY_END:
		return TK_END;
	case KEY_BTAB:
		return TK_BTAB;
	case KEY_ENTER:
		return TK_ENTER;
	case KEY_BACKSPACE:
		return TK_BACKSPACE;
	case KEY_RESIZE:
		return TK_RESIZE;
	case KEY_MOUSE:
		term_mouse(mouse);
		return TK_MOUSE;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(63))
			return TK_F(ch - KEY_F0);
		return ch >= 0 && ch < 256 ? ch : TK_OTHER;
	}
}

struct tui_sink *term_sink(struct tui_term *tm)
{
	tm->sink.rows = LINES;
	tm->sink.cols = COLS;
	return &tm->sink;
}

void term_stage(struct tui_term *tm, bool cursor)
{
	(void)tm;
	curs_set(cursor ? 1 : 0);
	wnoutrefresh(stdscr);
}

void term_flush(struct tui_term *tm)
{
	(void)tm;
	doupdate();
}

void term_repaint(struct tui_term *tm)
{
	(void)tm;
	clearok(curscr, TRUE);
}
