--TEST--
Ledger: final, not cloneable, not serializable, no dynamic properties; level() checks its keys
--EXTENSIONS--
omnistock
--FILE--
<?php
$ledger = new Omnistock\Ledger();
var_dump((new ReflectionClass($ledger))->isFinal());
foreach ([
    fn () => clone $ledger,
    fn () => serialize($ledger),
    fn () => $ledger->dynamic = 1,
    fn () => $ledger->level('', 1),
    fn () => $ledger->level(1, ''),
] as $attempt) {
    try {
        $attempt();
        echo "allowed\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
bool(true)
Error: Trying to clone an uncloneable object of class Omnistock\Ledger
Exception: Serialization of 'Omnistock\Ledger' is not allowed
Error: Cannot create dynamic property Omnistock\Ledger::$dynamic
ValueError: Omnistock\Ledger::level(): Argument #1 ($product) must be an int or a non-empty string
ValueError: Omnistock\Ledger::level(): Argument #2 ($location) must be an int or a non-empty string
