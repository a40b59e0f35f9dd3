<?php
/**
 * Folds ledger rows with the extension's Omnistock\Ledger: the reference for levels.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Used by doctor: the drift of every cell from the fold of its whole ledger.
 */
final class LedgerFold {

	private const CHUNK_ROWS = 5000;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables ) {
	}

	/**
	 * Cells whose stored levels differ from the fold of the whole ledger (doctor).
	 *
	 * @return array{cells:int, events:int, drift:list<array{product:int, location:int, on_hand:int, committed:int, ledger_on_hand:int, ledger_committed:int}>}
	 */
	public function drift(): array {
		$t      = $this->tables;
		$ledger = new \Omnistock\Ledger();
		$events = 0;
		$after  = 0;
		do {
			$rows    = $this->db->rows(
				$this->db->prepare( "SELECT seq, event_id, kind, product_id, location_id, to_location_id, qty, at FROM {$t->ledger} WHERE seq > %d ORDER BY seq LIMIT %d", $after, self::CHUNK_ROWS )
			);
			$fetched = count( $rows );
			if ( $fetched ) {
				$after = (int) end( $rows )['seq'];
				$ledger->apply( $this->events( $rows ) );
				$events += $fetched;
			}
		} while ( self::CHUNK_ROWS === $fetched );

		$drift = array();
		$seen  = array();
		foreach ( $this->db->rows( "SELECT product_id, location_id, on_hand, committed FROM {$t->levels}" ) as $row ) {
			$product                                   = (int) $row['product_id'];
			$location                                  = (int) $row['location_id'];
			$seen[ Cells::key( $product, $location ) ] = true;
			$this->compare( $ledger->level( $product, $location ), $product, $location, (int) $row['on_hand'], (int) $row['committed'], $drift );
		}
		foreach ( $ledger->levels() as $level ) {
			if ( ! isset( $seen[ Cells::key( (int) $level['product'], (int) $level['location'] ) ] ) ) {
				$this->compare( $level, (int) $level['product'], (int) $level['location'], 0, 0, $drift );
			}
		}
		return array(
			'cells'  => count( $seen ),
			'events' => $events,
			'drift'  => $drift,
		);
	}

	/**
	 * Adds a drift row when stored and folded levels differ.
	 *
	 * @param array $folded    Level from the Ledger.
	 * @param int   $product   Product id.
	 * @param int   $location  Location id.
	 * @param int   $on_hand   Stored on_hand.
	 * @param int   $committed Stored committed.
	 * @param array $drift     Drift rows (appended to).
	 */
	private function compare( array $folded, int $product, int $location, int $on_hand, int $committed, array &$drift ): void {
		if ( (int) $folded['on_hand'] !== $on_hand || (int) $folded['committed'] !== $committed ) {
			$drift[] = array(
				'product'          => $product,
				'location'         => $location,
				'on_hand'          => $on_hand,
				'committed'        => $committed,
				'ledger_on_hand'   => (int) $folded['on_hand'],
				'ledger_committed' => (int) $folded['committed'],
			);
		}
	}

	/**
	 * Ledger rows as Omnistock\Ledger events.
	 *
	 * @param list<array<string, string|null>> $rows Ledger rows.
	 * @return list<array<string, int|string>>
	 */
	private function events( array $rows ): array {
		$events = array();
		foreach ( $rows as $row ) {
			if ( LedgerKind::SHORT === $row['kind'] ) {
				continue; // A record of units that were not there: it moves no level.
			}
			$event = array(
				'id'       => (string) $row['event_id'],
				'kind'     => (string) $row['kind'],
				'product'  => (int) $row['product_id'],
				'location' => (int) $row['location_id'],
				'qty'      => (int) $row['qty'],
				'at'       => (int) $row['at'],
			);
			if ( 'transfer' === $row['kind'] ) {
				$event['to'] = (int) $row['to_location_id'];
			}
			$events[] = $event;
		}
		return $events;
	}
}
