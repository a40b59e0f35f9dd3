<?php
/**
 * A fake Shopify Admin GraphQL API for the tests: `OMNISTOCK_FAKE_STATE=<dir> php -d extension=<omnistock.so> -S 127.0.0.1:<port> tests/providers/shopify.php`.
 *
 * POST /admin/api/<version>/graphql.json with X-Shopify-Access-Token (config token, default
 * "shopify-token"). It is no GraphQL engine: it knows the operations Omnistock sends, by their
 * names, and checks what Shopify would: OmnistockPush (aliased inventoryAdjustQuantities /
 * inventorySetQuantities, each with @idempotent(key:) — required, and replayed: the same key
 * answers the first answer again —, name "available", a reason, a non-Shopify
 * referenceDocumentUri, and for a set changeFromQuantity given explicitly, compared:
 * CHANGE_FROM_QUANTITY_STALE), OmnistockCounts (a location's inventoryLevels, paged),
 * OmnistockCatalogue (productVariants, paged), OmnistockLocations. Every answer carries
 * extensions.cost; config throttle {count, requested, available, restore} answers THROTTLED
 * (HTTP 200, as Shopify's GraphQL does) that many times. Webhooks: inventory_levels/update with
 * X-Shopify-Topic, X-Shopify-Hmac-Sha256 (Omnistock\Webhook::sign), X-Shopify-Webhook-Id,
 * X-Shopify-Event-Id and X-Shopify-Triggered-At, for sales and after each mutation (echo).
 * Ids are numbers; GraphQL gives them as gid://shopify/<Type>/<n>.
 *
 * @package Omnistock
 */

require __DIR__ . '/lib/Fake.php';

use Omnistock\Tests\Providers\Fake;

function shopify_cost( array $state, float $requested ): array {
	return array(
		'cost' => array(
			'requestedQueryCost' => $requested,
			'actualQueryCost'    => $requested,
			'throttleStatus'     => array( 'maximumAvailable' => 2000.0, 'currentlyAvailable' => 2000.0 - $requested, 'restoreRate' => 100.0 ),
		),
	);
}

function shopify_number( mixed $gid, string $type ): ?string {
	return is_string( $gid ) && preg_match( '~^gid://shopify/' . $type . '/(\d+)$~', $gid, $m ) ? $m[1] : null;
}

function shopify_page( array $all, mixed $after, array $state ): array {
	$offset              = is_string( $after ) && ctype_digit( (string) base64_decode( $after, true ) ) ? (int) base64_decode( $after ) : 0;
	list( $rows, $next ) = Fake::page( $all, $offset, 100, $state );
	return array(
		'pageInfo' => array( 'hasNextPage' => null !== $next, 'endCursor' => null === $next ? null : base64_encode( (string) $next ) ),
		'nodes'    => $rows,
	);
}

