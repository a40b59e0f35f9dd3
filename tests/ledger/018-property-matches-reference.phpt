--TEST--
Ledger: for random event sets, any arrival order and any batch split give the levels of the reference rules
--DESCRIPTION--
Property test against tests/lib/ReferenceLedger.php (the rules of DESIGN.md in plain PHP). Each
round draws events over a few hot cells (counts, adjusts, commits, releases, transfers, equal
times, replayed ids), then applies them in three arrival orders and random batch splits. The
extension must agree with the reference on every result and on levels() and sellable(), and its
levels must not depend on order or split. Seeds are fixed, so a failure reproduces.
--EXTENSIONS--
omnistock
--FILE--
<?php
require __DIR__ . '/../lib/ReferenceLedger.php';
use Omnistock\Tests\ReferenceLedger;

$rounds = getenv('USE_ZEND_ALLOC') === '0' ? 60 : 400; // fewer under valgrind
$checked = 0;
for ($seed = 1; $seed <= $rounds; $seed++) {
    mt_srand($seed);
    $products = [1, 2, '3', 'sku-4'];
    $locations = ['wh', 'store', 7];
    $events = [];
    $n = mt_rand(1, 60);
    for ($i = 0; $i < $n; $i++) {
        $kind = ['count', 'adjust', 'adjust', 'adjust', 'commit', 'release', 'transfer'][mt_rand(0, 6)];
        $event = [
            'id' => 'e' . mt_rand(0, 2 * $n),         // collisions make some events replays of others
            'product' => $products[mt_rand(0, 3)],
            'location' => $locations[mt_rand(0, 2)],
            'kind' => $kind,
            'qty' => match ($kind) {
                'count' => mt_rand(0, 50),
                'adjust' => mt_rand(0, 1) ? mt_rand(1, 9) : -mt_rand(1, 9),
                default => mt_rand(1, 9),
            },
            'at' => mt_rand(0, 20) * 100,             // coarse times: many ties
        ];
        if ($kind === 'transfer') {
            $others = array_values(array_filter($locations, fn ($l) => $l !== $event['location']));
            $event['to'] = $others[mt_rand(0, 1)];
        }
        $events[] = $event;
    }
    // Replays of the same content must be duplicates, never conflicts: make ids unique per content
    // for this property (conflicts have their own test) and add exact replays.
    $byId = [];
    foreach ($events as $i => $event) {
        $events[$i]['id'] .= '-' . md5(serialize($event));
        $byId[$events[$i]['id']] = $events[$i];
    }
    for ($r = mt_rand(0, 5); $r > 0 && $events; $r--) {
        $events[] = $events[mt_rand(0, count($events) - 1)];
    }

    $expected = null;
    foreach (['as drawn', 'reversed', 'shuffled'] as $order) {
        $sequence = match ($order) {
            'as drawn' => $events,
            'reversed' => array_reverse($events),
            'shuffled' => (function ($e) { shuffle($e); return $e; })($events),
        };
        $ledger = new Omnistock\Ledger();
        $reference = new ReferenceLedger();
        $applied = 0;
        // Random batch split.
        for ($at = 0; $at < count($sequence);) {
            $size = mt_rand(1, 12);
            $batch = array_slice($sequence, $at, $size);
            $at += $size;
            $got = $ledger->apply($batch);
            $want = $reference->apply($batch);
            if ($got !== $want) {
                echo "seed $seed ($order): apply() differs\n", json_encode($batch), "\n", json_encode($got), "\n", json_encode($want), "\n";
                exit(1);
            }
            $applied += $got['applied'];
        }
        $levels = $ledger->levels();
        if ($levels !== $reference->levels()) {
            echo "seed $seed ($order): levels differ\n", json_encode($levels), "\n", json_encode($reference->levels()), "\n";
            exit(1);
        }
        $sellable = $ledger->sellable(['wh', 7], ['wh' => 3]);
        if ($sellable !== $reference->sellable(['wh', 7], ['wh' => 3])) {
            echo "seed $seed ($order): sellable differs\n";
            exit(1);
        }
        if ($applied !== count($byId)) {
            echo "seed $seed ($order): applied $applied of ", count($byId), " distinct events\n";
            exit(1);
        }
        $expected ??= $levels;
        if ($levels !== $expected) {
            echo "seed $seed ($order): levels depend on the arrival order\n";
            exit(1);
        }
        $checked++;
    }
}
echo "checked $checked orderings, all equal\n";
?>
--EXPECTF--
checked %d orderings, all equal
