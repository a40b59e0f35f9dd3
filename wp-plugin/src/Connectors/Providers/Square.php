<?php
/**
 * Square: its Inventory, Catalog and Locations APIs and its inventory.count.updated webhook.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\BadInput;
use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;

defined( 'ABSPATH' ) || exit;

/**
 * Items are catalog object ids of ITEM_VARIATIONs, locations Square's location ids; the count we
 * see and push is the IN_STOCK state. Credentials: access_token. Settings: square_version (the
 * Square-Version header, default self::VERSION).
 *
 * A push is POST /v2/inventory/changes/batch-create with at most 100 changes and one
 * idempotency_key (a hash of the changes' keys, so a retry of the same batch is the same request);
 * each change carries its own key as reference_id. An adjustment moves units IN_STOCK -> SOLD
 * (fewer) or NONE -> IN_STOCK (more). Square has no compare and set, so a change is always an
 * adjustment once we know the register's number, even where we are the system of record: an
 * absolute count would overwrite a register sale made between our read and its arrival (lost at
 * both ends, since the answer would show only our number). Only a cell's first push, whose register
 * number is unknown, is a PHYSICAL_COUNT of IN_STOCK. The answer's counts[] give the register's
 * number after it (observed): anything beyond our delta is the register's own news.
 */
final class Square implements Provider {

	public const VERSION = '2025-01-23';

	/**
	 * The provider's name.
	 */
	public function name(): string {
		return 'square';
	}

	/**
	 * Square signs with x-square-hmacsha256-signature.
	 */
	public function scheme(): string {
		return 'square';
	}

	/**
	 * Square signs the notification URL followed by the body.
	 *
	 * @param string $webhook_url The notification URL.
	 */
	public function verify_options( string $webhook_url ): array {
		return array( 'url' => $webhook_url );
	}

	/**
	 * Square's event_id.
	 *
	 * @param array<string, string> $headers     Headers.
	 * @param array                 $payload     Body.
	 * @param ?string               $verified_id What the signature check read.
	 */
	public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string {
		$id = $payload['event_id'] ?? $verified_id;
		return is_string( $id ) && '' !== $id ? $id : null;
	}

	/**
	 * The event's type.
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 */
	public function topic( array $headers, array $payload ): string {
		return is_string( $payload['type'] ?? null ) ? $payload['type'] : '';
	}

	/**
	 * An inventory.count.updated event: each IN_STOCK count of data.object.inventory_counts at its calculated_at.
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 * @throws BadInput When the counts are not what Square documents.
	 */
	public function observations( array $headers, array $payload ): array {
		if ( 'inventory.count.updated' !== ( $payload['type'] ?? null ) ) {
			return array();
		}
		$counts = $payload['data']['object']['inventory_counts'] ?? null;
		if ( ! is_array( $counts ) || ! array_is_list( $counts ) ) {
			throw new BadInput( 'data.object.inventory_counts', __( 'must be a list of inventory counts', 'omnistock' ) );
		}
		$out = array();
		foreach ( $counts as $i => $count ) {
			$observation = is_array( $count ) ? self::count( $count ) : false;
			if ( false === $observation ) {
				throw new BadInput( "data.object.inventory_counts.$i", __( 'must be an inventory count with catalog_object_id, location_id, state, quantity and calculated_at', 'omnistock' ) );
			}
			if ( null !== $observation ) {
				$out[] = $observation;
			}
		}
		return $out;
	}

	/**
	 * 100 changes per batch-create (Square's maximum). Square publishes no rate figures: a few at
	 * once, and its 429s say the rest.
	 */
	public function limits(): array {
		return array(
			'batch'       => 100,
			'concurrency' => 4,
			'per_second'  => 0.0,
		);
	}

	/**
	 * One batch-create per 100 changes.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    Changes.
	 */
	public function push_requests( Connection $connection, array $changes ): array {
		$out = array();
		$now = Answers::rfc3339( Answers::now_ms() );
		foreach ( array_chunk( $changes, 100 ) as $batch ) {
			$keys  = array_map( static fn( array $c ): string => (string) $c['key'], $batch );
			$key   = 'omnistock-' . substr( hash( 'sha256', implode( "\n", $keys ) ), 0, 48 );
			$body  = array(
				'idempotency_key'         => $key,
				'changes'                 => array_map( static fn( array $c ): array => self::change( $c, isset( $c['at'] ) ? Answers::rfc3339( (int) $c['at'] ) : $now ), $batch ),
				'ignore_unchanged_counts' => false,
			);
			$out[] = array(
				'request' => array(
					'id'      => $key,
					'url'     => $connection->api_base . '/v2/inventory/changes/batch-create',
					'method'  => 'POST',
					'headers' => $this->headers( $connection ),
					'body'    => (string) wp_json_encode( $body ),
					'retry'   => true, // The idempotency_key makes a repeat harmless.
				),
				'changes' => $keys,
			);
		}
		return $out;
	}

