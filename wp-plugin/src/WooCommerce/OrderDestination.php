<?php
/**
 * Service: the shipping address of an order or a cart as routing's Destination.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Destination;
use Omnistock\Inventory\Postcodes;

defined( 'ABSPATH' ) || exit;

/**
 * The zone is the shop's shipping zone WooCommerce matches the address to
 * (WC_Shipping_Zones::get_zone_matching_package(): 0 is "Locations not covered by your other
 * zones"). The coordinates come from the filter `omnistock_address_coordinates` (a geocoding plugin
 * answers [latitude, longitude]), else from the shop's postcode table, else they are unknown.
 */
final class OrderDestination {

	/** The filter a geocoding plugin answers: null, or [latitude, longitude] of the address. */
	public const FILTER = 'omnistock_address_coordinates';

	/**
	 * Takes its dependency.
	 *
	 * @param Postcodes $postcodes The shop's postcode table.
	 */
	public function __construct( private readonly Postcodes $postcodes ) {
	}

	/**
	 * The order's shipping address (its billing address when it has none).
	 *
	 * @param \WC_Order $order Order.
	 */
	public function of_order( \WC_Order $order ): Destination {
		$kind = '' !== (string) $order->get_shipping_country() ? 'shipping' : 'billing';
		$get  = static fn( string $field ): string => (string) $order->{"get_{$kind}_{$field}"}();
		return $this->of_address(
			array(
				'country'   => $get( 'country' ),
				'state'     => $get( 'state' ),
				'postcode'  => $get( 'postcode' ),
				'city'      => $get( 'city' ),
				'address_1' => $get( 'address_1' ),
				'address_2' => $get( 'address_2' ),
			)
		);
	}

	/**
	 * The shopper's shipping address as WooCommerce's session knows it (the cart's, before there
	 * is an order); an unknown address without a customer.
	 */
	public function of_customer(): Destination {
		$customer = function_exists( 'WC' ) ? WC()->customer : null;
		if ( ! $customer instanceof \WC_Customer ) {
			return new Destination();
		}
		return $this->of_address(
			array(
				'country'   => (string) $customer->get_shipping_country(),
				'state'     => (string) $customer->get_shipping_state(),
				'postcode'  => (string) $customer->get_shipping_postcode(),
				'city'      => (string) $customer->get_shipping_city(),
				'address_1' => (string) $customer->get_shipping_address_1(),
				'address_2' => (string) $customer->get_shipping_address_2(),
			)
		);
	}

	/**
	 * An address (WooCommerce's package destination fields: country, state, postcode, city,
	 * address_1, address_2); no country is an unknown address.
	 *
	 * @param array<string, string> $address The address.
	 */
	public function of_address( array $address ): Destination {
		$address = array_map( 'strval', $address ) + array(
			'country'   => '',
			'state'     => '',
			'postcode'  => '',
			'city'      => '',
			'address_1' => '',
			'address_2' => '',
		);
		if ( '' === $address['country'] ) {
			return new Destination();
		}
		$zone = null;
		if ( class_exists( \WC_Shipping_Zones::class ) ) {
			$zone = (int) \WC_Shipping_Zones::get_zone_matching_package( array( 'destination' => $address ) )->get_id();
		}
		/**
		 * The coordinates of a shipping address, for routing by distance: null when unknown, or
		 * [latitude, longitude] in degrees. A geocoding plugin answers; else the postcode table is asked.
		 *
		 * @param array{0: float, 1: float}|null $coordinates Null.
		 * @param array<string, string>          $address     country, state, postcode, city, address_1, address_2.
		 */
		$found = apply_filters( self::FILTER, null, $address );
		if ( is_array( $found ) && isset( $found[0], $found[1] ) && is_numeric( $found[0] ) && is_numeric( $found[1] ) && abs( (float) $found[0] ) <= 90 && abs( (float) $found[1] ) <= 180 ) {
			return new Destination( $zone, (float) $found[0], (float) $found[1] );
		}
		$found = $this->postcodes->find( $address['country'], $address['postcode'] );
		return null === $found ? new Destination( $zone ) : new Destination( $zone, $found[0], $found[1] );
	}
}
