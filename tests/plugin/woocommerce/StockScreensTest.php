<?php
/**
 * WooCommerce's own stock screens, as the shop manager gets them over real HTTP, show Omnistock's
 * online sellable after Omnistock events and a paid order: the Products list's Stock column, the
 * product edit screen's Inventory panel, Analytics > Stock (wc-analytics/reports/stock, and the
 * product lookup table its filters and sorting read).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/AdminHttpTestCase.php';

/**
 * The same screens on WooCommerce 7.7 and 10.2 (it passes on both stacks, so it is not in @group current-stack).
 */
final class StockScreensTest extends AdminHttpTestCase {

	/**
	 * What each screen shows as the product's stock.
	 *
	 * @return array{list: string, edit: string, analytics: mixed, lookup: mixed}
	 */
	private function screens( int $id, string $nonce ): array {
		$html = $this->admin->page( '/wp-admin/edit.php?post_type=product&post_status=all' );
		$this->assertMatchesRegularExpression( '/<tr id="post-' . $id . '"/', $html, 'the product is in the Products list' );
		preg_match( '/<tr id="post-' . $id . '".*?<\/tr>/s', $html, $row );
		preg_match( '/<td class=["\']is_in_stock column-is_in_stock["\'][^>]*>(.*?)<\/td>/s', $row[0], $cell );
		$list = trim( preg_replace( '/\s+/', ' ', wp_strip_all_tags( $cell[1] ?? 'no Stock column' ) ) );

		list( $fields ) = AdminSession::form( $this->admin->page( "/wp-admin/post.php?post=$id&action=edit" ), 'post' );
		$edit           = 'no _stock field';
		foreach ( $fields as $field ) {
			if ( '_stock' === $field[0] ) {
				$edit = $field[1];
			}
		}

		$report = $this->admin->rest( "/wc-analytics/reports/stock&include=$id&type=all", $nonce );
		$this->assertSame( 200, $report['status'], 'Analytics > Stock: ' . wp_json_encode( $report['body'] ) );
		$this->assertCount( 1, $report['body'], 'Analytics > Stock lists the product' );

		global $wpdb;
		wp_cache_flush();
		return array(
			'list'      => $list,
			'edit'      => $edit,
			'analytics' => array( (int) $report['body'][0]['stock_quantity'], $report['body'][0]['stock_status'] ),
			'lookup'    => $wpdb->get_var( $wpdb->prepare( "SELECT stock_quantity FROM {$wpdb->prefix}wc_product_meta_lookup WHERE product_id = %d", $id ) ),
		);
	}

	public function test_stock_screens_show_the_online_sellable_after_omnistock_events_and_an_order(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		$nonce   = $this->admin->rest_nonce();

		// Omnistock events: the Store (ships online) counts 2, the Pickup store (offers pickup, does not ship) 50.
		Plugin::inventory()->record(
			array(
				array( 'id' => "t:store:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[1], 'qty' => 2, 'at' => 1 ),
				array( 'id' => "t:pickup:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[2], 'qty' => 50, 'at' => 1 ),
			)
		);
		$this->assertShopAgrees( $product, 'after the counts' );
		$this->assertSame(
			array(
				'list'      => 'In stock (57)',
				'edit'      => '57',
				'analytics' => array( 57, 'instock' ),
				'lookup'    => '57',
			),
			$this->screens( $id, $nonce ),
			'Warehouse 5 + Store 2 + the Pickup store\'s 50, which online shoppers can pick up'
		);

		// A paid order of 3: committed at the Warehouse.
		$order = $this->order( array( array( $product, 3 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->assertShopAgrees( $product, 'after the order' );
		$this->assertSame( 54, Plugin::inventory()->stock( $id )['online'] );
		$this->assertSame(
			array(
				'list'      => 'In stock (54)',
				'edit'      => '54',
				'analytics' => array( 54, 'instock' ),
				'lookup'    => '54',
			),
			$this->screens( $id, $nonce ),
			'57 less the 3 committed'
		);

		// The Store sells its 2, the Pickup store its 50, and the Warehouse's 2 left are damaged:
		// nothing sellable online.
		Plugin::inventory()->record(
			array(
				array( 'id' => "t:store-sold:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[1], 'qty' => 0, 'at' => Database::now_ms() ),
				array( 'id' => "t:pickup-sold:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[2], 'qty' => 0, 'at' => Database::now_ms() ),
				array( 'id' => "t:warehouse:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[0], 'qty' => 3, 'at' => Database::now_ms() ),
			)
		);
		$this->assertShopAgrees( $product, 'after the recount' );
		$this->assertSame( 0, Plugin::inventory()->stock( $id )['online'] );
		$this->assertSame(
			array(
				'list'      => 'Out of stock (0)',
				'edit'      => '0',
				'analytics' => array( 0, 'outofstock' ),
				'lookup'    => '0',
			),
			$this->screens( $id, $nonce ),
			'the 3 on hand at the Warehouse are the order\'s'
		);
	}
}
