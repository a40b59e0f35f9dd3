<?php
/**
 * Until the Standard provider (Connectors\Providers\Standard, the inbound branch's) is merged: its
 * outbound part as the Standard stock API documents it (tests/providers/standard-out.php speaks
 * it), so that the outbox and the sync runner are tested over real HTTP. Loaded only when the
 * plugin has no Standard provider of its own: once it has, this file declares nothing.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors\Providers;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;
use Omnistock\Unavailable;

if ( ! class_exists( Standard::class ) ) {
	// phpcs:ignore Generic.Files.OneObjectStructurePerFile.MultipleFound
	final class Standard implements Provider {

		public function name(): string {
			return 'standard';
		}

		public function scheme(): string {
			return 'standard';
		}

		public function verify_options( string $webhook_url ): array {
			return array();
		}

		public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string {
			return $verified_id;
		}

		public function topic( array $headers, array $payload ): string {
			return (string) ( $payload['type'] ?? '' );
		}

		public function observations( array $headers, array $payload ): array {
			return array();
		}

		public function limits(): array {
			// Tests narrow them to see batching and pacing (this file is a test's stand-in).
			return apply_filters(
				'omnistock_test_standard_limits',
				array(
					'batch'       => 100,
					'concurrency' => 4,
					'per_second'  => 0.0,
				)
			);
		}

		private function headers( Connection $connection ): array {
			return array(
				'Authorization' => 'Bearer ' . $connection->credential( 'token' ),
				'Content-Type'  => 'application/json',
				'Accept'        => 'application/json',
			);
		}

		public function push_requests( Connection $connection, array $changes ): array {
			$keys = array_column( $changes, 'key' );
			$body = array();
			foreach ( $changes as $change ) {
				$body[] = array(
					'key'      => $change['key'],
					'item'     => $change['item'],
					'location' => $change['location'],
					'delta'    => $change['delta'],
					'target'   => $change['target'],
					'from'     => $change['from'],
				);
			}
			return array(
				array(
					'request' => array(
						'id'      => 'changes-' . substr( hash( 'sha256', implode( ',', $keys ) ), 0, 16 ),
						'url'     => $connection->api_base . '/stock/changes',
						'method'  => 'POST',
						'headers' => $this->headers( $connection ) + array( 'Idempotency-Key' => hash( 'sha256', implode( ',', $keys ) ) ),
						'body'    => (string) json_encode( array( 'changes' => $body ) ),
					),
					'changes' => $keys,
				),
			);
		}

		public function push_outcomes( Connection $connection, array $changes, array $result ): array {
			$status = (int) $result['status'];
			$out    = array();
			$body   = 200 === $status ? json_decode( (string) $result['body'], true ) : null;
			$by_key = array();
			foreach ( ( is_array( $body ) ? $body['results'] ?? array() : array() ) as $r ) {
				if ( is_array( $r ) && isset( $r['key'] ) ) {
					$by_key[ (string) $r['key'] ] = $r;
				}
			}
			$retry = isset( $result['headers']['retry-after'] ) && ctype_digit( (string) $result['headers']['retry-after'] ) ? 1000 * (int) $result['headers']['retry-after'] : null;
			foreach ( $changes as $change ) {
				$r = $by_key[ $change['key'] ] ?? null;
				if ( is_array( $r ) && ! empty( $r['ok'] ) ) {
					$out[ $change['key'] ] = array(
						'ok'             => true,
						'observed'       => isset( $r['quantity'], $r['at'] ) ? array( 'qty' => (int) $r['quantity'], 'at' => (int) $r['at'] ) : null,
						'retry_after_ms' => null,
						'error'          => null,
						'permanent'      => false,
					);
					continue;
				}
				$out[ $change['key'] ] = array(
					'ok'             => false,
					'observed'       => null,
					'retry_after_ms' => $retry,
					'error'          => 0 === $status ? (string) $result['error'] : 'HTTP ' . $status,
					'permanent'      => $status >= 400 && $status < 500 && ! in_array( $status, array( 408, 409, 429 ), true ),
				);
			}
			return $out;
		}

		public function count_requests( Connection $connection, array $items, array $locations ): array {
			return array(
				array(
					'id'      => 'counts',
					'url'     => $connection->api_base . '/stock/counts?items=' . rawurlencode( implode( ',', $items ) ) . '&locations=' . rawurlencode( implode( ',', $locations ) ),
					'method'  => 'GET',
					'headers' => $this->headers( $connection ),
				),
			);
		}

		public function counts( Connection $connection, array $request, array $result ): array {
			$body = json_decode( (string) $result['body'], true );
			if ( 200 !== (int) $result['status'] || ! is_array( $body ) ) {
				throw new Unavailable( 'omnistock_provider_failed', 'the register did not answer', true );
			}
			$counts = array();
			foreach ( $body['counts'] ?? array() as $c ) {
				$counts[] = array( 'item' => (string) $c['item'], 'location' => (string) $c['location'], 'qty' => (int) $c['quantity'], 'at' => (int) $c['at'] );
			}
			return array( 'counts' => $counts, 'next' => null );
		}

		public function catalogue_request( Connection $connection, ?string $cursor ): array {
			return array( 'id' => 'items', 'url' => $connection->api_base . '/items', 'method' => 'GET', 'headers' => $this->headers( $connection ) );
		}

		public function catalogue( Connection $connection, array $result ): array {
			return array( 'items' => array(), 'cursor' => null );
		}

		public function locations_request( Connection $connection ): array {
			return array( 'id' => 'locations', 'url' => $connection->api_base . '/locations', 'method' => 'GET', 'headers' => $this->headers( $connection ) );
		}

		public function locations( Connection $connection, array $result ): array {
			return array();
		}
	}
}
