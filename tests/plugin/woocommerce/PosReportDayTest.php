<?php
/**
 * End-of-day report of a location: POS sales of that day in the shop's timezone by payment method,
 * discounts, tax, refunds made that day, the drawer sessions; other days, locations, channels and
 * cancelled sales left out.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\WooCommerce\OrderStock;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosReportDayTest extends PosDrawerTestCase {

	private string $timezone;

	protected function setUp(): void {
		parent::setUp();
		$this->timezone = (string) get_option( 'timezone_string' );
		update_option( 'timezone_string', 'Pacific/Auckland' ); // Far from UTC: a UTC day would be wrong.
	}

	protected function tearDown(): void {
		update_option( 'timezone_string', $this->timezone );
		parent::tearDown();
	}

	public function test_the_day_of_a_location_by_payment_method_with_discounts_tax_and_refunds(): void {
		$this->vat();
		$store    = $this->loc[1];
		$midnight = new \DateTimeImmutable( 'today', wp_timezone() );
		$today    = $midnight->format( 'Y-m-d' );
		$this->assertGreaterThan( $midnight->getTimestamp() + 1, time(), 'the test needs a second of today behind it' );
		$coupon = new \WC_Coupon();
		$coupon->set_code( 'ten-' . strtolower( wp_generate_password( 5, false ) ) );
		$coupon->set_discount_type( 'percent' );
		$coupon->set_amount( 10 );
		$coupon->save();
		$mug     = $this->product( '10.00', 'Mug' );
		$session = $this->ok(
			$this->rest(
				'POST',
				'/pos/sessions',
				array(
					'location' => $store,
					'float'    => '50.00',
				)
			),
			201
		)['id'];

		// 30.00 − 3.00 + 19 % = 32.13 cash from 40.00 (7.87 change).
		$coupon_sale = $this->pos_sale(
			$store,
			array( array( $mug, 3 ) ),
			array( array( 'method' => 'cash', 'amount' => '32.13', 'tendered' => '40.00' ) ),
			array(
				'session' => $session,
				'coupons' => array( $coupon->get_code() ),
			)
		);
		$this->assertSame( '32.13', $coupon_sale->get_total() );
		$card_sale = $this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'card', 'amount' => '11.90', 'reference' => 'T1' ) ), array( 'session' => $session ) );
		// The first second of the shop's day counts.
		$this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '11.90' ) ), array( 'at' => $midnight->getTimestamp() + 1 ) );

		// Left out: the day before (a minute before midnight), another location, a cancelled sale, an online order.
		$yesterday = $this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '11.90' ) ), array( 'at' => $midnight->getTimestamp() - 60 ) );
		$this->pos_sale( $this->loc[0], array( array( $mug, 2 ) ), array( array( 'method' => 'cash', 'amount' => '23.80' ) ) );
		$this->pos_sale( $store, array( array( $mug, 1 ) ), array( array( 'method' => 'cash', 'amount' => '11.90' ) ), array( 'status' => 'cancelled' ) );
		$online = $this->order( array( array( $mug, 4 ) ) );
		$online->update_meta_data( '_omnistock_location', (string) $store );
		$online->update_meta_data( OrderStock::STATE, 'fulfilled' );
		$online->set_status( 'completed' );
		$online->save();

		// Refunds made today: 5.00 cash and 1.90 card of today's sales, 2.00 cash of yesterday's.
		$this->refund( $coupon_sale, '5.00' );
		$this->refund( $card_sale, '1.90' );
		$this->refund( $yesterday, '2.00' );

		$report = $this->day_report( $store, $today );
		$this->assertSame( array( $store, $today, 'Pacific/Auckland' ), array( $report['location'], $report['date'], $report['timezone'] ) );
		$this->assertSame( 3, $report['orders'] );
		$this->assertSame(
			array(
				'cash'  => '44.03',
				'card'  => '11.90',
				'total' => '55.93',
			),
			$report['sales']
		);
		$this->assertSame(
			array( '50.00', '3.00', '8.93', '7.87' ),
			array( $report['subtotal'], $report['discounts'], $report['tax'], $report['change'] )
		);
		$this->assertSame( array( '8.90', '7.00', '1.90', 3 ), array( $report['refunds'], $report['refunds_by_method']['cash'], $report['refunds_by_method']['card'], $report['refund_count'] ) );
		$this->assertSame( '47.03', $report['net'] );
		$this->assertCount( 1, $report['sessions'] );
		$drawer = $report['sessions'][0];
		// 50.00 float + 32.13 cash − 7.00 cash refunded while it was open.
		$this->assertSame( array( $session, 'open', '32.13', '11.90', '7.00', '75.13' ), array( $drawer['id'], $drawer['status'], $drawer['sales']['cash'], $drawer['sales']['card'], $drawer['refunds']['cash'], $drawer['expected'] ) );

		$before = $this->day_report( $store, $midnight->modify( '-1 day' )->format( 'Y-m-d' ) );
		$this->assertSame( array( 1, '11.90', '0.00', '0.00', array() ), array( $before['orders'], $before['sales']['cash'], $before['sales']['card'], $before['refunds'], $before['sessions'] ) );
		$elsewhere = $this->day_report( $this->loc[0], $today );
		$this->assertSame( array( 1, '23.80', '0.00' ), array( $elsewhere['orders'], $elsewhere['sales']['total'], $elsewhere['refunds'] ) );
		$empty = $this->day_report( $this->loc[2], $today );
		$this->assertSame( array( 0, '0.00', '0.00', '0.00' ), array( $empty['orders'], $empty['sales']['total'], $empty['tax'], $empty['refunds'] ) );

		// A sale in a drawer session counts on the day its session opened (the server's clock), not by
		// its order's date, which the client's `at` set: re-dated three days back, it stays today's.
		$card_sale->set_date_created( $midnight->getTimestamp() - 3 * DAY_IN_SECONDS + 3600 );
		$card_sale->save();
		$again = $this->day_report( $store, $today );
		$this->assertSame( array( 3, '11.90', '55.93' ), array( $again['orders'], $again['sales']['card'], $again['sales']['total'] ) );
		$then = $this->day_report( $store, $midnight->modify( '-3 days' )->format( 'Y-m-d' ) );
		$this->assertSame( array( 0, '0.00' ), array( $then['orders'], $then['sales']['total'] ) );
	}

	public function test_a_bad_day_or_location_is_refused_naming_it(): void {
		foreach ( array(
			array( array( 'location' => $this->loc[0], 'date' => '2026-02-30' ), 'date' ),
			array( array( 'location' => $this->loc[0], 'date' => '27.11.2026' ), 'date' ),
			array( array( 'location' => $this->loc[0] ), 'date' ),
			array( array( 'location' => 987654321, 'date' => '2026-11-27' ), 'location' ),
			array( array( 'date' => '2026-11-27' ), 'location' ),
		) as list( $query, $field ) ) {
			$response = $this->rest( 'GET', '/pos/reports/day', null, $query );
			$this->assertSame( 400, $response->get_status(), wp_json_encode( $query ) );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'], wp_json_encode( $query ) );
		}
	}
}
