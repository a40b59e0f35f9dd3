/*
 * Omnistock\Ledger: folds stock events into per-cell levels.
 *
 * State per cell (product, location):
 *   - the latest count (greatest (at, id)), if any;
 *   - a min-heap, by at, of the adjusts the latest count has not absorbed (at > count's at);
 *   - the sum of that heap and the sum of commits minus releases, in 128 bits so that no
 *     arrival order can overflow midway: a level is checked against the 64-bit range once,
 *     when a batch ends.
 * A count that becomes the latest pops every adjust at or before its time; since any later
 * "latest count" is later still, a popped adjust can never matter again. Each adjust is
 * pushed and popped at most once, so a batch of n events costs O(n log n) at worst.
 *
 * Every applied event is kept (id bytes in an arena, content in a dense array with an open
 * addressing index) so that a repeated id is recognised, and its content compared, across
 * calls. That array is also the ledger: when a batch fails (malformed event, overflow) it is
 * truncated back and the cells are folded again from it, so the normal path keeps no undo log.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_sort.h"

#include "php_omnistock.h"
#include "ledger.h"
#include "ledger_arginfo.h"

zend_class_entry *omnistock_ce_Ledger;
zend_class_entry *omnistock_ce_StockOverflow;
zend_class_entry *omnistock_ce_MalformedEvent;
static zend_object_handlers ledger_handlers;

#if defined(__GNUC__) || defined(__clang__)
# define PREFETCH(p) __builtin_prefetch(p)
#else
# define PREFETCH(p) ((void) (p))
#endif

#define ID_MAX_BYTES 200
#define NO_CELL UINT32_MAX
#define ARENA_FIRST_CHUNK 1024 /* a ledger of a few events (one record() call) needs no more */
#define ARENA_CHUNK (256 * 1024)

typedef enum { KIND_COUNT, KIND_ADJUST, KIND_COMMIT, KIND_RELEASE, KIND_TRANSFER } event_kind;

static const char *const kind_names[] = { "count", "adjust", "commit", "release", "transfer" };
static zend_string *kinds[KIND_TRANSFER + 1]; /* interned: a script's literal is the same string */

/* Field names, interned once so that lookups in event arrays hash nothing. The first seven are an
 * event's, in the documented order (event_parse() reads them by position when they come so). */
enum { F_ID, F_PRODUCT, F_LOCATION, F_KIND, F_QTY, F_AT, F_TO, F_ON_HAND, F_COMMITTED,
	F_APPLIED, F_DUPLICATES, F_CONFLICTS, F_CHANGED, F_COUNT, F_ADJUSTS, F_LEVELS, F_INDEX, F_FIELD, F_NEW, F__COUNT };
static const char *const field_names[F__COUNT] = { "id", "product", "location", "kind", "qty", "at", "to",
	"on_hand", "committed", "applied", "duplicates", "conflicts", "changed", "count", "adjusts", "levels",
	"index", "field", "new" };
static zend_string *fields[F__COUNT];

/* A fresh array for `n` string-keyed values, filled in order by row_set(): no lookup, no rehash. */
static inline HashTable *row_init(zval *zv, uint32_t n)
{
	array_init_size(zv, n);
	zend_hash_real_init_mixed(Z_ARRVAL_P(zv));
	return Z_ARRVAL_P(zv);
}

static inline void row_set(HashTable *ht, int field, zval *value)
{
	_zend_hash_append_ex(ht, fields[field], value, 1);
}

static inline void row_set_long(HashTable *ht, int field, zend_long n)
{
	zval v;
	ZVAL_LONG(&v, n);
	row_set(ht, field, &v);
}

/* A fresh list for `n` values, filled with ZEND_HASH_FILL_*. */
static inline HashTable *list_init(zval *zv, uint32_t n)
{
	array_init_size(zv, n);
	zend_hash_real_init_packed(Z_ARRVAL_P(zv));
	return Z_ARRVAL_P(zv);
}

/* ---- 128-bit signed accumulator, portable (MSVC has no __int128) ---- */

typedef struct {
	uint64_t lo;
	int64_t hi;
} wide;

static inline void wide_add(wide *w, int64_t v)
{
	uint64_t old = w->lo;
	w->lo += (uint64_t) v;
	w->hi += (v < 0 ? -1 : 0) + (w->lo < old ? 1 : 0);
}

static inline void wide_sub(wide *w, int64_t v)
{
	uint64_t old = w->lo;
	w->lo -= (uint64_t) v;
	w->hi -= (v < 0 ? -1 : 0) + (w->lo > old ? 1 : 0);
}

static inline void wide_add_wide(wide *w, wide v)
{
	uint64_t old = w->lo;
	w->lo += v.lo;
	w->hi += v.hi + (w->lo < old ? 1 : 0);
}

static inline void wide_sub_wide(wide *w, wide v)
{
	uint64_t old = w->lo;
	w->lo -= v.lo;
	w->hi -= v.hi + (w->lo > old ? 1 : 0);
}

static inline wide wide_of(int64_t v)
{
	wide w = { (uint64_t) v, v < 0 ? -1 : 0 };
	return w;
}

static inline bool wide_to_int64(wide w, int64_t *out)
{
	*out = (int64_t) w.lo;
	return w.hi == (*out < 0 ? -1 : 0);
}

static inline bool wide_positive(wide w)
{
	return w.hi > 0 || (w.hi == 0 && w.lo > 0);
}

/* ---- keys: int or string, normalised like PHP array keys ---- */

typedef struct {
	zend_string *str; /* NULL for an integer key */
	zend_long num;
} key;

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static inline uint64_t key_hash(const key *k)
{
	return k->str ? (uint64_t) ZSTR_HASH(k->str) : mix64((uint64_t) k->num);
}

static inline bool key_equals(const key *a, const key *b)
{
	if (a->str == NULL || b->str == NULL) {
		return a->str == b->str && a->num == b->num;
	}
	return zend_string_equals(a->str, b->str);
}

/* Integers first, ascending; then strings in byte order. */
static int key_compare(const key *a, const key *b)
{
	if (a->str == NULL && b->str == NULL) {
		return a->num < b->num ? -1 : a->num > b->num;
	}
	if (a->str == NULL || b->str == NULL) {
		return a->str == NULL ? -1 : 1;
	}
	return zend_binary_strcmp(ZSTR_VAL(a->str), ZSTR_LEN(a->str), ZSTR_VAL(b->str), ZSTR_LEN(b->str));
}

/* Accepts an int or a non-empty string; "7" becomes 7 as it would as an array key. */
static zend_always_inline bool key_from_zval(zval *zv, key *out)
{
	ZVAL_DEREF(zv);
	if (Z_TYPE_P(zv) == IS_LONG) {
		out->str = NULL;
		out->num = Z_LVAL_P(zv);
		return true;
	}
	if (Z_TYPE_P(zv) == IS_STRING && Z_STRLEN_P(zv) > 0) {
		zend_ulong idx;
		if (ZEND_HANDLE_NUMERIC_STR(Z_STRVAL_P(zv), Z_STRLEN_P(zv), idx)) {
			out->str = NULL;
			out->num = (zend_long) idx;
		} else {
			out->str = Z_STR_P(zv);
			out->num = 0;
		}
		return true;
	}
	return false;
}

static inline void key_to_zval(const key *k, zval *zv)
{
	if (k->str) {
		ZVAL_STR_COPY(zv, k->str);
	} else {
		ZVAL_LONG(zv, k->num);
	}
}

/* ---- cells ---- */

typedef struct {
	int64_t at;
	int64_t qty;
} adjust;

/* What seed() said of a cell (its ledger before this object's events), which a failed batch folds
 * its events onto again. Only seeded cells have one, in the arena (a failed batch, which puts the
 * arena back to where the batch began, keeps it). */
typedef struct {
	adjust *adjusts;
	uint32_t nadjusts;
	uint32_t count_id_len;
	const char *count_id; /* in the arena; NULL when seeded without a count */
	int64_t count_at;
	int64_t count_qty;
	int64_t committed;
} cell_seed;

/* 128 bytes, two cache lines in a large (page-aligned) table: the first holds what a lookup and a
 * count read, the second the sums and the heap. What only a batch's end or a rollback needs lives
 * elsewhere (the batch's touched list, the seed). */
typedef struct {
	key product;
	key location;
	uint64_t hash;
	const char *count_id; /* in the arena; NULL when the cell has no count */
	int64_t count_at;
	int64_t count_qty;
	wide after; /* sum of the heap: adjusts later than the latest count */
	wide committed;
	adjust *heap;
	uint32_t heap_len;
	uint32_t heap_cap;
	uint32_t touched; /* the batch that last touched the cell */
	uint32_t count_id_len;
	cell_seed *seed;
} cell;

/* ---- applied events ---- */

typedef struct {
	uint64_t hash;
	const char *id; /* in the arena */
	uint32_t id_len;
	uint32_t cell; /* NO_CELL for a known event: seen before (seed()), not folded here */
	uint32_t to; /* NO_CELL unless a transfer; for a known event, its index in ledger.known */
	uint8_t kind;
	int64_t qty;
	int64_t at;
} entry;

typedef struct known_event {
	key product;
	key location;
	key to; /* product 0 / NULL string unless a transfer */
	uint8_t kind;
	int64_t qty;
	int64_t at;
} known_event;

typedef struct arena_chunk {
	struct arena_chunk *prev;
	size_t used;
	size_t size;
	char data[1];
} arena_chunk;

