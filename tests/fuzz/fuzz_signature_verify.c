/*
 * libFuzzer target: os_sig_verify(), the whole verifier core of ext/signature.c, every scheme.
 * Built and run by bin/fuzz (see there; bin/test runs it for a few seconds).
 *
 * Input layout:
 *   byte 0       scheme (mod 5)
 *   byte 1       flags: 1 legacy, 2/4/8 header slot 0/1/2 duplicated, 16 sign it correctly first,
 *                32 add a second secret, 64/128 kind of standard secret (0 whsec_, 1 whpk_, 2 whsk_ seed,
 *                3 the field as given)
 *   bytes 2-5    now (u32 LE), bytes 6-7 tolerance (u16 LE), bytes 8-9 max_bytes (u16 LE; 0xffff: 1 MiB)
 *   then 6 fields, each a u16 LE length (bit 15: absent; low 14 bits: length) and its bytes:
 *                header slot 0, 1, 2, secret 0, secret 1, url
 *   the rest     body
 * With flag 16 the harness replaces the signature header by a correct one for secret 0, so the
 * paths after a match (timestamp window, JSON id) are reached and a match must come back OK
 * or a timestamp verdict. Checks: no crash, no sanitizer report, and the verdict's invariants.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "signature.h"

void os_sig_hmac_sha1(os_sig_str key, const os_sig_str *parts, size_t part_count, unsigned char mac[20])
{
	unsigned char full[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *) key.ptr, key.len);
	for (size_t i = 0; i < part_count; i++) {
		crypto_auth_hmacsha256_update(&st, (const unsigned char *) parts[i].ptr, parts[i].len);
	}
	crypto_auth_hmacsha256_final(&st, full);
	memcpy(mac, full, 20);
}

static void hmac(os_sig_str key, const os_sig_str *parts, size_t n, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *) key.ptr, key.len);
	for (size_t i = 0; i < n; i++) {
		crypto_auth_hmacsha256_update(&st, (const unsigned char *) parts[i].ptr, parts[i].len);
	}
	crypto_auth_hmacsha256_final(&st, out);
}

/* Scratch strings of one run, freed at its end. */
static char *scratch[8];
static int scratch_count;

static os_sig_str keep(char *s)
{
	scratch[scratch_count++] = s;
	return (os_sig_str) { s, strlen(s) };
}

