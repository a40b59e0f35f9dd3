<?php
/**
 * Benchmark of Omnistock\Push: 200 POSTs to a local endpoint that answers after 50 ms.
 *
 *   php -d extension=modules/omnistock.so tests/bench/push.php [runs]
 *
 * Measured in the same run, against the same server (tests/lib/push_server.php: one process,
 * non-blocking, a delayed answer is a timer, so it serves any number of requests at once):
 *   - Push at concurrency 32;
 *   - sequential PHP curl, a new handle per request, as wp_remote_post() does through Requests;
 *   - PHP's own curl_multi_* in userland, a window of 32 handles on one multi handle.
 * Prints the median wall time (and CPU time of this process) of each over `runs` runs (after one
 * warm-up run each), the ratios,
 * and Push against the ideal ceil(200/32) x 50 ms. Wall time on a shared machine is noisy: read
 * the medians and ratios, not single runs.
 */

require_once dirname(__DIR__) . '/lib/bench.php';

const REQUESTS = 200;
const CONCURRENCY = 32;
const DELAY_MS = 50;

if (!extension_loaded('omnistock') || !extension_loaded('curl')) {
    fwrite(STDERR, "needs the omnistock and curl extensions\n");
    exit(1);
}
$runs = max(1, (int) ($argv[1] ?? 5));

require __DIR__ . '/../push/push.inc';
$port = push_server();
$url = "http://127.0.0.1:$port/delay?ms=" . DELAY_MS;
$body = json_encode(['sku' => 'SKU-0001', 'location' => 'store-1', 'on_hand' => 12, 'at' => 1764201600000]);

/** Fails loudly unless every request got its 200: a fast wrong answer is no answer. */
function check_all(string $what, array $statuses): void
{
    $ok = count(array_filter($statuses, fn ($s) => $s === 200));
    if ($ok !== REQUESTS) {
        fwrite(STDERR, "$what: only $ok of " . REQUESTS . " requests got a 200\n");
        exit(1);
    }
}

function run_push(string $url, string $body): void
{
    static $push;
    $push ??= new Omnistock\Push(['concurrency' => CONCURRENCY, 'retries' => 0]);
    $requests = [];
    for ($i = 0; $i < REQUESTS; $i++) {
        $requests[] = ['id' => "evt-$i", 'url' => $url, 'body' => $body, 'headers' => ['Content-Type' => 'application/json']];
    }
    check_all('Push', array_column($push->send($requests), 'status'));
}

function run_sequential(string $url, string $body): void
{
    $statuses = [];
    for ($i = 0; $i < REQUESTS; $i++) {
        $ch = curl_init($url);
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => $body, CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'], CURLOPT_TIMEOUT => 5]);
        curl_exec($ch);
        $statuses[] = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
    }
    check_all('sequential curl', $statuses);
}

function run_userland_multi(string $url, string $body): void
{
    static $mh;
    $mh ??= curl_multi_init(); // kept, like Push's, so its connections are reused between runs
    $next = 0;
    $active = 0;
    $statuses = [];
    $add = function () use (&$next, &$active, $mh, $url, $body) {
        $ch = curl_init($url);
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => $body, CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'], CURLOPT_TIMEOUT => 5]);
        curl_multi_add_handle($mh, $ch);
        $next++;
        $active++;
    };
    while ($next < REQUESTS && $active < CONCURRENCY) {
        $add();
    }
    do {
        curl_multi_exec($mh, $running);
        while ($info = curl_multi_info_read($mh)) {
            $ch = $info['handle'];
            $statuses[] = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            curl_multi_remove_handle($mh, $ch);
            curl_close($ch);
            $active--;
            if ($next < REQUESTS) {
                $add();
            }
        }
        if ($active > 0) {
            curl_multi_select($mh, 1.0);
        }
    } while ($active > 0);
    check_all('userland curl_multi', $statuses);
}

/** CPU time (user + system) this process has used, in milliseconds. */
function cpu_ms(): float
{
    $u = getrusage();
    return ($u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec']) * 1e3 + ($u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec']) / 1e3;
}

/** Wall time of one call of $f, in milliseconds; adds the CPU time it used to $cpu. */
function timed(callable $f, array &$cpu): float
{
    $c = cpu_ms();
    $t = hrtime(true);
    $f();
    $wall = (hrtime(true) - $t) / 1e6;
    $cpu[] = cpu_ms() - $c;
    return $wall;
}

$methods = [
    'Push (concurrency 32)' => fn () => run_push($url, $body),
    'userland curl_multi (32)' => fn () => run_userland_multi($url, $body),
    'sequential curl (wp_remote_post)' => fn () => run_sequential($url, $body),
];

$curl = curl_version();
printf("machine: %d CPUs (nproc), PHP %s, libcurl %s, omnistock %s\n", (int) shell_exec('nproc'), PHP_VERSION,
    $curl['version'], phpversion('omnistock'));
printf("workload: %d POSTs, the server answers each after %d ms; %d timed runs per method after 1 warm-up\n",
    REQUESTS, DELAY_MS, $runs);

$times = [];
$cpu = array_fill_keys(array_keys($methods), []);
foreach ($methods as $name => $f) {
    $f(); // warm-up: connections, DNS and code paths
    push_stats($port, true);
    for ($r = 0; $r < $runs; $r++) {
        $times[$name][] = timed($f, $cpu[$name]);
    }
    $inFlight[$name] = push_stats($port, true)['max_in_flight'];
    printf("%-34s median %8.1f ms wall, %6.1f ms CPU  (runs: %s; at most %d in flight at the server)\n", $name,
        bench_median($times[$name]), bench_median($cpu[$name]), implode(' ', array_map(fn ($t) => sprintf('%.0f', $t), $times[$name])),
        $inFlight[$name]);
}
// The server must really have served 32 at once, or the concurrent figures mean nothing.
if ($inFlight['Push (concurrency 32)'] < CONCURRENCY || $inFlight['userland curl_multi (32)'] < CONCURRENCY) {
    fwrite(STDERR, "the server never held " . CONCURRENCY . " requests at once: the comparison is not valid\n");
    exit(1);
}

$push = bench_median($times['Push (concurrency 32)']);
$seq = bench_median($times['sequential curl (wp_remote_post)']);
$multi = bench_median($times['userland curl_multi (32)']);
$ideal = ceil(REQUESTS / CONCURRENCY) * DELAY_MS;
printf("sequential / Push:           %6.1fx  (goal >= 20x)\n", $seq / $push);
printf("userland curl_multi / Push:  %6.2fx  (goal >= 1x); CPU time of this process: %.2fx\n", $multi / $push,
    bench_median($cpu['userland curl_multi (32)']) / max(0.001, bench_median($cpu['Push (concurrency 32)'])));
printf("Push / ideal (%d ms):       %6.2fx  (goal <= 1.5x)\n", $ideal, $push / $ideal);
