/* grow.h — an array grown to hold an index, its new slots zeroed: the chunk directories of the panel's packet store and its flow snapshots. */
#ifndef SYNWATCH_GROW_H
#define SYNWATCH_GROW_H

#include <stddef.h>

/* The array a of *cap elements of elem bytes, grown (doubling from first_cap) so that index k fits, the
   new elements zeroed and *cap updated: the array to use from now on; NULL when out of memory (a and
   *cap are then as they were). a itself when k already fits. */
void *grow_zeroed(void *a, size_t *cap, size_t k, size_t first_cap, size_t elem);

#endif
