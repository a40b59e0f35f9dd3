<?php
/**
 * The webhook inbox: verified deliveries kept once, then turned into ledger events.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\BadInput;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\InvalidEvent;
use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * The inbox: store() keeps a verified delivery once per connection and provider delivery id (a duplicate changes
 * nothing); process() reads the provider's observations from it and gives each to ExternalCells,
 * whose event ids and clock make a repeated, late or echoed observation worth nothing.
 *
 * A row's `body` is a JSON envelope {"headers": {...}, "body": "<the raw body>"}: the headers a
 * provider may read again when processing (its topic, its event id), never its signature headers.
 * A row's status after processing is the "worst" of its observations: deferred (a push to a cell is
 * in flight: again next time) > unmapped (kept until the maps change) > applied > baseline > echo >
 * stale; invalid when the provider does not understand it (`error` says why).
 *
 * Callers serialise per connection (Connectors\Sync holds the connection's lock for process()).
 */
final class Inbox {

	/** Headers never kept: signatures and credentials. */
	private const SECRET_HEADERS = array( 'webhook-signature', 'x-square-hmacsha256-signature', 'x-square-signature', 'x-shopify-hmac-sha256', 'x-clover-auth', 'authorization', 'cookie', 'proxy-authorization' );

	private const RANK = array(
		'stale'                 => 0,
		ExternalCells::ECHO     => 1,
		ExternalCells::BASELINE => 2,
		ExternalCells::APPLIED  => 3,
		'unmapped'              => 4,
		ExternalCells::DEFERRED => 5,
	);

