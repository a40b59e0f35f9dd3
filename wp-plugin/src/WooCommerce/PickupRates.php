<?php
/**
 * Adapter: one shipping rate per pickup location that can supply the whole cart.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Destination;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\PickupSupply;
use Omnistock\Inventory\Router;

defined( 'ABSPATH' ) || exit;

/**
 * Adds a rate `omnistock_pickup:<location id>` (method `omnistock_pickup`, instance id = the
 * location) to every shipping package, in every zone, for each location that offers pickup and
 * has every line of the cart sellable now, or, when it accepts transfers, that one other location
 * can fill (PickupSupply): then the rate says "Ready in about N days" (the store's transfer_days)
 * and carries the source in its meta `pickup_source`. The block checkout of WooCommerce 10 lists them as its
 * local pickup stores (PickupMethod declares the method a local-pickup one, BlockLocalPickup turns
 * the blocks' Pickup option on, the rates carry its meta: pickup_location, _address, _details).
 * When no location that ships can supply the cart, only the pickup rates are left. OrderStock
 * routes an order whose chosen rate is one of these to that location.
 *
 * A store the shopper has already chosen stays chosen when its units go meanwhile (sold at its
 * counter, held by another checkout): WooCommerce would otherwise switch the shopper to its first
 * rate and ship the order from elsewhere without a word. The checkout then tries to hold the units
 * at that store and refuses with WooCommerce's out-of-stock wording, as the issue asks.
 */
final class PickupRates {

	/** The shipping method id of the rates. */
	public const METHOD = PickupMethod::ID;

	/**
	 * Takes its dependencies.
	 *
	 * @param PickupSupply     $supply    Where a pickup's units come from.
	 * @param Locations        $locations The locations.
	 * @param Router           $router       Routing (can a location that ships supply the cart?).
	 * @param OrderDestination $destinations The shipping address as routing reads it (a location limited to other zones cannot ship there).
	 */
	public function __construct( private readonly PickupSupply $supply, private readonly Locations $locations, private readonly Router $router, private readonly OrderDestination $destinations ) {
	}

	/**
	 * The shipping method WooCommerce counts and runs (made when WooCommerce first loads its methods).
	 *
	 * @var PickupMethod|null
	 */
	private ?PickupMethod $method = null;

