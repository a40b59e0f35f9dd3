<?php
/**
 * Providers\Shopify against the fake Shopify GraphQL API over real HTTP: aliased mutations with
 * @idempotent keys and reference URIs, compare and set, the cost bucket, paged reads, webhooks.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\CountReader;
use Omnistock\Connectors\Providers\Answers;
use Omnistock\Connectors\Providers\Shopify;
use Omnistock\SignatureException;
use Omnistock\Webhook;

require_once __DIR__ . '/lib/ConnectorProvidersCase.php';

final class ConnectorProvidersShopifyTest extends ConnectorProvidersCase {

	private const SECRET = 'shopify-client-secret-test';

	protected static function provider_name(): string {
		return 'shopify';
	}

	protected static function port_offset(): int {
		return 1;
	}

	protected function fake_config(): array {
		return array(
			'token'  => 'shpat-test',
			'secret' => self::SECRET,
		);
	}

	private function connection(): Connection {
		return new Connection( 8, 'shopify', 'Shop', static::$fake->url(), array( 'access_token' => 'shpat-test' ), self::SECRET );
	}

	public function test_a_push_is_one_idempotent_mutation_per_change_adjust_or_compared_set(): void {
		$changes = array();
		for ( $i = 1; $i <= 12; $i++ ) {
			static::$fake->stock( (string) ( 1000 + $i ), '55', 10 );
			$changes[] = 0 === $i % 4
				? self::change( "omnistock-8-$i-2-1", (string) ( 1000 + $i ), '55', 6, 10, true )
				: self::change( "omnistock-8-$i-2-1", (string) ( 1000 + $i ), '55', 10 - $i % 3, 10 );
		}
		$outcomes = $this->push( new Shopify(), $this->connection(), $changes );

		$posts = self::requests_to( '~^/admin/api/2026-01/graphql\.json$~' );
		$this->assertCount( 2, $posts, '12 changes are two requests of at most 10' );
		$mutations = 0;
		foreach ( $posts as $post ) {
			$this->assertSame( 'shpat-test', $post['headers']['x-shopify-access-token'] );
			$body = json_decode( $post['body'], true );
			preg_match_all( '/(c\d+): (inventoryAdjustQuantities|inventorySetQuantities)\(input: \$(i\d+)\) @idempotent\(key: \$(k\d+)\)/', $body['query'], $fields, PREG_SET_ORDER );
			foreach ( $fields as $f ) {
				++$mutations;
				$input = $body['variables'][ $f[3] ];
				$key   = $body['variables'][ $f[4] ];
				$this->assertMatchesRegularExpression( '/^omnistock-8-\d+-2-1$/', $key, 'the change key is the idempotency key' );
				$this->assertSame( 'gid://omnistock/StockEvent/' . $key, $input['referenceDocumentUri'] );
				$this->assertSame( 'available', $input['name'] );
				if ( 'inventorySetQuantities' === $f[2] ) {
					$this->assertSame( 10, $input['quantities'][0]['changeFromQuantity'], 'a set compares with what the register showed' );
					$this->assertSame( 6, $input['quantities'][0]['quantity'] );
				} else {
					$this->assertMatchesRegularExpression( '~^gid://shopify/InventoryItem/\d+$~', $input['changes'][0]['inventoryItemId'] );
					$this->assertSame( 'gid://shopify/Location/55', $input['changes'][0]['locationId'] );
				}
			}
		}
		$this->assertSame( 12, $mutations );

		$counts = static::$fake->counts();
		foreach ( $changes as $change ) {
			$outcome = $outcomes[ $change['key'] ];
			$this->assertTrue( $outcome['ok'], $change['key'] );
			$this->assertSame( $change['target'], $counts[ $change['item'] . "\n55" ]['qty'] );
			$this->assertSame( $change['target'], $outcome['observed']['qty'], 'quantityAfterChange' );
			// createdAt has whole seconds: the answer's time is when we read it (the change landed
			// before), within createdAt's second; not that second's end, which a sale made later in
			// the second would be older than (a lost unit).
			$landed = $counts[ $change['item'] . "\n55" ]['at'];
			$this->assertGreaterThanOrEqual( $landed, $outcome['observed']['at'], 'not before the change landed' );
			$this->assertLessThanOrEqual( intdiv( $landed, 1000 ) * 1000 + 999, $outcome['observed']['at'], 'within createdAt\'s second' );
		}

		// The same change again (a retry) is answered from its key: nothing moves twice.
		$this->push( new Shopify(), $this->connection(), array( $changes[0] ) );
		$this->assertSame( $counts[ $changes[0]['item'] . "\n55" ]['qty'], static::$fake->counts()[ $changes[0]['item'] . "\n55" ]['qty'] );
	}

	public function test_a_stale_compare_is_refused_and_not_permanent(): void {
		static::$fake->stock( '2001', '55', 10 );
		static::$fake->sale( '2001', '55', 1 ); // The register sold one we have not seen: it shows 9.
		$outcome = $this->push( new Shopify(), $this->connection(), array( self::change( 'omnistock-8-1-2-5', '2001', '55', 4, 10, true ) ) )['omnistock-8-1-2-5'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertStringContainsString( 'CHANGE_FROM_QUANTITY_STALE', $outcome['error'] );
		$this->assertFalse( $outcome['permanent'], 'cured once we know the register\'s number' );
		$this->assertSame( 9, static::$fake->counts()["2001\n55"]['qty'] );
	}

	public function test_throttled_gives_the_wait_until_the_bucket_holds_the_cost(): void {
		static::$fake->stock( '3001', '55', 10 );
		static::$fake->config( array( 'throttle' => array( 'count' => 1, 'requested' => 100, 'available' => 20, 'restore' => 50 ) ) );
		$change  = array( self::change( 'omnistock-8-1-2-6', '3001', '55', 9, 10 ) );
		$outcome = $this->push( new Shopify(), $this->connection(), $change )['omnistock-8-1-2-6'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertSame( 1600, $outcome['retry_after_ms'], '(100 - 20) points at 50 a second' );
		$this->assertFalse( $outcome['permanent'] );
		$this->assertSame( 10, static::$fake->counts()["3001\n55"]['qty'] );

		static::$fake->config( array( 'rate429' => array( 'count' => 1, 'retry_after' => 2 ) ) );
		$this->assertSame( 2000, $this->push( new Shopify(), $this->connection(), $change )['omnistock-8-1-2-6']['retry_after_ms'], 'an HTTP 429 says Retry-After' );

		$this->assertTrue( $this->push( new Shopify(), $this->connection(), $change )['omnistock-8-1-2-6']['ok'] );
	}

	public function test_levels_catalogue_and_locations_are_read_page_by_page(): void {
		static::$fake->config( array( 'page_size' => 2 ) );
		foreach ( array( 11 => 3, 12 => 0, 13 => 7, 14 => 2, 15 => 5 ) as $item => $qty ) {
			static::$fake->stock( (string) $item, '55', $qty, "SKU-$item", "Cup $item" );
		}
		static::$fake->stock( '11', '66', 40 );
		$counts = ( new CountReader() )->read( $this->connection(), new Shopify(), array( '11', '12', '13', '14', '15' ), array( '55', '66' ) );
		$stock  = static::$fake->counts();
		$got    = array();
		foreach ( $counts as $count ) {
			$got[ $count['item'] . '@' . $count['location'] ] = $count['qty'];
			$this->assertSame( intdiv( $stock[ $count['item'] . "\n" . $count['location'] ]['at'], 1000 ) * 1000, $count['at'], 'updatedAt' );
		}
		ksort( $got );
		$this->assertSame( array( '11@55' => 3, '11@66' => 40, '12@55' => 0, '13@55' => 7, '14@55' => 2, '15@55' => 5 ), $got );
		$this->assertCount( 4, self::requests_to( '~graphql\.json$~' ), 'three pages at 55, one at 66' );

		$shopify = new Shopify();
		$items   = array();
		$cursor  = null;
		$pages   = 0;
		do {
			$page   = $shopify->catalogue( $this->connection(), $this->send( array( $shopify->catalogue_request( $this->connection(), $cursor ) ) )['shopify-catalogue'] );
			$items  = array_merge( $items, $page['items'] );
			$cursor = $page['cursor'];
			++$pages;
		} while ( null !== $cursor && $pages < 10 );
		$this->assertSame( 3, $pages );
		$this->assertSame( array( '11' => 'SKU-11', '12' => 'SKU-12', '13' => 'SKU-13', '14' => 'SKU-14', '15' => 'SKU-15' ), array_column( $items, 'sku', 'id' ), 'by inventory item id' );
		$this->assertSame( array( '55', '66' ), array_column( $shopify->locations( $this->connection(), $this->send( array( $shopify->locations_request( $this->connection() ) ) )['shopify-locations'] ), 'id' ) );
	}

	public function test_its_webhooks_verify_under_the_shopify_scheme_and_say_available_at_its_time(): void {
		static::$fake->stock( '4001', '55', 10 );
		$shopify = new Shopify();
		$sale    = static::$fake->sale( '4001', '55', 3 );
		$this->assertSame( 200, $sale['deliveries'][0]['status'] );
		list( $headers, $body, $payload ) = self::delivery( $sale['deliveries'][0] );

		$verified = Webhook::verify( $shopify->scheme(), $headers, $body, array( self::SECRET ), $shopify->verify_options( $this->hook_url() ) );
		$this->assertSame( $headers['x-shopify-webhook-id'], $verified->id );
		$this->assertSame( $headers['x-shopify-event-id'], $shopify->delivery_id( $headers, $payload, $verified->id ), 'the event id, the same for every delivery of it' );
		$this->assertSame( 'inventory_levels/update', $shopify->topic( $headers, $payload ) );
		$at = static::$fake->counts()["4001\n55"]['at'];
		$this->assertSame(
			array(
				array(
					'item'     => '4001',
					'location' => '55',
					'qty'      => 7,
					'at'       => $at,
				),
			),
			$shopify->observations( $headers, $payload ),
			'available, at X-Shopify-Triggered-At (ms; updated_at has whole seconds)'
		);
		$this->assertSame( intdiv( $at, 1000 ) * 1000, Answers::ms( $payload['updated_at'] ) );
		try {
			Webhook::verify( 'shopify', $headers, str_replace( '"available":7', '"available":70', $body ), array( self::SECRET ) );
			$this->fail( 'a changed body' );
		} catch ( SignatureException $e ) {
			$this->assertSame( 'Mismatch', $e->reason->name );
		}

		$this->push( $shopify, $this->connection(), array( self::change( 'omnistock-8-1-2-7', '4001', '55', 5, 7 ) ) );
		$sent = static::$fake->wait_sent( 2 );
		list( $headers, $body, $payload ) = self::delivery( $sent[1] );
		Webhook::verify( 'shopify', $headers, $body, array( self::SECRET ) );
		$this->assertSame( 5, $shopify->observations( $headers, $payload )[0]['qty'], 'the echo of our push' );
		$this->assertSame( $sale['deliveries'][0]['headers']['X-Shopify-Event-Id'], static::$fake->redeliver( 0 )['headers']['X-Shopify-Event-Id'] );

		$this->assertSame( array(), $shopify->observations( array( 'x-shopify-topic' => 'products/update' ), array( 'id' => 1 ) ) );
	}
}
