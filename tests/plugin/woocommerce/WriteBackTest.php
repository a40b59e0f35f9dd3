<?php
/**
 * The write-back of `_stock` (ProductStock): no dearer than WooCommerce's own stock update, and
 * every surface WooCommerce's data store keeps follows it: the meta, the lookup table, the stock
 * status and its visibility term, the hooks other plugins listen to; holds and releases
 * announce their products like every other change.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Plugin;

final class WriteBackTest extends WcTestCase {

	/**
	 * An adjust of $qty at the Warehouse, as any channel records it (its write-back follows).
	 */
	private function adjust( int $product, int $qty ): void {
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'test:' . wp_generate_uuid4(),
					'kind'     => 'adjust',
					'product'  => $product,
					'location' => $this->loc[0],
					'qty'      => $qty,
					'at'       => Database::now_ms(),
				),
			)
		);
	}

	/**
	 * Queries $work runs.
	 */
	private static function queries( callable $work ): int {
		global $wpdb;
		$before = $wpdb->num_queries;
		$work();
		return $wpdb->num_queries - $before;
	}

	/**
	 * Runs $work with every Omnistock callback off WooCommerce's stock hooks: WooCommerce alone.
	 */
	private static function without_omnistock( callable $work ): mixed {
		global $wp_filter;
		$taken = array();
		foreach ( array( 'woocommerce_product_set_stock', 'woocommerce_variation_set_stock' ) as $hook ) {
			foreach ( $wp_filter[ $hook ]->callbacks ?? array() as $priority => $callbacks ) {
				foreach ( $callbacks as $callback ) {
					$fn = $callback['function'];
					if ( is_array( $fn ) && is_object( $fn[0] ) && str_starts_with( get_class( $fn[0] ), 'Omnistock\\' ) ) {
						remove_action( $hook, $fn, $priority );
						$taken[] = array( $hook, $fn, $priority, $callback['accepted_args'] );
					}
				}
			}
		}
		try {
			return $work();
		} finally {
			foreach ( $taken as list( $hook, $fn, $priority, $args ) ) {
				add_action( $hook, $fn, $priority, $args );
			}
		}
	}

	public function test_an_adjust_costs_no_more_queries_than_woocommerces_own_stock_update(): void {
		$ours   = $this->simple( 50 )->get_id();
		$theirs = $this->simple( 50 )->get_id();
		$this->adjust( $ours, -1 ); // Warm caches, as a shop's request has them.
		self::without_omnistock( static fn() => wc_update_product_stock( $theirs, 1, 'decrease' ) );
		$adjust = array();
		$wc     = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$adjust[] = self::queries( fn() => $this->adjust( $ours, -1 ) );
			$wc[]     = self::without_omnistock( static fn() => self::queries( static fn() => wc_update_product_stock( $theirs, 1, 'decrease' ) ) );
		}
		$this->assertLessThanOrEqual( min( $wc ), max( $adjust ), 'queries of one adjust (' . implode( ', ', $adjust ) . ') against wc_update_product_stock() alone (' . implode( ', ', $wc ) . ')' );
		$this->assertShopAgrees( wc_get_product( $ours ), 'after the adjusts' );
		$this->assertSame( 46, (int) get_post_meta( $ours, '_stock', true ) );
	}

	/**
	 * The product's row of WooCommerce's lookup table, read past every cache.
	 */
	private function lookup( int $id ): array {
		global $wpdb;
		return (array) $wpdb->get_row( $wpdb->prepare( "SELECT stock_quantity, stock_status FROM {$wpdb->wc_product_meta_lookup} WHERE product_id = %d", $id ), ARRAY_A );
	}

	public function test_the_lookup_table_status_and_visibility_follow_every_write_back(): void {
		$product = $this->simple( 2 );
		$id      = $product->get_id();
		$steps   = array(
			array( -1, 1, 'instock' ),
			array( -1, 0, 'outofstock' ),
			array( 3, 3, 'instock' ),
			array( 4, 7, 'instock' ),
		);
		foreach ( $steps as list( $qty, $stock, $status ) ) {
			$this->adjust( $id, $qty );
			$step = "adjust $qty to $stock";
			$this->assertEquals( array( 'stock_quantity' => $stock, 'stock_status' => $status ), array_map( static fn( $v ) => is_numeric( $v ) ? (int) $v : $v, $this->lookup( $id ) ), "$step: lookup table" );
			$this->assertSame( $status, get_post_meta( $id, '_stock_status', true ), "$step: _stock_status" );
			clean_object_term_cache( $id, 'product' );
			$this->assertSame( 'outofstock' === $status, has_term( 'outofstock', 'product_visibility', $id ), "$step: the outofstock visibility term" );
			$this->assertShopAgrees( $product, $step );
		}
	}

	public function test_the_hooks_other_plugins_listen_to_see_the_new_number(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		$seen    = array();
		$hooks   = array( 'woocommerce_product_before_set_stock', 'woocommerce_product_set_stock', 'woocommerce_after_product_object_save' );
		$listen  = array();
		foreach ( $hooks as $hook ) {
			$listen[ $hook ] = static function ( $p ) use ( $hook, $id, &$seen ): void {
				if ( $p instanceof \WC_Product && $p->get_id() === $id ) {
					$seen[ $hook ][] = (int) $p->get_stock_quantity();
				}
			};
			add_action( $hook, $listen[ $hook ] );
		}
		$direct = static function ( $product_id ) use ( $id, &$seen ): void {
			if ( (int) $product_id === $id ) {
				$seen['woocommerce_updated_product_stock'][] = (int) get_post_meta( $id, '_stock', true );
			}
		};
		add_action( 'woocommerce_updated_product_stock', $direct );
		try {
			$this->adjust( $id, -2 );
		} finally {
			foreach ( $listen as $hook => $fn ) {
				remove_action( $hook, $fn );
			}
			remove_action( 'woocommerce_updated_product_stock', $direct );
		}
		foreach ( array_merge( $hooks, array( 'woocommerce_updated_product_stock' ) ) as $hook ) {
			$this->assertSame( array( 3 ), $seen[ $hook ] ?? array(), "$hook fired once with the new number" );
		}
		$this->assertSame( array( 'adjust', 3 ), array( Plugin::inventory()->ledger_tail( 1, $id )[0]['kind'], $this->cell( $id, $this->loc[0] )['on_hand'] ), 'the write-back is not taken for a stock edit' );
	}

	public function test_a_hold_and_its_release_announce_their_products(): void {
		$product  = $this->simple( 5 );
		$id       = $product->get_id();
		$announce = array();
		$listen   = static function ( array $products ) use ( &$announce ): void {
			$announce[] = $products;
		};
		add_action( 'omnistock_products_changed', $listen );
		try {
			$this->assertTrue( Plugin::inventory()->hold( "test:hold:$id", array( array( $id, $this->loc[0], 2 ) ) )['ok'] );
			$this->assertSame( 3, (int) get_post_meta( $id, '_stock', true ), 'the hold is written back' );
			$this->assertSame( 2, Plugin::inventory()->release( "test:hold:$id", array( $id ) ) );
			$this->assertSame( 0, Plugin::inventory()->release( "test:hold:$id", array( $id ) ), 'nothing left to release' );
		} finally {
			remove_action( 'omnistock_products_changed', $listen );
		}
		$this->assertSame( array( array( $id ), array( $id ) ), $announce, 'the hold, then the release; an empty release announces nothing' );
		$this->assertShopAgrees( $product, 'after the release' );
	}

	/**
	 * @group concurrency
	 */
	public function test_processes_adjusting_one_product_at_once_leave_the_shop_right(): void {
		$procs   = 8;
		$each    = 10;
		$product = $this->simple( 200 );
		$go      = sys_get_temp_dir() . '/omnistock-wc-go-' . getmypid() . '-' . uniqid();
		$kids    = array();
		for ( $i = 0; $i < $procs; $i++ ) {
			$proc   = proc_open(
				array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), __DIR__ . '/workers/adjust.php', $go, (string) $product->get_id(), (string) $this->loc[0], (string) $each ),
				array(
					1 => array( 'pipe', 'w' ),
					2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ),
				),
				$pipes
			);
			$kids[] = array( $proc, $pipes[1] );
		}
		foreach ( $kids as list( , $out ) ) {
			$this->assertStringContainsString( 'ready', (string) fgets( $out ), 'channel started' );
		}
		touch( $go );
		$applied = 0;
		foreach ( $kids as list( $proc, $out ) ) {
			$applied += (int) ( json_decode( (string) fgets( $out ), true )['recorded'] ?? 0 );
			fclose( $out );
			proc_close( $proc );
		}
		unlink( $go );
		$this->assertSame( $procs * $each, $applied, 'every adjust recorded' );
		$this->assertSame( 200 - $procs * $each, Plugin::inventory()->stock( $product->get_id() )['online'] );
		$this->assertShopAgrees( $product, 'after racing write-backs' );
		$this->assertSame( 200 - $procs * $each, (int) $this->lookup( $product->get_id() )['stock_quantity'], 'lookup table after racing write-backs' );
	}

	/**
	 * @group concurrency
	 */
	public function test_a_write_back_waits_for_another_process_writing_an_older_number(): void {
		$product = $this->simple( 5 );
		$id      = $product->get_id();
		$read    = sys_get_temp_dir() . '/omnistock-wc-read-' . getmypid() . '-' . uniqid();
		// Process B reads the sellable (4) and pauses before writing it; meanwhile this process
		// changes the stock (3) and writes back; B's older number must not be the one left.
		$proc = proc_open(
			array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), __DIR__ . '/workers/slow-write-back.php', (string) $id, (string) $this->loc[0], $read, '1500' ),
			array(
				1 => array( 'pipe', 'w' ),
				2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ),
			),
			$pipes
		);
		for ( $waited = 0; ! file_exists( $read ) && $waited < 30000; $waited += 10 ) {
			usleep( 10000 );
		}
		$this->assertFileExists( $read, 'process B is inside its write-back' );
		$this->adjust( $id, -1 );
		$b = json_decode( (string) fgets( $pipes[1] ), true );
		fclose( $pipes[1] );
		proc_close( $proc );
		unlink( $read );
		$this->assertSame( 4, $b['wrote'] ?? null, 'process B wrote the number it had read' );
		$this->assertSame( 3, Plugin::inventory()->stock( $id )['online'] );
		$this->assertShopAgrees( $product, 'after a write-back that waited for an older one' );
	}
}
