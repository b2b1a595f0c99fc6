/*
 * stable_sort.h - a stable merge sort for arrays of small structs, made
 * per element type by SFA_STABLE_SORT().  Runs of 16 are sorted by
 * insertion, then merged back and forth between the array and a scratch
 * array of the same length.  Unlike qsort() it makes no call per
 * comparison (lt is inlined) and keeps equal elements in their order.
 */
#ifndef SFA_STABLE_SORT_H
#define SFA_STABLE_SORT_H

#include <stddef.h>

/* Defines `static T *name(T *a, T *tmp, size_t n, CTX ctx)`: sorts
 * a[0..n) by lt(ctx, x, y) ("x sorts before y", x and y const T *), using
 * tmp[0..n), and returns whichever of a and tmp holds the result. */
#define SFA_STABLE_SORT(name, T, CTX, lt)                                      \
	static T *name(T *a, T *tmp, size_t n, CTX ctx)                        \
	{                                                                      \
		size_t i, j, width;                                            \
                                                                               \
		for (i = 0; i < n; i += 16) {                                  \
			size_t end = i + 16 < n ? i + 16 : n;                  \
                                                                               \
			for (j = i + 1; j < end; j++) {                        \
				T x = a[j];                                    \
				size_t m = j;                                  \
                                                                               \
				for (; m > i && lt(ctx, &x, &a[m - 1]); m--)   \
					a[m] = a[m - 1];                       \
				a[m] = x;                                      \
			}                                                      \
		}                                                              \
		for (width = 16; width < n; width *= 2) {                      \
			T *swap;                                               \
                                                                               \
			for (i = 0; i < n; i += 2 * width) {                   \
				size_t mid = i + width < n ? i + width : n;    \
				size_t end =                                   \
				    i + 2 * width < n ? i + 2 * width : n;     \
				size_t x = i, y = mid, o = i;                  \
                                                                               \
				while (x < mid && y < end)                     \
					tmp[o++] = lt(ctx, &a[y], &a[x])       \
						       ? a[y++]                \
						       : a[x++];               \
				while (x < mid)                                \
					tmp[o++] = a[x++];                     \
				while (y < end)                                \
					tmp[o++] = a[y++];                     \
			}                                                      \
			swap = a;                                              \
			a = tmp;                                               \
			tmp = swap;                                            \
		}                                                              \
		return a;                                                      \
	}

#endif
