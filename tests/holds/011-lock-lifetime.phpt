--TEST--
Holds: a CellLock is released by release(), on destruction and at the end of the request (even when kept alive by a cycle), never left for crash recovery
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('lifetime');
$h = new Holds($name);
$lock = $h->lock([[1, 'a']]);
$lock->setSellable(1, 'a', 5);
unset($lock); // destruction releases
$lock = $h->lock([[1, 'a']], 0);
$lock->release();

echo "-- processes that end while holding locks, without a crash\n";
foreach ([
    'in a variable' => '$lock = $h->lock([[1, "a"]]);',
    'in a cycle' => '$o = new stdClass; $o->self = $o; $o->lock = $h->lock([[1, "a"]]); unset($o);',
    'after exit()' => '$lock = $h->lock([[1, "a"]]); exit(0);',
    'after a fatal error' => '$lock = $h->lock([[1, "a"]]); undefined_function();',
] as $how => $code) {
    $child = holds_child("\$h = new Omnistock\\Holds('$name');\n$code\necho 'done';\n");
    holds_child_finish($child);
    $t = microtime(true);
    $lock = $h->lock([[1, 'a']], 1000);
    printf("%s: locked again %s, base %s, recovered locks %d\n", $how,
        microtime(true) - $t < 0.5 ? 'at once' : 'slowly', var_export($h->sellable(1, 'a'), true), $h->stats()['recovered_locks']);
    $lock->release();
}
var_dump($h->check());
holds_test_cleanup($name);
?>
--EXPECT--
-- processes that end while holding locks, without a crash
in a variable: locked again at once, base 5, recovered locks 0
in a cycle: locked again at once, base 5, recovered locks 0
after exit(): locked again at once, base 5, recovered locks 0
after a fatal error: locked again at once, base 5, recovered locks 0
array(0) {
}
