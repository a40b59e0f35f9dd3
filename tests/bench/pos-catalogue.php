<?php
/**
 * Benchmark of the POS catalogue (issue 8): a terminal loads every product and variation with its
 * price, barcode and stock here and online. PRODUCTS simple products (made with direct inserts, as
 * an import would), stock counted at a store; the catalogue read in pages of 2000 through
 * Omnistock\Pos\Catalogue (a few queries per page) against the obvious WooCommerce way
 * (wc_get_products() and each product's getters, Inventory::stock() per product), in the same run.
 *
 * Needs the WooCommerce test shop; run it through bin/lib/wordpress.sh:
 *   OMNISTOCK_WOOCOMMERCE=/path/to/woocommerce OMNISTOCK_TOP=$PWD \
 *     bash -c '. bin/lib/common.sh; . bin/lib/wordpress.sh; woocommerce_bench "$(build_extension)" tests/bench/pos-catalogue.php'
 *
 * Fixed counts; each figure is the median of RUNS runs; a shared machine is noisy: compare ratios.
 *
 * @package Omnistock
 */

require_once dirname( __DIR__ ) . '/lib/bench.php';

const RUNS     = 3;
const PRODUCTS = 10000;
const PER_PAGE = 2000;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

use Omnistock\Plugin;
use Omnistock\Pos\Catalogue;

/**
 * PRODUCTS published simple products with SKU, barcode, price and managed stock, in bulk.
 *
 * @return list<int>
 */
function bench_products(): array {
	global $wpdb;
	$term = get_term_by( 'slug', 'simple', 'product_type' );
	$now  = current_time( 'mysql', true );
	$ids  = array();
	for ( $done = 0; $done < PRODUCTS; $done += 500 ) {
		$first = null;
		$rows  = array();
		for ( $i = $done; $i < min( PRODUCTS, $done + 500 ); $i++ ) {
			$rows[] = $wpdb->prepare( "(1, %s, %s, '', '', 'publish', %s, 'product', %s, %s, %s, '', '', '')", $now, $now, "Bench product $i", "bench-$i", $now, $now );
		}
		$inserted = $wpdb->query( "INSERT INTO {$wpdb->posts} (post_author, post_date, post_date_gmt, post_content, post_excerpt, post_status, post_title, post_type, post_name, post_modified, post_modified_gmt, to_ping, pinged, post_content_filtered) VALUES " . implode( ',', $rows ) );
		if ( count( $rows ) !== $inserted ) {
			fwrite( STDERR, "could not insert the products: {$wpdb->last_error}\n" );
			exit( 1 );
		}
		$first = (int) $wpdb->insert_id;
		$meta  = array();
		$terms = array();
		for ( $k = 0; $k < count( $rows ); $k++ ) {
			$id    = $first + $k;
			$ids[] = $id;
			foreach ( array( '_sku' => "B-$id", '_omnistock_barcode' => (string) ( 4000000000000 + $id ), '_price' => '9.99', '_regular_price' => '9.99', '_manage_stock' => 'yes', '_stock' => '0', '_stock_status' => 'instock', '_tax_class' => '' ) as $key => $value ) {
				$meta[] = $wpdb->prepare( '(%d, %s, %s)', $id, $key, $value );
			}
			$terms[] = $wpdb->prepare( '(%d, %d)', $id, $term->term_taxonomy_id );
		}
		$wpdb->query( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES " . implode( ',', $meta ) );
		$wpdb->query( "INSERT INTO {$wpdb->term_relationships} (object_id, term_taxonomy_id) VALUES " . implode( ',', $terms ) );
	}
	// Fresh statistics after the bulk insert, as the database would have them in a running shop.
	$wpdb->query( "ANALYZE TABLE {$wpdb->posts}, {$wpdb->postmeta}, {$wpdb->term_relationships}" );
	wp_cache_flush();
	return $ids;
}

$store = Plugin::locations()->create( array( 'name' => 'Bench store' ) )['id'];
Plugin::inventory()->reload_location_ids();
$ids    = bench_products();
$events = array();
foreach ( $ids as $id ) {
	$events[] = array(
		'id'       => "bench:count:$id",
		'kind'     => 'count',
		'product'  => $id,
		'location' => $store,
		'qty'      => $id % 7,
		'at'       => 1700000000000,
	);
}
Plugin::inventory()->record( $events );
$catalogue = new Catalogue( Plugin::inventory() );

$omnistock   = array();
$woocommerce = array();
$items       = 0;
$naive_items = 0;
for ( $run = 0; $run < RUNS; $run++ ) {
	wp_cache_flush();
	$t     = hrtime( true );
	$items = 0;
	$page  = 1;
	do {
		$answer = $catalogue->page( $store, $page++, PER_PAGE );
		$items += count( $answer['items'] );
	} while ( $page <= $answer['pages'] );
	$omnistock[] = ( hrtime( true ) - $t ) / 1e6;

	wp_cache_flush();
	$t           = hrtime( true );
	$naive_items = 0;
	$page        = 1;
	do {
		$products = wc_get_products(
			array(
				'type'   => array( 'simple' ),
				'status' => 'publish',
				'limit'  => PER_PAGE,
				'page'   => $page++,
			)
		);
		foreach ( $products as $product ) {
			$here = null;
			foreach ( Plugin::inventory()->stock( $product->get_id() )['locations'] as $row ) {
				if ( $row['location'] === $store ) {
					$here = $row['sellable'];
				}
			}
			$item = array( $product->get_id(), $product->get_name(), $product->get_sku(), $product->get_meta( '_omnistock_barcode' ), $product->get_price(), $product->get_stock_quantity(), $here );
			++$naive_items;
		}
	} while ( count( $products ) === PER_PAGE );
	$woocommerce[] = ( hrtime( true ) - $t ) / 1e6;
}
printf( "POS catalogue of %d products in pages of %d (nproc %s, PHP %s, holds backend %s)\n", PRODUCTS, PER_PAGE, trim( (string) shell_exec( 'nproc' ) ), PHP_VERSION, Plugin::inventory()->backend() instanceof \Omnistock\Inventory\DatabaseHolds ? 'database' : 'shm' );
printf( "  Omnistock Catalogue::page:             %8.0f ms for %d items (median of %d)\n", bench_median( $omnistock ), $items, RUNS );
printf( "  wc_get_products + getters + stock():   %8.0f ms for %d items (median of %d)\n", bench_median( $woocommerce ), $naive_items, RUNS );
printf( "  ratio: %.1fx faster\n", bench_median( $woocommerce ) / bench_median( $omnistock ) );