/* Open addressing over a dense array. A slot holds index + 1 in its low half (0: empty) and the
 * high half of the item's hash in its high half, so that a probe rejects most non-matching items
 * without touching them: at a million items, each such touch is a cache miss. */
typedef struct {
	uint64_t *slots;
	uint32_t mask;
} hash_index;

#define SLOT(i, h) (((uint64_t) (i) + 1) | ((uint64_t) (h) & UINT64_C(0xffffffff00000000)))
#define SLOT_INDEX(slot) ((uint32_t) (slot) - 1)
#define SLOT_TAG_MATCHES(slot, h) ((((slot) ^ (uint64_t) (h)) >> 32) == 0)

/* Cells and entries are kept in chunks of TABLE_CHUNK items, so that a growing table is never
 * copied (at a million events, copying was a tenth of the misses) and an item never moves. The first
 * chunk grows from 8 items as a ledger of a few events (one record() call) needs no more. */
#define TABLE_SHIFT 12
#define TABLE_CHUNK (1u << TABLE_SHIFT)
#define TABLE_MASK (TABLE_CHUNK - 1)

typedef struct {
	void **chunks; /* `first` until a second chunk is needed */
	void *first;
	uint32_t nchunks;
	uint32_t cap0; /* items the first chunk has room for */
	uint32_t cap; /* items all chunks have room for */
} table;

typedef struct {
	table cells;
	uint32_t ncells;
	hash_index cell_index;

	table entries;
	uint32_t nentries;
	hash_index entry_index;

	/* Content of the known events (seed()), kept to tell a replay from a conflict. */
	struct known_event *known;
	uint32_t nknown;
	uint32_t known_cap;

	arena_chunk *arena;
	uint32_t batch;

	zend_object std;
} ledger;

/* Makes item `i` (one past the last) of a table of `size`-byte items exist. */
static void table_add_room(table *t, uint32_t i, size_t size)
{
	if (i >= UINT32_MAX / 2) {
		zend_error_noreturn(E_ERROR, "Omnistock\\Ledger: more than 2^31 cells or events");
	}
	if (i < TABLE_CHUNK) {
		if (t->chunks == NULL) {
			t->first = NULL;
			t->chunks = &t->first; /* the ledger does not move: its object is not copied */
			t->nchunks = 1;
		}
		if (i >= t->cap0) {
			t->cap0 = t->cap0 ? t->cap0 * 2 : 8;
			t->chunks[0] = safe_erealloc(t->chunks[0], t->cap0, size, 0);
		}
		t->cap = t->cap0;
		return;
	}
	uint32_t c = i >> TABLE_SHIFT;
	if (c >= t->nchunks) {
		if (t->chunks == &t->first) {
			t->chunks = emalloc(sizeof(void *));
			t->chunks[0] = t->first;
		}
		t->chunks = safe_erealloc(t->chunks, c + 1, sizeof(void *), 0);
		t->chunks[c] = safe_emalloc(TABLE_CHUNK, size, 0);
		t->nchunks = c + 1;
	}
	t->cap = t->nchunks * TABLE_CHUNK;
}

static zend_always_inline void table_grow(table *t, uint32_t i, size_t size)
{
	if (UNEXPECTED(i >= t->cap)) {
		table_add_room(t, i, size);
	}
}

static void table_free(table *t)
{
	for (uint32_t c = 0; c < t->nchunks; c++) {
		efree(t->chunks[c]);
	}
	if (t->chunks && t->chunks != &t->first) efree(t->chunks);
}

#define CELL(l, i) (&((cell *) (l)->cells.chunks[(uint32_t) (i) >> TABLE_SHIFT])[(uint32_t) (i) & TABLE_MASK])
#define ENTRY(l, i) (&((entry *) (l)->entries.chunks[(uint32_t) (i) >> TABLE_SHIFT])[(uint32_t) (i) & TABLE_MASK])

static inline ledger *ledger_from_obj(zend_object *obj)
{
	return (ledger *) ((char *) obj - XtOffsetOf(ledger, std));
}

#define Z_LEDGER_P(zv) ledger_from_obj(Z_OBJ_P(zv))

static zend_never_inline arena_chunk *arena_add_chunk(ledger *l, size_t len)
{
	arena_chunk *c = l->arena;
	size_t size = c == NULL ? ARENA_FIRST_CHUNK : (c->size < ARENA_CHUNK / 4 ? c->size * 4 : ARENA_CHUNK);
	size = len > size ? len : size;
	c = emalloc(XtOffsetOf(arena_chunk, data) + size);
	c->prev = l->arena;
	c->used = 0;
	c->size = size;
	l->arena = c;
	return c;
}

static zend_always_inline const char *arena_copy(ledger *l, const char *bytes, size_t len)
{
	arena_chunk *c = l->arena;
	if (UNEXPECTED(c == NULL || c->size - c->used < len)) {
		c = arena_add_chunk(l, len);
	}
	char *dst = c->data + c->used;
	memcpy(dst, bytes, len);
	c->used += len;
	return dst;
}

/* Room for a struct in the arena, aligned for it, zeroed. */
static void *arena_alloc(ledger *l, size_t size)
{
	arena_chunk *c = l->arena;
	size_t pad = c ? (size_t) (-(uintptr_t) (c->data + c->used) & 7) : 0;
	if (c == NULL || c->size - c->used < size + pad) {
		c = arena_add_chunk(l, size + 8);
		pad = (size_t) (-(uintptr_t) c->data & 7);
	}
	char *dst = c->data + c->used + pad;
	c->used += pad + size;
	memset(dst, 0, size);
	return dst;
}

typedef struct {
	arena_chunk *chunk;
	size_t used;
} arena_mark;

static void arena_reset(ledger *l, arena_mark mark)
{
	while (l->arena != mark.chunk) {
		arena_chunk *prev = l->arena->prev;
		efree(l->arena);
		l->arena = prev;
	}
	if (l->arena) {
		l->arena->used = mark.used;
	}
}

static uint32_t grown_capacity(uint32_t cap, uint32_t need)
{
	size_t next = cap ? (size_t) cap * 2 : 8;
	while (next < need) {
		next *= 2;
	}
	if (next > UINT32_MAX / 2) {
		zend_error_noreturn(E_ERROR, "Omnistock\\Ledger: more than 2^31 cells or events");
	}
	return (uint32_t) next;
}

/* Rebuilds an index of `count` items whose hashes `hash_of(i)` gives, for at least `room` * 2 slots. */
#define INDEX_REBUILD_ROOM(idx, count, room, hash_of) do { \
		uint32_t cap_ = 16; \
		while (cap_ < (room) * 2) cap_ *= 2; \
		if ((idx).slots) efree((idx).slots); \
		(idx).slots = ecalloc(cap_, sizeof(uint64_t)); \
		(idx).mask = cap_ - 1; \
		for (uint32_t i_ = 0; i_ < (count); i_++) { \
			uint32_t s_ = (uint32_t) hash_of(i_) & (idx).mask; \
			while ((idx).slots[s_]) s_ = (s_ + 1) & (idx).mask; \
			(idx).slots[s_] = SLOT(i_, hash_of(i_)); \
		} \
	} while (0)

#define INDEX_REBUILD(idx, count, hash_of) INDEX_REBUILD_ROOM(idx, count, count, hash_of)

#define CELL_HASH(i) (CELL(l, i)->hash)
#define ENTRY_HASH(i) (ENTRY(l, i)->hash)

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* An event id's hash, from its bytes eight at a time (ids are short: "sale:1234:5"), mixed so that an
 * index can take its slot from the low bits and its tag from the high bits. PHP's string hash
 * costs a step per byte and, unmixed, ids sharing a prefix share its high bits. Only this process
 * sees it (nothing is stored), so the byte order of the machine does not matter. */
static inline uint64_t id_hash(const zend_string *id)
{
	const unsigned char *p = (const unsigned char *) ZSTR_VAL(id);
	size_t n = ZSTR_LEN(id);
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (n * UINT64_C(0xa0761d6478bd642f));
	uint64_t a, b;
	if (n <= 16) {
		if (n >= 8) {
			a = load64(p);
			b = load64(p + n - 8);
		} else if (n >= 4) {
			a = load32(p);
			b = load32(p + n - 4);
		} else {
			a = n ? ((uint64_t) p[0] << 16) | ((uint64_t) p[n >> 1] << 8) | p[n - 1] : 0;
			b = 0;
		}
	} else {
		for (; n > 16; p += 16, n -= 16) {
			h = mix64(h ^ load64(p)) ^ load64(p + 8);
		}
		a = load64(p + n - 16);
		b = load64(p + n - 8);
	}
	return mix64(h ^ a ^ mix64(b + UINT64_C(0xe7037ed1a0b428db)));
}

static inline uint64_t cell_hash(const key *product, const key *location)
{
	return mix64(key_hash(product) * UINT64_C(0x9e3779b97f4a7c15) + key_hash(location));
}

static uint32_t cell_find(const ledger *l, const key *product, const key *location, uint64_t h)
{
	if (l->cell_index.slots == NULL) {
		return NO_CELL;
	}
	for (uint32_t s = (uint32_t) h & l->cell_index.mask;; s = (s + 1) & l->cell_index.mask) {
		uint64_t slot = l->cell_index.slots[s];
		if (slot == 0) {
			return NO_CELL;
		}
		if (!SLOT_TAG_MATCHES(slot, h)) {
			continue;
		}
		const cell *c = CELL(l, SLOT_INDEX(slot));
		if (c->hash == h && key_equals(&c->product, product) && key_equals(&c->location, location)) {
			return SLOT_INDEX(slot);
		}
	}
}

