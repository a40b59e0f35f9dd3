<?php
/**
 * Where a shipment stands.
 *
 * @package Omnistock
 */

namespace Omnistock\Fulfilment;

defined( 'ABSPATH' ) || exit;

/**
 * A shipment's `status`. new → picked → packed → shipped; new, picked, packed → rejected or closed. Nothing else.
 */
enum ShipmentStatus: string {

	/** The order is paid; the store has not started. */
	case New = 'new';
	/** Every unit of the pick list is in hand. */
	case Picked = 'picked';
	/** In its box, with its packing slip. */
	case Packed = 'packed';
	/** Handed to the carrier, with a tracking number. */
	case Shipped = 'shipped';
	/** The store could not fulfil it (damaged, not on the shelf): re-routed, or left to staff. */
	case Rejected = 'rejected';
	/** The order left the store's queue another way (completed, cancelled, refunded or failed in wp-admin): nothing to ship. */
	case Closed = 'closed';

	/**
	 * Whether this status may become $to (the same status is not a transition: callers treat it as a no-op).
	 *
	 * @param ShipmentStatus $to The next status.
	 */
	public function may_become( ShipmentStatus $to ): bool {
		return match ( $this ) {
			self::New    => in_array( $to, array( self::Picked, self::Rejected, self::Closed ), true ),
			self::Picked => in_array( $to, array( self::Packed, self::Rejected, self::Closed ), true ),
			self::Packed => in_array( $to, array( self::Shipped, self::Rejected, self::Closed ), true ),
			default      => false,
		};
	}

	/**
	 * Whether the store still has work on it (the queue's default list).
	 */
	public function is_open(): bool {
		return in_array( $this, array( self::New, self::Picked, self::Packed ), true );
	}
}
