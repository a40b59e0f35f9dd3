<?php
/**
 * Money as whole minor units (cents): exact sums, no float drift.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Decimal strings in, integers inside, decimal strings with the shop's decimals out.
 */
final class MinorUnits {

	/** Integer digits accepted: beyond this, an amount is not a till's. */
	private const MAX_INTEGER_DIGITS = 13;

	/**
	 * The shop's price decimals (WooCommerce's setting; 2 without it).
	 */
	public static function decimals(): int {
		return function_exists( 'wc_get_price_decimals' ) ? max( 0, min( 6, (int) wc_get_price_decimals() ) ) : 2;
	}

	/**
	 * A caller's amount ("12.50", "12.5", 12, 12.5) in minor units; more decimals than the shop has,
	 * unless they are zeros, is refused rather than rounded.
	 *
	 * @param mixed  $value    The amount.
	 * @param int    $decimals The shop's decimals.
	 * @param string $field    The field, for the message.
	 * @throws InvalidInput Naming the field.
	 */
	public static function parse( mixed $value, int $decimals, string $field ): int {
		$text = self::text( $value );
		if ( null === $text || ! preg_match( '/^(-?)(\d{1,' . self::MAX_INTEGER_DIGITS . '})(?:\.(\d+))?$/', $text, $m ) ) {
			/* translators: %s: field name */
			throw new InvalidInput( $field, sprintf( __( '%s must be an amount such as "12.50".', 'omnistock' ), $field ) );
		}
		// 18 digits in all fit a 64-bit integer: beyond, the sum would turn into a float.
		if ( strlen( $m[2] ) + $decimals > 18 ) {
			/* translators: %s: field name */
			throw new InvalidInput( $field, sprintf( __( '%s must be an amount such as "12.50".', 'omnistock' ), $field ) );
		}
		$fraction = $m[3] ?? '';
		if ( strlen( rtrim( $fraction, '0' ) ) > $decimals ) {
			/* translators: 1: field name, 2: number of decimals */
			throw new InvalidInput( $field, sprintf( __( '%1$s has more than %2$d decimals.', 'omnistock' ), $field, $decimals ) );
		}
		$minor = (int) $m[2] * 10 ** $decimals + (int) str_pad( substr( $fraction, 0, $decimals ), $decimals, '0' );
		return '-' === $m[1] ? -$minor : $minor;
	}

	/**
	 * An amount WooCommerce stored ("12.5", "1.904", "", a float) in minor units, rounded half away
	 * from zero on its decimal digits (never through a float).
	 *
	 * @param mixed $value    The stored amount.
	 * @param int   $decimals The shop's decimals.
	 */
	public static function stored( mixed $value, int $decimals ): int {
		$text = self::text( $value );
		if ( null === $text || '' === $text ) {
			return 0;
		}
		if ( ! preg_match( '/^([-+]?)(\d*)(?:\.(\d*))?$/', $text, $m ) || '' === $m[2] . ( $m[3] ?? '' ) ) {
			return 0;
		}
		$fraction = str_pad( $m[3] ?? '', $decimals + 1, '0' );
		$minor    = (int) ( '' === $m[2] ? '0' : $m[2] ) * 10 ** $decimals + (int) ( $decimals > 0 ? substr( $fraction, 0, $decimals ) : '0' );
		if ( (int) $fraction[ $decimals ] >= 5 ) {
			++$minor;
		}
		return '-' === $m[1] ? -$minor : $minor;
	}

	/**
	 * Minor units as a decimal string with the shop's decimals: 1250 → "12.50", -5 → "-0.05".
	 *
	 * @param int $minor    Minor units.
	 * @param int $decimals The shop's decimals.
	 */
	public static function format( int $minor, int $decimals ): string {
		$sign   = $minor < 0 ? '-' : '';
		$digits = str_pad( (string) abs( $minor ), $decimals + 1, '0', STR_PAD_LEFT );
		if ( 0 === $decimals ) {
			return $sign . $digits;
		}
		return $sign . substr( $digits, 0, -$decimals ) . '.' . substr( $digits, -$decimals );
	}

	/**
	 * The text of a scalar amount; floats through their shortest exact-enough decimal form.
	 *
	 * @param mixed $value Value.
	 */
	private static function text( mixed $value ): ?string {
		if ( is_int( $value ) ) {
			return (string) $value;
		}
		if ( is_float( $value ) ) {
			if ( ! is_finite( $value ) ) {
				return null;
			}
			// Ten decimals keep what a JSON number meant (0.1 → "0.1000000000") and drop binary noise.
			return rtrim( rtrim( sprintf( '%.10F', $value ), '0' ), '.' );
		}
		return is_string( $value ) ? trim( $value ) : null;
	}
}
