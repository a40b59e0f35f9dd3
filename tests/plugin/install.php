<?php
/**
 * Installs WordPress into the empty test database with wp_install() and activates Omnistock
 * (unless OMNISTOCK_PLUGIN_LINK=no).
 * Run by bin/lib/wordpress.sh with OMNISTOCK_WP_DIR set.
 *
 * @package Omnistock
 */

define( 'WP_INSTALLING', true );

// No mail server here: the "new site" mail of wp_install() goes nowhere.
function wp_mail() {
	return true;
}
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$result = wp_install( 'Omnistock tests', 'admin', 'admin@example.org', false, '', 'admin-password' );
if ( ! is_array( $result ) || empty( $result['user_id'] ) ) {
	fwrite( STDERR, "wp_install failed\n" );
	exit( 1 );
}
// The WooCommerce suites (bin/lib/wordpress.sh woocommerce_suite) link WooCommerce in first.
if ( getenv( 'OMNISTOCK_WC_DIR' ) ) {
	$activated = activate_plugin( 'woocommerce/woocommerce.php' );
	if ( is_wp_error( $activated ) ) {
		fwrite( STDERR, 'activating woocommerce failed: ' . $activated->get_error_message() . "\n" );
		exit( 1 );
	}
	\WC_Install::install();
	// A classic theme (Debian's wordpress-theme-twentytwentyone): the shop front and the classic
	// (shortcode) checkout render through it.
	if ( wp_get_theme( 'twentytwentyone' )->exists() ) {
		switch_theme( 'twentytwentyone' );
	}
	update_option( 'woocommerce_manage_stock', 'yes' );
	update_option( 'woocommerce_currency', 'EUR' );
	update_option( 'woocommerce_default_country', 'DE:BE' );
	update_option( 'woocommerce_store_city', 'Berlin' );
	update_option( 'woocommerce_enable_guest_checkout', 'yes' );
	update_option( 'woocommerce_cod_settings', array( 'enabled' => 'yes' ) );
	// WooCommerce 9.1+ opens a new store as "coming soon" (visitors get a placeholder instead of the
	// shop's pages): the test shop is launched.
	update_option( 'woocommerce_coming_soon', 'no' );
	$hpos = 'on' === getenv( 'OMNISTOCK_WC_HPOS' );
	if ( $hpos ) {
		// HPOS tables, then orders authoritative in them (no sync to posts).
		wc_get_container()->get( \Automattic\WooCommerce\Internal\DataStores\Orders\DataSynchronizer::class )->create_database_tables();
	}
	update_option( 'woocommerce_custom_orders_table_enabled', $hpos ? 'yes' : 'no' );
	update_option( 'woocommerce_custom_orders_table_data_sync_enabled', 'no' );
	update_option( 'woocommerce_feature_custom_order_tables_enabled', $hpos ? 'yes' : 'no' );
	echo 'WooCommerce ', WC()->version, ' active, HPOS ', $hpos ? 'on' : 'off', "\n";
}
// OMNISTOCK_PLUGIN_LINK=no: the release test installs Omnistock from its zip afterwards.
if ( 'no' === getenv( 'OMNISTOCK_PLUGIN_LINK' ) ) {
	echo 'WordPress ', $GLOBALS['wp_version'], " installed; omnistock not installed\n";
	exit( 0 );
}
$activated = activate_plugin( 'omnistock/omnistock.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activating omnistock failed: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
echo "WordPress ", $GLOBALS['wp_version'], " installed; omnistock active\n";
