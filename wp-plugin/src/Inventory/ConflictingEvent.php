<?php
/**
 * An event id already recorded with other content: the same key for another request.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

use Omnistock\Refusal;
use Omnistock\Refused;

defined( 'ABSPATH' ) || exit;

/**
 * The caller reused an id (an idempotency key) for a different event; nothing was applied.
 */
final class ConflictingEvent extends Refused {

	/**
	 * Names the field and the id.
	 *
	 * @param string $field Path of the id ("events[3].id").
	 * @param string $id    The id.
	 */
	public function __construct( public readonly string $field, public readonly string $id ) {
		parent::__construct(
			'omnistock_idempotency_conflict',
			/* translators: %s: field path */
			sprintf( __( '%s: this id was already recorded for a different event; use a new id for a new event.', 'omnistock' ), $field ),
			Refusal::Reused,
			array( 'field' => $field )
		);
	}
}
