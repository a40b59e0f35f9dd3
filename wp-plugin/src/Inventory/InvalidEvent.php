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

	/**
	 * Names the field and the problem.
	 *
	 * @param string $field   Path of the offending field.
	 * @param string $problem What is wrong with it.
	 */
	public function __construct( string $field, string $problem ) {
		parent::__construct( $field, $problem );
	}
}
