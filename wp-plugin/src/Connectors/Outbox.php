<?php
/**
 * The transactional outbox: every change of a mapped cell, kept until the register took it.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\StorageError;
use Omnistock\Inventory\Tables;
use Omnistock\Refusal;
use Omnistock\Refused;

defined( 'ABSPATH' ) || exit;

/**
 * One row per connection and mapped cell. A stock change writes (or bumps) its cells' rows in its
 * own transaction (omnistock_before_commit), so no change is lost between our COMMIT and the push;
 * a change of holds, which has no transaction, bumps them right after (best effort). Any number of
 * changes of a cell are one row: `version` counts them, and a push carries the cell's available to
 * sell at the time it is sent (coalesced), keyed omnistock-<connection>-<product>-<location>-<version>.
 *
 * Draining (drain()) sends the due rows with Omnistock\Push, batched and paced by the provider's limits. An
 * acknowledged push makes its row done only when no change came meanwhile (the version is still
 * the one sent); else the row stays due. A failure waits (exponential backoff up to 5 minutes, or
 * the answer's Retry-After); a row failing for 24 hours becomes a dead letter until retried.
 *
 * A push whose fate is unknown (a timeout, a 5xx) stays in flight at the cell (ExternalCells):
 * the next attempt sends the very same change with the same key, which the register applies at
 * most once, and the cell's webhooks wait meanwhile. The very same REQUEST, too: a provider's
 * idempotency key may belong to the whole request (Square's batch-create), so a change sent again
 * beside other changes, or without the others it went with, would be another request, applied
 * again. Each row notes (payload `request`) the keys of the request its change went in, and a
 * retry sends that request again as it was, all its changes in flight together, alone. A push surely not applied (refused, 429,
 * 503, no connection) is given up at once, and the next attempt sends the cell's number then.
 *
 * Callers of drain() serialise per connection (Connectors\Sync holds its named lock).
 */
final class Outbox {

	public const PENDING = 'pending';
	public const DONE    = 'done';
	public const DEAD    = 'dead';

	/** A row failing this long (ms) becomes a dead letter. */
	public const DEAD_AFTER_MS = 86400000;

	/** The longest wait between two attempts (ms). */
	public const BACKOFF_CAP_MS = 300000;

	/** Rows one drain pass takes at most. */
	private const ROUND = 500;

	/** How long a row waits for the register's first count where the register is the system of record (ms). */
	private const BASELINE_WAIT_MS = 5000;

	/**
	 * Connections whose last drain left cells waiting for the register's first count.
	 *
	 * @var array<int, true>
	 */
	private array $awaiting = array();

	/**
	 * Connections whose rows this request wrote (they are kicked at shutdown).
	 *
	 * @var array<int, true>
	 */
	private array $written = array();

	/**
	 * Products whose changed cells the transaction being committed queued already (its
	 * omnistock_products_changed then skips them).
	 *
	 * @var array<int, true>
	 */
	private array $queued = array();

	/**
	 * When each connection's last wave of requests started (microtime), for pacing.
	 *
	 * @var array<int, array{at: float, count: int}>
	 */
	private array $last_wave = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Database      $db          The database.
	 * @param Tables        $tables      Table names.
	 * @param Inventory     $inventory   What each cell has to sell.
	 * @param ExternalCells $cells       What each register last showed, and the pushes in flight.
	 * @param Connections   $connections Connections (health times).
	 */
	public function __construct(
		private readonly Database $db,
		private readonly Tables $tables,
		private readonly Inventory $inventory,
		private readonly ExternalCells $cells,
		private readonly Connections $connections
	) {
	}

	/**
	 * In the stock transaction, cells locked: queues the changed cells that some connection maps.
	 *
	 * @param list<array{0:int, 1:int}> $cells   The locked cells.
	 * @param list<array{0:int, 1:int}> $changed The cells whose levels the transaction changed.
	 */
	public function before_commit( array $cells, array $changed = array() ): void {
		unset( $cells );
		if ( ! $changed || ! Connections::any() ) {
			return;
		}
		foreach ( $changed as $cell ) {
			$this->queued[ (int) $cell[0] ] = true;
		}
		if ( $this->db->in_transaction() ) {
			$this->db->on_rollback(
				function (): void {
					$this->queued = array();
				}
			);
		}
		$pairs = array();
		foreach ( $changed as $cell ) {
			$pairs[] = $this->db->prepare( '(%d, %d)', $cell[0], $cell[1] );
		}
		$mapped = array();
		foreach ( array_chunk( $pairs, 200 ) as $chunk ) {
			$mapped = array_merge( $mapped, $this->db->rows( "SELECT connection_id, product_id, location_id FROM {$this->tables->external_cells} WHERE (product_id, location_id) IN (" . implode( ', ', $chunk ) . ')' ) );
		}
		$this->upsert( $mapped );
	}