	/**
	 * 200: every change of the batch took (Square applies a batch whole or refuses it); the
	 * answer's IN_STOCK counts are the register's numbers after it.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    The changes the request carried.
	 * @param array       $result     Its Omnistock\Push result.
	 */
	public function push_outcomes( Connection $connection, array $changes, array $result ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$data   = Answers::json( (string) ( $result['body'] ?? '' ) );
		$out    = array();
		if ( 200 !== $status || null === $data || ! empty( $data['errors'] ) ) {
			$error = null;
			if ( is_array( $data['errors'][0] ?? null ) ) {
				$error = 'HTTP ' . $status . ': ' . ( $data['errors'][0]['code'] ?? '' ) . ' ' . ( $data['errors'][0]['detail'] ?? '' );
			}
			foreach ( $changes as $change ) {
				$out[ (string) $change['key'] ] = Answers::failed( $result, $error );
			}
			return $out;
		}
		$seen = array();
		foreach ( is_array( $data['counts'] ?? null ) ? $data['counts'] : array() as $count ) {
			$observation = is_array( $count ) ? self::count( $count ) : null;
			if ( is_array( $observation ) ) {
				$seen[ $observation['item'] . "\n" . $observation['location'] ] = array(
					'qty' => $observation['qty'],
					'at'  => $observation['at'],
				);
			}
		}
		foreach ( $changes as $change ) {
			$out[ (string) $change['key'] ] = array(
				'ok'             => true,
				'observed'       => $seen[ $change['item'] . "\n" . $change['location'] ] ?? null,
				'retry_after_ms' => null,
				'error'          => null,
				'permanent'      => false,
			);
		}
		return $out;
	}

	/**
	 * POST /v2/inventory/counts/batch-retrieve, IN_STOCK, 500 items per request.
	 *
	 * @param Connection $connection The connection.
	 * @param string[]   $items      Catalog object ids.
	 * @param string[]   $locations  Location ids.
	 */
	public function count_requests( Connection $connection, array $items, array $locations ): array {
		$out = array();
		foreach ( array_chunk( array_values( array_unique( $items ) ), 500 ) as $n => $chunk ) {
			$out[] = $this->count_request(
				$connection,
				'square-counts-' . $n,
				array(
					'catalog_object_ids' => $chunk,
					'location_ids'       => array_values( array_unique( $locations ) ),
					'states'             => array( 'IN_STOCK' ),
					'limit'              => 1000,
				)
			);
		}
		return $out;
	}

	/**
	 * The counts of a page and the request of the next one (its cursor).
	 *
	 * @param Connection $connection The connection.
	 * @param array      $request    The request.
	 * @param array      $result     Its result.
	 */
	public function counts( Connection $connection, array $request, array $result ): array {
		$data   = Answers::read( $result, 'Square' );
		$counts = array();
		foreach ( is_array( $data['counts'] ?? null ) ? $data['counts'] : array() as $count ) {
			$observation = is_array( $count ) ? self::count( $count ) : null;
			if ( is_array( $observation ) ) {
				$counts[] = $observation;
			}
		}
		$next = null;
		if ( is_string( $data['cursor'] ?? null ) && '' !== $data['cursor'] ) {
			$body           = (array) json_decode( (string) $request['body'], true );
			$body['cursor'] = $data['cursor'];
			$next           = $this->count_request( $connection, $request['id'] . '+', $body );
		}
		return array(
			'counts' => $counts,
			'next'   => $next,
		);
	}

	/**
	 * GET /v2/catalog/list?types=ITEM_VARIATION.
	 *
	 * @param Connection  $connection The connection.
	 * @param string|null $cursor     Cursor.
	 */
	public function catalogue_request( Connection $connection, ?string $cursor ): array {
		$query = array( 'types' => 'ITEM_VARIATION' );
		if ( null !== $cursor && '' !== $cursor ) {
			$query['cursor'] = $cursor;
		}
		return array(
			'id'      => 'square-catalogue',
			'url'     => $connection->api_base . '/v2/catalog/list?' . http_build_query( $query ),
			'method'  => 'GET',
			'headers' => $this->headers( $connection ),
		);
	}

