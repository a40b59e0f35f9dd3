<?php
/**
 * The code a shopper shows at the desk.
 *
 * @package Omnistock
 */

namespace Omnistock\Pickup;

defined( 'ABSPATH' ) || exit;

/**
 * Six digits, stored only as a keyed hash bound to the order: staff, notes and REST never see it.
 */
final class PickupCode {

	/**
	 * A new code.
	 */
	public static function make(): string {
		return sprintf( '%06d', random_int( 0, 999999 ) );
	}

	/**
	 * What is stored for the code of an order.
	 *
	 * @param int    $order Order id.
	 * @param string $code  The code.
	 */
	public static function hash( int $order, string $code ): string {
		return hash_hmac( 'sha256', $order . ':' . $code, wp_salt( 'auth' ) );
	}

	/**
	 * Whether $code is the order's code, in constant time.
	 *
	 * @param int    $order  Order id.
	 * @param string $stored What was stored.
	 * @param string $code   What the shopper said.
	 */
	public static function matches( int $order, string $stored, string $code ): bool {
		return '' !== $stored && preg_match( '/^\d{6}$/', $code ) && hash_equals( $stored, self::hash( $order, $code ) );
	}
}
