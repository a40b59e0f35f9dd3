--TEST--
Holds: a child forked while its parent holds a CellLock does not release the parent's locks when it ends
--EXTENSIONS--
omnistock
pcntl
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('fork');
$h = new Holds($name);
$lock = $h->lock([[1, 'a']]);
$lock->setSellable(1, 'a', 5);
$pid = pcntl_fork();
if ($pid === 0) {
    $lock->release(); // the parent's lock: nothing to release here
    exit(0);
}
pcntl_waitpid($pid, $status);
var_dump(pcntl_wexitstatus($status));

// Another process must still find the cell locked (and a hold on it waiting for the mutation).
$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
try { \$h->lock([[1, 'a']], 100); echo "locked!\\n"; } catch (Omnistock\\LockTimeout \$e) { echo "still locked by the parent\\n"; }
PHP);
echo holds_child_finish($child);
$lock->release();
$child = holds_child("\$h = new Omnistock\\Holds('$name'); \$h->lock([[1, 'a']], 100); echo 'released by the parent: ', \$h->sellable(1, 'a'), ', recovered ', \$h->stats()['recovered_locks'], \"\\n\";");
echo holds_child_finish($child);
var_dump($h->check());
holds_test_cleanup($name);
?>
--EXPECT--
int(0)
still locked by the parent
released by the parent: 5, recovered 0
array(0) {
}
