<?php
/**
 * The WooCommerce suites: the plugin suite's bootstrap, then WooCommerce must be there.
 *
 * @package Omnistock
 */

require dirname( __DIR__ ) . '/bootstrap.php';

if ( ! function_exists( 'WC' ) || ! did_action( 'woocommerce_loaded' ) ) {
	fwrite( STDERR, "WooCommerce is not active in the test WordPress (run through bin/test with OMNISTOCK_WOOCOMMERCE set)\n" );
	exit( 1 );
}
// No mail server here: WooCommerce's and Omnistock's mails are accepted and dropped.
add_filter( 'pre_wp_mail', '__return_true' );
WC()->initialize_session();
WC()->initialize_cart();
require __DIR__ . '/lib/WcTestCase.php';
fwrite( STDERR, sprintf( "WooCommerce %s, HPOS %s, holds backend %s\n", WC()->version, \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ? 'on' : 'off', \Omnistock\Plugin::inventory()->backend() instanceof \Omnistock\Inventory\DatabaseHolds ? 'database' : 'shm' ) );
