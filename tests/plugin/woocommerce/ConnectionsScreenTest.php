<?php
/**
 * Omnistock → Connections over real HTTP: a connection added once (its secrets sealed, never shown
 * again), its locations and items mapped; and the SKU matcher behind the screen's suggestions.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Matcher;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/AdminHttpTestCase.php';

final class ConnectionsScreenTest extends AdminHttpTestCase {

	private const TOKEN  = 'EAAAl-secret-token-7f3a';
	private const SECRET = 'sq-signature-key-19c2';

	public function test_the_owner_adds_a_connection_and_maps_it_and_the_secrets_never_come_back(): void {
		$page = $this->admin->page( '/wp-admin/admin.php?page=omnistock-connections' );
		$this->assertStringContainsString( 'OMNISTOCK_SECRETS_KEY', $page, 'the screen tells the owner how to give the secrets a key of their own' );
		list( $fields, $action ) = AdminSession::form( $page, 'omnistock-connection-add' );
		foreach ( array(
			'provider'     => 'square',
			'name'         => 'Front register',
			'api_base'     => 'http://127.0.0.1:9/',
			'access_token' => self::TOKEN,
			'secret'       => self::SECRET,
		) as $name => $value ) {
			$fields = AdminSession::with( $fields, $name, $value );
		}
		$answer = $this->admin->post( wp_parse_url( $action, PHP_URL_PATH ), AdminSession::encode( $fields ) );
		$this->assertSame( 302, $answer['status'] );

		global $wpdb;
		$tables = new Tables( $wpdb );
		$rows   = $wpdb->get_results( "SELECT * FROM {$tables->connections}", ARRAY_A );
		$this->assertCount( 1, $rows );
		$id = (int) $rows[0]['id'];
		$this->assertSame( array( 'square', 'Front register', 'http://127.0.0.1:9' ), array( $rows[0]['provider'], $rows[0]['name'], $rows[0]['api_base'] ) );
		$this->assertStringStartsWith( 'sb1:', $rows[0]['secrets'] );
		$this->assertStringNotContainsString( self::TOKEN, implode( '|', $rows[0] ), 'the token is not stored in clear' );
		$this->assertStringNotContainsString( self::SECRET, implode( '|', $rows[0] ), 'the webhook secret is not stored in clear' );
		$connection = Plugin::connections()->get( $id );
		$this->assertSame( array( self::TOKEN, self::SECRET ), array( $connection->credential( 'access_token' ), $connection->webhook_secret ), 'they open with the site\'s key' );
		$this->assertStringNotContainsString( self::TOKEN, print_r( $connection, true ), 'print_r of a connection hides the credentials' ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions

		$page = $this->admin->page( "/wp-admin/admin.php?page=omnistock-connections&connection=$id" );
		$list = $this->admin->page( '/wp-admin/admin.php?page=omnistock-connections' );
		foreach ( array( $page, $list ) as $html ) {
			$this->assertStringNotContainsString( self::TOKEN, $html );
			$this->assertStringNotContainsString( self::SECRET, $html );
		}
		$this->assertStringContainsString( 'omnistock/v1/hooks/' . $id, $list, 'the list shows the webhook URL to give the provider' );

		// Locations: the Store is the provider's L-1, and the register is its system of record.
		list( $fields, $action ) = AdminSession::form( $page, 'omnistock-connection-locations' );
		$fields                  = AdminSession::with( $fields, "external[{$this->loc[1]}]", 'L-1' );
		$fields                  = AdminSession::with( $fields, "system[{$this->loc[1]}]", 'provider' );
		$this->assertSame( 302, $this->admin->post( wp_parse_url( $action, PHP_URL_PATH ), AdminSession::encode( $fields ) )['status'] );
		$this->assertSame(
			array(
				'L-1' => array(
					'location'         => $this->loc[1],
					'system_of_record' => 'provider',
				),
			),
			Plugin::connections()->locations( $id )
		);

		// Items: one typed in by hand.
		$product                 = $this->simple( 3 );
		$page                    = $this->admin->page( "/wp-admin/admin.php?page=omnistock-connections&connection=$id" );
		list( $fields, $action ) = AdminSession::form( $page, 'omnistock-connection-items' );
		$fields                  = AdminSession::with( $fields, 'item[0]', 'VAR-9' );
		$fields                  = AdminSession::with( $fields, 'product[0]', (string) $product->get_id() );
		$this->assertSame( 302, $this->admin->post( wp_parse_url( $action, PHP_URL_PATH ), AdminSession::encode( $fields ) )['status'] );
		$this->assertSame( array( 'VAR-9' => $product->get_id() ), Plugin::connections()->items( $id ) );
		$this->assertSame( array( $product->get_id(), $this->loc[1] ), Plugin::connections()->cell( $id, 'VAR-9', 'L-1' ), 'the item at the location is our cell' );
		$this->assertSame( 1, (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$tables->external_cells} WHERE connection_id = %d", $id ) ), 'the mapped cell has its external row' );

		// A form post without the nonce changes nothing.
		$this->assertNotSame( 302, $this->admin->post( '/wp-admin/admin-post.php', 'action=omnistock_connection_delete&connection=' . $id )['status'] );
		$this->assertSame( 1, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$tables->connections}" ) );
	}

	public function test_suggestions_match_only_a_sku_that_names_one_item_there_and_one_product_here(): void {
		$unique = $this->simple( 1 );
		$unique->set_sku( 'MUG-RED' );
		$unique->save();
		$first = $this->simple( 1 );
		$first->set_sku( 'CUP' );
		$first->save();
		// WooCommerce refuses a second product with a SKU in use; an import can still leave two (written past it).
		$second = $this->simple( 1 );
		update_post_meta( $second->get_id(), '_sku', 'CUP' );
		$shared = $this->simple( 1 );
		$shared->set_sku( 'TEE' );
		$shared->save();
		$found = ( new Matcher( Plugin::database() ) )->suggest(
			array(
				array( 'id' => 'A', 'sku' => 'MUG-RED', 'name' => 'Red mug' ),
				array( 'id' => 'B', 'sku' => 'CUP', 'name' => 'Cup' ),
				array( 'id' => 'C', 'sku' => '', 'name' => 'No SKU' ),
				array( 'id' => 'D', 'sku' => 'TEE', 'name' => 'Tee S' ),
				array( 'id' => 'E', 'sku' => 'TEE', 'name' => 'Tee M' ),
				array( 'id' => 'F', 'sku' => 'NOPE', 'name' => 'Unknown' ),
			)
		);
		$this->assertSame(
			array(
				'matches'       => array( 'A' => $unique->get_id() ),
				'no_sku'        => array( 'C' ),
				'duplicate_sku' => array( 'D', 'E' ),
				'unknown_sku'   => array( 'F' ),
				'ambiguous'     => array( 'B' ),
			),
			$found
		);
	}
}
