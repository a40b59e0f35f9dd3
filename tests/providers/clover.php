<?php
/**
 * A fake Clover REST API for the tests: `OMNISTOCK_FAKE_STATE=<dir> php -d extension=<omnistock.so> -S 127.0.0.1:<port> tests/providers/clover.php`.
 *
 * Authorization: Bearer <config token, default "clover-token">, for the merchant config
 * merchant_id (default "MFAKE"; another merchant's path is 401). GET /v3/merchants/<mId>,
 * GET /v3/merchants/<mId>/items?limit&offset, GET /v3/merchants/<mId>/item_stocks?limit&offset,
 * GET /v3/merchants/<mId>/item_stocks/<itemId> (404 for an item without stock),
 * POST /v3/merchants/<mId>/item_stocks/<itemId> {"quantity"} (absolute; an Idempotency-Key seen
 * before answers its first answer again). Lists answer {"elements", "href"}. Webhooks are
 * Clover's: {"appId", "merchants": {"<mId>": [{"objectId": "I:<itemId>", "type": "UPDATE",
 * "ts"}]}} with X-Clover-Auth (the auth code, config secret), for sales and after each write.
 *
 * @package Omnistock
 */

require __DIR__ . '/lib/Fake.php';

use Omnistock\Tests\Providers\Fake;

function clover_stock( string $item, array $cell ): array {
	return array( 'item' => array( 'id' => $item ), 'stockCount' => $cell['qty'], 'quantity' => (float) $cell['qty'] );
}

Fake::run(
	array(
		'name'    => 'clover',
		'auth'    => static function ( array $request, array $state ): bool {
			$merchant = $state['config']['merchant_id'] ?? 'MFAKE';
			return ( $request['headers']['authorization'] ?? '' ) === 'Bearer ' . ( $state['config']['token'] ?? 'clover-token' )
				&& preg_match( '~^/v3/merchants/([^/]+)~', $request['path'], $m ) && rawurldecode( $m[1] ) === $merchant;
		},
		'api'     => static function ( array $request, array &$state ): array {
			$merchant = $state['config']['merchant_id'] ?? 'MFAKE';
			$base     = '/v3/merchants/' . $merchant;
			$path     = substr( $request['path'], strlen( $base ) );
			$offset   = (int) ( $request['query']['offset'] ?? 0 );
			$limit    = (int) ( $request['query']['limit'] ?? 100 );
			$href     = 'http://' . ( $request['headers']['host'] ?? '127.0.0.1' ) . $request['path'] . '?' . http_build_query( array( 'limit' => $limit, 'offset' => $offset ) );
			if ( 'GET' === $request['method'] && '' === $path ) {
				return array( 'status' => 200, 'body' => array( 'id' => $merchant, 'name' => $state['config']['merchant_name'] ?? 'Fake Clover shop', 'href' => $href ) );
			}
			if ( 'GET' === $request['method'] && '/items' === $path ) {
				$all                 = array_map( static fn( $i ) => array( 'id' => $i['id'], 'name' => $i['name'], 'sku' => $i['sku'], 'price' => 1000, 'hidden' => false ), array_values( $state['items'] ) );
				list( $rows, , $size ) = Fake::page( $all, $offset, $limit, $state );
				return array( 'status' => 200, 'body' => array( 'elements' => $rows, 'href' => str_replace( 'limit=' . $limit, 'limit=' . $size, $href ) ) );
			}
			if ( 'GET' === $request['method'] && '/item_stocks' === $path ) {
				$all = array();
				foreach ( $state['stock'] as $key => $cell ) {
					list( $item, $location ) = explode( "\n", $key );
					if ( $location === $merchant ) {
						$all[] = clover_stock( $item, $cell );
					}
				}
				list( $rows, , $size ) = Fake::page( $all, $offset, $limit, $state );
				return array( 'status' => 200, 'body' => array( 'elements' => $rows, 'href' => str_replace( 'limit=' . $limit, 'limit=' . $size, $href ) ) );
			}
			if ( preg_match( '~^/item_stocks/([^/]+)$~', $path, $m ) ) {
				$item = rawurldecode( $m[1] );
				if ( 'GET' === $request['method'] ) {
					$cell = Fake::count( $state, $item, $merchant );
					return null === $cell ? array( 'status' => 404, 'body' => array( 'message' => 'Not Found' ) ) : array( 'status' => 200, 'body' => clover_stock( $item, $cell ) );
				}
				if ( 'POST' === $request['method'] ) {
					$key = $request['headers']['idempotency-key'] ?? '';
					if ( '' !== $key && isset( $state['idempotency'][ $key ] ) ) {
						return $state['idempotency'][ $key ];
					}
					$body = json_decode( $request['body'], true );
					if ( ! is_array( $body ) || ! is_numeric( $body['quantity'] ?? null ) ) {
						return array( 'status' => 400, 'body' => array( 'message' => 'quantity is required' ) );
					}
					if ( ! isset( $state['items'][ $item ] ) ) {
						return array( 'status' => 404, 'body' => array( 'message' => 'Item not found' ) );
					}
					$cell   = Fake::set_count( $state, $item, $merchant, (int) floor( (float) $body['quantity'] ) );
					$answer = array( 'status' => 200, 'body' => clover_stock( $item, $cell ) );
					if ( '' !== $key ) {
						$state['idempotency'][ $key ] = $answer;
					}
					return $answer + array( 'echo' => array( $cell ) );
				}
			}
			return array( 'status' => 404, 'body' => array( 'message' => 'Not Found' ) );
		},
		'webhook' => static function ( array $cells, array $state ): array {
			$merchants = array();
			foreach ( $cells as $cell ) {
				$merchants[ $cell['location'] ][] = array( 'objectId' => 'I:' . $cell['item'], 'type' => 'UPDATE', 'ts' => $cell['at'] );
			}
			$body = json_encode( array( 'appId' => $state['config']['app_id'] ?? 'APPFAKE', 'merchants' => $merchants ), JSON_UNESCAPED_SLASHES );
			return array(
				array(
					'body'    => $body,
					'headers' => \Omnistock\Webhook::sign( 'clover', $body, (string) ( $state['config']['secret'] ?? 'clover-auth-code' ) ),
				),
			);
		},
	)
);
