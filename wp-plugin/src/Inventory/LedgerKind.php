<?php
/**
 * Kinds of ledger rows that are not events a client sends.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Known to the service that writes them and to the fold that skips them, so neither imports the other.
 */
final class LedgerKind {

	/**
	 * A record of units wanted and not there (Inventory::record_short()): moves no level.
	 */
	public const SHORT = 'short';
}
