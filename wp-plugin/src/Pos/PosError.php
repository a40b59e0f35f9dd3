<?php
/**
 * A POS request that cannot be served: becomes the REST API's WP_Error.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Carries the error code, the HTTP status and the data (e.g. the field named in `params`).
 */
final class PosError extends \RuntimeException {

	/**
	 * Builds it.
	 *
	 * @param string $error_code Error code (e.g. omnistock_pos_short).
	 * @param string $message    Message for the cashier.
	 * @param int    $status     HTTP status.
	 * @param array  $data       More data (params, short, ...).
	 */
	public function __construct( public readonly string $error_code, string $message, public readonly int $status = 400, public readonly array $data = array() ) {
		parent::__construct( $message );
	}

	/**
	 * A bad field, named in data.params as WordPress's own validation does.
	 *
	 * @param string $field   Field name (e.g. "lines[2].qty").
	 * @param string $problem What is wrong with it.
	 */
	public static function field( string $field, string $problem ): self {
		return new self( 'rest_invalid_param', sprintf( '%s: %s', $field, $problem ), 400, array( 'params' => array( $field => $problem ) ) );
	}

	/**
	 * As the REST API's WP_Error.
	 */
	public function to_wp_error(): \WP_Error {
		return new \WP_Error( $this->error_code, $this->getMessage(), array( 'status' => $this->status ) + $this->data );
	}
}
