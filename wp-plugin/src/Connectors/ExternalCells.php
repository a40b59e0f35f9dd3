<?php
/**
 * What each external register last showed for a mapped cell, and what its news means here.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * The register's number for a cell is its own: what we pushed (our available to sell) moved by its
 * own sales and counts. A register's count therefore never overwrites ours (our number also holds
 * what is committed, kept safe and held online, which the register never sees); what it changed is
 * the difference between its count and the last one it showed, less our own pushes in between
 * (news = qty - ext_qty for a webhook, with nothing of ours in between, see below; news = qty -
 * ext_qty - delta for the answer to our push of delta), and that news becomes an adjust event here. Only an observation newer (by the provider's clock)
 * than the last one counts; an older or equal one is already in it (stale), which makes the result
 * independent of the order webhooks arrive in, and makes the echo of our push worth nothing. While a
 * push to the cell is in flight its webhooks wait (deferred): a count taken after the register
 * applied our push, read before we know the push landed, would pass our delta off as the register's.
 *
 * Callers serialise per connection (Connectors\Sync holds the connection's named lock), so a row
 * read here is not changed by anyone else before it is written back.
 */
final class ExternalCells {

	public const APPLIED  = 'applied';
	public const ECHO     = 'echo';
	public const STALE    = 'stale';
	public const BASELINE = 'baseline';
	public const DEFERRED = 'deferred';

