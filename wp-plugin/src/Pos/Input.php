<?php
/**
 * Checks of the values a POS client sends, shared by the REST controllers and the POS services.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Each check returns the value in its type or throws the BadInput that names the field.
 */
final class Input {

	/**
	 * An integer parameter within bounds.
	 *
	 * @param mixed  $value Input.
	 * @param string $field Its name.
	 * @param int    $min   Least value.
	 * @param int    $max   Greatest value.
	 * @throws PosError When it is not one (PosError::field, a BadInput).
	 */
	public static function integer( mixed $value, string $field, int $min, int $max ): int {
		$number = is_int( $value ) ? $value : ( is_string( $value ) && preg_match( '/^-?\d{1,18}$/', $value ) ? (int) $value : null );
		if ( null === $number || $number < $min || $number > $max ) {
			/* translators: 1: least value, 2: greatest value */
			throw PosError::field( $field, sprintf( __( 'must be an integer from %1$d to %2$d', 'omnistock' ), $min, $max ) );
		}
		return $number;
	}
}