static os_sig_str b64(const char *prefix, const unsigned char *bin, size_t len)
{
	size_t p = strlen(prefix), n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(p + n);
	memcpy(s, prefix, p);
	sodium_bin2base64(s + p, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return keep(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	os_sig_request req;
	os_sig_result res;
	os_sig_str fields[6], secrets[2];
	size_t pos = 10;

	static bool initialised = false;
	if (!initialised) {
		if (sodium_init() < 0) {
			abort();
		}
		os_sig_init();
		initialised = true;
	}
	if (size < 10) {
		return 0;
	}
	memset(&req, 0, sizeof req);
	scratch_count = 0;
	req.scheme = (os_sig_scheme) (data[0] % OS_SCHEME__COUNT);
	uint8_t flags = data[1];
	req.legacy = flags & 1;
	for (int s = 0; s < 3; s++) {
		req.duplicate[s] = (flags >> (1 + s)) & 1;
	}
	req.now = (int64_t) (data[2] | data[3] << 8 | data[4] << 16 | (uint32_t) data[5] << 24);
	req.tolerance = data[6] | data[7] << 8;
	unsigned mb = data[8] | data[9] << 8;
	req.max_bytes = mb == 0xffff ? 1024 * 1024 : mb;

	for (int f = 0; f < 6; f++) {
		if (size - pos < 2) {
			return 0;
		}
		unsigned len = data[pos] | data[pos + 1] << 8;
		pos += 2;
		if (len & 0x8000) {
			fields[f] = (os_sig_str) { NULL, 0 };
			continue;
		}
		len &= 0x3fff;
		if (size - pos < len) {
			return 0;
		}
		fields[f] = (os_sig_str) { (const char *) data + pos, len };
		pos += len;
	}
	req.body = data + pos;
	req.body_len = size - pos;
	for (int s = 0; s < 3; s++) {
		req.headers[s] = fields[s];
	}
	os_sig_str raw_secret = fields[3].ptr ? fields[3] : (os_sig_str) { "", 0 };
	secrets[1] = fields[4].ptr ? fields[4] : (os_sig_str) { "", 0 };
	req.url = fields[5].ptr ? fields[5] : (os_sig_str) { "", 0 };

	/* The secret as the scheme wants it. */
	unsigned char seed[32], pk[32], sk[64];
	int kind = flags >> 6;
	crypto_generichash(seed, sizeof seed, (const unsigned char *) raw_secret.ptr, raw_secret.len, NULL, 0);
	crypto_sign_seed_keypair(pk, sk, seed);
	if (req.scheme != OS_SCHEME_STANDARD || kind == 3) {
		secrets[0] = raw_secret;
	} else if (kind == 0) {
		secrets[0] = raw_secret.len ? b64("whsec_", (const unsigned char *) raw_secret.ptr, raw_secret.len) : raw_secret;
	} else if (kind == 1) {
		secrets[0] = b64("whpk_", pk, sizeof pk);
	} else {
		secrets[0] = b64("whsk_", seed, sizeof seed);
	}
	req.secrets = secrets;
	req.secret_count = (flags & 32) ? 2 : (fields[3].ptr ? 1 : 0);

	bool signed_correctly = false;
	if ((flags & 16) && raw_secret.len > 0) {
		unsigned char mac[32], sig[64];
		const os_sig_str body = { (const char *) req.body, req.body_len }, dot = { ".", 1 };
		switch (req.scheme) {
		case OS_SCHEME_STANDARD: {
			os_sig_str id = req.headers[0], ts = req.headers[1];
			if (!id.ptr || !ts.ptr || !os_sig_trim_value(&id) || !os_sig_trim_value(&ts)) {
				break;
			}
			const os_sig_str parts[5] = { id, dot, ts, dot, body };
			if (kind == 0) {
				hmac(raw_secret, parts, 5, mac);
				req.headers[2] = b64("v1,", mac, 32);
				signed_correctly = true;
			} else if (kind == 1 || kind == 2) {
				size_t len = id.len + ts.len + 2 + body.len, o = 0;
				unsigned char *m = malloc(len + 1);
				for (int p = 0; p < 5; p++) {
					memcpy(m + o, parts[p].ptr, parts[p].len);
					o += parts[p].len;
				}
				crypto_sign_detached(sig, NULL, m, len, sk);
				free(m);
				req.headers[2] = b64("v1a,", sig, 64);
				signed_correctly = true;
			}
			break;
		}
		case OS_SCHEME_SQUARE: {
			const os_sig_str parts[2] = { req.url, body };
			if (req.legacy && !req.headers[0].ptr) {
				os_sig_hmac_sha1(raw_secret, parts, 2, mac);
				req.headers[1] = b64("", mac, 20);
			} else {
				hmac(raw_secret, parts, 2, mac);
				req.headers[0] = b64("", mac, 32);
			}
			signed_correctly = true;
			break;
		}
		case OS_SCHEME_SHOPIFY:
			hmac(raw_secret, &body, 1, mac);
			req.headers[0] = b64("", mac, 32);
			signed_correctly = true;
			break;
		case OS_SCHEME_STRIPE: {
			os_sig_str t = req.headers[1];
			int64_t ignored;
			if (!t.ptr || !os_sig_parse_timestamp(t, &ignored)) {
				break;
			}
			const os_sig_str parts[3] = { t, dot, body };
			char hex[65];
			hmac(raw_secret, parts, 3, mac);
			sodium_bin2hex(hex, sizeof hex, mac, 32);
			char *h = malloc(t.len + 80);
			memcpy(h, "t=", 2);
			memcpy(h + 2, t.ptr, t.len);
			memcpy(h + 2 + t.len, ",v1=", 4);
			memcpy(h + 6 + t.len, hex, 65);
			req.headers[0] = keep(h);
			signed_correctly = true;
			break;
		}
		case OS_SCHEME_CLOVER:
		default: {
			/* Surrounding blanks are not part of a header value: only a clean code must match. */
			os_sig_str t = raw_secret;
			req.headers[0] = raw_secret;
			signed_correctly = os_sig_trim_value(&t) && t.len == raw_secret.len;
			break;
		}
		}
	}

	os_sig_status st = os_sig_verify(&req, &res);
	assert(st >= OS_SIG_OK && st <= OS_SIG_BAD_SECRET);
	if (st == OS_SIG_OK) {
		assert(req.secret_count > 0 && res.secret_index < req.secret_count);
		assert(req.body_len <= req.max_bytes);
		if (res.has_timestamp) {
			int64_t d = res.timestamp > req.now ? res.timestamp - req.now : req.now - res.timestamp;
			assert(d <= req.tolerance);
		}
		if (res.id.ptr && res.id_is_json) {
			char *out = malloc(res.id.len + 1);
			assert(os_sig_json_unescape(res.id, out) <= res.id.len);
			free(out);
		}
	}
	/* A correct signature with one usable secret and no duplicates can fail only for a stated reason. */
	if (signed_correctly && req.secret_count == 1 && !req.duplicate[0] && !req.duplicate[1] && !req.duplicate[2]
		&& req.body_len <= req.max_bytes && st == OS_SIG_MISMATCH) {
		assert(!"a correctly signed request did not match");
	}
	for (int i = 0; i < scratch_count; i++) {
		free(scratch[i]);
	}
	return 0;
}
