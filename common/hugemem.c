/* hugemem.c — zeroed memory on 2 MiB boundaries in transparent huge pages where the kernel has them. */
#include "common/hugemem.h"

#include <stdint.h>
#include <sys/mman.h>

/* Whole huge pages: an allocation is mapped and unmapped in them. */
static size_t hugemem_round(size_t n)
{
	return (n + HUGEMEM_PAGE - 1) / HUGEMEM_PAGE * HUGEMEM_PAGE;
}

void *hugemem_alloc(size_t n)
{
	if (n == 0 || n > SIZE_MAX - 2 * (size_t)HUGEMEM_PAGE)
		return NULL;
	size_t len = hugemem_round(n);
	/* Map a huge page more than asked, then cut the ends so that what is left starts on a boundary. */
	uint8_t *m = mmap(NULL, len + HUGEMEM_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	uintptr_t a = ((uintptr_t)m + HUGEMEM_PAGE - 1) & ~(uintptr_t)(HUGEMEM_PAGE - 1);
	uint8_t *p = m + (a - (uintptr_t)m);
	if (p > m)
		munmap(m, (size_t)(p - m));
	if (m + len + HUGEMEM_PAGE > p + len)
		munmap(p + len, (size_t)(m + len + HUGEMEM_PAGE - (p + len)));
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

void hugemem_free(void *p, size_t n)
{
	if (p)
		munmap(p, hugemem_round(n));
}
