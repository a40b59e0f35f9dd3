<?php
/**
 * REST omnistock/v1/connections: made, listed, read (health), mapped and deleted by those who manage
 * Omnistock; the secrets go in and never come out, nor sit in the database in clear.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/ConnectorTestCase.php';

final class ConnectorRestTest extends ConnectorTestCase {

	public function test_create_answers_id_and_webhook_url_and_no_secret_comes_back_or_is_stored_in_clear(): void {
		$created = $this->standard( 'https://till.example/api/' );
		$id      = $created['id'];
		$this->assertIsInt( $id );
		$this->assertSame( rest_url( 'omnistock/v1/hooks/' . $id ), $created['webhook_url'] );
		$this->assertSame( array( 'standard', 'Till', 'https://till.example/api', 'active' ), array( $created['provider'], $created['name'], $created['api_base'], $created['status'] ) );

		$list   = $this->rest( 'GET', '/connections' );
		$health = $this->rest( 'GET', "/connections/$id" );
		$this->assertSame( 200, $list->get_status() );
		$this->assertSame( 200, $health->get_status() );
		$this->assertSame( array( $id ), array_column( $list->get_data(), 'id' ) );
		foreach ( array( 'created' => $created, 'list' => $list->get_data(), 'health' => $health->get_data() ) as $what => $answer ) {
			$json = (string) wp_json_encode( $answer );
			$this->assertStringNotContainsString( self::TOKEN, $json, "$what: the credential" );
			$this->assertStringNotContainsString( substr( self::SECRET, 6 ), $json, "$what: the webhook secret" );
			$this->assertStringNotContainsString( 'credentials', $json, $what );
		}
		$tables = new Tables( $GLOBALS['wpdb'] );
		$row    = Plugin::database()->rows( Plugin::database()->prepare( "SELECT * FROM {$tables->connections} WHERE id = %d", $id ) )[0];
		$stored = implode( '|', $row );
		$this->assertStringNotContainsString( self::TOKEN, $stored );
		$this->assertStringNotContainsString( substr( self::SECRET, 6 ), $stored );
		$this->assertStringStartsWith( 'sb1:', $row['secrets'] );
		// What the connection opens is what was given.
		$connection = Plugin::connections()->get( $id );
		$this->assertSame( array( self::TOKEN, self::SECRET ), array( $connection->credential( 'token' ), $connection->webhook_secret ) );
		$this->assertStringNotContainsString( self::TOKEN, print_r( $connection, true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_print_r

		$h = $health->get_data();
		$this->assertSame( array( 0, 0, 0, 0 ), array( $h['outbox_depth'], $h['dead_letters'], $h['lag_ms'], $h['last_webhook_at'] ) );
		$this->assertSame(
			array(
				'new'      => 0,
				'deferred' => 0,
				'unmapped' => 0,
				'invalid'  => 0,
			),
			$h['inbox']
		);
		$this->assertSame( array(), $h['drift'] );
		$this->assertSame( array(), $h['unmapped_items'] );
	}

	public function test_only_those_who_manage_omnistock_may_and_bad_input_names_its_field(): void {
		$id = $this->standard()['id'];
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->rest( 'GET', '/connections' )->get_status() );
		$this->assertSame( 401, $this->rest( 'GET', "/connections/$id" )->get_status() );
		$subscriber = wp_insert_user(
			array(
				'user_login' => 'sub' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => 'subscriber',
			)
		);
		wp_set_current_user( $subscriber );
		$this->assertSame( 403, $this->rest( 'POST', '/connections', array( 'provider' => 'standard' ) )->get_status() );
		$this->assertSame( 403, $this->rest( 'DELETE', "/connections/$id" )->get_status() );
		$this->assertSame( 403, $this->rest( 'PUT', "/connections/$id/items", array( 'A' => 1 ) )->get_status() );
		wp_set_current_user( 1 );

		$base  = array(
			'provider'       => 'standard',
			'name'           => 'Till',
			'api_base'       => 'https://till.example',
			'credentials'    => array( 'token' => 't' ),
			'webhook_secret' => self::SECRET,
		);
		$cases = array(
			'provider'       => array( 'provider' => 'nope' ),
			'api_base'       => array( 'api_base' => 'ftp://till.example' ),
			'webhook_secret' => array( 'webhook_secret' => 'not a standard secret' ),
			'name'           => array( 'name' => '' ),
		);
		foreach ( $cases as $field => $change ) {
			$response = $this->rest( 'POST', '/connections', array_replace( $base, $change ) );
			$this->assertSame( 400, $response->get_status(), $field . ': ' . wp_json_encode( $response->get_data() ) );
			$data = $response->get_data();
			$this->assertTrue( ( $data['data']['field'] ?? null ) === $field || isset( $data['data']['params'][ $field ] ), $field . ': ' . wp_json_encode( $data ) );
		}
		$this->assertCount( 1, $this->rest( 'GET', '/connections' )->get_data(), 'nothing refused was made' );

		$response = $this->rest( 'PUT', "/connections/$id/locations", array( 'L1' => 999999 ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'locations.L1', $response->get_data()['data']['field'] );
		$this->assertSame( 400, $this->rest( 'PUT', "/connections/$id/items", null, '[1,2]' )->get_status() );
		$this->assertSame( 404, $this->rest( 'GET', '/connections/999999' )->get_status() );
		$this->assertSame( 404, $this->rest( 'PUT', '/connections/999999/items', array( 'A' => 1 ) )->get_status() );
	}

	public function test_maps_are_replaced_whole_and_delete_takes_everything_of_the_connection(): void {
		$id      = $this->standard()['id'];
		$product = $this->simple( 5 );
		$answer  = $this->rest(
			'PUT',
			"/connections/$id/locations",
			array(
				'L1' => $this->loc[0],
				'L2' => array(
					'location'         => $this->loc[1],
					'system_of_record' => 'provider',
				),
			)
		);
		$this->assertSame( 200, $answer->get_status(), wp_json_encode( $answer->get_data() ) );
		$this->assertSame( array( 'omnistock', 'provider' ), array_column( (array) $answer->get_data(), 'system_of_record' ) );
		$answer = $this->rest( 'PUT', "/connections/$id/items", array( 'SKU-1' => $product->get_id() ) );
		$this->assertSame( array( 'SKU-1' => $product->get_id() ), (array) $answer->get_data() );
		$this->assertNotNull( Plugin::external_cells()->get( $id, $product->get_id(), $this->loc[0] ), 'a mapped cell has its external row' );
		$this->assertNotNull( Plugin::external_cells()->get( $id, $product->get_id(), $this->loc[1] ) );
		$this->assertSame( 200, $this->rest( 'PUT', "/connections/$id/locations", array( 'L1' => $this->loc[0] ) )->get_status() );
		$this->assertNull( Plugin::external_cells()->get( $id, $product->get_id(), $this->loc[1] ), 'unmapped: its row goes' );
		$health = $this->rest( 'GET', "/connections/$id" )->get_data();
		$this->assertSame( array( 'SKU-1' => $product->get_id() ), $health['items'] );
		$this->assertSame( array( 'L1' ), array_keys( $health['locations'] ) );

		$deleted = $this->rest( 'DELETE', "/connections/$id" );
		$this->assertSame( 200, $deleted->get_status() );
		$this->assertSame( 404, $this->rest( 'GET', "/connections/$id" )->get_status() );
		$this->assertNull( Plugin::external_cells()->get( $id, $product->get_id(), $this->loc[0] ) );
		$this->assertSame( array(), $this->rest( 'GET', '/connections' )->get_data() );
	}

	public function test_a_kept_webhook_kicks_the_sync_of_its_connection_and_a_refused_one_does_not(): void {
		$id     = $this->standard()['id'];
		$kicked = array();
		$record = static function ( $connection ) use ( &$kicked ): void {
			$kicked[] = $connection;
		};
		add_action( 'omnistock_connector_kick', $record );
		$body    = self::counted( 'A', 3, self::ms() );
		$post    = function ( array $headers ) use ( $id, $body ): \WP_REST_Response {
			$request = new \WP_REST_Request( 'POST', "/omnistock/v1/hooks/$id" );
			$request->set_header( 'Content-Type', 'application/json' );
			foreach ( $headers as $name => $value ) {
				$request->set_header( $name, $value );
			}
			$request->set_body( $body );
			return rest_do_request( $request );
		};
		wp_set_current_user( 0 ); // Public: the signature is the proof.
		$signed = \Omnistock\Webhook::sign( 'standard', $body, self::SECRET, array( 'id' => 'msg_kick' ) );
		$forged = array( 'webhook-signature' => 'v1,' . base64_encode( random_bytes( 32 ) ) ) + $signed;
		$this->assertSame( 401, $post( $forged )->get_status() );
		$this->assertSame( array(), $kicked, 'nothing kept, nothing to run' );
		$answer = $post( $signed );
		remove_action( 'omnistock_connector_kick', $record );
		$this->assertSame( array( 200, array( 'status' => 'stored' ) ), array( $answer->get_status(), $answer->get_data() ) );
		$this->assertSame( array( $id ), $kicked );
		$this->assertSame( array( 'msg_kick' => 'new' ), $this->inbox( $id ) );
	}
}
