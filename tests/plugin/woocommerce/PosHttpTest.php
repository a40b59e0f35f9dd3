<?php
/**
 * The POS API over real HTTP against the test site: every route refuses anonymous visitors (401)
 * and subscribers (403) with cookie and nonce; the same sale posted by several requests at once
 * makes one order and takes the units once.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';
require_once __DIR__ . '/lib/PosHttp.php';

use Omnistock\Plugin;

final class PosHttpTest extends PosTestCase {

	private const CONCURRENT = 4;

	private function http(): PosHttp {
		return new PosHttp( (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ), self::CONCURRENT );
	}

	public function test_every_pos_route_refuses_anonymous_visitors_and_subscribers(): void {
		$mug      = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 5 );
		$customer = $this->as_role( 'customer' );
		$sale     = $this->sale_body( array( array( $mug, 1 ) ), '10.00' );
		$location = $this->loc[1];
		$routes   = array(
			array( 'GET', "/omnistock/v1/pos/catalogue&location=$location" ),
			array( 'GET', "/omnistock/v1/pos/stock&location=$location&products=" . $mug->get_id() ),
			array( 'GET', '/omnistock/v1/pos/locations' ),
			array( 'POST', '/omnistock/v1/pos/quote', $sale ),
			array( 'POST', '/omnistock/v1/pos/sales', $sale ),
			array( 'GET', '/omnistock/v1/pos/customers&search=example' ),
			array( 'POST', '/omnistock/v1/pos/customers', array( 'email' => 'intruder@example.org' ) ),
			array( 'GET', "/omnistock/v1/pos/customers/$customer/orders" ),
		);
		$subscriber = PosHttp::login( $this->as_role( 'subscriber' ) );
		$cashier    = PosHttp::login( $this->as_role( 'omnistock_cashier' ) );
		$http       = $this->http();
		try {
			foreach ( array( 401 => null, 403 => $subscriber ) as $status => $auth ) {
				foreach ( $routes as $r ) {
					$answer = $http->request( $r[0], $r[1], $auth, $r[2] ?? null );
					$this->assertSame( $status, $answer['status'], "{$r[0]} {$r[1]} as " . ( $auth ? 'subscriber' : 'anonymous' ) . ': ' . wp_json_encode( $answer['body'] ) );
					$this->assertSame( 'omnistock_forbidden', $answer['body']['code'] ?? null );
				}
			}
			// The same cookie-and-nonce requests work for a cashier: the refusals above are the capability's.
			$catalogue = $http->request( 'GET', "/omnistock/v1/pos/catalogue&location=$location", $cashier );
			$this->assertSame( 200, $catalogue['status'], wp_json_encode( $catalogue['body'] ) );
			$this->assertContains( $mug->get_id(), array_column( $catalogue['body']['items'], 'id' ) );
		} finally {
			$http->stop();
		}
		$this->assertSame( array(), $this->orders_of_sale( $sale['id'] ) );
		$this->assertFalse( email_exists( 'intruder@example.org' ) );
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		// Every POS route has a permission callback.
		$GLOBALS['wp_rest_server'] = null;
		foreach ( rest_get_server()->get_routes( 'omnistock/v1' ) as $route => $handlers ) {
			if ( ! str_starts_with( $route, '/omnistock/v1/pos' ) ) {
				continue;
			}
			foreach ( $handlers as $handler ) {
				$this->assertSame( array( \Omnistock\Rest\PosRoutes::class, 'allowed' ), $handler['permission_callback'], $route );
			}
		}
	}

	public function test_the_same_sale_posted_by_several_requests_at_once_is_made_once(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$cashier = PosHttp::login( $this->as_role( 'omnistock_cashier' ) );
		$sale    = $this->sale_body( array( array( $mug, 3 ) ), '30.00' );
		// The request that claims the sale holds it for a second: the others arrive while it is being made.
		$delay = getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-content/mu-plugins/omnistock-test-pos-delay.php';
		wp_mkdir_p( dirname( $delay ) );
		file_put_contents( $delay, "<?php\nadd_action( 'omnistock_pos_sale_claimed', static fn() => sleep( 1 ) );\n" );
		$http = $this->http();
		try {
			$answers = $http->all( array_fill( 0, self::CONCURRENT, array( 'POST', '/omnistock/v1/pos/sales', $cashier, $sale ) ) );
			$again   = $http->request( 'POST', '/omnistock/v1/pos/sales', $cashier, $sale );
		} finally {
			$http->stop();
			unlink( $delay );
		}
		foreach ( $answers as $answer ) {
			$this->assertGreaterThanOrEqual( 0.9, $answer['seconds'], 'every request was answered after the claiming one finished' );
		}
		$statuses = array_column( $answers, 'status' );
		sort( $statuses );
		$this->assertSame( array_merge( array_fill( 0, self::CONCURRENT - 1, 200 ), array( 201 ) ), $statuses, 'one 201, the others 200: ' . wp_json_encode( $answers ) );
		$orders = array_unique( array_map( static fn( $a ) => $a['body']['order'], $answers ) );
		$this->assertCount( 1, $orders, 'every answer names the same order' );
		$this->assertSame( 200, $again['status'] );
		$this->assertSame( reset( $orders ), $again['body']['order'] );
		$this->assertSame( array( (int) reset( $orders ) ), $this->orders_of_sale( $sale['id'] ) );
		$this->assertCount( 1, $this->sale_events( $sale['id'] ) );
		$this->assertSame( 7, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertShopAgrees( $mug, 'after the concurrent posts' );
		fwrite( STDERR, sprintf( "POS HTTP: %d identical sales at once answered %s\n", self::CONCURRENT, wp_json_encode( $statuses ) ) );
	}

	public function test_two_requests_racing_past_a_stale_claim_make_one_order(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$cashier = PosHttp::login( $this->as_role( 'omnistock_cashier' ) );
		$sale    = $this->sale_body( array( array( $mug, 3 ) ), '30.00' );
		// Claims go stale after 300 ms; the first claimer then stalls 2 s before making its order,
		// so the second (sent 1 s later) takes the claim over and makes the sale meanwhile.
		$delay = getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-content/mu-plugins/omnistock-test-pos-stale.php';
		wp_mkdir_p( dirname( $delay ) );
		$first = 'omnistock_test_stalled_' . substr( $sale['id'], 0, 8 ); // add_option() succeeds once.
		$log   = get_temp_dir() . "omnistock-claims-{$sale['id']}.log";
		file_put_contents(
			$delay,
			"<?php\nadd_filter( 'omnistock_pos_claim_stale_ms', static fn() => 300 );\n"
			. "add_action( 'omnistock_pos_sale_claimed', static function () { file_put_contents( '$log', getmypid() . PHP_EOL, FILE_APPEND ); if ( add_option( '$first', 1, '', false ) ) { sleep( 2 ); } } );\n"
		);
		$all_orders = static fn() => count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_keys( wc_get_order_statuses() ) ) ) );
		$before     = $all_orders();
		$http       = $this->http();
		try {
			$answers = $http->all( array_fill( 0, 2, array( 'POST', '/omnistock/v1/pos/sales', $cashier, $sale ) ), 1.0 );
		} finally {
			$http->stop();
			unlink( $delay );
		}
		$this->assertCount( 2, file( $log ), 'the first claimer stalled and the other took its claim over' );
		$statuses = array_column( $answers, 'status' );
		sort( $statuses );
		$this->assertSame( array( 200, 201 ), $statuses, wp_json_encode( $answers ) );
		$this->assertCount( 1, array_unique( array_map( static fn( $a ) => $a['body']['order'], $answers ) ), 'both answers name one order' );
		$this->assertSame( array( (int) $answers[0]['body']['order'] ), $this->orders_of_sale( $sale['id'] ), 'the stalled owner made no second order' );
		$this->assertSame( $before + 1, $all_orders(), 'the order the stalled owner built is gone' );
		$this->assertCount( 1, $this->sale_events( $sale['id'] ) );
		$this->assertSame( 7, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertShopAgrees( $mug, 'after the race past a stale claim' );
		unlink( $log );
	}
}
