<?php
/**
 * Omnistock → Connections over real HTTP: a connection added once (its secrets sealed, never shown
 * again), its locations and items mapped; and the SKU matcher behind the screen's suggestions.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Matcher;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

require_once __DIR__ . '/lib/AdminHttpTestCase.php';
require_once __DIR__ . '/lib/FakeProvider.php';

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
	/**
	 * The items form's rows: provider item id => the product id it carries ('' when none).
	 */
	private static function item_rows( string $page ): array {
		list( $fields ) = AdminSession::form( $page, 'omnistock-connection-items' );
		$items          = array();
		$products       = array();
		foreach ( $fields as list( $name, $value ) ) {
			if ( preg_match( '/^(item|product)\[(\d+)\]$/', $name, $m ) ) {
				if ( 'item' === $m[1] ) {
					$items[ (int) $m[2] ] = $value;
				} else {
					$products[ (int) $m[2] ] = $value;
				}
			}
		}
		$rows = array();
		foreach ( $items as $n => $item ) {
			if ( '' !== $item ) {
				$rows[ $item ] = $products[ $n ] ?? '';
			}
		}
		ksort( $rows );
		return $rows;
	}

	/**
	 * Posts a form of the page and follows the redirect; the notice of the page it lands on.
	 */
	private function submit( string $page, string $form ): array {
		list( $fields, $action ) = AdminSession::form( $page, $form );
		$answer                  = $this->admin->post( wp_parse_url( $action, PHP_URL_PATH ), AdminSession::encode( $fields ) );
		$this->assertSame( 302, $answer['status'], $form . ': ' . substr( $answer['body'], 0, 500 ) );
		$location = $answer['headers']['location'] ?? '';
		$this->assertStringContainsString( 'omnistock_notice=', $location );
		$next = $this->admin->page( (string) wp_parse_url( $location, PHP_URL_PATH ) . '?' . (string) wp_parse_url( $location, PHP_URL_QUERY ) );
		$this->assertSame( 1, preg_match( '~<div class="notice (notice-[a-z]+)"><p>(.*?)</p></div>~s', $next, $m ), $form . ': a notice' );
		return array( $m[1], html_entity_decode( $m[2], ENT_QUOTES ), $next );
	}

	public function test_suggest_by_sku_against_the_fake_square_then_its_health_and_sync_and_reconcile_now(): void {
		$square = FakeProvider::start( 'square', FakeProvider::port( 7 ) );
		try {
			$square->config( array( 'token' => 'sq-token', 'secret' => 'sq-signature-key' ) );
			$mug = $this->simple( 0 );
			$mug->set_sku( 'SQ-MUG' );
			$mug->save();
			$tee = $this->simple( 0 );
			$tee->set_sku( 'SQ-TEE' );
			$tee->save();
			Plugin::inventory()->record( array( array( 'id' => 'screen-seed-' . $mug->get_id(), 'kind' => 'count', 'product' => $mug->get_id(), 'location' => $this->loc[1], 'qty' => 5 ) ) );
			// Square's catalogue: a SKU that names one product here, one shared by two variations there, none.
			$square->stock( 'V-MUG', 'L1', 3, 'SQ-MUG', 'Mug' );
			$square->stock( 'V-TEE-S', 'L1', 1, 'SQ-TEE', 'Tee S' );
			$square->stock( 'V-TEE-M', 'L1', 1, 'SQ-TEE', 'Tee M' );
			$square->stock( 'V-GIFT', 'L1', 9, '', 'Gift card' );

			$connection = Plugin::connections()->create( 'square', 'Front register', $square->url(), array( 'access_token' => 'sq-token' ), 'sq-signature-key' );
			$id         = $connection->id;
			Plugin::connections()->set_locations( $id, array( 'L1' => $this->loc[1] ) );

			$page = $this->admin->page( "/wp-admin/admin.php?page=omnistock-connections&connection=$id" );
			$this->assertStringContainsString( 'suggest=1', $page, 'the screen offers the suggestions' );
			$page = $this->admin->page( "/wp-admin/admin.php?page=omnistock-connections&connection=$id&suggest=1" );
			$this->assertStringContainsString( '4 items read from the provider, 1 matched by SKU', $page );
			$this->assertSame(
				array(
					'V-GIFT'  => '',
					'V-MUG'   => (string) $mug->get_id(),
					'V-TEE-M' => '',
					'V-TEE-S' => '',
				),
				self::item_rows( $page ),
				'only the SKU that names one item there and one product here is filled in'
			);
			$this->assertSame( array(), Plugin::connections()->items( $id ), 'a suggestion is not a map until saved' );
			list( $kind, $message ) = $this->submit( $page, 'omnistock-connection-items' );
			$this->assertSame( array( 'notice-success', '1 item mapped.' ), array( $kind, $message ) );
			$this->assertSame( array( 'V-MUG' => $mug->get_id() ), Plugin::connections()->items( $id ) );

			// The register sells a gift card (not mapped): its webhook is kept, and the page lists it.
			$sale = $square->sale( 'V-GIFT', 'L1', 1, Connections::webhook_url( $connection ), 'sq-signature-key' );
			$this->assertSame( 200, $sale['deliveries'][0]['status'], 'the site took the webhook' );
			$page                          = $this->admin->page( "/wp-admin/admin.php?page=omnistock-connections&connection=$id" );
			list( $kind, $message, $page ) = $this->submit( $page, 'omnistock-connection-sync' );
			$this->assertSame( 'notice-success', $kind, $message );
			$this->assertStringStartsWith( 'Synchronised:', $message );
			$this->assertMatchesRegularExpression( '~<tr data-item="V-GIFT"><td><code>V-GIFT</code></td><td><code>L1</code></td><td>1</td></tr>~', $page, 'the unmapped item with its deliveries' );
			foreach ( array( 'last-webhook', 'last-push', 'lag', 'outbox', 'dead', 'inbox' ) as $row ) {
				$this->assertStringContainsString( 'data-health="' . $row . '"', $page );
			}
			$this->assertStringNotContainsString( 'data-health="last-webhook"><th scope="row">Last webhook</th><td>never', $page, 'the webhook is on the page' );

			// Reconcile now: Square shows 3 mugs, we 5 (first sight): the drift is found and our number pushed.
			list( $kind, $message, $page ) = $this->submit( $page, 'omnistock-connection-reconcile' );
			$this->assertSame( array( 'notice-success', 'Reconciled: 1 counts read, 1 with drift, 1 corrected, 0 left alone while a change of ours is on its way.' ), array( $kind, $message ) );
			$this->assertSame( 5, $square->counts()["V-MUG\nL1"]['qty'], 'our 5 reached the register' );
			$drift = Plugin::connection_health()->of( $id )['drift'];
			$this->assertSame( count( $drift ), substr_count( $page, '<tr data-product="' ), 'each drifting cell is listed' );

			// Not without the nonce, nor without the capability.
			$this->assertNotSame( 302, $this->admin->post( '/wp-admin/admin-post.php', 'action=omnistock_connection_reconcile&connection=' . $id )['status'] );
		} finally {
			$square->stop();
		}
	}
}
