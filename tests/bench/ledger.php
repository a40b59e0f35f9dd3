<?php
/**
 * Benchmark: folding one million stock events into levels.
 *
 * Omnistock\Ledger against tests/lib/ReferenceLedger.php (the same rules in plain PHP, checked
 * and all-or-nothing like the extension) and a lean PHP fold (the rules and nothing else: no
 * checks, no rollback, levels summed when read), on the same input in the same run: 1,000,000 events over 100,000 cells (25,000 products x 4
 * locations), shuffled, with counts, commits, releases, transfers and 2% exact replays mixed in,
 * applied in batches of 10,000 as an import would, then levels() read back. Each implementation
 * runs several times; medians are printed per run and per event, with the ratios and the memory
 * each one needed. Then the plugin's path: one event per call, on a fresh Ledger seeded with its
 * cell (what Inventory::record() does for every batch), against the lean fold doing the same.
 * Each time is taken twice: on the wall clock and as the process's CPU time (getrusage), which a
 * shared machine's other jobs inflate far less (they still take cache from it).
 *
 *   php -d extension=modules/omnistock.so tests/bench/ledger.php [events] [runs] [extension|php|lean]
 * (the last argument runs one side only, for profiling)
 */

declare(strict_types=1);

require_once dirname(__DIR__) . '/lib/bench.php';

require __DIR__ . '/../lib/ReferenceLedger.php';

use Omnistock\Tests\ReferenceLedger;

if (!extension_loaded('omnistock')) {
    fwrite(STDERR, "load the extension: php -d extension=modules/omnistock.so tests/bench/ledger.php\n");
    exit(1);
}

$events = (int) ($argv[1] ?? 1_000_000);
$runs = (int) ($argv[2] ?? 3);
$only = $argv[3] ?? null;
$batchSize = 10_000;
$products = 25_000;
$locations = ['wh', 'store-1', 'store-2', 'store-3'];

mt_srand(20261126);
$input = [];
$distinct = (int) ($events * 0.98);
for ($i = 0; $i < $distinct; $i++) {
    $roll = mt_rand(1, 100);
    $kind = $roll <= 80 ? 'adjust' : ($roll <= 90 ? 'count' : ($roll <= 94 ? 'commit' : ($roll <= 97 ? 'release' : 'transfer')));
    $location = $locations[mt_rand(0, 3)];
    $event = [
        'id' => "bench:$i",
        'product' => mt_rand(1, $products),
        'location' => $location,
        'kind' => $kind,
        'qty' => match ($kind) {
            'count' => mt_rand(0, 200),
            'adjust' => mt_rand(0, 3) ? -mt_rand(1, 5) : mt_rand(1, 20),
            default => mt_rand(1, 5),
        },
        'at' => 1_700_000_000_000 + mt_rand(0, 30 * 86_400_000),
    ];
    if ($kind === 'transfer') {
        $event['to'] = $locations[($location === 'wh' ? mt_rand(1, 3) : 0)];
    }
    $input[] = $event;
}
while (count($input) < $events) {
    $input[] = $input[mt_rand(0, $distinct - 1)]; // an exact replay
}
shuffle($input);
$batches = array_chunk($input, $batchSize);
unset($input);

/**
 * The folding rules and nothing else, the way a PHP developer in a hurry would write them: no
 * checks, no rollback, no changed cells; each cell keeps its latest count and its adjusts, and
 * levels() sums the adjusts later than the count when asked.
 */
final class LeanLedger
{
    private array $seen = [];
    /** @var array<string, array{0:int|string, 1:int|string, 2:?array, 3:list<array{0:int,1:int}>, 4:int}> */
    private array $cells = [];

    public function apply(array $events): array
    {
        $applied = $duplicates = 0;
        $conflicts = [];
        foreach ($events as $e) {
            $content = $e['product'] . "\0" . $e['location'] . "\0" . $e['kind'] . "\0" . $e['qty'] . "\0" . $e['at'] . "\0" . ($e['to'] ?? '');
            if (isset($this->seen[$e['id']])) {
                $duplicates++;
                if ($this->seen[$e['id']] !== $content) {
                    $conflicts[] = $e['id'];
                }
                continue;
            }
            $this->seen[$e['id']] = $content;
            $applied++;
            $k = $e['product'] . "\0" . $e['location'];
            $this->cells[$k] ??= [$e['product'], $e['location'], null, [], 0];
            switch ($e['kind']) {
                case 'count':
                    $c = $this->cells[$k][2];
                    if ($c === null || $e['at'] > $c[0] || ($e['at'] === $c[0] && strcmp($e['id'], $c[1]) > 0)) {
                        $this->cells[$k][2] = [$e['at'], $e['id'], $e['qty']];
                    }
                    break;
                case 'adjust':
                    $this->cells[$k][3][] = [$e['at'], $e['qty']];
                    break;
                case 'commit':
                    $this->cells[$k][4] += $e['qty'];
                    break;
                case 'release':
                    $this->cells[$k][4] -= $e['qty'];
                    break;
                case 'transfer':
                    $this->cells[$k][3][] = [$e['at'], -$e['qty']];
                    $t = $e['product'] . "\0" . $e['to'];
                    $this->cells[$t] ??= [$e['product'], $e['to'], null, [], 0];
                    $this->cells[$t][3][] = [$e['at'], $e['qty']];
                    break;
            }
        }
        return ['applied' => $applied, 'duplicates' => $duplicates, 'conflicts' => $conflicts];
    }

