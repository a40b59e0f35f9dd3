/*
 * Omnistock\Push: many outbound HTTP requests at once over libcurl's multi interface.
 *
 * One multi handle and one share handle (connection cache, DNS cache, TLS sessions) live as long
 * as the process (one pair per thread under ZTS: libcurl handles are not thread-safe). They are
 * created by the first send() and freed at MSHUTDOWN, so a PHP-FPM worker keeps its connections,
 * and its HTTP/2 multiplexed streams, from one request to the next.
 *
 * send() validates every request before anything is sent, then runs one loop: start attempts
 * while fewer than `concurrency` are in flight, let libcurl move them, collect the finished ones,
 * and sleep in curl_multi_poll() until a socket is ready, a libcurl timer fires or the earliest
 * retry is due. A request waiting to be retried holds no slot and no connection, so a slow or
 * dead endpoint costs the others nothing beyond its own attempts.
 *
 * libcurl calls back into this file while it runs; the callbacks allocate request memory, which
 * may bail out (memory_limit). A bailout must never unwind through libcurl's frames, so the
 * callbacks catch it, abort their transfer, and the loop re-raises it once libcurl has returned
 * and every handle is detached.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/standard/hrtime.h"
#include "ext/random/php_random.h"

#include <curl/curl.h>

#include "php_omnistock.h"
#include "push.h"
#include "push_arginfo.h"

zend_class_entry *omnistock_ce_Push;
static zend_object_handlers push_handlers;

#define CONCURRENCY_MAX 1024
#define RETRIES_MAX 20
#define RESPONSE_BYTES_MAX (1024 * 1024 * 1024)
#define ID_SHOWN_MAX 64 /* bytes of an id quoted in an error message */

/* ---- the process's (thread's) libcurl handles ---- */

typedef struct {
	CURLM *multi;
	CURLSH *share;
	long max_connects;
#ifndef PHP_WIN32
	pid_t owner;
#endif
} push_globals;

#ifdef ZTS
static ts_rsrc_id push_globals_id;
# define PUSH_G(v) ZEND_TSRMG(push_globals_id, push_globals *, v)
#else
static push_globals push_globals_data;
# define PUSH_G(v) (push_globals_data.v)
#endif

static void push_globals_ctor(void *globals)
{
	memset(globals, 0, sizeof(push_globals));
}

static void push_globals_dtor(void *globals)
{
	push_globals *g = globals;
	/* The multi handle first: its connections may sit in the share's cache. */
	if (g->multi) {
		curl_multi_cleanup(g->multi);
	}
	if (g->share) {
		curl_share_cleanup(g->share);
	}
	memset(g, 0, sizeof *g);
}

/* The multi handle, created on first use; NULL when libcurl cannot make one. */
static CURLM *push_multi(void)
{
#ifndef PHP_WIN32
	if (PUSH_G(multi) && PUSH_G(owner) != getpid()) {
		/* A forked child must not close (TLS close_notify, HTTP/2 GOAWAY) the parent's
		 * connections: it forgets the inherited handles and makes its own. */
		PUSH_G(multi) = NULL;
		PUSH_G(share) = NULL;
		PUSH_G(max_connects) = 0;
	}
#endif
	if (PUSH_G(multi)) {
		return PUSH_G(multi);
	}
	CURLSH *share = curl_share_init();
	CURLM *multi = curl_multi_init();
	if (share == NULL || multi == NULL
		|| curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK
		|| curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK
		|| curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK
		|| curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX) != CURLM_OK) {
		if (multi) {
			curl_multi_cleanup(multi);
		}
		if (share) {
			curl_share_cleanup(share);
		}
		return NULL;
	}
	PUSH_G(multi) = multi;
	PUSH_G(share) = share;
	PUSH_G(max_connects) = 0;
#ifndef PHP_WIN32
	PUSH_G(owner) = getpid();
#endif
	return multi;
}

/* ---- Push objects: options ---- */

typedef struct {
	zend_long concurrency;
	zend_long connect_timeout_ms;
	zend_long timeout_ms;
	zend_long retries;
	zend_long backoff_ms;
	zend_long max_response_bytes;
	bool verify_tls;
	zend_string *ca_file; /* NULL: the system's store */
	zend_string *user_agent;
	zend_object std;
} push_object;

static inline push_object *push_from_obj(zend_object *obj)
{
	return (push_object *) ((char *) obj - XtOffsetOf(push_object, std));
}

#define Z_PUSH_P(zv) push_from_obj(Z_OBJ_P(zv))

/* Keys of requests, results and options, interned once. */
enum { K_ID, K_URL, K_METHOD, K_HEADERS, K_BODY, K_RETRY, K_STATUS, K_ERROR, K_ATTEMPTS, K_TIME_MS, K__COUNT };
static const char *const key_names[K__COUNT] = { "id", "url", "method", "headers", "body", "retry",
	"status", "error", "attempts", "time_ms" };
static zend_string *keys[K__COUNT];

enum { O_CONCURRENCY, O_CONNECT_TIMEOUT_MS, O_TIMEOUT_MS, O_RETRIES, O_BACKOFF_MS, O_MAX_RESPONSE_BYTES,
	O_VERIFY_TLS, O_CA_FILE, O_USER_AGENT, O__COUNT };
static const char *const option_names[O__COUNT] = { "concurrency", "connect_timeout_ms", "timeout_ms", "retries",
	"backoff_ms", "max_response_bytes", "verify_tls", "ca_file", "user_agent" };

