<?php
/**
 * Shopify (POS included): the Admin GraphQL API's inventory mutations and reads, and the
 * inventory_levels/update webhook.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\BadInput;
use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;
use Omnistock\Inventory\Database;

defined( 'ABSPATH' ) || exit;

/**
 * Items are inventory item ids and locations location ids, both as the webhook gives them (the
 * numbers; GraphQL's gid://shopify/InventoryItem/<n> is built and read here). The count is the
 * "available" quantity. Credentials: access_token (X-Shopify-Access-Token). Settings: api_version
 * (default self::VERSION: the first version whose inventory mutations take the @idempotent key
 * and changeFromQuantity).
 *
 * A push is one GraphQL request of up to 10 aliased mutations, one per change, so that each carries
 * its own idempotency key (@idempotent) and its own referenceDocumentUri
 * (gid://omnistock/StockEvent/<key>): inventoryAdjustQuantities by delta, or, for a set,
 * inventorySetQuantities with changeFromQuantity = what the register last showed (compare and
 * set). Each answer's quantityAfterChange and createdAt are the register's number after it.
 * Shopify limits by query cost: a THROTTLED answer's extensions.cost says how long until the
 * bucket holds the request's cost again (retry_after_ms).
 */
final class Shopify implements Provider {

	public const VERSION = '2026-01';

	/** Mutations per request: each costs about 10 points, a standard shop restores 100 a second. */
	private const BATCH = 10;

	private const PAYLOAD = '{ inventoryAdjustmentGroup { createdAt reason referenceDocumentUri changes { name delta quantityAfterChange item { id } location { id } } } userErrors { field message code } }';

	/**
	 * The provider's name.
	 */
	public function name(): string {
		return 'shopify';
	}

	/**
	 * X-Shopify-Hmac-Sha256 over the body.
	 */
	public function scheme(): string {
		return 'shopify';
	}

	/**
	 * Nothing beyond the secret.
	 *
	 * @param string $webhook_url Unused.
	 */
	public function verify_options( string $webhook_url ): array {
		return array();
	}

	/**
	 * X-Shopify-Event-Id (the same for every delivery of one event), else X-Shopify-Webhook-Id.
	 *
	 * @param array<string, string> $headers     Headers.
	 * @param array                 $payload     Body.
	 * @param ?string               $verified_id X-Shopify-Webhook-Id as verified.
	 */
	public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string {
		foreach ( array( $headers['x-shopify-event-id'] ?? null, $verified_id, $headers['x-shopify-webhook-id'] ?? null ) as $id ) {
			if ( is_string( $id ) && '' !== trim( $id ) ) {
				return trim( $id );
			}
		}
		return null;
	}

	/**
	 * X-Shopify-Topic.
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 */
	public function topic( array $headers, array $payload ): string {
		return is_string( $headers['x-shopify-topic'] ?? null ) ? $headers['x-shopify-topic'] : '';
	}

	/**
	 * An inventory_levels/update: available at updated_at, or more precisely at X-Shopify-Triggered-At
	 * (updated_at has whole seconds only, and two sales in one second must not look alike).
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 * @throws BadInput When the level is not what Shopify documents.
	 */
	public function observations( array $headers, array $payload ): array {
		if ( 'inventory_levels/update' !== $this->topic( $headers, $payload ) ) {
			return array();
		}
		foreach ( array( 'inventory_item_id', 'location_id' ) as $field ) {
			if ( ! is_int( $payload[ $field ] ?? null ) && ! ( is_string( $payload[ $field ] ?? null ) && ctype_digit( $payload[ $field ] ) ) ) {
				throw new BadInput( $field, __( 'must be a Shopify id', 'omnistock' ) );
			}
		}
		if ( null === ( $payload['available'] ?? null ) ) {
			return array(); // Not tracked at that location.
		}
		$qty = Answers::quantity( $payload['available'] );
		$at  = Answers::ms( $headers['x-shopify-triggered-at'] ?? null ) ?? Answers::ms( $payload['updated_at'] ?? null );
		if ( null === $qty ) {
			throw new BadInput( 'available', __( 'must be a number', 'omnistock' ) );
		}
		if ( null === $at ) {
			throw new BadInput( 'updated_at', __( 'must be an RFC 3339 time', 'omnistock' ) );
		}
		return array(
			array(
				'item'     => (string) $payload['inventory_item_id'],
				'location' => (string) $payload['location_id'],
				'qty'      => $qty,
				'at'       => $at,
			),
		);
	}

	/**
	 * 10 changes per request; two requests at once; the cost bucket is answered by retry_after_ms.
	 */
	public function limits(): array {
		return array(
			'batch'       => self::BATCH,
			'concurrency' => 2,
			'per_second'  => 0.0,
		);
	}

