<?php
/**
 * A channel of the write-back race: loads the test WordPress (WooCommerce + Omnistock, the holds
 * backend from OMNISTOCK_HOLDS_BACKEND), waits for the go file, records N adjusts of −1 of one
 * product at one location, one record() each (each followed by its write-back), and prints one
 * JSON line.
 *
 *   php adjust.php GO_FILE PRODUCT_ID LOCATION_ID N
 *
 * @package Omnistock
 */

[, $go_file, $product, $location, $n] = $argv;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

echo json_encode( array( 'ready' => getmypid() ) ), "\n";
flush();
while ( ! file_exists( $go_file ) ) {
	usleep( 500 );
}
$recorded = 0;
for ( $i = 0; $i < (int) $n; $i++ ) {
	$result   = \Omnistock\Plugin::inventory()->record(
		array(
			array(
				'id'       => 'race:' . getmypid() . ":$i",
				'kind'     => 'adjust',
				'product'  => (int) $product,
				'location' => (int) $location,
				'qty'      => -1,
				'at'       => \Omnistock\Inventory\Database::now_ms(),
			),
		)
	);
	$recorded += (int) ( $result['applied'] ?? 0 );
}
echo json_encode( array( 'recorded' => $recorded ) ), "\n";
