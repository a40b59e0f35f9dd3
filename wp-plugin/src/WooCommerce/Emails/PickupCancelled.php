<?php
/**
 * E-mail omnistock_pickup_cancelled.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Sent to the shopper when a pickup order is cancelled by the store or because it was not collected.
 */
final class PickupCancelled extends PickupEmail {

	/**
	 * Names it.
	 */
	public function __construct() {
		$this->id             = 'omnistock_pickup_cancelled';
		$this->customer_email = true;
		$this->title          = __( 'Pickup cancelled', 'omnistock' );
		$this->description    = __( 'Sent to the shopper when a pickup order is cancelled by the store or because it was not collected.', 'omnistock' );
		parent::__construct();
	}

	/**
	 * Default subject.
	 */
	public function get_default_subject() {
		return __( 'Your pickup order #{order_number} was cancelled', 'omnistock' );
	}

	/**
	 * Default heading.
	 */
	public function get_default_heading() {
		return __( 'Pickup cancelled', 'omnistock' );
	}
}
