<?php
/**
 * Pickup at checkout over real HTTP (issue 15), classic checkout (`?wc-ajax=update_order_review`
 * then `?wc-ajax=checkout`) and Store API, on both stacks: the rates offered are the stores that
 * can supply the cart; the order that chose one is a pickup order, held then committed there. On a
 * shop without a single shipping method in any zone, a cart a location that ships can supply checks
 * out without shipping, as before pickup was on; one that only a pickup store can supply is offered
 * the stores (the owner adds no method to any zone).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/StoreApiClient.php';
require_once __DIR__ . '/lib/PickupClassicShopper.php';

use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\Inventory\Database;
use Omnistock\WooCommerce\OrderStock;

final class PickupCheckoutHttpTest extends WcTestCase {

	private StoreApiClient $site;
	private int $port;
	private int $shop_checkout_page = 0;

	protected function setUp(): void {
		parent::setUp();
		if ( wc_get_page_id( 'checkout' ) <= 0 ) {
			\WC_Install::create_pages();
		}
		// The classic checkout: a page with the shortcode (WooCommerce 8.3+ makes the Checkout block the default).
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
			$this->assertIsInt( $page );
			update_option( 'woocommerce_checkout_page_id', $page );
		}
		Plugin::locations()->update( $this->loc[2], array( 'name' => 'Store Mitte' ) );
		// A second pickup store, which never has the units these carts want.
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) );
		$this->port = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$this->site = new StoreApiClient( $this->port, 4 );
	}

	protected function tearDown(): void {
		$this->site->stop();
		$this->zone_methods( false );
		$classic = wc_get_page_id( 'checkout' );
		if ( $classic !== $this->shop_checkout_page ) {
			update_option( 'woocommerce_checkout_page_id', $this->shop_checkout_page );
			wp_delete_post( $classic, true );
		}
		parent::tearDown();
	}

	/**
	 * A flat rate in the "rest of the world" zone ($on), or no shipping method in any zone; the
	 * flat rate's rate id when there is one.
	 */
	private function zone_methods( bool $on ): ?string {
		$zone = new \WC_Shipping_Zone( 0 );
		foreach ( array_keys( $zone->get_shipping_methods() ) as $instance ) {
			$zone->delete_shipping_method( $instance );
		}
		$instance = $on ? $zone->add_shipping_method( 'flat_rate' ) : null;
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		if ( ! $on ) {
			$this->assertSame( 0, wc_get_shipping_method_count( false ), 'no shipping method in any zone' );
		}
		return $instance ? "flat_rate:$instance" : null;
	}

	/**
	 * A product with 3 units at the Warehouse and 2 at Store Mitte.
	 */
	private function product(): \WC_Product_Simple {
		$product = $this->simple( 3 );
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product->get_id(),
					'location' => $this->loc[2],
					'qty'      => 2,
					'at'       => Database::now_ms() - 60000,
				),
			)
		);
		return $product;
	}

	/**
	 * Ids of every order in the shop, whatever its status.
	 *
	 * @return list<int>
	 */
	private function all_orders(): array {
		wp_cache_flush();
		return array_map( 'intval', wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_merge( array_keys( wc_get_order_statuses() ), array( 'checkout-draft', 'trash' ) ) ) ) );
	}

	/**
	 * The one order the shop has beyond $before.
	 */
	private function new_order( array $before ): \WC_Order {
		$new = array_values( array_diff( $this->all_orders(), $before ) );
		$this->assertCount( 1, $new, 'one order taken' );
		return wc_get_order( $new[0] );
	}

	/**
	 * The order is a pickup order at Store Mitte, committed there, nothing at the Warehouse.
	 */
	private function assertPickedUpAtMitte( \WC_Order $order, \WC_Product $product, int $qty, int $warehouse_on_hand = 3 ): void {
		$mitte = $this->loc[2];
		$this->assertSame( 'processing', $order->get_status(), 'cash on delivery: processing' );
		$this->assertSame( (string) $mitte, (string) $order->get_meta( Meta::PICKUP_LOCATION ), 'a pickup order at Store Mitte' );
		$shipping = array_values( $order->get_shipping_methods() );
		$this->assertSame( array( 'omnistock_pickup', $mitte, 'Store Mitte' ), array( $shipping[0]->get_method_id(), (int) $shipping[0]->get_instance_id(), $shipping[0]->get_name() ) );
		$this->assertSame( (string) $mitte, (string) current( $order->get_items() )->get_meta( OrderStock::LOCATION ) );
		$this->assertSame( 'committed', $order->get_meta( OrderStock::STATE ) );
		$cell = $this->cell( $product->get_id(), $mitte );
		$this->assertSame( array( 2, $qty, 0, 2 - $qty ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'held, then committed at Store Mitte' );
		$warehouse = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( $warehouse_on_hand, 0, 0 ), array( $warehouse['on_hand'], $warehouse['committed'], $warehouse['held'] ), 'nothing from the Warehouse' );
		$this->assertShopAgrees( $product, 'after the pickup checkout' );
	}

	public function test_classic_checkout_chooses_a_pickup_store_beside_the_flat_rate(): void {
		$flat    = $this->zone_methods( true );
		$product = $this->product();
		$mitte   = 'omnistock_pickup:' . $this->loc[2];
		$shopper = new PickupClassicShopper( $this->port );
		$shopper->fill( $product->get_id(), 2 );

		$review = $shopper->review( null );
		$this->assertSame( array( $flat, $mitte ), array_keys( $review['rates'] ), 'the flat rate and Store Mitte; the other pickup store has none: ' . $review['html'] );
		$this->assertTrue( $review['rates'][ $flat ], 'WooCommerce chooses the flat rate first' );
		$this->assertStringContainsString( 'Store Mitte', $review['html'] );
		$chosen = $shopper->review( $mitte );
		$this->assertSame( array( $flat => false, $mitte => true ), $chosen['rates'], 'the shopper chose Store Mitte' );

		$before = $this->all_orders();
		$answer = $shopper->checkout( $mitte );
		$this->assertSame( 'success', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
		$this->assertPickedUpAtMitte( $this->new_order( $before ), $product, 2 );
	}

	public function test_classic_checkout_offers_pickup_on_a_shop_without_shipping_methods(): void {
		$this->zone_methods( false );
		$product = $this->product();
		$mitte   = 'omnistock_pickup:' . $this->loc[2];

		// Three wanted, two at Store Mitte, none at the other store: no rate, and, as on any shop
		// without shipping methods, the cart needs none: it checks out and ships from the Warehouse.
		$short = new PickupClassicShopper( $this->port );
		$short->fill( $product->get_id(), 3 );
		$review = $short->review( null );
		$this->assertSame( array(), $review['rates'], 'no store can supply 3: nothing offered' );
		$this->assertStringNotContainsString( 'Store Mitte', $review['html'] );
		$before = $this->all_orders();
		$answer = $short->checkout( null );
		$this->assertSame( 'success', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
		$order = $this->new_order( $before );
		$this->assertSame( '', (string) $order->get_meta( Meta::PICKUP_LOCATION ), 'not a pickup order' );
		$this->assertSame( array(), $order->get_shipping_methods() );
		$this->assertSame( (string) $this->loc[0], (string) current( $order->get_items() )->get_meta( OrderStock::LOCATION ), 'routed to the Warehouse' );
		$this->assertSame( 3, $this->cell( $product->get_id(), $this->loc[0] )['committed'] );
		$this->assertSame( 0, $this->cell( $product->get_id(), $this->loc[2] )['committed'] );
		$order->update_status( 'cancelled' ); // The Warehouse's units back for the next cart.

		// Two wanted, the Warehouse could ship them: still no shipping, as before pickup was on.
		$ships = new PickupClassicShopper( $this->port );
		$ships->fill( $product->get_id(), 2 );
		$this->assertSame( array(), $ships->review( null )['rates'], 'a location that ships can supply 2: no rate asked, as on any shop without shipping methods' );

		// The Warehouse sold out: only Store Mitte can supply them, and it is offered.
		$this->warehouse_sold_out( $product );
		$shopper = new PickupClassicShopper( $this->port );
		$shopper->fill( $product->get_id(), 2 );
		$review = $shopper->review( null );
		$this->assertSame( array( $mitte => true ), $review['rates'], 'Store Mitte, the only rate, without a zone method: ' . $review['html'] );
		$this->assertStringContainsString( 'Store Mitte', $review['html'] );
		$before = $this->all_orders();
		$answer = $shopper->checkout( $mitte );
		$this->assertSame( 'success', $answer['result'] ?? null, 'checkout answered ' . wp_json_encode( $answer ) );
		$this->assertPickedUpAtMitte( $this->new_order( $before ), $product, 2, 0 );
	}

	/** The Warehouse counted empty: only Store Mitte has the product. */
	private function warehouse_sold_out( \WC_Product $product ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product->get_id(),
					'location' => $this->loc[0],
					'qty'      => 0,
					'at'       => Database::now_ms(),
				),
			)
		);
	}

	public function test_store_api_offers_pickup_on_a_shop_without_shipping_methods(): void {
		$this->zone_methods( false );
		$product = $this->product();
		$mitte   = 'omnistock_pickup:' . $this->loc[2];
		$address = array(
			'first_name' => 'Ada',
			'last_name'  => 'Pickup',
			'address_1'  => 'Str. 1',
			'city'       => 'Berlin',
			'postcode'   => '10115',
			'country'    => 'DE',
			'state'      => 'DE-BE',
			'email'      => 'ada-pickup@example.org',
		);
		$checkout = array(
			'billing_address'  => $address,
			'shipping_address' => $address,
			'payment_method'   => 'cod',
		);

		$short = $this->site->shopper_with( $product->get_id(), 3 );
		$cart  = $this->site->request( 'GET', '/wc/store/v1/cart', $short );
		$this->assertFalse( $cart['body']['needs_shipping'], 'no store can supply 3: the cart needs no shipping, as before' );
		$this->assertSame( array(), array_merge( array(), ...array_map( static fn( $p ) => array_column( $p['shipping_rates'], 'rate_id' ), $cart['body']['shipping_rates'] ) ) );
		$before = $this->all_orders();
		$answer = $this->site->request( 'POST', '/wc/store/v1/checkout', $short, $checkout );
		$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
		$order = $this->new_order( $before );
		$this->assertSame( '', (string) $order->get_meta( Meta::PICKUP_LOCATION ) );
		$this->assertSame( (string) $this->loc[0], (string) current( $order->get_items() )->get_meta( OrderStock::LOCATION ), 'routed to the Warehouse' );
		$order->update_status( 'cancelled' );

		$ships = $this->site->shopper_with( $product->get_id(), 2 );
		$cart  = $this->site->request( 'GET', '/wc/store/v1/cart', $ships );
		$this->assertFalse( $cart['body']['needs_shipping'], 'the Warehouse can ship 2: no shipping, as before pickup was on' );

		$this->warehouse_sold_out( $product );
		$shopper = $this->site->shopper_with( $product->get_id(), 2 );
		$cart    = $this->site->request( 'GET', '/wc/store/v1/cart', $shopper );
		$this->assertTrue( $cart['body']['needs_shipping'], 'only Store Mitte can supply 2: the cart asks for a rate' );
		$rates = array_column( $cart['body']['shipping_rates'][0]['shipping_rates'] ?? array(), null, 'rate_id' );
		$this->assertSame( array( $mitte ), array_keys( $rates ), 'Store Mitte only, without a zone method' );
		$this->assertSame( array( 'Store Mitte', 'omnistock_pickup', $this->loc[2] ), array( $rates[ $mitte ]['name'], $rates[ $mitte ]['method_id'], (int) $rates[ $mitte ]['instance_id'] ) );
		$selected = $this->site->request( 'POST', '/wc/store/v1/cart/select-shipping-rate', $shopper, array( 'package_id' => 0, 'rate_id' => $mitte ) );
		$this->assertSame( 200, $selected['status'], wp_json_encode( $selected['body'] ) );
		$before = $this->all_orders();
		$answer = $this->site->request( 'POST', '/wc/store/v1/checkout', $shopper, $checkout );
		$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
		$this->assertPickedUpAtMitte( $this->new_order( $before ), $product, 2, 0 );
	}

	public function test_woocommerce_counts_the_pickup_method_only_while_a_location_offers_pickup(): void {
		$this->zone_methods( false );
		$this->assertSame( 1, wc_get_shipping_method_count( true ), 'two stores offer pickup: counted' );
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => false ) );
		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => false ) );
		$this->assertSame( 0, wc_get_shipping_method_count( true ), 'pickup off: WooCommerce counts no method (its cache went with the change)' );
		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => true ) );
		$this->assertSame( 1, wc_get_shipping_method_count( true ), 'on again' );
	}
}
