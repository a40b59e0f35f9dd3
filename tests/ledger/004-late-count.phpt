--TEST--
Ledger: a count that arrives late lands at its own time, before adjusts that happened after it
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([['id' => 'sale', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 2000]]);
$ledger->apply([['id' => 'old-sale', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -9, 'at' => 500]]);
echo $ledger->level(1, 1)['on_hand'], "\n";
// The count taken at 1000 arrives last: it absorbs old-sale (500), not sale (2000).
$ledger->apply([['id' => 'count', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 30, 'at' => 1000]]);
echo $ledger->level(1, 1)['on_hand'], "\n";
// An older count arriving later still changes nothing.
$ledger->apply([['id' => 'older-count', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 99, 'at' => 900]]);
echo $ledger->level(1, 1)['on_hand'], "\n";
?>
--EXPECT--
-11
28
28
