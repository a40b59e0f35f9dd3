<?php
/**
 * Providers\Clover against the fake Clover over real HTTP: absolute item stocks with idempotency
 * keys, 429, paged reads, and webhooks that name the item to read back.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\CountReader;
use Omnistock\Connectors\Providers\Clover;
use Omnistock\Connectors\Rereading;
use Omnistock\SignatureException;
use Omnistock\Webhook;

require_once __DIR__ . '/lib/ConnectorProvidersCase.php';

final class ConnectorProvidersCloverTest extends ConnectorProvidersCase {

	private const SECRET = 'clover-auth-code-test';

	protected static function provider_name(): string {
		return 'clover';
	}

	protected static function port_offset(): int {
		return 2;
	}

	protected function fake_config(): array {
		return array(
			'token'       => 'clv-token',
			'secret'      => self::SECRET,
			'merchant_id' => 'M1',
		);
	}

	private function connection(): Connection {
		return new Connection(
			9,
			'clover',
			'Café',
			static::$fake->url(),
			array(
				'access_token' => 'clv-token',
				'merchant_id'  => 'M1',
			),
			self::SECRET
		);
	}

	public function test_a_push_is_one_absolute_item_stock_per_change_with_its_key(): void {
		$changes = array();
		foreach ( array( 'IA' => 3, 'IB' => 0, 'IC' => 12 ) as $item => $target ) {
			static::$fake->stock( $item, 'M1', 5 );
			$changes[] = self::change( "omnistock-9-$item-4-1", $item, 'M1', $target, 5 );
		}
		$clover = new Clover();
		$this->assertSame( 1, $clover->limits()['batch'] );
		$this->assertSame( 5, $clover->limits()['concurrency'] );
		$this->assertSame( 16.0, $clover->limits()['per_second'] );
		$outcomes = $this->push( $clover, $this->connection(), $changes );
		$posts    = self::requests_to( '~^/v3/merchants/M1/item_stocks/I[ABC]$~' );
		$this->assertCount( 3, $posts );
		foreach ( $posts as $post ) {
			$this->assertSame( 'POST', $post['method'] );
			$this->assertSame( 'Bearer clv-token', $post['headers']['authorization'] );
			$this->assertSame( 'omnistock-9-' . substr( $post['path'], -2 ) . '-4-1', $post['headers']['idempotency-key'] );
		}
		$counts = static::$fake->counts();
		foreach ( $changes as $change ) {
			$this->assertSame( $change['target'], $counts[ $change['item'] . "\nM1" ]['qty'] );
			$this->assertTrue( $outcomes[ $change['key'] ]['ok'] );
			$this->assertSame( $change['target'], $outcomes[ $change['key'] ]['observed']['qty'] );
			$this->assertEqualsWithDelta( (int) ( microtime( true ) * 1000 ), $outcomes[ $change['key'] ]['observed']['at'], 60000, 'dated by our clock (Clover gives no time)' );
		}
		// A retry under the same key is answered from it.
		static::$fake->sale( 'IA', 'M1', 1, '' );
		$this->push( $clover, $this->connection(), array( $changes[0] ) );
		$this->assertSame( 2, static::$fake->counts()["IA\nM1"]['qty'], 'the register\'s sale stands: the retried write was not applied again' );
	}

	public function test_429_gives_retry_after(): void {
		static::$fake->stock( 'IA', 'M1', 5 );
		static::$fake->config( array( 'rate429' => array( 'count' => 1, 'retry_after' => 1 ) ) );
		$outcome = $this->push( new Clover(), $this->connection(), array( self::change( 'omnistock-9-IA-4-2', 'IA', 'M1', 4, 5 ) ) )['omnistock-9-IA-4-2'];
		$this->assertFalse( $outcome['ok'] );
		$this->assertSame( 1000, $outcome['retry_after_ms'] );
		$this->assertFalse( $outcome['permanent'] );
		$this->assertSame( 5, static::$fake->counts()["IA\nM1"]['qty'] );
	}

	public function test_stocks_items_and_the_merchant_are_read_one_by_one_or_page_by_page(): void {
		static::$fake->config( array( 'page_size' => 5 ) );
		$items = array();
		for ( $i = 0; $i < 12; $i++ ) {
			static::$fake->stock( "I$i", 'M1', $i, "SKU$i", "Cake $i" );
			$items[] = "I$i";
		}
		$clover = new Clover();
		$few    = ( new CountReader() )->read( $this->connection(), $clover, array( 'I3', 'I7' ), array( 'M1' ) );
		$this->assertSame( array( 'I3' => 3, 'I7' => 7 ), array_column( $few, 'qty', 'item' ) );
		$this->assertCount( 2, self::requests_to( '~^/v3/merchants/M1/item_stocks/I[37]$~' ), 'one GET each' );

		$all = ( new CountReader() )->read( $this->connection(), $clover, $items, array( 'M1' ) );
		$this->assertCount( 12, $all );
		foreach ( $all as $count ) {
			$this->assertSame( 'M1', $count['location'], 'the merchant is the location' );
			$this->assertSame( (int) substr( $count['item'], 1 ), $count['qty'] );
		}
		$this->assertCount( 3, self::requests_to( '~^/v3/merchants/M1/item_stocks$~' ), 'pages of 5, 5 and 2' );

		$got    = array();
		$cursor = null;
		$pages  = 0;
		do {
			$page   = $clover->catalogue( $this->connection(), $this->send( array( $clover->catalogue_request( $this->connection(), $cursor ) ) )['clover-items'] );
			$got    = array_merge( $got, $page['items'] );
			$cursor = $page['cursor'];
			++$pages;
		} while ( null !== $cursor && $pages < 10 );
		$this->assertSame( 3, $pages );
		$this->assertCount( 12, $got );
		$this->assertSame( 'SKU11', array_column( $got, 'sku', 'id' )['I11'] );
		$this->assertSame( array( array( 'id' => 'M1', 'name' => 'Fake Clover shop' ) ), $clover->locations( $this->connection(), $this->send( array( $clover->locations_request( $this->connection() ) ) )['clover-merchant'] ) );
	}

	public function test_its_webhooks_verify_under_the_clover_scheme_and_name_the_items_to_read_back(): void {
		static::$fake->stock( 'IA', 'M1', 9 );
		$clover = new Clover();
		$this->assertInstanceOf( Rereading::class, $clover );
		$sale = static::$fake->sale( 'IA', 'M1', 4 );
		$this->assertSame( 200, $sale['deliveries'][0]['status'] );
		list( $headers, $body, $payload ) = self::delivery( $sale['deliveries'][0] );

		$verified = Webhook::verify( $clover->scheme(), $headers, $body, array( self::SECRET ), $clover->verify_options( $this->hook_url() ) );
		$this->assertNull( $verified->id );
		$this->assertNull( $clover->delivery_id( $headers, $payload, $verified->id ), 'no id: the inbox keys it by the body' );
		$this->assertSame( 'I:UPDATE', $clover->topic( $headers, $payload ) );
		$this->assertSame( array(), $clover->observations( $headers, $payload ), 'Clover does not say the count' );
		$cells = $clover->reread( $headers, $payload );
		$this->assertSame( array( array( 'item' => 'IA', 'location' => 'M1' ) ), $cells );
		$read = ( new CountReader() )->read( $this->connection(), $clover, array_column( $cells, 'item' ), array_column( $cells, 'location' ) );
		$this->assertSame( 5, $read[0]['qty'], 'the read says what the sale left' );
		$observed = ( new CountReader() )->observations( $this->connection(), $clover, $headers, $payload );
		$this->assertCount( 1, $observed, 'what Inbox takes in for a Clover delivery' );
		$this->assertSame( array( 'IA', 'M1', 5 ), array( $observed[0]['item'], $observed[0]['location'], $observed[0]['qty'] ) );
		$this->assertGreaterThanOrEqual( $read[0]['at'], $observed[0]['at'], 'dated when read' );
		try {
			Webhook::verify( 'clover', array( 'x-clover-auth' => 'guess' ) + $headers, $body, array( self::SECRET ) );
			$this->fail( 'a wrong auth code' );
		} catch ( SignatureException $e ) {
			$this->assertSame( 'Mismatch', $e->reason->name );
		}

		// Our write is echoed as a notification naming the item.
		$this->push( $clover, $this->connection(), array( self::change( 'omnistock-9-IA-4-3', 'IA', 'M1', 2, 5 ) ) );
		$sent = static::$fake->wait_sent( 2 );
		list( $headers, $body, $payload ) = self::delivery( $sent[1] );
		Webhook::verify( 'clover', $headers, $body, array( self::SECRET ) );
		$this->assertSame( array( array( 'item' => 'IA', 'location' => 'M1' ) ), $clover->reread( $headers, $payload ) );
		$this->assertSame( array(), $clover->reread( array(), array( 'verificationCode' => 'abc' ) ), 'the endpoint check names nothing' );
		$this->assertSame( array(), $clover->reread( array(), array( 'merchants' => array( 'M1' => array( array( 'objectId' => 'O:123', 'type' => 'CREATE', 'ts' => 1 ) ) ) ) ), 'an order is not an item' );
	}
}
