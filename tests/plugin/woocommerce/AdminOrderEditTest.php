<?php
/**
 * A paid order edited by the shop manager in wp-admin's order edit screen, over real HTTP: the
 * HPOS screen (admin.php?page=wc-orders&action=edit) when HPOS is on, the posts screen when off.
 * Its line quantity saved through the items box (admin-ajax woocommerce_save_order_items), a line
 * refunded with restock (woocommerce_refund_line_items), the order cancelled by posting the edit
 * form back: Omnistock's commitments and the shop's stock follow each step.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Automattic\WooCommerce\Utilities\OrderUtil;
use Omnistock\WooCommerce\OrderStock;

require_once __DIR__ . '/lib/AdminHttpTestCase.php';

/**
 * @group current-stack
 */
final class AdminOrderEditTest extends AdminHttpTestCase {

	/**
	 * The order's edit screen as the admin gets it: its form fields and action, and the items box's nonce.
	 *
	 * @return array{0: list<array{0:string,1:string}>, 1: string, 2: string}
	 */
	private function edit_screen( \WC_Order $order ): array {
		$url = (string) wp_parse_url( OrderUtil::get_order_admin_edit_url( $order->get_id() ), PHP_URL_PATH ) . '?' . (string) wp_parse_url( OrderUtil::get_order_admin_edit_url( $order->get_id() ), PHP_URL_QUERY );
		if ( 'on' === getenv( 'OMNISTOCK_WC_HPOS' ) ) {
			$this->assertStringContainsString( 'page=wc-orders&action=edit&id=' . $order->get_id(), $url, "HPOS on: WooCommerce's own order edit screen" );
		}
		$html = $this->admin->page( html_entity_decode( $url ) );
		$this->assertMatchesRegularExpression( '/"order_item_nonce":"([0-9a-f]+)"/', $html, 'the items box has its nonce' );
		preg_match( '/"order_item_nonce":"([0-9a-f]+)"/', $html, $m );
		list( $fields, $action ) = AdminSession::form( $html, OrderUtil::custom_orders_table_usage_is_enabled() ? 'order' : 'post' );
		return array( $fields, $action, $m[1] );
	}

	public function test_quantity_edit_refund_with_restock_and_cancel_in_the_order_edit_screen(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		$order   = $this->order( array( array( $product, 3 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->assertSame( 'committed', $this->state( $order ) );
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 5, 3, 0, 2 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'paid' );
		$item_id = (int) key( $this->fresh( $order )->get_items() );

		// The items box: quantity 3 -> 2, saved as its Save button does.
		list( $fields, , $nonce ) = $this->edit_screen( $order );
		$this->assertContains( array( "order_item_qty[$item_id]", '3' ), $fields, 'the line quantity is on the screen' );
		$items  = AdminSession::with( $fields, "order_item_qty[$item_id]", '2' );
		$items  = AdminSession::with( $items, "line_subtotal[$item_id]", '20' );
		$items  = AdminSession::with( $items, "line_total[$item_id]", '20' );
		$answer = $this->admin->post(
			'/wp-admin/admin-ajax.php',
			array(
				'action'   => 'woocommerce_save_order_items',
				'security' => $nonce,
				'order_id' => $order->get_id(),
				'items'    => AdminSession::encode( $items ),
			)
		);
		$this->assertSame( 200, $answer['status'] );
		$this->assertTrue( json_decode( $answer['body'], true )['success'] ?? false, 'save_order_items: ' . substr( $answer['body'], 0, 300 ) );
		$this->assertSame( 2, current( $this->fresh( $order )->get_items() )->get_quantity() );
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 5, 2, 0, 3 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'line edited to 2 in the screen' );
		$this->assertShopAgrees( $product, 'after the quantity edit' );

		// The refund box: one unit back, "Restock refunded items" ticked, refunded manually.
		list( , , $nonce ) = $this->edit_screen( $order );
		$answer            = $this->admin->post(
			'/wp-admin/admin-ajax.php',
			array(
				'action'                 => 'woocommerce_refund_line_items',
				'security'               => $nonce,
				'order_id'               => $order->get_id(),
				'refund_amount'          => '10.00',
				'refunded_amount'        => '0.00',
				'refund_reason'          => 'broken handle',
				'line_item_qtys'         => wp_json_encode( array( $item_id => 1 ) ),
				'line_item_totals'       => wp_json_encode( array( $item_id => 10 ) ),
				'line_item_tax_totals'   => wp_json_encode( array() ),
				'api_refund'             => 'false',
				'restock_refunded_items' => 'true',
			)
		);
		$this->assertTrue( json_decode( $answer['body'], true )['success'] ?? false, 'refund_line_items: ' . substr( $answer['body'], 0, 300 ) );
		$this->assertCount( 1, $this->fresh( $order )->get_refunds() );
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 5, 1, 0, 4 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'the restocked unit is sellable again' );
		$this->assertShopAgrees( $product, 'after the refund with restock' );

		// The order data box: status Cancelled, the whole form posted back with its nonce.
		list( $fields, $action ) = $this->edit_screen( $order );
		$this->assertContains( array( 'order_status', 'wc-processing' ), $fields, 'the status select shows Processing' );
		$form   = AdminSession::with( $fields, 'order_status', 'wc-cancelled' );
		// The HPOS screen's form posts to its own absolute URL, the posts screen's to "post.php".
		$path   = (string) wp_parse_url( $action, PHP_URL_PATH ) . ( wp_parse_url( $action, PHP_URL_QUERY ) ? '?' . wp_parse_url( $action, PHP_URL_QUERY ) : '' );
		$path   = str_starts_with( $path, '/' ) ? $path : "/wp-admin/$path";
		$answer = $this->admin->post( $path, AdminSession::encode( $form ) );
		$this->assertSame( 302, $answer['status'], 'the saved screen redirects back to itself: ' . substr( wp_strip_all_tags( $answer['body'] ), 0, 300 ) );
		$this->assertStringContainsString( 'message=', $answer['headers']['location'] ?? '', 'with the "Order updated" message' );
		$this->assertSame( 'cancelled', $this->fresh( $order )->get_status() );
		$this->assertNotSame( 'committed', $this->state( $order ) );
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 5, 0, 0, 5 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), 'cancelled in the screen: nothing committed' );
		$this->assertShopAgrees( $product, 'after the cancel' );
		$this->assertSame( (string) $this->loc[0], (string) current( $this->fresh( $order )->get_items() )->get_meta( OrderStock::LOCATION ), 'the line keeps its location' );
	}
}
