/*
 * Omnistock\Holds and Omnistock\CellLock: reservation locking in a shared-memory segment that
 * every PHP process of one site on this host maps (a named file in omnistock.holds_dir).
 *
 * Layout. A header (magic, layout version, total size, capacities, offsets, the segment mutex,
 * counters), then fixed-size arrays: cells, the cell index (open addressing), hold slots, hold
 * buckets (chained by slot), the expiry heap and hold lines. Every reference inside the segment
 * is an array index; index 0 of each array is a sentinel, so that zero-filled memory is an empty
 * table and the file stays sparse until used. The capacities follow from the size alone
 * (layout_compute), and an existing segment is only used when its header says exactly what this
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
 * by seg_rebuild() whenever the mutex is acquired with EOWNERDEAD:
 *   primary: cell slots (key, used flag, base, base state, locked flag), the cell high-water
 *            mark, hold slots (state FREE/LIVE is the commit point; key, expiry, lines and the
 *            slot of the hold it replaces are written before it), lines reachable from live holds
 *            (never changed after the hold went live; each is complete before it is linked),
 *            the slot hold() is writing ("inflight"), the event counters;
 *   derived: the cell index, each cell's held units, the free lists of holds and lines, the
 *            hold buckets, the expiry heap, the live counts.
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

#if defined(HAVE_OMNISTOCK_ROBUST_MUTEX) && !defined(PHP_WIN32)
# define HOLDS_SHARED_MEMORY 1
# include <errno.h>
# include <fcntl.h>
# include <pthread.h>
# include <sys/file.h>
# include <sys/mman.h>
# include <sys/stat.h>
# include <time.h>
# include <unistd.h>
#endif

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
#define PART_MAX_LEN 40 /* bytes of a string product or location */
#define CELL_KEY_MAX (2 * (2 + PART_MAX_LEN))
#define HOLD_KEY_MAX 128
#define TTL_MAX_SECONDS (31 * 86400)
#define TIMEOUT_MAX_MS (3600 * 1000)
#define SEGMENT_WAIT_MS 2000 /* bound on waiting for the segment mutex */
#define HOLD_WAIT_MS 2000    /* bound on hold() waiting for a cell a stock mutation has locked */
#define PROBLEMS_MAX 32
#define PROBLEM_LEN 192

/* A cell key (product, location) encoded into bytes: 'i' + 8 bytes, or 's' + length + bytes. */
typedef struct {
	uint64_t hash;
	uint16_t len;
	unsigned char bytes[CELL_KEY_MAX];
} cell_key;

static inline uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h ^ (h >> 29);
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
	k->hash = fnv1a(k->bytes, k->len);
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

/* ---- the segment ---- */

#define SEGMENT_MAGIC "OMNIHLD"
#define LAYOUT_VERSION 1
#define NIL 0

enum { BASE_UNKNOWN = 0, BASE_KNOWN = 1, BASE_STALE = 2 };
enum { HOLD_FREE = 0, HOLD_LIVE = 1 };

typedef struct {
	pthread_mutex_t lock;
	uint32_t used; /* commit point of the cell's creation */
	uint32_t state; /* BASE_* */
	uint32_t locked; /* a CellLock holds the mutex: hold() waits for it (advisory; the mutex is the truth) */
	uint32_t reserved;
	int64_t base;
	int64_t held; /* derived */
	uint64_t hash;
	uint16_t key_len;
	unsigned char key[CELL_KEY_MAX];
} seg_cell;

typedef struct {
	uint32_t state; /* HOLD_*: commit point */
	uint32_t next; /* bucket chain when live, free list when free (derived) */
	uint32_t first_line;
	uint32_t n_lines;
	uint32_t heap_pos; /* derived */
	uint32_t replaces; /* slot of the hold this one replaces, until that one is freed */
	int64_t expires_ms; /* CLOCK_MONOTONIC */
	int64_t units;
	uint64_t hash;
	uint16_t key_len;
	char key[HOLD_KEY_MAX];
} seg_hold;

typedef struct {
	uint32_t cell;
	uint32_t next;
	uint32_t live; /* scratch mark of seg_rebuild() */
	uint32_t reserved;
	int64_t qty;
} seg_line;

typedef struct {
	char magic[8];
	uint32_t layout_version;
	uint32_t header_bytes;
	uint64_t total_bytes;
	uint64_t abi; /* sizes of the structures and of pthread_mutex_t, so another ABI is refused */
	uint32_t cap_cells, cell_index_size, cap_holds, hold_buckets, cap_lines, reserved;
	uint64_t off_cells, off_cell_index, off_holds, off_hold_buckets, off_heap, off_lines;
	pthread_mutex_t lock;
	/* guarded by lock */
	uint32_t cell_hwm; /* cells [1, cell_hwm) exist; cells are never freed */
	uint32_t hold_hwm;
	uint32_t line_hwm;
	uint32_t free_holds;
	uint32_t free_lines;
	uint32_t n_holds;
	uint32_t n_lines;
	uint32_t heap_len;
	uint32_t inflight; /* the hold slot hold() is writing, so a recovery can mark its cells stale */
	uint32_t reserved2;
	char boot_id[40]; /* the boot that last initialised the mutexes (see boot_check) */
	uint64_t created, replaced, released, settled, expired, refused, abandoned, recovered_locks;
} seg_header;

#define ALIGN64(x) (((x) + 63) & ~(uint64_t) 63)
#define ABI_STAMP ((uint64_t) sizeof(seg_cell) | ((uint64_t) sizeof(seg_hold) << 16) \
	| ((uint64_t) sizeof(seg_line) << 32) | ((uint64_t) sizeof(pthread_mutex_t) << 48))

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t p = 1;
	while (p < n) {
		p <<= 1;
	}
	return p;
}

