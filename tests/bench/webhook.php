<?php
/**
 * Benchmark: Omnistock\Webhook::verify() against the same check written in PHP userland, and against
 * the bare primitive (the floor).
 *
 *   php -d extension=modules/omnistock.so tests/bench/webhook.php [runs]            wall time
 *   php -d extension=modules/omnistock.so tests/bench/webhook.php --instructions   instructions
 *
 * Wall time on a shared machine is noisy; --instructions counts instructions per verification under
 * valgrind --tool=callgrind instead (a run of N verifications minus a run of 0, same process setup),
 * which repeats to the instruction whatever the load (slower: a few minutes).
 *
 * For 1 KiB and 64 KiB bodies and the schemes standard (v1 HMAC-SHA256, v1a Ed25519), square and
 * shopify, it prints verifications per second (median of the runs, fixed iteration counts):
 *   ext        Webhook::verify(): header lookup, parsing, MAC/signature, timestamp, id (Square: the
 *              body's event_id, found by scanning the JSON)
 *   userland   the same check in PHP: array_change_key_case, explode, base64_decode(strict),
 *              hash_hmac + hash_equals or sodium_crypto_sign_verify_detached, json_decode for Square
 *   php-floor  the bare primitive called from PHP on a pre-built message: hash_hmac('sha256') (PHP's own
 *              SHA-256: ext/sodium has no HMAC-SHA256 function) or sodium_crypto_sign_verify_detached;
 *              it includes PHP's function-call overhead, and hash_hmac is not libsodium's code
 *   c-floor    libsodium's crypto_auth_hmacsha256 / crypto_sign_verify_detached called from C
 *              (tests/bench/webhook_floor.c, built here with cc): what verify() itself calls
 * and ratios: userland/ext time (speed-up; goal > 1) and ext/floor time (overhead; goal <= 1.2 at 64 KiB).
 */
use Omnistock\Webhook;

if (!extension_loaded('omnistock')) {
    fwrite(STDERR, "load the extension: php -d extension=modules/omnistock.so tests/bench/webhook.php\n");
    exit(1);
}
$instructions = ($argv[1] ?? '') === '--instructions';
$child = ($argv[1] ?? '') === '--child';
$runs = $instructions || $child ? 1 : (int) ($argv[1] ?? 7);

// --- the C floor ---
$work = sys_get_temp_dir() . '/omnistock-bench-' . getmypid();
$floorBin = "$work/webhook_floor";
$haveCFloor = false;
if (!$child) {
    @mkdir($work);
    $sodium = trim((string) shell_exec('pkg-config --cflags --libs libsodium 2>/dev/null')) ?: '-lsodium';
    exec('cc -O2 -o ' . escapeshellarg($floorBin) . ' ' . escapeshellarg(__DIR__ . '/webhook_floor.c') . " $sodium 2>&1", $out, $rc);
    $haveCFloor = $rc === 0;
}
function c_floor(string $kind, int $bytes, int $iterations, int $runs): ?float {
    global $floorBin, $haveCFloor;
    return $haveCFloor ? (float) shell_exec(escapeshellarg($floorBin) . " $kind $bytes $iterations $runs") : null;
}

// --- userland versions of the same checks ---
final class UserlandFailure extends Exception {}

