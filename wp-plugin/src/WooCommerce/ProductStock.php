<?php
/**
 * Adapter: WooCommerce's stock number of a product is Omnistock's online sellable, and a stock
 * number typed into WooCommerce becomes a count.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\Sellable;

defined( 'ABSPATH' ) || exit;

/**
 * Writes `_stock` (and, through WooCommerce, the stock status) after every change of a product's
 * cells; turns stock edits made through WooCommerce (product screen, quick edit, REST, CSV
 * import: all of them end in woocommerce_product_set_stock / woocommerce_variation_set_stock)
 * into a count at the default location.
 */
final class ProductStock {

	/**
	 * At most this many writes per write-back when hooks fired inside it keep changing the stock.
	 */
	private const WRITE_ROUNDS = 5;

	/**
	 * Seconds a write-back waits for another process's write-back of the same product.
	 */
	private const LOCK_WAIT = 10;

	/**
	 * True while this class writes a product, so that its own write is not taken for an edit.
	 *
	 * @var bool
	 */
	private bool $writing = false;

	/**
	 * Products whose write-back runs in this process => whether they changed again meanwhile (a
	 * hook fired inside the write-back changed their stock): that write-back then writes again.
	 *
	 * @var array<int, bool>
	 */
	private array $running = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Router    $router    Routing (the default location).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Router $router ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_action( 'omnistock_products_changed', array( $this, 'write_back_all' ) );
		add_action( 'woocommerce_product_set_stock', array( $this, 'edited' ) );
		add_action( 'woocommerce_variation_set_stock', array( $this, 'edited' ) );
	}

	/**
	 * Whether Omnistock keeps this product's stock: WooCommerce manages stock on it (a variation
	 * whose parent manages the stock is kept under the parent's id).
	 *
	 * @param \WC_Product|false|null $product Product.
	 */
	public static function managed( $product ): bool {
		return $product instanceof \WC_Product && $product->managing_stock();
	}

	/**
	 * Writes the online sellable of several products back.
	 *
	 * @param array $products Product ids.
	 */
	public function write_back_all( array $products ): void {
		foreach ( $products as $product ) {
			$this->write_back( (int) $product );
		}
	}

	/**
	 * Writes the online sellable of one product to WooCommerce's `_stock`, as WooCommerce's own
	 * wc_update_product_stock() does it but without saving the whole product: the meta row and the
	 * lookup table through WooCommerce's data store, its caches cleared, its stock hooks fired.
	 * Only when the stock status changes (instock, outofstock, onbackorder) is the product saved,
	 * so that WooCommerce moves the status, its visibility terms and a variable parent along.
	 *
	 * Exact under concurrency: every change of a product's cells is committed before its process
	 * writes back, and write-backs of one product take turns under a named database lock, each
	 * reading the stored number and the sellable afresh inside its turn. The last turn therefore
	 * reads a state that holds every change whose write-back came before it, and writes last: the
	 * number left stored is the sellable after all of them. Within one process, a change made
	 * by a hook fired inside a write-back (the lock is the process's already) makes that
	 * write-back run once more instead.
	 *
	 * @param int $product_id Product id (the one whose stock is managed).
	 */
	public function write_back( int $product_id ): void {
		if ( isset( $this->running[ $product_id ] ) ) {
			$this->running[ $product_id ] = true;
			return;
		}
		global $wpdb;
		$lock                         = 'omnistock:stock:' . md5( $wpdb->dbname . $wpdb->postmeta ) . ':' . $product_id;
		$locked                       = '1' === $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', $lock, self::LOCK_WAIT ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a lock, not data.
		$this->running[ $product_id ] = true;
		try {
			for ( $round = 0; $this->running[ $product_id ] && $round < self::WRITE_ROUNDS; $round++ ) {
				$this->running[ $product_id ] = false;
				$this->write( $product_id );
			}
		} finally {
			unset( $this->running[ $product_id ] );
			if ( $locked ) {
				$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a lock, not data.
			}
		}
	}

	/**
	 * One write of the online sellable, inside the product's write-back turn.
	 *
	 * @param int $product_id Product id.
	 */
	private function write( int $product_id ): void {
		global $wpdb;
		$product = wc_get_product( $product_id );
		if ( ! self::managed( $product ) || $product->get_stock_managed_by_id() !== $product_id ) {
			return;
		}
		$online = $this->inventory->stock( $product_id )['online'];
		$status = self::status_for( $product, $online );
		// What is stored, not what this process has cached: another process may have written.
		$stored = array_column(
			$wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key IN ('_stock', '_stock_status')", $product_id ), ARRAY_A ), // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- read past the cache on purpose.
			'meta_value',
			'meta_key'
		);
		if ( isset( $stored['_stock'] ) && (int) $stored['_stock'] === $online && ( $stored['_stock_status'] ?? '' ) === $status ) {
			if ( (int) $product->get_stock_quantity() !== $online ) {
				self::clear_caches( $product ); // Stored right, cached wrong.
			}
			return;
		}
		$outer         = $this->writing; // A write-back may run inside another's save.
		$this->writing = true;
		try {
			if ( ( $stored['_stock_status'] ?? '' ) !== $status ) {
				clean_post_cache( $product_id );
				$product = wc_get_product( $product_id );
				$product->set_stock_quantity( $online );
				$product->save();
				return;
			}
			$this->write_quantity( $product, $online );
		} finally {
			$this->writing = $outer;
		}
	}

	/**
	 * Writes a new stock quantity whose stock status stays, as wc_update_product_stock() does
	 * (its hooks, WooCommerce's data store for the meta and the lookup table) and as the product's
	 * save would announce it (the object-save hooks, the caches).
	 *
	 * @param \WC_Product $product The product (its stock managed by itself).
	 * @param int         $online  The new quantity.
	 */
	private function write_quantity( \WC_Product $product, int $online ): void {
		$data_store = \WC_Data_Store::load( 'product' );
		$kind       = $product->is_type( 'variation' ) ? 'variation' : 'product';
		$data_store->read_stock_quantity( $product, $online ); // @phpstan-ignore method.notFound (WC_Data_Store::__call() passes it to the product data store.)
		// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WooCommerce's hooks.
		do_action( "woocommerce_{$kind}_before_set_stock", $product );
		do_action( 'woocommerce_before_product_object_save', $product, $data_store );
		$data_store->update_product_stock( $product->get_id(), $online, 'set' ); // @phpstan-ignore method.notFound (WC_Data_Store::__call() passes it to the product data store.)
		self::clear_caches( $product );
		do_action( "woocommerce_{$kind}_set_stock", $product );
		do_action( 'woocommerce_after_product_object_save', $product, $data_store );
		// phpcs:enable WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound
	}

	/**
	 * The stock status WooCommerce gives a product with this stock (WC_Product::validate_props()).
	 *
	 * @param \WC_Product $product The product.
	 * @param int         $stock   Its stock quantity.
	 */
	private static function status_for( \WC_Product $product, int $stock ): string {
		if ( $stock > absint( get_option( 'woocommerce_notify_no_stock_amount', 0 ) ) ) {
			return 'instock';
		}
		return 'no' !== $product->get_backorders() ? 'onbackorder' : 'outofstock';
	}

	/**
	 * Clears what WooCommerce's data store clears after a save: the product's (and its parent's)
	 * meta cache, transients and cache group.
	 *
	 * @param \WC_Product $product The product.
	 */
	private static function clear_caches( \WC_Product $product ): void {
		foreach ( array_filter( array( $product->get_id(), $product->get_parent_id() ) ) as $id ) {
			wp_cache_delete( $id, 'post_meta' );
			wc_delete_product_transients( $id );
			\WC_Cache_Helper::invalidate_cache_group( 'product_' . $id );
		}
	}

	/**
	 * A stock number typed into WooCommerce: on_hand at the default location is counted so that
	 * the online sellable becomes that number (the other locations that ship or offer pickup keep
	 * theirs).
	 *
	 * @param \WC_Product $product The product whose stock was set.
	 */
	public function edited( $product ): void {
		if ( $this->writing || ! self::managed( $product ) ) {
			return;
		}
		$product_id = $product->get_stock_managed_by_id();
		$typed      = (int) $product->get_stock_quantity();
		$location   = $this->router->default_location( $product_id );
		if ( null === $location ) {
			return;
		}
		$others = array();
		$cell   = null;
		foreach ( $this->inventory->stock( $product_id )['locations'] as $row ) {
			if ( $row['location'] === $location ) {
				$cell = $row;
			} else {
				$others[] = $row;
			}
		}
		if ( null === $cell ) {
			return; // The default location went away meanwhile: nothing to count at.
		}
		$on_hand = Sellable::on_hand_for_online( $typed, $cell, $others );
		if ( $on_hand === $cell['on_hand'] ) {
			$this->write_back( $product_id );
			return;
		}
		$this->inventory->record(
			array(
				array(
					'id'       => "wc:stock:$product_id:" . wp_generate_uuid4(),
					'kind'     => 'count',
					'product'  => $product_id,
					'location' => $location,
					'qty'      => $on_hand,
					'at'       => Database::now_ms(),
					'reason'   => 'woocommerce stock edit',
				),
			),
			array(
				'source' => 'woocommerce',
				'actor'  => (string) get_current_user_id(),
			)
		);
		$this->write_back( $product_id ); // Also when the count moved nothing: the typed number is replaced.
	}
}
