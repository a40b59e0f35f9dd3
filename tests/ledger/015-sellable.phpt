--TEST--
Ledger: sellable sums max(on_hand - committed - safety, 0) over the listed locations, for every known product
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => '1', 'product' => 'shirt', 'location' => 'wh', 'kind' => 'count', 'qty' => 10, 'at' => 1],
    ['id' => '2', 'product' => 'shirt', 'location' => 'wh', 'kind' => 'commit', 'qty' => 3, 'at' => 1],
    ['id' => '3', 'product' => 'shirt', 'location' => 'store', 'kind' => 'count', 'qty' => 5, 'at' => 1],
    ['id' => '4', 'product' => 'shirt', 'location' => 'popup', 'kind' => 'count', 'qty' => 50, 'at' => 1],
    ['id' => '5', 'product' => 42, 'location' => 'wh', 'kind' => 'adjust', 'qty' => -4, 'at' => 1],   // oversold: counts as 0
    ['id' => '6', 'product' => 42, 'location' => 'store', 'kind' => 'count', 'qty' => 1, 'at' => 1],
    ['id' => '7', 'product' => 7, 'location' => 'popup', 'kind' => 'count', 'qty' => 9, 'at' => 1],   // only at an unlisted place
]);
var_dump($ledger->sellable(['wh', 'store'], ['store' => 2, 'elsewhere' => 100]));
var_dump($ledger->sellable(['wh']));
var_dump($ledger->sellable([]));
foreach ([[['wh', 1.5]], [['wh'], ['wh' => -1]], [['wh'], ['wh' => '2']], [['']]] as $args) {
    try {
        $ledger->sellable(...$args);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
array(3) {
  [7]=>
  int(0)
  [42]=>
  int(0)
  ["shirt"]=>
  int(10)
}
array(3) {
  [7]=>
  int(0)
  [42]=>
  int(0)
  ["shirt"]=>
  int(7)
}
array(3) {
  [7]=>
  int(0)
  [42]=>
  int(0)
  ["shirt"]=>
  int(0)
}
Omnistock\Ledger::sellable(): Argument #1 ($locations) must be a list of locations (int or non-empty string); element 1 is not
Omnistock\Ledger::sellable(): Argument #2 ($safety) must map locations to ints >= 0; "wh" does not
Omnistock\Ledger::sellable(): Argument #2 ($safety) must map locations to ints >= 0; "wh" does not
Omnistock\Ledger::sellable(): Argument #1 ($locations) must be a list of locations (int or non-empty string); element 0 is not
