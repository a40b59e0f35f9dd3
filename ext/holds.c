/*
 * Omnistock\Holds and Omnistock\CellLock: reservation locking in a shared-memory segment that
 * every PHP process of one site on this host maps (a named file in omnistock.holds_dir).
 *
 * Layout. A header (magic, layout version, total size, capacities, offsets, the segment mutex,
 * counters), then fixed-size arrays: cells, the cell index (open addressing), hold slots, hold
 * buckets (chained by slot), the expiry heap and hold lines. Every reference inside the segment
 * is an array index; index 0 of each array is a sentinel, so that zero-filled memory is an empty
 * table and the file stays sparse until used. The capacities follow from the size alone
 * (holds_segment_layout), and an existing segment is only used when its header says exactly what this
 * build would have written for that size.
 *
 * Locks. Two kinds, both process-shared robust error-checking pthread mutexes:
 *   - the segment mutex guards every table, counter and flag; it is held for microseconds, never
 *     across PHP code, I/O or an allocation that could bail out;
 *   - one mutex per cell, held by a CellLock for as long as the caller needs (a stock mutation:
 *     database write, then setSellable). lock() takes them in ascending cell index (the canonical
 *     order), then flags the cells "locked" under the segment mutex before returning; release()
 *     clears the flags under the segment mutex, then unlocks.
 * A cell mutex is never taken while the segment mutex is held, so there is no lock-order cycle,
 * and every wait is bounded anyway (pthread_mutex_timedlock).
 * hold() takes the segment mutex only: one lock per hold on the fast path. When a cell it needs
 * is flagged (and not by this process) it leaves the segment, waits on that cell's mutex (so it
 * sleeps until the mutation ends, or recovers the mutex of a dead owner), and starts again.
 * hold() is the only operation that raises a cell's held units, and the flag is checked in the
 * same critical section that commits: so once lock() has returned, held() of its cells can only
 * fall until release(), and a caller that sets a base no lower than held() never oversells.
 *
 * Crash at any instruction. What the segment mutex guards is split into primary data, written so
 * that one aligned store is the commit point, and derived data, rebuilt from the primary data
 * by holds_table_rebuild() whenever the mutex is acquired with EOWNERDEAD:
 *   primary: cell slots (key, used flag, base, base state, locked flag, last touched; the used
 *            flag is the commit point of a cell's creation and of its reclaim), the cell high-water
 *            mark, hold slots (state FREE/LIVE is the commit point; key, expiry, lines and the
 *            slot of the hold it replaces are written before it), lines reachable from live holds
 *            (never changed after the hold went live; each is complete before it is linked),
 *            the slot hold() is writing ("inflight"), the event counters;
 *   derived: the cell index, each cell's held units, the free lists of cells, holds and lines,
 *            the hold buckets, the expiry heap, the live counts.
 * A hold being written when its writer dies never went LIVE: it vanishes, and the cells it was
 * writing (and those of the hold it was replacing) are marked stale. A replacement commits by the
 * new hold going LIVE while it names the old slot; if its writer dies before the old slot is
 * freed, the rebuild frees it. So a rebuilt segment is exactly the set of committed holds, and
 * check() recomputes every derived structure to prove it. Counters that the dead process had not
 * finished updating are balanced into "abandoned" (holds lost to a crash). The rebuild only
 * derives, so a process killed inside it leaves the mutex owner-dead again for the next one.
 * A cell's base is only written under its cell mutex; a cell mutex recovered with EOWNERDEAD
 * (its owner died in a stock mutation, at any point of it) marks the cell stale and clears its
 * flag, so the next caller reloads it from the database, and counts a recovered lock. A flag
 * left set by an owner that could not enter the segment is cleared by the next process that
 * acquires the (free) mutex. The dead process's holds stay until they expire, as every hold does.
 *
 * Files. holds_segment.c creates, checks and maps the segment file and notices a reboot;
 * holds_lock.c has the robust mutexes and the repair on EOWNERDEAD; holds_table.c the tables and
 * their arithmetic (segment mutex held), holds_table_rebuild included; holds_check.c the consistency
 * checker; this file the PHP classes, which parse arguments and never keep the segment mutex across
 * PHP code.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"
#include "zend_sort.h"

#include "php_omnistock.h"
#include "holds.h"
#include "holds_arginfo.h"
#include "holds_segment.h"
#include "holds_lock.h"
#include "holds_table.h"
#include "holds_check.h"

zend_class_entry *omnistock_ce_Holds;
zend_class_entry *omnistock_ce_CellLock;
zend_class_entry *omnistock_ce_LockTimeout;
zend_class_entry *omnistock_ce_SegmentFull;

static zend_object_handlers holds_handlers;
static zend_object_handlers cell_lock_handlers;

#define SIZE_MIN_BYTES ((zend_long) 64 * 1024)
#define SIZE_MAX_BYTES ((zend_long) 4 * 1024 * 1024 * 1024)

static zend_long holds_size_bytes = 16 * 1024 * 1024;

ZEND_INI_MH(omnistock_holds_ini_size)
{
	(void) entry;
	(void) mh_arg1;
	(void) mh_arg2;
	(void) mh_arg3;
	(void) stage;
	zend_string *err = NULL;
	zend_long bytes = zend_ini_parse_quantity(new_value, &err);
	if (err) {
		zend_error(E_WARNING, "omnistock.holds_size: %s", ZSTR_VAL(err));
		zend_string_release(err);
		return FAILURE;
	}
	if (bytes < SIZE_MIN_BYTES || bytes > SIZE_MAX_BYTES) {
		zend_error(E_WARNING, "omnistock.holds_size must be between 64K and 4G, \"%s\" given", ZSTR_VAL(new_value));
		return FAILURE;
	}
	holds_size_bytes = bytes;
	return SUCCESS;
}

#define NAME_MAX_LEN 64
#define TTL_MAX_SECONDS (31 * 86400)
#define TIMEOUT_MAX_MS (3600 * 1000)
#define HOLD_WAIT_MS 2000    /* bound on hold() waiting for a cell a stock mutation has locked */

static zend_long holds_cell_idle_seconds = 300;

