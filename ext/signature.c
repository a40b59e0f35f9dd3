/*
 * Omnistock\Webhook: verifies inbound POS webhooks and signs outbound ones (libsodium).
 *
 * The file has two halves. The core (header parsers, secret decoding, the checks) is plain C over
 * libsodium: it sees byte strings only, allocates only for Ed25519's contiguous message, and is what
 * the libFuzzer targets in tests/fuzz/ build with -DOMNISTOCK_SIGNATURE_CORE_ONLY. The Zend half below
 * it turns PHP arrays into a core request and core results into objects and exceptions.
 *
 * Every MAC comparison is constant-time (crypto_verify_32, sodium_memcmp); every decoded key, MAC
 * state and derived secret on our side is wiped with sodium_memzero before it goes out of scope.
 * The caller's secret strings are theirs: PHP gives us no way to wipe them, and we keep no copy.
 */

#ifdef OMNISTOCK_SIGNATURE_CORE_ONLY
# include <stdlib.h>
# include <string.h>
# define OS_ALLOC(n) malloc(n)
# define OS_FREE(p) free(p)
#else
# ifdef HAVE_CONFIG_H
#  include "config.h"
# endif
# include "php.h"
# include "zend_exceptions.h"
# include "zend_enum.h"
# include "zend_attributes.h"
# include "ext/standard/sha1.h"
# include "php_omnistock.h"
# define OS_ALLOC(n) emalloc(n)
# define OS_FREE(p) efree(p)
#endif

#include <sodium.h>

#include "signature.h"

/* ======================================================================================== */
/* Core: no Zend below this line until the marked Zend half.                                */
/* ======================================================================================== */

const char *const os_sig_scheme_names[OS_SCHEME__COUNT] = { "standard", "square", "shopify", "stripe", "clover" };

const char *const os_sig_header_names[OS_SCHEME__COUNT][OS_SIG_MAX_HEADERS] = {
	[OS_SCHEME_STANDARD] = { "webhook-id", "webhook-timestamp", "webhook-signature" },
	[OS_SCHEME_SQUARE] = { "x-square-hmacsha256-signature", "x-square-signature", NULL },
	[OS_SCHEME_SHOPIFY] = { "x-shopify-hmac-sha256", "x-shopify-webhook-id", NULL },
	[OS_SCHEME_STRIPE] = { "stripe-signature", NULL, NULL },
	[OS_SCHEME_CLOVER] = { "x-clover-auth", NULL, NULL },
};

#define HMAC256_BYTES crypto_auth_hmacsha256_BYTES /* 32 */
#define ED25519_SIG_BYTES crypto_sign_BYTES        /* 64 */
#define SHA1_BYTES 20

bool os_sig_trim_value(os_sig_str *value)
{
	const char *p = value->ptr, *end = value->ptr + value->len;
	while (p < end && (*p == ' ' || *p == '\t')) {
		p++;
	}
	while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
		end--;
	}
	for (const char *q = p; q < end; q++) {
		unsigned char c = (unsigned char) *q;
		if (c < 0x20 || c > 0x7e) {
			return false;
		}
	}
	value->ptr = p;
	value->len = (size_t) (end - p);
	return true;
}

static bool has_byte(os_sig_str s, char c)
{
	return s.len > 0 && memchr(s.ptr, c, s.len) != NULL;
}

static bool str_is(os_sig_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Unix seconds as 1 to 18 ASCII digits: no sign, no spaces, never near the int64 range. */
bool os_sig_parse_timestamp(os_sig_str value, int64_t *out)
{
	int64_t v = 0;
	if (value.len == 0 || value.len > 18) {
		return false;
	}
	for (size_t i = 0; i < value.len; i++) {
		if (value.ptr[i] < '0' || value.ptr[i] > '9') {
			return false;
		}
		v = v * 10 + (value.ptr[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * libsodium 1.0.18's sodium_base642bin() takes some bytes >= 0x80 for alphabet characters (found by
 * tests/fuzz/fuzz_signature_parsers): check the alphabet first, without branching on the bytes,
 * since secrets go through here too.
 */
static bool base64_alphabet(os_sig_str s)
{
	unsigned bad = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned c = (unsigned char) s.ptr[i];
		unsigned ok = ((c - 'A') < 26u) | ((c - 'a') < 26u) | ((c - '0') < 10u) | (c == '+') | (c == '/') | (c == '=');
		bad |= ok ^ 1u;
	}
	return bad == 0;
}

static int base642bin(unsigned char *bin, size_t bin_max, os_sig_str b64, size_t *bin_len)
{
	if (!base64_alphabet(b64)) {
		return -1;
	}
	return sodium_base642bin(bin, bin_max, b64.ptr, b64.len, NULL, bin_len, NULL, sodium_base64_VARIANT_ORIGINAL);
}

/* Secret material: libsodium's constant-time decoder, strict (padded, canonical), exactly want bytes. */
static bool secret_base64_exact(os_sig_str value, unsigned char *out, size_t want)
{
	size_t got = 0;
	if (value.len == 0 || value.len != sodium_base64_encoded_len(want, sodium_base64_VARIANT_ORIGINAL) - 1) {
		return false;
	}
	/* With b64_end NULL libsodium refuses trailing garbage; it also refuses bad padding and
	 * non-zero leftover bits, so every accepted string is the one canonical encoding. */
	return base642bin(out, want, value, &got) == 0 && got == want;
}

/* Base64 alphabet values; -1 for every other byte. */
static const signed char base64_value[256] = {
#define N8 -1, -1, -1, -1, -1, -1, -1, -1
	N8, N8, N8, N8, N8,                                         /* 0x00-0x27 */
	-1, -1, -1, 62, -1, -1, -1, 63,                             /* 0x28-0x2f: + / */
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1, /* 0-9 */
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,        /* @ A-O */
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1, /* P-Z */
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, /* ` a-o */
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1, /* p-z */
	N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, N8, /* 0x80-0xff */
#undef N8
};

/*
 * Public values (signatures, public keys): strict base64 (standard alphabet, padded, canonical) of
 * exactly want bytes, by table: libsodium's constant-time decoder costs ~80 instructions a character,
 * which secrets need and signatures do not.
 */
bool os_sig_base64_exact(os_sig_str value, unsigned char *out, size_t want)
{
	const unsigned char *s = (const unsigned char *) value.ptr;
	size_t encoded = 4 * ((want + 2) / 3), pad = (3 - want % 3) % 3, chars = encoded - pad, o = 0;
	uint32_t acc = 0;
	unsigned bad = 0;

	if (want == 0 || value.len != encoded) {
		return false;
	}
	for (size_t i = chars; i < encoded; i++) {
		bad |= s[i] != '=';
	}
	for (size_t i = 0; i < chars; i++) {
		int v = base64_value[s[i]];
		bad |= (unsigned) v >> 6; /* -1 has high bits set; 0..63 has none */
		acc = (acc << 6) | (uint32_t) (v & 63);
		if ((i & 3) == 3) {
			out[o++] = (unsigned char) (acc >> 16);
			out[o++] = (unsigned char) (acc >> 8);
			out[o++] = (unsigned char) acc;
			acc = 0;
		}
	}
	switch (chars & 3) {
	case 2: /* 12 bits: one byte, the last 4 bits must be zero */
		bad |= acc & 0xf;
		out[o++] = (unsigned char) (acc >> 4);
		break;
	case 3: /* 18 bits: two bytes, the last 2 bits must be zero */
		bad |= acc & 0x3;
		out[o++] = (unsigned char) (acc >> 10);
		out[o++] = (unsigned char) (acc >> 2);
		break;
	}
	return bad == 0 && o == want;
}

static void hmac256(os_sig_str key, const os_sig_str *parts, size_t part_count, unsigned char mac[HMAC256_BYTES])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *) key.ptr, key.len);
	for (size_t i = 0; i < part_count; i++) {
		crypto_auth_hmacsha256_update(&st, (const unsigned char *) parts[i].ptr, parts[i].len);
	}
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
}

