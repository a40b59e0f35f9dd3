--TEST--
Holds: every process of a site sees one segment; two sites on one host do not see each other
--EXTENSIONS--
omnistock
--INI--
omnistock.holds_dir=/dev/shm
omnistock.holds_size=1M
--FILE--
<?php
require __DIR__ . '/helpers.inc';
use Omnistock\Holds;

$shop = holds_test_name('site-shop');
$outlet = holds_test_name('site-outlet');
$a = new Holds($shop);
$b = new Holds($outlet);
$lock = $a->lock([[10, 'main']]);
$lock->setSellable(10, 'main', 4);
$lock->release();
var_dump($a->hold('cart', [[10, 'main', 3]], 600)['ok']);

echo "-- the other site\n";
var_dump($b->sellable(10, 'main'), $b->held(10, 'main'), $b->release('cart'), $b->stats()['cells']);
$r = $b->hold('cart', [[10, 'main', 1]], 600);
var_dump($r['ok'], count($r['unknown']));
$lock = $b->lock([[10, 'main']]);
$lock->setSellable(10, 'main', 100);
$lock->release();
var_dump($a->sellable(10, 'main'), $b->sellable(10, 'main'));

echo "-- another process of the first site\n";
$child = holds_child(<<<PHP
\$h = new Omnistock\\Holds('$shop');
echo \$h->sellable(10, 'main'), ' ', \$h->held(10, 'main'), "\\n";
var_dump(\$h->hold('another-cart', [[10, 'main', 2]], 600)['ok']);
var_dump(\$h->hold('another-cart', [[10, 'main', 1]], 600)['ok']);
echo \$h->release('cart'), "\\n";
PHP);
echo holds_child_finish($child);
var_dump($a->sellable(10, 'main'), $a->held(10, 'main'), $a->check(), $b->check());
holds_test_cleanup($shop, $outlet);
?>
--EXPECT--
bool(true)
-- the other site
NULL
int(0)
int(0)
int(0)
bool(false)
int(1)
int(1)
int(100)
-- another process of the first site
1 3
bool(false)
bool(true)
3
int(3)
int(1)
array(0) {
}
array(0) {
}
