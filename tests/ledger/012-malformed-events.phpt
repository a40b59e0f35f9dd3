--TEST--
Ledger: a malformed event throws ValueError naming its index and field
--EXTENSIONS--
omnistock
--FILE--
<?php
$good = ['id' => 'x', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => 0];
$cases = [
    'not an array' => 'x',
    'no id' => array_diff_key($good, ['id' => 0]),
    'empty id' => ['id' => ''] + $good,
    'int id' => ['id' => 5] + $good,
    'id of 201 bytes' => ['id' => str_repeat('i', 201)] + $good,
    'no product' => array_diff_key($good, ['product' => 0]),
    'float product' => ['product' => 1.5] + $good,
    'empty product' => ['product' => ''] + $good,
    'null location' => ['location' => null] + $good,
    'array location' => ['location' => [1]] + $good,
    'no kind' => array_diff_key($good, ['kind' => 0]),
    'unknown kind' => ['kind' => 'sell'] + $good,
    'kind in capitals' => ['kind' => 'ADJUST'] + $good,
    'no qty' => array_diff_key($good, ['qty' => 0]),
    'string qty' => ['qty' => '1'] + $good,
    'float qty' => ['qty' => 1.0] + $good,
    'zero adjust' => ['qty' => 0] + $good,
    'negative count' => ['kind' => 'count', 'qty' => -1] + $good,
    'zero commit' => ['kind' => 'commit', 'qty' => 0] + $good,
    'negative release' => ['kind' => 'release', 'qty' => -2] + $good,
    'zero transfer' => ['kind' => 'transfer', 'qty' => 0, 'to' => 2] + $good,
    'no at' => array_diff_key($good, ['at' => 0]),
    'negative at' => ['at' => -1] + $good,
    'string at' => ['at' => '2024-01-01'] + $good,
    'transfer without to' => ['kind' => 'transfer'] + $good,
    'transfer to itself' => ['kind' => 'transfer', 'to' => '1'] + $good,
    'transfer to a float' => ['kind' => 'transfer', 'to' => 2.0] + $good,
    'to on an adjust' => ['to' => 2] + $good,
];
$ledger = new Omnistock\Ledger();
foreach ($cases as $name => $event) {
    try {
        // The bad event is the third: its index is 2.
        $ledger->apply([$good, ['id' => 'y'] + $good, $event]);
        echo "$name: accepted\n";
    } catch (ValueError $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
try {
    $ledger->apply(['a' => $good]);
} catch (ValueError $e) {
    echo "keyed batch: ", $e->getMessage(), "\n";
}
// None of those batches left anything behind.
var_dump($ledger->levels());
?>
--EXPECT--
not an array: Omnistock\Ledger::apply(): Argument #1 ($events) event 2 must be an array, string given
no id: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "id" is missing
empty id: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "id" must be a non-empty string of at most 200 bytes
int id: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "id" must be a non-empty string of at most 200 bytes
id of 201 bytes: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "id" must be a non-empty string of at most 200 bytes
no product: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "product" is missing
float product: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "product" must be an int or a non-empty string
empty product: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "product" must be an int or a non-empty string
null location: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "location" must be an int or a non-empty string
array location: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "location" must be an int or a non-empty string
no kind: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "kind" is missing
unknown kind: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "kind" must be one of count, adjust, commit, release, transfer
kind in capitals: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "kind" must be one of count, adjust, commit, release, transfer
no qty: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" is missing
string qty: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be an int
float qty: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be an int
zero adjust: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must not be 0 for an adjust
negative count: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be greater than or equal to 0 for a count
zero commit: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be greater than 0 for a commit
negative release: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be greater than 0 for a release
zero transfer: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "qty" must be greater than 0 for a transfer
no at: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "at" is missing
negative at: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "at" must be an int greater than or equal to 0 (milliseconds)
string at: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "at" must be an int greater than or equal to 0 (milliseconds)
transfer without to: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "to" is missing (a transfer needs a destination location)
transfer to itself: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "to" must differ from "location"
transfer to a float: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "to" must be an int or a non-empty string
to on an adjust: Omnistock\Ledger::apply(): Argument #1 ($events) event 2: "to" is only allowed when "kind" is "transfer", not "adjust"
keyed batch: Omnistock\Ledger::apply(): Argument #1 ($events) must be a list of events
array(0) {
}
