/*
 * Omnistock holds, the locks: process-shared robust error-checking mutexes with bounded waits,
 * the segment mutex (entering the segment repairs it after a crash) and the cell mutexes.
 */
#ifndef OMNISTOCK_HOLDS_LOCK_H
#define OMNISTOCK_HOLDS_LOCK_H

#include "holds_segment.h"

#ifdef HOLDS_SHARED_MEMORY

typedef enum { HOLDS_LOCK_GOT, HOLDS_LOCK_RECOVERED, HOLDS_LOCK_TIMED_OUT, HOLDS_LOCK_BROKEN } holds_lock_status;

/* MINIT/MSHUTDOWN: the mutex attributes every segment and cell mutex is made with. */
bool holds_lock_startup(void);
void holds_lock_shutdown(void);

/* A process-shared robust mutex in the segment; 0 or an errno. */
int holds_lock_init(pthread_mutex_t *mx);

/* The CLOCK_REALTIME instant `ms` from now, as pthread_mutex_timedlock wants it. Inline: hold() takes
 * one per call, and the call costs as much as the arithmetic. */
static inline void holds_lock_deadline(struct timespec *ts, zend_long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Locks by the deadline; on HOLDS_LOCK_RECOVERED the owner died and the caller repairs what it guarded. */
holds_lock_status holds_lock_acquire(pthread_mutex_t *mx, const struct timespec *deadline, int *err);

/* The segment mutex (rebuilding the derived tables when its owner died); false with an exception thrown. */
bool holds_lock_enter(holds_map *m);
/* For paths that must not throw (a CellLock's release at request end): waits, repairs, or gives up. */
bool holds_lock_enter_quiet(holds_map *m);

static inline void holds_lock_leave(holds_map *m)
{
	pthread_mutex_unlock(&m->hdr->lock);
}

/* Marks recovered cells stale and counts their locks (segment mutex held). */
void holds_lock_mark_stale(holds_map *m, const uint32_t *cells, uint32_t n);

/* Unlocks cell mutexes, last first. */
void holds_lock_cells_unlock(holds_map *m, const uint32_t *cells, uint32_t n);

/* Locks cells (ascending indices, none held by this process) by the deadline. Recovered ones are
 * appended to *recovered. On failure nothing stays locked and an exception is thrown. */
bool holds_lock_cells(holds_map *m, const uint32_t *cells, uint32_t n, zend_long wait_ms,
	uint32_t *recovered, uint32_t *n_recovered);

#endif /* HOLDS_SHARED_MEMORY */

#endif /* OMNISTOCK_HOLDS_LOCK_H */
