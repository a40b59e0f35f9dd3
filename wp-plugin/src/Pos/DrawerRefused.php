<?php
/**
 * A drawer request that the state of the drawer does not allow (a second open session, a closed session).
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Becomes a WP_Error with its code and HTTP status.
 */
final class DrawerRefused extends \RuntimeException {

	/**
	 * The error code, message and status.
	 *
	 * @param string $error_code Machine-readable code (omnistock_pos_…).
	 * @param string $message    For a person.
	 * @param int    $status     HTTP status.
	 * @param array  $data       More data for the error.
	 */
	public function __construct( public readonly string $error_code, string $message, public readonly int $status, public readonly array $data = array() ) {
		parent::__construct( $message );
	}
}
