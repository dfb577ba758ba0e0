/* count.h — COUNT(a): the number of elements of the array a (an array, never a pointer). */
#ifndef SYNWATCH_COUNT_H
#define SYNWATCH_COUNT_H

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
