<?php
/**
 * The Store API's product list (GET /wc/store/v1/products) carries extensions.omnistock.pickup for
 * every product at the cost of one query for the page, not one per product (issue 15: "no cost
 * beyond one query per request"); each product's lines are its own.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Plugin;

final class ProductListPickupQueriesTest extends WcTestCase {

	/** @var list<string> Queries that read pickup availability. */
	private array $availability_queries = array();

	public function count_query( $sql ) {
		// The availability query joins the pickup locations to the levels (Pickup\Availability::sql()).
		if ( is_string( $sql ) && str_contains( $sql, 'l.offers_pickup = 1' ) ) {
			$this->availability_queries[] = $sql;
		}
		return $sql;
	}

	protected function tearDown(): void {
		remove_filter( 'query', array( $this, 'count_query' ) );
		parent::tearDown();
	}

	/**
	 * GET /wc/store/v1/products for these products: the queries of availability it made and each
	 * product's pickup lines by id.
	 *
	 * @param list<int> $ids Product ids.
	 * @return array{0:int, 1:array<int, array>}
	 */
	private function list_of( array $ids ): array {
		wp_set_current_user( 0 );
		$this->availability_queries = array();
		add_filter( 'query', array( $this, 'count_query' ) );
		$request = new \WP_REST_Request( 'GET', '/wc/store/v1/products' );
		$request->set_param( 'include', $ids );
		$request->set_param( 'per_page', 100 );
		$answer = rest_do_request( $request );
		remove_filter( 'query', array( $this, 'count_query' ) );
		$this->assertSame( 200, $answer->get_status(), wp_json_encode( $answer->get_data() ) );
		$data   = json_decode( wp_json_encode( $answer->get_data() ), true );
		$pickup = array();
		foreach ( $data as $product ) {
			$pickup[ (int) $product['id'] ] = $product['extensions']['omnistock']['pickup'] ?? null;
		}
		return array( count( $this->availability_queries ), $pickup );
	}

	public function test_a_product_list_costs_one_availability_query(): void {
		$ids = array();
		for ( $i = 0; $i < 6; $i++ ) {
			$product = $this->simple( 1 );
			$ids[]   = $product->get_id();
			if ( $i % 2 ) {
				Plugin::inventory()->record( array( array( 'id' => 'test:count:' . wp_generate_uuid4(), 'kind' => 'count', 'product' => $product->get_id(), 'location' => $this->loc[2], 'qty' => $i, 'at' => Database::now_ms() - 60000 ) ) );
			}
		}
		list( $queries, $pickup ) = $this->list_of( $ids );
		$this->assertSame( 1, $queries, 'one query for 6 products' );
		$this->assertEqualsCanonicalizing( $ids, array_keys( $pickup ) );
		foreach ( $ids as $i => $id ) {
			$this->assertIsArray( $pickup[ $id ], "product $id has extensions.omnistock.pickup" );
			$this->assertSame( array( $this->loc[2] ), array_column( $pickup[ $id ], 'location' ) );
			$this->assertSame( $i % 2 ? $i : 0, $pickup[ $id ][0]['sellable'], "sellable at the pickup store of product $id" );
			$this->assertSame( (bool) ( $i % 2 ), $pickup[ $id ][0]['available'] );
		}

		$one             = $this->simple( 1 )->get_id();
		list( $queries ) = $this->list_of( array( $one ) );
		$this->assertSame( 1, $queries, 'and one for one product' );

		// A change of stock is seen by the next list of the same request.
		Plugin::inventory()->record( array( array( 'id' => 'test:count:' . wp_generate_uuid4(), 'kind' => 'count', 'product' => $ids[0], 'location' => $this->loc[2], 'qty' => 4, 'at' => Database::now_ms() - 1000 ) ) );
		list( , $pickup ) = $this->list_of( array( $ids[0] ) );
		$this->assertSame( 4, $pickup[ $ids[0] ][0]['sellable'], 'not a stale number after a count' );
	}
}
