<?php
/**
 * The webhook inbox and the Standard provider without HTTP: deliveries kept once, turned into
 * events by their meaning, the invalid kept with why, a register's adjustment counted once.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\BadInput;
use Omnistock\Connectors\Connections;
use Omnistock\Connectors\ExternalCells;
use Omnistock\Connectors\Inbox;
use Omnistock\Connectors\Providers\Standard;
use Omnistock\Connectors\Secrets;

final class ConnectorInboxTest extends TestCase {

	private ExternalCells $cells;
	private Connections $connections;
	private Inbox $inbox;
	private int $connection;
	private int $item;

	protected function setUp(): void {
		parent::setUp();
		$this->cells       = new ExternalCells( $this->db, $this->tables, $this->inventory );
		$this->connections = new Connections( $this->db, $this->tables, new Secrets( str_repeat( 'k', 32 ) ) );
		$this->inbox       = new Inbox( $this->db, $this->tables, $this->connections, $this->cells );
		$this->connection  = $this->connections->create( 'standard', 'Till', 'http://127.0.0.1:1/api', array( 'token' => 't' ), 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' )->id;
		$this->item        = $this->product();
		$this->connections->set_locations( $this->connection, array( 'L1' => $this->loc[0] ) );
		$this->connections->set_items( $this->connection, array( 'A' => $this->item ) );
		$this->inventory->record( array( self::ev( 'seed-' . $this->item, 'count', $this->item, $this->loc[0], 10, 1000 ) ) );
	}

	private function deliver( string $id, array $payload ): array {
		return $this->inbox->store( $this->connections->get( $this->connection ), array( 'webhook-id' => $id, 'webhook-signature' => 'v1,secret-looking' ), (string) wp_json_encode( $payload ), $id );
	}

	private static function counted( int $qty, int $at ): array {
		return array(
			'type' => 'stock.counted',
			'data' => array(
				'item'     => 'A',
				'location' => 'L1',
				'quantity' => $qty,
				'at'       => $at,
			),
		);
	}

	private function process(): array {
		return $this->inbox->process( $this->connections->get( $this->connection ) );
	}

	public function test_a_delivery_is_kept_once_without_its_signature_and_counts_become_news(): void {
		$this->assertSame( 'stored', $this->deliver( 'msg_1', self::counted( 6, 2000 ) )['status'] );
		$this->assertSame( 'duplicate', $this->deliver( 'msg_1', self::counted( 6, 2000 ) )['status'] );
		$body = (string) $this->db->value( "SELECT body FROM {$this->tables->inbox}" );
		$this->assertStringNotContainsString( 'secret-looking', $body, 'signature headers are not kept' );
		$this->assertStringContainsString( 'msg_1', $body );
		$this->assertSame( 1, $this->inbox->pending( $this->connection ) );
		$this->assertSame( 1, $this->process()['baseline'] );
		$this->assertSame( 0, $this->inbox->pending( $this->connection ) );
		$this->deliver( 'msg_2', self::counted( 4, 3000 ) );
		$stats = $this->process();
		$this->assertSame( 1, $stats['applied'] );
		$this->assertSame( 8, $this->level( $this->item, $this->loc[0] )[0] );
		$row = $this->db->rows( "SELECT event_id, qty, source, reference, actor, reason FROM {$this->tables->ledger} WHERE reference LIKE 'connection:%'" );
		$this->assertSame( array( "standard:{$this->connection}:msg_2:0", '-2', 'standard', 'connection:' . $this->connection, 'standard', 'external_sale' ), array_values( $row[0] ) );
		$this->assertSame( array( 'applied' => 0 ), array_intersect_key( $this->process(), array( 'applied' => 1 ) ), 'nothing left' );
	}

	public function test_an_adjustment_is_news_as_it_is_and_counts_once_whatever_the_order(): void {
		$this->deliver( 'msg_b', self::counted( 5, 2000 ) );
		$this->process();
		foreach ( array( array( 'msg_x', 3, 2500 ), array( 'msg_y', -1, 1500 ) ) as list( $id, $delta, $at ) ) {
			$this->deliver(
				$id,
				array(
					'type' => 'stock.adjusted',
					'data' => array(
						'item'     => 'A',
						'location' => 'L1',
						'delta'    => $delta,
						'at'       => $at,
					),
				)
			);
		}
		$this->assertSame( 2, $this->process()['applied'], 'an adjustment older than the last count is still news (no stale-by-time)' );
		$this->assertSame( 12, $this->level( $this->item, $this->loc[0] )[0] );
		$this->assertSame( 7, $this->cells->get( $this->connection, $this->item, $this->loc[0] )['ext_qty'] );
		$reasons = array_column( $this->db->rows( "SELECT reason FROM {$this->tables->ledger} WHERE reference LIKE 'connection:%' ORDER BY seq" ), 'reason' );
		$this->assertSame( array( 'external_count', 'external_sale' ), $reasons );
		// The same adjustment again (its delivery re-run): nothing.
		$this->assertSame( ExternalCells::STALE, $this->cells->observe_delta( $this->connection, $this->item, $this->loc[0], 3, 2500, "standard:{$this->connection}:msg_x:0", array( 'source' => 'standard' ) ) );
		$this->assertSame( 12, $this->level( $this->item, $this->loc[0] )[0] );
		$this->assertSame( 7, $this->cells->get( $this->connection, $this->item, $this->loc[0] )['ext_qty'] );
	}

	public function test_what_the_provider_does_not_understand_is_kept_invalid_with_why(): void {
		$this->deliver( 'msg_bad', array( 'type' => 'stock.counted', 'data' => array( 'item' => 'A', 'location' => 'L1', 'quantity' => 'many', 'at' => 1 ) ) );
		$this->deliver( 'msg_other', array( 'type' => 'customer.created', 'data' => array() ) );
		$this->assertSame( 1, $this->process()['invalid'] );
		$rows = $this->db->rows( "SELECT delivery_id, topic, status, error FROM {$this->tables->inbox} ORDER BY id" );
		$this->assertSame( array( 'msg_bad', 'stock.counted', 'invalid' ), array( $rows[0]['delivery_id'], $rows[0]['topic'], $rows[0]['status'] ) );
		$this->assertStringContainsString( 'data.quantity', (string) $rows[0]['error'] );
		$this->assertSame( array( 'customer.created', 'echo' ), array( $rows[1]['topic'], $rows[1]['status'] ), 'a topic that says nothing of stock changes nothing' );
		$this->expectException( BadInput::class );
		$this->inbox->store( $this->connections->get( $this->connection ), array(), 'not json' );
	}

	public function test_long_delivery_ids_are_hashed_into_event_ids_of_at_most_120_bytes(): void {
		$id = Inbox::event_id( 'standard', 42, str_repeat( 'x', 150 ), 3 );
		$this->assertLessThanOrEqual( 120, strlen( $id ) );
		$this->assertStringStartsWith( 'standard:42:h', $id );
		$this->assertStringEndsWith( ':3', $id );
		$this->assertSame( 'standard:42:msg_1:0', Inbox::event_id( 'standard', 42, 'msg_1', 0 ) );
	}

	public function test_the_standard_provider_reads_times_and_answers_as_documented(): void {
		$this->assertSame( 1733312096789, Standard::time( '2024-12-04T11:34:56.789Z' ) );
		$this->assertSame( 1733312096000, Standard::time( '2024-12-04T12:34:56+01:00' ) );
		$this->assertSame( 1733312096789, Standard::time( 1733312096789 ) );
		$provider   = new Standard();
		$connection = $this->connections->get( $this->connection );
		$changes    = array(
			array(
				'key'      => 'k1',
				'item'     => 'A',
				'location' => 'L1',
				'target'   => 5,
				'delta'    => -1,
				'from'     => 6,
				'set'      => false,
			),
			array(
				'key'      => 'k2',
				'item'     => 'B',
				'location' => 'L1',
				'target'   => 2,
				'delta'    => 2,
				'from'     => null,
				'set'      => true,
			),
		);
		$requests = $provider->push_requests( $connection, $changes );
		$this->assertCount( 1, $requests );
		$request = $requests[0]['request'];
		$this->assertSame( array( 'http://127.0.0.1:1/api/stock/changes', 'POST', 'Bearer t' ), array( $request['url'], $request['method'], $request['headers']['Authorization'] ) );
		$this->assertSame( $request['id'], $request['headers']['Idempotency-Key'] );
		$this->assertSame( $request, $provider->push_requests( $connection, $changes )[0]['request'], 'a retry is the same request' );
		$this->assertSame( array( 'k1', 'k2' ), $requests[0]['changes'] );
		$outcomes = $provider->push_outcomes(
			$connection,
			$changes,
			array(
				'status'  => 200,
				'headers' => array(),
				'body'    => (string) wp_json_encode(
					array(
						'results' => array(
							array(
								'key'      => 'k1',
								'ok'       => true,
								'quantity' => 5,
								'at'       => 5000,
							),
							array(
								'key'       => 'k2',
								'ok'        => false,
								'error'     => 'unknown item',
								'retryable' => false,
							),
						),
					)
				),
				'error'   => null,
			)
		);
		$this->assertSame( array( true, array( 'qty' => 5, 'at' => 5000 ) ), array( $outcomes['k1']['ok'], $outcomes['k1']['observed'] ) );
		$this->assertSame( array( false, true, 'unknown item' ), array( $outcomes['k2']['ok'], $outcomes['k2']['permanent'], $outcomes['k2']['error'] ) );
		$throttled = $provider->push_outcomes(
			$connection,
			$changes,
			array(
				'status'  => 429,
				'headers' => array( 'retry-after' => '3' ),
				'body'    => '',
				'error'   => null,
			)
		);
		$this->assertSame( array( false, 3000, false ), array( $throttled['k1']['ok'], $throttled['k1']['retry_after_ms'], $throttled['k1']['permanent'] ) );
		$refused = $provider->push_outcomes( $connection, $changes, array( 'status' => 401, 'headers' => array(), 'body' => '', 'error' => null ) );
		$this->assertTrue( $refused['k2']['permanent'] );

		$count = $provider->count_requests( $connection, array( 'A', 'B' ), array( 'L1' ) )[0];
		$this->assertSame( 'http://127.0.0.1:1/api/stock/counts?items=A%2CB&locations=L1', $count['url'] );
		$read = $provider->counts(
			$connection,
			$count,
			array(
				'status' => 200,
				'body'   => (string) wp_json_encode(
					array(
						'counts' => array(
							array(
								'item'     => 'A',
								'location' => 'L1',
								'quantity' => 4,
								'at'       => '2024-12-04T11:34:56.789Z',
							),
						),
						'next'   => 'c2',
					)
				),
			)
		);
		$this->assertSame( array( array( 'item' => 'A', 'location' => 'L1', 'qty' => 4, 'at' => 1733312096789 ) ), $read['counts'] );
		$this->assertStringEndsWith( '&cursor=c2', $read['next']['url'] );
		$this->expectException( \Omnistock\Unavailable::class );
		$provider->locations( $connection, array( 'status' => 503, 'body' => '' ) );
	}
}
