<?php
/**
 * Adapter: the shipping method behind the pickup rates.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce asks a cart for shipping rates only while it counts an enabled shipping method
 * (`WC_Cart::needs_shipping()` returns false when `wc_get_shipping_method_count( true )` is 0),
 * and it counts zone methods and enabled methods that are not zone methods. This is one of the
 * latter, enabled while a location offers pickup, so a shop with no zone methods at all still
 * offers pickup, and the owner never adds a method to each zone. WooCommerce runs it for every
 * package in every zone (as it does its own block "Local pickup"); PickupRates makes its rates.
 * It supports `local-pickup`, so WooCommerce 10's Checkout block shows its rates in one list of
 * pickup stores (BlockLocalPickup turns the block's Pickup option on while a location offers it).
 */
final class PickupMethod extends \WC_Shipping_Method {

	/**
	 * The method id: every pickup rate is `omnistock_pickup:<location id>`.
	 */
	public const ID = 'omnistock_pickup';

	/**
	 * Takes its id, where its rates come from and whether pickup is on.
	 *
	 * @param string   $id        The method id (PickupRates::METHOD).
	 * @param \Closure $rates_for The pickup rates of a package: fn( array $package ): array.
	 * @param bool     $on        Some location offers pickup.
	 */
	public function __construct( string $id, private readonly \Closure $rates_for, bool $on ) {
		parent::__construct();
		$this->id                 = $id;
		$this->method_title       = __( 'Pickup at a store (Omnistock)', 'omnistock' );
		$this->method_description = __( 'One rate per location that offers pickup and has the whole cart in stock. Set up under Omnistock → Locations.', 'omnistock' );
		$this->title              = $this->method_title;
		// Not a zone method, no settings screen: the locations decide. `local-pickup`: WooCommerce 8+
		// knows a pickup rate by its method's support (the Checkout block lists such rates as its
		// pickup stores, and does not count the method as one of the shop's shipping methods).
		$this->supports = array( 'local-pickup' );
		$this->switch( $on );
	}

	/**
	 * Pickup turned on or off (a location changed).
	 *
	 * @param bool $on Some location offers pickup.
	 */
	public function switch( bool $on ): void {
		$this->enabled = $on ? 'yes' : 'no';
	}

	/**
	 * Available wherever the shopper is: what matters is the store, not the address.
	 *
	 * @param array $package The shipping package.
	 */
	public function is_available( $package ) {
		return (bool) apply_filters( 'woocommerce_shipping_' . $this->id . '_is_available', $this->is_enabled(), $package, $this ); // phpcs:ignore WordPress.NamingConventions.ValidHookName.UseUnderscores -- WooCommerce's own hook name.
	}

	/**
	 * The package's pickup rates.
	 *
	 * @param array $package The shipping package.
	 */
	public function calculate_shipping( $package = array() ): void {
		$this->rates = ( $this->rates_for )( $package );
	}
}
