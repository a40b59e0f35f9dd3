/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: d0b226f559e1e86d1f8622b7c8d14c529a26b8ae */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Omnistock_Ledger___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_seed, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, cells, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, known, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_apply, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, events, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, report, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_state, 0, 2, IS_ARRAY, 1)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_level, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_levels, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Ledger_sellable, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, locations, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, safety, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()


ZEND_METHOD(Omnistock_Ledger, __construct);
ZEND_METHOD(Omnistock_Ledger, seed);
ZEND_METHOD(Omnistock_Ledger, apply);
ZEND_METHOD(Omnistock_Ledger, state);
ZEND_METHOD(Omnistock_Ledger, level);
ZEND_METHOD(Omnistock_Ledger, levels);
ZEND_METHOD(Omnistock_Ledger, sellable);


static const zend_function_entry class_Omnistock_Ledger_methods[] = {
	ZEND_ME(Omnistock_Ledger, __construct, arginfo_class_Omnistock_Ledger___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, seed, arginfo_class_Omnistock_Ledger_seed, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, apply, arginfo_class_Omnistock_Ledger_apply, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, state, arginfo_class_Omnistock_Ledger_state, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, level, arginfo_class_Omnistock_Ledger_level, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, levels, arginfo_class_Omnistock_Ledger_levels, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Ledger, sellable, arginfo_class_Omnistock_Ledger_sellable, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_StockOverflow_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_MalformedEvent_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_Omnistock_Ledger(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "Ledger", class_Omnistock_Ledger_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_StockOverflow(zend_class_entry *class_entry_Omnistock_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "StockOverflow", class_Omnistock_StockOverflow_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Omnistock_Exception);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_MalformedEvent(zend_class_entry *class_entry_ValueError)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "MalformedEvent", class_Omnistock_MalformedEvent_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ValueError);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES;

	zval property_index_default_value;
	ZVAL_UNDEF(&property_index_default_value);
	zend_string *property_index_name = zend_string_init("index", sizeof("index") - 1, 1);
	zend_declare_typed_property(class_entry, property_index_name, &property_index_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_index_name);

	zval property_field_default_value;
	ZVAL_UNDEF(&property_field_default_value);
	zend_string *property_field_name = zend_string_init("field", sizeof("field") - 1, 1);
	zend_declare_typed_property(class_entry, property_field_name, &property_field_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_field_name);

	return class_entry;
}
