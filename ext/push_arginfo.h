/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 08f5ec5aa614401aa83981ef11e9df986c6115b2 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Omnistock_Push___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Push_send, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, requests, IS_ARRAY, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Omnistock_Push, __construct);
ZEND_METHOD(Omnistock_Push, send);


static const zend_function_entry class_Omnistock_Push_methods[] = {
	ZEND_ME(Omnistock_Push, __construct, arginfo_class_Omnistock_Push___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Omnistock_Push, send, arginfo_class_Omnistock_Push_send, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Omnistock_Push(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "Push", class_Omnistock_Push_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}
