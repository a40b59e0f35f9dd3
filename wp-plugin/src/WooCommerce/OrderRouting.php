<?php
/**
 * Service: where an online order's lines ship from, and staff re-routing them.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\BadInput;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Meta;
use Omnistock\Refusal;
use Omnistock\Refused;

defined( 'ABSPATH' ) || exit;

/**
 * The route is decided at checkout (OrderStock holds the units there); staff may move a line or the
 * whole order to another location that ships online. The move is one step, all or nothing: a held
 * order's hold is replaced by the same hold at the new locations (Inventory::hold() replaces a key's
 * hold only when every line of the new one is there), a paid order's commitment moves with
 * Inventory::move_commitments(); when the target lacks a unit nothing moves (409
 * omnistock_route_no_stock). Pickup orders move with their store (Pickups::reassign()), not here.
 */
final class OrderRouting {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations The locations.
	 * @param Database  $db        The database (the per-order lock).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly Database $db ) {
	}

	/**
	 * The order, or 404 omnistock_order_not_found.
	 *
	 * @param int $id Order id.
	 * @throws Refused When there is no such order.
	 */
	public function get( int $id ): \WC_Order {
		$order = $id > 0 ? wc_get_order( $id ) : false;
		if ( ! $order instanceof \WC_Order ) { // A refund is a WC_Order_Refund, not a WC_Order.
			throw new Refused( 'omnistock_order_not_found', __( 'No such order.', 'omnistock' ), Refusal::NotFound );
		}
		return $order;
	}

	/**
	 * Runs $work with the order's lock held (a named database lock: one change of an order's route at a time).
	 *
	 * @template T
	 * @param int           $id   Order id.
	 * @param callable(): T $work What to do.
	 * @return T
	 * @throws \Omnistock\Unavailable When the lock cannot be had within 10 s.
	 */
	public function locked( int $id, callable $work ): mixed {
		return $this->db->locked( 'omnistock_route_' . get_current_blog_id() . '_' . $id, $work );
	}

	/**
	 * The order's route as the order screen and the REST API show it.
	 *
	 * @param \WC_Order $order Order.
	 * @return array{order:int, state:string|null, pickup:bool, lines:list<array{item:int, name:string, qty:int, locations:list<array{location:int, name:string, qty:int}>}>}
	 */
	public function routes( \WC_Order $order ): array {
		$names = array_column( $this->locations->all(), 'name', 'id' );
		$lines = array();
		foreach ( OrderStock::lines( $order ) as $item_id => list( , $qty, , $item ) ) {
			$at = array();
			foreach ( OrderStock::allocation( $item, $qty ) as $location => $units ) {
				$at[] = array(
					'location' => $location,
					'name'     => (string) ( $names[ $location ] ?? '#' . $location ),
					'qty'      => $units,
				);
			}
			$lines[] = array(
				'item'      => (int) $item_id,
				'name'      => $item->get_name(),
				'qty'       => $qty,
				'locations' => $at,
			);
		}
		return array(
			'order'  => $order->get_id(),
			'state'  => OrderStock::state( $order )?->value,
			'pickup' => self::is_pickup( $order ),
			'lines'  => $lines,
		);
	}

	/**
	 * Re-routes lines: item id => location id (every line of the order for a whole-order move).
	 * Lines already there are left as they are; a split line moved becomes whole at the target.
	 *
	 * @param \WC_Order       $order   Order.
	 * @param array<int, int> $targets Item id => location id.
	 * @param string          $field   How the input names a line's target ("lines" or "location").
	 * @return array The order's routes afterwards (routes()).
	 * @throws BadInput Naming the line (lines.<item>) or location that is not one.
	 * @throws Refused  409 for a pickup order (omnistock_route_pickup), an order past shipping
	 *                  (omnistock_route_closed), a target that lacks units (omnistock_route_no_stock).
	 */
	public function reroute( \WC_Order $order, array $targets, string $field = 'lines' ): array {
		if ( ! $targets ) {
			throw new BadInput( $field, __( 'must name at least one line and its location', 'omnistock' ), null, 'rest_invalid_param' );
		}
		if ( self::is_pickup( $order ) ) {
			throw new Refused( 'omnistock_route_pickup', __( 'A pickup order moves with its store: reassign it at the pickup desk.', 'omnistock' ), Refusal::Conflict );
		}
		$state = OrderStock::state( $order );
		if ( null !== $state && OrderStockState::Held !== $state && OrderStockState::Committed !== $state ) {
			/* translators: %s: the order's stock state */
			throw new Refused( 'omnistock_route_closed', sprintf( __( 'This order\'s units are no longer waiting to ship (%s): there is nothing to re-route.', 'omnistock' ), $state->value ), Refusal::Conflict );
		}
		$lines = OrderStock::lines( $order );
		$names = array();
		foreach ( $targets as $item_id => $location ) {
			$path = 'location' === $field ? 'location' : "lines.$item_id";
			if ( ! isset( $lines[ (int) $item_id ] ) ) {
				throw new BadInput( "lines.$item_id", __( 'is not a line of this order whose stock Omnistock keeps', 'omnistock' ), null, 'rest_invalid_param' );
			}
			$there = is_int( $location ) || ( is_string( $location ) && ctype_digit( $location ) ) ? $this->locations->get( (int) $location ) : null;
			if ( null === $there || ! $there['ships_online'] ) {
				throw new BadInput( $path, __( 'must be a location that ships online orders', 'omnistock' ), null, 'rest_invalid_param' );
			}
			$names[ $there['id'] ] = $there['name'];
		}
		$key    = OrderStock::key( $order );
		$before = array();
		$after  = array();
		$moves  = array();
		foreach ( $lines as $item_id => list( $product, $qty, $backorders, $item ) ) {
			$before[ $item_id ] = OrderStock::allocation( $item, $qty );
			$after[ $item_id ]  = isset( $targets[ $item_id ] ) ? array( (int) $targets[ $item_id ] => $qty ) : $before[ $item_id ];
			if ( $after[ $item_id ] === $before[ $item_id ] ) {
				continue;
			}
			foreach ( $before[ $item_id ] as $from => $units ) {
				$moves[] = array( $product, $from, $units, (int) array_key_first( $after[ $item_id ] ) );
			}
		}
		$changed = array_keys( array_filter( $after, static fn( $at, $item_id ) => $at !== $before[ $item_id ], ARRAY_FILTER_USE_BOTH ) );
		if ( ! $changed ) {
			return $this->routes( $order );
		}
		$context = array(
			'source'    => 'woocommerce',
			'actor'     => (string) get_current_user_id(),
			'reference' => 'order:' . $order->get_id(),
		);
		$result  = array(
			'ok'    => true,
			'short' => array(),
		);
		if ( OrderStockState::Held === $state ) {
			$hold = array();
			foreach ( $lines as $item_id => list( $product, , $backorders ) ) {
				foreach ( $backorders ? array() : $after[ $item_id ] as $location => $units ) {
					$hold[] = array( $product, $location, $units );
				}
			}
			$ttl    = max( 60, 60 * (int) get_option( 'woocommerce_hold_stock_minutes', 60 ) );
			$result = $hold ? $this->inventory->hold( $key, $hold, $ttl ) : $result;
		} elseif ( OrderStockState::Committed === $state && $moves ) {
			$result = $this->inventory->move_commitments( $key, $moves, 'reroute-' . wp_generate_uuid4(), $context );
		}
		if ( ! $result['ok'] ) {
			$short = $result['short'][0];
			throw new Refused(
				'omnistock_route_no_stock',
				/* translators: 1: location name, 2: units wanted, 3: units sellable there */
				sprintf( __( '%1$s cannot supply this: %2$d wanted, %3$d sellable there. Nothing was moved.', 'omnistock' ), $names[ $short['location'] ] ?? '#' . $short['location'], $short['wanted'], max( 0, $short['sellable'] ) ),
				Refusal::Conflict,
				array( 'short' => $result['short'] )
			);
		}
		$all  = array_column( $this->locations->all(), 'name', 'id' );
		$said = array();
		foreach ( $changed as $item_id ) {
			OrderStock::place( $lines[ $item_id ][3], $after[ $item_id ] );
			$from   = implode( ', ', array_map( static fn( $l ) => (string) ( $all[ $l ] ?? '#' . $l ), array_keys( $before[ $item_id ] ) ) );
			$said[] = sprintf( '%1$s: %2$s → %3$s', $lines[ $item_id ][3]->get_name(), '' === $from ? '—' : $from, $all[ array_key_first( $after[ $item_id ] ) ] ?? '' );
		}
		$user = wp_get_current_user();
		/* translators: 1: the lines moved, 2: who moved them */
		$order->add_order_note( sprintf( __( 'Omnistock: re-routed %1$s (by %2$s).', 'omnistock' ), implode( '; ', $said ), $user->exists() ? $user->display_name : __( 'the system', 'omnistock' ) ) );
		$order->save();
		/**
		 * An order's lines were re-routed to other locations (their units moved there).
		 *
		 * @param int             $order_id The order.
		 * @param array<int, int> $targets  Item id => location id of the lines moved.
		 */
		do_action( 'omnistock_order_rerouted', $order->get_id(), array_intersect_key( array_map( 'intval', $targets ), array_flip( $changed ) ) );
		return $this->routes( $order );
	}

	/**
	 * Whether the shopper collects the order at a store (its route is the store's).
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function is_pickup( \WC_Order $order ): bool {
		if ( '' !== (string) $order->get_meta( Meta::PICKUP_LOCATION ) ) {
			return true;
		}
		foreach ( $order->get_shipping_methods() as $shipping ) {
			if ( 'omnistock_pickup' === $shipping->get_method_id() ) {
				return true;
			}
		}
		return false;
	}
}
