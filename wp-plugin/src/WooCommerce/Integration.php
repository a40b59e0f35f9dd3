<?php
/**
 * Adapter: hooks Omnistock into WooCommerce.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\HoldClaims;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\PickupSupply;
use Omnistock\Inventory\Postcodes;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\Tables;

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
	 * @param Inventory  $inventory The inventory service.
	 * @param HoldClaims $claims    Who holds what (the anonymous checkout caps).
	 * @param Locations  $locations The locations (pickup rates).
	 * @param Database   $db        The database (the postcode table, the per-order lock of re-routing).
	 */
	public static function register( Inventory $inventory, HoldClaims $claims, Locations $locations, Database $db ): void {
		$router   = new Router( $inventory, $locations );
		$products = new ProductStock( $inventory, $router );
		$products->register();
		$supply       = new PickupSupply( $inventory, $locations );
		$destinations = new OrderDestination( new Postcodes( $db, new Tables( $db->wpdb ) ) );
		( new OrderStock( $inventory, $router, $products, new CheckoutHolds( $inventory, $claims ), $supply, $locations, $destinations ) )->register();
		// Where each line ships from, in the order screen and the REST API; staff re-route there.
		$routing = new OrderRouting( $inventory, $locations, $db );
		( new OrderRouteBox( $routing, $locations ) )->register();
		add_action( 'rest_api_init', static fn() => ( new \Omnistock\Rest\OrderRouteRoutes( $routing ) )->register() );
		( new PickupRates( $supply, $locations, $router, $destinations ) )->register();
		( new ShippingChoice( $router, $destinations ) )->register();

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
		add_action( 'admin_notices', array( self::class, 'hold_failures_notice' ) );
	}

	/**
	 * Tells shop managers that checkouts could not hold stock for another reason than stock (the
	 * shoppers were told "not enough in stock"): how many, the last error, where the log is. Shown
	 * for a day after the last one.
	 */
	public static function hold_failures_notice(): void {
		$failures = get_option( OrderStock::HOLD_FAILURES );
		if ( ! current_user_can( 'manage_woocommerce' ) || ! is_array( $failures ) || (int) ( $failures['at'] ?? 0 ) < time() - DAY_IN_SECONDS ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html(
				sprintf(
					/* translators: 1: number of checkouts, 2: date and time, 3: the error */
					__( 'Omnistock: %1$d checkouts could not hold stock, the last at %2$s: %3$s. Shoppers were told the items are not in stock. Details: WooCommerce → Status → Logs, source "omnistock".', 'omnistock' ),
					(int) ( $failures['count'] ?? 0 ),
					wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $failures['at'] ),
					(string) ( $failures['error'] ?? '' )
				)
			)
		);
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
