<?php
/**
 * The POS's money rules, once: the change of a tender and the share of a discount given on
 * tax-inclusive prices. Integers in (minor units), integers out; no floats.
 *
 * The POS app mirrors these rules in assets/pos/src/money.js and payment-rules.js; the vectors in
 * tests/lib/money-vectors.json are checked against both, so the two cannot drift apart.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Quote, sale, receipt, drawer and reports call these; the app's screen the JS mirror.
 */
final class MoneyRules {

	/**
	 * What a till does with a tender: the cash the order still owes after the card payments,
	 * the cash kept of what was handed over, the change given back and what is still missing.
	 *
	 * Cards paying more than the total owe no cash; cash handed over beyond the cash due is change.
	 *
	 * @param int $total      The order's total.
	 * @param int $card       The card (non-cash) payments, summed.
	 * @param int $cash_given The cash handed over, summed.
	 * @return array{cash_due: int, cash_kept: int, change: int, short: int}
	 */
	public static function tender( int $total, int $card, int $cash_given ): array {
		$cash_due  = max( 0, $total - $card );
		$cash_kept = max( 0, min( $cash_given, $cash_due ) );
		return array(
			'cash_due'  => $cash_due,
			'cash_kept' => $cash_kept,
			'change'    => $cash_given - $cash_kept,
			'short'     => $cash_due - $cash_kept,
		);
	}

	/**
	 * The tax-exclusive part of an amount given on tax-inclusive prices: amount × exclusive ÷
	 * inclusive, rounded half away from zero; the whole amount when there is no inclusive price.
	 * With the figures at a finer precision (more decimals), the result is at that precision too.
	 *
	 * @param int $amount    The amount as given (on the prices as shown, tax included).
	 * @param int $exclusive The price the amount is taken off, without tax.
	 * @param int $inclusive The same price with tax.
	 */
	public static function exclusive_part( int $amount, int $exclusive, int $inclusive ): int {
		return $inclusive > 0 ? self::scale( $amount, $exclusive, $inclusive ) : $amount;
	}

	/**
	 * A line's discount on the amounts before tax: the amount as given when prices exclude tax,
	 * its tax-exclusive part when they include it; never more than the line's amount before tax.
	 *
	 * @param int  $given        The discount as the cashier gave it (on the prices as shown).
	 * @param int  $exclusive    The line's amount before tax (before the discount).
	 * @param int  $inclusive    The line's amount with tax (before the discount).
	 * @param bool $includes_tax Whether the shop shows prices with tax.
	 */
	public static function line_discount( int $given, int $exclusive, int $inclusive, bool $includes_tax ): int {
		if ( $given <= 0 ) {
			return 0;
		}
		$off = $includes_tax ? self::exclusive_part( $given, $exclusive, $inclusive ) : $given;
		return min( $off, max( 0, $exclusive ) );
	}

	/**
	 * Minor units at another number of decimals: 1250 at 2 → 1250000 at 6; down, rounded half away from zero.
	 *
	 * @param int $minor The amount.
	 * @param int $from  Its decimals.
	 * @param int $to    The decimals wanted.
	 */
	public static function rescale( int $minor, int $from, int $to ): int {
		return $to >= $from ? self::scale( $minor, 10 ** ( $to - $from ), 1 ) : self::scale( $minor, 1, 10 ** ( $from - $to ) );
	}

	/**
	 * A × B ÷ C rounded half away from zero, exactly (C > 0), though A × B may pass PHP_INT_MAX:
	 * long multiplication bit by bit, keeping quotient and remainder of C (no bcmath or GMP here).
	 *
	 * @param int $a A.
	 * @param int $b B.
	 * @param int $c C, positive.
	 * @throws \OverflowException When the result does not fit an integer: no till's amount does that.
	 */
	private static function scale( int $a, int $b, int $c ): int {
		if ( $c <= 0 || $c > PHP_INT_MAX >> 1 || PHP_INT_MIN === $a || PHP_INT_MIN === $b ) {
			throw new \OverflowException( 'amount out of range' );
		}
		$x    = abs( $a );
		$y    = abs( $b );
		$step = intdiv( $x, $c );
		$part = $x % $c;
		$q    = 0;
		$r    = 0;
		for ( $bit = 62; $bit >= 0; --$bit ) {
			if ( $q > PHP_INT_MAX >> 1 ) {
				throw new \OverflowException( 'amount out of range' );
			}
			$q <<= 1;
			$r <<= 1;
			if ( $r >= $c ) {
				$r -= $c;
				++$q;
			}
			if ( ( $y >> $bit ) & 1 ) {
				if ( $q > PHP_INT_MAX - $step - 1 ) {
					throw new \OverflowException( 'amount out of range' );
				}
				$q += $step;
				$r += $part;
				if ( $r >= $c ) {
					$r -= $c;
					++$q;
				}
			}
		}
		if ( $r >= $c - $r && $r > 0 ) {
			++$q;
		}
		return ( $a < 0 ) !== ( $b < 0 ) ? -$q : $q;
	}
}