	/**
	 * One GraphQL request per 10 changes, one aliased mutation per change.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    Changes.
	 */
	public function push_requests( Connection $connection, array $changes ): array {
		$out = array();
		foreach ( array_chunk( $changes, self::BATCH ) as $batch ) {
			$declared  = array();
			$fields    = array();
			$variables = array();
			foreach ( $batch as $n => $change ) {
				$set                = ! empty( $change['set'] ) || null === $change['from'];
				$type               = $set ? 'InventorySetQuantitiesInput' : 'InventoryAdjustQuantitiesInput';
				$mutation           = $set ? 'inventorySetQuantities' : 'inventoryAdjustQuantities';
				$declared[]         = "\$i$n: $type!, \$k$n: String!";
				$fields[]           = "c$n: $mutation(input: \$i$n) @idempotent(key: \$k$n) " . self::PAYLOAD;
				$variables[ "i$n" ] = self::input( $change, $set );
				$variables[ "k$n" ] = (string) $change['key'];
			}
			$keys  = array_map( static fn( array $c ): string => (string) $c['key'], $batch );
			$out[] = array(
				'request' => $this->graphql(
					$connection,
					'shopify-push-' . substr( hash( 'sha256', implode( "\n", $keys ) ), 0, 32 ),
					'mutation OmnistockPush(' . implode( ', ', $declared ) . ') { ' . implode( ' ', $fields ) . ' }',
					$variables
				),
				'changes' => $keys,
			);
		}
		return $out;
	}

	/**
	 * Each alias's group or userErrors; THROTTLED: retry_after_ms from the cost bucket.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    The changes the request carried (in its order).
	 * @param array       $result     Its Omnistock\Push result.
	 */
	public function push_outcomes( Connection $connection, array $changes, array $result ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$data   = Answers::json( (string) ( $result['body'] ?? '' ) );
		$out    = array();
		$wait   = null === $data ? null : self::throttled_ms( $data );
		if ( 200 !== $status || null === $data || null !== $wait || ! is_array( $data['data'] ?? null ) ) {
			foreach ( $changes as $change ) {
				$outcome = Answers::failed( $result, null !== $wait ? 'THROTTLED' : ( is_array( $data['errors'][0] ?? null ) ? 'GraphQL: ' . ( $data['errors'][0]['message'] ?? '' ) : null ) );
				if ( null !== $wait ) {
					$outcome['retry_after_ms'] = max( $wait, (int) $outcome['retry_after_ms'] );
					$outcome['permanent']      = false;
				} elseif ( 200 === $status ) {
					$outcome['permanent'] = true; // A GraphQL error in our document: sending it again fails again.
				}
				$out[ (string) $change['key'] ] = $outcome;
			}
			return $out;
		}
		foreach ( array_values( $changes ) as $n => $change ) {
			$answer = $data['data'][ "c$n" ] ?? null;
			$errors = is_array( $answer['userErrors'] ?? null ) ? $answer['userErrors'] : array();
			if ( $errors || ! is_array( $answer['inventoryAdjustmentGroup'] ?? null ) ) {
				$code                           = (string) ( $errors[0]['code'] ?? '' );
				$out[ (string) $change['key'] ] = array(
					'ok'             => false,
					'observed'       => null,
					'retry_after_ms' => null,
					'error'          => trim( $code . ' ' . (string) ( $errors[0]['message'] ?? 'no adjustment group' ) ),
					// A stale compare is cured by learning the register's number (a webhook, reconciliation).
					'permanent'      => ! in_array( $code, array( 'CHANGE_FROM_QUANTITY_STALE', 'COMPARE_QUANTITY_STALE', 'IDEMPOTENCY_CONCURRENT_REQUEST' ), true ),
				);
				continue;
			}
			$group = $answer['inventoryAdjustmentGroup'];
			$at    = Answers::ms( $group['createdAt'] ?? null );
			if ( null !== $at && ! str_contains( (string) $group['createdAt'], '.' ) ) {
				// createdAt has whole seconds: our change landed within that second, and before we
				// read its answer, so the register's webhooks of that second up to now (an echo, or a
				// sale just before) are not newer than this. Not the whole second: a sale made later in
				// it would be stale, a unit lost until reconciliation (tests/bench/sync-gap.php found it).
				$at = min( $at + 999, max( $at, Database::now_ms() ) );
			}
			$observed = null;
			foreach ( is_array( $group['changes'] ?? null ) ? $group['changes'] : array() as $line ) {
				if ( is_array( $line ) && 'available' === ( $line['name'] ?? null ) && self::id( $line['item']['id'] ?? null ) === (string) $change['item'] && self::id( $line['location']['id'] ?? null ) === (string) $change['location'] && is_int( $line['quantityAfterChange'] ?? null ) && null !== $at ) {
					$observed = array(
						'qty' => $line['quantityAfterChange'],
						'at'  => $at,
					);
				}
			}
			$out[ (string) $change['key'] ] = array(
				'ok'             => true,
				'observed'       => $observed,
				'retry_after_ms' => null,
				'error'          => null,
				'permanent'      => false,
			);
		}
		return $out;
	}

