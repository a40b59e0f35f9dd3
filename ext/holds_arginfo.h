/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 0b3297aefab1771a60a8ca85bc4e69893038ae6b */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Omnistock_Holds___construct, 0, 0, 1)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_threadSafe, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Omnistock_Holds_lock, 0, 1, Omnistock\\CellLock, 0)
	ZEND_ARG_TYPE_INFO(0, cells, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timeoutMs, IS_LONG, 0, "2000")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_hold, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, lines, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ttlSeconds, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_release, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_extend, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ttlSeconds, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_sellable, 0, 2, IS_LONG, 1)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_held, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Holds_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Omnistock_Holds_check arginfo_class_Omnistock_Holds_stats

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Omnistock_CellLock___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_CellLock_setSellable, 0, 3, IS_VOID, 0)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, base, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_CellLock_forget, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_MASK(0, product, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, location, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

#define arginfo_class_Omnistock_CellLock_settle arginfo_class_Omnistock_Holds_release

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_CellLock_release, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Omnistock_Holds, __construct);
ZEND_METHOD(Omnistock_Holds, threadSafe);
ZEND_METHOD(Omnistock_Holds, lock);
ZEND_METHOD(Omnistock_Holds, hold);
ZEND_METHOD(Omnistock_Holds, release);
ZEND_METHOD(Omnistock_Holds, extend);
ZEND_METHOD(Omnistock_Holds, sellable);
ZEND_METHOD(Omnistock_Holds, held);
ZEND_METHOD(Omnistock_Holds, stats);
ZEND_METHOD(Omnistock_Holds, check);
ZEND_METHOD(Omnistock_CellLock, __construct);
ZEND_METHOD(Omnistock_CellLock, setSellable);
ZEND_METHOD(Omnistock_CellLock, forget);
ZEND_METHOD(Omnistock_CellLock, settle);
ZEND_METHOD(Omnistock_CellLock, release);


static const zend_function_entry class_Omnistock_Holds_methods[] = {
	ZEND_ME(Omnistock_Holds, __construct, arginfo_class_Omnistock_Holds___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, threadSafe, arginfo_class_Omnistock_Holds_threadSafe, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Omnistock_Holds, lock, arginfo_class_Omnistock_Holds_lock, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, hold, arginfo_class_Omnistock_Holds_hold, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, release, arginfo_class_Omnistock_Holds_release, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, extend, arginfo_class_Omnistock_Holds_extend, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, sellable, arginfo_class_Omnistock_Holds_sellable, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, held, arginfo_class_Omnistock_Holds_held, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, stats, arginfo_class_Omnistock_Holds_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Holds, check, arginfo_class_Omnistock_Holds_check, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_CellLock_methods[] = {
	ZEND_ME(Omnistock_CellLock, __construct, arginfo_class_Omnistock_CellLock___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(Omnistock_CellLock, setSellable, arginfo_class_Omnistock_CellLock_setSellable, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_CellLock, forget, arginfo_class_Omnistock_CellLock_forget, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_CellLock, settle, arginfo_class_Omnistock_CellLock_settle, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_CellLock, release, arginfo_class_Omnistock_CellLock_release, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_LockTimeout_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_SegmentFull_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_Omnistock_Holds(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "Holds", class_Omnistock_Holds_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_CellLock(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "CellLock", class_Omnistock_CellLock_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_LockTimeout(zend_class_entry *class_entry_Omnistock_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "LockTimeout", class_Omnistock_LockTimeout_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Omnistock_Exception);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_SegmentFull(zend_class_entry *class_entry_Omnistock_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "SegmentFull", class_Omnistock_SegmentFull_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Omnistock_Exception);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	return class_entry;
}
