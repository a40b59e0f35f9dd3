<?php
/**
 * A database statement failed: nothing of the operation was applied.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown with the database's own message (for logs, not for people); the transaction was rolled back.
 */
final class StorageError extends \Omnistock\Unavailable {

	/**
	 * The database's message and error number.
	 *
	 * @param string $message The database's own message.
	 * @param int    $code    Its error number (Database retries deadlocks and lock waits).
	 */
	public function __construct( string $message, int $code = 0 ) {
		parent::__construct( 'omnistock_unavailable', $message, false, $code );
	}
}
