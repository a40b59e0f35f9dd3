--TEST--
Ledger: an event reads the same whatever the order, spelling or storage of its fields, and an event parsed ahead of its turn raises nothing early
--EXTENSIONS--
omnistock
--FILE--
<?php
// 40 events over a few cells, in the documented field order (the fast path reads them in place).
$events = [];
for ($i = 0; $i < 40; $i++) {
    $kind = ['adjust', 'count', 'commit', 'release', 'transfer'][$i % 5];
    $e = ['id' => "e$i", 'product' => 1 + $i % 3, 'location' => $i % 2 ? 'wh' : 'shop', 'kind' => $kind,
        'qty' => $kind === 'adjust' ? ($i % 4 ? -2 : 9) : 1 + $i % 7, 'at' => 1000 + ($i * 37) % 50];
    if ($kind === 'transfer') {
        $e['to'] = $e['location'] === 'wh' ? 'shop' : 'wh';
    }
    $events[] = $e;
}
$events[] = $events[3]; // a replay
$events[] = ['id' => 'e4', 'qty' => 99] + $events[4]; // a conflict

$run = function (array $batch): string {
    $ledger = new Omnistock\Ledger();
    $out = [];
    foreach (array_chunk($batch, 7) as $chunk) {
        $out[] = $ledger->apply($chunk, true);
    }
    $out[] = $ledger->levels();
    return serialize($out);
};
$want = $run($events);

// Keys made at run time (not the interned literals), kinds too: compared by content.
$rename = fn (array $e) => array_combine(array_map(fn ($k) => str_repeat($k[0], 1) . substr($k, 1), array_keys($e)),
    array_map(fn ($v) => is_string($v) ? str_repeat($v[0], 1) . substr($v, 1) : $v, array_values($e)));
$variants = [
    'reversed fields' => array_map(fn ($e) => array_reverse($e, true), $events),
    'to first' => array_map(fn ($e) => isset($e['to']) ? ['to' => $e['to']] + $e : $e, $events),
    'an extra field' => array_map(fn ($e) => $e + ['note' => 'x'], $events),
    'an extra field before to' => array_map(fn ($e) => isset($e['to']) ? array_diff_key($e, ['to' => 0]) + ['note' => 'x', 'to' => $e['to']] : $e, $events),
    'a hole in the event' => array_map(function ($e) { $e['gone'] = 1; unset($e['gone']); return $e; }, $events),
    'keys made at run time' => array_map($rename, $events),
    'references' => array_map(function ($e) { $q = $e['qty']; $e['qty'] = &$q; return $e; }, $events),
    'a list that is not packed' => (function () use ($events) { $l = ['x' => 1]; unset($l['x']); foreach ($events as $e) { $l[] = $e; } return $l; })(),
];
foreach ($variants as $name => $batch) {
    echo $name, ': ', $run($batch) === $want ? 'same' : 'DIFFERENT', "\n";
}

// The fold parses two events ahead of its turn; a malformed event found so is reported in its own
// turn, alone (no earlier exception chained to it), after the events before it were checked.
$good = fn ($i) => ['id' => "g$i", 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => $i];
foreach ([
    [$good(0), $good(1), ['qty' => 0] + $good(2), $good(3)],
    [$good(0), ['qty' => 'one'] + $good(1), $good(2), ['kind' => 'nope'] + $good(3), $good(4)],
    [$good(0), $good(1), $good(2), $good(3), ['at' => -1] + $good(4)],
] as $batch) {
    $ledger = new Omnistock\Ledger();
    try {
        $ledger->apply($batch);
        echo "applied\n";
    } catch (Omnistock\MalformedEvent $e) {
        echo "event $e->index, \"$e->field\", previous: ", var_export($e->getPrevious(), true), ", levels: ", count($ledger->levels()), "\n";
    }
}
?>
--EXPECT--
reversed fields: same
to first: same
an extra field: same
an extra field before to: same
a hole in the event: same
keys made at run time: same
references: same
a list that is not packed: same
event 2, "qty", previous: NULL, levels: 0
event 1, "qty", previous: NULL, levels: 0
event 4, "at", previous: NULL, levels: 0
