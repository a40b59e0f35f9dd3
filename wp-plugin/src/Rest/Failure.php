<?php
/**
 * How the REST API answers the plugin's errors: the one place that knows their HTTP statuses.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Error;
use Omnistock\Inventory\StorageError;
use Omnistock\Refusal;
use Omnistock\Refused;
use Omnistock\Unavailable;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * BadInput 400 naming the field (data.params and data.field); Refused 400, 403, 404 or 409 by its
 * reason; Unavailable 503, or 502 when a service the plugin relies on failed. A storage failure or
 * the extension's (a lock wait timed out, the segment is full) carries no message for a person:
 * the answer says that nothing was changed.
 */
final class Failure {

	/**
	 * The answer to an error.
	 *
	 * @param Error|\Omnistock\Exception $e           The plugin's error, or the extension's.
	 * @param string                     $unavailable What to say when the storage or the extension failed.
	 */
	public static function answer( Error|\Omnistock\Exception $e, string $unavailable ): WP_Error {
		if ( $e instanceof StorageError || $e instanceof \Omnistock\Exception ) {
			return new WP_Error( 'omnistock_unavailable', $unavailable, array( 'status' => 503 ) );
		}
		return new WP_Error( $e->error_code(), $e->getMessage(), array( 'status' => self::status( $e ) ) + $e->details() );
	}

	/**
	 * The HTTP status of an error's kind.
	 *
	 * @param Error $e The error.
	 */
	public static function status( Error $e ): int {
		if ( $e instanceof Refused ) {
			return match ( $e->reason ) {
				Refusal::Rule      => 400,
				Refusal::Forbidden => 403,
				Refusal::NotFound  => 404,
				Refusal::Conflict  => 409,
				Refusal::Reused    => 422,
				Refusal::TooMany   => 429,
			};
		}
		if ( $e instanceof Unavailable ) {
			return $e->upstream ? 502 : 503;
		}
		return 400; // BadInput, and any kind to come: the caller's to fix.
	}
}
