dnl config.m4 for the omnistock extension (phpize && ./configure && make)

PHP_ARG_ENABLE([omnistock],
  [whether to enable the omnistock extension],
  [AS_HELP_STRING([--enable-omnistock],
    [Enable Omnistock: stock ledger, shared-memory holds, webhook signatures, outbound push])],
  [yes])

if test "$PHP_OMNISTOCK" != "no"; then
  dnl libsodium: webhook signatures (HMAC-SHA256, Ed25519) and secret wiping.
  PKG_CHECK_MODULES([LIBSODIUM], [libsodium >= 1.0.18])
  PHP_EVAL_INCLINE([$LIBSODIUM_CFLAGS])
  PHP_EVAL_LIBLINE([$LIBSODIUM_LIBS], [OMNISTOCK_SHARED_LIBADD])
  PHP_CHECK_LIBRARY([sodium], [crypto_auth_hmacsha256],
    [AC_DEFINE([HAVE_OMNISTOCK_LIBSODIUM], [1], [libsodium links])],
    [AC_MSG_ERROR([libsodium was found by pkg-config but does not link; install libsodium-dev >= 1.0.18])],
    [$LIBSODIUM_LIBS])

  dnl libcurl: concurrent outbound HTTP (multi interface, share handles, HTTP/2).
  PKG_CHECK_MODULES([CURL], [libcurl >= 7.68.0])
  PHP_EVAL_INCLINE([$CURL_CFLAGS])
  PHP_EVAL_LIBLINE([$CURL_LIBS], [OMNISTOCK_SHARED_LIBADD])
  PHP_CHECK_LIBRARY([curl], [curl_multi_poll],
    [AC_DEFINE([HAVE_OMNISTOCK_LIBCURL], [1], [libcurl links])],
    [AC_MSG_ERROR([libcurl was found by pkg-config but does not link; install libcurl4-openssl-dev >= 7.68.0])],
    [$CURL_LIBS])

  dnl Holds: process-shared robust mutexes. On glibc PTHREAD_MUTEX_ROBUST is an enum constant, not
  dnl a macro, so only compiling and linking a use of it tells whether the platform has them.
  AC_CACHE_CHECK([for process-shared robust pthread mutexes], [omnistock_cv_robust_mutex], [
    omnistock_cv_robust_mutex=no
    omnistock_save_LIBS=$LIBS
    for omnistock_lib in "" "-lpthread"; do
      LIBS="$omnistock_save_LIBS $omnistock_lib"
      AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <errno.h>
#include <pthread.h>
#include <time.h>]], [[
        pthread_mutexattr_t a;
        pthread_mutex_t m;
        struct timespec t = { 0, 0 };
        pthread_mutexattr_init(&a);
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&m, &a);
        if (pthread_mutex_timedlock(&m, &t) == EOWNERDEAD) { pthread_mutex_consistent(&m); }
        return 0;
      ]])], [omnistock_cv_robust_mutex="yes${omnistock_lib:+ ($omnistock_lib)}"; break])
    done
    LIBS=$omnistock_save_LIBS
  ])
  case "$omnistock_cv_robust_mutex" in
    yes*)
      AC_DEFINE([HAVE_OMNISTOCK_ROBUST_MUTEX], [1], [process-shared robust pthread mutexes work])
      case "$omnistock_cv_robust_mutex" in *-lpthread*) PHP_ADD_LIBRARY([pthread], 1, [OMNISTOCK_SHARED_LIBADD]);; esac
      ;;
    *)
      AC_MSG_WARN([no process-shared robust mutexes: Omnistock\Holds will throw and point to the database backend])
      ;;
  esac

  PHP_NEW_EXTENSION([omnistock],
    [ext/omnistock.c ext/ledger.c ext/push.c ext/holds.c ext/holds_segment.c ext/holds_lock.c ext/holds_table.c ext/holds_check.c ext/signature.c],
    [$ext_shared],, [-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1])
  PHP_ADD_BUILD_DIR([$ext_builddir/ext], 1)
  PHP_ADD_INCLUDE([$ext_srcdir/ext])
  PHP_SUBST([OMNISTOCK_SHARED_LIBADD])
fi
