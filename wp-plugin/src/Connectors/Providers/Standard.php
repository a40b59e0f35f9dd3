<?php
/**
 * The Standard provider: any register that signs its webhooks as Standard Webhooks and speaks
 * Omnistock's documented JSON stock API.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\BadInput;
use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;
use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Webhooks (Standard Webhooks 1.0: webhook-id, webhook-timestamp, webhook-signature), body:
 *
 *   {"type": "stock.counted",  "id": "...", "data": {"item", "location", "quantity": 7, "at"}}   the register's
 *                                                                               available count (absolute)
 *   {"type": "stock.adjusted", "id": "...", "data": {"item", "location", "delta": -1, "at"}}     its own change
 *
 * "at" is RFC 3339 or milliseconds since the epoch. Other types say nothing about stock.
 *
 * Stock API under the connection's api_base, with "Authorization: Bearer <credentials.token>":
 *   POST /stock/changes {"changes": [{"key", "item", "location", "delta", "target", "from", "set"}]}
 *        with an Idempotency-Key header -> 200 {"results": [{"key", "ok": true, "quantity": n, "at": ms}
 *        | {"key", "ok": false, "error": "...", "retryable": bool}]}. A change adds delta, or with
 *        "set" writes target when the register shows from (or from is null).
 *   GET  /stock/counts?items=a,b&locations=x,y[&cursor=c] -> {"counts": [{"item", "location", "quantity", "at"}], "next": ?c}
 *   GET  /items[?cursor=c] -> {"items": [{"id", "sku", "name"}], "next": ?c}
 *   GET  /locations -> {"locations": [{"id", "name"}]}
 *
 * An observation of a stock.adjusted delivery carries 'delta' (Connectors\Inbox applies it as it is).
 */
final class Standard implements Provider {

	private const BATCH = 100;

	/**
	 * The provider's name.
	 */
	public function name(): string {
		return 'standard';
	}

	/**
	 * Standard Webhooks.
	 */
	public function scheme(): string {
		return 'standard';
	}

	/**
	 * No options: the signed timestamp must lie within Omnistock\Webhook's default 300 s.
	 *
	 * @param string $webhook_url Not signed by this scheme.
	 * @return array<string, mixed>
	 */
	public function verify_options( string $webhook_url ): array {
		return array();
	}

	/**
	 * The signed webhook-id.
	 *
	 * @param array<string, string> $headers     Lower-case names.
	 * @param array                 $payload     The decoded body.
	 * @param ?string               $verified_id What Omnistock\Webhook read from the signed headers.
	 */
	public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string {
		if ( null !== $verified_id && '' !== $verified_id ) {
			return $verified_id;
		}
		$id = $headers['webhook-id'] ?? ( $payload['id'] ?? null );
		return is_string( $id ) && '' !== $id ? $id : null;
	}

	/**
	 * The body's type.
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded body.
	 */
	public function topic( array $headers, array $payload ): string {
		return is_string( $payload['type'] ?? null ) ? substr( $payload['type'], 0, 100 ) : '';
	}

	/**
	 * One observation per stock delivery (with 'delta' for stock.adjusted).
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded body.
	 * @return list<array{item: string, location: string, qty: int, at: int}>
	 * @throws BadInput Naming the field that is not as documented.
	 */
	public function observations( array $headers, array $payload ): array {
		$type = $payload['type'] ?? null;
		if ( 'stock.counted' !== $type && 'stock.adjusted' !== $type ) {
			return array();
		}
		$data = $payload['data'] ?? null;
		if ( ! is_array( $data ) ) {
			throw new BadInput( 'data', __( 'must be an object', 'omnistock' ) );
		}
		$observation = array(
			'item'     => self::id( $data['item'] ?? null, 'data.item' ),
			'location' => self::id( $data['location'] ?? null, 'data.location' ),
			'qty'      => 0,
			'at'       => self::time( $data['at'] ?? null, 'data.at' ),
		);
		if ( 'stock.counted' === $type ) {
			$observation['qty'] = self::integer( $data['quantity'] ?? null, 'data.quantity' );
		} else {
			$observation['delta'] = self::integer( $data['delta'] ?? null, 'data.delta' );
		}
		return array( $observation );
	}

