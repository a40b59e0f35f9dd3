<?php
/**
 * The stock state of an order in Omnistock, owned by OrderStock.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * Where an order's units stand. The values are the ones stored in the order meta
 * `_omnistock_state` (named in Omnistock\Meta): they must never change. An order with no state holds nothing.
 */
enum OrderStockState: string {

	/** Checkout holds its units for the shop's hold minutes. */
	case Held = 'held';
	/** Paid: its units are committed at their locations. */
	case Committed = 'committed';
	/** Paid, but its units were gone: nothing taken, the order is on hold. */
	case Short = 'short';
	/** Its units left on_hand (completed, or sold at the POS). */
	case Fulfilled = 'fulfilled';
	/** Cancelled or failed: its hold or commitment was given back. */
	case Released = 'released';

	/**
	 * Past the hold: payment has nothing more to commit.
	 */
	public function is_past_hold(): bool {
		return self::Held !== $this;
	}

	/**
	 * Done with stock: completion has nothing more to fulfil.
	 */
	public function is_final(): bool {
		return self::Fulfilled === $this || self::Released === $this;
	}
}
