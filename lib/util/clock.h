/*
 * clock.h - milliseconds for deadlines, back-off and the timings that
 * `sync -v` prints.
 */
#ifndef SFA_CLOCK_H
#define SFA_CLOCK_H

/* Monotonic wall-clock milliseconds: only differences mean anything. */
long sfa_clock_ms(void);

/* CPU milliseconds of the whole process, every thread. */
long sfa_clock_cpu_ms(void);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (EVIDENCE.md's times). */
void sfa_clock_utc(char buf[21]);

#endif
