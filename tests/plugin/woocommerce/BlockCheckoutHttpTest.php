<?php
/**
 * A purchase through the Checkout block's own endpoints over real HTTP, on the shop as WooCommerce
 * 8.3+ installs it (the Cart and Checkout blocks on its cart and checkout pages): the cart filled
 * with /wc/store/v1/cart/add-item, paid with POST /wc/store/v1/checkout. Nothing is held while the
 * cart is only a cart; the order is held and routed at checkout, committed on payment, and the
 * shop's stock is Omnistock's online sellable for a simple product and a variation.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Automattic\WooCommerce\Utilities\OrderUtil;
use Omnistock\WooCommerce\OrderStock;

require_once __DIR__ . '/lib/StoreApiClient.php';

/**
 * @group current-stack
 */
final class BlockCheckoutHttpTest extends WcTestCase {

	public function test_block_checkout_purchase_over_the_store_api(): void {
		$checkout_page = get_post( wc_get_page_id( 'checkout' ) );
		$this->assertInstanceOf( \WP_Post::class, $checkout_page, 'the shop has a checkout page' );
		$this->assertTrue( has_block( 'woocommerce/checkout', $checkout_page ), 'the checkout page holds the Checkout block' );
		$this->assertTrue( has_block( 'woocommerce/cart', get_post( wc_get_page_id( 'cart' ) ) ), 'the cart page holds the Cart block' );

		$mug                  = $this->simple( 4 );
		list( , $small, $mid ) = $this->variable( 3, 2 );
		$port                 = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$client               = new StoreApiClient( $port, 4 );
		try {
			$shopper = $client->shopper_with( $mug->get_id(), 2 );
			$added   = $client->request(
				'POST',
				'/wc/store/v1/cart/add-item',
				$shopper,
				array(
					'id'       => $small->get_id(),
					'quantity' => 1,
				)
			);
			$this->assertSame( 201, $added['status'], wp_json_encode( $added['body'] ) );
			$cart = $client->request( 'GET', '/wc/store/v1/cart', $shopper );
			$this->assertSame( 3, $cart['body']['items_count'] ?? null, 'the cart holds 2 mugs and 1 shirt' );
			$cells = array( $this->cell( $mug->get_id(), $this->loc[0] ), $this->cell( $small->get_id(), $this->loc[0] ) );
			$this->assertSame( array( 0, 0 ), array_column( $cells, 'held' ), 'a cart holds nothing' );
			$this->assertSame( array( 4, 3 ), array_column( $cells, 'sellable' ) );
			// The checkout page as this shopper's browser gets it (with an empty cart it redirects to
			// the cart): the Checkout block's markup, which the block's script mounts on.
			$page = (string) file_get_contents(
				"http://127.0.0.1:$port/?page_id=" . $checkout_page->ID,
				false,
				stream_context_create( array( 'http' => array( 'header' => 'Cookie: ' . $shopper['cookie'] ) ) )
			);

			list( $answer ) = $client->checkout_all( array( $shopper ) );
		} finally {
			$client->stop();
		}
		$this->assertStringContainsString( 'wp-block-woocommerce-checkout', $page, 'the checkout page renders the Checkout block' );
		$this->assertMatchesRegularExpression( '/<title>' . preg_quote( $checkout_page->post_title, '/' ) . '\b/', $page, 'the checkout page, not the cart it sends empty carts to' );
		$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
		$order = $this->fresh( wc_get_order( $answer['body']['order_id'] ) );
		$this->assertSame( 'store-api', $order->get_created_via(), 'the order came through the Store API' );
		$this->assertSame( 'processing', $order->get_status(), 'cash on delivery: processing' );
		$this->assertSame( 'committed', $order->get_meta( OrderStock::STATE ) );
		if ( 'on' === getenv( 'OMNISTOCK_WC_HPOS' ) ) {
			global $wpdb;
			$this->assertTrue( OrderUtil::custom_orders_table_usage_is_enabled() );
			$this->assertSame( '1', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders WHERE id = %d", $order->get_id() ) ), 'the order is in the HPOS table' );
		}
		foreach ( $order->get_items() as $item ) {
			$this->assertSame( (string) $this->loc[0], (string) $item->get_meta( OrderStock::LOCATION ), 'each line routed to the Warehouse' );
		}
		$cell = $this->cell( $mug->get_id(), $this->loc[0] );
		$this->assertSame( array( 4, 2, 0, 2 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'mug' );
		$cell = $this->cell( $small->get_id(), $this->loc[0] );
		$this->assertSame( array( 3, 1, 0, 2 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'shirt S' );
		$cell = $this->cell( $mid->get_id(), $this->loc[0] );
		$this->assertSame( array( 2, 0, 0, 2 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'shirt M untouched' );
		$this->assertShopAgrees( $mug, 'block checkout: mug' );
		$this->assertShopAgrees( $small, 'block checkout: shirt S' );
		$this->assertShopAgrees( $mid, 'block checkout: shirt M' );
	}
}
