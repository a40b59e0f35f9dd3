<?php
/**
 * REST omnistock/v1: capabilities, malformed batches refused whole, idempotent replays.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

final class RestTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		$GLOBALS['wp_rest_server'] = null; // Routes are registered again, with this test's Inventory.
	}

	/**
	 * A product of the shop: /events takes only ids of products.
	 */
	protected function product(): int {
		$id = wp_insert_post(
			array(
				'post_type'   => 'product',
				'post_title'  => 'Product',
				'post_status' => 'publish',
			)
		);
		$this->assertIsInt( $id );
		return $id;
	}

	private function request( string $method, string $route, ?array $json = null ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1' . $route );
		if ( null !== $json ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $json ) );
		}
		return rest_do_request( $request );
	}

	private function as_admin(): void {
		wp_set_current_user( 1 );
	}

	private function as_role( string $role ): void {
		$id = wp_insert_user(
			array(
				'user_login' => $role . '-' . uniqid(),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$this->assertIsInt( $id );
		wp_set_current_user( $id );
	}

	public function test_every_route_refuses_anonymous_callers_with_401_and_subscribers_with_403(): void {
		$routes = array(
			array( 'GET', '/locations' ),
			array( 'POST', '/locations', array( 'name' => 'X' ) ),
			array( 'GET', '/locations/' . $this->loc[0] ),
			array( 'PUT', '/locations/' . $this->loc[0], array( 'name' => 'X' ) ),
			array( 'DELETE', '/locations/' . $this->loc[0] ),
			array( 'GET', '/stock/5' ),
			array( 'POST', '/events', array( 'events' => array( self::ev( 'x', 'count', 5, $this->loc[0], 1, 1 ) ) ) ),
		);
		foreach ( array( 0 => 401, 'subscriber' => 403 ) as $who => $status ) {
			if ( 0 === $who ) {
				wp_set_current_user( 0 );
			} else {
				$this->as_role( $who );
			}
			foreach ( $routes as $r ) {
				$response = $this->request( $r[0], $r[1], $r[2] ?? null );
				$this->assertSame( $status, $response->get_status(), "{$r[0]} {$r[1]} as " . ( $who ?: 'anonymous' ) );
			}
		}
		$this->assertSame( 0, $this->ledger_rows() );
		$this->assertCount( 3, $this->locations->all() );
		// Every route of the namespace has a permission callback.
		foreach ( rest_get_server()->get_routes( 'omnistock/v1' ) as $route => $handlers ) {
			if ( '/omnistock/v1' === $route ) {
				continue; // WordPress's own index of the namespace.
			}
			foreach ( $handlers as $handler ) {
				if ( is_array( $handler ) && isset( $handler['callback'] ) ) {
					$this->assertNotEmpty( $handler['permission_callback'], $route );
				}
			}
		}
	}

	public function test_locations_crud_answers_with_ids(): void {
		$this->as_admin();
		$created = $this->request(
			'POST',
			'/locations',
			array(
				'name'            => 'Dark store',
				'address'         => "1 Main St\nSpringfield",
				'offers_pickup'   => true,
				'offers_curbside' => true,
				'ships_online'    => false,
				'safety_default'  => 2,
				'priority'        => 3,
			)
		);
		$this->assertSame( 201, $created->get_status() );
		$id = $created->get_data()['id'];
		$this->assertIsInt( $id );
		$data = $created->get_data();
		$this->assertSame( array( true, true, false, 2, 3 ), array( $data['offers_pickup'], $data['offers_curbside'], $data['ships_online'], $data['safety_default'], $data['priority'] ) );

		$updated = $this->request( 'PUT', "/locations/$id", array( 'name' => 'Dark store 2' ) );
		$this->assertSame( array( 200, $id, 'Dark store 2' ), array( $updated->get_status(), $updated->get_data()['id'], $updated->get_data()['name'] ) );
		$this->assertContains( $id, array_column( $this->request( 'GET', '/locations' )->get_data(), 'id' ) );
		$this->assertSame( $id, $this->request( 'GET', "/locations/$id" )->get_data()['id'] );

		$bad = $this->request( 'POST', '/locations', array( 'name' => '' ) );
		$this->assertSame( array( 400, 'name' ), array( $bad->get_status(), $bad->get_data()['data']['field'] ) );
		$bad = $this->request( 'PUT', "/locations/$id", array( 'safety_default' => -1 ) );
		$this->assertSame( array( 400, 'safety_default' ), array( $bad->get_status(), $bad->get_data()['data']['field'] ) );

		$this->inventory->record( array( self::ev( 'c', 'count', $this->product(), $id, 3, 1 ) ) );
		$this->assertSame( 409, $this->request( 'DELETE', "/locations/$id" )->get_status(), 'a location with stock stays' );
		$empty = $this->request( 'POST', '/locations', array( 'name' => 'Empty' ) )->get_data()['id'];
		$this->assertSame( 200, $this->request( 'DELETE', "/locations/$empty" )->get_status() );
		$this->assertSame( 404, $this->request( 'GET', "/locations/$empty" )->get_status() );
	}

	public function test_stock_per_location_and_online_total(): void {
		$this->as_admin();
		[$a, $b, $w] = $this->loc;
		$p           = $this->product();
		$this->inventory->record( array( self::ev( 'a', 'count', $p, $a, 5, 1 ), self::ev( 'b', 'count', $p, $b, 2, 1 ), self::ev( 'w', 'count', $p, $w, 50, 1 ), self::ev( 'k', 'commit', $p, $b, 3, 2 ) ) );
		$this->inventory->hold( 'cart', array( array( $p, $a, 1 ) ), 60 );
		$stock = $this->request( 'GET', "/stock/$p" )->get_data();
		$by    = array_column( $stock['locations'], null, 'location' );
		$this->assertSame( array( 5, 0, 0, 1, 4 ), array( $by[ $a ]['on_hand'], $by[ $a ]['committed'], $by[ $a ]['safety'], $by[ $a ]['held'], $by[ $a ]['sellable'] ) );
		$this->assertSame( -1, $by[ $b ]['sellable'], 'an oversell shows' );
		$this->assertSame( 4, $stock['online'], 'the warehouse does not ship online; a negative cell counts as 0' );
	}

	public function test_a_malformed_batch_is_refused_whole_naming_the_field(): void {
		$this->as_admin();
		$p      = $this->product();
		$good   = self::ev( 'g1', 'count', $p, $this->loc[0], 5, 1 );
		$cases  = array(
			array( array( 'events' => array( $good, array( 'qty' => 'many' ) + $good ) ), 'events[1].qty' ),
			array( array( 'events' => array( $good, array( 'id' => 'g2', 'kind' => 'steal' ) + $good ) ), 'events[1].kind' ),
			array( array( 'events' => array( $good, array( 'id' => 'g3', 'location' => 424242 ) + $good ) ), 'events[1].location' ),
			array( array( 'events' => array() ), 'events' ),
			array( array( 'something' => 'else' ), 'events' ),
			array( array( 'events' => array( 'not an object' ) ), 'events[0]' ),
		);
		foreach ( $cases as [$body, $field] ) {
			$response = $this->request( 'POST', '/events', $body );
			$this->assertSame( 400, $response->get_status(), $field );
			$this->assertSame( $field, $response->get_data()['data']['field'] );
			$this->assertStringContainsString( $field, $response->get_data()['message'] );
		}
		$this->assertSame( 0, $this->ledger_rows() );
	}

	public function test_events_for_products_that_do_not_exist_are_refused_and_make_no_cell(): void {
		$this->as_admin();
		$p     = $this->product();
		$page  = wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_title'  => 'About',
				'post_status' => 'publish',
			)
		);
		$cells = (int) $this->db->value( "SELECT COUNT(*) FROM {$this->tables->levels}" );
		foreach ( array( 987654321, $page, (string) 987654322 ) as $missing ) {
			$response = $this->request( 'POST', '/events', array( 'events' => array( self::ev( 'e1', 'count', $p, $this->loc[0], 5, 1 ), array_merge( self::ev( 'e2', 'count', 1, $this->loc[0], 5, 1 ), array( 'product' => $missing ) ) ) ) );
			$this->assertSame( 400, $response->get_status(), (string) $missing );
			$this->assertSame( 'events[1].product', $response->get_data()['data']['field'] );
		}
		$this->assertSame( 0, $this->ledger_rows(), 'nothing of the batch is applied' );
		$this->assertSame( $cells, (int) $this->db->value( "SELECT COUNT(*) FROM {$this->tables->levels}" ), 'no cell is made for them' );
		$ok = $this->request( 'POST', '/events', array( 'events' => array( self::ev( 'e1', 'count', $p, $this->loc[0], 5, 1 ) ) ) );
		$this->assertSame( array( 200, 1 ), array( $ok->get_status(), $ok->get_data()['applied'] ) );
	}

	public function test_posting_the_same_batch_twice_applies_it_once(): void {
		$this->as_admin();
		$p     = $this->product();
		$batch = array( 'events' => array( self::ev( 'pos:9:1', 'count', $p, $this->loc[0], 5, 1 ), self::ev( 'pos:9:2', 'adjust', $p, $this->loc[0], -1, 2 ) ) );
		$first = $this->request( 'POST', '/events', $batch );
		$this->assertSame( array( 200, 2, 0 ), array( $first->get_status(), $first->get_data()['applied'], $first->get_data()['duplicates'] ) );
		$again = $this->request( 'POST', '/events', $batch );
		$this->assertSame( array( 200, 0, 2 ), array( $again->get_status(), $again->get_data()['applied'], $again->get_data()['duplicates'] ) );
		$this->assertSame( array( 4, 0 ), $this->level( $p, $this->loc[0] ) );
		$row = $this->inventory->ledger_tail( 1 )[0];
		$this->assertSame( array( 'api', '1' ), array( $row['source'], $row['actor'] ) );
	}
}