static void key_retain(key *k)
{
	if (k->str) {
		zend_string_addref(k->str);
	}
}

static uint32_t cell_find_or_add_hashed(ledger *l, const key *product, const key *location, uint64_t h)
{
	uint32_t found = cell_find(l, product, location, h);
	if (found != NO_CELL) {
		return found;
	}
	table_grow(&l->cells, l->ncells, sizeof(cell));
	uint32_t i = l->ncells++;
	cell *c = CELL(l, i);
	memset(c, 0, sizeof *c);
	c->product = *product;
	c->location = *location;
	key_retain(&c->product);
	key_retain(&c->location);
	c->hash = h;

	if (l->cell_index.slots == NULL || (size_t) l->ncells * 2 > (size_t) l->cell_index.mask + 1) {
		INDEX_REBUILD(l->cell_index, l->ncells, CELL_HASH);
	} else {
		uint32_t s = (uint32_t) h & l->cell_index.mask;
		while (l->cell_index.slots[s]) {
			s = (s + 1) & l->cell_index.mask;
		}
		l->cell_index.slots[s] = SLOT(i, h);
	}
	return i;
}

static uint32_t entry_find(const ledger *l, const zend_string *id, uint64_t h)
{
	if (l->entry_index.slots == NULL) {
		return NO_CELL;
	}
	for (uint32_t s = (uint32_t) h & l->entry_index.mask;; s = (s + 1) & l->entry_index.mask) {
		uint64_t slot = l->entry_index.slots[s];
		if (slot == 0) {
			return NO_CELL;
		}
		if (!SLOT_TAG_MATCHES(slot, h)) {
			continue;
		}
		const entry *e = ENTRY(l, SLOT_INDEX(slot));
		if (e->hash == h && e->id_len == ZSTR_LEN(id) && memcmp(e->id, ZSTR_VAL(id), e->id_len) == 0) {
			return SLOT_INDEX(slot);
		}
	}
}

static entry *entry_add(ledger *l, const zend_string *id, uint64_t h)
{
	table_grow(&l->entries, l->nentries, sizeof(entry));
	uint32_t i = l->nentries++;
	entry *e = ENTRY(l, i);
	e->hash = h;
	e->id = arena_copy(l, ZSTR_VAL(id), ZSTR_LEN(id));
	e->id_len = (uint32_t) ZSTR_LEN(id);

	if (l->entry_index.slots == NULL || (size_t) l->nentries * 2 > (size_t) l->entry_index.mask + 1) {
		INDEX_REBUILD(l->entry_index, l->nentries, ENTRY_HASH);
	} else {
		uint32_t s = (uint32_t) h & l->entry_index.mask;
		while (l->entry_index.slots[s]) {
			s = (s + 1) & l->entry_index.mask;
		}
		l->entry_index.slots[s] = SLOT(i, h);
	}
	return e;
}

static inline uint32_t cell_find_or_add(ledger *l, const key *product, const key *location)
{
	return cell_find_or_add_hashed(l, product, location, cell_hash(product, location));
}

/* ---- the fold ---- */

static void heap_push(cell *c, adjust a)
{
	if (c->heap_len == c->heap_cap) {
		c->heap_cap = c->heap_cap ? c->heap_cap * 2 : 4;
		c->heap = erealloc(c->heap, (size_t) c->heap_cap * sizeof(adjust));
	}
	uint32_t i = c->heap_len++;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (c->heap[parent].at <= a.at) {
			break;
		}
		c->heap[i] = c->heap[parent];
		i = parent;
	}
	c->heap[i] = a;
}

static adjust heap_pop(cell *c)
{
	adjust top = c->heap[0];
	adjust last = c->heap[--c->heap_len];
	uint32_t i = 0, n = c->heap_len;
	for (;;) {
		uint32_t child = 2 * i + 1;
		if (child >= n) {
			break;
		}
		if (child + 1 < n && c->heap[child + 1].at < c->heap[child].at) {
			child++;
		}
		if (last.at <= c->heap[child].at) {
			break;
		}
		c->heap[i] = c->heap[child];
		i = child;
	}
	if (n > 0) {
		c->heap[i] = last;
	}
	return top;
}

static void cell_adjust(cell *c, int64_t at, int64_t qty)
{
	if (c->count_id != NULL && at <= c->count_at) {
		return; /* absorbed by the latest count */
	}
	adjust a = { at, qty };
	heap_push(c, a);
	wide_add(&c->after, qty);
}

static void cell_count(cell *c, int64_t at, const char *id, uint32_t id_len, int64_t qty)
{
	if (c->count_id != NULL) {
		if (at < c->count_at) {
			return;
		}
		if (at == c->count_at && zend_binary_strcmp(id, id_len, c->count_id, c->count_id_len) <= 0) {
			return;
		}
	}
	c->count_id = id;
	c->count_id_len = id_len;
	c->count_at = at;
	c->count_qty = qty;
	while (c->heap_len > 0 && c->heap[0].at <= at) {
		wide_sub(&c->after, heap_pop(c).qty);
	}
}

static wide cell_on_hand(const cell *c)
{
	wide w = c->after;
	if (c->count_id != NULL) {
		wide_add(&w, c->count_qty);
	}
	return w;
}

static void entry_fold(ledger *l, const entry *e)
{
	cell *c = CELL(l, e->cell);
	switch (e->kind) {
		case KIND_COUNT:
			cell_count(c, e->at, e->id, e->id_len, e->qty);
			break;
		case KIND_ADJUST:
			cell_adjust(c, e->at, e->qty);
			break;
		case KIND_COMMIT:
			wide_add(&c->committed, e->qty);
			break;
		case KIND_RELEASE:
			wide_sub(&c->committed, e->qty);
			break;
		case KIND_TRANSFER:
			cell_adjust(c, e->at, -e->qty); /* qty > 0: validated */
			cell_adjust(CELL(l, e->to), e->at, e->qty);
			break;
	}
}

/* A cell a batch touched, with its levels from before the batch. */
typedef struct {
	uint32_t cell;
	const char *count_id;
	int64_t on_hand;
	int64_t committed;
} touched_cell;

/* Notes a cell's levels when a batch first touches it (levels of a settled ledger always fit). */
static inline void cell_touch(ledger *l, uint32_t i, touched_cell **touched, uint32_t *ntouched, uint32_t *cap)
{
	cell *c = CELL(l, i);
	if (c->touched == l->batch) {
		return;
	}
	c->touched = l->batch;
	if (*ntouched == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*touched = safe_erealloc(*touched, *cap, sizeof(touched_cell), 0);
	}
	touched_cell *t = &(*touched)[(*ntouched)++];
	t->cell = i;
	t->count_id = c->count_id;
	(void) wide_to_int64(cell_on_hand(c), &t->on_hand);
	(void) wide_to_int64(c->committed, &t->committed);
}

/* Puts a cell back to what seed() said of it (nothing, for a cell not seeded). The seeded
 * adjusts are all later than the seeded count, so each stays in the heap. */
static void cell_reset_to_seed(cell *c)
{
	const cell_seed *s = c->seed;
	c->heap_len = 0;
	c->after = wide_of(0);
	if (s == NULL) {
		c->count_id = NULL;
		c->count_id_len = 0;
		c->count_at = 0;
		c->count_qty = 0;
		c->committed = wide_of(0);
		return;
	}
	c->count_id = s->count_id;
	c->count_id_len = s->count_id_len;
	c->count_at = s->count_at;
	c->count_qty = s->count_qty;
	c->committed = wide_of(s->committed);
	for (uint32_t i = 0; i < s->nadjusts; i++) {
		heap_push(c, s->adjusts[i]);
		wide_add(&c->after, s->adjusts[i].qty);
	}
}

static void cell_release(cell *c)
{
	if (c->product.str) zend_string_release(c->product.str);
	if (c->location.str) zend_string_release(c->location.str);
	if (c->heap) efree(c->heap);
	if (c->seed && c->seed->adjusts) {
		efree(c->seed->adjusts); /* the seed itself is in the arena */
	}
}

/* Undoes a failed batch: drops what it added and folds the remaining events again. */
static void ledger_rollback(ledger *l, uint32_t nentries, uint32_t ncells, arena_mark mark)
{
	for (uint32_t i = ncells; i < l->ncells; i++) {
		cell_release(CELL(l, i));
	}
	l->ncells = ncells;
	l->nentries = nentries;
	arena_reset(l, mark);

	INDEX_REBUILD(l->cell_index, l->ncells, CELL_HASH);
	INDEX_REBUILD(l->entry_index, l->nentries, ENTRY_HASH);

	for (uint32_t i = 0; i < l->ncells; i++) {
		cell_reset_to_seed(CELL(l, i));
	}
	for (uint32_t i = 0; i < l->nentries; i++) {
		if (ENTRY(l, i)->cell != NO_CELL) {
			entry_fold(l, ENTRY(l, i));
		}
	}
}

/* ---- parsing one event ---- */

typedef struct {
	zend_string *id;
	key product;
	key location;
	key to;
	bool has_to;
	uint8_t kind;
	int64_t qty;
	int64_t at;
} event;

