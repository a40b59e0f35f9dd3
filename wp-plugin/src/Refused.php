<?php
/**
 * A request that a rule or the current state does not allow.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Carries its code, the reason and the data the caller needs (the short lines, the open session).
 */
class Refused extends \RuntimeException implements Error {

	/**
	 * Builds it.
	 *
	 * @param string  $error_code Machine-readable code (omnistock_…).
	 * @param string  $message    For a person.
	 * @param Refusal $reason     Why.
	 * @param array   $details    More data for the caller.
	 */
	public function __construct( private readonly string $error_code, string $message, public readonly Refusal $reason = Refusal::Rule, private readonly array $details = array() ) {
		parent::__construct( $message );
	}

	/**
	 * Machine-readable code.
	 */
	public function error_code(): string {
		return $this->error_code;
	}

	/**
	 * More data for the caller.
	 */
	public function details(): array {
		return $this->details;
	}
}
