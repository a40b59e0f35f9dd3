--TEST--
Ledger: a count absorbs every adjust at or before its time; later adjusts apply on top
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'a1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 999],
    ['id' => 'a2', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 1000], // same time as the count: absorbed
    ['id' => 'c', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 40, 'at' => 1000],
    ['id' => 'a3', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -5, 'at' => 1001],
    ['id' => 'a4', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 7, 'at' => 5000],
]);
echo $ledger->level(1, 1)['on_hand'], "\n";
?>
--EXPECT--
42