    public function levels(): array
    {
        $out = [];
        foreach ($this->cells as [$p, $l, $count, $adjusts, $committed]) {
            $on_hand = $count === null ? 0 : $count[2];
            foreach ($adjusts as [$at, $qty]) {
                if ($count === null || $at > $count[0]) {
                    $on_hand += $qty;
                }
            }
            $out[] = ['product' => $p, 'location' => $l, 'on_hand' => $on_hand, 'committed' => $committed];
        }
        // Ordered like Omnistock\Ledger::levels(): integers first, then strings in byte order.
        usort($out, fn ($a, $b) => [is_string($a['product']), $a['product'], is_string($a['location']), $a['location']]
            <=> [is_string($b['product']), $b['product'], is_string($b['location']), $b['location']]);
        return $out;
    }
}

/** This process's CPU time (user + system), in seconds. */
function cpu_seconds(): float
{
    $u = getrusage();
    return $u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec'] + ($u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec']) / 1e6;
}

/** @return array{seconds: float, cpu: float, peak: int, kept: int, levels: array} */
function run(callable $make, array $batches): array
{
    gc_collect_cycles();
    $base = memory_get_usage();
    memory_reset_peak_usage();
    $cpu = cpu_seconds();
    $start = hrtime(true);
    $ledger = $make();
    foreach ($batches as $batch) {
        $ledger->apply($batch);
    }
    $levels = $ledger->levels();
    $seconds = (hrtime(true) - $start) / 1e9;
    $cpu = cpu_seconds() - $cpu;
    $peak = memory_get_peak_usage() - $base;
    $kept = memory_get_usage() - $base - 0;
    $count = count($levels);
    $checksum = 0;
    foreach ($levels as $l) {
        $checksum = ($checksum * 31 + $l['on_hand'] * 7 + $l['committed']) % 1_000_000_007;
    }
    unset($levels);
    $kept = memory_get_usage() - $base; // the ledger itself, still alive
    unset($ledger);
    return ['seconds' => $seconds, 'cpu' => $cpu, 'peak' => $peak, 'kept' => $kept, 'cells' => $count, 'checksum' => $checksum];
}

$mb = fn (int $bytes) => sprintf('%.1f MiB', $bytes / 1048576);

printf("Omnistock ledger benchmark: %s events (%d%% replays), %d batches of %d, %d runs each\n",
    number_format($events), 2, count($batches), $batchSize, $runs);
printf("machine: %d cores, %s; PHP %s %s, opcache.enable_cli=%s, JIT %s\n\n",
    (int) trim((string) shell_exec('nproc')), php_uname('m'), PHP_VERSION, PHP_ZTS ? 'ZTS' : 'NTS',
    ini_get('opcache.enable_cli') ?: '0', (function_exists('opcache_get_status') && (opcache_get_status(false)['jit']['enabled'] ?? false)) ? 'on' : 'off');

$makers = [
    'extension' => fn () => new Omnistock\Ledger(),
    'php' => fn () => new ReferenceLedger(),
    'lean' => fn () => new LeanLedger(),
];
$names = [
    'extension' => 'Omnistock\\Ledger (C)',
    'php' => 'ReferenceLedger (PHP userland)',
    'lean' => 'lean PHP fold (no checks)',
];
$results = ['extension' => [], 'php' => [], 'lean' => []];
for ($r = 0; $r < $runs; $r++) {
    // Alternate, so that drift on a shared machine hits all alike.
    foreach ($makers as $name => $make) {
        if ($only !== null && $only !== $name) {
            continue;
        }
        $results[$name][] = run($make, $batches);
        if ($only !== null) {
            printf("%s only: %.3f s\n", $name, end($results[$name])['seconds']);
        }
    }
}
if ($only !== null) {
    exit(0);
}

