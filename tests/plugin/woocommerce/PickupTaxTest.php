<?php
/**
 * A pickup is taxed at the chosen store's tax address (its country, state, postcode and city, or
 * the shop's base address when it has no country), as the POS taxes a sale there; not at one of
 * WooCommerce's own pickup places that happens to have the location's id as its index.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;

final class PickupTaxTest extends WcTestCase {

	private const WC_PICKUP_PLACES = 'pickup_location_pickup_locations';

	protected function tearDown(): void {
		WC()->session->set( 'chosen_shipping_methods', null );
		delete_option( self::WC_PICKUP_PLACES );
		parent::tearDown();
	}

	private function taxable_with( string $chosen ): array {
		WC()->session->set( 'chosen_shipping_methods', array( $chosen ) );
		return array_values( WC()->customer->get_taxable_address() );
	}

	public function test_a_pickup_is_taxed_at_the_store_and_the_shops_own_pickup_places_stay_theirs(): void {
		$store = $this->loc[2];
		Plugin::locations()->update(
			$store,
			array(
				'country'  => 'AT',
				'state'    => '',
				'postcode' => '1010',
				'city'     => 'Wien',
			)
		);
		// One of the owner's own pickup places (WooCommerce 8+) at the index that equals the store's id.
		$places           = array_fill( 0, $store + 1, array( 'name' => 'Elsewhere', 'address' => array( 'country' => 'FR', 'state' => '', 'postcode' => '75001', 'city' => 'Paris' ), 'enabled' => true ) );
		update_option( self::WC_PICKUP_PLACES, $places );
		$this->assertSame( array( 'AT', '', '1010', 'Wien' ), $this->taxable_with( 'omnistock_pickup:' . $store ), 'taxed at the chosen store' );

		Plugin::locations()->update( $store, array( 'country' => '' ) );
		$base = WC()->countries;
		$this->assertSame( array( $base->get_base_country(), $base->get_base_state(), $base->get_base_postcode(), $base->get_base_city() ), $this->taxable_with( 'omnistock_pickup:' . $store ), 'a store without a country: the shop\'s base address' );

		$this->assertNotSame( array( 'AT', '', '1010', 'Wien' ), $this->taxable_with( 'flat_rate:1' ), 'a shipped order is not taxed at the store' );
		// WooCommerce's own pickup (its answer, whatever its version makes of it) is left as it is.
		$before = null;
		$seen   = static function ( $address ) use ( &$before ) {
			$before = array_values( $address );
			return $address;
		};
		add_filter( 'woocommerce_customer_taxable_address', $seen, 19 );
		try {
			$final = $this->taxable_with( 'pickup_location:' . $store );
			$this->assertNotNull( $before );
			$this->assertSame( $before, $final, "WooCommerce's own pickup place keeps WooCommerce's answer" );
		} finally {
			remove_filter( 'woocommerce_customer_taxable_address', $seen, 19 );
		}
	}
}