/* The header this build writes for a segment of `total` bytes (no locks, no state). */
static void layout_compute(uint64_t total, seg_header *h)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, SEGMENT_MAGIC, 8);
	h->layout_version = LAYOUT_VERSION;
	h->header_bytes = (uint32_t) ALIGN64(sizeof(seg_header));
	h->total_bytes = total;
	h->abi = ABI_STAMP;

	uint64_t avail = total - h->header_bytes - 6 * 64;
	/* A quarter for cells (index at most 4 slots per cell), 45% for holds, the rest for lines. */
	h->cap_cells = (uint32_t) (avail / 4 / (sizeof(seg_cell) + 16));
	h->cell_index_size = pow2_at_least(2 * (uint64_t) h->cap_cells);
	h->cap_holds = (uint32_t) (avail * 45 / 100 / (sizeof(seg_hold) + 4 + 8));
	h->hold_buckets = pow2_at_least(h->cap_holds);

	uint64_t off = h->header_bytes;
	h->off_cells = off;
	off = ALIGN64(off + (uint64_t) h->cap_cells * sizeof(seg_cell));
	h->off_cell_index = off;
	off = ALIGN64(off + (uint64_t) h->cell_index_size * 4);
	h->off_holds = off;
	off = ALIGN64(off + (uint64_t) h->cap_holds * sizeof(seg_hold));
	h->off_hold_buckets = off;
	off = ALIGN64(off + (uint64_t) h->hold_buckets * 4);
	h->off_heap = off;
	off = ALIGN64(off + (uint64_t) h->cap_holds * 4);
	h->off_lines = off;
	h->cap_lines = (uint32_t) ((total - off) / sizeof(seg_line));
}

/* One mapped segment, per process, for the life of the process. */
typedef struct {
	char *path;
	char *name;
	unsigned char *base;
	size_t size;
	seg_header *hdr;
	seg_cell *cells;
	uint32_t *cell_index;
	seg_hold *holds;
	uint32_t *buckets;
	uint32_t *heap;
	seg_line *lines;
	uint8_t *mine; /* cells this process holds through a CellLock */
	HashTable cell_cache; /* encoded cell key => cell index; cells never move */
} holds_map;

static HashTable maps; /* path => holds_map*, persistent */
static pthread_mutexattr_t mutex_attr;

static void map_attach(holds_map *m)
{
	seg_header *h = (seg_header *) m->base;
	m->hdr = h;
	m->cells = (seg_cell *) (m->base + h->off_cells);
	m->cell_index = (uint32_t *) (m->base + h->off_cell_index);
	m->holds = (seg_hold *) (m->base + h->off_holds);
	m->buckets = (uint32_t *) (m->base + h->off_hold_buckets);
	m->heap = (uint32_t *) (m->base + h->off_heap);
	m->lines = (seg_line *) (m->base + h->off_lines);
}

static void map_free(zval *zv)
{
	holds_map *m = Z_PTR_P(zv);
	munmap(m->base, m->size);
	zend_hash_destroy(&m->cell_cache);
	free(m->mine);
	free(m->path);
	free(m->name);
	free(m);
}

static inline int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void deadline_in(struct timespec *ts, zend_long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

typedef enum { GOT, GOT_RECOVERED, TIMED_OUT, BROKEN } lock_status;

static lock_status mutex_acquire(pthread_mutex_t *mx, const struct timespec *deadline, int *err)
{
	int rc = pthread_mutex_trylock(mx);
	if (rc == EBUSY) {
		rc = pthread_mutex_timedlock(mx, deadline);
	}
	switch (rc) {
		case 0:
			return GOT;
		case EOWNERDEAD:
			/* The owner died holding it: whatever it guarded is repaired by the caller. */
			pthread_mutex_consistent(mx);
			return GOT_RECOVERED;
		case ETIMEDOUT:
			return TIMED_OUT;
		default:
			*err = rc;
			return BROKEN;
	}
}

/* ---- cells, holds and the heap (segment mutex held) ---- */

static uint32_t cell_find(holds_map *m, const cell_key *k)
{
	uint32_t mask = m->hdr->cell_index_size - 1;
	uint32_t i = (uint32_t) k->hash & mask;
	for (uint32_t n = 0; n <= mask; n++, i = (i + 1) & mask) {
		uint32_t c = m->cell_index[i];
		if (c == NIL) {
			return NIL;
		}
		seg_cell *cell = &m->cells[c];
		if (cell->hash == k->hash && cell->key_len == k->len && memcmp(cell->key, k->bytes, k->len) == 0) {
			return c;
		}
	}
	return NIL;
}

static void cell_index_insert(holds_map *m, uint32_t c)
{
	uint32_t mask = m->hdr->cell_index_size - 1;
	uint32_t i = (uint32_t) m->cells[c].hash & mask;
	while (m->cell_index[i] != NIL) {
		i = (i + 1) & mask;
	}
	m->cell_index[i] = c;
}

/* A new cell with an unknown base; NIL when the segment has no room (or no mutex could be made). */
static uint32_t cell_add(holds_map *m, const cell_key *k)
{
	seg_header *h = m->hdr;
	if (h->cell_hwm >= h->cap_cells) {
		return NIL;
	}
	uint32_t c = h->cell_hwm;
	seg_cell *cell = &m->cells[c];
	cell->used = 0;
	if (pthread_mutex_init(&cell->lock, &mutex_attr) != 0) {
		return NIL;
	}
	cell->state = BASE_UNKNOWN;
	cell->locked = 0;
	cell->base = 0;
	cell->held = 0;
	cell->hash = k->hash;
	cell->key_len = k->len;
	memcpy(cell->key, k->bytes, k->len);
	__atomic_store_n(&cell->used, 1, __ATOMIC_RELEASE);
	cell_index_insert(m, c);
	h->cell_hwm = c + 1;
	return c;
}

static uint32_t hold_find(holds_map *m, const char *key, size_t len, uint64_t hash)
{
	for (uint32_t i = m->buckets[hash & (m->hdr->hold_buckets - 1)]; i != NIL; i = m->holds[i].next) {
		seg_hold *hd = &m->holds[i];
		if (hd->hash == hash && hd->key_len == len && memcmp(hd->key, key, len) == 0) {
			return i;
		}
	}
	return NIL;
}

static inline void heap_set(holds_map *m, uint32_t pos, uint32_t hold)
{
	m->heap[pos] = hold;
	m->holds[hold].heap_pos = pos;
}

static void heap_up(holds_map *m, uint32_t pos)
{
	uint32_t hold = m->heap[pos];
	int64_t at = m->holds[hold].expires_ms;
	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;
		if (m->holds[m->heap[parent]].expires_ms <= at) {
			break;
		}
		heap_set(m, pos, m->heap[parent]);
		pos = parent;
	}
	heap_set(m, pos, hold);
}

static void heap_down(holds_map *m, uint32_t pos)
{
	uint32_t len = m->hdr->heap_len;
	uint32_t hold = m->heap[pos];
	int64_t at = m->holds[hold].expires_ms;
	for (;;) {
		uint32_t child = 2 * pos + 1;
		if (child >= len) {
			break;
		}
		if (child + 1 < len && m->holds[m->heap[child + 1]].expires_ms < m->holds[m->heap[child]].expires_ms) {
			child++;
		}
		if (m->holds[m->heap[child]].expires_ms >= at) {
			break;
		}
		heap_set(m, pos, m->heap[child]);
		pos = child;
	}
	heap_set(m, pos, hold);
}