ZEND_INI_MH(omnistock_holds_ini_cell_idle)
{
	(void) entry;
	(void) mh_arg1;
	(void) mh_arg2;
	(void) mh_arg3;
	(void) stage;
	char *end = NULL;
	zend_long seconds = ZEND_STRTOL(ZSTR_VAL(new_value), &end, 10);
	if (ZSTR_LEN(new_value) == 0 || *end != '\0' || seconds < 0 || seconds > TTL_MAX_SECONDS) {
		zend_error(E_WARNING, "omnistock.holds_cell_idle_seconds must be a whole number of seconds from 0 to %d, \"%s\" given",
			TTL_MAX_SECONDS, ZSTR_VAL(new_value));
		return FAILURE;
	}
	holds_cell_idle_seconds = seconds;
	return SUCCESS;
}


/* Appends one part (int, or non-empty string of at most 40 bytes; "7" is 7) to the key. */
static ZEND_ATTRIBUTE_UNUSED bool cell_key_part(cell_key *k, zval *zv)
{
	zend_long num;
	ZVAL_DEREF(zv);
	if (Z_TYPE_P(zv) == IS_LONG) {
		num = Z_LVAL_P(zv);
	} else if (Z_TYPE_P(zv) == IS_STRING && Z_STRLEN_P(zv) > 0 && Z_STRLEN_P(zv) <= PART_MAX_LEN) {
		zend_ulong idx;
		if (ZEND_HANDLE_NUMERIC_STR(Z_STRVAL_P(zv), Z_STRLEN_P(zv), idx)) {
			num = (zend_long) idx;
		} else {
			k->bytes[k->len++] = 's';
			k->bytes[k->len++] = (unsigned char) Z_STRLEN_P(zv);
			memcpy(k->bytes + k->len, Z_STRVAL_P(zv), Z_STRLEN_P(zv));
			k->len += (uint16_t) Z_STRLEN_P(zv);
			return true;
		}
	} else {
		return false;
	}
	k->bytes[k->len++] = 'i';
	memcpy(k->bytes + k->len, &num, sizeof num);
	k->len += sizeof num;
	return true;
}

/* 0 on success, else the 1-based position (1 product, 2 location) of the bad part. */
static ZEND_ATTRIBUTE_UNUSED int cell_key_make(cell_key *k, zval *product, zval *location)
{
	k->len = 0;
	if (!cell_key_part(k, product)) {
		return 1;
	}
	if (!cell_key_part(k, location)) {
		return 2;
	}
	k->hash = holds_table_hash(k->bytes, k->len);
	return 0;
}

#define PART_RULE "must be an int or a non-empty string of at most 40 bytes"

static bool valid_name(const zend_string *name)
{
	if (ZSTR_LEN(name) == 0 || ZSTR_LEN(name) > NAME_MAX_LEN) {
		return false;
	}
	for (size_t i = 0; i < ZSTR_LEN(name); i++) {
		char c = ZSTR_VAL(name)[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
			return false;
		}
	}
	return true;
}

#ifdef HOLDS_SHARED_MEMORY

static void throw_full(holds_map *m, const char *what, uint32_t wanted, uint32_t free_slots, uint32_t capacity)
{
	zend_throw_exception_ex(omnistock_ce_SegmentFull, 0,
		"The holds segment \"%s\" is full: %" PRIu32 " %s wanted, %" PRIu32 " of %" PRIu32 " free "
		"(omnistock.holds_size is %" PRIu64 " bytes; raise it and recreate the segment)",
		m->name, wanted, what, free_slots, capacity, (uint64_t) m->hdr->total_bytes);
}

/* The cell's index from this process's cache, or NIL. */
static inline uint32_t cache_get(holds_map *m, const cell_key *k)
{
	zval *zv = zend_hash_str_find(&m->cell_cache, (const char *) k->bytes, k->len);
	return zv ? (uint32_t) Z_LVAL_P(zv) : NIL;
}

static inline void cache_put(holds_map *m, const cell_key *k, uint32_t c)
{
	zval zv;
	ZVAL_LONG(&zv, c);
	zend_hash_str_update(&m->cell_cache, (const char *) k->bytes, k->len, &zv);
}

#endif /* HOLDS_SHARED_MEMORY */

/* ---- objects ---- */

typedef struct {
#ifdef HOLDS_SHARED_MEMORY
	holds_map *map;
#else
	void *map;
#endif
	zend_object std;
} holds_obj;

typedef struct cell_lock {
#ifdef HOLDS_SHARED_MEMORY
	holds_map *map;
#else
	void *map;
#endif
	uint32_t *cells; /* ascending */
	uint32_t n;
	bool held;
	long pid; /* the process that locked: a forked child must not release its parent's locks */
	struct cell_lock *prev, *next; /* this process's held locks, released at request end */
	zend_object std;
} cell_lock;

static cell_lock *held_locks;
/* Cell mutexes this process holds. The kernel marks at most 2048 robust mutexes of a dying thread
 * (ROBUST_LIST_LIMIT); beyond that a crash would leave some locked for good, so we stay well below. */
#define CELLS_HELD_MAX 1024
static uint32_t cells_held;

static inline holds_obj *holds_from_obj(zend_object *obj)
{
	return (holds_obj *) ((char *) obj - XtOffsetOf(holds_obj, std));
}

static inline cell_lock *cell_lock_from_obj(zend_object *obj)
{
	return (cell_lock *) ((char *) obj - XtOffsetOf(cell_lock, std));
}

#define Z_HOLDS_P(zv) holds_from_obj(Z_OBJ_P(zv))
#define Z_CELL_LOCK_P(zv) cell_lock_from_obj(Z_OBJ_P(zv))

static void cell_lock_release(cell_lock *l)
{
	if (!l->held) {
		return;
	}
#ifdef HOLDS_SHARED_MEMORY
	holds_map *m = l->map;
	if (l->pid != (long) getpid()) {
		/* Inherited across fork(): the mutexes and flags are the parent's. */
		goto unlink;
	}
	cells_held -= l->n;
	/* If the segment cannot be entered the flags stay: a hold() that then finds the mutex free
	 * clears them itself. */
	if (holds_lock_enter_quiet(m)) {
		int64_t now = holds_table_now_ms();
		for (uint32_t i = 0; i < l->n; i++) {
			m->cells[l->cells[i]].locked = 0;
			m->cells[l->cells[i]].touched_ms = now;
		}
		holds_lock_leave(m);
	}
	for (uint32_t i = 0; i < l->n; i++) {
		m->mine[l->cells[i]] = 0;
	}
	holds_lock_cells_unlock(m, l->cells, l->n);
unlink:
#endif
	l->held = false;
	if (l->prev) {
		l->prev->next = l->next;
	} else {
		held_locks = l->next;
	}
	if (l->next) {
		l->next->prev = l->prev;
	}
	l->prev = l->next = NULL;
}