typedef struct {
	zend_long min;
	zend_long max;
	zend_long fallback;
} long_range;

static const long_range option_ranges[O_MAX_RESPONSE_BYTES + 1] = {
	{ 1, CONCURRENCY_MAX, 16 },
	{ 1, 600000, 3000 },
	{ 1, 3600000, 10000 },
	{ 0, RETRIES_MAX, 2 },
	{ 0, 600000, 200 },
	{ 0, RESPONSE_BYTES_MAX, 1024 * 1024 },
};

static zend_long *push_long_option(push_object *p, int option)
{
	switch (option) {
		case O_CONCURRENCY: return &p->concurrency;
		case O_CONNECT_TIMEOUT_MS: return &p->connect_timeout_ms;
		case O_TIMEOUT_MS: return &p->timeout_ms;
		case O_RETRIES: return &p->retries;
		case O_BACKOFF_MS: return &p->backoff_ms;
		default: return &p->max_response_bytes;
	}
}

static void push_set_defaults(push_object *p)
{
	for (int o = 0; o <= O_MAX_RESPONSE_BYTES; o++) {
		*push_long_option(p, o) = option_ranges[o].fallback;
	}
	p->verify_tls = true;
	if (p->ca_file) {
		zend_string_release(p->ca_file);
		p->ca_file = NULL;
	}
	if (p->user_agent) {
		zend_string_release(p->user_agent);
	}
	p->user_agent = zend_string_init("Omnistock/" PHP_OMNISTOCK_VERSION, sizeof("Omnistock/" PHP_OMNISTOCK_VERSION) - 1, 0);
}

static bool has_cr_lf_nul(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
			return true;
		}
	}
	return false;
}

/* Parses the options into *p; on a bad option throws \ValueError naming it and returns false. */
static bool push_parse_options(push_object *p, HashTable *options)
{
	zend_string *name;
	zend_ulong idx;
	zval *value;

	ZEND_HASH_FOREACH_KEY_VAL(options, idx, name, value) {
		int o = -1;
		if (name) {
			for (int k = 0; k < O__COUNT; k++) {
				if (zend_string_equals_cstr(name, option_names[k], strlen(option_names[k]))) {
					o = k;
					break;
				}
			}
		}
		if (o < 0) {
			if (name) {
				zend_argument_value_error(1, "has an unknown option \"%s\"", ZSTR_VAL(name));
			} else {
				zend_argument_value_error(1, "has an unknown option " ZEND_ULONG_FMT, idx);
			}
			return false;
		}
		ZVAL_DEREF(value);
		if (o <= O_MAX_RESPONSE_BYTES) {
			const long_range *r = &option_ranges[o];
			if (Z_TYPE_P(value) != IS_LONG || Z_LVAL_P(value) < r->min || Z_LVAL_P(value) > r->max) {
				zend_argument_value_error(1, "option \"%s\" must be an int from " ZEND_LONG_FMT " to " ZEND_LONG_FMT,
					option_names[o], r->min, r->max);
				return false;
			}
			*push_long_option(p, o) = Z_LVAL_P(value);
		} else if (o == O_VERIFY_TLS) {
			if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
				zend_argument_value_error(1, "option \"verify_tls\" must be a bool");
				return false;
			}
			p->verify_tls = Z_TYPE_P(value) == IS_TRUE;
		} else if (o == O_CA_FILE) {
			if (Z_TYPE_P(value) == IS_NULL) {
				if (p->ca_file) {
					zend_string_release(p->ca_file);
					p->ca_file = NULL;
				}
				continue;
			}
			if (Z_TYPE_P(value) != IS_STRING || Z_STRLEN_P(value) == 0
				|| strlen(Z_STRVAL_P(value)) != Z_STRLEN_P(value)) {
				zend_argument_value_error(1, "option \"ca_file\" must be null or a file path");
				return false;
			}
			if (php_check_open_basedir(Z_STRVAL_P(value))) {
				return false; /* php_check_open_basedir() has warned */
			}
			if (VCWD_ACCESS(Z_STRVAL_P(value), R_OK) != 0) {
				zend_argument_value_error(1, "option \"ca_file\" must be a readable file, \"%s\" is not", Z_STRVAL_P(value));
				return false;
			}
			if (p->ca_file) {
				zend_string_release(p->ca_file);
			}
			p->ca_file = zend_string_copy(Z_STR_P(value));
		} else {
			if (Z_TYPE_P(value) != IS_STRING || has_cr_lf_nul(Z_STRVAL_P(value), Z_STRLEN_P(value))) {
				zend_argument_value_error(1, "option \"user_agent\" must be a string without CR, LF or NUL");
				return false;
			}
			zend_string_release(p->user_agent);
			p->user_agent = zend_string_copy(Z_STR_P(value));
		}
	} ZEND_HASH_FOREACH_END();
	return true;
}

/* ---- requests ---- */

typedef enum { R_NEW, R_RUNNING, R_WAITING, R_DONE } request_state;

typedef struct push_batch push_batch;

typedef struct {
	push_batch *batch;
	zend_string *id;
	zend_string *url;
	zend_string *method;
	zend_string *body;
	struct curl_slist *headers;
	bool retry;
	bool https;

	CURL *easy;
	request_state state;
	uint32_t attempts;
	uint64_t started_ms;
	uint64_t due_ms;
	smart_str received; /* the body so far */
	smart_str head;     /* the header lines of the latest response */
	bool cut;           /* the body went beyond max_response_bytes */
	char errbuf[CURL_ERROR_SIZE];

	zval result;
} push_request;