static bool timestamp_in_window(const os_sig_request *req, int64_t ts, os_sig_status *status)
{
	/* Both are >= 0, so neither difference can overflow. */
	if (ts < req->now && req->now - ts > req->tolerance) {
		*status = OS_SIG_EXPIRED;
		return false;
	}
	if (ts > req->now && ts - req->now > req->tolerance) {
		*status = OS_SIG_NOT_YET_VALID;
		return false;
	}
	return true;
}

/* A header value that must be present and non-empty after trimming. */
static os_sig_status need_header(const os_sig_request *req, int slot, os_sig_str *value)
{
	if (req->headers[slot].ptr == NULL) {
		return OS_SIG_MISSING_HEADER;
	}
	*value = req->headers[slot];
	if (!os_sig_trim_value(value) || value->len == 0 || value->len > OS_SIG_MAX_HEADER_BYTES) {
		return OS_SIG_MALFORMED;
	}
	return OS_SIG_OK;
}

/* ---- JSON: validate a document and pick a top-level string member ---- */

/* json_decode()'s default depth, 512, admits at most 511 nested arrays and objects. */
#define JSON_MAX_DEPTH 512

static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0) {
			lo = 0xa0;
		} else if (c == 0xed) {
			hi = 0x9f; /* no UTF-16 surrogates */
		}
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0) {
			lo = 0x90;
		} else if (c == 0xf4) {
			hi = 0x8f; /* nothing above U+10FFFF */
		}
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (size_t i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf) {
			return 0;
		}
	}
	return len;
}

static bool hex4(const unsigned char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9') {
			v |= (unsigned) (c - '0');
		} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
			v |= (unsigned) ((c | 0x20) - 'a' + 10);
		} else {
			return false;
		}
	}
	*out = v;
	return true;
}

/*
 * Skips the bytes that need no attention inside a JSON string (printable ASCII other than '"' and
 * '\\') eight at a time: most of a webhook body is string content. A false alarm only sends a word
 * to the byte-by-byte path; nothing that needs attention is ever skipped.
 */
/* 1 for the bytes a JSON string may hold as they are: printable ASCII but '"' and '\\'. */
static const unsigned char json_plain[256] = {
#define R8(v) v, v, v, v, v, v, v, v
	R8(0), R8(0), R8(0), R8(0),                              /* 0x00-0x1f */
	1, 1, 0, 1, 1, 1, 1, 1, R8(1), R8(1), R8(1),             /* 0x20-0x3f, '"' at 0x22 */
	R8(1), R8(1), R8(1), 1, 1, 1, 1, 0, 1, 1, 1,             /* 0x40-0x5f, '\\' at 0x5c */
	R8(1), R8(1), R8(1), R8(1),                              /* 0x60-0x7f */
	R8(0), R8(0), R8(0), R8(0), R8(0), R8(0), R8(0), R8(0),  /* 0x80-0xbf */
	R8(0), R8(0), R8(0), R8(0), R8(0), R8(0), R8(0), R8(0),  /* 0xc0-0xff */
#undef R8
};

static inline size_t json_skip_plain(const unsigned char *s, size_t p, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	while (n - p >= 8) {
		uint64_t w, quote, backslash, special;
		memcpy(&w, s + p, 8);
		quote = w ^ (ones * '"');
		backslash = w ^ (ones * '\\');
		special = (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | w) & highs;
		if (special) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* The lowest flagged byte is a true one (the borrow trick only misflags bytes above a
			 * true hit), and on little-endian the lowest byte is the first. */
			return p + ((size_t) __builtin_ctzll(special) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < n && json_plain[s[p]]) {
		p++;
	}
	return p;
}

/* s[*i] is the opening quote. Accepts exactly what PHP's JSON scanner accepts in a string. */
static inline bool json_string(const unsigned char *s, size_t n, size_t *i, os_sig_str *content)
{
	size_t p = *i + 1, start = p;
	while ((p = json_skip_plain(s, p, n)) < n) {
		unsigned char c = s[p];
		if (c == '"') {
			content->ptr = (const char *) s + start;
			content->len = p - start;
			*i = p + 1;
			return true;
		}
		if (c < 0x20) {
			return false;
		}
		if (c == '\\') {
			if (++p >= n) {
				return false;
			}
			switch (s[p]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p++;
				break;
			case 'u': {
				unsigned cp, low;
				if (n - p < 5 || !hex4(s + p + 1, &cp)) {
					return false;
				}
				p += 5;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (n - p < 6 || s[p] != '\\' || s[p + 1] != 'u' || !hex4(s + p + 2, &low)
						|| low < 0xdc00 || low > 0xdfff) {
						return false;
					}
					p += 6;
				} else if (cp >= 0xdc00 && cp <= 0xdfff) {
					return false;
				}
				break;
			}
			default:
				return false;
			}
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t len = utf8_sequence(s + p, n - p);
		if (len == 0) {
			return false;
		}
		p += len;
	}
	return false;
}

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char) (0xc0 | (cp >> 6));
		out[1] = (char) (0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char) (0xe0 | (cp >> 12));
		out[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char) (0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char) (0xf0 | (cp >> 18));
	out[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char) (0x80 | (cp & 0x3f));
	return 4;
}

/* Every escape is at least as long as what it decodes to, so out needs raw.len bytes at most. */
size_t os_sig_json_unescape(os_sig_str raw, char *out)
{
	const unsigned char *s = (const unsigned char *) raw.ptr;
	size_t i = 0, o = 0;
	while (i < raw.len) {
		if (s[i] != '\\') {
			out[o++] = (char) s[i++];
			continue;
		}
		char e = (char) s[i + 1];
		i += 2;
		switch (e) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u': {
			unsigned cp = 0, low = 0;
			hex4(s + i, &cp);
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				hex4(s + i + 2, &low);
				i += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			}
			o += utf8_put(out + o, cp);
			break;
		}
		default: out[o++] = e; break; /* " \ / */
		}
	}
	return o;
}

static bool json_string_equals(os_sig_str raw, const char *key, size_t key_len)
{
	char buf[64];
	if (!has_byte(raw, '\\')) {
		return raw.len == key_len && memcmp(raw.ptr, key, key_len) == 0;
	}
	/* An escape is at most 6 bytes per decoded byte: a longer raw string cannot decode to key. */
	if (raw.len > sizeof buf || raw.len > 6 * key_len) {
		return false;
	}
	size_t n = os_sig_json_unescape(raw, buf);
	return n == key_len && memcmp(buf, key, key_len) == 0;
}

static bool json_number(const unsigned char *s, size_t n, size_t *i)
{
	size_t p = *i;
	if (p < n && s[p] == '-') {
		p++;
	}
	if (p >= n) {
		return false;
	}
	if (s[p] == '0') {
		p++;
	} else if (s[p] >= '1' && s[p] <= '9') {
		while (p < n && s[p] >= '0' && s[p] <= '9') {
			p++;
		}
	} else {
		return false;
	}
	if (p < n && s[p] == '.') {
		if (++p >= n || s[p] < '0' || s[p] > '9') {
			return false;
		}
		while (p < n && s[p] >= '0' && s[p] <= '9') {
			p++;
		}
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-')) {
			p++;
		}
		if (p >= n || s[p] < '0' || s[p] > '9') {
			return false;
		}
		while (p < n && s[p] >= '0' && s[p] <= '9') {
			p++;
		}
	}
	*i = p;
	return true;
}

static inline size_t json_ws(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
		i++;
	}
	return i;
}

