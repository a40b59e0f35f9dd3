/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 505b736005a768acdd8143f8a3768d56b87fb535 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Omnistock_Webhook___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Omnistock_Webhook_verify, 0, 4, Omnistock\\VerifiedWebhook, 0)
	ZEND_ARG_TYPE_INFO(0, scheme, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, headers, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, secrets, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Webhook_sign, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, scheme, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, secret, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Omnistock_Webhook_generateSecret, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, scheme, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, asymmetric, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

#define arginfo_class_Omnistock_VerifiedWebhook___construct arginfo_class_Omnistock_Webhook___construct


ZEND_METHOD(Omnistock_Webhook, __construct);
ZEND_METHOD(Omnistock_Webhook, verify);
ZEND_METHOD(Omnistock_Webhook, sign);
ZEND_METHOD(Omnistock_Webhook, generateSecret);
ZEND_METHOD(Omnistock_VerifiedWebhook, __construct);


static const zend_function_entry class_Omnistock_Webhook_methods[] = {
	ZEND_ME(Omnistock_Webhook, __construct, arginfo_class_Omnistock_Webhook___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(Omnistock_Webhook, verify, arginfo_class_Omnistock_Webhook_verify, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Omnistock_Webhook, sign, arginfo_class_Omnistock_Webhook_sign, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Omnistock_Webhook, generateSecret, arginfo_class_Omnistock_Webhook_generateSecret, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_VerifiedWebhook_methods[] = {
	ZEND_ME(Omnistock_VerifiedWebhook, __construct, arginfo_class_Omnistock_VerifiedWebhook___construct, ZEND_ACC_PRIVATE)
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_SignatureError_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Omnistock_SignatureException_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_Omnistock_Webhook(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "Webhook", class_Omnistock_Webhook_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "verify", sizeof("verify") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "sign", sizeof("sign") - 1), 2, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_VerifiedWebhook(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "VerifiedWebhook", class_Omnistock_VerifiedWebhook_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval property_scheme_default_value;
	ZVAL_UNDEF(&property_scheme_default_value);
	zend_string *property_scheme_name = zend_string_init("scheme", sizeof("scheme") - 1, 1);
	zend_declare_typed_property(class_entry, property_scheme_name, &property_scheme_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_scheme_name);

	zval property_id_default_value;
	ZVAL_UNDEF(&property_id_default_value);
	zend_string *property_id_name = zend_string_init("id", sizeof("id") - 1, 1);
	zend_declare_typed_property(class_entry, property_id_name, &property_id_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_id_name);

	zval property_timestamp_default_value;
	ZVAL_UNDEF(&property_timestamp_default_value);
	zend_string *property_timestamp_name = zend_string_init("timestamp", sizeof("timestamp") - 1, 1);
	zend_declare_typed_property(class_entry, property_timestamp_name, &property_timestamp_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG|MAY_BE_NULL));
	zend_string_release(property_timestamp_name);

	zval property_secretIndex_default_value;
	ZVAL_UNDEF(&property_secretIndex_default_value);
	zend_string *property_secretIndex_name = zend_string_init("secretIndex", sizeof("secretIndex") - 1, 1);
	zend_declare_typed_property(class_entry, property_secretIndex_name, &property_secretIndex_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_secretIndex_name);

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_SignatureError(void)
{
	zend_class_entry *class_entry = zend_register_internal_enum("Omnistock\\SignatureError", IS_UNDEF, class_Omnistock_SignatureError_methods);

	zend_enum_add_case_cstr(class_entry, "MissingHeader", NULL);

	zend_enum_add_case_cstr(class_entry, "Malformed", NULL);

	zend_enum_add_case_cstr(class_entry, "Mismatch", NULL);

	zend_enum_add_case_cstr(class_entry, "Expired", NULL);

	zend_enum_add_case_cstr(class_entry, "NotYetValid", NULL);

	zend_enum_add_case_cstr(class_entry, "NoSecret", NULL);

	zend_enum_add_case_cstr(class_entry, "TooLarge", NULL);

	return class_entry;
}

static zend_class_entry *register_class_Omnistock_SignatureException(zend_class_entry *class_entry_Omnistock_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Omnistock", "SignatureException", class_Omnistock_SignatureException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Omnistock_Exception);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	zend_string *property_reason_class_Omnistock_SignatureError = zend_string_init("Omnistock\\SignatureError", sizeof("Omnistock\\SignatureError")-1, 1);
	zval property_reason_default_value;
	ZVAL_UNDEF(&property_reason_default_value);
	zend_string *property_reason_name = zend_string_init("reason", sizeof("reason") - 1, 1);
	zend_declare_typed_property(class_entry, property_reason_name, &property_reason_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_CLASS(property_reason_class_Omnistock_SignatureError, 0, 0));
	zend_string_release(property_reason_name);

	return class_entry;
}
