--TEST--
Holds: holds expire after their TTL and are reclaimed; extend() keeps one alive
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('expiry');
$h = new Holds($name);
$lock = $h->lock([[1, 'w']]);
$lock->setSellable(1, 'w', 10);
$lock->release();

var_dump($h->hold('short-lived', [[1, 'w', 3]], 1)['ok']);
var_dump($h->hold('kept', [[1, 'w', 4]], 1)['ok']);
var_dump($h->hold('long', [[1, 'w', 2]], 600)['ok']);
var_dump($h->sellable(1, 'w'));
usleep(600000);
var_dump($h->extend('kept', 2), $h->extend('missing', 2));
usleep(700000); // short-lived is past its second; kept was extended
var_dump($h->sellable(1, 'w'), $h->held(1, 'w'));
var_dump($h->release('short-lived'), $h->extend('short-lived', 10));
$s = $h->stats();
var_dump($s['holds'], $s['expired'], $s['lines']);
usleep(2100000);
var_dump($h->sellable(1, 'w'), $h->release('kept'));
$s = $h->stats();
var_dump($s['holds'], $s['expired'], $s['created'] === $s['holds'] + $s['expired'] + $s['released']);
var_dump($h->check());

echo "-- ttl bounds\n";
foreach ([0, -1, 31 * 86400 + 1] as $ttl) {
    try {
        $h->hold('x', [[1, 'w', 1]], $ttl);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
try {
    $h->extend('long', 0);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
holds_test_cleanup($name);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(1)
bool(true)
bool(false)
int(4)
int(6)
int(0)
bool(false)
int(2)
int(1)
int(2)
int(8)
int(0)
int(1)
int(2)
bool(true)
array(0) {
}
-- ttl bounds
Omnistock\Holds::hold(): Argument #3 ($ttlSeconds) must be between 1 and 2678400 seconds
Omnistock\Holds::hold(): Argument #3 ($ttlSeconds) must be between 1 and 2678400 seconds
Omnistock\Holds::hold(): Argument #3 ($ttlSeconds) must be between 1 and 2678400 seconds
Omnistock\Holds::extend(): Argument #2 ($ttlSeconds) must be between 1 and 2678400 seconds