	/**
	 * 100 changes a request, 4 requests at once.
	 *
	 * @return array{batch: int, concurrency: int, per_second: float}
	 */
	public function limits(): array {
		return array(
			'batch'       => self::BATCH,
			'concurrency' => 4,
			'per_second'  => 0.0,
		);
	}

	/**
	 * POST /stock/changes, 100 changes a request; the Idempotency-Key is the hash of their keys, so a
	 * retry of the same batch is the same request.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    Changes.
	 * @return list<array{request: array, changes: list<string>}>
	 */
	public function push_requests( Connection $connection, array $changes ): array {
		$out = array();
		foreach ( array_chunk( $changes, self::BATCH ) as $chunk ) {
			$keys = array_map( static fn( array $c ): string => (string) $c['key'], $chunk );
			$body = array();
			foreach ( $chunk as $c ) {
				$body[] = array(
					'key'      => (string) $c['key'],
					'item'     => (string) $c['item'],
					'location' => (string) $c['location'],
					'delta'    => (int) $c['delta'],
					'target'   => (int) $c['target'],
					'from'     => null === ( $c['from'] ?? null ) ? null : (int) $c['from'],
					'set'      => (bool) ( $c['set'] ?? false ),
				);
			}
			$idempotency = 'omnistock-' . substr( hash( 'sha256', implode( "\n", $keys ) ), 0, 40 );
			$out[]       = array(
				'request' => array(
					'id'      => $idempotency,
					'url'     => $connection->api_base . '/stock/changes',
					'method'  => 'POST',
					'headers' => self::headers( $connection ) + array(
						'Content-Type'    => 'application/json',
						'Idempotency-Key' => $idempotency,
					),
					'body'    => (string) wp_json_encode( array( 'changes' => $body ) ),
				),
				'changes' => $keys,
			);
		}
		return $out;
	}

	/**
	 * Each change's result; a request that failed as a whole fails each of its changes alike.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    The changes the request carried.
	 * @param array       $result     Its Omnistock\Push result.
	 * @return array<string, array{ok: bool, observed: ?array{qty: int, at: int}, retry_after_ms: ?int, error: ?string, permanent: bool}>
	 */
	public function push_outcomes( Connection $connection, array $changes, array $result ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$keys   = array_map( static fn( array $c ): string => (string) $c['key'], $changes );
		$body   = 200 === $status ? json_decode( (string) ( $result['body'] ?? '' ), true ) : null;
		if ( 200 !== $status || ! is_array( $body ) || ! is_array( $body['results'] ?? null ) ) {
			$error = null !== ( $result['error'] ?? null ) ? (string) $result['error'] : 'HTTP ' . $status;
			$retry = Answers::retry_after_ms( (array) ( $result['headers'] ?? array() ) );
			$fail  = array(
				'ok'             => false,
				'observed'       => null,
				'retry_after_ms' => $retry,
				'error'          => $error,
				'permanent'      => $status >= 400 && $status < 500 && ! in_array( $status, array( 408, 409, 429 ), true ),
			);
			return array_fill_keys( $keys, $fail );
		}
		$by_key = array();
		foreach ( $body['results'] as $r ) {
			if ( is_array( $r ) && isset( $r['key'] ) && is_string( $r['key'] ) ) {
				$by_key[ $r['key'] ] = $r;
			}
		}
		$out = array();
		foreach ( $keys as $key ) {
			$r = $by_key[ $key ] ?? null;
			if ( null === $r ) {
				$out[ $key ] = array(
					'ok'             => false,
					'observed'       => null,
					'retry_after_ms' => null,
					'error'          => 'no result for this change',
					'permanent'      => false,
				);
				continue;
			}
			if ( true === ( $r['ok'] ?? false ) ) {
				$observed = null;
				if ( is_int( $r['quantity'] ?? null ) && null !== ( $r['at'] ?? null ) ) {
					try {
						$observed = array(
							'qty' => $r['quantity'],
							'at'  => self::time( $r['at'], 'results.at' ),
						);
					} catch ( BadInput $e ) {
						$observed = null;
					}
				}
				$out[ $key ] = array(
					'ok'             => true,
					'observed'       => $observed,
					'retry_after_ms' => null,
					'error'          => null,
					'permanent'      => false,
				);
				continue;
			}
			$out[ $key ] = array(
				'ok'             => false,
				'observed'       => null,
				'retry_after_ms' => null,
				'error'          => is_string( $r['error'] ?? null ) ? $r['error'] : 'refused',
				'permanent'      => false === ( $r['retryable'] ?? true ),
			);
		}
		return $out;
	}

