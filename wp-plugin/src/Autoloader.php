<?php
/**
 * PSR-4 autoloader for the plugin's Omnistock\ classes (the extension's own classes are never files).
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Maps Omnistock\Foo\Bar to src/Foo/Bar.php.
 */
final class Autoloader {

	/**
	 * Registers the loader for the given source folder.
	 *
	 * @param string $src_dir Absolute path of wp-plugin/src.
	 */
	public static function register( string $src_dir ): void {
		spl_autoload_register(
			static function ( string $class_name ) use ( $src_dir ): void {
				if ( ! str_starts_with( $class_name, __NAMESPACE__ . '\\' ) ) {
					return;
				}
				$file = $src_dir . '/' . str_replace( '\\', '/', substr( $class_name, strlen( __NAMESPACE__ ) + 1 ) ) . '.php';
				if ( is_file( $file ) ) {
					require $file;
				}
			}
		);
	}
}
