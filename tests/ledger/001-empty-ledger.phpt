--TEST--
Ledger: an empty ledger has no levels, zeros for any cell, and an empty batch changes nothing
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
var_dump($ledger->levels());
var_dump($ledger->level(1, 'store'));
var_dump($ledger->sellable([1, 2]));
var_dump($ledger->apply([]));
var_dump($ledger->levels());
?>
--EXPECT--
array(0) {
}
array(2) {
  ["on_hand"]=>
  int(0)
  ["committed"]=>
  int(0)
}
array(0) {
}
array(4) {
  ["applied"]=>
  int(0)
  ["duplicates"]=>
  int(0)
  ["conflicts"]=>
  array(0) {
  }
  ["changed"]=>
  array(0) {
  }
}
array(0) {
}