	/**
	 * Takes its dependencies.
	 *
	 * @param Database      $db          The database.
	 * @param Tables        $tables      Table names.
	 * @param Connections   $connections The connections and their maps.
	 * @param ExternalCells $cells       The mapped cells' external view.
	 * @param CountReader   $reader      Reads back what a webhook only names (Clover).
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly Connections $connections, private readonly ExternalCells $cells, private readonly CountReader $reader = new CountReader() ) {
	}

	/**
	 * The maps of a connection changed: its unmapped deliveries are new again.
	 *
	 * @param int $id Connection id.
	 */
	public function remapped( int $id ): void {
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->inbox} SET status = 'new' WHERE connection_id = %d AND status = 'unmapped'", $id ) );
	}

	/**
	 * Keeps a verified delivery (once).
	 *
	 * @param Connection            $connection  The connection it came for.
	 * @param array<string, string> $headers     Its headers, lower-case names.
	 * @param string                $body        Its raw body.
	 * @param string|null           $verified_id The id Omnistock\Webhook read from the signed headers.
	 * @return array{status: string, id: int} stored or duplicate, and the inbox row's id.
	 * @throws BadInput Naming body, when it is not a JSON object.
	 */
	public function store( Connection $connection, array $headers, string $body, ?string $verified_id = null ): array {
		$payload = json_decode( $body, true );
		if ( ! is_array( $payload ) ) {
			throw new BadInput( 'body', __( 'must be a JSON object', 'omnistock' ) );
		}
		$provider = Providers::get( $connection->provider );
		$delivery = $provider->delivery_id( $headers, $payload, $verified_id );
		if ( null === $delivery || '' === $delivery ) {
			$delivery = 'sha256:' . hash( 'sha256', $body );
		} elseif ( strlen( $delivery ) > 191 ) {
			$delivery = 'sha256:' . hash( 'sha256', $delivery );
		}
		$kept = array();
		foreach ( $headers as $name => $value ) {
			$name = strtolower( (string) $name );
			if ( ! in_array( $name, self::SECRET_HEADERS, true ) && ( str_starts_with( $name, 'x-' ) || str_starts_with( $name, 'webhook-' ) ) ) {
				$kept[ $name ] = is_array( $value ) ? (string) reset( $value ) : (string) $value;
			}
		}
		$envelope = (string) wp_json_encode(
			array(
				'headers' => (object) $kept,
				'body'    => $body,
			),
			JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
		);
		$inserted = $this->db->statement(
			$this->db->prepare(
				"INSERT IGNORE INTO {$this->tables->inbox} (connection_id, delivery_id, topic, body, status, received_at) VALUES (%d, %s, %s, %s, 'new', %d)",
				$connection->id,
				$delivery,
				substr( $provider->topic( $headers, $payload ), 0, 100 ),
				$envelope,
				Database::now_ms()
			)
		);
		$id       = (int) $this->db->value( $this->db->prepare( "SELECT id FROM {$this->tables->inbox} WHERE connection_id = %d AND delivery_id = %s", $connection->id, $delivery ) );
		$this->connections->touch( $connection->id, 'last_webhook_at' );
		return array(
			'status' => $inserted > 0 ? 'stored' : 'duplicate',
			'id'     => $id,
		);
	}

	/**
	 * Turns the connection's new and deferred deliveries into events, oldest first.
	 *
	 * @param Connection $connection The connection.
	 * @param int        $limit      Deliveries at most.
	 * @return array{applied: int, echo: int, stale: int, baseline: int, deferred: int, unmapped: int, invalid: int} observations by outcome (invalid: deliveries)
	 * @throws BadInput When the connection's provider is unknown.
	 */
	public function process( Connection $connection, int $limit = 500 ): array {
		$stats    = array_fill_keys( array( 'applied', 'echo', 'stale', 'baseline', 'deferred', 'unmapped', 'invalid' ), 0 );
		$provider = Providers::get( $connection->provider );
		$rows     = $this->db->rows(
			$this->db->prepare(
				"SELECT id, delivery_id, body FROM {$this->tables->inbox} WHERE connection_id = %d AND status IN ('new', 'deferred') ORDER BY received_at, id LIMIT %d",
				$connection->id,
				max( 1, $limit )
			)
		);
		$context  = array(
			'source'    => $provider->name(),
			'reference' => 'connection:' . $connection->id,
			'actor'     => $provider->name(),
		);
		foreach ( $rows as $row ) {
			list( $headers, $payload ) = self::open( (string) $row['body'] );
			try {
				if ( null === $payload ) {
					throw new BadInput( 'body', __( 'must be a JSON object', 'omnistock' ) );
				}
				// A provider whose webhook only names what changed (Clover) is read back now.
				$observations = $this->reader->observations( $connection, $provider, $headers, $payload );
				$worst        = null;
				foreach ( array_values( $observations ) as $n => $o ) {
					$outcome = $this->observe( $connection, $provider->name(), (string) $row['delivery_id'], $n, $o, $context );
					++$stats[ $outcome ];
					if ( null === $worst || self::RANK[ $outcome ] > self::RANK[ $worst ] ) {
						$worst = $outcome;
					}
				}
				$this->mark( (int) $row['id'], $worst ?? ExternalCells::ECHO, null );
			} catch ( BadInput | InvalidEvent $e ) {
				++$stats['invalid'];
				$this->mark( (int) $row['id'], 'invalid', $e->getMessage() );
			} catch ( \Omnistock\Unavailable $e ) {
				// The provider could not be read back: the row stays new, and so do the rest (the next run retries).
				break;
			}
		}
		return $stats;
	}

	/**
	 * One observation: given to ExternalCells when its cell is mapped.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $provider   Provider name.
	 * @param string     $delivery   The delivery's id.
	 * @param int        $n          The observation's index in it.
	 * @param array      $o          The observation.
	 * @param array      $context    Its events' source, reference, actor.
	 * @return string An outcome of ExternalCells, or unmapped.
	 */
	private function observe( Connection $connection, string $provider, string $delivery, int $n, array $o, array $context ): string {
		$cell = $this->connections->cell( $connection->id, (string) $o['item'], (string) $o['location'] );
		if ( null === $cell ) {
			return 'unmapped';
		}
		list( $product, $location ) = $cell;
		$event_id                   = self::event_id( $provider, $connection->id, $delivery, $n );
		if ( array_key_exists( 'delta', $o ) ) {
			return $this->cells->observe_delta( $connection->id, $product, $location, (int) $o['delta'], (int) $o['at'], $event_id, $context );
		}
		$system = $this->connections->external( $connection->id, $product, $location )['system_of_record'] ?? 'omnistock';
		return $this->cells->observe( $connection->id, $product, $location, (int) $o['qty'], (int) $o['at'], $event_id, $context, 'provider' === $system );
	}

	/**
	 * The event id of a webhook's news: "<provider>:<connection>:<delivery>:<n>", at most 120 bytes
	 * (a long delivery id is hashed).
	 *
	 * @param string $provider   Provider name.
	 * @param int    $connection Connection id.
	 * @param string $delivery   Delivery id.
	 * @param int    $n          Index of the observation in the delivery.
	 */
	public static function event_id( string $provider, int $connection, string $delivery, int $n ): string {
		$id = $provider . ':' . $connection . ':' . $delivery . ':' . $n;
		if ( strlen( $id ) > 120 ) {
			$id = $provider . ':' . $connection . ':h' . substr( hash( 'sha256', $delivery ), 0, 48 ) . ':' . $n;
		}
		return $id;
	}

	/**
	 * How many of a connection's deliveries process() would read now (new and deferred): the sync
	 * runner loops while there are any.
	 *
	 * @param int $id Connection id.
	 */
	public function pending( int $id ): int {
		return (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$this->tables->inbox} WHERE connection_id = %d AND status IN ('new', 'deferred')", $id ) );
	}

	/**
	 * Counts of a connection's deliveries by status.
	 *
	 * @param int $id Connection id.
	 * @return array<string, int>
	 */
	public function counts( int $id ): array {
		$out = array_fill_keys( array( 'new', 'deferred', 'unmapped', 'invalid' ), 0 );
		foreach ( $this->db->rows( $this->db->prepare( "SELECT status, COUNT(*) AS n FROM {$this->tables->inbox} WHERE connection_id = %d GROUP BY status", $id ) ) as $row ) {
			$out[ (string) $row['status'] ] = (int) $row['n'];
		}
		return $out;
	}

	/**
	 * The provider's items named by the connection's unmapped deliveries (at most 200 deliveries read).
	 *
	 * @param Connection $connection The connection.
	 * @return list<array{item: string, location: string, deliveries: int}>
	 */
	public function unmapped( Connection $connection ): array {
		$provider = Providers::get( $connection->provider );
		$seen     = array();
		foreach ( $this->db->rows( $this->db->prepare( "SELECT body FROM {$this->tables->inbox} WHERE connection_id = %d AND status = 'unmapped' ORDER BY id LIMIT 200", $connection->id ) ) as $row ) {
			list( $headers, $payload ) = self::open( (string) $row['body'] );
			if ( null === $payload ) {
				continue;
			}
			try {
				// Listing needs no read back: a provider whose webhook only names the cells says which.
				$observations = $provider instanceof Rereading ? $provider->reread( $headers, $payload ) : $provider->observations( $headers, $payload );
			} catch ( BadInput $e ) {
				continue;
			}
			foreach ( $observations as $o ) {
				$key = $o['item'] . "\n" . $o['location'];
				if ( null === $this->connections->cell( $connection->id, (string) $o['item'], (string) $o['location'] ) ) {
					$seen[ $key ] = array(
						'item'       => (string) $o['item'],
						'location'   => (string) $o['location'],
						'deliveries' => ( $seen[ $key ]['deliveries'] ?? 0 ) + 1,
					);
				}
			}
		}
		return array_values( $seen );
	}

	/**
	 * Notes a row's outcome.
	 *
	 * @param int         $id     Inbox row id.
	 * @param string      $status Its status.
	 * @param string|null $error  Why it is invalid.
	 */
	private function mark( int $id, string $status, ?string $error ): void {
		$this->db->statement(
			null === $error
				? $this->db->prepare( "UPDATE {$this->tables->inbox} SET status = %s, processed_at = %d WHERE id = %d", $status, Database::now_ms(), $id )
				: $this->db->prepare( "UPDATE {$this->tables->inbox} SET status = %s, error = %s, processed_at = %d WHERE id = %d", $status, $error, Database::now_ms(), $id )
		);
	}

	/**
	 * The headers and decoded payload of a stored envelope (payload null when it is not an object).
	 *
	 * @param string $stored The row's body.
	 * @return array{0: array<string, string>, 1: ?array}
	 */
	private static function open( string $stored ): array {
		$envelope = json_decode( $stored, true );
		if ( ! is_array( $envelope ) || ! is_string( $envelope['body'] ?? null ) ) {
			return array( array(), null );
		}
		$headers = is_array( $envelope['headers'] ?? null ) ? array_map( 'strval', $envelope['headers'] ) : array();
		$payload = json_decode( $envelope['body'], true );
		return array( $headers, is_array( $payload ) ? $payload : null );
	}
}
