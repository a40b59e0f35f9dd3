<?php
/**
 * Installer, activation (the default location), the missing-extension notice and uninstall.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Install\Installer;
use Omnistock\Plugin;

final class LifecycleTest extends TestCase {

	public function test_without_the_extension_the_plugin_shows_how_to_install_it_and_changes_nothing(): void {
		$cmd  = array( PHP_BINARY, __DIR__ . '/workers/no-extension.php' );
		$proc = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'file', '/dev/null', 'w' ) ), $pipes );
		$out  = stream_get_contents( $pipes[1] );
		fclose( $pipes[1] );
		$this->assertSame( 0, proc_close( $proc ), $out );
		$report = json_decode( $out, true );
		$this->assertIsArray( $report, $out );
		$this->assertFalse( $report['extension'] );
		$this->assertStringContainsString( 'notice-error', $report['notice'] );
		$this->assertStringContainsString( 'pecl install', $report['notice'] );
		$this->assertStringContainsString( 'extension=omnistock', $report['notice'] );
		$this->assertSame( array(), $report['routes'], 'no REST routes without the extension' );
		$this->assertTrue( $report['tables'], 'activation without the extension touches no table' );
	}

	public function test_activation_gives_a_shop_without_locations_one_that_holds_todays_stock(): void {
		foreach ( $this->loc as $id ) {
			$this->assertTrue( $this->locations->delete( $id ) );
		}
		update_option( 'woocommerce_store_address', '1 Main Street' );
		update_option( 'woocommerce_store_city', 'Springfield' );
		$managed   = wp_insert_post( array( 'post_type' => 'product', 'post_title' => 'Mug', 'post_status' => 'publish' ) );
		$variation = wp_insert_post( array( 'post_type' => 'product_variation', 'post_title' => 'Mug - red', 'post_status' => 'publish' ) );
		$unmanaged = wp_insert_post( array( 'post_type' => 'product', 'post_title' => 'Gift card', 'post_status' => 'publish' ) );
		update_post_meta( $managed, '_manage_stock', 'yes' );
		update_post_meta( $managed, '_stock', '7' );
		update_post_meta( $variation, '_manage_stock', 'yes' );
		update_post_meta( $variation, '_stock', '3' );
		update_post_meta( $unmanaged, '_manage_stock', 'no' );
		update_post_meta( $unmanaged, '_stock', '50' );
		try {
			Plugin::activate();
			$all = $this->locations->all();
			$this->assertCount( 1, $all );
			$this->assertSame( array( 'Store (Springfield)', true ), array( $all[0]['name'], $all[0]['ships_online'] ) );
			$this->assertStringContainsString( '1 Main Street', $all[0]['address'] );
			$this->assertSame( 7, $this->inventory->stock( $managed )['online'] );
			$this->assertSame( 3, $this->inventory->stock( $variation )['online'] );
			$this->assertSame( 0, $this->inventory->stock( $unmanaged )['online'] );
			$this->assertSame( 2, $this->ledger_rows() );
			$this->assertNoDrift();

			Plugin::activate();
			$this->assertCount( 1, $this->locations->all(), 'a second activation adds nothing' );
			$this->assertSame( 2, $this->ledger_rows() );
		} finally {
			foreach ( array( $managed, $variation, $unmanaged ) as $post ) {
				wp_delete_post( $post, true );
			}
			delete_option( 'woocommerce_store_address' );
			delete_option( 'woocommerce_store_city' );
		}
	}

	public function test_the_installer_upgrades_when_the_schema_version_changes_and_keeps_data(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$this->inventory->record( array( self::ev( 'keep', 'count', $p, $a, 4, 1 ) ) );
		update_option( Installer::VERSION_OPTION, '0' );
		Installer::maybe_upgrade();
		$this->assertSame( Installer::SCHEMA_VERSION, get_option( Installer::VERSION_OPTION ) );
		$this->assertSame( array( 4, 0 ), $this->level( $p, $a ) );
		$this->assertTrue( user_can( 1, 'omnistock_manage_inventory' ), 'the installer grants administrators the capabilities' );
		$this->assertFalse( user_can( $this->subscriber(), 'omnistock_view_inventory' ) );
		// The ledger's event id is unique: the database refuses a second row with the same id.
		$this->expectException( \Omnistock\Inventory\StorageError::class );
		$this->db->statement( $this->db->prepare( "INSERT INTO {$this->tables->ledger} (event_id, kind, product_id, location_id, qty, at, arrived_at) VALUES (%s, 'adjust', %d, %d, 1, 1, 1)", 'keep', $p, $a ) );
	}

	public function test_the_upgrade_gives_existing_pos_users_every_location_once_and_new_cashiers_none(): void {
		$user = static fn( string $role ): int => wp_insert_user(
			array(
				'user_login' => $role . '-' . uniqid(),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$before   = $user( 'omnistock_cashier' );
		$assigned = $user( 'omnistock_cashier' );
		\Omnistock\Plugin::staff()->assign( $assigned, array( $this->loc[1] ) );
		$staff = \Omnistock\Plugin::staff();
		delete_option( \Omnistock\Install\StaffUpgrade::DONE_OPTION );
		get_role( 'administrator' )->remove_cap( 'omnistock_pos_override' );
		try {
			\Omnistock\Install\StaffUpgrade::once( $staff );
			$this->assertSame( $staff->every_location(), $staff->assigned( $before ), 'an existing cashier keeps every location' );
			$this->assertSame( array( $this->loc[1] ), $staff->assigned( $assigned ), 'an assignment made before stays' );
			$this->assertSame( array(), $staff->assigned( 1 ), 'administrators need none: they act everywhere' );
			$this->assertTrue( user_can( 1, 'omnistock_pos_override' ), 'administrators get the override capability' );
			$this->assertFalse( get_role( 'omnistock_cashier' )->has_cap( 'omnistock_pos_override' ), 'cashiers do not' );

			$after = $user( 'omnistock_cashier' );
			\Omnistock\Install\StaffUpgrade::once( $staff );
			$this->assertSame( array(), $staff->locations_of( $after ), 'a cashier made after the upgrade starts with no location' );
		} finally {
			update_option( \Omnistock\Install\StaffUpgrade::DONE_OPTION, 1 );
			\Omnistock\Capabilities::grant();
		}
	}

	private function subscriber(): int {
		return wp_insert_user(
			array(
				'user_login' => 'sub-' . uniqid(),
				'user_pass'  => wp_generate_password(),
				'role'       => 'subscriber',
			)
		);
	}

	public function test_uninstall_keeps_merchant_data_unless_the_owner_opted_in(): void {
		[$a] = $this->loc;
		$this->inventory->record( array( self::ev( 'precious', 'count', $this->product(), $a, 4, 1 ) ) );
		defined( 'WP_UNINSTALL_PLUGIN' ) || define( 'WP_UNINSTALL_PLUGIN', 'omnistock/omnistock.php' );
		include WP_PLUGIN_DIR . '/omnistock/uninstall.php';
		$this->assertSame( 1, $this->ledger_rows(), 'data kept by default' );

		update_option( 'omnistock_erase_data_on_uninstall', 'yes' );
		include WP_PLUGIN_DIR . '/omnistock/uninstall.php';
		global $wpdb;
		$this->assertSame( array(), $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'omnistock_' ) . '%' ) ) );
		$this->assertFalse( get_option( Installer::VERSION_OPTION ) );
		Installer::install(); // For the tests that follow.
	}
}