struct push_batch {
	push_object *push;
	push_request *requests;
	uint32_t count;
	bool bailed_out; /* a callback caught a bailout: re-raise it once libcurl has returned */
};

static inline bool is_tchar(unsigned char c)
{
	/* RFC 9110 token characters: method names and header field names. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		|| (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_token(const zend_string *s)
{
	if (ZSTR_LEN(s) == 0) {
		return false;
	}
	for (size_t i = 0; i < ZSTR_LEN(s); i++) {
		if (!is_tchar((unsigned char) ZSTR_VAL(s)[i])) {
			return false;
		}
	}
	return true;
}

static void request_error(uint32_t index, const zend_string *id, const char *field, const char *fmt, ...)
	ZEND_ATTRIBUTE_FORMAT(printf, 4, 5);

/* \ValueError: request <index> ("<id>"): "<field>" <what>. */
static void request_error(uint32_t index, const zend_string *id, const char *field, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	zend_string *what = zend_vstrpprintf(0, fmt, args);
	va_end(args);
	if (id) {
		int shown = (int) MIN(ZSTR_LEN(id), ID_SHOWN_MAX);
		zend_argument_value_error(1, "request %" PRIu32 " (\"%.*s%s\"): \"%s\" %s", index, shown, ZSTR_VAL(id),
			ZSTR_LEN(id) > ID_SHOWN_MAX ? "..." : "", field, ZSTR_VAL(what));
	} else {
		zend_argument_value_error(1, "request %" PRIu32 ": \"%s\" %s", index, field, ZSTR_VAL(what));
	}
	zend_string_release(what);
}

/* True for an absolute http:// or https:// URL with a host; *https tells which. */
static bool url_is_http(const zend_string *url, bool *https)
{
	if (ZSTR_LEN(url) == 0 || strlen(ZSTR_VAL(url)) != ZSTR_LEN(url)) {
		return false;
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = u != NULL
		&& curl_url_set(u, CURLUPART_URL, ZSTR_VAL(url), 0) == CURLUE_OK
		&& curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK
		&& ((*https = zend_binary_strcasecmp(scheme, strlen(scheme), "https", 5) == 0)
			|| zend_binary_strcasecmp(scheme, strlen(scheme), "http", 4) == 0)
		&& curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK
		&& host[0] != '\0';
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static void request_free(push_request *r)
{
	if (r->easy) {
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	smart_str_free(&r->received);
	smart_str_free(&r->head);
	if (r->id) zend_string_release(r->id);
	if (r->url) zend_string_release(r->url);
	if (r->method) zend_string_release(r->method);
	if (r->body) zend_string_release(r->body);
	zval_ptr_dtor(&r->result);
}

/* Builds the header list; returns false (having thrown) on a bad header. */
static bool request_headers(push_request *r, uint32_t index, HashTable *headers, bool *idempotency_key)
{
	zend_string *name;
	zend_ulong idx;
	zval *value;
	bool content_type = false, expect = false;

	ZEND_HASH_FOREACH_KEY_VAL(headers, idx, name, value) {
		if (name == NULL) {
			request_error(index, r->id, "headers", "must map header names to values; " ZEND_ULONG_FMT " is not a name", idx);
			return false;
		}
		if (has_cr_lf_nul(ZSTR_VAL(name), ZSTR_LEN(name))) {
			request_error(index, r->id, "headers", "name must not contain CR, LF or NUL");
			return false;
		}
		if (!is_token(name)) {
			request_error(index, r->id, "headers", "name \"%s\" is not a valid header name", ZSTR_VAL(name));
			return false;
		}
		if (zend_string_equals_literal_ci(name, "Content-Length") || zend_string_equals_literal_ci(name, "Transfer-Encoding")) {
			request_error(index, r->id, "headers", "must not set \"%s\": Push frames the body itself", ZSTR_VAL(name));
			return false;
		}
		ZVAL_DEREF(value);
		zend_string *text;
		if (Z_TYPE_P(value) == IS_STRING) {
			text = zend_string_copy(Z_STR_P(value));
		} else if (Z_TYPE_P(value) == IS_LONG) {
			text = zend_long_to_str(Z_LVAL_P(value));
		} else {
			request_error(index, r->id, "headers", "value of \"%s\" must be a string or an int, %s given",
				ZSTR_VAL(name), zend_zval_type_name(value));
			return false;
		}
		if (has_cr_lf_nul(ZSTR_VAL(text), ZSTR_LEN(text))) {
			zend_string_release(text);
			request_error(index, r->id, "headers", "value of \"%s\" must not contain CR, LF or NUL", ZSTR_VAL(name));
			return false;
		}
		if (zend_string_equals_literal_ci(name, "Idempotency-Key")) {
			*idempotency_key = true;
		}
		content_type = content_type || zend_string_equals_literal_ci(name, "Content-Type");
		expect = expect || zend_string_equals_literal_ci(name, "Expect");
		/* "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it). */
		zend_string *line = ZSTR_LEN(text) == 0
			? zend_strpprintf(0, "%s;", ZSTR_VAL(name))
			: zend_strpprintf(0, "%s: %s", ZSTR_VAL(name), ZSTR_VAL(text));
		zend_string_release(text);
		struct curl_slist *grown = curl_slist_append(r->headers, ZSTR_VAL(line));
		zend_string_release(line);
		if (grown == NULL) {
			zend_throw_exception(omnistock_ce_Exception, "libcurl could not allocate a header list", 0);
			return false;
		}
		r->headers = grown;
	} ZEND_HASH_FOREACH_END();

	/* Send exactly what the caller gave: no invented Content-Type, no "Expect: 100-continue" round trip. */
	const char *removals[2] = { content_type ? NULL : "Content-Type:", expect ? NULL : "Expect:" };
	for (int i = 0; i < 2; i++) {
		if (removals[i]) {
			struct curl_slist *grown = curl_slist_append(r->headers, removals[i]);
			if (grown == NULL) {
				zend_throw_exception(omnistock_ce_Exception, "libcurl could not allocate a header list", 0);
				return false;
			}
			r->headers = grown;
		}
	}
	return true;
}

/* Validates request `index` into *r; returns false (having thrown) when it is malformed. */
static bool request_parse(push_request *r, uint32_t index, zval *zv, HashTable *seen)
{
	ZVAL_DEREF(zv);
	if (Z_TYPE_P(zv) != IS_ARRAY) {
		zend_argument_value_error(1, "request %" PRIu32 " must be an array, %s given", index, zend_zval_type_name(zv));
		return false;
	}
	HashTable *fields = Z_ARRVAL_P(zv);

	zval *id = zend_hash_find(fields, keys[K_ID]);
	if (id) {
		ZVAL_DEREF(id);
	}
	if (id == NULL || Z_TYPE_P(id) != IS_STRING || Z_STRLEN_P(id) == 0) {
		request_error(index, NULL, "id", "must be a non-empty string");
		return false;
	}
	r->id = zend_string_copy(Z_STR_P(id));

	zend_string *name;
	zend_ulong idx;
	ZEND_HASH_FOREACH_KEY(fields, idx, name) {
		bool known = false;
		for (int k = K_ID; name && k <= K_RETRY; k++) {
			known = known || zend_string_equals(name, keys[k]);
		}
		if (!known) {
			if (name) {
				request_error(index, r->id, ZSTR_VAL(name), "is not a request field");
			} else {
				zend_string *shown = zend_long_to_str((zend_long) idx);
				request_error(index, r->id, ZSTR_VAL(shown), "is not a request field");
				zend_string_release(shown);
			}
			return false;
		}
	} ZEND_HASH_FOREACH_END();

	zval position;
	ZVAL_LONG(&position, index);
	/* Compared as array keys: the result is keyed by id, and there "7" is the key 7. */
	zval *first = zend_symtable_find(seen, r->id);
	if (first != NULL) {
		request_error(index, r->id, "id", "duplicates request " ZEND_LONG_FMT, Z_LVAL_P(first));
		return false;
	}
	zend_symtable_add_new(seen, r->id, &position);

	zval *url = zend_hash_find(fields, keys[K_URL]);
	if (url) {
		ZVAL_DEREF(url);
	}
	if (url == NULL || Z_TYPE_P(url) != IS_STRING || !url_is_http(Z_STR_P(url), &r->https)) {
		request_error(index, r->id, "url", "must be an http:// or https:// URL");
		return false;
	}
	r->url = zend_string_copy(Z_STR_P(url));

	zval *method = zend_hash_find(fields, keys[K_METHOD]);
	if (method) {
		ZVAL_DEREF(method);
	}
	if (method == NULL) {
		r->method = ZSTR_INIT_LITERAL("POST", 0);
	} else if (Z_TYPE_P(method) != IS_STRING || ZSTR_LEN(Z_STR_P(method)) > 32 || !is_token(Z_STR_P(method))) {
		request_error(index, r->id, "method", "must be an HTTP method name (a token of at most 32 characters)");
		return false;
	} else {
		r->method = zend_string_copy(Z_STR_P(method));
	}

	zval *body = zend_hash_find(fields, keys[K_BODY]);
	if (body) {
		ZVAL_DEREF(body);
	}
	if (body == NULL) {
		r->body = ZSTR_EMPTY_ALLOC();
	} else if (Z_TYPE_P(body) != IS_STRING) {
		request_error(index, r->id, "body", "must be a string, %s given", zend_zval_type_name(body));
		return false;
	} else {
		r->body = zend_string_copy(Z_STR_P(body));
	}
	if (ZSTR_LEN(r->body) > 0 && zend_string_equals_literal(r->method, "HEAD")) {
		request_error(index, r->id, "body", "must be empty for a HEAD request");
		return false;
	}

	bool idempotency_key = false;
	zval *headers = zend_hash_find(fields, keys[K_HEADERS]);
	if (headers) {
		ZVAL_DEREF(headers);
		if (Z_TYPE_P(headers) != IS_ARRAY) {
			request_error(index, r->id, "headers", "must be an array of name => value, %s given", zend_zval_type_name(headers));
			return false;
		}
	}
	if (!request_headers(r, index, headers ? Z_ARRVAL_P(headers) : (HashTable *) &zend_empty_array, &idempotency_key)) {
		return false;
	}

	zval *retry = zend_hash_find(fields, keys[K_RETRY]);
	if (retry) {
		ZVAL_DEREF(retry);
	}
	if (retry == NULL || Z_TYPE_P(retry) == IS_NULL) {
		r->retry = idempotency_key || zend_string_equals_literal(r->method, "GET")
			|| zend_string_equals_literal(r->method, "PUT") || zend_string_equals_literal(r->method, "DELETE");
	} else if (Z_TYPE_P(retry) == IS_TRUE || Z_TYPE_P(retry) == IS_FALSE) {
		r->retry = Z_TYPE_P(retry) == IS_TRUE;
	} else {
		request_error(index, r->id, "retry", "must be a bool or null, %s given", zend_zval_type_name(retry));
		return false;
	}
	return true;
}

/* ---- libcurl callbacks ---- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	push_request *r = arg;
	size_t len = size * n;
	size_t room = (size_t) r->batch->push->max_response_bytes - (r->received.s ? ZSTR_LEN(r->received.s) : 0);
	size_t take = MIN(len, room);
	bool bailed_out = false;

	zend_try {
		if (take > 0) {
			smart_str_appendl(&r->received, data, take);
		}
	} zend_catch {
		bailed_out = true;
	} zend_end_try();

	if (bailed_out) {
		r->batch->bailed_out = true;
		return 0;
	}
	if (take < len) {
		r->cut = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	push_request *r = arg;
	size_t len = size * n;
	bool bailed_out = false;

	zend_try {
		if (len >= 5 && memcmp(data, "HTTP/", 5) == 0 && r->head.s) {
			ZSTR_LEN(r->head.s) = 0; /* a new response (after 1xx): forget the previous one's headers */
		}
		smart_str_appendl(&r->head, data, len);
	} zend_catch {
		bailed_out = true;
	} zend_end_try();

	if (bailed_out) {
		r->batch->bailed_out = true;
		return 0;
	}
	return len;
}

/* ---- one attempt ---- */

static uint64_t now_ms(void)
{
	return (uint64_t) (php_hrtime_current() / 1000000);
}

/* Creates and configures the request's easy handle; false when libcurl refuses. */
static bool request_prepare(push_request *r, CURLSH *share)
{
	const push_object *p = r->batch->push;
	CURL *e = curl_easy_init();
	if (e == NULL) {
		return false;
	}
	r->easy = e;
	bool ok = true;
#define SET(option, value) ok = ok && curl_easy_setopt(e, option, value) == CURLE_OK
	SET(CURLOPT_PRIVATE, r);
	SET(CURLOPT_URL, ZSTR_VAL(r->url));
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SET(CURLOPT_REDIR_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SHARE, share);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROXY, ""); /* never a proxy from the environment (http_proxy, ...) */
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long) p->connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, (long) p->timeout_ms);
	SET(CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
	/* Over TLS, wait for a connection being set up that may turn out to multiplex (HTTP/2 by
	 * ALPN) rather than open one per request. Plain http:// is HTTP/1.1 here: waiting there would
	 * only serialise the requests behind the first one. */
	SET(CURLOPT_PIPEWAIT, r->https ? 1L : 0L);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_SSL_VERIFYPEER, p->verify_tls ? 1L : 0L);
	SET(CURLOPT_SSL_VERIFYHOST, p->verify_tls ? 2L : 0L);
	if (p->ca_file) {
		SET(CURLOPT_CAINFO, ZSTR_VAL(p->ca_file));
	}
	SET(CURLOPT_USERAGENT, ZSTR_VAL(p->user_agent));
	SET(CURLOPT_HTTPHEADER, r->headers);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, r);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, r);
	SET(CURLOPT_ERRORBUFFER, r->errbuf);

	bool has_body = ZSTR_LEN(r->body) > 0 || zend_string_equals_literal(r->method, "POST")
		|| zend_string_equals_literal(r->method, "PUT") || zend_string_equals_literal(r->method, "PATCH");
	if (zend_string_equals_literal(r->method, "HEAD")) {
		SET(CURLOPT_NOBODY, 1L);
	} else if (has_body) {
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) ZSTR_LEN(r->body));
		SET(CURLOPT_POSTFIELDS, ZSTR_VAL(r->body));
		if (!zend_string_equals_literal(r->method, "POST")) {
			SET(CURLOPT_CUSTOMREQUEST, ZSTR_VAL(r->method));
		}
	} else {
		SET(CURLOPT_HTTPGET, 1L);
		if (!zend_string_equals_literal(r->method, "GET")) {
			SET(CURLOPT_CUSTOMREQUEST, ZSTR_VAL(r->method));
		}
	}