function shopify_mutation( string $mutation, mixed $input, mixed $key, array &$state, array &$touched ): array {
	$error = static fn( string $code, string $message, array $field = array( 'input' ) ): array => array( 'inventoryAdjustmentGroup' => null, 'userErrors' => array( array( 'field' => $field, 'message' => $message, 'code' => $code ) ) );
	if ( ! is_string( $key ) || '' === $key ) {
		return $error( 'IDEMPOTENCY_KEY_MISSING', 'the @idempotent directive needs a key' );
	}
	if ( isset( $state['idempotency'][ $key ] ) ) {
		return $state['idempotency'][ $key ];
	}
	if ( ! is_array( $input ) || 'available' !== ( $input['name'] ?? null ) || ! in_array( $input['reason'] ?? null, array( 'correction', 'cycle_count_available', 'damaged', 'movement_created', 'other', 'received', 'restock', 'safety_stock', 'shrinkage' ), true ) ) {
		return $error( 'INVALID_NAME', 'input needs name "available" and a reason' );
	}
	$uri = $input['referenceDocumentUri'] ?? null;
	if ( null !== $uri && ( ! is_string( $uri ) || str_starts_with( $uri, 'gid://shopify/' ) || ! preg_match( '~^[a-z][a-z0-9+.-]*://.+~i', $uri ) ) ) {
		return $error( 'INVALID_REFERENCE_DOCUMENT', 'referenceDocumentUri must be a non-Shopify URI', array( 'input', 'referenceDocumentUri' ) );
	}
	$set   = 'inventorySetQuantities' === $mutation;
	$lines = $set ? ( $input['quantities'] ?? null ) : ( $input['changes'] ?? null );
	if ( ! is_array( $lines ) || ! $lines ) {
		return $error( 'INVALID_INPUT', 'no quantities or changes' );
	}
	$plan = array();
	foreach ( $lines as $i => $line ) {
		$item     = shopify_number( $line['inventoryItemId'] ?? null, 'InventoryItem' );
		$location = shopify_number( $line['locationId'] ?? null, 'Location' );
		if ( null === $item || null === $location || null === Fake::count( $state, $item, $location ) ) {
			return $error( 'INVALID_INVENTORY_ITEM', 'the item is not stocked at the location', array( 'input', $set ? 'quantities' : 'changes', (string) $i ) );
		}
		$now = Fake::count( $state, $item, $location )['qty'];
		if ( $set ) {
			if ( ! array_key_exists( 'changeFromQuantity', $line ) || ! is_int( $line['quantity'] ?? null ) ) {
				return $error( 'INVALID_INPUT', 'quantity and changeFromQuantity (explicitly, null to opt out) are required', array( 'input', 'quantities', (string) $i ) );
			}
			if ( null !== $line['changeFromQuantity'] && $line['changeFromQuantity'] !== $now ) {
				return $error( 'CHANGE_FROM_QUANTITY_STALE', 'The specified compare quantity does not match the current quantity.', array( 'input', 'quantities', (string) $i, 'changeFromQuantity' ) );
			}
			$plan[] = array( $item, $location, $line['quantity'] - $now, $line['quantity'] );
		} else {
			if ( ! is_int( $line['delta'] ?? null ) ) {
				return $error( 'INVALID_INPUT', 'delta must be an integer', array( 'input', 'changes', (string) $i ) );
			}
			$plan[] = array( $item, $location, $line['delta'], $now + $line['delta'] );
		}
	}
	$changes = array();
	$last    = 0;
	foreach ( $plan as list( $item, $location, $delta, $after ) ) {
		$cell                                  = Fake::set_count( $state, $item, $location, $after );
		$last                                  = max( $last, $cell['at'] );
		$touched[ "$item\n$location" ]         = $cell;
		$changes[]                             = array(
			'name'                => 'available',
			'delta'               => $delta,
			'quantityAfterChange' => $after,
			'item'                => array( 'id' => "gid://shopify/InventoryItem/$item" ),
			'location'            => array( 'id' => "gid://shopify/Location/$location" ),
		);
	}
	$answer                       = array(
		'inventoryAdjustmentGroup' => array(
			'createdAt'            => Fake::rfc3339( $last, false ),
			'reason'               => $input['reason'],
			'referenceDocumentUri' => $uri,
			'changes'              => $changes,
		),
		'userErrors'               => array(),
	);
	$state['idempotency'][ $key ] = $answer;
	Fake::applied( $state, $key );
	return $answer;
}

