--TEST--
Ledger: products and locations are normalised like PHP array keys ("7" is 7, "07" is not)
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'a', 'product' => 7, 'location' => 'store', 'kind' => 'adjust', 'qty' => 1, 'at' => 1],
    ['id' => 'b', 'product' => '7', 'location' => 'store', 'kind' => 'adjust', 'qty' => 1, 'at' => 1],
    ['id' => 'c', 'product' => '07', 'location' => 'store', 'kind' => 'adjust', 'qty' => 1, 'at' => 1],
    ['id' => 'd', 'product' => '-3', 'location' => '12', 'kind' => 'adjust', 'qty' => 1, 'at' => 1],
]);
var_dump($ledger->level('7', 'store')['on_hand'], $ledger->level(-3, 12)['on_hand']);
foreach ($ledger->levels() as $cell) {
    var_dump($cell['product'], $cell['location']);
}
?>
--EXPECT--
int(2)
int(1)
int(-3)
int(12)
int(7)
string(5) "store"
string(2) "07"
string(5) "store"
