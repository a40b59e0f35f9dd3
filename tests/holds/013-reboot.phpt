--TEST--
Holds: a segment that outlived a reboot (holds_dir not on tmpfs) is reset by the first process of the new boot: mutexes re-initialised, holds dropped as expired, cells stale
--EXTENSIONS--
omnistock
--SKIPIF--
<?php if (!is_readable('/proc/sys/kernel/random/boot_id')) die('skip needs /proc/sys/kernel/random/boot_id'); ?>
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('reboot');
$h = new Holds($name);
$lock = $h->lock([[1, 'a']]);
$lock->setSellable(1, 'a', 5);
$lock->release();
var_dump($h->hold('cart', [[1, 'a', 2]], 600)['ok']);

// A process of the "old boot" holds a cell lock and never lets go.
$old = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
\$lock = \$h->lock([[1, 'a']]);
echo "locked\\n";
sleep(60);
PHP);
echo holds_child_line($old[2]), "\n";

// Pretend the machine rebooted: the segment names another boot.
$boot = trim(file_get_contents('/proc/sys/kernel/random/boot_id'));
$bytes = file_get_contents(holds_test_path($name), false, null, 0, 4096);
$at = strpos($bytes, $boot);
var_dump($at !== false);
$f = fopen(holds_test_path($name), 'r+');
fseek($f, $at);
fwrite($f, str_replace(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 'f', $boot));
fclose($f);

$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
\$t = microtime(true);
\$lock = \$h->lock([[1, 'a']], 1000);
echo 'locked at once: ', var_export(microtime(true) - \$t < 0.5, true), "\\n";
\$s = \$h->stats();
echo "holds {\$s['holds']}, expired {\$s['expired']}, stale {\$s['cells_stale']}, sellable ", var_export(\$h->sellable(1, 'a'), true), "\\n";
echo 'check: ', json_encode(\$h->check()), "\\n";
\$lock->setSellable(1, 'a', 5);
\$lock->release();
echo 'hold: ', var_export(\$h->hold('cart', [[1, 'a', 5]], 600)['ok'], true), "\\n";
PHP);
echo holds_child_finish($child);
holds_child_kill($old);
holds_test_cleanup($name);
?>
--EXPECT--
bool(true)
locked
bool(true)
locked at once: true
holds 0, expired 1, stale 1, sellable NULL
check: []
hold: true
