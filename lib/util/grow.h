/*
 * grow.h - growing a malloc'ed array by doubling, the one way every
 * module does it: amortised O(1) appends, the size computed without
 * overflow, and the array left as it was when memory runs out.
 */
#ifndef SFA_GROW_H
#define SFA_GROW_H

#include <stddef.h>

/* Makes room for need elements of elem bytes in the array whose pointer
 * is at arrayp (a T **; the array may be NULL with *cap 0): when *cap is
 * smaller, the array is reallocated to twice *cap, or need when that is
 * more (16 at the least), and *cap updated.  New elements are not
 * initialised.  Returns 0, or SFA_ENOMEM with the array and *cap
 * unchanged (also when need * elem does not fit in a size_t). */
int sfa_grow(void *arrayp, size_t *cap, size_t need, size_t elem);

/* sfa_grow() for an array variable arr of capacity cap (a size_t), its
 * element size taken from arr's type. */
#define SFA_GROW(arr, cap, need)                                               \
	sfa_grow(&(arr), &(cap), (need), sizeof(*(arr)))

#endif
