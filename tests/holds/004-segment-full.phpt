--TEST--
Holds: a full segment throws SegmentFull with the sizes and changes nothing; freed room is reused
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=64K
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;
use Omnistock\SegmentFull;

$name = holds_test_name('full');
$h = new Holds($name);
$cap = $h->stats();
printf("capacity: %d cells, %d holds, %d lines in %d bytes\n",
    $cap['cells_capacity'], $cap['holds_capacity'], $cap['lines_capacity'], $cap['bytes_total']);

$cells = [];
for ($p = 0; $p < 20; $p++) {
    $cells[] = [$p, 'loc'];
}
$lock = $h->lock($cells);
foreach ($cells as [$p, $l]) {
    $lock->setSellable($p, $l, 1000000);
}
$lock->release();

echo "-- hold slots run out\n";
$made = 0;
try {
    for ($i = 0; $i < 10000; $i++) {
        $h->hold("one-line:$i", [[0, 'loc', 1]], 600);
        $made++;
    }
} catch (SegmentFull $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
    var_dump($e instanceof Omnistock\Exception);
}
var_dump($made === $cap['holds_capacity']);
$before = $h->stats();
try {
    $h->hold('one-more', [[0, 'loc', 1]], 600);
} catch (SegmentFull $e) {
    echo "again\n";
}
$after = $h->stats();
unset($before['refused'], $after['refused']);
var_dump($before == $after, $h->held(0, 'loc') === $made, $h->check());

echo "-- released room is reused\n";
var_dump($h->release('one-line:5'), $h->hold('one-more', [[0, 'loc', 1]], 600)['ok']);
for ($i = 0; $i < $made; $i++) {
    $h->release("one-line:$i");
}
$h->release('one-more');
var_dump($h->stats()['holds'], $h->stats()['lines']);

echo "-- hold lines run out\n";
$lines = array_map(fn($c) => [$c[0], $c[1], 1], $cells);
$made = 0;
try {
    for ($i = 0; $i < 1000; $i++) {
        $h->hold("twenty-lines:$i", $lines, 600);
        $made++;
    }
} catch (SegmentFull $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($made === intdiv($cap['lines_capacity'], 20), $h->held(3, 'loc') === $made, $h->check());

echo "-- cells run out: lock() adds none of them\n";
$many = [];
for ($p = 0; $p < $cap['cells_capacity'] + 5; $p++) {
    $many[] = ["p$p", 'new'];
}
try {
    $h->lock($many);
} catch (SegmentFull $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($h->stats()['cells'] === 20, $h->check());
holds_test_cleanup($name);
?>
--EXPECTF--
capacity: 83 cells, 147 holds, 852 lines in 65536 bytes
-- hold slots run out
Omnistock\SegmentFull: The holds segment "phpt-full-%d" is full: 1 hold slots wanted, 0 of 147 free (omnistock.holds_size is 65536 bytes; raise it and recreate the segment)
bool(true)
bool(true)
again
bool(true)
bool(true)
array(0) {
}
-- released room is reused
int(1)
bool(true)
int(0)
int(0)
-- hold lines run out
Omnistock\SegmentFull: The holds segment "phpt-full-%d" is full: 20 hold lines wanted, 12 of 852 free (omnistock.holds_size is 65536 bytes; raise it and recreate the segment)
bool(true)
bool(true)
array(0) {
}
-- cells run out: lock() adds none of them
Omnistock\SegmentFull: The holds segment "phpt-full-%d" is full: 88 cells wanted, 63 of 83 free (omnistock.holds_size is 65536 bytes; raise it and recreate the segment)
bool(true)
array(0) {
}
