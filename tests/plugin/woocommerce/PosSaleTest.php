<?php
/**
 * POS sales: the completed WooCommerce order, the ledger events at the location, on_hand,
 * WooCommerce's _stock and the Store API agree; a repeated sale id changes nothing; short stock
 * is refused unless overridden; a late sale lands in its place; payments and discounts checked.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';

use Omnistock\Inventory\Database;
use Omnistock\Plugin;
use Omnistock\Pos\Sales;
use Omnistock\WooCommerce\OrderStock;

final class PosSaleTest extends PosTestCase {

	public function test_a_sale_makes_a_completed_order_and_takes_the_units_at_the_location_once(): void {
		$mug                 = $this->simple( 5 );
		list( , $small )     = $this->variable( 2, 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 4 );
		$this->count_at( $small->get_id(), $this->loc[1], 1 );
		$customer = $this->as_role( 'customer' );
		$cashier  = $this->as_role( 'omnistock_cashier' );
		$body     = $this->sale_body( array( array( $mug, 3 ), array( $small, 1 ) ), '50.00', array( 'customer' => $customer ) );
		$body['payments'][0]['amount'] = '50.00';

		$mails = array();
		$spy   = static function ( $mail ) use ( &$mails ) {
			$mails[] = $mail['subject'];
			return $mail;
		};
		add_filter( 'wp_mail', $spy );
		$response = $this->pos( 'POST', '/sales', $body );
		remove_filter( 'wp_mail', $spy );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( array(), $mails, 'no "new order" mail to the shop, no "order completed" mail to the customer' );
		$sale = $response->get_data();
		$this->assertSame( $body['id'], $sale['id'] );
		$this->assertTrue( $sale['created'] );
		$this->assertSame(
			array(
				'subtotal' => '50.00',
				'discount' => '0.00',
				'tax'      => '0.00',
				'total'    => '50.00',
			),
			$sale['totals']
		);
		$this->assertSame( '0.00', $sale['change'] );

		wp_cache_flush();
		$order = wc_get_order( $sale['order'] );
		$this->assertSame( array( $order->get_id() ), $this->orders_of_sale( $body['id'] ) );
		$this->assertSame( (string) $order->get_order_number(), $sale['number'] );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'omnistock-pos', $order->get_created_via() );
		$this->assertSame( $customer, $order->get_customer_id() );
		$this->assertSame( '50.00', wc_format_decimal( $order->get_total(), 2 ) );
		$this->assertSame( (string) $this->loc[1], $order->get_meta( OrderStock::LOCATION ) );
		$this->assertSame( (string) $cashier, $order->get_meta( Sales::CASHIER ) );
		$this->assertSame( 'fulfilled', $order->get_meta( OrderStock::STATE ) );
		$this->assertSame(
			array(
				array(
					'method'   => 'cash',
					'amount'   => '50.00',
					'tendered' => '50.00',
				),
			),
			json_decode( $order->get_meta( Sales::PAYMENTS ), true )
		);
		$this->assertSame( 'omnistock_pos_cash', $order->get_payment_method() );
		$this->assertNotNull( $order->get_date_paid() );
		foreach ( $order->get_items() as $item ) {
			$this->assertSame( (string) $this->loc[1], $item->get_meta( OrderStock::LOCATION ) );
			$this->assertSame( '', (string) $item->get_meta( '_reduced_stock' ), 'WooCommerce reduced nothing itself' );
		}

		$events = $this->sale_events( $body['id'] );
		$this->assertSame(
			array(
				array( "pos:{$body['id']}:{$mug->get_id()}:{$this->loc[1]}", 'adjust', -3, 'sale', 'pos' ),
				array( "pos:{$body['id']}:{$small->get_id()}:{$this->loc[1]}", 'adjust', -1, 'sale', 'pos' ),
			),
			array_map( static fn( $e ) => array( $e['event_id'], $e['kind'], (int) $e['qty'], $e['reason'], $e['source'] ), $events )
		);
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'the Warehouse keeps its units' );
		$this->assertSame( 0, $this->cell( $small->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertShopAgrees( $mug, 'after the POS sale' );
		$this->assertShopAgrees( $small, 'after the POS sale' );
		$this->assertSame( 6, (int) get_post_meta( $mug->get_id(), '_stock', true ) );

		// The same sale again: the same answer, nothing changes.
		$again = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 200, $again->get_status() );
		$this->assertSame( array( 'created' => false ) + $sale, array( 'created' => false ) + $again->get_data() );
		$this->assertFalse( $again->get_data()['created'] );
		$this->assertSame( array( $order->get_id() ), $this->orders_of_sale( $body['id'] ) );
		$this->assertCount( 2, $this->sale_events( $body['id'] ) );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertShopAgrees( $mug, 'after the repeated sale' );
	}

	public function test_short_stock_is_refused_with_409_and_changes_nothing_unless_overridden(): void {
		$mug = $this->simple( 5 );
		$this->count_at( $mug->get_id(), $this->loc[1], 1 );
		$code = $this->coupon( 'fixed_cart', '1' );
		$cashier              = $this->as_role( 'omnistock_cashier' );
		$body                 = $this->sale_body( array( array( $mug, 2 ) ), '19.00', array( 'coupons' => array( $code ) ) );
		$orders_before        = count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_keys( wc_get_order_statuses() ) ) ) );
		$ledger_before        = count( Plugin::inventory()->ledger_tail( 1000 ) );

		$response = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 409, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$error = $response->as_error();
		$this->assertSame( 'omnistock_pos_short', $error->get_error_code() );
		$this->assertSame(
			array(
				array(
					'product'    => $mug->get_id(),
					'wanted'     => 2,
					'stock_here' => 1,
				),
			),
			$error->get_error_data()['short']
		);
		wp_cache_flush();
		$this->assertSame( array(), $this->orders_of_sale( $body['id'] ) );
		$this->assertSame( $orders_before, count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'status' => array_keys( wc_get_order_statuses() ) ) ) ), 'no order left behind' );
		$this->assertSame( $ledger_before, count( Plugin::inventory()->ledger_tail( 1000 ) ) );
		$this->assertSame( 0, ( new \WC_Coupon( $code ) )->get_usage_count(), 'the coupon was not used' );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( '0', (string) Plugin::database()->value( 'SELECT COUNT(*) FROM ' . Sales::table() ) );
		$this->assertShopAgrees( $mug, 'after the refused sale' );

		// A cashier may not override: omnistock_pos_override is not the Cashier role's.
		$body['override'] = true;
		$response         = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 403, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'omnistock_pos_override_forbidden', $response->as_error()->get_error_code() );
		$this->assertSame( $ledger_before, count( Plugin::inventory()->ledger_tail( 1000 ) ), 'the refused override recorded nothing' );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		wp_cache_flush();
		$this->assertSame( array(), $this->orders_of_sale( $body['id'] ) );

		// Given the capability, and the unit in hand: sold anyway, the oversell shows, and the order says who.
		wp_get_current_user()->add_cap( \Omnistock\Capabilities::POS_OVERRIDE ); // The current user, so its cached caps see it.
		$response         = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( array( 'product' => $mug->get_id(), 'wanted' => 2, 'stock_here' => 1 ), $response->get_data()['oversold'][0] );
		$events = $this->sale_events( $body['id'] );
		$this->assertCount( 1, $events );
		$this->assertSame( array( -2, 'pos-override', (string) $cashier ), array( (int) $events[0]['qty'], $events[0]['reason'], $events[0]['actor'] ) );
		$notes = implode( "\n", array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $response->get_data()['order'] ) ) ) );
		$this->assertStringContainsString( "user $cashier", $notes, 'the override note names the user' );
		$cell = $this->cell( $mug->get_id(), $this->loc[1] );
		$this->assertSame( array( -1, -1 ), array( $cell['on_hand'], $cell['sellable'] ), 'the oversell is visible' );
		wp_cache_flush();
		$this->assertSame( 1, ( new \WC_Coupon( $code ) )->get_usage_count(), 'used once, by the sale' );
		$this->assertShopAgrees( $mug, 'after the override' );
	}

	public function test_a_claim_whose_owner_died_is_taken_over_and_the_sale_made_once(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 5 );
		$this->as_role( 'omnistock_cashier' );
		$body = $this->sale_body( array( array( $mug, 2 ) ), '20.00' );
		// A request claimed the sale ten minutes ago and died before making the order.
		Plugin::database()->statement( Plugin::database()->prepare( 'INSERT INTO ' . Sales::table() . " (uuid, status, order_id, claimed_at) VALUES (%s, 'pending', 0, %d)", $body['id'], Database::now_ms() - 600000 ) );
		$claimed = array();
		$spy     = static function ( $uuid, $order_id ) use ( &$claimed ): void {
			$claimed[] = array( $uuid, $order_id );
		};
		add_action( 'omnistock_pos_sale_claimed', $spy, 10, 2 );
		$response = $this->pos( 'POST', '/sales', $body );
		remove_action( 'omnistock_pos_sale_claimed', $spy, 10 );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( array( array( $body['id'], 0 ) ), $claimed, 'taken over' );
		$this->assertSame( array( $response->get_data()['order'] ), $this->orders_of_sale( $body['id'] ) );
		$this->assertSame( 3, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( 'done', Plugin::database()->value( Plugin::database()->prepare( 'SELECT status FROM ' . Sales::table() . ' WHERE uuid = %s', $body['id'] ) ) );
	}

	public function test_a_late_sale_lands_in_its_place_in_the_ledger(): void {
		$mug = $this->simple( 0 );
		$now = Database::now_ms();
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:count:store',
					'kind'     => 'count',
					'product'  => $mug->get_id(),
					'location' => $this->loc[1],
					'qty'      => 5,
					'at'       => $now - 600000,
				),
			)
		);
		$this->as_role( 'omnistock_cashier' );
		// Made offline before the count: the count already saw it, so on_hand stays.
		$before = $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'at' => $now - 3600000 ) );
		$this->assertSame( 201, $this->pos( 'POST', '/sales', $before )->get_status() );
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		// Made offline after the count (ISO 8601): it counts.
		$iso   = gmdate( 'Y-m-d\TH:i:s', intdiv( $now - 300000, 1000 ) ) . '.000Z';
		$after = $this->sale_body( array( array( $mug, 2 ) ), '20.00', array( 'at' => $iso ) );
		$sale  = $this->pos( 'POST', '/sales', $after );
		$this->assertSame( 201, $sale->get_status(), wp_json_encode( $sale->get_data() ) );
		$this->assertSame( 3, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( (string) ( $now - 3600000 ), $this->sale_events( $before['id'] )[0]['at'] );
		$this->assertSame( (string) ( intdiv( $now - 300000, 1000 ) * 1000 ), $this->sale_events( $after['id'] )[0]['at'] );
		wp_cache_flush();
		$order = wc_get_order( $sale->get_data()['order'] );
		$this->assertSame( intdiv( $now - 300000, 1000 ), $order->get_date_created()->getTimestamp(), 'the order is dated when the sale happened' );
		$this->assertShopAgrees( $mug, 'after the late sales' );

		$future = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'at' => $now + 3600000 ) ) );
		$this->assertSame( 400, $future->get_status() );
		$this->assertArrayHasKey( 'at', $future->as_error()->get_error_data()['params'] );
	}

	public function test_payments_must_cover_the_total_and_split_payments_give_change_in_cash(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$this->as_role( 'omnistock_cashier' );
		$under    = $this->sale_body( array( array( $mug, 3 ) ), '29.99' );
		$response = $this->pos( 'POST', '/sales', $under );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'omnistock_pos_underpaid', $response->as_error()->get_error_code() );
		$this->assertSame( array(), $this->orders_of_sale( $under['id'] ) );
		$this->assertSame( array(), $this->sale_events( $under['id'] ) );
		$this->assertSame( 10, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );

		$split             = $this->sale_body( array( array( $mug, 3 ) ), '10.00' );
		$split['payments'] = array(
			array(
				'method'    => 'card',
				'amount'    => '20.00',
				'reference' => 'TERM-0042',
			),
			array(
				'method'   => 'cash',
				'amount'   => '10.00',
				'tendered' => '50.00',
			),
		);
		$response          = $this->pos( 'POST', '/sales', $split );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( '40.00', $response->get_data()['change'] );
		wp_cache_flush();
		$order = wc_get_order( $response->get_data()['order'] );
		$this->assertSame( 'omnistock_pos_split', $order->get_payment_method() );
		$this->assertSame( 'TERM-0042', json_decode( $order->get_meta( Sales::PAYMENTS ), true )[0]['reference'] );
		$this->assertSame( '40.00', $order->get_meta( Sales::CHANGE ) );

		$bad = array(
			array( array( 'id' => 'not-a-uuid' ), 'id' ),
			array( array( 'lines' => array( array( 'product' => 999999, 'qty' => 1 ) ) ), 'lines[0].product' ),
			array( array( 'lines' => array( array( 'product' => $mug->get_id(), 'qty' => 0 ) ) ), 'lines[0].qty' ),
			array( array( 'payments' => array( array( 'method' => 'cheque', 'amount' => '30.00' ) ) ), 'payments[0].method' ),
			array( array( 'location' => 999999 ), 'location' ),
			array( array( 'override' => 'perhaps' ), 'override' ),
		);
		foreach ( $bad as list( $change, $field ) ) {
			$body     = array_merge( $this->sale_body( array( array( $mug, 1 ) ), '10.00' ), $change );
			$response = $this->pos( 'POST', '/sales', $body );
			$this->assertSame( 400, $response->get_status(), $field . ': ' . wp_json_encode( $response->get_data() ) );
			$this->assertArrayHasKey( $field, $response->as_error()->get_error_data()['params'], wp_json_encode( $response->get_data() ) );
		}
		$this->assertSame( 7, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertShopAgrees( $mug, 'after the refused sales' );
	}

	public function test_discounts_are_refused_to_a_cashier_and_given_by_a_manager(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$this->as_role( 'omnistock_cashier' );
		$body                          = $this->sale_body( array( array( $mug, 2 ) ), '20.00' );
		$body['lines'][0]['discount']  = '2.00';
		$quote                         = $this->pos( 'POST', '/quote', $body );
		$this->assertSame( 403, $quote->get_status() );
		$this->assertSame( 'omnistock_pos_discount_forbidden', $quote->as_error()->get_error_code() );
		$sale = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 403, $sale->get_status() );
		$order_discount = $this->pos( 'POST', '/sales', array( 'discount' => '1.00' ) + $this->sale_body( array( array( $mug, 2 ) ), '20.00' ) );
		$this->assertSame( 403, $order_discount->get_status() );
		$this->assertSame( array(), $this->orders_of_sale( $body['id'] ) );
		$this->assertSame( 10, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );

		$this->as_role( 'shop_manager' );
		$body['discount']              = '3.00';
		$body['payments'][0]['amount'] = '15.00';
		$body['payments'][0]['tendered'] = '15.00';
		$quote                         = $this->pos( 'POST', '/quote', $body );
		$this->assertSame( 200, $quote->get_status(), wp_json_encode( $quote->get_data() ) );
		$this->assertSame( array( '20.00', '5.00', '15.00' ), array( $quote->get_data()['subtotal'], $quote->get_data()['discount'], $quote->get_data()['total'] ) );
		$this->assertSame( array( '20.00', '2.00', '18.00' ), array( $quote->get_data()['lines'][0]['subtotal'], $quote->get_data()['lines'][0]['discount'], $quote->get_data()['lines'][0]['total'] ) );
		$sale = $this->pos( 'POST', '/sales', $body );
		$this->assertSame( 201, $sale->get_status(), wp_json_encode( $sale->get_data() ) );
		$this->assertSame( '15.00', $sale->get_data()['totals']['total'] );
	}

	public function test_a_sale_dated_outside_the_shops_window_is_refused_naming_at_and_changes_nothing(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 5 );
		$this->as_role( 'omnistock_cashier' );
		$now = Database::now_ms();
		// Backdated before the latest count, a sale would be absorbed by it: it would never lower the stock.
		$cases = array(
			'73 hours ago'     => array( 'at' => $now - 73 * 3600000 ),
			'in 10 minutes'    => array( 'at' => $now + 600000 ),
			'in the year 2100' => array( 'at' => 4102444800000 ),
		);
		foreach ( $cases as $what => $more ) {
			$response = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 1 ) ), '10.00', $more ) );
			$this->assertSame( 400, $response->get_status(), $what );
			$this->assertArrayHasKey( 'at', $response->as_error()->get_error_data()['params'], $what );
		}
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( '0', (string) Plugin::database()->value( 'SELECT COUNT(*) FROM ' . Sales::table() ) );

		// The shop sets the window: 2 hours refuses a sale of 3 hours ago, honours one of 1 hour ago.
		update_option( Sales::WINDOW_OPTION, 2 );
		try {
			$old = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'at' => $now - 3 * 3600000 ) ) );
			$this->assertSame( 400, $old->get_status() );
			$late = $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'at' => $now - 3600000 ) );
			$made = $this->pos( 'POST', '/sales', $late );
			$this->assertSame( 201, $made->get_status(), wp_json_encode( $made->get_data() ) );
		} finally {
			delete_option( Sales::WINDOW_OPTION );
		}
		$this->assertSame( (string) ( $now - 3600000 ), $this->sale_events( $late['id'] )[0]['at'] );
	}

	public function test_the_same_sale_id_with_another_body_is_422_naming_id_and_the_first_sale_stands(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 5 );
		$this->as_role( 'omnistock_cashier' );
		$first = $this->sale_body( array( array( $mug, 1 ) ), '10.00' );
		$made  = $this->pos( 'POST', '/sales', $first );
		$this->assertSame( 201, $made->get_status() );
		// The offline queue's second sale with the first one's id must not be dropped as a replay.
		$second = array( 'id' => $first['id'] ) + $this->sale_body( array( array( $mug, 3 ) ), '30.00' );
		$answer = $this->pos( 'POST', '/sales', $second );
		$this->assertSame( 422, $answer->get_status(), wp_json_encode( $answer->get_data() ) );
		$this->assertSame( 'omnistock_pos_id_reused', $answer->as_error()->get_error_code() );
		$this->assertArrayHasKey( 'id', $answer->as_error()->get_error_data()['params'] );
		$this->assertSame( array( $made->get_data()['order'] ), $this->orders_of_sale( $first['id'] ) );
		$this->assertSame( 4, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		// The same body, its keys in another order, is the same request.
		$again = $this->pos( 'POST', '/sales', array_reverse( $first, true ) );
		$this->assertSame( array( 200, $made->get_data()['order'] ), array( $again->get_status(), $again->get_data()['order'] ) );
		// A pending claim is the same: a twin with another body does not wait for it, nor resume it.
		$pending = $this->sale_body( array( array( $mug, 1 ) ), '10.00' );
		Plugin::database()->statement( Plugin::database()->prepare( 'INSERT INTO ' . Sales::table() . " (uuid, status, order_id, claimed_at, token, fingerprint) VALUES (%s, 'pending', 0, %d, 'x', %s)", $pending['id'], Database::now_ms() - 600000, Sales::fingerprint( $pending ) ) );
		$this->assertSame( 422, $this->pos( 'POST', '/sales', array( 'id' => $pending['id'] ) + $second )->get_status() );
		$this->assertSame( array(), $this->orders_of_sale( $pending['id'] ) );
	}

	public function test_a_resumed_sale_keeps_its_recorded_time_and_is_not_refused_by_the_window(): void {
		$mug = $this->simple( 0 );
		$now = Database::now_ms();
		Plugin::inventory()->record( array( array( 'id' => 'test:count:resume', 'kind' => 'count', 'product' => $mug->get_id(), 'location' => $this->loc[1], 'qty' => 5, 'at' => $now - 7200000 ) ) );
		$this->as_role( 'omnistock_cashier' );
		$body = $this->sale_body( array( array( $mug, 2 ) ), '20.00', array( 'at' => $now - 3600000 ) );
		// The first attempt takes the units and fails before the sale is finished.
		$fail = static function (): void {
			throw new \RuntimeException( 'lost connection' );
		};
		add_action( 'omnistock_products_changed', $fail, 1 );
		try {
			$this->pos( 'POST', '/sales', $body );
			$this->fail( 'the first attempt failed half-way' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'lost connection', $e->getMessage() );
		} finally {
			remove_action( 'omnistock_products_changed', $fail, 1 );
		}
		$this->assertSame( 3, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], 'the units left' );
		// By the retry, the shop narrowed its window: the sale is resumed all the same, at its time.
		update_option( Sales::WINDOW_OPTION, 0.5 );
		try {
			$retry = $this->pos( 'POST', '/sales', $body );
		} finally {
			delete_option( Sales::WINDOW_OPTION );
		}
		$this->assertSame( 201, $retry->get_status(), wp_json_encode( $retry->get_data() ) );
		$this->assertSame( array( $retry->get_data()['order'] ), $this->orders_of_sale( $body['id'] ) );
		$this->assertSame( 'completed', wc_get_order( $retry->get_data()['order'] )->get_status() );
		$this->assertSame( 3, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'] );
		$this->assertSame( (string) ( $now - 3600000 ), $this->sale_events( $body['id'] )[0]['at'] );
	}
}
