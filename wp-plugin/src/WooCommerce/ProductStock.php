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
	 * At most this many write-and-check rounds per write-back (a later change writes back again).
	 */
	private const WRITE_ROUNDS = 5;

	/**
	 * True while this class writes a product, so that its own write is not taken for an edit.
	 *
	 * @var bool
	 */
	private bool $writing = false;

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
	 * Writes the online sellable of one product to WooCommerce's `_stock`; WooCommerce derives the
	 * stock status from it (and a variable product's from its variations).
	 *
	 * Processes write back without a lock, so a process that read the sellable before another's
	 * change may write its older number after the other's newer one. Each writer therefore checks
	 * after writing: it reads the stored number and the sellable afresh and writes again until they
	 * agree. The last write of all is followed by its writer's check, so the number left stored is
	 * the sellable as of that check (and any later change writes back in turn).
	 *
	 * @param int $product_id Product id (the one whose stock is managed).
	 */
	public function write_back( int $product_id ): void {
		for ( $round = 0; $round < self::WRITE_ROUNDS; $round++ ) {
			clean_post_cache( $product_id ); // Another process may have written: read what is stored.
			$product = wc_get_product( $product_id );
			if ( ! self::managed( $product ) || $product->get_stock_managed_by_id() !== $product_id ) {
				return;
			}
			$online = $this->inventory->stock( $product_id )['online'];
			if ( null !== $product->get_stock_quantity() && (int) $product->get_stock_quantity() === $online ) {
				return;
			}
			$outer         = $this->writing; // A write-back may run inside another's save.
			$this->writing = true;
			try {
				$product->set_stock_quantity( $online );
				$product->save();
			} finally {
				$this->writing = $outer;
			}
		}
	}

	/**
	 * A stock number typed into WooCommerce: on_hand at the default location is counted so that
	 * the online sellable becomes that number (other online locations keep theirs).
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
