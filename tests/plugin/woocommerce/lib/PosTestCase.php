<?php
/**
 * Base of the POS suites: users of each role, stock at the Store, POS requests in process,
 * a tax rate and a coupon.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Plugin;
use Omnistock\Pos\Sales;

abstract class PosTestCase extends WcTestCase {

	/** @var list<int> Tax rates made by the test. */
	private array $rates = array();

	protected function setUp(): void {
		parent::setUp();
		Plugin::database()->statement( 'DELETE FROM ' . Sales::table() );
		$GLOBALS['wp_rest_server'] = null; // Routes registered again.
		wp_set_current_user( 1 );
	}

	protected function tearDown(): void {
		foreach ( $this->rates as $rate ) {
			\WC_Tax::_delete_tax_rate( $rate );
		}
		update_option( 'woocommerce_calc_taxes', 'no' );
		update_option( 'woocommerce_default_country', 'US:CA' );
		update_option( 'woocommerce_prices_include_tax', 'no' );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A POS request in process, as the current user.
	 */
	protected function pos( string $method, string $route, ?array $json = null, array $query = array() ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1/pos' . $route );
		if ( $query ) {
			$request->set_query_params( $query );
		}
		if ( null !== $json ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $json ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * A new user of this role, made the current user; returns its id. A cashier is assigned to
	 * every location (tests of one store's staff assign their own).
	 */
	protected function as_role( string $role ): int {
		$id = wp_insert_user(
			array(
				'user_login' => $role . '-' . wp_generate_password( 8, false ),
				'user_pass'  => wp_generate_password(),
				'user_email' => $role . '-' . wp_generate_password( 8, false ) . '@example.org',
				'role'       => $role,
			)
		);
		$this->assertIsInt( $id );
		if ( 'omnistock_cashier' === $role ) {
			Plugin::staff()->assign( $id, Plugin::staff()->every_location() );
		}
		wp_set_current_user( $id );
		return $id;
	}

	/**
	 * A count of $qty units of $product at $location.
	 */
	protected function count_at( int $product, int $location, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product,
					'location' => $location,
					'qty'      => $qty,
					'at'       => Database::now_ms() - 60000,
				),
			)
		);
	}

	/**
	 * Taxes on: the shop's base is in Great Britain (20 %), the Store location is in Berlin (19 %).
	 */
	protected function taxes(): void {
		update_option( 'woocommerce_calc_taxes', 'yes' );
		update_option( 'woocommerce_prices_include_tax', 'no' );
		update_option( 'woocommerce_tax_based_on', 'shipping' );
		update_option( 'woocommerce_default_country', 'GB' );
		foreach ( array( 'DE' => '19.0000', 'GB' => '20.0000' ) as $country => $rate ) {
			$this->rates[] = \WC_Tax::_insert_tax_rate(
				array(
					'tax_rate_country'  => $country,
					'tax_rate'          => $rate,
					'tax_rate_name'     => "VAT $country",
					'tax_rate_priority' => 1,
					'tax_rate_compound' => 0,
					'tax_rate_shipping' => 1,
					'tax_rate_order'    => 0,
					'tax_rate_class'    => '',
				)
			);
		}
		Plugin::locations()->update(
			$this->loc[1],
			array(
				'country'  => 'DE',
				'state'    => '',
				'postcode' => '10115',
				'city'     => 'Berlin',
			)
		);
	}

	/**
	 * A coupon.
	 */
	protected function coupon( string $type = 'percent', string $amount = '10', array $props = array() ): string {
		$code   = 'pos' . strtolower( wp_generate_password( 6, false ) );
		$coupon = new \WC_Coupon();
		$coupon->set_code( $code );
		$coupon->set_discount_type( $type );
		$coupon->set_amount( $amount );
		$coupon->set_props( $props );
		$coupon->save();
		return $code;
	}

	/**
	 * A sale body: one cash payment of $cash.
	 */
	protected function sale_body( array $lines, string $cash, array $more = array() ): array {
		return $more + array(
			'id'       => wp_generate_uuid4(),
			'location' => $this->loc[1],
			'lines'    => array_map(
				static fn( $l ) => array(
					'product' => $l[0]->get_id(),
					'qty'     => $l[1],
				),
				$lines
			),
			'coupons'  => array(),
			'customer' => null,
			'payments' => array(
				array(
					'method'   => 'cash',
					'amount'   => $cash,
					'tendered' => $cash,
				),
			),
		);
	}

	/**
	 * Orders made through the POS with this sale id.
	 *
	 * @return list<int>
	 */
	protected function orders_of_sale( string $uuid ): array {
		wp_cache_flush();
		return array_map(
			'intval',
			wc_get_orders(
				array(
					'limit'      => -1,
					'return'     => 'ids',
					'status'     => array_keys( wc_get_order_statuses() ),
					'meta_key'   => Sales::SALE, // phpcs:ignore WordPress.DB.SlowDBQuery
					'meta_value' => $uuid, // phpcs:ignore WordPress.DB.SlowDBQuery
				)
			)
		);
	}

	/**
	 * Ledger rows of a sale.
	 */
	protected function sale_events( string $uuid ): array {
		global $wpdb;
		return $wpdb->get_results( $wpdb->prepare( "SELECT event_id, kind, product_id, location_id, qty, at, reason, source, actor FROM {$wpdb->prefix}omnistock_ledger WHERE event_id LIKE %s ORDER BY event_id", 'pos:' . $wpdb->esc_like( $uuid ) . ':%' ), ARRAY_A );
	}
}
