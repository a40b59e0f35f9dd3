--TEST--
Ledger: seed() gives cells their state from elsewhere; apply() folds new events onto it as onto the whole ledger
--EXTENSIONS--
omnistock
--FILE--
<?php
// The whole history of two cells ...
$history = [
    ['id' => 'c1', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 10, 'at' => 100],
    ['id' => 'a1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 50],  // absorbed by c1
    ['id' => 'a2', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -3, 'at' => 200],
    ['id' => 't1', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 4, 'at' => 300, 'to' => 2],
    ['id' => 'm1', 'product' => 1, 'location' => 1, 'kind' => 'commit', 'qty' => 5, 'at' => 310],
];
// ... and what arrives now: a late count between a2 and t1, a sale, a replay, a conflict.
$new = [
    ['id' => 'c2', 'product' => 1, 'location' => 1, 'kind' => 'count', 'qty' => 20, 'at' => 250],
    ['id' => 'a3', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -1, 'at' => 400],
    ['id' => 'a2', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -3, 'at' => 200],
    ['id' => 'm1', 'product' => 1, 'location' => 1, 'kind' => 'commit', 'qty' => 6, 'at' => 310],
    ['id' => 'a4', 'product' => 1, 'location' => 2, 'kind' => 'adjust', 'qty' => 1, 'at' => 10],
];

$whole = new Omnistock\Ledger();
$whole->apply($history);
$expected = $whole->apply($new, true);

$seeded = new Omnistock\Ledger();
$seeded->seed([
    ['product' => 1, 'location' => 1, 'count' => ['id' => 'c1', 'at' => 100, 'qty' => 10],
     'adjusts' => [['at' => 200, 'qty' => -3], ['at' => 300, 'qty' => -4]], 'committed' => 5],
    ['product' => 1, 'location' => 2, 'adjusts' => [['at' => 300, 'qty' => 4]]],
], $history);
var_dump($seeded->state(1, 1), $seeded->state(1, 2), $seeded->state(1, 3));
$got = $seeded->apply($new, true);
var_dump($got === $expected);
print_r($got);
var_dump($seeded->levels() === $whole->levels());

// A known event of another cell, never seeded, is still a known id.
$r = $seeded->apply([['id' => 'a1', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => -2, 'at' => 50]]);
echo "a1 again: applied {$r['applied']}, duplicates {$r['duplicates']}, conflicts ", count($r['conflicts']), "\n";
$r = $seeded->apply([['id' => 't1', 'product' => 1, 'location' => 1, 'kind' => 'transfer', 'qty' => 4, 'at' => 300, 'to' => 3]]);
echo "t1 to another place: conflicts ", implode(',', $r['conflicts']), "\n";
?>
--EXPECT--
array(5) {
  ["product"]=>
  int(1)
  ["location"]=>
  int(1)
  ["on_hand"]=>
  int(3)
  ["committed"]=>
  int(5)
  ["count"]=>
  array(3) {
    ["id"]=>
    string(2) "c1"
    ["at"]=>
    int(100)
    ["qty"]=>
    int(10)
  }
}
array(5) {
  ["product"]=>
  int(1)
  ["location"]=>
  int(2)
  ["on_hand"]=>
  int(4)
  ["committed"]=>
  int(0)
  ["count"]=>
  NULL
}
NULL
bool(true)
Array
(
    [applied] => 3
    [duplicates] => 2
    [conflicts] => Array
        (
            [0] => m1
        )

    [changed] => Array
        (
            [0] => Array
                (
                    [0] => 1
                    [1] => 1
                )

            [1] => Array
                (
                    [0] => 1
                    [1] => 2
                )

        )

    [new] => Array
        (
            [0] => 0
            [1] => 1
            [2] => 4
        )

    [levels] => Array
        (
            [0] => Array
                (
                    [product] => 1
                    [location] => 1
                    [on_hand] => 15
                    [committed] => 5
                    [count] => Array
                        (
                            [id] => c2
                            [at] => 250
                            [qty] => 20
                        )

                )

            [1] => Array
                (
                    [product] => 1
                    [location] => 2
                    [on_hand] => 5
                    [committed] => 0
                    [count] => 
                )

        )

)
bool(true)
a1 again: applied 0, duplicates 1, conflicts 0
t1 to another place: conflicts t1
