<?php
/**
 * A stock number set through WooCommerce (its REST API, the product object's save() that the
 * product screen ends in, admin quick and bulk edit, CSV import) becomes a count at the default location,
 * and WooCommerce's number is rewritten from Omnistock's online sellable.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;

final class StockEditTest extends WcTestCase {

	protected function tearDown(): void {
		wp_set_current_user( 0 );
	}

	private function rest_set_stock( int $id, int $stock ): \WP_REST_Response {
		wp_set_current_user( 1 );
		$request = new \WP_REST_Request( 'PUT', "/wc/v3/products/$id" );
		$request->set_body_params( array( 'stock_quantity' => $stock ) );
		return rest_do_request( $request );
	}

	public function test_stock_set_through_the_products_rest_api_is_a_count(): void {
		$product = $this->simple( 4 );
		$id      = $product->get_id();
		$this->assertSame( 200, $this->rest_set_stock( $id, 9 )->get_status() );
		$this->assertSame( 9, $this->cell( $id, $this->loc[0] )['on_hand'] );
		$rows = Plugin::inventory()->ledger_tail( 1, $id );
		$this->assertSame( 'count', $rows[0]['kind'] );
		$this->assertSame( 'woocommerce', $rows[0]['source'] );
		$this->assertShopAgrees( $product, 'REST stock edit' );
	}

	public function test_the_typed_number_is_the_online_sellable_with_orders_and_other_locations(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		$back_room = Plugin::locations()->create(
			array(
				'name'          => 'Back room',
				'ships_online'  => false,
				'offers_pickup' => false,
			)
		)['id'];
		Plugin::inventory()->reload_location_ids();
		Plugin::inventory()->record( array( array( 'id' => "t:store:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[1], 'qty' => 2, 'at' => 1 ) ) );
		Plugin::inventory()->record( array( array( 'id' => "t:pickup:$id", 'kind' => 'count', 'product' => $id, 'location' => $this->loc[2], 'qty' => 3, 'at' => 1 ) ) );
		Plugin::inventory()->record( array( array( 'id' => "t:back:$id", 'kind' => 'count', 'product' => $id, 'location' => $back_room, 'qty' => 50, 'at' => 1 ) ) );
		$this->assertShopAgrees( $product, 'four locations' );
		$this->assertSame( 10, (int) get_post_meta( $id, '_stock', true ), 'Warehouse 5 + Store 2 + Pickup store 3; a location that neither ships nor offers pickup is not sold online' );

		$order = $this->order( array( array( $product, 2 ) ) );
		$this->checkout( $order );
		$this->fresh( $order )->payment_complete();
		$this->assertSame( 8, (int) get_post_meta( $id, '_stock', true ) );

		$this->assertSame( 200, $this->rest_set_stock( $id, 10 )->get_status() );
		$this->assertSame( 10, Plugin::inventory()->stock( $id )['online'], 'the shop now sells the number typed' );
		$warehouse = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 7, 2 ), array( $warehouse['on_hand'], $warehouse['committed'] ), '10 typed − 2 at the Store − 3 at the Pickup store + 2 committed' );
		$this->assertSame( array( 3, 50 ), array( $this->cell( $id, $this->loc[2] )['on_hand'], $this->cell( $id, $back_room )['on_hand'] ), 'the other locations keep theirs' );
		$this->assertShopAgrees( $product, 'edit with an order and other locations' );
	}

	public function test_a_variation_edited_through_its_object_is_a_count(): void {
		list( $parent, $small ) = $this->variable( 0, 4 );
		$this->assertShopAgrees( $small, 'variation out of stock' );
		$edit = wc_get_product( $small->get_id() );
		$edit->set_stock_quantity( 6 );
		$edit->save();
		$this->assertSame( 6, $this->cell( $small->get_id(), $this->loc[0] )['on_hand'] );
		$this->assertShopAgrees( $small, 'variation edited' );
		$this->assertSame( 'instock', wc_get_product( $parent->get_id() )->get_stock_status() );
	}

	public function test_backorders_allowed_commits_and_shows_the_oversell(): void {
		$product = $this->simple( 1, 'notify' );
		$order   = $this->order( array( array( $product, 3 ) ) );
		$this->assertNull( $this->checkout( $order ) );
		$this->fresh( $order )->payment_complete();
		$this->assertSame( 'processing', $this->fresh( $order )->get_status() );
		$cell = $this->cell( $product->get_id(), $this->loc[0] );
		$this->assertSame( array( 1, 3, -2 ), array( $cell['on_hand'], $cell['committed'], $cell['sellable'] ), 'committed, oversell shown' );
		$this->assertShopAgrees( $product, 'backorder' );
	}
	/**
	 * WooCommerce's admin quick and bulk edit, as its save_post handler runs them on the request.
	 */
	private function admin_edit( int $id, array $request ): void {
		wp_set_current_user( 1 );
		require_once WC_ABSPATH . 'includes/admin/class-wc-admin-post-types.php';
		$saved    = $_REQUEST;
		$_REQUEST = $request + array( 'woocommerce_quick_edit_nonce' => wp_create_nonce( 'woocommerce_quick_edit_nonce' ) );
		try {
			do_action( 'save_post', $id, get_post( $id ), true );
		} finally {
			$_REQUEST = $saved;
		}
	}

	public function test_quick_edit_of_the_stock_is_a_count(): void {
		$product = $this->simple( 4 );
		$id      = $product->get_id();
		$this->admin_edit(
			$id,
			array(
				'woocommerce_quick_edit' => '1',
				'_manage_stock'          => 'yes',
				'_stock'                 => '11',
				'_stock_status'          => 'instock',
				'_backorders'            => 'no',
				'_regular_price'         => '10',
			)
		);
		$this->assertSame( 11, $this->cell( $id, $this->loc[0] )['on_hand'] );
		$rows = Plugin::inventory()->ledger_tail( 1, $id );
		$this->assertSame( array( 'count', 'woocommerce' ), array( $rows[0]['kind'], $rows[0]['source'] ) );
		$this->assertShopAgrees( $product, 'quick edit' );
	}

	public function test_bulk_edit_increase_is_counted_from_the_online_sellable(): void {
		$product = $this->simple( 4 );
		$id      = $product->get_id();
		$this->assertNull( $this->checkout( $this->order( array( array( $product, 1 ) ) ) ) ); // 1 held: the shop shows 3.
		$this->admin_edit(
			$id,
			array(
				'change_stock' => '2', // Increase existing stock by…
				'_stock'       => '5',
			)
		);
		$cell = $this->cell( $id, $this->loc[0] );
		$this->assertSame( array( 9, 1, 8 ), array( $cell['on_hand'], $cell['held'], $cell['sellable'] ), 'the shop showed 3, +5 makes 8 sellable' );
		$this->assertShopAgrees( $product, 'bulk edit' );
	}

	public function test_csv_import_of_the_stock_is_a_count(): void {
		list( $parent, $small, $medium ) = $this->variable( 2, 3 );
		$simple                          = $this->simple( 1 );
		include_once WC_ABSPATH . 'includes/import/class-wc-product-csv-importer.php';
		$base = tempnam( sys_get_temp_dir(), 'omnistock-import' );
		$file = $base . '.csv'; // The importer reads .csv files.
		file_put_contents( $file, "ID,Stock\n{$simple->get_id()},6\n{$medium->get_id()},7\n" );
		wp_set_current_user( 1 );
		$importer = new \WC_Product_CSV_Importer(
			$file,
			array(
				'update_existing' => true,
				'mapping'         => array(
					'ID'    => 'id',
					'Stock' => 'stock_quantity',
				),
				'parse'           => true,
			)
		);
		$result = $importer->import();
		unlink( $file );
		unlink( $base );
		$this->assertCount( 2, $result['updated'], 'import: ' . wp_json_encode( $result ) );
		$this->assertSame( 6, $this->cell( $simple->get_id(), $this->loc[0] )['on_hand'] );
		$this->assertSame( 7, $this->cell( $medium->get_id(), $this->loc[0] )['on_hand'] );
		$this->assertSame( 2, $this->cell( $small->get_id(), $this->loc[0] )['on_hand'], 'a product not in the file is untouched' );
		$this->assertShopAgrees( $simple, 'CSV import, simple' );
		$this->assertShopAgrees( $medium, 'CSV import, variation' );
	}

	/**
	 * An adjust of $qty at the Warehouse, as any channel records it (its write-back follows).
	 */
	private function adjust( int $product, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:' . wp_generate_uuid4(),
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $this->loc[0],
					'qty'      => $qty,
					'at'       => \Omnistock\Inventory\Database::now_ms(),
				),
			)
		);
	}

	public function test_a_write_back_overtaken_by_a_newer_one_is_corrected(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		// Process A reads the sellable (4) and starts saving it; meanwhile process B changes the
		// stock (3) and writes its number back completely; then A's save lands, older than B's.
		$overtaken = false;
		$other     = function ( $saving ) use ( $id, &$overtaken ): void {
			if ( ! $overtaken && $saving->get_id() === $id ) {
				$overtaken = true;
				$this->adjust( $id, -1 );
			}
		};
		add_action( 'woocommerce_before_product_object_save', $other );
		try {
			$this->adjust( $id, -1 );
		} finally {
			remove_action( 'woocommerce_before_product_object_save', $other );
		}
		$this->assertTrue( $overtaken, 'the other write-back ran inside the first one\'s save' );
		$this->assertSame( 3, Plugin::inventory()->stock( $id )['online'] );
		$this->assertShopAgrees( $product, 'after an overtaken write-back' );
	}

	public function test_a_number_another_process_wrote_is_not_trusted_from_the_cache(): void {
		global $wpdb;
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		wc_get_product( $id )->get_stock_quantity(); // This process has the number cached.
		$wpdb->update( $wpdb->postmeta, array( 'meta_value' => '9' ), array( 'post_id' => $id, 'meta_key' => '_stock' ) ); // phpcs:ignore WordPress.DB.SlowDBQuery -- the test writes as another process would.
		do_action( 'omnistock_products_changed', array( $id ) );
		$this->assertShopAgrees( $product, 'after a stale number stored behind the cache' );
	}
}
