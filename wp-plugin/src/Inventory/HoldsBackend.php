<?php
/**
 * Where cart and checkout holds live and how stock cells are locked: shared memory or the database.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Both backends pass the same test suite; Inventory never knows which one it has.
 *
 * Lines are [product, location, qty] with positive integers.
 */
interface HoldsBackend {

	/**
	 * "shm" or "database".
	 */
	public function name(): string;

	/**
	 * Locks the cells for a stock mutation before the database transaction starts.
	 *
	 * @param list<array{0:int, 1:int}> $cells Cells in canonical order (product, then location).
	 */
	public function lock( array $cells ): CellGuard;

	/**
	 * All-or-nothing hold of $lines under $key, replacing the key's previous hold.
	 *
	 * @param string                           $key   Cart or checkout key.
	 * @param list<array{0:int, 1:int, 2:int}> $lines [product, location, qty].
	 * @param int                              $ttl   Seconds.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 */
	public function hold( string $key, array $lines, int $ttl ): array;

	/**
	 * Drops the hold of $key; returns the units released.
	 *
	 * @param string $key Cart or checkout key.
	 */
	public function release( string $key ): int;

	/**
	 * Moves the expiry of a live hold; false when there is none.
	 *
	 * @param string $key Cart or checkout key.
	 * @param int    $ttl Seconds from now.
	 */
	public function extend( string $key, int $ttl ): bool;

	/**
	 * Units of live holds on a cell.
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 */
	public function held( int $product, int $location ): int;

	/**
	 * Most cells one lock() may take (the extension's robust mutexes are limited per process).
	 */
	public function max_cells(): int;

	/**
	 * What doctor prints about this backend.
	 *
	 * @return array<string, scalar>
	 */
	public function stats(): array;
}
