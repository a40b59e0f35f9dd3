/*
 * Preloaded ahead of libasan when the phpt suite runs against an ASAN build of the extension.
 * Debian's PHP (not itself built with ASAN) loads extensions with RTLD_DEEPBIND, which the
 * sanitizer runtime refuses (google/sanitizers#611). This drops that flag and hands the call on
 * to the next dlopen, ASAN's interceptor. Test tooling only: never part of the extension.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

void *dlopen(const char *file, int flags)
{
	static void *(*next_dlopen)(const char *, int);
	if (next_dlopen == NULL) {
		next_dlopen = (void *(*)(const char *, int)) dlsym(RTLD_NEXT, "dlopen");
	}
	return next_dlopen(file, flags & ~RTLD_DEEPBIND);
}
