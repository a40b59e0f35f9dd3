<?php
/**
 * Providers\Square against the fake Square over real HTTP: what it sends is what Square documents
 * and the fake accepts, what it reads of the answers, the webhooks, 429.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\CountReader;
use Omnistock\Connectors\Providers\Square;
use Omnistock\SignatureException;
use Omnistock\Webhook;

require_once __DIR__ . '/lib/ConnectorProvidersCase.php';

final class ConnectorProvidersSquareTest extends ConnectorProvidersCase {

	private const SECRET = 'square-signature-key-test';

	protected static function provider_name(): string {
		return 'square';
	}

	protected static function port_offset(): int {
		return 0;
	}

	protected function fake_config(): array {
		return array(
			'token'  => 'sq-token',
			'secret' => self::SECRET,
		);
	}

	private function connection( string $token = 'sq-token' ): Connection {
		return new Connection( 7, 'square', 'Register', static::$fake->url(), array( 'access_token' => $token ), self::SECRET );
	}

	public function test_a_push_of_150_changes_is_two_batches_of_square_changes_with_keys_and_reference_ids(): void {
		$changes = array();
		for ( $i = 0; $i < 150; $i++ ) {
			static::$fake->stock( "V$i", 'L1', 10 );
			// A third sold here (fewer), a third received (more), a third pushed first (the register's number unknown).
			$changes[] = match ( $i % 3 ) {
				0 => self::change( "omnistock-7-$i-1-1", "V$i", 'L1', 8, 10 ),
				1 => self::change( "omnistock-7-$i-1-1", "V$i", 'L1', 13, 10, true ),
				2 => self::change( "omnistock-7-$i-1-1", "V$i", 'L1', 4, null, true ),
			};
		}
		$square   = new Square();
		$outcomes = $this->push( $square, $this->connection(), $changes );

		$batches = self::requests_to( '~^/v2/inventory/changes/batch-create$~' );
		$this->assertCount( 2, $batches, '150 changes are two batch-creates' );
		$keys = array();
		$seen = array();
		foreach ( $batches as $batch ) {
			$this->assertSame( 'Bearer sq-token', $batch['headers']['authorization'] );
			$this->assertNotEmpty( $batch['headers']['square-version'] );
			$body   = json_decode( $batch['body'], true );
			$keys[] = $body['idempotency_key'];
			$this->assertLessThanOrEqual( 100, count( $body['changes'] ), 'Square takes at most 100 changes' );
			foreach ( $body['changes'] as $change ) {
				$detail = $change['adjustment'] ?? $change['physical_count'];
				$seen[ $detail['reference_id'] ] = $change;
			}
		}
		$this->assertCount( 2, array_unique( $keys ), 'each batch has its own idempotency key' );
		$this->assertCount( 150, $seen, 'every change carries its key as reference_id' );
		$this->assertSame( array( 'from_state' => 'IN_STOCK', 'to_state' => 'SOLD', 'quantity' => '2' ), array_intersect_key( $seen['omnistock-7-0-1-1']['adjustment'], array_flip( array( 'from_state', 'to_state', 'quantity' ) ) ) );
		$this->assertSame( array( 'from_state' => 'NONE', 'to_state' => 'IN_STOCK', 'quantity' => '3' ), array_intersect_key( $seen['omnistock-7-1-1-1']['adjustment'], array_flip( array( 'from_state', 'to_state', 'quantity' ) ) ), 'Square has no compare and set: where we are the system of record, still an adjustment' );
		$this->assertSame( 'PHYSICAL_COUNT', $seen['omnistock-7-2-1-1']['type'] );
		$this->assertSame( '4', $seen['omnistock-7-2-1-1']['physical_count']['quantity'] );

		$counts = static::$fake->counts();
		foreach ( $changes as $i => $change ) {
			$outcome = $outcomes[ $change['key'] ];
			$this->assertTrue( $outcome['ok'], "change $i" );
			$this->assertSame( $change['target'], $counts[ "V$i\nL1" ]['qty'], "the register shows our number for V$i" );
			$this->assertSame( array( 'qty' => $change['target'], 'at' => $counts[ "V$i\nL1" ]['at'] ), $outcome['observed'], "the answer's count of V$i (quantity at calculated_at)" );
		}

		// A retry of the same batch (same idempotency key) changes nothing at Square.
		$again = $square->push_requests( $this->connection(), array_slice( $changes, 0, 100 ) );
		$this->send( array( $again[0]['request'] ) );
		$this->assertSame( $counts, static::$fake->counts(), 'the same batch again is answered from its key' );
		$this->assertContains( json_decode( $again[0]['request']['body'], true )['idempotency_key'], $keys, 'the same changes, the same key (the two batches went at once, in either order)' );
	}

	public function test_429_gives_retry_after_and_failures_say_whether_a_retry_may_cure_them(): void {
		static::$fake->stock( 'V1', 'L1', 5 );
		$change = array( self::change( 'omnistock-7-1-1-2', 'V1', 'L1', 4, 5 ) );
		$square = new Square();

		static::$fake->config( array( 'rate429' => array( 'count' => 1, 'retry_after' => 3 ) ) );
		$outcome = $this->push( $square, $this->connection(), $change )['omnistock-7-1-1-2'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertSame( 3000, $outcome['retry_after_ms'], 'Retry-After: 3' );
		$this->assertFalse( $outcome['permanent'] );

		static::$fake->config( array( 'fail' => 1 ) );
		$outcome = $this->push( $square, $this->connection(), $change )['omnistock-7-1-1-2'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertFalse( $outcome['permanent'], 'a 500 may pass' );

		$outcome = $this->push( $square, $this->connection( 'wrong' ), $change )['omnistock-7-1-1-2'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertTrue( $outcome['permanent'], 'a 401 will not' );
		$this->assertSame( 5, static::$fake->counts()["V1\nL1"]['qty'], 'nothing took' );

		$outcome = $this->push( $square, $this->connection(), $change )['omnistock-7-1-1-2'];
		$this->assertTrue( $outcome['ok'] );
		$this->assertSame( 4, $outcome['observed']['qty'] );
	}

	public function test_counts_catalogue_and_locations_are_read_page_by_page(): void {
		static::$fake->config( array( 'page_size' => 2 ) );
		foreach ( array( 'A' => 3, 'B' => 0, 'C' => 9, 'D' => 1, 'E' => 4 ) as $item => $qty ) {
			static::$fake->stock( "V$item", 'L1', $qty, "SKU-$item", "Mug $item" );
		}
		static::$fake->stock( 'VZ', 'L2', 99, 'SKU-Z' );
		$counts = ( new CountReader() )->read( $this->connection(), new Square(), array( 'VA', 'VB', 'VC', 'VD', 'VE' ), array( 'L1' ) );
		$stock  = static::$fake->counts();
		$got    = array();
		foreach ( $counts as $count ) {
			$got[ $count['item'] ] = array( $count['qty'], $count['at'] );
		}
		ksort( $got );
		$this->assertSame(
			array(
				'VA' => array( 3, $stock["VA\nL1"]['at'] ),
				'VB' => array( 0, $stock["VB\nL1"]['at'] ),
				'VC' => array( 9, $stock["VC\nL1"]['at'] ),
				'VD' => array( 1, $stock["VD\nL1"]['at'] ),
				'VE' => array( 4, $stock["VE\nL1"]['at'] ),
			),
			$got,
			'every count of the five, at its calculated_at, L2 not asked'
		);
		$reads = self::requests_to( '~/counts/batch-retrieve$~' );
		$this->assertCount( 3, $reads, 'three pages of two' );
		$this->assertArrayNotHasKey( 'cursor', json_decode( $reads[0]['body'], true ) );
		$this->assertNotEmpty( json_decode( $reads[2]['body'], true )['cursor'] );

		$square = new Square();
		$items  = array();
		$cursor = null;
		$pages  = 0;
		do {
			$page   = $square->catalogue( $this->connection(), $this->send( array( $square->catalogue_request( $this->connection(), $cursor ) ) )['square-catalogue'] );
			$items  = array_merge( $items, $page['items'] );
			$cursor = $page['cursor'];
			++$pages;
		} while ( null !== $cursor && $pages < 10 );
		$this->assertSame( 3, $pages );
		$this->assertSame( array( 'VA' => 'SKU-A', 'VB' => 'SKU-B', 'VC' => 'SKU-C', 'VD' => 'SKU-D', 'VE' => 'SKU-E', 'VZ' => 'SKU-Z' ), array_column( $items, 'sku', 'id' ) );

		$locations = $square->locations( $this->connection(), $this->send( array( $square->locations_request( $this->connection() ) ) )['square-locations'] );
		$this->assertSame( array( 'L1', 'L2' ), array_column( $locations, 'id' ) );
	}

	public function test_its_webhooks_verify_under_the_square_scheme_and_say_the_count_and_its_time(): void {
		static::$fake->stock( 'V1', 'L1', 10 );
		$square = new Square();
		$sale   = static::$fake->sale( 'V1', 'L1', 2 );
		$this->assertSame( 200, $sale['deliveries'][0]['status'], 'the webhook reached the receiver' );
		list( $headers, $body, $payload ) = self::delivery( $sale['deliveries'][0] );

		$verified = Webhook::verify( $square->scheme(), $headers, $body, array( self::SECRET ), $square->verify_options( $this->hook_url() ) );
		$this->assertSame( $payload['event_id'], $verified->id );
		$this->assertSame( $payload['event_id'], $square->delivery_id( $headers, $payload, $verified->id ) );
		$this->assertSame( 'inventory.count.updated', $square->topic( $headers, $payload ) );
		$at = static::$fake->counts()["V1\nL1"]['at'];
		$this->assertSame(
			array(
				array(
					'item'     => 'V1',
					'location' => 'L1',
					'qty'      => 8,
					'at'       => $at,
				),
			),
			$square->observations( $headers, $payload )
		);
		$this->assertSame( $square->observations( $headers, $payload ), ( new CountReader() )->observations( $this->connection(), $square, $headers, $payload ), 'a provider that says its counts is not read back' );
		$this->assertSame( array(), self::requests_to( '~^/v2/~' ), 'no API request for it' );
		try {
			Webhook::verify( 'square', $headers, $body, array( self::SECRET ), $square->verify_options( 'https://elsewhere.example/hook' ) );
			$this->fail( 'signed for another URL' );
		} catch ( SignatureException $e ) {
			$this->assertSame( 'Mismatch', $e->reason->name );
		}

		// Our push is echoed by a webhook of the new count, after the answer.
		$this->push( $square, $this->connection(), array( self::change( 'omnistock-7-1-1-9', 'V1', 'L1', 5, 8 ) ) );
		$sent = static::$fake->wait_sent( 2 );
		$this->assertSame( 'echo', $sent[1]['kind'] );
		list( $headers, $body, $payload ) = self::delivery( $sent[1] );
		Webhook::verify( 'square', $headers, $body, array( self::SECRET ), $square->verify_options( $this->hook_url() ) );
		$this->assertSame( 5, $square->observations( $headers, $payload )[0]['qty'] );
		$this->assertGreaterThan( $at, $square->observations( $headers, $payload )[0]['at'] );

		// A redelivery is the same delivery (same event_id, same bytes).
		$again = static::$fake->redeliver( 0 );
		$this->assertSame( $sale['deliveries'][0]['body'], $again['body'] );
		$this->assertSame( 3, count( static::$sink->requests() ), 'the receiver got the sale, the echo and the redelivery' );
	}

	public function test_other_event_types_say_nothing_and_malformed_counts_are_refused(): void {
		$square = new Square();
		$this->assertSame( array(), $square->observations( array(), array( 'type' => 'catalog.version.updated' ) ) );
		$this->expectException( \Omnistock\BadInput::class );
		$square->observations( array(), array( 'type' => 'inventory.count.updated', 'data' => array( 'object' => array( 'inventory_counts' => array( array( 'catalog_object_id' => 'V1', 'state' => 'IN_STOCK' ) ) ) ) ) );
	}
}
