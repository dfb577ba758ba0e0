/* events.h — sockdemo's --events file: one JSON line per socket call, appended with one write() each. */
#ifndef SOCKDEMO_EVENTS_H
#define SOCKDEMO_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

/* Opens FILE for appending (O_APPEND|O_CREAT) or "-" for stdout; -1 with a message on failure. */
int events_open(const char *path);
/* Writes one complete line with a single write(); false (after a message) if it could not. */
bool events_write(int fd, const char *line, size_t len);

#endif
