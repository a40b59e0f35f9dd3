--TEST--
Ledger: apply(report: true) lists the events applied, and a cell whose latest count moved even when its levels did not
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->seed([['product' => 'p', 'location' => 'l', 'count' => ['id' => 'c1', 'at' => 10, 'qty' => 5]]]);
$r = $ledger->apply([['id' => 'c2', 'product' => 'p', 'location' => 'l', 'kind' => 'count', 'qty' => 5, 'at' => 20]], true);
echo count($r['changed']), " changed; levels: ", json_encode($r['levels']), "\n";
// An older count changes nothing, and is not reported.
$r = $ledger->apply([['id' => 'c0', 'product' => 'p', 'location' => 'l', 'kind' => 'count', 'qty' => 9, 'at' => 5]], true);
echo $r['applied'], " applied; levels: ", json_encode($r['levels']), "\n";
// Without $report there is no "levels" key.
$r = $ledger->apply([['id' => 'a1', 'product' => 'p', 'location' => 'l', 'kind' => 'adjust', 'qty' => 1, 'at' => 30]]);
var_dump(array_key_exists('levels', $r), $ledger->level('p', 'l'));
// "new": the indexes of the events applied; replays, in the batch or from before, are not.
$e = ['product' => 'p', 'location' => 'l', 'kind' => 'adjust', 'qty' => 1, 'at' => 40];
$r = $ledger->apply([['id' => 'b1'] + $e, ['id' => 'a1', 'at' => 30] + $e, ['id' => 'b1'] + $e, ['id' => 'b2'] + $e], true);
echo json_encode($r['new']), ' ', $r['applied'], "\n";
?>
--EXPECT--
0 changed; levels: [{"product":"p","location":"l","on_hand":5,"committed":0,"count":{"id":"c2","at":20,"qty":5}}]
1 applied; levels: []
bool(false)
array(2) {
  ["on_hand"]=>
  int(6)
  ["committed"]=>
  int(0)
}
[0,3] 2
