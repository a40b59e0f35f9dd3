--TEST--
Holds: 6 processes hold, load and release on 200 products in a segment of 83 cells that reclaims idle cells at once; no process ever sees another cell's base through a reclaimed slot, the segment stays consistent, and once they stop every cell can be reclaimed
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=64K
omnistock.holds_cell_idle_seconds=0
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('reclaim-race');
$workers = 6;
$products = 200;
$ops = holds_test_under_valgrind() ? 150 : 3000;
$stop = tempnam(sys_get_temp_dir(), 'holds-stop-');
unlink($stop);

$h = new Holds($name);
$cap = $h->stats()['cells_capacity'];

// Product p's base is 1000 p and every worker holds at most one unit at a time: any sellable
// outside (1000 p - workers, 1000 p] is another cell's number. A cell touched in the current
// millisecond is not idle even at 0 s, so a fast loop also meets SegmentFull: that is counted.
$worker = <<<PHP
\$h = new Omnistock\\Holds('$name');
\$me = \$argv[1];
mt_srand((int) \$me + 7);
\$c = ['held' => 0, 'loaded' => 0, 'full' => 0, 'errors' => []];
\$wrong = function (int \$p) use (\$h, &\$c): void {
    \$s = \$h->sellable(\$p, 'loc');
    if (\$s !== null && (\$s > 1000 * \$p || \$s <= 1000 * \$p - $workers)) {
        \$c['errors'][] = "product \$p shows sellable \$s";
    }
};
for (\$i = 0; \$i < $ops; \$i++) {
    \$p = mt_rand(1, $products);
    try {
        for (\$attempt = 0; \$attempt < 5; \$attempt++) {
            \$r = \$h->hold("w\$me", [[\$p, 'loc', 1]], 600);
            if (\$r['ok'] || !\$r['unknown']) {
                break;
            }
            \$lock = \$h->lock([[\$p, 'loc']]);
            \$lock->setSellable(\$p, 'loc', 1000 * \$p);
            \$wrong(\$p);
            \$lock->release();
            \$c['loaded']++;
        }
        if (\$r['ok']) {
            \$c['held']++;
        } elseif (\$r['short']) {
            \$c['errors'][] = "product \$p short: " . json_encode(\$r['short']);
        }
    } catch (Omnistock\\SegmentFull \$e) {
        \$c['full']++;
    }
    \$wrong(\$p);
    if (mt_rand(0, 2) === 0) {
        \$h->release("w\$me");
    }
}
\$h->release("w\$me");
echo json_encode(\$c), "\\n";
PHP;

$watcher = <<<PHP
\$h = new Omnistock\\Holds('$name');
\$c = ['checks' => 0, 'problems' => []];
while (!file_exists('$stop')) {
    \$c['problems'] = array_merge(\$c['problems'], \$h->check());
    \$c['checks']++;
    usleep(2000);
}
echo json_encode(\$c), "\\n";
PHP;

$watch = holds_child($watcher);
$kids = [];
for ($i = 0; $i < $workers; $i++) {
    $kids[] = holds_child("\$argv[1] = '$i';\n" . $worker, ['omnistock.holds_cell_idle_seconds' => 0]);
}
$totals = ['held' => 0, 'loaded' => 0, 'full' => 0];
$errors = [];
foreach ($kids as $i => $kid) {
    $out = trim(holds_child_finish($kid));
    $r = json_decode($out, true);
    if (!is_array($r)) {
        $errors[] = "worker $i: $out";
        continue;
    }
    foreach ($totals as $k => $_) {
        $totals[$k] += $r[$k];
    }
    $errors = array_merge($errors, $r['errors']);
}
touch($stop);
$wa = json_decode(trim($out = holds_child_finish($watch)), true) ?? ['problems' => ["watcher: $out"], 'checks' => 0];
unlink($stop);

echo "worker errors: ", json_encode(array_slice($errors, 0, 5)), "\n";
echo "watcher problems: ", json_encode(array_slice($wa['problems'], 0, 5)), "\n";
$s = $h->stats();
var_dump($wa['checks'] > 0, $totals['held'] > $workers, $totals['loaded'] > $cap, $totals['full'] < $workers * $ops / 2,
    $s['cells_reclaimed'] > $cap, $s['cells'] <= $cap, $s['holds'], $s['units_held'], $s['abandoned'], $h->check());
echo "-- every cell is dead now: a lock of as many new cells as the segment holds succeeds\n";
usleep(5000);
$cells = [];
for ($i = 0; $i < $cap; $i++) {
    $cells[] = ["after$i", 'loc'];
}
$lock = $h->lock($cells);
var_dump($h->stats()['cells'] === $cap, $h->sellable(1, 'loc'), $h->check());
$lock->release();
holds_test_cleanup($name);
?>
--EXPECT--
worker errors: []
watcher problems: []
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
int(0)
int(0)
array(0) {
}
-- every cell is dead now: a lock of as many new cells as the segment holds succeeds
bool(true)
NULL
array(0) {
}
