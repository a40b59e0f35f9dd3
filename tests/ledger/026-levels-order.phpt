--TEST--
levels() and sellable() order cells by product then location, integers first (negative ones too), then strings in byte order
--EXTENSIONS--
omnistock
--FILE--
<?php
mt_srand(26);
$products = [0, 1, 2, 255, 256, 257, 65535, 65536, 1 << 40, -1, -2, -256, -257, PHP_INT_MAX, PHP_INT_MIN,
    'a', 'b', 'ab', 'B', 'sku-9', 'sku-10', '01', ' 7', '-0'];
$locations = [0, 3, -3, 1 << 33, 'wh', 'store-1', 'store-10', 'store-2', 'Z', 'zz', '007'];
$events = [];
$i = 0;
foreach ($products as $p) {
    foreach ($locations as $loc) {
        if (mt_rand(0, 3) === 0) {
            continue;
        }
        $events[] = ['id' => 'e' . $i++, 'product' => $p, 'location' => $loc, 'kind' => 'adjust', 'qty' => mt_rand(1, 9), 'at' => $i];
    }
}
// Many locations for one product: the ordering of a product's locations by comparison, too.
for ($k = 0; $k < 40; $k++) {
    $events[] = ['id' => 'm' . $k, 'product' => 42, 'location' => mt_rand(0, 1) ? "loc-$k" : $k * 7 - 100, 'kind' => 'adjust', 'qty' => 1, 'at' => 1];
}
shuffle($events);

$ledger = new Omnistock\Ledger();
$ledger->apply($events);
$levels = $ledger->levels();

$rank = fn ($k) => [is_string($k) ? 1 : 0, $k];
$expected = $levels;
usort($expected, function ($a, $b) use ($rank) {
    [$ta, $va] = $rank($a['product']);
    [$tb, $vb] = $rank($b['product']);
    if ($ta !== $tb) {
        return $ta <=> $tb;
    }
    $c = $ta ? strcmp($va, $vb) : $va <=> $vb;
    if ($c !== 0) {
        return $c;
    }
    [$ta, $va] = $rank($a['location']);
    [$tb, $vb] = $rank($b['location']);
    if ($ta !== $tb) {
        return $ta <=> $tb;
    }
    return $ta ? strcmp($va, $vb) : $va <=> $vb;
});
var_dump(count($levels), $levels === $expected);
$pairs = array_map(fn ($l) => [$l['product'], $l['location']], $levels);
var_dump(count(array_unique(array_map('serialize', $pairs))) === count($pairs));

// sellable() walks the same order: its keys come out integers ascending, then strings.
$all = array_merge($locations, array_map(fn ($k) => "loc-$k", range(0, 39)), array_map(fn ($k) => $k * 7 - 100, range(0, 39)));
$keys = array_keys($ledger->sellable(array_values(array_unique($all, SORT_REGULAR))));
$ints = array_values(array_filter($keys, 'is_int'));
$strs = array_values(array_filter($keys, 'is_string'));
$sortedInts = $ints;
sort($sortedInts);
$sortedStrs = $strs;
sort($sortedStrs, SORT_STRING);
var_dump($keys === array_merge($ints, $strs), $ints === $sortedInts, $strs === $sortedStrs);
var_dump(array_slice($ints, 0, 3) === [PHP_INT_MIN, -257, -256]);
?>
--EXPECTF--
int(%d)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