int os_sig_json_top_string(const unsigned char *s, size_t n, const char *key, size_t key_len, os_sig_str *raw)
{
	unsigned char is_object[JSON_MAX_DEPTH / 8] = { 0 };
	size_t depth = 0, i = json_ws(s, n, 0);
	bool target = false; /* the value about to be read is the top-level member `key` */
	int found = 0;
	os_sig_str str;

value:
	if (i >= n) {
		return -1;
	}
	{
		bool this_is_target = target;
		target = false;
		if (this_is_target) {
			found = 0; /* a later duplicate that is not a string wins, as in json_decode() */
		}
		switch (s[i]) {
		case '{':
		case '[': {
			bool obj = s[i] == '{';
			if (depth + 1 >= JSON_MAX_DEPTH) {
				return -1;
			}
			if (obj) {
				is_object[depth / 8] |= (unsigned char) (1u << (depth % 8));
			} else {
				is_object[depth / 8] &= (unsigned char) ~(1u << (depth % 8));
			}
			depth++;
			i = json_ws(s, n, i + 1);
			if (i < n && s[i] == (obj ? '}' : ']')) {
				i++;
				depth--;
				goto after_value;
			}
			if (obj) {
				goto member;
			}
			goto value;
		}
		case '"':
			if (!json_string(s, n, &i, &str)) {
				return -1;
			}
			if (this_is_target) {
				*raw = str;
				found = 1;
			}
			break;
		case 't':
			if (n - i < 4 || memcmp(s + i, "true", 4) != 0) {
				return -1;
			}
			i += 4;
			break;
		case 'f':
			if (n - i < 5 || memcmp(s + i, "false", 5) != 0) {
				return -1;
			}
			i += 5;
			break;
		case 'n':
			if (n - i < 4 || memcmp(s + i, "null", 4) != 0) {
				return -1;
			}
			i += 4;
			break;
		default:
			if (!json_number(s, n, &i)) {
				return -1;
			}
			break;
		}
	}

after_value:
	i = json_ws(s, n, i);
	if (depth == 0) {
		return i == n ? found : -1;
	}
	if (i >= n) {
		return -1;
	}
	{
		bool in_object = (is_object[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
		if (s[i] == ',') {
			i = json_ws(s, n, i + 1);
			if (in_object) {
				goto member;
			}
			goto value;
		}
		if (s[i] == (in_object ? '}' : ']')) {
			i++;
			depth--;
			goto after_value;
		}
		return -1;
	}

member:
	if (i >= n || s[i] != '"' || !json_string(s, n, &i, &str)) {
		return -1;
	}
	target = depth == 1 && json_string_equals(str, key, key_len);
	i = json_ws(s, n, i);
	if (i >= n || s[i] != ':') {
		return -1;
	}
	i = json_ws(s, n, i + 1);
	goto value;
}

static void id_from_json(const os_sig_request *req, const char *key, os_sig_result *out)
{
	os_sig_str raw;
	if (os_sig_json_top_string(req->body, req->body_len, key, strlen(key), &raw) == 1) {
		out->id = raw;
		out->id_is_json = true;
	}
}

/* ---- standard: Standard Webhooks 1.0 ---- */

typedef struct {
	unsigned char v1[OS_SIG_MAX_SIGNATURES][HMAC256_BYTES];
	unsigned char v1a[OS_SIG_MAX_SIGNATURES][ED25519_SIG_BYTES];
	size_t v1_count, v1a_count;
} standard_signatures;

/* "v1,<b64> v1a,<b64> vX,..." separated by single spaces; unknown versions ignored. */
static bool parse_standard_signatures(os_sig_str list, standard_signatures *sigs)
{
	const char *p = list.ptr, *end = list.ptr + list.len;
	size_t entries = 0;
	sigs->v1_count = sigs->v1a_count = 0;
	while (p <= end) {
		const char *sp = memchr(p, ' ', (size_t) (end - p));
		const char *entry_end = sp ? sp : end;
		os_sig_str entry = { p, (size_t) (entry_end - p) };
		const char *comma = memchr(entry.ptr, ',', entry.len);
		if (entry.len == 0 || comma == NULL || comma == entry.ptr || ++entries > OS_SIG_MAX_SIGNATURES) {
			return false;
		}
		os_sig_str version = { entry.ptr, (size_t) (comma - entry.ptr) };
		os_sig_str sig = { comma + 1, (size_t) (entry_end - comma - 1) };
		if (str_is(version, "v1")) {
			if (!os_sig_base64_exact(sig, sigs->v1[sigs->v1_count], HMAC256_BYTES)) {
				return false;
			}
			sigs->v1_count++;
		} else if (str_is(version, "v1a")) {
			if (!os_sig_base64_exact(sig, sigs->v1a[sigs->v1a_count], ED25519_SIG_BYTES)) {
				return false;
			}
			sigs->v1a_count++;
		}
		if (sp == NULL) {
			break;
		}
		p = sp + 1;
	}
	return true;
}

typedef enum { KEY_HMAC, KEY_ED25519_PUBLIC } standard_key_kind;

/* Decodes one standard secret into key (room for OS_SIG_MAX_KEY_BYTES). whsk_ keys yield their public half. */
static bool decode_standard_secret(os_sig_str secret, standard_key_kind *kind, unsigned char *key, size_t *key_len)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES], seed[crypto_sign_SEEDBYTES];
	size_t got = 0;
	bool ok = false;

	if (secret.len >= 5 && memcmp(secret.ptr, "whpk_", 5) == 0) {
		os_sig_str b64 = { secret.ptr + 5, secret.len - 5 };
		*kind = KEY_ED25519_PUBLIC;
		*key_len = crypto_sign_PUBLICKEYBYTES;
		return os_sig_base64_exact(b64, key, crypto_sign_PUBLICKEYBYTES);
	}
	if (secret.len >= 5 && memcmp(secret.ptr, "whsk_", 5) == 0) {
		os_sig_str b64 = { secret.ptr + 5, secret.len - 5 };
		*kind = KEY_ED25519_PUBLIC;
		*key_len = crypto_sign_PUBLICKEYBYTES;
		if (secret_base64_exact(b64, seed, crypto_sign_SEEDBYTES)) {
			ok = crypto_sign_seed_keypair(key, sk, seed) == 0;
		} else if (secret_base64_exact(b64, sk, crypto_sign_SECRETKEYBYTES)) {
			/* libsodium's form, seed || public key: the halves must belong together. */
			unsigned char derived[crypto_sign_SECRETKEYBYTES];
			ok = crypto_sign_seed_keypair(pk, derived, sk) == 0 && sodium_memcmp(pk, sk + 32, 32) == 0;
			sodium_memzero(derived, sizeof derived);
			memcpy(key, pk, sizeof pk);
		}
		sodium_memzero(sk, sizeof sk);
		sodium_memzero(seed, sizeof seed);
		return ok;
	}
	/* whsec_<base64>, or the bare base64 (the reference libraries accept both). */
	if (secret.len >= 6 && memcmp(secret.ptr, "whsec_", 6) == 0) {
		secret.ptr += 6;
		secret.len -= 6;
	}
	*kind = KEY_HMAC;
	if (secret.len == 0 || secret.len > sodium_base64_encoded_len(OS_SIG_MAX_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL)
		|| base642bin(key, OS_SIG_MAX_KEY_BYTES, secret, &got) != 0 || got == 0) {
		sodium_memzero(key, OS_SIG_MAX_KEY_BYTES);
		return false;
	}
	*key_len = got;
	return true;
}

