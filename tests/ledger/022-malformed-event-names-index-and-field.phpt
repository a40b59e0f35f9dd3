--TEST--
Ledger: a malformed event is an Omnistock\MalformedEvent (a ValueError) with its index and field as properties
--EXTENSIONS--
omnistock
--FILE--
<?php
$good = ['id' => 'x', 'product' => 1, 'location' => 1, 'kind' => 'adjust', 'qty' => 1, 'at' => 0];
$ledger = new Omnistock\Ledger();
foreach ([
    [$good, ['id' => 'y', 'qty' => 0] + $good],
    [$good, ['id' => 'y'] + $good, ['id' => 'z', 'kind' => 'commit', 'qty' => -1] + $good],
    [['to' => 2] + $good],
    [3],
    [$good, ['id' => 'y', 'kind' => 'transfer'] + $good],
] as $batch) {
    try {
        $ledger->apply($batch);
    } catch (Omnistock\MalformedEvent $e) {
        var_dump($e instanceof ValueError, $e->index, $e->field);
    }
}
$e = new ReflectionProperty(Omnistock\MalformedEvent::class, 'index');
var_dump($e->isReadOnly());
try {
    $ledger->apply([$good, 'bad']);
} catch (Omnistock\MalformedEvent $e) {
    try {
        $e->index = 7;
    } catch (Error $e2) {
        echo get_class($e2), ': ', $e2->getMessage(), "\n";
    }
}
// Not an event at all: a plain ValueError.
try {
    $ledger->apply(['k' => $good]);
} catch (ValueError $e) {
    echo get_class($e), "\n";
}
var_dump($ledger->levels());
?>
--EXPECT--
bool(true)
int(1)
string(3) "qty"
bool(true)
int(2)
string(3) "qty"
bool(true)
int(0)
string(2) "to"
bool(true)
int(0)
NULL
bool(true)
int(1)
string(2) "to"
bool(true)
Error: Cannot modify readonly property Omnistock\MalformedEvent::$index
ValueError
array(0) {
}
