/*
 * Omnistock holds, the tables (see holds_table.h; the primary/derived split that makes a crash at
 * any instruction recoverable is described at the top of holds.c).
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "holds_segment.h"
#include "holds_lock.h"
#include "holds_table.h"

#ifdef HOLDS_SHARED_MEMORY

uint32_t holds_table_cell_find(holds_map *m, const cell_key *k)
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

uint32_t holds_table_cell_add(holds_map *m, const cell_key *k, int64_t now)
{
	seg_header *h = m->hdr;
	uint32_t c = h->free_cells;
	bool reused = c != NIL;
	seg_cell *cell;
	if (reused) {
		/* A reclaimed slot keeps its mutex: a process that looked the old key up may be waiting on
		 * it, and finds the key changed once it has it (holds_table_cell_is). */
		cell = &m->cells[c];
	} else {
		if (h->cell_hwm >= h->cap_cells) {
			return NIL;
		}
		c = h->cell_hwm;
		cell = &m->cells[c];
		cell->used = 0;
		if (holds_lock_init(&cell->lock) != 0) {
			return NIL;
		}
	}
	cell->state = BASE_UNKNOWN;
	cell->locked = 0;
	cell->touched_ms = now;
	cell->base = 0;
	cell->held = 0;
	cell->hash = k->hash;
	cell->key_len = k->len;
	memcpy(cell->key, k->bytes, k->len);
	__atomic_store_n(&cell->used, 1, __ATOMIC_RELEASE);
	if (reused) {
		h->free_cells = cell->next;
	} else {
		h->cell_hwm = c + 1;
	}
	cell_index_insert(m, c);
	h->n_cells++;
	return c;
}

uint32_t holds_table_cell_reclaim(holds_map *m, int64_t now, int64_t idle_ms)
{
	seg_header *h = m->hdr;
	uint32_t freed = 0;
	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		seg_cell *cell = &m->cells[c];
		if (cell->used && cell->held == 0 && !cell->locked && !m->mine[c] && cell->touched_ms < now - idle_ms) {
			__atomic_store_n(&cell->used, 0, __ATOMIC_RELEASE); /* commit point */
			cell->next = h->free_cells;
			h->free_cells = c;
			h->n_cells--;
			freed++;
		}
	}
	if (freed) {
		/* Open addressing has no cheap delete: the index is derived, so it is built again. */
		memset(m->cell_index, 0, (size_t) h->cell_index_size * 4);
		for (uint32_t c = 1; c < h->cell_hwm; c++) {
			if (m->cells[c].used) {
				cell_index_insert(m, c);
			}
		}
		h->cells_reclaimed += freed;
	}
	return freed;
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

int64_t holds_table_hold_drop(holds_map *m, uint32_t i, uint64_t *counter, bool settle)
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

void holds_table_reclaim_expired(holds_map *m, int64_t now)
{
	while (m->hdr->heap_len > 0 && m->holds[m->heap[0]].expires_ms <= now) {
		holds_table_hold_drop(m, m->heap[0], &m->hdr->expired, false);
	}
}

void holds_table_hold_index(holds_map *m, uint32_t i)
{
	bucket_insert(m, i);
	heap_push(m, i);
}

void holds_table_hold_reschedule(holds_map *m, uint32_t i, int64_t expires_ms)
{
	m->holds[i].expires_ms = expires_ms;
	heap_up(m, m->holds[i].heap_pos);
	heap_down(m, m->holds[i].heap_pos);
}

/* Rebuilds every derived structure from the primary data (see the top of this file). Idempotent:
 * a process that dies in here leaves the mutex owner-dead again and the next locker redoes it. */
void holds_table_rebuild(holds_map *m)
{
	seg_header *h = m->hdr;

	if (h->cell_hwm < 1) {
		h->cell_hwm = 1;
	}
	while (h->cell_hwm < h->cap_cells && m->cells[h->cell_hwm].used) {
		h->cell_hwm++;
	}
	memset(m->cell_index, 0, (size_t) h->cell_index_size * 4);
	h->free_cells = NIL;
	h->n_cells = 0;
	for (uint32_t c = h->cell_hwm - 1; c >= 1; c--) {
		m->cells[c].held = 0;
		if (m->cells[c].used) {
			cell_index_insert(m, c);
			h->n_cells++;
		} else {
			m->cells[c].next = h->free_cells;
			h->free_cells = c;
		}
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
					|| m->lines[l].cell == NIL || m->lines[l].cell >= h->cell_hwm || !m->cells[m->lines[l].cell].used
					|| m->lines[l].qty <= 0) {
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

#endif /* HOLDS_SHARED_MEMORY */
