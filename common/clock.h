/* clock.h — the clocks: monotonic (timeouts, the panel's frames) and the wall clock that packets and socket calls are stamped with. */
#ifndef SYNWATCH_CLOCK_H
#define SYNWATCH_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC nanoseconds: for frame and replay timing (the panel). */
static inline int64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CLOCK_MONOTONIC milliseconds: for timeouts and intervals. */
static inline int64_t clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CLOCK_REALTIME nanoseconds since the Unix epoch, as pcap stamps packets. */
static inline int64_t clock_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CLOCK_REALTIME microseconds: the stamp of a socket call (the tracer's events, sockdemo's --events lines). */
static inline int64_t clock_real_us(void)
{
	return clock_real_ns() / 1000;
}

#endif
