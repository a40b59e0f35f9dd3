--TEST--
Holds: a segment full of dead cells recovers (idle cells are reclaimed, and are new cells when used again); cells with holds or locks are never reclaimed, so a segment of live cells stays full and consistent
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
use Omnistock\SegmentFull;

/** Adds $count cells "$prefix$i" with base $base, then leaves them unlocked. */
function fill(Holds $h, string $prefix, int $count, int $base): void
{
    $cells = [];
    for ($i = 0; $i < $count; $i++) {
        $cells[] = ["$prefix$i", 'loc'];
    }
    $lock = $h->lock($cells);
    foreach ($cells as [$p, $l]) {
        $lock->setSellable($p, $l, $base);
    }
    $lock->release();
}

$name = holds_test_name('reclaim');
$h = new Holds($name);
$cap = $h->stats()['cells_capacity'];
$last = 'dead' . ($cap - 1);

echo "-- a segment full of dead cells\n";
fill($h, 'dead', $cap, 5);
var_dump($h->stats()['cells'] === $cap, $h->sellable($last, 'loc'));
usleep(5000);

echo "-- a process that keeps idle cells for 300 s reclaims none of them\n";
$child = holds_child(<<<PHP
try {
    (new Omnistock\\Holds('$name'))->lock([['fresh', 'loc']]);
    echo "locked\\n";
} catch (Omnistock\\SegmentFull \$e) {
    echo get_class(\$e), "\\n";
}
PHP, ['omnistock.holds_cell_idle_seconds' => 300]);
echo holds_child_finish($child);
var_dump($h->stats()['cells_reclaimed']);

echo "-- with 0 s, a new cell reclaims them\n";
$lock = $h->lock([['new', 'loc']]);
$lock->setSellable('new', 'loc', 50);
echo "-- the slot the new cell reused is not its old cell's, though this process cached it\n";
try {
    $lock->setSellable($last, 'loc', 1);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
$lock->release();
$s = $h->stats();
var_dump($s['cells'], $s['cells_reclaimed'] === $cap, $h->check());
var_dump($h->sellable($last, 'loc'), $h->held($last, 'loc'), $h->sellable('new', 'loc'));

echo "-- a reclaimed cell is a new cell: unknown until its base is loaded again\n";
$r = $h->hold('cart', [[$last, 'loc', 1]], 600);
var_dump($r['ok'], $r['unknown']);
$lock = $h->lock([[$last, 'loc']]);
$lock->setSellable($last, 'loc', 5);
$lock->release();
var_dump($h->hold('cart', [[$last, 'loc', 1]], 600)['ok'], $h->sellable($last, 'loc'), $h->sellable('new', 'loc'), $h->check());

echo "-- cells with live holds, or locked, are never reclaimed: the segment stays full\n";
$name2 = holds_test_name('reclaim-live');
$g = new Holds($name2);
fill($g, 'live', $cap, 5);
for ($i = 0; $i < $cap - 1; $i++) {
    $g->hold("cart$i", [["live$i", 'loc', 2]], 600);
}
$kept = $g->lock([['live' . ($cap - 1), 'loc']]);
usleep(5000);
$before = $g->stats();
try {
    $g->lock([['one-more', 'loc']]);
} catch (SegmentFull $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($g->stats() == $before, $before['cells_reclaimed'], $g->held('live0', 'loc'), $g->sellable('live0', 'loc'), $g->check());

echo "-- once a hold is released and the lock too, their two cells can go\n";
$g->release('cart0');
$kept->release();
usleep(5000);
$lock = $g->lock([['one-more', 'loc'], ['and-another', 'loc']]);
$s = $g->stats();
var_dump($s['cells'] === $cap, $s['cells_reclaimed'], $g->sellable('live0', 'loc'), $g->held('live1', 'loc'), $g->sellable('live1', 'loc'), $g->check());
try {
    $g->lock([['a-third', 'loc']]);
} catch (SegmentFull $e) {
    echo "full again\n";
}
$lock->release();
var_dump($g->check());
holds_test_cleanup($name, $name2);
?>
--EXPECTF--
-- a segment full of dead cells
bool(true)
int(5)
-- a process that keeps idle cells for 300 s reclaims none of them
Omnistock\SegmentFull
int(0)
-- with 0 s, a new cell reclaims them
-- the slot the new cell reused is not its old cell's, though this process cached it
Omnistock\CellLock::setSellable(): Argument #1 ($product) and argument #2 ($location) name a cell this CellLock does not hold
int(1)
bool(true)
array(0) {
}
NULL
int(0)
int(50)
-- a reclaimed cell is a new cell: unknown until its base is loaded again
bool(false)
array(1) {
  [0]=>
  array(2) {
    ["product"]=>
    string(%d) "dead%d"
    ["location"]=>
    string(3) "loc"
  }
}
bool(true)
int(4)
int(50)
array(0) {
}
-- cells with live holds, or locked, are never reclaimed: the segment stays full
Omnistock\SegmentFull: The holds segment "phpt-reclaim-live-%d" is full: 1 cells wanted, 0 of 83 free (omnistock.holds_size is 65536 bytes; raise it and recreate the segment)
bool(true)
int(0)
int(2)
int(3)
array(0) {
}
-- once a hold is released and the lock too, their two cells can go
bool(true)
int(2)
NULL
int(2)
int(3)
array(0) {
}
full again
array(0) {
}
