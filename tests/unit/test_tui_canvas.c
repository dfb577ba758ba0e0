/* test_tui_canvas.c — the graph pane's cells: braille dots to characters, ASCII glyphs, marks over dots, each style's pattern, the legend's samples. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_canvas.h"

/* Cell (col, row) as text. */
static const char *cell(const struct canvas *c, int col, int row)
{
	static char t[CANVAS_TEXT];
	canvas_cell_text(c, col, row, t);
	return t;
}

static void test_each_braille_dot_sets_its_own_bit_of_u2800(void)
{
	struct canvas c = { 0 };
	CU_ASSERT_TRUE_FATAL(canvas_resize(&c, 2, 1, true));
	CU_ASSERT_EQUAL(canvas_dots_wide(&c), 4);
	CU_ASSERT_EQUAL(canvas_dots_high(&c), 4);
	/* Unicode's dot numbering: 1, 2, 3, 7 down the left column; 4, 5, 6, 8 down the right. */
	static const struct {
		int x, y;
		const char *utf8;
	} one[] = {
		{ 0, 0, "\xe2\xa0\x81" }, /* U+2801 dot 1 */
		{ 0, 1, "\xe2\xa0\x82" }, /* U+2802 dot 2 */
		{ 0, 2, "\xe2\xa0\x84" }, /* U+2804 dot 3 */
		{ 0, 3, "\xe2\xa1\x80" }, /* U+2840 dot 7 */
		{ 1, 0, "\xe2\xa0\x88" }, /* U+2808 dot 4 */
		{ 1, 1, "\xe2\xa0\x90" }, /* U+2810 dot 5 */
		{ 1, 2, "\xe2\xa0\xa0" }, /* U+2820 dot 6 */
		{ 1, 3, "\xe2\xa2\x80" }, /* U+2880 dot 8 */
	};
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
		canvas_clear(&c);
		canvas_dot(&c, one[i].x, one[i].y, GST_SEG);
		CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), one[i].utf8);
		CU_ASSERT_STRING_EQUAL(cell(&c, 1, 0), " "); /* the neighbour stays empty */
	}
	canvas_clear(&c);
	for (int y = 0; y < 4; y++)
		for (int x = 2; x < 4; x++)
			canvas_dot(&c, x, y, GST_SEG);
	CU_ASSERT_STRING_EQUAL(cell(&c, 1, 0), "\xe2\xa3\xbf"); /* U+28FF: all eight, in the second cell */
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), " ");
	canvas_dot(&c, 4, 0, GST_SEG); /* outside: nothing, no crash */
	canvas_dot(&c, -1, 0, GST_SEG);
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), " ");
	canvas_free(&c);
}

static void test_device_coordinates_land_in_the_cell_that_holds_them(void)
{
	struct canvas c = { 0 };
	CU_ASSERT_TRUE_FATAL(canvas_resize(&c, 10, 5, true)); /* 20 x 20 dots */
	CU_ASSERT_EQUAL(canvas_col(&c, 0), 0);
	CU_ASSERT_EQUAL(canvas_col(&c, 1.99), 0);
	CU_ASSERT_EQUAL(canvas_col(&c, 2.0), 1);
	CU_ASSERT_EQUAL(canvas_col(&c, 20.0), 9); /* the far edge is the last cell */
	CU_ASSERT_EQUAL(canvas_col(&c, -3), 0);
	CU_ASSERT_EQUAL(canvas_row(&c, 3.99), 0);
	CU_ASSERT_EQUAL(canvas_row(&c, 4.0), 1);
	CU_ASSERT_EQUAL(canvas_row(&c, 20.0), 4);
	/* A vertical bar one dot wide from y 2.5 to 9.2: dots 2..9, cells of rows 0, 1 and 2. */
	canvas_box(&c, GST_SEG, 6.4, 2.5, 6.4, 9.2);
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 0), "\xe2\xa1\x84"); /* U+2844: dots 3 and 7 (y 2, 3) */
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 1), "\xe2\xa1\x87"); /* U+2847: the whole left column (y 4..7) */
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 2), "\xe2\xa0\x83"); /* U+2803: dots 1 and 2 (y 8, 9) */
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 3), " ");
	CU_ASSERT_STRING_EQUAL(cell(&c, 2, 1), " ");
	canvas_free(&c);
}

static void test_marks_take_the_cell_and_the_most_important_one_wins(void)
{
	struct canvas c = { 0 };
	CU_ASSERT_TRUE_FATAL(canvas_resize(&c, 3, 1, true));
	canvas_box(&c, GST_SEG, 0, 0, 0, 4);
	canvas_mark(&c, GST_DUPACK, 0.5, 1);
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "D"); /* the letter, not the bar's dots */
	canvas_mark(&c, GST_RST, 1.5, 3);
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "X"); /* RST outranks a duplicate ACK */
	canvas_mark(&c, GST_SYN, 0, 0);
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "X"); /* and stays */
	CU_ASSERT_EQUAL(canvas_cell_text(&c, 0, 0, (char[CANVAS_TEXT]){ 0 }), GST_RST);
	canvas_mark(&c, GST_SEG_RETX, 6, 4); /* the far corner: the last cell */
	CU_ASSERT_STRING_EQUAL(cell(&c, 2, 0), "R");
	CU_ASSERT_EQUAL(canvas_cell_text(&c, 1, 0, (char[CANVAS_TEXT]){ 0 }), -1);
	canvas_free(&c);
}