	/**
	 * One inventoryLevels read per location, paged (Shopify reads levels by location; the counts of
	 * items not asked for are given too and ignored by the caller).
	 *
	 * @param Connection $connection The connection.
	 * @param string[]   $items      Inventory item ids.
	 * @param string[]   $locations  Location ids.
	 */
	public function count_requests( Connection $connection, array $items, array $locations ): array {
		$out = array();
		foreach ( array_values( array_unique( $locations ) ) as $location ) {
			$out[] = $this->levels_request( $connection, (string) $location, null );
		}
		return $out;
	}

	/**
	 * The levels of a page and the request of the next one.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $request    The request.
	 * @param array      $result     Its result.
	 * @throws \Omnistock\Unavailable When the read failed or was throttled.
	 */
	public function counts( Connection $connection, array $request, array $result ): array {
		$levels   = $this->read( $result )['location']['inventoryLevels'] ?? null;
		$location = self::id( $this->read( $result )['location']['id'] ?? null );
		$counts   = array();
		foreach ( is_array( $levels['nodes'] ?? null ) ? $levels['nodes'] : array() as $node ) {
			$item = self::id( $node['item']['id'] ?? null );
			$at   = Answers::ms( $node['updatedAt'] ?? null );
			foreach ( is_array( $node['quantities'] ?? null ) ? $node['quantities'] : array() as $quantity ) {
				if ( 'available' === ( $quantity['name'] ?? null ) && is_int( $quantity['quantity'] ?? null ) && null !== $item && null !== $location && null !== $at ) {
					$counts[] = array(
						'item'     => $item,
						'location' => $location,
						'qty'      => $quantity['quantity'],
						'at'       => $at,
					);
				}
			}
		}
		$next = null;
		if ( ! empty( $levels['pageInfo']['hasNextPage'] ) && is_string( $levels['pageInfo']['endCursor'] ?? null ) && null !== $location ) {
			$next       = $this->levels_request( $connection, $location, $levels['pageInfo']['endCursor'] );
			$next['id'] = $request['id'] . '+';
		}
		return array(
			'counts' => $counts,
			'next'   => $next,
		);
	}

	/**
	 * The product variants: sku, displayName and the inventory item id.
	 *
	 * @param Connection  $connection The connection.
	 * @param string|null $cursor     Cursor.
	 */
	public function catalogue_request( Connection $connection, ?string $cursor ): array {
		return $this->graphql(
			$connection,
			'shopify-catalogue',
			'query OmnistockCatalogue($after: String) { productVariants(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id sku displayName inventoryItem { id } } } }',
			array( 'after' => $cursor )
		);
	}

	/**
	 * The variants of a page, by inventory item id.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function catalogue( Connection $connection, array $result ): array {
		$variants = $this->read( $result )['productVariants'] ?? null;
		$items    = array();
		foreach ( is_array( $variants['nodes'] ?? null ) ? $variants['nodes'] : array() as $node ) {
			$id = self::id( $node['inventoryItem']['id'] ?? null );
			if ( null !== $id ) {
				$items[] = array(
					'id'   => $id,
					'sku'  => is_string( $node['sku'] ?? null ) ? $node['sku'] : '',
					'name' => is_string( $node['displayName'] ?? null ) ? $node['displayName'] : '',
				);
			}
		}
		return array(
			'items'  => $items,
			'cursor' => ! empty( $variants['pageInfo']['hasNextPage'] ) && is_string( $variants['pageInfo']['endCursor'] ?? null ) ? $variants['pageInfo']['endCursor'] : null,
		);
	}

	/**
	 * The shop's locations (up to 250, Shopify's maximum page).
	 *
	 * @param Connection $connection The connection.
	 */
	public function locations_request( Connection $connection ): array {
		return $this->graphql( $connection, 'shopify-locations', 'query OmnistockLocations { locations(first: 250) { nodes { id name } } }', array() );
	}

