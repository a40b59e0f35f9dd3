/*
 * Omnistock holds, the checker: every invariant of a segment recomputed from scratch, for
 * Holds::check() and the crash tests.
 */
#ifndef OMNISTOCK_HOLDS_CHECK_H
#define OMNISTOCK_HOLDS_CHECK_H

#include "holds_segment.h"

#ifdef HOLDS_SHARED_MEMORY

#define PROBLEMS_MAX 32
#define PROBLEM_LEN 192

typedef struct {
	uint32_t n;
	uint32_t dropped;
	char text[PROBLEMS_MAX][PROBLEM_LEN];
} holds_check_problems;

/* Segment mutex held; `mark` is caller scratch with one byte per line, `held` one int64 per cell:
 * allocated before the lock is taken, since nothing may allocate while it is held. */
void holds_check_segment(holds_map *m, holds_check_problems *p, uint8_t *mark, int64_t *held, int64_t now);

#endif /* HOLDS_SHARED_MEMORY */

#endif /* OMNISTOCK_HOLDS_CHECK_H */
