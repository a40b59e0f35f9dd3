<?php
/**
 * A caller's field that cannot be used.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Becomes a 400 naming the field.
 */
final class InvalidInput extends \InvalidArgumentException {

	/**
	 * The field and the message.
	 *
	 * @param string $field   The field (e.g. "float").
	 * @param string $message What is wrong, for a person.
	 */
	public function __construct( public readonly string $field, string $message ) {
		parent::__construct( $message );
	}
}
