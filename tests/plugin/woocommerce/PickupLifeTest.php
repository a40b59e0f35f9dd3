<?php
/**
 * A pickup order's life on real WooCommerce orders (HPOS as the run says): new → preparing → ready →
 * collected, cancel, reassign, "I'm here", the no-show sweep, the e-mails and the desk's routes.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';
require_once __DIR__ . '/lib/PosHttp.php';

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;
use Omnistock\Meta;
use Omnistock\Pickup\Pickups;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

final class PickupLifeTest extends PosTestCase {

	/** @var list<array> E-mails wp_mail() was asked to send (none leaves the machine). */
	private array $mails = array();

	/** @var \Closure */
	private $catch;

	protected function setUp(): void {
		parent::setUp();
		Plugin::locations()->update(
			$this->loc[2],
			array(
				'name'            => 'Store Mitte',
				'address'         => 'Rosenthaler Str. 1, Berlin',
				'offers_pickup'   => true,
				'offers_curbside' => true,
				'opening_hours'   => 'Mon–Sat 9–20',
				'hold_days'       => 3,
			)
		);
		Plugin::locations()->update( $this->loc[1], array( 'offers_pickup' => true ) );
		$this->mails = array();
		$this->catch = function ( $short, $atts ) {
			$this->mails[] = $atts;
			return true;
		};
		add_filter( 'pre_wp_mail', $this->catch, 10, 2 );
		delete_option( Pickups::NO_SHOW_OPTION );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', $this->catch, 10 );
		delete_option( Pickups::NO_SHOW_OPTION );
		parent::tearDown();
	}

	/**
	 * A paid pickup order of 2 units at Store Mitte (5 there), as checkout B would leave it.
	 *
	 * @return array{0:\WC_Order, 1:int} The order and its product.
	 */
	private function pickup_order( int $qty = 2, int $stock = 5 ): array {
		$product = $this->simple( 0 );
		$this->count_at( $product->get_id(), $this->loc[2], $stock );
		$order = $this->order( array( array( $product, $qty ) ) );
		$order->set_billing_first_name( 'Ada' );
		$order->set_billing_last_name( 'Lovelace' );
		$order->update_meta_data( Meta::PICKUP_LOCATION, (string) $this->loc[2] );
		foreach ( $order->get_items() as $item ) {
			$item->update_meta_data( Meta::LINE_LOCATION, (string) $this->loc[2] );
			$item->save();
		}
		$order->save();
		$order->payment_complete();
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
	 * The code in the one "Ready for pickup" e-mail sent.
	 */
	private function code_from_mail(): string {
		$ready = array_values( array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'ready for pickup' ) ) );
		$this->assertCount( 1, $ready, 'one "Ready for pickup" e-mail' );
		$this->assertSame( 1, preg_match( '/Pickup code: (\d{6})/', (string) $ready[0]['message'], $m ), 'the e-mail has the line "Pickup code: <code>"' );
		return $m[1];
	}

	/**
	 * Ledger rows whose id starts with $prefix.
	 */
	private function ledger_rows( string $prefix ): int {
		global $wpdb;
		$t = new Tables( $wpdb );
		return (int) Plugin::database()->value( Plugin::database()->prepare( "SELECT COUNT(*) FROM {$t->ledger} WHERE event_id LIKE %s", $wpdb->esc_like( $prefix ) . '%' ) );
	}

	public function test_a_paid_pickup_order_is_new_and_committed_at_its_store(): void {
		list( $order, $product ) = $this->pickup_order();
		$this->assertSame( 'new', $order->get_meta( Meta::PICKUP_STATUS ) );
		$this->assertSame( 2, $this->cell( $product, $this->loc[2] )['committed'] );
		$this->assertSame( 3, $this->cell( $product, $this->loc[2] )['sellable'] );
		$list = $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) );
		$this->assertSame( 200, $list->get_status() );
		$this->assertSame( array( $order->get_id() ), array_column( $list->get_data(), 'order' ) );
		$pickup = $list->get_data()[0];
		$this->assertSame( array( 'Ada Lovelace', true, 'new', 2 ), array( $pickup['customer']['name'], $pickup['curbside'], $pickup['status'], $pickup['items'][0]['qty'] ) );
		$this->assertNull( $pickup['ready_at'] );
	}

	public function test_every_transition_once_and_the_409s(): void {
		list( $order ) = $this->pickup_order();
		$id            = $order->get_id();
		$bad           = $this->desk( 'POST', "/$id/collected", array( 'code' => '000000' ) );
		$this->assertSame( array( 409, 'omnistock_pickup_bad_transition' ), array( $bad->get_status(), $bad->get_data()['code'] ), 'new → collected' );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/preparing" )->get_status() );
		$notes = count( $this->notes( $order ) );
		$again = $this->desk( 'POST', "/$id/preparing" );
		$this->assertSame( array( 200, 'preparing' ), array( $again->get_status(), $again->get_data()['status'] ) );
		$this->assertCount( $notes, $this->notes( $order ), 'preparing twice: one note' );
		$ready = $this->desk( 'POST', "/$id/ready" );
		$this->assertSame( array( 200, 'ready' ), array( $ready->get_status(), $ready->get_data()['status'] ) );
		$this->assertIsInt( $ready->get_data()['ready_at'] );
		$notes = count( $this->notes( $order ) );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/ready" )->get_status() );
		$this->assertCount( $notes, $this->notes( $order ), 'ready twice: one note' );
		$code = $this->code_from_mail(); // Ready twice: one e-mail.
		$back = $this->desk( 'POST', "/$id/preparing" );
		$this->assertSame( array( 409, 'omnistock_pickup_bad_transition' ), array( $back->get_status(), $back->get_data()['code'] ), 'ready → preparing' );
		// The code is the shopper's: not in the desk's answers, the notes or readable meta.
		$this->assertStringNotContainsString( $code, wp_json_encode( $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) )->get_data() ) );
		$this->assertStringNotContainsString( $code, wp_json_encode( $ready->get_data() ) );
		$this->assertStringNotContainsString( $code, implode( "\n", $this->notes( $order ) ) );
		$this->assertStringNotContainsString( $code, (string) $this->fresh( $order )->get_meta( Meta::PICKUP_CODE ) );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/collected", array( 'code' => $code ) )->get_status() );
		$cancel = $this->desk( 'POST', "/$id/cancel", array( 'reason' => 'too late' ) );
		$this->assertSame( array( 409, 'omnistock_pickup_bad_transition' ), array( $cancel->get_status(), $cancel->get_data()['code'] ), 'collected → cancelled' );
		$this->assertSame( 'completed', $this->fresh( $order )->get_status() );
	}

	public function test_collected_with_the_code_completes_and_takes_the_units_once_a_wrong_code_changes_nothing(): void {
		list( $order, $product ) = $this->pickup_order();
		$id                      = $order->get_id();
		$this->desk( 'POST', "/$id/ready" );
		$code  = $this->code_from_mail();
		$wrong = $this->desk( 'POST', "/$id/collected", array( 'code' => '000000' === $code ? '111111' : '000000' ) );
		$this->assertSame( array( 409, 'omnistock_pickup_wrong_code' ), array( $wrong->get_status(), $wrong->get_data()['code'] ) );
		$fresh = $this->fresh( $order );
		$this->assertSame( array( 'ready', 'processing' ), array( $fresh->get_meta( Meta::PICKUP_STATUS ), $fresh->get_status() ), 'a wrong code changes nothing' );
		$this->assertSame( array( 5, 2 ), array( $this->cell( $product, $this->loc[2] )['on_hand'], $this->cell( $product, $this->loc[2] )['committed'] ) );
		$done = $this->desk( 'POST', "/$id/collected", array( 'code' => $code ) );
		$this->assertSame( array( 200, 'collected' ), array( $done->get_status(), $done->get_data()['status'] ) );
		$this->assertIsInt( $done->get_data()['collected_at'] );
		$fresh = $this->fresh( $order );
		$this->assertSame( 'completed', $fresh->get_status() );
		$this->assertSame( 'fulfilled', $fresh->get_meta( OrderStock::STATE ) );
		$this->assertSame( array( 3, 0 ), array( $this->cell( $product, $this->loc[2] )['on_hand'], $this->cell( $product, $this->loc[2] )['committed'] ), 'the units left Store Mitte' );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/collected", array( 'code' => $code ) )->get_status(), 'collected again: a no-op' );
		$fresh->update_status( 'completed' );
		do_action( 'woocommerce_order_status_completed', $id, $fresh );
		$this->assertSame( 3, $this->cell( $product, $this->loc[2] )['on_hand'], 'exactly once' );
		$this->assertSame( 1, $this->ledger_rows( 'fulfil:wc-order-' . $id . ':' ), 'one fulfil row in the ledger' );
		$this->assertShopAgrees( wc_get_product( $product ), 'collected' );
	}

	public function test_staff_cancel_puts_the_units_back_on_sale_and_tells_the_shopper(): void {
		list( $order, $product ) = $this->pickup_order();
		$response                = $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'damaged' ) );
		$this->assertSame( array( 200, 'cancelled', 'damaged' ), array( $response->get_status(), $response->get_data()['status'], $response->get_data()['cancel_reason'] ) );
		$this->assertSame( 'cancelled', $this->fresh( $order )->get_status() );
		$this->assertSame( array( 5, 0, 5 ), array( $this->cell( $product, $this->loc[2] )['on_hand'], $this->cell( $product, $this->loc[2] )['committed'], $this->cell( $product, $this->loc[2] )['sellable'] ) );
		$this->assertCount( 1, array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'was cancelled' ) && 'buyer@example.org' === $m['to'] ) );
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'damaged' ) )->get_status() );
		$this->assertCount( 1, array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'was cancelled' ) ), 'cancelled twice: one e-mail' );
		$empty = $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => '' ) );
		$this->assertSame( 400, $empty->get_status() );
	}

	public function test_cancel_refunds_a_paid_order_when_the_shop_says_so(): void {
		update_option( Pickups::NO_SHOW_OPTION, 'refund' );
		list( $order, $product ) = $this->pickup_order();
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'shop closed' ) )->get_status() );
		$fresh = $this->fresh( $order );
		$this->assertSame( 'refunded', $fresh->get_status() );
		$this->assertEquals( (float) $fresh->get_total(), (float) $fresh->get_total_refunded() );
		$this->assertSame( array( 0, 5 ), array( $this->cell( $product, $this->loc[2] )['committed'], $this->cell( $product, $this->loc[2] )['sellable'] ) );
	}

	public function test_im_here_with_the_key_tells_the_store_a_wrong_key_is_403(): void {
		list( $order ) = $this->pickup_order();
		$id            = $order->get_id();
		wp_set_current_user( 0 );
		$wrong = $this->desk(
			'POST',
			"/$id/arrived",
			array(
				'key'  => 'wc_order_wrong',
				'note' => 'bay 3',
			)
		);
		$this->assertSame( array( 403, 'omnistock_pickup_wrong_key' ), array( $wrong->get_status(), $wrong->get_data()['code'] ) );
		$this->assertSame( '', $this->fresh( $order )->get_meta( Meta::PICKUP_ARRIVED ) );
		$this->assertSame(
			400,
			$this->desk(
				'POST',
				"/$id/arrived",
				array(
					'key'  => $order->get_order_key(),
					'note' => str_repeat(
						'x',
						201
					),
				)
			)->get_status(),
			'note at most 200 chars'
		);
		$ok = $this->desk(
			'POST',
			"/$id/arrived",
			array(
				'key'  => $order->get_order_key(),
				'note' => 'bay 3, red van',
			)
		);
		$this->assertSame( 200, $ok->get_status() );
		$this->assertSame( 'bay 3, red van', $ok->get_data()['arrived']['note'] );
		$this->assertArrayNotHasKey( 'customer', $ok->get_data(), 'the public answer has no staff fields' );
		$arrived = array_values( array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], 'has arrived' ) ) );
		$this->assertCount( 1, $arrived );
		$this->assertSame( get_option( 'admin_email' ), $arrived[0]['to'] );
		$this->assertStringContainsString( 'bay 3, red van', $arrived[0]['message'] );
		$this->assertStringContainsString( 'bay 3, red van', implode( "\n", $this->notes( $order ) ) );
		wp_set_current_user( 1 );
		$list = $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) )->get_data();
		$this->assertSame( 'bay 3, red van', $list[0]['arrived']['note'], 'the desk sees the arrival' );
	}

	public function test_the_ready_email_has_the_store_hours_and_the_curbside_link_and_the_page_works(): void {
		list( $order ) = $this->pickup_order();
		$this->desk( 'POST', '/' . $order->get_id() . '/ready' );
		$this->code_from_mail();
		$message = $this->mails[ count( $this->mails ) - 1 ]['message'];
		$this->assertStringContainsString( 'Store Mitte', $message );
		$this->assertStringContainsString( 'Rosenthaler Str. 1, Berlin', $message );
		$this->assertStringContainsString( 'Mon–Sat 9–20', $message );
		$this->assertStringContainsString( 'omnistock_arrived=' . $order->get_id(), $message );
		$this->assertStringContainsString( 'key=' . $order->get_order_key(), str_replace( '&#038;', '&', $message ) );
		$this->assertTrue( as_has_scheduled_action( Pickups::SWEEP_HOOK ), 'the hourly no-show sweep is scheduled with Action Scheduler' );
		$page = \Omnistock\WooCommerce\CurbsidePage::html( $order, $order->get_order_key() );
		$this->assertStringContainsString( '/pickups/' . $order->get_id() . '/arrived', $page );
		$this->assertStringContainsString( 'name="note"', $page );
	}

	public function test_a_cashier_of_another_store_is_refused(): void {
		list( $order ) = $this->pickup_order();
		$this->mails   = array(); // WooCommerce's own "New order".
		$cashier       = $this->as_role( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier, array( $this->loc[0] ) );
		foreach ( array(
			$this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) ),
			$this->desk( 'POST', '/' . $order->get_id() . '/ready' ),
			$this->desk( 'POST', '/' . $order->get_id() . '/cancel', array( 'reason' => 'x' ) ),
		) as $response ) {
			$this->assertSame( array( 403, 'omnistock_pos_not_your_location' ), array( $response->get_status(), $response->get_data()['code'] ) );
		}
		$this->assertSame( 'new', $this->fresh( $order )->get_meta( Meta::PICKUP_STATUS ) );
		$this->assertSame( array(), $this->mails );
		Plugin::staff()->assign( $cashier, array( $this->loc[2] ) );
		$this->assertSame( 200, $this->desk( 'POST', '/' . $order->get_id() . '/ready' )->get_status(), 'its own store\'s cashier may' );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->desk( 'GET', '', null, array( 'location' => $this->loc[2] ) )->get_status() );
	}

	public function test_no_show_sweep_reminds_once_then_cancels_and_the_units_go_back(): void {
		list( $order, $product ) = $this->pickup_order();
		$this->desk( 'POST', '/' . $order->get_id() . '/ready' );
		$pickups = new Pickups( Plugin::inventory(), Plugin::locations(), Plugin::database() );
		$now     = Database::now_ms();
		$id      = $order->get_id();
		$this->assertNotContains( $id, $pickups->sweep( $now + 3600000 )['reminded'], 'not after an hour' );
		$this->assertContains( $id, $pickups->sweep( $now + 25 * 3600000 )['reminded'] );
		$this->assertNotContains( $id, $pickups->sweep( $now + 26 * 3600000 )['reminded'], 'reminded once' );
		$this->assertCount( 1, array_filter( $this->mails, static fn( $m ) => str_contains( (string) $m['subject'], "#$id is waiting for you" ) ) );
		$this->assertNotContains( $id, $pickups->sweep( $now + 2 * 86400000 )['cancelled'], 'hold_days is 3' );
		$this->assertSame( 'ready', $this->fresh( $order )->get_meta( Meta::PICKUP_STATUS ) );
		$this->assertContains( $id, $pickups->sweep( $now + 3 * 86400000 + 1000 )['cancelled'] );
		$fresh = $this->fresh( $order );
		$this->assertSame( array( 'cancelled', 'cancelled' ), array( $fresh->get_status(), $fresh->get_meta( Meta::PICKUP_STATUS ) ) );
		$this->assertStringContainsString( 'not collected within 3 days', $fresh->get_meta( Meta::PICKUP_CANCEL_REASON ) );
		$this->assertSame( array( 0, 5 ), array( $this->cell( $product, $this->loc[2] )['committed'], $this->cell( $product, $this->loc[2] )['sellable'] ) );
		$this->assertNotContains( $id, $pickups->sweep( $now + 9 * 86400000 )['cancelled'] );
	}

	public function test_reassign_moves_the_commitment_or_refuses_with_nothing_changed(): void {
		list( $order, $product ) = $this->pickup_order();
		$id                      = $order->get_id();
		$this->desk( 'POST', "/$id/ready" );
		$short = $this->desk( 'POST', "/$id/reassign", array( 'location' => $this->loc[1] ) );
		$this->assertSame( array( 409, 'omnistock_pickup_no_stock' ), array( $short->get_status(), $short->get_data()['code'] ) );
		$this->assertSame( 2, $this->cell( $product, $this->loc[2] )['committed'], 'refused: nothing changed' );
		$this->assertSame( 0, $this->cell( $product, $this->loc[1] )['committed'] );
		$this->assertSame( (string) $this->loc[2], (string) $this->fresh( $order )->get_meta( Meta::PICKUP_LOCATION ) );
		$this->count_at( $product, $this->loc[1], 4 );
		$moved = $this->desk( 'POST', "/$id/reassign", array( 'location' => $this->loc[1] ) );
		$this->assertSame( array( 200, $this->loc[1], 'new' ), array( $moved->get_status(), $moved->get_data()['location'], $moved->get_data()['status'] ) );
		$this->assertSame( array( 0, 2 ), array( $this->cell( $product, $this->loc[2] )['committed'], $this->cell( $product, $this->loc[1] )['committed'] ) );
		$fresh = $this->fresh( $order );
		foreach ( $fresh->get_items() as $item ) {
			$this->assertSame( (string) $this->loc[1], (string) $item->get_meta( Meta::LINE_LOCATION ) );
		}
		// Ready and collected at the new store: its units leave, Store Mitte keeps its own.
		$this->mails = array();
		$this->desk( 'POST', "/$id/ready" );
		$this->assertSame( 200, $this->desk( 'POST', "/$id/collected", array( 'code' => $this->code_from_mail() ) )->get_status() );
		$this->assertSame( array( 5, 2 ), array( $this->cell( $product, $this->loc[2] )['on_hand'], $this->cell( $product, $this->loc[1] )['on_hand'] ) );
		$this->assertShopAgrees( wc_get_product( $product ), 'reassigned and collected' );
	}

	public function test_ready_tapped_four_times_at_once_over_http_is_done_once(): void {
		list( $order ) = $this->pickup_order();
		$cashier       = PosHttp::login( $this->as_role( 'omnistock_cashier' ) );
		// The request that makes the order ready holds it for a second: the others arrive meanwhile.
		$log   = sys_get_temp_dir() . '/omnistock-pickup-ready-' . $order->get_id() . '.log';
		$delay = getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-content/mu-plugins/omnistock-test-pickup-delay.php';
		wp_mkdir_p( dirname( $delay ) );
		file_put_contents( $delay, "<?php\nadd_action( 'omnistock_pickup_ready', static function () { file_put_contents( " . var_export( $log, true ) . ", \"ready\\n\", FILE_APPEND ); sleep( 1 ); } );\n" );
		$http = new PosHttp( (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 ), 4 );
		try {
			$answers = $http->all( array_fill( 0, 4, array( 'POST', '/omnistock/v1/pickups/' . $order->get_id() . '/ready', $cashier, array() ) ), 0.3 );
		} finally {
			$http->stop();
			unlink( $delay );
		}
		$this->assertSame( array( 200, 200, 200, 200 ), array_column( $answers, 'status' ), wp_json_encode( $answers ) );
		$this->assertSame( array( 'ready', 'ready', 'ready', 'ready' ), array_map( static fn( $a ) => $a['body']['status'], $answers ) );
		$this->assertSame( "ready\n", (string) file_get_contents( $log ), 'one code made, one e-mail asked for' );
		unlink( $log );
		$this->assertCount( 1, array_filter( $this->notes( $this->fresh( $order ) ), static fn( $n ) => str_contains( $n, 'ready for pickup' ) ), 'one note' );
	}

	public function test_the_emails_are_listed_in_woocommerce_settings(): void {
		$ids = array_map( static fn( $e ) => $e->id, WC()->mailer()->get_emails() );
		foreach ( array( 'omnistock_pickup_ready', 'omnistock_pickup_reminder', 'omnistock_pickup_cancelled', 'omnistock_pickup_arrived' ) as $id ) {
			$this->assertContains( $id, $ids );
		}
		$ready = WC()->mailer()->get_emails()['Omnistock\WooCommerce\Emails\PickupReady'];
		$this->assertFileExists( $ready->template_base . $ready->template_html );
		$this->assertFileExists( $ready->template_base . $ready->template_plain );
		$arrived = WC()->mailer()->get_emails()['Omnistock\WooCommerce\Emails\PickupArrived'];
		$this->assertArrayHasKey( 'recipient', $arrived->get_form_fields(), 'the store\'s address is a setting' );
		$this->assertFalse( $arrived->is_customer_email() );
	}
}
