<?php
/**
 * Base of the connector suites: a Standard connection made through REST, the fake Standard register
 * (tests/providers/standard.php) and, for the webhook route, the test site over real HTTP.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/StoreApiClient.php';
require_once __DIR__ . '/FakeProvider.php';

/**
 * Helpers: rest() in this process as the administrator, hook() over HTTP, the ledger and inbox rows
 * of a connection, and process() (the inbox turned into events, as Connectors\Sync will).
 */
abstract class ConnectorTestCase extends WcTestCase {

	protected const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
	protected const TOKEN  = 'test-token';

	protected ?StoreApiClient $site = null;
	protected ?FakeProvider $fake   = null;
	/** The database connection that holds the runner's lock of the connections standard() made. */
	private ?\mysqli $runner_lock = null;

	protected function setUp(): void {
		parent::setUp();
		foreach ( ( new Tables( $GLOBALS['wpdb'] ) )->connectors() as $table ) {
			Plugin::database()->statement( "DELETE FROM $table" );
		}
		update_option( \Omnistock\Connectors\Connections::ANY_OPTION, '0', true );
		wp_set_current_user( 1 );
		$GLOBALS['wp_rest_server'] = null;
	}

	protected function tearDown(): void {
		$this->runner_lock?->close(); // Its locks go with it.
		$this->runner_lock = null;
		$this->fake?->stop();
		$this->site?->stop();
		$this->fake = null;
		$this->site = null;
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * The test site over HTTP (started on first use).
	 */
	protected function site(): StoreApiClient {
		$this->site ??= new StoreApiClient( (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ), 4 );
		return $this->site;
	}

	/**
	 * The fake Standard register (started on first use).
	 */
	protected function fake(): FakeProvider {
		if ( null === $this->fake ) {
			$this->site(); // The register sends its webhooks to the site.
			$this->fake = FakeProvider::start( 'standard', self::standard_port() );
			$this->fake->control(
				'config',
				array(
					'token'  => self::TOKEN,
					'secret' => self::SECRET,
				)
			);
		}
		return $this->fake;
	}

	/**
	 * The fake Standard register's port (tests/providers/README.md).
	 */
	protected static function standard_port(): int {
		return FakeProvider::port( 5 );
	}

	/**
	 * A REST request in this process as the current user.
	 */
	protected function rest( string $method, string $route, ?array $body = null, ?string $raw = null ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1' . $route );
		if ( null !== $body || null !== $raw ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( $raw ?? (string) wp_json_encode( (object) $body ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * A Standard connection made through POST /connections; its answer.
	 *
	 * @param string|null $api_base Its API (the fake's by default).
	 */
	protected function standard( ?string $api_base = null ): array {
		$response = $this->rest(
			'POST',
			'/connections',
			array(
				'provider'       => 'standard',
				'name'           => 'Till',
				'api_base'       => $api_base ?? 'http://127.0.0.1:' . self::standard_port(),
				'credentials'    => array( 'token' => self::TOKEN ),
				'webhook_secret' => self::SECRET,
			)
		);
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->keep_runner_out( (int) $response->get_data()['id'] );
		return $response->get_data();
	}

	/**
	 * These tests turn the inbox into events themselves (process()): the site's sync runner, which
	 * every stored webhook kicks, is kept out of the connection by holding its lock from another
	 * database connection, as another process running it would (it answers "busy" and does nothing).
	 * The real path (kick, runner, outbox) is ConnectorScenariosTest's.
	 */
	protected function keep_runner_out( int $id ): void {
		if ( null === $this->runner_lock ) {
			list( $host, $port ) = explode( ':', DB_HOST ) + array( 1 => '3306' );
			$this->runner_lock   = new \mysqli( $host, DB_USER, DB_PASSWORD, DB_NAME, (int) $port );
		}
		$got = $this->runner_lock->query( 'SELECT GET_LOCK(' . "'" . \Omnistock\Connectors\Sync::LOCK_PREFIX . $id . "'" . ', 0)' )->fetch_row()[0];
		$this->assertSame( '1', (string) $got, 'the runner of connection ' . $id . ' is kept out' );
	}

	/**
	 * Maps the register's location L1 to $location and its items ($item => product).
	 */
	protected function map( int $id, int $location, array $items ): void {
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/$id/locations", array( 'L1' => $location ) )->get_status() );
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/$id/items", $items )->get_status() );
	}

	/**
	 * A Standard Webhooks delivery's body.
	 */
	protected static function counted( string $item, int $quantity, int $at, string $location = 'L1' ): string {
		return (string) wp_json_encode(
			array(
				'type' => 'stock.counted',
				'id'   => 'evt_' . $item . '_' . $at,
				'data' => array(
					'item'     => $item,
					'location' => $location,
					'quantity' => $quantity,
					'at'       => $at,
				),
			)
		);
	}

	/**
	 * POST $body to the webhook URL over HTTP, with $headers; [status, decoded body].
	 *
	 * @return array{0: int, 1: mixed}
	 */
	protected function hook( string $url, string $body, array $headers ): array {
		$this->site();
		$lines = array( 'Content-Type: application/json' );
		foreach ( $headers as $name => $value ) {
			$lines[] = "$name: $value";
		}
		$ch = curl_init( $url );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_POST           => true,
				CURLOPT_POSTFIELDS     => $body,
				CURLOPT_HTTPHEADER     => $lines,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 60,
			)
		);
		$raw    = (string) curl_exec( $ch );
		$status = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		curl_close( $ch );
		return array( $status, json_decode( $raw, true ) );
	}

	/**
	 * POST a delivery signed with the connection's secret (now, or at $timestamp).
	 *
	 * @return array{0: int, 1: mixed}
	 */
	protected function signed_hook( string $url, string $body, ?string $id = null, ?int $timestamp = null ): array {
		$options = array( 'id' => $id ?? 'msg_' . bin2hex( random_bytes( 8 ) ) );
		if ( null !== $timestamp ) {
			$options['timestamp'] = $timestamp;
		}
		return $this->hook( $url, $body, \Omnistock\Webhook::sign( 'standard', $body, self::SECRET, $options ) );
	}

	/**
	 * The ledger events a connection's news became.
	 *
	 * @return list<array{event_id: string, product_id: string, location_id: string, qty: string, source: string, reason: string}>
	 */
	protected function news( int $id ): array {
		$tables = new Tables( $GLOBALS['wpdb'] );
		return Plugin::database()->rows( Plugin::database()->prepare( "SELECT event_id, product_id, location_id, qty, source, actor, reason FROM {$tables->ledger} WHERE reference = %s ORDER BY seq", 'connection:' . $id ) );
	}

	/**
	 * Rows in the ledger in all.
	 */
	protected function ledger_count(): int {
		$tables = new Tables( $GLOBALS['wpdb'] );
		return (int) Plugin::database()->value( "SELECT COUNT(*) FROM {$tables->ledger}" );
	}

	/**
	 * A connection's inbox rows: delivery_id => status.
	 *
	 * @return array<string, string>
	 */
	protected function inbox( int $id ): array {
		$tables = new Tables( $GLOBALS['wpdb'] );
		$out    = array();
		foreach ( Plugin::database()->rows( Plugin::database()->prepare( "SELECT delivery_id, status FROM {$tables->inbox} WHERE connection_id = %d ORDER BY id", $id ) ) as $row ) {
			$out[ (string) $row['delivery_id'] ] = (string) $row['status'];
		}
		return $out;
	}

	/**
	 * A connection's inbox rows as stored (for failure messages).
	 */
	protected function rows_of_inbox( int $id ): array {
		$tables = new Tables( $GLOBALS['wpdb'] );
		return Plugin::database()->rows( Plugin::database()->prepare( "SELECT * FROM {$tables->inbox} WHERE connection_id = %d ORDER BY id", $id ) );
	}

	/**
	 * Processes a connection's inbox here (Connectors\Sync's first step); its stats.
	 */
	protected function process( int $id ): array {
		return Plugin::inbox()->process( Plugin::connections()->get( $id ) );
	}

	/**
	 * The on-hand of a cell.
	 */
	protected function on_hand( int $product, int $location ): int {
		return (int) $this->cell( $product, $location )['on_hand'];
	}

	/**
	 * Milliseconds now.
	 */
	protected static function ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}
}
