/*
 * Omnistock holds, the locks (see holds_lock.h and the "Locks" and "Crash" paragraphs at the top of
 * holds.c). Every wait is bounded: a process that never returns cannot stall the others for longer
 * than the deadline, and one that died is noticed through EOWNERDEAD.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "php_omnistock.h"
#include "holds.h"
#include "holds_segment.h"
#include "holds_lock.h"
#include "holds_table.h"

#ifdef HOLDS_SHARED_MEMORY

#define SEGMENT_WAIT_MS 2000 /* bound on waiting for the segment mutex */

static pthread_mutexattr_t mutex_attr;

bool holds_lock_startup(void)
{
	pthread_mutexattr_init(&mutex_attr);
	return pthread_mutexattr_setpshared(&mutex_attr, PTHREAD_PROCESS_SHARED) == 0
		&& pthread_mutexattr_setrobust(&mutex_attr, PTHREAD_MUTEX_ROBUST) == 0
		&& pthread_mutexattr_settype(&mutex_attr, PTHREAD_MUTEX_ERRORCHECK) == 0;
}

void holds_lock_shutdown(void)
{
	pthread_mutexattr_destroy(&mutex_attr);
}

int holds_lock_init(pthread_mutex_t *mx)
{
	return pthread_mutex_init(mx, &mutex_attr);
}

holds_lock_status holds_lock_acquire(pthread_mutex_t *mx, const struct timespec *deadline, int *err)
{
	int rc = pthread_mutex_trylock(mx);
	if (rc == EBUSY) {
		rc = pthread_mutex_timedlock(mx, deadline);
	}
	switch (rc) {
		case 0:
			return HOLDS_LOCK_GOT;
		case EOWNERDEAD:
			/* The owner died holding it: whatever it guarded is repaired by the caller. */
			pthread_mutex_consistent(mx);
			return HOLDS_LOCK_RECOVERED;
		case ETIMEDOUT:
			return HOLDS_LOCK_TIMED_OUT;
		default:
			*err = rc;
			return HOLDS_LOCK_BROKEN;
	}
}

/* Takes the segment lock, repairing the table if its owner died holding it; on failure, the status
 * and the error number say why. */
static holds_lock_status segment_lock(holds_map *m, int *err)
{
	struct timespec deadline;
	holds_lock_deadline(&deadline, SEGMENT_WAIT_MS);
	holds_lock_status got = holds_lock_acquire(&m->hdr->lock, &deadline, err);
	if (got == HOLDS_LOCK_RECOVERED) {
		holds_table_rebuild(m);
		m->hdr->recovered_locks++;
	}
	return got;
}

bool holds_lock_enter(holds_map *m)
{
	int err = 0;
	switch (segment_lock(m, &err)) {
		case HOLDS_LOCK_GOT:
		case HOLDS_LOCK_RECOVERED:
			return true;
		case HOLDS_LOCK_TIMED_OUT:
			zend_throw_exception_ex(omnistock_ce_LockTimeout, 0,
				"The holds segment \"%s\" stayed locked for more than %d ms", m->name, SEGMENT_WAIT_MS);
			return false;
		default:
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"The holds segment \"%s\" could not be locked: %s", m->name, strerror(err));
			return false;
	}
}

bool holds_lock_enter_quiet(holds_map *m)
{
	int err = 0;
	holds_lock_status got = segment_lock(m, &err);
	return got == HOLDS_LOCK_GOT || got == HOLDS_LOCK_RECOVERED;
}

void holds_lock_mark_stale(holds_map *m, const uint32_t *cells, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		m->cells[cells[i]].state = BASE_STALE;
		m->cells[cells[i]].locked = 0;
		m->hdr->recovered_locks++;
	}
}

void holds_lock_cells_unlock(holds_map *m, const uint32_t *cells, uint32_t n)
{
	for (uint32_t i = n; i > 0; i--) {
		pthread_mutex_unlock(&m->cells[cells[i - 1]].lock);
	}
}

bool holds_lock_cells(holds_map *m, const uint32_t *cells, uint32_t n, zend_long wait_ms,
	uint32_t *recovered, uint32_t *n_recovered)
{
	struct timespec deadline;
	int err = 0;
	holds_lock_deadline(&deadline, wait_ms);
	*n_recovered = 0;
	for (uint32_t i = 0; i < n; i++) {
		switch (holds_lock_acquire(&m->cells[cells[i]].lock, &deadline, &err)) {
			case HOLDS_LOCK_GOT:
				break;
			case HOLDS_LOCK_RECOVERED:
				recovered[(*n_recovered)++] = cells[i];
				break;
			case HOLDS_LOCK_TIMED_OUT:
				holds_lock_cells_unlock(m, cells, i);
				if (*n_recovered > 0 && holds_lock_enter(m)) {
					/* Their owner died: stale even though we could not take them all. */
					holds_lock_mark_stale(m, recovered, *n_recovered);
					holds_lock_leave(m);
				}
				if (!EG(exception)) {
					zend_throw_exception_ex(omnistock_ce_LockTimeout, 0,
						"Could not lock %" PRIu32 " cell%s of the holds segment \"%s\" within " ZEND_LONG_FMT " ms",
						n, n == 1 ? "" : "s", m->name, wait_ms);
				}
				return false;
			default:
				holds_lock_cells_unlock(m, cells, i);
				zend_throw_exception_ex(omnistock_ce_Exception, 0,
					"A cell of the holds segment \"%s\" could not be locked: %s", m->name, strerror(err));
				return false;
		}
	}
	return true;
}

#endif /* HOLDS_SHARED_MEMORY */