	/**
	 * Takes its dependencies.
	 *
	 * @param Database  $db        The database.
	 * @param Tables    $tables    Table names.
	 * @param Inventory $inventory Where the news is recorded.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly Inventory $inventory ) {
	}

	/**
	 * The row of a cell for a connection, or null when the cell is not mapped for it.
	 *
	 * @param int $connection Connection id.
	 * @param int $product    Product id.
	 * @param int $location   Location id.
	 * @return array{ext_qty: ?int, ext_at: int, applied: int, pushed: int, inflight_key: string, inflight_delta: int, inflight_target: ?int, inflight_since: int, drift: ?int}|null
	 */
	public function get( int $connection, int $product, int $location ): ?array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->external_cells} WHERE connection_id = %d AND product_id = %d AND location_id = %d", $connection, $product, $location ) );
		return $rows ? self::typed( $rows[0] ) : null;
	}

	/**
	 * Makes sure a mapped cell has its row (no observation yet).
	 *
	 * @param int $connection Connection id.
	 * @param int $product    Product id.
	 * @param int $location   Location id.
	 */
	public function ensure( int $connection, int $product, int $location ): void {
		$this->db->statement( $this->db->prepare( "INSERT IGNORE INTO {$this->tables->external_cells} (connection_id, product_id, location_id, updated_at) VALUES (%d, %d, %d, %d)", $connection, $product, $location, Database::now_ms() ) );
	}

	/**
	 * Takes in what the register showed for a cell (a webhook's or a reconciliation's observation).
	 *
	 * @param int    $connection Connection id.
	 * @param int    $product    Product id.
	 * @param int    $location   Location id.
	 * @param int    $qty        The register's number.
	 * @param int    $at         Its time by the provider's clock (ms).
	 * @param string $event_id   The id of the adjust event its news becomes (unique per observation).
	 * @param array  $context    source, reference, actor, reason of that event.
	 * @param bool   $adopt      The register is the system of record here: a first sight that differs
	 *                           from our available to sell is adopted at once (on hand moves by the
	 *                           difference, reason `reconcile`), so that no push of ours overwrites it before
	 *                           reconciliation would have counted it.
	 * @return string APPLIED, ECHO, STALE, BASELINE (first sight) or DEFERRED (retry after the push in flight).
	 */
	public function observe( int $connection, int $product, int $location, int $qty, int $at, string $event_id, array $context, bool $adopt = false ): string {
		$row = $this->get( $connection, $product, $location );
		if ( null === $row ) {
			$this->ensure( $connection, $product, $location );
			$row = $this->get( $connection, $product, $location );
		}
		if ( '' !== $row['inflight_key'] ) {
			return self::DEFERRED;
		}
		if ( null !== $row['ext_qty'] && $at <= $row['ext_at'] ) {
			return $qty === $row['ext_qty'] && $at === $row['ext_at'] ? self::ECHO : self::STALE;
		}
		if ( null === $row['ext_qty'] ) {
			if ( $adopt ) {
				$this->adopt( $connection, $product, $location, $qty, $at, $context );
			} else {
				$this->write( $connection, $product, $location, $qty, $at, 0, 0, true );
			}
			return self::BASELINE;
		}
		$news = $qty - $row['ext_qty'];
		return $this->apply_news( $connection, $product, $location, $qty, $at, $news, 0, $event_id, $context, true );
	}

	/**
	 * Takes in an adjustment the register reports (a Standard sender's stock.adjusted): the delta is
	 * news as it is, and moves the register's number by it (when known). Stale-by-time does not apply
	 * to a delta (it says what changed, not what the register shows); its event id makes it count once.
	 * It is not deferred by a push in flight: the answer to that push then shows the register's number
	 * with this change in it, and the change is already in ext_qty (see acknowledged()).
	 *
	 * @param int    $connection Connection id.
	 * @param int    $product    Product id.
	 * @param int    $location   Location id.
	 * @param int    $delta      Units the register's own sale (negative) or receipt moved.
	 * @param int    $at         Its time by the provider's clock (ms).
	 * @param string $event_id   The id of the adjust event it becomes.
	 * @param array  $context    source, reference, actor, reason of that event.
	 * @return string APPLIED, ECHO (a zero delta) or STALE (this event id is already recorded).
	 */
	public function observe_delta( int $connection, int $product, int $location, int $delta, int $at, string $event_id, array $context ): string {
		$this->ensure( $connection, $product, $location );
		if ( 0 === $delta ) {
			return self::ECHO;
		}
		$moved  = false;
		$result = $this->inventory->record_then(
			array(
				array(
					'id'       => $event_id,
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $location,
					'qty'      => $delta,
					'at'       => min( max( 1, $at ), Database::now_ms() ),
				),
			),
			self::with_reason( $context, $delta ),
			function ( array $result ) use ( $connection, $product, $location, $delta, &$moved ): void {
				if ( $result['applied'] < 1 ) {
					return; // Recorded before: the register's number moved then.
				}
				$this->db->statement(
					$this->db->prepare(
						"UPDATE {$this->tables->external_cells} SET ext_qty = ext_qty + %d, applied = applied + %d, updated_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d",
						$delta,
						$delta,
						Database::now_ms(),
						$connection,
						$product,
						$location
					)
				);
				$moved = true;
			}
		);
		return $moved && $result['applied'] > 0 ? self::APPLIED : self::STALE;
	}

	/**
	 * The event's reason when the context gives none: external_sale for units the register took,
	 * external_count for units it added.
	 *
	 * @param array $context source, reference, actor, reason.
	 * @param int   $news    Units.
	 */
	private static function with_reason( array $context, int $news ): array {
		if ( '' === (string) ( $context['reason'] ?? '' ) ) {
			$context['reason'] = $news < 0 ? 'external_sale' : 'external_count';
		}
		return $context;
	}

	/**
	 * A first sight where the register is the system of record: on hand moves by the difference
	 * between the register's number and our available to sell (an `adjust`, reason `reconcile`), and
	 * the row takes the register's number, in one transaction.
	 *
	 * @param int   $connection Connection id.
	 * @param int   $product    Product id.
	 * @param int   $location   Location id.
	 * @param int   $qty        The register's number.
	 * @param int   $at         Its time.
	 * @param array $context    source, reference, actor.
	 */
	private function adopt( int $connection, int $product, int $location, int $qty, int $at, array $context ): void {
		$ours  = max( 0, (int) ( $this->inventory->sellable_at( array( $product ), $location )[ $product ] ?? 0 ) );
		$drift = $qty - $ours;
		if ( 0 === $drift ) {
			$this->write( $connection, $product, $location, $qty, $at, 0, 0, true );
			return;
		}
		// An adjust, not a count: news of the register dated before now (kept while unmapped, or
		// late) still applies on top, whatever order the two are folded in.
		$now = Database::now_ms();
		$this->inventory->record_then(
			array(
				array(
					'id'       => ( $context['source'] ?? 'connector' ) . ':' . $connection . ':adopt:' . $product . '-' . $location . ':' . $now,
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $location,
					'qty'      => $drift,
					'at'       => $now,
				),
			),
			array( 'reason' => 'reconcile' ) + $context,
			function () use ( $connection, $product, $location, $qty, $at ): void {
				$this->write( $connection, $product, $location, $qty, $at, 0, 0, true );
			}
		);
	}

	/**
	 * Notes the push about to be sent for a cell; its webhooks wait until it is answered.
	 *
	 * @param int    $connection Connection id.
	 * @param int    $product    Product id.
	 * @param int    $location   Location id.
	 * @param string $key        The push's idempotency key.
	 * @param int    $delta      Units it moves the register's number by (target - ext_qty).
	 * @param int    $target     The number it brings the register to.
	 * @param int    $since      When it was first tried (ms; 0: now); a retry under the same key keeps the first.
	 */
	public function begin_push( int $connection, int $product, int $location, string $key, int $delta, int $target, int $since = 0 ): void {
		$this->db->statement(
			$this->db->prepare(
				// A retry of the same push keeps the time it was first tried (Outbox sends it as the change's at).
				"UPDATE {$this->tables->external_cells} SET inflight_since = IF( inflight_key = %s AND inflight_since > 0, inflight_since, %d ), inflight_key = %s, inflight_delta = %d, inflight_target = %d, updated_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d",
				$key,
				$since > 0 ? $since : Database::now_ms(),
				$key,
				$delta,
				$target,
				Database::now_ms(),
				$connection,
				$product,
				$location
			)
		);
	}

	/**
	 * The register took our push. When its answer says its number after it, anything beyond our
	 * delta is its own news (a sale at the register just before our change landed).
	 *
	 * @param int        $connection Connection id.
	 * @param int        $product    Product id.
	 * @param int        $location   Location id.
	 * @param string     $key        The push's idempotency key.
	 * @param array|null $observed   array{qty: int, at: int} from the answer, or null.
	 * @param string     $event_id   The id of the adjust event for news found in the answer.
	 * @param array      $context    Its source, reference, actor, reason.
	 * @return string APPLIED (news found), ECHO (just our change), STALE (not this cell's push: nothing done).
	 */
	public function acknowledged( int $connection, int $product, int $location, string $key, ?array $observed, string $event_id, array $context ): string {
		$row = $this->get( $connection, $product, $location );
		if ( null === $row || $row['inflight_key'] !== $key ) {
			return self::STALE;
		}
		$delta = $row['inflight_delta'];
		if ( null === $observed ) {
			// The answer does not say: the register shows what we set, as of now by our clock.
			$qty = ( $row['ext_qty'] ?? 0 ) + $delta;
			$at  = max( Database::now_ms(), $row['ext_at'] + 1 );
			$this->write( $connection, $product, $location, $qty, $at, 0, $delta, true );
			return self::ECHO;
		}
		$qty = (int) $observed['qty'];
		$at  = max( (int) $observed['at'], $row['ext_at'] + 1 );
		if ( null === $row['ext_qty'] ) {
			// An absolute first write: what the register showed before it is unknown, so nothing is news.
			$this->write( $connection, $product, $location, $qty, $at, 0, $delta, true );
			return self::ECHO;
		}
		$news = $qty - $row['ext_qty'] - $delta;
		return $this->apply_news( $connection, $product, $location, $qty, $at, $news, $delta, $event_id, $context, true );
	}

	/**
	 * Gives up the push in flight (a dead letter, or refused for good): its webhooks go on, and
	 * reconciliation finds what the register shows.
	 *
	 * @param int    $connection Connection id.
	 * @param int    $product    Product id.
	 * @param int    $location   Location id.
	 * @param string $key        The push's idempotency key.
	 */
	public function abandon( int $connection, int $product, int $location, string $key ): void {
		$this->db->statement(
			$this->db->prepare(
				"UPDATE {$this->tables->external_cells} SET inflight_key = '', inflight_delta = 0, inflight_target = NULL, inflight_since = 0, updated_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d AND inflight_key = %s",
				Database::now_ms(),
				$connection,
				$product,
				$location,
				$key
			)
		);
	}

	/**
	 * Notes the drift reconciliation found (the register's number less ours), or null when none.
	 *
	 * @param int      $connection Connection id.
	 * @param int      $product    Product id.
	 * @param int      $location   Location id.
	 * @param int|null $drift      Units.
	 */
	public function note_drift( int $connection, int $product, int $location, ?int $drift ): void {
		$this->db->statement(
			null === $drift
				? $this->db->prepare( "UPDATE {$this->tables->external_cells} SET drift = NULL, drift_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d", Database::now_ms(), $connection, $product, $location )
				: $this->db->prepare( "UPDATE {$this->tables->external_cells} SET drift = %d, drift_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d", $drift, Database::now_ms(), $connection, $product, $location )
		);
	}

	/**
	 * Records news as an adjust event and moves the row, in one transaction; no news moves the row only.
	 *
	 * @param int    $connection Connection id.
	 * @param int    $product    Product id.
	 * @param int    $location   Location id.
	 * @param int    $qty        The register's number now.
	 * @param int    $at         Its time.
	 * @param int    $news       Units the register's own sales and counts moved.
	 * @param int    $pushed     Units of ours the observation includes (an acknowledged push), else 0.
	 * @param string $event_id   The adjust event's id.
	 * @param array  $context    Its source, reference, actor, reason.
	 * @param bool   $clear      Clear the push in flight.
	 * @return string APPLIED or ECHO.
	 */
	private function apply_news( int $connection, int $product, int $location, int $qty, int $at, int $news, int $pushed, string $event_id, array $context, bool $clear ): string {
		if ( 0 === $news ) {
			$this->write( $connection, $product, $location, $qty, $at, 0, $pushed, $clear );
			return self::ECHO;
		}
		$this->inventory->record_then(
			array(
				array(
					'id'       => $event_id,
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $location,
					'qty'      => $news,
					'at'       => min( $at, Database::now_ms() ),
				),
			),
			self::with_reason( $context, $news ),
			function () use ( $connection, $product, $location, $qty, $at, $news, $pushed, $clear ): void {
				$this->write( $connection, $product, $location, $qty, $at, $news, $pushed, $clear );
			}
		);
		return self::APPLIED;
	}

	/**
	 * Writes the register's number and moves the totals.
	 *
	 * @param int  $connection Connection id.
	 * @param int  $product    Product id.
	 * @param int  $location   Location id.
	 * @param int  $qty        The register's number.
	 * @param int  $at         Its time.
	 * @param int  $applied    Units of news applied.
	 * @param int  $pushed     Units of ours acknowledged.
	 * @param bool $clear      Clear the push in flight.
	 */
	private function write( int $connection, int $product, int $location, int $qty, int $at, int $applied, int $pushed, bool $clear ): void {
		$inflight = $clear ? ", inflight_key = '', inflight_delta = 0, inflight_target = NULL, inflight_since = 0" : '';
		$this->db->statement(
			$this->db->prepare(
				"UPDATE {$this->tables->external_cells} SET ext_qty = %d, ext_at = %d, applied = applied + %d, pushed = pushed + %d{$inflight}, updated_at = %d WHERE connection_id = %d AND product_id = %d AND location_id = %d", // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $inflight is a fixed fragment.
				$qty,
				$at,
				$applied,
				$pushed,
				Database::now_ms(),
				$connection,
				$product,
				$location
			)
		);
	}

	/**
	 * A row with its numbers as integers.
	 *
	 * @param array<string, string|null> $row A database row.
	 * @return array{ext_qty: ?int, ext_at: int, applied: int, pushed: int, inflight_key: string, inflight_delta: int, inflight_target: ?int, inflight_since: int, drift: ?int}
	 */
	private static function typed( array $row ): array {
		return array(
			'ext_qty'         => null === $row['ext_qty'] ? null : (int) $row['ext_qty'],
			'ext_at'          => (int) $row['ext_at'],
			'applied'         => (int) $row['applied'],
			'pushed'          => (int) $row['pushed'],
			'inflight_key'    => (string) $row['inflight_key'],
			'inflight_delta'  => (int) $row['inflight_delta'],
			'inflight_target' => null === $row['inflight_target'] ? null : (int) $row['inflight_target'],
			'inflight_since'  => (int) $row['inflight_since'],
			'drift'           => null === $row['drift'] ? null : (int) $row['drift'],
		);
	}
}