static zend_object *holds_create(zend_class_entry *ce)
{
	holds_obj *o = zend_object_alloc(sizeof(holds_obj), ce);
	o->map = NULL;
	zend_object_std_init(&o->std, ce);
	object_properties_init(&o->std, ce);
	o->std.handlers = &holds_handlers;
	return &o->std;
}

static zend_object *cell_lock_create(zend_class_entry *ce)
{
	cell_lock *l = zend_object_alloc(sizeof(cell_lock), ce);
	memset(l, 0, XtOffsetOf(cell_lock, std));
	zend_object_std_init(&l->std, ce);
	object_properties_init(&l->std, ce);
	l->std.handlers = &cell_lock_handlers;
	return &l->std;
}

static void cell_lock_free(zend_object *obj)
{
	cell_lock *l = cell_lock_from_obj(obj);
	cell_lock_release(l);
	if (l->cells) {
		efree(l->cells);
	}
	zend_object_std_dtor(obj);
}

#ifdef HOLDS_SHARED_MEMORY
# define HOLDS_MAP(o) \
	holds_map *m = (o)->map; \
	if (m == NULL) { \
		zend_throw_error(NULL, "Omnistock\\Holds was not constructed"); \
		RETURN_THROWS(); \
	}
#else
# define HOLDS_MAP(o) \
	(void) (o); \
	zend_throw_exception(omnistock_ce_Exception, "Omnistock\\Holds is not available on this platform", 0); \
	RETURN_THROWS();
#endif

static ZEND_ATTRIBUTE_UNUSED bool check_key(uint32_t arg, const zend_string *key)
{
	if (ZSTR_LEN(key) == 0 || ZSTR_LEN(key) > HOLD_KEY_MAX) {
		zend_argument_value_error(arg, "must be between 1 and %d bytes long", HOLD_KEY_MAX);
		return false;
	}
	return true;
}

static ZEND_ATTRIBUTE_UNUSED bool check_ttl(uint32_t arg, zend_long ttl)
{
	if (ttl < 1 || ttl > TTL_MAX_SECONDS) {
		zend_argument_value_error(arg, "must be between 1 and %d seconds", TTL_MAX_SECONDS);
		return false;
	}
	return true;
}

/* ---- Holds ---- */

ZEND_METHOD(Omnistock_Holds, __construct)
{
	zend_string *name;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(name)
	ZEND_PARSE_PARAMETERS_END();

	if (!valid_name(name)) {
		zend_argument_value_error(1, "must be 1 to %d characters of A-Z, a-z, 0-9, \"_\", \".\" and \"-\"", NAME_MAX_LEN);
		RETURN_THROWS();
	}
	holds_obj *o = Z_HOLDS_P(ZEND_THIS);
	if (o->map) {
		zend_throw_error(NULL, "Omnistock\\Holds is already constructed");
		RETURN_THROWS();
	}
#if defined(HOLDS_SHARED_MEMORY) && defined(ZTS)
	zend_throw_exception(omnistock_ce_Exception,
		"Omnistock\\Holds is not thread-safe in this thread-safe (ZTS) build of PHP: "
		"use the database holds backend (holds backend = database) on this host", 0);
	RETURN_THROWS();
#elif defined(HOLDS_SHARED_MEMORY)
	o->map = holds_segment_open(name, holds_size_bytes);
	if (o->map == NULL) {
		RETURN_THROWS();
	}
#else
	zend_throw_exception(omnistock_ce_Exception,
# ifdef PHP_WIN32
		"Omnistock\\Holds needs POSIX shared memory with robust mutexes, which Windows does not have: "
# else
		"Omnistock\\Holds needs process-shared robust mutexes, which this platform does not have: "
# endif
		"use the database holds backend (holds backend = database) on this host", 0);
	RETURN_THROWS();
#endif
}

ZEND_METHOD(Omnistock_Holds, threadSafe)
{
	ZEND_PARSE_PARAMETERS_NONE();
	/* The process-wide tables (mapped segments, cell caches, the cells this process holds) have no
	 * lock between threads, so a ZTS build refuses shared-memory holds rather than race. */
#if defined(HOLDS_SHARED_MEMORY) && !defined(ZTS)
	RETURN_TRUE;
#else
	RETURN_FALSE;
#endif
}

#ifdef HOLDS_SHARED_MEMORY

/* A [product, location, ...] line: the list element i (0-based) or NULL. */
static zval *list_at(zval *line, zend_ulong i)
{
	return zend_hash_index_find(Z_ARRVAL_P(line), i);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
	return x < y ? -1 : x > y;
}

static void swap_u32(void *a, void *b)
{
	uint32_t t = *(uint32_t *) a;
	*(uint32_t *) a = *(uint32_t *) b;
	*(uint32_t *) b = t;
}

static void sort_u32(uint32_t *v, uint32_t n)
{
	zend_sort(v, n, sizeof *v, compare_u32, swap_u32);
}

#endif

#ifdef HOLDS_SHARED_MEMORY
/* Cached slots are hints (a slot is reclaimed and reused when idle): resolves every key to its cell
 * under the segment mutex, adding the missing ones (all or none) and reclaiming idle cells when they
 * do not fit. false with SegmentFull thrown. */
static bool lock_resolve(holds_map *m, const cell_key *keys, uint32_t *slot, uint32_t n)
{
	if (!holds_lock_enter(m)) {
		return false;
	}
	seg_header *h = m->hdr;
	int64_t now = holds_table_now_ms();
	uint32_t wanted = 0, full = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!holds_table_cell_is(m, slot[i], &keys[i])) {
			slot[i] = holds_table_cell_find(m, &keys[i]);
		}
		if (slot[i] != NIL) {
			m->cells[slot[i]].touched_ms = now; /* not idle: the reclaim below keeps it */
		} else {
			wanted++;
		}
	}
	if (wanted > holds_table_free_cells(h)) {
		holds_table_cell_reclaim(m, now, (int64_t) holds_cell_idle_seconds * 1000);
	}
	uint32_t free_cells = holds_table_free_cells(h);
	if (wanted > free_cells) {
		full = wanted;
	} else {
		for (uint32_t i = 0; i < n; i++) {
			if (slot[i] == NIL && (slot[i] = holds_table_cell_find(m, &keys[i])) == NIL) {
				slot[i] = holds_table_cell_add(m, &keys[i], now);
				full += slot[i] == NIL; /* no mutex could be made */
			}
		}
	}
	holds_lock_leave(m);
	for (uint32_t i = 0; i < n; i++) {
		if (slot[i] != NIL) {
			cache_put(m, &keys[i], slot[i]);
		}
	}
	if (full) {
		throw_full(m, "cells", full, free_cells, h->cap_cells - 1);
		return false;
	}
	return true;
}
#endif

