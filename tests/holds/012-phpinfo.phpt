--TEST--
Holds: phpinfo() shows the segment directory, size and the segments in use
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=2M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$name = holds_test_name('info');
$h = new Omnistock\Holds($name);
$lock = $h->lock([[1, 'a']]);
$lock->setSellable(1, 'a', 3);
$h->hold('c', [[1, 'a', 1]], 60);
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
foreach (explode("\n", $info) as $line) {
    if (preg_match('/^(Holds|omnistock\.holds)/', $line)) {
        echo $line, "\n";
    }
}
holds_test_cleanup($name);
?>
--EXPECTF--
Holds => shared memory, process-shared robust mutexes
Holds segment directory => /dev/shm
Holds segment size => 2097152 bytes
Holds segment in use => /dev/shm/omnistock-holds-phpt-info-%d: %d of 2097152 bytes used; 1 cells, 1 holds, 0 recovered locks
omnistock.holds_cell_idle_seconds => 300 => 300
omnistock.holds_dir => /dev/shm => /dev/shm
omnistock.holds_size => 2M => 2M
omnistock.holds_test_pause_ms => 0 => 0
