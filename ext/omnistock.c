/*
 * Omnistock: module entry, INI settings, phpinfo() section and class registration.
 * Each capability lives in its own file pair and registers itself from its MINIT.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"

#include <sodium.h>
#include <curl/curl.h>

#include "php_omnistock.h"
#include "omnistock_arginfo.h"
#include "ledger.h"
#include "push.h"
#include "holds.h"
#include "signature.h"

zend_class_entry *omnistock_ce_Exception;

PHP_INI_BEGIN()
	/* Holds: where the per-site segment files live, and their size (the same for every process). */
	PHP_INI_ENTRY("omnistock.holds_dir", "/dev/shm", PHP_INI_SYSTEM, NULL)
	PHP_INI_ENTRY("omnistock.holds_size", "16M", PHP_INI_SYSTEM, omnistock_holds_ini_size)
	/* Holds: a cell nobody held or locked for this long may give its slot to a new cell. */
	PHP_INI_ENTRY("omnistock.holds_cell_idle_seconds", "300", PHP_INI_SYSTEM, omnistock_holds_ini_cell_idle)
	/* Test-only: hold() sleeps this long inside its critical section, so a test can kill it there. */
	PHP_INI_ENTRY("omnistock.holds_test_pause_ms", "0", PHP_INI_SYSTEM, NULL)
PHP_INI_END()

static PHP_MINIT_FUNCTION(omnistock)
{
	/* sodium_init() returns 1 when already initialised (ext/sodium may have done it). */
	if (sodium_init() < 0) {
		zend_error(E_CORE_WARNING, "omnistock: libsodium could not be initialised");
		return FAILURE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		zend_error(E_CORE_WARNING, "omnistock: libcurl could not be initialised");
		return FAILURE;
	}

	REGISTER_INI_ENTRIES();

	omnistock_ce_Exception = register_class_Omnistock_Exception(zend_ce_exception);

	if (PHP_MINIT(omnistock_ledger)(INIT_FUNC_ARGS_PASSTHRU) == FAILURE) {
		return FAILURE;
	}
	if (PHP_MINIT(omnistock_push)(INIT_FUNC_ARGS_PASSTHRU) == FAILURE) {
		return FAILURE;
	}
	if (PHP_MINIT(omnistock_holds)(INIT_FUNC_ARGS_PASSTHRU) == FAILURE) {
		return FAILURE;
	}
	if (PHP_MINIT(omnistock_signature)(INIT_FUNC_ARGS_PASSTHRU) == FAILURE) {
		return FAILURE;
	}
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(omnistock)
{
	PHP_MSHUTDOWN(omnistock_push)(SHUTDOWN_FUNC_ARGS_PASSTHRU); /* its libcurl handles go before libcurl */
	PHP_MSHUTDOWN(omnistock_holds)(SHUTDOWN_FUNC_ARGS_PASSTHRU);
	UNREGISTER_INI_ENTRIES();
	curl_global_cleanup();
	return SUCCESS;
}

static PHP_RINIT_FUNCTION(omnistock)
{
	(void) type;
	(void) module_number;
#if defined(ZTS) && defined(COMPILE_DL_OMNISTOCK)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	return SUCCESS;
}

static PHP_RSHUTDOWN_FUNCTION(omnistock)
{
	return PHP_RSHUTDOWN(omnistock_holds)(SHUTDOWN_FUNC_ARGS_PASSTHRU);
}

static PHP_MINFO_FUNCTION(omnistock)
{
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
	char sodium_runtime[32];

	snprintf(sodium_runtime, sizeof sodium_runtime, "%s", sodium_version_string());

	php_info_print_table_start();
	php_info_print_table_header(2, "omnistock support", "enabled");
	php_info_print_table_row(2, "Version", PHP_OMNISTOCK_VERSION);
	php_info_print_table_row(2, "libsodium headers version", SODIUM_VERSION_STRING);
	php_info_print_table_row(2, "libsodium library version", sodium_runtime);
	php_info_print_table_row(2, "libcurl headers version", LIBCURL_VERSION);
	php_info_print_table_row(2, "libcurl library version", curl->version);
	php_info_print_table_row(2, "libcurl TLS backend", curl->ssl_version ? curl->ssl_version : "none");
	php_info_print_table_row(2, "libcurl HTTP/2", (curl->features & CURL_VERSION_HTTP2) ? "yes" : "no");
	omnistock_holds_info();
	php_info_print_table_end();

	DISPLAY_INI_ENTRIES();
}

static const zend_module_dep omnistock_deps[] = {
	ZEND_MOD_END
};

zend_module_entry omnistock_module_entry = {
	STANDARD_MODULE_HEADER_EX,
	NULL,
	omnistock_deps,
	"omnistock",
	NULL,
	PHP_MINIT(omnistock),
	PHP_MSHUTDOWN(omnistock),
	PHP_RINIT(omnistock),
	PHP_RSHUTDOWN(omnistock),
	PHP_MINFO(omnistock),
	PHP_OMNISTOCK_VERSION,
	STANDARD_MODULE_PROPERTIES
};

#ifdef COMPILE_DL_OMNISTOCK
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(omnistock)
#endif
