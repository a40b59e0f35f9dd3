<?php
/**
 * Omnistock\Holds, one build against another: the same fixed workload (one process, hold 1 unit +
 * release it) run by each build alternately, as wall time (median of several runs) and as machine
 * instructions inside Holds::hold() and Holds::release() under valgrind --tool=callgrind, which a
 * loaded machine does not disturb. For changes that must not slow the holds down (a refactor);
 * tests/bench/holds.php compares the holds with the database and flock() paths instead.
 *
 *   php tests/bench/holds_instructions.php before.so after.so
 *   env: OMNISTOCK_BENCH_REPEAT (wall-time runs per build, default 5), OMNISTOCK_BENCH_OPS (default 20000)
 */

declare(strict_types=1);

require_once dirname(__DIR__) . '/lib/bench.php';

const CELLS = 1000;
const BASE = 1000000;
const BACKGROUND = 10000;

if (($argv[1] ?? '') === '--work') {
    [, , $scenario, $ops] = $argv;
    $ops = (int) $ops;
    $h = new Omnistock\Holds('instr-' . getmypid());
    $cells = [];
    for ($c = 1; $c <= CELLS; $c++) {
        $cells[] = [$c, 1];
    }
    $lock = $h->lock($cells);
    foreach ($cells as [$p, $l]) {
        $lock->setSellable($p, $l, BASE);
    }
    $lock->release();
    if ($scenario === 'background') {
        for ($i = 0; $i < BACKGROUND; $i++) {
            $h->hold("bg:$i", [[1, 1, 1]], 3600);
        }
    }
    mt_srand(1);
    $t0 = hrtime(true);
    for ($i = 0; $i < $ops; $i++) {
        $cell = $scenario === 'spread' ? mt_rand(1, CELLS) : 1;
        if (!$h->hold("k:$i", [[$cell, 1, 1]], 60)['ok']) {
            fwrite(STDERR, "hold $i refused\n");
            exit(1);
        }
        $h->release("k:$i");
    }
    $ns = hrtime(true) - $t0;
    $problems = $h->check();
    unlink($h->stats()['path']);
    if ($problems) {
        fwrite(STDERR, implode("\n", $problems) . "\n");
        exit(1);
    }
    echo $ns, "\n";
    exit(0);
}

if ($argc < 3) {
    fwrite(STDERR, "usage: php $argv[0] before.so after.so\n");
    exit(1);
}
$builds = ['before' => realpath($argv[1]), 'after' => realpath($argv[2])];
$repeat = max(1, (int) (getenv('OMNISTOCK_BENCH_REPEAT') ?: 5));
$ops = max(1, (int) (getenv('OMNISTOCK_BENCH_OPS') ?: 20000));
$php = PHP_BINARY;
$self = escapeshellarg(__FILE__);

function run_child(string $cmd): string
{
    exec($cmd . ' 2>&1', $out, $rc);
    if ($rc !== 0) {
        fwrite(STDERR, "failed ($rc): $cmd\n" . implode("\n", $out) . "\n");
        exit(1);
    }
    return implode("\n", $out);
}

$valgrind = trim((string) shell_exec('command -v valgrind'));
printf("machine: %s, nproc %d, load %s, PHP %s %s; %d ops per run, wall time median of %d runs per build (alternating)\n",
    trim((string) shell_exec("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1")), (int) shell_exec('nproc'),
    implode(' ', array_map(fn($x) => sprintf('%.1f', $x), sys_getloadavg())), PHP_VERSION, PHP_ZTS ? 'ZTS' : 'NTS', $ops, $repeat);
printf("\n%-12s | %-24s | %-24s | %7s | %-27s | %7s\n", 'scenario', 'before ops/s (median)', 'after ops/s (median)', 'ratio',
    'instructions/op before after', 'ratio');
foreach (['hot' => 'hot cell', 'spread' => '1000 cells', 'background' => '10,000 held'] as $scenario => $label) {
    $ns = ['before' => [], 'after' => []];
    for ($r = 0; $r < $repeat; $r++) {
        foreach ($builds as $name => $so) {
            $ns[$name][] = (float) run_child(sprintf('%s -n -d extension=%s %s --work %s %d', $php, escapeshellarg($so), $self, $scenario, $ops));
        }
    }
    $ir = [];
    foreach ($builds as $name => $so) {
        if ($valgrind === '') {
            break;
        }
        $out = tempnam(sys_get_temp_dir(), 'callgrind');
        run_child(sprintf('%s --tool=callgrind --callgrind-out-file=%s --collect-atstart=no --toggle-collect=zim_Omnistock_Holds_hold'
            . ' --toggle-collect=zim_Omnistock_Holds_release %s -n -d extension=%s %s --work %s %d', $valgrind, escapeshellarg($out),
            $php, escapeshellarg($so), $self, $scenario, intdiv($ops, 10)));
        preg_match('/^(?:summary|totals): (\d+)/m', (string) file_get_contents($out), $m);
        unlink($out);
        // The background holds are made by hold() too: counted alike in both builds.
        $ir[$name] = (int) $m[1] / intdiv($ops, 10);
    }
    $opsps = array_map(fn($v) => $ops / (bench_median($v) / 1e9), $ns);
    printf("%-12s | %24.0f | %24.0f | %7.3f | %13s %13s | %7s\n", $label, $opsps['before'], $opsps['after'],
        $opsps['after'] / $opsps['before'], $ir ? sprintf('%.0f', $ir['before']) : '-', $ir ? sprintf('%.0f', $ir['after']) : '-',
        $ir ? sprintf('%.4f', $ir['after'] / $ir['before']) : '-');
}
