<?php
/**
 * Adapter: a shopper who chose shipping is not made to pick up without being asked.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Router;

defined( 'ABSPATH' ) || exit;

/**
 * A product in stock only at pickup stores is in stock in the shop, so a cart that chose shipping
 * can reach the checkout after the locations that ship sold out. PickupRates then leaves only the
 * pickup rates, and WooCommerce, finding the chosen shipping rate gone, puts a default in its place
 * (a pickup store: the tests saw it in the classic checkout and the Store API) and would take a
 * pickup order the shopper never chose. A checkout whose chosen shipping rate was replaced so in its
 * own request is refused instead, with WooCommerce's out-of-stock wording naming the line no
 * location that ships can supply, and no order is taken; the shopper's next look at the cart shows
 * the stores. (A checkout whose shipping rate WooCommerce still had in its session goes on and is
 * refused by OrderStock's hold, which routes a shipping order to locations that ship only.)
 */
final class ShippingChoice {

	/**
	 * The shipping rate the shopper had chosen and WooCommerce replaced since the checkout being
	 * placed began, because only pickup rates were left; null when none was.
	 *
	 * @var string|null
	 */
	private ?string $replaced = null;

	/**
	 * Takes its dependency.
	 *
	 * @param Router           $router       Routing (which line can no location that ships supply?).
	 * @param OrderDestination $destinations The shopper's address as routing reads it.
	 */
	public function __construct( private readonly Router $router, private readonly OrderDestination $destinations ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		// A checkout begins: what counts is a replacement during it (it recalculates the cart first).
		add_action( 'woocommerce_before_checkout_process', array( $this, 'begin' ) );
		add_filter(
			'rest_request_before_callbacks',
			function ( $response, $handler, $request ) {
				if ( $request instanceof \WP_REST_Request && 'POST' === $request->get_method() && preg_match( '#^/wc/store(/v\d+)?/checkout/?$#', $request->get_route() ) ) {
					$this->begin();
				}
				return $response;
			},
			10,
			3
		);
		add_filter( 'woocommerce_shipping_chosen_method', array( $this, 'chosen' ), PHP_INT_MAX, 3 );
		add_action( 'woocommerce_after_checkout_validation', array( $this, 'refuse_classic' ), 10, 2 );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( $this, 'refuse_store_api' ) );
	}

	/**
	 * A classic or Store API checkout begins.
	 */
	public function begin(): void {
		$this->replaced = null;
	}

	/**
	 * WooCommerce picks a default rate for a package (wc_get_default_shipping_method_for_package()):
	 * remembers a chosen shipping rate that is gone while only pickup rates are left.
	 *
	 * @param mixed $default The default WooCommerce picked.
	 * @param mixed $rates   The package's rates, by id.
	 * @param mixed $chosen  The rate chosen before.
	 * @return mixed The default, unchanged.
	 */
	public function chosen( $default, $rates, $chosen ) {
		if ( ! is_string( $chosen ) || '' === $chosen || self::is_pickup( $chosen ) || ! is_array( $rates ) || ! $rates || isset( $rates[ $chosen ] ) ) {
			return $default;
		}
		foreach ( array_keys( $rates ) as $rate ) {
			if ( ! self::is_pickup( (string) $rate ) ) {
				return $default; // Another shipping rate is left: WooCommerce's choice among them stands.
			}
		}
		$this->replaced = $chosen;
		return $default;
	}

	/**
	 * Whether a rate id is one of PickupRates'.
	 *
	 * @param string $rate Rate id.
	 */
	private static function is_pickup( string $rate ): bool {
		return str_starts_with( $rate, PickupRates::METHOD . ':' );
	}

	/**
	 * Classic checkout: the refusal is a checkout error, so WooCommerce creates no order.
	 *
	 * @param array     $data   Posted data.
	 * @param \WP_Error $errors The checkout's errors.
	 */
	public function refuse_classic( $data, $errors ): void {
		$message = $this->refusal();
		if ( null !== $message && $errors instanceof \WP_Error ) {
			$errors->add( 'omnistock_shipping_out_of_stock', esc_html( $message ) );
		}
	}

	/**
	 * Store API checkout: before the order is validated and paid.
	 *
	 * @param \WC_Order $order The checkout's draft order.
	 * @throws \Automattic\WooCommerce\StoreApi\Exceptions\RouteException When the chosen shipping rate was replaced.
	 */
	public function refuse_store_api( $order ): void {
		$message = $this->refusal();
		if ( null !== $message ) {
			throw new \Automattic\WooCommerce\StoreApi\Exceptions\RouteException( 'woocommerce_product_not_enough_stock', esc_html( $message ), 403 );
		}
	}

	/**
	 * WooCommerce's out-of-stock message for the first cart line no location that ships can
	 * supply, when this request replaced the shopper's shipping rate; null otherwise.
	 */
	private function refusal(): ?string {
		if ( null === $this->replaced || ! function_exists( 'WC' ) || ! WC()->cart ) {
			return null;
		}
		$lines = array(); // Cart item key => [product, qty].
		$names = array();
		foreach ( WC()->cart->get_cart() as $key => $item ) {
			$product = $item['data'] ?? null;
			if ( $product instanceof \WC_Product && ProductStock::managed( $product ) && ! $product->backorders_allowed() ) {
				$lines[ $key ] = array( (int) $product->get_stock_managed_by_id(), (int) $item['quantity'] );
				$names[ $key ] = $product->get_name();
			}
		}
		foreach ( $lines ? $this->router->route( $lines, array(), $this->destinations->of_customer() ) : array() as $key => $location ) {
			if ( null === $location ) {
				return OrderStock::not_enough( $names[ $key ] );
			}
		}
		return null;
	}
}
