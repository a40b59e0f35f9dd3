<?php
/**
 * Sellable units and the online total: the one place that says what they are.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * A cell's sellable is on_hand − committed − safety − held (below zero: oversold). The part without the
 * holds, on_hand − committed − safety, is a cell's base: what the holds backends hold against.
 * The online total of a product is what an online shopper can get: the sum of max(0, sellable) over
 * the locations that ship online or offer pickup (each location once), so that a product in stock
 * only at a pickup store is in stock in the shop. WooCommerce's stock number is that total.
 */
final class Sellable {

	/**
	 * Not instantiated: a rule, not a service.
	 */
	private function __construct() {
	}

	/**
	 * Sellable units of a cell; without $held, the cell's base.
	 *
	 * @param int $on_hand   Units on hand.
	 * @param int $committed Units committed to orders.
	 * @param int $safety    Units kept back.
	 * @param int $held      Units held by carts and checkouts.
	 */
	public static function of( int $on_hand, int $committed, int $safety, int $held = 0 ): int {
		return self::less_held( $on_hand - $committed - $safety, $held );
	}

	/**
	 * Sellable units of a cell whose base (on_hand − committed − safety) is known.
	 *
	 * @param int $base The cell's base.
	 * @param int $held Units held.
	 */
	public static function less_held( int $base, int $held ): int {
		return $base - $held;
	}

	/**
	 * The SQL expression of a cell's base over a levels row (the holds are not in SQL: the shared
	 * memory backend keeps them outside the database).
	 *
	 * @param string $alias Table alias of the levels table, or '' for none.
	 */
	public static function base_sql( string $alias = '' ): string {
		$p = '' === $alias ? '' : $alias . '.';
		return "{$p}on_hand - {$p}committed - {$p}safety";
	}

	/**
	 * Whether a location's units count in the online total: an online shopper can get them, shipped
	 * or picked up.
	 *
	 * @param array{ships_online:bool, offers_pickup:bool} $location A location, or a cell of Inventory::stock().
	 */
	public static function counts_online( array $location ): bool {
		return (bool) $location['ships_online'] || (bool) $location['offers_pickup'];
	}

	/**
	 * The online total: the sum of max(0, sellable) over the cells whose location ships online or
	 * offers pickup.
	 *
	 * @param list<array{ships_online:bool, offers_pickup:bool, sellable:int}> $cells Cells of one product, one per location, as Inventory::stock() lists them.
	 */
	public static function online( array $cells ): int {
		$online = 0;
		foreach ( $cells as $cell ) {
			if ( self::counts_online( $cell ) ) {
				$online += max( 0, (int) $cell['sellable'] );
			}
		}
		return $online;
	}

	/**
	 * The inverse of online(): the on_hand of $cell that makes the online total $typed when the
	 * other cells keep theirs. Never below zero, so a number below what the others sell online
	 * leaves the total at theirs. For a $cell that counts online (counts_online()) and
	 * $typed >= online($others), online() of the cells with that on_hand is $typed.
	 *
	 * @param int                                                              $typed  The online total wanted.
	 * @param array{committed:int, safety:int, held:int}                       $cell   The cell whose on_hand is counted.
	 * @param list<array{ships_online:bool, offers_pickup:bool, sellable:int}> $others The product's other cells.
	 */
	public static function on_hand_for_online( int $typed, array $cell, array $others ): int {
		return max( 0, $typed - self::online( $others ) + (int) $cell['committed'] + (int) $cell['safety'] + (int) $cell['held'] );
	}
}
