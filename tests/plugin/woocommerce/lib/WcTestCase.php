<?php
/**
 * Base of the WooCommerce suites: clean Omnistock tables, three locations, real WooCommerce
 * products and orders, and the check that the shop shows Omnistock's online sellable.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\LedgerFold;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

/**
 * Locations: [0] Warehouse (ships online, priority 0), [1] Store (ships online, priority 1),
 * [2] Pickup store (does not ship online).
 */
abstract class WcTestCase extends \PHPUnit\Framework\TestCase {

	/** @var array{0:int, 1:int, 2:int} */
	protected array $loc;

	protected function setUp(): void {
		global $wpdb;
		$tables = new Tables( $wpdb );
		foreach ( array_merge( $tables->all(), $tables->connectors() ) as $table ) {
			Plugin::database()->statement( "DELETE FROM $table" );
		}
		$locations = Plugin::locations();
		$this->loc = array(
			$locations->create(
				array(
					'name'         => 'Warehouse',
					'ships_online' => true,
					'priority'     => 0,
				)
			)['id'],
			$locations->create(
				array(
					'name'         => 'Store',
					'ships_online' => true,
					'priority'     => 1,
				)
			)['id'],
			$locations->create(
				array(
					'name'          => 'Pickup store',
					'ships_online'  => false,
					'offers_pickup' => true,
					'priority'      => 2,
				)
			)['id'],
		);
		Plugin::inventory()->reload_location_ids();
	}

	/**
	 * A simple product whose stock WooCommerce manages, typed in as $stock (a count at the Warehouse).
	 */
	protected function simple( int $stock, string $backorders = 'no' ): \WC_Product_Simple {
		$product = new \WC_Product_Simple();
		$product->set_name( 'Mug ' . wp_generate_password( 6, false ) );
		$product->set_regular_price( '10' );
		$product->set_manage_stock( true );
		$product->set_backorders( $backorders );
		$product->set_stock_quantity( $stock );
		$product->save();
		return $product;
	}

	/**
	 * A variable product with two variations that manage their own stock.
	 *
	 * @return array{0:\WC_Product_Variable, 1:\WC_Product_Variation, 2:\WC_Product_Variation}
	 */
	protected function variable( int $stock_a, int $stock_b ): array {
		$attribute = new \WC_Product_Attribute();
		$attribute->set_name( 'Size' );
		$attribute->set_options( array( 'S', 'M' ) );
		$attribute->set_visible( true );
		$attribute->set_variation( true );
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'Shirt ' . wp_generate_password( 6, false ) );
		$parent->set_attributes( array( $attribute ) );
		$parent->save();
		$variations = array();
		foreach ( array( 'S' => $stock_a, 'M' => $stock_b ) as $size => $stock ) {
			$variation = new \WC_Product_Variation();
			$variation->set_parent_id( $parent->get_id() );
			$variation->set_attributes( array( 'size' => $size ) );
			$variation->set_regular_price( '20' );
			$variation->set_manage_stock( true );
			$variation->set_stock_quantity( $stock );
			$variation->save();
			$variations[] = $variation;
		}
		\WC_Product_Variable::sync( $parent->get_id() );
		return array( wc_get_product( $parent->get_id() ), $variations[0], $variations[1] );
	}

	/**
	 * An order of these lines ([product, qty], ...), pending payment.
	 */
	protected function order( array $lines ): \WC_Order {
		$order = wc_create_order();
		foreach ( $lines as list( $product, $qty ) ) {
			$order->add_product( $product, $qty );
		}
		$order->set_billing_email( 'buyer@example.org' );
		$order->set_payment_method( 'test' ); // Not cod: its gateway makes payment_complete() go straight to completed.
		$order->calculate_totals();
		$order->save();
		return $order;
	}

	/**
	 * Checkout as WooCommerce's classic checkout does once the order is created (the action its
	 * create_order() fires); returns the error message or null.
	 */
	protected function checkout( \WC_Order $order ): ?string {
		try {
			do_action( 'woocommerce_checkout_order_created', $order );
			return null;
		} catch ( \Exception $e ) {
			return $e->getMessage();
		}
	}

	/**
	 * The order as stored now.
	 */
	protected function fresh( \WC_Order $order ): \WC_Order {
		wp_cache_flush();
		return wc_get_order( $order->get_id() );
	}

	/**
	 * The cell of a product at a location: on_hand, committed, held, sellable.
	 */
	protected function cell( int $product, int $location ): array {
		foreach ( Plugin::inventory()->stock( $product )['locations'] as $row ) {
			if ( $row['location'] === $location ) {
				return $row;
			}
		}
		$this->fail( "location $location not in stock()" );
	}

	/**
	 * WooCommerce's _stock, stock status and Store API is_in_stock equal Omnistock's online
	 * sellable; the levels equal the fold of the ledger.
	 */
	protected function assertShopAgrees( \WC_Product $product, string $step ): void {
		wp_cache_flush();
		$id     = $product->get_id();
		$online = Plugin::inventory()->stock( $id )['online'];
		$fresh  = wc_get_product( $id );
		$this->assertSame( $online, (int) get_post_meta( $id, '_stock', true ), "$step: _stock of #$id" );
		$this->assertSame( $online, (int) $fresh->get_stock_quantity(), "$step: stock quantity of #$id" );
		$this->assertSame( $online > 0 || $fresh->backorders_allowed() ? ( $online > 0 ? 'instock' : 'onbackorder' ) : 'outofstock', $fresh->get_stock_status(), "$step: stock status of #$id" );
		$store_id = $fresh->get_parent_id() ? $fresh->get_parent_id() : $id;
		$response = rest_do_request( new \WP_REST_Request( 'GET', "/wc/store/v1/products/$store_id" ) );
		$this->assertSame( 200, $response->get_status(), "$step: Store API product" );
		$data = $response->get_data();
		if ( $fresh->get_parent_id() ) {
			$parent_online = 0;
			foreach ( wc_get_product( $store_id )->get_children() as $child ) {
				$parent_online += max( 0, Plugin::inventory()->stock( $child )['online'] );
			}
			$this->assertSame( $parent_online > 0, $data['is_in_stock'], "$step: Store API is_in_stock of #$store_id" );
		} else {
			$this->assertSame( $online > 0 || $fresh->backorders_allowed(), $data['is_in_stock'], "$step: Store API is_in_stock of #$id" );
		}
		$drift = ( new LedgerFold( Plugin::database(), new Tables( $GLOBALS['wpdb'] ) ) )->drift();
		$this->assertSame( array(), $drift['drift'], "$step: levels differ from the fold of the ledger" );
	}

	/**
	 * Omnistock's state of an order.
	 */
	protected function state( \WC_Order $order ): string {
		return (string) $this->fresh( $order )->get_meta( OrderStock::STATE );
	}
}