static void heap_push(holds_map *m, uint32_t hold)
{
	uint32_t pos = m->hdr->heap_len++;
	heap_set(m, pos, hold);
	heap_up(m, pos);
}

static void heap_remove(holds_map *m, uint32_t pos)
{
	uint32_t last = --m->hdr->heap_len;
	if (pos == last) {
		return;
	}
	uint32_t moved = m->heap[last];
	heap_set(m, pos, moved);
	heap_up(m, pos);
	heap_down(m, m->holds[moved].heap_pos);
}

static void bucket_insert(holds_map *m, uint32_t i)
{
	uint32_t *head = &m->buckets[m->holds[i].hash & (m->hdr->hold_buckets - 1)];
	m->holds[i].next = *head;
	*head = i;
}

static void bucket_unlink(holds_map *m, uint32_t i)
{
	uint32_t *link = &m->buckets[m->holds[i].hash & (m->hdr->hold_buckets - 1)];
	while (*link != NIL && *link != i) {
		link = &m->holds[*link].next;
	}
	if (*link == i) {
		*link = m->holds[i].next;
	}
}

/* Frees a live hold: its units leave held (and, when settling, the known bases too). */
static int64_t hold_drop(holds_map *m, uint32_t i, uint64_t *counter, bool settle)
{
	seg_header *h = m->hdr;
	seg_hold *hd = &m->holds[i];
	(*counter)++;
	__atomic_store_n(&hd->state, HOLD_FREE, __ATOMIC_RELEASE);
	bucket_unlink(m, i);
	heap_remove(m, hd->heap_pos);
	uint32_t last = NIL;
	for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
		seg_cell *cell = &m->cells[m->lines[l].cell];
		cell->held -= m->lines[l].qty;
		if (settle && cell->state == BASE_KNOWN) {
			cell->base -= m->lines[l].qty;
		}
		last = l;
	}
	if (last != NIL) {
		m->lines[last].next = h->free_lines;
		h->free_lines = hd->first_line;
	}
	h->n_lines -= hd->n_lines;
	h->n_holds--;
	hd->next = h->free_holds;
	h->free_holds = i;
	return hd->units;
}

static void reclaim_expired(holds_map *m, int64_t now)
{
	while (m->hdr->heap_len > 0 && m->holds[m->heap[0]].expires_ms <= now) {
		hold_drop(m, m->heap[0], &m->hdr->expired, false);
	}
}

static uint32_t hold_alloc(holds_map *m)
{
	seg_header *h = m->hdr;
	uint32_t i = h->free_holds;
	if (i != NIL) {
		h->free_holds = m->holds[i].next;
	} else {
		i = h->hold_hwm++;
	}
	return i;
}

static uint32_t line_alloc(holds_map *m)
{
	seg_header *h = m->hdr;
	uint32_t l = h->free_lines;
	if (l != NIL) {
		h->free_lines = m->lines[l].next;
	} else {
		l = h->line_hwm++;
	}
	return l;
}

static inline uint32_t holds_free(const seg_header *h)
{
	return h->cap_holds - 1 - h->n_holds;
}

static inline uint32_t lines_free(const seg_header *h)
{
	return h->cap_lines - 1 - h->n_lines;
}

/* Rebuilds every derived structure from the primary data (see the top of this file). Idempotent:
 * a process that dies in here leaves the mutex owner-dead again and the next locker redoes it. */
static void seg_rebuild(holds_map *m)
{
	seg_header *h = m->hdr;

	if (h->cell_hwm < 1) {
		h->cell_hwm = 1;
	}
	while (h->cell_hwm < h->cap_cells && m->cells[h->cell_hwm].used) {
		h->cell_hwm++;
	}
	memset(m->cell_index, 0, (size_t) h->cell_index_size * 4);
	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		m->cells[c].held = 0;
		cell_index_insert(m, c);
	}

	if (h->hold_hwm < 1 || h->hold_hwm > h->cap_holds) {
		h->hold_hwm = h->hold_hwm < 1 ? 1 : h->cap_holds;
	}
	if (h->line_hwm < 1 || h->line_hwm > h->cap_lines) {
		h->line_hwm = h->line_hwm < 1 ? 1 : h->cap_lines;
	}
	/* A hold() that died in its critical section: the cells it was changing become stale, those
	 * of the hold it was replacing too. Every line it linked was complete before being linked. */
	if (h->inflight != NIL && h->inflight < h->hold_hwm) {
		seg_hold *hd = &m->holds[h->inflight];
		uint32_t chains[2] = { hd->first_line, NIL };
		if (hd->replaces != NIL && hd->replaces < h->hold_hwm && m->holds[hd->replaces].state == HOLD_LIVE) {
			chains[1] = m->holds[hd->replaces].first_line;
		}
		for (int k = 0; k < 2; k++) {
			uint32_t steps = 0;
			for (uint32_t l = chains[k]; l != NIL && l < h->line_hwm && steps < h->cap_lines; l = m->lines[l].next, steps++) {
				if (m->lines[l].cell != NIL && m->lines[l].cell < h->cell_hwm) {
					m->cells[m->lines[l].cell].state = BASE_STALE;
				}
			}
		}
	}
	h->inflight = NIL;
	/* A committed replacement whose old hold was not freed yet. */
	for (uint32_t i = 1; i < h->hold_hwm; i++) {
		seg_hold *hd = &m->holds[i];
		if (hd->state == HOLD_LIVE && hd->replaces != NIL) {
			if (hd->replaces < h->hold_hwm) {
				seg_hold *old = &m->holds[hd->replaces];
				if (old->state == HOLD_LIVE && old->key_len == hd->key_len && memcmp(old->key, hd->key, hd->key_len) == 0) {
					old->state = HOLD_FREE;
				}
			}
			hd->replaces = NIL;
		}
	}

	for (uint32_t l = 1; l < h->line_hwm; l++) {
		m->lines[l].live = 0;
	}
	memset(m->buckets, 0, (size_t) h->hold_buckets * 4);
	h->heap_len = 0;
	h->n_holds = 0;
	h->n_lines = 0;
	h->free_holds = NIL;
	for (uint32_t i = h->hold_hwm - 1; i >= 1; i--) {
		seg_hold *hd = &m->holds[i];
		if (hd->state == HOLD_LIVE) {
			/* Lines were complete before the hold went live; verify anyway. */
			uint32_t n = 0;
			bool sound = true;
			for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
				if (l >= h->line_hwm || m->lines[l].live || ++n > hd->n_lines
					|| m->lines[l].cell == NIL || m->lines[l].cell >= h->cell_hwm || m->lines[l].qty <= 0) {
					sound = false;
					break;
				}
				m->lines[l].live = 1;
			}
			if (sound && n == hd->n_lines) {
				for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
					m->cells[m->lines[l].cell].held += m->lines[l].qty;
				}
				bucket_insert(m, i);
				heap_push(m, i);
				h->n_holds++;
				h->n_lines += n;
				continue;
			}
			for (uint32_t l = hd->first_line, k = 0; l != NIL && l < h->line_hwm && k < n; l = m->lines[l].next, k++) {
				m->lines[l].live = 0;
			}
			hd->state = HOLD_FREE;
		}
		hd->next = h->free_holds;
		h->free_holds = i;
	}
	h->free_lines = NIL;
	for (uint32_t l = h->line_hwm - 1; l >= 1; l--) {
		if (!m->lines[l].live) {
			m->lines[l].next = h->free_lines;
			h->free_lines = l;
		}
		m->lines[l].live = 0;
	}
	uint64_t accounted = h->n_holds + h->replaced + h->released + h->settled + h->expired;
	h->abandoned = h->created > accounted ? h->created - accounted : 0;
	if (h->created < accounted) {
		h->created = accounted;
	}
}

