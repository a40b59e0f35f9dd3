<?php
/**
 * How a connection is doing: its last webhook and push, its outbox's lag and depth, dead letters,
 * the inbox's waiting deliveries, drift and unmapped items.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * One read for the REST route, the CLI and the connections screen. Never a secret.
 */
final class Health {

	/**
	 * Takes its dependencies.
	 *
	 * @param Database    $db          The database.
	 * @param Tables      $tables      Table names.
	 * @param Connections $connections The connections.
	 * @param Inbox       $inbox       The webhook inbox.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly Connections $connections, private readonly Inbox $inbox ) {
	}

	/**
	 * A connection's public fields, maps and health.
	 *
	 * @param int $id Connection id.
	 * @return array<string, mixed>
	 * @throws \Omnistock\Refused When there is no such connection (NotFound).
	 */
	public function of( int $id ): array {
		$connection = $this->connections->get( $id );
		$public     = self::find( $this->connections->all(), $id );
		$now        = Database::now_ms();
		$t          = $this->tables;
		$outbox     = $this->db->rows( $this->db->prepare( "SELECT status, COUNT(*) AS n, MIN(updated_at) AS oldest FROM {$t->outbox} WHERE connector = %s GROUP BY status", (string) $id ) );
		$depth      = 0;
		$dead       = 0;
		$oldest     = 0;
		foreach ( $outbox as $row ) {
			if ( 'pending' === $row['status'] ) {
				$depth  = (int) $row['n'];
				$oldest = (int) $row['oldest'];
			} elseif ( 'dead' === $row['status'] ) {
				$dead = (int) $row['n'];
			}
		}
		$drift = array();
		foreach ( $this->db->rows( $this->db->prepare( "SELECT product_id, location_id, ext_qty, drift, drift_at FROM {$t->external_cells} WHERE connection_id = %d AND drift IS NOT NULL ORDER BY product_id, location_id LIMIT 500", $id ) ) as $row ) {
			$drift[] = array(
				'product'  => (int) $row['product_id'],
				'location' => (int) $row['location_id'],
				'ext_qty'  => null === $row['ext_qty'] ? null : (int) $row['ext_qty'],
				'drift'    => (int) $row['drift'],
				'drift_at' => (int) $row['drift_at'],
			);
		}
		return $public + array(
			'webhook_url'    => Connections::webhook_url( $connection ),
			'locations'      => $this->connections->locations( $id ),
			'items'          => $this->connections->items( $id ),
			'lag_ms'         => $depth > 0 && $oldest > 0 ? max( 0, $now - $oldest ) : 0,
			'outbox_depth'   => $depth,
			'dead_letters'   => $dead,
			'inbox'          => $this->inbox->counts( $id ),
			'drift'          => $drift,
			'unmapped_items' => $this->inbox->unmapped( $connection ),
			'secrets_from'   => Secrets::from_constant() ? 'constant' : 'salts',
			'checked_at'     => $now,
		);
	}

	/**
	 * The row of $id among the connections' public rows.
	 *
	 * @param list<array<string, mixed>> $all Connections::all().
	 * @param int                        $id  Connection id.
	 * @return array<string, mixed>
	 */
	private static function find( array $all, int $id ): array {
		foreach ( $all as $row ) {
			if ( $row['id'] === $id ) {
				return $row;
			}
		}
		return array( 'id' => $id );
	}
}
