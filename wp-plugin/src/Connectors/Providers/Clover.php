<?php
/**
 * Clover: its REST API's item stocks, items and merchant, and its webhooks, which name the items
 * that changed without their counts.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\BadInput;
use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;
use Omnistock\Connectors\Rereading;

defined( 'ABSPATH' ) || exit;

/**
 * Items are Clover item ids; a merchant is one location, so the location id is the merchant id
 * (mId). Credentials: access_token (Authorization: Bearer). Clover's counts carry no time, so
 * every number read from Clover (a stock read, a write's answer) is dated when we read it, by our
 * clock: reads of one connection are serialised (Connectors\Sync), so they are in order.
 *
 * A push is POST /v3/merchants/<mId>/item_stocks/<itemId> {"quantity": target}: Clover takes
 * absolute quantities only, one item per request, at most 16 requests a second and 5 at once. It
 * has no compare and set: a register sale between our last read and the write is overwritten (the
 * write's answer shows only our number), which reconciliation cannot see either; keep Clover
 * pushes few (the outbox coalesces them).
 *
 * Webhooks (X-Clover-Auth: the app's auth code) say {"appId", "merchants": {"<mId>": [{"objectId":
 * "I:<itemId>", "type": "UPDATE", "ts": ms}]}}: observations() is always empty; reread() lists the
 * cells to read back (see Rereading).
 */
final class Clover implements Provider, Rereading {

	/** Items per item_stocks page (Clover's maximum limit is 1000). */
	private const PAGE = 1000;

	/** Up to this many items are read one by one (GET item_stocks/<id>), more by listing the merchant's. */
	private const SINGLE_READS = 10;

	/**
	 * The provider's name.
	 */
	public function name(): string {
		return 'clover';
	}

	/**
	 * X-Clover-Auth.
	 */
	public function scheme(): string {
		return 'clover';
	}

	/**
	 * Nothing beyond the auth code.
	 *
	 * @param string $webhook_url Unused.
	 */
	public function verify_options( string $webhook_url ): array {
		return array();
	}

	/**
	 * Clover's notifications have no id: the inbox uses the body's hash (a repeated delivery is the
	 * same body).
	 *
	 * @param array<string, string> $headers     Headers.
	 * @param array                 $payload     Body.
	 * @param ?string               $verified_id Always null for clover.
	 */
	public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string {
		return null;
	}

	/**
	 * "verification" for the endpoint check, else the kinds of the changes ("I:UPDATE", ...).
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 */
	public function topic( array $headers, array $payload ): string {
		if ( isset( $payload['verificationCode'] ) ) {
			return 'verification';
		}
		$kinds = array();
		foreach ( is_array( $payload['merchants'] ?? null ) ? $payload['merchants'] : array() as $updates ) {
			foreach ( is_array( $updates ) ? $updates : array() as $update ) {
				$object = is_string( $update['objectId'] ?? null ) ? $update['objectId'] : '';
				$kinds[ strtok( $object, ':' ) . ':' . ( is_string( $update['type'] ?? null ) ? $update['type'] : '' ) ] = true;
			}
		}
		return substr( implode( ',', array_keys( $kinds ) ), 0, 100 );
	}

	/**
	 * None: Clover does not say the count (see reread()).
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 */
	public function observations( array $headers, array $payload ): array {
		return array();
	}

	/**
	 * The items created or updated, at their merchant, in the order of the delivery.
	 *
	 * @param array<string, string> $headers Headers.
	 * @param array                 $payload Body.
	 * @throws BadInput When the delivery is not what Clover documents.
	 */
	public function reread( array $headers, array $payload ): array {
		if ( isset( $payload['verificationCode'] ) ) {
			return array();
		}
		if ( ! is_array( $payload['merchants'] ?? null ) ) {
			throw new BadInput( 'merchants', __( 'must be an object of merchant ids', 'omnistock' ) );
		}
		$out  = array();
		$seen = array();
		foreach ( $payload['merchants'] as $merchant => $updates ) {
			if ( ! is_array( $updates ) ) {
				throw new BadInput( "merchants.$merchant", __( 'must be a list of updates', 'omnistock' ) );
			}
			foreach ( $updates as $i => $update ) {
				$object = is_array( $update ) ? ( $update['objectId'] ?? null ) : null;
				if ( ! is_string( $object ) || ! str_contains( $object, ':' ) ) {
					throw new BadInput( "merchants.$merchant.$i.objectId", __( 'must be "<kind>:<id>"', 'omnistock' ) );
				}
				list( $kind, $id ) = explode( ':', $object, 2 );
				if ( 'I' !== $kind || '' === $id || ! in_array( $update['type'] ?? null, array( 'CREATE', 'UPDATE' ), true ) ) {
					continue;
				}
				if ( ! isset( $seen[ "$merchant\n$id" ] ) ) {
					$seen[ "$merchant\n$id" ] = true;
					$out[]                    = array(
						'item'     => $id,
						'location' => (string) $merchant,
					);
				}
			}
		}
		return $out;
	}