/* ---- entering and leaving the segment ---- */

static bool seg_enter(holds_map *m)
{
	struct timespec deadline;
	int err = 0;
	deadline_in(&deadline, SEGMENT_WAIT_MS);
	switch (mutex_acquire(&m->hdr->lock, &deadline, &err)) {
		case GOT:
			return true;
		case GOT_RECOVERED:
			seg_rebuild(m);
			m->hdr->recovered_locks++;
			return true;
		case TIMED_OUT:
			zend_throw_exception_ex(omnistock_ce_LockTimeout, 0,
				"The holds segment \"%s\" stayed locked for more than %d ms", m->name, SEGMENT_WAIT_MS);
			return false;
		default:
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"The holds segment \"%s\" could not be locked: %s", m->name, strerror(err));
			return false;
	}
}

/* For paths that must not throw (a CellLock's release at request end): waits, repairs, or gives up. */
static bool seg_enter_quiet(holds_map *m)
{
	struct timespec deadline;
	int err = 0;
	deadline_in(&deadline, SEGMENT_WAIT_MS);
	switch (mutex_acquire(&m->hdr->lock, &deadline, &err)) {
		case GOT:
			return true;
		case GOT_RECOVERED:
			seg_rebuild(m);
			m->hdr->recovered_locks++;
			return true;
		default:
			return false;
	}
}

static inline void seg_leave(holds_map *m)
{
	pthread_mutex_unlock(&m->hdr->lock);
}

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

/* Marks recovered cells stale and counts their locks (segment mutex held). */
static void mark_stale(holds_map *m, const uint32_t *cells, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		m->cells[cells[i]].state = BASE_STALE;
		m->cells[cells[i]].locked = 0;
		m->hdr->recovered_locks++;
	}
}

static void cells_unlock(holds_map *m, const uint32_t *cells, uint32_t n)
{
	for (uint32_t i = n; i > 0; i--) {
		pthread_mutex_unlock(&m->cells[cells[i - 1]].lock);
	}
}

/* Locks cells (ascending indices, none held by this process) by the deadline. Recovered ones are
 * appended to *recovered. On failure nothing stays locked and an exception is thrown. */
static bool cells_lock(holds_map *m, const uint32_t *cells, uint32_t n, zend_long wait_ms,
	uint32_t *recovered, uint32_t *n_recovered)
{
	struct timespec deadline;
	int err = 0;
	deadline_in(&deadline, wait_ms);
	*n_recovered = 0;
	for (uint32_t i = 0; i < n; i++) {
		switch (mutex_acquire(&m->cells[cells[i]].lock, &deadline, &err)) {
			case GOT:
				break;
			case GOT_RECOVERED:
				recovered[(*n_recovered)++] = cells[i];
				break;
			case TIMED_OUT:
				cells_unlock(m, cells, i);
				if (*n_recovered > 0 && seg_enter(m)) {
					/* Their owner died: stale even though we could not take them all. */
					mark_stale(m, recovered, *n_recovered);
					seg_leave(m);
				}
				if (!EG(exception)) {
					zend_throw_exception_ex(omnistock_ce_LockTimeout, 0,
						"Could not lock %" PRIu32 " cell%s of the holds segment \"%s\" within " ZEND_LONG_FMT " ms",
						n, n == 1 ? "" : "s", m->name, wait_ms);
				}
				return false;
			default:
				cells_unlock(m, cells, i);
				zend_throw_exception_ex(omnistock_ce_Exception, 0,
					"A cell of the holds segment \"%s\" could not be locked: %s", m->name, strerror(err));
				return false;
		}
	}
	return true;
}

/* ---- opening a segment ---- */

static void read_boot_id(char out[40])
{
	memset(out, 0, 40);
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, out, 39);
		close(fd);
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\0')) {
			out[--n] = '\0';
		}
	}
}

/* A segment in a directory that outlives a reboot (not tmpfs) holds mutexes whose owners vanished
 * without the kernel marking them dead, and holds whose monotonic expiry belongs to the old boot.
 * The first process of a new boot to map it (serialised by flock(), which no reboot keeps)
 * re-initialises every mutex, drops every hold as expired and marks every cell stale: a stock
 * mutation may have been cut short by the power going. */
static void boot_check(holds_map *m, int fd)
{
	char boot[40];
	read_boot_id(boot);
	seg_header *h = m->hdr;
	if (boot[0] == '\0' || memcmp(h->boot_id, boot, sizeof boot) == 0) {
		return;
	}
	flock(fd, LOCK_EX);
	if (memcmp(h->boot_id, boot, sizeof boot) != 0) {
		pthread_mutex_init(&h->lock, &mutex_attr);
		uint32_t cells = h->cell_hwm <= h->cap_cells ? h->cell_hwm : h->cap_cells;
		for (uint32_t c = 1; c < cells; c++) {
			pthread_mutex_init(&m->cells[c].lock, &mutex_attr);
			m->cells[c].locked = 0;
			if (m->cells[c].used) {
				m->cells[c].state = BASE_STALE;
			}
		}
		uint32_t holds = h->hold_hwm <= h->cap_holds ? h->hold_hwm : h->cap_holds;
		for (uint32_t i = 1; i < holds; i++) {
			if (m->holds[i].state == HOLD_LIVE) {
				m->holds[i].state = HOLD_FREE;
				h->expired++;
			}
		}
		h->inflight = NIL;
		seg_rebuild(m);
		memcpy(h->boot_id, boot, sizeof boot);
	}
	flock(fd, LOCK_UN);
}