	/**
	 * The variations of a catalogue page: id, item_variation_data.sku and .name.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function catalogue( Connection $connection, array $result ): array {
		$data  = Answers::read( $result, 'Square' );
		$items = array();
		foreach ( is_array( $data['objects'] ?? null ) ? $data['objects'] : array() as $object ) {
			if ( ! is_array( $object ) || 'ITEM_VARIATION' !== ( $object['type'] ?? null ) || ! is_string( $object['id'] ?? null ) || ! empty( $object['is_deleted'] ) ) {
				continue;
			}
			$variation = is_array( $object['item_variation_data'] ?? null ) ? $object['item_variation_data'] : array();
			$items[]   = array(
				'id'   => $object['id'],
				'sku'  => is_string( $variation['sku'] ?? null ) ? $variation['sku'] : '',
				'name' => is_string( $variation['name'] ?? null ) ? $variation['name'] : '',
			);
		}
		return array(
			'items'  => $items,
			'cursor' => is_string( $data['cursor'] ?? null ) && '' !== $data['cursor'] ? $data['cursor'] : null,
		);
	}

	/**
	 * GET /v2/locations.
	 *
	 * @param Connection $connection The connection.
	 */
	public function locations_request( Connection $connection ): array {
		return array(
			'id'      => 'square-locations',
			'url'     => $connection->api_base . '/v2/locations',
			'method'  => 'GET',
			'headers' => $this->headers( $connection ),
		);
	}

	/**
	 * The locations: id and name.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function locations( Connection $connection, array $result ): array {
		$data = Answers::read( $result, 'Square' );
		$out  = array();
		foreach ( is_array( $data['locations'] ?? null ) ? $data['locations'] : array() as $location ) {
			if ( is_array( $location ) && is_string( $location['id'] ?? null ) ) {
				$out[] = array(
					'id'   => $location['id'],
					'name' => is_string( $location['name'] ?? null ) ? $location['name'] : $location['id'],
				);
			}
		}
		return $out;
	}

	/**
	 * A batch-retrieve request.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $id         Request id.
	 * @param array      $body       Its body.
	 */
	private function count_request( Connection $connection, string $id, array $body ): array {
		return array(
			'id'      => $id,
			'url'     => $connection->api_base . '/v2/inventory/counts/batch-retrieve',
			'method'  => 'POST',
			'headers' => $this->headers( $connection ),
			'body'    => (string) wp_json_encode( $body ),
			'retry'   => true, // A read.
		);
	}

	/**
	 * The headers of every request.
	 *
	 * @param Connection $connection The connection.
	 * @return array<string, string>
	 */
	private function headers( Connection $connection ): array {
		$version = $connection->settings['square_version'] ?? self::VERSION;
		return array(
			'Authorization'  => 'Bearer ' . $connection->credential( 'access_token' ),
			'Square-Version' => is_string( $version ) ? $version : self::VERSION,
			'Content-Type'   => 'application/json',
			'Accept'         => 'application/json',
		);
	}

	/**
	 * One change of a batch-create.
	 *
	 * @param array  $change The change.
	 * @param string $now    occurred_at: when the push was first tried (the same in a retry, which Square
	 *                       must see as the same request: its idempotency_key with another body is refused).
	 */
	private static function change( array $change, string $now ): array {
		$delta = (int) $change['delta'];
		if ( null === $change['from'] || 0 === $delta ) {
			return array(
				'type'           => 'PHYSICAL_COUNT',
				'physical_count' => array(
					'reference_id'      => (string) $change['key'],
					'catalog_object_id' => (string) $change['item'],
					'state'             => 'IN_STOCK',
					'location_id'       => (string) $change['location'],
					'quantity'          => (string) max( 0, (int) $change['target'] ),
					'occurred_at'       => $now,
				),
			);
		}
		return array(
			'type'       => 'ADJUSTMENT',
			'adjustment' => array(
				'reference_id'      => (string) $change['key'],
				'from_state'        => $delta < 0 ? 'IN_STOCK' : 'NONE',
				'to_state'          => $delta < 0 ? 'SOLD' : 'IN_STOCK',
				'location_id'       => (string) $change['location'],
				'catalog_object_id' => (string) $change['item'],
				'quantity'          => (string) abs( $delta ),
				'occurred_at'       => $now,
			),
		);
	}

	/**
	 * An observation of an InventoryCount; null for a state other than IN_STOCK; false when malformed.
	 *
	 * @param array $count An InventoryCount.
	 * @return array{item: string, location: string, qty: int, at: int}|null|false
	 */
	private static function count( array $count ): array|null|false {
		$item     = $count['catalog_object_id'] ?? null;
		$location = $count['location_id'] ?? null;
		$qty      = Answers::quantity( $count['quantity'] ?? null );
		$at       = Answers::ms( $count['calculated_at'] ?? null );
		if ( ! is_string( $item ) || '' === $item || ! is_string( $location ) || '' === $location || null === $qty || null === $at || ! is_string( $count['state'] ?? null ) ) {
			return false;
		}
		if ( 'IN_STOCK' !== $count['state'] ) {
			return null;
		}
		return array(
			'item'     => $item,
			'location' => $location,
			'qty'      => $qty,
			'at'       => $at,
		);
	}
}
