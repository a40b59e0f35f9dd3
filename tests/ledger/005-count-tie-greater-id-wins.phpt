--TEST--
Ledger: between counts with the same time, the greater id in byte order wins, whatever the arrival order
--EXTENSIONS--
omnistock
--FILE--
<?php
$counts = [
    ['id' => 'count-b', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 20, 'at' => 1000],
    ['id' => 'count-a', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 10, 'at' => 1000],
    ['id' => 'count-B', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 30, 'at' => 1000],
    ['id' => 'count-b0', 'product' => 2, 'location' => 1, 'kind' => 'count', 'qty' => 5, 'at' => 7],
    ['id' => 'count-b', 'product' => 2, 'location' => 1, 'kind' => 'count', 'qty' => 6, 'at' => 7],
];
foreach ([[0, 1, 2], [2, 1, 0], [1, 0, 2]] as $order) {
    $ledger = new Omnistock\Ledger();
    foreach ($order as $i) {
        $ledger->apply([$counts[$i]]);
    }
    echo $ledger->level(1, 1)['on_hand'], ' ';
}
echo "\n";
// "count-b0" > "count-b" (a longer string with the same prefix is greater).
$ledger = new Omnistock\Ledger();
$ledger->apply([$counts[3]]);
$ledger->apply([['id' => 'count-b', 'product' => 2, 'location' => 1, 'kind' => 'count', 'qty' => 6, 'at' => 7]]);
echo $ledger->level(2, 1)['on_hand'], "\n";
?>
--EXPECT--
20 20 20 
5
