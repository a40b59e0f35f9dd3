<?php
/**
 * `wp omnistock connection ...` through the real WP-CLI: the REST routes' twin; secrets go in and
 * never come out.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Plugin;

/**
 * In the plugin suite: WP-CLI in the WooCommerce test site ends silently before any command runs
 * (its `location list` too), so the commands are tested here, where WooCommerce is not.
 */
final class ConnectorCliTest extends TestCase {

	private const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
	private const TOKEN  = 'cli-token-4f1d';

	/**
	 * Runs WP-CLI; returns [exit code, stdout, stderr].
	 *
	 * @return array{0:int, 1:string, 2:string}
	 */
	private function wp( string ...$args ): array {
		$boot = getenv( 'OMNISTOCK_TOOLS' ) . '/vendor/wp-cli/wp-cli/php/boot-fs.php';
		if ( ! is_file( $boot ) ) {
			$this->fail( 'WP-CLI is not installed (bin/lib/wordpress.sh installs it with Composer): ' . $boot );
		}
		$cmd  = array_merge( array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), '-d', 'display_errors=stderr', $boot, '--path=' . getenv( 'OMNISTOCK_WP_DIR' ), '--allow-root', 'omnistock', 'connection' ), $args );
		$proc = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out  = stream_get_contents( $pipes[1] );
		$err  = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		return array( proc_close( $proc ), (string) $out, (string) $err );
	}

	public function test_add_list_get_map_and_delete_without_ever_printing_a_secret(): void {
		$product = $this->product();
		list( $code, $out, $err ) = $this->wp( 'add', '--provider=standard', '--name=Till', '--api-base=https://till.example/api', '--webhook-secret=' . self::SECRET, '--credentials={"token":"' . self::TOKEN . '"}', '--format=json' );
		$this->assertSame( 0, $code, $out );
		$added = json_decode( $out, true );
		$this->assertIsArray( $added, $out . $err );
		$id    = $added['id'];
		$this->assertSame( rest_url( 'omnistock/v1/hooks/' . $id ), $added['webhook_url'] );
		$this->assertSame( self::TOKEN, Plugin::connections()->get( $id )->credential( 'token' ) );

		list( $code, $out ) = $this->wp( 'locations', (string) $id, '--set={"L1":' . $this->loc[0] . '}' );
		$this->assertSame( 0, $code, $out );
		$this->assertSame( array( 'L1' => array( 'location' => $this->loc[0], 'system_of_record' => 'omnistock' ) ), json_decode( $out, true ) );
		list( $code, $out ) = $this->wp( 'items', (string) $id, '--set={"A":' . $product . '}' );
		$this->assertSame( 0, $code, $out );
		$this->assertSame( array( 'A' => $product ), json_decode( $out, true ) );

		$printed = array();
		$outs    = array();
		foreach ( array( array( 'list', '--format=json' ), array( 'get', (string) $id ) ) as $args ) {
			list( $code, $out, $err ) = $this->wp( ...$args );
			$this->assertSame( 0, $code, $err );
			$outs[]    = $out;
			$printed[] = $out . $err;
		}
		$this->assertSame( array( $id ), array_column( (array) json_decode( $outs[0], true ), 'id' ), $printed[0] );
		$health = json_decode( $outs[1], true );
		$this->assertSame( array( 0, array( 'A' => $product ) ), array( $health['outbox_depth'], $health['items'] ) );
		foreach ( $printed as $text ) {
			$this->assertStringNotContainsString( self::TOKEN, $text );
			$this->assertStringNotContainsString( substr( self::SECRET, 6 ), $text );
		}

		list( $code, , $err ) = $this->wp( 'add', '--provider=standard', '--name=Bad', '--api-base=https://till.example', '--webhook-secret=plain words' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'webhook_secret', $err );
		list( $code, , $err ) = $this->wp( 'items', (string) $id, '--set=[1]' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( '--set', $err );

		list( $code ) = $this->wp( 'delete', (string) $id );
		$this->assertSame( 1, $code, 'not without --yes' );
		list( $code, $out ) = $this->wp( 'delete', (string) $id, '--yes' );
		$this->assertSame( 0, $code, $out );
		list( $code ) = $this->wp( 'get', (string) $id );
		$this->assertSame( 1, $code );
		$this->assertSame( array(), Plugin::connections()->all() );
	}
	public function test_reconcile_reads_the_register_now_and_prints_the_report(): void {
		require_once __DIR__ . '/woocommerce/lib/FakeProvider.php';
		$square = \Omnistock\Tests\WooCommerce\FakeProvider::start( 'square', \Omnistock\Tests\WooCommerce\FakeProvider::port( 6 ) );
		try {
			$square->config( array( 'token' => 'sq-token' ) );
			$product    = $this->product();
			Plugin::inventory()->record( array( array( 'id' => 'cli-seed-' . $product, 'kind' => 'count', 'product' => $product, 'location' => $this->loc[0], 'qty' => 9 ) ) );
			$connection = Plugin::connections()->create( 'square', 'Register', $square->url(), array( 'access_token' => 'sq-token' ), 'signature-key' );
			Plugin::connections()->set_locations( $connection->id, array( 'L1' => $this->loc[0] ) );
			Plugin::connections()->set_items( $connection->id, array( 'VA' => $product ) );
			$square->stock( 'VA', 'L1', 4 );

			list( $code, $out, $err ) = $this->wp( 'reconcile', (string) $connection->id );
			$this->assertSame( 0, $code, $out . $err );
			$report = json_decode( $out, true );
			$this->assertIsArray( $report, $out . $err );
			$this->assertSame( array( $connection->id, 1 ), array( $report['connection'], $report['read'] ) );
			$this->assertSame(
				array( array( 'VA', 'L1', 4, 9, -5, 'push' ) ),
				array_map( static fn( $c ) => array( $c['item'], $c['external_location'], $c['register'], $c['ours'], $c['drift'], $c['corrected'] ), $report['cells'] )
			);
			$this->assertSame( 9, $square->counts()["VA\nL1"]['qty'], 'our number went to the register in the same run' );

			list( $code, $out ) = $this->wp( 'reconcile', (string) $connection->id, '--format=table' );
			$this->assertSame( 0, $code, $out );
			$this->assertMatchesRegularExpression( '/^VA\s+L1\s+\d+\s+\d+\s+9\s+9\s+0\s/m', $out, 'the table shows no drift now' );

			list( $code, , $err ) = $this->wp( 'reconcile', '999999' );
			$this->assertSame( 1, $code );
			$this->assertNotSame( '', $err );
		} finally {
			$square->stop();
		}
	}
}