function userland_standard(array $headers, string $body, array $secrets, int $now, int $tolerance = 300): string {
    $h = array_change_key_case($headers, CASE_LOWER);
    $id = $h['webhook-id'] ?? null;
    $ts = $h['webhook-timestamp'] ?? null;
    $list = $h['webhook-signature'] ?? null;
    if (!is_string($id) || !is_string($ts) || !is_string($list)) throw new UserlandFailure('missing header');
    if (!ctype_digit($ts) || strlen($ts) > 18 || str_contains($id, '.')) throw new UserlandFailure('malformed');
    $sigs = ['v1' => [], 'v1a' => []];
    foreach (explode(' ', $list) as $entry) {
        $parts = explode(',', $entry, 2);
        if (count($parts) !== 2 || $parts[0] === '') throw new UserlandFailure('malformed');
        if (isset($sigs[$parts[0]])) {
            $raw = base64_decode($parts[1], true);
            if ($raw === false || strlen($raw) !== ($parts[0] === 'v1' ? 32 : 64)) throw new UserlandFailure('malformed');
            $sigs[$parts[0]][] = $raw;
        }
    }
    $signed = "$id.$ts.$body";
    foreach ($secrets as $secret) {
        if (str_starts_with($secret, 'whpk_')) {
            $pk = base64_decode(substr($secret, 5), true);
            foreach ($sigs['v1a'] as $sig) {
                if (sodium_crypto_sign_verify_detached($sig, $signed, $pk)) goto matched;
            }
        } else {
            $key = base64_decode(str_starts_with($secret, 'whsec_') ? substr($secret, 6) : $secret, true);
            $mac = hash_hmac('sha256', $signed, $key, true);
            foreach ($sigs['v1'] as $sig) {
                if (hash_equals($mac, $sig)) goto matched;
            }
        }
    }
    throw new UserlandFailure('mismatch');
matched:
    if (abs($now - (int) $ts) > $tolerance) throw new UserlandFailure('expired');
    return $id;
}

function userland_square(array $headers, string $body, array $keys, string $url): ?string {
    $h = array_change_key_case($headers, CASE_LOWER);
    $sig = base64_decode($h['x-square-hmacsha256-signature'] ?? throw new UserlandFailure('missing header'), true);
    if ($sig === false || strlen($sig) !== 32) throw new UserlandFailure('malformed');
    foreach ($keys as $key) {
        if (hash_equals(hash_hmac('sha256', $url . $body, $key, true), $sig)) {
            $event = json_decode($body, true);
            return is_array($event) && is_string($event['event_id'] ?? null) ? $event['event_id'] : null;
        }
    }
    throw new UserlandFailure('mismatch');
}

function userland_shopify(array $headers, string $body, array $secrets): ?string {
    $h = array_change_key_case($headers, CASE_LOWER);
    $sig = base64_decode($h['x-shopify-hmac-sha256'] ?? throw new UserlandFailure('missing header'), true);
    if ($sig === false || strlen($sig) !== 32) throw new UserlandFailure('malformed');
    foreach ($secrets as $secret) {
        if (hash_equals(hash_hmac('sha256', $body, $secret, true), $sig)) {
            return $h['x-shopify-webhook-id'] ?? null;
        }
    }
    throw new UserlandFailure('mismatch');
}

// --- timing ---
/**
 * Verifications per second of each variant, median over the runs. The variants take turns inside
 * each run, so that a burst of load from other processes falls on all of them alike.
 * @param array<string, callable> $variants
 * @param ?array{0:string, 1:int} $cFloor the C floor's kind and message length, run in its turn too
 * @return array<string, ?float>
 */
function rates(array $variants, ?array $cFloor, int $iterations, int $runs): array {
    $all = [];
    for ($r = 0; $r < $runs; $r++) {
        foreach ($variants as $name => $f) {
            $t0 = hrtime(true);
            for ($i = 0; $i < $iterations; $i++) {
                $f();
            }
            $all[$name][] = $iterations / ((hrtime(true) - $t0) / 1e9);
        }
        if ($cFloor !== null && ($c = c_floor($cFloor[0], $cFloor[1], $iterations, 1)) !== null) {
            $all['c-floor'][] = $c;
        }
    }
    $medians = ['c-floor' => null];
    foreach ($all as $name => $list) {
        sort($list);
        $medians[$name] = $list[intdiv(count($list), 2)];
    }
    return $medians;
}

function body_of(int $bytes): string {
    // A Square-shaped inventory notification padded to the size with realistic counts.
    $head = '{"merchant_id":"MLEFBHHSJGVHD","type":"inventory.count.updated","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2026-11-26T20:30:59Z","data":{"type":"inventory","id":"bc368e64","object":{"inventory_counts":[';
    $items = [];
    $n = 0;
    while (strlen($head) + strlen(implode(',', $items)) + 10 < $bytes) {
        $items[] = sprintf('{"catalog_object_id":"%s","location_id":"L%04d","quantity":"%d","state":"IN_STOCK"}', sprintf('%08x%08x', mt_rand(), mt_rand()), $n % 97, $n * 7 % 1000);
        $n++;
    }
    $body = $head . implode(',', $items) . ']}}}';
    return $body . str_repeat(' ', max(0, $bytes - strlen($body)));
}

