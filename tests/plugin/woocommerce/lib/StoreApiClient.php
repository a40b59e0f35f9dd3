<?php
/**
 * Shoppers of the Store API over real HTTP (the test site served by `php -S` with several
 * workers): each has its own WooCommerce session cookie and Store API nonce.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * Starts and stops the server; fills carts one by one; sends many checkouts at once (curl_multi).
 */
final class StoreApiClient {

	/** @var resource|null */
	private $server = null;
	private string $base;

	/**
	 * Serves the test WordPress on 127.0.0.1:$port with $workers PHP workers.
	 */
	public function __construct( private readonly int $port, int $workers = 8 ) {
		$this->base = "http://127.0.0.1:$port/?rest_route=";
		$env        = getenv() + array(
			'PHP_CLI_SERVER_WORKERS' => (string) $workers,
		);
		$probe = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
		if ( $probe ) {
			fclose( $probe );
			throw new \RuntimeException( "port $port is already in use (set OMNISTOCK_WC_HTTP_PORT)" );
		}
		// In its own process group (setsid), so that stop() ends the workers with it.
		$this->server = proc_open(
			array( 'setsid', PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), '-S', "127.0.0.1:$port", '-t', getenv( 'OMNISTOCK_WP_DIR' ) ),
			array(
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ),
			),
			$pipes,
			null,
			$env
		);
		$until = microtime( true ) + 20;
		while ( microtime( true ) < $until ) {
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 100000 );
		}
		throw new \RuntimeException( "the test site did not start on port $port" );
	}

	/**
	 * Stops the server (its workers are its children: the process group goes).
	 */
	public function stop(): void {
		if ( $this->server ) {
			$status = proc_get_status( $this->server );
			posix_kill( -$status['pid'], SIGTERM );
			proc_close( $this->server );
			$this->server = null;
			// The workers go with their group, not at once: the port is free when nothing answers.
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
	}

	/**
	 * A curl handle for a Store API route, as shopper $shopper.
	 */
	private function handle( string $method, string $route, array $shopper, ?array $body = null ) {
		$ch      = curl_init( $this->base . $route );
		$headers = array( 'Content-Type: application/json' );
		if ( isset( $shopper['nonce'] ) ) {
			$headers[] = 'Nonce: ' . $shopper['nonce'];
		}
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HEADER         => true,
				CURLOPT_HTTPHEADER     => $headers,
				CURLOPT_COOKIE         => $shopper['cookie'] ?? '',
				CURLOPT_TIMEOUT        => 120,
			)
		);
		if ( null !== $body ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, wp_json_encode( $body ) );
		}
		return $ch;
	}

	/**
	 * Status, headers (lower-case names, Set-Cookie as a list) and decoded body of a finished handle.
	 */
	private static function answer( $ch, string $raw ): array {
		$size    = curl_getinfo( $ch, CURLINFO_HEADER_SIZE );
		$headers = array( 'set-cookie' => array() );
		foreach ( explode( "\r\n", substr( $raw, 0, $size ) ) as $line ) {
			if ( str_contains( $line, ':' ) ) {
				list( $name, $value ) = array_map( 'trim', explode( ':', $line, 2 ) );
				$name                 = strtolower( $name );
				if ( 'set-cookie' === $name ) {
					$headers['set-cookie'][] = strtok( $value, ';' );
				} else {
					$headers[ $name ] = $value;
				}
			}
		}
		return array(
			'status'  => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
			'headers' => $headers,
			'body'    => json_decode( substr( $raw, $size ), true ),
		);
	}

	/**
	 * One request, as $shopper (cookies and nonce are updated from the answer).
	 */
	public function request( string $method, string $route, array &$shopper, ?array $body = null ): array {
		$ch     = $this->handle( $method, $route, $shopper, $body );
		$answer = self::answer( $ch, (string) curl_exec( $ch ) );
		curl_close( $ch );
		if ( $answer['headers']['set-cookie'] ) {
			// Cookies the answer sets replace those of the same name; the others are kept.
			$jar = array();
			foreach ( array_merge( explode( '; ', $shopper['cookie'] ?? '' ), $answer['headers']['set-cookie'] ) as $cookie ) {
				if ( str_contains( $cookie, '=' ) ) {
					$jar[ strtok( $cookie, '=' ) ] = $cookie;
				}
			}
			$shopper['cookie'] = implode( '; ', $jar );
		}
		if ( isset( $answer['headers']['nonce'] ) ) {
			$shopper['nonce'] = $answer['headers']['nonce'];
		}
		return $answer;
	}

	/**
	 * A new shopper with $qty of $product in the cart.
	 */
	public function shopper_with( int $product, int $qty ): array {
		$shopper = array();
		$this->request( 'GET', '/wc/store/v1/cart', $shopper );
		$added = $this->request(
			'POST',
			'/wc/store/v1/cart/add-item',
			$shopper,
			array(
				'id'       => $product,
				'quantity' => $qty,
			)
		);
		if ( 201 !== $added['status'] && 200 !== $added['status'] ) {
			throw new \RuntimeException( 'add-item answered ' . $added['status'] . ': ' . wp_json_encode( $added['body'] ) );
		}
		return $shopper;
	}

	/**
	 * Every shopper checks out at the same time; their answers, in order.
	 *
	 * @param list<array> $shoppers Shoppers.
	 * @return list<array>
	 */
	public function checkout_all( array $shoppers ): array {
		$address = array(
			'first_name' => 'Race',
			'last_name'  => 'Buyer',
			'address_1'  => 'Str. 1',
			'city'       => 'Berlin',
			'postcode'   => '10115',
			'country'    => 'DE',
			'state'      => 'DE-BE',
			'email'      => 'race@example.org',
		);
		$handles = array();
		foreach ( $shoppers as $i => $shopper ) {
			$handles[ $i ] = $this->handle(
				'POST',
				'/wc/store/v1/checkout',
				$shopper,
				array(
					'billing_address'  => $address,
					'shipping_address' => $address,
					'payment_method'   => 'cod',
				)
			);
		}
		return self::all_at_once( $handles, static fn( $ch, string $raw ) => self::answer( $ch, $raw ) );
	}

	/**
	 * Runs curl handles at the same time (curl_multi); each finished one is read by $read( $ch, $raw )
	 * and closed. The answers, in the handles' order.
	 *
	 * @param array    $handles Curl handles by key.
	 * @param callable $read    Reads one finished handle.
	 */
	public static function all_at_once( array $handles, callable $read ): array {
		$multi = curl_multi_init();
		foreach ( $handles as $ch ) {
			curl_multi_add_handle( $multi, $ch );
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$answers = array();
		foreach ( $handles as $i => $ch ) {
			$answers[ $i ] = $read( $ch, (string) curl_multi_getcontent( $ch ) );
			curl_multi_remove_handle( $multi, $ch );
			curl_close( $ch );
		}
		curl_multi_close( $multi );
		return $answers;
	}
}
