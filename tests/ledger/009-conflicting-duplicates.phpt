--TEST--
Ledger: an id reused for a different change is not applied and is listed in conflicts
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'e1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 5],
    ['id' => 'e2', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 2, 'at' => 5, 'to' => 2],
]);
$variants = [
    ['id' => 'e1', 'product' => 2, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 5],  // other product
    ['id' => 'e1', 'product' => 1, 'location' => 3, 'kind' => 'adjust', 'qty' => -1, 'at' => 5],  // other location
    ['id' => 'e1', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 1, 'at' => 5],     // other kind
    ['id' => 'e1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 5],  // other qty
    ['id' => 'e1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 6],  // other time
    ['id' => 'e2', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 2, 'at' => 5, 'to' => 3], // other destination
    ['id' => 'e2', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 2, 'at' => 5, 'to' => '2'], // the same
];
$r = $ledger->apply($variants);
echo $r['applied'], ' ', $r['duplicates'], ' ', implode(',', $r['conflicts']), "\n";
echo json_encode($ledger->levels()), "\n";
?>
--EXPECT--
0 7 e1,e1,e1,e1,e1,e2
[{"product":1,"location":1,"on_hand":-3,"committed":0},{"product":1,"location":2,"on_hand":2,"committed":0}]
