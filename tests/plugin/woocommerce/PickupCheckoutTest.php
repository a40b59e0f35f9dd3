<?php
/**
 * Pickup at checkout (issue 15): a rate per store that can supply the cart, and an order that
 * chose one held then committed at that store, not where shipping routing would send it.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

final class PickupCheckoutTest extends WcTestCase {

	private function count_at( int $product, int $location, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product,
					'location' => $location,
					'qty'      => $qty,
					'at'       => Database::now_ms() - 60000,
				),
			)
		);
	}

	/**
	 * The rates WooCommerce's filter ends with for a package of $lines ([product, qty]), beside one flat rate.
	 *
	 * @return array<string, \WC_Shipping_Rate>
	 */
	private function rates( array $lines ): array {
		$contents = array();
		foreach ( $lines as $i => list( $product, $qty ) ) {
			$contents[ "line$i" ] = array(
				'data'       => $product,
				'quantity'   => $qty,
				'product_id' => $product->get_id(),
			);
		}
		$flat = new \WC_Shipping_Rate( 'flat_rate:1', 'Flat rate', 5, array(), 'flat_rate', 1 );
		return apply_filters( 'woocommerce_package_rates', array( 'flat_rate:1' => $flat ), array( 'contents' => $contents ) );
	}

	/**
	 * An order that chose the pickup rate of $location.
	 */
	private function pickup_order( array $lines, int $location ): \WC_Order {
		$order    = $this->order( $lines );
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_props(
			array(
				'method_title' => 'Pickup store',
				'method_id'    => 'omnistock_pickup',
				'instance_id'  => $location,
				'total'        => 0,
			)
		);
		$order->add_item( $shipping );
		$order->save();
		return $order;
	}

	public function test_a_store_is_offered_only_when_it_can_supply_every_line(): void {
		$mug = $this->simple( 3 ); // At the Warehouse only.
		$this->assertSame( array( 'flat_rate:1' ), array_keys( $this->rates( array( array( $mug, 1 ) ) ) ), 'the pickup store has none: not offered' );

		$this->count_at( $mug->get_id(), $this->loc[2], 2 );
		$rates = $this->rates( array( array( $mug, 2 ) ) );
		$id    = 'omnistock_pickup:' . $this->loc[2];
		$this->assertSame( array( 'flat_rate:1', $id ), array_keys( $rates ) );
		$this->assertSame( 'omnistock_pickup', $rates[ $id ]->get_method_id() );
		$this->assertSame( $this->loc[2], (int) $rates[ $id ]->get_instance_id() );
		$this->assertSame( 'Pickup store', $rates[ $id ]->get_label() );
		$this->assertSame( 0.0, (float) $rates[ $id ]->get_cost() );
		$meta = $rates[ $id ]->get_meta_data();
		$this->assertSame( 'Pickup store', $meta['pickup_location'] );
		$this->assertSame( 'Ready in about 2 hours', $meta['pickup_details'] );

		$this->assertSame( array( 'flat_rate:1' ), array_keys( $this->rates( array( array( $mug, 3 ) ) ) ), '3 wanted, 2 there: not offered' );
		$tea = $this->simple( 5 );
		$this->assertSame( array( 'flat_rate:1' ), array_keys( $this->rates( array( array( $mug, 1 ), array( $tea, 1 ) ) ) ), 'one line it cannot supply: not offered' );

		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => false ) );
		$this->assertSame( array( 'flat_rate:1' ), array_keys( $this->rates( array( array( $mug, 1 ) ) ) ), 'no location offers pickup: off' );
	}

	public function test_a_cart_only_a_pickup_store_can_supply_offers_only_pickup(): void {
		$lamp = $this->simple( 0 );
		$this->count_at( $lamp->get_id(), $this->loc[2], 1 );
		$this->assertSame( array( 'omnistock_pickup:' . $this->loc[2] ), array_keys( $this->rates( array( array( $lamp, 1 ) ) ) ) );
	}

	public function test_a_pickup_order_is_held_then_committed_at_the_store(): void {
		$mug = $this->simple( 3 ); // The Warehouse ships first by priority; the shopper picks the store.
		$this->count_at( $mug->get_id(), $this->loc[2], 2 );
		$order = $this->pickup_order( array( array( $mug, 2 ) ), $this->loc[2] );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( (string) $this->loc[2], (string) $this->fresh( $order )->get_meta( Meta::PICKUP_LOCATION ) );
		$item = current( $this->fresh( $order )->get_items() );
		$this->assertSame( (string) $this->loc[2], $item->get_meta( OrderStock::LOCATION ) );
		$this->assertSame( 2, $this->cell( $mug->get_id(), $this->loc[2] )['held'] );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['held'], 'nothing held at the Warehouse' );

		$this->fresh( $order )->payment_complete();
		$cell = $this->cell( $mug->get_id(), $this->loc[2] );
		$this->assertSame( array( 2, 2, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'] ) );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['committed'] );
		$this->assertSame( 'committed', $this->state( $order ) );
	}

	public function test_a_pickup_whose_units_are_gone_at_the_store_is_refused_with_woocommerces_wording(): void {
		$mug = $this->simple( 3 ); // Plenty at the Warehouse, none left at the store.
		$this->count_at( $mug->get_id(), $this->loc[2], 1 );
		$order = $this->pickup_order( array( array( $mug, 2 ) ), $this->loc[2] );
		$this->assertStringContainsString( 'available in stock to fulfil this order', (string) $this->checkout( $order ) );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[2] )['held'] );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['held'], 'not routed elsewhere' );
	}
}
