<?php
/**
 * Cells (product, location): canonical order and their level rows.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Helpers shared by Inventory and the database backend.
 */
final class Cells {

	private const CHUNK = 500;
	private const FEW   = 16;

	/**
	 * Unique cells sorted by product then location: the one order every locker uses, so no deadlock.
	 *
	 * @param iterable $cells Cells, possibly repeated.
	 * @return list<array{0:int, 1:int}>
	 */
	public static function canonical( iterable $cells ): array {
		$unique = array();
		foreach ( $cells as $cell ) {
			$unique[ self::key( (int) $cell[0], (int) $cell[1] ) ] = array( (int) $cell[0], (int) $cell[1] );
		}
		usort( $unique, static fn( array $a, array $b ): int => array( $a[0], $a[1] ) <=> array( $b[0], $b[1] ) );
		return $unique;
	}

	/**
	 * Array key of a cell.
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 */
	public static function key( int $product, int $location ): string {
		return $product . ':' . $location;
	}

	/**
	 * Creates the missing level rows (safety from the location's default), outside any transaction,
	 * so that no shared lock from INSERT IGNORE is later upgraded (a classic deadlock).
	 *
	 * @param Database                  $db     The database.
	 * @param Tables                    $tables Table names.
	 * @param list<array{0:int, 1:int}> $cells  Cells.
	 */
	public static function ensure( Database $db, Tables $tables, array $cells ): void {
		$now = Database::now_ms();
		foreach ( array_chunk( $cells, self::CHUNK ) as $chunk ) {
			$missing = self::missing( $db, $tables, $chunk );
			if ( ! $missing ) {
				continue;
			}
			$location_ids = array_unique( array_map( static fn( array $c ): int => $c[1], $missing ) );
			$safety       = array();
			$in           = implode( ', ', array_map( 'intval', $location_ids ) );
			foreach ( $db->rows( "SELECT id, safety_default FROM {$tables->locations} WHERE id IN ($in)" ) as $row ) {
				$safety[ (int) $row['id'] ] = (int) $row['safety_default'];
			}
			$values = array();
			foreach ( $missing as list( $product, $location ) ) {
				$values[] = $db->prepare( '(%d, %d, %d, %d)', $product, $location, $safety[ $location ] ?? 0, $now );
			}
			$db->statement( "INSERT IGNORE INTO {$tables->levels} (product_id, location_id, safety, updated_at) VALUES " . implode( ', ', $values ) );
		}
	}

	/**
	 * Cells of $cells with no level row.
	 *
	 * @param Database                  $db     The database.
	 * @param Tables                    $tables Table names.
	 * @param list<array{0:int, 1:int}> $cells  Cells.
	 * @return list<array{0:int, 1:int}>
	 */
	private static function missing( Database $db, Tables $tables, array $cells ): array {
		$found = array();
		foreach ( $db->rows( "SELECT product_id, location_id FROM {$tables->levels} WHERE " . self::where( $db, $cells ) ) as $row ) {
			$found[ self::key( (int) $row['product_id'], (int) $row['location_id'] ) ] = true;
		}
		return array_values( array_filter( $cells, static fn( array $c ): bool => ! isset( $found[ self::key( $c[0], $c[1] ) ] ) ) );
	}

	/**
	 * Locks the level rows of $cells (FOR UPDATE, in primary-key order, which is the canonical
	 * order) and returns them by cell key. Call inside a transaction, after ensure().
	 *
	 * @param Database                  $db     The database.
	 * @param Tables                    $tables Table names.
	 * @param list<array{0:int, 1:int}> $cells  Cells in canonical order.
	 * @return array<string, array{product:int, location:int, on_hand:int, committed:int, safety:int, count_at:?int, count_id:?string}>
	 * @throws StorageError When a level row vanished.
	 */
	public static function lock_levels( Database $db, Tables $tables, array $cells ): array {
		$levels = array();
		foreach ( array_chunk( $cells, self::CHUNK ) as $chunk ) {
			$rows = $db->rows(
				"SELECT product_id, location_id, on_hand, committed, safety, count_at, count_id FROM {$tables->levels}
				WHERE " . self::where( $db, $chunk ) . ' ORDER BY product_id, location_id FOR UPDATE'
			);
			foreach ( $rows as $row ) {
				$level = self::level( $row );
				$levels[ self::key( $level['product'], $level['location'] ) ] = $level;
			}
		}
		if ( count( $levels ) !== count( $cells ) ) {
			throw new StorageError( 'Omnistock: a level row vanished while being locked.' );
		}
		return $levels;
	}

