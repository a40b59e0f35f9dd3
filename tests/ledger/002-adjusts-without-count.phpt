--TEST--
Ledger: with no count, on_hand is the sum of every adjust, negative results included
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'receipt', 'product' => 10, 'location' => 1, 'kind' => 'adjust', 'qty' => 5, 'at' => 300],
    ['id' => 'sale-1', 'product' => 10, 'location' => 1, 'kind' => 'adjust', 'qty' => -3, 'at' => 100],
    ['id' => 'sale-2', 'product' => 10, 'location' => 1, 'kind' => 'adjust', 'qty' => -4, 'at' => 200],
]);
// 5 - 3 - 4: an oversell stays visible.
echo $ledger->level(10, 1)['on_hand'], "\n";
?>
--EXPECT--
-2
