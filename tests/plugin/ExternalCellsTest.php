<?php
/**
 * What a register's counts mean here (Connectors\ExternalCells): news, echoes, stale and deferred observations.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\ExternalCells;
use Omnistock\Connectors\Secrets;

final class ExternalCellsTest extends TestCase {

	private ExternalCells $cells;
	private Connections $connections;
	private int $connection;
	private int $item;

	protected function setUp(): void {
		parent::setUp();
		$this->cells       = new ExternalCells( $this->db, $this->tables, $this->inventory );
		$this->connections = new Connections( $this->db, $this->tables, new Secrets( str_repeat( 'k', 32 ) ) );
		$this->connection  = $this->connections->create( 'square', 'Register', 'http://127.0.0.1:1', array( 'access_token' => 'tok' ), 'whsec' )->id;
		$this->item        = $this->product();
		$this->connections->set_locations( $this->connection, array( 'L1' => $this->loc[0] ) );
		$this->connections->set_items( $this->connection, array( 'V1' => $this->item ) );
		$this->inventory->record( array( self::ev( 'seed-' . $this->item, 'count', $this->item, $this->loc[0], 10, 1000 ) ) );
	}

	private function observe( int $qty, int $at, string $id ): string {
		return $this->cells->observe( $this->connection, $this->item, $this->loc[0], $qty, $at, "square:{$this->connection}:$id:0", array( 'source' => 'square', 'reason' => 'external_sale' ) );
	}

	private function on_hand(): int {
		return $this->level( $this->item, $this->loc[0] )[0];
	}

	public function test_mapping_gives_the_cell_its_row_and_unmapping_takes_it(): void {
		$this->assertNotNull( $this->cells->get( $this->connection, $this->item, $this->loc[0] ) );
		$this->assertSame( array( $this->item, $this->loc[0] ), $this->connections->cell( $this->connection, 'V1', 'L1' ) );
		$this->assertNull( $this->connections->cell( $this->connection, 'V1', 'L2' ) );
		$this->connections->set_items( $this->connection, array() );
		$this->assertNull( $this->cells->get( $this->connection, $this->item, $this->loc[0] ) );
	}

	public function test_first_sight_is_a_baseline_then_only_the_registers_own_change_is_news(): void {
		$this->assertSame( ExternalCells::BASELINE, $this->observe( 8, 2000, 'a' ) );
		$this->assertSame( 10, $this->on_hand(), 'a baseline applies nothing: the register shows available, not on hand' );
		$this->assertSame( ExternalCells::APPLIED, $this->observe( 6, 3000, 'b' ) );
		$this->assertSame( 8, $this->on_hand(), 'two sold at the register' );
		$this->assertSame( ExternalCells::ECHO, $this->observe( 6, 3000, 'b-again' ), 'the same count at the same time again' );
		$this->assertSame( ExternalCells::STALE, $this->observe( 7, 2500, 'older' ), 'older than what the register showed since' );
		$this->assertSame( 8, $this->on_hand() );
		$this->assertSame( 2, $this->ledger_rows(), 'the seed and one adjust' );
		$this->assertNoDrift();
	}

	public function test_a_webhook_is_deferred_while_our_push_is_in_flight_and_the_answer_separates_our_delta_from_theirs(): void {
		$this->observe( 10, 2000, 'base' );
		$this->cells->begin_push( $this->connection, $this->item, $this->loc[0], 'k1', -2, 8 );
		// The register sold one just before our push (-2) landed: it shows 9 at 3000, then 9 - 2 = 7 at 4000.
		$this->assertSame( ExternalCells::DEFERRED, $this->observe( 7, 4000, 'after-push' ) );
		$this->assertSame( ExternalCells::APPLIED, $this->cells->acknowledged( $this->connection, $this->item, $this->loc[0], 'k1', array( 'qty' => 7, 'at' => 4000 ), "square:{$this->connection}:push:k1", array( 'source' => 'square' ) ) );
		$this->assertSame( 9, $this->on_hand(), 'the register\'s own sale, not our push, moved on hand' );
		$this->assertSame( ExternalCells::ECHO, $this->observe( 7, 4000, 'after-push' ), 'the echo of our push, processed after the answer' );
		$this->assertSame( ExternalCells::STALE, $this->observe( 9, 3000, 'their-sale' ), 'the sale\'s own webhook, late: already counted' );
		$this->assertSame( 9, $this->on_hand() );
		$row = $this->cells->get( $this->connection, $this->item, $this->loc[0] );
		$this->assertSame( array( 7, -2, -1, '' ), array( $row['ext_qty'], $row['pushed'], $row['applied'], $row['inflight_key'] ) );
		$this->assertNoDrift();
	}

	public function test_an_answer_for_another_push_changes_nothing(): void {
		$this->observe( 10, 2000, 'base' );
		$this->cells->begin_push( $this->connection, $this->item, $this->loc[0], 'k2', -1, 9 );
		$this->assertSame( ExternalCells::STALE, $this->cells->acknowledged( $this->connection, $this->item, $this->loc[0], 'k1', array( 'qty' => 1, 'at' => 5000 ), 'square:x:push:k1', array() ) );
		$this->assertSame( 10, $this->on_hand() );
		$this->cells->abandon( $this->connection, $this->item, $this->loc[0], 'k2' );
		$this->assertSame( '', $this->cells->get( $this->connection, $this->item, $this->loc[0] )['inflight_key'] );
		$this->assertSame( ExternalCells::APPLIED, $this->observe( 9, 6000, 'c' ), 'webhooks go on once the push is given up' );
	}

	/**
	 * Every order of the same deliveries ends with the same on hand: only the newest count counts.
	 */
	public function test_any_arrival_order_gives_the_same_level(): void {
		$deliveries = array( array( 9, 3000, 'd1' ), array( 7, 4000, 'd2' ), array( 8, 3500, 'd3' ), array( 4, 6000, 'd4' ) );
		$this->observe( 10, 2000, 'base' );
		$orders = array( array( 0, 1, 2, 3 ), array( 3, 2, 1, 0 ), array( 2, 0, 3, 1 ), array( 1, 3, 0, 2 ) );
		$seen   = array();
		foreach ( $orders as $n => $order ) {
			$item = $this->product();
			$this->connections->set_items( $this->connection, array( 'V' . $n => $item ) );
			$this->inventory->record( array( self::ev( "seed-$item", 'count', $item, $this->loc[0], 10, 1000 ) ) );
			$this->cells->observe( $this->connection, $item, $this->loc[0], 10, 2000, "square:o$n:base", array() );
			foreach ( $order as $i ) {
				list( $qty, $at, $id ) = $deliveries[ $i ];
				$this->cells->observe( $this->connection, $item, $this->loc[0], $qty, $at, "square:o$n:$id", array() );
			}
			$seen[] = $this->level( $item, $this->loc[0] )[0];
		}
		$this->assertSame( array( 4, 4, 4, 4 ), $seen, 'the register went from 10 to 4: six sold there, whatever the order' );
		$this->assertNoDrift();
	}

	public function test_where_the_register_is_the_system_of_record_its_first_count_is_adopted(): void {
		$this->connections->set_locations(
			$this->connection,
			array(
				'L1' => array(
					'location'         => $this->loc[0],
					'system_of_record' => 'provider',
				),
			)
		);
		$now = \Omnistock\Inventory\Database::now_ms();
		$this->assertSame( ExternalCells::BASELINE, $this->cells->observe( $this->connection, $this->item, $this->loc[0], 7, $now, "square:{$this->connection}:a:0", array( 'source' => 'square' ), true ) );
		$this->assertSame( 7, $this->on_hand(), 'ten here, the register shows seven and is right: seven' );
		$event = $this->inventory->ledger_tail( 1, $this->item, $this->loc[0] )[0];
		$this->assertSame( array( 'adjust', '-3', 'reconcile', 'square' ), array( $event['kind'], $event['qty'], $event['reason'], $event['source'] ) );
		$this->assertSame( 7, $this->cells->get( $this->connection, $this->item, $this->loc[0] )['ext_qty'] );
		// Its next count is news on top, even dated before the adoption (kept while unmapped): the two
		// sales since are not lost to a push of ours.
		$this->assertSame( ExternalCells::APPLIED, $this->cells->observe( $this->connection, $this->item, $this->loc[0], 5, $now + 1, "square:{$this->connection}:b:0", array( 'source' => 'square' ), true ) );
		$this->assertSame( 5, $this->on_hand() );
		$this->assertNoDrift();
	}
}
