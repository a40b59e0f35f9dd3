#ifndef OMNISTOCK_PUSH_H
#define OMNISTOCK_PUSH_H

extern zend_class_entry *omnistock_ce_Push;

PHP_MINIT_FUNCTION(omnistock_push);
/* Frees the process's (thread's) libcurl multi and share handles; call before curl_global_cleanup(). */
PHP_MSHUTDOWN_FUNCTION(omnistock_push);

#endif /* OMNISTOCK_PUSH_H */