/* A cell may be reclaimed between its look-up and its mutex: lock() then starts again. */
#define LOCK_ATTEMPTS 4

ZEND_METHOD(Omnistock_Holds, lock)
{
	HashTable *cells;
	zend_long timeout_ms = 2000;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT(cells)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(timeout_ms)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	uint32_t n = zend_hash_num_elements(cells);
	if (n == 0 || !zend_array_is_list(cells)) {
		zend_argument_value_error(1, "must be a non-empty list of [product, location]");
		RETURN_THROWS();
	}
	if (n > CELLS_HELD_MAX) {
		zend_argument_value_error(1, "must list at most %d cells", CELLS_HELD_MAX);
		RETURN_THROWS();
	}
	if (timeout_ms < 0 || timeout_ms > TIMEOUT_MAX_MS) {
		zend_argument_value_error(2, "must be between 0 and %d", TIMEOUT_MAX_MS);
		RETURN_THROWS();
	}
	cell_key *keys = safe_emalloc(n, sizeof *keys, 0);
	uint32_t *slot = safe_emalloc(n, sizeof *slot, 0); /* the cell of keys[i] */
	uint32_t *idx = safe_emalloc(n, sizeof *idx, 0); /* the distinct cells, ascending */
	uint32_t *recovered = safe_emalloc(n, sizeof *recovered, 0);
	uint32_t i = 0, distinct = 0;
	zval *zv;
	ZEND_HASH_FOREACH_VAL(cells, zv) {
		ZVAL_DEREF(zv);
		zval *p, *l;
		if (Z_TYPE_P(zv) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(zv)) != 2
			|| (p = list_at(zv, 0)) == NULL || (l = list_at(zv, 1)) == NULL) {
			zend_argument_value_error(1, "cell %" PRIu32 " must be a [product, location] list", i);
			goto fail;
		}
		int bad = cell_key_make(&keys[i], p, l);
		if (bad) {
			zend_argument_value_error(1, "cell %" PRIu32 ": the %s " PART_RULE, i, bad == 1 ? "product" : "location");
			goto fail;
		}
		slot[i] = cache_get(m, &keys[i]);
		i++;
	} ZEND_HASH_FOREACH_END();

	for (int attempt = 1;; attempt++) {
		uint32_t missing = 0;
		for (i = 0; i < n; i++) {
			/* A cell this process holds cannot be reclaimed, so its key can be read without the
			 * segment mutex: a cached slot reused for another key we hold is not "already locked". */
			if (slot[i] != NIL && m->mine[slot[i]] && !holds_table_cell_is(m, slot[i], &keys[i])) {
				slot[i] = NIL;
			}
			missing += slot[i] == NIL;
		}
		if (missing && !lock_resolve(m, keys, slot, n)) {
			goto fail;
		}

		memcpy(idx, slot, n * sizeof *idx);
		sort_u32(idx, n);
		distinct = 0;
		for (i = 0; i < n; i++) {
			if (distinct == 0 || idx[distinct - 1] != idx[i]) {
				idx[distinct++] = idx[i];
			}
		}
		if (cells_held + distinct > CELLS_HELD_MAX) {
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"This process would hold %" PRIu32 " cell locks; at most %d can be held at once (split the stock mutation)",
				cells_held + distinct, CELLS_HELD_MAX);
			goto fail;
		}
		for (i = 0; i < distinct; i++) {
			if (m->mine[idx[i]]) {
				zend_throw_exception_ex(omnistock_ce_Exception, 0,
					"A cell of this lock is already locked by another CellLock of this process; release that one first");
				goto fail;
			}
		}
		uint32_t n_recovered;
		if (!holds_lock_cells(m, idx, distinct, timeout_ms, recovered, &n_recovered)) {
			goto fail;
		}
		/* Flag the cells under the segment mutex: from here no hold() on them commits until release,
		 * and none of them is reclaimed. */
		if (!holds_lock_enter(m)) {
			holds_lock_cells_unlock(m, idx, distinct);
			goto fail;
		}
		holds_lock_mark_stale(m, recovered, n_recovered);
		bool moved = false;
		for (i = 0; i < n; i++) {
			if (!holds_table_cell_is(m, slot[i], &keys[i])) {
				slot[i] = NIL;
				moved = true;
			}
		}
		if (!moved) {
			int64_t now = holds_table_now_ms();
			for (i = 0; i < distinct; i++) {
				m->cells[idx[i]].locked = 1;
				m->cells[idx[i]].touched_ms = now;
			}
			holds_lock_leave(m);
			break;
		}
		/* A cell was reclaimed (and maybe reused) before we had its mutex: look it up again. */
		holds_lock_leave(m);
		holds_lock_cells_unlock(m, idx, distinct);
		if (attempt == LOCK_ATTEMPTS) {
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"The cells of this lock kept being reclaimed in the holds segment \"%s\"; try again", m->name);
			goto fail;
		}
	}

	object_init_ex(return_value, omnistock_ce_CellLock);
	cell_lock *lk = Z_CELL_LOCK_P(return_value);
	lk->map = m;
	lk->cells = idx;
	lk->n = distinct;
	lk->held = true;
	lk->pid = (long) getpid();
	cells_held += distinct;
	for (i = 0; i < distinct; i++) {
		m->mine[idx[i]] = 1;
	}
	lk->next = held_locks;
	if (held_locks) {
		held_locks->prev = lk;
	}
	held_locks = lk;
	efree(keys);
	efree(slot);
	efree(recovered);
	return;

fail:
	efree(keys);
	efree(slot);
	efree(idx);
	efree(recovered);
	RETURN_THROWS();
#endif
}

#ifdef HOLDS_SHARED_MEMORY

enum { LINE_OK, LINE_SHORT, LINE_UNKNOWN };

typedef struct {
	cell_key key;
	zval *product, *location;
	zend_long qty;
	int64_t sellable;
	uint32_t cell;
	int status;
} hold_line;

static int compare_line_cell(const void *a, const void *b)
{
	uint32_t x = ((const hold_line *) a)->cell, y = ((const hold_line *) b)->cell;
	return x < y ? -1 : x > y;
}

static void swap_line(void *a, void *b)
{
	hold_line t = *(hold_line *) a;
	*(hold_line *) a = *(hold_line *) b;
	*(hold_line *) b = t;
}

