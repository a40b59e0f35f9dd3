<?php
/**
 * Ship from store on real WooCommerce orders (HPOS as the run says): an order split over two stores
 * is two shipments, each picked, packed and shipped by its store with its own e-mail and tracking,
 * the order completed after the second; a rejected shipment is re-routed with its commitment and the
 * store's count corrected in the ledger with the reason; permissions and bad transitions.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';
require_once __DIR__ . '/lib/PosHttp.php';

use Omnistock\Inventory\Tables;
use Omnistock\Meta;
use Omnistock\Plugin;

final class ShipmentsTest extends PosTestCase {

	/** @var list<array> E-mails wp_mail() was asked to send (none leaves the machine). */
	private array $mails = array();

	/** @var \Closure */
	private $catch;

	protected function setUp(): void {
		parent::setUp();
		$this->mails = array();
		$this->catch = function ( $short, $atts ) {
			$this->mails[] = $atts;
			return true;
		};
		add_filter( 'pre_wp_mail', $this->catch, 10, 2 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', $this->catch, 10 );
		parent::tearDown();
	}

	/**
	 * A paid order of these lines, routed and committed as checkout and payment leave it.
	 *
	 * @param list<array{0:\WC_Product, 1:int}> $lines [product, qty].
	 */
	private function paid_order( array $lines ): \WC_Order {
		$order = $this->order( $lines );
		$order->set_billing_first_name( 'Grace' );
		$order->set_billing_last_name( 'Hopper' );
		$order->set_shipping_first_name( 'Grace' );
		$order->set_shipping_last_name( 'Hopper' );
		$order->set_shipping_address_1( 'Torstr. 5' );
		$order->set_shipping_postcode( '10119' );
		$order->set_shipping_city( 'Berlin' );
		$order->set_shipping_country( 'DE' );
		$order->save();
		$this->assertNull( $this->checkout( $order ), 'checkout holds every line' );
		$this->fresh( $order )->payment_complete();
		$order = $this->fresh( $order );
		$this->assertSame( 'processing', $order->get_status() );
		$this->assertSame( 'committed', $this->state( $order ) );
		return $order;
	}

	/**
	 * A queue request in process, as the current user.
	 */
	private function queue( string $method, string $route, ?array $json = null, array $query = array() ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1/shipments' . $route );
		if ( $query ) {
			$request->set_query_params( $query );
		}
		if ( null !== $json ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $json ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * The location's open shipments (GET /shipments?location=).
	 *
	 * @return list<array>
	 */
	private function open_at( int $location, string $status = '' ): array {
		$response = $this->queue( 'GET', '', null, array( 'location' => $location ) + ( '' === $status ? array() : array( 'status' => $status ) ) );
		$this->assertSame( 200, $response->get_status(), 'GET /shipments' );
		return $response->get_data();
	}

	/**
	 * Picks, packs and ships a shipment through the routes; returns the last answer.
	 */
	private function fulfil( int $id, string $tracking ): array {
		$this->assertSame( 'picked', $this->queue( 'POST', "/$id/picked" )->get_data()['status'] );
		$this->assertSame( 'packed', $this->queue( 'POST', "/$id/packed" )->get_data()['status'] );
		$shipped = $this->queue(
			'POST',
			"/$id/shipped",
			array(
				'carrier'  => 'DHL',
				'tracking' => $tracking,
			)
		);
		$this->assertSame( 200, $shipped->get_status(), 'shipped: ' . wp_json_encode( $shipped->get_data() ) );
		return $shipped->get_data();
	}

	/**
	 * The "has shipped" e-mails sent so far.
	 *
	 * @return list<array>
	 */
	private function shipped_mails(): array {
		return array_values( array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'has shipped' ) ) );
	}

	/**
	 * The order notes' texts.
	 *
	 * @return list<string>
	 */
	private function notes( \WC_Order $order ): array {
		return array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $order->get_id() ) ) );
	}

	/**
	 * Ledger rows whose id starts with $prefix: [location, qty, reason, reference].
	 *
	 * @return list<array>
	 */
	private function ledger( string $prefix ): array {
		global $wpdb;
		$t = new Tables( $wpdb );
		return Plugin::database()->rows( Plugin::database()->prepare( "SELECT location_id, qty, reason, reference FROM {$t->ledger} WHERE event_id LIKE %s ORDER BY event_id", $wpdb->esc_like( $prefix ) . '%' ) );
	}

	public function test_a_split_order_is_two_shipments_each_emailed_and_the_order_completes_after_the_second(): void {
		$mug  = $this->simple( 0 );
		$bowl = $this->simple( 0 );
		$mug->update_meta_data( Meta::BIN, 'A-03-2' );
		$mug->save();
		$this->count_at( $mug->get_id(), $this->loc[0], 3 );
		$this->count_at( $bowl->get_id(), $this->loc[1], 2 );
		$order = $this->paid_order( array( array( $mug, 2 ), array( $bowl, 1 ) ) );

		$warehouse = $this->open_at( $this->loc[0] );
		$store     = $this->open_at( $this->loc[1] );
		$this->assertCount( 1, $warehouse, 'one shipment at the Warehouse' );
		$this->assertCount( 1, $store, 'one at the Store' );
		$first  = $warehouse[0];
		$second = $store[0];
		$this->assertSame( array( $order->get_id(), 'new', 'Warehouse' ), array( $first['order'], $first['status'], $first['location_name'] ) );
		$this->assertSame( array( array( $mug->get_id(), 2, 'A-03-2' ) ), array_map( static fn( $i ) => array( $i['product'], $i['qty'], $i['bin'] ), $first['items'] ), 'the pick list with the bin' );
		$this->assertSame( array( array( $bowl->get_id(), 1, null ) ), array_map( static fn( $i ) => array( $i['product'], $i['qty'], $i['bin'] ), $second['items'] ), 'no bin known: null' );
		$this->assertSame( array( 'Grace Hopper', 'Torstr. 5', 'Berlin', 'DE' ), array( $first['ship_to']['name'], $first['ship_to']['address_1'], $first['ship_to']['city'], $first['ship_to']['country'] ), 'the packing slip\'s address' );
		$this->assertSame( array(), $this->open_at( $this->loc[2] ), 'nothing at the pickup store' );

		$this->mails = array(); // WooCommerce's own order e-mails.
		$shipped     = $this->fulfil( $first['id'], 'TRACK-111' );
		$this->assertSame( array( 'shipped', 'DHL', 'TRACK-111' ), array( $shipped['status'], $shipped['carrier'], $shipped['tracking'] ) );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the Warehouse\'s units left' );
		$this->assertSame( array( 2, 1 ), array( $this->cell( $bowl->get_id(), $this->loc[1] )['on_hand'], $this->cell( $bowl->get_id(), $this->loc[1] )['committed'] ), 'the Store\'s stay committed' );
		$this->assertSame( 'processing', $this->fresh( $order )->get_status(), 'one of two shipped: not completed' );
		$this->assertSame( 'committed', $this->state( $order ) );
		$mails = $this->shipped_mails();
		$this->assertCount( 1, $mails, 'one e-mail for the first shipment' );
		$this->assertSame( 'buyer@example.org', $mails[0]['to'] );
		$this->assertStringContainsString( 'tracking number: TRACK-111', (string) $mails[0]['message'] );
		$this->assertStringContainsString( $mug->get_name(), (string) $mails[0]['message'] );
		$this->assertStringNotContainsString( $bowl->get_name(), (string) $mails[0]['message'], 'only its own items' );

		$again = $this->queue(
			'POST',
			'/' . $first['id'] . '/shipped',
			array(
				'carrier'  => 'UPS',
				'tracking' => 'OTHER',
			)
		);
		$this->assertSame( array( 200, 'TRACK-111' ), array( $again->get_status(), $again->get_data()['tracking'] ), 'shipped twice: the first stands' );
		$this->assertCount( 1, $this->shipped_mails(), 'no second e-mail' );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'no second fulfilment' );
		$this->assertSame( array(), $this->open_at( $this->loc[0] ), 'gone from the open queue' );
		$this->assertSame( array( $first['id'] ), array_column( $this->open_at( $this->loc[0], 'shipped' ), 'id' ), 'listed as shipped' );

		$this->fulfil( $second['id'], 'TRACK-222' );
		$order = $this->fresh( $order );
		$this->assertSame( 'completed', $order->get_status(), 'the last shipment completes the order' );
		$this->assertSame( 'fulfilled', $this->state( $order ) );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $bowl->get_id(), $this->loc[1] )['on_hand'], $this->cell( $bowl->get_id(), $this->loc[1] )['committed'] ) );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'completion fulfils nothing twice' );
		$mails = $this->shipped_mails();
		$this->assertCount( 2, $mails, 'one e-mail per shipment' );
		$this->assertStringContainsString( 'tracking number: TRACK-222', (string) $mails[1]['message'] );
		$this->assertSame( 2, count( array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, 'shipped from' ) ) ), 'a note per shipment' );
		$this->assertShopAgrees( $mug, 'first shipment shipped' );
		$this->assertShopAgrees( $bowl, 'order completed' );
	}

	public function test_a_line_split_over_two_stores_is_in_the_shipment_of_each_with_its_units(): void {
		update_option( \Omnistock\Inventory\Router::SPLITS_OPTION, 'yes' );
		try {
			$mug = $this->simple( 0 );
			$this->count_at( $mug->get_id(), $this->loc[0], 2 );
			$this->count_at( $mug->get_id(), $this->loc[1], 2 );
			$order = $this->paid_order( array( array( $mug, 3 ) ) );
		} finally {
			delete_option( \Omnistock\Inventory\Router::SPLITS_OPTION );
		}
		$warehouse = $this->open_at( $this->loc[0] );
		$store     = $this->open_at( $this->loc[1] );
		$this->assertCount( 1, $warehouse, 'a shipment at the Warehouse' );
		$this->assertCount( 1, $store, 'and one at the Store' );
		$units = array( $warehouse[0]['items'][0]['qty'], $store[0]['items'][0]['qty'] );
		$this->assertSame( 3, array_sum( $units ), 'the line\'s three units, each shipment its part: ' . wp_json_encode( $units ) );
		$this->assertSame( $warehouse[0]['items'][0]['item'], $store[0]['items'][0]['item'], 'the same order line' );
		$this->fulfil( $warehouse[0]['id'], 'TRACK-A' );
		$this->assertSame( 'processing', $this->fresh( $order )->get_status(), 'one part shipped' );
		$this->assertSame( array( 2 - $units[0], 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the Warehouse\'s part left' );
		$this->assertSame( $units[1], $this->cell( $mug->get_id(), $this->loc[1] )['committed'], 'the Store\'s part stays committed' );
		$this->fulfil( $store[0]['id'], 'TRACK-B' );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status(), 'both parts shipped' );
		$this->assertSame( array( 2 - $units[1], 0 ), array( $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['committed'] ) );
		$this->assertSame( 2 - $units[0], $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'completion fulfils nothing twice' );
		$this->assertShopAgrees( $mug, 'split line shipped by two stores' );
	}

	public function test_a_refund_with_restock_of_a_partly_shipped_order_puts_shipped_units_back_and_releases_the_rest(): void {
		$mug  = $this->simple( 0 );
		$bowl = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 3 );
		$this->count_at( $bowl->get_id(), $this->loc[1], 2 );
		$order = $this->paid_order( array( array( $mug, 2 ), array( $bowl, 1 ) ) );
		$this->fulfil( $this->open_at( $this->loc[0] )[0]['id'], 'TRACK-R' );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the mugs shipped' );

		$items = array();
		foreach ( $this->fresh( $order )->get_items() as $item ) {
			$items[ $item->get_product_id() ] = $item;
		}
		$refund = wc_create_refund(
			array(
				'order_id'      => $order->get_id(),
				'amount'        => '0',
				'restock_items' => true,
				'line_items'    => array(
					$items[ $mug->get_id() ]->get_id()  => array(
						'qty'          => 1,
						'refund_total' => 0,
					),
					$items[ $bowl->get_id() ]->get_id() => array(
						'qty'          => 1,
						'refund_total' => 0,
					),
				),
			)
		);
		$this->assertInstanceOf( \WC_Order_Refund::class, $refund, is_wp_error( $refund ) ? $refund->get_error_message() : '' );
		$this->assertSame( array( 2, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the shipped mug that came back is on the Warehouse\'s shelf again' );
		$this->assertSame( array( 2, 0 ), array( $this->cell( $bowl->get_id(), $this->loc[1] )['on_hand'], $this->cell( $bowl->get_id(), $this->loc[1] )['committed'] ), 'the bowl never left: its commitment released, on_hand unchanged' );
		$this->assertShopAgrees( $mug, 'refunded after shipping' );
		$this->assertShopAgrees( $bowl, 'refunded before shipping' );

		// The shop manager then saves the order (wp-admin saves its items on every Update): nothing
		// shipped or refunded is committed again, and the mug still to ship stays committed.
		do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
		$this->assertSame( array( 2, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'saved: the shipped mugs are not committed again' );
		$this->assertSame( 0, $this->cell( $bowl->get_id(), $this->loc[1] )['committed'], 'saved: the refunded bowl is not committed again' );
	}

	public function test_saving_a_partly_shipped_order_in_wp_admin_commits_nothing_twice(): void {
		$mug  = $this->simple( 0 );
		$bowl = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 10 ); // Enough that committing the shipped mugs again would not be refused.
		$this->count_at( $bowl->get_id(), $this->loc[1], 2 );
		$order = $this->paid_order( array( array( $mug, 2 ), array( $bowl, 1 ) ) );
		$this->fulfil( $this->open_at( $this->loc[0] )[0]['id'], 'TRACK-S' );
		do_action( 'woocommerce_saved_order_items', $order->get_id(), array() );
		$this->assertSame( array( 8, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the shipped mugs stay shipped' );
		$this->assertSame( 1, $this->cell( $bowl->get_id(), $this->loc[1] )['committed'], 'the bowl to ship stays committed' );
		$this->fulfil( $this->open_at( $this->loc[1] )[0]['id'], 'TRACK-T' );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status() );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $bowl->get_id(), $this->loc[1] )['on_hand'], $this->cell( $bowl->get_id(), $this->loc[1] )['committed'] ) );
		$this->assertShopAgrees( $mug, 'saved between two shipments' );
	}

	public function test_a_rejected_shipment_is_rerouted_with_its_commitment_and_the_count_corrected(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 2 );
		$this->count_at( $mug->get_id(), $this->loc[1], 5 );
		$order = $this->paid_order( array( array( $mug, 2 ) ) );
		$first = $this->open_at( $this->loc[0] );
		$this->assertCount( 1, $first, 'routed to the Warehouse (priority)' );
		$id = $first[0]['id'];
		$this->assertSame( 200, $this->queue( 'POST', "/$id/picked" )->get_status() );

		$rejected = $this->queue( 'POST', "/$id/reject", array( 'reason' => 'damaged' ) );
		$this->assertSame( 200, $rejected->get_status(), wp_json_encode( $rejected->get_data() ) );
		$rejected = $rejected->get_data();
		$this->assertSame( array( 'rejected', 'damaged', array() ), array( $rejected['status'], $rejected['reason'], $rejected['unrouted'] ) );
		$this->assertCount( 1, $rejected['rerouted_to'] );
		$this->assertSame( array( 0, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'the Warehouse\'s count corrected, its commitment gone' );
		$this->assertSame( array( 5, 2 ), array( $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['committed'] ), 'committed at the Store in its place' );
		$correction = $this->ledger( "shipment:$id:reject:" );
		$this->assertCount( 1, $correction, 'one count correction in the ledger' );
		$this->assertSame( array( (string) $this->loc[0], '-2', 'count correction: damaged', "shipment:$id" ), array( $correction[0]['location_id'], $correction[0]['qty'], $correction[0]['reason'], $correction[0]['reference'] ) );
		$tail = Plugin::inventory()->ledger_tail( 20, $mug->get_id(), $this->loc[0] );
		$this->assertContains( 'count correction: damaged', array_column( $tail, 'reason' ), 'the ledger shows it with its reason' );

		$again = $this->queue( 'POST', "/$id/reject", array( 'reason' => 'damaged' ) );
		$this->assertSame( array( 200, $rejected['rerouted_to'] ), array( $again->get_status(), $again->get_data()['rerouted_to'] ), 'rejected twice: the same answer' );
		$this->assertCount( 1, $this->ledger( "shipment:$id:reject:" ), 'no second correction' );

		$store = $this->open_at( $this->loc[1] );
		$this->assertSame( array( $rejected['rerouted_to'][0] ), array_column( $store, 'id' ), 'the new shipment is in the Store\'s queue' );
		$this->assertSame( array( array( $mug->get_id(), 2 ) ), array_map( static fn( $i ) => array( $i['product'], $i['qty'] ), $store[0]['items'] ) );
		$item = $order->get_item( $store[0]['items'][0]['item'] );
		$this->assertSame( (string) $this->loc[1], (string) $this->fresh( $order )->get_item( $item->get_id() )->get_meta( Meta::LINE_LOCATION ), 'the line names the Store' );
		$this->assertTrue( (bool) array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, 'rejected at Warehouse (damaged)' ) && str_contains( $n, 'Re-routed as shipment' ) ), 'the order note says so' );

		$this->fulfil( $store[0]['id'], 'TRACK-333' );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status(), 'its re-routed shipment was the last' );
		$this->assertSame( array( 3, 0 ), array( $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['committed'] ) );
		$this->assertShopAgrees( $mug, 'rejected, re-routed, shipped' );
	}

	public function test_a_rejected_shipment_no_location_can_take_stays_for_staff_never_silently(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 1 );
		$order = $this->paid_order( array( array( $mug, 1 ) ) );
		$id    = $this->open_at( $this->loc[1] )[0]['id'];

		$rejected = $this->queue( 'POST', "/$id/reject", array( 'reason' => 'not found on the shelf' ) )->get_data();
		$item     = array_key_first( $order->get_items() );
		$this->assertSame( array( 'rejected', array(), array( $item ) ), array( $rejected['status'], $rejected['rerouted_to'], $rejected['unrouted'] ), 'no location can take it: unrouted' );
		$cell = $this->cell( $mug->get_id(), $this->loc[1] );
		$this->assertSame( array( 0, 1, -1 ), array( $cell['on_hand'], $cell['committed'], $cell['sellable'] ), 'counted out, still committed there: the oversell shows' );
		$this->assertSame( 'count correction: not found on the shelf', $this->ledger( "shipment:$id:reject:" )[0]['reason'] );
		$order = $this->fresh( $order );
		$this->assertSame( 'processing', $order->get_status(), 'not completed: staff decide' );
		$this->assertTrue( (bool) array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, 'No other location can ship' ) ), 'the order note asks staff to decide' );
		$this->assertSame( array( $id ), array_column( $this->open_at( $this->loc[1], 'rejected' ), 'id' ) );
	}

	public function test_a_re_route_in_the_order_screen_moves_the_open_shipment_and_gives_an_unrouted_line_one(): void {
		$route = static function ( \WC_Order $order, array $body ): \WP_REST_Response {
			$request = new \WP_REST_Request( 'POST', '/omnistock/v1/orders/' . $order->get_id() . '/route' );
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( $body ) );
			return rest_do_request( $request );
		};
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 2 );
		$this->count_at( $mug->get_id(), $this->loc[1], 2 );
		$order = $this->paid_order( array( array( $mug, 1 ) ) );
		$first = $this->open_at( $this->loc[0] )[0]['id'];
		$this->assertSame( 200, $this->queue( 'POST', "/$first/picked" )->get_status() );

		$this->assertSame( 200, $route( $order, array( 'location' => $this->loc[1] ) )->get_status(), 'staff move the order to the Store' );
		$this->assertSame( array(), $this->open_at( $this->loc[0] ), 'the Warehouse\'s shipment is gone from its queue' );
		$this->assertSame( array( array( $first, 're-routed' ) ), array_map( static fn( $r ) => array( $r['id'], $r['reason'] ), $this->open_at( $this->loc[0], 'closed' ) ) );
		$store = $this->open_at( $this->loc[1] );
		$this->assertCount( 1, $store, 'a shipment at the Store' );
		$this->assertSame( array( array( $mug->get_id(), 1 ) ), array_map( static fn( $i ) => array( $i['product'], $i['qty'] ), $store[0]['items'] ) );
		$this->assertSame( 409, $this->queue( 'POST', "/$first/packed" )->get_status(), 'the closed one cannot go on' );
		$this->fulfil( $store[0]['id'], 'TRACK-M' );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status() );
		$this->assertSame( array( 2, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'nothing left the Warehouse' );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[1] )['committed'] ), 'the Store shipped it' );

		// A line a store rejected and no one could take: staff re-route it once stock is there.
		$bowl = $this->simple( 0 );
		$this->count_at( $bowl->get_id(), $this->loc[1], 1 );
		$second = $this->paid_order( array( array( $bowl, 1 ) ) );
		$sid    = $this->open_at( $this->loc[1] )[0]['id'];
		$this->assertSame( array( $sid ), array_column( $this->open_at( $this->loc[1] ), 'id' ) );
		$rejected = $this->queue( 'POST', "/$sid/reject", array( 'reason' => 'damaged' ) )->get_data();
		$this->assertCount( 1, $rejected['unrouted'], 'no one else has a bowl' );
		$this->count_at( $bowl->get_id(), $this->loc[0], 3 );
		$this->assertSame( 200, $route( $second, array( 'location' => $this->loc[0] ) )->get_status(), 'the Warehouse has bowls now' );
		$warehouse = $this->open_at( $this->loc[0] );
		$this->assertSame( array( array( $bowl->get_id(), 1 ) ), array_map( static fn( $i ) => array( $i['product'], $i['qty'] ), $warehouse[0]['items'] ?? array() ), 'the unrouted line has its shipment at the Warehouse' );
		$this->assertSame( array(), $this->open_at( $this->loc[1] ), 'none back at the store that rejected it' );
		$this->fulfil( $warehouse[0]['id'], 'TRACK-B2' );
		$this->assertSame( 'completed', $this->fresh( $second )->get_status() );
		$this->assertShopAgrees( $bowl, 'rejected, re-routed by staff, shipped' );
	}

	public function test_staff_of_another_location_are_refused_and_nothing_changes(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 3 );
		$this->paid_order( array( array( $mug, 1 ) ) );
		wp_set_current_user( 1 );
		$id      = $this->open_at( $this->loc[0] )[0]['id'];
		$cashier = $this->as_role( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier, array( $this->loc[1] ) );
		foreach ( array(
			$this->queue( 'GET', '', null, array( 'location' => $this->loc[0] ) ),
			$this->queue( 'POST', "/$id/picked" ),
			$this->queue( 'POST', "/$id/reject", array( 'reason' => 'x' ) ),
			$this->queue(
				'POST',
				"/$id/shipped",
				array(
					'carrier'  => 'DHL',
					'tracking' => '1',
				)
			),
		) as $response ) {
			$this->assertSame( array( 403, 'omnistock_pos_not_your_location' ), array( $response->get_status(), $response->get_data()['code'] ) );
		}
		$this->assertSame( array( 0, 1 ), array( count( $this->ledger( "shipment:$id:" ) ), $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'nothing changed' );
		Plugin::staff()->assign( $cashier, array( $this->loc[0] ) );
		$this->assertSame( 'picked', $this->queue( 'POST', "/$id/picked" )->get_data()['status'], 'its own location\'s cashier may' );
		$this->as_role( 'customer' );
		$this->assertSame( 403, $this->queue( 'GET', '', null, array( 'location' => $this->loc[0] ) )->get_status(), 'a shopper may not' );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->queue( 'GET', '', null, array( 'location' => $this->loc[0] ) )->get_status(), 'nobody may not' );
	}

	public function test_bad_transitions_are_409_naming_them_and_bad_input_400_naming_the_field(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 3 );
		$order = $this->paid_order( array( array( $mug, 1 ) ) );
		$id    = $this->open_at( $this->loc[0] )[0]['id'];

		$packed = $this->queue( 'POST', "/$id/packed" );
		$this->assertSame( array( 409, 'omnistock_shipment_bad_transition', 'new', 'packed' ), array( $packed->get_status(), $packed->get_data()['code'], $packed->get_data()['data']['from'], $packed->get_data()['data']['to'] ), 'new → packed' );
		$this->assertStringContainsString( 'new cannot become packed', $packed->get_data()['message'] );
		$shipped = $this->queue(
			'POST',
			"/$id/shipped",
			array(
				'carrier'  => 'DHL',
				'tracking' => '1',
			)
		);
		$this->assertSame( array( 409, 'omnistock_shipment_bad_transition' ), array( $shipped->get_status(), $shipped->get_data()['code'] ), 'new → shipped' );
		$this->assertSame( 1, $this->cell( $mug->get_id(), $this->loc[0] )['committed'], 'nothing fulfilled' );

		$notes = count( $this->notes( $order ) );
		$this->assertSame( 200, $this->queue( 'POST', "/$id/picked" )->get_status() );
		$this->assertSame( 200, $this->queue( 'POST', "/$id/picked" )->get_status(), 'picked twice is harmless' );
		$this->assertSame( $notes + 1, count( $this->notes( $order ) ), 'one note' );

		$missing = $this->queue( 'POST', "/$id/shipped", array( 'carrier' => 'DHL' ) );
		$this->assertSame( array( 400, 'rest_missing_callback_param' ), array( $missing->get_status(), $missing->get_data()['code'] ) );
		$this->assertContains( 'tracking', $missing->get_data()['data']['params'] );
		$this->assertSame( 200, $this->queue( 'POST', "/$id/packed" )->get_status() );
		$blank = $this->queue(
			'POST',
			"/$id/shipped",
			array(
				'carrier'  => 'DHL',
				'tracking' => '<b></b>',
			)
		);
		$this->assertSame( 400, $blank->get_status(), 'a tracking number that sanitizes to nothing' );
		$this->assertStringContainsString( 'tracking', wp_json_encode( $blank->get_data() ) );
		$this->assertSame( 'packed', $this->open_at( $this->loc[0] )[0]['status'], 'nothing changed' );
		$this->assertSame( 400, $this->queue( 'GET', '', null, array( 'location' => $this->loc[0], 'status' => 'lost' ) )->get_status(), 'an unknown status' );
		$this->assertSame( array( 404, 'omnistock_shipment_not_found' ), array( $this->queue( 'POST', '/999999/picked' )->get_status(), $this->queue( 'POST', '/999999/picked' )->get_data()['code'] ) );

		$this->fulfil_from_packed( $id );
		$late = $this->queue( 'POST', "/$id/reject", array( 'reason' => 'damaged' ) );
		$this->assertSame( array( 409, 'omnistock_shipment_bad_transition', 'shipped' ), array( $late->get_status(), $late->get_data()['code'], $late->get_data()['data']['from'] ), 'shipped → rejected' );
	}

	/**
	 * Ships a packed shipment.
	 */
	private function fulfil_from_packed( int $id ): void {
		$this->assertSame(
			200,
			$this->queue(
				'POST',
				"/$id/shipped",
				array(
					'carrier'  => 'DHL',
					'tracking' => 'T',
				)
			)->get_status()
		);
	}

	public function test_a_pickup_order_and_an_unpaid_order_have_no_shipment_and_a_cancelled_order_cannot_ship(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 5 );
		$unpaid = $this->order( array( array( $mug, 1 ) ) );
		$this->assertNull( $this->checkout( $unpaid ) );
		$this->assertSame( array(), Plugin::database()->rows( 'SELECT id FROM ' . ( new Tables( $GLOBALS['wpdb'] ) )->shipments ), 'held, not paid: no shipment' );

		$order = $this->paid_order( array( array( $mug, 1 ) ) );
		$id    = $this->open_at( $this->loc[0] )[0]['id'];
		$this->assertSame( 200, $this->queue( 'POST', "/$id/picked" )->get_status() );
		$this->fresh( $order )->update_status( 'cancelled' );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['committed'], 'cancelled: released' );
		$this->assertSame( array(), $this->open_at( $this->loc[0] ), 'cancelled: gone from the store\'s queue' );
		$closed = $this->open_at( $this->loc[0], 'closed' );
		$this->assertSame( array( array( $id, 'closed', 'order cancelled' ) ), array_map( static fn( $r ) => array( $r['id'], $r['status'], $r['reason'] ), $closed ), 'closed with the order\'s status as reason' );
		$this->assertTrue( (bool) array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, "shipment #$id closed" ) ), 'the order note says so' );
		$refused = $this->queue( 'POST', "/$id/packed" );
		$this->assertSame( array( 409, 'omnistock_shipment_bad_transition' ), array( $refused->get_status(), $refused->get_data()['code'] ), 'a closed shipment cannot go on' );
		$this->assertSame( 5, $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], 'nothing left the shelf' );

		// Completed in wp-admin without the queue: the units leave once (OrderStock), the shipment closes.
		$done = $this->paid_order( array( array( $mug, 2 ) ) );
		$sid  = $this->open_at( $this->loc[0] )[0]['id'];
		$this->fresh( $done )->update_status( 'completed' );
		$this->assertSame( array( 3, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'completed: fulfilled once' );
		$this->assertSame( array(), $this->open_at( $this->loc[0] ), 'completed: gone from the queue' );
		$this->assertEqualsCanonicalizing( array( $id, $sid ), array_column( $this->open_at( $this->loc[0], 'closed' ), 'id' ), 'both listed as closed' );
		$this->assertShopAgrees( $mug, 'cancelled and completed outside the queue' );
	}

	public function test_the_bin_field_of_the_product_screen_saves_through_the_product_and_a_variation_shows_its_parents(): void {
		$mug = $this->simple( 0 );
		if ( ! function_exists( 'woocommerce_wp_text_input' ) ) {
			require_once WC()->plugin_path() . '/includes/admin/wc-meta-box-functions.php'; // What the product screen loads (WooCommerce 7.7 loads it only in wp-admin).
		}
		$GLOBALS['post'] = get_post( $mug->get_id() ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- the product screen's post.
		ob_start();
		do_action( 'woocommerce_product_options_inventory_product_data' );
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'name="omnistock_bin"', $html, 'the field in the Inventory tab' );
		$_POST['omnistock_bin'] = ' B-07 <i>top</i> ';
		$product                = wc_get_product( $mug->get_id() );
		do_action( 'woocommerce_admin_process_product_object', $product );
		$product->save();
		unset( $_POST['omnistock_bin'], $GLOBALS['post'] );
		$this->assertSame( 'B-07 top', (string) wc_get_product( $mug->get_id() )->get_meta( Meta::BIN ), 'sanitized, saved with the product' );

		list( $shirt, $small ) = $this->variable( 0, 0 );
		$shirt->update_meta_data( Meta::BIN, 'C-01' );
		$shirt->save();
		$this->count_at( $small->get_id(), $this->loc[0], 2 );
		$this->count_at( $mug->get_id(), $this->loc[0], 2 );
		$this->paid_order( array( array( $small, 1 ), array( wc_get_product( $mug->get_id() ), 1 ) ) );
		$items = $this->open_at( $this->loc[0] )[0]['items'];
		$this->assertSame( array( 'C-01', 'B-07 top' ), array_column( $items, 'bin' ), 'the variation shows its parent\'s bin' );
	}

	/**
	 * @group concurrency
	 */
	public function test_both_shipments_of_a_split_order_shipped_twice_at_once_over_http_complete_it_once(): void {
		$mug  = $this->simple( 0 );
		$bowl = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[0], 3 );
		$this->count_at( $bowl->get_id(), $this->loc[1], 2 );
		$order = $this->paid_order( array( array( $mug, 2 ), array( $bowl, 1 ) ) );
		$ids   = array( $this->open_at( $this->loc[0] )[0]['id'], $this->open_at( $this->loc[1] )[0]['id'] );
		foreach ( $ids as $id ) {
			$this->assertSame( 200, $this->queue( 'POST', "/$id/picked" )->get_status() );
			$this->assertSame( 200, $this->queue( 'POST', "/$id/packed" )->get_status() );
		}
		$cashier = PosHttp::login( $this->as_role( 'omnistock_cashier' ) );
		// The request that ships a shipment holds it for a second: the others arrive meanwhile.
		$log   = sys_get_temp_dir() . '/omnistock-shipment-shipped-' . $order->get_id() . '.log';
		$delay = getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-content/mu-plugins/omnistock-test-shipment-delay.php';
		wp_mkdir_p( dirname( $delay ) );
		file_put_contents( $delay, "<?php\nadd_action( 'omnistock_shipment_shipped', static function ( \$order, \$store, \$shipment ) { file_put_contents( " . var_export( $log, true ) . ", \$shipment['id'] . \"\\n\", FILE_APPEND ); sleep( 1 ); }, 5, 3 );\n" );
		$http = new PosHttp( (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ), 4 );
		try {
			$requests = array();
			foreach ( array( $ids[0], $ids[1], $ids[0], $ids[1] ) as $i => $id ) {
				$requests[] = array(
					'POST',
					"/omnistock/v1/shipments/$id/shipped",
					$cashier,
					array(
						'carrier'  => 'DHL',
						'tracking' => "T-$id-$i",
					),
				);
			}
			$answers = $http->all( $requests, 0.2 );
		} finally {
			$http->stop();
			unlink( $delay );
		}
		$this->assertSame( array( 200, 200, 200, 200 ), array_column( $answers, 'status' ), wp_json_encode( $answers ) );
		$this->assertSame( array( 'shipped', 'shipped', 'shipped', 'shipped' ), array_map( static fn( $a ) => $a['body']['status'], $answers ) );
		$sent = array_map( 'intval', array_filter( explode( "\n", (string) file_get_contents( $log ) ) ) );
		unlink( $log );
		sort( $sent );
		$this->assertSame( $ids, $sent, 'one e-mail asked for per shipment' );
		$order = $this->fresh( $order );
		$this->assertSame( array( 'completed', 'fulfilled' ), array( $order->get_status(), $this->state( $order ) ) );
		$this->assertCount( 1, array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, 'the last shipment has shipped' ) ), 'completed once' );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $mug->get_id(), $this->loc[0] )['on_hand'], $this->cell( $mug->get_id(), $this->loc[0] )['committed'] ), 'each shipment fulfilled once' );
		$this->assertSame( array( 1, 0 ), array( $this->cell( $bowl->get_id(), $this->loc[1] )['on_hand'], $this->cell( $bowl->get_id(), $this->loc[1] )['committed'] ) );
		$this->assertShopAgrees( $mug, 'shipped at once' );
	}
}
