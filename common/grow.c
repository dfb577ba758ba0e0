/* grow.c — an array grown to hold an index, its new slots zeroed (see grow.h). */
#include "common/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *grow_zeroed(void *a, size_t *cap, size_t k, size_t first_cap, size_t elem)
{
	if (k < *cap)
		return a;
	size_t n = *cap ? *cap * 2 : first_cap;
	while (n <= k)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return NULL;
	unsigned char *t = realloc(a, n * elem);
	if (!t)
		return NULL;
	memset(t + *cap * elem, 0, (n - *cap) * elem);
	*cap = n;
	return t;
}
