<?php
/**
 * The admin screens over real HTTP (PHP's built-in web server in front of the test WordPress):
 * they load for an administrator and refuse others; their forms need a nonce.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

final class AdminTest extends TestCase {

	/** @var resource|null */
	private static $server = null;
	private static int $port = 0;

	public static function setUpBeforeClass(): void {
		$probe      = stream_socket_server( 'tcp://127.0.0.1:0' );
		self::$port = (int) substr( strrchr( stream_socket_get_name( $probe, false ), ':' ), 1 );
		fclose( $probe );
		$cmd          = array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), '-S', '127.0.0.1:' . self::$port, '-t', getenv( 'OMNISTOCK_WP_DIR' ) );
		self::$server = proc_open( $cmd, array( 1 => array( 'file', '/dev/null', 'w' ), 2 => array( 'file', '/dev/null', 'w' ) ), $pipes );
		for ( $i = 0; $i < 100; $i++ ) {
			$socket = @fsockopen( '127.0.0.1', self::$port );
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( 'the built-in web server did not start' );
	}

	public static function tearDownAfterClass(): void {
		if ( self::$server ) {
			proc_terminate( self::$server );
			proc_close( self::$server );
			self::$server = null;
		}
	}

	/**
	 * Cookies of a logged-in session of $user_id.
	 */
	private static function cookies( int $user_id ): string {
		$expires = time() + 3600;
		$token   = \WP_Session_Tokens::get_instance( $user_id )->create( $expires );
		return AUTH_COOKIE . '=' . rawurlencode( wp_generate_auth_cookie( $user_id, $expires, 'auth', $token ) ) . '; '
			. LOGGED_IN_COOKIE . '=' . rawurlencode( wp_generate_auth_cookie( $user_id, $expires, 'logged_in', $token ) );
	}

	/**
	 * An HTTP request; returns [status, body, headers].
	 *
	 * @return array{0:int, 1:string, 2:list<string>}
	 */
	private static function http( string $method, string $path, string $cookies = '', array $form = array(), array $extra_headers = array() ): array {
		$headers = array_merge( array( 'Host: 127.0.0.1' ), $extra_headers );
		if ( '' !== $cookies ) {
			$headers[] = 'Cookie: ' . $cookies;
		}
		$content = '';
		if ( $form ) {
			$content   = http_build_query( $form );
			$headers[] = 'Content-Type: application/x-www-form-urlencoded';
			$headers[] = 'Referer: http://127.0.0.1/wp-admin/admin.php?page=omnistock-stock';
		}
		$context = stream_context_create(
			array(
				'http' => array(
					'method'          => $method,
					'header'          => implode( "\r\n", $headers ),
					'content'         => $content,
					'ignore_errors'   => true,
					'follow_location' => 0,
					'timeout'         => 30,
				),
			)
		);
		$body = (string) file_get_contents( 'http://127.0.0.1:' . self::$port . $path, false, $context );
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- $http_response_header is how streams report headers.
		$response_headers = $http_response_header ?? array();
		preg_match( '/^HTTP\/\S+ (\d+)/', $response_headers[0] ?? '', $m );
		return array( (int) ( $m[1] ?? 0 ), $body, $response_headers );
	}

	/**
	 * The notice the screen a redirect leads to shows (once): its text, or "class:text" when asked.
	 */
	private function notice_after( array $headers, string $cookies, bool $with_class = false ): string {
		$location = preg_grep( '/^Location: /i', $headers );
		$this->assertCount( 1, $location );
		$url = trim( substr( (string) current( $location ), strlen( 'Location: ' ) ) );
		$this->assertMatchesRegularExpression( '/omnistock_notice=[A-Za-z0-9]{12}/', $url );
		$path     = (string) wp_parse_url( $url, PHP_URL_PATH ) . '?' . wp_parse_url( $url, PHP_URL_QUERY );
		[, $body] = self::http( 'GET', $path, $cookies );
		$this->assertSame( 1, preg_match( '/<div class="notice (notice-\w+)"><p>([^<]*)<\/p><\/div>/', $body, $m ), 'one notice on the screen' );
		[, $again] = self::http( 'GET', $path, $cookies );
		$this->assertStringNotContainsString( '<div class="notice ' . $m[1] . '"><p>' . $m[2], $again, 'shown once' );
		return ( $with_class ? $m[1] . ':' : '' ) . html_entity_decode( $m[2] );
	}

	private function user( string $role ): int {
		$id = wp_insert_user(
			array(
				'user_login' => $role . '-' . uniqid(),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$this->assertIsInt( $id );
		return $id;
	}

	public function test_the_screens_load_for_an_administrator(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$this->inventory->record( array( self::ev( 'admin-seen', 'count', $p, $a, 6, 1000 ) ) );
		$admin = self::cookies( 1 );

		[$status, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-stock', $admin );
		$this->assertSame( 200, $status );
		$this->assertStringContainsString( 'omnistock-stock', $body );
		$this->assertStringContainsString( "#$p", $body );
		$this->assertStringContainsString( 'Store A', $body );
		$this->assertMatchesRegularExpression( '/name="_wpnonce" value="[0-9a-f]{10}"/', $body );

		[$status, $body] = self::http( 'GET', "/wp-admin/admin.php?page=omnistock-stock&product=$p&location=$a", $admin );
		$this->assertSame( 200, $status );
		$this->assertStringContainsString( 'omnistock-ledger', $body );
		$this->assertStringContainsString( 'admin-seen', $body, 'the ledger of a cell shows its events' );

		[$status, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-locations', $admin );
		$this->assertSame( 200, $status );
		$this->assertStringContainsString( 'Warehouse', $body );
		$this->assertStringContainsString( 'name="offers_curbside"', $body );
	}

	public function test_the_screens_refuse_a_subscriber_and_an_anonymous_visitor(): void {
		$subscriber = self::cookies( $this->user( 'subscriber' ) );
		foreach ( array( 'omnistock-stock', 'omnistock-locations' ) as $page ) {
			[$status, $body] = self::http( 'GET', "/wp-admin/admin.php?page=$page", $subscriber );
			$this->assertSame( 403, $status, $page );
			$this->assertStringNotContainsString( 'Store A', $body );
			[$status, , $headers] = self::http( 'GET', "/wp-admin/admin.php?page=$page" );
			$this->assertSame( 302, $status, 'anonymous visitors are sent to the login' );
			$this->assertNotEmpty( preg_grep( '/^Location: .*wp-login\.php/i', $headers ) );
		}
	}

	public function test_a_count_from_the_stock_screen_needs_the_nonce_and_goes_through_the_ledger(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$admin = self::cookies( 1 );
		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-stock', $admin );
		preg_match( '/<form[^>]*class="omnistock-event".*?name="_wpnonce" value="([0-9a-f]+)".*?name="event_id" value="([^"]+)"/s', $body, $m );
		$this->assertCount( 3, $m, 'the form has a nonce and an event id' );
		$form = array(
			'action'   => 'omnistock_stock_event',
			'kind'     => 'count',
			'product'  => $p,
			'location' => $a,
			'qty'      => 9,
			'reason'   => 'shelf count',
			'event_id' => $m[2],
		);

		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form + array( '_wpnonce' => 'forged0000' ) );
		$this->assertSame( 403, $status, 'a wrong nonce is refused' );
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', self::cookies( $this->user( 'subscriber' ) ), $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 403, $status, 'a subscriber is refused' );
		$this->assertSame( 0, $this->ledger_rows() );

		[$status, , $headers] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 302, $status );
		$this->assertSame( 'Recorded.', $this->notice_after( $headers, $admin ), 'the screen says what happened' );
		$this->assertSame( array( 9, 0 ), $this->level( $p, $a ) );
		$row = $this->inventory->ledger_tail( 1 )[0];
		$this->assertSame( array( 'admin', 'admin', 'shelf count', $m[2] ), array( $row['source'], $row['actor'], $row['reason'], $row['event_id'] ) );

		[$status, , $headers] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, array( 'qty' => 'x' ) + $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 302, $status );
		$this->assertStringStartsWith( 'notice-error:', $this->notice_after( $headers, $admin, true ), 'a bad quantity comes back as an error' );
		// The URL carries a token, not the text: a crafted link makes the screen say nothing.
		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-stock&omnistock_message=Call+us&omnistock_notice=forged', $admin );
		$this->assertStringNotContainsString( 'Call us', $body );
		$this->assertDoesNotMatchRegularExpression( '/class="notice notice-(success|error)"/', $body );
		$this->assertSame( 1, $this->ledger_rows() );
	}

	public function test_the_location_form_saves_the_transfer_fields_with_its_nonce(): void {
		$admin    = self::cookies( 1 );
		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-locations', $admin );
		$this->assertMatchesRegularExpression( '/name="transfer_days" value="2"/', $body, 'a new location gets a transfer in 2 days' );
		preg_match( '/<form[^>]*>\s*<input type="hidden" id="_wpnonce" name="_wpnonce" value="([0-9a-f]+)"[^>]*>.*?name="action" value="omnistock_location_save"/s', $body, $m );
		$this->assertCount( 2, $m, 'the location form has a nonce' );
		$form = array(
			'action'            => 'omnistock_location_save',
			'name'              => 'Store Süd',
			'offers_pickup'     => '1',
			'accepts_transfers' => '1',
			'transfer_days'     => '5',
		);
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form + array( '_wpnonce' => 'forged0000' ) );
		$this->assertSame( 403, $status, 'a wrong nonce is refused' );
		$this->assertNotContains( 'Store Süd', array_column( $this->locations->all(), 'name' ) );
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 302, $status );
		$saved = array_column( $this->locations->all(), null, 'name' )['Store Süd'];
		$this->assertSame( array( true, true, 5 ), array( $saved['offers_pickup'], $saved['accepts_transfers'], $saved['transfer_days'] ) );
		[$status, , $headers] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, array( 'id' => $saved['id'], 'transfer_days' => '0' ) + $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 302, $status );
		$this->assertStringContainsString( 'transfer_days', $this->notice_after( $headers, $admin ), 'the error names the field' );
		$this->assertSame( 5, $this->locations->get( $saved['id'] )['transfer_days'], 'refused: unchanged' );
	}

	public function test_the_location_form_saves_the_routing_fields_and_the_settings_the_splits(): void {
		$admin    = self::cookies( 1 );
		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-locations', $admin );
		$this->assertMatchesRegularExpression( '/name="latitude" inputmode="decimal" value=""/', $body, 'a new location has no coordinates' );
		preg_match( '/<form[^>]*>\s*<input type="hidden" id="_wpnonce" name="_wpnonce" value="([0-9a-f]+)"[^>]*>.*?name="action" value="omnistock_location_save"/s', $body, $m );
		$form = array(
			'action'               => 'omnistock_location_save',
			'name'                 => 'Store Nord',
			'ships_online'         => '1',
			'latitude'             => '53.5511',
			'longitude'            => '9.9937',
			'shipping_zones_shown' => '1',
			'shipping_zones'       => '2, 5',
			'_wpnonce'             => $m[1],
		);
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form );
		$this->assertSame( 302, $status );
		$saved = array_column( $this->locations->all(), null, 'name' )['Store Nord'];
		$this->assertSame( array( 53.5511, 9.9937, array( 2, 5 ) ), array( $saved['latitude'], $saved['longitude'], $saved['shipping_zones'] ) );
		[, , $headers] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, array( 'id' => (string) $saved['id'], 'latitude' => '123' ) + $form );
		$this->assertStringContainsString( 'latitude', $this->notice_after( $headers, $admin ), 'the error names the field' );
		$this->assertSame( 53.5511, $this->locations->get( $saved['id'] )['latitude'], 'refused: unchanged' );

		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-locations', $admin );
		$this->assertStringContainsString( 'name="allow_splits" value="yes" >', $body, 'splits off by default' );
		preg_match( '/<form[^>]*class="omnistock-settings".*?name="_wpnonce" value="([0-9a-f]+)"/s', $body, $n );
		try {
			[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, array( 'action' => 'omnistock_settings_save', 'allow_splits' => 'yes', '_wpnonce' => $n[1] ) );
			$this->assertSame( 302, $status );
			wp_cache_flush();
			$this->assertSame( 'yes', get_option( \Omnistock\Inventory\Router::SPLITS_OPTION ) );
			self::http( 'POST', '/wp-admin/admin-post.php', $admin, array( 'action' => 'omnistock_settings_save', '_wpnonce' => $n[1] ) );
			wp_cache_flush();
			$this->assertSame( 'no', get_option( \Omnistock\Inventory\Router::SPLITS_OPTION ), 'unticked: off' );
		} finally {
			delete_option( \Omnistock\Inventory\Router::SPLITS_OPTION );
		}
	}

	public function test_the_settings_choose_the_holds_backend_the_pos_sale_window_and_the_uninstall_behaviour(): void {
		$admin    = self::cookies( 1 );
		[, $body] = self::http( 'GET', '/wp-admin/admin.php?page=omnistock-locations', $admin );
		preg_match( '/<form[^>]*class="omnistock-settings".*?name="_wpnonce" value="([0-9a-f]+)"/s', $body, $m );
		$this->assertCount( 2, $m, 'the settings form has a nonce' );
		$form = array(
			'action'        => 'omnistock_settings_save',
			'holds_backend'   => 'database',
			'erase_data'      => 'yes',
			'pos_sale_window' => '24',
		);
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', self::cookies( $this->user( 'subscriber' ) ), $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 403, $status );
		[$status] = self::http( 'POST', '/wp-admin/admin-post.php', $admin, $form + array( '_wpnonce' => $m[1] ) );
		$this->assertSame( 302, $status );
		wp_cache_flush();
		try {
			$this->assertSame( 'database', get_option( 'omnistock_holds_backend' ) );
			$this->assertSame( 'yes', get_option( 'omnistock_erase_data_on_uninstall' ) );
			$this->assertSame( 24, (int) get_option( 'omnistock_pos_sale_window_hours' ) );
		} finally {
			delete_option( 'omnistock_holds_backend' );
			delete_option( 'omnistock_erase_data_on_uninstall' );
			delete_option( 'omnistock_pos_sale_window_hours' );
		}
	}

	public function test_the_rest_api_over_http_needs_a_login_and_a_rest_nonce(): void {
		[$status, $body] = self::http( 'GET', '/?rest_route=/omnistock/v1/locations' );
		$this->assertSame( 401, $status, $body );
		// A logged-in cookie without X-WP-Nonce counts as anonymous in the REST API (CSRF protection).
		$admin    = self::cookies( 1 );
		[$status] = self::http( 'GET', '/?rest_route=/omnistock/v1/locations', $admin );
		$this->assertSame( 401, $status );
		// With the nonce that @wordpress/api-fetch sends, the same request is answered.
		preg_match( '/' . LOGGED_IN_COOKIE . '=([^;]+)/', $admin, $m );
		$_COOKIE[ LOGGED_IN_COOKIE ] = rawurldecode( $m[1] );
		wp_set_current_user( 1 );
		$nonce = wp_create_nonce( 'wp_rest' );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		[$status, $body] = self::http( 'GET', '/?rest_route=/omnistock/v1/locations', $admin, array(), array( 'X-WP-Nonce: ' . $nonce ) );
		$this->assertSame( 200, $status, $body );
		$this->assertContains( $this->loc[0], array_column( json_decode( $body, true ), 'id' ) );
		// A subscriber with a valid nonce is still refused.
		$sub_id = $this->user( 'subscriber' );
		$sub    = self::cookies( $sub_id );
		preg_match( '/' . LOGGED_IN_COOKIE . '=([^;]+)/', $sub, $m );
		$_COOKIE[ LOGGED_IN_COOKIE ] = rawurldecode( $m[1] );
		wp_set_current_user( $sub_id );
		$nonce = wp_create_nonce( 'wp_rest' );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		[$status] = self::http( 'GET', '/?rest_route=/omnistock/v1/locations', $sub, array(), array( 'X-WP-Nonce: ' . $nonce ) );
		$this->assertSame( 403, $status );
	}

	public function test_the_profile_screen_assigns_a_cashier_to_locations_with_nonce_and_capability(): void {
		[$a, $b] = $this->loc;
		$cashier = $this->user( 'omnistock_cashier' );
		$admin   = self::cookies( 1 );
		[$status, $body] = self::http( 'GET', "/wp-admin/user-edit.php?user_id=$cashier", $admin );
		$this->assertSame( 200, $status );
		$this->assertStringContainsString( 'POS locations', $body );
		$this->assertSame( 1, preg_match( '/name="omnistock_staff_nonce" value="([0-9a-f]+)"/', $body, $nonce ) );
		$this->assertSame( 1, preg_match( '/<form id="your-profile".*?name="_wpnonce" value="([0-9a-f]+)"/s', $body, $core ) );
		$this->assertStringContainsString( 'name="omnistock_staff_locations[]" value="' . $b . '"', $body );
		$form = array(
			'action'                            => 'update',
			'user_id'                           => $cashier,
			'_wpnonce'                          => $core[1],
			'email'                             => "cashier-$cashier@example.org",
			'nickname'                          => "c$cashier",
			'omnistock_staff_locations_present' => '1',
			'omnistock_staff_locations'         => array( $b, $a ),
		);
		$post = static fn( string $cookies, string $staff_nonce ) => self::http( 'POST', '/wp-admin/user-edit.php', $cookies, $form + array( 'omnistock_staff_nonce' => $staff_nonce ) );
		[$status] = $post( $admin, 'forged0000' );
		$this->assertSame( 403, $status, 'a wrong nonce is refused' );
		wp_cache_flush();
		$this->assertSame( array(), \Omnistock\Plugin::staff()->assigned( $cashier ) );

		[$status] = $post( $admin, $nonce[1] );
		$this->assertSame( 302, $status );
		wp_cache_flush();
		$ids = array( $a, $b );
		sort( $ids );
		$this->assertSame( $ids, \Omnistock\Plugin::staff()->assigned( $cashier ) );

		// The cashier's own profile shows no such fields: they may not assign themselves.
		[, $own] = self::http( 'GET', '/wp-admin/profile.php', self::cookies( $cashier ) );
		$this->assertStringNotContainsString( 'omnistock_staff_nonce', $own );
	}
}
