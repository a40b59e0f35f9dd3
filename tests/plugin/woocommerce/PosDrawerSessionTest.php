<?php
/**
 * Drawer sessions through the REST routes: open with a float, sell (cash with change, card,
 * split), pay in and out, refund, close with the counted cash; exact figures.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\Pos\Drawer;
use Omnistock\Pos\MinorUnits;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosDrawerSessionTest extends PosDrawerTestCase {

	private function open( int $location, string $float ): array {
		return $this->ok(
			$this->rest(
				'POST',
				'/pos/sessions',
				array(
					'location' => $location,
					'float'    => $float,
				)
			),
			201
		);
	}

	private function move( int $session, string $type, string $amount, string $note = '' ): array {
		return $this->ok(
			$this->rest(
				'POST',
				"/pos/sessions/$session/movements",
				array(
					'type'   => $type,
					'amount' => $amount,
					'note'   => $note,
				)
			),
			201
		);
	}

	public function test_open_sell_pay_in_out_refund_close_gives_exact_figures(): void {
		$store   = $this->loc[1];
		$mug     = $this->product( '10.00', 'Mug' );
		$session = $this->open( $store, '100.00' );
		$this->assertSame( array( $store, $this->cashier, '100.00', 'open' ), array( $session['location'], $session['user'], $session['float'], $session['status'] ) );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/', $session['opened_at'] );
		$id = $session['id'];

		// Cash 20.00, 50.00 handed over: 30.00 change, 20.00 stays in the drawer.
		$cash = $this->pos_sale( $store, array( array( $mug, 2 ) ), array( array( 'method' => 'cash', 'amount' => '20.00', 'tendered' => '50.00' ) ), array( 'session' => $id ) );
		// Split 30.00: card 12.50, cash 17.50 from a 20.00 note (2.50 change).
		$this->pos_sale(
			$store,
			array( array( $mug, 3 ) ),
			array(
				array(
					'method'    => 'card',
					'amount'    => '12.50',
					'reference' => 'T-0042',
				),
				array(
					'method'   => 'cash',
					'amount'   => '17.50',
					'tendered' => '20.00',
				),
			),
			array( 'session' => $id )
		);
		// Card only.
		$this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'card', 'amount' => '10.00', 'reference' => 'T-0043' ) ), array( 'session' => $id ) );
		// Not this drawer: another location's session, a sale without session, a cancelled sale.
		$other = $this->open( $this->loc[0], '50.00' )['id'];
		$this->pos_sale( $this->loc[0], array( array( $mug, 5 ) ), array( array( 'method' => 'cash', 'amount' => '50.00' ) ), array( 'session' => $other ) );
		$this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '10.00' ) ) );
		$this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '10.00' ) ), array( 'session' => $id, 'status' => 'cancelled' ) );

		$in  = $this->move( $id, 'in', '5.25', 'change from the bank' );
		$out = $this->move( $id, 'out', '20.10', 'window cleaner' );
		$this->assertSame( array( 'in', '5.25', 'change from the bank', $this->cashier ), array( $in['type'], $in['amount'], $in['note'], $in['user'] ) );
		$this->assertSame( array( 'out', '20.10' ), array( $out['type'], $out['amount'] ) );

		// A cash refund while the session is open leaves this drawer.
		$refund = $this->refund( $cash, '5.00' );
		$this->assertSame( (string) $id, (string) wc_get_order( $refund->get_id() )->get_meta( Drawer::SESSION_META ) );
		$this->assertSame( 'cash', wc_get_order( $refund->get_id() )->get_meta( Drawer::REFUND_METHOD_META ) );

		// 100.00 + 20.00 + 17.50 − 5.00 + 5.25 − 20.10 = 117.65
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame( 'open', $report['status'] );
		$this->assertSame( 3, $report['orders'] );
		$this->assertSame(
			array( '37.50', '22.50' ),
			array( $report['sales']['cash'], $report['sales']['card'] )
		);
		$this->assertSame( '32.50', $report['change'] );
		$this->assertSame( array( '5.00', '0.00' ), array( $report['refunds']['cash'], $report['refunds']['card'] ) );
		$this->assertSame( array( '5.25', '20.10' ), array( $report['movements']['in'], $report['movements']['out'] ) );
		$this->assertSame( '117.65', $report['expected'] );
		$this->assertNull( $report['counted'] );
		$this->assertCount( 2, $report['movements_list'] );

		$closed = $this->ok( $this->rest( 'POST', "/pos/sessions/$id/close", array( 'counted' => '117.00' ) ) );
		$this->assertSame(
			array( 'closed', '117.65', '117.00', '-0.65', '37.50', '22.50', '5.25', '20.10' ),
			array( $closed['status'], $closed['expected'], $closed['counted'], $closed['difference'], $closed['sales']['cash'], $closed['sales']['card'], $closed['movements']['in'], $closed['movements']['out'] )
		);
		$this->assertSame( $this->cashier, $closed['closed_by'] );
		$again = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame( array( 'closed', '117.65', '117.00', '-0.65' ), array( $again['status'], $again['expected'], $again['counted'], $again['difference'] ) );
		$this->assertArrayNotHasKey( 'expected_now', $again );

		// The database already picks the session's orders: the posts storage through our query
		// variable, the order tables through meta_query (which the posts storage refuses since 9.2).
		$query = array(
			'type'           => 'shop_order',
			'limit'          => -1,
			'return'         => 'ids',
			'omnistock_meta' => array( Drawer::SESSION_META => (string) $id ),
		);
		if ( \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ) {
			$query['meta_query'] = array( array( 'key' => Drawer::SESSION_META, 'value' => (string) $id ) );
		}
		$picked = wc_get_orders( $query );
		$this->assertCount( 4, $picked, 'three sales and the cancelled one' );
		// The other location's drawer saw only its own sale.
		$this->assertSame( '100.00', $this->ok( $this->rest( 'GET', "/pos/sessions/$other/report" ) )['expected'] );
	}

	public function test_cents_add_up_exactly(): void {
		$this->assertNotSame( 0.3, 0.1 + 0.2, 'floats drift (what the drawer must not do)' );
		$this->assertSame( MinorUnits::parse( '0.30', 2, 'x' ), MinorUnits::parse( '0.10', 2, 'x' ) + MinorUnits::parse( '0.20', 2, 'x' ) );
		$this->assertSame( array( 1250, 1250, 10, 1250, -5 ), array( MinorUnits::parse( '12.500', 2, 'x' ), MinorUnits::parse( 12.5, 2, 'x' ), MinorUnits::parse( 0.1, 2, 'x' ), MinorUnits::parse( '12.5', 2, 'x' ), MinorUnits::parse( '-0.05', 2, 'x' ) ) );
		$this->assertSame( array( 191, -1, 190, 0, 12 ), array( MinorUnits::stored( '1.905', 2 ), MinorUnits::stored( '-0.005', 2 ), MinorUnits::stored( '1.9', 2 ), MinorUnits::stored( '', 2 ), MinorUnits::stored( '11.5', 0 ) ) );
		$this->assertSame( array( '-0.05', '0.00', '1234.50', '7' ), array( MinorUnits::format( -5, 2 ), MinorUnits::format( 0, 2 ), MinorUnits::format( 123450, 2 ), MinorUnits::format( 7, 0 ) ) );
		foreach ( array( '1e3', '1.2.3', ' ', '0x10', '1.001' ) as $bad ) {
			try {
				MinorUnits::parse( $bad, 2, 'amount' );
				$this->fail( "accepted $bad" );
			} catch ( \Omnistock\Pos\InvalidInput $e ) {
				$this->assertSame( 'amount', $e->field );
			}
		}
		$dime    = $this->product( '0.10' );
		$twenty  = $this->product( '0.20' );
		$id      = $this->open( $this->loc[1], '0.00' )['id'];
		$this->pos_sale( $this->loc[1], array( array( $dime, 1 ) ), array( array( 'method' => 'cash', 'amount' => '0.10' ) ), array( 'session' => $id ) );
		$this->pos_sale( $this->loc[1], array( array( $twenty, 1 ) ), array( array( 'method' => 'cash', 'amount' => 0.2 ) ), array( 'session' => $id ) );
		for ( $i = 0; $i < 7; $i++ ) {
			$this->move( $id, 'in', '0.10' ); // 0.1 added seven times as floats is 0.7000000000000001.
		}
		$this->move( $id, 'out', '0.30' );
		$closed = $this->ok( $this->rest( 'POST', "/pos/sessions/$id/close", array( 'counted' => '0.70' ) ) );
		$this->assertSame( array( '0.30', '0.70', '0.70', '0.00' ), array( $closed['sales']['cash'], $closed['expected'], $closed['counted'], $closed['difference'] ) );
		list( $sessions ) = Drawer::tables( $GLOBALS['wpdb'] );
		$this->assertSame( '70', Plugin::database()->value( Plugin::database()->prepare( "SELECT expected FROM $sessions WHERE id = %d", $id ) ), 'stored in minor units' );
	}

	public function test_one_open_session_per_location(): void {
		$first = $this->open( $this->loc[0], '10.00' );
		$again = $this->rest(
			'POST',
			'/pos/sessions',
			array(
				'location' => $this->loc[0],
				'float'    => '20.00',
			)
		);
		$this->assertSame( array( 409, 'omnistock_pos_session_open' ), array( $again->get_status(), $again->get_data()['code'] ) );
		$this->assertSame( $first['id'], $again->get_data()['data']['session']['id'] );
		$this->open( $this->loc[1], '20.00' ); // Another location may open.
		$current = $this->ok( $this->rest( 'GET', '/pos/sessions/current', null, array( 'location' => $this->loc[0] ) ) );
		$this->assertSame( array( $first['id'], '10.00' ), array( $current['id'], $current['float'] ) );
		$this->ok( $this->rest( 'POST', "/pos/sessions/{$first['id']}/close", array( 'counted' => '10.00' ) ) );
		$none = $this->rest( 'GET', '/pos/sessions/current', null, array( 'location' => $this->loc[0] ) );
		$this->assertSame( array( 404, 'omnistock_pos_no_session' ), array( $none->get_status(), $none->get_data()['code'] ) );
		$next = $this->open( $this->loc[0], '15.00' );
		$this->assertNotSame( $first['id'], $next['id'], 'a closed session makes room for the next' );
	}

	public function test_a_sale_names_a_session_of_its_own_location(): void {
		$here    = $this->open( $this->loc[0], '10.00' );
		$there   = $this->open( $this->loc[1], '10.00' );
		$product = $this->product( '5.00' );
		wc_update_product_stock( $product, 5 );
		$orders = count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids' ) ) );
		foreach ( array( $there['id'], 999999 ) as $session ) {
			$refused = $this->rest(
				'POST',
				'/pos/sales',
				array(
					'id'       => wp_generate_uuid4(),
					'location' => $this->loc[0],
					'lines'    => array(
						array(
							'product' => $product->get_id(),
							'qty'     => 1,
						),
					),
					'payments' => array(
						array(
							'method'   => 'cash',
							'amount'   => '5.00',
							'tendered' => '5.00',
						),
					),
					'session'  => $session,
				)
			);
			$this->assertSame( 400, $refused->get_status(), "session $session" );
			$this->assertArrayHasKey( 'session', $refused->get_data()['data']['params'] );
		}
		$this->assertCount( $orders, wc_get_orders( array( 'limit' => -1, 'return' => 'ids' ) ), 'no order taken' );
		$sold = $this->pos_sale( $this->loc[0], array( array( $product, 1 ) ), array( array( 'method' => 'card', 'amount' => '5.00', 'reference' => 'T1' ) ), array( 'session' => $here['id'] ) );
		$this->assertSame( (string) $here['id'], (string) $sold->get_meta( '_omnistock_session' ) );
	}

	public function test_a_closed_session_cannot_be_closed_or_moved_again(): void {
		$id = $this->open( $this->loc[0], '10.00' )['id'];
		$this->ok( $this->rest( 'POST', "/pos/sessions/$id/close", array( 'counted' => '9.00' ) ) );
		$twice = $this->rest( 'POST', "/pos/sessions/$id/close", array( 'counted' => '10.00' ) );
		$this->assertSame( array( 409, 'omnistock_pos_session_closed' ), array( $twice->get_status(), $twice->get_data()['code'] ) );
		$late = $this->rest(
			'POST',
			"/pos/sessions/$id/movements",
			array(
				'type'   => 'in',
				'amount' => '1.00',
			)
		);
		$this->assertSame( 409, $late->get_status() );
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame( array( '10.00', '9.00', '-1.00', '0.00' ), array( $report['expected'], $report['counted'], $report['difference'], $report['movements']['in'] ), 'the first close stands' );
		$this->assertSame( 404, $this->rest( 'POST', '/pos/sessions/999999999/close', array( 'counted' => '1.00' ) )->get_status() );
		$this->assertSame( 404, $this->rest( 'GET', '/pos/sessions/999999999/report' )->get_status() );
	}

	public function test_bad_input_is_refused_naming_the_field_and_changes_nothing(): void {
		$cases = array(
			array( array( 'location' => $this->loc[0], 'float' => '12.345' ), 'float' ),
			array( array( 'location' => $this->loc[0], 'float' => 'lots' ), 'float' ),
			array( array( 'location' => $this->loc[0], 'float' => '-1.00' ), 'float' ),
			array( array( 'location' => $this->loc[0] ), 'float' ),
			array( array( 'location' => 987654321, 'float' => '1.00' ), 'location' ),
			array( array( 'float' => '1.00' ), 'location' ),
		);
		foreach ( $cases as list( $body, $field ) ) {
			$response = $this->rest( 'POST', '/pos/sessions', $body );
			$this->assertSame( 400, $response->get_status(), wp_json_encode( $body ) );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'], wp_json_encode( $body ) );
		}
		$id    = $this->open( $this->loc[0], '10.00' )['id'];
		$moves = array(
			array( array( 'type' => 'sideways', 'amount' => '1.00' ), 'type' ),
			array( array( 'type' => 'in', 'amount' => '0' ), 'amount' ),
			array( array( 'type' => 'out', 'amount' => '-2.00' ), 'amount' ),
			array( array( 'type' => 'out', 'amount' => '1.001' ), 'amount' ),
			array( array( 'type' => 'out' ), 'amount' ),
		);
		foreach ( $moves as list( $body, $field ) ) {
			$response = $this->rest( 'POST', "/pos/sessions/$id/movements", $body );
			$this->assertSame( 400, $response->get_status(), wp_json_encode( $body ) );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'] );
		}
		foreach ( array( array(), array( 'counted' => 'ten' ), array( 'counted' => '-1' ) ) as $body ) {
			$response = $this->rest( 'POST', "/pos/sessions/$id/close", $body );
			$this->assertSame( 400, $response->get_status(), wp_json_encode( $body ) );
			$this->assertArrayHasKey( 'counted', $response->get_data()['data']['params'] );
		}
		$this->assertSame( 400, $this->rest( 'GET', '/pos/sessions/current', null, array( 'location' => 'x' ) )->get_status() );
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame( array( 'open', '10.00', array() ), array( $report['status'], $report['expected'], $report['movements_list'] ) );
		$this->assertSame( 1, count( Plugin::database()->rows( 'SELECT id FROM ' . Drawer::tables( $GLOBALS['wpdb'] )[0] ) ) );
	}

	public function test_an_offline_sale_sent_after_the_close_shows_beside_the_closing_figures(): void {
		$id     = $this->open( $this->loc[1], '20.00' )['id'];
		$before = time() - 5; // Rung up while the drawer was open, sent once the terminal was back online.
		$closed = $this->ok( $this->rest( 'POST', "/pos/sessions/$id/close", array( 'counted' => '20.00' ) ) );
		$this->assertSame( array( '20.00', '0.00' ), array( $closed['expected'], $closed['difference'] ) );
		$this->assertArrayNotHasKey( 'expected_now', $closed );
		$this->pos_sale(
			$this->loc[1],
			array( array( $this->product( '10.00' ), 1 ) ),
			array( array( 'method' => 'cash', 'amount' => '10.00' ) ),
			array(
				'session' => $id,
				'at'      => $before,
			)
		);
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame(
			array( '20.00', '20.00', '0.00', '30.00', '10.00' ),
			array( $report['expected'], $report['counted'], $report['difference'], $report['expected_now'], $report['sales']['cash'] ),
			'the close stands; the late sale shows'
		);
	}

	public function test_a_sale_counts_in_the_session_it_was_taken_in_whatever_its_date(): void {
		$id = $this->open( $this->loc[1], '20.00' )['id'];
		// Dated before its drawer opened, a sale would drop out of the expected cash: refused, naming at.
		$early = $this->rest(
			'POST',
			'/pos/sales',
			array(
				'id'       => wp_generate_uuid4(),
				'location' => $this->loc[1],
				'lines'    => array(
					array(
						'product' => $this->product( '10.00' )->get_id(),
						'qty'     => 1,
					),
				),
				'payments' => array( array( 'method' => 'cash', 'amount' => '10.00' ) ),
				'session'  => $id,
				'at'       => ( time() - 3600 ) * 1000,
			)
		);
		$this->assertSame( 400, $early->get_status(), wp_json_encode( $early->get_data() ) );
		$this->assertArrayHasKey( 'at', $early->as_error()->get_error_data()['params'] );
		$order = $this->pos_sale( $this->loc[1], array( array( $this->product( '10.00' ), 1 ) ), array( array( 'method' => 'cash', 'amount' => '10.00' ) ), array( 'session' => $id ) );
		// However the order came to be dated days earlier, the drawer counts it by its session.
		$order->set_date_created( time() - 3 * DAY_IN_SECONDS );
		$order->save();
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) );
		$this->assertSame( array( '10.00', '30.00' ), array( $report['sales']['cash'], $report['expected'] ) );
	}
}