static os_sig_status verify_standard(const os_sig_request *req, os_sig_result *out)
{
	os_sig_str id, ts_str, list;
	os_sig_status st;
	standard_signatures sigs;
	unsigned char key[OS_SIG_MAX_KEY_BYTES], mac[HMAC256_BYTES];
	standard_key_kind kind;
	size_t key_len;
	unsigned char *message = NULL;
	size_t message_len = 0;
	int64_t ts;

	for (int slot = 0; slot < 3; slot++) {
		if (req->headers[slot].ptr == NULL) {
			return OS_SIG_MISSING_HEADER;
		}
	}
	if ((st = need_header(req, 0, &id)) != OS_SIG_OK || (st = need_header(req, 1, &ts_str)) != OS_SIG_OK
		|| (st = need_header(req, 2, &list)) != OS_SIG_OK) {
		return st;
	}
	/* The spec asks that an id never contain '.', the separator of the signed content. */
	if (id.len > OS_SIG_MAX_ID_BYTES || has_byte(id, '.') || has_byte(id, ' ')
		|| !os_sig_parse_timestamp(ts_str, &ts) || !parse_standard_signatures(list, &sigs)) {
		return OS_SIG_MALFORMED;
	}
	if (req->secret_count == 0) {
		return OS_SIG_NO_SECRET;
	}

	/* One pass: every secret is decoded once; after a match the rest are still decoded, so that a
	 * misconfigured secret is reported whichever secret the sender used. */
	const os_sig_str dot = { ".", 1 };
	const os_sig_str parts[5] = { id, dot, ts_str, dot, { (const char *) req->body, req->body_len } };
	st = OS_SIG_MISMATCH;
	for (size_t k = 0; k < req->secret_count; k++) {
		if (!decode_standard_secret(req->secrets[k], &kind, key, &key_len)) {
			sodium_memzero(key, sizeof key);
			out->secret_index = k;
			st = OS_SIG_BAD_SECRET;
			break;
		}
		if (st == OS_SIG_OK) {
			sodium_memzero(key, key_len);
			continue;
		}
		if (kind == KEY_HMAC && sigs.v1_count > 0) {
			hmac256((os_sig_str) { (const char *) key, key_len }, parts, 5, mac);
			for (size_t s = 0; s < sigs.v1_count; s++) {
				if (crypto_verify_32(mac, sigs.v1[s]) == 0) {
					st = OS_SIG_OK;
				}
			}
		} else if (kind == KEY_ED25519_PUBLIC && sigs.v1a_count > 0) {
			if (message == NULL) {
				/* Ed25519 signs the whole message at once: it must be contiguous. */
				message_len = id.len + ts_str.len + 2 + req->body_len;
				message = OS_ALLOC(message_len);
				if (message == NULL) {
					sodium_memzero(key, sizeof key);
					return OS_SIG_MISMATCH;
				}
				size_t o = 0;
				for (int p = 0; p < 5; p++) {
					if (parts[p].len) {
						memcpy(message + o, parts[p].ptr, parts[p].len);
					}
					o += parts[p].len;
				}
			}
			for (size_t s = 0; s < sigs.v1a_count && st == OS_SIG_MISMATCH; s++) {
				if (crypto_sign_verify_detached(sigs.v1a[s], message, message_len, key) == 0) {
					st = OS_SIG_OK;
				}
			}
		}
		sodium_memzero(key, key_len);
		if (st == OS_SIG_OK) {
			out->secret_index = k;
		}
	}
	sodium_memzero(mac, sizeof mac);
	if (message) {
		OS_FREE(message);
	}
	if (st != OS_SIG_OK) {
		return st;
	}
	out->id = id;
	out->has_timestamp = true;
	out->timestamp = ts;
	return timestamp_in_window(req, ts, &st) ? OS_SIG_OK : st;
}

/* ---- square, shopify, clover: a MAC or token in one header, keyed by the secret's bytes ---- */

static os_sig_status check_raw_secrets(const os_sig_request *req, os_sig_result *out)
{
	if (req->secret_count == 0) {
		return OS_SIG_NO_SECRET;
	}
	for (size_t k = 0; k < req->secret_count; k++) {
		if (req->secrets[k].len == 0) {
			out->secret_index = k;
			return OS_SIG_BAD_SECRET;
		}
	}
	return OS_SIG_OK;
}

static os_sig_status verify_square(const os_sig_request *req, os_sig_result *out)
{
	os_sig_str header;
	os_sig_status st;
	unsigned char want[HMAC256_BYTES], mac[HMAC256_BYTES];
	bool sha1;

	if (req->headers[0].ptr != NULL) {
		sha1 = false;
		if ((st = need_header(req, 0, &header)) != OS_SIG_OK) {
			return st;
		}
		if (!os_sig_base64_exact(header, want, HMAC256_BYTES)) {
			return OS_SIG_MALFORMED;
		}
	} else if (req->legacy && req->headers[1].ptr != NULL) {
		sha1 = true;
		if ((st = need_header(req, 1, &header)) != OS_SIG_OK) {
			return st;
		}
		if (!os_sig_base64_exact(header, want, SHA1_BYTES)) {
			return OS_SIG_MALFORMED;
		}
	} else {
		return OS_SIG_MISSING_HEADER;
	}
	if ((st = check_raw_secrets(req, out)) != OS_SIG_OK) {
		return st;
	}
	const os_sig_str parts[2] = { req->url, { (const char *) req->body, req->body_len } };
	st = OS_SIG_MISMATCH;
	for (size_t k = 0; k < req->secret_count && st == OS_SIG_MISMATCH; k++) {
		if (sha1) {
			os_sig_hmac_sha1(req->secrets[k], parts, 2, mac);
			st = sodium_memcmp(mac, want, SHA1_BYTES) == 0 ? OS_SIG_OK : OS_SIG_MISMATCH;
		} else {
			hmac256(req->secrets[k], parts, 2, mac);
			st = crypto_verify_32(mac, want) == 0 ? OS_SIG_OK : OS_SIG_MISMATCH;
		}
		out->secret_index = k;
	}
	sodium_memzero(mac, sizeof mac);
	if (st == OS_SIG_OK) {
		id_from_json(req, "event_id", out);
	}
	return st;
}

static os_sig_status verify_shopify(const os_sig_request *req, os_sig_result *out)
{
	os_sig_str header, id = { NULL, 0 };
	os_sig_status st;
	unsigned char want[HMAC256_BYTES], mac[HMAC256_BYTES];

	if ((st = need_header(req, 0, &header)) != OS_SIG_OK) {
		return st;
	}
	if (!os_sig_base64_exact(header, want, HMAC256_BYTES)) {
		return OS_SIG_MALFORMED;
	}
	if (req->headers[1].ptr != NULL) {
		if ((st = need_header(req, 1, &id)) != OS_SIG_OK) {
			return st;
		}
		if (id.len > OS_SIG_MAX_ID_BYTES || has_byte(id, ' ')) {
			return OS_SIG_MALFORMED;
		}
	}
	if ((st = check_raw_secrets(req, out)) != OS_SIG_OK) {
		return st;
	}
	const os_sig_str body = { (const char *) req->body, req->body_len };
	st = OS_SIG_MISMATCH;
	for (size_t k = 0; k < req->secret_count && st == OS_SIG_MISMATCH; k++) {
		hmac256(req->secrets[k], &body, 1, mac);
		st = crypto_verify_32(mac, want) == 0 ? OS_SIG_OK : OS_SIG_MISMATCH;
		out->secret_index = k;
	}
	sodium_memzero(mac, sizeof mac);
	if (st == OS_SIG_OK) {
		out->id = id;
	}
	return st;
}

/* Keys the Clover comparison; set once per process by os_sig_init(), before any thread runs. */
static unsigned char clover_key[crypto_generichash_KEYBYTES];

void os_sig_init(void)
{
	randombytes_buf(clover_key, sizeof clover_key);
}

/* Both sides through one keyed hash with a process-random key: equal time whatever the lengths,
 * and no precomputed table helps, since the key is unknown outside the process. */
static void clover_digest(os_sig_str s, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *) s.ptr, s.len, clover_key, sizeof clover_key);
}

static os_sig_status verify_clover(const os_sig_request *req, os_sig_result *out)
{
	os_sig_str header;
	os_sig_status st;
	unsigned char got[32], want[32];

	if ((st = need_header(req, 0, &header)) != OS_SIG_OK) {
		return st;
	}
	if ((st = check_raw_secrets(req, out)) != OS_SIG_OK) {
		return st;
	}
	clover_digest(header, got);
	st = OS_SIG_MISMATCH;
	for (size_t k = 0; k < req->secret_count && st == OS_SIG_MISMATCH; k++) {
		clover_digest(req->secrets[k], want);
		st = crypto_verify_32(got, want) == 0 ? OS_SIG_OK : OS_SIG_MISMATCH;
		out->secret_index = k;
	}
	sodium_memzero(want, sizeof want);
	return st;
}

/* ---- stripe ---- */

