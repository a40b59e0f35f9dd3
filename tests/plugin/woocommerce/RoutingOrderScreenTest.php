<?php
/**
 * The order screen's "Ships from" box over real HTTP (the HPOS screen when HPOS is on, the posts
 * screen when off): it lists each line's location; choosing another location for a line and
 * updating the order moves the line's commitment; moving the whole order to a location that lacks
 * a unit shows WooCommerce's meta box error and moves nothing.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Automattic\WooCommerce\Utilities\OrderUtil;
use Omnistock\Inventory\Database;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

require_once __DIR__ . '/lib/AdminHttpTestCase.php';

final class RoutingOrderScreenTest extends AdminHttpTestCase {

	/**
	 * A product with these units per location.
	 *
	 * @param array<int, int> $at Location => units.
	 */
	private function stocked( array $at ): \WC_Product_Simple {
		$product = $this->simple( 0 );
		foreach ( $at as $location => $qty ) {
			Plugin::inventory()->record(
				array(
					array(
						'id'       => 'test:count:' . wp_generate_uuid4(),
						'kind'     => 'count',
						'product'  => $product->get_id(),
						'location' => $location,
						'qty'      => $qty,
						'at'       => Database::now_ms() - 60000,
					),
				)
			);
		}
		return $product;
	}

	/**
	 * The order's edit screen: its HTML, its form's fields and the path the form posts to.
	 *
	 * @return array{0: string, 1: list<array{0:string,1:string}>, 2: string}
	 */
	private function screen( \WC_Order $order ): array {
		$url  = OrderUtil::get_order_admin_edit_url( $order->get_id() );
		$html = $this->admin->page( html_entity_decode( (string) wp_parse_url( $url, PHP_URL_PATH ) . '?' . (string) wp_parse_url( $url, PHP_URL_QUERY ) ) );
		list( $fields, $action ) = AdminSession::form( $html, OrderUtil::custom_orders_table_usage_is_enabled() ? 'order' : 'post' );
		// libxml ends the order form at the first </form> inside WooCommerce's <script type="text/template">
		// modals (the items box); a browser reads those as text, and the boxes after them stay in the
		// form. This box's fields are added as a browser would submit them: its selects, "keep" chosen.
		$this->assertSame( 1, preg_match( '#<div id="omnistock-route".*?</table>(.*?</select>)?#s', $html, $box ), 'the box is on the screen' );
		preg_match_all( '#<(?:input type="hidden" id="omnistock_route_order" name="(omnistock_route_order)" value="([0-9a-f]+)"|select name="(omnistock_route[^"]*)")#', $html, $found, PREG_SET_ORDER );
		foreach ( $found as $m ) {
			$fields[] = '' !== $m[1] ? array( $m[1], $m[2] ) : array( html_entity_decode( $m[3] ), '' );
		}
		$path = (string) wp_parse_url( $action, PHP_URL_PATH ) . ( wp_parse_url( $action, PHP_URL_QUERY ) ? '?' . wp_parse_url( $action, PHP_URL_QUERY ) : '' );
		return array( $html, $fields, str_starts_with( $path, '/' ) ? $path : "/wp-admin/$path" );
	}

	/**
	 * The order screen saved: it redirects back to itself (WooCommerce 10, and the posts screen), or,
	 * on WooCommerce 7.7's HPOS screen, answers the screen again with "Order updated.".
	 *
	 * @param array $answer AdminSession::post()'s answer.
	 */
	private function assertSaved( array $answer ): void {
		$text = (string) preg_replace( '/\s+/', ' ', wp_strip_all_tags( (string) preg_replace( '#<(script|style)[^>]*>.*?</\1>#s', '', $answer['body'] ) ) );
		if ( 200 === $answer['status'] && version_compare( WC()->version, '8.0', '<' ) && OrderUtil::custom_orders_table_usage_is_enabled() ) {
			$this->assertStringContainsString( 'Order updated.', $text, 'WooCommerce 7.7\'s HPOS screen saved and shows itself again' );
			return;
		}
		$this->assertSame( 302, $answer['status'], substr( $text, 0, 3000 ) );
	}

	/**
	 * [held, committed] of a product at a location.
	 */
	private function units( int $product, int $location ): array {
		$cell = $this->cell( $product, $location );
		return array( $cell['held'], $cell['committed'] );
	}

	public function test_the_box_lists_the_route_and_re_routes_a_line_or_refuses_the_whole_order(): void {
		$mug   = $this->stocked( array( $this->loc[0] => 5, $this->loc[1] => 5 ) );
		$plate = $this->stocked( array( $this->loc[0] => 5 ) );
		$order = $this->order( array( array( $mug, 2 ), array( $plate, 1 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		list( $mug_item, $plate_item ) = array_keys( OrderStock::lines( $this->fresh( $order ) ) );

		list( $html, $fields, $path ) = $this->screen( $order );
		$this->assertStringContainsString( 'Ships from (Omnistock)', $html, 'the box is on the order screen' );
		$this->assertMatchesRegularExpression( '#<tr data-item="' . $mug_item . '">.*?<td class="omnistock-route-from">Warehouse</td>#s', $html, 'the mug ships from the Warehouse' );
		$this->assertContains( array( "omnistock_route[$mug_item]", '' ), $fields, 'a line\'s select, "keep" chosen' );

		// The mug to the Store, saved with the order's Update button.
		$answer = $this->admin->post( $path, AdminSession::encode( AdminSession::with( $fields, "omnistock_route[$mug_item]", (string) $this->loc[1] ) ) );
		$this->assertSaved( $answer );
		$this->assertSame( array( 0, 0 ), $this->units( $mug->get_id(), $this->loc[0] ), 'the mug\'s commitment left the Warehouse' );
		$this->assertSame( array( 0, 2 ), $this->units( $mug->get_id(), $this->loc[1] ), 'and is at the Store' );
		$this->assertSame( array( 0, 1 ), $this->units( $plate->get_id(), $this->loc[0] ), 'the plate stays' );
		$this->assertSame( 'processing', $this->fresh( $order )->get_status(), 'the rest of the form saved as it was' );
		list( $html, $fields ) = $this->screen( $order );
		$this->assertMatchesRegularExpression( '#<tr data-item="' . $mug_item . '">.*?<td class="omnistock-route-from">Store</td>#s', $html, 'the box shows the new location' );

		// The whole order to the Store, which has no plate: refused, nothing moved.
		$answer = $this->admin->post( $path, AdminSession::encode( AdminSession::with( $fields, 'omnistock_route_all', (string) $this->loc[1] ) ) );
		$this->assertSaved( $answer );
		$this->assertSame( array( 0, 1 ), $this->units( $plate->get_id(), $this->loc[0] ), 'the plate did not move' );
		$this->assertSame( array( 0, 2 ), $this->units( $mug->get_id(), $this->loc[1] ), 'nor the mug' );
		$this->assertSame( (string) $this->loc[0], (string) $this->fresh( $order )->get_item( $plate_item )->get_meta( OrderStock::LOCATION ) );
		list( $html ) = $this->screen( $order );
		$this->assertStringContainsString( 'Omnistock: the order was not re-routed: Store cannot supply this', html_entity_decode( $html ), 'WooCommerce shows the box\'s error' );
	}
}
