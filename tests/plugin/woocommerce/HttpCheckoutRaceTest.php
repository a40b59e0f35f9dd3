<?php
/**
 * Twenty shoppers check out the last unit at the same time through the Store API, over HTTP,
 * against the site served by PHP's built-in server with 8 workers: one order is taken, stock ends
 * at 0, never below; the others get an error and no order is paid.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/StoreApiClient.php';

/**
 * @group concurrency
 */
final class HttpCheckoutRaceTest extends WcTestCase {

	private const SHOPPERS = 20;

	public function test_twenty_store_api_checkouts_for_the_last_unit(): void {
		$product = $this->simple( 1 );
		$port    = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$client  = new StoreApiClient( $port, 8 );
		try {
			$shoppers = array();
			for ( $i = 0; $i < self::SHOPPERS; $i++ ) {
				$shoppers[] = $client->shopper_with( $product->get_id(), 1 );
			}
			$answers = $client->checkout_all( $shoppers );
		} finally {
			$client->stop();
		}
		$ok     = array_values( array_filter( $answers, static fn( $a ) => 200 === $a['status'] ) );
		$errors = array_filter( $answers, static fn( $a ) => 200 !== $a['status'] );
		$this->assertCount( 1, $ok, 'exactly one checkout succeeds: ' . wp_json_encode( array_map( static fn( $a ) => array( $a['status'], $a['body']['code'] ?? null ), $answers ) ) );
		foreach ( $errors as $answer ) {
			$this->assertContains( $answer['body']['code'] ?? null, array( 'woocommerce_product_not_enough_stock', 'woocommerce_product_out_of_stock', 'woocommerce_rest_product_out_of_stock' ), 'an out-of-stock error: ' . wp_json_encode( $answer['body'] ) );
		}
		// Which refusal each got depends on timing: Omnistock's hold (not_enough_stock) or, once the
		// written-back stock reached 0, WooCommerce's own cart check (out_of_stock).
		fwrite( STDERR, sprintf( "HTTP race: 1 order taken, refusals %s\n", wp_json_encode( array_count_values( array_map( static fn( $a ) => (string) ( $a['body']['code'] ?? $a['status'] ), $errors ) ) ) ) );
		wp_cache_flush();
		$order = wc_get_order( $ok[0]['body']['order_id'] );
		$this->assertSame( 'processing', $order->get_status() );
		$paid = wc_get_orders(
			array(
				'status' => array( 'processing', 'on-hold', 'completed' ),
				'limit'  => -1,
				'return' => 'ids',
			)
		);
		$this->assertSame( array( $order->get_id() ), array_values( array_intersect( $paid, array_map( static fn( $a ) => (int) ( $a['body']['order_id'] ?? 0 ), $answers ) ) ) );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 1, 1, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ) );
		$this->assertSame( 0, (int) get_post_meta( $product->get_id(), '_stock', true ) );
		$this->assertShopAgrees( $product, 'after the HTTP race' );
	}
}
