<?php
/**
 * In stock at a store is in stock (issue 15): a product whose units are only at a pickup store is
 * in stock in the shop (`_stock` = its pickup units), can be added to the cart (classic and Store
 * API, in process and over HTTP), and its checkout offers only the pickup stores that have it; a
 * shipping checkout of it is refused with WooCommerce's out-of-stock wording and takes nothing.
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

final class PickupOnlyStockTest extends WcTestCase {

	private const ADDRESS = array(
		'first_name' => 'Ada',
		'last_name'  => 'Buyer',
		'address_1'  => 'Str. 1',
		'city'       => 'Berlin',
		'postcode'   => '10115',
		'country'    => 'DE',
		'state'      => 'DE-BE',
		'email'      => 'ada@example.org',
	);

	protected function setUp(): void {
		parent::setUp();
		add_filter( 'woocommerce_store_api_disable_nonce_check', '__return_true' );
		WC()->cart->empty_cart();
	}

	protected function tearDown(): void {
		WC()->cart->empty_cart();
		$zone = new \WC_Shipping_Zone( 0 );
		foreach ( array_keys( $zone->get_shipping_methods() ) as $instance ) {
			$zone->delete_shipping_method( $instance );
		}
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' );
		WC()->session->set( 'chosen_shipping_methods', null );
		WC()->shipping()->reset_shipping();
		remove_filter( 'woocommerce_store_api_disable_nonce_check', '__return_true' );
	}

	/**
	 * A count a minute ago (before a stock number typed since), or at $at.
	 */
	private function count_at( int $product, int $location, int $qty, ?int $at = null ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product,
					'location' => $location,
					'qty'      => $qty,
					'at'       => $at ?? Database::now_ms() - 60000,
				),
			)
		);
	}

	/**
	 * A flat rate in the zone "everywhere else": WooCommerce asks for rates only while some zone
	 * has a shipping method (WC_Cart::needs_shipping()). Its rate id.
	 */
	private function flat_rate(): string {
		$zone     = new \WC_Shipping_Zone( 0 );
		$instance = $zone->add_shipping_method( 'flat_rate' );
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' ); // As the shipping settings screen does: the shop has a shipping method.
		WC()->shipping()->reset_shipping();
		return 'flat_rate:' . $instance;
	}

	/**
	 * A Store API request in this process.
	 */
	private function store_api( string $method, string $route, array $params = array() ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, $route );
		if ( $params ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $params ) );
		}
		$response = rest_do_request( $request );
		$response->set_data( json_decode( wp_json_encode( $response->get_data() ), true ) );
		return $response;
	}

	/**
	 * The body of a Store API checkout (cash on delivery).
	 */
	private static function checkout_body(): array {
		return array(
			'billing_address'  => self::ADDRESS,
			'shipping_address' => self::ADDRESS,
			'payment_method'   => 'cod',
		);
	}

	/**
	 * The port of the test site served over HTTP.
	 */
	private function port(): int {
		return (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
	}

	/**
	 * The rate ids of the Store API cart's first package.
	 */
	private static function rate_ids( array $cart ): array {
		return array_column( $cart['shipping_rates'][0]['shipping_rates'] ?? array(), 'rate_id' );
	}

	/**
	 * Ids of every order in the shop, whatever its status.
	 *
	 * @return list<int>
	 */
	private function all_orders( array $statuses = array() ): array {
		wp_cache_flush();
		return array_map(
			'intval',
			wc_get_orders(
				array(
					'limit'  => -1,
					'return' => 'ids',
					'status' => $statuses ? $statuses : array_merge( array_keys( wc_get_order_statuses() ), array( 'checkout-draft', 'trash' ) ),
				)
			)
		);
	}

	public function test_a_product_only_at_a_pickup_store_is_in_stock_with_its_pickup_units(): void {
		$lamp = $this->simple( 0 );
		$id   = $lamp->get_id();
		$this->assertShopAgrees( $lamp, 'nothing anywhere' );
		$this->assertSame( 'outofstock', wc_get_product( $id )->get_stock_status() );

		$this->count_at( $id, $this->loc[2], 3 );
		$this->assertShopAgrees( $lamp, 'three at the pickup store' );
		$this->assertSame( 3, Plugin::inventory()->stock( $id )['online'] );
		$this->assertSame( 3, (int) get_post_meta( $id, '_stock', true ), '_stock is the pickup units' );
		$this->assertSame( 'instock', wc_get_product( $id )->get_stock_status() );
		$product = $this->store_api( 'GET', "/wc/store/v1/products/$id" )->get_data();
		$this->assertTrue( $product['is_in_stock'], 'Store API is_in_stock' );
		$this->assertTrue( $product['is_purchasable'] );
		$this->assertSame( array( array( $this->loc[2], 3 ) ), array_map( static fn( $l ) => array( $l['location'], $l['sellable'] ), $product['extensions']['omnistock']['pickup'] ), 'it says where it can be picked up' );

		$this->assertTrue( Plugin::inventory()->hold( 'cart-x', array( array( $id, $this->loc[2], 1 ) ), 60 )['ok'] );
		$this->assertShopAgrees( $lamp, 'one held at the pickup store' );
		$this->assertSame( 2, (int) get_post_meta( $id, '_stock', true ), 'a hold at the pickup store leaves the number' );
		Plugin::inventory()->release( 'cart-x', array( $id ) );
		$this->assertSame( 3, (int) get_post_meta( $id, '_stock', true ) );

		Plugin::inventory()->set_safety( $id, $this->loc[2], 3 );
		$this->assertShopAgrees( $lamp, 'all three kept back for walk-in customers' );
		$this->assertSame( array( 0, 'outofstock' ), array( (int) get_post_meta( $id, '_stock', true ), wc_get_product( $id )->get_stock_status() ), 'safety stock is never online' );
	}

	public function test_a_variation_only_at_a_pickup_store_makes_its_parent_in_stock(): void {
		list( $parent, $small, $medium ) = $this->variable( 0, 0 );
		$this->assertSame( 'outofstock', wc_get_product( $parent->get_id() )->get_stock_status() );
		$this->count_at( $small->get_id(), $this->loc[2], 2 );
		\WC_Post_Data::do_deferred_product_sync(); // What the end of the request does: WooCommerce syncs the parent then.
		$this->assertShopAgrees( $small, 'the small one at the pickup store' );
		$this->assertShopAgrees( $medium, 'the medium one nowhere' );
		$this->assertSame( array( 2, 'instock' ), array( (int) get_post_meta( $small->get_id(), '_stock', true ), wc_get_product( $small->get_id() )->get_stock_status() ) );
		$this->assertSame( 'instock', wc_get_product( $parent->get_id() )->get_stock_status(), 'the parent follows its variation' );
	}

	public function test_a_location_that_neither_ships_nor_offers_pickup_does_not_count_and_toggling_pickup_rewrites_the_number(): void {
		$lamp = $this->simple( 0 );
		$id   = $lamp->get_id();
		$this->count_at( $id, $this->loc[2], 4 );
		$this->assertSame( 4, (int) get_post_meta( $id, '_stock', true ) );

		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => false ) );
		$this->assertShopAgrees( $lamp, 'pickup switched off' );
		$this->assertSame( array( 0, 'outofstock' ), array( (int) get_post_meta( $id, '_stock', true ), wc_get_product( $id )->get_stock_status() ), 'a back room is not online' );

		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => true ) );
		$this->assertShopAgrees( $lamp, 'pickup switched on again' );
		$this->assertSame( array( 4, 'instock' ), array( (int) get_post_meta( $id, '_stock', true ), wc_get_product( $id )->get_stock_status() ) );

		Plugin::locations()->update( $this->loc[2], array( 'ships_online' => true ) );
		$this->assertSame( 4, (int) get_post_meta( $id, '_stock', true ), 'shipping and pickup: counted once' );
		$this->assertShopAgrees( $lamp, 'ships and offers pickup' );
	}

	public function test_a_product_at_both_sells_shipping_from_the_shipping_locations_and_pickup_from_the_store(): void {
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) ); // The Store ships and offers pickup.
		$mug = $this->simple( 2 ); // Warehouse 2.
		$id  = $mug->get_id();
		$this->count_at( $id, $this->loc[1], 1 );
		$this->count_at( $id, $this->loc[2], 3 );
		$this->assertShopAgrees( $mug, 'Warehouse 2, Store 1, Pickup store 3' );
		$this->assertSame( 6, (int) get_post_meta( $id, '_stock', true ), 'each location once' );

		$shipped = $this->order( array( array( $mug, 2 ) ) );
		$this->assertNull( $this->checkout( $shipped ) );
		$this->assertSame( (string) $this->loc[0], current( $this->fresh( $shipped )->get_items() )->get_meta( OrderStock::LOCATION ), 'shipped from the Warehouse' );
		$this->fresh( $shipped )->payment_complete();
		$this->assertShopAgrees( $mug, 'the Warehouse\'s two committed' );
		$this->assertSame( 4, (int) get_post_meta( $id, '_stock', true ) );

		$more = $this->order( array( array( $mug, 2 ) ) );
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $mug->get_name() ), $this->checkout( $more ), 'two more shipped: only the Store ships, and it has one' );
		$this->assertSame( array( 0, 0, 0 ), array( $this->cell( $id, $this->loc[0] )['held'], $this->cell( $id, $this->loc[1] )['held'], $this->cell( $id, $this->loc[2] )['held'] ) );

		$pickup   = $this->order( array( array( $mug, 2 ) ) );
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_props(
			array(
				'method_title' => 'Pickup store',
				'method_id'    => 'omnistock_pickup',
				'instance_id'  => $this->loc[2],
				'total'        => 0,
			)
		);
		$pickup->add_item( $shipping );
		$pickup->save();
		$this->assertNull( $this->checkout( $pickup ), 'two picked up at the Pickup store' );
		$this->fresh( $pickup )->payment_complete();
		$this->assertSame( (string) $this->loc[2], (string) $this->fresh( $pickup )->get_meta( Meta::PICKUP_LOCATION ) );
		$this->assertSame( array( 3, 2 ), array( $this->cell( $id, $this->loc[2] )['on_hand'], $this->cell( $id, $this->loc[2] )['committed'] ) );
		$this->assertShopAgrees( $mug, 'after the pickup order' );
		$this->assertSame( 2, (int) get_post_meta( $id, '_stock', true ), 'Store 1 + Pickup store 1' );
	}

	public function test_the_cart_takes_it_and_its_checkout_offers_only_the_stores_that_have_it(): void {
		$this->flat_rate();
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) ); // A second pickup store, without the lamp.
		$lamp = $this->simple( 0 );
		$id   = $lamp->get_id();
		$this->count_at( $id, $this->loc[2], 2 );

		$this->assertNotFalse( WC()->cart->add_to_cart( $id, 1 ), 'classic add to cart (WC_Cart::add_to_cart)' );
		WC()->cart->empty_cart();

		$site = new StoreApiClient( $this->port(), 2 );
		try {
			$shopper = array();
			$site->request( 'GET', '/wc/store/v1/cart', $shopper );
			$added = $site->request( 'POST', '/wc/store/v1/cart/add-item', $shopper, array( 'id' => $id, 'quantity' => 2 ) );
			$third = $site->request( 'POST', '/wc/store/v1/cart/add-item', $shopper, array( 'id' => $id, 'quantity' => 1 ) );
			$chose = $site->request( 'POST', '/wc/store/v1/cart/select-shipping-rate', $shopper, array( 'package_id' => 0, 'rate_id' => 'omnistock_pickup:' . $this->loc[2] ) );
			$paid  = $site->request( 'POST', '/wc/store/v1/checkout', $shopper, self::checkout_body() );
		} finally {
			$site->stop();
		}
		$this->assertContains( $added['status'], array( 200, 201 ), wp_json_encode( $added['body'] ) );
		$this->assertSame( array( array( $id, 2 ) ), array_map( static fn( $i ) => array( $i['id'], $i['quantity'] ), $added['body']['items'] ) );
		$this->assertSame( array( 'omnistock_pickup:' . $this->loc[2] ), self::rate_ids( $added['body'] ), 'pickup only, at the store that has it' );
		$this->assertSame( array( 400, 'woocommerce_rest_product_partially_out_of_stock' ), array( $third['status'], $third['body']['code'] ?? null ), 'a third: WooCommerce\'s own check against _stock 2 refuses it' );
		$this->assertSame( 200, $chose['status'], wp_json_encode( $chose['body'] ) );
		$this->assertSame( 200, $paid['status'], wp_json_encode( $paid['body'] ) );
		$order = $this->fresh( wc_get_order( $paid['body']['order_id'] ) );
		$this->assertSame( (string) $this->loc[2], (string) $order->get_meta( Meta::PICKUP_LOCATION ) );
		$this->assertSame( 'committed', $this->state( $order ) );
		$cell = $this->cell( $id, $this->loc[2] );
		$this->assertSame( array( 2, 2, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ) );
		$this->assertShopAgrees( $lamp, 'after the pickup checkout' );
		$this->assertSame( 'outofstock', wc_get_product( $id )->get_stock_status() );
	}

	public function test_a_shipping_checkout_of_it_is_refused_with_woocommerces_wording_and_no_order(): void {
		$lamp = $this->simple( 0 );
		$id   = $lamp->get_id();
		$this->count_at( $id, $this->loc[2], 2 );

		// An order that ships (the classic checkout's hook): no location that ships has it.
		$order    = $this->order( array( array( $lamp, 1 ) ) );
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_props(
			array(
				'method_title' => 'Flat rate',
				'method_id'    => 'flat_rate',
				'instance_id'  => 1,
				'total'        => 5,
			)
		);
		$order->add_item( $shipping );
		$order->save();
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $lamp->get_name() ), $this->checkout( $order ) );
		$this->assertSame( '', $this->state( $order ), 'nothing held for it' );
		$this->assertSame( 0, $this->cell( $id, $this->loc[2] )['held'], 'not routed to the pickup store' );
		$this->assertShopAgrees( $lamp, 'after the refused shipping order' );

		// Store API over HTTP: the cart was offered shipping to the shopper's address while the
		// Warehouse had one, and the shopper chose it; the Warehouse sells it; the shopper checks out.
		$flat = $this->flat_rate();
		$mug  = $this->simple( 1 );
		$this->count_at( $mug->get_id(), $this->loc[2], 2 );
		$site = new StoreApiClient( $this->port(), 2 );
		try {
			$shopper = array();
			$site->request( 'GET', '/wc/store/v1/cart', $shopper );
			$customer = $site->request( 'POST', '/wc/store/v1/cart/update-customer', $shopper, array( 'billing_address' => self::ADDRESS, 'shipping_address' => self::ADDRESS ) );
			$added    = $site->request( 'POST', '/wc/store/v1/cart/add-item', $shopper, array( 'id' => $mug->get_id(), 'quantity' => 1 ) );
			$chose    = $site->request( 'POST', '/wc/store/v1/cart/select-shipping-rate', $shopper, array( 'package_id' => 0, 'rate_id' => $flat ) );
			$this->count_at( $mug->get_id(), $this->loc[0], 0, Database::now_ms() );
			$placed   = $this->all_orders( array( 'pending', 'processing', 'on-hold', 'completed' ) );
			$response = $site->request( 'POST', '/wc/store/v1/checkout', $shopper, self::checkout_body() );
		} finally {
			$site->stop();
		}
		$this->assertSame( 200, $customer['status'], wp_json_encode( $customer['body'] ) );
		$this->assertContains( $added['status'], array( 200, 201 ), wp_json_encode( $added['body'] ) );
		$this->assertSame( array( $flat, 'omnistock_pickup:' . $this->loc[2] ), self::rate_ids( $added['body'] ) );
		$this->assertSame( 200, $chose['status'], wp_json_encode( $chose['body'] ) );
		$this->assertSame( 2, (int) get_post_meta( $mug->get_id(), '_stock', true ), 'still in stock when the shopper checks out: at the pickup store' );
		$this->assertSame( 403, $response['status'], wp_json_encode( $response['body'] ) );
		$this->assertSame( 'woocommerce_product_not_enough_stock', $response['body']['code'] );
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $mug->get_name() ), html_entity_decode( $response['body']['message'] ) );
		$this->assertSame( $placed, $this->all_orders( array( 'pending', 'processing', 'on-hold', 'completed' ) ), 'no order placed' );
		foreach ( $this->loc as $location ) {
			$cell = $this->cell( $mug->get_id(), $location );
			$this->assertSame( array( 0, 0 ), array( $cell['held'], $cell['committed'] ), "nothing held or committed at $location" );
		}
		$this->assertShopAgrees( $mug, 'after the refused Store API checkout' );
	}

	public function test_a_number_typed_for_it_becomes_a_count_where_it_counts(): void {
		$lamp = $this->simple( 0 );
		$id   = $lamp->get_id();
		$this->count_at( $id, $this->loc[2], 3 );
		$edit = wc_get_product( $id );
		$edit->set_stock_quantity( 5 );
		$edit->save();
		$this->assertSame( array( 2, 3 ), array( $this->cell( $id, $this->loc[0] )['on_hand'], $this->cell( $id, $this->loc[2] )['on_hand'] ), '5 typed − 3 at the pickup store: 2 at the Warehouse' );
		$this->assertShopAgrees( $lamp, 'typed 5' );
		$this->assertSame( 5, (int) get_post_meta( $id, '_stock', true ) );

		// A shop whose only online units are picked up: the typed number lands at the pickup store.
		Plugin::locations()->update( $this->loc[0], array( 'ships_online' => false ) );
		Plugin::locations()->update( $this->loc[1], array( 'ships_online' => false ) );
		$this->assertShopAgrees( $lamp, 'nothing ships' );
		$this->assertSame( 3, (int) get_post_meta( $id, '_stock', true ), 'the Warehouse\'s 2 no longer count' );
		$edit = wc_get_product( $id );
		$edit->set_stock_quantity( 7 );
		$edit->save();
		$this->assertSame( array( 2, 7 ), array( $this->cell( $id, $this->loc[0] )['on_hand'], $this->cell( $id, $this->loc[2] )['on_hand'] ), 'counted at the pickup store' );
		$this->assertShopAgrees( $lamp, 'typed 7' );
		$this->assertSame( 7, (int) get_post_meta( $id, '_stock', true ) );
	}

	public function test_over_http_the_product_page_names_the_store_and_both_carts_take_it(): void {
		$lamp = $this->simple( 0 );
		$lamp->set_status( 'publish' );
		$lamp->save();
		$id = $lamp->get_id();
		$this->count_at( $id, $this->loc[2], 2 );

		$port   = $this->port();
		$client = new StoreApiClient( $port, 2 );
		try {
			$page    = html_entity_decode( (string) file_get_contents( "http://127.0.0.1:$port/?p=$id" ) );
			$shopper = $client->shopper_with( $id, 2 ); // POST cart/add-item: throws unless 201.
			$cart    = $client->request( 'GET', '/wc/store/v1/cart', $shopper );
			$classic = new ClassicShopper( $port );
			$classic->add_to_cart( $id, 1 );
			$classic_cart = $classic->cart();
		} finally {
			$client->stop();
		}
		$this->assertStringContainsString( 'Only 2 left at Pickup store — pick up today', $page, 'the product page says where it can be picked up' );
		$this->assertMatchesRegularExpression( '/name="add-to-cart" value="' . $id . '"/', $page, 'the product page has its add-to-cart form' );
		$this->assertStringNotContainsString( 'class="stock out-of-stock"', $page );
		$this->assertSame( array( array( $id, 2 ) ), array_map( static fn( $i ) => array( $i['id'], $i['quantity'] ), $cart['body']['items'] ), 'Store API cart/add-item over HTTP' );
		$this->assertSame( array( array( $id, 1 ) ), array_map( static fn( $i ) => array( $i['id'], $i['quantity'] ), $classic_cart['items'] ), 'classic ?add-to-cart over HTTP' );
	}
}
