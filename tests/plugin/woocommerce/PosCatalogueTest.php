<?php
/**
 * POS: the Cashier role and capabilities, the catalogue, live stock and the locations' tax address.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';

use Omnistock\Capabilities;
use Omnistock\Plugin;
use Omnistock\Pos\Catalogue;

final class PosCatalogueTest extends PosTestCase {

	public function test_the_installer_makes_the_cashier_role_and_grants_pos_to_managers(): void {
		\Omnistock\Install\Installer::install();
		$cashier = get_role( 'omnistock_cashier' );
		$this->assertNotNull( $cashier );
		$this->assertTrue( $cashier->has_cap( Capabilities::USE_POS ) );
		$this->assertTrue( $cashier->has_cap( Capabilities::VIEW ) );
		$this->assertTrue( $cashier->has_cap( 'read' ) );
		$this->assertFalse( $cashier->has_cap( Capabilities::POS_DISCOUNT ), 'cashiers give no discounts' );
		$this->assertFalse( $cashier->has_cap( Capabilities::MANAGE ) );
		foreach ( array( 'administrator', 'shop_manager' ) as $role ) {
			$this->assertTrue( get_role( $role )->has_cap( Capabilities::USE_POS ), $role );
			$this->assertTrue( get_role( $role )->has_cap( Capabilities::POS_DISCOUNT ), $role );
		}
		$this->assertFalse( get_role( 'subscriber' )->has_cap( Capabilities::USE_POS ) );
		$this->assertFalse( get_role( 'customer' )->has_cap( Capabilities::USE_POS ) );
	}

	public function test_catalogue_lists_simple_products_and_variations_with_stock_here_and_online(): void {
		$mug = $this->simple( 5 );
		$mug->set_sku( 'MUG-' . $mug->get_id() );
		$mug->update_meta_data( Catalogue::BARCODE, '4006381333931' );
		$mug->save();
		$this->count_at( $mug->get_id(), $this->loc[1], 3 );
		list( $shirt, $small, $medium ) = $this->variable( 2, 0 );
		$medium->set_sku( 'SHIRT-M-' . $medium->get_id() );
		$medium->save();
		$free = new \WC_Product_Simple();
		$free->set_name( 'Gift wrap' );
		$free->set_regular_price( '1.5' );
		$free->save();
		$draft = $this->simple( 1 );
		$draft->set_status( 'draft' );
		$draft->save();

		wp_set_current_user( $this->as_role( 'omnistock_cashier' ) );
		$response = $this->pos(
			'GET',
			'/catalogue',
			null,
			array(
				'location' => $this->loc[1],
				'per_page' => 2000,
			)
		);
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$data  = $response->get_data();
		$items = array_column( $data['items'], null, 'id' );
		$this->assertSame( count( $data['items'] ), $data['total'] );
		$this->assertSame( 1, $data['pages'] );
		$this->assertArrayNotHasKey( $shirt->get_id(), $items, 'no variable parents' );
		$this->assertArrayNotHasKey( $draft->get_id(), $items, 'only published products' );
		$this->assertSame(
			array(
				'id'           => $mug->get_id(),
				'parent'       => 0,
				'name'         => $mug->get_name(),
				'sku'          => 'MUG-' . $mug->get_id(),
				'barcode'      => '4006381333931',
				'price'        => '10.00',
				'tax_class'    => '',
				'stock_here'   => 3,
				'stock_online' => 8,
				'managed'      => true,
				'image'        => null,
			),
			$items[ $mug->get_id() ]
		);
		$this->assertSame( 0, $items[ $small->get_id() ]['stock_here'], 'nothing at the Store' );
		$this->assertSame( 2, $items[ $small->get_id() ]['stock_online'] );
		$this->assertSame( $shirt->get_id(), $items[ $small->get_id() ]['parent'] );
		$this->assertSame( '20.00', $items[ $small->get_id() ]['price'] );
		$this->assertSame( 'SHIRT-M-' . $medium->get_id(), $items[ $medium->get_id() ]['barcode'], 'no barcode: the SKU' );
		$this->assertNull( $items[ $free->get_id() ]['stock_here'], 'unmanaged stock' );
		$this->assertNull( $items[ $free->get_id() ]['stock_online'] );
		$this->assertFalse( $items[ $free->get_id() ]['managed'] );
		$this->assertSame( '1.50', $items[ $free->get_id() ]['price'] );

		// Pages.
		$page = $this->pos(
			'GET',
			'/catalogue',
			null,
			array(
				'location' => $this->loc[1],
				'per_page' => 2,
				'page'     => 2,
			)
		)->get_data();
		$this->assertSame( (int) ceil( $data['total'] / 2 ), $page['pages'] );
		$this->assertSame( array_slice( array_column( $data['items'], 'id' ), 2, 2 ), array_column( $page['items'], 'id' ) );

		// Live stock for the results on screen.
		$stock = $this->pos(
			'GET',
			'/stock',
			null,
			array(
				'location' => $this->loc[1],
				'products' => $mug->get_id() . ',' . $small->get_id() . ',' . $free->get_id(),
			)
		);
		$this->assertSame( 200, $stock->get_status() );
		$this->assertEquals(
			(object) array(
				$mug->get_id()   => array(
					'stock_here'   => 3,
					'stock_online' => 8,
				),
				$small->get_id() => array(
					'stock_here'   => 0,
					'stock_online' => 2,
				),
				$free->get_id()  => array(
					'stock_here'   => null,
					'stock_online' => null,
				),
			),
			$stock->get_data()
		);
	}

	public function test_the_barcode_is_edited_on_the_product_screen(): void {
		global $product_object;
		if ( ! function_exists( 'woocommerce_wp_text_input' ) ) {
			require_once WC_ABSPATH . 'includes/admin/wc-meta-box-functions.php'; // Loaded by WooCommerce in wp-admin only.
		}
		$mug            = $this->simple( 1 );
		$product_object = $mug;
		$mug->update_meta_data( Catalogue::BARCODE, '111' );
		ob_start();
		Catalogue::product_field();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'name="_omnistock_barcode"', $html );
		$this->assertStringContainsString( 'value="111"', $html );
		$_POST[ Catalogue::BARCODE ] = ' 4006 3813 33931 ';
		Catalogue::save_product_field( $mug );
		unset( $_POST[ Catalogue::BARCODE ] );
		$mug->save();
		wp_cache_flush();
		$this->assertSame( '4006381333931', get_post_meta( $mug->get_id(), Catalogue::BARCODE, true ), 'spaces removed' );

		list( , $small )                 = $this->variable( 1, 1 );
		$_POST[ Catalogue::BARCODE ][3] = '987';
		Catalogue::save_variation_field( $small, 3 );
		unset( $_POST[ Catalogue::BARCODE ] );
		$small->save();
		ob_start();
		Catalogue::variation_field( 3, array(), get_post( $small->get_id() ) );
		$this->assertStringContainsString( 'name="_omnistock_barcode[3]"', ob_get_clean() );
		$this->assertSame( '987', get_post_meta( $small->get_id(), Catalogue::BARCODE, true ) );
	}

	public function test_bad_parameters_name_themselves(): void {
		$cases = array(
			array( '/catalogue', array( 'location' => 999999 ), 'location' ),
			array( '/catalogue', array( 'location' => 'x' ), 'location' ),
			array(
				'/catalogue',
				array(
					'location' => $this->loc[1],
					'per_page' => 5000,
				),
				'per_page',
			),
			array(
				'/stock',
				array(
					'location' => $this->loc[1],
					'products' => '1,x',
				),
				'products',
			),
		);
		foreach ( $cases as list( $route, $query, $field ) ) {
			$response = $this->pos( 'GET', $route, null, $query );
			$this->assertSame( 400, $response->get_status(), $route . ' ' . wp_json_encode( $query ) );
			$this->assertArrayHasKey( $field, $response->as_error()->get_error_data()['params'] );
		}
	}

	public function test_locations_carry_a_tax_address_that_falls_back_to_the_shop_base(): void {
		$locations = Plugin::locations();
		$updated   = $locations->update(
			$this->loc[1],
			array(
				'country'  => 'de',
				'postcode' => '10115',
				'city'     => 'Berlin',
			)
		);
		$this->assertSame( array( 'DE', '', '10115', 'Berlin' ), array( $updated['country'], $updated['state'], $updated['postcode'], $updated['city'] ) );
		try {
			$locations->update( $this->loc[1], array( 'country' => 'Germany' ) );
			$this->fail( 'a country name is not a country code' );
		} catch ( \Omnistock\Inventory\InvalidEvent $e ) {
			$this->assertSame( 'country', $e->field );
		}
		$this->assertSame( 'DE', $locations->get( $this->loc[1] )['country'], 'nothing changed' );

		$response = $this->pos( 'GET', '/locations' );
		$this->assertSame( 200, $response->get_status() );
		$store = array_column( $response->get_data(), null, 'id' )[ $this->loc[1] ];
		$this->assertSame( array( 'Store', 'DE', '10115', 'Berlin', true, false ), array( $store['name'], $store['country'], $store['postcode'], $store['city'], $store['ships_online'], $store['offers_pickup'] ) );

		update_option( 'woocommerce_default_country', 'GB' );
		update_option( 'woocommerce_store_postcode', 'SW1A 1AA' );
		update_option( 'woocommerce_store_city', 'London' );
		$this->assertSame(
			array(
				'country'  => 'GB',
				'state'    => '',
				'postcode' => 'SW1A 1AA',
				'city'     => 'London',
			),
			\Omnistock\Pos\Quote::address( $locations->get( $this->loc[0] ) ),
			'no country: the shop base address'
		);
		delete_option( 'woocommerce_store_postcode' );
		delete_option( 'woocommerce_store_city' );

		// Through the REST API of locations too.
		$request = new \WP_REST_Request( 'PUT', '/omnistock/v1/locations/' . $this->loc[2] );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( array( 'country' => 'FR', 'city' => 'Paris' ) ) );
		$answer = rest_do_request( $request );
		$this->assertSame( 200, $answer->get_status() );
		$this->assertSame( array( 'FR', 'Paris' ), array( $answer->get_data()['country'], $answer->get_data()['city'] ) );
	}
}
