<?php
/**
 * Every drawer, report and receipt route over real HTTP with WordPress's cookie authentication:
 * anonymous 401, a subscriber 403, a cashier without the REST nonce 401, the cashier with it served;
 * the refused requests change nothing.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\Pos\Drawer;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosDrawerHttpTest extends PosDrawerTestCase {

	public function test_every_route_refuses_anonymous_and_subscribers_and_serves_the_cashier(): void {
		$location = $this->loc[0];
		$session  = $this->ok(
			$this->rest(
				'POST',
				'/pos/sessions',
				array(
					'location' => $this->loc[1],
					'float'    => '10.00',
				)
			),
			201
		)['id'];
		$sale     = $this->pos_sale( $this->loc[1], array( array( $this->product( '4.00' ), 1 ) ), array( array( 'method' => 'cash', 'amount' => '4.00' ) ), array( 'session' => $session, 'email' => 'kim@example.org' ) );
		$today    = wp_date( 'Y-m-d' );
		$routes   = array(
			array( 'POST', '/pos/sessions', array( 'location' => $location, 'float' => '25.00' ), 201 ),
			array( 'GET', "/pos/sessions/current&location=$location", null, 200 ),
			array( 'POST', "/pos/sessions/$session/movements", array( 'type' => 'in', 'amount' => '1.00', 'note' => 'http' ), 201 ),
			array( 'GET', "/pos/sessions/$session/report", null, 200 ),
			array( 'GET', "/pos/reports/day&location=$location&date=$today", null, 200 ),
			array( 'POST', '/pos/sales/' . $sale->get_id() . '/email', array(), null ), // No mail server behind the HTTP site: refusals only.
			array( 'POST', "/pos/sessions/$session/close", array( 'counted' => '15.00' ), 200 ),
		);
		$subscriber = $this->browser( $this->user( 'subscriber' ), static fn() => wp_create_nonce( 'wp_rest' ) );
		$cashier    = $this->browser( $this->cashier, static fn() => wp_create_nonce( 'wp_rest' ) );
		$callers    = array(
			'anonymous'                 => array( array(), 401 ),
			'subscriber'                => array( array( 'Cookie: ' . $subscriber['cookie'], 'X-WP-Nonce: ' . $subscriber['value'] ), 403 ),
			'cashier without the nonce' => array( array( 'Cookie: ' . $cashier['cookie'] ), 401 ),
		);
		list( $sessions, $movements ) = Drawer::tables( $GLOBALS['wpdb'] );
		$db                           = Plugin::database();
		$this->over_http(
			function ( string $base ) use ( $routes, $callers, $cashier, $db, $sessions, $movements, $session, $location ) {
				foreach ( $callers as $who => list( $headers, $status ) ) {
					foreach ( $routes as list( $method, $route, $body ) ) {
						$answer = self::http( $method, "$base/?rest_route=/omnistock/v1$route", $headers, $body );
						$this->assertSame( $status, $answer['status'], "$method $route as $who: {$answer['body']}" );
					}
				}
				$this->assertSame( '1', $db->value( "SELECT COUNT(*) FROM $sessions" ), 'no session was opened' );
				$this->assertSame( '0', $db->value( "SELECT COUNT(*) FROM $movements" ), 'no movement was recorded' );
				$this->assertSame( 'open', $db->value( $db->prepare( "SELECT status FROM $sessions WHERE id = %d", $session ) ), 'nothing was closed' );

				$served = array();
				foreach ( $routes as list( $method, $route, $body, $status ) ) {
					if ( null === $status ) {
						continue;
					}
					$answer = self::http( $method, "$base/?rest_route=/omnistock/v1$route", array( 'Cookie: ' . $cashier['cookie'], 'X-WP-Nonce: ' . $cashier['value'] ), $body );
					$this->assertSame( $status, $answer['status'], "$method $route as the cashier: {$answer['body']}" );
					$served[ $route ] = json_decode( $answer['body'], true );
				}
				$this->assertSame( $location, $served['/pos/sessions']['location'] );
				$this->assertSame( $served['/pos/sessions']['id'], $served[ "/pos/sessions/current&location=$location" ]['id'] );
				$this->assertSame( array( '4.00', '15.00', '15.00', '0.00' ), array( $served[ "/pos/sessions/$session/close" ]['sales']['cash'], $served[ "/pos/sessions/$session/close" ]['expected'], $served[ "/pos/sessions/$session/close" ]['counted'], $served[ "/pos/sessions/$session/close" ]['difference'] ) );
			}
		);
	}

	public function test_every_drawer_route_has_the_pos_permission_check(): void {
		$GLOBALS['wp_rest_server'] = null;
		$checked                   = 0;
		foreach ( rest_get_server()->get_routes( 'omnistock/v1' ) as $route => $handlers ) {
			if ( ! preg_match( '#^/omnistock/v1/pos/(sessions|reports|sales/[^/]+/email)#', $route ) ) {
				continue;
			}
			foreach ( $handlers as $handler ) {
				$this->assertIsCallable( $handler['permission_callback'], $route );
				wp_set_current_user( $this->user( 'subscriber' ) );
				$this->assertSame( 403, call_user_func( $handler['permission_callback'] )->get_error_data()['status'], $route );
				wp_set_current_user( $this->cashier );
				$this->assertTrue( call_user_func( $handler['permission_callback'] ), $route );
				++$checked;
			}
		}
		$this->assertSame( 7, $checked, 'the seven drawer routes' );
	}

	public function test_terminals_opening_the_same_drawer_at_once_get_one_session(): void {
		$cashier = $this->browser( $this->cashier, static fn() => wp_create_nonce( 'wp_rest' ) );
		$this->over_http(
			function ( string $base ) use ( $cashier ) {
				$answers = self::http_all(
					6,
					"$base/?rest_route=/omnistock/v1/pos/sessions",
					array( 'Cookie: ' . $cashier['cookie'], 'X-WP-Nonce: ' . $cashier['value'] ),
					array(
						'location' => $this->loc[2],
						'float'    => '30.00',
					)
				);
				$statuses = array_count_values( array_column( $answers, 'status' ) );
				ksort( $statuses );
				$this->assertSame( array( 201 => 1, 409 => 5 ), $statuses, wp_json_encode( $answers ) );
				foreach ( $answers as $answer ) {
					if ( 409 === $answer['status'] ) {
						$this->assertSame( 'omnistock_pos_session_open', json_decode( $answer['body'], true )['code'] );
					}
				}
			},
			4
		);
		list( $sessions ) = Drawer::tables( $GLOBALS['wpdb'] );
		$this->assertSame( '1', Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM $sessions WHERE location_id = %d", $this->loc[2] ) ) );
	}
}
