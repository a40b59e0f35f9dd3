<?php
/**
 * The slow side of the write-back interleaving: records one adjust of −1 and, inside its
 * write-back, after reading the sellable and before writing it (woocommerce_product_before_set_stock),
 * creates READ_FILE and waits PAUSE_MS; prints one JSON line when done.
 *
 *   php slow-write-back.php PRODUCT_ID LOCATION_ID READ_FILE PAUSE_MS
 *
 * @package Omnistock
 */

[, $product, $location, $read_file, $pause_ms] = $argv;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

$seen = null;
add_action(
	'woocommerce_product_before_set_stock',
	static function ( $p ) use ( $product, $read_file, $pause_ms, &$seen ): void {
		if ( null === $seen && $p->get_id() === (int) $product ) {
			$seen = (int) $p->get_stock_quantity();
			touch( $read_file );
			usleep( 1000 * (int) $pause_ms );
		}
	}
);
\Omnistock\Plugin::inventory()->record(
	array(
		array(
			'id'       => 'slow:' . getmypid(),
			'kind'     => 'adjust',
			'product'  => (int) $product,
			'location' => (int) $location,
			'qty'      => -1,
			'at'       => \Omnistock\Inventory\Database::now_ms(),
		),
	)
);
echo json_encode( array( 'wrote' => $seen ) ), "\n";
