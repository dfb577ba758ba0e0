/* test_cursor.c — the bounds-checked cursor refuses every read past the captured bytes. */
#include <CUnit/CUnit.h>

#include "cursor.h"

static void test_reads_stop_exactly_at_end(void)
{
	const uint8_t b[7] = { 1, 2, 3, 4, 5, 6, 7 };
	struct cursor c = cursor_make(b, sizeof b);
	uint32_t v32 = 0;
	uint16_t v16 = 0;
	uint8_t v8 = 0;
	CU_ASSERT_TRUE(cursor_be32(&c, &v32));
	CU_ASSERT_EQUAL(v32, 0x01020304u);
	CU_ASSERT_TRUE(cursor_be16(&c, &v16));
	CU_ASSERT_EQUAL(v16, 0x0506);
	CU_ASSERT_FALSE(cursor_be16(&c, &v16)); /* one byte left */
	CU_ASSERT_EQUAL(cursor_left(&c), 1);     /* failed read did not move */
	CU_ASSERT_TRUE(cursor_u8(&c, &v8));
	CU_ASSERT_EQUAL(v8, 7);
	CU_ASSERT_FALSE(cursor_u8(&c, &v8));
	CU_ASSERT_FALSE(cursor_skip(&c, 1));
}

static void test_le32_reads_host_independent(void)
{
	const uint8_t b[4] = { 0x1e, 0, 0, 0 };
	struct cursor c = cursor_make(b, sizeof b);
	uint32_t v = 0;
	CU_ASSERT_TRUE(cursor_le32(&c, &v));
	CU_ASSERT_EQUAL(v, 30u);
}

static void test_sub_cursor_is_narrowed_and_clamped(void)
{
	const uint8_t b[10] = { 0 };
	struct cursor c = cursor_make(b, sizeof b);
	cursor_skip(&c, 4);
	struct cursor s = cursor_sub(&c, 3);
	CU_ASSERT_EQUAL(cursor_left(&s), 3);
	CU_ASSERT_EQUAL(cursor_left(&c), 6); /* parent untouched */
	struct cursor big = cursor_sub(&c, 100);
	CU_ASSERT_EQUAL(cursor_left(&big), 6); /* never wider than the parent */
}

int register_test_cursor(void)
{
	CU_pSuite s = CU_add_suite("cursor", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "reads stop exactly at the end", test_reads_stop_exactly_at_end) ||
	    !CU_add_test(s, "le32 reads independent of host order", test_le32_reads_host_independent) ||
	    !CU_add_test(s, "sub-cursor is narrowed and clamped", test_sub_cursor_is_narrowed_and_clamped))
		return -1;
	return 0;
}