/* Throws Omnistock\MalformedEvent (a ValueError) worded like zend_argument_value_error(), with the
 * event's index and the field (NULL: the event itself) as properties a caller can map to its own
 * error ("events[2].qty"). With `arg` 0 (a look ahead), throws nothing: the event is parsed again
 * in its turn, and fails then. */
ZEND_ATTRIBUTE_FORMAT(printf, 4, 5)
static bool malformed(uint32_t arg, uint32_t index, const char *field, const char *format, ...)
{
	if (arg == 0) {
		return false;
	}
	va_list va;
	va_start(va, format);
	zend_string *what = zend_vstrpprintf(0, format, va);
	va_end(va);

	zend_string *func = get_active_function_or_method_name();
	const char *arg_name = get_active_function_arg_name(arg);
	zend_string *message = zend_strpprintf(0, "%s(): Argument #%" PRIu32 "%s%s%s %s", ZSTR_VAL(func), arg,
		arg_name ? " ($" : "", arg_name ? arg_name : "", arg_name ? ")" : "", ZSTR_VAL(what));
	zend_string_release(func);
	zend_string_release(what);

	zend_object *ex = zend_throw_exception(omnistock_ce_MalformedEvent, ZSTR_VAL(message), 0);
	zend_string_release(message);
	zval v;
	ZVAL_LONG(&v, index);
	zend_update_property_ex(omnistock_ce_MalformedEvent, ex, fields[F_INDEX], &v);
	if (field) {
		ZVAL_STRING(&v, field);
	} else {
		ZVAL_NULL(&v);
	}
	zend_update_property_ex(omnistock_ce_MalformedEvent, ex, fields[F_FIELD], &v);
	zval_ptr_dtor(&v);
	return false;
}

#define event_error(index, field, what) malformed(arg, index, field, "event %" PRIu32 ": \"%s\" %s", index, field, what)

/* Is the bucket's key that field? The same pointer, unless an opcache interned the script's keys apart. */
static zend_always_inline bool bucket_is(const Bucket *b, int field)
{
	return b->key == fields[field]
		|| (b->key && b->h == ZSTR_H(fields[field]) && zend_string_equal_content(b->key, fields[field]));
}

static bool event_parse(zval *zv, uint32_t arg, uint32_t index, event *ev)
{
	ZVAL_DEREF(zv);
	if (Z_TYPE_P(zv) != IS_ARRAY) {
		return malformed(arg, index, NULL, "event %" PRIu32 " must be an array, %s given", index, zend_zval_type_name(zv));
	}
	HashTable *ht = Z_ARRVAL_P(zv);
	/* The fields in the documented order (as a literal or a row writes them) are read in place;
	 * any other order is searched for. */
	const Bucket *b = HT_IS_PACKED(ht) ? NULL : ht->arData;
	const bool in_order = b && ht->nNumUsed == ht->nNumOfElements && ht->nNumUsed >= F_TO
		&& bucket_is(&b[F_ID], F_ID) && bucket_is(&b[F_PRODUCT], F_PRODUCT) && bucket_is(&b[F_LOCATION], F_LOCATION)
		&& bucket_is(&b[F_KIND], F_KIND) && bucket_is(&b[F_QTY], F_QTY) && bucket_is(&b[F_AT], F_AT);
#define FIELD(name) (in_order ? (zval *) &b[name].val : zend_hash_find_known_hash(ht, fields[name]))
	zval *f;

	f = FIELD(F_ID);
	if (f == NULL) {
		return event_error(index, "id", "is missing");
	}
	ZVAL_DEREF(f);
	if (Z_TYPE_P(f) != IS_STRING || Z_STRLEN_P(f) == 0 || Z_STRLEN_P(f) > ID_MAX_BYTES) {
		return event_error(index, "id", "must be a non-empty string of at most 200 bytes");
	}
	ev->id = Z_STR_P(f);

	f = FIELD(F_PRODUCT);
	if (f == NULL) {
		return event_error(index, "product", "is missing");
	}
	if (!key_from_zval(f, &ev->product)) {
		return event_error(index, "product", "must be an int or a non-empty string");
	}

	f = FIELD(F_LOCATION);
	if (f == NULL) {
		return event_error(index, "location", "is missing");
	}
	if (!key_from_zval(f, &ev->location)) {
		return event_error(index, "location", "must be an int or a non-empty string");
	}

	f = FIELD(F_KIND);
	if (f == NULL) {
		return event_error(index, "kind", "is missing");
	}
	ZVAL_DEREF(f);
	if (Z_TYPE_P(f) != IS_STRING) {
		return event_error(index, "kind", "must be one of count, adjust, commit, release, transfer");
	}
	/* A script's literal is the interned string itself: compare pointers first, bytes only then. */
	for (ev->kind = 0; ev->kind <= KIND_TRANSFER && Z_STR_P(f) != kinds[ev->kind]; ev->kind++) {
	}
	if (ev->kind > KIND_TRANSFER) {
		for (ev->kind = 0; ev->kind <= KIND_TRANSFER && !zend_string_equal_content(Z_STR_P(f), kinds[ev->kind]); ev->kind++) {
		}
	}
	if (ev->kind > KIND_TRANSFER) {
		return event_error(index, "kind", "must be one of count, adjust, commit, release, transfer");
	}

	f = FIELD(F_QTY);
	if (f == NULL) {
		return event_error(index, "qty", "is missing");
	}
	ZVAL_DEREF(f);
	if (Z_TYPE_P(f) != IS_LONG) {
		return event_error(index, "qty", "must be an int");
	}
	ev->qty = Z_LVAL_P(f);
	switch (ev->kind) {
		case KIND_COUNT:
			if (ev->qty < 0) {
				return event_error(index, "qty", "must be greater than or equal to 0 for a count");
			}
			break;
		case KIND_ADJUST:
			if (ev->qty == 0) {
				return event_error(index, "qty", "must not be 0 for an adjust");
			}
			break;
		default:
			if (ev->qty <= 0) {
				return malformed(arg, index, "qty", "event %" PRIu32 ": \"qty\" must be greater than 0 for a %s",
					index, kind_names[ev->kind]);
			}
	}

	f = FIELD(F_AT);
	if (f == NULL) {
		return event_error(index, "at", "is missing");
	}
	ZVAL_DEREF(f);
	if (Z_TYPE_P(f) != IS_LONG || Z_LVAL_P(f) < 0) {
		return event_error(index, "at", "must be an int greater than or equal to 0 (milliseconds)");
	}
	ev->at = Z_LVAL_P(f);

	if (in_order && ht->nNumUsed == F_TO) {
		f = NULL; /* the six fields, and nothing else */
	} else if (in_order && bucket_is(&b[F_TO], F_TO)) {
		f = (zval *) &b[F_TO].val;
	} else {
		f = zend_hash_find_known_hash(ht, fields[F_TO]);
	}
#undef FIELD
	ev->has_to = f != NULL;
	if (ev->kind == KIND_TRANSFER) {
		if (f == NULL) {
			return event_error(index, "to", "is missing (a transfer needs a destination location)");
		}
		if (!key_from_zval(f, &ev->to)) {
			return event_error(index, "to", "must be an int or a non-empty string");
		}
		if (key_equals(&ev->to, &ev->location)) {
			return event_error(index, "to", "must differ from \"location\"");
		}
	} else if (f != NULL) {
		return malformed(arg, index, "to", "event %" PRIu32 ": \"to\" is only allowed when \"kind\" is \"transfer\", not \"%s\"",
			index, kind_names[ev->kind]);
	}
	return true;
}

#undef event_error

/* An event parsed a few steps before its turn, with its hashes, so that what it will touch can be
 * brought into cache meanwhile. */
typedef struct {
	event ev;
	uint64_t id_hash;
	uint64_t cell_hash;
	uint32_t at; /* its position in the list; UINT32_MAX: nothing parsed */
	uint32_t cell; /* its cell as a look ahead found it (NO_CELL: none yet), a hint only */
} parsed_event;

#define AHEAD_RING 4 /* a power of 2, more than the farthest parse ahead (3) */

static inline void parsed_hash(parsed_event *p)
{
	p->id_hash = id_hash(p->ev.id);
	p->cell_hash = cell_hash(&p->ev.product, &p->ev.location);
}

/* The index slots an upcoming event will probe: its id's and its cell's. */
static void prefetch_slots(const ledger *l, const parsed_event *p)
{
	if (l->entry_index.slots) {
		PREFETCH(&l->entry_index.slots[(uint32_t) p->id_hash & l->entry_index.mask]);
	}
	if (l->cell_index.slots) {
		PREFETCH(&l->cell_index.slots[(uint32_t) p->cell_hash & l->cell_index.mask]);
	}
}

/* The cell an upcoming event folds into, once its slot is in cache: the lines the fold reads. */
static void prefetch_cell(const ledger *l, parsed_event *p)
{
	p->cell = NO_CELL;
	if (l->cell_index.slots == NULL) {
		return;
	}
	const uint64_t h = p->cell_hash;
	for (uint32_t s = (uint32_t) h & l->cell_index.mask;; s = (s + 1) & l->cell_index.mask) {
		uint64_t slot = l->cell_index.slots[s];
		if (slot == 0) {
			return;
		}
		if (SLOT_TAG_MATCHES(slot, h)) {
			const char *c = (const char *) CELL(l, SLOT_INDEX(slot));
			PREFETCH(c);
			PREFETCH(c + 64);
			p->cell = SLOT_INDEX(slot);
			return;
		}
	}
}

