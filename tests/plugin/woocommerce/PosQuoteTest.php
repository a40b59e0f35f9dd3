<?php
/**
 * POS quote: WooCommerce's own totals for the cart (coupon, taxes at the location's address),
 * the same as WooCommerce computes for an order made through its REST API; the sale's totals are
 * the quote's; a quote leaves nothing behind; a bad coupon names itself.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';

final class PosQuoteTest extends PosTestCase {

	private function all_orders(): int {
		wp_cache_flush();
		return count(
			wc_get_orders(
				array(
					'limit'  => -1,
					'return' => 'ids',
					'status' => array_keys( wc_get_order_statuses() ),
				)
			)
		);
	}

	/**
	 * WooCommerce's own computation of the same cart, through a path that shares nothing with the
	 * POS: an order created with WooCommerce's REST API (wc/v3/orders), addressed to the Store.
	 */
	private function woocommerce_order( array $lines, array $coupons ): array {
		$address = array(
			'first_name' => 'Walk',
			'last_name'  => 'In',
			'address_1'  => 'Str. 1',
			'city'       => 'Berlin',
			'postcode'   => '10115',
			'country'    => 'DE',
		);
		$request = new \WP_REST_Request( 'POST', '/wc/v3/orders' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body(
			wp_json_encode(
				array(
					'billing'      => $address + array( 'email' => 'walk-in@example.org' ),
					'shipping'     => $address,
					'line_items'   => array_map(
						static fn( $l ) => array(
							'product_id' => $l[0]->get_parent_id() ? $l[0]->get_parent_id() : $l[0]->get_id(),
							'variation_id' => $l[0]->get_parent_id() ? $l[0]->get_id() : 0,
							'quantity'   => $l[1],
						),
						$lines
					),
					'coupon_lines' => array_map( static fn( $c ) => array( 'code' => $c ), $coupons ),
				)
			)
		);
		$response = rest_do_request( $request );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $response->get_data();
	}

	public function prices(): array {
		return array(
			'prices without tax' => array( 'no' ),
			'prices with tax'    => array( 'yes' ),
		);
	}

	/**
	 * @dataProvider prices
	 */
	public function test_quote_totals_with_a_coupon_and_taxes_equal_woocommerces_and_the_sale_has_them( string $prices_include_tax ): void {
		$this->taxes();
		update_option( 'woocommerce_prices_include_tax', $prices_include_tax );
		$mug             = $this->simple( 0 );
		list( , $small ) = $this->variable( 0, 0 );
		$mug->set_regular_price( '12.99' );
		$mug->save();
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$this->count_at( $small->get_id(), $this->loc[1], 10 );
		$code  = $this->coupon( 'percent', '15' );
		$fixed = $this->coupon( 'fixed_cart', '3.33' );
		$this->as_role( 'omnistock_cashier' );
		$lines  = array( array( $mug, 3 ), array( $small, 2 ) );
		$body   = $this->sale_body( $lines, '0', array( 'coupons' => array( strtoupper( $code ), $fixed ) ) );
		$orders = $this->all_orders();

		$response = $this->pos( 'POST', '/quote', $body );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$quote = $response->get_data();
		$this->assertSame( $orders, $this->all_orders(), 'a quote leaves no order behind' );
		$this->assertSame( 0, ( new \WC_Coupon( $code ) )->get_usage_count(), 'a quote uses no coupon' );
		$this->assertSame( array(), $quote['short'] );

		wp_set_current_user( 1 );
		$wc = $this->woocommerce_order( $lines, array( $code, $fixed ) );
		if ( 'no' === $prices_include_tax ) {
			// 3 × 12.99 + 2 × 20 = 78.97; the coupons and 19 % VAT of Berlin (not the shop's 20 % of GB).
			$this->assertSame( '78.97', $quote['subtotal'] );
			$this->assertSame( wc_format_decimal( ( (float) $quote['subtotal'] - (float) $quote['discount'] ) * 0.19, 2 ), $quote['tax'], '19 %' );
		}
		$this->assertSame( wc_format_decimal( $wc['discount_total'], 2 ), $quote['discount'] );
		$this->assertSame( wc_format_decimal( $wc['total_tax'], 2 ), $quote['tax'] );
		$this->assertSame( wc_format_decimal( $wc['total'], 2 ), $quote['total'] );
		$this->assertEqualsCanonicalizing(
			array_map( static fn( $c ) => array( $c['code'], wc_format_decimal( $c['discount'], 2 ) ), $wc['coupon_lines'] ),
			array_map( static fn( $c ) => array( $c['code'], $c['amount'] ), $quote['coupons'] )
		);
		foreach ( $wc['line_items'] as $i => $item ) {
			$this->assertSame( wc_format_decimal( $item['total'], 2 ), $quote['lines'][ $i ]['total'], "line $i" );
			$this->assertSame( wc_format_decimal( $item['total_tax'], 2 ), $quote['lines'][ $i ]['tax'], "line $i" );
		}
		$this->assertSame( array( $mug->get_id(), 3, '12.99' ), array( $quote['lines'][0]['product'], $quote['lines'][0]['qty'], $quote['lines'][0]['price'] ) );
		$this->assertSame( wc_format_decimal( $wc['line_items'][0]['subtotal'], 2 ), $quote['lines'][0]['subtotal'] );

		wp_cache_flush();
		$used = ( new \WC_Coupon( $code ) )->get_usage_count(); // WooCommerce's REST order used it too.
		$this->as_role( 'omnistock_cashier' );
		$body['payments'] = array(
			array(
				'method'    => 'card',
				'amount'    => $quote['total'],
				'reference' => 'T-1',
			),
		);
		$sale = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 201, $sale->get_status(), wp_json_encode( $sale->get_data() ) );
		$this->assertSame( array_intersect_key( $quote, array_flip( array( 'subtotal', 'discount', 'tax', 'total' ) ) ), $sale->get_data()['totals'] );
		wp_cache_flush();
		$order = wc_get_order( $sale->get_data()['order'] );
		$this->assertSame( $quote['total'], wc_format_decimal( $order->get_total(), 2 ) );
		$this->assertSame( array( 'VAT DE' ), array_values( array_map( static fn( $t ) => $t->get_label(), $order->get_taxes() ) ) );
		$this->assertSame( $used + 1, ( new \WC_Coupon( $code ) )->get_usage_count(), 'the sale used the coupon once' );
	}

	public function test_a_location_without_a_country_is_taxed_at_the_shop_base(): void {
		$this->taxes();
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 10 );
		$body             = $this->sale_body( array( array( $mug, 1 ) ), '12.00' );
		$body['location'] = $this->loc[0];
		$quote            = $this->pos( 'POST', '/quote', $body )->get_data();
		$this->assertSame( array( '2.00', '12.00' ), array( $quote['tax'], $quote['total'] ), 'GB: 20 %' );
	}

	public function test_a_bad_coupon_names_itself_with_woocommerces_reason(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$expired = $this->coupon( 'percent', '10', array( 'date_expires' => time() - DAY_IN_SECONDS ) );
		$minimum = $this->coupon( 'percent', '10', array( 'minimum_amount' => '100' ) );
		$orders  = $this->all_orders();
		foreach ( array( 'nosuchcoupon' => 'does not exist', $expired => 'expired', $minimum => '100' ) as $code => $reason ) {
			$response = $this->pos( 'POST', '/quote', $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'coupons' => array( $code ) ) ) );
			$this->assertSame( 400, $response->get_status(), $code );
			$error = $response->as_error();
			$this->assertSame( 'omnistock_pos_coupon', $error->get_error_code() );
			$this->assertSame( $code, $error->get_error_data()['coupon'] );
			$this->assertStringContainsString( $code, $error->get_error_message() );
			$this->assertStringContainsString( $reason, strtolower( html_entity_decode( $error->get_error_message() ) ), $error->get_error_message() );

			$sale = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'coupons' => array( $code ) ) ) );
			$this->assertSame( 400, $sale->get_status() );
			$this->assertSame( 'omnistock_pos_coupon', $sale->as_error()->get_error_code() );
		}
		$this->assertSame( $orders, $this->all_orders(), 'nothing left behind' );
		$this->assertSame( 10, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
	}

	public function test_the_quote_tells_what_is_short_here(): void {
		$mug = $this->simple( 50 );
		$this->count_at( $mug->get_id(), $this->loc[1], 1 );
		$quote = $this->pos( 'POST', '/quote', $this->sale_body( array( array( $mug, 2 ) ), '20.00' ) )->get_data();
		$this->assertSame(
			array(
				array(
					'product'    => $mug->get_id(),
					'wanted'     => 2,
					'stock_here' => 1,
				),
			),
			$quote['short']
		);
		$this->assertSame( '20.00', $quote['total'] );
	}

	public function test_a_quotes_transaction_is_known_to_the_database_wrapper(): void {
		$mug = $this->simple( 0 );
		$this->as_role( 'omnistock_cashier' );
		$inside = array();
		$spy    = static function () use ( &$inside ): void {
			$inside[] = \Omnistock\Plugin::database()->in_transaction();
		};
		add_action( 'woocommerce_new_order', $spy );
		try {
			$response = $this->pos( 'POST', '/quote', array( 'location' => $this->loc[1], 'lines' => array( array( 'product' => $mug->get_id(), 'qty' => 1 ) ) ) );
		} finally {
			remove_action( 'woocommerce_new_order', $spy );
		}
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		// A Database::transaction() inside (a hook writing stock) joins it rather than committing it.
		$this->assertSame( array( true ), $inside );
		$this->assertFalse( \Omnistock\Plugin::database()->in_transaction() );
	}
}
