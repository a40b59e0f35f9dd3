<?php
/**
 * E-mail omnistock_pickup_ready.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Sent to the shopper when the store has the order ready, with the pickup code.
 */
final class PickupReady extends PickupEmail {

	/**
	 * Names it.
	 */
	public function __construct() {
		$this->id             = 'omnistock_pickup_ready';
		$this->customer_email = true;
		$this->title          = __( 'Ready for pickup', 'omnistock' );
		$this->description    = __( 'Sent to the shopper when the store has the order ready, with the pickup code.', 'omnistock' );
		parent::__construct();
	}

	/**
	 * Default subject.
	 */
	public function get_default_subject() {
		return __( 'Your order #{order_number} is ready for pickup at {store_name}', 'omnistock' );
	}

	/**
	 * Default heading.
	 */
	public function get_default_heading() {
		return __( 'Ready for pickup', 'omnistock' );
	}
}
