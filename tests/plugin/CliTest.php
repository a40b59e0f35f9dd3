<?php
/**
 * `wp omnistock ...` through the real WP-CLI (installed from Composer by bin/lib/wordpress.sh).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

final class CliTest extends TestCase {

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
		$cmd  = array_merge( array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), '-d', 'display_errors=stderr', $boot, '--path=' . getenv( 'OMNISTOCK_WP_DIR' ), '--allow-root', 'omnistock' ), $args );
		$proc = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out  = stream_get_contents( $pipes[1] );
		$err  = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		return array( proc_close( $proc ), $out, $err );
	}

	public function test_locations_are_created_listed_and_updated(): void {
		[$code, $out] = $this->wp( 'location', 'create', '--name=Corner shop', '--pickup=yes', '--safety=2', '--porcelain' );
		$this->assertSame( 0, $code );
		$id = (int) trim( $out );
		$this->assertGreaterThan( 0, $id );
		[$code, $out] = $this->wp( 'location', 'update', (string) $id, '--name=Corner shop 2', '--curbside=yes' );
		$this->assertSame( 0, $code, $out );
		[$code, $out] = $this->wp( 'location', 'list', '--format=json' );
		$this->assertSame( 0, $code );
		$by = array_column( json_decode( $out, true ), null, 'id' );
		$this->assertSame( array( 'Corner shop 2', 'yes', 'yes', 2 ), array( $by[ $id ]['name'], $by[ $id ]['offers_pickup'], $by[ $id ]['offers_curbside'], $by[ $id ]['safety_default'] ) );
		[$code, $out] = $this->wp( 'location', 'update', (string) $id, '--transfers=yes', '--transfer-days=4' );
		$this->assertSame( 0, $code, $out );
		$location = $this->locations->get( $id );
		$this->assertSame( array( true, 4 ), array( $location['accepts_transfers'], $location['transfer_days'] ) );
		[$code, , $err] = $this->wp( 'location', 'update', (string) $id, '--transfer-days=0' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'transfer_days', $err );
		$this->assertSame( 4, $this->locations->get( $id )['transfer_days'], 'refused: unchanged' );
		[$code, , $err] = $this->wp( 'location', 'create', '--name=' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'name', $err );
	}

	public function test_routing_fields_and_the_postcode_table_import(): void {
		[$code, $out] = $this->wp( 'location', 'create', '--name=Store Munich', '--latitude=48.1374', '--longitude=11.5755', '--zones=4,2', '--porcelain' );
		$this->assertSame( 0, $code, $out );
		$location = $this->locations->get( (int) trim( $out ) );
		$this->assertSame( array( 48.1374, 11.5755, array( 2, 4 ) ), array( $location['latitude'], $location['longitude'], $location['shipping_zones'] ) );

		$file = tempnam( sys_get_temp_dir(), 'postcodes' );
		file_put_contents( $file, "country,postcode,latitude,longitude\nDE,80331,48.1351,11.5820\n\nde,20 095,53.5503,10.0007\n" );
		[$code, $out, $err] = $this->wp( 'postcodes', 'import', $file );
		$this->assertSame( 0, $code, $out . $err );
		$this->assertStringContainsString( 'Imported 2 postcodes', $out );
		$postcodes = new \Omnistock\Inventory\Postcodes( $this->db, $this->tables );
		$this->assertSame( array( 53.5503, 10.0007 ), $postcodes->find( 'DE', '20095' ), 'matched without the space' );
		$this->assertSame( array( 48.1351, 11.582 ), $postcodes->find( 'de', '80331' ) );

		file_put_contents( $file, "DE,80331,48.2,11.6\nDE,10115,north,13.38\n" );
		[$code, , $err] = $this->wp( 'postcodes', 'import', $file );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'line 2.latitude', $err, 'the bad row is named by its line' );
		$this->assertSame( array( 48.1351, 11.582 ), $postcodes->find( 'DE', '80331' ), 'all rows or none: the good row was not written either' );
		[$code, $out] = $this->wp( 'postcodes', 'count' );
		$this->assertSame( array( 0, '2' ), array( $code, trim( $out ) ) );
		unlink( $file );
	}

	public function test_count_adjust_transfer_show_and_ledger_tail(): void {
		[$a, $b] = $this->loc;
		$p       = $this->product();
		$this->assertSame( 0, $this->wp( 'stock', 'count', (string) $p, (string) $a, '10', '--id=cli-test-count', '--at=1000' )[0] );
		$this->assertSame( 0, $this->wp( 'stock', 'adjust', (string) $p, (string) $a, '-3', '--reason=damage' )[0] );
		$this->assertSame( 0, $this->wp( 'stock', 'transfer', (string) $p, (string) $a, (string) $b, '2' )[0] );
		[$code, $out] = $this->wp( 'stock', 'count', (string) $p, (string) $a, '10', '--id=cli-test-count', '--at=1000' );
		$this->assertSame( 0, $code );
		$this->assertStringContainsString( 'already recorded', $out );

		[$code, $out] = $this->wp( 'stock', 'show', (string) $p, '--format=json' );
		$this->assertSame( 0, $code );
		$stock = json_decode( $out, true );
		$by    = array_column( $stock['locations'], null, 'location' );
		$this->assertSame( array( 5, 2 ), array( $by[ $a ]['on_hand'], $by[ $b ]['on_hand'] ) );
		$this->assertSame( 7, $stock['online'] );

		[$code, $out] = $this->wp( 'ledger', 'tail', '--n=5', '--product=' . $p, '--format=json' );
		$this->assertSame( 0, $code );
		$rows = json_decode( $out, true );
		$this->assertSame( array( 'transfer', 'adjust', 'count' ), array_column( $rows, 'kind' ) );
		$this->assertSame( array( 'cli' ), array_values( array_unique( array_column( $rows, 'source' ) ) ) );
		$this->assertSame( 'damage', $rows[1]['reason'] );

		[$code, , $err] = $this->wp( 'stock', 'adjust', (string) $p, (string) $a, '0' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'events[0].qty', $err );
		[$code, , $err] = $this->wp( 'stock', 'transfer', (string) $p, (string) $a, '987654', '1' );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'events[0].to', $err );
		$this->assertSame( 3, $this->ledger_rows() );
	}

	public function test_doctor_reports_backend_tables_and_drift(): void {
		[$a] = $this->loc;
		$p   = $this->product();
		$this->inventory->record( array( self::ev( 'd1', 'count', $p, $a, 4, 1 ), self::ev( 'd2', 'adjust', $p, $a, 1, 2 ) ) );
		[$code, $out] = $this->wp( 'doctor', '--format=json' );
		$this->assertSame( 0, $code, $out );
		$report = array_column( json_decode( $out, true ), null, 'check' );
		$this->assertSame( 'ok', $report['drift']['status'] );
		$this->assertStringContainsString( 'shm', $report['holds backend']['detail'], 'doctor says why a single host should use shm' );
		$this->assertSame( 'ok', $report['table ' . $this->tables->ledger]['status'] );
		$this->assertArrayHasKey( 'libsodium library version', $report );

		// Someone edits a level behind the ledger's back: doctor finds it and fails.
		$this->db->statement( $this->db->prepare( "UPDATE {$this->tables->levels} SET on_hand = 99 WHERE product_id = %d AND location_id = %d", $p, $a ) );
		[$code, $out] = $this->wp( 'doctor', '--format=json' );
		$this->assertSame( 1, $code );
		$report = array_column( json_decode( $out, true ), null, 'check' );
		$this->assertSame( 'error', $report['drift']['status'] );
		$this->assertStringContainsString( '"ledger_on_hand":5', $report['drift']['detail'] );
	}

	public function test_staff_set_and_get_assign_a_cashier_to_locations(): void {
		[$a, $b] = $this->loc;
		$login   = 'cli-cashier-' . uniqid();
		$cashier = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'role'       => 'omnistock_cashier',
			)
		);
		$this->assertIsInt( $cashier );
		[$code, $out, $err] = $this->wp( 'staff', 'set', $login, "--locations=$b,$a" );
		$this->assertSame( 0, $code, $out . $err );
		$ids = array( $a, $b );
		sort( $ids );
		wp_cache_flush();
		$this->assertSame( $ids, \Omnistock\Plugin::staff()->assigned( $cashier ) );
		[$code, $out] = $this->wp( 'staff', 'get', (string) $cashier, '--format=json' );
		$this->assertSame( 0, $code );
		$this->assertSame( $ids, json_decode( $out, true )['may_act_for'] );

		[$code, , $err] = $this->wp( 'staff', 'set', (string) $cashier, "--locations=$a,987654" );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'locations', $err );
		[$code, , $err] = $this->wp( 'staff', 'set', 'nobody-' . uniqid(), "--locations=$a" );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'No such user', $err );
		wp_cache_flush();
		$this->assertSame( $ids, \Omnistock\Plugin::staff()->assigned( $cashier ), 'the refused commands changed nothing' );

		$this->assertSame( 0, $this->wp( 'staff', 'set', $login, '--locations=' )[0] );
		wp_cache_flush();
		$this->assertSame( array(), \Omnistock\Plugin::staff()->assigned( $cashier ) );
	}
}
