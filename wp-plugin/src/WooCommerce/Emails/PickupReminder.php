<?php
/**
 * E-mail omnistock_pickup_reminder.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Sent to the shopper once when a ready order has not been collected after a day.
 */
final class PickupReminder extends PickupEmail {

	/**
	 * Names it.
	 */
	public function __construct() {
		$this->id             = 'omnistock_pickup_reminder';
		$this->customer_email = true;
		$this->title          = __( 'Pickup reminder', 'omnistock' );
		$this->description    = __( 'Sent to the shopper once when a ready order has not been collected after a day.', 'omnistock' );
		parent::__construct();
	}

	/**
	 * Default subject.
	 */
	public function get_default_subject() {
		return __( 'Your order #{order_number} is waiting for you at {store_name}', 'omnistock' );
	}

	/**
	 * Default heading.
	 */
	public function get_default_heading() {
		return __( 'Your order is waiting', 'omnistock' );
	}
}
