<?php
/**
 * A database statement failed: nothing of the operation was applied.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown with the database's own message; the transaction was rolled back.
 */
final class StorageError extends \RuntimeException {
}
