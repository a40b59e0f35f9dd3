<?php
/**
 * One line-discount rule: the discount before tax a POS line gets is decided once, when the order
 * is built, and quote, sale, receipt and day report all show that amount; a price edited later
 * changes none of them; orders stored before that amount was kept fall back to the stored amounts.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\Pos\Receipts;
use Omnistock\Pos\SaleDiscounts;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosLineDiscountTest extends PosDrawerTestCase {

	/** @var array<string, mixed> The shop's settings this test changes, as they were. */
	private array $settings = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( array( 'woocommerce_prices_include_tax' => 'yes' ) as $name => $value ) {
			$this->settings[ $name ] = get_option( $name );
			update_option( $name, $value );
		}
		$this->vat();
		wp_set_current_user( 1 );
	}

	protected function tearDown(): void {
		foreach ( $this->settings as $name => $value ) {
			update_option( $name, $value );
		}
		parent::tearDown();
	}

	/**
	 * 11.90 with 19 % VAT included, 0.47 off as shown: 0.47 × 10.00 ÷ 11.90 = 0.3950 before tax,
	 * 0.39. Read back from the line's stored amounts (9.61 and 1.82 tax after the discount) the
	 * same rule gives 0.47 × 9.61 ÷ 11.43 = 0.3952, 0.40: before the one decided amount, the quote
	 * said 0.39 and the receipt and report 0.40.
	 *
	 * @return array{0: \WC_Product_Simple, 1: array, 2: array} The product, the quote, the sale.
	 */
	private function sell(): array {
		$mug  = $this->product( '11.90', 'Tall mug' );
		$cart = array(
			'location' => $this->loc[1],
			'lines'    => array(
				array(
					'product'  => $mug->get_id(),
					'qty'      => 1,
					'discount' => '0.47',
				),
			),
			'coupons'  => array(),
			'customer' => null,
		);
		$quote = $this->ok( $this->rest( 'POST', '/pos/quote', $cart ) );
		$sale  = $this->ok(
			$this->rest(
				'POST',
				'/pos/sales',
				$cart + array(
					'id'       => wp_generate_uuid4(),
					'payments' => array(
						array(
							'method' => 'cash',
							'amount' => $quote['total'],
						),
					),
				)
			),
			201
		);
		return array( $mug, $quote, $sale );
	}

	/**
	 * The line discount the receipt prints.
	 */
	private function receipt_discount( int $order_id ): string {
		$text = self::text( ( new Receipts( Plugin::locations(), Plugin::staff() ) )->document( wc_get_order( $order_id ), 'a4' ) );
		$this->assertSame( 1, preg_match( '/Discount -\D*(\d+\.\d+)/u', $text, $m ), $text );
		return $m[1];
	}

	/**
	 * The day report's discounts at the sale's location.
	 */
	private function report_discounts(): string {
		$day = $this->day_report( $this->loc[1] );
		return $day['discounts'];
	}

	public function test_quote_sale_receipt_and_report_show_the_one_discount_decided_when_the_order_was_built(): void {
		list( , $quote, $sale ) = $this->sell();
		$this->assertSame( '11.43', $quote['total'], 'WooCommerce priced the line as the test expects' );
		$item = current( wc_get_order( $sale['order'] )->get_items() );
		$this->assertSame( '0.39', $item->get_meta( Meta::LINE_DISCOUNT_NET ), 'the line keeps the discount decided when it was built' );
		$this->assertSame( 39, SaleDiscounts::line( $item, 2 ) );
		$this->assertSame(
			array(
				'quote line'  => '0.39',
				'quote'       => '0.39',
				'sale'        => '0.39',
				'receipt'     => '0.39',
				'report'      => '0.39',
				'quote total'   => '11.43',
				'sale total'    => '11.43',
			),
			array(
				'quote line'  => $quote['lines'][0]['discount'],
				'quote'       => $quote['discount'],
				'sale'        => $sale['totals']['discount'],
				'receipt'     => $this->receipt_discount( $sale['order'] ),
				'report'      => $this->report_discounts(),
				'quote total'   => $quote['total'],
				'sale total'    => $sale['totals']['total'],
			)
		);
	}

	public function test_a_price_edited_after_the_sale_changes_neither_receipt_nor_report(): void {
		list( $mug, , $sale ) = $this->sell();
		$text = self::text( ( new Receipts( Plugin::locations(), Plugin::staff() ) )->document( wc_get_order( $sale['order'] ), 'a4' ) );
		$mug->set_regular_price( '23.80' );
		$mug->save();
		$this->assertSame( $text, self::text( ( new Receipts( Plugin::locations(), Plugin::staff() ) )->document( wc_get_order( $sale['order'] ), 'a4' ) ), 'the whole receipt is as printed at the sale' );
		$this->assertSame( array( '0.39', '0.39' ), array( $this->receipt_discount( $sale['order'] ), $this->report_discounts() ) );
	}

	public function test_a_line_stored_without_the_decided_discount_reads_the_tax_exclusive_part_of_its_stored_amounts(): void {
		list( $mug, , $sale ) = $this->sell();
		// An order from before the decided amount was kept: only the discount as typed is on the line.
		$order = wc_get_order( $sale['order'] );
		foreach ( $order->get_items() as $item ) {
			$this->assertSame( '0.47', $item->get_meta( Meta::LINE_DISCOUNT ) );
			$item->delete_meta_data( Meta::LINE_DISCOUNT_NET );
			$item->save();
		}
		$mug->set_regular_price( '23.80' );
		$mug->save();
		// 0.47 × 9.61 ÷ (9.61 + 1.82), of the line as stored; today's price plays no part.
		$this->assertSame( array( '0.40', '0.40' ), array( $this->receipt_discount( $sale['order'] ), $this->report_discounts() ) );
	}
}