	/**
	 * The locations: id and name.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function locations( Connection $connection, array $result ): array {
		$out = array();
		foreach ( (array) ( $this->read( $result )['locations']['nodes'] ?? array() ) as $node ) {
			$id = self::id( $node['id'] ?? null );
			if ( null !== $id ) {
				$out[] = array(
					'id'   => $id,
					'name' => is_string( $node['name'] ?? null ) ? $node['name'] : $id,
				);
			}
		}
		return $out;
	}

	/**
	 * The wait until the bucket holds a THROTTLED request's cost again, in ms; null when not throttled.
	 *
	 * @param array $data A decoded GraphQL answer.
	 */
	public static function throttled_ms( array $data ): ?int {
		$throttled = false;
		foreach ( is_array( $data['errors'] ?? null ) ? $data['errors'] : array() as $error ) {
			$throttled = $throttled || 'THROTTLED' === ( $error['extensions']['code'] ?? null ) || 'Throttled' === ( $error['message'] ?? null );
		}
		if ( ! $throttled ) {
			return null;
		}
		$cost      = is_array( $data['extensions']['cost'] ?? null ) ? $data['extensions']['cost'] : array();
		$requested = (float) ( $cost['requestedQueryCost'] ?? 0 );
		$available = (float) ( $cost['throttleStatus']['currentlyAvailable'] ?? 0 );
		$rate      = (float) ( $cost['throttleStatus']['restoreRate'] ?? 0 );
		if ( $rate <= 0 ) {
			return 1000;
		}
		return max( 1, (int) ceil( max( 0.0, $requested - $available ) / $rate * 1000 ) );
	}

	/**
	 * The decoded data of a read, or Unavailable (an error, or throttled).
	 *
	 * @param array $result An Omnistock\Push result.
	 * @throws \Omnistock\Unavailable When the read failed.
	 */
	private function read( array $result ): array {
		$data = Answers::read( $result, 'Shopify' );
		if ( null !== self::throttled_ms( $data ) || ! is_array( $data['data'] ?? null ) ) {
			throw new \Omnistock\Unavailable( 'omnistock_provider_unavailable', __( 'Shopify did not answer the read (throttled or an error).', 'omnistock' ), true );
		}
		return $data['data'];
	}

	/**
	 * A levels read of one location.
	 *
	 * @param Connection  $connection The connection.
	 * @param string      $location   Location id.
	 * @param string|null $after      Cursor.
	 */
	private function levels_request( Connection $connection, string $location, ?string $after ): array {
		return $this->graphql(
			$connection,
			'shopify-levels-' . $location,
			'query OmnistockCounts($location: ID!, $after: String) { location(id: $location) { id inventoryLevels(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { updatedAt item { id } quantities(names: ["available"]) { name quantity } } } } }',
			array(
				'location' => 'gid://shopify/Location/' . $location,
				'after'    => $after,
			)
		);
	}

	/**
	 * A GraphQL request.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $id         Request id.
	 * @param string     $query      The document.
	 * @param array      $variables  Its variables.
	 */
	private function graphql( Connection $connection, string $id, string $query, array $variables ): array {
		$version = $connection->settings['api_version'] ?? self::VERSION;
		return array(
			'id'      => $id,
			'url'     => $connection->api_base . '/admin/api/' . ( is_string( $version ) ? $version : self::VERSION ) . '/graphql.json',
			'method'  => 'POST',
			'headers' => array(
				'X-Shopify-Access-Token' => $connection->credential( 'access_token' ),
				'Content-Type'           => 'application/json',
				'Accept'                 => 'application/json',
			),
			'body'    => (string) wp_json_encode(
				array(
					'query'     => $query,
					'variables' => (object) $variables,
				)
			),
			'retry'   => true, // Reads, and mutations under @idempotent keys.
		);
	}

	/**
	 * The input of one change's mutation.
	 *
	 * @param array $change The change.
	 * @param bool  $set    An absolute, compared write.
	 */
	private static function input( array $change, bool $set ): array {
		$item     = 'gid://shopify/InventoryItem/' . $change['item'];
		$location = 'gid://shopify/Location/' . $change['location'];
		$uri      = 'gid://omnistock/StockEvent/' . $change['key'];
		if ( $set ) {
			return array(
				'name'                 => 'available',
				'reason'               => 'correction',
				'referenceDocumentUri' => $uri,
				'quantities'           => array(
					array(
						'inventoryItemId'    => $item,
						'locationId'         => $location,
						'quantity'           => max( 0, (int) $change['target'] ),
						'changeFromQuantity' => null === $change['from'] ? null : (int) $change['from'],
					),
				),
			);
		}
		return array(
			'name'                 => 'available',
			'reason'               => 'correction',
			'referenceDocumentUri' => $uri,
			'changes'              => array(
				array(
					'delta'           => (int) $change['delta'],
					'inventoryItemId' => $item,
					'locationId'      => $location,
				),
			),
		);
	}

	/**
	 * The number of a Shopify id, given as a gid or as the number itself; null when neither.
	 *
	 * @param mixed $id The id.
	 */
	private static function id( mixed $id ): ?string {
		if ( is_int( $id ) ) {
			return (string) $id;
		}
		if ( is_string( $id ) && preg_match( '~^(?:gid://shopify/\w+/)?(\d+)$~', $id, $m ) ) {
			return $m[1];
		}
		return null;
	}
}
