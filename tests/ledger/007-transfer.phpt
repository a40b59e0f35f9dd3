--TEST--
Ledger: a transfer is an adjust pair under one id, at one time, and counts at either end absorb their half
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$r = $ledger->apply([
    ['id' => 'c-wh', 'product' => 1, 'location' => 'wh', 'kind' => 'count', 'qty' => 50, 'at' => 100],
    ['id' => 'c-st', 'product' => 1, 'location' => 'store', 'kind' => 'count', 'qty' => 4, 'at' => 100],
    ['id' => 't1', 'product' => 1, 'location' => 'wh', 'kind' => 'transfer', 'qty' => 10, 'at' => 200, 'to' => 'store'],
]);
echo $r['applied'], ' ', $ledger->level(1, 'wh')['on_hand'], ' ', $ledger->level(1, 'store')['on_hand'], "\n";
// The store counted 14 at 200 (after the transfer arrived): its half is absorbed there only.
$ledger->apply([['id' => 'c-st-2', 'product' => 1, 'location' => 'store', 'kind' => 'count', 'qty' => 13, 'at' => 200]]);
echo $ledger->level(1, 'wh')['on_hand'], ' ', $ledger->level(1, 'store')['on_hand'], "\n";
// Replaying the transfer changes nothing.
$r = $ledger->apply([['id' => 't1', 'product' => 1, 'location' => 'wh', 'kind' => 'transfer', 'qty' => 10, 'at' => 200, 'to' => 'store']]);
echo $r['applied'], ' ', $r['duplicates'], ' ', count($r['conflicts']), ' ', $ledger->level(1, 'wh')['on_hand'], "\n";
?>
--EXPECT--
3 40 14
40 13
0 1 0 40
