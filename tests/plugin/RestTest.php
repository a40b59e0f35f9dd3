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

		$this->assertSame( array( '', 2, 7, false, 2 ), array( $data['opening_hours'], $data['pickup_hours'], $data['hold_days'], $data['accepts_transfers'], $data['transfer_days'] ), 'a store prepares a pickup in 2 hours, keeps it 7 days and gets a transfer in 2 days unless told otherwise' );
		$pickup = $this->request(
			'PUT',
			"/locations/$id",
			array(
				'opening_hours'     => "Mon-Fri 9-18\nSat 10-14",
				'pickup_hours'      => 4,
				'hold_days'         => 3,
				'accepts_transfers' => true,
				'transfer_days'     => 3,
			)
		)->get_data();
		$this->assertSame( array( "Mon-Fri 9-18\nSat 10-14", 4, 3, true, 3 ), array( $pickup['opening_hours'], $pickup['pickup_hours'], $pickup['hold_days'], $pickup['accepts_transfers'], $pickup['transfer_days'] ) );
		foreach ( array( 'hold_days' => 0, 'pickup_hours' => -1, 'transfer_days' => 0 ) as $field => $value ) {
			$bad = $this->request( 'PUT', "/locations/$id", array( $field => $value ) );
			$this->assertSame( array( 400, $field ), array( $bad->get_status(), $bad->get_data()['data']['field'] ) );
		}
		$this->assertSame( array( 3, 3 ), array_values( array_intersect_key( $this->request( 'GET', "/locations/$id" )->get_data(), array_flip( array( 'hold_days', 'transfer_days' ) ) ) ), 'a refused change changes nothing' );

		$this->inventory->record( array( self::ev( 'c', 'count', $this->product(), $id, 3, 1 ) ) );
		$this->assertSame( 409, $this->request( 'DELETE', "/locations/$id" )->get_status(), 'a location with stock stays' );
		$empty = $this->request( 'POST', '/locations', array( 'name' => 'Empty' ) )->get_data()['id'];
		$this->assertSame( 200, $this->request( 'DELETE', "/locations/$empty" )->get_status() );
		$this->assertSame( 404, $this->request( 'GET', "/locations/$empty" )->get_status() );
	}

	public function test_a_location_s_coordinates_and_shipping_zones_for_routing(): void {
		$this->as_admin();
		$created = $this->request(
			'POST',
			'/locations',
			array(
				'name'           => 'Store Munich',
				'latitude'       => 48.1374,
				'longitude'      => '11.5755',
				'shipping_zones' => array( 3, 1, 3 ),
			)
		);
		$this->assertSame( 201, $created->get_status(), (string) wp_json_encode( $created->get_data() ) );
		$data = $created->get_data();
		$this->assertSame( array( 48.1374, 11.5755, array( 1, 3 ) ), array( $data['latitude'], $data['longitude'], $data['shipping_zones'] ), 'stored as given; zones sorted, once each' );
		$id = $data['id'];
		$this->assertSame( array( null, null, array() ), array_values( array_intersect_key( $this->request( 'POST', '/locations', array( 'name' => 'Plain' ) )->get_data(), array_flip( array( 'latitude', 'longitude', 'shipping_zones' ) ) ) ), 'unknown coordinates, every zone, unless told' );
		foreach ( array(
			array( 'latitude', 91 ),
			array( 'longitude', 'east' ),
			array( 'shipping_zones', array( 'x' ) ),
			array( 'shipping_zones', '1,-2' ),
		) as list( $field, $value ) ) {
			$bad = $this->request( 'PUT', "/locations/$id", array( $field => $value ) );
			$this->assertSame( array( 400, $field ), array( $bad->get_status(), $bad->get_data()['data']['field'] ?? null ), $field . ' ' . wp_json_encode( $value ) . ': ' . wp_json_encode( $bad->get_data() ) );
		}
		$this->assertSame( array( 48.1374, array( 1, 3 ) ), array( $this->locations->get( $id )['latitude'], $this->locations->get( $id )['shipping_zones'] ), 'refused: unchanged' );
		$cleared = $this->request(
			'PUT',
			"/locations/$id",
			array(
				'latitude'       => null,
				'longitude'      => '',
				'shipping_zones' => '',
			)
		)->get_data();
		$this->assertSame( array( null, null, array() ), array( $cleared['latitude'], $cleared['longitude'], $cleared['shipping_zones'] ), 'cleared' );
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
		$batch = array( 'events' => array( self::ev( 'api:9:1', 'count', $p, $this->loc[0], 5, 1 ), self::ev( 'api:9:2', 'adjust', $p, $this->loc[0], -1, 2 ) ) );
		$first = $this->request( 'POST', '/events', $batch );
		$this->assertSame( array( 200, 2, 0 ), array( $first->get_status(), $first->get_data()['applied'], $first->get_data()['duplicates'] ) );
		$again = $this->request( 'POST', '/events', $batch );
		$this->assertSame( array( 200, 0, 2 ), array( $again->get_status(), $again->get_data()['applied'], $again->get_data()['duplicates'] ) );
		$this->assertSame( array( 4, 0 ), $this->level( $p, $this->loc[0] ) );
		$row = $this->inventory->ledger_tail( 1 )[0];
		$this->assertSame( array( 'api', '1' ), array( $row['source'], $row['actor'] ) );
	}

	public function test_staff_locations_are_set_and_read_by_those_who_manage_omnistock(): void {
		[$a, $b] = $this->loc;
		$cashier = wp_insert_user(
			array(
				'user_login' => 'cashier-' . uniqid(),
				'user_pass'  => wp_generate_password(),
				'role'       => 'omnistock_cashier',
			)
		);
		$this->assertIsInt( $cashier );
		$staff = \Omnistock\Plugin::staff();
		$this->assertSame( array(), $staff->locations_of( $cashier ), 'a new cashier acts for no location' );

		foreach ( array( 0 => 401, 'subscriber' => 403, 'omnistock_cashier' => 403 ) as $who => $status ) {
			if ( 0 === $who ) {
				wp_set_current_user( 0 );
			} else {
				$this->as_role( $who );
			}
			$this->assertSame( $status, $this->request( 'PUT', "/staff/$cashier", array( 'locations' => array( $a ) ) )->get_status(), "PUT as $who" );
			$this->assertSame( $status, $this->request( 'GET', "/staff/$cashier" )->get_status(), "GET as $who" );
		}
		$this->assertSame( array(), $staff->locations_of( $cashier ), 'the refused requests assigned nothing' );

		$this->as_admin();
		$put = $this->request( 'PUT', "/staff/$cashier", array( 'locations' => array( $b, $a, $b ) ) );
		$this->assertSame( 200, $put->get_status(), wp_json_encode( $put->get_data() ) );
		$ids = array( $a, $b );
		sort( $ids );
		$this->assertSame( $ids, $put->get_data()['locations'] );
		$this->assertFalse( $put->get_data()['all_locations'] );
		$this->assertSame( $ids, $this->request( 'GET', "/staff/$cashier" )->get_data()['locations'] );
		$this->assertTrue( $staff->may_act_for( $cashier, $a ) );
		$this->assertFalse( $staff->may_act_for( $cashier, $this->loc[2] ) );

		$bad = $this->request( 'PUT', "/staff/$cashier", array( 'locations' => array( $a, 987654 ) ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'locations', $bad->as_error()->get_error_data()['params'] );
		$this->assertSame( 400, $this->request( 'PUT', "/staff/$cashier", array( 'locations' => 'all' ) )->get_status() );
		$this->assertSame( 400, $this->request( 'PUT', "/staff/$cashier", array() )->get_status(), 'locations is required' );
		$this->assertSame( $ids, $staff->assigned( $cashier ), 'a refused PUT changed nothing' );
		$this->assertSame( 404, $this->request( 'PUT', '/staff/987654321', array( 'locations' => array( $a ) ) )->get_status() );
		$this->assertSame( 404, $this->request( 'GET', '/staff/987654321' )->get_status() );

		$this->assertSame( array(), $this->request( 'PUT', "/staff/$cashier", array( 'locations' => array() ) )->get_data()['locations'], 'an empty list: no location' );
		$admin = $this->request( 'GET', '/staff/1' )->get_data();
		$this->assertTrue( $admin['all_locations'], 'administrators act for every location' );
		$this->assertContains( $this->loc[2], $admin['may_act_for'] );
	}

	public function test_an_event_dated_more_than_five_minutes_ahead_is_refused_naming_its_at(): void {
		$this->as_admin();
		$p   = $this->product();
		$now = \Omnistock\Inventory\Database::now_ms();
		// One count dated 2100 would absorb every sale until then: the shop would oversell.
		foreach ( array( 4102444800000, $now + 600000 ) as $at ) {
			$response = $this->request( 'POST', '/events', array( 'events' => array( self::ev( 'c:now', 'count', $p, $this->loc[0], 5, $now ), self::ev( "c:$at", 'count', $p, $this->loc[0], 5, $at ) ) ) );
			$this->assertSame( 400, $response->get_status(), (string) $at );
			$this->assertSame( 'events[1].at', $response->get_data()['data']['field'] );
		}
		$this->assertSame( 0, $this->ledger_rows() );
		// A terminal's clock a little ahead is not a lie.
		$ahead = $this->request( 'POST', '/events', array( 'events' => array( self::ev( 'c:ahead', 'count', $p, $this->loc[0], 5, $now + 240000 ) ) ) );
		$this->assertSame( 200, $ahead->get_status(), wp_json_encode( $ahead->get_data() ) );
	}

	public function test_an_id_in_the_servers_namespace_is_refused_so_the_later_commit_still_counts(): void {
		$this->as_admin();
		$p = $this->product();
		$this->inventory->record( array( self::ev( 'c:1', 'count', $p, $this->loc[0], 5, 1 ) ) );
		foreach ( array( "commit:wc-order-7:$p:{$this->loc[0]}", 'pos:0b5e:1', 'wc:order:7:short', 'fulfil:x', 'uncommit:x', 'omnistock:activation:1' ) as $id ) {
			$response = $this->request( 'POST', '/events', array( 'events' => array( self::ev( $id, 'commit', $p, $this->loc[0], 1, 2 ) ) ) );
			$this->assertSame( 400, $response->get_status(), $id );
			$this->assertSame( 'events[0].id', $response->get_data()['data']['field'], $id );
		}
		$this->assertSame( 1, $this->ledger_rows() );
		$this->assertTrue( $this->inventory->hold( 'wc-order-7', array( array( $p, $this->loc[0], 2 ) ) )['ok'] );
		$this->inventory->commit( 'wc-order-7', array( array( $p, $this->loc[0], 2 ) ) );
		$this->assertSame( array( 5, 2 ), $this->level( $p, $this->loc[0] ), 'the commit was not taken for a replay' );
	}

	public function test_the_same_event_id_with_other_content_is_422_naming_it_and_changes_nothing(): void {
		$this->as_admin();
		$p     = $this->product();
		$first = array( 'events' => array( self::ev( 'api:count:1', 'count', $p, $this->loc[0], 5, 1 ) ) );
		$this->assertSame( 200, $this->request( 'POST', '/events', $first )->get_status() );
		$other = array( 'events' => array( self::ev( 'api:adjust:1', 'adjust', $p, $this->loc[0], -1, 2 ), self::ev( 'api:count:1', 'count', $p, $this->loc[0], 50, 1 ) ) );
		$again = $this->request( 'POST', '/events', $other );
		$this->assertSame( 422, $again->get_status(), wp_json_encode( $again->get_data() ) );
		$this->assertSame( 'omnistock_idempotency_conflict', $again->get_data()['code'] );
		$this->assertSame( 'events[1].id', $again->get_data()['data']['field'] );
		$this->assertSame( 1, $this->ledger_rows(), 'nothing of the batch was applied' );
		$this->assertSame( array( 5, 0 ), $this->level( $p, $this->loc[0] ) );
		// The same body again is still a replay.
		$replay = $this->request( 'POST', '/events', $first );
		$this->assertSame( array( 200, 0, 1 ), array( $replay->get_status(), $replay->get_data()['applied'], $replay->get_data()['duplicates'] ) );
	}

	public function test_source_actor_and_reason_are_the_servers_not_the_clients(): void {
		$this->as_admin();
		$p     = $this->product();
		$event = array(
			'source'    => 'pos',
			'actor'     => '42',
			'reason'    => 'sale',
			'reference' => 'delivery note 7',
		) + self::ev( 'api:forged:1', 'count', $p, $this->loc[0], 5, 1 );
		$this->assertSame( 200, $this->request( 'POST', '/events', array( 'events' => array( $event ) ) )->get_status() );
		$row = $this->inventory->ledger_tail( 1 )[0];
		$this->assertSame( array( 'api', '1', '', 'delivery note 7' ), array( $row['source'], $row['actor'], $row['reason'], $row['reference'] ) );
	}
}
