<?php
/**
 * The discounts of a POS order, all three kinds the sales route gives: coupons (WooCommerce's
 * discount), line discounts (meta `_omnistock_discount` on a line whose amounts were lowered) and
 * the order discount (a negative fee with that meta).
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Amounts before tax, in minor units.
 */
final class SaleDiscounts {

	public const META    = \Omnistock\Meta::LINE_DISCOUNT;
	public const DECIDED = \Omnistock\Meta::LINE_DISCOUNT_NET;

	/**
	 * The discounts of an order.
	 *
	 * @param \WC_Order $order    A POS order.
	 * @param int       $decimals The shop's decimals.
	 * @return array{coupons: int, lines: int, order: int, total: int}
	 */
	public static function of( \WC_Order $order, int $decimals ): array {
		$lines = 0;
		foreach ( $order->get_items() as $item ) {
			if ( $item instanceof \WC_Order_Item_Product ) {
				$lines += self::line( $item, $decimals );
			}
		}
		$fees = 0;
		foreach ( $order->get_fees() as $fee ) {
			$amount = MinorUnits::stored( $fee->get_total( 'edit' ), $decimals );
			if ( $amount < 0 ) {
				$fees -= $amount;
			}
		}
		$coupons = MinorUnits::stored( $order->get_discount_total( 'edit' ), $decimals );
		return array(
			'coupons' => $coupons,
			'lines'   => $lines,
			'order'   => $fees,
			'total'   => $coupons + $lines + $fees,
		);
	}

	/**
	 * The discount given on a line by hand, before tax: the amount Quote::build() decided when it
	 * lowered the line (DECIDED), the one reading quote, sale, receipt, reports and screen share.
	 *
	 * Lines built before that was stored have only the amount as the cashier typed it, on prices as
	 * the shop shows them: with prices including tax, its tax-exclusive part in the proportion of
	 * the line's stored amounts (never the product's price of today, which may have changed).
	 *
	 * @param \WC_Order_Item_Product $item     Line.
	 * @param int                    $decimals The shop's decimals.
	 */
	public static function line( \WC_Order_Item_Product $item, int $decimals ): int {
		$decided = $item->get_meta( self::DECIDED );
		if ( '' !== $decided ) {
			return max( 0, MinorUnits::stored( $decided, $decimals ) );
		}
		$given = MinorUnits::stored( $item->get_meta( self::META ), $decimals );
		if ( $given <= 0 ) {
			return 0;
		}
		if ( ! wc_prices_include_tax() ) {
			return $given;
		}
		$subtotal = MinorUnits::stored( $item->get_subtotal( 'edit' ), $decimals );
		$with_tax = $subtotal + MinorUnits::stored( $item->get_subtotal_tax( 'edit' ), $decimals );
		return MoneyRules::exclusive_part( $given, $subtotal, $with_tax );
	}
}
