<?php
/**
 * Returns at the counter (POST /pos/returns): an online order returned at Store Mitte, one line
 * back on sale there (the Store API shows it at once), one to a damaged location; the refund
 * through the gateway, from the drawer and as store credit; the same return id twice;
 * over-return, another store's cashier, past the return window; the drawer's expected cash and
 * the day report; a POS sale returned without restocking twice.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Capabilities;
use Omnistock\Plugin;
use Omnistock\Pos\Barcode;
use Omnistock\Pos\Drawer;
use Omnistock\Pos\Returns;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';
require_once __DIR__ . '/lib/ReturnsGateway.php';

final class PosReturnsTest extends PosDrawerTestCase {

	/** Store Mitte: the fixture's Store (ships online). */
	private int $mitte;
	/** A location that is not sold from (neither ships online nor offers pickup). */
	private int $damaged;

	protected function setUp(): void {
		parent::setUp();
		Plugin::database()->statement( 'DELETE FROM ' . Returns::table() );
		$this->mitte = $this->loc[1];
		Plugin::locations()->update( $this->mitte, array( 'name' => 'Store Mitte' ) );
		$this->damaged = Plugin::locations()->create(
			array(
				'name'          => 'Damaged (Mitte)',
				'ships_online'  => false,
				'offers_pickup' => false,
				'priority'      => 9,
			)
		)['id'];
		Plugin::inventory()->reload_location_ids();
		ReturnsGateway::register();
		delete_option( Returns::WINDOW_OPTION );
	}

	protected function tearDown(): void {
		ReturnsGateway::unregister();
		delete_option( Returns::WINDOW_OPTION );
		parent::tearDown();
	}

	/**
	 * An online order of these lines, paid by the test gateway and completed (its units shipped
	 * from the Warehouse).
	 */
	private function online_order( array $lines, string $gateway = ReturnsGateway::ID ): \WC_Order {
		$order = $this->order( $lines );
		$order->set_billing_first_name( 'Olga' );
		$order->set_billing_last_name( 'Online' );
		$order->set_payment_method( $gateway );
		$order->save();
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->fresh( $order )->update_status( 'completed' );
		$this->assertSame( 'fulfilled', $this->state( $order ) );
		return $this->fresh( $order );
	}

	/**
	 * The order's product item ids, in order.
	 *
	 * @return list<int>
	 */
	private static function items( \WC_Order $order ): array {
		return array_keys( $order->get_items() );
	}

	/**
	 * A return body.
	 */
	private function body( \WC_Order $order, array $lines, string $method, array $more = array() ): array {
		return $more + array(
			'id'       => wp_generate_uuid4(),
			'order'    => $order->get_id(),
			'location' => $this->mitte,
			'lines'    => $lines,
			'refund'   => array( 'method' => $method ),
		);
	}

	/**
	 * Ledger rows of a return.
	 */
	private static function events( string $uuid ): array {
		global $wpdb;
		return $wpdb->get_results( $wpdb->prepare( "SELECT event_id, kind, product_id, location_id, qty, reason, source FROM {$wpdb->prefix}omnistock_ledger WHERE event_id LIKE %s ORDER BY event_id", 'return:' . $wpdb->esc_like( $uuid ) . ':%' ), ARRAY_A );
	}

	/**
	 * Ledger rows that WooCommerce's own refund restock would have made.
	 */
	private static function refund_restocks(): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}omnistock_ledger WHERE event_id LIKE 'wc:refund:%'" );
	}

	/**
	 * How many rows the ledger has.
	 */
	private static function ledger_rows(): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}omnistock_ledger" );
	}

	/**
	 * An open drawer session at Store Mitte with a float.
	 */
	private function open_drawer( string $float = '100.00' ): int {
		return $this->ok(
			$this->rest(
				'POST',
				'/pos/sessions',
				array(
					'location' => $this->mitte,
					'float'    => $float,
				)
			),
			201
		)['id'];
	}

	public function test_an_online_order_returned_at_store_mitte_one_unit_back_on_sale_one_to_damaged_refunded_through_the_gateway(): void {
		$mug   = $this->simple( 2 );
		$plate = $this->simple( 1 );
		$order = $this->online_order( array( array( $mug, 2 ), array( $plate, 1 ) ) );
		$this->assertSame( 0, Plugin::inventory()->stock( $mug->get_id() )['online'] );
		$this->assertFalse( rest_do_request( new \WP_REST_Request( 'GET', '/wc/store/v1/products/' . $mug->get_id() ) )->get_data()['is_in_stock'], 'sold out before the return' );
		list( $mug_item, $plate_item ) = self::items( $order );

		// Found by its number, as the receipt's barcode or the customer would give it.
		$found = $this->ok( $this->rest( 'GET', '/pos/orders', null, array( 'number' => '#' . $order->get_order_number() ) ) );
		$this->assertSame( array( $order->get_id(), 'online', 'Olga Online', array( 'original', 'cash', 'credit' ) ), array( $found[0]['id'], $found[0]['channel'], $found[0]['customer'], $found[0]['methods'] ) );
		$this->assertSame( array( 2, 0, 2, '10.00' ), array( $found[0]['lines'][0]['qty'], $found[0]['lines'][0]['refunded'], $found[0]['lines'][0]['returnable'], $found[0]['lines'][0]['unit'] ) );
		$this->assertSame( array(), $this->ok( $this->rest( 'GET', '/pos/orders', null, array( 'number' => '999999' ) ) ) );

		$body   = $this->body(
			$order,
			array(
				array(
					'item'    => $mug_item,
					'qty'     => 1,
					'restock' => 'here',
				),
				array(
					'item'    => $plate_item,
					'qty'     => 1,
					'restock' => $this->damaged,
					'reason'  => 'chipped',
				),
			),
			'original'
		);
		$answer = $this->ok( $this->rest( 'POST', '/pos/returns', $body ), 201 );
		$this->assertSame( array( '20.00', '20.00', '0.00', 'original', 'original', true ), array( $answer['refund']['amount'], $answer['amounts']['total'], $answer['amounts']['tax'], $answer['method'], $answer['paid_by'], $answer['created'] ) );
		$this->assertSame( array( $this->mitte, $this->damaged ), array( $answer['lines'][0]['restock'], $answer['lines'][1]['restock'] ) );
		$this->assertStringContainsString( 'action=' . Returns::RECEIPT_ACTION, $answer['receipt_url'] );

		// The gateway refunded the amount; WooCommerce's refund has the lines.
		$this->assertSame( array( array( 'order' => $order->get_id(), 'amount' => '20.00', 'reason' => 'chipped' ) ), ReturnsGateway::$refunds );
		$refund = wc_get_order( $answer['refund']['id'] );
		$this->assertInstanceOf( \WC_Order_Refund::class, $refund );
		// WooCommerce 7.x with HPOS does not store refunded_payment when it is set after the refund
		// was made (wc_create_refund() sets it once the gateway has refunded): its
		// OrdersTableDataStore::persist_updates() skips update_order_meta(). The gateway's own record
		// above shows the money went back through it.
		if ( version_compare( WC()->version, '8.0', '>=' ) || ! \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ) {
			$this->assertTrue( $refund->get_refunded_payment(), 'WooCommerce\'s refund says the payment was refunded' );
		}
		$this->assertSame( array( $body['id'], (string) $this->mitte, 'original' ), array( $refund->get_meta( Returns::RETURN_META ), $refund->get_meta( Returns::LOCATION_META ), $refund->get_meta( Drawer::REFUND_METHOD_META ) ) );
		$order = $this->fresh( $order );
		$this->assertSame( array( -1, -1 ), array( $order->get_qty_refunded_for_item( $mug_item ), $order->get_qty_refunded_for_item( $plate_item ) ) );
		$this->assertSame( '10.00', wc_format_decimal( $order->get_remaining_refund_amount(), 2 ) );

		// The ledger: +1 at Store Mitte (on sale online at once), +1 at the damaged location (not sold).
		$this->assertSame(
			array(
				array( 'return:' . $body['id'] . ":$mug_item", 'adjust', (string) $mug->get_id(), (string) $this->mitte, '1', 'return', 'pos' ),
				array( 'return:' . $body['id'] . ":$plate_item", 'adjust', (string) $plate->get_id(), (string) $this->damaged, '1', 'return', 'pos' ),
			),
			array_map( 'array_values', self::events( $body['id'] ) )
		);
		$this->assertSame( 0, self::refund_restocks(), 'WooCommerce\'s refund did not restock a second time' );
		$this->assertSame( array( 1, 1 ), array( $this->cell( $mug->get_id(), $this->mitte )['on_hand'], $this->cell( $mug->get_id(), $this->mitte )['sellable'] ) );
		$this->assertSame( 1, $this->cell( $plate->get_id(), $this->damaged )['on_hand'] );
		$this->assertSame( array( 1, 0 ), array( Plugin::inventory()->stock( $mug->get_id() )['online'], Plugin::inventory()->stock( $plate->get_id() )['online'] ) );
		$this->assertTrue( rest_do_request( new \WP_REST_Request( 'GET', '/wc/store/v1/products/' . $mug->get_id() ) )->get_data()['is_in_stock'], 'the Store API shows the returned mug at once' );
		$this->assertShopAgrees( $mug, 'mug returned at Mitte' );
		$this->assertShopAgrees( $plate, 'plate to the damaged location' );

		// The same id again: the same answer, nothing changed.
		$rows  = self::ledger_rows();
		$again = $this->ok( $this->rest( 'POST', '/pos/returns', $body ), 200 );
		$this->assertFalse( $again['created'] );
		unset( $again['created'], $again['receipt_url'], $answer['created'], $answer['receipt_url'] );
		$this->assertSame( $answer, $again );
		$this->assertSame( array( $rows, 1, 1 ), array( self::ledger_rows(), count( ReturnsGateway::$refunds ), count( $this->fresh( $order )->get_refunds() ) ) );
		// The same id with another body is a mistake, not this return.
		$other                     = $body;
		$other['lines'][0]['qty']  = 2;
		$reused                    = $this->rest( 'POST', '/pos/returns', $other );
		$this->assertSame( array( 422, 'omnistock_pos_id_reused' ), array( $reused->get_status(), $reused->get_data()['code'] ) );

		// What is left to return is what was bought less what was refunded.
		$left = $this->ok( $this->rest( 'GET', '/pos/orders/' . $order->get_id() ) );
		$this->assertSame( array( 1, 1, 0 ), array( $left['lines'][0]['refunded'], $left['lines'][0]['returnable'], $left['lines'][1]['returnable'] ) );

		// The return receipt, for the cashier who took it.
		$query = array();
		wp_parse_str( (string) wp_parse_url( $this->ok( $this->rest( 'POST', '/pos/returns', $body ) )['receipt_url'], PHP_URL_QUERY ), $query );
		$_GET     = $query;
		$_REQUEST = $query;
		$page     = self::text( ( new Returns( Plugin::inventory(), Plugin::locations(), Plugin::database(), new Drawer( Plugin::database(), Plugin::locations() ), Plugin::staff() ) )->receipt_page() );
		$_GET     = array();
		$_REQUEST = array();
		$this->assertStringContainsString( 'Store Mitte', $page );
		$this->assertStringContainsString( 'Return — order #' . $order->get_order_number(), $page );
		$this->assertStringContainsString( '1 × ' . $mug->get_name() . ' -10.00', $page );
		$this->assertStringContainsString( 'Refund -20.00 Refunded to the original payment', $page );
	}

	public function test_a_refusing_gateway_leaves_nothing_behind(): void {
		$mug                  = $this->simple( 1 );
		$order                = $this->online_order( array( array( $mug, 1 ) ) );
		ReturnsGateway::$refuse = 'Card expired';
		$rows                 = self::ledger_rows();
		$body                 = $this->body(
			$order,
			array(
				array(
					'item' => self::items( $order )[0],
					'qty'  => 1,
				),
			),
			'original'
		);
		$refused              = $this->rest( 'POST', '/pos/returns', $body );
		$this->assertSame( array( 400, 'omnistock_pos_refund_failed' ), array( $refused->get_status(), $refused->get_data()['code'] ), wp_json_encode( $refused->get_data() ) );
		$this->assertStringContainsString( 'Card expired', $refused->get_data()['message'] );
		$this->assertSame( array( $rows, array(), 0 ), array( self::ledger_rows(), $this->fresh( $order )->get_refunds(), $this->cell( $mug->get_id(), $this->mitte )['on_hand'] ) );
		// The same id again, once the gateway answers: the return is made.
		$this->ok( $this->rest( 'POST', '/pos/returns', $body ), 201 );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->mitte )['on_hand'] );
	}

	public function test_a_cash_refund_is_paid_from_the_drawer_and_the_expected_cash_includes_it(): void {
		$mug     = $this->simple( 3 );
		$order   = $this->online_order( array( array( $mug, 3 ) ), 'test' ); // A gateway that cannot refund.
		$item    = self::items( $order )[0];
		$lines   = array(
			array(
				'item'    => $item,
				'qty'     => 2,
				'restock' => 'here',
			),
		);
		$summary = $this->ok( $this->rest( 'GET', '/pos/orders/' . $order->get_id() ) );
		$this->assertSame( array( 'cash', 'credit' ), $summary['methods'], 'no refund to a gateway that cannot' );
		$original = $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'original' ) );
		$this->assertSame( 400, $original->get_status() );
		$this->assertArrayHasKey( 'refund.method', $original->get_data()['data']['params'] );
		$no_drawer = $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'cash' ) );
		$this->assertSame( 400, $no_drawer->get_status() );
		$this->assertArrayHasKey( 'session', $no_drawer->get_data()['data']['params'] );

		$session = $this->open_drawer( '100.00' );
		$answer  = $this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'cash', array( 'session' => $session ) ) ), 201 );
		$this->assertSame( array( '20.00', 'cash', $session ), array( $answer['amounts']['total'], $answer['paid_by'], $answer['session'] ) );
		$this->assertIsInt( $answer['movement'] );
		$this->assertSame( array(), ReturnsGateway::$refunds );
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$session/report" ) );
		$this->assertSame( array( '20.00', '80.00' ), array( $report['refunds']['cash'], $report['expected'] ) );
		$this->assertSame( array( 'refund', '20.00' ), array( $report['movements_list'][0]['type'], $report['movements_list'][0]['amount'] ) );
		$this->assertStringContainsString( '#' . $order->get_order_number(), $report['movements_list'][0]['note'] );
		$this->assertSame( 2, $this->cell( $mug->get_id(), $this->mitte )['on_hand'] );

		// Closed against the expected cash: counted 80.00 is no difference.
		$closed = $this->ok( $this->rest( 'POST', "/pos/sessions/$session/close", array( 'counted' => '80.00' ) ) );
		$this->assertSame( array( '80.00', '0.00' ), array( $closed['expected'], $closed['difference'] ) );

		// The day report lists the return at Mitte, and only there.
		$day = $this->day_report( $this->mitte );
		$this->assertSame( array( '20.00', '20.00', 1 ), array( $day['refunds'], $day['refunds_by_method']['cash'], $day['refund_count'] ) );
		$this->assertCount( 1, $day['returns'] );
		$this->assertSame( array( $answer['id'], $order->get_id(), 'online', 'cash', '20.00', 2 ), array( $day['returns'][0]['id'], $day['returns'][0]['order'], $day['returns'][0]['channel'], $day['returns'][0]['method'], $day['returns'][0]['amount'], $day['returns'][0]['lines'][0]['qty'] ) );
		$this->assertSame( array(), $this->day_report( $this->loc[0] )['returns'] );
	}

	public function test_store_credit_is_a_coupon_for_that_customer(): void {
		$mug    = $this->simple( 1 );
		$order  = $this->online_order( array( array( $mug, 1 ) ) );
		$answer = $this->ok(
			$this->rest(
				'POST',
				'/pos/returns',
				$this->body(
					$order,
					array(
						array(
							'item'    => self::items( $order )[0],
							'qty'     => 1,
							'restock' => 'none',
							'reason'  => 'broken in transit',
						),
					),
					'credit'
				)
			),
			201
		);
		$this->assertSame( array( 'credit', '10.00', 'buyer@example.org' ), array( $answer['paid_by'], $answer['credit']['amount'], $answer['credit']['email'] ) );
		$coupon = new \WC_Coupon( $answer['credit']['code'] );
		$this->assertGreaterThan( 0, $coupon->get_id() );
		$this->assertSame( array( 'fixed_cart', '10.00', array( 'buyer@example.org' ), 1, $answer['id'] ), array( $coupon->get_discount_type(), wc_format_decimal( $coupon->get_amount(), 2 ), $coupon->get_email_restrictions(), $coupon->get_usage_limit(), $coupon->get_meta( Returns::CREDIT_META ) ) );
		$this->assertSame( array(), ReturnsGateway::$refunds, 'store credit pays nothing back through the gateway' );
		// Written off: no unit comes back anywhere.
		$this->assertSame( array(), self::events( $answer['id'] ) );
		$this->assertSame( 0, Plugin::inventory()->stock( $mug->get_id() )['online'] );
		$this->assertSame( 'refunded', $this->fresh( $order )->get_status() );
		$this->assertSame( 'credit', $this->day_report( $this->mitte )['returns'][0]['method'] );
		$this->assertSame( '10.00', $this->day_report( $this->mitte )['refunds_by_method']['credit'] );
	}

	public function test_an_exchange_is_a_sale_for_the_customer_with_the_returns_credit_settling_the_difference(): void {
		$customer = wc_create_new_customer( 'olga@example.org', '', wp_generate_password() );
		$this->assertIsInt( $customer );
		$mug   = $this->simple( 3 );
		$order = $this->order( array( array( $mug, 1 ) ) );
		$order->set_customer_id( $customer );
		$order->set_billing_email( 'olga@example.org' );
		$order->set_payment_method( ReturnsGateway::ID );
		$order->save();
		$this->checkout( $order );
		$this->fresh( $order )->payment_complete();
		$this->fresh( $order )->update_status( 'completed' );
		$taken = $this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $this->fresh( $order ), array( array( 'item' => self::items( $order )[0], 'qty' => 1 ) ), 'credit' ) ), 201 );
		$this->assertSame( array( $customer, 'olga@example.org' ), array( $taken['customer']['id'], $taken['customer']['email'] ) );
		$this->count_at_mitte( $mug, 5 );
		// The terminal asks for the totals first (as each scan does), then sells.
		$quote = $this->ok(
			$this->rest(
				'POST',
				'/pos/quote',
				array(
					'location' => $this->mitte,
					'lines'    => array(
						array(
							'product' => $mug->get_id(),
							'qty'     => 3,
						),
					),
					'coupons'  => array( $taken['credit']['code'] ),
					'customer' => $customer,
				)
			)
		);
		$this->assertSame( '20.00', $quote['total'] );
		$this->assertSame( 0, ( new \WC_Coupon( $taken['credit']['code'] ) )->get_usage_count(), 'a quote uses no credit' );
		$sale = $this->ok(
			$this->rest(
				'POST',
				'/pos/sales',
				array(
					'id'       => wp_generate_uuid4(),
					'location' => $this->mitte,
					'lines'    => array(
						array(
							'product' => $mug->get_id(),
							'qty'     => 3,
						),
					),
					'coupons'  => array( $taken['credit']['code'] ),
					'customer' => $customer,
					'payments' => array(
						array(
							'method' => 'card',
							'amount' => '20.00',
						),
					),
				)
			),
			201
		);
		$this->assertSame( array( '10.00', '20.00' ), array( $sale['totals']['discount'], $sale['totals']['total'] ), 'three mugs less the credit of one' );
		$this->assertSame( 1, ( new \WC_Coupon( $taken['credit']['code'] ) )->get_usage_count(), 'the credit is used up' );
	}

	/**
	 * @group concurrency
	 */
	public function test_the_same_return_sent_by_four_terminals_at_once_is_made_once(): void {
		$mug     = $this->simple( 2 );
		$order   = $this->online_order( array( array( $mug, 2 ) ), 'test' );
		$body    = $this->body( $order, array( array( 'item' => self::items( $order )[0], 'qty' => 2 ) ), 'credit' );
		$cashier = $this->browser( $this->cashier, static fn() => wp_create_nonce( 'wp_rest' ) );
		$this->over_http(
			function ( string $base ) use ( $cashier, $body ) {
				$answers  = self::http_all( 4, "$base/?rest_route=/omnistock/v1/pos/returns", array( 'Cookie: ' . $cashier['cookie'], 'X-WP-Nonce: ' . $cashier['value'] ), $body );
				$statuses = array_count_values( array_column( $answers, 'status' ) );
				ksort( $statuses );
				$this->assertSame( array( 200 => 3, 201 => 1 ), $statuses, wp_json_encode( $answers ) );
				$refunds = array_unique( array_map( static fn( $a ) => json_decode( $a['body'], true )['refund']['id'], $answers ) );
				$this->assertCount( 1, $refunds, 'one refund, the same answer to all' );
			},
			4
		);
		$this->assertCount( 1, $this->fresh( $order )->get_refunds() );
		$this->assertCount( 1, self::events( $body['id'] ) );
		$this->assertSame( 2, $this->cell( $mug->get_id(), $this->mitte )['on_hand'] );
		$this->assertSame( 1, (int) Plugin::database()->value( 'SELECT COUNT(*) FROM ' . Returns::table() ) );
	}

	public function test_taxes_are_refunded_per_rate_and_the_credit_is_worth_the_refund(): void {
		$this->vat();
		$mug   = $this->simple( 3 );
		$order = $this->order( array( array( $mug, 3 ) ) );
		$order->set_payment_method( ReturnsGateway::ID );
		$order->calculate_totals();
		$order->save();
		$this->checkout( $order );
		$this->fresh( $order )->payment_complete();
		$this->fresh( $order )->update_status( 'completed' );
		$order = $this->fresh( $order );
		$this->assertSame( '35.70', wc_format_decimal( $order->get_total(), 2 ), '3 × 10.00 + 19 %' );
		$item = self::items( $order )[0];
		// One unit, then the last two: the shares add up to the line to the cent.
		$one = $this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $order, array( array( 'item' => $item, 'qty' => 1 ) ), 'original' ) ), 201 );
		$this->assertSame( array( '10.00', '1.90', '11.90' ), array( $one['amounts']['subtotal'], $one['amounts']['tax'], $one['amounts']['total'] ) );
		$refund = wc_get_order( $one['refund']['id'] );
		$this->assertSame( array( '-1.90' ), array_map( static fn( $t ) => wc_format_decimal( $t, 2 ), array_values( current( $refund->get_items() )->get_taxes()['total'] ) ) );
		$rest = $this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $this->fresh( $order ), array( array( 'item' => $item, 'qty' => 2 ) ), 'credit' ) ), 201 );
		$this->assertSame( array( '20.00', '3.80', '23.80' ), array( $rest['amounts']['subtotal'], $rest['amounts']['tax'], $rest['amounts']['total'] ) );
		$this->assertSame( '0.00', wc_format_decimal( $this->fresh( $order )->get_remaining_refund_amount(), 2 ) );
		// Prices are entered without tax: the coupon is 20.00, and with the new sale's 19 % it is worth 23.80.
		$this->assertSame( '20.00', $rest['credit']['amount'] );
		$this->assertSame( '11.90', ReturnsGateway::$refunds[0]['amount'] );
	}

	public function test_over_return_bad_lines_and_another_stores_cashier_are_refused_and_change_nothing(): void {
		$mug   = $this->simple( 2 );
		$order = $this->online_order( array( array( $mug, 2 ) ) );
		$item  = self::items( $order )[0];
		$rows  = self::ledger_rows();
		$cases = array(
			array( array( array( 'item' => $item, 'qty' => 3 ) ), 'lines[0].qty', 'omnistock_pos_over_return' ),
			array( array( array( 'item' => $item + 1000, 'qty' => 1 ) ), 'lines[0].item', 'rest_invalid_param' ),
			array( array( array( 'item' => $item, 'qty' => 1, 'restock' => 'none' ) ), 'lines[0].reason', 'rest_invalid_param' ),
			array( array( array( 'item' => $item, 'qty' => 1, 'restock' => $this->loc[0] ) ), 'lines[0].restock', 'rest_invalid_param' ),
			array( array( array( 'item' => $item, 'qty' => 1, 'restock' => 'somewhere' ) ), 'lines[0].restock', 'rest_invalid_param' ),
			array( array( array( 'item' => $item, 'qty' => 1 ), array( 'item' => $item, 'qty' => 1 ) ), 'lines[1].item', 'rest_invalid_param' ),
		);
		foreach ( $cases as list( $lines, $field, $code ) ) {
			$response = $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'original' ) );
			$what     = $field . ': ' . wp_json_encode( $response->get_data() );
			$this->assertSame( array( 400, $code ), array( $response->get_status(), $response->get_data()['code'] ), $what );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'], $what );
		}
		$bad_method = $this->rest( 'POST', '/pos/returns', $this->body( $order, array( array( 'item' => $item, 'qty' => 1 ) ), 'cheque' ) );
		$this->assertSame( 400, $bad_method->get_status() );
		$this->assertArrayHasKey( 'refund.method', $bad_method->get_data()['data']['params'] );

		// One returned; then two more is more than is left.
		$this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $order, array( array( 'item' => $item, 'qty' => 1 ) ), 'original' ) ), 201 );
		$rows = self::ledger_rows();
		$over = $this->rest( 'POST', '/pos/returns', $this->body( $order, array( array( 'item' => $item, 'qty' => 2 ) ), 'original' ) );
		$this->assertSame( array( 400, 'omnistock_pos_over_return' ), array( $over->get_status(), $over->get_data()['code'] ) );
		$this->assertStringContainsString( '(1: bought less already refunded)', $over->get_data()['data']['params']['lines[0].qty'] );

		// A cashier of the Warehouse only, at Store Mitte: 403.
		$cashier = $this->user( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier, array( $this->loc[0] ) );
		wp_set_current_user( $cashier );
		$elsewhere = $this->rest( 'POST', '/pos/returns', $this->body( $order, array( array( 'item' => $item, 'qty' => 1 ) ), 'original' ) );
		$this->assertSame( 403, $elsewhere->get_status(), wp_json_encode( $elsewhere->get_data() ) );
		$this->assertSame( array( $rows, 1, 1 ), array( self::ledger_rows(), count( $this->fresh( $order )->get_refunds() ), count( ReturnsGateway::$refunds ) ) );
	}

	public function test_past_the_return_window_a_cashier_is_refused_and_a_manager_allowed(): void {
		update_option( Returns::WINDOW_OPTION, 14 );
		$mug   = $this->simple( 1 );
		$order = $this->online_order( array( array( $mug, 1 ) ) );
		$order->set_date_paid( time() - 15 * DAY_IN_SECONDS );
		$order->save();
		$lines = array( array( 'item' => self::items( $order )[0], 'qty' => 1 ) );
		$this->assertTrue( $this->ok( $this->rest( 'GET', '/pos/orders/' . $order->get_id() ) )['late'] );

		$refused = $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'original' ) );
		$this->assertSame( array( 403, 'omnistock_pos_return_window' ), array( $refused->get_status(), $refused->get_data()['code'] ) );
		$this->assertStringContainsString( '14 days', $refused->get_data()['message'] );
		$this->assertSame( array( array(), 0 ), array( $this->fresh( $order )->get_refunds(), $this->cell( $mug->get_id(), $this->mitte )['on_hand'] ) );

		$this->assertTrue( get_role( 'shop_manager' )->has_cap( Capabilities::POS_LATE_RETURN ), 'the installer grants managers late returns' );
		$this->assertFalse( get_role( 'omnistock_cashier' )->has_cap( Capabilities::POS_LATE_RETURN ) );
		wp_set_current_user( $this->user( 'shop_manager' ) );
		$this->ok( $this->rest( 'POST', '/pos/returns', $this->body( $order, $lines, 'original' ) ), 201 );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->mitte )['on_hand'] );
	}

	public function test_a_pos_sale_returned_in_cash_counts_once_in_the_drawer_and_restocks_once(): void {
		$mug = $this->simple( 0 );
		$this->count_at_mitte( $mug, 2 );
		$session = $this->open_drawer( '50.00' );
		$sale    = $this->pos_sale( $this->mitte, array( array( $mug, 2 ) ), array( array( 'method' => 'cash', 'amount' => '20.00' ) ), array( 'session' => $session ) );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->mitte )['on_hand'] );

		// Its receipt carries the order number as a barcode.
		$receipt = ( new \Omnistock\Pos\Receipts( Plugin::locations(), Plugin::staff() ) )->body( $sale );
		$this->assertStringContainsString( 'data-code="' . $sale->get_order_number() . '"', $receipt );
		$this->assertCount( 15, Barcode::bars( '7' )['bars'], 'start, 7 and stop: three characters of five bars each' );

		$found = $this->ok( $this->rest( 'GET', '/pos/orders', null, array( 'number' => $sale->get_order_number() ) ) );
		$this->assertSame( array( 'pos', array( 'original', 'cash' ) ), array( $found[0]['channel'], $found[0]['methods'] ), 'no store credit without the customer\'s e-mail address' );
		$answer = $this->ok(
			$this->rest(
				'POST',
				'/pos/returns',
				$this->body( $sale, array( array( 'item' => self::items( $sale )[0], 'qty' => 1 ) ), 'original', array( 'session' => $session ) )
			),
			201
		);
		$this->assertSame( array( 'cash', '10.00' ), array( $answer['paid_by'], $answer['amounts']['total'] ) );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->mitte )['on_hand'], 'back on the shelf once' );
		$this->assertSame( 0, self::refund_restocks() );
		$refund = wc_get_order( $answer['refund']['id'] );
		$this->assertSame( '', (string) $refund->get_meta( Drawer::SESSION_META ), 'the drawer counts the movement, not the refund a second time' );
		$report = $this->ok( $this->rest( 'GET', "/pos/sessions/$session/report" ) );
		$this->assertSame( array( '20.00', '10.00', '60.00' ), array( $report['sales']['cash'], $report['refunds']['cash'], $report['expected'] ) );
		$day = $this->day_report( $this->mitte );
		$this->assertSame( array( '10.00', 1, 'pos' ), array( $day['refunds'], $day['refund_count'], $day['returns'][0]['channel'] ) );
		$this->assertShopAgrees( $mug, 'POS sale returned' );
	}

	/**
	 * A count at Store Mitte.
	 */
	private function count_at_mitte( \WC_Product $product, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:' . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product->get_id(),
					'location' => $this->mitte,
					'qty'      => $qty,
					'at'       => \Omnistock\Inventory\Database::now_ms() - 60000,
				),
			)
		);
	}
}
