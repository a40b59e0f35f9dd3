<?php
/**
 * Benchmark of one stock change (issue 12): one adjust through Inventory::record() (its write-back
 * to WooCommerce included) against WooCommerce's own wc_update_product_stock(), in the same run on
 * the same shop. Prints the median milliseconds and the median query count of each, and the ratios.
 *
 * WooCommerce's path is measured with every Omnistock callback taken off the hooks it fires
 * (woocommerce_product_set_stock and the like), so that it is WooCommerce's own cost alone, as on a
 * shop without Omnistock; then once more with Omnistock's callbacks in place (what a shop with
 * Omnistock pays when another plugin calls it: its edit becomes a count and a write-back).
 *
 * Needs the WooCommerce test shop; run it through bin/lib/wordpress.sh:
 *   OMNISTOCK_TOP=$PWD bash -c '. bin/lib/common.sh; . bin/lib/wordpress.sh; woocommerce_bench "$(build_extension)" tests/bench/stock-change.php'
 *
 * Fixed counts (ROUNDS alternations of the paths, after WARMUP); a shared machine is noisy.
 *
 * @package Omnistock
 */

require_once dirname( __DIR__ ) . '/lib/bench.php';

const ROUNDS = 41;
const WARMUP = 5;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

use Omnistock\Inventory\Database;
use Omnistock\Plugin;

/**
 * A fresh product managing its stock, with $stock units.
 */
function bench_product( int $stock ): int {
	$product = new WC_Product_Simple();
	$product->set_name( 'Bench ' . wp_generate_password( 6, false ) );
	$product->set_regular_price( '10' );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( $stock );
	$product->save();
	return $product->get_id();
}

/**
 * Takes every Omnistock callback off WooCommerce's stock hooks; returns them to put back.
 */
function bench_unhook(): array {
	global $wp_filter;
	$taken = array();
	foreach ( array( 'woocommerce_product_set_stock', 'woocommerce_variation_set_stock', 'woocommerce_product_set_stock_status', 'woocommerce_variation_set_stock_status', 'woocommerce_updated_product_stock' ) as $hook ) {
		if ( ! isset( $wp_filter[ $hook ] ) ) {
			continue;
		}
		foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$fn = $callback['function'];
				if ( is_array( $fn ) && is_object( $fn[0] ) && str_starts_with( get_class( $fn[0] ), 'Omnistock\\' ) ) {
					remove_action( $hook, $fn, $priority );
					$taken[] = array( $hook, $fn, $priority, $callback['accepted_args'] );
				}
			}
		}
	}
	return $taken;
}

/**
 * Milliseconds and queries of one call of $work.
 *
 * @return array{0:float, 1:int}
 */
function bench_once( callable $work ): array {
	global $wpdb;
	$queries = $wpdb->num_queries;
	$t0      = hrtime( true );
	$work();
	return array( ( hrtime( true ) - $t0 ) / 1e6, $wpdb->num_queries - $queries );
}

global $wpdb;
$location = Plugin::locations()->all()[0]['id'] ?? Plugin::locations()->create( array( 'name' => 'Bench store' ) )['id'];
$ours     = bench_product( 100000 ); // Omnistock keeps it (a count at the default location).
$theirs   = bench_product( 100000 );
$hooked   = bench_product( 100000 );
$taken    = bench_unhook();
if ( ! $taken ) {
	fwrite( STDERR, "no Omnistock callback found on WooCommerce's stock hooks\n" );
	exit( 1 );
}
$restore = static function () use ( $taken ): void {
	foreach ( $taken as list( $hook, $fn, $priority, $args ) ) {
		add_action( $hook, $fn, $priority, $args );
	}
};
$restore();

$paths = array(
	'Inventory::record(), one adjust'                 => static function ( int $i ) use ( $ours, $location ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => "bench:adjust:$ours:$i",
					'kind'     => 'adjust',
					'product'  => $ours,
					'location' => $location,
					'qty'      => -1,
					'at'       => Database::now_ms(),
				),
			)
		);
	},
	'wc_update_product_stock(), WooCommerce alone'    => static function ( int $i ) use ( $theirs ): void {
		wc_update_product_stock( $theirs, 1, 'decrease' );
	},
	'wc_update_product_stock(), Omnistock listening'  => static function ( int $i ) use ( $hooked ): void {
		wc_update_product_stock( $hooked, 100000 - $i - 1, 'set' );
	},
);
$times   = array_fill_keys( array_keys( $paths ), array() );
$queries = $times;
for ( $i = 0; $i < WARMUP + ROUNDS; $i++ ) {
	foreach ( $paths as $name => $work ) {
		$alone = str_contains( $name, 'alone' );
		$taken = $alone ? bench_unhook() : array();
		list( $ms, $n ) = bench_once( static fn() => $work( $i ) );
		if ( $alone ) {
			$restore();
		}
		if ( $i >= WARMUP ) {
			$times[ $name ][]   = $ms;
			$queries[ $name ][] = $n;
		}
	}
}

// The surfaces agree after the run: _stock, the lookup table and the stock status of our product.
wp_cache_flush();
$online = Plugin::inventory()->stock( $ours )['online'];
$stored = (int) get_post_meta( $ours, '_stock', true );
$lookup = (int) $wpdb->get_var( $wpdb->prepare( "SELECT stock_quantity FROM {$wpdb->wc_product_meta_lookup} WHERE product_id = %d", $ours ) );
if ( $online !== $stored || $online !== $lookup || 100000 - WARMUP - ROUNDS !== $online ) {
	fwrite( STDERR, "surfaces disagree: online $online, _stock $stored, lookup $lookup\n" );
	exit( 1 );
}

printf( "Omnistock stock-change benchmark: WordPress %s, WooCommerce %s, PHP %s, MariaDB %s\n", get_bloginfo( 'version' ), WC()->version, PHP_VERSION, $wpdb->get_var( 'SELECT VERSION()' ) );
printf( "holds backend %s; median of %d alternating rounds after %d warm-up rounds\n\n", Plugin::inventory()->backend()->name(), ROUNDS, WARMUP );
$base = 'wc_update_product_stock(), WooCommerce alone';
foreach ( $paths as $name => $work ) {
	printf(
		"%-48s %7.2f ms  %4d queries   (%.2fx time, %.2fx queries of WooCommerce alone)\n",
		$name,
		bench_median( $times[ $name ] ),
		bench_median( $queries[ $name ] ),
		bench_median( $times[ $name ] ) / bench_median( $times[ $base ] ),
		bench_median( $queries[ $name ] ) / bench_median( $queries[ $base ] )
	);
}
