<?php
/**
 * Several processes at once against one backend: no oversell, nothing lost or applied twice.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

trait ConcurrencyRules {

	public function test_twenty_processes_racing_for_the_last_unit_one_wins(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$this->inventory->record( array( self::ev( 'last', 'count', $p, $a, 1, 100 ) ) );
		$workers = new Workers( $this->backend_name() );
		for ( $w = 0; $w < 20; $w++ ) {
			$workers->start(
				'race',
				array(
					'product'  => $p,
					'location' => $a,
					'worker'   => $w,
				)
			);
		}
		$workers->go();
		$codes = $workers->finish();
		$this->assertSame( array_fill( 0, 20, 0 ), $codes, 'every worker exits cleanly' );
		$held      = 0;
		$committed = 0;
		for ( $w = 0; $w < 20; $w++ ) {
			$result     = $workers->lines( $w, 'committed' );
			$this->assertCount( 1, $result, "worker $w reported" );
			$held      += $result[0]['held'] ? 1 : 0;
			$committed += $result[0]['committed'] ? 1 : 0;
		}
		$this->assertSame( 1, $held, 'exactly one hold succeeds' );
		$this->assertSame( 1, $committed, 'exactly one commit succeeds' );
		$this->assertSame( array( 1, 1 ), $this->level( $p, $a ) );
		$this->assertSame( 0, $this->cell( $p, $a )['sellable'] );
		$this->assertNoDrift();
	}

	public function test_pos_sales_racing_with_checkouts_never_oversell(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$this->inventory->record( array( self::ev( 'stock', 'count', $p, $a, 40, 100 ) ) );
		$workers = new Workers( $this->backend_name() );
		for ( $w = 0; $w < 6; $w++ ) {
			$workers->start(
				$w % 2 ? 'pos' : 'web',
				array(
					'product'  => $p,
					'location' => $a,
					'worker'   => $w,
					'n'        => 15,
				)
			);
		}
		$workers->go();
		$this->assertSame( array_fill( 0, 6, 0 ), $workers->finish() );
		$committed = 0;
		$sold      = 0;
		$refused   = 0;
		for ( $w = 0; $w < 6; $w++ ) {
			$result = $workers->lines( $w, 'sold' );
			$this->assertCount( 1, $result, "worker $w reported" );
			$committed += $result[0]['committed'];
			$sold      += $result[0]['sold'];
			$refused   += $result[0]['refused'];
		}
		[$on_hand, $level_committed] = $this->level( $p, $a );
		$this->assertGreaterThan( 0, $refused, '90 attempts of 1-2 units on 40 units: some must be refused' );
		$this->assertSame( 40 - $sold, $on_hand, 'every unit sold left on_hand once' );
		$this->assertSame( $committed, $level_committed, 'every unit committed is committed once' );
		$this->assertLessThanOrEqual( 40, $sold + $committed, 'no oversell' );
		$this->assertGreaterThanOrEqual( 0, $this->cell( $p, $a )['sellable'] );
		$this->assertNoDrift();
	}

	public function test_a_worker_killed_in_the_middle_of_record_loses_nothing_and_applies_nothing_twice(): void {
		[$a, $b] = $this->loc;
		$p       = $this->product();
		$n       = 12;
		$this->inventory->record( array( self::ev( 'base', 'count', $p, $a, 100, 1 ) ) );
		$workers = new Workers( $this->backend_name() );
		for ( $w = 0; $w < 3; $w++ ) {
			$workers->start(
				'record',
				array(
					'product'  => $p,
					'location' => $a,
					'to'       => $b,
					'worker'   => $w,
					'n'        => $n,
					'pause_us' => 20000,
				)
			);
		}
		$workers->go();
		// Kill worker 0 while it is inside record(): after it began batch 4 and before it acknowledged it.
		$workers->wait_for( fn() => count( $workers->lines( 0, 'begin' ) ) >= 5, 60, 'worker 0 to begin batch 4' );
		usleep( 5000 );
		$workers->kill( 0 );
		$codes = $workers->finish();
		$this->assertSame( -SIGKILL, $codes[0] );
		$this->assertSame( array( 0, 0 ), array( $codes[1], $codes[2] ) );

		$acked = count( $workers->lines( 0, 'ack' ) );
		$this->assertLessThan( $n, $acked, 'the worker was killed before the end' );
		// Every acknowledged batch is in the ledger, whole; the one it was in is whole or absent.
		$stored = array();
		foreach ( $this->db->rows( "SELECT event_id FROM {$this->tables->ledger} WHERE event_id LIKE 'rec:0:%'" ) as $row ) {
			$stored[ $row['event_id'] ] = true;
		}
		for ( $i = 0; $i < $acked; $i++ ) {
			$this->assertArrayHasKey( "rec:0:$i:in", $stored );
			$this->assertArrayHasKey( "rec:0:$i:move", $stored );
		}
		$this->assertSame( isset( $stored[ "rec:0:$acked:in" ] ), isset( $stored[ "rec:0:$acked:move" ] ), 'a batch is all or nothing' );
		$this->assertNoDrift();

		// Recovery: the sender retries every batch of the killed worker; each applies exactly once.
		$applied = 0;
		for ( $i = 0; $i < $n; $i++ ) {
			$r        = $this->inventory->record( omnistock_test_batch( 0, $i, $p, $a, $b ) );
			$applied += $r['applied'];
			$this->assertSame( 2, $r['applied'] + $r['duplicates'] );
			$this->assertSame( array(), $r['conflicts'] );
		}
		$this->assertSame( 2 * $n - count( $stored ), $applied );
		// 3 workers x n batches, each +2 at a then 1 moved to b.
		$this->assertSame( array( 100 + 3 * $n, 0 ), $this->level( $p, $a ) );
		$this->assertSame( array( 3 * $n, 0 ), $this->level( $p, $b ) );
		$this->assertSame( 1 + 3 * $n * 2, $this->ledger_rows() );
		$this->assertNoDrift();
		$report = array_column( ( new \Omnistock\Inventory\Doctor( $this->db, $this->tables, $this->inventory->backend() ) )->report(), null, 'check' );
		$this->assertSame( 'ok', $report['drift']['status'], 'doctor finds no drift' );
		$this->assertStringContainsString( 'none', $report['drift']['detail'] );
		// The cells are usable at once (a dead lock holder's locks were recovered).
		$this->assertTrue( $this->inventory->hold( 'after-crash', array( array( $p, $a, 1 ) ), 60 )['ok'] );
	}
}
