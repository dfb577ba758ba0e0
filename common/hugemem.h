/* hugemem.h — zeroed memory on 2 MiB boundaries in transparent huge pages where the kernel has them: one page fault and one TLB entry for 2 MiB. */
#ifndef SYNWATCH_HUGEMEM_H
#define SYNWATCH_HUGEMEM_H

#include <stddef.h>

#define HUGEMEM_PAGE (2u << 20)

/*
 * n bytes, zeroed (fresh anonymous pages), starting on a 2 MiB boundary, with huge pages asked for over
 * them (only advice: the kernel may decline, and pages are still taken only when first touched). For
 * memory filled at a high rate from the start, as the panel's packet index and the spool's ring are: with
 * 4 KiB pages that is a page fault every 4 KiB, which in a virtual machine costs microseconds each.
 * NULL when out of memory. hugemem_free(p, n) with the same n gives it back.
 */
void *hugemem_alloc(size_t n);
void hugemem_free(void *p, size_t n);

#endif
