<?php
/**
 * POST /omnistock/v1/hooks/<id> over real HTTP (the test site served by `php -S`), with deliveries
 * from the fake Standard register: what does not verify is refused with nothing written, a
 * delivery is kept once, and its news is applied once, in its place, whatever the order.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;

require_once __DIR__ . '/lib/ConnectorTestCase.php';

final class ConnectorWebhookTest extends ConnectorTestCase {

	public function test_forged_replayed_oversized_and_malformed_deliveries_write_nothing(): void {
		$product = $this->simple( 10 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array( 'A' => $product->get_id() ) );
		$ledger = $this->ledger_count();
		$body   = self::counted( 'A', 7, self::ms() );

		// Forged: signed with another secret.
		list( $status, $answer ) = $this->hook( $hook['webhook_url'], $body, \Omnistock\Webhook::sign( 'standard', $body, 'whsec_' . base64_encode( random_bytes( 24 ) ) ) );
		$this->assertSame( array( 401, 'omnistock_webhook_unverified', 'Mismatch' ), array( $status, $answer['code'], $answer['data']['reason'] ), wp_json_encode( $answer ) );
		// Tampered: our signature, another body.
		$headers = \Omnistock\Webhook::sign( 'standard', $body, self::SECRET );
		list( $status ) = $this->hook( $hook['webhook_url'], self::counted( 'A', 1, self::ms() ), $headers );
		$this->assertSame( 401, $status );
		// No signature at all.
		list( $status, $answer ) = $this->hook( $hook['webhook_url'], $body, array() );
		$this->assertSame( array( 401, 'MissingHeader' ), array( $status, $answer['data']['reason'] ) );
		// Replayed: rightly signed, but 10 minutes ago (outside the 5-minute window).
		list( $status, $answer ) = $this->signed_hook( $hook['webhook_url'], $body, 'msg_replayed', time() - 600 );
		$this->assertSame( array( 401, 'Expired' ), array( $status, $answer['data']['reason'] ), wp_json_encode( $answer ) );
		// Oversized: over 1 MiB, rightly signed.
		$big = (string) wp_json_encode(
			array(
				'type'    => 'stock.counted',
				'padding' => str_repeat( 'x', 1048576 ),
			)
		);
		list( $status, $answer ) = $this->signed_hook( $hook['webhook_url'], $big );
		$this->assertSame( array( 413, 'omnistock_webhook_too_large' ), array( $status, $answer['code'] ?? null ), wp_json_encode( $answer ) );
		// Not JSON: unsigned is 401 (the signature is checked first), signed is 400.
		list( $status ) = $this->hook( $hook['webhook_url'], '{"type": ', array() );
		$this->assertSame( 401, $status );
		list( $status ) = $this->signed_hook( $hook['webhook_url'], '{"type": ' );
		$this->assertSame( 400, $status );

		$this->assertSame( array(), $this->inbox( $id ), 'no inbox row' );
		$this->assertSame( $ledger, $this->ledger_count(), 'no ledger row' );
		$this->assertSame( '0', (string) Plugin::database()->value( 'SELECT COUNT(*) FROM ' . ( new \Omnistock\Inventory\Tables( $GLOBALS['wpdb'] ) )->outbox ), 'no outbox row' );
		$this->assertSame( 0, Plugin::connections()->all()[0]['last_webhook_at'], 'not even the time of a webhook' );
		$this->assertSame( 10, $this->on_hand( $product->get_id(), $this->loc[0] ) );

		// The same delivery rightly signed is kept.
		list( $status, $answer ) = $this->signed_hook( $hook['webhook_url'], $body, 'msg_good' );
		$this->assertSame( array( 200, 'stored' ), array( $status, $answer['status'] ?? null ), wp_json_encode( $answer ) );
		$this->assertSame( array( 'msg_good' => 'new' ), $this->inbox( $id ) );
		list( $status ) = $this->hook( $hook['webhook_url'] . 'x', $body, \Omnistock\Webhook::sign( 'standard', $body, self::SECRET ) );
		$this->assertContains( $status, array( 400, 404 ), 'no such connection' );
	}

	public function test_a_duplicate_delivery_is_200_and_applied_once(): void {
		$product = $this->simple( 10 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array( 'A' => $product->get_id() ) );
		// After the count that typed in the product's stock: news lands where its time puts it.
		$t0 = self::ms();
		list( $status ) = $this->signed_hook( $hook['webhook_url'], self::counted( 'A', 6, $t0 ), 'msg_base' );
		$this->assertSame( 200, $status );
		$this->assertSame( 1, $this->process( $id )['baseline'], 'first sight: a baseline, nothing applied' );
		$this->assertSame( array(), $this->news( $id ) );

		$sale = self::counted( 'A', 5, $t0 + 1 );
		$answers = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$answers[] = $this->signed_hook( $hook['webhook_url'], $sale, 'msg_sale' )[1]['status'] ?? null;
			$this->process( $id );
		}
		$this->assertSame( array( 'stored', 'duplicate', 'duplicate' ), $answers );
		$this->assertSame(
			array(
				'msg_base' => 'baseline',
				'msg_sale' => 'applied',
			),
			$this->inbox( $id )
		);
		$news = $this->news( $id );
		$this->assertCount( 1, $news );
		$this->assertSame( array( 'standard:' . $id . ':msg_sale:0', '-1', 'standard', 'external_sale' ), array( $news[0]['event_id'], $news[0]['qty'], $news[0]['source'], $news[0]['reason'] ) );
		$this->assertSame( 9, $this->on_hand( $product->get_id(), $this->loc[0] ), wp_json_encode( $this->rows_of_inbox( $id ) ) );
		$this->assertShopAgrees( $product, 'after the register sale' );
	}

	public function test_three_deliveries_out_of_order_are_applied_once_each_as_if_in_order(): void {
		$product = $this->simple( 20 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array( 'A' => $product->get_id() ) );
		$fake = $this->fake();
		$fake->control( 'config', array( 'webhook_url' => $hook['webhook_url'] ) );
		$fake->control(
			'stock',
			array(
				'item'     => 'A',
				'location' => 'L1',
				'quantity' => 10,
			)
		);
		$this->assertSame( 200, $fake->sale( 'A', 'L1', 0 )['delivery']['status'], 'the register tells its count: a baseline' );
		$this->assertSame( 1, $this->process( $id )['baseline'] );

		// Three sales at the register (counts 9, 8, 7), their webhooks kept back, then delivered 3, 1, 2, 1.
		$ids = array();
		foreach ( array( 1, 2, 3 ) as $n ) {
			$ids[ $n ] = $fake->sale( 'A', 'L1', 1, null, null, array( 'send' => false ) )['delivery']['id'];
		}
		$stats = array();
		foreach ( array( 3, 1, 2, 1 ) as $n ) {
			$this->assertSame( 200, $fake->control( 'redeliver', array( 'id' => $ids[ $n ] ) )['status'] );
			$stats[] = $this->process( $id );
		}
		$this->assertSame( array( 1, 0, 0, 0 ), array_column( $stats, 'applied' ), 'the newest count carries all three sales' );
		$this->assertSame( array( 0, 1, 1, 0 ), array_column( $stats, 'stale' ), 'the older ones are in it already; the repeat is a duplicate' );
		$news = $this->news( $id );
		$this->assertSame( array( '-3' ), array_column( $news, 'qty' ) );
		$this->assertSame( 17, $this->on_hand( $product->get_id(), $this->loc[0] ), 'as if applied in order' );

		// Adjustments (stock.adjusted) out of order: each applied once, by its own id.
		$ids = array();
		foreach ( array( 1, 2, 3 ) as $n ) {
			$ids[ $n ] = $fake->sale(
				'A',
				'L1',
				$n,
				null,
				null,
				array(
					'send'     => false,
					'adjusted' => true,
				)
			)['delivery']['id'];
		}
		foreach ( array( 2, 3, 1, 3, 2 ) as $n ) {
			$this->assertSame( 200, $fake->control( 'redeliver', array( 'id' => $ids[ $n ] ) )['status'] );
			$this->process( $id );
		}
		$this->assertSame( array( '-3', '-2', '-3', '-1' ), array_column( $this->news( $id ), 'qty' ) );
		$this->assertSame( 11, $this->on_hand( $product->get_id(), $this->loc[0] ) );
		$this->assertSame( 1, Plugin::external_cells()->get( $id, $product->get_id(), $this->loc[0] )['ext_qty'], 'the register\'s number moved by each' );
		$this->assertShopAgrees( $product, 'after six register sales' );
	}

	public function test_an_unmapped_items_deliveries_are_kept_and_applied_once_mapped(): void {
		$product = $this->simple( 10 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array() );
		$at       = self::ms() + 1; // After the count that typed in the product's stock.
		$adjusted = (string) wp_json_encode(
			array(
				'type' => 'stock.adjusted',
				'id'   => 'evt_b',
				'data' => array(
					'item'     => 'B',
					'location' => 'L1',
					'delta'    => -2,
					'at'       => gmdate( 'Y-m-d\TH:i:s', intdiv( $at, 1000 ) ) . sprintf( '.%03dZ', $at % 1000 ), // RFC 3339.
				),
			)
		);
		$this->assertSame( 200, $this->signed_hook( $hook['webhook_url'], $adjusted, 'msg_b' )[0] );
		$this->assertSame( 1, $this->process( $id )['unmapped'] );
		$this->assertSame( 0, $this->process( $id )['unmapped'], 'kept, not read again until a map changes' );
		$this->assertSame( array( 'msg_b' => 'unmapped' ), $this->inbox( $id ) );
		$this->assertSame( array(), $this->news( $id ) );
		$health = $this->rest( 'GET', "/connections/$id" )->get_data();
		$this->assertSame( 1, $health['inbox']['unmapped'] );
		$this->assertSame(
			array(
				array(
					'item'       => 'B',
					'location'   => 'L1',
					'deliveries' => 1,
				),
			),
			$health['unmapped_items']
		);

		$this->assertSame( 200, $this->rest( 'PUT', "/connections/$id/items", array( 'B' => $product->get_id() ) )->get_status() );
		$this->assertSame( 1, $this->process( $id )['applied'] );
		$this->assertSame( 0, $this->process( $id )['applied'], 'once' );
		$this->assertSame( array( 'msg_b' => 'applied' ), $this->inbox( $id ) );
		$this->assertSame( array( '-2' ), array_column( $this->news( $id ), 'qty' ) );
		$this->assertSame( 8, $this->on_hand( $product->get_id(), $this->loc[0] ) );
		$this->assertSame( array(), $this->rest( 'GET', "/connections/$id" )->get_data()['unmapped_items'] );
	}

	public function test_the_echo_of_our_push_changes_nothing_even_after_a_web_sale(): void {
		$product = $this->simple( 10 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$p       = $product->get_id();
		$this->map( $id, $this->loc[0], array( 'A' => $p ) );
		$fake = $this->fake();
		$fake->control(
			'config',
			array(
				'webhook_url' => $hook['webhook_url'],
				'echo'        => 'sync',
			)
		);
		$fake->control(
			'stock',
			array(
				'item'     => 'A',
				'location' => 'L1',
				'quantity' => 4,
			)
		);
		$fake->sale( 'A', 'L1', 0 );
		$this->assertSame( 1, $this->process( $id )['baseline'] );

		// Our push, as Connectors\Outbox makes it: the register to our available (10) from 4.
		$connection = Plugin::connections()->get( $id );
		$provider   = new \Omnistock\Connectors\Providers\Standard();
		$key        = "omnistock-$id-$p-{$this->loc[0]}-1";
		$change     = array(
			'key'      => $key,
			'item'     => 'A',
			'location' => 'L1',
			'target'   => 10,
			'delta'    => 6,
			'from'     => 4,
			'set'      => false,
		);
		Plugin::external_cells()->begin_push( $id, $p, $this->loc[0], $key, 6, 10 );
		$request = $provider->push_requests( $connection, array( $change ) )[0];
		$this->assertSame( array( $key ), $request['changes'] );
		$result   = ( new \Omnistock\Push() )->send( array( $request['request'] ) );
		$outcomes = $provider->push_outcomes( $connection, array( $change ), $result[ $request['request']['id'] ] );
		$this->assertTrue( $outcomes[ $key ]['ok'], wp_json_encode( $outcomes ) );
		$this->assertSame( 10, $outcomes[ $key ]['observed']['qty'] );
		$this->assertContains( 'new', $this->inbox( $id ), 'the register sent the echo of our write' );
		$this->assertSame( 1, $this->process( $id )['deferred'], 'the echo arrived while the push was in flight: it waits' );
		// A web sale here before the push is answered: the echo (10) must not set the cell back.
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'web-sale-' . $p,
					'kind'     => 'adjust',
					'product'  => $p,
					'location' => $this->loc[0],
					'qty'      => -1,
				),
			)
		);
		$this->assertSame( \Omnistock\Connectors\ExternalCells::ECHO, Plugin::external_cells()->acknowledged( $id, $p, $this->loc[0], $key, $outcomes[ $key ]['observed'], "standard:$id:push:$key", array( 'source' => 'standard' ) ) );
		$stats = $this->process( $id );
		$this->assertSame( 0, $stats['applied'] );
		$this->assertSame( 1, $stats['echo'] + $stats['stale'], wp_json_encode( $stats ) );
		$this->assertSame( array(), $this->news( $id ), 'our own number is no news' );
		$this->assertSame( 9, $this->on_hand( $p, $this->loc[0] ), 'no lost update: the web sale stands' );
		$this->assertSame( 10, Plugin::external_cells()->get( $id, $p, $this->loc[0] )['ext_qty'] );

		// The echo delivered again (late): a duplicate, nothing.
		$this->assertSame( 200, $fake->control( 'redeliver', array() )['status'] );
		$this->assertSame( 0, $this->process( $id )['applied'] );
		$this->assertSame( 9, $this->on_hand( $p, $this->loc[0] ) );
		$this->assertSame( array(), $this->news( $id ) );
		// The fake got our push once, with its idempotency key and token.
		$writes = array_values( array_filter( $fake->control( 'requests' )['requests'], static fn( $r ) => '/stock/changes' === $r['path'] ) );
		$this->assertCount( 1, $writes );
		$this->assertSame( array( 'Bearer ' . self::TOKEN, $request['request']['id'] ), array( $writes[0]['headers']['authorization'], $writes[0]['headers']['idempotency-key'] ) );
	}

	public function test_the_store_api_shows_a_register_sale_once_processed(): void {
		$product = $this->simple( 1 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array( 'A' => $product->get_id() ) );
		$fake = $this->fake();
		$fake->control( 'config', array( 'webhook_url' => $hook['webhook_url'] ) );
		$fake->control(
			'stock',
			array(
				'item'     => 'A',
				'location' => 'L1',
				'quantity' => 1,
			)
		);
		$fake->sale( 'A', 'L1', 0 );
		$this->process( $id );
		$shopper = array();
		$before  = $this->site()->request( 'GET', '/wc/store/v1/products/' . $product->get_id(), $shopper );
		$this->assertSame( array( 200, true ), array( $before['status'], $before['body']['is_in_stock'] ) );

		$this->assertSame( 200, $fake->sale( 'A', 'L1', 1 )['delivery']['status'] );
		$this->assertSame( 1, $this->process( $id )['applied'] );
		$after = $this->site()->request( 'GET', '/wc/store/v1/products/' . $product->get_id(), $shopper );
		$this->assertSame( array( 200, false ), array( $after['status'], $after['body']['is_in_stock'] ), 'sold out by the register' );
		$this->assertShopAgrees( $product, 'after the register sold the last one' );
		$this->assertGreaterThan( 0, Plugin::connections()->all()[0]['last_webhook_at'] );
	}

	/**
	 * @group concurrency
	 */
	public function test_the_same_delivery_arriving_five_times_at_once_is_kept_once(): void {
		$product = $this->simple( 10 );
		$hook    = $this->standard();
		$id      = $hook['id'];
		$this->map( $id, $this->loc[0], array( 'A' => $product->get_id() ) );
		$this->site();
		$body    = self::counted( 'A', 4, self::ms() );
		$headers = array( 'Content-Type: application/json' );
		foreach ( \Omnistock\Webhook::sign( 'standard', $body, self::SECRET, array( 'id' => 'msg_race' ) ) as $name => $value ) {
			$headers[] = "$name: $value";
		}
		$handles = array();
		for ( $i = 0; $i < 5; $i++ ) {
			$ch = curl_init( $hook['webhook_url'] );
			curl_setopt_array(
				$ch,
				array(
					CURLOPT_POST           => true,
					CURLOPT_POSTFIELDS     => $body,
					CURLOPT_HTTPHEADER     => $headers,
					CURLOPT_RETURNTRANSFER => true,
					CURLOPT_TIMEOUT        => 60,
				)
			);
			$handles[] = $ch;
		}
		$answers = StoreApiClient::all_at_once( $handles, static fn( $ch, string $raw ) => array( (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ), json_decode( $raw, true )['status'] ?? null ) );
		$this->assertSame( array( 200, 200, 200, 200, 200 ), array_column( $answers, 0 ) );
		$statuses = array_column( $answers, 1 );
		sort( $statuses );
		$this->assertSame( array( 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'stored' ), $statuses );
		$this->assertSame( array( 'msg_race' => 'new' ), $this->inbox( $id ) );
	}
}
