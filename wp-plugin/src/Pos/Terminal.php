<?php
/**
 * Wires the POS server side in: REST routes, the tax location of POS orders, the barcode field.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Rest\PosRoutes;

defined( 'ABSPATH' ) || exit;

/**
 * Needs WooCommerce: registered once it is loaded.
 */
final class Terminal {

	/**
	 * Hooks in.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 * @param Database  $db        The database.
	 */
	public static function register( Inventory $inventory, Locations $locations, Database $db ): void {
		$quote = new Quote( $inventory, $locations, $db );
		$quote->register();
		Catalogue::register_product_field();
		add_action(
			'rest_api_init',
			static fn() => ( new PosRoutes( $locations, new Catalogue( $inventory ), $quote, new Sales( $inventory, $quote, $db ), new Customers() ) )->register()
		);
	}
}
