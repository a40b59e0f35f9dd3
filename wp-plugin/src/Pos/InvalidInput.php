<?php
/**
 * A caller's field that cannot be used.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * The drawer's BadInput: its message is a whole sentence, and is also what params says of the field.
 */
final class InvalidInput extends \Omnistock\BadInput {

	/**
	 * The field and the message.
	 *
	 * @param string $field   The field (e.g. "float").
	 * @param string $message What is wrong, for a person.
	 */
	public function __construct( string $field, string $message ) {
		parent::__construct( $field, $message, $message );
	}
}