/** The four checks for one body size: name => [ext, userland, php-floor, [c-floor kind, message length], iterations]. */
function cases(int $bytes): array {
    static $keys = null;
    mt_srand($bytes);
    $keys ??= [
        'hmac' => str_repeat("\x5a", 32),
        // A fixed key pair: Ed25519 verification cost varies a little with the key, and the
        // instruction counts of separate processes must be comparable.
        'pair' => [
            'secret' => 'whsk_' . base64_encode(str_repeat("\x07", 32)),
            'public' => 'whpk_' . base64_encode(sodium_crypto_sign_publickey(sodium_crypto_sign_seed_keypair(str_repeat("\x07", 32)))),
        ],
        'square' => 'Ibxx_5AKakO-3qeNVR61Dw',
        'url' => 'https://shop.example/wp-json/omnistock/v1/webhooks/square',
        'shopify' => 'shpss_0123456789abcdef0123456789abcdef',
    ];
    ['hmac' => $hmacKey, 'pair' => $pair, 'square' => $squareKey, 'url' => $url, 'shopify' => $shopifySecret] = $keys;
    $whsec = 'whsec_' . base64_encode($hmacKey);
    // Fixed id and time: Ed25519 verification cost varies a little with the signed bytes, and the
    // instruction counts of separate processes must be comparable.
    $now = 1700000000;
    $fixed = ['id' => 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', 'timestamp' => $now];
    $body = body_of($bytes);
    $big = $bytes > 4096;
    $cases = [];

    $h = Webhook::sign('standard', $body, $whsec, $fixed) + ['content-type' => 'application/json', 'user-agent' => 'Svix-Webhooks/1.0'];
    $signed = "{$h['webhook-id']}.{$h['webhook-timestamp']}.$body";
    $cases['standard v1'] = [
        fn () => Webhook::verify('standard', $h, $body, [$whsec], ['now' => $now]),
        fn () => userland_standard($h, $body, [$whsec], $now),
        fn () => hash_equals(hash_hmac('sha256', $signed, $hmacKey, true), $hmacKey),
        ['hmac', strlen($signed)], $big ? 2000 : 40000,
    ];
    $h1a = Webhook::sign('standard', $body, $pair['secret'], $fixed) + ['content-type' => 'application/json'];
    $signed1a = "{$h1a['webhook-id']}.{$h1a['webhook-timestamp']}.$body";
    $sig1a = base64_decode(substr($h1a['webhook-signature'], 4));
    $pk = base64_decode(substr($pair['public'], 5));
    $cases['standard v1a'] = [
        fn () => Webhook::verify('standard', $h1a, $body, [$pair['public']], ['now' => $now]),
        fn () => userland_standard($h1a, $body, [$pair['public']], $now),
        fn () => sodium_crypto_sign_verify_detached($sig1a, $signed1a, $pk),
        ['ed25519', strlen($signed1a)], $big ? 1000 : 4000,
    ];
    $hs = Webhook::sign('square', $body, $squareKey, ['url' => $url]) + ['content-type' => 'application/json', 'square-version' => '2026-10-16'];
    $cases['square'] = [
        fn () => Webhook::verify('square', $hs, $body, [$squareKey], ['url' => $url]),
        fn () => userland_square($hs, $body, [$squareKey], $url),
        fn () => hash_equals(hash_hmac('sha256', $url . $body, $squareKey, true), $squareKey),
        ['hmac', strlen($url . $body)], $big ? 2000 : 40000,
    ];
    $hy = Webhook::sign('shopify', $body, $shopifySecret, ['id' => 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043']) + ['X-Shopify-Topic' => 'orders/create', 'X-Shopify-Shop-Domain' => 'x.myshopify.com'];
    $cases['shopify'] = [
        fn () => Webhook::verify('shopify', $hy, $body, [$shopifySecret]),
        fn () => userland_shopify($hy, $body, [$shopifySecret]),
        fn () => hash_equals(hash_hmac('sha256', $body, $shopifySecret, true), $shopifySecret),
        ['hmac', strlen($body)], $big ? 2000 : 40000,
    ];
    return $cases;
}

if ($child) {
    // --child <bytes> <case> <variant 0..2> <iterations>: what --instructions measures.
    [, , $bytes, $case, $variant, $n] = $argv;
    $f = cases((int) $bytes)[$case][(int) $variant];
    for ($i = 0; $i < (int) $n; $i++) {
        $f();
    }
    exit(0);
}

/** Instructions per call of one variant: callgrind over n calls minus callgrind over none. */
function instructions(array $command, int $n): float {
    $count = function (int $iterations) use ($command): int {
        $cmd = 'valgrind --tool=callgrind --callgrind-out-file=/dev/null ' . implode(' ', array_map('escapeshellarg', $command)) . " $iterations 2>&1";
        preg_match('/Collected : (\d+)/', (string) shell_exec($cmd), $m) || throw new RuntimeException("callgrind failed: $cmd");
        return (int) $m[1];
    };
    return ($count($n) - $count(0)) / $n;
}

printf("Omnistock webhook verification benchmark (%s)\n", $instructions ? 'instructions per verification, callgrind' : 'verifications per second');
printf("machine: %d cores (%s), PHP %s%s, libsodium %s, omnistock %s; %s\n\n",
    (int) trim((string) shell_exec('nproc')), trim((string) shell_exec("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")),
    PHP_VERSION, ZEND_DEBUG_BUILD ? ' (debug)' : '', SODIUM_LIBRARY_VERSION, phpversion('omnistock'),
    $instructions ? 'exact counts, independent of load' : "median of $runs runs; shared, noisy machine");
if ($instructions) {
    printf("%-12s %6s | %10s %10s %7s | %10s %7s | %10s %7s\n", 'scheme', 'body', 'ext', 'userland', 'speedup', 'php-floor', 'ext/flr', 'c-floor', 'ext/flr');
} else {
    printf("%-12s %6s | %10s %10s %7s | %10s %7s | %10s %7s\n", 'scheme', 'body', 'ext/s', 'userland/s', 'speedup', 'php-floor', 'ext/flr', 'c-floor/s', 'ext/flr');
}
// The children of --instructions load the very module this process has loaded.
preg_match('~\S*/omnistock\.so~', (string) @file_get_contents('/proc/self/maps'), $m);
$so = $m[0] ?? 'omnistock';

foreach ([1024, 65536] as $bytes) {
    foreach (cases($bytes) as $name => [$ext, $user, $floor, $c, $iterations]) {
        // Both must agree before they are timed.
        if ($ext()->id !== $user()) {
            fwrite(STDERR, "$name: ext and userland disagree\n");
            exit(1);
        }
        if ($instructions) {
            $n = $bytes > 4096 ? 20 : 200;
            $php = [PHP_BINARY, '-d', "extension=$so", __FILE__, '--child', (string) $bytes, $name];
            $e = instructions([...$php, '0'], $n);
            $u = instructions([...$php, '1'], $n);
            $p = instructions([...$php, '2'], $n);
            $cf = $haveCFloor ? instructions([$floorBin, $c[0], (string) $c[1]], $n) : null;
            printf("%-12s %5dK | %10.0f %10.0f %6.2fx | %10.0f %6.2fx | %10s %6s\n", $name, $bytes / 1024, $e, $u, $u / $e, $p, $e / $p,
                $cf ? sprintf('%.0f', $cf) : 'n/a', $cf ? sprintf('%.2fx', $e / $cf) : 'n/a');
            continue;
        }
        ['ext' => $e, 'userland' => $u, 'php-floor' => $p, 'c-floor' => $cf] =
            rates(['ext' => $ext, 'userland' => $user, 'php-floor' => $floor], $c, $iterations, $runs);
        printf("%-12s %5dK | %10.0f %10.0f %6.2fx | %10.0f %6.2fx | %10s %6s\n", $name, $bytes / 1024, $e, $u, $e / $u, $p, $p / $e,
            $cf ? sprintf('%.0f', $cf) : 'n/a', $cf ? sprintf('%.2fx', $cf / $e) : 'n/a');
    }
}
@unlink($floorBin);
@rmdir($work);
echo "\nspeedup = userland cost / ext cost (higher is better); ext/flr = ext cost / floor cost (1.00 = no overhead)\n";