/* Once that cell is in cache: the heap line the fold will write (an adjust) or read (a count). */
static inline void prefetch_heap(const ledger *l, const parsed_event *p)
{
	if (p->cell == NO_CELL || p->cell >= l->ncells) {
		return;
	}
	const cell *c = CELL(l, p->cell);
	if (c->heap) {
		PREFETCH(p->ev.kind == KIND_COUNT ? &c->heap[0] : &c->heap[c->heap_len < c->heap_cap ? c->heap_len : 0]);
	}
}

/* Same id, same change? */
static bool entry_matches(const ledger *l, const entry *e, const event *ev)
{
	if (e->cell == NO_CELL) {
		const known_event *k = &l->known[e->to];
		return k->kind == ev->kind && k->qty == ev->qty && k->at == ev->at
			&& key_equals(&k->product, &ev->product) && key_equals(&k->location, &ev->location)
			&& (k->kind != KIND_TRANSFER || key_equals(&k->to, &ev->to));
	}
	const cell *c = CELL(l, e->cell);
	if (e->kind != ev->kind || e->qty != ev->qty || e->at != ev->at
			|| !key_equals(&c->product, &ev->product) || !key_equals(&c->location, &ev->location)) {
		return false;
	}
	if (e->kind == KIND_TRANSFER) {
		return key_equals(&CELL(l, e->to)->location, &ev->to);
	}
	return true;
}

/* ---- methods ---- */

ZEND_METHOD(Omnistock_Ledger, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
	(void) return_value;
}

static bool key_from_param(zend_string *str, zend_long num, uint32_t arg, key *out)
{
	zval zv;
	if (str) {
		ZVAL_STR(&zv, str);
	} else {
		ZVAL_LONG(&zv, num);
	}
	if (!key_from_zval(&zv, out)) {
		zend_argument_value_error(arg, "must be an int or a non-empty string");
		return false;
	}
	return true;
}

/* A cell as seed() was given it, checked, before anything is changed. */
typedef struct {
	key product;
	key location;
	zend_string *count_id; /* NULL: no count */
	int64_t count_at;
	int64_t count_qty;
	int64_t committed;
	HashTable *adjusts; /* NULL: none */
} seed_cell;

static bool seed_error(uint32_t index, const char *field, const char *what)
{
	zend_argument_value_error(1, "cell %" PRIu32 ": \"%s\" %s", index, field, what);
	return false;
}

static bool seed_int(HashTable *ht, int field, bool required, int64_t *out)
{
	zval *f = zend_hash_find_known_hash(ht, fields[field]);
	if (f) {
		ZVAL_DEREF(f);
	}
	if (f == NULL || Z_TYPE_P(f) == IS_NULL) {
		*out = 0;
		return !required;
	}
	if (Z_TYPE_P(f) != IS_LONG) {
		return false;
	}
	*out = Z_LVAL_P(f);
	return true;
}

static bool seed_parse(zval *zv, uint32_t index, seed_cell *sc)
{
	ZVAL_DEREF(zv);
	if (Z_TYPE_P(zv) != IS_ARRAY) {
		zend_argument_value_error(1, "cell %" PRIu32 " must be an array, %s given", index, zend_zval_type_name(zv));
		return false;
	}
	HashTable *ht = Z_ARRVAL_P(zv);
	zval *f = zend_hash_find_known_hash(ht, fields[F_PRODUCT]);
	if (f == NULL || !key_from_zval(f, &sc->product)) {
		return seed_error(index, "product", "must be an int or a non-empty string");
	}
	f = zend_hash_find_known_hash(ht, fields[F_LOCATION]);
	if (f == NULL || !key_from_zval(f, &sc->location)) {
		return seed_error(index, "location", "must be an int or a non-empty string");
	}
	if (!seed_int(ht, F_COMMITTED, false, &sc->committed)) {
		return seed_error(index, "committed", "must be an int");
	}

	sc->count_id = NULL;
	sc->count_at = -1;
	sc->count_qty = 0;
	f = zend_hash_find_known_hash(ht, fields[F_COUNT]);
	if (f) {
		ZVAL_DEREF(f);
	}
	if (f && Z_TYPE_P(f) != IS_NULL) {
		if (Z_TYPE_P(f) != IS_ARRAY) {
			return seed_error(index, "count", "must be null or an array {id, at, qty}");
		}
		zval *id = zend_hash_find_known_hash(Z_ARRVAL_P(f), fields[F_ID]);
		if (id) {
			ZVAL_DEREF(id);
		}
		if (id == NULL || Z_TYPE_P(id) != IS_STRING || Z_STRLEN_P(id) == 0 || Z_STRLEN_P(id) > ID_MAX_BYTES) {
			return seed_error(index, "count", "needs an \"id\": a non-empty string of at most 200 bytes");
		}
		if (!seed_int(Z_ARRVAL_P(f), F_AT, true, &sc->count_at) || sc->count_at < 0) {
			return seed_error(index, "count", "needs an \"at\": an int greater than or equal to 0");
		}
		/* Any int: a caller standing the cell's on_hand in for its adjusts (see the stub) may
		 * have a negative one. */
		if (!seed_int(Z_ARRVAL_P(f), F_QTY, true, &sc->count_qty)) {
			return seed_error(index, "count", "needs a \"qty\": an int");
		}
		sc->count_id = Z_STR_P(id);
	}

	sc->adjusts = NULL;
	f = zend_hash_find_known_hash(ht, fields[F_ADJUSTS]);
	if (f) {
		ZVAL_DEREF(f);
		if (Z_TYPE_P(f) != IS_ARRAY || !zend_array_is_list(Z_ARRVAL_P(f))) {
			return seed_error(index, "adjusts", "must be a list of {at, qty}");
		}
		wide on_hand = wide_of(sc->count_qty);
		zval *a;
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(f), a) {
			int64_t at, qty;
			ZVAL_DEREF(a);
			if (Z_TYPE_P(a) != IS_ARRAY || !seed_int(Z_ARRVAL_P(a), F_AT, true, &at) || at < 0
					|| !seed_int(Z_ARRVAL_P(a), F_QTY, true, &qty) || qty == 0) {
				return seed_error(index, "adjusts", "must be a list of {at: int >= 0, qty: int != 0}");
			}
			if (sc->count_id && at <= sc->count_at) {
				return seed_error(index, "adjusts", "must all be later than the count (the count absorbed the others)");
			}
			wide_add(&on_hand, qty);
		} ZEND_HASH_FOREACH_END();
		int64_t fits;
		if (!wide_to_int64(on_hand, &fits)) {
			zend_throw_exception_ex(omnistock_ce_StockOverflow, 0,
				"Cell %" PRIu32 ": its on_hand leaves the 64-bit integer range; nothing was seeded", index);
			return false;
		}
		sc->adjusts = Z_ARRVAL_P(f);
	}
	return true;
}

ZEND_METHOD(Omnistock_Ledger, seed)
{
	HashTable *cells, *known = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT(cells)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(known)
	ZEND_PARSE_PARAMETERS_END();

	if (!zend_array_is_list(cells)) {
		zend_argument_value_error(1, "must be a list of cells");
		RETURN_THROWS();
	}
	if (known && !zend_array_is_list(known)) {
		zend_argument_value_error(2, "must be a list of events");
		RETURN_THROWS();
	}

	ledger *l = Z_LEDGER_P(ZEND_THIS);
	const uint32_t ncells = zend_hash_num_elements(cells), nknown = known ? zend_hash_num_elements(known) : 0;
	seed_cell *parsed = safe_emalloc(ncells ? ncells : 1, sizeof(seed_cell), 0);
	event *events = safe_emalloc(nknown ? nknown : 1, sizeof(event), 0);
	HashTable seen; /* the cells of this call, by hash, to refuse one given twice */
	zend_hash_init(&seen, ncells, NULL, NULL, 0);

	/* Everything is checked before anything changes: a bad argument leaves the ledger as it was. */
	uint32_t i = 0;
	zval *zv;
	ZEND_HASH_FOREACH_VAL(cells, zv) {
		seed_cell *sc = &parsed[i];
		if (!seed_parse(zv, i, sc)) {
			goto failed;
		}
		uint64_t h = cell_hash(&sc->product, &sc->location);
		bool twice = cell_find(l, &sc->product, &sc->location, h) != NO_CELL;
		zval *same = zend_hash_index_find(&seen, (zend_ulong) h);
		if (!twice && same) {
			/* A hash shared by distinct cells is possible: compare with every cell of that hash. */
			for (uint32_t j = 0; j < i && !twice; j++) {
				twice = key_equals(&parsed[j].product, &sc->product) && key_equals(&parsed[j].location, &sc->location);
			}
		}
		if (twice) {
			zend_argument_value_error(1, "cell %" PRIu32 " is already known to this ledger (seed each cell once, before its events)", i);
			goto failed;
		}
		if (ncells > 1) {
			zval yes;
			ZVAL_TRUE(&yes);
			zend_hash_index_update(&seen, (zend_ulong) h, &yes);
		}
		i++;
	} ZEND_HASH_FOREACH_END();

	i = 0;
	if (known) {
		ZEND_HASH_FOREACH_VAL(known, zv) {
			if (!event_parse(zv, 2, i, &events[i])) {
				goto failed;
			}
			i++;
		} ZEND_HASH_FOREACH_END();
	}

	for (i = 0; i < ncells; i++) {
		seed_cell *sc = &parsed[i];
		uint32_t ci = cell_find_or_add(l, &sc->product, &sc->location);
		cell *c = CELL(l, ci);
		cell_seed *s = c->seed = arena_alloc(l, sizeof(cell_seed));
		if (sc->count_id) {
			s->count_id = arena_copy(l, ZSTR_VAL(sc->count_id), ZSTR_LEN(sc->count_id));
			s->count_id_len = (uint32_t) ZSTR_LEN(sc->count_id);
			s->count_at = sc->count_at;
			s->count_qty = sc->count_qty;
		}
		s->committed = sc->committed;
		if (sc->adjusts && zend_hash_num_elements(sc->adjusts) > 0) {
			s->adjusts = safe_emalloc(zend_hash_num_elements(sc->adjusts), sizeof(adjust), 0);
			zval *a;
			ZEND_HASH_FOREACH_VAL(sc->adjusts, a) {
				ZVAL_DEREF(a);
				int64_t at = 0, qty = 0;
				(void) seed_int(Z_ARRVAL_P(a), F_AT, true, &at);
				(void) seed_int(Z_ARRVAL_P(a), F_QTY, true, &qty);
				s->adjusts[s->nadjusts].at = at;
				s->adjusts[s->nadjusts].qty = qty;
				s->nadjusts++;
			} ZEND_HASH_FOREACH_END();
		}
		cell_reset_to_seed(c);
	}

	for (i = 0; i < nknown; i++) {
		event *ev = &events[i];
		uint64_t h = id_hash(ev->id);
		if (entry_find(l, ev->id, h) != NO_CELL) {
			continue; /* known already: the first content given stands */
		}
		if (l->nknown == l->known_cap) {
			l->known_cap = grown_capacity(l->known_cap, l->nknown + 1);
			l->known = safe_erealloc(l->known, l->known_cap, sizeof(known_event), 0);
		}
		known_event *k = &l->known[l->nknown];
		k->product = ev->product;
		k->location = ev->location;
		if (ev->kind == KIND_TRANSFER) {
			k->to = ev->to;
		} else {
			k->to.str = NULL;
			k->to.num = 0;
		}
		key_retain(&k->product);
		key_retain(&k->location);
		key_retain(&k->to);
		k->kind = ev->kind;
		k->qty = ev->qty;
		k->at = ev->at;
		entry *e = entry_add(l, ev->id, h);
		e->cell = NO_CELL;
		e->to = l->nknown++;
		e->kind = ev->kind;
		e->qty = ev->qty;
		e->at = ev->at;
	}

	efree(parsed);
	efree(events);
	zend_hash_destroy(&seen);
	return;

failed:
	efree(parsed);
	efree(events);
	zend_hash_destroy(&seen);
	RETURN_THROWS();
}

