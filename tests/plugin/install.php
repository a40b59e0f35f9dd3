<?php
/**
 * Installs WordPress into the empty test database with wp_install() and activates Omnistock.
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
$activated = activate_plugin( 'omnistock/omnistock.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activating omnistock failed: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
echo "WordPress ", $GLOBALS['wp_version'], " installed; omnistock active\n";
