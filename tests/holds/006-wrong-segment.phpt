--TEST--
Holds: a segment of another size or layout version, or not a segment at all, is refused, never misread
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$name = holds_test_name('wrong-size');
$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$name');
\$l = \$h->lock([[1, 'a']]);
\$l->setSellable(1, 'a', 9);
echo \$h->stats()['bytes_total'], "\\n";
PHP, ['omnistock.holds_size' => '2M']);
echo holds_child_finish($child);
try {
    new Holds($name);
} catch (Omnistock\Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
echo "-- the segment is untouched and the right size still reads it\n";
var_dump(filesize(holds_test_path($name)));
$child = holds_child("echo (new Omnistock\\Holds('$name'))->sellable(1, 'a'), \"\\n\";", ['omnistock.holds_size' => '2M']);
echo holds_child_finish($child);

echo "-- another layout version\n";
$old = holds_test_name('old-layout');
file_put_contents(holds_test_path($old), "OMNIHLD\0" . pack('V', 99) . str_repeat("\0", 1024 * 1024 - 12));
chmod(holds_test_path($old), 0600);
try {
    new Holds($old);
} catch (Omnistock\Exception $e) {
    echo $e->getMessage(), "\n";
}
echo "-- not a segment\n";
$junk = holds_test_name('junk');
file_put_contents(holds_test_path($junk), str_repeat('x', 1024 * 1024));
try {
    new Holds($junk);
} catch (Omnistock\Exception $e) {
    echo $e->getMessage(), "\n";
}
echo "-- a missing directory\n";
$child = holds_child("try { new Omnistock\\Holds('x'); } catch (Omnistock\\Exception \$e) { echo \$e->getMessage(), \"\\n\"; }",
    ['omnistock.holds_dir' => '/nonexistent/holds']);
echo holds_child_finish($child);
holds_test_cleanup($name, $old, $junk);
?>
--EXPECTF--
2097152
Omnistock\Exception: Refusing the holds segment /dev/shm/omnistock-holds-phpt-wrong-size-%d: it was created with 2097152 bytes and omnistock.holds_size is 1048576 bytes; use the same omnistock.holds_size everywhere, or stop every PHP process of the site and delete it
-- the segment is untouched and the right size still reads it
int(2097152)
9
-- another layout version
Refusing the holds segment /dev/shm/omnistock-holds-phpt-old-layout-%d: it has layout version 99 and this build of omnistock uses 2; stop every PHP process of the site and delete it
-- not a segment
Refusing the holds segment /dev/shm/omnistock-holds-phpt-junk-%d: it is not an Omnistock holds segment
-- a missing directory
Could not create the holds segment /nonexistent/holds/omnistock-holds-x.%d.tmp: No such file or directory (omnistock.holds_dir)
