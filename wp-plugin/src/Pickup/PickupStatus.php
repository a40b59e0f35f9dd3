<?php
/**
 * Where a pickup order stands.
 *
 * @package Omnistock
 */

namespace Omnistock\Pickup;

defined( 'ABSPATH' ) || exit;

/**
 * The order meta Meta::PICKUP_STATUS. new → preparing → ready → collected; new → ready; new,
 * preparing, ready → cancelled. Nothing else.
 */
enum PickupStatus: string {

	/** Paid, waiting for the store. */
	case New = 'new';
	/** The store is picking it. */
	case Preparing = 'preparing';
	/** On the shelf; the shopper has the code. */
	case Ready = 'ready';
	/** Handed over. */
	case Collected = 'collected';
	/** Cancelled by staff or as a no-show. */
	case Cancelled = 'cancelled';

	/**
	 * Whether this status may become $to (the same status is not a transition: callers treat it as a no-op).
	 *
	 * @param PickupStatus $to The next status.
	 */
	public function may_become( PickupStatus $to ): bool {
		return match ( $this ) {
			self::New       => in_array( $to, array( self::Preparing, self::Ready, self::Cancelled ), true ),
			self::Preparing => in_array( $to, array( self::Ready, self::Cancelled ), true ),
			self::Ready     => in_array( $to, array( self::Collected, self::Cancelled ), true ),
			default         => false,
		};
	}

	/**
	 * Whether the order still waits for its shopper (the desk's default list).
	 */
	public function is_open(): bool {
		return in_array( $this, array( self::New, self::Preparing, self::Ready ), true );
	}
}
