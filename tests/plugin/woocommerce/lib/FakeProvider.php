<?php
/**
 * A fake provider server (tests/providers/<name>.php) under `php -S`, for the tests: started in
 * its own process group with the extension loaded (it signs its webhooks with Omnistock\Webhook),
 * its state in a fresh directory, driven through its /_fake/ control endpoints.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * start(), url(), config(), stock(), sale(), redeliver(), requests(), sent(), wait_sent(), stop().
 */
final class FakeProvider {

	/** @var resource|null */
	private $server = null;

	/**
	 * Starts tests/providers/$name.php on 127.0.0.1:$port with its state in $state (a new temporary directory when null).
	 */
	public static function start( string $name, int $port, ?string $state = null, int $workers = 4 ): self {
		return new self( $name, $port, $state ?? self::temp_dir( $name ), $workers, null === $state );
	}

	/** The first of the ten ports of the fakes when OMNISTOCK_FAKE_PORT_BASE is not set (bin/test's others are 23xxx). */
	public const DEFAULT_PORT_BASE = 23550;

	/**
	 * The one way a test picks a fake's port: OMNISTOCK_FAKE_PORT_BASE (default 23550) + $n, $n in 0..9
	 * (tests/providers/README.md lists who uses which).
	 */
	public static function port( int $n ): int {
		if ( $n < 0 || $n > 9 ) {
			throw new \InvalidArgumentException( "fake port offset $n is not in 0..9" );
		}
		return (int) ( getenv( 'OMNISTOCK_FAKE_PORT_BASE' ) ?: self::DEFAULT_PORT_BASE ) + $n;
	}

	private function __construct( public readonly string $name, public readonly int $port, public readonly string $state, int $workers, private readonly bool $own_state = false ) {
		$probe = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
		if ( $probe ) {
			fclose( $probe );
			throw new \RuntimeException( "port $port is already in use (a fake provider left running? set OMNISTOCK_FAKE_PORT_BASE)" );
		}
		$script       = dirname( __DIR__, 3 ) . "/providers/$name.php";
		$this->server = proc_open(
			array( 'setsid', PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), '-S', "127.0.0.1:$port", $script ),
			array(
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ),
			),
			$pipes,
			null,
			getenv() + array(
				'OMNISTOCK_FAKE_STATE'   => $state,
				'PHP_CLI_SERVER_WORKERS' => (string) $workers,
			)
		);
		$until = microtime( true ) + 20;
		while ( microtime( true ) < $until ) {
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( "the fake $name did not start on port $port" );
	}

	/**
	 * Its base URL (the connection's api_base).
	 */
	public function url(): string {
		return 'http://127.0.0.1:' . $this->port;
	}

	/**
	 * Merges into its config (fail, down, slow_ms, rate429, webhook_url, secret, token, page_size, echo, ...).
	 */
	public function config( array $config ): array {
		return $this->call( 'POST', '/_fake/config', $config )['config'];
	}

	/**
	 * Seeds a count (and the item in its catalogue).
	 */
	public function stock( string $item, string $location, int $quantity, string $sku = '', string $name = '' ): void {
		$this->call( 'POST', '/_fake/stock', array_filter( compact( 'item', 'location', 'quantity', 'sku', 'name' ), static fn( $v ) => '' !== $v ) );
	}

	/**
	 * The register sells $qty: its count moves and its webhook is sent (before this returns).
	 *
	 * @return array{quantity: int, deliveries: list<array>}
	 */
	public function sale( string $item, string $location, int $qty, ?string $webhook_url = null, ?string $secret = null, array $extra = array() ): array {
		return $this->call( 'POST', '/_fake/sale', array_filter( compact( 'item', 'location', 'qty', 'webhook_url', 'secret' ), static fn( $v ) => null !== $v ) + $extra );
	}

	/**
	 * Any control endpoint: POST /_fake/$what with $body, or GET without one; its decoded answer.
	 */
	public function control( string $what, ?array $body = null ): array {
		return $this->call( null === $body ? 'GET' : 'POST', '/_fake/' . $what, $body );
	}

	/**
	 * Forgets everything (POST /_fake/reset).
	 */
	public function reset(): void {
		$this->call( 'POST', '/_fake/reset', array() );
	}

	/**
	 * Sends a webhook it sent before again (default the last).
	 */
	public function redeliver( ?int $index = null ): array {
		return $this->call( 'POST', '/_fake/redeliver', null === $index ? array() : array( 'index' => $index ) )['delivery'];
	}

	/**
	 * Every API request it received.
	 *
	 * @return list<array{method: string, path: string, query: array, headers: array, body: string, at: int}>
	 */
	public function requests(): array {
		return $this->call( 'GET', '/_fake/requests' )['requests'];
	}

	/**
	 * Every webhook it sent: kind (sale, echo, redeliver), url, headers, body, status.
	 */
	public function sent(): array {
		return $this->call( 'GET', '/_fake/sent' )['sent'];
	}

	/**
	 * Waits until it has sent at least $n webhooks (its echoes go out after it answered).
	 */
	public function wait_sent( int $n, float $seconds = 10.0 ): array {
		$until = microtime( true ) + $seconds;
		do {
			$sent = $this->call( 'GET', '/_fake/sent' );
			if ( count( $sent['sent'] ) >= $n && 0 === $sent['queued'] ) {
				return $sent['sent'];
			}
			usleep( 50000 );
		} while ( microtime( true ) < $until );
		throw new \RuntimeException( "the fake {$this->name} sent " . count( $sent['sent'] ) . " webhooks, not $n" );
	}

	/**
	 * Its counts: "<item>\n<location>" => {qty, at}.
	 */
	public function counts(): array {
		return (array) $this->call( 'GET', '/_fake/stock' )['stock'];
	}

	/**
	 * Stops it and its workers.
	 */
	public function stop(): void {
		if ( $this->server ) {
			$status = proc_get_status( $this->server );
			posix_kill( -$status['pid'], SIGTERM );
			proc_close( $this->server );
			$this->server = null;
			$until        = microtime( true ) + 10;
			while ( microtime( true ) < $until ) {
				$socket = @fsockopen( '127.0.0.1', $this->port, $errno, $errstr, 0.2 );
				if ( ! $socket ) {
					break;
				}
				fclose( $socket );
				usleep( 50000 );
			}
		}
		if ( $this->own_state ) {
			foreach ( (array) glob( $this->state . '/*' ) as $file ) {
				@unlink( (string) $file );
			}
			@rmdir( $this->state );
		}
	}

	public function __destruct() {
		$this->stop();
	}

	/**
	 * A control request; its decoded answer.
	 */
	private function call( string $method, string $path, ?array $body = null ): array {
		$ch = curl_init( $this->url() . $path );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 60,
				CURLOPT_HTTPHEADER     => array( 'Content-Type: application/json' ),
			)
		);
		if ( null !== $body ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, json_encode( (object) $body ) );
		}
		$raw    = curl_exec( $ch );
		$status = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		curl_close( $ch );
		$data = is_string( $raw ) ? json_decode( $raw, true ) : null;
		if ( 200 !== $status || ! is_array( $data ) ) {
			throw new \RuntimeException( "fake {$this->name} $method $path: HTTP $status " . ( is_string( $raw ) ? substr( $raw, 0, 300 ) : '' ) );
		}
		return $data;
	}

	/**
	 * A new empty directory.
	 */
	private static function temp_dir( string $name ): string {
		$dir = sys_get_temp_dir() . '/omnistock-fake-' . $name . '-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		mkdir( $dir, 0700, true );
		return $dir;
	}
}
