<?php
/**
 * A fake Square for the tests: `OMNISTOCK_FAKE_STATE=<dir> php -d extension=<omnistock.so> -S 127.0.0.1:<port> tests/providers/square.php`.
 *
 * Speaks what Omnistock calls of Square's API (Authorization: Bearer <config token, default
 * "square-token">): POST /v2/inventory/changes/batch-create (1..100 changes, idempotency_key
 * required and replayed: the same key and body answer the first answer again, another body is
 * IDEMPOTENCY_KEY_REUSED), POST /v2/inventory/counts/batch-retrieve (cursor paging),
 * GET /v2/catalog/list?types=ITEM_VARIATION (cursor paging), GET /v2/locations. Its webhooks are
 * inventory.count.updated, signed as Square signs them (x-square-hmacsha256-signature over the
 * notification URL + body), sent for register sales (/_fake/sale) and, after each batch-create,
 * for the counts it changed. Config: token, secret, webhook_url, merchant_id, page_size; see lib/Fake.php.
 *
 * @package Omnistock
 */

require __DIR__ . '/lib/Fake.php';

use Omnistock\Tests\Providers\Fake;

function square_error( int $status, string $code, string $detail, string $category = 'INVALID_REQUEST_ERROR' ): array {
	return array( 'status' => $status, 'body' => array( 'errors' => array( array( 'category' => $category, 'code' => $code, 'detail' => $detail ) ) ) );
}

function square_count( array $cell ): array {
	return array(
		'catalog_object_id'   => $cell['item'],
		'catalog_object_type' => 'ITEM_VARIATION',
		'state'               => 'IN_STOCK',
		'location_id'         => $cell['location'],
		'quantity'            => (string) $cell['qty'],
		'calculated_at'       => Fake::rfc3339( $cell['at'] ),
	);
}

function square_cursor( ?int $offset ): ?string {
	return null === $offset ? null : base64_encode( 'offset:' . $offset );
}

function square_offset( mixed $cursor ): int {
	return is_string( $cursor ) && preg_match( '/^offset:(\d+)$/', (string) base64_decode( $cursor, true ), $m ) ? (int) $m[1] : 0;
}

