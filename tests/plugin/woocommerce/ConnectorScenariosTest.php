<?php
/**
 * Issue 17's scenarios through the real path: the fake registers (tests/providers/square.php,
 * shopify.php) send their signed webhooks to the public route of the test site (php -S, several
 * workers), the route stores and kicks, the site's runner (Connectors\Sync::run) turns the inbox
 * into events, the outbox is pushed with Omnistock\Push to the fakes, and their echoes come back.
 *
 * Both registers are mapped to OUR SAME location (the Warehouse, loc[0]): they are two tills of
 * one shop selling from one pool, so a sale at one must reach the other (we push a location's
 * available to sell; a register mapped to another location would not see the number move).
 *
 * Which scenario is where (the others are covered as strictly elsewhere):
 *   (a) Square sale -> our on_hand, the Store API, the Shopify register; (b) a web checkout ->
 *   both registers; (c) echoes counted once, pushed once: test_a_register_sale_and_a_web_checkout_reach_everyone_once.
 *   (d) test_the_same_square_webhook_three_times_and_out_of_order_is_applied_once_in_its_place.
 *   (e) a register down for 200 changes and (f) 429 with Retry-After: ConnectorOutboxTest (real
 *   Providers\Standard over HTTP to its fake, the runner's run()); Square's and Shopify's 429 /
 *   throttle translation: ConnectorProviders{Square,Shopify}Test. (f) a storm across both
 *   registers through the runner: test_a_429_storm_is_waited_out_and_everything_is_delivered_once.
 *   (g) Square and Shopify: test_forged_and_oversized_square_and_shopify_webhooks_write_nothing;
 *   Standard (forged, replayed outside the window, oversized): ConnectorWebhookTest::test_forged_replayed_oversized_and_malformed_deliveries_write_nothing.
 *   (h) test_an_unmapped_square_items_webhooks_are_kept_and_applied_once_mapped.
 *   (i) test_drift_is_found_by_the_runners_reconciliation_and_corrected_by_the_system_of_record.
 *
 * The three slowest (reconciliation, the 429 storm, 1 MiB bodies) are in @group connectors-slow,
 * for bin/test to run in fewer of its WooCommerce matrix runs.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/ConnectorTestCase.php';

final class ConnectorScenariosTest extends ConnectorTestCase {

	private const SQUARE_SECRET  = 'square-signature-key-scenarios';
	private const SHOPIFY_SECRET = 'shopify-client-secret-scenarios';

	private static ?FakeProvider $square  = null;
	private static ?FakeProvider $shopify = null;

	/** @var array{id: int, webhook_url: string} */
	private array $sq;
	/** @var array{id: int, webhook_url: string} */
	private array $sh;

	public static function setUpBeforeClass(): void {
		self::$square  = FakeProvider::start( 'square', FakeProvider::port( 6 ) );
		self::$shopify = FakeProvider::start( 'shopify', FakeProvider::port( 7 ) );
	}

	public static function tearDownAfterClass(): void {
		self::$square?->stop();
		self::$shopify?->stop();
		self::$square  = null;
		self::$shopify = null;
	}

	protected function setUp(): void {
		parent::setUp();
		self::$square->reset();
		self::$shopify->reset();
		self::$square->config( array( 'token' => 'sq-token', 'secret' => self::SQUARE_SECRET ) );
		self::$shopify->config( array( 'token' => 'shpat-test', 'secret' => self::SHOPIFY_SECRET ) );
		$this->site();
	}

	/**
	 * Both connections made through REST, mapped (SQV at Square's LSQ and Shopify's 4001 at its 55,
	 * both our Warehouse), the fakes told where to send their webhooks.
	 *
	 * @param int    $product   The product.
	 * @param string $sq_system Square's location's system of record.
	 * @param string $sh_system Shopify's.
	 */
	private function connect( int $product, string $sq_system = 'omnistock', string $sh_system = 'omnistock' ): void {
		$this->sq = $this->create( 'square', 'Square till', self::$square, array( 'access_token' => 'sq-token' ), self::SQUARE_SECRET );
		$this->sh = $this->create( 'shopify', 'Shopify POS', self::$shopify, array( 'access_token' => 'shpat-test' ), self::SHOPIFY_SECRET );
		foreach ( array( array( $this->sq, 'LSQ', 'SQV', $sq_system ), array( $this->sh, '55', '4001', $sh_system ) ) as list( $c, $location, $item, $system ) ) {
			$this->assertSame( 200, $this->rest( 'PUT', "/connections/{$c['id']}/locations", array( $location => array( 'location' => $this->loc[0], 'system_of_record' => $system ) ) )->get_status() );
			$this->assertSame( 200, $this->rest( 'PUT', "/connections/{$c['id']}/items", array( $item => $product ) )->get_status() );
		}
		self::$square->config( array( 'webhook_url' => $this->sq['webhook_url'] ) );
		self::$shopify->config( array( 'webhook_url' => $this->sh['webhook_url'] ) );
	}

	private function create( string $provider, string $name, FakeProvider $fake, array $credentials, string $secret ): array {
		$response = $this->rest(
			'POST',
			'/connections',
			array(
				'provider'       => $provider,
				'name'           => $name,
				'api_base'       => $fake->url(),
				'credentials'    => $credentials,
				'webhook_secret' => $secret,
			)
		);
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $response->get_data();
	}

	/**
	 * The runner with its reconciliation, here (as the recurring job does): first sight of every cell.
	 */
	private function reconcile( int $id ): array {
		Plugin::database()->statement( Plugin::database()->prepare( "UPDATE {$this->tables()->connections} SET last_reconcile_at = 0 WHERE id = %d", $id ) );
		$until = microtime( true ) + 10;
		do {
			$report = Plugin::sync()->run( $id, true ); // Busy while the site's runner has it (a kick): again.
		} while ( 'busy' === $report['status'] && microtime( true ) < $until && usleep( 50000 ) === null );
		$this->assertSame( 'ran', $report['status'], wp_json_encode( $report ) );
		$this->assertNotNull( $report['reconciled'], 'reconciled: ' . wp_json_encode( $report ) );
		return $report;
	}

	private function tables(): Tables {
		return new Tables( $GLOBALS['wpdb'] );
	}

	/**
	 * Polls $probe until it returns $expected (a few seconds at most); fails with what it saw.
	 */
	private function until( $expected, callable $probe, string $what, float $seconds = 10.0 ): void {
		$until = microtime( true ) + $seconds;
		do {
			$seen = $probe();
			if ( $expected === $seen ) {
				$this->assertSame( $expected, $seen, $what );
				return;
			}
			usleep( 50000 );
		} while ( microtime( true ) < $until );
		$this->assertSame( $expected, $seen, "$what (after waiting)" );
	}

	/** A register's count of its cell, or null. */
	private static function count_at( FakeProvider $fake, string $item, string $location ): ?int {
		$counts = $fake->counts();
		return isset( $counts[ "$item\n$location" ] ) ? (int) $counts[ "$item\n$location" ]['qty'] : null;
	}

	private static function square_count(): ?int {
		return self::count_at( self::$square, 'SQV', 'LSQ' );
	}

	private static function shopify_count(): ?int {
		return self::count_at( self::$shopify, '4001', '55' );
	}

	/** The pushes a fake received (Square batch-creates, Shopify OmnistockPush mutations). */
	private static function pushes( FakeProvider $fake ): array {
		return array_values(
			array_filter(
				$fake->requests(),
				static fn( array $r ): bool => '/v2/inventory/changes/batch-create' === $r['path'] || str_contains( $r['body'], 'OmnistockPush' )
			)
		);
	}

	/** Inbox rows of a connection not yet turned into events (new, deferred). */
	private function unprocessed( int $id ): int {
		return count( array_filter( $this->inbox( $id ), static fn( string $s ): bool => in_array( $s, array( 'new', 'deferred' ), true ) ) );
	}

	/** Waits until both fakes sent every webhook they queued and our runner processed them all. */
	private function settle(): void {
		foreach ( array( self::$square, self::$shopify ) as $fake ) {
			$fake->wait_sent( 0 );
		}
		foreach ( array( $this->sq['id'], $this->sh['id'] ) as $id ) {
			$this->until( 0, fn() => $this->unprocessed( $id ), "connection $id: every delivery processed" );
			$this->until( 0, fn() => (int) Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM {$this->tables()->outbox} WHERE connector = %s AND status = 'pending'", (string) $id ) ), "connection $id: nothing left to push" );
		}
	}

	private function outbox_rows(): int {
		return (int) Plugin::database()->value( "SELECT COUNT(*) FROM {$this->tables()->outbox}" );
	}

	public function test_a_register_sale_and_a_web_checkout_reach_everyone_once(): void {
		$product = $this->simple( 3 );
		$p       = $product->get_id();
		self::$square->stock( 'SQV', 'LSQ', 3 );
		self::$shopify->stock( '4001', '55', 3 );
		$this->connect( $p );
		$this->reconcile( $this->sq['id'] );
		$this->reconcile( $this->sh['id'] );
		$this->assertSame( array( array(), array() ), array( self::pushes( self::$square ), self::pushes( self::$shopify ) ), 'in step: nothing to push' );
		$shopper = array();
		$before  = $this->site()->request( 'GET', "/wc/store/v1/products/$p", $shopper );
		$this->assertSame( array( 200, null ), array( $before['status'], $before['body']['low_stock_remaining'] ) );

		// (a) The Square register sells 2: its signed webhook to our route, and the rest by itself.
		$sale = self::$square->sale( 'SQV', 'LSQ', 2 );
		$this->assertSame( array( 1, 200 ), array( $sale['quantity'], $sale['deliveries'][0]['status'] ), wp_json_encode( $sale ) );
		$this->until( 1, fn() => $this->on_hand( $p, $this->loc[0] ), 'our on hand' );
		$after = $this->site()->request( 'GET', "/wc/store/v1/products/$p", $shopper );
		$this->assertSame( array( 200, true, 1 ), array( $after['status'], $after['body']['is_in_stock'], $after['body']['low_stock_remaining'] ), 'the Store API shows it' );
		$this->until( 1, static fn() => self::shopify_count(), 'the Shopify register received the new available number' );
		$event_id = json_decode( $sale['deliveries'][0]['body'], true )['event_id'];
		$this->assertSame(
			array( array( "square:{$this->sq['id']}:$event_id:0", (string) $p, (string) $this->loc[0], '-2', 'square', 'square', 'external_sale' ) ),
			array_map( 'array_values', $this->news( $this->sq['id'] ) )
		);

		// (c) Shopify's echo of our push came back (and Square's own cell needed no push).
		$this->settle();
		$this->assertSame( array(), $this->news( $this->sh['id'] ), 'the echo is no news' );
		$this->assertCount( 1, self::pushes( self::$shopify ), 'pushed once' );
		$this->assertSame( array(), self::pushes( self::$square ), 'the register that sold already shows it' );
		$this->assertSame( 1, $this->on_hand( $p, $this->loc[0] ) );

		// (b) A web checkout through the Store API: both registers receive it.
		$shopper        = $this->site()->shopper_with( $p, 1 );
		list( $answer ) = $this->site()->checkout_all( array( $shopper ) );
		$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
		$this->until( 0, static fn() => self::square_count(), 'the Square register received the checkout' );
		$this->until( 0, static fn() => self::shopify_count(), 'the Shopify register received the checkout' );

		// (c) Both echoes come back: counted once (the sale), pushed once each.
		$this->settle();
		$this->assertCount( 1, self::pushes( self::$square ) );
		$this->assertCount( 2, self::pushes( self::$shopify ) );
		$this->assertSame(
			array( array( 'sale', 'echo' ), array( 'echo', 'echo' ) ),
			array( array_column( self::$square->sent(), 'kind' ), array_column( self::$shopify->sent(), 'kind' ) ),
			'the sale and every push\'s echo were sent: ' . wp_json_encode( array( self::$square->sent(), self::$shopify->sent() ) )
		);
		$this->assertCount( 1, $this->news( $this->sq['id'] ), 'the register sale, once' );
		$this->assertSame( array(), $this->news( $this->sh['id'] ) );
		$cell = $this->cell( $p, $this->loc[0] );
		$this->assertSame( array( 1, 1 ), array( $cell['on_hand'], $cell['committed'] ) );
		foreach ( array( $this->sq['id'], $this->sh['id'] ) as $id ) {
			$this->assertSame( 0, Plugin::sync()->run( $id )['pushed'], 'nothing more to push' );
			$this->assertSame( 0, Plugin::external_cells()->get( $id, $p, $this->loc[0] )['ext_qty'] );
		}
		$this->assertShopAgrees( $product, 'after a register sale and a web checkout' );
	}

	public function test_the_same_square_webhook_three_times_and_out_of_order_is_applied_once_in_its_place(): void {
		$product = $this->simple( 10 );
		$p       = $product->get_id();
		self::$square->stock( 'SQV', 'LSQ', 10 );
		self::$shopify->stock( '4001', '55', 10 );
		$this->connect( $p );
		$this->reconcile( $this->sq['id'] );
		$this->reconcile( $this->sh['id'] );

		// Two register sales whose webhooks Square sends late: the second (9 -> 7) before the first (10 -> 9).
		$first  = self::$square->sale( 'SQV', 'LSQ', 1, null, null, array( 'send' => false ) )['deliveries'][0]['index'];
		$second = self::$square->sale( 'SQV', 'LSQ', 2, null, null, array( 'send' => false ) )['deliveries'][0]['index'];
		foreach ( array( $second, $first, $first, $second, $first ) as $index ) {
			$this->assertSame( 200, self::$square->redeliver( $index )['status'] );
		}
		$this->settle();
		$statuses = array_values( $this->inbox( $this->sq['id'] ) );
		$this->assertSame( array( 'applied', 'stale' ), $statuses, 'two deliveries kept, the late older one stale' );
		$news = $this->news( $this->sq['id'] );
		$this->assertSame( array( '-3' ), array_column( $news, 'qty' ), 'the newer count carries both sales, applied once' );
		$this->assertSame( 7, $this->on_hand( $p, $this->loc[0] ), 'as if in order' );
		$this->assertSame( 7, self::shopify_count() );
		$this->assertCount( 1, self::pushes( self::$shopify ) );
		$this->assertSame( 7, Plugin::external_cells()->get( $this->sq['id'], $p, $this->loc[0] )['ext_qty'] );
	}

	/**
	 * Square's idempotency_key belongs to a whole batch-create, not to a change. A batch that took
	 * but whose answer was lost (a timeout under load: its fate unknown) must be sent again as the
	 * very same request: its changes again with another change of ours in the batch (or one of them
	 * alone, due first by its backoff's jitter) make another request that Square applies again, and
	 * the answer's count, one below what we pushed, passes as a register sale: the unit is counted
	 * twice here and at both registers (tests/bench/sync-gap.php's "65 doubled" at 5 sales/s).
	 */
	public function test_a_square_batch_whose_answer_was_lost_is_sent_again_as_the_same_request(): void {
		$this->lost_answer(
			function ( array $products, callable $sell ): void {
				// A third sale once the two are due again (their backoff over): the three are due together.
				$outbox = $this->tables()->outbox;
				$due_at = (int) Plugin::database()->value( Plugin::database()->prepare( "SELECT MAX(next_attempt_at) FROM {$outbox} WHERE connector = %s AND status = 'pending'", (string) $this->sq['id'] ) );
				$this->assertGreaterThan( 0, $due_at, 'the two wait for their retry' );
				usleep( max( 0, $due_at - (int) floor( microtime( true ) * 1000 ) + 50 ) * 1000 );
				$sell( $products['SQ3'], 'lost-3' );
			}
		);
	}

	/**
	 * The same when one change of the lost batch is due before the other (each row's backoff has
	 * its own jitter): it is not sent alone, the request goes again whole.
	 */
	public function test_a_square_batch_whose_answer_was_lost_is_sent_again_whole_when_one_change_is_due_first(): void {
		$this->lost_answer(
			function ( array $products, callable $sell ): void {
				$outbox = $this->tables()->outbox;
				Plugin::database()->statement( Plugin::database()->prepare( "UPDATE {$outbox} SET next_attempt_at = 0 WHERE connector = %s AND product_id = %d", (string) $this->sq['id'], $products['SQ1'] ) );
				Plugin::database()->statement( Plugin::database()->prepare( "UPDATE {$outbox} SET next_attempt_at = %d WHERE connector = %s AND product_id = %d", (int) floor( microtime( true ) * 1000 ) + 3000, (string) $this->sq['id'], $products['SQ2'] ) );
				$sell( $products['SQ3'], 'lost-3' );
			}
		);
	}

	/**
	 * Two sales here make one Square batch, which takes but whose answer is lost; then $meanwhile;
	 * then the runner until everything is pushed: each sale once at the register and here.
	 *
	 * @param callable $meanwhile fn( array $products by item, callable $sell( product, event id ) ).
	 */
	private function lost_answer( callable $meanwhile ): void {
		$products = array();
		foreach ( array( 'SQ1', 'SQ2', 'SQ3' ) as $item ) {
			$products[ $item ] = $this->simple( 20 )->get_id();
			self::$square->stock( $item, 'LSQ', 20 );
		}
		$this->sq = $this->create( 'square', 'Square till', self::$square, array( 'access_token' => 'sq-token' ), self::SQUARE_SECRET );
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/{$this->sq['id']}/locations", array( 'LSQ' => $this->loc[0] ) )->get_status() );
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/{$this->sq['id']}/items", $products )->get_status() );
		$this->reconcile( $this->sq['id'] ); // Every cell's first sight: 20 there, 20 here.
		$sell = static function ( int $product, string $id ): void {
			Plugin::inventory()->record( array( array( 'id' => $id, 'kind' => 'adjust', 'product' => $product, 'location' => $GLOBALS['omnistock_test_location'], 'qty' => -1 ) ) );
		};
		$GLOBALS['omnistock_test_location'] = $this->loc[0];

		// Two web sales: one batch of two changes, which Square applies, but its answer is lost.
		$sell( $products['SQ1'], 'lost-1' );
		$sell( $products['SQ2'], 'lost-2' );
		self::$square->config( array( 'lose' => 1 ) );
		$report = Plugin::sync()->run( $this->sq['id'] );
		$this->assertSame( 'ran', $report['status'], wp_json_encode( $report ) );
		$this->assertSame( 19, self::count_at( self::$square, 'SQ1', 'LSQ' ), 'the lost answer\'s batch took' );
		$meanwhile( $products, $sell );
		$until = microtime( true ) + 20;
		do {
			usleep( 250000 );
			Plugin::sync()->run( $this->sq['id'] );
			$pending = (int) Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM {$this->tables()->outbox} WHERE connector = %s AND status = 'pending'", (string) $this->sq['id'] ) );
		} while ( $pending > 0 && microtime( true ) < $until );
		$this->assertSame( 0, $pending, 'everything pushed' );

		$pushes = self::pushes( self::$square );
		$this->assertGreaterThanOrEqual( 2, count( $pushes ) );
		$ours   = array();
		$theirs = array();
		foreach ( $products as $item => $product ) {
			$ours[ $item ]   = (int) Plugin::inventory()->sellable_at( array( $product ), $this->loc[0] )[ $product ];
			$theirs[ $item ] = self::count_at( self::$square, $item, 'LSQ' );
		}
		$expected = array( 'SQ1' => 19, 'SQ2' => 19, 'SQ3' => 19 );
		$this->assertSame( $expected, $theirs, 'each sale reached the register once: ' . wp_json_encode( array_map( static fn( $r ) => json_decode( $r['body'], true ), $pushes ) ) );
		$this->assertSame( $expected, $ours, 'each sale counted once here: ' . wp_json_encode( $this->news( $this->sq['id'] ) ) );
		$this->assertSame( array(), $this->news( $this->sq['id'] ), 'no register sale was made up' );
		foreach ( $pushes as $push ) {
			if ( str_contains( $push['body'], '"SQ1"' ) ) {
				$this->assertSame( $pushes[0]['body'], $push['body'], 'the batch whose fate was unknown is sent again as it was (its idempotency_key and changes)' );
			}
		}
	}

	/**
	 * @group connectors-slow
	 */
	public function test_a_429_storm_is_waited_out_and_everything_is_delivered_once(): void {
		$p = $this->simple( 20 )->get_id();
		self::$square->stock( 'SQV', 'LSQ', 20 );
		self::$shopify->stock( '4001', '55', 20 );
		$this->connect( $p );
		$this->reconcile( $this->sq['id'] );
		$this->reconcile( $this->sh['id'] );

		// Square fails the next request (500: its fate unknown to us), then answers 429 (Retry-After: 1 s)
		// to the next three; five changes meanwhile.
		self::$square->config( array( 'fail' => 1, 'rate429' => array( 'count' => 3, 'retry_after' => 1 ) ) );
		for ( $n = 0; $n < 5; $n++ ) {
			Plugin::inventory()->record( array( array( 'id' => "storm-$n", 'kind' => 'adjust', 'product' => $p, 'location' => $this->loc[0], 'qty' => -1 ) ) );
		}
		// The runner, as often as it is started (no clock here: it is done when the register has it).
		$this->until(
			15,
			function (): ?int {
				Plugin::sync()->run( $this->sq['id'] );
				return self::square_count();
			},
			'Square got the five changes as one',
			30.0
		);
		Plugin::sync()->run( $this->sh['id'] );
		$this->assertSame( 15, self::shopify_count(), 'the other register was not held up' );
		$this->settle();
		$pushes = self::pushes( self::$square );
		$this->assertCount( 5, $pushes, 'one failed, three refused, then one delivered, nothing more' );
		$this->assertSame( 0, self::$square->config( array() )['rate429']['count'], 'the three 429s were answered' );
		$times  = array_column( $pushes, 'at' );
		$sorted = $times;
		sort( $sorted );
		$this->assertSame( $sorted, $times, 'one after the other' );
		$this->assertSame( $pushes[0]['body'], $pushes[1]['body'], 'after an unknown fate the same request again, occurred_at included (Square refuses its idempotency_key with another body)' );
		$keys = array_map(
			static function ( array $r ): array {
				$body = json_decode( $r['body'], true );
				return array( $body['idempotency_key'], array_column( array_column( $body['changes'], 'adjustment' ), 'reference_id' ), array_column( array_column( $body['changes'], 'adjustment' ), 'quantity' ) );
			},
			$pushes
		);
		$this->assertCount( 1, array_unique( array_map( 'serialize', $keys ) ), 'the same change (its key) each time: ' . wp_json_encode( $keys ) );
		$this->assertCount( 1, self::pushes( self::$shopify ) );
		$this->assertSame( array(), $this->news( $this->sq['id'] ), 'its echo is no news' );
		$this->assertSame( array(), $this->news( $this->sh['id'] ) );
	}

	/**
	 * @group connectors-slow
	 */
	public function test_forged_and_oversized_square_and_shopify_webhooks_write_nothing(): void {
		$product = $this->simple( 10 );
		$this->connect( $product->get_id() );
		$ledger = $this->ledger_count();
		$square = (string) wp_json_encode(
			array(
				'merchant_id' => 'M',
				'type'        => 'inventory.count.updated',
				'event_id'    => 'evt-forged',
				'created_at'  => gmdate( 'Y-m-d\TH:i:s\Z' ),
				'data'        => array(
					'type'   => 'inventory',
					'id'     => 'x',
					'object' => array(
						'inventory_counts' => array(
							array(
								'catalog_object_id'   => 'SQV',
								'catalog_object_type' => 'ITEM_VARIATION',
								'state'               => 'IN_STOCK',
								'location_id'         => 'LSQ',
								'quantity'            => '1',
								'calculated_at'       => gmdate( 'Y-m-d\TH:i:s\Z' ),
							),
						),
					),
				),
			)
		);
		$shopify = (string) wp_json_encode(
			array(
				'inventory_item_id' => 4001,
				'location_id'       => 55,
				'available'         => 1,
				'updated_at'        => gmdate( 'c' ),
			)
		);
		$shopify_headers = array(
			'X-Shopify-Topic'    => 'inventory_levels/update',
			'X-Shopify-Event-Id' => 'evt-forged',
		);
		$big = static fn( string $body ): string => substr( $body, 0, -1 ) . ', "padding": "' . str_repeat( 'x', 1048576 ) . '"}';
		$cases = array(
			// Square: signed with another key; signed for another URL (Square signs URL + body); too big.
			array( $this->sq['webhook_url'], $square, \Omnistock\Webhook::sign( 'square', $square, 'another-key', array( 'url' => $this->sq['webhook_url'] ) ), 401 ),
			array( $this->sq['webhook_url'], $square, \Omnistock\Webhook::sign( 'square', $square, self::SQUARE_SECRET, array( 'url' => 'https://elsewhere.example/hook' ) ), 401 ),
			array( $this->sq['webhook_url'], $big( $square ), \Omnistock\Webhook::sign( 'square', $big( $square ), self::SQUARE_SECRET, array( 'url' => $this->sq['webhook_url'] ) ), 413 ),
			// Shopify: another secret; none; too big.
			array( $this->sh['webhook_url'], $shopify, \Omnistock\Webhook::sign( 'shopify', $shopify, 'another-secret' ) + $shopify_headers, 401 ),
			array( $this->sh['webhook_url'], $shopify, $shopify_headers, 401 ),
			array( $this->sh['webhook_url'], $big( $shopify ), \Omnistock\Webhook::sign( 'shopify', $big( $shopify ), self::SHOPIFY_SECRET ) + $shopify_headers, 413 ),
		);
		foreach ( $cases as $i => list( $url, $body, $headers, $status ) ) {
			list( $got, $answer ) = $this->hook( $url, $body, $headers );
			$this->assertSame( $status, $got, "case $i: " . wp_json_encode( $answer ) );
		}
		$this->assertSame( array( array(), array() ), array( $this->inbox( $this->sq['id'] ), $this->inbox( $this->sh['id'] ) ), 'no inbox row' );
		$this->assertSame( $ledger, $this->ledger_count(), 'no ledger row' );
		$this->assertSame( 0, $this->outbox_rows(), 'no outbox row' );
		$this->assertSame( 10, $this->on_hand( $product->get_id(), $this->loc[0] ) );

		// The same bodies rightly signed are kept (the cases above fail for their signatures only).
		list( $got ) = $this->hook( $this->sq['webhook_url'], $square, \Omnistock\Webhook::sign( 'square', $square, self::SQUARE_SECRET, array( 'url' => $this->sq['webhook_url'] ) ) );
		$this->assertSame( 200, $got );
		list( $got ) = $this->hook( $this->sh['webhook_url'], $shopify, \Omnistock\Webhook::sign( 'shopify', $shopify, self::SHOPIFY_SECRET ) + $shopify_headers );
		$this->assertSame( 200, $got );
		$this->assertCount( 1, $this->inbox( $this->sq['id'] ) );
		$this->assertCount( 1, $this->inbox( $this->sh['id'] ) );
	}

	public function test_an_unmapped_square_items_webhooks_are_kept_and_applied_once_mapped(): void {
		$mapped = $this->simple( 5 )->get_id();
		$later  = $this->simple( 8 )->get_id();
		self::$square->stock( 'SQV', 'LSQ', 5 );
		self::$square->stock( 'SQW', 'LSQ', 8 );
		$this->connect( $mapped, 'provider' );
		$this->reconcile( $this->sq['id'] );

		// SQW is not mapped yet: its two sales (8 -> 7 -> 5) are kept, not applied; a duplicate is not kept twice.
		$this->assertSame( 200, self::$square->sale( 'SQW', 'LSQ', 1 )['deliveries'][0]['status'] );
		$this->assertSame( 200, self::$square->sale( 'SQW', 'LSQ', 2 )['deliveries'][0]['status'] );
		$this->assertSame( 200, self::$square->redeliver()['status'] );
		$this->until( array( 'unmapped', 'unmapped' ), fn() => array_values( $this->inbox( $this->sq['id'] ) ), 'the runner looked at them and kept them' );
		$this->assertSame( array(), $this->news( $this->sq['id'] ) );
		$this->assertSame( 8, $this->on_hand( $later, $this->loc[0] ) );
		$this->assertSame( 2, $this->rest( 'GET', "/connections/{$this->sq['id']}" )->get_data()['inbox']['unmapped'] );

		// Mapped (as the admin does: the request's end kicks the runner): the kept deliveries are read
		// again. The first (7) is the cell's first sight; Square is the system of record at this
		// location, so its number is adopted here at once (8 -> 7, reason reconcile) before any push of
		// ours could overwrite it; the second (5) is news on top. Both sales are counted, once.
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/{$this->sq['id']}/items", array( 'SQV' => $mapped, 'SQW' => $later ) )->get_status() );
		Plugin::sync()->send_kicks();
		$this->until( array( 'baseline', 'applied' ), fn() => array_values( $this->inbox( $this->sq['id'] ) ), 'the kept deliveries, read once mapped' );
		$this->assertSame( 5, Plugin::external_cells()->get( $this->sq['id'], $later, $this->loc[0] )['ext_qty'] );
		$this->assertSame( 5, $this->on_hand( $later, $this->loc[0] ), 'the register\'s three sales, counted here' );
		$report = $this->reconcile( $this->sq['id'] );
		$cells  = array_values( array_filter( $report['reconciled']['cells'], static fn( array $c ): bool => 'SQW' === $c['item'] ) );
		$this->assertSame( array( 5, 5, 0, null ), array( $cells[0]['register'], $cells[0]['ours'], $cells[0]['drift'], $cells[0]['corrected'] ), wp_json_encode( $report ) );
		$this->reconcile( $this->sq['id'] );
		$this->assertSame( 5, $this->on_hand( $later, $this->loc[0] ), 'once' );
		$events = array_values( array_filter( $this->news( $this->sq['id'] ), static fn( array $e ): bool => (int) $e['product_id'] === $later ) );
		$this->assertSame( array( array( '-1', 'reconcile' ), array( '-2', 'external_sale' ) ), array_map( static fn( array $e ): array => array( $e['qty'], $e['reason'] ), $events ) );
		$this->settle();
		$this->assertSame( array(), self::pushes( self::$square ), 'nothing pushed back: the register was right' );
		$this->assertShopAgrees( wc_get_product( $later ), 'after the kept sale' );
	}

	/**
	 * @group connectors-slow
	 */
	public function test_drift_is_found_by_the_runners_reconciliation_and_corrected_by_the_system_of_record(): void {
		$product = $this->simple( 3 );
		$p       = $product->get_id();
		// Square shows 5 where we are the system of record, Shopify 7 where it is.
		self::$square->stock( 'SQV', 'LSQ', 5 );
		self::$shopify->stock( '4001', '55', 7 );
		$this->connect( $p, 'omnistock', 'provider' );

		$report = $this->reconcile( $this->sq['id'] );
		$this->assertSame( array( 2, 'push' ), array( $report['reconciled']['cells'][0]['drift'], $report['reconciled']['cells'][0]['corrected'] ), wp_json_encode( $report ) );
		$this->until( 3, static fn() => self::square_count(), 'our number set at Square' );
		$this->assertSame( 3, $this->on_hand( $p, $this->loc[0] ), 'ours kept' );

		$report = $this->reconcile( $this->sh['id'] );
		$this->assertSame( array( 4, 'count' ), array( $report['reconciled']['cells'][0]['drift'], $report['reconciled']['cells'][0]['corrected'] ), wp_json_encode( $report ) );
		$this->assertSame( 7, $this->on_hand( $p, $this->loc[0] ), 'Shopify\'s number counted here' );
		$this->assertSame( 'reconcile', Plugin::inventory()->ledger_tail( 1, $p, $this->loc[0] )[0]['reason'] );
		Plugin::outbox()->kick_written(); // This request's end: its outbox rows kick their connections.
		Plugin::sync()->send_kicks();
		$this->until( 7, static fn() => self::square_count(), 'the correction reaches the other register' );

		// A sale at Square whose webhook never comes: the next reconciliation takes it in.
		self::$square->stock( 'SQV', 'LSQ', 4 );
		$this->settle();
		$this->reconcile( $this->sq['id'] );
		$this->assertSame( 4, $this->on_hand( $p, $this->loc[0] ) );
		Plugin::outbox()->kick_written();
		Plugin::sync()->send_kicks();
		$this->until( 4, static fn() => self::shopify_count(), 'and Shopify receives it' );
		$this->settle();
		foreach ( array( $this->sq['id'], $this->sh['id'] ) as $id ) {
			$this->assertSame( array(), $this->rest( 'GET', "/connections/$id" )->get_data()['drift'], "connection $id: no drift left" );
		}
		$this->assertCount( 2, self::pushes( self::$square ), 'our number, then the correction' );
		$this->assertCount( 1, self::pushes( self::$shopify ), 'the missed sale' );
		$this->assertShopAgrees( $product, 'after reconciliation' );
	}
}
