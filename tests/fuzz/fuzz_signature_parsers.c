/*
 * libFuzzer target: the header and body parsers of ext/signature.c on arbitrary bytes.
 * Built and run by bin/fuzz (see there; bin/test runs it for a few seconds).
 *
 * Besides "no crash, no sanitizer report" it checks what the parsers promise:
 * a trimmed value is a sub-range of visible ASCII and spaces, a timestamp round-trips through
 * its digits, an accepted base64 value is the canonical encoding of what it decoded to, and a
 * JSON string found in a document decodes into no more bytes than it had.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "signature.h"

/* libsodium has no SHA-1 and the fuzz build has no PHP: a stand-in with the same shape. */
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

/* The table decoder must accept exactly what libsodium's strict decoder accepts (given the alphabet). */
static void check_base64(os_sig_str in, size_t want)
{
	unsigned char bin[64], ref[64];
	char again[100];
	size_t got = 0;
	bool alphabet = true;
	for (size_t i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char) in.ptr[i];
		alphabet &= (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
	}
	bool fast = os_sig_base64_exact(in, bin, want);
	bool sodium = alphabet && in.len == sodium_base64_encoded_len(want, sodium_base64_VARIANT_ORIGINAL) - 1
		&& sodium_base642bin(ref, want, in.ptr, in.len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 && got == want;
	assert(fast == sodium);
	if (!fast) {
		return;
	}
	assert(memcmp(bin, ref, want) == 0);
	sodium_bin2base64(again, sizeof again, bin, want, sodium_base64_VARIANT_ORIGINAL);
	assert(strlen(again) == in.len && memcmp(again, in.ptr, in.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool initialised = false;
	if (!initialised) {
		if (sodium_init() < 0) {
			abort();
		}
		os_sig_init();
		initialised = true;
	}
	os_sig_str in = { (const char *) data, size };

	os_sig_str trimmed = in;
	if (os_sig_trim_value(&trimmed)) {
		assert(trimmed.ptr >= in.ptr && trimmed.ptr + trimmed.len <= in.ptr + in.len);
		for (size_t i = 0; i < trimmed.len; i++) {
			assert(trimmed.ptr[i] >= 0x20 && trimmed.ptr[i] <= 0x7e);
		}
		assert(trimmed.len == 0 || (trimmed.ptr[0] != ' ' && trimmed.ptr[trimmed.len - 1] != ' '));
	}

	int64_t ts;
	if (os_sig_parse_timestamp(in, &ts)) {
		char digits[32];
		assert(ts >= 0);
		int n = snprintf(digits, sizeof digits, "%lld", (long long) ts);
		/* Leading zeros are allowed, so compare the value, not the text. */
		assert((size_t) n <= in.len);
		assert(memcmp(digits, in.ptr + in.len - (size_t) n, (size_t) n) == 0);
	}

	check_base64(in, 20);
	check_base64(in, 32);
	check_base64(in, 64);

	static const char *const keys[] = { "event_id", "id" };
	for (int k = 0; k < 2; k++) {
		os_sig_str raw;
		int r = os_sig_json_top_string(data, size, keys[k], strlen(keys[k]), &raw);
		assert(r >= -1 && r <= 1);
		if (r == 1) {
			assert(raw.ptr >= (const char *) data && raw.ptr + raw.len <= (const char *) data + size);
			char *out = malloc(raw.len + 1);
			size_t n = os_sig_json_unescape(raw, out);
			assert(n <= raw.len);
			free(out);
		}
	}
	return 0;
}
