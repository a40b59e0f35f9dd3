/*
 * Omnistock holds, the tables: cells, hold slots and lines, the hold buckets and the expiry heap,
 * and the arithmetic on them. Every function here runs with the segment mutex held.
 */
#ifndef OMNISTOCK_HOLDS_TABLE_H
#define OMNISTOCK_HOLDS_TABLE_H

#include "holds_segment.h"

/* A cell key (product, location) encoded into bytes: 'i' + 8 bytes, or 's' + length + bytes. */
typedef struct {
	uint64_t hash;
	uint16_t len;
	unsigned char bytes[CELL_KEY_MAX];
} cell_key;

static inline uint64_t holds_table_hash(const unsigned char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h ^ (h >> 29);
}

#ifdef HOLDS_SHARED_MEMORY

/* Hold expiry runs on CLOCK_MONOTONIC: a clock step must not expire or prolong holds. */
static inline int64_t holds_table_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint32_t holds_table_cell_find(holds_map *m, const cell_key *k);
/* A new cell with an unknown base, in a reclaimed slot or a fresh one; NIL when the segment has no
 * room (or no mutex could be made). */
uint32_t holds_table_cell_add(holds_map *m, const cell_key *k, int64_t now);
/* Frees every cell that no hold and no CellLock uses and that nobody touched for more than idle_ms
 * (touched_ms < now - idle_ms); returns how many. Their keys vanish: a later lock() adds them again
 * with an unknown base, which the caller reloads from the database, as for any new cell. */
uint32_t holds_table_cell_reclaim(holds_map *m, int64_t now, int64_t idle_ms);

/* Whether cell slot c is in use for key k: a process's cached index is only a hint (the slot may
 * have been reclaimed and reused for another key since). */
static inline bool holds_table_cell_is(const holds_map *m, uint32_t c, const cell_key *k)
{
	if (c == NIL || c >= m->hdr->cell_hwm) {
		return false;
	}
	const seg_cell *cell = &m->cells[c];
	return cell->used && cell->hash == k->hash && cell->key_len == k->len && memcmp(cell->key, k->bytes, k->len) == 0;
}

/* Cells that can still be added without reclaiming any. */
static inline uint32_t holds_table_free_cells(const seg_header *h)
{
	return h->cap_cells - 1 - h->n_cells;
}
/* A hold that just went live enters its bucket and the expiry heap. */
void holds_table_hold_index(holds_map *m, uint32_t i);
/* A live hold's new expiry, and its place in the heap. */
void holds_table_hold_reschedule(holds_map *m, uint32_t i, int64_t expires_ms);
/* Frees a live hold: its units leave held (and, when settling, the known bases too). */
int64_t holds_table_hold_drop(holds_map *m, uint32_t i, uint64_t *counter, bool settle);
void holds_table_reclaim_expired(holds_map *m, int64_t now);
/* Rebuilds every derived structure from the primary data (see the top of holds.c). */
void holds_table_rebuild(holds_map *m);

/* A slot or line off its free list (or the high-water mark); the caller checked there is room.
 * Inline, as in one file: hold() takes one slot and a line per cell. */
static inline uint32_t holds_table_hold_alloc(holds_map *m)
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

static inline uint32_t holds_table_line_alloc(holds_map *m)
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

/* Inline: every hold(), release(), extend() and settle() looks its key up once. */
static inline uint32_t holds_table_hold_find(holds_map *m, const char *key, size_t len, uint64_t hash)
{
	for (uint32_t i = m->buckets[hash & (m->hdr->hold_buckets - 1)]; i != NIL; i = m->holds[i].next) {
		seg_hold *hd = &m->holds[i];
		if (hd->hash == hash && hd->key_len == len && memcmp(hd->key, key, len) == 0) {
			return i;
		}
	}
	return NIL;
}

static inline uint32_t holds_table_free_holds(const seg_header *h)
{
	return h->cap_holds - 1 - h->n_holds;
}

static inline uint32_t holds_table_free_lines(const seg_header *h)
{
	return h->cap_lines - 1 - h->n_lines;
}

#endif /* HOLDS_SHARED_MEMORY */

#endif /* OMNISTOCK_HOLDS_TABLE_H */
