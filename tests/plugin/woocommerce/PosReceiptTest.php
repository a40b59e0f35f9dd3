<?php
/**
 * Receipts of POS sales: the printable page (80 mm and A4) with the right figures, refused without
 * the capability or with a bad nonce, in process and over real HTTP; the e-mail to the customer.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;
use Omnistock\Pos\Receipts;

require_once __DIR__ . '/lib/PosDrawerTestCase.php';

final class PosReceiptTest extends PosDrawerTestCase {

	/** @var list<array> Mails wp_mail() was asked to send. */
	private array $mails = array();
	/** @var array<string, mixed> The shop's settings this test changes, as they were. */
	private array $settings = array();

	protected function setUp(): void {
		parent::setUp();
		// The bootstrap's pre_wp_mail (priority 10) drops mails; this one, later, records them.
		add_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 99, 2 );
		Plugin::locations()->update(
			$this->loc[1],
			array( 'address' => "Kastanienallee 7\n10435 Berlin" )
		);
		$shop = array(
			'woocommerce_store_address'   => 'Hauptstr. 1',
			'woocommerce_store_address_2' => '',
			'woocommerce_store_postcode'  => '10115',
			'woocommerce_store_city'      => 'Berlin',
			'woocommerce_default_country' => 'DE:BE',
			'woocommerce_currency'        => 'EUR',
		);
		foreach ( $shop as $name => $value ) {
			$this->settings[ $name ] = get_option( $name );
			update_option( $name, $value );
		}
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 99 );
		remove_all_filters( 'wp_die_handler' );
		$_GET = array();
		unset( $_REQUEST['_wpnonce'] );
		foreach ( $this->settings as $name => $value ) {
			update_option( $name, $value );
		}
		parent::tearDown();
	}

	/**
	 * Records a mail and keeps the earlier filter's answer.
	 *
	 * @param mixed $short An earlier answer.
	 * @param array $atts  wp_mail()'s arguments.
	 */
	public function capture_mail( $short, $atts ) {
		$this->mails[] = $atts;
		return $short;
	}

	/**
	 * A sale of 3 mugs at 10.00 with a 10 % coupon and 19 % VAT: 30.00 − 3.00 + 5.13 = 32.13, paid
	 * 12.13 by card and 20.00 cash from a 50.00 note (30.00 change).
	 */
	private function sale( string $email = 'kim@example.org' ): \WC_Order {
		$this->vat();
		$coupon = new \WC_Coupon();
		$coupon->set_code( 'tenoff-' . strtolower( wp_generate_password( 5, false ) ) );
		$coupon->set_discount_type( 'percent' );
		$coupon->set_amount( 10 );
		$coupon->save();
		return $this->pos_sale(
			$this->loc[1],
			array( array( $this->product( '10.00', 'Blue mug' ), 3 ) ),
			array(
				array(
					'method'    => 'card',
					'amount'    => '12.13',
					'reference' => 'AUTH-777',
				),
				array(
					'method'   => 'cash',
					'amount'   => '20.00',
					'tendered' => '50.00',
				),
			),
			array(
				'email'   => $email,
				'coupons' => array( $coupon->get_code() ),
			)
		);
	}

	private function receipts(): Receipts {
		return new Receipts( Plugin::locations(), Plugin::staff() );
	}

	public function test_the_receipt_shows_shop_location_lines_discount_tax_payments_and_change_in_both_formats(): void {
		$order = $this->sale();
		$this->assertSame( array( '32.13', '3.00', '5.13' ), array( $order->get_total(), wc_format_decimal( $order->get_discount_total(), 2 ), $order->get_total_tax() ), 'WooCommerce computed the sale as the test expects' );
		foreach ( array( '80mm' => '80mm auto', 'a4' => 'size:A4' ) as $format => $page ) {
			$html = $this->receipts()->document( $order, $format );
			$this->assertStringContainsString( $page, $html, $format );
			$this->assertStringContainsString( '@media print', $html, $format );
			$text = self::text( $html );
			foreach ( array(
				'Omnistock tests',
				'Hauptstr. 1',
				'10115 Berlin',
				'Store',
				'Kastanienallee 7',
				'Receipt #' . $order->get_order_number(),
				'Cashier: Carla Cashier',
				'Blue mug',
				'3 × €10.00',
				'Subtotal €30.00',
				'Coupon (' . $order->get_coupon_codes()[0] . ') -€3.00',
				'VAT €5.13',
				'Total €32.13',
				'Card (AUTH-777) €12.13',
				'Cash €50.00',
				'Change €30.00',
			) as $expected ) {
				$this->assertStringContainsString( $expected, $text, "$format: $expected" );
			}
		}
		$this->refund( $order, '2.13' );
		$this->assertStringContainsString( '-€2.13', self::text( $this->receipts()->document( wc_get_order( $order->get_id() ), 'a4' ) ), 'refunds show' );
		$this->expectException( \InvalidArgumentException::class );
		Receipts::url( $order->get_id(), 'letter' );
	}

	public function test_the_page_is_refused_without_the_capability_or_with_a_bad_nonce(): void {
		$order = $this->sale();
		add_filter(
			'wp_die_handler',
			static fn() => static function ( $message, $title, $args ) {
				throw new \RuntimeException( 'wp_die ' . ( $args['response'] ?? 500 ) );
			}
		);
		$ask = function ( string $nonce ) use ( $order ): string {
			$_GET['order']    = (string) $order->get_id();
			$_GET['format']   = 'a4';
			$_GET['_wpnonce'] = $nonce;
			$_REQUEST['_wpnonce'] = $nonce;
			try {
				return $this->receipts()->page();
			} catch ( \RuntimeException $e ) {
				return $e->getMessage();
			}
		};
		$good = wp_parse_args( wp_parse_url( Receipts::url( $order->get_id(), 'a4' ), PHP_URL_QUERY ) )['_wpnonce'];
		$this->assertStringContainsString( 'Total', self::text( $ask( $good ) ), 'the cashier with a good nonce gets it' );
		$this->assertSame( 'wp_die 403', $ask( 'bad' ), 'bad nonce' );
		$other = wp_create_nonce( Receipts::nonce_action( $order->get_id() + 1 ) );
		$this->assertSame( 'wp_die 403', $ask( $other ), "another order's nonce" );
		wp_set_current_user( $this->user( 'subscriber' ) );
		$this->assertSame( 'wp_die 403', $ask( wp_create_nonce( Receipts::nonce_action( $order->get_id() ) ) ), 'no capability' );
		wp_set_current_user( $this->cashier );
		$online = $this->order( array( array( $this->product( '5.00' ), 1 ) ) );
		$_GET['order'] = (string) $online->get_id();
		$nonce         = wp_create_nonce( Receipts::nonce_action( $online->get_id() ) );
		$_GET['_wpnonce'] = $nonce;
		$_REQUEST['_wpnonce'] = $nonce;
		try {
			$this->receipts()->page();
			$this->fail( 'an online order has no POS receipt' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'wp_die 404', $e->getMessage() );
		}
	}

	public function test_the_page_over_http_for_the_cashier_and_refused_to_others(): void {
		$order      = $this->sale();
		$cashier    = $this->browser( $this->cashier, fn() => Receipts::url( $order->get_id(), '80mm' ) );
		$subscriber = $this->user( 'subscriber' );
		$stranger   = $this->browser( $subscriber, fn() => Receipts::url( $order->get_id(), '80mm' ) );
		$this->over_http(
			function ( string $base ) use ( $cashier, $stranger, $order ) {
				$url = $cashier['value']; // The site's URL names the port it is served on.
				$this->assertStringStartsWith( $base . '/wp-admin/admin-post.php?', $url );
				$page = self::http( 'GET', $url, array( 'Cookie: ' . $cashier['cookie'] ) );
				$this->assertSame( 200, $page['status'], substr( $page['body'], 0, 500 ) );
				$this->assertStringContainsString( 'Total €32.13', self::text( $page['body'] ) );
				$this->assertStringContainsString( 'Change €30.00', self::text( $page['body'] ) );

				$bad = self::http( 'GET', preg_replace( '/_wpnonce=\w+/', '_wpnonce=0badc0ffee', $url ), array( 'Cookie: ' . $cashier['cookie'] ) );
				$this->assertSame( 403, $bad['status'], 'bad nonce' );
				$this->assertStringNotContainsString( '32.13', $bad['body'] );

				$sub = self::http( 'GET', $stranger['value'], array( 'Cookie: ' . $stranger['cookie'] ) );
				$this->assertSame( 403, $sub['status'], 'subscriber' );
				$this->assertStringNotContainsString( '32.13', $sub['body'] );

				$anonymous = self::http( 'GET', $url );
				$this->assertSame( 302, $anonymous['status'], 'anonymous' );
				$this->assertStringContainsString( 'wp-login.php', $anonymous['location'] );
				$this->assertStringNotContainsString( '32.13', $anonymous['body'] );
			}
		);
	}

	public function test_the_receipt_is_emailed_to_the_customer(): void {
		$order = $this->sale( 'kim@example.org' );
		// WooCommerce's own mails of a completed order are not the receipt.
		$this->mails = array();
		$sent  = $this->ok( $this->rest( 'POST', '/pos/sales/' . $order->get_id() . '/email', array() ) );
		$this->assertSame( array( true, 'kim@example.org' ), array( $sent['sent'], $sent['to'] ) );
		$this->assertCount( 1, $this->mails );
		$mail = $this->mails[0];
		$this->assertSame( 'kim@example.org', is_array( $mail['to'] ) ? implode( ',', $mail['to'] ) : $mail['to'] );
		$this->assertStringContainsString( '#' . $order->get_order_number(), $mail['subject'] );
		$text = self::text( $mail['message'] );
		$this->assertStringContainsString( 'Total €32.13', $text );
		$this->assertStringContainsString( 'Change €30.00', $text );
		$this->assertStringContainsString( 'text/html', is_array( $mail['headers'] ) ? implode( "\n", $mail['headers'] ) : (string) $mail['headers'] );

		// Another address when the cashier types one; a guest without one must give it.
		$this->ok( $this->rest( 'POST', '/pos/sales/' . $order->get_id() . '/email', array( 'email' => 'other@example.org' ) ) );
		$this->assertSame( 'other@example.org', is_array( $this->mails[1]['to'] ) ? implode( ',', $this->mails[1]['to'] ) : $this->mails[1]['to'] );
		$guest       = $this->pos_sale( $this->loc[1], array( array( $this->product( '1.00' ), 1 ) ), array( array( 'method' => 'cash', 'amount' => '1.19' ) ) );
		$this->mails = array();
		$none  = $this->rest( 'POST', '/pos/sales/' . $guest->get_id() . '/email', array() );
		$this->assertSame( array( 400, 'email' ), array( $none->get_status(), $none->get_data()['data']['field'] ) );
		$bad = $this->rest( 'POST', '/pos/sales/' . $guest->get_id() . '/email', array( 'email' => 'not-an-address' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertSame( array(), $this->mails, 'no address, no mail' );
		$online      = $this->order( array( array( $this->product( '5.00' ), 1 ) ) );
		$this->mails = array();
		$this->assertSame( 404, $this->rest( 'POST', '/pos/sales/' . $online->get_id() . '/email', array() )->get_status(), 'not a POS sale' );
		$this->assertSame( array(), $this->mails, 'the refusals sent nothing' );
	}

	public function test_the_sale_answer_links_to_its_receipt(): void {
		$mug  = $this->product( '7.50', 'Green mug' );
		$sale = $this->ok(
			$this->rest(
				'POST',
				'/pos/sales',
				array(
					'id'       => wp_generate_uuid4(),
					'location' => $this->loc[1],
					'lines'    => array(
						array(
							'product' => $mug->get_id(),
							'qty'     => 2,
						),
					),
					'coupons'  => array(),
					'customer' => null,
					'payments' => array(
						array(
							'method'   => 'cash',
							'amount'   => '15.00',
							'tendered' => '20.00',
						),
					),
				)
			),
			201
		);
		$this->assertSame( '5.00', $sale['change'] );
		parse_str( (string) wp_parse_url( $sale['receipt_url'], PHP_URL_QUERY ), $query );
		$this->assertSame( array( 'omnistock_receipt', (string) $sale['order'], '80mm' ), array( $query['action'], $query['order'], $query['format'] ) );
		$_GET                 = $query;
		$_REQUEST['_wpnonce'] = $query['_wpnonce'];
		$text                 = self::text( $this->receipts()->page() );
		foreach ( array( 'Green mug', '2 × €7.50', 'Total €15.00', 'Cash €20.00', 'Change €5.00' ) as $expected ) {
			$this->assertStringContainsString( $expected, $text );
		}
	}

	public function test_line_and_order_discounts_show_on_the_receipt_and_in_the_day_report(): void {
		$this->vat();
		wp_set_current_user( 1 ); // Discounts need omnistock_pos_discount: a shop manager or administrator.
		$mug  = $this->product( '10.00', 'Red mug' );
		$sale = $this->ok(
			$this->rest(
				'POST',
				'/pos/sales',
				array(
					'id'       => wp_generate_uuid4(),
					'location' => $this->loc[1],
					'lines'    => array(
						array(
							'product'  => $mug->get_id(),
							'qty'      => 2,
							'discount' => '5.00',
						),
					),
					'discount' => '2.00',
					'coupons'  => array(),
					'customer' => null,
					'payments' => array(
						array(
							'method'    => 'card',
							'amount'    => '15.47',
							'reference' => 'D-1',
						),
					),
				)
			),
			201
		);
		// 2 × 10.00 − 5.00 = 15.00; − 2.00 order discount; VAT 19 % of 13.00 = 2.47; total 15.47.
		$this->assertSame( array( '15.47', '2.47' ), array( $sale['totals']['total'], $sale['totals']['tax'] ) );
		$text = self::text( $this->receipts()->document( wc_get_order( $sale['order'] ), '80mm' ) );
		foreach ( array( 'Red mug', '2 × €10.00 €20.00', 'Discount -€5.00', 'Subtotal €15.00', 'POS discount -€2.00', 'VAT €2.47', 'Total €15.47', 'Card (D-1) €15.47' ) as $expected ) {
			$this->assertStringContainsString( $expected, $text );
		}
		$this->assertStringNotContainsString( 'Change', $text, 'no cash, no change' );
		$day = $this->day_report( $this->loc[1] );
		$this->assertSame( array( 1, '7.00', '2.47', '15.47', '15.47' ), array( $day['orders'], $day['discounts'], $day['tax'], $day['sales']['card'], $day['sales']['total'] ) );
	}

	public function test_a_line_discount_on_prices_including_tax_is_counted_before_tax(): void {
		$this->vat();
		$this->settings['woocommerce_prices_include_tax'] = get_option( 'woocommerce_prices_include_tax' );
		update_option( 'woocommerce_prices_include_tax', 'yes' );
		wp_set_current_user( 1 );
		$mug  = $this->product( '11.90', 'Tall mug' ); // 10.00 + 19 %.
		$sale = $this->ok(
			$this->rest(
				'POST',
				'/pos/sales',
				array(
					'id'       => wp_generate_uuid4(),
					'location' => $this->loc[1],
					'lines'    => array(
						array(
							'product'  => $mug->get_id(),
							'qty'      => 2,
							'discount' => '5.95', // As shown, tax included: 5.00 before tax.
						),
					),
					'coupons'  => array(),
					'customer' => null,
					'payments' => array(
						array(
							'method' => 'cash',
							'amount' => '17.85',
						),
					),
				)
			),
			201
		);
		$this->assertSame( array( '17.85', '2.85' ), array( $sale['totals']['total'], $sale['totals']['tax'] ) );
		$text = self::text( $this->receipts()->document( wc_get_order( $sale['order'] ), 'a4' ) );
		foreach ( array( '2 × €10.00 €20.00', 'Discount -€5.00', 'Subtotal €15.00', 'VAT €2.85', 'Total €17.85' ) as $expected ) {
			$this->assertStringContainsString( $expected, $text );
		}
		$day = $this->day_report( $this->loc[1] );
		$this->assertSame( array( '5.00', '2.85', '17.85' ), array( $day['discounts'], $day['tax'], $day['sales']['cash'] ) );
	}
}