#undef SET
	return ok;
}

static bool request_start(push_request *r, CURLM *multi, CURLSH *share, uint64_t now)
{
	/* A fresh easy handle per attempt: a reused one can carry the previous attempt's timers into
	 * the next (libcurl 7.88 then fails the retry at once with "Failed to resolve host ... with
	 * timeout"). Connections, DNS and TLS sessions live in the share handle, not in the easy one. */
	if (r->easy) {
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	if (!request_prepare(r, share)) {
		return false;
	}
	smart_str_free(&r->received);
	smart_str_free(&r->head);
	r->cut = false;
	r->errbuf[0] = '\0';
	if (r->attempts++ == 0) {
		r->started_ms = now;
	}
	r->state = R_RUNNING;
	return curl_multi_add_handle(multi, r->easy) == CURLM_OK;
}

/* Transport failures worth another attempt; TLS verification, bad URLs and the like are not. */
static bool transient(CURLcode code)
{
	switch (code) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_GOT_NOTHING:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_PARTIAL_FILE:
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM:
			return true;
		default:
			return false;
	}
}

/* The seconds the latest response's Retry-After asks for (delay-seconds or an HTTP-date);
 * -1 when it has none or an unreadable one. */
static zend_long retry_after_seconds(const smart_str *head)
{
	static const char name[] = "retry-after:";
	if (head->s == NULL) {
		return -1;
	}
	const char *s = ZSTR_VAL(head->s), *end = s + ZSTR_LEN(head->s);
	while (s < end) {
		const char *eol = memchr(s, '\n', end - s);
		const char *line_end = eol ? eol : end;
		if ((size_t) (line_end - s) > sizeof(name) - 1 && zend_binary_strncasecmp(s, sizeof(name) - 1, name, sizeof(name) - 1, sizeof(name) - 1) == 0) {
			const char *v = s + sizeof(name) - 1, *v_end = line_end;
			while (v < v_end && (*v == ' ' || *v == '\t')) v++;
			while (v_end > v && (v_end[-1] == '\r' || v_end[-1] == ' ' || v_end[-1] == '\t')) v_end--;
			char value[64];
			size_t len = (size_t) (v_end - v);
			if (len == 0 || len >= sizeof value) {
				return -1;
			}
			memcpy(value, v, len);
			value[len] = '\0';
			if (strspn(value, "0123456789") == len) {
				return len > 9 ? 999999999 : ZEND_STRTOL(value, NULL, 10);
			}
			time_t at = curl_getdate(value, NULL);
			if (at == -1) {
				return -1;
			}
			time_t now = time(NULL);
			return at > now ? (zend_long) (at - now) : 0;
		}
		s = eol ? eol + 1 : end;
	}
	return -1;
}