typedef struct {
	os_sig_str t;
	int64_t timestamp;
	unsigned char v1[OS_SIG_MAX_SIGNATURES][HMAC256_BYTES];
	size_t v1_count;
} stripe_signature;

/* "t=<digits>,v1=<64 hex>[,v1=...][,v0=...]": exactly one t; schemes other than v1 ignored. */
static bool parse_stripe_signature(os_sig_str value, stripe_signature *sig)
{
	const char *p = value.ptr, *end = value.ptr + value.len;
	size_t items = 0;
	sig->t.ptr = NULL;
	sig->v1_count = 0;
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t) (end - p));
		const char *item_end = comma ? comma : end;
		const char *eq = memchr(p, '=', (size_t) (item_end - p));
		if (eq == NULL || eq == p || has_byte((os_sig_str) { p, (size_t) (item_end - p) }, ' ')
			|| ++items > OS_SIG_MAX_SIGNATURES + 4) {
			return false;
		}
		os_sig_str name = { p, (size_t) (eq - p) };
		os_sig_str val = { eq + 1, (size_t) (item_end - eq - 1) };
		if (str_is(name, "t")) {
			if (sig->t.ptr != NULL || !os_sig_parse_timestamp(val, &sig->timestamp)) {
				return false;
			}
			sig->t = val;
		} else if (str_is(name, "v1")) {
			size_t got = 0;
			if (sig->v1_count == OS_SIG_MAX_SIGNATURES || val.len != 2 * HMAC256_BYTES
				|| sodium_hex2bin(sig->v1[sig->v1_count], HMAC256_BYTES, val.ptr, val.len, NULL, &got, NULL) != 0
				|| got != HMAC256_BYTES) {
				return false;
			}
			sig->v1_count++;
		}
		if (comma == NULL) {
			break;
		}
		p = comma + 1;
	}
	return sig->t.ptr != NULL;
}

static os_sig_status verify_stripe(const os_sig_request *req, os_sig_result *out)
{
	os_sig_str header;
	os_sig_status st;
	stripe_signature sig;
	unsigned char mac[HMAC256_BYTES];

	if ((st = need_header(req, 0, &header)) != OS_SIG_OK) {
		return st;
	}
	if (!parse_stripe_signature(header, &sig)) {
		return OS_SIG_MALFORMED;
	}
	if ((st = check_raw_secrets(req, out)) != OS_SIG_OK) {
		return st;
	}
	const os_sig_str parts[3] = { sig.t, { ".", 1 }, { (const char *) req->body, req->body_len } };
	st = OS_SIG_MISMATCH;
	for (size_t k = 0; k < req->secret_count && st == OS_SIG_MISMATCH && sig.v1_count > 0; k++) {
		hmac256(req->secrets[k], parts, 3, mac);
		for (size_t s = 0; s < sig.v1_count; s++) {
			if (crypto_verify_32(mac, sig.v1[s]) == 0) {
				st = OS_SIG_OK;
			}
		}
		out->secret_index = k;
	}
	sodium_memzero(mac, sizeof mac);
	if (st != OS_SIG_OK) {
		return st;
	}
	out->has_timestamp = true;
	out->timestamp = sig.timestamp;
	id_from_json(req, "id", out);
	return timestamp_in_window(req, sig.timestamp, &st) ? OS_SIG_OK : st;
}

os_sig_status os_sig_verify(const os_sig_request *req, os_sig_result *out)
{
	memset(out, 0, sizeof *out);
	if (req->body_len > req->max_bytes) {
		return OS_SIG_TOO_LARGE;
	}
	for (int slot = 0; slot < OS_SIG_MAX_HEADERS; slot++) {
		if (req->duplicate[slot]) {
			return OS_SIG_MALFORMED;
		}
	}
	switch (req->scheme) {
	case OS_SCHEME_STANDARD: return verify_standard(req, out);
	case OS_SCHEME_SQUARE: return verify_square(req, out);
	case OS_SCHEME_SHOPIFY: return verify_shopify(req, out);
	case OS_SCHEME_STRIPE: return verify_stripe(req, out);
	case OS_SCHEME_CLOVER: return verify_clover(req, out);
	default: return OS_SIG_MALFORMED;
	}
}

#ifndef OMNISTOCK_SIGNATURE_CORE_ONLY
/* ======================================================================================== */
/* Zend half                                                                                */
/* ======================================================================================== */

#include "signature_arginfo.h"

zend_class_entry *omnistock_ce_Webhook;
zend_class_entry *omnistock_ce_VerifiedWebhook;
zend_class_entry *omnistock_ce_SignatureError;
zend_class_entry *omnistock_ce_SignatureException;

#define DEFAULT_TOLERANCE 300
#define DEFAULT_MAX_BYTES (1024 * 1024)

enum { P_SCHEME, P_ID, P_TIMESTAMP, P_SECRET_INDEX, P_REASON, P__COUNT };
static const char *const property_names[P__COUNT] = { "scheme", "id", "timestamp", "secretIndex", "reason" };
static zend_string *properties[P__COUNT];
static zend_string *scheme_strings[OS_SCHEME__COUNT];

/* HMAC (RFC 2104) over PHP's own SHA-1, for Square's legacy header only. */
void os_sig_hmac_sha1(os_sig_str key, const os_sig_str *parts, size_t part_count, unsigned char mac[SHA1_BYTES])
{
	unsigned char k[64] = { 0 }, pad[64], inner[SHA1_BYTES];
	PHP_SHA1_CTX ctx;

	if (key.len > sizeof k) {
		PHP_SHA1Init(&ctx);
		PHP_SHA1Update(&ctx, (const unsigned char *) key.ptr, key.len);
		PHP_SHA1Final(k, &ctx);
	} else {
		memcpy(k, key.ptr, key.len);
	}
	for (size_t i = 0; i < sizeof pad; i++) {
		pad[i] = k[i] ^ 0x36;
	}
	PHP_SHA1Init(&ctx);
	PHP_SHA1Update(&ctx, pad, sizeof pad);
	for (size_t i = 0; i < part_count; i++) {
		PHP_SHA1Update(&ctx, (const unsigned char *) parts[i].ptr, parts[i].len);
	}
	PHP_SHA1Final(inner, &ctx);
	for (size_t i = 0; i < sizeof pad; i++) {
		pad[i] = k[i] ^ 0x5c;
	}
	PHP_SHA1Init(&ctx);
	PHP_SHA1Update(&ctx, pad, sizeof pad);
	PHP_SHA1Update(&ctx, inner, sizeof inner);
	PHP_SHA1Final(mac, &ctx);
	sodium_memzero(k, sizeof k);
	sodium_memzero(pad, sizeof pad);
	sodium_memzero(inner, sizeof inner);
	sodium_memzero(&ctx, sizeof ctx);
}

static bool scheme_from_arg(const zend_string *name, os_sig_scheme *out)
{
	for (int s = 0; s < OS_SCHEME__COUNT; s++) {
		if (zend_string_equals_cstr(name, os_sig_scheme_names[s], strlen(os_sig_scheme_names[s]))) {
			*out = (os_sig_scheme) s;
			return true;
		}
	}
	zend_argument_value_error(1, "must be one of \"standard\", \"square\", \"shopify\", \"stripe\" or \"clover\"");
	return false;
}

static inline os_sig_str str_of(const zend_string *s)
{
	return (os_sig_str) { ZSTR_VAL(s), ZSTR_LEN(s) };
}

/* ---- options ---- */

typedef struct {
	zend_long tolerance, now, max_bytes, timestamp;
	zend_string *url, *id;
	bool legacy, has_now, has_timestamp;
} options;

enum { O_TOLERANCE = 1, O_NOW = 2, O_MAX_BYTES = 4, O_URL = 8, O_LEGACY = 16, O_ID = 32, O_TIMESTAMP = 64 };

static const struct { const char *name; int bit; } option_names[] = {
	{ "tolerance", O_TOLERANCE }, { "now", O_NOW }, { "max_bytes", O_MAX_BYTES }, { "url", O_URL },
	{ "legacy", O_LEGACY }, { "id", O_ID }, { "timestamp", O_TIMESTAMP },
};

