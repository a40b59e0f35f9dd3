--TEST--
Holds: a process killed (SIGKILL) inside hold(), with the segment locked and a replacement half written: the next lock() recovers, the cells are unknown, the old hold is intact, check() stays empty
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('crash-hold');
$h = new Holds($name);
$lock = $h->lock([[1, 'a'], [2, 'a'], [3, 'a']]);
foreach ([1, 2, 3] as $p) {
    $lock->setSellable($p, 'a', 10);
}
$lock->release();
var_dump($h->hold('cart', [[1, 'a', 4]], 600)['ok']);
var_dump($h->hold('bystander', [[3, 'a', 1]], 600)['ok']);

// The child replaces 'cart' and is paused inside hold(), after writing the new hold and before
// committing it, with the segment locked.
$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
echo "holding\\n";
\$h->hold('cart', [[1, 'a', 6], [2, 'a', 5]], 600);
echo "not killed\\n";
PHP, ['omnistock.holds_test_pause_ms' => 60000]);
echo holds_child_line($child[2]), "\n";
// Wait until the child is inside hold(): the segment then stays locked.
for ($try = 0; $try < 100; $try++) {
    try {
        $h->held(3, 'a');
        usleep(100000);
    } catch (Omnistock\LockTimeout $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
        break;
    }
}
holds_child_kill($child);

echo "-- the next lock() recovers, within its timeout\n";
$t = microtime(true);
$lock = $h->lock([[1, 'a'], [2, 'a']], 2000);
var_dump(microtime(true) - $t < 2.0);
var_dump($h->sellable(1, 'a'), $h->sellable(2, 'a'), $h->sellable(3, 'a'));
echo "-- the half-written replacement is gone, the old hold intact\n";
var_dump($h->held(1, 'a'), $h->held(2, 'a'), $h->held(3, 'a'));
$s = $h->stats();
var_dump($s['holds'], $s['lines'], $s['created'], $s['abandoned'], $s['recovered_locks'], $s['cells_stale']);
var_dump($h->check());

echo "-- reloaded, the segment works on\n";
$lock->setSellable(1, 'a', 10);
$lock->setSellable(2, 'a', 10);
$lock->release();
var_dump($h->hold('cart', [[1, 'a', 6], [2, 'a', 5]], 600)['ok'], $h->held(1, 'a'), $h->sellable(2, 'a'));
var_dump($h->release('cart'), $h->release('bystander'), $h->check());
holds_test_cleanup($name);
?>
--EXPECTF--
bool(true)
bool(true)
holding
Omnistock\LockTimeout: The holds segment "phpt-crash-hold-%d" stayed locked for more than 2000 ms
-- the next lock() recovers, within its timeout
bool(true)
NULL
NULL
int(9)
-- the half-written replacement is gone, the old hold intact
int(4)
int(0)
int(1)
int(2)
int(2)
int(3)
int(1)
int(1)
int(2)
array(0) {
}
-- reloaded, the segment works on
bool(true)
int(6)
int(5)
int(11)
int(1)
array(0) {
}
