<?php
/**
 * The root of the plugin's exceptions.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Every exception the plugin means a caller to see is one of three kinds: BadInput (a field
 * cannot be used), Refused (a rule or the state says no) or Unavailable (try again later).
 * The kinds know nothing of HTTP: each adapter maps them once (Rest\Failure, Cli\Guard,
 * Admin\Form::failed).
 */
interface Error extends \Throwable {

	/**
	 * Machine-readable code (omnistock_…), stable for clients.
	 */
	public function error_code(): string;

	/**
	 * More for the caller: the field named in params and field, the short lines, the session…
	 */
	public function details(): array;
}
