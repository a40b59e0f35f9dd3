<?php
/**
 * External POS connections: stored, secrets sealed, with their location and item maps.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\BadInput;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;
use Omnistock\Refusal;
use Omnistock\Refused;

defined( 'ABSPATH' ) || exit;

/**
 * The repository of connections. A cell (product, location) is mapped for a connection when its
 * product is mapped to one of the provider's items and its location to one of the provider's
 * locations; every mapped cell has its ExternalCells row.
 */
final class Connections {

	/** Whether any connection exists (autoloaded): stock changes skip the outbox without a query when none does. */
	public const ANY_OPTION = 'omnistock_connections_exist';

	public const SYSTEMS_OF_RECORD = array( 'omnistock', 'provider' );

	/**
	 * Connections read in this request, by id.
	 *
	 * @var array<int, Connection>
	 */
	private array $cache = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db      The database.
	 * @param Tables   $tables  Table names.
	 * @param Secrets  $secrets Seals the secrets.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly Secrets $secrets ) {
	}

	/**
	 * Whether any connection exists (no query).
	 */
	public static function any(): bool {
		return '1' === (string) get_option( self::ANY_OPTION, '0' );
	}

	/**
	 * Adds a connection.
	 *
	 * @param string $provider       square, shopify, clover or standard.
	 * @param string $name           The owner's name for it.
	 * @param string $api_base       The provider's API base URL.
	 * @param array  $credentials    Provider credentials.
	 * @param string $webhook_secret The secret its webhooks are signed with.
	 * @param array  $settings       Non-secret settings.
	 * @return Connection The new connection.
	 * @throws BadInput Naming the field, when one is malformed.
	 */
	public function create( string $provider, string $name, string $api_base, #[\SensitiveParameter] array $credentials, #[\SensitiveParameter] string $webhook_secret, array $settings = array() ): Connection {
		if ( ! in_array( $provider, Providers::NAMES, true ) ) {
			throw new BadInput( 'provider', __( 'must be one of square, shopify, clover, standard', 'omnistock' ) );
		}
		$name = trim( $name );
		if ( '' === $name || strlen( $name ) > 191 ) {
			throw new BadInput( 'name', __( 'must be 1 to 191 characters', 'omnistock' ) );
		}
		$api_base = self::api_base( $api_base );
		if ( '' === $webhook_secret ) {
			throw new BadInput( 'webhook_secret', __( 'must not be empty', 'omnistock' ) );
		}
		self::check_secret( $provider, $webhook_secret );
		foreach ( $credentials as $key => $value ) {
			if ( ! is_string( $key ) || ! is_scalar( $value ) ) {
				throw new BadInput( 'credentials', __( 'must be an object of strings', 'omnistock' ) );
			}
		}
		$now = Database::now_ms();
		$this->db->statement(
			$this->db->prepare(
				"INSERT INTO {$this->tables->connections} (provider, name, api_base, secrets, settings, status, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, 'active', %d, %d)",
				$provider,
				$name,
				$api_base,
				$this->secrets->seal(
					array(
						'credentials'    => $credentials,
						'webhook_secret' => $webhook_secret,
					)
				),
				(string) wp_json_encode( (object) $settings ),
				$now,
				$now
			)
		);
		$id = (int) $this->db->wpdb->insert_id;
		update_option( self::ANY_OPTION, '1', true );
		return $this->get( $id );
	}

	/**
	 * A connection, secrets opened.
	 *
	 * @param int $id Connection id.
	 * @throws Refused When there is no such connection (NotFound).
	 */
	public function get( int $id ): Connection {
		if ( isset( $this->cache[ $id ] ) ) {
			return $this->cache[ $id ];
		}
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->connections} WHERE id = %d", $id ) );
		if ( ! $rows ) {
			throw new Refused( 'omnistock_no_connection', __( 'There is no such connection.', 'omnistock' ), Refusal::NotFound );
		}
		$row                = $rows[0];
		$open               = $this->secrets->open( (string) $row['secrets'] );
		$settings           = json_decode( (string) $row['settings'], true );
		$this->cache[ $id ] = new Connection(
			(int) $row['id'],
			(string) $row['provider'],
			(string) $row['name'],
			(string) $row['api_base'],
			is_array( $open['credentials'] ?? null ) ? $open['credentials'] : array(),
			(string) ( $open['webhook_secret'] ?? '' ),
			is_array( $settings ) ? $settings : array(),
			(string) $row['status']
		);
		return $this->cache[ $id ];
	}

	/**
	 * The URL the provider posts the connection's webhooks to (the owner gives it to the provider;
	 * Square signs it): settings.webhook_url when the owner set one (a site behind a proxy), else
	 * this site's REST route omnistock/v1/hooks/<id>.
	 *
	 * @param Connection $connection The connection.
	 */
	public static function webhook_url( Connection $connection ): string {
		$set = $connection->settings['webhook_url'] ?? '';
		return is_string( $set ) && '' !== $set ? $set : rest_url( 'omnistock/v1/hooks/' . $connection->id );
	}

	/**
	 * Every connection's public fields and health times (no secrets), by id.
	 *
	 * @return list<array{id: int, provider: string, name: string, api_base: string, status: string, last_webhook_at: int, last_push_at: int, last_reconcile_at: int, created_at: int}>
	 */
	public function all(): array {
		$out = array();
		foreach ( $this->db->rows( "SELECT id, provider, name, api_base, status, last_webhook_at, last_push_at, last_reconcile_at, created_at FROM {$this->tables->connections} ORDER BY id" ) as $row ) {
			$out[] = array(
				'id'                => (int) $row['id'],
				'provider'          => (string) $row['provider'],
				'name'              => (string) $row['name'],
				'api_base'          => (string) $row['api_base'],
				'status'            => (string) $row['status'],
				'last_webhook_at'   => (int) $row['last_webhook_at'],
				'last_push_at'      => (int) $row['last_push_at'],
				'last_reconcile_at' => (int) $row['last_reconcile_at'],
				'created_at'        => (int) $row['created_at'],
			);
		}
		return $out;
	}

	/**
	 * Ids of the active connections.
	 *
	 * @return list<int>
	 */
	public function active_ids(): array {
		return array_map( 'intval', array_column( $this->db->rows( "SELECT id FROM {$this->tables->connections} WHERE status = 'active' ORDER BY id" ), 'id' ) );
	}

	/**
	 * Notes a time of the connection's health: last_webhook_at, last_push_at or last_reconcile_at.
	 *
	 * @param int    $id    Connection id.
	 * @param string $field One of the three.
	 * @throws \ValueError When $field is none of them.
	 */
	public function touch( int $id, string $field ): void {
		if ( ! in_array( $field, array( 'last_webhook_at', 'last_push_at', 'last_reconcile_at' ), true ) ) {
			throw new \ValueError( 'no such time: ' . $field );
		}
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->connections} SET {$field} = %d WHERE id = %d", Database::now_ms(), $id ) ); // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $field is one of three names.
	}

	/**
	 * Deletes a connection with its maps, external view, inbox and outbox rows.
	 *
	 * @param int $id Connection id.
	 */
	public function delete( int $id ): void {
		$this->get( $id );
		$this->db->transaction(
			function () use ( $id ): void {
				foreach ( array( $this->tables->connection_locations, $this->tables->connection_items, $this->tables->inbox, $this->tables->external_cells ) as $table ) {
					$this->db->statement( $this->db->prepare( "DELETE FROM {$table} WHERE connection_id = %d", $id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- a table name of Tables.
				}
				$this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->outbox} WHERE connector = %s", (string) $id ) );
				$this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->connections} WHERE id = %d", $id ) );
			}
		);
		unset( $this->cache[ $id ] );
		if ( '0' === (string) $this->db->value( "SELECT COUNT(*) FROM {$this->tables->connections}" ) ) {
			update_option( self::ANY_OPTION, '0', true );
		}
	}

	/**
	 * Replaces the location map: the provider's location id => our location id (and, optionally,
	 * who is the system of record there: "<location id>" or {"location": id, "system_of_record": ...}).
	 *
	 * @param int   $id  Connection id.
	 * @param array $map External id => location id, or => array{location: int, system_of_record?: string}.
	 * @throws BadInput Naming the entry, when one is malformed or names no location, or two name one location.
	 */
	public function set_locations( int $id, array $map ): void {
		$this->get( $id );
		$known = array_flip( array_map( 'intval', array_column( $this->db->rows( "SELECT id FROM {$this->tables->locations}" ), 'id' ) ) );
		$rows  = array();
		$seen  = array();
		foreach ( $map as $external => $value ) {
			$external = (string) $external;
			$field    = 'locations.' . $external;
			$system   = 'omnistock';
			if ( is_array( $value ) ) {
				$system = (string) ( $value['system_of_record'] ?? 'omnistock' );
				$value  = $value['location'] ?? null;
			}
			$location = is_int( $value ) || ( is_string( $value ) && ctype_digit( $value ) ) ? (int) $value : 0;
			if ( '' === $external || strlen( $external ) > 191 ) {
				throw new BadInput( $field, __( 'must be a provider location id of 1 to 191 characters', 'omnistock' ) );
			}
			if ( ! isset( $known[ $location ] ) ) {
				throw new BadInput( $field, __( 'must be the id of one of our locations', 'omnistock' ) );
			}
			if ( ! in_array( $system, self::SYSTEMS_OF_RECORD, true ) ) {
				throw new BadInput( $field . '.system_of_record', __( 'must be omnistock or provider', 'omnistock' ) );
			}
			if ( isset( $seen[ $location ] ) ) {
				throw new BadInput( $field, __( 'names a location another provider location is already mapped to', 'omnistock' ) );
			}
			$seen[ $location ] = true;
			$rows[]            = array( $external, $location, $system );
		}
		$this->db->transaction(
			function () use ( $id, $rows ): void {
				$this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->connection_locations} WHERE connection_id = %d", $id ) );
				foreach ( $rows as list( $external, $location, $system ) ) {
					$this->db->statement( $this->db->prepare( "INSERT INTO {$this->tables->connection_locations} (connection_id, external_id, location_id, system_of_record) VALUES (%d, %s, %d, %s)", $id, $external, $location, $system ) );
				}
				$this->sync_cells( $id );
			}
		);
		/**
		 * A connection's location or item map changed: deliveries kept as unmapped may apply now.
		 *
		 * @param int $id Connection id.
		 */
		do_action( 'omnistock_connection_mapped', $id );
	}

	/**
	 * Replaces the item map: the provider's item id => our product or variation id.
	 *
	 * @param int   $id  Connection id.
	 * @param array $map External id => product id.
	 * @throws BadInput Naming the entry, when one is malformed, or two name one product.
	 */
	public function set_items( int $id, array $map ): void {
		$this->get( $id );
		$rows = array();
		$seen = array();
		foreach ( $map as $external => $value ) {
			$external = (string) $external;
			$field    = 'items.' . $external;
			$product  = is_int( $value ) || ( is_string( $value ) && ctype_digit( $value ) ) ? (int) $value : 0;
			if ( '' === $external || strlen( $external ) > 191 ) {
				throw new BadInput( $field, __( 'must be a provider item id of 1 to 191 characters', 'omnistock' ) );
			}
			if ( $product <= 0 ) {
				throw new BadInput( $field, __( 'must be a product id', 'omnistock' ) );
			}
			if ( isset( $seen[ $product ] ) ) {
				throw new BadInput( $field, __( 'names a product another provider item is already mapped to', 'omnistock' ) );
			}
			$seen[ $product ] = true;
			$rows[]           = array( $external, $product );
		}
		$this->db->transaction(
			function () use ( $id, $rows ): void {
				$this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->connection_items} WHERE connection_id = %d", $id ) );
				foreach ( array_chunk( $rows, 200 ) as $chunk ) {
					$values = array();
					foreach ( $chunk as list( $external, $product ) ) {
						$values[] = $this->db->prepare( '(%d, %s, %d)', $id, $external, $product );
					}
					$this->db->statement( "INSERT INTO {$this->tables->connection_items} (connection_id, external_id, product_id) VALUES " . implode( ', ', $values ) );
				}
				$this->sync_cells( $id );
			}
		);
		/**
		 * A connection's location or item map changed: deliveries kept as unmapped may apply now.
		 *
		 * @param int $id Connection id.
		 */
		do_action( 'omnistock_connection_mapped', $id );
	}

	/**
	 * The location map: external id => array{location: int, system_of_record: string}.
	 *
	 * @param int $id Connection id.
	 * @return array<string, array{location: int, system_of_record: string}>
	 */
	public function locations( int $id ): array {
		$out = array();
		foreach ( $this->db->rows( $this->db->prepare( "SELECT external_id, location_id, system_of_record FROM {$this->tables->connection_locations} WHERE connection_id = %d ORDER BY external_id", $id ) ) as $row ) {
			$out[ (string) $row['external_id'] ] = array(
				'location'         => (int) $row['location_id'],
				'system_of_record' => (string) $row['system_of_record'],
			);
		}
		return $out;
	}

	/**
	 * The item map: external id => product id.
	 *
	 * @param int $id Connection id.
	 * @return array<string, int>
	 */
	public function items( int $id ): array {
		$out = array();
		foreach ( $this->db->rows( $this->db->prepare( "SELECT external_id, product_id FROM {$this->tables->connection_items} WHERE connection_id = %d ORDER BY external_id", $id ) ) as $row ) {
			$out[ (string) $row['external_id'] ] = (int) $row['product_id'];
		}
		return $out;
	}

	/**
	 * Our cell for one of the provider's (item, location), or null when either is not mapped.
	 *
	 * @param int    $id       Connection id.
	 * @param string $item     The provider's item id.
	 * @param string $location The provider's location id.
	 * @return array{0: int, 1: int}|null [product, location]
	 */
	public function cell( int $id, string $item, string $location ): ?array {
		$rows = $this->db->rows(
			$this->db->prepare(
				"SELECT i.product_id, l.location_id FROM {$this->tables->connection_items} i JOIN {$this->tables->connection_locations} l ON l.connection_id = i.connection_id WHERE i.connection_id = %d AND i.external_id = %s AND l.external_id = %s",
				$id,
				$item,
				$location
			)
		);
		return $rows ? array( (int) $rows[0]['product_id'], (int) $rows[0]['location_id'] ) : null;
	}

	/**
	 * The provider's (item, location) of our cell for a connection, or null when not mapped.
	 *
	 * @param int $id       Connection id.
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 * @return array{item: string, location: string, system_of_record: string}|null
	 */
	public function external( int $id, int $product, int $location ): ?array {
		$rows = $this->db->rows(
			$this->db->prepare(
				"SELECT i.external_id AS item, l.external_id AS location, l.system_of_record FROM {$this->tables->connection_items} i JOIN {$this->tables->connection_locations} l ON l.connection_id = i.connection_id WHERE i.connection_id = %d AND i.product_id = %d AND l.location_id = %d",
				$id,
				$product,
				$location
			)
		);
		return $rows ? array(
			'item'             => (string) $rows[0]['item'],
			'location'         => (string) $rows[0]['location'],
			'system_of_record' => (string) $rows[0]['system_of_record'],
		) : null;
	}

	/**
	 * Gives every mapped cell its ExternalCells row and drops the rows of cells no longer mapped.
	 *
	 * @param int $id Connection id.
	 */
	private function sync_cells( int $id ): void {
		$t = $this->tables;
		$this->db->statement(
			$this->db->prepare(
				"INSERT IGNORE INTO {$t->external_cells} (connection_id, product_id, location_id, updated_at) SELECT i.connection_id, i.product_id, l.location_id, %d FROM {$t->connection_items} i JOIN {$t->connection_locations} l ON l.connection_id = i.connection_id WHERE i.connection_id = %d",
				Database::now_ms(),
				$id
			)
		);
		$this->db->statement(
			$this->db->prepare(
				"DELETE e FROM {$t->external_cells} e LEFT JOIN {$t->connection_items} i ON i.connection_id = e.connection_id AND i.product_id = e.product_id LEFT JOIN {$t->connection_locations} l ON l.connection_id = e.connection_id AND l.location_id = e.location_id WHERE e.connection_id = %d AND ( i.product_id IS NULL OR l.location_id IS NULL )",
				$id
			)
		);
	}

	/**
	 * Refuses a webhook secret the provider's scheme cannot verify with (a Standard secret is
	 * "whsec_<base64>", "whpk_<base64>" or "whsk_<base64>"): a delivery signed by the provider
	 * would otherwise be refused for good. Omnistock\Webhook says, on a probe that does not verify.
	 *
	 * @param string $provider       Provider name (its scheme has the same name).
	 * @param string $webhook_secret The secret.
	 * @throws BadInput Naming webhook_secret.
	 */
	private static function check_secret( string $provider, #[\SensitiveParameter] string $webhook_secret ): void {
		$mac     = base64_encode( str_repeat( "\0", 32 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- a signature's syntax.
		$headers = match ( $provider ) {
			'standard' => array(
				'webhook-id'        => 'msg_probe',
				'webhook-timestamp' => (string) time(),
				'webhook-signature' => 'v1,' . $mac,
			),
			'square'   => array( 'x-square-hmacsha256-signature' => $mac ),
			'shopify'  => array( 'x-shopify-hmac-sha256' => $mac ),
			default    => array( 'x-clover-auth' => 'probe' ),
		};
		try {
			\Omnistock\Webhook::verify( $provider, $headers, '{}', array( $webhook_secret ), 'square' === $provider ? array( 'url' => 'https://omnistock.invalid/' ) : array() );
		} catch ( \Omnistock\SignatureException $e ) {
			return; // The secret's form is right: only the probe's signature is not.
		} catch ( \ValueError $e ) {
			throw new BadInput( 'webhook_secret', 'standard' === $provider ? __( 'must be a Standard Webhooks secret (whsec_ and base64)', 'omnistock' ) : __( 'is not in a form this provider\'s signatures use', 'omnistock' ) );
		}
	}

	/**
	 * A normalised API base URL.
	 *
	 * @param string $url As given.
	 * @throws BadInput When it is not an http(s) URL.
	 */
	private static function api_base( string $url ): string {
		$url    = rtrim( trim( $url ), '/' );
		$scheme = strtolower( (string) wp_parse_url( $url, PHP_URL_SCHEME ) );
		if ( ! in_array( $scheme, array( 'http', 'https' ), true ) || '' === (string) wp_parse_url( $url, PHP_URL_HOST ) || strlen( $url ) > 500 ) {
			throw new BadInput( 'api_base', __( 'must be an http:// or https:// URL', 'omnistock' ) );
		}
		return $url;
	}
}
