--TEST--
Ledger: committed is commits minus releases and counts leave it alone
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'wc:order:1:1:commit', 'product' => 5, 'location' => 'wh', 'kind' => 'commit', 'qty' => 3, 'at' => 10],
    ['id' => 'wc:order:2:1:commit', 'product' => 5, 'location' => 'wh', 'kind' => 'commit', 'qty' => 2, 'at' => 20],
    ['id' => 'wc:order:1:1:release', 'product' => 5, 'location' => 'wh', 'kind' => 'release', 'qty' => 3, 'at' => 30],
    ['id' => 'count', 'product' => 5, 'location' => 'wh', 'kind' => 'count', 'qty' => 12, 'at' => 40],
]);
var_dump($ledger->level(5, 'wh'));
?>
--EXPECT--
array(2) {
  ["on_hand"]=>
  int(12)
  ["committed"]=>
  int(2)
}
