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
	 * Runs $work; a caller's mistake becomes WP_CLI::error naming the field (exit 1).
	 *
	 * @param callable $work The work.
	 */
	public static function run( callable $work ): mixed {
		try {
			return $work();
		} catch ( \Omnistock\Inventory\InvalidEvent $e ) {
			\WP_CLI::error( $e->getMessage() );
		} catch ( \Omnistock\Inventory\StorageError | \Omnistock\Exception $e ) {
			\WP_CLI::error( $e->getMessage() );
		}
	}
}
