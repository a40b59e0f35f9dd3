<?php
/**
 * A checkout whose hold fails for another reason than stock (a full holds segment) or that an
 * anonymous cap refuses: the shopper reads WooCommerce's out-of-stock wording, never the
 * segment's name or sizes; the operator finds the details in the log and an admin notice.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\PickupSupply;
use Omnistock\Inventory\Postcodes;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\ShmHolds;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;
use Omnistock\WooCommerce\CheckoutHolds;
use Omnistock\WooCommerce\Integration;
use Omnistock\WooCommerce\OrderDestination;
use Omnistock\WooCommerce\OrderStock;
use Omnistock\WooCommerce\ProductStock;

final class CheckoutHoldFailureTest extends WcTestCase {

	/**
	 * Messages WooCommerce's logger was given for the source "omnistock".
	 *
	 * @var list<string>
	 */
	private array $logged = array();

	protected function setUp(): void {
		parent::setUp();
		delete_option( OrderStock::HOLD_FAILURES );
		add_filter( 'woocommerce_logger_log_message', array( $this, 'log' ), 10, 4 );
	}

	protected function tearDown(): void {
		remove_filter( 'woocommerce_logger_log_message', array( $this, 'log' ), 10 );
		remove_all_filters( 'omnistock_checkout_hold_caps' );
		delete_option( OrderStock::HOLD_FAILURES );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * The woocommerce_logger_log_message filter: keeps what is logged for Omnistock.
	 */
	public function log( $message, $level, $context, $handler ) {
		if ( 'omnistock' === ( $context['source'] ?? '' ) ) {
			$this->logged[] = (string) $message;
		}
		return $message;
	}

	/**
	 * An OrderStock over $inventory, wired as Integration wires the shop's.
	 */
	private static function order_stock( Inventory $inventory ): OrderStock {
		$router = new Router( $inventory, Plugin::locations() );
		return new OrderStock( $inventory, $router, new ProductStock( $inventory, $router ), new CheckoutHolds( $inventory, Plugin::hold_claims() ), new PickupSupply( $inventory, Plugin::locations() ), Plugin::locations(), new OrderDestination( new Postcodes( Plugin::database(), new Tables( Plugin::database()->wpdb ) ) ) );
	}

	public function test_a_full_segment_shows_the_shopper_woocommerces_wording_and_the_operator_the_details(): void {
		if ( ! class_exists( \Omnistock\Holds::class ) ) {
			$this->markTestSkipped( 'needs the extension' );
		}
		// A segment of its own, filled with cells, so no new cell fits (the shop's is left alone).
		$name  = 'omnistock-test-full-' . getmypid();
		$holds = new \Omnistock\Holds( $name );
		$path  = $holds->stats()['path'];
		try {
			$made = 0;
			foreach ( array( 1000, 100, 10, 1 ) as $size ) {
				while ( true ) {
					$cells = array();
					for ( $i = 0; $i < $size; $i++ ) {
						$cells[] = array( 'fill-' . $made++, 'x' );
					}
					try {
						$holds->lock( $cells )->release(); // All or none: the last cells fit one by one.
					} catch ( \Omnistock\SegmentFull $full ) {
						break;
					}
					$this->assertLessThan( 1000000, $made, 'the segment fills' );
				}
			}
			global $wpdb;
			$tables    = new Tables( $wpdb );
			$inventory = new Inventory( Plugin::database(), $tables, new ShmHolds( $holds, Plugin::database(), $tables ) );
			$product   = $this->simple( 5 );
			$order     = $this->order( array( array( $product, 1 ) ) );

			$message = self::order_stock( $inventory )->hold( $order );

			$this->assertSame( sprintf( __( 'Not enough units of %s are available in stock to fulfil this order.', 'woocommerce' ), $product->get_name() ), $message ); // phpcs:ignore WordPress.WP.I18n
			foreach ( array( $name, 'segment', 'bytes', 'SegmentFull', (string) $holds->stats()['bytes_total'] ) as $secret ) {
				$this->assertStringNotContainsStringIgnoringCase( $secret, (string) $message, 'the shopper is not told about the segment' );
			}
			$this->assertNull( OrderStock::state( $this->fresh( $order ) ), 'nothing is held' );
			$this->assertSame( 0, $this->cell( $product->get_id(), $this->loc[0] )['held'] + $this->cell( $product->get_id(), $this->loc[1] )['held'] );

			$this->assertCount( 1, array_unique( $this->logged ), 'logged once (each log handler passes it through the filter)' );
			$this->assertStringContainsString( 'Omnistock\\SegmentFull', $this->logged[0], 'the log names the error' );
			$this->assertStringContainsString( 'Order ' . $order->get_id(), $this->logged[0] );

			wp_set_current_user( 1 );
			ob_start();
			Integration::hold_failures_notice();
			$notice = (string) ob_get_clean();
			$this->assertStringContainsString( 'notice-error', $notice );
			$this->assertStringContainsString( 'SegmentFull', $notice, 'the operator reads the error in the admin notice' );
			wp_set_current_user( 0 );
			ob_start();
			Integration::hold_failures_notice();
			$this->assertSame( '', (string) ob_get_clean(), 'shoppers never see it' );
		} finally {
			unset( $inventory, $holds );
			if ( is_string( $path ) && file_exists( $path ) ) {
				unlink( $path );
			}
		}
	}

	public function test_an_anonymous_checkout_over_its_cap_reads_woocommerces_wording_and_a_customer_still_checks_out(): void {
		add_filter(
			'omnistock_checkout_hold_caps',
			static fn() => array(
				'session'   => 0,
				'address'   => 1,
				'anonymous' => 0,
			)
		);
		$product = $this->simple( 5 );
		$stock   = self::order_stock( Plugin::inventory() );
		$orders  = array();
		foreach ( array( 0, 0, 1 ) as $customer ) {
			$order = $this->order( array( array( $product, 1 ) ) );
			$order->set_customer_ip_address( '198.51.100.4' );
			$order->set_customer_id( $customer );
			$order->save();
			$orders[] = $order;
		}
		$this->assertNull( $stock->hold( $orders[0] ), 'the first anonymous checkout holds' );
		$message = $stock->hold( $orders[1] );
		$this->assertSame( sprintf( __( 'Not enough units of %s are available in stock to fulfil this order.', 'woocommerce' ), $product->get_name() ), $message ); // phpcs:ignore WordPress.WP.I18n
		$this->assertNull( OrderStock::state( $this->fresh( $orders[1] ) ), 'the capped checkout holds nothing' );
		$this->assertNull( $stock->hold( $orders[2] ), 'a logged-in customer from the same address is not capped' );
		$this->assertStringContainsString( 'address cap', implode( "\n", $this->logged ) );
		$this->assertFalse( get_option( OrderStock::HOLD_FAILURES ), 'a cap is not a failure to report' );

		$stock->cancelled( $orders[0]->get_id() );
		$this->assertNull( $stock->hold( $orders[1] ), 'a cancelled checkout gives its place back' );
	}
}
