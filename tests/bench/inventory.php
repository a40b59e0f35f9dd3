<?php
/**
 * Benchmark of the inventory service (issue 6): hold -> commit cycles per second through
 * Inventory with 1 and 16 processes, shm backend against database backend in the same run; and
 * the time to record() a 100,000-event import (folded through Omnistock\Ledger) against
 * recording events one by one.
 *
 * Needs the test WordPress and MariaDB; run it through bin/lib/wordpress.sh:
 *   OMNISTOCK_TOP=$PWD bash -c '. bin/lib/common.sh; . bin/lib/wordpress.sh; plugin_bench "$(build_extension)"'
 *
 * OMNISTOCK_BENCH_PART=single measures only the one-event-per-record() path (to compare two
 * trees of the plugin side by side: run this script with each tree's wp-plugin).
 *
 * Fixed iteration counts; each figure is the median of RUNS runs. Wall-clock figures on a shared
 * machine are noisy: compare the ratios.
 *
 * @package Omnistock
 */

require_once dirname( __DIR__ ) . '/lib/bench.php';

const RUNS = 3;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
require __DIR__ . '/../plugin/lib/Workers.php';

use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;
use Omnistock\Tests\Workers;

// Workers.php refers to the PHPUnit base class only for its default segment.
if ( ! class_exists( \Omnistock\Tests\TestCase::class ) ) {
	eval( 'namespace Omnistock\Tests; abstract class TestCase { public static function segment(): string { return "omnistock-bench-" . getmypid(); } }' ); // phpcs:ignore Squiz.PHP.Eval
}

global $wpdb;
$db      = Plugin::database();
$tables  = new Tables( $wpdb );
$segment = 'omnistock-bench-' . getmypid();
$has_shm = class_exists( \Omnistock\Holds::class, false );

function bench_inventory( string $backend, string $suffix = '' ): Inventory {
	global $wpdb, $segment;
	$tables = new Tables( $wpdb );
	return new Inventory( Plugin::database(), $tables, HoldsBackendFactory::create( $backend, Plugin::database(), $tables, $segment . $suffix ) );
}

foreach ( $tables->all() as $table ) {
	$db->statement( "DELETE FROM $table" );
}
$location = Plugin::locations()->create( array( 'name' => 'Bench store' ) )['id'];
$other    = Plugin::locations()->create( array( 'name' => 'Bench warehouse' ) )['id'];

printf( "Omnistock inventory benchmark\nmachine: %d cores (%s), PHP %s, %s, MariaDB %s\n", (int) trim( (string) shell_exec( 'nproc' ) ), php_uname( 'm' ), PHP_VERSION, 'omnistock ' . phpversion( 'omnistock' ), $wpdb->get_var( 'SELECT VERSION()' ) );
printf( "median of %d runs; noisy shared machine: read the ratios\n\n", RUNS );

/**
 * Cycles per second of $procs processes doing $n hold -> $then cycles each on one hot cell.
 */
function cycles_per_second( string $backend, int $procs, int $n, string $then, int $product, int $location, string $segment ): float {
	static $run = 0;
	++$run;
	$workers = new Workers( $backend, $segment );
	for ( $w = 0; $w < $procs; $w++ ) {
		$workers->start(
			'cycles',
			array(
				'product'  => $product,
				'location' => $location,
				'worker'   => $w,
				'n'        => $n,
				'then'     => $then,
				'run'      => getmypid() . ".$run",
			)
		);
	}
	$workers->go();
	$codes = $workers->finish( 600 );
	if ( array_filter( $codes ) ) {
		throw new RuntimeException( "a $backend worker failed: " . implode( ',', $codes ) );
	}
	// Each worker times its own loop (hrtime): the slowest one is the span of the run.
	$span = 0.0;
	for ( $w = 0; $w < $procs; $w++ ) {
		$span = max( $span, $workers->lines( $w, 'seconds' )[0]['seconds'] );
	}
	return $procs * $n / $span;
}

$product = 1;
bench_inventory( 'database' )->record(
	array(
		array(
			'id'       => 'bench:stock',
			'kind'     => 'count',
			'product'  => $product,
			'location' => $location,
			'qty'      => 1000000000,
			'at'       => 1,
		),
	)
);

