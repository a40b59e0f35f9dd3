<?php
/**
 * Twenty buyers pay for the last unit at the same instant, each in its own PHP process, through
 * WooCommerce's $order->payment_complete(): exactly one unit is sold, stock ends at 0 and never
 * below, the other nineteen orders are on hold with a note. (WooCommerce alone sells all twenty
 * and ends at −19.)
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\WooCommerce\OrderStock;

/**
 * @group concurrency
 */
final class PaymentRaceTest extends WcTestCase {

	private const BUYERS = 20;

	public function test_twenty_buyers_pay_for_the_last_unit_at_once(): void {
		$product = $this->simple( 1 );
		$orders  = array();
		for ( $i = 0; $i < self::BUYERS; $i++ ) {
			// Orders whose checkout hold is gone (created without one): payment alone decides.
			$orders[] = $this->order( array( array( $product, 1 ) ) );
		}
		$go       = sys_get_temp_dir() . '/omnistock-wc-go-' . getmypid() . '-' . uniqid();
		$children = array();
		foreach ( $orders as $order ) {
			$proc       = proc_open(
				array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), __DIR__ . '/workers/pay.php', $go, (string) $order->get_id() ),
				array(
					1 => array( 'pipe', 'w' ),
					2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ),
				),
				$pipes
			);
			$children[] = array( $proc, $pipes[1] );
		}
		foreach ( $children as list( , $out ) ) {
			$this->assertStringContainsString( 'ready', (string) fgets( $out ), 'buyer started' );
		}
		touch( $go );
		$results = array();
		foreach ( $children as list( $proc, $out ) ) {
			$results[] = json_decode( (string) fgets( $out ), true );
			fclose( $out );
			proc_close( $proc );
		}
		unlink( $go );

		$this->assertCount( self::BUYERS, array_filter( $results, static fn( $r ) => is_array( $r ) && true === $r['paid'] ), 'every payment_complete() returned' );
		$statuses = array();
		$notes    = 0;
		foreach ( $orders as $order ) {
			$fresh                                = $this->fresh( $order );
			$statuses[ $fresh->get_status() ][] = $fresh->get_id();
			if ( 'on-hold' === $fresh->get_status() ) {
				$this->assertSame( 'short', $fresh->get_meta( OrderStock::STATE ) );
				foreach ( wc_get_order_notes( array( 'order_id' => $fresh->get_id() ) ) as $note ) {
					if ( str_contains( $note->content, 'Omnistock: paid, but the stock is no longer there' ) && str_contains( $note->content, $product->get_name() ) ) {
						++$notes;
					}
				}
			}
		}
		$this->assertCount( 1, $statuses['processing'] ?? array(), 'exactly one order sold: ' . wp_json_encode( array( $statuses, $results, $this->cell( $product->get_id(), $this->loc[0] ) ) ) );
		$this->assertCount( self::BUYERS - 1, $statuses['on-hold'] ?? array(), 'the others on hold' );
		$this->assertSame( self::BUYERS - 1, $notes, 'each on-hold order says which line and why' );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 1, 1, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'one unit committed, none oversold' );
		$this->assertSame( 0, (int) get_post_meta( $product->get_id(), '_stock', true ), 'stock 0, never negative' );
		$this->assertShopAgrees( $product, 'after the race' );
		// The shop manager's notice names every one of them (19 processes reported at once).
		wp_set_current_user( 1 );
		ob_start();
		\Omnistock\WooCommerce\Integration::short_orders_notice( \Omnistock\Plugin::inventory() );
		$notice = (string) ob_get_clean();
		foreach ( $statuses['on-hold'] as $order_id ) {
			$this->assertStringContainsString( '#' . wc_get_order( $order_id )->get_order_number(), $notice, 'the shop manager is told' );
		}
		// The ledger records each refused commitment (kind short), and the levels stay its fold.
		global $wpdb;
		$tables = new \Omnistock\Inventory\Tables( $wpdb );
		$shorts = $wpdb->get_results( $wpdb->prepare( "SELECT event_id, product_id, location_id, qty, reason, reference FROM {$tables->ledger} WHERE kind = 'short' AND product_id = %d ORDER BY event_id", $product->get_id() ), ARRAY_A );
		$this->assertCount( self::BUYERS - 1, $shorts, 'one short row per on-hold order' );
		foreach ( $statuses['on-hold'] as $order_id ) {
			$row = array_values( array_filter( $shorts, static fn( $r ) => 'order:' . $order_id === $r['reference'] ) );
			$this->assertCount( 1, $row, "order $order_id has its short row" );
			$this->assertSame( array( "wc:order:$order_id:short:{$product->get_id()}:{$this->loc[0]}", '1', 'paid-unavailable' ), array( $row[0]['event_id'], $row[0]['qty'], $row[0]['reason'] ) );
		}
		$this->assertSame( array(), ( new \Omnistock\Inventory\LedgerFold( \Omnistock\Plugin::database(), $tables ) )->drift()['drift'], 'short rows move no level' );
	}
}
