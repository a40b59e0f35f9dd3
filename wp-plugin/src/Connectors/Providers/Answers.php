<?php
/**
 * What the providers' HTTP answers have in common: JSON bodies, times, Retry-After, failures.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Small pure helpers of the provider translators (no state, no database).
 */
final class Answers {

	/**
	 * Now, in milliseconds since the epoch (our clock).
	 */
	public static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}

	/**
	 * The decoded JSON object of a body, or null when it is not one.
	 *
	 * @param string $body A response body.
	 * @return array<string|int, mixed>|null
	 */
	public static function json( string $body ): ?array {
		if ( '' === $body ) {
			return null;
		}
		$data = json_decode( $body, true );
		return is_array( $data ) ? $data : null;
	}

	/**
	 * Milliseconds since the epoch of an RFC 3339 time ("2026-01-02T03:04:05.678Z", any offset,
	 * any number of fraction digits), or null when it is not one.
	 *
	 * @param mixed $time The time as the provider wrote it.
	 */
	public static function ms( mixed $time ): ?int {
		if ( ! is_string( $time ) || ! preg_match( '/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i', trim( $time ), $m ) ) {
			return null;
		}
		$zone = 'Z' === strtoupper( $m[4] ) ? '+00:00' : $m[4];
		$date = \DateTimeImmutable::createFromFormat( 'Y-m-d H:i:sP', $m[1] . ' ' . $m[2] . $zone );
		if ( false === $date ) {
			return null;
		}
		$fraction = '' !== $m[3] ? (int) substr( str_pad( $m[3], 3, '0' ), 0, 3 ) : 0;
		return $date->getTimestamp() * 1000 + $fraction;
	}

	/**
	 * An RFC 3339 UTC time with milliseconds.
	 *
	 * @param int $ms Milliseconds since the epoch.
	 */
	public static function rfc3339( int $ms ): string {
		return gmdate( 'Y-m-d\TH:i:s', intdiv( $ms, 1000 ) ) . sprintf( '.%03dZ', $ms % 1000 );
	}

	/**
	 * A whole quantity from a provider's number or decimal string ("7", "7.000", 7.5: rounded down).
	 *
	 * @param mixed $value The quantity.
	 */
	public static function quantity( mixed $value ): ?int {
		if ( is_int( $value ) ) {
			return $value;
		}
		if ( is_float( $value ) || ( is_string( $value ) && is_numeric( $value ) ) ) {
			return (int) floor( (float) $value );
		}
		return null;
	}

	/**
	 * The wait a Retry-After header asks for (seconds or an HTTP date), in ms, or null.
	 *
	 * @param array<string, string> $headers Response headers, lower-case names.
	 */
	public static function retry_after_ms( array $headers ): ?int {
		$value = trim( (string) ( $headers['retry-after'] ?? '' ) );
		if ( '' === $value ) {
			return null;
		}
		if ( ctype_digit( $value ) ) {
			return (int) $value * 1000;
		}
		$time = strtotime( $value );
		return false === $time ? null : max( 0, ( $time * 1000 ) - self::now_ms() );
	}

	/**
	 * The outcome of a change whose request failed as a whole (no answer, 429, 5xx, 4xx).
	 *
	 * @param array       $result An Omnistock\Push result.
	 * @param string|null $error  Why, when the caller knows better than the status.
	 * @return array{ok: bool, observed: null, retry_after_ms: ?int, error: string, permanent: bool}
	 */
	public static function failed( array $result, ?string $error = null ): array {
		$status = (int) ( $result['status'] ?? 0 );
		return array(
			'ok'             => false,
			'observed'       => null,
			'retry_after_ms' => 429 === $status || 503 === $status ? self::retry_after_ms( (array) ( $result['headers'] ?? array() ) ) : null,
			'error'          => $error ?? ( 0 === $status ? (string) ( $result['error'] ?? 'no answer' ) : 'HTTP ' . $status . ': ' . substr( (string) ( $result['body'] ?? '' ), 0, 300 ) ),
			// A 4xx other than 408, 409 and 429 will not be cured by sending it again.
			'permanent'      => $status >= 400 && $status < 500 && ! in_array( $status, array( 408, 409, 429 ), true ),
		);
	}

	/**
	 * The body of a successful read, decoded, or Unavailable saying why not.
	 *
	 * @param array  $result   An Omnistock\Push result.
	 * @param string $provider The provider's name (for the message).
	 * @return array<string|int, mixed>
	 * @throws Unavailable When the read failed.
	 */
	public static function read( array $result, string $provider ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$data   = self::json( (string) ( $result['body'] ?? '' ) );
		if ( $status < 200 || $status >= 300 || null === $data ) {
			throw new Unavailable(
				'omnistock_provider_unavailable',
				/* translators: 1: provider name, 2: HTTP status or transport error */
				sprintf( __( '%1$s did not answer the read (%2$s).', 'omnistock' ), $provider, 0 === $status ? (string) ( $result['error'] ?? 'no answer' ) : 'HTTP ' . $status ),
				true
			);
		}
		return $data;
	}
}
