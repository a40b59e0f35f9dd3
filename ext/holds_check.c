/*
 * Omnistock holds, the checker (see holds_check.h).
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "holds_segment.h"
#include "holds_table.h"
#include "holds_check.h"

#ifdef HOLDS_SHARED_MEMORY

static void problem(holds_check_problems *p, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
static void problem(holds_check_problems *p, const char *fmt, ...)
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
void holds_check_segment(holds_map *m, holds_check_problems *p, uint8_t *mark, int64_t *held, int64_t now)
{
	seg_header *h = m->hdr;
	seg_header want;
	holds_segment_layout(h->total_bytes, &want);
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
			} else if (!m->cells[c].used) {
				problem(p, "cell index slot %" PRIu32 " names the free cell %" PRIu32, i, c);
			}
		}
	}
	/* Cells: every slot below the high-water mark is used, or free and on the free list once. */
	uint32_t used = 0, unused = 0, free_cells = 0;
	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		used += m->cells[c].used != 0;
		unused += m->cells[c].used == 0;
	}
	for (uint32_t c = h->free_cells; c != NIL; c = m->cells[c].next) {
		if (c >= h->cell_hwm || m->cells[c].used || ++free_cells > unused) {
			problem(p, "cell free list reaches a used, out-of-range or repeated cell");
			break;
		}
	}
	if (free_cells != unused) {
		problem(p, "cells: %" PRIu32 " free slots but %" PRIu32 " on the free list", unused, free_cells);
	}
	if (indexed != used || used != h->n_cells) {
		problem(p, "cell index has %" PRIu32 " entries for %" PRIu32 " used cells; header says %" PRIu32, indexed, used, h->n_cells);
	}
	for (uint32_t c = 1; c < h->cell_hwm; c++) {
		seg_cell *cell = &m->cells[c];
		cell_key k;
		k.hash = cell->hash;
		k.len = cell->key_len;
		held[c] = 0;
		if (!cell->used) {
			if (cell->held != 0 || cell->locked) {
				problem(p, "cell %" PRIu32 ": free but held %" PRId64 " or locked", c, cell->held);
			}
			continue;
		}
		if (cell->key_len == 0 || cell->key_len > CELL_KEY_MAX) {
			problem(p, "cell %" PRIu32 ": malformed key", c);
			continue;
		}
		memcpy(k.bytes, cell->key, k.len);
		if (holds_table_hash(k.bytes, k.len) != k.hash) {
			problem(p, "cell %" PRIu32 ": key hash mismatch", c);
		} else if (holds_table_cell_find(m, &k) != c) {
			problem(p, "cell %" PRIu32 ": not found by its key", c);
		}
		if (cell->state > BASE_STALE) {
			problem(p, "cell %" PRIu32 ": base state %" PRIu32 " is not a state", c, cell->state);
		}
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
		if (hd->key_len == 0 || hd->key_len > HOLD_KEY_MAX || holds_table_hash((const unsigned char *) hd->key, hd->key_len) != hd->hash) {
			problem(p, "hold %" PRIu32 ": malformed key", i);
			continue;
		}
		if (holds_table_hold_find(m, hd->key, hd->key_len, hd->hash) != i) {
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
			if (ln->cell == NIL || ln->cell >= h->cell_hwm || !m->cells[ln->cell].used || ln->qty <= 0) {
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

#endif /* HOLDS_SHARED_MEMORY */
