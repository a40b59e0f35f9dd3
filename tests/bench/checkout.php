<?php
/**
 * Benchmark of checkout then payment through WooCommerce (issue 7): BUYERS concurrent processes,
 * each doing ORDERS orders of one unit (classic checkout's order-created step, then
 * payment_complete()) for one product with STOCK units, so that the last units are raced for.
 * Omnistock with the shm backend, then the database backend, against WooCommerce alone (its own
 * reservation and stock reduction), in the same run. Prints orders paid per second and units
 * oversold (paid beyond the stock).
 *
 * Needs the WooCommerce test shop; run it through bin/lib/wordpress.sh:
 *   OMNISTOCK_WOOCOMMERCE=/path/to/woocommerce OMNISTOCK_TOP=$PWD \
 *     bash -c '. bin/lib/common.sh; . bin/lib/wordpress.sh; woocommerce_bench "$(build_extension)"'
 *
 * Fixed counts; each figure is the median of RUNS runs; a shared machine is noisy: compare ratios.
 *
 * @package Omnistock
 */

require_once dirname( __DIR__ ) . '/lib/bench.php';

const RUNS   = 3;
const BUYERS = 16;
const ORDERS = 15;
const STOCK  = 200; // Fewer than BUYERS * ORDERS = 240: the last 40 attempts must be refused.

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

/**
 * A fresh product with STOCK units (through WooCommerce: with Omnistock active, a count).
 */
function bench_product(): int {
	$product = new WC_Product_Simple();
	$product->set_name( 'Bench ' . wp_generate_password( 6, false ) );
	$product->set_regular_price( '10' );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( STOCK );
	$product->save();
	return $product->get_id();
}

/**
 * One run: BUYERS processes race; returns [orders paid per second, units oversold, paid, final _stock].
 */
function bench_run( string $mode, string $backend ): array {
	$product = bench_product();
	$go      = sys_get_temp_dir() . '/omnistock-bench-go-' . getmypid() . '-' . uniqid();
	$kids    = array();
	$env     = getenv() + array();
	$env['OMNISTOCK_HOLDS_BACKEND'] = $backend;
	for ( $i = 0; $i < BUYERS; $i++ ) {
		$proc   = proc_open(
			array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), __DIR__ . '/checkout_worker.php', $mode, $go, (string) $product, (string) ORDERS ),
			array(
				1 => array( 'pipe', 'w' ),
				2 => array( 'file', '/dev/null', 'a' ),
			),
			$pipes,
			null,
			$env
		);
		$kids[] = array( $proc, $pipes[1] );
	}
	foreach ( $kids as list( , $out ) ) {
		if ( ! str_contains( (string) fgets( $out ), 'ready' ) ) {
			fwrite( STDERR, "a buyer did not start ($mode)\n" );
			exit( 1 );
		}
	}
	touch( $go );
	$paid    = 0;
	$slowest = 0.0;
	foreach ( $kids as list( $proc, $out ) ) {
		$r        = json_decode( (string) fgets( $out ), true );
		$paid    += (int) $r['paid'];
		$slowest  = max( $slowest, (float) $r['seconds'] );
		fclose( $out );
		proc_close( $proc );
	}
	unlink( $go );
	wp_cache_flush();
	$stock = (int) get_post_meta( $product, '_stock', true );
	return array( $paid / $slowest, max( 0, $paid - STOCK ), $paid, $stock );
}

printf( "Checkout + payment through WooCommerce %s\nmachine: %d cores, PHP %s, omnistock %s, MariaDB %s\n", WC()->version, (int) trim( (string) shell_exec( 'nproc' ) ), PHP_VERSION, phpversion( 'omnistock' ), $GLOBALS['wpdb']->get_var( 'SELECT VERSION()' ) );
printf( "%d buyers x %d orders of 1 unit, stock %d; median of %d runs (noisy shared machine: read the ratios)\n\n", BUYERS, ORDERS, STOCK, RUNS );

$results = array();
for ( $run = 0; $run < RUNS; $run++ ) {
	foreach ( array( 'omnistock shm' => array( 'omnistock', 'shm' ), 'omnistock database' => array( 'omnistock', 'database' ), 'WooCommerce alone' => array( 'woocommerce', 'shm' ) ) as $label => list( $mode, $backend ) ) {
		$results[ $label ][] = bench_run( $mode, $backend );
	}
}
$alone = bench_median( array_column( $results['WooCommerce alone'], 0 ) );
printf( "%-20s %14s %16s %12s %22s\n", '', 'orders/s', 'units oversold', 'vs alone', 'paid / final _stock' );
foreach ( $results as $label => $runs ) {
	$rate = bench_median( array_column( $runs, 0 ) );
	printf(
		"%-20s %14.1f %16s %11.2fx %22s\n",
		$label,
		$rate,
		implode( ', ', array_column( $runs, 1 ) ),
		$rate / $alone,
		implode( ' ', array_map( static fn( $r ) => $r[2] . '/' . $r[3], $runs ) )
	);
}
