<?php
/**
 * Hooks the POS server side into WooCommerce: the tax location of POS orders, the barcode field, no shop mails.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Needs WooCommerce: registered once it is loaded.
 */
final class Terminal {

	/**
	 * Hooks in (the composition root builds the quote and the REST routes).
	 *
	 * @param Quote $quote Cart totals through WooCommerce.
	 */
	public static function register( Quote $quote ): void {
		$quote->register();
		Catalogue::register_product_field();
		// A till does not mail the shop for every sale, and the customer gets the POS receipt
		// (printed, or mailed on request) rather than WooCommerce's "order completed" mail.
		foreach ( array( 'new_order', 'customer_completed_order' ) as $email ) {
			add_filter( "woocommerce_email_enabled_$email", array( self::class, 'not_for_pos_orders' ), 10, 2 );
		}
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