/* Milliseconds to wait before the next attempt, or -1 when the request is final. */
static zend_long retry_delay(const push_request *r, CURLcode code, long status)
{
	const push_object *p = r->batch->push;
	if (!r->retry || r->attempts > (uint32_t) p->retries || r->cut) {
		return -1;
	}
	if (code != CURLE_OK ? !transient(code) : !(status == 429 || (status >= 500 && status <= 599))) {
		return -1;
	}
	zend_long retry_after = code == CURLE_OK ? retry_after_seconds(&r->head) : -1;
	if (retry_after >= 0) {
		return retry_after >= (p->timeout_ms + 999) / 1000 ? p->timeout_ms : retry_after * 1000;
	}
	/* Exponential backoff with jitter: between half and all of backoff_ms * 2^(attempt - 1). */
	zend_long ceiling = MAX(p->backoff_ms, p->timeout_ms);
	zend_long delay = p->backoff_ms;
	for (uint32_t i = 1; i < r->attempts && delay < ceiling; i++) {
		delay *= 2;
	}
	delay = MIN(delay, ceiling);
	/* The jitter comes from the OS, not mt_rand(): a script's mt_srand() sequence stays its own. */
	zend_long jitter = delay - delay / 2;
	if (php_random_int_silent(0, jitter, &jitter) == FAILURE) {
		jitter = delay - delay / 2;
	}
	return delay / 2 + jitter;
}

