<?php
/**
 * Pickup with a transfer (issue 15): a store that accepts transfers is offered "in N days" when one
 * other location has what it lacks; the units are held and committed there, received at the store
 * (one transfer in the ledger, the commitment moves), then ready and collected at the store.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';

use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

final class PickupTransferTest extends PosTestCase {

	/** @var list<array> E-mails wp_mail() was asked to send (none leaves the machine). */
	private array $mails = array();

	/** @var \Closure */
	private $catch;

	protected function setUp(): void {
		parent::setUp();
		// [0] Warehouse (ships, priority 0), [1] Store (ships, priority 1), [2] Store Mitte (pickup only).
		Plugin::locations()->update(
			$this->loc[2],
			array(
				'name'              => 'Store Mitte',
				'accepts_transfers' => true,
				'transfer_days'     => 3,
			)
		);
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
	 * The rates WooCommerce's filter ends with for a package of $lines ([product, qty]), beside one flat rate.
	 *
	 * @return array<string, \WC_Shipping_Rate>
	 */
	private function rates( array $lines ): array {
		$contents = array();
		foreach ( $lines as $i => list( $product, $qty ) ) {
			$contents[ "line$i" ] = array(
				'data'       => $product,
				'quantity'   => $qty,
				'product_id' => $product->get_id(),
			);
		}
		$flat = new \WC_Shipping_Rate( 'flat_rate:1', 'Flat rate', 5, array(), 'flat_rate', 1 );
		return apply_filters( 'woocommerce_package_rates', array( 'flat_rate:1' => $flat ), array( 'contents' => $contents ) );
	}

	/**
	 * An order that chose the pickup rate of Store Mitte the rates offer for its lines (its meta
	 * copied to the shipping line, as WooCommerce's checkout does), then went through checkout.
	 *
	 * @return array{0:\WC_Order, 1:string|null} The order and the checkout's error.
	 */
	private function checkout_pickup( array $lines, ?\WC_Shipping_Rate $rate = null ): array {
		$rate     = $rate ?? $this->rates( $lines )[ 'omnistock_pickup:' . $this->loc[2] ];
		$order    = $this->order( $lines );
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_props(
			array(
				'method_title' => $rate->get_label(),
				'method_id'    => $rate->get_method_id(),
				'instance_id'  => $rate->get_instance_id(),
				'total'        => 0,
			)
		);
		foreach ( $rate->get_meta_data() as $key => $value ) {
			$shipping->add_meta_data( $key, $value, true );
		}
		$order->add_item( $shipping );
		$order->set_billing_first_name( 'Ada' );
		$order->save();
		return array( $order, $this->checkout( $order ) );
	}

	/**
	 * A paid pickup order of $qty units of a product the Warehouse has 5 of and Store Mitte none.
	 *
	 * @return array{0:\WC_Order, 1:int} The order and its product.
	 */
	private function transfer_order( int $qty = 2 ): array {
		$product           = $this->simple( 5 );
		list( $order, $no ) = $this->checkout_pickup( array( array( $product, $qty ) ) );
		$this->assertNull( $no );
		$this->fresh( $order )->payment_complete();
		return array( $this->fresh( $order ), $product->get_id() );
	}

	/**
	 * A desk request in process, as the current user.
	 */
	private function desk( string $method, string $route, ?array $json = null, array $query = array() ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, '/omnistock/v1/pickups' . $route );
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
	 * The order notes' texts.
	 *
	 * @return list<string>
	 */
	private function notes( \WC_Order $order ): array {
		return array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $order->get_id() ) ) );
	}

	/**
	 * The ledger's rows of one kind for a product.
	 *
	 * @return list<array<string, string|null>>
	 */
	private function ledger( int $product, string $kind ): array {
		return array_values( array_filter( Plugin::inventory()->ledger_tail( 100, $product ), static fn( $r ) => $kind === $r['kind'] ) );
	}

	/**
	 * [on_hand, committed, held] of a cell.
	 *
	 * @return array{0:int, 1:int, 2:int}
	 */
	private function levels( int $product, int $location ): array {
		$cell = $this->cell( $product, $location );
		return array( $cell['on_hand'], $cell['committed'], $cell['held'] );
	}

	/**
	 * The code in the one "Ready for pickup" e-mail sent.
	 */
	private function code_from_mail(): string {
		$ready = array_values( array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'ready for pickup' ) ) );
		$this->assertCount( 1, $ready, 'one "Ready for pickup" e-mail' );
		$this->assertSame( 1, preg_match( '/Pickup code: (\d{6})/', (string) $ready[0]['message'], $m ) );
		return $m[1];
	}

	public function test_a_store_that_accepts_transfers_is_offered_in_n_days_only_when_one_other_location_covers(): void {
		$mug   = $this->simple( 3 ); // 3 at the Warehouse, none at Store Mitte.
		$id    = 'omnistock_pickup:' . $this->loc[2];
		$rates = $this->rates( array( array( $mug, 2 ) ) );
		$this->assertArrayHasKey( $id, $rates, 'the Warehouse can send the 2 units' );
		$this->assertSame( array( 'omnistock_pickup', $this->loc[2], 'Store Mitte' ), array( $rates[ $id ]->get_method_id(), (int) $rates[ $id ]->get_instance_id(), $rates[ $id ]->get_label() ) );
		$meta = $rates[ $id ]->get_meta_data();
		$this->assertSame( 'Ready in about 3 days', $meta['pickup_details'], 'the store\'s transfer_days' );
		$this->assertSame( (string) $this->loc[0], $meta['pickup_source'], 'the first location by priority that covers' );

		$this->assertArrayNotHasKey( $id, $this->rates( array( array( $mug, 4 ) ) ), '4 wanted, 3 anywhere: not offered' );
		$this->count_at( $mug->get_id(), $this->loc[1], 2 );
		$this->assertArrayNotHasKey( $id, $this->rates( array( array( $mug, 4 ) ) ), '3 at the Warehouse and 2 at the Store: no one location covers, not offered' );
		$this->count_at( $mug->get_id(), $this->loc[1], 4 );
		$this->assertSame( (string) $this->loc[1], $this->rates( array( array( $mug, 4 ) ) )[ $id ]->get_meta_data()['pickup_source'], 'the Store covers 4 where the Warehouse does not' );

		$this->count_at( $mug->get_id(), $this->loc[2], 2 );
		$own = $this->rates( array( array( $mug, 2 ) ) )[ $id ]->get_meta_data();
		$this->assertSame( 'Ready in about 2 hours', $own['pickup_details'], 'the store has them: no transfer' );
		$this->assertArrayNotHasKey( 'pickup_source', $own );

		Plugin::locations()->update( $this->loc[2], array( 'accepts_transfers' => false ) );
		$this->assertArrayNotHasKey( $id, $this->rates( array( array( $mug, 3 ) ) ), 'without accepts_transfers a store short of a line is not offered' );
		$this->assertArrayHasKey( $id, $this->rates( array( array( $mug, 2 ) ) ) );
	}

	public function test_checkout_holds_the_missing_lines_at_the_source_and_payment_commits_there(): void {
		$mug = $this->simple( 5 ); // At the Warehouse.
		$tea = $this->simple( 0 );
		$this->count_at( $tea->get_id(), $this->loc[2], 3 ); // At Store Mitte.
		list( $order, $error ) = $this->checkout_pickup( array( array( $mug, 2 ), array( $tea, 1 ) ) );
		$this->assertNull( $error );
		$fresh = $this->fresh( $order );
		$this->assertSame( array( (string) $this->loc[2], (string) $this->loc[0] ), array( (string) $fresh->get_meta( Meta::PICKUP_LOCATION ), (string) $fresh->get_meta( Meta::PICKUP_SOURCE ) ) );
		$where = array();
		foreach ( $fresh->get_items() as $item ) {
			$where[ $item->get_product_id() ] = (int) $item->get_meta( OrderStock::LOCATION );
		}
		$this->assertSame( array( $this->loc[0], $this->loc[2] ), array( $where[ $mug->get_id() ], $where[ $tea->get_id() ] ), 'the mug comes from the Warehouse, the tea is at the store' );
		$this->assertSame( array( 5, 0, 2 ), $this->levels( $mug->get_id(), $this->loc[0] ), 'held at the source' );
		$this->assertSame( array( 0, 0, 0 ), $this->levels( $mug->get_id(), $this->loc[2] ), 'not at the store' );
		$this->assertSame( array( 3, 0, 1 ), $this->levels( $tea->get_id(), $this->loc[2] ) );

		$this->fresh( $order )->payment_complete();
		$this->assertSame( 'committed', $this->state( $order ) );
		$this->assertSame( array( 5, 2, 0 ), $this->levels( $mug->get_id(), $this->loc[0] ), 'committed at the source' );
		$this->assertSame( array( 3, 1, 0 ), $this->levels( $tea->get_id(), $this->loc[2] ) );
		$list = $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) )->get_data();
		$this->assertSame( array( $order->get_id() ), array_column( $list, 'order' ) );
		$this->assertSame(
			array(
				'from'        => $this->loc[0],
				'name'        => 'Warehouse',
				'received_at' => null,
			),
			$list[0]['transfer']
		);
		$this->assertSame( 'new', $list[0]['status'] );
		$this->assertShopAgrees( wc_get_product( $mug->get_id() ), 'paid, committed at the Warehouse' );
	}

	public function test_received_moves_the_units_and_the_commitment_once_and_only_then_ready_then_collected_leaves_the_store_once(): void {
		list( $order, $product ) = $this->transfer_order();
		$id                      = $order->get_id();
		$early                   = $this->desk( 'POST', "/$id/ready" );
		$this->assertSame( array( 409, 'omnistock_pickup_not_received' ), array( $early->get_status(), $early->get_data()['code'] ), 'ready before the units arrived' );
		$this->assertSame( 'new', $this->fresh( $order )->get_meta( Meta::PICKUP_STATUS ) );
		$this->assertSame( array(), array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'ready for pickup' ) ), 'no e-mail' );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/preparing" )->get_status(), 'the store may prepare meanwhile' );

		$received = $this->desk( 'POST', "/$id/received" );
		$this->assertSame( 200, $received->get_status(), wp_json_encode( $received->get_data() ) );
		$this->assertIsInt( $received->get_data()['transfer']['received_at'] );
		$this->assertSame( array( 3, 0, 0 ), $this->levels( $product, $this->loc[0] ), 'the units and the commitment left the Warehouse' );
		$this->assertSame( array( 2, 2, 0 ), $this->levels( $product, $this->loc[2] ), 'they are at Store Mitte, committed there' );
		$this->assertSame( 0, $this->cell( $product, $this->loc[2] )['sellable'] );
		$transfers = $this->ledger( $product, 'transfer' );
		$this->assertCount( 1, $transfers );
		$this->assertSame( array( $this->loc[0], $this->loc[2], 2 ), array( (int) $transfers[0]['location_id'], (int) $transfers[0]['to_location_id'], (int) $transfers[0]['qty'] ) );
		$this->assertSame( (string) $this->loc[2], (string) current( $this->fresh( $order )->get_items() )->get_meta( OrderStock::LOCATION ), 'the line names the store' );
		$this->assertSame( array( array( $product, $this->loc[2], 2 ) ), Plugin::inventory()->committed( OrderStock::key( $order ) ) );

		$notes = count( $this->notes( $order ) );
		$again = $this->desk( 'POST', "/$id/received" );
		$this->assertSame( array( 200, $received->get_data()['transfer']['received_at'] ), array( $again->get_status(), $again->get_data()['transfer']['received_at'] ) );
		$this->assertCount( 1, $this->ledger( $product, 'transfer' ), 'received twice: one transfer' );
		$this->assertCount( $notes, $this->notes( $order ), 'received twice: one note' );
		$this->assertSame( array( 2, 2, 0 ), $this->levels( $product, $this->loc[2] ) );
		$this->assertCount( 1, array_filter( $this->notes( $order ), static fn( $n ) => str_contains( $n, 'sent from Warehouse were received at Store Mitte' ) ) );

		$this->assertSame( 200, $this->desk( 'POST', "/$id/ready" )->get_status() );
		$done = $this->desk( 'POST', "/$id/collected", array( 'code' => $this->code_from_mail() ) );
		$this->assertSame( array( 200, 'collected' ), array( $done->get_status(), $done->get_data()['status'] ) );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status() );
		$this->assertSame( array( 0, 0, 0 ), $this->levels( $product, $this->loc[2] ), 'the units left Store Mitte' );
		$this->assertSame( array( 3, 0, 0 ), $this->levels( $product, $this->loc[0] ), 'the Warehouse is not touched again' );
		$fulfilled = $this->ledger( $product, 'adjust' );
		$this->assertSame( array( $this->loc[2] ), array_map( 'intval', array_column( array_filter( $fulfilled, static fn( $r ) => 'fulfilled' === $r['reason'] ), 'location_id' ) ), 'one fulfilment, at the store' );
		$this->assertShopAgrees( wc_get_product( $product ), 'received and collected' );
	}

	public function test_cancel_before_received_releases_at_the_source(): void {
		list( $order, $product ) = $this->transfer_order();
		$this->assertSame( array( 5, 2, 0 ), $this->levels( $product, $this->loc[0] ) );
		$cancel = $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'shopper called' ) );
		$this->assertSame( array( 200, 'cancelled' ), array( $cancel->get_status(), $cancel->get_data()['status'] ) );
		$this->assertSame( 'cancelled', $this->fresh( $order )->get_status() );
		$this->assertSame( array( 5, 0, 0 ), $this->levels( $product, $this->loc[0] ), 'released at the Warehouse' );
		$this->assertSame( 5, $this->cell( $product, $this->loc[0] )['sellable'] );
		$this->assertSame( array( 0, 0, 0 ), $this->levels( $product, $this->loc[2] ) );
		$this->assertSame( array(), $this->ledger( $product, 'transfer' ) );
		$late = $this->desk( 'POST', '/' . $order->get_id() . '/received' );
		$this->assertSame( array( 409, 'omnistock_pickup_bad_transition' ), array( $late->get_status(), $late->get_data()['code'] ), 'a cancelled order receives nothing' );
		$this->assertSame( array(), $this->ledger( $product, 'transfer' ) );
		$this->assertShopAgrees( wc_get_product( $product ), 'cancelled before received' );
	}

	public function test_cancel_after_received_releases_at_the_store(): void {
		list( $order, $product ) = $this->transfer_order();
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/received' )->get_status() );
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'damaged on the way' ) )->get_status() );
		$this->assertSame( array( 2, 0, 0 ), $this->levels( $product, $this->loc[2] ), 'the units stay at Store Mitte, back on sale there' );
		$this->assertSame( 2, $this->cell( $product, $this->loc[2] )['sellable'] );
		$this->assertSame( array( 3, 0, 0 ), $this->levels( $product, $this->loc[0] ) );
	}

	public function test_reassigned_before_received_it_waits_for_no_transfer(): void {
		list( $order, $product ) = $this->transfer_order();
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) );
		$this->count_at( $product, $this->loc[1], 3 );
		$moved = $this->desk( 'POST', '/' . $order->get_id() . '/reassign', array( 'location' => $this->loc[1] ) );
		$this->assertSame( array( 200, $this->loc[1], null ), array( $moved->get_status(), $moved->get_data()['location'], $moved->get_data()['transfer'] ) );
		$this->assertSame( array( 5, 0, 0 ), $this->levels( $product, $this->loc[0] ), 'the commitment left the Warehouse' );
		$this->assertSame( array( 3, 2, 0 ), $this->levels( $product, $this->loc[1] ), 'and is at the Store, which has the units' );
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/ready' )->get_status(), 'its units are at the new store: ready at once' );
		$this->assertSame( array(), $this->ledger( $product, 'transfer' ) );
	}

	public function test_units_gone_at_the_source_by_checkout_are_refused_with_woocommerces_wording(): void {
		$mug  = $this->simple( 2 );
		$rate = $this->rates( array( array( $mug, 2 ) ) )[ 'omnistock_pickup:' . $this->loc[2] ]; // Offered while the Warehouse has 2.
		$this->assertSame( 'Ready in about 3 days', $rate->get_meta_data()['pickup_details'] );
		Plugin::inventory()->sell( 'pos:test-' . wp_generate_uuid4(), array( array( $mug->get_id(), $this->loc[0], 1 ) ) ); // A walk-in buys one.
		list( $order, $error ) = $this->checkout_pickup( array( array( $mug, 2 ) ), $rate );
		$this->assertStringContainsString( 'available in stock to fulfil this order', (string) $error );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['held'] );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[2] )['held'] );
		$this->assertSame( '', (string) $this->fresh( $order )->get_meta( Meta::PICKUP_SOURCE ) );
	}

	public function test_a_rate_chosen_without_a_transfer_is_never_filled_by_one(): void {
		$mug = $this->simple( 5 );
		$this->count_at( $mug->get_id(), $this->loc[2], 2 );
		$rate = $this->rates( array( array( $mug, 2 ) ) )[ 'omnistock_pickup:' . $this->loc[2] ];
		$this->assertSame( 'Ready in about 2 hours', $rate->get_meta_data()['pickup_details'] );
		Plugin::inventory()->sell( 'pos:test-' . wp_generate_uuid4(), array( array( $mug->get_id(), $this->loc[2], 1 ) ) );
		list( , $error ) = $this->checkout_pickup( array( array( $mug, 2 ) ), $rate );
		$this->assertStringContainsString( 'available in stock to fulfil this order', (string) $error, 'the shopper was promised hours, not days' );
		$this->assertSame( 0, $this->cell( $mug->get_id(), $this->loc[0] )['held'] );
	}

	public function test_received_is_for_the_stores_staff_and_only_for_an_order_that_waits_for_a_transfer(): void {
		list( $order, $product ) = $this->transfer_order();
		$cashier                 = $this->as_role( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier, array( $this->loc[0] ) ); // The source's cashier, not the store's.
		$refused = $this->desk( 'POST', '/' . $order->get_id() . '/received' );
		$this->assertSame( array( 403, 'omnistock_pos_not_your_location' ), array( $refused->get_status(), $refused->get_data()['code'] ) );
		$this->assertSame( array( 5, 2, 0 ), $this->levels( $product, $this->loc[0] ), 'refused: nothing moved' );
		Plugin::staff()->assign( $cashier, array( $this->loc[2] ) );
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/received' )->get_status() );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->desk( 'POST', '/' . $order->get_id() . '/received' )->get_status() );

		wp_set_current_user( 1 );
		$cup = $this->simple( 0 );
		$this->count_at( $cup->get_id(), $this->loc[2], 1 );
		list( $plain ) = $this->checkout_pickup( array( array( $cup, 1 ) ) );
		$this->fresh( $plain )->payment_complete();
		$none = $this->desk( 'POST', '/' . $plain->get_id() . '/received' );
		$this->assertSame( array( 409, 'omnistock_pickup_no_transfer' ), array( $none->get_status(), $none->get_data()['code'] ) );
		$listed = array_column( $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) )->get_data(), null, 'order' );
		$this->assertArrayHasKey( 'transfer', $listed[ $plain->get_id() ] );
		$this->assertNull( $listed[ $plain->get_id() ]['transfer'], 'a pickup from the store\'s own units has no transfer' );
		$this->assertSame( $this->loc[0], $listed[ $order->get_id() ]['transfer']['from'] );
	}
}
