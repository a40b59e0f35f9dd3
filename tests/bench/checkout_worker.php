<?php
/**
 * A buyer of tests/bench/checkout.php: loads the test shop as MODE says (omnistock: the plugin
 * active, holds backend from OMNISTOCK_HOLDS_BACKEND; woocommerce: Omnistock left out, WooCommerce
 * alone), waits for the go file, then ORDERS times: creates an order of one unit, checks it out as
 * the classic checkout does (woocommerce_checkout_order_created) and pays it (payment_complete()).
 * Prints one JSON line: orders paid, refused at checkout, and the seconds its loop took.
 *
 *   php checkout_worker.php MODE GO_FILE PRODUCT ORDERS
 *
 * @package Omnistock
 */

[, $mode, $go_file, $product_id, $orders] = $argv;

if ( 'woocommerce' === $mode ) {
	// Before WordPress loads: the active plugins without Omnistock.
	$GLOBALS['wp_filter']['option_active_plugins'][10][] = array(
		'function'      => static fn( $plugins ) => array_values( array_filter( (array) $plugins, static fn( $p ) => 'omnistock/omnistock.php' !== $p ) ),
		'accepted_args' => 1,
	);
}
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );
if ( ( 'woocommerce' === $mode ) === class_exists( \Omnistock\Plugin::class, false ) ) {
	fwrite( STDERR, "mode $mode: Omnistock is " . ( class_exists( \Omnistock\Plugin::class, false ) ? 'loaded' : 'not loaded' ) . "\n" );
	exit( 1 );
}
$product = wc_get_product( (int) $product_id );

echo json_encode( array( 'ready' => getmypid() ) ), "\n";
flush();
while ( ! file_exists( $go_file ) ) {
	usleep( 500 );
}
$paid    = 0;
$refused = 0;
$start   = hrtime( true );
for ( $i = 0; $i < (int) $orders; $i++ ) {
	$order = wc_create_order();
	$order->add_product( $product, 1 );
	$order->set_payment_method( 'bench' );
	$order->calculate_totals();
	$order->save();
	try {
		do_action( 'woocommerce_checkout_order_created', $order );
	} catch ( \Exception $e ) {
		++$refused;
		$order->update_status( 'cancelled' );
		continue;
	}
	$order->payment_complete();
	if ( 'processing' === wc_get_order( $order->get_id() )->get_status() ) {
		++$paid;
	}
}
echo json_encode(
	array(
		'paid'    => $paid,
		'refused' => $refused,
		'seconds' => ( hrtime( true ) - $start ) / 1e9,
	)
), "\n";
