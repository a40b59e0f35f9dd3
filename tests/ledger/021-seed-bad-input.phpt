--TEST--
Ledger: seed() refuses malformed cells and events, naming them, and changes nothing
--EXTENSIONS--
omnistock
--FILE--
<?php
$good = ['product' => 1, 'location' => 1, 'count' => ['id' => 'c', 'at' => 10, 'qty' => 3],
         'adjusts' => [['at' => 11, 'qty' => 1]], 'committed' => 2];
$event = ['id' => 'e', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => 0];
$cases = [
    'keyed cells' => [['a' => $good], []],
    'keyed known' => [[], ['a' => $event]],
    'cell not an array' => [[$good, 7], []],
    'no product' => [[array_diff_key($good, ['product' => 0])], []],
    'float location' => [[['location' => 1.5] + $good], []],
    'string committed' => [[['committed' => '2'] + $good], []],
    'count not an array' => [[['count' => 3] + $good], []],
    'count without id' => [[['count' => ['at' => 1, 'qty' => 1]] + $good], []],
    'count id too long' => [[['count' => ['id' => str_repeat('x', 201), 'at' => 1, 'qty' => 1]] + $good], []],
    'count at negative' => [[['count' => ['id' => 'c', 'at' => -1, 'qty' => 1]] + $good], []],
    'count qty a string' => [[['count' => ['id' => 'c', 'at' => 1, 'qty' => '1']] + $good], []],
    'adjusts keyed' => [[['adjusts' => ['x' => ['at' => 11, 'qty' => 1]]] + $good], []],
    'adjust of 0' => [[['adjusts' => [['at' => 11, 'qty' => 0]]] + $good], []],
    'adjust at the count' => [[['adjusts' => [['at' => 10, 'qty' => 1]]] + $good], []],
    'adjust without at' => [[['adjusts' => [['qty' => 1]]] + $good], []],
    'on_hand overflows' => [[['adjusts' => [['at' => 11, 'qty' => PHP_INT_MAX]]] + $good], []],
    'same cell twice' => [[$good, ['product' => '1'] + $good], []],
    'known event malformed' => [[$good], [$event, ['qty' => 0] + $event]],
    'known event not an array' => [[$good], ['x']],
];
$ledger = new Omnistock\Ledger();
foreach ($cases as $name => [$cells, $known]) {
    try {
        $ledger->seed($cells, $known);
        echo "$name: accepted\n";
    } catch (Omnistock\MalformedEvent $e) {
        echo "$name: MalformedEvent index ", $e->index, ' field ', var_export($e->field, true), ': ', $e->getMessage(), "\n";
    } catch (ValueError | Omnistock\StockOverflow $e) {
        echo "$name: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// Nothing was seeded: not the good cell before a bad one, not a known event.
var_dump($ledger->levels(), $ledger->apply([$event])['applied']);
// A cell is seeded once, before its events.
try {
    $ledger->seed([['product' => 1, 'location' => 1]]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
keyed cells: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) must be a list of cells
keyed known: ValueError: Omnistock\Ledger::seed(): Argument #2 ($known) must be a list of events
cell not an array: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 1 must be an array, int given
no product: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "product" must be an int or a non-empty string
float location: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "location" must be an int or a non-empty string
string committed: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "committed" must be an int
count not an array: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "count" must be null or an array {id, at, qty}
count without id: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "count" needs an "id": a non-empty string of at most 200 bytes
count id too long: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "count" needs an "id": a non-empty string of at most 200 bytes
count at negative: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "count" needs an "at": an int greater than or equal to 0
count qty a string: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "count" needs a "qty": an int
adjusts keyed: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "adjusts" must be a list of {at, qty}
adjust of 0: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "adjusts" must be a list of {at: int >= 0, qty: int != 0}
adjust at the count: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "adjusts" must all be later than the count (the count absorbed the others)
adjust without at: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0: "adjusts" must be a list of {at: int >= 0, qty: int != 0}
on_hand overflows: Omnistock\StockOverflow: Cell 0: its on_hand leaves the 64-bit integer range; nothing was seeded
same cell twice: ValueError: Omnistock\Ledger::seed(): Argument #1 ($cells) cell 1 is already known to this ledger (seed each cell once, before its events)
known event malformed: MalformedEvent index 1 field 'qty': Omnistock\Ledger::seed(): Argument #2 ($known) event 1: "qty" must not be 0 for an adjust
known event not an array: MalformedEvent index 0 field NULL: Omnistock\Ledger::seed(): Argument #2 ($known) event 0 must be an array, string given
array(0) {
}
int(1)
Omnistock\Ledger::seed(): Argument #1 ($cells) cell 0 is already known to this ledger (seed each cell once, before its events)
