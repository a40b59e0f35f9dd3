<?php
/**
 * A store the shopper has chosen stays chosen (issue 15: the shopper who loses the last unit is
 * told at checkout, never moved to another rate without a word): it stays among the rates when its
 * units go, WooCommerce does not switch to its first rate when the rates change, and the checkout
 * then refuses with WooCommerce's out-of-stock wording.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Plugin;

final class PickupChosenStoreTest extends WcTestCase {

	protected function setUp(): void {
		parent::setUp();
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) ); // A second pickup store.
	}

	protected function tearDown(): void {
		WC()->session->set( 'chosen_shipping_methods', null );
		parent::tearDown();
	}

	private function count_at( int $product, int $location, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product,
					'location' => $location,
					'qty'      => $qty,
					'at'       => Database::now_ms() - 1000,
				),
			)
		);
	}

	/**
	 * The rates WooCommerce's filter ends with for one line, beside a flat rate.
	 *
	 * @return list<string>
	 */
	private function rate_ids( \WC_Product $product, int $qty ): array {
		$flat  = new \WC_Shipping_Rate( 'flat_rate:1', 'Flat rate', 5, array(), 'flat_rate', 1 );
		$rates = apply_filters(
			'woocommerce_package_rates',
			array( 'flat_rate:1' => $flat ),
			array(
				'contents' => array(
					'line' => array(
						'data'     => $product,
						'quantity' => $qty,
					),
				),
			)
		);
		return array_keys( $rates );
	}

	public function test_a_chosen_store_whose_units_went_stays_and_the_checkout_is_refused(): void {
		$mug   = $this->simple( 3 );
		$mitte = 'omnistock_pickup:' . $this->loc[2];
		$this->count_at( $mug->get_id(), $this->loc[2], 1 );
		$this->count_at( $mug->get_id(), $this->loc[1], 1 );
		$this->assertSame( array( 'flat_rate:1', 'omnistock_pickup:' . $this->loc[1], $mitte ), $this->rate_ids( $mug, 1 ), 'both stores can supply it' );

		WC()->session->set( 'chosen_shipping_methods', array( $mitte ) );
		$this->count_at( $mug->get_id(), $this->loc[2], 0 ); // Sold at Store Mitte's counter.
		$this->count_at( $mug->get_id(), $this->loc[1], 0 );
		$this->assertSame( array( 'flat_rate:1', $mitte ), $this->rate_ids( $mug, 1 ), 'the chosen store stays; the other, short, is not offered' );

		WC()->session->set( 'chosen_shipping_methods', array( 'flat_rate:1' ) );
		$this->assertSame( array( 'flat_rate:1' ), $this->rate_ids( $mug, 1 ), 'not chosen, short: not offered' );

		// The order that kept the choice is refused at checkout in WooCommerce's words, and not
		// held anywhere else.
		$order    = $this->order( array( array( $mug, 1 ) ) );
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_props(
			array(
				'method_title' => 'Store Mitte',
				'method_id'    => 'omnistock_pickup',
				'instance_id'  => $this->loc[2],
				'total'        => 0,
			)
		);
		$order->add_item( $shipping );
		$order->save();
		$this->assertStringContainsString( 'Not enough units of ' . $mug->get_name() . ' are available in stock to fulfil this order', (string) $this->checkout( $order ) );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['held'], 'not shipped from the Warehouse instead' );
	}

	public function test_woocommerce_keeps_a_chosen_store_when_the_rates_change(): void {
		$flat  = new \WC_Shipping_Rate( 'flat_rate:1', 'Flat rate', 5, array(), 'flat_rate', 1 );
		$mitte = 'omnistock_pickup:' . $this->loc[2];
		$store = new \WC_Shipping_Rate( $mitte, 'Store Mitte', 0, array(), 'omnistock_pickup', $this->loc[2] );
		$rates = array(
			'flat_rate:1' => $flat,
			$mitte        => $store,
		);
		// WooCommerce 7.7 picks its first rate whenever the package's rates changed.
		$this->assertSame( $mitte, wc_get_default_shipping_method_for_package( 0, array( 'rates' => $rates ), $mitte ), 'the chosen store, still offered, stays chosen' );
		$this->assertSame( 'flat_rate:1', wc_get_default_shipping_method_for_package( 0, array( 'rates' => $rates ), 'flat_rate:1' ) );
		$this->assertNotSame( $mitte, wc_get_default_shipping_method_for_package( 0, array( 'rates' => array( 'flat_rate:1' => $flat ) ), $mitte ), 'a store no longer offered is not chosen' );
	}
}
