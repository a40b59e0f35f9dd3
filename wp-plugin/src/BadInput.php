<?php
/**
 * The caller's mistake: a field that cannot be used.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Names the field ("events[3].qty") and what is wrong with it; nothing was changed.
 */
class BadInput extends \InvalidArgumentException implements Error {

	/**
	 * Names the field and the problem.
	 *
	 * @param string      $field      Path of the offending field.
	 * @param string      $problem    What is wrong with it.
	 * @param string|null $message    For a person; "field: problem" when null.
	 * @param string      $error_code Machine-readable code.
	 */
	public function __construct( public readonly string $field, public readonly string $problem, ?string $message = null, private readonly string $error_code = 'omnistock_invalid' ) {
		parent::__construct( $message ?? $field . ': ' . $problem );
	}

	/**
	 * Machine-readable code.
	 */
	public function error_code(): string {
		return $this->error_code;
	}

	/**
	 * The field, named in params (as WordPress's own validation does) and in field.
	 */
	public function details(): array {
		return array(
			'params' => array( $this->field => $this->problem ),
			'field'  => $this->field,
		);
	}
}