/* The cache after hold() found a cached cell reclaimed: the lines' cells as just looked up. */
static void hold_lines_recache(holds_map *m, const hold_line *ls, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (ls[i].cell != NIL) {
			cache_put(m, &ls[i].key, ls[i].cell);
		} else {
			zend_hash_str_del(&m->cell_cache, (const char *) ls[i].key.bytes, ls[i].key.len);
		}
	}
}

static void add_cell_entry(zval *list, hold_line *ln, bool with_numbers)
{
	zval entry;
	array_init_size(&entry, with_numbers ? 4 : 2);
	Z_TRY_ADDREF_P(ln->product);
	add_assoc_zval(&entry, "product", ln->product);
	Z_TRY_ADDREF_P(ln->location);
	add_assoc_zval(&entry, "location", ln->location);
	if (with_numbers) {
		add_assoc_long(&entry, "wanted", ln->qty);
		add_assoc_long(&entry, "sellable", (zend_long) ln->sellable);
	}
	add_next_index_zval(list, &entry);
}

#endif

ZEND_METHOD(Omnistock_Holds, hold)
{
	zend_string *key;
	HashTable *lines;
	zend_long ttl;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_STR(key)
		Z_PARAM_ARRAY_HT(lines)
		Z_PARAM_LONG(ttl)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	if (!check_key(1, key)) {
		RETURN_THROWS();
	}
	uint32_t given = zend_hash_num_elements(lines);
	if (given == 0 || !zend_array_is_list(lines)) {
		zend_argument_value_error(2, "must be a non-empty list of [product, location, qty]");
		RETURN_THROWS();
	}
	if (!check_ttl(3, ttl)) {
		RETURN_THROWS();
	}

	hold_line *ls = safe_emalloc(given, sizeof *ls, 0);
	HashTable seen; /* merges lines on the same cell */
	zend_hash_init(&seen, given, NULL, NULL, 0);
	uint32_t n = 0, i = 0, missing = 0;
	zval *zv;
	ZEND_HASH_FOREACH_VAL(lines, zv) {
		ZVAL_DEREF(zv);
		zval *p, *l, *q;
		if (Z_TYPE_P(zv) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(zv)) != 3
			|| (p = list_at(zv, 0)) == NULL || (l = list_at(zv, 1)) == NULL || (q = list_at(zv, 2)) == NULL) {
			zend_argument_value_error(2, "line %" PRIu32 " must be a [product, location, qty] list", i);
			goto fail;
		}
		hold_line *ln = &ls[n];
		int bad = cell_key_make(&ln->key, p, l);
		if (bad) {
			zend_argument_value_error(2, "line %" PRIu32 ": the %s " PART_RULE, i, bad == 1 ? "product" : "location");
			goto fail;
		}
		ZVAL_DEREF(q);
		if (Z_TYPE_P(q) != IS_LONG || Z_LVAL_P(q) <= 0) {
			zend_argument_value_error(2, "line %" PRIu32 ": the qty must be an int greater than 0", i);
			goto fail;
		}
		zval *prev = zend_hash_str_find(&seen, (const char *) ln->key.bytes, ln->key.len);
		if (prev) {
			hold_line *first = &ls[Z_LVAL_P(prev)];
			if (first->qty > ZEND_LONG_MAX - Z_LVAL_P(q)) {
				zend_argument_value_error(2, "line %" PRIu32 ": the quantities of one cell add up beyond the int range", i);
				goto fail;
			}
			first->qty += Z_LVAL_P(q);
		} else {
			zval pos;
			ZVAL_LONG(&pos, n);
			zend_hash_str_add(&seen, (const char *) ln->key.bytes, ln->key.len, &pos);
			ln->product = p;
			ln->location = l;
			ln->qty = Z_LVAL_P(q);
			ln->sellable = 0;
			ln->status = LINE_OK;
			ln->cell = cache_get(m, &ln->key);
			missing += ln->cell == NIL;
			n++;
		}
		i++;
	} ZEND_HASH_FOREACH_END();
	zend_hash_destroy(&seen);

	int64_t units = 0;
	for (i = 0; i < n; i++) {
		if (units > INT64_MAX - ls[i].qty) {
			zend_argument_value_error(2, "the quantities add up beyond the int range");
			goto fail_seen_done;
		}
		units += ls[i].qty;
	}

	if (missing) {
		if (!holds_lock_enter(m)) {
			goto fail_seen_done;
		}
		for (i = 0; i < n; i++) {
			if (ls[i].cell == NIL) {
				ls[i].cell = holds_table_cell_find(m, &ls[i].key);
			}
		}
		holds_lock_leave(m);
		for (i = 0; i < n; i++) {
			if (ls[i].cell != NIL) {
				cache_put(m, &ls[i].key, ls[i].cell);
			}
		}
	}

	zend_sort(ls, n, sizeof *ls, compare_line_cell, swap_line);
	zend_long pause_ms = INI_INT("omnistock.holds_test_pause_ms");
	uint64_t hash = holds_table_hash((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	struct timespec wait_deadline;
	holds_lock_deadline(&wait_deadline, HOLD_WAIT_MS);
	seg_header *h = m->hdr;

retry:
	if (!holds_lock_enter(m)) {
		goto fail_seen_done;
	}
	/* A cached cell may have been reclaimed since (and its slot reused): look it up again. */
	bool recache = false;
	for (i = 0; i < n; i++) {
		if (ls[i].cell != NIL && !holds_table_cell_is(m, ls[i].cell, &ls[i].key)) {
			ls[i].cell = holds_table_cell_find(m, &ls[i].key);
			recache = true;
		}
	}
	/* A cell in a stock mutation (another process's CellLock): wait for it outside the segment. */
	uint32_t busy = NIL;
	for (i = 0; i < n; i++) {
		if (ls[i].cell != NIL && m->cells[ls[i].cell].locked && !m->mine[ls[i].cell]) {
			busy = ls[i].cell;
			break;
		}
	}
	if (busy != NIL) {
		holds_lock_leave(m);
		if (recache) {
			hold_lines_recache(m, ls, n);
		}
		int err = 0;
		holds_lock_status got = holds_lock_acquire(&m->cells[busy].lock, &wait_deadline, &err);
		switch (got) {
			case HOLDS_LOCK_GOT:
			case HOLDS_LOCK_RECOVERED:
				/* Its owner released it (a flag it could not clear is cleared here) or died
				 * (the cell becomes stale). Either way we own the mutex: the flag is ours to fix. */
				if (!holds_lock_enter(m)) {
					pthread_mutex_unlock(&m->cells[busy].lock);
					goto fail_seen_done;
				}
				if (got == HOLDS_LOCK_RECOVERED) {
					holds_lock_mark_stale(m, &busy, 1);
				}
				m->cells[busy].locked = 0;
				holds_lock_leave(m);
				pthread_mutex_unlock(&m->cells[busy].lock);
				goto retry;
			case HOLDS_LOCK_TIMED_OUT:
				zend_throw_exception_ex(omnistock_ce_LockTimeout, 0,
					"A cell of this hold stayed locked by a stock mutation for more than %d ms", HOLD_WAIT_MS);
				goto fail_seen_done;
			default:
				zend_throw_exception_ex(omnistock_ce_Exception, 0,
					"A cell of the holds segment \"%s\" could not be locked: %s", m->name, strerror(err));
				goto fail_seen_done;
		}
	}
	/* Segment locked: no PHP code, allocation or I/O until it is left. */
	int64_t now = holds_table_now_ms();
	holds_table_reclaim_expired(m, now);
	uint32_t old = holds_table_hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	bool refused = false;
	for (i = 0; i < n; i++) {
		hold_line *ln = &ls[i];
		if (ln->cell == NIL || m->cells[ln->cell].state != BASE_KNOWN) {
			ln->status = LINE_UNKNOWN;
			refused = true;
			continue;
		}
		seg_cell *cell = &m->cells[ln->cell];
		cell->touched_ms = now;
		int64_t mine_before = 0;
		if (old != NIL) {
			for (uint32_t l = m->holds[old].first_line; l != NIL; l = m->lines[l].next) {
				if (m->lines[l].cell == ln->cell) {
					mine_before += m->lines[l].qty;
				}
			}
		}
		ln->sellable = cell->base - cell->held + mine_before;
		if (ln->qty > ln->sellable) {
			ln->status = LINE_SHORT;
			refused = true;
		}
	}
	uint32_t full_what = 0, free_holds = holds_table_free_holds(h), free_lines = holds_table_free_lines(h);
	if (!refused) {
		if (free_holds < 1) {
			full_what = 1;
		} else if (free_lines < n) {
			full_what = 2;
		}
	}
	if (refused) {
		h->refused++;
	} else if (!full_what) {
		uint32_t hi = holds_table_hold_alloc(m);
		seg_hold *hd = &m->holds[hi];
		hd->state = HOLD_FREE;
		hd->first_line = NIL;
		hd->replaces = old;
		__atomic_store_n(&h->inflight, hi, __ATOMIC_RELEASE);
		for (i = n; i > 0; i--) {
			uint32_t l = holds_table_line_alloc(m);
			m->lines[l].cell = ls[i - 1].cell;
			m->lines[l].qty = ls[i - 1].qty;
			m->lines[l].live = 0;
			m->lines[l].next = hd->first_line;
			__atomic_store_n(&hd->first_line, l, __ATOMIC_RELEASE); /* linked once complete */
		}
		hd->n_lines = n;
		hd->units = units;
		hd->expires_ms = now + (int64_t) ttl * 1000;
		hd->hash = hash;
		hd->key_len = (uint16_t) ZSTR_LEN(key);
		memcpy(hd->key, ZSTR_VAL(key), ZSTR_LEN(key));
		h->created++;
		if (pause_ms > 0) {
			usleep((useconds_t) pause_ms * 1000); /* test-only: lets a test kill us mid-hold */
		}
		__atomic_store_n(&hd->state, HOLD_LIVE, __ATOMIC_RELEASE); /* commit point */
		if (old != NIL) {
			holds_table_hold_drop(m, old, &h->replaced, false);
		}
		for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
			m->cells[m->lines[l].cell].held += m->lines[l].qty;
		}
		holds_table_hold_index(m, hi);
		h->n_holds++;
		h->n_lines += n;
		hd->replaces = NIL;
		__atomic_store_n(&h->inflight, NIL, __ATOMIC_RELEASE);
	}
	holds_lock_leave(m);
	if (recache) {
		hold_lines_recache(m, ls, n);
	}

	if (full_what) {
		if (full_what == 1) {
			throw_full(m, "hold slots", 1, free_holds, h->cap_holds - 1);
		} else {
			throw_full(m, "hold lines", n, free_lines, h->cap_lines - 1);
		}
		goto fail_seen_done;
	}

	zval shorts, unknown;
	array_init(&shorts);
	array_init(&unknown);
	for (i = 0; i < n; i++) {
		if (ls[i].status == LINE_SHORT) {
			add_cell_entry(&shorts, &ls[i], true);
		} else if (ls[i].status == LINE_UNKNOWN) {
			add_cell_entry(&unknown, &ls[i], false);
		}
	}
	array_init_size(return_value, 3);
	add_assoc_bool(return_value, "ok", !refused);
	add_assoc_zval(return_value, "short", &shorts);
	add_assoc_zval(return_value, "unknown", &unknown);
	efree(ls);
	return;

fail:
	zend_hash_destroy(&seen);
fail_seen_done:
	efree(ls);
	RETURN_THROWS();
#endif
}

