<?php
/**
 * The money vectors (tests/lib/money-vectors.json) against the plugin's MinorUnits and MoneyRules:
 * the POS app's money.js and payment-rules.js are checked against the same file (money.test.js).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Pos\MinorUnits;
use Omnistock\Pos\MoneyRules;

final class MoneyVectorsTest extends \PHPUnit\Framework\TestCase {

	/**
	 * One section of the vectors.
	 *
	 * @param string $section Its name.
	 */
	private static function vectors( string $section ): array {
		$all = json_decode( (string) file_get_contents( dirname( __DIR__ ) . '/lib/money-vectors.json' ), true, 512, JSON_THROW_ON_ERROR );
		return array_map( static fn( array $v ) => array( $v ), $all[ $section ] );
	}

	public static function to_minor(): array {
		return self::vectors( 'to_minor' );
	}

	/**
	 * @dataProvider to_minor
	 */
	public function test_amounts_become_minor_units_rounded_half_away_from_zero_on_their_digits( array $v ): void {
		$this->assertSame( $v['minor'], MinorUnits::stored( $v['amount'], $v['decimals'] ), var_export( $v['amount'], true ) );
	}

	public static function format(): array {
		return self::vectors( 'format' );
	}

	/**
	 * @dataProvider format
	 */
	public function test_minor_units_are_written_with_the_shops_decimals( array $v ): void {
		$this->assertSame( $v['text'], MinorUnits::format( $v['minor'], $v['decimals'] ) );
		$this->assertSame( $v['minor'], MinorUnits::parse( $v['text'], $v['decimals'], 'amount' ), 'and read back' );
	}

	public static function tender(): array {
		return self::vectors( 'tender' );
	}

	/**
	 * @dataProvider tender
	 */
	public function test_the_tender_gives_cash_kept_change_and_what_is_missing( array $v ): void {
		$this->assertSame(
			array(
				'cash_due'  => $v['cash_due'],
				'cash_kept' => $v['cash_kept'],
				'change'    => $v['change'],
				'short'     => $v['short'],
			),
			MoneyRules::tender( $v['total'], $v['card'], $v['cash_given'] )
		);
	}

	public static function exclusive_part(): array {
		return self::vectors( 'exclusive_part' );
	}

	/**
	 * @dataProvider exclusive_part
	 */
	public function test_the_tax_exclusive_part_of_an_amount_is_rounded_half_away_from_zero( array $v ): void {
		$this->assertSame( $v['result'], MoneyRules::exclusive_part( $v['amount'], $v['exclusive'], $v['inclusive'] ) );
	}

	public static function line_discount(): array {
		return self::vectors( 'line_discount' );
	}

	/**
	 * @dataProvider line_discount
	 */
	public function test_a_line_discount_before_tax_never_exceeds_the_line( array $v ): void {
		$this->assertSame( $v['result'], MoneyRules::line_discount( $v['given'], $v['exclusive'], $v['inclusive'], $v['includes_tax'] ) );
	}

	public function test_amounts_move_between_precisions_and_beyond_an_integer_are_refused(): void {
		$this->assertSame( 12500000, MoneyRules::rescale( 1250, 2, 6 ) );
		$this->assertSame( 1250, MoneyRules::rescale( 12495000, 6, 2 ) );
		$this->assertSame( -1250, MoneyRules::rescale( -12495000, 6, 2 ) );
		$this->assertSame( 1249, MoneyRules::rescale( 12494999, 6, 2 ) );
		$this->assertSame( 1250, MoneyRules::rescale( 1250, 2, 2 ) );
		$this->assertSame( 6148914691236517205, MoneyRules::exclusive_part( PHP_INT_MAX, 2, 3 ), 'A × B past PHP_INT_MAX, exact' );
		$this->expectException( \OverflowException::class );
		MoneyRules::exclusive_part( PHP_INT_MAX, 3, 2 );
	}

	public function test_an_amount_too_long_for_an_integer_is_refused_naming_its_field_not_a_500(): void {
		// 13 integer digits and 6 decimals are 19 digits of minor units: past PHP_INT_MAX as a float.
		$this->assertSame( 999999999999000000, MinorUnits::parse( '999999999999', 6, 'amount' ) );
		foreach ( array( array( '9999999999999', 6 ), array( '9999999999999.5', 6 ), array( '9999999999999', 2 ) ) as list( $amount, $decimals ) ) {
			try {
				$minor = MinorUnits::parse( $amount, $decimals, 'amount' );
				$this->assertLessThanOrEqual( PHP_INT_MAX, $minor, "$amount at $decimals decimals" );
				$this->assertSame( 2, $decimals, 'only a shop with few decimals holds it' );
			} catch ( \Omnistock\Pos\InvalidInput $e ) {
				$this->assertSame( 'amount', $e->field );
				$this->assertSame( 6, $decimals );
			}
		}
	}
}
