--TEST--
Ledger: Square's documented late offline sale lands before the physical count, in every arrival order
--DESCRIPTION--
https://developer.squareup.com/docs/inventory-api/how-it-works: the item starts with 100 units; at
13:10 a sale of 3 is recorded (97); at 13:20 an offline POS sells 2; at 13:30 a physical count says
90; at 13:35 the POS reconnects and sends its 13:20 sale, which lands before the count: still 90.
Then 2 units are written off as waste after the count: 88.
--EXTENSIONS--
omnistock
--FILE--
<?php
$ms = fn (string $hhmm) => strtotime("2024-05-01 $hhmm:00 UTC") * 1000;
$cell = ['product' => 'ITEM_VARIATION_1', 'location' => 'L1'];
$events = [
    ['id' => 'square:start', 'kind' => 'count', 'qty' => 100, 'at' => $ms('13:00')] + $cell,
    ['id' => 'square:sale-1310', 'kind' => 'adjust', 'qty' => -3, 'at' => $ms('13:10')] + $cell,
    ['id' => 'square:offline-1320', 'kind' => 'adjust', 'qty' => -2, 'at' => $ms('13:20')] + $cell,
    ['id' => 'square:count-1330', 'kind' => 'count', 'qty' => 90, 'at' => $ms('13:30')] + $cell,
];
$waste = ['id' => 'square:waste-1340', 'kind' => 'adjust', 'qty' => -2, 'at' => $ms('13:40')] + $cell;

function permutations(array $items): Generator {
    if (count($items) <= 1) {
        yield $items;
        return;
    }
    foreach ($items as $i => $item) {
        $rest = $items;
        unset($rest[$i]);
        foreach (permutations(array_values($rest)) as $p) {
            yield [$item, ...$p];
        }
    }
}

$results = [];
foreach (permutations([...$events, $waste]) as $order) {
    // One event per call, as they would arrive.
    $ledger = new Omnistock\Ledger();
    foreach ($order as $event) {
        $ledger->apply([$event]);
    }
    $results['one by one'][$ledger->level('ITEM_VARIATION_1', 'L1')['on_hand']] = true;
    // All in one batch.
    $ledger = new Omnistock\Ledger();
    $ledger->apply($order);
    $results['one batch'][$ledger->level('ITEM_VARIATION_1', 'L1')['on_hand']] = true;
}
foreach ($results as $how => $onHand) {
    echo $how, ': ', implode(',', array_keys($onHand)), "\n";
}

// The documented moment: the offline sale arrives last, after the count.
$ledger = new Omnistock\Ledger();
foreach ([0, 1, 3, 2] as $i) {
    $ledger->apply([$events[$i]]);
    echo $ledger->level('ITEM_VARIATION_1', 'L1')['on_hand'], ' ';
}
echo "\n";
?>
--EXPECT--
one by one: 88
one batch: 88
100 97 90 90 