ZEND_METHOD(Omnistock_Holds, release)
{
	zend_string *key;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(key)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	if (!check_key(1, key)) {
		RETURN_THROWS();
	}
	uint64_t hash = holds_table_hash((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!holds_lock_enter(m)) {
		RETURN_THROWS();
	}
	holds_table_reclaim_expired(m, holds_table_now_ms());
	uint32_t hi = holds_table_hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	int64_t units = hi != NIL ? holds_table_hold_drop(m, hi, &m->hdr->released, false) : 0;
	holds_lock_leave(m);
	RETURN_LONG((zend_long) units);
#endif
}

ZEND_METHOD(Omnistock_Holds, extend)
{
	zend_string *key;
	zend_long ttl;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(key)
		Z_PARAM_LONG(ttl)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	if (!check_key(1, key) || !check_ttl(2, ttl)) {
		RETURN_THROWS();
	}
	uint64_t hash = holds_table_hash((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!holds_lock_enter(m)) {
		RETURN_THROWS();
	}
	int64_t now = holds_table_now_ms();
	holds_table_reclaim_expired(m, now);
	uint32_t hi = holds_table_hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	if (hi != NIL) {
		holds_table_hold_reschedule(m, hi, now + (int64_t) ttl * 1000);
	}
	holds_lock_leave(m);
	RETURN_BOOL(hi != NIL);
#endif
}

#ifdef HOLDS_SHARED_MEMORY
/* Reads one cell under the segment mutex: its base state, base and held units. */
static bool cell_read(holds_map *m, zval *product, zval *location, uint32_t *state, int64_t *base, int64_t *held)
{
	cell_key k;
	int bad = cell_key_make(&k, product, location);
	if (bad) {
		zend_argument_value_error(bad, PART_RULE);
		return false;
	}
	uint32_t c = cache_get(m, &k);
	if (!holds_lock_enter(m)) {
		return false;
	}
	holds_table_reclaim_expired(m, holds_table_now_ms());
	bool found_now = false;
	if (!holds_table_cell_is(m, c, &k)) {
		c = holds_table_cell_find(m, &k);
		found_now = c != NIL;
	}
	if (c == NIL) {
		*state = BASE_UNKNOWN;
		*base = *held = 0;
	} else {
		*state = m->cells[c].state;
		*base = m->cells[c].base;
		*held = m->cells[c].held;
	}
	holds_lock_leave(m);
	if (found_now) {
		cache_put(m, &k, c);
	}
	return true;
}
#endif

ZEND_METHOD(Omnistock_Holds, sellable)
{
	zval *product, *location;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(product)
		Z_PARAM_ZVAL(location)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	uint32_t state;
	int64_t base, held;
	if (!cell_read(m, product, location, &state, &base, &held)) {
		RETURN_THROWS();
	}
	if (state != BASE_KNOWN) {
		RETURN_NULL();
	}
	RETURN_LONG((zend_long) (base - held));
#endif
}

ZEND_METHOD(Omnistock_Holds, held)
{
	zval *product, *location;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(product)
		Z_PARAM_ZVAL(location)
	ZEND_PARSE_PARAMETERS_END();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	uint32_t state;
	int64_t base, held;
	if (!cell_read(m, product, location, &state, &base, &held)) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long) held);
#endif
}

