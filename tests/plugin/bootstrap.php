<?php
/**
 * Loads the test WordPress (bin/lib/wordpress.sh made it: Debian's WordPress 6.1, the private
 * MariaDB, Omnistock active) into PHPUnit's process.
 *
 * @package Omnistock
 */

$omnistock_wp = getenv( 'OMNISTOCK_WP_DIR' );
if ( ! $omnistock_wp || ! is_file( $omnistock_wp . '/wp-config.php' ) ) {
	fwrite( STDERR, "OMNISTOCK_WP_DIR must name the test WordPress (run the plugin suite through bin/test)\n" );
	exit( 1 );
}
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
require $omnistock_wp . '/wp-load.php';

if ( ! class_exists( \Omnistock\Plugin::class ) ) {
	fwrite( STDERR, "the omnistock plugin is not active in the test WordPress\n" );
	exit( 1 );
}

require __DIR__ . '/lib/batches.php';
require __DIR__ . '/lib/TestCase.php';
require __DIR__ . '/lib/Workers.php';

// The run's shared-memory segment is removed when PHPUnit ends.
register_shutdown_function(
	static function (): void {
		$name = \Omnistock\Tests\TestCase::segment();
		$dir  = ini_get( 'omnistock.holds_dir' ) ?: '/dev/shm';
		// This run's segment, and the test site's own (WP-CLI and the web server use the default).
		$site = \Omnistock\Inventory\ShmHolds::segment_name( $GLOBALS['wpdb'] );
		foreach ( array_merge( glob( $dir . '/*' . $name . '*' ) ?: array(), glob( $dir . '/*' . $site ) ?: array() ) as $file ) {
			@unlink( $file );
		}
	}
);