static void headers_to_array(zval *out, const smart_str *head)
{
	array_init(out);
	if (head->s == NULL) {
		return;
	}
	const char *s = ZSTR_VAL(head->s), *end = s + ZSTR_LEN(head->s);
	bool status_line = true;
	while (s < end) {
		const char *eol = memchr(s, '\n', end - s);
		const char *next = eol ? eol + 1 : end;
		const char *line_end = eol ? eol : end;
		if (line_end > s && line_end[-1] == '\r') {
			line_end--;
		}
		const char *colon = status_line ? NULL : memchr(s, ':', line_end - s);
		status_line = false;
		if (colon && colon > s) {
			const char *v = colon + 1, *v_end = line_end;
			while (v < v_end && (*v == ' ' || *v == '\t')) v++;
			while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t')) v_end--;
			zend_string *name = zend_string_init(s, colon - s, 0);
			zend_str_tolower(ZSTR_VAL(name), ZSTR_LEN(name));
			zval *known = zend_hash_find(Z_ARRVAL_P(out), name);
			if (known) {
				zend_string *joined = zend_strpprintf(0, "%s, %.*s", Z_STRVAL_P(known), (int) (v_end - v), v);
				zval_ptr_dtor(known);
				ZVAL_STR(known, joined);
			} else {
				zval value;
				ZVAL_STRINGL(&value, v, v_end - v);
				zend_hash_add_new(Z_ARRVAL_P(out), name, &value);
			}
			zend_string_release(name);
		}
		s = next;
	}
}

/* Records the request's outcome from its last attempt. */
static void request_finish(push_request *r, CURLcode code, long status, uint64_t now)
{
	const push_object *p = r->batch->push;
	zval headers, body;
	const char *error = NULL;
	zend_string *error_str = NULL;

	if (r->cut) {
		error_str = zend_strpprintf(0, "response body exceeds max_response_bytes (" ZEND_LONG_FMT "): cut", p->max_response_bytes);
	} else if (code != CURLE_OK) {
		error = r->errbuf[0] ? r->errbuf : curl_easy_strerror(code);
		status = 0;
	}
	if (status == 0) {
		array_init(&headers);
		ZVAL_EMPTY_STRING(&body);
	} else {
		headers_to_array(&headers, &r->head);
		ZVAL_STR(&body, smart_str_extract(&r->received));
	}

	array_init_size(&r->result, 6);
	zval v;
	ZVAL_LONG(&v, status);
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_STATUS], &v);
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_HEADERS], &headers);
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_BODY], &body);
	if (error_str) {
		ZVAL_STR(&v, error_str);
	} else if (error) {
		ZVAL_STRING(&v, error);
	} else {
		ZVAL_NULL(&v);
	}
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_ERROR], &v);
	ZVAL_LONG(&v, r->attempts);
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_ATTEMPTS], &v);
	ZVAL_LONG(&v, (zend_long) (now - r->started_ms));
	zend_hash_add_new(Z_ARRVAL(r->result), keys[K_TIME_MS], &v);

	r->state = R_DONE;
	smart_str_free(&r->received);
	smart_str_free(&r->head);
	curl_easy_cleanup(r->easy); /* its connection stays in the shared cache */
	r->easy = NULL;
}

