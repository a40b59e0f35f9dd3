<?php
/**
 * A buyer of the payment race: loads the test WordPress (WooCommerce + Omnistock, the holds
 * backend from OMNISTOCK_HOLDS_BACKEND), waits for the go file, calls $order->payment_complete()
 * and prints one JSON line.
 *
 *   php pay.php GO_FILE ORDER_ID
 *
 * @package Omnistock
 */

[, $go_file, $order_id] = $argv;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

echo json_encode( array( 'ready' => getmypid() ) ), "\n";
flush();
while ( ! file_exists( $go_file ) ) {
	usleep( 500 );
}
$order = wc_get_order( (int) $order_id );
$paid  = $order->payment_complete( 'race-' . $order_id );
echo json_encode(
	array(
		'paid'   => $paid,
		'status' => wc_get_order( (int) $order_id )->get_status(),
		'state'  => wc_get_order( (int) $order_id )->get_meta( '_omnistock_state' ),
		'notes'  => count( wc_get_order_notes( array( 'order_id' => (int) $order_id ) ) ),
	)
), "\n";
