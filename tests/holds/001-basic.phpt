--TEST--
Holds: hold, sellable, held, release, unknown and short cells, settle, forget
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('basic');
$h = new Holds($name);

echo "-- a cell the segment does not know is unknown\n";
var_dump($h->sellable(7, 'store-a'), $h->held(7, 'store-a'));
$r = $h->hold('cart:1', [[7, 'store-a', 1]], 600);
var_dump($r['ok'], $r['unknown'], $r['short']);

echo "-- the base is set under lock(); \"7\" and 7 are one product\n";
$lock = $h->lock([[7, 'store-a'], ['7', 'store-b']]);
$lock->setSellable(7, 'store-a', 5);
$lock->setSellable(7, 'store-b', 1);
$lock->release();
$lock->release(); // nothing the second time
var_dump($h->sellable('7', 'store-a'), $h->sellable(7, 'store-b'));

echo "-- all or nothing\n";
$r = $h->hold('cart:1', [[7, 'store-a', 2], [7, 'store-b', 2]], 600);
var_dump($r['ok'], $r['short'], $h->held(7, 'store-a'));
$r = $h->hold('cart:1', [[7, 'store-a', 2], [7, 'store-b', 1]], 600);
var_dump($r['ok'], $h->sellable(7, 'store-a'), $h->sellable(7, 'store-b'), $h->held(7, 'store-a'));

echo "-- lines on one cell add up\n";
$r = $h->hold('cart:2', [[7, 'store-a', 1], ['7', 'store-a', 2]], 600);
var_dump($r['ok'], $h->held(7, 'store-a'), $h->sellable(7, 'store-a'));
$r = $h->hold('cart:3', [[7, 'store-a', 1]], 600);
var_dump($r['ok'], $r['short'][0]['sellable']);

echo "-- release\n";
var_dump($h->release('cart:2'), $h->release('cart:2'), $h->release('never'), $h->sellable(7, 'store-a'));

echo "-- settle: the units leave held and the base together\n";
$lock = $h->lock([[7, 'store-a'], [7, 'store-b']]);
var_dump($lock->settle('cart:1'), $lock->settle('cart:1'));
var_dump($h->sellable(7, 'store-a'), $h->held(7, 'store-a'), $h->sellable(7, 'store-b'));
echo "-- forget: unknown again\n";
$lock->forget(7, 'store-b');
var_dump($h->sellable(7, 'store-b'));
unset($lock); // released on destruction
$r = $h->hold('cart:4', [[7, 'store-b', 1], [7, 'store-a', 1]], 600);
var_dump($r['ok'], $r['unknown'], $h->held(7, 'store-a'));

echo "-- a negative base is an oversell, shown\n";
$lock = $h->lock([[7, 'store-b']]);
$lock->setSellable(7, 'store-b', -2);
$lock = null;
var_dump($h->sellable(7, 'store-b'));

echo "-- hold() inside our own lock() of the same cell\n";
$lock = $h->lock([[7, 'store-a']]);
var_dump($h->hold('cart:5', [[7, 'store-a', 1]], 600)['ok'], $h->held(7, 'store-a'));
$lock->release();

$s = $h->stats();
var_dump($s['cells'], $s['holds'], $s['units_held'], $s['created'], $s['released'], $s['settled'], $s['refused']);
var_dump($h->check());
holds_test_cleanup($name);
?>
--EXPECT--
-- a cell the segment does not know is unknown
NULL
int(0)
bool(false)
array(1) {
  [0]=>
  array(2) {
    ["product"]=>
    int(7)
    ["location"]=>
    string(7) "store-a"
  }
}
array(0) {
}
-- the base is set under lock(); "7" and 7 are one product
int(5)
int(1)
-- all or nothing
bool(false)
array(1) {
  [0]=>
  array(4) {
    ["product"]=>
    int(7)
    ["location"]=>
    string(7) "store-b"
    ["wanted"]=>
    int(2)
    ["sellable"]=>
    int(1)
  }
}
int(0)
bool(true)
int(3)
int(0)
int(2)
-- lines on one cell add up
bool(true)
int(5)
int(0)
bool(false)
int(0)
-- release
int(3)
int(0)
int(0)
int(3)
-- settle: the units leave held and the base together
int(3)
int(0)
int(3)
int(0)
int(0)
-- forget: unknown again
NULL
bool(false)
array(1) {
  [0]=>
  array(2) {
    ["product"]=>
    int(7)
    ["location"]=>
    string(7) "store-b"
  }
}
int(0)
-- a negative base is an oversell, shown
int(-2)
-- hold() inside our own lock() of the same cell
bool(true)
int(1)
int(2)
int(1)
int(1)
int(3)
int(1)
int(1)
int(4)
array(0) {
}
