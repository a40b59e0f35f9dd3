--TEST--
Ledger: a level outside the 64-bit range is an error that applies nothing; intermediate sums may leave it
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$max = PHP_INT_MAX;
$ledger->apply([['id' => 'a', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => $max, 'at' => 1]]);
try {
    $ledger->apply([
        ['id' => 'ok', 'product' => 2, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => 1],
        ['id' => 'b', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => 2],
    ]);
} catch (Omnistock\StockOverflow $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
    var_dump($e instanceof Omnistock\Exception);
}
echo json_encode($ledger->levels()), "\n";

// Order does not matter: +max, +max, -max in one batch passes through 2*max on the way to max.
$ledger = new Omnistock\Ledger();
$r = $ledger->apply([
    ['id' => 'x1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => $max, 'at' => 1],
    ['id' => 'x2', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => $max, 'at' => 2],
    ['id' => 'x3', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -$max, 'at' => 3],
    ['id' => 'x4', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => PHP_INT_MIN, 'at' => 4],
    ['id' => 'x5', 'product' => 1, 'location' => 1, 'kind' => 'commit', 'qty' => $max, 'at' => 4],
]);
echo $r['applied'], ' ', json_encode($ledger->level(1, 1)), "\n";

// committed overflows too; the sellable sum of a product is checked as well.
try {
    $ledger->apply([['id' => 'x6', 'product' => 1, 'location' => 1, 'kind' => 'commit', 'qty' => 1, 'at' => 5]]);
} catch (Omnistock\StockOverflow $e) {
    echo "commit: overflow\n";
}
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'y1', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => $max, 'at' => 1],
    ['id' => 'y2', 'product' => 1, 'location' => 2, 'kind' => 'count', 'qty' => 1, 'at' => 1],
]);
var_dump($ledger->sellable([1]));
try {
    $ledger->sellable([1, 2]);
} catch (Omnistock\StockOverflow $e) {
    echo "sellable: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
Omnistock\StockOverflow: The levels of a cell would leave the 64-bit integer range; nothing was applied
bool(true)
[{"product":1,"location":1,"on_hand":9223372036854775807,"committed":0}]
5 {"on_hand":-1,"committed":9223372036854775807}
commit: overflow
array(1) {
  [1]=>
  int(9223372036854775807)
}
sellable: The sellable total of a product leaves the 64-bit integer range