static void test_ascii_cells_show_the_glyph_of_the_most_important_style(void)
{
	struct canvas c = { 0 };
	CU_ASSERT_TRUE_FATAL(canvas_resize(&c, 4, 2, false)); /* one dot a cell */
	CU_ASSERT_EQUAL(canvas_dots_wide(&c), 4);
	canvas_line(&c, GST_ACK, 0, 1, 3, 1);
	canvas_line(&c, GST_RWND, 0, 0, 3, 0);
	canvas_box(&c, GST_SEG, 2, 0, 2, 2);
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 1), "_");
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "=");  /* ASCII lines are solid: the glyph says which */
	CU_ASSERT_STRING_EQUAL(cell(&c, 1, 0), "=");
	CU_ASSERT_STRING_EQUAL(cell(&c, 2, 1), "|");  /* a segment over the ACK line */
	CU_ASSERT_STRING_EQUAL(cell(&c, 2, 0), "|");  /* and over the window */
	CU_ASSERT_EQUAL(canvas_cell_text(&c, 2, 1, (char[CANVAS_TEXT]){ 0 }), GST_SEG);
	canvas_mark(&c, GST_ZEROWIN, 3, 1);
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 1), "Z");
	canvas_free(&c);
}

static void test_lines_keep_their_pattern_so_meaning_never_rests_on_colour(void)
{
	struct canvas c = { 0 };
	CU_ASSERT_TRUE_FATAL(canvas_resize(&c, 4, 1, true));
	canvas_line(&c, GST_ACK, 0, 2, 7, 2); /* solid: both dots of row 2 in each cell */
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "\xe2\xa0\xa4");
	CU_ASSERT_STRING_EQUAL(cell(&c, 3, 0), "\xe2\xa0\xa4");
	canvas_clear(&c);
	canvas_line(&c, GST_RWND, 0, 2, 7, 2); /* dotted: every other dot */
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "\xe2\xa0\x84");
	CU_ASSERT_STRING_EQUAL(cell(&c, 1, 0), "\xe2\xa0\x84");
	canvas_clear(&c);
	canvas_box(&c, GST_SACK, 0, 0, 0, 4); /* a SACK block: a dotted bar */
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "\xe2\xa0\x85");
	canvas_clear(&c);
	canvas_box(&c, GST_SEG, 0, 0, 0, 4); /* a segment: a solid bar */
	CU_ASSERT_STRING_EQUAL(cell(&c, 0, 0), "\xe2\xa1\x87");
	canvas_free(&c);
}

static void test_legend_samples_are_drawn_by_the_same_rules(void)
{
	char s[CANVAS_TEXT];
	canvas_sample(true, GST_SEG, s);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\xa1\x87"); /* ⡇ */
	canvas_sample(true, GST_ACK, s);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\xa0\xa4\xe2\xa0\xa4\xe2\xa0\xa4"); /* ⠤⠤⠤ */
	canvas_sample(true, GST_RWND, s);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\xa0\x84\xe2\xa0\x84\xe2\xa0\x84"); /* ⠄⠄⠄ */
	canvas_sample(true, GST_CWND, s);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\xa0\x84\xe2\xa0\xa4\xe2\xa0\x84"); /* ⠄⠤⠄ dashed */
	canvas_sample(true, GST_SEG_RETX, s);
	CU_ASSERT_STRING_EQUAL(s, "R");
	canvas_sample(true, GST_BYTES, s);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\xa3\xbf"); /* ⣿ */
	canvas_sample(false, GST_SEG, s);
	CU_ASSERT_STRING_EQUAL(s, "|");
	canvas_sample(false, GST_RWND, s);
	CU_ASSERT_STRING_EQUAL(s, "===");
	canvas_sample(false, GST_INFLIGHT, s);
	CU_ASSERT_STRING_EQUAL(s, "o");
	/* Every style has a sample, and no two that mean different things look alike. */
	for (int b = 0; b < 2; b++)
		for (int i = 0; i < GST_COUNT; i++) {
			char a[CANVAS_TEXT], o[CANVAS_TEXT];
			canvas_sample(b, (enum graph_style)i, a);
			CU_ASSERT(strlen(a) > 0 && strcmp(a, " ") != 0);
			for (int j = i + 1; j < GST_COUNT; j++) {
				canvas_sample(b, (enum graph_style)j, o);
				if (!strcmp(a, o))
					printf("\nsamples alike: %d %d (%s)\n", i, j, a);
				CU_ASSERT(strcmp(a, o) != 0);
			}
		}
}

int register_test_tui_canvas(void)
{
	CU_pSuite s = CU_add_suite("tui_canvas", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "each braille dot sets its own bit of U+2800", test_each_braille_dot_sets_its_own_bit_of_u2800) ||
	    !CU_add_test(s, "device coordinates land in the cell that holds them",
			 test_device_coordinates_land_in_the_cell_that_holds_them) ||
	    !CU_add_test(s, "marks take the cell and the most important one wins",
			 test_marks_take_the_cell_and_the_most_important_one_wins) ||
	    !CU_add_test(s, "ASCII cells show the glyph of the most important style",
			 test_ascii_cells_show_the_glyph_of_the_most_important_style) ||
	    !CU_add_test(s, "lines keep their pattern so meaning never rests on colour",
			 test_lines_keep_their_pattern_so_meaning_never_rests_on_colour) ||
	    !CU_add_test(s, "legend samples are drawn by the same rules", test_legend_samples_are_drawn_by_the_same_rules))
		return -1;
	return 0;
}
