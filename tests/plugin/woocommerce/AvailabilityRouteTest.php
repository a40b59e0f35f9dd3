<?php
/**
 * GET /omnistock/v1/availability: shape, one query whatever the number of locations and products,
 * holds, negative cells, unknown products, no login.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;

final class AvailabilityRouteTest extends WcTestCase {

	private function get( string $products, ?string $qty = null ): \WP_REST_Response {
		wp_set_current_user( 0 );
		$request = new \WP_REST_Request( 'GET', '/omnistock/v1/availability' );
		$request->set_param( 'products', $products );
		if ( null !== $qty ) {
			$request->set_param( 'qty', $qty );
		}
		return rest_do_request( $request );
	}

	private function counted( int $product, int $location, int $on_hand ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'count-' . wp_generate_password( 12, false ),
					'kind'     => 'count',
					'product'  => $product,
					'location' => $location,
					'qty'      => $on_hand,
					'at'       => 1,
				),
			)
		);
	}

	public function test_shape_holds_and_qty_without_login(): void {
		$mug = $this->simple( 0 );
		$cup = $this->simple( 0 );
		$this->counted( $mug->get_id(), $this->loc[2], 5 );
		$answer = $this->get( $mug->get_id() . ',' . $cup->get_id(), '5,1' );
		$this->assertSame( 200, $answer->get_status(), wp_json_encode( $answer->get_data() ) );
		$data = $answer->get_data();
		$this->assertSame( array( $mug->get_id(), $cup->get_id() ), array_column( $data, 'product' ) );
		$this->assertSame( array( $this->loc[2] ), array_column( $data[0]['locations'], 'location' ), 'only the pickup location' );
		$line = $data[0]['locations'][0];
		$this->assertSame( array( 'location', 'name', 'address', 'curbside', 'sellable', 'available', 'pickup_hours' ), array_keys( $line ) );
		$this->assertSame( 5, $line['sellable'] );
		$this->assertTrue( $line['available'] );
		$this->assertSame( 0, $data[1]['locations'][0]['sellable'] );
		$this->assertFalse( $data[1]['locations'][0]['available'] );

		$held = Plugin::inventory()->hold( 'cart-a', array( array( $mug->get_id(), $this->loc[2], 1 ) ) );
		$this->assertTrue( $held['ok'] ?? false, wp_json_encode( $held ) );
		$line = $this->get( (string) $mug->get_id(), '5' )->get_data()[0]['locations'][0];
		$this->assertSame( 4, $line['sellable'], 'a held unit is not sellable' );
		$this->assertFalse( $line['available'] );
	}

	public function test_negative_shows_zero_and_unknown_is_400(): void {
		$mug = $this->simple( 0 );
		$this->counted( $mug->get_id(), $this->loc[2], 1 );
		Plugin::inventory()->sell( 'pos-x', array( array( $mug->get_id(), $this->loc[2], 3 ) ), array(), null, true );
		$this->assertLessThan( 0, $this->cell( $mug->get_id(), $this->loc[2] )['sellable'] );
		$this->assertSame( 0, $this->get( (string) $mug->get_id() )->get_data()[0]['locations'][0]['sellable'] );

		$answer = $this->get( $mug->get_id() . ',999999' );
		$this->assertSame( 400, $answer->get_status() );
		$this->assertSame( 'products', $answer->get_data()['data']['field'] ?? null, wp_json_encode( $answer->get_data() ) );
		$this->assertSame( 400, $this->get( 'x' )->get_status() );
	}

	public function test_one_query_whatever_the_number_of_locations_and_products(): void {
		global $wpdb;
		$one = $this->simple( 0 );
		$wpdb->num_queries = 0;
		$this->get( (string) $one->get_id() );
		$few = $wpdb->num_queries;

		$ids = array();
		for ( $i = 0; $i < 20; $i++ ) {
			$ids[] = $this->simple( 0 )->get_id();
			Plugin::locations()->create( array( 'name' => "Shop $i", 'offers_pickup' => true, 'priority' => 3 + $i ) );
		}
		Plugin::inventory()->reload_location_ids();
		$wpdb->num_queries = 0;
		$answer            = $this->get( implode( ',', $ids ) );
		$this->assertSame( 200, $answer->get_status() );
		$this->assertCount( 21, $answer->get_data()[19]['locations'] );
		$this->assertSame( $few, $wpdb->num_queries, '20 products at 21 locations cost what 1 at 1 costs' );
	}
}