ZEND_METHOD(Omnistock_Holds, stats)
{
	ZEND_PARSE_PARAMETERS_NONE();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	if (!holds_lock_enter(m)) {
		RETURN_THROWS();
	}
	holds_table_reclaim_expired(m, holds_table_now_ms());
	seg_header s = *m->hdr;
	uint32_t unknown = 0, stale = 0;
	int64_t units = 0;
	for (uint32_t c = 1; c < s.cell_hwm; c++) {
		if (m->cells[c].used) {
			unknown += m->cells[c].state == BASE_UNKNOWN;
			stale += m->cells[c].state == BASE_STALE;
			units += m->cells[c].held;
		}
	}
	holds_lock_leave(m);

	uint64_t used = s.header_bytes + (uint64_t) s.n_cells * sizeof(seg_cell) + (uint64_t) s.cell_index_size * 4
		+ (uint64_t) s.n_holds * sizeof(seg_hold) + (uint64_t) s.hold_buckets * 4 + (uint64_t) s.n_holds * 4
		+ (uint64_t) s.n_lines * sizeof(seg_line);
	array_init_size(return_value, 22);
	add_assoc_string(return_value, "name", m->name);
	add_assoc_string(return_value, "path", m->path);
	add_assoc_long(return_value, "cells", s.n_cells);
	add_assoc_long(return_value, "cells_capacity", s.cap_cells - 1);
	add_assoc_long(return_value, "cells_unknown", unknown);
	add_assoc_long(return_value, "cells_stale", stale);
	add_assoc_long(return_value, "holds", s.n_holds);
	add_assoc_long(return_value, "holds_capacity", s.cap_holds - 1);
	add_assoc_long(return_value, "lines", s.n_lines);
	add_assoc_long(return_value, "lines_capacity", s.cap_lines - 1);
	add_assoc_long(return_value, "units_held", (zend_long) units);
	add_assoc_long(return_value, "bytes_used", (zend_long) used);
	add_assoc_long(return_value, "bytes_total", (zend_long) s.total_bytes);
	add_assoc_long(return_value, "created", (zend_long) s.created);
	add_assoc_long(return_value, "replaced", (zend_long) s.replaced);
	add_assoc_long(return_value, "released", (zend_long) s.released);
	add_assoc_long(return_value, "settled", (zend_long) s.settled);
	add_assoc_long(return_value, "expired", (zend_long) s.expired);
	add_assoc_long(return_value, "refused", (zend_long) s.refused);
	add_assoc_long(return_value, "abandoned", (zend_long) s.abandoned);
	add_assoc_long(return_value, "recovered_locks", (zend_long) s.recovered_locks);
	add_assoc_long(return_value, "cells_reclaimed", (zend_long) s.cells_reclaimed);
#endif
}

ZEND_METHOD(Omnistock_Holds, check)
{
	ZEND_PARSE_PARAMETERS_NONE();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	/* Scratch sized for the whole segment, allocated before the lock is taken. */
	holds_check_problems *p = ecalloc(1, sizeof *p);
	uint8_t *mark = emalloc(m->hdr->cap_lines);
	int64_t *held = safe_emalloc(m->hdr->cap_cells, sizeof *held, 0);
	if (!holds_lock_enter(m)) {
		efree(p);
		efree(mark);
		efree(held);
		RETURN_THROWS();
	}
	int64_t now = holds_table_now_ms();
	holds_table_reclaim_expired(m, now);
	holds_check_segment(m, p, mark, held, now);
	holds_lock_leave(m);

	array_init_size(return_value, p->n + 1);
	for (uint32_t i = 0; i < p->n; i++) {
		add_next_index_string(return_value, p->text[i]);
	}
	if (p->dropped) {
		char more[64];
		snprintf(more, sizeof more, "... and %" PRIu32 " more problems", p->dropped);
		add_next_index_string(return_value, more);
	}
	efree(p);
	efree(mark);
	efree(held);
#endif
}

/* ---- CellLock ---- */

ZEND_METHOD(Omnistock_CellLock, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
	(void) return_value;
}

