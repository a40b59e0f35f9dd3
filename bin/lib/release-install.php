<?php
/**
 * The release zip on a fresh site (bin/lib/release.sh release_install_test), with OMNISTOCK_WP_DIR set:
 *   install ZIP    installs it the way wp-admin's "Upload Plugin" does (Plugin_Upgrader::install, which
 *                  `wp plugin install ZIP` also calls) and activates it with activate_plugin(), which
 *                  checks the header's requirements (Requires PHP, Requires Plugins) as WordPress does
 *   check VERSION  in a new process: active, a real folder (not a link to a checkout), that version,
 *                  its tables there, build/index.asset.php present, the doctor's report without errors
 *   i18n           a translator's languages/omnistock-de_DE.mo in the installed folder (the header's
 *                  Domain Path) is what a de_DE site shows; the file is removed again
 *
 * @package Omnistock
 */

// phpcs:disable WordPress.Security.EscapeOutput, WordPress.WP.AlternativeFunctions, WordPress.DB.DirectDatabaseQuery -- a command-line script: plain-text output to a terminal, stderr, and one SHOW TABLES.

list( , $command, $arg ) = $argv + array( '', '', '' );
$_SERVER['HTTP_HOST']    = '127.0.0.1';
// i18n: the .mo is written, and the site's locale set to de_DE (a filter WordPress picks up from its
// pre-initialised hooks), before WordPress loads, so the plugin loads its text domain as on any request.
$omnistock_mo = getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-content/plugins/omnistock/languages/omnistock-de_DE.mo';
if ( 'i18n' === $command ) {
	require_once getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-includes/pomo/mo.php';
	$omnistock_translation = new MO();
	$omnistock_translation->set_header( 'Language', 'de_DE' );
	$omnistock_translation->add_entry(
		new Translation_Entry(
			array(
				'singular'     => 'Locations',
				'translations' => array( 'Standorte' ),
			)
		)
	);
	if ( ! $omnistock_translation->export_to_file( $omnistock_mo ) ) {
		fwrite( STDERR, "could not write $omnistock_mo\n" );
		exit( 1 );
	}
	$GLOBALS['wp_filter'] = array( 'locale' => array( 10 => array( array( 'function' => static fn() => 'de_DE', 'accepted_args' => 1 ) ) ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WordPress's pre-initialised hooks, set before it loads.
}
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';

/**
 * Ends the run with a message on stderr.
 *
 * @param string $message What went wrong.
 */
function omnistock_release_fail( string $message ): void {
	fwrite( STDERR, $message . "\n" );
	exit( 1 );
}

$admin = get_user_by( 'login', 'admin' );
if ( ! $admin ) {
	omnistock_release_fail( 'no admin user on the site' );
}
wp_set_current_user( $admin->ID );
$omnistock_plugin = 'omnistock/omnistock.php';

if ( 'install' === $command ) {
	if ( ! current_user_can( 'install_plugins' ) ) {
		omnistock_release_fail( 'the admin may not install plugins' );
	}
	if ( file_exists( WP_PLUGIN_DIR . '/omnistock' ) ) {
		omnistock_release_fail( WP_PLUGIN_DIR . '/omnistock exists before the install: not a fresh site' );
	}
	$skin      = new WP_Ajax_Upgrader_Skin();
	$upgrader  = new Plugin_Upgrader( $skin );
	$installed = $upgrader->install( $arg );
	if ( true !== $installed ) {
		$why = is_wp_error( $installed ) ? $installed->get_error_message() : implode( '; ', $skin->get_error_messages() );
		omnistock_release_fail( "installing $arg failed: $why" );
	}
	if ( $upgrader->plugin_info() !== $omnistock_plugin ) {
		omnistock_release_fail( "the zip installed '" . $upgrader->plugin_info() . "', not $omnistock_plugin" );
	}
	$activated = activate_plugin( $omnistock_plugin );
	if ( is_wp_error( $activated ) ) {
		omnistock_release_fail( 'activating omnistock failed: ' . $activated->get_error_message() );
	}
	echo "installed $omnistock_plugin from ", basename( $arg ), ' on WordPress ', $GLOBALS['wp_version'], ' with WooCommerce ', WC()->version, "; activated\n";
	exit( 0 );
}

if ( 'i18n' === $command ) {
	$omnistock_shown = __( 'Locations', 'omnistock' );
	unlink( $omnistock_mo );
	if ( 'Standorte' !== $omnistock_shown ) {
		omnistock_release_fail( "a de_DE site shows '$omnistock_shown' for 'Locations' with languages/omnistock-de_DE.mo installed: the plugin does not load its text domain from its Domain Path" );
	}
	echo 'de_DE: languages/omnistock-de_DE.mo loaded from the installed folder (', determine_locale(), "): 'Locations' is shown as 'Standorte'\n";
	exit( 0 );
}

if ( 'check' !== $command ) {
	omnistock_release_fail( 'usage: release-install.php install ZIP | check VERSION | i18n' );
}
$problems = array();
$folder   = WP_PLUGIN_DIR . '/omnistock';
if ( ! is_plugin_active( $omnistock_plugin ) ) {
	$problems[] = "$omnistock_plugin is not active";
}
if ( is_link( $folder ) || realpath( $folder ) === realpath( getenv( 'OMNISTOCK_TOP' ) . '/wp-plugin' ) ) {
	$problems[] = "$folder is the checkout's wp-plugin/, not an installed copy";
}
$data = get_plugin_data( WP_PLUGIN_DIR . '/' . $omnistock_plugin, false, false );
if ( $data['Version'] !== $arg ) {
	$problems[] = "installed version is '{$data['Version']}', expected '$arg'";
}
if ( ! defined( 'OMNISTOCK_PLUGIN_VERSION' ) || OMNISTOCK_PLUGIN_VERSION !== $arg ) {
	$problems[] = 'OMNISTOCK_PLUGIN_VERSION is not ' . $arg;
}
global $wpdb;
$tables = ( new Omnistock\Inventory\Tables( $wpdb ) )->all();
foreach ( $tables as $table ) {
	if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) !== $table ) {
		$problems[] = "table $table is missing";
	}
}
if ( ! is_readable( $folder . '/build/index.asset.php' ) ) {
	$problems[] = 'build/index.asset.php is missing';
} else {
	$asset = require $folder . '/build/index.asset.php';
	if ( empty( $asset['version'] ) || ! in_array( 'wp-element', $asset['dependencies'] ?? array(), true ) ) {
		$problems[] = 'build/index.asset.php names no version or no wp-element dependency';
	}
}
// What `wp omnistock doctor` reports, here with WooCommerce loaded (see release.sh for why the
// command itself runs without it).
$report = ( new Omnistock\Inventory\Doctor( Omnistock\Plugin::database(), new Omnistock\Inventory\Tables( $wpdb ), Omnistock\Plugin::inventory()->backend() ) )->report();
foreach ( $report as $row ) {
	if ( 'ok' !== $row['status'] ) {
		echo "doctor: {$row['check']}: {$row['status']} ({$row['detail']})\n";
	}
}
echo 'doctor: ', count( $report ), ' rows, ', count( array_diff( array_column( $report, 'status' ), array( 'ok' ) ) ), " not ok\n";
if ( count( $report ) < count( $tables ) + 3 || Omnistock\Inventory\Doctor::has_error( $report ) ) {
	$problems[] = 'the doctor found problems (status "error" above)';
}
if ( $problems ) {
	omnistock_release_fail( implode( "\n", $problems ) );
}
echo "$omnistock_plugin $arg active from $folder; ", count( $tables ), ' tables: ', implode( ' ', $tables ), "\n";
