--TEST--
Ledger: an id applied twice changes nothing the second time, in one batch or across calls
--EXTENSIONS--
omnistock
--FILE--
<?php
$sale = ['id' => 'pos:9b2f:1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 5];
$ledger = new Omnistock\Ledger();
$r = $ledger->apply([$sale, $sale, $sale]);
echo $r['applied'], ' ', $r['duplicates'], ' ', $ledger->level(1, 1)['on_hand'], "\n";
$r = $ledger->apply([$sale]);
echo $r['applied'], ' ', $r['duplicates'], ' ', count($r['changed']), ' ', $ledger->level(1, 1)['on_hand'], "\n";
// The same content under an equal id spelled with a numeric-string product is still the same event.
$r = $ledger->apply([['product' => '1', 'location' => '1'] + $sale]);
echo $r['applied'], ' ', $r['duplicates'], ' ', count($r['conflicts']), "\n";
?>
--EXPECT--
1 2 -1
0 1 0 -1
0 1 0
