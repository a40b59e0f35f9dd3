--TEST--
Ledger: a batch that fails part-way leaves every level, every known id and the next batch exactly as before
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
$ledger->apply([
    ['id' => 'c1', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 10, 'at' => 100],
    ['id' => 'a1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 5, 'at' => 200],
    ['id' => 'k1', 'product' => 1, 'location' => 1, 'kind' => 'commit', 'qty' => 2, 'at' => 200],
]);
$before = $ledger->levels();

$batch = [];
// A later count that would absorb a1, new cells, a transfer, ... then a broken event at the end.
$batch[] = ['id' => 'c2', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 3, 'at' => 300];
$batch[] = ['id' => 't1', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 1, 'at' => 400, 'to' => 9];
for ($i = 0; $i < 5000; $i++) {
    $batch[] = ['id' => "n$i", 'product' => "p$i", 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => $i];
}
$batch[] = ['id' => 'bad', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 0, 'at' => 1];
try {
    $ledger->apply($batch);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
var_dump($ledger->levels() === $before);

// The ids of the failed batch are not known: the same events, fixed, apply in full.
array_pop($batch);
$r = $ledger->apply($batch);
echo $r['applied'], ' ', $r['duplicates'], ' ', count($ledger->levels()), "\n";
echo json_encode($ledger->level(1, 1)), ' ', json_encode($ledger->level(1, 9)), "\n";
?>
--EXPECT--
Omnistock\Ledger::apply(): Argument #1 ($events) event 5002: "qty" must not be 0 for an adjust
bool(true)
5002 0 5002
{"on_hand":2,"committed":2} {"on_hand":1,"committed":0}
