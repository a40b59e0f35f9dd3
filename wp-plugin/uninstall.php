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
if ( ! class_exists( Omnistock\Inventory\Tables::class, false ) ) {
	require_once __DIR__ . '/src/Inventory/Tables.php'; // WordPress uninstalls without loading the plugin.
}
$omnistock_tables = new Omnistock\Inventory\Tables( $wpdb );
foreach ( array_reverse( array_merge( $omnistock_tables->all(), $omnistock_tables->pos(), $omnistock_tables->connectors() ) ) as $omnistock_table ) {
	$wpdb->query( 'DROP TABLE IF EXISTS `' . esc_sql( $omnistock_table ) . '`' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- table names, not values.
}
remove_role( 'omnistock_cashier' );
foreach ( array( Omnistock\Inventory\Tables::VERSION_OPTION, 'omnistock_holds_backend', 'omnistock_erase_data_on_uninstall', 'omnistock_pos_sale_window_hours' ) as $omnistock_option ) {
	delete_option( $omnistock_option );
}
