<?php
/**
 * A request that cannot be served now; nothing was changed and the same request may be tried again.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Busy (another request holds the sale), the storage failed, or a service the plugin relies on
 * (the mailer) did ($upstream).
 */
class Unavailable extends \RuntimeException implements Error {

	/**
	 * Builds it.
	 *
	 * @param string          $error_code Machine-readable code.
	 * @param string          $message    For a person.
	 * @param bool            $upstream   Whether a service the plugin relies on failed rather than the plugin.
	 * @param int             $code       The cause's code (a database error number).
	 * @param \Throwable|null $previous   The cause.
	 */
	public function __construct( private readonly string $error_code, string $message, public readonly bool $upstream = false, int $code = 0, ?\Throwable $previous = null ) {
		parent::__construct( $message, $code, $previous );
	}

	/**
	 * Machine-readable code.
	 */
	public function error_code(): string {
		return $this->error_code;
	}

	/**
	 * Nothing more.
	 */
	public function details(): array {
		return array();
	}
}