Fake::run(
	array(
		'name'    => 'square',
		'auth'    => static fn( array $request, array $state ): bool => ( $request['headers']['authorization'] ?? '' ) === 'Bearer ' . ( $state['config']['token'] ?? 'square-token' ),
		'api'     => static function ( array $request, array &$state ): array {
			$body  = json_decode( $request['body'], true );
			$route = $request['method'] . ' ' . $request['path'];
			if ( 'POST /v2/inventory/changes/batch-create' === $route ) {
				$key = $body['idempotency_key'] ?? null;
				if ( ! is_string( $key ) || '' === $key || strlen( $key ) > 128 ) {
					return square_error( 400, 'INVALID_VALUE', 'idempotency_key must be 1 to 128 characters' );
				}
				$hash = hash( 'sha256', json_encode( $body['changes'] ?? null ) );
				if ( isset( $state['idempotency'][ $key ] ) ) {
					return $state['idempotency'][ $key ]['hash'] === $hash
						? $state['idempotency'][ $key ]['answer']
						: square_error( 400, 'IDEMPOTENCY_KEY_REUSED', 'the idempotency key was used for another request' );
				}
				$changes = $body['changes'] ?? null;
				if ( ! is_array( $changes ) || ! array_is_list( $changes ) || count( $changes ) < 1 || count( $changes ) > 100 ) {
					return square_error( 400, 'INVALID_ARRAY_LENGTH', 'changes must hold 1 to 100 changes' );
				}
				// Checked whole first: Square applies a batch all or nothing.
				foreach ( $changes as $i => $change ) {
					$type = $change['type'] ?? '';
					$c    = 'ADJUSTMENT' === $type ? ( $change['adjustment'] ?? null ) : ( 'PHYSICAL_COUNT' === $type ? ( $change['physical_count'] ?? null ) : null );
					if ( ! is_array( $c ) || ! is_string( $c['catalog_object_id'] ?? null ) || ! is_string( $c['location_id'] ?? null ) || ! is_string( $c['quantity'] ?? null ) || ! is_numeric( $c['quantity'] ) || ! is_string( $c['occurred_at'] ?? null ) ) {
						return square_error( 400, 'INVALID_VALUE', "changes[$i] is not an ADJUSTMENT or PHYSICAL_COUNT with catalog_object_id, location_id, quantity (a string) and occurred_at" );
					}
					if ( 'ADJUSTMENT' === $type && ! in_array( array( $c['from_state'] ?? '', $c['to_state'] ?? '' ), array( array( 'IN_STOCK', 'SOLD' ), array( 'IN_STOCK', 'WASTE' ), array( 'NONE', 'IN_STOCK' ) ), true ) ) {
						return square_error( 400, 'INVALID_STATE_TRANSITION', "changes[$i]: from_state/to_state" );
					}
					if ( 'PHYSICAL_COUNT' === $type && 'IN_STOCK' !== ( $c['state'] ?? '' ) ) {
						return square_error( 400, 'INVALID_VALUE', "changes[$i]: state" );
					}
					if ( null === Fake::count( $state, $c['catalog_object_id'], $c['location_id'] ) && ! isset( $state['items'][ $c['catalog_object_id'] ] ) ) {
						return square_error( 404, 'NOT_FOUND', "changes[$i]: no catalog object {$c['catalog_object_id']}", 'INVALID_REQUEST_ERROR' );
					}
				}
				$touched = array();
				foreach ( $changes as $change ) {
					$c   = $change['adjustment'] ?? $change['physical_count'];
					$now = Fake::count( $state, $c['catalog_object_id'], $c['location_id'] )['qty'] ?? 0;
					$q   = (int) $c['quantity'];
					$qty = 'PHYSICAL_COUNT' === $change['type'] ? $q : ( 'NONE' === $c['from_state'] ? $now + $q : $now - $q );
					$touched[ $c['catalog_object_id'] . "\n" . $c['location_id'] ] = Fake::set_count( $state, $c['catalog_object_id'], $c['location_id'], $qty );
					Fake::applied( $state, (string) ( $c['reference_id'] ?? '' ) );
				}
				$answer                          = array(
					'status' => 200,
					'body'   => array(
						'counts'  => array_map( 'square_count', array_values( $touched ) ),
						'changes' => $changes,
					),
				);
				$state['idempotency'][ $key ]    = array( 'hash' => $hash, 'answer' => $answer );
				$answer['echo']                  = array_values( $touched );
				return $answer;
			}
			if ( 'POST /v2/inventory/counts/batch-retrieve' === $route ) {
				$items     = $body['catalog_object_ids'] ?? null;
				$locations = $body['location_ids'] ?? null;
				$all       = array();
				foreach ( $state['stock'] as $key => $cell ) {
					list( $item, $location ) = explode( "\n", $key );
					if ( ( ! is_array( $items ) || in_array( $item, $items, true ) ) && ( ! is_array( $locations ) || in_array( $location, $locations, true ) ) ) {
						$all[] = square_count( array( 'item' => $item, 'location' => $location ) + $cell );
					}
				}
				list( $rows, $next ) = Fake::page( $all, square_offset( $body['cursor'] ?? null ), (int) ( $body['limit'] ?? 1000 ), $state );
				return array( 'status' => 200, 'body' => array( 'counts' => $rows ) + ( null === $next ? array() : array( 'cursor' => square_cursor( $next ) ) ) );
			}
			if ( 'GET /v2/catalog/list' === $route ) {
				if ( ( $request['query']['types'] ?? '' ) !== 'ITEM_VARIATION' ) {
					return square_error( 400, 'INVALID_VALUE', 'this fake lists ITEM_VARIATION only' );
				}
				$all = array();
				foreach ( $state['items'] as $item ) {
					$all[] = array(
						'type'                => 'ITEM_VARIATION',
						'id'                  => $item['id'],
						'is_deleted'          => false,
						'item_variation_data' => array( 'item_id' => 'ITEM-' . $item['id'], 'name' => $item['name'], 'sku' => $item['sku'], 'track_inventory' => true ),
					);
				}
				list( $rows, $next ) = Fake::page( $all, square_offset( $request['query']['cursor'] ?? null ), 1000, $state );
				return array( 'status' => 200, 'body' => array( 'objects' => $rows ) + ( null === $next ? array() : array( 'cursor' => square_cursor( $next ) ) ) );
			}
			if ( 'GET /v2/locations' === $route ) {
				return array( 'status' => 200, 'body' => array( 'locations' => array_map( static fn( $l ) => $l + array( 'status' => 'ACTIVE' ), array_values( $state['locations'] ) ) ) );
			}
			return square_error( 404, 'NOT_FOUND', 'no such endpoint in this fake: ' . $route );
		},
		'webhook' => static function ( array $cells, array $state ): array {
			$body = json_encode(
				array(
					'merchant_id' => $state['config']['merchant_id'] ?? 'MLFAKE',
					'type'        => 'inventory.count.updated',
					'event_id'    => sprintf( '%08x-%04x-4%03x-8%03x-%012x', random_int( 0, 0xffffffff ), random_int( 0, 0xffff ), random_int( 0, 0xfff ), random_int( 0, 0xfff ), random_int( 0, 0xffffffffffff ) ),
					'created_at'  => Fake::rfc3339( Fake::now_ms() ),
					'data'        => array(
						'type'   => 'inventory',
						'id'     => bin2hex( random_bytes( 8 ) ),
						'object' => array( 'inventory_counts' => array_map( 'square_count', $cells ) ),
					),
				),
				JSON_UNESCAPED_SLASHES
			);
			$url  = $state['config']['webhook_url'] ?? '';
			return array(
				array(
					'body'    => $body,
					'headers' => \Omnistock\Webhook::sign( 'square', $body, (string) ( $state['config']['secret'] ?? 'square-signature-key' ), array( 'url' => $url ) ),
				),
			);
		},
	)
);