$summary = [];
foreach ($results as $name => $rs) {
    $summary[$name] = [
        'seconds' => bench_median(array_column($rs, 'seconds')),
        'cpu' => bench_median(array_column($rs, 'cpu')),
        'peak' => (int) bench_median(array_column($rs, 'peak')),
        'kept' => (int) bench_median(array_column($rs, 'kept')),
        'cells' => $rs[0]['cells'],
        'checksum' => $rs[0]['checksum'],
    ];
    printf("%-32s median %7.3f s = %6.0f ns/event  (runs: %s)  peak +%s, ledger keeps %s\n",
        $names[$name],
        $summary[$name]['seconds'],
        $summary[$name]['seconds'] / $events * 1e9,
        implode(', ', array_map(fn ($x) => sprintf('%.3f', $x['seconds']), $rs)),
        $mb($summary[$name]['peak']), $mb($summary[$name]['kept']));
    printf("%-32s   CPU %7.3f s = %6.0f ns/event  (runs: %s)\n", '',
        $summary[$name]['cpu'], $summary[$name]['cpu'] / $events * 1e9,
        implode(', ', array_map(fn ($x) => sprintf('%.3f', $x['cpu']), $rs)));
}

$same = true;
foreach (['php', 'lean'] as $name) {
    $same = $same && $summary['extension']['cells'] === $summary[$name]['cells']
        && $summary['extension']['checksum'] === $summary[$name]['checksum'];
}
printf("\nlevels identical in all three: %s (%s cells)\n", $same ? 'yes' : 'NO', number_format($summary['extension']['cells']));
foreach (['php' => 'ReferenceLedger', 'lean' => 'the lean fold'] as $name => $label) {
    printf("speed: the extension is %.1fx faster than %s (median / median; %.1fx in CPU time); memory: peak %.2fx, kept %.2fx of its\n",
        $summary[$name]['seconds'] / $summary['extension']['seconds'], $label,
        $summary[$name]['cpu'] / $summary['extension']['cpu'],
        $summary['extension']['peak'] / $summary[$name]['peak'], $summary['extension']['kept'] / $summary[$name]['kept']);
}

// The plugin's path: every record() call seeds a fresh Ledger with its locked cells and applies
// the batch, usually one event. 20,000 calls of one event on one cell (its count and committed as
// stored, no adjusts to read), against the lean fold given the same cell and event.
$calls = 20_000;
$single = [];
for ($i = 0; $i < $calls; $i++) {
    $single[] = [
        'id' => "single:$i", 'product' => 1 + $i % 100, 'location' => 'store-1', 'kind' => $i % 10 ? 'adjust' : 'count',
        'qty' => $i % 10 ? -1 : 50, 'at' => 1_700_000_000_000 + $i,
    ];
}
$seedOf = fn (array $e) => ['product' => $e['product'], 'location' => $e['location'],
    'count' => ['id' => 'stored', 'at' => 1_600_000_000_000, 'qty' => 40], 'committed' => 3];
$paths = [
    'Ledger::seed() + apply(report)' => function () use ($single, $seedOf) {
        foreach ($single as $e) {
            $ledger = new Omnistock\Ledger();
            $ledger->seed([$seedOf($e)]);
            $ledger->apply([$e], true);
        }
    },
    'lean PHP fold, same cell' => function () use ($single, $seedOf) {
        foreach ($single as $e) {
            $ledger = new LeanLedger();
            $s = $seedOf($e);
            $ledger->apply([['id' => $s['count']['id'], 'product' => $s['product'], 'location' => $s['location'], 'kind' => 'count', 'qty' => 40, 'at' => $s['count']['at']]]);
            $ledger->apply([$e]);
            $ledger->levels();
        }
    },
];
$times = $cpus = [];
for ($r = 0; $r < max($runs, 3); $r++) {
    foreach ($paths as $label => $path) {
        $c0 = cpu_seconds();
        $t0 = hrtime(true);
        $path();
        $times[$label][] = (hrtime(true) - $t0) / $calls;
        $cpus[$label][] = (cpu_seconds() - $c0) * 1e9 / $calls;
    }
}
echo "\n";
foreach ($times as $label => $ts) {
    printf("one event per call, %-32s median %6.0f ns/call, CPU %6.0f ns/call\n", $label, bench_median($ts), bench_median($cpus[$label]));
}
printf("one event per call: the extension path is %.1fx the lean fold's speed (%.1fx in CPU time; a database round trip is ~100,000 ns)\n",
    bench_median($times['lean PHP fold, same cell']) / bench_median($times['Ledger::seed() + apply(report)']),
    bench_median($cpus['lean PHP fold, same cell']) / bench_median($cpus['Ledger::seed() + apply(report)']));
exit($same ? 0 : 1);
