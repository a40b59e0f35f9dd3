<?php
/**
 * Holds and cell locks in the database, for shops served by several web hosts.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Cell locks are the level rows locked FOR UPDATE in canonical order inside the transaction;
 * holds are rows with an expiry; a hold is made only by a transaction that has just seen, under
 * those row locks, that the units are there.
 */
final class DatabaseHolds implements HoldsBackend {

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables ) {
	}

	/** {@inheritDoc} */
	public function max_cells(): int {
		return PHP_INT_MAX; // Row locks: one transaction for any batch.
	}

	/** {@inheritDoc} */
	public function name(): string {
		return 'database';
	}

	/** {@inheritDoc} */
	public function lock( array $cells ): CellGuard {
		// The row locks are taken by Inventory inside its transaction; nothing to do before it.
		return new class( $this, $cells ) implements CellGuard {
			/**
			 * Live held units of the guarded cells, read once (the cells are locked), or null.
			 *
			 * @var array<string, int>|null
			 */
			private ?array $held = null;

			/**
			 * Takes its dependencies.
			 *
			 * @param DatabaseHolds             $holds The backend.
			 * @param list<array{0:int, 1:int}> $cells The guarded cells.
			 */
			public function __construct( private readonly DatabaseHolds $holds, private readonly array $cells ) {
			}

			/** {@inheritDoc} */
			public function publish( int $product, int $location, int $base ): void {
				// The base is read from the level row itself by every hold.
			}

			/** {@inheritDoc} */
			public function sellable( int $product, int $location, int $base ): int {
				$this->held ??= $this->holds->held_many( $this->cells );
				return Sellable::less_held( $base, $this->held[ Cells::key( $product, $location ) ] ?? $this->holds->held( $product, $location ) );
			}

			/** {@inheritDoc} */
			public function settle( string $key, array $lines ): int {
				// The hold rows are deleted inside the caller's transaction: a rollback puts them back.
				$this->held = null;
				return $this->holds->settle( $key );
			}

			/** {@inheritDoc} */
			public function forget( array $cells ): void {
			}

			/** {@inheritDoc} */
			public function release(): void {
			}
		};
	}

	/** {@inheritDoc} */
	public function hold( string $key, array $lines, int $ttl ): array {
		$wanted = array();
		foreach ( $lines as list( $product, $location, $qty ) ) {
			$wanted[ Cells::key( $product, $location ) ] = ( $wanted[ Cells::key( $product, $location ) ] ?? 0 ) + $qty;
		}
		$t     = $this->tables;
		$cells = array_map( static fn( array $l ): array => array( $l[0], $l[1] ), $lines );
		foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, location_id FROM {$t->holds} WHERE hold_key = %s AND state = 'held'", $key ) ) as $row ) {
			$cells[] = array( (int) $row['product_id'], (int) $row['location_id'] );
		}
		$cells = Cells::canonical( $cells );
		Cells::ensure( $this->db, $t, $cells );

		return $this->db->transaction(
			function () use ( $key, $cells, $wanted, $ttl, $t ): array {
				$levels = Cells::lock_levels( $this->db, $t, $cells );
				$now    = Database::now_ms();
				$this->db->statement( "DELETE FROM {$t->holds} WHERE state = 'held' AND expires_at <= " . (int) $now . ' AND ' . Cells::where( $this->db, $cells ) );
				$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'held'", $key ) );
				$short = array();
				foreach ( $wanted as $cell => $qty ) {
					$level    = $levels[ $cell ];
					$sellable = Sellable::of( $level['on_hand'], $level['committed'], $level['safety'], $this->held( $level['product'], $level['location'] ) );
					if ( $qty > $sellable ) {
						$short[] = array(
							'product'  => $level['product'],
							'location' => $level['location'],
							'wanted'   => $qty,
							'sellable' => $sellable,
						);
					}
				}
				if ( $short ) {
					throw new HoldRefused( $short ); // Rolls back: the key's previous hold stays as it was.
				}
				$expires = $now + $ttl * 1000;
				$values  = array();
				foreach ( $wanted as $cell => $qty ) {
					$values[] = $this->db->prepare( '(%s, %d, %d, %d, %s, %d, %d)', $key, $levels[ $cell ]['product'], $levels[ $cell ]['location'], $qty, 'held', $expires, $now );
				}
				$this->db->statement( "INSERT INTO {$t->holds} (hold_key, product_id, location_id, qty, state, expires_at, created_at) VALUES " . implode( ', ', $values ) );
				return array(
					'ok'    => true,
					'short' => array(),
				);
			}
		);
	}

	/** {@inheritDoc} */
	public function release( string $key ): int {
		$t = $this->tables;
		return $this->db->transaction(
			function () use ( $key, $t ): int {
				$units = (int) $this->db->value( $this->db->prepare( "SELECT COALESCE(SUM(qty), 0) FROM {$t->holds} WHERE hold_key = %s AND state = 'held' AND expires_at > %d", $key, Database::now_ms() ) );
				$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'held'", $key ) );
				return $units;
			}
		);
	}

	/**
	 * Drops the live hold of $key inside the caller's transaction; returns its units.
	 *
	 * @param string $key Cart or checkout key.
	 */
	public function settle( string $key ): int {
		return $this->release( $key );
	}

	/** {@inheritDoc} */
	public function extend( string $key, int $ttl ): bool {
		$t    = $this->tables;
		$now  = Database::now_ms();
		$live = (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$t->holds} WHERE hold_key = %s AND state = 'held' AND expires_at > %d", $key, $now ) );
		if ( 0 === $live ) {
			return false;
		}
		// Affected rows would be 0 when the new expiry equals the old one: existence was checked above.
		$this->db->statement( $this->db->prepare( "UPDATE {$t->holds} SET expires_at = %d WHERE hold_key = %s AND state = 'held' AND expires_at > %d", $now + $ttl * 1000, $key, $now ) );
		return true;
	}


	/** {@inheritDoc} */
	public function held( int $product, int $location ): int {
		return (int) $this->db->value(
			$this->db->prepare(
				"SELECT COALESCE(SUM(qty), 0) FROM {$this->tables->holds} WHERE product_id = %d AND location_id = %d AND state = 'held' AND expires_at > %d",
				$product,
				$location,
				Database::now_ms()
			)
		);
	}

	/**
	 * Deletes expired cart and checkout holds (hourly, from WP-Cron); returns the rows deleted.
	 */
	public function purge_expired(): int {
		return $this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->holds} WHERE state = 'held' AND expires_at <= %d", Database::now_ms() ) );
	}

	/**
	 * Live held units of many cells in one query.
	 *
	 * @param list<array{0:int, 1:int}> $cells Cells.
	 * @return array<string, int> By cell key; cells without holds are 0.
	 */
	public function held_many( array $cells ): array {
		$held = array();
		foreach ( $cells as list( $product, $location ) ) {
			$held[ Cells::key( $product, $location ) ] = 0;
		}
		foreach ( array_chunk( $cells, 500 ) as $chunk ) {
			$rows = $this->db->rows(
				$this->db->prepare( "SELECT product_id, location_id, SUM(qty) AS held FROM {$this->tables->holds} WHERE state = 'held' AND expires_at > %d AND ", Database::now_ms() )
				. Cells::where( $this->db, $chunk ) . ' GROUP BY product_id, location_id'
			);
			foreach ( $rows as $row ) {
				$held[ Cells::key( (int) $row['product_id'], (int) $row['location_id'] ) ] = (int) $row['held'];
			}
		}
		return $held;
	}

	/** {@inheritDoc} */
	public function stats(): array {
		$t = $this->tables;
		return array(
			'backend' => 'database',
			'holds'   => (int) $this->db->value( $this->db->prepare( "SELECT COUNT(DISTINCT hold_key) FROM {$t->holds} WHERE state = 'held' AND expires_at > %d", Database::now_ms() ) ),
			'expired' => (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$t->holds} WHERE state = 'held' AND expires_at <= %d", Database::now_ms() ) ),
		);
	}
}
