--TEST--
Ledger: seeding cells from the state of a history, then applying the rest, gives what folding everything gives
--DESCRIPTION--
What the plugin does for every batch: its cells' state (latest count, adjusts after it, committed)
and the ids it knows live in the database; a fresh Ledger is seeded with them and folds only the
new events. For random histories split at a random point, the seeded ledger must return the same
results (applied, duplicates, conflicts, changed, reported levels) and end with the same levels as
a ledger that folded the whole history itself. Seeds are fixed, so a failure reproduces.
--EXTENSIONS--
omnistock
--FILE--
<?php
/** The state seed() takes, computed from a history in plain PHP. */
function state_of(array $history): array {
    $seen = [];
    $cells = [];
    $cell = function ($p, $l) use (&$cells) {
        $k = json_encode([$p, $l]);
        $cells[$k] ??= ['product' => $p, 'location' => $l, 'count' => null, 'legs' => [], 'committed' => 0];
        return $k;
    };
    foreach ($history as $e) {
        if (isset($seen[$e['id']])) {
            continue;
        }
        $seen[$e['id']] = $e;
        $k = $cell($e['product'], $e['location']);
        switch ($e['kind']) {
            case 'count':
                $c = $cells[$k]['count'];
                if ($c === null || $e['at'] > $c['at'] || ($e['at'] === $c['at'] && strcmp($e['id'], $c['id']) > 0)) {
                    $cells[$k]['count'] = ['id' => $e['id'], 'at' => $e['at'], 'qty' => $e['qty']];
                }
                break;
            case 'adjust': $cells[$k]['legs'][] = ['at' => $e['at'], 'qty' => $e['qty']]; break;
            case 'commit': $cells[$k]['committed'] += $e['qty']; break;
            case 'release': $cells[$k]['committed'] -= $e['qty']; break;
            case 'transfer':
                $cells[$k]['legs'][] = ['at' => $e['at'], 'qty' => -$e['qty']];
                $cells[$cell($e['product'], $e['to'])]['legs'][] = ['at' => $e['at'], 'qty' => $e['qty']];
                break;
        }
    }
    $out = [];
    foreach ($cells as $c) {
        $after = array_values(array_filter($c['legs'], fn ($a) => $c['count'] === null || $a['at'] > $c['count']['at']));
        shuffle($after); // seed() must not depend on their order
        $out[] = ['product' => $c['product'], 'location' => $c['location'], 'count' => $c['count'], 'adjusts' => $after, 'committed' => $c['committed']];
    }
    return [$out, array_values($seen)];
}

$rounds = getenv('USE_ZEND_ALLOC') === '0' ? 60 : 400;
for ($seed = 1; $seed <= $rounds; $seed++) {
    mt_srand($seed);
    $products = [1, 'sku-2'];
    $locations = ['wh', 'store', 7];
    $events = [];
    $n = mt_rand(1, 80);
    for ($i = 0; $i < $n; $i++) {
        $kind = ['count', 'adjust', 'adjust', 'adjust', 'commit', 'release', 'transfer'][mt_rand(0, 6)];
        $event = [
            'id' => 'e' . mt_rand(0, 2 * $n),  // reused ids: replays and conflicts
            'product' => $products[mt_rand(0, 1)],
            'location' => $locations[mt_rand(0, 2)],
            'kind' => $kind,
            'qty' => match ($kind) {
                'count' => mt_rand(0, 50),
                'adjust' => mt_rand(0, 1) ? mt_rand(1, 9) : -mt_rand(1, 9),
                default => mt_rand(1, 9),
            },
            'at' => mt_rand(0, 20) * 100,
        ];
        if ($kind === 'transfer') {
            $others = array_values(array_filter($locations, fn ($l) => $l !== $event['location']));
            $event['to'] = $others[mt_rand(0, 1)];
        }
        $events[] = $event;
        if (mt_rand(0, 9) === 0) {
            $events[] = $event; // an exact replay
        }
    }
    $split = mt_rand(0, count($events));
    $history = array_slice($events, 0, $split);
    $rest = array_slice($events, $split);

    $whole = new Omnistock\Ledger();
    $whole->apply($history);
    [$cells, $known] = state_of($history);
    $seeded = new Omnistock\Ledger();
    $seeded->seed($cells, $known);
    if ($seeded->levels() !== $whole->levels()) {
        echo "seed $seed: seeded levels differ from the history's\n";
        exit(1);
    }
    for ($at = 0; $at < count($rest);) {
        $size = mt_rand(1, 15);
        $batch = array_slice($rest, $at, $size);
        $at += $size;
        $want = $whole->apply($batch, true);
        $got = $seeded->apply($batch, true);
        if ($got !== $want) {
            echo "seed $seed: apply() differs\n", json_encode($batch), "\n", json_encode($got), "\n", json_encode($want), "\n";
            exit(1);
        }
    }
    if ($seeded->levels() !== $whole->levels()) {
        echo "seed $seed: levels differ\n";
        exit(1);
    }
    foreach ($whole->levels() as $l) {
        if ($seeded->state($l['product'], $l['location']) !== $whole->state($l['product'], $l['location'])) {
            echo "seed $seed: state of a cell differs\n";
            exit(1);
        }
    }
}
echo "$rounds histories: seeded and whole agree\n";
?>
--EXPECTF--
%d histories: seeded and whole agree
