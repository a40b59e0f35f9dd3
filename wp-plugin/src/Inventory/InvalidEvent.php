<?php
/**
 * A malformed event or line: names the offending field; nothing of the batch was applied.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The caller's mistake, with the path of the field ("events[3].qty"): the inventory's BadInput.
 */
final class InvalidEvent extends \Omnistock\BadInput {
}
