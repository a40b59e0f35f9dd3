<?php
/**
 * Base of the POS drawer, report and receipt suites: empty drawer tables, a cashier (role
 * omnistock_cashier), POS sales made through `POST /pos/sales`, REST calls in process and over
 * real HTTP.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\Pos\Drawer;

require_once __DIR__ . '/StoreApiClient.php';

abstract class PosDrawerTestCase extends WcTestCase {

	protected int $cashier;
	/** @var list<int> Tax rates this test added. */
	private array $tax_rates = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( Drawer::tables( $GLOBALS['wpdb'] ) as $table ) {
			Plugin::database()->statement( "DELETE FROM $table" );
		}
		$this->cashier = $this->user( 'omnistock_cashier', 'Carla Cashier' );
		Plugin::staff()->assign( $this->cashier, Plugin::staff()->every_location() ); // Tests of one store's staff assign their own.
		wp_set_current_user( $this->cashier );
	}

	protected function tearDown(): void {
		foreach ( $this->tax_rates as $rate ) {
			\WC_Tax::_delete_tax_rate( $rate );
		}
		update_option( 'woocommerce_calc_taxes', 'no' );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A new user of a role.
	 */
	protected function user( string $role, string $name = '' ): int {
		$id = wp_insert_user(
			array(
				'user_login'   => $role . '-' . wp_generate_password( 8, false ),
				'user_pass'    => wp_generate_password(),
				'user_email'   => $role . '-' . wp_generate_password( 8, false ) . '@example.org',
				'display_name' => $name ? $name : $role,
				'role'         => $role,
			)
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * Taxes on, one 19 % rate "VAT" for every address.
	 */
	protected function vat(): void {
		update_option( 'woocommerce_calc_taxes', 'yes' );
		$this->tax_rates[] = \WC_Tax::_insert_tax_rate(
			array(
				'tax_rate_country'  => '',
				'tax_rate_state'    => '',
				'tax_rate'          => '19.0000',
				'tax_rate_name'     => 'VAT',
				'tax_rate_priority' => 1,
				'tax_rate_compound' => 0,
				'tax_rate_shipping' => 1,
				'tax_rate_order'    => 1,
				'tax_rate_class'    => '',
			)
		);
	}

	/**
	 * A product at a price, stock not managed (the drawer does not care about stock).
	 */
	protected function product( string $price, string $name = '' ): \WC_Product_Simple {
		$product = new \WC_Product_Simple();
		$product->set_name( $name ? $name : 'Item ' . wp_generate_password( 6, false ) );
		$product->set_sku( 'SKU-' . wp_generate_password( 8, false ) );
		$product->set_regular_price( $price );
		$product->set_manage_stock( false );
		$product->save();
		return $product;
	}

	/**
	 * A POS sale made through `POST /pos/sales` (pos-api's route) by the current user: a completed
	 * WooCommerce order created via `omnistock-pos` with `_omnistock_location`, `_omnistock_cashier`,
	 * `_omnistock_payments` (JSON list of {method, amount, tendered?, reference?}) and
	 * `_omnistock_session`.
	 *
	 * @param int   $location Location.
	 * @param array $lines    [[product, qty], ...].
	 * @param array $payments [{method, amount, tendered?, reference?}, ...].
	 * @param array $options  session, email (a customer with it), coupons, at (timestamp), status (set afterwards).
	 */
	protected function pos_sale( int $location, array $lines, array $payments, array $options = array() ): \WC_Order {
		$customer = null;
		if ( ! empty( $options['email'] ) ) {
			$customer = email_exists( $options['email'] );
			if ( ! $customer ) {
				$customer = wc_create_new_customer( $options['email'], '', wp_generate_password() );
				$this->assertIsInt( $customer );
			}
		}
		$body = array(
			'id'       => wp_generate_uuid4(),
			'location' => $location,
			'lines'    => array_map(
				static fn( $line ) => array(
					'product' => $line[0]->get_id(),
					'qty'     => $line[1],
				),
				$lines
			),
			'coupons'  => $options['coupons'] ?? array(),
			'customer' => $customer,
			'payments' => $payments,
		);
		if ( isset( $options['session'] ) ) {
			$body['session'] = $options['session'];
		}
		if ( isset( $options['at'] ) ) {
			$body['at'] = $options['at'] * 1000;
		}
		$sale  = $this->ok( $this->rest( 'POST', '/pos/sales', $body ), 201 );
		$order = wc_get_order( $sale['order'] );
		if ( isset( $options['status'] ) ) {
			$order->update_status( $options['status'] );
		}
		return wc_get_order( $order->get_id() );
	}

	/**
	 * A refund of an amount (no restock, no gateway), as the shop manager makes it.
	 */
	protected function refund( \WC_Order $order, string $amount, array $args = array() ): \WC_Order_Refund {
		$refund = wc_create_refund(
			$args + array(
				'order_id'       => $order->get_id(),
				'amount'         => $amount,
				'reason'         => 'returned',
				'refund_payment' => false,
				'restock_items'  => false,
			)
		);
		$this->assertInstanceOf( \WC_Order_Refund::class, $refund, is_wp_error( $refund ) ? $refund->get_error_message() : '' );
		return $refund;
	}

	/**
	 * A REST request in this process, as the current user.
	 */
	protected function rest( string $method, string $route, ?array $body = null, array $query = array() ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1' . $route );
		$request->set_query_params( $query );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $body ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * GET /pos/reports/day of a location, answered 200: a day in the shop's timezone, today by default.
	 */
	protected function day_report( int $location, ?string $date = null ): array {
		return $this->ok(
			$this->rest(
				'GET',
				'/pos/reports/day',
				null,
				array(
					'location' => $location,
					'date'     => $date ?? wp_date( 'Y-m-d' ),
				)
			)
		);
	}

	/**
	 * Asserts a REST answer's status and returns its data.
	 */
	protected function ok( \WP_REST_Response $response, int $status = 200 ): array {
		$this->assertSame( $status, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $response->get_data();
	}

	/**
	 * A browser session of a user on the test site: its cookies (logged_in and auth), and what
	 * $with_session returns when run as that user with that session (nonces are bound to it).
	 *
	 * @return array{cookie: string, value: mixed}
	 */
	protected function browser( int $user_id, ?callable $with_session = null ): array {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = \WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$logged_in  = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
		$auth       = wp_generate_auth_cookie( $user_id, $expiration, 'auth', $token );
		$previous   = get_current_user_id();
		$_COOKIE[ LOGGED_IN_COOKIE ] = $logged_in;
		wp_set_current_user( $user_id );
		try {
			$value = $with_session ? $with_session() : null;
		} finally {
			unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
			wp_set_current_user( $previous );
		}
		return array(
			'cookie' => LOGGED_IN_COOKIE . '=' . rawurlencode( $logged_in ) . '; ' . AUTH_COOKIE . '=' . rawurlencode( $auth ),
			'value'  => $value,
		);
	}

	/**
	 * The test site over real HTTP (PHP's built-in server on OMNISTOCK_WC_HTTP_PORT); $work gets
	 * the base URL. The server stops afterwards.
	 */
	protected function over_http( callable $work, int $workers = 2 ): void {
		$port   = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$server = new StoreApiClient( $port, $workers );
		try {
			$work( "http://127.0.0.1:$port" );
		} finally {
			$server->stop();
		}
	}

	/**
	 * One HTTP request: status, Location header and body.
	 *
	 * @return array{status: int, location: string, body: string}
	 */
	protected static function http( string $method, string $url, array $headers = array(), ?array $json = null ): array {
		$ch = curl_init( $url );
		if ( null !== $json ) {
			$headers[] = 'Content-Type: application/json';
			curl_setopt( $ch, CURLOPT_POSTFIELDS, wp_json_encode( $json ) );
		}
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HEADER         => true,
				CURLOPT_HTTPHEADER     => $headers,
				CURLOPT_TIMEOUT        => 60,
			)
		);
		$raw  = (string) curl_exec( $ch );
		$size = curl_getinfo( $ch, CURLINFO_HEADER_SIZE );
		$code = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		curl_close( $ch );
		$location = preg_match( '/^Location:\s*(\S+)/mi', substr( $raw, 0, $size ), $m ) ? $m[1] : '';
		return array(
			'status'   => $code,
			'location' => $location,
			'body'     => substr( $raw, $size ),
		);
	}

	/**
	 * The same POST sent $count times at once (curl_multi); the statuses and bodies, in order.
	 *
	 * @return list<array{status: int, body: string}>
	 */
	protected static function http_all( int $count, string $url, array $headers, array $json ): array {
		$multi   = curl_multi_init();
		$handles = array();
		for ( $i = 0; $i < $count; $i++ ) {
			$ch = curl_init( $url );
			curl_setopt_array(
				$ch,
				array(
					CURLOPT_POST           => true,
					CURLOPT_POSTFIELDS     => wp_json_encode( $json ),
					CURLOPT_RETURNTRANSFER => true,
					CURLOPT_HTTPHEADER     => array_merge( $headers, array( 'Content-Type: application/json' ) ),
					CURLOPT_TIMEOUT        => 60,
				)
			);
			curl_multi_add_handle( $multi, $ch );
			$handles[] = $ch;
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$answers = array();
		foreach ( $handles as $ch ) {
			$answers[] = array(
				'status' => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
				'body'   => (string) curl_multi_getcontent( $ch ),
			);
			curl_multi_remove_handle( $multi, $ch );
			curl_close( $ch );
		}
		curl_multi_close( $multi );
		return $answers;
	}

	/**
	 * The visible text of some HTML: tags gone, entities decoded, spaces collapsed.
	 */
	protected static function text( string $html ): string {
		$html = preg_replace( '#<(style|script)[^>]*>.*?</\1>#s', ' ', $html );
		return trim( preg_replace( "/[\s\x{00A0}]+/u", " ", html_entity_decode( wp_strip_all_tags( preg_replace( '#<(br|hr|/td|/th|/tr|/div|/p|/h1)\\b[^>]*>#i', ' $0', $html ) ), ENT_QUOTES | ENT_HTML5, 'UTF-8' ) ) );
	}
}
