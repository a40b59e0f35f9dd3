#ifndef OMNISTOCK_SIGNATURE_H
#define OMNISTOCK_SIGNATURE_H

/*
 * The verifier core (header parsers, secret decoding, the checks themselves) is plain C over
 * libsodium with no Zend dependency, so that the libFuzzer targets in tests/fuzz/ compile
 * ext/signature.c with -DOMNISTOCK_SIGNATURE_CORE_ONLY and link nothing but libsodium.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	OS_SIG_OK = 0,
	OS_SIG_MISSING_HEADER,
	OS_SIG_MALFORMED,
	OS_SIG_MISMATCH,
	OS_SIG_EXPIRED,
	OS_SIG_NOT_YET_VALID,
	OS_SIG_NO_SECRET,
	OS_SIG_TOO_LARGE,
	/* Not a SignatureError: a secret is not in the scheme's format, the caller's mistake. */
	OS_SIG_BAD_SECRET
} os_sig_status;

typedef enum {
	OS_SCHEME_STANDARD,
	OS_SCHEME_SQUARE,
	OS_SCHEME_SHOPIFY,
	OS_SCHEME_STRIPE,
	OS_SCHEME_CLOVER,
	OS_SCHEME__COUNT
} os_sig_scheme;

/* A byte string that is not NUL-terminated; ptr == NULL means absent. */
typedef struct {
	const char *ptr;
	size_t len;
} os_sig_str;

#define OS_SIG_MAX_HEADERS 3

/* The header names each scheme reads, lower case, in slot order. */
extern const char *const os_sig_scheme_names[OS_SCHEME__COUNT];
extern const char *const os_sig_header_names[OS_SCHEME__COUNT][OS_SIG_MAX_HEADERS];

/* Header values longer than this are Malformed; entries in a signature list beyond the count too. */
#define OS_SIG_MAX_HEADER_BYTES 8192
#define OS_SIG_MAX_SIGNATURES 32
/* Longest webhook-id accepted (bytes). */
#define OS_SIG_MAX_ID_BYTES 256
/* Longest decoded whsec_ key accepted (bytes). */
#define OS_SIG_MAX_KEY_BYTES 512

typedef struct {
	os_sig_scheme scheme;
	os_sig_str headers[OS_SIG_MAX_HEADERS]; /* values by slot, as received (untrimmed) */
	bool duplicate[OS_SIG_MAX_HEADERS];     /* the header came more than once: Malformed */
	const unsigned char *body;
	size_t body_len;
	const os_sig_str *secrets;
	size_t secret_count;
	os_sig_str url; /* square */
	bool legacy;     /* square */
	int64_t now;       /* >= 0 */
	int64_t tolerance; /* >= 0 */
	size_t max_bytes;
} os_sig_request;

typedef struct {
	os_sig_str id;      /* into a header, or raw JSON string content in the body (see id_is_json) */
	bool id_is_json;    /* id is JSON string content: decode with os_sig_json_unescape() */
	bool has_timestamp;
	int64_t timestamp;
	size_t secret_index; /* the secret that verified; on OS_SIG_BAD_SECRET, the one that is bad */
} os_sig_result;

/* Once per process, after sodium_init(), before os_sig_verify(). */
void os_sig_init(void);
os_sig_status os_sig_verify(const os_sig_request *req, os_sig_result *out);

/* Parsers, exposed for the fuzz targets. */
bool os_sig_parse_timestamp(os_sig_str value, int64_t *out);
/* Strict base64 (standard alphabet, padded) of exactly want bytes. */
bool os_sig_base64_exact(os_sig_str value, unsigned char *out, size_t want);
/* Drops surrounding spaces and tabs; false when anything else in the value is not visible ASCII. */
bool os_sig_trim_value(os_sig_str *value);
/*
 * Validates a whole JSON document (RFC 8259, as PHP's json_decode() does with its default depth 512) and finds the
 * string value of the top-level object member `key` (the last one when repeated, as json_decode()).
 * Returns -1 invalid JSON, 0 no such string member, 1 found (*raw: the content between the quotes).
 */
int os_sig_json_top_string(const unsigned char *doc, size_t len, const char *key, size_t key_len, os_sig_str *raw);
/* Decodes validated JSON string content into out (room for raw.len bytes); returns the length. */
size_t os_sig_json_unescape(os_sig_str raw, char *out);

/* HMAC-SHA1 over the concatenated parts: libsodium has none; the extension uses PHP's SHA-1. */
void os_sig_hmac_sha1(os_sig_str key, const os_sig_str *parts, size_t part_count, unsigned char mac[20]);

#ifndef OMNISTOCK_SIGNATURE_CORE_ONLY
extern zend_class_entry *omnistock_ce_Webhook;
extern zend_class_entry *omnistock_ce_VerifiedWebhook;
extern zend_class_entry *omnistock_ce_SignatureError;
extern zend_class_entry *omnistock_ce_SignatureException;

PHP_MINIT_FUNCTION(omnistock_signature);
#endif

#endif /* OMNISTOCK_SIGNATURE_H */
