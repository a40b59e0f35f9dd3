<?php
/**
 * Reconciliation against the fake Square over real HTTP: a mapped cell's drift found and
 * corrected by the location's system of record, both ways; news the webhooks missed taken in;
 * a cell with our change on its way left alone; nothing changed when the provider cannot be read.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Connections;
use Omnistock\Connectors\CountReader;
use Omnistock\Connectors\ExternalCells;
use Omnistock\Connectors\Reconciler;
use Omnistock\Connectors\Secrets;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/FakeProvider.php';

final class ConnectorProvidersReconcileTest extends WcTestCase {

	private static ?FakeProvider $square = null;
	private static ?FakeProvider $clover = null;

	private Connections $connections;
	private ExternalCells $cells;
	private Connection $connection;
	/** @var list<array{0: int, 1: int, 2: int}> what the Reconciler asked the outbox to push */
	private array $touched = array();
	private int $a;
	private int $b;

	public static function setUpBeforeClass(): void {
		self::$square = FakeProvider::start( 'square', FakeProvider::port( 3 ) );
		self::$clover = FakeProvider::start( 'clover', FakeProvider::port( 4 ) );
	}

	public static function tearDownAfterClass(): void {
		self::$square?->stop();
		self::$clover?->stop();
		self::$square = null;
		self::$clover = null;
	}

	protected function setUp(): void {
		parent::setUp();
		$ch = curl_init( self::$square->url() . '/_fake/reset' );
		curl_setopt_array( $ch, array( CURLOPT_POST => true, CURLOPT_POSTFIELDS => '{}', CURLOPT_RETURNTRANSFER => true ) );
		curl_exec( $ch );
		curl_close( $ch );
		self::$square->config( array( 'token' => 'sq-token' ) );

		$tables            = new Tables( $GLOBALS['wpdb'] );
		$this->cells       = new ExternalCells( Plugin::database(), $tables, Plugin::inventory() );
		$this->connections = new Connections( Plugin::database(), $tables, new Secrets() );
		$this->connection  = $this->connections->create( 'square', 'Register', self::$square->url(), array( 'access_token' => 'sq-token' ), 'signature-key' );
		$this->a           = $this->simple( 0 )->get_id();
		$this->b           = $this->simple( 0 )->get_id();
		// Our stock before the mapping (a change of a mapped cell would queue its push, and
		// reconciliation leaves a cell with a pending push alone).
		Plugin::inventory()->record(
			array(
				array( 'id' => 'seed-a', 'kind' => 'count', 'product' => $this->a, 'location' => $this->loc[1], 'qty' => 10 ),
				array( 'id' => 'seed-b', 'kind' => 'count', 'product' => $this->b, 'location' => $this->loc[0], 'qty' => 10 ),
			)
		);
		// L1 is our Store, where we are the system of record; L2 our Warehouse, where Square is.
		$this->connections->set_locations(
			$this->connection->id,
			array(
				'L1' => $this->loc[1],
				'L2' => array(
					'location'         => $this->loc[0],
					'system_of_record' => 'provider',
				),
			)
		);
		$this->connections->set_items( $this->connection->id, array( 'VA' => $this->a, 'VB' => $this->b ) );
		self::$square->stock( 'VA', 'L1', 7 );  // 3 fewer than ours: we are right there.
		self::$square->stock( 'VA', 'L2', 0 );
		self::$square->stock( 'VB', 'L1', 0 );
		self::$square->stock( 'VB', 'L2', 12 ); // 2 more than ours: Square is right there.
		$this->touched = array();
	}

	private function reconciler(): Reconciler {
		$tables = new Tables( $GLOBALS['wpdb'] );
		return new Reconciler(
			Plugin::database(),
			$tables,
			Plugin::inventory(),
			$this->connections,
			$this->cells,
			new CountReader(),
			function ( int $connection, int $product, int $location ): void {
				$this->touched[] = array( $connection, $product, $location );
			}
		);
	}

	/**
	 * What the sync runner does after reconciling: drains the connection's outbox (a reconciling
	 * count is a change of a mapped cell, so it queues a push of our new number); its stats.
	 */
	private function drain( Connection $connection ): array {
		return Plugin::outbox()->drain( $connection, \Omnistock\Connectors\Providers::get( $connection->provider ) );
	}

	private static function by_cell( array $report ): array {
		$out = array();
		foreach ( $report['cells'] as $row ) {
			$out[ $row['item'] . '@' . $row['external_location'] ] = $row;
		}
		ksort( $out );
		return $out;
	}

	private function on_hand( int $product, int $location ): int {
		return $this->cell( $product, $location )['on_hand'];
	}

	public function test_drift_is_corrected_by_the_system_of_record_both_ways(): void {
		$report = $this->reconciler()->reconcile( $this->connection );
		$this->assertSame( 4, $report['read'] );
		$cells = self::by_cell( $report );
		$this->assertSame( array( 'VA@L1', 'VA@L2', 'VB@L1', 'VB@L2' ), array_keys( $cells ) );
		foreach ( $cells as $row ) {
			$this->assertSame( ExternalCells::BASELINE, $row['observed'], 'first sight of every cell' );
		}
		$this->assertSame( array( 7, 10, -3, 'push' ), array( $cells['VA@L1']['register'], $cells['VA@L1']['ours'], $cells['VA@L1']['drift'], $cells['VA@L1']['corrected'] ) );
		$this->assertSame( array( 12, 10, 2, 'count' ), array( $cells['VB@L2']['register'], $cells['VB@L2']['ours'], $cells['VB@L2']['drift'], $cells['VB@L2']['corrected'] ) );
		$this->assertSame( array( 0, null ), array( $cells['VA@L2']['drift'], $cells['VA@L2']['corrected'] ) );
		$this->assertSame( array( 0, null ), array( $cells['VB@L1']['drift'], $cells['VB@L1']['corrected'] ) );

		// Omnistock is right at the Store: our number is pushed again (and the drift stays noted until it lands).
		$this->assertSame( array( array( $this->connection->id, $this->a, $this->loc[1] ) ), $this->touched );
		$this->assertSame( -3, $this->cells->get( $this->connection->id, $this->a, $this->loc[1] )['drift'] );
		$this->assertSame( 10, $this->on_hand( $this->a, $this->loc[1] ), 'ours unchanged where we are the system of record' );
		$this->assertSame( 7, $this->cells->get( $this->connection->id, $this->a, $this->loc[1] )['ext_qty'] );

		// Square is right at the Warehouse: a count here, with its reason, and no drift left.
		$this->assertSame( 12, $this->on_hand( $this->b, $this->loc[0] ) );
		$this->assertNull( $this->cells->get( $this->connection->id, $this->b, $this->loc[0] )['drift'] );
		$event = Plugin::inventory()->ledger_tail( 1, $this->b, $this->loc[0] )[0];
		$this->assertSame( array( 'count', '12', 'reconcile', 'square', 'connection:' . $this->connection->id ), array( $event['kind'], $event['qty'], $event['reason'], $event['source'], $event['reference'] ) );
		$this->assertStringStartsWith( 'square:' . $this->connection->id . ':reconcile:' . $this->b . '-' . $this->loc[0] . ':', $event['event_id'] );
		$this->assertShopAgrees( wc_get_product( $this->b ), 'after the reconciling count' );
		$drained = $this->drain( $this->connection );
		$this->assertSame( array( 0, 1 ), array( $drained['pushed'], $drained['done'] ), 'the count\'s own push finds the register in step: nothing sent' );

		// Sales at the register whose webhooks never came: the next reconciliation takes them in as news.
		self::$square->sale( 'VA', 'L1', 2, '' );
		self::$square->sale( 'VB', 'L2', 1, '' );
		$this->touched = array();
		$cells         = self::by_cell( $this->reconciler()->reconcile( $this->connection ) );
		$this->assertSame( ExternalCells::APPLIED, $cells['VA@L1']['observed'] );
		$this->assertSame( 8, $this->on_hand( $this->a, $this->loc[1] ), 'the 2 sold at the register are sold here' );
		$this->assertSame( 'external_sale', Plugin::inventory()->ledger_tail( 1, $this->a, $this->loc[1] )[0]['reason'] );
		$this->assertSame( -3, $cells['VA@L1']['drift'], 'the difference of before is still there, and pushed again' );
		$this->assertSame( array( array( $this->connection->id, $this->a, $this->loc[1] ) ), $this->touched );
		$this->assertSame( ExternalCells::APPLIED, $cells['VB@L2']['observed'] );
		$this->assertSame( 11, $this->on_hand( $this->b, $this->loc[0] ) );
		$this->assertSame( array( 0, null ), array( $cells['VB@L2']['drift'], $cells['VB@L2']['corrected'] ), 'in step now' );

		// Read again with nothing new: every count is an echo of what we know, nothing moves.
		$cells = self::by_cell( $this->reconciler()->reconcile( $this->connection ) );
		$this->assertSame( ExternalCells::ECHO, $cells['VB@L2']['observed'] );
		$this->assertSame( 11, $this->on_hand( $this->b, $this->loc[0] ) );
		$this->assertSame( 8, $this->on_hand( $this->a, $this->loc[1] ) );
	}

	public function test_a_cell_with_our_change_on_its_way_is_left_alone(): void {
		$tables = new Tables( $GLOBALS['wpdb'] );
		Plugin::database()->statement(
			Plugin::database()->prepare(
				"INSERT INTO {$tables->outbox} (connector, event_id, product_id, location_id, payload, status, version, created_at) VALUES (%s, %s, %d, %d, '', 'pending', 1, %d)",
				(string) $this->connection->id,
				'cell:' . $this->b . ':' . $this->loc[0],
				$this->b,
				$this->loc[0],
				Database::now_ms()
			)
		);
		$cells = self::by_cell( $this->reconciler()->reconcile( $this->connection ) );
		$this->assertSame( 'skipped', $cells['VB@L2']['corrected'] );
		$this->assertNull( $cells['VB@L2']['drift'] );
		$this->assertSame( 10, $this->on_hand( $this->b, $this->loc[0] ), 'not counted over our pending change' );
		$this->assertSame( 'push', $cells['VA@L1']['corrected'], 'the other cells are reconciled' );

		$this->cells->begin_push( $this->connection->id, $this->a, $this->loc[1], 'omnistock-k', 3, 10 );
		$this->touched = array();
		$cells         = self::by_cell( $this->reconciler()->reconcile( $this->connection ) );
		$this->assertSame( ExternalCells::DEFERRED, $cells['VA@L1']['observed'] );
		$this->assertSame( 'skipped', $cells['VA@L1']['corrected'] );
		$this->assertSame( array(), $this->touched );
	}

	public function test_a_clover_register_is_reconciled_from_its_item_stocks(): void {
		$ch = curl_init( self::$clover->url() . '/_fake/reset' );
		curl_setopt_array( $ch, array( CURLOPT_POST => true, CURLOPT_POSTFIELDS => '{}', CURLOPT_RETURNTRANSFER => true ) );
		curl_exec( $ch );
		curl_close( $ch );
		self::$clover->config( array( 'merchant_id' => 'M1', 'token' => 'clv' ) );
		self::$clover->stock( 'IC', 'M1', 6 );
		$clover = $this->connections->create(
			'clover',
			'Café',
			self::$clover->url(),
			array(
				'access_token' => 'clv',
				'merchant_id'  => 'M1',
			),
			'auth-code'
		);
		$this->connections->set_locations( $clover->id, array( 'M1' => array( 'location' => $this->loc[2], 'system_of_record' => 'provider' ) ) );
		$this->connections->set_items( $clover->id, array( 'IC' => $this->a ) );

		$row = $this->reconciler()->reconcile( $clover )['cells'][0];
		$this->assertSame( array( ExternalCells::BASELINE, 6, 0, 6, 'count' ), array( $row['observed'], $row['register'], $row['ours'], $row['drift'], $row['corrected'] ) );
		$this->assertSame( 6, $this->on_hand( $this->a, $this->loc[2] ) );
		$this->assertStringStartsWith( 'clover:' . $clover->id . ':reconcile:', Plugin::inventory()->ledger_tail( 1, $this->a, $this->loc[2] )[0]['event_id'] );
		$drained = $this->drain( $clover );
		$this->assertSame( array( 0, 1 ), array( $drained['pushed'], $drained['done'] ), 'the count\'s own push finds the register in step: nothing sent' );

		self::$clover->sale( 'IC', 'M1', 2, '' );
		$row = $this->reconciler()->reconcile( $clover )['cells'][0];
		$this->assertSame( array( ExternalCells::APPLIED, 0, null ), array( $row['observed'], $row['drift'], $row['corrected'] ) );
		$this->assertSame( 4, $this->on_hand( $this->a, $this->loc[2] ) );
		$row = $this->reconciler()->reconcile( $clover )['cells'][0];
		$this->assertSame( ExternalCells::ECHO, $row['observed'], 'read again: dated later, nothing new' );
		$this->assertSame( 4, $this->on_hand( $this->a, $this->loc[2] ) );
		$this->assertSame( 10, $this->on_hand( $this->a, $this->loc[1] ), 'the Square connection\'s cell is another' );
	}

	public function test_nothing_changes_when_the_register_cannot_be_read(): void {
		self::$square->config( array( 'down' => true ) );
		try {
			$this->reconciler()->reconcile( $this->connection );
			$this->fail( 'Square is down' );
		} catch ( \Omnistock\Unavailable $e ) {
			$this->assertSame( 'omnistock_provider_unavailable', $e->error_code() );
		}
		$this->assertNull( $this->cells->get( $this->connection->id, $this->b, $this->loc[0] )['ext_qty'] );
		$this->assertSame( 10, $this->on_hand( $this->b, $this->loc[0] ) );
		$this->assertSame( array(), $this->touched );
	}
}
