<?php
/**
 * Every omnistock/v1 route declares its `args`: OPTIONS describes them, and WordPress refuses a
 * wrong-typed field before the callback, naming it as the plugin's own checks do.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Pos\Catalogue;
use Omnistock\Pos\Quote;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class RestArgsTest extends PosDrawerTestCase {

	/**
	 * Route (a concrete path), method, and the args its OPTIONS must list.
	 */
	private const ROUTES = array(
		array( '/locations', 'POST', array( 'name', 'address', 'country', 'state', 'postcode', 'city', 'ships_online', 'offers_pickup', 'offers_curbside', 'safety_default', 'priority' ) ),
		array( '/locations/1', 'GET', array( 'id' ) ),
		array( '/locations/1', 'PUT', array( 'id', 'name', 'country', 'safety_default', 'priority' ) ),
		array( '/locations/1', 'DELETE', array( 'id' ) ),
		array( '/stock/1', 'GET', array( 'product' ) ),
		array( '/events', 'POST', array( 'events' ) ),
		array( '/pos/catalogue', 'GET', array( 'location', 'page', 'per_page' ) ),
		array( '/pos/stock', 'GET', array( 'location', 'products' ) ),
		array( '/pos/quote', 'POST', array( 'location', 'lines', 'coupons', 'customer', 'discount' ) ),
		array( '/pos/sales', 'POST', array( 'id', 'location', 'lines', 'coupons', 'customer', 'discount', 'payments', 'at', 'override', 'session' ) ),
		array( '/pos/customers', 'GET', array( 'search' ) ),
		array( '/pos/customers', 'POST', array( 'email', 'first_name', 'last_name', 'phone' ) ),
		array( '/pos/customers/1/orders', 'GET', array( 'id' ) ),
		array( '/pos/orders', 'GET', array( 'number' ) ),
		array( '/pos/orders/1', 'GET', array( 'id' ) ),
		array( '/pos/returns', 'POST', array( 'id', 'order', 'location', 'lines', 'refund', 'session' ) ),
		array( '/pos/sessions', 'POST', array( 'location', 'float' ) ),
		array( '/pos/sessions/current', 'GET', array( 'location' ) ),
		array( '/pos/sessions/1/movements', 'POST', array( 'id', 'type', 'amount', 'note' ) ),
		array( '/pos/sessions/1/close', 'POST', array( 'id', 'counted' ) ),
		array( '/pos/sessions/1/report', 'GET', array( 'id' ) ),
		array( '/pos/reports/day', 'GET', array( 'location', 'date' ) ),
		array( '/pos/sales/1/email', 'POST', array( 'order', 'email' ) ),
	);

	/**
	 * The args OPTIONS lists for a route and method.
	 *
	 * @param string $route  Concrete path.
	 * @param string $method HTTP method.
	 */
	private function described( string $route, string $method ): array {
		$options = $this->ok( $this->rest( 'OPTIONS', $route ) );
		foreach ( $options['endpoints'] as $endpoint ) {
			if ( in_array( $method, $endpoint['methods'], true ) ) {
				return $endpoint['args'];
			}
		}
		$this->fail( "OPTIONS $route lists no $method endpoint: " . wp_json_encode( $options ) );
	}

	public function test_options_on_every_route_lists_its_args_with_their_types(): void {
		wp_set_current_user( 1 );
		foreach ( self::ROUTES as list( $route, $method, $names ) ) {
			$args = $this->described( $route, $method );
			foreach ( $names as $name ) {
				$this->assertArrayHasKey( $name, $args, "$method $route" );
				$this->assertArrayHasKey( 'type', $args[ $name ], "$method $route $name" );
			}
		}
		$catalogue = $this->described( '/pos/catalogue', 'GET' );
		$this->assertSame( array( 'integer', 1, Catalogue::MAX_PER_PAGE ), array( $catalogue['per_page']['type'], $catalogue['per_page']['minimum'], $catalogue['per_page']['maximum'] ) );
		$this->assertSame( array( 'in', 'out' ), $this->described( '/pos/sessions/1/movements', 'POST' )['type']['enum'] );
		$sale = $this->described( '/pos/sales', 'POST' );
		$this->assertSame( array( 'array', Quote::MAX_LINES ), array( $sale['lines']['type'], $sale['lines']['maxItems'] ) );
		$this->assertSame( array( 'cash', 'card' ), $sale['payments']['items']['properties']['method']['enum'] );
		$this->assertSame( 'integer', $this->described( '/events', 'POST' )['events']['items']['properties']['qty']['type'] );
		$this->assertTrue( $this->described( '/locations/1', 'GET' )['id']['required'] );
	}

	public function test_a_wrong_typed_field_is_refused_by_wordpress_naming_it_and_changes_nothing(): void {
		$id = $this->ok(
			$this->rest(
				'POST',
				'/pos/sessions',
				array(
					'location' => $this->loc[0],
					'float'    => '10.00',
				)
			),
			201
		)['id'];
		$cases = array(
			array( 'POST', "/pos/sessions/$id/movements", array( 'type' => 'in', 'amount' => '1.00', 'note' => 5 ), array(), 'note' ),
			array( 'POST', "/pos/sessions/$id/movements", array( 'type' => 'sideways', 'amount' => '1.00' ), array(), 'type' ),
			array( 'GET', '/pos/catalogue', null, array( 'location' => 'x' ), 'location' ),
			array( 'GET', '/pos/catalogue', null, array( 'location' => $this->loc[0], 'per_page' => Catalogue::MAX_PER_PAGE + 1 ), 'per_page' ),
			array( 'POST', '/pos/sales', array( 'id' => 42 ), array(), 'id' ),
			array( 'GET', '/pos/reports/day', null, array( 'location' => $this->loc[0], 'date' => array( 'x' ) ), 'date' ),
		);
		foreach ( $cases as list( $method, $route, $body, $query, $field ) ) {
			$response = $this->rest( $method, $route, $body, $query );
			$what     = "$method $route: " . wp_json_encode( $response->get_data() );
			$this->assertSame( 400, $response->get_status(), $what );
			$this->assertSame( 'rest_invalid_param', $response->get_data()['code'], $what );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'], $what );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['details'], $what . ' (WordPress\'s own answer has details)' );
		}
		$this->assertSame( array(), $this->ok( $this->rest( 'GET', "/pos/sessions/$id/report" ) )['movements_list'] );
	}
}