static holds_map *map_open(zend_string *name)
{
	const char *dir = INI_STR("omnistock.holds_dir");
	if (dir == NULL || *dir == '\0') {
		dir = "/dev/shm";
	}
	char path[PATH_MAX];
	if ((size_t) snprintf(path, sizeof path, "%s/omnistock-holds-%s", dir, ZSTR_VAL(name)) >= sizeof path) {
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "omnistock.holds_dir \"%s\" is too long", dir);
		return NULL;
	}
	zval *found = zend_hash_str_find(&maps, path, strlen(path));
	if (found) {
		holds_map *m = Z_PTR_P(found);
		if (m->size != (size_t) holds_size_bytes) {
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"The holds segment %s has %zu bytes but omnistock.holds_size is " ZEND_LONG_FMT " bytes", path, m->size, holds_size_bytes);
			return NULL;
		}
		return m;
	}

	uint64_t size = (uint64_t) holds_size_bytes;
	seg_header want;
	layout_compute(size, &want);

	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* Create it fully under a private name, then publish it with link(): whoever links
		 * first wins, and nobody ever sees a half-initialised segment. */
		char tmp[PATH_MAX + 32];
		snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long) getpid());
		unlink(tmp);
		int tfd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (tfd < 0) {
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"Could not create the holds segment %s: %s (omnistock.holds_dir)", tmp, strerror(errno));
			return NULL;
		}
		int rc = fchmod(tfd, 0600) == 0 && ftruncate(tfd, (off_t) size) == 0 ? 0 : errno;
		void *mem = rc == 0 ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, tfd, 0) : MAP_FAILED;
		if (mem == MAP_FAILED) {
			rc = rc ? rc : errno;
			close(tfd);
			unlink(tmp);
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"Could not size or map the holds segment %s (" ZEND_LONG_FMT " bytes): %s", tmp, holds_size_bytes, strerror(rc));
			return NULL;
		}
		seg_header *h = mem;
		memcpy(h, &want, sizeof want);
		memset(h->magic, 0, sizeof h->magic);
		pthread_mutex_init(&h->lock, &mutex_attr);
		h->cell_hwm = h->hold_hwm = h->line_hwm = 1;
		read_boot_id(h->boot_id);
		memcpy(h->magic, SEGMENT_MAGIC, 8);
		munmap(mem, size);
		if (link(tmp, path) != 0 && errno != EEXIST) {
			rc = errno;
			close(tfd);
			unlink(tmp);
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"Could not publish the holds segment %s: %s", path, strerror(rc));
			return NULL;
		}
		close(tfd);
		unlink(tmp);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "Could not open the holds segment %s: %s", path, strerror(errno));
		return NULL;
	}

	struct stat st;
	seg_header got;
	const char *problem = NULL;
	char detail[256];
	if (fstat(fd, &st) != 0) {
		problem = strerror(errno);
	} else if (st.st_uid != geteuid()) {
		snprintf(detail, sizeof detail, "it belongs to uid %ld, not to this process's uid %ld", (long) st.st_uid, (long) geteuid());
		problem = detail;
	} else if ((size_t) st.st_size < sizeof got || pread(fd, &got, sizeof got, 0) != (ssize_t) sizeof got
		|| memcmp(got.magic, SEGMENT_MAGIC, 8) != 0) {
		problem = "it is not an Omnistock holds segment";
	} else if (got.layout_version != LAYOUT_VERSION) {
		snprintf(detail, sizeof detail, "it has layout version %" PRIu32 " and this build of omnistock uses %d; "
			"stop every PHP process of the site and delete it", got.layout_version, LAYOUT_VERSION);
		problem = detail;
	} else if (got.total_bytes != size || (uint64_t) st.st_size != size) {
		snprintf(detail, sizeof detail, "it was created with %" PRIu64 " bytes and omnistock.holds_size is %" PRIu64
			" bytes; use the same omnistock.holds_size everywhere, or stop every PHP process of the site and delete it",
			(uint64_t) st.st_size, size);
		problem = detail;
	} else if (got.abi != want.abi || got.cap_cells != want.cap_cells || got.cap_holds != want.cap_holds
		|| got.cap_lines != want.cap_lines || got.off_lines != want.off_lines || got.header_bytes != want.header_bytes) {
		problem = "its layout differs from this build's (another architecture or C library?)";
	}
	if (problem) {
		close(fd);
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "Refusing the holds segment %s: %s", path, problem);
		return NULL;
	}
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int rc = errno;
	if (mem == MAP_FAILED) {
		close(fd);
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "Could not map the holds segment %s: %s", path, strerror(rc));
		return NULL;
	}

	holds_map *m = calloc(1, sizeof *m);
	uint8_t *mine = calloc(want.cap_cells, 1);
	if (m == NULL || mine == NULL) {
		free(m);
		free(mine);
		munmap(mem, size);
		close(fd);
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "Out of memory mapping the holds segment %s", path);
		return NULL;
	}
	m->path = strdup(path);
	m->name = strdup(ZSTR_VAL(name));
	m->base = mem;
	m->size = size;
	m->mine = mine;
	zend_hash_init(&m->cell_cache, 64, NULL, NULL, 1);
	map_attach(m);
	boot_check(m, fd);
	close(fd);
	zend_hash_str_add_ptr(&maps, path, strlen(path), m);
	return m;
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
	if (seg_enter_quiet(m)) {
		for (uint32_t i = 0; i < l->n; i++) {
			m->cells[l->cells[i]].locked = 0;
		}
		seg_leave(m);
	}
	for (uint32_t i = 0; i < l->n; i++) {
		m->mine[l->cells[i]] = 0;
	}
	cells_unlock(m, l->cells, l->n);
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
#ifdef HOLDS_SHARED_MEMORY
	o->map = map_open(name);
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
	uint32_t *idx = safe_emalloc(n, sizeof *idx, 0);
	uint32_t *recovered = safe_emalloc(n, sizeof *recovered, 0);
	uint32_t i = 0, missing = 0;
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
		idx[i] = cache_get(m, &keys[i]);
		missing += idx[i] == NIL;
		i++;
	} ZEND_HASH_FOREACH_END();

	if (missing) {
		if (!seg_enter(m)) {
			goto fail;
		}
		/* New cells are added only when all of them fit. */
		uint32_t wanted = 0, full = 0;
		for (i = 0; i < n; i++) {
			if (idx[i] == NIL) {
				idx[i] = cell_find(m, &keys[i]);
				wanted += idx[i] == NIL;
			}
		}
		uint32_t free_cells = m->hdr->cap_cells - m->hdr->cell_hwm;
		if (wanted > free_cells) {
			full = wanted;
		} else {
			for (i = 0; i < n; i++) {
				if (idx[i] == NIL && (idx[i] = cell_find(m, &keys[i])) == NIL) {
					idx[i] = cell_add(m, &keys[i]);
					full += idx[i] == NIL; /* no mutex could be made */
				}
			}
		}
		seg_leave(m);
		for (i = 0; i < n; i++) {
			if (idx[i] != NIL) {
				cache_put(m, &keys[i], idx[i]);
			}
		}
		if (full) {
			throw_full(m, "cells", full, free_cells, m->hdr->cap_cells - 1);
			goto fail;
		}
	}

	sort_u32(idx, n);
	uint32_t distinct = 0;
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
	if (!cells_lock(m, idx, distinct, timeout_ms, recovered, &n_recovered)) {
		goto fail;
	}
	/* Flag the cells under the segment mutex: from here no hold() on them commits until release. */
	if (!seg_enter(m)) {
		cells_unlock(m, idx, distinct);
		goto fail;
	}
	mark_stale(m, recovered, n_recovered);
	for (i = 0; i < distinct; i++) {
		m->cells[idx[i]].locked = 1;
	}
	seg_leave(m);

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
	efree(recovered);
	return;

