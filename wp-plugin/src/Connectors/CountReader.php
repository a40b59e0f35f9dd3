<?php
/**
 * Reads a register's counts through its provider, page after page.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Push;
use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Sends a provider's count_requests() with Omnistock\Push and follows each answer's next page
 * until none is left: what Reconciler reads, and what Inbox reads for a Rereading provider.
 */
final class CountReader {

	/** A guard against a provider that pages forever. */
	private const MAX_PAGES = 10000;

	/**
	 * Takes the HTTP client (a new one with the defaults when none is given).
	 *
	 * @param Push|null $push Omnistock\Push.
	 */
	public function __construct( private readonly ?Push $push = null ) {
	}

	/**
	 * The register's counts of these items at these locations (it may also give other items' counts:
	 * callers map each to a cell and ignore the unmapped).
	 *
	 * @param Connection $connection The connection.
	 * @param Provider   $provider   Its provider.
	 * @param string[]   $items      The provider's item ids.
	 * @param string[]   $locations  The provider's location ids.
	 * @return list<array{item: string, location: string, qty: int, at: int}>
	 * @throws Unavailable When a read fails.
	 */
	public function read( Connection $connection, Provider $provider, array $items, array $locations ): array {
		if ( ! $items || ! $locations ) {
			return array();
		}
		$limits  = $provider->limits();
		$push    = $this->push ?? new Push(
			array(
				'concurrency' => max( 1, min( 16, (int) $limits['concurrency'] ) ),
				'timeout_ms'  => 20000,
			)
		);
		$pending = $provider->count_requests( $connection, array_values( $items ), array_values( $locations ) );
		$counts  = array();
		$pages   = 0;
		$next_at = 0.0;
		while ( $pending ) {
			$wave = array_splice( $pending, 0, max( 1, (int) $limits['concurrency'] ) );
			// At most per_second requests a second (Clover's 16): a wave of n waits n / per_second after the last.
			$wait = $next_at - microtime( true );
			if ( $wait > 0 ) {
				usleep( (int) ( $wait * 1000000 ) );
			}
			$next_at = $limits['per_second'] > 0 ? microtime( true ) + count( $wave ) / $limits['per_second'] : 0.0;
			$results = $push->send( $wave );
			foreach ( $wave as $request ) {
				$page = $provider->counts( $connection, $request, $results[ (string) $request['id'] ] ?? array() );
				array_push( $counts, ...$page['counts'] );
				if ( null !== $page['next'] ) {
					if ( ++$pages > self::MAX_PAGES ) {
						throw new Unavailable( 'omnistock_provider_pages', __( 'The provider kept giving further pages of counts.', 'omnistock' ), true );
					}
					$pending[] = $page['next'];
				}
			}
		}
		return $counts;
	}

	/**
	 * What a verified delivery says the register shows, for any provider: its observations(), or,
	 * for a Rereading provider (Clover), the counts read back now of the cells it names, in the
	 * order it names them (cells the read does not find are left out).
	 *
	 * @param Connection            $connection The connection.
	 * @param Provider              $provider   Its provider.
	 * @param array<string, string> $headers    Lower-case names.
	 * @param array                 $payload    The decoded JSON body.
	 * @return list<array{item: string, location: string, qty: int, at: int}>
	 * @throws \Omnistock\BadInput When the delivery is not what the provider documents.
	 * @throws Unavailable When the read back fails (keep the delivery and try again).
	 */
	public function observations( Connection $connection, Provider $provider, array $headers, array $payload ): array {
		if ( ! $provider instanceof Rereading ) {
			return $provider->observations( $headers, $payload );
		}
		$cells = $provider->reread( $headers, $payload );
		if ( ! $cells ) {
			return array();
		}
		$read = array();
		foreach ( $this->read( $connection, $provider, array_unique( array_column( $cells, 'item' ) ), array_unique( array_column( $cells, 'location' ) ) ) as $count ) {
			$read[ $count['item'] . "\n" . $count['location'] ] = $count;
		}
		$out = array();
		foreach ( $cells as $cell ) {
			if ( isset( $read[ $cell['item'] . "\n" . $cell['location'] ] ) ) {
				$out[] = $read[ $cell['item'] . "\n" . $cell['location'] ];
			}
		}
		return $out;
	}
}
