<?php
/**
 * The inventory service: the only way stock changes.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Its record() locks the cells (holds backend, then the level rows in canonical order), appends the
 * new events to the ledger, moves the levels by the ledger's rules, tells the holds the new
 * sellable bases, commits and unlocks. hold/release/commit/fulfil/sell are built on it.
 *
 * The fold is Omnistock\Ledger's, for one event as for an import: each batch seeds a Ledger with
 * its cells' state from the database (latest count, the adjusts after it, committed) and the ids
 * it already holds, and applies the batch there. The event schema and the rule for an id that
 * comes back (a duplicate, or a conflict when its content differs) are the extension's too.
 */
final class Inventory {

	/**
	 * Ledger kind of a record of units wanted and not there (record_short()): moves no level.
	 */
	public const SHORT = LedgerKind::SHORT;

	private const CHUNK = 500;

	/**
	 * Location ids as last read (a hold needs no query; an unknown id reads them again).
	 *
	 * @var array<int, true>|null
	 */
	private ?array $location_ids = null;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database     $db     The database.
	 * @param Tables       $tables Table names.
	 * @param HoldsBackend $holds  Where holds and cell locks live.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly HoldsBackend $holds ) {
	}

	/**
	 * The holds backend in use.
	 */
	public function backend(): HoldsBackend {
		return $this->holds;
	}

	/**
	 * Applies a batch of events, all or nothing. Duplicates (same id) change nothing; a duplicate
	 * with other content is listed in "conflicts". "oversold" lists cells left with sellable < 0.
	 *
	 * @param mixed $events      List of events (see EventValidator).
	 * @param array $defaults    source, actor, reference, reason for events that do not say.
	 * @param bool  $from_client A client's batch (REST): see EventValidator::events(); and an id
	 *                           already recorded with other content refuses the batch (the
	 *                           extension's conflict rule) instead of being listed in "conflicts".
	 * @return array{applied:int, duplicates:int, conflicts:list<string>, oversold:list<array{product:int, location:int, sellable:int}>}
	 * @throws InvalidEvent When an event is malformed (nothing is applied).
	 * @throws ConflictingEvent From a client, when an id was recorded with other content (nothing of its part is applied).
	 */
	public function record( mixed $events, array $defaults = array(), bool $from_client = false ): array {
		$events = $this->validator()->events( $events, $defaults, Database::now_ms(), $from_client );
		$parts  = $this->parts( $events, $this->holds->max_cells() );
		if ( 1 === count( $parts ) ) {
			return $this->apply( $events, null, $from_client );
		}
		// More cells than the backend locks at once (an import on shm): one transaction per part,
		// grouped by product so a transfer stays whole. The whole batch is checked first, so a
		// malformed event changes nothing; a failure after that leaves the earlier parts applied,
		// and replaying the batch applies the rest (the ids make it idempotent).
		self::fold( new \Omnistock\Ledger(), $events );
		$total = array(
			'applied'    => 0,
			'duplicates' => 0,
			'conflicts'  => array(),
			'oversold'   => array(),
		);
		foreach ( $parts as $part ) {
			$r                    = $this->apply( $part, null, $from_client );
			$total['applied']    += $r['applied'];
			$total['duplicates'] += $r['duplicates'];
			$total['conflicts']   = array_merge( $total['conflicts'], $r['conflicts'] );
			$total['oversold']    = array_merge( $total['oversold'], $r['oversold'] );
		}
		return $total;
	}

	/**
	 * Applies a small batch (cells that one lock holds) and runs $inside in the same transaction, its
	 * cells locked, after the events are written: what $inside writes commits with them or not at all
	 * (a connector's view of a register moves with the event its webhook became).
	 *
	 * @param list<array> $events   Events (see EventValidator), not from a client.
	 * @param array       $defaults source, actor, reference, reason for events that do not say.
	 * @param callable    $inside   function( array $result ): void — throws to roll everything back.
	 * @return array{applied:int, duplicates:int, conflicts:list<string>, oversold:list<array{product:int, location:int, sellable:int}>}
	 * @throws InvalidEvent When an event is malformed, or the batch needs more cells than one lock holds.
	 */
	public function record_then( array $events, array $defaults, callable $inside ): array {
		$events = $this->validator()->events( $events, $defaults, Database::now_ms() );
		if ( count( $this->parts( $events, $this->holds->max_cells() ) ) > 1 ) {
			throw new InvalidEvent( 'events', __( 'touch more cells than one transaction may lock', 'omnistock' ) );
		}
		return $this->apply( $events, static fn( array $levels, CellGuard $guard, array $result ) => $inside( $result ) );
	}

	/**
	 * Splits events by product into parts touching at most $max_cells cells each.
	 *
	 * @param list<array> $events    Normalised events.
	 * @param int         $max_cells Cells one lock may hold.
	 * @return list<list<array>>
	 */
	private function parts( array $events, int $max_cells ): array {
		$by_product = array();
		foreach ( $events as $e ) {
			$by_product[ $e['product'] ]['events'][]                    = $e;
			$by_product[ $e['product'] ]['locations'][ $e['location'] ] = true;
			if ( null !== $e['to'] ) {
				$by_product[ $e['product'] ]['locations'][ $e['to'] ] = true;
			}
		}
		$parts = array();
		$part  = array();
		$cells = 0;
		foreach ( $by_product as $group ) {
			$n = count( $group['locations'] );
			if ( $part && $cells + $n > $max_cells ) {
				$parts[] = $part;
				$part    = array();
				$cells   = 0;
			}
			array_push( $part, ...$group['events'] );
			$cells += $n;
		}
		$parts[] = $part;
		return $parts;
	}

	/**
	 * All-or-nothing hold of lines under $key (a cart or checkout), replacing its previous hold.
	 *
	 * @param string $key   Cart or checkout key.
	 * @param mixed  $lines [[product, location, qty], ...].
	 * @param int    $ttl   Seconds.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 * @throws InvalidEvent When the key, lines or ttl are malformed.
	 */
	public function hold( string $key, mixed $lines, int $ttl = 900 ): array {
		$key   = EventValidator::key( $key );
		$lines = $this->validator()->lines( $lines );
		if ( $ttl < 1 ) {
			throw new InvalidEvent( 'ttl', __( 'must be at least 1 second', 'omnistock' ) );
		}
		try {
			$result = $this->holds->hold( $key, $lines, $ttl );
		} catch ( HoldRefused $refused ) {
			return array(
				'ok'    => false,
				'short' => $refused->short,
			);
		}
		if ( $result['ok'] ) {
			self::announce( array_column( $lines, 0 ) );
		}
		return $result;
	}

	/**
	 * Releases the hold of $key; returns the units released. The holds table does not name a
	 * key's products, so the caller names them: they are announced as changed when units went.
	 *
	 * @param string $key      Cart or checkout key.
	 * @param int[]  $products The products of the hold.
	 */
	public function release( string $key, array $products = array() ): int {
		$units = $this->holds->release( EventValidator::key( $key ) );
		if ( $units > 0 ) {
			self::announce( $products );
		}
		return $units;
	}

	/**
	 * Commits the units of the hold $key (a paid order): committed += qty at each line's location,
	 * kept as a durable hold until fulfil(). If the hold has expired the units are committed only
	 * when they are still sellable. Repeating a commit of the same key changes nothing.
	 *
	 * @param string $key            Order key (the hold's key).
	 * @param mixed  $lines          [[product, location, qty], ...].
	 * @param array  $context        source, actor, reference.
	 * @param bool   $allow_oversell Commit even when not sellable (backorders): the oversell shows.
	 * @param string $tag            More units for a key committed before (e.g. an edited order): a tag
	 *                               unique to the occasion; repeating it changes nothing.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 */
	public function commit( string $key, mixed $lines, array $context = array(), bool $allow_oversell = false, string $tag = '' ): array {
		$key       = EventValidator::key( $key );
		$validator = $this->validator();
		$lines     = $validator->lines( $lines );
		$events    = array();
		$now       = Database::now_ms();
		foreach ( $lines as list( $product, $location, $qty ) ) {
			$events[] = $this->internal_event( $validator, '' === $tag ? "commit:$key:$product:$location" : "commit:$key:$tag:$product:$location", 'commit', $product, $location, $qty, $now, $context + array( 'reference' => $key ) );
		}
		$t = $this->tables;
		try {
			$applied = $this->apply(
				$events,
				function ( array $levels, CellGuard $guard, array $result ) use ( $key, $lines, $now, $t, $allow_oversell ): void {
					if ( 0 === $result['applied'] ) {
						return; // Committed before: nothing to do.
					}
					$wanted  = array_sum( array_column( $lines, 2 ) );
					$settled = $guard->settle( $key, $lines );
					if ( $settled < $wanted && ! $allow_oversell ) {
						$this->refuse_if_oversold( $lines, $levels, $guard );
					}
					$values = array();
					foreach ( $lines as list( $product, $location, $qty ) ) {
						$values[] = $this->db->prepare( '(%s, %d, %d, %d, %s, 0, %d)', $key, $product, $location, $qty, 'committed', $now );
					}
					$this->db->statement( "INSERT INTO {$t->holds} (hold_key, product_id, location_id, qty, state, expires_at, created_at) VALUES " . implode( ', ', $values ) . ' ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)' );
				}
			)['applied'];
		} catch ( HoldRefused $refused ) {
			return array(
				'ok'    => false,
				'short' => $refused->short,
			);
		}
		if ( 0 === $applied && '' === $tag ) {
			// Committed before, yet a hold may be left: one put back when the database's answer to
			// that COMMIT was lost although it had committed. Its units are committed: let it go.
			$this->holds->release( $key );
		}
		return array(
			'ok'    => true,
			'short' => array(),
		);
	}

	/**
	 * Fulfils the committed units of $key (shipped or picked up): they leave on_hand and committed.
	 * Returns the units fulfilled (0 when nothing was committed under $key, e.g. a repeat).
	 *
	 * @param string $key     Order key.
	 * @param array  $context source, actor, reference.
	 */
	public function fulfil( string $key, array $context = array() ): int {
		$key  = EventValidator::key( $key );
		$t    = $this->tables;
		$rows = $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$t->holds} WHERE hold_key = %s AND state = 'committed'", $key ) );
		if ( ! $rows ) {
			return 0;
		}
		$events    = array();
		$units     = 0;
		$now       = Database::now_ms();
		$validator = $this->validator();
		foreach ( $rows as $row ) {
			$product  = (int) $row['product_id'];
			$location = (int) $row['location_id'];
			$qty      = (int) $row['qty'];
			$units   += $qty;
			$events[] = $this->internal_event(
				$validator,
				"fulfil:$key:$product:$location",
				'adjust',
				$product,
				$location,
				-$qty,
				$now,
				$context + array(
					'reference' => $key,
					'reason'    => 'fulfilled',
				)
			);
			$events[] = $this->internal_event( $validator, "fulfil-release:$key:$product:$location", 'release', $product, $location, $qty, $now, $context + array( 'reference' => $key ) );
		}
		$this->apply(
			$events,
			function () use ( $key, $t ): void {
				$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'committed'", $key ) );
			}
		);
		return $units;
	}

	/**
	 * Fulfils part of the committed units of $key (one shipment of an order split over locations):
	 * at most $lines' units of each cell leave on_hand and committed, in one transaction; the rest
	 * stays committed for fulfil() or another call. $tag makes the event ids unique per occasion
	 * (e.g. "shipment-12"): a repeated tag changes nothing, and the same cell may be fulfilled again
	 * under another tag. Returns the units fulfilled.
	 *
	 * @param string                     $key     Order key.
	 * @param list<array{int, int, int}> $lines   [[product, location, qty], ...].
	 * @param string                     $tag     Occasion.
	 * @param array                      $context source, actor, reference.
	 * @throws \Omnistock\Unavailable When the commitment changed while the cells were being locked (nothing fulfilled).
	 */
	public function fulfil_lines( string $key, array $lines, string $tag, array $context = array() ): int {
		$key       = EventValidator::key( $key );
		$validator = $this->validator();
		$want      = array();
		foreach ( $validator->lines( $lines ) as list( $product, $location, $qty ) ) {
			$want[ "$product:$location" ] = ( $want[ "$product:$location" ] ?? 0 ) + $qty;
		}
		$t    = $this->tables;
		$read = array();
		foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$t->holds} WHERE hold_key = %s AND state = 'committed'", $key ) ) as $row ) {
			$read[ $row['product_id'] . ':' . $row['location_id'] ] = (int) $row['qty'];
		}
		$events = array();
		$take   = array();
		$now    = Database::now_ms();
		foreach ( $want as $cell => $qty ) {
			$qty = min( $qty, $read[ $cell ] ?? 0 );
			if ( $qty <= 0 ) {
				continue;
			}
			list( $product, $location ) = array_map( 'intval', explode( ':', $cell ) );
			$take[ $cell ]              = $qty;
			$events[]                   = $this->internal_event(
				$validator,
				"fulfil:$key:$tag:$cell",
				'adjust',
				$product,
				$location,
				-$qty,
				$now,
				$context + array(
					'reference' => $key,
					'reason'    => 'fulfilled',
				)
			);
			$events[]                   = $this->internal_event( $validator, "fulfil-release:$key:$tag:$cell", 'release', $product, $location, $qty, $now, $context + array( 'reference' => $key ) );
		}
		if ( ! $events ) {
			return 0;
		}
		$units = 0;
		try {
			$this->apply(
				$events,
				function ( array $levels, CellGuard $guard, array $result ) use ( $key, $take, $t, &$units ): void {
					if ( 0 === $result['applied'] ) {
						return; // Fulfilled before under this tag.
					}
					foreach ( $take as $cell => $qty ) {
						list( $product, $location ) = array_map( 'intval', explode( ':', $cell ) );
						$still                      = (int) $this->db->value( $this->db->prepare( "SELECT qty FROM {$t->holds} WHERE hold_key = %s AND product_id = %d AND location_id = %d AND state = 'committed' FOR UPDATE", $key, $product, $location ) );
						if ( $still < $qty ) {
							throw new HoldRefused( array() ); // Released or moved meanwhile: nothing is fulfilled.
						}
						$units += $qty;
						$this->db->statement( $this->db->prepare( "UPDATE {$t->holds} SET qty = qty - %d WHERE hold_key = %s AND product_id = %d AND location_id = %d AND state = 'committed'", $qty, $key, $product, $location ) );
					}
					$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'committed' AND qty <= 0", $key ) );
				}
			);
		} catch ( HoldRefused $changed ) {
			throw new \Omnistock\Unavailable( 'omnistock_busy', __( 'The order\'s units changed meanwhile; nothing was fulfilled. Try again.', 'omnistock' ), false, 0, $changed );
		}
		return $units;
	}

	/**
	 * The units committed under $key, by cell.
	 *
	 * @param string $key Order key.
	 * @return list<array{0:int, 1:int, 2:int}> [[product, location, qty], ...]
	 */
	public function committed( string $key ): array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$this->tables->holds} WHERE hold_key = %s AND state = 'committed' ORDER BY product_id, location_id", EventValidator::key( $key ) ) );
		return array_map( static fn( $r ) => array( (int) $r['product_id'], (int) $r['location_id'], (int) $r['qty'] ), $rows );
	}

	/**
	 * The units that left $key's commitment for good, by cell: fulfilled part by part
	 * (fulfil_lines(), a shipment) or released by a refund (uncommit() with a "refund-" tag). What
	 * is committed now is what the order's lines still want less these.
	 *
	 * @param string $key Order key.
	 * @return array<string, int> "product:location" => units.
	 */
	public function spent( string $key ): array {
		$key  = EventValidator::key( $key );
		$like = fn( string $prefix ): string => $this->db->wpdb->esc_like( $prefix ) . '%';
		$rows = $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, SUM(qty) AS qty FROM {$this->tables->ledger} WHERE kind = 'release' AND ( event_id LIKE %s OR event_id LIKE %s ) GROUP BY product_id, location_id", $like( "fulfil-release:$key:" ), $like( "uncommit:$key:refund-" ) ) );
		$out  = array();
		foreach ( $rows as $row ) {
			$out[ $row['product_id'] . ':' . $row['location_id'] ] = (int) $row['qty'];
		}
		return $out;
	}

	/**
	 * Takes back committed units of $key (a paid order cancelled or refunded before it shipped):
	 * committed -= qty. All of them, or at most $lines' quantities. Returns the units released.
	 * $tag makes the event ids unique per occasion (e.g. a refund id); a repeated tag changes nothing.
	 *
	 * @param string     $key     Order key.
	 * @param array|null $lines   [[product, location, qty], ...], or null for everything committed.
	 * @param string     $tag     Occasion.
	 * @param array      $context source, actor, reference.
	 * @throws \Omnistock\Unavailable When the commitment kept moving while it was being released (nothing released).
	 */
	public function uncommit( string $key, ?array $lines, string $tag, array $context = array() ): int {
		$key  = EventValidator::key( $key );
		$want = null;
		if ( null !== $lines ) {
			$want = array();
			foreach ( $this->validator()->lines( $lines ) as list( $product, $location, $qty ) ) {
				$want[ "$product:$location" ] = ( $want[ "$product:$location" ] ?? 0 ) + $qty;
			}
		}
		// The commitment is read before the cells are locked, and checked again under them: when it
		// moved in between (a pickup's units received at its store, a reassign), read it again.
		for ( $attempt = 1; ; $attempt++ ) {
			try {
				return $this->uncommit_once( $key, $want, $tag, $context );
			} catch ( HoldRefused $moved ) {
				if ( $attempt >= 3 ) {
					throw new \Omnistock\Unavailable( 'omnistock_busy', __( 'The order\'s units changed meanwhile; nothing was released. Try again.', 'omnistock' ), false, 0, $moved );
				}
			}
		}
	}

	/**
	 * One try of uncommit(): HoldRefused (nothing changed) when the commitment it read moved before
	 * the cells were locked.
	 *
	 * @param string                  $key     Order key.
	 * @param array<string, int>|null $want    "product:location" => units, or null for everything.
	 * @param string                  $tag     Occasion.
	 * @param array                   $context source, actor, reference.
	 * @throws HoldRefused When the commitment moved meanwhile.
	 */
	private function uncommit_once( string $key, ?array $want, string $tag, array $context ): int {
		$t         = $this->tables;
		$rows      = $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$t->holds} WHERE hold_key = %s AND state = 'committed'", $key ) );
		$events    = array();
		$take      = array();
		$read      = array();
		$now       = Database::now_ms();
		$validator = $this->validator();
		foreach ( $rows as $row ) {
			$cell          = $row['product_id'] . ':' . $row['location_id'];
			$read[ $cell ] = (int) $row['qty'];
			$qty           = null === $want ? (int) $row['qty'] : min( (int) $row['qty'], $want[ $cell ] ?? 0 );
			if ( $qty > 0 ) {
				$take[ $cell ] = array( (int) $row['product_id'], (int) $row['location_id'], $qty );
				$events[]      = $this->internal_event( $validator, "uncommit:$key:$tag:$cell", 'release', (int) $row['product_id'], (int) $row['location_id'], $qty, $now, $context + array( 'reference' => $key ) );
			}
		}
		if ( ! $events ) {
			return 0;
		}
		$units = 0;
		$this->apply(
			$events,
			function ( array $levels, CellGuard $guard, array $result ) use ( $key, $take, $read, $t, &$units ): void {
				if ( 0 === $result['applied'] ) {
					return;
				}
				$still = array();
				foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$t->holds} WHERE hold_key = %s AND state = 'committed' FOR UPDATE", $key ) ) as $row ) {
					$still[ $row['product_id'] . ':' . $row['location_id'] ] = (int) $row['qty'];
				}
				ksort( $still );
				ksort( $read );
				if ( $still !== $read ) {
					throw new HoldRefused( array() ); // Moved meanwhile: roll back, read again.
				}
				foreach ( $take as list( $product, $location, $qty ) ) {
					$units += $qty;
					$this->db->statement( $this->db->prepare( "UPDATE {$t->holds} SET qty = qty - %d WHERE hold_key = %s AND product_id = %d AND location_id = %d AND state = 'committed'", $qty, $key, $product, $location ) );
				}
				$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'committed' AND qty <= 0", $key ) );
			}
		);
		return $units;
	}

	/**
	 * The units committed under $key at $from reach $to (a pickup order's units sent to its store):
	 * in one transaction, a transfer from → to of each committed cell's units (the ledger's adjust
	 * pair under one id), and the commitment moves with them (released at $from, committed at $to).
	 * Sellable stays the same at both. Returns the units moved: 0 when nothing is committed there,
	 * e.g. a repeat (the event ids make it idempotent).
	 *
	 * @param string $key     Order key.
	 * @param int    $from    The location the units leave.
	 * @param int    $to      The location they reach.
	 * @param array  $context source, actor, reference.
	 * @throws InvalidEvent When the key or a location is malformed, or $from is $to.
	 * @throws \Omnistock\Unavailable When the commitment changed while the cells were being locked (nothing moved).
	 */
	public function transfer_committed( string $key, int $from, int $to, array $context = array() ): int {
		$key = EventValidator::key( $key );
		if ( $from === $to ) {
			throw new InvalidEvent( 'to', __( 'must be another location than the one the units leave', 'omnistock' ) );
		}
		$t    = $this->tables;
		$rows = $this->db->rows( $this->db->prepare( "SELECT product_id, qty FROM {$t->holds} WHERE hold_key = %s AND location_id = %d AND state = 'committed' AND qty > 0 ORDER BY product_id", $key, $from ) );
		if ( ! $rows ) {
			return 0;
		}
		$validator = $this->validator();
		$now       = Database::now_ms();
		$context  += array(
			'reference' => $key,
			'reason'    => 'transfer',
		);
		$events    = array();
		$moving    = array();
		foreach ( $rows as $row ) {
			$product            = (int) $row['product_id'];
			$qty                = (int) $row['qty'];
			$moving[ $product ] = $qty;
			$events[]           = $this->internal_event( $validator, "transfer:$key:$product:$from:$to", 'transfer', $product, $from, $qty, $now, $context, $to );
			$events[]           = $this->internal_event( $validator, "uncommit:$key:transfer:$product:$from:$to", 'release', $product, $from, $qty, $now, $context );
			$events[]           = $this->internal_event( $validator, "commit:$key:transfer:$product:$from:$to", 'commit', $product, $to, $qty, $now, $context );
		}
		$units = 0;
		try {
			$this->apply(
				$events,
				function ( array $levels, CellGuard $guard, array $result ) use ( $key, $from, $to, $moving, $now, $t, &$units ): void {
					if ( 0 === $result['applied'] ) {
						return; // Moved before.
					}
					// Read before the cells were locked: a release of the same order in between (a
					// cancel in wp-admin) must not be moved a second time.
					$still = array();
					foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, qty FROM {$t->holds} WHERE hold_key = %s AND location_id = %d AND state = 'committed' AND qty > 0 ORDER BY product_id FOR UPDATE", $key, $from ) ) as $row ) {
						$still[ (int) $row['product_id'] ] = (int) $row['qty'];
					}
					if ( $still !== $moving ) {
						throw new HoldRefused( array() );
					}
					foreach ( $moving as $product => $qty ) {
						$units += $qty;
						$this->db->statement( $this->db->prepare( "INSERT INTO {$t->holds} (hold_key, product_id, location_id, qty, state, expires_at, created_at) VALUES (%s, %d, %d, %d, 'committed', 0, %d) ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)", $key, $product, $to, $qty, $now ) );
						$this->db->statement( $this->db->prepare( "UPDATE {$t->holds} SET qty = qty - %d WHERE hold_key = %s AND product_id = %d AND location_id = %d AND state = 'committed'", $qty, $key, $product, $from ) );
					}
					$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND location_id = %d AND state = 'committed' AND qty <= 0", $key, $from ) );
				}
			);
		} catch ( HoldRefused $changed ) {
			throw new \Omnistock\Unavailable( 'omnistock_busy', __( 'The order\'s units changed meanwhile; nothing was moved. Try again.', 'omnistock' ), false, 0, $changed );
		}
		return $units;
	}

	/**
	 * The commitment of $key moves to $to, in one transaction: each line's units are released where
	 * they are committed and committed at $to, only if $to can supply all of them (holds of carts and
	 * checkouts count); nothing moves otherwise. The units stay on the shelves (no transfer): a
	 * pickup order reassigned to another store. $tag makes the event ids unique per occasion.
	 *
	 * @param string                     $key     Order key.
	 * @param list<array{int, int, int}> $lines   [[product, committed at, qty], ...] as committed() lists them.
	 * @param int                        $to      The location that takes the commitment.
	 * @param string                     $tag     Occasion (e.g. "reassign-<uuid>").
	 * @param array                      $context source, actor, reference.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 * @throws \Omnistock\Unavailable When the commitment changed while the cells were being locked (nothing moved).
	 */
	public function move_committed( string $key, array $lines, int $to, string $tag, array $context = array() ): array {
		return $this->move_commitments( $key, array_map( static fn( $line ) => array( $line[0] ?? null, $line[1] ?? null, $line[2] ?? null, $to ), $lines ), $tag, $context );
	}

	/**
	 * Moves parts of the commitment of $key, each to its own location, in one transaction, all or
	 * nothing: each move's units are released where they are committed and committed at its target,
	 * only if every target can supply what it takes (holds of carts and checkouts count). The units
	 * stay on the shelves (no transfer): an order re-routed to ship from another location. $tag
	 * makes the event ids unique per occasion (move_committed()'s ids for a single target).
	 *
	 * @param string                          $key     Order key.
	 * @param list<array{int, int, int, int}> $moves   [[product, committed at, qty, to], ...].
	 * @param string                          $tag     Occasion (e.g. "reroute-<uuid>").
	 * @param array                           $context source, actor, reference.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 * @throws InvalidEvent When a move is malformed.
	 * @throws \Omnistock\Unavailable When the commitment changed while the cells were being locked (nothing moved).
	 */
	public function move_commitments( string $key, array $moves, string $tag, array $context = array() ): array {
		$key       = EventValidator::key( $key );
		$validator = $this->validator();
		$now       = Database::now_ms();
		$context  += array( 'reference' => $key );
		$events    = array();
		$moving    = array(); // "product:from" => qty.
		$there     = array(); // "product:to" => qty.
		foreach ( array_values( $moves ) as $i => $move ) {
			if ( ! is_array( $move ) ) {
				throw new InvalidEvent( "moves[$i]", __( 'must be [product, from, qty, to]', 'omnistock' ) );
			}
			list( list( $product, $from, $qty ) ) = $validator->lines( array( array( $move[0] ?? null, $move[1] ?? null, $move[2] ?? null ) ) );
			$to                                   = $validator->lines( array( array( $product, $move[3] ?? null, $qty ) ) )[0][1];
			if ( $from === $to ) {
				continue;
			}
			$moving[ "$product:$from" ] = ( $moving[ "$product:$from" ] ?? 0 ) + $qty;
			$there[ "$product:$to" ]    = ( $there[ "$product:$to" ] ?? 0 ) + $qty;
		}
		foreach ( $moving as $cell => $qty ) {
			list( $product, $from ) = array_map( 'intval', explode( ':', $cell ) );
			$events[]               = $this->internal_event( $validator, "uncommit:$key:$tag:$cell", 'release', $product, $from, $qty, $now, $context );
		}
		foreach ( $there as $cell => $qty ) {
			list( $product, $to ) = array_map( 'intval', explode( ':', $cell ) );
			$events[]             = $this->internal_event( $validator, "commit:$key:$tag:$cell", 'commit', $product, $to, $qty, $now, $context );
		}
		if ( ! $events ) {
			return array(
				'ok'    => true,
				'short' => array(),
			);
		}
		$t = $this->tables;
		try {
			$this->apply(
				$events,
				function ( array $levels, CellGuard $guard, array $result ) use ( $key, $moving, $there, $now, $t ): void {
					if ( 0 === $result['applied'] ) {
						return; // Moved before.
					}
					$still = array();
					foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, qty FROM {$t->holds} WHERE hold_key = %s AND state = 'committed' FOR UPDATE", $key ) ) as $row ) {
						$cell = $row['product_id'] . ':' . $row['location_id'];
						if ( isset( $moving[ $cell ] ) && (int) $row['qty'] < $moving[ $cell ] ) {
							throw new HoldRefused( array() ); // Released meanwhile (a cancel): nothing moves.
						}
						$still[ $cell ] = true;
					}
					if ( array_diff_key( $moving, $still ) ) {
						throw new HoldRefused( array() );
					}
					$targets = array();
					foreach ( $there as $cell => $qty ) {
						$targets[] = array_merge( array_map( 'intval', explode( ':', $cell ) ), array( $qty ) );
					}
					$this->refuse_if_oversold( $targets, $levels, $guard );
					foreach ( $moving as $cell => $qty ) {
						list( $product, $from ) = array_map( 'intval', explode( ':', $cell ) );
						$this->db->statement( $this->db->prepare( "UPDATE {$t->holds} SET qty = qty - %d WHERE hold_key = %s AND product_id = %d AND location_id = %d AND state = 'committed'", $qty, $key, $product, $from ) );
					}
					foreach ( $targets as list( $product, $to, $qty ) ) {
						$this->db->statement( $this->db->prepare( "INSERT INTO {$t->holds} (hold_key, product_id, location_id, qty, state, expires_at, created_at) VALUES (%s, %d, %d, %d, 'committed', 0, %d) ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)", $key, $product, $to, $qty, $now ) );
					}
					$this->db->statement( $this->db->prepare( "DELETE FROM {$t->holds} WHERE hold_key = %s AND state = 'committed' AND qty <= 0", $key ) );
				}
			);
		} catch ( HoldRefused $refused ) {
			if ( ! $refused->short ) { // Not short: the commitment changed meanwhile.
				throw new \Omnistock\Unavailable( 'omnistock_busy', __( 'The order\'s units changed meanwhile; nothing was moved. Try again.', 'omnistock' ), false, 0, $refused );
			}
			return array(
				'ok'    => false,
				'short' => $refused->short,
			);
		}
		return array(
			'ok'    => true,
			'short' => array(),
		);
	}

	/**
	 * A direct sale (POS): the units leave on_hand at once, all lines or none, and only if they
	 * are sellable (holds of carts and checkouts count). Repeating $id changes nothing.
	 *
	 * @param string   $id             Sale id (e.g. "pos:<uuid>").
	 * @param mixed    $lines          [[product, location, qty], ...].
	 * @param array    $context        source, actor, reference, reason.
	 * @param int|null $at             When the sale happened (milliseconds; a sale made offline
	 *                                 arrives late and lands in its place), or null for now.
	 * @param bool     $allow_oversell Sell even what is not sellable (units in the cashier's hand):
	 *                                 the oversell shows in the levels.
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>}
	 */
	public function sell( string $id, mixed $lines, array $context = array(), ?int $at = null, bool $allow_oversell = false ): array {
		$id        = EventValidator::key( $id );
		$validator = $this->validator();
		$lines     = $validator->lines( $lines );
		$events    = array();
		$at        = $at ?? Database::now_ms();
		foreach ( $lines as list( $product, $location, $qty ) ) {
			$events[] = $this->internal_event( $validator, "$id:$product:$location", 'adjust', $product, $location, -$qty, $at, $context + array( 'reason' => 'sale' ) );
		}
		try {
			$this->apply(
				$events,
				function ( array $levels, CellGuard $guard, array $result ) use ( $lines, $allow_oversell ): void {
					if ( $result['applied'] > 0 && ! $allow_oversell ) {
						$this->refuse_if_oversold( $lines, $levels, $guard );
					}
				}
			);
		} catch ( HoldRefused $refused ) {
			return array(
				'ok'    => false,
				'short' => $refused->short,
			);
		}
		return array(
			'ok'    => true,
			'short' => array(),
		);
	}

	/**
	 * Records in the ledger that units were wanted and not there (a paid order whose hold had
	 * expired and whose stock was sold): one `short` row per cell, which moves no level (every fold
	 * skips it) but stays in the append-only ledger beside the events, for the audit and reports.
	 * Repeating $id records nothing new.
	 *
	 * @param string $id      Record id (e.g. "wc:order:123:short").
	 * @param array  $shorts  [{product, location, wanted, sellable}, ...] as commit() reports them.
	 * @param array  $context source, actor, reference, reason.
	 * @return int Rows recorded.
	 */
	public function record_short( string $id, array $shorts, array $context = array() ): int {
		$id        = EventValidator::key( $id );
		$validator = $this->validator();
		$now       = Database::now_ms();
		$values    = array();
		foreach ( $shorts as $short ) {
			$wanted = (int) $short['wanted'];
			$e      = $this->internal_event( $validator, $id . ':' . (int) $short['product'] . ':' . (int) $short['location'], 'commit', (int) $short['product'], (int) $short['location'], max( 1, $wanted ), $now, $context + array( 'reason' => 'paid-unavailable' ) );
			// Validated as a commit of the units wanted; stored as what it is.
			$values[] = $this->db->prepare( '(%s, %s, %d, %d, NULL, %d, %d, %d, %s, %s, %s, %s)', $e['id'], self::SHORT, $e['product'], $e['location'], $e['qty'], $e['at'], $now, $e['source'], $e['reference'], $e['actor'], $e['reason'] );
		}
		if ( ! $values ) {
			return 0;
		}
		return (int) $this->db->statement(
			"INSERT IGNORE INTO {$this->tables->ledger} (event_id, kind, product_id, location_id, to_location_id, qty, at, arrived_at, source, reference, actor, reason) VALUES "
			. implode( ', ', $values )
		);
	}

	/**
	 * References (e.g. "order:123") of the latest `short` records, newest first.
	 *
	 * @param int $limit At most this many.
	 * @return list<string>
	 */
	public function short_references( int $limit = 50 ): array {
		return array_column(
			$this->db->rows(
				$this->db->prepare( "SELECT reference, MAX(seq) AS latest FROM {$this->tables->ledger} WHERE kind = %s GROUP BY reference ORDER BY latest DESC LIMIT %d", self::SHORT, max( 1, $limit ) )
			),
			'reference'
		);
	}

	/**
	 * Stock of one product at every location, and its online total (Sellable::online()).
	 *
	 * @param int $product Product id.
	 * @return array{product:int, locations:list<array<string, int|string|bool>>, online:int}
	 */
	public function stock( int $product ): array {
		$t    = $this->tables;
		$rows = $this->db->rows(
			$this->db->prepare(
				"SELECT l.id, l.name, l.ships_online, l.offers_pickup, COALESCE(v.on_hand, 0) AS on_hand, COALESCE(v.committed, 0) AS committed, COALESCE(v.safety, l.safety_default) AS safety
				FROM {$t->locations} l LEFT JOIN {$t->levels} v ON v.location_id = l.id AND v.product_id = %d
				ORDER BY l.priority, l.id",
				$product
			)
		);
		$out  = array();
		foreach ( $rows as $row ) {
			$location = (int) $row['id'];
			$held     = $this->holds->held( $product, $location );
			$out[]    = array(
				'location'      => $location,
				'name'          => $row['name'],
				'ships_online'  => (bool) $row['ships_online'],
				'on_hand'       => (int) $row['on_hand'],
				'committed'     => (int) $row['committed'],
				'safety'        => (int) $row['safety'],
				'held'          => $held,
				'sellable'      => Sellable::of( (int) $row['on_hand'], (int) $row['committed'], (int) $row['safety'], $held ),
				'offers_pickup' => (bool) $row['offers_pickup'], // Last: callers that read the fields by position keep theirs.
			);
		}
		return array(
			'product'   => $product,
			'locations' => $out,
			'online'    => Sellable::online( $out ),
		);
	}

	/**
	 * Sellable units of several products at one location (on_hand − committed − safety − held;
	 * may be negative), in one query: what a POS terminal may sell there.
	 *
	 * @param int[] $products Product ids.
	 * @param int   $location Location id.
	 * @return array<int, int> product id => sellable
	 */
	public function sellable_at( array $products, int $location ): array {
		$products = array_values( array_unique( array_map( 'intval', $products ) ) );
		if ( ! $products ) {
			return array();
		}
		$t       = $this->tables;
		$default = (int) $this->db->value( $this->db->prepare( "SELECT safety_default FROM {$t->locations} WHERE id = %d", $location ) );
		$levels  = array();
		foreach ( array_chunk( $products, self::CHUNK ) as $chunk ) {
			$in = $this->db->prepare( implode( ', ', array_fill( 0, count( $chunk ), '%d' ) ), ...$chunk );
			foreach ( $this->db->rows( $this->db->prepare( 'SELECT product_id, ' . Sellable::base_sql() . " AS base FROM {$t->levels} WHERE location_id = %d AND product_id IN ($in)", $location ) ) as $row ) {
				$levels[ (int) $row['product_id'] ] = (int) $row['base'];
			}
		}
		// Holds need sellable units, so a cell without a level row holds nothing.
		$cells = array_map( static fn( int $product ): array => array( $product, $location ), array_keys( $levels ) );
		$held  = $this->holds instanceof DatabaseHolds ? $this->holds->held_many( $cells ) : array();
		$out   = array();
		foreach ( $products as $product ) {
			if ( ! isset( $levels[ $product ] ) ) {
				$out[ $product ] = Sellable::of( 0, 0, $default );
				continue;
			}
			$out[ $product ] = Sellable::less_held( $levels[ $product ], $held[ Cells::key( $product, $location ) ] ?? $this->holds->held( $product, $location ) );
		}
		return $out;
	}

	/**
	 * Sets the safety stock of a cell (units kept back for walk-in customers).
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 * @param int $safety   Units, >= 0.
	 * @throws InvalidEvent When the safety or the cell is invalid.
	 */
	public function set_safety( int $product, int $location, int $safety ): void {
		if ( $safety < 0 ) {
			throw new InvalidEvent( 'safety', __( 'must be an integer >= 0', 'omnistock' ) );
		}
		$this->validator()->lines( array( array( $product, $location, 1 ) ) );
		$this->locked(
			array( array( $product, $location ) ),
			function ( array &$levels ) use ( $product, $location, $safety ): array {
				$levels[ Cells::key( $product, $location ) ]['safety'] = $safety;
				return array( array( Cells::key( $product, $location ) => true ), null );
			}
		);
	}

	/**
	 * The last ledger rows, newest first, optionally of one product / location.
	 *
	 * @param int      $limit    At most this many.
	 * @param int|null $product  Only this product.
	 * @param int|null $location Only this location (as source or destination).
	 * @return list<array<string, string|null>>
	 */
	public function ledger_tail( int $limit = 20, ?int $product = null, ?int $location = null ): array {
		$t     = $this->tables;
		$where = array( '1 = 1' );
		if ( null !== $product ) {
			$where[] = $this->db->prepare( 'product_id = %d', $product );
		}
		if ( null !== $location ) {
			$where[] = $this->db->prepare( '(location_id = %d OR to_location_id = %d)', $location, $location );
		}
		return $this->db->rows(
			"SELECT seq, event_id, kind, product_id, location_id, to_location_id, qty, at, arrived_at, source, reference, actor, reason FROM {$t->ledger} WHERE "
			. implode( ' AND ', $where ) . $this->db->prepare( ' ORDER BY seq DESC LIMIT %d', max( 1, min( $limit, 10000 ) ) )
		);
	}

	/**
	 * Ids of the products with a level at some location, in id order, one page of them.
	 *
	 * @param int $limit  At most this many.
	 * @param int $offset After skipping this many.
	 * @return list<int>
	 */
	public function stocked_products( int $limit, int $offset ): array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT DISTINCT product_id FROM {$this->tables->levels} ORDER BY product_id LIMIT %d OFFSET %d", $limit, $offset ) );
		return array_map( 'intval', array_column( $rows, 'product_id' ) );
	}

	/**
	 * Validator knowing the current locations.
	 */
	public function validator(): EventValidator {
		$this->location_ids ??= $this->load_location_ids();
		return new EventValidator( $this->location_ids, array( $this, 'reload_location_ids' ) );
	}

	/**
	 * Reads the location ids again (a location was added since).
	 *
	 * @return array<int, true>
	 */
	public function reload_location_ids(): array {
		$this->location_ids = $this->load_location_ids();
		return $this->location_ids;
	}

	/**
	 * Ids of the locations, read from the database.
	 *
	 * @return array<int, true>
	 */
	private function load_location_ids(): array {
		$ids = array();
		foreach ( $this->db->rows( "SELECT id FROM {$this->tables->locations}" ) as $row ) {
			$ids[ (int) $row['id'] ] = true;
		}
		return $ids;
	}

	/**
	 * Applies normalised events under the cells' locks; $inside runs in the same transaction
	 * after the levels are written and published, and may throw HoldRefused to undo everything.
	 *
	 * @param list<array>   $events           Normalised events.
	 * @param callable|null $inside           function( array $levels, CellGuard $guard, array $result ): void.
	 * @param bool          $refuse_conflicts Roll back and throw ConflictingEvent on a conflict.
	 * @return array{applied:int, duplicates:int, conflicts:list<string>, oversold:list<array{product:int, location:int, sellable:int}>}
	 * @throws ConflictingEvent When refusing conflicts and there is one.
	 * @throws HoldRefused When $inside refused (everything is rolled back).
	 */
	private function apply( array $events, ?callable $inside = null, bool $refuse_conflicts = false ): array {
		$cells = array();
		foreach ( $events as $e ) {
			$cells[] = array( $e['product'], $e['location'] );
			if ( null !== $e['to'] ) {
				$cells[] = array( $e['product'], $e['to'] );
			}
		}
		$result = null;
		$this->locked(
			Cells::canonical( $cells ),
			function ( array &$levels, CellGuard $guard ) use ( $events, $inside, $refuse_conflicts, &$result ): array {
				$result = $this->fold_batch( $events, $levels );
				if ( $refuse_conflicts && $result['conflicts'] ) {
					$index = array_search( $result['conflicts'][0], array_column( $events, 'id' ), true );
					throw new ConflictingEvent( 'events[' . $events[ (int) $index ]['index'] . '].id', $result['conflicts'][0] );
				}
				$changed = $result['changed'];
				unset( $result['changed'] );
				return array( $changed, $inside ? fn() => $inside( $levels, $guard, $result ) : null );
			},
			$result
		);
		return $result;
	}

	/**
	 * Locks cells, runs $work on their levels in a transaction, writes and publishes what changed.
	 *
	 * @param list<array{0:int, 1:int}> $cells  Cells in canonical order.
	 * @param callable                  $work   function( array &$levels, CellGuard $guard ): array{0: array<string, true>, 1: ?callable} — the changed cells, and what to run in the transaction once they are written.
	 * @param array|null                $result Receives the oversold list.
	 * @throws HoldRefused When the work refused; after ROLLBACK, the cells' bases are published again.
	 * @throws \Throwable Whatever else failed, after ROLLBACK; the cells' bases are forgotten.
	 */
	private function locked( array $cells, callable $work, ?array &$result = null ): void {
		Cells::ensure( $this->db, $this->tables, $cells );
		$guard            = $this->holds->lock( $cells );
		$before           = array();
		$final            = array();
		$changed_products = array();
		try {
			$this->db->transaction(
				function () use ( $cells, $work, $guard, &$result, &$before, &$final ): void {
					$levels = Cells::lock_levels( $this->db, $this->tables, $cells );
					$before = array();
					foreach ( $levels as $key => $l ) {
						$before[ $key ] = array( $l['product'], $l['location'], Sellable::of( $l['on_hand'], $l['committed'], $l['safety'] ) );
						$guard->publish( $l['product'], $l['location'], $before[ $key ][2] );
					}
					list( $changed, $after ) = $work( $levels, $guard );
					$changed_levels          = array_intersect_key( $levels, $changed );
					if ( $changed_levels ) {
						Cells::write_levels( $this->db, $this->tables, $changed_levels );
					}
					if ( $after ) {
						$after(); // May settle a hold, or refuse (HoldRefused) and roll everything back.
					}
					// Until COMMIT, holds see the lower of the old and new base: whether the
					// transaction commits or rolls back, no hold made meanwhile can oversell.
					$final = array();
					foreach ( $changed_levels as $key => $l ) {
						$final[ $key ] = array( $l['product'], $l['location'], Sellable::of( $l['on_hand'], $l['committed'], $l['safety'] ) );
						$guard->publish( $l['product'], $l['location'], min( $before[ $key ][2], $final[ $key ][2] ) );
					}
					$oversold = array();
					foreach ( $final as list( $product, $location, $base ) ) {
						$sellable = $guard->sellable( $product, $location, $base );
						if ( $sellable < 0 ) {
							$oversold[] = array(
								'product'  => $product,
								'location' => $location,
								'sellable' => $sellable,
							);
						}
					}
					/**
					 * Fires inside the transaction, cells locked, just before COMMIT.
					 *
					 * @param list<array{0:int, 1:int}> $cells   The locked cells.
					 * @param list<array{0:int, 1:int}> $changed The cells whose levels this transaction changed.
					 */
					do_action( 'omnistock_before_commit', $cells, array_values( array_map( static fn( array $f ): array => array( $f[0], $f[1] ), $final ) ) );
					if ( is_array( $result ) ) {
						$result['oversold'] = $oversold;
					}
				}
			);
			foreach ( $final as list( $product, $location, $base ) ) {
				$guard->publish( $product, $location, $base );
			}
			$changed_products = array_values( array_unique( array_column( $final, 0 ) ) );
		} catch ( HoldRefused $refused ) {
			// A refusal rolled the database back to the bases read under the lock: say them again
			// (a settle may have moved them), so the cells stay known and holds go on.
			foreach ( $before as list( $product, $location, $base ) ) {
				$guard->publish( $product, $location, $base );
			}
			throw $refused;
		} catch ( \Throwable $e ) {
			$guard->forget( $cells );
			throw $e;
		} finally {
			$guard->release();
		}
		self::announce( $changed_products );
	}

	/**
	 * Announces a committed change of these products' stock (levels, holds, or what counts
	 * online: Locations announces the products of a location whose flags changed that).
	 *
	 * @param int[] $products Product ids.
	 */
	public static function announce( array $products ): void {
		$products = array_values( array_unique( array_map( 'intval', $products ) ) );
		if ( $products ) {
			/**
			 * Fires after a committed change of these products' cells or holds, locks released
			 * (the WooCommerce adapter writes the online sellable back to the product).
			 *
			 * @param int[]     $products Product ids.
			 */
			do_action( 'omnistock_products_changed', $products );
		}
	}

	/**
	 * Ledger rows of these event ids, by id.
	 *
	 * @param string[] $ids Event ids.
	 * @return array<string, array<string, string|null>>
	 */
	private function existing( array $ids ): array {
		$found = array();
		foreach ( array_chunk( array_values( array_unique( $ids ) ), self::CHUNK ) as $chunk ) {
			$in = $this->db->prepare( implode( ', ', array_fill( 0, count( $chunk ), '%s' ) ), ...$chunk );
			foreach ( $this->db->rows( "SELECT event_id, kind, product_id, location_id, to_location_id, qty, at FROM {$this->tables->ledger} WHERE event_id IN ($in)" ) as $row ) {
				$found[ (string) $row['event_id'] ] = $row;
			}
		}
		return $found;
	}

	/**
	 * Appends events to the ledger (multi-row inserts).
	 *
	 * @param list<array> $events New, normalised events.
	 */
	private function insert( array $events ): void {
		$arrived = Database::now_ms();
		foreach ( array_chunk( $events, self::CHUNK ) as $chunk ) {
			$values = array();
			foreach ( $chunk as $e ) {
				$values[] = null === $e['to']
					? $this->db->prepare( '(%s, %s, %d, %d, NULL, %d, %d, %d, %s, %s, %s, %s)', $e['id'], $e['kind'], $e['product'], $e['location'], $e['qty'], $e['at'], $arrived, $e['source'], $e['reference'], $e['actor'], $e['reason'] )
					: $this->db->prepare( '(%s, %s, %d, %d, %d, %d, %d, %d, %s, %s, %s, %s)', $e['id'], $e['kind'], $e['product'], $e['location'], $e['to'], $e['qty'], $e['at'], $arrived, $e['source'], $e['reference'], $e['actor'], $e['reason'] );
			}
			$this->db->statement(
				"INSERT INTO {$this->tables->ledger} (event_id, kind, product_id, location_id, to_location_id, qty, at, arrived_at, source, reference, actor, reason) VALUES "
				. implode( ', ', $values )
			);
		}
	}

	/**
	 * Folds a batch with Omnistock\Ledger onto the locked cells' state, appends the events it
	 * applied to the ledger and moves the levels.
	 *
	 * @param list<array> $events Events (EventValidator::events()).
	 * @param array       $levels Locked levels by cell key (updated).
	 * @return array{applied:int, duplicates:int, conflicts:list<string>, changed:array<string, true>}
	 * @throws InvalidEvent When the extension finds an event malformed (nothing is written).
	 */
	private function fold_batch( array $events, array &$levels ): array {
		$ids      = array_filter( array_column( $events, 'id' ), 'is_string' );
		$existing = $ids ? $this->existing( $ids ) : array();
		$known    = array();
		$taken    = array();
		foreach ( $existing as $id => $row ) {
			if ( self::SHORT === $row['kind'] ) {
				$taken[ $id ] = true; // A record of units not there: its id is taken by no event.
				continue;
			}
			$known[] = self::event_of_row( $row );
		}
		$conflicts = array();
		$batch     = $events;
		if ( $taken ) {
			$batch = array();
			foreach ( $events as $e ) {
				if ( is_string( $e['id'] ) && isset( $taken[ $e['id'] ] ) ) {
					$conflicts[] = $e['id'];
					continue;
				}
				$batch[] = $e;
			}
		}
		$ledger = new \Omnistock\Ledger();
		$ledger->seed( $this->seeds( $batch, $levels ), $known );
		$result = self::fold( $ledger, $batch );

		$new = array();
		foreach ( $result['new'] as $i ) {
			$new[] = $batch[ $i ];
		}
		$this->insert( $new );
		$changed = array();
		foreach ( $result['levels'] as $state ) {
			$key                         = Cells::key( (int) $state['product'], (int) $state['location'] );
			$levels[ $key ]['on_hand']   = $state['on_hand'];
			$levels[ $key ]['committed'] = $state['committed'];
			$levels[ $key ]['count_at']  = $state['count'] ? $state['count']['at'] : null;
			$levels[ $key ]['count_id']  = $state['count'] ? $state['count']['id'] : null;
			$changed[ $key ]             = true;
		}
		return array(
			'applied'    => $result['applied'],
			'duplicates' => $result['duplicates'] + count( $conflicts ),
			'conflicts'  => array_values( array_unique( array_merge( $conflicts, $result['conflicts'] ) ) ),
			'changed'    => $changed,
		);
	}

	/**
	 * Applies events to a Ledger; a malformed one becomes InvalidEvent naming it as given
	 * ("events[2].qty").
	 *
	 * @param \Omnistock\Ledger $ledger The ledger.
	 * @param list<array>       $events Events (EventValidator::events()).
	 * @return array{applied:int, duplicates:int, conflicts:list<string>, new:list<int>, levels:list<array>}
	 * @throws InvalidEvent When an event is malformed.
	 */
	private static function fold( \Omnistock\Ledger $ledger, array $events ): array {
		$input = array();
		foreach ( $events as $e ) {
			$input[] = $e['ledger'];
		}
		try {
			$result = $ledger->apply( $input, true );
		} catch ( \Omnistock\MalformedEvent $bad ) {
			$path = 'events[' . $events[ $bad->index ]['index'] . ']' . ( null === $bad->field ? '' : '.' . $bad->field );
			/* translators: %s: what the stock extension says is wrong */
			throw new InvalidEvent( $path, sprintf( __( 'is malformed (%s)', 'omnistock' ), self::reason( $bad->getMessage() ) ) );
		}
		return $result;
	}

	/**
	 * The part of the extension's message that says what is wrong ("\"qty\" must not be 0 ...").
	 *
	 * @param string $message MalformedEvent's message.
	 */
	private static function reason( string $message ): string {
		$colon = strpos( $message, ': ', (int) strpos( $message, '$events) ' ) );
		return false === $colon ? $message : substr( $message, $colon + 2 );
	}

	/**
	 * What seed() needs of each locked cell: its stored levels and latest count; for a cell that
	 * gets a count later than that, the adjusts after the stored count from the ledger (grouped
	 * by time, those at or before the earliest new count summed at its time: it absorbs them).
	 * Any other cell's adjusts are never read again by this batch, so its on_hand stands for them.
	 *
	 * @param list<array> $events Events (EventValidator::events()).
	 * @param array       $levels Locked levels by cell key.
	 * @return list<array>
	 */
	private function seeds( array $events, array $levels ): array {
		$earliest = array(); // Cell key => the earliest at of a count that may become its latest.
		foreach ( $events as $e ) {
			$key = Cells::key( $e['product'], $e['location'] );
			if ( 'count' !== $e['kind'] || ! is_int( $e['at'] ) || ! isset( $levels[ $key ] ) ) {
				continue;
			}
			$stored = $levels[ $key ]['count_at'];
			if ( null === $stored || $e['at'] >= $stored ) {
				$earliest[ $key ] = min( $earliest[ $key ] ?? PHP_INT_MAX, $e['at'] );
			}
		}
		$t     = $this->tables;
		$seeds = array();
		foreach ( $levels as $key => $l ) {
			$count   = null === $l['count_at'] ? null : array(
				'id'  => (string) $l['count_id'],
				'at'  => $l['count_at'],
				'qty' => $l['on_hand'],
			);
			$adjusts = array();
			if ( isset( $earliest[ $key ] ) ) {
				$rows = $this->db->rows(
					$this->db->prepare(
						"SELECT GREATEST(at, %d) AS at, SUM(delta) AS qty FROM (
							SELECT at, CASE WHEN kind = 'transfer' THEN -qty ELSE qty END AS delta FROM {$t->ledger} WHERE product_id = %d AND location_id = %d AND kind IN ('adjust', 'transfer') AND at > %d
							UNION ALL SELECT at, qty AS delta FROM {$t->ledger} WHERE product_id = %d AND to_location_id = %d AND kind = 'transfer' AND at > %d
						) legs GROUP BY GREATEST(at, %d)",
						$earliest[ $key ],
						$l['product'],
						$l['location'],
						$l['count_at'] ?? -1,
						$l['product'],
						$l['location'],
						$l['count_at'] ?? -1,
						$earliest[ $key ]
					)
				);
				$sum  = 0;
				foreach ( $rows as $row ) {
					if ( 0 !== (int) $row['qty'] ) {
						$adjusts[] = array(
							'at'  => (int) $row['at'],
							'qty' => (int) $row['qty'],
						);
						$sum      += (int) $row['qty'];
					}
				}
				if ( null !== $count ) {
					$count['qty'] = $l['on_hand'] - $sum;
				} elseif ( $l['on_hand'] !== $sum ) {
					$adjusts[] = array(
						'at'  => 0,
						'qty' => $l['on_hand'] - $sum,
					); // Only if the stored level drifted from the ledger: keep what it says.
				}
			} elseif ( null === $count && 0 !== $l['on_hand'] ) {
				$adjusts[] = array(
					'at'  => 0,
					'qty' => $l['on_hand'],
				);
			}
			$seeds[] = array(
				'product'   => $l['product'],
				'location'  => $l['location'],
				'count'     => $count,
				'adjusts'   => $adjusts,
				'committed' => $l['committed'],
			);
		}
		return $seeds;
	}

	/**
	 * A stored ledger row as an event Omnistock\Ledger takes.
	 *
	 * @param array<string, string|null> $row Ledger row.
	 * @return array<string, int|string>
	 */
	private static function event_of_row( array $row ): array {
		$event = array(
			'id'       => (string) $row['event_id'],
			'kind'     => (string) $row['kind'],
			'product'  => (int) $row['product_id'],
			'location' => (int) $row['location_id'],
			'qty'      => (int) $row['qty'],
			'at'       => (int) $row['at'],
		);
		if ( null !== $row['to_location_id'] ) {
			$event['to'] = (int) $row['to_location_id'];
		}
		return $event;
	}

	/**
	 * Throws HoldRefused when a line's cell is left with sellable < 0.
	 *
	 * @param list<array{0:int, 1:int, 2:int}> $lines  Lines.
	 * @param array                            $levels Levels after the change.
	 * @param CellGuard                        $guard  The cells' guard.
	 * @throws HoldRefused When a line would leave its cell oversold.
	 */
	private function refuse_if_oversold( array $lines, array $levels, CellGuard $guard ): void {
		$short = array();
		foreach ( $lines as list( $product, $location, $qty ) ) {
			$l        = $levels[ Cells::key( $product, $location ) ];
			$sellable = $guard->sellable( $product, $location, Sellable::of( $l['on_hand'], $l['committed'], $l['safety'] ) );
			if ( $sellable < 0 ) {
				$short[] = array(
					'product'  => $product,
					'location' => $location,
					'wanted'   => $qty,
					'sellable' => $sellable + $qty,
				);
			}
		}
		if ( $short ) {
			throw new HoldRefused( $short );
		}
	}

	/**
	 * An event the service makes itself (commit, fulfil, sale).
	 *
	 * @param EventValidator $validator Validator of this operation.
	 * @param string         $id       Event id.
	 * @param string         $kind     Kind.
	 * @param int            $product  Product id.
	 * @param int            $location Location id.
	 * @param int            $qty      Quantity.
	 * @param int            $at       Milliseconds.
	 * @param array          $context  source, actor, reference, reason.
	 * @param int|null       $to       The destination of a transfer.
	 */
	private function internal_event( EventValidator $validator, string $id, string $kind, int $product, int $location, int $qty, int $at, array $context, ?int $to = null ): array {
		return $validator->event(
			array(
				'id'       => $id,
				'kind'     => $kind,
				'product'  => $product,
				'location' => $location,
				'qty'      => $qty,
				'at'       => $at,
			) + ( null === $to ? array() : array( 'to' => $to ) ),
			'event',
			$context + array( 'source' => 'omnistock' ),
			$at
		);
	}
}