$backends = $has_shm ? array( 'shm', 'database' ) : array( 'database' );
$part     = getenv( 'OMNISTOCK_BENCH_PART' ) ?: 'all';
if ( 'all' !== $part ) {
	$backends = array();
	echo "only the one-event path (OMNISTOCK_BENCH_PART=$part)\n";
}
if ( ! $has_shm ) {
	echo "shm backend: not measured, this build of the extension has no Omnistock\\Holds (issue 3)\n\n";
}
foreach ( $backends ? array( 'commit' => 'hold -> commit', 'release' => 'hold -> release' ) : array() as $then => $label ) {
	foreach ( array( 1 => 400, 16 => 50 ) as $procs => $n ) {
		$rates = array();
		foreach ( $backends as $backend ) {
			$samples = array();
			for ( $r = 0; $r < RUNS; $r++ ) {
				$samples[] = cycles_per_second( $backend, $procs, $n, $then, $product, $location, $segment );
			}
			$rates[ $backend ] = bench_median( $samples );
		}
		printf( "%-16s %2d process%s, one hot cell: ", $label, $procs, 1 === $procs ? '  ' : 'es' );
		foreach ( $rates as $backend => $rate ) {
			printf( "%s %8.0f/s   ", $backend, $rate );
		}
		if ( isset( $rates['shm'] ) ) {
			printf( 'shm/database = %.1fx', $rates['shm'] / $rates['database'] );
		}
		echo "\n";
	}
}

// Import: 100,000 events (a count and adjusts per cell) in one record() call, against the same
// kind of events recorded one record() call each (sampled, then per event).
echo "\n";
$import = function ( int $events, int $first_product, string $prefix ) use ( $location, $other ): array {
	$batch = array();
	for ( $i = 0; count( $batch ) < $events; $i++ ) {
		$p       = $first_product + intdiv( $i, 10 );
		$l       = $i % 2 ? $location : $other;
		$batch[] = array(
			'id'       => "$prefix:$i",
			'kind'     => 0 === $i % 10 ? 'count' : 'adjust',
			'product'  => $p,
			'location' => $l,
			'qty'      => 0 === $i % 10 ? 100 : ( $i % 3 ? -1 : 2 ),
			'at'       => 1000 + $i,
		);
	}
	return $batch;
};
$bulk = array();
foreach ( $backends as $n => $backend ) {
	$times = array();
	for ( $r = 0; $r < RUNS; $r++ ) {
		$batch   = $import( 100000, 100000 + ( $n * RUNS + $r ) * 20000, "import$backend$r" );
		$t0      = microtime( true );
		// A fresh segment per run: 20,000 new cells each, and a 16 MB segment holds about 22,000.
		$res     = bench_inventory( $backend, "-import$r" )->record( $batch );
		$times[] = microtime( true ) - $t0;
		if ( 100000 !== $res['applied'] ) {
			throw new RuntimeException( 'the import applied ' . $res['applied'] );
		}
	}
	$bulk[ $backend ] = bench_median( $times );
}
$one_times   = array();
$one_kinds   = array();
$one_queries = array();
for ( $r = 0; $r < RUNS; $r++ ) {
	$batch = $import( 1000, 900000 + $r * 1000, "one$r" );
	$inv   = bench_inventory( 'database' );
	$t0    = microtime( true );
	foreach ( $batch as $event ) {
		$q0 = $wpdb->num_queries;
		$t1 = hrtime( true );
		$inv->record( array( $event ) );
		$one_kinds[ $event['kind'] ][]   = ( hrtime( true ) - $t1 ) / 1e6;
		$one_queries[ $event['kind'] ][] = $wpdb->num_queries - $q0;
	}
	$one_times[] = ( microtime( true ) - $t0 ) / 1000;
}
$one = bench_median( $one_times );
foreach ( $one_kinds as $kind => $ms ) {
	printf( "one %-6s per record() call (database): median %.3f ms, %.1f queries, over %d calls\n", $kind, bench_median( $ms ), array_sum( $one_queries[ $kind ] ) / count( $ms ), count( $ms ) );
}
foreach ( $bulk as $backend => $seconds ) {
	printf( "import of 100,000 events (20,000 cells) in one record(), %-8s: %.2f s = %.0f events/s\n", $backend, $seconds, 100000 / $seconds );
}
printf( "one event per record() call (1,000 sampled, database):   %.3f ms/event = %.0f events/s (100,000 would take %.0f s)\n", $one * 1000, 1 / $one, $one * 100000 );
foreach ( $bulk as $backend => $seconds ) {
	printf( "batch (%s) / one-by-one = %.1fx\n", $backend, $one * 100000 / $seconds );
}
$drift = ( new \Omnistock\Inventory\LedgerFold( $db, $tables ) )->drift();
printf( "doctor after the benchmark: %d cells, %d events, %d drifting\n", $drift['cells'], $drift['events'], count( $drift['drift'] ) );

// The benchmark's segments are removed.
$site = \Omnistock\Inventory\ShmHolds::segment_name( $wpdb ); // Made when install activated the plugin.
foreach ( array_merge( glob( ( ini_get( 'omnistock.holds_dir' ) ?: '/dev/shm' ) . '/omnistock-holds-' . $segment . '*' ) ?: array(), glob( ( ini_get( 'omnistock.holds_dir' ) ?: '/dev/shm' ) . '/omnistock-holds-' . $site ) ?: array() ) as $file ) {
	unlink( $file );
}
