<?php
/**
 * Uninstall: merchant data (locations, stock, ledger) is kept unless the owner opted in to erase it,
 * with the option omnistock_erase_data_on_uninstall (Locations screen) or the constant
 * OMNISTOCK_ERASE_DATA_ON_UNINSTALL in wp-config.php.
 *
 * @package Omnistock
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

$omnistock_erase = ( defined( 'OMNISTOCK_ERASE_DATA_ON_UNINSTALL' ) && OMNISTOCK_ERASE_DATA_ON_UNINSTALL )
	|| 'yes' === get_option( 'omnistock_erase_data_on_uninstall', 'no' );

if ( ! $omnistock_erase ) {
	return;
}

global $wpdb;
foreach ( array( 'omnistock_pos_movements', 'omnistock_pos_sessions', 'omnistock_pos_sales', 'omnistock_outbox', 'omnistock_holds', 'omnistock_ledger', 'omnistock_levels', 'omnistock_locations' ) as $omnistock_table ) {
	$wpdb->query( 'DROP TABLE IF EXISTS `' . esc_sql( $wpdb->prefix . $omnistock_table ) . '`' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- table names, not values.
}
remove_role( 'omnistock_cashier' );
foreach ( array( 'omnistock_schema_version', 'omnistock_holds_backend', 'omnistock_erase_data_on_uninstall' ) as $omnistock_option ) {
	delete_option( $omnistock_option );
}
