<?php
/**
 * Checkout → pay → complete, cancel, refund with and without restock, on real WooCommerce orders,
 * for a simple product and a variation; the shop's stock number checked after every step.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;
use Omnistock\WooCommerce\OrderStockState;

final class OrderLifecycleTest extends WcTestCase {

	/**
	 * Products of both types: [label, the product ordered].
	 */
	private function products(): array {
		list( , $small ) = $this->variable( 3, 7 );
		return array(
			'simple'    => $this->simple( 3 ),
			'variation' => $small,
		);
	}

	/**
	 * Refunds one unit of the line (amount 0), with or without WooCommerce's restock.
	 */
	private function refund_one( \WC_Order $order, int $item_id, bool $restock, string $type ): void {
		$refund = wc_create_refund(
			array(
				'order_id'      => $order->get_id(),
				'amount'        => 0,
				'line_items'    => array(
					$item_id => array(
						'qty'          => 1,
						'refund_total' => 0,
					),
				),
				'restock_items' => $restock,
			)
		);
		$this->assertInstanceOf( \WC_Order_Refund::class, $refund, $type );
	}

	public function test_stock_typed_into_woocommerce_is_a_count_at_the_default_location(): void {
		foreach ( $this->products() as $type => $product ) {
			$id = $product->get_id();
			$this->assertSame( 3, $this->cell( $id, $this->loc[0] )['on_hand'], "$type: counted at the Warehouse" );
			$this->assertSame( 0, $this->cell( $id, $this->loc[1] )['on_hand'], $type );
			$this->assertShopAgrees( $product, "$type created" );
		}
	}

	public function test_checkout_pay_complete(): void {
		foreach ( $this->products() as $type => $product ) {
			$id    = $product->get_id();
			$order = $this->order( array( array( $product, 2 ) ) );
			$this->assertNull( $this->checkout( $order ), $type );
			$this->assertSame( 2, $this->cell( $id, $this->loc[0] )['held'], "$type: held at checkout" );
			$item = current( $this->fresh( $order )->get_items() );
			$this->assertSame( (string) $this->loc[0], $item->get_meta( OrderStock::LOCATION ), "$type: route stored on the line" );
			$this->assertShopAgrees( $product, "$type checkout" );

			$this->fresh( $order )->payment_complete();
			$cell = $this->cell( $id, $this->loc[0] );
			$this->assertSame( array( 3, 2, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'] ), "$type: paid" );
			$this->assertSame( 'committed', $this->state( $order ), $type );
			$this->assertSame( 'processing', $this->fresh( $order )->get_status(), $type );
			$this->assertShopAgrees( $product, "$type paid" );

			$this->fresh( $order )->update_status( 'completed' );
			$cell = $this->cell( $id, $this->loc[0] );
			$this->assertSame( array( 1, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'] ), "$type: shipped" );
			$this->assertSame( 'fulfilled', $this->state( $order ), $type );
			$this->assertShopAgrees( $product, "$type completed" );
			foreach ( $this->fresh( $order )->get_items() as $item ) {
				$this->assertSame( '', (string) $item->get_meta( '_reduced_stock' ), "$type: WooCommerce reduced nothing itself" );
			}
		}
	}

	public function test_cancel_before_and_after_payment(): void {
		foreach ( $this->products() as $type => $product ) {
			$id    = $product->get_id();
			$order = $this->order( array( array( $product, 1 ) ) );
			$this->checkout( $order );
			$this->fresh( $order )->update_status( 'cancelled' );
			$this->assertSame( 0, $this->cell( $id, $this->loc[0] )['held'], "$type: hold released" );
			$this->assertShopAgrees( $product, "$type cancelled unpaid" );

			$order = $this->order( array( array( $product, 2 ) ) );
			$this->checkout( $order );
			$this->fresh( $order )->payment_complete();
			$this->assertSame( 2, $this->cell( $id, $this->loc[0] )['committed'], $type );
			$this->fresh( $order )->update_status( 'cancelled' );
			$cell = $this->cell( $id, $this->loc[0] );
			$this->assertSame( array( 3, 0, 0, 3 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), "$type: paid then cancelled" );
			$this->assertShopAgrees( $product, "$type cancelled paid" );

			$order = $this->order( array( array( $product, 1 ) ) );
			$this->checkout( $order );
			$this->fresh( $order )->update_status( 'failed' );
			$this->assertSame( 3, $this->cell( $id, $this->loc[0] )['sellable'], "$type: failed payment released" );
			$this->assertShopAgrees( $product, "$type failed" );
		}
	}

	public function test_refund_with_and_without_restock(): void {
		foreach ( $this->products() as $type => $product ) {
			$id    = $product->get_id();
			$order = $this->order( array( array( $product, 2 ) ) );
			$this->checkout( $order );
			$this->fresh( $order )->payment_complete();
			$this->fresh( $order )->update_status( 'completed' );
			$this->assertSame( 1, $this->cell( $id, $this->loc[0] )['on_hand'], $type );
			$item_id = key( $this->fresh( $order )->get_items() );

			$this->refund_one( $order, $item_id, false, $type );
			$this->assertSame( 1, $this->cell( $id, $this->loc[0] )['on_hand'], "$type: refund without restock keeps stock" );
			$this->assertShopAgrees( $product, "$type refund without restock" );

			$this->refund_one( $order, $item_id, true, $type );
			$this->assertSame( 2, $this->cell( $id, $this->loc[0] )['on_hand'], "$type: refund with restock puts the unit back at the line's location" );
			$this->assertShopAgrees( $product, "$type refund with restock" );
		}
	}

	public function test_checkout_short_fails_with_woocommerces_error_and_holds_nothing(): void {
		$product = $this->simple( 1 );
		$other   = $this->simple( 5 );
		$order   = $this->order( array( array( $other, 1 ), array( $product, 2 ) ) );
		$error   = $this->checkout( $order );
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $product->get_name() ), $error );
		$this->assertSame( 0, $this->cell( $other->get_id(), $this->loc[0] )['held'], 'all lines or none' );
		$this->assertShopAgrees( $other, 'refused checkout' );
		$this->assertShopAgrees( $product, 'refused checkout' );
	}

	public function test_route_keeps_the_order_at_one_location_when_one_covers_it(): void {
		$a = $this->simple( 1 );
		$b = $this->simple( 0 );
		// The Store has both; the Warehouse only a.
		Plugin::inventory()->record(
			array(
				array( 'id' => 't:a', 'kind' => 'count', 'product' => $a->get_id(), 'location' => $this->loc[1], 'qty' => 2, 'at' => 1 ),
				array( 'id' => 't:b', 'kind' => 'count', 'product' => $b->get_id(), 'location' => $this->loc[1], 'qty' => 2, 'at' => 1 ),
			)
		);
		$this->assertShopAgrees( $a, 'counted at the Store' );
		$order = $this->order( array( array( $a, 1 ), array( $b, 1 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		foreach ( $this->fresh( $order )->get_items() as $item ) {
			$this->assertSame( (string) $this->loc[1], $item->get_meta( OrderStock::LOCATION ), 'whole order at the Store' );
		}
		$this->assertSame( 1, $this->cell( $a->get_id(), $this->loc[1] )['held'] );
		$this->assertSame( 0, $this->cell( $a->get_id(), $this->loc[0] )['held'] );
		$this->assertShopAgrees( $a, 'held at the Store' );
	}

	public function test_products_that_do_not_manage_stock_are_left_alone(): void {
		$product = new \WC_Product_Simple();
		$product->set_name( 'Gift card' );
		$product->set_regular_price( '5' );
		$product->save();
		$order = $this->order( array( array( $product, 3 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->assertSame( 'processing', $this->fresh( $order )->get_status() );
		$this->assertSame( '', $this->state( $order ) );
		$this->assertSame( array(), Plugin::inventory()->stock( $product->get_id() )['locations'][0]['on_hand'] ? array( 'changed' ) : array() );
	}

	public function test_admin_edits_of_order_items_adjust_holds_and_commitments(): void {
		foreach ( $this->products() as $type => $product ) {
			$id    = $product->get_id();
			$order = $this->order( array( array( $product, 1 ) ) );
			$this->checkout( $order );
			$item = current( $this->fresh( $order )->get_items() );
			$item->set_quantity( 2 );
			$item->save();
			do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
			$this->assertSame( 2, $this->cell( $id, $this->loc[0] )['held'], "$type: held order edited to 2" );
			$this->assertShopAgrees( $product, "$type held order edited" );

			$this->fresh( $order )->payment_complete();
			$item = current( $this->fresh( $order )->get_items() );
			$item->set_quantity( 3 );
			$item->save();
			do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
			$this->assertSame( 3, $this->cell( $id, $this->loc[0] )['committed'], "$type: paid order edited to 3" );
			$this->assertShopAgrees( $product, "$type paid order edited up" );

			$item = current( $this->fresh( $order )->get_items() );
			$item->set_quantity( 1 );
			$item->save();
			do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
			$this->assertSame( 1, $this->cell( $id, $this->loc[0] )['committed'], "$type: paid order edited to 1" );
			$this->assertShopAgrees( $product, "$type paid order edited down" );

			$item = current( $this->fresh( $order )->get_items() );
			$item->set_quantity( 5 );
			$item->save();
			do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
			$this->assertSame( 1, $this->cell( $id, $this->loc[0] )['committed'], "$type: more than there is is not committed" );
			$this->assertShopAgrees( $product, "$type paid order edited beyond stock" );

			$this->fresh( $order )->update_status( 'completed' );
			$this->assertSame( array( 2, 0 ), array_slice( array_values( $this->cell( $id, $this->loc[0] ) ), 3, 2 ), "$type: the committed unit shipped" );
			$this->assertShopAgrees( $product, "$type edited order completed" );
		}
	}

	public function test_the_order_state_is_stored_as_before_and_read_back_by_its_owner(): void {
		// The stored values are the strings orders already carry: a change would orphan them.
		$this->assertSame(
			array( 'held', 'committed', 'short', 'fulfilled', 'released' ),
			array_map( static fn( OrderStockState $s ) => $s->value, OrderStockState::cases() )
		);
		$order = $this->order( array( array( $this->simple( 3 ), 1 ) ) );
		$this->assertNull( OrderStock::state( $this->fresh( $order ) ), 'a new order holds nothing' );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( OrderStockState::Held, OrderStock::state( $this->fresh( $order ) ) );
		$fresh = $this->fresh( $order );
		OrderStock::sold_at_once( $fresh );
		$fresh->save();
		$this->assertSame( 'fulfilled', $this->state( $order ), 'sold at once is stored as fulfilled' );
		$fresh = $this->fresh( $order );
		OrderStock::forget( $fresh );
		$fresh->save();
		$this->assertSame( '', $this->state( $order ), 'forgotten: no state stored' );
		$this->assertNull( OrderStock::state( $this->fresh( $order ) ) );
		$fresh = $this->fresh( $order );
		$fresh->update_meta_data( OrderStock::STATE, 'no-such-state' );
		$fresh->save();
		$this->assertNull( OrderStock::state( $this->fresh( $order ) ), 'an unknown stored value is no state' );
	}

	public function test_only_order_stock_names_the_order_state_meta(): void {
		$src   = dirname( __DIR__, 3 ) . '/wp-plugin/src';
		$found = array();
		$files = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $src, \FilesystemIterator::SKIP_DOTS ) );
		foreach ( $files as $file ) {
			$rel = substr( $file->getPathname(), strlen( $src ) + 1 );
			if ( ! str_ends_with( $rel, '.php' ) || in_array( $rel, array( 'Meta.php', 'WooCommerce/OrderStock.php' ), true ) ) {
				continue;
			}
			if ( preg_match( '/ORDER_STATE|OrderStock::STATE|[\'"]_omnistock_state[\'"]/', (string) file_get_contents( $file->getPathname() ) ) ) {
				$found[] = $rel;
			}
		}
		$this->assertGreaterThan( 50, iterator_count( $files ), 'the plugin\'s sources were found' );
		$this->assertSame( array(), $found, 'these files read or write the order state past OrderStock' );
	}
}
