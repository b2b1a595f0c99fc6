/*
 * clock.c - the two clocks of clock.h.
 */
#include "clock.h"

#include <time.h>

static long ms_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long sfa_clock_ms(void)
{
	return ms_of(CLOCK_MONOTONIC);
}

long sfa_clock_cpu_ms(void)
{
	return ms_of(CLOCK_PROCESS_CPUTIME_ID);
}
