<?php
/**
 * A Shopify compare and set refused as stale (a register sale crossed our push): the push is given
 * up, the register's webhook is taken in, and the next push compares against its new number — the
 * register's sale is counted here and our change reaches it, neither lost.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\ExternalCells;
use Omnistock\Connectors\Providers;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/FakeProvider.php';

final class ConnectorStaleCompareTest extends WcTestCase {

	private static ?FakeProvider $shopify = null;

	public static function setUpBeforeClass(): void {
		self::$shopify = FakeProvider::start( 'shopify', FakeProvider::port( 7 ) );
	}

	public static function tearDownAfterClass(): void {
		self::$shopify?->stop();
		self::$shopify = null;
	}

	public function test_a_stale_compare_is_given_up_and_the_next_push_compares_with_the_registers_new_number(): void {
		self::$shopify->config( array( 'token' => 'shpat-cas', 'secret' => 'cas-secret' ) );
		$product     = $this->simple( 0 )->get_id();
		$connections = Plugin::connections();
		$connection  = $connections->create( 'shopify', 'Shopify POS', self::$shopify->url(), array( 'access_token' => 'shpat-cas' ), 'cas-secret' );
		$id          = $connection->id;
		$connections->set_locations( $id, array( '55' => $this->loc[1] ) ); // We are the system of record: sets, compared.
		$connections->set_items( $id, array( '2001' => $product ) );
		Plugin::inventory()->record( array( array( 'id' => "cas-seed-$product", 'kind' => 'count', 'product' => $product, 'location' => $this->loc[1], 'qty' => 10 ) ) );
		self::$shopify->stock( '2001', '55', 10 );
		$cells = Plugin::external_cells();
		$t0 = \Omnistock\Inventory\Database::now_ms();
		$this->assertSame( ExternalCells::BASELINE, $cells->observe( $id, $product, $this->loc[1], 10, $t0, "shopify:$id:base:0", array() ) );
		global $wpdb;
		$tables = new Tables( $wpdb );
		$wpdb->query( $wpdb->prepare( "UPDATE {$tables->outbox} SET status = 'done' WHERE connector = %s", (string) $id ) ); // The seed is what the register shows.

		// Two sold here; at the same moment one sold at the register, whose webhook has not come yet.
		Plugin::inventory()->record( array( array( 'id' => "cas-web-$product", 'kind' => 'adjust', 'product' => $product, 'location' => $this->loc[1], 'qty' => -2 ) ) );
		self::$shopify->sale( '2001', '55', 1, '' );
		$shopify = Providers::get( 'shopify' );
		$report  = Plugin::outbox()->drain( $connection, $shopify );
		$this->assertSame( array( 1, 0, 1 ), array( $report['pushed'], $report['acknowledged'], $report['failed'] ), 'the set from 10 is refused: the register shows 9' );
		$this->assertSame( '', $cells->get( $id, $product, $this->loc[1] )['inflight_key'], 'a refused compare is not in flight: it was surely not applied' );

		// The register's webhook (9, later than the baseline) is news, not deferred behind the refused push.
		$this->assertSame( ExternalCells::APPLIED, $cells->observe( $id, $product, $this->loc[1], 9, $t0 + 5, "shopify:$id:sale:0", array( 'source' => 'shopify' ) ) );
		$this->assertSame( 7, $this->cell( $product, $this->loc[1] )['on_hand'], 'ten, two sold here, one at the register' );

		$wpdb->query( $wpdb->prepare( "UPDATE {$tables->outbox} SET next_attempt_at = 0 WHERE connector = %s", (string) $id ) ); // Its backoff over.
		$report = Plugin::outbox()->drain( $connection, $shopify );
		$this->assertSame( array( 1, 1 ), array( $report['pushed'], $report['acknowledged'] ) );
		$this->assertSame( 7, self::$shopify->counts()[ "2001\n55" ]['qty'], 'the register shows our number, compared against its 9' );
		$sets = array_values( array_filter( self::$shopify->requests(), static fn( array $r ): bool => str_contains( $r['body'], 'inventorySetQuantities' ) ) );
		$this->assertCount( 2, $sets );
		$this->assertStringContainsString( '"changeFromQuantity":9', $sets[1]['body'] );
		$this->assertSame( 7, $cells->get( $id, $product, $this->loc[1] )['ext_qty'] );
	}
}