	/**
	 * One item per request, 5 at once, 16 a second (Clover's limits per token).
	 */
	public function limits(): array {
		return array(
			'batch'       => 1,
			'concurrency' => 5,
			'per_second'  => 16.0,
		);
	}

	/**
	 * POST item_stocks/<itemId> {"quantity"} per change, with its key as Idempotency-Key.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    Changes.
	 */
	public function push_requests( Connection $connection, array $changes ): array {
		$out = array();
		foreach ( $changes as $change ) {
			$out[] = array(
				'request' => array(
					'id'      => (string) $change['key'],
					'url'     => $this->merchant_url( $connection, (string) $change['location'] ) . '/item_stocks/' . rawurlencode( (string) $change['item'] ),
					'method'  => 'POST',
					'headers' => $this->headers( $connection ) + array( 'Idempotency-Key' => (string) $change['key'] ),
					'body'    => (string) wp_json_encode( array( 'quantity' => max( 0, (int) $change['target'] ) ) ),
				),
				'changes' => array( (string) $change['key'] ),
			);
		}
		return $out;
	}

	/**
	 * 200: the item stock as it is now (quantity), dated now.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    The change the request carried.
	 * @param array       $result     Its Omnistock\Push result.
	 */
	public function push_outcomes( Connection $connection, array $changes, array $result ): array {
		$status = (int) ( $result['status'] ?? 0 );
		$data   = Answers::json( (string) ( $result['body'] ?? '' ) );
		$out    = array();
		foreach ( $changes as $change ) {
			if ( 200 !== $status || null === $data ) {
				$out[ (string) $change['key'] ] = Answers::failed( $result );
				continue;
			}
			$qty                            = Answers::quantity( $data['quantity'] ?? $data['stockCount'] ?? null );
			$out[ (string) $change['key'] ] = array(
				'ok'             => true,
				'observed'       => null === $qty ? null : array(
					'qty' => $qty,
					'at'  => Answers::now_ms(),
				),
				'retry_after_ms' => null,
				'error'          => null,
				'permanent'      => false,
			);
		}
		return $out;
	}

	/**
	 * A few items: GET item_stocks/<id> each; more: the merchant's item_stocks, paged.
	 *
	 * @param Connection $connection The connection.
	 * @param string[]   $items      Item ids.
	 * @param string[]   $locations  Merchant ids.
	 */
	public function count_requests( Connection $connection, array $items, array $locations ): array {
		$items = array_values( array_unique( array_map( 'strval', $items ) ) );
		$out   = array();
		foreach ( array_values( array_unique( array_map( 'strval', $locations ) ) ) as $m => $merchant ) {
			if ( count( $items ) <= self::SINGLE_READS ) {
				foreach ( $items as $n => $item ) {
					$out[] = array(
						'id'      => "clover-stock-$m-$n",
						'url'     => $this->merchant_url( $connection, $merchant ) . '/item_stocks/' . rawurlencode( $item ),
						'method'  => 'GET',
						'headers' => $this->headers( $connection ),
					);
				}
			} else {
				$out[] = $this->stocks_page( $connection, "clover-stocks-$m", $merchant, 0 );
			}
		}
		return $out;
	}

	/**
	 * The item stocks of an answer (one, or a page of elements), and the next page's request.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $request    The request.
	 * @param array      $result     Its result.
	 * @throws \Omnistock\Unavailable When the read failed.
	 */
	public function counts( Connection $connection, array $request, array $result ): array {
		if ( 404 === (int) ( $result['status'] ?? 0 ) && ! str_contains( (string) $request['url'], '?' ) ) {
			return array(
				'counts' => array(),
				'next'   => null,
			); // The item keeps no stock: nothing to observe.
		}
		$data     = Answers::read( $result, 'Clover' );
		$merchant = preg_match( '~/v3/merchants/([^/?]+)/~', (string) $request['url'], $m ) ? rawurldecode( $m[1] ) : '';
		$now      = Answers::now_ms();
		$list     = isset( $data['elements'] );
		$counts   = array();
		foreach ( $list ? (array) $data['elements'] : array( $data ) as $stock ) {
			$item = is_array( $stock ) ? ( $stock['item']['id'] ?? null ) : null;
			$qty  = is_array( $stock ) ? Answers::quantity( $stock['quantity'] ?? $stock['stockCount'] ?? null ) : null;
			if ( is_string( $item ) && '' !== $item && null !== $qty && '' !== $merchant ) {
				$counts[] = array(
					'item'     => $item,
					'location' => $merchant,
					'qty'      => $qty,
					'at'       => $now,
				);
			}
		}
		$next = null;
		// A full page may have a next one; the page's href says the limit Clover applied.
		$page = is_string( $data['href'] ?? null ) && str_contains( $data['href'], 'limit=' ) ? $data['href'] : (string) $request['url'];
		if ( $list && count( (array) $data['elements'] ) > 0 && count( (array) $data['elements'] ) >= self::limit_of( $page ) ) {
			$next = $this->stocks_page( $connection, $request['id'] . '+', $merchant, self::offset_of( (string) $request['url'] ) + count( (array) $data['elements'] ) );
		}
		return array(
			'counts' => $counts,
			'next'   => $next,
		);
	}