fail:
	efree(keys);
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
		if (!seg_enter(m)) {
			goto fail_seen_done;
		}
		for (i = 0; i < n; i++) {
			if (ls[i].cell == NIL) {
				ls[i].cell = cell_find(m, &ls[i].key);
			}
		}
		seg_leave(m);
		for (i = 0; i < n; i++) {
			if (ls[i].cell != NIL) {
				cache_put(m, &ls[i].key, ls[i].cell);
			}
		}
	}

	zend_sort(ls, n, sizeof *ls, compare_line_cell, swap_line);
	zend_long pause_ms = INI_INT("omnistock.holds_test_pause_ms");
	uint64_t hash = fnv1a((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	struct timespec wait_deadline;
	deadline_in(&wait_deadline, HOLD_WAIT_MS);
	seg_header *h = m->hdr;

retry:
	if (!seg_enter(m)) {
		goto fail_seen_done;
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
		seg_leave(m);
		int err = 0;
		lock_status got = mutex_acquire(&m->cells[busy].lock, &wait_deadline, &err);
		switch (got) {
			case GOT:
			case GOT_RECOVERED:
				/* Its owner released it (a flag it could not clear is cleared here) or died
				 * (the cell becomes stale). Either way we own the mutex: the flag is ours to fix. */
				if (!seg_enter(m)) {
					pthread_mutex_unlock(&m->cells[busy].lock);
					goto fail_seen_done;
				}
				if (got == GOT_RECOVERED) {
					mark_stale(m, &busy, 1);
				}
				m->cells[busy].locked = 0;
				seg_leave(m);
				pthread_mutex_unlock(&m->cells[busy].lock);
				goto retry;
			case TIMED_OUT:
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
	int64_t now = now_ms();
	reclaim_expired(m, now);
	uint32_t old = hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	bool refused = false;
	for (i = 0; i < n; i++) {
		hold_line *ln = &ls[i];
		if (ln->cell == NIL || m->cells[ln->cell].state != BASE_KNOWN) {
			ln->status = LINE_UNKNOWN;
			refused = true;
			continue;
		}
		seg_cell *cell = &m->cells[ln->cell];
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
	uint32_t full_what = 0, free_holds = holds_free(h), free_lines = lines_free(h);
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
		uint32_t hi = hold_alloc(m);
		seg_hold *hd = &m->holds[hi];
		hd->state = HOLD_FREE;
		hd->first_line = NIL;
		hd->replaces = old;
		__atomic_store_n(&h->inflight, hi, __ATOMIC_RELEASE);
		for (i = n; i > 0; i--) {
			uint32_t l = line_alloc(m);
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
			hold_drop(m, old, &h->replaced, false);
		}
		for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
			m->cells[m->lines[l].cell].held += m->lines[l].qty;
		}
		bucket_insert(m, hi);
		heap_push(m, hi);
		h->n_holds++;
		h->n_lines += n;
		hd->replaces = NIL;
		__atomic_store_n(&h->inflight, NIL, __ATOMIC_RELEASE);
	}
	seg_leave(m);

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
	uint64_t hash = fnv1a((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!seg_enter(m)) {
		RETURN_THROWS();
	}
	reclaim_expired(m, now_ms());
	uint32_t hi = hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	int64_t units = hi != NIL ? hold_drop(m, hi, &m->hdr->released, false) : 0;
	seg_leave(m);
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
	uint64_t hash = fnv1a((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!seg_enter(m)) {
		RETURN_THROWS();
	}
	int64_t now = now_ms();
	reclaim_expired(m, now);
	uint32_t hi = hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
	if (hi != NIL) {
		m->holds[hi].expires_ms = now + (int64_t) ttl * 1000;
		heap_up(m, m->holds[hi].heap_pos);
		heap_down(m, m->holds[hi].heap_pos);
	}
	seg_leave(m);
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
	if (!seg_enter(m)) {
		return false;
	}
	reclaim_expired(m, now_ms());
	bool found_now = false;
	if (c == NIL) {
		c = cell_find(m, &k);
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
	seg_leave(m);
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
	if (!seg_enter(m)) {
		RETURN_THROWS();
	}
	reclaim_expired(m, now_ms());
	seg_header s = *m->hdr;
	uint32_t unknown = 0, stale = 0;
	int64_t units = 0;
	for (uint32_t c = 1; c < s.cell_hwm; c++) {
		unknown += m->cells[c].state == BASE_UNKNOWN;
		stale += m->cells[c].state == BASE_STALE;
		units += m->cells[c].held;
	}
	seg_leave(m);

	uint64_t used = s.header_bytes + (uint64_t) (s.cell_hwm - 1) * sizeof(seg_cell) + (uint64_t) s.cell_index_size * 4
		+ (uint64_t) s.n_holds * sizeof(seg_hold) + (uint64_t) s.hold_buckets * 4 + (uint64_t) s.n_holds * 4
		+ (uint64_t) s.n_lines * sizeof(seg_line);
	array_init_size(return_value, 21);
	add_assoc_string(return_value, "name", m->name);
	add_assoc_string(return_value, "path", m->path);
	add_assoc_long(return_value, "cells", s.cell_hwm - 1);
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
#endif
}

#ifdef HOLDS_SHARED_MEMORY

typedef struct {
	uint32_t n;
	uint32_t dropped;
	char text[PROBLEMS_MAX][PROBLEM_LEN];
} problems;

static void problem(problems *p, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
static void problem(problems *p, const char *fmt, ...)
{
	if (p->n == PROBLEMS_MAX) {
		p->dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->text[p->n++], PROBLEM_LEN, fmt, ap);
	va_end(ap);
}

/* Every invariant, recomputed from scratch (segment mutex held; `mark` is caller scratch with
 * one byte per line). */
static void seg_verify(holds_map *m, problems *p, uint8_t *mark, int64_t *held, int64_t now)
{
	seg_header *h = m->hdr;
	seg_header want;
	layout_compute(h->total_bytes, &want);
	if (memcmp(h->magic, SEGMENT_MAGIC, 8) != 0 || h->layout_version != LAYOUT_VERSION || h->abi != want.abi
		|| h->cap_cells != want.cap_cells || h->cap_holds != want.cap_holds || h->cap_lines != want.cap_lines
		|| h->off_lines != want.off_lines) {
		problem(p, "header: magic, version or layout differ from what this size implies");
		return;
	}
	if (h->cell_hwm < 1 || h->cell_hwm > h->cap_cells || h->hold_hwm < 1 || h->hold_hwm > h->cap_holds
		|| h->line_hwm < 1 || h->line_hwm > h->cap_lines) {
		problem(p, "header: high-water marks out of range (cells %" PRIu32 ", holds %" PRIu32 ", lines %" PRIu32 ")",
			h->cell_hwm, h->hold_hwm, h->line_hwm);
		return;
	}

	/* Cells: each used, found by its key at its own index; the index holds nothing else. */
	uint32_t indexed = 0;
	for (uint32_t i = 0; i < h->cell_index_size; i++) {
		uint32_t c = m->cell_index[i];
		if (c != NIL) {
			indexed++;
			if (c >= h->cell_hwm) {
				problem(p, "cell index slot %" PRIu32 " names cell %" PRIu32 " beyond the last cell", i, c);
			}
		}
	}
	if (indexed != h->cell_hwm - 1) {
		problem(p, "cell index has %" PRIu32 " entries for %" PRIu32 " cells", indexed, h->cell_hwm - 1);
	}
	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		seg_cell *cell = &m->cells[c];
		cell_key k;
		k.hash = cell->hash;
		k.len = cell->key_len;
		if (!cell->used || cell->key_len == 0 || cell->key_len > CELL_KEY_MAX) {
			problem(p, "cell %" PRIu32 ": not in use or malformed key", c);
			continue;
		}
		memcpy(k.bytes, cell->key, k.len);
		if (fnv1a(k.bytes, k.len) != k.hash) {
			problem(p, "cell %" PRIu32 ": key hash mismatch", c);
		} else if (cell_find(m, &k) != c) {
			problem(p, "cell %" PRIu32 ": not found by its key", c);
		}
		if (cell->state > BASE_STALE) {
			problem(p, "cell %" PRIu32 ": base state %" PRIu32 " is not a state", c, cell->state);
		}
		held[c] = 0;
	}

	/* Holds: live ones reachable from their bucket, lines owned once, free lists complete. */
	uint32_t live = 0, live_lines = 0;
	memset(mark, 0, h->line_hwm);
	for (uint32_t i = 1; i < h->hold_hwm; i++) {
		seg_hold *hd = &m->holds[i];
		if (hd->state != HOLD_LIVE) {
			if (hd->state != HOLD_FREE) {
				problem(p, "hold %" PRIu32 ": state %" PRIu32 " is not a state", i, hd->state);
			}
			continue;
		}
		live++;
		if (hd->key_len == 0 || hd->key_len > HOLD_KEY_MAX || fnv1a((const unsigned char *) hd->key, hd->key_len) != hd->hash) {
			problem(p, "hold %" PRIu32 ": malformed key", i);
			continue;
		}
		if (hold_find(m, hd->key, hd->key_len, hd->hash) != i) {
			problem(p, "hold %" PRIu32 ": not found by its key", i);
		}
		if (hd->replaces != NIL) {
			problem(p, "hold %" PRIu32 ": still names a hold it replaced", i);
		}
		if (hd->expires_ms <= now) {
			problem(p, "hold %" PRIu32 ": expired but not reclaimed", i);
		}
		if (hd->heap_pos >= h->heap_len || m->heap[hd->heap_pos] != i) {
			problem(p, "hold %" PRIu32 ": not at its place in the expiry heap", i);
		}
		uint32_t n = 0;
		int64_t units = 0;
		for (uint32_t l = hd->first_line; l != NIL; l = m->lines[l].next) {
			if (l >= h->line_hwm || mark[l] || n > hd->n_lines) {
				problem(p, "hold %" PRIu32 ": line chain is broken or shared", i);
				break;
			}
			mark[l] = 1;
			n++;
			seg_line *ln = &m->lines[l];
			if (ln->cell == NIL || ln->cell >= h->cell_hwm || ln->qty <= 0) {
				problem(p, "hold %" PRIu32 ": line %" PRIu32 " has cell %" PRIu32 ", qty %" PRId64, i, l, ln->cell, ln->qty);
				continue;
			}
			held[ln->cell] += ln->qty;
			units += ln->qty;
		}
		if (n != hd->n_lines || units != hd->units) {
			problem(p, "hold %" PRIu32 ": %" PRIu32 " lines and %" PRId64 " units found, %" PRIu32 " and %" PRId64 " recorded",
				i, n, units, hd->n_lines, hd->units);
		}
		live_lines += n;
	}
	if (live != h->n_holds || live_lines != h->n_lines || h->heap_len != live) {
		problem(p, "counts: %" PRIu32 " live holds and %" PRIu32 " lines found; header says %" PRIu32 ", %" PRIu32
			", heap %" PRIu32, live, live_lines, h->n_holds, h->n_lines, h->heap_len);
	}
	uint32_t chained = 0;
	for (uint32_t b = 0; b < h->hold_buckets; b++) {
		for (uint32_t i = m->buckets[b]; i != NIL; i = m->holds[i].next) {
			if (i >= h->hold_hwm || m->holds[i].state != HOLD_LIVE || (m->holds[i].hash & (h->hold_buckets - 1)) != b
				|| ++chained > live) {
				problem(p, "hold bucket %" PRIu32 " chains a free, misplaced or repeated hold", b);
				break;
			}
		}
	}
	for (uint32_t pos = 1; pos < h->heap_len; pos++) {
		if (m->holds[m->heap[(pos - 1) / 2]].expires_ms > m->holds[m->heap[pos]].expires_ms) {
			problem(p, "expiry heap out of order at %" PRIu32, pos);
			break;
		}
	}
	uint32_t free_holds = 0;
	for (uint32_t i = h->free_holds; i != NIL; i = m->holds[i].next) {
		if (i >= h->hold_hwm || m->holds[i].state != HOLD_FREE || ++free_holds > h->hold_hwm) {
			problem(p, "hold free list reaches a live or out-of-range slot");
			break;
		}
	}
	if (live + free_holds != h->hold_hwm - 1) {
		problem(p, "hold slots: %" PRIu32 " live + %" PRIu32 " free != %" PRIu32 " used so far", live, free_holds, h->hold_hwm - 1);
	}
	uint32_t free_lines = 0;
	for (uint32_t l = h->free_lines; l != NIL; l = m->lines[l].next) {
		if (l >= h->line_hwm || mark[l] || ++free_lines > h->line_hwm) {
			problem(p, "line free list reaches a live or out-of-range line");
			break;
		}
		mark[l] = 2;
	}
	if (live_lines + free_lines != h->line_hwm - 1) {
		problem(p, "lines: %" PRIu32 " live + %" PRIu32 " free != %" PRIu32 " used so far", live_lines, free_lines, h->line_hwm - 1);
	}

	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		if (m->cells[c].held != held[c]) {
			problem(p, "cell %" PRIu32 ": held is %" PRId64 " but its live holds add up to %" PRId64, c, m->cells[c].held, held[c]);
		}
	}
	uint64_t accounted = h->n_holds + h->replaced + h->released + h->settled + h->expired + h->abandoned;
	if (h->created != accounted) {
		problem(p, "counters: %" PRIu64 " created != %" PRIu32 " live + %" PRIu64 " replaced + %" PRIu64 " released + %" PRIu64
			" settled + %" PRIu64 " expired + %" PRIu64 " abandoned", h->created, h->n_holds, h->replaced, h->released,
			h->settled, h->expired, h->abandoned);
	}
}

#endif

ZEND_METHOD(Omnistock_Holds, check)
{
	ZEND_PARSE_PARAMETERS_NONE();

	HOLDS_MAP(Z_HOLDS_P(ZEND_THIS));
#ifdef HOLDS_SHARED_MEMORY
	/* Scratch sized for the whole segment, allocated before the lock is taken. */
	problems *p = ecalloc(1, sizeof *p);
	uint8_t *mark = emalloc(m->hdr->cap_lines);
	int64_t *held = safe_emalloc(m->hdr->cap_cells, sizeof *held, 0);
	if (!seg_enter(m)) {
		efree(p);
		efree(mark);
		efree(held);
		RETURN_THROWS();
	}
	int64_t now = now_ms();
	reclaim_expired(m, now);
	seg_verify(m, p, mark, held, now);
	seg_leave(m);

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
	if (at == NULL) {
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
	if (c == NIL || !seg_enter(l->map)) {
		RETURN_THROWS();
	}
	l->map->cells[c].base = base;
	l->map->cells[c].state = BASE_KNOWN;
	seg_leave(l->map);
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
	if (c == NIL || !seg_enter(l->map)) {
		RETURN_THROWS();
	}
	l->map->cells[c].state = BASE_UNKNOWN;
	seg_leave(l->map);
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
	uint64_t hash = fnv1a((const unsigned char *) ZSTR_VAL(key), ZSTR_LEN(key));
	if (!seg_enter(m)) {
		RETURN_THROWS();
	}
	reclaim_expired(m, now_ms());
	uint32_t hi = hold_find(m, ZSTR_VAL(key), ZSTR_LEN(key), hash);
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
			units = hold_drop(m, hi, &m->hdr->settled, true);
		}
	}
	seg_leave(m);
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
#ifdef HOLDS_SHARED_MEMORY
	php_info_print_table_row(2, "Holds", "shared memory, process-shared robust mutexes");
#else
	php_info_print_table_row(2, "Holds", "unavailable on this platform: use the database holds backend");
#endif
	php_info_print_table_row(2, "Holds segment directory", dir && *dir ? dir : "/dev/shm");
	php_info_print_table_row(2, "Holds segment size", size);
#ifdef HOLDS_SHARED_MEMORY
	holds_map *m;
	ZEND_HASH_FOREACH_PTR(&maps, m) {
		/* Read without the lock: a snapshot for the operator, never used for a decision. */
		seg_header *h = m->hdr;
		uint64_t used = h->header_bytes + (uint64_t) h->cell_hwm * sizeof(seg_cell) + (uint64_t) h->cell_index_size * 4
			+ (uint64_t) h->n_holds * (sizeof(seg_hold) + 4) + (uint64_t) h->hold_buckets * 4 + (uint64_t) h->n_lines * sizeof(seg_line);
		char row[256];
		snprintf(row, sizeof row, "%s: %" PRIu64 " of %" PRIu64 " bytes used; %" PRIu32 " cells, %" PRIu32 " holds, %" PRIu64
			" recovered locks", m->path, used, (uint64_t) h->total_bytes, h->cell_hwm - 1, h->n_holds, (uint64_t) h->recovered_locks);
		php_info_print_table_row(2, "Holds segment in use", row);
	} ZEND_HASH_FOREACH_END();
#endif
}

PHP_MINIT_FUNCTION(omnistock_holds)
{
	(void) type;
	(void) module_number;
#ifdef HOLDS_SHARED_MEMORY
	pthread_mutexattr_init(&mutex_attr);
	if (pthread_mutexattr_setpshared(&mutex_attr, PTHREAD_PROCESS_SHARED) != 0
		|| pthread_mutexattr_setrobust(&mutex_attr, PTHREAD_MUTEX_ROBUST) != 0
		|| pthread_mutexattr_settype(&mutex_attr, PTHREAD_MUTEX_ERRORCHECK) != 0) {
		zend_error(E_CORE_WARNING, "omnistock: process-shared robust mutexes could not be configured");
		return FAILURE;
	}
	zend_hash_init(&maps, 4, NULL, map_free, 1);
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
	zend_hash_destroy(&maps);
	pthread_mutexattr_destroy(&mutex_attr);
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
