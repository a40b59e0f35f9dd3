<?php
/**
 * WooCommerce's admin screens over real HTTP: the site served on OMNISTOCK_WC_HTTP_PORT (started by
 * StoreApiClient, stopped after each test) and one logged-in administrator.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/StoreApiClient.php';
require_once __DIR__ . '/AdminSession.php';

/**
 * A test of what the shop manager gets from wp-admin.
 */
abstract class AdminHttpTestCase extends WcTestCase {

	protected StoreApiClient $site;
	protected AdminSession $admin;

	protected function setUp(): void {
		parent::setUp();
		$port        = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$this->site  = new StoreApiClient( $port, 4 );
		$this->admin = new AdminSession( $port );
	}

	protected function tearDown(): void {
		$this->site->stop();
		parent::tearDown();
	}
}
