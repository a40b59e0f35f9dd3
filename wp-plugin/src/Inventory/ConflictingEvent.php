<?php
/**
 * An event id already recorded with other content: the same key for another request.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The caller reused an id (an idempotency key) for a different event; nothing was applied.
 */
final class ConflictingEvent extends \RuntimeException {

	/**
	 * Names the field and the id.
	 *
	 * @param string $field Path of the id ("events[3].id").
	 * @param string $id    The id.
	 */
	public function __construct( public readonly string $field, public readonly string $id ) {
		parent::__construct( $field . ': ' . $id );
	}
}
