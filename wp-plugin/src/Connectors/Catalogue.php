<?php
/**
 * Reads a provider's catalogue and locations through its API, for mapping.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Pages through the provider's catalogue with Omnistock\Push (one request at a time: each page names the next).
 */
final class Catalogue {

	/** Pages read at most (a catalogue beyond 200 pages is mapped through the REST API in parts). */
	private const MAX_PAGES = 200;

	/**
	 * Every item of the provider's catalogue.
	 *
	 * @param Connection $connection The connection.
	 * @return list<array{id: string, sku: string, name: string}>
	 * @throws Unavailable When the provider cannot be read.
	 */
	public function items( Connection $connection ): array {
		$provider = Providers::get( $connection->provider );
		$push     = new \Omnistock\Push( array( 'retries' => 2 ) );
		$items    = array();
		$cursor   = null;
		for ( $page = 0; $page < self::MAX_PAGES; $page++ ) {
			$request = $provider->catalogue_request( $connection, $cursor );
			$result  = self::one( $push, $request );
			$read    = $provider->catalogue( $connection, $result );
			array_push( $items, ...$read['items'] );
			$cursor = $read['cursor'];
			if ( null === $cursor || '' === $cursor ) {
				break;
			}
		}
		return $items;
	}

	/**
	 * The provider's locations.
	 *
	 * @param Connection $connection The connection.
	 * @return list<array{id: string, name: string}>
	 * @throws Unavailable When the provider cannot be read.
	 */
	public function locations( Connection $connection ): array {
		$provider = Providers::get( $connection->provider );
		$request  = $provider->locations_request( $connection );
		return $provider->locations( $connection, self::one( new \Omnistock\Push( array( 'retries' => 2 ) ), $request ) );
	}

	/**
	 * Sends one request and returns its result.
	 *
	 * @param \Omnistock\Push $push    The sender.
	 * @param array           $request The request.
	 * @return array The result.
	 * @throws Unavailable When nothing complete came back.
	 */
	private static function one( \Omnistock\Push $push, array $request ): array {
		$request['id'] = (string) ( $request['id'] ?? 'read' );
		$results       = $push->send( array( $request ) );
		$result        = $results[ $request['id'] ];
		if ( null !== $result['error'] ) {
			/* translators: %s: the transport error */
			throw new Unavailable( 'omnistock_provider_unreachable', sprintf( __( 'The provider could not be reached: %s', 'omnistock' ), $result['error'] ), true );
		}
		return $result;
	}
}
