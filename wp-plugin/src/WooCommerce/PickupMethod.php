<?php
/**
 * Adapter: the shipping method `omnistock_pickup`, declared so WooCommerce knows its rates are pickups.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce 8.x+ counts a rate as a local pickup (the Checkout block lists it among the pickup
 * stores, asks no shipping address for it, keeps it in every package) when its method is a
 * registered shipping method that supports `local-pickup`; the filter woocommerce_local_pickup_methods
 * is what older versions and the order screens read. This method only declares that: it is never
 * enabled, so it adds no rate of its own (PickupRates adds them, per store that can supply the cart),
 * is not counted as a shipping method of the shop and has no settings screen.
 */
final class PickupMethod extends \WC_Shipping_Method {

	/** The method id (PickupRates::METHOD). */
	public const ID = 'omnistock_pickup';

	/**
	 * Declares the method.
	 *
	 * @param int $instance_id Unused: the method belongs to no shipping zone.
	 */
	public function __construct( $instance_id = 0 ) {
		parent::__construct( $instance_id );
		$this->id                 = self::ID;
		$this->method_title       = __( 'Pickup at a store (Omnistock)', 'omnistock' );
		$this->method_description = __( 'One rate per Omnistock location that offers pickup and can supply the cart.', 'omnistock' );
		$this->enabled            = 'no';
		$this->supports           = array( 'local-pickup' );
	}

	/**
	 * No rates of its own: PickupRates adds them through woocommerce_package_rates.
	 *
	 * @param array<string, mixed> $package The shipping package.
	 */
	public function calculate_shipping( $package = array() ): void {
	}
}