/* {product, location, on_hand, committed} of a cell, in a row with room for $size fields: what
 * levels() lists and state() begins with. */
static HashTable *cell_level(const cell *c, zval *row, uint32_t size)
{
	int64_t on_hand, committed;
	(void) wide_to_int64(cell_on_hand(c), &on_hand);
	(void) wide_to_int64(c->committed, &committed);
	zval k;
	HashTable *ht = row_init(row, size);
	key_to_zval(&c->product, &k);
	row_set(ht, F_PRODUCT, &k);
	key_to_zval(&c->location, &k);
	row_set(ht, F_LOCATION, &k);
	row_set_long(ht, F_ON_HAND, on_hand);
	row_set_long(ht, F_COMMITTED, committed);
	return ht;
}

/* {product, location, on_hand, committed, count: null | {id, at, qty}}: what a caller keeping the
 * cell elsewhere (a database row) needs to store. */
static void cell_state(const cell *c, zval *row)
{
	HashTable *ht = cell_level(c, row, 5);
	zval count_zv = {0}; /* all of it set: appending copies the value part of a null too */
	ZVAL_NULL(&count_zv);
	if (c->count_id) {
		HashTable *count = row_init(&count_zv, 3);
		zval id;
		ZVAL_STRINGL_FAST(&id, c->count_id, c->count_id_len);
		row_set(count, F_ID, &id);
		row_set_long(count, F_AT, c->count_at);
		row_set_long(count, F_QTY, c->count_qty);
	}
	row_set(ht, F_COUNT, &count_zv);
}

/* Parses the (product, location) arguments of state() and level(): the cell they name, or NO_CELL
 * when this ledger has none. False once it has thrown. */
static bool cell_argument(zend_execute_data *execute_data, const cell **found)
{
	zend_string *product_str, *location_str;
	zend_long product_num = 0, location_num = 0;
	key product, location;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR_OR_LONG(product_str, product_num)
		Z_PARAM_STR_OR_LONG(location_str, location_num)
	ZEND_PARSE_PARAMETERS_END_EX(return false);

	if (!key_from_param(product_str, product_num, 1, &product)
			|| !key_from_param(location_str, location_num, 2, &location)) {
		return false;
	}
	const ledger *l = Z_LEDGER_P(ZEND_THIS);
	uint32_t i = cell_find(l, &product, &location, cell_hash(&product, &location));
	*found = i == NO_CELL ? NULL : CELL(l, i);
	return true;
}

ZEND_METHOD(Omnistock_Ledger, state)
{
	const cell *c;
	if (!cell_argument(execute_data, &c)) {
		RETURN_THROWS();
	}
	if (c == NULL) {
		RETURN_NULL();
	}
	cell_state(c, return_value);
}

/* [product, location], an entry of "changed". */
static void cell_pair(const cell *c, zval *out)
{
	zval product, location;
	key_to_zval(&c->product, &product);
	key_to_zval(&c->location, &location);
	ZVAL_ARR(out, zend_new_pair(&product, &location));
}