	/**
	 * GET /stock/counts, 100 items a request, for every location.
	 *
	 * @param Connection $connection The connection.
	 * @param string[]   $items      Item ids.
	 * @param string[]   $locations  Location ids.
	 * @return list<array>
	 */
	public function count_requests( Connection $connection, array $items, array $locations ): array {
		$out = array();
		foreach ( array_chunk( array_values( $items ), self::BATCH ) as $i => $chunk ) {
			$out[] = $this->get(
				$connection,
				'counts-' . $i,
				'/stock/counts?' . http_build_query(
					array(
						'items'     => implode( ',', $chunk ),
						'locations' => implode( ',', array_values( $locations ) ),
					),
					'',
					'&',
					PHP_QUERY_RFC3986
				)
			);
		}
		return $out;
	}

	/**
	 * The counts of an answer, and the request of the next page.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $request    The request.
	 * @param array      $result     Its Omnistock\Push result.
	 * @return array{counts: list<array{item: string, location: string, qty: int, at: int}>, next: ?array}
	 * @throws Unavailable When the answer is an error.
	 */
	public function counts( Connection $connection, array $request, array $result ): array {
		$body   = self::answer( $result, 'counts' );
		$counts = array();
		foreach ( $body['counts'] as $i => $c ) {
			if ( ! is_array( $c ) ) {
				continue;
			}
			try {
				$counts[] = array(
					'item'     => self::id( $c['item'] ?? null, "counts[$i].item" ),
					'location' => self::id( $c['location'] ?? null, "counts[$i].location" ),
					'qty'      => self::integer( $c['quantity'] ?? null, "counts[$i].quantity" ),
					'at'       => self::time( $c['at'] ?? null, "counts[$i].at" ),
				);
			} catch ( BadInput $e ) {
				throw new Unavailable( 'omnistock_provider_answer', $e->getMessage(), true );
			}
		}
		$next = null;
		if ( is_string( $body['next'] ?? null ) && '' !== $body['next'] ) {
			$next        = $request;
			$url         = (string) preg_replace( '/&cursor=[^&]*/', '', (string) $request['url'] );
			$next['url'] = $url . '&cursor=' . rawurlencode( $body['next'] );
			$next['id']  = $request['id'] . '+';
		}
		return array(
			'counts' => $counts,
			'next'   => $next,
		);
	}

	/**
	 * GET /items.
	 *
	 * @param Connection  $connection The connection.
	 * @param string|null $cursor     The next page's cursor, or null.
	 */
	public function catalogue_request( Connection $connection, ?string $cursor ): array {
		return $this->get( $connection, 'items', '/items' . ( null === $cursor ? '' : '?cursor=' . rawurlencode( $cursor ) ) );
	}

	/**
	 * The items of a page.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The Omnistock\Push result.
	 * @return array{items: list<array{id: string, sku: string, name: string}>, cursor: ?string}
	 * @throws Unavailable When the answer is an error.
	 */
	public function catalogue( Connection $connection, array $result ): array {
		$body  = self::answer( $result, 'items' );
		$items = array();
		foreach ( $body['items'] as $item ) {
			if ( is_array( $item ) && is_scalar( $item['id'] ?? null ) && '' !== (string) $item['id'] ) {
				$items[] = array(
					'id'   => (string) $item['id'],
					'sku'  => is_scalar( $item['sku'] ?? null ) ? (string) $item['sku'] : '',
					'name' => is_scalar( $item['name'] ?? null ) ? (string) $item['name'] : '',
				);
			}
		}
		return array(
			'items'  => $items,
			'cursor' => is_string( $body['next'] ?? null ) && '' !== $body['next'] ? $body['next'] : null,
		);
	}

	/**
	 * GET /locations.
	 *
	 * @param Connection $connection The connection.
	 */
	public function locations_request( Connection $connection ): array {
		return $this->get( $connection, 'locations', '/locations' );
	}

