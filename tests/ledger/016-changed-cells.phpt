--TEST--
Ledger: "changed" lists the cells whose levels the batch changed, in first-touch order
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([['id' => 'c', 'product' => 1, 'location' => 'a', 'kind' => 'count', 'qty' => 5, 'at' => 100]]);
$r = $ledger->apply([
    ['id' => 'old', 'product' => 1, 'location' => 'a', 'kind' => 'adjust', 'qty' => 3, 'at' => 50],   // absorbed: no change
    ['id' => 't', 'product' => 2, 'location' => 'b', 'kind' => 'transfer', 'qty' => 1, 'at' => 1, 'to' => 'c'],
    ['id' => 'k', 'product' => 1, 'location' => 'a', 'kind' => 'commit', 'qty' => 1, 'at' => 200],
    ['id' => 'u', 'product' => 3, 'location' => 'a', 'kind' => 'adjust', 'qty' => 2, 'at' => 1],
    ['id' => 'v', 'product' => 3, 'location' => 'a', 'kind' => 'adjust', 'qty' => -2, 'at' => 2],    // back to zero: no change
]);
echo json_encode($r['changed']), "\n";
?>
--EXPECT--
[[1,"a"],[2,"b"],[2,"c"]]
