/*
 * The floor for tests/bench/webhook.php: libsodium's own primitives called from C, no PHP at all.
 *   webhook_floor <hmac|ed25519> <message bytes> <iterations> [runs, default 1]
 * Prints the median verifications per second over the runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5 || sodium_init() < 0) {
		fprintf(stderr, "usage: webhook_floor <hmac|ed25519> <bytes> <iterations> [runs]\n");
		return 2;
	}
	int ed = strcmp(argv[1], "ed25519") == 0;
	size_t len = strtoul(argv[2], NULL, 10);
	long iterations = atol(argv[3]);
	int runs = argc == 5 ? atoi(argv[4]) : 1;
	unsigned char *msg = malloc(len), key[32], mac[32], pk[32], sk[64], sig[64];
	double *rates = calloc(runs, sizeof *rates);
	volatile int sink = 0;

	randombytes_buf(msg, len);
	randombytes_buf(key, sizeof key);
	crypto_sign_keypair(pk, sk);
	crypto_sign_detached(sig, NULL, msg, len, sk);
	crypto_auth_hmacsha256(mac, msg, len, key);
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		for (long i = 0; i < iterations; i++) {
			if (ed) {
				sink += crypto_sign_verify_detached(sig, msg, len, pk);
			} else {
				unsigned char got[32];
				crypto_auth_hmacsha256(got, msg, len, key);
				sink += crypto_verify_32(got, mac);
			}
		}
		rates[r] = iterations / (now() - t0);
	}
	qsort(rates, runs, sizeof *rates, cmp);
	printf("%.1f\n", rates[runs / 2]);
	free(msg);
	free(rates);
	return sink != 0;
}