/* allowed: the O_* bits that apply to this call and scheme. */
static bool parse_options(HashTable *ht, uint32_t arg, int allowed, const char *scheme, options *o)
{
	zend_string *name;
	zval *zv;

	memset(o, 0, sizeof *o);
	o->tolerance = DEFAULT_TOLERANCE;
	o->max_bytes = DEFAULT_MAX_BYTES;
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, name, zv) {
		int bit = 0;
		if (name == NULL) {
			zend_argument_value_error(arg, "must have string keys");
			return false;
		}
		for (size_t i = 0; i < sizeof option_names / sizeof option_names[0]; i++) {
			if (zend_string_equals_cstr(name, option_names[i].name, strlen(option_names[i].name))) {
				bit = option_names[i].bit;
			}
		}
		if (!(bit & allowed)) {
			zend_argument_value_error(arg, "has an option \"%s\" that does not apply to the \"%s\" scheme here",
				ZSTR_VAL(name), scheme);
			return false;
		}
		ZVAL_DEREF(zv);
		switch (bit) {
		case O_TOLERANCE: case O_NOW: case O_MAX_BYTES: case O_TIMESTAMP: {
			zend_long max = bit == O_TIMESTAMP ? (zend_long) INT64_C(999999999999999999) : ZEND_LONG_MAX;
			if (Z_TYPE_P(zv) != IS_LONG || Z_LVAL_P(zv) < 0 || Z_LVAL_P(zv) > max) {
				zend_argument_value_error(arg, "option \"%s\" must be an int >= 0%s", ZSTR_VAL(name),
					bit == O_TIMESTAMP ? " of at most 18 digits" : "");
				return false;
			}
			if (bit == O_TOLERANCE) o->tolerance = Z_LVAL_P(zv);
			if (bit == O_NOW) { o->now = Z_LVAL_P(zv); o->has_now = true; }
			if (bit == O_MAX_BYTES) o->max_bytes = Z_LVAL_P(zv);
			if (bit == O_TIMESTAMP) { o->timestamp = Z_LVAL_P(zv); o->has_timestamp = true; }
			break;
		}
		case O_URL: case O_ID:
			if (Z_TYPE_P(zv) != IS_STRING || Z_STRLEN_P(zv) == 0) {
				zend_argument_value_error(arg, "option \"%s\" must be a non-empty string", ZSTR_VAL(name));
				return false;
			}
			if (bit == O_URL) o->url = Z_STR_P(zv); else o->id = Z_STR_P(zv);
			break;
		case O_LEGACY:
			if (Z_TYPE_P(zv) != IS_TRUE && Z_TYPE_P(zv) != IS_FALSE) {
				zend_argument_value_error(arg, "option \"legacy\" must be a bool");
				return false;
			}
			o->legacy = Z_TYPE_P(zv) == IS_TRUE;
			break;
		}
	} ZEND_HASH_FOREACH_END();
	return true;
}

/* ---- verify ---- */

static bool header_name_is(const zend_string *name, const char *want)
{
	size_t n = strlen(want);
	return ZSTR_LEN(name) == n && zend_binary_strncasecmp(ZSTR_VAL(name), n, want, n, n) == 0;
}

/* Finds the scheme's headers in $headers; false (with a ValueError) when a value is not a string. */
static bool collect_headers(HashTable *ht, os_sig_request *req)
{
	zend_string *name;
	zval *zv;
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, name, zv) {
		if (name == NULL) {
			continue;
		}
		for (int slot = 0; slot < OS_SIG_MAX_HEADERS; slot++) {
			const char *want = os_sig_header_names[req->scheme][slot];
			if (want == NULL || !header_name_is(name, want)) {
				continue;
			}
			ZVAL_DEREF(zv);
			if (Z_TYPE_P(zv) == IS_ARRAY) {
				/* A list of values, as PSR-7 gives them: more than one is a duplicate header. */
				HashTable *values = Z_ARRVAL_P(zv);
				if (zend_hash_num_elements(values) != 1) {
					req->duplicate[slot] = true;
					continue;
				}
				ZEND_HASH_FOREACH_VAL(values, zv) {
					ZVAL_DEREF(zv);
					break;
				} ZEND_HASH_FOREACH_END();
			}
			if (Z_TYPE_P(zv) != IS_STRING) {
				zend_argument_value_error(2, "header \"%s\" must be a string or a list of strings", ZSTR_VAL(name));
				return false;
			}
			if (req->headers[slot].ptr != NULL) {
				req->duplicate[slot] = true; /* the same header under two spellings */
			}
			req->headers[slot] = str_of(Z_STR_P(zv));
		}
	} ZEND_HASH_FOREACH_END();
	return true;
}

static void throw_signature_error(os_sig_status status, const os_sig_request *req, const os_sig_result *res)
{
	static const char *const cases[] = {
		[OS_SIG_MISSING_HEADER] = "MissingHeader", [OS_SIG_MALFORMED] = "Malformed",
		[OS_SIG_MISMATCH] = "Mismatch", [OS_SIG_EXPIRED] = "Expired", [OS_SIG_NOT_YET_VALID] = "NotYetValid",
		[OS_SIG_NO_SECRET] = "NoSecret", [OS_SIG_TOO_LARGE] = "TooLarge",
	};
	const char *scheme = os_sig_scheme_names[req->scheme];
	const char *first = os_sig_header_names[req->scheme][0];
	zend_object *ex;
	zval reason;

	switch (status) {
	case OS_SIG_MISSING_HEADER:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: a required header is missing (%s)", scheme,
			req->scheme == OS_SCHEME_STANDARD ? "webhook-id, webhook-timestamp and webhook-signature"
			: req->scheme == OS_SCHEME_SQUARE && req->legacy ? "x-square-hmacsha256-signature or x-square-signature"
			: first);
		break;
	case OS_SIG_MALFORMED:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: a signature header is malformed, empty or repeated", scheme);
		break;
	case OS_SIG_MISMATCH:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: no signature matches any of the %zu secrets", scheme, req->secret_count);
		break;
	case OS_SIG_EXPIRED:
	case OS_SIG_NOT_YET_VALID:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: signed timestamp %" PRId64 " is more than %" PRId64 " seconds %s now (%" PRId64 ")",
			scheme, res->timestamp, req->tolerance, status == OS_SIG_EXPIRED ? "before" : "after", req->now);
		break;
	case OS_SIG_NO_SECRET:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: no secret to verify with ($secrets is empty)", scheme);
		break;
	case OS_SIG_TOO_LARGE:
	default:
		ex = zend_throw_exception_ex(omnistock_ce_SignatureException, 0,
			"%s webhook: body of %zu bytes is larger than max_bytes (%zu)", scheme, req->body_len, req->max_bytes);
		break;
	}
	ZVAL_OBJ(&reason, zend_enum_get_case_cstr(omnistock_ce_SignatureError, cases[status]));
	zend_update_property_ex(omnistock_ce_SignatureException, ex, properties[P_REASON], &reason);
}

static void set_property(zend_object *obj, int which, zval *value)
{
	zend_update_property_ex(omnistock_ce_VerifiedWebhook, obj, properties[which], value);
	zval_ptr_dtor(value);
}

/*
 * A create_object handler of its own is what makes Reflection refuse to make a VerifiedWebhook
 * without its (private) constructor: such an empty instance could have its readonly properties
 * set through ReflectionProperty::setValue() and pass for a verified webhook.
 */
static zend_object *verified_webhook_create(zend_class_entry *ce)
{
	zend_object *obj = zend_objects_new(ce);
	object_properties_init(obj, ce);
	return obj;
}

