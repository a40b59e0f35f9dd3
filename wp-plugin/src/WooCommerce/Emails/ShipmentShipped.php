<?php
/**
 * E-mail omnistock_shipment_shipped.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Sent to the shopper for each shipment of an order when it ships from its store, with the carrier
 * and the tracking number (an order split over two stores: two e-mails).
 */
final class ShipmentShipped extends PickupEmail {

	/**
	 * Names it.
	 */
	public function __construct() {
		$this->id             = 'omnistock_shipment_shipped';
		$this->customer_email = true;
		$this->title          = __( 'Shipment shipped', 'omnistock' );
		$this->description    = __( 'Sent to the shopper for each shipment of an order when it ships from its store, with the carrier and the tracking number.', 'omnistock' );
		parent::__construct();
	}

	/**
	 * Default subject.
	 */
	public function get_default_subject() {
		return __( 'Part of your order #{order_number} has shipped', 'omnistock' );
	}

	/**
	 * Default heading.
	 */
	public function get_default_heading() {
		return __( 'On its way', 'omnistock' );
	}
}