	/**
	 * Whether a cart (by its hash) can be picked up somewhere, this request.
	 *
	 * @var array<string, bool>
	 */
	private array $pickable = array();

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_filter( 'woocommerce_package_rates', array( $this, 'rates' ), 20, 2 );
		add_filter( 'woocommerce_local_pickup_methods', static fn( $methods ) => array_merge( (array) $methods, array( self::METHOD ) ) );
		add_filter( 'woocommerce_shipping_chosen_method', array( self::class, 'keep_chosen_store' ), 10, 3 );
		add_filter( 'woocommerce_shipping_methods', array( $this, 'methods' ) );
		add_action( 'omnistock_locations_changed', array( $this, 'locations_changed' ) );
		add_filter( 'woocommerce_cart_needs_shipping', array( $this, 'cart_needs_shipping' ) );
		add_filter( 'woocommerce_customer_taxable_address', array( $this, 'taxable_address' ), 20 );
		( new BlockLocalPickup( $this->locations ) )->register();
	}

	/**
	 * A pickup is taxed where the goods are handed over: the chosen store's tax address (the shop's
	 * base address when the location has no country), as the POS taxes a sale at that store.
	 * WooCommerce taxes every local pickup method at its base address, and WooCommerce 10's blocks
	 * then look the rate's instance id up in their own pickup locations: for our rates that index is
	 * a location id, which would name one of the owner's own pickup places, or none.
	 *
	 * @param array $address [country, state, postcode, city] as WooCommerce found it.
	 * @return array
	 */
	public function taxable_address( $address ) {
		if ( true !== apply_filters( 'woocommerce_apply_base_tax_for_local_pickup', true ) || ! function_exists( 'WC' ) || null === WC()->session ) {
			return $address;
		}
		$chosen = WC()->session->get( 'chosen_shipping_methods' );
		$first  = is_array( $chosen ) ? reset( $chosen ) : false; // WooCommerce's pickup takes one package.
		if ( ! is_string( $first ) || ! str_starts_with( $first, self::METHOD . ':' ) ) {
			return $address;
		}
		$location = $this->locations->get( (int) substr( $first, strlen( self::METHOD ) + 1 ) );
		if ( null === $location ) {
			return $address;
		}
		if ( '' === (string) $location['country'] ) {
			$countries = WC()->countries;
			return array( $countries->get_base_country(), $countries->get_base_state(), $countries->get_base_postcode(), $countries->get_base_city() );
		}
		return array( (string) $location['country'], (string) $location['state'], (string) $location['postcode'], (string) $location['city'] );
	}

	/**
	 * With pickup on WooCommerce counts the pickup method, so a shop without a single zone method
	 * would now ask every cart for a rate, and every cart a store can supply would have to be picked
	 * up. It does not: on such a shop a cart still needs no shipping, as before pickup was on, while
	 * a location that ships can supply it (the order is routed as any other); only a cart that none of
	 * them can supply and a pickup store can (units only at stores) asks for a rate, and gets the
	 * stores. Shops with a shipping method are left to WooCommerce: there the stores are rates
	 * beside the zone's own.
	 *
	 * @param bool $needs WooCommerce's answer.
	 * @return bool
	 */
	public function cart_needs_shipping( $needs ) {
		if ( ! $needs || wc_get_shipping_method_count( false ) > 0 || ! function_exists( 'WC' ) || ! WC()->cart ) {
			return (bool) $needs;
		}
		$cart = WC()->cart;
		// WooCommerce asks many times a request: the address is matched to its zone and coordinates
		// only when the cart, the shipping settings or the shopper's address changed.
		$address = WC()->customer instanceof \WC_Customer ? WC()->customer->get_shipping() : array();
		$key     = $cart->get_cart_hash() . ':' . (string) \WC_Cache_Helper::get_transient_version( 'shipping' ) . ':' . md5( (string) wp_json_encode( $address ) );
		if ( ! array_key_exists( $key, $this->pickable ) ) {
			$this->pickable[ $key ] = ! $this->ships( $cart->get_cart(), $this->destinations->of_customer() ) && array() !== $this->offered( $cart->get_cart() );
		}
		return $this->pickable[ $key ];
	}

	/**
	 * Whether locations that ship (to this address) can supply every managed line of these cart contents.
	 *
	 * @param array       $contents Cart contents.
	 * @param Destination $to       Where the package goes.
	 */
	private function ships( array $contents, Destination $to ): bool {
		$wanted = self::wanted( $contents );
		if ( ! $wanted ) {
			return true;
		}
		$routes = $this->router->route( array_map( static fn( $product, $qty ) => array( $product, $qty ), array_keys( $wanted ), $wanted ), array(), $to );
		return ! in_array( null, $routes, true );
	}

	/**
	 * The units of each product whose stock Omnistock keeps, in cart contents (a package's or the cart's).
	 *
	 * @param array $contents Cart item key => cart item.
	 * @return array<int, int> Product id => units.
	 */
	private static function wanted( array $contents ): array {
		$wanted = array();
		foreach ( $contents as $line ) {
			$product = $line['data'] ?? null;
			if ( $product instanceof \WC_Product && ProductStock::managed( $product ) ) {
				$id            = (int) $product->get_stock_managed_by_id();
				$wanted[ $id ] = ( $wanted[ $id ] ?? 0 ) + (int) ( $line['quantity'] ?? 0 );
			}
		}
		return $wanted;
	}

	/**
	 * WooCommerce's shipping methods with the pickup method.
	 *
	 * @param array<string, mixed> $methods Method id => class name or instance.
	 * @return array<string, mixed>
	 */
	public function methods( $methods ) {
		$this->method ??= new PickupMethod( self::METHOD, fn( $package ) => $this->offered( (array) ( $package['contents'] ?? array() ) ), $this->pickup_on() );
		return array_merge( is_array( $methods ) ? $methods : array(), array( self::METHOD => $this->method ) );
	}

	/**
	 * A location changed: pickup may have been turned on or off, a store renamed. WooCommerce's
	 * count of shipping methods and the rates it keeps in each session go with its shipping
	 * cache version.
	 */
	public function locations_changed(): void {
		$this->method?->switch( $this->pickup_on() );
		if ( class_exists( \WC_Cache_Helper::class ) ) {
			\WC_Cache_Helper::get_transient_version( 'shipping', true );
		}
		// The version is the current second: a count cached earlier in that second would survive it.
		delete_transient( 'wc_shipping_method_count' );
		delete_transient( 'wc_shipping_method_count_legacy' ); // WooCommerce 7.7's name of the count with non-zone methods.
	}

	/**
	 * Whether some location offers pickup.
	 */
	private function pickup_on(): bool {
		return array() !== array_filter( $this->locations->all(), static fn( array $l ): bool => (bool) $l['offers_pickup'] );
	}

	/**
	 * When the package's rates change, WooCommerce 7.7 picks its first rate again even though the
	 * chosen store is still offered (WooCommerce 10 keeps a chosen local pickup rate itself).
	 *
	 * @param string                           $default WooCommerce's pick.
	 * @param array<string, \WC_Shipping_Rate> $rates   The package's rates.
	 * @param string|false                     $chosen  The shopper's choice so far.
	 * @return string
	 */
	public static function keep_chosen_store( $default, $rates, $chosen ) {
		if ( is_string( $chosen ) && str_starts_with( $chosen, self::METHOD . ':' ) && is_array( $rates ) && isset( $rates[ $chosen ] ) ) {
			return $chosen;
		}
		return $default;
	}

	/**
	 * The pickup locations the shopper has chosen in this session (chosen shipping methods).
	 *
	 * @return int[]
	 */
	private static function chosen_stores(): array {
		$session = function_exists( 'WC' ) ? WC()->session : null;
		$chosen  = $session ? $session->get( 'chosen_shipping_methods' ) : null;
		$stores  = array();
		foreach ( is_array( $chosen ) ? $chosen : array() as $method ) {
			if ( is_string( $method ) && str_starts_with( $method, self::METHOD . ':' ) ) {
				$stores[] = (int) substr( $method, strlen( self::METHOD ) + 1 );
			}
		}
		return $stores;
	}

	/**
	 * The package's rates with a pickup rate per store that can supply all of it; only those when
	 * no location that ships can. The pickup method has usually made them already (WooCommerce runs
	 * it before this filter): they are taken as they are, not worked out again.
	 *
	 * @param array<string, \WC_Shipping_Rate> $rates   Rates WooCommerce found.
	 * @param array<string, mixed>             $package The shipping package.
	 * @return array<string, \WC_Shipping_Rate>
	 */
	public function rates( $rates, $package ) {
		$rates    = is_array( $rates ) ? $rates : array();
		$contents = (array) ( $package['contents'] ?? array() );
		$offered  = array_filter( $rates, static fn( $rate ): bool => $rate instanceof \WC_Shipping_Rate && self::METHOD === $rate->get_method_id() );
		if ( ! $offered ) {
			$offered = $this->offered( $contents );
		}
		if ( $offered && ! $this->ships( $contents, $this->destinations->of_address( (array) ( $package['destination'] ?? array() ) ) ) ) {
			return $offered; // No location that ships can supply it: pickup only.
		}
		return array_merge( $rates, $offered );
	}

	/**
	 * A pickup rate per store that can supply these cart contents (or one transfer can fill), and
	 * the store the shopper chose even when it no longer can (the checkout's hold then refuses it).
	 *
	 * @param array $contents Cart item key => cart item.
	 * @return array<string, \WC_Shipping_Rate>
	 */
	private function offered( array $contents ): array {
		$pickups = array_filter( $this->locations->all(), static fn( array $l ): bool => $l['offers_pickup'] );
		if ( ! $pickups ) {
			return array();
		}
		$wanted  = self::wanted( $contents );
		$offered = array();
		$chosen  = self::chosen_stores();
		foreach ( $pickups as $location ) {
			$plan = $this->supply->plan( $wanted, $location, true );
			if ( null !== $plan ) {
				$offered[ self::METHOD . ':' . $location['id'] ] = $this->rate( $location, $plan['source'] );
			} elseif ( in_array( (int) $location['id'], $chosen, true ) ) {
				$offered[ self::METHOD . ':' . $location['id'] ] = $this->rate( $location, null );
			}
		}
		return $offered;
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
	 * The rate of one store: its name, address and preparation time (or the days a transfer from
	 * $source takes), cost 0 unless filtered.
	 *
	 * @param array<string, mixed> $location Locations row.
	 * @param int|null             $source   The location the units are sent from, or null.
	 */
	private function rate( array $location, ?int $source ): \WC_Shipping_Rate {
		if ( null === $source ) {
			/* translators: %d: hours */
			$ready = sprintf( _n( 'Ready in about %d hour', 'Ready in about %d hours', (int) $location['pickup_hours'], 'omnistock' ), (int) $location['pickup_hours'] );
		} else {
			/* translators: %d: days */
			$ready = sprintf( _n( 'Ready in about %d day', 'Ready in about %d days', (int) $location['transfer_days'], 'omnistock' ), (int) $location['transfer_days'] );
		}
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
		if ( null !== $source ) {
			$rate->add_meta_data( 'pickup_source', (string) $source ); // Copied to the order's shipping line: the shopper chose to wait for a transfer.
		}
		return $rate;
	}
}