	/**
	 * The on_hand - committed - safety of each cell, read without locking (zero for cells never stocked).
	 *
	 * @param Database                  $db     The database.
	 * @param Tables                    $tables Table names.
	 * @param list<array{0:int, 1:int}> $cells  Cells.
	 * @return array<string, int>
	 */
	public static function bases( Database $db, Tables $tables, array $cells ): array {
		$bases = array();
		foreach ( $cells as list( $product, $location ) ) {
			$bases[ self::key( $product, $location ) ] = 0;
		}
		foreach ( array_chunk( $cells, self::CHUNK ) as $chunk ) {
			foreach ( $db->rows( 'SELECT product_id, location_id, ' . Sellable::base_sql() . " AS base FROM {$tables->levels} WHERE " . self::where( $db, $chunk ) ) as $row ) {
				$bases[ self::key( (int) $row['product_id'], (int) $row['location_id'] ) ] = (int) $row['base'];
			}
		}
		return $bases;
	}

	/**
	 * A level row as typed values.
	 *
	 * @param array<string, string|null> $row Row of the levels table.
	 * @return array{product:int, location:int, on_hand:int, committed:int, safety:int, count_at:?int, count_id:?string}
	 */
	public static function level( array $row ): array {
		return array(
			'product'   => (int) $row['product_id'],
			'location'  => (int) $row['location_id'],
			'on_hand'   => (int) $row['on_hand'],
			'committed' => (int) $row['committed'],
			'safety'    => (int) $row['safety'],
			'count_at'  => null === $row['count_at'] ? null : (int) $row['count_at'],
			'count_id'  => $row['count_id'],
		);
	}

	/**
	 * Writes levels back (one statement per chunk).
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 * @param array    $levels Levels as lock_levels() returns them.
	 */
	public static function write_levels( Database $db, Tables $tables, array $levels ): void {
		$now = Database::now_ms();
		foreach ( array_chunk( array_values( $levels ), self::CHUNK ) as $chunk ) {
			$values = array();
			foreach ( $chunk as $l ) {
				$values[] = null === $l['count_at']
					? $db->prepare( '(%d, %d, %d, %d, %d, NULL, NULL, %d)', $l['product'], $l['location'], $l['on_hand'], $l['committed'], $l['safety'], $now )
					: $db->prepare( '(%d, %d, %d, %d, %d, %d, %s, %d)', $l['product'], $l['location'], $l['on_hand'], $l['committed'], $l['safety'], $l['count_at'], $l['count_id'], $now );
			}
			$db->statement(
				"INSERT INTO {$tables->levels} (product_id, location_id, on_hand, committed, safety, count_at, count_id, updated_at) VALUES "
				. implode( ', ', $values )
				. ' ON DUPLICATE KEY UPDATE on_hand = VALUES(on_hand), committed = VALUES(committed), safety = VALUES(safety), count_at = VALUES(count_at), count_id = VALUES(count_id), updated_at = VALUES(updated_at)'
			);
		}
	}

	/**
	 * WHERE clause matching exactly these cells (for a few cells, a primary-key range MariaDB
	 * scans, and locks, in canonical order).
	 *
	 * @param Database                  $db              The database.
	 * @param list<array{0:int, 1:int}> $cells           Cells.
	 * @param string                    $location_column location_id, or to_location_id for the ledger's transfers.
	 */
	public static function where( Database $db, array $cells, string $location_column = 'location_id' ): string {
		if ( ! $cells ) {
			return '0';
		}
		if ( count( $cells ) <= self::FEW ) {
			$parts = array();
			foreach ( $cells as list( $product, $location ) ) {
				$parts[] = $db->prepare( "(product_id = %d AND $location_column = %d)", $product, $location );
			}
			return '(' . implode( ' OR ', $parts ) . ')';
		}
		// Many cells: an OR of equalities costs MariaDB's range optimiser more than the query
		// itself; a product list plus a row-value list is planned in a few milliseconds.
		$products = array();
		$pairs    = array();
		foreach ( $cells as list( $product, $location ) ) {
			$products[ $product ] = $product;
			$pairs[]              = $product;
			$pairs[]              = $location;
		}
		return $db->prepare(
			'(product_id IN (' . implode( ', ', array_fill( 0, count( $products ), '%d' ) ) . ") AND (product_id, $location_column) IN (" . implode( ', ', array_fill( 0, count( $cells ), '(%d, %d)' ) ) . '))',
			...array_values( $products ),
			...$pairs
		);
	}
}
