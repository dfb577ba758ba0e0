/* wrap.h — breaking text into lines of a number of columns at spaces (UTF-8 counted as one column a character). */
#ifndef SYNWATCH_WRAP_H
#define SYNWATCH_WRAP_H

#include <stddef.h>

/* The bytes of p's next line at `room` columns: all of p when it fits, else up to the last space that
   fits, else a hard break at room. The next line starts after the spaces that follow. */
size_t wrap_take(const char *p, int room);

#endif
