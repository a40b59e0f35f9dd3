<?php
/**
 * The Store API's product carries extensions.omnistock.pickup; the product page, requested over
 * HTTP, says per pickup store whether it is in stock there.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Plugin;

require_once __DIR__ . '/lib/StoreApiClient.php';

final class ProductAvailabilityHttpTest extends WcTestCase {

	public function test_store_api_and_product_page_show_the_pickup_store(): void {
		$mug = $this->simple( 1 ); // One at the Warehouse beside the store's 2 (a product only at the store: PickupOnlyStockTest).
		$mug->set_status( 'publish' );
		$mug->save();
		Plugin::inventory()->record( array( array( 'id' => 't:pickup:' . $mug->get_id(), 'kind' => 'count', 'product' => $mug->get_id(), 'location' => $this->loc[2], 'qty' => 2, 'at' => 1 ) ) );

		wp_set_current_user( 0 );
		$answer = rest_do_request( new \WP_REST_Request( 'GET', '/wc/store/v1/products/' . $mug->get_id() ) );
		$this->assertSame( 200, $answer->get_status() );
		$data   = json_decode( wp_json_encode( $answer->get_data() ), true );
		$pickup = $data['extensions']['omnistock']['pickup'] ?? null;
		$this->assertIsArray( $pickup, wp_json_encode( $data['extensions'] ?? null ) );
		$this->assertSame( array( $this->loc[2] ), array_column( $pickup, 'location' ) );
		$this->assertSame( 2, $pickup[0]['sellable'] );

		$port   = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$client = new StoreApiClient( $port, 2 );
		try {
			$page = (string) file_get_contents( "http://127.0.0.1:$port/?p=" . $mug->get_id() );
		} finally {
			$client->stop();
		}
		$this->assertStringContainsString( 'Only 2 left at Pickup store — pick up today', html_entity_decode( $page ), 'the product page names the pickup store' );
	}
}
