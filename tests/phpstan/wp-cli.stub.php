<?php
/**
 * The part of WP-CLI's API the plugin's commands call, for PHPStan (php-stubs/wp-cli-stubs is not
 * served by the Composer registry here). Signatures as WP-CLI 2.11 documents them.
 */

// phpcs:ignoreFile -- declarations for PHPStan, not plugin code.

namespace {

class WP_CLI {
	/**
	 * @param string               $name     Command name, with spaces for subcommands.
	 * @param callable|object|string $callable The command: a class, an object or a callable.
	 * @param array<string, mixed> $args     Registration options.
	 */
	public static function add_command( $name, $callable, $args = array() ): bool {}

	/**
	 * @param string|\WP_Error|\Throwable $message
	 * @param bool|int                    $exit    True (or an exit code): exits.
	 * @phpstan-return ($exit is false ? void : never)
	 */
	public static function error( $message, $exit = true ): void {}

	/** @param string $message */
	public static function line( $message = '' ): void {}

	/** @param string $message */
	public static function success( $message ): void {}

	/** @param string|\WP_Error|\Throwable $message */
	public static function warning( $message ): void {}
}

}

namespace WP_CLI\Utils {

/**
 * @param string                                   $format table, json, csv, yaml, ids or count.
 * @param array<mixed>|\Traversable<mixed>         $items
 * @param array<string>|string                     $fields
 */
function format_items( $format, $items, $fields ): void {}

/**
 * @param array<string, mixed> $assoc_args
 * @param string               $flag
 * @param mixed                $default
 * @return mixed
 */
function get_flag_value( $assoc_args, $flag, $default = null ) {}

}