ZEND_METHOD(Omnistock_Ledger, apply)
{
	HashTable *events;
	bool report = false;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT(events)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(report)
	ZEND_PARSE_PARAMETERS_END();

	if (!zend_array_is_list(events)) {
		zend_argument_value_error(1, "must be a list of events");
		RETURN_THROWS();
	}

	ledger *l = Z_LEDGER_P(ZEND_THIS);
	const uint32_t nentries0 = l->nentries, ncells0 = l->ncells;
	const arena_mark mark = { l->arena, l->arena ? l->arena->used : 0 };
	zend_long applied = 0, duplicates = 0;
	zval conflicts, fresh;
	touched_cell *touched = NULL;
	uint32_t ntouched = 0, touched_cap = 0;

	const uint32_t used = events->nNumUsed;
	l->batch++;
	/* Room in the id index for every event of the batch at once: one rebuild, not one a doubling. */
	if ((size_t) l->nentries + used <= UINT32_MAX / 4
			&& ((size_t) l->nentries + used) * 2 > (size_t) l->entry_index.mask + 1) {
		INDEX_REBUILD_ROOM(l->entry_index, l->nentries, l->nentries + used, ENTRY_HASH);
	}
	/* A batch touches at most two cells an event: room for all of them at once, up to a bound. */
	touched_cap = used < 32768 ? 2 * (used ? used : 1) : 65536;
	touched = safe_emalloc(touched_cap, sizeof(touched_cell), 0);
	array_init(&conflicts);
	if (report) {
		array_init(&fresh);
	}

	/* A list of events is a packed array: walk it by position so that the events a few steps ahead
	 * can be brought in. Imports arrive in no particular memory order, and waiting on each event's
	 * hash table in turn is most of what a batch costs. Each stage needs what the one before
	 * brought in: the array, its buckets, its id string; then it is parsed (quietly: an error is
	 * raised in its turn) and hashed, its index slots fetched, and last its cell. */
	zval *list = HT_IS_PACKED(events) ? events->arPacked : NULL;
	parsed_event ahead[AHEAD_RING];
	for (int r = 0; r < AHEAD_RING; r++) {
		ahead[r].at = UINT32_MAX;
		ahead[r].cell = NO_CELL;
	}
	uint32_t index = 0;
	zval *zv;
	ZEND_HASH_FOREACH_VAL(events, zv) {
		event here; /* parsed in its turn: no look ahead got to it */
		const event *ev = &here;
		uint64_t h, hc;
		uint32_t at = list ? (uint32_t) (zv - list) : UINT32_MAX;
		if (list) {
			if (at + 12 < used && Z_TYPE(list[at + 12]) == IS_ARRAY) {
				PREFETCH(Z_ARR(list[at + 12]));
			}
			if (at + 8 < used && Z_TYPE(list[at + 8]) == IS_ARRAY) {
				const HashTable *next = Z_ARR(list[at + 8]);
				const char *data = (const char *) HT_GET_DATA_ADDR(next);
				for (size_t off = 0; off < HT_USED_SIZE(next); off += 64) {
					PREFETCH(data + off);
				}
			}
			if (at + 4 < used && Z_TYPE(list[at + 4]) == IS_ARRAY) {
				const HashTable *next = Z_ARR(list[at + 4]);
				const zval *id = !HT_IS_PACKED(next) && next->nNumUsed > F_ID && bucket_is(&next->arData[F_ID], F_ID)
					? &next->arData[F_ID].val : zend_hash_find_known_hash(next, fields[F_ID]);
				if (id && Z_TYPE_P(id) == IS_STRING) {
					PREFETCH(Z_STR_P(id));
				}
			}
			if (at + 3 < used) {
				parsed_event *p = &ahead[(at + 3) & (AHEAD_RING - 1)];
				p->at = UINT32_MAX;
				if (event_parse(&list[at + 3], 0, 0, &p->ev)) {
					p->at = at + 3;
					parsed_hash(p);
					prefetch_slots(l, p);
				}
			}
			if (at + 2 < used && ahead[(at + 2) & (AHEAD_RING - 1)].at == at + 2) {
				prefetch_cell(l, &ahead[(at + 2) & (AHEAD_RING - 1)]);
			}
			if (at + 1 < used && ahead[(at + 1) & (AHEAD_RING - 1)].at == at + 1) {
				prefetch_heap(l, &ahead[(at + 1) & (AHEAD_RING - 1)]);
			}
		}
		parsed_event *mine = list ? &ahead[at & (AHEAD_RING - 1)] : NULL;
		if (mine && mine->at == at) {
			ev = &mine->ev; /* stays until the look ahead comes round to its slot again, after this turn */
			h = mine->id_hash;
			hc = mine->cell_hash;
		} else {
			if (!event_parse(zv, 1, index, &here)) {
				goto failed;
			}
			h = id_hash(ev->id);
			hc = cell_hash(&ev->product, &ev->location);
		}
		index++;

		uint32_t seen = entry_find(l, ev->id, h);
		if (seen != NO_CELL) {
			duplicates++;
			if (!entry_matches(l, ENTRY(l, seen), ev)) {
				add_next_index_str(&conflicts, zend_string_copy(ev->id));
			}
			continue;
		}

		uint32_t ci = cell_find_or_add_hashed(l, &ev->product, &ev->location, hc);
		uint32_t ti = ev->kind == KIND_TRANSFER ? cell_find_or_add(l, &ev->product, &ev->to) : NO_CELL;

		entry *e = entry_add(l, ev->id, h);
		e->cell = ci;
		e->to = ti;
		e->kind = ev->kind;
		e->qty = ev->qty;
		e->at = ev->at;

		cell_touch(l, ci, &touched, &ntouched, &touched_cap);
		if (ti != NO_CELL) {
			cell_touch(l, ti, &touched, &ntouched, &touched_cap);
		}
		entry_fold(l, e);
		applied++;
		if (report) {
			add_next_index_long(&fresh, (zend_long) index - 1);
		}
	} ZEND_HASH_FOREACH_END();

	/* Every level must fit in 64 bits once the whole batch is in, whatever the order: checked in
	 * the same pass that lists the changed cells, which is thrown away if one does not. */
	bool overflow = false;
	zval changed, states;
	ZVAL_EMPTY_ARRAY(&states);
	HashTable *changed_ht = list_init(&changed, ntouched);
	if (report) {
		array_init(&states);
	}
	ZEND_HASH_FILL_PACKED(changed_ht) {
		for (uint32_t t = 0; t < ntouched; t++) {
			const touched_cell *was = &touched[t];
			const cell *c = CELL(l, was->cell);
			int64_t on_hand, committed;
			if (!wide_to_int64(cell_on_hand(c), &on_hand) || !wide_to_int64(c->committed, &committed)) {
				overflow = true;
				break;
			}
			bool moved = on_hand != was->on_hand || committed != was->committed;
			if (report && (moved || c->count_id != was->count_id)) {
				zval row;
				cell_state(c, &row);
				add_next_index_zval(&states, &row);
			}
			if (moved) {
				zval pair;
				cell_pair(c, &pair);
				ZEND_HASH_FILL_ADD(&pair);
			}
		}
	} ZEND_HASH_FILL_END();
	if (overflow) {
		zval_ptr_dtor(&changed);
		zval_ptr_dtor(&states);
		zend_throw_exception_ex(omnistock_ce_StockOverflow, 0,
			"The levels of a cell would leave the 64-bit integer range; nothing was applied");
		goto failed;
	}
	if (touched) {
		efree(touched);
	}
	HashTable *out = row_init(return_value, report ? 6 : 4);
	row_set_long(out, F_APPLIED, applied);
	row_set_long(out, F_DUPLICATES, duplicates);
	row_set(out, F_CONFLICTS, &conflicts);
	row_set(out, F_CHANGED, &changed);
	if (report) {
		row_set(out, F_NEW, &fresh);
		row_set(out, F_LEVELS, &states);
	}
	return;

failed:
	if (touched) {
		efree(touched);
	}
	zval_ptr_dtor(&conflicts);
	if (report) {
		zval_ptr_dtor(&fresh);
	}
	ledger_rollback(l, nentries0, ncells0, mark);
	RETURN_THROWS();
}

ZEND_METHOD(Omnistock_Ledger, level)
{
	const cell *c;
	if (!cell_argument(execute_data, &c)) {
		RETURN_THROWS();
	}
	int64_t on_hand = 0, committed = 0;
	if (c) {
		(void) wide_to_int64(cell_on_hand(c), &on_hand);
		(void) wide_to_int64(c->committed, &committed);
	}
	HashTable *ht = row_init(return_value, 2);
	row_set_long(ht, F_ON_HAND, on_hand);
	row_set_long(ht, F_COMMITTED, committed);
}

/* zend_sort passes no context to its comparator, so each record carries what it is compared by
 * (a global would not be thread-safe in a ZTS build). */
typedef struct {
	key product; /* copies: comparing them does not go to the (larger, scattered) cells */
	key location;
	uint32_t cell;
} cell_ref;

static int cell_order(const void *a, const void *b)
{
	const cell_ref *x = a, *y = b;
	if (x->product.str == NULL && y->product.str == NULL && x->product.num != y->product.num) {
		return x->product.num < y->product.num ? -1 : 1;
	}
	int r = key_compare(&x->product, &y->product);
	return r ? r : key_compare(&x->location, &y->location);
}

static void cell_ref_swap(void *a, void *b)
{
	cell_ref t = *(cell_ref *) a;
	*(cell_ref *) a = *(cell_ref *) b;
	*(cell_ref *) b = t;
}

static int key_order(const void *a, const void *b)
{
	return key_compare(a, b);
}

static void key_swap(void *a, void *b)
{
	key t = *(key *) a;
	*(key *) a = *(key *) b;
	*(key *) b = t;
}

/* A cell of an integer product, as the radix sort moves it: 16 bytes. */
typedef struct {
	uint64_t product; /* the value with its sign bit flipped: it orders as an unsigned number */
	uint32_t location; /* the rank of its location among the ledger's locations */
	uint32_t cell;
} radix_ref;

/* The byte of a record that pass `b` sorts by: passes 0-3 take the location's rank, 4-11 the product. */
static inline uint32_t radix_digit(const radix_ref *r, int b)
{
	return b < 4 ? (r->location >> (8 * b)) & 0xff : (uint32_t) (r->product >> (8 * (b - 4))) & 0xff;
}

/* Cell indices ordered by product, then location. A ledger has few locations: they are ranked once
 * (by comparison), and the cells of integer products (the usual case) ordered by an LSD radix sort on
 * (product, location rank), a byte a pass, skipping the bytes all of them share: ids below 65,536 at
 * up to 256 locations take three passes. Cells of string products come after, ordered by comparison. */