Fake::run(
	array(
		'name'      => 'shopify',
		'auth'      => static fn( array $request, array $state ): bool => ( $request['headers']['x-shopify-access-token'] ?? '' ) === ( $state['config']['token'] ?? 'shopify-token' ),
		'api'       => static function ( array $request, array &$state ): array {
			if ( 'POST' !== $request['method'] || ! preg_match( '~^/admin/api/\d{4}-\d{2}/graphql\.json$~', $request['path'] ) ) {
				return array( 'status' => 404, 'body' => array( 'errors' => 'Not Found' ) );
			}
			$body  = json_decode( $request['body'], true );
			$query = is_array( $body ) && is_string( $body['query'] ?? null ) ? $body['query'] : '';
			$vars  = is_array( $body['variables'] ?? null ) ? $body['variables'] : array();
			if ( ! preg_match( '/^\s*(query|mutation)\s+(\w+)/', $query, $op ) ) {
				return array( 'status' => 200, 'body' => array( 'errors' => array( array( 'message' => 'this fake needs a named operation' ) ) ) );
			}
			$throttle = $state['config']['throttle'] ?? array();
			if ( ( $throttle['count'] ?? 0 ) > 0 ) {
				--$state['config']['throttle']['count'];
				return array(
					'status' => 200,
					'body'   => array(
						'errors'     => array( array( 'message' => 'Throttled', 'extensions' => array( 'code' => 'THROTTLED', 'documentation' => 'https://shopify.dev/api/usage/rate-limits' ) ) ),
						'extensions' => array(
							'cost' => array(
								'requestedQueryCost' => (float) ( $throttle['requested'] ?? 100 ),
								'actualQueryCost'    => null,
								'throttleStatus'     => array( 'maximumAvailable' => 2000.0, 'currentlyAvailable' => (float) ( $throttle['available'] ?? 0 ), 'restoreRate' => (float) ( $throttle['restore'] ?? 100 ) ),
							),
						),
					),
				);
			}
			switch ( $op[2] ) {
				case 'OmnistockPush':
					preg_match_all( '/(\w+)\s*:\s*(inventoryAdjustQuantities|inventorySetQuantities)\s*\(\s*input\s*:\s*\$(\w+)\s*\)\s*@idempotent\s*\(\s*key\s*:\s*\$(\w+)\s*\)/', $query, $fields, PREG_SET_ORDER );
					$mentioned = preg_match_all( '/\b(inventoryAdjustQuantities|inventorySetQuantities)\b/', $query );
					if ( ! $fields || count( $fields ) !== $mentioned ) {
						return array( 'status' => 200, 'body' => array( 'errors' => array( array( 'message' => 'every inventory mutation needs @idempotent(key:) (and an alias, in this fake)' ) ) ) );
					}
					$data    = array();
					$touched = array();
					foreach ( $fields as $f ) {
						$data[ $f[1] ] = shopify_mutation( $f[2], $vars[ $f[3] ] ?? null, $vars[ $f[4] ] ?? null, $state, $touched );
					}
					return array( 'status' => 200, 'body' => array( 'data' => $data, 'extensions' => shopify_cost( $state, 10.0 * count( $fields ) ) ), 'echo' => array_values( $touched ) );
				case 'OmnistockCounts':
					$location = shopify_number( $vars['location'] ?? null, 'Location' );
					$all      = array();
					foreach ( $state['stock'] as $key => $cell ) {
						list( $item, $at ) = explode( "\n", $key );
						if ( $at === $location ) {
							$all[] = array(
								'updatedAt'  => Fake::rfc3339( $cell['at'], false ),
								'item'       => array( 'id' => "gid://shopify/InventoryItem/$item" ),
								'quantities' => array( array( 'name' => 'available', 'quantity' => $cell['qty'] ) ),
							);
						}
					}
					return array( 'status' => 200, 'body' => array( 'data' => array( 'location' => null === $location ? null : array( 'id' => "gid://shopify/Location/$location", 'inventoryLevels' => shopify_page( $all, $vars['after'] ?? null, $state ) ) ), 'extensions' => shopify_cost( $state, 12.0 ) ) );
				case 'OmnistockCatalogue':
					$all = array();
					foreach ( $state['items'] as $item ) {
						$all[] = array( 'id' => 'gid://shopify/ProductVariant/9' . $item['id'], 'sku' => $item['sku'], 'displayName' => $item['name'], 'inventoryItem' => array( 'id' => 'gid://shopify/InventoryItem/' . $item['id'] ) );
					}
					return array( 'status' => 200, 'body' => array( 'data' => array( 'productVariants' => shopify_page( $all, $vars['after'] ?? null, $state ) ), 'extensions' => shopify_cost( $state, 12.0 ) ) );
				case 'OmnistockLocations':
					$nodes = array_map( static fn( $l ) => array( 'id' => 'gid://shopify/Location/' . $l['id'], 'name' => $l['name'] ), array_values( $state['locations'] ) );
					return array( 'status' => 200, 'body' => array( 'data' => array( 'locations' => array( 'nodes' => $nodes ) ), 'extensions' => shopify_cost( $state, 2.0 ) ) );
			}
			return array( 'status' => 200, 'body' => array( 'errors' => array( array( 'message' => 'this fake does not know ' . $op[2] ) ) ) );
		},
		'webhook'   => static function ( array $cells, array &$state ): array {
			$out = array();
			foreach ( $cells as $cell ) {
				$body  = json_encode(
					array(
						'inventory_item_id'    => (int) $cell['item'],
						'location_id'          => (int) $cell['location'],
						'available'            => $cell['qty'],
						'updated_at'           => gmdate( 'Y-m-d\TH:i:s', intdiv( $cell['at'], 1000 ) ) . '-00:00',
						'admin_graphql_api_id' => 'gid://shopify/InventoryLevel/' . $cell['location'] . '?inventory_item_id=' . $cell['item'],
					),
					JSON_UNESCAPED_SLASHES
				);
				$event = bin2hex( random_bytes( 8 ) );
				$out[] = array(
					'body'    => $body,
					'headers' => \Omnistock\Webhook::sign( 'shopify', $body, (string) ( $state['config']['secret'] ?? 'shopify-client-secret' ), array( 'id' => 'wh-' . $event ) ) + array(
						'X-Shopify-Topic'        => 'inventory_levels/update',
						'X-Shopify-Event-Id'     => 'ev-' . $event,
						'X-Shopify-Triggered-At' => gmdate( 'Y-m-d\TH:i:s', intdiv( $cell['at'], 1000 ) ) . sprintf( '.%03d', $cell['at'] % 1000 ) . '000000Z',
						'X-Shopify-Shop-Domain'  => 'fake.myshopify.com',
						'X-Shopify-API-Version'  => '2026-01',
					),
				);
			}
			return $out;
		},
	)
);
