<?php
/**
 * Benchmark: folding one million stock events into levels.
 *
 * Omnistock\Ledger against tests/lib/ReferenceLedger.php (the same rules in plain PHP), on the
 * same input in the same run: 1,000,000 events over 100,000 cells (25,000 products x 4
 * locations), shuffled, with counts, commits, releases, transfers and 2% exact replays mixed in,
 * applied in batches of 10,000 as an import would, then levels() read back. Each implementation
 * runs several times; medians are printed, with the ratio and the memory each one needed.
 *
 *   php -d extension=modules/omnistock.so tests/bench/ledger.php [events] [runs] [extension|php]
 * (the last argument runs one side only, for profiling)
 */

declare(strict_types=1);

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

/** @return array{seconds: float, peak: int, kept: int, levels: array} */
function run(callable $make, array $batches): array
{
    gc_collect_cycles();
    $base = memory_get_usage();
    memory_reset_peak_usage();
    $start = hrtime(true);
    $ledger = $make();
    foreach ($batches as $batch) {
        $ledger->apply($batch);
    }
    $levels = $ledger->levels();
    $seconds = (hrtime(true) - $start) / 1e9;
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
    return ['seconds' => $seconds, 'peak' => $peak, 'kept' => $kept, 'cells' => $count, 'checksum' => $checksum];
}

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

$mb = fn (int $bytes) => sprintf('%.1f MiB', $bytes / 1048576);

printf("Omnistock ledger benchmark: %s events (%d%% replays), %d batches of %d, %d runs each\n",
    number_format($events), 2, count($batches), $batchSize, $runs);
printf("machine: %d cores, %s; PHP %s %s, opcache.enable_cli=%s, JIT %s\n\n",
    (int) trim((string) shell_exec('nproc')), php_uname('m'), PHP_VERSION, PHP_ZTS ? 'ZTS' : 'NTS',
    ini_get('opcache.enable_cli') ?: '0', (function_exists('opcache_get_status') && (opcache_get_status(false)['jit']['enabled'] ?? false)) ? 'on' : 'off');

$results = ['extension' => [], 'php' => []];
for ($r = 0; $r < $runs; $r++) {
    // Alternate, so that drift on a shared machine hits both alike.
    $results['extension'][] = run(fn () => new Omnistock\Ledger(), $batches);
    if ($only === 'extension') {
        printf("extension only: %.3f s\n", end($results['extension'])['seconds']);
        continue;
    }
    $results['php'][] = run(fn () => new ReferenceLedger(), $batches);
}
if ($only !== null) {
    exit(0);
}

$summary = [];
foreach ($results as $name => $rs) {
    $summary[$name] = [
        'seconds' => median(array_column($rs, 'seconds')),
        'peak' => (int) median(array_column($rs, 'peak')),
        'kept' => (int) median(array_column($rs, 'kept')),
        'cells' => $rs[0]['cells'],
        'checksum' => $rs[0]['checksum'],
    ];
    printf("%-32s median %7.3f s  (runs: %s)  peak +%s, ledger keeps %s\n",
        $name === 'extension' ? 'Omnistock\\Ledger (C)' : 'ReferenceLedger (PHP userland)',
        $summary[$name]['seconds'],
        implode(', ', array_map(fn ($x) => sprintf('%.3f', $x['seconds']), $rs)),
        $mb($summary[$name]['peak']), $mb($summary[$name]['kept']));
}

$same = $summary['extension']['cells'] === $summary['php']['cells']
    && $summary['extension']['checksum'] === $summary['php']['checksum'];
printf("\nlevels identical: %s (%s cells)\n", $same ? 'yes' : 'NO', number_format($summary['extension']['cells']));
printf("speed: the extension is %.1fx faster (median PHP / median C)\n", $summary['php']['seconds'] / $summary['extension']['seconds']);
printf("memory: peak %.2fx, kept %.2fx of the PHP version's\n",
    $summary['extension']['peak'] / $summary['php']['peak'], $summary['extension']['kept'] / $summary['php']['kept']);
exit($same ? 0 : 1);
