<?php
/**
 * Adapter: the order screen's "Ships from" box (HPOS and legacy order screens).
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Capabilities;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Lists each line's location and offers to re-route a line or the whole order; the choice is
 * applied when the order is updated (WooCommerce's own "Update" button saves the box, as its other
 * boxes), through OrderRouting — the service POST /omnistock/v1/orders/<id>/route calls too. A
 * refusal (the target lacks a unit) is WooCommerce's meta box error on the screen, nothing moved.
 */
final class OrderRouteBox {

	/** The box's nonce action and field. */
	public const NONCE = 'omnistock_route_order';

	/**
	 * Takes its dependencies.
	 *
	 * @param OrderRouting $routing   The routing service.
	 * @param Locations    $locations The locations.
	 */
	public function __construct( private readonly OrderRouting $routing, private readonly Locations $locations ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_action( 'add_meta_boxes', array( $this, 'add' ), 30 );
		// After WooCommerce has saved the items (10) and the status (40): its items box re-reads the
		// order it loaded before and would take an earlier move back (OrderStock::edited()); a
		// status that closed the order (cancelled) is then refused here with nothing moved.
		add_action( 'woocommerce_process_shop_order_meta', array( $this, 'save' ), 45 );
	}

	/**
	 * Adds the box to both order screens.
	 */
	public function add(): void {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			return;
		}
		$screens = array( 'shop_order' );
		if ( function_exists( 'wc_get_page_screen_id' ) ) {
			$screens[] = wc_get_page_screen_id( 'shop-order' );
		}
		foreach ( array_unique( $screens ) as $screen ) {
			add_meta_box( 'omnistock-route', __( 'Ships from (Omnistock)', 'omnistock' ), array( $this, 'render' ), $screen, 'normal', 'default' );
		}
	}

	/**
	 * The box.
	 *
	 * @param mixed $post_or_order WP_Post (legacy screen) or WC_Order (HPOS screen).
	 */
	public function render( $post_or_order ): void {
		$order = $post_or_order instanceof \WC_Order ? $post_or_order : wc_get_order( $post_or_order instanceof \WP_Post ? $post_or_order->ID : 0 );
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$routes = $this->routing->routes( $order );
		if ( ! $routes['lines'] ) {
			echo '<p>' . esc_html__( 'No line of this order has its stock kept by Omnistock.', 'omnistock' ) . '</p>';
			return;
		}
		$ships = array_filter( $this->locations->all(), static fn( $l ) => $l['ships_online'] );
		$open  = ! $routes['pickup'] && in_array( $routes['state'], array( null, 'held', 'committed' ), true );
		wp_nonce_field( self::NONCE, self::NONCE, false ); // The order form has its own referer field.
		echo '<table class="widefat striped omnistock-route"><thead><tr>';
		echo '<th>' . esc_html__( 'Line', 'omnistock' ) . '</th><th>' . esc_html__( 'Qty', 'omnistock' ) . '</th><th>' . esc_html__( 'Ships from', 'omnistock' ) . '</th>';
		if ( $open ) {
			echo '<th>' . esc_html__( 'Re-route to', 'omnistock' ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $routes['lines'] as $line ) {
			$from = array_map( static fn( $at ) => count( $line['locations'] ) > 1 ? sprintf( '%s × %d', $at['name'], $at['qty'] ) : $at['name'], $line['locations'] );
			printf( '<tr data-item="%d"><td>%s</td><td>%d</td><td class="omnistock-route-from">%s</td>', (int) $line['item'], esc_html( $line['name'] ), (int) $line['qty'], $from ? esc_html( implode( ', ', $from ) ) : esc_html__( 'not routed yet', 'omnistock' ) );
			if ( $open ) {
				printf( '<td>%s</td>', self::select( 'omnistock_route[' . (int) $line['item'] . ']', $ships ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped by select().
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
		if ( $routes['pickup'] ) {
			echo '<p>' . esc_html__( 'A pickup order ships from its store: reassign it at the pickup desk.', 'omnistock' ) . '</p>';
		} elseif ( $open ) {
			printf( '<p><label>%s %s</label></p>', esc_html__( 'Move the whole order to', 'omnistock' ), self::select( 'omnistock_route_all', $ships ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped by select().
			echo '<p class="description">' . esc_html__( 'Applied when you update the order: the held or committed units move in one step, and nothing moves unless the new location has every unit.', 'omnistock' ) . '</p>';
		}
	}

	/**
	 * A select of the locations that ship, "keep" first.
	 *
	 * @param string $name      Field name.
	 * @param array  $locations Locations.
	 */
	private static function select( string $name, array $locations ): string {
		$html = sprintf( '<select name="%s"><option value="">%s</option>', esc_attr( $name ), esc_html__( '— keep —', 'omnistock' ) );
		foreach ( $locations as $location ) {
			$html .= sprintf( '<option value="%d">%s</option>', (int) $location['id'], esc_html( $location['name'] ) );
		}
		return $html . '</select>';
	}

	/**
	 * The order screen was saved: re-routes what the box asks for.
	 *
	 * @param int $order_id Order id.
	 */
	public function save( $order_id ): void {
		if ( ! isset( $_POST[ self::NONCE ] ) || ! wp_verify_nonce( sanitize_key( wp_unslash( $_POST[ self::NONCE ] ) ), self::NONCE ) || ! current_user_can( Capabilities::MANAGE ) || ! current_user_can( 'edit_shop_orders' ) ) {
			return;
		}
		$all     = absint( wp_unslash( $_POST['omnistock_route_all'] ?? 0 ) );
		$targets = array();
		$posted  = isset( $_POST['omnistock_route'] ) && is_array( $_POST['omnistock_route'] ) ? map_deep( wp_unslash( $_POST['omnistock_route'] ), 'absint' ) : array();
		try {
			$order = $this->routing->get( (int) $order_id );
			if ( $all > 0 ) {
				$targets = array_fill_keys( array_keys( OrderStock::lines( $order ) ), $all );
			} else {
				foreach ( $posted as $item => $location ) {
					if ( (int) $location > 0 ) {
						$targets[ (int) $item ] = (int) $location;
					}
				}
			}
			if ( $targets ) {
				$this->routing->locked( (int) $order_id, fn() => $this->routing->reroute( $this->routing->get( (int) $order_id ), $targets, $all > 0 ? 'location' : 'lines' ) );
			}
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			/* translators: %s: why */
			\WC_Admin_Meta_Boxes::add_error( sprintf( __( 'Omnistock: the order was not re-routed: %s', 'omnistock' ), $e->getMessage() ) );
		}
	}
}