	/**
	 * The locations.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The Omnistock\Push result.
	 * @return list<array{id: string, name: string}>
	 * @throws Unavailable When the answer is an error.
	 */
	public function locations( Connection $connection, array $result ): array {
		$out = array();
		foreach ( self::answer( $result, 'locations' )['locations'] as $l ) {
			if ( is_array( $l ) && is_scalar( $l['id'] ?? null ) && '' !== (string) $l['id'] ) {
				$out[] = array(
					'id'   => (string) $l['id'],
					'name' => is_scalar( $l['name'] ?? null ) ? (string) $l['name'] : '',
				);
			}
		}
		return $out;
	}

	/**
	 * A GET request of the API.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $id         Request id.
	 * @param string     $path       Path and query.
	 */
	private function get( Connection $connection, string $id, string $path ): array {
		return array(
			'id'      => $id,
			'url'     => $connection->api_base . $path,
			'method'  => 'GET',
			'headers' => self::headers( $connection ) + array( 'Accept' => 'application/json' ),
		);
	}

	/**
	 * The authorization header.
	 *
	 * @param Connection $connection The connection.
	 * @return array<string, string>
	 */
	private static function headers( Connection $connection ): array {
		$token = $connection->credential( 'token' );
		return '' === $token ? array() : array( 'Authorization' => 'Bearer ' . $token );
	}

	/**
	 * The decoded body of a 200 answer that has the list $field.
	 *
	 * @param array  $result An Omnistock\Push result.
	 * @param string $field  The list it must have.
	 * @throws Unavailable Otherwise.
	 */
	private static function answer( array $result, string $field ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$body   = json_decode( (string) ( $result['body'] ?? '' ), true );
		if ( 200 !== $status || ! is_array( $body ) || ! is_array( $body[ $field ] ?? null ) ) {
			/* translators: 1: HTTP status, 2: error */
			throw new Unavailable( 'omnistock_provider_answer', sprintf( __( 'The register\'s API answered %1$d %2$s.', 'omnistock' ), $status, (string) ( $result['error'] ?? '' ) ), true );
		}
		return $body;
	}

	/**
	 * A provider id: a non-empty string (or integer) of at most 191 characters.
	 *
	 * @param mixed  $value The value.
	 * @param string $field Its name.
	 * @throws BadInput Otherwise.
	 */
	private static function id( mixed $value, string $field ): string {
		if ( ( is_string( $value ) || is_int( $value ) ) && '' !== (string) $value && strlen( (string) $value ) <= 191 ) {
			return (string) $value;
		}
		throw new BadInput( $field, __( 'must be an id of 1 to 191 characters', 'omnistock' ) );
	}

	/**
	 * An integer.
	 *
	 * @param mixed  $value The value.
	 * @param string $field Its name.
	 * @throws BadInput Otherwise.
	 */
	private static function integer( mixed $value, string $field ): int {
		if ( is_int( $value ) ) {
			return $value;
		}
		if ( is_string( $value ) && preg_match( '/^-?\d{1,15}$/', $value ) ) {
			return (int) $value;
		}
		throw new BadInput( $field, __( 'must be an integer', 'omnistock' ) );
	}

	/**
	 * A time: milliseconds since the epoch, or RFC 3339 (fractions of a second kept to the millisecond).
	 *
	 * @param mixed  $value The value.
	 * @param string $field Its name.
	 * @throws BadInput Otherwise.
	 */
	public static function time( mixed $value, string $field = 'at' ): int {
		if ( is_int( $value ) && $value > 0 ) {
			return $value;
		}
		if ( is_string( $value ) && ctype_digit( $value ) ) {
			return (int) $value;
		}
		if ( is_string( $value ) && preg_match( '/^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/', $value, $m ) ) {
			$date = \DateTimeImmutable::createFromFormat( 'Y-m-d H:i:sP', $m[1] . ' ' . $m[2] . ( 'z' === strtolower( $m[4] ) ? '+00:00' : $m[4] ) );
			if ( false !== $date ) {
				$ms = '' !== $m[3] ? (int) str_pad( substr( $m[3], 1, 3 ), 3, '0' ) : 0;
				return $date->getTimestamp() * 1000 + $ms;
			}
		}
		throw new BadInput( $field, __( 'must be an RFC 3339 time or milliseconds since the epoch', 'omnistock' ) );
	}
}
