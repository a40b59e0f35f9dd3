/*
 * Omnistock holds, the segment: the layout of the shared-memory file (header, cells, index, hold
 * slots, buckets, expiry heap, lines) and this process's map of it. Offsets, never pointers, are
 * stored in it: every process maps it at another address.
 */
#ifndef OMNISTOCK_HOLDS_SEGMENT_H
#define OMNISTOCK_HOLDS_SEGMENT_H

#include "php.h"

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

#define PART_MAX_LEN 40 /* bytes of a string product or location */
#define CELL_KEY_MAX (2 * (2 + PART_MAX_LEN))
#define HOLD_KEY_MAX 128

#ifdef HOLDS_SHARED_MEMORY

#define SEGMENT_MAGIC "OMNIHLD"
#define LAYOUT_VERSION 2 /* 2: cells are reclaimed (free list, last-touched time) */
/* Index 0 of every array is a sentinel: zero-filled memory is an empty table. */
#define NIL 0

enum { BASE_UNKNOWN = 0, BASE_KNOWN = 1, BASE_STALE = 2 };
enum { HOLD_FREE = 0, HOLD_LIVE = 1 };

typedef struct {
	pthread_mutex_t lock;
	uint32_t used; /* commit point of the cell's creation, and 0 again when it is reclaimed */
	uint32_t state; /* BASE_* */
	uint32_t locked; /* a CellLock holds the mutex: hold() waits for it (advisory; the mutex is the truth) */
	uint32_t next; /* free list when not used (derived) */
	int64_t touched_ms; /* last lock(), hold() or setSellable(), CLOCK_MONOTONIC: idle cells are reclaimed */
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
	uint32_t live; /* scratch mark of holds_table_rebuild() */
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
	uint32_t cell_hwm; /* cell slots [1, cell_hwm) were used once; those not used now are on free_cells */
	uint32_t hold_hwm;
	uint32_t line_hwm;
	uint32_t free_holds;
	uint32_t free_lines;
	uint32_t n_holds;
	uint32_t n_lines;
	uint32_t heap_len;
	uint32_t inflight; /* the hold slot hold() is writing, so a recovery can mark its cells stale */
	uint32_t free_cells;
	uint32_t n_cells;
	uint32_t reserved2;
	char boot_id[40]; /* the boot that last initialised the mutexes (see boot_check) */
	uint64_t created, replaced, released, settled, expired, refused, abandoned, recovered_locks;
	uint64_t cells_reclaimed;
} seg_header;

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
	HashTable cell_cache; /* encoded cell key => cell index: a hint, checked under the segment mutex (cells are reclaimed) */
} holds_map;

/* MINIT/MSHUTDOWN: the table of segments this process has mapped. */
void holds_segment_startup(void);
void holds_segment_shutdown(void);

/* The segment `name` (created, or checked against this build's layout for size_bytes), mapped once
 * per process; NULL with an exception thrown. */
holds_map *holds_segment_open(zend_string *name, zend_long size_bytes);

/* The header this build writes for a segment of `total` bytes (no locks, no state). */
void holds_segment_layout(uint64_t total, seg_header *h);

/* phpinfo() rows of the segments this process has mapped. */
void holds_segment_info(void);

#endif /* HOLDS_SHARED_MEMORY */

#endif /* OMNISTOCK_HOLDS_SEGMENT_H */
