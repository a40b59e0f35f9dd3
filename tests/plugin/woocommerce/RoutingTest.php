<?php
/**
 * Routing of online orders (ship-from-store) on real WooCommerce orders: each rule of the chain
 * (fewest shipments, shipping zone, distance, priority), splits off and on, and staff re-routing a
 * line and a whole order through POST /omnistock/v1/orders/<id>/route, all or nothing.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Postcodes;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\Tables;
use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderDestination;
use Omnistock\WooCommerce\OrderStock;

final class RoutingTest extends WcTestCase {

	/** @var list<int> Shipping zones this test made. */
	private array $zones = array();

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( 1 );
		delete_option( Router::SPLITS_OPTION );
	}

	protected function tearDown(): void {
		foreach ( $this->zones as $zone ) {
			( new \WC_Shipping_Zone( $zone ) )->delete();
		}
		remove_all_filters( OrderDestination::FILTER );
		delete_option( Router::SPLITS_OPTION );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A product with these units per location (none typed into WooCommerce).
	 *
	 * @param array<int, int> $at Location => units.
	 */
	private function stocked( array $at ): \WC_Product_Simple {
		$product = $this->simple( 0 );
		$events  = array();
		foreach ( $at as $location => $qty ) {
			$events[] = array(
				'id'       => 'test:count:' . wp_generate_uuid4(),
				'kind'     => 'count',
				'product'  => $product->get_id(),
				'location' => $location,
				'qty'      => $qty,
				'at'       => Database::now_ms() - 60000,
			);
		}
		Plugin::inventory()->record( $events );
		return $product;
	}

	/**
	 * An order of these lines shipping to an address in $country (postcode $postcode).
	 */
	private function shipping_order( array $lines, string $country = 'DE', string $postcode = '80331' ): \WC_Order {
		$order = $this->order( $lines );
		$order->set_shipping_country( $country );
		$order->set_shipping_postcode( $postcode );
		$order->set_shipping_city( 'Somewhere' );
		$order->save();
		return $order;
	}

	/**
	 * Each managed line's location(s): item id => [location => qty].
	 *
	 * @return array<int, array<int, int>>
	 */
	private function routes_of( \WC_Order $order ): array {
		$out = array();
		foreach ( OrderStock::lines( $this->fresh( $order ) ) as $item_id => list( , $qty, , $item ) ) {
			$out[ $item_id ] = OrderStock::allocation( $item, $qty );
		}
		return $out;
	}

	/**
	 * A shipping zone of one country; returns its id.
	 */
	private function zone( string $name, string $country ): int {
		$zone = new \WC_Shipping_Zone();
		$zone->set_zone_name( $name );
		$zone->add_location( $country, 'country' );
		$zone->save();
		$this->zones[] = $zone->get_id();
		return $zone->get_id();
	}

	/**
	 * POST /omnistock/v1/orders/<id>/route in process, as the current user.
	 */
	private function reroute( \WC_Order $order, array $body ): \WP_REST_Response {
		$request = new \WP_REST_Request( 'POST', '/omnistock/v1/orders/' . $order->get_id() . '/route' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/**
	 * [held, committed] of a product at a location.
	 */
	private function units( int $product, int $location ): array {
		$cell = $this->cell( $product, $location );
		return array( $cell['held'], $cell['committed'] );
	}

	public function test_fewest_shipments_beats_priority(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$plate = $this->stocked( array( $this->loc[1] => 5 ) );
		$order = $this->shipping_order( array( array( $mug, 1 ), array( $plate, 1 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( array( $this->loc[1] ), array_values( array_unique( array_map( 'array_key_first', $this->routes_of( $order ) ) ) ), 'one shipment from the Store, though the Warehouse comes first by priority for the mug' );
		$this->assertSame( array( 1, 0 ), $this->units( $mug->get_id(), $this->loc[1] ), 'the mug is held at the Store' );
		$this->assertSame( array( 0, 0 ), $this->units( $mug->get_id(), $this->loc[0] ), 'nothing held at the Warehouse' );
		$this->assertShopAgrees( $mug, 'routed to one location' );
	}

	public function test_priority_decides_between_equals(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$order = $this->shipping_order( array( array( $mug, 2 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( array( $this->loc[0] => 2 ), current( $this->routes_of( $order ) ), 'no zone, no coordinates: the Warehouse (priority 0)' );
		Plugin::locations()->update( $this->loc[1], array( 'priority' => -5 ) );
		$order = $this->shipping_order( array( array( $mug, 2 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( array( $this->loc[1] => 2 ), current( $this->routes_of( $order ) ), 'the Store first once its priority is lower' );
	}

	public function test_a_location_limited_to_other_zones_is_no_candidate(): void {
		$germany = $this->zone( 'Germany', 'DE' );
		$france  = $this->zone( 'France', 'FR' );
		Plugin::locations()->update( $this->loc[0], array( 'shipping_zones' => array( $france ) ) );
		$this->assertSame( array( $france ), Plugin::locations()->get( $this->loc[0] )['shipping_zones'] );
		$mug = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );

		$to_germany = $this->shipping_order( array( array( $mug, 1 ) ), 'DE' );
		$this->assertNull( $this->checkout( $to_germany ) );
		$this->assertSame( array( $this->loc[1] => 1 ), current( $this->routes_of( $to_germany ) ), 'the Warehouse ships only to France: the Store ships to Germany' );

		$to_france = $this->shipping_order( array( array( $mug, 1 ) ), 'FR', '75001' );
		$this->assertNull( $this->checkout( $to_france ) );
		$this->assertSame( array( $this->loc[0] => 1 ), current( $this->routes_of( $to_france ) ), 'to France the Warehouse serves, first by priority' );

		// Only the Warehouse has the plate: an order to Germany cannot have it.
		$plate = $this->stocked( array( $this->loc[0] => 5 ) );
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $plate->get_name() ), $this->checkout( $this->shipping_order( array( array( $plate, 1 ) ), 'DE' ) ) );
		$this->assertSame( array( 0, 0 ), $this->units( $plate->get_id(), $this->loc[0] ), 'refused: nothing held' );
		unset( $germany );
	}

	public function test_the_rates_of_an_address_no_serving_location_can_ship_to_are_the_pickup_stores(): void {
		$france = $this->zone( 'France', 'FR' );
		Plugin::locations()->update( $this->loc[0], array( 'shipping_zones' => array( $france ) ) );
		$mug      = $this->stocked( array( $this->loc[0] => 5, $this->loc[2] => 5 ) ); // The Warehouse and the pickup store.
		$flat     = new \WC_Shipping_Rate( 'flat_rate:1', 'Flat rate', 5, array(), 'flat_rate', 1 );
		$contents = array(
			'line0' => array(
				'data'       => $mug,
				'quantity'   => 1,
				'product_id' => $mug->get_id(),
			),
		);
		$rates    = static fn( string $country, string $postcode ) => array_keys(
			apply_filters(
				'woocommerce_package_rates',
				array( 'flat_rate:1' => $flat ),
				array(
					'contents'    => $contents,
					'destination' => array(
						'country'   => $country,
						'state'     => '',
						'postcode'  => $postcode,
						'city'      => 'Somewhere',
						'address'   => '',
						'address_1' => '',
						'address_2' => '',
					),
				)
			)
		);
		$pickup   = 'omnistock_pickup:' . $this->loc[2];
		$this->assertSame( array( 'flat_rate:1', $pickup ), $rates( 'FR', '75001' ), 'to France the Warehouse ships it: shipping, and pickup beside' );
		$this->assertSame( array( $pickup ), $rates( 'DE', '80331' ), 'to Germany no location that serves it has the mug: only pickup, not a shipping rate the checkout would refuse' );
	}

	public function test_the_nearest_location_by_the_geocoding_filter_and_by_the_postcode_table(): void {
		// Warehouse in Hamburg, Store in Munich.
		Plugin::locations()->update( $this->loc[0], array( 'latitude' => '53.5511', 'longitude' => '9.9937' ) );
		Plugin::locations()->update( $this->loc[1], array( 'latitude' => 48.1374, 'longitude' => 11.5755 ) );
		$mug = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );

		$unknown = $this->shipping_order( array( array( $mug, 1 ) ), 'DE', '99999' );
		$this->assertNull( $this->checkout( $unknown ) );
		$this->assertSame( array( $this->loc[0] => 1 ), current( $this->routes_of( $unknown ) ), 'the address has no coordinates: priority decides' );

		$seen = null;
		add_filter(
			OrderDestination::FILTER,
			static function ( $coordinates, $address ) use ( &$seen ) {
				$seen = $address;
				return '80331' === $address['postcode'] ? array( 48.1351, 11.582 ) : $coordinates;
			},
			10,
			2
		);
		$munich = $this->shipping_order( array( array( $mug, 1 ) ), 'DE', '80331' );
		$this->assertNull( $this->checkout( $munich ) );
		$this->assertSame( array( $this->loc[1] => 1 ), current( $this->routes_of( $munich ) ), 'a geocoding plugin says Munich: the Store is nearer' );
		$this->assertSame( array( 'DE', '80331' ), array( $seen['country'], $seen['postcode'] ), 'the filter is given the shipping address' );

		( new Postcodes( Plugin::database(), new Tables( $GLOBALS['wpdb'] ) ) )->import( array( array( 'de', '20 095', '53.5503', '10.0007' ) ) );
		$hamburg = $this->shipping_order( array( array( $mug, 1 ) ), 'DE', '20095' );
		$this->assertNull( $this->checkout( $hamburg ) );
		$this->assertSame( array( $this->loc[0] => 1 ), current( $this->routes_of( $hamburg ) ), 'the postcode table says Hamburg: the Warehouse is nearer' );

		// Fewest shipments still comes first: the far Warehouse alone has both.
		$plate = $this->stocked( array( $this->loc[0] => 5 ) );
		$both  = $this->shipping_order( array( array( $mug, 1 ), array( $plate, 1 ) ), 'DE', '80331' );
		$this->assertNull( $this->checkout( $both ) );
		$this->assertSame( array( $this->loc[0] ), array_values( array_unique( array_map( 'array_key_first', $this->routes_of( $both ) ) ) ), 'one shipment from Hamburg beats two with one from Munich' );
	}

	public function test_a_line_is_split_only_when_the_shop_allows_it(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 2, $this->loc[1] => 2 ) );
		$order = $this->shipping_order( array( array( $mug, 3 ) ) );
		$this->assertSame( sprintf( 'Not enough units of %s are available in stock to fulfil this order.', $mug->get_name() ), $this->checkout( $order ), 'splits off (the default): no location has 3' );
		$this->assertSame( array( 0, 0 ), $this->units( $mug->get_id(), $this->loc[0] ), 'nothing held' );

		update_option( Router::SPLITS_OPTION, 'yes' );
		$order = $this->shipping_order( array( array( $mug, 3 ) ) );
		$this->assertNull( $this->checkout( $order ), 'splits on' );
		$this->assertSame( array( $this->loc[0] => 2, $this->loc[1] => 1 ), current( $this->routes_of( $order ) ), 'the Warehouse\'s 2 and 1 from the Store' );
		$this->assertSame( array( 2, 0 ), $this->units( $mug->get_id(), $this->loc[0] ) );
		$this->assertSame( array( 1, 0 ), $this->units( $mug->get_id(), $this->loc[1] ) );
		$item = current( $this->fresh( $order )->get_items() );
		$this->assertSame( (string) $this->loc[0], (string) $item->get_meta( Meta::LINE_LOCATION ), 'the line\'s location is its first' );

		$this->fresh( $order )->payment_complete();
		$this->assertSame( array( 0, 2 ), $this->units( $mug->get_id(), $this->loc[0] ), 'committed where held' );
		$this->assertSame( array( 0, 1 ), $this->units( $mug->get_id(), $this->loc[1] ) );
		$this->fresh( $order )->update_status( 'completed' );
		$this->assertSame( array( 0, 1 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] ), 'shipped from both' );
		$this->assertShopAgrees( $mug, 'split order shipped' );
	}

	public function test_re_route_a_held_line_moves_its_hold(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$plate = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$order = $this->shipping_order( array( array( $mug, 2 ), array( $plate, 1 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->assertSame( 'held', $this->state( $order ) );
		$items   = array_keys( $this->routes_of( $order ) );
		$answer  = $this->reroute( $order, array( 'lines' => array( (string) $items[1] => $this->loc[1] ) ) );
		$this->assertSame( 200, $answer->get_status(), (string) wp_json_encode( $answer->get_data() ) );
		$this->assertSame( array( $items[0] => array( $this->loc[0] => 2 ), $items[1] => array( $this->loc[1] => 1 ) ), $this->routes_of( $order ) );
		$this->assertSame( array( 0, 0 ), $this->units( $plate->get_id(), $this->loc[0] ), 'the plate\'s hold left the Warehouse' );
		$this->assertSame( array( 1, 0 ), $this->units( $plate->get_id(), $this->loc[1] ), 'and is at the Store' );
		$this->assertSame( array( 2, 0 ), $this->units( $mug->get_id(), $this->loc[0] ), 'the mug stays held where it was' );
		$lines = $answer->get_data()['lines'];
		$this->assertSame( 'Store', $lines[1]['locations'][0]['name'], 'the answer names the location' );
		$notes = array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $order->get_id() ) ) );
		$this->assertStringContainsString( 'Warehouse → Store', implode( "\n", $notes ), 'an order note says what moved' );

		$this->fresh( $order )->payment_complete();
		$this->assertSame( array( 0, 1 ), $this->units( $plate->get_id(), $this->loc[1] ), 'paid: committed at the new location' );
		$this->assertShopAgrees( $plate, 'after the re-route' );
	}

	public function test_re_route_a_paid_order_moves_its_commitment(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$plate = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$order = $this->shipping_order( array( array( $mug, 2 ), array( $plate, 1 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->assertSame( array( 0, 2 ), $this->units( $mug->get_id(), $this->loc[0] ) );

		$answer = $this->reroute( $order, array( 'location' => $this->loc[1] ) );
		$this->assertSame( 200, $answer->get_status(), (string) wp_json_encode( $answer->get_data() ) );
		$this->assertSame( array( array( 0, 0 ), array( 0, 0 ) ), array( $this->units( $mug->get_id(), $this->loc[0] ), $this->units( $plate->get_id(), $this->loc[0] ) ), 'nothing committed at the Warehouse any more' );
		$this->assertSame( array( array( 0, 2 ), array( 0, 1 ) ), array( $this->units( $mug->get_id(), $this->loc[1] ), $this->units( $plate->get_id(), $this->loc[1] ) ), 'all committed at the Store' );
		$this->assertSame( array( $this->loc[1] ), array_values( array_unique( array_map( 'array_key_first', $this->routes_of( $order ) ) ) ) );
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'no units moved between shelves' );

		$this->fresh( $order )->update_status( 'completed' );
		$this->assertSame( array( 5, 3 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] ), 'shipped from the Store' );
		$this->assertShopAgrees( $mug, 'shipped after the re-route' );
	}

	public function test_a_re_route_the_target_cannot_cover_moves_nothing(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$plate = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 0 ) );
		foreach ( array( 'held', 'committed' ) as $state ) {
			$order = $this->shipping_order( array( array( $mug, 2 ), array( $plate, 1 ) ) );
			$this->assertNull( $this->checkout( $order ) );
			if ( 'committed' === $state ) {
				$this->fresh( $order )->payment_complete();
			}
			$this->assertSame( $state, $this->state( $order ) );
			$before = $this->routes_of( $order );
			$cells  = array( $this->cell( $mug->get_id(), $this->loc[0] ), $this->cell( $mug->get_id(), $this->loc[1] ), $this->cell( $plate->get_id(), $this->loc[0] ) );

			$answer = $this->reroute( $order, array( 'location' => $this->loc[1] ) );
			$this->assertSame( 409, $answer->get_status(), "$state: " . wp_json_encode( $answer->get_data() ) );
			$this->assertSame( 'omnistock_route_no_stock', $answer->get_data()['code'], $state );
			$this->assertStringContainsString( 'Store cannot supply', $answer->get_data()['message'], $state );
			$this->assertSame( $before, $this->routes_of( $order ), "$state: the lines keep their location" );
			$this->assertSame( $cells, array( $this->cell( $mug->get_id(), $this->loc[0] ), $this->cell( $mug->get_id(), $this->loc[1] ), $this->cell( $plate->get_id(), $this->loc[0] ) ), "$state: not even the mug, which the Store has, moved" );
			$this->fresh( $order )->update_status( 'cancelled' );
		}
	}

	public function test_bad_re_routes_name_the_field_and_need_the_capability(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5 ) );
		$order = $this->shipping_order( array( array( $mug, 1 ) ) );
		$this->checkout( $order );
		$item = (int) key( $this->routes_of( $order ) );
		foreach ( array(
			array( array( 'location' => $this->loc[2] ), 'location', 'the Pickup store does not ship' ),
			array( array( 'lines' => array( (string) ( $item + 1000 ) => $this->loc[1] ) ), 'lines.' . ( $item + 1000 ), 'no such line' ),
			array( array( 'lines' => array( (string) $item => 999999 ) ), "lines.$item", 'no such location' ),
			array( array(), 'location', 'neither given' ),
		) as list( $body, $field, $why ) ) {
			$answer = $this->reroute( $order, $body );
			$this->assertSame( 400, $answer->get_status(), $why );
			$this->assertSame( $field, $answer->get_data()['data']['field'] ?? null, $why . ': ' . wp_json_encode( $answer->get_data() ) );
		}
		$this->assertSame( array( $item => array( $this->loc[0] => 1 ) ), $this->routes_of( $order ), 'nothing changed' );
		$this->assertSame( 404, rest_do_request( new \WP_REST_Request( 'GET', '/omnistock/v1/orders/999999/route' ) )->get_status(), 'no such order' );

		$customer = wp_insert_user(
			array(
				'user_login' => 'customer-' . wp_generate_password( 8, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => 'customer',
			)
		);
		wp_set_current_user( $customer );
		$this->assertSame( 403, $this->reroute( $order, array( 'location' => $this->loc[1] ) )->get_status(), 'a customer may not' );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->reroute( $order, array( 'location' => $this->loc[1] ) )->get_status(), 'nobody may not' );
		wp_set_current_user( 1 );
		$this->assertSame( array( $item => array( $this->loc[0] => 1 ) ), $this->routes_of( $order ), 'still nothing changed' );
		$this->assertSame( 200, rest_do_request( new \WP_REST_Request( 'GET', '/omnistock/v1/orders/' . $order->get_id() . '/route' ) )->get_status() );
	}
}
