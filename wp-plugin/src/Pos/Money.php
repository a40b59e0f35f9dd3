<?php
/**
 * Money as the POS API speaks it: decimal strings with the shop's decimals.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Formatting, parsing and exact arithmetic in the currency's smallest unit, with the shop's
 * decimals; the digits are MinorUnits' (never through a float).
 */
final class Money {

	/**
	 * A decimal string with the shop's decimals ("12.50").
	 *
	 * @param float|int|string $amount Amount.
	 */
	public static function format( float|int|string $amount ): string {
		return self::from_cents( self::cents( $amount ) );
	}

	/**
	 * Minor units (cents) of an amount.
	 *
	 * @param float|int|string $amount Amount.
	 */
	public static function cents( float|int|string $amount ): int {
		return MinorUnits::stored( $amount, wc_get_price_decimals() );
	}

	/**
	 * A decimal string from minor units.
	 *
	 * @param int $cents Minor units.
	 */
	public static function from_cents( int $cents ): string {
		return MinorUnits::format( $cents, wc_get_price_decimals() );
	}

	/**
	 * Parses a non-negative amount given by a client ("5", "5.00", 5); null when it is not one.
	 *
	 * @param mixed $value Input.
	 */
	public static function parse( mixed $value ): ?string {
		if ( is_int( $value ) || is_float( $value ) ) {
			$value = (string) $value;
		}
		if ( ! is_string( $value ) || ! preg_match( '/^\d{1,12}(\.\d{1,' . max( 1, wc_get_price_decimals() ) . '})?$/', trim( $value ) ) ) {
			return null;
		}
		return self::format( trim( $value ) );
	}
}
