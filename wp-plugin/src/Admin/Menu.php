<?php
/**
 * The wp-admin menu: Omnistock → Stock, Locations, Connections.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the screens and their form handlers (admin-post.php, nonce-checked).
 */
final class Menu {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory              $inventory   The inventory service.
	 * @param Locations              $locations   Locations.
	 * @param ConnectionsScreen|null $connections The connections screen (external POS systems).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly ?ConnectionsScreen $connections = null ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		$stock       = new StockScreen( $this->inventory, $this->locations );
		$locations   = new LocationsScreen( $this->locations );
		$connections = $this->connections;
		add_action(
			'admin_menu',
			static function () use ( $stock, $locations, $connections ): void {
				add_menu_page( __( 'Omnistock', 'omnistock' ), __( 'Omnistock', 'omnistock' ), Capabilities::VIEW, StockScreen::SLUG, array( $stock, 'render' ), 'dashicons-store', 56 );
				add_submenu_page( StockScreen::SLUG, __( 'Stock', 'omnistock' ), __( 'Stock', 'omnistock' ), Capabilities::VIEW, StockScreen::SLUG, array( $stock, 'render' ) );
				add_submenu_page( StockScreen::SLUG, __( 'Locations', 'omnistock' ), __( 'Locations', 'omnistock' ), Capabilities::MANAGE, LocationsScreen::SLUG, array( $locations, 'render' ) );
				if ( $connections ) {
					add_submenu_page( StockScreen::SLUG, __( 'Connections', 'omnistock' ), __( 'Connections', 'omnistock' ), Capabilities::MANAGE, ConnectionsScreen::SLUG, array( $connections, 'render' ) );
				}
			}
		);
		add_action( 'admin_post_' . StockScreen::ACTION, array( $stock, 'handle' ) );
		add_action( 'admin_post_' . LocationsScreen::ACTION, array( $locations, 'handle' ) );
		add_action( 'admin_post_' . LocationsScreen::SETTINGS, array( $locations, 'handle_settings' ) );
		$connections?->register();
	}
}
