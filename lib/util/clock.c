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

void sfa_clock_utc(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
