<?php
/**
 * WooCommerce's classic (shortcode) checkout over real HTTP, through WC_Checkout::process_checkout()
 * in the site served by PHP's built-in server: the order is held at checkout and committed on
 * payment; a checkout Omnistock refuses shows WooCommerce's error and takes no order (WooCommerce
 * saves the order before the hook that holds its stock; Omnistock deletes it).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

require_once __DIR__ . '/lib/StoreApiClient.php';
require_once __DIR__ . '/lib/ClassicShopper.php';

final class ClassicCheckoutTest extends WcTestCase {

	private StoreApiClient $site;
	private int $port;

	private int $shop_checkout_page = 0;

	protected function setUp(): void {
		parent::setUp();
		if ( wc_get_page_id( 'checkout' ) <= 0 ) {
			\WC_Install::create_pages();
		}
		// WooCommerce 8.3+ makes the shop's checkout page the Checkout block: these tests use a
		// page of their own with the classic shortcode, as shops that keep it have.
		$this->shop_checkout_page = wc_get_page_id( 'checkout' );
		if ( ! has_shortcode( (string) get_post_field( 'post_content', $this->shop_checkout_page ), 'woocommerce_checkout' ) ) {
			$page = wp_insert_post(
				array(
					'post_type'    => 'page',
					'post_status'  => 'publish',
					'post_title'   => 'Classic checkout',
					'post_content' => '<!-- wp:shortcode -->[woocommerce_checkout]<!-- /wp:shortcode -->',
				),
				true
			);
			$this->assertIsInt( $page, 'the classic checkout page is created' );
			update_option( 'woocommerce_checkout_page_id', $page );
		}
		$this->port = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$this->site = new StoreApiClient( $this->port, 8 );
	}

	protected function tearDown(): void {
		$this->site->stop();
		$classic = wc_get_page_id( 'checkout' );
		if ( $classic !== $this->shop_checkout_page ) {
			update_option( 'woocommerce_checkout_page_id', $this->shop_checkout_page );
			wp_delete_post( $classic, true );
		}
		parent::tearDown();
	}

	/**
	 * A virtual product (no shipping method needed) with $stock at the Warehouse.
	 */
	private function virtual( int $stock ): \WC_Product_Simple {
		$product = $this->simple( $stock );
		$product->set_virtual( true );
		$product->save();
		return $product;
	}

	/**
	 * Ids of every order in the shop, whatever its status.
	 *
	 * @return list<int>
	 */
	private function all_orders(): array {
		wp_cache_flush();
		return array_map(
			'intval',
			wc_get_orders(
				array(
					'limit'  => -1,
					'return' => 'ids',
					'status' => array_merge( array_keys( wc_get_order_statuses() ), array( 'checkout-draft', 'trash' ) ),
				)
			)
		);
	}

	public function test_classic_checkout_holds_then_payment_commits(): void {
		$product = $this->virtual( 3 );
		$before  = $this->all_orders();
		$shopper = new ClassicShopper( $this->port );
		$shopper->fill( $product->get_id(), 2 );
		$answer = $shopper->checkout();
		$this->assertSame( 'success', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
		$new = array_values( array_diff( $this->all_orders(), $before ) );
		$this->assertCount( 1, $new, 'one order taken' );
		$order = wc_get_order( $new[0] );
		$this->assertSame( 'processing', $order->get_status(), 'cash on delivery: processing' );
		$this->assertSame( 'committed', $order->get_meta( OrderStock::STATE ) );
		$item = current( $order->get_items() );
		$this->assertSame( (string) $this->loc[0], (string) $item->get_meta( OrderStock::LOCATION ), 'routed to the Warehouse' );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 3, 2, 0, 1 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ) );
		$this->assertShopAgrees( $product, 'after a classic checkout' );
	}

	public function test_a_refused_classic_checkout_shows_the_error_and_takes_no_order(): void {
		$product = $this->virtual( 1 );
		$first   = $this->order( array( array( $product, 1 ) ) );
		$this->assertNull( $this->checkout( $first ), 'another checkout holds the last unit' );
		// The shop's number is stale (a page cache, another plugin's write): WooCommerce's own
		// cart check passes, so the refusal is Omnistock's hold, after WooCommerce saved the order.
		update_post_meta( $product->get_id(), '_stock', 1 );
		update_post_meta( $product->get_id(), '_stock_status', 'instock' );
		wc_delete_product_transients( $product->get_id() );
		wp_cache_flush();

		$before  = $this->all_orders();
		$shopper = new ClassicShopper( $this->port );
		$shopper->fill( $product->get_id(), 1 );
		$answer = $shopper->checkout();
		$this->assertSame( 'failure', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
		$this->assertStringContainsString( 'Not enough units of ' . $product->get_name(), wp_strip_all_tags( html_entity_decode( (string) ( $answer['messages'] ?? '' ) ) ), "WooCommerce's out-of-stock error" );
		$this->assertSame( array(), array_values( array_diff( $this->all_orders(), $before ) ), 'no order taken (none left pending)' );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 1, 0, 1, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'only the first checkout holds' );
		$this->assertShopAgrees( $product, 'after the refusal (the stale number is rewritten)' );
	}

	public function test_a_shipping_checkout_of_a_product_only_a_pickup_store_has_is_refused_and_pickup_is_not(): void {
		$zone = new \WC_Shipping_Zone( 0 );
		$flat = 'flat_rate:' . $zone->add_shipping_method( 'flat_rate' );
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' );
		try {
			$product = $this->simple( 1 ); // One at the Warehouse, which ships; two at the Pickup store.
			$id      = $product->get_id();
			Plugin::inventory()->record( array( array( 'id' => "t:pickup:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[2], 'qty' => 2, 'at' => Database::now_ms() - 60000 ) ) );
			$shopper = new ClassicShopper( $this->port );
			$shopper->fill( $id, 1 ); // Its checkout page offers the flat rate and the store.
			// The Warehouse sells its one: the product is still in stock, at the Pickup store only.
			Plugin::inventory()->record( array( array( 'id' => "t:warehouse:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[0], 'qty' => 0, 'at' => Database::now_ms() ) ) );
			$this->assertSame( 2, (int) get_post_meta( $id, '_stock', true ) );

			$before = $this->all_orders();
			$answer = $shopper->checkout( array( 'shipping_method' => array( $flat ) ) );
			$this->assertSame( 'failure', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
			$this->assertStringContainsString( 'Not enough units of ' . $product->get_name() . ' are available in stock to fulfil this order.', wp_strip_all_tags( html_entity_decode( (string) ( $answer['messages'] ?? '' ) ) ), "WooCommerce's out-of-stock error, not a pickup order" );
			$this->assertSame( array(), array_values( array_diff( $this->all_orders(), $before ) ), 'no order taken' );
			foreach ( $this->loc as $location ) {
				$this->assertSame( 0, $this->cell( $id, $location )['held'], "nothing held at $location" );
			}

			$answer = $shopper->checkout( array( 'shipping_method' => array( 'omnistock_pickup:' . $this->loc[2] ) ) );
			$this->assertSame( 'success', $answer['result'] ?? null, 'the pickup checkout answered ' . wp_json_encode( $answer ) );
			$new = array_values( array_diff( $this->all_orders(), $before ) );
			$this->assertCount( 1, $new, 'one order taken' );
			$order = wc_get_order( $new[0] );
			$this->assertSame( (string) $this->loc[2], (string) $order->get_meta( Meta::PICKUP_LOCATION ) );
			$cell = $this->cell( $id, $this->loc[2] );
			$this->assertSame( array( 2, 1, 0, 1 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'committed at the Pickup store' );
			$this->assertShopAgrees( $product, 'after the pickup checkout' );
		} finally {
			foreach ( array_keys( $zone->get_shipping_methods() ) as $instance ) {
				$zone->delete_shipping_method( $instance );
			}
			\WC_Cache_Helper::get_transient_version( 'shipping', true );
			delete_transient( 'wc_shipping_method_count' );
		}
	}

	public function test_eight_classic_checkouts_for_the_last_unit(): void {
		$product  = $this->virtual( 1 );
		$shoppers = array();
		for ( $i = 0; $i < 8; $i++ ) {
			$shoppers[ $i ] = new ClassicShopper( $this->port );
			$shoppers[ $i ]->fill( $product->get_id(), 1 );
		}
		$before  = $this->all_orders();
		$answers = StoreApiClient::all_at_once(
			array_map( static fn( ClassicShopper $shopper ) => $shopper->checkout_handle(), $shoppers ),
			array( ClassicShopper::class, 'json' )
		);

		$results = array_count_values( array_map( static fn( $a ) => (string) ( $a['result'] ?? '?' ), $answers ) );
		$this->assertSame( 1, $results['success'] ?? 0, 'exactly one checkout succeeds: ' . wp_json_encode( $results ) );
		$this->assertSame( 7, $results['failure'] ?? 0, 'the others fail' );
		$ours = count( array_filter( $answers, static fn( $a ) => str_contains( (string) ( $a['messages'] ?? '' ), 'Not enough units of' ) ) );
		fwrite( STDERR, sprintf( "classic race: 1 order taken, %d refused by Omnistock's hold, %d by WooCommerce's cart check\n", $ours, 7 - $ours ) );
		$new = array_values( array_diff( $this->all_orders(), $before ) );
		$this->assertCount( 1, $new, 'one order in the shop, none left pending: ' . wp_json_encode( $new ) );
		$this->assertSame( 'processing', wc_get_order( $new[0] )->get_status() );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 1, 1, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ) );
		$this->assertShopAgrees( $product, 'after the classic race' );
	}
}
