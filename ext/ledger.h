#ifndef OMNISTOCK_LEDGER_H
#define OMNISTOCK_LEDGER_H

extern zend_class_entry *omnistock_ce_Ledger;
extern zend_class_entry *omnistock_ce_StockOverflow;
extern zend_class_entry *omnistock_ce_MalformedEvent;

PHP_MINIT_FUNCTION(omnistock_ledger);

#endif /* OMNISTOCK_LEDGER_H */
