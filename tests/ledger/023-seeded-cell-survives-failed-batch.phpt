--TEST--
Ledger: a failed batch on seeded cells (malformed event, overflow) leaves them as seeded plus the earlier batches
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->seed([
    ['product' => 1, 'location' => 1, 'count' => ['id' => 'c1', 'at' => 100, 'qty' => 10], 'adjusts' => [['at' => 150, 'qty' => -1]], 'committed' => 2],
    ['product' => 1, 'location' => 2, 'adjusts' => [['at' => 5, 'qty' => PHP_INT_MAX - 10]]],
]);
$ledger->apply([['id' => 'a1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 200]]);
$before = $ledger->levels();
try {
    $ledger->apply([
        ['id' => 'c2', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 50, 'at' => 300],
        ['id' => 'r1', 'product' => 1, 'location' => 1, 'kind' => 'release', 'qty' => 2, 'at' => 300],
        ['id' => 'bad', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 0, 'at' => 300],
    ]);
} catch (Omnistock\MalformedEvent $e) {
    echo "malformed: event {$e->index}\n";
}
try {
    $ledger->apply([
        ['id' => 'c3', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 1, 'at' => 400],
        ['id' => 't1', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 20, 'at' => 500, 'to' => 2],
    ]);
} catch (Omnistock\StockOverflow $e) {
    echo "overflow\n";
}
var_dump($ledger->levels() === $before);
echo json_encode($ledger->state(1, 1)), "\n";
// The seeded adjust at 150 is still there for a count between it and a1.
$ledger->apply([['id' => 'c4', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 30, 'at' => 120]]);
echo json_encode($ledger->state(1, 1)), "\n";
?>
--EXPECT--
malformed: event 2
overflow
bool(true)
{"product":1,"location":1,"on_hand":7,"committed":2,"count":{"id":"c1","at":100,"qty":10}}
{"product":1,"location":1,"on_hand":27,"committed":2,"count":{"id":"c4","at":120,"qty":30}}
