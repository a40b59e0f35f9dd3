<?php
/**
 * Adapter: hooks Omnistock into WooCommerce.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Router;

defined( 'ABSPATH' ) || exit;

/**
 * For every product whose stock WooCommerce manages, Omnistock keeps the stock: WooCommerce's own
 * reduction, restoration and checkout reservation are switched off for those products, and the
 * order life cycle (OrderStock) and the product's stock number (ProductStock) go through Omnistock.
 */
final class Integration {

	/**
	 * Hooks everything in once WooCommerce is loaded.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public static function register( Inventory $inventory ): void {
		$router   = new Router( $inventory );
		$products = new ProductStock( $inventory, $router );
		$products->register();
		( new OrderStock( $inventory, $router, $products ) )->register();

		$has_managed_lines = static fn( $order ): bool => $order instanceof \WC_Abstract_Order && array() !== OrderStock::lines( $order );
		// No double counting and no WooCommerce race: Omnistock moves the units.
		add_filter( 'woocommerce_can_reduce_order_stock', static fn( $can, $order ) => $can && ! $has_managed_lines( $order ), 10, 2 );
		add_filter( 'woocommerce_can_restore_order_stock', static fn( $can, $order ) => $can && ! $has_managed_lines( $order ), 10, 2 );
		add_filter( 'woocommerce_can_restock_refunded_items', static fn( $can, $order ) => $can && ! $has_managed_lines( $order ), 10, 2 );
		add_filter( 'woocommerce_prevent_adjust_line_item_product_stock', static fn( $prevent, $item ) => $prevent || ( $item instanceof \WC_Order_Item_Product && ProductStock::managed( $item->get_product() ) ), 10, 2 );
		// WooCommerce's checkout reservation: off for classic checkout; the Store API reserves
		// unconditionally, so there its reservations of managed products count as nothing.
		add_filter( 'woocommerce_hold_stock_for_checkout', '__return_false' );
		add_filter( 'woocommerce_query_for_reserved_stock', static fn( $query, $product_id ) => ProductStock::managed( wc_get_product( $product_id ) ) ? 'SELECT 0' : $query, 10, 2 );

		add_action( 'admin_notices', static fn() => self::short_orders_notice( $inventory ) );
	}

	/**
	 * Tells shop managers about paid orders whose units were gone (OrderStock::paid()) and that are
	 * still on hold: the ledger's latest `short` records name them.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public static function short_orders_notice( Inventory $inventory ): void {
		if ( ! current_user_can( 'edit_shop_orders' ) ) {
			return;
		}
		$short = array();
		foreach ( $inventory->short_references() as $reference ) {
			$order = str_starts_with( $reference, 'order:' ) ? wc_get_order( (int) substr( $reference, 6 ) ) : null;
			if ( $order && 'on-hold' === $order->get_status() ) {
				$short[] = '#' . $order->get_order_number();
			}
		}
		if ( $short ) {
			/* translators: %s: order numbers */
			printf( '<div class="notice notice-warning"><p>%s</p></div>', esc_html( sprintf( __( 'Omnistock: paid orders whose stock was gone are on hold: %s. See each order\'s notes.', 'omnistock' ), implode( ', ', $short ) ) ) );
		}
	}
}
