<?php
/**
 * Adapter: the ship-from-store e-mail as a WooCommerce e-mail, sent when Fulfilment\Shipments asks.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\WooCommerce\Emails\ShipmentShipped;

defined( 'ABSPATH' ) || exit;

/**
 * Lists "Shipment shipped" under WooCommerce → Settings → Emails and answers omnistock_shipment_shipped.
 */
final class ShipmentEmails {

	/**
	 * Hooks in.
	 */
	public static function register(): void {
		add_filter( 'woocommerce_email_classes', array( self::class, 'classes' ) );
		add_action(
			'omnistock_shipment_shipped',
			static function ( \WC_Order $order, array $store, array $shipment ): void {
				$email = WC()->mailer()->get_emails()[ ShipmentShipped::class ] ?? null;
				if ( $email instanceof ShipmentShipped ) {
					$email->send_for( $order, $store, $shipment );
				}
			},
			10,
			3
		);
	}

	/**
	 * The e-mail classes WooCommerce lists.
	 *
	 * @param array $emails WooCommerce's.
	 */
	public static function classes( $emails ): array {
		$emails                           = is_array( $emails ) ? $emails : array();
		$emails[ ShipmentShipped::class ] = new ShipmentShipped();
		return $emails;
	}
}
