--TEST--
Holds: 16 processes hold, release and replace on hot cells while another lowers and raises their bases under lock(); held never exceeds the base, and every counter adds up
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('contention');
$workers = 16;
$ops = holds_test_under_valgrind() ? 300 : 2000;
$changes = holds_test_under_valgrind() ? 60 : 300;
$stop = tempnam(sys_get_temp_dir(), 'holds-stop-');
unlink($stop);

$h = new Holds($name);
$cells = [[1, 'hot'], [2, 'hot'], [3, 'hot']];
$lock = $h->lock($cells);
foreach ($cells as [$p, $l]) {
    $lock->setSellable($p, $l, 12);
}
$lock->release();

$common = <<<PHP
\$h = new Omnistock\\Holds('$name');
\$cells = [[1, 'hot'], [2, 'hot'], [3, 'hot']];
\$violations = 0;
function oversold(Omnistock\\Holds \$h, array \$cells): int {
    \$n = 0;
    foreach (\$cells as [\$p, \$l]) {
        \$s = \$h->sellable(\$p, \$l);
        if (\$s !== null && \$s < 0) { \$n++; }
    }
    return \$n;
}

PHP;

$worker = $common . <<<PHP
mt_srand((int) \$argv[1]);
\$me = \$argv[1];
\$live = [];
\$c = ['created' => 0, 'replaced' => 0, 'released' => 0, 'refused' => 0, 'units_released' => 0, 'errors' => [], 'violations' => 0];
for (\$i = 0; \$i < $ops; \$i++) {
    \$key = "w\$me:" . mt_rand(0, 2);
    \$r = mt_rand(0, 9);
    if (\$r <= 5) {
        \$lines = [];
        foreach ((array) array_rand(\$cells, mt_rand(1, 2)) as \$j) {
            \$lines[] = [\$cells[(int) \$j][0], 'hot', mt_rand(1, 3)];
        }
        \$res = \$h->hold(\$key, \$lines, 600);
        if (\$res['ok']) {
            \$c['created']++;
            if (isset(\$live[\$key])) { \$c['replaced']++; }
            \$live[\$key] = array_sum(array_column(\$lines, 2));
        } else {
            \$c['refused']++;
            if (\$res['unknown']) { \$c['errors'][] = 'unknown cell'; }
            if (!\$res['short']) { \$c['errors'][] = 'refused without a short line'; }
        }
    } elseif (\$r <= 8) {
        \$u = \$h->release(\$key);
        if (\$u !== (\$live[\$key] ?? 0)) { \$c['errors'][] = "release gave \$u, expected " . (\$live[\$key] ?? 0); }
        if (\$u > 0) { \$c['released']++; \$c['units_released'] += \$u; }
        unset(\$live[\$key]);
    } else {
        if (\$h->extend(\$key, 600) !== isset(\$live[\$key])) { \$c['errors'][] = 'extend disagrees'; }
    }
    \$c['violations'] += oversold(\$h, \$cells);
}
foreach (\$live as \$key => \$units) {
    \$u = \$h->release(\$key);
    if (\$u !== \$units) { \$c['errors'][] = "final release gave \$u, expected \$units"; }
    \$c['released']++;
    \$c['units_released'] += \$u;
}
echo json_encode(\$c), "\\n";
PHP;

$changer = $common . <<<PHP
mt_srand(4242);
\$c = ['changes' => 0, 'lowered' => 0, 'errors' => [], 'violations' => 0];
for (\$i = 0; \$i < $changes; \$i++) {
    \$lock = \$h->lock(\$cells, 2000);
    foreach (\$cells as [\$p, \$l]) {
        \$held = \$h->held(\$p, \$l);
        \$was = \$h->sellable(\$p, \$l) + \$held;
        usleep(50); // the database write of a stock mutation
        // Under the lock held can only fall: a base no lower than it now is never an oversell.
        \$base = \$held + (mt_rand(0, 3) ? mt_rand(0, 4) : mt_rand(10, 30));
        \$lock->setSellable(\$p, \$l, \$base);
        \$c['lowered'] += \$base < \$was;
        \$c['changes']++;
    }
    \$c['violations'] += oversold(\$h, \$cells);
    \$lock->release();
    usleep(300);
}
echo json_encode(\$c), "\\n";
PHP;

$watcher = $common . <<<PHP
\$c = ['steps' => 0, 'checks' => 0, 'problems' => [], 'violations' => 0];
while (!file_exists('$stop')) {
    \$c['violations'] += oversold(\$h, \$cells);
    if (++\$c['steps'] % 50 === 0) {
        \$c['problems'] = array_merge(\$c['problems'], \$h->check());
        \$c['checks']++;
    }
}
echo json_encode(\$c), "\\n";
PHP;

$watch = holds_child($watcher);
$change = holds_child($changer);
$kids = [];
$scripts = [];
for ($i = 0; $i < $workers; $i++) {
    // Each worker gets its id as argv[1] through a tiny wrapper.
    $kids[] = holds_child("\$argv[1] = '$i';\n" . $worker);
}
$totals = ['created' => 0, 'replaced' => 0, 'released' => 0, 'refused' => 0, 'units_released' => 0, 'violations' => 0];
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
$ch = json_decode(trim($out = holds_child_finish($change)), true) ?? ['errors' => ["changer: $out"], 'violations' => 0, 'changes' => 0, 'lowered' => 0];
touch($stop);
$wa = json_decode(trim($out = holds_child_finish($watch)), true) ?? ['problems' => ["watcher: $out"], 'violations' => 0, 'steps' => 0, 'checks' => 0];
unlink($stop);

echo "worker errors: ", json_encode(array_slice(array_merge($errors, $ch['errors']), 0, 5)), "\n";
echo "oversold cells seen by workers, changer, watcher: {$totals['violations']}, {$ch['violations']}, {$wa['violations']}\n";
echo "watcher problems: ", json_encode(array_slice($wa['problems'], 0, 5)), "\n";
var_dump($wa['steps'] > 0, $wa['checks'] > 0, $ch['changes'] === 3 * $changes, $ch['lowered'] > 0);
var_dump($totals['created'] > $workers, $totals['refused'] > 0, $totals['replaced'] > 0);

$s = $h->stats();
echo "-- the segment's counters match what the processes saw\n";
var_dump($s['created'] === $totals['created'], $s['replaced'] === $totals['replaced'],
    $s['released'] === $totals['released'], $s['refused'] === $totals['refused']);
var_dump($s['holds'], $s['lines'], $s['units_held'], $s['expired'], $s['abandoned'], $s['recovered_locks']);
var_dump($h->check());
holds_test_cleanup($name);
?>
--EXPECT--
worker errors: []
oversold cells seen by workers, changer, watcher: 0, 0, 0
watcher problems: []
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
-- the segment's counters match what the processes saw
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
int(0)
int(0)
int(0)
int(0)
int(0)
array(0) {
}
