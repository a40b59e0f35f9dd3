--TEST--
Holds: a hold under the same key replaces the old one atomically; a refused one changes nothing
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('replace');
$h = new Holds($name);
$lock = $h->lock([[1, 'a'], [2, 'a'], [3, 'a']]);
$lock->setSellable(1, 'a', 5);
$lock->setSellable(2, 'a', 5);
$lock->setSellable(3, 'a', 5);
$lock->release();

var_dump($h->hold('cart', [[1, 'a', 4], [2, 'a', 1]], 600)['ok']);
var_dump($h->hold('other', [[1, 'a', 1]], 600)['ok']);
echo "-- the cart's own units count as available to its new version\n";
var_dump($h->sellable(1, 'a'));
var_dump($h->hold('cart', [[1, 'a', 4], [3, 'a', 2]], 600)['ok']);
var_dump($h->held(1, 'a'), $h->held(2, 'a'), $h->held(3, 'a'));
echo "-- a refused replacement leaves the old hold as it was\n";
$r = $h->hold('cart', [[1, 'a', 5], [3, 'a', 1]], 600);
var_dump($r['ok'], $r['short'][0]['wanted'], $r['short'][0]['sellable']);
var_dump($h->held(1, 'a'), $h->held(2, 'a'), $h->held(3, 'a'));
echo "-- shrinking\n";
var_dump($h->hold('cart', [[2, 'a', 1]], 600)['ok']);
var_dump($h->held(1, 'a'), $h->held(2, 'a'), $h->held(3, 'a'), $h->release('cart'));
$s = $h->stats();
var_dump($s['created'], $s['replaced'], $s['refused'], $s['holds'], $s['lines']);
var_dump($h->check());
holds_test_cleanup($name);
?>
--EXPECT--
bool(true)
bool(true)
-- the cart's own units count as available to its new version
int(0)
bool(true)
int(5)
int(0)
int(2)
-- a refused replacement leaves the old hold as it was
bool(false)
int(5)
int(4)
int(5)
int(0)
int(2)
-- shrinking
bool(true)
int(1)
int(1)
int(0)
int(1)
int(4)
int(2)
int(1)
int(1)
int(1)
array(0) {
}
