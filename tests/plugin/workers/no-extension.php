<?php
/**
 * Loads the test WordPress in a PHP without the omnistock extension and reports what the plugin did.
 *
 * @package Omnistock
 */

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

wp_set_current_user( 1 );
ob_start();
do_action( 'admin_notices' );
$notice = ob_get_clean();
$tables_before = $GLOBALS['wpdb']->get_col( "SHOW TABLES LIKE '%omnistock%'" );
\Omnistock\Plugin::activate();
echo json_encode(
	array(
		'extension' => extension_loaded( 'omnistock' ),
		'notice'    => $notice,
		'routes'    => array_values( array_filter( array_keys( rest_get_server()->get_routes() ), static fn( $r ) => str_starts_with( $r, '/omnistock' ) ) ),
		'tables'    => $tables_before === $GLOBALS['wpdb']->get_col( "SHOW TABLES LIKE '%omnistock%'" ),
	)
);
