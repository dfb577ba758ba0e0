/* test_tui_keys.c — the panel's key table: one action per key, names, the footer's function keys, README's table. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_keys.h"

static void test_each_key_dispatches_to_the_one_action_it_is_listed_for(void)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		int keys[8];
		size_t n = keys_of((enum tui_action)a, keys, 8);
		CU_ASSERT(n >= 1); /* every action has a key */
		for (size_t i = 0; i < n; i++)
			CU_ASSERT_EQUAL(keys_action(keys[i]), a); /* a key listed twice would go to the first only */
	}
	CU_ASSERT_EQUAL(keys_action('/'), ACT_FILTER);
	CU_ASSERT_EQUAL(keys_action(TK_F(4)), ACT_FILTER);
	CU_ASSERT_EQUAL(keys_action('\r'), ACT_OPEN);
	CU_ASSERT_EQUAL(keys_action('\n'), ACT_OPEN);
	CU_ASSERT_EQUAL(keys_action(TK_ESC), ACT_BACK);
	CU_ASSERT_EQUAL(keys_action('Q'), ACT_QUIT);
	CU_ASSERT_EQUAL(keys_action('x'), ACT_NONE);
	CU_ASSERT_EQUAL(keys_action(0), ACT_NONE);
	CU_ASSERT_EQUAL(keys_action(TK_OTHER), ACT_NONE);
}

static void test_key_names_as_help_and_hints_write_them(void)
{
	char b[16];
	CU_ASSERT_STRING_EQUAL(keys_name(TK_CTRL('l'), b, sizeof b), "Ctrl-L");
	CU_ASSERT_STRING_EQUAL(keys_name(' ', b, sizeof b), "space");
	CU_ASSERT_STRING_EQUAL(keys_name(TK_F(10), b, sizeof b), "F10");
	CU_ASSERT_STRING_EQUAL(keys_name(TK_BTAB, b, sizeof b), "S-Tab");
	CU_ASSERT_STRING_EQUAL(keys_name('/', b, sizeof b), "/");
	CU_ASSERT_STRING_EQUAL(keys_first(ACT_OPEN, b, sizeof b), "Enter");
	CU_ASSERT_STRING_EQUAL(keys_first(ACT_BACK, b, sizeof b), "Esc");
	char label[64];
	CU_ASSERT_STRING_EQUAL(keys_row_label(0, label, sizeof label), "Up k / Down j");
	/* Enter is three codes ('\r', '\n', KEY_ENTER) and one name. */
	bool enter = false;
	for (size_t r = 0; r < keys_rows(); r++)
		enter = enter || strcmp(keys_row_label(r, label, sizeof label), "Enter") == 0;
	CU_ASSERT_TRUE(enter);
}

static void test_footer_lists_the_function_keys_in_order(void)
{
	struct key_hint h[16];
	size_t n = keys_footer(h, 16);
	char line[256] = "";
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, h[i].key);
		strcat(line, h[i].word);
	}
	CU_ASSERT_STRING_EQUAL(line, "F1Help F2Save F4Filter F5Pause F6Follow F7Slower F8Faster F9Clear F10Quit");
	for (size_t i = 0; i < n; i++) /* each hint's key does what the word says */
		CU_ASSERT_NOT_EQUAL(keys_action(TK_F(atoi(h[i].key + 1))), ACT_NONE);
}

/* README.md's key table: the lines from "| key | action |" to the first line not starting with "|". */
static char *readme_table(void)
{
	FILE *f = fopen("README.md", "r");
	if (!f)
		return NULL;
	static char out[16384];
	char line[1024];
	size_t used = 0;
	bool in = false;
	out[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		if (!in && strcmp(line, "| key | action |\n") == 0)
			in = true;
		if (in && line[0] != '|')
			break;
		if (in && used + strlen(line) < sizeof out) {
			memcpy(out + used, line, strlen(line) + 1);
			used += strlen(line);
		}
	}
	fclose(f);
	return out;
}

static void test_readme_key_table_is_the_programs(void)
{
	char *readme = readme_table();
	CU_ASSERT_PTR_NOT_NULL_FATAL(readme); /* the runner runs from the repository's root */
	static char want[16384];
	size_t n = keys_markdown(want, sizeof want);
	CU_ASSERT(n < sizeof want);
	if (strcmp(readme, want) != 0)
		printf("\nREADME.md's key table differs from the program's; it should read:\n%s", want);
	CU_ASSERT_STRING_EQUAL(readme, want);
}

int register_test_tui_keys(void)
{
	CU_pSuite s = CU_add_suite("tui_keys", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "each key dispatches to the one action it is listed for",
			 test_each_key_dispatches_to_the_one_action_it_is_listed_for) ||
	    !CU_add_test(s, "key names as help and hints write them", test_key_names_as_help_and_hints_write_them) ||
	    !CU_add_test(s, "footer lists the function keys in order", test_footer_lists_the_function_keys_in_order) ||
	    !CU_add_test(s, "README's key table is the program's", test_readme_key_table_is_the_programs))
		return -1;
	return 0;
}
