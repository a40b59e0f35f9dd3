<?php
/**
 * A POS cart priced by WooCommerce: the order is built with WooCommerce's own objects (lines,
 * coupons, fees, taxes at the terminal's location) — kept for a sale, rolled back for a quote.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Capabilities;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Refusal;
use Omnistock\WooCommerce\OrderStock;

defined( 'ABSPATH' ) || exit;

/**
 * One code path for the quote and the sale: cart() checks the request, build() makes the
 * WooCommerce order and lets WooCommerce compute it, totals() reads WooCommerce's figures.
 */
final class Quote {

	public const CREATED_VIA  = \Omnistock\Meta::POS_CREATED_VIA;
	public const DISCOUNT     = \Omnistock\Meta::LINE_DISCOUNT;
	public const MAX_LINES    = 200;
	public const MAX_QUANTITY = 100000;

	/**
	 * Tax addresses of locations read in this request, by location id (null: no such location).
	 *
	 * @var array<int, array|null>
	 */
	private array $tax_addresses = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 * @param Database  $db        The database.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly Database $db ) {
	}

	/**
	 * A POS order's taxes are those of the terminal's location (the goods are handed over there).
	 */
	public function register(): void {
		add_filter( 'woocommerce_order_get_tax_location', array( $this, 'tax_location' ), 10, 2 );
	}

	/**
	 * Filter of WooCommerce's order tax location: for POS orders, the location's address.
	 *
	 * @param array  $args  country, state, postcode, city (and maybe tax_class).
	 * @param object $order The order.
	 */
	public function tax_location( $args, $order ): array {
		if ( ! $order instanceof \WC_Order || self::CREATED_VIA !== $order->get_created_via() ) {
			return (array) $args;
		}
		$id = (int) $order->get_meta( OrderStock::LOCATION );
		// WooCommerce asks several times per calculation: read the location once per request.
		if ( ! array_key_exists( $id, $this->tax_addresses ) ) {
			$location                   = $this->locations->get( $id );
			$this->tax_addresses[ $id ] = $location ? self::address( $location ) : null;
		}
		return null === $this->tax_addresses[ $id ] ? (array) $args : array_merge( (array) $args, $this->tax_addresses[ $id ] );
	}

	/**
	 * The tax address of a location: its own, or the shop's base address when it has no country.
	 *
	 * @param array $location A location (Locations::get()).
	 * @return array{country:string, state:string, postcode:string, city:string}
	 */
	public static function address( array $location ): array {
		if ( '' === (string) ( $location['country'] ?? '' ) ) {
			return array(
				'country'  => WC()->countries->get_base_country(),
				'state'    => WC()->countries->get_base_state(),
				'postcode' => WC()->countries->get_base_postcode(),
				'city'     => WC()->countries->get_base_city(),
			);
		}
		return array(
			'country'  => $location['country'],
			'state'    => $location['state'],
			'postcode' => $location['postcode'],
			'city'     => $location['city'],
		);
	}

	/**
	 * POST /pos/quote: WooCommerce's totals of the cart, and what is short at the location.
	 *
	 * @param array $body Request body.
	 * @throws PosError When the cart is invalid or a coupon does not apply.
	 */
	public function quote( array $body ): array {
		$cart = $this->cart( $body );
		// The order exists only inside this transaction: WooCommerce computes it, then it is gone.
		$order_id = 0;
		try {
			$totals = $this->db->rolled_back(
				function () use ( $cart, &$order_id ): array {
					$order    = $this->build( $cart );
					$order_id = $order->get_id();
					return $this->totals( $order, $cart );
				}
			);
		} finally {
			$this->forget( $order_id, $cart['coupons'] );
		}
		$totals['short'] = $this->short( $cart );
		return $totals;
	}

	/**
	 * Checks a cart request: location, lines, coupons, customer, discounts (only for users with
	 * omnistock_pos_discount).
	 *
	 * @param array $body Request body.
	 * @return array{location:array, lines:list<array{product:\WC_Product, qty:int, discount:string}>, coupons:list<string>, customer:int, discount:string}
	 * @throws PosError Naming the bad field (PosError::field, a BadInput), or for a discount the user may not give.
	 */
	public function cart( array $body ): array {
		$location_id = Input::integer( $body['location'] ?? null, 'location', 1, PHP_INT_MAX );
		$location    = $this->locations->get( $location_id );
		if ( null === $location ) {
			throw PosError::field( 'location', __( 'no such location', 'omnistock' ) );
		}
		$lines = $body['lines'] ?? null;
		if ( ! is_array( $lines ) || ! array_is_list( $lines ) || ! $lines || count( $lines ) > self::MAX_LINES ) {
			/* translators: %d: most lines */
			throw PosError::field( 'lines', sprintf( __( 'must be a list of 1 to %d lines', 'omnistock' ), self::MAX_LINES ) );
		}
		$out = array();
		foreach ( $lines as $i => $line ) {
			if ( ! is_array( $line ) ) {
				throw PosError::field( "lines[$i]", __( 'must be an object with product and qty', 'omnistock' ) );
			}
			$id      = Input::integer( $line['product'] ?? null, "lines[$i].product", 1, PHP_INT_MAX );
			$product = wc_get_product( $id );
			if ( ! $product instanceof \WC_Product || ! in_array( $product->get_type(), array( 'simple', 'variation' ), true ) || 'publish' !== $product->get_status() || ! $product->is_purchasable() ) {
				throw PosError::field( "lines[$i].product", __( 'no such product for sale (a published simple product or variation with a price)', 'omnistock' ) );
			}
			$discount = '0';
			if ( isset( $line['discount'] ) ) {
				$discount = Money::parse( $line['discount'] );
				if ( null === $discount ) {
					throw PosError::field( "lines[$i].discount", __( 'must be an amount such as "5.00"', 'omnistock' ) );
				}
			}
			$out[] = array(
				'product'  => $product,
				'qty'      => Input::integer( $line['qty'] ?? null, "lines[$i].qty", 1, self::MAX_QUANTITY ),
				'discount' => $discount,
			);
		}
		$coupons = $body['coupons'] ?? array();
		if ( ! is_array( $coupons ) || ! array_is_list( $coupons ) || count( $coupons ) > 20 || array_filter( $coupons, static fn( $c ) => ! is_string( $c ) || '' === trim( $c ) ) ) {
			throw PosError::field( 'coupons', __( 'must be a list of coupon codes', 'omnistock' ) );
		}
		$customer = $body['customer'] ?? null;
		$customer = null === $customer ? 0 : Input::integer( $customer, 'customer', 1, PHP_INT_MAX );
		if ( $customer && ! get_userdata( $customer ) ) {
			throw PosError::field( 'customer', __( 'no such customer', 'omnistock' ) );
		}
		// As for a customer's orders: a staff account is no cashier's customer (its orders, its e-mail).
		if ( $customer && Staff::is_account( $customer ) && ! current_user_can( Capabilities::MANAGE ) ) {
			throw PosError::field( 'customer', __( 'is a staff account, not a customer', 'omnistock' ) );
		}
		$discount = '0';
		if ( isset( $body['discount'] ) ) {
			$discount = Money::parse( $body['discount'] );
			if ( null === $discount ) {
				throw PosError::field( 'discount', __( 'must be an amount such as "5.00"', 'omnistock' ) );
			}
		}
		$discounting = Money::cents( $discount ) > 0 || array_filter( $out, static fn( $l ) => Money::cents( $l['discount'] ) > 0 );
		if ( $discounting && ! current_user_can( Capabilities::POS_DISCOUNT ) ) {
			throw new PosError( 'omnistock_pos_discount_forbidden', __( 'You are not allowed to give discounts at the POS.', 'omnistock' ), Refusal::Forbidden );
		}
		return array(
			'location' => $location,
			'lines'    => $out,
			'coupons'  => array_values( array_unique( array_map( 'wc_format_coupon_code', $coupons ) ) ),
			'customer' => $customer,
			'discount' => $discount,
		);
	}

	/**
	 * Builds the cart's WooCommerce order (saved, pending payment) and has WooCommerce compute
	 * it: line prices, coupons by WooCommerce's rules, fees, taxes at the location's address.
	 *
	 * @param array $cart self::cart().
	 * @throws PosError When a coupon does not apply (its code and WooCommerce's message).
	 */
	public function build( array $cart ): \WC_Order {
		$order = new \WC_Order();
		$order->set_created_via( self::CREATED_VIA );
		$order->set_currency( get_woocommerce_currency() );
		$order->set_prices_include_tax( wc_prices_include_tax() );
		$order->update_meta_data( OrderStock::LOCATION, (string) $cart['location']['id'] );
		if ( $cart['customer'] ) {
			$customer = new \WC_Customer( $cart['customer'] );
			$order->set_customer_id( $cart['customer'] );
			$order->set_billing_first_name( $customer->get_billing_first_name() ? $customer->get_billing_first_name() : $customer->get_first_name() );
			$order->set_billing_last_name( $customer->get_billing_last_name() ? $customer->get_billing_last_name() : $customer->get_last_name() );
			$order->set_billing_email( $customer->get_billing_email() ? $customer->get_billing_email() : $customer->get_email() );
			$order->set_billing_phone( $customer->get_billing_phone() );
		}
		$order->save();
		foreach ( $cart['lines'] as $line ) {
			$args    = array();
			$decided = '';
			if ( Money::cents( $line['discount'] ) > 0 ) {
				// At WooCommerce's rounding precision: a line's tax-exclusive amount keeps more decimals than the shop's.
				$precision = max( MinorUnits::decimals(), function_exists( 'wc_get_rounding_precision' ) ? (int) wc_get_rounding_precision() : 6 );
				$full      = MinorUnits::stored( wc_get_price_excluding_tax( $line['product'], array( 'qty' => $line['qty'] ) ), $precision );
				// The discount is given on the prices as shown; with tax included, its tax-exclusive part comes off.
				$shown = wc_prices_include_tax() ? MinorUnits::stored( wc_get_price_including_tax( $line['product'], array( 'qty' => $line['qty'] ) ), $precision ) : $full;
				$given = MoneyRules::rescale( Money::cents( $line['discount'] ), MinorUnits::decimals(), $precision );
				$off   = MoneyRules::line_discount( $given, $full, $shown, wc_prices_include_tax() );
				$net   = MinorUnits::format( $full - $off, $precision );
				$args  = array(
					'subtotal' => $net,
					'total'    => $net,
				);
				// Decided once, here: quote, sale, receipt and reports read it back (SaleDiscounts::line), whatever the price becomes.
				$decided = MinorUnits::format( MoneyRules::rescale( $off, $precision, MinorUnits::decimals() ), MinorUnits::decimals() );
			}
			$item = $order->get_item( $order->add_product( $line['product'], $line['qty'], $args ), false );
			$item->update_meta_data( OrderStock::LOCATION, (string) $cart['location']['id'] );
			$item->update_meta_data( self::DISCOUNT, $line['discount'] );
			if ( '' !== $decided ) {
				$item->update_meta_data( SaleDiscounts::DECIDED, $decided );
			}
			$item->save();
		}
		if ( Money::cents( $cart['discount'] ) > 0 ) {
			// An order discount is a negative fee: WooCommerce spreads its tax over the order's tax classes.
			$fee = new \WC_Order_Item_Fee();
			$fee->set_name( __( 'POS discount', 'omnistock' ) );
			$fee->set_amount( '-' . $cart['discount'] );
			$fee->set_total( '-' . $cart['discount'] );
			$fee->set_tax_status( 'taxable' );
			$fee->update_meta_data( self::DISCOUNT, $cart['discount'] );
			$order->add_item( $fee );
		}
		$order->calculate_totals( true );
		foreach ( $cart['coupons'] as $code ) {
			$applied = $order->apply_coupon( $code );
			if ( is_wp_error( $applied ) ) {
				self::discard( $order );
				throw new PosError(
					'omnistock_pos_coupon',
					/* translators: 1: coupon code, 2: WooCommerce's reason */
					sprintf( __( 'Coupon "%1$s": %2$s', 'omnistock' ), $code, wp_strip_all_tags( $applied->get_error_message() ) ),
					Refusal::Rule,
					array(
						'coupon' => $code,
						'params' => array( 'coupons' => $code ),
					)
				);
			}
		}
		$order->calculate_totals( true );
		$order->save();
		return $order;
	}

	/**
	 * Removes the order of a sale that did not happen (cancelling first gives back its coupons' usage).
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function discard( \WC_Order $order ): void {
		// WooCommerce counted the coupons' usage with SQL of its own: read them afresh so it can take it back.
		self::forget_coupons( $order->get_coupon_codes() );
		OrderStock::forget( $order );
		$order->set_status( 'cancelled' );
		$order->save();
		$order->delete( true );
	}

	/**
	 * WooCommerce's figures of the order, in the API's shape.
	 *
	 * @param \WC_Order $order The built order.
	 * @param array     $cart  self::cart().
	 */
	public function totals( \WC_Order $order, array $cart ): array {
		$lines    = array();
		$subtotal = 0;
		$discount = 0;
		/**
		 * The product lines (get_items() with no type).
		 *
		 * @var \WC_Order_Item_Product $item
		 */
		foreach ( array_values( $order->get_items() ) as $i => $item ) {
			$product   = $cart['lines'][ $i ]['product'];
			$before    = Money::cents( $item->get_subtotal() ) + SaleDiscounts::line( $item, MinorUnits::decimals() );
			$after     = Money::cents( $item->get_total() );
			$subtotal += $before;
			$discount += $before - $after;
			$lines[]   = array(
				'product'  => $product->get_id(),
				'name'     => $item->get_name(),
				'qty'      => (int) $item->get_quantity(),
				'price'    => Money::format( $product->get_price() ),
				'subtotal' => Money::from_cents( $before ),
				'discount' => Money::from_cents( $before - $after ),
				'tax'      => Money::format( $item->get_total_tax() ),
				'total'    => Money::format( $item->get_total() ),
			);
		}
		foreach ( $order->get_fees() as $fee ) {
			$discount -= min( 0, Money::cents( $fee->get_total() ) );
		}
		$coupons = array();
		/**
		 * The coupon lines.
		 *
		 * @var \WC_Order_Item_Coupon $coupon
		 */
		foreach ( $order->get_items( 'coupon' ) as $coupon ) {
			$coupons[] = array(
				'code'   => $coupon->get_code(),
				'amount' => Money::format( $coupon->get_discount() ),
			);
		}
		return array(
			'lines'    => $lines,
			'subtotal' => Money::from_cents( $subtotal ),
			'discount' => Money::from_cents( $discount ),
			'tax'      => Money::format( $order->get_total_tax() ),
			'total'    => Money::format( $order->get_total() ),
			'coupons'  => $coupons,
		);
	}

	/**
	 * Lines wanting more than is sellable at the location (managed products only).
	 *
	 * @param array $cart self::cart().
	 * @return list<array{product:int, wanted:int, stock_here:int}>
	 */
	public function short( array $cart ): array {
		$wanted = array();
		foreach ( self::stock_lines( $cart ) as list( $managed, , $qty ) ) {
			$wanted[ $managed ] = ( $wanted[ $managed ] ?? 0 ) + $qty;
		}
		$here  = $this->inventory->sellable_at( array_keys( $wanted ), (int) $cart['location']['id'] );
		$short = array();
		foreach ( $cart['lines'] as $line ) {
			$managed = self::managed_by( $line['product'] );
			if ( $managed && $wanted[ $managed ] > $here[ $managed ] ) {
				$short[] = array(
					'product'    => $line['product']->get_id(),
					'wanted'     => $wanted[ $managed ],
					'stock_here' => $here[ $managed ],
				);
			}
		}
		return $short;
	}

	/**
	 * The cart's lines whose stock Omnistock keeps, as [[product whose stock moves, location, qty], ...],
	 * summed by product.
	 *
	 * @param array $cart self::cart().
	 * @return list<array{0:int, 1:int, 2:int}>
	 */
	public static function stock_lines( array $cart ): array {
		$by = array();
		foreach ( $cart['lines'] as $line ) {
			$managed = self::managed_by( $line['product'] );
			if ( $managed ) {
				$by[ $managed ] = ( $by[ $managed ] ?? 0 ) + $line['qty'];
			}
		}
		$location = (int) $cart['location']['id'];
		$lines    = array();
		foreach ( $by as $product => $qty ) {
			$lines[] = array( $product, $location, $qty );
		}
		return $lines;
	}

	/**
	 * The product whose stock a line moves, or 0 when WooCommerce manages no stock for it.
	 *
	 * @param \WC_Product $product Product.
	 */
	private static function managed_by( \WC_Product $product ): int {
		return $product->managing_stock() ? (int) $product->get_stock_managed_by_id() : 0;
	}

	/**
	 * Drops what this request's caches remember of a rolled-back order and of its coupons' usage.
	 *
	 * @param int      $order_id Order id (0 when none was made).
	 * @param string[] $coupons  Coupon codes.
	 */
	private function forget( int $order_id, array $coupons ): void {
		if ( $order_id ) {
			clean_post_cache( $order_id );
			wp_cache_delete( $order_id, 'orders' );
			wp_cache_delete( 'order-items-' . $order_id, 'orders' );
		}
		self::forget_coupons( $coupons );
	}

	/**
	 * Drops the cached data of these coupons (usage counts change by direct SQL).
	 *
	 * @param string[] $coupons Coupon codes.
	 */
	private static function forget_coupons( array $coupons ): void {
		foreach ( $coupons as $code ) {
			$coupon_id = wc_get_coupon_id_by_code( $code );
			if ( $coupon_id ) {
				clean_post_cache( $coupon_id );
			}
		}
	}
}
