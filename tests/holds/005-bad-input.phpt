--TEST--
Holds: wrong segment names and malformed arguments are refused clearly and change nothing
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

function attempt(callable $f): void
{
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

echo "-- names\n";
foreach (['', 'a/b', '../etc', 'shop one', str_repeat('n', 65), "nul\0byte", 'ünï'] as $bad) {
    attempt(fn() => new Holds($bad));
}
$name = holds_test_name('bad-input');
$h = new Holds($name);
var_dump(file_exists(holds_test_path($name)), decoct(fileperms(holds_test_path($name)) & 0777));
$lock = $h->lock([[1, 'a']]);
$lock->setSellable(1, 'a', 3);
$lock->release();
$before = $h->stats();

echo "-- cells and lines\n";
attempt(fn() => $h->lock([]));
attempt(fn() => $h->lock(['x' => [1, 'a']]));
attempt(fn() => $h->lock([[1]]));
attempt(fn() => $h->lock([[1, '']]));
attempt(fn() => $h->lock([[1.5, 'a']]));
attempt(fn() => $h->lock([[1, str_repeat('l', 41)]]));
attempt(fn() => $h->lock([[1, 'a']], -1));
attempt(fn() => $h->lock(array_map(fn($p) => [$p, 'a'], range(1, 1025))));
$l600 = $h->lock(array_map(fn($p) => [$p, 'many'], range(1, 600)));
attempt(fn() => $h->lock(array_map(fn($p) => [$p, 'more'], range(1, 600))));
$l600->release();
attempt(fn() => $h->hold('k', [], 60));
attempt(fn() => $h->hold('k', [[1, 'a']], 60));
attempt(fn() => $h->hold('k', [[1, 'a', 1], [1, 'a', 0]], 60));
attempt(fn() => $h->hold('k', [[1, 'a', '1']], 60));
attempt(fn() => $h->hold('k', [[null, 'a', 1]], 60));
attempt(fn() => $h->hold('k', [[1, 'a', PHP_INT_MAX], [1, 'a', 1]], 60));
attempt(fn() => $h->hold('', [[1, 'a', 1]], 60));
attempt(fn() => $h->hold(str_repeat('k', 129), [[1, 'a', 1]], 60));
attempt(fn() => $h->sellable([], 'a'));
attempt(fn() => $h->held(1, ''));
attempt(fn() => $h->release(''));

echo "-- CellLock\n";
attempt(fn() => new Omnistock\CellLock());
$lock = $h->lock([[1, 'a']]);
attempt(fn() => clone $lock);
attempt(fn() => serialize($lock));
attempt(fn() => clone $h);
attempt(fn() => serialize($h));
attempt(fn() => $lock->setSellable(2, 'a', 1));
attempt(fn() => $h->lock([[1, 'a']], 10));
$h->hold('other-cell', [[1, 'a', 1]], 60);
$lock2 = $h->lock([[2, 'b']]);
$lock2->setSellable(2, 'b', 5);
$h->hold('two-cells', [[1, 'a', 1], [2, 'b', 1]], 60);
attempt(fn() => $lock2->settle('two-cells'));
$lock2->release();
$lock->release();
attempt(fn() => $lock->setSellable(1, 'a', 1));
attempt(fn() => $lock->settle('x'));
$h->release('other-cell');
$h->release('two-cells');

$after = $h->stats();
var_dump($after['created'] - $before['created'], $after['cells'] - $before['cells'] - 1200, $h->sellable(1, 'a'), $h->check());
holds_test_cleanup($name);
?>
--EXPECTF--
-- names
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
ValueError: Omnistock\Holds::__construct(): Argument #1 ($name) must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"
bool(true)
string(3) "600"
-- cells and lines
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) must be a non-empty list of [product, location]
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) must be a non-empty list of [product, location]
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) cell 0 must be a [product, location] list
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) cell 0: the location must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) cell 0: the product must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) cell 0: the location must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::lock(): Argument #2 ($timeoutMs) must be between 0 and 3600000
ValueError: Omnistock\Holds::lock(): Argument #1 ($cells) must list at most 1024 cells
Omnistock\Exception: This process would hold 1200 cell locks; at most 1024 can be held at once (split the stock mutation)
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) must be a non-empty list of [product, location, qty]
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) line 0 must be a [product, location, qty] list
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) line 1: the qty must be an int greater than 0
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) line 0: the qty must be an int greater than 0
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) line 0: the product must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::hold(): Argument #2 ($lines) line 1: the quantities of one cell add up beyond the int range
ValueError: Omnistock\Holds::hold(): Argument #1 ($key) must be between 1 and 128 bytes long
ValueError: Omnistock\Holds::hold(): Argument #1 ($key) must be between 1 and 128 bytes long
ValueError: Omnistock\Holds::sellable(): Argument #1 ($product) must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::held(): Argument #2 ($location) must be an int or a non-empty string of at most 40 bytes
ValueError: Omnistock\Holds::release(): Argument #1 ($key) must be between 1 and 128 bytes long
-- CellLock
Error: Call to private Omnistock\CellLock::__construct() from global scope
Error: Trying to clone an uncloneable object of class Omnistock\CellLock
Exception: Serialization of 'Omnistock\CellLock' is not allowed
Error: Trying to clone an uncloneable object of class Omnistock\Holds
Exception: Serialization of 'Omnistock\Holds' is not allowed
ValueError: Omnistock\CellLock::setSellable(): Argument #1 ($product) and argument #2 ($location) name a cell this CellLock does not hold
Omnistock\Exception: A cell of this lock is already locked by another CellLock of this process; release that one first
ValueError: Omnistock\CellLock::settle(): Argument #1 ($key) names a hold with units on a cell this CellLock does not hold
Error: This CellLock was released
Error: This CellLock was released
int(2)
int(1)
int(3)
array(0) {
}