/* ---- the retry timetable: a min-heap of request indices by due time ---- */

typedef struct {
	uint32_t *items;
	uint32_t len;
} due_heap;

static void due_push(due_heap *h, const push_request *rs, uint32_t i)
{
	uint32_t at = h->len++;
	while (at > 0) {
		uint32_t parent = (at - 1) / 2;
		if (rs[h->items[parent]].due_ms <= rs[i].due_ms) {
			break;
		}
		h->items[at] = h->items[parent];
		at = parent;
	}
	h->items[at] = i;
}

static uint32_t due_pop(due_heap *h, const push_request *rs)
{
	uint32_t top = h->items[0];
	uint32_t last = h->items[--h->len];
	uint32_t at = 0;
	for (;;) {
		uint32_t child = 2 * at + 1;
		if (child >= h->len) {
			break;
		}
		if (child + 1 < h->len && rs[h->items[child + 1]].due_ms < rs[h->items[child]].due_ms) {
			child++;
		}
		if (rs[last].due_ms <= rs[h->items[child]].due_ms) {
			break;
		}
		h->items[at] = h->items[child];
		at = child;
	}
	if (h->len > 0) {
		h->items[at] = last;
	}
	return top;
}

/* ---- the loop ---- */

/* Runs every request to its outcome; false (having thrown) when libcurl fails as a whole. */
static bool batch_run(push_batch *b, CURLM *multi, CURLSH *share)
{
	push_request *rs = b->requests;
	uint32_t n = b->count, done = 0, running = 0, next_new = 0;
	uint32_t *ready = safe_emalloc(n, sizeof(uint32_t), 0); /* retries that are due, oldest first */
	uint32_t ready_head = 0, ready_len = 0;
	due_heap waiting = { safe_emalloc(n, sizeof(uint32_t), 0), 0 };
	const char *failure = NULL;
	uint32_t concurrency = (uint32_t) b->push->concurrency;

	while (done < n) {
		uint64_t now = now_ms();
		while (waiting.len > 0 && rs[waiting.items[0]].due_ms <= now) {
			ready[(ready_head + ready_len++) % n] = due_pop(&waiting, rs);
		}
		while (running < concurrency && (ready_len > 0 || next_new < n)) {
			uint32_t i;
			if (ready_len > 0) {
				i = ready[ready_head];
				ready_head = (ready_head + 1) % n;
				ready_len--;
			} else {
				i = next_new++;
			}
			if (!request_start(&rs[i], multi, share, now)) {
				failure = "libcurl could not start a transfer";
				goto out;
			}
			running++;
		}

		int still_running;
		CURLMcode mc = curl_multi_perform(multi, &still_running);
		if (mc != CURLM_OK) {
			failure = curl_multi_strerror(mc);
			goto out;
		}
		if (b->bailed_out) {
			goto out;
		}

		bool finished_any = false;
		CURLMsg *msg;
		int queued;
		now = now_ms();
		while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
			if (msg->msg != CURLMSG_DONE) {
				continue;
			}
			CURL *e = msg->easy_handle;
			CURLcode code = msg->data.result; /* read before the message is invalidated */
			push_request *r = NULL;
			long status = 0;
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **) &r);
			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
			curl_multi_remove_handle(multi, e);
			running--;
			finished_any = true;
			zend_long delay = retry_delay(r, code, status);
			if (delay >= 0) {
				r->state = R_WAITING;
				r->due_ms = now + (uint64_t) delay;
				due_push(&waiting, rs, (uint32_t) (r - rs));
			} else {
				request_finish(r, code, status, now);
				done++;
			}
		}
		if (done == n) {
			break;
		}
		if (finished_any && running < concurrency && (next_new < n || ready_len > 0)) {
			continue; /* free slots and work to start: no sleeping */
		}

		long wait_ms = 1000;
		if (waiting.len > 0) {
			uint64_t due = rs[waiting.items[0]].due_ms;
			wait_ms = due <= now ? 0 : (long) MIN(due - now, (uint64_t) wait_ms);
		}
		if (running > 0) {
			long curl_ms;
			if (curl_multi_timeout(multi, &curl_ms) == CURLM_OK && curl_ms >= 0 && curl_ms < wait_ms) {
				wait_ms = curl_ms;
			}
		}
		if (wait_ms > 0) {
			mc = curl_multi_poll(multi, NULL, 0, (int) wait_ms, NULL);
			if (mc != CURLM_OK) {
				failure = curl_multi_strerror(mc);
				goto out;
			}
		}
	}

out:
	/* Detach whatever is still attached (only after a failure or a bailout). */
	for (uint32_t i = 0; i < n; i++) {
		if (rs[i].state == R_RUNNING && rs[i].easy) {
			curl_multi_remove_handle(multi, rs[i].easy);
		}
	}
	efree(ready);
	efree(waiting.items);
	if (failure) {
		zend_throw_exception_ex(omnistock_ce_Exception, 0, "Push: %s; the batch was abandoned", failure);
		return false;
	}
	return !b->bailed_out;
}