	/**
	 * After a committed change or a change of holds: queues the products' mapped cells that the
	 * transaction did not queue already. Outside any transaction, so best effort: a failure here
	 * leaves the cell to the next change or to reconciliation.
	 *
	 * @param int[] $products Product ids.
	 */
	public function products_changed( array $products ): void {
		$queued       = $this->queued;
		$this->queued = array();
		if ( ! Connections::any() ) {
			return;
		}
		$products = array_values( array_filter( array_map( 'intval', $products ), static fn( int $p ): bool => ! isset( $queued[ $p ] ) ) );
		if ( ! $products ) {
			return;
		}
		try {
			foreach ( array_chunk( $products, 500 ) as $chunk ) {
				$in = implode( ', ', array_map( 'intval', $chunk ) );
				$this->upsert( $this->db->rows( "SELECT connection_id, product_id, location_id FROM {$this->tables->external_cells} WHERE product_id IN ($in)" ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- integers.
			}
		} catch ( StorageError $e ) {
			/**
			 * Fires when a change of holds could not be queued for the registers (reconciliation finds it).
			 *
			 * @param \Throwable $e What failed.
			 */
			do_action( 'omnistock_outbox_failed', $e );
		}
	}

	/**
	 * Marks a cell due for a push to a connection (reconciliation's correction, or any caller that
	 * knows the register's number is off).
	 *
	 * @param int $connection Connection id.
	 * @param int $product    Product id.
	 * @param int $location   Location id.
	 */
	public function touch( int $connection, int $product, int $location ): void {
		$this->upsert(
			array(
				array(
					'connection_id' => $connection,
					'product_id'    => $product,
					'location_id'   => $location,
				),
			)
		);
	}

	/**
	 * At the end of the request: asks for a sync of every connection whose rows it wrote.
	 */
	public function kick_written(): void {
		$written       = array_keys( $this->written );
		$this->written = array();
		foreach ( $written as $id ) {
			/**
			 * Asks for a sync of a connection soon (Connectors\Sync answers it).
			 *
			 * @param int $id Connection id.
			 */
			do_action( 'omnistock_connector_kick', $id );
		}
	}

	/**
	 * Inserts or bumps the rows of these cells: a done row becomes due now; a pending one keeps
	 * its wait (no hammering of a register that is down); a dead one stays dead (with the newer
	 * version, which its retry sends).
	 *
	 * @param list<array<string, int|string|null>> $rows connection_id, product_id, location_id.
	 */
	private function upsert( array $rows ): void {
		if ( ! $rows ) {
			return;
		}
		$now    = Database::now_ms();
		$values = array();
		foreach ( $rows as $row ) {
			$connection                   = (int) $row['connection_id'];
			$product                      = (int) $row['product_id'];
			$location                     = (int) $row['location_id'];
			$key                          = sprintf( '%020d:%020d:%020d', $connection, $product, $location );
			$values[ $key ]               = $this->db->prepare( "(%s, %s, %d, %d, '{}', 'pending', 1, %d, %d, %d)", (string) $connection, "cell:$product:$location", $product, $location, $now, $now, $now );
			$this->written[ $connection ] = true;
		}
		ksort( $values ); // One order for every writer: no deadlock between two transactions.
		// MariaDB assigns left to right, each assignment seeing the ones before: status goes last.
		$this->db->statement(
			"INSERT INTO {$this->tables->outbox} (connector, event_id, product_id, location_id, payload, status, version, next_attempt_at, created_at, updated_at) VALUES "
			. implode( ', ', $values )
			. " ON DUPLICATE KEY UPDATE version = version + 1,
				attempts = IF(status = 'done', 0, attempts),
				first_failed_at = IF(status = 'done', 0, first_failed_at),
				next_attempt_at = IF(status = 'done', VALUES(next_attempt_at), next_attempt_at),
				updated_at = VALUES(updated_at),
				status = IF(status = 'dead', 'dead', 'pending')"
		);
	}

	/**
	 * Sends a connection's due rows (one pass: at most ROUND rows) and reports.
	 *
	 * @param Connection $connection The connection.
	 * @param Provider   $provider   Its provider.
	 * @return array{pushed: int, acknowledged: int, failed: int, dead: int, done: int, deferred: int}
	 *         pushed: changes sent; done: rows settled with nothing to send; deferred: rows left
	 *         unsent for now (the register asked us to wait).
	 */
	public function drain( Connection $connection, Provider $provider ): array {
		unset( $this->awaiting[ $connection->id ] );
		$stats = array(
			'pushed'       => 0,
			'acknowledged' => 0,
			'failed'       => 0,
			'dead'         => 0,
			'done'         => 0,
			'deferred'     => 0,
		);
		$rows  = $this->due( $connection->id, self::ROUND );
		if ( ! $rows ) {
			return $stats;
		}
		$by_location = array();
		foreach ( $rows as $row ) {
			$by_location[ (int) $row['location_id'] ][] = (int) $row['product_id'];
		}
		$sellable = array();
		foreach ( $by_location as $location => $products ) {
			$sellable[ $location ] = $this->inventory->sellable_at( $products, $location );
		}
		$changes = array();
		$meta    = array();
		foreach ( $rows as $row ) {
			$id       = (int) $row['id'];
			$product  = (int) $row['product_id'];
			$location = (int) $row['location_id'];
			$version  = (int) $row['version'];
			if ( null === $row['item'] || null === $row['ext_location'] ) {
				$this->settle( $id, $version, __( 'the cell is no longer mapped', 'omnistock' ) );
				++$stats['done'];
				continue;
			}
			if ( null === $row['ext_row'] ) {
				$this->cells->ensure( $connection->id, $product, $location );
			}
			$ext_qty = null === $row['ext_qty'] ? null : (int) $row['ext_qty'];
			$set     = null === $ext_qty || 'omnistock' === $row['system_of_record'];
			$key     = (string) $row['inflight_key'];
			if ( null === $ext_qty && '' === $key && 'provider' === $row['system_of_record'] ) {
				// The register is the system of record here and its number is not known yet: ours
				// would overwrite it. The row waits for the register's first count (a webhook, or the
				// reconciliation the runner asks for), which is adopted here.
				$this->postpone( array( 'id' => $id ), self::BASELINE_WAIT_MS );
				$this->awaiting[ $connection->id ] = true;
				++$stats['deferred'];
				continue;
			}
			if ( '' !== $key ) {
				// The last push's fate is unknown: the same change again, under the same key.
				list( $changes[ $key ], $meta[ $key ] ) = self::again( $row );
				continue;
			}
			$target = max( 0, (int) ( $sellable[ $location ][ $product ] ?? 0 ) );
			if ( null !== $ext_qty && $target === $ext_qty ) {
				$this->settle( $id, $version, null );
				++$stats['done'];
				continue;
			}
			$key             = self::key( $connection->id, $product, $location, $version );
			$changes[ $key ] = array(
				'key'      => $key,
				'item'     => (string) $row['item'],
				'location' => (string) $row['ext_location'],
				'target'   => $target,
				'delta'    => null === $ext_qty ? $target : $target - $ext_qty,
				'from'     => $ext_qty,
				'set'      => $set,
				'at'       => Database::now_ms(),
			);
			$meta[ $key ]    = array(
				'id'              => $id,
				'product'         => $product,
				'location'        => $location,
				'version'         => $version,
				'sent'            => $version,
				'fresh'           => true,
				'ext_qty'         => $ext_qty,
				'attempts'        => (int) $row['attempts'],
				'first_failed_at' => (int) $row['first_failed_at'],
				'request'         => null,
			);
		}
		$this->complete_requests( $connection->id, $changes, $meta );
		if ( $changes ) {
			$this->send( $connection, $provider, $changes, $meta, $stats );
		}
		return $stats;
	}

	/**
	 * The change of a row whose last push's fate is unknown: the same change again (its key,
	 * delta, target and first time), and its row.
	 *
	 * @param array<string, string|null> $row A row as due() reads it, its cell in flight.
	 * @return array{0: array, 1: array}
	 */
	private static function again( array $row ): array {
		$key     = (string) $row['inflight_key'];
		$ext_qty = null === $row['ext_qty'] ? null : (int) $row['ext_qty'];
		$delta   = (int) $row['inflight_delta'];
		$at      = (int) $row['inflight_since'];
		$change  = array(
			'key'      => $key,
			'item'     => (string) $row['item'],
			'location' => (string) $row['ext_location'],
			'target'   => null === $row['inflight_target'] ? ( $ext_qty ?? 0 ) + $delta : (int) $row['inflight_target'],
			'delta'    => $delta,
			'from'     => $ext_qty,
			'set'      => null === $ext_qty || 'omnistock' === $row['system_of_record'],
			'at'       => $at > 0 ? $at : Database::now_ms(),
		);
		$payload = json_decode( (string) ( $row['payload'] ?? '' ), true );
		$request = is_array( $payload ) && is_array( $payload['request'] ?? null ) && array_is_list( $payload['request'] ) && in_array( $key, $payload['request'], true ) ? array_map( 'strval', $payload['request'] ) : null;
		$meta    = array(
			'id'              => (int) $row['id'],
			'product'         => (int) $row['product_id'],
			'location'        => (int) $row['location_id'],
			'version'         => (int) $row['version'],
			'sent'            => self::version_of_key( $key ),
			'fresh'           => false,
			'ext_qty'         => $ext_qty,
			'attempts'        => (int) $row['attempts'],
			'first_failed_at' => (int) $row['first_failed_at'],
			'request'         => $request,
		);
		return array( $change, $meta );
	}

	/**
	 * A change sent again goes with every other change of the request it went in (they share its
	 * fate, and its idempotency key may be the request's): the rows of those not due yet (another
	 * wait) are taken too, when their push is still that one in flight.
	 *
	 * @param int                  $connection Connection id.
	 * @param array<string, array> $changes    Changes by key, completed.
	 * @param array<string, array> $meta       Their rows, by key, completed.
	 */
	private function complete_requests( int $connection, array &$changes, array &$meta ): void {
		$missing = array();
		foreach ( $meta as $m ) {
			foreach ( $m['request'] ?? array() as $key ) {
				if ( ! isset( $changes[ $key ] ) && preg_match( '/^omnistock-' . $connection . '-(\d+)-(\d+)-\d+$/', $key, $cell ) ) {
					$missing[ $key ] = sprintf( '(%d, %d)', (int) $cell[1], (int) $cell[2] );
				}
			}
		}
		if ( ! $missing ) {
			return;
		}
		foreach ( $this->due( $connection, self::ROUND, '(o.product_id, o.location_id) IN (' . implode( ', ', array_unique( $missing ) ) . ')' ) as $row ) {
			$key = (string) $row['inflight_key'];
			if ( isset( $missing[ $key ] ) && null !== $row['item'] && null !== $row['ext_location'] ) {
				list( $changes[ $key ], $meta[ $key ] ) = self::again( $row );
			}
		}
	}

	/**
	 * Sends the changes in batches and waves, paced, and settles every row by its outcome.
	 *
	 * @param Connection           $connection The connection.
	 * @param Provider             $provider   Its provider.
	 * @param array<string, array> $changes    Changes by key.
	 * @param array<string, array> $meta       Their rows, by key.
	 * @param array<string, int>   $stats      Counts, moved.
	 */
	private function send( Connection $connection, Provider $provider, array $changes, array $meta, array &$stats ): void {
		$limits      = $provider->limits();
		$batch       = max( 1, (int) ( $limits['batch'] ?? 1 ) );
		$concurrency = max( 1, (int) ( $limits['concurrency'] ?? 1 ) );
		$per_second  = max( 0.0, (float) ( $limits['per_second'] ?? 0 ) );
		$wave_size   = $per_second > 0 ? max( 1, min( $concurrency, (int) floor( $per_second ) ) ) : $concurrency;
		// A change sent again goes in the request it went in, as it was (its changes in its order,
		// nothing else); the others are batched.
		$chunks = array();
		$loose  = array();
		$placed = array();
		foreach ( $changes as $key => $change ) {
			if ( isset( $placed[ $key ] ) ) {
				continue;
			}
			if ( null === ( $meta[ $key ]['request'] ?? null ) ) {
				$loose[]        = $change;
				$placed[ $key ] = true;
				continue;
			}
			$chunk = array();
			foreach ( $meta[ $key ]['request'] as $member ) {
				if ( isset( $changes[ $member ] ) && ! isset( $placed[ $member ] ) ) {
					$chunk[]           = $changes[ $member ];
					$placed[ $member ] = true;
				}
			}
			$chunks[] = $chunk;
		}
		foreach ( array_chunk( $loose, $batch ) as $chunk ) {
			$chunks[] = $chunk;
		}
		$requests = array();
		foreach ( $chunks as $chunk ) {
			foreach ( $provider->push_requests( $connection, $chunk ) as $planned ) {
				$requests[] = $planned;
			}
		}
		$push      = new \Omnistock\Push(
			array(
				'concurrency' => $concurrency,
				'retries'     => 0, // The outbox retries, by its rows' waits: a send never sleeps on Retry-After.
				'timeout_ms'  => 10000,
			)
		);
		$wait_ms   = null; // Set by a 429 or a Retry-After: the waves after it are not sent.
		$planned_n = count( $requests );
		for ( $start = 0; $start < $planned_n; $start += $wave_size ) {
			$wave = array_slice( $requests, $start, $wave_size );
			if ( null !== $wait_ms ) {
				foreach ( $wave as $planned ) {
					foreach ( $planned['changes'] as $key ) {
						$this->postpone( $meta[ $key ], $wait_ms );
						++$stats['deferred'];
					}
				}
				continue;
			}
			$this->pace( $connection->id, count( $wave ), $per_second );
			$batch_requests = array();
			foreach ( $wave as $i => $planned ) {
				$id                       = (string) ( $planned['request']['id'] ?? ( 'r' . ( $start + $i ) ) );
				$planned['request']['id'] = $id;
				$batch_requests[ $id ]    = $planned;
				$fresh_rows               = array();
				foreach ( $planned['changes'] as $key ) {
					$m = $meta[ $key ];
					if ( $m['fresh'] ) {
						$this->cells->begin_push( $connection->id, $m['product'], $m['location'], $key, $changes[ $key ]['delta'], $changes[ $key ]['target'], $changes[ $key ]['at'] );
						$fresh_rows[] = (int) $m['id'];
					}
				}
				if ( $fresh_rows ) {
					// Which request each change goes in: a retry sends that request again, as it is.
					$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET payload = %s WHERE id IN (" . implode( ', ', $fresh_rows ) . ')', (string) wp_json_encode( array( 'request' => array_values( $planned['changes'] ) ) ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- integers.
				}
			}
			$results = $push->send( array_values( array_column( $batch_requests, 'request' ) ) );
			foreach ( $batch_requests as $id => $planned ) {
				$result  = $results[ $id ] ?? array(
					'status'  => 0,
					'headers' => array(),
					'body'    => '',
					'error'   => 'no result',
				);
				$carried = array();
				foreach ( $planned['changes'] as $key ) {
					$carried[] = $changes[ $key ];
				}
				$stats['pushed'] += count( $carried );
				$outcomes         = $provider->push_outcomes( $connection, $carried, $result );
				foreach ( $planned['changes'] as $key ) {
					$outcome = $outcomes[ $key ] ?? array(
						'ok'             => false,
						'observed'       => null,
						'retry_after_ms' => null,
						'error'          => __( 'the answer says nothing of this change', 'omnistock' ),
						'permanent'      => false,
						'unknown'        => true, // Its fate is not told: sent again under its key.
					);
					if ( ! empty( $outcome['ok'] ) ) {
						$this->acknowledge( $connection, $provider, $changes[ $key ], $meta[ $key ], $outcome );
						++$stats['acknowledged'];
						continue;
					}
					$dead = $this->fail( $connection, $key, $meta[ $key ], $outcome, $result );
					++$stats[ $dead ? 'dead' : 'failed' ];
					if ( 429 === (int) $result['status'] || null !== ( $outcome['retry_after_ms'] ?? null ) ) {
						$wait_ms = max( $wait_ms ?? 0, (int) ( $outcome['retry_after_ms'] ?? 1000 ) );
					}
				}
			}
		}
	}

	/**
	 * Waits so that at most $per_second requests start per second on this connection.
	 *
	 * @param int   $connection Connection id.
	 * @param int   $count      Requests of the wave about to start.
	 * @param float $per_second The provider's rate (0: none).
	 */
	private function pace( int $connection, int $count, float $per_second ): void {
		if ( $per_second <= 0 ) {
			return;
		}
		$now = microtime( true );
		if ( isset( $this->last_wave[ $connection ] ) ) {
			$ready = $this->last_wave[ $connection ]['at'] + $this->last_wave[ $connection ]['count'] / $per_second;
			if ( $ready > $now ) {
				usleep( (int) ceil( ( $ready - $now ) * 1000000 ) );
				$now = $ready;
			}
		}
		$this->last_wave[ $connection ] = array(
			'at'    => $now,
			'count' => $count,
		);
	}

	/**
	 * The register took a change: its row is done unless a change came meanwhile.
	 *
	 * @param Connection $connection The connection.
	 * @param Provider   $provider   Its provider.
	 * @param array      $change     The change.
	 * @param array      $m          Its row.
	 * @param array      $outcome    The answer's outcome.
	 */
	private function acknowledge( Connection $connection, Provider $provider, array $change, array $m, array $outcome ): void {
		$observed = is_array( $outcome['observed'] ?? null ) ? $outcome['observed'] : null;
		$news     = null === $observed || null === $m['ext_qty'] ? 0 : (int) $observed['qty'] - $m['ext_qty'] - (int) $change['delta'];
		$this->cells->acknowledged(
			$connection->id,
			$m['product'],
			$m['location'],
			$change['key'],
			$observed,
			$provider->name() . ':' . $connection->id . ':push:' . $change['key'],
			array(
				'source'    => $provider->name(),
				'reference' => 'connection:' . $connection->id,
				'actor'     => $provider->name(),
				'reason'    => $news < 0 ? 'external_sale' : 'external_count',
			)
		);
		$this->connections->touch( $connection->id, 'last_push_at' );
		$now = Database::now_ms();
		if ( $m['sent'] === $m['version'] ) {
			$this->settle( $m['id'], $m['version'], null );
			return;
		}
		// An older change (resent) landed; the row's newer version is due now.
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET sent_version = %d, attempts = 0, first_failed_at = 0, last_error = NULL, next_attempt_at = %d, updated_at = %d WHERE id = %d AND status = 'pending'", $m['sent'], $now, $now, $m['id'] ) );
	}

	/**
	 * A row is done when its version is still $version; else (a change came meanwhile) it stays
	 * pending and due now.
	 *
	 * @param int         $id      Row id.
	 * @param int         $version The version settled.
	 * @param string|null $note    Why, when not by a push.
	 */
	private function settle( int $id, int $version, ?string $note ): void {
		$now = Database::now_ms();
		$set = $this->db->statement(
			null === $note
				? $this->db->prepare( "UPDATE {$this->tables->outbox} SET status = 'done', sent_version = %d, attempts = 0, first_failed_at = 0, last_error = NULL, updated_at = %d WHERE id = %d AND version = %d AND status = 'pending'", $version, $now, $id, $version )
				: $this->db->prepare( "UPDATE {$this->tables->outbox} SET status = 'done', attempts = 0, first_failed_at = 0, last_error = %s, updated_at = %d WHERE id = %d AND version = %d AND status = 'pending'", $note, $now, $id, $version )
		);
		if ( 0 === $set ) {
			$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET sent_version = %d, next_attempt_at = %d, updated_at = %d WHERE id = %d AND status = 'pending'", $version, $now, $now, $id ) );
		}
	}

	/**
	 * A change failed: the row waits (backoff or Retry-After), or becomes a dead letter after a day.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $key        The change's key.
	 * @param array      $m          Its row.
	 * @param array      $outcome    The answer's outcome.
	 * @param array      $result     The request's Push result.
	 * @return bool Whether the row is dead now.
	 */
	private function fail( Connection $connection, string $key, array $m, array $outcome, array $result ): bool {
		$now      = Database::now_ms();
		$attempts = $m['attempts'] + 1;
		$first    = $m['first_failed_at'] > 0 ? $m['first_failed_at'] : $now;
		$error    = (string) ( $outcome['error'] ?? '' );
		if ( '' === $error ) {
			$error = 0 === (int) $result['status'] ? (string) ( $result['error'] ?? '' ) : 'HTTP ' . (int) $result['status'];
		}
		$error = substr( $error, 0, 1000 );
		$dead  = $now - $first >= self::DEAD_AFTER_MS;
		if ( $dead || ! empty( $outcome['permanent'] ) || ( empty( $outcome['unknown'] ) && self::surely_not_applied( $result ) ) ) {
			$this->cells->abandon( $connection->id, $m['product'], $m['location'], $key );
		}
		if ( $dead ) {
			$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET status = 'dead', attempts = %d, first_failed_at = %d, last_error = %s, updated_at = %d WHERE id = %d", $attempts, $first, $error, $now, $m['id'] ) );
			return true;
		}
		$retry_after = $outcome['retry_after_ms'] ?? null;
		$wait        = null !== $retry_after ? max( 0, (int) $retry_after ) : self::backoff_ms( $attempts );
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET attempts = %d, first_failed_at = %d, last_error = %s, next_attempt_at = %d, updated_at = %d WHERE id = %d AND status = 'pending'", $attempts, $first, $error, $now + $wait, $now, $m['id'] ) );
		return false;
	}

	/**
	 * A row not sent because the register asked us to wait: it waits too (no attempt counted).
	 *
	 * @param array $m       Its row.
	 * @param int   $wait_ms How long.
	 */
	private function postpone( array $m, int $wait_ms ): void {
		$now = Database::now_ms();
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET next_attempt_at = GREATEST(next_attempt_at, %d), updated_at = %d WHERE id = %d AND status = 'pending'", $now + $wait_ms, $now, $m['id'] ) );
	}

	/**
	 * Whether a request surely did not reach the register's books: no connection was made, it
	 * answered 429 or 503 (not processed), or it answered 2xx and refused this change (Shopify's stale
	 * compare and set: sending it again unchanged would be refused again, and the cell's webhooks,
	 * which tell the register's number, wait while it is in flight).
	 *
	 * @param array $result A Push result.
	 */
	private static function surely_not_applied( array $result ): bool {
		$status = (int) ( $result['status'] ?? 0 );
		if ( 429 === $status || 503 === $status || ( $status >= 200 && $status < 300 ) ) {
			return true;
		}
		return 0 === $status && 1 === preg_match( "/couldn't connect|could not connect|failed to connect|connection refused|could not resolve|couldn't resolve|connection timed out/i", (string) ( $result['error'] ?? '' ) );
	}

	/**
	 * The wait after the nth failure: 2 s, 4 s, 8 s ... up to 5 minutes, less up to a fifth (jitter).
	 *
	 * @param int $attempts Failures so far.
	 */
	public static function backoff_ms( int $attempts ): int {
		$base = (int) min( self::BACKOFF_CAP_MS, 2000 * ( 2 ** min( 20, max( 0, $attempts - 1 ) ) ) );
		return $base - random_int( 0, intdiv( $base, 5 ) );
	}

	/**
	 * The push key of a cell's version.
	 *
	 * @param int $connection Connection id.
	 * @param int $product    Product id.
	 * @param int $location   Location id.
	 * @param int $version    The row's version.
	 */
	public static function key( int $connection, int $product, int $location, int $version ): string {
		return "omnistock-$connection-$product-$location-$version";
	}

	/**
	 * The version a push key was made for.
	 *
	 * @param string $key A push key.
	 */
	private static function version_of_key( string $key ): int {
		$at = strrpos( $key, '-' );
		return false === $at ? 0 : (int) substr( $key, $at + 1 );
	}

	/**
	 * The due rows of a connection with their cells' maps and external view.
	 *
	 * @param int    $connection Connection id.
	 * @param int    $limit      At most this many.
	 * @param string $which      Instead of "due now", this SQL condition on the row o (integers only:
	 *                           it goes into the format string).
	 * @return list<array<string, string|null>>
	 */
	private function due( int $connection, int $limit, string $which = '' ): array {
		$t = $this->tables;
		return $this->db->rows(
			$this->db->prepare(
				"SELECT o.id, o.product_id, o.location_id, o.version, o.attempts, o.first_failed_at, o.payload,
					i.external_id AS item, l.external_id AS ext_location, l.system_of_record,
					e.connection_id AS ext_row, e.ext_qty, e.inflight_key, e.inflight_delta, e.inflight_target, e.inflight_since
				FROM {$t->outbox} o
				LEFT JOIN {$t->connection_items} i ON i.connection_id = %d AND i.product_id = o.product_id
				LEFT JOIN {$t->connection_locations} l ON l.connection_id = %d AND l.location_id = o.location_id
				LEFT JOIN {$t->external_cells} e ON e.connection_id = %d AND e.product_id = o.product_id AND e.location_id = o.location_id
				WHERE o.connector = %s AND o.status = 'pending' AND " . ( '' === $which ? 'o.next_attempt_at <= %d' : "$which AND %d > 0" ) . '
				ORDER BY o.next_attempt_at, o.id LIMIT %d',
				$connection,
				$connection,
				$connection,
				(string) $connection,
				Database::now_ms(),
				$limit
			)
		);
	}

	/**
	 * Whether the last drain of a connection left cells waiting for the register's first count
	 * (where the register is the system of record): the runner reconciles them.
	 *
	 * @param int $connection Connection id.
	 */
	public function awaits_baseline( int $connection ): bool {
		return isset( $this->awaiting[ $connection ] );
	}

	/**
	 * Whether a connection has rows due now.
	 *
	 * @param int $connection Connection id.
	 */
	public function has_due( int $connection ): bool {
		return null !== $this->db->value( $this->db->prepare( "SELECT id FROM {$this->tables->outbox} WHERE connector = %s AND status = 'pending' AND next_attempt_at <= %d LIMIT 1", (string) $connection, Database::now_ms() ) );
	}

	/**
	 * When the connection's next pending row is due (ms), or null when none is pending.
	 *
	 * @param int $connection Connection id.
	 */
	public function next_due_at( int $connection ): ?int {
		$at = $this->db->value( $this->db->prepare( "SELECT MIN(next_attempt_at) FROM {$this->tables->outbox} WHERE connector = %s AND status = 'pending'", (string) $connection ) );
		return null === $at ? null : (int) $at;
	}

	/**
	 * Pending rows of a connection, and when the oldest of them was last changed (for lag).
	 *
	 * @param int $connection Connection id.
	 * @return array{depth: int, oldest_ms: ?int, dead: int}
	 */
	public function health( int $connection ): array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT status, COUNT(*) AS n, MIN(updated_at) AS oldest FROM {$this->tables->outbox} WHERE connector = %s AND status IN ('pending', 'dead') GROUP BY status", (string) $connection ) );
		$out  = array(
			'depth'     => 0,
			'oldest_ms' => null,
			'dead'      => 0,
		);
		foreach ( $rows as $row ) {
			if ( self::PENDING === $row['status'] ) {
				$out['depth']     = (int) $row['n'];
				$out['oldest_ms'] = (int) $row['oldest'];
			} else {
				$out['dead'] = (int) $row['n'];
			}
		}
		return $out;
	}

	/**
	 * A connection's dead letters, oldest failure first.
	 *
	 * @param int $connection Connection id.
	 * @return list<array{id: int, product: int, location: int, item: ?string, external_location: ?string, version: int, attempts: int, first_failed_at: int, last_error: string, updated_at: int}>
	 */
	public function dead_letters( int $connection ): array {
		$t   = $this->tables;
		$out = array();
		foreach ( $this->db->rows(
			$this->db->prepare(
				"SELECT o.id, o.product_id, o.location_id, o.version, o.attempts, o.first_failed_at, o.last_error, o.updated_at, i.external_id AS item, l.external_id AS ext_location
				FROM {$t->outbox} o
				LEFT JOIN {$t->connection_items} i ON i.connection_id = %d AND i.product_id = o.product_id
				LEFT JOIN {$t->connection_locations} l ON l.connection_id = %d AND l.location_id = o.location_id
				WHERE o.connector = %s AND o.status = 'dead' ORDER BY o.first_failed_at, o.id LIMIT 1000",
				$connection,
				$connection,
				(string) $connection
			)
		) as $row ) {
			$out[] = array(
				'id'                => (int) $row['id'],
				'product'           => (int) $row['product_id'],
				'location'          => (int) $row['location_id'],
				'item'              => $row['item'],
				'external_location' => $row['ext_location'],
				'version'           => (int) $row['version'],
				'attempts'          => (int) $row['attempts'],
				'first_failed_at'   => (int) $row['first_failed_at'],
				'last_error'        => (string) $row['last_error'],
				'updated_at'        => (int) $row['updated_at'],
			);
		}
		return $out;
	}

	/**
	 * Dead letters of every connection, by connection id (the admin notice).
	 *
	 * @return array<int, int>
	 */
	public function dead_counts(): array {
		$out = array();
		foreach ( $this->db->rows( "SELECT connector, COUNT(*) AS n FROM {$this->tables->outbox} WHERE status = 'dead' GROUP BY connector" ) as $row ) {
			$out[ (int) $row['connector'] ] = (int) $row['n'];
		}
		return $out;
	}

	/**
	 * Puts a dead letter back: due now, its failures forgotten; it sends the cell's number then.
	 *
	 * @param int $connection Connection id.
	 * @param int $id         Row id.
	 * @throws Refused When the connection has no such dead letter (NotFound).
	 */
	public function retry( int $connection, int $id ): void {
		$now = Database::now_ms();
		$set = $this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET status = 'pending', attempts = 0, first_failed_at = 0, next_attempt_at = %d, updated_at = %d WHERE id = %d AND connector = %s AND status = 'dead'", $now, $now, $id, (string) $connection ) );
		if ( 0 === $set ) {
			throw new Refused( 'omnistock_no_dead_letter', __( 'This connection has no such dead letter.', 'omnistock' ), Refusal::NotFound );
		}
		$this->written[ $connection ] = true;
	}

	/**
	 * Puts every dead letter of a connection (or of all) back; returns how many.
	 *
	 * @param int|null $connection Connection id, or null for all.
	 */
	public function retry_all( ?int $connection = null ): int {
		$now   = Database::now_ms();
		$where = null === $connection ? '' : $this->db->prepare( ' AND connector = %s', (string) $connection );
		$ids   = null === $connection ? array_keys( $this->dead_counts() ) : array( $connection );
		$n     = $this->db->statement( $this->db->prepare( "UPDATE {$this->tables->outbox} SET status = 'pending', attempts = 0, first_failed_at = 0, next_attempt_at = %d, updated_at = %d WHERE status = 'dead'", $now, $now ) . $where );
		foreach ( $ids as $id ) {
			$this->written[ $id ] = true;
		}
		return $n;
	}
}
