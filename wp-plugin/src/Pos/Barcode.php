<?php
/**
 * The receipt's barcode: the order number in Code 39, drawn as SVG (a hand scanner reads it back
 * into the POS's order search as typed text).
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Code 39 of digits: each character is nine elements (bar, space, …, bar), three of them wide;
 * characters are separated by one narrow space and framed by the start/stop character `*`.
 */
final class Barcode {

	/** Character => its nine elements, 1 wide and 0 narrow (bar first). */
	private const PATTERNS = array(
		'0' => '000110100',
		'1' => '100100001',
		'2' => '001100001',
		'3' => '101100000',
		'4' => '000110001',
		'5' => '100110000',
		'6' => '001110000',
		'7' => '000100101',
		'8' => '100100100',
		'9' => '001100100',
		'*' => '010010100',
	);

	private const NARROW = 2;
	private const WIDE   = 5;
	private const HEIGHT = 48;

	/**
	 * Private: static functions only.
	 */
	private function __construct() {
	}

	/**
	 * The bars of a text of digits: [x, width] of each bar, and the whole width.
	 *
	 * @param string $digits Digits only.
	 * @return array{bars: list<array{0:int, 1:int}>, width: int}
	 * @throws \InvalidArgumentException Another character.
	 */
	public static function bars( string $digits ): array {
		if ( ! preg_match( '/^\d{1,20}$/', $digits ) ) {
			throw new \InvalidArgumentException( 'Barcode::bars(): digits only, 1 to 20' );
		}
		$x    = 10 * self::NARROW; // Quiet zone.
		$bars = array();
		foreach ( str_split( '*' . $digits . '*' ) as $char ) {
			foreach ( str_split( self::PATTERNS[ $char ] ) as $i => $wide ) {
				$w = '1' === $wide ? self::WIDE : self::NARROW;
				if ( 0 === $i % 2 ) {
					$bars[] = array( $x, $w );
				}
				$x += $w;
			}
			$x += self::NARROW;
		}
		return array(
			'bars'  => $bars,
			'width' => $x + 10 * self::NARROW,
		);
	}

	/**
	 * The barcode as an inline SVG, with the text under it.
	 *
	 * @param string $digits Digits only.
	 */
	public static function svg( string $digits ): string {
		$code  = self::bars( $digits );
		$rects = '';
		foreach ( $code['bars'] as list( $x, $w ) ) {
			$rects .= '<rect x="' . (int) $x . '" y="0" width="' . (int) $w . '" height="' . self::HEIGHT . '"/>';
		}
		return '<svg class="barcode" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="' . esc_attr( $digits ) . '" data-code="' . esc_attr( $digits ) . '" viewBox="0 0 ' . (int) $code['width'] . ' ' . self::HEIGHT . '" width="' . (int) $code['width'] . '" height="' . self::HEIGHT . '" style="max-width:100%;height:auto" fill="#000">' . $rects . '</svg>';
	}
}
