<?php
/**
 * Internal: a hold or conditional sale found too few sellable units; the transaction rolls back.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Carries the short lines out of the transaction; callers turn it into ['ok' => false, 'short' => ...].
 */
final class HoldRefused extends \Omnistock\Refused {

	/**
	 * Carries the short lines.
	 *
	 * @param list<array{product:int, location:int, wanted:int, sellable:int}> $short Lines that were short.
	 */
	public function __construct( public readonly array $short ) {
		parent::__construct( 'omnistock_short', 'Not enough sellable stock.', \Omnistock\Refusal::Conflict, array( 'short' => $short ) );
	}
}
