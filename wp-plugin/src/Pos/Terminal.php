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
		// A till does not mail the shop for every sale, and the customer gets the POS receipt
		// (printed, or mailed on request) rather than WooCommerce's "order completed" mail.
		foreach ( array( 'new_order', 'customer_completed_order' ) as $email ) {
			add_filter( "woocommerce_email_enabled_$email", array( self::class, 'not_for_pos_orders' ), 10, 2 );
		}
		add_action(
			'rest_api_init',
			static fn() => ( new PosRoutes( $locations, new Catalogue( $inventory ), $quote, new Sales( $inventory, $quote, $db ), new Customers() ) )->register()
		);
	}

	/**
	 * Filter of a WooCommerce email's "enabled": off for POS orders.
	 *
	 * @param bool  $enabled Whether the email is sent.
	 * @param mixed $order   The email's object.
	 */
	public static function not_for_pos_orders( $enabled, $order ): bool {
		return (bool) $enabled && ! ( $order instanceof \WC_Order && Quote::CREATED_VIA === $order->get_created_via() );
	}
}
