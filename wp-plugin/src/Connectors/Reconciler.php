<?php
/**
 * Reconciliation: what the register shows against what we say, per mapped cell, corrected on the
 * side that is not the system of record.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * Reconciler::reconcile() reads the register's counts of every mapped cell (CountReader: the provider's
 * count_requests() and counts(), paged) and, per cell:
 *  1. takes the count in as an observation, like a webhook's (ExternalCells::observe(), event id
 *     `<provider>:<connection>:reconcile:<product>-<location>:<at>`): news the webhooks missed is
 *     applied here, a first sight is the baseline;
 *  2. drift = the register's count - our available to sell there (Inventory::sellable_at(),
 *     floored at 0 as pushes are), noted (ExternalCells::note_drift(), null when none);
 *  3. corrects a drift by the location's system of record: `provider` -> a `count` here that
 *     moves on_hand by the drift (reason `reconcile`, event id
 *     `<provider>:<connection>:reconcile:<product>-<location>:<ms>`); `omnistock` -> the outbox is
 *     asked to push our number again (Outbox::touch(connection, product, location), which pushes our number again).
 * A cell is left alone (noted `skipped`) while a push to it is in flight or pending in the outbox
 * (its difference is our change on its way, not drift), and when the count read is older than the
 * register's number we already know (stale: a push or webhook since).
 *
 * Callers serialise per connection (Connectors\Sync holds its named lock).
 */
final class Reconciler {

	/**
	 * How a push of our number is asked for: function( int $connection, int $product, int $location ): void
	 * (Outbox::touch() of the plugin's outbox, wired by the plugin).
	 *
	 * @var callable
	 */
	private $touch;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database      $db          The database.
	 * @param Tables        $tables      Table names.
	 * @param Inventory     $inventory   Our stock.
	 * @param Connections   $connections The maps.
	 * @param ExternalCells $cells       The registers' view.
	 * @param CountReader   $reader      Reads the register's counts.
	 * @param callable      $touch       Asks for a push of a cell: fn( $connection, $product, $location ) => $outbox->touch( ... ).
	 * @param Provider|null $provider    The provider (default Providers::get() of the connection's).
	 */
	public function __construct(
		private readonly Database $db,
		private readonly Tables $tables,
		private readonly Inventory $inventory,
		private readonly Connections $connections,
		private readonly ExternalCells $cells,
		private readonly CountReader $reader,
		callable $touch,
		private readonly ?Provider $provider = null
	) {
		$this->touch = $touch;
	}

	/**
	 * Reads, compares and corrects every mapped cell of a connection.
	 *
	 * @param Connection $connection The connection.
	 * @return array{read: int, cells: list<array{product: int, location: int, item: string, external_location: string, register: int, ours: ?int, drift: ?int, observed: string, corrected: ?string}>}
	 * @throws \Omnistock\Unavailable When the provider's counts cannot be read (nothing is changed then).
	 */
	public function reconcile( Connection $connection ): array {
		$provider  = $this->provider ?? Providers::get( $connection->provider );
		$items     = $this->connections->items( $connection->id );
		$locations = $this->connections->locations( $connection->id );
		$report    = array(
			'read'  => 0,
			'cells' => array(),
		);
		if ( ! $items || ! $locations ) {
			return $report;
		}
		$counts         = $this->reader->read( $connection, $provider, array_map( 'strval', array_keys( $items ) ), array_map( 'strval', array_keys( $locations ) ) );
		$report['read'] = count( $counts );
		$context        = array(
			'source'    => $provider->name(),
			'reference' => 'connection:' . $connection->id,
			'actor'     => $provider->name(),
		);
		$done           = array();
		foreach ( $counts as $count ) {
			$product  = $items[ $count['item'] ] ?? null;
			$location = $locations[ $count['location'] ]['location'] ?? null;
			if ( null === $product || null === $location || isset( $done[ "$product-$location" ] ) ) {
				continue;
			}
			$done[ "$product-$location" ] = true;
			$report['cells'][]            = $this->cell( $connection, $provider, $product, $location, $count, $locations[ $count['location'] ]['system_of_record'], $context );
		}
		$this->connections->touch( $connection->id, 'last_reconcile_at' );
		return $report;
	}

	/**
	 * One cell: observe, compare, correct.
	 *
	 * @param Connection $connection The connection.
	 * @param Provider   $provider   Its provider.
	 * @param int        $product    Product id.
	 * @param int        $location   Location id.
	 * @param array      $count      The register's count (item, location, qty, at).
	 * @param string     $system     The location's system of record.
	 * @param array      $context    source, reference, actor.
	 */
	private function cell( Connection $connection, Provider $provider, int $product, int $location, array $count, string $system, array $context ): array {
		$prefix = $provider->name() . ':' . $connection->id . ':reconcile:' . $product . '-' . $location . ':';
		$before = $this->cells->get( $connection->id, $product, $location );
		$reason = null !== $before && null !== $before['ext_qty'] && $count['qty'] < $before['ext_qty'] ? 'external_sale' : 'external_count';
		// Our change on its way before this read (not the outbox row the news of this read writes).
		$pending = $this->pending( $connection->id, $product, $location );
		$status  = $this->cells->observe( $connection->id, $product, $location, (int) $count['qty'], (int) $count['at'], $prefix . $count['at'], $context + array( 'reason' => $reason ) );
		$row     = array(
			'product'           => $product,
			'location'          => $location,
			'item'              => (string) $count['item'],
			'external_location' => (string) $count['location'],
			'register'          => (int) $count['qty'],
			'ours'              => null,
			'drift'             => null,
			'observed'          => $status,
			'corrected'         => null,
		);
		if ( ExternalCells::DEFERRED === $status || ExternalCells::STALE === $status || $pending ) {
			$row['corrected'] = 'skipped';
			return $row;
		}
		$ours         = max( 0, (int) ( $this->inventory->sellable_at( array( $product ), $location )[ $product ] ?? 0 ) );
		$drift        = (int) $count['qty'] - $ours;
		$row['ours']  = $ours;
		$row['drift'] = $drift;
		$this->cells->note_drift( $connection->id, $product, $location, 0 === $drift ? null : $drift );
		if ( 0 === $drift ) {
			return $row;
		}
		if ( 'provider' === $system ) {
			$on_hand = 0;
			foreach ( $this->inventory->stock( $product )['locations'] as $level ) {
				if ( $level['location'] === $location ) {
					$on_hand = (int) $level['on_hand'];
				}
			}
			$now = Database::now_ms();
			$this->inventory->record(
				array(
					array(
						'id'       => $prefix . $now,
						'kind'     => 'count',
						'product'  => $product,
						'location' => $location,
						'qty'      => max( 0, $on_hand + $drift ),
						'at'       => $now,
					),
				),
				$context + array( 'reason' => 'reconcile' )
			);
			$this->cells->note_drift( $connection->id, $product, $location, null );
			$row['corrected'] = 'count';
		} else {
			( $this->touch )( $connection->id, $product, $location );
			$row['corrected'] = 'push';
		}
		return $row;
	}

	/**
	 * Whether the outbox holds a change of ours for the cell not yet acknowledged.
	 *
	 * @param int $connection Connection id.
	 * @param int $product    Product id.
	 * @param int $location   Location id.
	 */
	private function pending( int $connection, int $product, int $location ): bool {
		return null !== $this->db->value(
			$this->db->prepare(
				"SELECT id FROM {$this->tables->outbox} WHERE connector = %s AND product_id = %d AND location_id = %d AND status = 'pending' LIMIT 1",
				(string) $connection,
				$product,
				$location
			)
		);
	}
}