/* Not instantiable: Webhook is static, VerifiedWebhook is built by verify() alone. */
ZEND_METHOD(Omnistock_Webhook, __construct)
{
	(void) return_value;
	ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Omnistock_VerifiedWebhook, __construct)
{
	(void) return_value;
	ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Omnistock_Webhook, verify)
{
	zend_string *scheme_name, *body;
	HashTable *headers, *secrets, *options_ht = NULL;
	os_sig_request req;
	os_sig_result res;
	os_sig_status status;
	options opt;
	os_sig_str secrets_stack[8], *secret_list = secrets_stack;
	zval *zv, tmp;

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(scheme_name)
		Z_PARAM_ARRAY_HT(headers)
		Z_PARAM_STR(body)
		Z_PARAM_ARRAY_HT(secrets)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options_ht)
	ZEND_PARSE_PARAMETERS_END();

	memset(&req, 0, sizeof req);
	if (!scheme_from_arg(scheme_name, &req.scheme)) {
		RETURN_THROWS();
	}
	int allowed = O_TOLERANCE | O_NOW | O_MAX_BYTES | (req.scheme == OS_SCHEME_SQUARE ? O_URL | O_LEGACY : 0);
	if (!parse_options(options_ht ? options_ht : (HashTable *) &zend_empty_array, 5, allowed,
			os_sig_scheme_names[req.scheme], &opt)) {
		RETURN_THROWS();
	}
	if (req.scheme == OS_SCHEME_SQUARE && opt.url == NULL) {
		zend_argument_value_error(5, "must give \"url\", the notification URL, for the \"square\" scheme");
		RETURN_THROWS();
	}

	uint32_t count = zend_hash_num_elements(secrets), n = 0;
	if (count > sizeof secrets_stack / sizeof secrets_stack[0]) {
		secret_list = safe_emalloc(count, sizeof *secret_list, 0);
	}
	ZEND_HASH_FOREACH_VAL(secrets, zv) {
		ZVAL_DEREF(zv);
		if (Z_TYPE_P(zv) != IS_STRING) {
			zend_argument_value_error(4, "must contain only strings; element %" PRIu32 " is %s", n, zend_zval_type_name(zv));
			goto out;
		}
		secret_list[n++] = str_of(Z_STR_P(zv));
	} ZEND_HASH_FOREACH_END();

	if (!collect_headers(headers, &req)) {
		goto out;
	}
	req.body = (const unsigned char *) ZSTR_VAL(body);
	req.body_len = ZSTR_LEN(body);
	req.secrets = secret_list;
	req.secret_count = n;
	if (opt.url) {
		req.url = str_of(opt.url);
	}
	req.legacy = opt.legacy;
	req.now = opt.has_now ? (int64_t) opt.now : (int64_t) time(NULL);
	req.tolerance = opt.tolerance;
	req.max_bytes = (size_t) opt.max_bytes;

	status = os_sig_verify(&req, &res);
	if (status == OS_SIG_BAD_SECRET) {
		zend_argument_value_error(4, "element %zu is not a %s secret%s", res.secret_index, os_sig_scheme_names[req.scheme],
			req.scheme == OS_SCHEME_STANDARD ? " (whsec_<base64>, whpk_<base64> or whsk_<base64>)" : " (it is empty)");
		goto out;
	}
	if (status != OS_SIG_OK) {
		throw_signature_error(status, &req, &res);
		goto out;
	}

	object_init_ex(return_value, omnistock_ce_VerifiedWebhook);
	ZVAL_STR_COPY(&tmp, scheme_strings[req.scheme]);
	set_property(Z_OBJ_P(return_value), P_SCHEME, &tmp);
	if (res.id.ptr == NULL) {
		ZVAL_NULL(&tmp);
	} else if (res.id_is_json) {
		zend_string *id = zend_string_alloc(res.id.len, 0);
		ZSTR_LEN(id) = os_sig_json_unescape(res.id, ZSTR_VAL(id));
		ZSTR_VAL(id)[ZSTR_LEN(id)] = '\0';
		ZVAL_STR(&tmp, id);
	} else {
		ZVAL_STRINGL(&tmp, res.id.ptr, res.id.len);
	}
	set_property(Z_OBJ_P(return_value), P_ID, &tmp);
	if (res.has_timestamp) {
		ZVAL_LONG(&tmp, res.timestamp);
	} else {
		ZVAL_NULL(&tmp);
	}
	set_property(Z_OBJ_P(return_value), P_TIMESTAMP, &tmp);
	ZVAL_LONG(&tmp, (zend_long) res.secret_index);
	set_property(Z_OBJ_P(return_value), P_SECRET_INDEX, &tmp);

out:
	if (secret_list != secrets_stack) {
		efree(secret_list);
	}
}

/* ---- sign and generateSecret ---- */

static zend_string *base64_string(const char *prefix, const unsigned char *bin, size_t len, int variant)
{
	size_t prefix_len = strlen(prefix);
	size_t b64_len = sodium_base64_encoded_len(len, variant); /* includes the NUL */
	zend_string *s = zend_string_alloc(prefix_len + b64_len - 1, 0);
	memcpy(ZSTR_VAL(s), prefix, prefix_len);
	sodium_bin2base64(ZSTR_VAL(s) + prefix_len, b64_len, bin, len, variant);
	return s;
}

static void add_header(zval *headers, const char *name, zend_string *value)
{
	add_assoc_str_ex(headers, name, strlen(name), value);
}

/* What verify() accepts as an id: visible ASCII, no '.' for standard (the signed content's separator). */
static bool valid_id(const zend_string *id, bool standard)
{
	os_sig_str s = str_of(id);
	if (s.len > OS_SIG_MAX_ID_BYTES || (standard && has_byte(s, '.'))) {
		return false;
	}
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] <= 0x20 || s.ptr[i] >= 0x7f) {
			return false;
		}
	}
	return true;
}

