/* runner.c — CUnit runner: registers every tests/unit/test_NAME.c suite and prints one summary line. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

/* Each test file defines `int register_test_NAME(void)`, adding its suite; 0 on success. */
#define SUITE(fn) int fn(void);
#include "suites.h"
#undef SUITE

int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit: cannot initialise CUnit: %s\n", CU_get_error_msg());
		return 2;
	}
#define SUITE(fn)                                                                      \
	if (fn() != 0) {                                                               \
		fprintf(stderr, "unit: %s failed to register: %s\n", #fn, CU_get_error_msg()); \
		CU_cleanup_registry();                                                 \
		return 2;                                                              \
	}
#include "suites.h"
#undef SUITE
	/* `unit_tests -v` names every test as it runs. */
	CU_basic_set_mode(argc > 1 && strcmp(argv[1], "-v") == 0 ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();
	unsigned run = CU_get_number_of_tests_run();
	unsigned failed = CU_get_number_of_tests_failed();
	/* One line per failed assertion, so a log's tail (CI shows only that) names what failed. */
	for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext)
		printf("FAIL unit %s / %s: %s:%u: %s\n", f->pSuite ? f->pSuite->pName : "?",
		       f->pTest ? f->pTest->pName : "?", f->strFileName ? f->strFileName : "?", f->uiLineNumber,
		       f->strCondition ? f->strCondition : "?");
	printf("\nunit: %u passed, %u failed\n", run - failed, failed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