	/**
	 * GET /v3/merchants/<mId>/items, paged by offset (the cursor).
	 *
	 * @param Connection  $connection The connection.
	 * @param string|null $cursor     The offset of the page.
	 */
	public function catalogue_request( Connection $connection, ?string $cursor ): array {
		return array(
			'id'      => 'clover-items',
			'url'     => $this->merchant_url( $connection, $connection->credential( 'merchant_id' ) ) . '/items?' . http_build_query(
				array(
					'limit'  => self::PAGE,
					'offset' => null !== $cursor && ctype_digit( $cursor ) ? (int) $cursor : 0,
				)
			),
			'method'  => 'GET',
			'headers' => $this->headers( $connection ),
		);
	}

	/**
	 * The items of a page: id, sku, name; the next offset while pages are full (read from the
	 * page's href, the address Clover answers with).
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function catalogue( Connection $connection, array $result ): array {
		$data     = Answers::read( $result, 'Clover' );
		$elements = is_array( $data['elements'] ?? null ) ? $data['elements'] : array();
		$items    = array();
		foreach ( $elements as $item ) {
			if ( is_array( $item ) && is_string( $item['id'] ?? null ) ) {
				$items[] = array(
					'id'   => $item['id'],
					'sku'  => is_string( $item['sku'] ?? null ) ? $item['sku'] : '',
					'name' => is_string( $item['name'] ?? null ) ? $item['name'] : '',
				);
			}
		}
		// The page's own address (Clover's href) says its offset; without it, one page is all we can trust.
		$url = is_string( $data['href'] ?? null ) ? $data['href'] : '';
		return array(
			'items'  => $items,
			'cursor' => '' !== $url && count( $elements ) >= self::limit_of( $url ) ? (string) ( self::offset_of( $url ) + count( $elements ) ) : null,
		);
	}

	/**
	 * GET /v3/merchants/<mId>: the one location.
	 *
	 * @param Connection $connection The connection.
	 */
	public function locations_request( Connection $connection ): array {
		return array(
			'id'      => 'clover-merchant',
			'url'     => $this->merchant_url( $connection, $connection->credential( 'merchant_id' ) ),
			'method'  => 'GET',
			'headers' => $this->headers( $connection ),
		);
	}

	/**
	 * The merchant as a location.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The result.
	 */
	public function locations( Connection $connection, array $result ): array {
		$data = Answers::read( $result, 'Clover' );
		$id   = is_string( $data['id'] ?? null ) ? $data['id'] : $connection->credential( 'merchant_id' );
		return array(
			array(
				'id'   => $id,
				'name' => is_string( $data['name'] ?? null ) ? $data['name'] : $id,
			),
		);
	}

	/**
	 * A page of the merchant's item stocks.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $id         Request id.
	 * @param string     $merchant   Merchant id.
	 * @param int        $offset     Offset.
	 */
	private function stocks_page( Connection $connection, string $id, string $merchant, int $offset ): array {
		return array(
			'id'      => $id,
			'url'     => $this->merchant_url( $connection, $merchant ) . '/item_stocks?' . http_build_query(
				array(
					'limit'  => self::PAGE,
					'offset' => $offset,
				)
			),
			'method'  => 'GET',
			'headers' => $this->headers( $connection ),
		);
	}

	/**
	 * {api_base}/v3/merchants/<mId>.
	 *
	 * @param Connection $connection The connection.
	 * @param string     $merchant   Merchant id.
	 */
	private function merchant_url( Connection $connection, string $merchant ): string {
		return $connection->api_base . '/v3/merchants/' . rawurlencode( '' !== $merchant ? $merchant : $connection->credential( 'merchant_id' ) );
	}

	/**
	 * Headers of every request.
	 *
	 * @param Connection $connection The connection.
	 * @return array<string, string>
	 */
	private function headers( Connection $connection ): array {
		return array(
			'Authorization' => 'Bearer ' . $connection->credential( 'access_token' ),
			'Content-Type'  => 'application/json',
			'Accept'        => 'application/json',
		);
	}

	/**
	 * The limit query parameter of a URL (self::PAGE when absent).
	 *
	 * @param string $url URL.
	 */
	private static function limit_of( string $url ): int {
		parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $query );
		return isset( $query['limit'] ) && is_string( $query['limit'] ) && ctype_digit( $query['limit'] ) && (int) $query['limit'] > 0 ? (int) $query['limit'] : self::PAGE;
	}

	/**
	 * The offset query parameter of a URL (0 when absent).
	 *
	 * @param string $url URL.
	 */
	private static function offset_of( string $url ): int {
		parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $query );
		return isset( $query['offset'] ) && is_string( $query['offset'] ) && ctype_digit( $query['offset'] ) ? (int) $query['offset'] : 0;
	}
}
