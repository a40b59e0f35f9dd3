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

  PHP_NEW_EXTENSION([omnistock],
    [ext/omnistock.c ext/ledger.c ext/push.c ext/signature.c],
    [$ext_shared],, [-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1])
  PHP_ADD_BUILD_DIR([$ext_builddir/ext], 1)
  PHP_ADD_INCLUDE([$ext_srcdir/ext])
  PHP_SUBST([OMNISTOCK_SHARED_LIBADD])
fi
