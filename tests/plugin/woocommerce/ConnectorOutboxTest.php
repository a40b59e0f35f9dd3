<?php
/**
 * The outbound half of the connectors, over real HTTP to a register that speaks the Standard stock
 * API (the fake tests/providers/standard.php, pushed to by Connectors\Providers\Standard): a change of a mapped cell writes its outbox row in its
 * own transaction; any number of changes of a cell are one push of its available to sell; a
 * register that is down loses nothing and gets each cell once when back; 429 and Retry-After are
 * honoured; a day of failures makes a dead letter, which a retry delivers; and a web checkout
 * through the Store API reaches the register by the request's own kick.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Outbox;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/FakeProvider.php';
require_once __DIR__ . '/lib/StoreApiClient.php';

final class ConnectorOutboxTest extends WcTestCase {

	private static ?FakeProvider $fake = null;
	private Connections $connections;
	private int $connection;

	public static function setUpBeforeClass(): void {
		self::$fake = FakeProvider::start( 'standard', FakeProvider::port( 5 ) );
	}

	public static function tearDownAfterClass(): void {
		self::$fake?->stop();
		self::$fake = null;
		self::clear_connectors();
	}

	private static function clear_connectors(): void {
		$tables = new Tables( $GLOBALS['wpdb'] );
		foreach ( array_merge( $tables->connectors(), array( $tables->outbox ) ) as $table ) {
			Plugin::database()->statement( "DELETE FROM $table" );
		}
		update_option( Connections::ANY_OPTION, '0', true );
	}

	protected function setUp(): void {
		parent::setUp();
		self::clear_connectors();
		self::$fake->reset();
		self::$fake->config( array( 'token' => 'standard-token' ) );
		$this->connections = Plugin::connections();
		$this->connection  = $this->connections->create( 'standard', 'Register', self::$fake->url(), array( 'token' => 'standard-token' ), 'whsec_test' )->id;
		$this->connections->set_locations( $this->connection, array( 'L0' => $this->loc[0] ) );
	}

	protected function tearDown(): void {
		self::clear_connectors();
		wp_set_current_user( 0 );
	}

	/** Maps products to items ITEM-0, ITEM-1, ... */
	private function map( array $products ): void {
		$map = array();
		foreach ( array_values( $products ) as $i => $product ) {
			$map[ "ITEM-$i" ] = $product->get_id();
		}
		$this->connections->set_items( $this->connection, $map );
	}

	private function outbox_row( int $product, int $location ): ?array {
		$rows = Plugin::database()->rows( Plugin::database()->prepare( "SELECT * FROM {$GLOBALS['wpdb']->prefix}omnistock_outbox WHERE connector = %s AND event_id = %s", (string) $this->connection, "cell:$product:$location" ) );
		return $rows[0] ?? null;
	}

	private function outbox_sql( string $set, int $product ): void {
		Plugin::database()->statement( Plugin::database()->prepare( "UPDATE {$GLOBALS['wpdb']->prefix}omnistock_outbox SET $set WHERE connector = %s AND product_id = %d", (string) $this->connection, $product ) );
	}

	private function adjust( int $product, int $qty, string $id ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => $id,
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $this->loc[0],
					'qty'      => $qty,
					'at'       => Database::now_ms(),
				),
			),
			array( 'source' => 'test' )
		);
	}

	private function sellable( int $product ): int {
		return max( 0, Plugin::inventory()->sellable_at( array( $product ), $this->loc[0] )[ $product ] );
	}

	/** @return list<array> Every change the register received in POST /stock/changes, with its request's status. */
	private static function changes(): array {
		$out = array();
		foreach ( self::$fake->requests() as $i => $request ) {
			if ( 'POST' === $request['method'] && '/stock/changes' === $request['path'] ) {
				foreach ( json_decode( $request['body'], true )['changes'] ?? array() as $change ) {
					$out[] = $change + array(
						'status'  => $request['status'],
						'request' => $i,
					);
				}
			}
		}
		return $out;
	}

	/** The register's count of a cell, or null. */
	private static function quantity( string $item, string $location ): ?int {
		$counts = self::$fake->counts();
		return isset( $counts[ "$item\n$location" ] ) ? (int) $counts[ "$item\n$location" ]['qty'] : null;
	}

	/** @return list<array> The changes the register accepted (200) for an item. */
	private function accepted( string $item ): array {
		return array_values( array_filter( self::changes(), static fn( array $c ): bool => 200 === $c['status'] && $item === $c['item'] ) );
	}

	public function test_wp_omnistock_sync_run_pushes_what_is_due(): void {
		$mug = $this->simple( 6 );
		$this->map( array( $mug ) );
		Plugin::outbox()->touch( $this->connection, $mug->get_id(), $this->loc[0] );
		// Without WooCommerce: its WP-CLI classes exit when WP-CLI's bundled commands are not installed
		// (only WP-CLI's framework is); the outbox and the runner do not need it.
		$boot   = getenv( 'OMNISTOCK_TOOLS' ) . '/vendor/wp-cli/wp-cli/php/boot-fs.php';
		$this->assertFileExists( $boot, 'WP-CLI is installed (bin/lib/wordpress.sh)' );
		$run = static function ( string ...$args ) use ( $boot ): array {
			$proc = proc_open( array_merge( array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), $boot, '--path=' . getenv( 'OMNISTOCK_WP_DIR' ), '--allow-root', '--skip-plugins=woocommerce', 'omnistock', 'sync', 'run' ), $args ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
			$out  = stream_get_contents( $pipes[1] );
			$err  = stream_get_contents( $pipes[2] );
			fclose( $pipes[1] );
			fclose( $pipes[2] );
			return array( proc_close( $proc ), $out, $err );
		};
		list( $code, $out, $err ) = $run( '--connection=' . $this->connection );
		$this->assertSame( 0, $code, $out . $err );
		$report = json_decode( trim( $out ), true );
		$this->assertIsArray( $report, $out . $err );
		$this->assertSame( array( $this->connection, 'ran', 1, 1 ), array( $report['connection'], $report['status'], $report['pushed'], $report['acknowledged'] ), $out );
		$this->assertSame( 6, self::quantity( 'ITEM-0', 'L0' ) );
		list( $code, $out ) = $run();
		$this->assertSame( 0, $code, $out );
		$this->assertSame( 0, json_decode( trim( $out ), true )["pushed"] ?? null, "every active connection; nothing more to send: $out" );
		list( $code, , $err ) = $run( '--connection=' . ( $this->connection + 99 ) );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'no such connection', $err );
	}

	public function test_the_recurring_job_is_scheduled_and_runs_every_active_connection(): void {
		$mug = $this->simple( 3 );
		$this->map( array( $mug ) );
		Plugin::outbox()->touch( $this->connection, $mug->get_id(), $this->loc[0] );
		\Omnistock\Connectors\Sync::unschedule();
		\Omnistock\Connectors\Sync::schedule();
		$this->assertTrue( as_has_scheduled_action( \Omnistock\Connectors\Sync::TICK_HOOK ) || false !== wp_next_scheduled( \Omnistock\Connectors\Sync::TICK_HOOK ), 'the tick is scheduled' );
		do_action( \Omnistock\Connectors\Sync::TICK_HOOK );
		$this->assertSame( 3, self::quantity( 'ITEM-0', 'L0' ), 'the tick pushed what was due' );
		\Omnistock\Connectors\Sync::unschedule();
		$this->assertFalse( as_has_scheduled_action( \Omnistock\Connectors\Sync::TICK_HOOK ) );
	}

	public function test_a_change_of_a_mapped_cell_writes_its_outbox_row_in_its_own_transaction(): void {
		$mug = $this->simple( 5 );
		$this->map( array( $mug ) );
		$id = $mug->get_id();
		$this->assertNull( $this->outbox_row( $id, $this->loc[0] ), 'mapping alone queues nothing' );

		// A change that rolls back (something later in its transaction fails) leaves no row.
		$seen  = null;
		$fails = static function () use ( &$seen, $id ): void {
			$seen = Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM {$GLOBALS['wpdb']->prefix}omnistock_outbox WHERE product_id = %d", $id ) );
			throw new \RuntimeException( 'after the outbox, before COMMIT' );
		};
		add_action( 'omnistock_before_commit', $fails, 99 );
		try {
			$this->adjust( $id, -1, 'test:out:rolled-back' );
			$this->fail( 'the change should have failed' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'after the outbox, before COMMIT', $e->getMessage() );
		} finally {
			remove_action( 'omnistock_before_commit', $fails, 99 );
		}
		$this->assertSame( '1', $seen, 'the row was written inside the stock transaction' );
		$this->assertNull( $this->outbox_row( $id, $this->loc[0] ), 'rolled back with it' );
		$this->assertSame( 5, $this->cell( $id, $this->loc[0] )['on_hand'] );

		// A refused sale (more than is sellable) writes nothing either.
		try {
			Plugin::inventory()->sell( 'test-out-refused', array( array( $id, $this->loc[0], 9 ) ) );
		} catch ( \Omnistock\Error $e ) {
			unset( $e ); // Refused: nothing recorded.
		}
		$this->assertNull( $this->outbox_row( $id, $this->loc[0] ), 'a refused change writes no row' );

		// A change of a cell no connection maps (the Store) writes none.
		Plugin::inventory()->record( array( array( 'id' => 'test:out:store', 'kind' => 'count', 'product' => $id, 'location' => $this->loc[1], 'qty' => 4, 'at' => Database::now_ms() ) ) );
		$this->assertNull( $this->outbox_row( $id, $this->loc[1] ), 'an unmapped cell writes no row' );

		$this->adjust( $id, -1, 'test:out:committed' );
		$row = $this->outbox_row( $id, $this->loc[0] );
		$this->assertNotNull( $row, 'a committed change of a mapped cell has its row' );
		$this->assertSame( array( 'pending', '1' ), array( $row['status'], $row['version'] ) );
		$this->adjust( $id, -1, 'test:out:committed-2' );
		$this->assertSame( '2', $this->outbox_row( $id, $this->loc[0] )['version'], 'the next change bumps the same row' );
	}

	public function test_five_changes_are_one_push_of_the_available_to_sell(): void {
		$mug = $this->simple( 10 );
		$this->map( array( $mug ) );
		$id  = $mug->get_id();
		$inv = Plugin::inventory();
		$this->adjust( $id, 2, 'test:out:c1' );                                    // 1: on hand 12.
		$inv->set_safety( $id, $this->loc[0], 1 );                                  // 2: safety 1.
		$this->assertTrue( $inv->hold( 'test-out-cart', array( array( $id, $this->loc[0], 3 ) ) )['ok'] ); // 3: held 3.
		$this->assertTrue( $inv->hold( 'test-out-order', array( array( $id, $this->loc[0], 2 ) ) )['ok'] );
		$this->assertTrue( $inv->commit( 'test-out-order', array( array( $id, $this->loc[0], 2 ) ) )['ok'] ); // 4: committed 2.
		$this->adjust( $id, -2, 'test:out:c5' );                                   // 5: on hand 10.
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 10, 2, 1, 3 ), array( $cell['on_hand'], $cell['committed'], $cell['safety'], $cell['held'] ) );
		$row = $this->outbox_row( $id, $this->loc[0] );
		$this->assertGreaterThanOrEqual( 5, (int) $row['version'], 'every change bumped the one row' );

		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 'ran', 1, 1, 0 ), array( $report['status'], $report['pushed'], $report['acknowledged'], $report['remaining'] ), wp_json_encode( $report ) );
		$changes = self::changes();
		$this->assertCount( 1, $changes, 'one push for five changes' );
		$this->assertSame( 4, $changes[0]['target'], 'on hand 10 - committed 2 - safety 1 - held 3, never the on hand' );
		$this->assertSame( array( 'ITEM-0', 'L0', 4, null ), array( $changes[0]['item'], $changes[0]['location'], $changes[0]['delta'], $changes[0]['from'] ) );
		$this->assertSame( Outbox::key( $this->connection, $id, $this->loc[0], (int) $row['version'] ), $changes[0]['key'] );
		$this->assertSame( 4, self::quantity( 'ITEM-0', 'L0' ) );
		$this->assertSame( 'done', $this->outbox_row( $id, $this->loc[0] )['status'] );

		// Nothing new: nothing sent. The cart's hold goes: the next push is the difference.
		Plugin::sync()->run( $this->connection );
		$this->assertCount( 1, self::changes(), 'a done row sends nothing' );
		$inv->release( 'test-out-cart', array( $id ) );
		Plugin::sync()->run( $this->connection );
		$changes = self::changes();
		$this->assertCount( 2, $changes );
		$this->assertSame( array( 7, 3, 4 ), array( $changes[1]['target'], $changes[1]['delta'], $changes[1]['from'] ), 'a released hold: +3 from the 4 the register showed' );
		$this->assertSame( 7, self::quantity( 'ITEM-0', 'L0' ) );
	}

	public function test_a_register_down_for_200_changes_gets_each_cell_once_when_back(): void {
		$products = array();
		for ( $i = 0; $i < 4; $i++ ) {
			$products[] = $this->simple( 100 );
		}
		$this->map( $products );
		foreach ( $products as $product ) {
			Plugin::outbox()->touch( $this->connection, $product->get_id(), $this->loc[0] );
		}
		Plugin::sync()->run( $this->connection );
		foreach ( $products as $i => $product ) {
			$this->assertSame( 100, self::quantity( "ITEM-$i", 'L0' ), 'first push: the count' );
		}
		$before = count( self::changes() );

		self::$fake->config( array( 'down' => true ) );
		for ( $n = 0; $n < 200; $n++ ) {
			$this->adjust( $products[ $n % 4 ]->get_id(), 0 === $n % 3 ? 2 : -1, "test:out:down:$n" );
			if ( 0 === $n % 25 ) {
				$this->outbox_sql( 'next_attempt_at = 0', $products[ $n % 4 ]->get_id() ); // The backoff passed.
				Plugin::sync()->run( $this->connection );
			}
		}
		$refused = array_filter( array_slice( self::changes(), $before ), static fn( array $c ): bool => 503 === $c['status'] );
		$this->assertNotEmpty( $refused, 'pushes were tried while the register was down' );
		$this->assertSame( 4, (int) Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM {$GLOBALS['wpdb']->prefix}omnistock_outbox WHERE connector = %s AND status = 'pending'", (string) $this->connection ) ), 'every cell waits' );

		self::$fake->config( array( 'down' => false ) );
		foreach ( $products as $product ) {
			$this->outbox_sql( 'next_attempt_at = 0', $product->get_id() ); // Their waits passed.
		}
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 4, 4, 0 ), array( $report['pushed'], $report['acknowledged'], $report['remaining'] ), wp_json_encode( $report ) );
		foreach ( $products as $i => $product ) {
			$accepted = $this->accepted( "ITEM-$i" );
			$this->assertCount( 2, $accepted, "ITEM-$i: the first push and one after the outage" );
			$this->assertSame( $this->sellable( $product->get_id() ), self::quantity( "ITEM-$i", 'L0' ), "ITEM-$i: nothing lost" );
			$this->assertSame( $this->sellable( $product->get_id() ), $accepted[1]['target'] );
		}
		Plugin::sync()->run( $this->connection );
		$this->assertCount( 8, array_filter( self::changes(), static fn( array $c ): bool => 200 === $c['status'] ), 'nothing more' );
	}

	public function test_a_429_with_retry_after_is_waited_for(): void {
		$mug = $this->simple( 6 );
		$this->map( array( $mug ) );
		$id = $mug->get_id();
		Plugin::outbox()->touch( $this->connection, $id, $this->loc[0] );
		Plugin::sync()->run( $this->connection );
		$this->assertSame( 6, self::quantity( 'ITEM-0', 'L0' ) );

		// An hour's Retry-After: no attempt before it.
		self::$fake->config( array( 'rate429' => array( 'count' => 1, 'retry_after' => 3600 ) ) );
		$this->adjust( $id, -1, 'test:out:429:1' );
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 1, 1 ), array( $report['pushed'], $report['failed'] ) );
		$row = $this->outbox_row( $id, $this->loc[0] );
		$this->assertGreaterThanOrEqual( Database::now_ms() + 3500 * 1000, (int) $row['next_attempt_at'], 'the row waits the hour the register asked for' );
		Plugin::sync()->run( $this->connection );
		Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 200, 429 ), array_column( self::changes(), 'status' ), 'nothing sent meanwhile' );
		$this->outbox_sql( 'next_attempt_at = 0', $id ); // The hour passed.
		Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 200, 429, 200 ), array_column( self::changes(), 'status' ) );
		$this->assertSame( 5, self::quantity( 'ITEM-0', 'L0' ) );

		// A second's Retry-After, twice: the same run waits and sends again, the same change each time.
		self::$fake->config( array( 'rate429' => array( 'count' => 2, 'retry_after' => 1 ) ) );
		$this->adjust( $id, -2, 'test:out:429:2' );
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 3, 1, 0 ), array( $report['pushed'], $report['acknowledged'], $report['remaining'] ), wp_json_encode( $report ) );
		$last = array_slice( self::changes(), 3 );
		$this->assertSame( array( 429, 429, 200 ), array_column( $last, 'status' ) );
		$this->assertSame( array( 3, 3, 3 ), array_column( $last, 'target' ) );
		$this->assertCount( 1, array_unique( array_column( $last, 'key' ) ), 'one change, one key' );
		$times  = array_column( array_slice( array_values( array_filter( self::$fake->requests(), static fn( $r ) => '/stock/changes' === $r['path'] ) ), 3 ), 'at_ms' );
		$sorted = $times;
		sort( $sorted );
		$this->assertSame( $sorted, $times, 'three attempts, one after the other' );
		$this->assertSame( 3, self::quantity( 'ITEM-0', 'L0' ) );
	}

	public function test_a_day_of_failures_makes_a_dead_letter_that_a_retry_delivers(): void {
		$mug = $this->simple( 8 );
		$this->map( array( $mug ) );
		$id = $mug->get_id();
		Plugin::outbox()->touch( $this->connection, $id, $this->loc[0] );
		Plugin::sync()->run( $this->connection );
		self::$fake->config( array( 'down' => true ) );
		$this->adjust( $id, -3, 'test:out:dead' );
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 1, 0 ), array( $report['failed'], $report['dead'] ) );
		$row = $this->outbox_row( $id, $this->loc[0] );
		$this->assertSame( 'pending', $row['status'] );
		$this->assertGreaterThan( 0, (int) $row['first_failed_at'] );

		// A day later (the clock moved through first_failed_at), the next failure is the last.
		$this->outbox_sql( 'first_failed_at = first_failed_at - ' . ( Outbox::DEAD_AFTER_MS + 1000 ) . ', next_attempt_at = 0', $id );
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( 1, $report['dead'], wp_json_encode( $report ) );
		$this->assertSame( 'dead', $this->outbox_row( $id, $this->loc[0] )['status'] );
		$this->assertSame( '', Plugin::external_cells()->get( $this->connection, $id, $this->loc[0] )['inflight_key'], 'its push is given up' );
		Plugin::sync()->run( $this->connection );
		$this->assertCount( 3, self::changes(), 'the first push, two failures; a dead letter is not sent again by itself' );

		wp_set_current_user( 0 );
		$this->assertSame( 401, rest_do_request( new \WP_REST_Request( 'GET', "/omnistock/v1/connections/{$this->connection}/dead-letters" ) )->get_status() );
		wp_set_current_user( 1 );
		$letters = rest_do_request( new \WP_REST_Request( 'GET', "/omnistock/v1/connections/{$this->connection}/dead-letters" ) );
		$this->assertSame( 200, $letters->get_status() );
		$this->assertCount( 1, $letters->get_data() );
		$letter = $letters->get_data()[0];
		$this->assertSame( array( $id, $this->loc[0], 'ITEM-0', 'L0' ), array( $letter['product'], $letter['location'], $letter['item'], $letter['external_location'] ) );
		$this->assertStringContainsString( '503', $letter['last_error'] );

		ob_start();
		( new \Omnistock\Admin\DeadLetterNotice( Plugin::outbox(), $this->connections ) )->render();
		$notice = (string) ob_get_clean();
		$this->assertStringContainsString( '1 stock change could not be delivered to Register', $notice );
		$this->assertStringContainsString( \Omnistock\Admin\DeadLetterNotice::ACTION, $notice, 'with its retry button' );

		$this->assertSame( 404, rest_do_request( new \WP_REST_Request( 'POST', "/omnistock/v1/connections/{$this->connection}/dead-letters/" . ( (int) $letter['id'] + 1000 ) . '/retry' ) )->get_status() );
		self::$fake->config( array( 'down' => false ) );
		$retried = rest_do_request( new \WP_REST_Request( 'POST', "/omnistock/v1/connections/{$this->connection}/dead-letters/{$letter['id']}/retry" ) );
		$this->assertSame( 200, $retried->get_status(), wp_json_encode( $retried->get_data() ) );
		$this->assertSame( 'pending', $this->outbox_row( $id, $this->loc[0] )['status'] );
		$synced = rest_do_request( new \WP_REST_Request( 'POST', "/omnistock/v1/connections/{$this->connection}/sync" ) );
		$this->assertSame( 200, $synced->get_status() );
		$this->assertSame( array( 1, 0, 0 ), array( $synced->get_data()['acknowledged'], $synced->get_data()['dead'], $synced->get_data()['remaining'] ), wp_json_encode( $synced->get_data() ) );
		$this->assertSame( 5, self::quantity( 'ITEM-0', 'L0' ), 'delivered' );
		$this->assertSame( array(), rest_do_request( new \WP_REST_Request( 'GET', "/omnistock/v1/connections/{$this->connection}/dead-letters" ) )->get_data() );
		$this->assertSame( 404, rest_do_request( new \WP_REST_Request( 'POST', '/omnistock/v1/connections/' . ( $this->connection + 99 ) . '/sync' ) )->get_status() );
	}

	public function test_changes_are_batched_and_paced_by_the_providers_limits(): void {
		$products = array();
		for ( $i = 0; $i < 5; $i++ ) {
			$products[] = $this->simple( 10 + $i );
		}
		$this->map( $products );
		foreach ( $products as $product ) {
			Plugin::outbox()->touch( $this->connection, $product->get_id(), $this->loc[0] );
		}
		// The real Standard provider, its limits narrowed (a runner of its own, as Plugin::sync() builds it).
		$narrow = new class( new \Omnistock\Connectors\Providers\Standard() ) implements \Omnistock\Connectors\Provider {
			public function __construct( private \Omnistock\Connectors\Provider $inner ) {}
			public function limits(): array {
				return array( 'batch' => 2, 'concurrency' => 1, 'per_second' => 20.0 );
			}
			public function name(): string { return $this->inner->name(); }
			public function scheme(): string { return $this->inner->scheme(); }
			public function verify_options( string $u ): array { return $this->inner->verify_options( $u ); }
			public function delivery_id( array $h, array $p, ?string $v ): ?string { return $this->inner->delivery_id( $h, $p, $v ); }
			public function topic( array $h, array $p ): string { return $this->inner->topic( $h, $p ); }
			public function observations( array $h, array $p ): array { return $this->inner->observations( $h, $p ); }
			public function push_requests( \Omnistock\Connectors\Connection $c, array $changes ): array { return $this->inner->push_requests( $c, $changes ); }
			public function push_outcomes( \Omnistock\Connectors\Connection $c, array $changes, array $r ): array { return $this->inner->push_outcomes( $c, $changes, $r ); }
			public function count_requests( \Omnistock\Connectors\Connection $c, array $i, array $l ): array { return $this->inner->count_requests( $c, $i, $l ); }
			public function counts( \Omnistock\Connectors\Connection $c, array $q, array $r ): array { return $this->inner->counts( $c, $q, $r ); }
			public function catalogue_request( \Omnistock\Connectors\Connection $c, ?string $k ): array { return $this->inner->catalogue_request( $c, $k ); }
			public function catalogue( \Omnistock\Connectors\Connection $c, array $r ): array { return $this->inner->catalogue( $c, $r ); }
			public function locations_request( \Omnistock\Connectors\Connection $c ): array { return $this->inner->locations_request( $c ); }
			public function locations( \Omnistock\Connectors\Connection $c, array $r ): array { return $this->inner->locations( $c, $r ); }
		};
		$db     = Plugin::database();
		$report = ( new \Omnistock\Connectors\Sync( $db, new Tables( $db->wpdb ), $this->connections, Plugin::outbox(), null, null, static fn() => $narrow ) )->run( $this->connection );
		$this->assertSame( array( 5, 5, 0 ), array( $report['pushed'], $report['acknowledged'], $report['remaining'] ), wp_json_encode( $report ) );
		$posts = array_values( array_filter( self::$fake->requests(), static fn( $r ) => '/stock/changes' === $r['path'] ) );
		$this->assertSame( array( 2, 2, 1 ), array_map( static fn( $r ) => count( json_decode( $r['body'], true )['changes'] ), $posts ), 'at most two changes a request' );
		$this->assertCount( 3, array_unique( array_column( array_column( $posts, 'headers' ), 'idempotency-key' ) ), 'each request its own key' );
		foreach ( $products as $i => $product ) {
			$this->assertSame( 10 + $i, self::quantity( "ITEM-$i", 'L0' ) );
		}
	}

	/**
	 * @group concurrency
	 */
	public function test_a_run_while_another_process_runs_the_connection_is_busy_and_sends_nothing(): void {
		$mug = $this->simple( 4 );
		$this->map( array( $mug ) );
		Plugin::outbox()->touch( $this->connection, $mug->get_id(), $this->loc[0] );
		list( $host, $port ) = explode( ':', DB_HOST ) + array( 1 => '3306' );
		$other               = new \mysqli( $host, DB_USER, DB_PASSWORD, DB_NAME, (int) $port );
		$this->assertSame( '1', (string) $other->query( "SELECT GET_LOCK('omnistock_sync_{$this->connection}', 0)" )->fetch_row()[0], 'another process holds the connection' );
		try {
			$report = Plugin::sync()->run( $this->connection );
			$this->assertSame( array( 'busy', 0 ), array( $report['status'], $report['pushed'] ) );
			$this->assertSame( array(), self::changes(), 'nothing sent by the busy run' );
		} finally {
			$other->query( "SELECT RELEASE_LOCK('omnistock_sync_{$this->connection}')" );
			$other->close();
		}
		$report = Plugin::sync()->run( $this->connection );
		$this->assertSame( array( 'ran', 1, 1 ), array( $report['status'], $report['pushed'], $report['acknowledged'] ) );
		$this->assertSame( 4, self::quantity( 'ITEM-0', 'L0' ) );
	}

	public function test_a_kick_without_the_sites_token_runs_nothing(): void {
		$request = new \WP_REST_Request( 'POST', "/omnistock/v1/connections/{$this->connection}/sync/kick" );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( array( 'ts' => time(), 'token' => str_repeat( 'a', 64 ) ) ) );
		$this->assertSame( 403, rest_do_request( $request )->get_status() );
		$ts = time();
		$request->set_body( wp_json_encode( array( 'ts' => $ts, 'token' => \Omnistock\Connectors\Sync::token( $this->connection, $ts ) ) ) );
		$answer = rest_do_request( $request );
		$this->assertSame( 202, $answer->get_status(), wp_json_encode( $answer->get_data() ) );
		$this->assertSame( 'ran', $answer->get_data()['status'] );
	}

	public function test_a_store_api_checkout_reaches_the_register_by_its_own_kick(): void {
		$mug = $this->simple( 5 );
		$this->map( array( $mug ) );
		$id = $mug->get_id();
		Plugin::outbox()->touch( $this->connection, $id, $this->loc[0] );
		Plugin::sync()->run( $this->connection );
		$this->assertSame( 5, self::quantity( 'ITEM-0', 'L0' ) );
		$before = count( self::changes() );

		$client = new StoreApiClient( (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ), 4 );
		try {
			$shopper        = $client->shopper_with( $id, 2 );
			list( $answer ) = $client->checkout_all( array( $shopper ) );
			$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
			$got   = null;
			$until = microtime( true ) + 5;
			while ( null === $got && microtime( true ) < $until ) {
				foreach ( array_slice( self::changes(), $before ) as $change ) {
					if ( 200 === $change['status'] && 3 === $change['target'] ) {
						$got = $change;
					}
				}
				usleep( 50000 );
			}
		} finally {
			$client->stop();
		}
		$this->assertNotNull( $got, 'the register received the checkout: ' . wp_json_encode( self::changes() ) );
		$this->assertSame( array( 'ITEM-0', 'L0', -2, 5 ), array( $got['item'], $got['location'], $got['delta'], $got['from'] ) );
		$this->assertSame( 3, self::quantity( 'ITEM-0', 'L0' ) );
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 5, 2 ), array( $cell['on_hand'], $cell['committed'] ), 'the register shows on hand less committed' );
	}
}