#ifdef HOLDS_SHARED_MEMORY
/* The cell (product, location) of this lock, or NIL with an exception thrown. */
static uint32_t lock_cell(cell_lock *l, zval *product, zval *location)
{
	if (!l->held) {
		zend_throw_error(NULL, "This CellLock was released");
		return NIL;
	}
	cell_key k;
	int bad = cell_key_make(&k, product, location);
	if (bad) {
		zend_argument_value_error(bad, PART_RULE);
		return NIL;
	}
	uint32_t c = cache_get(l->map, &k);
	uint32_t *at = c != NIL ? bsearch(&c, l->cells, l->n, sizeof c, compare_u32) : NULL;
	/* The cells this lock holds are never reclaimed, so their keys can be read without the segment
	 * mutex; a stale cached slot reused for another cell of this lock is not that cell. */
	if (at == NULL || !holds_table_cell_is(l->map, c, &k)) {
		zend_argument_value_error(1, "and argument #2 ($location) name a cell this CellLock does not hold");
		return NIL;
	}
	return c;
}
#endif

ZEND_METHOD(Omnistock_CellLock, setSellable)
{
	zval *product, *location;
	zend_long base;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_ZVAL(product)
		Z_PARAM_ZVAL(location)
		Z_PARAM_LONG(base)
	ZEND_PARSE_PARAMETERS_END();

#ifdef HOLDS_SHARED_MEMORY
	cell_lock *l = Z_CELL_LOCK_P(ZEND_THIS);
	uint32_t c = lock_cell(l, product, location);
	if (c == NIL || !holds_lock_enter(l->map)) {
		RETURN_THROWS();
	}
	l->map->cells[c].base = base;
	l->map->cells[c].state = BASE_KNOWN;
	l->map->cells[c].touched_ms = holds_table_now_ms();
	holds_lock_leave(l->map);
#else
	(void) base;
	(void) return_value;
#endif
}

ZEND_METHOD(Omnistock_CellLock, forget)
{
	zval *product, *location;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(product)
		Z_PARAM_ZVAL(location)
	ZEND_PARSE_PARAMETERS_END();

#ifdef HOLDS_SHARED_MEMORY
	cell_lock *l = Z_CELL_LOCK_P(ZEND_THIS);
	uint32_t c = lock_cell(l, product, location);
	if (c == NIL || !holds_lock_enter(l->map)) {
		RETURN_THROWS();
	}
	l->map->cells[c].state = BASE_UNKNOWN;
	holds_lock_leave(l->map);
#else
	(void) return_value;
#endif
}

ZEND_METHOD(Omnistock_CellLock, settle)
{
	zend_string *key;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(key)
	ZEND_PARSE_PARAMETERS_END();

#ifdef HOLDS_SHARED_MEMORY
	cell_lock *l = Z_CELL_LOCK_P(ZEND_THIS);
	if (!l->held) {
		zend_throw_error(NULL, "This CellLock was released");
		RETURN_THROWS();
	}
	if (!check_key(1, key)) {
		RETURN_THROWS();
	}
	holds_map *m = l->map;
	uint64_t hash = holds_table_hash((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!holds_lock_enter(m)) {
		RETURN_THROWS();
	}
	holds_table_reclaim_expired(m, holds_table_now_ms());
	uint32_t hi = holds_table_hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	int64_t units = 0;
	bool outside = false;
	if (hi != NIL) {
		for (uint32_t ln = m->holds[hi].first_line; ln != NIL; ln = m->lines[ln].next) {
			uint32_t c = m->lines[ln].cell;
			if (bsearch(&c, l->cells, l->n, sizeof c, compare_u32) == NULL) {
				outside = true;
				break;
			}
		}
		if (!outside) {
			units = holds_table_hold_drop(m, hi, &m->hdr->settled, true);
		}
	}
	holds_lock_leave(m);
	if (outside) {
		zend_argument_value_error(1, "names a hold with units on a cell this CellLock does not hold");
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long) units);
#else
	(void) key;
	(void) return_value;
#endif
}

ZEND_METHOD(Omnistock_CellLock, release)
{
	ZEND_PARSE_PARAMETERS_NONE();
	(void) return_value;
	cell_lock_release(Z_CELL_LOCK_P(ZEND_THIS));
}

/* ---- module hooks ---- */

void omnistock_holds_info(void)
{
	char size[32];
	const char *dir = INI_STR("omnistock.holds_dir");
	snprintf(size, sizeof size, ZEND_LONG_FMT " bytes", holds_size_bytes);
#if defined(HOLDS_SHARED_MEMORY) && defined(ZTS)
	php_info_print_table_row(2, "Holds", "refused in this thread-safe (ZTS) build: use the database holds backend");
#elif defined(HOLDS_SHARED_MEMORY)
	php_info_print_table_row(2, "Holds", "shared memory, process-shared robust mutexes");
#else
	php_info_print_table_row(2, "Holds", "unavailable on this platform: use the database holds backend");
#endif
	php_info_print_table_row(2, "Holds segment directory", dir && *dir ? dir : "/dev/shm");
	php_info_print_table_row(2, "Holds segment size", size);
#ifdef HOLDS_SHARED_MEMORY
	holds_segment_info();
#endif
}

PHP_MINIT_FUNCTION(omnistock_holds)
{
	(void) type;
	(void) module_number;
#ifdef HOLDS_SHARED_MEMORY
	if (!holds_lock_startup()) {
		zend_error(E_CORE_WARNING, "omnistock: process-shared robust mutexes could not be configured");
		return FAILURE;
	}
	holds_segment_startup();
#endif

	omnistock_ce_Holds = register_class_Omnistock_Holds();
	omnistock_ce_Holds->create_object = holds_create;
	omnistock_ce_CellLock = register_class_Omnistock_CellLock();
	omnistock_ce_CellLock->create_object = cell_lock_create;
	omnistock_ce_LockTimeout = register_class_Omnistock_LockTimeout(omnistock_ce_Exception);
	omnistock_ce_SegmentFull = register_class_Omnistock_SegmentFull(omnistock_ce_Exception);

	memcpy(&holds_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	holds_handlers.offset = XtOffsetOf(holds_obj, std);
	holds_handlers.clone_obj = NULL;

	memcpy(&cell_lock_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	cell_lock_handlers.offset = XtOffsetOf(cell_lock, std);
	cell_lock_handlers.free_obj = cell_lock_free;
	cell_lock_handlers.clone_obj = NULL;

	return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(omnistock_holds)
{
	(void) type;
	(void) module_number;
#ifdef HOLDS_SHARED_MEMORY
	holds_segment_shutdown();
	holds_lock_shutdown();
#endif
	return SUCCESS;
}

PHP_RSHUTDOWN_FUNCTION(omnistock_holds)
{
	(void) type;
	(void) module_number;
	/* A CellLock kept alive past the request (a global, a cycle) must not keep its cells. */
	while (held_locks) {
		cell_lock_release(held_locks);
	}
	return SUCCESS;
}
