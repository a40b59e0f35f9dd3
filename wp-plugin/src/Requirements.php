<?php
/**
 * What the plugin needs from PHP: the omnistock extension, recent enough.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * Checks the extension once per request and explains what is missing.
 */
final class Requirements {

	public const MIN_EXTENSION_VERSION = '0.1.0';

	/**
	 * Why the plugin cannot run, or null when it can.
	 */
	public static function problem(): ?string {
		if ( ! extension_loaded( 'omnistock' ) || ! class_exists( \Omnistock\Ledger::class, false ) ) {
			return sprintf(
				/* translators: %s: the minimum extension version */
				__( 'Omnistock needs the omnistock PHP extension (version %s or later), which is not loaded. Install it with "pecl install omnistock-*.tgz" (the package built by bin/test), add "extension=omnistock" to your php.ini (or a file in conf.d), then restart PHP-FPM or your web server. Until then Omnistock changes nothing.', 'omnistock' ),
				self::MIN_EXTENSION_VERSION
			);
		}
		$version = (string) phpversion( 'omnistock' );
		if ( version_compare( $version, self::MIN_EXTENSION_VERSION, '<' ) ) {
			return sprintf(
				/* translators: 1: installed version, 2: minimum version */
				__( 'Omnistock needs the omnistock PHP extension %2$s or later; version %1$s is loaded. Install the newer package with "pecl install -f omnistock-*.tgz" and restart PHP-FPM or your web server. Until then Omnistock changes nothing.', 'omnistock' ),
				$version,
				self::MIN_EXTENSION_VERSION
			);
		}
		return null;
	}

	/**
	 * Whether the shared-memory holds of the extension are available.
	 */
	public static function has_shm_holds(): bool {
		return class_exists( \Omnistock\Holds::class, false );
	}
}
