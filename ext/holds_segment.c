/*
 * Omnistock holds, the segment: creating a segment file, checking an existing one against this
 * build's layout, mapping it, and noticing a reboot (see holds_segment.h; the overview is at the top
 * of holds.c).
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"

#include "php_omnistock.h"
#include "holds_segment.h"
#include "holds_lock.h"
#include "holds_table.h"

#ifdef HOLDS_SHARED_MEMORY

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

void holds_segment_layout(uint64_t total, seg_header *h)
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

static HashTable maps; /* path => holds_map*, persistent */

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
		holds_lock_init(&h->lock);
		uint32_t cells = h->cell_hwm <= h->cap_cells ? h->cell_hwm : h->cap_cells;
		for (uint32_t c = 1; c < cells; c++) {
			holds_lock_init(&m->cells[c].lock);
			m->cells[c].locked = 0;
			m->cells[c].touched_ms = 0; /* the old boot's monotonic clock: idle now */
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
		holds_table_rebuild(m);
		memcpy(h->boot_id, boot, sizeof boot);
	}
	flock(fd, LOCK_UN);
}

holds_map *holds_segment_open(zend_string *name, zend_long size_bytes)
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
		if (m->size != (size_t) size_bytes) {
			zend_throw_exception_ex(omnistock_ce_Exception, 0,
				"The holds segment %s has %zu bytes but omnistock.holds_size is " ZEND_LONG_FMT " bytes", path, m->size, size_bytes);
			return NULL;
		}
		return m;
	}

	uint64_t size = (uint64_t) size_bytes;
	seg_header want;
	holds_segment_layout(size, &want);

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
				"Could not size or map the holds segment %s (" ZEND_LONG_FMT " bytes): %s", tmp, size_bytes, strerror(rc));
			return NULL;
		}
		seg_header *h = mem;
		memcpy(h, &want, sizeof want);
		memset(h->magic, 0, sizeof h->magic);
		holds_lock_init(&h->lock);
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

void holds_segment_startup(void)
{
	zend_hash_init(&maps, 4, NULL, map_free, 1);
}

void holds_segment_shutdown(void)
{
	zend_hash_destroy(&maps);
}

void holds_segment_info(void)
{
	holds_map *m;
	ZEND_HASH_FOREACH_PTR(&maps, m) {
		/* Read without the lock: a snapshot for the operator, never used for a decision. */
		seg_header *h = m->hdr;
		uint64_t used = h->header_bytes + (uint64_t) h->n_cells * sizeof(seg_cell) + (uint64_t) h->cell_index_size * 4
			+ (uint64_t) h->n_holds * (sizeof(seg_hold) + 4) + (uint64_t) h->hold_buckets * 4 + (uint64_t) h->n_lines * sizeof(seg_line);
		char row[256];
		snprintf(row, sizeof row, "%s: %" PRIu64 " of %" PRIu64 " bytes used; %" PRIu32 " cells, %" PRIu32 " holds, %" PRIu64
			" recovered locks", m->path, used, (uint64_t) h->total_bytes, h->n_cells, h->n_holds, (uint64_t) h->recovered_locks);
		php_info_print_table_row(2, "Holds segment in use", row);
	} ZEND_HASH_FOREACH_END();
}

#endif /* HOLDS_SHARED_MEMORY */