/* ---- methods ---- */

ZEND_METHOD(Omnistock_Push, __construct)
{
	HashTable *options = NULL;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	push_object *p = Z_PUSH_P(ZEND_THIS);
	/* Parse into a copy so that a bad option leaves the object as it was. */
	push_object parsed;
	parsed.ca_file = NULL;
	parsed.user_agent = NULL;
	push_set_defaults(&parsed);
	if (options && !push_parse_options(&parsed, options)) {
		if (parsed.ca_file) zend_string_release(parsed.ca_file);
		zend_string_release(parsed.user_agent);
		RETURN_THROWS();
	}
	if (p->ca_file) zend_string_release(p->ca_file);
	zend_string_release(p->user_agent);
	p->concurrency = parsed.concurrency;
	p->connect_timeout_ms = parsed.connect_timeout_ms;
	p->timeout_ms = parsed.timeout_ms;
	p->retries = parsed.retries;
	p->backoff_ms = parsed.backoff_ms;
	p->max_response_bytes = parsed.max_response_bytes;
	p->verify_tls = parsed.verify_tls;
	p->ca_file = parsed.ca_file;
	p->user_agent = parsed.user_agent;
}

ZEND_METHOD(Omnistock_Push, send)
{
	HashTable *list;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ARRAY_HT(list)
	ZEND_PARSE_PARAMETERS_END();

	if (!zend_array_is_list(list)) {
		zend_argument_value_error(1, "must be a list of requests");
		RETURN_THROWS();
	}
	uint32_t n = zend_hash_num_elements(list);
	if (n == 0) {
		RETURN_EMPTY_ARRAY();
	}

	push_batch batch = { Z_PUSH_P(ZEND_THIS), ecalloc(n, sizeof(push_request)), n, false };
	HashTable seen;
	zend_hash_init(&seen, n, NULL, NULL, 0);
	bool ok = true;
	uint32_t index = 0;
	zval *zv;
	ZEND_HASH_FOREACH_VAL(list, zv) {
		batch.requests[index].batch = &batch;
		ZVAL_UNDEF(&batch.requests[index].result);
		if (!request_parse(&batch.requests[index], index, zv, &seen)) {
			ok = false;
			break;
		}
		index++;
	} ZEND_HASH_FOREACH_END();
	zend_hash_destroy(&seen);

	CURLM *multi = NULL;
	if (ok) {
		multi = push_multi();
		if (multi == NULL) {
			zend_throw_exception(omnistock_ce_Exception, "Push: libcurl could not create its multi or share handle", 0);
			ok = false;
		}
	}
	if (ok) {
		/* Keep as many idle connections as the widest batch so far had in flight. */
		long wanted = MAX(PUSH_G(max_connects), (long) batch.push->concurrency);
		if (wanted != PUSH_G(max_connects)) {
			curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, wanted);
			PUSH_G(max_connects) = wanted;
		}
		ok = batch_run(&batch, multi, PUSH_G(share));
	}

	if (ok) {
		array_init_size(return_value, n);
		for (uint32_t i = 0; i < n; i++) {
			zend_symtable_add_new(Z_ARRVAL_P(return_value), batch.requests[i].id, &batch.requests[i].result);
			ZVAL_UNDEF(&batch.requests[i].result);
		}
	}
	bool bailed_out = batch.bailed_out;
	for (uint32_t i = 0; i < n; i++) {
		request_free(&batch.requests[i]);
	}
	efree(batch.requests);
	if (bailed_out) {
		zend_bailout();
	}
	if (!ok) {
		RETURN_THROWS();
	}
}

/* ---- object handlers ---- */

static zend_object *push_create(zend_class_entry *ce)
{
	push_object *p = zend_object_alloc(sizeof(push_object), ce);
	zend_object_std_init(&p->std, ce);
	object_properties_init(&p->std, ce);
	p->std.handlers = &push_handlers;
	p->ca_file = NULL;
	p->user_agent = NULL;
	push_set_defaults(p);
	return &p->std;
}

static void push_free(zend_object *obj)
{
	push_object *p = push_from_obj(obj);
	if (p->ca_file) {
		zend_string_release(p->ca_file);
	}
	if (p->user_agent) {
		zend_string_release(p->user_agent);
	}
	zend_object_std_dtor(&p->std);
}

PHP_MINIT_FUNCTION(omnistock_push)
{
	(void) type;
	(void) module_number;
	for (int i = 0; i < K__COUNT; i++) {
		keys[i] = zend_string_init_interned(key_names[i], strlen(key_names[i]), 1);
		ZSTR_HASH(keys[i]);
	}

	omnistock_ce_Push = register_class_Omnistock_Push();
	omnistock_ce_Push->create_object = push_create;

	memcpy(&push_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	push_handlers.offset = XtOffsetOf(push_object, std);
	push_handlers.free_obj = push_free;
	push_handlers.clone_obj = NULL;

#ifdef ZTS
	ts_allocate_id(&push_globals_id, sizeof(push_globals), push_globals_ctor, push_globals_dtor);
#else
	push_globals_ctor(&push_globals_data);
#endif
	return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(omnistock_push)
{
	(void) type;
	(void) module_number;
#ifdef ZTS
	ts_free_id(push_globals_id); /* runs the destructor for every thread's handles */
#else
	push_globals_dtor(&push_globals_data);
#endif
	return SUCCESS;
}