static bool sign_standard(zval *headers, zend_string *body, zend_string *secret, const options *opt)
{
	unsigned char key[OS_SIG_MAX_KEY_BYTES], sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char mac[HMAC256_BYTES], sig[ED25519_SIG_BYTES], random_id[20];
	size_t key_len = 0;
	char ts_buf[24];
	zend_string *id;
	bool ed25519 = ZSTR_LEN(secret) >= 5 && memcmp(ZSTR_VAL(secret), "whsk_", 5) == 0;
	bool ok;

	if (ZSTR_LEN(secret) >= 5 && memcmp(ZSTR_VAL(secret), "whpk_", 5) == 0) {
		zend_argument_value_error(3, "is a public key (whpk_): signing needs the secret key (whsk_) or a whsec_ secret");
		return false;
	}
	if (ed25519) {
		os_sig_str b64 = { ZSTR_VAL(secret) + 5, ZSTR_LEN(secret) - 5 };
		if (secret_base64_exact(b64, key, crypto_sign_SEEDBYTES)) {
			ok = crypto_sign_seed_keypair(pk, sk, key) == 0;
		} else if (secret_base64_exact(b64, sk, crypto_sign_SECRETKEYBYTES)) {
			ok = crypto_sign_seed_keypair(pk, key, sk) == 0 && sodium_memcmp(pk, sk + 32, 32) == 0;
		} else {
			ok = false;
		}
	} else {
		standard_key_kind kind;
		ok = decode_standard_secret(str_of(secret), &kind, key, &key_len);
	}
	if (!ok) {
		sodium_memzero(key, sizeof key);
		sodium_memzero(sk, sizeof sk);
		zend_argument_value_error(3, "is not a standard secret (whsec_<base64> or whsk_<base64>)");
		return false;
	}

	if (opt->id) {
		id = zend_string_copy(opt->id);
	} else {
		randombytes_buf(random_id, sizeof random_id);
		id = base64_string("msg_", random_id, sizeof random_id, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	int ts_len = snprintf(ts_buf, sizeof ts_buf, ZEND_LONG_FMT, opt->has_timestamp ? opt->timestamp : (zend_long) time(NULL));
	const os_sig_str dot = { ".", 1 };
	const os_sig_str parts[5] = { str_of(id), dot, { ts_buf, (size_t) ts_len }, dot, str_of(body) };

	if (ed25519) {
		size_t len = ZSTR_LEN(id) + (size_t) ts_len + 2 + ZSTR_LEN(body), o = 0;
		unsigned char *message = safe_emalloc(1, len, 1);
		for (int p = 0; p < 5; p++) {
			memcpy(message + o, parts[p].ptr, parts[p].len);
			o += parts[p].len;
		}
		crypto_sign_detached(sig, NULL, message, len, sk);
		efree(message);
		add_header(headers, "webhook-id", id);
		add_header(headers, "webhook-timestamp", zend_string_init(ts_buf, (size_t) ts_len, 0));
		add_header(headers, "webhook-signature", base64_string("v1a,", sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL));
	} else {
		hmac256((os_sig_str) { (const char *) key, key_len }, parts, 5, mac);
		add_header(headers, "webhook-id", id);
		add_header(headers, "webhook-timestamp", zend_string_init(ts_buf, (size_t) ts_len, 0));
		add_header(headers, "webhook-signature", base64_string("v1,", mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL));
	}
	sodium_memzero(key, sizeof key);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(mac, sizeof mac);
	return true;
}

ZEND_METHOD(Omnistock_Webhook, sign)
{
	zend_string *scheme_name, *body, *secret;
	HashTable *options_ht = NULL;
	os_sig_scheme scheme;
	options opt;
	unsigned char mac[HMAC256_BYTES];

	ZEND_PARSE_PARAMETERS_START(3, 4)
		Z_PARAM_STR(scheme_name)
		Z_PARAM_STR(body)
		Z_PARAM_STR(secret)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options_ht)
	ZEND_PARSE_PARAMETERS_END();

	if (!scheme_from_arg(scheme_name, &scheme)) {
		RETURN_THROWS();
	}
	static const int allowed[OS_SCHEME__COUNT] = {
		[OS_SCHEME_STANDARD] = O_ID | O_TIMESTAMP, [OS_SCHEME_SQUARE] = O_URL | O_LEGACY,
		[OS_SCHEME_SHOPIFY] = O_ID, [OS_SCHEME_STRIPE] = O_TIMESTAMP, [OS_SCHEME_CLOVER] = 0,
	};
	if (!parse_options(options_ht ? options_ht : (HashTable *) &zend_empty_array, 4, allowed[scheme],
			os_sig_scheme_names[scheme], &opt)) {
		RETURN_THROWS();
	}
	if (ZSTR_LEN(secret) == 0) {
		zend_argument_value_error(3, "must not be empty");
		RETURN_THROWS();
	}
	if (opt.id && !valid_id(opt.id, scheme == OS_SCHEME_STANDARD)) {
		zend_argument_value_error(4, "option \"id\" must be visible ASCII%s, at most %d bytes",
			scheme == OS_SCHEME_STANDARD ? " without '.'" : "", OS_SIG_MAX_ID_BYTES);
		RETURN_THROWS();
	}
	if (scheme == OS_SCHEME_SQUARE && opt.url == NULL) {
		zend_argument_value_error(4, "must give \"url\", the notification URL, for the \"square\" scheme");
		RETURN_THROWS();
	}

	array_init(return_value);
	switch (scheme) {
	case OS_SCHEME_STANDARD:
		if (!sign_standard(return_value, body, secret, &opt)) {
			zval_ptr_dtor(return_value);
			ZVAL_UNDEF(return_value);
			RETURN_THROWS();
		}
		break;
	case OS_SCHEME_SQUARE: {
		const os_sig_str parts[2] = { str_of(opt.url), str_of(body) };
		hmac256(str_of(secret), parts, 2, mac);
		add_header(return_value, "x-square-hmacsha256-signature",
			base64_string("", mac, HMAC256_BYTES, sodium_base64_VARIANT_ORIGINAL));
		if (opt.legacy) {
			os_sig_hmac_sha1(str_of(secret), parts, 2, mac);
			add_header(return_value, "x-square-signature", base64_string("", mac, SHA1_BYTES, sodium_base64_VARIANT_ORIGINAL));
		}
		break;
	}
	case OS_SCHEME_SHOPIFY: {
		const os_sig_str part = str_of(body);
		hmac256(str_of(secret), &part, 1, mac);
		add_header(return_value, "X-Shopify-Hmac-Sha256", base64_string("", mac, HMAC256_BYTES, sodium_base64_VARIANT_ORIGINAL));
		if (opt.id) {
			add_header(return_value, "X-Shopify-Webhook-Id", zend_string_copy(opt.id));
		}
		break;
	}
	case OS_SCHEME_STRIPE: {
		char ts_buf[24], hex[2 * HMAC256_BYTES + 1];
		int ts_len = snprintf(ts_buf, sizeof ts_buf, ZEND_LONG_FMT, opt.has_timestamp ? opt.timestamp : (zend_long) time(NULL));
		const os_sig_str parts[3] = { { ts_buf, (size_t) ts_len }, { ".", 1 }, str_of(body) };
		hmac256(str_of(secret), parts, 3, mac);
		sodium_bin2hex(hex, sizeof hex, mac, HMAC256_BYTES);
		add_header(return_value, "Stripe-Signature", zend_strpprintf(0, "t=%s,v1=%s", ts_buf, hex));
		break;
	}
	case OS_SCHEME_CLOVER:
	default:
		add_header(return_value, "X-Clover-Auth", zend_string_copy(secret));
		break;
	}
	sodium_memzero(mac, sizeof mac);
}

ZEND_METHOD(Omnistock_Webhook, generateSecret)
{
	zend_string *scheme_name;
	bool asymmetric = false;
	os_sig_scheme scheme;
	unsigned char bytes[32], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(scheme_name)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(asymmetric)
	ZEND_PARSE_PARAMETERS_END();

	if (!scheme_from_arg(scheme_name, &scheme)) {
		RETURN_THROWS();
	}
	if (asymmetric && scheme != OS_SCHEME_STANDARD) {
		zend_argument_value_error(2, "must be false: only the \"standard\" scheme has asymmetric (Ed25519) keys");
		RETURN_THROWS();
	}
	array_init(return_value);
	if (asymmetric) {
		/* whsk_ carries the 32-byte seed (RFC 8032's private key); verify() also takes libsodium's 64-byte form. */
		randombytes_buf(bytes, sizeof bytes);
		crypto_sign_seed_keypair(pk, sk, bytes);
		add_assoc_str(return_value, "secret", base64_string("whsk_", bytes, sizeof bytes, sodium_base64_VARIANT_ORIGINAL));
		add_assoc_str(return_value, "public", base64_string("whpk_", pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL));
	} else {
		randombytes_buf(bytes, sizeof bytes);
		add_assoc_str(return_value, "secret",
			scheme == OS_SCHEME_STANDARD ? base64_string("whsec_", bytes, sizeof bytes, sodium_base64_VARIANT_ORIGINAL)
			: base64_string(scheme == OS_SCHEME_STRIPE ? "whsec_" : "", bytes, sizeof bytes,
				sodium_base64_VARIANT_URLSAFE_NO_PADDING));
	}
	sodium_memzero(bytes, sizeof bytes);
	sodium_memzero(sk, sizeof sk);
}

PHP_MINIT_FUNCTION(omnistock_signature)
{
	(void) type;
	(void) module_number;

	os_sig_init();
	for (int i = 0; i < P__COUNT; i++) {
		properties[i] = zend_string_init_interned(property_names[i], strlen(property_names[i]), 1);
	}
	for (int s = 0; s < OS_SCHEME__COUNT; s++) {
		scheme_strings[s] = zend_string_init_interned(os_sig_scheme_names[s], strlen(os_sig_scheme_names[s]), 1);
	}
	omnistock_ce_Webhook = register_class_Omnistock_Webhook();
	omnistock_ce_VerifiedWebhook = register_class_Omnistock_VerifiedWebhook();
	omnistock_ce_VerifiedWebhook->create_object = verified_webhook_create;
	omnistock_ce_SignatureError = register_class_Omnistock_SignatureError();
	omnistock_ce_SignatureException = register_class_Omnistock_SignatureException(omnistock_ce_Exception);
	return SUCCESS;
}

#endif /* OMNISTOCK_SIGNATURE_CORE_ONLY */
