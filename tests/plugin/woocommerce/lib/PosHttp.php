<?php
/**
 * The POS API over real HTTP: the test site served by `php -S` (StoreApiClient starts it),
 * requests as a logged-in user with WordPress's cookie and REST nonce, several at once.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/StoreApiClient.php';

final class PosHttp {

	private StoreApiClient $server;
	private string $base;

	public function __construct( int $port, int $workers = 4 ) {
		$this->server = new StoreApiClient( $port, $workers );
		$this->base   = "http://127.0.0.1:$port/?rest_route=";
	}

	public function stop(): void {
		$this->server->stop();
	}

	/**
	 * The logged-in cookie and the wp_rest nonce of a user, as @wordpress/api-fetch sends them.
	 *
	 * @return array{cookie:string, nonce:string}
	 */
	public static function login( int $user_id ): array {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = \WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$cookie     = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
		$previous   = $_COOKIE[ LOGGED_IN_COOKIE ] ?? null;
		$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie; // wp_create_nonce() binds the nonce to this session.
		wp_set_current_user( $user_id );
		$nonce = wp_create_nonce( 'wp_rest' );
		if ( null === $previous ) {
			unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		} else {
			$_COOKIE[ LOGGED_IN_COOKIE ] = $previous;
		}
		return array(
			'cookie' => LOGGED_IN_COOKIE . '=' . rawurlencode( $cookie ),
			'nonce'  => $nonce,
		);
	}

	private function handle( string $method, string $route, ?array $auth, ?array $body ) {
		$ch      = curl_init( $this->base . $route );
		$headers = array( 'Content-Type: application/json' );
		if ( $auth ) {
			$headers[] = 'X-WP-Nonce: ' . $auth['nonce'];
		}
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HTTPHEADER     => $headers,
				CURLOPT_COOKIE         => $auth['cookie'] ?? '',
				CURLOPT_TIMEOUT        => 120,
			)
		);
		if ( null !== $body ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, wp_json_encode( $body ) );
		}
		return $ch;
	}

	/**
	 * One request: status and decoded body.
	 */
	public function request( string $method, string $route, ?array $auth, ?array $body = null ): array {
		return $this->all( array( array( $method, $route, $auth, $body ) ) )[0];
	}

	/**
	 * Requests sent at the same time ([method, route, auth, body], ...), or $gap seconds apart:
	 * their answers, in order.
	 */
	public function all( array $requests, float $gap = 0.0 ): array {
		$multi   = curl_multi_init();
		$handles = array();
		foreach ( $requests as $i => list( $method, $route, $auth, $body ) ) {
			if ( $gap > 0 && $i > 0 ) {
				// The earlier ones are being served meanwhile: `php -S` hands a worker every
				// connection that is waiting when it accepts, so requests sent together may run in turn.
				$until = microtime( true ) + $gap;
				while ( microtime( true ) < $until ) {
					curl_multi_exec( $multi, $running );
					curl_multi_select( $multi, 0.05 );
				}
			}
			$handles[ $i ] = $this->handle( $method, $route, $auth, $body );
			curl_multi_add_handle( $multi, $handles[ $i ] );
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$answers = array();
		foreach ( $handles as $i => $ch ) {
			$answers[ $i ] = array(
				'status'  => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
				'body'    => json_decode( (string) curl_multi_getcontent( $ch ), true ),
				'seconds' => (float) curl_getinfo( $ch, CURLINFO_TOTAL_TIME ),
			);
			curl_multi_remove_handle( $multi, $ch );
			curl_close( $ch );
		}
		curl_multi_close( $multi );
		return $answers;
	}
}
