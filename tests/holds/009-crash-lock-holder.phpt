--TEST--
Holds: a process killed (SIGKILL) while holding cell locks: the next lock() or hold() recovers them, the cells become unknown, check() stays empty
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('crash-lock');
$h = new Holds($name);
$lock = $h->lock([[1, 'a'], [2, 'a'], [3, 'a']]);
foreach ([1, 2, 3] as $p) {
    $lock->setSellable($p, 'a', 10);
}
$lock->release();
var_dump($h->hold('cart', [[1, 'a', 4], [3, 'a', 1]], 600)['ok']);

$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
\$lock = \$h->lock([[1, 'a'], [2, 'a']]);
\$lock->setSellable(2, 'a', 7);          // a stock mutation in progress...
\$h->hold('dead-cart', [[2, 'a', 2]], 1); // ...and a hold of its own, which must expire
echo "locked\\n";
sleep(60);
PHP);
echo holds_child_line($child[2]), "\n";

echo "-- the cells are locked by the child\n";
try {
    $h->lock([[1, 'a']], 50);
} catch (Omnistock\LockTimeout $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
holds_child_kill($child);

echo "-- a hold() that meets a dead lock recovers it: the cell is stale\n";
$t = microtime(true);
$r = $h->hold('probe', [[2, 'a', 1]], 600);
var_dump(microtime(true) - $t < 2.0, $r['ok'], $r['unknown'][0]['product'], $h->stats()['recovered_locks']);

echo "-- the next lock() recovers the other one, within its timeout\n";
$t = microtime(true);
$lock = $h->lock([[1, 'a'], [2, 'a'], [3, 'a']], 2000);
var_dump(microtime(true) - $t < 2.0);
var_dump($h->sellable(1, 'a'), $h->sellable(2, 'a'), $h->sellable(3, 'a'));
$s = $h->stats();
var_dump($s['recovered_locks'], $s['cells_stale'], $h->check());

echo "-- a stale cell refuses holds until it is reloaded\n";
$r = $h->hold('cart-2', [[1, 'a', 1]], 600);
var_dump($r['ok'], $r['unknown'][0]['product']);
$lock->setSellable(1, 'a', 10);
$lock->setSellable(2, 'a', 7);
$lock->release();
var_dump($h->hold('cart-2', [[1, 'a', 1]], 600)['ok'], $h->sellable(1, 'a'));

echo "-- the dead process's hold expires\n";
var_dump($h->held(2, 'a'));
usleep(1100000);
var_dump($h->held(2, 'a'), $h->sellable(2, 'a'));
$s = $h->stats();
var_dump($s['holds'], $s['expired'], $s['abandoned'], $s['cells_stale'], $h->check());
holds_test_cleanup($name);
?>
--EXPECTF--
bool(true)
locked
-- the cells are locked by the child
Omnistock\LockTimeout: Could not lock 1 cell of the holds segment "phpt-crash-lock-%d" within 50 ms
-- a hold() that meets a dead lock recovers it: the cell is stale
bool(true)
bool(false)
int(2)
int(1)
-- the next lock() recovers the other one, within its timeout
bool(true)
NULL
NULL
int(9)
int(2)
int(2)
array(0) {
}
-- a stale cell refuses holds until it is reloaded
bool(false)
int(1)
bool(true)
int(5)
-- the dead process's hold expires
int(2)
int(0)
int(7)
int(2)
int(1)
int(0)
int(0)
array(0) {
}
