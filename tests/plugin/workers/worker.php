<?php
/**
 * A child process of the concurrency tests: loads the test WordPress, builds the Inventory on the
 * given backend, waits for the start signal, does its part and prints one JSON line per result.
 *
 *   php worker.php BACKEND SEGMENT GO_FILE OP JSON_ARGS
 *
 * @package Omnistock
 */

[, $backend, $segment, $go_file, $op, $json] = $argv;
$args                                        = json_decode( $json, true );

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
require dirname( __DIR__ ) . '/lib/batches.php';

use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

global $wpdb;
$tables    = new Tables( $wpdb );
$inventory = new Inventory( Plugin::database(), $tables, HoldsBackendFactory::create( $backend, Plugin::database(), $tables, $segment ) );

/**
 * Prints one result line at once (the parent reads them while we run).
 */
function omnistock_say( array $line ): void {
	echo json_encode( $line ), "\n";
	flush();
}

omnistock_say( array( 'ready' => getmypid() ) );
while ( ! file_exists( $go_file ) ) {
	usleep( 1000 );
}

$p = (int) $args['product'];
$l = (int) $args['location'];
switch ( $op ) {
	case 'race':
		// Hold then commit the last unit.
		$key  = 'race:' . $args['worker'];
		$held = $inventory->hold( $key, array( array( $p, $l, 1 ) ), 60 )['ok'];
		$done = $held && $inventory->commit( $key, array( array( $p, $l, 1 ) ) )['ok'];
		omnistock_say(
			array(
				'held'      => $held,
				'committed' => $done,
			)
		);
		break;

	case 'web':
	case 'pos':
		// Online checkouts (hold, then commit) or POS sales racing for the same cell.
		mt_srand( (int) $args['worker'] );
		$committed = 0;
		$sold      = 0;
		$refused   = 0;
		for ( $i = 0; $i < (int) $args['n']; $i++ ) {
			$qty = mt_rand( 1, 2 );
			$id  = "{$op}:{$args['worker']}:$i";
			if ( 'web' === $op ) {
				$ok = $inventory->hold( $id, array( array( $p, $l, $qty ) ), 60 )['ok'] && $inventory->commit( $id, array( array( $p, $l, $qty ) ) )['ok'];
				$committed += $ok ? $qty : 0;
			} else {
				$ok    = $inventory->sell( $id, array( array( $p, $l, $qty ) ) )['ok'];
				$sold += $ok ? $qty : 0;
			}
			$refused += $ok ? 0 : 1;
		}
		omnistock_say( compact( 'committed', 'sold', 'refused' ) );
		break;

	case 'cycles':
		// Benchmark: hold then commit one unit, n times; or hold then release.
		$t0 = hrtime( true );
		for ( $i = 0; $i < (int) $args['n']; $i++ ) {
			$key = "bench:{$args['run']}:{$args['worker']}:$i";
			if ( ! $inventory->hold( $key, array( array( $p, $l, 1 ) ), 600 )['ok'] ) {
				throw new RuntimeException( 'hold refused during the benchmark' );
			}
			if ( 'commit' === $args['then'] ) {
				$inventory->commit( $key, array( array( $p, $l, 1 ) ) );
			} else {
				$inventory->release( $key );
			}
		}
		omnistock_say( array( 'seconds' => ( hrtime( true ) - $t0 ) / 1e9 ) );
		break;

	case 'record':
		// Batches of two events; the parent kills one of us with SIGKILL in the middle of record().
		$pause = (int) $args['pause_us'];
		add_action( 'omnistock_before_commit', static fn() => usleep( $pause ) );
		$to = (int) $args['to'];
		for ( $i = 0; $i < (int) $args['n']; $i++ ) {
			omnistock_say( array( 'begin' => $i ) );
			$inventory->record( omnistock_test_batch( (int) $args['worker'], $i, $p, $l, $to ) );
			omnistock_say( array( 'ack' => $i ) );
		}
		omnistock_say( array( 'done' => true ) );
		break;
}
