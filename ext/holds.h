#ifndef OMNISTOCK_HOLDS_H
#define OMNISTOCK_HOLDS_H

#include "zend_ini.h"

extern zend_class_entry *omnistock_ce_Holds;
extern zend_class_entry *omnistock_ce_CellLock;
extern zend_class_entry *omnistock_ce_LockTimeout;
extern zend_class_entry *omnistock_ce_SegmentFull;

/* omnistock.holds_size: validates the quantity (64K to 4G) and keeps it in bytes. */
ZEND_INI_MH(omnistock_holds_ini_size);
/* omnistock.holds_cell_idle_seconds: how long a cell with no holds and no lock stays before the
 * segment may reclaim its slot (0 to 31 days). */
ZEND_INI_MH(omnistock_holds_ini_cell_idle);

PHP_MINIT_FUNCTION(omnistock_holds);
PHP_MSHUTDOWN_FUNCTION(omnistock_holds);
PHP_RSHUTDOWN_FUNCTION(omnistock_holds);

/* phpinfo() rows: segment directory, size, and the segments this process has mapped. */
void omnistock_holds_info(void);

#endif /* OMNISTOCK_HOLDS_H */
