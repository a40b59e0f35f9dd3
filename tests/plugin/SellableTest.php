<?php
/**
 * Omnistock\Inventory\Sellable: a cell's sellable, its SQL base, the online total (locations that
 * ship online or offer pickup) and its inverse.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Inventory\Sellable;

final class SellableTest extends \PHPUnit\Framework\TestCase {

	/**
	 * A cell as Inventory::stock() lists it.
	 */
	private static function cell( int $on_hand, int $committed, int $safety, int $held, bool $ships, bool $pickup = false ): array {
		return array(
			'ships_online'  => $ships,
			'offers_pickup' => $pickup,
			'on_hand'       => $on_hand,
			'committed'     => $committed,
			'safety'        => $safety,
			'held'          => $held,
			'sellable'      => Sellable::of( $on_hand, $committed, $safety, $held ),
		);
	}

	public function test_sellable_is_on_hand_less_committed_safety_and_held_and_may_go_below_zero(): void {
		$this->assertSame( 3, Sellable::of( 10, 4, 2, 1 ) );
		$this->assertSame( 4, Sellable::of( 10, 4, 2 ), 'without holds: the base' );
		$this->assertSame( -2, Sellable::of( 5, 4, 2, 1 ) );
		$this->assertSame( Sellable::of( 10, 4, 2, 1 ), Sellable::less_held( Sellable::of( 10, 4, 2 ), 1 ) );
	}

	public function test_the_sql_base_is_what_the_database_computes(): void {
		global $wpdb;
		$this->assertSame( 'on_hand - committed - safety', Sellable::base_sql() );
		$this->assertSame( 'v.on_hand - v.committed - v.safety', Sellable::base_sql( 'v' ) );
		$row = $wpdb->get_row( 'SELECT ' . Sellable::base_sql( 'v' ) . ' AS base FROM (SELECT 10 AS on_hand, 4 AS committed, 2 AS safety) v', ARRAY_A );
		$this->assertSame( '', $wpdb->last_error );
		$this->assertSame( Sellable::of( 10, 4, 2 ), (int) $row['base'] );
	}

	public function test_online_sums_what_is_sellable_at_locations_that_ship_online_or_offer_pickup(): void {
		$cells = array(
			self::cell( 10, 2, 1, 2, true ),         // 5
			self::cell( 3, 4, 0, 0, true ),          // -1: counts as 0
			self::cell( 50, 0, 0, 0, false ),        // neither ships nor offers pickup
			self::cell( 7, 0, 0, 0, true ),          // 7
			self::cell( 9, 1, 2, 1, false, true ),   // 5: a pickup store
			self::cell( 4, 0, 0, 0, true, true ),    // 4: ships and offers pickup, counted once
			self::cell( 2, 1, 3, 0, false, true ),   // -2 at a pickup store: counts as 0
		);
		$this->assertSame( 21, Sellable::online( $cells ) );
		$this->assertSame( 0, Sellable::online( array() ) );
		$this->assertSame( 6, Sellable::online( array( self::cell( 6, 0, 0, 0, false, true ) ) ), 'units only at a pickup store are online units' );
		$this->assertSame( 0, Sellable::online( array( self::cell( 6, 0, 0, 0, false, false ) ) ) );
	}

	public function test_a_location_counts_online_when_it_ships_or_offers_pickup(): void {
		$this->assertTrue( Sellable::counts_online( array( 'ships_online' => true, 'offers_pickup' => false ) ) );
		$this->assertTrue( Sellable::counts_online( array( 'ships_online' => false, 'offers_pickup' => true ) ) );
		$this->assertTrue( Sellable::counts_online( array( 'ships_online' => true, 'offers_pickup' => true ) ) );
		$this->assertFalse( Sellable::counts_online( array( 'ships_online' => false, 'offers_pickup' => false ) ) );
	}

	public static function inverse_cases(): array {
		return array(
			'alone'                    => array( array() ),
			'beside online stores'     => array( array( self::cell( 6, 1, 1, 1, true ), self::cell( 2, 0, 0, 0, true ) ) ),
			'beside an oversold store' => array( array( self::cell( 1, 3, 0, 0, true ) ) ),
			'beside a store offline'   => array( array( self::cell( 40, 0, 0, 0, false ) ) ),
			'beside a pickup store'    => array( array( self::cell( 6, 1, 1, 1, false, true ), self::cell( 40, 0, 0, 0, false ) ) ),
			'at a pickup store'        => array( array( self::cell( 5, 0, 0, 0, false, true ) ), false, true ),
			'at a store that does both' => array( array( self::cell( 2, 0, 0, 0, true ) ), true, true ),
		);
	}

	/**
	 * @dataProvider inverse_cases
	 */
	public function test_the_inverse_gives_back_every_total_the_cell_can_reach( array $others, bool $ships = true, bool $pickup = false ): void {
		$floor = Sellable::online( $others );
		foreach ( array( array( 0, 0, 0 ), array( 3, 2, 1 ), array( 0, 5, 4 ) ) as list( $committed, $safety, $held ) ) {
			for ( $x = $floor; $x <= $floor + 30; $x++ ) {
				$on_hand = Sellable::on_hand_for_online( $x, self::cell( 99, $committed, $safety, $held, $ships, $pickup ), $others );
				$this->assertGreaterThanOrEqual( 0, $on_hand );
				$cells = array_merge( array( self::cell( $on_hand, $committed, $safety, $held, $ships, $pickup ) ), $others );
				$this->assertSame( $x, Sellable::online( $cells ), "typed $x, committed $committed, safety $safety, held $held" );
			}
		}
	}

	public function test_a_total_below_what_the_others_sell_counts_the_cell_to_zero_and_keeps_theirs(): void {
		$others = array( self::cell( 5, 0, 0, 0, true ), self::cell( 3, 0, 0, 0, false, true ) );
		for ( $x = 0; $x < 8; $x++ ) {
			$on_hand = Sellable::on_hand_for_online( $x, self::cell( 5, 0, 0, 0, true ), $others );
			$this->assertSame( 0, $on_hand, "typed $x" );
			$this->assertSame( 8, Sellable::online( array_merge( array( self::cell( $on_hand, 0, 0, 0, true ) ), $others ) ) );
		}
		$this->assertSame( 3, Sellable::on_hand_for_online( 0, self::cell( 5, 1, 1, 1, true ), array() ), 'x = 0 keeps what is committed, kept back and held' );
	}
}
