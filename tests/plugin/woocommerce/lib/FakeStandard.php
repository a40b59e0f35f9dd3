<?php
/**
 * The fake Standard register (tests/providers/standard.php) served by `php -S` for a test: start,
 * drive through its /_fake/ endpoints, read what it received, stop.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * One fake Standard server on 127.0.0.1:$port with its own state directory.
 */
final class FakeStandard {

	/** @var resource|null */
	private $server = null;
	public readonly string $state;

	/**
	 * Starts it (fails when the port is taken).
	 *
	 * @param int $port Port (a helper's own: OMNISTOCK_FAKE_PORT, else 26150).
	 */
	public function __construct( public readonly int $port ) {
		$this->state = sys_get_temp_dir() . '/omnistock-fake-standard-' . $port . '-' . bin2hex( random_bytes( 4 ) );
		mkdir( $this->state, 0700, true );
		$probe = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
		if ( $probe ) {
			fclose( $probe );
			throw new \RuntimeException( "port $port is already in use (set OMNISTOCK_FAKE_PORT)" );
		}
		$this->server = proc_open(
			array( 'setsid', PHP_BINARY, '-S', "127.0.0.1:$port", dirname( __DIR__, 3 ) . '/providers/standard.php' ),
			array(
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes,
			null,
			getenv() + array(
				'OMNISTOCK_FAKE_STATE'   => $this->state,
				'PHP_CLI_SERVER_WORKERS' => '4',
			)
		);
		$until = microtime( true ) + 10;
		while ( microtime( true ) < $until ) {
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( "the fake Standard server did not start on port $port" );
	}

	/**
	 * The port of a test's fake: OMNISTOCK_FAKE_PORT or 26150.
	 */
	public static function port(): int {
		return (int) ( getenv( 'OMNISTOCK_FAKE_PORT' ) ?: 26150 );
	}

	/**
	 * Its API base URL.
	 */
	public function url(): string {
		return 'http://127.0.0.1:' . $this->port;
	}

	/**
	 * A control call: POST (or GET without a body) /_fake/$what; the decoded answer.
	 *
	 * @param string     $what requests, sent, stock, config, sale, redeliver, reset.
	 * @param array|null $body JSON body, or null for a GET.
	 */
	public function control( string $what, ?array $body = null ): array {
		$ch = curl_init( $this->url() . '/_fake/' . $what );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 60,
				CURLOPT_HTTPHEADER     => array( 'Content-Type: application/json' ),
			)
		);
		if ( null !== $body ) {
			curl_setopt( $ch, CURLOPT_POST, true );
			curl_setopt( $ch, CURLOPT_POSTFIELDS, (string) json_encode( (object) $body ) );
		}
		$raw    = (string) curl_exec( $ch );
		$status = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		curl_close( $ch );
		$out = json_decode( $raw, true );
		if ( 200 !== $status || ! is_array( $out ) ) {
			throw new \RuntimeException( "/_fake/$what answered $status: $raw" );
		}
		return $out;
	}

	/**
	 * The register sells $qty of $item at $location and sends the signed webhook; its delivery.
	 */
	public function sale( string $item, string $location, int $qty, array $extra = array() ): array {
		return $this->control(
			'sale',
			array(
				'item'     => $item,
				'location' => $location,
				'qty'      => $qty,
			) + $extra
		);
	}

	/**
	 * Stops the server.
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
		foreach ( (array) glob( $this->state . '/*' ) as $file ) {
			@unlink( (string) $file );
		}
		@rmdir( $this->state );
	}
}
