<?php
/**
 * POST /omnistock/v1/connections/<id>/reconcile against the fake Square: the register's counts read
 * now, drift corrected by each location's system of record, the report answered; only for those who
 * manage Omnistock; 404 for a connection that does not exist.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Sync;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/FakeProvider.php';
require_once __DIR__ . '/lib/ConnectorTestCase.php';

final class ConnectorReconcileRouteTest extends ConnectorTestCase {

	private static ?FakeProvider $square = null;

	public static function setUpBeforeClass(): void {
		self::$square = FakeProvider::start( 'square', FakeProvider::port( 5 ) );
	}

	public static function tearDownAfterClass(): void {
		self::$square?->stop();
		self::$square = null;
	}

	/**
	 * A Square connection: our Store is its L1 (we are the system of record there), our Warehouse
	 * its L2 (Square is); VA and VB are two products with 10 each, Square shows 7 of VA at L1
	 * and 12 of VB at L2 (first seen: baselines with drift).
	 *
	 * @return array{0: int, 1: int, 2: int} connection id, product a, product b
	 */
	private function square_connection(): array {
		self::$square->config( array( 'token' => 'sq-token' ) );
		$connection = Plugin::connections()->create( 'square', 'Register', self::$square->url(), array( 'access_token' => 'sq-token' ), 'signature-key' );
		$a          = $this->simple( 0 )->get_id();
		$b          = $this->simple( 0 )->get_id();
		// Our stock before the maps: no change of ours is on its way, the register's counts are first seen.
		Plugin::inventory()->record(
			array(
				array( 'id' => 'seed-a-' . $a, 'kind' => 'count', 'product' => $a, 'location' => $this->loc[1], 'qty' => 10 ),
				array( 'id' => 'seed-b-' . $b, 'kind' => 'count', 'product' => $b, 'location' => $this->loc[0], 'qty' => 10 ),
			)
		);
		Plugin::connections()->set_locations(
			$connection->id,
			array(
				'L1' => $this->loc[1],
				'L2' => array(
					'location'         => $this->loc[0],
					'system_of_record' => 'provider',
				),
			)
		);
		Plugin::connections()->set_items( $connection->id, array( 'VA' => $a, 'VB' => $b ) );
		self::$square->stock( 'VA', 'L1', 7 );
		self::$square->stock( 'VA', 'L2', 0 );
		self::$square->stock( 'VB', 'L1', 0 );
		self::$square->stock( 'VB', 'L2', 12 );
		return array( $connection->id, $a, $b );
	}

	public function test_reconcile_now_answers_the_report_and_corrects_by_the_system_of_record(): void {
		list( $id, $a, $b ) = $this->square_connection();
		// A reconciliation a minute ago: the recurring job would not run one now; on demand does.
		$GLOBALS['wpdb']->query( $GLOBALS['wpdb']->prepare( "UPDATE {$this->tables()->connections} SET last_reconcile_at = %d WHERE id = %d", (int) ( microtime( true ) * 1000 ) - 60000, $id ) );
		$this->assertNull( Plugin::sync()->run( $id, true )['reconciled'], 'the recurring run does not reconcile again within 5 minutes' );

		$response = $this->rest( 'POST', "/connections/$id/reconcile" );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report = $response->get_data();
		$this->assertSame( array( $id, 'ran', 4 ), array( $report['connection'], $report['status'], $report['read'] ) );
		$cells = array();
		foreach ( $report['cells'] as $row ) {
			$cells[ $row['item'] . '@' . $row['external_location'] ] = array( $row['register'], $row['ours'], $row['drift'], $row['corrected'] );
		}
		ksort( $cells );
		$this->assertSame(
			array(
				'VA@L1' => array( 7, 10, -3, 'push' ),   // We are right at the Store: our 10 goes to Square.
				'VA@L2' => array( 0, 0, 0, null ),
				'VB@L1' => array( 0, 0, 0, null ),
				'VB@L2' => array( 12, 10, 2, 'count' ), // Square is right at the Warehouse: we count 12.
			),
			$cells
		);
		$this->assertSame( 12, $this->cell( $b, $this->loc[0] )['on_hand'] );
		$this->assertSame( 10, $this->cell( $a, $this->loc[1] )['on_hand'], 'our number where we are the system of record is kept' );
		$this->assertSame( 10, self::$square->counts()["VA\nL1"]['qty'], 'the correction was pushed in the same run' );
		$this->assertArrayHasKey( 'pushed', $report['sync'] );
		$this->assertArrayNotHasKey( 'reconciled', $report['sync'] );

		$again = $this->rest( 'POST', "/connections/$id/reconcile" )->get_data();
		$this->assertSame( array( 0 ), array_values( array_unique( array_column( $again['cells'], 'drift' ) ) ), 'nothing left to correct' );
	}

	public function test_only_those_who_manage_omnistock_may_and_an_unknown_connection_is_404(): void {
		list( $id ) = $this->square_connection();
		$before     = count( self::$square->requests() );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->rest( 'POST', "/connections/$id/reconcile" )->get_status() );
		$subscriber = wp_insert_user(
			array(
				'user_login' => 'sub' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => 'subscriber',
			)
		);
		wp_set_current_user( $subscriber );
		$this->assertSame( 403, $this->rest( 'POST', "/connections/$id/reconcile" )->get_status() );
		$this->assertSame( $before, count( self::$square->requests() ), 'the register was not read' );
		wp_set_current_user( 1 );
		$response = $this->rest( 'POST', '/connections/999999/reconcile' );
		$this->assertSame( 404, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
	}

	public function test_a_connection_busy_in_another_process_is_503_and_nothing_is_read(): void {
		list( $id ) = $this->square_connection();
		list( $host, $port ) = explode( ':', DB_HOST ) + array( 1 => '3306' );
		$other               = new \mysqli( $host, DB_USER, DB_PASSWORD, DB_NAME, (int) $port );
		$this->assertSame( '1', (string) $other->query( "SELECT GET_LOCK('" . Sync::LOCK_PREFIX . $id . "', 0)" )->fetch_row()[0], 'another process holds the connection' );
		$before   = count( self::$square->requests() );
		$response = $this->rest( 'POST', "/connections/$id/reconcile" );
		$other->close();
		$this->assertSame( 503, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'omnistock_sync_busy', $response->get_data()['code'] );
		$this->assertSame( $before, count( self::$square->requests() ) );
	}

	private function tables(): Tables {
		return new Tables( $GLOBALS['wpdb'] );
	}
}
