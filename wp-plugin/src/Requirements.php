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
	 * Whether the shared-memory holds of the extension are available (and safe in this PHP).
	 */
	public static function has_shm_holds(): bool {
		return class_exists( \Omnistock\Holds::class, false ) && self::shm_holds_thread_safe();
	}

	/**
	 * Whether Omnistock\Holds is safe in this PHP: a thread-safe (ZTS) PHP serves requests from threads
	 * of one process, and the extension keeps its per-process state without locks between threads, so
	 * it says false there (and refuses to open a segment). The filter lets a test simulate a ZTS PHP.
	 */
	public static function shm_holds_thread_safe(): bool {
		// An extension older than threadSafe() has no lock between threads either.
		$safe = ! ZEND_THREAD_SAFE;
		// @phpstan-ignore-next-line function.alreadyNarrowedType (the stubs are this tree's; the loaded extension may be older)
		if ( class_exists( \Omnistock\Holds::class, false ) && method_exists( \Omnistock\Holds::class, 'threadSafe' ) ) {
			$safe = \Omnistock\Holds::threadSafe();
		}
		return (bool) apply_filters( 'omnistock_shm_holds_thread_safe', $safe );
	}

	/**
	 * Why the holds are in the database though shared memory was asked for, or null.
	 *
	 * @param string $configured The configured backend ("shm" or "database").
	 */
	public static function shm_holds_fallback( string $configured ): ?string {
		if ( 'shm' !== $configured ) {
			return null;
		}
		if ( ! class_exists( \Omnistock\Holds::class, false ) ) {
			return __( 'Omnistock keeps holds in the database: this build of the omnistock extension has no Omnistock\Holds. On a single host shared memory is the better choice: a hold is checked in microseconds instead of a locked database transaction.', 'omnistock' );
		}
		if ( ! self::shm_holds_thread_safe() ) {
			return __( 'Omnistock keeps holds in the database: this PHP is thread-safe (ZTS, as FrankenPHP and Apache\'s worker MPM use) and the shared-memory holds of the omnistock extension are not. Set the holds backend to "database" to say so, or serve the shop with a non-thread-safe PHP (PHP-FPM) to use shared memory.', 'omnistock' );
		}
		return null;
	}
}
