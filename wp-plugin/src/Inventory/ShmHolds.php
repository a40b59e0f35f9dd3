<?php
/**
 * Holds and cell locks in the extension's shared memory (Omnistock\Holds): one host, microseconds.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The default backend. A cell whose base shared memory does not know (new, or guarded by a process
 * that died) is loaded from the database under the cell's lock, then the hold is tried again.
 */
final class ShmHolds implements HoldsBackend {

	private const LOCK_TIMEOUT_MS = 5000;

	/** Seconds a hold put back after a failed commit lives: long enough for the payment's retry. */
	public const RESTORED_TTL = 900;

	/** Omnistock\Holds locks at most 1024 cells per process (the kernel's robust-list limit). */
	private const MAX_CELLS = 1000;

	/**
	 * Takes its dependencies.
	 *
	 * @param \Omnistock\Holds $holds  This site's segment.
	 * @param Database         $db     The database.
	 * @param Tables           $tables Table names.
	 */
	public function __construct( private readonly \Omnistock\Holds $holds, private readonly Database $db, private readonly Tables $tables ) {
	}

	/**
	 * The segment name of this site: stable per database and table prefix.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 */
	public static function segment_name( \wpdb $wpdb ): string {
		return 'omnistock-' . substr( md5( DB_HOST . '/' . DB_NAME . '/' . $wpdb->prefix ), 0, 20 );
	}

	/** {@inheritDoc} */
	public function max_cells(): int {
		return self::MAX_CELLS;
	}

	/** {@inheritDoc} */
	public function name(): string {
		return 'shm';
	}

	/** {@inheritDoc} */
	public function lock( array $cells ): CellGuard {
		$lock = $this->holds->lock( $cells, self::LOCK_TIMEOUT_MS );
		return new class( $lock, $this->holds, $this->db ) implements CellGuard {
			/**
			 * Whether release() already ran.
			 *
			 * @var bool
			 */
			private bool $released = false;

			/** {@inheritDoc} */
			public function __construct( private readonly \Omnistock\CellLock $lock, private readonly \Omnistock\Holds $holds, private readonly Database $db ) {
			}

			/** {@inheritDoc} */
			public function publish( int $product, int $location, int $base ): void {
				$this->lock->setSellable( $product, $location, $base );
			}

			/** {@inheritDoc} */
			public function sellable( int $product, int $location, int $base ): int {
				return Sellable::less_held( $base, $this->holds->held( $product, $location ) );
			}

			/** {@inheritDoc} */
			public function settle( string $key, array $lines ): int {
				$units = $this->lock->settle( $key );
				if ( $units > 0 && $this->db->in_transaction() ) {
					// Shared memory is not part of the transaction: if it rolls back (or its COMMIT
					// fails) the hold comes back, so the payment's retry finds its units held.
					$this->db->on_rollback( fn() => $this->unsettle( $key, $lines, $units ) );
				}
				return $units;
			}

			/**
			 * Puts back a hold settle() dropped: the cells' bases rise by its units again (settle
			 * lowered them together with the held count) and the lines are held under $key anew.
			 *
			 * @param string                           $key   Cart or checkout key.
			 * @param list<array{0:int, 1:int, 2:int}> $lines The hold's lines.
			 * @param int                              $units What settle() dropped.
			 */
			private function unsettle( string $key, array $lines, int $units ): void {
				$by_cell = array();
				foreach ( $lines as list( $product, $location, $qty ) ) {
					$by_cell[ Cells::key( $product, $location ) ] = array( $product, $location, ( $by_cell[ Cells::key( $product, $location ) ][2] ?? 0 ) + $qty );
				}
				if ( array_sum( array_column( $by_cell, 2 ) ) !== $units ) {
					return; // The hold was not these lines: nothing to put back exactly.
				}
				foreach ( $by_cell as list( $product, $location, $qty ) ) {
					$sellable = $this->holds->sellable( $product, $location );
					if ( null === $sellable ) {
						return;
					}
					$this->lock->setSellable( $product, $location, $sellable + $this->holds->held( $product, $location ) + $qty );
				}
				$this->holds->hold( $key, array_values( $by_cell ), ShmHolds::RESTORED_TTL );
			}

			/** {@inheritDoc} */
			public function forget( array $cells ): void {
				foreach ( $cells as list( $product, $location ) ) {
					$this->lock->forget( $product, $location );
				}
			}

			/** {@inheritDoc} */
			public function release(): void {
				if ( ! $this->released ) {
					$this->released = true;
					$this->lock->release();
				}
			}
		};
	}

	/**
	 * {@inheritDoc}
	 *
	 * @throws StorageError When the cells' bases keep becoming unknown (their locks keep being recovered).
	 */
	public function hold( string $key, array $lines, int $ttl ): array {
		for ( $attempt = 0; $attempt < 5; $attempt++ ) {
			$result = $this->holds->hold( $key, $lines, $ttl );
			if ( $result['ok'] || empty( $result['unknown'] ) ) {
				return array(
					'ok'    => (bool) $result['ok'],
					'short' => $result['short'],
				);
			}
			$this->load_bases(
				array_map( static fn( array $cell ): array => array( (int) $cell['product'], (int) $cell['location'] ), $result['unknown'] )
			);
		}
		throw new StorageError( 'Omnistock: the bases of the held cells kept becoming unknown; try again.' );
	}

	/**
	 * Loads the bases of cells shared memory does not know, under their locks.
	 *
	 * @param list<array{0:int, 1:int}> $cells Cells.
	 */
	private function load_bases( array $cells ): void {
		$cells = Cells::canonical( $cells );
		$guard = $this->lock( $cells );
		try {
			$bases = Cells::bases( $this->db, $this->tables, $cells );
			foreach ( $cells as list( $product, $location ) ) {
				$guard->publish( $product, $location, $bases[ Cells::key( $product, $location ) ] );
			}
		} finally {
			$guard->release();
		}
	}

	/** {@inheritDoc} */
	public function release( string $key ): int {
		return $this->holds->release( $key );
	}

	/** {@inheritDoc} */
	public function extend( string $key, int $ttl ): bool {
		return $this->holds->extend( $key, $ttl );
	}

	/** {@inheritDoc} */
	public function held( int $product, int $location ): int {
		return $this->holds->held( $product, $location );
	}

	/** {@inheritDoc} */
	public function stats(): array {
		$stats = $this->holds->stats();
		$out   = array( 'backend' => 'shm' );
		foreach ( $stats as $name => $value ) {
			if ( is_scalar( $value ) ) {
				$out[ (string) $name ] = $value;
			}
		}
		$out['problems'] = count( $this->holds->check() );
		return $out;
	}
}
