<?php
/**
 * Cells locked for one stock mutation.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Used by Inventory inside its transaction, while the cells' level rows are locked too.
 */
interface CellGuard {

	/**
	 * Tells the holds what a cell's base (on_hand - committed - safety) now is.
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 * @param int $base     on_hand - committed - safety.
	 */
	public function publish( int $product, int $location, int $base ): void;

	/**
	 * The base minus the live holds of the cell.
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 * @param int $base     on_hand - committed - safety, as the transaction sees it.
	 */
	public function sellable( int $product, int $location, int $base ): int;

	/**
	 * Drops the hold of $key whose units the caller is committing; returns its live units. The
	 * hold is gone only once the caller's transaction commits: if it rolls back, the hold is back.
	 *
	 * @param string                           $key   Cart or checkout key.
	 * @param list<array{0:int, 1:int, 2:int}> $lines The hold's lines [product, location, qty].
	 */
	public function settle( string $key, array $lines ): int;

	/**
	 * The base of these cells is unknown again (the transaction failed after publishing).
	 *
	 * @param list<array{0:int, 1:int}> $cells Cells.
	 */
	public function forget( array $cells ): void;

	/**
	 * Unlocks; idempotent.
	 */
	public function release(): void;
}
