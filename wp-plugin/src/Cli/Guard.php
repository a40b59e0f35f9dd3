<?php
/**
 * How WP-CLI shows the plugin's errors.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * One mapping of the plugin's exceptions to WP-CLI for every command.
 */
final class Guard {

	/**
	 * Runs $work; any of the plugin's errors (bad input naming the field, a refusal, unavailable)
	 * or the extension's becomes WP_CLI::error with its message (exit 1). On a terminal the
	 * operator is the one to read the database's own message.
	 *
	 * @param callable $work The work.
	 */
	public static function run( callable $work ): mixed {
		try {
			return $work();
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			\WP_CLI::error( $e->getMessage() );
		}
	}
}
