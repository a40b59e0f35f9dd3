/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 8465b8f7bf324571d827b6eddcacda88ffad060e */




static const zend_function_entry class_Omnistock_Exception_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_Omnistock_Exception(zend_class_entry *class_entry_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "Exception", class_Omnistock_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Exception);

	return class_entry;
}
