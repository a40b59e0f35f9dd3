#ifndef PHP_OMNISTOCK_H
#define PHP_OMNISTOCK_H

extern zend_module_entry omnistock_module_entry;
#define phpext_omnistock_ptr &omnistock_module_entry

#define PHP_OMNISTOCK_VERSION "0.1.0"

#if defined(ZTS) && defined(COMPILE_DL_OMNISTOCK)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

/* Base of every runtime failure the extension throws (Omnistock\Exception). */
extern zend_class_entry *omnistock_ce_Exception;

#endif /* PHP_OMNISTOCK_H */
