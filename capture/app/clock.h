/* clock.h — the two clocks the run loops read: monotonic milliseconds (timeouts) and wall-clock nanoseconds (call times). */
#ifndef SYNWATCH_CLOCK_H
#define SYNWATCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CLOCK_REALTIME, as the socket calls' and the packets' timestamps are. */
static inline int64_t clock_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
