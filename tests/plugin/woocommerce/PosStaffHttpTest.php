<?php
/**
 * Staff and stores over real HTTP: a cashier of store A is refused (403) everything of store B —
 * its drawer, pay-outs, reports, sales, quotes, stock, receipts and receipt e-mails — and B's
 * numbers do not move; the override needs its own capability; a staff account's orders are not
 * a customer's; a cashier with no location acts for none. Receipt e-mails and customer creation
 * are rate-limited per user.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\Pos\Drawer;
use Omnistock\Pos\RateLimit;
use Omnistock\Pos\Receipts;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosStaffHttpTest extends PosDrawerTestCase {

	/**
	 * A managed product with $qty units counted at a location.
	 */
	private function stocked( int $location, int $qty ): \WC_Product_Simple {
		$product = $this->simple( 0 );
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product->get_id(),
					'location' => $location,
					'qty'      => $qty,
					'at'       => (int) ( microtime( true ) * 1000 ) - 60000,
				),
			),
			array( 'source' => 'test' )
		);
		return $product;
	}

	/**
	 * Cookie and REST nonce of a user, as headers.
	 *
	 * @return list<string>
	 */
	private function headers_of( int $user ): array {
		$session = $this->browser( $user, static fn() => wp_create_nonce( 'wp_rest' ) );
		return array( 'Cookie: ' . $session['cookie'], 'X-WP-Nonce: ' . $session['value'] );
	}

	public function test_a_cashier_of_store_a_is_refused_store_b_and_b_does_not_move(): void {
		$a   = $this->loc[1];
		$b   = $this->loc[2];
		$mug = $this->stocked( $b, 5 );
		// Store B's day, made by a cashier of every store: an open drawer and one sale in it.
		$session = $this->ok( $this->rest( 'POST', '/pos/sessions', array( 'location' => $b, 'float' => '10.00' ) ), 201 )['id'];
		$sale    = $this->pos_sale( $b, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '10.00' ) ), array( 'session' => $session, 'email' => 'kim@example.org' ) );

		$cashier_a = $this->user( 'omnistock_cashier', 'Anna of A' );
		Plugin::staff()->assign( $cashier_a, array( $a ) );
		$headers = $this->headers_of( $cashier_a );
		$receipt = $this->browser( $cashier_a, static fn() => Receipts::url( $sale->get_id() ) )['value'];
		$admin   = $this->user( 'administrator' );
		$line    = array(
			array(
				'product' => $mug->get_id(),
				'qty'     => 1,
			),
		);
		$body_b  = array(
			'id'       => wp_generate_uuid4(),
			'location' => $b,
			'lines'    => $line,
			'payments' => array( array( 'method' => 'cash', 'amount' => '10.00' ) ),
		);
		$today   = wp_date( 'Y-m-d' );
		$refused = array(
			array( 'POST', "/pos/sessions/$session/movements", array( 'type' => 'out', 'amount' => '10.00', 'note' => 'pocket' ) ),
			array( 'GET', "/pos/sessions/$session/report", null ),
			array( 'GET', "/pos/sessions/current&location=$b", null ),
			array( 'POST', '/pos/sessions', array( 'location' => $b, 'float' => '0.00' ) ),
			array( 'GET', "/pos/reports/day&location=$b&date=$today", null ),
			array( 'POST', '/pos/sales', $body_b ),
			array( 'POST', '/pos/quote', $body_b ),
			array( 'POST', '/pos/sales/' . $sale->get_id() . '/email', array( 'email' => 'someone@example.org' ) ),
			array( 'GET', "/pos/catalogue&location=$b", null ),
			array( 'GET', "/pos/stock&location=$b&products=" . $mug->get_id(), null ),
			array( 'POST', "/pos/sessions/$session/close", array( 'counted' => '999.00' ) ),
		);
		list( $sessions, $movements ) = Drawer::tables( $GLOBALS['wpdb'] );
		$db                           = Plugin::database();
		$orders_before                = count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_keys( wc_get_order_statuses() ) ) ) );
		$ledger_before                = count( Plugin::inventory()->ledger_tail( 1000 ) );
		$this->over_http(
			function ( string $base ) use ( $refused, $headers, $receipt, $admin, $a, $b ) {
				$served = array(); // Every route is tried, so a failure lists all that let the cashier through.
				foreach ( $refused as list( $method, $route, $body ) ) {
					$answer = self::http( $method, "$base/?rest_route=/omnistock/v1$route", $headers, $body );
					$code   = json_decode( $answer['body'], true )['code'] ?? null;
					if ( 403 !== $answer['status'] || 'omnistock_pos_not_your_location' !== $code ) {
						$served[] = "$method $route: {$answer['status']} " . substr( $answer['body'], 0, 120 );
					}
				}
				$this->assertSame( array(), $served, 'store B refused to a cashier of A' );
				$orders = self::http( 'GET', "$base/?rest_route=/omnistock/v1/pos/customers/$admin/orders", $headers );
				$this->assertSame( 403, $orders['status'], 'an administrator is no customer: ' . $orders['body'] );
				$page = self::http( 'GET', $receipt, $headers );
				$this->assertSame( 403, $page['status'], 'the printable receipt of a sale at B' );
				$this->assertStringNotContainsString( '10.00', self::text( $page['body'] ) );

				// Only A is offered, and at A the same cashier is served: the refusals were B's.
				$picker = self::http( 'GET', "$base/?rest_route=/omnistock/v1/pos/locations", $headers );
				$this->assertSame( array( $a ), array_column( json_decode( $picker['body'], true ), 'id' ) );
				$open = self::http( 'POST', "$base/?rest_route=/omnistock/v1/pos/sessions", $headers, array( 'location' => $a, 'float' => '5.00' ) );
				$this->assertSame( 201, $open['status'], $open['body'] );
				$this->assertSame( 200, self::http( 'GET', "$base/?rest_route=/omnistock/v1/pos/sessions/current&location=$a", $headers )['status'] );
				$this->assertNotSame( $b, $a );
			}
		);

		// B's numbers did not move: drawer open with its float and sale, no pay-out, stock and orders as they were.
		$this->assertSame( 'open', $db->value( $db->prepare( "SELECT status FROM $sessions WHERE id = %d", $session ) ) );
		$this->assertSame( '0', $db->value( "SELECT COUNT(*) FROM $movements" ) );
		$this->assertSame( '1', $db->value( $db->prepare( "SELECT COUNT(*) FROM $sessions WHERE location_id = %d", $b ) ) );
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$session/report" ) );
		$this->assertSame( array( '10.00', '20.00' ), array( $report['float'], $report['expected'] ) );
		$this->assertSame( 4, $this->cell( $mug->get_id(), $b )['on_hand'] );
		$this->assertSame( $ledger_before, count( Plugin::inventory()->ledger_tail( 1000 ) ), 'no event' );
		wp_cache_flush();
		$this->assertSame( $orders_before, count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_keys( wc_get_order_statuses() ) ) ) ), 'no order' );
	}

	public function test_override_needs_its_own_capability_and_a_cashier_without_locations_acts_for_none(): void {
		$a         = $this->loc[1];
		$mug       = $this->stocked( $a, 0 );
		$cashier_a = $this->user( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier_a, array( $a ) );
		$nobody  = $this->user( 'omnistock_cashier' );
		$sale    = array(
			'id'       => wp_generate_uuid4(),
			'location' => $a,
			'lines'    => array(
				array(
					'product' => $mug->get_id(),
					'qty'     => 1,
				),
			),
			'payments' => array( array( 'method' => 'cash', 'amount' => '10.00' ) ),
			'override' => true,
		);
		$headers = $this->headers_of( $cashier_a );
		$none    = $this->headers_of( $nobody );
		$this->over_http(
			function ( string $base ) use ( $sale, $headers, $none, $a ) {
				$answer = self::http( 'POST', "$base/?rest_route=/omnistock/v1/pos/sales", $headers, $sale );
				$this->assertSame( 403, $answer['status'], $answer['body'] );
				$this->assertSame( 'omnistock_pos_override_forbidden', json_decode( $answer['body'], true )['code'] );

				$this->assertSame( array(), json_decode( self::http( 'GET', "$base/?rest_route=/omnistock/v1/pos/locations", $none )['body'], true ) );
				$this->assertSame( 403, self::http( 'POST', "$base/?rest_route=/omnistock/v1/pos/sessions", $none, array( 'location' => $a, 'float' => '1.00' ) )['status'] );
			}
		);
		$this->assertSame( 0, $this->cell( $mug->get_id(), $a )['on_hand'], 'the refused override sold nothing' );
		list( $sessions ) = Drawer::tables( $GLOBALS['wpdb'] );
		$this->assertSame( '0', Plugin::database()->value( "SELECT COUNT(*) FROM $sessions" ) );
	}

	public function test_receipt_emails_and_customer_creation_are_limited_per_user_and_minute(): void {
		// Not across a minute's boundary: the window is the clock's minute.
		if ( time() % MINUTE_IN_SECONDS > 50 ) {
			sleep( MINUTE_IN_SECONDS - time() % MINUTE_IN_SECONDS );
		}
		$sale  = $this->pos_sale( $this->loc[1], array( array( $this->product( '2.00' ), 1 ) ), array( array( 'method' => 'cash', 'amount' => '2.00' ) ), array( 'email' => 'kim@example.org' ) );
		$limit = RateLimit::PER_MINUTE[ RateLimit::RECEIPT_EMAIL ];
		for ( $i = 0; $i < $limit; $i++ ) {
			$this->ok( $this->rest( 'POST', '/pos/sales/' . $sale->get_id() . '/email', array() ) );
		}
		$refused = $this->rest( 'POST', '/pos/sales/' . $sale->get_id() . '/email', array() );
		$this->assertSame( 429, $refused->get_status() );
		$this->assertSame( 'omnistock_pos_rate_limited', $refused->as_error()->get_error_code() );
		$this->assertStringContainsString( "at most $limit per minute", $refused->as_error()->get_error_message() );

		// Per user: another cashier still may.
		$other = $this->user( 'omnistock_cashier' );
		Plugin::staff()->assign( $other, array( $this->loc[1] ) );
		wp_set_current_user( $other );
		$this->ok( $this->rest( 'POST', '/pos/sales/' . $sale->get_id() . '/email', array() ) );

		$limit = RateLimit::PER_MINUTE[ RateLimit::CUSTOMER_CREATE ];
		$tag   = wp_generate_password( 6, false );
		for ( $i = 0; $i < $limit; $i++ ) {
			$this->ok( $this->rest( 'POST', '/pos/customers', array( 'email' => "rl$i.$tag@example.org" ) ), 201 );
		}
		$refused = $this->rest( 'POST', '/pos/customers', array( 'email' => "rl-over.$tag@example.org" ) );
		$this->assertSame( 429, $refused->get_status() );
		$this->assertFalse( email_exists( "rl-over.$tag@example.org" ), 'the refused customer was not created' );
	}
}
