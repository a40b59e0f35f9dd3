<?php
/**
 * Adapter: one shipping rate per pickup location that can supply the whole cart.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Router;

defined( 'ABSPATH' ) || exit;

/**
 * Adds a rate `omnistock_pickup:<location id>` (method `omnistock_pickup`, instance id = the
 * location) to every shipping package, in every zone, for each location that offers pickup and
 * has every line of the cart sellable now. The block checkout of WooCommerce 10 lists them as its
 * local pickup stores (PickupMethod declares the method a local-pickup one, BlockLocalPickup turns
 * the blocks' Pickup option on, the rates carry its meta: pickup_location, _address, _details).
 * When no location that ships can supply the cart, only the pickup rates are left. OrderStock
 * routes an order whose chosen rate is one of these to that location.
 */
final class PickupRates {

	/** The shipping method id of the rates. */
	public const METHOD = PickupMethod::ID;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations The locations.
	 * @param Router    $router    Routing (can a location that ships supply the cart?).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly Router $router ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_filter( 'woocommerce_package_rates', array( $this, 'rates' ), 20, 2 );
		add_filter( 'woocommerce_local_pickup_methods', static fn( $methods ) => array_merge( (array) $methods, array( self::METHOD ) ) );
		// WooCommerce 8+ knows a pickup rate by its method's `local-pickup` support.
		add_filter( 'woocommerce_shipping_methods', static fn( $methods ) => array_merge( (array) $methods, array( self::METHOD => PickupMethod::class ) ) );
		( new BlockLocalPickup( $this->locations ) )->register();
	}

	/**
	 * The package's rates with a pickup rate per store that can supply all of it.
	 *
	 * @param array<string, \WC_Shipping_Rate> $rates   Rates WooCommerce found.
	 * @param array<string, mixed>             $package The shipping package.
	 * @return array<string, \WC_Shipping_Rate>
	 */
	public function rates( $rates, $package ) {
		$rates   = is_array( $rates ) ? $rates : array();
		$pickups = array_filter( $this->locations->all(), static fn( array $l ): bool => $l['offers_pickup'] );
		if ( ! $pickups ) {
			return $rates;
		}
		$wanted = array(); // Product id => units.
		foreach ( (array) ( $package['contents'] ?? array() ) as $line ) {
			$product = $line['data'] ?? null;
			if ( $product instanceof \WC_Product && ProductStock::managed( $product ) ) {
				$id            = (int) $product->get_stock_managed_by_id();
				$wanted[ $id ] = ( $wanted[ $id ] ?? 0 ) + (int) ( $line['quantity'] ?? 0 );
			}
		}
		$offered = array();
		foreach ( $pickups as $location ) {
			$sellable = $wanted ? $this->inventory->sellable_at( array_keys( $wanted ), $location['id'] ) : array();
			foreach ( $wanted as $product => $qty ) {
				if ( ( $sellable[ $product ] ?? 0 ) < $qty ) {
					continue 2;
				}
			}
			$offered[ self::METHOD . ':' . $location['id'] ] = $this->rate( $location );
		}
		if ( $offered && $wanted ) {
			$routes = $this->router->route( array_map( static fn( $product, $qty ) => array( $product, $qty ), array_keys( $wanted ), $wanted ) );
			if ( in_array( null, $routes, true ) ) {
				$rates = array(); // No location that ships can supply it: pickup only.
			}
		}
		return array_merge( $rates, $offered );
	}

	/**
	 * The store's address on one line: its address lines, then postcode and city unless the address
	 * already names them (a location's address is often typed with them).
	 *
	 * @param array<string, mixed> $location Locations row.
	 */
	public static function address( array $location ): string {
		$lines = array_values( array_filter( array_map( 'trim', explode( "\n", str_replace( "\r", "\n", (string) $location['address'] ) ) ) ) );
		$place = trim( $location['postcode'] . ' ' . $location['city'] );
		if ( '' !== $place && ! str_contains( implode( ' ', $lines ), $place ) ) {
			$lines[] = $place;
		}
		return implode( ', ', $lines );
	}

	/**
	 * The rate of one store: its name, address and preparation time, cost 0 unless filtered.
	 *
	 * @param array<string, mixed> $location Locations row.
	 */
	private function rate( array $location ): \WC_Shipping_Rate {
		/* translators: %d: hours */
		$ready = sprintf( _n( 'Ready in about %d hour', 'Ready in about %d hours', (int) $location['pickup_hours'], 'omnistock' ), (int) $location['pickup_hours'] );
		/**
		 * The cost of picking up at a location (0 by default).
		 *
		 * @param float                $cost     Cost.
		 * @param array<string, mixed> $location The location.
		 */
		$cost    = (float) apply_filters( 'omnistock_pickup_cost', 0.0, $location );
		$address = self::address( $location );
		$rate    = new \WC_Shipping_Rate( self::METHOD . ':' . $location['id'], (string) $location['name'], $cost, array(), self::METHOD, (int) $location['id'] ); // @phpstan-ignore argument.type (WooCommerce takes a decimal cost; its stub says int.)
		$rate->add_meta_data( 'pickup_location', (string) $location['name'] );
		$rate->add_meta_data( 'pickup_address', $address );
		$rate->add_meta_data( 'pickup_details', $ready );
		$rate->add_meta_data( 'pickup_hours', (string) (int) $location['pickup_hours'] );
		return $rate;
	}
}
