<?php
/**
 * Starts and drives tests/providers/standard-out.php, a register speaking the Standard stock API.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * One fake register on a port of this helper's range (OMNISTOCK_FAKE_PORT, else the test site's
 * HTTP port less 30), its state in a temporary folder.
 */
final class StandardOutFake {

	/** @var resource|null */
	private $server = null;
	private string $dir;

	public function __construct( public readonly int $port ) {
		$this->dir = sys_get_temp_dir() . '/omnistock-standard-out-' . $port . '-' . getmypid();
		@mkdir( $this->dir, 0777, true );
		$probe = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
		if ( $probe ) {
			fclose( $probe );
			throw new \RuntimeException( "port $port is already in use (set OMNISTOCK_FAKE_PORT)" );
		}
		$this->server = proc_open(
			array( 'setsid', PHP_BINARY, '-S', "127.0.0.1:$port", dirname( __DIR__, 3 ) . '/providers/standard-out.php' ),
			array(
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes,
			null,
			getenv() + array(
				'OMNISTOCK_FAKE_STATE'   => $this->dir,
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
		throw new \RuntimeException( "the fake register did not start on port $port" );
	}

	public static function port(): int {
		$given = getenv( 'OMNISTOCK_FAKE_PORT' );
		return $given ? (int) $given : (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ) - 30;
	}

	public function url(): string {
		return 'http://127.0.0.1:' . $this->port;
	}

	private function call( string $method, string $path, ?array $body = null ) {
		$ch = curl_init( $this->url() . $path );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 10,
				CURLOPT_HTTPHEADER     => array( 'Content-Type: application/json' ),
			)
		);
		if ( null !== $body ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, json_encode( $body ) );
		}
		$raw = (string) curl_exec( $ch );
		curl_close( $ch );
		return json_decode( $raw, true );
	}

	public function reset(): void {
		$this->call( 'POST', '/_fake/reset', array() );
	}

	public function config( array $config ): void {
		$this->call( 'POST', '/_fake/config', $config );
	}

	/** Every request the register received (at_ms, method, path, status, headers, body). */
	public function requests(): array {
		return (array) $this->call( 'GET', '/_fake/requests' );
	}

	/** The changes it received in POST /stock/changes, each with its request's status and index. */
	public function changes(): array {
		$out = array();
		foreach ( $this->requests() as $i => $request ) {
			if ( 'POST' === $request['method'] && '/stock/changes' === $request['path'] ) {
				foreach ( json_decode( $request['body'], true )['changes'] ?? array() as $change ) {
					$out[] = $change + array(
						'status'  => $request['status'],
						'request' => $i,
					);
				}
			}
		}
		return $out;
	}

	/** The register's count of a cell, or null. */
	public function quantity( string $item, string $location ): ?int {
		$stock = (array) $this->call( 'GET', '/_fake/stock' );
		return isset( $stock[ "$item|$location" ] ) ? (int) $stock[ "$item|$location" ]['quantity'] : null;
	}

	public function stop(): void {
		if ( $this->server ) {
			$status = proc_get_status( $this->server );
			posix_kill( -$status['pid'], SIGTERM );
			proc_close( $this->server );
			$this->server = null;
			$until = microtime( true ) + 10;
			while ( microtime( true ) < $until ) {
				$socket = @fsockopen( '127.0.0.1', $this->port, $errno, $errstr, 0.2 );
				if ( ! $socket ) {
					break;
				}
				fclose( $socket );
				usleep( 50000 );
			}
		}
		foreach ( glob( $this->dir . '/*' ) ?: array() as $file ) {
			@unlink( $file );
		}
		@rmdir( $this->dir );
	}
}