static uint32_t *sorted_cells(const ledger *l)
{
	const uint32_t n = l->ncells;
	uint32_t *order = safe_emalloc(n ? n : 1, sizeof(uint32_t), 0);
	if (n == 0) {
		return order;
	}

	/* The distinct locations, numbered in the order first met; then their ranks. */
	HashTable seen;
	zend_hash_init(&seen, 8, NULL, NULL, 0);
	radix_ref *refs = safe_emalloc(n, sizeof(radix_ref), 0);
	cell_ref *strs = NULL;
	uint32_t nint = 0, nstr = 0, nlocations = 0;
	key *locations = NULL;
	for (uint32_t i = 0; i < n; i++) {
		const cell *c = CELL(l, i);
		if (c->product.str) {
			if (strs == NULL) {
				strs = safe_emalloc(n, sizeof(cell_ref), 0);
			}
			strs[nstr].product = c->product;
			strs[nstr].location = c->location;
			strs[nstr].cell = i;
			nstr++;
			continue;
		}
		zval *number = c->location.str ? zend_hash_find(&seen, c->location.str)
			: zend_hash_index_find(&seen, (zend_ulong) c->location.num);
		if (number == NULL) {
			zval v;
			ZVAL_LONG(&v, nlocations);
			if (c->location.str) {
				zend_hash_add_new(&seen, c->location.str, &v);
			} else {
				zend_hash_index_add_new(&seen, (zend_ulong) c->location.num, &v);
			}
			if ((nlocations & (nlocations - 1)) == 0) { /* 0, 1, 2, 4, …: room to double */
				locations = safe_erealloc(locations, nlocations ? nlocations * 2 : 1, sizeof(key), 0);
			}
			locations[nlocations] = c->location;
			refs[nint].location = nlocations++;
		} else {
			refs[nint].location = (uint32_t) Z_LVAL_P(number);
		}
		refs[nint].product = (uint64_t) c->product.num ^ (UINT64_C(1) << 63);
		refs[nint].cell = i;
		nint++;
	}
	zend_hash_destroy(&seen);

	if (nint > 0) {
		/* rank[first-met number] = position in location order */
		key *ranked = safe_emalloc(nlocations, sizeof(key), 0);
		memcpy(ranked, locations, (size_t) nlocations * sizeof(key));
		zend_sort(ranked, nlocations, sizeof(key), (compare_func_t) key_order, key_swap);
		HashTable at;
		zend_hash_init(&at, nlocations, NULL, NULL, 0);
		for (uint32_t r = 0; r < nlocations; r++) {
			zval v;
			ZVAL_LONG(&v, r);
			if (ranked[r].str) {
				zend_hash_add_new(&at, ranked[r].str, &v);
			} else {
				zend_hash_index_add_new(&at, (zend_ulong) ranked[r].num, &v);
			}
		}
		uint32_t *rank = safe_emalloc(nlocations, sizeof(uint32_t), 0);
		for (uint32_t k = 0; k < nlocations; k++) {
			zval *r = locations[k].str ? zend_hash_find(&at, locations[k].str)
				: zend_hash_index_find(&at, (zend_ulong) locations[k].num);
			rank[k] = (uint32_t) Z_LVAL_P(r);
		}
		zend_hash_destroy(&at);
		efree(ranked);

		/* Only the bytes that differ between records need a pass. */
		uint64_t product_or = 0, product_and = UINT64_MAX;
		uint32_t location_or = 0, location_and = UINT32_MAX;
		for (uint32_t i = 0; i < nint; i++) {
			refs[i].location = rank[refs[i].location];
			product_or |= refs[i].product;
			product_and &= refs[i].product;
			location_or |= refs[i].location;
			location_and &= refs[i].location;
		}
		efree(rank);
		int passes[12], npasses = 0;
		for (int b = 0; b < 12; b++) {
			uint64_t differ = b < 4 ? (uint64_t) ((location_or ^ location_and) >> (8 * b)) : (product_or ^ product_and) >> (8 * (b - 4));
			if (differ & 0xff) {
				passes[npasses++] = b;
			}
		}
		uint32_t (*counts)[256] = ecalloc(npasses ? npasses : 1, sizeof *counts);
		for (uint32_t i = 0; i < nint; i++) {
			for (int p = 0; p < npasses; p++) {
				counts[p][radix_digit(&refs[i], passes[p])]++;
			}
		}
		radix_ref *from = refs, *to = safe_emalloc(nint, sizeof(radix_ref), 0);
		for (int p = 0; p < npasses; p++) {
			const int b = passes[p];
			uint32_t offset[256], sum = 0;
			for (int d = 0; d < 256; d++) {
				offset[d] = sum;
				sum += counts[p][d];
			}
			for (uint32_t i = 0; i < nint; i++) {
				to[offset[radix_digit(&from[i], b)]++] = from[i];
			}
			radix_ref *t = from;
			from = to;
			to = t;
		}
		for (uint32_t i = 0; i < nint; i++) {
			order[i] = from[i].cell;
		}
		efree(to);
		efree(from);
		efree(counts);
	} else {
		efree(refs);
	}
	if (locations) {
		efree(locations);
	}
	if (nstr > 0) {
		zend_sort(strs, nstr, sizeof(cell_ref), (compare_func_t) cell_order, cell_ref_swap);
		for (uint32_t i = 0; i < nstr; i++) {
			order[nint + i] = strs[i].cell;
		}
	}
	if (strs) {
		efree(strs);
	}
	return order;
}

ZEND_METHOD(Omnistock_Ledger, levels)
{
	ZEND_PARSE_PARAMETERS_NONE();

	ledger *l = Z_LEDGER_P(ZEND_THIS);
	uint32_t *order = sorted_cells(l);

	HashTable *out = list_init(return_value, l->ncells);
	ZEND_HASH_FILL_PACKED(out) {
		for (uint32_t n = 0; n < l->ncells; n++) {
			if (n + 4 < l->ncells) {
				PREFETCH(CELL(l, order[n + 4]));
			}
			zval row;
			(void) cell_level(CELL(l, order[n]), &row, 4);
			ZEND_HASH_FILL_ADD(&row);
		}
	} ZEND_HASH_FILL_END();
	efree(order);
}

static zval *location_lookup(HashTable *ht, const key *k)
{
	return k->str ? zend_hash_find(ht, k->str) : zend_hash_index_find(ht, (zend_ulong) k->num);
}

ZEND_METHOD(Omnistock_Ledger, sellable)
{
	HashTable *locations, *safety = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT(locations)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(safety)
	ZEND_PARSE_PARAMETERS_END();

	/* location => units kept back, for the listed locations only */
	HashTable wanted;
	zend_hash_init(&wanted, zend_hash_num_elements(locations), NULL, NULL, 0);

	zval *zv, zero;
	zend_ulong idx;
	zend_string *name;
	ZVAL_LONG(&zero, 0);
	uint32_t n = 0;
	ZEND_HASH_FOREACH_VAL(locations, zv) {
		key k;
		if (!key_from_zval(zv, &k)) {
			zend_argument_value_error(1, "must be a list of locations (int or non-empty string); element %" PRIu32 " is not", n);
			goto failed;
		}
		if (k.str) {
			zend_hash_update(&wanted, k.str, &zero);
		} else {
			zend_hash_index_update(&wanted, (zend_ulong) k.num, &zero);
		}
		n++;
	} ZEND_HASH_FOREACH_END();

	if (safety) {
		ZEND_HASH_FOREACH_KEY_VAL(safety, idx, name, zv) {
			ZVAL_DEREF(zv);
			if (Z_TYPE_P(zv) != IS_LONG || Z_LVAL_P(zv) < 0) {
				if (name) {
					zend_argument_value_error(2, "must map locations to ints >= 0; \"%s\" does not", ZSTR_VAL(name));
				} else {
					zend_argument_value_error(2, "must map locations to ints >= 0; " ZEND_LONG_FMT " does not", (zend_long) idx);
				}
				goto failed;
			}
			zval *slot = name ? zend_hash_find(&wanted, name) : zend_hash_index_find(&wanted, idx);
			if (slot) {
				ZVAL_LONG(slot, Z_LVAL_P(zv));
			}
		} ZEND_HASH_FOREACH_END();
	}

	ledger *l = Z_LEDGER_P(ZEND_THIS);
	uint32_t *order = sorted_cells(l);
	array_init(return_value);

	for (uint32_t i = 0; i < l->ncells;) {
		const key *product = &CELL(l, order[i])->product;
		wide sum = wide_of(0);
		for (; i < l->ncells && key_equals(&CELL(l, order[i])->product, product); i++) {
			const cell *c = CELL(l, order[i]);
			zval *kept = location_lookup(&wanted, &c->location);
			if (kept == NULL) {
				continue;
			}
			wide s = cell_on_hand(c);
			wide_sub_wide(&s, c->committed);
			wide_sub(&s, Z_LVAL_P(kept));
			if (wide_positive(s)) {
				wide_add_wide(&sum, s);
			}
		}
		int64_t total;
		if (!wide_to_int64(sum, &total)) {
			efree(order);
			zend_array_destroy(Z_ARR_P(return_value));
			ZVAL_UNDEF(return_value);
			zend_throw_exception_ex(omnistock_ce_StockOverflow, 0,
				"The sellable total of a product leaves the 64-bit integer range");
			goto failed;
		}
		if (product->str) {
			add_assoc_long_ex(return_value, ZSTR_VAL(product->str), ZSTR_LEN(product->str), total);
		} else {
			add_index_long(return_value, (zend_ulong) product->num, total);
		}
	}
	efree(order);
	zend_hash_destroy(&wanted);
	return;

failed:
	zend_hash_destroy(&wanted);
	RETURN_THROWS();
}

/* ---- object handlers ---- */

static zend_object *ledger_create(zend_class_entry *ce)
{
	ledger *l = zend_object_alloc(sizeof(ledger), ce);
	memset(l, 0, XtOffsetOf(ledger, std));
	zend_object_std_init(&l->std, ce);
	object_properties_init(&l->std, ce);
	l->std.handlers = &ledger_handlers;
	return &l->std;
}

static void ledger_free(zend_object *obj)
{
	ledger *l = ledger_from_obj(obj);
	for (uint32_t i = 0; i < l->ncells; i++) {
		cell_release(CELL(l, i));
	}
	table_free(&l->cells);
	for (uint32_t i = 0; i < l->nknown; i++) {
		known_event *k = &l->known[i];
		if (k->product.str) zend_string_release(k->product.str);
		if (k->location.str) zend_string_release(k->location.str);
		if (k->to.str) zend_string_release(k->to.str);
	}
	if (l->known) efree(l->known);
	if (l->cell_index.slots) efree(l->cell_index.slots);
	table_free(&l->entries);
	if (l->entry_index.slots) efree(l->entry_index.slots);
	arena_mark none = { NULL, 0 };
	arena_reset(l, none);
	zend_object_std_dtor(obj);
}

PHP_MINIT_FUNCTION(omnistock_ledger)
{
	(void) type;
	(void) module_number;
	for (int i = 0; i < F__COUNT; i++) {
		fields[i] = zend_string_init_interned(field_names[i], strlen(field_names[i]), 1);
		ZSTR_HASH(fields[i]);
	}
	for (int i = 0; i <= KIND_TRANSFER; i++) {
		kinds[i] = zend_string_init_interned(kind_names[i], strlen(kind_names[i]), 1);
	}

	omnistock_ce_Ledger = register_class_Omnistock_Ledger();
	omnistock_ce_Ledger->create_object = ledger_create;
	omnistock_ce_StockOverflow = register_class_Omnistock_StockOverflow(omnistock_ce_Exception);
	omnistock_ce_MalformedEvent = register_class_Omnistock_MalformedEvent(zend_ce_value_error);

	memcpy(&ledger_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	ledger_handlers.offset = XtOffsetOf(ledger, std);
	ledger_handlers.free_obj = ledger_free;
	ledger_handlers.clone_obj = NULL;

	return SUCCESS;
}
